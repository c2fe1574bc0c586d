"""The columns a coded table prints against last year, and the figures under columns no field names.

Many provinces print 上年预算数 | 本年预算数 {合计 基本支出 项目支出} | 增减额 | 增减（%）: the
vocabulary (:mod:`fiscalrules.readers.common.columns`) names them ``prior``, ``change`` and ``pct``,
so a row carries them beside its ``total`` and the rules check them (this year − prior = change,
change ÷ prior = pct, the table's change of a class = the narrative's).  ``pct`` is a percentage,
not an amount; so is ``share`` (a row's share of the table's total, "占支出总额比重（%）").

Which year a figure column is of (:func:`column_role`, :func:`names_last_year`: "上年预算数", or
"2024年预算数" in a 2025 budget) is told here for the tables that print last year's column beside
this year's under the same words: the 三公 table (``transposed.py``) and the 收支总表 (``summary.py``).

A figure under a column whose header no field names (``col_N``) is neither kept in the record nor
counted as read: the row is listed as read in part, naming the header, so that the coverage line
never claims a figure no rule can see.
"""

from __future__ import annotations

import re

from ...document.model import Line
from ..common.record import RecordBuilder

__all__ = ["PERCENT_COLUMNS", "list_unnamed_figures", "unnamed_headers", "YEAR", "column_role",
           "budget_year", "names_last_year", "last_years_columns", "LAST_YEARS_PARTS"]

# Columns whose cells are percentages (unit "%"), the others in the table's money unit.
PERCENT_COLUMNS = frozenset({"pct", "share"})


def list_unnamed_figures(builder: RecordBuilder, title: str, line: Line, row: dict, printed: str,
                         headers: dict | None) -> None:
    """List (unread) the figures of *row* that stood under unnamed columns (``row["_unnamed"]``,
    removed); *headers*: the printed header of each such column, where the reader knows it."""
    unnamed = row.pop("_unnamed", None)
    if not unnamed:
        return
    names = "、".join(dict.fromkeys((headers or {}).get(column) or column for column in unnamed))
    builder.add_unread(title, (line.number, line.number),
                       f"figures under a column whose header was not understood, not read ({names}): {printed}")


def unnamed_headers(keys: list[str], header_rows: list[list[str]]) -> dict:
    """The printed header of each unnamed (``col_N``) column of a tab-separated table: its header
    cells, top to bottom."""
    return {key: "".join(row[i] for row in header_rows if i < len(row) and row[i])
            for i, key in enumerate(keys) if key.startswith("col_")}


# ---- which year a column's figures are of (the 三公 tables, the 收支总表, a coded table's 上年 column) ----

YEAR = re.compile(r"(?P<year>\d{4})年")


def column_role(cell: str, year: int | None) -> str | None:
    """current / prior / change / pct for a figure column's header, None when it names none."""
    text = "".join(cell.split())
    if re.search(r"增长率|增减率|增幅|%|百分比", text):
        return "pct"
    if re.search(r"增减|增加|减少|变动", text):
        return "change"
    found = YEAR.search(text)
    if found and year is not None:
        return {year: "current", year - 1: "prior"}.get(int(found.group("year")))
    if re.search(r"上年", text):
        return "prior"
    if re.search(r"本年|预算数|预算", text):
        return "current"
    return None


def budget_year(builder: RecordBuilder, headers: list[list[str]]) -> int | None:
    """The budget year as read, else the latest year the *headers*' cells print (None: none)."""
    year = builder.year()
    if year is not None:
        return year
    return max((int(m.group("year")) for cells in headers for cell in cells for m in [YEAR.search(cell)] if m),
               default=None)


def names_last_year(cells: list[str], year: int | None) -> bool:
    """Whether header *cells* name last year's figures ("上年预算数", "2024年预算数" in a 2025 budget)."""
    return any(column_role(cell, year) == "prior" for cell in cells)


#: A figure column under a group title naming last year -> its key: last year's 合计 is ``prior``.
LAST_YEARS_PARTS = {"total": "prior", "basic": "prior_basic", "project": "prior_project"}


def last_years_columns(builder: RecordBuilder, paths: list[list[str]], keys: list[str]) -> list[str]:
    """*keys* of a coded table's columns (*paths*: each column's header cells, top to bottom) with
    last year's columns told from this year's: a block of 合计 | 基本支出 | 项目支出 under a title
    naming last year ("2025年执行数", "上年预算数") beside the same block under this year's
    (:func:`_last_years_block`); else an unnamed column headed by last year ("2024年预算数" in a
    2025 budget, where the vocabulary knows "上年预算数" only) keyed ``prior`` -- one such column,
    in a table that names no other ``prior``."""
    year = budget_year(builder, paths)
    block = _last_years_block(paths, keys, year)
    if block is not None:
        return block
    last = [i for i, (key, path) in enumerate(zip(keys, paths))
            if key.startswith("col_") and path and names_last_year(path, year)]
    if len(last) != 1 or "prior" in keys:
        return keys
    return [("prior" if i == last[0] else key) for i, key in enumerate(keys)]


def _last_years_block(paths: list[list[str]], keys: list[str], year: int | None) -> list[str] | None:
    """The keys where the budget year's 合计 / 基本支出 / 项目支出 are printed twice, once under a
    title naming last year (the central template's "2025年执行数 | 2026年预算数 | 增减"): the
    columns under last year's title are ``prior`` / ``prior_basic`` / ``prior_project``, whichever
    block comes first.  The title is any header cell above the leaf (a PDF grid's, a tab row's, a
    Word or web table's path).  None where no key is printed twice or a twice-printed key does not
    stand once under last year's title and once not (the columns are then left as keyed)."""
    last = [key in LAST_YEARS_PARTS and len(path) > 1 and names_last_year(path[:-1], year)
            for key, path in zip(keys, paths)]
    if not any(last):
        return None
    for key in {key for key, is_last in zip(keys, last) if is_last}:
        mine = [is_last for k, is_last in zip(keys, last) if k == key]
        if mine.count(True) != 1 or mine.count(False) != 1:
            return None
    return [LAST_YEARS_PARTS[key] if is_last else key for key, is_last in zip(keys, last)]
