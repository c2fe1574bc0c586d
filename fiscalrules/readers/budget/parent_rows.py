"""A table of 科目 rows printing its lowest level only: every row a 项 ("2080505 机关事业单位基本养老保险
缴费支出", no 类 208 or 款 20805 row above it), or, in an economic table, every row a 款 ("30201 办公费").

The rules check a table's 合计 against its 类 rows (TBL-004…006, TBL-063, TBL-082, …) and the 类 against
the 编制说明's classes; with no 类 printed they summed nothing and failed a correct table.  Such a
table's 类 and 款 are the sums of the rows printed under them, and are written so: each figure the sum
of the printed rows of its prefix, its source naming every term ("208 社会保障和就业支出：9.84（2080501）
+ 48.57（2080505）"), so that a slip in one printed row still breaks the 合计 it rolls into.  Only a
table whose rows are all of one level is completed: where any 类 or 款 is printed, what is printed is
read as it stands."""

from __future__ import annotations

from ...data.classification import classification
from .units import summed_row

__all__ = ["unit_rows_with_parents", "with_parent_rows"]


def with_parent_rows(rows: list, economic: bool) -> list:
    """*rows* (``(line, row, printed)``) with a row for each 类 (and 款) of a table printing its 合计
    and 项 rows only (economic: 款 rows only), placed before the first row it sums; *rows* as they
    are for any other table (a row not understood among them, a level printed, rows of mixed
    levels, no 合计)."""
    # (a unit's row of a table listed unit by unit is keyed by its unit code: no 科目)
    coded = [(line, row) for line, row, _ in rows if row is not None and not row.get("_total")
             and "code" in row and not row.get("_unit")]
    if not coded or any(row is None for _, row, _ in rows) \
            or not any(row.get("_total") for _, row, _ in rows):
        # (a part without its 合计 -- the rest of a table continued under a title printed again --
        # is no whole table: its rows stand under the 类 and 款 of the part before)
        return rows
    lengths = {len(str(row.get("code", ""))) for _, row in coded}
    lowest = 5 if economic else 7
    if lengths != {lowest} or not all(str(row.get("code", "")).isdigit() for _, row in coded):
        return rows
    names = classification("economic_department" if economic else "function")
    groups: dict = {}      # parent code → (the line of its first row, [(child code, row)])
    for line, row in coded:
        code = str(row["code"])
        for size in range(3, lowest, 2):
            groups.setdefault(code[:size], (line, []))[1].append((code, row))
    out = list(rows)
    for parent, (line, terms) in groups.items():
        first = {"code": parent, **({"name": names.name(parent)} if names.name(parent) else {})}
        at = next(i for i, entry in enumerate(out) if entry[1] is terms[0][1])
        out.insert(at, (line, summed_row(first, terms), line.original.strip()))
    return out


def unit_rows_with_parents(unit_rows: list) -> list:
    """The units' 科目 rows (``unit_rows``: ``unit``, ``item``, figures) with each unit's 类 and 款
    rows summed from its 项 where every unit prints 项 rows only (TBL-082 holds each unit's 合计
    to its 类 rows); *unit_rows* as they are otherwise."""
    if not unit_rows or any(len(str(row.get("item", ""))) != 7 or not str(row.get("item")).isdigit()
                            for row in unit_rows):
        return unit_rows
    names = classification("function")
    groups: dict = {}      # (unit, parent code) → [(child code, row)]
    for row in unit_rows:
        item = str(row["item"])
        for size in (3, 5):
            groups.setdefault((row.get("unit_code"), row.get("unit"), item[:size]), []).append((item, row))
    out = list(unit_rows)
    for (unit_code, unit, parent), terms in groups.items():
        first = {**({"unit_code": unit_code} if unit_code else {}), "unit": unit, "item": parent,
                 **({"name": names.name(parent)} if names.name(parent) else {})}
        at = next(i for i, row in enumerate(out) if row is terms[0][1])
        out.insert(at, summed_row(first, terms))
    return out
