"""PDF → :class:`~fiscalrules.document.model.Document`, with pypdfium2, one page at a time.

For each page: every character the PDF draws with its box (pdfium's advance boxes, so the
characters of one run touch and a gap means a new word), grouped into lines by their vertical
centre and into words by horizontal gaps; and the thin rectangles and rectangle edges it draws,
as ruling lines (tables take their column boundaries from them) -- the grouping is
:mod:`.pagelines`, which the OFD reader (:mod:`.ofd`) shares. A page whose text is drawn
turned by a quarter turn or a half (a landscape page turned inside a portrait PDF) has its boxes
and rules turned back first, so it reads as if drawn upright. Watermarks -- text objects set at a
slant (their matrix through any form's), or laid flat, large and faint over the other text -- are
set aside (:mod:`.watermarks`), kept per page in ``Document.watermarks``. Each page's pdfium
objects are closed before the next page is opened, so memory grows with the text read, not with the file.

Refusals are :class:`~fiscalrules.errors.ReaderError` naming the file: pypdfium2 not installed
(``pip install 'fiscalrules[pdf]'``), a file that is not a PDF or is damaged, an encrypted PDF, a
PDF with no text layer (a scan). Pages without text in an otherwise readable PDF are kept (empty)
and listed in ``Document.blank_pages`` so that readers can say they were not read.

What is read does not depend on the system's fonts (see :mod:`.pdffonts`: a fallback font for CJK
fonts the PDF does not embed; a character's box ends where the next one of its run starts), and
text pdfium's text layer still leaves out is counted per page in ``Document.unread_text``.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from ..document.model import Document, Rule
from ..errors import Location, ReaderError
from . import pdffonts, watermarks
from .bounded import MAX_PDF_BYTES
from .pagelines import PagesRead
from .source import read_file

__all__ = ["read_pdf", "MAX_PDF_BYTES"]

# Thinner than this (points) a drawn rectangle is a ruling line.
_RULE_THICKNESS = 2.5


def _pdfium(where: Location | None = None):
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError as exc:   # the pdf extra not installed (E703, as the CLI says for every extra)
        raise ReaderError('reading PDF needs pypdfium2: pip install "fiscalrules[pdf]"', where, code="E703") from exc
    pdffonts.install(raw)
    return pdfium, raw


def read_pdf(source: str | os.PathLike | bytes, name: str, label: str | None = None) -> Document:
    """Read a PDF (a path or its bytes) into the document model named *name*; errors name
    *label* (the path as given, by default *name*)."""
    label = label or name
    where = Location(file=label)
    pdfium, raw = _pdfium(where)
    if not isinstance(source, (bytes, bytearray)):
        # pdfium given the path would read whatever it is: a device or FIFO without end
        source = read_file(Path(source), MAX_PDF_BYTES)
    elif len(source) > MAX_PDF_BYTES:
        raise ReaderError(f"{label} is {len(source) // (1024 * 1024)} MiB, more than the "
                          f"{MAX_PDF_BYTES // (1024 * 1024)} MiB a disclosure PDF may have", where)
    try:
        pdf = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ReaderError(f"{label} is an encrypted PDF (password required); "
                              "give the unprotected document", where) from exc
        raise ReaderError(f"{label} is not a readable PDF (damaged or not a PDF): {message}",
                          where) from exc
    read = PagesRead()
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise ReaderError(f"{label}: page {index + 1} cannot be read: {exc}",
                                  where) from exc
            try:
                width, height = page.get_size()
                rules, texts, slanted = _page_objects(page, raw, height)
                chars, lost, turn, marks = _page_chars(page, raw, height, texts, slanted)
                if turn:
                    # a landscape page turned inside the PDF: read upright, its rules turned too
                    size, rules = _turned_page(page, turn, width, height, rules)
                    width, height = size
                read.add(index + 1, width, height, chars, rules, lost, marks)
            finally:
                page.close()
    finally:
        pdf.close()
    if not read.pages:
        raise ReaderError(f"{label} is a PDF without pages", where)
    if read.unread_text and pdffonts.cjk_drawn(pdfium):
        read.unread_text = []   # what pdfium left out held no character (pdffonts.cjk_drawn)
    if not read.lines and read.rotated_pages:
        raise ReaderError(f"{label}: the text of its pages runs turned (pages printed landscape "
                          "and rotated): it is not read; give the PDF with its pages upright", where)
    if not read.lines and read.unread_text:
        raise ReaderError(f"{label}: none of its text could be read: it is drawn in a font the PDF "
                          "does not embed, which this system lacks; install the font (for Chinese "
                          "text, a CJK font such as fonts-noto-cjk)", where)
    if not read.lines:
        raise ReaderError(f"{label} has no text layer (a scanned PDF?): none of its {len(read.pages)} "
                          "page(s) holds text; run OCR first", where)
    return read.document(name)


def _page_chars(page, raw, height: float, texts: list, slanted: set[int]
                ) -> tuple[list[tuple[str, float, float, float, float]], int, int, list[str]]:
    """(char, x0, top, x1, bottom, index) of every character the page draws, top-left origin of
    the page as its text reads upright, and its place in the page's text (the order it is drawn); how many of the page's text objects *texts* pdfium's text
    page left out (pdffonts.lost_objects); the quarter turns the text runs (:func:`_turn_of`:
    0 for an upright page, whose boxes are pdfium's as they are); and the text of the objects
    *slanted* (addresses: watermarks), set aside, not among the characters."""
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        # Only text in fonts the PDF does not embed has boxes from a substitute font (to clip)
        # or can be lost: a page all in embedded fonts skips both (a ctypes call per character).
        loose, cjk = pdffonts.not_embedded(raw, texts)
        objects = pdffonts.char_objects(raw, textpage, count) if loose or slanted else None
        lost = pdffonts.lost_objects(raw, textpage, cjk, objects)
        if count <= 0:
            return [], lost, 0, []
        # One call for the text: pdfium gives one UTF-16 unit per character index.
        text = textpage.get_text_range(0, count)
        if len(text) != count:          # a surrogate pair shifts the indices: one call each
            text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
        marks: dict[int, list[str]] = {}     # a watermark object's address -> its characters
        if slanted and objects:
            text = _without_marks(text, objects, slanted, marks)
        turn = _turn_of(raw, handle, text)
        upright = _upright(page, turn) if turn else None
        # pdfium's loose box of each character, called directly: pypdfium2's get_charbox
        # wrapper allocates a rectangle per call, and a page has thousands of characters.
        rect = raw.FS_RECTF()
        loose_box, is_generated = raw.FPDFText_GetLooseCharBox, raw.FPDFText_IsGenerated
        chars = []
        previous = -1               # the character index of chars[-1]
        for i, ch in enumerate(text):
            if ch < " " or ch in "\ufffe\uffff":
                continue
            if ch.isspace() and is_generated(handle, i) == 1:
                continue            # a space pdfium made up, not printed
            if not loose_box(handle, i, rect):
                continue
            if upright is None:
                left, right = rect.left, rect.right
                if right < left:
                    left, right = right, left
                top, bottom = height - rect.top, height - rect.bottom
            else:
                left, top, right, bottom = upright(rect.left, rect.bottom, rect.right, rect.top)
            if objects and previous >= 0 and objects[i] == objects[previous]:
                # A box's width is its glyph's advance in the font pdfium drew with -- a system
                # substitute when the PDF does not embed the font. The next character of the
                # same run starts where the PDF's own advance ends: no box reaches past it.
                last = chars[-1]
                if last[1] < left < last[3] and abs(last[4] - bottom) < 0.5:
                    chars[-1] = (last[0], last[1], last[2], left, last[4], last[5])
            chars.append((ch, left, top, right, bottom, i))
            previous = i
        big = watermarks.large(chars)
        if big:
            objects = objects or pdffonts.char_objects(raw, textpage, count)
            if objects:
                chars = _without_flat_marks(raw, chars, big, objects, texts, marks)
        return chars, lost, turn, ["".join(run) for run in marks.values()]
    finally:
        textpage.close()


def _without_flat_marks(raw, chars: list[tuple], big: list[int], objects: list[int], texts: list,
                        marks: dict[int, list[str]]) -> list[tuple]:
    """*chars* without the watermarks laid flat among them (:func:`.watermarks.laid_flat`: large,
    faint text objects over the page's other text; *objects*: each character's object's address,
    *texts*: the page's text objects); their characters collected in *marks*."""
    handles = {pdffonts.address(handle): handle for handle in texts}

    def faint(address: int) -> bool:
        handle = handles.get(address)
        if handle is None:
            return False
        mode = raw.FPDFTextObj_GetTextRenderMode(handle)
        if mode in (raw.FPDF_TEXTRENDERMODE_INVISIBLE, raw.FPDF_TEXTRENDERMODE_CLIP):
            return False        # (a scan's text layer, drawn invisible: the page's own text)
        colour = raw.FPDFPageObj_GetStrokeColor if mode in (
            raw.FPDF_TEXTRENDERMODE_STROKE, raw.FPDF_TEXTRENDERMODE_STROKE_CLIP) else raw.FPDFPageObj_GetFillColor
        red, green, blue, alpha = (raw.c_uint() for _ in range(4))
        if not colour(handle, red, green, blue, alpha):
            return False
        return watermarks.faint(red.value, green.value, blue.value, alpha.value)

    flat = watermarks.laid_flat(chars, big, lambda k: objects[chars[k][5]], faint)
    if not flat:
        return chars
    left_out = set()
    for run, positions in flat.items():
        marks.setdefault(run, []).extend(chars[k][0] for k in positions)
        left_out.update(positions)
    return [char for k, char in enumerate(chars) if k not in left_out]


def _without_marks(text: str, objects: list[int], slanted: set[int], marks: dict[int, list[str]]) -> str:
    """*text* with the characters of the objects *slanted* blanked (a control character: passed
    over as a character, and in the turn's sample); their characters collected in *marks*."""
    kept = list(text)
    for index, ch in enumerate(text):
        if objects[index] in slanted:
            marks.setdefault(objects[index], []).append(ch)
            kept[index] = "\0"
    return "".join(kept)


# Characters asked for their direction on each page (spread over the page's text): enough to
# tell a turned page, a few ctypes calls against the thousands a page's boxes take.
_TURN_SAMPLE = 48


def _turn_of(raw, handle, text: str) -> int:
    """The quarter turns (pdfium's character angle, clockwise: 1 = 90°, 3 = 270°) that most of
    the page's printed characters are drawn at -- a landscape page turned inside a portrait PDF
    (/Rotate 90 with its content drawn through a 90° transform, as "rotate pages" tools and
    scanner drivers leave it) draws all its text at 90° or 270° -- or 0 (upright, or no clear
    direction: the page is read as it is)."""
    printed = [i for i in range(0, len(text), max(1, len(text) // _TURN_SAMPLE))
               if not text[i].isspace() and text[i] >= " "]
    if len(printed) < 4:
        return 0
    angles = [raw.FPDFText_GetCharAngle(handle, i) for i in printed]
    turns = [round(angle / (math.pi / 2)) % 4 for angle in angles if angle >= 0]   # (-1: no angle)
    if not turns:
        return 0
    turn = max(set(turns), key=turns.count)
    return turn if turns.count(turn) >= 0.8 * len(turns) else 0


def _media(page) -> tuple[float, float]:
    """The page's width and height as its content is drawn (before /Rotate turns it)."""
    width, rotated_height = page.get_size()
    return (rotated_height, width) if page.get_rotation() in (90, 270) else (width, rotated_height)


def _upright(page, turn: int):
    """The box (x0, top, x1, bottom; top-left origin) a character box of PDF space (left,
    bottom, right, top) has on the page turned so that text drawn at *turn* quarter turns reads
    left to right, lines downwards."""
    width, high = _media(page)
    if turn == 3:           # text running up the page (drawn 90° counter-clockwise)
        return lambda left, bottom, right, top: (min(bottom, top), min(left, right),
                                                 max(bottom, top), max(left, right))
    if turn == 1:           # text running down the page
        return lambda left, bottom, right, top: (high - max(bottom, top), width - max(left, right),
                                                 high - min(bottom, top), width - min(left, right))
    return lambda left, bottom, right, top: (width - max(left, right), min(bottom, top),
                                             width - min(left, right), max(bottom, top))


def _turned_page(page, turn: int, width: float, height: float, rules: list[Rule]
                 ) -> tuple[tuple[float, float], list[Rule]]:
    """The size of a page read turned (:func:`_upright`) and its ruling lines turned with it
    (*rules* were placed upright on a page *height* high, as :func:`_page_objects` does)."""
    upright = _upright(page, turn)
    turned = []
    for rule in rules:
        if rule.vertical:       # x = position, top..bottom: PDF space y = height - top
            box = upright(rule.position, height - rule.end, rule.position, height - rule.start)
        else:
            box = upright(rule.start, height - rule.position, rule.end, height - rule.position)
        x0, top, x1, bottom = box
        if x1 - x0 < bottom - top:
            turned.append(Rule(True, round(x0, 1), round(top, 1), round(bottom, 1)))
        else:
            turned.append(Rule(False, round(top, 1), round(x0, 1), round(x1, 1)))
    media_width, media_height = _media(page)
    return ((media_height, media_width) if turn % 2 else (media_width, media_height)), turned


def _page_objects(page, raw, height: float) -> tuple[list[Rule], list, set[int]]:
    """The page's text objects; its ruling lines: thin filled or stroked rectangles, and the edges of larger rectangles drawn
    as four-sided paths (cell borders); and the addresses of its text objects set at a slant
    (watermarks: :func:`.watermarks.slanted`). Objects inside a form object are looked at down
    to the last level, placed by the forms' matrices. pdfium is called directly (no pypdfium2
    wrapper per object: a page may draw thousands)."""
    # pdfium writes the bounds into four floats (the bindings' own ctypes type)
    left_, bottom_, right_, top_ = raw.c_float(), raw.c_float(), raw.c_float(), raw.c_float()
    rules: list[Rule] = []
    get_object, get_type, get_bounds = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds
    get_matrix, matrix = raw.FPDFPageObj_GetMatrix, raw.FS_MATRIX()
    form, path, text = raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT
    texts = []
    slanted: set[int] = set()
    handle_of_page = page.raw
    # (each object with the linear part of the forms' matrices it is drawn through: a text
    # object's own matrix holds the page's transform, not its form's)
    handles = [(get_object(handle_of_page, i), _UPRIGHT) for i in range(raw.FPDFPage_CountObjects(handle_of_page))]
    for handle, within in handles:
        kind = get_type(handle)
        if kind == form:
            placed = _through(get_matrix(handle, matrix) and matrix, within)
            handles.extend((raw.FPDFFormObj_GetObject(handle, i), placed)
                           for i in range(raw.FPDFFormObj_CountObjects(handle)))
            continue
        if kind == text:
            texts.append(handle)
            if get_matrix(handle, matrix):
                a, b, _, _ = _through(matrix, within)
                if watermarks.slanted(a, b):
                    slanted.add(pdffonts.address(handle))
        if kind != path:
            continue
        if not get_bounds(handle, left_, bottom_, right_, top_):
            continue
        left, bottom, right, top = left_.value, bottom_.value, right_.value, top_.value
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        w, h = x1 - x0, y1 - y0
        if w <= _RULE_THICKNESS and h > _RULE_THICKNESS:
            rules.append(Rule(True, round((x0 + x1) / 2, 1), round(y0, 1), round(y1, 1)))
        elif h <= _RULE_THICKNESS and w > _RULE_THICKNESS:
            rules.append(Rule(False, round((y0 + y1) / 2, 1), round(x0, 1), round(x1, 1)))
        elif w > _RULE_THICKNESS and h > _RULE_THICKNESS and 4 <= raw.FPDFPath_CountSegments(handle) <= 6:
            rules.extend((Rule(True, round(x0, 1), round(y0, 1), round(y1, 1)),
                          Rule(True, round(x1, 1), round(y0, 1), round(y1, 1)),
                          Rule(False, round(y0, 1), round(x0, 1), round(x1, 1)),
                          Rule(False, round(y1, 1), round(x0, 1), round(x1, 1))))
    return rules, texts, slanted


_UPRIGHT = (1.0, 0.0, 0.0, 1.0)


def _through(matrix, within: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The linear part (a, b, c, d) of pdfium's *matrix* (None: the identity) followed by *within*."""
    if not matrix:
        return within
    a, b, c, d = within
    return (matrix.a * a + matrix.b * c, matrix.a * b + matrix.b * d,
            matrix.c * a + matrix.d * c, matrix.c * b + matrix.d * d)
