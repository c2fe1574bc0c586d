"""Letter-spaced text on a PDF page: the characters of one cell, title or heading set apart and
joined back into one word.

Office templates (WPS, Excel: 分散对齐, "distributed" alignment) spread a short text over its
cell's width, each character drawn on its own: "合          计", "基 本 支 出", "行 政 事 业 单 位 养 老 支
出"; titles and headings are spaced out the same way ("项 目 支 出 绩 效 目 标 表", "2 0 2 6 年 …").  Cut
at every gap, such a cell is a row of one-character words -- read as several columns, its header
word ("合计", "科目名称") never recognised, and a page of them taken for characters stacked one
under another.  :func:`word_groups` says which of a line's pieces (runs of characters without a
gap) make one word:

* by the cell's ruling where the row has one: the vertical rules crossing the row part it into
  cells, and the pieces of one cell -- single characters, and Chinese runs between them -- are one
  word, however wide the cell spreads them, when one at least is a single Chinese character and
  most characters are Chinese. Pieces in different cells are never joined, nor a figure or code
  (a run of digits) with anything. A row crossed only by an outer frame (no rule between its
  pieces anywhere) says nothing of its cells: it is read as unruled.
* by the pitch otherwise: single characters set at one pitch -- equal gaps, or equal steps from
  one character's left edge to the next, as a cell's digits and Chinese characters are spread.
  Four or more, mostly Chinese, are one word however wide apart (no table has so many
  one-character columns side by side), three set close too (:data:`_NEAR_GAP_HEIGHTS`: "第 1 页",
  "预 算 数"); two or three Chinese characters are one where no single character goes on at their
  pitch beside them -- the line ends, a longer piece follows, or the gap changes: two spread cells
  part by their paddings ("收 … 入 支 … 出"), two centred ones by a wide space ("收  入 … 支  出").

The other side: two real adjacent columns stay apart. Cells of a ruled row never join; the
template's 类 | 款 | 项 column headers (even spread over one cell) and, unruled, single characters
that are not mostly Chinese (a 决算's 栏次 "1 2 3 4", dot leaders) stay apart. (One-character columns alone on their line, "是 否",
cannot be told from a spread cell by where they stand: they are read as one.)
"""

from __future__ import annotations

from bisect import bisect_left

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Sequence
    from ..document.model import Rule

__all__ = ["word_groups", "crossing", "is_chinese"]

Char = tuple          # (char, x0, top, x1, bottom), as inputs/pdf.py makes them
Piece = list          # a run of Chars without a gap, left to right

# Unruled, three single characters at one pitch, mostly Chinese, are one word when their gap is
# at most this many character heights ("第 1 页", "预 算 数" set a little apart).
_NEAR_GAP_HEIGHTS = 1.5
# So many single characters at one pitch, mostly Chinese, are one word however wide apart: no
# table has that many one-character columns side by side.
_LONG_RUN = 4
# The template's one-character column headers: 科目编码 over 类 | 款 | 项, never a word spread.
_COLUMN_LETTERS = frozenset("类款项")
# Gaps (or left-edge steps) of one pitch differ by at most this many character heights (pdfium's
# boxes are rounded; a cell spread by whole points) ...
_PITCH_SLACK_HEIGHTS = 0.2
# ... or this share of the gap.
_PITCH_SLACK_SHARE = 0.08
# Rule positions closer than this (points) are one cell border (a cell drawn as its own
# rectangle: its right edge and the next cell's left edge a point apart).
_BORDER_WIDTH = 3.0


def is_chinese(ch: str) -> bool:
    """A Chinese character or a full-width mark set with them ("、", "（", "：", "“"), not a
    full-width digit or letter."""
    code = ord(ch)
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x3000 <= code <= 0x303F:
        return True
    if 0xFF00 <= code <= 0xFFEF:
        return not ch.isalnum()
    return ch in "“”‘’…—·"


def crossing(verticals: Sequence[Rule], top: float, bottom: float) -> list[float]:
    """The cell borders of a row from *top* to *bottom*: the positions of the vertical rules
    crossing its middle, sorted, those a border's width apart taken once."""
    middle = (top + bottom) / 2
    positions = sorted(rule.position for rule in verticals if rule.start - 1 <= middle <= rule.end + 1)
    borders: list[float] = []
    for position in positions:
        if not borders or position - borders[-1] > _BORDER_WIDTH:
            borders.append(position)
    return borders


def word_groups(pieces: Sequence[Piece], borders: Sequence[float], height: float) -> list[tuple[int, int]]:
    """The words a line's *pieces* make, as (first, last) piece indices (inclusive), left to
    right: each piece alone unless it is letter-spaced with its neighbours (see the module).
    *borders* are the row's cell borders (:func:`crossing`), *height* its characters' height."""
    groups: list[tuple[int, int]] = []
    places = [bisect_left(borders, (piece[0][1] + piece[-1][3]) / 2) for piece in pieces]
    cells = None
    if len(set(places)) >= 2:
        # -1: left of every border, -2: right of them
        cells = [place - 1 if place < len(borders) else -2 for place in places]
    i = 0
    while i < len(pieces):
        j = _cell_word(pieces, cells, i) if cells is not None else i
        if j == i:
            j = _pitch_word(pieces, cells, i, height)
        groups.append((i, j))
        i = j + 1
    return groups


def _chinese_piece(piece: Piece) -> bool:
    return all(is_chinese(char[0]) for char in piece)


def _cell_word(pieces: Sequence[Piece], cells: list[int], first: int) -> int:
    """The last piece of the word starting at *first* joined by its cell: the Chinese pieces
    and single characters that follow it in the same ruled cell, when one at least is a single
    Chinese character set apart and most characters are Chinese; else *first*."""
    cell = cells[first]
    if cell < 0 or not (len(pieces[first]) == 1 or _chinese_piece(pieces[first])):
        return first
    last = first
    while (last + 1 < len(pieces) and cells[last + 1] == cell
           and (len(pieces[last + 1]) == 1 or _chinese_piece(pieces[last + 1]))):
        last += 1
    run = pieces[first:last + 1]
    if last == first or not any(len(piece) == 1 and is_chinese(piece[0][0]) for piece in run) \
            or all(len(piece) == 1 and piece[0][0] in _COLUMN_LETTERS for piece in run):
        return first
    # (single figures with a Chinese character among them are no spread name: "1 2 年")
    chinese = sum(1 for piece in run for char in piece if is_chinese(char[0]))
    return last if 2 * chinese >= sum(map(len, run)) else first


def _pitch_word(pieces: Sequence[Piece], cells: list[int] | None, first: int, height: float) -> int:
    """The last piece of the word starting at *first* joined by its pitch (single characters set
    at one pitch, see the module), else *first*."""
    if len(pieces[first]) != 1:
        return first
    last = first
    gap = step = 0.0
    while last + 1 < len(pieces) and len(pieces[last + 1]) == 1 and (
            cells is None or cells[last + 1] == cells[first]):
        before, after = pieces[last][0], pieces[last + 1][0]
        this_gap, this_step = after[1] - before[3], after[1] - before[1]
        if last == first:
            gap, step = this_gap, this_step
        elif not (_same(this_gap, gap, height) or _same(this_step, step, height)):
            break
        last += 1
    count = last - first + 1
    letters = [piece[0][0] for piece in pieces[first:last + 1]]
    chinese = sum(1 for ch in letters if is_chinese(ch))
    if count < 2 or 2 * chinese < count or all(ch in _COLUMN_LETTERS for ch in letters):
        return first
    if count >= _LONG_RUN or count == 3 and gap <= _NEAR_GAP_HEIGHTS * height:
        return last
    # two or three Chinese characters: one cell where no single character goes on at their pitch
    # at either side (beside it, the line ends, a longer piece follows, or the gap changes: between
    # two spread cells stand their paddings, "收 … 入 支 … 出", or the space two centred ones leave,
    # "收  入 … 支  出")
    if chinese == count and _bounded(pieces, cells, first, last, gap, height):
        return last
    return first


def _bounded(pieces: Sequence[Piece], cells: list[int] | None, first: int, last: int, gap: float,
             height: float) -> bool:
    """Whether no single character stands beside the single characters *first*..*last* (set
    *gap* apart) at their pitch, in their cell."""
    def apart(left: int, right: int) -> bool:
        if left < 0 or right >= len(pieces) or len(pieces[left]) != 1 or len(pieces[right]) != 1:
            return True
        if cells is not None and cells[left] != cells[right]:
            return True
        return not _same(pieces[right][0][1] - pieces[left][-1][3], gap, height)
    return apart(first - 1, first) and apart(last, last + 1)


def _same(value: float, reference: float, height: float) -> bool:
    return abs(value - reference) <= max(_PITCH_SLACK_HEIGHTS * height, _PITCH_SLACK_SHARE * abs(reference))
