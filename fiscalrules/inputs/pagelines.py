"""Characters and ruling lines of a laid-out page → the page's lines, as every paged reader
(:mod:`.pdf`, :mod:`.ofd`) gives them to the document model.

A reader hands each page's characters -- ``(char, x0, top, x1, bottom, order)``: its box in
points, origin at the page's top left, y growing downwards, and its place in the order the page
draws them -- and its ruling lines (:class:`~fiscalrules.document.model.Rule`) to
:meth:`PagesRead.add`. Here they are grouped into rows by their vertical centres, each row left
to right (runs drawn over one another kept whole), into words by horizontal gaps (letter-spaced
cells joined again: :mod:`.pdfspacing`), and the page into regions where it sets text in columns
(:mod:`.pdfcolumns`) or tables side by side (:mod:`.pdfregions`). A page whose characters come
out stacked one under another (text running turned) is listed, not read as garbage.
"""

from __future__ import annotations

from array import array
from functools import partial

from ..document.model import Document, Line, Page, Rule, Word
from . import pdfcolumns, pdfregions, pdfspacing, watermarks

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Sequence

__all__ = ["PagesRead", "page_lines", "built", "stacked"]

# A gap wider than this fraction of the character height starts a new word.
_WORD_GAP = 0.2
# Characters whose vertical centres differ by less than this fraction of the height share a line.
_LINE_TOLERANCE = 0.35
# Characters overlapping by more than this fraction of the height belong to two runs of text
# drawn over one another (a cell's text running on over the next cell's).
_OVERLAP = 0.25

def page_lines(chars: list[tuple], rules: list[Rule]
                ) -> tuple[list[tuple[str, list[Word], array, tuple[float, float] | None]], bool]:
    """The page's lines in reading order, each with the horizontal region it was read in (None:
    the whole width; two tables printed side by side are two regions, see :mod:`.pdfregions`;
    each column of text set in columns is one, see :mod:`.pdfcolumns`); and whether a band of
    the page may be set in columns that could not be told apart (its rows read in parts)."""
    verticals = [rule for rule in rules if rule.vertical]
    build = partial(built, verticals=verticals)
    rows, lines = build(chars)
    if len(rows) < 3:
        return [(*line, None) for line in lines], False
    pieces = pdfcolumns.split_columns(rows, lines, rules, build)
    if pieces is None:
        pieces = [(rows, lines, None, True)]
    out = []
    for piece_rows, piece_lines, region, _ in pieces:
        if region is not None or len(piece_rows) < 3:
            out.extend((*line, region) for line in piece_lines)
        else:
            out.extend((*line, part) for line, part in pdfregions.split_rows(piece_rows, piece_lines, rules, build))
    return out, not all(piece[3] for piece in pieces)


def built(chars: list[tuple], verticals: Sequence[Rule] = ()
           ) -> tuple[list[list[tuple]], list[tuple[str, list[Word], array]]]:
    """The rows of characters that print something (:func:`_rows`), left to right, and the
    line built from each (*verticals*: the page's vertical rules, :func:`_line`)."""
    rows = [_left_to_right(row) for row in _rows(chars) if any(not c[0].isspace() for c in row)]
    return rows, [_line(row, verticals) for row in rows]


def _left_to_right(row: list[tuple]) -> list[tuple]:
    """A row's characters left to right. Text a cell is too narrow for runs on over its
    neighbour's in a PDF that does not clip it (WPS, some report servers: "一般公共预算财政拨款"
    over "政府性基金预算财政拨款" in a 收支总表's header): sorted by position alone, the two cells'
    characters would interleave ("…财政政拨府款性…"). Where runs overlap, each run -- characters
    drawn one after another, each where the previous one ends -- is kept whole, the runs put in
    the order they start and parted by a space (two words, each centred over its own cell)."""
    by_position = sorted(row, key=lambda c: c[1])
    # (nearly every row: no character starts before the previous one ends -- no height to sort for)
    if all(b[1] >= a[3] for a, b in zip(by_position, by_position[1:])):
        return by_position
    heights = sorted(c[4] - c[2] for c in row if not c[0].isspace())
    height = max(heights[len(heights) // 2], 1.0)
    if all(b[1] >= a[3] - _OVERLAP * height for a, b in zip(by_position, by_position[1:])):
        return by_position
    runs: list[list[tuple]] = []
    for char in sorted(row, key=lambda c: c[5]):
        last = runs[-1][-1] if runs else None
        # (a character drawn right of the previous one's start goes on its run: a full-width bracket's box, wider
        # than the compressed advance Word gives it, overlaps the next character of the same run)
        if last is not None and last[1] < char[1] <= last[3] + _OVERLAP * height:
            runs[-1].append(char)
        else:
            runs.append([char])
    runs.sort(key=lambda run: run[0][1])
    ordered: list[tuple] = []
    for run in runs:
        if ordered and run[0][1] < ordered[-1][3] - _OVERLAP * height:
            x = ordered[-1][3]
            ordered.append((" ", x, run[0][2], x, run[0][4], -1))
        ordered.extend(run)
    return ordered


def _rows(chars: list[tuple]) -> list[list[tuple]]:
    """Characters grouped into rows by their vertical centres, top to bottom."""
    chars = sorted(chars, key=lambda c: ((c[2] + c[4]) / 2, c[1]))
    rows: list[list[tuple]] = []
    centre = size = 0.0
    for char in chars:
        mid, tall = (char[2] + char[4]) / 2, char[4] - char[2]
        if rows and abs(mid - centre) <= _LINE_TOLERANCE * max(size, tall, 1.0):
            rows[-1].append(char)
            continue
        rows.append([char])
        centre, size = mid, tall
    return rows


def stacked(page_lines: list) -> bool:
    """A page whose characters still run vertically once turned upright (:func:`.pdf._turn_of`,
    :func:`.ofd._upright`: upright characters set one under another, or no clear direction) comes
    out as pieces of one character each ("0 0 0", "收", ". . ."): read as lines it is garbage. (An upright page's pieces are
    mostly longer: names, amounts.)  Pieces of punctuation alone are not counted: a 目录's leaders, Word's
    ". . . . ." (each dot a piece), are no character stacked -- the contents pages were listed as turned.
    The pieces are the characters as set, before letter-spaced ones are joined (a column of stacked
    characters is at one pitch, as a spread title is). A page of letter-spaced cells (分散对齐) has
    mostly one-character pieces too, but its figures are printed whole: where more figures are
    (runs of two or more digits) than digits alone, the page is upright."""
    lengths = []
    whole_figures = lone_digits = 0
    for _, words, boxes, _ in page_lines:
        # (the gap that parts two pieces, as _line took it: of the line's middle character height)
        heights = sorted(boxes[4 * i + 3] - boxes[4 * i + 1] for word in words for i in range(word.start, word.end))
        gap_limit = _WORD_GAP * max(heights[len(heights) // 2], 1.0) if heights else 0.0
        for word in words:
            for piece in _set_apart(word, boxes, gap_limit):
                if any(c.isalnum() for c in piece):
                    lengths.append(len(piece))
                    digits = sum(1 for c in piece if c.isdigit())
                    if digits >= 2:
                        whole_figures += 1
                    elif digits and len(piece) == 1:
                        lone_digits += 1
    if len(lengths) < 30 or sum(1 for n in lengths if n == 1) < 0.8 * len(lengths):
        return False
    return whole_figures <= lone_digits


def _set_apart(word: Word, boxes: array, gap_limit: float) -> list[str]:
    """*word*'s pieces as its characters were set: cut where a gap wider than *gap_limit* parts
    two (a letter-spaced word, :mod:`.pdfspacing`, comes apart)."""
    pieces = []
    start = word.start
    for index in range(word.start + 1, word.end):
        if boxes[4 * index] - boxes[4 * index - 2] > gap_limit:
            pieces.append(word.text[start - word.start:index - word.start])
            start = index
    pieces.append(word.text[start - word.start:])
    return pieces


def _line(chars: list[tuple], verticals: Sequence[Rule] = ()) -> tuple[str, list[Word], array]:
    """Text, words and per-character boxes of one line; a space is put between words. Pieces
    (characters without a gap) of one letter-spaced cell or title are one word (:mod:`.pdfspacing`;
    *verticals*: the page's vertical rules, which part a row into cells)."""
    heights = sorted(c[4] - c[2] for c in chars)
    height = max(heights[len(heights) // 2], 1.0)
    gap_limit = _WORD_GAP * height
    pieces: list[list[tuple]] = []
    piece: list[tuple] = []
    previous_x1 = 0.0
    for char in chars:
        if char[0].isspace():
            if piece:
                pieces.append(piece)
                piece = []
            continue
        if piece and char[1] - previous_x1 > gap_limit:
            pieces.append(piece)
            piece = []
        piece.append(char)
        previous_x1 = char[3]
    if piece:
        pieces.append(piece)
    if sum(1 for piece in pieces if len(piece) == 1) >= 2:
        borders = pdfspacing.crossing(verticals, min(c[2] for c in chars),
                                      max(c[4] for c in chars)) if verticals else ()
        groups = pdfspacing.word_groups(pieces, borders, height)
    else:
        groups = [(index, index) for index in range(len(pieces))]
    text: list[str] = []
    boxes = array("f")
    words: list[Word] = []
    previous_x1 = 0.0
    for first, last in groups:
        lead = pieces[first][0]
        if text:
            text.append(" ")
            boxes.extend((previous_x1, lead[2], max(lead[1], previous_x1), lead[4]))
        start = len(text)
        for index in range(first, last + 1):
            for ch, x0, top, x1, bottom, *_ in pieces[index]:
                text.append(ch)
                boxes.extend((x0, top, x1, bottom))
        previous_x1 = pieces[last][-1][3]
        words.append(Word("".join(text[start:]), lead[1], previous_x1, start, len(text)))
    return "".join(text), words, boxes


class PagesRead:
    """The lines and pages of a paged document, page after page (:meth:`add`), and what could
    not be read of them: the pages without text, the pages whose text runs turned, the pages
    whose columns could not be told apart, and the text each page draws that was left unread;
    and the watermarks each page draws, set aside (:mod:`.watermarks`)."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pages: list[Page] = []
        self.blank_pages: list[int] = []
        self.unread_text: list[tuple[int, int]] = []
        self.rotated_pages: list[int] = []
        self.column_pages: list[int] = []
        self.regions: dict[int, tuple[float, float]] = {}
        self.watermarks: list[tuple[int, str]] = []

    def add(self, number: int, width: float, height: float, chars: list[tuple], rules: list[Rule],
            lost: int = 0, marks: Sequence[str] = ()) -> None:
        """Page *number* (*width* × *height* points) drawing *chars* and *rules*; *lost*: how
        much of its text could not be read (text objects); *marks*: the text of its watermarks,
        set aside (not among *chars*), a string a run."""
        first = len(self.lines) + 1
        if marks:
            self.watermarks.append((number, watermarks.set_aside(marks)))
        lines, columns_unsure = page_lines(chars, rules)
        if columns_unsure:
            self.column_pages.append(number)
        if lost:
            self.unread_text.append((number, lost))
        if stacked(lines):
            self.rotated_pages.append(number)
            lines = []
        if not lines and self.rotated_pages[-1:] != [number]:
            self.blank_pages.append(number)
        for text, words, boxes, region in lines:
            self.lines.append(Line(len(self.lines) + 1, text, page=number, words=words, boxes=boxes))
            if region is not None:
                self.regions[len(self.lines)] = region
        self.pages.append(Page(number, first, len(self.lines), round(width, 1), round(height, 1), rules))

    def document(self, name: str) -> Document:
        """The document model of the pages read, named *name*."""
        document = Document(None, name, lines=self.lines, pages=self.pages, kind="pdf")
        document.blank_pages = self.blank_pages
        document.unread_text = self.unread_text
        document.rotated_pages = self.rotated_pages
        document.column_pages = self.column_pages
        document.regions = self.regions
        document.watermarks = self.watermarks
        return document
