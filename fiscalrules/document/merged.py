"""Rows of a table whose cells span rows (merged cells) or wrap over several lines.

Template-agnostic. Some tables print a cell once for a group of rows (a category over all the
rows of its group) and wrap long cells over several lines, so a printed line is not a row. Given
a :class:`~.tables.Grid` and its *anchor* column -- the column holding exactly one cell per row
(a target value, an amount) -- :func:`span_rows` gives one :class:`SpannedRow` per anchor with,
for every other column, the cell covering that row:

* **rules**: a PDF that draws a horizontal rule between every two anchors. A column's cells are
  the bands between the horizontal rules crossing it (the pieces of a wrapped cell are joined);
  a cell covers the rows whose anchor lies in its band. Exact, whatever the alignment.
* **lines**: tab-separated text, where each line is a row and a merged cell is written in its
  first row and left blank below: a cell of a *spanning* column covers its row and the blank
  rows below it.
* **position** (an unruled PDF, text aligned with spaces): pieces of one cell are joined when
  printed close together (consecutive lines; in a PDF a gap under half a line), a cell of a
  non-spanning column goes to the row whose anchor it stands beside, and the cells of a spanning
  column are laid over the rows under each vertical alignment a table may use (top, centre,
  bottom). The alignments that fit every cell of the column decide; a row whose cell differs
  between them is *uncertain*: it gets no cell in that column and keeps the candidates, so a
  reader can say why instead of guessing.

Cells no row takes are returned as ``unplaced``.
"""

from __future__ import annotations

from bisect import bisect_right

from .model import Box, Document, Line, printed_in_pdf, union
from .tables import Grid

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable, Collection, Mapping

__all__ = ["Piece", "SpannedCell", "SpannedRow", "Spans", "span_rows"]

# A horizontal rule counts for a column when it runs across this share of the column's width.
_ACROSS = 0.5
# Pieces of one wrapped cell are at most this many line heights apart (PDF).
_TIGHT = 0.6
# How far (in line heights) a cell may sit from where an alignment puts it.
_ALIGN_TOLERANCE = 0.5


class Piece:
    """The text one column holds on one line."""

    __slots__ = ("column", "text", "line", "top", "bottom", "box")

    def __init__(self, column: int, text: str, line: Line, top: float, bottom: float,
                 box: Box | None):
        self.column = column
        self.text = text
        self.line = line
        self.top = top
        self.bottom = bottom
        self.box = box

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def __repr__(self) -> str:
        return f"<Piece {self.column} l{self.line.number} {self.text!r}>"


class SpannedCell:
    """One printed cell: its pieces (one per line, top to bottom) joined."""

    __slots__ = ("column", "pieces", "covers")

    def __init__(self, column: int, pieces: list[Piece]):
        self.column = column
        self.pieces = pieces
        self.covers = 0             # how many rows it covers (set by span_rows)

    @property
    def text(self) -> str:
        """The cell's text, its wrapped pieces joined (a break inside a CJK text is no space;
        between two Latin letters or digits it is one)."""
        out = ""
        for piece in self.pieces:
            if out and out[-1].isascii() and out[-1].isalnum() and piece.text[:1].isascii() \
                    and piece.text[:1].isalnum():
                out += " "
            out += piece.text
        return out

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def lines(self) -> list[Line]:
        return [p.line for p in self.pieces]

    @property
    def box(self) -> Box | None:
        """The box of the pieces on the first piece's page (PDF input)."""
        page = self.pieces[0].line.page
        return union(p.box for p in self.pieces if p.line.page == page)

    def __repr__(self) -> str:
        return f"<SpannedCell {self.column} {self.text!r}>"


class SpannedRow:
    """A row: its anchor cell, the cell covering it in each other column, and the columns where
    that cell is uncertain (with the texts it could be)."""

    __slots__ = ("anchor", "cells", "uncertain")

    def __init__(self, anchor: SpannedCell):
        self.anchor = anchor
        self.cells: dict[int, SpannedCell] = {}
        self.uncertain: dict[int, list[str]] = {}

    @property
    def own_lines(self) -> list[Line]:
        """The lines of its anchor and of the cells that cover this row alone."""
        found = {l.number: l for l in self.anchor.lines}
        for cell in self.cells.values():
            if cell.covers == 1:
                found.update((l.number, l) for l in cell.lines)
        return [found[n] for n in sorted(found)]

    def __repr__(self) -> str:
        return f"<SpannedRow {self.anchor.text!r} {sorted(self.cells)}>"


class Spans:
    """What :func:`span_rows` found: the rows, the cells no row takes, and the method used
    (``"rules"``, ``"lines"`` or ``"position"``)."""

    def __init__(self, rows: list[SpannedRow], unplaced: list[SpannedCell], method: str):
        self.rows = rows
        self.unplaced = unplaced
        self.method = method

    def __repr__(self) -> str:
        return f"<Spans {self.method} {len(self.rows)} rows, {len(self.unplaced)} unplaced>"


def span_rows(doc: Document, grid: Grid, anchor: int, *, spanning: Collection[int] = (),
              whole: Mapping[int, Callable[[str], bool]] | None = None) -> Spans:
    """The rows of *grid*, one per cell of column *anchor*.

    *spanning*: the columns whose cells may cover several rows (merged cells); the others hold
    at most one cell per row, possibly wrapped. *whole*: per column, a test that a cell's text is
    complete, so that the next piece below starts a new cell even when printed close to it
    (two single-line rows on consecutive lines; "满意度指 / 标" is one cell, "产出指标 / 效益指标"
    two)."""
    whole = whole or {}
    pieces = _pieces(doc, grid)
    if not any(p.column == anchor for p in pieces):
        return Spans([], [SpannedCell(p.column, [p]) for p in pieces], "none")
    if grid.rows and "\t" in grid.rows[0].line.text:
        return _by_lines(pieces, anchor, set(spanning))
    if printed_in_pdf(row.line for row in grid.rows):
        ruled = _by_rules(doc, grid, pieces, anchor)
        if ruled is not None:
            return ruled
    return _by_position(doc, pieces, anchor, set(spanning), whole)


def _pieces(doc: Document, grid: Grid) -> list[Piece]:
    out = []
    for row in grid.rows:
        line = row.line
        for index in sorted(row.cells):
            cell = row.cells[index]
            if cell.box is not None:
                top, bottom = cell.box[1], cell.box[3]
            else:
                top, bottom = float(line.number), float(line.number + 1)
            out.append(Piece(index, cell.text, line, top, bottom, cell.box))
    return out


# -- one row a line (tab-separated text) -----------------------------------------------------------

def _by_lines(pieces: list[Piece], anchor: int, spanning: set[int]) -> Spans:
    rows: list[SpannedRow] = []
    row_of_line: dict[int, SpannedRow] = {}
    for piece in pieces:
        if piece.column == anchor:
            row = SpannedRow(SpannedCell(anchor, [piece]))
            rows.append(row)
            row_of_line[piece.line.number] = row
    unplaced: list[SpannedCell] = []
    current: dict[int, SpannedCell] = {}
    line_numbers = sorted({p.line.number for p in pieces})
    by_line: dict[int, list[Piece]] = {}
    for piece in pieces:
        by_line.setdefault(piece.line.number, []).append(piece)
    for number in line_numbers:
        row = row_of_line.get(number)
        for piece in by_line[number]:
            if piece.column == anchor:
                continue
            cell = SpannedCell(piece.column, [piece])
            if piece.column in spanning:
                current[piece.column] = cell
            elif row is not None:
                row.cells[piece.column] = cell
            else:
                unplaced.append(cell)
        if row is not None:
            for column, cell in current.items():
                row.cells.setdefault(column, cell)
    seen = {id(c) for r in rows for c in r.cells.values()}
    unplaced.extend(c for c in current.values() if id(c) not in seen)
    _count_rows(rows)
    return Spans(rows, unplaced, "lines")


# -- ruled tables ----------------------------------------------------------------------------------

def _by_rules(doc: Document, grid: Grid, pieces: list[Piece], anchor: int) -> Spans | None:
    """Cells from the bands between horizontal rules; None when the rules do not separate
    every two anchors."""
    columns = {c.index: c for c in grid.columns}
    extent: dict[int, tuple[float, float]] = {}         # page → (top, bottom) of the table
    for piece in pieces:
        page = piece.line.page
        top, bottom = extent.get(page, (piece.top, piece.bottom))
        extent[page] = (min(top, piece.top), max(bottom, piece.bottom))
    cuts: dict[tuple[int, int], list[float]] = {}      # (column, page) → rule positions
    reach = 2 * _height(doc, pieces)                    # a cell's padding, above and below

    def rules_of(column: int, page: int) -> list[float]:
        key = (column, page)
        if key not in cuts:
            x0, x1 = columns[column].x0, columns[column].x1
            top, bottom = extent[page]
            width = max(x1 - x0, 1.0)
            cuts[key] = sorted({r.position for r in doc.page(page).rules
                                if not r.vertical and top - reach <= r.position <= bottom + reach
                                and min(r.end, x1) - max(r.start, x0) >= _ACROSS * width})
        return cuts[key]

    def band(piece: Piece, column: int) -> tuple[int, int]:
        page = piece.line.page
        return page, bisect_right(rules_of(column, page), piece.middle)

    cells: dict[tuple[int, int, int], list[Piece]] = {}    # (column, page, band) → pieces
    for piece in pieces:
        cells.setdefault((piece.column, *band(piece, piece.column)), []).append(piece)
    anchors = sorted((key for key in cells if key[0] == anchor), key=lambda k: (k[1], k[2]))
    if not anchors:
        return None
    for key in anchors:
        page, index = key[1], key[2]
        if index == 0 or index == len(rules_of(anchor, page)):
            return None             # an anchor outside the rules: the rows are not ruled
        group = cells[key]
        if any(not _tight(doc, a, b) for a, b in zip(group, group[1:])):
            return None             # two anchors in one band: rules are not drawn per row
    joined: dict[tuple[int, int, int], SpannedCell] = {
        key: SpannedCell(key[0], sorted(found, key=_order)) for key, found in cells.items()}
    rows = [SpannedRow(joined[key]) for key in anchors]
    taken: set[tuple[int, int, int]] = set(anchors)
    for row in rows:
        reference = row.anchor.pieces[0]
        for column in columns:
            if column == anchor:
                continue
            key = (column, *band(reference, column))
            if key in joined:
                row.cells[column] = joined[key]       # rows under one merged cell share it
                taken.add(key)
    unplaced = [cell for key, cell in joined.items() if key not in taken]
    _count_rows(rows)
    return Spans(rows, unplaced, "rules")


def _order(piece: Piece) -> tuple[int, float, float]:
    return piece.line.page, piece.top, piece.box[0] if piece.box else 0.0


# -- by position -----------------------------------------------------------------------------------

def _height(doc: Document, pieces: list[Piece]) -> float:
    if not printed_in_pdf(p.line for p in pieces):
        return 1.0
    heights = sorted(p.bottom - p.top for p in pieces if p.bottom > p.top)
    return heights[len(heights) // 2] if heights else 10.0


def _tight(doc: Document, upper: Piece, lower: Piece) -> bool:
    """Two pieces printed close enough to be lines of one cell."""
    if upper.line.page != lower.line.page:
        return False
    if upper.line.boxes is None or lower.line.boxes is None:
        return lower.line.number == upper.line.number + 1
    height = max(upper.bottom - upper.top, lower.bottom - lower.top, 1.0)
    return lower.top - upper.bottom <= _TIGHT * height


def _by_position(doc: Document, pieces: list[Piece], anchor: int, spanning: set[int],
                 whole: Mapping[int, Callable[[str], bool]]) -> Spans:
    anchor_lines = {p.line.number for p in pieces if p.column == anchor}
    rows = [SpannedRow(SpannedCell(anchor, [p])) for p in sorted(
        (p for p in pieces if p.column == anchor), key=_order)]
    height = _height(doc, pieces)
    unplaced: list[SpannedCell] = []
    by_column: dict[int, list[Piece]] = {}
    for piece in sorted(pieces, key=_order):
        if piece.column != anchor:
            by_column.setdefault(piece.column, []).append(piece)
    joined = {column: _join(doc, column_pieces, anchor_lines, whole.get(column))
              for column, column_pieces in by_column.items()}
    # Cells of one row only first: they make the rows as tall as they are printed.
    for column, cells in joined.items():
        if column in spanning:
            continue
        for cell in cells:
            targets = _beside(cell, rows, height)
            if not targets:
                unplaced.append(cell)
            for row in targets:
                row.cells[column] = cell
    extents = [_extent(row) for row in rows]       # a row: its anchor and its own cells
    for column, cells in joined.items():
        if column not in spanning or not cells:
            continue
        fits = [found for found in (_align(cells, extents, how, height)
                                    for how in ("top", "centre", "bottom")) if found is not None]
        if not fits:
            for row in rows:
                row.uncertain[column] = sorted({c.text for c in cells})
            unplaced.extend(cells)
            continue
        for index, row in enumerate(rows):
            choices = {found[index] for found in fits}
            if len(choices) == 1:
                choice = choices.pop()
                if choice is not None:
                    row.cells[column] = cells[choice]
            else:
                row.uncertain[column] = [cells[i].text if i is not None else "" for i in sorted(
                    choices, key=lambda i: -1 if i is None else i)]
        used = {id(c) for r in rows for c in r.cells.values()}
        unplaced.extend(c for c in cells if id(c) not in used and not any(
            c.text in r.uncertain.get(column, ()) for r in rows))
    _count_rows(rows)
    return Spans(rows, unplaced, "position")


def _join(doc: Document, pieces: list[Piece], anchor_lines: set[int],
          complete: Callable[[str], bool] | None) -> list[SpannedCell]:
    """Pieces of a column joined into cells: a piece continues the cell above when printed
    close to it, unless that cell is already complete (*complete*) or, with no such test, both
    stand on lines of different rows."""
    cells: list[SpannedCell] = []
    for piece in pieces:
        if cells and _tight(doc, cells[-1].pieces[-1], piece):
            cell = cells[-1]
            if complete is not None:
                joins = not complete(cell.text)
            else:
                rows_of_cell = {p.line.number for p in cell.pieces} & anchor_lines
                joins = not (rows_of_cell and piece.line.number in anchor_lines
                             and piece.line.number not in rows_of_cell)
            if joins:
                cell.pieces.append(piece)
                continue
        cells.append(SpannedCell(piece.column, [piece]))
    return cells


def _beside(cell: SpannedCell, rows: list[SpannedRow], height: float) -> list[SpannedRow]:
    """The rows a one-row cell belongs to: the row whose anchor shares a line with it, else the
    rows whose anchor it reaches over, else the one row it is plainly nearest."""
    lines = {l.number for l in cell.lines}
    same = [r for r in rows if r.anchor.pieces[0].line.number in lines]
    if same:
        return same
    over = [r for r in rows if cell.top <= r.anchor.middle <= cell.bottom
            and r.anchor.pieces[0].line.page == cell.pieces[0].line.page]
    if over:
        return over
    gaps = sorted((max(r.anchor.top - cell.bottom, cell.top - r.anchor.bottom), i)
                  for i, r in enumerate(rows)
                  if r.anchor.pieces[0].line.page == cell.pieces[0].line.page)
    if not gaps or gaps[0][0] > height:
        return []
    if len(gaps) > 1 and gaps[1][0] - gaps[0][0] < 0.5 * height:
        return []               # as near to two rows: not placed
    return [rows[gaps[0][1]]]


def _extent(row: SpannedRow) -> tuple[int, float, float]:
    cells = [row.anchor] + list(row.cells.values())
    page = row.anchor.pieces[0].line.page
    tops = [c.top for c in cells if c.pieces[0].line.page == page]
    bottoms = [c.bottom for c in cells if c.pieces[0].line.page == page]
    return page, min(tops), max(bottoms)


def _align(cells: list[SpannedCell], rows: list[tuple[int, float, float]], how: str,
           height: float) -> list[int | None] | None:
    """Under alignment *how*, the index of the cell covering each row, or None when the cells do
    not fit that alignment: every row covered, in order, each cell where the alignment puts it
    (top: level with its group's first row; bottom: with its last; centre: in its middle)."""
    tolerance = _ALIGN_TOLERANCE * height
    count = len(rows)
    bounds: list[tuple[int, int]] = []          # (first row, last row) of each cell
    start = 0
    for position, cell in enumerate(cells):
        page = cell.pieces[0].line.page
        if start >= count:
            return None
        if how == "top":
            # the cell starts its group; the group runs to the next cell's start
            if abs(rows[start][1] - cell.top) > tolerance or rows[start][0] != page:
                return None
            following = cells[position + 1] if position + 1 < len(cells) else None
            end = count - 1
            if following is not None:
                nxt = next((i for i in range(start + 1, count) if rows[i][0] == following.pieces[0].line.page
                            and abs(rows[i][1] - following.top) <= tolerance), None)
                if nxt is None:
                    return None
                end = nxt - 1
            bounds.append((start, end))
            start = end + 1
            continue
        best: tuple[float, int] | None = None
        for end in range(start, count):
            if rows[end][0] != page or rows[start][0] != page:
                break
            mark, reference = ((cell.middle, (rows[start][1] + rows[end][2]) / 2) if how == "centre"
                               else (cell.bottom, rows[end][2]))
            miss = abs(reference - mark)
            if miss <= tolerance and (best is None or miss < best[0]):
                best = (miss, end)
        if best is None:
            return None
        bounds.append((start, best[1]))
        start = best[1] + 1
    if start != count:
        return None
    out: list[int | None] = [None] * count
    for index, (first, last) in enumerate(bounds):
        for i in range(first, last + 1):
            out[i] = index
    return out


def _count_rows(rows: list[SpannedRow]) -> None:
    """Set each cell's ``covers``: the number of rows it covers."""
    for row in rows:
        for cell in row.cells.values():
            cell.covers = 0
    for row in rows:
        row.anchor.covers = 1
        for cell in row.cells.values():
            cell.covers += 1
