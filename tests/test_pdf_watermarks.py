"""Watermarks (fiscalrules/inputs/watermarks.py): large light text set at a slant across every page
("某某市财政局 公开", "仅供公开使用"), drawn over the content or under it, from the page or from a form
object, on upright pages and on landscape table pages turned inside a portrait PDF (/Rotate 90).
Read as text its characters fell between a table's cells and into sentences ("3,109.7开4",
"基本财支出"). It is set aside: the page reads as the page without it, and the document model
says per page what was set aside (``Document.watermarks``). All PDFs and OFDs are fictional,
made here (reportlab; tests/ofdmaker.py)."""

from __future__ import annotations

import io
import math

import pytest

from fiscalrules.inputs import watermarks

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from ofdmaker import ofd_package, text_object  # noqa: E402  (tests/ is on the path under pytest)
from pdfmaker import make_examples  # noqa: E402  (registers the CJK font)

from fiscalrules.inputs import open_document  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402

MARK = "某某市财政局 公开"
# (a sentence and a ruled table's rows: where the watermark falls, as on a real page)
PAGE = [(60, 80, "一般公共预算财政拨款基本支出2364.38万元，其中：人员经费2096.08万元。", 10.5),
        (60, 110, "科目编码", 9.0), (140, 110, "科目名称", 9.0), (330, 110, "合计", 9.0), (420, 110, "基本支出", 9.0)] + [
    (x, 130 + 20 * row, text, 9.0)
    for row, cells in enumerate((("2101101", "行政单位医疗", "72.18", "72.18"),
                                 ("2101102", "事业单位医疗", "26.45", "26.45"),
                                 ("2101103", "公务员医疗补助", "18.37", "18.37"),
                                 ("2210201", "住房公积金", "138.64", "138.64")))
    for x, text in zip((60, 140, 330, 420), cells)]


def _pdf(*, mark: str | None = None, landscape: bool = False, turned: bool = False,
         items=PAGE) -> bytes:
    """A page of *items* (x, top, text, size), its table ruled; *mark*: how a watermark is drawn
    three times across it at 35°, light grey and half transparent -- "over" the content, "under"
    it, from a "form" object; *turned*: a landscape page stored portrait with /Rotate 90, its
    content drawn through a quarter turn (Microsoft Print to PDF)."""
    from reportlab.pdfgen import canvas

    width, height = (841.9, 595.3) if landscape else (595.3, 841.9)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    if turned:
        pdf.setPageRotation(90)
        pdf.translate(height, 0)
        pdf.rotate(90)
    if mark == "form":
        pdf.beginForm("mark")
        pdf.setFont(make_examples.FONT, 46)
        pdf.drawString(0, 0, MARK)
        pdf.endForm()

    def watermark():
        for x, y in ((20, 120), (210, 350), (110, 580)):
            pdf.saveState()
            pdf.setFillColorRGB(0.78, 0.78, 0.78, alpha=0.45)
            pdf.translate(x, y * height / 842)
            pdf.rotate(35)
            if mark == "form":
                pdf.doForm("mark")
            else:
                pdf.setFont(make_examples.FONT, 46)
                pdf.drawString(0, 0, MARK)
            pdf.restoreState()

    if mark == "under":
        watermark()
    for x, top, text, size in items:
        pdf.setFont(make_examples.FONT, size)
        pdf.drawString(x, height - top - size * 0.88, text)
    for top in range(105, 215, 20):
        pdf.line(56, height - top, 500, height - top)
    for x in (56, 136, 326, 416, 500):
        pdf.line(x, height - 105, x, height - 205)
    if mark in ("over", "form"):
        watermark()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _lines(document) -> list[str]:
    return [line.text for line in document.lines]


@pytest.mark.parametrize("mark", ["over", "under", "form"])
def test_a_slanted_watermark_is_set_aside_and_said(mark):
    plain = read_pdf(_pdf(), "plain.pdf")
    marked = read_pdf(_pdf(mark=mark), "marked.pdf")
    assert _lines(marked) == _lines(plain)
    assert "事业单位医疗 26.45 26.45" in _lines(marked)[-3]
    assert marked.watermarks == [(1, MARK)] and plain.watermarks == []


def test_a_turned_table_page_with_a_watermark_reads_upright():
    # (a table page of few rows: the watermark's characters are a fifth of the page's, and the
    # page was no longer told turned)
    few = PAGE[:1] + [item for item in PAGE[1:] if item[1] <= 130]
    upright = read_pdf(_pdf(landscape=True, items=few), "upright.pdf")
    turned = read_pdf(_pdf(mark="over", landscape=True, turned=True, items=few), "turned.pdf")
    assert turned.rotated_pages == [] and _lines(turned) == _lines(upright)
    assert turned.watermarks == [(1, MARK)]


def test_watermarks_are_kept_per_page_through_parts_and_joins():
    marked = read_pdf(_pdf(mark="over"), "marked.pdf")
    joined = type(marked).joined([read_pdf(_pdf(), "plain.pdf"), marked], "both")
    assert joined.watermarks == [(2, MARK)]
    assert joined.part(joined.pages[1].first, len(joined.lines)).watermarks == [(1, MARK)]


@pytest.mark.parametrize("degrees, slanted", [(0, False), (90, False), (180, False), (270, False),
                                              (1.5, False), (-2, False), (88, False),   # a scan's skew
                                              (35, True), (45, True), (-30, True), (235, True), (125, True)])
def test_slanted_is_an_angle_away_from_the_pages_directions(degrees, slanted):
    angle = math.radians(degrees)
    assert watermarks.slanted(math.cos(angle), math.sin(angle)) is slanted


def test_an_ofd_watermark_drawn_as_page_content_is_set_aside():
    # (an OFD's watermark is mostly an annotation, never read; a converter may draw it as content)
    angle = math.radians(35)
    ctm = f"{math.cos(angle):.4f} {math.sin(angle):.4f} {-math.sin(angle):.4f} {math.cos(angle):.4f} 0 0"
    mark = (f'<ofd:TextObject ID="7" Boundary="20 40 150 120" Font="3" Size="16" CTM="{ctm}">'
            f'<ofd:FillColor Value="199 199 199" Alpha="115"/>'
            f'<ofd:TextCode X="0" Y="16" DeltaX="g 8 16">{MARK}</ofd:TextCode></ofd:TextObject>')
    rows = [text_object(20, 50 + 6 * row, text) for row, text in
            enumerate(("2101102 事业单位医疗 26.45 26.45", "2101103 公务员医疗补助 18.37 18.37"))]
    plain = open_document(ofd_package([rows]), "plain.ofd")
    marked = open_document(ofd_package([rows[:1] + [mark] + rows[1:]]), "marked.ofd")
    assert _lines(marked) == _lines(plain) == ["2101102 事业单位医疗 26.45 26.45", "2101103 公务员医疗补助 18.37 18.37"]
    assert marked.watermarks == [(1, MARK)]


def _flat_pdf(*, colour=(0.8, 0.8, 0.8), alpha: float = 1.0, where: int = 200, size: float = 60) -> bytes:
    """PAGE with a watermark laid flat (horizontal), drawn before the content, its letters *size*
    points in *colour* at *alpha*, their top *where* points down the page."""
    from reportlab.pdfgen import canvas

    width, height = 595.3, 841.9
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    pdf.saveState()
    pdf.setFillColorRGB(*colour, alpha=alpha)
    pdf.setFont(make_examples.FONT, size)
    pdf.drawString(40, height - where - size * 0.88, "仅供公开")
    pdf.restoreState()
    for x, top, text, font_size in PAGE:
        pdf.setFont(make_examples.FONT, font_size)
        pdf.drawString(x, height - top - font_size * 0.88, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize("colour, alpha", [((0.8, 0.8, 0.8), 1.0), ((0.2, 0.2, 0.2), 0.3)], ids=["light grey", "see-through"])
def test_a_large_faint_watermark_laid_flat_behind_the_table_is_set_aside(colour, alpha):
    plain = read_pdf(_pdf(), "plain.pdf")
    marked = read_pdf(_flat_pdf(colour=colour, alpha=alpha, where=100), "marked.pdf")
    assert _lines(marked) == [line for line in _lines(plain)]
    assert marked.watermarks == [(1, "仅供公开")]


@pytest.mark.parametrize("colour, where, size", [
    ((0, 0, 0), 100, 60),           # dark: a heading, however large
    ((1, 1, 1), 100, 60),           # white: a title printed on a dark band
    ((0.8, 0.8, 0.8), 300, 60),     # light but over no other text: a cover's title
    ((0.8, 0.8, 0.8), 100, 14),     # light but not large
], ids=["dark", "white", "apart", "small"])
def test_large_text_that_is_no_watermark_is_read(colour, where, size):
    lines = _lines(read_pdf(_flat_pdf(colour=colour, where=where, size=size), "page.pdf"))
    assert any("仅供公开" in line.replace(" ", "") for line in lines), lines
