"""Table layouts of budget PDFs written blind (round 5), built here as small fictional PDFs
(tests/pdfmaker.py) and read by the template's structure -- table titles, header words, codes and
where each figure stands -- never by one document's names or figures."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.readers import read_disclosure  # noqa: E402

_COVER = [("text", 60, 60, "某县某局2026年部门预算", 14.0),
          ("text", 60, 90, "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]


def _failing(record) -> set[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return {finding.rule for finding in report.failures}


def _right(x: float, top: float, text: str, size: float = 9.0) -> tuple:
    """A figure right-aligned at *x* (reportlab's CJK font draws a digit half an em wide)."""
    return ("text", x - len(text) * size / 2, top, text, size)


def _table_page(label: str, title: str, heads: list[tuple[str, float]], rows: list[tuple]) -> list:
    """A table page: "表N" top left, the title centred, 部门 left and 单位：元 right; the header
    words at their x; each row's 科目 cell (code and name in one cell, indented by level) at 64
    plus its indent and its figures right-aligned at the right edge of their header's column
    (None: a blank cell)."""
    items = [("text", 60, 40, label, 10.0), ("text", 200, 60, title, 12.0),
             ("text", 60, 80, "部门：某县某局", 9.0), ("text", 500, 80, "单位：元", 9.0)]
    items += [("text", x, 100, text, 9.0) for text, x in heads]
    rights = [x + len(text) * 9.0 + 20 for text, x in heads[1:]]
    for at, (cell, *figures) in enumerate(rows):
        top = 120 + 14 * at
        indent = {3: 0, 5: 9, 7: 18}.get(len(cell.split()[0]), 0)
        items.append(("text", 64 + indent, top, cell, 9.0))
        items += [_right(x, top, f) for x, f in zip(rights, figures) if f]
    return items


def test_a_code_and_name_in_one_cell_whose_code_no_list_has_is_a_row_under_the_class_above(tmp_path):
    # The 一般公共预算支出表 printing "2130108 病虫害控制" in one indented 科目 cell, blank cells
    # left empty: the classification lists hold no 2130108 (they are not complete), but the code
    # is a 项 of the 款 printed above it ("21301 农业农村"); every row was "a name without a code
    # that no classification list has", the table not read and its row's error below not caught.
    heads = [("科目", 64), ("合计", 250), ("基本支出", 330), ("项目支出", 430)]
    rows = [("合计", "1000000.00", "600000.00", "400000.00"),
            ("213 农林水支出", "1000000.00", "600000.00", "400000.00"),
            ("21301 农业农村", "1000000.00", "600000.00", "400000.00"),
            ("2130101 行政运行", "600000.00", "600000.00", None),
            # 合计 printed 400000.00 where its 项目支出 is 410000.00
            ("2130108 病虫害控制", "400000.00", None, "410000.00")]
    path = tmp_path / "coded_in_name.pdf"
    path.write_bytes(pdf_bytes([_COVER, _table_page("表5", "某县某局2026年一般公共预算支出表", heads, rows)]))
    record = read_disclosure(path)
    table = record["tables"]["general_budget"]
    assert [(r["code"], r["name"]) for r in table["rows"]] == [
        ("213", "农林水支出"), ("21301", "农业农村"), ("2130101", "行政运行"), ("2130108", "病虫害控制")]
    last = table["rows"][-1]
    assert (last["total"]["value"], last["project"]["value"]) == ("400000.00", "410000.00")
    assert "basic" not in last
    assert not [u for u in record["_meta"].get("unread", []) if "table" in u["reason"]]
    assert "TBL-026" in _failing(record)


def test_a_number_beginning_a_name_is_no_code_where_no_class_above_has_it(tmp_path):
    # The same cell under no 款 it belongs to ("2140108 …" under "21301"): no 项 of the class
    # above, nor a code the lists have -- the row is not understood, never keyed by that number.
    heads = [("科目", 64), ("合计", 250), ("基本支出", 330), ("项目支出", 430)]
    rows = [("合计", "600000.00", "600000.00", None),
            ("213 农林水支出", "600000.00", "600000.00", None),
            ("21301 农业农村", "600000.00", "600000.00", None),
            ("2140108 病虫害控制", "600000.00", "600000.00", None)]
    path = tmp_path / "not_a_child.pdf"
    path.write_bytes(pdf_bytes([_COVER, _table_page("表5", "某县某局2026年一般公共预算支出表", heads, rows)]))
    record = read_disclosure(path)
    assert "rows" not in record["tables"]["general_budget"]
    assert any("2140108" in u["reason"] for u in record["_meta"]["unread"])


def test_a_three_public_table_of_two_years_whose_item_header_is_letter_spaced(tmp_path):
    # The 三公 table with its items as rows and 2025年预算数 | 2026年预算数 | 增减额 | 增减率(%)
    # as columns, its first header cell printed letter-spaced ("项 目": two words): they were
    # taken for two more figure columns ("4 figures for 6 columns"), the table not read.
    heads = [("项", 64), ("目", 100), ("2025年预算数", 220), ("2026年预算数", 300), ("增减额", 380),
             ("增减率(%)", 440)]
    items = [("text", 60, 40, "表7", 10.0), ("text", 180, 60, "某县某局2026年一般公共预算“三公”经费支出表", 12.0),
             ("text", 60, 80, "部门：某县某局", 9.0), ("text", 500, 80, "单位：元", 9.0)]
    items += [("text", x, 100, text, 9.0) for text, x in heads]
    rows = [("合计", "95000.00", "90000.00", "-5000.00", "-5.26"),
            ("1.因公出国（境）费", "0.00", "0.00", "0.00", "—"),
            ("2.公务接待费", "20000.00", "18000.00", "-2000.00", "-10.00"),
            ("3.公务用车购置及运行维护费", "75000.00", "72000.00", "-3000.00", "-4.00"),
            ("其中：（1）公务用车购置费", "0.00", "0.00", "0.00", "—"),
            ("（2）公务用车运行维护费", "75000.00", "72000.00", "-3000.00", "-4.00")]
    for at, (name, *figures) in enumerate(rows):
        top = 120 + 14 * at
        items.append(("text", 64, top, name, 9.0))
        items += [_right(x + 60, top, f) for (_, x), f in zip(heads[2:], figures)]
    path = tmp_path / "three_public_years.pdf"
    path.write_bytes(pdf_bytes([_COVER, items]))
    record = read_disclosure(path)
    table = record["tables"]["three_public"]
    row = table["rows"][0]
    assert (row["total"]["value"], row["total"]["change"], row["total"]["pct"]) == ("90000.00", "-5000.00", "-5.26")
    assert row["reception"]["value"] == "18000.00"
    assert table["prior_year"]["total"]["value"] == "95000.00"
    assert not [u for u in record["_meta"].get("unread", []) if "table" in u["reason"]]
