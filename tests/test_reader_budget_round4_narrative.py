"""Budget narratives as a 天津, an 安徽 township and a 黑龙江 unit word them -- defects found on fictional
documents written without sight of the reader, each shown on a rewording of the team's example
(examples/bureau_2025.txt, a 2025 budget): years that are not slips for the budget year, and a
township's appropriations said to come from the county's finance.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_reader_narrative_variants import EXAMPLE, _audit, _variant  # noqa: E402

_END_OF_THREE_PUBLIC = "无购车计划。\n"


def _years(record, *sentences):
    found = []
    for row in record["doc"]["years"]:
        text = row["year"]["source"]["text"]
        if any(sentence in text for sentence in sentences):
            found.append((row["year"]["value"], row["context"], row["expected"]))
    return found


def test_years_of_last_year_or_of_past_events_in_the_narrative():
    # each of these took its year for a slip of the budget year (TXT-001 failed) or, "2025 年未安排…",
    # for last year's (TXT-002 failed)
    added = ("全年计划国内公务接待 20 批次、120 人次（2024 年预算为 24 批次、150 人次）。\n"   # 安徽
             "2024 年，本部门对上年度全部项目开展了绩效自评。\n"                             # 天津
             "同时对 2024 年实施的项目开展绩效自评。\n"                                      # 安徽
             "项目支出减少的主要原因是部分项目已于 2024 年完成。\n"                           # 黑龙江
             "2025 年未安排因公出国（境）团组。\n")                                         # 黑龙江
    record, failing = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC + added)]), ("fail",))
    assert not {"TXT-001", "TXT-002"} & failing
    assert _years(record, "预算为 24 批次") == [("2024", "comparison", "prior_year")]
    assert _years(record, "实施的项目开展绩效自评", "已于 2024 年") == [("2024", "past", "any")] * 2
    # ("2024 年，本部门对上年度…开展了绩效自评": its clause is the year alone)
    assert [(row["year"]["value"], row["context"]) for row in record["doc"]["years"]
            if row["year"]["source"]["text"] == "2024 年"] == [("2024", "past")]
    assert _years(record, "未安排因公出国") == [("2025", "narrative", "budget_year")]
    # the clause ending at "未安排" is still last year's: "公务用车购置费 0 万元，2024 年未安排。"
    record, _ = _audit(_variant([(_END_OF_THREE_PUBLIC, _END_OF_THREE_PUBLIC + "培训费 3.00 万元，2024 年未安排。\n")]),
                       ("fail",))
    assert _years(record, "2024 年未安排") == [("2024", "comparison", "prior_year")]


def test_a_township_funded_by_the_county():
    # 乡财县管: a 镇's glossary says "财政拨款：指县级财政当年拨付的资金" -- TXT-003 failed (乡级 publisher)
    township = EXAMPLE.replace("青山县自然资源局", "青山县双河镇人民政府")
    record, failing = _audit(township, ("fail",))
    assert (record["doc"]["level"]["value"], record["doc"]["glossary_level"]["value"]) == ("乡级", "县级")
    assert "TXT-003" not in failing
    record, failing = _audit(township.replace("指县级财政当年拨付", "指市级财政当年拨付"), ("fail",))
    assert "TXT-003" in failing


def test_income_and_spending_totals_worded_together():
    # 天津: "一、关于…收支预算情况的总体说明" was no section the reader knew, and "收、支预算总计均为 X" was cut at
    # its 、 into a label "支预算总计均" that named nothing: the grand total went unread
    record, failing = _audit(_variant([
        ("（一）收入预算情况", "（一）关于青山县自然资源局2025年收支预算情况的总体说明"),
        ("2025 年青山县自然资源局收入预算总额为 1,286.40", "2025 年青山县自然资源局收、支预算总计均为 1,286.40")]),
        ("fail", "not_evaluable"))
    assert record["income"]["total"]["value"] == "1286.40"
    assert not [u for u in record["_meta"].get("unread", []) if "1,286.40" in u["reason"]]


_RESERVED = ("服务预算 80.00 万元。", "服务预算 80.00 万元。面向中小企业预留政府采购项目预算金额 120.00 万元，占政府采购预算总额的 "
             "{share}%，其中：预留给小微企业 90.00 万元，占预留份额的 {small}%。")


def test_shares_of_the_amount_reserved_for_small_firms():
    # all four budgets written blind print the reserved amount's share of the procurement total, and
    # the small firms' share of the reserved amount ("占预留份额的", "占面向中小企业预留金额的"): both were
    # listed unread, unchecked; now PROC-018 / PROC-019 check them
    old, new = _RESERVED
    record, failing = _audit(_variant([(old, new.format(share="66.67", small="75.00"))]), ("fail",))
    procurement = {key: node["value"] for key, node in record["procurement"].items() if isinstance(node, dict)}
    assert (procurement["sme_reserved"], procurement["sme_reserved_share"], procurement["sme_small_micro"],
            procurement["sme_small_micro_share_of_reserved"]) == ("120.00", "66.67", "90.00", "75.00")
    assert not {"PROC-018", "PROC-019"} & failing
    _, failing = _audit(_variant([(old, new.format(share="76.67", small="57.00"))]), ("fail",))
    assert {"PROC-018", "PROC-019"} <= failing


def test_the_government_fund_spending_item_by_item():
    # 安徽 (a township with land revenue): "1.城乡社区支出（类）国有土地使用权出让收入安排的支出（款）征地和拆迁补偿
    # 支出（项）支出 20.00 万元，比上年增加 2.00 万元，增长 11.11%": each item was listed unread; now read as
    # gov_fund.items, coded from its names, and checked against the fund table (FND-008) and its
    # percentage (FND-010)
    from test_reader_narrative_variants import _FUND_ROWS, _FUND_TABLE

    def fund(amount, pct):
        return _variant([
            (_FUND_TABLE, _FUND_TABLE + _FUND_ROWS),
            ("本部门没有使用政府性基金预算拨款安排的支出。",
             "本部门政府性基金预算支出 20.00 万元。\n1.城乡社区支出（类）国有土地使用权出让收入安排的支出（款）"
             f"征地和拆迁补偿支出（项）支出 {amount} 万元，比上年增加 2.00 万元，增长 {pct}%。")])

    record, failing = _audit(fund("20.00", "11.11"), ("fail",))
    items = record["gov_fund"]["items"]
    assert [(row["code"], row["amount"]["value"], row["amount"]["pct"]) for row in items] == [("2120801", "20.00", "11.11")]
    assert not {"FND-008", "FND-010"} & failing
    assert not [u for u in record["_meta"].get("unread", []) if "征地和拆迁补偿" in u["reason"]]
    _, failing = _audit(fund("22.00", "12.00"), ("fail",))   # (22.00 is not the table's 20.00; 2.00 on 20.00 is 10%)
    assert {"FND-008", "FND-010"} <= failing
