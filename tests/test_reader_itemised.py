"""The itemised 编制说明 family and the 其他相关情况说明, on fictional sentences (cases as data).

Each case is a minimal disclosure of a fictional district bureau in the layout some regions use
(unnumbered headings: "…预算编制说明", "其他相关情况说明", "…经费情况说明"); the test reads it and
checks the figures at their record paths (value, signed change, percentage) and what is left
unread.
"""

from __future__ import annotations

import pytest

from fiscalrules.readers import read_disclosure
from fiscalrules.readers.budget.itemised import resolve_item_codes, split_names
from fiscalrules.readers.common.record import RecordBuilder

TITLE = "示范市示范区2026年区级部门预算\n预算主管部门：示范市示范区示范局\n"
NOTES = "2026年部门预算编制说明\n"
OTHER = "其他相关情况说明\n"


def read(body: str) -> dict:
    return read_disclosure(TITLE + body, name="itemised.txt")


def at(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def brief(figure: dict) -> tuple:
    """(value, change, pct) of a figure, None where not printed."""
    return figure["value"], figure.get("change"), figure.get("pct")


TOTALS = (NOTES + "2026年，示范局收入预算1,250.40万元，其中：财政拨款收入1,200.40万元，比2025年预算执行数增加"
          "100.20万元；事业收入50.00万元；事业单位经营收入0万元；其他收入0万元。\n"
          "支出预算1,250.40万元，其中：财政拨款支出预算1,200.40万元，比2025年预算减少20.10万元。财政拨款支出"
          "预算中，一般公共预算拨款支出预算1,200.40万元，比2025年预算减少20.10万元；政府性基金拨款支出预算0万元，"
          "比2025年预算执行数持平；国有资本经营预算拨款支出预算0万元，与2025年预算持平。\n"
          "财政拨款收入支出减少的主要原因是：项目调整。\n财政拨款支出主要内容如下：\n")


@pytest.mark.parametrize("path, expected", [
    ("income.total", ("1250.40", None, None)),
    ("income.sources.appropriation", ("1200.40", "100.20", None)),
    ("income.sources.business", ("50.00", None, None)),
    ("income.sources.operating", ("0", None, None)),
    ("income.sources.other", ("0", None, None)),
    ("expenditure.total", ("1250.40", None, None)),
    ("appropriation.total", ("1200.40", "-20.10", None)),
    ("appropriation.general_budget", ("1200.40", "-20.10", None)),
    ("appropriation.gov_fund", ("0", "0", None)),
    ("appropriation.state_capital", ("0", "0", None)),
])
def test_totals_paragraph(path, expected):
    record = read(TOTALS + "1. “一般公共服务支出（类）示范事务（款）行政运行（项）”1,200.40万元，主要用于机关运行。")
    assert brief(at(record, path)) == expected


def test_reason_sentence_and_its_direction():
    record = read(TOTALS + "1. “一般公共服务支出（类）示范事务（款）行政运行（项）”1,200.40万元，主要用于机关运行。")
    assert record["appropriation"]["change_reason"]["value"] == "项目调整"
    assert record["appropriation"]["change_word"]["value"] == "减少"


ITEM_CASES = [
    # (item text, expected row excerpt) -- numbers, names and wordings vary as regions print them
    ("1. “一般公共服务支出（类）示范事务（款）行政运行（项）”938.99万元，主要用于机关行政运行和人员经费。",
     {"lei_name": "一般公共服务支出", "kuan_name": "示范事务", "xiang_name": "行政运行",
      "amount": ("938.99", None, None), "purpose": "机关行政运行和人员经费"}),
    ("1. “社会保障和就业支出-行政事业单位养老支出-行政单位离退休”科目155.42万元，主要用于离退休经费。",
     {"lei_name": "社会保障和就业支出", "kuan_name": "行政事业单位养老支出", "xiang_name": "行政单位离退休",
      "amount": ("155.42", None, None)}),
    # the amount printed after the prior year's execution: 本年预算安排 is the item's amount
    ("1. 卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）上年执行数 60.00 万元，本年预算安排 66.00 万元，"
     "比上年执行数增加 6.00 万元，增长 10.00%，主要原因是人员增加。",
     {"xiang_name": "行政单位医疗", "prior": ("60.00", None, None), "amount": ("66.00", "6.00", "10.00"),
      "reason": "人员增加"}),
    # amount first, then a restated 本年预算安排 with the percentage only
    ("1. “城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”1660.32万元，主要用于行政运行。2025年当年预算"
     "执行数为1899.77万元，2026年预算安排1660.32万元，比2025年预算执行数减少12.60%。主要原因是：经费减少。",
     {"amount": ("1660.32", None, None), "prior": ("1899.77", None, None),
      "planned": ("1660.32", None, "-12.60"), "reason": "经费减少"}),
    ("1. “科学技术支出（类）科学技术普及（款）科普活动（项）”10.00万元，主要用于科普活动。2025年当年预算执行数为"
     "10.00万元，2026年预算安排10.00万元，比2025年预算执行数持平。主要原因是：保持不变。",
     {"planned": ("10.00", "0", None), "prior": ("10.00", None, None)}),
    # mixed full- and half-width brackets, a bare quoted name with no 科目 word
    ("1. “住房保障支出（类)住房改革支出（款)住房公积金（项）”136.10万元，主要用于公积金缴纳。",
     {"lei_name": "住房保障支出", "kuan_name": "住房改革支出", "xiang_name": "住房公积金",
      "amount": ("136.10", None, None)}),
]


@pytest.mark.parametrize("text, expected", ITEM_CASES, ids=[str(i) for i in range(len(ITEM_CASES))])
def test_item_wordings(text, expected):
    row = read(TOTALS + text)["appropriation"]["items"][0]
    assert row["item"] == "1"
    for key, value in expected.items():
        assert (brief(row[key]) if isinstance(value, tuple) else row[key]) == value, key


def test_items_are_numbered_consecutively_and_each_keeps_its_source_line():
    body = TOTALS + ("1. “一般公共服务支出（类）示范事务（款）行政运行（项）”100.00万元，主要用于运行。\n"
                     "2. “一般公共服务支出（类）示范事务（款）一般行政管理事务（项）”\n"
                     "1.50万元，主要用于2. 项工作的开展。\n"
                     "3. “住房保障支出（类）住房改革支出（款）购房补贴（项）”20.00万元，主要用于房贴。")
    record = read(body)
    items = record["appropriation"]["items"]
    assert [(r["item"], r["amount"]["value"]) for r in items] == [("1", "100.00"), ("2", "1.50"), ("3", "20.00")]
    lines = (TITLE + body).split("\n")
    # An item's amount points at the item's first line and quotes the item up to the amount.
    assert lines[items[1]["amount"]["source"]["line"] - 1].startswith("2. ")
    assert items[1]["amount"]["source"]["text"] == "2. “一般公共服务支出（类）示范事务（款）一般行政管理事务（项）”1.50万元"


def test_an_item_amount_is_never_a_template_field():
    # "行政运行（项）" holds the word 运行, but no 三公 field's name ends the label.
    record = read(TOTALS + "1. “城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”1660.32万元，主要用于行政运行。\n"
                  + OTHER + "一、2026年“三公”经费预算情况说明\n"
                  "2026年“三公”经费预算数为1.00万元，与2025年预算持平。其中：（一）因公出国（境）费0万元，"
                  "与2025年预算持平。（二）公务用车购置及运行费0万元，与2025年预算持平，主要原因是无公务用车。"
                  "其中：公务用车购置费0万元，与2025年预算持平；公务用车运行费0万元，与2025年预算持平。"
                  "（三）公务接待费1.00万元，与2025年预算持平，主要原因是按实际需求安排。")
    three = record["three_public"]
    assert {k: brief(v) for k, v in three.items() if k != "reasons"} == {
        "total": ("1.00", "0", None), "overseas": ("0", "0", None), "vehicle": ("0", "0", None),
        "vehicle_purchase": ("0", "0", None), "vehicle_operation": ("0", "0", None),
        "reception": ("1.00", "0", None)}
    assert {k: v["value"] for k, v in three["reasons"].items()} == {
        "vehicle": "无公务用车", "reception": "按实际需求安排"}
    assert record["appropriation"]["items"][0]["amount"]["value"] == "1660.32"


OTHER_NOTES = (OTHER + "一、2026年“三公”经费预算情况说明\n2026年“三公”经费预算数为3.00万元，与2025年预算持平。\n"
               "二、机关运行经费预算\n2026年示范局下属1家机关和1家事业单位财政拨款的机关运行经费预算为213.28万元。\n"
               "三、政府采购预算情况\n2026年本部门政府采购预算48.20万元，其中：政府采购货物预算7.80万元、政府采购工程预算"
               "10万元、政府采购服务预算30.40万元。\n2026年本部门面向中小企业预留政府采购项目预算金额34万元，其中，预留给"
               "小型和微型企业的政府采购项目预算为24万元。\n"
               "四、绩效目标设置情况\n本部门2个预算单位开展了2026年项目预算绩效目标编报工作，编报绩效目标的项目25个，"
               "涉及项目预算资金1138.60万元。\n"
               "五、国有资产占有使用情况\n截至2025年8月31日，示范局共有车辆3辆，其中：部级领导干部用车0辆、主要领导干部用车1辆、"
               "机要通信用车0辆、应急保障用车0辆、执法执勤用车1辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车1辆；"
               "单价100万元（含）以上设备（不含车辆）2台（套）。\n2026年部门预算安排购置车辆1辆，其中：部级领导干部用车0辆、"
               "其他用车1辆；部门预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。\n")


@pytest.mark.parametrize("path, expected", [
    ("three_public.total", ("3.00", "0", None)),
    ("operating_costs", ("213.28", None, None)),
    ("procurement.total", ("48.20", None, None)),
    ("procurement.goods", ("7.80", None, None)),
    ("procurement.works", ("10", None, None)),
    ("procurement.services", ("30.40", None, None)),
    ("procurement.sme_reserved", ("34", None, None)),
    ("procurement.sme_small_micro", ("24", None, None)),
    ("performance_targets.units", ("2", None, None)),
    ("performance_targets.projects", ("25", None, None)),
    ("performance_targets.funds", ("1138.60", None, None)),
    ("assets.vehicles.total", ("3", None, None)),
    ("assets.vehicles.leader_ministerial", ("0", None, None)),
    ("assets.vehicles.leader_principal", ("1", None, None)),
    ("assets.vehicles.law_enforcement", ("1", None, None)),
    ("assets.vehicles.retired_cadre", ("0", None, None)),
    ("assets.vehicles.other", ("1", None, None)),
    ("assets.vehicles.as_of", ("2025年8月31日", None, None)),
    ("assets.large_equipment_held", ("2", None, None)),
    ("assets.vehicle_purchases", ("1", None, None)),
    ("assets.vehicle_purchase_kinds.leader_ministerial", ("0", None, None)),
    ("assets.vehicle_purchase_kinds.other", ("1", None, None)),
    ("assets.large_equipment", ("0", None, None)),
])
def test_other_notes(path, expected):
    assert brief(at(read(TOTALS + OTHER_NOTES), path)) == expected


def test_other_notes_leave_no_money_unread():
    record = read(NOTES + "2026年，示范局收入预算3.00万元，其中：财政拨款收入3.00万元。支出预算3.00万元。\n" + OTHER_NOTES)
    reasons = [u["reason"] for u in record["_meta"]["unread"]]
    assert [r for r in reasons if r.startswith("amount")] == []
    # "下属1家机关和1家事业单位" (the scope of 机关运行经费: listed as counts until session 50) is read
    assert [r for r in reasons if r.startswith("count")] == []
    assert {k: v["value"] for k, v in record["operating_scope"].items()} == {"agencies": "1", "institutions": "1"}


PROJECTS = ("示范专项经费情况说明\n一、项目概述\n支持示范企业发展。\n二、立项依据\n1、《示范区2025年示范工作实施意见》"
            "（示范规〔2025〕1号）。\n三、实施主体\n示范市示范区示范局\n四、实施方案\n按程序拨付。\n五、实施周期\n"
            "2026.1.1-2026.12.31\n六、年度预算安排\n2026年度项目总预算1170.00万，其中支持甲870.00万，支持乙300.00万，"
            "合计1170.00万。\n七、绩效目标\n详见项目绩效目标表\n"
            "项目经费情况说明\n一、项目概况\n示范工程。\n五、实施周期\n第一至四季度支付尾款。\n六、年度预算安排\n"
            "第一季度用款计划15万元，第二季度用款计划15万元，第三季度用款计划15万元，第四季度用款计划15万元。\n"
            "七、绩效目标\n建成后使用。\n")


def test_project_descriptions():
    record = read(TOTALS + "1. “一般公共服务支出（类）示范事务（款）行政运行（项）”1,200.40万元，主要用于运行。\n"
                  + OTHER_NOTES + PROJECTS)
    first, second = record["projects"]
    assert first["name"] == "示范专项经费"
    assert (first["amount"]["value"], first["parts_total"]["value"]) == ("1170.00", "1170.00")
    assert first["period"]["value"] == "2026.1.1-2026.12.31"
    assert first["implementer"]["value"] == "示范市示范区示范局"
    assert first["basis"]["value"].startswith("1、《示范区2025年示范工作实施意见》")
    assert [(p["name"], p["amount"]["value"]) for p in record["project_parts"]] == [
        ("支持甲", "870.00"), ("支持乙", "300.00")]
    assert "amount" not in second
    assert [second[f"quarter_{q}"]["value"] for q in range(1, 5)] == ["15", "15", "15", "15"]


def test_years_of_prior_execution_comparisons_and_citations():
    record = read(TOTALS + "1. “城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”1200.40万元，主要用于行政运行。"
                  "2025年当年预算执行数为1899.77万元，2026年预算安排1200.40万元，比2025年预算执行数减少36.81%。\n"
                  + OTHER_NOTES + PROJECTS)
    contexts = {(r["year"]["value"], r["context"], r["expected"]) for r in record["doc"]["years"]}
    assert ("2025", "prior_execution", "prior_year") in contexts
    assert ("2025", "comparison", "prior_year") in contexts
    assert ("2025", "as_of_date", "prior_year") in contexts
    assert ("2025", "citation", "any") in contexts          # the cited title inside a project description
    assert ("2026", "narrative", "budget_year") in contexts  # "，2026年预算安排" right after a comma
    wrong = [r for r in record["doc"]["years"] if r["expected"] == "budget_year" and r["year"]["value"] != "2026"]
    assert wrong == []


def test_a_wrong_year_in_the_narrative_is_still_a_budget_year_mention():
    record = read(TOTALS + OTHER + "三、政府采购预算情况\n2025年本部门政府采购预算48.20万元。\n")
    rows = [r for r in record["doc"]["years"] if r["year"]["value"] == "2025" and r["context"] == "narrative"]
    assert rows and rows[0]["expected"] == "budget_year"


def test_cited_title_in_the_narrative_is_any_year():
    record = read(TOTALS + OTHER + "三、政府采购预算情况\n根据《示范区2024年政府采购目录》，2026年本部门政府采购预算"
                  "48.20万元。\n")
    assert {(r["year"]["value"], r["context"]) for r in record["doc"]["years"]} >= {("2024", "citation")}


def test_title_states_the_level_and_the_kind():
    record = read(TOTALS)
    assert (record["doc"]["level"]["value"], record["doc"]["kind"]["value"], record["doc"]["year"]["value"]) == (
        "区级", "部门预算", "2026")
    assert record["doc"]["publisher"]["value"] == "示范市示范区示范局"


def test_units_by_kind():
    record = read("示范局机构设置\n示范局部门预算是包括示范局本部以及下属 5 家预算单位的综合收支计划。\n"
                  "本部门中，行政单位 1 家，参公单位 1 家，事业单位 4 家。示范局机关设9个内设机构。\n" + TOTALS)
    org = {k: v["value"] for k, v in record["org"].items()}
    assert org == {"subordinate_units": "5", "administrative_units": "1", "civil_servant_managed_units": "1",
                   "institution_units": "4", "internal_divisions": "9"}


@pytest.mark.parametrize("name, expected", [
    ("一般公共服务支出(类)商贸事务(款)行政运行(项)",
     {"lei_name": "一般公共服务支出", "kuan_name": "商贸事务", "xiang_name": "行政运行"}),
    ("一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行",
     {"lei_name": "一般公共服务支出", "kuan_name": "政府办公厅(室)及相关机构事务", "xiang_name": "行政运行"}),
    ("卫生健康支出—行政事业单位医疗", {"lei_name": "卫生健康支出", "kuan_name": "行政事业单位医疗"}),
    ("行政运行", {"xiang_name": "行政运行"}),
])
def test_split_names(name, expected):
    assert split_names(name) == expected


TABLE_ROWS = [("201", "一般公共服务支出"), ("20138", "市场监督管理事务"), ("2013801", "行政运行"),
              ("2013802", "一般行政管理事务"), ("210", "卫生健康支出"), ("21007", "计划生育事务"),
              ("2100717", "计划生育服务"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗")]


@pytest.mark.parametrize("names, code, resolution", [
    ({"lei_name": "一般公共服务支出", "kuan_name": "市场监督管理事务", "xiang_name": "一般行政管理事务"},
     "2013802", "names"),
    # a misnamed 款: the 项 is still the only one of that name under the 类
    ({"lei_name": "卫生健康支出", "kuan_name": "行政单位医疗", "xiang_name": "行政单位医疗"},
     "2101101", "xiang name within its lei"),
    # the 项 printed with its 款's name, the 款 with its 类's: the only 项 of that 款
    ({"lei_name": "卫生健康支出", "kuan_name": "卫生健康支出", "xiang_name": "计划生育事务"},
     "2100717", "xiang name is a kuan with one xiang"),
    ({"lei_name": "卫生健康支出", "kuan_name": "行政事业单位医疗", "xiang_name": "不存在的项"}, None, None),
])
def test_item_codes_resolved_from_names(names, code, resolution):
    builder = RecordBuilder("t.txt")
    builder.data = {"tables": {"general_budget": {"rows": [{"code": c, "name": n} for c, n in TABLE_ROWS]}},
                    "appropriation": {"items": [dict(item="1", amount={"value": "1"}, **names)]}}
    resolve_item_codes(builder)
    row = builder.data["appropriation"]["items"][0]
    assert (row.get("code"), row.get("resolution")) == (code, resolution)
    if code:
        standard = dict(TABLE_ROWS)
        assert (row["standard_lei_name"], row["standard_kuan_name"], row["standard_name"]) == (
            standard[code[:3]], standard[code[:5]], standard[code])


def test_retired_staff_together_are_neither_kind():
    # "离退休人员" holds the word 退休, but names 离休 and 退休 staff together: the two kinds together
    # (staff.retired_together, which HC-004 counts in their place -- session 51; it was listed unread)
    record = read("示范局机构设置\n实有人数 20 人，其中：在职人数 15 人，离退休人员 5 人。\n" + TOTALS)
    assert "retired" not in record["staff"] and "retired_cadre" not in record["staff"]
    assert record["staff"]["retired_together"]["value"] == "5"
