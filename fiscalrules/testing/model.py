"""The analysis model of a given record: every linear equality a ruleset asserts on it
(:class:`Equality`), with the rounding allowance the evaluator grants (:class:`RecordModel`,
:func:`analyze`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import attrs

from ..loader import Ruleset
from ..records import Record, load_record
from ..values import Tolerance
from ..symbolic.forms import _NEGATE, _ZERO, AllOf, Atom, Known, Lin, Negation, _Missing, _Problem, _Unsupported
from ..symbolic.linear import _deep_recursion, _rule_condition, _Sym
from ..symbolic.plan import values_and_radii
from .plan import _as_ruleset, _plan


@attrs.frozen
class Equality:
    """One linear equality a rule asserts on a record (one row of a ``for each``)."""

    rule: str
    item: str | None
    left: Lin = attrs.field(eq=False, repr=False)
    right: Lin = attrs.field(eq=False, repr=False)
    tolerance: Tolerance = attrs.field(eq=False, repr=False)
    conditional: bool = False   # decided under a value-dependent condition (when / where / or)
    _variables: dict = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self):
        # Worked out once: perturbing a record asks every equality for its variables for each
        # figure tried (three quarters of a perturbation's time went to this subtraction).
        object.__setattr__(self, "_variables", {k: c for k, c in (self.left - self.right).coef.items() if c})

    @property
    def variables(self) -> dict:
        """Net coefficient of each figure variable ``(path, meta)`` (zero ones left out; read only)."""
        return self._variables

    def check(self, values: Mapping, radii: Mapping) -> tuple:
        """(difference, allowance) in base units for the given values and half-widths."""
        left, right = self.left.value(values), self.right.value(values)
        slack = sum((r * radii.get(k, _ZERO) for k, r in self.left.rad.items()), _ZERO)
        slack += sum((r * radii.get(k, _ZERO) for k, r in self.right.rad.items()), _ZERO)
        tol = self.tolerance
        if tol.relative:
            extra = Fraction(tol.amount) / 100 * max(abs(left), abs(right))
        elif self.left.dim == "money" or self.right.dim == "money":
            extra = Fraction(tol.money)
        else:
            extra = Fraction(tol.amount)
        return left - right, slack + extra


class RecordModel:
    """The linear equalities a ruleset asserts on one record, and the figures taking part."""

    def __init__(self, ruleset: Ruleset, data, equalities: list, figures: dict, factors: dict):
        self.ruleset = ruleset
        self.data = data
        self.equalities = equalities
        self.figures = figures        # (path, meta) → (Figure, decl)
        self.factors = factors        # (path, meta) → unit factor (base units per printed unit)

    def participants(self, include_conditional: bool = False) -> list:
        """Figure variables ``(path, meta)`` with a non-zero net coefficient in an equality."""
        seen = {}
        for eq in self.equalities:
            if eq.conditional and not include_conditional:
                continue
            for key in eq.variables:
                seen.setdefault(key, None)
        return list(seen)

    def equalities_of(self, key, include_conditional: bool = False) -> list:
        return [eq for eq in self.equalities if key in eq.variables and (include_conditional or not eq.conditional)]

    def violated(self, data=None, include_conditional: bool = False) -> list:
        """Equalities that fail beyond their allowance on *data* (default: this model's record),
        with (difference, allowance) in base units -- what the evaluator must report."""
        values, radii = _values_and_radii(self.ruleset, data if data is not None else self.data, self.figures)
        out = []
        for eq in self.equalities:
            if eq.conditional and not include_conditional:
                continue
            try:
                diff, allowed = eq.check(values, radii)
            except KeyError:
                continue
            if abs(diff) > allowed:
                out.append((eq, diff, allowed))
        return out

    def threshold(self, key) -> Fraction | None:
        """The smallest change (printed units) of figure *key* that breaks one of its equalities."""
        values, radii = _values_and_radii(self.ruleset, self.data, self.figures)
        best = None
        for eq in self.equalities_of(key):
            diff, allowed = eq.check(values, radii)
            need = (allowed - abs(diff)) / abs(eq.variables[key])
            best = need if best is None else min(best, need)
        return best


def analyze(ruleset, record) -> RecordModel:
    """The linear equalities *ruleset* asserts on *record* (a mapping in the record model).

    Rules are instantiated on the record's structure as the generator does (``for each`` per row,
    ``children()`` per code, wildcards per member); rules that are not evaluable on it, and
    comparisons that are not linear, contribute nothing.
    """
    rs = _as_ruleset(ruleset)
    plan = _plan(rs)
    data = record
    rec = load_record(record)
    equalities, figures, factors = [], {}, {}
    for rule in plan.rules:
        sym = _Sym(plan, rec, rule)
        try:
            with _deep_recursion():
                cond = _rule_condition(sym, rule)
        except (_Missing, _Unsupported, _Problem, RecursionError):
            continue
        figures.update(sym.figures)
        factors.update(sym.factors)
        _collect(cond, True, sym.value_dependent, equalities)
    return RecordModel(rs, data, equalities, figures, factors)


def _collect(cond, want, conditional, out):
    """The linear equalities *cond* needs to evaluate to *want*; those inside a disjunction (or
    reached through a value-dependent condition) are marked conditional."""
    if isinstance(cond, Known):
        return
    if isinstance(cond, Atom):
        op = cond.op if want else _NEGATE[cond.op]
        if op == "=" and isinstance(cond.left, Lin) and isinstance(cond.right, Lin):
            out.append(Equality(cond.rule, cond.item, cond.left, cond.right, cond.tolerance,
                                conditional or cond.robust))
        return
    if isinstance(cond, Negation):
        _collect(cond.item, not want, conditional, out)
        return
    conjunctive = isinstance(cond, AllOf) == want
    if conjunctive:
        for item in cond.items:
            _collect(item, want, conditional, out)
        return
    for item in cond.items:  # a disjunction: none of its equalities is necessary on its own
        _collect(item, want, True, out)


def _values_and_radii(ruleset: Ruleset, data, figures: dict) -> tuple:
    rec = data if isinstance(data, Record) else load_record(data)
    return values_and_radii(ruleset, rec, figures)
