"""The counts the 情况说明 paragraphs print beside their amounts: the "三公" paragraph's 团组 and 人次
abroad, 接待批次 and 人次, 公务用车购置数 and 保有量; the units the 机关运行经费 are for.

"安排因公出国（境）团组 0 个、0 人次；…全年安排国内公务接待 45 批次、300 人次；…公务用车购置数 0 辆；…
公务用车保有量 3 辆": each count is found by the words before it (the template's own words, not a
document's sentence) and kept under ``three_public.counts`` (``overseas_groups``, ``overseas_people``,
``reception_batches``, ``reception_people``, ``vehicle_purchases``, ``vehicles_held``), so that the
rules can hold them against the amounts (no 团组 and an amount abroad, or the other way round) and
the 保有量 against the 国有资产 section's vehicles.  "下属 1 家机关和 1 家事业单位财政拨款的机关运行经费"
(as Shanghai prints it): ``operating_scope.agencies`` / ``.institutions``, held against the
department's units by kind (ORG-003).  A count already taken by the narrative's scan is marked used
there, so it is not listed as unread as well.

No purchase stated in words ("未安排购置车辆", "不安排购置公务用车", "无购车计划") is a count of 0, in
the 三公 paragraph (``three_public.counts.vehicle_purchases``) and in the 国有资产 section
(``assets.vehicle_purchases``): :func:`read_no_vehicle_purchases`.
"""

from __future__ import annotations

import re

from ...document.stream import Stream
from ..common.amounts import Phrase
from ..common.record import RecordBuilder, figure, span_source
from ..common.three_public import OVERSEAS_COUNTS, about_another_year, first_of_the_year, no_vehicle_purchase

__all__ = ["read_no_vehicle_purchases", "read_three_public_counts", "read_operating_scope"]

_N = r"(\d{1,6})\s*"
_GAP = r"[^。；;，,\d]{0,12}?"
# people counted by the thousand, printed with a separator ("1,600 人次")
_PEOPLE = r"(\d{1,3}(?:,\d{3})+|\d{1,6})\s*"
_VEHICLES = r"(?:辆|台)"
# (pattern, [(group, key, unit[, label])]): the label words, then the number(s) with their units
# (vehicles counted in 辆, or in 台 as some regions print them: kept as 辆); a count is labelled by
# the words before it, or by the label given.
_Counts = list[tuple[re.Pattern[str], list[tuple]]]
_COUNTS: _Counts = [
    (OVERSEAS_COUNTS, [("groups", "overseas_groups", "个"), ("persons", "overseas_people", "人")]),
    (re.compile(r"(?:公务接待|接待国内公务)" + _GAP + _N + r"批(?:次)?" + r"(?:\s*[、，,]\s*(?:接待)?" + _PEOPLE + r"人(?:次)?)?"),
     [(1, "reception_batches", "批"), (2, "reception_people", "人")]),
    # ("国内公务接待批次 12 个，国内公务接待人数 86 人": each count named by itself, 福建)
    (re.compile(r"公务接待批次(?:数)?(?:为)?" + _N + r"(?:个|批次?|次)"), [(1, "reception_batches", "批")]),
    (re.compile(r"公务接待人(?:数|次)(?:为)?" + _PEOPLE + r"人(?:次)?"), [(1, "reception_people", "人")]),
    (re.compile(r"公务用车购置(?:数|数量)?" + r"[^\d。；;费]{0,4}?" + _N + _VEHICLES), [(1, "vehicle_purchases", "辆")]),
    (re.compile(r"(?:购置|更新)公务用车" + _N + _VEHICLES), [(1, "vehicle_purchases", "辆")]),
    # ("公务用车保有量 N 辆"; "公务用车保有 N 辆", "现有公务用车 N 辆", "保有公务用车 N 辆" elsewhere)
    (re.compile(r"(?:公务用车保有量?|(?:现有|保有)公务用车)" + r"[^\d。；;]{0,4}?" + _N + _VEHICLES), [(1, "vehicles_held", "辆")]),
]


# The units the 机关运行经费 are for: "下属 1 家机关和 1 家事业单位", "所属 2 家行政单位及 1 家参照公务员法管理的
# 事业单位", "1 家机关" alone (机关 and 行政单位 the agencies; 事业单位 those managed as civil servants,
# for whom alone operating costs are budgeted)
# ("本级及 2 个参照公务员法管理事业单位": the central template's words -- 个 for 家, the department itself
# as 本级, 的 left out)
_UNITS = r"(?:家|个)(?:单位)?"
_MANAGED = r"(?:参照公务员法?管理的?|参公)"
# (each count with its label: the words before it are the department's name)
_OPERATING_SCOPE: _Counts = [
    (re.compile(_N + _UNITS + r"(?:机关|行政单位)(?:\s*(?:和|及|、|以及)\s*" + _N + _UNITS
                + _MANAGED + r"?事业单位)?"),
     [(1, "agencies", "家", "机关运行经费所含机关"), (2, "institutions", "家", "机关运行经费所含事业单位")]),
    # (alone: not the second of the pattern above -- but after the department's own 本级)
    (re.compile(r"(?:(?<=本级)(?:和|及|、|以及)\s*|(?<![\d和及、\s])(?<!和\s)(?<!及\s)(?<!、\s))" + _N + _UNITS
                + _MANAGED + r"事业单位"),
     [(1, "institutions", "家", "机关运行经费所含事业单位")]),
]


# Vehicles to buy said as an addition, as a reason may say it ("主要原因是 2025 年新增 1 辆公务用车购置",
# "新增购置公务用车 1 辆"): read where no count is printed, and only of the budget's year
_ADDED_VEHICLES = re.compile(r"新增" + _N + _VEHICLES + r"公务用车的?(?:购置|更新)|新增(?:购置|更新)(?:公务用车)?" + _N + _VEHICLES)


def read_three_public_counts(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], heading: str) -> None:
    """Read the counts of the 三公 paragraph *stream* into ``three_public.counts``; the scan's
    *phrases* for the same numbers are marked used."""
    _read_counts(builder, stream, phrases, heading, _COUNTS, "three_public.counts")
    if builder.get("three_public.counts.vehicle_purchases") is None:
        found = first_of_the_year(_ADDED_VEHICLES, stream.text, builder.year())
        if found is not None:
            _put_count(builder, stream, phrases, heading, found, 1 if found.group(1) is not None else 2,
                       "three_public.counts.vehicle_purchases", "辆")


def read_operating_scope(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], heading: str) -> None:
    """Read the units the 机关运行经费 paragraph *stream* says the costs are for into
    ``operating_scope``; the scan's *phrases* for the same numbers are marked used."""
    _read_counts(builder, stream, phrases, heading, _OPERATING_SCOPE, "operating_scope")


def _read_counts(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], heading: str, counts: _Counts,
                 prefix: str) -> None:
    year = builder.year()
    for pattern, groups in counts:
        for found in pattern.finditer(stream.text):
            # (a count in a clause about another year -- "主要原因是 2025 年更新购置公务用车 1 辆，2026 年无
            # 购置计划", 山西 -- is that year's, not the budget's)
            if year is not None and about_another_year(stream.text, found.start(), year):
                continue
            for group, key, unit, *named in groups:
                if found.group(group) is not None:
                    _put_count(builder, stream, phrases, heading, found, group, f"{prefix}.{key}", unit, *named)


def _put_count(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], heading: str, found: re.Match,
               group: int | str, path: str, unit: str, label: str | None = None) -> None:
    """The count *found* prints as its *group* put at *path* (labelled by the words before it, or
    *label*), and the scan's phrase of that number marked used."""
    text = stream.text
    start, end = found.span(group)
    first, _ = stream.lines_of(found.start(), found.end())
    excerpt = text[found.start():found.end()]
    label = label or excerpt[:start - found.start()].strip() or path.rsplit(".", 1)[-1]
    printed = found.group(group)
    fig = figure(printed.replace(",", ""), unit, label=label, printed=printed if "," in printed else None,
                 src=span_source(stream, heading, found.start(), found.end(), excerpt, page_at=start))
    builder.put(path, fig, section=heading, lines=(first, first))
    for phrase in phrases:
        if phrase.number_start <= start < phrase.number_end + 1 or start <= phrase.number_start < end:
            phrase.used = True


def read_no_vehicle_purchases(builder: RecordBuilder, stream: Stream, heading: str, path: str) -> None:
    """Put 0 vehicles at *path* where the section says in words that none are to be bought and
    prints no count there (:func:`.common.three_public.no_vehicle_purchase`: not a clause about
    another year than the budget's, ``doc.year``)."""
    if builder.get(path) is not None:
        return
    found = no_vehicle_purchase(stream.text, builder.year())
    if found is not None:
        first, last = stream.lines_of(found.start(), found.end())
        words = found.group(0)   # (shown as "0 辆": the words are the figure's label and source)
        builder.put(path, figure("0", "辆", label=words, src=span_source(stream, heading, found.start(), found.end(), words)),
                    section=heading, lines=(first, last))
