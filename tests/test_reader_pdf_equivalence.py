"""The same disclosure as text and as PDF reads the same: the Jiangxi texts rendered to PDF line by
line (tests/pdfmaker.text_to_pdf) give the records their text gives, sources aside (a PDF has no
blank lines, so line numbers differ; it adds pages and boxes).

The performance tables are left out of the comparison: their reader follows the text's tab cells,
which a PDF does not have (its rows come back as words at positions); everything else — the
narrative, the headcount, the document facts and years, the standard tables (tab-separated in the
text, positioned words in the PDF) — must be equal."""

from __future__ import annotations

from pathlib import Path

import pytest

pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

from fiscalrules.readers import read_disclosure  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "disclosures"
JIANGXI = sorted(SHARED.glob("*.txt")) if SHARED.is_dir() else []


def _without_places(node):
    if isinstance(node, dict):
        return {k: _without_places(v) for k, v in node.items()
                if k not in ("source", "lines", "page", "coverage", "document", "id")}
    if isinstance(node, list):
        return [_without_places(v) for v in node]
    return node


@pytest.mark.skipif(not JIANGXI, reason="../shared/disclosures (the Jiangxi texts) is absent")
@pytest.mark.parametrize("path", JIANGXI, ids=lambda p: p.stem)
def test_text_and_pdf_give_the_same_record(path):
    text = path.read_text(encoding="utf-8")
    from_text = _without_places(read_disclosure(text, name=path.name))
    pdf = pdfmaker.text_to_pdf(text, tab_stop=200, font_size=8)
    from_pdf = _without_places(read_disclosure(pdf, name=path.name))
    for record in (from_text, from_pdf):
        record.pop("performance", None)
        record["_meta"]["unread"] = [u for u in record["_meta"]["unread"]
                                     if "indicator" not in u["reason"]]
    assert from_pdf == from_text
