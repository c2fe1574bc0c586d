"""The "三公" table in the national layout (its items as columns) printing last year's figures beside
this year's: which columns are last year's, and their figures as ``tables.three_public.prior_year``.

Two ways to print them:

    2025年预算数                          2026年预算数                      (years over blocks of items)
    合计 | 因公出国（境）费 | 公务用车… | 公务接待费 | 合计 | 因公出国（境）费 | …

    合计                 因公出国（境）费        公务用车…            (items over a column per year)
    2025年预算数 | 2026年预算数 | 2025年预算数 | 2026年预算数 | …

Every format gives the header as each column's cells top to bottom (a tab row's, a PDF grid's, a
Word or web table's), so the same reading serves them all.  Where the years head blocks, the n-th
year's title is the n-th block's (:func:`year_groups`): a merged title copied from a web page lands
over one column, or one early, so the columns its cell stands over are no guide.  Last year's
columns are keyed ``PRIOR + item`` and leave the row for ``prior_year`` (:func:`split_prior_year`),
as the transposed layout's prior-year column does (:mod:`.transposed`).
"""

from __future__ import annotations

from ..common.columns import column_key, resolve_subtotals
from ..common.record import RecordBuilder
from ..common.three_public import ITEMS
from .prior_columns import budget_year, column_role, names_last_year
from .transposed import write_prior_year

__all__ = ["PRIOR", "year_groups", "split_prior_year"]


#: The key prefix of a column of last year's figures in the national layout (:func:`year_groups`).
PRIOR = "prior_year:"


def year_groups(builder: RecordBuilder, paths: list[list[str]], keys: list[str]) -> list[str]:
    """*keys* of the national layout's columns (the items as columns; *paths*: each column's
    header cells, top to bottom), the columns of last year ("2024年预算数" / "上年预算数" over 合计,
    因公出国（境）费 … beside this year's block, or under each item beside this year's column) keyed
    ``PRIOR + key``: read as the prior-year column of the transposed layout is."""
    under_items = _years_under_items(keys, paths, budget_year(builder, paths))
    if under_items is not None:
        return under_items
    items = [k for k in keys if _is_item(k)]
    if len(items) == len(set(items)):
        return keys
    year = budget_year(builder, [path[:-1] for path in paths])
    by_block = _roles_by_block(keys, paths, year)
    if by_block is not None:
        return [PRIOR + key if role == "prior" else key for key, role in zip(keys, by_block)]
    return [PRIOR + key if key in items and names_last_year(path[:-1], year) else key
            for key, path in zip(keys, paths)]


def _is_item(key: str) -> bool:
    return key in ITEMS or key == "operating_costs"


def _years_under_items(keys: list[str], paths: list[list[str]], year: int | None) -> list[str] | None:
    """The keys where each item heads a column per year ("合计" over "2025年预算数 | 2026年预算数"):
    a column whose lowest cell names this year's or last year's figures is the item its cells above
    name, last year's keyed ``PRIOR + item``.  None unless every such column is an item's and each
    item has one column of this year's and at most one of last year's (a leaf naming the change,
    or a year twice under one item, is no layout read here)."""
    roles = [column_role(path[-1], year) if len(path) > 1 else None for path in paths]
    if "prior" not in roles or "current" not in roles:
        return None
    # (the item named by the cells above the year, as a header of those cells alone would be keyed;
    # a 小计 by the group whose parts follow it)
    named = resolve_subtotals([column_key(path[-2], "".join(path[:-1]), i) if role else key
                               for i, (key, path, role) in enumerate(zip(keys, paths, roles))])
    columns = [(item, role) for item, role in zip(named, roles) if role]
    if any(not _is_item(item) or role not in ("current", "prior") for item, role in columns) \
            or len(set(columns)) != len(columns) \
            or {item for item, role in columns if role == "prior"} - {item for item, role in columns if role == "current"}:
        return None
    return [(PRIOR + item if role == "prior" else item) if role else key
            for key, item, role in zip(keys, named, roles)]


def _roles_by_block(keys: list[str], paths: list[list[str]], year: int | None) -> list[str | None] | None:
    """Each column's year role where the items are printed in blocks (合计 … 公务接待费, then 合计 …
    again) under as many group titles naming years: the n-th title is the n-th block's, whatever
    columns the title's cell stands over.  A merged cell copied from a web page or a Word table
    lands over one column only, or one column early ("2025年预算数⇥2026年预算数" over twelve
    columns), so the span a title seems to have is no guide; the order of the titles and of the
    blocks is.  None when the titles and the blocks do not pair one to one (each column is then
    placed by the titles above it)."""
    blocks: list[int | None] = []
    seen: set[str] = set()
    count = 0
    for key in keys:
        if not _is_item(key):
            blocks.append(None)
            continue
        if key in seen or not seen and count == 0:
            count += 1
            seen = set()
        seen.add(key)
        blocks.append(count - 1)
    titles: list[str] = []
    for key, path in zip(keys, paths):
        for cell in path[:-1] if _is_item(key) else ():
            if column_role(cell, year) is not None and (not titles or titles[-1] != cell):
                titles.append(cell)
    roles = [column_role(cell, year) for cell in titles]
    if len(titles) != count or sorted(roles) != ["current", "prior"]:
        return None
    return [None if block is None else roles[block] for block in blocks]


def split_prior_year(builder: RecordBuilder, base: str, title: str, rows: list) -> list:
    """*rows* (line, row or None, printed) without the figures :func:`year_groups` keyed as last
    year's, written as ``<base>.prior_year``; where more than one row prints them (a table of units)
    those rows are not understood (which unit's prior year is the department's is not printed)."""
    carrying = [i for i, (_, row, _) in enumerate(rows) if row and any(k.startswith(PRIOR) for k in row)]
    if len(carrying) > 1:
        return [(line, None if i in carrying else row, printed + (" (last year's columns on a unit's row)"
                                                                  if i in carrying else ""))
                for i, (line, row, printed) in enumerate(rows)]
    if carrying:
        row = rows[carrying[0]][1]
        prior = {k[len(PRIOR):]: row.pop(k) for k in [k for k in row if k.startswith(PRIOR)]}
        write_prior_year(builder, base, title, prior)
    return rows
