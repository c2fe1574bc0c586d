"""Failures outside a group of the search (:mod:`.search`): the failed comparisons of a record
outside one group -- those a candidate explanation of the group may leave failing (:class:`Failing`,
:class:`Outside`) -- and a failure outside every group, one the model could not take into a group
-- a rule over texts, a row filter, a prior-year figure implied by a stated change.  Such a
failure may share an answer with a group (:func:`shares_an_answer`), or read figures through
their stated changes (``prior(x)``: x's value less its stated change, or x's value ÷ (1 + its
stated percentage) -- a sum of such priors, INC-006), each of which is then a candidate
(:func:`stated_changes`), ranked and checked by the search as any.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..context import Context
from ..findings import Status, cell_context
from ..records import Record
from ..values import library_context
from .clauses import as_decimal
from .explain import Change, Entry, Localisation, patched
from .model import WORK, Constraints
from .slips import slip_between

__all__ = ["Failing", "Outside", "shares_an_answer", "stated_changes"]


class Failing:
    """A record's failed comparisons, and each group's view of those outside it.  The view is
    not a copy: one list and set of every other failure per group made the search quadratic in
    the failures (a table of 20,000 failing rows: 20,000 groups, 5 minutes and 3.7 GB)."""

    __slots__ = ("clauses", "members", "_vars")

    def __init__(self, clauses: list) -> None:
        self.clauses, self.members = clauses, frozenset(clauses)
        self._vars = None

    def outside(self, group) -> Outside:
        return Outside(self, frozenset(group))

    def vars(self) -> frozenset:
        """Every figure of a failed comparison (made once for the record)."""
        if self._vars is None:
            self._vars = frozenset(k for c in self.clauses for k in c.vars)
        return self._vars


class Outside:
    """The failed comparisons of a record outside one group (``in``, as the set of
    them was used): the failures a candidate explanation of the group may leave failing."""

    __slots__ = ("failing", "group")

    def __init__(self, failing: Failing, group: frozenset) -> None:
        self.failing, self.group = failing, group

    def __contains__(self, clause) -> bool:
        return clause in self.failing.members and clause not in self.group


def _evaluated(cons: Constraints, record: Record, rule: str, item):
    """The evaluator's finding of *rule* (row *item*) on *record*, or None."""
    compiled = cons.plan.compiled.get(rule)
    if compiled is None:
        return None
    with library_context():
        findings = compiled.evaluate_in_context(record, None, Context(record, cons.ruleset.settings))
        cons.work += WORK["finding"] * len(findings) + WORK["row"] * cons.rows_of(rule)
        return next((f for f in findings if f.item == item), None)


def shares_an_answer(cons: Constraints, failure, label: str, out: list) -> bool:
    """A failure the model could not take into a group (a rule over texts, a row filter, a
    percentage-implied prior) that reads a figure another group's one most likely explanation
    changes, and holds once it is changed: the same culprit, so the same answer -- the failure
    joins that group (its suggestion is the group's), rather than standing silent beside it."""
    paths = {op.path for op in failure.operands}
    for i, loc in enumerate(out):
        best = loc.best
        if len(best) != 1 or not any(c.path in paths for c in best[0].changes) or best[0].fixes:
            continue
        record = patched(cons.record, {(c.path, c.meta): c.suggested for c in best[0].changes})
        found = _evaluated(cons, record, failure.rule, failure.item)
        if found is not None and found.status in (Status.PASS, Status.ROUNDING):   # holds, not merely set aside
            out[i] = Localisation(loc.record, loc.failures + (label,),
                                  loc.explanations, loc.more, loc.reason)
            return True
    return False


def stated_changes(search, failure, limit: int) -> list:
    """For a failure the model has no comparison for because it reads prior-year figures
    implied by stated changes (``prior(x)``: x's value less its stated change, or x's value
    ÷ (1 + its stated percentage) -- a sum of such priors, INC-006): each figure's stated
    percentage (or change) in turn as the one variable, the value at which the evaluator's
    difference vanishes -- the prior it implies is what the others leave -- on the figure's
    printed grid, nearest first.  Candidates ranked as any (a one-digit slip first); the
    final check is the evaluator's (*search*'s, a :class:`.search._Search`: its model, names
    and check); none is tried once the model's work passes *limit*."""
    found = []
    record = search.cons.record
    for op in failure.operands:
        if search.cons.work > limit:
            break
        figure = search.cons.index.get(op.path) or record.figures.get(op.path)
        if figure is None or not isinstance(figure.value, Decimal) or isinstance(figure.value, bool):
            continue
        for meta in ("pct", "change"):
            raw = getattr(figure, meta, None)
            if isinstance(raw, Decimal) and not isinstance(raw, bool):
                value = _balancing(search, failure, op.path, meta, raw)
                if value is not None:
                    entry = _stated_entry(search, figure, meta, raw, value)
                    if entry is not None:
                        found.append(entry)
                break   # a stated change, else its percentage, makes the prior
    return found

def _balancing(search, failure, path: str, meta: str, raw: Decimal):
    """The value of *path*'s stated *meta* at which *failure*'s difference is 0 (exact), or
    None.  The difference is affine in the prior the figure implies, which is affine in a
    stated change and in 1 / (1 + pct/100) for a percentage: two evaluations give it."""
    def position(x: Fraction) -> Fraction:
        return x if meta == "change" else 1 / (1 + x / 100)
    points = []
    # The trial values are the printed one and one more: on its own grid, however fine (a
    # percentage printed to 7 or 27 decimals is on no grid of 6; the loader caps decimals at 60).
    places = max(-raw.as_tuple().exponent, 6)
    for x in (Fraction(raw), Fraction(raw) + 1):
        if meta == "pct" and x <= -100:
            return None
        found = _evaluated(search.cons, patched(search.cons.record, {(path, meta): as_decimal(x, places)}),
                           failure.rule, failure.item)
        if found is None or found.difference is None:
            return None
        points.append((position(x), Fraction(found.difference)))
    (q0, d0), (q1, d1) = points
    if d0 == d1:
        return None
    q = q0 - d0 * (q1 - q0) / (d1 - d0)
    if meta == "change":
        return q
    if q <= 0:
        return None
    return (1 / q - 1) * 100

def _stated_entry(search, figure, meta: str, raw: Decimal, value: Fraction):
    """A candidate: *figure*'s stated *meta* printed on its own grid, nearest the balancing
    *value* that the evaluator's check then passes (or None)."""
    places = max(-raw.as_tuple().exponent, 0)
    step = Fraction(1, 10 ** places)
    nearest = round(value / step)
    settings = search.cons.ruleset.settings
    text = figure.source.text if figure.source is not None else None
    label, row = search._named(figure.path, figure.label or settings.label(figure.path, None))
    unit = "%" if meta == "pct" else figure.unit
    context = cell_context(figure.path, settings)
    for steps in (nearest, nearest - 1, nearest + 1):
        suggested = as_decimal(steps * step, places)
        if suggested == raw:
            continue
        slip = slip_between(raw, suggested, meta, text)
        change = Change(figure.path, meta, label, figure.source, unit, raw, suggested, slip, context, None, row)
        slips = 2 if slip is None else 0 if slip.strong else 1
        entry = Entry((change,), {}, slips, 0, 0, 1.0, None, int(slip is None or not slip.strong))
        if search._verified(entry.changes):
            return entry
    return None
