"""Wide tables printed across pages, split sideways as a spreadsheet prints a print area wider than
the paper: the first page the code and name columns and the first figure columns, the next page the
further columns of the same rows -- repeating the code column only, or no label at all (its rows
told by the height they stand at), under the table's title printed again as it was (no 续表).  Read
as ONE table where the rows agree, else the further part listed unread, never glued to the wrong
rows.  Small fictional PDFs (tests/pdfmaker.py) and texts written here."""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.document.model import Line
from fiscalrules.readers import read_document

_COVER = [("text", 60, 60, "某县某局", 14.0), ("text", 60, 80, "2025年度部门决算", 14.0),
          ("text", 60, 110, "第一部分 部门概况", 9.0), ("text", 60, 130, "一、部门职责：负责民政工作。", 9.0)]

# 支出决算表: code, name, 本年支出合计, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出
_HEADS = ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
_ROWS = [("合计", "", "315.00", "205.00", "100.00", "10.00", "0.00", "0.00"),
         ("208", "社会保障和就业支出", "310.00", "200.00", "100.00", "10.00", "", ""),
         ("20802", "民政管理事务", "310.00", "200.00", "100.00", "10.00", "", ""),
         ("2080201", "行政运行", "210.00", "200.00", "", "10.00", "", ""),
         ("2080202", "一般行政管理事务", "100.00", "", "100.00", "", "", ""),
         ("221", "住房保障支出", "5.00", "5.00", "", "", "", ""),
         ("22102", "住房改革支出", "5.00", "5.00", "", "", "", ""),
         ("2210201", "住房公积金", "5.00", "5.00", "", "", "", "")]


def _page(columns: list[int], labels: tuple[bool, bool], *, shift: float = 0.0, numbers: str = "栏次 1 2 3") -> list:
    """A landscape page of the 支出决算表 under its title as printed on every page: the code and name
    columns where *labels* says, then the figure columns *columns* (indexes into _HEADS), its rows
    *shift* points lower than the first page's."""
    items = [("text", 300, 40, "支出决算表", 12.0), ("text", 60, 70, "编制单位：某县某局", 9.0),
             ("text", 200, 70, "单位：万元", 9.0)]
    left = 60
    if labels[0]:
        items.append(("text", 60, 100, "科目编码", 9.0))
        left = 130
    if labels[1]:
        items.append(("text", 130, 100, "科目名称", 9.0))
        left = 330
    items += [("text", left + 110 * at, 100, _HEADS[c], 9.0) for at, c in enumerate(columns)]
    items.append(("text", 60 if labels[0] else left + 40, 112, numbers, 9.0))
    for line, (code, name, *figures) in enumerate(_ROWS):
        top = 126 + 14 * line + shift
        if labels[0]:
            items.append(("text", 60, top, code, 9.0))
        if labels[1] and name:
            items.append(("text", 130, top, name, 9.0))
        items += [("text", left + 10 + 110 * at, top, figures[c], 9.0) for at, c in enumerate(columns) if figures[c]]
    return items


def _pdf(pages) -> bytes:
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab writes the test PDFs")
    return pdfmaker.pdf_bytes([_COVER, *pages], size=(842, 595))


def _value(row: dict, key: str):
    return row[key]["value"] if key in row else None


def _failing(record: dict) -> set[str]:
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    return {f.rule for f in findings if f.status == "fail"}


def _table_unread(record: dict, section: str) -> list[str]:
    return [u["reason"] for u in record["_meta"].get("unread", []) if u.get("section") == section]


def test_a_continuation_repeating_the_code_column_only_is_joined_by_code():
    # page 2: 科目编码 | 科目名称 | 本年支出合计 | 基本支出 | 项目支出; page 3, under the same title printed
    # again (no 续表): 科目编码 | 上缴上级支出 | 经营支出 | 对附属单位补助支出.  The title started a second
    # table; its rows "221" (a code alone on its row: its further cells blank) were taken for page numbers
    record = read_document(_pdf([_page([0, 1, 2], (True, True)), _page([3, 4, 5], (True, False), numbers="栏次 4 5 6")]),
                           name="split.pdf")
    table = record["tables"]["expenditure"]
    rows = {row["code"]: row for row in table["rows"]}
    assert [_value(rows["2080201"], k) for k in ("total", "basic", "project", "remit_superior")] == [
        "210.00", "200.00", None, "10.00"]
    assert rows["2080201"]["remit_superior"]["source"]["page"] == 3
    assert [_value(table["totals"], k) for k in ("total", "remit_superior", "operating")] == ["315.00", "10.00", "0.00"]
    assert set(rows) == {"208", "20802", "2080201", "2080202", "221", "22102", "2210201"}
    assert not _table_unread(record, "支出决算表")
    assert not {"TBL-012", "TBL-013"} & _failing(record)


def test_a_continuation_printing_no_label_is_joined_by_the_height_of_its_rows():
    # page 3 prints 上缴上级支出 | 经营支出 | 对附属单位补助支出 alone, its column numbers going on
    # ("4 5 6", no 栏次), a row blank there printing nothing: each figure the row's at its height
    record = read_document(_pdf([_page([0, 1, 2], (True, True)), _page([3, 4, 5], (False, False), numbers="4 5 6")]),
                           name="split.pdf")
    table = record["tables"]["expenditure"]
    rows = {row["code"]: row for row in table["rows"]}
    assert _value(rows["2080201"], "remit_superior") == "10.00"
    assert _value(rows["2080202"], "remit_superior") is None
    assert rows["208"]["remit_superior"]["source"]["page"] == 3
    assert [_value(table["totals"], k) for k in ("remit_superior", "operating", "affiliated_subsidy")] == [
        "10.00", "0.00", "0.00"]
    assert not _table_unread(record, "支出决算表")
    assert not {"TBL-012", "TBL-013"} & _failing(record)


def test_a_continuation_whose_rows_stand_at_no_rows_height_is_listed_not_glued():
    # the same page with its rows half a row lower: no row of it stands where a row of page 2 does
    record = read_document(_pdf([_page([0, 1, 2], (True, True)),
                                 _page([3, 4, 5], (False, False), numbers="4 5 6", shift=7.0)]), name="split.pdf")
    rows = {row["code"]: row for row in record["tables"]["expenditure"]["rows"]}
    assert all("remit_superior" not in row for row in rows.values())
    # (listed as a part beside the table, its rows told by none -- not a second table of its own)
    unread = _table_unread(record, "支出决算表")
    assert len(unread) == 4 and all("printed beside the table" in reason for reason in unread)


def _line(number: int, text: str) -> Line:
    return Line(number, text)


def test_rows_without_heights_are_matched_in_order_only_when_as_many():
    from fiscalrules.document.rows_beside import placed_beside

    first = [_line(n, f"20{n} 名称 {n}.00") for n in range(1, 5)]
    assert placed_beside([_line(10 + n, f"{n}.00") for n in range(4)], first) == [0, 1, 2, 3]
    # (a blank row of text prints nothing: which rows the three are is not told)
    assert placed_beside([_line(10 + n, f"{n}.00") for n in range(3)], first) is None


# 财政拨款收入支出决算总表, its fund columns printed on the next page at the heights of its lines
_APPROPRIATION = [
    ("一、一般公共预算财政拨款", "1", "500.00", "一、一般公共服务支出", "6", "480.00", ("480.00", "0.00", "0.00")),
    ("二、政府性基金预算财政拨款", "2", "20.00", "二、教育支出", "7", "40.00", ("20.00", "20.00", "0.00")),
    ("三、国有资本经营预算财政拨款", "3", "0.00", "", "", "", None),
    ("本年收入合计", "4", "520.00", "本年支出合计", "8", "520.00", ("500.00", "20.00", "0.00")),
    ("年初财政拨款结转和结余", "5", "0.00", "年末财政拨款结转和结余", "9", "0.00", ("0.00", "0.00", "0.00")),
    ("总计", "10", "520.00", "总计", "11", "520.00", ("500.00", "20.00", "0.00")),
]


def _appropriation_pages(shift: float = 0.0) -> list:
    title = [("text", 300, 40, "财政拨款收入支出决算总表", 12.0), ("text", 60, 70, "编制单位：某县某局", 9.0),
             ("text", 200, 70, "单位：万元", 9.0)]
    first = title + [("text", 60, 100, "项目", 9.0), ("text", 250, 100, "行次", 9.0), ("text", 320, 100, "金额", 9.0),
                     ("text", 430, 100, "项目", 9.0), ("text", 640, 100, "行次", 9.0), ("text", 720, 100, "合计", 9.0)]
    further = title + [("text", 300, 90, "支出", 9.0), ("text", 80, 100, "一般公共预算财政拨款", 9.0),
                       ("text", 320, 100, "政府性基金预算财政拨款", 9.0), ("text", 560, 100, "国有资本经营预算财政拨款", 9.0),
                       ("text", 150, 112, "3", 9.0), ("text", 390, 112, "4", 9.0), ("text", 630, 112, "5", 9.0)]
    for at, (left, ln, lv, right, rn, rv, funds) in enumerate(_APPROPRIATION):
        top = 126 + 14 * at
        first += [("text", 60, top, left, 9.0), ("text", 255, top, ln, 9.0), ("text", 320, top, lv, 9.0)]
        if right:
            first += [("text", 430, top, right, 9.0), ("text", 645, top, rn, 9.0), ("text", 720, top, rv, 9.0)]
        if funds:
            further += [("text", x, top + shift, figure, 9.0) for x, figure in zip((150, 390, 630), funds)]
    return [first, further]


def test_a_two_sided_tables_fund_columns_printed_on_the_next_page_are_its_right_sides():
    record = read_document(_pdf(_appropriation_pages()), name="split.pdf")
    table = record["tables"]["appropriation_summary"]
    rows = {row["code"]: row for row in table["expenditure"]}
    assert [_value(rows["205"], k) for k in ("total", "general_budget", "gov_fund")] == ["40.00", "20.00", "20.00"]
    assert rows["205"]["gov_fund"]["source"]["page"] == 3
    assert [table["expenditure_total"][k]["value"] for k in ("total", "general_budget", "gov_fund")] == [
        "520.00", "500.00", "20.00"]
    assert table["by_fund"] is True
    assert not _table_unread(record, "财政拨款收入支出决算总表")


def test_a_two_sided_tables_part_beside_it_at_no_lines_height_is_listed():
    record = read_document(_pdf(_appropriation_pages(shift=7.0)), name="split.pdf")
    table = record["tables"]["appropriation_summary"]
    assert all("gov_fund" not in row for row in table["expenditure"])
    assert table["by_fund"] is False
    assert any("beside it on another page" in reason for reason in _table_unread(record, "财政拨款收入支出决算总表"))


def _variants():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    import final_accounts_variants

    return final_accounts_variants


def test_the_summary_tables_appropriation_printed_undivided_is_read():
    # "一、财政拨款收入" (the 财政拨款 undivided, as the national template printed it before 2019) was a
    # label the template does not print: 本年收入合计 matched none of its parts (BAL-004), nor the
    # 财政拨款收入支出决算总表 (XT-004) and the narrative (NAR-004)
    variants = _variants()

    def undivided(title, header, widths, rows, options):
        if title.endswith("收入支出决算总表") and not title.endswith("财政拨款收入支出决算总表"):
            rows = [[cell.replace("一般公共预算财政拨款收入", "财政拨款收入") if at == 0 else cell
                     for at, cell in enumerate(row)] for row in rows]
            return header, widths, rows, options
        return None

    record = read_document(variants.build(table=undivided), name="undivided.pdf")
    summary = record["tables"]["summary"]
    assert "general_budget" not in summary["income"]
    assert summary["income"]["appropriation"]["value"] == record["tables"]["appropriation_summary"]["income_total"]["value"]
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    statuses = {f.rule: f.status for f in findings if f.rule in ("BAL-004", "XT-004", "NAR-004")}
    assert statuses == {"BAL-004": "pass", "XT-004": "pass", "NAR-004": "pass"}


def test_a_vehicle_kinds_own_breakdown_in_brackets_is_no_kind():
    # "其他用车 2 辆（校车 1 辆、一般公务用车 1 辆）": the bracket breaks 其他用车 down; its 一般公务用车 was
    # read as a kind of its own, the kinds adding up to 4 of 3 vehicles (AST-001)
    variants = _variants()
    wording = ("截至2024年12月31日，本部门共有车辆3辆，其中，副部（省）级及以上领导用车0辆，主要负责人用车0辆，"
               "机要通信用车0辆，应急保障用车0辆，执法执勤用车1辆，特种专业技术用车0辆，离退休干部服务用车0辆，"
               "其他用车2辆（校车1辆、一般公务用车1辆）；单位价值100万元以上设备0台（套）。")
    record = read_document(variants.build(paragraphs=[(r"^截至2024年12月31日.*$", wording)]), name="vehicles.pdf")
    kinds = record["assets"]["vehicles"]["kinds"]
    assert kinds["other"]["value"] == "2" and "general" not in kinds
    assert "AST-001" not in _failing(record)
    assert any("一般公务用车1辆" in u["reason"] for u in record["_meta"]["unread"])


# 部门支出总表 (the budget's): code, name, 合计, 基本支出, 项目支出, 上缴上级支出
_BUDGET_HEADS = ("合计", "基本支出", "项目支出", "上缴上级支出")
_BUDGET_ROWS = [("合计", "", "300.00", "200.00", "100.00", "0.00"),
                ("208", "社会保障和就业支出", "300.00", "200.00", "100.00", ""),
                ("20802", "民政管理事务", "300.00", "200.00", "100.00", ""),
                ("2080201", "行政运行", "200.00", "200.00", "", ""),
                ("2080202", "一般行政管理事务", "100.00", "", "100.00", "")]


def _budget_page(columns: list[int], labels: bool) -> list:
    items = [("text", 300, 60, "某县某局2026年部门支出总表", 12.0)] if labels else []
    items.append(("text", 60, 80, "部门：某县某局    单位：万元", 9.0))
    left = 330 if labels else 60
    if labels:
        items += [("text", 60, 100, "科目编码", 9.0), ("text", 130, 100, "科目名称", 9.0)]
    items += [("text", left + 110 * at, 100, _BUDGET_HEADS[c], 9.0) for at, c in enumerate(columns)]
    for line, (code, name, *figures) in enumerate(_BUDGET_ROWS):
        top = 120 + 14 * line
        if labels:
            items += [("text", 60, top, code, 9.0)] + ([("text", 130, top, name, 9.0)] if name else [])
        items += [("text", left + 10 + 110 * at, top, figures[c], 9.0) for at, c in enumerate(columns) if figures[c]]
    return items


def test_a_budget_tables_continuation_printing_no_label_is_joined_by_height():
    # the budget's 部门支出总表 over two pages, the second its 项目支出 | 上缴上级支出 alone
    from fiscalrules.readers import read_disclosure

    cover = [("text", 60, 60, "某县某局2026年部门预算", 14.0),
             ("text", 60, 90, "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab writes the test PDFs")
    data = pdfmaker.pdf_bytes([cover, _budget_page([0, 1], True), _budget_page([2, 3], False)], size=(842, 595))
    record = read_disclosure(data, name="budget.pdf")
    rows = {row["code"]: row for row in record["tables"]["expenditure"]["rows"]}
    assert [_value(rows["2080202"], k) for k in ("total", "basic", "project")] == ["100.00", None, "100.00"]
    assert rows["2080202"]["project"]["source"]["page"] == 3
    assert _value(record["tables"]["expenditure"]["totals"], "remit_superior") == "0.00"
    assert not [u for u in record["_meta"].get("unread", []) if "支出总表" in u.get("section", "")]
