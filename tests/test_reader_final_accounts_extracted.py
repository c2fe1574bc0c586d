"""The 决算 as text extractions write it (session 25), made from the team's fictional example 决算
(examples/make_final_accounts.py, its planted errors in): the PDF's lines written out again

* as ``pdftotext`` without ``-layout`` writes a table -- a cell a line, blank lines between -- with
  the contents' "目录" spread over two lines ("目" / "录");
* with the 基本支出决算表's right panel pushed onto the next line after its code
  ("30109 职业年金缴费 34.40 30228" / "工会经费 9.80"), as ``pdftotext -layout`` prints it.

Neither may make a finding the PDF does not (findings ⊆ the PDF's) or leave a figure silent; the
contents are found (the 情况说明 is read, not taken for the contents' "第三部分" line), a table whose
rows cannot be placed is listed with every line of figures, and the panels are read.  The old reader
read the cell-a-line tables' first figure as the 合计 (false TBL-003 / TBL-012), left the rest and
the 三公 table's figures silent, and read the 情况说明 as the contents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshi_culture_2024_final_accounts.pdf"
_NUMBER = re.compile(r"^-?[\d,]+\.\d+$")
_cache: dict = {}


def _lines():
    doc = open_document(EXAMPLE.read_bytes(), name="example.pdf")
    out, page = [], 1
    for line in doc.lines:
        if line.page != page:
            out.append("\f")
            page = line.page
        out.append(line)
    return out


def _text(cell_a_line: bool) -> str:
    parts: list[str] = []
    for line in _lines():
        if line == "\f":
            parts.append("\f")
            continue
        words = [w.text for w in line.words]
        if line.compact == "目录" and cell_a_line:
            parts += ["目", "", "录"]
        elif cell_a_line and sum(bool(_NUMBER.match(w)) for w in words) >= 2 and "。" not in line.text:
            for word in words:
                parts += [word, ""]
        elif not cell_a_line and re.match(r"^30\d{3} ", line.text) and len(words) >= 6:
            # the right panel's code ends the line, its name and amount stand on the next
            parts += [" ".join(words[:4]), "          " + " ".join(words[4:])]
        else:
            parts.append(" ".join(words))
    return "\n".join(parts).replace("\n\f\n", "\n\f")


def _read(kind: str):
    if kind not in _cache:
        data = EXAMPLE.read_bytes() if kind == "pdf" else _text(kind == "cells").encode()
        record = read_document(data, name=f"{kind}.{'pdf' if kind == 'pdf' else 'txt'}")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        _cache[kind] = record, {f.rule for f in report.findings if f.status == "fail"}
    return _cache[kind]


@pytest.mark.parametrize("kind", ["cells", "panels"])
def test_an_extraction_finds_only_what_the_pdf_finds_and_leaves_nothing_silent(kind):
    record, failing = _read(kind)
    _, pdf = _read("pdf")
    assert failing <= pdf
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    # the 情况说明 is read (not the contents' 第三部分 line)
    assert record["income"]["total"]["value"] == "1222.60"


def test_a_cell_a_line_extraction_lists_its_tables_figures():
    record, _ = _read("cells")
    assert "rows" not in record["tables"].get("income", {})
    assert record["tables"]["three_public"].get("empty") is False
    reasons = " ".join(u["reason"] for u in record["_meta"]["unread"])
    assert "三公 table: figures not on one line" in reasons


def test_a_panel_pushed_onto_the_next_line_is_read():
    record, _ = _read("panels")
    plain, _ = _read("pdf")
    rows = {r["code"]: (r["name"], r["amount"]["value"]) for r in record["tables"]["general_budget_basic"]["rows"]}
    assert rows == {r["code"]: (r["name"], r["amount"]["value"])
                    for r in plain["tables"]["general_budget_basic"]["rows"]}
