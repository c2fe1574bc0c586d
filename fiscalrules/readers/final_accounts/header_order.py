"""The order of a coded 决算 table's figure columns where the text gives no column positions
(single-spaced text: ``pdfplumber``'s ``extract_text``, ``pdftotext`` without -layout): from the
header's words, in the order its lines give them.

What it owns: the keys the header's words claim, in order (longer needles first: 本年收入合计
before 合计), and the place of a merged header's group.  A merged header comes as several lines: a
group's name ("决算数", "本年支出") on the first, over its own 合计 / 小计 and parts on the last, and
the columns standing beside the group, their cells spanning the lines, on a line between -- so the
text says which columns the group holds, never on which side of the others it stands.  The group
then goes where the rows printing every column keep their identities (:func:`..common.blank_cells.holds`:
合计 = 基本支出 + 项目支出, 年末 = 年初 + 本年收入 - 本年支出) -- where no row prints every column, where
each row has a placement keeping them; where they leave more than one place (or none) the header's
own order is kept, its group first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..common.blank_cells import PARTS, candidates, holds

__all__ = ["ordered_keys"]


def _claims(header: str, names: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, key) of each header word a column's needle claims, in the header's order."""
    claimed: list[tuple[int, int, str]] = []
    for needle, key in names:
        for found in re.finditer(needle, header):
            if not any(found.start() < end and start < found.end() for start, end, _ in claimed):
                claimed.append((found.start(), found.end(), key))
    return sorted(claimed)


def _unique(keys) -> list[str]:
    out: list[str] = []
    for key in keys:
        if key not in out:
            out.append(key)
    return out


def ordered_keys(header: str, names: list[tuple[str, str]], full_rows: list[list[Decimal]]) -> list[str]:
    """The figure columns' keys in the order the header (*header*: its words run together, line by
    line) prints them; a merged group placed by *full_rows* (the figures of the rows printing one
    per column, in order)."""
    claimed = _claims(header, names)
    ordered = _unique(key for _, _, key in claimed)
    totals = [at for at, (_, _, key) in enumerate(claimed) if key == "total"]
    if len(totals) < 2:
        return ordered
    # the first 合计 claimed names the group ("决算数"), the last its own column ("合计", "小计"):
    # the group is that column and the parts after it
    sub = totals[-1]
    group = ["total"] + _unique(key for _, _, key in claimed[sub + 1:] if key in PARTS)
    beside = [key for key in _unique(key for at, (_, _, key) in enumerate(claimed) if at != totals[0])
              if key not in group]
    if len(group) < 2 or not beside:
        return ordered
    fits = []
    full = any(len(row) == len(ordered) for row in full_rows)
    for at in range(len(beside) + 1):
        order = beside[:at] + group + beside[at:]
        if full and all(holds(dict(zip(order, row)), order) for row in full_rows if len(row) == len(order)):
            fits.append(order)
        elif not full and full_rows and all(
                any(holds(dict(zip(option, row)), order) for option in candidates(len(row), order, None, False))
                for row in full_rows if len(row) < len(order)):
            # (no row prints every column: the rows printing fewer must each have a placement
            # keeping their identities -- an order leaving none for every row is no order of theirs)
            fits.append(order)
    if len(fits) == 1:
        return fits[0]
    return ordered
