"""The "三公" table with its items as columns (the national layout) printed one row per year, each
row named by its year's role instead of a unit:

    项目          合计    因公出国（境）费   公务接待费   公务用车购置及运行维护费
                                                         小计   购置费   运行维护费
    上年预算数    39.92   0.00               5.20         34.72  18.00    16.72
    本年预算数    22.80   0.00               5.20         17.60  0.00     17.60
    增减额        -17.12  0.00               0.00         -17.12 -18.00   0.88

(Zhejiang; Beijing names them "2025年预算数" / "2026年预算数".)  A row named so was no row any
reader understood -- the table was listed, its slips uncaught.  This year's row is the table's one
row (as the national layout's row without 单位编码); last year's is ``tables.three_public.prior_year``
as a transposed table's prior-year column is (:mod:`.transposed`); a row of 增减 / 增长率 gives each
figure of this year's its printed change / percentage.  A table printing two rows of one role, or
none of this year's, is listed (which row is the table's is not printed).
"""

from __future__ import annotations

import re

from ..common.cells import BLANK, CELL_NUMBER
from .prior_columns import column_role
from .rows import read_row
from .transposed import write_prior_year

__all__ = ["year_row", "settle_year_rows", "is_year_label", "is_year_cell"]

# A row's label naming a year's column of figures and nothing else: "上年预算数", "2026年预算数",
# "本年预算", "增减额", "增长率（%）" -- never an item or a unit's name.
_YEAR_LABEL = re.compile(r"^(?:(?:\d{4}年度?|本年度?|上年度?|当年)(?:预算|预算数|执行数|决算数)?|增减(?:额|数)?"
                         r"|增减率|增长率|增减幅度|比上年增减)(?:\((?:%|万元|元)\))?$")
_ROLE = "_year_role"


def is_year_label(text: str) -> bool:
    """Whether a row's first cell names a year's role ("2026年预算数", "上年预算数", "增减额")."""
    return _YEAR_LABEL.match("".join(text.split())) is not None


def is_year_cell(text: str) -> bool:
    """A cell of a year's row: a figure, a blank, or a percentage printed with its sign ("-7.46%",
    the 增减率 row as Yunnan prints it -- that row was "a line inside the table that is no row",
    and the whole table listed)."""
    return CELL_NUMBER.match(text) is not None or text in BLANK \
        or (text.endswith("%") and CELL_NUMBER.match(text[:-1]) is not None)


def rows_year(builder, rows: list[str]) -> int | None:
    """The budget year as read, else the latest year the first cells of a "三公" table of year rows name
    ("2024年预算" / "2025年预算": the later is the budget's); None when they name none."""
    year = builder.year()
    if year is not None:
        return year
    named = [int(found.group(1)) for text in rows if is_year_label(text)
             for found in [re.match(r"(\d{4})年", text)] if found]
    return max(named, default=None)


def year_row(positions: list, unit: str, codes, year: int | None) -> dict | None:
    """The row a line of a "三公" table prints when its label names a year's role (this year's, last
    year's, the change, the percentage), with that role; None for any other line."""
    label = next((c for k, c, _ in positions if k == "name" and c), None)
    if label is None or not _YEAR_LABEL.match("".join(label.split())):
        return None
    role = column_role(label, year)
    if role is None:
        return None
    cells = [p for p in positions if p[0] != "name"]
    if role == "pct":      # ("-7.46%": the percentage's sign, the row's label says it is one)
        cells = [(k, c[:-1] if c.endswith("%") else c, src) for k, c, src in cells]
    row = read_row(cells, unit, codes)
    if row is None or row.get("_total"):
        return None
    row[_ROLE] = role
    return row


def settle_year_rows(builder, base: str, title: str, rows: list) -> list:
    """*rows* (line, row or None, printed) with the rows :func:`year_row` read settled: this year's
    row kept as the table's, last year's written as ``<base>.prior_year``, the change and the
    percentage put on this year's figures; all of them made rows not understood when a role is
    printed twice or this year's is missing."""
    by_role: dict[str, list[int]] = {}
    for i, (_, row, _) in enumerate(rows):
        if row is not None and _ROLE in row:
            by_role.setdefault(row[_ROLE], []).append(i)
    if not by_role:
        return rows
    if len(by_role.get("current", ())) != 1 or any(len(found) > 1 for found in by_role.values()):
        return [(line, None, printed + " (rows of a year's figures: this year's not told apart)")
                if row is not None and _ROLE in row else (line, row, printed) for line, row, printed in rows]
    current = rows[by_role["current"][0]][1]
    current.pop(_ROLE)
    for role, attribute in (("change", "change"), ("pct", "pct")):
        for i in by_role.get(role, ()):
            for key, cell in rows[i][1].items():
                if key in current and isinstance(cell, dict) and "value" in cell:
                    current[key][attribute] = cell["value"]
    for i in by_role.get("prior", ()):
        prior = {k: v for k, v in rows[i][1].items() if k != _ROLE}
        write_prior_year(builder, base, title, prior)
    settled = {i for role, found in by_role.items() if role != "current" for i in found}
    return [entry for i, entry in enumerate(rows) if i not in settled]
