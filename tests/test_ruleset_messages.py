"""The bundled rules' messages as an auditor reads them: a placeholder shows its figure with the
figure's unit ("3 辆", "45 批"), so a message must not print the unit again after it ("3 辆 辆",
"0 批 批次" -- which every count rule of the 三公 paragraph and the 决算's performance counts did).
Each rule's failing examples are run and their messages, in Chinese and English, read."""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.examples import example_record
from fiscalrules.records import load_record

# a number, its unit, then the unit (or a longer word starting with it: 批 批次) again
_UNIT_TWICE = re.compile(r"\d\s*(辆|个|批|人|台|家|套|件|项|元|万元)\s*\1")


def _failing_messages(name: str):
    ruleset = fiscalrules.load_ruleset(name)
    for rule in ruleset.rules:
        for index, example in enumerate(rule.rule.examples, start=1):
            if example.expect != "fail":
                continue
            record = load_record(example_record(example.record, ruleset.checked), id=f"{rule.id} example {index}")
            for finding in rule.evaluate(record):
                if finding.status == "fail":
                    yield rule.id, finding.message, finding.text("en")


@pytest.mark.parametrize("name", ["budget_disclosure", "final_accounts"])
def test_no_unit_printed_twice(name):
    doubled = [(rule, zh) for rule, zh, _ in _failing_messages(name) if _UNIT_TWICE.search(zh)]
    assert doubled == []


def _counted(value: str, unit: str) -> dict:
    return {"value": value, "unit": unit}


# (records as a reader writes them: each count with its unit)
@pytest.mark.parametrize("rule_id, record, shown", [
    ("TPF-041", {"three_public": {"counts": {"reception_batches": _counted("0", "批")},
                                  "reception": _counted("4.50", "万元")}},
     "国内公务接待批次 0 批，公务接待费"),
    ("TPF-043", {"three_public": {"counts": {"vehicles_held": _counted("4", "辆")}},
                 "assets": {"vehicles": {"total": _counted("3", "辆")}}},
     "公务用车保有量 4 辆，国有资产占有使用情况中共有车辆 3 辆"),
    ("TPF-044", {"assets": {"vehicle_purchases": _counted("0", "辆")},
                 "three_public": {"vehicle_purchase": _counted("20.00", "万元")}},
     "购置车辆 0 辆，“三公”经费公务用车购置费 20.00 万元"),
    ("TPF-045", {"three_public": {"counts": {"vehicle_purchases": _counted("1", "辆")}},
                 "assets": {"vehicle_purchases": _counted("0", "辆")}},
     "公务用车购置数 1 辆，国有资产占有使用情况中购置车辆 0 辆"),
])
def test_count_rules_show_each_count_once(rule_id, record, shown):
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    findings = [f for f in ruleset.evaluate(load_record(record)).findings if f.rule == rule_id]
    assert [f.status for f in findings] == ["fail"]
    assert shown in findings[0].message
