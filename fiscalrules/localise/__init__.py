"""Localisation: which figures are most likely wrong, and what they should be.

A failed rule says that figures disagree, not which one is wrong.  Following Fellegi and Holt
(and Statistics Netherlands' *errorlocate*), the most likely explanation of a record's failures
is the smallest (weighted) set of figures that, changed, lets *every* rule hold -- the failed
ones and those that held.  :func:`localise` finds those sets, exactly, on the figures' printed
grids and within the rounding the evaluator allows, and ranks them: fewer figures first, then
changes that undo a typist's slip (digits swapped, decimal point moved, 增加 for 减少, a copied
neighbour), then lighter figures (a part before its total, a figure printed once before one
printed twice that agrees with itself).  Equally likely explanations are all listed.

Stages, one module each: :mod:`.footprint` (what each rule reads, statically), :mod:`.clauses`
(variables and clauses, and how a clause is decided), :mod:`.model`
(the rules of a record as exact linear constraints), :mod:`.solve` (values for a candidate set
of figures; :mod:`.bisection` its roots of a non-linear equality), :mod:`.search` (candidate sets, ranking, the evaluator's own check of each
explanation), :mod:`.outside` (the failures outside a group), :mod:`.slips` (typist slips), :mod:`.explain` (the results, in Chinese and
English).  Usually reached through :meth:`fiscalrules.Report.localise`.
"""

from __future__ import annotations

from ..findings import figure_name
from .explain import Change, Explanation, Localisation, patched
from .search import MAX_FIGURES, localise_record
from .slips import Slip

__all__ = ["localise", "localise_record", "Localisation", "Explanation", "Change", "Slip", "figure_name",
           "patched", "MAX_FIGURES"]


def localise(ruleset, record, findings=None, record_id=None) -> list:
    """Localise the failures of *ruleset* on *record* (a :class:`~fiscalrules.Record` or a
    mapping); *findings* are the ruleset's findings on it (evaluated when not given)."""
    from ..records import Record, load_record
    if not isinstance(record, Record):
        record = load_record(record, id=record_id)
    if findings is None:
        findings = ruleset.evaluate(record, id=record_id).findings
    return localise_record(ruleset, record, list(findings), record_id)
