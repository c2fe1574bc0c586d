"""Generating records that satisfy a ruleset: :func:`generate_record` (draw a shape, grow it
until every rule is evaluable, solve, confirm what cannot be solved exactly) and the hypothesis
strategy :func:`records`.
"""

from __future__ import annotations

import decimal
import random
import threading
from array import array

from ..errors import FiscalRulesError, Location
from ..records import load_record
from .forms import GenerationError, _Contradiction, _Retry
from ..symbolic.forms import Lin, _DivisionByZero
from ..symbolic.linear import _deep_recursion
from .plan import _as_ruleset, _plan, _Plan
from .requirements import _conditions, _forget_choices, _instantiate, _Instance, _reload
from .printing import _copied, exact_decimals, fill
from .shapes import _Shape
from .solve import _solve, _still_solved
from .variables import var_specs


# Shapes tried before giving up: a ruleset with many value-dependent conditions (when/where on
# amounts, "大于/小于" wording rules) needs more draws than one made only of identities.
_MAX_SHAPES = 30


def generate_record(ruleset, *, seed=None, rnd: random.Random | None = None, rounded: bool = False,
                    optional_absent: bool = True) -> dict:
    """One record (a plain mapping) satisfying *ruleset*; see :func:`records`.

    *ruleset* is a :class:`~fiscalrules.Ruleset`, a rule file path or a bundled ruleset name.
    Deterministic for a given *seed* (or :class:`random.Random` *rnd*).  Raises
    :class:`GenerationError` when the ruleset cannot be satisfied.
    """
    plan = _plan(ruleset)
    if rnd is None and seed is None:   # drawn from the system's entropy: never generated before
        return _generate_record(plan, random.Random(), rounded, optional_absent)
    rnd = rnd if rnd is not None else random.Random(seed)
    if type(rnd) is not random.Random:   # (a generator whose state is not random.Random's, or none)
        return _generate_record(plan, rnd, rounded, optional_absent)
    # A record is a function of the generator's state and the two flags: one generated before
    # is handed out again (a copy: callers change their records) with the generator left where
    # generating it would have left it, the same record and the same draws after it.  Tests
    # draw the same seeds again and again -- hypothesis repeats its favourite seeds across
    # examples and tests, and the columnar tests draw chains of records from one generator, whose
    # first records repeat for every chain length drawn with a seed (a fifth of the generator's
    # time in the suite at 1961b0e).
    key = (_packed(rnd.getstate()), rounded, optional_absent, _context_key())
    generated = plan.generated
    with _GENERATED_LOCK:
        found = generated.get(key)
        if found is not None:
            generated.move_to_end(key)
    if found is not None:
        data, state = found
        rnd.setstate(_unpacked(state))
        return _copied(data)
    record = _generate_record(plan, rnd, rounded, optional_absent)
    with _GENERATED_LOCK:
        generated[key] = (_copied(record), _packed(rnd.getstate()))
        if len(generated) > _GENERATED_KEPT:
            generated.popitem(last=False)
    return record


# Records kept per ruleset (the most recently used): ~70-115 KB each for the bundled rulesets
# with the two generator states (2.5 KB each packed, 24.5 KB as getstate()'s tuple of ints), so
# up to ~60 MB per ruleset a process has generated 512 records for; their texts are shared with
# the copies handed out (printing._copied), copied in ~0.2 ms against ~100 ms to generate one.
# The plans that keep them are freed with their ruleset (a weak mapping; symbolic.plan).
_GENERATED_KEPT = 512
_GENERATED_LOCK = threading.Lock()
_WORD = "I" if array("I").itemsize >= 4 else "L"    # a word of the Mersenne Twister's state: 32 bits


def _packed(state: tuple) -> tuple:
    """random.Random.getstate() (version, 625 words, gauss_next) with its words as bytes."""
    version, words, gauss = state
    return version, array(_WORD, words).tobytes(), gauss


def _unpacked(state: tuple) -> tuple:
    version, words, gauss = state
    return version, tuple(array(_WORD, words)), gauss


def _context_key() -> tuple:
    """The caller's decimal context, which generating depends on (a low precision can make
    generation fail): a record generated under one is not handed out under another."""
    ctx = decimal.getcontext()
    return (ctx.prec, ctx.rounding, ctx.Emin, ctx.Emax, ctx.clamp,
            tuple(signal.__name__ for signal, on in ctx.traps.items() if on))


def _generate_record(plan: _Plan, rnd: random.Random, rounded: bool, optional_absent: bool) -> dict:
    try:
        with _deep_recursion():
            # The search over shapes is random: with many interlocking rules one round of
            # shapes can all miss a ruleset that is satisfiable (rarely).  The same generator
            # searches on, still deterministic for a seed; three rounds missing is reported.
            for round_ in range(3):
                try:
                    return _generate(plan, rnd, rounded, optional_absent)
                except GenerationError:
                    if round_ == 2:
                        raise
            raise AssertionError("unreachable")
    except RecursionError:
        raise GenerationError(f"the rules of ruleset {plan.checked.name} nest too deeply to generate records for",
                              Location(plan.checked.files[0] if plan.checked.files else None)) from None


# Times a shape is changed rather than drawn again when its figures cannot all be defined.
_MAX_REPAIRS = 3


def _generate(plan: _Plan, rnd, rounded: bool, optional_absent: bool) -> dict:
    failures = []
    shape = None
    for _ in range(_MAX_SHAPES):
        shape = _Shape(plan, rnd, rounded, optional_absent)
        shape.build()
        data = _complete(plan, shape, rnd, rounded, failures)
        if data is not None:
            return data
    hard = sorted(set(getattr(shape, "last_unsatisfied", [])))
    contradictions = [f for f in failures if f not in ("retry", "unconfirmed")]
    detail = f": rules {', '.join(hard)} are decided false by the record's structure" if hard else ""
    if contradictions:
        detail = ": " + contradictions[-1]
    elif failures.count("unconfirmed") > _MAX_SHAPES // 2:
        detail = ": the rules it cannot solve exactly (comparisons that are not linear, value-dependent conditions) kept failing"
    raise GenerationError(f"could not generate a record satisfying ruleset {plan.checked.name} after "
                          f"{_MAX_SHAPES} shapes{detail}", Location(plan.checked.files[0] if plan.checked.files else None))


def _solve_branches(shape: _Shape, inst: _Instance, conditions: list, choices: dict, rnd, failures: list,
                    blamed: set) -> tuple:
    """Solve the settled shape, trying other choices of branches (or / if / when) where one
    fails: ``((instance, values, specs), None)``, or ``(None, undefined)`` with the derived
    figures no choice can define (empty when the failure was another).  Where the failure
    blamed requirements, only the choices that made them change (*choices*: see
    :func:`~fiscalrules.testing.requirements._require`); else every branch is drawn again.
    *blamed* gathers the requirements that made a solve fail (avoided from then on)."""
    blamed_before = len(blamed)
    specs = var_specs(shape)   # the shape is the same for every choice
    for branch in range(4):
        if branch:  # avoid what failed, and explore other branches more and more
            if len(blamed) == blamed_before:
                choices.clear()   # nothing to avoid named: draw every branch anew
            blamed_before = len(blamed)
            inst = _instantiate(conditions, rnd, explore=0.1 * branch, avoid=frozenset(blamed),
                                choices=choices)  # the shape is unchanged
            if inst.missing or inst.fixes or inst.unsatisfied:
                break
        try:
            values, specs = _solve(shape, inst, rnd, specs)
            return (inst, values, specs), None
        except _Contradiction as exc:
            failures.append(str(exc))
        except _Retry as exc:
            failures.append("retry")
            undefined = getattr(exc, "undefined", None)
            blamed.update(getattr(exc, "blame", ()))
            if undefined:
                return None, undefined  # decided by the equalities of the structure: see _generate
    return None, set()


def _complete(plan: _Plan, shape: _Shape, rnd, rounded: bool, failures: list) -> dict | None:
    """The record of a drawn shape, or None when the shape fails.  A failure the structure
    decides is repaired by changing the structure and solving again, which is cheaper than a
    new shape (settling and solving one costs about as much as the repair): a stated share or
    rate of a figure the equalities fix at zero is left out (a publisher prints no share of
    nothing), and a figure a rule checked only afterwards lacks is added."""
    # Requirements that made a solve fail stay avoided after a repair, and the other choices of
    # branches stay made: the repaired shape is the same but for the figures changed, and new
    # choices would fail anew (see requirements._require).
    blamed: set = set()
    choices: dict = {}
    kept = None   # the values of the last solve, where a text a rule lacked was added (see _still_solved)
    for _repair in range(_MAX_REPAIRS + 1):
        try:
            inst, conditions = _settle(shape, rnd, blamed, choices)
        except (_Retry, FiscalRulesError):  # FiscalRulesError: a shape the record loader refuses
            failures.append("retry")
            return None
        if kept is not None and not (inst.missing or inst.fixes or inst.unsatisfied) \
                and _still_solved(inst, kept, specs := var_specs(shape)):
            solved, undefined = (inst, kept, specs), None
        else:
            solved, undefined = _solve_branches(shape, inst, conditions, choices, rnd, failures, blamed)
        kept = None
        if solved is None:
            if undefined and any([shape.remove_figure(path, meta) for path, meta in sorted(undefined)]):
                continue
            return None
        inst, values, specs = solved
        # (|v| ≥ 1000 compared as ints: the values are Fractions, whose abs() and comparison
        # are slow; the same test, so the same draws)
        separators = {k for k, v in values.items() if specs[k].kind == "amount"
                      and abs(v.numerator) >= 1000 * v.denominator and rnd.random() < 0.05}
        exact = exact_decimals(values)   # (both fills print the same values)
        exact_data = fill(shape, values, specs, False, set(), exact)
        exact_record = None   # (its record, where loaded: the rounding check may need it too)
        if inst.opaque:
            exact_record = load_record(exact_data)
            missing = _unconfirmed(plan, exact_record, inst.opaque)
            if missing is not None:
                failures.append("unconfirmed")
                if missing and any([shape.add_path(path) for path in sorted(missing)]):
                    kept = values   # (where only texts or flags were added, they may still do)
                    continue
                return None
        # unrounded and without separators, the record is the exact one (no longer needed as such)
        data = fill(shape, values, specs, rounded, separators, exact) if rounded or separators else exact_data
        if rounded and not _rounding_keeps_outcomes(plan, data, exact_data, exact_record):
            failures.append("unconfirmed")
            return None
        if rnd.random() < 0.5:
            data["_meta"] = {"id": f"generated-{rnd.randrange(10 ** 6):06d}"}
        return data
    return None


def _settle(shape: _Shape, rnd, blamed=frozenset(), choices: dict | None = None) -> tuple:
    """Grow the shape until every rule can be evaluated and its structure allows it to hold;
    the instance, and the rules' conditions on the settled shape (*choices* notes the branches
    chosen: see :func:`~fiscalrules.testing.requirements._require`)."""
    soft_rounds = 2
    for _ in range(60):
        changes = shape.take_changes()
        shape.record = _reload(shape.data, shape.record, changes)
        redrawn: list = []
        conditions = _conditions(shape.plan, shape.record, shape.conditions, changes, redrawn)
        if choices:
            for _rule, cond, _value_dependent, _soft in redrawn:
                _forget_choices(cond, choices)
        inst = _instantiate(conditions, rnd, avoid=frozenset(blamed), choices=choices)
        shape.last_unsatisfied = inst.unsatisfied
        if inst.unsatisfied:
            raise _Retry()
        unrated = _zero_priors_of_stated_rates(shape, inst.atoms)
        if unrated and any([shape.remove_figure(path, "pct") for path in unrated]):
            continue
        progress = False
        if soft_rounds and inst.soft:
            soft_rounds -= 1
            for entry in inst.soft:
                if rnd.random() < 0.8:
                    progress = shape.add_missing(entry) or progress
        if not inst.missing and not inst.fixes and not progress:
            defaults = _absent_divisors(shape, conditions)
            if not any([shape.add_field(path) for path in defaults]):
                return inst, conditions
            continue
        for entry in inst.missing:
            progress = shape.add_missing(entry) or progress
        for action in inst.fixes:
            progress = shape.apply(action) or progress
        if not progress:
            raise _Retry()
    raise _Retry()


def _zero_priors_of_stated_rates(shape: _Shape, atoms: list) -> list:
    """The figures whose stated rate the chosen branches leave undefined: a branch requiring last
    year's figure (value − change) to be zero -- the ``else`` of ``if present(pct(x)) and prior(x)
    != 0 then ...``, which exploring takes now and then -- where the shape states the figure's
    rate.  A rate of a zero prior is undefined on every solution: solving found it so and the
    rate was left out (the shape settled and solved again, once per such choice; with a stated
    rate on every figure of PCT-009…018 nearly every record made one).  Here it is left out
    before solving, as the solve would have left it out."""
    paths = []
    # Whether an atom is such a requirement depends on the atom alone: worked out once per atom
    # and shape (every settle round instantiates the same atoms again; looking at each one's
    # terms every round was ~2 % of a generated record's cost).
    known = shape.zero_priors
    for atom in atoms:
        found = known.get(id(atom))
        if found is None:   # (the entry keeps its atom alive: no other atom can take its id)
            found = known[id(atom)] = (atom, _zero_prior_of(atom))
        if found[1] is not None and _states_rate(shape, found[1]):
            paths.append(found[1])
    return sorted(set(paths))


def _zero_prior_of(atom) -> str | None:
    """The path of the figure whose last year's figure (value − change) *atom* requires to be
    zero (``change(x) = x``, whatever the sides), or None."""
    if atom.op != "=" or type(atom.left) is not Lin or type(atom.right) is not Lin:
        return None
    # (first the sides' variables: only an atom naming a figure's change and its value can
    # be one; the exact difference, Fractions subtracted term by term, was a tenth of a
    # generated record's cost when made for every equality of every settle round)
    left, right = atom.left.coef, atom.right.coef
    if not any([meta == "change" and ((path, "value") in left or (path, "value") in right)
                for path, meta in (*left, *right)]):
        return None
    difference = atom.left - atom.right
    coef = {k: c for k, c in difference.coef.items() if c}
    if difference.const or len(coef) != 2:
        return None
    (first, a), (second, b) = sorted(coef.items())
    path = first[0]
    if path == second[0] and (first[1], second[1]) == ("change", "value") and a == -b:
        return path
    return None


def _states_rate(shape: _Shape, path: str) -> bool:
    slot = shape.slots.get(path)
    if slot is None:
        return False
    container, key = slot
    figure = container[key]
    return isinstance(figure, dict) and "pct" in figure


def _absent_divisors(shape: _Shape, conditions: list) -> list:
    """The absent figures with a default (``default 0``) named by the rules that divide by zero
    on the shape: a rule dividing by such a figure, absent, is an evaluation error on every
    record of the shape (``completion = final / budget.reception * 100`` with no budget for
    receptions printed), so the figure is added while the shape is settled rather than the
    whole shape thrown away once solved.  Every such figure the rule reads is added, not only
    the divisor: the problem does not say which operand was zero."""
    paths = []
    plan = shape.plan
    for rule, cond, _value_dependent, _soft in conditions:
        if isinstance(cond, _DivisionByZero):
            for path in sorted(plan.footprints[rule.id].paths):
                decl = plan.scalars.get(path)
                if decl is not None and decl.default is not None and path not in shape.slots:
                    paths.append(path)
    return paths


def _rounding_keeps_outcomes(plan: _Plan, data: dict, exact_data: dict, exact_record=None) -> bool:
    """Whether rounding the figures to their printed precision leaves every rule as the exact
    figures have it: a divisor the exact figures keep above zero (0.004) can print as 0.00, and
    a completion percentage over a printed zero is an evaluation error, not a consistent record;
    a condition the exact figures keep false (``if vehicle_purchase = 0 then …`` with 0.004) holds
    within rounding once printed as 0.00, and the rule then applies and may fail (8 vehicles to
    buy for a printed 0.00 万元: no budget prints that). Only the rules that divide
    (:attr:`_Plan.dividing`: an error) and those a condition decides (:attr:`_Plan.conditioned`:
    an error or a failure) are evaluated, each once on either record (*exact_record*: the
    exact figures' record where loaded already): arithmetic within rounding never fails otherwise."""
    rounded_record = load_record(data)
    for rule_id, checks in plan.rounding_checks:
        compiled = plan.compiled[rule_id]
        rounded = {f.status for f in compiled.evaluate(rounded_record)}
        suspect = [bad for bad in checks if not rounded.isdisjoint(bad)]
        if suspect:
            if exact_record is None:
                exact_record = load_record(exact_data)
            exact = {f.status for f in compiled.evaluate(exact_record)}
            if any(exact.isdisjoint(bad) for bad in suspect):
                return False
    return True


def _unconfirmed(plan: _Plan, record, rule_ids: set) -> set | None:
    """None where every rule of *rule_ids* holds (or does not apply) on *record* (a loaded
    record); else the paths of the figures they lacked (empty if they failed otherwise)."""
    missing = None
    for rule_id in rule_ids:
        compiled = plan.compiled.get(rule_id)
        if compiled is None:
            continue
        for finding in compiled.evaluate(record):
            if finding.status not in ("pass", "pass_rounding", "not_applicable"):
                missing = missing if missing is not None else set()
                if finding.status == "not_evaluable":
                    missing.update(finding.missing)
    return missing


def records(ruleset, *, rounded: bool = False, optional_absent: bool = True):
    """A hypothesis strategy of records (plain mappings) that satisfy *ruleset*.

    * every linear equality of every rule holds exactly (or, with ``rounded=True``, holds for
      the unrounded figures, which are then rounded to their printed precision: 万元 to 0.01,
      percentages to 0.01, counts stay whole);
    * inequalities hold, amounts and counts are non-negative, figures look like a budget;
    * tables have classification codes nesting by prefix (function 3/5/7 digits, economic 3/5);
    * with ``optional_absent`` some figures, columns, rows and stated changes are left out --
      never one that a rule then lacks (every rule is evaluable on every record generated).

    *ruleset* is a :class:`~fiscalrules.Ruleset`, a rule file path or a bundled ruleset name.
    Generation is seeded from hypothesis, so failures replay; shrinking is by seed only.
    """
    from hypothesis import strategies as st

    rs = _as_ruleset(ruleset)
    _plan(rs)  # fail early on rulesets the generator cannot read

    @st.composite
    def _records(draw):
        seed = draw(st.integers(min_value=0, max_value=2 ** 63 - 1))
        return generate_record(rs, seed=seed, rounded=rounded, optional_absent=optional_absent)

    return _records()
