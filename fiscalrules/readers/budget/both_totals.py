"""One total for both sides of the budget ("部门收支总预算 X 万元", "收入、支出预算总计 X 万元": the central
template's 收支预算总体情况) or the two totals side by side ("收入总计 X 万元，支出总计 X 万元"), and the one
change the narrative states for both ("与上年相比收、支总计各增加 C 万元"): which figures are the spending's
after such a total, and which totals the change is given to (never to the last item of a list before it).
"""

from __future__ import annotations

import re

from ...document.stream import Stream
from ..common.amounts import Phrase, carries, change_in_unit, word_signed_magnitude
from ..common.record import RecordBuilder
from .spending import MONEY as _MONEY

__all__ = ["after_both_totals", "each_change"]

# "与 2024 年相比收、支预算总计各增加 86.40 万元": the change of the totals named before it (the
# central template's 收支预算总体情况), which the scanner reads as a figure of its own -- a subject
# stands between the comparison and its word
_EACH_CHANGE = re.compile(r"各(?P<word>增加|减少|增长|下降)$")


# One total for both sides ("部门收支总预算 X 万元", "收支预算总额"), and where the spending's parts begin
_BOTH_SIDES = re.compile(r"收[、,]?支|收入[、和与及]支出")
_SPENDING_LIST = re.compile(r"支出(?:预算)?(?:主要)?(?:包括|包含|有)[:]?")


def after_both_totals(builder: RecordBuilder, stream: Stream, phrases: list[Phrase]) -> list[Phrase]:
    """"部门收支总预算 2984.75 万元…。收入包括：…；支出包括：社会保障和就业支出 A 万元…按支出性质分，基本支出 B
    万元，项目支出 C 万元" (重庆, the central template's 收支预算总体情况): one total for both sides, then each
    side's parts -- the figures after "支出包括" are the spending's, the total its total too (the same
    figure, counted once).  Empty where the section names no such total or no spending list."""
    at = next((i for i, phrase in enumerate(phrases) if phrase.used and phrase.path == "income.total"), None)
    if at is None or not _BOTH_SIDES.search(phrases[at].label or "") or builder.get("expenditure.total") is not None:
        return []
    opening = _SPENDING_LIST.search(stream.text, phrases[at].end)
    if opening is None:
        return []
    builder.put("expenditure.total", builder.get("income.total"))
    return [phrase for phrase in phrases[at + 1:] if not phrase.used and phrase.number_start > opening.end()]


def each_change(phrases: list[Phrase]) -> None:
    """Give "…各增加 C 万元" (a figure of its own to the scanner, its words no change it knows) to the
    figure before it, when that one has no change -- or, where it names both sides ("收、支总计各增加",
    "财政拨款收、支总计各增加"), to the totals it names: the one total of both sides, or the income and
    the spending total printed side by side ("收入总计 X 万元，支出总计 X 万元", 河南), each; never to
    the last item of a list between them ("支出包括：…住房保障支出 58.76 万元。与上年相比，财政拨款收、支总计
    各增加…": CHG-005 failed by it)."""
    last = None
    for at, phrase in enumerate(phrases):
        label = phrase.raw_label.replace(" ", "")
        each = _EACH_CHANGE.search(label)
        if each:
            both = _BOTH_SIDES.search(label[:each.start()])
            targets = _totals_before(phrases[:at], phrase.unit) if both else \
                ([last] if last is not None and last.change is None and carries(phrase.unit, last.unit) else [])
            for target in targets:
                # (in the total's own unit: "收入、支出预算总计 0.13 亿元，…各增加 86.40 万元" is 0.008640 亿元)
                target.change = word_signed_magnitude(change_in_unit(phrase.value, phrase.unit, target.unit), each.group("word"))
                target.change_at, target.pct = phrase.number_start, target.pct or phrase.pct
            if targets:
                phrase.used = True
                continue
        if phrase.unit in _MONEY and not phrase.orphan:
            last = phrase


# A figure's label naming a total (of one side or both): what a change of both sides may be given to
# ("收入预算 X 万元，支出预算 X 万元": a side's budget named alone is its total)
_TOTAL_LABEL = re.compile(r"总计|总额|总预算|合计|预算总|收[、和与及]?支|^(?:本?(?:部门|单位))?(?:收入|支出)预算$")


def _totals_before(phrases: list[Phrase], unit: str) -> list[Phrase]:
    """The totals a change of both sides is the change of: the last total before it, with no change
    yet, and the total of the other side printed right before that one (none where a figure with a
    change stands between)."""
    figures = [p for p in phrases if not p.orphan and p.unit in _MONEY]
    for index in range(len(figures) - 1, -1, -1):
        figure_ = figures[index]
        if figure_.change is not None:
            return []
        if not carries(unit, figure_.unit) or not _TOTAL_LABEL.search(figure_.label or ""):
            continue
        sides = _sides(figure_.label)
        other = figures[index - 1] if index else None
        if len(sides) == 1 and other is not None and other.change is None and other.unit == figure_.unit \
                and _TOTAL_LABEL.search(other.label or "") and _sides(other.label) == {"收", "支"} - sides:
            return [other, figure_]
        return [figure_]
    return []


def _sides(label: str) -> set[str]:
    """The sides a total's label names: {"收", "支"} for both."""
    if _BOTH_SIDES.search(label):
        return {"收", "支"}
    return {side for side, word in (("收", "收入"), ("支", "支出")) if word in label}
