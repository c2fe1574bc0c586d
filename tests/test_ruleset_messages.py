"""The bundled rules' messages as an auditor reads them: a placeholder shows its figure with the
figure's unit ("3 辆", "45 批"), so a message must not print the unit again after it ("3 辆 辆",
"0 批 批次" -- which every count rule of the 三公 paragraph and the 决算's performance counts did).
Each rule's failing examples are run and their messages, in Chinese and English, read.

A message is used for passes too: worded to read well either way (docs/language.md), it must not
call the figures of a pass wrong ("…：两者不相符" on "购置数 1 辆，购置费 15 万元" -- which six count rules,
the four table-change rules, the headcount and procurement sums printed on every pass).  Each
rule's passing examples are run and their messages read for such a verdict."""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.examples import example_record
from fiscalrules.records import load_record

# a number, its unit, then the unit (or a longer word starting with it: 批 批次) again
_UNIT_TWICE = re.compile(r"\d\s*(辆|个|批|人|台|家|套|件|项|元|万元|%)\s*\1")


def _example_messages(name: str, status: str):
    """(rule, Chinese message, English message) of each finding of *status* its examples expecting
    that status give."""
    ruleset = fiscalrules.load_ruleset(name)
    for rule in ruleset.rules:
        for index, example in enumerate(rule.rule.examples, start=1):
            if example.expect != status:
                continue
            record = load_record(example_record(example.record, ruleset.checked), id=f"{rule.id} example {index}")
            for finding in rule.evaluate(record):
                if finding.status == status:
                    yield rule.id, finding.message, finding.text("en")


def _failing_messages(name: str):
    return _example_messages(name, "fail")


# what calls the figures wrong: fine in a failure, false in a pass
_VERDICT = re.compile(r"不相符|不符|不一致|有误|却|但|没有找到|disagree|do(?:es)? not match|mismatch|\bdiffers? from\b|\bbut\b|\byet\b|not found")


@pytest.mark.parametrize("name", ["budget_disclosure", "final_accounts"])
def test_no_pass_message_says_the_figures_disagree(name):
    wrong = [(rule, zh, en) for rule, zh, en in _example_messages(name, "pass") if _VERDICT.search(zh) or _VERDICT.search(en)]
    assert wrong == []


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


# Session 50: the 决算's "a difference needs a reason" rules printed the reason's length as the figures
# ("决算 0、预算 0 不同，却没有说明原因": {left} / {right} are the sides of the comparison that decided,
# length(reason) > 0) -- and "没有说明原因" on a pass that gave one.
@pytest.mark.parametrize("rule_id, shown", [
    ("CMP-007", "决算 9746.5、预算 10210.34"),
    ("CMP-013", "决算 40.35、预算 42.73"),
    ("CMP-015", "决算 612、全年预算 640"),
    ("CMP-023", "“三公”经费决算 0.39、预算 2.85"),
])
def test_a_missing_reason_names_the_two_figures(rule_id, shown):
    messages = [zh for rule, zh, _ in _failing_messages("final_accounts") if rule == rule_id]
    assert messages and all(shown in zh for zh in messages), messages


# Session 51: a percentage carries its unit like any figure, so "{left}%" printed "56%%" (PROC-004 / 005
# on a 湖北-style 决算 written blind, the table-change rules on every printed 增减（%）).
def test_a_percentage_shows_its_sign_once():
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    money = {"unit": "万元"}
    totals = {"total": {"value": "903.00", **money}, "prior": {"value": "863.00", **money},
              "change": {"value": "50.00", **money}, "pct": {"value": "5.80", "unit": "%"}}
    record = load_record({"tables": {"expenditure": {"totals": totals, "rows": []}}})
    messages = [f.message for f in ruleset.evaluate(record).findings if f.rule == "TCH-003"]
    assert messages and "增减 5.8 %（" in messages[0] and "%%" not in messages[0], messages
