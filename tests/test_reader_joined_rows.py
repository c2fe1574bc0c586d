"""A budget's tables as pypdfium2's text gives some PDFs (session 27): single spaces, and a table's
rows joined on one line ("… 0 0 0 208 05 99 其他行政事业单位养老支出 4,160 4,160 0 0 0 208 07 …").

Where every row fills every figure column (blank cells printed as 0.00, "-"), where one row ends
and the next begins is not in doubt: the codes, the name, then one figure per column the header
names; each row is read (``budget/tables._rows_on_one_line``).  Where blank cells are left blank
they vanish from such text, a row would take the next row's code for a figure, and the rest of
the line would start without a code: the line is listed, never guessed.  Coverage counts the
joined rows' codes as codes, not amounts (``coverage._inline_codes``): before, each printed 3 or
4 amounts too many a row, the line could never be read whole.

Made from the team's fictional example budget (examples/make_examples.py, its planted errors
in; tests/budget_variants.py), blank cells printed as 0.00 or left blank, its coded tables'
rows joined three to a line.  The 0.00 printing, before: 63 figures read of 454 counted (the
joined rows' codes counted as amounts: the PDF prints 357), every joined line listed; after: 340 of
357, the coded tables' rows the PDF's (the 17 left are the two-sided 总表s' lines).
"""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import budget_variants as bv  # noqa: E402  (tests/ is on the path under pytest)

_CODED_ROW = re.compile(r"^\d{3}(?: \d{2}){0,2} \S+(?: [-\d,.]+)+$")
_cache: dict = {}


def _joined_text(pdf: bytes, per_line: int = 3) -> str:
    """The PDF's lines single-spaced, each run of coded rows joined *per_line* to a line."""
    doc = open_document(pdf, name="joined.pdf")
    out: list[str] = []
    run: list[str] = []
    for line in doc.lines:
        text = " ".join(w.text for w in line.words)
        if _CODED_ROW.match(text):
            run.append(text)
            if len(run) == per_line:
                out.append(" ".join(run))
                run = []
            continue
        if run:
            out.append(" ".join(run))
            run = []
        out.append(text)
    if run:
        out.append(" ".join(run))
    return "\n".join(out)


def _read(name: str, source):
    if name not in _cache:
        record = read_document(source, name=name)
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        _cache[name] = record, {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                                for f in report.findings if f.status == "fail"}
    return _cache[name]


def _rows(record) -> dict:
    return {(key, row.get("code")): {k: v["value"] for k, v in row.items() if isinstance(v, dict) and "value" in v}
            for key in ("income", "expenditure", "general_budget", "general_budget_basic")
            for row in record["tables"].get(key, {}).get("rows", [])}


def test_rows_joined_on_a_line_are_read_where_each_fills_its_columns():
    pdf = bv.build(table=bv.blanks("0.00"))
    record, failing = _read("zeros.txt", _joined_text(pdf))
    plain, pdf_failing = _read("zeros.pdf", pdf)
    assert any(len(re.findall(r"\b2\d\d \d\d \d\d ", line)) > 1 for line in _joined_text(pdf).split("\n"))
    assert _rows(record) == _rows(plain) and len(_rows(record)) > 60
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    assert failing <= pdf_failing


def test_rows_joined_on_a_line_whose_blank_cells_vanished_are_listed():
    record, failing = _read("blanks.txt", _joined_text(bv.build()))
    _, pdf_failing = _read("blanks.pdf", bv.build())
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["general_budget"]
    assert any("行政运行" in entry["reason"] for entry in record["_meta"]["unread"])
    assert failing <= pdf_failing
