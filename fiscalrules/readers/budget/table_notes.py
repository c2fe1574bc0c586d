"""The notes printed with the standard tables ("注：若为空表…", "注：本表金额单位为元"): which table
each belongs to.  Split from :mod:`.sections`, which cuts the tables out and calls
:func:`attach_notes` once they are found.
"""

from __future__ import annotations

import re

from ...document.model import Document

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from .sections import Layout

__all__ = ["attach_notes", "NOTE_OPENINGS", "NAMED_SUBJECTS", "GENERAL_BUDGET_YEAR"]

# How a table's note opens: "注：", or "备注：" as Sichuan's counties print it under an empty table
# ("备注：…无政府性基金预算拨款安排的支出，故本表无数据。").  Read as one of the table's lines, the
# note was a cell of its 合计 row, and the empty table a table not understood.
NOTE_OPENINGS = ("注:", "注：", "备注:", "备注：")


# The central template's 一般公共预算当年拨款情况 by its name, in a heading or opening one of its parts
# (readers/budget/general_budget_year.py)
GENERAL_BUDGET_YEAR = r"一般公共预算(?:财政)?(?:拨款)?当年(?:财政)?拨款"

# The kinds a heading or a table's note names by their own words, in the order they are tried: a
# section heading's (:mod:`.sections`, before the generic 收入 / 支出 / 财政拨款 ones) and what an
# empty-table note names ("无政府性基金预算财政拨款安排的预算，故本表为空表"): the table it belongs to,
# whichever side of the note that table was printed.
NAMED_SUBJECTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"三公"), "three_public"),
    # (the central template's 一般公共预算当年拨款 and its parts: readers/budget/general_budget_year.py)
    (re.compile(GENERAL_BUDGET_YEAR), "general_budget_year"),
    # ("一般公共预算基本支出情况": the central template's section on the appropriation's basic spending
    # and its 人员经费 / 公用经费 -- not the 支出 section of all funds)
    (re.compile(r"一般公共预算(?:财政)?(?:拨款)?基本支出"), "appropriation"),
    (re.compile(r"政府性基金"), "gov_fund"),
    (re.compile(r"国有资本经营"), "state_capital"),
]


_UNIT_NOTE = re.compile(r"本表.{0,4}单位")


def attach_notes(doc: Document, layout: "Layout") -> None:
    """A "注：若为空表…" note belongs to the table it names; documents print it just before
    (Jiangxi: at the foot of the page above the title) or just after that table (Shanghai: under
    its header). A note that names no table goes to the table that follows, else the one above."""
    for line in doc.lines:
        if not line.compact.startswith(NOTE_OPENINGS) or layout.in_blocks(line.number):
            continue
        following = next((b for b in layout.blocks if 0 < b.first - line.number <= 6), None)
        preceding = next((b for b in reversed(layout.blocks) if 0 < line.number - b.last <= 3), None)
        named = {key for pattern, key in NAMED_SUBJECTS if pattern.search(line.compact)}
        # "注：本表金额单位为元" speaks of the table it is printed under
        neighbours = [b for b in ((preceding, following) if _UNIT_NOTE.search(line.compact)
                                  else (following, preceding)) if b is not None]
        target = next((b for b in neighbours if b.key in named), None)
        if target is None and not named:
            target = neighbours[0] if neighbours else None
        if target:
            target.notes.append((line.number, line.text.strip()))
