"""The coded 决算 tables' rows read by tokens (single-spaced text: ``pdftotext`` without -layout,
``pdfplumber``'s text) that print fewer figures than the header has figure columns: a blank cell
leaves no trace there.  Such a row is placed where the template leaves one placement
(:mod:`fiscalrules.readers.common.blank_cells`, shared with the budget's tables read by token
order: the figures keep their order, the first is the 合计 where the first column is 合计, a
parent's figures are the sums of its children's); a row left open goes back to the reader as not
placed (the table is then listed, never read in part).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from ..common.blank_cells import candidates, consistent, placed_row, settle

__all__ = ["place_open_rows"]


def place_open_rows(out_rows: list, open_rows: dict[int, list], ordered: list[str], economic: bool,
                    cell: Callable) -> None:
    """Place the figures of each open row (*open_rows*: its index in *out_rows* -> its figures'
    (text, line)) under the columns *ordered* where the table's sums leave one placement; the
    others become rows not placed (None).  *cell*: (key, text, line) -> the record's figure."""
    tree: list = []
    options: dict[int, list[tuple[str, ...]]] = {}
    for at, (line, out, is_total) in enumerate(out_rows):
        if out is None:
            tree = []           # a row not understood: the sums are not the table's
            break
        code = None if is_total else out.get("code")
        figures = open_rows.get(at)
        if figures is not None:
            values = [Decimal(text.replace(",", "")) for text, _ in figures]
            # (the row's own identity first: its 合计 is the sum of its parts)
            options[at] = consistent(candidates(len(figures), ordered, code, economic), values, ordered)
            tree.append((code, options[at], values))
        else:
            tree.append(placed_row(code, out, ordered))
    chosen = settle(tree, ordered) if tree and all(options.values()) else [None] * len(out_rows)
    for at, figures in open_rows.items():
        line, out, is_total = out_rows[at]
        if out is None:
            continue
        if chosen[at] is None:
            out_rows[at] = (line, None, False)
            continue
        for key, (text, figure_line) in zip(options[at][chosen[at]], figures):
            out[key] = cell(key, text, figure_line)
