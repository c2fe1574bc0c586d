"""Which row of a table each row of its part printed beside it stands for, when that part prints no
label of its rows (no code, no name: its figure columns alone) -- by position.

Template-agnostic.  A spreadsheet printing a print area too wide for one page, without title columns
repeated, prints the further columns of the same rows at the same heights on the next page (the
rows' heights are the sheet's, the print titles above them the same on every page): a PDF's row of
the further part is the first part's row printed at its height on the page paired with its own
(the k-th page of one part with the k-th of the other: a part going on downwards over pages).  A
row left blank in the further part prints nothing there, so its rows are not counted but placed.
Text gives no height: its rows are taken in order only when the two parts print as many.

Whatever is in doubt leaves the part unjoined (None), its lines unread and said so, never glued to
the wrong rows: a row standing at no row's height, two at one, pages that do not pair -- and rows
standing lower or higher than the first part's all alike (a Word table cut in two, each part laid
out on its own): however well a shift fits, a page's rows and blank rows evenly spaced, a shift by
a row would fit as well.
"""

from __future__ import annotations

from statistics import median

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Sequence
    from .model import Line

__all__ = ["placed_beside"]

# How far from a row's height a row beside it may stand, as a share of the rows' spacing.
_TOLERANCE = 0.3


def placed_beside(rows: Sequence[Line], first: Sequence[Line]) -> list[int] | None:
    """The index in *first* (the lines of the first part's rows) of the row each of *rows* (the
    lines of a further part's, printing no label) stands beside, in order; None when in doubt."""
    if not rows or not first:
        return None
    if any(line.boxes is None for line in (*rows, *first)):
        return list(range(len(rows))) if len(rows) == len(first) else None
    pages = _by_page(list(enumerate(rows)))
    first_pages = _by_page(list(enumerate(first)))
    if len(pages) != len(first_pages):
        return None
    out: list[int] = []
    for own, theirs in zip(pages, first_pages):
        placed = _placed_on_page(theirs, [line for _, line in own])
        if placed is None:
            return None
        out += placed
    return out if out == sorted(set(out)) else None


def _by_page(lines: list[tuple[int, Line]]) -> list[list[tuple[int, Line]]]:
    """*lines* (each with its index) cut where their page changes, in order."""
    pages: list[list[tuple[int, Line]]] = []
    for index, line in lines:
        if not pages or pages[-1][-1][1].page != line.page:
            pages.append([])
        pages[-1].append((index, line))
    return pages


def _placed_on_page(theirs: list[tuple[int, Line]], own: list[Line]) -> list[int] | None:
    """Where on the paired page of the first part (its rows *theirs*, each with its index) the
    further part's rows *own* stand: each at the height of one of them (None if one stands at none)."""
    bottoms = [line.bottom for _, line in theirs]
    spacing = median([b - a for a, b in zip(bottoms, bottoms[1:])]) if len(bottoms) > 1 else 0.0
    if spacing <= 0:
        return None
    placed = _at_heights([line.bottom for line in own], bottoms, spacing * _TOLERANCE)
    return None if placed is None else [theirs[i][0] for i in placed]


def _at_heights(heights: list[float], bottoms: list[float], reach: float) -> list[int] | None:
    """The row at each of *heights* (within *reach* of one of *bottoms*), each row once; None if a
    height has none."""
    placed: list[int] = []
    for height in heights:
        nearest = min(range(len(bottoms)), key=lambda i: abs(bottoms[i] - height))
        if abs(bottoms[nearest] - height) > reach or (placed and nearest <= placed[-1]):
            return None
        placed.append(nearest)
    return placed
