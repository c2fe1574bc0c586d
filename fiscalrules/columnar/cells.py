"""Text cells read as the record loader reads them, for :mod:`.reading`'s frames.

A text column is read by distinct value (:class:`_Cells`: the column dictionary-encoded, each
distinct text read once by the loader's own rules, a memo keeping readings across the chunks of
one evaluation) -- so a cell the loader would refuse is known, and texts, numbers and flags come
out as the per-record engine sees them.  Cells that are plain decimals (``-?digits[.digits]``, at
most 19 bytes) skip that: :func:`_plain_mask` finds them and :func:`_plain_values` reads their
values by one C pass (:func:`.rowloops.plain_numbers`), else with one Arrow regular expression (the
column's bytes looked at first, so a column of names costs none) and Arrow compute (in Python for
arrays of at most ``SMALL`` cells: a small frame, a coded column's distinct texts, where Arrow's
fixed cost per call dominates).  The rest of this module is the small Arrow plumbing both need.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..errors import RecordError
from ..records import _Builder
from ..values import _PLAIN_NUMBER, format_decimal

__all__ = ["MEMO_CELLS"]

_PLAIN = f"^{_PLAIN_NUMBER.pattern}$"   # the loader's plain amount, anchored for Arrow's RE2


class _Cells:
    """One Arrow array read as the record loader reads each cell: numbers, text, flags.

    Each distinct value is read once (the array is dictionary-encoded): text columns of a budget
    table repeat a few names and codes, and reading a cell is the dear part."""

    __slots__ = ("codes", "distinct", "distinct_number", "raw", "_present", "_bad", "_cells")

    def __init__(self, column, name: str, floats: str, memo: dict | None = None, codes=None, wanted=None):
        """*codes*: the cells' dictionary indices of a coded *column* when already made (the cells
        read are then those: a part of the column); *wanted*: the distinct values to read (the
        others are left unread, as if null: no cell read refers to them), None for all."""
        found = _small_decimals_coded(column) if codes is None else None
        raw, codes = found if found is not None else _dictionary_coded(column, codes)
        builder = _Builder(None)
        k = len(raw)
        distinct = [None] * (k + 1)                 # the last entry stands for a null cell
        number = np.zeros(k + 1, dtype=bool)
        present = np.zeros(k + 1, dtype=bool)
        bad = np.zeros(k + 1, dtype=bool)
        for i in range(k) if wanted is None else wanted:
            if i >= k:     # (a null cell's code)
                continue
            cell = raw[i]
            if cell is None:
                continue
            if isinstance(cell, float):
                if cell != cell:
                    continue  # NaN: missing, as frames read it
                if floats != "printed" or cell in (float("inf"), float("-inf")):
                    bad[i] = True
                    continue
                cell = repr(cell)
            if memo is not None and type(cell) is str:
                value = memo.get(cell, _UNREAD)
                if value is _UNREAD:
                    value = memo[cell] = _read_cell(builder, cell, name)
                    if len(memo) > MEMO_CELLS:   # (free texts: a memo that no longer pays)
                        memo.clear()
            else:
                value = _read_cell(builder, cell, name)
            if value is _REFUSED:
                bad[i] = True
                continue
            distinct[i] = value
            present[i] = True
            number[i] = type(value) is Decimal
        self.raw = raw      # the distinct values as the array holds them (a table's codes are keyed by them)
        self.codes, self.distinct, self.distinct_number = codes, distinct, number
        self._present, self._bad = present, bad
        self._cells: dict = {}

    def part(self, lo: int, hi: int) -> _Cells:
        """The cells lo…hi-1 (their distinct values read once, shared)."""
        part = _Cells.__new__(_Cells)
        part.raw, part.distinct, part.distinct_number = self.raw, self.distinct, self.distinct_number
        part._present, part._bad = self._present, self._bad
        part.codes = self.codes[lo:hi]
        part._cells = {name: flags[lo:hi] for name, flags in self._cells.items()}
        return part

    # Each cell's flags are made from the distinct values' when first asked for (most columns are
    # only validated: ``bad``, and seldom any cell is).
    def _per_cell(self, name: str, of_distinct: np.ndarray) -> np.ndarray:
        found = self._cells.get(name)
        if found is None:
            if of_distinct.any():
                found = of_distinct[self.codes]
            else:
                found = np.zeros(len(self.codes), dtype=bool)
            self._cells[name] = found
        return found

    @property
    def is_number(self) -> np.ndarray:
        return self._per_cell("number", self.distinct_number)

    @property
    def present(self) -> np.ndarray:
        return self._per_cell("present", self._present)

    @property
    def bad(self) -> np.ndarray:
        return self._per_cell("bad", self._bad)


def _dictionary_coded(column, codes=None) -> tuple:
    """(the distinct values of *column* as Python objects, each cell's index into them -- a null
    cell's their number; *codes* when given) by Arrow's dictionary encoding; nested values, which
    it cannot code, one by one."""
    import pyarrow as pa
    try:
        if pa.types.is_dictionary(column.type):   # coded already (texts as Parquet hands them over)
            encoded = column
        elif isinstance(column, pa.Array) and _is_text(column.type):
            from .rowloops import string_codes   # (Arrow's coding, by one C pass where built)
            encoded = string_codes(column) if len(column) else None
        else:
            encoded = column.dictionary_encode() if len(column) else None
        if isinstance(encoded, pa.ChunkedArray):
            encoded = _combined(encoded)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):  # nested values: one by one
        raw = column.to_pylist()
        codes = np.arange(len(raw), dtype=np.int64)
        codes[[i for i, v in enumerate(raw) if v is None]] = len(raw)
        return raw, codes
    if encoded is None:
        return [], np.zeros(0, dtype=np.int64)
    return encoded.dictionary.to_pylist(), codes if codes is not None else _indices(encoded)


#: Distinct text cells whose reading an evaluation keeps (:class:`Frame`'s *memo*): a budget
#: table's names and codes repeat from record to record, and reading a cell is the dear part.
MEMO_CELLS = 1 << 16
_UNREAD = object()
_REFUSED = object()


def _refused(cell: str, name: str, memo: dict | None) -> bool:
    """Whether the record loader refuses a text cell (read through *memo*, as :class:`_Cells` reads it)."""
    if memo is None:
        return _read_cell(_Builder(None), cell, name) is _REFUSED
    value = memo.get(cell, _UNREAD)
    if value is _UNREAD:
        value = memo[cell] = _read_cell(_Builder(None), cell, name)
        if len(memo) > MEMO_CELLS:
            memo.clear()
    return value is _REFUSED


def _read_cell(builder, cell, name: str):
    """A cell as the record loader reads it, or ``_REFUSED``."""
    try:
        return builder.value(cell, name)
    except RecordError:
        return _REFUSED


def _is_text(kind) -> bool:
    """A column of texts: plain, or coded as a dictionary of texts (as Parquet hands them over)."""
    import pyarrow as pa
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _is_coded(array) -> bool:
    import pyarrow as pa
    return pa.types.is_dictionary(array.type)


def _combined(column):
    import pyarrow as pa
    if isinstance(column, pa.ChunkedArray):   # (one chunk as it is: combining copies it)
        return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return column


def _indices(coded) -> np.ndarray:
    """The dictionary index of each cell of a coded column; a null cell's is the dictionary's
    length (:func:`_by_index` gives it false or zero)."""
    indices = coded.indices
    given = _validity(indices)
    if indices.buffers()[1] is None:   # (no cells)
        return np.zeros(len(indices), dtype=np.int64)
    # read from the buffer: one pass, the widening (Arrow's fill_null made a new array first)
    values = np.frombuffer(indices.buffers()[1], dtype=indices.type.to_pandas_dtype(),
                           count=indices.offset + len(indices))[indices.offset:].astype(np.int64)
    if given is not None:
        values[~given] = len(coded.dictionary)
    return values


#: Distinct values up to which a decimal column is coded by :func:`_small_decimals_coded`.
_SMALL_DECIMALS = 1 << 16


def _small_decimals_coded(column):
    """(the distinct values as Python decimals, each cell's index into them -- a null cell's their
    number) of a decimal128 column of at most 18 digits and a scale of 0 or more, in the order
    Arrow's dictionary_encode gives (first appearance): coded by their unscaled int64 values
    (:func:`.rowloops.int_codes`: a table's code column, ~10 ns a cell less than hashing the
    16-byte decimals); None for any other column, or more than ``_SMALL_DECIMALS`` values."""
    import pyarrow as pa
    kind = column.type
    if not pa.types.is_decimal128(kind) or kind.precision > 18 or kind.scale < 0 or not len(column):
        return None
    from .rowloops import int_codes
    from .scaled import decimal128_units
    found = decimal128_units(column)   # (chunk by chunk: not combined first)
    if found is None:   # a cell past its type's 18 digits (Arrow does not refuse them): Arrow's coding
        return None
    units, present, _ = found
    coded = int_codes(units, present, _SMALL_DECIMALS)
    if coded is None:
        return None
    codes, distinct = coded
    # (a decimal made from its digits and exponent: exact, whatever the context's precision)
    exponent = f"E-{kind.scale}"
    return [Decimal(f"{value}{exponent}") for value in distinct.tolist()], codes


def _integer_values(array) -> np.ndarray:
    """The values of an integer array as numpy has them (a null cell's is whatever its slot holds)."""
    if array.buffers()[1] is None:
        return np.zeros(len(array), dtype=np.int64)
    return np.frombuffer(array.buffers()[1], dtype=array.type.to_pandas_dtype(),
                         count=array.offset + len(array))[array.offset:]


def _validity(column):
    """Which cells of an Arrow array (or one-chunk column) hold a value, as a bool array; None
    when none is null.  The validity bitmap unpacked (~0.1 ns a cell; Arrow's is_valid and its
    conversion ~2 ns)."""
    import pyarrow as pa
    if not column.null_count:
        return None
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks != 1:   # (each chunk's bitmap unpacked: Arrow's is_valid and its conversion ~10 times dearer)
            return np.concatenate([_validity(chunk) if chunk.null_count else np.ones(len(chunk), dtype=bool)
                                   for chunk in column.chunks] or [np.zeros(0, dtype=bool)])
        column = column.chunk(0)
    if pa.types.is_dictionary(column.type):
        column = column.indices
    bitmap = column.buffers()[0]
    if bitmap is None:   # (a column of the null type)
        return np.zeros(len(column), dtype=bool)
    offset = column.offset
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), count=offset + len(column), bitorder="little")
    return bits[offset:].view(bool)


def _by_index(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """*values* of the distinct texts, cell by cell (a null cell false or zero)."""
    return np.append(values, np.zeros(1, dtype=values.dtype))[at]


def _plain_mask(array) -> np.ndarray:
    """:meth:`Frame._plain` of a string array."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if len(array) <= SMALL:
        return np.array([_plain_text(cell) for cell in array.to_pylist()], dtype=bool)
    from .rowloops import plain_numbers
    by_c = plain_numbers(array)
    if by_c is not None:
        return by_c[0]
    found = np.zeros(len(array), dtype=bool)
    maybe = _may_be_plain(array)
    if maybe.any():   # (a column of names or notes has no cell starting as a number)
        some = not maybe.all()
        cells = array.filter(pa.array(maybe)) if some else array
        plain = pc.match_substring_regex(cells, _PLAIN).fill_null(False).to_numpy(zero_copy_only=False)
        if some:
            found[maybe] = plain
        else:
            found = plain
    return found


def _plain_values(array, mask) -> tuple:
    """(units, exponents) of the cells of a string array that *mask* marks plain decimals (zero
    elsewhere), by Arrow compute."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if len(array) <= SMALL:
        units = np.zeros(len(array), dtype=np.int64)
        exps = np.zeros(len(array), dtype=np.int64)
        cells = array.to_pylist()
        for i in np.flatnonzero(mask).tolist():
            cell = cells[i]
            dot = cell.find(".")
            if dot >= 0:
                units[i], exps[i] = int(cell[:dot] + cell[dot + 1:]), dot + 1 - len(cell)
            else:
                units[i] = int(cell)
        return units, exps
    from .rowloops import plain_numbers
    by_c = plain_numbers(array)
    if by_c is not None:   # (the cells *mask* marks are plain: their values are these)
        if np.array_equal(mask, by_c[0]):   # (every plain cell: the pass's values are 0 elsewhere)
            return by_c[1], by_c[2]
        return np.where(mask, by_c[1], 0), np.where(mask, by_c[2], 0)
    digits = pc.if_else(pa.array(mask), pc.replace_substring(array, ".", ""), "0")
    units = pc.cast(digits, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
    length = pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    dot = pc.find_substring(array, ".").fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(mask, units, 0), np.where(mask & (dot >= 0), dot + 1 - length, 0)


#: Cells up to which a string array is judged and read in Python, one by one (~0.5-2 us a cell):
#: Arrow's regular expression is compiled on every call (~0.3-0.5 ms) and its other calls cost
#: ~10-40 us each whatever the length -- most of a small frame's evaluation, and of reading a
#: coded column's few distinct texts.
SMALL = 256


def _plain_text(cell) -> bool:
    """A cell :func:`_plain_mask` marks: the plain-number expression (ASCII only), at most 19 bytes."""
    return cell is not None and len(cell) <= 19 and _PLAIN_NUMBER.fullmatch(cell) is not None


def _may_be_plain(array) -> np.ndarray:
    """Cells of a string array that could be plain numbers: 1 to 19 bytes, the first a digit or
    a minus -- read from the Arrow buffers, so a column of texts costs no regular expression."""
    import pyarrow as pa
    n = len(array)
    buffers = array.buffers()
    if n == 0 or buffers[2] is None or not len(buffers[2]):
        return np.zeros(n, dtype=bool)
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32, count=array.offset + n + 1)
    offsets = offsets[array.offset:]
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    lengths = np.diff(offsets)
    first = data[np.minimum(offsets[:-1], len(data) - 1)]
    maybe = (lengths >= 1) & (lengths <= 19) & (((first - 48) < 10) | (first == 45))
    if array.null_count:
        maybe &= _validity(array)
    return maybe


def _as_text(value) -> str:
    """A cell's reading as the text the per-record engine reads (numbers in plain notation)."""
    if value is None:
        return ""
    return format_decimal(value) if isinstance(value, Decimal) else str(value)
