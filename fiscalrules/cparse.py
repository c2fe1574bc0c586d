"""Which compiled parts are used: ``fiscalrules._cparse`` (C: the fast parse's token loop,
:mod:`fiscalrules.lalr`, and the AST's node makers, :func:`fiscalrules.ast.maker`), or none.

The C part is optional: setup.py builds it where a C compiler is (``optional=True``), and every
user of it has the same code in Python, which runs when it is not built, when the environment
sets ``FISCALRULES_PURE_PYTHON`` (the tests run both), or when the build does not fit this code:

* it was built from another version of its sources -- an editable install keeps the module
  built from the sources it had, so a build whose sources' checksum (compiled in by setup.py)
  differs from the sources beside it is not used.  A wheel ships its build without the sources
  (they are in the sdist): nothing to compare, the build is used;
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
    checksum = _sources_checksum(os.path.dirname(__file__))
    if checksum is not None and getattr(_cparse, "SOURCE_CRC", None) != checksum:
        return None, ("fiscalrules._cparse was built from other versions of its sources (_cparse*.c, .h): "
                      "rebuild it (pip install -e .)")
    return _cparse, None


def _sources_checksum(folder: str) -> int | None:
    """The CRC-32 of the C sources in *folder* as setup.py computes it -- every ``_cparse*.c``
    and ``_cparse*.h``, by name -- or None where there are none (a wheel's install)."""
    try:
        names = sorted(name for name in os.listdir(folder)
                       if name.startswith("_cparse") and name.endswith((".c", ".h")))
        checksum = 0
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                checksum = zlib.crc32(handle.read(), checksum)
    except OSError:
        return None
    return checksum if names else None
