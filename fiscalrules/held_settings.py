"""A process-wide setting changed for as long as any caller needs it: :class:`HeldSetting`.

Some settings the engines change belong to the whole process and every thread in it -- the
interpreter's recursion limit (:mod:`fiscalrules.symbolic.linear`), numpy's huge-page advice
(:mod:`fiscalrules.columnar.pages`).  Each caller saving the old value and restoring it on the way
out is wrong as soon as two overlap: the first to leave restores the value under the other, and
the last to leave may restore the first one's change for good.  A held setting is changed when
its first holder enters and restored when its last leaves, under a lock.
"""

from __future__ import annotations

import _thread   # (threading's Lock without importing threading, nor typing: tests/test_cli_start.py)
import contextlib
from collections.abc import Callable, Iterator

__all__ = ["HeldSetting"]


class HeldSetting:
    """One process-wide setting and its holders (see the module doc)."""

    def __init__(self) -> None:
        self.lock = _thread.allocate_lock()   # (also for reading the setting without a race)
        self._holders = 0
        self._saved: object = None

    @contextlib.contextmanager
    def held(self, change: Callable[[], object], restore: Callable[[object], object]) -> Iterator[None]:
        """The block with the setting changed: *change()* (returning the value it replaced) by the
        first holder, *restore(that value)* by the last."""
        with self.lock:
            if self._holders == 0:
                self._saved = change()
            self._holders += 1
        try:
            yield
        finally:
            with self.lock:
                self._holders -= 1
                if self._holders == 0:
                    restore(self._saved)
