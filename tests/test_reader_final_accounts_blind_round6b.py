"""决算 layouts met in a sixth round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional PDF or workbook that shows it.

* The 一般公共预算财政拨款基本支出决算表 printed in one panel with the 决算 software's 行次 column
  -- "经济分类科目编码 | 科目名称 | 行次 | 合计 | 人员经费 | 公用经费", each row's ordinal (1, 2, …)
  between its name and its figures, blank cells left blank, the table running over two pages with
  its header repeated.  Before: the ordinals stood under a header naming no figure column, no row
  could be placed and the whole table was listed unread, row by row.
* A 部门决算 as a workbook, its empty 政府性基金 table printing "栏 次" (a cell's label centred by
  spacing its letters) over its column numbers 1 … 6 and a bare "合 计".  On main (before the
  cells' rows were written as the words they spell, inputs/tabrows.py) the numbering was taken for
  figures: the table was not empty and NAR-030 failed.  Kept here as the workbook's case.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document


def _unread(record: dict, section: str | None = None) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if section is None or u["section"] == section]


def _failing(record: dict, rule: str) -> list[str]:
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f.message for f in report.findings if f.rule == rule and f.status == "fail"]


# ---- the 基本支出决算表 in one panel with a 行次 column, over two pages ---------------------------

# (code, name, 合计, 人员经费, 公用经费) in 元; "" is a blank cell
BASIC_ROWS = [
    ("", "合计", "1,150,000.00", "1,000,000.00", "150,000.00"),
    ("301", "工资福利支出", "1,000,000.00", "1,000,000.00", ""),
    ("30101", "基本工资", "600,000.00", "600,000.00", ""),
    ("30106", "伙食补助费", "", "", ""),
    ("30107", "绩效工资", "400,000.00", "400,000.00", ""),
    ("302", "商品和服务支出", "150,000.00", "", "150,000.00"),
    ("30201", "办公费", "120,000.00", "", "120,000.00"),
    ("30202", "印刷费", "", "", ""),
    ("30299", "其他商品和服务支出", "30,000.00", "", "30,000.00"),
]


def _basic_table_pdf(rows_on_first_page: int = 5, ordinals: list[str] | None = None) -> bytes:
    """The table as a landscape PDF prints it, ruled: "项目" over the code and name, "决算数" over the three
    figure columns, the 行次 header on a line of its own between them, the "栏次 1 2 3" line, the
    figures right-aligned and each row's ordinal centred under 行次; the header repeated on the
    second page."""
    from pdfmaker import make_examples, pdf_bytes

    def width(text, size=9.0):
        return make_examples.pdfmetrics.stringWidth(text, make_examples.FONT, size)

    def right(x1, top, text):
        return ("text", x1 - width(text), top, text, 9.0)

    def centred(middle, top, text):
        return ("text", middle - width(text) / 2, top, text, 9.0)

    def header(first: bool) -> list:
        items = [("text", 300, 40, "一般公共预算财政拨款基本支出决算表", 15.0)] if first else []
        return items + [
            ("text", 48, 70, "单位名称：宿陵市档案服务中心", 9.0), right(793, 70, "公开06表"),
            right(793, 84, "金额单位：元"), ("hrule", 98, 44, 797),
            centred(216, 104, "项目"), centred(618, 104, "决算数"),
            centred(413, 116, "行次"),
            centred(88, 128, "经济分类科目编码"), centred(262, 128, "科目名称"),
            centred(497, 128, "合计"), centred(618, 128, "人员经费"), centred(739, 128, "公用经费"),
            centred(216, 142, "栏次"), centred(497, 142, "1"), centred(618, 142, "2"), centred(739, 142, "3"),
            ("hrule", 154, 44, 797)]

    def ruled(top: float, bottom: float) -> list:
        # (the cells' vertical rules: code | name | 行次 | 合计 | 人员经费 | 公用经费)
        return [("vrule", x, top, bottom) for x in (44, 128, 396, 430, 558, 679, 797)]

    pages, items = [], header(True)
    for at, (code, name, total, personnel, public) in enumerate(BASIC_ROWS):
        if at == rows_on_first_page:
            pages.append(items + ruled(98, 160 + at * 16) + [centred(420, 560, "— 8 —")])
            items, top0 = header(False), at
        top = 160 + (at - (top0 if at >= rows_on_first_page else 0)) * 16
        items += [("text", 45, top, code, 9.0)] if code else []
        items += [("text", 136 if code else 209, top, name, 9.0), centred(413, top, ordinals[at] if ordinals else str(at + 1))]
        items += [right(x1, top, text) for x1, text in ((555, total), (676, personnel), (797, public)) if text]
    items.append(("text", 48, 160 + (len(BASIC_ROWS) - rows_on_first_page) * 16 + 6,
                  "注：本表反映单位本年度一般公共预算财政拨款基本支出情况。", 9.0))
    pages.append(items + ruled(98, 160 + (len(BASIC_ROWS) - rows_on_first_page) * 16)
                 + [centred(420, 560, "— 9 —")])
    head = [("text", 300, 200, "宿陵市档案服务中心", 16.0), ("text", 300, 240, "2025年度单位决算", 16.0)]
    return pdf_bytes([head, *pages], size=(842, 595))


def test_basic_table_with_a_line_number_column_is_read_by_position_over_two_pages():
    record = read_document(_basic_table_pdf(), name="x.pdf")
    table = record["tables"]["general_budget_basic"]
    assert _unread(record, "一般公共预算财政拨款基本支出决算表") == []
    assert table["split"] is True
    assert {k: v["value"] for k, v in table["totals"].items()} == {
        "total": "1150000.00", "personnel": "1000000.00", "public": "150000.00"}
    rows = {r["code"]: {k: r[k]["value"] for k in ("amount", "personnel", "public") if k in r} for r in table["rows"]}
    assert rows == {
        "301": {"amount": "1000000.00", "personnel": "1000000.00"},
        "30101": {"amount": "600000.00", "personnel": "600000.00"},
        "30106": {},
        "30107": {"amount": "400000.00", "personnel": "400000.00"},
        "302": {"amount": "150000.00", "public": "150000.00"},
        "30201": {"amount": "120000.00", "public": "120000.00"},
        "30202": {},
        "30299": {"amount": "30000.00", "public": "30000.00"},
    }
    for rule in ("TBL-033", "TBL-034"):
        assert _failing(record, rule) == []


def test_an_amount_under_the_line_number_column_is_no_ordinal_and_lists_the_table():
    # (an amount standing under 行次 is a figure no header names: the table is not read in part)
    ordinals = [str(n + 1) for n in range(len(BASIC_ROWS))]
    ordinals[2] = "600.00"
    record = read_document(_basic_table_pdf(ordinals=ordinals), name="x.pdf")
    assert "rows" not in record["tables"]["general_budget_basic"]
    assert len(_unread(record, "一般公共预算财政拨款基本支出决算表")) >= len(BASIC_ROWS)


# ---- a workbook's empty fund table whose 栏次 cell is letter-spaced ------------------------------

def _workbook(sheets: dict[str, list[list]]) -> bytes:
    import io

    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra, in the test extra) reads workbooks")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbook_fund_table_printing_a_letter_spaced_column_numbering_is_empty():
    # (a 部门决算 as a workbook: "栏 次" and "合 计" centred by spacing their letters, as a cell
    # prints a short label; before the cells' rows were written as the words they spell
    # (inputs.tabrows), "栏 次 1 2 3 4 5 6" was taken for a line of figures, the table was not
    # empty, and NAR-030 failed against the narrative's "无…收入…支出")
    book = _workbook({
        "说明": [["宿陵市退役军人事务局2025年度部门决算"], ["第三部分 2025年度部门决算情况说明"],
                 ["八、政府性基金预算财政拨款收入支出决算情况说明"],
                 ["本部门2025年度无政府性基金预算财政拨款收入，也无使用政府性基金预算财政拨款安排的支出。"]],
        "表8": [["政府性基金预算财政拨款收入支出决算表"], [None, None, None, None, None, None, None, "公开08表"],
                ["编制单位：宿陵市退役军人事务局", None, None, None, None, None, None, "单位：万元"],
                ["项 目", None, "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"],
                ["科目编码", "科目名称", None, None, "小计", "基本支出", "项目支出"],
                ["栏 次", None, 1, 2, 3, 4, 5, 6], ["合 计"],
                ["注：本部门2025年度没有政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"]],
    })
    record = read_document(book, name="x.xlsx")
    assert record["tables"]["gov_fund"]["empty"] is True
    assert _unread(record, "政府性基金预算财政拨款收入支出决算表") == []
    assert _failing(record, "NAR-030") == []
