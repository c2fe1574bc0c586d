"""A 决算 given as single-spaced text whose table rows wrap (session 24): pdftotext / pypdfium2 text
of a PDF whose 科目名称 column is narrow prints a row's name over two or three lines, its figures
after the last piece -- "208 社会保障和就" / "业支出 754.75 754.75 0.00", or the code alone on a line,
the name's pieces, then the figures alone ("2080505" / "机关事业单位基本养老" / "保险缴费支出" /
"446.11 446.11 0.00").  Fictional tables (cases as data), the national 一般公共预算财政拨款支出决算表.

Each wrapped row is one row with its figures (never a row without figures, never a line of figures
"446.11 …" read as a code 446); a wrapped row whose figures do not fill the columns makes the table
listed with all its lines (coverage silent 0); a 财政拨款收入支出决算总表 side some of whose classes
could not be placed writes none of them (its other classes are not 0).
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from pdfium_text import SHANGHAI, pdfium_text

HEAD = """示范区示范局2024年度部门决算
第二部分 示范区示范局2024年度部门决算表
一般公共预算财政拨款支出决算表
单位：万元
项目
合计 基本支出 项目支出 功能分类
科目编码 科目名称
"""
NOTE = "注：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
# (code, the printed lines of the row) -- the figures total / basic / project
ROWS = {
    "208": ["208 社会保障和就", "业支出 754.75 754.75 0.00"],
    "20805": ["20805 行政事业单位", "养老支出 754.75 754.75 0.00"],
    "2080501": ["2080501 行政单位离退", "休", "54.53 54.53 0.00"],
    "2080505": ["2080505", "机关事业单位基本养老", "保险缴费支出", "446.11 446.11 0.00"],
    "2080506": ["2080506 机关事业单位职业年金缴费支出 254.11 254.11 0.00"],
    "212": ["212 城乡社区支出 1092.80 1084.02 8.78"],
    "21201": ["21201 城乡社区管理", "事务 1092.80 1084.02 8.78"],
    "2120101": ["2120101 行政运行 1092.80 1084.02 8.78"],
}
TOTAL = "合计 1847.55 1838.77 8.78"
FIGURES = {"208": ("754.75", "754.75", "0.00"), "20805": ("754.75", "754.75", "0.00"),
           "2080501": ("54.53", "54.53", "0.00"), "2080505": ("446.11", "446.11", "0.00"),
           "2080506": ("254.11", "254.11", "0.00"), "212": ("1092.80", "1084.02", "8.78"),
           "21201": ("1092.80", "1084.02", "8.78"), "2120101": ("1092.80", "1084.02", "8.78")}


def _text(rows=ROWS) -> str:
    return HEAD + "\n".join(line for lines in rows.values() for line in lines) + "\n" + TOTAL + "\n" + NOTE


def _read(text: str):
    record = read_document(text.encode("utf-8"), name="wrapped.txt")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


def _amounts(row) -> tuple:
    return tuple(row[k]["value"] for k in ("total", "basic", "project") if k in row)


def test_a_wrapped_row_is_one_row_with_its_figures():
    record, failing = _read(_text())
    rows = {r["code"]: r for r in record["tables"]["general_budget"]["rows"]}
    assert {code: _amounts(row) for code, row in rows.items()} == FIGURES
    assert rows["208"]["name"] == "社会保障和就业支出" and rows["21201"]["name"] == "城乡社区管理事务"
    assert not {r for r in failing if r.startswith(("TBL-02", "XT-", "NAR-"))}
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0 and coverage["figures"]["read"] == coverage["figures"]["printed"]


def test_a_line_of_figures_starting_with_three_digits_is_no_code():
    """"446.11 446.11 0.00" below its code: before, "446" was taken for a class code starting a row."""
    record, _ = _read(_text())
    codes = [r["code"] for r in record["tables"]["general_budget"]["rows"]]
    assert "446" not in codes and codes == list(ROWS)


@pytest.mark.parametrize("code, figures", [
    # a blank cell, and the sums do not say which (its 基本支出 one cent off its 款's: a misprint --
    # "446.11 446.11" is placed by them, session fa10: see below)
    ("2080505", "446.11 446.10"),
    ("208", "754.75 754.75 0.00 1.00"),     # a figure too many
])
def test_a_wrapped_row_not_filling_the_columns_lists_the_table_with_all_its_lines(code, figures):
    rows = dict(ROWS)
    rows[code] = rows[code][:-1] + [(rows[code][-1].rsplit(" ", 3)[0] + " " if not rows[code][-1][0].isdigit() else "")
                                    + figures]
    record, failing = _read(_text(rows))
    assert "rows" not in record["tables"]["general_budget"]
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["read"] == 0
    unread = [u for u in record["_meta"]["unread"] if u["section"] == "一般公共预算财政拨款支出决算表"]
    wrapped = next(u for u in unread if figures in u["reason"])
    assert wrapped["lines"][1] - wrapped["lines"][0] == len(rows[code]) - 1
    assert not {r for r in failing if r.startswith(("TBL-02", "XT-"))}


SUMMARY = """示范区示范局2024年度部门决算
第二部分 示范区示范局2024年度部门决算表
财政拨款收入支出决算总表
单位：万元
收入 支出
项目 决算数 项目 合计
一般公共
预算财政
拨款
政府性基
金预算财
政拨款
国有资本
经营预算
财政拨款
一、一般公共预算财政拨款 1847.55 一、一般公共服务支出
二、政府性基金预算财政拨款 二、外交支出
八、社会保障和就业支出 754.75 754.75
十一、城乡社区支出 1092.80 1092.80
本年收入合计 1847.55 本年支出合计 1847.55 1847.55
注：本表反映部门本年度财政拨款收支情况。
"""


def test_a_summary_side_with_classes_not_placed_writes_none_of_them():
    """Two figures under four fund columns cannot be placed: those lines are listed, and the classes
    printing no figure (一般公共服务支出, 外交支出) are not written either -- XT-007 would read them,
    and every class of the side, as 0."""
    record, failing = _read(SUMMARY + _text().split("第二部分 示范区示范局2024年度部门决算表\n", 1)[1])
    summary = record["tables"]["appropriation_summary"]
    assert "expenditure" not in summary
    assert summary["income"]["general_budget"]["value"] == "1847.55"
    assert not {r for r in failing if r.startswith("XT-")}
    unread = [u["lines"][0] for u in record["_meta"]["unread"] if u["section"] == "财政拨款收入支出决算总表"]
    assert len(unread) == 3


def test_the_table_is_split_by_its_headers_words():
    record, failing = _read(_text())
    assert record["tables"]["general_budget"]["split"] is True
    # so TBL-022 (合计 = 基本支出 + 项目支出 on each row) runs: a row that is not is found
    _, failing = _read(_text().replace("2120101 行政运行 1092.80 1084.02 8.78", "2120101 行政运行 1092.80 1084.02 9.78"))
    assert "TBL-022" in failing


@pytest.mark.parametrize("name", ["putuo-planning-resources-2024-final-accounts", "putuo-social-work-2024-final-accounts"])
def test_a_real_final_accounts_as_pdfium_text_finds_what_its_pdf_finds(name):
    """The shared 决算 PDFs, their text as pypdfium2 gives it (pages joined as pdftotext joins them:
    a form feed after each page's last line), read as text: no finding the PDF does not have
    (before, 21 more on the first: wrapped names' figures glued to them, "446.11 …" read as code
    446, the 总表's unplaced side read as 0), and nothing silent."""
    path = SHANGHAI / f"{name}.pdf"
    text = pdfium_text(path)
    record, text_failing = _read(text)
    _, pdf_failing = _read_pdf(path)
    assert text_failing <= pdf_failing, text_failing - pdf_failing
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def _read_pdf(path):
    record = read_document(str(path))
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


def test_a_wrapped_row_missing_a_blank_cell_is_placed_by_its_parents_sums():
    """"446.11 446.11" under 合计 / 基本支出 / 项目支出: its 款 prints all three and its siblings fill
    theirs, so only 基本支出 lets the 款's sums hold (session fa10, readers/common/blank_cells.py)."""
    rows = dict(ROWS)
    rows["2080505"] = rows["2080505"][:-1] + ["446.11 446.11"]
    record, _ = _read(_text(rows))
    placed = {r["code"]: r for r in record["tables"]["general_budget"]["rows"]}
    assert _amounts(placed["2080505"]) == ("446.11", "446.11") and "basic" in placed["2080505"]
