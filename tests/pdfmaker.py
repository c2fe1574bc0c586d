"""Small PDFs for tests, written with reportlab (a test-only dependency) and its built-in CJK font.

``pdf_bytes(pages)`` places text runs and ruling lines exactly where a test wants them;
``text_to_pdf(text)`` renders a plain-text document line by line (display columns become x
positions, tab cells go to fixed tab stops) so that the PDF path can be compared with the text path.
"""

from __future__ import annotations

import io
import unicodedata

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGE = landscape(A4)


def pdf_bytes(pages, *, size=PAGE, encrypt: str | None = None) -> bytes:
    """*pages*: a list of pages, each a list of items ``("text", x, top, string, font_size)``,
    ``("hrule", y, x0, x1)``, ``("vrule", x, top, bottom)`` or ``("rect", x0, top, x1, bottom)``
    (a filled rectangle, no text); coordinates in points from the top left."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, encrypt=encrypt, invariant=1)
    width, height = size
    for items in pages:
        for item in items:
            kind = item[0]
            if kind == "text":
                _, x, top, string, font_size = item
                pdf.setFont(FONT, font_size)
                pdf.drawString(x, height - top - font_size * 0.88, string)
            elif kind == "hrule":
                _, y, x0, x1 = item
                pdf.setLineWidth(0.8)
                pdf.line(x0, height - y, x1, height - y)
            elif kind == "vrule":
                _, x, top, bottom = item
                pdf.setLineWidth(0.8)
                pdf.line(x, height - top, x, height - bottom)
            elif kind == "rect":
                _, x0, top, x1, bottom = item
                pdf.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def text_to_pdf(text: str, *, lines_per_page: int = 34, font_size: float = 9.0,
                tab_stop: float = 170.0) -> bytes:
    """Render a text document as a PDF, line by line: each run of non-blank characters at its
    display column, each tab cell at its tab stop; blank lines take no place (a PDF has none)."""
    column = font_size / 2
    pages, items = [], []
    top = 40.0
    for line in text.split("\n"):
        if not line.strip():
            continue
        if len(items) >= lines_per_page:
            pages.append(items)
            items, top = [], 40.0
        if "\t" in line:
            for index, cell in enumerate(line.split("\t")):
                if cell.strip():
                    items.append(("text", 30 + index * tab_stop, top, cell.strip(), font_size))
        else:
            position = 0
            for run in _runs(line):
                offset, word = run
                items.append(("text", 30 + offset * column, top, word, font_size))
                position = offset
        top += font_size * 1.6
    if items:
        pages.append(items)
    return pdf_bytes(pages)


def _runs(line: str):
    """(display column, text) of each run of the line separated by two or more spaces; single
    spaces stay inside a run (a PDF draws them as a gap in the run)."""
    runs, start, column, current, spaces = [], 0, 0, [], 0
    for ch in line:
        if ch == " ":
            spaces += 1
        else:
            if spaces >= 2 and current:
                runs.append((start, "".join(current)))
                current = []
            elif spaces and current:
                current.append(" " * spaces)
            if not current:
                start = column
            current.append(ch)
            spaces = 0
        column += _width(ch)
    if current:
        runs.append((start, "".join(current)))
    return runs
