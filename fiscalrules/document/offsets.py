"""Tables in text aligned by character offsets: whether a grid's headers stand where its figures do.

``pdftotext -layout`` writes each word of a PDF where the PDF draws it, one character a column (a
CJK character too, though it is drawn twice as wide as a digit): a word's *start* is where it
stands on the page, its end falls short by half its CJK characters.  A table's figures are
right-aligned in their cells, its header words centred over them, so in such text a header word
starts left of the right edge of the figures under it and right of the figures of the column
before it -- and two header words that start between the same two right edges are a column blank
in every row (the left one) and the figures' own column (the right one).

:func:`headers_fit_figures` checks a grid read from such text (:func:`..tables.read_grid` over
:func:`..model.char_columns` lines) against that, so that a header word the grid gave to the
figures of the column beside it (a header over three lines, the nearest run taken for its own) is
found: the table is then listed as unread by its reader, never read under the wrong headers.
"""

from __future__ import annotations

from .tables import Grid, _ColumnIndex

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable

__all__ = ["headers_fit_figures"]


def headers_fit_figures(grid: Grid, is_figure: Callable[[str], bool]) -> bool:
    """Whether every column of *grid* holding figures has its header words starting left of its
    figures' right edge, and no column blank in every row has a header word starting after the
    figure column's own header and before that edge (which of the two heads the figures would be
    a guess).  A grid without figures or header words fits."""
    index = _ColumnIndex(grid.columns)
    right: dict[int, float] = {}        # figure column -> right edge of its figures
    filled: set[int] = set()            # columns some body word stands in
    for row in grid.rows:
        for at, word in enumerate(row.line.words):
            column = index.column_of(word)
            if column is None:
                continue
            filled.add(column.index)
            if at and is_figure(word.text):     # (a row's first word is its code, name or 合计)
                right[column.index] = max(right.get(column.index, word.x1), word.x1)
    starts: dict[int, list[float]] = {}     # column -> where its header words start
    for line in grid.header_lines:
        for word in line.words:
            column = index.column_of(word)
            if column is not None:
                starts.setdefault(column.index, []).append(word.x0)
    blank_starts = [x for c, xs in starts.items() if c not in filled for x in xs]
    for column, edge in right.items():
        own = starts.get(column)
        if not own:
            continue
        if any(x >= edge for x in own):
            return False        # a header word right of the figures it would head
        if any(min(own) < x < edge for x in blank_starts):
            return False        # a blank column's header between this one's and its figures
    return True
