"""One chunk of a frame read exactly: figures into scaled integers with their rounding intervals
(:class:`~.columns.Num`), texts and flags into dictionary-coded vectors.

A :class:`Frame` is a chunk of one Arrow table whose columns are known by a *key* and a *part*:
the record frame's keys are field paths, a long frame's (one row per table row) are column names;
the part is None for the value and ``unit``, ``precision``, ``change`` or ``pct`` for a figure's
metadata (column ``income.total.change``).  A text column of amounts is validated by one pass
over its bytes that writes only the rows of its cells that are not plain amounts
(:func:`.rowloops.plain_verdict`: those are read by the loader), a coded one by its distinct texts;
everything else cell by cell, once per distinct value, with the record loader's own rules -- so a
cell the loader would refuse marks its row (``Frame.bad``) exactly as the per-record path reports
that record.  Text cells are read by :mod:`.cells`; a column's scaled integers are
:mod:`.integers`', a figure's units and rounding intervals :mod:`.figures`'.  A chunk of a run takes
the run's validation of its rows (each column validated once per run, sliced) and reads the
figures, texts and flags its rules ask for over its own rows.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..values import format_decimal
from .cells import _as_text, _Cells, _combined, _indices, _is_coded, _is_text, _plain_mask, _refused, _validity
from .columns import Num, Text, Unsupported, _any
from .figures import read_num
from .integers import ColumnIntegers
from .scaled import max_abs

__all__ = ["Frame"]

#: Cells sampled from the start of a text column to judge whether its texts repeat, and the
#: fewest given cells worth judging (:func:`_code_if_repeated`).
_SAMPLE = 512
_SAMPLE_MIN = 64
# A run's bound bounds each of its parts too, but one huge figure anywhere in the run would then
# send every chunk's arithmetic past 64 bits to the per-record engine, not only the chunk holding
# it (review 18 A-C1).  Above this bound a slice's own is worth its min/max pass; below it no
# rule's arithmetic comes near the limit that the slice's own bound could avoid.
OWN_BOUND_FROM = 1 << 40


class Frame(ColumnIntegers):
    """The columns of a chunk of rows (an Arrow table), read on first use and kept for its rules.

    *roles* maps each column name to ``(key, part)``; *decls* gives a key's declaration (a
    field's or a table column's), used to check metadata the loader would refuse."""

    def __init__(self, table, settings, roles: dict, floats: str = "refuse", memo: dict | None = None,
                 bad: np.ndarray | None = None, run: tuple | None = None):
        """*bad*: the rows the loader refuses when known: not validated again.  *run*: (the frame
        of the whole run, first row, last row + 1) when this is a part of it -- its rows'
        validity, and what validating them read, are the run frame's (:meth:`_part_of`)."""
        self.table = table
        self.memo = memo     # text cell → its reading, shared by the frames of one evaluation
        self.n = table.num_rows
        self.settings = settings
        self.floats = floats
        self.column_of = {role: name for name, role in roles.items()}
        self._cells: dict = {}
        self._ints: dict = {}
        self._cache: dict = {}
        self._own = None     # (of a run's frame: its columns each part codes for itself, _part_of)
        if run is not None:
            # a slice of the run's table, coded once for the run (its columns' types the run's):
            # as it is -- not looked at again column by column for each part
            self.table = table if table.schema.equals(run[0].table.schema) else coded_repeated(table, roles)
            self._part_of(*run)
            return
        self.table = coded_repeated(table, roles)
        if bad is not None:
            self.bad = bad
            return
        self.bad = np.zeros(self.n, dtype=bool)
        for name, (key, part) in roles.items():
            self._validate(name, key, part)

    def _part_of(self, whole: Frame, lo: int, hi: int) -> None:
        """Rows lo…hi-1 of *whole* (a frame of the same columns, validated): its verdicts and
        what it read to reach them (cells, figures, masks), sliced -- each column judged once for
        a run, and not read again by the rules of each chunk.  The figures, texts and flags its
        rules read are read for its own rows: read once for the whole run and kept until it ends,
        they cost more in fresh memory (page faults) than the chunks' reading they save."""
        self.bad = whole.bad[lo:hi]
        # A coded column's distinct texts are the part's only when the whole is one dictionary
        # (Parquet's batches each bring their own: the part's indices are then into another).
        own = whole._own
        if own is None:   # (once for the run's frame, not per part)
            import pyarrow as pa
            own = whole._own = {name for name in whole.table.column_names if pa.types.is_dictionary(
                whole.table.schema.field(name).type) and whole.table.column(name).num_chunks != 1}
        for name, cells in whole._cells.items():
            if name not in own:
                self._cells[name] = cells.part(lo, hi)
        for name, (units, exps, present, nonnum, bound) in whole._ints.items():
            # (the run's bound bounds these rows too, or their own where it is large -- see
            # OWN_BOUND_FROM; an exponent array may hold one value here)
            part = units[lo:hi]
            if bound >= OWN_BOUND_FROM:
                bound = min(bound, max_abs(part))
            self._ints[name] = (part, exps if isinstance(exps, int) else exps[lo:hi],
                                None if present is None else present[lo:hi],
                                None if nonnum is None else _any(nonnum[lo:hi]), bound)
        for key, found in whole._cache.items():
            kind = key[0]
            if kind in ("plain distinct", "indices") and key[1] in own:
                continue
            if kind == "plain distinct":      # (by distinct text: as it is)
                self._cache[key] = found
            elif kind in ("present", "bad", "indices", "plain"):
                self._cache[key] = found[lo:hi]
            elif kind == "fast":
                self._cache[key] = tuple(part[lo:hi] for part in found)

    # -- what the frame has ------------------------------------------------------------------------
    def has(self, key: str, part: str | None = None) -> bool:
        return (key, part) in self.column_of

    def keys_under(self, prefix: str) -> list:
        """Value columns directly under *prefix* (``prefix.*``), in path order (the per-record
        engine's order of a wildcard's figures, ``Record.under``)."""
        start = prefix + "."
        return sorted(key for key, part in self.column_of if part is None and key.startswith(start)
                      and "." not in key[len(start):])

    def present(self, key: str) -> np.ndarray:
        """Rows whose value cell for *key* holds something (the figure exists in the record)."""
        name = self.column_of.get((key, None))
        if name is None:
            return np.zeros(self.n, dtype=bool)
        found = self._cache.get(("present", name))
        if found is None:
            column = self.table.column(name)
            found = _validity(column) if column.null_count else np.ones(self.n, bool)
            import pyarrow as pa
            if pa.types.is_floating(column.type) and self.n:  # NaN is a missing value too
                values = column.to_numpy(zero_copy_only=False)
                found = found & ~np.isnan(values)
            self._cache[("present", name)] = found
        return found

    # -- validating --------------------------------------------------------------------------------
    def _validate(self, name: str, key: str, part) -> None:
        """Mark rows holding a cell the record loader refuses (they become unreadable records)."""
        import pyarrow as pa
        column = self.table.column(name)
        kind = column.type
        if column.null_count == len(column):
            return
        if part is not None:  # metadata is only read where the figure has a value
            where = self.present(key)
            if not where.any():
                return
            if part == "unit":
                if not _is_text(kind):
                    self.bad |= where & _validity(column) if column.null_count else where
                return
            try:
                units, exps, present, nonnum, _ = self._integers(name)
            except Unsupported:  # beyond 64 bits: judged cell by cell
                cells = self.cells(name)
                self.bad |= where & (cells.bad | (cells.present & ~cells.is_number))
                if part == "precision":   # (as below: a precision must be positive)
                    nonpositive = np.array([type(v) is Decimal and v <= 0 for v in cells.distinct], dtype=bool)
                    self.bad |= where & nonpositive[cells.codes]
                return
            self.bad |= where & self.cells_bad(name)
            if nonnum is not None:
                self.bad |= where & nonnum       # an amount must be a number
            if part == "precision":
                self.bad |= where & (present if present is not None else True) & (units <= 0)
            return
        if _never_refused(kind):
            return
        if pa.types.is_floating(kind) and self.floats != "printed":
            self.bad |= self.present(key)
            return
        if key == "code" and name not in self._cells and _is_text(kind):
            # A table's codes are read cell by cell (by distinct value) for its rows anyway:
            # judged from those cells, no regular expression over every row.
            self._cache[("bad", name)] = self.cells(name).bad
        self.bad |= self.cells_bad(name)

    def cells_bad(self, name: str) -> np.ndarray:
        """Rows whose cell in *name* the loader refuses (strings outside the fast path only)."""
        found = self._cache.get(("bad", name))
        if found is None:
            column = self.table.column(name)
            if _never_refused(column.type):   # (a metadata column of decimals: no cell read)
                found = self._cache[("bad", name)] = np.zeros(self.n, dtype=bool)
                return found
            if _is_coded(column) and _is_text(column.type) and name not in self._cells:
                found = self._coded_bad(name)     # (None when its dictionary is large)
            rows = self._slow_rows(name) if found is None and _is_text(column.type) and not _is_coded(column) else None
            if rows is not None:   # (the cells that are not plain amounts, read by the loader)
                found = np.zeros(self.n, dtype=bool)
                if rows.size:
                    found[rows] = self._slow_cells(name).bad
            elif found is None and _is_text(column.type):
                # Only the plain-number mask: the numbers themselves are read when a rule asks.
                fast = self._plain(name)
                if not fast.any():   # a column of texts: every cell read (by distinct value)
                    found = self.cells(name).bad
                else:
                    found = np.zeros(self.n, dtype=bool)
                    if not fast.all():
                        found[~fast] = self._slow_cells(name).bad
            elif found is None:
                found = self.cells(name).bad
            self._cache[("bad", name)] = found
        return found

    def _coded_bad(self, name: str):
        """:meth:`cells_bad` of a coded text column judged by its distinct texts: a cell per row is
        looked at only when some text is refused (seldom) -- no pass over the rows to find the
        cells that are not plain numbers and which texts they use.  None when the dictionary is
        not small beside the rows (a Parquet column's dictionary serves every chunk: the texts
        this chunk's cells use are then read, not all of them)."""
        column = self._one_array(name)
        texts = column.dictionary
        if 4 * len(texts) > self.n:
            return None
        slow = np.flatnonzero(~self._plain_distinct(name)).tolist()
        refused = np.zeros(len(texts) + 1, dtype=bool)       # (the last: a null cell's index)
        if slow:
            cells = texts.take(slow).to_pylist()
            refused[slow] = [cell is not None and _refused(cell, name, self.memo) for cell in cells]
        if not refused.any():
            return np.zeros(self.n, dtype=bool)
        return refused[self._indices(name)]

    def _plain_distinct(self, name: str) -> np.ndarray:
        """:func:`_plain_mask` of a coded column's distinct texts, made once."""
        found = self._cache.get(("plain distinct", name))
        if found is None:
            found = self._cache[("plain distinct", name)] = _plain_mask(self._one_array(name).dictionary)
        return found

    def _slow_cells(self, name: str) -> _Cells:
        """The cells of a text column that are not plain numbers (:meth:`_plain`, or the rows of
        :meth:`_slow_rows`), read one by one: validating the column and reading its numbers both
        need them."""
        found = self._cache.get(("slow", name))
        if found is None:
            column = self.table.column(name)
            rows = self._cache.get(("slow rows", name))
            if rows is not None:
                found = _Cells(_combined(column.take(rows)), name, self.floats, self.memo)   # (the cells taken: combined)
            elif _is_coded(column):   # only the distinct texts those cells use are read
                codes = self._indices(name)[~self._plain(name)]
                found = _Cells(self._one_array(name), name, self.floats, self.memo, codes, np.unique(codes).tolist())
            else:   # (filter: Arrow's take of a string column is many times dearer)
                found = _Cells(column.filter(~self._plain(name)), name, self.floats, self.memo)
            self._cache[("slow", name)] = found
        return found

    def cells(self, name: str) -> _Cells:
        cells = self._cells.get(name)
        if cells is None:
            column = self.table.column(name)
            codes = self._indices(name) if _is_coded(column) else None
            cells = self._cells[name] = _Cells(column, name, self.floats, self.memo, codes)
        return cells

    def _indices(self, name: str) -> np.ndarray:
        """A coded column's dictionary index per cell (:func:`.cells._indices`), made once."""
        found = self._cache.get(("indices", name))
        if found is None:
            found = self._cache[("indices", name)] = _indices(self._one_array(name))
        return found

    # -- numbers -----------------------------------------------------------------------------------
    def num(self, key: str, decl, part: str | None = None) -> Num:
        """The figure at *key* (or its stated change / percentage) as a vector of quantities, as
        ``Settings.to_quantity`` makes them."""
        cache_key = ("num", key, id(decl), part)
        found = self._cache.get(cache_key)
        if found is None:
            found = self._cache[cache_key] = read_num(self, key, decl, part or "value")
        return found

    # -- texts and flags ---------------------------------------------------------------------------
    def text_column(self, name: str) -> Text:
        """A column's cells as the texts the per-record engine reads (numbers in plain notation,
        flags as ``True``/``False``); rows the loader refuses are missing here (and bad)."""
        found = self._cache.get(("text", name))
        if found is None:
            cells = self.cells(name)
            texts = [_as_text(v) for v in cells.distinct]
            ok = cells.present & ~cells.bad
            found = Text(cells.codes, texts, miss=_any(~ok))
            self._cache[("text", name)] = found
        return found

    def text(self, key: str, default=None) -> Text:
        name = self.column_of.get((key, None))
        if name is None:
            if default is not None:
                return Text(np.zeros(self.n, dtype=np.int64), [format_decimal(default)])
            return Text(np.zeros(self.n, dtype=np.int64), [""], miss=np.ones(self.n, dtype=bool))
        text = self.text_column(name)
        if default is None or text.miss is None:
            return text
        texts = text.texts + [format_decimal(default)]
        return Text(np.where(text.miss, len(texts) - 1, text.codes), texts)

    def flags(self, key: str):
        """(value, present, is-a-flag) arrays of a column: what a flag field or cell reads."""
        cache_key = ("flags", key)
        found = self._cache.get(cache_key)
        if found is not None:
            return found
        import pyarrow as pa
        name = self.column_of.get((key, None))
        n = self.n
        if name is None:
            found = (np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
        elif pa.types.is_boolean(self.table.column(name).type):
            column = self.table.column(name)
            present = _validity(column) if column.null_count else np.ones(n, dtype=bool)
            values = column.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
            found = (values, present, present)
        else:
            cells = self.cells(name)
            truth = np.array([v is True for v in cells.distinct], dtype=bool)
            is_flag = np.array([isinstance(v, bool) for v in cells.distinct], dtype=bool)
            ok = cells.present & ~cells.bad
            found = (truth[cells.codes] & ok, ok, is_flag[cells.codes] & ok)
        self._cache[cache_key] = found
        return found


def coded_repeated(table, names):
    """*table* with its text columns among *names* dictionary-encoded where their cells repeat
    (:func:`_code_if_repeated`): done once for a whole input by the engine, so that its chunks
    are slices of one coding (and again by each :class:`Frame`, which then finds them coded)."""
    coded = {}
    for name in names:
        found = _code_if_repeated(table.column(name))
        if found is not None:
            coded[name] = found
    if not coded:
        return table
    import pyarrow as pa   # one new table (set_column per column copies the column list: quadratic)
    schema = table.schema
    fields = [pa.field(f.name, coded[f.name].type) if f.name in coded else f for f in schema]
    columns = [coded.get(f.name, column) for f, column in zip(schema, table.columns)]
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=schema.metadata))


def _code_if_repeated(column):
    """Text column *column* dictionary-encoded when its cells repeat (else None): then each
    distinct text is judged, and read as a number, once (as for a column coded as Parquet
    hands it over) -- one hash per cell (~8-14 ns by :func:`.rowloops.string_codes`) instead of
    the plain-number expression and Arrow's casts over every cell (~70 and ~95 ns).  Whether
    the cells repeat is judged from the first ``_SAMPLE`` cells: at least half of them repeating
    an earlier one (a column of distinct amounts stays as it is, and pays only the sample's
    hashing)."""
    if len(column) < _SAMPLE_MIN or not _is_text(column.type) or _is_coded(column):
        return None
    sample = column.slice(0, _SAMPLE)
    given = len(sample) - sample.null_count
    import pyarrow as pa
    import pyarrow.compute as pc
    if given < _SAMPLE_MIN or 2 * pc.count_distinct(sample).as_py() > given:
        return None
    from .rowloops import string_codes   # (Arrow's coding, by one C pass where built)
    return pa.chunked_array([string_codes(_combined(column))])


def _never_refused(kind) -> bool:
    """A column type every value of which the record loader reads: integers, flags, and decimals
    within its limits (at most 30 digits, exponents within ±30: ``values.check_magnitude``)."""
    import pyarrow as pa
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return True
    return pa.types.is_decimal(kind) and 0 <= kind.scale <= 30 and kind.precision <= 30
