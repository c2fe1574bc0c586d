"""The fast path (exact passes decided on printed values) changes nothing a user can see: every
finding -- status, sides, difference, tolerance, operands, messages -- is the same with it and
without it, on the bundled ruleset over real and example documents and on the demo records."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "disclosures"
DOCUMENTS = sorted(SHARED.glob("*.txt")) + [ROOT / "examples" / "bureau_2025.txt"]


def _without_fast_path(ruleset):
    for rule in ruleset.rules:
        rule.fast = rule.fast_when = None
        if rule.per_row:
            rule.fast_where = None
    return ruleset


def _seen(report):
    return [(f.record, f.rule, f.item, f.status, f.op, f.left, f.right, f.difference, f.tolerance, f.unit,
             f.operands, f.suggestion, f.message, f.message_en) for f in report.sorted_findings()]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_bundled_ruleset_findings_do_not_depend_on_the_fast_path(document):
    if not document.exists():
        pytest.skip("shared disclosures not present")
    record = read_disclosure(document)
    fast = fiscalrules.load_ruleset("budget_disclosure")
    slow = _without_fast_path(fiscalrules.load_ruleset("budget_disclosure"))
    assert any(rule.fast is not None for rule in fast.rules)
    assert _seen(fast.evaluate(record)) == _seen(slow.evaluate(record))


def test_demo_findings_do_not_depend_on_the_fast_path():
    records = [json.loads((ROOT / "examples" / "demo.record.json").read_text(encoding="utf-8"),
                          parse_float=Decimal)]
    fast = fiscalrules.load_ruleset(ROOT / "examples" / "demo.rules")
    slow = _without_fast_path(fiscalrules.load_ruleset(ROOT / "examples" / "demo.rules"))
    assert _seen(fast.evaluate_many(records)) == _seen(slow.evaluate_many(records))


def test_a_pass_within_rounding_is_not_taken_for_exact():
    rules = fiscalrules.compile_rules("""
        unit 万元
        field t: amount
        field p.* : amount
        rule R: t = sum(p.*)
    """)
    assert rules.rules[0].fast is not None
    exact, rounding = (rules.evaluate({"t": t, "p": {"a": "1.01", "b": "2.02"}}).findings[0] for t in ("3.03", "3.04"))
    assert exact.status == "pass" and exact.difference == 0 and len(exact.operands) == 3
    assert rounding.status == "pass_rounding" and rounding.difference == Decimal("0.01")
