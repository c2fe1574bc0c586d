"""What a streamed Parquet file may decode to, checked before its cells are decoded.

A Parquet file's size on disk bounds nothing: a gigabyte of one repeated text compresses to
kilobytes, and a list of a hundred million table rows to a few run lengths.  Read naively, such
a file would be unpacked whole within one batch of records and exhaust memory.  This module owns
the caps (:data:`~fiscalrules.inputs.bounded.MAX_TABLE_ROWS_PER_RECORD`,
:data:`~fiscalrules.inputs.bounded.MAX_DECODED_RECORD_BYTES`) and where they are applied:

* **Before a row group is read**, from its metadata and its pages' headers (:func:`row_group_batch`,
  :func:`page_figures`): the table rows its list columns hold at the least (their level entries,
  less one per record for a record without rows) and the bytes its pages unpack to, each against
  the cap per record times its records -- the larger of what the metadata and the page headers
  say, since the reader allocates what a page's header says.  A row group of a few records that
  unpacks to millions of rows or gigabytes is refused without a page decoded.  The same
  figures choose how many records are read at a time.
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
from ..inputs.bounded import MAX_DECODED_RECORD_BYTES, MAX_TABLE_ROWS_PER_RECORD, InputRefused, describe_size, open_regular

__all__ = ["text_leaves", "row_group_batch", "counted_slices", "page_figures", "SLICE_BYTES"]

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
    read at a time, at most *most*; refuses the row group before a page is decoded (from its metadata
    and its pages' headers) when its records must hold more table rows or unpack to more bytes than
    the caps allow each of them."""
    row_group = metadata.row_group(group)
    records = row_group.num_rows
    if records <= 0:
        return 1
    schema = metadata.schema
    place = f"row group {group + 1} (records {first + 1:,}-{first + records:,})"
    try:    # what the pages' own headers say they hold (the metadata may understate it)
        paged, paged_values = page_figures(name, row_group)
    except (OSError, ValueError) as exc:
        raise _refuse(name, place, f"cannot be read: {exc}") from None
    except InputRefused as exc:
        raise _refuse(name, place, exc.reason) from None
    entries: dict = {}          # list column → its most level entries (one per row, or per empty record)
    unpacked = 0
    for j in range(row_group.num_columns):
        column = row_group.column(j)
        unpacked += column.total_uncompressed_size
        if schema.column(j).max_repetition_level == 1:   # a cell of a table row (not of a deeper list)
            top = schema.column(j).path.split(".")[0]
            entries[top] = max(entries.get(top, 0), column.num_values, paged_values[j])
    unpacked = max(unpacked, paged)
    at_least = sum(max(0, n - records) for n in entries.values())
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
    bound = _batch_bound(batch)
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


# (the schema of the last batch bounded and a bound function per column of it: a file's batches
# share one schema, and the type of each column is looked at once, not in every batch -- 569
# columns, ~940 arrays a batch, took ~1 s of a 100,000-record check)
_LAST_PLAN: tuple = (None, ())


def _batch_bound(batch) -> int:
    """A bound on what *batch* takes decoded to plain columns (:func:`_bound_of` per column)."""
    global _LAST_PLAN
    schema = batch.schema
    known, plan = _LAST_PLAN
    if known is None or not known.equals(schema):
        plan = tuple(_bound_of(field.type) for field in schema)
        _LAST_PLAN = (schema, plan)   # (one tuple swapped whole: another thread sees either)
    return sum(bound(column) for bound, column in zip(plan, batch.columns))


def _bound_of(kind):
    """A function bounding what an array of type *kind* takes decoded to plain columns, texts
    expanded: its buffers, each index into a dictionary counted as the dictionary's longest text."""
    import pyarrow as pa
    if isinstance(kind, pa.ExtensionType):
        inner = _bound_of(kind.storage_type)
        return lambda array: inner(array.storage)
    if pa.types.is_dictionary(kind):
        if _is_bytes(kind.value_type):
            wide = np.int64 if pa.types.is_large_string(kind.value_type) or pa.types.is_large_binary(kind.value_type) \
                else np.int32

            def longest(texts):   # (the offsets as they are: no copy to int64, numpy's diff not called)
                n = len(texts)
                if not n:
                    return 0
                ends = np.frombuffer(texts.buffers()[1], dtype=wide, count=texts.offset + n + 1)[texts.offset:]
                return int((ends[1:] - ends[:-1]).max())
        else:
            def longest(texts):   # (any other dictionary: its share)
                return -(-texts.get_total_buffer_size() // max(len(texts), 1))
        return lambda array: len(array) * (longest(array.dictionary) + 8)
    if pa.types.is_struct(kind):
        fields = tuple(enumerate(_bound_of(kind.field(i).type) for i in range(kind.num_fields)))
        return lambda array: len(array) + sum(bound(array.field(i)) for i, bound in fields)
    if _is_list(kind):
        inner = _bound_of(kind.value_type)
        return lambda array: 8 * (len(array) + 1) + inner(array.values)
    return lambda array: array.get_total_buffer_size()


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


# ---- page headers --------------------------------------------------------------------------------
# A row group's metadata says what its column chunks unpack to, but the reader allocates what each
# page's own header says: a file can understate the first and decompress a page of kilobytes to
# gigabytes.  The headers are read (a few bytes at the start of each page, Thrift's compact
# protocol) before the row group is: the sizes checked are those the pages will be unpacked to.

_HEADER_READ = 1 << 12     # bytes read at a time for a page header (most are ~20-60 bytes)
_MAX_HEADER = 1 << 24      # a page header longer than this is refused (pyarrow's own limit: 16 MiB)


class _Bytes:
    """A cursor over a file, read in small blocks: enough of it to parse one page header.  Only
    the block at the cursor is kept, and skipped bytes (a binary field's) are passed over without
    being read: a crafted header's 16 MiB field costs a seek, not a Python call per byte."""

    def __init__(self, handle, at: int):
        self.handle, self.start = handle, at
        self.data, self.offset, self.pos = b"", at, 0   # data is the file from offset on; pos in it

    def byte(self) -> int:
        if self.pos >= len(self.data):
            at = self.offset + self.pos
            if at - self.start >= _MAX_HEADER:
                raise ValueError("a page header longer than 16 MiB")
            self.handle.seek(at)
            self.data, self.offset, self.pos = self.handle.read(_HEADER_READ), at, 0
            if not self.data:
                raise ValueError("a page header runs past the end of the file")
        self.pos += 1
        return self.data[self.pos - 1]

    def varint(self) -> int:
        shift = value = 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7
            if shift > 70:
                raise ValueError("a malformed number in a page header")

    def signed(self) -> int:
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def skip(self, n: int) -> None:
        if n < 0:
            raise ValueError("a negative length in a page header")
        self.pos += n      # (read, and the length checked, when the next byte is asked for)


def _skip(src: _Bytes, kind: int, depth: int = 0) -> None:
    """Pass over one value of compact-protocol type *kind*."""
    if depth > 16:
        raise ValueError("a page header nested too deeply")
    if kind in (1, 2):          # booleans (in a field header)
        return
    if kind == 3:
        src.byte()
    elif kind in (4, 5, 6):
        src.varint()
    elif kind == 7:
        src.skip(8)
    elif kind == 8:
        src.skip(src.varint())
    elif kind in (9, 10):
        head = src.byte()
        size, element = head >> 4, head & 0x0F
        if size == 15:
            size = src.varint()
        for _ in range(size):
            _skip_element(src, element, depth + 1)
    elif kind == 11:
        size = src.varint()
        if size:
            types = src.byte()
            for _ in range(size):
                _skip_element(src, types >> 4, depth + 1)
                _skip_element(src, types & 0x0F, depth + 1)
    elif kind == 12:
        _struct(src, depth + 1)
    else:
        raise ValueError(f"an unknown type {kind} in a page header")


def _skip_element(src: _Bytes, kind: int, depth: int) -> None:
    """Pass over one element of a list, set or map: a boolean there takes a byte of its own (in a
    field header it is the header's type)."""
    if kind in (1, 2):
        src.byte()
    else:
        _skip(src, kind, depth)


def _struct(src: _Bytes, depth: int = 0, wanted: tuple = ()) -> dict:
    """Pass over a struct; its integer fields among *wanted* (field ids), and the first integer
    field of its struct fields (a data page header's number of values), by field id."""
    found: dict = {}
    field = 0
    while True:
        head = src.byte()
        kind = head & 0x0F
        if kind == 0:
            return found
        delta = head >> 4
        field = field + delta if delta else src.signed()
        if field in wanted and kind in (4, 5, 6):
            found[field] = src.signed()
        elif field in wanted and kind == 12:
            found[field] = _struct(src, depth + 1, (1,)).get(1, 0)
        else:
            _skip(src, kind, depth)


def page_figures(name: str, row_group) -> tuple:
    """(bytes the pages of *row_group* unpack to, level entries of its data pages per column) as
    the page headers say -- what the reader will allocate, whatever the metadata says."""
    unpacked = 0
    entries = []
    with open_regular(name, what="table file") as handle:
        for j in range(row_group.num_columns):
            column = row_group.column(j)
            start = column.data_page_offset
            dictionary = column.dictionary_page_offset if column.has_dictionary_page else None
            if dictionary and 0 < dictionary < start:
                start = dictionary
            end = start + column.total_compressed_size
            at, values = start, 0
            while at < end:
                src = _Bytes(handle, at)
                # 2 uncompressed size, 3 compressed size, 5/8 data page header (v1/v2: number of values)
                header = _struct(src, 0, (2, 3, 5, 8))
                size, stored = header.get(2, 0), header.get(3, 0)
                if size < 0 or stored < 0:
                    raise ValueError("a negative page size")
                unpacked += size
                values += header.get(5, 0) + header.get(8, 0)
                at += src.pos + stored
            entries.append(values)
    return unpacked, entries
