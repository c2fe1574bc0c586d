"""What the symbolic evaluation needs to know of a ruleset (:class:`SymbolicPlan`: declarations,
units, tolerances; :func:`walk` and :func:`table_of` to read rules statically) and of a record's
figures (:func:`values_and_radii`: each figure variable's printed value and the half-width of the
interval it stands for).
"""

from __future__ import annotations

import weakref
from decimal import Decimal, localcontext
from fractions import Fraction

from .. import ast
from ..evaluator import _tolerance
from ..loader import Ruleset
from ..records import Record
from ..rowstore import PackedTable
from ..values import CONTEXT, MONEY_UNITS, Tolerance, dimension_of

_ZERO = Fraction(0)
_ONE = Fraction(1)


class SymbolicPlan:
    """The ruleset's declarations, units and tolerances, as the symbolic evaluation reads them."""

    def __init__(self, ruleset: Ruleset):
        checked = ruleset.checked
        self.checked = checked
        self.settings = settings = ruleset.settings
        self.decl_for = settings.decl_for          # the evaluator's own declaration lookups
        self.column_decl = settings.column_decl
        self.fields = checked.fields
        self.default_unit = checked.default_unit
        self.precisions = checked.precisions
        self.rules = list(checked.rules)
        self.compiled = {rule.id: rule for rule in ruleset.rules}
        # (id(declaration), meta, printed unit) → a figure variable's (factor, dimension), or None
        # where it cannot be one (see symbolic.linear._variable_facts); with the declarations
        # keyed, held so that their ids stay theirs
        self.variable_facts: dict = {}
        self.variable_decls: list = []
        self.number_values: dict = {}   # id(a Number node) → (the node, its constant form)
        # (path, meta, printed unit) → (variable, factor, its linear form): see _Sym.numvar
        self.variable_lins: dict = {}
        self.tolerances: dict = {}      # rule id → (the rule, its tolerance), worked out once
        self.default_values: dict = {}  # id(a declaration) → (it, the form of its default value)

    def unit_of(self, decl, meta="value", figure_unit=None) -> str | None:
        if meta == "pct":
            return "%"
        kind = decl.kind if decl is not None else "amount"
        unit = figure_unit or (decl.unit if decl is not None else None)
        if unit is None and kind == "amount":
            unit = self.default_unit or "元"
        elif unit is None and kind == "percent":
            unit = "%"
        return unit

    def tolerance(self, rule: ast.Rule) -> Tolerance:
        return _tolerance(rule.tolerance, self.settings)


def walk(node):
    """Every expression node under *node* (resolved AST), depth first, without recursion limits."""
    stack = [node]
    is_node = _IS_NODE
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        names = _CHILD_FIELDS.get(type(current))
        for name in _child_fields(type(current)) if names is None else names:
            value = getattr(current, name)
            if isinstance(value, tuple):
                stack.extend([v for v in value if is_node.get(type(v)) or _is_node(type(v))])
            else:
                known = is_node.get(type(value))
                if known or (known is None and _is_node(type(value))):
                    stack.append(value)


# A ruleset's footprints walk every node of every rule on each CLI run: the fields
# of a node class is looked up once per class, not once per node, and its span (never walked)
# is not among the fields read.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {str: False, int: False, bool: False, type(None): False, Decimal: False}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(name for name in ast.node_fields(cls) or () if name != "_span")
    return names


def _is_node(cls: type) -> bool:
    known = _IS_NODE.get(cls)
    if known is None:
        known = _IS_NODE[cls] = ast.node_fields(cls) is not None
    return known


def table_of(node, row_vars: dict) -> str | None:
    """The table whose rows *node* (a row variable, a lookup, a table, children()/parent() of
    one) stands for; None when it cannot be told statically."""
    if isinstance(node, ast.VarRef):
        return row_vars.get(node.name)
    if isinstance(node, ast.Lookup) and isinstance(node.table, ast.TableRef):
        return node.table.path
    if isinstance(node, ast.TableRef):
        return node.path
    if isinstance(node, ast.Call) and node.func in ("children", "parent") and node.args:
        return table_of(node.args[0], row_vars)
    return None


_PLANS: "weakref.WeakKeyDictionary[Ruleset, SymbolicPlan]" = weakref.WeakKeyDictionary()


def symbolic_plan(ruleset: Ruleset) -> SymbolicPlan:
    """The plan of *ruleset*, made once per ruleset."""
    plan = _PLANS.get(ruleset)
    if plan is None:
        plan = _PLANS[ruleset] = SymbolicPlan(ruleset)
    return plan


def figure_index(rec: Record) -> dict:
    """Every figure of a record by path: scalar figures and table cells.  The cells of a packed
    table (:mod:`fiscalrules.rowstore`) are found when asked for with ``get``, not listed: its
    rows are made when read, and hold plain values (no printed place for ``values()`` to give)."""
    packed = [table for table in rec.tables.values() if type(table) is PackedTable]
    index = _FigureIndex(rec.figures) if packed else dict(rec.figures)
    for table in rec.tables.values():
        if type(table) is PackedTable:
            continue
        for row in table.rows:
            for figure in row.cells.values():
                index[figure.path] = figure
    if packed:
        index.packed = packed
    return index


class _FigureIndex(dict):
    """:func:`figure_index` of a record with packed tables: their cells looked up by path."""

    packed: list = []

    def get(self, path, default=None):
        found = dict.get(self, path)
        if found is not None:
            return found
        for table in self.packed:
            if path.startswith(table.path + "[") and "]." in path:
                code, _, column = path[len(table.path) + 1:].rpartition("].")
                row = table.by_code.get(code)
                figure = row.cells.get(column) if row is not None else None
                if figure is not None and figure.path == path:
                    return figure
        return default


def values_and_radii(ruleset: Ruleset, rec: Record, figures: dict, index: dict | None = None) -> tuple:
    """For each figure variable ``(path, meta)`` of *figures* (as the symbolic evaluation lists
    them: key → (Figure, declaration)): its printed value and the half-width of the interval it
    stands for, both exact and in the figure's printed unit.  Figures the evaluator cannot read
    as numbers are left out."""
    index = figure_index(rec) if index is None else index
    settings = ruleset.settings
    values, radii = {}, {}
    with localcontext(CONTEXT):
        for key, (_, decl) in figures.items():
            path, meta = key
            figure = index.get(path)
            if figure is None:
                continue
            raw = figure.value if meta == "value" else getattr(figure, meta)
            if not isinstance(raw, Decimal) or isinstance(raw, bool):
                continue
            try:
                q = settings.to_quantity(figure, decl, meta)
            except Exception:  # noqa: BLE001 - a figure the evaluator cannot read: not modelled
                continue
            # In integer ratios, the Fractions of before: value = raw, factor = point / raw and
            # radius = (hi - point) / factor (a Fraction from a Decimal is slow to make).
            raw_num, raw_den = raw.as_integer_ratio()
            values[key] = Fraction(raw_num, raw_den)
            half_num, half_den = (q.hi - q.point).as_integer_ratio()
            if raw:
                point_num, point_den = q.point.as_integer_ratio()
                radii[key] = Fraction(half_num * point_den * raw_num, half_den * point_num * raw_den) \
                    if point_num else _ZERO
            else:
                factor = _unit_factor(ruleset, figure, decl, meta)
                radii[key] = Fraction(half_num, half_den) / factor if factor else _ZERO
    return values, radii


def _unit_factor(ruleset, figure, decl, meta) -> Fraction:
    unit = symbolic_plan(ruleset).unit_of(decl, meta, figure.unit)
    return Fraction(MONEY_UNITS[unit]) if dimension_of(unit) == "money" else _ONE
