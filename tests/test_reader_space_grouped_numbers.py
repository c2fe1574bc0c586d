"""Amounts whose thousands are grouped by a space -- "1 150.00", "11 500 000", as Word, WPS and
some provinces' budget software print them (review 20 C D5).  A table cell holding one is one
amount: before, every such row was "not understood", whole tables were lost, and the coverage
line counted "1" and "150.00" as two figures.  Spaced groups are read only inside a cell (a tab
cell, or words closer than a digit's width in a PDF) and only in groups of three digits."""

from __future__ import annotations

import re

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure
from fiscalrules.readers.common.cells import CELL_NUMBER, cell_value
from test_reader_variants import CLEAN, PLANT, PLANTED


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


@pytest.mark.parametrize("text, value", [("1 150.00", "1150.00"), ("11 500 000", "11500000"), ("1\u2009036.40", "1036.40"),
                                         ("1\u00a0036.40", "1036.40"), ("(1 150.00)", "-1150.00"), ("-2 000.5", "-2000.5")])
def test_a_space_grouped_cell_is_one_amount(text, value):
    assert CELL_NUMBER.match(text) and cell_value(text) == value


@pytest.mark.parametrize("text", ["12 34", "1 1500.00", "1234 567", "1  150.00", "1 15"])
def test_other_spaced_digits_are_not_one_amount(text):
    assert not CELL_NUMBER.match(text)


def _spaced(text: str) -> str:
    """Every tab cell's amount of 1,000 or more grouped by a space (the codes as they are)."""
    def group(match):
        whole, dot, decimals = match.group(1).partition(".")
        grouped = re.sub(r"(?<=\d)(?=(?:\d{3})+$)", " ", whole)
        return grouped + dot + decimals
    return "\n".join("\t".join(re.sub(r"^(\d{4,}\.\d+)$", group, cell) for cell in line.split("\t"))
                     if "\t" in line else line for line in text.split("\n"))


def _audit(ruleset, path, text, pdf):
    if pdf:
        pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
        pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
        path = path.with_suffix(".pdf")
        path.write_bytes(pdfmaker.text_to_pdf(text))
    else:
        path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    failing = {(f.rule, f.item) for f in ruleset.evaluate(record).findings if f.status == "fail"}
    return record, failing


def _table_figures(record) -> list:
    return sorted((path, row.get("code"), column, cell["value"])
                  for path, table in record["tables"].items() if isinstance(table, dict)
                  for row in table.get("rows") or [] for column, cell in row.items()
                  if isinstance(cell, dict) and "value" in cell)


@pytest.mark.parametrize("pdf", [False, True], ids=["text", "pdf"])
def test_a_document_grouping_by_spaces_reads_as_one_grouping_by_nothing(ruleset, tmp_path, pdf):
    spaced = _spaced(CLEAN)
    assert "1 150.00" in spaced and spaced != CLEAN
    plain_record, plain_failing = _audit(ruleset, tmp_path / "plain.txt", CLEAN, pdf)
    record, failing = _audit(ruleset, tmp_path / "spaced.txt", spaced, pdf)
    assert _table_figures(record) == _table_figures(plain_record)
    assert failing == plain_failing
    coverage, plain_coverage = record["_meta"]["coverage"], plain_record["_meta"]["coverage"]
    assert coverage == plain_coverage   # "1 150.00" counted once, as "1150.00" is
    bad, bad_failing = _audit(ruleset, tmp_path / "bad.txt", _spaced(CLEAN.replace(*PLANT)), pdf)
    assert PLANTED <= bad_failing
