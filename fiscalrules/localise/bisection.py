"""Exact bisection over fractions: the root of a gap that is not linear in one figure (a stated
percentage against the amounts it is worked out from), near enough to tell which grid steps lie
either side of it -- what :mod:`.solve` tries for a figure inside a non-linear equality.

The gap is evaluated at exact :class:`~fractions.Fraction` points only; a bracket is found by
stepping out from the printed value, then halved on one common denominator (no Fraction
normalised per step) until no grid step is left inside it.  :func:`bisect_affine_root` answers the
same bisection for a gap known to be affine in the figure by comparing with its zero in whole
numbers: the same midpoints, hence the same root.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..symbolic.forms import _Undefined

__all__ = ["bisect_root", "bisect_affine_root"]


def bisect_root(f, start: Fraction, step: Fraction, iterations: int = 60):
    def positive(num: int, den: int):
        try:
            return f(Fraction(num, den)) > 0
        except (_Undefined, ZeroDivisionError, KeyError):
            return None
    try:
        f0 = f(start)
    except (_Undefined, ZeroDivisionError, KeyError):
        return None
    if f0 == 0:
        return None
    return _bracket_and_bisect(positive, start, step, f0 > 0, iterations)[0]


_SCALES = (Fraction(1, 100), Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(2), Fraction(10))


def _bracket_and_bisect(positive, start: Fraction, step: Fraction, start_positive: bool, iterations: int) -> tuple:
    """The bisection both :func:`bisect_root` and :func:`bisect_affine_root` run, and how many times it
    asked for the gap's sign: a bracket found by stepping out from *start* (where the gap's sign is
    *start_positive*), then halved until :func:`_bracketed`.  *positive(num, den)*: whether the gap
    at num/den is above zero, or None where it is undefined (a bracket end is then skipped, a
    midpoint ends the search).  lo = low / den and hi = high / den throughout (den doubling with
    each midpoint): the same midpoints and tests as in Fractions, without normalising each."""
    calls = 0
    width = max(abs(start), step)
    sn, sd = step.numerator, step.denominator
    for scale in _SCALES:
        for x in (start - width * scale, start + width * scale):
            calls += 1
            at_x = positive(x.numerator, x.denominator)
            if at_x is None or at_x == start_positive:
                continue
            lo, hi, low_positive = (x, start, at_x) if x < start else (start, x, start_positive)
            den, low, high = _over_one_denominator(lo, hi)
            for _ in range(iterations):
                calls += 1
                mid = low + high        # (lo + hi) / 2 = mid / (2·den)
                den *= 2
                at_mid = positive(mid, den)
                if at_mid is None:
                    return None, calls
                if at_mid == low_positive:
                    low, high = mid, 2 * high
                else:
                    low, high = 2 * low, mid
                if _bracketed(low, high, den, sn, sd):
                    break
            return Fraction(low + high, 2 * den), calls
    return None, calls


def _over_one_denominator(lo: Fraction, hi: Fraction) -> tuple:
    """(den, low, high) with lo = low / den and hi = high / den."""
    den = lo.denominator * hi.denominator // math.gcd(lo.denominator, hi.denominator)
    return den, lo.numerator * (den // lo.denominator), hi.numerator * (den // hi.denominator)


def _bracketed(low: int, high: int, den: int, sn: int, sd: int) -> bool:
    """Whether the bisection of [low/den, high/den] on a grid of sn/sd stops: narrower than a
    thousandth of a step, or no grid step left inside (every later midpoint lies between the
    same two steps, which is all a caller takes from the root, and each iteration divides ever
    longer fractions)."""
    return (high - low) * 1000 * sd < sn * den or -(-(low * sd) // (den * sn)) > (high * sd) // (den * sn)


def bisect_affine_root(at_start: Fraction, slope: Fraction, start: Fraction, step: Fraction,
                   iterations: int = 60) -> tuple:
    """:func:`bisect_root` of the affine gap ``at_start + slope·(x - start)`` (*slope* not zero) and
    how many times that bisection evaluates the gap: the same brackets, midpoints and stopping
    tests, hence the same root, but each gap's sign told by comparing x with the gap's zero in
    whole numbers, instead of three Fraction operations, each normalised in Python, per step."""
    if at_start == 0:
        return None, 1
    zero = start - at_start / slope             # the gap's root: its sign is slope's beyond it
    zn, zd = zero.numerator, zero.denominator
    if slope > 0:
        def positive(num: int, den: int) -> bool:
            return num * zd > zn * den
    else:
        def positive(num: int, den: int) -> bool:
            return num * zd < zn * den
    root, calls = _bracket_and_bisect(positive, start, step, at_start > 0, iterations)
    return root, calls + 1
