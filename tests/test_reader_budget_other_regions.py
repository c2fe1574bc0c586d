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

import fiscalrules  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

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


def _without_sources(node):
    if isinstance(node, dict):
        return {k: _without_sources(v) for k, v in node.items() if k not in ("source", "title")}
    return [_without_sources(v) for v in node] if isinstance(node, list) else node


def _tables_read(record) -> dict:
    return _without_sources(record["tables"])


def test_a_list_of_the_tables_before_them_is_not_taken_for_them():
    # 四川 prints the tables' titles a line each under 附表 before the tables: the list's titles were
    # taken for the tables (each "only the title … found") and the tables' own titles for duplicates
    # -- so an empty fund table was "not empty" (FND-001 failed) and the others were not read
    part = "第二部分  青山县自然资源局 2025 年部门预算表\n"
    listed = part + "\n附表\n\n一般公共预算支出表\n一般公共预算基本支出表\n财政拨款“三公”经费支出表\n政府性基金预算支出表\n\n"
    record, failing = _audit(_variant([(part, listed)]), _STATUSES)
    assert failing == _BASE_FAILING
    assert _tables_read(record) == _tables_read(_BASE_RECORD)
    assert not [u for u in record["_meta"].get("unread", []) if "duplicate of tables" in u["reason"]
                or "only the title" in u["reason"]]


_EMPTY_FUND = """示范县示范局2025年部门预算
第二部分 示范县示范局2025年部门预算表
政府性基金支出预算表
部门：示范县示范局                                            单位：元
科目编码          科目名称  本年政府性基金预算支出
类        款  项                              合计  基本支出  项目支出
                  合计
备注：示范县示范局2025年无政府性基金预算拨款安排的支出，故本表无数据。
第三部分 示范县示范局2025年部门预算情况说明
（四）政府性基金情况
本部门没有使用政府性基金预算拨款安排的支出。
"""


def test_an_empty_fund_table_printing_its_total_line_blank():
    # "合计" alone under a 类 / 款 / 项 header of an empty 政府性基金 table (四川): a row "not understood",
    # so the table was not empty and FND-001 failed against the narrative's "no fund"
    record = read_document(_EMPTY_FUND.encode("utf-8"), name="empty_fund.txt")
    assert record["tables"]["gov_fund"]["empty"] is True
    assert record["_meta"].get("unread", []) == []
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert [f.status for f in report.findings if f.rule == "FND-001"] == ["pass"]
    # a 合计 printing a figure is still a table with data
    spent = read_document(_EMPTY_FUND.replace("                  合计\n", "                  合计   20.00   0.00   20.00\n")
                          .encode("utf-8"), name="fund.txt")
    assert spent["tables"]["gov_fund"]["empty"] is False


_HEADCOUNT = ("共计 58 人，其中：在职人数小计 50 人，包括行政在职人数 19\n\n人、参照公务员法管理的事业单位在职人数 11 人、"
              "全额拨款事\n\n业单位在职人数 20 人；离休人数小计 0 人；退休人数小计 8 人。")


def _headcount(active: str, retired: str):
    # (the example's own split, 19 + 11 + 20 = 50 in 在职, 58 in all, reworded)
    return _audit(_variant([(_HEADCOUNT, f"共计 58 人，其中：在职 50 人（行政人员 19 人，参公人员 {active} 人，全额拨款事业"
                                         f"人员 20 人），离退休 {retired} 人。")]), ("fail",))


def test_retired_counted_together_and_short_named_categories():
    # "离退休 195 人" (广东: the two kinds together) was listed unread and HC-004 failed -- the actual
    # headcount against the active alone; "参公人员 55 人" (浙江) was no category, so HC-002 summed the
    # active by category without it
    record, failing = _headcount("11", "8")
    assert record["staff"]["retired_together"]["value"] == "8"
    assert record["staff"]["active"]["civil_servant_managed"]["value"] == "11"
    assert failing == {f for f in _audit(EXAMPLE, ("fail",))[1]}
    _, failing = _headcount("12", "9")
    assert {"HC-002", "HC-004"} <= {f.split("[")[0] for f in failing}


_BY_LEAD_INS = [
    ("万元，其中：\n\n按支出项目类别划分：基本支出 900.40", "万元。\n\n（一）按支出类型划分\n\n基本支出 900.40"),
    ("按支出功能科目划分：社会保障和就业支出 96.00", "（二）按支出功能分类划分\n\n社会保障和就业支出 96.00"),
    ("按支出经济分类划分：工资福利支出 760.00", "（三）按支出经济分类划分\n\n工资福利支出 760.00"),
]


def test_breakdowns_headed_as_sections_of_their_own():
    # 广东 numbers each breakdown's lead-in as a heading ("（二）按支出功能分类划分"): each was a section
    # of no known kind, and every figure under it listed unread (EXP-001…004 not evaluable)
    record, failing = _audit(_variant(_BY_LEAD_INS), _STATUSES)
    assert failing == _BASE_FAILING
    assert _without_sources(record["expenditure"]) == _without_sources(_BASE_RECORD["expenditure"])


def test_the_appropriations_section_headed_as_its_arrangement():
    # "三、财政拨款安排情况" (广东) was no section heading: its figures went to the section before
    record, failing = _audit(_variant([
        ("（三）财政拨款支出情况\n\n2025 年青山县自然资源局财政拨款支出预算总额为",
         "（三）财政拨款安排情况\n\n2025 年青山县自然资源局财政拨款支出预算总额为")]), _STATUSES)
    assert failing == _BASE_FAILING
    assert _without_sources(record["appropriation"]) == _without_sources(_BASE_RECORD["appropriation"])


def test_a_class_named_like_a_fund_type_in_a_numbered_list_of_classes():
    # "6.国有资本经营预算支出 320.12 万元" among 广东's numbered function classes is the class 223: left
    # out, the classes fell short of the total (EXP-003 failed by it); unnumbered it stays a fund type
    last = "加 3.00 万元。\n\n按支出经济分类划分"
    for item, read in (("6.国有资本经营预算支出 0.00 万元", True), ("国有资本经营预算支出 0.00 万元", False)):
        record, failing = _audit(_variant([(last, last.replace("。", "；" + item + "。"))]), _STATUSES)
        codes = [row["code"] for row in record["expenditure"]["function"]]
        assert ("223" in codes) is read, item
        assert failing == _BASE_FAILING


_OVERSEAS = "因公出国（境）费 0 万元，比上年增加（减少）0 万元，主要原因\n\n是：无出国安排。"
_RECEPTION = "减接待批次。"


def _counts(overseas: str, reception: str = _RECEPTION) -> dict:
    record, _ = _audit(_variant([(_OVERSEAS, overseas), (_RECEPTION, reception)]), _STATUSES)
    counts = record["three_public"].get("counts", {})
    return {key: (cell["value"], cell.get("printed")) for key, cell in counts.items()}


def test_visits_abroad_and_receptions_counted_as_guangdong_counts_them():
    # "…因公出国（境）计划，计划安排出访团组 3 个、12 人次": the 出国 a clause before the count, which was
    # not read; "国内公务接待 140 批次、1,600 人次": the people, printed with a separator, were not read
    counts = _counts("因公出国（境）费 0 万元，主要用于执行因公出国（境）计划，计划安排出访团组 0 个、0 人次。",
                     "减接待批次，预计国内公务接待 30 批次、1,200 人次。")
    assert counts["overseas_groups"] == ("0", None) and counts["overseas_people"] == ("0", None)
    assert counts["reception_batches"] == ("30", None)
    assert counts["reception_people"] == ("1200", "1,200")
    # visits at home are no groups abroad
    counts = _counts("因公出国（境）费 0 万元，主要原因是：无出国安排，国内出访团组 2 个。")
    assert "overseas_groups" not in counts


def test_counts_by_post_type_are_no_categories():
    # 福建: "核定事业编制 38 名，其中：管理岗位 8 名，专业技术岗位 26 名，工勤技能岗位 4 名 … 在职人员 35 人（管理人员
    # 8 人、专业技术人员 24 人、工勤人员 3 人）": "管理岗位 8 名" was taken for the group's total and 工勤 for
    # its category -- HC-001 / HC-002 failed on a correct document
    record, failing = _audit(_variant([(_HEADCOUNT, "共计 58 人，其中：在职人员 50 人（管理人员 19 人、专业技术人员 28 人、"
                                                    "工勤人员 3 人），离休人数小计 0 人；退休人数小计 8 人。")]), ("fail",))
    active = record["staff"]["active"]
    assert active["total"]["value"] == "50" and set(active) == {"total"}
    assert not {f for f in failing if f.startswith("HC-")}
    posts = [u["reason"] for u in record["_meta"]["unread"] if "post type" in u["reason"]]
    assert len(posts) == 3


def test_three_public_items_named_before_a_colon():
    # 四川: "2.公务接待费：2025 年预算数 3.68 万元，比 2024 年预算减少 0.55 万元…": the figure labelled only as
    # the year's budget was listed unread, and with it each item's change -- CHG-007 (the items' changes
    # add up to the total's) checked nothing; "0 万元" restating "0.00 万元" was a clashing duplicate
    reception = "公务接待费４．５０万元，比上年减少 0.50 万元，主要原因是：压\n\n减接待批次。"
    record, failing = _audit(_variant([(reception, "2.公务接待费：2025 年预算数 4.50 万元，比 2024 年预算减少 0.50 "
                                                   "万元，主要原因是压减接待批次。")]), _STATUSES)
    assert (record["three_public"]["reception"]["value"], record["three_public"]["reception"]["change"]) == ("4.50", "-0.50")
    assert failing == _BASE_FAILING


def test_counts_each_named_by_itself_and_operating_costs_with_their_gloss():
    # 福建: "因公出国（境）团组数 0 个，因公出国（境）人数 0 人；…国内公务接待批次 12 个，国内公务接待人数 86 人"
    # (the persons and both reception counts were not read), and "一般公共预算财政拨款基本支出中的公用经费（机关
    # 运行经费）91.06 万元" (not read: CHG / PCT rules on the operating costs checked nothing)
    counts = _counts(_OVERSEAS, _RECEPTION + "2025 年因公出国（境）团组数 0 个，因公出国（境）人数 0 人；国内公务接待批次"
                                            " 30 个，国内公务接待人数 1,200 人。")
    assert counts["overseas_groups"][0] == counts["overseas_people"][0] == "0"
    assert (counts["reception_batches"][0], counts["reception_people"][0]) == ("30", "1200")
    record, failing = _audit(_variant([("2025 年部门机关运行经费预算 100.00 万元",
                                        "2025 年部门一般公共预算财政拨款基本支出中的公用经费（机关运行经费）100.00 万元")]), _STATUSES)
    assert (record["operating_costs"]["value"], record["operating_costs"]["change"]) == ("100.00", "-4.00")
    assert failing == _BASE_FAILING


def test_three_public_total_named_budget_then_spending():
    # 河南: "…一般公共预算“三公”经费预算支出 4.26 万元，比 2024 年减少 0.24 万元": the words in the other order,
    # not read -- TPF-001 (the total against its items) not evaluable, and the planted item error unseen
    record, failing = _audit(_variant([("“三公”经费财政拨款安排 12.50 万元", "一般公共预算“三公”经费预算支出 12.50 万元")]),
                             _STATUSES)
    assert record["three_public"]["total"]["value"] == "12.50"
    assert failing == _BASE_FAILING


def test_classification_items_numbered_as_headings_stay_in_their_section():
    # 山东 numbers the 项 of the general budget "（一）社会保障和就业支出（类）…（款）…（项）216.35 万元": each
    # was a section of no known kind, and what followed it in the section was lost with it
    closing = "加 2.00 万元。\n\n（四）政府性基金情况"
    items = ("加 2.00 万元。主要项目如下：\n\n（一）社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）\n\n"
             "20.00 万元。\n\n（二）住房保障支出（类）住房改革支出（款）住房公积金（项）68.00 万元。\n\n（四）政府性基金情况")
    record, failing = _audit(_variant([(closing, items)]), _STATUSES)
    assert failing == _BASE_FAILING
    other = [u for u in record["_meta"]["unread"] if "section not read" in u["reason"]]
    assert other == []


def test_the_general_budgets_section_headed_as_its_details():
    # 陕西: "五、一般公共预算拨款支出明细情况" was no heading, so its basic / project split (the general
    # budget's) went on in the section before, the appropriation's -- which holds a 政府性基金 part too:
    # APR-001 / APR-002 failed on a correct document
    from fiscalrules.document.model import Document
    from fiscalrules.readers.budget.sections import analyse

    text = "\n".join(["第三部分 2025年部门预算情况说明", "四、财政拨款收支情况",
                      "2025年财政拨款收支预算2,360.37万元。其中：一般公共预算拨款1,910.37万元，政府性基金预算拨款450.00万元。",
                      "五、一般公共预算拨款支出明细情况",
                      "2025年一般公共预算拨款支出1,910.37万元。其中：基本支出1,188.37万元；项目支出722.00万元。"])
    sections = analyse(Document(text, "sections.txt")).sections
    assert [s.kind for s in sections if s.kind != "part_narrative"] == ["appropriation", "general_budget"]


def test_an_item_last_year_had_none_of_changes_by_its_whole_amount():
    # 内蒙古: "（一）因公出国（境）费 8.00 万元，2025 年未安排": last year's 0, so the change is the figure itself
    # -- left without a change, CHG-007 (the items' changes add up to the total's) was not evaluable
    purchase = "公务用车购置费 0 万元，比上年增加（减少）0 万元，主要原因是：\n\n无购车计划。"
    record, failing = _audit(_variant([(purchase, "公务用车购置费 0 万元，2024 年未安排。")]), _STATUSES)
    assert record["three_public"]["vehicle_purchase"]["change"] == "0"
    assert failing == _BASE_FAILING
    from fiscalrules.document.model import Document
    from fiscalrules.readers.common.amounts import scan
    phrases = scan(Document("因公出国（境）费8.00万元，2025年未安排。公务接待费3.00万元，上年无此项预算。", "s.txt").stream(1, 1))
    assert [(p.value, p.change) for p in phrases] == [("8.00", "8.00"), ("3.00", "3.00")]


def test_changes_named_back_in_a_list_after_the_figures():
    # 内蒙古: "…基本支出 A 万元，占 S%；项目支出 B 万元，占 T%。基本支出比 2025 年增加 C 万元，增长 P%，…；项目支出比
    # 2025 年增加 D 万元，增长 Q%": the first change was named back to its figure but not its percentage,
    # and the second (after a ";", not a "。") not at all -- EXP-002 not evaluable, PCT-010 idle
    from fiscalrules.document.model import Document
    from fiscalrules.readers.common.amounts import scan
    text = ("2026年支出预算4,973.92万元，其中：基本支出2,975.02万元，占59.81%；项目支出1,998.90万元，占40.19%。"
            "基本支出比2025年增加103.20万元，增长3.59%，主要是人员工资正常调整；项目支出比2025年增加151.90万元，"
            "增长8.22%，主要是新增项目。")
    read = {p.label: (p.value, p.change, p.pct) for p in scan(Document(text, "s.txt").stream(1, 1)) if p.unit == "万元"}
    assert read == {"支出预算": ("4973.92", None, None), "基本支出": ("2975.02", "103.20", "3.59"),
                    "项目支出": ("1998.90", "151.90", "8.22")}


def test_a_budget_titled_as_its_comprehensive_budget():
    # 陕西 titles it "2025年部门综合预算": the year and kind were not read (every year rule idle); and
    # "…，2024 年无上年结转" says last year's carry-over, not a slip for the budget year
    title = "青山县自然资源局 2025 年部门预算"
    record, failing = _audit(EXAMPLE.replace(title, "青山县自然资源局 2025 年部门综合预算"), _STATUSES)
    assert (record["doc"]["year"]["value"], record["doc"]["kind"]["value"]) == ("2025", "部门预算")
    assert failing == _BASE_FAILING
    carryover = "上年结转 40.00 万元，较上年预"
    record, failing = _audit(_variant([(carryover, "上年结转 40.00 万元（2024 年无上年结转），较上年预")]), ("fail",))
    assert "comparison" in [row["context"] for row in record["doc"]["years"] if row["year"]["value"] == "2024"]
    assert not {f for f in failing if f.startswith("TXT-")}
