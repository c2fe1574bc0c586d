"""Which compiled parts are used: ``fiscalrules._cparse`` (C: the fast parse's token loop,
:mod:`fiscalrules.lalr`, and the AST's node makers, :func:`fiscalrules.ast.maker`), or none.

The C part is optional: setup.py builds it where a C compiler is (``optional=True``), and every
user of it has the same code in Python, which runs when it is not built, when the environment
sets ``FISCALRULES_PURE_PYTHON`` (the tests run both), or when the build does not fit this code:

* it was built from another version of its source -- an editable install keeps the module built
  from the source it had, so a build whose source checksum (compiled in by setup.py) differs
  from the source beside it is not used (a wheel ships the source beside its build: package data,
  pyproject.toml);
* it speaks another interface (``ABI_VERSION``): what lalr.py and nodebase.py hand the C code
  and read back -- Automaton's arguments, the tuples on the value stack, Maker's arguments.  The
  checksum cannot see that (it covers the C source only, and only where the source is beside the
  build), so a change to either side of the interface bumps both numbers together, and a build
  of another number is refused.

:func:`why_not` says in words why the Python code runs (None where the C code does).
"""

from __future__ import annotations

import functools
import os
import zlib
from types import ModuleType

__all__ = ["compiled", "why_not", "ENVIRONMENT", "ABI_VERSION"]

# Set (to anything but empty) in the environment: the pure-Python code everywhere.
ENVIRONMENT = "FISCALRULES_PURE_PYTHON"

# The interface this Python code expects of _cparse (its ABI_VERSION, _cparse.c): change both
# together whenever what crosses between them changes.
ABI_VERSION = 3


def compiled() -> ModuleType | None:
    """The module ``fiscalrules._cparse``, or None where the Python code is to run."""
    return _choose()[0]


def why_not() -> str | None:
    """Why the Python code runs instead of ``fiscalrules._cparse`` (None: it does not)."""
    return _choose()[1]


@functools.cache
def _choose() -> tuple[ModuleType | None, str | None]:
    if os.environ.get(ENVIRONMENT):
        return None, f"{ENVIRONMENT} is set: the Python code only"
    try:
        from . import _cparse
    except ImportError:
        return None, "fiscalrules._cparse is not built here (no C compiler at install)"
    abi = getattr(_cparse, "ABI_VERSION", None)
    if abi != ABI_VERSION:
        return None, (f"fiscalrules._cparse speaks interface {abi}, this fiscalrules interface "
                      f"{ABI_VERSION}: rebuild it (pip install -e .)")
    source = os.path.join(os.path.dirname(__file__), "_cparse.c")
    try:
        with open(source, "rb") as handle:
            checksum = zlib.crc32(handle.read())
    except OSError:
        return _cparse, None
    if getattr(_cparse, "SOURCE_CRC", None) != checksum:
        return None, ("fiscalrules._cparse was built from another version of _cparse.c: "
                      "rebuild it (pip install -e .)")
    return _cparse, None
