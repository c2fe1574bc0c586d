"""基本支出 printed as its two parts only: the 支出 tables of some regions (Guangdong's 部门支出总表)
head 基本支出 as a group title over 人员经费 and 公用经费, with no 小计 column of its own.

The rules of the 支出 tables check 合计 = 基本支出 + 项目支出 (TBL-007/008 and the like); a row
read with its parts only had no basic spending, and every row with any failed against its 项目支出
alone.  The row's basic spending is what the table prints under the group: the sum of its parts,
kept beside them (each part as printed, the sum's source the same row).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ...values import in_library_context

__all__ = ["SPLIT_BASIC_TABLES", "with_basic_from_parts"]

# The tables whose columns are 合计 | 基本支出 | 项目支出 (the basic-expenditure table's 合计 is
# itself 人员经费 + 公用经费: not one of them).
SPLIT_BASIC_TABLES = ("expenditure", "general_budget", "gov_fund", "state_capital")

_PARTS = ("personnel", "public")


@in_library_context     # exact: the caller's context could round a long amount
def with_basic_from_parts(row: dict | None) -> dict | None:
    """*row* with ``basic`` the sum of its ``personnel`` and ``public`` when it prints either and
    no ``basic`` of its own; any other row as it is."""
    if row is None or "basic" in row:
        return row
    parts = [row[k] for k in _PARTS if isinstance(row.get(k), dict) and "value" in row[k]]
    if not parts:
        return row
    try:
        total = sum((Decimal(str(part["value"])) for part in parts), Decimal(0))
    except InvalidOperation:
        return row      # (a part that is no number: nothing is summed)
    basic = {"value": str(total)}
    if parts[0].get("unit"):
        basic["unit"] = parts[0]["unit"]
    basic["label"] = "人员经费+公用经费"
    source = dict(parts[0].get("source") or {})
    source.pop("box", None)     # (the sum stands under no one cell)
    if source:
        basic["source"] = source
    out = dict(row)
    out["basic"] = basic
    return out
