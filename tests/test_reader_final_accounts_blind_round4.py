"""决算 layouts met in a fourth round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional text or PDF that shows it.

* A 项 the narrative names by its 类 / 款 / 项 ("公共安全支出（类）司法（款）事业运行（项）") that the
  document's own 一般公共预算财政拨款支出决算表 prints under a code of its own: the item is the
  table's line of that name under its 款.  Before: the national list's code (2040650) was taken
  first, and NAR-012 compared the item with a line the table does not print (0.00).
* The 政府性基金 / 国有资本经营 tables printed empty -- a header, its "栏次 1 2 3 …" line, a bare 合计
  and the note "…故本表为空表": the column numbering is no row.  Before: it was taken for a line of
  figures, the tables were not empty, and NAR-030 failed against the narrative's "无…收支".
* The 国有资本经营预算财政拨款支出决算表 as the national template prints it: 本年支出 only (合计,
  基本支出, 项目支出), no 年初结转和结余 / 本年收入 / 年末结转和结余.  Before: BAL-032 added up
  the columns the table does not print as 0.00 and failed every line.
* A coded table continued over a page whose last row leaves a cell blank, the page number printed
  under that blank cell: a page number is no piece of a wrapped cell.  Before: "— 6 —" was put
  in the row's blank 基本支出 cell, the row could not be placed and the whole table was listed.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

HEAD = "宿陵市司法局\n2025年度部门决算\n"


def _unread(record: dict, section: str | None = None) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if section is None or u["section"] == section]


def _failing(record: dict, rule: str) -> list[str]:
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f.message for f in report.findings if f.rule == rule and f.status == "fail"]


# ---- a 项 the narrative names, printed in the table under a code of the document's own -----------

ITEM_UNDER_ITS_OWN_CODE = """\
一般公共预算财政拨款支出决算表
单位：万元
科目编码      科目名称                          合计        基本支出      项目支出
              合计                            900.00          648.27        251.73
204           公共安全支出                    900.00          648.27        251.73
20406         司法                            900.00          648.27        251.73
2040611       事业运行                        648.27          648.27          0.00
2040699       其他司法支出                    251.73            0.00        251.73
第三部分 2025年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
2025年度一般公共预算财政拨款支出年初预算为880.00万元，支出决算为900.00万元，完成年初预算的102.27%。
1.公共安全支出（类）司法（款）事业运行（项）。年初预算为630.00万元，支出决算为648.27万元，完成年初预算的102.90%。决算数大于年初预算数的主要原因是人员增加。
六、一般公共预算财政拨款基本支出决算情况说明
"""


def test_narrative_item_takes_the_code_its_table_prints_under_its_kuan_before_the_national_one():
    record = read_document((HEAD + ITEM_UNDER_ITS_OWN_CODE).encode(), name="x.txt")
    items = record["general_budget"]["items"]
    assert [(i["code"], i["final"]["value"]) for i in items] == [("2040611", "648.27")]
    assert _failing(record, "NAR-012") == []


# ---- the two fund tables printed empty, on one page ---------------------------------------------

EMPTY_FUND_TABLES = """\
                               政府性基金预算财政拨款收入支出决算表
编制单位：宿陵市司法局                                 公开08表                        单位：万元
                 项目                                                      本年支出
                                      年初结转和结余           本年收入                                 年末结转和结余
  功能分类科目编码            科目名称                                          小计   基本支出        项目支出
                 栏次                        1             2          3     4           5            6
                 合计
注：本部门2025年度没有使用政府性基金预算财政拨款安排的收支，故本表为空表。
                               国有资本经营预算财政拨款支出决算表
编制单位：宿陵市司法局                                 公开09表                        单位：万元
                        项目                                                    本年支出
   功能分类科目编码                   科目名称                             合计             基本支出          项目支出
                        栏次                                     1                2            3
                        合计
注：本部门2025年度没有使用国有资本经营预算财政拨款安排的支出，故本表为空表。
第三部分 2025年度部门决算情况说明
八、政府性基金预算财政拨款收入支出决算情况说明
本部门2025年度无政府性基金预算财政拨款收支。
九、国有资本经营预算财政拨款支出决算情况说明
本部门2025年度无国有资本经营预算财政拨款支出。
"""


def test_fund_tables_printing_only_their_column_numbering_are_empty():
    record = read_document((HEAD + EMPTY_FUND_TABLES).encode(), name="x.txt")
    assert record["tables"]["gov_fund"]["empty"] is True
    assert record["tables"]["state_capital"]["empty"] is True
    assert _failing(record, "NAR-030") == []


def test_nar_030_message_names_what_it_checks():
    record = {"gov_fund": {"none": "无政府性基金预算财政拨款收支"}, "tables": {"gov_fund": {"empty": False}}}
    [message] = _failing(record, "NAR-030")
    assert "（）" not in message and "空表" in message


# ---- the 国有资本经营 table of 本年支出 only --------------------------------------------------------

STATE_CAPITAL_EXPENDITURE_ONLY = """\
国有资本经营预算财政拨款支出决算表
单位：万元
功能分类科目编码   科目名称                              合计          基本支出        项目支出
                   合计                                156.80            0.00          156.80
223                国有资本经营预算支出                156.80            0.00          156.80
22301              解决历史遗留问题及改革成本支出      156.80            0.00          156.80
2230199            其他解决历史遗留问题及改革成本支出  156.80            0.00          156.80
注：本表反映部门本年度国有资本经营预算财政拨款支出情况。
"""


def test_state_capital_table_of_expenditure_only_is_not_balanced_against_columns_it_lacks():
    record = read_document((HEAD + STATE_CAPITAL_EXPENDITURE_ONLY).encode(), name="x.txt")
    table = record["tables"]["state_capital"]
    assert [r["code"] for r in table["rows"]] == ["223", "22301", "2230199"]
    assert table["balances"] is False
    assert _failing(record, "BAL-032") == []
    assert _failing(record, "BAL-033") == []


def test_state_capital_table_with_its_balances_is_still_balanced():
    record = {"tables": {"state_capital": {"balances": True, "rows": [
        {"code": "223", "opening": {"value": "0"}, "income": {"value": "100.00"}, "total": {"value": "90.00"},
         "closing": {"value": "0"}}]}}}
    assert len(_failing(record, "BAL-032")) == 1


# ---- a page number under a blank cell of a coded table's last row on a page ---------------------

def _expenditure_over_two_pages_pdf() -> bytes:
    """The 支出决算表 continued over two pages (its header repeated), the first page's last row
    printing 合计 and 项目支出 only, the page number "— 6 —" centred under its blank 基本支出 cell."""
    import unicodedata

    from pdfmaker import text_to_pdf

    def pad(text, width):
        return text + " " * (width - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))

    def row(code, name, *figures):
        return pad(code, 10) + pad(name, 36) + "".join(pad(f, 14) for f in figures)

    header = [pad("", 10) + pad("项目", 36) + "".join(pad(h, 14) for h in ("本年支出合计", "基本支出", "项目支出")),
              pad("功能分类科目编码", 20) + "科目名称",
              pad("", 10) + pad("栏次", 36) + "".join(pad(n, 14) for n in ("1", "2", "3"))]
    first = ["公开03表", "支出决算表", "单位：万元", *header,
             row("", "合计", "300.00", "120.00", "180.00"),
             row("208", "社会保障和就业支出", "120.00", "120.00", ""),
             row("20805", "行政事业单位养老支出", "120.00", "120.00", ""),
             row("2080505", "机关事业单位基本养老保险缴费支出", "120.00", "120.00", ""),
             row("223", "国有资本经营预算支出", "180.00", "", "180.00"),
             row("22301", "解决历史遗留问题及改革成本支出", "180.00", "", "180.00"),
             " " * 58 + "— 6 —"]
    second = [*header,
              row("2230199", "其他解决历史遗留问题及改革成本支出", "180.00", "", "180.00"),
              "注：本表反映部门本年度各项支出情况。", ".", ".", ".", ".", " " * 58 + "— 7 —"]
    cover = ["宿陵市司法局", "2025年度部门决算"] + ["."] * (len(first) - 3) + [" " * 58 + "— 5 —"]
    return text_to_pdf("\n".join(cover + first + second), lines_per_page=len(first))


def test_page_number_under_a_blank_cell_is_no_piece_of_the_row_above():
    record = read_document(_expenditure_over_two_pages_pdf(), name="x.pdf")
    assert _unread(record, "支出决算表") == []
    rows = {r["code"]: {k: v["value"] for k, v in r.items() if isinstance(v, dict)}
            for r in record["tables"]["expenditure"]["rows"]}
    assert rows["22301"] == {"total": "180.00", "project": "180.00"}
    assert set(rows) == {"208", "20805", "2080505", "223", "22301", "2230199"}


# ---- the two-sided 总表's column numbering ("栏次 1 … 栏次 2" under its 金额 columns) ---------------

SUMMARY_WITH_COLUMN_NUMBERING = """\
                              收入支出决算总表
部门：宿陵市司法局                                                              单位：万元
                   收入                                              支出
项目                          行次        金额  项目                        行次        金额
栏次                                         1  栏次                                     2
一、一般公共预算财政拨款收入    1       100.00  一、一般公共服务支出          31      100.00
本年收入合计                   27       100.00  本年支出合计                  57      100.00
使用非财政拨款结余             28               结余分配                      58
年初结转和结余                 29        10.00  年末结转和结余                59       10.00
总计                           30       110.00  总计                          60      110.00
注：本表反映部门本年度的总收支和年末结转结余情况。
"""


def test_two_sided_column_numbering_is_no_line_and_keeps_the_grand_totals():
    from pdfmaker import text_to_pdf

    record = read_document(text_to_pdf(HEAD + SUMMARY_WITH_COLUMN_NUMBERING), name="x.pdf")
    assert _unread(record, "收入支出决算总表") == []
    summary = record["tables"]["summary"]
    assert (summary["income_grand_total"]["value"], summary["expenditure_grand_total"]["value"]) == ("110.00", "110.00")
