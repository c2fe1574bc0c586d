"""The "三公" table with its items as rows: what the budget and 决算 readers share.

Both templates print the 三公 items (合计, 因公出国（境）费, 公务用车购置及运行维护费 with its 购置费
and 运行维护费, 公务接待费) as one line of columns nationally, and as rows in many regions:

    项目                          预算数 | 决算数        (决算)
    项目                          2024年预算数 | 2025年预算数   (预算: readers/budget/transposed.py)
    1、因公出国（境）费           …

Here: the items' keys and names, a row's label and figure cells (:func:`split_row`), and the
item a row names (:func:`item_key`, after its enumerator "1、" / "（一）" and "其中：").
The groups and persons abroad the paragraphs of both templates count (:data:`OVERSEAS_COUNTS`).
And a purchase of vehicles said in words not to take place ("未安排购置车辆", "本年度未购置公务用车",
"无购车计划": :func:`no_vehicle_purchase`), which both templates' paragraphs print for a count of 0.
"""

from __future__ import annotations

import re

from ...document.model import Line
from .cells import BLANK, CELL_NUMBER
from .columns import column_key

__all__ = ["ITEMS", "NAMES", "BLANK", "QUOTED", "OVERSEAS_COUNTS", "split_row", "item_key", "no_vehicle_purchase",
           "first_of_the_year", "about_another_year"]

ITEMS = ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
NAMES = {"total": "合计", "overseas": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费",
         "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
# 三公 as a pattern: quoted as the template prints it (“三公”), or "三公" (＂ full-width), ‘三公’, bare
QUOTED = r"[\"＂“‘]?三公[\"＂”’]?"
# The groups (and persons) sent abroad, as the template counts them ("安排因公出国（境）团组 N 个、累计 M
# 人次") and as other regions do ("…团组 N 批次", "…出国（境）N 个团组、M 人次", "团组数 N 个、人数 M 人",
# "…N 个，出访 M 人次", "共 M 人"): after 出国 always -- the receptions' "接待国内来访团组 N 个" are
# not groups abroad -- with 团组 before the number or 个团组 / 批 after it; or as "出访团组 N 个、M 人次"
# (广东: the visits abroad by their own word, the 出国 of the sentence a clause before); "团组 N 次，出国（境）M
# 人次" (四川).
OVERSEAS_COUNTS = re.compile(
    r"(?:出国(?:\(境\)|（境）)?|(?<!国内)出访(?=团组))"
    r"(?=[^。；;，,\d]{0,12}?团组|[^。；;，,\d]{0,16}?\d{1,6}\s*(?:个团组|批))"
    r"[^。；;，,\d]{0,16}?(?P<groups>\d{1,6})\s*(?:个团组|个|批次?|次)"
    r"(?:\s*[、，,;；]?\s*(?:累计|共计?|合计|参团人员|出访人员|(?:因公)?出国(?:\(境\)|（境）)?(?:人员|人数)?|出访|人员|人数)?"
    r"(?:共计?|为)?\s*"
    r"(?P<persons>\d{1,3}(?:,\d{3})+|\d{1,6})\s*人次?)?")
_ENUMERATOR = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.．]|\(?[\d一二三四五六七八九十]+\))?(?:其中[:]?)?")


def item_key(label: str) -> str | None:
    """The item a row's label names (the national layout's column names, keyed as the budget
    reader keys those columns), None when it names none."""
    name = _ENUMERATOR.sub("", "".join(label.split()))
    if name in ("合计", "总计", "小计"):
        return "total"
    key = column_key(name, name, 0) if name else None
    return key if key in ITEMS else None


def split_row(line: Line) -> tuple[str, list[str]]:
    """A row's label and its figure cells (tab cells kept in place, blanks included)."""
    if "\t" in line.text:
        cells = [c.strip() for c in line.text.split("\t")]
        label_end = next((i for i, c in enumerate(cells) if i and (CELL_NUMBER.match(c.rstrip("%"))
                                                                  or c in BLANK[1:])),
                         len(cells))
        label = "".join(cells[:label_end])
        return label, cells[label_end:]
    tokens = line.text.split()
    count = 0
    while count < len(tokens) and (CELL_NUMBER.match(tokens[-1 - count].rstrip("%"))
                                   or tokens[-1 - count] in BLANK[1:]):
        count += 1
    return "".join(tokens[:len(tokens) - count]), tokens[len(tokens) - count:]


# "未安排购置车辆", "不安排购置公务用车", "本年度未购置公务用车", "无车辆购置计划", "无购车计划"
_NO_PURCHASE = re.compile(r"(?:未|不|没有|无)(?:安排|计划)?(?:购置|购买|更新)(?:公务用车|车辆)"
                          r"|(?:未|没有|无)(?:安排)?(?:公务用车|车辆)?(?:购置|购车)(?:计划|安排|预算)")
# (a clause about another year: "主要原因是上年无购车计划", "2024 年未安排购置车辆" in a 2025 budget)
_OTHER_YEAR = re.compile(r"上年|去年|上一年|以前|往年|明年|下一?年")
_YEAR = re.compile(r"(\d{4})\s*年")


def no_vehicle_purchase(text: str, year: int | None) -> re.Match | None:
    """The first clause of *text* saying that no vehicles are bought, and not about another year
    than *year* (the document's; None: the latest year *text* names): one naming 上年 or 明年, or
    a year other than that, is passed over.  None when there is no such clause."""
    return first_of_the_year(_NO_PURCHASE, text, year)


def first_of_the_year(pattern: re.Pattern[str], text: str, year: int | None) -> re.Match | None:
    """The first match of *pattern* in *text* whose clause is not about another year than *year*
    (the document's; None: the latest year *text* names): a clause naming 上年 or 明年, or a year
    other than that, before the match is passed over."""
    if year is None:
        year = max((int(found.group(1)) for found in _YEAR.finditer(text)), default=None)
    return next((found for found in pattern.finditer(text) if not about_another_year(text, found.start(), year)), None)


def about_another_year(text: str, at: int, year: int | None) -> bool:
    """Whether the clause of *text* before *at* (from the last 。；， before it) is about another year
    than *year*: it names 上年 or 明年, or a year other than *year* ("主要原因是 2025 年更新购置公务用车 1 辆"
    in a 2026 budget: last year's purchase, not this year's count)."""
    clause = text[max(text.rfind(mark, 0, at) for mark in "。；;，,") + 1:at]
    return bool(_OTHER_YEAR.search(clause) or any(int(named) != year for named in _YEAR.findall(clause)))
