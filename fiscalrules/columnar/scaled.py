"""Decimal figures as scaled int64 integers: exponents, rescaling, rounding half-widths, bounds.

The arithmetic :class:`~.reading.Frame` reads a column with -- this is
:meth:`fiscalrules.compiler.Settings.to_quantity` over a whole column: the same conversion plan
per unit, the same printed precision (the finer of the cell's decimals -- or its ``precision`` --
and the ruleset's precision for its unit), so the intervals are those of the per-record engine,
exactly, as integers.  Anything that would leave int64 with room to spare raises
:class:`~.columns.Unsupported`.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ..values import HALF
from .columns import LIMIT, TooLarge, Unsupported, _exponent_of, whole_number

__all__ = ["masked_min", "masked_max", "power_of_ten", "classes", "bound_of", "decimal128_units", "money_shift",
           "rescale", "halves"]


def masked_min(values, ok) -> int:
    if isinstance(values, int):
        return values
    if ok is not None and not ok.all():
        values = values[ok]
    return int(values.min()) if values.size else 0


def masked_max(values, ok) -> int:
    if ok is not None and not ok.all():
        values = values[ok]
    return int(values.max()) if values.size else 0


def power_of_ten(value):
    """The exponent of a power of ten (0.01 → -2), None for None, False for anything else."""
    if value is None:
        return None
    sign, digits, exponent = value.normalize().as_tuple()
    return exponent if digits == (1,) and not sign and isinstance(exponent, int) else False


def classes(units, exps, cell_exps, plans, unit_ids, ok, bound, given):
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
    low = min([masked_min(cell_exps, ok)] + [_exponent_of(h.normalize()) for h in values])
    pt, bound = rescale(units, cell_exps, low, bound, ok)
    half_units = np.array([int(h.scaleb(-low)) for h in values] or [0], dtype=np.int64)
    return pt, low, np.where(ok, half_units[classes], 0), bound


def max_abs(values) -> int:
    """max |value| of an int64 array (0 when empty)."""
    if not values.size:
        return 0
    return max(abs(int(values.max())), abs(int(values.min())))


def bound_of(units, name: str) -> int:
    bound = max_abs(units)
    if bound >= LIMIT:
        raise Unsupported(f"column {name} holds amounts beyond 64-bit integers")
    return bound


def decimal128_units(array):
    """(unscaled int64 values, present mask or None, max |value|) of a decimal128 array, read from
    its buffer (16-byte two's complement: the low word is the value when it fits); None when a
    value does not fit in int64 or passes the engine's bound.  The bound is the values', whatever
    the type's precision: Arrow does not hold a decimal to its precision (a Parquet file's 16-byte
    cells may pass it), so a type's 10**p - 1 would let int64 arithmetic wrap and a cell's high
    word pass unseen.  The values come contiguous, a null cell's 0."""
    from .cells import _validity
    from .rowloops import decimal128_low
    n = len(array)
    if n == 0:
        return np.zeros(0, dtype=np.int64), None, 0
    present = _validity(array)
    found = decimal128_low(array, present)   # (one pass in C where built)
    if found is None or found[1] >= LIMIT:
        return None
    return found[0], present, found[1]


def money_shift(factor) -> int:
    """元 per unit as a power of ten (万元 → 4); money units are powers of ten."""
    if factor is None:
        return 0
    shift = _exponent_of(factor.normalize())
    if Decimal(1).scaleb(shift) != factor:  # pragma: no cover - MONEY_UNITS are powers of ten
        raise Unsupported("a money unit that is not a power of ten")
    return shift


def rescale(units, exps, exp: int, bound: int, ok=None) -> tuple:
    """Unscaled values at exponent *exp* (≤ every cell's exponent), and their new bound."""
    if isinstance(exps, int):
        if exps == exp:
            return units, bound
        factor = 10 ** (exps - exp)
        if bound * factor >= LIMIT // 4:
            raise TooLarge("amounts too large for 64-bit integers at this precision")
        return units * factor, bound * factor
    shifts = exps - exp
    if ok is not None:
        shifts = np.where(ok, shifts, 0)
    if not shifts.any():
        return units, bound
    top = int(shifts.max())
    if top > 18:
        raise Unsupported("decimals too far apart in one column")
    if bound * 10 ** top >= LIMIT // 4 and (np.abs(units) >= (LIMIT // 4) // 10 ** shifts).any():
        # (checked before multiplying: a product past 64 bits wraps, and its bound, taken after,
        # would be that of the wrapped values -- a wrong figure, silently)
        raise TooLarge("amounts too large for 64-bit integers at this precision")
    scaled = units * (10 ** shifts)
    bound = max(abs(int(scaled.max())), abs(int(scaled.min()))) if scaled.size else 0
    if bound >= LIMIT // 4:
        raise TooLarge("amounts too large for 64-bit integers at this precision")
    return scaled, bound


def halves(printed_exp, declared, exp: int, ok=None):
    """Half of each cell's precision (the finer of printed and declared) in units of 10**exp: an
    int when the column has one printed precision, else an array."""
    def half_of(e: int):
        printed = Decimal(1).scaleb(e)
        precision = printed if declared is None or printed < declared else declared
        return whole_number((precision * HALF).scaleb(-exp))
    if isinstance(printed_exp, int):
        return half_of(printed_exp)
    considered = printed_exp[ok] if ok is not None and not ok.all() else printed_exp
    if considered.size and int(considered.min()) == int(considered.max()):
        distinct = considered[:1]
    elif considered.size and int(considered.max()) - int(considered.min()) <= 64:  # (exponents: counted, not sorted)
        low = int(considered.min())
        distinct = np.flatnonzero(np.bincount(considered - low)) + low
    else:
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
