"""The memory pages the columnar engine's arrays are given: ordinary pages, not numpy's huge ones.

numpy asks the kernel to back every array of 4 MiB or more with transparent huge pages
(``madvise(MADV_HUGEPAGE)``).  Where the kernel's THP ``defrag`` setting is ``madvise`` -- a
common default -- each first touch of such an array may make the kernel compact memory there and
then, to find a free 2 MiB page.  On the project's 2-core CI machine (KVM, defrag ``madvise``):
1 GiB of fresh numpy arrays took 2.3 s with the advice (2.3 ms a 2 MiB fault, almost all of it
system time) and 0.39 s without; the first ``evaluate_table`` of a process over 100,000 budget
records (12.4 M table rows) 9.4 s, 5.6 s of it system time, and 4.6 s without
(benchmarks/bench_ruleset_table.py).  Only a process running the engine again and again over
memory it already holds gets that back, in fewer TLB misses: one rule over 1 M rows
(benchmarks/bench_batch.py) ran warm in 0.0134 s with the advice and 0.0149 s without, its first
run 0.064 s with and 0.035 s without -- a one-shot run, a notebook's first call, pays far more
than a warm one saves.

So the engine turns numpy's advice off while it runs (:func:`ordinary_pages`) and puts it back
as it was after -- the last of overlapping runs does, the setting being numpy's, one a process
(:class:`~fiscalrules.held_settings.HeldSetting`).  ``NUMPY_MADVISE_HUGEPAGE`` set in the environment is the user's own
choice, made through numpy, and left alone.
"""

from __future__ import annotations

import contextlib
import os

from ..held_settings import HeldSetting

__all__ = ["ordinary_pages", "huge_page_advice"]

_ADVICE = HeldSetting()


def _switch():
    """numpy's setter of its huge-page advice (it returns the setting it replaces), or None
    where this numpy has none."""
    try:
        from numpy._core import multiarray   # numpy 2
    except ImportError:   # numpy 1.x
        try:
            from numpy.core import multiarray
        except ImportError:
            return None
    return getattr(multiarray, "_set_madvise_hugepage", None)


def huge_page_advice() -> bool | None:
    """Whether numpy now advises huge pages for its large arrays (None: this numpy cannot say)."""
    switch = _switch()
    if switch is None:
        return None
    with _ADVICE.lock:
        now = switch(False)
        switch(now)
    return bool(now)


def ordinary_pages():
    """numpy's huge-page advice off for the block (see the module doc), unless the environment
    sets ``NUMPY_MADVISE_HUGEPAGE``."""
    switch = None if "NUMPY_MADVISE_HUGEPAGE" in os.environ else _switch()
    if switch is None:
        return contextlib.nullcontext()
    return _ADVICE.held(lambda: switch(False), switch)
