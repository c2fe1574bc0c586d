"""七（一）'s 三公 items against their budgets: 因公出国（境）费, 公务用车购置及运行维护费 and 公务接待费 after the total
("其中：因公出国（境）费支出预算为 B 万元，支出决算为 F 万元，完成预算的 P%；…"), and the vehicle item as many
departments print it, in its two parts: "公务用车购置费支出预算为 B 万元，支出决算为 F 万元；公务用车运行维护费支出预算为
…" (``three_public.vehicle_purchase`` / ``three_public.vehicle_operation``, each with its budget, final figure and
rate), also where the combined item is printed before them ("公务用车购置及运行维护费预算为 B 万元，…。其中：公务用车
购置费预算为 …").  The combined vehicle figure a sentence does not print is not made up: the rules on the vehicle
item take the parts' sum where it is absent.

七（二）'s numbered items print their budget and rate after their figure in some regions, the template's
order turned ("3.公务接待费支出 F 万元，预算为 B 万元，完成预算的 P%，比上年减少 …"; 浙江): the item's
budget and completion, as 七（一） would give them (:func:`read_item_budget`).
"""

from __future__ import annotations

import re

from ..common.amounts import COMPLETION_WORDS, MONEY_UNIT
from ..common.record import RecordBuilder
from .running_text import FIGURE as _N
from .running_text import RunningText, figure_at

__all__ = ["VEHICLE_PARTS", "read_items_against_budget", "read_vehicle_parts", "before_details", "read_item_budget"]

# The items as 七（一） names them ("因公出国（境）费决算为", "公务接待费支出决算为"): each with 支出 or without,
# 费 or 费用
_ITEMS = (("overseas", r"因公出国（境）费用?"), ("vehicle", r"公务用车购置及运行(?:维护)?费用?"), ("reception", r"公务接待费用?"))
# The vehicle item's two parts, as the 三公 table's columns name them (公务用车购置费, 公务用车运行维护费 -- "运行费"
# in the table's short header) and regions word them: 费 or 费用 or neither ("公务用车运行维护支出预算为")
VEHICLE_PARTS = (("vehicle_purchase", r"公务用车购置(?:费用?)?"), ("vehicle_operation", r"公务用车运行(?:维护|维修)?(?:费用?)?"))


def _against_budget(lead: str, clause_goes_on: bool = False) -> re.Pattern:
    """An item's figures after its name: its budget (the template's "支出预算为 B 万元，"; "年初预算 B 万元" without
    为, "预算数为" elsewhere), its final figure ("支出决算为" / "决算数"), its rate ("完成预算的 P%") -- none printed
    where both are 0 ("…支出预算为 0 万元，支出决算为 0 万元；").  Regions print the item as a heading first too:
    "1.因公出国（境）费。2024 年度预算 B 万元，支出决算 F 万元".  *clause_goes_on*: after a budget and final
    figure without a rate the clause may go on ("公务用车购置费预算为 0 万元，支出决算为 0 万元，本年度未购置公务用车")."""
    end = r"(?(1)(?=[，,；;。])|(?=[；;。]))" if clause_goes_on else r"(?=[；;。])"
    return re.compile(lead + r"(?:支出)?(?:[。：:](?:\d{4}年度?)?)?(?:(?:年初|全年|调整后?)?预算数?为?" + _N + MONEY_UNIT
                      + r"，(?:支出)?)?决算数?为?" + _N + MONEY_UNIT + r"(?:，" + COMPLETION_WORDS + _N + "%|" + end + ")")


_PATTERNS = {**{key: _against_budget(lead) for key, lead in _ITEMS},
             **{key: _against_budget(lead, clause_goes_on=True) for key, lead in VEHICLE_PARTS}}


def read_items_against_budget(builder: RecordBuilder, t: RunningText, start: int) -> None:
    """The items of the 三公 total's sentence, from *start* (its end) of the running text on."""
    after = t.text[start:]
    for key, _ in _ITEMS:
        _put_item(builder, t, key, _PATTERNS[key].search(after), start)
    read_vehicle_parts(builder, t, start)


def read_vehicle_parts(builder: RecordBuilder, t: RunningText, start: int) -> None:
    """The vehicle item's two parts in 七（一）, from *start* of the running text on (the total's sentence's end,
    or 七's heading where the total is worded otherwise)."""
    after = t.text[start:]
    # (the parts only in 七（一）'s paragraph, before （二）: 七（二） restates each part's final figure --
    # "公务用车购置费支出决算 A 万元。" -- which is not its final figure against its budget, but the figure
    # the rules hold against it.  Where the combined item is printed too, the parts after it -- "公务用车购置及
    # 运行维护费预算为 B 万元，支出决算为 F 万元…。其中：公务用车购置费预算为 …" -- are its breakdown: TPF-025)
    paragraph = before_details(after)
    for key, _ in VEHICLE_PARTS:
        _put_item(builder, t, key, _PATTERNS[key].search(paragraph), start)


def before_details(text: str) -> str:
    """*text* up to 七（二）, the items' details: what 七（一） says of the total and its items."""
    details = text.find("（二）")
    return text[:details] if details >= 0 else text


def _put_item(builder: RecordBuilder, t: RunningText, key: str, item: re.Match | None, offset: int) -> None:
    if not item:
        return
    if item.group(1) is not None:
        builder.put(f"three_public.{key}.budget", figure_at(t, item, 1, "情况说明", offset=offset))
    builder.put(f"three_public.{key}.final", figure_at(t, item, 2, "情况说明", offset=offset))
    if item.group(3) is not None:
        builder.put(f"three_public.{key}.completion", figure_at(t, item, 3, "情况说明", "%", offset=offset))


# After a numbered item's figure: its budget ("，预算为 B 万元"; "年初预算", "预算数" elsewhere), then its rate
# ("，完成预算的 P%"), either or both
_ITEM_BUDGET = re.compile(r"[，,](?:年初|全年|调整后?)?预算数?为?" + _N + MONEY_UNIT)
_ITEM_RATE = re.compile(r"[，,]" + COMPLETION_WORDS + _N + "%")


def read_item_budget(builder: RecordBuilder, t: RunningText, key: str, item: re.Match) -> int:
    """七（二）'s numbered item *item* ("1.因公出国（境）费支出 F 万元") followed by its budget and rate ("，预算为
    B 万元，完成预算的 P%"; the rate alone, "2.公务用车购置及运行费支出 F 万元，完成预算的 P%。其中："): the
    item's ``budget`` and ``completion`` -- 七（一）'s where it printed them first (a different figure is listed
    as a duplicate).  Returns where the item's words end, for its change on last year after them."""
    end = item.end()
    budget = _ITEM_BUDGET.match(t.text, end)
    if budget:
        builder.put(f"three_public.{key}.budget", figure_at(t, budget, 1, "情况说明"))
        end = budget.end()
    rate = _ITEM_RATE.match(t.text, end)
    if rate:
        builder.put(f"three_public.{key}.completion", figure_at(t, rate, 1, "情况说明", "%"))
        end = rate.end()
    return end
