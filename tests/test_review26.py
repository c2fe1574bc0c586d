"""Session 26's mends found by the lead and the session's reviewers, each a case that failed before.

T4 (review 25): a SARIF tool notification of an unreadable element of a record file named the
element (``rec.json[4]``, escaped to ``rec.json%5B4%5D``) as its artifact, which is no file.
"""

from __future__ import annotations

import json

import pytest

import fiscalrules
from fiscalrules import cli

RULES = 'unit 万元\nfield a "甲": amount\nfield b "乙": amount\nfield c "丙": amount\nrule R-1 "甲等于乙加丙": a = b + c\n'
RECORDS = '[{"_meta": {"id": "r1"}, "a": "3", "b": "1", "c": "2"}, 5, {"_meta": {"id": "r3"}, "a": "1", "b": "1", "c": "1"}]'


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "data dir").mkdir()
    (tmp_path / "data dir" / "rec.json").write_text(RECORDS, encoding="utf-8")
    return tmp_path


def _notifications(log):
    return log["runs"][0]["invocations"][0]["toolExecutionNotifications"]


def test_an_unreadable_element_of_a_record_file_is_notified_at_the_file(place, capsys):
    code = cli.main(["check", "r.rules", "-r", "data dir/rec.json", "--format", "sarif"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    log = json.loads(out)
    [note] = _notifications(log)
    assert note["level"] == "error"
    assert note["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "data%20dir/rec.json"}}}]
    # the message still names the element, and quotes what it found (a JSON number, not "Decimal")
    assert note["message"]["text"].startswith("data dir/rec.json[2]: E300")
    assert note["message"]["text"].endswith("此处为 5")
    # the records that could be read were checked (one passes, one fails)
    assert {r["properties"]["record"] for r in log["runs"][0]["results"]} == {"r3"}


def test_the_api_names_the_file_too(place):
    report = fiscalrules.compile_rules(RULES).evaluate_many(["data dir/rec.json"])
    [bad] = [info for info in report.records if info.error]
    assert (bad.id, bad.document, bad.file) == ("data dir/rec.json[2]", "data dir/rec.json[2]", "data dir/rec.json")
    [note] = _notifications(json.loads(report.to_sarif(lang="en")))
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data%20dir/rec.json"
    assert note["message"]["text"].endswith("a record must be a mapping, found 5")
