"""What a columnar run reads: the records given (an Arrow table, a pandas DataFrame, a DuckDB
relation, or :func:`~.flatten.flatten_records`' frames) as one record frame and a long frame per
table field, and each chunk of them cut as :class:`~.batch.Batch` reads it -- with what is done
once per run rather than per chunk (texts coded, one code book, table rows matched to records).
:mod:`.engine` runs the rules over the chunks this gives; :mod:`.parallel` makes one per worker.
"""

from __future__ import annotations

import numpy as np
from ..errors import Location, RecordError
from ..frames import ID_COLUMNS, RECORD_KEY, ROW_KEY, column_roles, frame_kind, record_name, refuse_duplicate_keys
from .needs import wanted
from .reading import coded_repeated

__all__ = ["to_arrow"]

#: Code texts a run's code book keeps before the next chunk starts a new one (ids need only agree
#: within a chunk; a book shared by the chunks works out each code's level and prefixes once).
_BOOK_TEXTS = 1 << 18


def to_arrow(data, name: str = "table", floats: str = "refuse", refused: dict | None = None):
    """A pyarrow Table for a frame: Arrow as it is, pandas and DuckDB converted, a mapping of
    column → values built.  pandas object columns mixing numbers and text become text -- but a
    binary float among them only where *floats* is ``"printed"`` (its shortest printed text, as
    the per-record engine reads it then); else it is refused here, naming its column and row,
    rather than read as the text it never was printed as.  With *refused* (a dict), such a cell
    (or bytes among texts) is null and *refused* gets row → the error that makes that record
    unreadable, as ``evaluate_many`` reads it (review 17 B11: the whole frame was refused)."""
    import pyarrow as pa
    kind = frame_kind(data)
    if kind == "arrow":
        # (a struct with two children of one name; the record frame's place is "DataFrame", as column_roles')
        refuse_duplicate_keys(data.schema, "DataFrame" if name == "table" else name)
        return data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
    if kind == "duckdb":
        table = data.to_arrow_table() if hasattr(data, "to_arrow_table") else data.arrow()
        return table if isinstance(table, pa.Table) else table.read_all()
    if kind == "pandas":
        arrays = []
        for i in range(data.shape[1]):
            series = data.iloc[:, i]
            try:
                array = pa.array(series, from_pandas=True)
                if refused is None or not pa.types.is_binary(array.type) or \
                        all(isinstance(v, bytes) or v is None for v in series.tolist()):
                    arrays.append(array)
                    continue
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError,
                    OverflowError):
                # (texts among numbers; Decimal("Infinity") among Decimals, complex numbers: Arrow's
                # TypeError and NotImplementedError refused the whole frame -- review 23 R4)
                pass
            values = series.tolist()   # (texts among other values: read cell by cell)
            if str(data.columns[i]) in ID_COLUMNS:   # records' names, not figures: as evaluate_many names them
                arrays.append(pa.array([record_name(v) for v in values], type=pa.string()))
                continue
            if refused is not None:
                values = _cells_read(str(data.columns[i]), values, floats, refused)
            elif floats != "printed":
                _refuse_floats(str(data.columns[i]), values)
            arrays.append(pa.array([_as_text(v) for v in values], type=pa.string()))
        return pa.table(arrays, names=[str(c) for c in data.columns])
    if isinstance(data, dict):
        columns = {}
        for key, values in data.items():
            values = list(values)
            try:
                columns[str(key)] = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError):   # (text and binary floats, say)
                raise _mixed(str(key), values, name) from None
        return pa.table(columns)
    raise RecordError(f"cannot read a {type(data).__name__} as a table (expected an Arrow table, a pandas "
                      "DataFrame or a DuckDB relation)", "", Location(name))


def _mixed(column: str, values: list, name: str) -> RecordError:
    """A column of a mapping whose values are not of one kind, named with the first that differs."""
    kinds = [(i, type(v).__name__) for i, v in enumerate(values, 1) if v is not None]
    row, kind = next(((i, k) for i, k in kinds if k != kinds[0][1]), kinds[-1])
    return RecordError(f"column {column!r} mixes values of type {kinds[0][1]} and {kind} (row {row}: "
                       f"{values[row - 1]!r}): give its amounts all as text or Decimal", "", Location(name))


def _refuse_floats(column: str, values: list) -> None:
    """A binary float in a column of texts has lost the decimals printed: refused as the
    per-record engine refuses it (review 16: it was read as its text and passed)."""
    from ..frames import exact_value
    for row, value in enumerate(values, 1):
        if isinstance(value, float):
            exact_value(value, "refuse", f"column {column!r} row {row}")


def _cells_read(column: str, values: list, floats: str, refused: dict) -> list:
    """*values* with each cell ``exact_value`` refuses null, its row's error in *refused* (the
    first column's, as a record is read column by column)."""
    from ..frames import exact_value
    out = []
    for row, value in enumerate(values):
        if not isinstance(value, str) and not (isinstance(value, float) and floats == "printed"):
            try:   # (as evaluate_many reads it: a Decimal NaN is a missing figure, not the text "NaN")
                value = exact_value(value, floats, f"column {column!r} row {row + 1}")
            except RecordError as exc:
                refused.setdefault(row, exc)
                value = None
        out.append(value)
    return out


def _as_text(value):
    from decimal import Decimal
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def take_rows(table, rows: np.ndarray):
    """``table.take(rows)`` (*rows* ascending) taken within each of the table's chunks: a Parquet
    chunk is ~128 batches, each text column with its own dictionary, and a take over the whole
    table unifies them all -- 1.5 CPU-s for 131,072 unique ids, once per block of failing records
    (review 17 B3: quadratic); within a batch it costs what the rows taken cost."""
    import pyarrow as pa
    batches = table.to_batches()
    if len(batches) <= 1 or not len(rows):
        return table.take(pa.array(rows, pa.int64()))
    starts = np.cumsum([0] + [batch.num_rows for batch in batches])
    bounds = np.searchsorted(rows, starts)        # rows[bounds[k]:bounds[k+1]] lie in batch k
    parts = [batch.take(pa.array(rows[lo:hi] - start, pa.int64()))
             for batch, start, lo, hi in zip(batches, starts, bounds, bounds[1:]) if hi > lo]
    return pa.Table.from_batches(parts, schema=table.schema)


class _Source:
    """The records being evaluated: the record frame, its long frames, and -- when they were
    flattened from records -- the records themselves."""

    def __init__(self, ruleset, data, tables, floats: str):
        from .flatten import FlatRecords
        from .tables import long_frames
        checked = ruleset.checked
        self.originals = None
        self.irregular = None
        self.refused: dict = {}     # row → the error of a cell the frame cannot hold (to_arrow)
        if isinstance(data, FlatRecords):
            self.table = data.records
            self.originals = data.originals
            self.irregular = data.irregular
            long = data.long_frames(checked.fields)
        else:
            self.table = to_arrow(data, floats=floats, refused=self.refused)
            from .nested import unread_rows
            # (a CSV row of too many or too few cells: a row of nulls, unreadable -- review 23 R7)
            self.refused.update((row, RecordError(error)) for row, error in unread_rows(self.table).items())
            long = {}
            # A table field given as a column of lists of structs (each record's rows, as
            # ``check`` reads a nested Parquet file): its rows read as the table, not the list
            # taken for a row count.
            from .nested import nested_frames
            nested = nested_frames(self.table, checked.fields, checked.labels)
            if nested is not self.table:
                self.table = nested.records
                long = nested.long_frames(checked.fields)
        names = list(self.table.column_names)
        roles = column_roles(names, checked.fields, checked.labels)
        self.presence = {path: name for name, (path, part) in roles.items()
                         if part is None and getattr(checked.fields.get(path), "kind", None) == "table"}
        self.roles = {name: role for name, role in roles.items() if name not in self.presence.values()}
        self.id_column = next((name for name in names if name in ID_COLUMNS), None)
        n = self.table.num_rows
        ids = self.table.column(self.id_column) if self.id_column is not None else None
        given_frames, odd_frames = {}, {}
        for given, frame in (tables or {}).items():
            path = given if given in checked.fields else checked.labels.get(given, given)
            decl = checked.fields.get(path)
            if decl is None or decl.kind != "table":
                raise RecordError(f"{given} is not a table field of ruleset {ruleset.name}", "", Location(given))
            odd: dict = {}
            given_frames[path] = (to_arrow(frame, name=path, floats=floats, refused=odd), decl)
            if odd:
                odd_frames[given] = frame
        if odd_frames:   # a table row's odd cell: its record unreadable, named as evaluate_many names it
            from ..frames import table_row_errors
            self.refused.update(table_row_errors(odd_frames, checked.fields, checked.labels,
                                                 ids.to_pylist() if ids is not None else None, n, floats))
        if self.refused and self.irregular is None:   # read per record, where they are unreadable (engine._records)
            self.irregular = np.zeros(n, dtype=bool)
            self.irregular[list(self.refused)] = True
        long.update(long_frames(given_frames, ids, n, self._row_hints))
        self.long = long
        self.floats = floats
        self.coded = self.table         # the record frame chunks are read from (code_texts)

    def code_texts(self) -> None:
        """Dictionary-encode the text columns whose cells repeat, once for the run (the chunks then
        read slices of one coding, not each its own); the frames as given stay for the records
        findings are made from."""
        self.coded = coded_repeated(self.table, self.roles)
        for frame in self.long.values():
            frame.code_texts()

    def _row_hints(self, given: dict) -> dict:
        """path → the records the record frame says have rows of table *path* (its column of row
        counts: a guess :func:`.tables.record_numbers_together` checks, never trusts), for the
        tables *given* (by path) whose rows do not name records in order."""
        import pyarrow as pa
        import pyarrow.compute as pc
        hints = {}
        for path in given:
            name = self.presence.get(path)
            if name is None or not pa.types.is_integer(self.table.column(name).type):
                continue
            has = pc.greater(self.table.column(name), 0).fill_null(False)
            hints[path] = np.flatnonzero(has.to_numpy(zero_copy_only=False))
        return hints

    def slice_frames(self, start: int, stop: int, wants: tuple | None = None):
        """(record frame rows start…stop-1, their tables as long frames naming records by number).
        With *wants* (:func:`.needs.block_wants`: which of these records need each table and column),
        a table holds only the rows of the records needing it and is absent from the others, and
        a column is empty (or left out) where no record needs it."""
        parts = {}
        for path, long in self.long.items():
            want = wanted(wants, ("table", path))
            if want is False:
                continue
            rows, rec, pos = long.rows_of(start, stop)
            if want is not True:
                keep = want[rec]
                rows, rec, pos = rows.filter(keep), rec[keep], pos[keep]
            parts[path] = (rows, rec, pos)
        return self._framed(self.table.slice(start, stop - start), parts, wants)

    def take_frames(self, rows: list, wants: tuple | None = None):
        """:meth:`slice_frames` for the records *rows* (ascending), wherever they are."""
        block = np.asarray(rows, dtype=np.int64)
        tables = {}
        for path, long in self.long.items():
            want = wanted(wants, ("table", path))
            if want is False:
                continue
            local = np.arange(len(block), dtype=np.int64) if want is True else np.flatnonzero(want)
            chosen = block[local]
            lo, hi = np.searchsorted(long.rec, chosen), np.searchsorted(long.rec, chosen, side="right")
            counts = hi - lo
            # each record's rows lo…hi-1, one after the other
            at = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts) + \
                np.repeat(lo, counts)
            tables[path] = (take_rows(long.table, at), np.repeat(local, counts), long.pos[at])
        return self._framed(take_rows(self.table, block), tables, wants)

    def _framed(self, chunk, parts: dict, wants: tuple | None = None):
        import pyarrow as pa
        if wants is not None:   # a table left out of a record is absent there, not present without rows
            import pyarrow.compute as pc
            # Every column may go: frame_records counts the records of a frame without columns.
            # The frame is made once from its columns: dropping or replacing them one at a time
            # made a new table each time, quadratic in the columns (review 23 R5: a one-row CSV
            # file of 16,000 columns took 42 s).
            names, columns = chunk.column_names, chunk.columns
            at = {name: i for i, name in enumerate(names)}
            dropped, changed = set(), False
            for name in wants[1]:
                want = wanted(wants, ("column", name))
                if want is False:
                    dropped.add(name)
                elif want is not True:
                    column = columns[at[name]]
                    columns[at[name]] = pc.if_else(pa.array(want), column, pa.scalar(None, column.type))
                    changed = True
            if dropped or changed:
                kept = [i for i, name in enumerate(names) if name not in dropped]
                schema = pa.schema([chunk.schema.field(i) for i in kept], metadata=chunk.schema.metadata)
                chunk = pa.Table.from_arrays([columns[i] for i in kept], schema=schema) if kept else chunk.select([])
        tables = {}
        for path, (rows, rec, pos) in parts.items():
            keep = [name for name in rows.column_names if name not in (RECORD_KEY, ROW_KEY) and name not in ID_COLUMNS]
            local = rows.select(keep)
            tables[path] = local.append_column(RECORD_KEY, pa.array(rec, pa.int64())).append_column(
                ROW_KEY, pa.array(pos, pa.int64()))
        if self.id_column is not None and tables:  # rows name their record by number here
            chunk = chunk.drop_columns([self.id_column])
        return chunk, tables
