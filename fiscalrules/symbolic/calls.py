"""The rule language's functions over a record's structure (:class:`_Calls`, a base of
:class:`~.linear._Sym`): ``sum``, ``min``, ``max``, ``abs`` and ``round`` of linear forms (``sum``
of linear forms stays linear, the others become functions of the variables, :class:`~.forms.NL`),
``change`` / ``pct`` / ``prior`` as the figures' stated metadata (variables of their own),
``present`` and ``coalesce`` decided by what the record holds, ``children`` / ``parent`` /
``level`` by its table codes, ``contains`` and ``count``.  What the evaluator computes for each
function (:mod:`fiscalrules.functions`), over values; the rest of the symbolic evaluation is
:mod:`.linear`'s.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .. import ast
from ..functions import _flatten, _level
from ..records import Row
from ..rowstore import RowView
from ..values import MONEY_UNITS
from .forms import _ONE, _ZERO, NL, TRUE, Known, Lin, Txt, _deps, _fn, _Missing, _Problem, _to_decimal, _Unsupported


class _Calls:
    """``_Call`` -- a function of the rule language, by its name -- and the stated metadata of
    figures (``change``, ``pct``), for :class:`~.linear._Sym`, which evaluates the arguments
    (``ev``, ``ev_all``, ``_num``, ``_gather``) and makes the figures' variables (``numvar``,
    ``under``)."""

    def _Call(self, node):  # noqa: C901 - one branch per function
        name = node.func
        if name in ("change", "pct"):
            return self.stated(node.args[0], name)
        if name == "prior":
            values, changes = self.ev(node.args[0]), self.stated(node.args[0], "change")
            if isinstance(values, list):
                return [a - b for a, b in zip(values, changes)]
            return values - changes
        if name == "present":
            try:
                self.ev(node.args[0])
            except _Missing as exc:
                return Known(False, [("add", e) for e in exc.entries])
            return TRUE
        if name == "coalesce":
            for arg in node.args[:-1]:
                try:
                    return self.ev(arg)
                except _Missing as exc:
                    self.soft.extend(exc.entries)
                    continue
            return self.ev(node.args[-1])
        if name == "children":
            row = self.ev(node.args[0])
            return self.record.tables[row.table].children_of(row.code)
        if name == "parent":
            row = self.ev(node.args[0])
            found = self.record.tables[row.table].parent_of(row.code)
            if found is None:
                raise _Missing([("parent", row.table, row.code)])
            return found
        if name == "level":
            return Lin.whole(_level(self.ev(node.args[0]).code))
        if name == "contains":
            hay, needle = (self.ev(a) for a in node.args)
            h = hay.value if isinstance(hay, Txt) else str(hay)
            n = needle.value if isinstance(needle, Txt) else str(needle)
            # the flip makes it the other way: a text with the part where it lacks it, and one
            # without it where it has it (a `not contains(r.name, "结转")` filter is solved too)
            found = n in h
            flips = [("text", hay.var, ("lacks" if found else "contains", n))] if isinstance(hay, Txt) and hay.var else []
            return Known(found, flips)
        if name == "count":
            items = self.ev(node.args[0])
            if not isinstance(items, (list, RowView)):
                raise _Problem("count() of something that is not a list")
            return Lin.whole(len(items))
        args = self.ev_all(node.args)
        if name == "sum":
            values = [self._num(v) for v in _flatten(args)]
            if not values:
                return Lin.whole(0)
            if all(isinstance(v, Lin) for v in values):
                return Lin.sum_of(values)
            fns, deps = _functions_of(values)
            return NL(lambda vals: sum((f(vals) for f in fns), _ZERO), deps, values[0].dim)
        if name in ("min", "max", "abs", "round"):
            values = [self._num(v) for v in _flatten(args[:1] if name == "round" else args)]
            if not values:
                raise _Problem(f"{name}() of nothing")
            pick = {"min": min, "max": max}.get(name)
            fns, deps = _functions_of(values)
            dim = values[0].dim
            if name == "abs":
                f0 = fns[0]
                return NL(lambda vals: abs(f0(vals)), deps, dim)
            if name == "round":
                places = int(node.args[1].value) if len(node.args) == 2 else 0
                f0 = fns[0]
                unit = Fraction(MONEY_UNITS[self.plan.default_unit or "元"]) if dim == "money" else _ONE
                return NL(lambda vals: _round_fraction(f0(vals) / unit, places) * unit, deps, dim)
            return NL(lambda vals: pick(f(vals) for f in fns), deps, dim)
        raise _Unsupported(f"function {name}")

    def stated(self, node, func):
        meta = "pct" if func == "pct" else "change"
        if isinstance(node, ast.FieldRef):
            figure = self.record.figures.get(node.path)
            if figure is None:
                raise _Missing([("field", node.path)])
            return self.meta_var(figure, self.plan.decl_for(node.path), meta)
        if isinstance(node, ast.Wildcard):
            return self._gather(lambda f: self.meta_var(f, self.plan.decl_for(f.path), meta), self.under(node.prefix))
        if isinstance(node, ast.Column):
            obj = self.ev(node.obj)
            rows = [obj] if isinstance(obj, Row) else obj

            def one(row):
                figure = row.cells.get(node.name)
                if figure is None:
                    raise _Missing([("cell", row.table, row.code, node.name)])
                return self.meta_var(figure, self.plan.column_decl(row.table, node.name), meta)
            values = self._gather(one, rows)
            return values[0] if isinstance(obj, Row) else values
        raise _Unsupported("change() of a computed value")

    def meta_var(self, figure, decl, meta):
        if getattr(figure, meta) is None:
            raise _Missing([("meta", figure.path, meta)])
        return self.numvar(figure, decl, meta)

def _functions_of(values: list) -> tuple[list, frozenset]:
    """The function of the variables each of *values* is, and the variables they depend on."""
    return [_fn(v) for v in values], frozenset().union(*(_deps(v) for v in values))


def _round_fraction(x: Fraction, places: int) -> Fraction:
    """round() as the evaluator does it: half up (money in the ruleset's unit, see the caller)."""
    d = _to_decimal(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Fraction(d)

