"""Small PDFs for tests, written with reportlab (a test-only dependency) and its built-in CJK font.

``pdf_bytes(pages)`` places text runs and ruling lines exactly where a test wants them;
``text_to_pdf(text)`` renders a plain-text document line by line (display columns become x
positions, tab cells go to fixed tab stops) so that the PDF path can be compared with the text path.
``identity_pdf(runs)`` writes a PDF as Word does with fonts not embedded (SimSun, Identity-H).
reportlab's CJK font is not embedded either: what pdfium reads from these PDFs must not depend on
the machine's fonts (fiscalrules.inputs.pdffonts; tests/test_pdffonts.py).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from textruns import paged, runs_of

# The page writer of examples/make_examples.py (the script that makes the example PDF).
_spec = importlib.util.spec_from_file_location(
    "make_examples", Path(__file__).resolve().parent.parent / "examples" / "make_examples.py")
make_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_examples)
Writer = make_examples.Writer


def pdf_bytes(pages, *, size=(make_examples.WIDTH, make_examples.HEIGHT), encrypt=None) -> bytes:
    """*pages*: a list of pages of items as :func:`make_examples.render` takes them."""
    return make_examples.render(pages, size, encrypt)


def text_to_pdf(text: str, *, lines_per_page: int = 34, font_size: float = 9.0,
                tab_stop: float = 170.0, merged_after: str | None = None) -> bytes:
    """Render a text document as a PDF, line by line: each run of non-blank characters at its
    display column, each tab cell at its tab stop; blank lines take no place (a PDF has none).

    *merged_after*: a run of tab-separated lines holding a line with this text (say "一级指标")
    is drawn as the ruled table it was extracted from: a row per line, ruling lines around every
    cell, and below that line a blank cell merged with the cell above it, whose text is then
    centred over the merged rows (as a PDF prints 一级指标 over its group). A page break ends a
    merged cell (the rows on the next page are left blank, as in the text)."""
    column = font_size / 2
    step = font_size * 1.6
    rows = [line for line in text.split("\n") if line.strip()]   # (as paged() numbers them)
    spans, covered, ruled = _merged_cells(rows, merged_after, lines_per_page)
    pages = []
    for page in paged(text, lines_per_page):
        pages.append(items := [])
        for index, place, line in page:
            top = 40.0 + place * step
            if "\t" in line:
                cells = line.split("\t")
                for number, cell in enumerate(cells):
                    if (index, number) in covered or not cell.strip():
                        continue
                    middle = top + (spans.get((index, number), 1) - 1) * step / 2
                    items.append(("text", 30 + number * tab_stop, middle, cell.strip(), font_size))
                if index in ruled:
                    upper, lower = top - 0.3 * font_size, top + 1.3 * font_size
                    for number in range(ruled[index] + 1):
                        items.append(("vrule", 26 + number * tab_stop, upper, lower))
                    for number in range(ruled[index]):
                        if (index + 1, number) not in covered:
                            items.append(("hrule", lower, 26 + number * tab_stop, 26 + (number + 1) * tab_stop))
                        if index - 1 not in ruled or index % lines_per_page == 0:
                            items.append(("hrule", upper, 26 + number * tab_stop, 26 + (number + 1) * tab_stop))
            else:
                for offset, word in runs_of(line):
                    items.append(("text", 30 + offset * column, top, word, font_size))
    return pdf_bytes(pages)


def _merged_cells(rows: list[str], marker: str | None, lines_per_page: int):
    """For the runs of tab lines holding *marker*: (row, cell) → rows a merged cell spans, the
    (row, cell) positions it covers, and row → number of cells of each ruled row."""
    spans: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()
    ruled: dict[int, int] = {}
    if marker is None:
        return spans, covered, ruled
    index = 0
    while index < len(rows):
        if "\t" not in rows[index]:
            index += 1
            continue
        end = index
        while end < len(rows) and "\t" in rows[end]:
            end += 1
        run = range(index, end)
        starts = [i for i in run if marker in rows[i]]
        if starts:
            width = max(len(rows[i].split("\t")) for i in run)
            for i in run:
                ruled[i] = width
            for i in range(starts[0] + 1, end):
                cells = rows[i].split("\t") + [""] * width
                for number in range(width):
                    if cells[number].strip():
                        continue
                    owner = i - 1
                    while (owner, number) in covered:
                        owner -= 1
                    if owner <= starts[0] or owner // lines_per_page != i // lines_per_page or \
                            not (rows[owner].split("\t") + [""] * width)[number].strip():
                        continue
                    covered.add((i, number))
                    spans[(owner, number)] = spans.get((owner, number), 1) + 1
        index = end
    return spans, covered, ruled


def merged_table(left: float, top: float, widths: list[float], rows: list[list[str]], *,
                 merge: tuple[int, ...] = (), ruled: bool = True, valign: str = "centre",
                 size: float = 9.0, page_rows: int | None = None) -> list[list[tuple]]:
    """Pages of items of a table whose cells may wrap ("name\\npart two" prints two lines) and,
    in the columns *merge*, span rows: a blank cell there is merged with the cell above, and the
    merged cell's text is placed over its rows by *valign* ("top", "centre" or "bottom"), as a
    PDF prints 一级指标 over its group. *page_rows*: rows per page (a merged cell is cut by the
    break, the rows after it left blank). Ruled tables draw every cell's border (none inside
    a merged cell)."""
    line = size * 1.25
    pad = size * 0.5
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    heights = [max(len(c.split("\n")) for c in row if c) * line + 2 * pad if any(row) else line + 2 * pad
               for row in rows]
    pages: list[list[tuple]] = [[]]
    tops: list[tuple[int, float]] = []          # (page, top) of each row
    y = top
    for index, height in enumerate(heights):
        if page_rows and index and index % page_rows == 0:
            pages.append([])
            y = top
        tops.append((len(pages) - 1, y))
        y += height
    spans: dict[tuple[int, int], int] = {}
    for column in merge:
        owner = None
        for index, row in enumerate(rows):
            if row[column] or owner is None or tops[index][0] != tops[owner][0]:
                owner = index if row[column] else None
                if owner is not None:
                    spans[(owner, column)] = 1
            else:
                spans[(owner, column)] += 1
                spans[(index, column)] = 0        # covered
    for index, row in enumerate(rows):
        page, row_top = tops[index]
        items = pages[page]
        for column, text in enumerate(row):
            span = spans.get((index, column), 1)
            if span == 0:
                continue
            bottom = tops[index + span - 1][1] + heights[index + span - 1]
            parts = text.split("\n") if text else []
            block = len(parts) * line
            first = {"top": row_top + pad, "bottom": bottom - pad - block}.get(
                valign, (row_top + bottom - block) / 2)
            for number, part in enumerate(parts):
                items.append(("text", xs[column] + 3, first + number * line + (line - size) / 2,
                              part, size))
            if ruled:
                items.append(("vrule", xs[column], row_top, bottom))
                items.append(("vrule", xs[column + 1], row_top, bottom))
                items.append(("hrule", row_top, xs[column], xs[column + 1]))
                items.append(("hrule", bottom, xs[column], xs[column + 1]))
    return pages


def identity_pdf(runs, font: str = "SimSun", size: float = 9.0) -> bytes:
    """A PDF as Word writes one with fonts not embedded: a Type0 font named *font*, Identity-H,
    no font file, characters given by glyph number and read through a ToUnicode map. *runs*:
    (x, top, text) on an A4 page; each run is one text object."""
    chars = sorted({ch for _, _, text in runs for ch in text})
    # glyph numbers as in a real CJK font: thousands, past the glyphs of any Latin font
    cids = {ch: 20000 + index for index, ch in enumerate(chars)}
    content = "".join("BT /F1 %g Tf %g %g Td <%s> Tj ET\n" % (
        size, x, 842 - top - size, "".join("%04X" % cids[ch] for ch in text)) for x, top, text in runs)
    to_unicode = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
                  "1 begincodespacerange <0000> <FFFF> endcodespacerange %d beginbfchar\n%s\n"
                  "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end" % (
                      len(chars), "\n".join("<%04X> <%04X>" % (cids[ch], ord(ch)) for ch in chars)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        "/Contents 4 0 R >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [6 0 R] "
        "/ToUnicode 7 0 R >>" % font,
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>" % font,
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(to_unicode), to_unicode),
        "<< /Type /FontDescriptor /FontName /%s /Flags 6 /FontBBox [0 -141 996 855] /ItalicAngle 0 "
        "/Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>" % font,
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (number, body)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += ("trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)).encode()
    return out


def in_columns(items: list[tuple], columns: int, gutter: float = 24.0, *, full_title: bool = True,
               width: float = make_examples.WIDTH, margin: float = make_examples.MARGIN) -> list[tuple]:
    """A page of running text as :class:`Writer` writes it (a centred title, paragraphs wrapped
    at the page's width, their first line indented two characters, headings) set again in
    *columns* columns *gutter* apart, as a booklet typeset with 分栏 prints it: each paragraph
    wrapped again at the column's width, character by character (a figure may break over two
    lines), and the lines spread evenly over the columns, a column break falling wherever it
    falls (inside a sentence too). *full_title*: the title stays centred over all the columns;
    else it heads the first column."""
    texts = sorted((item for item in items if item[0] == "text"), key=lambda item: item[2])
    others = [item for item in items if item[0] != "text"]
    limit = width - 2 * margin
    column_width = (limit - (columns - 1) * gutter) / columns
    title = texts[0] if texts and texts[0][4] >= 14 and texts[0][1] > margin + 4 * texts[0][4] else None
    blocks: list[list] = []         # [first indent, size, text]: a paragraph or a heading
    previous = None
    for item in texts:
        if item is title and full_title:
            continue
        _, x, _, text, size = item
        filled = previous is not None and make_examples._width(previous[3], previous[4]) >= limit - 3 * size
        if previous is not None and abs(x - margin) < 1 and size == previous[4] and filled and blocks:
            blocks[-1][2] += text          # the paragraph's next line
        else:
            indent = 2 * size if abs(x - margin - 2 * size) < 1 else 0.0
            blocks.append([indent, size, text if item is not title else text])
        previous = item
    lines = []                      # (indent, size, text, heading) at the column's width
    for indent, size, text in blocks:
        heading = size > 11 or (indent == 0 and make_examples._width(text, size) < column_width)
        while size > 11 and make_examples._width(text, size) > column_width:
            size -= 0.5             # a heading set to fit its column, never wrapped
        lines += [(first, size, line, heading) for first, line in make_examples.wrap(text, size, column_width, indent)]
    top = margin
    out = list(others)
    if title is not None and full_title:
        out.append(("text", (width - make_examples._width(title[3], title[4])) / 2, top, title[3], title[4]))
        top += title[4] * 1.8
    total = sum(line[1] * 1.7 for line in lines)
    column_height = total / columns + 20.0
    column, y = 0, top
    for index, (indent, size, text, heading) in enumerate(lines):
        # a heading goes with the line after it (a typesetter never ends a column with one)
        following = lines[index + 1][1] * 1.7 if heading and index + 1 < len(lines) else 0.0
        if y - top + size * 1.7 + following > column_height and column < columns - 1:
            column, y = column + 1, top
        out.append(("text", margin + column * (column_width + gutter) + indent, y, text, size))
        y += size * 1.7
    return out
