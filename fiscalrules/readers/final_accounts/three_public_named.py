"""七's "三公" items named by their lead, their figures by role only: each item's final figure, budget,
completion rate and change on last year where the item is named in its numbered lead or its run-in
heading and the figures after it only by what they are --

    2.公务用车购置及运行维护费支出预算为 B 万元，支出决算为 F 万元，完成预算的 P%，较上年减少 C 万元，下降 Q%。
    1.因公出国（境）费。2025 年度支出决算 F 万元，与 2024 年度相比增加 C 万元，增长 Q%。
    （一）因公出国（境）费支出情况  (a heading of its own, the paragraph under it)
    2025 年度预算数为 B 万元，决算数为 F 万元，…

The template's own sentences ("1、因公出国（境）费支出 X 万元", read in :mod:`.narrative`) are left to
their reader: an item read there is not read again here.  The figures go where the numbered item's
always went: the final figure is the item's ``item`` (its change given to 七（一）'s ``final`` where that
one states the same amount without a change: CHG-008…010, else the item's own: CHG-011…013), its budget
and rate the item's ``budget`` and ``completion`` (七（一）'s where it printed them first).
"""

from __future__ import annotations

import re
from ..common.amounts import decimal_amount, scan
from ..common.record import RecordBuilder, change_printed_at, phrase_figure
from .clauses import ITEM_NUMBER
from .linking import SECTION, Linked, Sections, link

__all__ = ["read_named_items"]

# The items as a lead names them, over the stream's normalised text ("(境)", ","): the vehicle item
# before its parts, a part never the combined item's first words ("公务用车购置及运行维护费")
_NAMES = (("overseas", r"因公出国(?:\(境\))?(?:费用?|经费)"),
          ("vehicle", r"公务用车购置(?:及|和|与|、)运行(?:维护|维修)?(?:费用?|经费)"),
          ("vehicle_purchase", r"公务用车购置(?:费用?|经费)(?![及和与、])"),
          ("vehicle_operation", r"公务用车运行(?:维护|维修)?(?:费用?|经费)"),
          ("reception", r"公务接待(?:费用?|经费)"))
_NAME = "|".join(f"(?P<{key}>{name})" for key, name in _NAMES)
# The numbering of an item: "1." / "1、" / "（1）" as 五（三）'s 项, or "（一）" where the items are 七（二）'s parts
_NUMBER = r"(?:" + ITEM_NUMBER + r"|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)"
# What a heading may say after the name: "支出", "支出情况", "情况说明", "支出决算情况"
_HEADING_WORDS = r"(?:支出)?(?:决算)?(?:情况(?:说明)?)?"
# A lead: the item numbered, its figures after it in the same sentence or after its run-in heading's
# stop; or unnumbered, a run-in heading at a sentence's start ("…。公务接待费：2025 年度支出决算 F 万元")
# -- or a part of the numbered vehicle item, the subject of a sentence (or of 其中's) stating its budget
# first (``budget_first``): "2．公务用车购置及运行费…。其中：公务用车购置费预算为 B 万元，支出决算为 F 万元…。
# 公务用车运行维护费预算为 B 万元，支出决算为 F 万元，完成预算的 P%，与上年相比减少 C 万元…" (七（二）'s vehicle
# item in its parts, the 2018年度 template as 河南 printed it; not 七（一）'s items after its total, "其中：因公出国
# （境）费支出预算为 …", read as the template words them)
_LEAD = re.compile(r"(?:(?P<number>" + _NUMBER + r")|(?:^|(?<=[。;])|(?<=其中:)))(?:" + _NAME + r")(?(number)|(?=" + _HEADING_WORDS
                   + r"[。:]|(?P<budget_first>(?:支出)?(?:年初|全年|调整后?)?预算数?(?:为|是)?\d)))")
_VEHICLE_PARTS = ("vehicle_purchase", "vehicle_operation")
# A section heading naming one item alone ("（一）因公出国（境）费支出情况"): its paragraph is the item's
_HEADING = re.compile(r"^" + _NUMBER + r"?(?:" + _NAME + r")" + _HEADING_WORDS + r"$")
# What stands before a figure's role: the item's heading words and stop, the year or period
_BEFORE_ROLE = re.compile(r"^" + _HEADING_WORDS + r"[。:,]?(?:\d{4}年度?|本年度?|全年|当年|今年)?(?:的)?")
# The roles, by the words alone left before the figure: its budget, its final figure
_BUDGET_ROLE = re.compile(r"^(?:支出)?(?:年初|全年|调整后?)?预算(?:数|金额|安排)?(?:为|是)?$")
_FINAL_ROLE = re.compile(r"^(?:(?:支出|实际支出|开支)?(?:决算)?(?:数|金额)?(?:合计|共计|共)?(?:为|是|达)?)$")
_NUMBERING = re.compile(r"^" + _NUMBER)


def read_named_items(builder: RecordBuilder, sections: Sections) -> None:
    """Each 三公 item of 七's sections named by its lead, its figures by role (the module's doc)."""
    for heading, stream in sections.of("three_public"):
        named = _HEADING.match(heading)
        if named:
            _read_item(builder, stream, _key(named), 0, len(stream.text))
            continue
        leads = _leads(stream.text)
        for i, lead in enumerate(leads):
            end = leads[i + 1].start() if i + 1 < len(leads) else len(stream.text)
            _read_item(builder, stream, _key(lead), lead.start(), end, lead.end() - lead.start())


def _leads(text: str) -> list[re.Match]:
    """The items' leads in *text*: a budget-first one (:data:`_LEAD`) only as a part of the numbered
    vehicle item before it."""
    leads: list[re.Match] = []
    for lead in _LEAD.finditer(text):
        if lead.group("budget_first"):
            numbered = next((before for before in reversed(leads) if before.group("number")), None)
            if _key(lead) not in _VEHICLE_PARTS or numbered is None or _key(numbered) != "vehicle":
                continue
        leads.append(lead)
    return leads


def _key(found: re.Match) -> str:
    return next(key for key, _ in _NAMES if found.group(key))


def _read_item(builder: RecordBuilder, stream, key: str, start: int, end: int, lead: int = 0) -> None:
    """The item *key*'s figures in *stream* from *start* (its lead, *lead* characters long) to *end*."""
    if builder.get(f"three_public.{key}.item") is not None:
        return      # (the template's sentence read it)
    budget = final = None
    phrases = scan(stream, start, end)
    for linked in link(phrases):
        role = _role(linked, start + lead)
        if role == "budget" and budget is None and final is None and linked.completion is None:
            budget = linked
            continue
        if role == "final":
            final = linked
        break       # (anything else -- "其中：公务用车购置费 A 万元" -- is no longer the item's own)
    if key == "overseas":
        _read_groups(builder, stream, start, end, phrases)
    if final is None:
        return
    if budget is not None and final.budget is None:
        final.budget = budget.phrase
    _put_item(builder, key, final)


# The groups sent abroad and their persons, in the overseas item's own paragraph, where its lead names it
# and the count does not ("主要用于组织 1 个团组 3 人次赴…", "团组 2 个、累计 6 人次"; common.three_public.OVERSEAS_COUNTS
# reads them where 出国 is said before them)
_GROUPS = re.compile(r"(?P<groups>\d{1,4})个(?:出访|因公出国(?:\(境\))?)?团组[,、]?(?:共计?|累计|出访)?(?P<persons>\d{1,5})人"
                     r"|团组(?:数)?(?:共计?)?(?P<groups2>\d{1,4})个[,、]?(?:共计?|累计|出访)?(?:人数)?(?P<persons2>\d{1,5})人")


def _read_groups(builder: RecordBuilder, stream, start: int, end: int, phrases: list) -> None:
    """The groups and persons in the overseas item's paragraph (*phrases*: its figures, as scanned)."""
    if builder.get("three_public.overseas.groups") is not None:
        return
    found = _GROUPS.search(stream.text, start, end)
    if found is None:
        return
    counts = {p.number_start: p for p in phrases if p.unit in ("个", "人")}
    for path, groups in (("groups", ("groups", "groups2")), ("persons", ("persons", "persons2"))):
        at = next(found.start(group) for group in groups if found.group(group) is not None)
        phrase = counts.get(at)
        if phrase is not None:
            phrase.used = True
            builder.put(f"three_public.overseas.{path}", phrase_figure(phrase, SECTION), section=SECTION, lines=phrase.lines)


def _role(linked: Linked, name_end: int) -> str | None:
    """What *linked* is by the words before its amount: "budget", "final", or None (it names
    something else).  Its lead's numbering and the item's name (where the label holds them) and the
    heading words, the year or period after them, say nothing of its role."""
    if linked.only_change:
        return None
    phrase = linked.phrase
    label = phrase.stream.text[phrase.label_start:phrase.number_start]
    if phrase.label_start < name_end:   # (the label starts in the lead: what follows the item's name)
        label = phrase.stream.text[name_end:phrase.number_start]
    label = _BEFORE_ROLE.sub("", _NUMBERING.sub("", label.lstrip("。,;:")))
    if _BUDGET_ROLE.match(label):
        return "budget"
    return "final" if _FINAL_ROLE.match(label) else None


def _put_item(builder: RecordBuilder, key: str, final: Linked) -> None:
    figure = final.figure(SECTION)
    lines = final.phrase.lines
    final.phrase.used = True
    _change_to_final(builder, key, figure)
    builder.put(f"three_public.{key}.item", figure, section=SECTION, lines=lines)
    if final.budget is not None:
        budget = phrase_figure(final.budget, SECTION)
        budget.pop("change", None)
        budget.pop("pct", None)
        final.budget.used = True
        builder.put(f"three_public.{key}.budget", budget, section=SECTION, lines=final.budget.lines)
    if final.completion is not None:
        final.completion.used = True
        builder.put(f"three_public.{key}.completion", phrase_figure(final.completion, SECTION), section=SECTION,
                    lines=final.completion.lines)


def _change_to_final(builder: RecordBuilder, key: str, figure: dict) -> None:
    """The item's change on last year is 七（一）'s final figure's where that one states the same amount
    and no change (CHG-008…010 then check its percentage): moved there, held where it is printed."""
    final = builder.get(f"three_public.{key}.final")
    if figure.get("change") is None or not isinstance(final, dict) or final.get("change") is not None \
            or decimal_amount(final.get("value")) != decimal_amount(figure.get("value")):
        return
    source = figure.get("source") or {}
    final["change"] = figure.pop("change")
    if figure.get("pct") is not None:
        final["pct"] = figure.pop("pct")
    change_printed_at(final, source.pop("change_line", source.get("line")))
