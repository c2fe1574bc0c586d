"""fiscalrules.localise explains failures of rules whose aggregates filter table rows by a
figure -- ``sum(r.amount for r in T where r.level = 1 and not contains(r.name, "结转"))``, as the
bundled 收支预算总表 subtotal rules TSU-004 / TSU-006 do, and as users' own rules may.

The filter is decided on the printed values, as a precondition is: the rows it keeps are the
terms of the sum, each a candidate figure of it (a changed one is named with what it should be);
the rows it drops take no part.  Before, a filter reading a `number` column (or an amount) left
the whole rule unmodelled (reason ``not_linear``, no explanation), and a filter ``r.level = 1 and
contains(r.name, …)`` read the name of a level-2 row the evaluator never looks at (a row without
a name: unmodelled too) -- found by test_localise's property on a generated budget record whose
summary row 898.06 had been changed to 898.60.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

import fiscalrules
from fiscalrules.localise import patched
from test_ruleset_budget import consistent_record   # (tests/ is on sys.path: pytest's rootdir-relative import)

RULES = """
unit 万元
field rows "收支预算总表": table(name: text, level "层级": number, amount "预算数": amount default 0)
field subtotal "本年收入合计": amount
field total "收入总计": amount
rule SUB "本年收入合计等于本年各项收入之和":
    subtotal = sum(r.amount for r in rows where r.level = 1 and not contains(r.name, "结转"))
rule TOTAL "收入总计等于本年收入合计加上年结转":
    total = subtotal + sum(r.amount for r in rows where r.level = 1 and contains(r.name, "结转"))
"""

RECORD = {
    "subtotal": "1246.40", "total": "1286.40",
    "rows": [{"name": "一、一般公共预算拨款收入", "level": 1, "amount": "1150.00"},
             {"level": 2, "amount": "1150.00"},                 # no name: the filter stops at its level
             {"name": "二、事业收入", "level": 1, "amount": "80.00"},
             {"name": "三、其他收入", "level": 1, "amount": "16.40"},
             {"name": "上年结转", "level": 1, "amount": "40.00"}],
}


def _changed(record, row: int, amount: str) -> dict:
    out = copy.deepcopy(record)
    out["rows"][row]["amount"] = amount
    return out


def _explanations(rules, record):
    report = rules.evaluate(fiscalrules.load_record(record))
    return report, report.localise()


def test_a_consistent_record_with_filtered_sums_gets_no_explanation():
    rules = fiscalrules.compile_rules(RULES)
    report, localised = _explanations(rules, RECORD)
    assert [f.status for f in report.findings] == ["pass", "pass"] and localised == []


def test_a_row_the_filter_keeps_is_named_with_what_it_should_be():
    rules = fiscalrules.compile_rules(RULES)
    record = _changed(RECORD, 3, "16.04")                  # 其他收入, digits swapped
    report, localised = _explanations(rules, record)
    assert [f.rule for f in report.failures] == ["SUB"]
    [group] = localised
    assert group.reason is None and group.explanations
    first = group.explanations[0]
    # (rows are named by their position from 1: rows[4] is 其他收入)
    assert [(c.path, str(c.printed), str(c.suggested)) for c in first.changes] == [("rows[4].amount", "16.04", "16.40")]
    assert first.changes[0].slip.kind == "digits_swapped"
    # every row the filter keeps may be the wrong one; the level-2 row and the carry-over may not
    named = {c.path for e in group.explanations for c in e.changes}
    assert {"rows[1].amount", "rows[3].amount", "rows[4].amount"} <= named
    assert "rows[2].amount" not in named and "rows[5].amount" not in named
    for explanation in group.explanations:
        fixed = patched(fiscalrules.load_record(record), {(c.path, c.meta): c.suggested for c in explanation.changes})
        assert not rules.evaluate(fixed).failures, explanation.text("en")


def test_a_row_the_filter_drops_changes_only_the_rules_that_keep_it():
    rules = fiscalrules.compile_rules(RULES)
    # the level-2 row is in no sum: changing it fails nothing and is explained by nothing
    report, localised = _explanations(rules, _changed(RECORD, 1, "1105.00"))
    assert not report.failures and localised == []
    # the carry-over is kept by TOTAL alone: the suggestion is its own value back (or the total's)
    report, localised = _explanations(rules, _changed(RECORD, 4, "4.00"))
    assert [f.rule for f in report.failures] == ["TOTAL"]
    [group] = localised
    suggested = [[(c.path, str(c.suggested)) for c in e.changes] for e in group.explanations]
    assert [("rows[5].amount", "40.00")] in suggested
    assert all(path not in ("rows[1].amount", "rows[2].amount", "rows[3].amount", "rows[4].amount")
               for e in suggested for path, _ in e)


def test_a_for_each_filter_stops_where_the_evaluator_does():
    """A per-row rule whose ``where`` reads a level and then a name: a level-2 row without a name
    is left out by the level, as the evaluator leaves it, not a reason to leave the rule out."""
    rules = fiscalrules.compile_rules("""
unit 万元
field rows "支出表": table(name: text, level "层级": number, total "合计": amount, basic "基本支出": amount, project "项目支出": amount)
rule ROW "一级科目合计等于基本支出加项目支出":
    for each r in rows where r.level = 1 and not contains(r.name, "结转"): r.total = r.basic + r.project
""")
    # codes relate the rows (20801 is a child of 208): the rule is modelled for 208 and its child
    record = {"rows": [{"code": "208", "name": "社会保障和就业支出", "level": 1, "total": "150.00", "basic": "100.00",
                        "project": "5.00"},
                       {"code": "20801", "level": 2, "total": "15.00", "basic": "10.00", "project": "5.00"},
                       {"code": "210", "name": "卫生健康支出", "level": 1, "total": "700.00", "basic": "600.00",
                        "project": "100.00"}]}
    report, localised = _explanations(rules, record)
    assert [f.rule for f in report.failures] == ["ROW"]
    [group] = localised
    assert group.explanations, group.reason
    assert ("rows[208].project", "50.00") in [(c.path, str(c.suggested)) for e in group.explanations for c in e.changes]


def test_a_filter_on_amounts_is_decided_on_the_printed_values():
    """A filter reading an amount (``where r.amount > 0``) keeps the rows it keeps as printed; the
    explanation's corrected record is checked by the evaluator as every other is."""
    rules = fiscalrules.compile_rules("""
unit 万元
field rows "收入表": table(name: text, amount "预算数": amount)
field positive "正数之和": amount
rule POS "正数之和等于各正数行之和": positive = sum(r.amount for r in rows where r.amount > 0)
""")
    record = {"positive": "30.00", "rows": [{"name": "甲", "amount": "12.00"}, {"name": "乙", "amount": "-5.00"},
                                            {"name": "丙", "amount": "81.00"}]}
    report, localised = _explanations(rules, record)
    assert [f.rule for f in report.failures] == ["POS"]
    [group] = localised
    suggested = [[(c.path, str(c.suggested)) for c in e.changes] for e in group.explanations]
    assert [("rows[3].amount", "18.00")] in suggested and [("positive", "93.00")] in suggested
    assert all(path != "rows[2].amount" for e in suggested for path, _ in e)




@pytest.mark.parametrize("side, row, value, rule", [
    ("income", 2, "06.00", "TSU-004"),       # 二、其他收入 60.00, digits swapped (kept: level 1, no 结转)
    ("expenditure", 2, "510.00", "TSU-006"),  # 社会保障和就业支出 150.00, digits swapped
])
def test_the_summary_subtotal_rules_are_explained(side, row, value, rule):
    """The bundled TSU-004 / TSU-006 (each subtotal of the 收支预算总表 = its level-1 rows above it):
    the changed row is among the explanations, with its printed value back."""
    rules = fiscalrules.load_ruleset("budget_disclosure")
    record = consistent_record()
    cell = record["tables"]["summary"][side]["rows"][row]["amount"]
    old = cell["value"] if isinstance(cell, dict) else cell
    if isinstance(cell, dict):
        cell["value"] = value
    else:
        record["tables"]["summary"][side]["rows"][row]["amount"] = value
    report = rules.evaluate(fiscalrules.load_record(record))
    assert rule in {f.rule for f in report.failures}
    localised = report.localise()
    found = [(c.path, c.suggested) for loc in localised for e in loc.explanations for c in e.changes]
    path = [p for p, _ in found if p.startswith(f"tables.summary.{side}.rows[")]
    assert (next(iter(path), None), D(old) if path else None) in found, localised
