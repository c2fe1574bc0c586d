"""Tables listed by unit (单位编码 | 单位名称): a department with subordinate units prints its
收入/支出总表 and its "三公" table one row per unit (本级 and each 所属单位), often under a
department row ("118 青山县自然资源局" over "118001 …（本级）", "118002 …").

Unit codes are no classification codes: a unit row of a coded table is written to
``tables.<kind>.units`` (never ``rows``, whose rules sum 类/款/项), keyed by its unit code as
``code`` so that the rules' ``children()`` nests units by prefix the way the template does
(a 6-digit unit under its 3-digit department). A row of the "三公" table, whose rows are units
anyway, keeps ``unit_code`` and gains the same ``code``."""

from __future__ import annotations

__all__ = ["unit_row"]


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
