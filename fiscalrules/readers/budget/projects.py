"""Project descriptions of the narrative ("(九)XX项目情况说明": 项目概述 … 年度预算安排：50 万元).

One section may describe one project (named by its heading) or several (each introduced by
"项目名称：…"). Each becomes a row of ``projects``: its name, 年度预算安排 amount, 实施主体,
实施周期 and 立项依据. When the description is numbered ("(6)年度预算安排：…", "六、年度预算安排 …"),
the amounts of its 年度预算安排 item are read: the first is the annual amount, "第一季度用款计划 …"
are quarterly plans, "合计 …" the stated sum and the others (after "其中") its parts
(``project_parts``). Other amounts in the descriptions are listed as unread.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import scan
from ..common.record import RecordBuilder, figure, phrase_figure, source
from .sections import Section

__all__ = ["read_project_section", "project_name_from_heading"]

_NUMERAL = "一二三四五六七八九十"
_MONEY = ("万元", "元", "亿元")
_AMOUNT_LABEL = re.compile(r"年度预算安排|预算安排|年度预算|项目金额|资金安排|预算金额|安排资金|预算数|资金来源及金额|项目资金"
                           r"|本年度?预算")
_ITEM_END = r"(?=\(?\d{1,2}[)、]|\(?[一二三四五六七八九十][)、]|$)"


def project_name_from_heading(heading: str) -> str:
    """"(九)医疗保障改革专项经费项目情况说明" → "医疗保障改革专项经费"; a generic heading
    ("(十)重点项目情况说明") keeps its 项目 ("重点项目")."""
    body = re.sub(r"\s+", "", heading)
    body = re.sub(rf"^(?:[{_NUMERAL}]+[、.]|\([{_NUMERAL}]+\))", "", body)
    body = re.sub(r"(?:支出)?(?:情况说明|说明|概述|情况|概况)$", "", body).strip(":")
    name = re.sub(r"项目(?:支出|经费)?$", "", body)
    return name if len(name) >= 3 else body


def read_project_section(builder: RecordBuilder, doc: Document, section: Section) -> None:
    stream = section.stream(doc)
    heading = section.heading
    starts = [m for m in re.finditer(r"项目名称[:]?", stream.text)]
    if starts:
        spans = [(m.start(), starts[i + 1].start() if i + 1 < len(starts) else len(stream.text))
                 for i, m in enumerate(starts)]
    else:
        spans = [(0, len(stream.text))]
    for start, end in spans:
        name = _name_in(stream, start, end) if starts else project_name_from_heading(heading)
        _read_project(builder, stream, heading, name or project_name_from_heading(heading),
                      start, end)


def _name_in(stream: Stream, start: int, end: int) -> str:
    found = re.match(r"项目名称[:]?(?P<name>[^,;。]+?)(?=[,;。]|\(?\d{1,2}[)、]|$)",
                     stream.text[start:end])
    return found.group("name") if found else ""


# The numbered items of a description: "(6)年度预算安排：50 万元", "六、年度预算安排 2025年度项目总预算…".
_ITEM_LABELS = {
    "overview": r"项目概述|项目概况|项目内容",
    "basis": r"立项依据",
    "implementer": r"实施主体|实施单位",
    "plan": r"实施方案",
    "period": r"实施周期|实施期限",
    # "(4)年度预算安排：…", and as other regions word it: "项目预算金额：…", "2025年预算安排资金 …",
    # "资金来源及金额：财政拨款 48.00 万元"
    "budget": r"(?:\d{4}年度?|本年度?)?(?:项目)?(?:年度预算安排|年度预算|预算安排(?:资金)?|预算金额|资金来源及金额|资金安排|预算资金)"
              r"|(?:\d{4}年度?|本年度?)?项目(?:总)?预算(?:数|金额)?|(?:\d{4}年度?|本年度?)?项目资金(?:金额)?"
              r"|(?:\d{4}年度?|本年度?)预算(?:数)?",
    "targets": r"项目绩效目标|绩效目标",
}
_ITEM = re.compile(
    r"(?:(?P<cn>[一二三四五六七八九十]+[、.])|(?P<num>\(?\d{1,2}[)、.]))\s*(?P<label>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _ITEM_LABELS.items()) + r")[:]?")
_QUARTER = re.compile(r"第(?P<q>[一二三四1-4])季度")
_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4"}
_SUM_LABEL = re.compile(r"^(?:合计|共计|总计|小计)$")


# Any numbered item, its label known or not ("6）本地特色说明：…"): it ends the item before it.
# (a marker stands before a name: a word, or a year that starts one -- "4）2025 年预算金额：…")
_MARKER = re.compile(r"(?:(?P<cn>[一二三四五六七八九十]+[、.])|(?P<num>\(?\d{1,2}[)、.]))(?=\s*(?:[\u4e00-\u9fff]|\d{4}\s*年))")


def _style(match: re.Match) -> tuple[str, str]:
    """A marker's numbering style: Chinese or digits, and its closing mark ("1）" is not "1、")."""
    marker = match.group("cn") or match.group("num")
    return ("cn" if match.group("cn") else "num", marker[-1])


def _items(stream: Stream, start: int, end: int) -> dict[str, tuple[int, int, int]]:
    """Item key → (label start, content start, end) for the numbered items of one description.
    An item ends where the next item of the same numbering style begins (a label this reader
    does not know included: its text is never read as the item above's)."""
    found = list(_ITEM.finditer(stream.text, start, end))
    markers = list(_MARKER.finditer(stream.text, start, end))
    items: dict[str, tuple[int, int, int]] = {}
    for index, match in enumerate(found):
        style = _style(match)
        following = next((m.start() for m in markers if m.start() > match.start() and _style(m) == style), end)
        key = next(k for k in _ITEM_LABELS if match.group(k))
        items.setdefault(key, (match.start(), match.end(), following))
    return items


def _text_value(stream: Stream, item: tuple[int, int, int], heading: str) -> dict | None:
    label_start, lo, hi = item
    value = stream.text[lo:hi].strip("。;, ")         # normalised: layout spaces, full width gone
    if not value:
        return None
    lines = stream.lines_of(label_start, hi)
    return figure(value, src=source(stream.document.name, heading, lines[0],
                                    stream.excerpt(label_start, hi)))


def _read_project(builder: RecordBuilder, stream: Stream, heading: str, name: str,
                  start: int, end: int) -> None:
    row: dict = {"name": name}
    phrases = scan(stream, start, end)
    items = _items(stream, start, end)
    budget = items.get("budget")
    for phrase in phrases:
        if phrase.orphan or phrase.unit not in _MONEY:
            continue
        inside = budget is not None and budget[0] <= phrase.number_start < budget[2]
        if budget is not None and not inside:
            continue
        label = phrase.label
        quarter = _QUARTER.search(phrase.raw_label)
        if inside and quarter:
            key = "quarter_" + _QUARTERS.get(quarter.group("q"), quarter.group("q"))
            if key not in row:
                phrase.used = True
                row[key] = phrase_figure(phrase, heading)
        elif "amount" not in row and (inside or _AMOUNT_LABEL.search(phrase.raw_label)):
            phrase.used = True
            row["amount"] = phrase_figure(phrase, heading)
        elif inside and _SUM_LABEL.match(label) and "parts_total" not in row:
            phrase.used = True
            row["parts_total"] = phrase_figure(phrase, heading)
        elif inside and "amount" in row and label:
            phrase.used = True
            builder.append("project_parts", {"project": name, "name": label,
                                             "amount": phrase_figure(phrase, heading)})
    for key in ("implementer", "period", "basis"):
        item = items.get(key)
        value = _text_value(stream, item, heading) if item else None
        if value is None and not items:
            label = {"implementer": "实施主体|实施单位", "period": "实施周期|实施期限",
                     "basis": "立项依据"}[key]
            value = _text_item(stream, start, end, f"(?:{label})", heading)
        if value:
            row[key] = value
    if "amount" not in row and not any(k.startswith("quarter_") for k in row):
        lines = stream.lines_of(start, end)
        builder.add_unread(heading, lines, f"project {name!r}: no 年度预算安排 amount found")
    builder.append("projects", row)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)


def _text_item(stream: Stream, start: int, end: int, label: str, heading: str) -> dict | None:
    found = re.search(rf"{label}[:]?(?P<value>.*?){_ITEM_END}", stream.text[start:end])
    if not found or not found.group("value").strip("。;,"):
        return None
    lo, hi = start + found.start("value"), start + found.end("value")
    value = stream.text[lo:hi].strip("。;,")      # normalised: layout spaces, full width gone
    lines = stream.lines_of(start + found.start(), hi)
    return figure(value, src=source(stream.document.name, heading, lines[0],
                                    stream.excerpt(start + found.start(), hi)))
