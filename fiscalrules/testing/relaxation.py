"""Steering the generator's free figures with floats: realistic magnitudes (:func:`_magnitude`),
balancing the equalities among non-negative figures multiplicatively (:func:`_balance`), the
inequalities over the free variables (:func:`_constraints`) and the cyclic projection that moves
the free variables into them (:func:`_relax`).  The exact values are fixed afterwards
(:mod:`fiscalrules.testing.solve`).
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

from ..values import MONEY_UNITS
from ..symbolic.forms import _ONE, _ZERO, Lin, _add_dim
from .forms import _Contradiction
from .linear_system import _nonnegative, _System, _whole
from .variables import _VarSpec


# Floats appear here only to steer the *random starting point* of the relaxation (how large a
# figure should roughly be); every value written into a generated record is then fixed on its
# printed grid and solved exactly over Fractions, and each equality is checked exactly.  No float
# reaches an amount.
_PER_UNIT: dict = {}   # an amount's unit → 万元 in that unit (what _magnitude scales amounts by)


def _magnitude(spec: _VarSpec, scale: float, rnd) -> float:
    """A realistic, positive value for a variable, in its printed unit (zeros come from the rules:
    balancing keeps a zero start at zero, which would pin figures a rule needs non-zero)."""
    if spec.kind == "amount" and spec.meta == "value":
        per_unit = _PER_UNIT.get(spec.unit)   # (by unit, whose factor it is: a str hashes at once)
        if per_unit is None:
            per_unit = _PER_UNIT[spec.unit] = float(Fraction(MONEY_UNITS["万元"]) / spec.factor)
        return scale * per_unit * 10 ** rnd.uniform(-2.5, 0)
    if spec.kind == "count" and spec.meta == "value":
        top = 120 if spec.unit == "人" else 12
        return float(rnd.randint(1, top))
    if spec.kind == "number":
        if "year" in spec.path:
            return float(rnd.randint(2018, 2030))
        return float(rnd.randint(1, 100))
    if spec.kind == "percent" or spec.meta == "pct":
        return rnd.uniform(-25, 25)
    return rnd.uniform(0, 100)


def _excess(constraint, z) -> float:
    row, const = constraint[0], constraint[1]
    return sum(v * z.get(f, 0.0) for f, v in row.items()) + const


def _affine(lin_coef: dict, const: Fraction, system: _System, specs, derived) -> tuple | None:
    """Σ coef·x + const in terms of the free variables (grid units), times a common denominator:
    ``(row, total, denominator)`` with Σ row·z + total = denominator·(Σ coef·x + const).  Scaled
    so, the sums are of ints where the system's rows are whole (see :func:`_whole`).  None if
    it involves a derived figure (checked afterwards)."""
    terms = []
    denominator = 1
    for key, c in lin_coef.items():
        if not c:
            continue
        if key in derived:
            return None
        if type(c) is int:   # c × grid, as an int where it divides (most: no Fraction made)
            minus_numerator, grid_denominator, _lower = specs[key].bound_units
            steps, remainder = divmod(-minus_numerator * c, grid_denominator)
            c = Fraction(-minus_numerator * c, grid_denominator) if remainder else steps
        else:
            c = _whole(c * specs[key].grid)
        if type(c) is not int:
            denominator = denominator * c.denominator // math.gcd(denominator, c.denominator)
        terms.append((key, c))
    row: dict = {}
    total = _whole(const * denominator)
    pivots = system.pivots
    for key, c in terms:
        c = c * denominator if type(c) is int else _whole(c * denominator)
        if key in pivots:
            prow, pconst = pivots[key]
            total += c * pconst
            for f, a in prow.items():
                row[f] = row.get(f, 0) + c * a
        else:
            row[key] = row.get(key, 0) + c
    return {f: v for f, v in row.items() if v}, total, denominator


def _ratio(value, denominator: int) -> float:
    """value / denominator as the nearest float (as ``float(Fraction(value, denominator))``)."""
    return value / denominator if type(value) is int else float(value / denominator)


_MINUS_ONE = -_ONE
_HALF_STEPS: dict = {}   # a printed precision (Decimal) → half of it, exactly


def _allowance(lin: Lin, specs) -> Fraction:
    """The rounding allowance the evaluator grants *lin*: Σ rad·half the printed precision.
    (The radii are added up per precision first, as ints where whole, and each sum multiplied
    once: the same exact sum, without a Fraction product and sum per term of a long sum.)"""
    by_precision: dict = {}
    for k, r in lin.rad.items():
        if r and k in specs:
            precision = specs[k].precision
            if type(r) is not int and r.denominator == 1:
                r = r.numerator
            previous = by_precision.get(precision)
            by_precision[precision] = r if previous is None else previous + r
    total = _ZERO
    for precision, r in by_precision.items():
        half = _HALF_STEPS.get(precision)
        if half is None:
            half = _HALF_STEPS[precision] = Fraction(precision) / 2
        total += r * half
    return total


def _difference(left: Lin, right: Lin) -> Lin:
    """``left - right`` as the solver needs it: the coefficients and constant of ``left +
    (-right)`` (the same values, in the same order), without the allowance radii, which the
    solver reads from an atom's own sides (:func:`_allowance`).  Adding up the radii was most of
    a subtraction's cost, and a generated record subtracts some hundred long sums.  Whole
    coefficients (most: figures in the same unit) become ints, as in the linear system (see
    :func:`~fiscalrules.testing.linear_system._whole`): the same values, without Fraction's
    arithmetic in the subtraction and wherever the difference is read."""
    # (_whole inline: a call per term was a third of the subtraction)
    coef = {key: c if type(c) is int or c.denominator != 1 else c.numerator for key, c in left.coef.items()}
    for key, c in right.coef.items():
        previous = coef.get(key)
        c = previous - c if previous is not None else -c
        coef[key] = c if type(c) is int or c.denominator != 1 else c.numerator
    return Lin(coef, left.const - right.const, {}, _add_dim(left.dim, right.dim))


def _oriented(atom) -> Lin:
    """An inequality's two sides as the one form it keeps at or below zero (≥ turned around)."""
    return _difference(atom.left, atom.right) if atom.op in ("<", "<=") else _difference(atom.right, atom.left)


class _RatedPrior:
    """In the place of an atom, the bound keeping last year's figure of a stated rate above zero
    (a figure's own bound, not a rule's).  Where the equalities decide it false (a figure and its
    change both fixed at zero), the rate is undefined on every solution: its key is among the
    guards of :func:`~fiscalrules.testing.solve._solve`, so the stated rate is left out of the
    shape (as a publisher prints no rate of nothing) rather than the shape drawn again."""

    __slots__ = ("key",)

    def __init__(self, path: str):
        self.key = ("last year's figure of a stated rate", path)


def _decided_false(c, denominator: int, margin: Fraction, strict: bool) -> bool:
    """Whether ``c / denominator ≤ -margin`` (``< 0`` where *strict*) fails: a constraint the
    equalities decide, checked exactly."""
    c = Fraction(c, denominator) if type(c) is int else c / denominator
    return c > -margin or (strict and c >= 0) if margin else (c > 0 or (strict and c == 0))


def _constraints(specs, system, inequalities, derived, infeasible: list) -> list:
    """Every inequality as (row over free vars, const, margin, strict, clamped, (coef, const), atom,
    exact margin): Σ row·z + const ≤ -margin, where Σ coef·x + const ≤ 0 is the constraint over the
    figures.  Constraints the equalities alone decide are checked here: the atoms that fail go to
    *infeasible*, and then the list returned is incomplete (the callers give up on the system)."""
    figures_part: list = []       # the figures' own bounds, then the rules' inequalities
    inequalities_part: list = []

    def add(out: list, coef: dict, const: Fraction, margin: Fraction, strict: bool, bound_of=None, atom=None,
            affine=None):
        if affine is None:
            affine = _affine(coef, const, system, specs, derived)
            if affine is None:
                return
        row, c, denominator = affine
        if not row:  # decided by the equalities alone: check it now
            if _decided_false(c, denominator, margin, strict):
                infeasible.append(atom)
            return
        if infeasible:  # the system is given up: only what the equalities decide is looked for now
            return
        clamped = bound_of is not None and list(row) == [bound_of]  # rounding clamps it
        # (_ratio inline for the whole coefficients, most of them)
        out.append(({f: v / denominator if type(v) is int else float(v / denominator) for f, v in row.items()},
                    _ratio(c, denominator),
                    float(margin) if margin else 0.0,
                    strict, clamped, (coef, const), atom, margin))

    # The rules' inequalities first: a choice of branches the equalities decide false (most
    # failed solves) shows there, and the figures' bounds then need checking but not converting.
    for atom in inequalities:
        memo = atom.memo
        lin = memo[2] if memo is not None and memo[2] is not None else _oriented(atom)
        margin = _allowance(atom.left, specs) + _allowance(atom.right, specs) if atom.robust else _ZERO
        add(inequalities_part, lin.coef, lin.const, margin, atom.op in ("<", ">"), atom=atom)
    pivots = system.pivots
    for key, spec in specs.items():
        if key in derived:
            continue
        lower = spec.lower
        if lower is not None:
            # -grid (one step down, in base units) as an int over its denominator, and the lower
            # bound over the same (nearly always zero): no Fraction arithmetic per figure
            c, denominator, lower_units = spec.bound_units
            if key in pivots:  # what add() makes of -key + lower, without the general case
                prow, pconst = pivots[key]
                total = lower_units + c * pconst
                if not prow:   # decided by the equalities alone
                    if _decided_false(total, denominator, _ZERO, False):
                        infeasible.append(None)
                elif not infeasible:
                    figures_part.append(({f: c * a / denominator if type(a) is int else _ratio(c * a, denominator)
                                          for f, a in prow.items() if a},
                                         _ratio(total, denominator), 0.0, False, False,
                                         ({key: _MINUS_ONE}, lower), None, _ZERO))
            elif not infeasible:  # a free figure's own bound: what add() makes of it, without the general case
                own = spec.own_bound
                if own is None:   # (the same for every solve of every shape with this spec: made once)
                    own = spec.own_bound = ({key: _ratio(c, denominator)}, _ratio(lower_units, denominator), 0.0,
                                            False, True, ({key: _MINUS_ONE}, lower), None, _ZERO)
                figures_part.append(own)
        if spec.meta == "change":
            value_key = (spec.path, "value")
            value_spec = specs.get(value_key)
            if value_spec is not None:
                # last year's figure (value - change) is not negative; where a growth rate is
                # stated it is large enough to stay non-zero once both figures are rounded
                rated = (spec.path, "pct") in specs
                add(figures_part, {key: spec.factor, value_key: -value_spec.factor},
                    _ZERO, spec.rate_margin if rated else _ZERO, rated,
                    atom=_RatedPrior(spec.path) if rated else None)
    figures_part.extend(inequalities_part)
    return figures_part


def _pin_implied_zeros(specs, system: _System, inequalities, derived, constraints: list, infeasible: list) -> list:
    """Make the constraints' simplest implicit equalities explicit, and return the constraints
    of the system so pinned.

    * A constraint ``Σ a·z + c ≤ -margin`` whose every ``a`` is positive, over free figures
      bounded below by zero, with ``c ≥ 0``, holds only with each such ``z`` at zero (and not at
      all with ``c > 0``, a margin or a strict inequality: its atom goes to *infeasible*).
    * Two constraints with opposite sides (``f ≤ 0`` and ``-f ≤ 0``, a total bounded by its
      parts both ways) hold only with ``f = 0``.

    These follow from the equalities, the signs and the inequalities together, the same for
    every attempt.  The relaxation would otherwise find each only after failing to keep a
    rounding margin on it: most of its sweeps, one attempt at a time.  Pinning may reveal more."""
    nonnegative = _nonnegative(specs, derived)
    for _ in range(len(specs) + 1):
        forced: dict = {}
        by_figures: dict = {}   # the figures of a constraint → the constraints over just those
        tight = []
        # Every constraint of the pass that cannot hold goes to *infeasible*, not only the first:
        # each is false on its own, and the caller repairs all at once (a share of each of five
        # items whose budget is fixed at zero left out in one repair, not in five).
        failed = False
        for constraint in constraints:
            if constraint[4]:
                # a free figure's own bound (clamped): one figure, its coefficient negative --
                # neither forcing zeros nor one of two opposite constraints
                continue
            row, const, margin, strict, _clamped, _lin, atom, _exact_margin = constraint
            if const >= 0 and _all_positive_nonnegative(row, nonnegative):
                if const > 0 or margin > 0 or strict:
                    infeasible.append(atom)
                    failed = True
                    continue
                forced.update(dict.fromkeys(row))
                continue
            if len(row) < 2:
                continue
            alike = by_figures.setdefault(frozenset(row), [])
            opposite = next((other for other in alike if _opposite(constraint, other)), None)
            alike.append(constraint)
            if opposite is None:
                continue
            if margin > 0 or strict or opposite[2] > 0 or opposite[3]:
                infeasible.append(atom if atom is not None or opposite[6] is None else opposite[6])
                failed = True
                continue
            tight.append(constraint)
        if failed or (not forced and not tight):
            return constraints
        for key in forced:
            if key not in system.pivots:
                system.add(Lin({key: _ONE}), "(implied zero)")
        if not tight:
            constraints = _without_zeros(constraints, forced.keys(), specs, system, derived, infeasible)
            if infeasible:
                return constraints
            continue
        try:
            for constraint in tight:
                coef, const = constraint[5]
                system.add(Lin(dict(coef), const), "(implied)")
        except _Contradiction:
            infeasible.append(tight[0][6])
            return constraints
        constraints = _constraints(specs, system, inequalities, derived, infeasible)
        if infeasible:
            return constraints
    return constraints


def _all_positive_nonnegative(row: dict, nonnegative: set) -> bool:
    """Whether every coefficient of *row* is positive, on a non-negative figure (a loop rather
    than all() of a generator: most rows fail at their first term, a figure's own bound)."""
    for f, v in row.items():
        if not (v > 0 and f in nonnegative):
            return False
    return True


def _without_zeros(constraints: list, zeros, specs, system: _System, derived, infeasible: list) -> list:
    """*constraints* once the free figures *zeros* are pinned at zero in *system*: what
    :func:`_constraints` would make of the system again, without converting every constraint
    again (a zero pin only takes its figure out of the rows holding it; the constraints left
    without figures are decided, and checked exactly)."""
    out = []
    for constraint in constraints:
        row = constraint[0]
        if zeros.isdisjoint(row):
            out.append(constraint)
            continue
        row = {f: v for f, v in row.items() if f not in zeros}
        if row:
            out.append((row,) + constraint[1:])
            continue
        coef, const = constraint[5]
        _row, c, denominator = _affine(coef, const, system, specs, derived)
        if _decided_false(c, denominator, constraint[7], constraint[3]):
            infeasible.append(constraint[6])   # and go on: every constraint decided false is blamed
    return out


def _opposite(one, other) -> bool:
    """Whether two constraints over the same figures have opposite sides (one is the other times
    a negative number, constants included): together they hold only at equality."""
    row, const = one[0], one[1]
    first = next(iter(row))
    ratio = other[0][first] / row[first]
    if ratio >= 0:
        return False
    close = 1e-9 * -ratio
    return (all(abs(other[0][f] - ratio * v) <= close * abs(v) for f, v in row.items())
            and abs(other[1] - ratio * const) <= close * (1 + abs(const)))


def _relax(z: dict, constraints: list, step: dict, sweeps: int = 400, rounding: bool = True) -> bool:
    """Move the free variables into the feasible region (cyclic projection, over-relaxed).

    With *rounding*, each constraint keeps a margin for rounding the free variables to their
    steps afterwards; a variable's own lower bound needs none (the rounding is clamped)."""
    if not constraints:
        return True
    # The sweeps run over positions in a list rather than the variables' keys in *z* (hashing
    # a (path, meta) key costs more than the arithmetic).  Constraints on one variable (most:
    # the free figures' own bounds) are projected in a loop of their own, first in each sweep:
    # the projection onto v·x + bound ≤ 0 is a step of the one variable, without the general
    # loop over a row.
    index: dict = {}
    prepared = []
    singles = []
    for row, const, margin, strict, clamped, _lin, _atom, _exact_margin in constraints:
        # (sums of lists rather than of generators: the same sums, without a generator's frames)
        rounding_margin = sum([abs(v) * step.get(f, 1) / 2 for f, v in row.items()]) \
            if rounding and not clamped else 0.0
        if strict:  # one step of the finest variable in it
            rounding_margin += min([abs(v) * step.get(f, 1) for f, v in row.items()])
        norm = sum([v * v for v in row.values()])
        bound = const + margin + rounding_margin
        if len(row) == 1:
            (f, v), = row.items()
            singles.append((index.setdefault(f, len(index)), v, bound, 1e-9 * (1 + abs(bound)), abs(v), 1.3 / v))
        elif len(row) == 2:   # (most of the others: their loop written out, the same arithmetic)
            (f, v), (g, w) = row.items()
            prepared.append((None, bound, norm, 1e-9 * (1 + abs(bound)), math.sqrt(norm),
                             index.setdefault(f, len(index)), v, index.setdefault(g, len(index)), w))
        else:
            items = tuple([(index.setdefault(f, len(index)), v) for f, v in row.items()])
            prepared.append((items, bound, norm, 1e-9 * (1 + abs(bound)), math.sqrt(norm), 0, 0.0, 0, 0.0))
    keys = list(index)
    values = [z.get(f, 0.0) for f in keys]
    moved_at = [f in z for f in keys]   # which keys *z* holds when done
    # A constraint on one variable is evaluated again only where its variable moved since it
    # was last evaluated (most sweeps move a few variables of many): the others have the excess
    # they had, not above their threshold, and add nothing to a sweep's total -- the same values
    # and totals as evaluating every one, in the same order.  *singles_of*: the positions in
    # *singles* of each variable's (a figure's own bound, and a rule's bound on it alone).
    singles_of: list = [() for _ in keys]
    for p, single in enumerate(singles):
        singles_of[single[0]] += (p,)
    due = list(range(len(singles)))   # the singles to evaluate in the next sweep (a heap)
    pop, push_ = heapq.heappop, heapq.heappush
    history = []
    result = False
    for sweep in range(sweeps):
        moved = False
        total = 0.0
        now, due = due, []
        heapq.heapify(now)
        queued = set(now)     # in *now*
        pending = set()       # in *due*
        while now:
            p = pop(now)
            i, v, bound, threshold, size, push = singles[p]
            excess = bound + v * values[i]
            if excess > threshold:
                total += excess / size
                values[i] -= push * excess
                moved_at[i] = moved = True
                for q in singles_of[i]:
                    if q > p:
                        if q not in queued:
                            queued.add(q)
                            push_(now, q)
                    elif q not in pending:
                        pending.add(q)
                        due.append(q)
        for items, bound, norm, threshold, root, i, v, j, w in prepared:
            if items is None:   # two variables: bound + v·x_i + w·x_j, added in the general loop's order
                excess = bound + v * values[i] + w * values[j]
                if excess > threshold:
                    total += excess / root
                    t = 1.3 * excess / norm
                    values[i] = values[i] - t * v
                    values[j] = values[j] - t * w
                    moved_at[i] = moved_at[j] = moved = True
                    for q in singles_of[i] + singles_of[j]:
                        if q not in pending:
                            pending.add(q)
                            due.append(q)
                continue
            excess = bound
            for i, v in items:
                excess += v * values[i]
            if excess > threshold:
                total += excess / root
                t = 1.3 * excess / norm
                for i, v in items:
                    values[i] = values[i] - t * v
                    moved_at[i] = True
                    for q in singles_of[i]:
                        if q not in pending:
                            pending.add(q)
                            due.append(q)
                moved = True
        if not moved:
            result = True
            break
        history.append(total)
        if sweep >= 30 and total > 0.98 * history[-15]:
            break  # stagnating: the constraints (with these margins) cannot all hold
    for f, value, held in zip(keys, values, moved_at):
        if held:
            z[f] = value
    return result


def _balance_row(lin: Lin) -> tuple:
    """An equality ``lin = 0`` split into its two positive sides, for :func:`_balance`:
    ``(figures, (pos, neg, pos_const, neg_const))``.  The same for every solve of the equality,
    so worked out once per atom (see :func:`~fiscalrules.testing.solve._memo`)."""
    pos = [(k, float(c)) for k, c in lin.coef.items() if c > 0]
    neg = [(k, float(-c)) for k, c in lin.coef.items() if c < 0]
    const = float(lin.const)
    return tuple(lin.vars()), (pos, neg, max(const, 0.0), max(-const, 0.0))


def _balance_rows(equalities, specs, derived) -> list:
    """The equalities among non-negative figures only (each as its :func:`_balance_row`)."""
    bounded = {k for k, spec in specs.items() if spec.lower is not None and k not in derived}
    rows = []
    for (keys, row), _atom in equalities:
        if keys and bounded.issuperset(keys):
            rows.append(row)
    return rows


# How closely _balance makes the equalities' two sides agree (relative gap), and the least it
# must improve over ten sweeps to go on.  Its figures are only the relaxation's starting point:
# the pivots are then computed exactly from the free figures, and the relaxation and the exact
# check see to the signs and inequalities.  Balancing to 1e-9, or for all 150 sweeps where it
# crawls, was 12-20 % of a generated record and retried no fewer solves (the same retry counts
# on 80 records of the bundled rulesets at 1e-9, 1e-6, 1e-4, 1e-3 and 1e-2).
_BALANCED = 1e-2
_SETTLED = 1e-6   # a row balanced this closely is left as it is in a sweep (most rows, late on)
_OVER_RELAXATION = 1.4   # 30 solves' balancing: 1672 sweeps at 1.0, 1486 at 1.2, 1131 at 1.4, 1165 at 1.6
_BALANCE_PROGRESS = 0.5


def _balance(x: dict, rows: list, sweeps: int = 150) -> None:
    """Scale non-negative figures multiplicatively until each equality's two sides roughly agree
    (iterative proportional fitting): values stay positive and keep their magnitudes.  Stops at
    a relative gap of :data:`_BALANCED`, or when ten sweeps no longer halve the gap."""
    if not rows:
        return
    keys = list(x)
    index = {k: i for i, k in enumerate(keys)}
    v = [x[k] for k in keys]
    compiled = []
    for pos, neg, pc, nc in rows:
        if all(k in index for k, _ in pos) and all(k in index for k, _ in neg):
            pos_at, neg_at = [index[k] for k, _ in pos], [index[k] for k, _ in neg]
            compiled.append((list(zip(pos_at, [c for _, c in pos])), list(zip(neg_at, [c for _, c in neg])),
                             pc, nc, pos_at, neg_at))
    sqrt, settled, power = math.sqrt, _SETTLED, _OVER_RELAXATION   # (locals: read in the inner loop)
    history = []   # the worst gap after each sweep
    for sweep in range(sweeps):
        worst = 0.0
        for pos, neg, pc, nc, pos_at, neg_at in compiled:
            pv = 0.0
            for i, c in pos:
                pv += c * v[i]
            nv = 0.0
            for i, c in neg:
                nv += c * v[i]
            p, n = pc + pv, nc + nv
            if p == n:
                continue
            gap = (p - n if p > n else n - p) / (p if p > n else n)
            if gap > worst:
                worst = gap
            if gap < settled:
                continue   # scaling by 1 ± 1e-6 would move nothing the relaxation needs
            if pv > 0 and nv > 0:
                d = pc - nc
                # the factor balancing this row exactly, over-relaxed: rows sharing figures
                # (a total of subtotals) undo part of each other's scaling, and overshooting
                # by _OVER_RELAXATION converged in a third fewer sweeps, more rows to 1e-4
                t = ((-d + sqrt(d * d + 4 * pv * nv)) / (2 * pv)) ** power
                for i in pos_at:
                    v[i] *= t
                for i in neg_at:
                    v[i] /= t
            elif pv > 0:
                t = max(nc - pc, 0.0) / pv
                for i in pos_at:
                    v[i] *= t
            elif nv > 0:
                t = max(pc - nc, 0.0) / nv
                for i in neg_at:
                    v[i] *= t
        if worst < _BALANCED:
            break
        history.append(worst)
        if sweep >= 20 and worst > _BALANCE_PROGRESS * history[-11]:
            break  # crawling: some figures must be zero (or the sides cannot agree), which the solve finds
    for k, value in zip(keys, v):
        x[k] = value
