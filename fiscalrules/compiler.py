"""The compiler: resolved expressions → Python closures, built once per rule.

Each resolved expression node (see :mod:`fiscalrules.ast`) becomes a closure ``f(ctx)``;
evaluating a record walks no AST and uses no ``eval``.  Values flowing between closures are
:class:`~fiscalrules.values.Quantity` (numbers), ``str`` (text), table rows and lists; conditions
return an *outcome* pair ``(EXACT | ROUNDING | FAIL, detail)`` so a finding can show
the deciding comparison.  Built-in functions live in :mod:`fiscalrules.functions`.

A missing figure raises :class:`Missing`; a runtime problem such as a division by zero raises
:class:`EvalProblem`.  :mod:`fiscalrules.evaluator` turns both into findings.

Closures take what they were built from as default arguments (``def comparison(ctx, left=left)``)
rather than as free variables: a free variable costs a cell object per variable per closure, and
a 10,000-rule file makes hundreds of thousands of closures that the garbage collector walks again
and again while the file compiles; defaults are one tuple, and read as fast locals.  They are
never passed by a caller.  Leaves (figures, constants, tables) are built once per ruleset
(:meth:`Settings.leaf`).
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .chains import links
from .connectives import (_RANK, _TRUE, _compile_all, _compile_and, _compile_any, _compile_implies, _compile_or,
                          _worse)
from .context import Context, EvalProblem, Missing, Settings, TableGiven, UnreadMissing, unread_missing
from .errors import shown
from .printer import to_source
from .records import Row
from .rowstore import RowView
from .sidetexts import sides
from .values import (EXACT, FAIL, MONEY_UNITS, ROUNDING, Comparison, Quantity, decide, dimension_of,
                     exact, format_decimal, quantity, text_key)

__all__ = ["Missing", "EvalProblem", "Context", "Settings", "figures_under", "required_figure"]

_FALSE = (FAIL, None)
_FLIP = {EXACT: FAIL, ROUNDING: ROUNDING, FAIL: EXACT}


# ---- compiling expressions -------------------------------------------------------------------------

def _read_figure(ctx: Context, path: str, decl):
    figure = ctx.record.get(path)
    if figure is None:
        if decl is not None and decl.default is not None:
            return None
        raise Missing(path)
    ctx.trace.append((figure, decl))
    return figure


def _compile(node, rc):  # noqa: C901 - one branch per node kind
    """Compile a resolved expression node into a closure of one argument (the Context)."""
    t = type(node)
    if t is ast.Number:  # keyed by the text: 1.0 and 1.00 are equal Decimals printed differently
        return rc.settings.leaf(("number", str(node.value), node.unit), lambda: _constant(node))
    if t is ast.String:
        text = node.value
        return rc.settings.leaf(("string", text), lambda: lambda ctx: text)
    if t is ast.Boolean:
        return _ALWAYS_TRUE if node.value else _ALWAYS_FALSE
    if t is ast.FieldRef:
        return rc.settings.leaf(("field", node.path), lambda: _compile_field(node.path, rc.settings))
    if t is ast.Wildcard:
        return rc.settings.leaf(("wildcard", node.prefix), lambda: _compile_wildcard(node.prefix, rc.settings))
    if t is ast.TableRef:
        return rc.settings.leaf(("table", node.path), lambda: _compile_table(node.path))
    if t is ast.VarRef:
        name = node.name
        return rc.settings.leaf(("var", name), lambda: lambda ctx: ctx.vars[name])
    if t is ast.Column:
        return _compile_column(node, rc)
    if t is ast.Lookup:
        return _compile_lookup(node, rc)
    if t is ast.Unary:
        operand = _compile(node.operand, rc)
        return lambda ctx, operand=operand: -_number(operand(ctx))
    if t is ast.Binary:
        return _compile_binary(node, rc)
    if t is ast.Compare:
        return _compile_compare(node, rc)
    if t is ast.Member:
        return _compile_member(node, rc)
    if t is ast.Not:
        operand = _compile(node.operand, rc)

        def not_(ctx, operand=operand, flip=_FLIP):
            status, detail = operand(ctx)
            return (flip[status], detail)
        return not_
    if t is ast.And or t is ast.Or:   # a chain's conditions in one closure (fiscalrules.chains)
        chain = links(node)
        parts = [_compile(chain[0].left, rc)] + [_compile(link.right, rc) for link in chain]
        if len(parts) == 2:
            return (_compile_and if t is ast.And else _compile_or)(*parts)
        return (_compile_all if t is ast.And else _compile_any)(parts[0], tuple(parts[1:]))
    if t is ast.Implies:
        return _compile_implies(_compile(node.cond, rc), _compile(node.then, rc))
    if t is ast.ForEach:
        return _compile_forall(node, rc)
    if t is ast.Comprehension:
        return _compile_comprehension(node, rc)
    if t is ast.Call:
        return functions.compile_call(node, rc)
    raise TypeError(f"cannot compile {node!r}")  # pragma: no cover - the checker resolved everything


def _constant(node: ast.Number):
    if node.unit in MONEY_UNITS:
        value = quantity(node.value, node.unit, None)
    else:
        value = exact(node.value, dimension_of(node.unit))
    return lambda ctx: value


def _ALWAYS_TRUE(ctx):
    return _TRUE


def _ALWAYS_FALSE(ctx):
    return _FALSE


def _compile_table(path: str):
    def table_rows(ctx):
        table = ctx.record.tables.get(path)
        if table is None:
            raise Missing(path)
        return table.rows
    return table_rows


def _number(value) -> Quantity:
    if type(value) is not Quantity:
        raise EvalProblem(f"expected a number, found {shown(value)}")
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
            if type(value) is TableGiven:   # (a list given where a text is declared)
                raise EvalProblem(f"{path} is {shown(value)}, not a text")
            return format_decimal(value) if isinstance(value, Decimal) else str(value)
        return text_field
    if kind == "flag":
        def flag_field(ctx):
            figure = _read_figure(ctx, path, decl)
            value = bool(default) if figure is None else figure.value
            if not isinstance(value, bool):
                raise EvalProblem(f"{path} is {shown(value)}, not true or false")
            return _TRUE if value else _FALSE
        return flag_field
    default_q = None
    if default is not None:
        unit = decl.unit or (settings.default_unit if kind == "amount" else None)
        default_q = quantity(default, unit, None) if kind == "amount" else exact(default)

    def number_field(ctx, path=path, settings=settings, decl=decl, default_q=default_q):
        cached = ctx.cache.get(path)
        if cached is not None:
            ctx.trace.append(cached[1])
            return cached[0]
        figure = ctx.record.get(path)
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


def required_figure(ctx, path: str):
    """The figure at *path*; its absence is a missing figure."""
    figure = ctx.record.get(path)
    if figure is None:
        raise Missing(path)
    return figure


def figures_under(ctx, prefix: str) -> list:
    """The figures a wildcard ``prefix.*`` stands for; none at all is a missing figure, and so
    are they where the document printed more under *prefix* than its reader could name
    (``Record.unread_under``): their sum is not the sum of what was printed."""
    record = ctx.record
    unread = record.unread_under(prefix)
    if unread:
        raise UnreadMissing(unread_missing(prefix, unread))
    figures = record.under(prefix)
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


def _default_cell(decl, settings: Settings):
    """The value of a cell a row does not print, from its column's declared default (in the
    column's unit for an amount)."""
    if decl.kind == "amount":
        return quantity(decl.default, decl.unit or settings.default_unit or "元", None)
    return exact(decl.default)


def _cell(ctx, row: Row, column: str, settings: Settings):
    decl = settings.column_decl(row.table, column)
    figure = row.cells.get(column)
    if column == "code" and figure is None:
        return row.code
    if figure is None:
        if decl is not None and decl.default is not None:
            return _default_cell(decl, settings)
        raise Missing(f"{row.table}[{row.code}].{column}")
    if column != "code":  # a row's code identifies it (shown as the item), it is not a figure
        ctx.trace.append((figure, decl))
    kind = decl.kind if decl is not None else ("amount" if isinstance(figure.value, Decimal) else "text")
    if kind == "text":
        value = figure.value
        return format_decimal(value) if isinstance(value, Decimal) else str(value)
    if kind == "flag":
        # (as a flag field: a cell holding anything but true / false is an error of the rules
        # that read it -- taken as false, the text "true" failed them)
        if type(figure.value) is not bool:
            raise EvalProblem(f"{figure.path} is {shown(figure.value)}, not true or false")
        return _TRUE if figure.value else _FALSE
    key = (row.table, row.index, column)
    cached = ctx.cache.get(key)
    if cached is None:
        cached = ctx.cache[key] = (settings.to_quantity(figure, decl), (figure, decl))
    return cached[0]


def _compile_column(node: ast.Column, rc):
    source = _compile(node.obj, rc)
    column = node.name
    settings = rc.settings

    def column_value(ctx, source=source, column=column, settings=settings):
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

    def lookup(ctx, table_path=table_path, key=key):
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
    if node.op in ("+", "-"):
        return _compile_chain(node, rc)
    left, right, op = _compile(node.left, rc), _compile(node.right, rc), node.op
    if op == "+":
        return lambda ctx, left=left, right=right: _number(left(ctx)) + _number(right(ctx))
    if op == "-":
        return lambda ctx, left=left, right=right: _number(left(ctx)) - _number(right(ctx))
    if op == "*":
        return lambda ctx, left=left, right=right: _number(left(ctx)) * _number(right(ctx))

    def divide(ctx, left=left, right=right, node=node):
        numerator, denominator = _number(left(ctx)), _number(right(ctx))
        try:
            return numerator / denominator
        except ZeroDivisionError:
            raise EvalProblem(f"division by zero: {to_source(node.right)} is 0") from None
    return divide


def _compile_chain(node: ast.Binary, rc):
    """``a + b - c + …`` (the parser nests it to the left) as one loop over its terms rather than
    a closure per operator.  The same Decimal operations in the same order as term-by-term
    Quantity arithmetic, terms read (and a missing one reported) left to right: identical
    results.  A parenthesised right operand (``a - (b + c)``) is one term, a chain of its own."""
    terms = []
    while type(node) is ast.Binary and node.op in ("+", "-"):
        terms.append((node.op == "+", _compile(node.right, rc)))
        node = node.left
    terms.reverse()
    first = _compile(node, rc)
    terms = tuple(terms)

    def chain(ctx, first=first, terms=terms, quantity=Quantity):
        total = first(ctx)
        if type(total) is not quantity:
            _number(total)
        point, lo, hi, dim = total.point, total.lo, total.hi, total.dim
        for add, term in terms:
            value = term(ctx)
            if type(value) is not quantity:
                _number(value)
            if add:
                point, lo, hi = point + value.point, lo + value.lo, hi + value.hi
            else:
                point, lo, hi = point - value.point, lo - value.hi, hi - value.lo
            if dim == "number":
                dim = value.dim
        return quantity(point, lo, hi, dim)
    return chain


def _compile_compare(node: ast.Compare, rc):
    left, right, op = _compile(node.left, rc), _compile(node.right, rc), node.op
    tolerance = rc.tolerance
    texts = sides(node, rc.settings, rc.row_tables)

    def comparison(ctx, left=left, right=right, op=op, tolerance=tolerance, texts=texts):
        a, b = left(ctx), right(ctx)
        if type(a) is Quantity and type(b) is Quantity:
            # The numbers behind the decision are worked out only if a finding shows them.
            return (decide(op, a, b, tolerance), (op, a, b, tolerance, texts))
        if isinstance(a, str) and isinstance(b, str):
            equal = text_key(a) == text_key(b)
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
        return f"text {shown(value)}"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _compile_member(node: ast.Member, rc):
    item = _compile(node.item, rc)
    options = [_compile(o, rc) for o in node.options]
    texts = sides(node, rc.settings, rc.row_tables)
    negated = node.negated
    tolerance = rc.tolerance

    def member(ctx, item=item, options=options, texts=texts, negated=negated, tolerance=tolerance):
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


def _iterate(ctx, source, var, where, outer=()):
    items = source(ctx)
    if outer:
        joins.read_outer(ctx, outer)
    return _kept(ctx, items, var, where)


def _kept(ctx, items, var, where):
    if type(items) is Row or not isinstance(items, (list, RowView)):   # RowView: a packed table's rows
        items = [items]
    if where is None:
        for item in items:
            ctx.vars[var] = item
            yield item
        return
    trace = ctx.trace
    for item in items:
        ctx.vars[var] = item
        mark = len(trace)
        if where(ctx)[0] != FAIL:
            yield item
        else:   # (a row the filter left out is no evidence: what it read of it is not listed)
            del trace[mark:]


def _compile_forall(node: ast.ForEach, rc):
    source, body = _compile(node.source, rc), _compile(node.body, rc)
    where = _compile(node.where, rc) if node.where is not None else None
    outer = _outer(node, rc)
    var = node.var

    def forall(ctx, source=source, body=body, where=where, var=var, outer=outer):
        saved = ctx.vars.get(var)
        worst = _TRUE
        try:
            for _ in _iterate(ctx, source, var, where, outer):
                outcome = body(ctx)
                worst = _worse(worst, outcome) if outcome[0] != EXACT else worst
                if worst[0] == FAIL:
                    break
        finally:
            ctx.vars[var] = saved
        return worst
    join = _join_of(node, rc)
    if join is None:
        return forall

    def looked_up(ctx, source=source, body=body, where=where, join=join, outer=outer):
        worst = [_TRUE]

        def each(ctx):   # the row's outcome taken in; True: a failure decides
            outcome = body(ctx)
            if outcome[0] != EXACT:
                worst[0] = _worse(worst[0], outcome)
            return worst[0][0] == FAIL
        join.visit(ctx, source, where, each, outer, _kept)
        return worst[0]
    return looked_up


def _outer(node, rc) -> tuple:
    """The closures of what a loop's filter reads outside its rows (fiscalrules.joins.outer_parts:
    what a finding lists of the filter besides the rows it kept)."""
    return tuple(_compile(part, rc) for part in joins.outer_parts(node))


def _join_of(node, rc):
    """The lookup of the rows a loop's filter may keep (fiscalrules.joins), where the filter
    matches the row's text with one around it; None otherwise (the loop scans).  One per node and
    ruleset: the fast path's and the general closures' share what they make of a record."""
    made = rc.settings.leaf(("join", id(node), rc.tolerance), lambda: (node, _new_join(node, rc)))
    return made[1] if made[0] is node else _new_join(node, rc)


def _new_join(node, rc):
    shape = joins.shape_of(node)
    return joins.Join(shape, lambda part: _compile(part, rc), rc.tolerance) if shape is not None else None


def _compile_comprehension(node: ast.Comprehension, rc):
    source, elem = _compile(node.source, rc), _compile(node.elem, rc)
    where = _compile(node.cond, rc) if node.cond is not None else None
    outer = _outer(node, rc)
    var = node.var

    def comprehension(ctx, source=source, elem=elem, where=where, var=var, outer=outer):
        saved = ctx.vars.get(var)
        try:
            return [elem(ctx) for _ in _iterate(ctx, source, var, where, outer)]
        finally:
            ctx.vars[var] = saved
    join = _join_of(node, rc)
    if join is None:
        return comprehension

    def looked_up(ctx, source=source, elem=elem, where=where, join=join, outer=outer):
        values: list = []
        join.visit(ctx, source, where, lambda ctx: values.append(elem(ctx)), outer, _kept)
        return values
    return looked_up


from . import functions  # noqa: E402 - functions compiles its arguments with _compile (a cycle by design)
from . import joins  # noqa: E402
