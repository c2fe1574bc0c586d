"""A 单位预算's tables as a web page prints them, pasted with tabs between cells (blind round 15):

- the "三公" table with last year's and this year's figures side by side, one block of the items
  under each year's title ("2025年预算数 | 2026年预算数" over 合计 … 公务接待费, twice).  A merged
  title copied from a page lands over one column, or one column early: placed by where its cell
  stood, the second block's 公务接待费 was last year's -- two 公务接待费 of this year, the row "not
  understood", the table unread.  The n-th title is the n-th block's.
- a 事业单位's 机关运行经费 paragraph, which prints its 公用经费 in their place ("本单位为事业单位，比照
  机关运行经费口径，…一般公共预算安排的公用经费 X 万元，比上年减少 …"): "not mapped to a field", now the
  year's general-budget 公用经费, checked against the basic spending table and its own change.
- the 单位整体支出绩效目标表's appropriation printed by its kind ("其中：一般公共预算拨款 1,366.02"):
  "performance table row not read", PRF-001 not evaluable; now the overall form's 财政拨款.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from pdfmaker import pdf_bytes

# ---- the 三公 table: two year blocks side by side --------------------------------------------------

_ITEMS = "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费"
_PARTS = "\t\t小计\t公务用车购置费\t公务用车运行费\t"


def _three_public_page(title_row: str, reception_prior: str = "3.00") -> str:
    """A fictional unit's 三公 table pasted from its page (Windows line ends), and the narrative's
    paragraph stating the reception's change against last year."""
    prior_total = f"{6.00 + float(reception_prior):.2f}"
    return "\r\n".join([
        "示例县水利服务中心2026年单位预算",
        "第二部分 2026年单位预算表",
        "表7",
        "示例县水利服务中心2026年一般公共预算“三公”经费支出表",
        "单位：万元",
        title_row,
        f"{_ITEMS}\t{_ITEMS}",
        f"{_PARTS}\t{_PARTS}",
        f"{prior_total}\t0.00\t6.00\t0.00\t6.00\t{reception_prior}\t8.00\t0.00\t5.50\t0.00\t5.50\t2.50",
        "",
        "第三部分 2026年单位预算情况说明",
        "七、“三公”经费预算情况",
        "2026年一般公共预算“三公”经费预算数为8.00万元。其中：公务接待费2.50万元，比2025年预算减少0.50万元。",
        "",
    ])


_TITLE_ROWS = {
    # (a title over six columns copied as a cell and four blanks: the second title one column early)
    "one_column_early": "2025年预算数\t\t\t\t\t2026年预算数\t\t\t\t\t",
    # (each merged title copied as one cell: the second over the first block's 因公出国（境）费)
    "one_cell_each": "2025年预算数\t2026年预算数",
    # (this year's block first)
    "this_year_first": "2026年预算数\t\t\t\t\t2025年预算数\t\t\t\t\t",
}


def _figures(figures: dict) -> dict:
    return {key: cell["value"] for key, cell in figures.items() if isinstance(cell, dict)}


@pytest.mark.parametrize("layout", ["one_column_early", "one_cell_each"])
def test_each_year_title_heads_its_block_of_items(layout):
    record = read_document(_three_public_page(_TITLE_ROWS[layout]).encode("utf-8"), name="page.txt")
    table = record["tables"]["three_public"]
    assert [_figures(row) for row in table["rows"]] == [
        {"total": "8.00", "overseas": "0.00", "vehicle": "5.50", "vehicle_purchase": "0.00",
         "vehicle_operation": "5.50", "reception": "2.50"}]
    assert _figures(table["prior_year"]) == {"total": "9.00", "overseas": "0.00", "vehicle": "6.00",
                                             "vehicle_purchase": "0.00", "vehicle_operation": "6.00",
                                             "reception": "3.00"}
    assert not [u for u in record["_meta"].get("unread", []) if "三公" in u["section"]]


def test_the_blocks_follow_the_titles_order():
    record = read_document(_three_public_page(_TITLE_ROWS["this_year_first"]).encode("utf-8"), name="page.txt")
    table = record["tables"]["three_public"]
    # (the titles name the first block this year's: its figures are the row, whichever they are)
    assert _figures(table["rows"][0])["total"] == "9.00" and _figures(table["prior_year"])["total"] == "8.00"


@pytest.mark.parametrize("reception_prior, failing", [("3.00", False), ("3.20", True)], ids=["agrees", "slip"])
def test_last_years_block_is_checked_against_the_stated_change(reception_prior, failing):
    record = read_document(_three_public_page(_TITLE_ROWS["one_column_early"], reception_prior).encode("utf-8"),
                           name="page.txt")
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert any(f.rule == "CHG-009" and f.status == "fail" for f in findings) is failing


# ---- each item over a column per year, and the same tables in a web page and a PDF ---------------

_HEAD = ["示例县水利服务中心2026年单位预算", "第二部分 2026年单位预算表", "表7",
         "示例县水利服务中心2026年一般公共预算“三公”经费支出表", "单位：万元"]
# (last year's figure, then this year's, of 合计 / 出国 / 公务用车 小计 / 购置费 / 运行费 / 接待)
_PAIRS = "9.00 8.00 0.00 0.00 6.00 5.50 0.00 0.00 6.00 5.50 3.00 2.50".split()
_THIS_YEAR = {"total": "8.00", "overseas": "0.00", "vehicle": "5.50", "vehicle_purchase": "0.00",
              "vehicle_operation": "5.50", "reception": "2.50"}
_LAST_YEAR = {"total": "9.00", "overseas": "0.00", "vehicle": "6.00", "vehicle_purchase": "0.00",
              "vehicle_operation": "6.00", "reception": "3.00"}


def _items_over_years_pasted() -> str:
    # (公务接待费's cell merged down over the parts' row: a blank there is no part of the 公务用车 group)
    return "\r\n".join(_HEAD + [
        "合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t\t\t\t\t公务接待费\t",
        "\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行费\t\t\t",
        "\t".join(["2025年预算数", "2026年预算数"] * 6),
        "\t".join(_PAIRS), ""])


def _items_over_years_page() -> str:
    years = "<th>2025年预算数</th><th>2026年预算数</th>" * 6
    return ("<html><body>" + "".join(f"<p>{line}</p>" for line in _HEAD) + "<table>"
            "<tr><th colspan=2 rowspan=2>合计</th><th colspan=2 rowspan=2>因公出国（境）费</th>"
            "<th colspan=6>公务用车购置及运行费</th><th colspan=2 rowspan=2>公务接待费</th></tr>"
            "<tr><th colspan=2>小计</th><th colspan=2>公务用车购置费</th><th colspan=2>公务用车运行费</th></tr>"
            f"<tr>{years}</tr><tr>" + "".join(f"<td>{v}</td>" for v in _PAIRS) + "</tr></table></body></html>")


def _pdf_page(layout: str) -> bytes:
    """The table drawn as a PDF prints it: each title centred over its columns (the 公务用车 group's
    over the middle of its three, the words standing over one column only)."""
    items = [("text", 40, 40 + 20 * i, line, 9) for i, line in enumerate(_HEAD)]
    left, width = 20, 46
    if layout == "items_over_years":
        rows = [[("合计", 0, 2), ("因公出国（境）费", 2, 2), ("公务用车购置及运行费", 4, 6), ("公务接待费", 10, 2)],
                [("小计", 4, 2), ("公务用车购置费", 6, 2), ("公务用车运行费", 8, 2)],
                [(year, i, 1) for i, year in enumerate(["2025年", "2026年"] * 6)]]
        figures = _PAIRS
    else:
        rows = [[("2025年预算数", 0, 6), ("2026年预算数", 6, 6)],
                [(name, block + at, span) for block in (0, 6) for name, at, span in [
                    ("合计", 0, 1), ("因公出国（境）费", 1, 1), ("公务用车购置及运行费", 2, 3), ("公务接待费", 5, 1)]],
                [(name, block + at, 1) for block in (0, 6) for name, at in [("小计", 2), ("购置费", 3), ("运行费", 4)]]]
        figures = _PAIRS[0::2] + _PAIRS[1::2]
    for depth, cells in enumerate(rows):
        for name, at, span in cells:
            items.append(("text", left + (at + span / 2) * width - len(name) * 2.5, 170 + 15 * depth, name, 5))
    items += [("text", left + i * width + 18, 220, figure, 7) for i, figure in enumerate(figures)]
    return pdf_bytes([items])


@pytest.mark.parametrize("name, data", [("pasted.txt", lambda: _items_over_years_pasted().encode("utf-8")),
                                        ("page.html", lambda: _items_over_years_page().encode("utf-8")),
                                        ("table.pdf", lambda: _pdf_page("items_over_years")),
                                        ("blocks.pdf", lambda: _pdf_page("years_over_items"))],
                         ids=["pasted_items_over_years", "web_page_items_over_years", "pdf_items_over_years",
                              "pdf_year_blocks"])
def test_the_years_columns_are_read_in_every_format(name, data):
    record = read_document(data(), name=name)
    table = record["tables"]["three_public"]
    assert [_figures(row) for row in table["rows"]] == [_THIS_YEAR]
    assert _figures(table["prior_year"]) == _LAST_YEAR
    assert not [u for u in record["_meta"].get("unread", []) if "三公" in u["section"]]


# ---- a 事业单位's 公用经费 in place of the 机关运行经费 -------------------------------------------------

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
# (the example's basic spending table: 公用经费 100.00; its general budget's year, as the central template prints it)
_YEAR_SECTION = """（四）一般公共预算当年拨款情况

2025 年一般公共预算当年拨款 1,150.00 万元，比 2024 年预算增加 50.00 万元，增长 4.55%。

"""
_OPERATING = "2025 年部门机关运行经费预算 100.00 万元，比 2024 年预算减少\n\n4.00 万元，下降 4.85%"
_INSTEAD = ("本单位为公益一类事业单位，比照机关运行经费口径，2025 年一般公共预算安排的公用经费 {amount} 万元，"
            "比 2024 年预算减少\n\n4.00 万元，下降 {pct}%")


def _institution(amount: str = "100.00", pct: str = "3.85", operating: str | None = None) -> str:
    text = EXAMPLE.replace("（四）政府性基金情况", _YEAR_SECTION + "（四）政府性基金情况", 1)
    assert text.count(_OPERATING) == 1
    return text.replace(_OPERATING, operating or _INSTEAD.format(amount=amount, pct=pct))


def _audit(text: str):
    record = read_document(text.encode("utf-8"), name="unit.txt")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return record, {f.rule: f.status for f in report.findings}


def test_an_institutions_public_costs_are_the_years_general_budget_public_costs():
    record, statuses = _audit(_institution())
    public = record["general_budget_year"]["basic_public"]
    assert (public["value"], public["change"], public["pct"]) == ("100.00", "-4.00", "-3.85")
    assert "operating_costs" not in record
    assert not [u for u in record["_meta"]["unread"] if "机关运行经费" in u["section"]]
    assert statuses["GBY-016"] == "pass" and statuses["GBY-011"] in ("pass", "pass_rounding")


@pytest.mark.parametrize("amount, pct, rule", [("110.00", "3.51", "GBY-016"), ("100.00", "3.58", "GBY-011")],
                         ids=["against_the_table", "its_percentage"])
def test_a_slip_in_the_institutions_public_costs_is_found(amount, pct, rule):
    _, statuses = _audit(_institution(amount, pct))
    assert statuses[rule] == "fail"


def test_public_costs_beside_the_operating_costs_are_not_taken_for_the_years():
    # (an agency's paragraph: the 公用经费 it names beside its 机关运行经费 may be a part of them)
    record, _ = _audit(_institution(operating="2025 年部门机关运行经费预算 100.00 万元，其中日常公用经费 60.00 万元"))
    assert record["operating_costs"]["value"] == "100.00"
    assert "basic_public" not in record.get("general_budget_year", {})


# ---- the overall performance form's appropriation printed by its kind ------------------------------

_OVERALL_FUNDS = "其中：财政拨款\t1,150.00\t其他经费\t136.40"


@pytest.mark.parametrize("appropriation, status", [("1,150.00", "pass"), ("1,105.00", "fail")], ids=["agrees", "slip"])
def test_the_overall_forms_appropriation_printed_by_its_kind(appropriation, status):
    assert EXAMPLE.count(_OVERALL_FUNDS) == 1
    record, statuses = _audit(EXAMPLE.replace(_OVERALL_FUNDS, f"其中：一般公共预算拨款\t{appropriation}\t其他经费\t136.40"))
    assert record["performance"]["overall"]["appropriation"]["value"] == appropriation.replace(",", "")
    assert statuses["PRF-001"] == status
    assert not [u for u in record["_meta"]["unread"] if "绩效目标表" in u["section"]]
