"""The budget 情况说明 as other regions word it, each case a defect found on fictional documents
written without sight of the reader (a 北京, a 广东, a 四川 and a 浙江 budget in their own styles),
shown on a rewording of the team's example (examples/bureau_2025.txt): read, then audited against
the example's own findings.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_reader_narrative_variants import EXAMPLE, _audit, _variant  # noqa: E402

_STATUSES = ("fail", "not_evaluable")
_BASE_RECORD, _BASE_FAILING = _audit(EXAMPLE, _STATUSES)


def _value(record, path):
    node = record
    for part in path.split("."):
        node = node.get(part, {})
    return node.get("value")


def test_spending_parts_in_a_section_on_both_totals():
    # "一、收支预算总体情况 … 支出预算 X 万元…。其中：基本支出 A 万元…；项目支出 B 万元…": the section is the
    # income's (the grand total), and the spending's parts after its total were listed unread
    record, failing = _audit(_variant([
        ("（一）收入预算情况", "（一）收支预算总体情况"),
        ("（二）支出预算情况\n\n2025 年青山县自然资源局支出预算总额为", "2025 年部门支出预算为")]), _STATUSES)
    assert failing == _BASE_FAILING
    assert _value(record, "expenditure.total") == "1286.40"
    assert (_value(record, "expenditure.basic"), _value(record, "expenditure.project")) == ("900.40", "386.00")
    assert len(record["expenditure"]["function"]) == len(_BASE_RECORD["expenditure"]["function"]) == 5
    assert not [u for u in record["_meta"].get("unread", []) if "not mapped" in u["reason"]]


def test_the_appropriations_section_headed_with_both_sides():
    # "二、财政拨款收支预算情况": taken for the generic 收支预算情况 heading, the section was not read
    record, failing = _audit(_variant([(
        "（三）财政拨款支出情况\n\n2025 年青山县自然资源局财政拨款支出预算总额为",
        "（三）财政拨款收支预算情况\n\n2025 年青山县自然资源局财政拨款收支预算")]), _STATUSES)
    assert failing == _BASE_FAILING
    assert _value(record, "appropriation.total") == "1150.00"
    assert (_value(record, "appropriation.basic"), _value(record, "appropriation.project")) == ("880.00", "270.00")


def test_the_basic_spendings_split_in_a_sentence_after_the_classes():
    # "。一般公共预算财政拨款基本支出 A 万元，其中：人员经费 …；公用经费 …" closing the section after the
    # function classes: its 人员经费 / 公用经费 were listed unread
    closing = "加 2.00 万元。\n\n（四）政府性基金情况"
    record, failing = _audit(_variant([(closing, "加 2.00 万元。一般公共预算财政拨款基本支出 880.00 万元，其中：人员经费 "
                                                 "780.00 万元；公用经费 100.00 万元。\n\n（四）政府性基金情况")]), _STATUSES)
    assert failing == _BASE_FAILING
    assert (_value(record, "appropriation.basic_personnel"), _value(record, "appropriation.basic_public")) \
        == ("780.00", "100.00")
    assert _value(record, "appropriation.basic") == "880.00"


_THREE_PUBLIC_TABLE = ("单位编码\t单位名称\t合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行维护费\t\t\n"
                       "\t\t\t\t\t小计\t公务用车运行维护费\t公务用车购置\n**\t**\t1\t2\t3\t4\t5\t6\n"
                       "118001\t青山县自然资源局\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00")


def _years(record, year):
    return [row["context"] for row in record["doc"]["years"] if row["year"]["value"] == year]


def test_a_table_printing_a_year_a_line_has_last_years_row():
    # the 三公 table as 北京 prints it, a row a year ("2025年预算数 77.95 …" above "2026年预算数 117.92 …"):
    # the earlier year was taken for a slip for the budget year (TXT-001 failed)
    by_year = ("项目\t合计\t因公出国(境)费\t公务接待费\t公务用车购置费\t公务用车运行维护费\n"
               "2024年预算数\t11.00\t0.00\t5.00\t0.00\t6.00\n2025年预算数\t10.50\t0.00\t4.50\t0.00\t6.00")
    record, failing = _audit(_variant([(_THREE_PUBLIC_TABLE, by_year)]), ("fail",))
    assert "table_header_prior" in _years(record, "2024") and "table_header" in _years(record, "2025")
    assert not {f for f in failing if f.startswith("TXT-")}
    # a year of the header a slip still is one where no later year stands beside it
    slip = by_year.replace("2025年预算数", "2023年预算数").replace("2024年预算数", "2024年预算")
    _, failing = _audit(_variant([(_THREE_PUBLIC_TABLE, slip)]), ("fail",))
    assert "TXT-001" in {f.split("[")[0] for f in failing}


def test_last_year_named_as_having_no_such_budget():
    # "公务用车购置费 36.00 万元，2025 年未安排" (北京), "2024 年无此项预算" (四川): last year's, compared with
    for wording in ("2024 年未安排。", "2024 年无此项预算。"):
        record, failing = _audit(_variant([("公务用车购置费 0 万元，比上年增加（减少）0 万元，主要原因是：\n\n无购车计划。",
                                            "公务用车购置费 0 万元，" + wording)]), ("fail",))
        assert _years(record, "2024").count("comparison") == 2, wording
        assert not {f for f in failing if f.startswith("TXT-")}, wording
