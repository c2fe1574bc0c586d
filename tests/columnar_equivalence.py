"""The equivalence check the columnar tests share: ``Ruleset.evaluate_table`` over a frame agrees
with ``Ruleset.evaluate_many`` over the same records, status for status and finding for finding."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.findings import STATUS_RANK

CODES = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.rules"
_RULESETS: dict = {}


def sources() -> list:
    """Every bundled ruleset and examples/demo.rules, as pytest parameters."""
    found = [pytest.param(str(path), id=name) for name, path in fiscalrules.bundled_rulesets().items()]
    if DEMO.exists():
        found.append(pytest.param(str(DEMO), id="demo"))
    return found


def ruleset_of(source):
    """The ruleset at *source*, compiled once per test process."""
    if source not in _RULESETS:
        _RULESETS[source] = fiscalrules.load_ruleset(source)
    return _RULESETS[source]


def assert_same(ruleset, data, reference, *, tables=None, chunk_rows=7, report=None):
    """evaluate_table over *data* (with *tables*, in chunks of *chunk_rows* records) gives every
    (rule, record) the worst status, the counts and the non-passing findings evaluate_many gives
    over *reference* (the same frame, or the records it was made from).  *report*: that
    evaluate_many report, where the caller made it once to compare several evaluate_table runs
    with (its findings' details are worked out once, by the first comparison)."""
    result = ruleset.evaluate_table(data, tables=tables, chunk_rows=chunk_rows)
    report = ruleset.evaluate_many(reference) if report is None else report
    n = len(report.records)
    index = {info.id: i for i, info in enumerate(report.records)}
    unreadable = [i for i, info in enumerate(report.records) if info.error]
    assert sorted(result._unreadable) == unreadable
    worst = {rule.id: [None] * n for rule in ruleset.rules}
    for f in report.findings:
        row = index[f.record]
        current = worst[f.rule][row]
        if current is None or STATUS_RANK[f.status] < STATUS_RANK[current]:
            worst[f.rule][row] = f.status
    for rule in ruleset.rules:
        got = result.statuses(rule.id)
        for row in range(n):
            if row in unreadable:
                assert got[row] == 255
                continue
            assert CODES[got[row]] == worst[rule.id][row], (rule.id, row, result.engines[rule.id])
    # Counts are the per-record engine's, finding for finding.
    counts = report.counts()
    for status in CODES:
        assert result.summary()["total"][status] == counts.get(status, 0), status
    # Findings made on demand are exactly the per-record engine's non-passing findings.
    theirs = [f for f in report.sorted_findings() if f.status not in ("pass", "pass_rounding")]
    ours = list(result.findings())
    assert [(f.record, f.rule, f.item, f.status) for f in ours] == [(f.record, f.rule, f.item, f.status)
                                                                   for f in theirs]
    assert ours == theirs
    return result


@contextlib.contextmanager
def replaced(owner, name: str, value):
    """*owner*'s attribute *name* is *value* within the block (rules compiled there keep to the
    numpy path where *value* is a ``program_of`` giving None)."""
    before = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, before)


@contextlib.contextmanager
def programs_counted(program_class, fallback):
    """How many chunks ran a program of *program_class* to the end, and how many fell back to
    the numpy path (raised *fallback*)."""
    seen = {"ran": 0, "fell back": 0}
    call = program_class.__call__

    def spy(self, run, dom):
        try:
            out = call(self, run, dom)
        except fallback:
            seen["fell back"] += 1
            raise
        seen["ran"] += 1
        return out
    with replaced(program_class, "__call__", spy):
        yield seen
