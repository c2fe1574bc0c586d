"""Details of findings worked out on demand: both sides, the difference, the allowance, every
figure involved with where it was printed, the suggestion, and the messages.

The evaluator decides most findings without explaining them (a pass nobody reads need not be
explained).  A finding keeps what explaining it needs: :class:`_Details` (the general path's
comparison and trace, worked out into sides and operands when read) or, for a finding decided
by the fused closures or the fast path, a :class:`_Replay` (the rule's general closures run
again for that record and row, the first time its details or messages are read).  The replays
of one record's findings share the figures they convert and the operands they make
(:class:`_Shared`): what working them out again would give.  Imported by
:mod:`fiscalrules.evaluator` only.
"""

from __future__ import annotations

import weakref
from decimal import Decimal

from . import ast
from .context import Context, Settings, _Bounded, _Snapshot
from .findings import Finding, Operand, Side, Status, cell_context, figure_name, where
from .messages import format_amount, render_message
from .printer import to_source
from .records import Row
from .rowstore import PackedTable
from .values import MONEY_UNITS, Comparison, Quantity, _extra, _slack, compare

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from .evaluator import CompiledRule


class _Replay:
    """The details of a finding decided without them: the interval path run again, for this
    record and row.  Called with no argument it gives the details, with the finding its
    messages (a finding's *details* and *texts* callables at once)."""

    __slots__ = ("compiled", "record", "bound", "trace", "status", "details", "precondition")

    def __init__(self, compiled: CompiledRule, record, bound, trace, status, precondition: bool = False):
        """*bound*: the bound variables (a dict, or None), or the one row bound to the rule's
        ``for each`` variable; *precondition*: replay the rule's precondition (a not-applicable
        finding: no comparison, the figures the precondition read) rather than its assertion."""
        self.compiled, self.record, self.bound, self.trace = compiled, record, bound, trace
        self.status, self.precondition = status, precondition
        self.details = None

    def _run(self) -> _Details:
        if self.details is None:
            compiled, bound, record = self.compiled, self.bound, self.record
            if bound is not None and type(bound) is not dict:
                bound = self.bound = _bound_row(compiled.var, bound, record)
            settings = compiled.settings
            ctx = Context(record, settings)
            # The figures converted by the replays of this record's other findings: converting
            # again gives the same quantities, and a total is read by a dozen rules.
            shared = _shared(record, settings)
            ctx.cache = shared.quantities
            ctx.joins = shared.joins   # (the tables' indexes: a thousand subtotals' replays look rows up)
            ctx.vars, ctx.trace = _bound_again(bound), list(self.trace or ())
            # (in the library's decimal context: the finding reads its details and messages
            # inside it -- Finding._detail, Finding._rendered -- and nothing else calls this)
            if self.precondition:
                compiled.when(ctx)
                detail = None
            else:
                _, detail = compiled.body(ctx)
            self.details = _Details(compiled, detail, ctx.trace, self.status, record, bound, shared)
        return self.details

    def __call__(self, finding: Finding | None = None):
        if finding is None:
            return self._run()()
        return self._run().texts(finding)

    def forget(self) -> None:
        """Drop the replayed details (they can be replayed again)."""
        self.details = None


class _Shared:
    """What the details of one record's findings (under one ruleset's settings) share: the
    figures converted to quantities (a Context's cache), the operands made and the indexes of
    tables by a text (a Context's joins, :mod:`fiscalrules.joins`).  All are what
    working them out again would give while the record is unchanged; each evaluation of the
    record starts afresh (:func:`new_evaluation`).  Bounded like a Context's."""

    __slots__ = ("quantities", "operands", "joins")

    def __init__(self) -> None:
        self.quantities, self.operands = _Bounded(), _Bounded()
        self.joins: dict = {}


# record id -> (a weak reference to the record, {settings: _Shared}): the entry goes with the
# record (the reference's callback), so nothing here outlives what it describes.
_SHARED: dict[int, tuple] = {}


def _forget_shared(ref: weakref.ref, key: int) -> None:
    """The record *ref* referred to is gone: so is its entry (if it is still the entry there)."""
    entry = _SHARED.get(key)
    if entry is not None and entry[0] is ref:
        _SHARED.pop(key, None)   # (pop: another thread may have taken it out since the get)


def new_evaluation(record) -> None:
    """*record* is being evaluated (again): what the replays of its findings from an earlier
    evaluation shared is not used by this one's.  Records are mutable: a figure changed between
    two evaluations must show in the second report's details (review A2: a pass's left side kept
    the value of the first).  Details already worked out keep what they were worked out from."""
    key = id(record)
    entry = _SHARED.get(key)
    if entry is not None and entry[0]() is record:
        # (pop: two threads evaluating one record both find the entry, and both take it out --
        # a KeyError for the second with del, seen in test_global_state's thread test)
        _SHARED.pop(key, None)


def _shared(record, settings: Settings) -> _Shared:
    """The :class:`_Shared` of *record* under *settings* (a fresh one, not kept, for a record
    that cannot be referred to weakly)."""
    key = id(record)
    entry = _SHARED.get(key)
    if entry is None or entry[0]() is not record:
        try:
            ref = weakref.ref(record, lambda ref, key=key: _forget_shared(ref, key))
        except TypeError:
            return _Shared()
        entry = _SHARED[key] = (ref, {})
    by_settings = entry[1]
    found = by_settings.get(settings)
    if found is None:
        found = by_settings[settings] = _Shared()
    return found


class _RowAt:
    """A bound row of a packed table, kept by position (a pass holds it until it is written)."""

    __slots__ = ("table", "position")

    def __init__(self, table: PackedTable, position: int):
        self.table, self.position = table, position


def _bound_lightly(ctx) -> dict:
    """The bound variables, rows of packed tables by position: a pass of a rule over a million
    rows holds its row until written, and a Row with its figures is a hundred times its place."""
    bound = dict(ctx.vars)
    for name, value in bound.items():
        if type(value) is Row:
            table = ctx.record.tables.get(value.table)
            if type(table) is PackedTable:
                bound[name] = _RowAt(table, value.index - 1)
    return bound


def _bound_row(var: str, row, record) -> dict:
    """A row bound to *var*, as :func:`_bound_lightly` keeps it."""
    if type(row) is Row:
        table = record.tables.get(row.table)
        if type(table) is PackedTable:
            return {var: _RowAt(table, row.index - 1)}
    return {var: row}


def _bound_again(bound: dict | None) -> dict:
    """The bound variables as the rule saw them (rows of packed tables made again)."""
    if not bound:
        return {}
    return {name: value.table.row_at(value.position) if type(value) is _RowAt else value
            for name, value in bound.items()}


class _Details:
    """Works out a finding's details on demand (see :class:`~fiscalrules.findings.Finding`)."""

    __slots__ = ("compiled", "detail", "trace", "status", "values", "record", "bound", "shared")

    def __init__(self, compiled: CompiledRule, detail, trace, status, record, bound, shared: _Shared | None = None):
        """*shared*: what the details of the record's findings share (:func:`_shared`), when
        known (a replay's); otherwise looked up when the details are worked out."""
        self.compiled, self.detail, self.trace, self.status = compiled, detail, trace, status
        self.record, self.bound = record, bound   # what a message may quote: the record, the rows bound
        self.values = None
        self.shared = shared

    def __call__(self) -> dict:
        compiled, detail = self.compiled, self.detail
        settings = compiled.settings
        left = right = difference = tolerance = op = unit = None
        texts = compiled.sides
        status = self.status
        if type(detail) is tuple and status != Status.FAIL:
            # A numeric comparison decided but not yet explained, (op, left, right, tolerance,
            # texts): compare()'s difference and allowance, without deciding it again.
            op, a, b, allowed_extra, texts = detail[0], detail[1], detail[2], detail[3], detail[4] or texts
            diff = a.point - b.point
            allowed = _slack(diff, a, b) + _extra(allowed_extra, a, b)
            left, right, difference, tolerance, unit = _numeric_sides(a, b, diff, allowed, settings, texts)
        else:
            if type(detail) is tuple:
                detail = compare(*detail)
            if isinstance(detail, Comparison):
                texts = detail.texts or texts  # the deciding comparison, wherever it sits in the rule
                op = detail.op
                left, right, difference, tolerance, unit = _sides_of(detail, settings, texts)
        self.values = {"left": left, "right": right, "difference": difference, "tolerance": tolerance,
                       "unit": unit, "op": op, "left_label": texts[2], "right_label": texts[3]}
        suggestion = _suggestion(detail, compiled.rule, settings, self.trace) if status == Status.FAIL else None
        return {"op": op, "left": left, "right": right, "difference": difference, "tolerance": tolerance,
                "unit": unit, "operands": self._operands(settings), "suggestion": suggestion}

    def _operands(self, settings: Settings) -> tuple:
        trace = self.trace
        if not trace:
            return ()
        shared = self.shared
        if shared is None:
            shared = self.shared = _shared(self.record, settings)
        return _operands(trace, settings, shared.operands)

    def forget(self) -> None:
        """Drop the sides worked out for the messages (they can be worked out again)."""
        self.values = None

    def texts(self, finding: Finding) -> tuple:
        """The finding's messages (zh, en)."""
        if self.values is None:
            finding._detail("op")   # works out the details (self.values)
        snapshot = _Snapshot(self.record, _bound_again(self.bound))
        values = dict(self.values or {}, item=finding.item, status=finding.status, ctx=snapshot)
        return render_message(self.compiled.rule, values, finding.reason, finding.missing, self.compiled.settings)


def _display(q: Quantity, settings: Settings):
    """A quantity in the unit it is shown in: money in the ruleset's unit, percentages, counts
    (to_unit's division written out: every side of every finding is shown)."""
    dim = q.dim
    if dim == "money":
        unit = settings.display_unit
        factor = MONEY_UNITS.get(unit)
        if factor is not None:
            return q.point / factor, q.lo / factor, q.hi / factor, unit
        return q.point, q.lo, q.hi, unit
    return q.point, q.lo, q.hi, ("%" if dim == "percent" else dim[6:] if dim.startswith("count:") else None)


def _numeric_sides(a: Quantity, b: Quantity, difference, allowed, settings: Settings, texts):
    """:func:`_sides_of` of a comparison of two quantities, from its parts: both sides in the
    unit they are shown in, the difference and the allowance in the same."""
    lp, llo, lhi, unit = _display(a, settings)
    rp, rlo, rhi, runit = _display(b, settings)
    unit = unit or runit
    if (a.dim if a.dim != "number" else b.dim) == "money" and unit in MONEY_UNITS:
        factor = MONEY_UNITS[unit]
        difference, allowed = difference / factor, allowed / factor
    return Side(lp, llo, lhi, unit, texts[0]), Side(rp, rlo, rhi, unit, texts[1]), difference, allowed, unit


def _sides_of(detail: Comparison, settings: Settings, texts):
    a, b = detail.left, detail.right
    left_text, right_text = texts[0], texts[1]
    if type(a) is Quantity and type(b) is Quantity:
        return _numeric_sides(a, b, detail.difference, detail.allowed, settings, texts)
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


def _operands(trace, settings: Settings, made: dict | None = None) -> tuple:
    """The figures of *trace* as operands, each path once, in the order first read; *made*: the
    operands made for the record's other findings (by path and declaration), to share."""
    seen, out = set(), []
    for figure, decl in trace:
        path = figure.path
        if path in seen:
            continue
        seen.add(path)
        if made is not None:
            key = (path, id(decl))
            found = made.get(key)
            # (the same figure: a packed table makes a row's figures again each time it is read)
            if found is not None and (found[1] is figure or found[1] == figure) and found[2] is decl:
                out.append(found[0])
                continue
        unit = figure.unit or (decl.unit if decl is not None else None)
        if unit is None and (decl is None or decl.kind == "amount") and isinstance(figure.value, Decimal):
            unit = settings.default_unit
        operand = Operand(path, figure.label or settings.label(path, decl), figure.value, unit,
                          figure.printed, figure.change, figure.pct, figure.source)
        if made is not None:
            made[key] = (operand, figure, decl)
        out.append(operand)
    return tuple(out)


def _suggestion(detail, rule, settings, trace):
    """For a failed equality whose left side is one printed figure: the value that would balance
    it, the figure named as people know it (label, row code, printed line) -- never by the
    rule's path or loop variable.  (A report's localisation says more: see Report.localise.)"""
    if not isinstance(detail, Comparison) or detail.op != "=" or type(detail.left) is not Quantity:
        return None
    assertion = rule.assertion.body if isinstance(rule.assertion, ast.ForEach) else rule.assertion
    if not isinstance(assertion, ast.Compare) or not isinstance(assertion.left, (ast.FieldRef, ast.Column)):
        return None
    point, _, _, unit = _display(detail.right, settings)
    value = format_amount(point, 2 if unit in MONEY_UNITS else 0) + (f" {unit}" if unit else "")
    if not trace:
        return f"{to_source(assertion.left)} = {value}"
    figure, decl = trace[0]   # the left side is evaluated first
    name = figure_name(figure.label or settings.label(figure.path, decl), figure.path)
    at = "，".join(part for part in (cell_context(figure.path, settings), where(figure.source)) if part)
    return f"{name}{'（' + at + '）' if at else ''} = {value}"
