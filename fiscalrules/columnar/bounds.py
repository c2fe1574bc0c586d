"""What a streamed Parquet file may decode to, checked before its cells are decoded.

A Parquet file's size on disk bounds nothing: a gigabyte of one repeated text compresses to
kilobytes, and a list of a hundred million table rows to a few run lengths.  Read naively, such
a file would be unpacked whole within one batch of records and exhaust memory.  This module owns
the caps (:data:`~fiscalrules.inputs.bounded.MAX_TABLE_ROWS_PER_RECORD`,
:data:`~fiscalrules.inputs.bounded.MAX_DECODED_RECORD_BYTES`) and where they are applied:

* **Before a row group is read**, from its metadata alone (:func:`row_group_batch`): the table
  rows its list columns hold at the least (their level entries, less one per record for a record
  without rows) and the bytes its pages unpack to, each against the cap per record times its
  records.  A row group of a few records that unpacks to millions of rows or gigabytes is refused
  without a page read.  The same figures choose how many records are read at a time.
* **Before a batch's texts are expanded** (:func:`counted_slices`): text columns are read as
  dictionaries (each distinct text once, as Parquet stores them), so a batch in memory is its
  indices, not its texts.  Each record's table rows (from the list offsets) and decoded bytes
  (each text's length looked up by its index) are counted; a record over either cap is refused,
  naming it.  The engine reads the texts as they come, coded (:mod:`.reading` reads each
  distinct text once), and the batch is handed on in slices whose texts would expand to at most
  :data:`SLICE_BYTES`, so that no chunk would expand to more.

A refusal is a :class:`~fiscalrules.errors.RecordError` naming the file and the row group or the
record: the command line reports it (exit 2) and goes on with its other inputs.
"""

from __future__ import annotations

import numpy as np

from ..errors import Location, RecordError
from ..inputs.bounded import MAX_DECODED_RECORD_BYTES, MAX_TABLE_ROWS_PER_RECORD, describe_size

__all__ = ["text_leaves", "row_group_batch", "counted_slices", "SLICE_BYTES"]

#: The most a slice of a batch would decode to with its texts expanded (and the most a batch is
#: planned to decode to, from the row group's metadata).
SLICE_BYTES = 1 << 28
_BATCH_ROWS = 1 << 21    # table rows a batch is planned to hold, from the row group's metadata


def text_leaves(metadata) -> list:
    """The paths of the text (byte array) columns of a Parquet file, to be read as dictionaries."""
    schema = metadata.schema
    return [schema.column(j).path for j in range(len(schema)) if schema.column(j).physical_type == "BYTE_ARRAY"]


def _refuse(name: str, where: str, what: str) -> RecordError:
    return RecordError(f"{where} {what}", "", Location(name))


def row_group_batch(metadata, group: int, first: int, name: str, most: int) -> int:
    """How many records of row group *group* (its first record the file's *first*, from 0) to
    read at a time, at most *most*; refuses the row group, from its metadata alone, when its records must hold
    more table rows or unpack to more bytes than the caps allow each of them."""
    row_group = metadata.row_group(group)
    records = row_group.num_rows
    if records <= 0:
        return 1
    schema = metadata.schema
    entries: dict = {}          # list column → its most level entries (one per row, or per empty record)
    unpacked = 0
    for j in range(row_group.num_columns):
        column = row_group.column(j)
        unpacked += column.total_uncompressed_size
        if schema.column(j).max_repetition_level == 1:   # a cell of a table row (not of a deeper list)
            top = schema.column(j).path.split(".")[0]
            entries[top] = max(entries.get(top, 0), column.num_values)
    at_least = sum(max(0, n - records) for n in entries.values())
    place = f"row group {group + 1} (records {first + 1:,}-{first + records:,})"
    if at_least > MAX_TABLE_ROWS_PER_RECORD * records:
        raise _refuse(name, place, f"holds at least {at_least:,} table rows for {records:,} record(s): more than "
                                   f"{MAX_TABLE_ROWS_PER_RECORD:,} a record may have")
    if unpacked > MAX_DECODED_RECORD_BYTES * records:
        raise _refuse(name, place, f"unpacks to {describe_size(unpacked)} for {records:,} record(s): more than "
                                   f"{describe_size(MAX_DECODED_RECORD_BYTES)} a record may decode to")
    rows = sum(entries.values()) / records
    return int(max(1, min(most, _BATCH_ROWS // max(rows, 1), SLICE_BYTES // max(unpacked / records, 1))))


def counted_slices(batch, first: int, name: str) -> list:
    """``(record batch, its decoded bytes, its table rows)`` for slices of *batch* (texts as
    dictionaries) that would each decode to at most about :data:`SLICE_BYTES`; refuses the first
    record (numbered from the file's *first*) holding more table rows or decoding to more bytes
    than the caps allow."""
    n = batch.num_rows
    rows = np.zeros(n, dtype=np.int64)
    for column in batch.columns:
        if _is_list(column.type):
            rows += _list_lengths(column)
    _refuse_first_over(rows, MAX_TABLE_ROWS_PER_RECORD, first, name,
                       lambda count: f"has {count:,} table rows: more than {MAX_TABLE_ROWS_PER_RECORD:,} a record may have")
    # First a bound on the whole batch from its buffers and the longest text of each dictionary
    # (a few operations per column): ordinary batches are far within both caps, and only a batch
    # that might not be is counted record by record.
    bound = sum(_bytes_at_most(column) for column in batch.columns)
    if bound <= min(MAX_DECODED_RECORD_BYTES, SLICE_BYTES):
        return [(batch, bound, int(rows.sum()))]
    sizes = np.zeros(n, dtype=np.int64)
    for column in batch.columns:
        sizes += _element_bytes(column)
    _refuse_first_over(sizes, MAX_DECODED_RECORD_BYTES, first, name,
                       lambda size: f"decodes to {describe_size(size)}: more than "
                                    f"{describe_size(MAX_DECODED_RECORD_BYTES)} a record may")
    ends = np.cumsum(sizes)
    if not n or ends[-1] <= SLICE_BYTES:
        bounds = [0, n]
    else:   # the records whose texts fit in one slice (at least one: each is within its own cap)
        bounds = [0]
        while bounds[-1] < n:
            start = bounds[-1]
            reach = (ends[start - 1] if start else 0) + SLICE_BYTES
            bounds.append(max(start + 1, int(np.searchsorted(ends, reach, "right"))))
    rows_before = np.concatenate([[0], np.cumsum(rows)])
    slices = []
    for start, stop in zip(bounds, bounds[1:]):
        part = batch if stop - start == n else batch.slice(start, stop - start)
        decoded = int(ends[stop - 1] - (ends[start - 1] if start else 0))
        slices.append((part, decoded, int(rows_before[stop] - rows_before[start])))
    return slices


def _refuse_first_over(per_record: np.ndarray, cap: int, first: int, name: str, says) -> None:
    """Refuse the first record (numbered from the file's *first*) whose count is over *cap*,
    *says* wording its count."""
    over = np.flatnonzero(per_record > cap)
    if over.size:
        i = int(over[0])
        raise _refuse(name, f"record {first + i + 1:,}", says(int(per_record[i])))


def _is_bytes(kind) -> bool:
    """Texts or binary values, with 32- or 64-bit offsets."""
    import pyarrow as pa
    return pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind) \
        or pa.types.is_large_binary(kind)


def _is_list(kind) -> bool:
    import pyarrow as pa
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def _list_lengths(array) -> np.ndarray:
    """Each list's length, from the offsets buffer (a null list's is 0)."""
    return np.diff(_offsets(array))


def _offsets(array) -> np.ndarray:
    """A list or string array's offsets (its own slice of them), int64, straight from the buffer."""
    import pyarrow as pa
    if not len(array):
        return np.zeros(1, dtype=np.int64)
    wide = pa.types.is_large_list(array.type) or pa.types.is_large_string(array.type) or \
        pa.types.is_large_binary(array.type)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if wide else np.int32, count=array.offset + len(array) + 1)
    return offsets[array.offset:].astype(np.int64)


def _bytes_at_most(array) -> int:
    """A bound on what *array* takes decoded to plain columns, texts expanded: its buffers, each
    index into a dictionary counted as the dictionary's longest text."""
    import pyarrow as pa
    kind = array.type
    if isinstance(kind, pa.ExtensionType):
        return _bytes_at_most(array.storage)
    if pa.types.is_dictionary(kind):
        texts = array.dictionary
        if _is_bytes(texts.type):
            longest = int(np.diff(_offsets(texts)).max()) if len(texts) else 0
        else:
            longest = -(-texts.get_total_buffer_size() // max(len(texts), 1))   # (any other dictionary: its share)
        return len(array) * (longest + 8)
    if pa.types.is_struct(kind):
        return len(array) + sum(_bytes_at_most(array.field(i)) for i in range(kind.num_fields))
    if _is_list(kind):
        return 8 * (len(array) + 1) + _bytes_at_most(array.values)
    return array.get_total_buffer_size()


def _element_bytes(array) -> np.ndarray:
    """What each element of *array* takes once decoded to plain columns (texts expanded), in
    bytes, from its buffers and offsets: no text is expanded to count it."""
    import pyarrow as pa
    kind = array.type
    n = len(array)
    if isinstance(kind, pa.ExtensionType):
        return _element_bytes(array.storage)
    if pa.types.is_dictionary(kind):
        values = _element_bytes(array.dictionary)
        if not len(values):
            return np.zeros(n, dtype=np.int64)
        sizes = values[array.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)]
        if array.null_count:
            sizes[~array.is_valid().to_numpy(zero_copy_only=False)] = 0
        return sizes
    if _is_bytes(kind):
        import pyarrow.compute as pc
        width = 8 if pa.types.is_large_string(kind) or pa.types.is_large_binary(kind) else 4
        return pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64) + width
    if pa.types.is_struct(kind):
        total = np.ones(n, dtype=np.int64)    # (its validity)
        for child in array.flatten():
            total += _element_bytes(child)
        return total
    if _is_list(kind):
        child = _element_bytes(array.values)
        ends = np.concatenate([[0], np.cumsum(child)])
        offsets = _offsets(array)
        return ends[offsets[1:]] - ends[offsets[:-1]] + (8 if pa.types.is_large_list(kind) else 4)
    try:
        width = max(kind.bit_width // 8, 1)
    except ValueError:   # another nested kind (a map, a union): its buffers shared out evenly
        width = -(-array.get_total_buffer_size() // max(n, 1))
    return np.full(n, width, dtype=np.int64)
