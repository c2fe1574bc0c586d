"""Order-independence helpers: a record with its keys and coded rows shuffled, a ruleset with
its rules and declarations reordered, and a report's findings as comparable data.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import attrs

from ..loader import Ruleset
from .paths import _is_figure
from .plan import _as_ruleset


def shuffled_record(record, rnd: random.Random):
    """A copy of *record* with every mapping's keys in another order and the rows of coded
    tables shuffled (rows without codes keep their order: their position is their identity)."""
    if isinstance(record, Mapping):
        items = list(record.items())
        if not _is_figure(record):
            rnd.shuffle(items)
        return {k: shuffled_record(v, rnd) for k, v in items}
    if isinstance(record, list):
        rows = [shuffled_record(v, rnd) for v in record]
        if rows and all(isinstance(r, Mapping) and r.get("code") is not None for r in rows):
            rnd.shuffle(rows)
        return rows
    return record


def reordered_ruleset(ruleset, rnd: random.Random) -> Ruleset:
    """The same ruleset with its rules (and field declarations) in another order."""
    rs = _as_ruleset(ruleset)
    rules = list(rs.checked.rules)
    rnd.shuffle(rules)
    fields = list(rs.checked.fields.items())
    rnd.shuffle(fields)
    return Ruleset(attrs.evolve(rs.checked, rules=tuple(rules), fields=dict(fields)))


def findings_digest(report) -> list:
    """A report's findings as comparable data: sorted, operands as a set of paths."""
    out = []
    for finding in report.findings:
        data = finding.to_dict()
        data["operands"] = sorted(o["path"] for o in data.get("operands", ()))
        out.append(data)
    return sorted(out, key=lambda d: (str(d["record"]), d["rule"], str(d["item"]), repr(d)))
