"""Phrase forms the template allows, one synthetic snippet each.

Each snippet is a minimal disclosure (a 情况说明 part heading plus one section); the test reads
it and checks value, unit, signed change / percentage and the source line of the figure.
"""

from __future__ import annotations

import pytest

from fiscalrules.readers import read_disclosure

HEAD = "第三部分 测试局 2025 年部门预算情况说明\n\n一、2025 年部门预算收支情况说明\n\n"
HEAD_LINES = HEAD.count("\n")


def read(body: str) -> dict:
    return read_disclosure(HEAD + body, name="snippet.txt")


def income_total(body: str) -> dict:
    return read("（一）收入预算情况\n\n" + body)["income"]["total"]


def line_of(body_line: int) -> int:
    """Original line number of the *body_line*-th line after the section heading (1-based)."""
    return HEAD_LINES + 2 + body_line


@pytest.mark.parametrize("body, value, change", [
    # line break between number and unit, and inside the change word
    ("2025 年测试局收入预算总额为 329.94\n\n万\n\n元，较上年预算安排减\n\n少 57.24 万元。", "329.94", "-57.24"),
    # spaces between characters, digits included
    ("收 入 预 算 总 额 为 3 2 9 . 9 4 万 元 ， 较 上 年 预 算 安 排 增 加 1 0 . 0 5 万 元 。", "329.94", "10.05"),
    # full-width digits and punctuation
    ("收入预算总额为３２９．９４万元，较上年预算安排增加１０．０５万元。", "329.94", "10.05"),
    # thousands separators, half- and full-width
    ("收入预算总额为 15,915.97 万元，较上年预算安排增加 1,447.59 万元。", "15915.97", "1447.59"),
    ("收入预算总额为１５，９１５．９７万元，较上年预算安排减少１，４４７．５９万元。", "15915.97", "-1447.59"),
    # 比上年增/减
    ("收入预算总额为 20 万元,比上年增 2 万元。", "20", "2"),
    ("收入预算总额为 20 万元,比上年减 2.5 万元。", "20", "-2.5"),
    # 增加（减少）0, 与上年持平, 与上年安排保持一致
    ("收入预算总额为 0 万元，较上年预算安排增加（减少）0 万元。", "0", "0"),
    ("收入预算总额为 12.00 万元，与上年持平。", "12.00", "0"),
    ("收入预算总额为 12.00 万元，与上年安排保持一致。", "12.00", "0"),
    # 较上年 without 预算安排; 下降 as a change word with an amount
    ("收入预算总额为 80 万元，较上年下降 8 万元。", "80", "-8"),
])
def test_change_wordings(body, value, change):
    figure = income_total(body)
    assert (figure["value"], figure["unit"], figure["change"]) == (value, "万元", change)
    assert figure["source"]["line"] == line_of(1)


def test_wrapped_excerpt_joins_original_lines():
    figure = income_total("2025 年测试局收入预算总额为 329.94\n\n万\n\n元，较上年预算安排减\n\n少 57.24 万元。")
    assert figure["source"]["text"] == "2025 年测试局收入预算总额为 329.94万元，较上年预算安排减少 57.24 万元"


def test_printed_keeps_thousands_separator():
    figure = income_total("收入预算总额为 15,915.97 万元。")
    assert (figure["value"], figure["printed"]) == ("15915.97", "15,915.97")


@pytest.mark.parametrize("sentence, change, pct", [
    ("2025年部门机关运行经费预算 989.33万元，比 2024年预算增加 20.23万元，增长 2.09%。", "20.23", "2.09"),
    ("2025 年单位机关运行费预算 23.57 万元，较上年预算减少 1.93 万元，下降 7.57%。", "-1.93", "-7.57"),
    ("2024年部门机关运行费预算7.94万元,比2023年预算减少38.88万元,减少83.04%。", "-38.88", "-83.04"),
])
def test_operating_costs_change_and_percentage(sentence, change, pct):
    rec = read("（六）机关运行经费等重要事项的说明\n\n" + sentence)
    figure = rec["operating_costs"]
    assert (figure["change"], figure["pct"]) == (change, pct)
    contexts = [r["context"] for r in rec["doc"]["years"]]
    assert ("comparison" in contexts) == ("比 2024年" in sentence or "比2023年" in sentence)


def test_three_public_each_wording():
    rec = read("二、2025 年“三公”经费预算情况说明\n\n"
               "“三公”经费财政拨款安排 5 万元，其中：因公出国（境）费 0 万元，与上年持平；"
               "公务接待费 5 万元，比上年增 0 万元；公务用车运行维护费 2 万元，比上年减 1 万元；"
               "公务用车购置费 0 万元，比上年增加（减少）0 万元，主要原因是：与上年安排保持一致。")
    three = rec["three_public"]
    reasons = three.pop("reasons")
    assert {k: (v["value"], v.get("change")) for k, v in three.items()} == {
        "total": ("5", None), "overseas": ("0", "0"), "reception": ("5", "0"),
        "vehicle_operation": ("2", "-1"), "vehicle_purchase": ("0", "0")}
    assert {k: v["value"] for k, v in reasons.items()} == {"vehicle_purchase": "与上年安排保持一致"}


def test_page_number_between_wrapped_lines_is_dropped_but_a_wrapped_number_is_kept():
    body = ("（一）收入预算情况\n\n收入预算总额为 329.94 万元，较上年\n\n- 3 -\n\n预算安排增加 10.05 万元；"
            "上年结转\n12\n万元。")
    rec = read(body)
    assert rec["income"]["total"]["change"] == "10.05"
    assert rec["income"]["total"]["source"]["text"] == "收入预算总额为 329.94 万元，较上年预算安排增加 10.05 万元"
    assert rec["income"]["sources"]["carryover"]["value"] == "12"


def test_half_and_full_width_parentheses_in_headings_and_labels():
    rec = read("(一)收入预算情况\n\n上年结转(结余)5 万元；上年结转（结余）5 万元。")
    assert rec["income"]["sources"]["carryover"]["value"] == "5"
    rec = read("（一）收入预算情况\n\n因公出国（境）费 1 万元。")
    assert rec["_meta"]["unread"][-1]["reason"].startswith("amount 1万元 (因公出国(境)费) not mapped")


def test_expenditure_modes_and_class_codes():
    rec = read("（二）支出预算情况\n\n支出预算总额为 100 万元。按支出功能科目划分：教育支出 10 万元，"
               "文化旅游体育与传媒支出 20 万元，农林水支出 70 万元。按支出经济分类划分：工资福利支出 60 万元，"
               "商品和服务支出 30 万元，资本性支出（基本建设）10 万元。按支出项目类别划分：基本支出 60 万元，"
               "其中：人员经费 50 万元、公用经费 10 万元；项目支出 40 万元，其中：其他支出 40 万元。")
    exp = rec["expenditure"]
    assert [(r["code"], r["amount"]["value"]) for r in exp["function"]] == [
        ("205", "10"), ("207", "20"), ("213", "70")]
    assert [r["code"] for r in exp["economic"]] == ["301", "302", "309"]
    assert (exp["basic_personnel"]["value"], exp["basic_public"]["value"]) == ("50", "10")
    assert exp["project_economic"] == [dict(exp["project_economic"][0], code="399")]
    assert rec["_meta"]["unread"][-1]["reason"].startswith("第二部分")


def test_unmapped_amounts_are_listed_as_unread_with_lines():
    rec = read("（一）收入预算情况\n\n收入预算总额为 100 万元，其中：专项收入 10 万元。\n\n另有捐赠 3 万元。")
    reasons = {u["lines"][0]: u["reason"] for u in rec["_meta"]["unread"]}
    assert "专项收入" in reasons[line_of(1)] and "10万元" in reasons[line_of(1)]
    assert "捐赠" in reasons[line_of(3)]


def test_orphan_change_is_unread():
    rec = read("（一）收入预算情况\n\n收入预算总额为 100 万元，较上年增加 5 万元，较上年增加 6 万元。")
    assert rec["income"]["total"]["change"] == "5"
    assert any(u["reason"].startswith("change 6万元") for u in rec["_meta"]["unread"])


def test_gov_fund_amount_or_none_sentence():
    rec = read("（四）政府性基金情况\n\n本部门没有使用政府性基金预算拨款安排的支出，财政拨款均为一般公共预算。")
    assert rec["gov_fund"]["none"]["value"] == "本部门没有使用政府性基金预算拨款安排的支出,财政拨款均为一般公共预算"
    assert rec["gov_fund"]["none"]["source"]["text"].endswith("支出，财政拨款均为一般公共预算")
    rec = read("（四）政府性基金情况\n\n2025 年政府性基金预算拨款支出 30 万元。")
    assert rec["gov_fund"]["total"]["value"] == "30" and "none" not in rec["gov_fund"]


def test_assets_counts_and_large_equipment_threshold_is_not_an_amount():
    rec = read("（八）国有资产占有使用情况\n\n截至 2024 年底，部门共有车辆 5 辆，其中：机要通信用车 1 辆，"
               "应急保障用车 4 辆。安排购置单位价值 200 万元以上大型设备 2 台。")
    assets = rec["assets"]
    assert assets["vehicles"]["confidential_comm"]["value"] == "1"
    assert assets["vehicles"]["emergency"]["value"] == "4"
    assert (assets["large_equipment"]["value"], assets["large_equipment"]["unit"]) == ("2", "台")
    assert assets["vehicles"]["as_of"]["value"] == "2024年底"
    assert not any("200" in u["reason"] for u in rec["_meta"]["unread"])
    # The threshold is read as the standard, not as an amount of the count.
    assert (assets["large_equipment_threshold"]["value"], assets["large_equipment_threshold"]["unit"]) == (
        "200", "万元")
    assert rec["_meta"]["coverage"]["lines"]["silent"] == 0


def test_project_sections_with_several_named_projects():
    rec = read("（九）重点项目情况说明\n\n项目名称：甲项目；1）实施主体：测试局；2）年度预算安排：10 万元。\n\n"
               "项目名称：乙项目；1）年度预算安排：20.5 万元。")
    assert [(p["name"], p["amount"]["value"]) for p in rec["projects"]] == [("甲项目", "10"), ("乙项目", "20.5")]
    assert rec["projects"][0]["implementer"]["value"] == "测试局"


def test_headcount_groups_and_categories():
    text = ("第一部分 测试局概况\n\n二、机构设置及人员情况\n\n编制人数共计 10 人，其中：行政编制 6 人、"
            "自收自支事业编制 4 人。实有人数 12 人，其中：在职人数 9 人（行政在职人数 5 人、工勤人员在职人数 4 人），"
            "离休人数 1 人，退休人数 2 人。\n\n第三部分 测试局 2025 年部门预算情况说明\n\n（一）收入预算情况\n\n"
            "收入预算总额 1 万元。\n")
    staff = read_disclosure(text, name="headcount.txt")["staff"]
    flat = {f"{g}.{k}": v["value"] for g, d in staff.items() if "value" not in d for k, v in d.items()}
    assert flat == {"authorized.total": "10", "authorized.administrative": "6",
                    "authorized.self_funded_institution": "4", "actual.total": "12",
                    "active.total": "9", "active.administrative": "5", "active.worker": "4"}
    assert (staff["retired_cadre"]["value"], staff["retired"]["value"]) == ("1", "2")


def test_heading_with_its_first_sentence_on_the_same_line():
    rec = read("（一）收入预算情况：2025 年测试局收入预算总额为 100 万元，较上年增加 5 万元。\n\n"
               "（三）财政拨款支出情况。财政拨款支出预算总额 90 万元。\n")
    assert (rec["income"]["total"]["value"], rec["income"]["total"]["change"]) == ("100", "5")
    assert rec["income"]["total"]["source"]["section"] == "(一)收入预算情况"
    assert rec["appropriation"]["total"]["source"]["line"] == HEAD_LINES + 3
    assert [r["context"] for r in rec["doc"]["years"]].count("narrative") == 1


def test_unknown_section_amounts_are_unread_not_mapped_to_the_previous_section():
    rec = read("（八）国有资产占有使用情况\n\n部门共有车辆 2 辆。\n\n（九）专项经费情况说明\n\n"
               "年度预算安排：20 万元。\n\n（十）重点项目情况说明\n\n（一）项目概述：略。（二）年度预算安排：30 万元。\n")
    assert rec["assets"]["vehicles"]["total"]["value"] == "2"
    assert [(p["name"], p["amount"]["value"]) for p in rec["projects"]] == [("重点项目", "30")]
    unread = [u for u in rec["_meta"]["unread"] if u["section"] == "(九)专项经费情况说明"]
    assert len(unread) == 1 and "20万元" in unread[0]["reason"] and unread[0]["lines"] == [HEAD_LINES + 7] * 2
