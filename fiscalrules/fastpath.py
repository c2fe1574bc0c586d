"""The fast path: deciding, on printed values alone, that a rule holds exactly.

Most checks of a published document hold exactly.  For those, the intervals, the explanation of
the comparison and the list of figures read are not needed to decide anything -- only to show a
finding nobody may read.  This module compiles a second closure for a rule's condition that works
on the printed ("point") values only, as plain Decimals: ``True`` means the condition holds
exactly, exactly as :func:`fiscalrules.values.decide` would say EXACT.  Anything else -- a
comparison that does not hold on the printed values, a missing figure, a construct this module
does not compile -- sends the rule down the full interval path (:mod:`fiscalrules.compiler`),
which decides rounding and failures and reports them.  A fast pass keeps its details lazy: they
are worked out by replaying the interval path if a finding's details are ever read.

Only conditions whose truth on points implies an EXACT outcome are compiled: comparisons,
``and``, ``or`` and membership ``in``.  ``not``, ``if … then`` and nested quantifiers are left to
the interval path, where rounding can turn a point-false into a pass.
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .chains import links
from .compiler import Missing, Settings, _compile, _join_of, figures_under, required_figure
from .functions import LEVEL_OF_LENGTH
from .records import Row
from .rowstore import RowView
from .values import FAIL, MONEY_UNITS, NO_TOLERANCE

__all__ = ["compile_fast_condition", "NotFast"]


class NotFast(Exception):
    """The fast path cannot decide this case; use the interval path."""


def compile_fast_condition(node, rc):
    """A closure ``f(ctx) -> bool`` (True: holds exactly), or None when the rule has no fast path.

    *rc* is the rule's compilation state: row filters (``where``) are decided by the interval
    path's closures, since a row the points exclude may be included within rounding."""
    try:
        return _condition(node, _Fast(rc))
    except NotFast:
        return None


def decided_on_points(node, rc) -> bool:
    """True when the fast path's False is final too: a comparison, without a ``within``
    tolerance, of quantities that have no rounding interval and read no figure (constants,
    ``level()``, ``count()`` of rows) -- its interval verdict is its verdict on the printed
    values.  (``where level(r) = 1`` then leaves out the other rows without the interval path.)"""
    return (type(node) is ast.Compare and rc.tolerance is NO_TOLERANCE
            and _without_rounding(node.left) and _without_rounding(node.right))


def _without_rounding(node) -> bool:
    if type(node) is ast.Number:
        return True
    if type(node) is ast.Call and node.func == "level":
        return True
    if type(node) is ast.Call and node.func == "count":
        arg = node.args[0]
        return type(arg) is ast.TableRef or (type(arg) is ast.Call and arg.func == "children")
    return False


class _Fast:
    def __init__(self, rc):
        self.rc = rc
        self.settings = rc.settings


def _condition(node, fast):
    t = type(node)
    if t is ast.Compare:
        # the common form (``t = a + b``): one loop per side, no chain of closures
        left, right = _linear(node.left, fast, 1), _linear(node.right, fast, 1)
        if left is not None and right is not None:
            return _LINEAR_COMPARE[node.op](left, right)
        left, right = _scalar_closure(node.left, fast), _scalar_closure(node.right, fast)
        return _COMPARE[node.op](left, right)
    if t is ast.And or t is ast.Or:   # a chain's conditions in one closure (fiscalrules.chains)
        chain = links(node)
        parts = tuple([_condition(chain[0].left, fast)] + [_condition(link.right, fast) for link in chain])
        if len(parts) == 2:
            a, b = parts
            if t is ast.And:
                return lambda ctx, a=a, b=b: a(ctx) and b(ctx)
            return lambda ctx, a=a, b=b: a(ctx) or b(ctx)
        stop = t is ast.Or   # (the value Python's a and b and … / a or b or … gives)

        def chained(ctx, parts=parts, stop=stop):
            for part in parts:
                value = part(ctx)
                if bool(value) is stop:
                    return value
            return value
        return chained
    if t is ast.Member and not node.negated:
        item = _scalar_closure(node.item, fast)
        options = [_scalar_closure(o, fast) for o in node.options]

        def member(ctx, item=item, options=options):
            value = item(ctx)
            return any(value == option(ctx) for option in options)
        return member
    raise NotFast


# What decide() calls EXACT for each operator: the test on the printed values.  One closure per
# operator (no call of a test function), its sides taken as defaults (see fiscalrules.compiler).
_COMPARE = {
    "=": lambda left, right: lambda ctx, left=left, right=right: left(ctx) == right(ctx),
    "!=": lambda left, right: lambda ctx, left=left, right=right: left(ctx) != right(ctx),
    "<": lambda left, right: lambda ctx, left=left, right=right: left(ctx) < right(ctx),
    "<=": lambda left, right: lambda ctx, left=left, right=right: left(ctx) <= right(ctx),
    ">": lambda left, right: lambda ctx, left=left, right=right: left(ctx) > right(ctx),
    ">=": lambda left, right: lambda ctx, left=left, right=right: left(ctx) >= right(ctx),
}
_LINEAR_COMPARE = _COMPARE


class _NotLinear(Exception):
    pass


def _linear(node, fast, least: int = 2):
    """One closure for a sum and difference of declared figures and numbers (``a = b + c - 1``,
    most of a budget's identities): each figure's printed value read from the record's slot
    in a loop, instead of a closure per node.  None for any other expression, or one of fewer
    than *least* terms (alone inside a larger expression, a figure gains nothing).

    Flattening ``a - (b + c)`` into ``a - b - c`` is exact: the evaluation context holds every
    sum of printed values without rounding, and figures are read -- and a missing one reported --
    in the order the nested closures would read them."""
    terms: list = []
    try:
        _terms(node, fast, True, terms)
    except _NotLinear:
        return None
    if len(terms) < least:
        return None
    # numbers are folded into one constant: their place in the order reads no figure
    constant = sum((value if add else -value for add, path, value in terms if path is None), _ZERO)
    fields = tuple((add, path, decl) for add, path, decl in terms if path is not None)
    settings = fast.settings
    to_point = settings.to_point

    def linear(ctx, constant=constant, fields=fields, to_point=to_point):
        record, points = ctx.record, ctx.points
        total = constant
        for add, path, decl in fields:
            value = points.get((path, "value"))
            if value is None:
                figure = record.get(path)
                if figure is None:
                    raise Missing(path)
                value = points[(figure.path, "value")] = to_point(figure, decl, "value")
            total = total + value if add else total - value
        return total
    return linear


def _terms(node, fast, add: bool, terms: list) -> None:
    # in the order written, without recursion (a sum of 10,000 terms: fiscalrules.chains)
    pending = [(node, add)]
    while pending:
        node, add = pending.pop()
        t = type(node)
        if t is ast.Binary and node.op in ("+", "-"):
            pending.append((node.right, add if node.op == "+" else not add))
            pending.append((node.left, add))
        elif t is ast.FieldRef:
            decl = fast.settings.decl_for(node.path)
            if decl is None or decl.kind not in ("amount", "count", "number", "percent") or decl.default is not None:
                raise _NotLinear  # as _figures: defaults and other kinds are the general path's
            terms.append((add, node.path, decl))
        elif t is ast.Number:
            terms.append((add, None, node.value * MONEY_UNITS[node.unit] if node.unit in MONEY_UNITS else node.value))
        else:
            raise _NotLinear


def _point(ctx, figure, decl, settings: Settings, meta: str = "value", key=None) -> Decimal:
    """A figure's printed value (or stated change / percentage) in base units, cached per record."""
    if key is None:
        key = (figure.path, meta)
    cached = ctx.points.get(key)
    if cached is None:
        if meta != "value" and (figure.change if meta == "change" else figure.pct) is None:
            raise Missing(figure.path)
        cached = ctx.points[key] = settings.to_point(figure, decl, meta)
    return cached


def _scalar_closure(node, fast):
    inner = _number(node, fast)
    if type(node) in (ast.FieldRef, ast.Number):
        return inner  # one figure or constant: a Decimal, never a list
    return lambda ctx, inner=inner: _scalar(inner(ctx))


def _rows(node, fast):
    """A closure giving a row (lookup, bound variable) or a list of rows (table, children()):
    the interval path's own closures, which hold no numbers."""
    t = type(node)
    if t is ast.VarRef:
        name = node.name

        def bound(ctx, name=name):
            row = ctx.vars[name]
            if type(row) is not Row:
                raise NotFast
            return row
        return bound
    if t is ast.TableRef or t is ast.Lookup or (t is ast.Call and node.func == "children"):
        return _compile(node, fast.rc)
    raise NotFast


def _cell_point(ctx, row, column, fast, meta="value"):
    figure = row.cells.get(column)
    settings = fast.settings
    decl = settings.column_decl(row.table, column)
    if figure is None:
        if meta == "value" and decl is not None and decl.default is not None:
            raise NotFast  # defaults are the interval path's business
        raise Missing(f"{row.table}[{row.code}].{column}")
    if decl is not None and decl.kind not in ("amount", "count", "number", "percent"):
        raise NotFast
    return _point(ctx, figure, decl, settings, meta, (row.table, row.index, column, meta))


def _figures(node, fast, meta):
    """Printed values (or stated changes / percentages) of the figures an expression names."""
    settings = fast.settings
    t = type(node)
    if t is ast.FieldRef:
        path, decl = node.path, settings.decl_for(node.path)
        if decl is None or decl.kind not in ("amount", "count", "number", "percent"):
            raise NotFast
        if meta == "value" and decl.default is not None:
            raise NotFast
        return settings.leaf(("point", path, meta), lambda: _point_of_field(path, decl, settings, meta))
    if t is ast.Wildcard:
        prefix = node.prefix

        def wildcard(ctx, prefix=prefix, settings=settings, meta=meta):
            return [_point(ctx, f, settings.decl_for(f.path), settings, meta) for f in figures_under(ctx, prefix)]
        return wildcard
    if t is ast.Column:
        rows, column = _rows(node.obj, fast), node.name

        def cells(ctx, rows=rows, column=column, fast=fast, meta=meta):
            found = rows(ctx)
            if type(found) is Row:
                return _cell_point(ctx, found, column, fast, meta)
            return [_cell_point(ctx, row, column, fast, meta) for row in found]
        return cells
    raise NotFast


def _point_of_field(path, decl, settings, meta):
    return lambda ctx, path=path, decl=decl, settings=settings, meta=meta: \
        _point(ctx, required_figure(ctx, path), decl, settings, meta)


def _point_constant(node):
    value = node.value * MONEY_UNITS[node.unit] if node.unit in MONEY_UNITS else node.value
    return lambda ctx: value


def _number(node, fast):  # noqa: C901 - one branch per node kind
    """A closure giving the printed value of a numeric expression (a list for several figures)."""
    t = type(node)
    if t is ast.Number:
        return fast.settings.leaf(("point-number", str(node.value), node.unit), lambda: _point_constant(node))
    if t in (ast.FieldRef, ast.Wildcard, ast.Column):
        return _figures(node, fast, "value")
    if t is ast.Unary:
        operand = _number(node.operand, fast)
        return lambda ctx, operand=operand: -_scalar(operand(ctx))
    if t is ast.Binary:
        linear = _linear(node, fast)
        if linear is not None:
            return linear
        return _binary_chain(node, fast)
    if t is ast.Comprehension:
        return _comprehension(node, fast)
    if t is ast.Call:
        return _call(node, fast)
    raise NotFast


def _binary_chain(node, fast):
    """``a * b / c + d …``: the links of a left-deep chain of operators (fiscalrules.chains) in one
    loop, recursing only into each link's right operand -- a sum of 5,000 products is as flat
    here as its text.  Operands are read left to right and combined in the order the nested
    operators would combine them: the same Decimal operations, the same results."""
    chain = links(node)
    first = _number(chain[0].left, fast)
    steps = tuple((link.op, _number(link.right, fast)) for link in chain)
    if len(steps) == 1:
        (op, right), = steps
        return _ONE_STEP[op](first, right)

    def binary_chain(ctx, first=first, steps=steps):
        value = _scalar(first(ctx))
        for op, operand in steps:
            other = _scalar(operand(ctx))
            if op == "+":
                value = value + other
            elif op == "-":
                value = value - other
            elif op == "*":
                value = value * other
            elif other == 0:
                raise NotFast  # the interval path reports the division by zero
            else:
                value = value / other
        return value
    return binary_chain


def _divide(left, right):
    def divide(ctx, left=left, right=right):
        numerator = _scalar(left(ctx))   # (read first: a missing numerator is reported first)
        denominator = _scalar(right(ctx))
        if denominator == 0:
            raise NotFast  # the interval path reports the division by zero
        return numerator / denominator
    return divide


# One operator: a closure of its own (most products and quotients are ``x / y * 100`` at most).
_ONE_STEP = {
    "+": lambda left, right: lambda ctx, left=left, right=right: _scalar(left(ctx)) + _scalar(right(ctx)),
    "-": lambda left, right: lambda ctx, left=left, right=right: _scalar(left(ctx)) - _scalar(right(ctx)),
    "*": lambda left, right: lambda ctx, left=left, right=right: _scalar(left(ctx)) * _scalar(right(ctx)),
    "/": _divide,
}


def _comprehension(node, fast):
    rows = _rows(node.source, fast)
    elem = _number(node.elem, fast)
    # A row the filter admits on printed values is in; one it excludes may still belong within
    # rounding, which only the interval path can say.
    where = _compile(node.cond, fast.rc) if node.cond is not None else None
    where_fast = compile_fast_condition(node.cond, fast.rc) if node.cond is not None else None
    final = node.cond is not None and decided_on_points(node.cond, fast.rc)
    var = node.var

    def admitted(ctx) -> bool:
        if where is None:
            return True
        if where_fast is not None:
            try:
                if where_fast(ctx):
                    return True
                if final:
                    return False
            except NotFast:
                pass
        return where(ctx)[0] != FAIL

    # A filter matching the row's text with one around it: only the rows an index of the table
    # gives are asked (fiscalrules.joins; the others fail it), the figures read being forgotten.
    join = _join_of(node, fast.rc)

    def comprehension(ctx):
        saved = ctx.vars.get(var)
        values = []
        try:
            found = rows(ctx)
            positions = join.positions(ctx, found) if join is not None else None
            for row in (found if positions is None else [found[i] for i in positions]):
                ctx.vars[var] = row
                if admitted(ctx):
                    values.append(_scalar(elem(ctx)))
        finally:
            ctx.vars[var] = saved
        return values
    return comprehension


def _call(node, fast):
    name = node.func
    if name in ("change", "pct"):
        return _figures(node.args[0], fast, name)
    if name == "prior":
        # the value less its stated change; a figure that states only a percentage has no change
        # here (_point: Missing), and its prior -- a quotient, values.implied_prior -- is the
        # interval path's to work out
        values, changes = _figures(node.args[0], fast, "value"), _figures(node.args[0], fast, "change")

        def prior(ctx, values=values, changes=changes):
            v, c = values(ctx), changes(ctx)
            if type(v) is list:
                return [a - b for a, b in zip(v, c)]
            return v - c
        return prior
    if name == "sum":
        args = [_number(a, fast) for a in node.args]

        def total(ctx, args=args):
            result = Decimal(0)
            for arg in args:
                value = arg(ctx)
                if type(value) is list:
                    for item in value:
                        result += item
                else:
                    result += value
            return result
        return total
    if name in ("min", "max"):
        args = [_number(a, fast) for a in node.args]
        pick = min if name == "min" else max

        def extreme(ctx, args=args, pick=pick):
            values = []
            for arg in args:
                value = arg(ctx)
                values.extend(value) if type(value) is list else values.append(value)
            if not values:
                raise NotFast
            return pick(values)
        return extreme
    if name == "abs":
        arg = _number(node.args[0], fast)
        return lambda ctx, arg=arg: abs(_scalar(arg(ctx)))
    if name == "level":
        row_of = _rows(node.args[0], fast)
        return lambda ctx, row_of=row_of: _LEVELS.get(len(row_of(ctx).code), _ZERO)
    if name == "count":
        try:
            rows = _rows(node.args[0], fast)
        except NotFast:
            values = _number(node.args[0], fast)
            return lambda ctx, values=values: Decimal(len(_as_list(values(ctx))))
        return lambda ctx, rows=rows: Decimal(len(_as_list(rows(ctx))))
    raise NotFast


_ZERO = Decimal(0)
_LEVELS = {length: Decimal(level) for length, level in LEVEL_OF_LENGTH.items()}


def _as_list(value):
    if type(value) is not list and type(value) is not RowView:   # RowView: a packed table's rows
        raise NotFast
    return value


def _scalar(value):
    if type(value) is list:
        raise NotFast
    return value
