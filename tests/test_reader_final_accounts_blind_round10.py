"""决算 wordings met in a tenth round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional text that shows it.

* 七（二）'s numbered 三公 items printing their budget, rate and change after their figure, the
  template's order turned: "3.公务接待费支出 5.10 万元，预算为 6.00 万元，完成预算的 85.00%，比上年减少
  1.00 万元，下降 16.39%" ("…预算为 0.00 万元，与上年持平"; the vehicle item "公务用车购置及运行费支出
  X 万元，完成预算的 P%。其中：（1）公务用车购置费支出 …（2）公务用车运行维护费支出 …").  Before: the
  budget and the change were listed unread (the change only read right after the figure or its
  rate), so a wrong percentage went unchecked.  Now the budget and rate are the item's (``budget``,
  ``completion``), its change the item's (CHG-011…013, CHG-026), "与上年持平" a change of 0.
* 八's fund figures with its balances: "政府性基金预算财政拨款年初结转和结余 A 万元，本年收入 B 万元，本年支出
  C 万元，年末结转和结余 D 万元".  Before: the income and spending were read, the two balances listed
  unread.  Now they are ``gov_fund.opening_balance`` / ``closing_balance``: NAR-032 holds them to the
  fund table's 合计 line, NAR-034 adds them up (A + B = C + D).
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document


def _unread(record: dict) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"]]


def _findings(record: dict, *statuses: str) -> list:
    # (not the quality rules: a document of one section misses the others, QUA-010)
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f for f in report.findings if f.status in statuses and not f.rule.startswith("QUA")]


def _value(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else node


# ---- 七（二）: the numbered items with their budget, rate and change after their figure ---------------

def _three_public(reception_pct: str = "16.39") -> bytes:
    return "\n".join([
        "宿陵市农业农村局2025年度部门决算", "",
        "第三部分 2025年度部门决算情况说明",
        "七、一般公共预算财政拨款“三公”经费支出决算情况说明",
        "（一）“三公”经费财政拨款支出决算总体情况说明",
        "2025年度“三公”经费财政拨款支出预算为30.00万元，支出决算为25.10万元，完成预算的83.67%，比上年减少3.00万元，"
        "下降10.68%。决算数小于预算数的主要原因是压减支出。",
        "（二）“三公”经费财政拨款支出决算具体情况说明",
        "2025年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0.00万元，占0%；公务用车购置及运行费支出决算"
        "20.00万元，占79.68%；公务接待费支出决算5.10万元，占20.32%。具体情况如下：",
        "1.因公出国（境）费支出0.00万元，预算为0.00万元，与上年持平。全年未安排因公出国（境）团组。",
        "2.公务用车购置及运行费支出20.00万元，完成预算的83.33%。其中：",
        "（1）公务用车购置费支出0.00万元，预算为0.00万元，与上年持平。2025年度未购置公务用车。",
        "（2）公务用车运行维护费支出20.00万元，预算为24.00万元，完成预算的83.33%，比上年减少2.00万元，下降9.09%。"
        "主要用于执法检查。",
        f"3.公务接待费支出5.10万元，预算为6.00万元，完成预算的85.00%，比上年减少1.00万元，下降{reception_pct}%。"
        "全年共接待国内来访团组20批次、160人次。",
        "八、政府性基金预算财政拨款收入支出决算情况说明", "本部门无政府性基金预算财政拨款收入和支出。", ""]).encode("utf-8")


def test_three_public_items_printing_budget_rate_and_change_after_their_figure_are_read():
    record = read_document(_three_public(), name="x.txt")
    assert not [r for r in _unread(record) if "预算为" in r], _unread(record)
    tp = record["three_public"]
    assert _value(tp, "reception.budget") == "6.00" and _value(tp, "reception.completion") == "85.00"
    assert (tp["reception"]["item"]["change"], tp["reception"]["item"]["pct"]) == ("-1.00", "-16.39")
    assert _value(tp, "overseas.budget") == "0.00" and tp["overseas"]["item"]["change"] == "0"
    assert _value(tp, "vehicle.completion") == "83.33"
    assert _value(tp, "vehicle_purchase.budget") == "0.00" and tp["vehicle_purchase"]["item"]["change"] == "0"
    assert _value(tp, "vehicle_operation.budget") == "24.00" and _value(tp, "vehicle_operation.completion") == "83.33"
    assert (tp["vehicle_operation"]["item"]["change"], tp["vehicle_operation"]["item"]["pct"]) == ("-2.00", "-9.09")
    # (the items' budgets add up to the total's: TPF-022 with the vehicle item in its two parts)
    assert not _findings(record, "fail", "not_evaluable"), _findings(record, "fail", "not_evaluable")
    assert "TPF-022" in {f.rule for f in _findings(record, "pass", "pass_rounding")}


def test_a_wrong_percentage_of_such_an_item_fails():
    record = read_document(_three_public(reception_pct="14.39"), name="x.txt")
    assert {f.rule for f in _findings(record, "fail")} == {"CHG-013"}


# ---- 八: the fund's balances beside its income and spending ----------------------------------------

_FUND_FIRST = "2025年度政府性基金预算财政拨款年初结转和结余42.50万元，"
# (the fund named inside the balance's name, 江苏)
_FUND_INSIDE = "2025年度政府性基金预算财政拨款支出1178.20万元。年初政府性基金预算财政拨款结转和结余42.50万元，"


def _gov_fund(closing: str = "24.30", lead: str = _FUND_FIRST) -> bytes:
    return "\n".join([
        "宿陵市农业农村局2025年度部门决算", "",
        "第三部分 2025年度部门决算情况说明",
        "八、政府性基金预算财政拨款收入支出决算情况说明",
        f"{lead}本年收入1160.00万元，本年支出1178.20万元，年末结转和结余{closing}万元。本年支出比上年增加533.20万元，增长82.67%。",
        "九、国有资本经营预算财政拨款支出决算情况说明", "本部门无国有资本经营预算财政拨款收入和支出。", ""]).encode("utf-8")


@pytest.mark.parametrize("lead", [_FUND_FIRST, _FUND_INSIDE])
def test_the_funds_balances_in_its_section_are_read(lead):
    record = read_document(_gov_fund(lead=lead), name="x.txt")
    assert not [r for r in _unread(record) if "结转和结余" in r], _unread(record)
    assert (_value(record, "gov_fund.opening_balance"), _value(record, "gov_fund.income"),
            _value(record, "gov_fund.expenditure"), _value(record, "gov_fund.closing_balance")) \
        == ("42.50", "1160.00", "1178.20", "24.30")
    assert not _findings(record, "fail", "not_evaluable"), _findings(record, "fail", "not_evaluable")


def test_the_funds_balances_that_do_not_add_up_fail():
    record = read_document(_gov_fund(closing="34.30"), name="x.txt")
    assert {f.rule for f in _findings(record, "fail")} == {"NAR-034"}
