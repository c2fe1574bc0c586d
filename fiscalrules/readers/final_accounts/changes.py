"""A 决算 figure's change on last year as the 情况说明 prints it, given to the figure -- one helper for every
figure of the narrative -- and the "三公" items' changes: right after the item's figure, after its completion
rate, in a sentence of its own later in the item's paragraph, or in the total's "其中：…" clause.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..common.amounts import CHANGE_WORD_TAIL, MONEY_UNIT, change_in_unit
from ..common.record import RecordBuilder, change_printed_at
from .clauses import ITEM_NUMBER
from .running_text import FIGURE as _N
from .running_text import RunningText, word_signed

__all__ = ["UP_DOWN", "ITEM_OR_HEADING", "THREE_PUBLIC_ITEMS", "give_change", "item_change", "later_change", "part_change",
           "read_three_public_changes"]

# The percentage's word: "增长 P%" in the template, "增幅 P%" / "降幅 P%" elsewhere
UP_DOWN = r"增长|下降|降低|上升|增幅|降幅|减幅"


def give_change(value: dict, found: re.Match, t: RunningText, offset: int = 0) -> None:
    """Give the figure *value* the change on last year *found* prints (its groups ``word`` / ``change``,
    ``pword`` / ``pct`` where printed, or ``flat``: 持平, a change of 0); *offset*: where the text
    *found* searched starts in the running text."""
    groups = found.groupdict()
    change = groups.get("change")
    if change and value.get("unit") is not None:
        # (in the figure's own unit: "收入、支出总计均为 13.41 亿元。…各增加 7,271.73 万元" is 0.727173 亿元)
        printed_in = t.unit_at(offset + found.end("change"))
        carried = change_in_unit(change.replace(",", ""), printed_in, value["unit"])
        twin = value.get("twin")
        if carried is None and isinstance(twin, dict) and change_in_unit("0", printed_in, twin.get("unit", "")) is not None:
            # (a figure printed in two units, "20.48亿元（204,775.74万元）…增加 2.18 亿元": the change is the
            # coarser printing's, whose unit it is printed in -- not carried to the held 万元 at a precision
            # it was never printed with)
            value, carried = twin, change_in_unit(change.replace(",", ""), printed_in, twin["unit"])
        change = carried
    if change:
        value["change"] = word_signed(found.group("word"), change)
        # ("X万元。与上年度相比，…增加 Y 万元": the change is a sentence of its own, which a narrow
        # column sets on a line of its own; coverage counts it there)
        change_printed_at(value, t.line(offset + found.start("change")))
    if groups.get("pct"):
        value["pct"] = word_signed(found.group("pword"), found.group("pct"))
    elif groups.get("flat"):
        value["change"] = "0"
        change_printed_at(value, t.line(offset + found.start("flat")))


# the next numbered item or heading after an item ("完成预算的90.00%" holds no item "90.")
ITEM_OR_HEADING = re.compile(ITEM_NUMBER + r"(?!\d)|[一二三四五六七八九十]+、")
# ("因公出国（境）经费" in some regions; the vehicle item printed in its two parts too, "公务用车购置费支出决算 A 万元，占 S%", "2.公务用车购置费支出 A
# 万元": three_public_items.VEHICLE_PARTS)
THREE_PUBLIC_ITEMS = (("overseas", r"因公出国（境）经?费"), ("vehicle", r"公务用车购置及运行(?:维护)?费"),
                       ("reception", r"公务接待费"), ("vehicle_purchase", r"公务用车购置费"),
                       ("vehicle_operation", r"公务用车运行(?:维护)?费"))


def later_change(lead: str, change: str, against: str, named: bool = False) -> re.Pattern:
    """An item's change on last year in a sentence of its own later in its paragraph (:func:`item_change`'s
    *later*): naming no subject ("…保有量为 12 辆。与上年相比减少 2.58 万元，下降 12.07%，主要原因是…", 新疆), or
    naming the item (*lead*) again ("…完成预算的 74.40%。公务接待费支出决算比 2024 年减少 0.27 万元，下降 12.68%",
    四川); or 持平 so ("…出国（境）0 人次。与 2024 年持平").  *change*: the change's words and figures (groups
    ``word``, ``change``, ``pword``, ``pct``), *against*: "比上年" and its kind; *named*: the item named only."""
    subject = r"(?:" + lead + r"用?(?:支出)?(?:决算数?)?)" + ("" if named else "?")
    year = r"与(?:\d{4}年度?|上一?年度?)(?:决算数?)?"
    # (or the comparison first, then the item named: "。与上年相比，公务用车购置及运行维护费增加 C 万元，增长 P%", 浙江)
    return re.compile(r"。(?:" + subject + r"(?:" + year + r"相比[，,]?|" + against + ")|" + year + r"相比[，,]" + lead
                      + r"用?(?:支出)?(?:决算数?)?)" + change
                      + r"|。" + subject + year + r"(?:相比)?[，,]?(?P<flat>持平)")


def _right_after(change: str, against: str) -> re.Pattern:
    """A change on last year right after a figure, in its clause: "，比上年减少 C 万元，下降 P%", "，与 2024
    年度相比，增加 C 万元…", "，与上年持平"."""
    year = r"与(?:\d{4}年度?|上一?年度?)(?:决算数?)?"
    return re.compile(r"[，,](?:(?:" + against + r"|" + year + r"相比[，,]?)" + change + r"|" + year + r"(?:相比)?[，,]?(?P<flat>持平))")


def part_change(builder: RecordBuilder, t: RunningText, key: str, part: re.Match, change: str, against: str) -> None:
    """The change on last year of a part of the vehicle item as 七（二） breaks it down ("其中：公务用车购置费 A 万元；
    公务用车运行维护费 B 万元，主要用于…。公务用车运行维护费比 2024 年度决算减少 C 万元，下降 P%", 湖北): in a
    sentence of its own naming the part (a sentence naming nothing is the item's), before the next item or heading,
    given to the part's figure (*key*: ``vehicle.purchase`` / ``vehicle.operation``, *part* its match)."""
    lead = dict(THREE_PUBLIC_ITEMS)["vehicle_" + key.split(".")[1]]
    following = ITEM_OR_HEADING.search(t.text, part.end())
    # (right after the part's figure first: "公务用车运行维护费支出 B 万元，比 2024 年度决算减少 C 万元，下降 P%")
    found = _right_after(change, against).match(t.text, part.end()) or later_change(lead, change, against, named=True).search(
        t.text, part.end(), following.start() if following else len(t.text))
    value = builder.get(f"three_public.{key}")
    if found and isinstance(value, dict) and value.get("change") is None:
        give_change(value, found, t)


def item_change(builder: RecordBuilder, t: RunningText, key: str, item: re.Match, change: re.Pattern,
                 later: re.Pattern, end: int | None = None) -> None:
    """"3.公务接待费支出决算为 4.10 万元，比上年减少 0.83 万元，下降 18.64%" (广州): the item's change on last
    year, right after its figure, is its final figure's (read in 七（一） with the budget beside it) where
    that one is the same amount and has no change yet -- CHG-008…010 then check its percentage.  Where
    七（一） gives no final figure of the item (深圳 prints each item's completion rate, not its budget), the
    change is the item's own -- CHG-011…013 check it.  A change in a sentence of its own naming no subject
    (*later*), before the next item or heading, is the item's too.  *end*: where the item's words end, its
    budget and rate printed after its figure ("…支出 4.27 万元，预算为 6.00 万元，完成预算的 71.17%，比上年
    减少 0.99 万元"), the item's end where none is."""
    end = item.end() if end is None else end
    found = change.match(t.text, end)
    if not found:
        following = ITEM_OR_HEADING.search(t.text, end)
        found = later.search(t.text, end, following.start() if following else len(t.text))
    if not found:
        return
    final = builder.get(f"three_public.{key}.final")
    if final is None:
        value = builder.get(f"three_public.{key}.item")
        if isinstance(value, dict) and value.get("change") is None:
            give_change(value, found, t)
        return
    if not isinstance(final, dict) or final.get("change") is not None \
            or Decimal(str(final.get("value"))) != Decimal(item.group(1).replace(",", "")):
        return
    give_change(final, found, t)


def read_three_public_changes(builder: RecordBuilder, t: RunningText, start: int) -> None:
    """"其中：因公出国（境）费支出决算减少 X 万元，下降 P%；…公务接待费支出与上一年度持平" (the clause
    from *start* of the text): each item's change on its final figure (read before, from "…决算为 X
    万元，完成预算的 P%")."""
    clause = t.text[start:].split("。", 1)[0]
    for key, lead in THREE_PUBLIC_ITEMS:
        found = re.search(lead + r"支出(?:决算)?(?:(?P<word>增加|减少)(?:（(?:增加|减少)）)?了?(?P<change>" + _N[1:-1]
                          + r")" + MONEY_UNIT + r"，(?P<pword>" + UP_DOWN + r")(?:（(?:增长|下降)）)?" + CHANGE_WORD_TAIL + r"(?P<pct>" + _N[1:-1]
                          + r")%|(?:与上一?年度?)?(?P<flat>持平))", clause)
        final = builder.get(f"three_public.{key}.final")
        if not found or not isinstance(final, dict):
            continue
        give_change(final, found, t, offset=start)
