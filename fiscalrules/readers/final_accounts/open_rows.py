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

from ..common.blank_cells import candidates, consistent, misprinted, placed_row, settle
from ...document.model import Document
from ..common.record import RecordBuilder, untaken_lines
from .anchors import pinned, within
from .blocks import NUMBER, TableBlock

__all__ = ["list_untaken", "place_open_rows"]


def place_open_rows(out_rows: list, open_rows: dict[int, list], ordered: list[str], economic: bool,
                    cell: Callable, stated: dict[str, Decimal] | None = None,
                    ceilings: dict | None = None) -> None:
    """Place the figures of each open row (*open_rows*: its index in *out_rows* -> its figures'
    (text, line)) under the columns *ordered* where the table's sums leave one placement; the
    others become rows not placed (None).  *cell*: (key, text, line) -> the record's figure.
    *stated*: the 合计 row's columns as the rest of the document states them; *ceilings*: the most
    each row (by code, None the 合计 row) may hold in a column (:mod:`.anchors`)."""
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
            every = candidates(len(figures), ordered, code, economic)
            options[at] = consistent(every, values, ordered)
            if is_total:
                options[at] = pinned(options[at], values, stated or {}, ordered)
            if ceilings is not None:
                options[at] = within(options[at], values, ceilings.get(code))
            # (a row whose own identity holds for no placement: one cell misprinted, the sums take
            # it at its true figure -- blank_cells.misprinted)
            tree.append((code, options[at], values, misprinted(every, values, ordered)))
        else:
            tree.append(placed_row(code, out, ordered))
    if sum(1 for row in tree if len(row) > 3 and row[3]) > 1:
        # (one misprinted cell is a slip; rows failing their own identity over the table say the
        # columns are not where the header was read: no row is taken at a figure it does not print)
        tree = [row[:3] for row in tree]
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


def list_untaken(builder: RecordBuilder, doc: Document, block: TableBlock, title: str, out_rows: list,
                  last_line: dict[int, int]) -> None:
    """A table listed whole: the lines printing figures that no row took (a cell a line, as
    pdftotext without -layout writes a table, leaves figures on lines of their own) are listed too,
    never left silent."""
    taken: set[int] = set()
    for at, (line, _, _) in enumerate(out_rows):
        taken.update(range(line.number, last_line.get(at, line.number) + 1))
    for line in untaken_lines(doc, range(block.title + 1, block.last + 1), taken, NUMBER.match):
        builder.add_unread(title, (line.number, line.number), "row not read: the table's rows could not be placed: "
                           + line.original.strip())
