"""A report's renderers ask each record's suspects and whether it was checked from the findings
grouped once (``Report.findings_by_record``), not by scanning every finding once per record:
rendering a batch stays linear in its findings, with the same output."""

from __future__ import annotations

import copy
import json

import pytest

from fiscalrules.loader import load_ruleset


class _CountingList(list):
    """A list that counts the passes made over it."""

    passes = 0

    def __iter__(self):
        type(self).passes += 1
        return super().__iter__()


def _report(records: int):
    ruleset = load_ruleset("examples/demo.rules")
    with open("examples/bureau_2025.record.json", encoding="utf-8") as handle:
        text = handle.read()
    batch = []
    for i in range(records):
        copied = json.loads(text)   # a record of its own each time (as a deep copy, at half the cost)
        copied.setdefault("_meta", {})["id"] = f"r{i}"
        batch.append(copied)
    return ruleset.evaluate_many(batch)


def test_grouped_findings_give_the_same_answers():
    report = _report(4)
    grouped = report.findings_by_record()
    assert list(grouped) == [f"r{i}" for i in range(4)]
    assert sum(map(len, grouped.values())) == len(report.findings)
    for record_id, findings in grouped.items():
        assert report.suspects(record_id, findings=findings) == report.suspects(record_id)
        assert report.nothing_checked(record_id, findings=findings) == report.nothing_checked(record_id)


@pytest.mark.parametrize("render", [
    lambda report: report.to_json(localise=False),
    lambda report: report.to_table(localise=False),
    lambda report: report.to_sarif(),
    lambda report: report.localise(),
    # localised first, as the CLI's HTML report is: the page then reads each record's localisation
    lambda report: (report.localise(), report.to_html()),
], ids=["json", "table", "sarif", "localise", "html"])
def test_rendering_passes_over_the_findings_a_fixed_number_of_times(render):
    passes = _passes_over("findings", render)
    assert passes[0] == passes[1], passes   # was one pass per record and renderer question


def _passes_over(attribute: str, render) -> list[int]:
    """How many passes *render* makes over a report's *attribute* list, for 3 and for 30 records."""
    passes = []
    for records in (3, 30):
        report = _report(records)
        setattr(report, attribute, _CountingList(getattr(report, attribute)))
        _CountingList.passes = 0
        render(report)
        passes.append(_CountingList.passes)
    return passes


@pytest.mark.parametrize("render", [
    lambda report: report.to_json(localise=False),
    lambda report: report.to_table(localise=False),
    lambda report: report.to_sarif(),
    lambda report: report.to_html(),
], ids=["json", "table", "sarif", "html"])
def test_rendering_passes_over_the_records_a_fixed_number_of_times(render):
    # whether each record was checked is asked of its RecordInfo, not found again by id among all
    # the report's records (a scan per record: quadratic over a batch)
    passes = _passes_over("records", render)
    assert passes[0] == passes[1], passes


def test_nothing_checked_of_a_record_info_answers_as_by_its_id():
    report = _report(2)
    keyless = copy.deepcopy(report.records[0])
    keyless.id, keyless.figure_count, keyless.unknown_keys = "keyless", 2, ["a", "b"]
    report.records.append(keyless)
    grouped = report.findings_by_record()
    answers = [report.nothing_checked(info, findings=grouped.get(info.id, ())) for info in report.records]
    assert answers == [report.nothing_checked(info.id) for info in report.records] == [False, False, True]
