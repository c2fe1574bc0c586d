"""Solving a shape's requirements: linear equalities by exact Gauss-Jordan elimination over
fractions (:class:`_System`), inequalities and signs by relaxation over the free variables with
an exact check, figures defined by non-linear equalities computed afterwards; :data:`STATS`
counts why attempts were retried.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..values import MONEY_UNITS
from ..symbolic.forms import _ONE, _ZERO, NL, Atom, Lin, _deps, _to_decimal, _Undefined
from .forms import GenerationError, _Contradiction, _Retry
from .requirements import _Instance
from .shapes import _Shape, _VarSpec


STATS: "Counter[str]" = Counter()   # why generation attempts were retried (for benchmarks)


def _whole(x):
    """*x* as an int where it is whole.  The system's coefficients are mostly whole (budget
    identities add figures on the same grid) and int arithmetic is many times faster than
    Fraction's, whose results stay Fractions even when whole; the values are the same."""
    return x if type(x) is int or x.denominator != 1 else x.numerator


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

    def copy(self) -> "_System":
        other = _System(self.specs, [])
        other.rank = self.rank
        other.pivots = {k: (dict(row), c) for k, (row, c) in self.pivots.items()}
        other.rules_of = dict(self.rules_of)
        return other

    def add(self, lin: Lin, rule: str) -> None:
        """Add Σ coef·x + const = 0 (x in printed units → u in grid units)."""
        row = {}
        for key, c in lin.coef.items():
            if c:
                row[key] = row.get(key, 0) + _whole(c) * self.specs[key].factor_grid
        row = {k: _whole(v) for k, v in row.items() if v}
        const = _whole(lin.const)
        # substitute existing pivots
        for key in [k for k in row if k in self.pivots]:
            coef = row.pop(key)
            prow, pconst = self.pivots[key]
            for f, a in prow.items():
                value = row.get(f, 0) + coef * a
                if value:
                    row[f] = value if type(value) is int else _whole(value)
                else:
                    row.pop(f, None)
            const = _whole(const + coef * pconst)
        if not row:
            if const != 0:
                raise _Contradiction(f"the equalities of rule {rule} contradict those of rules "
                                     f"{', '.join(sorted(set(self.rules_of.values()))[:8])}")
            return
        pivot = min(row, key=lambda k: self.rank[k])
        a = row.pop(pivot)
        expr = {f: _quotient(-v, a) for f, v in row.items()}
        pconst = _quotient(-const, a)
        # eliminate the new pivot from the others
        for other, (orow, oconst) in list(self.pivots.items()):
            coef = orow.pop(pivot, None)
            if coef is None:
                continue
            for f, v in expr.items():
                value = orow.get(f, 0) + coef * v
                if value:
                    orow[f] = value if type(value) is int else _whole(value)
                else:
                    orow.pop(f, None)
            self.pivots[other] = (orow, _whole(oconst + coef * pconst))
        self.pivots[pivot] = (expr, pconst)
        self.rules_of[pivot] = rule


def _heights(atoms: list) -> dict:
    """How "high" each variable sits in the equalities: totals above their parts."""
    below: dict = {}
    for atom in atoms:
        if atom.op != "=" or not isinstance(atom.left, Lin) or not isinstance(atom.right, Lin):
            continue
        left, right = atom.left.vars(), atom.right.vars()
        for one, many in ((left, right), (right, left)):
            if len(one) == 1 and len(many) >= 2 and one[0] not in many:
                below.setdefault(one[0], set()).update(many)
    heights: dict = {}
    for start in below:
        stack = [(start, iter(below.get(start, ())))]
        visiting = {start}
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                visiting.discard(node)
                heights[node] = 1 + max((heights.get(c, 0) for c in below.get(node, ()) if c not in visiting),
                                        default=-1)
                continue
            if child in heights or child in visiting or child not in below:
                continue
            visiting.add(child)
            stack.append((child, iter(below.get(child, ()))))
    return heights


# Floats appear here only to steer the *random starting point* of the relaxation (how large a
# figure should roughly be); every value written into a generated record is then fixed on its
# printed grid and solved exactly over Fractions, and each equality is checked exactly.  No float
# reaches an amount.
def _magnitude(spec: _VarSpec, scale: float, rnd) -> float:
    """A realistic, positive value for a variable, in its printed unit (zeros come from the rules:
    balancing keeps a zero start at zero, which would pin figures a rule needs non-zero)."""
    if spec.kind == "amount" and spec.meta == "value":
        per_unit = float(Fraction(MONEY_UNITS["万元"]) / spec.factor)
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


def _solve(shape: _Shape, inst: _Instance, rnd) -> tuple:
    """Values for every numeric variable of the shape meeting the instance's requirements."""
    specs = shape.var_specs()
    for spec in specs.values():
        spec.factor_grid = _whole(spec.factor * spec.grid)  # base units per grid step
    equalities, inequalities, derived_candidates, post = [], [], [], []
    for atom in inst.atoms:
        a, b = atom.left, atom.right
        for key in (_deps(a) | _deps(b)):
            if key not in specs:
                raise _Retry()
        if isinstance(a, Lin) and isinstance(b, Lin):
            if atom.op == "=":
                equalities.append((a - b, atom))
            elif atom.op == "!=":
                # a convex choice: strictly greater (last year's figure is positive, an amount
                # a filter needs non-zero is positive)
                inequalities.append(Atom(">", a, b, atom.tolerance, False, atom.rule, atom.item))
            else:
                inequalities.append(atom)
        elif atom.op == "=":
            derived_candidates.append(atom)
        else:
            post.append(atom)
    # derived figures: one printed figure equal to a non-linear expression of others
    in_linear = set()
    for lin, _ in equalities:
        in_linear.update(lin.vars())
    derived: dict = {}
    for atom in derived_candidates:
        for lin, other in ((atom.left, atom.right), (atom.right, atom.left)):
            if isinstance(lin, Lin) and len(lin.vars()) == 1 and isinstance(other, NL):
                key = lin.vars()[0]
                if key not in in_linear and key not in derived and key not in other.deps:
                    derived[key] = (lin, other, atom)
                    break
        else:
            post.append(atom)
    # order columns: totals first, so that parts stay free
    heights = _heights(inst.atoms)
    order = sorted(specs, key=lambda k: (-heights.get(k, 0), rnd.random()))
    base_system = _System(specs, order)
    for lin, atom in equalities:
        base_system.add(lin, atom.rule)
    _pin_forced_zeros(base_system, specs, derived)
    scale = 10 ** rnd.uniform(1.5, 4.3)
    balance_rows = _balance_rows(equalities, specs, derived)
    blame: set = set()
    # Constraints the equalities alone decide do not depend on the attempt (pins only add
    # equalities, which cannot change a constraint that has no free variable left): check them
    # once, rather than balancing and failing three times.
    infeasible: list = []
    base_constraints = _constraints(specs, base_system, inequalities, derived, infeasible)
    if infeasible:
        STATS["decided false by the equalities"] += 1
        retry = _Retry()
        retry.blame = {a.key for a in infeasible if a is not None}
        raise retry
    # A derived figure dividing by a figure the equalities fix at zero (a share of a total pinned
    # to nothing) is undefined in every attempt: give up on this choice now, not after three.
    if derived and _undefined_on_every_solution(base_system, specs, derived):
        STATS["derived figure undefined"] += 1
        raise _Retry()
    for _attempt in range(3):
        solved = _attempt_solve(specs, order, base_system, base_constraints, balance_rows, inequalities,
                                derived, scale, rnd, blame)
        if solved is None:
            continue
        values = solved
        inst.opaque.update(atom.rule for atom in post)
        if any(not _printable(v) for v in values.values()):
            raise GenerationError("the equalities need figures that cannot be printed as decimals")
        return values, specs
    retry = _Retry()
    retry.blame = blame
    raise retry


def _attempt_solve(specs, order, base_system, base_constraints, balance_rows, inequalities, derived,
                   scale, rnd, blame):
    # 1. realistic non-negative figures, scaled until the equalities among them roughly hold
    x = {k: _magnitude(specs[k], scale, rnd) for k, spec in specs.items()
         if spec.meta == "value" and spec.lower is not None and k not in derived}
    for k, (row, c) in base_system.pivots.items():
        if not row and c == 0 and k in x:
            x[k] = 0.0
    _balance(x, balance_rows)
    system = base_system.copy()
    top = max(x.values(), default=0.0)
    if top:
        for k, v in x.items():
            if v <= 1e-7 * top and not (k in system.pivots and not system.pivots[k][0]):
                try:
                    system.add(Lin({k: _ONE}), "(zero)")
                except _Contradiction:
                    STATS["zero pin contradicts"] += 1
                    return None
    # 2. move the free variables into the region the inequalities allow; constraints that turn
    #    out tight are implicit equalities: make them explicit and go again
    z = None
    change_seed = rnd.random()
    for _round in range(4):
        free = [k for k in order if k not in system.pivots and k not in derived]
        step = dict.fromkeys(free, 1)
        for prow, _ in system.pivots.values():
            for g, a in prow.items():
                if a.denominator != 1 and g in step:
                    step[g] = _lcm((step[g], a.denominator))
        infeasible: list = []
        if len(system.pivots) == len(base_system.pivots):  # nothing pinned yet: the same system
            constraints = base_constraints
        else:
            constraints = _constraints(specs, system, inequalities, derived, infeasible)
        if infeasible:
            STATS["decided false by the equalities"] += 1
            blame.update(a.key for a in infeasible if a is not None)
            return None
        z = _start(specs, free, system, x, z, scale, random.Random(change_seed))
        if _relax(z, constraints, step):
            break
        trial = dict(z)
        _relax(trial, constraints, step, rounding=False)
        tight = [c for c in constraints if _excess(c, trial) > -1e-7 * (1 + abs(c[1]))]
        if not tight or any(c[3] for c in tight):  # a strict inequality cannot be made an equality
            STATS["strict inequality cannot hold" if tight else "relaxation stuck"] += 1
            blame.update(c[6].key for c in tight if c[3] and c[6] is not None)
            return None
        try:
            for c in tight:
                system.add(c[5], "(tight)")
        except _Contradiction:
            STATS["tight constraint contradicts"] += 1
            return None
        z = trial
    else:
        STATS["relaxation rounds exhausted"] += 1
        return None
    # 3. exact values on the printed grid, and an exact check of everything
    exact_z = {}
    for f in free:
        s = step[f]
        u = round(z.get(f, 0.0) / s) * s
        if specs[f].lower is not None and u < 0:
            u = 0
        exact_z[f] = Fraction(u)
    units = dict(exact_z)
    for p, (prow, pconst) in system.pivots.items():
        units[p] = pconst + sum((a * exact_z[f] for f, a in prow.items()), _ZERO)
    values = {k: u * specs[k].grid for k, u in units.items()}
    if not _check_constraints(values, specs, inequalities, blame):
        return None
    try:
        _compute_derived(values, derived, specs)
    except _Undefined:
        STATS["derived figure undefined"] += 1
        return None
    if derived and not all(atom.holds(values) for atom in inequalities
                           if any(k in derived for k in atom.left.vars() + atom.right.vars())):
        STATS["inequality on a derived figure"] += 1
        return None
    STATS["solved"] += 1
    return values


def _start(specs, free, system, x, previous, scale, rnd) -> dict:
    """The starting point of the relaxation, in grid units: the balanced figures, and stated
    changes drawn relative to their figure's value."""
    z = {}
    for f in free:
        if previous is not None and f in previous:
            z[f] = previous[f]
        elif specs[f].meta == "value":
            value = x[f] if f in x else _magnitude(specs[f], scale, rnd)
            z[f] = value / float(specs[f].grid)
    prelim = _pivot_values_float(system, z)
    for f in free:
        if f in z:
            continue
        if specs[f].meta == "change":
            owner = (f[0], "value")
            base = prelim.get(owner, z.get(owner, 0.0))
            base_value = base * float(specs[owner].grid) if owner in specs else 10.0
            ratio = 0.0 if rnd.random() < 0.2 else rnd.uniform(-0.3, 0.3)
            z[f] = base_value * ratio / float(specs[f].grid)
        else:
            z[f] = _magnitude(specs[f], scale, rnd) / float(specs[f].grid)
    return z


def _excess(constraint, z) -> float:
    row, const, margin, strict, clamped, _lin, _atom = constraint
    return sum(v * z.get(f, 0.0) for f, v in row.items()) + const


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


def _pivot_values_float(system: _System, z: dict) -> dict:
    out = {}
    for p, (prow, pconst) in system.pivots.items():
        out[p] = float(pconst) + sum(float(a) * z.get(f, 0.0) for f, a in prow.items())
    return out


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


def _allowance(lin: Lin, specs) -> Fraction:
    """The rounding allowance the evaluator grants *lin*: Σ rad·half the printed precision."""
    return sum((r * Fraction(specs[k].precision) / 2 for k, r in lin.rad.items() if r and k in specs), _ZERO)


def _constraints(specs, system, inequalities, derived, infeasible: list) -> list:
    """Every inequality as (row over free vars, const, margin, strict, clamped, lin):
    Σ row·z + const ≤ -margin, where *lin* ≤ 0 is the constraint over the figures.  Constraints
    the equalities alone decide are checked here: the atoms that fail go to *infeasible*."""
    out = []

    def add(coef: dict, const: Fraction, margin: Fraction, strict: bool, bound_of=None, atom=None):
        affine = _affine(coef, const, system, specs, derived)
        if affine is None:
            return
        row, c, denominator = affine
        if not row:  # decided by the equalities alone: check it now
            c = Fraction(c, denominator) if type(c) is int else c / denominator
            if c > -margin or (strict and c >= 0) if margin else (c > 0 or (strict and c == 0)):
                infeasible.append(atom)
            return
        clamped = bound_of is not None and list(row) == [bound_of]  # rounding clamps it
        out.append(({f: _ratio(v, denominator) for f, v in row.items()}, _ratio(c, denominator), float(margin),
                    strict, clamped, Lin(dict(coef), const), atom))

    for key, spec in specs.items():
        if key in derived:
            continue
        if spec.lower is not None:
            add({key: -_ONE}, spec.lower, _ZERO, False, bound_of=key)
        if spec.meta == "change" and (spec.path, "value") in specs:
            # last year's figure (value - change) is not negative; where a growth rate is stated
            # it is large enough to stay non-zero once both figures are rounded
            rated = (spec.path, "pct") in specs
            add({(spec.path, "change"): spec.factor, (spec.path, "value"): -specs[(spec.path, "value")].factor},
                _ZERO, 2 * Fraction(spec.precision) * spec.factor if rated else _ZERO, rated)
    for atom in inequalities:
        lin = atom.left - atom.right if atom.op in ("<", "<=") else atom.right - atom.left
        margin = _allowance(atom.left, specs) + _allowance(atom.right, specs) if atom.robust else _ZERO
        add(lin.coef, lin.const, margin, atom.op in ("<", ">"), atom=atom)
    return out


def _relax(z: dict, constraints: list, step: dict, sweeps: int = 400, rounding: bool = True) -> bool:
    """Move the free variables into the feasible region (cyclic projection, over-relaxed).

    With *rounding*, each constraint keeps a margin for rounding the free variables to their
    steps afterwards; a variable's own lower bound needs none (the rounding is clamped)."""
    if not constraints:
        return True
    prepared = []
    for row, const, margin, strict, clamped, _lin, _atom in constraints:
        rounding_margin = sum(abs(v) * step.get(f, 1) / 2 for f, v in row.items()) if rounding and not clamped else 0.0
        if strict:  # one step of the finest variable in it
            rounding_margin += min(abs(v) * step.get(f, 1) for f, v in row.items())
        norm = sum(v * v for v in row.values())
        prepared.append((list(row.items()), const + margin + rounding_margin, norm))
    history = []
    for sweep in range(sweeps):
        moved = False
        total = 0.0
        for items, bound, norm in prepared:
            excess = bound
            for f, v in items:
                excess += v * z.get(f, 0.0)
            if excess > 1e-9 * (1 + abs(bound)):
                total += excess / math.sqrt(norm)
                t = 1.3 * excess / norm
                for f, v in items:
                    z[f] = z.get(f, 0.0) - t * v
                moved = True
        if not moved:
            return True
        history.append(total)
        if sweep >= 30 and total > 0.98 * history[-15]:
            return False  # stagnating: the constraints (with these margins) cannot all hold
    return False


def _check_constraints(values, specs, inequalities, blame=None) -> bool:
    for key, spec in specs.items():
        if key not in values:
            continue
        if spec.lower is not None and values[key] < spec.lower:
            STATS["exact check: negative figure"] += 1
            return False
        if spec.meta == "change" and (spec.path, "value") in values:
            prior = values[(spec.path, "value")] - values[key]
            if (spec.path, "pct") in specs and prior < 2 * Fraction(spec.precision):
                STATS["exact check: last year's figure too small for a rate"] += 1
                return False
            if prior < 0:
                STATS["exact check: negative prior"] += 1
                return False
    for atom in inequalities:
        if not all(k in values for k in atom.left.vars() + atom.right.vars()):
            continue
        if not atom.holds(values):
            STATS[f"exact check: {atom.op} of {atom.rule}"] += 1
            if blame is not None:
                blame.add(atom.key)
            return False
        if atom.robust and atom.op != "=":
            margin = _allowance(atom.left, specs) + _allowance(atom.right, specs)
            a, b = atom.left.value(values), atom.right.value(values)
            gap = (b - a) if atom.op in ("<", "<=") else (a - b)
            if gap < margin:
                return False
    return True


def _pin_forced_zeros(system: _System, specs, derived) -> None:
    """Make implicit equalities explicit: a row ``p = c + Σ a·z`` over non-negative figures with
    every ``a <= 0`` and ``c <= 0`` forces ``p`` and each ``z`` with ``a < 0`` to zero (e.g. columns
    that must add up to nothing).  Without this, rounding the free figures breaks them."""
    for _ in range(len(specs) + 1):
        found = []
        for p, (row, c) in system.pivots.items():
            if p in derived or specs[p].lower != 0 or not row or c > 0:
                continue
            if all(a <= 0 and specs[f].lower == 0 and f not in derived for f, a in row.items()):
                found.extend(f for f, a in row.items() if a < 0)
        if not found:
            return
        for f in dict.fromkeys(found):
            if f not in system.pivots:
                system.add(Lin({f: _ONE}), "(forced zero)")


def _balance_rows(equalities, specs, derived) -> list:
    """The equalities among non-negative figures only, split into their two positive sides."""
    rows = []
    for lin, _atom in equalities:
        keys = lin.vars()
        if not keys or any(specs[k].lower is None or k in derived for k in keys):
            continue
        pos = [(k, float(c)) for k, c in lin.coef.items() if c > 0]
        neg = [(k, float(-c)) for k, c in lin.coef.items() if c < 0]
        const = float(lin.const)
        rows.append((pos, neg, max(const, 0.0), max(-const, 0.0)))
    return rows


def _balance(x: dict, rows: list, sweeps: int = 150) -> None:
    """Scale non-negative figures multiplicatively until each equality's two sides agree
    (iterative proportional fitting): values stay positive and keep their magnitudes."""
    if not rows:
        return
    keys = list(x)
    index = {k: i for i, k in enumerate(keys)}
    v = [x[k] for k in keys]
    compiled = []
    for pos, neg, pc, nc in rows:
        if all(k in index for k, _ in pos) and all(k in index for k, _ in neg):
            compiled.append(([(index[k], c) for k, c in pos], [(index[k], c) for k, c in neg], pc, nc))
    sqrt = math.sqrt
    for _ in range(sweeps):
        worst = 0.0
        for pos, neg, pc, nc in compiled:
            pv = 0.0
            for i, c in pos:
                pv += c * v[i]
            nv = 0.0
            for i, c in neg:
                nv += c * v[i]
            p, n = pc + pv, nc + nv
            if p == n:
                continue
            gap = abs(p - n) / (p if p > n else n)
            if gap > worst:
                worst = gap
            if pv > 0 and nv > 0:
                d = pc - nc
                t = (-d + sqrt(d * d + 4 * pv * nv)) / (2 * pv)
                for i, _c in pos:
                    v[i] *= t
                for i, _c in neg:
                    v[i] /= t
            elif pv > 0:
                t = max(nc - pc, 0.0) / pv
                for i, _c in pos:
                    v[i] *= t
            elif nv > 0:
                t = max(pc - nc, 0.0) / nv
                for i, _c in neg:
                    v[i] *= t
        if worst < 1e-9:
            break
    for k, value in zip(keys, v):
        x[k] = value


def _undefined_on_every_solution(system: _System, specs, derived: dict) -> bool:
    """Whether computing the derived figures divides by zero at two generic points of the
    equalities' solutions (free figures drawn at random, pivots from their rows).  A divisor
    that vanishes at both is zero on every solution (a rational function zero at random points
    of an affine space is zero on all of it, but with vanishing probability), and every attempt
    only adds equalities to *system*: each of them would fail the same way."""
    needed = set().union(*(expr.deps for _lin, expr, _atom in derived.values())) - set(derived)
    for seed in (1, 2):
        probe = random.Random(seed)   # its own generator: the record's draws are not consumed
        units = {k: probe.randrange(10 ** 6, 10 ** 9) for k in specs if k not in system.pivots and k not in derived}
        for p in needed & system.pivots.keys():
            prow, pconst = system.pivots[p]
            units[p] = pconst + sum(a * units[f] for f, a in prow.items())
        values = {k: Fraction(units[k]) * specs[k].grid for k in needed}
        try:
            _compute_derived(values, derived, specs)
        except _Undefined:
            continue
        return False
    return True


def _compute_derived(values: dict, derived: dict, specs) -> None:
    pending = dict(derived)
    while pending:
        progress = False
        for key, (lin, expr, _atom) in list(pending.items()):
            if any(d in pending for d in expr.deps):
                continue
            base = expr.value(values)
            coef = lin.coef[key]
            exact_value = (base - lin.const) / coef
            grid = Fraction(specs[key].precision)  # printed as a publisher would: rounded once
            steps = _to_decimal(exact_value / grid).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            values[key] = Fraction(steps) * grid
            del pending[key]
            progress = True
        if not progress:
            raise _Undefined("derived figures depend on each other")
