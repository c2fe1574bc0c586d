"""Rulesets, records and reports travel between processes: pickling and multiprocessing.

A compiled Ruleset is closures, which pickle cannot carry: it travels as its checked AST and is
compiled again on arrival.  A Report's findings travel with their details worked out.  The
multiprocessing test uses the ``spawn`` start method, so nothing is inherited by forking: the
ruleset really goes through pickle.
"""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bureau_2025.txt"

RULES = """
ruleset pickled
unit 万元
field a "甲": amount
field b: amount
field s: text
field t: table(code: text, x: amount)
rule SUM "甲等于乙": a = b within 0.01
rule ROWS: for each r in t: r.x = sum(children(r).x)
rule TEXT: if present(s) then contains(s, "局")
"""


def _records() -> list:
    return [
        {"a": "1.00", "b": "1.00"},
        {"a": "1.00", "b": "2.50", "s": "某局", "t": [{"code": "208", "x": "3"}, {"code": "20805", "x": "2"}]},
        {"a": "329.94", "b": "329.935", "s": "公司"},
        {"b": "1"},
        {"a": "1", "b": "1", "_meta": {"id": "named"}},
    ]


def _jsons(reports) -> list:
    return [r.to_json() for r in reports]


def test_a_ruleset_survives_pickling_and_gives_the_same_findings():
    rules = fiscalrules.compile_rules(RULES)
    copy = pickle.loads(pickle.dumps(rules))
    assert copy.name == rules.name and [r.id for r in copy.rules] == [r.id for r in rules.rules]
    for record in _records():
        assert copy.evaluate(record).findings == rules.evaluate(record).findings


def test_the_bundled_ruleset_survives_pickling():
    rules = fiscalrules.load_ruleset("budget_disclosure")
    copy = pickle.loads(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
    record = fiscalrules.load_record(read_disclosure(EXAMPLE))
    assert copy.evaluate(record).to_json() == rules.evaluate(record).to_json()


def test_a_record_survives_pickling():
    record = fiscalrules.load_record(read_disclosure(EXAMPLE))
    copy = pickle.loads(pickle.dumps(record))
    rules = fiscalrules.load_ruleset("budget_disclosure")
    assert copy.figures == record.figures
    assert rules.evaluate(copy).to_json() == rules.evaluate(record).to_json()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_survives_pickling_with_every_detail(lang):
    rules = fiscalrules.compile_rules(RULES)
    report = rules.evaluate_many(_records())
    copy = pickle.loads(pickle.dumps(report))
    assert copy.findings == report.findings
    assert copy.to_table(lang=lang, show_passes=True) == report.to_table(lang=lang, show_passes=True)
    assert copy.to_json() == report.to_json() and copy.to_csv(lang) == report.to_csv(lang)
    failed = [f for f in copy.findings if f.status == "fail"]
    assert failed and all(f.message and f.message_en and f.operands for f in failed)


def test_a_localised_report_keeps_its_explanations_through_pickling():
    # Localised first (as every renderer does), then pickled: the copy keeps the localisation
    # cache, so its findings must arrive with their likely-wrong figures, not the bare suggestion.
    rules = fiscalrules.compile_rules(RULES)
    report = rules.evaluate({"a": "860.29", "b": "668.78"})
    expected = (report.to_json(), report.to_table(lang="en"), report.to_csv())
    failed = [f for f in report.findings if f.status == "fail"]
    assert failed and all(f.likely_wrong for f in failed)
    copy = pickle.loads(pickle.dumps(report))
    assert [f.suggestion for f in copy.findings] == [f.suggestion for f in report.findings]
    assert (copy.to_json(), copy.to_table(lang="en"), copy.to_csv()) == expected


def test_a_report_with_read_errors_survives_pickling(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": "1", "b": "1"}\n{"a": \n{"a": "NaN"}\n', encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many([bad])
    copy = pickle.loads(pickle.dumps(report))
    assert [r.error for r in copy.records] == [r.error for r in report.records]
    assert len(copy.errors) == 2


def test_multiprocessing_gives_the_same_results_as_one_process():
    rules = fiscalrules.compile_rules(RULES)
    disclosure = read_disclosure(EXAMPLE)
    bundled = fiscalrules.load_ruleset("budget_disclosure")
    records = _records() * 3
    serial = _jsons(rules.evaluate(r) for r in records)
    context = multiprocessing.get_context("spawn")   # nothing inherited: everything is pickled
    with context.Pool(2) as pool:
        parallel = _jsons(pool.map(rules.evaluate, records))
        parallel_bundled = pool.map(bundled.evaluate, [disclosure, disclosure])
    assert parallel == serial
    expected = bundled.evaluate(disclosure).to_json()
    assert [r.to_json() for r in parallel_bundled] == [expected, expected]
