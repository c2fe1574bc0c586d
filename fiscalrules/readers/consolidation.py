"""A department's disclosure and its units' disclosures read from one file: each unit's record is
handed its row of the department's tables listed by unit.

A department's 部门预算 (or 部门决算) may be published with its units' 单位预算 after it, and
the department's 收入总表 / 支出总表 list one row per unit (单位编码 | 单位名称: "126 …局" over
"126001 …局机关", "126002 …中心").  Each unit's own total must be its row there -- an identity
across two records, while rules read one record at a time.  The file's reader is the one place
that sees both records (it cut the file into them: :mod:`.parts`), so it copies the row into the
unit's record, under ``department.income`` / ``department.expenditure`` (``department.record``
names the department's record): the unit's ruleset then compares its own totals with it, the
figure's source pointing at the department's table.  The rule language and its engines stay per
record and know nothing of templates or files; a unit read from a file of its own simply has no
``department`` (its rules are not applicable).

A unit is matched to its row by its unit code (the code of the one unit its own table by unit
lists), else by its name (the unit's name as its disclosure prints it: ``doc.publisher``), and
only among the leaf rows of a department printed *before* it in the file.  A department row
(a code that other rows extend) is never a unit's row.
"""

from __future__ import annotations

from ..document.model import compact

__all__ = ["hand_department_rows", "UNIT_TABLES"]

# The tables listed by unit whose rows are handed over: (the tables' key, the key in the unit's record).
UNIT_TABLES = (("income", "income"), ("expenditure", "expenditure"))


def hand_department_rows(records: list[dict | None]) -> None:
    """Give each unit's record (in file order) its rows of the unit tables of the department
    printed before it.  *records* are the mappings the readers made (None for one not read)."""
    departments: list[tuple[dict, dict[str, list[dict]]]] = []
    for data in records:
        if data is None:
            continue
        own = _unit_tables(data)
        matched = False
        for department, tables in reversed(departments):   # (the nearest department first)
            rows = {key: row for key, row in ((key, _row_of(data, own, tables.get(key, []))) for key, _ in UNIT_TABLES)
                    if row is not None}
            if rows:
                _hand_over(data, department, rows)
                matched = True
                break
        if not matched and any(len(_leaves(rows)) > 1 for rows in own.values()):
            departments.append((data, own))


def _unit_tables(data: dict) -> dict[str, list[dict]]:
    """The record's tables listed by unit, by table key: their rows (mappings) as read."""
    tables = data.get("tables")
    if not isinstance(tables, dict):
        return {}
    out = {}
    for key, _ in UNIT_TABLES:
        table = tables.get(key)
        rows = table.get("units") if isinstance(table, dict) else None
        if isinstance(rows, list) and rows:
            out[key] = [row for row in rows if isinstance(row, dict)]
    return out


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return compact(str(value)) if value is not None else ""


def _leaves(rows: list[dict]) -> list[dict]:
    """The unit rows no other row extends (a department row printed over its units is none)."""
    codes = [_text(row.get("code")) for row in rows]
    return [row for row, code in zip(rows, codes)
            if not (code and any(other != code and other.startswith(code) for other in codes))]


def _row_of(data: dict, own: dict[str, list[dict]], rows: list[dict]) -> dict | None:
    """The row of *rows* (a department's table by unit) that is the unit whose record *data* is:
    the one leaf whose code is the code of the one unit its own tables list, else whose name
    is its publisher's."""
    leaves = _leaves(rows)
    own_codes = {_text(row.get("code")) for table in own.values() for row in _leaves(table)} - {""}
    if len(own_codes) == 1:
        code = own_codes.pop()
        by_code = [row for row in leaves if _text(row.get("code")) == code]
        if len(by_code) == 1:
            return by_code[0]
    doc = data.get("doc")
    name = _text(doc.get("publisher")) if isinstance(doc, dict) else ""
    by_name = [row for row in leaves if name and _text(row.get("name")) == name]
    return by_name[0] if len(by_name) == 1 else None


def _copied(value):
    """*value* (a row: mappings of figures and their sources) copied, so that the unit's record
    never shares a mapping with the department's (no ``copy`` module: a warm audit imports none)."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _hand_over(data: dict, department: dict, rows: dict[str, dict]) -> None:
    held = data.setdefault("department", {})
    held["record"] = str(department.get("_meta", {}).get("id", ""))
    for key, into in UNIT_TABLES:
        if key in rows:
            held[into] = _copied(rows[key])
