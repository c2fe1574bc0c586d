"""Table grids from geometry: columns, multi-line header paths, cells kept in their column.

Template-agnostic. A reader hands :func:`read_grid` the lines of one printed table (after its
title and unit line, across page breaks) and says which lines are body rows; the grid is built
from where words are, never from how many there are, so a blank cell stays blank in its place:

* **columns** come from the ruling lines a PDF draws (vertical rules that cross the body rows),
  else from the horizontal extents of the body words (each run of x covered by some body word is
  a column), plus any header word that stands over no such run (a column left blank in every row)
  -- :mod:`.columns`;
* **header paths**: each header line's words are spread over the columns they stand over (in a
  PDF with rules, a header cell reaches the rules on either side of it; without rules a group
  title also takes the columns beside it that only lower header lines name); a header cell that
  continues on the next line ("事业单位 / 经营收入") is one cell; a column's path is its header cells
  top to bottom;
* **continuations**: a page that repeats the header lines (as tables running over page breaks
  do) has them dropped; every body line becomes a :class:`Row` of :class:`Cell` objects.

The same code serves text: words there sit at display columns (aligned tables) or at tab cells.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .columns import centred_span as _centred_span, column_extents, rule_boundaries as _rule_boundaries
from .model import Box, Document, Line, Word, union

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable, Sequence

__all__ = ["Column", "Cell", "Row", "Grid", "read_grid"]


class Column:
    """One column: its extent and its header path (top to bottom)."""

    __slots__ = ("index", "x0", "x1", "header")

    def __init__(self, index: int, x0: float, x1: float):
        self.index = index
        self.x0 = x0
        self.x1 = x1
        self.header: list[str] = []

    @property
    def leaf(self) -> str:
        return self.header[-1] if self.header else ""

    @property
    def path(self) -> str:
        return "/".join(self.header)

    def __repr__(self) -> str:
        return f"<Column {self.index} {self.x0:g}-{self.x1:g} {self.path!r}>"


class Cell:
    """A filled cell: row and column index, text as printed, header path, unit, box, line."""

    __slots__ = ("row", "column", "text", "header", "unit", "box", "line", "start", "end", "words",
                 "wrapped")

    def __init__(self, row: int, column: int, text: str, header: tuple[str, ...],
                 unit: str | None, box: Box | None, line: int, start: int, end: int):
        self.row = row
        self.column = column
        self.text = text
        self.header = header
        self.unit = unit
        self.box = box
        self.line = line
        self.start = start
        self.end = end
        self.words = 1              # words of the line that fell into this cell
        self.wrapped = False        # its text continues on lines of its own (see _attach_wrapped)

    def __repr__(self) -> str:
        return f"<Cell {self.row},{self.column} {self.text!r}>"


class Row:
    """A body line of the table: its cells by column index (blank cells absent), and the words
    that stand in no column (``outside``: a reader must not drop them unseen)."""

    __slots__ = ("index", "line", "cells", "outside")

    def __init__(self, index: int, line: Line, cells: dict[int, Cell], outside: list[Word] | None = None):
        self.index = index
        self.line = line
        self.cells = cells
        self.outside = outside or []

    def text(self, column: int) -> str:
        cell = self.cells.get(column)
        return cell.text if cell else ""

    @property
    def excerpt(self) -> str:
        """The row as printed: its cells in column order."""
        return " ".join(self.cells[c].text for c in sorted(self.cells))

    def __repr__(self) -> str:
        return f"<Row {self.line.number} {self.excerpt!r}>"


class Grid:
    """What :func:`read_grid` found: columns with header paths, body rows, and the lines it left
    alone (``repeated``: header lines printed again on a later page; ``loose``: other lines)."""

    def __init__(self, columns: list[Column], header_lines: list[Line], rows: list[Row],
                 repeated: list[Line], loose: list[Line], unit: str | None):
        self.columns = columns
        self.header_lines = header_lines
        self.rows = rows
        self.repeated = repeated
        self.loose = loose
        self.unit = unit

    def __repr__(self) -> str:
        return f"<Grid {len(self.columns)} columns, {len(self.rows)} rows>"


def read_grid(doc: Document, lines: Sequence[Line], is_body: Callable[[Line], bool],
              unit: str | None = None, right_aligned: Callable[[str], bool] | None = None) -> Grid:
    """The grid of a table printed on *lines* (header lines first, then body lines).
    *right_aligned*: the words (but a line's first) whose column is where they end, not the
    whole of where they stand -- right-aligned figures in text aligned by character offsets,
    where -layout sets a long figure one space after the one before, and a figure a character
    wider in another row would join the two columns into one run."""
    header: list[Line] = []
    body: list[Line] = []
    repeated: list[Line] = []
    loose: list[Line] = []
    header_keys: set[str] = set()
    tabbed = any("\t" in line.text for line in lines)
    for line in lines:
        if is_body(line):
            body.append(_first_cell(line) if tabbed else line)
        elif not body:
            header.append(line)
            header_keys.add(line.compact)
        elif line.compact in header_keys:
            repeated.append(line)
        else:
            loose.append(line)
    columns = [Column(i, a, b) for i, (a, b) in enumerate(column_extents(doc, header, body, right_aligned))]
    _header_paths(doc, columns, header)
    rows = []
    index_of = {id(columns): _ColumnIndex(columns)}
    for index, line in enumerate(body):
        cells: dict[int, Cell] = {}
        outside: list[Word] = []
        page_columns = _page_columns(doc, columns, line)
        lookup = index_of.get(id(page_columns)) or _ColumnIndex(page_columns)
        for word in line.words:
            column = lookup.column_of(word)
            if column is None:
                outside.append(word)
                continue
            cell = cells.get(column.index)
            if cell is None:
                cells[column.index] = Cell(index, column.index, word.text, tuple(column.header),
                                           unit, line.box(word.start, word.end), line.number,
                                           word.start, word.end)
            else:           # two words in one cell ("部门 ，为"): one cell, its text as printed
                cell.text = line.original[cell.start:word.end]
                cell.end = word.end
                cell.words += 1
                cell.box = union((cell.box, line.box(word.start, word.end)))
        rows.append(Row(index, line, cells, outside))
    loose = _attach_wrapped(doc, columns, rows, loose)
    return Grid(columns, header, rows, repeated, loose, unit)


def _first_cell(line: Line) -> Line:
    """A body line of a table given as cells (tab-separated) as a row of cells: a row printing
    its first cell alone has no tab (a row ends at its last printed cell: inputs/tabrows.py) --
    "（二）政府性基金预算拨款" under a 收支总表's 项目, its figures blank -- and its words stood
    at display columns, across every column of the table (all its columns one)."""
    if "\t" in line.text or not line.words:
        return line
    text = line.text.strip()
    start = line.text.index(text)
    return Line(line.number, line.original, page=line.page, text=line.text,
                words=[Word(text, 0.0, 0.5, start, start + len(text))])


def _attach_wrapped(doc: Document, columns: list[Column], rows: list[Row],
                    loose: list[Line]) -> list[Line]:
    """A cell whose text wraps ("其他政府办公厅（室）及相关机构事 / 务支出") prints its pieces on
    lines of their own just above and below the row, in a column the row leaves blank: put them
    back into that cell (above, then below). Other loose lines are returned; a page number or
    running head is never such a piece ("— 6 —" under a row's blank cell, the page's last row)."""
    by_line = {row.line.number: row for row in rows}
    left: list[Line] = []
    for line in loose:
        if doc.is_noise(line.number):
            left.append(line)
            continue
        lookup = _ColumnIndex(_page_columns(doc, columns, line))
        targets = {lookup.column_of(w).index for w in line.words}
        row = None
        if len(targets) == 1:
            column = targets.pop()
            for number, above in ((line.number + 1, True), (line.number - 1, False)):
                candidate = by_line.get(number)
                if candidate is not None and (column not in candidate.cells or (
                        not above and (candidate.cells[column].wrapped or _continues(
                            candidate.cells[column], line)))):
                    row = candidate
                    break
        if row is None:
            left.append(line)
            continue
        words = line.words
        text = line.original[words[0].start:words[-1].end]
        box = line.box(words[0].start, words[-1].end)
        cell = row.cells.get(column)
        if cell is None:
            cell = Cell(row.index, column, text, tuple(columns[column].header), None, box,
                        row.line.number, 0, 0)
            row.cells[column] = cell
        else:
            cell.text += text
            cell.box = union((cell.box, box))
        cell.wrapped = True
    return left


def _continues(cell: Cell, line: Line) -> bool:
    """A text cell whose name wraps inside its cell ("文化旅游体育与传媒 / 支出"), its figures on the
    first line: the next line holds only the rest of the name, text without digits or a note mark."""
    words = line.words
    return len(words) == 1 and not any(ch.isdigit() for ch in cell.text + words[0].text) \
        and not words[0].text.startswith(("注", "备注", "说明", "*", "（", "("))


# -- cells in columns ----------------------------------------------------------------------------

def _page_columns(doc: Document, columns: list[Column], line: Line) -> list[Column]:
    """The columns as drawn on *line*'s page: the same count of ruled columns there gives their
    own extents (a continuation page may be laid out a little differently)."""
    if line.boxes is None:
        return columns
    boundaries = _rule_boundaries(doc, [line])
    if len(boundaries) - 1 == len(columns):
        out = []
        for column, (a, b) in zip(columns, zip(boundaries, boundaries[1:])):
            moved = Column(column.index, a, b)
            moved.header = column.header
            out.append(moved)
        return out
    return columns


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _column_of(word: Word, columns: list[Column]) -> Column | None:
    """The column holding most of the word (the first of equals; the nearest one when it overlaps
    none)."""
    return _ColumnIndex(columns).column_of(word)


class _ColumnIndex:
    """:func:`_column_of` for many words over the same columns. Looking through every column for
    every word is quadratic in a row's cells, and the columns come from the body's own words: a
    hostile line of 50,000 cells took minutes (review 22 A4). The columns are sorted by their left
    edge (``_columns``), so only those starting left of the word's right edge can overlap it, and of
    those only the ones from the first whose running maximum right edge passes the word's left edge:
    two bisections, then the same scan in the same order (the first of equal overlaps wins)."""

    __slots__ = ("columns", "lefts", "reach")

    def __init__(self, columns: list[Column]) -> None:
        self.columns = columns
        self.lefts = [c.x0 for c in columns]
        reach, far = [], float("-inf")
        for column in columns:
            far = max(far, column.x1)
            reach.append(far)
        self.reach = reach
        if any(a > b for a, b in zip(self.lefts, self.lefts[1:])):
            self.lefts = None           # not in order (never made by _columns): scan them all

    def _range(self, x0: float, x1: float) -> range:
        """The columns that may overlap x0…x1 (the others cannot)."""
        if self.lefts is None:
            return range(len(self.columns))
        return range(bisect_right(self.reach, x0), bisect_left(self.lefts, x1))

    def overlapping(self, x0: float, x1: float, more_than: float = 0.0) -> set[int]:
        """The indexes of the columns overlapping x0…x1 by more than *more_than*."""
        columns = self.columns
        return {columns[i].index for i in self._range(x0, x1)
                if min(x1, columns[i].x1) - max(x0, columns[i].x0) > more_than}

    def column_of(self, word: Word) -> Column | None:
        columns = self.columns
        x0, x1 = word.x0, word.x1
        best, best_overlap = None, 0.0
        for index in self._range(x0, x1):
            column = columns[index]
            overlap = min(x1, column.x1) - max(x0, column.x0)   # (_overlap inline: every word of a table)
            if overlap > best_overlap:
                best, best_overlap = column, overlap
        if best is not None:
            return best
        middle = (x0 + x1) / 2
        return min(columns, key=lambda c: abs((c.x0 + c.x1) / 2 - middle), default=None)


# -- header paths -----------------------------------------------------------------------------------

def _header_paths(doc: Document, columns: list[Column], header: Sequence[Line]) -> None:
    if not columns:
        return
    lookup = _ColumnIndex(columns)
    levels: list[list[tuple[str, set[int]]]] = []
    extents: list[list[list[float]]] = []      # each header cell's x0, x1 (its words)
    ruled: list[bool] = []
    for line in header:
        boundaries = _rule_boundaries(doc, [line])
        ruled.append(len(boundaries) >= 2)
        cells: list[tuple[str, set[int]]] = []
        extents.append([])
        for word in line.words:
            if len(boundaries) >= 2:
                # The header cell reaches the rules around it.
                left = max((x for x in boundaries if x <= word.x0 + 1), default=word.x0)
                right = min((x for x in boundaries if x >= word.x1 - 1), default=word.x1)
                span = lookup.overlapping(left, right, 1)
            else:
                span = lookup.overlapping(word.x0, word.x1)
            if not span:
                nearest = lookup.column_of(word)
                span = {nearest.index} if nearest else set()
            if cells and cells[-1][1] & span:          # one cell printed as two words
                cells[-1] = (cells[-1][0] + word.text, cells[-1][1] | span)
                extents[-1][-1][1] = word.x1
            else:
                cells.append((word.text, span))
                extents[-1].append([word.x0, word.x1])
        levels.append(cells)
    tabbed = bool(header) and "\t" in header[0].text
    bounded: set[tuple[int, int]] = set()
    if header and header[0].boxes is not None:
        _centred_group_titles(levels, extents, ruled, columns)
        bounded = _underlined_group_titles(doc, levels, extents, ruled, columns, header)
    _widen_group_titles(levels, ruled, columns, tabbed=tabbed, bounded=bounded)
    # A header cell whose text wraps onto a later line ("事业单位 / 经营收入", "机关运行经费预算 / 数")
    # is one cell: the same columns, and no rule (PDF) or no more than a line's gap (text) between.
    # (each column's cells collected in one pass, in the same order: depth, then left to right)
    parts_of: dict[int, list[tuple[int, str, frozenset]]] = {}
    for depth, cells in enumerate(levels):
        for text, span in cells:
            frozen = frozenset(span)
            for index in span:
                parts_of.setdefault(index, []).append((depth, text, frozen))
    for column in columns:
        parts = parts_of.get(column.index, [])
        path: list[str] = []
        previous = None
        for depth, text, span in parts:
            if previous is not None and previous[2] == span and _same_cell(
                    doc, header[previous[0]], header[depth], columns, span):
                path[-1] += text
            else:
                path.append(text)
            previous = (depth, text, span)
        column.header = path


def _same_cell(doc: Document, upper: Line, lower: Line, columns: list[Column], span) -> bool:
    if upper.boxes is None:
        return lower.number - upper.number == 1 and "\t" not in upper.text
    x0 = min(columns[i].x0 for i in span)
    x1 = max(columns[i].x1 for i in span)
    between = [r for r in doc.page(lower.page).rules if not r.vertical
               and upper.bottom - 1 <= r.position <= lower.top + 1 and _overlap(r.start, r.end, x0, x1) > 1]
    if upper.page != lower.page or between:
        return False
    if any(r.vertical for r in doc.page(lower.page).rules):
        return True             # ruled table: no rule between them, so one cell
    return lower.top - upper.bottom <= (upper.bottom - upper.top)


def _centred_group_titles(levels: list[list[tuple[str, set[int]]]], extents: list[list[list[float]]],
                          ruled: list[bool], columns: list[Column]) -> None:
    """Without rules a group title on any header line of a PDF ("公务用车购置及运行费" over
    小计 | 购置费 | 运行费) is printed centred over the columns it spans: give it the widest run of
    adjacent columns around its own whose leaves (the lowest header words over them, centred
    in their cells too) are centred where it is, that lower lines name and that no other cell
    of its line takes."""
    leaf_centre: dict[int, float] = {}
    for cells, spans in zip(levels, extents):
        for (_, span), (x0, x1) in zip(cells, spans):
            if len(span) == 1:
                leaf_centre[next(iter(span))] = (x0 + x1) / 2
    for depth, cells in enumerate(levels[:-1]):
        if ruled[depth]:
            continue
        below = set().union(*(span for lower in levels[depth + 1:] for _, span in lower))
        for index, ((_, span), (x0, x1)) in enumerate(zip(cells, extents[depth])):
            if not span or not span <= below:
                continue
            others = set().union(*(s for i, (_, s) in enumerate(cells) if i != index))
            best = _centred_span(x0, x1, [(c.x0, c.x1) for c in columns], leaf_centre,
                                 lambda i: i not in others and i in below, min(span), max(span))
            if best is not None:
                span.update(range(best[0], best[1] + 1))


def _underlined_group_titles(doc: Document, levels: list[list[tuple[str, set[int]]]],
                             extents: list[list[list[float]]], ruled: list[bool], columns: list[Column],
                             header: Sequence[Line]) -> set[tuple[int, int]]:
    """A table ruled only above and below its header (booktabs style) draws a short rule under
    each merged header cell, as wide as the cell: "科目编码" over 类 | 款 | 项, "公务用车购置及运行
    维护费" over 小计 | 购置费 | 运行维护费. Such a title spans exactly the columns its rule runs over
    (not the columns its centre happens to fit, nor the blank ones beside it, which belong to
    cells centred in the header's height -- "科目名称", "合计" -- printed on a line between the
    title and the lower cells). Returns the (depth, cell) of the titles so bounded."""
    bounded: set[tuple[int, int]] = set()
    if not columns:
        return bounded
    width = columns[-1].x1 - columns[0].x0
    for depth, cells in enumerate(levels[:-1]):
        if ruled[depth]:
            continue
        upper, lowest = header[depth], header[-1]
        if upper.page != lowest.page:
            continue
        # (the rule may run through a lower line: the cells beside the title's sub-cells are
        # centred in the header's height, level with the rule)
        rules = [r for r in doc.page(upper.page).rules if not r.vertical
                 and upper.bottom - 1 <= r.position <= lowest.top + 1 and r.end - r.start < 0.9 * width]
        for index, ((_, span), (x0, x1)) in enumerate(zip(cells, extents[depth])):
            under = [r for r in rules if r.start <= x0 + 1 and x1 - 1 <= r.end]
            if not under:
                continue
            rule = min(under, key=lambda r: r.position)     # the nearest below the title
            covered = {c.index for c in columns if _overlap(c.x0, c.x1, rule.start, rule.end) > 1}
            if len(covered) >= 2:
                span.clear()
                span.update(covered)
                bounded.add((depth, index))
    return bounded


def _widen_group_titles(levels: list[list[tuple[str, set[int]]]], ruled: list[bool],
                        columns: list[Column], tabbed: bool,
                        bounded: set[tuple[int, int]] = frozenset()) -> None:
    """Without rules a group title ("收入预算", "因公出国(境)费") covers only the columns under its
    own letters; give it the columns beside it that its line leaves blank and lower lines name.
    In tab-separated text a merged cell is written in its first tab cell, so it takes the blank
    cells to its right (on any header line); elsewhere only the top header line holds group
    titles for sure (lower lines may be one band of cells centred at different heights), and
    each blank column goes to the nearest title -- but to no title whose width a rule under it
    settles (*bounded*: :func:`_underlined_group_titles`). Nor does a title take a column whose
    cell stands on a higher line than the cells under its own letters: "科目名称" and "合计" printed
    on the middle line of three, centred in the header's height beside "科目编码" over 类 | 款 | 项
    on the last, are cells of their own, not parts of the code (see :func:`_first_below`)."""
    for depth, cells in enumerate(levels[:-1]):
        if not cells or ruled[depth] or (depth > 0 and not tabbed):
            continue
        taken = set().union(*(span for _, span in cells))
        below = set().union(*(span for lower in levels[depth + 1:] for _, span in lower)) \
            if levels[depth + 1:] else set()
        first_below = _first_below(levels, depth)
        # the shallowest line of the cells under each title's own letters (None: none named there)
        own_depth = [min((first_below[i] for i in span if i in first_below), default=None) for _, span in cells]
        # (each cell's last column, and how many columns before each one are taken or unnamed
        # below, kept as the loop goes: a hostile header of thousands of cells stays linear)
        last = [max(span) if span else -1 for _, span in cells]
        owners = [i for i in range(len(cells)) if (depth, i) not in bounded]
        blocked = [0]
        for column in columns:
            blocked.append(blocked[-1] + (column.index in taken or column.index not in below))
        given: dict[int, int] = {}      # (without rules) column -> the title nearest it
        for column in columns:
            if column.index in taken or column.index not in below:
                continue
            if tabbed:
                left = [i for i, end in enumerate(last) if end < column.index]
                if not left:
                    continue
                owner = left[-1]
                if last[owner] + 1 < column.index and blocked[column.index] - blocked[last[owner] + 1] > 0:
                    continue        # a column between the title and this one is taken or unnamed
            else:
                middle = (column.x0 + column.x1) / 2
                fitting = [i for i in owners if own_depth[i] is None or own_depth[i] <= first_below[column.index]]
                if not fitting:
                    continue
                owner = min(fitting, key=lambda i: min(
                    abs((columns[j].x0 + columns[j].x1) / 2 - middle) for j in cells[i][1]))
                given[column.index] = owner
                continue
            cells[owner][1].add(column.index)
            last[owner] = max(last[owner], column.index)
        for owner, (_, span) in enumerate(cells):
            # A title spans the columns beside its own, one run: a column given to it past one it
            # was not given (one named on a higher line: "上年结转结余" between "政府性基金" and the
            # 单位名称 / 合计 columns) is no part of its group -- a cell wrapped over the header's
            # lines ("政府性基金 / 预算拨款收 / 入") would else head the table's first columns.
            if not span:
                continue
            low, high = min(span), max(span)
            while given.get(low - 1) == owner:
                low -= 1
            while given.get(high + 1) == owner:
                high += 1
            span.update(range(low, high + 1))


def _first_below(levels: list[list[tuple[str, set[int]]]], depth: int) -> dict[int, int]:
    """Each column -> the first header line below *depth* with a cell over it."""
    first: dict[int, int] = {}
    for lower in range(len(levels) - 1, depth, -1):
        for _, span in levels[lower]:
            for index in span:
                first[index] = lower
    return first
