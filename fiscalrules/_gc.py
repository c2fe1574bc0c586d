"""The garbage-collector pause used around bursts of allocation (parsing, loading, evaluating)."""

import contextlib
import gc

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a burst of allocation.

    Parsing, checking and evaluating allocate many small objects that form no reference cycles
    (they are freed by reference counting); the collector would otherwise walk every live object
    again and again -- measured at half the time of a large batch.  It is re-enabled afterwards,
    as the caller had it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
