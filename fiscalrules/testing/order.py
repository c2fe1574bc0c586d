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
    # In the order of (record, rule, item, repr(data)), the whole data's repr made only for the
    # findings alike in the first three (few): the same order, without a repr of each finding
    # (two fifths of a digest's own cost on reports of the bundled rulesets, their finding details
    # worked out beforehand).
    out.sort(key=_primary)
    start = 0
    for end in range(1, len(out) + 1):
        if end == len(out) or _primary(out[end]) != _primary(out[start]):
            if end - start > 1:
                out[start:end] = sorted(out[start:end], key=repr)
            start = end
    return out


def _primary(data: dict) -> tuple:
    return str(data["record"]), data["rule"], str(data["item"])
