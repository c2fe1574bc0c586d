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

A rule's precondition (``when``) is fused as a condition too: ``present(…)`` of a figure, a
table or a stated change says whether the general path's reading would find it (and raises
where that reading would fail for another reason), ``coalesce(flag, …)`` reads a flag's absence
as the general path does.  Most bundled rules have one, so without it their general closures
were built in every audit.

Closures take ``(record, row)``: the record, and the row bound to the innermost loop variable
(the rule's ``for each`` variable, or a comprehension's inside its element and filter).
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .chains import links
from .fused_numbers import LEVELS, ZERO, NotFused, Scope, is_row_code, key_of, numeric, row_key, table_rows
from .recordmodel import Figure, Table, value_of
from .values import EXACT, FAIL, NO_TOLERANCE, ROUNDING

__all__ = ["NotFused", "FusedRule", "fuse"]

_NUMERIC_KINDS = ("amount", "count", "number", "percent")
_RANK = {EXACT: 0, ROUNDING: 1, FAIL: 2}
_FLIP = {EXACT: FAIL, ROUNDING: ROUNDING, FAIL: EXACT}


class FusedRule:
    """A rule's fused closures: its assertion's outcome (None: left to the general path), for a
    top-level ``for each`` the rows it runs over and the row filter (whose outcome FAIL leaves a
    row out), and its precondition's outcome (None: the rule has none).

    With a precondition, the assertion's closures are compiled the first time ``body``, ``rows``
    or ``where`` is read -- when the precondition first holds: 85 of the bundled budget ruleset's
    188 rules do not apply to a typical document, and compiling their assertions was ~a quarter
    of fusing the ruleset in every audit."""

    __slots__ = ("body", "rows", "where", "when", "_later", "whole")

    def __init__(self, body, rows=None, where=None, when=None, later=None):
        self.when = when
        self._later = later   # (rule, scope) whose assertion is still to compile, or None
        # The body when it decides the whole rule -- no precondition, no rows -- else None
        # (evaluator.run_rules runs such a rule without the general dispatch).
        self.whole = body if later is None and rows is None and when is None else None
        if later is None:
            self.body, self.rows, self.where = body, rows, where
        # else body, rows and where are left unset: __getattr__ compiles them when first read
        # (then they are plain slots -- a property was three calls per rule and record)

    def __getattr__(self, name):
        if name not in ("body", "rows", "where"):
            raise AttributeError(name)
        later = self._later
        if later is not None:
            rule, top = later
            self.body, self.rows, self.where = _assertion(rule, top)
            self._later = None
        # The slot itself, never this hook again: threads sharing a ruleset race here -- another
        # thread may have compiled and cleared ``_later`` between this lookup's miss and reading
        # it (CI saw "AttributeError: body" so); the slots are set before ``_later`` is cleared.
        return object.__getattribute__(self, name)


def fuse(rule: ast.Rule, settings, tolerance) -> FusedRule | None:
    """The fused closures of *rule* -- its body None when only the precondition is fused (the
    general path runs the assertion) -- or None when the general path must run it all."""
    top = Scope(settings, tolerance, None, _condition)
    if rule.when is None:
        body, rows, where = _assertion(rule, top)
        return None if body is None else FusedRule(body, rows, where)
    try:
        when = _condition(rule.when, top)
    except NotFused:
        return None
    return FusedRule(None, when=when, later=(rule, top))   # the assertion: on first use


def _assertion(rule: ast.Rule, top):
    """(body, rows, where) of the rule's assertion: ``for each`` rows and filter, or None for
    both; (None, None, None) when it is not fused."""
    try:
        assertion = rule.assertion
        if type(assertion) is ast.ForEach:
            scope = Scope(top.settings, top.tolerance, assertion.var, _condition)
            rows = table_rows(assertion.source, top)
            where = _condition(assertion.where, scope) if assertion.where is not None else None
            return _condition(assertion.body, scope), rows, where
        return _condition(assertion, top), None, None
    except NotFused:
        return None, None, None


# ---- conditions: (record, row) -> EXACT | ROUNDING | FAIL ------------------------------------------

def _joined(kind, first, rest: list):
    """The condition ``first and rest[0] and …`` (*kind* And) or ``… or …`` (Or): the left-deep
    chain's fold in one loop -- closures nested per link would call 10,000 deep.  An and stops
    at a failure and keeps the worse outcome; an or stops at an exact pass and keeps the better
    outcome of those not failing."""
    is_and = kind is ast.And
    stop = FAIL if is_and else EXACT

    def joined(record, row, first=first, rest=rest, rank=_RANK, stop=stop, is_and=is_and):
        a = first(record, row)
        for right in rest:
            if a == stop:
                return a
            b = right(record, row)
            if is_and:
                if not (b == EXACT or rank[a] >= rank[b]):
                    a = b
            elif b != FAIL and rank[b] <= rank[a]:
                a = b
        return a
    return joined


def _condition(node, sc):  # noqa: C901 - one branch per node kind
    t = type(node)
    if t is ast.Compare:
        return _compare(node, sc)
    if t is ast.Member and (_is_text(node.item, sc) or _is_row_cell(node.item, sc)) \
            and all(type(o) is ast.String for o in node.options):
        return _text_member(node, sc)
    if t is ast.Boolean:
        outcome = EXACT if node.value else FAIL
        return lambda record, row, outcome=outcome: outcome
    if t is ast.Not:
        operand = _condition(node.operand, sc)
        return lambda record, row, operand=operand, flip=_FLIP: flip[operand(record, row)]
    if t is ast.And or t is ast.Or:   # a chain's links one by one (fiscalrules.chains)
        chain = links(node)
        return _joined(t, _condition(chain[0].left, sc), [_condition(link.right, sc) for link in chain])
    if t is ast.Implies:
        cond, then = _condition(node.cond, sc), _condition(node.then, sc)
        return lambda record, row, cond=cond, then=then: EXACT if cond(record, row) == FAIL else then(record, row)
    if t is ast.Call and node.func == "present":
        return _present(node.args[0], sc)
    if t is ast.Call and node.func == "coalesce":
        return _coalesce(node, sc)
    if t is ast.FieldRef:
        flag = _flag(node.path, sc.settings)

        def flag_condition(record, row, flag=flag, path=node.path):
            outcome = flag(record)
            if outcome is None:
                raise LookupError(path)   # missing: the general path reports it
            return outcome
        return flag_condition
    raise NotFused


# ---- preconditions: present(), coalesce() and flags, as the general path reads them ----------------
# (compiler._compile_field, _compile_table, functions.compile_call).  ``present(x)`` holds unless
# reading x raises Missing; any other failure of the reading (a text where a number belongs, a
# unit money cannot be in) is raised here too, so the general path reports it.

def _present(node, sc):
    t = type(node)
    if t is ast.TableRef:
        return lambda record, row, path=node.path: EXACT if path in record.tables else FAIL
    if t is ast.FieldRef:
        return _present_field(node.path, sc.settings)
    if t is ast.Wildcard:
        return _present_wildcard(node.prefix, sc.settings)
    if t is ast.Column and node.name != "code" and type(node.obj) is ast.VarRef and node.obj.name == sc.var:
        return _present_cell(node.name, sc.settings)
    if t is ast.Lookup and type(node.table) is ast.TableRef and type(node.key) in (ast.String, ast.Number):
        return _present_row(node.table.path, key_of(node.key))
    if t is ast.Lookup and type(node.table) is ast.TableRef and is_row_code(node.key, sc):   # present(t[r.code])
        return _present_row(node.table.path, None, row_key(sc.settings))
    if t is ast.Call and node.func in ("change", "pct"):
        meta, arg = ("change" if node.func == "change" else "pct"), node.args[0]
        if type(arg) is ast.FieldRef:
            return _present_stated(arg.path, meta, sc.settings)
        if type(arg) is ast.Column and arg.name != "code" and type(arg.obj) is ast.VarRef and arg.obj.name == sc.var:
            return _present_stated_cell(arg.name, meta, sc.settings)
    raise NotFused


def _present_field(path: str, settings):
    decl = settings.decl_for(path)
    if decl is None:
        raise NotFused
    kind, defaulted = decl.kind, decl.default is not None
    if kind == "flag":
        flag = _flag(path, settings)   # a flag with a default is never missing (None)
        return lambda record, row, flag=flag: FAIL if flag(record) is None else EXACT
    if kind == "text":
        def text_present(record, row, path=path, absent=EXACT if defaulted else FAIL):
            held = record.figure_values.get(path)
            if held is None:
                return absent
            if type(value_of(held)) is not str:
                raise TypeError(path)   # formatted by the general path
            return EXACT
        return text_present
    if kind not in _NUMERIC_KINDS:
        raise NotFused

    def number_present(record, row, path=path, decl=decl, settings=settings, absent=EXACT if defaulted else FAIL):
        figure = record.get(path)
        if figure is None:
            return absent
        settings.to_point(figure, decl)   # raises where the general path's reading raises
        return EXACT
    return number_present


def _present_wildcard(prefix: str, settings):
    def wildcard_present(record, row, prefix=prefix, settings=settings):
        if record.unread_under(prefix):   # printed, not read: the general path's UnreadMissing
            raise NotFused
        figures = record.under(prefix)
        if not figures:
            return FAIL
        for figure in figures:   # raises where the general path's reading raises
            settings.to_point(figure, settings.decl_for(figure.path))
        return EXACT
    return wildcard_present


def _present_stated(path: str, meta: str, settings):
    decl = settings.decl_for(path)

    def stated_present(record, row, path=path, decl=decl, settings=settings, meta=meta):
        figure = record.get(path)
        if figure is None or (figure.change if meta == "change" else figure.pct) is None:
            return FAIL
        settings.to_point(figure, decl, meta)   # raises where the general path's reading raises
        return EXACT
    return stated_present


def _present_cell(column: str, settings):
    """present(r.column) of the bound row (compiler._cell): a cell printed, or a declared default."""
    def cell_present(record, row, column=column, settings=settings):
        value = row.cell_values.get(column)
        decl = settings.column_decl(row.table, column)
        if value is None:
            return EXACT if decl is not None and decl.default is not None else FAIL
        printed = value.value if type(value) is Figure else value
        kind = decl.kind if decl is not None else ("amount" if isinstance(printed, Decimal) else "text")
        if kind not in ("text", "flag"):
            settings.to_point(row.cells[column], decl)   # raises where the general path's reading raises
        return EXACT
    return cell_present


def _present_stated_cell(column: str, meta: str, settings):
    """present(change(r.column)) / present(pct(r.column)) of the bound row (functions._stated)."""
    def stated_cell_present(record, row, column=column, meta=meta, settings=settings):
        if column not in row.cell_values:
            return FAIL
        figure = row.cells[column]
        if (figure.change if meta == "change" else figure.pct) is None:
            return FAIL
        settings.to_point(figure, settings.column_decl(row.table, column), meta)   # raises as the general path's
        return EXACT
    return stated_cell_present


def _present_row(path: str, code: str | None, key=None):
    """present(t["code"]) (compiler._compile_lookup): the table printed, and a row of that code --
    or of the bound row's code (*key*: fused_numbers.row_key)."""
    def row_present(record, row, path=path, code=code, key=key):
        table = record.tables.get(path)
        if table is None:
            return FAIL
        if type(table) is not Table:
            raise TypeError(path)   # packed rows: the general path's
        return EXACT if (code if key is None else key(row)) in table.by_code else FAIL
    return row_present


def _flag(path: str, settings):
    """A flag field read as the general path reads it: record -> EXACT | FAIL, or None when it is
    missing without a default (the general path's Missing); a value not true or false raises."""
    decl = settings.decl_for(path)
    if decl is None or decl.kind != "flag":
        raise NotFused
    default = None if decl.default is None else (EXACT if bool(decl.default) else FAIL)

    def flag(record, path=path, default=default):
        held = record.figure_values.get(path)
        if held is None:
            return default
        value = value_of(held)
        if type(value) is not bool:
            raise TypeError(path)   # the general path's EvalProblem
        return EXACT if value else FAIL
    return flag


def _coalesce(node: ast.Call, sc):
    """``coalesce(flag, …, condition)``: the first flag present, else the last option (only flags
    before the last: a Missing from deeper inside an option is not told apart here)."""
    if any(type(option) is not ast.FieldRef for option in node.args[:-1]):
        raise NotFused
    flags = [_flag(option.path, sc.settings) for option in node.args[:-1]]
    last = _condition(node.args[-1], sc)

    def coalesce(record, row, flags=flags, last=last):
        for flag in flags:
            outcome = flag(record)
            if outcome is not None:
                return outcome
        return last(record, row)
    return coalesce


# What decide() calls EXACT, tested on the printed values (decide's difference of the points is
# exact in the library's context: it is zero, or of the sign, exactly when these say so).
_HOLDS = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _compare(node: ast.Compare, sc):
    if _is_text(node.left, sc) and _is_text(node.right, sc) or \
            type(node.left) is ast.String and _is_row_cell(node.right, sc) or \
            type(node.right) is ast.String and _is_row_cell(node.left, sc):   # c.path = "income.total"
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


def _is_row_cell(node, sc) -> bool:
    """A cell of the bound row (``r.name``), which a text compared with it says is a text: which
    column it is (its table's) is known only from the row read (:func:`_text_cell`)."""
    return type(node) is ast.Column and node.name != "code" and type(node.obj) is ast.VarRef \
        and node.obj.name == sc.var


def _text(node, sc):
    """A text operand as the general path reads it (``compiler._compile_field``'s text field, or
    ``compiler._cell``'s text cell)."""
    if type(node) is ast.String:
        text = node.value
        return lambda record, row, text=text: text
    if type(node) is ast.Column:
        return _text_cell(node.name, sc.settings)

    def text_field(record, row, path=node.path):
        value = value_of(record.figure_values[path])
        if type(value) is str:
            return value
        raise NotFused   # a number in a text field: formatted by the general path
    return text_field


def _text_cell(column: str, settings):
    """The bound row's cell in *column* when its table declares it a text and it holds one: what
    compiler._cell gives the comparison.  Anything else -- the cell not printed (Missing, or a
    default), a column of numbers or undeclared (a number then, or a text told by its value), a
    number in a text column (formatted) -- raises: the general path decides it."""
    texts: dict = {}   # table path -> whether it declares *column* a text, worked out on first use

    def text_cell(record, row, column=column, texts=texts, settings=settings):
        table = row.table
        declared = texts.get(table)
        if declared is None:
            decl = settings.column_decl(table, column)
            declared = texts[table] = decl is not None and decl.kind == "text"
        value = row.cell_values[column]
        if type(value) is Figure:
            value = value.value
        if not declared or type(value) is not str:
            raise NotFused
        return value
    return text_cell


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


