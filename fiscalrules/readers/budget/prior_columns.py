"""The columns a coded table prints against last year, and the figures under columns no field names.

Many provinces print 上年预算数 | 本年预算数 {合计 基本支出 项目支出} | 增减额 | 增减（%）: the
vocabulary (:mod:`fiscalrules.readers.common.columns`) names them ``prior``, ``change`` and ``pct``,
so a row carries them beside its ``total`` and the rules check them (this year − prior = change,
change ÷ prior = pct, the table's change of a class = the narrative's).  ``pct`` is a percentage,
not an amount; so is ``share`` (a row's share of the table's total, "占支出总额比重（%）").

A figure under a column whose header no field names (``col_N``) is neither kept in the record nor
counted as read: the row is listed as read in part, naming the header, so that the coverage line
never claims a figure no rule can see.
"""

from __future__ import annotations

from ...document.model import Line
from ..common.record import RecordBuilder

__all__ = ["PERCENT_COLUMNS", "list_unnamed_figures", "unnamed_headers"]

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
