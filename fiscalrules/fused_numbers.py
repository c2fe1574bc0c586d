"""Numbers for the fused per-record path (:mod:`fiscalrules.fused`): each numeric expression of a
rule compiled into two closures over ``(record, row)`` -- its printed value (a Decimal, money in
元) and its interval ``(point, lo, hi)`` -- computed by the general path's operations in the
general path's order (:meth:`Settings.to_quantity` for figures, then
:class:`~fiscalrules.values.Quantity`'s arithmetic and :mod:`fiscalrules.functions`' sums), so
that a comparison of them decides what the general path decides.  Anything these closures do
not compile raises :class:`NotFused`; anything out of the ordinary on a record (a missing
figure, a text where a number belongs, a division by zero, packed rows) raises, and the rule or
row goes to the general path.
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .compiler import _constant, _default_cell, _key_text
from .context import interval
from .functions import LEVEL_OF_LENGTH
from .recordmodel import Figure, Row, Table, figure_of
from .values import FAIL, INF, format_decimal

__all__ = ["NotFused", "Scope", "numeric", "table_rows", "key_of", "is_row_code", "row_key", "LEVELS", "ZERO"]

_NUMERIC_KINDS = ("amount", "count", "number", "percent")


class NotFused(Exception):
    """The rule uses a construct the fused path does not compile: the general path runs it."""


class Scope:
    """What compiling needs: the settings, the rule's tolerance, the variable ``row`` is, and
    how to compile a condition (a comprehension's filter: :func:`fiscalrules.fused._condition`)."""

    __slots__ = ("settings", "tolerance", "var", "condition")

    def __init__(self, settings, tolerance, var, condition):
        self.settings, self.tolerance, self.var, self.condition = settings, tolerance, var, condition

    def inner(self, var: str) -> Scope:
        return Scope(self.settings, self.tolerance, var, self.condition)


# ---- numbers: (point, interval, exact) -------------------------------------------------------------
# point(record, row) is the printed value as a Decimal (money in 元); interval(record, row) the
# (point, lo, hi) of the general path's Quantity, by the same operations in the same order;
# *exact* says it never has a rounding interval.

def numeric(node, sc):  # noqa: C901 - one branch per node kind
    t = type(node)
    if t is ast.Number:
        value = _constant(node)(None)
        point, bounds = value.point, (value.point, value.lo, value.hi)
        return (lambda record, row, point=point: point), (lambda record, row, bounds=bounds: bounds), True
    if t is ast.FieldRef:
        return _field(node.path, sc, "value")
    if t is ast.Column:
        return _cell(node, sc, "value")
    if t is ast.Binary:
        return _binary(node, sc)
    if t is ast.Unary:
        point, bounds, is_exact = numeric(node.operand, sc)
        return (lambda record, row, point=point: -point(record, row)), \
            (lambda record, row, bounds=bounds: _negative(bounds(record, row))), is_exact
    if t is ast.Call:
        return _call(node, sc)
    raise NotFused


def _negative(a):
    return -a[0], -a[2], -a[1]


def _absolute(a):
    """Quantity.__abs__ on (point, lo, hi)."""
    if a[1] >= 0:
        return a
    if a[2] <= 0:
        return _negative(a)
    return abs(a[0]), ZERO, max(-a[1], a[2])


def _field(path: str, sc, meta: str):
    settings = sc.settings
    decl = settings.decl_for(path)
    if decl is None or decl.kind not in _NUMERIC_KINDS:
        raise NotFused
    how = (decl, settings._plan(None, decl, meta), meta, settings)   # a figure printed without a unit of its own
    plan = how[1]
    if meta != "value" or plan[4] is not None:
        return (lambda record, row, path=path, how=how: _held_point(record.figure_values[path], path, how)), \
            (lambda record, row, path=path, how=how: _held_bounds(record.figure_values[path], path, how)), False

    # A figure's value, _point and _bounds inlined (most reads of most rules): one call less each.
    # The record holds most figures as their bare values (Record.figure_values).
    def value_point(record, row, path=path, how=how, factor=plan[0]):
        held = record.figure_values[path]
        if type(held) is Decimal:   # printed without a unit or precision of its own
            return held if factor is None else held * factor
        return _held_point(held, path, how)

    def value_bounds(record, row, path=path, how=how, plan=plan):
        held = record.figure_values[path]
        if type(held) is Decimal:
            return interval(held, None, plan)
        return _held_bounds(held, path, how)
    return value_point, value_bounds, False


_AT = {"value": 0, "change": 1, "pct": 2}   # (where each is in a record's (value, change, pct))


def _held_point(held, path: str, how):
    """:func:`_point` of what a record holds at *path* (Record.figure_values), its Figure made
    only where the settings' reading is needed."""
    kind = type(held)
    if kind is not Figure:
        # a bare value or (value, change, pct): printed without a unit or precision of its own
        plan, meta = how[1], how[2]
        raw = held[_AT[meta]] if kind is tuple else held if meta == "value" else None
        if plan[4] is None and type(raw) is Decimal:
            return raw if plan[0] is None else raw * plan[0]
        held = figure_of(path, held)
    return _point(held, how)


def _held_bounds(held, path: str, how):
    """:func:`_bounds` of what a record holds at *path*, as :func:`_held_point` reads it."""
    kind = type(held)
    if kind is not Figure:
        plan, meta = how[1], how[2]
        raw = held[_AT[meta]] if kind is tuple else held if meta == "value" else None
        if plan[4] is None and type(raw) is Decimal:
            return interval(raw, None, plan)   # (none has a precision of its own)
        held = figure_of(path, held)
    return _bounds(held, how)


def _point(figure, how):
    """The figure's printed value (or stated change / percentage) in base units: by the plan of
    a figure without a unit of its own where it applies, else by the settings."""
    decl, plan, meta, settings = how
    raw = figure.value if meta == "value" else figure.change if meta == "change" else figure.pct
    if plan[4] is None and figure.unit is None and type(raw) is Decimal:
        return raw if plan[0] is None else raw * plan[0]
    return settings.to_point(figure, decl, meta)


def _bounds(figure, how):
    """The figure's (point, lo, hi), as :func:`_point` reads it (:meth:`Settings.to_interval`'s,
    whose plan for a figure without a unit of its own is *how*'s)."""
    decl, plan, meta, settings = how
    if plan[4] is None and figure.unit is None:
        if meta == "value":
            if type(figure.value) is Decimal:
                return interval(figure.value, figure.precision, plan)
        else:   # a stated change or percentage: no precision of its own
            raw = figure.change if meta == "change" else figure.pct
            if type(raw) is Decimal:
                return interval(raw, None, plan)
    return settings.to_interval(figure, decl, meta)


def _cell(node: ast.Column, sc, meta: str):
    """A cell of one row: the bound row's (``r.total``) or a looked-up row's (``t["301"].total``)."""
    column, settings = node.name, sc.settings
    if column == "code":
        raise NotFused
    obj = node.obj
    if type(obj) is ast.VarRef:
        if obj.name != sc.var:
            raise NotFused   # an outer loop's row: the general path keeps every binding
        row_of = None
    elif type(obj) is ast.Lookup and type(obj.table) is ast.TableRef and (type(obj.key) in (ast.String, ast.Number)
                                                                        or is_row_code(obj.key, sc)):
        row_of = _lookup(obj, sc)
    else:
        raise NotFused
    hows: dict = {}   # table path -> how to read the column (see _point), worked out on first use

    def how_of(table: str):
        decl = settings.column_decl(table, column)
        if decl is None or decl.kind not in _NUMERIC_KINDS:
            raise NotFused   # undeclared or text: the general path says what it is
        found = hows[table] = (decl, settings._plan(None, decl, meta), meta, settings)
        return found

    defaults: dict = {}   # table path -> the column's default as compiler._cell makes it (see missing)

    def missing(row, hows=hows, how_of=how_of, defaults=defaults, column=column, meta=meta):
        """(point, interval) of a cell the row does not print: the column's default, which
        compiler._cell reads in its place (a stated change has none: Missing); else KeyError."""
        found = defaults.get(row.table)
        if found is None:
            decl = (hows.get(row.table) or how_of(row.table))[0]
            if meta != "value" or decl.default is None:
                raise KeyError(column)   # Missing: the general path's
            made = _default_cell(decl, settings)
            found = defaults[row.table] = (made.point, (made.point, made.lo, made.hi))
        return found

    if row_of is not None:   # a looked-up row: read as a field is
        def looked_up(record, row, row_of=row_of, column=column, hows=hows, how_of=how_of):
            found = row_of(record, row)
            return found.cell_values.get(column), found, column, hows.get(found.table) or how_of(found.table)

        def looked_up_point(record, row, looked_up=looked_up, missing=missing):
            value, found, column, how = looked_up(record, row)
            return missing(found)[0] if value is None else _cell_point(value, found, column, how)

        def looked_up_bounds(record, row, looked_up=looked_up, missing=missing):
            value, found, column, how = looked_up(record, row)
            return missing(found)[1] if value is None else _cell_bounds(value, found, column, how)
        return looked_up_point, looked_up_bounds, False

    def cell_point(record, row, column=column, hows=hows, how_of=how_of, missing=missing):
        # _cell_point inlined: the read of most checks (r.total = r.basic + r.project, for each row)
        value = row.cell_values.get(column)
        if value is None:
            return missing(row)[0]
        how = hows.get(row.table) or how_of(row.table)
        plan = how[1]
        if type(value) is Decimal and how[2] == "value" and plan[4] is None:
            return value if plan[0] is None else value * plan[0]
        return _point(value if type(value) is Figure else row.cells[column], how)

    def cell_bounds(record, row, column=column, hows=hows, how_of=how_of, missing=missing):
        # _cell_bounds inlined, as cell_point is
        value = row.cell_values.get(column)
        if value is None:
            return missing(row)[1]
        how = hows.get(row.table) or how_of(row.table)
        plan = how[1]
        if type(value) is Decimal and how[2] == "value" and plan[4] is None:
            return interval(value, None, plan)
        return _bounds(value if type(value) is Figure else row.cells[column], how)
    return cell_point, cell_bounds, False


# A row's cell printed without metadata is held as its bare value (Row.cell_values): a figure of
# no unit, precision, change or percentage.  These read it as _point and _bounds read that figure;
# any other cell (or a stated change of one) is read from its Figure.

def _cell_point(value, row, column, how):
    plan = how[1]
    if type(value) is Decimal and how[2] == "value" and plan[4] is None:
        return value if plan[0] is None else value * plan[0]
    return _point(value if type(value) is Figure else row.cells[column], how)   # (a Figure: the row's own)


def _cell_bounds(value, row, column, how):
    plan = how[1]
    if type(value) is Decimal and how[2] == "value" and plan[4] is None:
        return interval(value, None, plan)
    return _bounds(value if type(value) is Figure else row.cells[column], how)


def key_of(node) -> str:
    """A lookup key as the general path makes it (``compiler._key_text`` of the constant)."""
    return _key_text(_constant(node)(None) if type(node) is ast.Number else node.value)


def is_row_code(node, sc) -> bool:
    """``r.code`` of the bound row: a lookup key (``expenditure.function[r.code]``)."""
    return type(node) is ast.Column and node.name == "code" and type(node.obj) is ast.VarRef \
        and node.obj.name == sc.var


def row_key(settings):
    """The bound row's code as compiler._compile_lookup makes a key of ``r.code``
    (``_key_text`` of ``compiler._cell(row, "code")``): the row's code, or the text its code
    cell holds (digits read as a number formatted back); a code column of another kind raises
    (the general path's)."""
    kinds: dict = {}   # table path -> its code column's kind, worked out on first use

    def key(row, settings=settings, kinds=kinds):
        value = row.cell_values.get("code")
        if value is None:
            return row.code
        if type(value) is Figure:
            value = value.value
        kind = kinds.get(row.table)
        if kind is None:
            decl = settings.column_decl(row.table, "code")
            # (an undeclared code column: a text by its value, a number read as an amount)
            kind = kinds[row.table] = decl.kind if decl is not None else "undeclared"
        if kind == "undeclared" and type(value) is str:
            return value.strip()
        if kind != "text":
            raise NotFused
        if type(value) is Decimal:   # digits a reader read as a number: the text column formats them
            return format_decimal(value).strip()
        if type(value) is not str:
            raise NotFused
        return value.strip()
    return key


def _lookup(node: ast.Lookup, sc):
    """The row a lookup finds, ``(record, row) -> Row``: by a constant code, or the bound row's."""
    path = node.table.path
    if is_row_code(node.key, sc):
        key = row_key(sc.settings)

        def lookup_by_row(record, row, path=path, key=key):
            table = record.tables[path]
            if type(table) is not Table:
                raise NotFused   # packed rows: the general path's
            return table.by_code[key(row)]
        return lookup_by_row
    code = key_of(node.key)

    def lookup(record, row, path=path, code=code):
        table = record.tables[path]
        if type(table) is not Table:
            raise NotFused   # packed rows: the general path's
        return table.by_code[code]
    return lookup


def _binary(node: ast.Binary, sc):
    if node.op in ("+", "-"):
        return _chain(node, sc)
    left_point, left_interval, left_exact = numeric(node.left, sc)
    right_point, right_interval, right_exact = numeric(node.right, sc)
    is_exact = left_exact and right_exact
    if node.op == "*":
        return (lambda record, row, a=left_point, b=right_point: a(record, row) * b(record, row)), \
            (lambda record, row, a=left_interval, b=right_interval: _product(a(record, row), b(record, row))), \
            is_exact

    def divide_point(record, row, a=left_point, b=right_point):
        numerator, denominator = a(record, row), b(record, row)
        if denominator == 0:
            raise NotFused   # the general path reports the division by zero
        return numerator / denominator
    return divide_point, \
        (lambda record, row, a=left_interval, b=right_interval: _quotient(a(record, row), b(record, row))), is_exact


def _product(a, b):
    """Quantity.__mul__ on (point, lo, hi)."""
    if a[1] == a[2] and b[1] == b[2]:
        product = a[1] * b[1]
        return a[0] * b[0], product, product
    products = [x * y for x in (a[1], a[2]) for y in (b[1], b[2])]
    return a[0] * b[0], min(products), max(products)


def _quotient(a, b):
    """Quantity.__truediv__ on (point, lo, hi)."""
    if b[0] == 0:
        raise NotFused
    point = a[0] / b[0]
    if b[1] <= 0 <= b[2]:
        return point, -INF, INF
    bounds = [x / y for x in (a[1], a[2]) for y in (b[1], b[2])]
    return point, min(bounds), max(bounds)


def _chain(node: ast.Binary, sc):
    """``a + b - c …`` term by term, left to right, as ``compiler._compile_chain`` adds them."""
    terms = []
    while type(node) is ast.Binary and node.op in ("+", "-"):
        terms.append((node.op == "+", numeric(node.right, sc)))
        node = node.left
    terms.reverse()
    first_point, first_interval, is_exact = numeric(node, sc)
    is_exact = is_exact and all(term[2] for _, term in terms)
    points = tuple((add, term[0]) for add, term in terms)
    intervals = tuple((add, term[1]) for add, term in terms)

    def chain_point(record, row, first=first_point, terms=points):
        total = first(record, row)
        for add, term in terms:
            if add:
                total = total + term(record, row)
            else:
                total = total - term(record, row)
        return total

    def chain_interval(record, row, first=first_interval, terms=intervals):
        point, lo, hi = first(record, row)
        for add, term in terms:
            value = term(record, row)
            if add:
                point, lo, hi = point + value[0], lo + value[1], hi + value[2]
            else:
                point, lo, hi = point - value[0], lo - value[2], hi - value[1]
        return point, lo, hi
    return chain_point, chain_interval, is_exact


# ---- functions and lists ---------------------------------------------------------------------------

def _call(node: ast.Call, sc):  # noqa: C901 - one branch per function
    name = node.func
    if name in ("change", "pct"):
        arg = node.args[0]
        if type(arg) is ast.FieldRef:
            return _field(arg.path, sc, name)
        if type(arg) is ast.Column:
            return _cell(arg, sc, name)
        raise NotFused
    if name == "prior":
        value, change = numeric(node.args[0], sc), _call(ast.Call("change", node.args), sc)

        def prior_interval(record, row, v=value[1], c=change[1]):
            a, b = v(record, row), c(record, row)
            return a[0] - b[0], a[1] - b[2], a[2] - b[1]
        return (lambda record, row, v=value[0], c=change[0]: v(record, row) - c(record, row)), prior_interval, False
    if name == "abs":
        point, bounds, is_exact = numeric(node.args[0], sc)
        return (lambda record, row, point=point: abs(point(record, row))), \
            (lambda record, row, bounds=bounds: _absolute(bounds(record, row))), is_exact
    if name == "level":
        row_of = _row(node.args[0], sc)

        def level(record, row, row_of=row_of, levels=LEVELS):
            return levels.get(len(row_of(record, row).code), ZERO)
        return level, (lambda record, row, level=level: _exact(level(record, row))), True
    if name == "count":
        count = _count_of(node.args[0], sc)
        if count is not None:
            return count, (lambda record, row, count=count: _exact(count(record, row))), True
        rows = _rows(node.args[0], sc)

        def count(record, row, rows=rows):
            found = rows(record, row)
            if type(found) is not list:
                raise NotFused
            return Decimal(len(found))
        return count, (lambda record, row, count=count: _exact(count(record, row))), True
    if name == "coalesce":
        return _coalesce(node, sc)
    if name in ("sum", "min", "max"):
        if len(node.args) != 1:
            raise NotFused
        points, intervals = _list(node.args[0], sc)
        if name == "sum":
            def sum_point(record, row, points=points, zero=ZERO):
                # functions._sum's point: the first number, plus each next one in turn (none: 0)
                values = points(record, row)
                if not values:
                    return zero
                total = values[0]
                for value in values[1:]:
                    total = total + value
                return total
            return sum_point, \
                (lambda record, row, intervals=intervals: _interval_sum(intervals(record, row))), False
        pick = min if name == "min" else max

        def extreme_point(record, row, points=points, pick=pick):
            values = points(record, row)
            if not values:
                raise NotFused   # the general path's "min()/max() of nothing"
            return pick(values)

        def extreme_interval(record, row, intervals=intervals, pick=pick):
            values = intervals(record, row)
            if not values:
                raise NotFused
            return pick(v[0] for v in values), pick(v[1] for v in values), pick(v[2] for v in values)
        return extreme_point, extreme_interval, False
    raise NotFused


def _count_of(arg, sc):
    """``count()`` of a wildcard's figures (``count(staff.authorized.*)``: the figures the general
    path reads, each read as it reads them, so that one it cannot read raises here too) or of the
    rows a filter keeps (``count(r for r in T where …)``: as compiler._iterate keeps them, the
    filter's outcome not FAIL) -- as a closure, or None for any other list (_rows' own).  Most
    preconditions of the bundled rulesets that count are of these two kinds: without them, their
    rules' general closures were built in every audit."""
    if type(arg) is ast.Wildcard:
        points = _wildcard(arg.prefix, sc, "value")[0]
        return lambda record, row, points=points: Decimal(len(points(record, row)))
    if type(arg) is not ast.Comprehension or type(arg.elem) is not ast.VarRef or arg.elem.name != arg.var:
        return None   # (an element other than the row itself is read, and may be missing: _rows refuses it)
    rows = _rows(arg.source, sc)
    where = sc.condition(arg.cond, sc.inner(arg.var)) if arg.cond is not None else None

    def count_kept(record, row, rows=rows, where=where, fail=FAIL):
        found = rows(record, row)
        if type(found) is not list:
            raise NotFused
        if where is None:
            return Decimal(len(found))
        return Decimal(sum(1 for r in found if where(record, r) != fail))
    return count_kept


def _coalesce(node: ast.Call, sc):
    """``coalesce(field, …, last)`` as functions.compile_call reads it: the first field the record
    prints, else the last option.  Only fields without a default before the last (a figure is
    missing exactly when the record does not have it); a field printed but unreadable raises, as
    the general path's reading does."""
    options = []
    for option in node.args[:-1]:
        decl = sc.settings.decl_for(option.path) if type(option) is ast.FieldRef else None
        if decl is None or decl.default is not None:
            raise NotFused
        options.append((option.path, *numeric(option, sc)[:2]))
    last_point, last_bounds, _ = numeric(node.args[-1], sc)

    def first_printed(which: int, last):   # which: 1 the points' closures, 2 the intervals'
        def picked(record, row, options=options, which=which, last=last):
            figures = record.figure_values
            for option in options:
                if option[0] in figures:
                    return option[which](record, row)
            return last(record, row)
        return picked
    return first_printed(1, last_point), first_printed(2, last_bounds), False


ZERO = Decimal(0)
LEVELS = {length: Decimal(level) for length, level in LEVEL_OF_LENGTH.items()}


def _exact(value):
    return value, value, value


def _interval_sum(values):
    if not values:
        return ZERO, ZERO, ZERO
    point, lo, hi = values[0]
    for value in values[1:]:
        point, lo, hi = point + value[0], lo + value[1], hi + value[2]
    return point, lo, hi


def _list(node, sc):
    """(points, intervals) closures of a list of numbers: a wildcard's figures (or their stated
    changes), a column of rows, a comprehension -- or one number, as a list of one."""
    t = type(node)
    if t is ast.Wildcard:
        return _wildcard(node.prefix, sc, "value")
    if t is ast.Call and node.func in ("change", "pct") and type(node.args[0]) is ast.Wildcard:
        return _wildcard(node.args[0].prefix, sc, node.func)
    column, meta = node, "value"
    if t is ast.Call and node.func in ("change", "pct") and type(node.args[0]) is ast.Column:
        # sum(change(appropriation.function.amount)): each row's stated change, as change(r.amount)
        column, meta = node.args[0], node.func
    if type(column) is ast.Column and type(column.obj) is not ast.VarRef and type(column.obj) is not ast.Lookup:
        rows = _rows(column.obj, sc)
        point, bounds, _ = _cell(ast.Column(ast.VarRef("."), column.name), sc.inner("."), meta)
        return _over_rows(rows, point, bounds, None)
    if t is ast.Comprehension:
        rows = _rows(node.source, sc)
        inner = sc.inner(node.var)
        point, bounds, _ = numeric(node.elem, inner)
        where = sc.condition(node.cond, inner) if node.cond is not None else None
        return _over_rows(rows, point, bounds, where)
    point, bounds, _ = numeric(node, sc)
    return (lambda record, row, point=point: [point(record, row)]), \
        (lambda record, row, bounds=bounds: [bounds(record, row)])


def _wildcard(prefix: str, sc, meta: str):
    settings = sc.settings
    hows: dict = {}   # figure path -> how to read it (see _point), worked out on first use

    def how_of(path: str):
        decl = settings.decl_for(path)
        found = hows[path] = (decl, settings._plan(None, decl, meta), meta, settings)
        return found

    def paths(record, prefix=prefix):
        found = record.under_paths(prefix)
        if not found or record.unread_under(prefix):
            raise NotFused   # the general path's missing figure
        return found

    def points(record, row, paths=paths, hows=hows, how_of=how_of):
        held = record.figure_values
        return [_held_point(held[p], p, hows.get(p) or how_of(p)) for p in paths(record)]

    def intervals(record, row, paths=paths, hows=hows, how_of=how_of):
        held = record.figure_values
        return [_held_bounds(held[p], p, hows.get(p) or how_of(p)) for p in paths(record)]
    return points, intervals


def _over_rows(rows, point, bounds, where):
    """A number per row of *rows* that *where* does not exclude (its outcome FAIL), each row
    bound as the inner scope's ``row``."""
    def points(record, row, rows=rows, point=point, where=where):
        if where is None:
            return [point(record, r) for r in rows(record, row)]
        return [point(record, r) for r in rows(record, row) if where(record, r) != FAIL]

    def intervals(record, row, rows=rows, bounds=bounds, where=where):
        if where is None:
            return [bounds(record, r) for r in rows(record, row)]
        return [bounds(record, r) for r in rows(record, row) if where(record, r) != FAIL]
    return points, intervals


def _row(node, sc):
    if type(node) is ast.VarRef and node.name == sc.var:
        return lambda record, row: row
    raise NotFused


def _rows(node, sc):
    """A list of rows: a table's (``tables.function``) or a row's children (``children(r)``)."""
    if type(node) is ast.TableRef:
        rows_of = table_rows(node, sc)
        return lambda record, row, rows_of=rows_of: rows_of(record)
    if type(node) is ast.Call and node.func == "children":
        _row(node.args[0], sc)   # the bound row's children only

        def children(record, row):
            if type(row) is not Row:
                raise NotFused
            return record.tables[row.table].children_of(row.code)
        return children
    raise NotFused


def table_rows(node, sc):
    if type(node) is not ast.TableRef:
        raise NotFused

    def rows_of(record, path=node.path):
        table = record.tables[path]
        if type(table) is not Table:
            raise NotFused   # packed rows: the general path's
        return table.rows
    return rows_of
