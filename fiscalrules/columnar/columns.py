"""Columns of one batch of rows, read exactly into scaled integers with their rounding intervals.

A figure column becomes a :class:`Num`: three int64 arrays ``pt``/``lo``/``hi`` (the printed
value and the interval it stands for, money in 元) at one decimal exponent ``exp`` (the value
is ``pt × 10**exp``), and two masks: ``miss`` (the figure is absent: a null cell) and ``err``
(the cell holds text where a number is needed -- an ``error`` finding per record).  This is
:meth:`fiscalrules.compiler.Settings.to_quantity` over a whole column: the same conversion plan
(unit, money factor, declared precision), the same printed precision (the finer of the cell's
decimals and the ruleset's precision for its unit), so the intervals are those of the
per-record engine, exactly, as integers.

Integer and decimal128 columns are read straight from their Arrow buffers; text columns (and
floats read through their printed text) cell by cell with the record loader's own rules, so a
cell the loader would refuse marks its row as unreadable (``Batch.bad``) exactly as the
per-record path reports that record.  A column whose integers would not fit int64 with room to
spare raises :class:`Unsupported`: the rules reading it run on the per-record engine.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..errors import RecordError
from ..frames import column_paths
from ..records import _Builder
from ..values import HALF

__all__ = ["Unsupported", "Num", "Batch", "LIMIT"]

# Every integer an expression produces stays below this: sums of a few terms and rescaling by a
# power of ten can then never overflow int64 unnoticed (bounds are tracked, see Num.bound).
LIMIT = 2 ** 62


class Unsupported(Exception):
    """This rule (or this data) cannot be evaluated on columns; the per-record engine runs it."""


class Num:
    """A numeric vector: printed value and interval as scaled int64 (Python ints for constants).

    Most intervals are symmetric, ``pt ± half`` (a printed figure, and sums and differences of
    them): then only ``half`` is kept -- a scalar when every row has the same precision -- and
    ``lo``/``hi`` are worked out when read, so a sum of figures costs one addition per row, not
    three.  Products, ``abs``, ``min``/``max`` keep explicit bounds (``half`` is None)."""

    __slots__ = ("pt", "half", "_lo", "_hi", "exp", "dim", "miss", "err", "bound", "owned")

    def __init__(self, pt, exp: int, dim: str, *, half=0, lo=None, hi=None, miss=None, err=None, bound: int = 0,
                 owned: bool = False):
        self.pt, self.exp, self.dim = pt, exp, dim
        # owned: pt is a temporary made for this vector alone (not a column the batch keeps), so
        # the one expression consuming it may write its result into it.
        self.owned = owned and isinstance(pt, np.ndarray)
        self.half = None if lo is not None else half
        self._lo, self._hi = lo, hi
        self.miss, self.err = miss, err      # boolean arrays or None (no row missing / in error)
        self.bound = bound                   # max |value| of pt, lo and hi, in units of 10**exp

    @property
    def lo(self):
        return self.pt - self.half if self.half is not None else self._lo

    @property
    def hi(self):
        return self.pt + self.half if self.half is not None else self._hi

    @property
    def exact(self) -> bool:
        return self.half is not None and not isinstance(self.half, np.ndarray) and self.half == 0

    def whole(self) -> Num:
        """The same vector with an integer half-width: a printed figure's half (0.005 at cents) is
        kept as a fraction of the last digit until bounds are needed, saving a rescale per column."""
        half = self.half
        if not isinstance(half, Decimal):
            return self
        exponent = half.normalize().as_tuple().exponent
        return self.at(self.exp + exponent) if exponent < 0 else self

    def at(self, exp: int) -> Num:
        """The same vector at a finer exponent (exact: multiplies by a power of ten)."""
        if exp == self.exp:
            return self
        if exp > self.exp:  # pragma: no cover - callers only ever refine
            raise ValueError("cannot coarsen")
        factor = 10 ** (self.exp - exp)
        bound = self.bound * factor
        if bound >= LIMIT:
            raise Unsupported("amounts too large for 64-bit integers at this precision")
        if self.half is not None:
            return Num(self.pt * factor, exp, self.dim, half=whole_number(self.half * factor), miss=self.miss,
                       err=self.err, bound=bound, owned=True)
        return Num(self.pt * factor, exp, self.dim, lo=self._lo * factor, hi=self._hi * factor, miss=self.miss,
                   err=self.err, bound=bound, owned=True)


def whole_number(value):
    """A Decimal that is a whole number as an int (other values unchanged)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _exponent_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


class _Cells:
    """One frame column read as the record loader reads each cell: numbers, text, flags.

    Each distinct value is read once (the column is dictionary-encoded): text columns of a
    budget table repeat a few names and codes, and reading a cell is the dear part."""

    __slots__ = ("codes", "distinct", "distinct_number", "is_number", "present", "bad")

    def __init__(self, column, name: str, floats: str):
        import pyarrow as pa
        try:
            encoded = column.dictionary_encode().combine_chunks() if len(column) else None
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):  # nested values: one by one
            encoded = None
            raw = column.to_pylist()
            codes = np.arange(len(raw), dtype=np.int64)
            codes[[i for i, v in enumerate(raw) if v is None]] = -1
        else:
            if encoded is None:
                raw, codes = [], np.zeros(0, dtype=np.int64)
            else:
                raw = encoded.dictionary.to_pylist()
                codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        builder = _Builder(None)
        k = len(raw)
        distinct = [None] * (k + 1)                 # the last entry stands for a null cell
        number = np.zeros(k + 1, dtype=bool)
        present = np.zeros(k + 1, dtype=bool)
        bad = np.zeros(k + 1, dtype=bool)
        for i, cell in enumerate(raw):
            if cell is None:
                continue
            if isinstance(cell, float):
                if cell != cell:
                    continue  # NaN: missing, as frames read it
                if floats != "printed":
                    bad[i] = True
                    continue
                cell = repr(cell)
            try:
                value = builder.value(cell, name)
            except RecordError:
                bad[i] = True
                continue
            distinct[i] = value
            present[i] = True
            number[i] = type(value) is Decimal
        codes[codes < 0] = k
        self.codes, self.distinct, self.distinct_number = codes, distinct, number
        self.is_number = number[codes]
        self.present = present[codes]
        self.bad = bad[codes]


class Batch:
    """The columns of a batch of rows (an Arrow table), read on first use and kept for its rules."""

    def __init__(self, table, settings, paths: dict, floats: str = "refuse"):
        self.table = table
        self.n = table.num_rows
        self.settings = settings
        self.floats = floats
        self.column_of = {path: name for name, path in paths.items()}
        self._cells: dict = {}
        self._nums: dict = {}
        self.bad = np.zeros(self.n, dtype=bool)
        for name in paths:
            self._validate(name)

    @classmethod
    def of(cls, table, ruleset, floats: str = "refuse") -> Batch:
        checked = ruleset.checked
        paths = column_paths(list(table.column_names), checked.fields, checked.labels)
        return cls(table, ruleset.settings, paths, floats)

    # -- reading -----------------------------------------------------------------------------------
    def _validate(self, name: str) -> None:
        """Mark rows holding a cell the record loader refuses (they become unreadable records)."""
        import pyarrow as pa
        column = self.table.column(name)
        kind = column.type
        if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
            return
        if pa.types.is_decimal(kind) and kind.scale <= 30 and kind.precision <= 30:
            return  # every value within the loader's limits (30 digits, exponents within ±30)
        if pa.types.is_floating(kind) and self.floats != "printed":
            self.bad |= column.is_valid().to_numpy(zero_copy_only=False)
            return
        self.bad |= self.cells(name).bad

    def cells(self, name: str) -> _Cells:
        cells = self._cells.get(name)
        if cells is None:
            cells = self._cells[name] = _Cells(self.table.column(name), name, self.floats)
        return cells

    def paths_under(self, prefix: str) -> list:
        start = prefix + "."
        return [p for p in self.column_of if p.startswith(start) and "." not in p[len(start):]]

    def num(self, path: str, decl) -> Num:
        """The figure at *path* as a vector of quantities, as ``Settings.to_quantity`` makes them."""
        key = (path, id(decl))
        found = self._nums.get(key)
        if found is None:
            found = self._nums[key] = self._read_num(path, decl)
        return found

    def _read_num(self, path: str, decl) -> Num:
        settings = self.settings
        factor, dim, declared, exact_kind, problem = settings._plan(None, decl, "value")
        name = self.column_of.get(path)
        n = self.n
        if name is None:  # the frame has no such column: absent in every row
            return Num(np.zeros(n, dtype=np.int64), 0, dim, miss=np.ones(n, dtype=bool))
        units, exps, present, err, bound = self._integers(name)
        miss = None if present is None else ~present
        if miss is not None and not miss.any():
            miss = None
        if problem is not None:  # e.g. a money field declared in a non-money unit: an error where present
            err = np.ones(n, dtype=bool) if present is None else present.copy()
            return Num(np.zeros(n, dtype=np.int64), 0, dim, miss=miss, err=err)
        shift = _money_shift(factor)
        uniform = isinstance(exps, int)
        low = exps if uniform else (int(exps.min()) if exps.size else 0)
        if exact_kind:
            pt, bound = _rescale(units, exps, low, bound)
            return Num(pt, low + shift, dim, miss=miss, err=err, bound=bound)
        # Half the printed precision: the finer of the cell's decimals and the declared one.
        printed_exp = min(exps, 0) if uniform else np.minimum(exps, 0)
        lowest_printed = printed_exp if uniform else (int(printed_exp.min()) if printed_exp.size else 0)
        half = _halves(printed_exp, declared, low)
        if isinstance(half, np.ndarray):  # precisions vary by cell: halves as integers, at a finer exponent
            half_exp = min(lowest_printed, _exponent_of(declared * HALF) if declared is not None else 0) - 1
            exp = min(low, half_exp)
            half = _halves(printed_exp, declared, exp)
        else:
            exp = low
        pt, bound = _rescale(units, exps, exp, bound)
        bound += int(half.max()) + 1 if isinstance(half, np.ndarray) and half.size else int(half) + 1
        if bound >= LIMIT // 4:
            raise Unsupported("amounts too large for 64-bit integers")
        return Num(pt, exp + shift, dim, half=half, miss=miss, err=err, bound=bound)

    def _integers(self, name: str):
        """(unscaled int64 values, their exponent (an int when one for the column, else an array),
        present mask or None when all are, error mask or None, max |value|) of a column."""
        import pyarrow as pa
        column = self.table.column(name)
        kind = column.type
        n = self.n
        if pa.types.is_integer(kind):
            array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
            present = array.is_valid().to_numpy(zero_copy_only=False) if array.null_count else None
            values = array.fill_null(0) if array.null_count else array
            if kind == pa.uint64() and len(values) and values.to_numpy().max() >= LIMIT:
                raise Unsupported(f"column {name} holds integers beyond 64 bits")
            units = values.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
            return units, 0, present, None, _bound(units, name)
        if pa.types.is_decimal(kind) and kind.bit_width == 128:
            array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
            found = _decimal128_units(array)
            if found is not None:
                units, present, bound = found
                return units, -kind.scale, present, None, bound
        if pa.types.is_boolean(kind):  # flags where a number is needed: an error, as per record
            present = column.is_valid().to_numpy(zero_copy_only=False)
            return np.zeros(n, dtype=np.int64), 0, present, present.copy(), 0
        cells = self.cells(name)
        k = len(cells.distinct)
        distinct_units = np.zeros(k, dtype=np.int64)
        distinct_exps = np.zeros(k, dtype=np.int64)
        for i in np.flatnonzero(cells.distinct_number).tolist():  # each distinct number once
            value = cells.distinct[i]
            e = _exponent_of(value)
            unscaled = int(value.scaleb(-e))
            if not -LIMIT < unscaled < LIMIT:
                raise Unsupported(f"column {name} holds amounts beyond 64-bit integers")
            distinct_units[i], distinct_exps[i] = unscaled, e
        numbers = cells.is_number
        units = np.where(numbers, distinct_units[cells.codes], 0)
        exps = np.where(numbers, distinct_exps[cells.codes], 0)
        present = cells.present & ~cells.bad
        err = present & ~numbers
        return units, exps, present, err if err.any() else None, _bound(units, name)


def _bound(units, name: str) -> int:
    if not units.size:
        return 0
    bound = max(abs(int(units.max())), abs(int(units.min())))
    if bound >= LIMIT:
        raise Unsupported(f"column {name} holds amounts beyond 64-bit integers")
    return bound


def _decimal128_units(array):
    """(unscaled int64 values, present mask or None, max |value|) of a decimal128 array, read from
    its buffer (16-byte two's complement: the low word is the value when it fits); None when a
    value does not fit in int64.  A type of at most 15 digits bounds its values without a scan."""
    n = len(array)
    if n == 0:
        return np.zeros(0, dtype=np.int64), None, 0
    words = np.frombuffer(array.buffers()[1], dtype="<i8", count=2 * (n + array.offset))[2 * array.offset:]
    low, high = words[0::2], words[1::2]   # strided views: no copy
    present = array.is_valid().to_numpy(zero_copy_only=False) if array.null_count else None
    if present is not None:
        low, high = np.where(present, low, 0), np.where(present, high, 0)
    precision = array.type.precision
    if precision <= 15:
        return low, present, 10 ** precision - 1
    if not np.array_equal(high, low >> 63):
        return None
    bound = max(abs(int(low.max())), abs(int(low.min())))
    if bound >= LIMIT:
        return None
    return low, present, bound


def _money_shift(factor) -> int:
    """元 per unit as a power of ten (万元 → 4); money units are powers of ten."""
    if factor is None:
        return 0
    shift = _exponent_of(factor.normalize())
    if Decimal(1).scaleb(shift) != factor:  # pragma: no cover - MONEY_UNITS are powers of ten
        raise Unsupported("a money unit that is not a power of ten")
    return shift


def _rescale(units, exps, exp: int, bound: int) -> tuple:
    """Unscaled values at exponent *exp* (≤ every cell's exponent), and their new bound."""
    if isinstance(exps, int):
        if exps == exp:
            return units, bound
        factor = 10 ** (exps - exp)
        if bound * factor >= LIMIT // 4:
            raise Unsupported("amounts too large for 64-bit integers at this precision")
        return units * factor, bound * factor
    shifts = exps - exp
    if not shifts.any():
        return units, bound
    if int(shifts.max()) > 18:
        raise Unsupported("decimals too far apart in one column")
    scaled = units * (10 ** shifts)
    bound = _bound(scaled, "") if scaled.size else 0
    if bound >= LIMIT // 4:
        raise Unsupported("amounts too large for 64-bit integers at this precision")
    return scaled, bound


def _halves(printed_exp, declared, exp: int):
    """Half of each cell's precision (the finer of printed and declared) in units of 10**exp: an
    int when the column has one printed precision, else an array."""
    def half_of(e: int):
        printed = Decimal(1).scaleb(e)
        precision = printed if declared is None or printed < declared else declared
        return whole_number((precision * HALF).scaleb(-exp))
    if isinstance(printed_exp, int):
        return half_of(printed_exp)
    distinct = np.unique(printed_exp)
    if distinct.size <= 1:
        return half_of(int(distinct[0]) if distinct.size else 0)
    halves = {e: half_of(e) for e in distinct.tolist()}
    if any(isinstance(h, Decimal) for h in halves.values()):
        return np.zeros(printed_exp.shape, dtype=np.int64)  # a marker: the caller picks a finer exponent
    out = np.zeros(printed_exp.shape, dtype=np.int64)
    for e, h in halves.items():
        out[printed_exp == e] = h
    return out
