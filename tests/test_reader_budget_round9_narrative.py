"""A budget narrative as a 重庆 district words it (a Word document in a zip, written blind): the general
budget's section headed by what it says of it ("一般公共预算财政拨款支出规模变化情况").
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

_TEXT = """示范区示范局2026年部门预算
第三部分 2026年部门预算情况说明
二、财政拨款收支预算情况
2026年财政拨款收支总预算2972.75万元，比2025年增加133.99万元，增长4.72%。收入全部为本年财政拨款，其中：一般公共预算拨款2230.27万元，政府性基金预算拨款742.48万元，国有资本经营预算拨款0万元，无上年结转。
三、一般公共预算财政拨款支出预算情况
（一）一般公共预算财政拨款支出{heading}情况
2026年一般公共预算财政拨款支出2230.27万元，比2025年执行数增加96.79万元，增长4.54%。其中：基本支出1613.87万元，项目支出616.40万元。
"""


def _read(heading: str = "规模变化"):
    record = read_document(_TEXT.format(heading=heading).encode("utf-8"), name="b.txt")
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    return record, {f.rule for f in findings if f.status == "fail"}


def test_the_general_budgets_section_headed_by_its_change_is_the_general_budgets():
    # "（一）一般公共预算财政拨款支出规模变化情况" was taken for the appropriation's section (its words "财政拨款支出"):
    # the general budget's basic and project spending became the appropriation's, and APR-001 failed by the
    # government fund's 742.48 万元 in a correct document
    for heading in ("规模变化", "结构", "具体使用"):
        record, failing = _read(heading)
        assert "APR-001" not in failing, heading
        assert "basic" not in record.get("appropriation", {}), heading
        assert record["appropriation"]["general_budget"]["value"] == "2230.27"


_OVERALL = """示范区示范局2026年部门预算
第三部分 2026年部门预算情况说明
一、收支预算总体情况
2026年，示范区示范局部门收支总预算2984.75万元，比2025年增加135.99万元，增长4.77%。收入包括：一般公共预算拨款收入2230.27万元、政府性基金预算拨款收入742.48万元、其他收入12.00万元。支出包括：社会保障和就业支出723.48万元，农林水支出2261.27万元。按支出性质分，基本支出1613.87万元，项目支出{project}万元。
"""


def test_one_total_for_both_sides_then_the_spendings_parts():
    # "部门收支总预算 X 万元…收入包括：…。支出包括：…按支出性质分，基本支出 A 万元，项目支出 B 万元" (重庆): the spending's
    # parts were listed unread, its total unread -- EXP-001, TBL-009…011, CMP-001/002 not evaluable
    record = read_document(_OVERALL.format(project="1370.88").encode("utf-8"), name="b.txt")
    assert record["expenditure"]["total"]["value"] == "2984.75"
    assert (record["expenditure"]["basic"]["value"], record["expenditure"]["project"]["value"]) == ("1613.87", "1370.88")
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(
        read_document(_OVERALL.format(project="1307.88").encode("utf-8"), name="b.txt")).findings
    assert "EXP-001" in {f.rule for f in findings if f.status == "fail"}


_VEHICLES = """示范县第一中学2025年单位预算
第三部分 2025年单位预算情况说明
十二、国有资产占用情况
截至2024年12月31日，示范县第一中学共有车辆{total}辆，其中：一般公务用车1辆，特种专业技术用车（校车）1辆；单位价值50万元以上通用设备3台（套）。
"""


def test_a_vehicle_kind_glossed_in_brackets():
    # "特种专业技术用车（校车）1 辆" (云南): the kind was not read, VEH-002 failed a correct document (2 held, 1 by kind)
    record = read_document(_VEHICLES.format(total=2).encode("utf-8"), name="b.txt")
    assert record["assets"]["vehicles"]["special"]["value"] == "1"
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert "VEH-002" not in {f.rule for f in findings if f.status == "fail"}
    wrong = read_document(_VEHICLES.format(total=3).encode("utf-8"), name="b.txt")
    assert "VEH-002" in {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(wrong).findings
                         if f.status == "fail"}
