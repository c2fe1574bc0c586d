"""Budget narratives as a 吉林 provincial department (a Word document) and a 宁夏 county bureau (a web
page) word them -- defects found on fictional documents written without sight of the reader, each
shown on a rewording of the team's example (examples/bureau_2025.txt, a 2025 budget).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_reader_budget_round5_narrative import _years  # noqa: E402
from test_reader_narrative_variants import _audit, _variant  # noqa: E402

_END_OF_THREE_PUBLIC = "无购车计划。\n"
_APPROPRIATION = "2025 年青山县自然资源局财政拨款支出预算总额为 1,150.00 万元，\n\n较上年预算安排增加 50.00 万元。\n"


def test_years_of_a_reason_a_contrast_and_an_evaluation_of_last_years_projects():
    # 吉林: "…主要原因是训练场馆设施维修改造项目部分于 2025 年完工" (a reason, the year not right after
    # 原因是); "2025 年预算数为 28.00 万元，2025 年购置公务用车 1 辆，2026 年不安排公务用车购置" (last year
    # set against the budget year in one sentence); 宁夏: "同时，对 2025 年城乡最低生活保障、高龄老人津贴等
    # 2 个重点民生项目开展绩效评价" -- TXT-001 failed four times on correct documents
    added = ("培训费减少的主要原因是培训基地改造项目部分于 2024 年完工。\n"
             "会议费 2024 年预算数为 3.00 万元，2024 年召开全系统会议 2 次，2025 年不安排全系统会议。\n"
             "同时，对 2024 年地质灾害防治等 2 个重点项目开展绩效评价，评价结果将作为安排以后年度预算的重要参考依据。\n")
    record, failing = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC + added)]), ("fail",))
    assert "TXT-001" not in failing
    assert _years(record, "于 2024 年完工") == [("2024", "past")]
    # (each year's source is its clause to the sentence's end)
    assert _years(record, "全系统会议") == [("2024", "past"), ("2024", "past"), ("2025", "narrative")]
    assert _years(record, "开展绩效评价") == [("2024", "past")]


def test_a_slip_of_the_budget_year_is_still_told():
    # (the twin: a year that is neither in a reason, nor set against the budget year, nor of an evaluation)
    added = "2024 年召开全系统会议 2 次。\n"
    record, failing = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC + added)]), ("fail",))
    assert "TXT-001" in failing


def test_a_change_named_after_the_comparisons_lead_is_the_named_figures():
    # 宁夏: "…其他支出 860,000.00 元。与上年相比，财政拨款收支总预算比上年增加 823,064.80 元，增长 4.99%" -- the
    # change went to the last figure listed (其他支出), PCT-008 failed for it by 2,223 percentage points
    record, failing = _audit(_variant([(_APPROPRIATION, (
        "2025 年青山县自然资源局财政拨款支出预算总额为 1,150.00 万元。其中：基本支出 880.00 万元，项目支出 270.00 万元。"
        "\n\n与上年相比，财政拨款支出预算总额比上年增加 50.00 万元，增长 4.55%。\n"))]), ("fail",))
    assert record["appropriation"]["total"]["change"] == "50.00"
    assert record["appropriation"]["total"]["pct"] == "4.55"
    assert not failing & {"APR-002", "APR-013", "PCT-006", "PCT-007", "PCT-008"}


# A 决算's "三公" item with its completion rate between the figure and its change (深圳)
_FINAL_ACCOUNTS = """示范市示范局2025年度部门决算
第三部分 示范市示范局2025年度部门决算情况说明
七、一般公共预算财政拨款“三公”经费支出决算情况说明
2025年度“三公”经费财政拨款支出预算为80.00万元，支出决算为70.86万元，完成预算的88.58%。
1.因公出国（境）费支出0.00万元，与2024年度持平。
2.公务用车购置及运行费支出65.49万元，完成预算的93.56%，比2024年度增加24.22万元，增长{pct}%。
3.公务接待费支出5.37万元，完成预算的67.13%，比2024年度减少0.75万元，下降12.25%。
"""


def _final_accounts(pct: str):
    import fiscalrules
    from fiscalrules.readers import read_document

    record = read_document(_FINAL_ACCOUNTS.format(pct=pct).encode("utf-8"), name="fa.txt")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


def test_a_change_after_the_completion_rate_is_the_figures():
    # "公务用车购置及运行费支出 65.49 万元，完成预算的 93.56%，比 2024 年度增加 24.22 万元，增长 58.69%": the
    # completion rate stood between the figure and its change, and the change was listed unread -- no rule
    # checked it (its percentage 58.69% against 24.22 / (65.49 - 24.22))
    record, failing = _final_accounts("58.69")
    # (七（一） gives no final figure per item: the change is the item's, CHG-011…013 check it)
    vehicle = record["three_public"]["vehicle"]["item"]
    assert (vehicle["value"], vehicle["change"], vehicle["pct"]) == ("65.49", "24.22", "58.69")
    reception = record["three_public"]["reception"]["item"]
    assert (reception["change"], reception["pct"]) == ("-0.75", "-12.25")
    assert not {rule for rule in failing if rule.startswith(("CHG", "PCT", "NAR"))}
    assert _final_accounts("56.89")[1] - failing == {"CHG-012"}          # (digits swapped: told)
