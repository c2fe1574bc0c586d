"""Budget narratives as a 河北 county bureau and a 山西 provincial department word them -- defects found
on fictional documents written without sight of the reader, each shown on a rewording of the team's
example (examples/bureau_2025.txt, a 2025 budget).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_reader_narrative_variants import _audit, _variant  # noqa: E402

_END_OF_THREE_PUBLIC = "无购车计划。\n"
_APPROPRIATION = "较上年预算安排增加 50.00 万元。\n"


def _years(record, words):
    return [(row["year"]["value"], row["context"]) for row in record["doc"]["years"]
            if words in row["year"]["source"]["text"]]


def test_a_count_in_a_clause_about_last_year():
    # 山西: "主要原因是 2025 年更新购置公务用车 1 辆，2026 年无购置计划" -- the 1 vehicle was taken for this
    # year's purchase (TPF-042 against a 0 purchase cost, TPF-045 against the assets section failed),
    # its year for a slip of the budget year (TXT-001)
    record, failing = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC
                                        + "公务用车购置费减少的主要原因是 2024 年更新购置公务用车 1 辆，2025 年无购置计划。\n")]),
                             ("fail",))
    count = record["three_public"].get("counts", {}).get("vehicle_purchases")
    assert count is None or count["value"] == "0"
    assert not {"TPF-042", "TPF-045", "TXT-001"} & failing
    assert _years(record, "更新购置公务用车 1 辆") == [("2024", "past")]


def test_years_of_last_years_budget_and_of_the_self_evaluation():
    # 河北: "2026 年预算数为 18.00 万元，2025 年预算数为 0.00 万元"; "（2025 年预算安排 40 批次、300 人次）";
    # "2025 年度部门整体支出及重点项目绩效自评结果将按规定随部门决算一并公开": TXT-001 failed three times
    added = ("培训项目 2025 年预算数为 18.00 万元，2024 年预算数为 0.00 万元，本年新增。\n"
             "全年计划接待 20 批次、120 人次（2024 年预算安排 24 批次、150 人次）。\n"
             "2024 年度部门整体支出及重点项目绩效自评结果将按规定随部门决算一并公开。\n")
    record, failing = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC + added)]), ("fail",))
    assert not {"TXT-001", "TXT-002"} & failing
    assert _years(record, "预算数为 0.00") == [("2025", "narrative"), ("2024", "comparison")]
    assert _years(record, "预算安排 24 批次") == [("2024", "comparison")]
    assert _years(record, "绩效自评结果") == [("2024", "past")]


def test_the_appropriations_income_listed_by_fund():
    # 河北: "收入包括：一般公共预算当年拨款 A 万元；政府性基金预算当年拨款 B 万元；…上年结转 C 万元（均为政府性基金预算
    # 拨款结转）": each fund's year allocation was read as that fund's spending, so APR-014 (the kinds against
    # the total) and FND-007 (against the fund section's spending, B + C) failed on a correct document
    record, failing = _audit(_variant([(_APPROPRIATION, _APPROPRIATION + "收入包括：一般公共预算当年拨款 1,130.00 万元；"
                                        "政府性基金预算当年拨款 0 万元；上年结转 20.00 万元。\n")]), ("fail",))
    assert "general_budget" not in record["appropriation"]
    assert not {"APR-014", "FND-007"} & failing
    assert [u for u in record["_meta"]["unread"] if "1,130.00" in u["reason"] and "income" in u["reason"]]
