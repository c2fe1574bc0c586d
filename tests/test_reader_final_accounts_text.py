"""A 决算 given as extracted text (review 18 C8): cells separated by single spaces (or tabs), as
pdftotext and most converters give a PDF, where a blank cell leaves no trace.

The team's example 决算 (examples/qingshi_culture_2024_final_accounts.pdf, fictional) is turned into
such text from its own lines; the coded tables' rows are then either placed by the header's order
(every figure column filled) or listed as unread -- never a row without figures read as 0.00 -- and
the two-sided 总表's figures go to the label printed before them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshi_culture_2024_final_accounts.pdf"


@pytest.fixture(scope="module")
def pdf_and_text():
    doc = open_document(str(EXAMPLE))
    text = "\n".join(line.original for line in doc.lines)
    return read_document(str(EXAMPLE)), read_document(text.encode("utf-8"), name="fa_text.txt"), text


def _failing(record) -> set[str]:
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return {f.rule + (f"[{f.key}]" if getattr(f, "key", None) else "") for f in report.findings if f.status == "fail"}


def _amounts(row) -> dict:
    return {k: v["value"] for k, v in row.items() if isinstance(v, dict) and "value" in v}


def test_no_coded_row_is_read_without_its_figures(pdf_and_text):
    _, record, _ = pdf_and_text
    for key in ("income", "expenditure", "general_budget"):
        for row in record["tables"][key].get("rows", []):
            assert _amounts(row), (key, row)
            assert not any(ch.isdigit() for ch in row["name"]), (key, row)


def test_rows_printing_fewer_figures_are_placed_as_the_pdf_reads_them(pdf_and_text):
    pdf, record, _ = pdf_and_text
    # "2070101 行政运行 612.00 612.00" under 合计 / 基本支出 / 项目支出 / …: which one is blank is not
    # printed; the 收入 / 支出决算表's 合计 row is pinned by what the 总表 and the 情况说明 state of its
    # columns, and the sums place the rest (session fa52c) -- as the PDF reads them.  (Listed before.)
    # (the 一般公共预算财政拨款支出决算表: its rows placed where their parents' sums leave one
    # placement, session fa10)
    for key in ("income", "expenditure", "general_budget"):
        assert [(r["code"], _amounts(r)) for r in record["tables"][key]["rows"]] == \
            [(r["code"], _amounts(r)) for r in pdf["tables"][key]["rows"]], key
    assert not [u for u in record["_meta"]["unread"] if "cannot be placed" in u["reason"]]


def test_the_findings_of_the_text_are_findings_of_the_pdf(pdf_and_text):
    pdf, record, _ = pdf_and_text
    text_failing, pdf_failing = _failing(record), _failing(pdf)
    assert text_failing <= pdf_failing, text_failing - pdf_failing
    assert {"PCT-005", "TPF-001", "TBL-040"} <= {f.split("[")[0] for f in text_failing}


def test_two_sided_summary_figures_belong_to_the_label_before_them(pdf_and_text):
    _, record, _ = pdf_and_text
    summary = record["tables"]["summary"]
    # "一、一般公共预算财政拨款收入 1,210.60 一、一般公共服务支出": the figure is the income's
    assert summary["income"]["general_budget"]["value"] == "1210.60"
    assert "amount" not in next(r for r in summary["expenditure"] if r["code"] == "201")
    # "本年收入合计 1,222.60 本年支出合计 1,216.60", "年初结转和结余 8.00 年末结转和结余 14.00"
    assert summary["income_total"]["value"] == "1222.60"
    assert summary["expenditure_total"]["value"] == "1216.60"
    assert summary["opening_balance"]["value"] == "8.00"
    assert summary["closing_balance"]["value"] == "14.00"
    # "九、卫生健康支出 40.20" alone on its line: an expenditure class by its name
    assert next(r for r in summary["expenditure"] if r["code"] == "210")["amount"]["value"] == "40.20"


_FILLED = """示范市示范局2024年度部门决算
第二部分 示范市示范局2024年度部门决算表
一般公共预算财政拨款支出决算表
单位：万元
项目
科目编码 科目名称 合计 基本支出 项目支出
合计 {total} 90.00 30.00
207 文化旅游体育与传媒支出 120.00 90.00 30.00
20701 文化和旅游 120.00 90.00 30.00
2070101 行政运行 90.00 90.00 0.00
2070109 群众文化 30.00 0.00 30.00
注：本表反映部门本年度一般公共预算财政拨款支出情况。
"""


@pytest.mark.parametrize("separator", [" ", "\t"])
def test_rows_filling_every_column_are_placed_by_the_header_order(separator):
    record = read_document(_FILLED.format(total="120.00").replace(" ", separator).encode("utf-8"), name="filled.txt")
    table = record["tables"]["general_budget"]
    rows = {r["code"]: _amounts(r) for r in table["rows"]}
    assert rows["2070109"] == {"total": "30.00", "basic": "0.00", "project": "30.00"}
    assert rows["207"] == {"total": "120.00", "basic": "90.00", "project": "30.00"}
    assert {k: v["value"] for k, v in table["totals"].items()} == {"total": "120.00", "basic": "90.00", "project": "30.00"}
    bad = read_document(_FILLED.format(total="130.00").replace(" ", separator).encode("utf-8"), name="filled_bad.txt")
    assert "TBL-021" in {f.split("[")[0] for f in _failing(bad)}
