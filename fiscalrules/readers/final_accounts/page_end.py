"""The cells of a table's last rows that ``pdftotext`` (without -layout) writes out of their rows'
flow: after the table's note and the page's number (:attr:`.blocks.TableBlock.after`).

What it owns: putting such figures back into the 基本支出决算表's panels, into the cells that
printed none (an item's amount, a 合计), only where the table's sums leave one placement -- each
class the sum of its items, 人员经费合计 the sum of its panel's classes, 公用经费合计 of the
others'.  A placement is taken only when it is the one way the figures fill the empty cells with
every sum touching them holding (and each touching one); otherwise nothing is placed and the
reader lists the table as before.  Their order in the text is not trusted (the flow they were
written in is not the rows').
"""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

from ...document.model import Document, Line
from ..common.panels import PERSONNEL, PUBLIC, PanelItem, PanelTable
from .blocks import NUMBER

__all__ = ["fill_from_after"]

# (the empty cells tried at once: past it, the permutations are too many to be worth trying)
_MOST_CELLS = 6


def fill_from_after(doc: Document, after: list[int], panels: PanelTable, missing: list[PanelItem]) -> set[int]:
    """Fill *missing* items' amounts and the panels' missing 合计 with the figures on the *after*
    lines, where the sums leave one placement; the lines used (empty: nothing placed)."""
    figures: list[tuple[str, Line]] = [(w.text, doc.line(n)) for n in after for w in doc.line(n).words
                                       if NUMBER.match(w.text)]
    totals = [key for key in panels.labels if key not in panels.totals]
    cells: list = [*missing, *totals]
    if not cells or len(figures) != len(cells) or len(cells) > _MOST_CELLS:
        return set()
    found = set()
    for order in set(permutations(range(len(figures)))):
        values = {_key(cell): Decimal(figures[i][0].replace(",", "")) for cell, i in zip(cells, order)}
        if _sums_hold(panels, values, cells):
            found.add(tuple(figures[i][0] for i in order))
            chosen = order
    if len(found) != 1:
        return set()
    for cell, i in zip(cells, chosen):
        text, line = figures[i]
        if isinstance(cell, PanelItem):
            cell.amount, cell.amount_line = text, line
        else:
            panels.totals[cell] = (text, line)
    return set(after)


def _sums_hold(panels: PanelTable, filled: dict, cells: list) -> bool:
    """Whether every sum of the panels touching a filled cell holds, and each touches one."""
    def value(item: PanelItem) -> Decimal | None:
        if id(item) in filled:
            return filled[id(item)]
        return None if item.amount is None else Decimal(item.amount.replace(",", ""))

    touched: set[int] = set()
    classes = [item for item in panels.items if len(item.code) == 3]
    for parent in classes:
        children = [item for item in panels.items if len(item.code) == 5 and item.code[:3] == parent.code]
        if not children:
            continue
        group = [parent, *children]
        if not any(id(item) in filled for item in group):
            continue
        values = [value(item) for item in group]
        if any(v is None for v in values) or values[0] != sum(values[1:], Decimal(0)):
            return False
        touched.update(id(item) for item in group)
    for key in (PERSONNEL, PUBLIC):
        if key in filled or any(id(item) in filled for item in classes if item.panel == key):
            total = filled.get(key) if key in filled else \
                Decimal(panels.totals[key][0].replace(",", "")) if key in panels.totals else None
            values = [value(item) for item in classes if item.panel == key]
            if total is None or any(v is None for v in values) or total != sum(values, Decimal(0)):
                return False
            touched.add(key)
            touched.update(id(item) for item in classes if item.panel == key)
    return all(_key(cell) in touched for cell in cells)


def _key(cell) -> int | str:
    """An empty cell's key: an item's identity, a 合计's panel."""
    return id(cell) if isinstance(cell, PanelItem) else cell
