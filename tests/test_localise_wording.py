"""What a suggestion (建议) says of the figure to change (review 21 L6, L7, L8, L10; session 22):
the slip named once (its values are the two just printed); a row of a list named by its printed
name, not its place in the list; a figure only inequalities hold suggested as a bound; a
warning's suggestion worded "if"; a change carried over to a coarser unit suggested in the unit
printed; a failure the model has no comparison for but that shares the culprit of an explained
group given that group's answer (only when that answer makes it hold, not when it merely sets
it aside); a sum of prior-year figures implied by stated percentages
(INC-006) explained by the percentage that makes it hold."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import fiscalrules
import pytest
import yaml
from fiscalrules import compile_rules

DATA = yaml.safe_load((Path(__file__).parent / "cases" / "localisation.yaml").read_text(encoding="utf-8"))

PROJECTS = compile_rules('''
unit 万元
precision 万元 0.01
field projects "项目支出绩效目标表": table(name "项目名称": text, total "年度资金总额": amount,
    appropriation "其中：财政拨款": amount, other "其他资金": amount, cost "成本指标": amount)
rule PRJ "年度资金总额等于各项资金之和": for each p in projects: p.total = p.appropriation + p.other
rule COST "项目成本指标不超过年度资金" {
    severity warning
    assert for each p in projects: p.cost <= p.total
}
''')


def _localised(rules, record: dict):
    report = rules.evaluate(record)
    report.localise()
    return report


def test_a_row_of_a_list_is_named_by_its_printed_name_not_its_index():
    report = _localised(PROJECTS.subset(["PRJ"]), {"projects": [
        {"name": "国土空间规划编制项目", "total": "72.00", "appropriation": "72.00", "other": "10.00", "cost": "1.00"}]})
    [failure] = report.failures
    assert "国土空间规划编制项目·其中：财政拨款" in failure.suggestion
    assert "国土空间规划编制项目·其他资金" in failure.suggestion
    assert "[" not in failure.suggestion          # no "[1]": the page prints no such number
    changes = json.loads(report.to_json())["localisation"][0]["explanations"][0]["changes"]
    assert changes[0]["row"] == "国土空间规划编制项目" and changes[0]["path"].startswith("projects[")


def test_beside_a_rows_name_the_column_is_named_as_the_table_heads_it():
    # A reader cuts the words before a number as its label ("经常性项目4)2025年预算安排资金"):
    # beside the row's printed name the column's heading is said instead; a figure whose label
    # is the row's own name keeps the name alone.
    report = _localised(PROJECTS.subset(["PRJ"]), {"projects": [
        {"name": "国土空间规划编制项目", "total": {"value": "72.00", "label": "经常性项目4)2025年预算安排资金"},
         "appropriation": "72.00", "other": "10.00", "cost": "1.00"},
        {"name": "事业收入", "total": {"value": "72.00", "label": "事业收入"},
         "appropriation": "72.00", "other": "10.00", "cost": "1.00"}]})
    totals = {c.row: c.label for loc in report.localise() for e in loc.explanations for c in e.changes
              if c.path.endswith(".total")}
    assert totals == {"国土空间规划编制项目": "年度资金总额", "事业收入": "事业收入"}


def test_a_figure_only_an_inequality_holds_is_suggested_as_a_bound_and_a_warning_says_if():
    report = _localised(PROJECTS.subset(["COST"]), {"projects": [
        {"name": "高标准农田建设项目", "total": "48.00", "appropriation": "48.00", "other": "0", "cost": "72.00"}]})
    [failure] = report.failures
    assert failure.severity == "warning"
    assert failure.suggestion.startswith("如确有错误：")
    assert "72.00 → 不超过 48.00 万元" in failure.suggestion or "48.00 → 不少于 72.00 万元" in failure.suggestion
    assert failure.suggestion_text("en").startswith("if this is an error: ")
    assert "at most 48.00" in failure.suggestion_text("en") or "at least 72.00" in failure.suggestion_text("en")
    table = report.to_table()
    assert "不超过 48.00 万元" in table or "不少于 72.00 万元" in table
    data = json.loads(report.to_json())["localisation"][0]["explanations"][0]["changes"][0]
    assert data["bound"] in ("max", "min") and data["suggested"] in ("48.00", "72.00")


def test_an_equality_suggests_the_value_and_an_error_says_it_plainly():
    report = _localised(PROJECTS.subset(["PRJ"]), {"projects": [
        {"name": "甲项目", "total": "72.00", "appropriation": "72.00", "other": "10.00", "cost": "1.00"}]})
    [failure] = report.failures
    assert "不超过" not in failure.suggestion and "如确有错误" not in failure.suggestion
    assert "→ 62.00 万元" in failure.suggestion


def test_the_slip_is_named_once_its_values_are_not_repeated():
    rules = compile_rules(DATA["prelude"])
    report = _localised(rules.subset(["INC-1"]), {"income": {"total": "383.48", "sources": {
        "appropriation": "329.49", "business": "53.09", "carryover": "0.45"}}})
    [failure] = report.failures
    assert failure.suggestion.endswith("329.49 → 329.94 万元（数字顺序颠倒）"), failure.suggestion
    assert failure.suggestion_text("en").endswith("329.49 → 329.94 万元 (digits swapped)")
    # the JSON keeps the slip in full
    change = json.loads(report.to_json())["localisation"][0]["explanations"][0]["changes"][0]
    assert change["slip_text"] == "数字顺序颠倒：329.49 → 329.94"


def test_a_failure_sharing_the_culprit_of_an_explained_group_gets_its_answer():
    # COND compares two conditions: the model has no comparison for it (it stood apart, "not
    # linear", with no suggestion); the explained group's change makes it hold too.
    rules = compile_rules(DATA["prelude"] + '''
rule COND "收入与支出同为大额或同为小额": (income.total > 5.00) = (expense.total > 5.00)
''')
    report = _localised(rules, {"income": {"total": "10.00", "sources": {
        "appropriation": "1.00", "business": "0", "carryover": "0"}}, "expense": {"total": "1.00"}})
    [group] = report.localise()
    assert set(group.failures) == {"BAL", "INC-1", "COND"}
    by_rule = {f.rule: f.suggestion for f in report.failures}
    assert by_rule["COND"] == by_rule["INC-1"] == "收入预算总额：10.00 → 1.00 万元（小数点错位）"


def test_a_failure_the_answer_does_not_fix_stays_apart():
    rules = compile_rules(DATA["prelude"] + '''
rule COND "收入与支出同为大额或同为小额": (income.total > 0.50) = (expense.total > 5.00)
''')
    report = _localised(rules, {"income": {"total": "10.00", "sources": {
        "appropriation": "1.00", "business": "0", "carryover": "0"}}, "expense": {"total": "1.00"}})
    groups = {loc.failures: loc for loc in report.localise()}
    assert groups[("COND",)].reason == "not_linear" and not groups[("COND",)].explanations


def test_a_failure_the_answer_only_sets_aside_stays_apart():
    # The group's answer (收入预算总额 10.00 → 1.00) makes COND's precondition false: COND is then
    # not applicable, not holding -- set aside, not fixed -- so it is not reported as the group's.
    rules = compile_rules(DATA["prelude"] + '''
rule COND "收入大额时支出也为大额" {
    when income.total > 5.00
    assert (income.total > 5.00) = (expense.total > 5.00)
}
''')
    record = {"income": {"total": "10.00", "sources": {
        "appropriation": "1.00", "business": "0", "carryover": "0"}}, "expense": {"total": "1.00"}}
    patched = dict(record, income=dict(record["income"], total="1.00"))
    assert rules.subset(["COND"]).evaluate(patched).findings[0].status == "not_applicable"
    report = _localised(rules, record)
    groups = {loc.failures: loc for loc in report.localise()}
    assert set(groups) == {("BAL", "INC-1"), ("COND",)}
    assert groups[("COND",)].reason == "not_linear" and not groups[("COND",)].explanations
    assert {f.rule: f.suggestion for f in report.failures}["COND"] != "收入预算总额：10.00 → 1.00 万元（小数点错位）"


def test_a_sum_of_percentage_implied_priors_names_the_percentage():
    # INC-006's failing example: 财政拨款收入 "比上年增长5.55%" where 4.55% was meant; the
    # priors each percentage implies are the sum's terms, and no comparison of the model reads
    # them -- each stated percentage in turn is the variable.
    record = {"income": {"total": {"value": "1286.40", "pct": "7.2"}, "sources": {
        "appropriation": {"value": "1150.00", "pct": "5.55",
                          "source": {"line": 4, "text": "财政拨款收入1,150.00万元，比上年增长5.55%"}},
        "business": {"value": "80.00", "pct": "14.29"}, "other": {"value": "16.40", "pct": "-18"},
        "carryover": {"value": "40.00", "pct": "300"}}}}
    report = _localised(fiscalrules.load_ruleset("budget_disclosure"), record)
    [failure] = [f for f in report.failures if f.rule == "INC-006"]
    assert failure.suggestion == "财政拨款收入的增减幅度（第4行）：5.55% → 4.55%（一位数字不同）"
    [group] = [loc for loc in report.localise() if loc.failures == ("INC-006",)]
    first = group.explanations[0].changes[0]
    assert (first.path, first.meta, first.suggested) == ("income.sources.appropriation", "pct",
                                                         Decimal("4.55"))
    # every other percentage is listed with the value that would balance the sum, checked
    assert {c.changes[0].path for c in group.explanations} >= {"income.total", "income.sources.business"}


def test_a_change_carried_to_a_coarser_unit_is_suggested_in_the_unit_printed():
    from test_reader_narrative_variants import _TOTAL_IN_YI, _variant
    from fiscalrules.readers import read_document
    record = read_document(_variant([(_TOTAL_IN_YI, "收入预算总额为 0.128640\n\n亿元，较上年预算安排增加 96.40 万元")])
                           .encode("utf-8"), name="variant.txt")
    report = _localised(fiscalrules.load_ruleset("budget_disclosure"), record)
    [failure] = [f for f in report.failures if f.rule == "INC-002"]
    assert "96.40 → 86.40 万元" in failure.suggestion and "亿元" not in failure.suggestion
    [group] = [loc for loc in report.localise() if "INC-002" in loc.failures]
    change = group.explanations[0].to_dict()["changes"][0]
    # the JSON keeps the record's unit and values, and says the unit printed
    assert (change["unit"], change["printed"], change["suggested"], change["printed_unit"]) == (
        "亿元", "0.009640", "0.008640", "万元")
    # and the failure's figures say the change as printed too, as the suggestion does
    assert "0.128640 亿元 (变动 96.40 万元)" in report.to_table()
    assert "0.128640 亿元 (change 96.40 万元)" in report.to_table(lang="en")


# A sentence longer than a source text keeps (240 characters): cut at its end, the source text
# lost the change's printed "96.40 万元", and the suggestion was said in 亿元.
_LONG_ASIDE = "（包括一般公共预算、政府性基金预算、国有资本经营预算、财政专户管理资金、单位资金等各类资金，按照部门预算编制有关规定，" * 4


@pytest.mark.parametrize("printed", [
    "收入预算总额为 0.128640 亿元" + _LONG_ASIDE + "较上年预算安排增加 96.40 万元",
    "收入预算总额为 0.128640 亿元，较上年预算安排增加 ９６．４０ 万元",        # full-width digits, as read
], ids=["long-sentence", "full-width"])
def test_a_carried_change_is_suggested_in_the_unit_printed_however_it_is_printed(printed):
    from test_reader_narrative_variants import _TOTAL_IN_YI, _variant
    from fiscalrules.readers import read_document
    record = read_document(_variant([(_TOTAL_IN_YI, printed)]).encode("utf-8"), name="variant.txt")
    assert record["income"]["total"]["change"] == "0.009640"
    report = _localised(fiscalrules.load_ruleset("budget_disclosure"), record)
    [failure] = [f for f in report.failures if f.rule == "INC-002"]
    assert "96.40 → 86.40 万元" in failure.suggestion and "亿元" not in failure.suggestion


def test_a_change_is_said_in_a_finer_unit_only_where_that_number_is_printed():
    from fiscalrules.localise.explain import in_printed_unit
    assert in_printed_unit(Decimal("0.009640"), "亿元", "较上年增加96.40万元") == "万元"
    assert in_printed_unit(Decimal("0.009640"), "亿元", "较上年增加196.40万元") is None
    assert in_printed_unit(Decimal("0.009640"), "亿元", "较上年增加0.009640亿元") is None


def test_english_names_the_figure_its_table_and_column_in_english():
    report = _localised(PROJECTS.subset(["PRJ"]), {"projects": [
        {"name": "国土空间规划编制项目", "total": "72.00", "appropriation": "72.00", "other": "10.00", "cost": "1.00"}]})
    [failure] = report.failures
    text = failure.suggestion_text("en")
    assert "国土空间规划编制项目 · of which: appropriation (project performance targets table · of which: appropriation" \
        in text
    assert "国土空间规划编制项目 · other funds (project performance targets table · other funds" in text
    table = report.to_table(lang="en")
    assert "project performance targets table · other funds" in table and "其他资金" not in table.split("most likely")[1]


def test_a_name_the_glossary_cannot_put_together_is_left_as_printed():
    from fiscalrules.translations import name_en
    assert name_en("一般公共预算支出表·基本支出") == "general public budget expenditure table · basic expenditure"
    assert name_en("合计 [2200104]") == "total [2200104]"
    assert name_en("国土空间规划编制项目") == "国土空间规划编制项目"      # a project's own name
    assert name_en("滨江市青石区文化旅游局收入支出总计") == "滨江市青石区文化旅游局收入支出总计"   # not half translated


def test_a_stated_prior_and_the_figure_it_was_printed_with_are_one_number():
    # "事业收入 80.00 万元，比2024年预算数60.00万元增加10.00万元" where 70.00 was meant: the reader
    # keeps the figure (income.sources.business) and, for CHG-009, a copy of it beside the stated
    # prior (doc.stated_priors[i].amount) -- one printed number read twice.  Changing the copy's
    # 增减额 alone (10.00 -> 20.00) fixed no document (the figure kept 10.00) and was offered
    # first; a change to one is a change to both, so it now breaks the sum of the changes and the
    # stated prior is the one answer.
    from test_reader_narrative_variants import _variant
    from fiscalrules.readers import read_document
    text = _variant([("事业收入 80.00\n\n万元，较上年预算安排增加 10.00 万元",
                      "事业收入 80.00\n\n万元，比2024年预算数60.00万元增加 10.00 万元")])
    report = _localised(fiscalrules.load_ruleset("budget_disclosure"), read_document(text.encode("utf-8"),
                                                                                      name="variant.txt"))
    [failure] = [f for f in report.failures if f.rule == "CHG-009"]
    [best] = failure.likely_wrong
    [change] = best.changes
    assert (change.path.endswith(".prior"), change.printed, change.suggested) == (True, Decimal("60.00"),
                                                                                   Decimal("70.00"))
    assert failure.suggestion.startswith("事业收入·上年数（文中写明的上年数·上年数")


def test_a_count_the_reader_worked_out_is_no_typists_slip():
    """(Session 50) The brackets of a passage, counted by the reader (no number printed): "右括号数
    1 → 2 个（一位数字不同）" called the correction a mistyped digit.  Figures of a document read with
    no source of their own are typed by no one: no slip; a record typed by hand (no sources at all)
    keeps its slips."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import test_reader_narrative_variants as variants
    from fiscalrules.readers import read_document
    record = read_document(variants._variant([("是：无出国安排。", "是：无出国安排（按计划（执行）。")]).encode(),
                           name="variant.txt")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    [localised] = [found for found in report.localise() if any(f.startswith("QUA-003") for f in found.failures)]
    changes = [(c.path.split(".")[-1], str(c.printed), str(c.suggested), c.slip)
               for e in localised.explanations for c in e.changes]
    assert changes == [("brackets_close", "1", "2", None), ("brackets_open", "2", "1", None)]
