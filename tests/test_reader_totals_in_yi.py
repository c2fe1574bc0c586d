"""Totals the narrative rounds to 亿元 (as large provincial departments print them: "收入、支出总计均为 13.41 亿元",
the tables in 万元), with their changes in 万元.

* A figure in 亿元 stands for ± half its own last digit (the bundled rulesets' ``precision 亿元 1``): "13.41 亿元" is
  134,100 ± 50 万元, so the table's 134,146.35 万元 agrees with it.  The language's default (0.0001 亿元) held it
  to ± 0.5 万元, and every restated total failed (a blind 陕西 决算: 24 false failures).
* Its change printed in 万元 is carried over to 亿元 with every digit, whichever sentence gives it to the total
  (the 决算 template's "与上年相比，收入、支出总计各增加 C 万元", a change naming its total): it was kept as printed
  under the 亿元 figure (7,271.73 亿元), or not given at all.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

import test_reader_narrative_variants as budget


def _statuses(ruleset: str, record: dict, rule: str) -> set:
    return {f.status for f in fiscalrules.load_ruleset(ruleset).evaluate(record).findings if f.rule == rule}


@pytest.mark.parametrize("printed, status", [("13.41", "pass_rounding"), ("13.42", "fail"), ("13.4", "pass_rounding")])
def test_a_total_in_yi_stands_for_half_its_last_digit(printed, status):
    # 134,146.35 万元 rounds to 13.41 亿元; 13.42 亿元 is 134,150 … 134,250 万元; 13.4 亿元 is 133,500 … 134,500
    record = {"overview": {"total": {"value": printed, "unit": "亿元"}},
              "tables": {"summary": {"income_grand_total": "134146.35"}}}
    assert _statuses("final_accounts", record, "NAR-001") == {status}


def test_a_final_accounts_total_in_yi_takes_its_change_in_wan():
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
    import final_accounts_variants as variants
    pattern = r"^滨江市青石区文化旅游局2024年度收入支出总计.*$"
    wording = "2024年度收入、支出总计均为0.12亿元。与2023年度相比，收入、支出总计各增加{C}万元，增长5.18%。"
    ruleset = fiscalrules.load_ruleset("final_accounts")
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(C="60.60"))]), name="yi.pdf")
    total = record["overview"]["total"]
    assert (total["value"], total["unit"], total["change"], total["pct"]) == ("0.12", "亿元", "0.006060", "5.18")
    assert not [f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"]
    # a wrong change is still caught through the rounding of the total
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(C="80.60"))]), name="yi.pdf")
    assert "CHG-001" in {f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"}


def test_a_budget_total_in_yi_reads_as_the_template():
    # "收入预算总额为 0.13 亿元" for 1,286.40 万元: no failure the example does not have; its change in 万元
    # is the total's in 亿元
    failing = budget._audit(budget.EXAMPLE, ("fail", "not_evaluable"))[1]
    text = budget._variant([("收入预算总额为 1,286.40\n\n万元", "收入预算总额为 0.13\n\n亿元")])
    record, now = budget._audit(text, ("fail", "not_evaluable"))
    assert (record["income"]["total"]["value"], record["income"]["total"]["change"]) == ("0.13", "0.008640")
    assert now == failing




_OVERALL_IN_YI = ("（一）收支预算总体情况\n\n2025 年本部门收入、支出预算总计 0.13 亿元，与 2024 年相比收、支预算总计各增加 "
                  "{C} 万元，增长 7.20%。主要原因是规划编制任务增加。\n\n（一）收入预算情况")


def test_a_budget_overall_total_in_yi_takes_its_each_change_in_wan():
    # the central template's "收入、支出预算总计 X，与上年相比收、支预算总计各增加 C 万元": the change was
    # given to a total in its own unit only -- a total in 亿元 left it listed and PCT-003 unchecked
    failing = budget._audit(budget.EXAMPLE, ("fail", "not_evaluable"))[1]
    text = budget._variant([("（一）收入预算情况", _OVERALL_IN_YI.format(C="86.40"))])
    record, now = budget._audit(text, ("fail", "not_evaluable"))
    assert now == failing
    total = record["income"]["total"]
    assert (total["value"], total["unit"], total["change"], total["pct"]) == ("0.13", "亿元", "0.008640", "7.20")
    bad = budget._variant([("（一）收入预算情况", _OVERALL_IN_YI.format(C="96.40"))])
    assert budget._audit(bad)[1] - failing
