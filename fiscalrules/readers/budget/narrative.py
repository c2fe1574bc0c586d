"""The 情况说明 sections: income, expenditure, 财政拨款, funds, 机关运行经费, 政府采购, assets, "三公"
(the expenditure and 财政拨款 sections' own reading in :mod:`.spending`).

Each section reader scans its section's stream into phrases (:mod:`.amounts`) and maps each
phrase's label to a record path by keywords, in template order. Whatever a reader cannot map is
listed as unread with its label, so a template variant shows up in ``_meta.unread`` instead of
disappearing.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import NUMBER, SAID_ZERO, SHARE_LABEL, Phrase, attach_named_changes, number_value, scan, share_label
from ..common.coverage import nonzero
from ..common.labels import Field, NameMap
from ..common.record import RecordBuilder, figure, phrase_figure, source, span_source
from ..common.three_public import QUOTED as QUOTED_THREE
from .both_totals import after_both_totals, each_change
from .sections import Section
from .spending import MONEY as _MONEY
from .spending import in_this_years_list, put_class_row, read_expenditure, read_spending_section
from .counts import read_no_vehicle_purchases, read_operating_scope, read_three_public_counts
from .performance_targets import read_performance_targets

__all__ = ["PROCUREMENT_TOTAL", "in_count_breakdown", "read_narrative_section", "read_narrative_stream", "map_by_names", "path_for", "put_class_row",
           "VEHICLE_KINDS", "VEHICLES_HELD", "INCOME_FIELDS"]


def map_by_names(builder: RecordBuilder, phrases: list[Phrase], names: NameMap, heading: str,
                 redirect=None) -> None:
    """Map each phrase whose label ends with a field's template name to that field's path.

    *redirect*, when given, may move a matched path elsewhere (e.g. vehicle kinds listed after
    a purchase total are the purchase's kinds); it gets the phrase and the matched path.
    """
    attach_named_changes(phrases, names, lambda phrase: path_for(phrase, names))
    for phrase in phrases:
        if phrase.orphan or phrase.used:
            continue
        path = path_for(phrase, names)
        if path and redirect is not None:
            path = redirect(phrase, path)
        if not (path and builder.put_phrase(path, phrase, heading)):
            continue
        if phrase.against and ("执行" in phrase.against or "决算" in phrase.against):
            # Last year's execution (or final accounts) is not last year's budget: rules comparing
            # two changes compare them only on the same footing.
            builder.append("doc.execution_comparisons", {"path": path, "comparison": phrase.against})
        if phrase.prior is not None:
            # a prior printed with the change: the rules check value − prior = change (CHG-009)
            value, printed, start, end = phrase.prior
            stream = phrase.stream
            prior = figure(value, phrase.unit, printed=printed, src=span_source(stream, heading, start, end, phrase.text))
            builder.append("doc.stated_priors", {"path": path, "name": phrase.label or path,
                                                 "amount": phrase_figure(phrase, heading),
                                                 "prior": prior})


def path_for(phrase: Phrase, names: NameMap) -> str | None:
    """The path of the field whose name ends the phrase's label, or None."""
    found = names.match(phrase.raw_label, phrase.unit)
    if found is None:
        return None
    field, match = found
    # A label that still holds the tail of the previous sentence starts at its name: the
    # reason clause of the figure before ("主要原因是:无出国安排 公务接待 2.57 万元").
    start = match.start("name")
    before = phrase.raw_label[:start]
    preceding = phrase.stream.text[max(0, phrase.start - 30):phrase.start]
    if ("原因" in before or "。" in before or len(before) > 30 or names.names_other(before, field)
            or re.search(r"原因(?:是|为)?:?$", preceding)):
        phrase.trim_label_to(phrase.start + start)
    return field.path


INCOME_FIELDS = [
    # (the central template's "收支总预算", "收入、支出预算总计": the budget's grand total, which is its income)
    # ("部门预算收入 X 万元": the words in the other order, as the expenditure's "预算支出" -- never a
    # fund's 预算收入: "一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入")
    Field("income.total", [r"收入预算", r"(?<!公共)(?<!基金)(?<!经营)(?<!拨款)预算收入", r"收入总额", r"收入总预算",
                           r"收入合计", r"收入总计", r"总收入",
                           r"收[、和及与]?支总预算", r"收[、和及与]?支预算总[计额]", r"收入[、和及与]?支出(?:预算)?总[计额]", r"收入[、和及与]?支出总预算"],
          _MONEY),
    Field("income.appropriation_detail.general_budget",
          [r"一般公共预算(?:财政)?(?:拨款)?(?:收入|资金)"], _MONEY),
    Field("income.appropriation_detail.gov_fund",
          [r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入|资金)"], _MONEY),
    Field("income.appropriation_detail.state_capital",
          [r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:收入|资金)"], _MONEY),
    # ("用事业基金弥补收支差额": the template's name for it before 2019, still printed)
    Field("income.sources.non_appropriation_balance", [r"(?:使用)?非财政拨款结余(?:资金)?", r"用事业基金弥补收支差额"], _MONEY),
    # ("财政拨款预算收入": the words in the other order)
    Field("income.sources.appropriation", [r"财政拨款(?:预算)?(?:收入)?"], _MONEY),
    # ("非同级财政拨款收入": another government's appropriation, a source of its own -- the longer name
    # wins over 财政拨款收入, whose duplicate it was read as)
    Field("income.sources.non_same_level", [r"非同级财政拨款(?:预算)?(?:收入)?"], _MONEY),
    # ("财政专户管理资金收入": the template's later name for the same source)
    Field("income.sources.education_fees", [r"教育收费(?:资金)?(?:收入)?", r"(?:纳入)?财政专户(?:管理)?(?:的)?资金(?:收入)?",
                                            r"(?:纳入)?(?:财政)?专户管理(?:的)?(?:资金)?收入"],
          _MONEY),
    Field("income.sources.operating", [r"(?:事业)?(?:单位)?经营收入"], _MONEY),
    Field("income.sources.business", [r"事业收入"], _MONEY),
    Field("income.sources.affiliated", [r"附属单位上缴(?:收入)?", r"附属单位缴款(?:收入)?"], _MONEY),
    Field("income.sources.superior_subsidy", [r"上级补助(?:收入|资金)?"], _MONEY),
    # ("其他资金收入", "其他资金": as the tables' headers name it too, listings.py)
    Field("income.sources.other", [r"其他(?:资金)?收入", r"其他资金"], _MONEY),
    # ("上年结余结转", "结余及结转": the two words the other way round, as some regions print them; "上年结转
    # 收入", "上年结转结余收入": named as an income)
    Field("income.sources.carryover", [name + r"(?:资金)?(?:收入)?" for name in (
        r"上年结转(?:\(结余\)|和结余|结余)?", r"结转和结余", r"结转结余", r"上年结余", r"结余(?:和|及)?结转")], _MONEY),
]
# In the 收入 section, a kind's name alone too, as Guangdong's and others' income lists print it
# ("其中：一般公共预算 1,150.00 万元，占 89.40%；政府性基金 20.00 万元…") -- not where a sentence may be
# the expenditure's (the itemised 预算编制说明 reads both with INCOME_FIELDS).
_INCOME = NameMap(INCOME_FIELDS + [
    # ("其中：本年收入 1,246.40 万元，上年结转 40.00 万元。本年收入中，…": the central template's split)
    Field("income.this_year", [r"本年收入(?:预算)?(?:合计)?"], _MONEY),
    Field("income.appropriation_detail.general_budget", [r"一般公共预算(?:财政)?(?:拨款)?"], _MONEY),
    Field("income.appropriation_detail.gov_fund", [r"政府性基金(?:预算)?(?:财政)?(?:拨款)?"], _MONEY),
    Field("income.appropriation_detail.state_capital", [r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?"], _MONEY),
    # (the 收支预算总体情况 states both totals: "部门预算收入 X 万元，…；部门预算支出 X 万元，…")
    # ("…收入预算 X 万元，支出预算 X 万元": the expenditure's by itself, never a part's "基本支出预算")
    # ("收入总计 X 万元，支出总计 X 万元": the two totals side by side, 河南 -- the name alone, never a
    # fund's or a class's "…支出总计")
    Field("expenditure.total", [r"(?<!公共)(?<!基金)(?<!经营)(?<!拨款)预算支出", r"支出预算总[计额]", r"支出总预算",
                                r"(?:(?<![\u4e00-\u9fff])|(?<=部门)|(?<=单位)|(?<=年))支出(?:预算|总计)"], _MONEY),
])

_SPENT = r"(?:预算)?(?:支出)?"   # (a 三公 item or a procurement part named as spent: "…预算支出", "拟采购货物支出")

_THREE_PUBLIC = NameMap([
    # ("一般公共预算“三公”经费支出预算 X 万元": the central template's words for the total)
    # (三公 quoted as the template prints it, or otherwise: common.three_public.QUOTED)
    # ("“三公”经费预算支出 X 万元": the words in the other order, 河南)
    Field("three_public.total", [r"(?:财政拨款)?" + QUOTED_THREE + r"经费(?:财政拨款)?(?:支出)?(?:预算)?(?:数)?",
                                 r"(?:财政拨款)?" + QUOTED_THREE + r"经费(?:财政拨款)?预算支出"], _MONEY),
    # (each item's name may say it is spent: "公务接待费预算支出 9.60 万元", 江苏)
    Field("three_public.overseas", [r"因公出国(?:\(境\))?(?:费用?|经费)?" + _SPENT], _MONEY),
    Field("three_public.reception", [r"公务接待(?:费用?)?" + _SPENT], _MONEY),
    Field("three_public.vehicle", [r"公务用车购置(?:及|和|与)运行(?:维护|维修)?(?:费用?)?" + _SPENT], _MONEY),
    Field("three_public.vehicle_operation", [r"公务用车运行(?:维护|维修)?(?:费用?)?" + _SPENT], _MONEY),
    Field("three_public.vehicle_purchase", [r"公务用车购置(?:费用?)?" + _SPENT], _MONEY),
])

# ("机关运行经费财政拨款预算": the 机关运行经费 are 财政拨款 by definition, as the 三公 are)
# ("机关运行经费（日常公用经费）": the name with its gloss, as many regions print it -- or with the
# definition as the gloss: "机关运行经费（行政单位和参照公务员法管理的事业单位使用一般公共预算安排的基本支出中的公用经费）")
# ("公用经费（机关运行经费）": the 公用经费 named with its gloss, 福建)
# ("一般公共预算机关运行经费预算支出 312.96 万元": named as spent, 江苏)
_OPERATING = NameMap([Field("operating_costs", [r"机关运行(?:经)?费(?:用)?(?:\([^()\d]{0,60}公用经费\))?(?:财政拨款)?" + _SPENT,
                                                r"公用经费\(机关运行(?:经)?费(?:用)?\)"], _MONEY)])
# A 事业单位 has no 机关运行经费: its paragraph prints, in their place, the general budget's 公用经费 for
# the year ("本单位为事业单位，比照机关运行经费口径，2026年一般公共预算安排的公用经费 62.13 万元，比上年减少
# …"; "日常公用经费 X 万元") -- read as the year's general-budget basic spending's 公用经费, which the
# basic spending table's 公用经费 and the figure's own change are checked against (GBY-016, GBY-011).
# Only where the paragraph states no 机关运行经费: beside one, a 公用经费 may be a part of it.
_PUBLIC_COSTS_INSTEAD = NameMap([Field("general_budget_year.basic_public",
                                       [r"(?:一般公共预算(?:财政)?(?:拨款)?(?:安排)?的?)?(?:日常)?公用经费" + _SPENT],
                                       _MONEY)])

# The procurement total's names ("政府采购资金 X 万元" elsewhere); the 决算's add their own words to them
PROCUREMENT_TOTAL = (r"政府采购", r"政府采购(?:预算)?资金")
_PROCUREMENT = NameMap([
    Field("procurement.total", [*PROCUREMENT_TOTAL, r"政府采购支出"], _MONEY),
    Field("procurement.purchased_services", [r"政府购买服务" + _SPENT], _MONEY),
    Field("procurement.centralized", [r"(?:政府)?集中采购"], _MONEY),
    Field("procurement.decentralized", [r"(?:政府)?分散采购"], _MONEY),
    Field("procurement.goods", [r"(?:政府采购)?货物(?:类)?(?:采购)?" + _SPENT], _MONEY),
    Field("procurement.works", [r"(?:政府采购)?工程(?:类)?(?:采购)?" + _SPENT], _MONEY),
    Field("procurement.services", [r"(?:政府采购)?服务(?:类)?(?:采购)?" + _SPENT], _MONEY),
    Field("procurement.sme_reserved", [r"面向中小企业预留(?:的)?政府采购项目"], _MONEY),
    # ("预留给小微企业的预算金额 167.40 万元", "预留给小微企业 71.80 万元": the same part in short)
    Field("procurement.sme_small_micro", [r"预留给(?:小型和微型|小微)企业(?:的)?(?:政府采购项目)?"], _MONEY),
    Field("procurement.sme_contracts", [r"(?:拟)?授予中小企业(?:的)?(?:采购)?合同(?:金额)?"], _MONEY),
    Field("procurement.small_contracts", [r"(?:拟)?授予小微企业(?:的)?(?:采购)?合同(?:金额)?"], _MONEY),
])
# A figure's share of its total, printed right after it: a contract amount's of the procurement
# total ("，占部门政府采购预算总额的 66.67%"), an income source's of the income total ("财政拨款收入
# 1,150.00 万元，占 89.40%"), the basic and project spending's of the expenditure total.
_SHARE_OF = {"procurement.sme_contracts": "procurement.sme_contracts_share",
             "procurement.small_contracts": "procurement.small_contracts_share",
             "procurement.sme_reserved": "procurement.sme_reserved_share",
             "procurement.sme_small_micro": "procurement.sme_small_micro_share",
             "expenditure.basic": "expenditure.shares.basic", "expenditure.project": "expenditure.shares.project",
             **{f"income.sources.{key}": f"income.shares.{key}" for key in (
                 "appropriation", "education_fees", "business", "operating", "affiliated", "superior_subsidy",
                 "other", "non_appropriation_balance", "carryover")},
             # (the appropriation's kinds listed as sources, 广东: "政府性基金预算拨款收入 A 万元，占 65.07%")
             **{f"income.appropriation_detail.{kind}": f"income.shares.{kind}"
                for kind in ("general_budget", "gov_fund", "state_capital")}}

# Vehicle kinds, held (assets.vehicles.<kind>) or, after a purchase total, planned purchases
# (assets.vehicle_purchase_kinds.<kind>).
# (a kind glossed in brackets before its count: "特种专业技术用车（校车）1 辆", 云南)
_GLOSS = r"(?:\([^()]{1,10}\))?"
VEHICLE_KINDS = [(kind, [name + _GLOSS for name in names]) for kind, names in [
    ("general", [r"一般(?:业务|公务)?用车"]),
    ("special", [r"特殊(?:业务|专业技术)?用车", r"特种(?:专业技术)?用车", r"专业技术用车"]),
    ("law_enforcement", [r"执法执勤用车"]),
    ("confidential_comm", [r"机要通信用车"]),
    ("emergency", [r"应急保障用车"]),
    ("leader", [r"领导(?:干部)?用车"]),
    ("leader_ministerial", [r"部级领导(?:干部)?用车", r"副部(?:\(省\))?级及以上领导(?:干部)?用车"]),
    ("leader_principal", [r"主要领导(?:干部)?用车", r"主要负责人用车"]),
    ("retired_cadre", [r"离退休干部(?:服务)?用车"]),
    ("other", [r"其他(?:公务)?用车"]),
]]
# The names of the vehicles held in all ("共有公务用车 3 辆": that total only after its verb --
# "一般公务用车", "其他公务用车" are kinds); the 决算's narrative names them so too
VEHICLES_HELD = [r"(?:共有|实有|现有)?车辆(?:总数)?", r"车辆共", r"(?:共有|实有|现有)公务用车(?:总数)?"]
# (vehicles are counted in 辆, in some regions in 台: "共有车辆 3 台")
_VEHICLE_UNITS = ("辆", "台")
_VEHICLES = NameMap([
    Field("assets.vehicle_purchases", [r"(?:购置|购买|更新)(?:车辆|公务用车)"], _VEHICLE_UNITS),
    *(Field(f"assets.vehicles.{kind}", names, _VEHICLE_UNITS) for kind, names in VEHICLE_KINDS),
    Field("assets.vehicles.total", VEHICLES_HELD, _VEHICLE_UNITS),
])

# "未安排购置单位价值 200 万元以上大型设备" (planned purchases), "单价 100 万元（含）以上设备（不含车辆）
# 0 台（套）" (held; with 购置 in front, planned).
_LARGE_EQUIPMENT = re.compile(
    rf"(?P<neg>未|没有|无)?(?P<buy>(?:安排)?(?:购置|购买))?(?P<value>单位价值|单价)?"
    rf"(?P<threshold>{NUMBER})万元(?:\(含\))?以上(?:的)?(?:大型)?(?:仪器)?(?P<kind>通用|专用)?设备(?:\(不含车辆\))?"
    rf"(?:(?P<count>{NUMBER})(?P<unit>台|套|件)(?:\((?:台|套|件)\))?)?")
_AS_OF = re.compile(r"截(?:至|止)(?:到)?(?P<date>\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|底|末|年底)?)")


def read_narrative_section(builder: RecordBuilder, doc: Document, section: Section) -> None:
    """Read one 情况说明 section of a kind this module knows."""
    read_narrative_stream(builder, section.stream(doc), section.heading, section.kind)


def read_narrative_stream(builder: RecordBuilder, stream: Stream, heading: str, kind: str) -> None:
    """Read the running text of one section of *kind* (income, expenditure, appropriation,
    gov_fund, state_capital, operating_costs, procurement, assets, three_public,
    performance_targets)."""
    if kind in ("gov_fund", "state_capital"):
        _read_fund(builder, stream, heading, kind)
        return
    skip: list[tuple[int, int]] = []
    if kind == "assets":
        skip = _read_asset_specials(builder, stream, heading)
    phrases = scan(stream, skip=skip)
    each_change(phrases)
    if kind == "income":
        redirect = _appropriation_as_source(phrases)
        map_by_names(builder, phrases, _INCOME, heading, redirect=redirect)
        if redirect is not None and isinstance(builder.get("income.sources.appropriation"), dict):
            # the kind's detail too (INC-005 adds the kinds up to the source): the same figure,
            # which coverage counts once
            builder.put(redirect.detail, builder.get("income.sources.appropriation"))
        # (a 收支预算总体情况 going on from the spending total to its parts -- "支出预算 X 万元…。其中：
        # 基本支出 A 万元…；项目支出 B 万元…", as Beijing's and others' print it: read as the 支出 section)
        spending = _after_spending_total(phrases) or after_both_totals(builder, stream, phrases)
        if spending:
            read_expenditure(builder, stream, spending, heading, "expenditure")
        # (two or more kinds other than 0 and no 财政拨款收入: the kinds stay as printed, at
        # income.appropriation_detail.*, and INC-007/INC-008 add them to the sources -- a sum put
        # at income.sources.appropriation was a figure no line prints, which findings quoted and
        # the localiser told the auditor to correct; review 26)
    elif kind in ("expenditure", "appropriation", "general_budget"):
        phrases = read_spending_section(builder, stream, phrases, heading, kind)
    elif kind == "three_public":
        _read_items_named_before_a_colon(builder, stream, phrases, _THREE_PUBLIC, heading)
        map_by_names(builder, phrases, _THREE_PUBLIC, heading)
        _read_reasons(builder, stream, phrases, "three_public", heading)
        read_three_public_counts(builder, stream, phrases, heading)
        read_no_vehicle_purchases(builder, stream, heading, "three_public.counts.vehicle_purchases")
    elif kind == "operating_costs":
        map_by_names(builder, phrases, _OPERATING, heading)
        if not any(phrase.path == "operating_costs" for phrase in phrases):
            map_by_names(builder, phrases, _PUBLIC_COSTS_INSTEAD, heading)
        read_operating_scope(builder, stream, phrases, heading)
    elif kind == "procurement":
        map_by_names(builder, phrases, _PROCUREMENT, heading)
    elif kind == "assets":
        map_by_names(builder, phrases, _VEHICLES, heading, redirect=_purchase_kinds(stream, phrases))
        read_no_vehicle_purchases(builder, stream, heading, "assets.vehicle_purchases")
    elif kind == "performance_targets":
        read_performance_targets(builder, stream, phrases, heading)
    _read_shares(builder, phrases, heading)
    groups = _income_groups(phrases) if kind == "income" else {}
    for phrase in phrases:
        builder.unread_phrase(phrase, heading, group=groups.get(id(phrase)))


# An amount of the income section named as an income ("单位资金收入 80.00 万元", "专项资金", "上级拨款")
# or a carryover, which no field of the income list takes: an item of the list the reader cannot
# name, so the sources it read are not all that was printed (INC-001 is not evaluable, where it
# failed by that amount).
_INCOME_ITEM = re.compile(r"(?:收入|结转|结余|资金|拨款|补助)(?:资金)?(?:预算)?$")
# (what ends a breakdown of a source: a closing bracket, the next item of the list; what opens one)
_BREAKDOWN_END = re.compile(r"[)）；;。]")
_BREAKDOWN_START = re.compile(r"其中|含|[(（]")


def _income_groups(phrases: list[Phrase]) -> dict:
    """The group of each income item not read (by ``id`` of its phrase): in the breakdown of a
    source read before it (no closing bracket, 「；」 or 「。」 since), a kind of the appropriation
    ("财政拨款收入 1,150.00 万元，其中：一般公共预算拨款收入 1,130.00 万元，上级转移支付收入 20.00 万元"
    -- INC-005 adds the kinds up) or a part of another source ("事业收入 80.00 万元（其中：培训收入
    20.00 万元）": no group, the sources' sum is whole); else an item of the sources' list."""
    groups: dict = {}
    last_read = None
    for phrase in phrases:
        if phrase.used and phrase.path:
            last_read = phrase
            continue
        if phrase.used or phrase.orphan or phrase.unit not in _MONEY or not _INCOME_ITEM.search(phrase.label or ""):
            continue
        group = "income.sources"
        if last_read is not None and last_read.path.startswith(("income.sources.", "income.appropriation_detail.")):
            between = phrase.stream.text[last_read.number_end:phrase.start] + (phrase.raw_label or "")
            if not _BREAKDOWN_END.search(between):
                if last_read.path.startswith("income.appropriation_detail."):
                    group = "income.appropriation_detail"   # (the kinds' list goes on)
                elif _BREAKDOWN_START.search(between):
                    group = ("income.appropriation_detail" if last_read.path == "income.sources.appropriation"
                             else None)
        groups[id(phrase)] = group
    return groups


# "2.公务接待费：2025 年预算数 3.68 万元，比 2024 年预算减少 0.55 万元…" (四川): the item named before a
# colon, its figure labelled only as the year's budget
_BARE_BUDGET = re.compile(r"^(?:\d{4}年度?)?(?:预算数|预算安排|预算|安排)(?:为|是)?$")
_NAME_BEFORE_COLON = re.compile(r"(?:^|[。；;，,:：\s])(?:\d{1,2}[.、]|\([\d一二三四五六七八九十]{1,2}\))?\s*"
                                r"(?P<name>[^。；;，,:：\d]{2,24}?)\s*[:：]\s*$")


def _read_items_named_before_a_colon(builder: RecordBuilder, stream: Stream, phrases: list[Phrase],
                                     names: NameMap, heading: str) -> None:
    """Each figure whose label is only the year's budget, its item named before a colon: at that
    item's path (a restatement of a figure read already gives it its change: RecordBuilder.put)."""
    for phrase in phrases:
        if phrase.orphan or phrase.used or not _BARE_BUDGET.match(re.sub(r"\s+", "", phrase.raw_label)):
            continue
        found = _NAME_BEFORE_COLON.search(stream.text[max(0, phrase.start - 40):phrase.start])
        matched = names.match(found.group("name").replace(" ", ""), phrase.unit) if found else None
        if matched is not None:
            builder.put_phrase(matched[0].path, phrase, heading)


def _after_spending_total(phrases: list[Phrase]) -> list[Phrase]:
    """The figures after the spending total an income section read, none of them taken: the
    spending's parts (empty where the section names no spending total)."""
    at = next((i for i, phrase in enumerate(phrases) if phrase.used and phrase.path == "expenditure.total"), None)
    return [] if at is None else [phrase for phrase in phrases[at + 1:] if not phrase.used]


def _read_shares(builder: RecordBuilder, phrases: list[Phrase], heading: str) -> None:
    """A percentage printed as a share ("占……的 66.67%", "占比 50%") right after a figure read into a
    field that has a share (``_SHARE_OF``) is that figure's share -- of the section's total, which
    the share fields are: a share of this year's part alone ("占本年收入的 92.26%", without the
    carry-over) is another figure, and stays listed."""
    for figure_phrase, share in zip(phrases, phrases[1:]):
        if share.unit != "%" or share.used or share.orphan or not SHARE_LABEL.match(share.label) \
                or "本年" in share.label or in_this_years_list(figure_phrase):
            continue
        path = _SHARE_OF.get(figure_phrase.path or "")
        if path == "procurement.small_contracts_share" and "中小企业" in share.label:
            path = "procurement.small_contracts_share_of_sme"   # "占拟授予中小企业合同金额的 T%"
        if path == "procurement.sme_small_micro_share" and ("中小企业" in share.label or "预留" in share.label):
            path = "procurement.sme_small_micro_share_of_reserved"   # "占预留份额的 T%", "占面向中小企业预留金额的"
        if path is not None:
            builder.put_phrase(path, share, heading, label=share_label(figure_phrase.label, share.label))


def _appropriation_as_source(phrases: list[Phrase]):
    """"一般公共预算拨款收入 A 万元；事业收入 B 万元；…" (Guangdong's and others' wording): an
    appropriation kind listed among the sources, no 财政拨款收入 printed, is the 财政拨款 source
    where it is the only kind printed with an amount other than 0 (the others printed 0 or not at
    all): read as a detail, the sources would not add up to the total of a correct document. With
    two kinds other than 0 and no 财政拨款收入, each stays its kind's detail."""
    paths = [(phrase, path_for(phrase, _INCOME)) for phrase in phrases if not (phrase.orphan or phrase.used)]
    if any(path == "income.sources.appropriation" for _, path in paths):
        return None
    kinds = [phrase for phrase, path in paths if path and path.startswith("income.appropriation_detail.")]
    printed = [phrase for phrase in kinds if nonzero(phrase.value)]
    if len(printed) != 1:
        return None
    chosen = printed[0]

    def redirect(phrase: Phrase, path: str) -> str:
        return "income.sources.appropriation" if phrase is chosen else path
    redirect.detail = dict(paths)[chosen]       # type: ignore[attr-defined]
    return redirect


def _purchase_kinds(stream: Stream, phrases: list[Phrase]):
    """Vehicle kinds listed in the sentence of a purchase total ("预算安排购置车辆 1 辆，其中：
    其他用车 1 辆") are the purchase's kinds, not the vehicles held."""
    purchase_sentences = set()
    for phrase in phrases:
        if not phrase.orphan and path_for(phrase, _VEHICLES) == "assets.vehicle_purchases":
            purchase_sentences.add(_sentence_of(stream, phrase.number_start))

    def redirect(phrase: Phrase, path: str) -> str | None:
        if path.startswith("assets.vehicles.") and path != "assets.vehicles.total" and \
                in_count_breakdown(stream.text, phrase.start):
            # (the breakdown of a kind counted just before the bracket, "其他用车 5 辆（校车 3 辆、
            # 一般公务用车 2 辆）": no kind of the vehicles held, its count left unread)
            return None
        if path.startswith("assets.vehicles.") and path != "assets.vehicles.total" and \
                _sentence_of(stream, phrase.number_start) in purchase_sentences:
            return "assets.vehicle_purchase_kinds." + path.rsplit(".", 1)[1]
        return path
    return redirect


_COUNT_THEN_BRACKET = re.compile(r"\d\s*(?:辆|台)\s*\($")


def in_count_breakdown(text: str, index: int) -> bool:
    """Whether stream position *index* stands inside a bracket opened right after a count ("5 辆（…"):
    an item of that count's own breakdown, no item of the list the count is one of."""
    opened = text.rfind("(", 0, index)
    return opened >= 0 and ")" not in text[opened:index] and bool(_COUNT_THEN_BRACKET.search(text, 0, opened + 1))


def _sentence_of(stream: Stream, index: int) -> tuple[int, int]:
    """The span of the sentence (between 。 or ; marks) around stream position *index*."""
    text = stream.text
    start = max(text.rfind("。", 0, index), text.rfind(";", 0, index)) + 1
    ends = [e for e in (text.find("。", index), text.find(";", index)) if e >= 0]
    return start, min(ends) if ends else len(text)


_REASON = re.compile(r"主要原因(?:是|为)?[:]?(?P<reason>[^。;]+)")


def _read_reasons(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], group: str,
                  heading: str) -> None:
    """"…0 万元，与上年持平，主要原因是…": the reason stated right after a figure (before the
    next figure) is that figure's, written as text at ``<group>.reasons.<key>``."""
    figures = [p for p in phrases if not p.orphan and p.unit in _MONEY]
    for index, phrase in enumerate(figures):
        path = path_for(phrase, _THREE_PUBLIC)
        if not path or not path.startswith(group + "."):
            continue
        # (the next figure after it: one inside a bracketed breakdown stands before its end)
        end = next((later.start for later in figures[index + 1:] if later.start >= phrase.end), len(stream.text))
        found = _REASON.search(stream.text, phrase.end, end)
        if not found or found.group("reason").strip(",:") == "":
            continue
        lines = stream.lines_of(*found.span())
        builder.put(f"{group}.reasons.{path.rsplit('.', 1)[1]}", figure(
            found.group("reason").strip(","), src=source(stream.document.name, heading, lines[0],
                                                        stream.excerpt(*found.span()))),
            section=heading, lines=lines)


# -- funds, assets -------------------------------------------------------------------------------

def _read_fund(builder: RecordBuilder, stream: Stream, heading: str, kind: str) -> None:
    keyword = "政府性基金" if kind == "gov_fund" else "国有资本"
    # The spending by classification item, numbered after the total ("1.城乡社区支出（类）国有土地使用权
    # 出让收入安排的支出（款）城市建设支出（项）支出 48.00 万元，比 2025 年预算增加 6.00 万元，增长 14.29%",
    # 安徽): read as the general budget's items are (``<kind>.items``, coded from their names once the
    # tables are read), the total's figures before them.
    from .itemised import classified_items, read_item   # (itemised reads this module's income fields)
    items = classified_items(stream)
    phrases = scan(stream, 0, items[0][1] if items else None)
    for phrase in phrases:
        if not phrase.orphan and phrase.unit in _MONEY and keyword in phrase.raw_label:
            builder.put_phrase(f"{kind}.total", phrase, heading)
    for sentence in re.finditer(r"[^。;]+", stream.text):
        body = sentence.group(0)
        # ("没有使用…预算拨款安排的支出", or its income and spending said to be 0: "…支出为 0", "…均为零",
        # "…为 0 万元" -- that amount read as the fund's total above; not "为 0.50 万元", nor a rate "为 0%")
        if (re.search(r"没有|无|未安排|不涉及", body) and re.search(r"支出|收入|安排|预算", body)) \
                or (re.search(r"支出|收入", body) and re.search(SAID_ZERO, body)):
            lines = stream.lines_of(*sentence.span())
            text = stream.excerpt(*sentence.span())
            # The value is the normalised sentence; the source keeps the print.
            builder.put(f"{kind}.none", figure(sentence.group(0), src=source(
                stream.document.name, heading, lines[0], text)), section=heading, lines=lines)
            break
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)
    for number, start, end in items:
        read_item(builder, stream, number, start, end, heading, f"{kind}.items")


def _read_asset_specials(builder: RecordBuilder, stream: Stream, heading: str) -> list[tuple[int, int]]:
    """Large equipment ("未安排购置单位价值 200 万元以上大型设备"; by kind, "单位价值50万元以上通用设备 2 台（套）",
    "…100万元以上专用设备 1 台（套）") and the vehicle count date; the
    200 万元 is a threshold, not an amount to check (read into ``<path>_threshold``), so its span
    is handed back to be skipped."""
    spans = []
    doc_name = stream.document.name
    for found in _LARGE_EQUIPMENT.finditer(stream.text):
        if not (found.group("buy") or found.group("value")):
            continue                # "200 万元以上设备" with neither 购置 nor 单价: not this phrase
        kind = {"通用": "general", "专用": "special"}.get(found.group("kind"), "large")
        path = f"assets.{kind}_equipment" + ("" if found.group("buy") else "_held")
        lines = stream.lines_of(*found.span())
        text = stream.excerpt(*found.span())
        spans.append(found.span())
        src = source(doc_name, heading, lines[0], text)
        label = "大型设备" if "大型" in found.group(0) else f"{found.group('threshold')}万元以上{found.group('kind') or ''}设备"
        if found.group("count"):
            value, printed = number_value(found.group("count"))
            item = figure(value, found.group("unit"), printed=printed, label=label, src=src)
        elif found.group("neg"):
            item = figure("0", "台", printed=found.group("neg") + "安排", label=label, src=src)
        else:
            builder.add_unread(heading, lines, f"large equipment without a count: {text}")
            continue
        builder.put(path, item, section=heading, lines=lines)
        # The threshold is printed money: read as what it is (the standard the count is by), so
        # that the line's amounts are all accounted for.
        value, printed = number_value(found.group("threshold"))
        builder.put(path + "_threshold", figure(value, "万元", printed=printed, label=label + "的价值标准",
                                                src=src), section=heading, lines=lines)
    for found in _AS_OF.finditer(stream.text):
        lines = stream.lines_of(*found.span())
        builder.put("assets.vehicles.as_of", figure(found.group("date"), src=source(
            doc_name, heading, lines[0], stream.excerpt(*found.span()))), section=heading, lines=lines)
        break
    return spans
