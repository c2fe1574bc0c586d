"""Columns of one chunk of a frame, read exactly: figures into scaled integers with their rounding
intervals, texts and flags into dictionary-coded vectors.

A figure column becomes a :class:`Num`: int64 arrays ``pt`` (the printed value) and ``half`` or
``lo``/``hi`` (the interval it stands for, money in 元) at one decimal exponent ``exp`` (the value
is ``pt × 10**exp``), and two masks: ``miss`` (the figure is absent: a null cell) and ``err``
(text where a number is needed, or a unit the declaration refuses -- an ``error`` per record).
This is :meth:`fiscalrules.compiler.Settings.to_quantity` over a whole column: the same
conversion plan per unit, the same printed precision (the finer of the cell's decimals -- or its
``precision`` -- and the ruleset's precision for its unit), so the intervals are those of the
per-record engine, exactly, as integers.

A :class:`Frame` is a chunk of one Arrow table whose columns are known by a *key* and a *part*:
the record frame's keys are field paths, a long frame's (one row per table row) are column names;
the part is None for the value and ``unit``, ``precision``, ``change`` or ``pct`` for a figure's
metadata (column ``income.total.change``).  Integer and decimal128 columns are read straight from
their Arrow buffers; text columns of plain numbers by Arrow compute; everything else cell by cell,
once per distinct value, with the record loader's own rules -- so a cell the loader would refuse
marks its row (``Frame.bad``) exactly as the per-record path reports that record.  Integers that
would not fit int64 with room to spare raise :class:`Unsupported`: those rules run per record.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..errors import RecordError
from ..records import _Builder
from ..values import HALF, format_decimal

__all__ = ["Unsupported", "Num", "Frame", "LIMIT", "META", "Text", "whole_number"]

# Every integer an expression produces stays below this: sums of a few terms and rescaling by a
# power of ten can then never overflow int64 unnoticed (bounds are tracked, see Num.bound).
LIMIT = 2 ** 62
#: The metadata parts of a figure that can be columns of their own (``PATH.change`` …).
META = ("unit", "precision", "change", "pct")
_PLAIN = r"^-?[0-9]{1,15}(\.[0-9]{1,14})?$"   # records._PLAIN_NUMBER, anchored for Arrow's RE2


class Unsupported(Exception):
    """This rule (or this data) cannot be evaluated on columns; the per-record engine runs it."""


class Num:
    """A numeric vector: printed value and interval as scaled int64 (Python ints for constants).

    Most intervals are symmetric, ``pt ± half`` (a printed figure, and sums and differences of
    them): then only ``half`` is kept -- a scalar when every row has the same precision -- and
    ``lo``/``hi`` are worked out when read, so a sum of figures costs one addition per row, not
    three.  Products, ``abs``, ``min``/``max`` keep explicit bounds (``half`` is None).
    ``dim`` is the dimension of every row, or ``"mixed"`` when rows differ (units per cell)."""

    __slots__ = ("pt", "half", "_lo", "_hi", "exp", "dim", "miss", "err", "bound", "owned")

    def __init__(self, pt, exp: int, dim: str, *, half=0, lo=None, hi=None, miss=None, err=None, bound: int = 0,
                 owned: bool = False):
        self.pt, self.exp, self.dim = pt, exp, dim
        # owned: pt is a temporary made for this vector alone (not a column the frame keeps), so
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

    def take(self, index) -> Num:
        """The rows at *index* (a gather: a record's figure for each of its table rows)."""
        def pick(a):
            return a[index] if isinstance(a, np.ndarray) else a
        if self.half is not None:
            return Num(pick(self.pt), self.exp, self.dim, half=pick(self.half), miss=pick(self.miss),
                       err=pick(self.err), bound=self.bound, owned=isinstance(self.pt, np.ndarray))
        return Num(pick(self.pt), self.exp, self.dim, lo=pick(self._lo), hi=pick(self._hi), miss=pick(self.miss),
                   err=pick(self.err), bound=self.bound, owned=isinstance(self.pt, np.ndarray))


class Text:
    """A text vector: ``codes`` into ``texts`` (each distinct text once), and the masks."""

    __slots__ = ("codes", "texts", "miss", "err")

    def __init__(self, codes, texts: list, miss=None, err=None):
        self.codes, self.texts, self.miss, self.err = codes, texts, miss, err

    def take(self, index) -> Text:
        def pick(a):
            return a[index] if isinstance(a, np.ndarray) else a
        return Text(pick(self.codes), self.texts, pick(self.miss), pick(self.err))

    def mapped(self, function, dtype) -> np.ndarray:
        """``function(text)`` for every row, worked out once per distinct text."""
        table = np.array([function(t) for t in self.texts] + [function("")], dtype=dtype)
        codes = self.codes if isinstance(self.codes, np.ndarray) else np.asarray(self.codes)
        return table[codes]


def whole_number(value):
    """A Decimal that is a whole number as an int (other values unchanged)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _exponent_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _any(mask):
    return mask if mask is not None and mask.any() else None


class _Cells:
    """One Arrow array read as the record loader reads each cell: numbers, text, flags.

    Each distinct value is read once (the array is dictionary-encoded): text columns of a budget
    table repeat a few names and codes, and reading a cell is the dear part."""

    __slots__ = ("codes", "distinct", "distinct_number", "is_number", "present", "bad")

    def __init__(self, column, name: str, floats: str):
        import pyarrow as pa
        try:
            encoded = column.dictionary_encode() if len(column) else None
            if isinstance(encoded, pa.ChunkedArray):
                encoded = encoded.combine_chunks()
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
                if floats != "printed" or cell in (float("inf"), float("-inf")):
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


class Frame:
    """The columns of a chunk of rows (an Arrow table), read on first use and kept for its rules.

    *roles* maps each column name to ``(key, part)``; *decls* gives a key's declaration (a
    field's or a table column's), used to check metadata the loader would refuse."""

    def __init__(self, table, settings, roles: dict, floats: str = "refuse"):
        self.table = table
        self.n = table.num_rows
        self.settings = settings
        self.floats = floats
        self.column_of = {role: name for name, role in roles.items()}
        self._cells: dict = {}
        self._ints: dict = {}
        self._cache: dict = {}
        self.bad = np.zeros(self.n, dtype=bool)
        for name, (key, part) in roles.items():
            self._validate(name, key, part)

    # -- what the frame has ------------------------------------------------------------------------
    def has(self, key: str, part: str | None = None) -> bool:
        return (key, part) in self.column_of

    def keys_under(self, prefix: str) -> list:
        """Value columns directly under *prefix* (``prefix.*``), in column order."""
        start = prefix + "."
        return [key for key, part in self.column_of if part is None and key.startswith(start)
                and "." not in key[len(start):]]

    def present(self, key: str) -> np.ndarray:
        """Rows whose value cell for *key* holds something (the figure exists in the record)."""
        name = self.column_of.get((key, None))
        if name is None:
            return np.zeros(self.n, dtype=bool)
        found = self._cache.get(("present", name))
        if found is None:
            column = self.table.column(name)
            found = column.is_valid().to_numpy(zero_copy_only=False) if column.null_count else np.ones(self.n, bool)
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
                if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
                    self.bad |= where & column.is_valid().to_numpy(zero_copy_only=False)
                return
            try:
                units, exps, present, nonnum, _ = self._integers(name)
            except Unsupported:  # beyond 64 bits: judged cell by cell
                cells = self.cells(name)
                self.bad |= where & (cells.bad | (cells.present & ~cells.is_number))
                return
            self.bad |= where & self.cells_bad(name)
            if nonnum is not None:
                self.bad |= where & nonnum       # an amount must be a number
            if part == "precision":
                self.bad |= where & (present if present is not None else True) & (units <= 0)
            return
        if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
            return
        if pa.types.is_decimal(kind) and kind.scale <= 30 and kind.precision <= 30:
            return  # every value within the loader's limits (30 digits, exponents within ±30)
        if pa.types.is_floating(kind) and self.floats != "printed":
            self.bad |= self.present(key)
            return
        self.bad |= self.cells_bad(name)

    def cells_bad(self, name: str) -> np.ndarray:
        """Rows whose cell in *name* the loader refuses (strings outside the fast path only)."""
        found = self._cache.get(("bad", name))
        if found is None:
            import pyarrow as pa
            column = self.table.column(name)
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                fast, _, _ = self._fast_numbers(name)
                found = np.zeros(self.n, dtype=bool)
                rest = np.flatnonzero(~fast)
                if rest.size:
                    found[rest] = _Cells(column.take(rest), name, self.floats).bad
            else:
                found = self.cells(name).bad
            self._cache[("bad", name)] = found
        return found

    def cells(self, name: str) -> _Cells:
        cells = self._cells.get(name)
        if cells is None:
            cells = self._cells[name] = _Cells(self.table.column(name), name, self.floats)
        return cells

    # -- numbers -----------------------------------------------------------------------------------
    def num(self, key: str, decl, part: str | None = None) -> Num:
        """The figure at *key* (or its stated change / percentage) as a vector of quantities, as
        ``Settings.to_quantity`` makes them."""
        cache_key = ("num", key, id(decl), part)
        found = self._cache.get(cache_key)
        if found is None:
            found = self._cache[cache_key] = self._read_num(key, decl, part or "value")
        return found

    def _read_num(self, key: str, decl, meta: str) -> Num:
        settings = self.settings
        n = self.n
        default_plan = settings._plan(None, decl, meta)
        value_name = self.column_of.get((key, None))
        source = value_name if meta == "value" else self.column_of.get((key, meta))
        if value_name is None or source is None:  # no such column: absent in every row
            return Num(np.zeros(n, dtype=np.int64), 0, default_plan[1], miss=np.ones(n, dtype=bool))
        units, exps, present, nonnum, bound = self._integers(source)
        if meta != "value":  # a stated change needs the figure and the change
            present = self.present(value_name) & (present if present is not None else True)
            nonnum = None     # a change that is not a number makes the record unreadable
        if present is None:
            present = np.ones(n, dtype=bool)
        unit_ids, plans = self._unit_plans(key, decl, meta, default_plan)
        if len(plans) > 1:  # one plan per distinct conversion, not per spelling of the unit
            distinct, index = {}, []
            for plan in plans:
                index.append(distinct.setdefault(plan, len(distinct)))
            plans = list(distinct)
            unit_ids = np.asarray(index, dtype=np.int64)[unit_ids]
        problem = None
        if any(plan[4] is not None for plan in plans):
            problem = np.array([plan[4] is not None for plan in plans])[unit_ids]
        flags = nonnum if problem is None else (problem if nonnum is None else nonnum | problem)
        err = _any(present & flags) if flags is not None else None   # (no pass when nothing is wrong)
        ok = present & ~err if err is not None else present
        miss = _any(~present)
        used = np.unique(unit_ids[ok]).tolist() if len(plans) > 1 else [0]
        if len(used) <= 1:  # one conversion for every row that counts
            plans, unit_ids = [plans[used[0]] if used else plans[0]], np.zeros(n, dtype=np.int64)
            used = [0]
        dim = _one_dim({plans[i][1] for i in used})
        shifts = np.array([_money_shift(plan[0]) for plan in plans], dtype=np.int64)
        single = len(plans) == 1
        if single:  # each cell's exponent in base units (money in 元)
            cell_exps = exps + int(shifts[0])
        else:
            cell_exps = (exps if isinstance(exps, np.ndarray) else np.full(n, exps, dtype=np.int64)) + shifts[unit_ids]
        if plans[0][3]:  # counts and plain numbers are exact
            low = _masked_min(cell_exps, ok)
            pt, bound = _rescale(units, cell_exps, low, bound, ok)
            return Num(pt, low, dim, miss=miss, err=err, bound=bound)
        precision_name = self.column_of.get((key, "precision")) if meta == "value" else None
        if single and precision_name is None:
            return self._symmetric(units, exps, int(shifts[0]), plans[0][2], dim, miss, err, ok, bound)
        powers = [_power_of_ten(plan[2]) for plan in plans]
        if precision_name is None and all(p is not False for p in powers):
            # Declared precisions are powers of ten: each half is 5 × 10**e, e per row.
            printed = np.minimum(exps, 0) if isinstance(exps, np.ndarray) else np.full(n, min(exps, 0), dtype=np.int64)
            declared = np.array([p if p is not None else 10 ** 6 for p in powers], dtype=np.int64)[unit_ids]
            half_exp = np.minimum(printed, declared) + shifts[unit_ids] - 1
            low = min(_masked_min(cell_exps, ok), _masked_min(half_exp, ok))
            pt, bound = _rescale(units, cell_exps, low, bound, ok)
            if int(_masked_max(half_exp, ok)) - low > 17:
                raise Unsupported("precisions too far apart in one column")
            half = np.where(ok, 5 * 10 ** np.clip(half_exp - low, 0, 17), 0)
        else:
            pt, low, half, bound = _classes(units, exps, cell_exps, plans, unit_ids, ok, bound,
                                            self._integers(precision_name) if precision_name else None)
        bound += int(half.max()) + 1 if half.size else 1
        if bound >= LIMIT // 4:
            raise Unsupported("amounts too large for 64-bit integers")
        return Num(pt, low, dim, half=half, miss=miss, err=err, bound=bound)

    def _symmetric(self, units, exps, shift, declared, dim, miss, err, ok, bound) -> Num:
        """One unit for the column: halves from the cells' printed decimals (one scalar when they
        are alike, kept as a fraction of the last digit)."""
        uniform = isinstance(exps, int)
        low = exps if uniform else _masked_min(exps, ok)
        printed_exp = min(exps, 0) if uniform else np.minimum(exps, 0)
        lowest_printed = printed_exp if uniform else _masked_min(printed_exp, ok)
        half = _halves(printed_exp, declared, low, ok)
        if isinstance(half, np.ndarray):  # precisions vary by cell: halves as integers, at a finer exponent
            half_exp = min(lowest_printed, _exponent_of(declared * HALF) if declared is not None else 0) - 1
            exp = min(low, half_exp)
            half = _halves(printed_exp, declared, exp, ok)
        else:
            exp = low
        pt, bound = _rescale(units, exps, exp, bound, ok)
        bound += int(half.max()) + 1 if isinstance(half, np.ndarray) and half.size else int(half) + 1
        if bound >= LIMIT // 4:
            raise Unsupported("amounts too large for 64-bit integers")
        return Num(pt, exp + shift, dim, half=half, miss=miss, err=err, bound=bound)

    def _unit_plans(self, key, decl, meta, default_plan):
        """(unit id per row, conversion plan per unit id): one plan when no cell names a unit."""
        name = self.column_of.get((key, "unit"))
        if name is None:
            return np.zeros(self.n, dtype=np.int64), [default_plan]
        text = self.text_column(name)
        texts = ["%" if t == "％" else t for t in text.texts]
        units = [None] + [t or None for t in texts]    # id 0: no unit given
        plans = [self.settings._plan(u, decl, meta) for u in units]
        ids = np.where(text.miss if text.miss is not None else False, 0, np.asarray(text.codes) + 1)
        return ids.astype(np.int64), plans

    def _integers(self, name: str):
        """(unscaled int64 values, their exponent (an int when one for the column, else an array),
        present mask or None when all are, not-a-number mask or None, max |value|) of a column."""
        found = self._ints.get(name)
        if found is None:
            found = self._ints[name] = self._read_integers(name)
        return found

    def _read_integers(self, name: str):
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
        if pa.types.is_boolean(kind) or pa.types.is_null(kind):  # flags where a number is needed
            present = column.is_valid().to_numpy(zero_copy_only=False)
            return np.zeros(n, dtype=np.int64), 0, present, present.copy(), 0
        units = np.zeros(n, dtype=np.int64)
        exps = np.zeros(n, dtype=np.int64)
        present = np.zeros(n, dtype=bool)
        nonnum = np.zeros(n, dtype=bool)
        rest = np.arange(n)
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            fast, fast_units, fast_exps = self._fast_numbers(name)
            units[fast], exps[fast], present[fast] = fast_units[fast], fast_exps[fast], True
            rest = np.flatnonzero(~fast)
        if rest.size:
            cells = _Cells(column.take(rest) if rest.size != n else column, name, self.floats)
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
            units[rest] = np.where(numbers, distinct_units[cells.codes], 0)
            exps[rest] = np.where(numbers, distinct_exps[cells.codes], 0)
            present[rest] = cells.present & ~cells.bad
            nonnum[rest] = cells.present & ~cells.bad & ~numbers
        distinct = np.unique(exps[present]) if present.any() else np.zeros(0, dtype=np.int64)
        exps_out = int(distinct[0]) if distinct.size == 1 and present.all() else exps
        if isinstance(exps_out, np.ndarray) and distinct.size <= 1:
            exps_out = int(distinct[0]) if distinct.size else 0
            units = np.where(present, units, 0)
        return (units, exps_out, None if present.all() else present, _any(nonnum), _bound(units, name))

    def _fast_numbers(self, name: str):
        """(mask, units, exponents) of the cells of a text column that are plain decimals of at
        most 18 digits -- read by Arrow compute, not one by one (what the loader reads as
        ``Decimal(text)`` without cleaning)."""
        found = self._cache.get(("fast", name))
        if found is not None:
            return found
        import pyarrow as pa
        import pyarrow.compute as pc
        column = self.table.column(name)
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        n = self.n
        plain = pc.and_(pc.match_substring_regex(column, _PLAIN), pc.less_equal(pc.binary_length(column), 19))
        mask = plain.fill_null(False).to_numpy(zero_copy_only=False)
        if not mask.any():
            found = (mask, np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
        else:
            digits = pc.if_else(plain.fill_null(False), pc.replace_substring(column, ".", ""), "0")
            units = pc.cast(digits, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
            length = pc.binary_length(column).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
            dot = pc.find_substring(column, ".").fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            exps = np.where(mask & (dot >= 0), dot + 1 - length, 0)
            found = (mask, np.where(mask, units, 0), exps)
        self._cache[("fast", name)] = found
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
            present = column.is_valid().to_numpy(zero_copy_only=False)
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


def _one_dim(dims: set) -> str:
    """The dimension of rows whose units differ: only money or not matters to a decision (which
    tolerance applies), so ``"mixed"`` only when some rows are money and some are not."""
    if len(dims) == 1:
        return next(iter(dims))
    return "mixed" if len({d == "money" for d in dims}) > 1 else sorted(dims)[0]


def _as_text(value) -> str:
    if value is None:
        return ""
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


def _masked_min(values, ok) -> int:
    if isinstance(values, int):
        return values
    if ok is not None and not ok.all():
        values = values[ok]
    return int(values.min()) if values.size else 0


def _masked_max(values, ok) -> int:
    if ok is not None and not ok.all():
        values = values[ok]
    return int(values.max()) if values.size else 0


def _power_of_ten(value):
    """The exponent of a power of ten (0.01 → -2), None for None, False for anything else."""
    if value is None:
        return None
    sign, digits, exponent = value.normalize().as_tuple()
    return exponent if digits == (1,) and not sign and isinstance(exponent, int) else False


def _classes(units, exps, cell_exps, plans, unit_ids, ok, bound, given):
    """Halves per row for the rare columns whose precisions are not all powers of ten, or that
    carry a ``precision`` per cell: one Decimal half per distinct (precision, unit)."""
    n = len(units)
    exps_row = exps if isinstance(exps, np.ndarray) else np.full(n, exps, dtype=np.int64)
    precision = [Decimal(1).scaleb(min(e, 0)) for e in exps_row.tolist()]
    if given is not None:
        p_units, p_exps, p_present, _, _ = given
        p_exps = p_exps if isinstance(p_exps, np.ndarray) else np.full(n, p_exps, dtype=np.int64)
        for i in np.flatnonzero(ok & (p_present if p_present is not None else True)).tolist():
            precision[i] = Decimal(int(p_units[i])).scaleb(int(p_exps[i]))
    halves: dict = {}
    classes = np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(ok).tolist():
        pair = (precision[i], int(unit_ids[i]))
        found = halves.get(pair)
        if found is None:
            factor, _, declared, _, _ = plans[pair[1]]
            chosen = pair[0] if declared is None or pair[0] < declared else declared
            found = halves[pair] = (len(halves), chosen * HALF * (factor if factor is not None else 1))
        classes[i] = found[0]
    values = [h for _, h in sorted(halves.values(), key=lambda item: item[0])]
    low = min([_masked_min(cell_exps, ok)] + [_exponent_of(h.normalize()) for h in values])
    pt, bound = _rescale(units, cell_exps, low, bound, ok)
    half_units = np.array([int(h.scaleb(-low)) for h in values] or [0], dtype=np.int64)
    return pt, low, np.where(ok, half_units[classes], 0), bound


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


def _rescale(units, exps, exp: int, bound: int, ok=None) -> tuple:
    """Unscaled values at exponent *exp* (≤ every cell's exponent), and their new bound."""
    if isinstance(exps, int):
        if exps == exp:
            return units, bound
        factor = 10 ** (exps - exp)
        if bound * factor >= LIMIT // 4:
            raise Unsupported("amounts too large for 64-bit integers at this precision")
        return units * factor, bound * factor
    shifts = exps - exp
    if ok is not None:
        shifts = np.where(ok, shifts, 0)
    if not shifts.any():
        return units, bound
    if int(shifts.max()) > 18:
        raise Unsupported("decimals too far apart in one column")
    scaled = units * (10 ** shifts)
    bound = _bound(scaled, "") if scaled.size else 0
    if bound >= LIMIT // 4:
        raise Unsupported("amounts too large for 64-bit integers at this precision")
    return scaled, bound


def _halves(printed_exp, declared, exp: int, ok=None):
    """Half of each cell's precision (the finer of printed and declared) in units of 10**exp: an
    int when the column has one printed precision, else an array."""
    def half_of(e: int):
        printed = Decimal(1).scaleb(e)
        precision = printed if declared is None or printed < declared else declared
        return whole_number((precision * HALF).scaleb(-exp))
    if isinstance(printed_exp, int):
        return half_of(printed_exp)
    considered = printed_exp[ok] if ok is not None and not ok.all() else printed_exp
    distinct = np.unique(considered)
    if distinct.size <= 1:
        return half_of(int(distinct[0]) if distinct.size else 0)
    halves = {e: half_of(e) for e in distinct.tolist()}
    if any(isinstance(h, Decimal) for h in halves.values()):
        return np.zeros(printed_exp.shape, dtype=np.int64)  # a marker: the caller picks a finer exponent
    out = np.zeros(printed_exp.shape, dtype=np.int64)
    for e, h in halves.items():
        out[printed_exp == e] = h
    return out
