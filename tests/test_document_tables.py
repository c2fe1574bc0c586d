"""The table algorithm on fictional inputs: generated PDFs (ruled and unruled), aligned text, the
two-sided summary tables, the one-row "三公" table, empty tables, page continuations, the table of
contents, and what happens to rows that cannot be read."""

from __future__ import annotations

import pytest

from fiscalrules.document.layout import find_toc, heading_of, paragraphs
from fiscalrules.document.model import Document
from fiscalrules.document.tables import read_grid
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_disclosure

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

from pdfmaker import Writer  # noqa: E402

CODE_WIDTHS = [36, 36, 36, 200]
HEADER = [("项目", 0, 3, 0, 0), ("支出预算", 4, 6, 0, 0), ("功能分类科目编码", 0, 2, 1, 1),
          ("功能分类科目名称", 3, 3, 1, 2), ("类", 0, 0, 2, 2), ("款", 1, 1, 2, 2), ("项", 2, 2, 2, 2),
          ("合计", 4, 4, 1, 2), ("基本支出", 5, 5, 1, 2), ("项目支出", 6, 6, 1, 2)]
ALIGN = ["c", "c", "c", "l", "r", "r", "r"]
ROWS = [["208", "", "", "社会保障和就业支出", "300.00", "300.00", ""],
        ["208", "05", "", "行政事业单位养老支出", "300.00", "300.00", ""],
        ["208", "05", "01", "行政单位离退休", "100.00", "100.00", ""],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "200.00", "200.00", ""],
        ["212", "", "", "城乡社区支出", "50.00", "", "50.00"],
        ["212", "01", "", "城乡社区管理事务", "50.00", "", "50.00"],
        ["212", "01", "02", "一般行政管理事务", "50.00", "", "50.00"],
        ["合计", "", "", "", "350.00", "300.00", "50.00"]]
NARRATIVE = ["一、收入预算情况", "2025年某局收入预算总额350.00万元。", "二、支出预算情况",
             "2025年某局支出预算总额350.00万元。"]


def _document(tmp_path, *, ruled=True, rows_per_page=None, repeat_header=True, name="t.pdf"):
    w = Writer()
    w.title("某区某局2025年部门预算")
    w.title("2025年部门支出预算总表", 14)
    w.line("编制部门：某区某局" + " " * 60 + "单位：元", 9)
    w.table(HEADER, CODE_WIDTHS + [100, 100, 100], ROWS, ruled=ruled, header_lines=3, align=ALIGN,
            rows_per_page=rows_per_page, repeat_header=repeat_header)
    w.new_page()
    for text in NARRATIVE:
        w.line(text)
    path = tmp_path / name
    path.write_bytes(w.pdf())
    return path


def _rows(record, key="expenditure"):
    return [(r["code"], r.get("total", {}).get("value"), r.get("basic", {}).get("value"),
             r.get("project", {}).get("value")) for r in record["tables"][key]["rows"]]


EXPECTED = [("208", "300.00", "300.00", None), ("20805", "300.00", "300.00", None),
            ("2080501", "100.00", "100.00", None), ("2080505", "200.00", "200.00", None),
            ("212", "50.00", None, "50.00"), ("21201", "50.00", None, "50.00"),
            ("2120102", "50.00", None, "50.00")]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_pdf_table_columns_headers_codes_and_blank_cells(tmp_path, ruled):
    record = read_disclosure(_document(tmp_path, ruled=ruled))
    table = record["tables"]["expenditure"]
    assert table["unit"] == "元"
    assert _rows(record) == EXPECTED          # blank 基本/项目 cells stay blank, by position
    assert table["totals"]["total"]["value"] == "350.00"
    cell = table["rows"][2]["total"]
    assert cell["source"]["page"] == 1 and cell["source"]["text"].startswith("208 05 01")
    x0, top, x1, bottom = cell["source"]["box"]
    assert x1 > x0 and bottom > top


def test_header_paths_span_columns_and_join_wrapped_cells(tmp_path):
    doc = open_document(_document(tmp_path))
    lines = [l for l in doc.lines if l.page == 1][3:]
    grid = read_grid(doc, lines, lambda l: l.words[0].text[:1].isdigit() or l.words[0].text == "合计")
    paths = [c.path for c in grid.columns]
    assert paths == ["项目/功能分类科目编码/类", "项目/功能分类科目编码/款", "项目/功能分类科目编码/项",
                     "项目/功能分类科目名称", "支出预算/合计", "支出预算/基本支出", "支出预算/项目支出"]


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_table_over_a_page_break(tmp_path, repeat_header):
    record = read_disclosure(_document(tmp_path, rows_per_page=3, repeat_header=repeat_header))
    assert _rows(record) == EXPECTED
    pages = {r["total"]["source"]["page"] for r in record["tables"]["expenditure"]["rows"]}
    assert pages == {1, 2, 3}
    # the narrative after the table is not swallowed by it
    assert record["income"]["total"]["value"] == "350.00"


def test_aligned_text_table_reads_like_the_pdf():
    def pad(text, width):
        return text + " " * (width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))
    widths = [5, 4, 4, 36, 14, 14, 14]
    lines = ["某区某局2025年部门预算", "2025年部门支出预算总表", "单位：元",
             "".join(pad(t, w) for t, w in zip(["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"], widths))]
    for row in ROWS:
        lines.append("".join(pad(t, w) for t, w in zip(row, widths)).rstrip())
    record = read_disclosure("\n".join(lines + [""] + NARRATIVE), name="aligned.txt")
    assert _rows(record) == EXPECTED


def test_two_sided_summary_table(tmp_path):
    w = Writer()
    w.title("2025年部门财务收支预算总表", 14)
    w.line("编制部门：某区某局" + " " * 60 + "单位：元", 9)
    w.table([("本年收入", 0, 1, 0, 0), ("本年支出", 2, 3, 0, 0), ("项目", 0, 0, 1, 1), ("预算数", 1, 1, 1, 1),
             ("项目", 2, 2, 1, 1), ("预算数", 3, 3, 1, 1)], [200, 120, 220, 120],
            [["一、财政拨款收入", "350.00", "一、社会保障和就业支出", "300.00"],
             ["1. 一般公共预算资金", "350.00", "二、城乡社区支出", "50.00"],
             ["二、事业收入", "", "", ""],
             ["收入总计", "350.00", "支出总计", "350.00"]], align=["l", "r", "l", "r"])
    w.new_page()
    for text in NARRATIVE:
        w.line(text)
    path = tmp_path / "summary.pdf"
    path.write_bytes(w.pdf())
    summary = read_disclosure(path)["tables"]["summary"]
    income = [(r["name"], r["level"], r.get("amount", {}).get("value")) for r in summary["income"]["rows"]]
    assert income == [("一、财政拨款收入", 1, "350.00"), ("1.一般公共预算资金", 2, "350.00"),
                      ("二、事业收入", 1, None)]
    spending = [(r["name"], r.get("code"), r["amount"]["value"]) for r in summary["expenditure"]["rows"]]
    assert spending == [("一、社会保障和就业支出", "208", "300.00"), ("二、城乡社区支出", "212", "50.00")]
    assert summary["income"]["totals"]["amount"]["value"] == "350.00"
    assert summary["expenditure"]["totals"]["amount"]["value"] == "350.00"


def test_three_public_table_of_one_row_with_operating_costs(tmp_path):
    w = Writer()
    w.title("2025年部门“三公”经费和机关运行经费预算表", 14)
    w.line("编制部门：某区某局" + " " * 60 + "单位：万元", 9)
    w.table([("“三公”经费预算数", 0, 5, 0, 0), ("机关运行经费预算数", 6, 6, 0, 2), ("合计", 0, 0, 1, 2),
             ("因公出国(境)费", 1, 1, 1, 2), ("公务接待费", 2, 2, 1, 2), ("公务用车购置及运行费", 3, 5, 1, 1),
             ("小计", 3, 3, 2, 2), ("购置费", 4, 4, 2, 2), ("运行费", 5, 5, 2, 2)], [95] * 7,
            [["3.50", "", "1.00", "2.50", "", "2.50", "40.00"]], header_lines=3, align=["r"] * 7)
    w.new_page()
    for text in NARRATIVE:
        w.line(text)
    path = tmp_path / "three.pdf"
    path.write_bytes(w.pdf())
    table = read_disclosure(path)["tables"]["three_public"]
    (row,) = table["rows"]
    assert {k: v["value"] for k, v in row.items()} == {
        "total": "3.50", "reception": "1.00", "vehicle": "2.50", "vehicle_operation": "2.50",
        "operating_costs": "40.00"}
    assert table["unit"] == "万元"


def test_empty_table_is_an_empty_list_and_an_unread_table_is_absent(tmp_path):
    text = "\n".join([
        "某区某局2025年部门预算", "政府性基金预算支出表", "单位：万元", "科目编码 科目名称 合计 基本支出 项目支出",
        "合计", "注：本部门无政府性基金预算财政拨款安排的预算，故本表为空表。",
        "部门支出总表", "单位：万元", "科目编码 科目名称 合计 基本支出 项目支出",
        "合计 350.00 300.00 50.00", "208 社会保障和就业支出 300.00 ??? 0.00", ""] + NARRATIVE)
    record = read_disclosure(text, name="t.txt")
    assert record["tables"]["gov_fund"]["rows"] == [] and record["tables"]["gov_fund"]["empty"] is True
    expenditure = record["tables"]["expenditure"]
    assert "rows" not in expenditure and expenditure["empty"] is False
    assert any("208 社会保障和就业支出" in u["reason"] for u in record["_meta"]["unread"])
    from fiscalrules import load_ruleset
    report = load_ruleset("budget_disclosure").evaluate(record)
    found = {f.rule: f for f in report.findings if f.rule == "TBL-004"}
    assert found["TBL-004"].status == "not_evaluable"
    assert "tables.expenditure.rows" in " ".join(found["TBL-004"].missing)


def test_table_of_contents_is_not_read_as_tables():
    text = "\n".join(["目录", "一、部门主要职能", "五、部门预算表", "1. 2025年部门收支预算总表 ………… 5",
                      "2. 2025年部门支出预算总表 ………… 6", "一、部门主要职能", "某局负责某事。", ""] + NARRATIVE)
    doc = Document(text, "t.txt")
    assert find_toc(doc) == (1, 5)
    record = read_disclosure(text, name="t.txt")
    assert "tables" not in record or not record["tables"].get("summary", {}).get("income")
    assert record["income"]["total"]["value"] == "350.00"


def test_coverage_counts_every_printed_amount(tmp_path):
    record = read_disclosure(_document(tmp_path))
    coverage = record["_meta"]["coverage"]
    assert coverage["table_lines"] == {"with_amounts": 8, "read": 8}
    assert coverage["lines"]["silent"] == 0
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]


def test_headings_and_paragraphs_of_text_and_pdf(tmp_path):
    text = "一、收入预算情况\n收入预算总额 350.00 万元，\n其中财政拨款 350.00 万元。\n下一段第一句。\n\n（二）支出\n支出 1 万元"
    doc = Document(text, "t.txt")
    assert [(h.numbering, h.level) for h in (heading_of(l) for l in doc.lines) if h] == [("一、", 1), ("(二)", 2)]
    assert paragraphs(doc) == [(1, 1), (2, 3), (4, 4), (6, 6), (7, 7)]
    w = Writer()
    w.line("一、收入预算情况")
    w.paragraph("收入预算总额350.00万元，其中财政拨款350.00万元，" * 6)
    w.paragraph("第二段的文字。")
    path = tmp_path / "p.pdf"
    path.write_bytes(w.pdf())
    pdf = open_document(path)
    spans = paragraphs(pdf)
    assert spans[0] == (1, 1) and spans[-1] == (len(pdf), len(pdf)) and len(spans) == 3


def test_coverage_counts_prose_amounts_once_and_no_codes_as_amounts():
    from fiscalrules.readers.common import coverage

    doc = Document("支出合计 1,200.00 万元，其中单价 100 万元（含）以上的设备 2 台，公用经费 3\n0.00万元。\n"
                   "30101 基本工资 537.64 30201 办公费 84.62\n   30202\n印刷费 1.00 2.00\n", "t.txt")
    # the threshold is no figure; the amount wrapped onto line 2 counts once, on line 1
    assert coverage._prose_amounts(doc, {3, 4, 5}, set())[0] == {1: 2}
    columns = coverage.code_columns(doc, [3, 4, 5])
    # the second panel's code and a code on a line of its own print no amount
    assert [coverage.printed_amounts(doc, n, True, columns) for n in (3, 4, 5)] == [2, 0, 2]
    # and without the columns: a 类 code right before a name, after a figure, starts the next panel
    # (pypdfium2 joins a table's rows so, session 27): a code, no amount, as with the columns
    assert coverage.printed_amounts(doc, 3, True) == 2
