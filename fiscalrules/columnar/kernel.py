"""The optional C kernels of the columnar rules (``fiscalrules._ckernel``), and whether they run.

A kernel is one pass over a chunk's rows where numpy makes several: a table's classification
parents and its children grouped by parent (:mod:`.hierarchy`), the row a lookup ``T[r.code]``
finds (:mod:`.plan`), ``and`` / ``or`` / ``if … then`` of two conditions with their masks
(:mod:`.logic`), a rule's filter and body over a table's rows as one program (:mod:`.rowprog`,
whose numpy code is the plan's own closures).  Every caller keeps its numpy code, which gives the same arrays and runs
where the kernels are not used -- not built (no C compiler at install), ``FISCALRULES_PURE_PYTHON``
set, built from another version of ``_ckernel.c`` or speaking another interface (as
:mod:`fiscalrules.cparse` decides for the parser), or turned off by :func:`use` (the tests run
both ways).
"""

from __future__ import annotations

import contextlib
import functools
import os
from types import ModuleType

import numpy as _np

__all__ = ["compiled", "why_not", "use", "int64s", "ABI_VERSION"]

# The interface this code expects of _ckernel (its ABI_VERSION): change both together.
ABI_VERSION = 11

_state = {"on": True}
_ndarray, _INT64 = _np.ndarray, _np.dtype(_np.int64)


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
    """Within the block, the kernels run (when available) or the numpy code does -- in the whole
    process (a switch for tests and benchmarks, not one per thread)."""
    before = _state["on"]
    _state["on"] = on
    try:
        yield
    finally:
        _state["on"] = before


def int64s(a):
    """*a* as the kernels take an int64 array: C-contiguous and aligned for int64 -- a copy only where
    it is not (a view at an odd offset into a byte buffer: the kernels refuse it, as reading it
    through ``int64_t *`` would be undefined behaviour)."""
    if type(a) is _ndarray and a.dtype == _INT64 and a.flags.c_contiguous and a.flags.aligned:
        return a   # (most calls: np.require's own checks cost more than the kernel's call, ~5 µs)
    return _np.require(a, _np.int64, ["C", "A"])


@functools.cache
def _choose() -> tuple[ModuleType | None, str | None]:
    from ..cparse import optional_build
    return optional_build("_ckernel", ABI_VERSION, _load, os.path.dirname(os.path.dirname(__file__)))


def _load() -> ModuleType:
    from .. import _ckernel
    return _ckernel
