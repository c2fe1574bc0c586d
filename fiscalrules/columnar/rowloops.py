"""The reading's loops over every row of a run (finding the runs of a long frame's record keys,
the record each row names, checking rows come in order, coding integers and texts by distinct value, reading plain
decimals and decimal128 cells), in
C where ``fiscalrules._ccolumns`` is built, else in numpy -- the same results either way (the
tests run both).

The C module is optional, as ``fiscalrules._cparse`` is (:mod:`fiscalrules.cparse`): it is not
used where it is not built, where ``FISCALRULES_PURE_PYTHON`` is set, where it was built from
another version of its source (an editable install keeps an old build), or where it speaks
another interface (``ABI_VERSION``).  :func:`why_not` says which.  A pass in numpy is a few
times dearer than the C loop: these loops run once per run over every table row (~10 M rows for
100,000 budget records), where the numpy passes were a tenth of a run.
"""

from __future__ import annotations

import functools
import os
from types import ModuleType

import numpy as np

from .kernel import int64s   # (C-contiguous, aligned int64: what the C loops take, as the kernels do)

__all__ = ["compiled", "why_not", "string_runs", "ordered", "records_in_order", "int_codes", "string_codes",
           "plain_numbers", "plain_verdict", "plain_figures", "decimal128_low", "ABI_VERSION"]

# The interface this code expects of _ccolumns (its ABI_VERSION, _ccolumns.c): bump both together.
ABI_VERSION = 8


def compiled() -> ModuleType | None:
    """The module ``fiscalrules._ccolumns``, or None where the numpy code is to run."""
    return _choose()[0]


def why_not() -> str | None:
    """Why the numpy code runs instead of ``fiscalrules._ccolumns`` (None: it does not)."""
    return _choose()[1]


@functools.cache
def _choose() -> tuple[ModuleType | None, str | None]:
    from ..cparse import optional_build
    return optional_build("_ccolumns", ABI_VERSION, _load, os.path.dirname(os.path.dirname(__file__)))


def _load() -> ModuleType:
    from .. import _ccolumns
    return _ccolumns


def string_runs(array, limit: int):
    """Where the runs of equal cells of an Arrow string array start (row 0 first), as int64
    positions; None when they are more than *limit*.  Nulls: numpy's way (Arrow's comparison)."""
    import pyarrow as pa
    n = len(array)
    c = compiled()
    if c is not None and array.null_count == 0 and (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        buffers = array.buffers()
        starts = np.empty(max(limit, 1), dtype=np.int64)
        count = c.string_runs(buffers[1], buffers[2] if buffers[2] is not None else b"", array.offset, n,
                              pa.types.is_large_string(array.type), starts, limit)
        return None if count < 0 else starts[:count].copy()
    return _string_runs(array, limit)


def _string_runs(array, limit: int):
    import pyarrow.compute as pc
    n = len(array)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    change = pc.not_equal(array.slice(1), array.slice(0, n - 1)).fill_null(True).to_numpy(zero_copy_only=False)
    starts = np.concatenate([[0], np.flatnonzero(change) + 1]).astype(np.int64)
    return None if len(starts) > limit else starts


def ordered(first: np.ndarray, second: np.ndarray, lut: np.ndarray | None = None) -> bool:
    """Whether rows come in strictly increasing order of (*first*, *second*) -- *second* read
    through *lut* (``lut[second]``) when given."""
    c = compiled()
    if c is not None:
        return c.ordered(int64s(first), int64s(second), None if lut is None else int64s(lut))
    return _ordered(first, second, lut)


def _ordered(first, second, lut=None) -> bool:
    if lut is not None:
        second = np.asarray(second)
        if len(second) and (second.min() < 0 or second.max() >= len(lut)):   # (not wrapped around: as C refuses)
            raise ValueError("ordered: arrays of different lengths, or an index outside the table")
        second = np.asarray(lut)[second]
    if len(first) < 2:
        return True
    later = first[1:] > first[:-1]
    if later.all():
        return True
    return bool((later | ((first[1:] == first[:-1]) & (second[1:] > second[:-1]))).all())


def _strings(array) -> bool:
    import pyarrow as pa
    return array.null_count == 0 and (pa.types.is_string(array.type) or pa.types.is_large_string(array.type))


def records_in_order(keys, ids):
    """The record number of each of *keys* (a long frame's record keys, an Arrow string array)
    among *ids* (the record frame's, distinct), where the keys come in runs naming records in
    the order of the ids (every record, or some); else None -- as None for null keys or ids."""
    if not len(keys):   # (an empty Arrow string array may have no offsets buffer at all)
        return np.zeros(0, dtype=np.int64)
    c = compiled()
    if c is not None and _strings(keys) and _strings(ids):
        import pyarrow as pa
        out = np.empty(len(keys), dtype=np.int64)
        kb, ib = keys.buffers(), ids.buffers()
        found = c.records_in_order(kb[1], kb[2] if kb[2] is not None else b"", keys.offset, len(keys),
                                   pa.types.is_large_string(keys.type), ib[1], ib[2] if ib[2] is not None else b"",
                                   ids.offset, len(ids), pa.types.is_large_string(ids.type), out)
        return out if found else None
    return _records_in_order(keys, ids)


def _records_in_order(keys, ids):
    import pyarrow as pa
    import pyarrow.compute as pc
    if keys.null_count or ids.null_count:
        return None
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = _string_runs(keys, n)
    found = pc.index_in(keys.take(pa.array(starts)), value_set=ids)
    if found.null_count:
        return None
    numbers = found.to_numpy(zero_copy_only=False).astype(np.int64)
    if len(numbers) > 1 and not (numbers[1:] > numbers[:-1]).all():
        return None
    return np.repeat(numbers, np.diff(np.append(starts, n)))


def int_codes(values: np.ndarray, valid: np.ndarray | None, limit: int):
    """(each cell's index into the distinct values, the distinct values in order of first
    appearance) of int64 *values* -- a null cell's (``valid`` false) index the number of distinct
    values --, or None when those are more than *limit*."""
    values = int64s(values)
    c = compiled()
    if c is not None:
        codes = np.empty(len(values), dtype=np.int64)
        distinct = np.empty(max(min(limit, len(values)), 1), dtype=np.int64)
        count = c.int_codes(values, None if valid is None else np.ascontiguousarray(valid, dtype=bool), codes,
                            distinct[:limit])
        if count >= 0:
            return codes, distinct[:count].copy()
        if count == -1:
            return None
        # (-2: a value's probe chain passed MAX_PROBES -- values aimed at the C loop's hash --:
        # Arrow's hashing codes them in time linear in the cells)
    return _int_codes(values, valid, limit)


def _int_codes(values, valid, limit: int):
    import pyarrow as pa
    coded = pa.array(values, mask=None if valid is None else ~valid).dictionary_encode()
    distinct = coded.dictionary.to_numpy(zero_copy_only=False).astype(np.int64)
    if len(distinct) > limit:
        return None
    codes = coded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, distinct


def string_codes(array):
    """*array* (an Arrow string array) dictionary-encoded as Arrow's ``dictionary_encode`` does it
    -- the distinct texts in order of first appearance, int32 indices, a null cell's index null --
    by one C pass where built: a hash of each cell's bytes in a table that grows with the distinct
    texts (the 291 text columns of 100,000 budget records and their 10 M table rows: ~0.6-0.75 s
    of CPU where Arrow's took ~1.05-1.65 s, a quarter of a run over dense text).  Arrow's own
    where the C loops are not built, or the texts are aimed at the hash (-2)."""
    import pyarrow as pa
    c = compiled()
    n = len(array)
    if c is None or not _strings_of_any_validity(array) or n == 0 or n >= 1 << 30:
        return array.dictionary_encode()
    from .cells import _validity
    buffers = array.buffers()
    present = _validity(array)
    codes = np.empty(n, dtype=np.int32)
    firsts = np.empty(n, dtype=np.int64)   # (pages touched only as far as distinct texts are found)
    count = c.string_codes(buffers[1], buffers[2] if buffers[2] is not None else b"", array.offset, n,
                           pa.types.is_large_string(array.type), present, codes, firsts)
    if count < 0:
        return array.dictionary_encode()
    dictionary = array.take(pa.array(firsts[:count]))
    return pa.DictionaryArray.from_arrays(_int32_array(codes, present), dictionary, safe=False)   # (in range: not checked)


def _int32_array(values: np.ndarray, present: np.ndarray | None):
    """An Arrow int32 array of *values* (kept, not copied), null where *present* is false: its
    bitmap packed by numpy (``pa.array(values, mask=...)`` converted the mask cell by cell, and
    ``DictionaryArray.from_arrays`` checked every index again: ~2 % of a warm run's instructions)."""
    import pyarrow as pa
    bitmap = None if present is None else pa.py_buffer(np.packbits(present, bitorder="little"))
    return pa.Array.from_buffers(pa.int32(), len(values), [bitmap, pa.py_buffer(values)])


def _as_array(column):
    """A column of one chunk as that array (an array as it is); None for a column of several
    chunks or none, which the loops read chunk by chunk (combining them copies every cell)."""
    import pyarrow as pa
    if not isinstance(column, pa.ChunkedArray):
        return column
    return column.chunk(0) if column.num_chunks == 1 else None


def _strings_of_any_validity(array) -> bool:
    import pyarrow as pa
    return isinstance(array, pa.Array) and (pa.types.is_string(array.type) or pa.types.is_large_string(array.type))


def plain_numbers(array):
    """(which cells are plain decimals, their unscaled values, their exponents -- 0 elsewhere) of
    an Arrow string array by one C pass (:func:`.cells._plain_mask` and :func:`.cells._plain_values`
    by Arrow's regular expression and casts: ~70 and ~95 ns a cell); None where the C loops are
    not built (the caller then uses those)."""
    import pyarrow as pa
    c = compiled()
    if c is None or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    from .cells import _validity
    n = len(array)
    buffers = array.buffers()
    plain = np.empty(n, dtype=bool)
    units = np.empty(n, dtype=np.int64)
    exps = np.empty(n, dtype=np.int64)
    c.plain_numbers(buffers[1], buffers[2] if buffers[2] is not None else b"", array.offset, n,
                    pa.types.is_large_string(array.type), _validity(array), plain, units, exps)
    return plain, units, exps


def plain_verdict(array, limit: int):
    """The rows of an Arrow string array holding a value that is not a plain decimal (int64, in
    order), or None when they are more than *limit*: validating a column of amounts reads its
    bytes once and writes only those rows (:func:`plain_numbers` wrote 17 bytes a cell).  A
    column of several chunks is read chunk by chunk (:func:`_as_array`), its rows numbered across them."""
    single = _as_array(array)
    if single is None:
        rows, start = [np.zeros(0, dtype=np.int64)], 0
        for chunk in array.chunks:
            found = plain_verdict(chunk, limit) if len(chunk) else rows[0]
            if found is None:
                return None
            rows.append(found + start)
            start, limit = start + len(chunk), limit - len(found)
        return np.concatenate(rows)
    array = single
    c = compiled()
    if c is None:
        return _plain_rows(array, limit)
    from .cells import _validity
    import pyarrow as pa
    buffers = array.buffers()
    rows = np.empty(max(limit, 1), dtype=np.int64)   # (pages touched only as far as rows are found)
    count = c.plain_verdict(buffers[1], buffers[2] if buffers[2] is not None else b"", array.offset, len(array),
                            pa.types.is_large_string(array.type), _validity(array), rows, limit)
    return None if count < 0 else rows[:count].copy()


def plain_figures(array, limit: int, into: tuple | None = None):
    """(the plain decimals' unscaled values -- 0 elsewhere --, their exponents as int8, the rows
    of the other values (:func:`plain_verdict`), the least and greatest exponent of the plain
    cells -- 0 and 0 when none is --, their greatest magnitude) of an Arrow string array, by one
    C pass; None when those rows are more than *limit*.  *into*: the arrays to write the values
    and exponents into (views of a column's, for one of its chunks)."""
    single = _as_array(array)
    if single is None:
        return _chunks_figures(array, limit)
    array = single
    c = compiled()
    if c is None:
        return _plain_figures(array, limit, into)
    from .cells import _validity
    import pyarrow as pa
    n = len(array)
    buffers = array.buffers()
    units = np.empty(n, dtype=np.int64) if into is None else into[0]
    exps = np.empty(n, dtype=np.int8) if into is None else into[1]
    rows = np.empty(max(limit, 1), dtype=np.int64)
    found = c.plain_figures(buffers[1], buffers[2] if buffers[2] is not None else b"", array.offset, n,
                            pa.types.is_large_string(array.type), _validity(array), units, exps, rows, limit)
    if found is None:
        return None
    count, lowest, highest, greatest = found
    return units, exps, rows[:count].copy(), lowest, highest, greatest


def _chunks_figures(column, limit: int):
    """:func:`plain_figures` of a column of chunks, each read into its rows of one output."""
    n = len(column)
    units, exps = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int8)
    rows, lowest, highest, greatest = [np.zeros(0, dtype=np.int64)], None, None, 0
    start = 0
    for chunk in column.chunks:
        m = len(chunk)
        if not m:
            continue
        found = plain_figures(chunk, limit, (units[start:start + m], exps[start:start + m]))
        if found is None:
            return None
        _, _, others, low, high, large = found
        if m - chunk.null_count - len(others):   # (a chunk without plain cells says 0 and 0)
            lowest = low if lowest is None else min(lowest, low)
            highest = high if highest is None else max(highest, high)
        rows.append(others + start)
        greatest = max(greatest, large)
        start, limit = start + m, limit - len(others)
    return units, exps, np.concatenate(rows), lowest or 0, highest or 0, greatest


def _plain_cells(array):
    """(plain mask, units, exponents, rows of the other values) by the Arrow or Python reading."""
    from .cells import _plain_mask, _plain_values, _validity
    plain = _plain_mask(array)
    units, exps = _plain_values(array, plain) if plain.any() else (np.zeros(len(array), np.int64),) * 2
    given = _validity(array)
    rows = np.flatnonzero(~plain if given is None else given & ~plain)
    return plain, units, exps, rows


def _plain_rows(array, limit: int):
    rows = _plain_cells(array)[3]
    return None if len(rows) > limit else rows


def _plain_figures(array, limit: int, into: tuple | None = None):
    plain, units, exps, rows = _plain_cells(array)
    if len(rows) > limit:
        return None
    given = exps[plain]
    lowest, highest = (int(given.min()), int(given.max())) if given.size else (0, 0)
    greatest = max(abs(int(units.max())), abs(int(units.min()))) if units.size else 0
    units, exps = np.where(plain, units, 0), np.where(plain, exps, 0).astype(np.int8)
    if into is not None:
        into[0][:], into[1][:] = units, exps
    return units, exps, rows, lowest, highest, greatest


def decimal128_low(array, present: np.ndarray | None, out: np.ndarray | None = None):
    """(each cell of a decimal128 Arrow array as int64 -- a null cell's 0 --, their greatest
    magnitude) read from its values buffer (16-byte two's complement: the low word is the value
    when the high word is its sign), or None when some cell's value is beyond int64.  *present*:
    which cells hold a value (None: all); *out*: where to write the values (a view of a column's,
    for one of its chunks).  One C pass where numpy made six over strided words."""
    n = len(array)
    single = _as_array(array)
    if single is None:   # (each chunk read into its rows of one output: not combined first)
        out, bound, start = np.empty(n, dtype=np.int64), 0, 0
        for chunk in array.chunks:
            m = len(chunk)
            found = decimal128_low(chunk, None if present is None else present[start:start + m],
                                   out[start:start + m]) if m else (out, 0)
            if found is None:
                return None
            bound, start = max(bound, found[1]), start + m
        return out, bound
    array = single
    buffer = array.buffers()[1]
    c = compiled()
    if c is not None and buffer is not None:
        out = np.empty(n, dtype=np.int64) if out is None else out
        valid = None if present is None else np.ascontiguousarray(present, dtype=bool)
        bound = c.decimal128_low(buffer, array.offset, n, valid, out)
        return None if bound is None else (out, bound)
    found = _decimal128_low(array, present)
    if found is not None and out is not None:
        out[:] = found[0]
        return out, found[1]
    return found


def _decimal128_low(array, present):
    n = len(array)
    if n == 0 or array.buffers()[1] is None:   # (no cells, or no values buffer: nothing held)
        return np.zeros(n, dtype=np.int64), 0
    words = np.frombuffer(array.buffers()[1], dtype="<i8", count=2 * (n + array.offset))[2 * array.offset:]
    low, high = words[0::2], words[1::2]   # (strided views)
    if present is not None:
        low, high = np.where(present, low, 0), np.where(present, high, 0)
    if not np.array_equal(high, low >> 63):
        return None
    return np.ascontiguousarray(low), max(abs(int(low.max())), abs(int(low.min())))
