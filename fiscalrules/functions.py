"""Built-in functions: ``sum count abs min max round change prior pct present coalesce children
parent level contains startswith length similarity`` -- how each is compiled into a closure.

Their signatures and type rules are checked in :mod:`fiscalrules.checker` (``FUNCTIONS``).
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from . import ast
from .compiler import _FALSE, _TRUE, EvalProblem, Missing, _compile, _number, figures_under, required_figure
from .context import UnreadMissing
from .records import Row
from .values import MONEY_UNITS, Quantity, exact, implied_prior

__all__ = ["compile_call"]


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
    matched = _matched(a, b)
    return (Decimal(2 * matched) / Decimal(len(a) + len(b))).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


def _matched(a: str, b: str) -> int:
    """How many characters ``difflib.SequenceMatcher(None, a, b, autojunk=False)`` matches: the
    sizes of its matching blocks, summed -- its algorithm (Ratcliff/Obershelp: the longest
    common block, earliest in *a* then in *b*, then the same on each side of it), written out
    for the case without junk.  Importing difflib cost every audit of a document with projects
    ~5.7 M instructions (~2 ms) for this one sum; tests/test_similarity.py holds the two equal."""
    where: dict = {}   # each character of b -> its positions in b, ascending
    for j, char in enumerate(b):
        where.setdefault(char, []).append(j)
    total = 0
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        # difflib's find_longest_match: lengths of the common blocks ending at (i, j)
        best_i, best_j, best = alo, blo, 0
        ending: dict = {}
        for i in range(alo, ahi):
            previous, ending = ending, {}
            for j in where.get(a[i], ()):
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = ending[j] = previous.get(j - 1, 0) + 1
                if k > best:
                    best_i, best_j, best = i - k + 1, j - k + 1, k
        if best:
            total += best
            if alo < best_i and blo < best_j:
                pending.append((alo, best_i, blo, best_j))
            if best_i + best < ahi and best_j + best < bhi:
                pending.append((best_i + best, ahi, best_j + best, bhi))
    return total


# Classification level by code length: 类 3 digits, 款 5, 项 7 (0 for anything else).
LEVEL_OF_LENGTH = {3: 1, 5: 2, 7: 3}


def _level(code: str) -> int:
    return LEVEL_OF_LENGTH.get(len(code), 0)


def _stated(node, rc, meta: str):
    """Closure yielding the stated change (or percentage) of the figures an expression reads."""
    settings = rc.settings
    if isinstance(node, ast.FieldRef):
        return settings.leaf(("stated", node.path, meta), lambda: _stated_figure(node.path, meta, settings))
    if isinstance(node, ast.Wildcard):
        return settings.leaf(("stated", node.prefix + ".*", meta), lambda: _stated_figures(node.prefix, meta, settings))
    source = _compile(node.obj, rc)
    column = node.name

    def of_rows(ctx, source=source, column=column, meta=meta, settings=settings):
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


def _stated_figure(path, meta, settings):
    decl = settings.decl_for(path)

    return lambda ctx, path=path, decl=decl, meta=meta, settings=settings: \
        _meta_quantity(ctx, required_figure(ctx, path), decl, meta, settings)


def _stated_figures(prefix, meta, settings):
    def many(ctx, prefix=prefix, meta=meta, settings=settings):
        return [_meta_quantity(ctx, f, settings.decl_for(f.path), meta, settings)
                for f in figures_under(ctx, prefix)]
    return many


def _meta_quantity(ctx, figure, decl, meta, settings):
    if meta == "basis":
        return _basis(ctx, figure, decl, settings)
    stated = figure.change if meta == "change" else figure.pct
    if stated is None:
        raise Missing(f"{figure.path} ({'stated change' if meta == 'change' else 'stated percentage'})")
    ctx.trace.append((figure, decl))
    return settings.to_quantity(figure, decl, meta)


def _basis(ctx, figure, decl, settings):
    """What ``prior()`` finds last year's figure from: the stated change (the figure less it),
    else the stated percentage (the figure divided by 1 + it / 100, see values.implied_prior)."""
    if figure.change is not None:
        meta = "change"
    elif figure.pct is not None:
        meta = "pct"
    else:
        raise Missing(f"{figure.path} (stated change or percentage)")
    ctx.trace.append((figure, decl))
    return meta, settings.to_quantity(figure, decl, meta), figure.path


def _prior(value: Quantity, basis) -> Quantity:
    meta, stated, path = basis
    if meta == "change":
        return value - stated
    prior = implied_prior(value, stated)
    if prior is None:
        raise Missing(f"{path} (last year's figure: a fall of 100 % or more implies none)")
    return prior


def compile_call(node: ast.Call, rc):  # noqa: C901 - one branch per function
    name = node.func
    if name in ("change", "pct"):
        return _stated(node.args[0], rc, "change" if name == "change" else "pct")
    if name == "prior":
        # last year's figure: the value less its stated change, or -- where only a percentage
        # is stated ("比上年增长4.55%") -- the value divided by 1 + the percentage / 100, an
        # interval from both printed precisions (docs/language.md, change/prior/pct)
        values, bases = _compile(node.args[0], rc), _stated(node.args[0], rc, "basis")

        def prior(ctx, values=values, bases=bases):
            v, b = values(ctx), bases(ctx)
            if isinstance(v, list):
                return [_prior(a, basis) for a, basis in zip(v, b)]
            return _prior(v, b)
        return prior
    if name == "present":
        inner = _compile(node.args[0], rc)

        def present(ctx, inner=inner):
            try:
                inner(ctx)
            except UnreadMissing:   # printed, not read: not "absent"
                raise
            except Missing:
                return _FALSE
            return _TRUE
        return present
    if name == "coalesce":
        options = [_compile(a, rc) for a in node.args]

        def coalesce(ctx, options=options):
            for option in options[:-1]:
                try:
                    return option(ctx)
                except UnreadMissing:   # printed, not read: not "absent"
                    raise
                except Missing:
                    continue
            return options[-1](ctx)
        return coalesce
    args = [_compile(a, rc) for a in node.args]
    if name == "sum":
        if len(args) == 1:
            only = args[0]
            return lambda ctx, only=only: _sum([only(ctx)])
        return lambda ctx, args=args: _sum([a(ctx) for a in args])
    if name == "count":
        arg = args[0]
        return lambda ctx, arg=arg: exact(Decimal(len(arg(ctx))))
    if name == "abs":
        arg = args[0]
        return lambda ctx, arg=arg: abs(_number(arg(ctx)))
    if name in ("min", "max"):
        pick_min = name == "min"
        return lambda ctx, args=args, pick_min=pick_min: _extreme([a(ctx) for a in args], pick_min)
    if name == "round":
        arg = args[0]
        places = int(node.args[1].value) if len(node.args) == 2 else 0
        scale = MONEY_UNITS.get(rc.settings.display_unit, Decimal(1))
        return lambda ctx, arg=arg, places=places, scale=scale: _round(_number(arg(ctx)), places, scale)
    if name == "children":
        arg = args[0]

        def children(ctx, arg=arg):
            row = arg(ctx)
            return ctx.record.tables[row.table].children_of(row.code)
        return children
    if name == "parent":
        arg = args[0]

        def parent(ctx, arg=arg):
            row = arg(ctx)
            found = ctx.record.tables[row.table].parent_of(row.code)
            if found is None:
                raise Missing(f"{row.table}[{row.code}] (parent row)")
            return found
        return parent
    if name == "level":
        arg = args[0]
        return lambda ctx, arg=arg: exact(Decimal(_level(arg(ctx).code)))
    if name == "contains":
        haystack, needle = args
        return lambda ctx, needle=needle, haystack=haystack: _TRUE if str(needle(ctx)) in str(haystack(ctx)) else _FALSE
    if name == "startswith":
        text, prefix = args
        return lambda ctx, text=text, prefix=prefix: _TRUE if str(text(ctx)).startswith(str(prefix(ctx))) else _FALSE
    if name == "length":
        text = args[0]
        return lambda ctx, text=text: exact(Decimal(len(str(text(ctx)))))
    if name == "similarity":
        first, second = args
        return lambda ctx, first=first, second=second: exact(_similarity(str(first(ctx)), str(second(ctx))))
    raise TypeError(f"unknown function {name}")  # pragma: no cover - the checker refuses it
