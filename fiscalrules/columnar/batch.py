"""One chunk of records as the columnar plan reads it: the record frame's columns, each table
field's rows, one code book, and the rows the record loader would refuse."""

from __future__ import annotations

import numpy as np

from .cells import _validity
from .reading import Frame
from .tables import CodeBook, TableRows

__all__ = ["Batch"]


class Batch:
    """A chunk of *n* records: ``frame`` (the record frame's columns by field path), ``tables``
    (table path → :class:`TableRows`, read on first use), ``bad`` (unreadable records)."""

    def __init__(self, frame: Frame, settings, long_frames: dict, start: int, table_presence: dict,
                 book: CodeBook | None = None):
        """*book*: the code book of the run (every chunk's codes in one), or a new one."""
        self.frame = frame
        self.n = frame.n
        self.settings = settings
        self.book = book if book is not None else CodeBook()
        self._long = long_frames            # path → LongFrame (all records)
        self._start = start
        self._presence = table_presence     # path → record frame column saying whether a record has it
        self._tables: dict = {}
        self.shared: dict = {}              # values of expressions several rules share (plan.Shared)
        self.kept: dict = {}                # lists several rules read (children of every row)
        self.bad = frame.bad.copy()
        for path in long_frames:            # table cells the loader refuses make their record unreadable
            self.bad |= self.table(path).bad_records

    def has_table(self, path: str) -> bool:
        return path in self._long or path in self._presence

    def table(self, path: str) -> TableRows:
        """The rows of table *path* in this chunk (no rows, and absent everywhere, when the frame
        gives neither rows nor a presence column for it)."""
        found = self._tables.get(path)
        if found is None:
            found = self._tables[path] = self._rows_of_table(path)
        return found

    def _rows_of_table(self, path: str) -> TableRows:
        import pyarrow as pa
        n = self.n
        decl = self.settings.fields.get(path)
        long = self._long.get(path)
        start, stop = self._start, self._start + n
        if long is not None:
            chunk, rec, pos = long.rows_of(start, stop, coded=True)
            roles = long.roles
        else:
            chunk, rec, pos = pa.table({}), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            roles = {}
        prepared = None
        if long is not None and len(rec):   # the rows' codes and validity as the run read them
            run = long.prepared(self.settings, self.frame.floats, self.frame.memo, self.book)
            if run is not None:
                lo, hi = long.span(start, stop)
                prepared = run.chunk(lo, hi, start, stop)
        marker = self._presence.get(path)
        if marker is not None:
            column = self.frame.table.column(marker)
            present = _validity(column) if column.null_count else np.ones(n, bool)
            # (by the records' row counts when the run read them: no pass over the rows)
            lacking = (not present.all() and (np.diff(prepared[5]) > 0)[~present].any()) if prepared is not None \
                else len(rec) and not present[rec].all()
            if lacking:  # rows of a record that has no such table: not read
                keep = np.flatnonzero(present[rec])
                chunk, rec, pos = chunk.take(keep), rec[keep], pos[keep]
                prepared = None   # (its rows as the run read them are not these: read here)
        else:
            present = np.zeros(n, dtype=bool)
            present[rec] = True
        if prepared is None:
            frame = Frame(chunk, self.settings, roles, self.frame.floats, self.frame.memo)
        elif (lo, hi) == (0, prepared[6].n):   # every row: the frame the run read them with
            frame = prepared[6]
        else:   # (its verdicts and what it read, sliced)
            frame = Frame(chunk, self.settings, roles, self.frame.floats, self.frame.memo, run=(prepared[6], lo, hi))
        return TableRows(path, decl, frame, rec, pos, n, present, self.book, prepared)
