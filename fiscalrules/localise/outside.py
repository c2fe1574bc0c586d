"""Failures outside every group of the search (:mod:`.search`, :func:`localise_ungrouped`): a
failure the model could not take into a group -- a rule over texts, a row filter, a prior-year
figure implied by a stated change.  It may share an answer with a group (:func:`shares_an_answer`),
or read figures through their stated changes (``prior(x)``: x's value less its stated change, or
x's value ÷ (1 + its stated percentage) -- a sum of such priors, INC-006), each of which is then a
candidate (:func:`stated_changes`), ranked and checked by the search as any.  Imported by the
search only for such a failure (most audits have none): it imports the search's pieces in turn.
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
from .search import WORK_LIMIT, Failing, _label, _Search
from .slips import slip_between

__all__ = ["localise_ungrouped", "shares_an_answer", "stated_changes"]


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


def localise_ungrouped(cons: Constraints, failures: list, out: list, record_id: str, failing: Failing,
                       statuses: dict, neighbours, rounded: bool) -> None:
    """The localisation of each of *failures* (outside every group of the search, in the report's
    order) added to *out* (the groups' localisations): none where it shares an answer with a
    group, else its stated changes' candidates ranked, or why there is none."""
    for f in failures:
        label = _label(f.rule, f.item)
        if shares_an_answer(cons, f, label, out):
            continue
        reason = "not_linear" if f.rule in cons.unmodelled or f.rule not in cons.modelled else "not_modelled"
        search = _Search(cons, [_Failure(f.rule, f.item)], failing.outside(()), statuses, neighbours, rounded)
        entries = stated_changes(search, f, WORK_LIMIT)
        out.append(search._ranked(record_id, (label,), entries) if entries
                   else Localisation(record_id, (label,), reason=reason))


class _Failure:
    """A failure the model has no comparison for, as the final check asks for it (rule, item)."""

    __slots__ = ("rule", "item")

    def __init__(self, rule: str, item) -> None:
        self.rule, self.item = rule, item
