"""The fused per-record path: one closure per rule that decides pass, pass within rounding or
fail from the record's figures with plain Decimal arithmetic -- no evaluation context, no list
of figures read, no finding details.

The general closures (:mod:`fiscalrules.compiler`) carry everything a finding shows: the trace
of figures read, the deciding comparison, the reasons of missing figures and errors.  Most
checks of a document pass, and nobody reads those details unless asked; a fused closure only
says which of the three outcomes holds, and the evaluator makes the finding with its details
left to a replay of the general path (see ``evaluator._Replay``).

A fused decision is the general path's decision, by construction:

* numbers on the printed ("point") values are computed with the operations the general path
  applies to its quantities' points, in the same order (the decimal context is exact for sums
  of figures; where it rounds -- quotients -- the same operations round the same way);
* when the points alone do not make the comparison hold, both sides' intervals are worked out
  as the general path works them out (:meth:`Settings.to_quantity`'s numbers, then
  :class:`~fiscalrules.values.Quantity`'s arithmetic, on plain ``(point, lo, hi)`` tuples) and
  decided as :func:`fiscalrules.values.decide` decides them (rules with a ``within`` allowance,
  which depends on the sides' dimensions, are left to the general path);
* anything else -- a missing figure, a default, a text where a number belongs, a division by
  zero, a table of packed rows -- raises, and the evaluator runs the general path for the rule
  (or that row), which reports it.  Constructs not compiled here (``NotFused``) leave the whole
  rule to the general path.

Closures take ``(record, row)``: the record, and the row bound to the innermost loop variable
(the rule's ``for each`` variable, or a comprehension's inside its element and filter).
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .fused_numbers import LEVELS, ZERO, NotFused, Scope, numeric, table_rows
from .values import EXACT, FAIL, NO_TOLERANCE, ROUNDING

__all__ = ["NotFused", "FusedRule", "fuse"]

_NUMERIC_KINDS = ("amount", "count", "number", "percent")
_RANK = {EXACT: 0, ROUNDING: 1, FAIL: 2}
_FLIP = {EXACT: FAIL, ROUNDING: ROUNDING, FAIL: EXACT}


class FusedRule:
    """A rule's fused closures: its assertion's outcome, and for a top-level ``for each`` the
    rows it runs over and the row filter (whose outcome FAIL leaves a row out)."""

    __slots__ = ("body", "rows", "where")

    def __init__(self, body, rows=None, where=None):
        self.body, self.rows, self.where = body, rows, where


def fuse(rule: ast.Rule, settings, tolerance) -> FusedRule | None:
    """The fused closures of *rule*, or None when the general path must run it."""
    if rule.when is not None:
        return None
    try:
        assertion = rule.assertion
        if type(assertion) is ast.ForEach:
            scope = Scope(settings, tolerance, assertion.var, _condition)
            rows = table_rows(assertion.source, Scope(settings, tolerance, None, _condition))
            where = _condition(assertion.where, scope) if assertion.where is not None else None
            return FusedRule(_condition(assertion.body, scope), rows, where)
        return FusedRule(_condition(assertion, Scope(settings, tolerance, None, _condition)))
    except NotFused:
        return None


# ---- conditions: (record, row) -> EXACT | ROUNDING | FAIL ------------------------------------------

def _condition(node, sc):  # noqa: C901 - one branch per node kind
    t = type(node)
    if t is ast.Compare:
        return _compare(node, sc)
    if t is ast.Member and _is_text(node.item, sc) and all(type(o) is ast.String for o in node.options):
        return _text_member(node, sc)
    if t is ast.Boolean:
        outcome = EXACT if node.value else FAIL
        return lambda record, row, outcome=outcome: outcome
    if t is ast.Not:
        operand = _condition(node.operand, sc)
        return lambda record, row, operand=operand, flip=_FLIP: flip[operand(record, row)]
    if t is ast.And:
        left, right = _condition(node.left, sc), _condition(node.right, sc)

        def and_(record, row, left=left, right=right, rank=_RANK):
            a = left(record, row)
            if a == FAIL:
                return a
            b = right(record, row)
            return a if b == EXACT or rank[a] >= rank[b] else b
        return and_
    if t is ast.Or:
        left, right = _condition(node.left, sc), _condition(node.right, sc)

        def or_(record, row, left=left, right=right, rank=_RANK):
            a = left(record, row)
            if a == EXACT:
                return a
            b = right(record, row)
            if b == FAIL:
                return a
            return b if rank[b] <= rank[a] else a
        return or_
    if t is ast.Implies:
        cond, then = _condition(node.cond, sc), _condition(node.then, sc)
        return lambda record, row, cond=cond, then=then: EXACT if cond(record, row) == FAIL else then(record, row)
    raise NotFused


# What decide() calls EXACT, tested on the printed values (decide's difference of the points is
# exact in the library's context: it is zero, or of the sign, exactly when these say so).
_HOLDS = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _compare(node: ast.Compare, sc):
    if _is_text(node.left, sc) and _is_text(node.right, sc):
        return _text_compare(node, sc)
    if sc.tolerance is not NO_TOLERANCE:
        raise NotFused   # an allowance depends on the sides' dimensions: the general path's
    left_point, left_interval, left_exact = numeric(node.left, sc)
    right_point, right_interval, right_exact = numeric(node.right, sc)
    op = node.op
    holds = _HOLDS[op]
    if left_exact and right_exact:
        # Neither side has a rounding interval (constants, level(), count()): the points decide.
        if _is_level_of_row(node.left, sc) and type(node.right) is ast.Number:   # where level(r) = 1
            if op == "=":   # (the usual filter of a roll-up, row by row: without a call for the test)
                return lambda record, row, levels=LEVELS, level=right_point(None, None): \
                    EXACT if levels.get(len(row.code), ZERO) == level else FAIL
            return lambda record, row, levels=LEVELS, level=right_point(None, None), holds=holds: \
                EXACT if holds(levels.get(len(row.code), ZERO), level) else FAIL
        if type(node.right) is ast.Number:   # where count(children(r)) > 0
            return lambda record, row, lp=left_point, constant=right_point(None, None), holds=holds: \
                EXACT if holds(lp(record, row), constant) else FAIL
        return lambda record, row, lp=left_point, rp=right_point, holds=holds: \
            EXACT if holds(lp(record, row), rp(record, row)) else FAIL
    if op == "=":   # most checks: written out, without a call for the test
        def equal(record, row, lp=left_point, rp=right_point, li=left_interval, ri=right_interval,
                  within=_equal_within):
            if lp(record, row) == rp(record, row):
                return EXACT
            return ROUNDING if within(li(record, row), ri(record, row)) else FAIL
        return equal
    within = _WITHIN_ROUNDING[op]

    def compare(record, row, lp=left_point, rp=right_point, li=left_interval, ri=right_interval,
                holds=holds, within=within):
        if holds(lp(record, row), rp(record, row)):
            return EXACT
        return ROUNDING if within(li(record, row), ri(record, row)) else FAIL
    return compare


def _is_level_of_row(node, sc) -> bool:
    return type(node) is ast.Call and node.func == "level" and type(node.args[0]) is ast.VarRef \
        and node.args[0].name == sc.var


def _equal_within(a, b):
    """values.decide's ``=`` once the points differ: the difference within the rounding slack."""
    diff = a[0] - b[0]
    if diff == 0:   # (not reached: the points decide equality)
        return True
    slack = (a[0] - a[1]) + (b[2] - b[0]) if diff >= 0 else (a[2] - a[0]) + (b[0] - b[1])
    return abs(diff) <= slack


# values.decide for the other operators once the points do not satisfy them (intervals are
# (point, lo, hi); decide adds a zero allowance, which changes no value).
_WITHIN_ROUNDING = {
    "=": _equal_within,
    "!=": lambda a, b: False,
    "<": lambda a, b: a[1] < b[2],
    "<=": lambda a, b: a[1] <= b[2],
    ">": lambda a, b: a[2] > b[1],
    ">=": lambda a, b: a[2] >= b[1],
}


def _is_text(node, sc) -> bool:
    if type(node) is ast.String:
        return True
    if type(node) is ast.FieldRef:
        decl = sc.settings.decl_for(node.path)
        return decl is not None and decl.kind == "text"
    return False


def _text(node, sc):
    """A text operand as the general path reads it (``compiler._compile_field``'s text field)."""
    if type(node) is ast.String:
        text = node.value
        return lambda record, row, text=text: text

    def text_field(record, row, path=node.path):
        value = record.figures[path].value
        if type(value) is str:
            return value
        raise NotFused   # a number in a text field: formatted by the general path
    return text_field


def _text_compare(node: ast.Compare, sc):
    left, right, equal_holds = _text(node.left, sc), _text(node.right, sc), node.op == "="
    return lambda record, row, left=left, right=right, equal_holds=equal_holds: \
        EXACT if (left(record, row).strip() == right(record, row).strip()) == equal_holds else FAIL


def _text_member(node: ast.Member, sc):
    item = _text(node.item, sc)
    options = tuple(str(o.value).strip() for o in node.options)
    inside, outside = (FAIL, EXACT) if node.negated else (EXACT, FAIL)
    return lambda record, row, item=item, options=options, inside=inside, outside=outside: \
        inside if item(record, row).strip() in options else outside


