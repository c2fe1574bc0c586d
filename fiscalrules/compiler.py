"""The compiler: resolved expressions → Python closures, built once per rule.

Each resolved expression node (see :mod:`fiscalrules.ast`) becomes a closure ``f(ctx)``;
evaluating a record walks no AST and uses no ``eval``.  Values flowing between closures are
:class:`~fiscalrules.values.Quantity` (numbers), ``str`` (text), table rows and lists; conditions
return an *outcome* pair ``(EXACT | ROUNDING | FAIL, detail)`` so a finding can show
the deciding comparison.  Built-in functions live in :mod:`fiscalrules.functions`.

A missing figure raises :class:`Missing`; a runtime problem such as a division by zero raises
:class:`EvalProblem`.  :mod:`fiscalrules.evaluator` turns both into findings.
"""

from __future__ import annotations

from typing import Any

from decimal import Decimal

from . import ast
from .records import Figure, Row
from .values import (EXACT, FAIL, MONEY_UNITS, ROUNDING, Comparison, Quantity, decide, dimension_of,
                     exact, format_decimal, printed_precision, quantity)

__all__ = ["Missing", "EvalProblem", "Context", "Settings", "figures_under"]

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

    __slots__ = ("record", "settings", "cache", "points", "vars", "trace")

    def __init__(self, record: Any, settings: Any) -> None:
        self.record = record
        self.settings = settings
        self.cache = {}
        self.points = {}   # printed values in base units, for the fast path
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

    def __init__(self, checked: Any) -> None:
        self.fields = checked.fields
        self.default_unit = checked.default_unit
        self.display_unit = checked.default_unit or "元"
        self.precisions = checked.precisions
        self.paths_by_label = checked.labels
        self._columns = {}
        self._plans = {}
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
        counts and plain numbers are exact.  Money is converted to 元.
        """
        raw = figure.value if meta == "value" else figure.change if meta == "change" else figure.pct
        if type(raw) is not Decimal:
            raise EvalProblem(f"{figure.path} is {raw!r}, not a number")
        key = (id(decl), figure.unit, meta)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(figure.unit, decl, meta)
        factor, dim, declared, exact_kind, problem = plan
        if problem is not None:
            raise EvalProblem(problem.format(path=figure.path))
        if exact_kind:
            return Quantity(raw, raw, raw, dim)
        if figure.precision is not None and meta == "value":
            printed = figure.precision
        else:
            exponent = raw.as_tuple().exponent
            printed = _PRECISIONS.get(exponent) or printed_precision(raw)
        half = (printed if declared is None or printed < declared else declared) * HALF
        if factor is not None:
            raw, half = raw * factor, half * factor
        return Quantity(raw, raw - half, raw + half, dim)

    def to_point(self, figure: Figure, decl, meta: str = "value") -> Decimal:
        """The printed value alone (money in 元): :meth:`to_quantity`'s point, without its interval."""
        raw = figure.value if meta == "value" else figure.change if meta == "change" else figure.pct
        if type(raw) is not Decimal:
            raise EvalProblem(f"{figure.path} is {raw!r}, not a number")
        key = (id(decl), figure.unit, meta)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(figure.unit, decl, meta)
        factor, problem = plan[0], plan[4]
        if problem is not None:
            raise EvalProblem(problem.format(path=figure.path))
        return raw * factor if factor is not None else raw

    def _plan(self, figure_unit, decl, meta: str) -> tuple:
        """What converting a figure needs, worked out once per (declaration, unit, kind of value):
        (money factor, dimension, declared precision, exact?, problem)."""
        kind = decl.kind if decl is not None else "amount"
        if meta == "pct":
            unit = "%"
        else:
            unit = figure_unit or (decl.unit if decl is not None else None)
            if unit is None and kind == "amount":
                unit = self.default_unit or "元"
            elif unit is None and kind == "percent":
                unit = "%"
        dim = dimension_of(unit)
        if kind == "amount" and dim != "money" and meta != "pct":
            return (None, dim, None, False, "{path} is in " + (unit or "no unit") + ", but it is declared as money")
        if kind in ("count", "number") and meta == "value":
            return (None, "number" if kind == "number" else dim, None, True, None)
        return (MONEY_UNITS.get(unit) if dim == "money" else None, dim, self.precisions.get(unit), False, None)


# The precision of a figure printed with n decimals, for the usual n.
_PRECISIONS = {-n: Decimal(1).scaleb(-n) for n in range(0, 8)}
HALF = Decimal("0.5")


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
        return functions.compile_call(node, rc)
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


def figures_under(ctx, prefix: str) -> list:
    """The figures a wildcard ``prefix.*`` stands for; none at all is a missing figure."""
    figures = ctx.record.under(prefix)
    if not figures:
        raise Missing(prefix + ".*")
    return figures


def _compile_wildcard(prefix: str, settings: Settings):
    def wildcard(ctx):
        figures = figures_under(ctx, prefix)
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
            # The numbers behind the decision are worked out only if a finding shows them.
            return (decide(op, a, b, tolerance), (op, a, b, tolerance, texts))
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
                outcome = decide("=", value, candidate, tolerance)
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


from . import functions  # noqa: E402 - functions compiles its arguments with _compile (a cycle by design)
