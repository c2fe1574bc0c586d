"""The central template's 一般公共预算当年拨款情况: the year's own general-budget appropriation -- its
scale, its structure by class and its use line by line.

Central departments, and the provinces whose narrative follows the central template, print beside
the 财政拨款 sections one on the general budget's appropriation of the year, in three parts::

    （一）一般公共预算当年拨款规模变化情况
    2025 年一般公共预算当年拨款 1,150.00 万元，比 2024 年执行数增加 50.00 万元，增长 4.55%。主要原因是……
    （二）一般公共预算当年拨款结构情况
    社会保障和就业（类）支出 94.00 万元，占 8.17%；卫生健康（类）支出 37.00 万元，占 3.22%；……
    （三）一般公共预算当年拨款具体使用情况
    1. 社会保障和就业（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）支出 62.00 万元，
       与 2024 年执行数相比增加 2.00 万元，增长 3.33%，主要原因是……

The parts are sections of their own (their headings name them) or run on under one heading, each
opened by its name ("1.一般公共预算当年拨款规模变化情况"): each is found by its words, whatever its
number.  Scale → ``general_budget_year.total`` (its change and percentage as printed), its split by kind of
spending printed after it (``.basic`` / ``.project``, under 基本支出 ``.basic_personnel`` /
``.basic_public``, each with its change and percentage; ``.shares.basic`` / ``.shares.project`` a
share printed after a part) and ``.change_reason``; structure → ``general_budget_year.function`` (code, name, standard name, amount,
share); use → ``general_budget_year.items``, read as the itemised 编制说明's items are
(:mod:`.itemised`, their codes resolved from their names once the tables are read).  Anything else
with an amount is listed unread.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import SHARE_LABEL, scan, share_label
from ..common.record import RecordBuilder, figure, phrase_figure, source
from .itemised import ITEM_REASON, read_item, split_items
from .spending import put_class_row, same_amount
from .sections import GENERAL_BUDGET_YEAR, Section

__all__ = ["read_general_budget_year", "lend_split_to_appropriation", "ITEMS_PATH"]

PREFIX = "general_budget_year"
ITEMS_PATH = f"{PREFIX}.items"
_MONEY = ("万元", "元", "亿元")

_PART_WORDS = (("scale", r"规模(?:变化)?"), ("structure", r"结构"), ("use", r"(?:具体)?使用"))
_PART = re.compile(GENERAL_BUDGET_YEAR + r"(?:" + "|".join(f"(?P<{name}>{words})" for name, words in _PART_WORDS)
                   + r")(?:情况)?(?:说明)?")
# A part's name printed as a run-on subheading: its number (if any) and the name, nothing else before
_RUN_ON = re.compile(r"(?:\d{1,2}[.、]|\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、)?\s*" + _PART.pattern)
# The scale part's split of the total by kind of spending: a figure named by the kind, whatever leads
# it in ("其中：基本支出", "按支出性质分，基本支出", "一般公共预算当年拨款中，基本支出", "用于项目支出")
_SPLIT = re.compile(r"(?P<kind>基本支出|项目支出|人员经费|公用经费)(?:预算)?(?:拨款)?(?:数)?(?:为|是|共计|合计|共)?$")
# (a label naming another year -- as printed: clean_label drops a year before it -- "2024 年基本支出 850.00
# 万元", "上年项目支出": last year's figure, no part)
_OTHER_YEAR = re.compile(r"(?P<year>\d{4})\s*年|上年|去年|上一年")
_SPLIT_PATHS = {"基本支出": "basic", "项目支出": "project", "人员经费": "basic_personnel", "公用经费": "basic_public"}
# An item of the use part: "1." / "1、" / "(1)" before a classification name (or its quotes); the
# first may follow the part's name with nothing between (the lines joined: "…具体使用情况(1)社会…")
_ENUMERATOR = re.compile(r"(?<![\d.,])(?P<open>\()?(?P<n>\d{1,3})(?(open)\)|[.、])(?=\s*[\"“「]|\s*[\u4e00-\u9fff])")


def _part(text: str) -> str | None:
    found = _PART.search(text)
    if found is None:
        return None
    return next(name for name, _ in _PART_WORDS if found.group(name))


def _opens(stream: Stream, at: int) -> bool:
    """Whether a part's name at *at* opens the part: first on its line, or after a sentence's end
    -- not words of a sentence ("一般公共预算当年拨款使用情况良好")."""
    return at == 0 or stream.text[at - 1] in "。:;!? " or stream.lines_of(at - 1, at)[0] != stream.lines_of(at, at + 1)[0]


def read_general_budget_year(builder: RecordBuilder, doc: Document, section: Section) -> None:
    """Read one section the heading of which names 一般公共预算当年拨款: the part its heading names,
    or the parts its text opens by name (a text opening none is the scale's)."""
    stream = section.stream(doc)
    text = stream.text
    heading = section.heading
    named = _part(heading)
    if named is not None:
        parts = [(named, 0, len(text))]
    else:
        opened = [m for m in _RUN_ON.finditer(text) if _opens(stream, m.start())]
        parts = [(_part(m.group(0)), m.end(), opened[i + 1].start() if i + 1 < len(opened) else len(text))
                 for i, m in enumerate(opened)]
        if not opened:
            parts = [("scale", 0, len(text))]
        elif opened[0].start() > 0:
            parts.insert(0, ("scale", 0, opened[0].start()))
    for part, start, end in parts:
        _READERS[part](builder, stream, start, end, heading)


def _read_scale(builder: RecordBuilder, stream: Stream, start: int, end: int, heading: str) -> None:
    """The year's general-budget appropriation with its change (its first amount), and the reason."""
    phrases = scan(stream, start, end)
    total = next((p for p in phrases if p.unit in _MONEY and not p.orphan), None)
    if total is not None:
        builder.put_phrase(f"{PREFIX}.total", total, heading)
        _read_split(builder, phrases[phrases.index(total) + 1:], heading)
        found = ITEM_REASON.search(stream.text, total.end, end)
        if found and found.group("reason").strip(" ,:"):
            lines = stream.lines_of(*found.span())
            builder.put(f"{PREFIX}.change_reason",
                        figure(found.group("reason").strip(" ,:"),
                               src=source(stream.document.name, heading, lines[0], stream.excerpt(*found.span()))),
                        section=heading, lines=lines)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)


def _read_split(builder: RecordBuilder, phrases: list, heading: str) -> None:
    """The total's parts after it: 基本支出 and 项目支出 each with its change (and a share printed
    after it: "基本支出 880.00 万元，占 76.52%"); 人员经费 / 公用经费 once 基本支出 is read -- they
    are its parts, printed under it ("基本支出 A 万元，其中：人员经费 B 万元，公用经费 C 万元")."""
    last = None     # the part a share after it is of
    for phrase in phrases:
        if phrase.orphan:
            continue
        if phrase.unit in _MONEY:
            found = _SPLIT.search(phrase.label or "")
            path = _SPLIT_PATHS[found.group("kind")] if found and not _of_another_year(builder, phrase.raw_label or "") else None
            if path in ("basic_personnel", "basic_public") and builder.get(f"{PREFIX}.basic") is None:
                path = None     # (人员经费 of no 基本支出 printed: not a part of the split)
            last = path if path is not None and builder.put_phrase(f"{PREFIX}.{path}", phrase, heading) else None
        elif phrase.unit == "%" and last in _LABELS and SHARE_LABEL.match(phrase.label or ""):
            builder.put_phrase(f"{PREFIX}.shares.{last}", phrase, heading,
                               label=share_label(_LABELS[last], phrase.label))
            last = None


_LABELS = {"basic": "基本支出", "project": "项目支出"}


def _of_another_year(builder: RecordBuilder, label: str) -> bool:
    year = builder.year()
    return any(m.group("year") is None or (year is not None and int(m.group("year")) != year)
               for m in _OTHER_YEAR.finditer(label))


def _read_structure(builder: RecordBuilder, stream: Stream, start: int, end: int, heading: str) -> None:
    """Each class's amount ("社会保障和就业（类）支出 94.00 万元") and its share printed after it; the
    total restated before them ("2026 年本部门一般公共预算当年拨款 9735.75 万元，按支出功能分类科目
    “类”级划分：…") is the scale's total (a restatement, or a duplicate listed where it differs)."""
    phrases = scan(stream, start, end)
    row = None
    for phrase in phrases:
        if phrase.unit in _MONEY and not phrase.orphan and _TOTAL_NAMED.search(phrase.label or ""):
            builder.put_phrase(f"{PREFIX}.total", phrase, heading)
            row = None
        elif phrase.unit in _MONEY and not phrase.orphan:
            row = put_class_row(builder, f"{PREFIX}.function", phrase, phrase.label, heading, "function")
        elif row is not None and phrase.unit == "%" and SHARE_LABEL.match(phrase.label) and "share" not in row:
            phrase.used = True
            row["share"] = phrase_figure(phrase, heading, label=share_label(row["name"], phrase.label))
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)


def _read_use(builder: RecordBuilder, stream: Stream, start: int, end: int, heading: str) -> None:
    """Each numbered line of the classification with its amount, change and reason."""
    items = split_items(stream, start, end, _ENUMERATOR)
    first = items[0][1] if items else end
    for phrase in scan(stream, start, first):      # (a lead-in's amounts: none is an item's)
        builder.unread_phrase(phrase, heading)
    for number, item_start, item_end in items:
        read_item(builder, stream, number, item_start, item_end, heading, ITEMS_PATH)


# (the section's own name ending a figure's label: its total, no class)
_TOTAL_NAMED = re.compile(GENERAL_BUDGET_YEAR + r"(?:预算)?(?:数)?(?:为|是|共计|合计|共)?$")
_READERS = {"scale": _read_scale, "structure": _read_structure, "use": _read_use}


def lend_split_to_appropriation(builder: RecordBuilder) -> None:
    """The year's general-budget split (基本支出 / 项目支出) as the appropriation's, where the
    appropriation is this year's general budget whole -- its total (财政拨款收支总预算) the
    same figure as the year's general-budget appropriation -- and its own section prints no split
    (the central template's 财政拨款收支总体情况 lists its classes only): 财政拨款项目支出 was
    missing, and APR-001 / CMP-003 / TBL-030 not evaluable, though the document prints it under
    一般公共预算当年拨款.  Each part's change comes with it only where the two totals state the
    same change (last year's totals may differ: a carry-over then)."""
    total, year_total = builder.get("appropriation.total"), builder.get(f"{PREFIX}.total")
    if not (isinstance(total, dict) and isinstance(year_total, dict)) or total.get("unit") != year_total.get("unit") \
            or not same_amount(total.get("value"), year_total.get("value")):
        return
    same_change = total.get("change") is not None and same_amount(total.get("change"), year_total.get("change"))
    for part in ("basic", "project"):
        lent = builder.get(f"{PREFIX}.{part}")
        if not isinstance(lent, dict) or builder.get(f"appropriation.{part}") is not None:
            continue
        builder.put(f"appropriation.{part}",
                    lent if same_change else {k: v for k, v in lent.items() if k not in ("change", "pct")})
