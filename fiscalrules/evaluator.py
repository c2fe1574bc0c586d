"""The evaluator: compiles checked rules into Python closures once, and runs them over records.

Compilation turns each resolved expression into a closure ``f(ctx)``; evaluating a record walks
no AST and uses no ``eval``.  Values flowing between closures are :class:`~fiscalrules.values.Quantity`
(numbers), ``str`` (text), table rows and lists; conditions return an *outcome* pair
``(EXACT | ROUNDING | FAIL, Comparison | None)`` so a finding can show the deciding comparison.

A missing figure raises :class:`Missing` (caught per rule: status ``not_evaluable``, the missing
paths named); a runtime problem such as a division by zero raises :class:`EvalProblem` (status
``error``).  Neither escapes :meth:`CompiledRule.evaluate`.
"""

from __future__ import annotations

import decimal
import difflib
from decimal import Decimal

from . import ast
from .findings import Finding, Operand, Side, Status
from .messages import render_message
from .records import Figure, Row
from .values import (CONTEXT, EXACT, FAIL, ROUNDING, Comparison, Quantity, Tolerance, compare,
                     dimension_of, exact, format_decimal, printed_precision, quantity, to_unit,
                     MONEY_UNITS, NO_TOLERANCE)

__all__ = ["Missing", "EvalProblem", "Context", "CompiledRule", "compile_rule"]

_TRUE = (EXACT, None)
_FALSE = (FAIL, None)
_RANK = {EXACT: 0, ROUNDING: 1, FAIL: 2}


class Missing(Exception):
    """Figures the rule needs that the record does not have."""

    def __init__(self, *paths: str):
        super().__init__(", ".join(paths))
        self.paths = tuple(paths)


class EvalProblem(Exception):
    """A problem evaluating a rule on a record (division by zero, a text where a number belongs)."""


class Context:
    """Per-record evaluation state: the record, quantity cache, bound variables and the trace of
    figures read (the operands a finding reports)."""

    __slots__ = ("record", "settings", "cache", "vars", "trace")

    def __init__(self, record, settings):
        self.record = record
        self.settings = settings
        self.cache = {}
        self.vars = {}
        self.trace = []


class _Snapshot:
    """What a lazily rendered message needs of the context: the record and the bound rows."""

    __slots__ = ("record", "vars")

    def __init__(self, record, bound):
        self.record = record
        self.vars = bound


class Settings:
    """What the compiled closures need to know of the ruleset: declarations, units, precisions."""

    def __init__(self, checked):
        self.fields = checked.fields
        self.default_unit = checked.default_unit
        self.display_unit = checked.default_unit or "元"
        self.precisions = checked.precisions
        self.paths_by_label = checked.labels
        self._columns = {}
        self.labels_by_path = {}
        for label, path in checked.labels.items():
            self.labels_by_path.setdefault(path, label)

    def decl_for(self, path: str):
        decl = self.fields.get(path)
        if decl is None:
            prefix = path.rpartition(".")[0]
            decl = self.fields.get(prefix + ".*") if prefix else None
        return decl

    def column_decl(self, table: str, column: str):
        key = (table, column)
        try:
            return self._columns[key]
        except KeyError:
            pass
        decl = self.fields.get(table)
        found = next((col for col in decl.columns if col.name == column), None) if decl else None
        self._columns[key] = found
        return found

    def label(self, path: str, decl=None) -> str | None:
        if decl is not None and decl.labels:
            return decl.labels[0]
        return self.labels_by_path.get(path)

    def to_quantity(self, figure: Figure, decl, meta: str = "value") -> Quantity:
        """The interval a figure (or its stated change / percentage) stands for.

        Precision is the finer of the printed decimals and the ruleset's precision for the unit;
        counts and plain numbers are exact.
        """
        kind = decl.kind if decl is not None else "amount"
        raw = figure.value if meta == "value" else figure.change if meta == "change" else figure.pct
        if not isinstance(raw, Decimal) or isinstance(raw, bool):
            raise EvalProblem(f"{figure.path} is {raw!r}, not a number")
        if meta == "pct":
            unit = "%"
        else:
            unit = figure.unit or (decl.unit if decl is not None else None)
            if unit is None and kind == "amount":
                unit = self.default_unit or "元"
            elif unit is None and kind == "percent":
                unit = "%"
        dim = dimension_of(unit)
        if kind == "amount" and dim != "money" and meta != "pct":
            raise EvalProblem(f"{figure.path} is in {unit or 'no unit'}, but it is declared as money")
        if kind in ("count", "number") and meta == "value":
            return Quantity(raw, raw, raw, "number" if kind == "number" else dim)
        printed = figure.precision if (figure.precision is not None and meta == "value") else printed_precision(raw)
        declared = self.precisions.get(unit)
        precision = min(printed, declared) if declared is not None else printed
        return quantity(raw, unit, precision)


# ---- compiling expressions -------------------------------------------------------------------------

def _read_figure(ctx: Context, path: str, decl):
    figure = ctx.record.figures.get(path)
    if figure is None:
        if decl is not None and decl.default is not None:
            return None
        raise Missing(path)
    ctx.trace.append((figure, decl))
    return figure


def _compile(node, rc):  # noqa: C901 - one branch per node kind
    """Compile a resolved expression node into a closure of one argument (the Context)."""
    t = type(node)
    if t is ast.Number:
        if node.unit in MONEY_UNITS:
            value = quantity(node.value, node.unit, None)
        else:
            value = exact(node.value, dimension_of(node.unit))
        return lambda ctx: value
    if t is ast.String:
        text = node.value
        return lambda ctx: text
    if t is ast.Boolean:
        outcome = _TRUE if node.value else _FALSE
        return lambda ctx: outcome
    if t is ast.FieldRef:
        return _compile_field(node.path, rc.settings)
    if t is ast.Wildcard:
        return _compile_wildcard(node.prefix, rc.settings)
    if t is ast.TableRef:
        path = node.path

        def table_rows(ctx):
            table = ctx.record.tables.get(path)
            if table is None:
                raise Missing(path)
            return table.rows
        return table_rows
    if t is ast.VarRef:
        name = node.name
        return lambda ctx: ctx.vars[name]
    if t is ast.Column:
        return _compile_column(node, rc)
    if t is ast.Lookup:
        return _compile_lookup(node, rc)
    if t is ast.Unary:
        operand = _compile(node.operand, rc)
        return lambda ctx: -_number(operand(ctx))
    if t is ast.Binary:
        return _compile_binary(node, rc)
    if t is ast.Compare:
        return _compile_compare(node, rc)
    if t is ast.Member:
        return _compile_member(node, rc)
    if t is ast.Not:
        operand = _compile(node.operand, rc)
        flip = {EXACT: FAIL, ROUNDING: ROUNDING, FAIL: EXACT}

        def not_(ctx):
            status, detail = operand(ctx)
            return (flip[status], detail)
        return not_
    if t is ast.And:
        return _compile_and(_compile(node.left, rc), _compile(node.right, rc))
    if t is ast.Or:
        return _compile_or(_compile(node.left, rc), _compile(node.right, rc))
    if t is ast.Implies:
        return _compile_implies(_compile(node.cond, rc), _compile(node.then, rc))
    if t is ast.ForEach:
        return _compile_forall(node, rc)
    if t is ast.Comprehension:
        return _compile_comprehension(node, rc)
    if t is ast.Call:
        return _compile_call(node, rc)
    raise TypeError(f"cannot compile {node!r}")  # pragma: no cover - the checker resolved everything


def _number(value) -> Quantity:
    if type(value) is not Quantity:
        raise EvalProblem(f"expected a number, found {value!r}")
    return value


def _compile_field(path: str, settings: Settings):
    decl = settings.decl_for(path)
    kind = decl.kind if decl is not None else "amount"
    default = decl.default if decl is not None else None

    if kind in ("text",):
        def text_field(ctx):
            figure = _read_figure(ctx, path, decl)
            if figure is None:
                return format_decimal(default)
            value = figure.value
            return format_decimal(value) if isinstance(value, Decimal) else str(value)
        return text_field
    if kind == "flag":
        def flag_field(ctx):
            figure = _read_figure(ctx, path, decl)
            value = bool(default) if figure is None else figure.value
            if not isinstance(value, bool):
                raise EvalProblem(f"{path} is {value!r}, not true or false")
            return _TRUE if value else _FALSE
        return flag_field
    default_q = None
    if default is not None:
        unit = decl.unit or (settings.default_unit if kind == "amount" else None)
        default_q = quantity(default, unit, None) if kind == "amount" else exact(default)

    def number_field(ctx):
        cached = ctx.cache.get(path)
        if cached is not None:
            ctx.trace.append(cached[1])
            return cached[0]
        figure = ctx.record.figures.get(path)
        if figure is None:
            if default_q is not None:
                return default_q
            raise Missing(path)
        value = settings.to_quantity(figure, decl)
        entry = (figure, decl)
        ctx.cache[path] = (value, entry)
        ctx.trace.append(entry)
        return value
    return number_field


def _compile_wildcard(prefix: str, settings: Settings):
    def wildcard(ctx):
        figures = ctx.record.under(prefix)
        if not figures:
            raise Missing(prefix + ".*")
        values = []
        for figure in figures:
            decl = settings.decl_for(figure.path)
            ctx.trace.append((figure, decl))
            values.append(settings.to_quantity(figure, decl))
        return values
    return wildcard


def _cell(ctx, row: Row, column: str, settings: Settings):
    decl = settings.column_decl(row.table, column)
    figure = row.cells.get(column)
    if column == "code" and figure is None:
        return row.code
    if figure is None:
        if decl is not None and decl.default is not None:
            if decl.kind == "amount":
                return quantity(decl.default, decl.unit or settings.default_unit or "元", None)
            return exact(decl.default)
        raise Missing(f"{row.table}[{row.code}].{column}")
    if column != "code":  # a row's code identifies it (shown as the item), it is not a figure
        ctx.trace.append((figure, decl))
    kind = decl.kind if decl is not None else ("amount" if isinstance(figure.value, Decimal) else "text")
    if kind == "text":
        value = figure.value
        return format_decimal(value) if isinstance(value, Decimal) else str(value)
    if kind == "flag":
        return _TRUE if figure.value is True else _FALSE
    cached = ctx.cache.get(figure.path)
    if cached is None:
        cached = ctx.cache[figure.path] = (settings.to_quantity(figure, decl), (figure, decl))
    return cached[0]


def _compile_column(node: ast.Column, rc):
    source = _compile(node.obj, rc)
    column = node.name
    settings = rc.settings

    def column_value(ctx):
        obj = source(ctx)
        if type(obj) is Row:
            return _cell(ctx, obj, column, settings)
        return [_cell(ctx, row, column, settings) for row in obj]
    return column_value


def _key_text(value) -> str:
    if type(value) is Quantity:
        return format_decimal(value.point)
    return str(value).strip()


def _compile_lookup(node: ast.Lookup, rc):
    table_path = node.table.path if isinstance(node.table, ast.TableRef) else None
    key = _compile(node.key, rc)

    def lookup(ctx):
        table = ctx.record.tables.get(table_path)
        code = _key_text(key(ctx))
        if table is None:
            raise Missing(table_path)
        row = table.by_code.get(code)
        if row is None:
            raise Missing(f"{table_path}[{code}]")
        return row
    return lookup


def _compile_binary(node: ast.Binary, rc):
    left, right, op = _compile(node.left, rc), _compile(node.right, rc), node.op
    if op == "+":
        return lambda ctx: _number(left(ctx)) + _number(right(ctx))
    if op == "-":
        return lambda ctx: _number(left(ctx)) - _number(right(ctx))
    if op == "*":
        return lambda ctx: _number(left(ctx)) * _number(right(ctx))

    def divide(ctx):
        numerator, denominator = _number(left(ctx)), _number(right(ctx))
        try:
            return numerator / denominator
        except ZeroDivisionError:
            raise EvalProblem(f"division by zero: {ast.to_source(node.right)} is 0") from None
    return divide


def _compile_compare(node: ast.Compare, rc):
    left, right, op = _compile(node.left, rc), _compile(node.right, rc), node.op
    tolerance = rc.tolerance
    texts = _sides(node, rc.settings)

    def comparison(ctx):
        a, b = left(ctx), right(ctx)
        if type(a) is Quantity and type(b) is Quantity:
            result = compare(op, a, b, tolerance, texts)
            return (result.outcome, result)
        if isinstance(a, str) and isinstance(b, str):
            equal = a.strip() == b.strip()
            holds = equal if op == "=" else not equal
            return (EXACT if holds else FAIL, Comparison(op, a, b, EXACT if holds else FAIL, None, None, texts))
        if isinstance(a, tuple) and isinstance(b, tuple):
            equal = (a[0] == FAIL) == (b[0] == FAIL)
            return _TRUE if equal == (op == "=") else _FALSE
        raise EvalProblem(f"cannot compare {_describe(a)} with {_describe(b)}")
    return comparison


def _describe(value) -> str:
    if type(value) is Quantity:
        return "a number"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _compile_member(node: ast.Member, rc):
    item = _compile(node.item, rc)
    options = [_compile(o, rc) for o in node.options]
    texts = _sides(node, rc.settings)
    negated = node.negated
    tolerance = rc.tolerance

    def member(ctx):
        value = item(ctx)
        best = FAIL
        for option in options:
            candidate = option(ctx)
            if type(value) is Quantity and type(candidate) is Quantity:
                outcome = compare("=", value, candidate, tolerance).outcome
            else:
                outcome = EXACT if str(value).strip() == str(candidate).strip() else FAIL
            if _RANK[outcome] < _RANK[best]:
                best = outcome
            if best == EXACT:
                break
        if negated:
            best = {EXACT: FAIL, ROUNDING: ROUNDING, FAIL: EXACT}[best]
        return (best, Comparison("not in" if negated else "in", value, None, best, None, None, texts))
    return member


def _worse(a, b):
    return a if _RANK[a[0]] >= _RANK[b[0]] else b


def _compile_and(left, right):
    def and_(ctx):
        try:
            a = left(ctx)
        except Missing:
            b = right(ctx)
            if b[0] == FAIL:
                return b
            raise
        if a[0] == FAIL:
            return a
        b = right(ctx)
        return _worse(a, b) if b[0] != EXACT else a
    return and_


def _compile_or(left, right):
    def or_(ctx):
        try:
            a = left(ctx)
        except Missing:
            b = right(ctx)
            if b[0] != FAIL:
                return b
            raise
        if a[0] == EXACT:
            return a
        b = right(ctx)
        if b[0] == FAIL:
            return a if a[0] != FAIL else b
        return b if _RANK[b[0]] <= _RANK[a[0]] else a
    return or_


def _compile_implies(cond, then):
    def implies(ctx):
        try:
            c = cond(ctx)
        except Missing:
            t = then(ctx)
            if t[0] != FAIL:
                return t
            raise
        if c[0] == FAIL:
            return _TRUE
        return then(ctx)
    return implies


def _iterate(ctx, source, var, where):
    items = source(ctx)
    if type(items) is Row or not isinstance(items, list):
        items = [items]
    for item in items:
        ctx.vars[var] = item
        if where is None or where(ctx)[0] != FAIL:
            yield item


def _compile_forall(node: ast.ForEach, rc):
    source, body = _compile(node.source, rc), _compile(node.body, rc)
    where = _compile(node.where, rc) if node.where is not None else None
    var = node.var

    def forall(ctx):
        saved = ctx.vars.get(var)
        worst = _TRUE
        try:
            for _ in _iterate(ctx, source, var, where):
                outcome = body(ctx)
                worst = _worse(worst, outcome) if outcome[0] != EXACT else worst
                if worst[0] == FAIL:
                    break
        finally:
            ctx.vars[var] = saved
        return worst
    return forall


def _compile_comprehension(node: ast.Comprehension, rc):
    source, elem = _compile(node.source, rc), _compile(node.elem, rc)
    where = _compile(node.cond, rc) if node.cond is not None else None
    var = node.var

    def comprehension(ctx):
        saved = ctx.vars.get(var)
        try:
            return [elem(ctx) for _ in _iterate(ctx, source, var, where)]
        finally:
            ctx.vars[var] = saved
    return comprehension


# ---- functions --------------------------------------------------------------------------------------

def _flatten(values) -> list:
    out = []
    for value in values:
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def _sum(values, dim_hint="number") -> Quantity:
    numbers = [_number(v) for v in _flatten(values)]
    if not numbers:
        return exact(Decimal(0), dim_hint)
    total = numbers[0]
    for n in numbers[1:]:
        total = total + n
    return total


def _extreme(values, pick_min: bool) -> Quantity:
    numbers = [_number(v) for v in _flatten(values)]
    if not numbers:
        raise EvalProblem("min()/max() of nothing")
    chooser = min if pick_min else max
    point = chooser(n.point for n in numbers)
    return Quantity(point, chooser(n.lo for n in numbers), chooser(n.hi for n in numbers), numbers[0].dim)


def _round(value: Quantity, places: int, money_scale: Decimal = Decimal(1)) -> Quantity:
    """Round to *places* decimals; money in the ruleset's unit (round(x, 1) is to 0.1 万元 in a
    万元 ruleset), not in the 元 it is held in."""
    step = Decimal(1).scaleb(-places)
    scale = money_scale if value.dim == "money" else Decimal(1)

    def r(x):
        return (x / scale).quantize(step, rounding=decimal.ROUND_HALF_UP) * scale if x.is_finite() else x
    return Quantity(r(value.point), r(value.lo), r(value.hi), value.dim)


def _similarity(a: str, b: str) -> Decimal:
    """How alike two names are, 0 to 1 (difflib's ratio on the texts without spaces), to two
    decimals: project names are printed slightly differently in a narrative and in its table."""
    a, b = "".join(a.split()), "".join(b.split())
    if not a and not b:
        return Decimal(1)
    # The exact fraction of matched characters (difflib's ratio without its float).
    matched = sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return (Decimal(2 * matched) / Decimal(len(a) + len(b))).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def _level(code: str) -> int:
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def _stated(node, rc, meta: str):
    """Closure yielding the stated change (or percentage) of the figures an expression reads."""
    settings = rc.settings
    if isinstance(node, ast.FieldRef):
        path, decl = node.path, settings.decl_for(node.path)

        def one(ctx):
            figure = ctx.record.figures.get(path)
            if figure is None:
                raise Missing(path)
            return _meta_quantity(ctx, figure, decl, meta, settings)
        return one
    if isinstance(node, ast.Wildcard):
        prefix = node.prefix

        def many(ctx):
            figures = ctx.record.under(prefix)
            if not figures:
                raise Missing(prefix + ".*")
            return [_meta_quantity(ctx, f, settings.decl_for(f.path), meta, settings) for f in figures]
        return many
    source = _compile(node.obj, rc)
    column = node.name

    def of_rows(ctx):
        obj = source(ctx)
        rows = [obj] if type(obj) is Row else obj
        values = []
        for row in rows:
            figure = row.cells.get(column)
            if figure is None:
                raise Missing(f"{row.table}[{row.code}].{column}")
            values.append(_meta_quantity(ctx, figure, settings.column_decl(row.table, column), meta, settings))
        return values[0] if type(obj) is Row else values
    return of_rows


def _meta_quantity(ctx, figure, decl, meta, settings):
    stated = figure.change if meta == "change" else figure.pct
    if stated is None:
        raise Missing(f"{figure.path} ({'stated change' if meta == 'change' else 'stated percentage'})")
    ctx.trace.append((figure, decl))
    return settings.to_quantity(figure, decl, meta)


def _compile_call(node: ast.Call, rc):  # noqa: C901 - one branch per function
    name = node.func
    if name in ("change", "pct"):
        return _stated(node.args[0], rc, "change" if name == "change" else "pct")
    if name == "prior":
        values, changes = _compile(node.args[0], rc), _stated(node.args[0], rc, "change")

        def prior(ctx):
            v, c = values(ctx), changes(ctx)
            if isinstance(v, list):
                return [a - b for a, b in zip(v, c)]
            return v - c
        return prior
    if name == "present":
        inner = _compile(node.args[0], rc)

        def present(ctx):
            try:
                inner(ctx)
            except Missing:
                return _FALSE
            return _TRUE
        return present
    if name == "coalesce":
        options = [_compile(a, rc) for a in node.args]

        def coalesce(ctx):
            for option in options[:-1]:
                try:
                    return option(ctx)
                except Missing:
                    continue
            return options[-1](ctx)
        return coalesce
    args = [_compile(a, rc) for a in node.args]
    if name == "sum":
        if len(args) == 1:
            only = args[0]
            return lambda ctx: _sum([only(ctx)])
        return lambda ctx: _sum([a(ctx) for a in args])
    if name == "count":
        arg = args[0]
        return lambda ctx: exact(Decimal(len(arg(ctx))))
    if name == "abs":
        arg = args[0]
        return lambda ctx: abs(_number(arg(ctx)))
    if name in ("min", "max"):
        pick_min = name == "min"
        return lambda ctx: _extreme([a(ctx) for a in args], pick_min)
    if name == "round":
        arg = args[0]
        places = int(node.args[1].value) if len(node.args) == 2 else 0
        scale = MONEY_UNITS.get(rc.settings.display_unit, Decimal(1))
        return lambda ctx: _round(_number(arg(ctx)), places, scale)
    if name == "children":
        arg = args[0]

        def children(ctx):
            row = arg(ctx)
            return ctx.record.tables[row.table].children_of(row.code)
        return children
    if name == "parent":
        arg = args[0]

        def parent(ctx):
            row = arg(ctx)
            found = ctx.record.tables[row.table].parent_of(row.code)
            if found is None:
                raise Missing(f"{row.table}[{row.code}] (parent row)")
            return found
        return parent
    if name == "level":
        arg = args[0]
        return lambda ctx: exact(Decimal(_level(arg(ctx).code)))
    if name == "contains":
        haystack, needle = args
        return lambda ctx: _TRUE if str(needle(ctx)) in str(haystack(ctx)) else _FALSE
    if name == "startswith":
        text, prefix = args
        return lambda ctx: _TRUE if str(text(ctx)).startswith(str(prefix(ctx))) else _FALSE
    if name == "length":
        text = args[0]
        return lambda ctx: exact(Decimal(len(str(text(ctx)))))
    if name == "similarity":
        first, second = args
        return lambda ctx: exact(_similarity(str(first(ctx)), str(second(ctx))))
    raise TypeError(f"unknown function {name}")  # pragma: no cover - the checker refuses it


# ---- rules -----------------------------------------------------------------------------------------

class _RuleCompilation:
    def __init__(self, settings: Settings, tolerance: Tolerance):
        self.settings = settings
        self.tolerance = tolerance


def _tolerance(tol: ast.Tolerance | None, settings: Settings) -> Tolerance:
    if tol is None:
        return NO_TOLERANCE
    if tol.unit == "%":
        return Tolerance(amount=tol.amount, relative=True)
    unit = tol.unit or settings.default_unit or "元"
    return Tolerance(amount=tol.amount, money=tol.amount * MONEY_UNITS.get(unit, Decimal(1)))


class CompiledRule:
    """A rule ready to run: closures for its precondition and assertion, and its metadata."""

    def __init__(self, rule: ast.Rule, settings: Settings):
        self.rule = rule
        self.id = rule.id
        self.severity = rule.severity or "error"
        self.settings = settings
        rc = _RuleCompilation(settings, _tolerance(rule.tolerance, settings))
        self.when = _compile(rule.when, rc) if rule.when is not None else None
        assertion = rule.assertion
        self.per_row = isinstance(assertion, ast.ForEach)
        if self.per_row:
            self.var = assertion.var
            self.source = _compile(assertion.source, rc)
            self.where = _compile(assertion.where, rc) if assertion.where is not None else None
            self.body = _compile(assertion.body, rc)
            self.sides = _sides(assertion.body, settings)
        else:
            self.body = _compile(assertion, rc)
            self.sides = _sides(assertion, settings)

    def evaluate(self, record, record_id: str | None = None, ctx: Context | None = None) -> list:
        """Findings of this rule on one record (one per row for a top-level ``for each``).

        Rules of one ruleset share a Context per record, so each figure is converted once."""
        if ctx is None:
            ctx = Context(record, self.settings)
        else:
            ctx.trace = []
            ctx.vars = {}
        rid = record_id or record.id
        with decimal.localcontext(CONTEXT):
            if self.when is not None:
                try:
                    status, _ = self.when(ctx)
                except Missing as missing:
                    return [self._finding(ctx, rid, Status.NOT_EVALUABLE, missing=missing.paths,
                                          reason="precondition needs missing figures")]
                except (EvalProblem, ArithmeticError, RecursionError) as exc:
                    return [self._finding(ctx, rid, Status.ERROR, reason=_reason(exc))]
                if status == FAIL:
                    return [self._finding(ctx, rid, Status.NOT_APPLICABLE, reason="precondition is false")]
                ctx.trace = []
            if not self.per_row:
                return [self._run(ctx, rid, self.body)]
            return self._run_rows(ctx, rid)

    def _run(self, ctx, rid, body, item=None) -> Finding:
        try:
            outcome, detail = body(ctx)
        except Missing as missing:
            return self._finding(ctx, rid, Status.NOT_EVALUABLE, item=item, missing=missing.paths,
                                 reason="missing: " + ", ".join(missing.paths))
        except (EvalProblem, ArithmeticError, RecursionError) as exc:
            return self._finding(ctx, rid, Status.ERROR, item=item, reason=_reason(exc))
        status = Status.PASS if outcome == EXACT else Status.ROUNDING if outcome == ROUNDING else Status.FAIL
        return self._finding(ctx, rid, status, item=item, detail=detail)

    def _run_rows(self, ctx, rid) -> list:
        try:
            ctx.trace = []
            items = self.source(ctx)
            # Figures listed by a wildcard (for each x in income.sources.*) are known by the figure
            # they came from -- path and operand -- not by their value.
            traced = list(ctx.trace) if isinstance(items, list) and len(ctx.trace) == len(items) else ()
            rows = list(_iterate(ctx, lambda _ctx: items, self.var, self.where))
        except Missing as missing:
            return [self._finding(ctx, rid, Status.NOT_EVALUABLE, missing=missing.paths,
                                  reason="missing: " + ", ".join(missing.paths))]
        except (EvalProblem, ArithmeticError, RecursionError) as exc:
            return [self._finding(ctx, rid, Status.ERROR, reason=_reason(exc))]
        if not rows:
            return [self._finding(ctx, rid, Status.NOT_APPLICABLE, reason="no rows to check")]
        origin = {id(value): entry for value, entry in zip(items, traced)}
        findings = []
        for row in rows:
            entry = origin.get(id(row))
            ctx.trace = [entry] if entry is not None else []
            ctx.vars[self.var] = row
            item = row.code if isinstance(row, Row) else entry[0].path if entry is not None else _key_text(row)
            findings.append(self._run(ctx, rid, self.body, item=item))
        return findings

    def _finding(self, ctx, rid, status, *, item=None, detail=None, missing=(), reason=None) -> Finding:
        from .findings import Finding  # local: keeps the hot path's globals small
        settings = self.settings
        operands = _operands(ctx.trace, settings)
        left = right = difference = tolerance = None
        op = unit = None
        texts = self.sides
        if isinstance(detail, Comparison):
            texts = detail.texts or texts  # the deciding comparison, wherever it sits in the rule
            op = detail.op
            left, right, difference, tolerance, unit = _sides_of(detail, settings, texts)
        rule = self.rule
        # Messages are rendered lazily; keep what they need, as it is now (rows move on).
        snapshot = _Snapshot(ctx.record, dict(ctx.vars))
        values = {"left": left, "right": right, "difference": difference, "tolerance": tolerance,
                  "unit": unit, "op": op, "item": item, "status": status, "ctx": snapshot,
                  "left_label": texts[2], "right_label": texts[3]}
        return Finding(
            record=rid, rule=rule.id, title=rule.title, title_en=rule.title_en, severity=self.severity,
            status=status, item=item, op=op, left=left,
            right=right, difference=difference, tolerance=tolerance, unit=unit, operands=operands,
            reason=reason, missing=tuple(missing), tags=rule.tags,
            suggestion=_suggestion(detail, self.rule, settings) if status == Status.FAIL else None,
            texts=lambda: render_message(rule, values, reason, missing, settings))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "expression too deeply nested to evaluate"
    if isinstance(exc, ArithmeticError) and not isinstance(exc, EvalProblem):
        return f"arithmetic error: {type(exc).__name__}"
    return str(exc)


def _sides(node, settings: Settings):
    """Both sides of a top-level comparison as text: as written (paths) and for people (labels)."""
    if isinstance(node, ast.Compare):
        labels = settings.labels_by_path
        return (ast.to_source(node.left), ast.to_source(node.right),
                ast.describe(node.left, labels), ast.describe(node.right, labels))
    if isinstance(node, ast.Member):
        labels = settings.labels_by_path
        options = "{" + ", ".join(ast.to_source(o) for o in node.options) + "}"
        return ast.to_source(node.item), options, ast.describe(node.item, labels), options
    return "", "", "", ""


def _display(q: Quantity, settings: Settings):
    """A quantity in the unit it is shown in: money in the ruleset's unit, percentages, counts."""
    unit = settings.display_unit if q.dim == "money" else ("%" if q.dim == "percent" else
                                                            q.dim[6:] if q.dim.startswith("count:") else None)
    return (to_unit(q.point, q.dim, unit), to_unit(q.lo, q.dim, unit), to_unit(q.hi, q.dim, unit), unit)


def _sides_of(detail: Comparison, settings: Settings, texts):
    a, b = detail.left, detail.right
    left_text, right_text = texts[0], texts[1]
    if type(a) is Quantity and type(b) is Quantity:
        lp, llo, lhi, unit = _display(a, settings)
        rp, rlo, rhi, runit = _display(b, settings)
        unit = unit or runit
        dim = a.dim if a.dim != "number" else b.dim
        diff = to_unit(detail.difference, dim, unit)
        allowed = to_unit(detail.allowed, dim, unit)
        return (Side(lp, llo, lhi, unit, left_text), Side(rp, rlo, rhi, unit, right_text), diff, allowed, unit)
    if b is None:  # membership: the item (a number shown in its unit, not in 元) and the set it was tried in
        if type(a) is Quantity:
            ap, alo, ahi, unit = _display(a, settings)
            return Side(ap, alo, ahi, unit, left_text), Side(None, expression=right_text), None, None, unit
        return Side(_plain(a), expression=left_text), Side(None, expression=right_text), None, None, None
    return (Side(_plain(a), expression=left_text), Side(_plain(b), expression=right_text),
            None, None, None)


def _plain(value):
    if type(value) is Quantity:
        return value.point
    return value


def _operands(trace, settings: Settings) -> tuple:
    seen, out = set(), []
    for figure, decl in trace:
        if figure.path in seen:
            continue
        seen.add(figure.path)
        unit = figure.unit or (decl.unit if decl is not None else None)
        if unit is None and (decl is None or decl.kind == "amount") and isinstance(figure.value, Decimal):
            unit = settings.default_unit
        out.append(Operand(figure.path, figure.label or settings.label(figure.path, decl), figure.value, unit,
                           figure.printed, figure.change, figure.pct, figure.source))
    return tuple(out)


def _suggestion(detail, rule, settings):
    """For a failed equality whose left side is one printed figure: the value that would balance it."""
    if not isinstance(detail, Comparison) or detail.op != "=" or type(detail.left) is not Quantity:
        return None
    assertion = rule.assertion.body if isinstance(rule.assertion, ast.ForEach) else rule.assertion
    if not isinstance(assertion, ast.Compare) or not isinstance(assertion.left, (ast.FieldRef, ast.Column)):
        return None
    point, _, _, unit = _display(detail.right, settings)
    return f"{ast.to_source(assertion.left)} = {format_decimal(point)}{' ' + unit if unit else ''}"


def compile_rule(rule: ast.Rule, settings: Settings) -> CompiledRule:
    return CompiledRule(rule, settings)
