"""The rows of a comparison with a quotient whose figures are too large for its 64-bit products.

``L op N / D × k`` is decided by cross-multiplying (:func:`.arith.decide_quotient`): ``L × D``
against ``N × k``, at a common exponent, with bounds checked for the whole chunk from each
column's greatest magnitude.  One row with a huge figure (a damaged 1e12, a prior in 元 among
figures in 万元 with cents) made those bounds overflow, and the rule then went to the per-record
engine for every record of the chunk (16,384 records read and evaluated one by one for a few).
Here: the rows whose own products could overflow, and the operands with those rows set to small
values (0, and 1 for the divisor) and the bounds worked out again, so that the other rows are
decided on columns and those few *deferred* to the per-record engine (as rows whose bound is met
exactly are).  The estimate is in float64 with a wide margin; the checks of the comparison itself
stay exact -- were they to fail again the chunk goes per record as before.
"""

from __future__ import annotations

import copy

import numpy as np

from .columns import LIMIT, Num, TooLarge, Unsupported
from .scaled import max_abs
from .vectors import mask_or

__all__ = ["rows_fit", "without_large_rows"]

# The share of LIMIT a row's products, estimated in float64, may come to (room for its rounding).
_MARGIN = 2.0 ** -4


def rows_fit(x, b, xf: int, a, ky: int) -> None:
    """Raise Unsupported unless every row's |x × b × xf| + |a × ky| (estimated in float64) stays
    within the margin of LIMIT: the terms of the cross-multiplied difference, so that it cannot
    overflow -- asked when the columns' greatest magnitudes, each of its own row, do not fit."""
    estimate = _abs(x) * _abs(b) * float(xf) + _abs(a) * float(abs(ky))
    if np.size(estimate) and float(np.max(estimate)) >= LIMIT * _MARGIN:
        raise TooLarge("amounts too large for 64-bit integers")


def without_large_rows(decide, exc: Unsupported, op: str, left: Num, q, tolerance, n: int, quotient_first: bool):
    """``decide(op, left, q, …)`` (:func:`.arith.decide_quotient`'s body, which raised *exc*) over
    the operands with the rows whose own products may overflow set to 0, 0 and 1, those rows
    deferred; *exc* raised again when the overflow is not one of rows."""
    if not isinstance(exc, TooLarge):
        raise exc
    factor = q.factor
    k, factor_exp = (1, 0) if factor is None else (factor.pt, factor.exp)
    try:
        L, N, D = left.whole(), q.num.whole(), q.den.whole()
    except Unsupported:
        raise exc from None
    lhs_exp, rhs_exp = L.exp + D.exp, N.exp + factor_exp
    exp = min(lhs_exp, rhs_exp)
    estimate = (_magnitude(L, n) * _magnitude(D, n) * 10.0 ** (lhs_exp - exp)
                + _magnitude(N, n) * float(max(abs(k), 1)) * 10.0 ** (rhs_exp - exp))
    large = estimate >= LIMIT * _MARGIN
    if not large.any() or large.all():
        raise exc
    small = copy.copy(q)   # (the quotient's own masks: a divisor printed 0 stays an error)
    small.num, small.den = _cleared(N, large, 0), _cleared(D, large, 1)
    cond, tie = decide(op, _cleared(L, large, 0), small, tolerance, n, quotient_first)
    stopped = mask_or(cond.miss, cond.err)
    if stopped is not None:
        large &= ~stopped
    if not large.any():
        return cond, tie
    return cond, large if tie is None else tie | large


def _abs(v) -> np.ndarray:
    return np.abs(np.asarray(v, dtype=np.float64))


def _magnitude(v: Num, n: int) -> np.ndarray:
    """max(|lo|, |hi|) of every row, as float64 (an estimate: its rounding is in the margin)."""
    return np.broadcast_to(np.maximum(_abs(v.lo), _abs(v.hi)), (n,))


def _cleared(v: Num, large: np.ndarray, value: int) -> Num:
    """*v* with the *large* rows' value set to *value* (an exact figure there), its bound the
    greatest magnitude left; the same masks."""
    def put(a, fill):
        return np.where(large, fill, a)
    if v.half is not None:
        out = Num(put(v.pt, value), v.exp, v.dim, half=put(v.half, 0), miss=v.miss, err=v.err)
    else:
        out = Num(put(v.pt, value), v.exp, v.dim, lo=put(v._lo, value), hi=put(v._hi, value), miss=v.miss, err=v.err)
    out.bound = max(max_abs(out.lo), max_abs(out.hi), max_abs(out.pt), 1)
    return out
