"""The 决算 template's names of its total lines, as publishers spell them: one place.

The template prints 本年收入合计 / 本年支出合计 (the year's income and expenditure), 年初结转和结余 /
年末结转和结余 (the balances carried in and out; "年初财政拨款结转和结余" in the 财政拨款 总表), and
总计 (收入总计 / 支出总计).  Publishers vary the same lines: "收入决算合计", "本年收入决算合计",
"本年度支出合计", "收入合计"; "年初结转结余", "年末结转及结余"; "收入决算总计".  Every reader of a
决算 line or sentence naming one of these (the two-sided 总表s, the coded tables' headers, the
情况说明's sentences and its phrases by label) matches through these patterns, so a new spelling is
one change here.

Each is a regular-expression fragment over a label without spaces (no anchors: the caller anchors
it as its matching needs); none captures a group.
"""

from __future__ import annotations

__all__ = ["INCOME_TOTAL", "EXPENDITURE_TOTAL", "INCOME_YEAR", "EXPENDITURE_YEAR", "INCOME_FINAL", "EXPENDITURE_FINAL",
           "INCOME_GRAND_TOTAL",
           "EXPENDITURE_GRAND_TOTAL", "OPENING_BALANCE",
           "CLOSING_BALANCE"]

_YEAR = r"(?:本年度?)?"
_FINAL = r"(?:决算数?)?"
_AND = r"(?:和|及|与|、)?"

def _year_total(side: str) -> str:
    """本年收入合计, 收入决算合计, 本年收入决算合计, 决算收入合计, 本年度收入合计, 收入合计 (side 收入 / 支出)."""
    return rf"{_YEAR}{_FINAL}{side}{_FINAL}合计"


# The year's total said as the 决算 figure itself in the 情况说明's 二、/三、 ("2024年度收入决算数为 X
# 万元，其中：…"): the words right after the year (or starting the label), never the tail of a
# longer name ("基本支出决算数" is 基本支出's)
# (a year printed as digits, or 本年: never 上年 / 去年, whose 收入决算 is last year's)
_AFTER_YEAR = r"(?:^|(?<=\d年)|(?<=\d年度)|(?<=本年)|(?<=本年度)|(?<=\d))"


def _year_final(side: str) -> str:
    return rf"{_AFTER_YEAR}{_YEAR}{side}决算"


def _grand_total(side: str) -> str:
    """总计, 收入总计, 收入决算总计: a side's last line."""
    return rf"(?:{side})?{_FINAL}总计"


def _balance(when: str) -> str:
    """年初结转和结余, 年初财政拨款结转和结余, 年初结转结余, 年初结转及结余 (when 年初 / 年末)."""
    return rf"{when}(?:财政拨款)?结转{_AND}结余"


INCOME_TOTAL, EXPENDITURE_TOTAL = _year_total("收入"), _year_total("支出")
# The year's total without 合计 in the 情况说明's 二、/三、 ("本年收入 X 万元，其中：…", as some regions
# print it): there only -- 一's "其中：本年收入 A 万元" is a part of the grand total (overview)
INCOME_YEAR, EXPENDITURE_YEAR = r"本年度?收入", r"本年度?支出"
INCOME_FINAL, EXPENDITURE_FINAL = _year_final("收入"), _year_final("支出")
INCOME_GRAND_TOTAL, EXPENDITURE_GRAND_TOTAL = _grand_total("收入"), _grand_total("支出")
OPENING_BALANCE, CLOSING_BALANCE = _balance("年初"), _balance("年末")
