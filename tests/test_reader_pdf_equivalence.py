"""The same disclosure as text and as PDF reads the same: the Jiangxi texts rendered to PDF line by
line (tests/pdfmaker.text_to_pdf) give the records their text gives, sources aside (a PDF has no
blank lines, so line numbers differ; it adds pages and boxes).

Everything must be equal: the narrative, the headcount, the document facts and years, the
standard tables (tab-separated in the text, positioned words in the PDF) and the performance
tables. Those are drawn as the PDFs they were extracted from print them: ruled, each level cell
merged over its group and centred on it (the text writes it in the group's first row and leaves
the rows below blank), a merged cell cut by a page break; a table written with single spaces
comes out as words in reading order in both."""

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
    pdf = pdfmaker.text_to_pdf(text, tab_stop=200, font_size=8, merged_after="一级指标")
    from_pdf = _without_places(read_disclosure(pdf, name=path.name))
    # The quality facts counted per paragraph (quotation marks and brackets, the reason after 主要原因)
    # follow the paragraphs, which the text cuts at its own line breaks where the PDF's lines run on:
    # those two are not compared; every other quality fact is.
    for record in (from_text, from_pdf):
        for key in ("pairs", "reasons"):
            record["quality"].pop(key)
    if "一级指标" in text:            # the performance tables are compared, not both absent
        assert from_text["performance"]["indicators"]
    assert from_pdf == from_text
