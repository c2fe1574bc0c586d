"""Sums of columns not added up until read: ``total = part_a + part_b + part_c`` decided in one pass.

A sum of symmetric-interval figures (:func:`.arith.add`) whose points are int64 columns of one
length becomes a :class:`Sum`: its terms and their signs, the points added up only when something
reads ``pt``.  A comparison (:func:`.arith.decide`) of such a sum with a column reads the terms
instead (the C kernel ``decide_sum``: the difference of the two sides per row, up to four terms
in all) -- one pass where adding up makes one per term, each writing a temporary.
The outcomes are the same: the same integers compared, every partial sum within the bound that
``Num.bound`` checks.  Without the C kernels nothing is left unadded (``lazy_sum`` gives None).
"""

from __future__ import annotations

import numpy as np

from .columns import Num
from .kernel import compiled

__all__ = ["Sum", "lazy_sum", "decide_sum"]

#: The most terms a sum keeps unadded (the kernel's SUM_TERMS).
MAX_TERMS = 4
_POINTS = Num.pt            # (Num's own slot: a Sum's points once added up, None until then)
_INT64 = np.dtype(np.int64)


class Sum(Num):
    """A :class:`~.columns.Num` whose points are ``sum(sign * term)`` over ``terms`` ((sign,
    int64 array) pairs), added up when first read."""

    __slots__ = ("terms",)

    @property
    def pt(self):
        points = _POINTS.__get__(self)
        if points is None:
            points = _add_up(self.terms)
            _POINTS.__set__(self, points)
        return points

    @pt.setter
    def pt(self, value):
        _POINTS.__set__(self, value)

    @property
    def unadded(self) -> bool:
        return _POINTS.__get__(self) is None


def _add_up(terms) -> np.ndarray:
    (s0, t0), (s1, t1) = terms[0], terms[1]
    if s0 > 0:
        points = np.add(t0, t1) if s1 > 0 else np.subtract(t0, t1)
    else:
        points = np.subtract(t1, t0) if s1 > 0 else np.negative(np.add(t0, t1))
    for sign, term in terms[2:]:
        (np.add if sign > 0 else np.subtract)(points, term, out=points)
    return points


def _terms(value: Num, sign: int):
    """*value*'s points as (sign, int64 column) terms, or None where they are not such columns."""
    if type(value) is Sum and value.unadded:
        return [(sign * s, t) for s, t in value.terms]
    pt = value.pt
    if type(pt) is not np.ndarray or pt.dtype != _INT64 or pt.ndim != 1 or not pt.flags.c_contiguous \
            or not pt.flags.aligned:
        return None
    return [(sign, pt)]


def lazy_sum(a: Num, b: Num, sign: int, exp: int, dim: str, half, miss, err, bound: int):
    """``a + b`` (sign 1) or ``a - b`` (sign -1) of symmetric intervals at exponent *exp* as a
    :class:`Sum` left unadded, or None where it is not one (no kernel to read it, points that
    are not int64 columns of one length, too many terms)."""
    if compiled() is None:
        return None
    left = _terms(a, 1)
    right = _terms(b, sign) if left is not None else None
    if right is None or len(left) + len(right) > MAX_TERMS or len(left[0][1]) != len(right[0][1]):
        return None
    found = Sum(None, exp, dim, half=half, miss=miss, err=err, bound=bound)
    found.terms = left + right
    found.owned = True      # (its points, once added up, are a temporary of its own)
    return found


def decide_sum(op: int, a: Num, b: Num, low, high, n: int):
    """The outcomes of ``a op b`` (symmetric intervals, *low* / *high*: the reach rounded down
    and up) by the kernel over the terms of a side left unadded, or None where neither side is
    one (or the reach is not an int or an int64 column of *n*)."""
    if not ((type(a) is Sum and a.unadded) or (type(b) is Sum and b.unadded)):
        return None
    k = compiled()
    if k is None:
        return None
    left = _terms(a, 1)
    right = _terms(b, -1) if left is not None else None
    if right is None or len(left) + len(right) > MAX_TERMS or len(left[0][1]) != n or len(right[0][1]) != n:
        return None
    reach = []
    for r in (low, high):
        if isinstance(r, np.ndarray):
            if r.dtype != _INT64 or r.shape != (n,) or not r.flags.c_contiguous or not r.flags.aligned:
                return None
            reach.append(r)
        elif isinstance(r, (int, np.integer)):
            reach.append(int(r))
        else:
            return None
    terms = left + right
    out = np.empty(n, dtype=np.int8)
    try:
        k.decide_sum(op, tuple(t for _, t in terms), tuple(s for s, _ in terms), reach[0], reach[1], out)
    except OverflowError:
        return None
    return out
