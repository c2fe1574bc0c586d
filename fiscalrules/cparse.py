"""Which compiled parts are used: ``fiscalrules._cparse`` (C: the fast parse's token loop,
:mod:`fiscalrules.lalr`, and the AST's node makers, :func:`fiscalrules.ast.maker`), or none.

The C part is optional: setup.py builds it where a C compiler is (``optional=True``), and every
user of it has the same code in Python, which runs when it is not built, when the environment
sets ``FISCALRULES_PURE_PYTHON`` (the tests run both), or when the build is of another version
of its source -- an editable install keeps the module built from the source it had, so a build
whose source checksum (compiled in by setup.py) differs from the source beside it is not used.
A wheel ships the C source beside its build (package data, pyproject.toml), so the check
holds there too: the build is of the source it ships.
"""

from __future__ import annotations

import functools
import os
import zlib
from types import ModuleType

__all__ = ["compiled", "ENVIRONMENT"]

# Set (to anything but empty) in the environment: the pure-Python code everywhere.
ENVIRONMENT = "FISCALRULES_PURE_PYTHON"


@functools.cache
def compiled() -> ModuleType | None:
    """The module ``fiscalrules._cparse``, or None where the Python code is to run."""
    if os.environ.get(ENVIRONMENT):
        return None
    try:
        from . import _cparse
    except ImportError:
        return None
    source = os.path.join(os.path.dirname(__file__), "_cparse.c")
    try:
        with open(source, "rb") as handle:
            checksum = zlib.crc32(handle.read())
    except OSError:
        return _cparse
    return _cparse if getattr(_cparse, "SOURCE_CRC", None) == checksum else None
