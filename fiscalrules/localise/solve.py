"""Exact solving for one candidate set of figures: values on their printed grids that make every
clause touching them hold (:func:`solve`), or the clauses that stand in the way.

Values are counted in grid steps (whole numbers: a correction must be printable like the figure),
and linear clauses are scaled to whole numbers (:mod:`.model`), so deciding a candidate is
integer arithmetic; only the few divisions below are exact fractions.  One figure: each linear
clause bounds it to a range of steps (its rounding allowance included); within their
intersection the value a typist slip explains is tried first, then the value that makes the
failing comparisons hold *exactly* nearest the printed one, then any value the allowances admit.
Two or three figures: the linear equalities (then inequality boundaries) are solved exactly by
elimination for independent choices of as many clauses as figures, and each solution rounded to
the grid and checked.  Clauses that are not linear (a stated percentage, a disjunction) are
checked on every candidate, and a figure inside a non-linear equality is also solved for by
bisection over exact fractions (:mod:`.bisection`).
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from fractions import Fraction

from ..symbolic.forms import Lin, _Undefined
from .clauses import Var, _atoms, _Values, clause_key, linear_holds
from .bisection import bisect_affine_root, bisect_root
from .model import WORK, Constraints
from .slips import variant_steps

__all__ = ["solve", "most_fixed", "Attempt"]

_MAX_COMBINATIONS = 24
# At most this many steps in one figure's allowed range are each tried (see _one).
_FEW_STEPS = 64
# How far (in steps) from a non-linear clause's root a value a typist slip explains is tried
# before the root's own steps (values the clause then refuses are passed over).
_NEAR_ROOT = 16


class Attempt:
    """The outcome of :func:`solve`: the new values in grid steps (``changes``, None when no
    values work), how many failing or exact comparisons then hold only within rounding
    (``inexact``; ``linear_inexact`` of them linear, sums and differences rather than a stated
    percentage), and the clauses that stand in the way of the natural correction (``blockers``)."""

    __slots__ = ("changes", "inexact", "linear_inexact", "_blockers", "_linear_blockers")

    def __init__(self, changes, inexact=0, blockers=(), linear_inexact=0, linear_blockers=None):
        self.changes, self.inexact, self._blockers = changes, inexact, tuple(blockers)
        self.linear_inexact = linear_inexact
        self._linear_blockers = linear_blockers   # (the linear ones, worked out when first asked)

    @property
    def blockers(self) -> tuple:
        """The clauses in the way: the linear ones first (from :func:`solve`'s numbers, which the
        search asks for only to grow the candidate by a figure -- not after the largest size)."""
        if self._linear_blockers is not None:
            self._blockers = tuple(self._linear_blockers()) + self._blockers
            self._linear_blockers = None
        return self._blockers


def solve(cons: Constraints, keys: tuple, ignore=frozenset()) -> Attempt:
    """Values for the variables *keys* making every clause touching them hold -- except the
    clauses in *ignore* (failures of other groups), which may not be made worse."""
    seen, clauses, others = set(), [], []
    for key in keys:
        for clause in cons.by_var.get(key, ()):
            if id(clause) not in seen:
                seen.add(id(clause))
                (others if clause in ignore else clauses).append(clause)
    clauses.sort(key=clause_key)   # the order rules were written in must not matter
    linear = [c for c in clauses if c.linear]
    trees = [c for c in clauses if not c.linear]
    clauses = linear + trees   # the cheap integer checks first
    if len(keys) == 1:
        candidates, natural = _one(cons, cons.vars[keys[0]], linear, trees)
    else:
        natural = []
        candidates = _several(cons, [cons.vars[k] for k in keys], linear, natural)
    holds = cons.clause_holds
    violation = cons.violation
    nonneg = [k for k in keys if cons.vars[k].nonneg]
    # the work of checking one candidate against every clause, counted (an upper bound) per candidate
    each = WORK["check"] * (len(linear) + len(others)) + WORK["tree_check"] * len(trees)
    cons.work += WORK["solve"]
    # Each linear clause as (its value on the printed figures, its coefficients of *keys*, its
    # test): a candidate moves the value by the coefficients times the steps it moves the
    # figures, which is what clause_holds works out, without its call and look-ups per clause.
    printed = [cons.vars[k].n for k in keys]
    zeros = (0,) * len(keys)
    sums = [(c.value, tuple(map(c.coef.get, keys, zeros)), c.op, c.allowance) for c in linear]
    for changes in candidates:
        cons.work += each
        if any(changes[k] < 0 for k in nonneg):
            continue
        moved = [changes[k] - n for k, n in zip(keys, printed)]
        if all(linear_holds(op, value + sum(map(operator.mul, coef, moved)), allowance)
               for value, coef, op, allowance in sums) and all(holds(c, changes) for c in trees) and \
                all(violation(c, changes) <= violation(c, {}) for c in others):
            inexact = [c for c in clauses if (not c.holds or c.exact) and not holds(c, changes, True)]
            cons.work += each
            return Attempt(changes, len(inexact), linear_inexact=sum(1 for c in inexact if c.linear))
    cons.work += each * len(natural)
    # (linear clauses first, as *clauses* lists them; each decided as in the loop above)
    moves = [[point[k] - n for k, n in zip(keys, printed)] for point in natural]

    def linear_blockers(linear=linear, sums=sums, moves=moves):   # (of the numbers above: when asked)
        return [c for c, (value, coef, op, allowance) in zip(linear, sums)
                if any(not linear_holds(op, value + sum(map(operator.mul, coef, moved)), allowance) for moved in moves)]
    # (the others now: a condition tree is decided on the model as it is)
    return Attempt(None, blockers=[c for c in trees if any(not holds(c, point) for point in natural)],
                   linear_blockers=linear_blockers)


def most_fixed(cons: Constraints, key, failing: list, ignore=frozenset()):
    """The value of one figure that makes the most of the *failing* clauses hold while every
    clause that holds keeps holding: ``(changes, fixed clauses)``, or None when no value fixes
    any.  For groups of failures no small set of figures explains: a partial explanation."""
    var = cons.vars[key]
    touching = sorted((c for c in cons.by_var.get(key, ()) if c not in ignore), key=clause_key)
    wanted = [c for c in touching if c in failing]
    if not wanted:
        return None
    kept = [c for c in touching if c.holds]
    linear_kept = [c for c in kept if c.linear]
    allowed, kept_exact = _ranges(var, linear_kept)
    if allowed.empty:
        return None
    points = []
    for clause in wanted:
        if clause.linear:
            # as _ranges(var, linear_kept + [clause]), without walking the kept clauses again
            rng, exact = _Range(allowed.lo, allowed.hi), _Range(kept_exact.lo, kept_exact.hi)
            _narrow(rng, exact, var, clause)
            for r in (exact, rng):
                if not r.empty:
                    points.append(r.clamp(var.n))
        else:
            for root in _roots(cons, clause.tree, var):
                points += _either_side(root / var.step)
    points += variant_steps(var.raw, var.step)
    # Each point is tried against every kept and wanted clause: counted by ranges (a group of
    # thousands of failures sharing a figure has thousands of points), the first point fixing
    # the most wins, as when each clause was decided on its own.
    keeps, fixes = _Holding(cons, var, kept), _Holding(cons, var, wanted)
    cons.work += WORK["check"] * len(touching) + \
        (WORK["check"] + WORK["tree_check"] * (len(keeps.others) + len(fixes.others))) * len(points)
    best, most = None, 0
    for n in dict.fromkeys(points):
        if n == var.n or n not in allowed or keeps.count(n) < len(kept):
            continue
        fixed = fixes.count(n)
        if fixed > most:
            best, most = n, fixed
    if best is None:
        return None
    changes = {key: best}
    return changes, [c for c in wanted if cons.clause_holds(c, changes)]


class _Holding:
    """How many of *clauses* hold when figure *var* alone is changed to *n* grid steps, as
    ``Constraints.clause_holds`` decides each: a linear comparison holds on a range of *n* (the
    one :func:`_bound` gives), so those are counted by bisection; the rest are decided one by
    one."""

    def __init__(self, cons: Constraints, var: Var, clauses: list):
        self.cons, self.key = cons, var.key
        lows, highs, self.others = [], [], []
        for clause in clauses:
            w = clause.coef.get(var.key) if clause.linear else None
            if not w or clause.op == "!=":
                self.others.append(clause)
                continue
            rng = _Range()
            _bound(rng, clause.op, w, clause.value - w * var.n, clause.allowance)
            if not rng.empty:
                lows.append(-math.inf if rng.lo is None else rng.lo)
                highs.append(math.inf if rng.hi is None else rng.hi)
        self.lows, self.highs = sorted(lows), sorted(highs)

    def count(self, n: int) -> int:
        # a range holds n when it starts at or before n and does not end before it
        inside = bisect.bisect_right(self.lows, n) - bisect.bisect_left(self.highs, n)
        if self.others:
            changes = {self.key: n}
            inside += sum(1 for c in self.others if self.cons.clause_holds(c, changes))
        return inside


# ---- one figure ---------------------------------------------------------------------------------

class _Range:
    """A range of whole grid steps (None: unbounded); ``empty`` once the bounds cross."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def above(self, bound: int) -> None:
        if self.lo is None or bound > self.lo:
            self.lo = bound

    def below(self, bound: int) -> None:
        if self.hi is None or bound < self.hi:
            self.hi = bound

    @property
    def empty(self) -> bool:
        return self.lo is not None and self.hi is not None and self.lo > self.hi

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def __contains__(self, n: int) -> bool:
        return (self.lo is None or n >= self.lo) and (self.hi is None or n <= self.hi)

    def clamp(self, n: int) -> int:
        if self.lo is not None and n < self.lo:
            return self.lo
        if self.hi is not None and n > self.hi:
            return self.hi
        return n


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def _bound(rng: _Range, op: str, w: int, r: int, allowance: int) -> None:
    """Narrow *rng* to the whole n with ``w·n + r  op  0`` (within *allowance*)."""
    if op == "!=":
        return  # decided on printed values: checked on each candidate
    if op in ("=", "<=", "<"):   # w·n ≤ allowance − r  (strictly: integers, so − 1)
        limit = allowance - r - (1 if op == "<" else 0)
        if w > 0:
            rng.below(limit // w)
        else:
            rng.above(_ceil_div(limit, w))
    if op in ("=", ">=", ">"):   # w·n ≥ −allowance − r
        limit = -allowance - r + (1 if op == ">" else 0)
        if w > 0:
            rng.above(_ceil_div(limit, w))
        else:
            rng.below(limit // w)


def _ranges(var: Var, linear: list) -> tuple:
    """(allowed, preferred): where *var* may go with every allowance, and where the clauses that
    fail or hold exactly now hold exactly too."""
    allowed, preferred = _Range(), _Range()
    if var.nonneg:
        allowed.above(0)
        preferred.above(0)
    for clause in linear:
        _narrow(allowed, preferred, var, clause)
    return allowed, preferred


def _narrow(allowed: _Range, preferred: _Range, var: Var, clause) -> None:
    """Narrow :func:`_ranges`' two ranges by one linear clause."""
    w = clause.coef[var.key]
    r = clause.value - w * var.n
    _bound(allowed, clause.op, w, r, clause.allowance)
    _bound(preferred, clause.op, w, r, clause.allowance if clause.holds and not clause.exact else 0)


def _one(cons: Constraints, var: Var, linear: list, trees: list) -> tuple:
    key, n0 = var.key, var.n
    # The natural corrections: what the failed comparisons ask for, together and one by one
    # (when they ask for different values, each one's wish shows what stands in its way).
    failing = [c for c in linear if not c.holds]
    natural = []
    for only in ([failing] if len(failing) > 1 else []) + [[c] for c in failing]:
        _, wanted = _ranges(var, only)   # failing keeps linear's order: the same bounds
        if not wanted.empty:
            natural.append({key: wanted.clamp(n0)})
    allowed, preferred = _ranges(var, linear)
    out = []
    if not allowed.empty:
        # Slips are tried first only where an equality pins the figure down: in the wide range
        # an inequality leaves, some slip of the printed value nearly always fits by chance.
        determined = allowed.bounded and any(c.op == "=" for c in linear)
        if determined:
            slips = variant_steps(var.raw, var.step)
            out += [n for n in slips if n in preferred]
            if preferred.empty or preferred.clamp(n0) != 0:
                # (a slip that fits only within rounding is no slip of a figure the rules make
                # exactly 0: 10.00 printed for nothing was not 0.01 with its point moved)
                out += [n for n in slips if n in allowed]
        if n0 < 0 and _amount_value(var):
            # An amount printed negative: zero or more, where the rules allow it, undoes the slip
            # (the nearest such value, exact if it can be).
            out += [n for n in (preferred.clamp(0) if not preferred.empty else None, allowed.clamp(0))
                    if n is not None and n >= 0 and n in allowed]
        if not preferred.empty:
            out.append(preferred.clamp(n0))
        if determined:
            out += [n for n in variant_steps(var.raw, var.step, weak=True) if n in allowed]
        if not preferred.empty:
            centre = preferred.clamp(n0)
        elif allowed.bounded:
            centre = (allowed.lo + allowed.hi) // 2
        else:
            centre = allowed.clamp(n0)
        out.append(allowed.clamp(centre))
        for clause in trees:
            for root in _roots(cons, clause.tree, var):
                near = _either_side(root / var.step)
                if var.meta != "pct":
                    # An amount (or a stated change) is printed exactly; a rounded percentage pins
                    # it only to a few steps around the root: among them, the value a slip
                    # explains (70.60 printed for 60.60, which the percentage admits as well as
                    # the nearer 60.61).  A percentage itself is the nearest step: it was rounded.
                    out += [n for n in variant_steps(var.raw, var.step, weak=True)
                            if n in allowed and abs(n - near[0]) <= _NEAR_ROOT]
                out += [n for n in near if n in allowed]
                if len(near) == 1:
                    # A root on the grid: the steps either side make the equality fail, which
                    # is what a branch asking for it *not* to hold wants ("if groups = 0 then
                    # spending = 0" failing on 0 groups and 1.80 万元: 1 group, not 0)
                    out += [n for n in (near[0] + 1, near[0] - 1) if n in allowed]
        if trees and allowed.bounded and allowed.hi - allowed.lo < _FEW_STEPS:
            # The linear clauses leave a few steps, and a clause that is not linear decides
            # among them; its roots are found by bisection from the printed value, which can
            # miss one beyond a pole (a percentage of ``value - change`` as the change moves):
            # every step is then tried, nearest the centre first, after the values above.
            out += sorted(range(allowed.lo, allowed.hi + 1), key=lambda n: (abs(n - centre), n))
    if not natural and out:
        natural.append({key: out[0]})
    unique, seen = [], {n0}
    for n in out:
        if n not in seen:
            seen.add(n)
            unique.append({key: n})
    return unique, natural


def _either_side(steps: Fraction) -> list:
    """The grid steps either side of a root, the nearer first: a stated percentage whose amounts
    give 5.5556 % was printed 5.56, not 5.55 (which the rounding allowance admits as well, and
    which the first value that holds would otherwise be)."""
    return _nearest(steps.numerator, steps.denominator)


def _amount_value(var: Var) -> bool:
    """An amount or a count itself (not its stated change or percentage): never negative."""
    kind = var.decl.kind if var.decl is not None else "amount"
    return var.meta == "value" and kind in ("amount", "count")


def _roots(cons: Constraints, tree, var: Var) -> list:
    """Values of *var* that make an equality inside *tree* (a branch of a disjunction, a stated
    percentage) hold on the printed values: exactly for a linear one, by bisection over exact
    fractions for a non-linear one (there only as closely as the grid steps next to it need:
    callers take the steps either side of each root)."""
    out = []
    for atom in _atoms(tree):
        if atom.op != "=" or var.key not in _deps_of(atom):
            continue
        if isinstance(atom.left, Lin) and isinstance(atom.right, Lin):
            form = atom.left - atom.right
            a = form.coef.get(var.key)
            if a:
                out.append(var.value - form.value(_Values(cons.values, {})) / a)
            continue

        def gap(x, atom=atom):
            cons.work += WORK["tree_check"]
            v = _Values(cons.values, {var.key: x})
            left = atom.left.value(v) if isinstance(atom.left, Lin) else atom.left.fn(v)
            right = atom.right.value(v) if isinstance(atom.right, Lin) else atom.right.fn(v)
            return left - right
        slope = _slope(atom, var.key)
        if slope is not None:
            # The figure on a linear side only (a stated percentage against what the amounts
            # make it): the gap is affine in it, so each step of the same bisection is worked
            # out from the gap at the printed value, to the same exact fractions.
            try:
                at_printed = gap(var.value)
            except (_Undefined, ZeroDivisionError, KeyError):
                continue
            root, calls = bisect_affine_root(at_printed, slope, var.value, var.step)
            cons.work += WORK["check"] * calls
            if root is not None:
                # the gap's zero itself (the bisection only says it is near): the nearest step
                # to it is what a publisher rounding the exact percentage printed
                root = var.value - at_printed / slope
        else:
            # bisected to half steps, so that the nearer grid step to the root is known
            root = bisect_root(gap, var.value, var.step / 2)
        if root is not None:
            out.append(root)
    return out


def _slope(atom, key):
    """d(left - right)/d(figure *key*) when the figure is read by a linear side of *atom* only
    (the other side, linear or not, does not read it); else None."""
    for side, other, sign in ((atom.left, atom.right, 1), (atom.right, atom.left, -1)):
        if isinstance(side, Lin) and side.coef.get(key):
            reads = other.vars() if isinstance(other, Lin) else other.deps
            return sign * side.coef[key] if key not in reads else None
    return None


def _deps_of(atom) -> set:
    out = set()
    for side in (atom.left, atom.right):
        out.update(side.vars() if isinstance(side, Lin) else side.deps)
    return out


# ---- several figures ----------------------------------------------------------------------------

def _several(cons: Constraints, vars_: list, linear: list, natural: list):
    """Candidate values for two or three figures, best first, made as they are tried: the
    solutions of every independent choice of equalities (failing ones first), then of choices
    that include an inequality's boundary; each rounded to the grid.  The first solution is
    appended to *natural*."""
    keys = [v.key for v in vars_]
    steps_now = tuple(v.n for v in vars_)   # the printed values, in grid steps
    zeros = (0,) * len(keys)
    planes = []
    for clause in linear:
        row = tuple(map(clause.coef.get, keys, zeros))
        if not any(row) or clause.op == "!=":
            continue
        rest = clause.value - sum(map(operator.mul, row, steps_now))
        priority = (0 if not clause.holds else 1 if clause.exact else 2) if clause.op == "=" else 3
        planes.append((priority, row, -rest))
    planes.sort(key=lambda p: p[0])
    n = len(keys)
    equalities = [p for p in planes if p[0] < 3]
    combos = itertools.chain(itertools.combinations(equalities, n),
                             (c for c in itertools.combinations(planes, n) if any(p[0] == 3 for p in c)))
    for combo in itertools.islice(combos, _MAX_COMBINATIONS):
        solved = _eliminate([p[1] for p in combo], [p[2] for p in combo])
        if solved is None:
            continue
        numerators, det = solved
        if not natural:
            natural.append({k: _round_half_even(num, det) for k, num in zip(keys, numerators)})
        # Every figure must move (a set that leaves one where it is was a smaller candidate): its
        # printed step left out of its grid before the product, which yields the same candidates
        # in the same order as filtering the product would.
        grids = []
        for num, now in zip(numerators, steps_now):
            grid = [n for n in _nearest(num, det) if n != now]
            if not grid:
                break
            grids.append(grid)
        else:
            for steps in itertools.product(*grids):
                yield dict(zip(keys, steps))


def _eliminate(rows: list, rhs: list):
    """The unique exact solution of the square system rows·x = rhs (whole numbers) as
    ``(numerators, denominator)`` with a positive denominator, or None if singular: Cramer's rule
    in integers (n is 2 or 3).  No fractions: this runs for thousands of candidate sets (the
    determinants of 2 and 3 rows written out: the same integers as :func:`_det` of each matrix,
    without building the matrices)."""
    if len(rows) == 2:
        (a, b), (c, d) = rows
        det = a * d - b * c
        if det == 0:
            return None
        e, f = rhs
        x, y = e * d - b * f, a * f - e * c
        return ([x, y], det) if det > 0 else ([-x, -y], -det)
    if len(rows) == 3:
        (a, b, c), (d, e, f), (g, h, i) = rows
        r, s, t = rhs
        ei_fh, di_fg, dh_eg = e * i - f * h, d * i - f * g, d * h - e * g
        det = a * ei_fh - b * di_fg + c * dh_eg
        if det == 0:
            return None
        si_ft, sh_et, dt_sg = s * i - f * t, s * h - e * t, d * t - s * g
        x = r * ei_fh - b * si_ft + c * sh_et
        y = a * si_ft - r * di_fg + c * dt_sg
        z = -a * sh_et - b * dt_sg + r * dh_eg
        return ([x, y, z], det) if det > 0 else ([-x, -y, -z], -det)
    det = _det(rows)
    if det == 0:
        return None
    sign = 1 if det > 0 else -1
    numerators = []
    for col in range(len(rows)):
        replaced = [row[:col] + (b,) + row[col + 1:] for row, b in zip(rows, rhs)]
        numerators.append(sign * _det(replaced))
    return numerators, sign * det


def _round_half_even(num: int, den: int) -> int:
    """``round(Fraction(num, den))`` (den > 0: the nearest whole number, the even one on a tie)
    without making the Fraction."""
    whole, rest = divmod(num, den)
    if 2 * rest < den or 2 * rest == den and whole % 2 == 0:
        return whole
    return whole + 1


def _nearest(num: int, den: int) -> list:
    """The whole numbers next to num/den (den > 0), the nearer first (the lower on a tie)."""
    low, rest = divmod(num, den)
    if rest == 0:
        return [low]
    return [low, low + 1] if 2 * rest <= den else [low + 1, low]


def _det(m) -> int:
    if len(m) == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    if len(m) == 3:
        return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** j * m[0][j] * _det([row[:j] + row[j + 1:] for row in m[1:]]) for j in range(len(m)))
