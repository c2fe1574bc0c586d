"""The pieces of the localisation model (:mod:`.model`): :class:`Var`, one printed number a rule
reads, on the grid it is printed on; :class:`Clause`, one necessary comparison of a rule instance,
linear (solved) or a condition tree (only checked); how a linear comparison is decided as the
evaluator decides it (:func:`linear_holds`); and the small walks over condition trees and the exact
arithmetic (a side's point value, an atom's tolerance, a fraction back on its decimal grid) that the
model, the search and the solver share.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..symbolic.forms import _ZERO, AllOf, AnyOf, Atom, Lin, Negation, _deps, _Undefined
from ..values import printed_precision

__all__ = ["Var", "Clause", "clause_key", "linear_holds", "as_decimal"]


class Var:
    """One printed number a rule reads: ``key`` is ``(path, meta)``; ``value`` and ``half`` (the
    half-width of the interval it stands for) are exact and in the figure's printed unit; the
    figure is printed on a grid of ``step`` and ``n`` is its printed value in grid steps (a
    correction is searched for in whole steps: it must be printable like the figure).
    ``weight`` is what changing it costs.  ``step_ratio`` / ``half_ratio`` are ``step`` / ``half``
    as (numerator, denominator): the model scales every comparison by them (:meth:`.model.Constraints._linear`)."""

    __slots__ = ("key", "figure", "decl", "value", "half", "step", "n", "nonneg", "weight", "total", "twin",
                 "step_ratio", "half_ratio")

    def __init__(self, key, figure, decl, value: Fraction, half: Fraction):
        self.key, self.figure, self.decl, self.value, self.half = key, figure, decl, value, half
        # In integers: the step is 2·half, and the value a whole number of steps or not.
        half_num, half_den = self.half_ratio = half.as_integer_ratio()
        value_num, value_den = value.as_integer_ratio()
        g = 2 if half_den % 2 == 0 else 1
        step_num, step_den = 2 * half_num // g, half_den // g    # lowest terms, as Fraction's
        if step_num and (value_num * step_den) % (value_den * step_num) == 0:
            self.n = (value_num * step_den) // (value_den * step_num)
            self.step = Fraction(step_num, step_den)
            self.step_ratio = (step_num, step_den)
        else:
            # Exact kinds (counts) and figures whose declared precision is not a multiple of
            # their last digit: the grid of the printed digits.
            step = self.step = Fraction(printed_precision(self.raw))
            self.n = int(value / step)
            self.step_ratio = step.as_integer_ratio()
        kind = decl.kind if decl is not None else "amount"
        # A budget amount or a headcount printed as non-negative cannot be corrected to a negative.
        self.nonneg = key[1] == "value" and kind in ("amount", "count") and value >= 0
        self.weight = 1.0
        self.total = self.twin = False

    @property
    def raw(self) -> Decimal:
        """The number as read from the record (its printed decimals kept)."""
        return self.figure.value if self.key[1] == "value" else getattr(self.figure, self.key[1])

    @property
    def path(self) -> str:
        return self.key[0]

    @property
    def meta(self) -> str:
        return self.key[1]

    def __repr__(self) -> str:
        return f"Var({self.key[0]}{'' if self.key[1] == 'value' else '/' + self.key[1]}={self.value})"


class Clause:
    """One necessary comparison of a rule instance ``(rule, item)``.

    A *linear* clause is ``L op 0`` over the variables' grid steps, scaled to whole numbers:
    ``L = Σ coef·n + const`` and ``allowance`` (the rounding slack plus tolerance the evaluator
    grants) are integers, ``value`` is L on the printed figures.  Otherwise ``tree`` is a
    condition (disjunction, non-linear comparison) that is only checked.  ``holds``/``exact``
    are its state on the printed figures (within the allowance / exactly).
    """

    __slots__ = ("rule", "item", "op", "coef", "const", "allowance", "value", "tree", "vars", "holds", "exact",
                 "order")

    def __init__(self, rule, item, *, op=None, coef=None, const=0, allowance=0, tree=None, vars=()):
        self.rule, self.item, self.op, self.coef, self.const = rule, item, op, coef, const
        self.allowance, self.tree, self.vars = allowance, tree, frozenset(vars)
        self.value = 0
        self.holds = self.exact = True
        self.order = None   # clause_key's, once asked for (what it is made of never changes)

    @property
    def linear(self) -> bool:
        return self.tree is None

    def __repr__(self) -> str:
        kind = "linear " + self.op if self.linear else "tree"
        return f"Clause({self.rule}{'[' + self.item + ']' if self.item else ''}, {kind})"


def clause_key(clause: Clause) -> tuple:
    """An order of clauses that does not depend on the order the rules were written in (kept on
    the clause: every candidate set solved sorts the clauses it touches)."""
    key = clause.order
    if key is None:
        key = clause.order = (clause.rule, clause.item or "", clause.op or "", sorted(clause.vars))
    return key


def linear_holds(op: str, value: Fraction, allowance: Fraction) -> bool:
    """Whether ``L op 0`` holds for a linear form of value *value*, as the evaluator decides it
    (``values.decide``): within *allowance* for =, <, ≤, >, ≥; ``!=`` on the printed values."""
    if op == "=":
        return abs(value) <= allowance
    if op == "<=":
        return value <= allowance
    if op == "<":
        return value < allowance
    if op == ">=":
        return value >= -allowance
    if op == ">":
        return value > -allowance
    return value != 0


class _Values:
    """Printed values with some of them replaced (a candidate correction)."""

    __slots__ = ("base", "changed")

    def __init__(self, base: dict, changed: dict):
        self.base, self.changed = base, changed

    def __getitem__(self, key):
        found = self.changed.get(key)
        return self.base[key] if found is None else found


def _point(side, values) -> Fraction:
    return side.value(values) if isinstance(side, Lin) else side.fn(values)


def _tolerance(atom: Atom, values) -> Fraction:
    tol = atom.tolerance
    if tol.relative:
        try:
            sides = [abs(side.value(values) if isinstance(side, Lin) else side.fn(values))
                     for side in (atom.left, atom.right)]
        except (_Undefined, ZeroDivisionError, KeyError):
            return _ZERO
        return Fraction(tol.amount) / 100 * max(sides)
    return Fraction(_fixed_tolerance(atom))


def _fixed_tolerance(atom: Atom):
    """A tolerance that is not relative: its money allowance where a side is money (in 元)."""
    tol = atom.tolerance
    return tol.money if atom.left.dim == "money" or atom.right.dim == "money" else tol.amount


def _tolerance_ratio(atom: Atom, values) -> tuple:
    """``_tolerance(atom, values).as_integer_ratio()``, without a Fraction for a fixed tolerance
    (a Decimal's own ratio is in lowest terms, as the Fraction made from it)."""
    if atom.tolerance.relative:
        return _tolerance(atom, values).as_integer_ratio()
    return _fixed_tolerance(atom).as_integer_ratio()


def _conjuncts(cond) -> list:
    """The parts of a condition that must each hold (nested ``and`` flattened)."""
    if isinstance(cond, AllOf):
        return [part for item in cond.items for part in _conjuncts(item)]
    return [cond]


def _atoms(cond):
    if isinstance(cond, Atom):
        yield cond
    elif isinstance(cond, Negation):
        yield from _atoms(cond.item)
    elif isinstance(cond, (AllOf, AnyOf)):
        for item in cond.items:
            yield from _atoms(item)


def _first_atom(cond):
    if isinstance(cond, Atom):
        return cond
    if isinstance(cond, Negation):
        return _first_atom(cond.item)
    if isinstance(cond, (AllOf, AnyOf)):
        for item in cond.items:
            found = _first_atom(item)
            if found is not None:
                return found
    return None


def _collect_vars(cond, out: set) -> None:
    if isinstance(cond, Atom):
        out.update(_deps(cond.left))
        out.update(_deps(cond.right))
    elif isinstance(cond, Negation):
        _collect_vars(cond.item, out)
    elif isinstance(cond, (AllOf, AnyOf)):
        for item in cond.items:
            _collect_vars(item, out)


def as_decimal(value: Fraction, places: int) -> Decimal:
    """An exact fraction on a decimal grid as a Decimal with *places* decimals."""
    scaled = value * 10 ** places
    if scaled.denominator != 1:
        raise ValueError(f"{value} is not on a grid of {places} decimals")
    return Decimal(scaled.numerator).scaleb(-places)
