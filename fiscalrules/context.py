"""What compiled closures run against: the ruleset's :class:`Settings` (declarations, units,
precisions, and how a printed figure becomes a quantity), the per-record :class:`Context`, and the
two ways a closure gives up on a record (:class:`Missing`, :class:`EvalProblem`).

:mod:`fiscalrules.compiler` builds closures over these; :mod:`fiscalrules.evaluator` runs them
and turns the two exceptions into findings.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .errors import clipped, shown
from .records import Figure
from .values import MONEY_UNITS, Quantity, contradicts_kind, dimension_of, printed_precision

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["Missing", "EvalProblem", "Context", "Settings", "TableGiven", "UNREAD_NOTE", "unread_missing",
           "unread_items", "UnreadMissing"]


# How a figure becomes a quantity, worked out once per (declaration, unit, kind of value)
# (Settings._plan): (money factor, dimension, declared precision, exact?, problem).
Plan = tuple[Decimal | None, str, Decimal | None, bool, str | None]


class Missing(Exception):
    """Figures the rule needs that the record does not have."""

    def __init__(self, *paths: str):
        super().__init__(", ".join(paths))
        self.paths = tuple(paths)


#: The note of a wildcard's missing figures where the document printed an item under it that its
#: reader could not name (``income.sources.* (printed, not read: 单位资金收入 80.00万元, line 186)``).
UNREAD_NOTE = "printed, not read: "


def unread_missing(prefix: str, entries: list[dict[str, Any]]) -> str:
    """The missing entry of ``prefix.*`` whose printed items (*entries* of ``_meta.unread``) were
    not read, each with its lines (a finding's ``missing``: :data:`UNREAD_NOTE`, then the items as
    :func:`unread_items` reads them back)."""
    items = []
    for entry in entries:
        item = entry.get("item") or entry.get("reason") or ""
        lines = entry.get("lines") or ()
        if lines:
            first, last = lines[0], lines[-1]
            item += f", line {first}" if first == last else f", lines {first}-{last}"
        items.append(item)
    return f"{prefix}.* ({UNREAD_NOTE}{'; '.join(items)})"


_UNREAD_LINES = re.compile(r"^(?P<item>.*?)(?:, lines? (?P<first>\d+)(?:-(?P<last>\d+))?)?$", re.DOTALL)


def unread_items(note: str) -> list[tuple[str, int | None, int | None]]:
    """The items of a missing entry's note made by :func:`unread_missing` (what follows
    :data:`UNREAD_NOTE`), each as (item, first line, last line) -- for a message in another
    language."""
    out = []
    for part in note[len(UNREAD_NOTE):].split("; "):
        found = _UNREAD_LINES.match(part)   # (always: every group is optional but the item)
        assert found is not None
        first, last = found["first"], found["last"] or found["first"]
        out.append((found["item"], int(first) if first else None, int(last) if last else None))
    return out


class UnreadMissing(Missing):
    """Figures of a group the document printed but its reader could not name: missing, and not
    absent -- ``present`` and ``coalesce`` pass it on (the rule is not evaluable) rather than read
    it as "not printed" (not applicable, or the next option)."""


class EvalProblem(Exception):
    """A problem evaluating a rule on a record (division by zero, a text where a number belongs)."""


# Entries a per-record cache holds before it starts over: a record of a million table rows would
# otherwise keep every cell's figure and quantity until the record is done (the caches only save
# converting a figure twice; what they give back is what converting again gives).
CACHE_LIMIT = 1 << 13


class _Bounded(dict["Any", "Any"]):
    """A dict that empties itself when a new key would take it past :data:`CACHE_LIMIT`."""

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= CACHE_LIMIT and key not in self:
            self.clear()
        dict.__setitem__(self, key, value)


class Context:
    """Per-record evaluation state: the record, quantity cache, bound variables and the trace of
    figures read (the operands a finding reports)."""

    __slots__ = ("record", "settings", "cache", "points", "vars", "trace", "joins")

    def __init__(self, record: Any, settings: Any) -> None:
        self.record = settings.as_declared(record)   # (a list where a value is declared: an error where read)
        self.settings = settings
        self.cache = _Bounded()
        self.points = _Bounded()   # printed values in base units, for the fast path
        self.vars: dict[str, Any] = {}
        self.trace: list[Any] = []
        self.joins: dict[Any, Any] | None = None   # indexes of tables by a text (fiscalrules.joins)


class _Snapshot:
    """What a lazily rendered message needs of the context: the record and the bound rows."""

    __slots__ = ("record", "vars")

    def __init__(self, record: Any, bound: dict[str, Any]) -> None:
        self.record = record
        self.vars = bound


class TableGiven(str):
    """The value of a figure a record gives as a list -- a table -- where the ruleset declares an
    amount, a count, a text or a flag (``{"a": [1, 2]}``): shown as ``a table``, so that a rule
    reading it is an error naming it (``a is a table, not a number``), as a text or a flag there
    is, rather than a figure missing (review 23 R13).  See :meth:`Settings.as_declared`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "a table"


_TABLE_GIVEN = TableGiven("a table")


class Settings:
    """What the compiled closures need to know of the ruleset: declarations, units, precisions."""

    def __init__(self, checked: Any) -> None:
        self.fields = checked.fields
        self.default_unit = checked.default_unit
        self.display_unit = checked.default_unit or "元"
        self.precisions = checked.precisions
        self.paths_by_label = checked.labels
        self.row_vars = checked.row_vars   # rule id → {row variable: its table's path}
        self._columns: dict[tuple[str, str], Any] = {}
        self._plans: dict[tuple[int, str | None, str], Plan] = {}
        self._leaves: dict[Any, Any] = {}
        self.labels_by_path: dict[str, str] = {}
        self._for_people: dict[Any, str] | None = None
        for label, path in checked.labels.items():
            self.labels_by_path.setdefault(path, label)

    def leaf(self, key: Any, build: Callable[[], Any]) -> Any:
        """The closure for a leaf of an expression (a figure, a constant, a table, a variable),
        built once per ruleset: it depends on nothing but *key* and these settings, and a
        10,000-rule file names its few hundred figures tens of thousands of times (each closure
        is a function, its cells and their tuple: objects the garbage collector keeps walking)."""
        found = self._leaves.get(key)
        if found is None:
            found = self._leaves[key] = build()
        return found

    def as_declared(self, record: Any) -> Any:
        """*record* as the rules read it: itself -- or, where it gives a table at the path of a
        field declared as a value, a copy with a figure there whose value is a :class:`TableGiven`
        (which every reading of a value refuses).  The per-record engines evaluate this."""
        tables = record.tables
        if not tables:
            return record
        figures = record.figure_values   # (bare values: their Figures are not made here)
        given = [path for path in tables if path not in figures and (decl := self.decl_for(path)) is not None
                 and decl.kind != "table"]
        if not given:
            return record
        figures = dict(figures)
        for path in given:
            figures[path] = Figure(path, _TABLE_GIVEN)
        return type(record)(record.id, figures, tables, record.meta, record.children, file=record.file)

    def decl_for(self, path: str) -> Any:
        decl = self.fields.get(path)
        if decl is None:
            prefix = path.rpartition(".")[0]
            decl = self.fields.get(prefix + ".*") if prefix else None
        return decl

    @property
    def labels_for_people(self) -> dict[Any, str]:
        """What a finding's sides are described with (printer.describe): each field's label by its
        path, each table column's by ``(table path, column)``; made when a finding first needs it."""
        found = self._for_people
        if found is None:
            found = dict(self.labels_by_path)
            for path, decl in self.fields.items():
                for column in decl.columns:
                    if column.labels:
                        found[(path, column.name)] = str(column.labels[0])
            self._for_people = found
        return found

    def column_decl(self, table: str, column: str) -> Any:
        key = (table, column)
        try:
            return self._columns[key]
        except KeyError:
            pass
        decl = self.fields.get(table)
        found = next((col for col in decl.columns if col.name == column), None) if decl else None
        self._columns[key] = found
        return found

    def label(self, path: str, decl: Any = None) -> str | None:
        if decl is not None and decl.labels:
            return str(decl.labels[0])
        return self.labels_by_path.get(path)

    def to_quantity(self, figure: Figure, decl: Any, meta: str = "value") -> Quantity:
        """The interval a figure (or its stated change / percentage) stands for.

        Precision is the finer of the printed decimals and the ruleset's precision for the unit;
        counts and plain numbers are exact.  Money is converted to 元.
        """
        raw, plan = self._raw_and_plan(figure, decl, meta)
        return Quantity(*interval(raw, figure.precision if meta == "value" else None, plan), plan[1])

    def to_interval(self, figure: Figure, decl: Any, meta: str = "value") -> tuple[Decimal, Decimal, Decimal]:
        """:meth:`to_quantity`'s (point, lo, hi), without its dimension."""
        raw, plan = self._raw_and_plan(figure, decl, meta)
        return interval(raw, figure.precision if meta == "value" else None, plan)

    def to_point(self, figure: Figure, decl: Any, meta: str = "value") -> Decimal:
        """The printed value alone (money in 元): :meth:`to_quantity`'s point, without its interval."""
        raw, plan = self._raw_and_plan(figure, decl, meta)
        factor = plan[0]
        return raw * factor if factor is not None else raw

    def _raw_and_plan(self, figure: Figure, decl: Any, meta: str) -> tuple[Decimal, Plan]:
        """The figure's number (value, stated change or percentage) and its conversion plan;
        EvalProblem for a figure that is not a number or not in a unit its declaration admits."""
        raw = figure.value if meta == "value" else figure.change if meta == "change" else figure.pct
        if type(raw) is not Decimal:
            raise EvalProblem(f"{figure.path} is {shown(raw)}, not a number")
        key = (id(decl), figure.unit, meta)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(figure.unit, decl, meta)
        if plan[4] is not None:
            raise EvalProblem(plan[4].format(path=figure.path))
        return raw, plan

    def _plan(self, figure_unit: str | None, decl: Any, meta: str) -> Plan:
        """What converting a figure needs, worked out once per (declaration, unit, kind of value):
        (money factor, dimension, declared precision, exact?, problem)."""
        kind = decl.kind if decl is not None else "amount"
        unit: str | None
        if meta == "pct":
            unit = "%"
        else:
            unit = figure_unit or (decl.unit if decl is not None else None)
            if unit is None and kind == "amount":
                unit = self.default_unit or "元"
            elif unit is None and kind == "percent":
                unit = "%"
        dim = dimension_of(unit)
        if contradicts_kind(kind, dim, meta):
            # the unit is the record's text, put into a template formatted later: braces doubled
            shown_unit = clipped(unit).replace("{", "{{").replace("}", "}}") if unit else "no unit"
            declared = {"amount": "money", "count": "a count", "percent": "a percentage"}[kind]
            return (None, dim, None, kind != "amount", f"{{path}} is in {shown_unit}, but it is declared as {declared}")
        if kind in ("count", "number") and meta == "value":
            return (None, "number" if kind == "number" else dim, None, True, None)
        return (MONEY_UNITS.get(unit) if dim == "money" and unit is not None else None, dim,
                self.precisions.get(unit), False, None)


def interval(raw: Decimal, precision: Decimal | None, plan: Plan) -> tuple[Decimal, Decimal, Decimal]:
    """(point, lo, hi) of a number printed as *raw* (with a stated *precision*, or None), by its
    conversion plan (:meth:`Settings._plan`)."""
    factor, _, declared, exact_kind, _ = plan
    if exact_kind:
        return raw, raw, raw
    if precision is not None:
        printed = precision
    elif raw.same_quantum(CENT):   # the common case, without as_tuple()'s tuple of digits
        printed = CENT
    else:
        exponent = raw.as_tuple().exponent
        printed = _PRECISIONS.get(exponent) or printed_precision(raw)
    half = (printed if declared is None or printed < declared else declared) * HALF
    if factor is not None:
        raw, half = raw * factor, half * factor
    return raw, raw - half, raw + half


# The precision of a figure printed with n decimals, for the usual n.
_PRECISIONS: dict[object, Decimal] = {-n: Decimal(1).scaleb(-n) for n in range(0, 8)}
CENT = _PRECISIONS[-2]
HALF = Decimal("0.5")
