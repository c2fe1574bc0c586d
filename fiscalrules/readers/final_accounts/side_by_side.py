"""A coded 决算 table printed side by side over pages: its further columns on the next page, beside
the codes and names printed again (:mod:`fiscalrules.document.side_by_side`), read as one table."""

from __future__ import annotations

from typing import Callable

from ...document.model import Document, Line
from ...document.side_by_side import joined_beside, side_by_side_parts
from ...document.tables import Grid, read_grid
from ..common.columns import heads_row_labels

__all__ = ["beside_grid"]


def beside_grid(doc: Document, lines: list[Line], is_body: Callable[[Line], bool],
                keys_of: Callable[[Grid], dict[int, str]],
                lines_up: Callable[[Grid, dict[int, str]], bool]) -> tuple[Grid, dict[int, str]] | None:
    """The grid and figure columns' keys (*keys_of*) of a table whose *lines* print it side by side,
    each part read by where its words stand -- a PDF, or text whose part *lines_up* by display
    columns; None for a table printed otherwise (read as before)."""
    parts = side_by_side_parts([line for line in lines if not doc.is_noise(line.number)], is_body,
                               lambda line: heads_row_labels(line.words))
    if parts is None:
        return None
    readings = [(grid, keys_of(grid)) for grid in (read_grid(doc, part, is_body) for part in parts)]
    if not all(grid.rows and (grid.rows[0].line.boxes is not None or lines_up(grid, keys)) for grid, keys in readings):
        return None
    return joined_beside(readings)
