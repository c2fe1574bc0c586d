"""``prior(x)`` over columns: last year's figure from the stated change, or from the stated
percentage alone -- :func:`fiscalrules.values.implied_prior` on scaled integers.

A figure that states a change has ``x − change(x)`` for its prior (a difference: symmetric
intervals add).  One that states only a percentage ("比上年增长4.55%") has
``x ÷ (1 + pct(x) / 100)``, a quotient: the per-record engine holds it on the grid of
``10 ** IMPLIED_PRIOR_EXP`` (its point rounded half to even, its bounds outward), and so does
this module, from the same integers -- the value's and the percentage's printed points and
bounds -- so the two engines' priors are the same numbers exactly and no record leaves the
columns for them.  A percentage that may be a fall of 100 % or more (``1 + pct.lo / 100 ≤ 0``)
implies no prior: missing, as per record.

The masks follow the per-record evaluation order of ``prior()``: the value first, then what the
prior is found from (the change where one is stated -- even one in error --, else the
percentage), then the fall to nothing.  Of a list (``prior(income.sources.*)``,
``prior(T.amount)``) the per-record engine reads each stage for every item before the next
stage (``functions.compile_call``): :func:`list_stops` stops it so -- the first stage in which
an item stops decides, and within it the first such item.
"""

from __future__ import annotations

import numpy as np

from ..values import IMPLIED_PRIOR_EXP
from . import arith
from .columns import LIMIT, Num, TooLarge
from .vectors import first_stop, mask_or, seq

__all__ = ["prior_of", "prior_stages", "list_stops", "Stage"]


class Stage:
    """Masks of one stage of the evaluation (a stand-in operand for :func:`seq`)."""

    __slots__ = ("miss", "err")

    def __init__(self, miss, err=None):
        self.miss, self.err = _nonempty(miss), _nonempty(err)


def _nonempty(mask):
    return mask if mask is not None and mask.any() else None


def prior_of(values: Num, changes: Num, pcts: Num, n: int) -> Num:
    """Each element's prior: ``values − changes`` where a change is stated, else the quotient
    the stated percentage implies; missing where neither is stated or the percentage is a fall
    of 100 % or more."""
    return prior_stages(values, changes, pcts, n)[0]


def prior_stages(values: Num, changes: Num, pcts: Num, n: int) -> tuple:
    """(:func:`prior_of`, the elements' stops at each stage of its reading: the value, what the
    prior is found from, the fall -- three :class:`Stage`, for :func:`list_stops`)."""
    first = Stage(values.miss, values.err)
    by_pct = changes.miss
    if by_pct is not None:
        stopped = mask_or(values.miss, values.err)
        by_pct = by_pct & ~stopped if stopped is not None else by_pct
    if by_pct is None or not by_pct.any():      # every prior from a stated change (or stopped)
        return arith.add(values, changes, -1), (first, Stage(changes.miss, changes.err), Stage(None))
    basis = Stage(by_pct & _mask(pcts.miss, n), mask_or(changes.err, by_pct & _mask(pcts.err, n)))
    rows = np.flatnonzero(by_pct & ~_mask(mask_or(pcts.miss, pcts.err), n))
    pt, lo, hi, fell = _implied(values, pcts, rows)
    fall = np.zeros(n, dtype=bool)
    fall[rows[fell]] = True
    by_change = arith.add(values, changes, -1).whole()
    exp = min(by_change.exp, IMPLIED_PRIOR_EXP)
    by_change = by_change.at(exp)
    if exp < IMPLIED_PRIOR_EXP:
        factor = 10 ** (IMPLIED_PRIOR_EXP - exp)
        pt, lo, hi = _checked(pt * factor), _checked(lo * factor), _checked(hi * factor)
    out_pt = np.array(arith._full(by_change.pt, n), dtype=np.int64)
    out_lo = np.array(arith._full(by_change.lo, n), dtype=np.int64)
    out_hi = np.array(arith._full(by_change.hi, n), dtype=np.int64)
    out_pt[rows], out_lo[rows], out_hi[rows] = pt, lo, hi
    bound = max(by_change.bound, _largest(pt), _largest(lo), _largest(hi))
    fell = Stage(fall)
    miss, err = seq((values, basis, fell))
    return (Num(out_pt, exp, by_change.dim, lo=out_lo, hi=out_hi, miss=miss, err=err, bound=arith.checked(bound)),
            (first, basis, fell))


def list_stops(stages, owner, n: int, index=None) -> tuple:
    """(missing, error) masks over *n* owners of a list of priors whose items are the elements
    *index* (all, when None) of :func:`prior_stages`' *stages*, owned by *owner*: every item's
    value is read, then every item's basis, then every quotient -- the first stage in which an
    item stops decides, and within it the first such item in the list's order."""
    found = []
    for stage in stages:
        miss, err = stage.miss, stage.err
        if index is not None:
            miss = miss[index] if miss is not None else None
            err = err[index] if err is not None else None
        found.append(Stage(*first_stop(owner, n, miss, err)))
    return seq(found)


def _mask(mask, n: int):
    return mask if mask is not None else np.zeros(n, dtype=bool)


def _largest(values) -> int:
    return max(abs(int(values.max())), abs(int(values.min()))) if values.size else 0


def _checked(values):
    if _largest(values) >= LIMIT:
        raise TooLarge("an implied prior too large for 64-bit integers")
    return values


def _implied(values: Num, pcts: Num, rows) -> tuple:
    """(point, lower, upper bound at ``10 ** IMPLIED_PRIOR_EXP``, rows where the percentage may
    be a fall of 100 % or more) of ``value ÷ (1 + pct / 100)`` at *rows*: the per-record engine's
    integers (values._grid_quotient), row by row in int64 where they fit, else as Python ints."""
    v, p = values.whole(), pcts.whole()
    if p.exp > 2:     # (a percentage in hundreds: on the grid of 1 %)
        p = p.at(2)
    v_pt, v_lo, v_hi = (_at(x, rows) for x in (v.pt, v.lo, v.hi))
    p_pt, p_lo, p_hi = (_at(x, rows) for x in (p.pt, p.lo, p.hi))
    # 1 + pct / 100 = (10**(2 − ep) + P) × 10**(ep − 2), for pct = P × 10**ep (ep ≤ 2)
    one = 10 ** (2 - p.exp)
    f_pt, f_lo, f_hi = p_pt + one, p_lo + one, p_hi + one
    fell = f_lo <= 0
    if fell.any():   # (the other rows' quotients only: these are missing)
        keep = ~fell
        v_pt, v_lo, v_hi, f_pt, f_lo, f_hi = (a[keep] for a in (v_pt, v_lo, v_hi, f_pt, f_lo, f_hi))
    # value ÷ factor in units of 10**E: V × 10**s / F, s = ev − ep + 2 − E
    shift = v.exp - p.exp + 2 - IMPLIED_PRIOR_EXP
    top, bottom = (10 ** shift, 1) if shift >= 0 else (1, 10 ** -shift)
    largest = max(_largest(v_lo), _largest(v_hi), _largest(v_pt), 1) * top
    if largest < LIMIT and max(_largest(f_lo), _largest(f_hi), 1) * bottom < LIMIT:
        scale = lambda a: np.multiply(a, top) if top != 1 else a   # noqa: E731
        divisor = lambda a: np.multiply(a, bottom) if bottom != 1 else a   # noqa: E731
    else:   # beyond int64 on the way (the quotient itself is checked below): Python ints
        scale = lambda a: np.array([int(x) * top for x in a.tolist()], dtype=object)   # noqa: E731
        divisor = lambda a: np.array([int(x) * bottom for x in a.tolist()], dtype=object)   # noqa: E731
    lo = np.minimum(_floor(scale(v_lo), divisor(f_hi)), _floor(scale(v_lo), divisor(f_lo)))
    hi = np.maximum(_ceiling(scale(v_hi), divisor(f_lo)), _ceiling(scale(v_hi), divisor(f_hi)))
    pt = _half_even(scale(v_pt), divisor(f_pt))
    out = []
    for a in (pt, lo, hi):
        if fell.any():
            full = np.zeros(len(rows), dtype=np.int64)
            full[~fell] = _int64s(a)
            a = full
        out.append(_int64s(a))
    return out[0], out[1], out[2], fell


def _at(values, rows):
    return values[rows] if isinstance(values, np.ndarray) else np.full(len(rows), values, dtype=np.int64)


def _int64s(values):
    if values.dtype == object:
        if values.size and max(abs(int(values.max())), abs(int(values.min()))) >= LIMIT:
            raise TooLarge("an implied prior too large for 64-bit integers")
        return values.astype(np.int64)
    return _checked(values)


def _floor(num, den):
    return np.floor_divide(num, den)


def _ceiling(num, den):
    return -np.floor_divide(-num, den)


def _half_even(num, den):
    q = np.floor_divide(num, den)     # den > 0: 0 ≤ r < den
    r = num - q * den
    twice = 2 * r
    up = (twice > den) | ((twice == den) & (q % 2 == 1))
    return q + up
