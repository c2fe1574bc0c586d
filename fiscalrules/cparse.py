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
from collections.abc import Callable
from types import ModuleType

__all__ = ["compiled", "why_not", "optional_build", "sources_checksum", "ENVIRONMENT", "ABI_VERSION"]

# Set (to anything but empty) in the environment: the pure-Python code everywhere.
ENVIRONMENT = "FISCALRULES_PURE_PYTHON"

# The interface this Python code expects of _cparse (its ABI_VERSION, _cparse.h): change both
# together whenever what crosses between them changes.
ABI_VERSION = 4


def compiled() -> ModuleType | None:
    """The module ``fiscalrules._cparse``, or None where the Python code is to run."""
    return _choose()[0]


def why_not() -> str | None:
    """Why the Python code runs instead of ``fiscalrules._cparse`` (None: it does not)."""
    return _choose()[1]


@functools.cache
def _choose() -> tuple[ModuleType | None, str | None]:
    return optional_build("_cparse", ABI_VERSION, _load, os.path.dirname(__file__))


def _load() -> ModuleType:
    from . import _cparse
    return _cparse


def optional_build(name: str, abi: int, load: Callable[[], ModuleType], folder: str) -> tuple[ModuleType | None, str | None]:
    """(the optional extension ``fiscalrules.<name>``, None) where it is to be used, else (None,
    why not): ``FISCALRULES_PURE_PYTHON`` set, not built (*load*, which imports it, raises
    ImportError), speaking another interface than *abi*, or built from other versions of its
    sources (every ``<name>*.c`` and ``.h`` in *folder*, compared where they are beside the
    build).  The one decision for every C part: the parser's, the columnar kernels' and loops'."""
    if os.environ.get(ENVIRONMENT):
        return None, f"{ENVIRONMENT} is set: the Python code only"
    try:
        module = load()
    except ImportError:
        return None, f"fiscalrules.{name} is not built here (no C compiler at install)"
    built = getattr(module, "ABI_VERSION", None)
    if built != abi:
        return None, (f"fiscalrules.{name} speaks interface {built}, this fiscalrules interface "
                      f"{abi}: rebuild it (pip install -e .)")
    checksum = sources_checksum(folder, name)
    if checksum is not None and getattr(module, "SOURCE_CRC", None) != checksum:
        return None, (f"fiscalrules.{name} was built from other versions of its sources ({name}*.c, .h): "
                      "rebuild it (pip install -e .)")
    return module, None


def sources_checksum(folder: str, name: str) -> int | None:
    """The CRC-32 of the C sources of extension *name* in *folder* as setup.py computes it --
    every ``<name>*.c`` and ``<name>*.h``, by file name -- or None where there are none (a
    wheel's install)."""
    try:
        names = sorted(entry for entry in os.listdir(folder)
                       if entry.startswith(name) and entry.endswith((".c", ".h")))
        checksum = 0
        for entry in names:
            with open(os.path.join(folder, entry), "rb") as handle:
                checksum = zlib.crc32(handle.read(), checksum)
    except OSError:
        return None
    return checksum if names else None
