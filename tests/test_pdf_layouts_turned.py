"""Pages printed landscape inside a portrait PDF (review 19 C, R7): the page carries /Rotate 90
(or 270, 180) and its content is drawn through the matching turn, as "rotate pages" tools and
scanner drivers leave it. Such a page is read upright -- the same lines, words, boxes and ruling
lines as the page drawn upright -- and a 决算 whose table pages are turned audits as the upright one.
Text that still cannot be turned (characters stacked one under another, upright) stays listed
unread, never read as garbage. All PDFs are fictional, made here (reportlab)."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)
from pdfmaker import make_examples, pdf_bytes  # noqa: E402  (registers the CJK font)

import fiscalrules  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

TURNS = (90, 270, 180)


def render(pages, size, turned, font: str = make_examples.FONT) -> bytes:
    """PDF bytes of *pages* (items as examples/make_examples.render takes them, laid out on a
    page of *size* as it is to be read); a page for which *turned(items)* gives a rotation
    (90, 180, 270) gets /Rotate so and its content drawn through the opposite turn, so that a
    viewer shows it upright -- its MediaBox portrait for a landscape page turned by 90 or 270."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    width, height = size
    # (reportlab takes the page size as shown: with /Rotate 90 it writes the MediaBox swapped)
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    for items in pages:
        rotation = turned(items) or 0
        pdf.setPageRotation(rotation)
        if rotation == 90:          # shown turned clockwise: drawn turned counter-clockwise
            pdf.translate(height, 0)
            pdf.rotate(90)
        elif rotation == 270:
            pdf.translate(0, width)
            pdf.rotate(-90)
        elif rotation == 180:
            pdf.translate(width, height)
            pdf.rotate(180)
        for item in items:
            if item[0] == "text":
                _, x, top, text, font_size = item
                pdf.setFont(font, font_size)
                pdf.drawString(x, height - top - font_size * 0.88, text)
            elif item[0] == "hrule":
                _, y, x0, x1 = item
                pdf.line(x0, height - y, x1, height - y)
            elif item[0] == "vrule":
                _, x, top, bottom = item
                pdf.line(x, height - top, x, height - bottom)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


TABLE_PAGE = [("text", 300, 40, "支出决算表", 14.0), ("text", 60, 70, "单位：万元", 9.0)] + [
    ("text", x, top, text, 9.0) for top, row in ((95, ("科目编码", "科目名称", "合计")),
                                                 (115, ("207", "文化旅游体育与传媒支出", "964.00")),
                                                 (135, ("20701", "文化和旅游", "901.20")))
    for x, text in zip((60, 140, 420), row)] + [
    ("vrule", x, 90, 150) for x in (56, 136, 400, 480)] + [("hrule", y, 56, 480) for y in (90, 110, 130, 150)]


def _page(doc):
    page = doc.pages[0]
    lines = [(line.text, [(w.text, round(w.x0), round(w.x1)) for w in line.words],
              tuple(round(v) for v in line.box())) for line in doc.lines]
    rules = sorted((r.vertical, round(r.position), round(r.start), round(r.end)) for r in page.rules)
    return (round(page.width), round(page.height)), lines, rules


@pytest.mark.parametrize("rotation", TURNS)
def test_a_turned_page_reads_as_the_page_drawn_upright(rotation):
    size = (841.9, 595.3)           # a landscape page (A4)
    upright = read_pdf(render([TABLE_PAGE], size, lambda items: 0), "upright.pdf")
    turned = read_pdf(render([TABLE_PAGE], size, lambda items: rotation), "turned.pdf")
    assert turned.rotated_pages == [] and turned.blank_pages == []
    assert _page(turned) == _page(upright)
    assert [line.compact for line in turned.lines][-1] == "20701文化和旅游901.20"


def _turned_final_accounts(rotation: int, bad: bool) -> bytes:
    """The example 决算 (tests/final_accounts_variants.py) with every page holding a ruled table
    turned by *rotation*; *bad*: 群众文化's 合计 in the 支出决算表 slipped to 136.00."""
    def slip(title, header, widths, rows, options):
        if bad and title == "支出决算表":
            rows = [[("136.00" if r[0] == "2070109" and i == 2 else c) for i, c in enumerate(r)] for r in rows]
            return header, widths, rows, options
        return None

    make_examples = fav._modules()[0]
    original = make_examples.render
    make_examples.render = lambda pages, size=(make_examples.WIDTH, make_examples.HEIGHT), encrypt=None: render(
        pages, size, lambda items: rotation if any(item[0] == "vrule" for item in items) else 0)
    try:
        return fav.build(table=slip)
    finally:
        make_examples.render = original


_audits: dict = {}


def _audit(rotation: int, bad: bool):
    if (rotation, bad) not in _audits:
        data = _turned_final_accounts(rotation, bad) if rotation else fav.build()
        record = read_document(data, name="final_accounts.pdf")   # (one name: sources compared)
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        _audits[rotation, bad] = record, {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                                          for f in report.findings if f.status == "fail"}
    return _audits[rotation, bad]


@pytest.mark.parametrize("rotation", TURNS)
def test_a_final_accounts_with_its_table_pages_turned_audits_as_the_upright_one(rotation):
    record, failing = _audit(rotation, False)
    upright, _ = _audit(0, False)
    assert failing == set(), failing
    assert record["_meta"]["coverage"] == upright["_meta"]["coverage"]
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] > 250, coverage
    assert not record["_meta"]["unread"], record["_meta"]["unread"]
    assert record["tables"] == upright["tables"]


def test_the_planted_error_on_a_turned_page_is_found():
    _, failing = _audit(90, True)
    assert {"TBL-010[20701]", "TBL-012[2070109]"} <= failing, failing


def test_characters_stacked_upright_are_still_listed_not_read_as_garbage():
    # Upright characters placed one under another (a column of vertical writing, or glyphs a
    # tool set one by one): no direction to turn them by -- the page stays listed unread.
    upright = [("text", 60, 60 + 18 * i, text, 10.5)
               for i, text in enumerate(["滨江市青石区文化旅游局2025年部门预算", "一、部门职责"])]
    stacked = [("text", 60 + 30 * column, 40 + 12 * i, ch, 10.0)
               for column, text in enumerate(["2080105行政运行11.20", "2080205行政运行21.20",
                                              "2080305行政运行31.20", "合计210.00"])
               for i, ch in enumerate(text)]
    doc = read_pdf(pdf_bytes([upright, stacked]), "stacked.pdf")
    assert doc.rotated_pages == [2]
    assert {line.page for line in doc.lines} == {1}
    assert "部门职责" in doc.lines[-1].text
