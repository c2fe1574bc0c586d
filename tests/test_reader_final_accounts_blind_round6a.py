"""决算 layouts met in a sixth round of documents written blind, each reduced here to the smallest
fictional PDF or text that shows it.

* 财政拨款收入支出决算总表 printing 年初预算数 / 调整预算数 / 决算数 on EACH side (项目 | 年初预算数 |
  调整预算数 | 决算数, the same on the expenditure side; 上海's districts and others): three figures on
  a line.  Before: the left side's lines were "two-sided line: its figures cannot be given…", the
  right side's "fund columns not placed…" -- nothing of the table was read, no rule checked it.
  Now each figure is placed under the heading it stands below: the 决算数 are the table's figures
  (as in a table of one 决算数 column a side), the budgets -- for which the record has no place in
  this table -- listed with that reason.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)

APPROPRIATION = "财政拨款收入支出决算总表"


def _unread(record: dict, section: str | None = None) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if section is None or u["section"] == section]


def _findings(record: dict, *statuses: str) -> list:
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f for f in report.findings if f.status in statuses]


# ---- 财政拨款收入支出决算总表 with 年初预算数 / 调整预算数 / 决算数 on each side ------------------------

# each line's (年初预算数, 调整预算数) by its label; a label not here prints its budgets blank
_BUDGETS = {"一、一般公共预算财政拨款": ("1,200.00", "1,215.00"), "七、文化旅游体育与传媒支出": ("940.00", "960.00"),
            "八、社会保障和就业支出": ("130.00", "135.00"), "九、卫生健康支出": ("40.00", "41.00"),
            "十九、住房保障支出": ("78.00", "79.00"), "本年收入合计": ("1,200.00", "1,215.00"),
            "本年支出合计": ("1,188.00", "1,215.00"), "年初财政拨款结转和结余": ("", "8.00"),
            "年末财政拨款结转和结余": ("", "8.00"), "总计": ("1,200.00", "1,223.00")}


def _appropriation_with_budgets(bad: bool = False) -> bytes:
    """The example 决算's 财政拨款收入支出决算总表 (one 决算数 column a side) printed with 年初预算数 and
    调整预算数 before each side's 决算数, zero cells blank.  *bad*: 本年支出合计's 决算数 1,260.60 where
    its classes add up to 1,206.60."""
    def hook(title, header, widths, rows, options):
        if title != APPROPRIATION:
            return None
        header = [("收入", 0, 3, 0, 0), ("支出", 4, 7, 0, 0), ("项目", 0, 0, 1, 1), ("年初预算数", 1, 1, 1, 1),
                  ("调整预算数", 2, 2, 1, 1), ("决算数", 3, 3, 1, 1), ("项目", 4, 4, 1, 1), ("年初预算数", 5, 5, 1, 1),
                  ("调整预算数", 6, 6, 1, 1), ("决算数", 7, 7, 1, 1)]

        def side(label, final):
            budget, adjusted = _BUDGETS.get(label, ("", "")) if final or label in _BUDGETS else ("", "")
            return [label, budget, adjusted, final]
        body = []
        for r in rows:
            right = r[3] if not (bad and r[2] == "本年支出合计") else "1,260.60"
            # (the 年初 balance's per-fund line under it: its budget as the balance's)
            left = side(r[0], r[1]) if not (r[0] == "一、一般公共预算财政拨款" and r[1] == "8.00") \
                else [r[0], "", "8.00", r[1]]
            body.append(left + side(r[2], right))
        return header, [165, 62, 62, 62, 170, 62, 62, 62], body, dict(
            options, align=["l", "r", "r", "r", "l", "r", "r", "r"])
    return fav.build(table=hook)


def test_appropriation_summary_with_budget_columns_reads_its_final_figures_under_their_heading():
    record = read_document(_appropriation_with_budgets(), name="appropriation_budgets.pdf")
    table = record["tables"]["appropriation_summary"]
    value = lambda fig: fig["value"]  # noqa: E731
    assert table["by_fund"] is False
    assert (value(table["income"]["general_budget"]), value(table["income_total"]), value(table["opening"]["total"]),
            value(table["opening"]["general_budget"]), value(table["income_grand_total"])) == \
        ("1210.60", "1210.60", "8.00", "8.00", "1218.60")
    assert (value(table["expenditure_total"]["total"]), value(table["closing"]["total"]),
            value(table["expenditure_grand_total"])) == ("1206.60", "12.00", "1218.60")
    rows = {row["code"]: value(row["total"]) for row in table["expenditure"] if "total" in row}
    assert rows == {"207": "954.00", "208": "134.40", "210": "40.20", "221": "78.00"}
    # the budgets: no place in this table's record -- listed, each line once, with that reason
    listed = _unread(record, APPROPRIATION)
    assert listed and all("budget" in reason and "no place" in reason for reason in listed), listed
    assert len(listed) == 9, listed
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0, coverage
    assert not [f.rule for f in _findings(record, "fail")]
    checked = {f.rule for f in _findings(record, "pass", "pass_rounding")}
    assert {"BAL-010", "BAL-011", "BAL-012", "BAL-013", "BAL-018", "BAL-021", "XT-004", "XT-005", "NAR-007"} <= checked, checked


def test_appropriation_summary_with_budget_columns_catches_an_error_in_its_final_figures():
    record = read_document(_appropriation_with_budgets(bad=True), name="appropriation_budgets_bad.pdf")
    failing = {f.rule for f in _findings(record, "fail")}
    assert "BAL-018" in failing and "BAL-012" in failing, failing


def test_appropriation_summary_with_budget_columns_as_text_is_listed_never_half_read(tmp_path):
    """The same table as text without positions (a blank budget cell leaves no trace): which figure
    is the 决算数 cannot be told, its lines with figures are listed, none read."""
    from pdfium_text import pdfium_text
    pdf = tmp_path / "appropriation_budgets.pdf"
    pdf.write_bytes(_appropriation_with_budgets())
    record = read_document(pdfium_text(pdf), name="appropriation_budgets.txt")
    table = record["tables"].get("appropriation_summary", {})
    assert "income_total" not in table and "expenditure_grand_total" not in table, table
    assert _unread(record, APPROPRIATION)
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


# ---- 收入支出决算总表 with 年初预算数 / 调整预算数 / 决算数 on each side --------------------------------

# each summary line's (年初预算数, 调整预算数) by its label
_SUMMARY_BUDGETS = {"一、一般公共预算财政拨款收入": ("1,250.00", "1,215.00"), "七、文化旅游体育与传媒支出": ("1,000.00", "970.00"),
                    "八、社会保障和就业支出": ("130.00", "135.00"), "九、卫生健康支出": ("42.00", "41.00"),
                    "十九、住房保障支出": ("78.00", "78.00"), "本年收入合计": ("1,250.00", "1,215.00"),
                    "本年支出合计": ("1,250.00", "1,224.00"), "年初结转和结余": ("8.00", "8.00"),
                    "年末结转和结余": ("8.00", ""), "总计": ("1,258.00", "1,223.00")}


def _summary_with_two_budgets() -> bytes:
    def hook(title, header, widths, rows, options):
        if title != "收入支出决算总表":
            return None
        header = [("收入", 0, 3, 0, 0), ("支出", 4, 7, 0, 0), ("项目", 0, 0, 1, 1), ("年初预算数", 1, 1, 1, 1),
                  ("调整预算数", 2, 2, 1, 1), ("决算数", 3, 3, 1, 1), ("项目", 4, 4, 1, 1), ("年初预算数", 5, 5, 1, 1),
                  ("调整预算数", 6, 6, 1, 1), ("决算数", 7, 7, 1, 1)]
        body = [[r[0], *(_SUMMARY_BUDGETS.get(r[0], ("", "")) if r[1] else ("", "")), r[1],
                 r[2], *(_SUMMARY_BUDGETS.get(r[2], ("", "")) if r[3] else ("", "")), r[3]] for r in rows]
        return header, [165, 62, 62, 62, 170, 62, 62, 62], body, dict(
            options, align=["l", "r", "r", "r", "l", "r", "r", "r"])
    return fav.build(table=hook)


def test_summary_with_two_budget_columns_reads_its_final_figures_and_its_budget_the_record_places():
    """Before: two budget headings on a side told nothing of which figure was which, every line with
    figures was listed.  Now the 决算数 are read, the 年初预算数 as ``budget.…`` (its place in this
    table's record) and the 调整预算数, which has none, listed."""
    record = read_document(_summary_with_two_budgets(), name="summary_two_budgets.pdf")
    summary = record["tables"]["summary"]
    value = lambda fig: fig["value"]  # noqa: E731
    assert (value(summary["income_total"]), value(summary["income_grand_total"]),
            value(summary["expenditure_total"])) == ("1222.60", "1230.60", "1216.60")
    assert (value(summary["budget"]["income_total"]), value(summary["budget"]["expenditure_grand_total"])) == \
        ("1250.00", "1258.00")
    rows = {row["code"]: (value(row["amount"]), value(row["budget"])) for row in summary["expenditure"] if "amount" in row}
    assert rows["208"] == ("134.40", "130.00")
    listed = _unread(record, "收入支出决算总表")
    assert listed and all("no place" in reason for reason in listed), listed
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert not [f.rule for f in _findings(record, "fail")]
    assert {"BAL-035", "BAL-036", "BAL-037", "BAL-038"} <= {f.rule for f in _findings(record, "pass", "pass_rounding")}


# ---- a code in the 科目 cell that the classification lists lack ------------------------------------

def _coded_in_name_pdf(bracketed: bool) -> bytes:
    """一般公共预算财政拨款支出决算表 printing each row's code and name in one indented 科目 cell
    ("2130108 病虫害控制", or "[2130108]病虫害控制"), blank cells empty; the lists hold no 2130108.
    Planted: 2130108's 项目支出 41.00 where its 合计 is 40.00."""
    from pdfmaker import pdf_bytes

    def right(x, top, text):
        return ("text", x - len(text) * 4.5, top, text, 9.0)

    cover = [("text", 60, 60, "某县某局2025年度部门决算", 14.0), ("text", 60, 90, "第二部分 2025年度部门决算表", 9.0)]
    heads = [("科目", 64), ("合计", 250), ("基本支出", 330), ("项目支出", 430)]
    page = [("text", 60, 40, "公开05表", 10.0), ("text", 200, 60, "一般公共预算财政拨款支出决算表", 12.0),
            ("text", 500, 80, "单位：万元", 9.0)] + [("text", x, 100, text, 9.0) for text, x in heads]
    rights = [x + len(text) * 9.0 + 20 for text, x in heads[1:]]
    rows = [("合计", "100.00", "60.00", "40.00"), ("213 农林水支出", "100.00", "60.00", "40.00"),
            ("21301 农业农村", "100.00", "60.00", "40.00"), ("2130101 行政运行", "60.00", "60.00", None),
            ("2130108 病虫害控制", "40.00", None, "41.00")]
    for at, (cell, *figures) in enumerate(rows):
        top = 120 + 14 * at
        code, _, name = cell.partition(" ")
        indent = {3: 0, 5: 9, 7: 18}.get(len(code), 0)
        page.append(("text", 64 + indent, top, f"[{code}]{name}" if bracketed and name else cell, 9.0))
        page += [right(x, top, f) for x, f in zip(rights, figures) if f]
    return pdf_bytes([cover, page])


@pytest.mark.parametrize("bracketed", [False, True])
def test_a_code_in_the_name_cell_the_lists_lack_is_the_rows_code(bracketed):
    """(Guard: the 决算 reader took this before -- its rows' codes are the digits a 科目 cell starts
    with, listed or not -- kept as the budget reader learned it, round 5's 河北.)"""
    from fiscalrules.data.classification import classification
    assert classification("function").name("2130108") is None
    record = read_document(_coded_in_name_pdf(bracketed), name="coded_in_name.pdf")
    rows = record["tables"]["general_budget"]["rows"]
    assert [(r["code"], r["name"]) for r in rows] == [
        ("213", "农林水支出"), ("21301", "农业农村"), ("2130101", "行政运行"), ("2130108", "病虫害控制")]
    assert (rows[-1]["total"]["value"], rows[-1]["project"]["value"], "basic" in rows[-1]) == ("40.00", "41.00", False)
    assert _unread(record, "一般公共预算财政拨款支出决算表") == []
    assert "TBL-022" in {f.rule for f in _findings(record, "fail")}
