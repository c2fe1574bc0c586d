"""Table files (Parquet, CSV) read in chunks of records, a Parquet table field's rows nested in its record.

``fiscalrules check RULES -r records.parquet`` takes one record per row.  Flat figures are
columns named by field path or label (as for every frame, :mod:`fiscalrules.frames`); a table
field is one column of the same name holding a *list of structs* -- the record's rows in order,
each struct's fields the table's columns by name or label, metadata beside them
(``amount.change``) -- the form a database or ``pyarrow`` gives an extracted record with its
tables.  A null list is a record without that table; an empty list one with no rows.

:func:`table_chunks` reads such a file a few thousand records at a time (Parquet row groups read
in batches, never the whole file: a million extracted records with their ~100 table rows each are
gigabytes), and :func:`nested_frames` turns each chunk into the frames the engine reads -- the
record frame and one long frame per table field, rows numbered by record -- without a copy of the
cells.  CSV cannot nest: a CSV file is flat columns, read whole (it is bounded by the record file
limit) and handed on in the same chunks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import numpy as np

from ..errors import Location, RecordError

__all__ = ["CHUNK_TABLE_ROWS", "CHUNK_RECORDS", "table_chunks", "nested_frames", "to_nested", "is_nested",
           "with_unread_rows", "unread_rows", "unmarked"]

#: A chunk holds at most this many records, and stops growing once its tables hold
#: CHUNK_TABLE_ROWS rows: the engine's working memory is ~200 bytes per table row, the chunk's
#: cells (as text) about as much again.
CHUNK_RECORDS = 1 << 17
CHUNK_TABLE_ROWS = 1_500_000
CHUNK_BYTES = 1 << 28    # ... and once its cells (texts expanded) take this many bytes
_BATCH = 1024   # records read from a Parquet file at a time, before they are gathered into a chunk


def is_nested(column_type) -> bool:
    """A list of structs: one record's table rows."""
    import pyarrow as pa
    return (pa.types.is_list(column_type) or pa.types.is_large_list(column_type)) and \
        pa.types.is_struct(column_type.value_type)


def table_chunks(path: str, read_whole) -> Iterator[tuple]:
    """``(Arrow table, number of its first record in the file)`` for each chunk of *path*'s
    records.  Parquet is streamed; other formats are read by *read_whole* (the bounded reader)
    and cut into chunks."""
    name = str(path)
    if not name.lower().endswith(".parquet"):
        table = read_whole(name)
        unread = unread_rows(table)
        for start in range(0, max(table.num_rows, 1), CHUNK_RECORDS):
            chunk = table.slice(start, CHUNK_RECORDS)
            if unread:   # (each chunk's rows numbered from its own start)
                chunk = with_unread_rows(chunk, {row - start: error for row, error in unread.items()
                                                 if start <= row < start + chunk.num_rows}, put=False)
            yield chunk, start
        return
    for chunk, start in _parquet_chunks(name):
        yield unmarked(chunk), start


#: The schema metadata key under which a table read from a file carries the rows it holds only
#: as nulls, the file's row could not be read (a CSV row of too many or too few cells): JSON
#: ``{row: its error}``, rows numbered from the table's first.
UNREAD_ROWS = b"fiscalrules.unread_rows"


def with_unread_rows(table, unread: dict, put: bool = True):
    """*table* with the rows *unread* (row → the English error that makes it unreadable)
    marked so (:data:`UNREAD_ROWS`): the engine reports each as a record it could not read, its
    place kept.  With *put*, a row of nulls is put in at each of those places (*table* holds the
    other rows, in order); else *table* already has them."""
    import json

    import pyarrow as pa
    if put:
        total = table.num_rows + len(unread)
        taken = np.ones(total, dtype=bool)
        taken[list(unread)] = False
        index = np.full(total, -1, dtype=np.int64)
        index[taken] = np.arange(table.num_rows, dtype=np.int64)
        table = table.take(pa.array(index, mask=~taken))   # (a null index: a row of nulls)
    metadata = {key: value for key, value in (table.schema.metadata or {}).items() if key != UNREAD_ROWS}
    if unread:
        metadata[UNREAD_ROWS] = json.dumps({str(row): error for row, error in unread.items()}).encode()
    return table.replace_schema_metadata(metadata or None)


def unmarked(table):
    """*table* without a :data:`UNREAD_ROWS` mark: a Parquet file's own metadata says nothing of
    which of its rows could be read."""
    if UNREAD_ROWS in (table.schema.metadata or {}):
        return with_unread_rows(table, {}, put=False)
    return table


def unread_rows(table) -> dict:
    """row → error of the rows of *table* marked by :func:`with_unread_rows` (none: {})."""
    import json
    schema = getattr(table, "schema", None)
    raw = (getattr(schema, "metadata", None) or {}).get(UNREAD_ROWS)
    if not raw:
        return {}
    try:   # (a table from elsewhere may carry anything under the key: only a well-formed mark counts)
        marks = json.loads(raw)
        unread = {int(row): error for row, error in marks.items() if isinstance(error, str)}
    except (ValueError, TypeError, AttributeError):
        return {}
    return {row: error for row, error in unread.items() if 0 <= row < table.num_rows}


def _parquet_chunks(name: str) -> Iterator[tuple]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .bounds import counted_slices, row_group_batch, text_leaves
    try:
        # Not a FIFO or a device: pyarrow would wait on them or read without end (the bounded
        # reader's refusal, for a file that is streamed rather than read whole).
        if not stat.S_ISREG(os.stat(name).st_mode):
            raise RecordError("not a regular file", "", Location(name))
        metadata = pq.read_metadata(name)
        from ..report_frames import holds_findings
        if holds_findings(metadata.schema.to_arrow_schema().names):   # (a --format parquet report)
            raise RecordError(f"{name} is a report fiscalrules wrote, not a table of records", "", Location(name))
        # pre_buffer off: with it, pyarrow 26 keeps every batch's buffered ranges until the file
        # is closed -- memory grew by ~700 bytes per record read, 2 GB over a million records.
        # Texts read as dictionaries: a batch is counted (.bounds) before a text is expanded, and
        # the engine reads each distinct text of a column once.
        handle = pq.ParquetFile(name, memory_map=False, pre_buffer=False, metadata=metadata,
                                read_dictionary=text_leaves(metadata))
    except OSError as exc:
        raise RecordError(f"cannot read table: {exc.strerror or exc}", "", Location(name)) from None
    except (pa.ArrowInvalid, ValueError) as exc:
        raise RecordError(f"cannot read table: {exc}", "", Location(name)) from None
    pending: list = []
    records = rows = decoded = first = read = 0
    failure = None
    try:
        for group in range(metadata.num_row_groups):
            size = row_group_batch(metadata, group, read, name, _BATCH)   # refuses a row group too big to read
            for batch in handle.iter_batches(batch_size=size, row_groups=[group]):
                # (refuses a record too big: its texts are never expanded)
                for part, part_bytes, part_rows in counted_slices(batch, read, name):
                    read += part.num_rows
                    pending.append(part)
                    records += part.num_rows
                    rows += part_rows
                    decoded += part_bytes
                    if records >= CHUNK_RECORDS or rows >= CHUNK_TABLE_ROWS or decoded >= CHUNK_BYTES:
                        yield pa.Table.from_batches(pending), first
                        first += records
                        pending, records, rows, decoded = [], 0, 0, 0
    except (OSError, pa.ArrowInvalid) as exc:
        place = f" (records {read + 1:,} on)" if read else ""
        failure = RecordError(f"cannot read table{place}: {exc}", "", Location(name))
    except RecordError as exc:    # a row group or a record refused (.bounds)
        failure = exc
    if failure is not None:
        # The records read before it are checked first, then the error reported: they were
        # dropped unsaid (review 17 B4), the message naming only what could not be read.
        if pending:
            yield pa.Table.from_batches(pending), first
        raise failure
    if pending or first == 0:
        yield (pa.Table.from_batches(pending, schema=handle.schema_arrow) if pending
               else handle.schema_arrow.empty_table()), first


def nested_frames(table, fields, labels):
    """The frames of a chunk: *table* itself when it has no list column of a declared table
    field, else a :class:`~.flatten.FlatRecords` whose record frame keeps the flat columns (and,
    for each table, a column of its rows' number, null where the record has no table) and whose
    long frames are the lists' rows, numbered by record and position."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .flatten import FlatRecords
    lists = {}
    for name in table.column_names:
        path = name if name in fields else labels.get(name, name)
        decl = fields.get(path)
        if decl is not None and decl.kind == "table" and is_nested(table.schema.field(name).type):
            lists[name] = path
    if not lists:
        return table
    records = table.drop_columns(list(lists))
    tables, numbers = {}, {}
    for name, path in lists.items():
        column = table.column(name).combine_chunks()
        lengths = pc.list_value_length(column)            # null: the record has no such table
        records = records.append_column(name, lengths)
        rows = pc.list_flatten(column)
        rec = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
        starts = column.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
        pos = np.arange(len(rec), dtype=np.int64) + starts[0] - starts[rec] + 1
        # flatten() merges the struct's validity into each field: a null row has every cell null
        tables[path] = pa.Table.from_arrays(rows.flatten(), names=[f.name for f in rows.type])
        numbers[path] = (rec, pos)
    return FlatRecords(records, tables, numbers, None, None)


NO_CELLS = "_no_cells"


def to_nested(flat):
    """The Arrow table :func:`nested_frames` reads, from a :class:`~.flatten.FlatRecords`: the
    record frame's columns, each table field's column its rows as a list of structs (null where
    the record has no such table) -- how records with their tables are written to one Parquet file.

    Records the flattening could not lay out in typed columns (``flat.irregular``: a flag beside
    text in one column, a figure where other records hold a table) are refused, naming them: their
    odd values have no place in such a file, and written without them they would read as missing.
    ``evaluate_table(flat)`` evaluates them from the records themselves."""
    import pyarrow as pa
    if flat.irregular is not None and flat.irregular.any():
        names = flat.records.column("_meta.id").to_pylist()
        odd = [names[i] for i in np.flatnonzero(flat.irregular)]
        shown = ", ".join(odd[:5]) + (", …" if len(odd) > 5 else "")
        raise RecordError(f"{len(odd)} record(s) ({shown}) hold values of another kind than the rest of their column "
                          "(a flag beside text, a figure beside a table): a nested table cannot hold them "
                          "as they are; evaluate them with evaluate_table(flat) or evaluate_many")
    columns = {name: flat.records.column(name) for name in flat.records.column_names if name not in flat.tables}
    n = flat.records.num_rows
    for path, table in flat.tables.items():
        rec, pos = flat._numbers[path]
        order = np.lexsort((pos, rec))
        rows = table.take(order).drop_columns([c for c in ("_record", "_row") if c in table.column_names])
        cells = pa.StructArray.from_arrays([rows.column(c).combine_chunks() for c in rows.column_names],
                                           names=rows.column_names) if rows.num_columns else None
        offsets = np.concatenate([[0], np.cumsum(np.bincount(rec, minlength=n))]).astype(np.int32)
        absent = ~flat.records.column(path).is_valid().to_numpy(zero_copy_only=False) \
            if path in flat.records.column_names else np.zeros(n, dtype=bool)
        if cells is None:
            # Rows with no cell (a table's rows whose every figure is absent) keep their count:
            # Parquet cannot write a struct with no field, so one all-null field stands in,
            # named as no table column can be (read back, it is a column no rule reads).
            cells = pa.StructArray.from_arrays([pa.nulls(len(rec))], names=[NO_CELLS])
        columns[path] = pa.ListArray.from_arrays(pa.array(offsets), cells, mask=pa.array(absent))
    return pa.table(columns)
