"""Project descriptions of the narrative ("(九)XX项目情况说明": 项目概述 … 年度预算安排：50 万元).

One section may describe one project (named by its heading) or several (each introduced by
"项目名称：…"). Each becomes a row of ``projects``: its name, 年度预算安排 amount, 实施主体 and
实施周期. Other amounts in the descriptions are listed as unread.
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
_AMOUNT_LABEL = re.compile(r"年度预算安排|预算安排|年度预算|项目金额|资金安排|预算金额|安排资金|预算数")
_ITEM_END = r"(?=\(?\d{1,2}[)、]|\(?[一二三四五六七八九十][)、]|$)"


def project_name_from_heading(heading: str) -> str:
    """"(九)医疗保障改革专项经费项目情况说明" → "医疗保障改革专项经费"; a generic heading
    ("(十)重点项目情况说明") keeps its 项目 ("重点项目")."""
    body = re.sub(r"\s+", "", heading)
    body = re.sub(rf"^(?:[{_NUMERAL}]+[、.]|\([{_NUMERAL}]+\))", "", body)
    body = re.sub(r"(?:支出)?(?:情况说明|说明|概述|情况|概况)$", "", body).strip(":")
    name = re.sub(r"项目(?:支出)?$", "", body)
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


def _text_item(stream: Stream, start: int, end: int, label: str, heading: str) -> dict | None:
    found = re.search(rf"{label}[:]?(?P<value>.*?){_ITEM_END}", stream.text[start:end])
    if not found or not found.group("value").strip("。;,"):
        return None
    lo, hi = start + found.start("value"), start + found.end("value")
    value = stream.text[lo:hi].strip("。;,")      # normalised: layout spaces, full width gone
    lines = stream.lines_of(start + found.start(), hi)
    return figure(value, src=source(stream.document.name, heading, lines[0],
                                    stream.excerpt(start + found.start(), hi)))


def _read_project(builder: RecordBuilder, stream: Stream, heading: str, name: str,
                  start: int, end: int) -> None:
    row: dict = {"name": name}
    phrases = scan(stream, start, end)
    for phrase in phrases:
        if (not phrase.orphan and "amount" not in row and phrase.unit in ("万元", "元", "亿元")
                and _AMOUNT_LABEL.search(phrase.raw_label)):
            phrase.used = True
            row["amount"] = phrase_figure(phrase, heading)
    for key, label in (("implementer", "实施主体|实施单位"), ("period", "实施周期|实施期限")):
        item = _text_item(stream, start, end, f"(?:{label})", heading)
        if item:
            row[key] = item
    if "amount" not in row:
        lines = stream.lines_of(start, end)
        builder.add_unread(heading, lines, f"project {name!r}: no 年度预算安排 amount found")
    builder.append("projects", row)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)
