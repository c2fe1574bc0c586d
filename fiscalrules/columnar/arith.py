"""Interval arithmetic and decisions on scaled integers: :mod:`fiscalrules.values` over columns.

Sums, differences, products, ``abs``, ``min``/``max`` of :class:`~.columns.Num` vectors carry
the rounding interval as :class:`~fiscalrules.values.Quantity` does, exactly, in int64 at a
common decimal exponent; :func:`decide` is :func:`fiscalrules.values.decide` on every row.

Quotients are not exact in scaled integers, so a division is never computed: a comparison with a
quotient ``L op N / D × k`` (a stated percentage against change ÷ prior × 100) is decided by
cross-multiplying -- ``L × D`` against ``N × k`` -- which is exact.  The per-record engine
rounds quotients to 80 digits; the two can only disagree where a bound is met exactly, so such
rows are *deferred* to the per-record engine (:class:`Deferred` masks), never guessed.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np

from ..values import NO_TOLERANCE
from .columns import LIMIT, Num, TooLarge, Unsupported, whole_number
from .kernel import compiled, int64s
from .largerows import rows_fit, without_large_rows
from .sums import decide_sum, lazy_sum
from .vectors import EXACT, FAIL, ROUNDING, Cond, mask_or, seq

__all__ = ["constant", "add", "neg", "mul", "absolute", "extreme", "decide", "choose", "group_sum",
           "group_extreme", "Quot", "decide_quotient"]


def constant(value: Decimal, dim: str) -> Num:
    exponent = value.as_tuple().exponent
    exp = min(exponent, 0) if isinstance(exponent, int) else 0
    units = int(value.scaleb(-exp))
    if abs(units) >= LIMIT:
        raise TooLarge("a constant too large for 64-bit integers")
    return Num(units, exp, dim, bound=abs(units))


def aligned(a: Num, b: Num) -> tuple:
    exp = min(a.exp, b.exp)
    return a.at(exp), b.at(exp)


def checked(bound: int) -> int:
    if bound >= LIMIT:
        raise TooLarge("amounts too large for 64-bit integers")
    return bound


def _combine(ufunc, a: Num, b: Num):
    """``ufunc(a.pt, b.pt)``, written into a temporary operand when there is one (no allocation)."""
    if a.owned and (not isinstance(b.pt, np.ndarray) or a.pt.shape == b.pt.shape):
        return ufunc(a.pt, b.pt, out=a.pt)
    if b.owned and (not isinstance(a.pt, np.ndarray) or a.pt.shape == b.pt.shape):
        return ufunc(a.pt, b.pt, out=b.pt)
    return ufunc(a.pt, b.pt)


def _sum_dim(a: str, b: str) -> str:
    return a if a != "number" else b


def add(a: Num, b: Num, sign: int = 1) -> Num:
    """a + b (sign 1) or a - b (sign -1): intervals add, a difference's bounds cross over."""
    a, b = aligned(a, b)
    miss, err = seq((a, b))
    dim = _sum_dim(a.dim, b.dim)
    bound = checked(a.bound + b.bound)
    if a.half is not None and b.half is not None:  # symmetric stays symmetric: the halves add
        half = whole_number(a.half + b.half)
        unadded = lazy_sum(a, b, sign, a.exp, dim, half, miss, err, bound)   # (added up when read)
        if unadded is not None:
            return unadded
        pt = _combine(np.add if sign > 0 else np.subtract, a, b)
        return Num(pt, a.exp, dim, half=half, miss=miss, err=err, bound=bound, owned=True)
    a, b = aligned(a.whole(), b.whole())
    pt = a.pt + b.pt if sign > 0 else a.pt - b.pt
    if sign > 0:
        return Num(pt, a.exp, dim, lo=a.lo + b.lo, hi=a.hi + b.hi, miss=miss, err=err, bound=bound)
    return Num(pt, a.exp, dim, lo=a.lo - b.hi, hi=a.hi - b.lo, miss=miss, err=err, bound=bound)


def neg(a: Num) -> Num:
    if a.half is not None:
        return Num(-a.pt, a.exp, a.dim, half=a.half, miss=a.miss, err=a.err, bound=a.bound)
    return Num(-a.pt, a.exp, a.dim, lo=-a.hi, hi=-a.lo, miss=a.miss, err=a.err, bound=a.bound)


def _product_dim(a: str, b: str) -> str:
    return a if b in ("number", "percent") else b


def mul(a: Num, b: Num) -> Num:
    a, b = a.whole(), b.whole()
    miss, err = seq((a, b))
    bound = checked(max(a.bound, 1) * max(b.bound, 1))
    dim = _product_dim(a.dim, b.dim)
    exp = a.exp + b.exp
    pt = a.pt * b.pt
    if a.exact and b.exact:
        return Num(pt, exp, dim, miss=miss, err=err, bound=bound)
    products = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    lo, hi = products[0], products[0]
    for p in products[1:]:
        lo, hi = np.minimum(lo, p), np.maximum(hi, p)
    return Num(pt, exp, dim, lo=lo, hi=hi, miss=miss, err=err, bound=bound)


def absolute(a: Num) -> Num:
    a = a.whole()
    pt = np.abs(a.pt)
    if a.exact:
        return Num(pt, a.exp, a.dim, miss=a.miss, err=a.err, bound=a.bound)
    lo, hi = a.lo, a.hi
    nonneg, nonpos = lo >= 0, hi <= 0
    new_lo = np.where(nonneg, lo, np.where(nonpos, -hi, 0))
    new_hi = np.where(nonneg, hi, np.where(nonpos, -lo, np.maximum(-lo, hi)))
    return Num(pt, a.exp, a.dim, lo=new_lo, hi=new_hi, miss=a.miss, err=a.err, bound=a.bound)


def _common(values: list) -> list:
    values = [v.whole() for v in values]
    exp = min(v.exp for v in values)
    return [v.at(exp) for v in values]


def extreme(values: list, pick_min: bool) -> Num:
    """min()/max() of scalars: points, lower and upper bounds each picked separately."""
    values = _common(values)
    miss, err = seq(values)
    pick = np.minimum if pick_min else np.maximum
    pt, lo, hi = values[0].pt, values[0].lo, values[0].hi
    for v in values[1:]:
        pt, lo, hi = pick(pt, v.pt), pick(lo, v.lo), pick(hi, v.hi)
    return Num(pt, values[0].exp, values[0].dim, lo=lo, hi=hi, miss=miss, err=err,
               bound=max(v.bound for v in values))


def _full(value, n: int):
    return value if isinstance(value, np.ndarray) else np.full(n, value, dtype=np.int64)


def choose(pick, a: Num, b: Num, n: int) -> Num:
    """Per row, *a* where *pick* else *b* (values and intervals; masks are the caller's)."""
    a, b = _common([a, b])
    dim = a.dim if a.dim == b.dim else ("mixed" if "money" in (a.dim, b.dim) else a.dim)
    pt = np.where(pick, _full(a.pt, n), _full(b.pt, n))
    bound = max(a.bound, b.bound)
    if a.half is not None and b.half is not None:
        half = np.where(pick, a.half, b.half) if isinstance(a.half, np.ndarray) or isinstance(b.half, np.ndarray) \
            or a.half != b.half else a.half
        return Num(pt, a.exp, dim, half=half, bound=bound, owned=True)
    return Num(pt, a.exp, dim, lo=np.where(pick, _full(a.lo, n), _full(b.lo, n)),
               hi=np.where(pick, _full(a.hi, n), _full(b.hi, n)), bound=bound)


# ---- lists: one value per owner ------------------------------------------------------------------

def _reduce(ufunc, values, starts, counts, n: int, empty=0):
    """``ufunc.reduceat`` per group, *empty* for groups without items."""
    out = np.full(n, empty, dtype=np.int64)
    if len(values) == 0:
        return out
    has = counts > 0
    if has.any():
        out[has] = ufunc.reduceat(values, starts[:-1][has])
    return out


def _segment_sum(values, starts, keep=None, index=None) -> np.ndarray:
    """Each group's sum, as the difference of two prefix sums: one pass over the items and one
    gather, where ``reduceat`` needs a mask of the groups with items and a scatter.  int64
    wraps around on overflow, and a difference of wrapped prefix sums is the group's sum modulo
    2**64 -- exact, since every group's sum is below ``LIMIT`` (its bound is checked).
    One temporary per size (the prefix sums, their gather, the difference written over the
    gather): each large temporary costs page faults when it is fresh memory.  With *keep* (a
    mask of the items), the sum of the items it keeps (*values* None: how many it keeps).  With
    *index*, the items are ``values[index]``, summed where they are (no gather made)."""
    c = compiled()
    if index is not None:
        if c is not None and type(values) is np.ndarray and values.dtype == np.int64:
            out = np.empty(len(starts) - 1, dtype=np.int64)
            c.gathered_sums(int64s(values), None, None, None, int64s(index), int64s(starts), out, None, None)
            return out
        values = values.take(index)
    if c is not None and keep is not None:   # one pass over the items in place: no kept list made
        out = np.empty(len(starts) - 1, dtype=np.int64)
        c.kept_sums(None if values is None else int64s(values), np.ascontiguousarray(keep, dtype=bool),
                    int64s(starts), out)
        return out
    if keep is not None:
        values = keep.astype(np.int64) if values is None else np.where(keep, values, 0)
    elif c is not None and isinstance(values, np.ndarray) and values.dtype == np.int64:   # one pass, no prefix sums
        out = np.empty(len(starts) - 1, dtype=np.int64)
        c.segment_sums(int64s(values), int64s(starts), out)
        return out
    total = np.empty(len(values) + 1, dtype=np.int64)
    total[0] = 0
    if len(values):
        np.cumsum(values, out=total[1:])
    at = total.take(starts)
    return np.subtract(at[1:], at[:-1], out=at[:-1])


def group_sum(items: Num, starts, n: int, keep=None, index=None) -> Num:
    """The sum of each owner's items (an empty list sums to an exact 0, as ``_sum`` gives); with
    *keep* (a mask of the items), of the items it keeps alone -- a comprehension's elements at the
    rows its filter keeps, summed where they are (:mod:`.aggregates`); with *index* (and no
    *keep*), the items are ``items[index]`` -- rows of a column, a roll-up's children
    (:mod:`.rollups`) -- summed where they are."""
    counts = np.diff(starts) if keep is None else _segment_sum(None, starts, keep)
    most = int(counts.max()) if n else 0
    m = len(items.pt) if isinstance(items.pt, np.ndarray) else int(starts[-1])  # (a constant: one per item)
    dim = items.dim if items.dim == "number" or not n or int(counts.min()) > 0 else \
        ("mixed" if items.dim == "money" else items.dim)
    half = items.half
    if isinstance(half, Decimal) and isinstance(items.pt, np.ndarray):
        # A printed figure's half (0.005 at cents): the points are summed at their own scale and
        # the sums rescaled to the finer scale ``whole()`` would choose (one multiplication per
        # owner, not per item); the halves are count × half, whole at that scale.
        exponent = half.normalize().as_tuple().exponent
        factor = 10 ** -exponent if exponent < 0 else 1
        halves = whole_number(half * factor)
        if isinstance(halves, int):
            bound = checked(checked(items.bound * factor) * max(most, 1))
            pt = _segment_sum(items.pt, starts, keep, index)
            if factor != 1:
                pt = np.multiply(pt, factor, out=pt)
            return Num(pt, items.exp + (exponent if exponent < 0 else 0), dim, half=halves * counts,
                       bound=checked(bound + halves * most + 1), owned=True)
    items = items.whole()
    bound = checked(items.bound * max(most, 1))
    pt = _segment_sum(_full(items.pt, m), starts, keep, index)
    if items.half is not None:
        half = items.half * counts if not isinstance(items.half, np.ndarray) else \
            _segment_sum(items.half, starts, keep, index)
        return Num(pt, items.exp, dim, half=half, bound=checked(bound + int(np.max(half, initial=0)) + 1), owned=True)
    return Num(pt, items.exp, dim, lo=_segment_sum(_full(items.lo, m), starts, keep, index),
               hi=_segment_sum(_full(items.hi, m), starts, keep, index), bound=bound)


def group_extreme(items: Num, starts, n: int, pick_min: bool) -> tuple:
    """(min or max of each owner's items, owners with no item: an error in the per-record engine)."""
    items = items.whole()
    counts = np.diff(starts)
    ufunc = np.minimum if pick_min else np.maximum
    m = len(items.pt) if isinstance(items.pt, np.ndarray) else int(starts[-1])  # (a constant: one per item)
    pt = _reduce(ufunc, _full(items.pt, m), starts, counts, n)
    lo = _reduce(ufunc, _full(items.lo, m), starts, counts, n)
    hi = _reduce(ufunc, _full(items.hi, m), starts, counts, n)
    empty = counts == 0
    return Num(pt, items.exp, items.dim, lo=lo, hi=hi, bound=items.bound), (empty if empty.any() else None)


# ---- decisions ---------------------------------------------------------------------------------

def _count(point_fails, near_fails):
    return np.add(np.asarray(point_fails).view(np.int8), np.asarray(near_fails).view(np.int8), dtype=np.int8)


def _extra(tolerance, a: Num, b: Num) -> Decimal:
    if tolerance is NO_TOLERANCE:
        return Decimal(0)
    if tolerance.money == tolerance.amount:
        return tolerance.money
    if "mixed" in (a.dim, b.dim) and "money" not in (a.dim, b.dim):
        raise Unsupported("a tolerance in money beside figures of mixed units")
    return tolerance.money if (a.dim == "money" or b.dim == "money") else tolerance.amount


def decide(op: str, a: Num, b: Num, tolerance, n: int) -> Cond:
    """:func:`fiscalrules.values.decide` on every row, in integers."""
    if tolerance is not NO_TOLERANCE and tolerance.relative:
        return _decide_relative(op, a, b, tolerance, n)
    extra = _extra(tolerance, a, b)
    extra_num = constant(extra, "number")
    # No tolerance: its exponent must not force both sides to a finer scale (a pass per column).
    exp = min(a.exp, b.exp, extra_num.exp) if extra else min(a.exp, b.exp)
    a, b = a.at(exp), b.at(exp)
    extra_units = extra_num.at(exp).pt if extra else 0
    checked(a.bound + b.bound + abs(extra_units))
    miss, err = seq((a, b))
    if a.half is not None and b.half is not None:
        # Symmetric intervals: the slack is the sum of the halves whichever way the difference goes,
        # and each bound test is a test of the difference.
        # The outcome is the count of tests failed (reach ≥ 0, so failing the wide test implies
        # failing the point test): 0 EXACT, 1 ROUNDING, 2 FAIL, as two boolean passes.
        # The differences are integers: a fractional reach r tests as floor(r) or ceil(r).
        low, high = _reach(a.half, b.half, extra_units)
        fused = decide_sum(_OPS[op], a, b, low, high, n)    # a side a sum left unadded: its terms read
        if fused is None:
            fused = _decided(op, a.pt, b.pt, low, high, n)
        if fused is not None:
            return Cond(fused, miss, err)
        diff = _combine(np.subtract, a, b)
        if op == "=":
            # diff is a temporary (a new array, or an operand's own temporary): take |diff| in place
            distance = np.abs(diff, out=diff) if isinstance(diff, np.ndarray) and diff is not a.pt \
                and diff is not b.pt else np.abs(diff)
            out = _count(distance != 0, distance > low)
        elif op == "!=":
            out = _count(diff == 0, diff == 0)
        elif op == "<":
            out = _count(diff >= 0, diff >= high)
        elif op == "<=":
            out = _count(diff > 0, diff > low)
        elif op == ">":
            out = _count(diff <= 0, diff <= -high)
        else:
            out = _count(diff < 0, diff < -low)
    elif op == "=":
        a, b = aligned(a.whole(), b.whole())
        extra_units = extra_num.at(a.exp).pt if extra else 0
        diff = a.pt - b.pt
        slack = np.where(diff >= 0, (a.pt - a.lo) + (b.hi - b.pt), (a.hi - a.pt) + (b.pt - b.lo))
        out = np.where(diff == 0, EXACT, np.where(np.abs(diff) <= slack + extra_units, ROUNDING, FAIL))
    elif op == "!=":
        out = np.where(a.pt - b.pt != 0, EXACT, FAIL)
    else:
        a, b = aligned(a.whole(), b.whole())
        extra_units = extra_num.at(a.exp).pt if extra else 0
        out = _ordered(op, a.pt - b.pt, a.lo, a.hi, b.lo, b.hi, extra_units)
    out = np.broadcast_to(np.asarray(out, dtype=np.int8), (n,))
    return Cond(out, miss, err)


_OPS = {"=": 0, "!=": 1, "<": 2, "<=": 3, ">": 4, ">=": 5}


def _reach(*parts) -> tuple:
    """(low, high): the reach of a comparison of symmetric intervals -- the sum of the halves and
    the tolerance -- rounded down and up (the differences it is tested against are integers).
    A half per row (an integer array) beside a fraction (0.005 at cents) rounds as an integer
    plus the fraction: ``floor(k + x) = k + floor(x)``, in int64, not as a Decimal per row."""
    rows = [p for p in parts if isinstance(p, np.ndarray)]
    if rows and not all(p.dtype.kind in "iu" for p in rows):   # (no such half: kept as it was)
        reach = sum(parts[1:], parts[0])
        return reach, reach
    scalar = sum((p for p in parts if not isinstance(p, np.ndarray)), 0)
    if isinstance(scalar, Decimal):
        low, high = int(scalar.to_integral_value(ROUND_FLOOR)), int(scalar.to_integral_value(ROUND_CEILING))
    else:
        low = high = scalar
    if not rows:
        return low, high
    fresh = len(rows) > 1       # (a sum of arrays: a temporary of this call's, added to in place)
    total = rows[0] if not fresh else sum(rows[1:], rows[0])
    if high == low:
        if not low:
            return total, total
        shifted = np.add(total, low, out=total) if fresh else total + low
        return shifted, shifted
    return total + low, (np.add(total, high, out=total) if fresh else total + high)


def _decided(op: str, a, b, low, high, n: int):
    """The symmetric branch of :func:`decide` in one pass of the C kernel (outcomes, int8), or
    None where it does not run: no kernel, both sides constant, or a value beyond int64 (the
    numpy code decides those)."""
    c = compiled()
    if c is None or not (isinstance(a, np.ndarray) or isinstance(b, np.ndarray)):
        return None
    values = []
    for v in (a, b, low, high):
        if isinstance(v, np.ndarray):
            if v.dtype.kind not in "iu" or v.shape != (n,):
                return None
            values.append(int64s(v))
        elif isinstance(v, (int, np.integer)):
            values.append(int(v))
        else:
            return None
    out = np.empty(n, dtype=np.int8)
    try:
        c.decide(_OPS[op], *values, out)
    except OverflowError:
        return None
    return out


def _ordered(op, diff, a_lo, a_hi, b_lo, b_hi, extra):
    if op == "<":
        point, near = diff < 0, a_lo < b_hi + extra
    elif op == "<=":
        point, near = diff <= 0, a_lo <= b_hi + extra
    elif op == ">":
        point, near = diff > 0, a_hi > b_lo - extra
    else:
        point, near = diff >= 0, a_hi >= b_lo - extra
    return np.where(point, EXACT, np.where(near, ROUNDING, FAIL))


def _decide_relative(op: str, a: Num, b: Num, tolerance, n: int) -> Cond:
    """``within n%``: the allowance is n% of the larger printed side; every term is multiplied by
    100 × 10**k (k: the decimals of n) so that the allowance is an integer too."""
    a, b = _common([a, b])
    miss, err = seq((a, b))
    amount = tolerance.amount
    e = amount.as_tuple().exponent
    places = -e if isinstance(e, int) and e < 0 else 0
    scale = 100 * 10 ** places
    rate = int(amount.scaleb(places))
    checked((a.bound + b.bound) * max(scale, rate))
    larger = np.maximum(np.abs(a.pt), np.abs(b.pt))
    extra = larger * rate
    diff = (a.pt - b.pt) * scale
    if op == "=":
        slack = np.where(diff >= 0, (a.pt - a.lo) + (b.hi - b.pt), (a.hi - a.pt) + (b.pt - b.lo)) * scale
        out = np.where(diff == 0, EXACT, np.where(np.abs(diff) <= slack + extra, ROUNDING, FAIL))
    elif op == "!=":
        out = np.where(diff != 0, EXACT, FAIL)
    else:
        out = _ordered(op, diff, a.lo * scale, a.hi * scale, b.lo * scale, b.hi * scale, extra)
    return Cond(np.broadcast_to(np.asarray(out, dtype=np.int8), (n,)), miss, err)


# ---- quotients ---------------------------------------------------------------------------------

class Quot:
    """``num / den × factor`` (factor a constant), kept as its parts: what a division gives before
    it is compared.  ``zero``: rows whose divisor is printed as 0 (an error per record)."""

    __slots__ = ("num", "den", "factor", "miss", "err")

    def __init__(self, num: Num, den: Num, factor: Num | None = None):
        self.num, self.den, self.factor = num, den, factor
        miss, err = seq((num, den))
        zero = den.pt == 0
        zero = zero & ~mask_or(miss, err) if mask_or(miss, err) is not None else zero
        if isinstance(zero, np.ndarray) and zero.any():
            err = mask_or(err, zero)
        elif zero is True:  # pragma: no cover - a constant divisor 0: the checker refuses it
            raise Unsupported("division by a constant 0")
        self.miss, self.err = miss, err

    def take(self, index) -> Quot:
        q = Quot(self.num.take(index), self.den.take(index))
        q.factor = self.factor
        return q

    def scaled(self, factor: Num) -> Quot:
        q = Quot.__new__(Quot)
        q.num, q.den, q.miss, q.err = self.num, self.den, self.miss, self.err
        q.factor = factor if self.factor is None else mul(self.factor, factor)
        return q


def _vec(value, n):
    return value if isinstance(value, np.ndarray) else np.full(n, value, dtype=np.int64)


def _smooth(units: int) -> bool:
    """True when 1/units terminates in decimal (only the prime factors 2 and 5)."""
    units = abs(units)
    for p in (2, 5):
        while units and units % p == 0:
            units //= p
    return units == 1


def _quotient_dim(top: str, bottom: str) -> str:
    if top == bottom:
        return "number"
    return top if bottom in ("number", "percent") else "number"


def decide_quotient(op: str, left: Num, q: Quot, tolerance, n: int, quotient_first: bool) -> tuple:
    """``left op q`` (or ``q op left`` when *quotient_first*) on every row, by cross-multiplying:
    (Cond, rows to defer -- where a bound is met exactly and the per-record engine's 80-digit
    quotient could fall either side of it, and rows whose figures are too large for the 64-bit
    products (:mod:`.largerows`) -- or None)."""
    try:
        return _decide_quotient(op, left, q, tolerance, n, quotient_first)
    except Unsupported as exc:
        return without_large_rows(_decide_quotient, exc, op, left, q, tolerance, n, quotient_first)


def _decide_quotient(op: str, left: Num, q: Quot, tolerance, n: int, quotient_first: bool) -> tuple:
    if tolerance is not NO_TOLERANCE and tolerance.relative:
        raise Unsupported("a relative tolerance on a quotient")
    if quotient_first:  # q op L is L op' q: decide() is symmetric in its sides otherwise
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
    factor = q.factor if q.factor is not None else constant(Decimal(1), "number")
    if not isinstance(factor.pt, int) or not factor.exact or factor.pt == 0:
        raise Unsupported("a quotient multiplied by something other than a constant")
    miss, err = seq((q, left) if quotient_first else (left, q))
    L, N, D = left.whole(), q.num.whole(), q.den.whole()
    smooth = _smooth(factor.pt)
    q_dim = _product_dim(_quotient_dim(N.dim, D.dim), factor.dim)
    extra = _extra(tolerance, L, Num(0, 0, q_dim))
    extra = constant(extra, "number") if extra else None
    k = factor.pt
    D_lo, D_hi = _vec(D.lo, n), _vec(D.hi, n)
    unbounded = (D_lo <= 0) & (D_hi >= 0)     # the divisor may be 0: Q is unbounded
    dens = [np.where(unbounded, 1, D_lo), np.where(unbounded, 1, D_hi)]
    # Bounded, a divisor's interval holds no 0: its two bounds have one sign (unbounded: both 1).
    den_negative = _any_set(dens[0] < 0)
    # Each comparison x − a × k / b is made as x × b − a × k (its sign flipped where b < 0), in
    # one temporary: the common exponent and the overflow checks are the same for every row.
    rhs_exp, rhs_bound = N.exp + factor.exp, checked(max(N.bound, 1) * max(abs(k), 1))

    def versus(x, a, b, negative):
        """x − a × k / b per row, up to a positive factor (its sign is the comparison's), for x =
        (values, exp, bound), a at N's exponent, b ≠ 0 at D's, *negative* the rows where b < 0."""
        xv, xe, xb = x
        lhs_exp, lhs_bound = xe + D.exp, max(xb, 1) * max(D.bound, 1)
        exp = min(lhs_exp, rhs_exp)
        xf, yf = 10 ** (lhs_exp - exp), 10 ** (rhs_exp - exp)
        if lhs_bound * xf + rhs_bound * yf >= LIMIT:
            # The columns' greatest magnitudes, each of its own row, multiplied: whether the rows'
            # own products fit (most often they do: one row's large prior, another's large
            # percentage) -- else the chunk goes per record.
            checked(rhs_bound * yf)
            rows_fit(xv, b, xf, a, k * yf)
        t = np.multiply(xv, b)
        if xf != 1:
            np.multiply(t, xf, out=t)
        np.subtract(t, a * (k * yf), out=t)
        if negative is not None:
            np.negative(t, out=t, where=negative)
        return t

    def moved(v, sign):  # v − sign × extra, as (values, exp, bound)
        if extra is None:
            return _vec(v, n), L.exp, L.bound
        e = min(L.exp, extra.exp)
        f, g = 10 ** (L.exp - e), 10 ** (extra.exp - e)
        return _vec(v, n) * f - sign * extra.pt * g, e, checked(L.bound * f + abs(extra.pt) * g)

    D_pt = _vec(D.pt, n)
    point_den = np.where(D_pt == 0, 1, D_pt)
    point = versus((_vec(L.pt, n), L.exp, L.bound), N.pt, point_den, _any_set(point_den < 0))
    if op == "!=":
        return Cond(np.where(point != 0, EXACT, FAIL).astype(np.int8), miss, err), \
            _undecided((point == 0) & (not smooth), miss, err)
    if k > 0:
        # The quotient's bounds are met at one corner of (numerator, divisor) per row, known from
        # signs: its upper bound at N.hi (N.lo where the divisor is negative) over the divisor's
        # bound nearest 0 when that numerator is ≥ 0, else the farthest; its lower bound alike.
        # L' < Q.hi (or = Q.hi) tested at that corner is the test at every corner at once.
        n_lo, n_hi = N.lo, N.hi

        def corner(top: bool) -> tuple:
            a = n_hi if top else n_lo
            if den_negative is not None:
                a = np.where(den_negative, n_lo if top else n_hi, a)
            near_zero, far = (dens[0], dens[1]) if top else (dens[1], dens[0])
            return a, np.where(_vec(a, n) >= 0, near_zero, far)

        def bound_tests(x, top: bool) -> tuple:
            t = versus(x, *corner(top), den_negative)
            if not top:
                np.negative(t, out=t)
            return t < 0, t == 0
    else:   # (a negative factor: every corner)
        combos = [(a, b) for a in (N.lo, N.hi) for b in dens]

        def bound_tests(x, top: bool) -> tuple:
            differences = (versus(x, a, b, den_negative) for a, b in combos)
            below, touch = _either(differences if top else (np.negative(t, out=t) for t in differences))
            return below, touch & ~below
    if op in ("=", "<", "<="):
        below, touch = bound_tests(moved(L.lo, 1), True)     # L.lo − extra < Q.hi, or = Q.hi
    if op in ("=", ">", ">="):
        above, meets = bound_tests(moved(L.hi, -1), False)   # L.hi + extra > Q.lo, or = Q.lo
    if op == "=":
        holds = point == 0
        near = np.where(point > 0, below | touch, above | meets)
        # At a bound met exactly the per-record slack uses the rounded quotient: undecidable here.
        tie = np.where(point > 0, touch, meets) & ~holds & ~unbounded
        tie |= holds & (not smooth)
    elif op in ("<", "<="):
        holds = point < 0 if op == "<" else point <= 0
        near = below if op == "<" else below | touch
        tie = ((point == 0) | (touch & ~unbounded)) & (not smooth)
    else:
        holds = point > 0 if op == ">" else point >= 0
        near = above if op == ">" else above | meets
        tie = ((point == 0) | (meets & ~unbounded)) & (not smooth)
    out = np.where(holds, EXACT, np.where(near | unbounded, ROUNDING, FAIL)).astype(np.int8)
    return Cond(out, miss, err), _undecided(tie, miss, err)


def _any_set(mask):
    return mask if mask.any() else None


def _either(differences) -> tuple:
    """(any difference < 0, any difference == 0) per row, over differences made one at a time."""
    below = touch = None
    for t in differences:
        if below is None:
            below, touch = t < 0, t == 0
        else:
            below |= t < 0
            touch |= t == 0
    return below, touch


def _undecided(tie, miss, err):
    if not isinstance(tie, np.ndarray) or not tie.any():
        return None
    stopped = mask_or(miss, err)
    tie = tie & ~stopped if stopped is not None else tie
    return tie if tie.any() else None
