"""A city bureau's 部门预算 as 辽宁's finance system exports it (round 11, written blind): blank cells
printed as dashes ("-"), the 部门收入/支出总表 listed unit by unit under a header corner
"单位名称/功能分类科目（编码及名称）" (a unit's "118001 某局（本级） 小计" row, then its 项 rows with the code
and name in one cell, no 类 or 款 row), and the "三公" table's rows named by year ("2025年预算数",
"增减额 -0.70 - …").  Built here as small fictional texts and PDFs; read by the template's header
words and structure, never by one document's names or figures."""

from __future__ import annotations

import unicodedata

from fiscalrules.readers import read_document
from pdfmaker import text_to_pdf
from test_reader_budget_blind_round4 import _at  # noqa: E402  (a line of -layout text)
from test_reader_budget_blind_round10 import _statuses, _value  # noqa: E402

_HEAD = "某市某局2026年部门预算\n第二部分 2026年部门预算公开表\n"

# (unit or 项 cell, 合计, 基本支出, 项目支出): units' 小计 rows, then their 项 rows
_SPENDING = [("合计", "300.00", "200.00", "100.00"),
             ("901001 某市某局（本级） 小计", "180.00", "120.00", "60.00"),
             ("2080505 机关事业单位基本养老保险缴费支出", "40.00", "40.00", "-"),
             ("2130101 行政运行", "80.00", "80.00", "-"),
             ("2130109 农产品质量安全", "60.00", "-", "60.00"),
             ("901002 某市某中心 小计", "120.00", "80.00", "40.00"),
             ("2080505 机关事业单位基本养老保险缴费支出", "20.00", "20.00", "-"),
             ("2130101 行政运行", "{first}", "60.00", "-"),
             ("2130109 农产品质量安全", "40.00", "-", "40.00")]


def _displayed(*cells: tuple[int, str, bool]) -> str:
    """A line laid out by display columns (a CJK character two), as :func:`pdfmaker.text_to_pdf` places it."""
    line = ""
    for offset, text, right in cells:
        pad = (offset - _width(text) if right else offset) - _width(line)
        line += " " * max(pad, 1 if line else 0) + text
    return line.rstrip()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _spending_table(first: str = "60.00", pdf: bool = False) -> str:
    """The 部门支出总表: as -layout text (a CJK character one column), or laid out for a PDF."""
    at, ends = (_displayed, (96, 112, 128, 148, 170)) if pdf else (_at, (52, 64, 76, 90, 106))
    lines = ["表3", at((30, "2026年部门支出总表", False)),
             at((0, "部门名称：某市某局", False), (ends[-1], "单位：万元", True)),
             at((2, "单位名称/功能分类科目（编码及名称）", False), (ends[0], "合计", True), (ends[1], "基本支出", True),
                (ends[2], "项目支出", True), (ends[3], "上缴上级支出", True), (ends[4], "事业单位经营支出", True))]
    for cell, *figures in _SPENDING:
        figures = [f.format(first=first) for f in figures] + ["-", "-"]
        lines.append(at((2, cell, False), *((end, f, True) for end, f in zip(ends, figures))))
    return "\n".join(lines) + "\n"


def _not_understood(record) -> list[str]:
    return [u["reason"] for u in record["_meta"].get("unread", []) if "not understood" in u["reason"]
            or "not read" in u["reason"] or "header was not understood" in u["reason"]]


def test_a_header_corner_naming_units_and_their_codes_is_the_header_not_the_units_line():
    # "单位名称/功能分类科目（编码及名称） 合计 基本支出 …" was dropped as the "单位名称：…" line naming whose table
    # it is: no column had a header, every figure was "under a column whose header was not understood"
    record = read_document((_HEAD + _spending_table()).encode("utf-8"), name="b.txt")
    table = record["tables"]["expenditure"]
    assert (_value(table["totals"]["total"]), _value(table["totals"]["basic"])) == ("300.00", "200.00")
    assert not _not_understood(record)


def test_units_subtotal_rows_and_their_items_printed_code_and_name_in_one_cell():
    # "901001 某市某局（本级） 小计" is the unit's row; "2130109 农产品质量安全" a 项 whose code the header says
    # its cell prints (a list lagging the year's codes does not make it a name); a dash a blank cell
    record = read_document((_HEAD + _spending_table()).encode("utf-8"), name="b.txt")
    table = record["tables"]["expenditure"]
    assert [(u["code"], _value(u["total"])) for u in table["units"]] == [("901001", "180.00"), ("901002", "120.00")]
    rows = {r["code"]: r for r in table["rows"]}
    assert _value(rows["2130101"]["total"]) == "140.00"          # 80.00 + 60.00 over the units
    assert "project" not in rows["2130101"]                       # ("-": a blank cell, never a figure)
    assert _value(rows["2130109"]["project"]) == "100.00"
    statuses = _statuses(record)
    assert {"TBL-004", "TBL-005", "TBL-006", "TBL-082"} <= statuses["pass"]
    assert not {"TBL-004", "TBL-082"} & statuses.get("fail", set())


def test_a_table_of_items_only_sums_its_classes_from_them_so_a_slip_is_caught():
    # no 类 / 款 row printed: the 类 208 / 213 and 款 are the sums of the 项 under them (their sources name
    # every term), so the 合计 is held to the items -- one unit's 项 printed 10.00 too high fails it
    record = read_document((_HEAD + _spending_table()).encode("utf-8"), name="b.txt")
    rows = {r["code"]: r for r in record["tables"]["expenditure"]["rows"]}
    assert (_value(rows["213"]["total"]), _value(rows["21301"]["total"])) == ("240.00", "240.00")
    assert "2130109" in rows["213"]["total"]["source"]["text"]
    units = [r for r in record["tables"]["expenditure"]["unit_rows"] if r["item"] == "213"]
    assert [_value(r["total"]) for r in units] == ["140.00", "100.00"]
    wrong = read_document((_HEAD + _spending_table(first="70.00")).encode("utf-8"), name="b.txt")
    assert {"TBL-004", "TBL-082"} <= _statuses(wrong)["fail"]


def test_the_same_table_as_a_pdf():
    record = read_document(text_to_pdf(_HEAD + _spending_table(pdf=True), font_size=6.0), name="b.pdf")
    table = record["tables"]["expenditure"]
    assert [u["code"] for u in table["units"]] == ["901001", "901002"]
    assert _value({r["code"]: r for r in table["rows"]}["213"]["total"]) == "240.00"
    assert not _not_understood(record)


def _three_public(rate: str) -> str:
    lines = ["表7", _at((20, "2026年一般公共预算“三公”经费支出表", False)), _at((70, "单位：万元", False)),
             _at((2, "项目", False), (24, "合计", True), (40, "因公出国（境）费", True), (52, "公务接待费", True),
                 (72, "公务用车购置及运行费", True))]
    for label, *figures in [("2025年预算数", "17.00", "-", "3.00", "14.00"),
                            ("2026年预算数", "16.30", "-", "3.00", "13.30"),
                            ("增减额", "-0.70", "-", "-", "-0.70"),
                            ("增减率", rate, "-", "-", "-5.00%")]:
        lines.append(_at((2, label, False), *((end, f, True) for end, f in zip((24, 40, 52, 72), figures))))
    return "\n".join(lines) + "\n"


def test_the_three_public_tables_year_rows_with_dashes_are_read():
    # "增减额 -0.70 - - -0.70": the dashes made each year's row no row, the table was listed
    record = read_document((_HEAD + _three_public("-4.12%")).encode("utf-8"), name="b.txt")
    table = record["tables"]["three_public"]
    assert _value(table["prior_year"]["total"]) == "17.00"
    row = table["rows"][0]
    assert (_value(row["total"]), row["total"].get("change"), row["total"].get("pct")) == ("16.30", "-0.70", "-4.12")
    assert "overseas" not in row and "overseas" not in table["prior_year"]
    assert not _not_understood(record)


def test_a_row_of_dashes_only_is_still_no_row_of_figures():
    # (a dash is a blank: a line of dashes alone names nothing and prints nothing -- not a row)
    from fiscalrules.readers.budget.codes import CodeRebuilder
    from fiscalrules.readers.budget.rows import read_row
    src: dict = {}
    assert read_row([("total", "-", src), ("basic", "-", src)], "万元", CodeRebuilder(False, False)) is None
    assert read_row([("total", "-1.20", src), ("basic", "-", src)], "万元", CodeRebuilder(False, False))[
        "total"]["value"] == "-1.20"


def test_a_part_of_a_table_without_its_total_gets_no_classes_of_its_own():
    # the rest of a table continued under its title printed again ("2210201 住房公积金" alone): its 类 and
    # 款 stand on the page before -- summed again they were "a second time" rows, listed
    record = read_document((_HEAD + _spending_table()).encode("utf-8"), name="b.txt")
    assert "unread" not in record["_meta"] or not [u for u in record["_meta"]["unread"] if "second time" in u["reason"]]
    from fiscalrules.readers.budget.parent_rows import with_parent_rows
    line = type("L", (), {"original": "2210201 住房公积金 1.00", "number": 1})()
    rows = [(line, {"code": "2210201", "total": {"value": "1.00"}}, "2210201 住房公积金 1.00")]
    assert with_parent_rows(rows, economic=False) == rows
