"""Table cells printed in full-width digits and marks ("２，３９４．８１", "２０８"), as some office software
exports a table's figures while the narrative keeps half-width digits (a blind 内蒙古 决算: 20 false failures, every
table figure read as none and the codes as "２０８").  A PDF's words are cut from its characters as printed; each
reads its full-width digits and their marks as ASCII (document.model.Line), so the tables read as with half-width digits."""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.document.model import Line, Word
from fiscalrules.readers import read_document

import test_reader_narrative_variants as budget

_FULL = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")


def test_a_words_full_width_digits_and_their_marks_read_as_ascii():
    original = "２０８ 维修（护）费 －１，２３４．５６ ５％"
    words = [Word("２０８", 0, 10, 0, 3), Word("维修（护）费", 12, 60, 4, 10), Word("－１，２３４．５６", 70, 99, 11, 20),
             Word("５％", 100, 110, 21, 23)]
    line = Line(1, original, words=words)
    # (a word without digits keeps its marks as printed: the table readers match "（护）", "其中：" so)
    assert [w.text for w in line.words] == ["208", "维修（护）费", "-1,234.56", "5%"]
    assert line.original == original      # (sources quote the line as printed)


def test_full_width_table_cells_read_as_half_width_ones():
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
    from pdfmaker import text_to_pdf
    text = budget.EXAMPLE
    full = "\n".join(line.translate(_FULL) if "\t" in line else line for line in text.split("\n"))
    assert full != text
    ruleset = fiscalrules.load_ruleset("budget_disclosure")

    def failing(source):
        record = read_document(text_to_pdf(source), name="cells.pdf")
        report = ruleset.evaluate(record)
        return record, {f.rule for f in report.findings if f.status in ("fail", "not_evaluable")}

    half_record, half = failing(text)
    full_record, now = failing(full)
    assert now == half
    assert full_record["tables"] == half_record["tables"] or \
        _figures(full_record["tables"]) == _figures(half_record["tables"])


def _figures(node):
    """The values of a record's part, without where they were printed."""
    if isinstance(node, dict):
        return {k: _figures(v) for k, v in node.items() if k not in ("source", "printed")}
    if isinstance(node, list):
        return [_figures(v) for v in node]
    return node
