"""决算 情况说明 sentences of round 16 no reader mapped, each in a small fictional document written here.

* 四、the appropriation's year income, spending and balances each broken down by fund type, in
  brackets or after a 其中 ("财政拨款本年收入 A 万元（一般公共预算财政拨款 A1 万元，政府性基金预算财政拨款 A2
  万元），年初财政拨款结转和结余 B 万元（…）"): the funds name no side, and were listed unread
  (appropriation.income / .opening / .expenditure / .closing; NAR-036 adds them up, NAR-037 holds the
  balances to the 财政拨款收入支出决算总表).
* 二、/ 三、several parts given one figure: "上级补助收入、经营收入、附属单位上缴收入均为 0 万元".
* 七、the vehicle item's operation part with its change right after it.
* 八、the lines the fund's spending is said to go to, named by their levels (gov_fund.items, NAR-038).
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

_HEAD = "示范县示范局2025年度部门决算\n第三部分 示范县示范局2025年度部门决算情况说明\n"

_BY_FUND = _HEAD + """四、财政拨款收入支出决算总体情况说明
2025年度财政拨款收、支总计均为{grand}万元。与2024年度相比，财政拨款收、支总计各增加10.00万元，增长1.00%。
其中：{income_words}{income}万元（一般公共预算财政拨款{gb_income}万元，政府性基金预算财政拨款300.00万元，国有资本经营预算财政拨款0万元），年初财政拨款结转结余150.00万元（一般公共预算财政拨款40.00万元，政府性基金预算财政拨款110.00万元）；{spent_words}1020.00万元，其中：一般公共预算财政拨款720.00万元、政府性基金预算财政拨款300.00万元；年末财政拨款结转和结余130.00万元（一般公共预算财政拨款{gb_closing}万元，政府性基金预算财政拨款110.00万元）。
"""
# the 财政拨款收入支出决算总表's lines the narrative's funds are held to
_SUMMARY = {"income_total": {"value": "1000.00"},
            "income": {"general_budget": {"value": "700.00"}, "gov_fund": {"value": "300.00"}},
            "opening": {"total": {"value": "150.00"}, "general_budget": {"value": "40.00"}, "gov_fund": {"value": "110.00"}},
            "closing": {"total": {"value": "130.00"}, "general_budget": {"value": "20.00"}, "gov_fund": {"value": "110.00"}},
            "expenditure_total": {"total": {"value": "1020.00"}, "general_budget": {"value": "720.00"},
                                  "gov_fund": {"value": "300.00"}}}


def _by_fund(income_words="财政拨款本年收入", spent_words="财政拨款本年支出", gb_income="700.00", gb_closing="20.00") -> dict:
    text = _BY_FUND.format(grand="1150.00", income_words=income_words, income="1000.00", gb_income=gb_income,
                           spent_words=spent_words, gb_closing=gb_closing)
    return read_document(text.encode("utf-8"), name="fa.txt")


def _statuses(record: dict, *rules: str) -> dict:
    """Each rule's status (a rule of one finding per row: "fail" where any row fails)."""
    statuses: dict = {}
    for f in fiscalrules.load_ruleset("final_accounts").evaluate(record).findings:
        if f.rule in rules and statuses.get(f.rule) != "fail":
            statuses[f.rule] = f.status
    return statuses


def _values(held: dict) -> dict:
    return {key: figure["value"] for key, figure in held.items()}


def test_each_appropriation_figure_broken_down_by_fund_in_brackets_or_after_qizhong_is_read_into_its_side():
    for income_words, spent_words in (("财政拨款本年收入", "财政拨款本年支出"), ("本年财政拨款收入", "本年财政拨款支出")):
        record = _by_fund(income_words, spent_words)
        appropriation = record["appropriation"]
        assert (appropriation["this_year_income"]["value"], appropriation["this_year_expenditure"]["value"]) == \
            ("1000.00", "1020.00")
        assert _values(appropriation["income"]) == {"general_budget": "700.00", "gov_fund": "300.00", "state_capital": "0"}
        assert _values(appropriation["opening"]) == {"general_budget": "40.00", "gov_fund": "110.00"}
        assert _values(appropriation["expenditure"]) == {"general_budget": "720.00", "gov_fund": "300.00"}
        assert _values(appropriation["closing"]) == {"general_budget": "20.00", "gov_fund": "110.00"}
        assert record["_meta"]["unread"] == []


def test_the_funds_add_up_to_the_figure_they_break_down_and_the_balances_agree_with_the_summary_table():
    record = _by_fund()
    record.setdefault("tables", {})["appropriation_summary"] = _SUMMARY
    assert _statuses(record, "NAR-035", "NAR-036", "NAR-037") == {"NAR-035": "pass", "NAR-036": "pass", "NAR-037": "pass"}
    # a fund misprinted in the income's brackets: its sum is not the year's income, nor the table's line
    record = _by_fund(gb_income="770.00")
    record.setdefault("tables", {})["appropriation_summary"] = _SUMMARY
    assert _statuses(record, "NAR-035", "NAR-036") == {"NAR-035": "fail", "NAR-036": "fail"}
    # a closing balance's fund misprinted: NAR-036 by its sum, NAR-037 by the table
    record = _by_fund(gb_closing="02.00")
    record.setdefault("tables", {})["appropriation_summary"] = _SUMMARY
    assert _statuses(record, "NAR-036", "NAR-037") == {"NAR-036": "fail", "NAR-037": "fail"}


def test_a_figure_with_one_fund_listed_is_not_added_up():
    text = _HEAD + """四、财政拨款收入支出决算总体情况说明
2025年度财政拨款收、支总计均为110.00万元。其中：本年财政拨款收入100.00万元（其中：一般公共预算财政拨款60.00万元），年初财政拨款结转和结余10.00万元；本年财政拨款支出110.00万元，年末财政拨款结转和结余0万元。
"""
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert _values(record["appropriation"]["income"]) == {"general_budget": "60.00"}
    assert _statuses(record, "NAR-036") == {"NAR-036": "not_applicable"}


def test_several_parts_given_one_figure_are_a_row_each():
    text = _HEAD + """二、收入决算情况说明
本年收入合计100.00万元，其中：财政拨款收入90.00万元，占本年收入合计的90.00%；其他收入10.00万元，占本年收入合计的10.00%；上级补助收入、事业收入、经营收入和附属单位上缴收入均为0万元。
三、支出决算情况说明
本年支出合计100.00万元，其中：基本支出60.00万元，占本年支出合计的60.00%；项目支出40.00万元，占本年支出合计的40.00%；上缴上级支出、经营支出及对附属单位补助支出都为0万元。
"""
    record = read_document(text.encode("utf-8"), name="fa.txt")
    sources = {row["code"]: row["amount"]["value"] for row in record["income"]["sources"]}
    assert sources == {"appropriation": "90.00", "other": "10.00", "superior_subsidy": "0", "business": "0",
                       "operating": "0", "affiliated": "0"}
    parts = {row["code"]: row["amount"]["value"] for row in record["expenditure"]["parts"]}
    assert parts == {"basic": "60.00", "project": "40.00", "remit_superior": "0", "operating": "0",
                     "affiliated_subsidy": "0"}
    assert record["_meta"]["unread"] == []
    # (a name the list has no part of is not given the figure: listed unread)
    record = read_document(text.replace("上级补助收入、", "捐赠收入、").encode("utf-8"), name="fa.txt")
    assert "superior_subsidy" not in {row["code"] for row in record["income"]["sources"]}
    assert any(u["section"] == "情况说明" for u in record["_meta"]["unread"])


def test_several_parts_given_one_figure_in_other_words_are_a_row_each():
    # (the total in a sentence of its own, its parts after "。其中：": read by label and amount)
    text = _HEAD + """二、收入决算情况说明
2025年度本年收入合计100.00万元。其中：财政拨款收入90.00万元，占本年收入的90.00%；其他收入10.00万元，占本年收入的10.00%；上级补助收入、事业收入、经营收入均为0万元。
三、支出决算情况说明
2025年度本年支出合计100.00万元。其中：基本支出60.00万元，占本年支出的60.00%；项目支出40.00万元，占本年支出的40.00%；经营支出和上缴上级支出均为0.00万元。
"""
    record = read_document(text.encode("utf-8"), name="fa.txt")
    sources = {row["code"]: row["amount"]["value"] for row in record["income"]["sources"]}
    assert sources == {"appropriation": "90.00", "other": "10.00", "superior_subsidy": "0", "business": "0", "operating": "0"}
    parts = {row["code"]: row["amount"]["value"] for row in record["expenditure"]["parts"]}
    assert parts == {"basic": "60.00", "project": "40.00", "operating": "0.00", "remit_superior": "0.00"}
    assert record["_meta"]["unread"] == []


_VEHICLE = _HEAD + """七、财政拨款“三公”经费支出决算情况说明
2.公务用车购置及运行维护费支出预算为9.00万元，支出决算为8.00万元，完成预算的88.89%，比2024年度决算减少0.50万元，下降5.88%。其中：
公务用车购置费支出0万元。本年度未购置公务用车。
公务用车运行维护费支出8.00万元，比2024年度决算减少0.50万元，下降{pct}%，主要用于执法检查等公务用车的燃料费、维修费等支出。
"""


def test_the_vehicle_operation_parts_change_right_after_it_is_its_own():
    record = read_document(_VEHICLE.format(pct="5.88").encode("utf-8"), name="fa.txt")
    operation = record["three_public"]["vehicle"]["operation"]
    assert (operation["value"], operation["change"], operation["pct"]) == ("8.00", "-0.50", "-5.88")
    assert record["_meta"]["unread"] == []
    record = read_document(_VEHICLE.format(pct="8.55").encode("utf-8"), name="fa.txt")
    assert _statuses(record, "CHG-026") == {"CHG-026": "fail"}


_FUND_TABLE = """\
                                                    政府性基金预算财政拨款收入支出决算表

                                                                                                                                  公开08表
编制单位：示范县示范局                                                                                                          单位：万元
      项目                                                      年初结转      本年收入                  本年支出                  年末结转
支出功能分类科目编码          科目名称                            和结余                        小计    基本支出    项目支出        和结余
类   款  项
                合计                                                0.00        100.00        100.00        0.00      100.00          0.00
212             城乡社区支出                                        0.00        100.00        100.00        0.00      100.00          0.00
     08         国有土地使用权出让收入安排的支出                    0.00        100.00        100.00        0.00      100.00          0.00
         04     农村基础设施建设支出                                0.00         80.00         80.00        0.00       80.00          0.00
         99     其他国有土地使用权出让收入安排的支出                0.00         20.00         20.00        0.00       20.00          0.00
"""
_FUND_ITEMS = "示范县示范局2025年度部门决算\n" + _FUND_TABLE + """第三部分 示范县示范局2025年度部门决算情况说明
八、政府性基金预算财政拨款收入支出决算情况说明
2025年度政府性基金预算财政拨款年初结转和结余0万元，本年收入100.00万元，本年支出100.00万元，年末结转和结余0万元。支出主要用于城乡社区支出（类）国有土地使用权出让收入安排的支出（款）农村基础设施建设支出（项）{first}万元、其他国有土地使用权出让收入安排的支出（项）20.00万元，主要用于农村道路建设。
"""


def test_the_lines_a_funds_spending_goes_to_are_read_by_their_levels_and_held_to_its_table():
    # (the 项 codes by the fund table's lines of those names: the standard list may lack them)
    record = read_document(_FUND_ITEMS.format(first="80.00").encode("utf-8"), name="fa.txt")
    items = [(row["code"], row["name"], row["amount"]["value"]) for row in record["gov_fund"]["items"]]
    assert items == [("2120804", "农村基础设施建设支出", "80.00"), ("2120899", "其他国有土地使用权出让收入安排的支出", "20.00")]
    assert [u for u in record["_meta"]["unread"] if u["section"] == "情况说明"] == []
    assert _statuses(record, "NAR-038") == {"NAR-038": "pass"}
    record = read_document(_FUND_ITEMS.format(first="08.00").encode("utf-8"), name="fa.txt")
    assert _statuses(record, "NAR-038") == {"NAR-038": "fail"}
