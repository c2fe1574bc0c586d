"""A coded 决算 table printed side by side over pages: its further columns on the next page, beside
the codes and names printed again, the codes only, or no label at all (its rows told by their
height: :mod:`fiscalrules.document.side_by_side`), read as one table -- a part of no label that
cannot be joined listed unread, never read as rows of the table."""

from __future__ import annotations

from typing import Callable

from ...document.model import Document, Line
from ...document.side_by_side import joined_beside, side_by_side_parts
from ...document.tables import Grid, read_grid
from ..common.columns import heads_figure_columns, heads_row_labels
from ..common.record import RecordBuilder

_UNJOINED = ("a part printed beside the table on another page (its figure columns alone), its rows not "
             "matched to the table's rows, not read: ")

__all__ = ["beside_grid"]


def beside_grid(builder: RecordBuilder, title: str, doc: Document, lines: list[Line], is_body: Callable[[Line], bool],
                keys_of: Callable[[Grid], dict[int, str]],
                lines_up: Callable[[Grid, dict[int, str]], bool]) -> tuple[tuple[Grid, dict[int, str]] | None, list[Line]]:
    """The grid and figure columns' keys (*keys_of*) of a table whose *lines* print it side by side,
    each part read by where its words stand -- a PDF, or text whose part *lines_up* by display
    columns; None for a table printed otherwise (read as before).  And the table's lines to read
    then: without those of a part not joined that prints no label (its figure columns alone), no
    row of the table being told from them -- listed (under *title*), never read as rows of it."""
    parts = side_by_side_parts([line for line in lines if not doc.is_noise(line.number)], is_body,
                               lambda line: heads_row_labels(line.words), lambda line: heads_figure_columns(line.words))
    if parts is None:
        return None, lines
    readings = [(grid, keys_of(grid)) for grid in (read_grid(doc, part, is_body) for part in parts)]
    joined = None
    if all(grid.rows and (grid.rows[0].line.boxes is not None or lines_up(grid, keys)) for grid, keys in readings):
        joined = joined_beside(readings)
    if joined is not None:
        return joined, lines
    unlabelled = {line.number for part, (grid, keys) in zip(parts[1:], readings[1:])
                  if grid.rows and len(keys) == len(grid.columns) for line in part}
    for number in sorted(unlabelled):
        line = doc.line(number)
        if is_body(line):
            builder.add_unread(title, (number, number), _UNJOINED + line.original.strip())
    return None, [line for line in lines if line.number not in unlabelled]
