"""The generator's exact linear system: equalities in grid units solved by Gauss-Jordan
elimination over ints and fractions (:class:`_System`), which figures are totals of others
(:func:`_heights`), and the zeros the equalities and the signs force (:func:`_pin_forced_zeros`).
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..symbolic.forms import _ONE, Lin
from .forms import _Contradiction


def _whole(x):
    """*x* as an int where it is whole.  The system's coefficients are mostly whole (budget
    identities add figures on the same grid) and int arithmetic is many times faster than
    Fraction's, whose results stay Fractions even when whole; the values are the same."""
    return x if type(x) is int or x.denominator != 1 else x.numerator


def _add_multiple(row: dict, coef, other: dict) -> None:
    """``row += coef · other`` over the figures of a linear form, in place: zero coefficients
    dropped, whole ones kept as ints."""
    for key, a in other.items():
        value = row.get(key, 0) + coef * a
        if value:
            row[key] = value if type(value) is int else _whole(value)
        else:
            row.pop(key, None)


def _quotient(n, d):
    """n / d exactly: an int where it divides, else a Fraction."""
    if type(n) is int and type(d) is int:
        q, r = divmod(n, d)
        return q if not r else Fraction(n, d)
    return _whole(n / d)


class _System:
    """Linear equalities in grid units, solved by exact Gauss-Jordan elimination (coefficients
    are ints where whole, Fractions otherwise: see :func:`_whole`)."""

    def __init__(self, specs: dict, order: list):
        self.specs = specs
        self.rank = {key: i for i, key in enumerate(order)}
        self.pivots: dict = {}      # pivot var → (row dict over free vars, const): u_p = Σ a·u_f + c
        self.rules_of: dict = {}
        # free var → the pivots whose rows hold it (a dict: ordered, so deterministic): a new
        # pivot is eliminated from those rows only, not looked for in every row (which made
        # adding n equalities cost n² lookups, most of the system's time)
        self.users: dict = {}
        # Copies share their rows until one changes them (copy on write): a system is copied for
        # every attempt and every solve of a shape, and most of a copy's rows are never changed.
        # The pivots and the users whose dicts this system may share, and must copy before a change.
        self.shared_rows: set = set()
        self.shared_users: set = set()

    def copy(self) -> "_System":
        other = _System(self.specs, [])
        other.rank = self.rank
        other.pivots = dict(self.pivots)
        other.rules_of = dict(self.rules_of)
        other.users = dict(self.users)
        # from now on every row and users' dict is shared, by both
        self.shared_rows, self.shared_users = set(self.pivots), set(self.users)
        other.shared_rows, other.shared_users = set(self.shared_rows), set(self.shared_users)
        return other

    def _own_users(self, key):
        """The dict of pivots using *key*, this system's own to change (None if there is none)."""
        found = self.users.get(key)
        if found is not None and key in self.shared_users:
            found = self.users[key] = dict(found)
            self.shared_users.discard(key)
        return found

    def _use(self, key, pivot) -> None:
        found = self._own_users(key)
        if found is None:
            self.users[key] = {pivot: None}
        else:
            found[pivot] = None

    def add(self, lin: Lin, rule: str) -> None:
        """Add Σ coef·x + const = 0 (x in printed units → u in grid units)."""
        specs = self.specs
        row = {}
        for key, c in lin.coef.items():   # each figure once (a dict's keys)
            if c:
                v = c * specs[key].factor_grid
                row[key] = v if type(v) is int else _whole(v)
        const = _whole(lin.const)
        # substitute existing pivots
        for key in [k for k in row if k in self.pivots]:
            coef = row.pop(key)
            prow, pconst = self.pivots[key]
            _add_multiple(row, coef, prow)
            const = _whole(const + coef * pconst)
        if not row:
            if const != 0:
                raise _Contradiction(f"the equalities of rule {rule} contradict those of rules "
                                     f"{', '.join(sorted(set(self.rules_of.values()))[:8])}")
            return
        pivot = min(row, key=self.rank.__getitem__)
        a = row.pop(pivot)
        expr = {f: _quotient(-v, a) for f, v in row.items()}
        pconst = _quotient(-const, a)
        # eliminate the new pivot from the rows holding it
        users = self.users
        shared_rows = self.shared_rows
        for other in users.pop(pivot, ()):
            orow, oconst = self.pivots[other]
            if other in shared_rows:
                orow = dict(orow)
                shared_rows.discard(other)
            coef = orow.pop(pivot)
            for key, b in expr.items():
                value = orow.get(key, 0) + coef * b
                if value:
                    if key not in orow:
                        self._use(key, other)
                    orow[key] = value if type(value) is int else _whole(value)
                elif key in orow:
                    del orow[key]
                    del self._own_users(key)[other]
            self.pivots[other] = (orow, _whole(oconst + coef * pconst))
        self.pivots[pivot] = (expr, pconst)
        for key in expr:
            self._use(key, pivot)
        self.rules_of[pivot] = rule


def _total_of(left: list, right: list, left_coef: dict | None = None, right_coef: dict | None = None) -> tuple | None:
    """``(total, parts)`` where a linear equality's sides (their figures) make one figure the
    total of two or more others, else None (for :func:`_heights`; worked out once per atom).
    *left_coef*, *right_coef*: the sides' coefficients, where at hand (the figures are their
    keys with a coefficient that is not zero)."""
    for one, many, coef in ((left, right, right_coef), (right, left, left_coef)):
        # (with the sides' coefficients, whether the one figure is among the many is looked up
        # rather than compared with each of a long sum's figures)
        if len(one) == 1 and len(many) >= 2 and (not coef.get(one[0]) if coef is not None else one[0] not in many):
            return one[0], many
    return None


def _heights(totals: list) -> dict:
    """How "high" each variable sits in the equalities: totals above their parts (*totals*: each
    linear equality's :func:`_total_of`)."""
    below: dict = {}
    for total_of in totals:
        if total_of is not None:
            below.setdefault(total_of[0], set()).update(total_of[1])
    heights: dict = {}
    for start in below:
        stack = [(start, iter(below[start]))]
        visiting = {start}
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                visiting.discard(node)
                # 1 + the highest part not being visited (-1 where there is none), as a loop
                highest = -1
                for c in below[node]:
                    if c not in visiting:
                        h = heights.get(c, 0)
                        if h > highest:
                            highest = h
                heights[node] = 1 + highest
                continue
            if child in heights or child in visiting or child not in below:
                continue
            visiting.add(child)
            stack.append((child, iter(below[child])))
    return heights


def _printable(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _lcm(numbers) -> int:
    result = 1
    for n in numbers:
        result = result * n // math.gcd(result, n)
        if result > 10 ** 6:
            return result
    return result


def _nonnegative(specs, derived) -> set:
    """The figures bounded below by zero, not derived (a bound is zero or None: tested as such,
    without comparing a Fraction with 0 for each figure)."""
    return {key for key, spec in specs.items() if spec.lower is not None and not spec.lower and key not in derived}


def _pin_forced_zeros(system: _System, specs, derived) -> None:
    """Make implicit equalities explicit: a row ``p = c + Σ a·z`` over non-negative figures with
    every ``a <= 0`` and ``c <= 0`` forces ``p`` and each ``z`` with ``a < 0`` to zero (e.g. columns
    that must add up to nothing).  Without this, rounding the free figures breaks them."""
    # the figures bounded below by zero (not derived), worked out once: comparing each bound,
    # a Fraction, with 0 for every pivot and every term of its row was most of the cost
    nonnegative = _nonnegative(specs, derived)
    pivots = system.pivots
    candidates = list(pivots)
    for _ in range(len(specs) + 1):
        found = []
        for p in candidates:
            row, c = pivots[p]
            if p not in nonnegative or not row or c > 0:
                continue
            if all(a <= 0 and f in nonnegative for f, a in row.items()):
                found.extend(f for f, a in row.items() if a < 0)
        if not found:
            return
        # only the rows holding a figure pinned now change: look again at those alone
        affected: set = set()
        for f in dict.fromkeys(found):
            if f not in pivots:
                affected.update(system.users.get(f, ()))
                system.add(Lin({f: _ONE}), "(forced zero)")
        candidates = [p for p in pivots if p in affected]
