"""A table printed over pages side by side: its columns continued to the RIGHT on the next page.

Template-agnostic. A table wider than a page is printed as a spreadsheet prints a print area too
wide for one page: the first page holds the row labels (codes, names) and the left columns, the
next page the same rows again -- their labels repeated (Excel's 打印标题列 / WPS's 左端标题列) --
under a header naming the further columns, and so on for a third page.  Read as one grid, the
second page's header is no header (its lines differ from the first's) and its rows are rows the
table already has: every row of the table is then "not understood".

:func:`side_by_side_parts` cuts a table's lines where a header naming the row labels' columns is
printed again after body rows, unlike the header of the part being read, into *parts*, one per
header: a header printed again as it was goes on with that header's part (a part continued
DOWNWARDS, more rows under the same columns; Excel prints "over, then down" too, the left part's
header coming back after the right part's).  :func:`joined_beside` then makes the parts' grids one
grid: the first part's rows, each given the further columns of the rows of the other parts that
print its label (the i-th row printing a label to the i-th row printing it).  Whether the parts are
beside one another -- every row of the further parts printing a label of the first's, the same
rows in the same order -- is :func:`joined_beside`'s to decide: a part printing rows of its own is a
table continued downwards under another header, and the caller reads the lines as one table, as
before (None).  A part may print some of the label columns only (科目编码 without 科目名称: its rows
matched by what they print), or none (its figure columns alone, under a header naming them only at
a page's top, *heads_figures*): its rows matched by position (:mod:`.rows_beside`).
"""

from __future__ import annotations

from .model import Line
from .tables import Cell, Column, Grid, Row
from .rows_beside import placed_beside

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable, Sequence

__all__ = ["side_by_side_parts", "joined_beside"]


def side_by_side_parts(lines: Sequence[Line], is_body: Callable[[Line], bool],
                       heads_labels: Callable[[Line], bool],
                       heads_figures: Callable[[Line], bool] | None = None) -> list[list[Line]] | None:
    """The lines of each part of a table printed side by side (None: one header only).

    A part starts where, after body lines, a run of header lines one of which names a row
    label's column (*heads_labels*: "科目编码", "科目名称", "项目") differs from the header of the
    part being read: its lines and the body lines after it, up to the next such run, make the
    part -- or go on with an earlier part whose header it prints again.  A part repeating no label
    column (its figure columns alone, its rows told by their place) starts at the top of a page
    with a header naming figure columns only (*heads_figures*: "项目支出", "经营支出")."""
    parts: list[list[Line]] = [[]]
    headers: list[set[str]] = [set()]
    current = 0
    seen_body = False
    at = 0
    while at < len(lines):
        line = lines[at]
        if is_body(line):
            seen_body = True
            parts[current].append(line)
            at += 1
            continue
        run_end = at
        while run_end < len(lines) and not is_body(lines[run_end]):
            run_end += 1
        run = list(lines[at:run_end])
        if not seen_body:
            headers[current].update(l.compact for l in run)
            parts[current].extend(run)
            at = run_end
            continue
        starts = _header_start(run, heads_labels)
        if starts is None and heads_figures is not None:
            starts = _figures_header_start(run, parts[current][-1], heads_figures)
        if starts is None or run_end == len(lines):
            parts[current].extend(run)
            at = run_end
            continue
        parts[current].extend(run[:starts])
        header = run[starts:]
        printed = {l.compact for l in header}
        target = next((i for i, seen in enumerate(headers) if printed <= seen), None)
        if target is None:
            parts.append([])
            headers.append(printed)
            target = len(parts) - 1
        current = target
        parts[current].extend(header)
        at = run_end
    return parts if len(parts) > 1 else None


def _header_start(run: list[Line], heads_labels: Callable[[Line], bool]) -> int | None:
    """Where in *run* (non-body lines after body lines) a header naming the labels' columns
    starts: at the first line on the page of the line naming them (a wrapped cell's piece under
    the page's last row stays with it), or the run's first line where pages are not known."""
    naming = next((i for i, line in enumerate(run) if heads_labels(line)), None)
    if naming is None:
        return None
    page = run[naming].page
    return next(i for i, line in enumerate(run) if line.page == page or i == naming)


def _figures_header_start(run: list[Line], last_body: Line, heads_figures: Callable[[Line], bool]) -> int | None:
    """Where in *run* a header naming figure columns only starts: at the first line of a page after
    the last body line's (*last_body*) holding such a header -- a part of the table printed beside
    the rows above it, on the next page, without their labels; None in the page's run (a group's
    heading between rows) or where pages are not known."""
    naming = next((i for i, line in enumerate(run) if line.page > last_body.page and heads_figures(line)), None)
    if naming is None:
        return None
    page = run[naming].page
    return next(i for i, line in enumerate(run) if line.page == page)


def joined_beside(readings: list[tuple[Grid, dict[int, str]]]) -> tuple[Grid, dict[int, str]] | None:
    """One grid of the grids of a table's parts printed side by side (the first the left one),
    each given with its figure columns' keys (by column index; its other columns label the rows:
    codes, names), or None when they are not beside one another: a further part naming a column
    the parts before it have, or none; a row of it printing no label, or one the first part does
    not print (as often, in the same order).

    The joined grid's columns are the first part's, then each further part's figure columns in
    order, numbered on from the first part's; a row's cells from another part keep their own line
    (a figure's source is where it is printed).  The keys: the first part's, and each further
    part's under its columns' new numbers."""
    first, first_keys = readings[0]
    wanted = [_label(row, first_keys) for row in first.rows]
    if not any(wanted):
        return None
    columns = list(first.columns)
    keys = dict(first_keys)
    cells_of = [dict(row.cells) for row in first.rows]
    outside = [list(row.outside) for row in first.rows]
    header_lines, loose, repeated = list(first.header_lines), list(first.loose), list(first.repeated)
    for grid, part_keys in readings[1:]:
        if not grid.rows or not part_keys or set(part_keys.values()) & set(keys.values()):
            return None
        printed = [_label(row, part_keys) for row in grid.rows]
        # (a part printing no row's label -- its figure columns alone -- stands its rows where the
        # first part's are: matched by position)
        matched = _matched_rows(printed, wanted) if any(printed) else placed_beside([row.line for row in grid.rows], [row.line for row in first.rows])
        if matched is None:
            return None
        renumbered: dict[int, int] = {}
        for index in sorted(part_keys):
            column = grid.columns[index]
            moved = Column(len(columns), column.x0, column.x1)
            moved.header = list(column.header)
            renumbered[index] = moved.index
            keys[moved.index] = part_keys[index]
            columns.append(moved)
        for row, target in zip(grid.rows, matched):
            for index, cell in row.cells.items():
                if index in renumbered:
                    cells_of[target][renumbered[index]] = _moved_cell(cell, target, renumbered[index])
            outside[target].extend(row.outside)
        header_lines += grid.header_lines
        loose += grid.loose
        repeated += grid.repeated
    rows = [Row(row.index, row.line, cells, out) for row, cells, out in zip(first.rows, cells_of, outside)]
    return Grid(columns, header_lines, rows, repeated, loose, first.unit), keys


def _label(row: Row, figure_keys: dict[int, str]) -> tuple[str, ...]:
    """A row's label: the text of its cells outside its figure columns (codes, names), spaces out."""
    return tuple("".join(cell.text.split()) for index, cell in sorted(row.cells.items()) if index not in figure_keys)


def _matched_rows(printed: list[tuple[str, ...]], wanted: list[tuple[str, ...]]) -> list[int] | None:
    """The first part's row each row of a further part stands for: the next one, in order,
    printing its label (None if a row prints no label or one not found so)."""
    out: list[int] = []
    at = 0
    for label in printed:
        if not label:
            return None
        while at < len(wanted) and not _prints_label(label, wanted[at]):
            at += 1
        if at == len(wanted):
            return None
        out.append(at)
        at += 1
    return out


def _prints_label(label: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Whether a further part's row printing *label* is the first part's row labelled *wanted*: the
    same cells, or some of them (a part repeating the code column only, not the names)."""
    return label == wanted or (len(label) < len(wanted) and all(piece in wanted for piece in label))


def _moved_cell(cell: Cell, row: int, column: int) -> Cell:
    """*cell* of another part's row as the joined row's cell in its new *column*."""
    moved = Cell(row, column, cell.text, cell.header, cell.unit, cell.box, cell.line, cell.start, cell.end)
    moved.words = cell.words
    moved.wrapped = cell.wrapped
    return moved
