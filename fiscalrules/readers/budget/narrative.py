"""The 情况说明 sections: income, expenditure, 财政拨款, funds, 机关运行经费, 政府采购, assets, "三公".

Each section reader scans its section's stream into phrases (:mod:`.amounts`) and maps each
phrase's label to a record path by keywords, in template order. Whatever a reader cannot map is
listed as unread with its label, so a template variant shows up in ``_meta.unread`` instead of
disappearing.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import NUMBER, Phrase, number_value, scan
from ..common.classes import ECONOMIC_CLASSES, FUNCTION_CLASSES, match_economic, match_function
from ..common.record import RecordBuilder, figure, phrase_figure, source
from .sections import Section

__all__ = ["read_narrative_section", "map_by_keywords"]


def map_by_keywords(builder: RecordBuilder, phrases: list[Phrase], rules, heading: str) -> None:
    """Map each phrase to the path of the first rule whose pattern its label matches."""
    for phrase in phrases:
        if phrase.orphan:
            continue
        path = _path_for(phrase, rules)
        if path:
            builder.put_phrase(path, phrase, heading)


def _path_for(phrase: Phrase, rules) -> str | None:
    """The rule whose keyword ends nearest the number wins (ties: rule order): the noun right
    before the number names it, whatever the label drags along ("…无出国安排公务接待")."""
    best: tuple[int, int, re.Match[str], str] | None = None
    for order, (pattern, path, units) in enumerate(rules):
        if units and phrase.unit not in units:
            continue
        last = None
        for found in re.finditer(pattern, phrase.raw_label):
            last = found
        if last is not None and (best is None or last.end() > best[0]):
            best = (last.end(), order, last, path)
    if best is None:
        return None
    found = best[2]
    # A label that still holds the tail of the previous sentence starts at its keyword.
    before = phrase.raw_label[:found.start()]
    if "原因" in before or "。" in before or len(before) > 30 or _names_other(before, rules, best[3]):
        phrase.trim_label_to(phrase.start + found.start())
    return best[3]


def _names_other(text: str, rules, path: str) -> bool:
    return any(p != path and re.search(pattern, text) for pattern, p, _ in rules)


_MONEY = ("万元", "元", "亿元")

_INCOME_RULES = [
    (r"收入(?:预算)?总额|收入总预算|收入预算合计|收入合计|总收入|收入总计|收入预算总计"
     r"|(?<!拨款)收入预算(?:数)?(?:为|是)?$", "income.total", _MONEY),
    (r"一般公共预算", "income.appropriation_detail.general_budget", _MONEY),
    (r"政府性基金", "income.appropriation_detail.gov_fund", _MONEY),
    (r"国有资本经营", "income.appropriation_detail.state_capital", _MONEY),
    (r"非财政拨款结余", "income.sources.non_appropriation_balance", _MONEY),
    (r"财政拨款", "income.sources.appropriation", _MONEY),
    (r"教育收费", "income.sources.education_fees", _MONEY),
    (r"经营收入", "income.sources.operating", _MONEY),
    (r"事业收入", "income.sources.business", _MONEY),
    (r"附属单位", "income.sources.affiliated", _MONEY),
    (r"上级补助", "income.sources.superior_subsidy", _MONEY),
    (r"其他收入", "income.sources.other", _MONEY),
    (r"上年结转|结转和结余|结转结余|上年结余", "income.sources.carryover", _MONEY),
]

_THREE_PUBLIC_RULES = [
    (r"(?:财政拨款)?.?三公", "three_public.total", _MONEY),
    (r"(?:因公)?出国", "three_public.overseas", _MONEY),
    (r"(?:公务)?接待", "three_public.reception", _MONEY),
    (r"(?:公务用车)?(?:购置及运行|购置和运行|购置与运行)", "three_public.vehicle", _MONEY),
    (r"(?:公务用车)?运行", "three_public.vehicle_operation", _MONEY),
    (r"(?:公务用车)?购置", "three_public.vehicle_purchase", _MONEY),
]

_OPERATING_RULES = [(r"机关运行", "operating_costs", _MONEY)]

_PROCUREMENT_RULES = [
    (r"总额|合计|总计|共计|总预算", "procurement.total", _MONEY),
    (r"购买服务", "procurement.purchased_services", _MONEY),
    (r"集中采购", "procurement.centralized", _MONEY),
    (r"分散采购", "procurement.decentralized", _MONEY),
    (r"货物", "procurement.goods", _MONEY),
    (r"工程", "procurement.works", _MONEY),
    (r"服务", "procurement.services", _MONEY),
]

_VEHICLE_RULES = [
    (r"购置|购买|更新", "assets.vehicle_purchases", ("辆",)),
    (r"一般(?:业务|公务)?用车", "assets.vehicles.general", ("辆",)),
    (r"特殊|特种|专业技术", "assets.vehicles.special", ("辆",)),
    (r"执法执勤", "assets.vehicles.law_enforcement", ("辆",)),
    (r"机要通信", "assets.vehicles.confidential_comm", ("辆",)),
    (r"应急保障", "assets.vehicles.emergency", ("辆",)),
    (r"领导", "assets.vehicles.leader", ("辆",)),
    (r"其他用车", "assets.vehicles.other", ("辆",)),
    (r"共有|车辆共|总数|实有车辆|合计|共计|共", "assets.vehicles.total", ("辆",)),
]

_LARGE_EQUIPMENT = re.compile(
    rf"(?P<neg>未|没有|无)?(?:安排)?(?:购置|购买)(?:单位价值|单价)?(?P<threshold>{NUMBER})万元"
    rf"以上(?:的)?(?:大型)?(?:仪器)?设备(?:(?P<count>{NUMBER})(?P<unit>台|套|件))?")
_AS_OF = re.compile(r"截(?:至|止)(?:到)?(?P<date>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|底|末|年底)?)")

_MODES = [
    (re.compile(r"按(?:支出)?功能(?:科目|分类)?"), "function"),
    (re.compile(r"按(?:支出)?经济(?:科目|分类)?"), "economic"),
    (re.compile(r"按(?:支出)?项目类别|按支出类型|按支出性质|按(?:支出)?类别"), "type"),
]


def read_narrative_section(builder: RecordBuilder, doc: Document, section: Section) -> None:
    """Read one 情况说明 section of a kind this module knows."""
    stream = section.stream(doc)
    heading = section.heading
    kind = section.kind
    if kind in ("gov_fund", "state_capital"):
        _read_fund(builder, stream, heading, kind)
        return
    skip: list[tuple[int, int]] = []
    if kind == "assets":
        skip = _read_asset_specials(builder, stream, heading)
    phrases = scan(stream, skip=skip)
    if kind == "income":
        map_by_keywords(builder, phrases, _INCOME_RULES, heading)
    elif kind in ("expenditure", "appropriation"):
        _read_expenditure(builder, stream, phrases, heading, kind)
    elif kind == "three_public":
        map_by_keywords(builder, phrases, _THREE_PUBLIC_RULES, heading)
    elif kind == "operating_costs":
        map_by_keywords(builder, phrases, _OPERATING_RULES, heading)
    elif kind == "procurement":
        map_by_keywords(builder, phrases, _PROCUREMENT_RULES, heading)
    elif kind == "assets":
        map_by_keywords(builder, phrases, _VEHICLE_RULES, heading)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)


# -- expenditure and 财政拨款 ----------------------------------------------------------------------

_TOTAL = re.compile(r"总额|总预算|合计|总计|总支出|支出预算(?:数)?(?:为|是)?$")


def _read_expenditure(builder: RecordBuilder, stream: Stream, phrases: list[Phrase],
                      heading: str, kind: str) -> None:
    """Walk the figures in order. "按…划分" switches the breakdown (function / economic / by
    type); in the by-type breakdown, economic classes after 基本支出 are its parts and those
    after 项目支出 are that one's."""
    prefix = "expenditure" if kind == "expenditure" else "appropriation"
    mode: str | None = None
    sub: str | None = None
    previous_end = 0
    for phrase in phrases:
        if phrase.orphan or phrase.unit not in _MONEY:
            continue
        switched = _mode_in(stream.text[previous_end:phrase.number_start])
        previous_end = phrase.end
        if switched:
            mode, sub = switched, None
        label = re.sub(r"^.*?(?:划分|分类)[:]?", "", phrase.raw_label)
        core = re.sub(r"(?:预算)?(?:数)?(?:为|是)?$", "", label)
        if mode in (None, "type") and core.endswith(("基本支出", "项目支出")):
            mode, sub = "type", ("basic" if core.endswith("基本支出") else "project")
            builder.put_phrase(f"{prefix}.{sub}", phrase, heading)
            continue
        if mode is None and _TOTAL.search(label):
            builder.put_phrase(f"{prefix}.total", phrase, heading)
            continue
        special = _appropriation_kind(label) if prefix == "appropriation" and mode is None else None
        if special:
            builder.put_phrase(f"{prefix}.{special}", phrase, heading)
            continue
        if mode == "type" and sub == "basic" and core.endswith(("人员经费", "公用经费")):
            part = "basic_personnel" if core.endswith("人员经费") else "basic_public"
            builder.put_phrase(f"{prefix}.{part}", phrase, heading)
            continue
        if mode is None:            # a breakdown without its "按…划分" lead-in
            mode = "function" if match_function(label) else "economic" if match_economic(label) else None
        if mode in ("function", "economic"):
            _put_class_row(builder, f"{prefix}.{mode}", phrase, label, heading, mode)
        elif mode == "type" and sub:
            _put_class_row(builder, f"{prefix}.{sub}_economic", phrase, label, heading, "economic")


def _mode_in(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, mode in _MODES:
        for found in pattern.finditer(text):
            if best is None or found.start() > best[0]:
                best = (found.start(), mode)
    return best[1] if best else None


def _appropriation_kind(label: str) -> str | None:
    if "一般公共预算" in label:
        return "general_budget"
    if "政府性基金" in label:
        return "gov_fund"
    if "国有资本经营" in label:
        return "state_capital"
    return None


def _put_class_row(builder: RecordBuilder, path: str, phrase: Phrase, label: str, heading: str,
                   classification: str) -> None:
    code = match_function(label) if classification == "function" else match_economic(label)
    if code is None:
        return              # left for the unread list, with its label
    standard = (FUNCTION_CLASSES if classification == "function" else ECONOMIC_CLASSES)[code]
    existing = builder.get(path) or []
    for row in existing:
        if row["code"] == code:
            if row["amount"]["value"] != phrase.value:
                builder.unread_phrase(phrase, heading, f"duplicate of {path} row {code}")
            else:
                phrase.used = True
            return
    phrase.used = True
    name = phrase.label or label
    builder.append(path, {"code": code, "name": name, "standard_name": standard,
                          "amount": phrase_figure(phrase, heading)})


# -- funds, assets -------------------------------------------------------------------------------

def _read_fund(builder: RecordBuilder, stream: Stream, heading: str, kind: str) -> None:
    keyword = "政府性基金" if kind == "gov_fund" else "国有资本"
    phrases = scan(stream)
    for phrase in phrases:
        if not phrase.orphan and phrase.unit in _MONEY and keyword in phrase.raw_label:
            builder.put_phrase(f"{kind}.total", phrase, heading)
    for sentence in re.finditer(r"[^。;]+", stream.text):
        body = sentence.group(0)
        if re.search(r"没有|无|未安排|不涉及", body) and re.search(r"支出|收入|安排|预算", body):
            lines = stream.lines_of(*sentence.span())
            text = stream.excerpt(*sentence.span())
            # The value is the normalised sentence; the source keeps the print.
            builder.put(f"{kind}.none", figure(sentence.group(0), src=source(
                stream.document.name, heading, lines[0], text)), section=heading, lines=lines)
            break
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)


def _read_asset_specials(builder: RecordBuilder, stream: Stream, heading: str) -> list[tuple[int, int]]:
    """Large equipment ("未安排购置单位价值 200 万元以上大型设备") and the vehicle count date; the
    200 万元 is a threshold, not an amount, so its span is handed back to be skipped."""
    spans = []
    doc_name = stream.document.name
    for found in _LARGE_EQUIPMENT.finditer(stream.text):
        lines = stream.lines_of(*found.span())
        text = stream.excerpt(*found.span())
        spans.append(found.span())
        src = source(doc_name, heading, lines[0], text)
        if found.group("count"):
            value, printed = number_value(found.group("count"))
            item = figure(value, found.group("unit"), printed=printed, label="大型设备", src=src)
        elif found.group("neg"):
            item = figure("0", "台", printed=found.group("neg") + "安排", label="大型设备", src=src)
        else:
            builder.add_unread(heading, lines, f"large equipment without a count: {text}")
            continue
        builder.put("assets.large_equipment", item, section=heading, lines=lines)
    for found in _AS_OF.finditer(stream.text):
        lines = stream.lines_of(*found.span())
        builder.put("assets.vehicles.as_of", figure(found.group("date"), src=source(
            doc_name, heading, lines[0], stream.excerpt(*found.span()))), section=heading, lines=lines)
        break
    return spans
