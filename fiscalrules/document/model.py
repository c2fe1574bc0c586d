"""The document model every reader works on, for text and PDF input alike.

A :class:`Document` is a list of :class:`Line` objects numbered from 1 through the whole document,
grouped into :class:`Page` objects. A line keeps its original text and a normalised form:
normalising maps each character to exactly one character (full-width digits, letters and
punctuation to ASCII, ideographic spaces to spaces), so a column in the normalised line is the
same column in the original one. A line is also a row of :class:`Word` objects with a horizontal
extent, so that one table algorithm serves every input:

* from a PDF, words are runs of characters without a gap, with their boxes in points (origin at
  the top left of the page, y growing downwards), and every character of the line keeps its box;
* from text, ``x`` is the display column (a CJK character counts two columns, as on screen), so
  tables aligned with spaces line up exactly as they look; in a tab-separated line each tab cell
  is one word and its ``x`` is the cell's index (the tab stops are the columns).

Pages also keep the ruling lines drawn on them (:class:`Rule`), from which tables take their
column boundaries when a PDF draws them. Page numbers and running headers or footers repeated on
most pages are *noise*: they stay in the model (line numbers never shift) but no reader sees them.

The running text of a range of lines is a :class:`~.stream.Stream` (``Document.stream``).
"""

from __future__ import annotations

import re
import unicodedata
from array import array

from .furniture import page_numbers, repeated_titles, running_lines

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, Sequence
    from .stream import Stream

__all__ = ["normalise", "compact", "display_width", "char_columns", "Word", "Line", "Rule", "Page", "Document",
           "Box", "union"]

Box = tuple[float, float, float, float]        # x0, top, x1, bottom (points; PDF input only)

_TRANSLATION = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TRANSLATION.update({
    0x3000: ord(" "),   # ideographic space
    0x00A0: ord(" "),   # no-break space
    0x2212: ord("-"),   # minus sign
    0x2013: ord("-"),   # en dash (page numbers "– 3 –", date ranges)
    0xFE50: ord(","),   # small comma
    0xFE52: ord("."),   # small full stop
    0x2030: ord("%"),   # per mille is never meant in these documents; a mis-encoded %
})
_NON_SPACE = re.compile(r"\S+")
_FULL_WIDTH_DIGIT = re.compile("[０-９]")
# (the part of _TRANSLATION a figure is written with: a PDF word's digits and their marks, Line)
_FIGURE_MARKS = {ord(c): _TRANSLATION[ord(c)] for c in "０１２３４５６７８９．，－％＋"}
# Any character _TRANSLATION maps: most lines hold none, and str.translate looks every character
# up in the table (a tenth of opening a text) where the regular expression scans in C.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TRANSLATION)) + "]")


def normalise(text: str) -> str:
    """Map full-width forms to ASCII, one character to one character."""
    return text.translate(_TRANSLATION) if _TRANSLATED.search(text) else text


def _normalised(text: str) -> str:
    """:func:`normalise` of a long text: each character of the table that the text holds (a
    handful) replaced throughout, a pass in C each, instead of a table look-up per character."""
    for found in set(_TRANSLATED.findall(text)):
        text = text.replace(found, chr(_TRANSLATION[ord(found)]))
    return text


def compact(text: str) -> str:
    """Normalise and drop all whitespace: for comparing labels and headings."""
    return "".join(normalise(text).split())   # (str.split() splits on what \s matches)


def display_width(ch: str) -> int:
    """Columns a character takes on screen: two for wide (CJK) characters, else one."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def union(boxes: Iterable[Box | None]) -> Box | None:
    """The smallest box holding every given box (None when there is none)."""
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    found = False
    for box in boxes:
        if box is None:
            continue
        found = True
        x0, top = min(x0, box[0]), min(top, box[1])
        x1, bottom = max(x1, box[2]), max(bottom, box[3])
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)) if found else None


class Word:
    """A run of characters without a gap: text, horizontal extent, and its columns in the line.

    ``start``/``end`` index the line's text, so a word can be turned back into original text and,
    for PDFs, into character boxes.
    """

    __slots__ = ("text", "x0", "x1", "start", "end")

    def __init__(self, text: str, x0: float, x1: float, start: int, end: int):
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.x0:g}-{self.x1:g})"


class Line:
    """One line: its number in the document (1-based), page, original and normalised text
    (*text*, when the caller has normalised the line already: see :func:`_text_lines`).

    ``boxes`` (PDF input) holds four floats per character of the line (x0, top, x1, bottom;
    a space put between two words has the gap as its box).
    """

    __slots__ = ("number", "page", "original", "text", "letter_spaced", "boxes", "_words",
                 "compact", "blank", "_full_box")

    def __init__(self, number: int, original: str, *, page: int = 1,
                 words: list[Word] | None = None, boxes: array | None = None, text: str | None = None):
        self.number = number
        self.page = page
        if text is None:
            original = original.rstrip("\r\n")
            text = normalise(original)
        # (else *text* is normalise(original), done for the whole document at once: _text_lines)
        self.original = original
        self.text = text
        # The words between white space (what \s matches is what str.split() splits on), split
        # once for both the letter-spacing test and the compact text.
        tokens = text.split()
        # (_letter_spaced's first test inline: most lines have fewer than six words)
        self.letter_spaced = len(tokens) >= 6 and _letter_spaced(text, tokens)
        self.boxes = boxes
        if words is not None and text is not original:
            # (a PDF's words are cut from the characters as printed: a figure or code in full-width
            # digits -- "２，３９４．８１", "２０８", as some office software exports a table's cells -- was
            # read as none.  Its digits and their marks are read as ASCII; a word's other characters,
            # which the table readers match as printed ("其中：", "（护）"), are kept.)
            for word in words:
                if _FULL_WIDTH_DIGIT.search(word.text):
                    word.text = word.text.translate(_FIGURE_MARKS)
        self._words = words
        # Plain attributes, not properties: readers ask for them thousands of times per document
        # (every noise test asks for blank), and a property is a Python call each time.
        self.compact = "".join(tokens)   # the text without white space (as compact() leaves it)
        self.blank = not self.compact
        self._full_box: Box | None | bool = False     # False: not computed yet

    @property
    def words(self) -> list[Word]:
        """The line's words; for text lines computed on first use from display columns."""
        if self._words is None:
            self._words = _text_words(self.text, self.original)
        return self._words

    def box(self, start: int = 0, end: int | None = None) -> Box | None:
        """The box of characters ``start``..``end`` (PDF input; None for text)."""
        if self.boxes is None:
            return None
        size = len(self.text)
        end = size if end is None else min(end, size)
        start = max(start, 0)
        if start == 0 and end == size:
            # The whole line's box is asked for again and again (its top and bottom place it
            # in tables; every figure's source falls back to it): computed once.
            if self._full_box is False:
                self._full_box = _span_box(self.boxes, 0, size)
            return self._full_box       # type: ignore[return-value]
        return _span_box(self.boxes, start, end)

    @property
    def top(self) -> float:
        """Vertical position: points for PDFs, the line number for text."""
        box = self.box()
        return box[1] if box else float(self.number)

    @property
    def bottom(self) -> float:
        box = self.box()
        return box[3] if box else float(self.number) + 1

    def moved(self, number: int, page: int) -> "Line":
        """This line numbered *number* on page *page* (a part of a file, numbered as a file of
        its own: Document.part); its text, words and boxes shared."""
        line = Line.__new__(Line)
        for name in Line.__slots__:
            setattr(line, name, getattr(self, name))
        line.number, line.page = number, page
        return line

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.original!r})"


def _span_box(boxes: array, start: int, end: int) -> Box | None:
    """The union of the character boxes start..end, skipping zero-width ones (a plain loop:
    this is the hottest code of a PDF read)."""
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    for i in range(4 * start, 4 * end, 4):
        left, upper, right, lower = boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]
        if right <= left:
            continue
        if left < x0:
            x0 = left
        if right > x1:
            x1 = right
        if upper < top:
            top = upper
        if lower > bottom:
            bottom = lower
    if x1 == float("-inf"):
        return None
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def printed_in_pdf(lines: Iterable[Line]) -> bool:
    """Whether *lines* (a table's) were read from a PDF, their words placed on the page -- asked of
    the lines, not of the document: one disclosure read from several files (Document.joined) may
    hold a PDF's tables and a text's."""
    return any(line.boxes is not None for line in lines)


def char_columns(line: Line) -> Line:
    """A text line as one whose words stand at their character offsets (every character one
    column) instead of their display columns: the alignment ``pdftotext -layout`` writes, which
    places each character, CJK or not, in one column -- so that a table's columns line up there
    whatever the width of the names before them.  A tab-separated line or a PDF line as it is."""
    if line.boxes is not None or "\t" in line.text:
        return line
    # (the form feed that starts a page's first line takes no column: that line's words stood one
    # column right of the page's others)
    feeds = len(line.text) - len(line.text.lstrip("\f"))
    words = [Word(w.text, float(w.start - feeds), float(w.end - feeds), w.start, w.end) for w in line.words]
    return Line(line.number, line.original, page=line.page, words=words, text=line.text)


def _text_words(text: str, printed: str | None = None) -> list[Word]:
    """Words of a text line: tab cells (x = cell index), else whitespace-separated runs with
    their display columns -- the columns of the line as *printed*: normalising maps a full-width
    character ("（", "："), two columns wide, to its one-column ASCII form, and the words after it
    then stood left of the column they are printed under ("（一）一般公共预算拨款  19,896,789.00"
    under "预算数": the figure two columns short per bracket pair)."""
    if printed is None or len(printed) != len(text):
        printed = text      # (normalising maps one character to one: never so, but never wrong)
    words: list[Word] = []
    if "\t" in text:
        position = 0
        for index, cell in enumerate(text.split("\t")):
            stripped = cell.strip()
            if stripped:
                start = position + cell.index(stripped)
                words.append(Word(stripped, float(index), index + 0.5, start, start + len(stripped)))
            position += len(cell) + 1
        return words
    # A run at a time (re's \S is not str.isspace(): the same characters), its columns the widths
    # of the characters before it added up in C: an ASCII line's characters are one column each.
    width = len if printed.isascii() else _width_of
    column = position = 0
    for found in _NON_SPACE.finditer(text):
        start, end = found.span()
        if start > position:
            column += width(printed[position:start])
        word = found.group()
        x1 = column + width(printed[start:end])
        words.append(Word(word, float(column), float(x1), start, end))
        column, position = x1, end
    return words


class _Widths(dict):
    """Display columns per character (:func:`display_width`), filled as characters are met.

    Bounded like :data:`fiscalrules.readtexts.READ`: a hostile text holding every code point
    would otherwise leave a million entries held for the life of the process; a real document
    meets a few thousand distinct characters, far below the bound."""

    LIMIT = 1 << 14

    def __missing__(self, ch: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        width = self[ch] = display_width(ch)
        return width


_WIDTHS = _Widths()


def _width_of(text: str) -> int:
    """Columns *text* takes on screen (the sum of :func:`display_width` over its characters)."""
    return sum(map(_WIDTHS.__getitem__, text))


def _letter_spaced(text: str, tokens: list[str]) -> bool:
    """True for lines printed with a space after every character ("预 算 安 排 3 2 9 . 9 4"):
    there a single space means nothing, not even between digits, and only a wider gap is a
    real space.  *tokens* are ``text.split()``."""
    if len(tokens) < 6 or "\t" in text:
        return False
    return sum(1 for t in tokens if len(t) == 1) >= 0.85 * len(tokens)


class Rule:
    """A ruling line drawn on a page: vertical (``x``, from ``top`` to ``bottom``) or horizontal
    (``y``, from ``x0`` to ``x1``); coordinates in points as for boxes."""

    __slots__ = ("vertical", "position", "start", "end")

    def __init__(self, vertical: bool, position: float, start: float, end: float):
        self.vertical = vertical
        self.position = position
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Rule({'x' if self.vertical else 'y'}={self.position:g}, {self.start:g}-{self.end:g})"


class Page:
    """One page: its number, size (points; 0 for text), the range of its lines, its rules."""

    __slots__ = ("number", "width", "height", "first", "last", "rules")

    def __init__(self, number: int, first: int, last: int, width: float = 0.0,
                 height: float = 0.0, rules: Sequence[Rule] = ()):
        self.number = number
        self.first = first
        self.last = last
        self.width = width
        self.height = height
        self.rules = list(rules)

    def __repr__(self) -> str:
        return f"<Page {self.number} lines {self.first}-{self.last}>"


class Document:
    """The lines of one document, addressable by 1-based line number, and its pages.

    ``kind`` is ``"text"`` or ``"pdf"``. Text input has one page unless it holds form feeds.
    """

    def __init__(self, text: str | None, name: str, *, lines: list[Line] | None = None,
                 pages: list[Page] | None = None, kind: str = "text",
                 noise: tuple[set[int], set[int]] | None = None):
        """*noise*: the page-number lines and running headers where already known (the files of
        a joined document, each its own), instead of found again over all the lines."""
        self.name = name
        self.kind = kind
        if lines is None:
            lines, pages = _text_lines(text or "")
        self.lines = lines
        self.pages = pages or [Page(1, 1, len(lines))]
        # Pages of a PDF that hold no text (scanned images): nothing on them could be read.
        self.blank_pages: list[int] = []
        # Text a PDF draws that could not be read, per page: (page, pieces) -- CJK characters
        # of a font neither embedded nor found on the system (inputs/pdf.py).
        self.unread_text: list[tuple[int, int]] = []
        self.rotated_pages: list[int] = []    # PDF pages whose text runs turned: not read
        # A workbook's sheets (pages) holding formulas saved without their values, read blank:
        # (page, sheet, cells) (inputs/xlsx.py)
        self.unsaved_formulas: list[tuple[int, str, list[str]]] = []
        # PDF pages with a band that may be text set in columns, not told apart from a table:
        # its rows read in parts, one per side of the gap (inputs/pdfcolumns.py)
        self.column_pages: list[int] = []
        # PDF lines read in a region of their page's width (x0, x1): tables printed side by
        # side (inputs/pdfregions.py), a column of text set in columns (inputs/pdfcolumns.py);
        # only the rules within the region cross them.
        self.regions: dict[int, tuple[float, float]] = {}
        # Watermarks a paged document's pages draw, set aside, not read as its text: (page, their
        # text, each run once) -- text set at a slant across the content (inputs/watermarks.py)
        self.watermarks: list[tuple[int, str]] = []
        self.path: str | None = None          # the file it was read from, if any
        # A part of a file (Document.part): how far its numbering is from the file's
        self._paged: bool | None = None
        self.line_offset = self.page_offset = 0
        self.first_page_line = 1
        # Several files read as one (Document.joined): each file's (first line, last line, pages
        # before its first, whether it is paged alone, its name); None for one file
        self.files: list[tuple[int, int, int, bool, str]] | None = None
        self._crossing: dict[int, tuple[float, ...]] = {}
        self._streams: dict[tuple, Stream] = {}   # (first, last, skip, columns) → Stream: see stream()
        if noise is not None:
            self._page_numbers, self._running = noise
        else:
            self._page_numbers = page_numbers(self.lines)
            self._running = running_lines(self) if len(self.pages) >= 3 else set()
            # (a table's title printed again over the page it goes on to: furniture as its "续表" is)
            self._running |= repeated_titles(self, self._page_numbers | self._running)
        # The lines is_noise() says are noise but for blank ones: a loop over every line asks
        # ``line.blank or line.number in doc.noise_numbers`` without a call per line.
        self.noise_numbers = frozenset(self._page_numbers | self._running)

    def part(self, first: int, last: int) -> "Document":
        """The document of lines *first*..*last* alone: one disclosure of a file that holds several
        (readers/parts.py), numbered from 1 as a file of its own -- its page numbers, running
        headers and PDF notes (blank, rotated, unread pages) its own -- so reading it costs what
        its lines cost, not the file's.  ``line_offset`` / ``page_offset`` say how far its lines and
        pages are from the file's (what is read from it is moved back by them:
        :func:`fiscalrules.readers.parts.in_the_file`), ``first_page_line`` where its first line
        stands on its first page.  Pages without lines (scanned) between two parts are the first's."""
        first_page = 1 if first == 1 else self.lines[first - 1].page
        last_page = len(self.pages) if last >= len(self.lines) else max(self.lines[last - 1].page,
                                                                         self.lines[last].page - 1)
        line_offset, page_offset = first - 1, first_page - 1
        lines = [line.moved(line.number - line_offset, line.page - page_offset) for line in self.lines[first - 1:last]]
        pages = [Page(page.number - page_offset, max(page.first, first) - line_offset,
                      min(page.last, last) - line_offset, page.width, page.height, page.rules)
                 for page in self.pages[first_page - 1:last_page]]
        part = Document(None, self.name, lines=lines, pages=pages, kind=self.kind)
        part._paged = self.paged
        part.line_offset, part.page_offset = line_offset, page_offset
        part.first_page_line = first - self.pages[first_page - 1].first + 1 if first > 1 else 1
        within = range(first_page, last_page + 1)
        part.blank_pages = [n - page_offset for n in self.blank_pages if n in within]
        part.unread_text = [(n - page_offset, pieces) for n, pieces in self.unread_text if n in within]
        part.rotated_pages = [n - page_offset for n in self.rotated_pages if n in within]
        part.unsaved_formulas = [(n - page_offset, *rest) for n, *rest in self.unsaved_formulas if n in within]
        part.column_pages = [n - page_offset for n in self.column_pages if n in within]
        part.regions = {n - line_offset: region for n, region in self.regions.items() if first <= n <= last}
        part.watermarks = [(n - page_offset, text) for n, text in self.watermarks if n in within]
        part.path = self.path
        return part

    @classmethod
    def joined(cls, documents: list["Document"], name: str) -> "Document":
        """*documents* one after another as one document, each starting a page of its own: one
        disclosure published in several files (its narrative and its tables apart), read as
        one.  Each file's page numbers, running headers and PDF notes are those it has alone;
        ``files`` says where each stands (what is read is moved back to each file's numbering:
        :func:`fiscalrules.readers.joined.in_their_files`).  PDFs and texts may be joined: each
        line keeps what it was read from (a PDF line its boxes)."""
        lines: list[Line] = []
        pages: list[Page] = []
        files = []
        for doc in documents:
            line_offset, page_offset = len(lines), len(pages)
            lines += [line.moved(line.number + line_offset, line.page + page_offset) for line in doc.lines]
            pages += [Page(page.number + page_offset, page.first + line_offset, page.last + line_offset,
                           page.width, page.height, page.rules) for page in doc.pages]
            files.append((line_offset, page_offset, doc))
        # ("pdf" where any is: a table is told read from a PDF by its lines' boxes, printed_in_pdf)
        kind = "pdf" if any(doc.kind == "pdf" for doc in documents) else "text"
        noise = ({n + line_offset for line_offset, _, doc in files for n in doc._page_numbers},
                 {n + line_offset for line_offset, _, doc in files for n in doc._running})
        whole = cls(None, name, lines=lines, pages=pages, kind=kind, noise=noise)
        for line_offset, page_offset, doc in files:
            whole.blank_pages += [n + page_offset for n in doc.blank_pages]
            whole.unread_text += [(n + page_offset, pieces) for n, pieces in doc.unread_text]
            whole.rotated_pages += [n + page_offset for n in doc.rotated_pages]
            whole.unsaved_formulas += [(n + page_offset, *rest) for n, *rest in doc.unsaved_formulas]
            whole.column_pages += [n + page_offset for n in doc.column_pages]
            whole.regions.update((n + line_offset, region) for n, region in doc.regions.items())
            whole.watermarks += [(n + page_offset, text) for n, text in doc.watermarks]
        # (each file by its path where it has one: the files of a disclosure may stand in several
        # folders, and a report links each figure to its file)
        whole.files = [(line_offset + 1, line_offset + len(doc.lines), page_offset, doc.paged, doc.path or doc.name)
                       for line_offset, page_offset, doc in files]
        return whole

    @property
    def paged(self) -> bool:
        """Whether pages mean something (a PDF, or text with form feeds; a part of a file as the file)."""
        if self._paged is not None:
            return self._paged
        return self.kind == "pdf" or len(self.pages) > 1

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def is_noise(self, number: int) -> bool:
        """A blank line, a page number, or a running header/footer: not part of any phrase."""
        return self.lines[number - 1].blank or number in self._page_numbers or number in self._running

    def rules_crossing(self, line: Line) -> tuple[float, ...]:
        """x of the vertical rules drawn across *line*'s middle, sorted (PDF pages that draw
        them; empty for text). Asked for every line of every table, so kept per line."""
        found = self._crossing.get(line.number)
        if found is None:
            if line.boxes is None:
                found = ()
            else:
                middle = (line.top + line.bottom) / 2
                found = tuple(sorted(rule.position for rule in self.page(line.page).rules
                                     if rule.vertical and rule.start <= middle <= rule.end))
                region = self.regions.get(line.number) if self.regions else None
                if region is not None:
                    found = tuple(x for x in found if region[0] <= x <= region[1])
            self._crossing[line.number] = found
        return found

    def content_lines(self, first: int = 1, last: int | None = None) -> list[Line]:
        last = len(self.lines) if last is None else last
        if first < 1 or last > len(self.lines):   # (line() of a number out of range, as asked)
            return [self.line(n) for n in range(first, last + 1) if not self.is_noise(n)]
        # is_noise() inline: asked of every line of every stream and paragraph
        noise = self.noise_numbers
        return [line for n, line in enumerate(self.lines[first - 1:last], first) if not (line.blank or n in noise)]

    def stream(self, first: int = 1, last: int | None = None, skip: Iterable[int] = (),
               first_column: int = 0, last_column: int | None = None) -> "Stream":
        """The running text of lines *first*..*last*, minus noise and the lines in *skip*;
        *first_column* / *last_column* cut the first line's head / the last line's tail (a
        heading with its content on the same line)."""
        skipped = frozenset(skip)
        last = len(self.lines) if last is None else last
        key = (first, last, skipped, first_column, last_column)
        found = self._streams.get(key)
        if found is None:
            # Made once per document and range: readers ask again for the same sections' text
            # (a budget asks 73 times for 51 streams), and nobody changes a stream once made.
            from .stream import Stream
            lines = [l for l in self.content_lines(first, last) if l.number not in skipped]
            bounds = {first: (first_column, None)}
            if last_column is not None:
                bounds[last] = (bounds.get(last, (0, None))[0], last_column)
            found = self._streams[key] = Stream.from_lines(self, lines, bounds)
        return found

    def excerpt(self, first: int, last: int | None = None) -> str:
        """The original text of whole lines *first*..*last*, wrapped lines joined."""
        last = first if last is None else last
        return "".join(l.original.strip() for l in self.content_lines(first, last))


_GLUED_PAGE = re.compile(r"(?<=[^\n\f])\f")   # a form feed after text on its line


def _text_lines(text: str) -> tuple[list[Line], list[Page]]:
    """Lines of a text; a line holding a form feed (``pdftotext`` writes one where a page
    begins) starts a new page.  A form feed inside a line starts a line there: page texts joined
    by form feeds alone (pdfplumber's, ``"\\f".join``) put a page's last line and the next page's
    first on one line -- the heading that opens the page no heading then.  (Such a text's lines
    are counted as split; a figure's place is shown as the line of its page, which the split
    makes right.)"""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        text = _GLUED_PAGE.sub("\n\f", text)
    raw = text.split("\n")
    # Every line normalised at once: normalise() maps one character to one, and no line break to
    # anything, so the normalised text splits into the same lines.  (Line by line, str.translate
    # looked up every character of most lines, which nearly all hold some full-width punctuation.)
    normalised = _normalised(text).split("\n")
    lines: list[Line] = []
    pages: list[Page] = []
    page, first = 1, 1
    for index, content in enumerate(raw):
        number = index + 1
        if "\f" in content and lines:
            pages.append(Page(page, first, number - 1))
            page, first = page + 1, number
        lines.append(Line(number, content, page=page, text=normalised[index]))
    pages.append(Page(page, first, len(lines)))
    return lines, pages
