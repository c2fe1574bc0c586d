"""决算 layouts met in an eighth round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional PDF or text that shows it.

* 第二部分 listing the nine tables' titles under its heading (a second contents list, on a page of
  its own before the tables).  Before: each listed title was taken for a table printing nothing --
  ``empty: true`` kept over the real table's ``false`` ("duplicate of tables.income.empty"), a
  table the document does not print said to be printed empty, the two-sided ones listed as
  "header not found".  Now a run of titles standing one under another is a list, no table.
* "栏 次" spaced in its cell ("栏 次 1 栏 次 2", as a PDF centres a two-letter label): the numbering
  line under a two-sided header.  Before: read as a label the template does not print -- its side's
  总计 was dropped as not checkable (and in 财政拨款收入支出决算总表 "which figure is which").
* 财政拨款收入支出决算总表 printing 年初预算 | 调整预算 | 决算数 on the income side and 年初预算 |
  调整预算 | 决算数 (小计 | 一般公共预算 | 政府性基金 | 国有资本经营) on the expenditure side, the
  决算数 a group title over the four fund columns.  Before: the expenditure side named no 决算数 on
  its header line, none of its lines was read ("which figure is which is not told"), NAR-031 failed
  on 0.00.  Now the fund columns under the group title are the side's 决算数, read by fund type.
* The 三公 table as one line labelled "金额" under a "栏次 1 … 12" line, 预算数 and 决算数 as group
  titles.  Before: the numbering line, a label and twelve integers, was taken for a unit's line
  beside the "金额" one, and nothing was read.
* A unit table of 编制数(名) / 实有人数(人) in 第一部分 given as cells, its 合计 over a thousand
  people ("合计 1250 1213").  Before: listed as "table cells outside any table": counts of people
  under their header are no amounts.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

from pdfmaker import make_examples, pdf_bytes  # noqa: E402  (tests/ is on the path under pytest)

APPROPRIATION = "财政拨款收入支出决算总表"
SUMMARY = "收入支出决算总表"
SIZE = (842, 595)


def _unread(record: dict, section: str | None = None) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if section is None or u["section"] == section]


def _findings(record: dict, *statuses: str) -> list:
    # (not the quality rules: a document of one or two tables misses the others, QUA-010)
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f for f in report.findings if f.status in statuses and not f.rule.startswith("QUA")]


def _width(text: str, size: float) -> float:
    return make_examples.pdfmetrics.stringWidth(text, make_examples.FONT, size)


def _right(x1: float, top: float, text: str, size: float = 8.0) -> tuple:
    return ("text", x1 - _width(text, size), top, text, size)


def _centred(middle: float, top: float, text: str, size: float = 8.0) -> tuple:
    return ("text", middle - _width(text, size) / 2, top, text, size)


def _cover() -> list:
    return [("text", 330, 200, "宿陵市体育局", 16.0), ("text", 320, 240, "2025年度部门决算", 16.0)]


def _title(name: str, number: str, right: float = 810) -> list:
    # (the unit stated at the table's right edge, over its last columns)
    return [_right(right, 40, number, 9.0), _centred(421, 60, name, 14.0),
            ("text", 30, 80, "部门：宿陵市体育局", 9.0), _right(right, 80, "金额单位：万元", 9.0)]


# ---- 财政拨款收入支出决算总表: 年初预算 | 调整预算 | 决算数 by fund type ----------------------------

# left: label, 行次, (年初预算, 调整预算, 决算数); right: label, 行次, (年初预算, 调整预算, 小计,
# 一般公共预算, 政府性基金, 国有资本经营); "" a blank cell
_APPROPRIATION_ROWS = [
    (("一、一般公共预算财政拨款", "1", ("1,000.00", "1,050.00", "1,050.00")), ("一、一般公共服务支出", "34", ())),
    (("二、政府性基金预算财政拨款", "2", ("100.00", "120.00", "120.00")), ("二、外交支出", "35", ())),
    (("三、国有资本经营预算财政拨款", "3", ()),
     ("七、文化旅游体育与传媒支出", "40", ("900.00", "960.00", "950.00", "850.00", "100.00", ""))),
    (("", "4", ()), ("八、社会保障和就业支出", "41", ("100.00", "110.00", "108.00", "108.00", "", ""))),
    (("", "5", ()), ("二十三、其他支出", "56", ("100.00", "20.00", "18.00", "", "18.00", ""))),
    (("本年收入合计", "27", ("1,100.00", "1,170.00", "1,170.00")),
     ("本年支出合计", "60", ("1,100.00", "1,090.00", "1,076.00", "958.00", "118.00", ""))),
    (("年初财政拨款结转和结余", "28", ("", "35.00", "35.00")),
     ("年末财政拨款结转和结余", "61", ("", "", "129.00", "122.00", "7.00", ""))),
    (("一般公共预算财政拨款", "29", ("", "30.00", "30.00")), ("", "62", ())),
    (("政府性基金预算财政拨款", "30", ("", "5.00", "5.00")), ("", "63", ())),
    (("国有资本经营预算财政拨款", "31", ()), ("", "64", ())),
    (("总计", "32", ("1,100.00", "1,205.00", "1,205.00")),
     ("总计", "65", ("1,100.00", "1,090.00", "1,205.00", "1,080.00", "125.00", ""))),
]
# each column's right edge (the figures are right-aligned) and its title's centre
_LEFT_EDGES, _RIGHT_EDGES = (230, 275, 320), (525, 575, 625, 680, 735, 790)


def _appropriation_page() -> list:
    items = _title(APPROPRIATION, "公开04表", 790) + [
        _centred(175, 100, "收 入"), _centred(560, 100, "支 出"),
        # (决算数 a group title over the four fund columns, centred over them: it overlaps the
        # 一般公共预算 and 政府性基金 titles below it)
        _centred(682, 112, "决算数"),
        _centred(100, 124, "项 目"), _centred(175, 124, "行次"), _centred(205, 124, "年初预算"),
        _centred(253, 124, "调整预算"), _centred(300, 124, "决算数"), _centred(395, 124, "项 目"),
        _centred(465, 124, "行次"), _centred(500, 124, "年初预算"), _centred(550, 124, "调整预算"),
        _centred(653, 124, "一般公共预算"), _centred(708, 124, "政府性基金"), _centred(763, 124, "国有资本经营"),
        _centred(600, 130, "小计"),
        _centred(653, 136, "财政拨款"), _centred(708, 136, "预算财政拨款"), _centred(763, 136, "预算财政拨款"),
        _centred(100, 150, "栏 次"), _centred(395, 150, "栏 次")]
    items += [_centred(middle, 150, str(n)) for n, middle in enumerate((205, 253, 300, 500, 550, 600, 653, 708, 763), 1)]
    top = 165
    for (llabel, lnumber, lfigures), (rlabel, rnumber, rfigures) in _APPROPRIATION_ROWS:
        items += [("text", 30, top, llabel, 8.0)] if llabel else []
        items += [_centred(175, top, lnumber), _centred(465, top, rnumber)]
        items += [("text", 330, top, rlabel, 8.0)] if rlabel else []
        items += [_right(x1, top, text) for x1, text in zip(_LEFT_EDGES, lfigures) if text]
        items += [_right(x1, top, text) for x1, text in zip(_RIGHT_EDGES, rfigures) if text]
        top += 15
    items.append(("text", 30, top + 6, "注：本表反映部门本年度财政拨款的总收支和年末结转结余情况。", 8.0))
    return items


_LIST = ["第二部分 宿陵市体育局2025年度部门决算表", "一、收入支出决算总表", "二、收入决算表", "三、支出决算表",
         "四、财政拨款收入支出决算总表", "五、一般公共预算财政拨款支出决算表", "六、一般公共预算财政拨款基本支出决算表",
         "七、一般公共预算财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表",
         "九、国有资本经营预算财政拨款支出决算表"]
_NARRATIVE = ["第三部分 宿陵市体育局2025年度部门决算情况说明", "四、财政拨款收入支出决算总体情况说明",
              "2025年度财政拨款收入总计1205.00万元，其中：本年财政拨款收入1170.00万元，年初财政拨款结转和结余35.00万元；",
              "财政拨款支出总计1205.00万元，其中：本年财政拨款支出1076.00万元，年末财政拨款结转和结余129.00万元。"]


def _appropriation_document(with_list: bool = False) -> bytes:
    pages = [_cover()]
    if with_list:
        pages.append([("text", 60 if i else 40, 60 + 22 * i, text, 12.0 if not i else 11.0) for i, text in enumerate(_LIST)])
    pages.append(_appropriation_page())
    pages.append([("text", 40, 60 + 22 * i, text, 10.0) for i, text in enumerate(_NARRATIVE)])
    return pdf_bytes(pages, size=SIZE)


def test_appropriation_summary_with_budgets_and_its_final_figures_by_fund_type_is_read():
    record = read_document(_appropriation_document(), name="x.pdf")
    table = record["tables"]["appropriation_summary"]
    value = lambda fig: fig["value"]  # noqa: E731
    assert table["by_fund"] is True
    assert {k: value(v) for k, v in table["expenditure_total"].items()} == \
        {"total": "1076.00", "general_budget": "958.00", "gov_fund": "118.00"}
    assert {k: value(v) for k, v in table["closing"].items()} == \
        {"total": "129.00", "general_budget": "122.00", "gov_fund": "7.00"}
    assert value(table["expenditure_grand_total"]) == "1205.00"
    assert {k: value(v) for k, v in table["grand_total"].items()} == {"general_budget": "1080.00", "gov_fund": "125.00"}
    rows = {row["code"]: {k: value(row[k]) for k in ("total", "general_budget", "gov_fund") if k in row}
            for row in table["expenditure"] if "total" in row}
    assert rows == {"207": {"total": "950.00", "general_budget": "850.00", "gov_fund": "100.00"},
                    "208": {"total": "108.00", "general_budget": "108.00"}, "229": {"total": "18.00", "gov_fund": "18.00"}}
    assert (value(table["income_total"]), value(table["opening"]["total"]), value(table["income_grand_total"])) == \
        ("1170.00", "35.00", "1205.00")
    # the budgets: no place in this table's record -- listed for them alone, never "which is which"
    listed = _unread(record, APPROPRIATION)
    assert listed and all("no place" in reason for reason in listed), listed
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert [f.rule for f in _findings(record, "fail")] == []
    checked = {f.rule for f in _findings(record, "pass", "pass_rounding")}
    assert {"NAR-031", "BAL-014", "BAL-015", "BAL-018"} <= checked, checked


def test_a_list_of_the_tables_titles_under_the_part_heading_is_no_table():
    record = read_document(_appropriation_document(with_list=True), name="x.pdf")
    # (the document prints the 04 table alone: no other table is said to be printed, nor empty)
    assert set(record["tables"]) == {"appropriation_summary"}, set(record["tables"])
    assert not [r for r in _unread(record) if "duplicate" in r or "header" in r]
    assert record["tables"]["appropriation_summary"]["expenditure_total"]["total"]["value"] == "1076.00"


# ---- 收入支出决算总表 with "栏 次" spaced in its cell -------------------------------------------------

_SUMMARY_ROWS = [
    (("一、一般公共预算财政拨款收入", "1", "1,050.00"), ("一、一般公共服务支出", "32", "")),
    (("二、政府性基金预算财政拨款收入", "2", "120.00"), ("七、文化旅游体育与传媒支出", "38", "980.00")),
    (("五、事业收入", "5", "30.00"), ("八、社会保障和就业支出", "39", "108.00")),
    (("", "9", ""), ("二十三、其他支出", "54", "18.00")),
    (("本年收入合计", "27", "1,200.00"), ("本年支出合计", "58", "1,106.00")),
    (("使用非财政拨款结余", "28", ""), ("结余分配", "59", "")),
    (("年初结转和结余", "29", "40.00"), ("年末结转和结余", "60", "134.00")),
    (("总计", "30", "1,240.00"), ("总计", "61", "1,240.00")),
]


def _summary_document() -> bytes:
    items = _title(SUMMARY, "公开01表") + [
        _centred(200, 100, "收 入"), _centred(600, 100, "支 出"),
        _centred(100, 115, "项 目"), _centred(260, 115, "行次"), _centred(360, 115, "金额"),
        _centred(500, 115, "项 目"), _centred(650, 115, "行次"), _centred(760, 115, "金额"),
        _centred(100, 130, "栏 次"), _centred(360, 130, "1"), _centred(500, 130, "栏 次"), _centred(760, 130, "2")]
    top = 145
    for (llabel, lnumber, lfigure), (rlabel, rnumber, rfigure) in _SUMMARY_ROWS:
        items += [("text", 30, top, llabel, 8.0)] if llabel else []
        items += [_centred(260, top, lnumber), ("text", 430, top, rlabel, 8.0), _centred(650, top, rnumber)]
        items += [_right(410, top, lfigure)] if lfigure else []
        items += [_right(810, top, rfigure)] if rfigure else []
        top += 15
    items.append(("text", 30, top + 6, "注：本表反映部门本年度的总收支和年末结转结余情况。", 8.0))
    return pdf_bytes([_cover(), items], size=SIZE)


def test_a_numbering_line_spacing_its_label_is_no_line_of_the_two_sided_table():
    record = read_document(_summary_document(), name="x.pdf")
    assert _unread(record, SUMMARY) == []
    table = record["tables"]["summary"]
    assert (table["income_grand_total"]["value"], table["expenditure_grand_total"]["value"]) == ("1240.00", "1240.00")
    assert not [f.rule for f in _findings(record, "fail")]


# ---- the 三公 table as one line labelled 金额 under "栏次 1 … 12" ----------------------------------

_THREE_PUBLIC = ("58.50", "18.00", "32.00", "0.00", "32.00", "8.50", "45.93", "12.46", "27.85", "0.00", "27.85", "5.62")


def _three_public_document() -> bytes:
    middles = [120 + 57 * i for i in range(12)]
    items = _title("一般公共预算财政拨款“三公”经费支出决算表", "公开07表") + [
        _centred(262, 100, "预算数"), _centred(604, 100, "决算数"), ("text", 30, 112, "项目", 8.0)]
    for half in (0, 6):
        m = middles[half:half + 6]
        items += [_centred(m[0], 124, "合计"), _centred(m[1], 118, "因公出国（境）"), _centred(m[1], 130, "费"),
                  _centred((m[2] + m[4]) / 2, 112, "公务用车购置及运行费"), _centred(m[2], 130, "小计"),
                  _centred(m[3], 130, "公务用车购置费", 6.5), _centred(m[4], 130, "公务用车运行费", 6.5),
                  _centred(m[5], 124, "公务接待费")]
    items += [("text", 30, 146, "栏次", 8.0)] + [_centred(m, 146, str(n)) for n, m in enumerate(middles, 1)]
    items += [("text", 30, 162, "金额", 8.0)] + [_right(m + 25, 162, text) for m, text in zip(middles, _THREE_PUBLIC)]
    items.append(("text", 30, 180, "注：本表反映部门本年度“三公”经费支出预算和决算情况。", 8.0))
    return pdf_bytes([_cover(), items], size=SIZE)


def test_three_public_line_labelled_under_a_numbering_line_is_read():
    record = read_document(_three_public_document(), name="x.pdf")
    table = record["tables"]["three_public"]
    assert _unread(record, "财政拨款“三公”经费支出决算表") == []
    assert {k: v["value"] for k, v in table["budget"].items()} == dict(zip(
        ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"), _THREE_PUBLIC[:6]))
    assert {k: v["value"] for k, v in table["final"].items()} == dict(zip(
        ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"), _THREE_PUBLIC[6:]))
    assert table["empty"] is False


# ---- a unit table of people counted, as cells ------------------------------------------------------

_UNITS = "\n".join([
    "宿陵市教育局2025年度部门决算", "", "第一部分 部门概况", "二、机构设置",
    "纳入本部门2025年度部门决算编制范围的单位共3个。具体包括：",
    "序号\t单位名称\t单位性质\t编制数(名)\t年末实有在职人数(人)",
    "1\t宿陵市教育局(本级)\t行政单位\t38\t36",
    "2\t宿陵市第一中学\t事业单位\t700\t680",
    "3\t宿陵市实验小学\t事业单位\t512\t497",
    "合计\t\t\t1250\t1213", "",
    "截至2025年12月31日，本部门编制数1250名，年末实有在职人员1213人。", ""])


def test_a_unit_table_of_people_counted_is_no_stray_table_cells():
    record = read_document(_UNITS.encode("utf-8"), name="x.txt")
    assert not [r for r in _unread(record) if "table cells" in r], _unread(record)
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def test_a_row_of_amounts_outside_every_table_is_still_listed():
    # (a header naming no count of people: "1250 1213" are a table's figures in 元, listed)
    text = _UNITS.replace("编制数(名)\t年末实有在职人数(人)", "年初预算\t决算数")
    record = read_document(text.encode("utf-8"), name="x.txt")
    assert [r for r in _unread(record) if "table cells" in r]
