"""A PDF's text as pypdfium2 gives it, pages joined as pdftotext joins them (a form feed after each
page's last line): single-spaced cells, lines in the order they were drawn -- the text a converter
without layout makes of a disclosure.  Shared by the tests that read the shared PDFs as text."""

from __future__ import annotations

from pathlib import Path

import pytest

SHANGHAI = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures" / "shanghai"


def pdfium_text(path: Path) -> str:
    """The text of *path* (skipping the test where pypdfium2 or the shared documents are missing)."""
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    if not path.exists():
        pytest.skip(f"shared disclosures not available ({path})")
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n\f".join(pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf)))
    finally:
        pdf.close()
