"""Budget tables of round 9's blind documents (a county school's 单位预算 PDF in 元, Yunnan style),
built here as small fictional PDFs (tests/pdfmaker.py) and read by the template's structure -- table
titles, header words, codes, where each figure stands -- never by one document's names or figures."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.readers import read_disclosure  # noqa: E402
from fiscalrules.readers.budget.table_titles import table_title_key  # noqa: E402

_COVER = [("text", 60, 60, "某县某中学2026年单位预算", 14.0),
          ("text", 60, 90, "第一部分 2026年单位预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]


def _findings(record) -> dict[str, list]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    out: dict[str, list] = {}
    for finding in report.failures:
        out.setdefault(finding.rule, []).append(finding)
    return out


def _right(x: float, top: float, text: str, size: float = 9.0) -> tuple:
    """A figure right-aligned at *x* (reportlab's CJK font draws a digit half an em wide)."""
    return ("text", x - len(text) * size / 2, top, text, size)


def _table_page(label: str, title: str, heads: list[tuple[str, float]], rows: list[tuple]) -> list:
    """A table page: "表N" top left, the title centred, 单位名称 left and 单位：元 right, the header
    words at their x; each row's code and name in one cell indented by level, its figures
    right-aligned at the right edge of their header's column (None: a blank cell)."""
    items = [("text", 60, 40, label, 10.0), ("text", 160, 60, title, 12.0),
             ("text", 60, 80, "单位名称：某县某中学", 9.0), ("text", 500, 80, "单位：元", 9.0)]
    items += [("text", x, 100, text, 9.0) for text, x in heads]
    rights = [x + len(text) * 9.0 + 20 for text, x in heads[1:]]
    for at, (cell, *figures) in enumerate(rows):
        top = 120 + 14 * at
        indent = {3: 0, 5: 9, 7: 18}.get(len(cell.split()[0]), 0)
        items.append(("text", 64 + indent, top, cell, 9.0))
        items += [_right(x, top, f) for x, f in zip(rights, figures) if f]
    return items


@pytest.mark.parametrize("title, key", [
    ("表5 一般公共预算支出预算表（按功能科目分类）", "general_budget"),
    ("一般公共预算支出表（按支出功能分类科目）", "general_budget"),
    ("表6 一般公共预算基本支出预算表（按经济科目分类）", "general_budget_basic"),
    ("一般公共预算基本支出表（按经济分类科目）", "general_budget_basic"),
    ("单位支出预算表（按功能科目分类）", "expenditure"),
    # (a class other than the table's own is no qualifier of it: no national table)
    ("一般公共预算支出表（按经济科目分类）", None),
    ("基本支出预算表（按经济科目分类）", None),
])
def test_a_classification_in_brackets_after_a_known_title_keeps_it_known(title, key):
    # Yunnan titles tables 5 and 6 "…预算表（按功能科目分类）" / "…（按经济科目分类）": the words
    # 科目 and 分类 the other way round from "按功能分类科目" -- both tables were "a table under a
    # title the reader does not know", unread (QUA-010 failed and their errors went unseen).
    assert table_title_key(title.replace("（", "(").replace("）", ")").replace(" ", "")) == key


def test_the_basic_table_titled_by_economic_class_in_brackets_is_read_and_checked(tmp_path):
    heads = [("经济科目编码", 64), ("合计", 260), ("人员经费", 340), ("公用经费", 440)]
    rows = [("301 工资福利支出", "500000.00", "500000.00", None),
            ("30101 基本工资", "500000.00", "500000.00", None),
            ("302 商品和服务支出", "100000.00", None, "100000.00"),
            ("30201 办公费", "60000.00", None, "60000.00"),
            # 公用经费 printed 45000.00 where its 合计 is 40000.00
            ("30207 邮电费", "40000.00", None, "45000.00"),
            ("合计", "600000.00", "500000.00", "100000.00")]
    path = tmp_path / "basic_by_economic_class.pdf"
    path.write_bytes(pdf_bytes([_COVER, _table_page(
        "表6", "某县某中学一般公共预算基本支出预算表（按经济科目分类）", heads, rows)]))
    record = read_disclosure(path)
    table = record["tables"]["general_budget_basic"]
    assert [row["code"] for row in table["rows"]] == ["301", "30101", "302", "30201", "30207"]
    assert not [u for u in record["_meta"].get("unread", []) if "does not know" in u["reason"]]
    found = _findings(record)
    assert "TBL-046" in found and "TBL-042" in found


def _two_sided_page(rows: list[tuple[str, str | None, str, str | None]]) -> list:
    """A 财务收支预算总表: "收 入 | 支 出" over "项 目 预算数 | 项 目 预算数"; each row (income
    name, its figure, expenditure name, its figure), an income name starting with blanks set in
    by them (four: 12 points)."""
    items = [("text", 60, 40, "表1", 10.0), ("text", 240, 60, "财务收支预算总表", 12.0),
             ("text", 60, 80, "单位名称：某县某中学", 9.0), ("text", 700, 80, "单位：元", 9.0),
             ("text", 222, 100, "收 入", 9.0), ("text", 602, 100, "支 出", 9.0),
             ("text", 148, 114, "项 目", 9.0), ("text", 335, 114, "预算数", 9.0),
             ("text", 528, 114, "项 目", 9.0), ("text", 715, 114, "预算数", 9.0)]
    # ruled as printed: "收 入" and "支 出" each merged over its side's two columns
    bottom = 126 + 14 * len(rows)
    items += [("vrule", x, 96, bottom) for x in (40, 420, 800)]
    items += [("vrule", x, 110, bottom) for x in (270, 650)]
    items += [("hrule", y, 40, 800) for y in (96, 110, *range(126, bottom + 1, 14))]
    for at, (income, amount, expenditure, spent) in enumerate(rows):
        top = 130 + 14 * at
        if income:
            items.append(("text", 43 + 3 * (len(income) - len(income.lstrip())), top, income.strip(), 9.0))
        if amount:
            items.append(_right(416, top, amount))
        if expenditure:
            items.append(("text", 423, top, expenditure, 9.0))
        if spent:
            items.append(_right(796, top, spent))
    return items


def test_the_carryover_parts_under_the_summary_tables_carryover_are_no_income_of_this_year(tmp_path):
    # 财务收支预算总表 as the national template prints it below 本年收入合计: "上年结转结余", then
    # set in under it "其中：一般公共预算拨款" (blank) and "单位资金".  The 其中 line was joined to
    # the name above as the rest of it ("上年结转结余其中：一般公共预算拨款"), and 单位资金 -- flush
    # in the PDF's text, whose lines keep no blanks -- became income of this year: TSU-004 failed
    # on a correct table by the carryover.
    rows = [("一、一般公共预算拨款收入", "800000.00", "一、教育支出", "1000000.00"),
            ("二、单位资金", "100000.00", "二、社会保障和就业支出", None),
            ("    1.事业收入", "100000.00", None, None),
            ("本年收入合计", "900000.00", "本年支出合计", "1000000.00"),
            ("上年结转结余", "100000.00", "年终结转结余", None),
            ("    其中：一般公共预算拨款", None, None, None),
            ("    单位资金", "100000.00", None, None),
            ("收入总计", "1000000.00", "支出总计", "1000000.00")]
    path = tmp_path / "summary_carryover.pdf"
    path.write_bytes(pdf_bytes([_COVER, _two_sided_page(rows)], size=(842, 595)))
    record = read_disclosure(path)
    income = record["tables"]["summary"]["income"]
    assert [(r["name"], r["level"]) for r in income["rows"]][-3:] == [
        ("上年结转结余", 1), ("其中：一般公共预算拨款", 2), ("单位资金", 2)]
    assert income["totals"]["subtotal_amount"]["value"] == "900000.00"
    assert "TSU-004" not in _findings(record)

