"""The national printings of tests/test_reader_national_printings.py as ``pdftotext -layout`` writes
them, read against their PDFs (session 30).

An auditor often has a disclosure's text rather than its PDF.  Each fictional printing (a unit, a
code column, blank cells, a header, a continuation: the ways other regions print the national
tables) is built as a PDF, put through poppler's ``pdftotext -layout``, and both are read: every
table figure the text gives must be the PDF's, at the same path -- a text form may leave a table
listed, never misread -- and the printings read whole from their text this session stay so.
Skipped where ``pdftotext`` (poppler-utils) is not installed, or prints nothing of the test PDFs'
unembedded CJK font (no poppler-data: its CMaps are a Recommends that ``--no-install-recommends``
leaves out; the test would fail on every printing for want of a package, not of the reader).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")


def _pdftotext_missing() -> str | None:
    """Why pdftotext cannot make the test texts, or None where it can: a one-word PDF in the test
    PDFs' font put through it."""
    if shutil.which("pdftotext") is None:
        return "poppler's pdftotext is not installed"
    import tempfile
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "probe.pdf"
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        page = canvas.Canvas(str(pdf))
        page.setFont("STSong-Light", 12)
        page.drawString(72, 720, "合计")
        page.save()
        done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, timeout=60)
    if "合计" not in done.stdout.decode("utf-8", "replace"):
        return "poppler's pdftotext prints nothing of an unembedded CJK font here (poppler-data is not installed)"
    return None


_MISSING = _pdftotext_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=str(_MISSING))

import budget_variants as bv  # noqa: E402  (tests/ is on the path under pytest)
import final_accounts_variants as fav  # noqa: E402
from test_reader_national_printings import BUDGET, FINAL_ACCOUNTS  # noqa: E402

from record_figures import figure_values  # noqa: E402

from fiscalrules.readers import read_document  # noqa: E402

PRINTINGS = {**{("budget", name): (bv, options) for name, (options, _) in BUDGET.items()},
             **{("final_accounts", name): (fav, options) for name, (options, _) in FINAL_ACCOUNTS.items()}}
# The printings whose -layout text reads every figure it prints (the others list some tables: pages
# laid out at another scale with no header and blank cells left empty, continuations, two tables a page).
WHOLE = {("budget", name) for name in ("plain", "in-wan", "unit-in-title", "unit-in-header", "one-code-column",
                                       "code-and-name-one-cell", "code-in-brackets", "names-only", "blank-dash", "blank-emdash",
                                       "blank-zero", "header-three-lines", "continued-xubiao",
                                       "continued-title-xubiao", "summary-prior-columns", "summary-year-columns")} | \
        {("final_accounts", name) for name in ("plain", "unit-in-header", "code-and-name-one-cell", "code-in-brackets",
                                               "names-only", "total-first", "total-last", "blank-dash", "blank-emdash",
                                               "blank-zero", "header-three-lines")}



def _values(node):
    """(path, value) of every figure under the record's tables (rows keyed by their code)."""
    return figure_values(node, rows_by_code=True)


def _layout_text(printing, tmp_path):
    module, options = PRINTINGS[printing]
    pdf = tmp_path / "printing.pdf"
    pdf.write_bytes(module.build(**options))
    subprocess.run(["pdftotext", "-layout", str(pdf), str(tmp_path / "printing.txt")], check=True, timeout=60)
    return pdf, (tmp_path / "printing.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("printing", list(PRINTINGS), ids=lambda p: f"{p[0]}-{p[1]}")
def test_a_printings_layout_text_reads_only_what_its_pdf_reads(printing, tmp_path):
    pdf, printed = _layout_text(printing, tmp_path)
    text = read_document(printed, name="printing.txt")
    from_pdf = dict(_values(read_document(pdf.read_bytes(), name="printing.pdf")["tables"]))
    from_text = dict(_values(text["tables"]))
    assert {path: value for path, value in from_text.items() if from_pdf.get(path) != value} == {}
    coverage = text["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    if printing in WHOLE:
        assert coverage["figures"]["read"] == coverage["figures"]["printed"]


def test_a_two_sided_tables_figures_no_column_takes_are_listed_never_lost(tmp_path):
    """The 财政拨款收支总表 of the printing with its units in the header cells ("合计（元）": read as 合计
    now, in the text and the PDF alike), its 合计 then renamed to a word no column vocabulary has: the
    figures stand glued to the sides' names with no header to place them by -- taken as names before,
    five lines lost without a word (coverage "silent"); listed now."""
    _, printed = _layout_text(("budget", "unit-in-header"), tmp_path)
    assert "合计（元）" in printed
    record = read_document(printed.replace("合计（元）", "合计总数目"), name="unknown_header.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["appropriation_summary"].get("expenditure", {})
    assert sum(1 for item in record["_meta"]["unread"] if item["reason"].startswith("two-sided table: its columns")) == 5
