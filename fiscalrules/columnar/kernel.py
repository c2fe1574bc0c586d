"""The optional C kernels of the columnar rules (``fiscalrules._ckernel``), and whether they run.

A kernel is one pass over a chunk's rows where numpy makes several: a table's classification
parents and its children grouped by parent (:mod:`.hierarchy`), the row a lookup ``T[r.code]``
finds (:mod:`.plan`).  Every caller keeps its numpy code, which gives the same arrays and runs
where the kernels are not used -- not built (no C compiler at install), ``FISCALRULES_PURE_PYTHON``
set, built from another version of ``_ckernel.c`` or speaking another interface (as
:mod:`fiscalrules.cparse` decides for the parser), or turned off by :func:`use` (the tests run
both ways).
"""

from __future__ import annotations

import contextlib
import functools
import os
import zlib
from types import ModuleType

__all__ = ["compiled", "why_not", "use", "ABI_VERSION"]

# The interface this code expects of _ckernel (its ABI_VERSION): change both together.
ABI_VERSION = 5

_state = {"on": True}


def compiled() -> ModuleType | None:
    """The kernels' module, or None where the numpy code is to run."""
    return _choose()[0] if _state["on"] else None


def why_not() -> str | None:
    """Why the numpy code runs instead of the kernels (None: it does not)."""
    if not _state["on"]:
        return "turned off (kernel.use(False))"
    return _choose()[1]


@contextlib.contextmanager
def use(on: bool):
    """Within the block, the kernels run (when available) or the numpy code does."""
    before = _state["on"]
    _state["on"] = on
    try:
        yield
    finally:
        _state["on"] = before


@functools.cache
def _choose() -> tuple[ModuleType | None, str | None]:
    from ..cparse import ENVIRONMENT
    if os.environ.get(ENVIRONMENT):
        return None, f"{ENVIRONMENT} is set: the numpy code only"
    try:
        from .. import _ckernel
    except ImportError:
        return None, "fiscalrules._ckernel is not built here (no C compiler at install)"
    if getattr(_ckernel, "ABI_VERSION", None) != ABI_VERSION:
        return None, "fiscalrules._ckernel speaks another interface: rebuild it (pip install -e .)"
    source = os.path.join(os.path.dirname(os.path.dirname(__file__)), "_ckernel.c")
    try:
        with open(source, "rb") as handle:
            checksum = zlib.crc32(handle.read())
    except OSError:
        return _ckernel, None
    if getattr(_ckernel, "SOURCE_CRC", None) != checksum:
        return None, "fiscalrules._ckernel was built from another version of _ckernel.c: rebuild it (pip install -e .)"
    return _ckernel, None
