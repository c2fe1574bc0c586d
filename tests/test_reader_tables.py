"""Printed tables in synthetic layouts: code rebuilding, space/tab cells, headers, performance rows."""

from __future__ import annotations

import pytest

from fiscalrules.readers import read_disclosure
from fiscalrules.readers.budget.performance import parse_target
from fiscalrules.readers.budget.tables import column_key

NARRATIVE = ("\n\n第三部分 测试局 2025 年部门预算情况说明\n\n（一）收入预算情况\n\n"
             "收入预算总额为 30 万元，其中：财政拨款收入 30 万元。\n")


def read_tables(tables: str) -> dict:
    return read_disclosure("第二部分 测试局 2025 年部门预算表\n\n" + tables + NARRATIVE, name="tables.txt")


def codes(rec: dict, key: str) -> list[str]:
    return [r["code"] for r in rec["tables"][key]["rows"]]


def test_space_separated_table_with_separate_code_cells():
    rec = read_tables(
        "一般公共预算支出表\n单位：元\n"
        "科目编码 科目名称 合计 基本支出 项目支出\n"
        "合计 300000.00 200000.00 100000.00\n"
        "208 社会保障和就业支出 200000.00 200000.00 0.00\n"
        "208 05 行政事业单位养老支出 200000.00 200000.00 0.00\n"
        "208 05 05 机关事业单位基本养老保险缴费支出 200000.00 200000.00 0.00\n"
        "210 卫生健康支出 100000.00 0.00 100000.00\n")
    table = rec["tables"]["general_budget"]
    assert table["unit"] == "元"
    assert codes(rec, "general_budget") == ["208", "20805", "2080505", "210"]
    assert table["totals"]["project"]["value"] == "100000.00"
    assert table["rows"][2]["basic"]["unit"] == "元"
    assert table["rows"][2]["basic"]["source"]["line"] == 9


def test_two_digit_items_under_full_five_digit_kuan():
    rec = read_tables(
        "部门支出总表\n单位：万元\n"
        "科目编码 科目名称 合计 基本支出 项目支出\n"
        "201 一般公共服务支出 10.00 10.00 0.00\n"
        "20103 政府办公厅(室)及相关机构事务 10.00 10.00 0.00\n"
        "01 行政运行 6.00 6.00 0.00\n"
        "02 一般行政管理事务 4.00 4.00 0.00\n")
    assert codes(rec, "expenditure") == ["201", "20103", "2010301", "2010302"]


def test_two_digit_kuan_under_lei_when_items_are_printed_in_full():
    rec = read_tables(
        "一般公共预算支出表\n单位：万元\n"
        "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "208\t社会保障和就业支出\t3.00\t3.00\t\n"
        "05\t行政事业单位养老支出\t3.00\t3.00\t\n"
        "2080505\t机关事业单位基本养老保险缴费支出\t3.00\t3.00\t\n"
        "221\t住房保障支出\t2.00\t\t2.00\n"
        "02\t住房改革支出\t2.00\t\t2.00\n"
        "2210201\t住房公积金\t2.00\t\t2.00\n")
    rec_rows = rec["tables"]["general_budget"]["rows"]
    assert [r["code"] for r in rec_rows] == ["208", "20805", "2080505", "221", "22102", "2210201"]
    assert "basic" not in rec_rows[4] and rec_rows[4]["project"]["value"] == "2.00"


def test_economic_table_rebuilds_two_digit_kuan_from_lei():
    rec = read_tables(
        "一般公共预算基本支出表\n单位：万元\n"
        "科目编码 科目名称 合计 人员经费 公用经费\n"
        "301 工资福利支出 5.00 5.00 0.00\n"
        "01 基本工资 5.00 5.00 0.00\n"
        "302 商品和服务支出 1.00 0.00 1.00\n"
        "17 公务接待费 1.00 0.00 1.00\n")
    assert codes(rec, "general_budget_basic") == ["301", "30101", "302", "30217"]
    assert rec["tables"]["general_budget_basic"]["rows"][3]["public"]["value"] == "1.00"


def test_space_row_with_lost_blank_cells_is_unread_not_guessed():
    rec = read_tables(
        "一般公共预算支出表\n单位：万元\n"
        "科目编码 科目名称 合计 基本支出 项目支出\n"
        "208 社会保障和就业支出 3.00 3.00\n"
        "210 卫生健康支出 5.00 2.00 3.00\n")
    # Which column 3.00 belongs to is not knowable; and a table read in part would be summed as
    # if whole, so the row that was understood is listed too, and the table has no rows.
    assert "rows" not in rec["tables"]["general_budget"]
    unread = rec["_meta"]["unread"]
    assert unread[0]["lines"] == [6, 6] and "table row not understood" in unread[0]["reason"]
    assert "2 figures for 3 columns" in unread[0]["reason"]
    assert unread[1]["lines"] == [7, 7] and unread[1]["reason"].startswith("row not read: 1 other row")


def test_two_sided_summary_table_from_single_spaced_text():
    rec = read_tables("收支预算总表\n单位：万元\n收入 支出\n项目 预算数 项目 预算数\n"
                      "一、财政拨款收入 30.00 一、一般公共服务支出 25.00\n"
                      "1. 一般公共预算资金 30.00 二、住房保障支出 5.00\n"
                      "2. 政府性基金 三、教育支出\n"
                      "二、事业收入\n"
                      "收入总计 30.00 支出总计 30.00\n")
    summary = rec["tables"]["summary"]
    income = [(r["name"], r["level"], r.get("amount", {}).get("value")) for r in summary["income"]["rows"]]
    assert income == [("一、财政拨款收入", 1, "30.00"), ("1.一般公共预算资金", 2, "30.00"),
                      ("2.政府性基金", 2, None), ("二、事业收入", 1, None)]
    spent = [(r["name"], r.get("code"), r.get("amount", {}).get("value")) for r in summary["expenditure"]["rows"]]
    assert spent == [("一、一般公共服务支出", "201", "25.00"), ("二、住房保障支出", "221", "5.00"),
                     ("三、教育支出", "205", None)]
    assert summary["income"]["totals"]["amount"]["value"] == "30.00"
    assert summary["expenditure"]["totals"]["amount"]["value"] == "30.00"


def test_two_sided_side_with_lost_blank_cells_is_listed_unread():
    # The expenditure side has four columns; its rows print two figures: the blank cells left
    # no trace, so that side is listed line by line and not read (its totals line's 合计 kept:
    # its first figure, whatever stands blank after it); the income side still is.
    rec = read_tables("财政拨款收支总表\n单位：万元\n财政拨款收入 财政拨款支出\n"
                      "项目 预算数 项目 合计 一般公共预算 政府性基金预算 国有资本经营预算\n"
                      "一、一般公共预算资金 30.00 一、一般公共服务支出 30.00 30.00\n"
                      "收入总计 30.00 支出总计 30.00 30.00\n")
    table = rec["tables"]["appropriation_summary"]
    assert table["income"]["totals"]["amount"]["value"] == "30.00"
    assert table["expenditure"]["totals"]["total"]["value"] == "30.00" and "rows" not in table["expenditure"]
    assert table["expenditure"]["totals"].keys() == {"total"}
    reasons = [u["reason"] for u in rec["_meta"]["unread"] if u["section"] == "财政拨款收支总表"]
    assert len(reasons) == 2 and all(r.startswith("expenditure side not read") for r in reasons)


def test_income_table_columns_by_source():
    rec = read_tables(
        "部门收入总表\n单位：万元\n"
        "科目编码\t科目名称\t合计\t财政拨款\t事业收入\t上年结转\n"
        "\t合计\t30.00\t25.00\t3.00\t2.00\n"
        "208\t社会保障和就业支出\t30.00\t25.00\t3.00\t2.00\n")
    row = rec["tables"]["income"]["rows"][0]
    assert {k for k in row if k not in ("code", "name")} == {"total", "appropriation", "business", "carryover"}
    assert rec["tables"]["income"]["totals"]["carryover"]["value"] == "2.00"


@pytest.mark.parametrize("leaf, full, key", [
    ("小计", "因公出国(境)费小计", "overseas"),
    ("小计", "公务用车购置及运行维护费小计", "vehicle"),
    ("公务用车运行维护费", "公务用车购置及运行维护费公务用车运行维护费", "vehicle_operation"),
    ("公务用车购置", "公务用车购置及运行维护费公务用车购置", "vehicle_purchase"),
    ("合计", "2025年预算数合计", "total"),
    ("科目名称", "支出功能分类科目科目名称", "name"),
    ("备注", "备注", "col_7"),
    ("用事业基金弥补收支差额", "用事业基金弥补收支差额", "non_appropriation_balance"),   # (the name before 2019)
    ("财政专户管理资金", "财政专户管理资金", "education_fees"),   # (教育收费's later name)
])
def test_column_keys(leaf, full, key):
    assert column_key(leaf, full, 6) == key


@pytest.mark.parametrize("target, expected", [
    ("≥1 个", {"comparator": "≥", "value": "1", "unit": "个"}),
    ("=100%", {"comparator": "=", "value": "100", "unit": "%"}),
    ("≤1,600,000 元", {"comparator": "≤", "value": "1600000", "unit": "元", "printed": "1,600,000"}),
    ("100%", {"value": "100", "unit": "%"}),
    ("有所提升", {}),
    ("预算范围内", {}),
])
def test_parse_target(target, expected):
    assert parse_target(target) == expected


def test_wrapped_performance_rows_without_title():
    rec = read_tables(
        "项目名称 测试项目\n\n主管部门及代码 101-测试局 实施单位 测试局\n\n项目资金\n\n（元）\n\n"
        "年度资金总额 300,000\n\n其中：财政拨款 200,000\n\n其他资金 100,000\n\n上年结转 0\n\n"
        "一级指标 二级指标 三级指标 指标值\n\n成本指标 经济成本指标 设备购置\n\n成本 ≤300000 元\n\n"
        "产出指\n\n标\n\n数量指标 完成数量 ≥ 5 台\n\n满意度指标\n\n服务对象满意\n\n度指标\n\n使用单位满意度 ≥90%\n\n"
        "说明文字没有指标值\n")
    project = rec["performance"]["projects"][0]
    assert (project["name"], project["department"], project["implementer"]) == (
        "测试项目", "101-测试局", "测试局")
    assert (project["total"]["value"], project["total"]["unit"], project["total"]["printed"]) == (
        "300000", "元", "300,000")
    rows = rec["performance"]["indicators"]
    assert [(r["level1"], r["level2"], r["level3"], r["target"]["value"]) for r in rows] == [
        ("成本指标", "经济成本指标", "设备购置成本", "≤300000 元"),
        ("产出指标", "数量指标", "完成数量", "≥ 5 台"),
        ("满意度指标", "服务对象满意度指标", "使用单位满意度", "≥90%"),
    ]
    assert rows[0]["target_value"]["source"]["line"] == 21      # the row's first line
    assert rows[0]["target"]["source"]["text"] == "成本指标 经济成本指标 设备购置成本 ≤300000 元"
    assert any("说明文字没有指标值" in u["reason"] for u in rec["_meta"]["unread"])


def test_a_line_is_a_table_title_only_if_it_has_the_character_biao():
    """table_title passes over lines without 表 before trying its patterns: each title pattern
    must therefore need one (a new one that does not would never be found)."""
    from fiscalrules.readers.budget.table_titles import _TABLE_TITLES, table_title_key
    assert all(pattern.pattern.endswith("表") for pattern, _ in _TABLE_TITLES)
    assert table_title_key("表1 收支预算总表 …… 12") == "summary"
    assert table_title_key("一般公共预算支出表") == "general_budget"
    assert table_title_key("收支预算总") is None and table_title_key("一般公共预算支出") is None
