"""Table fields as long frames: one row per table row, keyed by record, read per chunk of records.

A record's table (``expenditure.function``: rows with a code, a name, an amount) is given to the
columnar engine as its own frame: a ``_record`` column naming the record (its id when the record
frame has an id column, else its 0-based row number), an optional ``_row`` (the row's 1-based
position in the record's list; by default the order of the frame), then one column per table
column, by name or label, and metadata columns (``amount.change``).  :class:`LongFrame` sorts
such a frame by record once; :class:`TableRows` is the rows of one chunk of records, with what
the per-record :class:`~fiscalrules.records.Table` gives a rule: each row's code (its ``code``
cell, or its position when it has none), the row a code finds (``T["302"]``; the last row with
that code, as ``Table.by_code`` keeps it), the classification children of a row (``children(r)``:
codes one level down by prefix, 3 → 5 → 7 digits) and its parent, and the record each row is of.

Records whose table the record loader would refuse -- a code given twice (a row without one
counting as its position's code), a code that is a flag -- are marked ``bad`` (unreadable, as
``evaluate_many`` reports them).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..errors import Location, RecordError
from ..frames import ID_COLUMNS, RECORD_KEY, ROW_KEY, table_roles
from ..functions import LEVEL_OF_LENGTH
from ..recordbuild import _Builder, _code_text
from .cells import _combined
from .columns import Text
from .reading import Frame, coded_repeated
from .rowloops import compiled as rowloops_compiled, ordered as in_order, records_in_order, string_runs
from .vectors import group_starts

__all__ = ["LongFrame", "TableRows", "CodeBook", "table_roles", "RECORD_KEY", "ROW_KEY", "key_column",
           "record_numbers_together", "check_distinct", "long_frames"]

_WIDE = np.int64(1 << 31)   # record index × _WIDE + code id: one int64 key per (record, code)


class CodeBook:
    """Every code text of an evaluation (row codes, lookup keys) as a small integer, so that codes
    of different tables, chunks and constants compare as integers.  One book serves every chunk
    of a run: a code's id, level and prefixes are worked out once, not once per chunk."""

    def __init__(self):
        self.ids: dict = {}
        self.texts: list = []
        self._level = np.zeros(0, dtype=np.int64)
        self._prefixes: dict = {}      # length → prefix id of the texts known when last asked
        self._positions = np.zeros(0, dtype=np.int64)

    def id(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.texts)
            self.texts.append(text)
        return found

    def of(self, texts: list) -> np.ndarray:
        return np.fromiter((self.id(t) for t in texts), dtype=np.int64, count=len(texts))

    def positions(self, top: int) -> np.ndarray:
        """The ids of the texts of positions 1…*top* (a row without a code is known by its position)."""
        found = self._positions
        if len(found) < top:
            more = self.of([str(p) for p in range(len(found) + 1, top + 1)])
            found = self._positions = np.concatenate([found, more])
        return found

    def level(self) -> np.ndarray:
        """The classification level of every code id (类 3 digits → 1, 款 5 → 2, 项 7 → 3, else 0)."""
        known = len(self._level)
        if known < len(self.texts):   # (ids never change: only the new texts are looked at)
            more = np.fromiter((LEVEL_OF_LENGTH.get(len(t), 0) for t in self.texts[known:]), dtype=np.int64,
                               count=len(self.texts) - known)
            self._level = np.concatenate([self._level, more])
        return self._level

    def prefixes(self, length: int) -> np.ndarray:
        """For every code id, the id of its first *length* characters when it is longer, else -1."""
        out = self._prefixes.get(length, np.zeros(0, dtype=np.int64))
        known, count = len(out), len(self.texts)
        if known < count:
            more = np.full(count - known, -1, dtype=np.int64)
            for i, text in enumerate(self.texts[known:count]):
                if len(text) > length:
                    more[i] = self.id(text[:length])
            out = self._prefixes[length] = np.concatenate([out, more])
        return out


class LongFrame:
    """One table field's long frame, its rows sorted by record (and position), with each row's
    record number in the record frame."""

    def __init__(self, path: str, data, decl, record_ids, n_records: int, ids_distinct: bool = False,
                 rec: np.ndarray | None = None):
        """*rec*: each row's record number when already looked up (:func:`record_numbers_together`)."""
        from .engine import to_arrow
        table = to_arrow(data, name=path)
        self.path, self.decl = path, decl
        names = list(table.column_names)
        if rec is None:
            rec = _record_numbers(table.column(key_column(table, path)), record_ids, n_records, path, ids_distinct)
        if ROW_KEY in names:
            pos = table.column(ROW_KEY).to_numpy(zero_copy_only=False)
            if pos.dtype.kind not in "iu" or (len(pos) and pos.min() < 1):
                raise RecordError(f"{ROW_KEY} of table {path} must hold positions 1, 2, …", "", Location(path))
            pos = pos.astype(np.int64, copy=False)
            order = _by_record(rec, pos)
        else:
            order = np.argsort(rec, kind="stable")
            pos = None
        if order is not None and len(order) and not np.all(order[1:] > order[:-1]):
            table, rec = table.take(order), rec[order]
            pos = pos[order] if pos is not None else None
        if pos is None:  # the order of the frame within each record
            starts = group_starts(rec, n_records)
            pos = np.arange(len(rec), dtype=np.int64) - starts[np.clip(rec, 0, n_records - 1)] + 1 if len(rec) else rec
        self.table, self.rec, self.pos = table, rec, pos
        self.roles = table_roles(names, decl)
        self.records = n_records

    @classmethod
    def numbered(cls, path: str, table, decl, rec, pos, n_records: int) -> LongFrame:
        """A long frame whose rows already know their record number and position."""
        self = cls.__new__(cls)
        self.path, self.decl = path, decl
        order = _by_record(rec, pos)
        if order is not None:
            table, rec, pos = table.take(order), rec[order], pos[order]
        self.table, self.rec, self.pos = table, rec, pos
        self.roles = table_roles(list(table.column_names), decl)
        self.records = n_records
        return self

    def rows_of(self, start: int, stop: int, coded: bool = False) -> tuple:
        """(Arrow slice, chunk-local record numbers, positions) of the rows of records start…stop-1;
        *coded*: of :meth:`code_texts`' table (the one chunks are read from)."""
        lo, hi = self.span(start, stop)
        table = getattr(self, "_coded", self.table) if coded else self.table
        return table.slice(lo, hi - lo), self.rec[lo:hi] - start, self.pos[lo:hi]

    def span(self, start: int, stop: int) -> tuple:
        """(first row, last row + 1) of the rows of records start…stop-1."""
        lo, hi = np.searchsorted(self.rec, [start, stop])
        return int(lo), int(hi)

    def prepared(self, settings, floats: str, memo, book: CodeBook):
        """The run's reading of these rows (:class:`_Prepared`), made on first use for *book*
        (again if the run starts a new book), or None when the table is not worth reading whole:
        its codes too many to keep in the book (free text), or no rows."""
        found = getattr(self, "_prepared", None)
        if found is None or found.book is not book:
            found = self._prepared = _Prepared.of(self, settings, floats, memo, book)
        return found if found.rows is not None else None

    def release(self) -> None:
        """Let go of the run's reading (:meth:`prepared`)."""
        self._prepared = None

    def code_texts(self) -> None:
        """Dictionary-encode the text columns whose cells repeat, once for the whole frame
        (:func:`.reading.coded_repeated`): every chunk is then a slice of one coding, not coded
        again (a hash per cell per chunk)."""
        self._coded = coded_repeated(self.table, self.roles)


def long_frames(given: dict, record_ids, n_records: int, hints=None) -> dict:
    """path → :class:`LongFrame` of the long frames *given* (path → (Arrow table, declaration))
    for a record frame of *n_records* records whose ids are *record_ids* (None: rows name their
    record by number).  The ids are checked to be distinct once; each table whose rows name
    records in the ids' order is read by one pass over its keys (:func:`.rowloops.records_in_order`,
    where the C loops are built), the others looked up together (:func:`record_numbers_together`,
    *hints* -- a function of those tables' key columns -- its guesses), not once per table."""
    numbers: dict = {}
    distinct = False
    if record_ids is not None and given:
        check_distinct(record_ids, next(iter(given)))
        distinct = True
        keys = {path: arrow.column(key_column(arrow, path)) for path, (arrow, _) in given.items()}
        if rowloops_compiled() is not None:   # (numpy's twin hashes the ids once per table: not here)
            ids = _combined(_as_strings(record_ids))
            for path, column in keys.items():
                found = records_in_order(_combined(_as_strings(column)), ids)
                if found is not None:
                    numbers[path] = found
        rest = {path: column for path, column in keys.items() if path not in numbers}
        if len(rest) > 1:
            numbers.update(record_numbers_together(rest, record_ids, hints(rest) if hints is not None else None))
    out = {}
    for path, (arrow, decl) in given.items():
        out[path] = LongFrame(path, arrow, decl, record_ids, n_records, distinct, numbers.get(path))
    return out


def _as_strings(column):
    """A column of record ids or keys as text (ids may come as integers): they compare as texts."""
    import pyarrow as pa
    return column if pa.types.is_string(column.type) else column.cast(pa.string())


def key_column(table, path: str) -> str:
    """The column of a long frame naming each row's record."""
    names = table.column_names
    key = RECORD_KEY if RECORD_KEY in names else next((c for c in names if c in ID_COLUMNS), None)
    if key is None:
        raise RecordError(f"the rows of table {path} need a {RECORD_KEY} column naming their record",
                          "", Location(path))
    return key


def record_numbers_together(columns: dict, record_ids, hints: dict | None = None) -> dict:
    """path → the record number of each row, for the long frames (path → their key column) whose
    rows come in runs naming one record and all name a record of the frame.  A table's runs are
    first compared with a guess -- every record in order, the records of a table already found
    with as many runs, the records *hints* gives for it (path → record numbers: those the record
    frame says have rows) -- one comparison per run, no hashing; the runs of the tables no guess
    fits are looked up in one ``index_in`` (Arrow hashes the ids on every call: once per table
    was most of what reading 35 long frames' keys cost).  The others are left out -- the caller
    reads them one by one (:func:`_record_numbers`, which says what is wrong)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    ids = _as_strings(record_ids)
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    runs = {}
    for path, column in columns.items():
        keys = _as_strings(column)
        found = _runs_of(keys)
        if found is not None:
            runs[path] = found
    out, by_length, rest = {}, {}, {}
    for path, (first, lengths) in runs.items():
        guesses = list(by_length.get(len(first), []))
        if len(first) == len(ids):
            guesses = [(ids, None)] + guesses
        hint = (hints or {}).get(path)
        if hint is not None and len(hint) == len(first):
            guesses.append((None, hint))
        for keys, numbers in guesses:
            if keys is None:
                keys = ids.take(pa.array(numbers))
            same = pc.equal(first, keys)
            if same.null_count == 0 and pc.all(same).as_py():   # (ids are distinct: the same numbers)
                numbers = np.arange(len(ids), dtype=np.int64) if numbers is None else numbers
                break
        else:
            rest[path] = (first, lengths)
            continue
        out[path] = np.repeat(numbers, lengths)
        by_length.setdefault(len(first), []).append((first, numbers))
    if not rest:
        return out
    found = pc.index_in(pa.concat_arrays([first for first, _ in rest.values()]), value_set=ids)
    numbers = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    at = 0
    for path, (first, lengths) in rest.items():
        part = numbers[at:at + len(first)]
        at += len(first)
        if len(part) and part.min() < 0:
            continue   # some row names no record: reported by _record_numbers
        out[path] = np.repeat(part, lengths)
    return out


def _runs_of(keys):
    """(the key of each run of rows naming one record, each run's length) of a string column, or
    None when the rows are not in runs."""
    import pyarrow as pa
    n = len(keys)
    if n < 2:
        return None
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.chunk(0) if keys.num_chunks == 1 else keys.combine_chunks()
    starts = string_runs(keys, n // 2)
    if starts is None:
        return None
    return keys.take(pa.array(starts)), np.diff(np.append(starts, n))


def check_distinct(ids, path: str) -> None:
    """Refuse a record frame whose ids repeat (table rows name their record by id).  (Arrow's
    unique: half the time of its count_distinct; a null among the ids is one of its values.)"""
    if len(ids.unique()) - (1 if ids.null_count else 0) != len(ids) - ids.null_count:
        raise RecordError("record ids repeat in the record frame: table rows cannot name their record",
                          "", Location(path))


def _record_numbers(column, record_ids, n_records: int, path: str, ids_distinct: bool = False) -> np.ndarray:
    """The record frame row of each long-frame row: by id when the record frame has ids, else the
    0-based row number itself (*ids_distinct*: the ids are known not to repeat)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if record_ids is not None:
        ids = _as_strings(record_ids)
        if not ids_distinct:
            check_distinct(ids, path)
        keys = _as_strings(column)
        by_runs = _runs_index_in(keys, ids)
        if by_runs is not None:
            return by_runs
        found = pc.index_in(keys, value_set=ids)
        if found.null_count:
            first = keys.filter(pc.is_null(found))[0].as_py()
            raise RecordError(f"{found.null_count} rows of table {path} name no record of the frame "
                              f"(first: {first!r})", "", Location(path))
        return found.to_numpy(zero_copy_only=False).astype(np.int64)
    if not pa.types.is_integer(column.type):
        raise RecordError(f"{RECORD_KEY} of table {path} must be a record's row number (0-based) when the "
                          "record frame has no id column", "", Location(path))
    rec = column.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    if len(rec) and (rec.min() < 0 or rec.max() >= n_records):
        raise RecordError(f"rows of table {path} name record rows outside 0…{n_records - 1}", "", Location(path))
    return rec


def _runs_index_in(keys, ids):
    """The record number of each row, looked up once per run of rows naming the same record (a
    long frame lists a record's rows together: a hash lookup per row was most of its cost); None
    when the rows are not in runs (every row is looked up) or some row names no record (the
    caller reports which)."""
    import pyarrow.compute as pc
    runs = _runs_of(keys)
    if runs is None:
        return None
    first, lengths = runs
    found = pc.index_in(first, value_set=ids)
    if found.null_count:
        return None
    return np.repeat(found.to_numpy(zero_copy_only=False).astype(np.int64), lengths)


class _Prepared:
    """What a run reads of a long frame once, not once per chunk: which rows the record loader
    refuses, each row's code ids, and the records those make unreadable -- by :class:`TableRows`
    over the whole frame (the same reading, by record number), so each distinct code and text is
    read once per run and each chunk slices the arrays.  ``rows`` is None where the frame's codes
    are too many to keep in a book (the chunks then read their own)."""

    __slots__ = ("book", "rows", "bad_rows", "starts", "frame")

    #: Distinct codes of a table up to which its codes are read once for the run.
    CODES = 1 << 12

    @classmethod
    def of(cls, long: LongFrame, settings, floats: str, memo, book: CodeBook) -> _Prepared:
        self = cls()
        self.book, self.rows, self.bad_rows, self.starts, self.frame = book, None, None, None, None
        table = getattr(long, "_coded", long.table)
        if not table.num_rows:
            return self
        frame = Frame(table, settings, long.roles, floats, memo)   # (its code cells read: validated)
        name = frame.column_of.get(("code", None))
        if name is not None and len(frame.cells(name).raw) > cls.CODES:
            return self
        rows = TableRows(long.path, long.decl, frame, long.rec, long.pos, long.records, None, book)
        rows.frame = None   # (only its arrays are kept)
        self.rows, self.bad_rows, self.starts, self.frame = rows, frame.bad, rows.starts, frame
        return self

    def chunk(self, lo: int, hi: int, start: int, stop: int) -> tuple:
        """(coded, code ids, cell code ids, unreadable records, unreadable rows, group starts,
        the frame the run read them with) of rows lo…hi-1, the rows of records start…stop-1."""
        rows = self.rows
        frame = self.frame
        code_id = rows.code_id[lo:hi]
        cell_id = code_id if rows.cell_code_id is rows.code_id else rows.cell_code_id[lo:hi]
        return (rows.coded[lo:hi], code_id, cell_id, rows.bad_records[start:stop], self.bad_rows[lo:hi],
                self.starts[start:stop + 1] - lo, frame)


class TableRows:
    """The rows of one table field for one chunk of records."""

    def __init__(self, path: str, decl, frame: Frame, rec, pos, n: int, present, book: CodeBook,
                 prepared: tuple | None = None):
        """*prepared*: :meth:`_Prepared.chunk` of these rows (their codes read for the run)."""
        self.path, self.decl, self.frame = path, decl, frame
        self.m = len(rec)
        self.rec, self.pos, self.n = rec, pos, n
        self.present = present                      # the record has the table (rows or not)
        self.book = book
        if prepared is not None:
            self.coded, self.code_id, self.cell_code_id, self.bad_records, _, self.starts, _ = prepared
        else:
            self.starts = group_starts(rec, n)
            self.bad_records = np.zeros(n, dtype=bool)
            if frame.bad.any():
                self.bad_records[rec[frame.bad]] = True
            self._codes()
        self._children = None
        self._cache: dict = {}

    # -- codes -------------------------------------------------------------------------------------
    def _codes(self) -> None:
        """Each row's code id (``code_id``: as the loader keys the row; ``cell_code_id``: the text
        ``r.code`` reads), whether it gives a code (``coded``), and the records whose codes the
        loader refuses (a flag, a code given twice).  A pass per row for each, at most: ids by
        distinct value, positions by a table of their texts, twice-given codes found by a sort
        only when the codes of some record do not come in increasing order."""
        m = self.m
        name = self.frame.column_of.get(("code", None))
        coded = np.zeros(m, dtype=bool)
        code_id = cell_id = np.zeros(m, dtype=np.int64)
        rank = None     # per distinct value: the order of its code text (equal texts, equal ranks)
        if name is not None and m:
            cells = self.frame.cells(name)
            raw = _raw_distinct(cells.raw)   # the values the cells were read from: not encoded again
            row_ids, cell_ids, refused = [], [], []
            for value, read in zip(raw, cells.distinct):
                text = _row_code(value)
                refused.append(text is None)
                row_ids.append(self.book.id(text) if text is not None else 0)
                cell_ids.append(self.book.id(_cell_text(read)) if read is not None else 0)
            row_ids.append(0)
            cell_ids.append(0)
            refused.append(False)
            codes = cells.codes
            column = self.frame.table.column(name)
            # any non-null cell gives a code (a refused one too)
            coded = np.ones(m, dtype=bool) if not column.null_count else codes != len(raw)
            code_id = np.asarray(row_ids, dtype=np.int64)[codes]
            cell_id = code_id if cell_ids == row_ids else np.asarray(cell_ids, dtype=np.int64)[codes]
            if any(refused):
                wrong = np.asarray(refused, dtype=bool)[codes] & coded
                if wrong.any():
                    self.bad_records[self.rec[wrong]] = True
            texts = self.book.texts
            order = sorted(set(row_ids), key=texts.__getitem__)
            rank_of = dict(zip(order, range(len(order))))
            rank = np.asarray([rank_of[i] for i in row_ids], dtype=np.int64)   # (by distinct value: codes index it)
        all_coded = bool(coded.all()) if m else True
        if not all_coded:
            uncoded = ~coded
            positions = self.pos[uncoded]
            ids = self.book.positions(int(positions.max()))[positions - 1]
            if code_id is cell_id:
                code_id = code_id.copy()
            code_id[uncoded] = ids
            if cell_id is not code_id:
                cell_id[uncoded] = ids
            else:
                cell_id = code_id
        self.coded, self.code_id, self.cell_code_id = coded, code_id, cell_id
        if rank is not None and coded.any():  # a code given twice in one table: the loader refuses the record
            if all_coded:
                if len(codes) > 1 and not in_order(self.rec, codes, rank):   # (codes in order: none twice)
                    self._twice(self.rec * _WIDE + rank[codes])
            else:
                # A row without a code is known by its position (row 2: "2"), and the loader
                # refuses a code any earlier row has -- coded or not, in either order.  (Keyed by
                # the texts' order, so that a record whose rows come in code order is not sorted.)
                from .hierarchy import _book_order
                self._twice(self.rec * _WIDE + _book_order(self.book)[0][code_id])

    def _twice(self, keys) -> None:
        """Mark the records holding a (record, code) key twice.  Only a record whose keys do not
        increase row by row can: those records' rows are sorted (rows come by record), not the
        whole table's (a few records out of code order made a sort of every row of the table)."""
        if len(keys) < 2:
            return
        later = np.flatnonzero(keys[1:] <= keys[:-1])
        if not later.size:
            return
        unordered = np.zeros(self.n, dtype=bool)
        unordered[self.rec[later + 1]] = True
        keys = np.sort(keys[unordered[self.rec]])
        twice = keys[1:][keys[1:] == keys[:-1]]
        if twice.size:
            self.bad_records[np.unique(twice // _WIDE)] = True

    def code_text(self) -> Text:
        """``r.code`` of every row: the text of its code cell, or its position when it has none."""
        return Text(self.cell_code_id, self.book.texts)

    def level(self) -> np.ndarray:
        """Every row's classification level (made once per chunk: ``level(r)`` is in many rules'
        filters, each over this table's rows)."""
        found = self._cache.get("level")
        if found is None:
            found = self._cache["level"] = self.book.level().take(self.code_id)
        return found

    # -- lookups -----------------------------------------------------------------------------------
    def find(self, rec, key_id) -> np.ndarray:
        """The row with code *key_id* in record *rec* (per element), or -1: the last such row, as
        ``Table.by_code`` keeps it."""
        if np.ndim(key_id) == 0 or (len(key_id) and (key_id == key_id[0]).all()):
            rec = np.asarray(rec)
            if not rec.size or (rec.min() >= 0 and rec.max() < self.n):
                # One code for every element (a lookup by a constant, T["302"]): its row in each
                # record found by one pass over the codes, no search per element.
                code = int(key_id) if np.ndim(key_id) == 0 else int(key_id[0]) if len(key_id) else 0
                return self._row_of_code(code)[rec]
        return _search(self._rows_index(False), rec * _WIDE + key_id)

    def _row_of_code(self, code: int) -> np.ndarray:
        """For each record, its last row with code id *code*, or -1 (:meth:`find` of a constant)."""
        found = self._cache.get(("row of", code))
        if found is None:
            found = np.full(self.n, -1, dtype=np.int64)
            hits = np.flatnonzero(self.code_id == code)   # in order: by record, then position
            if hits.size:
                owners = self.rec[hits]
                last = np.ones(hits.size, dtype=bool)
                last[:-1] = owners[1:] != owners[:-1]
                found[owners[last]] = hits[last]
            self._cache[("row of", code)] = found
        return found

    def _rows_index(self, coded_only: bool) -> tuple:
        """(sorted keys, rows): the rows (coded ones only, or all) by (record, code id) -- ties by
        position, as the rows come -- made once for lookups and parents alike."""
        key = ("index", coded_only)
        found = self._cache.get(key)
        if found is None:
            if coded_only and not self.coded.all():
                rows = np.flatnonzero(self.coded)
                keys = self.rec[rows] * _WIDE + self.code_id[rows]
            else:
                rows = np.arange(self.m)
                keys = self.rec * _WIDE + self.code_id
            if len(keys) > 1 and not (keys[1:] >= keys[:-1]).all():   # (rows whose codes come in order: kept)
                order = np.argsort(keys, kind="stable")
                keys, rows = keys[order], rows[order]
            found = self._cache[key] = (keys, rows)
        return found

    def parent_rows(self, coded_only: bool) -> np.ndarray:
        """Each row's parent row or -1: the nearest code (5, then 3 characters) that the row's
        code extends, among the coded rows (``children``) or all rows (``parent``)."""
        key = ("parents", coded_only)
        found = self._cache.get(key)
        if found is not None:
            return found
        index = self._rows_index(coded_only)
        out = np.full(self.m, -1, dtype=np.int64)
        targets = np.flatnonzero(self.coded) if coded_only else np.arange(self.m)
        for length in (3, 5):  # 5 after 3: the longer prefix wins where both are codes
            prefix = self.book.prefixes(length)[self.code_id[targets]]
            has = prefix >= 0
            if not has.any():
                continue
            found_rows = _search(index, self.rec[targets[has]] * _WIDE + prefix[has])
            hit = found_rows >= 0
            out[targets[has][hit]] = found_rows[hit]
        self._cache[key] = out
        return out

    def children_groups(self):
        """(sorted keys, child rows in order): coded rows grouped by (record, parent code)."""
        if self._children is None:
            parents = self.parent_rows(True)
            rows = np.flatnonzero(parents >= 0)
            keys = self.rec[rows] * _WIDE + self.code_id[parents[rows]]
            order = np.argsort(keys, kind="stable")  # ties by position, as the rows come
            self._children = (keys[order], rows[order])
        return self._children

    def children_of(self, rec, code_id) -> tuple:
        """(start, stop) into ``children_groups()[1]`` of the children of code *code_id* in *rec*."""
        keys, _ = self.children_groups()
        query = rec * _WIDE + code_id
        return np.searchsorted(keys, query, "left"), np.searchsorted(keys, query, "right")

    def children_of_rows(self, rows, rec) -> tuple:
        """:meth:`children_of` each row's own code in *rec*: looked up once per table for every
        row (roll-up rules ask for the children of every row, several times a chunk)."""
        found = self._cache.get("children ranges")
        if found is None:
            found = self._cache["children ranges"] = self.children_of(self.rec, self.code_id)
        if rows is self._cache.get("identity") and rec is self.rec:   # every row, of its own record
            return found
        if not np.array_equal(self.rec[rows], rec):   # rows asked of another record: searched
            return self.children_of(rec, self.code_id[rows])
        return found[0][rows], found[1][rows]


def _by_record(rec: np.ndarray, pos: np.ndarray):
    """The order sorting rows by record, then position -- None when they already are (as a
    flattened or nested input gives them): a check instead of a sort of millions of rows."""
    if len(rec) < 2 or in_order(rec, pos):
        return None
    return np.lexsort((pos, rec))


def _search(index, query) -> np.ndarray:
    keys, order = index
    if not len(keys):
        return np.full(len(query), -1, dtype=np.int64)
    at = np.searchsorted(keys, query, "right") - 1
    safe = np.clip(at, 0, len(keys) - 1)
    hit = (at >= 0) & (keys[safe] == query)
    return np.where(hit, order[safe], -1)


def _raw_distinct(raw: list) -> list:
    """The distinct values of a column (:class:`~fiscalrules.columnar.cells._Cells`' ``raw``, in
    the order of its codes) as a record mapping holds them (ints as Decimal)."""
    return [Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in raw]


_CODE_BUILDER = _Builder(None)   # (only its fail(): raises the loader's RecordError)


def _row_code(value):
    """A row's code as the loader keys it, None for a code it refuses: the loader's own rule
    (``recordbuild._code_text``), so that a number that is no code -- ``2129906.01`` in a
    decimal128 code column, a number past MAX_DIGITS digits -- makes the record unreadable here as there."""
    if value is None:
        return None
    try:
        return _code_text(value, "", _CODE_BUILDER)
    except RecordError:
        return None


def _cell_text(value) -> str:
    from ..values import format_decimal
    return format_decimal(value) if isinstance(value, Decimal) else str(value)
