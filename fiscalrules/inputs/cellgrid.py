"""A word-processor table's rows, given as cells and their edges, → the tab-joined lines the readers read.

Binary Word (:mod:`.doc`) and RTF (:mod:`.rtf`) do not say which of a table's columns a cell
covers (as a .docx's ``gridSpan`` does): each row gives its cells' edges on the page, in twips.
A cell as wide as several of the table's columns -- a two-line header's 合计 over 基本支出 and
项目支出 -- is written followed by as many empty cells, so that the header reads over the columns
of the rows below it.  The table's columns are every row's edges, those within :data:`ALIGNED`
of one another taken as one: rows typed apart (by hand, or pasted from elsewhere) put their edges
a few twips off the others', which are not columns of their own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from .html import MAX_COLUMNS, MAX_SPAN
from .tabrows import tab_line

__all__ = ["ALIGNED", "row_lines"]

ALIGNED = 20   # twips (1 pt): cell edges this close are one column edge


def column_edges(edges: Iterable[int]) -> list[int]:
    """The table's column edges: every row's cell edges, those within :data:`ALIGNED` one."""
    grid: list[int] = []
    for edge in sorted(set(edges)):
        if not grid or edge - grid[-1] > ALIGNED:
            grid.append(edge)
    return grid


def spans(edges: Sequence[int], grid: list[int]) -> list[int]:
    """How many of the table's columns each cell of a row covers, its edges *edges* (left of the
    first, then each cell's right)."""
    # (the column edges strictly inside the cell, found by bisection: a table of many rows typed
    # apart has as many edges, and a scan of them all for each cell would be quadratic)
    return [min(MAX_SPAN, 1 + max(0, bisect_left(grid, right - ALIGNED) - bisect_right(grid, left + ALIGNED)))
            for left, right in zip(edges, edges[1:])]


def row_lines(rows: list[tuple[list[str], Sequence[int]]]) -> list[str]:
    """The lines of a table's *rows* -- each its cells' texts and edges (the first cell's left
    edge, then each cell's right: one more than the cells; a row whose edges do not say is
    written a column a cell) -- a blank line after them."""
    grid = column_edges(edge for _, edges in rows for edge in edges)
    lines = []
    for cells, edges in rows:
        written: list[str] = []
        for text, span in zip(cells, spans(edges, grid) if len(edges) == len(cells) + 1 else [1] * len(cells)):
            written.append(text)
            written.extend("" for _ in range(span - 1))
        if len(written) > MAX_COLUMNS:   # (the rest joined into the last column: no text lost)
            written[MAX_COLUMNS - 1:] = [" ".join(filter(None, written[MAX_COLUMNS - 1:]))]
        line = tab_line(written)
        if line:
            lines.append(line)
    lines.append("")
    return lines
