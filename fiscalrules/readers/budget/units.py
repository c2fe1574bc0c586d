"""Tables listed by unit (单位编码 | 单位名称): a department with subordinate units prints its
收入/支出总表 and its "三公" table one row per unit (本级 and each 所属单位), often under a
department row ("118 青山县自然资源局" over "118001 …（本级）", "118002 …").

Unit codes are no classification codes: a unit row of a coded table is written to
``tables.<kind>.units`` (never ``rows``, whose rules sum 类/款/项), keyed by its unit code as
``code`` so that the rules' ``children()`` nests units by prefix the way the template does
(a 6-digit unit under its 3-digit department). A row of the "三公" table, whose rows are units
anyway, keeps ``unit_code`` and gains the same ``code``.

A table by 科目 may also be printed unit by unit (review 20 C D9): "118001 青山县自然资源局（本级）"
and that unit's 类/款/项 rows, then the next unit. A 6-digit code opens a unit's group (no
function or economic code has 6 digits): :func:`by_unit_groups` turns the unit rows into unit
rows and the groups into the department's rows, each code's figures summed over the units that
print it (the sum and its terms in the row's source), so that every 科目 rule checks the
department's table -- a slip in one unit's rows breaks its 款 or 类 in the sum -- and the unit
rules (TBL-070…074) check the units against the 合计."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...values import library_context
from ..common.record import cap_text

__all__ = ["unit_row", "by_unit_groups", "UNIT_CODE"]

# A unit's code in a table of 科目 rows: six digits (类 3, 款 5, 项 7; economic 3 and 5).
UNIT_CODE = re.compile(r"^\d{6}$")


def unit_row(base: str, row: dict) -> str:
    """The list of *base* (``tables.<kind>``) that *row* belongs to: ``units`` for a row keyed by
    a unit code in a table of classification rows, else ``rows``. Sets the row's ``code`` to its
    unit code."""
    unit_code = row.get("unit_code")
    if unit_code is None or "code" in row:
        return "rows"
    if base == "tables.three_public":
        row["code"] = unit_code
        return "rows"
    row["code"] = row.pop("unit_code")
    return "units"


def by_unit_groups(rows: list) -> tuple[list, list] | None:
    """A table of 科目 rows printed unit by unit, as ``(rows, unit_rows)``: *rows* (``(line, row,
    printed)`` as the table reader makes them) with each unit row keyed by its unit code (so it is
    written to ``units``) and the 科目 rows of the groups replaced by one row per code, its figures
    the sums over the units; *unit_rows*: each unit's 科目 rows as printed (``unit_code``, ``item``
    = the 科目编码, name, figures), written to ``unit_rows`` beside them (what each sum was made of).  A row that cannot be placed (a unit printing a code twice with other figures, or the
    科目 rows of a table where a unit with figures prints none) is returned as not understood,
    so the table is listed, never summed in part.  None for a table whose rows are not grouped by
    unit (no 6-digit code, or 科目 rows before the first unit: the department's own rows, not to
    be summed with its units')."""
    kept = [i for i, (_, row, _) in enumerate(rows) if row is not None and not row.get("_total")]
    if not kept or not UNIT_CODE.match(str(rows[kept[0]][1].get("code", ""))):
        return None
    out: list = []
    summed: dict = {}    # code → (line, its first row, [(unit code, row)]), in the order printed
    current = ""
    members: dict = {}   # unit code → (its row, how many 科目 rows it prints)
    unit_rows: list = []
    as_printed: list = []   # the rows line by line: what is listed when they cannot be summed
    problem = ""
    for line, row, printed in rows:
        if row is None or row.get("_total"):
            out.append((line, row, printed))
            as_printed.append((line, row, printed))
            continue
        code = str(row.get("code", ""))
        if UNIT_CODE.match(code):
            current = code
            unit = dict(row)
            unit["unit_code"] = unit.pop("code")
            members[code] = (unit, 0)
            out.append((line, unit, printed))
            as_printed.append((line, unit, printed))
            continue
        as_printed.append((line, row, printed))
        members[current] = (members[current][0], members[current][1] + 1)
        entry = summed.get(code)
        if entry is None or all(unit != current for unit, _ in entry[2]):
            unit_rows.append({"unit_code": current, "item": code, **{k: v for k, v in row.items() if k != "code"}})
            if entry is None:
                summed[code] = (line, row, [(current, row)])
            else:
                entry[2].append((current, row))
        elif _figures(row) != _figures(next(r for u, r in entry[2] if u == current)):
            # (the same line again, as at a page break, is left out; other figures are not)
            as_printed[-1] = (line, None, f"{printed} (code {code} printed twice in unit {current} "
                                          f"with other figures)")
            problem = problem or "clash"
    bare = [unit for unit, (row, count) in members.items() if not count and any(
        v not in (None, "0", "0.00") for v in _figures(row).values())]
    if bare and summed:
        # the sums would fall short of the 合计 (a false alarm): every row is listed
        first = next(i for i, (_, row, _) in enumerate(as_printed) if row is not None and not row.get("_total")
                     and not UNIT_CODE.match(str(row.get("code", row.get("unit_code", "")))))
        line, _, printed = as_printed[first]
        as_printed[first] = (line, None, f"{printed} (unit {bare[0]} prints no 科目 rows: the units' rows "
                                         f"cannot be summed)")
        problem = "bare"
    if problem:
        return as_printed, []
    for code, (line, row, terms) in summed.items():
        out.append((line, _summed(row, terms), line.original.strip()))
    out.sort(key=lambda entry: entry[0].number)
    return out, unit_rows


def _figures(row: dict) -> dict:
    return {k: v.get("value") for k, v in row.items() if isinstance(v, dict) and "value" in v}


def _summed(first: dict, terms: list) -> dict:
    """The department's row of a code: each figure the sum over the units printing the code, its
    source the first unit's line with every term named ("228.00（118001）+ 48.00（118002）")."""
    if len(terms) == 1:
        return first
    out = {k: v for k, v in first.items() if not isinstance(v, dict)}
    columns = [k for k, v in first.items() if isinstance(v, dict) and "value" in v]
    for _, row in terms[1:]:
        columns += [k for k, v in row.items() if isinstance(v, dict) and "value" in v and k not in columns]
    for column in columns:
        total = Decimal(0)
        parts = []
        cell = None
        for unit, row in terms:
            value = row.get(column)
            if not isinstance(value, dict) or "value" not in value:
                continue
            cell = cell or value
            try:
                with library_context():     # exact: the caller's context (28 digits) would round
                    total += Decimal(str(value["value"]))
            except InvalidOperation:
                return first
            parts.append(f"{value.get('printed', value['value'])}（{unit}）")
        figure = {"value": str(total)}
        if cell.get("unit"):                                          # type: ignore[union-attr]
            figure["unit"] = cell["unit"]                             # type: ignore[index]
        src = dict(cell.get("source") or {})                          # type: ignore[union-attr]
        src.pop("box", None)
        src["text"] = cap_text(f"{first.get('code')} {first.get('name', '')}：" + " + ".join(parts))
        figure["source"] = src
        out[column] = figure
    return out
