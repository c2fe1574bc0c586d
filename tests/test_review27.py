"""Session 27's mends by the lead, each a case that failed before.

SARIF of records given to the library as mappings had no file to locate their results at, and
GitHub's code scanning refuses a result without a physical location: ``to_sarif(artifact=...)``
names the file the caller read them from.
"""

from __future__ import annotations

import json

import fiscalrules

RULES = 'unit 万元\nfield a "甲": amount\nfield b "乙": amount\nfield c "丙": amount\nrule R-1 "甲等于乙加丙": a = b + c\n'


def _locations(sarif):
    return [result["locations"][0] for result in json.loads(sarif)["runs"][0]["results"]]


def test_records_given_as_mappings_are_located_at_the_artifact_the_caller_names():
    rules = fiscalrules.compile_rules(RULES)
    report = rules.evaluate_many([{"_meta": {"id": "r1"}, "a": "4", "b": "1", "c": "2"},
                                  {"_meta": {"id": "r2", "document": "二处/预算.txt"}, "a": "9", "b": "1", "c": "2"}])
    # without it: logical locations only for the record with no document (valid SARIF)
    plain = _locations(report.to_sarif(lang="en"))
    assert ["physicalLocation" in loc for loc in plain] == [False, True]
    located = _locations(report.to_sarif(lang="en", artifact="exports/batch 1.json"))
    assert [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in located] == [
        "exports/batch%201.json",                                     # the caller's file
        "%E4%BA%8C%E5%A4%84/%E9%A2%84%E7%AE%97.txt"]                  # its own document, not the artifact
    assert located[0]["logicalLocations"] == plain[0]["logicalLocations"]
    from pathlib import Path
    assert report.to_sarif(lang="en", artifact=Path("exports/batch 1.json")) == report.to_sarif(
        lang="en", artifact="exports/batch 1.json")


def test_a_record_file_keeps_its_own_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rec.json").write_text('{"_meta": {"id": "r1"}, "a": "4", "b": "1", "c": "2"}', encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many(["rec.json"])
    [loc] = _locations(report.to_sarif(artifact="elsewhere.json"))
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "rec.json"


# ---- review 27 (read27's 9b5e4a9): coverage took an amount before a 合计 for a code -----------------

def test_coverage_counts_the_amount_before_a_total_as_an_amount():
    # pypdfium2's text joins rows on a line; the codes of the rows after the first are codes, but a
    # 合计 row prints none, so the whole-yuan amount before it ("500") is a printed figure
    from fiscalrules.readers.common.coverage import _inline_codes
    assert _inline_codes("2080599 其他支出 4,160 500 合计 4,660 500".split()) == set()
    assert _inline_codes("2080599 其他支出 4,160 500 总计 4,660 500".split()) == set()
    # (a row's code pieces before its name still are codes)
    assert _inline_codes("2080599 其他支出 4,160 4,160 208 05 99 其他 10 10".split()) == {4, 5, 6}
