"""The figures the rest of a 决算 states for the columns of a coded table's 合计 row: where single-
spaced text leaves a row's figures without their columns (:mod:`.open_rows`), the 合计 row is pinned
to the placement agreeing with them, and the table's sums place its other rows from it.

What it owns: the template's identities between a table's 合计 row and the figures printed elsewhere:

- 收入决算表's 合计 row: each source's line of 收入支出决算总表 (公开01表: 财政拨款收入 the sum of its
  three fund lines, 上级补助收入, 事业收入 …) and the 情况说明's "本年收入合计 X 万元，其中：财政拨款收入
  A 万元…" (``income.sources``);
- 支出决算表's: the 情况说明's "本年支出合计 X 万元，其中：基本支出 A 万元…" (``expenditure.parts``).

- a fund table's rows (政府性基金 / 国有资本经营预算财政拨款支出决算表): the 财政拨款's spending is part
  of the department's, column by column -- a row's 基本支出 / 项目支出 there at most the 支出决算表's
  row of the same code (its 合计 row at most the table's 合计 row), a column blank there blank here.

A source the 总表 prints no figure for is 0 only where the figures it prints add up to its 本年收入合计
(a line left out would otherwise pass for 0).  Two statements of one column disagreeing say nothing of it.
"""

from __future__ import annotations

from decimal import Decimal

from ..common.record import RecordBuilder

__all__ = ["ceilings", "stated_totals", "pinned", "within"]

# the 总表's income lines (``tables.summary.income``) and the 收入决算表's columns they total
_FUNDS = ("general_budget", "gov_fund", "state_capital")
_SOURCES = ("superior_subsidy", "business", "operating", "affiliated", "other")
# the 情况说明's statement of a table's 合计 row: its record path (rows ``{code, amount}``)
_STATED = {"income": "income.sources", "expenditure": "expenditure.parts"}


def _value(fig, unit: str) -> Decimal | None:
    if isinstance(fig, dict) and "value" in fig and fig.get("unit", unit) == unit:
        try:
            return Decimal(str(fig["value"]))
        except ArithmeticError:
            return None
    return None


def _summary_income(builder: RecordBuilder, unit: str) -> dict[str, Decimal]:
    """The 收入决算表's columns as 公开01表's income lines give them."""
    income = builder.get("tables.summary.income") or {}
    total = _value(builder.get("tables.summary.income_total"), unit)
    printed = {key: _value(income.get(key), unit) for key in (*_FUNDS, *_SOURCES)}
    printed = {key: value for key, value in printed.items() if value is not None}
    # (every line the table prints adds up to its 本年收入合计: the lines without a figure are 0)
    whole = total is not None and printed and sum(printed.values()) == total
    found: dict[str, Decimal] = {}
    funds = [printed[key] for key in _FUNDS if key in printed]
    if whole:
        found["appropriation"] = sum(funds, Decimal(0))
    for key in _SOURCES:
        if key in printed:
            found[key] = printed[key]
        elif whole:
            found[key] = Decimal(0)
    return found


def _narrative(builder: RecordBuilder, key: str, unit: str) -> dict[str, Decimal]:
    """The columns the 情况说明's sentence states (its parts with a code the table's columns use)."""
    found: dict[str, Decimal] = {}
    for row in builder.get(_STATED[key]) or []:
        value = _value(row.get("amount"), unit) if isinstance(row, dict) else None
        if value is not None and row.get("code"):
            found[row["code"]] = value
    return found


def stated_totals(builder: RecordBuilder, key: str, unit: str) -> dict[str, Decimal]:
    """The figure of each column of table *key*'s 合计 row the rest of the document states (in the
    table's *unit*); a column stated twice differently is left out."""
    if key not in _STATED:
        return {}
    found: dict[str, Decimal] = {}
    dropped: set[str] = set()
    sources = [_narrative(builder, key, unit)] + ([_summary_income(builder, unit)] if key == "income" else [])
    for stated in sources:
        for column, value in stated.items():
            if column in found and found[column] != value:
                dropped.add(column)
            found.setdefault(column, value)
    return {column: value for column, value in found.items() if column not in dropped}


def pinned(options: list[tuple[str, ...]], values: list[Decimal], stated: dict[str, Decimal],
           keys: list[str]) -> list[tuple[str, ...]]:
    """Of the 合计 row's placements, those agreeing with every column *stated* of the table's (*keys*;
    a column stated 0: blank); all of them where none does (a misprint on either side: nothing is
    pinned)."""
    stated = {column: value for column, value in stated.items() if column in keys and column != "total"}
    if not stated:
        return options
    agree = [option for option in options
             if all(dict(zip(option, values)).get(column, Decimal(0)) == value for column, value in stated.items())]
    return agree or options


# the columns a fund table's rows split their spending into, as the 支出决算表 does
_SPENDING = ("basic", "project")


def ceilings(builder: RecordBuilder, unit: str) -> dict[str | None, dict[str, Decimal]]:
    """The most each row of a fund table (by code; None its 合计 row) may spend under 基本支出 and
    项目支出: the 支出决算表's row of the same code, as read (a column blank there: 0)."""
    table = builder.get("tables.expenditure") or {}
    found: dict[str | None, dict[str, Decimal]] = {}
    for code, row in [(None, table.get("totals") or {})] + [(r.get("code"), r) for r in table.get("rows") or []]:
        if _value(row.get("total"), unit) is None:
            continue
        found[code] = {key: _value(row.get(key), unit) or Decimal(0) for key in _SPENDING}
    return found


def within(options: list[tuple[str, ...]], values: list[Decimal], ceiling: dict[str, Decimal] | None) -> list[tuple[str, ...]]:
    """Of a row's placements, those keeping each column at most its *ceiling* (:func:`ceilings`);
    all of them where none does (a misprint: nothing is told)."""
    if not ceiling:
        return options
    fit = [option for option in options
           if all(dict(zip(option, values)).get(key, Decimal(0)) <= most for key, most in ceiling.items())]
    return fit or options
