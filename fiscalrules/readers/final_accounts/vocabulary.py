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

__all__ = ["INCOME_TOTAL", "EXPENDITURE_TOTAL", "INCOME_FINAL", "EXPENDITURE_FINAL", "INCOME_GRAND_TOTAL", "EXPENDITURE_GRAND_TOTAL", "OPENING_BALANCE",
           "CLOSING_BALANCE"]

_YEAR = r"(?:本年度?)?"
_FINAL = r"(?:决算数?)?"
_AND = r"(?:和|及|与|、)?"

# 本年收入合计, 收入决算合计, 本年收入决算合计, 决算收入合计, 本年度收入合计, 收入合计
INCOME_TOTAL = rf"{_YEAR}{_FINAL}收入{_FINAL}合计"
# 本年支出合计, 支出决算合计, 本年支出决算合计, 决算支出合计, 本年度支出合计, 支出合计
EXPENDITURE_TOTAL = rf"{_YEAR}{_FINAL}支出{_FINAL}合计"
# The year's total said as the 决算 figure itself in the 情况说明's 二、/三、 ("2024年度收入决算数为 X
# 万元，其中：…"): the words right after the year (or starting the label), never the tail of a
# longer name ("基本支出决算数" is 基本支出's)
# (a year printed as digits, or 本年: never 上年 / 去年, whose 收入决算 is last year's)
_AFTER_YEAR = r"(?:^|(?<=\d年)|(?<=\d年度)|(?<=本年)|(?<=本年度)|(?<=\d))"
INCOME_FINAL = rf"{_AFTER_YEAR}{_YEAR}收入决算"
EXPENDITURE_FINAL = rf"{_AFTER_YEAR}{_YEAR}支出决算"
# 总计, 收入总计, 收入决算总计 (the income side's last line); 总计, 支出总计 (the expenditure side's)
INCOME_GRAND_TOTAL = rf"(?:收入)?{_FINAL}总计"
EXPENDITURE_GRAND_TOTAL = rf"(?:支出)?{_FINAL}总计"
# 年初结转和结余, 年初财政拨款结转和结余, 年初结转结余, 年初结转及结余
OPENING_BALANCE = rf"年初(?:财政拨款)?结转{_AND}结余"
# 年末结转和结余, 年末财政拨款结转和结余, 年末结转结余, 年末结转及结余
CLOSING_BALANCE = rf"年末(?:财政拨款)?结转{_AND}结余"
