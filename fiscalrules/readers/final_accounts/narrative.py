"""The 决算 情况说明 (第三部分): phrase patterns of the national template, over the running text.

The narrative's wording is the template's ("本年收入合计 X 万元，其中：财政拨款收入 A 万元，占 S%",
"年初预算为 B 万元，支出决算为 F 万元，完成年初预算的 X%。决算数小于预算数的主要原因：…"), so each
item is one pattern over the text of its section, its figures placed by the character they start
at (page, line, box).  What a pattern does not take stays visible: coverage counts every amount.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ...data.classification import classification
from ...document.model import Document
from ..common.amounts import CHANGE_WORD_TAIL, COMPLETION_WORDS, MONEY_UNIT, SAID_ZERO, SHARE_WORDS, share_label
from ..common.record import RecordBuilder, figure
from ..common.three_public import QUOTED as QUOTED_THREE
from ..common.three_public import OVERSEAS_COUNTS, first_of_the_year, no_vehicle_purchase
from .changes import (ITEM_OR_HEADING, THREE_PUBLIC_ITEMS, UP_DOWN, give_change, item_change, later_change, part_change,
                      read_three_public_changes)
from .clauses import ITEM_NUMBER, add_item, comparison, item_code, jointly_named
from .linking import Sections, basis_of
from .phrases import listed_part, of_the_total, read_by_phrases, read_three_public_total
from .performance import read_performance
from .self_evaluation import find_self_evaluation_tables, read_self_evaluation_table
from .three_public_items import before_details, read_item_budget, read_items_against_budget, read_vehicle_parts
from .three_public_named import read_named_items
from .running_text import FIGURE as _N
from .running_text import RunningText, figure_at
from .unread_phrases import list_unread
from .year_changes import read_year_changes
from .vocabulary import EXPENDITURE_TOTAL, EXPENDITURE_YEAR, INCOME_TOTAL, INCOME_YEAR

__all__ = ["read_narrative"]

# A completion rate: "完成年初预算的 P%" as the template prints it, or "占年初预算的 P%", "预算完成率为 P%"
# (a bare rate is of the one budget the sentence states: _rate_basis), the final figure named again
# before it or not ("决算数占年初预算的 P%"): common.amounts.COMPLETION_WORDS, with the budget it names
_RATE_NAMED = r"(?:预算)?(?:完成|执行)率(?:为|是|达到?)?"  # or named: "预算完成率为", "预算执行率为"
# Between a figure's name and its amount: nothing in the template, "决算" / "决算数" / "为" elsewhere
# ("基本支出决算 X 万元", "一般公共预算财政拨款支出决算数为 X 万元", "公务用车运行维护支出决算为 X 万元")
_FINAL_IS = r"(?:决算数?)?(?:为|是)?"
# The budget as it stood at the year's end: 全年预算 in the template, "调整预算" / "调整后预算" elsewhere
_ADJUSTED = r"(?:全年|调整后?)预算"
# (a bare "预算" is the one budget the sentence states, as the template's "完成预算的": _rate_basis; 完成
# without 的: "完成预算 87.70%", 四川)
_COMPLETES = (r"(?:(?:(?:支出)?决算数?)?(?:(?P<done>完成)|占|为|达到?)(?P<basis>年初预算|" + _ADJUSTED + r"|预算)数?(?(done)的?|的)|"
              + _RATE_NAMED + ")" + r"(?P<completion>" + _N[1:-1] + ")")
# The 三公 sentences' rate: "完成预算的 P%" in the template (a bare 预算), "为年初预算的 P%", "预算完成率为 P%"
_THREE_PUBLIC_RATE = COMPLETION_WORDS
# A change and its percentage: "增加 C 万元，增长 P%", reworded "增加了 C 万元，增长率为 P%", "增幅 P%"
_CHANGE_PCT = (r"(?P<word>增加|减少)了?(?P<change>" + _N[1:-1] + r")" + MONEY_UNIT + r"，(?P<pword>" + UP_DOWN + ")" + CHANGE_WORD_TAIL + r"(?P<pct>"
               + _N[1:-1] + r")%?")
# "比 2023 年度" in the template; other regions print "比上年", "较上年（度）", "同比", "较 2023 年"
_AGAINST = r"(?:(?:比|较)(?:\d{4}年度?|上一?年度?)(?:决算数?)?|同比)"
# The sentence after a total comparing it with last year: "与 2023 年度相比，" in the template, "与上年相比，",
# or any of _AGAINST ("比上年度", "较 2023 年", "同比")
_COMPARED = r"(?:与(?:\d{4}年度?|上一?年度?)(?:决算数?)?相比，|" + _AGAINST + ")"
# The sentence after a total comparing it may name the total again first ("。一般公共预算财政拨款支出比
# 2023 年度增加 …"): a few words, no punctuation
_RESTATED = r"[^，。]{0,30}?"


def _section(t: RunningText, start_pattern: str, end_pattern: str | None = None) -> tuple[int, int]:
    found = re.search(start_pattern, t.text)
    if not found:
        return (0, 0)
    end = len(t.text)
    if end_pattern:
        later = re.search(end_pattern, t.text[found.end():])
        if later:
            end = found.end() + later.start()
    return found.start(), end


def _change(t: RunningText, found: re.Match, path: str, builder: RecordBuilder, section: str) -> None:
    value = figure_at(t, found, "value", section)
    give_change(value, found, t)
    builder.put(path, value, section=section)


def read_narrative(builder: RecordBuilder, doc: Document, first: int, last: int, tables_in: frozenset = frozenset()) -> list:
    """Read the 情况说明 on lines *first*..*last* (less *tables_in*, the lines of tables printed among
    them); the classification names it printed (for the quality facts), as ``(code, printed name,
    line, scheme)``."""
    # (no prose: .self_evaluation; not the indicators of a supplementary table read already)
    tables = [table for table in find_self_evaluation_tables(doc, first, last) if table[0] not in tables_in]
    for table in tables:
        read_self_evaluation_table(builder, doc, *table)
    skip = frozenset(n for table_first, table_last in tables for n in range(table_first, table_last + 1)) | tables_in
    t = RunningText(doc, first, last, skip)
    sections = Sections(doc, first, last, skip)
    names: list = []
    text = t.text
    change = r"(?P<value>" + _N[1:-1] + r")" + MONEY_UNIT + r"。" + _RESTATED + _COMPARED + r"[^，。]*?(?:" + _CHANGE_PCT + r"|(?P<flat>持平))"
    # 一、收入支出总计; 四、财政拨款收入支出总计 (also "收入、支出总计均为", "收支总计", "收入、支出决算总计各为")
    both = r"(?:收入、?支出|收、支|收支)(?:决算)?总计(?:均|各)?(?:为|是)?"
    for path, lead in (("overview.total", r"(?<!拨款)" + both), ("appropriation.total", r"财政拨款" + both)):
        found = re.search(lead + change, text)
        if found:
            _change(t, found, path, builder, "情况说明")
    # 二、本年收入合计 … 其中：…占 S%
    # (the 财政拨款 by its kinds where a region lists them so: rows of their own -- the sources still
    # add up to the total, and none is taken for the whole 财政拨款收入)
    sources = {"财政拨款收入": "appropriation", "上级补助收入": "superior_subsidy", "事业收入": "business",
               "经营收入": "operating", "附属单位上缴收入": "affiliated", "其他收入": "other",
               "一般公共预算财政拨款收入": "general_budget", "政府性基金预算财政拨款收入": "gov_fund",
               "国有资本经营预算财政拨款收入": "state_capital"}
    parts = {"基本支出": "basic", "项目支出": "project", "经营支出": "operating", "上缴上级支出": "remit_superior",
             "对附属单位补助支出": "affiliated_subsidy"}
    for path, lead, known, rows in (("income", f"(?:{INCOME_TOTAL}|{INCOME_YEAR})", sources, "income.sources"),
                                    ("expenditure", f"(?:{EXPENDITURE_TOTAL}|{EXPENDITURE_YEAR})", parts, "expenditure.parts")):
        # never the tail of a source's or part's own total ("财政拨款收入合计", "项目支出合计…，其中：")
        parts_of = tuple(name[:-2] for name in known) + ("拨款",)
        # (and a list naming one of the parts at least: "本年支出合计 X 万元，其中：社会保障和就业支出 A 万元，占
        # S%；…" in 一、 is the spending by class, and the parts are 三、's -- its first class was read as a
        # part of no known name, and NAR-005 failed by the rest, 内蒙古)
        found = next((f for f in re.finditer(lead + _N + MONEY_UNIT + r"，其中：(?P<list>[^。]*)", text)
                      if not text[:f.start()].endswith(parts_of) and any(name in f.group("list") for name in known)),
                     None)
        if not found:
            continue
        builder.put(f"{path}.total", figure_at(t, found, 1, "情况说明"))
        base = found.start("list")
        # ("基本支出 X 万元" in the template, "基本支出决算 X 万元", "事业收入为 X 万元" elsewhere; a part
        # of nothing printed without its share: "上级补助收入 0 万元；")
        for item in re.finditer(r"(?P<name>[\u4e00-\u9fff]+?)" + _FINAL_IS + _N + MONEY_UNIT + r"(?:，" + SHARE_WORDS + _N + "%)?",
                                found.group("list")):
            name = item.group("name")
            code = known.get(name)
            # An item of a part's own breakdown ("财政拨款收入 A 万元（其中：一般公共预算财政拨款收入
            # A 万元…）") is not a part: as a row it was counted twice in the parts' sum.  Listed unread.
            if not listed_part(found.group("list"), item.start()):
                continue
            joint = jointly_named(found.group("list"), item.end("name"), known.__contains__) if code is None else None
            if joint:   # ("经营收入、附属单位上缴收入均为 0 万元": the one figure each part's)
                held = {r.get("code") for r in builder.get(rows) or []}
                for part in joint:
                    if known[part] not in held:
                        builder.append(rows, {"code": known[part], "name": part,
                                              "amount": figure_at(t, item, 2, "情况说明", offset=base, label=part)})
                continue
            if code is None:
                # A part under a name the template does not have ("单位资金收入 X 万元，占 S%") is one of
                # the total's parts all the same (code ""): left out, the parts' sum failed by it.
                # (Without a share of the total, an amount of the list may be something else: listed
                # unread.)
                if item.group(3) is None or not of_the_total(item.string[item.end(2):item.start(3)]):
                    continue
                code = ""
            row = {"code": code, "name": name, "amount": figure_at(t, item, 2, "情况说明", offset=base, label=name)}
            if item.group(3) is not None:
                row["share"] = figure_at(t, item, 3, "情况说明", "%", offset=base, label=share_label(name, "占"))
            builder.append(rows, row)
    # 五、一般公共预算财政拨款支出 X 万元，占本年支出合计的 S%。与…相比…
    # ("一般公共预算财政拨款支出 X 万元" in the template, "…支出决算数为 X 万元" elsewhere)
    # (the share "占本年支出合计的 S%" in the template, "占本年支出的 S%" elsewhere)
    found = re.search(r"一般公共预算财政拨款支出" + _FINAL_IS + r"(?P<value>" + _N[1:-1] + r")" + MONEY_UNIT + r"，占(?:"
                      + EXPENDITURE_TOTAL + "|" + EXPENDITURE_YEAR + r")的(?:比重|比例)?(?:为|是)?(?P<share>" + _N[1:-1] + r")%。" + _RESTATED + _COMPARED + r"[^，。]*?(?:"
                      + _CHANGE_PCT + r"|(?P<flat>持平))", text)
    if found:
        _change(t, found, "general_budget.total", builder, "情况说明")
        builder.put("general_budget.share", figure_at(t, found, "share", "情况说明", "%"))
    # ("主要用于以下方面：" as the template says it, "主要用于：", "主要用于以下几个方面：")
    uses = r"主要用于(?:以下(?:几个)?方面)?[：:]"
    # ("一般公共预算支出决算数为 X 万元，完成年初预算的 P%": 财政拨款 left out, 四川)
    restated = r"一般公共预算(?:财政拨款)?支出" + _FINAL_IS + _N + MONEY_UNIT + r"[，,]"
    said_uses = re.search(uses, text)
    # (or, no "主要用于" said, right after 五（二）'s heading as the template heads it: "（二）一般公共预算财政拨款
    # 支出决算结构情况 2025 年度一般公共预算财政拨款支出 X 万元，教育支出 A 万元，占 S%；…", 浙江 -- its classes
    # were listed unread)
    found = re.search(restated + uses, text) if said_uses else re.search(_STRUCTURE + restated, text)
    if found:       # 五（二） restates the total its classes add up to
        builder.put("general_budget.function_total", figure_at(t, found, 1, "情况说明"))
    start, end = _section(t, uses, r"（三）|。")
    if not said_uses and found:
        start, end = found.end(), _section(t, _STRUCTURE, r"（三）|。")[1]
    if start:
        segment = text[start:end]
        # ("…支出（类）X 万元" in the template; "文化旅游体育与传媒（类）支出 X 万元" elsewhere: the class
        # was listed and the others short of the total -- a false NAR-009)
        for item in re.finditer(r"(?P<name>[\u4e00-\u9fff]+?)(?:(?P<lei>（类）)(?P<spent>支出)?)?" + _N + MONEY_UNIT + r"，"
                                + SHARE_WORDS + _N + "%", segment):
            name = item.group("name") + (item.group("spent") or "")
            code = classification("function").find(name)
            if not item.group("lei") and (code is None or len(code) != 3):
                continue    # (a class printed without "（类）" is one only where the list names a 类 so)
            builder.append("general_budget.function", {
                "code": code or "", "name": name,
                "amount": figure_at(t, item, 4, "情况说明", offset=start, label=name),
                "share": figure_at(t, item, 5, "情况说明", "%", offset=start, label=share_label(name, "占"))})
    _read_budget_vs_final(builder, t, names)
    # 六、基本支出
    # (the template's "X 万元。其中：人员经费 P 万元，主要包括：…；公用经费 Q 万元", or its stops
    # otherwise, "人员经费支出", "日常公用经费")
    found = re.search(r"一般公共预算财政拨款基本支出" + _FINAL_IS + _N + MONEY_UNIT + r"[。，,；;]?(?:其中[：:]?)?人员经费(?:支出)?" + _N
                      + MONEY_UNIT + r"[^；;。]*[；;。，,](?:其中[：:]?)?(?:日常)?公用经费(?:支出)?" + _N + MONEY_UNIT, text)
    if found:
        builder.put("basic.total", figure_at(t, found, 1, "情况说明"))
        builder.put("basic.personnel", figure_at(t, found, 2, "情况说明"))
        builder.put("basic.public", figure_at(t, found, 3, "情况说明"))
    _read_three_public(builder, t, sections)
    # (the template's "无…财政拨款收入和支出", or "没有使用…财政拨款安排的支出", "无…财政拨款支出", "未使用…
    # 财政拨款", "不涉及…收支"; or its income and spending said to be 0: "…收入支出决算为 0", "…均为 0 万元",
    # "…为零" -- not "为 0.50 万元", nor the template's instruction "无…收入支出的部门，作下述说明")
    for key, lead in (("gov_fund", "政府性基金"), ("state_capital", "国有资本经营")):
        found = re.search(r"(?:无|没有|未使用|不涉及|不存在)(?:使用)?" + lead + r"预算财政拨款(?:安排的)?(?:" + _NONE_OF
                          + r")?(?![的\u4e00-\u9fff]*部门)|" + lead + r"预算财政拨款(?P<of>" + _NONE_OF + r")(?:决算)?数?(?:均|都)?" + SAID_ZERO
                          + r"(?P<unit>万?元)?", text)
        if found:
            builder.put(f"{key}.none", figure(found.group(), src=t.src(found.start(), found.end(), "情况说明")))
            if found.group("unit"):   # ("…收入支出决算为 0 万元": the amounts it names, as printed)
                for measure, word in (("income", "收"), ("expenditure", "支")):
                    if word in found.group("of"):
                        builder.put(f"{key}.{measure}", figure_at(t, found, "zero", "情况说明"))
    found = re.search(r"机关运行经费(?:财政拨款)?支出(?P<value>" + _N[1:-1] + r")" + MONEY_UNIT + r"，" + _AGAINST + r"(?:(?P<word>增加|减少)了?(?P<change>"
                      + _N[1:-1] + r")" + MONEY_UNIT + r"，(?P<pword>" + UP_DOWN + r")" + CHANGE_WORD_TAIL + r"(?P<pct>" + _N[1:-1] + r")%|(?P<flat>持平))", text)
    if found:
        _change(t, found, "operating_costs", builder, "情况说明")
    found = re.search(r"政府采购金额（以合同签订为准）为" + _N + MONEY_UNIT + r"，其中：货物采购金额" + _N + MONEY_UNIT + r"、工程采购金额" + _N
                      + MONEY_UNIT + r"、服务采购金额" + _N + MONEY_UNIT, text)
    if found:
        for i, key in enumerate(("total", "goods", "works", "services"), 1):
            builder.put(f"procurement.{key}", figure_at(t, found, i, "情况说明"))
    # (the amount reserved as the template says it, "…预留政府采购项目预算金额", or "预留采购份额", "预留份额")
    reserved = r"预留(?:政府采购项目)?(?:的)?(?:采购)?(?:预算金额|份额|金额)(?:为)?"
    for key, pattern in (("sme_reserved", r"面向中小企业" + reserved), ("small_reserved", r"面向小微企业" + reserved),
                         ("sme_awarded", r"在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额"),
                         ("small_awarded", r"在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额"),
                         ("sme_other", r"在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额")):
        found = re.search(pattern + _N + MONEY_UNIT, text)
        if found:
            builder.put(f"procurement.{key}", figure_at(t, found, 1, "情况说明"))
    # "授予中小企业合同金额 X 万元，占政府采购支出总额的 S%，其中：授予小微企业合同金额 Y 万元，占政府采购支出总额的 T%"
    # (the national sentence on contracts awarded to small firms)
    # (a region giving the small firms' share of the SME contracts -- "占授予中小企业合同金额的 T%" --
    # gives another figure than the template's share of the procurement total)
    for key, lead in (("sme_contracts", "授予中小企业合同金额"), ("small_contracts", "授予小微企业合同金额")):
        found = re.search(lead + r"(?:为)?" + _N + MONEY_UNIT + r"(?:，(?P<words>" + SHARE_WORDS + ")" + _N + "%)?", text)
        if found:
            builder.put(f"procurement.{key}", figure_at(t, found, 1, "情况说明"))
            if found.group(3) and of_the_total(found.group("words")):
                builder.put(f"procurement.{key}_share", figure_at(t, found, 3, "情况说明", "%"))
            elif found.group(3) and key == "small_contracts" and "中小企业" in found.group("words"):
                builder.put("procurement.small_contracts_share_of_sme", figure_at(t, found, 3, "情况说明", "%"))
            elif found.group(3):
                # a share of another amount, not of the procurement total the rules check it against: listed
                line = t.line(found.start(3))
                builder.add_unread("情况说明", (line, line), f"share {found.group(3)}% of another amount than the "
                                   f"procurement total, not checked: {found.group('words')}{found.group(3)}%")
    found = re.search(r"共有车辆" + _N + r"辆，其中：(?P<list>[^。]*)", text)
    if found:
        builder.put("assets.vehicles.total", figure_at(t, found, 1, "情况说明", "辆"))
        kinds = {"部级领导干部用车": "minister", "主要领导干部用车": "leader", "机要通信用车": "confidential_comm",
                 "应急保障用车": "emergency", "执法执勤用车": "law_enforcement", "特种专业技术用车": "special",
                 "离退休干部用车": "retired_cadre", "其他用车": "other"}
        base = found.start("list")
        for item in re.finditer(r"(?P<name>[\u4e00-\u9fff]+?)" + _N + "辆", found.group("list")):
            key = kinds.get(item.group("name"))
            if key:
                builder.put(f"assets.vehicles.kinds.{key}", figure_at(t, item, 2, "情况说明", "辆", offset=base))
    found = re.search(r"单价\d+" + MONEY_UNIT + r"（含）以上设备（不含车辆）" + _N + "台", text)
    if found:
        builder.put("assets.large_equipment", figure_at(t, found, 1, "情况说明", "台"))
    read_performance(builder, t)
    # other regions' wording: what these sentences did not take, by label and amount
    names += read_by_phrases(builder, sections)
    # the changes on last year of 二、三、六 's figures, read by either, and the funds' figures of 八、九
    read_year_changes(builder, sections)
    list_unread(builder, sections)
    return names


# 五（二）'s heading as the template prints it, then the year of its sentence
_STRUCTURE = r"（二）(?:一般公共预算)?财政拨款支出决算结构情况(?:\d{4}年度?)?"


def _read_budget_vs_final(builder: RecordBuilder, t: RunningText, names: list) -> None:
    text = t.text
    # (the template's part （三） of 五, "（三）财政拨款支出决算具体情况" in regions; where 五 prints no parts,
    # the total's budget and the 项 follow its heading: "五、一般公共预算财政拨款支出决算情况说明")
    start, end = _section(t, r"（三）(?:一般公共预算)?财政拨款支出决算具体情况", r"六、一般公共预算财政拨款基本支出")
    number = ITEM_NUMBER
    if not start and not re.search(r"（[一二]）(?:一般公共预算)?财政拨款支出决算(?:总体|结构)情况", text):
        start, end = _section(t, r"[一二三四五六七八九十]+、一般公共预算财政拨款支出决算情况说明",
                              r"[一二三四五六七八九十]+、一般公共预算财政拨款基本支出")
        # (the 项 numbered "1." / "（1）" in the template, "（一）" where 五 has no parts so numbered)
        number = r"(?:" + ITEM_NUMBER + r"|[（(][一二三四五六七八九十]+[）)])"
    if not start:
        return
    segment = text[start:end]
    items = list(re.finditer(number + r"(?P<cls>[^（。]+)（类）(?P<kuan>[^（]+)（款）(?P<xiang>[^（]+)（项）[。：:]", segment))
    if not items:
        # (the 项 named alone, its 类 and 款 unsaid: "1.其他技术研究与开发支出（项）：2024年年初预算 B 万元，…":
        # coded by the 项 line of the table printing its name)
        items = list(re.finditer(number + r"(?P<cls>)(?P<kuan>)(?P<xiang>[^（。：:，,；;\d]+)（项）[：:。，,]?", segment))
    # the department's total is said before the first numbered 项 (an item's "年初预算为…" is the item's)
    overall = segment[:items[0].start()] if items else segment
    # (the 年初预算, the full-year one beside it or alone, the final figure, its rate)
    # ("年初预算为" in the template; a bare "预算为" elsewhere, the one budget stated: the 年初预算; without
    # 为 too: "年初预算数 B 万元，决算数 F 万元")
    head = re.search(r"(?=(?:年初|全年|调整|预算))(?:(?:年初)?预算数?(?:为|是)?(?P<budget>" + _N[1:-1] + r")" + MONEY_UNIT + r"，)?(?:"
                     + _ADJUSTED + r"数?(?:为|是)?(?P<adjusted>" + _N[1:-1] + r")" + MONEY_UNIT + r"，)?(?:支出)?决算数?(?:为|是)?(?P<final>"
                     + _N[1:-1]
                     + r")" + MONEY_UNIT + r"[，。](?:" + _COMPLETES + r"%。)?", overall)
    if head is not None and not (head.group("budget") or head.group("adjusted")):
        head = None
    if head is None:
        _read_final_against_budget(builder, t, start, overall)
    if head:
        for group, path in (("budget", "budget"), ("adjusted", "adjusted_budget"), ("final", "final")):
            if head.group(group):
                builder.put(f"general_budget.{path}", figure_at(t, head, group, "情况说明", offset=start))
        if head.group("completion"):
            basis = _rate_basis(head, adjusted_printed=bool(head.group("budget") and head.group("adjusted")),
                                label="年初预算" if head.group("budget") else "全年预算")
            if basis:
                builder.put("general_budget.basis", basis)
                builder.put("general_budget.completion", figure_at(t, head, "completion", "情况说明", "%", offset=start))
            else:
                _rate_unread(builder, t, start + head.start("completion"), head.group("completion"))
        word, reason, against = comparison(segment[head.end():head.end() + 200])
        if word:
            builder.put("general_budget.comparison", word)
        if against:
            builder.put("general_budget.comparison_against", against)
        if reason is not None:
            builder.put("general_budget.reason", reason)
    fn = classification("function")
    claimed: set[str] = set()
    # the 项 lines of the document's own general budget table: (code, printed name)
    table_rows = [(r["code"], "".join(str(r.get("name") or "").split()))
                  for r in (builder.get("tables.general_budget.rows") or []) if len(r.get("code", "")) == 7]
    for i, item in enumerate(items):
        body = segment[item.end(): items[i + 1].start() if i + 1 < len(items) else len(segment)]
        off = start + item.end()
        # (the final figure then its rate or the sentence's end: anything else between them -- "比年初
        # 预算减少 C 万元" -- is the phrase reader's, which takes the change against the budget too)
        # (its budget, the year-end budget beside a 年初预算 where printed, its final figure)
        # ("为" in the template, left out in regions: "年初预算 B 万元，支出决算 F 万元")
        amounts = re.search(r"(?P<label>年初预算|" + _ADJUSTED + r"|预算)数?为?(?P<budget>" + _N[1:-1] + r")" + MONEY_UNIT + r"，(?:" + _ADJUSTED
                            + r"数?为?(?P<adjusted>" + _N[1:-1] + r")" + MONEY_UNIT + r"，)?(?:支出)?决算数?为?(?P<final>" + _N[1:-1]
                            + r")" + MONEY_UNIT + r"(?:[，。]" + _COMPLETES + "%|。)", body)
        # (or its final figure alone, its budget unsaid, right after its name: "…行政运行（项）：支出决算为
        # 786.48 万元，完成预算 102.41%", 四川 -- its rate then of the table's 年初预算数, PCT-010)
        amounts = amounts or _FINAL_ALONE.match(body)
        if not amounts:
            continue
        code = item_code(fn, item.group("cls"), item.group("kuan"), item.group("xiang"), table_rows, claimed)

        def printed(group: str, unit: str | None = None) -> dict:
            return figure_at(t, amounts, group, "情况说明", unit, offset=off)
        named = f"{item.group('cls')}（类）{item.group('kuan')}（款）" if item.group("cls") else ""
        row = {"code": code or "", "name": f"{named}{item.group('xiang')}（项）",
               "basis": basis_of(amounts.group("label")), "final": printed("final")}
        if amounts.group("budget"):
            row["budget"] = printed("budget")
        if amounts.group("adjusted"):
            row["adjusted_budget"] = printed("adjusted")
        if amounts.group("completion"):
            basis = _rate_basis(amounts, adjusted_printed=bool(amounts.group("adjusted")), label=row["basis"])
            if basis:
                row["basis"] = basis
                row["completion"] = printed("completion", "%")
            else:
                _rate_unread(builder, t, off + amounts.start("completion"), amounts.group("completion"))
        word, reason, against = comparison(body[amounts.end():])
        if word:
            row["comparison"] = word
        if against:
            row["comparison_against"] = against
        row["reason"] = reason or ""
        add_item(builder, row, (item.group("cls"), item.group("kuan"), item.group("xiang")),
                 t.line(start + item.start()), claimed, names)


# A 项's final figure alone right after its name ("：支出决算为 786.48 万元，完成预算 102.41%"), the groups
# of the pattern with its budget (none of them printed)
_FINAL_ALONE = re.compile(r"(?P<label>)(?P<budget>)(?P<adjusted>)(?:支出)?决算数?(?:为|是)(?P<final>" + _N[1:-1] + r")" + MONEY_UNIT
                          + r"(?:[，。]" + _COMPLETES + "%|。)")


def _rate_basis(found: re.Match, adjusted_printed: bool, label: str) -> str | None:
    """The budget *found*'s completion rate is of: the one it names ("完成调整预算的" is of the
    全年预算); a rate naming none ("预算执行率为") is of the one budget printed -- of neither where
    the sentence prints both (None: the rate is listed, never checked against a guess)."""
    if found.group("basis") and found.group("basis") != "预算":
        return basis_of(found.group("basis"))
    if adjusted_printed:
        return None
    return label


def _rate_unread(builder: RecordBuilder, t: RunningText, at: int, value: str) -> None:
    builder.add_unread("情况说明", (t.line(at), t.line(at)), f"completion rate {value}% of a budget not named, "
                       f"where both the initial and the full-year budgets are printed: not checked")


def _read_final_against_budget(builder: RecordBuilder, t: RunningText, start: int, overall: str) -> None:
    """"一般公共预算财政拨款支出决算 1,206.60 万元，为年初预算的 96.53%" (the total and its completion,
    the budget not printed), the wording of regions that do not restate the budget."""
    # ("一般公共预算支出决算数为 X 万元，完成年初预算的 P%": 财政拨款 left out, 四川)
    found = re.search(r"一般公共预算(?:财政拨款)?支出" + _FINAL_IS + _N + MONEY_UNIT + r"，(?:为|占|完成)(?P<basis>年初预算|" + _ADJUSTED + r")数?的"
                      + _N + "%", overall)
    if not found:
        return
    builder.put("general_budget.final", figure_at(t, found, 1, "情况说明", offset=start))
    builder.put("general_budget.basis", basis_of(found.group("basis")))
    builder.put("general_budget.completion", figure_at(t, found, 3, "情况说明", "%", offset=start))
    word, reason, against = comparison(overall[found.end():found.end() + 200])
    if word:
        builder.put("general_budget.comparison", word)
    if against:
        builder.put("general_budget.comparison_against", against)
    if reason is not None:
        builder.put("general_budget.reason", reason)


def _read_three_public(builder: RecordBuilder, t: RunningText, sections: Sections) -> None:
    text = t.text
    found = re.search(r"无" + QUOTED_THREE + r"经费财政拨款支出", text)
    if found:
        builder.put("three_public.none", figure(found.group(), src=t.src(found.start(), found.end(), "情况说明")))
        return
    # ("…年初预算为 B 万元，支出决算为 F 万元" in the template; without 为, or with 是, elsewhere)
    found = re.search(QUOTED_THREE + r"经费财政拨款支出(?:年初|全年|调整后?)?预算数?(?:为|是)?" + _N + MONEY_UNIT + r"，(?:支出)?决算数?(?:为|是)?"
                      + _N + MONEY_UNIT + r"，"
                      + _THREE_PUBLIC_RATE + _N + "%", text)
    if found:
        builder.put("three_public.budget", figure_at(t, found, 1, "情况说明"))
        final = figure_at(t, found, 2, "情况说明")
        builder.put("three_public.completion", figure_at(t, found, 3, "情况说明", "%"))
        after = text[found.end():]
        read_items_against_budget(builder, t, found.end())
        word, reason, _ = comparison(re.sub(QUOTED_THREE + "经费支出决算数", "决算数", after, count=1))
        if word is None and reason is None:
            # (the total's comparison after its items' list, naming the 三公 again: "…公务接待费支出预算为 …。
            # 2025 年度“三公”经费财政拨款支出决算数小于预算数的主要原因是…", 青海 -- before 七（二）)
            named = _THREE_PUBLIC_COMPARED.search(before_details(after))
            if named:
                word, reason, _ = comparison(after[named.end():])
        if word:
            builder.put("three_public.comparison", word)
        if reason is not None:
            builder.put("three_public.reason", reason)
    else:
        # the total's sentence in other words ("决算数为 F 万元，比年初预算数 B 万元减少 C 万元…"):
        # by label and amount; what follows (its change against last year, （二）) as in the template
        final = read_three_public_total(builder, sections)
        # (the vehicle item's parts against their budgets in that wording too, after 七's heading)
        heading = next((number for kind, _, number, _ in sections.items if kind == "three_public"), None)
        if heading is not None:
            read_vehicle_parts(builder, t, bisect_right(t.origin, heading))
    # (the total's sentence not read -- listed -- does not stop its items, shares and counts below)
    change = (r"(?P<word>增加|减少)(?:（(?:增加|减少)）)?了?" + r"(?P<change>" + _N[1:-1] + r")" + MONEY_UNIT + r"，(?P<pword>"
              + UP_DOWN + r")(?:（(?:增长|下降)）)?" + CHANGE_WORD_TAIL + r"(?P<pct>" + _N[1:-1] + ")%")
    # (regions: "与 2023 年度相比，“三公”经费财政拨款支出减少 C 万元…", or the change right after the
    # total's sentence, its subject unsaid: "…完成预算的 P%。较上年减少 C 万元，下降 Q%", "…。与上年相比增加 C 万元")
    # (广州: "…“三公”经费支出决算 52.04 万元，与 2024 年度相比增加 23.25 万元，增长 80.76%": the total restated
    # before its change)
    ch = re.search(r"(?:" + QUOTED_THREE + r"经费财政拨款支出决算数?" + _AGAINST + r"|与(?:\d{4}年度?|上一?年度?)(?:决算数?)?相比，"
                   + QUOTED_THREE + r"经费(?:财政拨款)?支出(?:决算数?)?(?:合计)?"
                   + r"|" + QUOTED_THREE + r"经费(?:财政拨款)?支出决算数?(?:为|是)?" + _N[1:-1] + MONEY_UNIT
                   + r"[，,](?:与(?:\d{4}年度?|上一?年度?)(?:决算数?)?相比[，,]?|" + _AGAINST + r"))" + change, text) \
        or found and re.compile(r"[。，,](?:" + _AGAINST + r"|与(?:\d{4}年度?|上一?年度?)(?:决算数?)?相比[，,]?)"
                                + change).match(text, found.end())
    if ch and final is not None:
        give_change(final, ch, t)
    if ch:
        read_three_public_changes(builder, t, ch.end())
    if final is not None:
        builder.put("three_public.final", final)
    # (an item's change right after its figure, or after its completion rate: "…支出 65.49 万元，完成预算的
    # 93.56%，比 2024 年度增加 24.22 万元，增长 58.69%", 深圳)
    # ("…预算为 0.00 万元，与上年持平", 浙江: no change, said in words)
    right_after = re.compile(r"(?:[，,]" + _THREE_PUBLIC_RATE + _N[1:-1] + r"%)?[，,](?:" + _AGAINST + change
                             + r"|与(?:\d{4}年度?|上一?年度?)(?:决算数?)?(?:相比)?[，,]?(?P<flat>持平))")
    item_words: dict[str, tuple[int, int]] = {}    # (where each numbered item of 七（二） is printed, to the next)
    for key, lead in THREE_PUBLIC_ITEMS:
        share = re.search(lead + r"用?支出决算数?(?:为)?" + _N + MONEY_UNIT + r"，" + SHARE_WORDS + _N + "%", text)
        if share:   # 七（二） "…支出决算 X 万元，占 S%": the amount restated with its share
            builder.put(f"three_public.{key}.detail", figure_at(t, share, 1, "情况说明"))
            builder.put(f"three_public.{key}.share", figure_at(t, share, 2, "情况说明", "%"))
        # ("因公出国（境）费支出 X 万元" in the template; "…费用支出", "…支出决算为", "3、公务接待费 X 万元" elsewhere)
        item = re.search(ITEM_NUMBER + lead + r"用?(?:支出)?" + _FINAL_IS + _N + MONEY_UNIT, text)
        if item:    # "1、因公出国（境）费支出 X 万元。" ("（1）", "1." elsewhere): the numbered item of 七（二）
            builder.put(f"three_public.{key}.item", figure_at(t, item, 1, "情况说明"))
            following = ITEM_OR_HEADING.search(text, item.end())
            item_words[key] = (item.end(), following.start() if following else len(text))
            # (its budget and rate after it: "…支出 F 万元，预算为 B 万元，完成预算的 P%，比上年减少 …", 浙江)
            item_change(builder, t, key, item, right_after, later_change(lead, change, _AGAINST),
                        read_item_budget(builder, t, key, item))
    # (the items named in their lead or run-in heading, their figures by role: "2.公务用车购置及运行维护费支出预算
    # 为 B 万元，支出决算为 F 万元…"; "1.因公出国（境）费。2025 年度支出决算 F 万元，与 2024 年度相比增加 …")
    read_named_items(builder, sections)
    # (the counts as the template words them, or with a comma between them, without 累计 / 为, "参团人员
    # N 人次", "外宾接待 N 批次", the receptions as _RECEPTION words them)
    counts = OVERSEAS_COUNTS.search(text)   # (both templates' wordings: common.three_public)
    for key, group, unit in (("overseas.groups", "groups", "个"), ("overseas.persons", "persons", "人")):
        if counts and counts.group(group) is not None:
            # (the groups counted in 次 where so printed, "团组 0 次": the unit the count is listed by)
            printed = "次" if group == "groups" and text.startswith("次", counts.end(group)) else unit
            builder.put(f"three_public.{key}", figure_at(t, counts, group, "情况说明", printed))
    for key, pattern, unit in (
                               # ("公务用车购置支出" in the template, "公务用车购置费" / "运行维护费(支出)" elsewhere)
                               # (the part as a heading of its sentence too: "公务用车运行维护费：支出 A 万元")
                               ("vehicle.purchase", r"公务用车购置(?:费用?)?[：:]?支?出?" + _FINAL_IS + _N + MONEY_UNIT, None),
                               ("vehicle.operation", r"公务用车运行(?:维护|维修)?(?:费用?)?[：:]?支?出?" + _FINAL_IS + _N
                                + MONEY_UNIT, None),
                               # ("公务用车保有量为 N 辆"; "公务用车购置数 0 辆，保有量 3 辆" elsewhere: the
                               # clause names the 公务用车; "单位共有公务用车 N 辆")
                               ("vehicle.fleet", r"(?:公务用车(?:[^。；;]{0,15}?[，,、])?保有量(?:为|是)?|(?:共有|现有|实有)公务用车"
                                r"(?:共计?)?)" + _N + "辆", "辆"),
                               # ("购置（更新）公务用车 N 辆"; "新购置公务用车", "公务用车购置数（量）N 辆" -- not
                               # "购置车辆 N 辆", which the assets section says of all funds' vehicles)
                               ("vehicle.purchases", r"(?:(?:购置|更新|购买)了?公务用车(?:共计?)?|公务用车购置数量?(?:为|共计?)?)"
                                + _N + "辆", "辆"),
                               ("reception.domestic", r"国内公务接待支出" + _FINAL_IS + _N + MONEY_UNIT, None),
                               ("reception.foreign", r"含外宾接待支出" + _FINAL_IS + _N + MONEY_UNIT, None),
                               # ("国（境）外公务接待支出 B 万元" beside "国内公务接待支出 A 万元": the 外事 one)
                               ("reception.foreign_apart", r"(?<!含)(?:外事|外宾|国（境）外(?:公务)?)接待(?:支出|费用?)" + _FINAL_IS + _N
                                + MONEY_UNIT, None),
                               # ("20 批次、160 人次" in the template, "20 批、160 人", "20 批次 160 人次" elsewhere)
                               ("reception.batches", _RECEPTION + _N + "(?:批次?|个)", "次"),
                               ("reception.persons", _RECEPTION + r"\d+(?:批次?|个)[、，,]?" + _PERSONS + _N + "人次?", "人"),
                               # ("外事接待 0 批次，0 人" elsewhere)
                               ("reception.foreign_batches", r"(?:接待外宾|外宾接待|外事接待)" + _N + "批次?", "次"),
                               ("reception.foreign_persons", r"(?:接待外宾|外宾接待|外事接待)\d+批次?[、，,]" + _N + "人次?",
                                "人")):
        # (a count in a clause about another year is not this year's: "主要原因是：上年度更新购置公务用车 1 辆，
        # 本年度未发生公务用车购置支出", 新疆)
        item = first_of_the_year(re.compile(pattern), text, builder.year()) if unit in ("辆", "个") \
            else re.search(pattern, text)
        if key in ("vehicle.purchase", "vehicle.operation") and "vehicle" in item_words:
            # (the vehicle item's parts as 七（二） breaks it down where it does -- "2．公务用车购置及运行维护费支出 X 万元。
            # 其中：公务用车购置费支出 A 万元…" -- not the part's final figure 七（一） printed against its budget
            # ("公务用车购置费支出决算为 A 万元，完成预算的 P%", read as vehicle_purchase.final), 浙江)
            item = re.compile(pattern).search(text, *item_words["vehicle"]) or item
        if item:
            builder.put(f"three_public.{key}", figure_at(t, item, 1, "情况说明", unit))
            if key in ("vehicle.purchase", "vehicle.operation"):
                part_change(builder, t, key, item, change, _AGAINST)
    found = None if builder.get("three_public.vehicle.purchases") else no_vehicle_purchase(text, builder.year())
    if found:   # "本年度未购置公务用车": none bought, in words (shown as "0 辆", the words its label)
        builder.put("three_public.vehicle.purchases", figure("0", "辆", label=found.group(),
                                                             src=t.src(found.start(), found.end(), "情况说明")))


# The 三公 total named again before its comparison with the budget ("“三公”经费财政拨款支出决算数小于预算数…")
_THREE_PUBLIC_COMPARED = re.compile(QUOTED_THREE + r"经费(?:财政拨款)?支出(?=决算数?(?:大于|小于|高于|低于|与))")

# The domestic receptions' count: "公务接待 N 批次", "共接待 N 批次", "共接待国内来访团组 N 个、来宾 N 人次",
# "接待批次 N 批次，接待人次 M 人次", "共接待 N 批次，接待人数 M 人次"
_RECEPTION = r"(?:公务接待|共接待|接待国内(?:来访)?团组|接待国内公务|接待批次|(?<![\u4e00-\u9fff])接待)(?:共计?|为)?"
_PERSONS = r"(?:累计|共计?)?(?:来宾|接待)?(?:人数|人次)?(?:为|共计?)?"   # ("累计接待 368 人次")

_NONE_OF = r"收入和支出|收入、支出|收入支出|收支|支出"   # (what a fund's "none" sentence says there is none of)

# (公务用车购置及运行费 without 维护, as the national 决算 tables name it)
