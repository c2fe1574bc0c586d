"""Solving a shape's requirements: linear equalities by exact Gauss-Jordan elimination over
fractions (:mod:`~fiscalrules.testing.linear_system`), inequalities and signs by relaxation over
the free variables (:mod:`~fiscalrules.testing.relaxation`) with an exact check, figures defined
by non-linear equalities computed afterwards; :data:`STATS` counts why attempts were retried.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..symbolic.forms import _ONE, _ZERO, NL, Atom, Lin, _to_decimal, _Undefined
from .forms import GenerationError, _Contradiction, _Retry
from .linear_system import _heights, _lcm, _pin_forced_zeros, _printable, _System, _total_of, _whole
from .relaxation import (_allowance, _balance, _balance_row, _balance_rows, _constraints, _difference, _excess,
                         _magnitude, _oriented, _pin_implied_zeros, _RatedPrior, _relax, _without_zeros)
from .requirements import _Instance
from .shapes import _Shape
from .variables import var_specs


STATS: "Counter[str]" = Counter()   # why generation attempts were retried (for benchmarks)


def _solve(shape: _Shape, inst: _Instance, rnd, specs: dict | None = None) -> tuple:
    """Values for every numeric variable of the shape meeting the instance's requirements
    (*specs*: the shape's :func:`~fiscalrules.testing.variables.var_specs`, if known)."""
    specs = specs if specs is not None else var_specs(shape)
    equalities, inequalities, derived, post, origins, guards = _requirements(inst, specs)
    order, base_system = _equality_system(shape, specs, equalities, derived, rnd)
    scale = 10 ** rnd.uniform(1.5, 4.3)
    blame: set = set()
    # A derived figure dividing by a figure the equalities fix at zero (a share of a total pinned
    # to nothing, a stated rate of a figure whose last year's value is fixed at zero) is undefined
    # in every attempt: give up on this choice, and say which figures they are (the caller leaves
    # them out of the shape, as a publisher prints no share of nothing).  Each repair settles and
    # solves the shape again, so all of them at once: leaving one out can show more (a divisor
    # zero only once the zeros a share's guard forced are pinned), which are looked for here
    # with the shape's equalities, without the figures left out so far.
    left_out: set = set()
    in_equalities = set().union(*[atom.memo[3][0] for _lin, atom in equalities])   # (their figures)
    for _round in range(len(derived) + len(guards) + 1):
        undefined = _undefined_on_every_solution(base_system, specs, derived) if derived else set()
        # Constraints the equalities alone decide do not depend on the attempt (pins only add
        # equalities, which cannot change a constraint that has no free variable left): check
        # them once, rather than balancing and failing three times.
        infeasible: list = []
        base_constraints = _constraints(specs, base_system, inequalities, derived, infeasible)
        if not infeasible:
            base_constraints = _pin_implied_zeros(specs, base_system, inequalities, derived, base_constraints,
                                                  infeasible)
        if not infeasible and not undefined:
            break
        STATS["decided false by the equalities" if infeasible else "derived figure undefined"] += 1
        undefined = undefined.union(*(guards.get(a.key, ()) for a in infeasible if a is not None))
        if not undefined or any(a is None or a.key not in guards for a in infeasible) \
                or not all(k in derived or k not in in_equalities for k in undefined):
            raise _Retry(blame={origins.get(a.key, a.key) for a in infeasible if a is not None},
                         undefined=left_out | undefined)
        left_out |= undefined
        specs, derived, inequalities, guards, left_out = _leaving_out(left_out, specs, derived, inequalities,
                                                                      guards)
        order, base_system = _equality_system(shape, specs, equalities, derived, rnd)
    if left_out:
        raise _Retry(undefined=left_out)
    balance_rows = _balance_rows([(atom.memo[3], atom) for _lin, atom in equalities], specs, derived)
    for _attempt in range(3):
        solved = _attempt_solve(specs, order, base_system, base_constraints, balance_rows, inequalities,
                                derived, scale, rnd, blame, guards)
        if solved is _HOPELESS:
            break
        if solved is None:
            continue
        values = solved
        inst.opaque.update(atom.rule for atom in post)
        if any(not _printable(v) for v in values.values()):
            raise GenerationError("the equalities need figures that cannot be printed as decimals")
        return values, specs
    raise _Retry(blame={origins.get(key, key) for key in blame})


def _leaving_out(left_out: set, specs: dict, derived: dict, inequalities: list, guards: dict) -> tuple:
    """``(specs, derived, inequalities, guards, left_out)`` without the figures *left_out*
    (derived, or in no equality: a stated rate no rule defines on this choice) and those computed
    from them (*left_out* returned with these), and without the inequalities reading any of them
    (a divisor kept positive only for them among these)."""
    left_out = set(left_out)
    while True:   # a figure computed from one left out is left out too
        more = {k for k, (_lin, expr, _atom) in derived.items() if k not in left_out and not left_out.isdisjoint(expr.deps)}
        if not more:
            break
        left_out |= more
    specs = {k: v for k, v in specs.items() if k not in left_out}
    derived = {k: v for k, v in derived.items() if k not in left_out}
    kept_guards = {key: kept for key, figures in guards.items() if (kept := figures - left_out)}
    dropped = guards.keys() - kept_guards.keys()   # divisors kept positive only for figures left out
    kept_inequalities = [atom for atom in inequalities
                         if atom.key not in dropped and left_out.isdisjoint(atom.left.vars())
                         and left_out.isdisjoint(atom.right.vars())]
    return specs, derived, kept_inequalities, kept_guards, left_out


def _requirements(inst: _Instance, specs: dict) -> tuple:
    """The instance's requirements as the solver takes them: ``(equalities, inequalities,
    derived, post, origins, guards)`` -- linear equalities (each with its difference), linear
    inequalities (a ``!=`` as its strict side, and each divisor of a derived figure that adds up
    non-negative figures kept positive), the figures computed from a non-linear equality
    (figure → ``(lin, expression, atom)``), the atoms left to the evaluator, the key each
    inequality was chosen under, and the guards (a constraint's key → the derived figures it
    keeps defined).  Raises :class:`_Retry` where an atom needs a figure the shape lacks."""
    equalities, inequalities, derived_candidates, post = [], [], [], []
    origins: dict = {}  # a requirement's key as solved → as chosen (what the next choice avoids)
    present = specs.keys()
    for atom in inst.atoms:
        needed, kind, difference, _balance_of, strict, _total_of, _signature = atom.memo or _memo(atom)
        if not present >= needed:
            raise _Retry()
        if kind == "=":
            equalities.append((difference, atom))
        elif kind == "<":
            inequalities.append(atom)
        elif kind == "!=":
            # a convex choice: strictly greater (last year's figure is positive, an amount
            # a filter needs non-zero is positive)
            origins[strict.key] = atom.key
            inequalities.append(strict)
        elif kind == "nl=":
            derived_candidates.append(atom)
        else:
            post.append(atom)
    # derived figures: one printed figure equal to a non-linear expression of others
    in_linear = set()
    for _lin, atom in equalities:
        in_linear.update(atom.memo[3][0])   # the difference's figures (lin.vars(), kept in its balancing row)
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
    # A derived figure is defined only where its divisors are not zero: a divisor adding up
    # non-negative figures (a total, a budget) must stay positive once rounded, which the
    # relaxation can see to (otherwise it would find a zero divisor only after solving).
    guards: dict = {}   # such a divisor's constraint (its key) → the derived figures it guards
    for key, (_lin, expr, atom) in derived.items():
        for divisor in expr.divisors:
            keys = divisor.vars()
            if (keys and divisor.const >= 0 and all(k in specs and k not in derived and specs[k].lower == 0
                                                    and divisor.coef[k] > 0 for k in keys)):
                guard = Atom(">", divisor, Lin.constant(_ZERO), atom.tolerance, True, atom.rule, atom.item)
                inequalities.append(guard)
                guards.setdefault(guard.key, set()).add(key)
    for key, spec in specs.items():   # a stated rate of a change (see _RatedPrior)
        rate = (spec.path, "pct")
        if spec.meta == "change" and rate in specs and (spec.path, "value") in specs:
            guards.setdefault(_RatedPrior(spec.path).key, set()).add(rate)
    return equalities, inequalities, derived, post, origins, guards


def _still_solved(inst: _Instance, values: dict, specs: dict) -> bool:
    """Whether *values*, solved for an earlier instance of a shape, are values for each of its
    figures now (*specs*) and meet *inst*'s requirements as a solve of *inst* would have left
    them: each linear equality exactly, each derived figure as computed from the others, every
    bound and inequality with its rounding margin (checked exactly).  A shape repaired by
    adding a text a rule checked afterwards lacked (a reason next to an item whose final figure
    differs from its budget) keeps its figures: the rules are derived again, and where what they
    require is still met the record is not solved again.  The rules left to the evaluator go to
    ``inst.opaque``."""
    if values.keys() != specs.keys():
        return False
    try:
        equalities, inequalities, derived, post, _origins, _guards = _requirements(inst, specs)
    except _Retry:
        return False
    for _lin, atom in equalities:
        if not atom.holds(values):
            return False
    recomputed = {k: v for k, v in values.items() if k not in derived}
    try:
        _compute_derived(recomputed, derived, specs)
    except _Undefined:
        return False
    if any(recomputed[k] != values[k] for k in derived) or not _check_constraints(values, specs, inequalities):
        return False
    inst.opaque.update(atom.rule for atom in post)
    return True


def _equality_system(shape: _Shape, specs: dict, equalities: list, derived: dict, rnd) -> tuple:
    """``(order, system)``: the shape's figures in the order their columns are eliminated
    (totals first, so that parts stay free) and the linear system of *equalities*, with the
    zeros it forces pinned (:func:`~fiscalrules.testing.linear_system._pin_forced_zeros`).

    A shape is solved again after a repair or another choice of branches, and most of the time
    its equalities are the same (a rule derived again gives new atoms, equal ones): the system
    is then the one built before (a copy), kept on the shape by the equalities' differences and
    the figures that are not derived.  The system depends on nothing else: derived figures take
    no part in it, and a figure's spec is the same for the whole shape."""
    linear_figures = frozenset([k for k in specs if k not in derived])
    key = (tuple([atom.memo[6] for _lin, atom in equalities]), linear_figures)
    built = shape.systems.get(key)
    if built is not None:
        order, system = built
        order = [k for k in order if k in specs]
        order.extend(k for k in derived if k not in linear_figures and k not in system.rank)
        system = system.copy()
        system.specs = specs
        return order, system
    heights = _heights([atom.memo[5] for _lin, atom in equalities])
    # sorted(specs, key=lambda k: (-heights.get(k, 0), rnd.random())): the keys made (and drawn)
    # in the same order, then sorted by a C-level getter rather than a lambda per figure
    figures = list(specs)
    keys = [(-heights.get(k, 0), rnd.random()) for k in figures]
    order = [figures[i] for i in sorted(range(len(figures)), key=keys.__getitem__)]
    system = _System(specs, order)
    for lin, atom in equalities:
        system.add(lin, atom.rule)
    _pin_forced_zeros(system, specs, derived)
    shape.systems[key] = (order, system.copy())
    return order, system


def _memo(atom: Atom) -> tuple:
    """What _solve reads of *atom*, worked out once per atom (see :attr:`Atom.memo`):
    ``(needed, kind, difference, balance, strict, total_of, signature)`` -- the figures both sides need; the
    kind of requirement (``=`` and ``<`` linear, ``!=``, ``nl=`` an equality with a non-linear
    side, ``nl`` another comparison); for a linear equality its difference (left - right), the
    balancing row of it (:func:`~fiscalrules.testing.relaxation._balance_row`) and the total it
    makes of its parts (:func:`~fiscalrules.testing.linear_system._total_of`) and the
    difference's terms and constant (what makes two such equalities the same, whatever the order
    of their terms: a wildcard's figures come in the order they were added), for a linear
    inequality the difference kept at or below zero (:func:`~fiscalrules.testing.relaxation._oriented`);
    for ``!=`` the strict inequality solved in its place."""
    left, right = atom.left, atom.right
    needed = set()
    for side in (left, right):
        needed.update([key for key, c in side.coef.items() if c] if isinstance(side, Lin) else side.deps)
    difference = balance = strict = total_of = signature = None
    if isinstance(left, Lin) and isinstance(right, Lin):
        if atom.op == "=":
            kind = "="
            difference = _difference(left, right)
            balance = _balance_row(difference)
            total_of = _total_of(left.vars(), right.vars(), left.coef, right.coef)
            # (the constant as two ints: the signatures are hashed as a key of every solve,
            # and a Fraction's hash is computed in Python each time)
            signature = (frozenset(difference.coef.items()), difference.const.numerator,
                         difference.const.denominator)
        elif atom.op == "!=":
            kind = "!="
            strict = Atom(">", left, right, atom.tolerance, False, atom.rule, atom.item)
            _memo(strict)
        else:
            kind = "<"
            difference = _oriented(atom)
    else:
        kind = "nl=" if atom.op == "=" else "nl"
    atom.memo = (frozenset(needed), kind, difference, balance, strict, total_of, signature)
    return atom.memo


# What _attempt_solve returns when the other attempts would fail alike: a constraint the
# equalities decide false, or a strict inequality the constraints hold at equality.  Attempts
# differ only in their random starting point, and on the bundled rulesets none that followed
# such a failure ever succeeded (budget 40 records, final accounts 30: 8 solves, 24 attempts).
_HOPELESS = object()


def _attempt_solve(specs, order, base_system, base_constraints, balance_rows, inequalities, derived,
                   scale, rnd, blame, guards):
    # 1. realistic non-negative figures, scaled until the equalities among them roughly hold
    x = {k: _magnitude(specs[k], scale, rnd) for k, spec in specs.items()
         if spec.meta == "value" and spec.lower is not None and k not in derived}
    for k, (row, c) in base_system.pivots.items():
        if not row and c == 0 and k in x:
            x[k] = 0.0
    _balance(x, balance_rows)
    system = base_system.copy()
    top = max(x.values(), default=0.0)
    zeros: dict = {}        # free figures pinned at zero here
    pinned_pivots = False   # and whether a pivot was (which changes the free figures' rows)
    if top:
        for k, v in x.items():
            if v <= 1e-7 * top and not (k in system.pivots and not system.pivots[k][0]):
                if k in system.pivots:
                    pinned_pivots = True
                else:
                    zeros[k] = None
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
        infeasible: list = []
        if len(system.pivots) == len(base_system.pivots):  # nothing pinned yet: the same system
            constraints = base_constraints
        else:
            if _round == 0 and not pinned_pivots:   # only free figures pinned at zero
                constraints = _without_zeros(base_constraints, zeros.keys(), specs, system, derived, infeasible)
            else:
                constraints = _constraints(specs, system, inequalities, derived, infeasible)
            if not infeasible:
                constraints = _pin_implied_zeros(specs, system, inequalities, derived, constraints, infeasible)
        free = [k for k in order if k not in system.pivots and k not in derived]
        step = dict.fromkeys(free, 1)
        for prow, _ in system.pivots.values():
            for g, a in prow.items():
                if type(a) is not int and a.denominator != 1 and g in step:   # (an int's is 1)
                    step[g] = _lcm((step[g], a.denominator))
        if infeasible:
            STATS["decided false by the equalities"] += 1
            blame.update(a.key for a in infeasible if a is not None)
            undefined = set().union(*(guards.get(a.key, ()) for a in infeasible if a is not None))
            if undefined:
                # a divisor the equalities and the signs fix at zero (the balancing found it
                # nothing): the derived figure is undefined whatever the attempt
                STATS["derived figure undefined"] += 1
                raise _Retry(undefined=undefined)
            return _HOPELESS
        z = _start(specs, free, system, x, z, scale, random.Random(change_seed))
        if _relax(z, constraints, step):
            break
        trial = dict(z)
        _relax(trial, constraints, step, rounding=False)
        tight = [c for c in constraints if _excess(c, trial) > -1e-7 * (1 + abs(c[1]))]
        if not tight or any(c[3] for c in tight):  # a strict inequality cannot be made an equality
            STATS["strict inequality cannot hold" if tight else "relaxation stuck"] += 1
            blame.update(c[6].key for c in tight if c[3] and c[6] is not None)
            return _HOPELESS if tight else None
        try:
            for c in tight:
                coef, const = c[5]
                system.add(Lin(dict(coef), const), "(tight)")
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
        exact_z[f] = u   # an int: the pivots' sums below stay ints where their rows are whole
    units = dict(exact_z)
    for p, (prow, pconst) in system.pivots.items():
        units[p] = pconst + sum([a * exact_z[f] for f, a in prow.items()])
    values = {k: _on_grid(u, specs[k].grid) for k, u in units.items()}
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


def _on_grid(units, grid: Fraction) -> Fraction:
    """``units * grid``: the same Fraction, made from ints where *units* is one (most: see
    :func:`~fiscalrules.testing.linear_system._whole`) without Fraction's mixed-type dispatch."""
    if type(units) is int:
        return Fraction(units * grid.numerator, grid.denominator)
    return units * grid


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


def _pivot_values_float(system: _System, z: dict) -> dict:
    out = {}
    for p, (prow, pconst) in system.pivots.items():
        # (a list's sum rather than a generator's: the same sum, in the same order)
        out[p] = float(pconst) + sum([float(a) * z.get(f, 0.0) for f, a in prow.items()])
    return out


_TWO_STEPS: dict = {}   # a printed precision (Decimal) → twice it, as a Fraction


def _check_constraints(values, specs, inequalities, blame=None) -> bool:
    for key, spec in specs.items():
        if key not in values:
            continue
        lower = spec.lower
        if lower is not None and (values[key].numerator < 0 if not lower else values[key] < lower):
            STATS["exact check: negative figure"] += 1
            return False
        if spec.meta == "change" and (spec.path, "value") in values:
            prior = values[(spec.path, "value")] - values[key]
            if (spec.path, "pct") in specs and prior < _two_steps(spec.precision):
                STATS["exact check: last year's figure too small for a rate"] += 1
                return False
            if prior < 0:
                STATS["exact check: negative prior"] += 1
                return False
    present = values.keys()
    for atom in inequalities:
        memo = atom.memo   # (its figures, worked out once per atom: see _memo)
        if not (present >= memo[0] if memo is not None else
                all(k in values for k in atom.left.vars() + atom.right.vars())):
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


def _two_steps(precision) -> Fraction:
    found = _TWO_STEPS.get(precision)
    if found is None:
        found = _TWO_STEPS[precision] = 2 * Fraction(precision)
    return found


def _undefined_on_every_solution(system: _System, specs, derived: dict) -> set:
    """The derived figures whose computation divides by zero at two generic points of the
    equalities' solutions (free figures drawn at random, pivots from their rows), with those
    computed from them.  A divisor that vanishes at both is zero on every solution (a rational
    function zero at random points of an affine space is zero on all of it, but with vanishing
    probability), and every attempt only adds equalities to *system*: each of them would fail
    the same way.  Empty where every derived figure is defined."""
    needed = set().union(*(expr.deps for _lin, expr, _atom in derived.values())) - set(derived)
    undefined = None
    free = [k for k in specs if k not in system.pivots and k not in derived]
    for seed in (1, 2):
        # its own generator's draws (the record's are not consumed): the same every time
        units = dict(zip(free, _probe_draws(seed, len(free))))
        for p in needed & system.pivots.keys():
            prow, pconst = system.pivots[p]
            units[p] = pconst + sum(a * units[f] for f, a in prow.items())
        values = {k: _on_grid(units[k], specs[k].grid) for k in needed}
        failed = _compute_derived(values, derived, specs, keep_going=True)
        undefined = failed if undefined is None else undefined & failed
        if not undefined:
            return set()
    return undefined


_PROBE_DRAWS: dict = {}   # seed → the first draws of random.Random(seed).randrange(10 ** 6, 10 ** 9)


def _probe_draws(seed: int, n: int) -> list:
    """The first *n* draws of ``random.Random(seed).randrange(10 ** 6, 10 ** 9)``, drawn once."""
    draws = _PROBE_DRAWS.get(seed)
    if draws is None or len(draws) < n:
        probe = random.Random(seed)
        draws = _PROBE_DRAWS[seed] = [probe.randrange(10 ** 6, 10 ** 9) for _ in range(max(n, 2 * len(draws or ())))]
    return draws[:n]


_GRIDS: dict = {}   # a printed precision (Decimal) → the same as a Fraction


def _grid_of(precision) -> Fraction:
    grid = _GRIDS.get(precision)
    if grid is None:
        grid = _GRIDS[precision] = Fraction(precision)
    return grid


def _half_up_steps(x: Fraction):
    """*x* rounded half up (away from zero) to a whole number, as
    ``Fraction(_to_decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))`` gives it: in ints
    (the value, not the type: an int), without the Decimal division, where that division is
    exact enough to decide the rounding alike (a denominator below 10**40 puts a value that is
    not a tie at least 1/(2·10**40) from one, far beyond the 80 digits the division keeps for a
    quotient below 10**27) and quantize would not refuse the result (28 digits)."""
    n, d = x.numerator, x.denominator
    q, r = divmod(-n if n < 0 else n, d)
    if q < 10 ** 27 and d < 10 ** 40:
        if 2 * r >= d:
            q += 1
        return -q if n < 0 else q
    return Fraction(_to_decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _compute_derived(values: dict, derived: dict, specs, keep_going: bool = False) -> set:
    """Compute the derived figures into *values*, each rounded once to its printed precision.
    Raises :class:`_Undefined` on the first that cannot be computed, or with *keep_going*
    returns every one that cannot (with those depending on them)."""
    pending = dict(derived)
    failed: set = set()
    while pending:
        progress = False
        for key, (lin, expr, _atom) in list(pending.items()):
            if any(d in pending for d in expr.deps):
                continue
            del pending[key]
            progress = True
            if failed and not failed.isdisjoint(expr.deps):
                failed.add(key)
                continue
            try:
                base = expr.value(values)
            except _Undefined:
                if not keep_going:
                    raise
                failed.add(key)
                continue
            coef = lin.coef[key]
            exact_value = (base - lin.const) / coef
            grid = _grid_of(specs[key].precision)  # printed as a publisher would: rounded once
            values[key] = _half_up_steps(exact_value / grid) * grid
        if not progress:
            if not keep_going:
                raise _Undefined("derived figures depend on each other")
            failed.update(pending)
            break
    return failed
