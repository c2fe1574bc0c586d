"""Staff counts printed as a table (部门基本情况表 / 人员情况表) under 机构设置及人员情况.

Guangdong and Hunan 部门预算 (and the national 部门决算's 基本情况 table) print the headcount as a
one-row table instead of the sentence "编制人数共计 52 人，其中：…": 编制人数 {合计 | 行政编制 |
参照公务员法管理事业编制 | 全额拨款事业编制 …} | 实有人数 {合计 | 在职 | 离休 | 退休}.  Its columns are
named by their header words, with the same groups and categories as the sentence
(:mod:`fiscalrules.readers.budget.headcount`): the 编制 group, the 实有 group, 在职 (its own group,
with categories below it where printed), 离休, 退休, 遗属.  The figures go to ``tables.staff``, in
the same shape as ``staff`` (``tables.staff.authorized.total``, ``tables.staff.active.total``,
``tables.staff.retired`` …), so that the rules add up the table and compare it with the sentence
where the document prints both.

A table with several rows (one per unit) is read from its 合计 row; a column whose header names
no group, or a row that is not all counts, makes the table listed (never read in part).
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ...document.tables import read_grid
from ..common.cells import BLANK
from ..common.record import RecordBuilder, figure, source
from .headcount import CATEGORIES, SEPARATE_KINDS, staff_group

__all__ = ["read_staff_table"]

_COUNT = re.compile(r"^\d{1,6}$")
_TOTAL = re.compile(r"^(?:合计|小计|总计|总数|人数|共计)$")


def _is_body(line: Line) -> bool:
    """A row of counts (after a unit name or 合计, where printed)."""
    words = [w.text for w in line.words]
    return len(words) > 1 and sum(1 for w in words if _COUNT.match(w)) >= 2 \
        and all(_COUNT.match(w) or w in BLANK for w in words[1:])


def column_path(header: list[str]) -> str | None:
    """The ``tables.staff`` path of a column whose header cells (top to bottom) are *header*;
    None for a column no group names (a unit's name column is ``name``)."""
    joined = "".join(header)
    leaf = header[-1] if header else ""
    if re.search(r"单位名称|单位$|部门名称|项目$", leaf):
        return "name"
    if "离退休" in joined:
        return None                 # both kinds together: no field
    for pattern, key in SEPARATE_KINDS:
        if re.search(pattern, leaf):
            return key
    # 在职 is a group of its own wherever it stands; otherwise the topmost cell naming a group is the
    # group, and the words below it its category: 实有人数 {合计 | 行政编制 | 事业编制} is the 实有
    # group by post, not the 编制 group (review 22 A1)
    group = "active" if staff_group(joined) == "active" else next(
        (found for found in map(staff_group, header) if found is not None), None)
    if group is None:
        return None
    # the category the lower cells name (the 合计 column, or a group title alone, is the total)
    below = [cell for cell in header if not re.search(r"编制人数|实有人数|在职人数|^在职$|^人员$", cell)]
    name = "".join(below)
    if not name or _TOTAL.match(name):
        return f"{group}.total"
    category = next((key for pattern, key in CATEGORIES if re.search(pattern, name)), None)
    return f"{group}.{category}" if category else None


def read_staff_table(builder: RecordBuilder, doc: Document, block) -> None:
    """Read the staff table *block* (its lines after the title) into ``tables.staff``."""
    title = block.title
    lines = [l for l in doc.content_lines(block.first + 1, block.last)
             if not re.match(r"^(?:填报单位|编制单位|单位[:：]|单位名称[:：])", l.compact)]
    grid = read_grid(doc, lines, _is_body)
    paths = [column_path(column.header) for column in grid.columns]
    rows = grid.rows
    span = (block.first, block.last)
    others = []
    if len(rows) > 1:   # by unit: the 合计 row is the department's
        totals = [r for r in rows if any(_TOTAL.match(c.text) for c in r.cells.values())]
        if len(totals) == 1:
            others = [r.line for r in rows if r is not totals[0]]
            rows = totals
    # Lines of the table that are no row of counts (a count of seven digits, a note with a count):
    # listed, not dropped in silence (review 22 A5).
    others += [line for line in grid.loose if re.search(r"\d", line.compact)]
    if not rows:
        builder.add_unread(title, span, f"staff table not read: no row of counts: {title}")
        return
    if len(rows) > 1:
        builder.add_unread(title, span, f"staff table not read: several rows and no 合计 row: {title}")
        return
    unnamed = [grid.columns[i].path for i, cell in rows[0].cells.items() if paths[i] is None and _COUNT.match(cell.text)]
    if unnamed:
        header = "、".join(unnamed)
        builder.add_unread(title, span, f"staff table not read: a count under a column whose header was not "
                                        f"understood ({header}): {title}")
        return
    row = rows[0]
    # A cell under a named column that is no count (seven digits, a decimal): the figure would be
    # dropped and the rest read as if it were blank (review 22 A5)
    odd = next((cell for i, cell in sorted(row.cells.items()) if paths[i] not in (None, "name")
                and not _COUNT.match(cell.text) and cell.text not in BLANK), None)
    if odd is not None:
        builder.add_unread(title, span, f"staff table not read: {odd.text} is no count of people: {title}")
        return
    printed = row.line.original.strip()
    cells = [(paths[i], i, cell) for i, cell in sorted(row.cells.items())
             if paths[i] not in (None, "name") and _COUNT.match(cell.text)]
    read = [path for path, _, _ in cells]
    twice = next((path for path in read if read.count(path) > 1), None)
    if twice is not None:       # two columns for one field: the table is not what it seems
        builder.add_unread(title, span, f"staff table not read: two columns read as {twice}: {title}")
        return
    for path, index, cell in cells:
        src = source(doc.name, title, row.line.number, printed, box=cell.box)
        builder.put(f"tables.staff.{path}", figure(cell.text, "人", label="".join(grid.columns[index].header),
                                                    src=src), section=title, lines=(row.line.number,) * 2)
    builder.put("tables.staff.title", title)
    for line in others:
        builder.add_unread(title, (line.number,) * 2, f"staff table row not read (only the 合计 row is read): "
                                                      f"{line.original.strip()}")
