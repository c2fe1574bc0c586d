"""The 支出 and 财政拨款 sections of the 情况说明 (and the central template's 一般公共预算支出情况):
their totals, the by-type split (基本支出 / 项目支出 and their economic classes) and the function
and economic class lists, each class's share printed after it; a general-budget section's lines by
项 ("（一）X（类）Y（款）Z（项）78.34 万元") as the itemised 编制说明's items (:func:`read_spending_section`).
Split from :mod:`.narrative`, which reads the other sections and hands these here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...document.stream import Stream
from ..common.amounts import SHARE_LABEL, Phrase, share_label
from ...data.classification import classification
from ..common.classes import ECONOMIC_CLASSES, match_economic, match_function, match_fund_class
from ..common.coverage import nonzero
from ..common.labels import Field, NameMap, is_classification_label
from ..common.record import RecordBuilder, phrase_figure

__all__ = ["read_expenditure", "read_spending_section", "put_class_row", "in_this_years_list", "whole_appropriation", "same_amount", "MONEY"]

MONEY = ("万元", "元", "亿元")

# A class total may name its level or its 类 code in brackets ("社会保障和就业（类）支出 96.00 万元",
# "…支出（类）", "…支出（208）"); a 款 or 项 code there makes an itemised line ("行政运行（2080101）").
_CLASS_MARK = re.compile(r"\((?:类|\d{3})\)")
_ITEM_CODE = re.compile(r"\(\d{5}(?:\d{2})?\)")

# ("从支出功能分类看：", "从经济分类来看": other regions' lead-in)
_MODES = [
    (re.compile(r"按(?:支出)?功能(?:科目|分类)?|从(?:支出)?功能(?:科目|分类)"), "function"),
    (re.compile(r"按(?:支出)?经济(?:科目|分类)?|从(?:支出)?经济(?:科目|分类)"), "economic"),
    (re.compile(r"按(?:支出)?项目类别|按支出类型|按支出性质|按(?:支出)?类别"), "type"),
]


# ("财政拨款预算支出 1,150.00 万元": the words in the other order -- never a fund's 预算支出:
# "一般公共预算支出", "政府性基金预算支出", "国有资本经营预算支出" are kinds, below)
# ("财政拨款收支总预算", "收支总预算": the central template's grand total, which a budget spends whole;
# "财政拨款收、支总预算均为 X 万元", 天津)
_TOTAL = NameMap([Field("total", [r"(?:当年)?(?:财政拨款)?支出预算", r"(?:财政拨款)?(?:支出|收[、和及与]?支)总预算", r"总支出",
                                   r"(?:财政拨款)?(?<!公共)(?<!基金)(?<!经营)预算支出",
                                   r"(?:支出)?(?:预算)?(?:总额|合计|总计)"], MONEY)])
# (in the 财政拨款 section, "财政拨款支出 1,150.00 万元" before any breakdown is its total; in the
# 支出 section the same words would be the part the appropriation pays)
# ("财政拨款收支预算 X 万元": both sides of the appropriation at once, equal by the template -- its total)
_APPROPRIATION_TOTAL = NameMap([Field("total", [r"财政拨款支出", r"财政拨款收支(?:预算)?"], MONEY)])
# (the central template's 财政拨款收支预算总体情况 states the income beside the spending: "财政拨款收入
# 预算 1,150.00 万元，…财政拨款支出预算 1,150.00 万元" -- the 财政拨款 income source, APR-012's)
# ("财政拨款收入预算总计 X 万元"，山西: the income side's 总计, never the spending's total)
_APPROPRIATION_INCOME = NameMap([Field("income.sources.appropriation",
                                       [r"财政拨款(?:预算)?收入(?:预算)?(?:总计|总额|合计)?"], MONEY)])
# (the central template's 财政拨款收支总体情况 splits the income: "收入全部为一般公共预算拨款，包括当年
# 拨款收入 X 万元，上年结转 Y 万元" -- the year's own appropriation and the appropriation carried over,
# which add up to its 收支总预算 (APR-013); the 收入 section's 财政拨款收入 is the year's own)
_APPROPRIATION_INCOME_PARTS = NameMap([
    # (a kind's own -- "一般公共预算当年拨款收入 A 元，政府性基金预算当年拨款收入 B 元" -- is no total of the year's)
    Field("appropriation.income_year", [r"(?<!预算)(?<!基金)(?<!经营)(?:财政拨款)?当年(?:财政)?拨款(?:预算)?收入"], MONEY),
    Field("appropriation.carryover", [r"(?:财政拨款)?上年结转(?:结余)?(?:资金)?(?:收入)?"], MONEY),
])
_APPROPRIATION_KINDS = NameMap([
    # ("一般公共预算当年拨款": other regions' word for the year's own appropriation, carry-over aside)
    Field("general_budget", [r"一般公共预算(?:当年)?(?:财政)?(?:拨款)?(?:支出)?"], MONEY),
    Field("gov_fund", [r"政府性基金(?:预算)?(?:当年)?(?:财政)?(?:拨款)?(?:支出)?"], MONEY),
    Field("state_capital", [r"国有资本经营(?:预算)?(?:当年)?(?:财政)?(?:拨款)?(?:支出)?"], MONEY),
])


def read_expenditure(builder: RecordBuilder, stream: Stream, phrases: list[Phrase],
                      heading: str, kind: str) -> None:
    """Walk the figures in order. "按…划分" switches the breakdown (function / economic / by
    type); in the by-type breakdown, economic classes after 基本支出 are its parts and those
    after 项目支出 are that one's.  A section on the general budget alone (*kind*
    ``general_budget``: "一般公共预算支出情况") gives its total as the appropriation's
    ``general_budget``, and its breakdowns as the appropriation's only where the general budget is
    the whole appropriation (:func:`whole_appropriation`); else they are listed unread."""
    prefix = "expenditure" if kind == "expenditure" else "appropriation"
    general = kind == "general_budget"
    whole: bool | None = None   # (for a general-budget section: worked out at its first breakdown)
    in_year = False   # (the section's by-type split read as the year's general budget's: _years_part)
    mode: str | None = None
    sub: str | None = None
    previous_end = 0
    row: dict | None = None   # the class row read last, whose share may follow it
    for phrase in phrases:
        if row is not None and _share_of_row(phrase, row):
            row["share"] = phrase_figure(phrase, heading, label=share_label(row["name"], phrase.label))
            phrase.used = True
            continue
        if phrase.orphan or phrase.unit not in MONEY:
            continue
        row = None
        gap = stream.text[previous_end:phrase.number_start]
        switched = _mode_in(gap)
        previous_end = phrase.end
        if switched:
            mode, sub = switched, None
        # (a colon may close the label: "基本支出：900.40 万元")
        label = re.sub(r"^.*?(?:划分|分类)+[:]?", "", phrase.raw_label).rstrip(":：")
        if label != phrase.raw_label.rstrip(":："):   # (a lead-in with no colon after it: a heading line)
            phrase.trim_label_to(phrase.number_start - len(phrase.raw_label) + phrase.raw_label.rindex(label))
        core = re.sub(r"(?:预算)?(?:数)?(?:为|是)?$", "", label)
        # (or a sentence of its own after another breakdown: "。一般公共预算财政拨款基本支出 A 万元，其中：
        # 人员经费 …；公用经费 …", as Beijing's and others' close the section)
        by_type = (mode in (None, "type") or "。" in gap) and core.endswith(("基本支出", "项目支出"))
        if general and mode is None and not by_type:
            total = _TOTAL.match(label, phrase.unit) or _APPROPRIATION_TOTAL.match(label, phrase.unit)
            head = "general_budget" if total else _appropriation_kind(label, phrase.unit)
            if head:
                builder.put_phrase(f"{prefix}.{head}", phrase, heading)
                continue
        year_part = _years_part(builder, core, mode, sub, in_year) \
            if prefix == "appropriation" and (general or in_year or "一般公共预算" in label) else None
        if year_part:
            in_year = True
            mode, sub = "type", sub if year_part.startswith("basic_") else year_part
            builder.put_phrase(f"general_budget_year.{year_part}", phrase, heading)
            continue
        if general:
            whole = whole_appropriation(builder) if whole is None else whole
            if not whole:
                builder.unread_phrase(phrase, heading, _GENERAL_BUDGET_PART)
                continue
        if by_type:
            mode, sub = "type", ("basic" if core.endswith("基本支出") else "project")
            builder.put_phrase(f"{prefix}.{sub}", phrase, heading)
            continue
        other_type = _other_type(core) if prefix == "expenditure" and mode in (None, "type") else None
        if other_type:
            mode, sub = "type", None   # (classes after it are no part of 基本支出 or 项目支出)
            builder.put_phrase(f"expenditure.other_types.{other_type}", phrase, heading)
            continue
        income_part = _APPROPRIATION_INCOME_PARTS.match(label, phrase.unit) \
            if mode is None and prefix == "appropriation" and not general else None
        if income_part:
            builder.put_phrase(income_part[0].path, phrase, heading)
            continue
        if mode is None and prefix == "appropriation" and _APPROPRIATION_INCOME.match(label, phrase.unit):
            builder.put_phrase("income.sources.appropriation", phrase, heading)
            continue
        if mode is None and (_TOTAL.match(label, phrase.unit) or (
                prefix == "appropriation" and _APPROPRIATION_TOTAL.match(label, phrase.unit))):
            builder.put_phrase(f"{prefix}.total", phrase, heading)
            continue
        special = _appropriation_kind(label, phrase.unit) if prefix == "appropriation" and mode is None else None
        if special and _in_income_list(phrase):
            # "收入包括：一般公共预算当年拨款 A 万元；政府性基金预算当年拨款 B 万元；…上年结转 C 万元。支出包括：…"
            # (河北): the year's allocations of each kind, the income side -- a kind's spending adds its
            # carry-over to them, so they are no kind's spending (APR-014, FND-007 failed so)
            builder.unread_phrase(phrase, heading, _INCOME_SIDE)
            continue
        if special:
            builder.put_phrase(f"{prefix}.{special}", phrase, heading)
            continue
        if mode == "type" and sub == "basic" and core.endswith(("人员经费", "公用经费")):
            part = "basic_personnel" if core.endswith("人员经费") else "basic_public"
            builder.put_phrase(f"{prefix}.{part}", phrase, heading)
            continue
        if mode is None:            # a breakdown without its "按…划分" lead-in
            mode = "function" if match_function(label) else "economic" if match_economic(label) else None
        elif "。" in gap and mode in ("type", "function", "economic") and not _PART_OF.search(gap):
            # a sentence listing the other classification's classes under a lead-in the reader does
            # not know ("。分科目情况：社会保障和就业支出 …" after the types, "。分经济科目情况：工资福利支出 …"
            # after the functions): that breakdown (read as the list before it, it was listed unread)
            # -- not what a part is spent on ("。主要用于农林水支出 …": parts, not the breakdown)
            other = _other_classification(label, mode)
            if other:
                mode, sub = other, None
        if mode in ("function", "economic"):
            row = put_class_row(builder, f"{prefix}.{mode}", phrase, label, heading, mode)
        elif mode == "type":
            if sub:
                put_class_row(builder, f"{prefix}.{sub}_economic", phrase, label, heading, "economic")
            if not phrase.used and _unnamed_type(prefix, core, label, phrase):
                builder.unread_phrase(phrase, heading, group="expenditure.other_types")


def read_spending_section(builder: RecordBuilder, stream: Stream, phrases: list[Phrase], heading: str,
                   kind: str) -> list[Phrase]:
    """An expenditure, 财政拨款 or general-budget section (:func:`read_expenditure`); of a
    general-budget section going on line by line -- "一般公共预算支出具体安排情况如下：（一）社会保障和就业支出
    （类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）78.34 万元，主要用于…" (河南) -- each 项
    named by its 类/款/项 is an item of the itemised 编制说明's kind (``appropriation.items``, coded from
    its names once the tables are read), where the general budget is the whole appropriation (else the
    lines stay listed, as its other breakdowns).  The phrases left to list unread."""
    from .itemised import classified_items, read_item   # (itemised imports narrative, which imports this module)
    items = classified_items(stream) if kind == "general_budget" else []
    before = [phrase for phrase in phrases if not items or phrase.number_start < items[0][1]]
    read_expenditure(builder, stream, before, heading, kind)
    if not items:
        return phrases
    if not whole_appropriation(builder):   # (worked out once the section's total is read)
        read_expenditure(builder, stream, phrases[len(before):], heading, kind)
        return phrases
    for number, start, end in items:
        read_item(builder, stream, number, start, end, heading)
    return before


def _other_classification(label: str, mode: str) -> str | None:
    """The classification *label* names when it is not *mode*'s ("function" or "economic"; the
    types' parts are economic classes): None when it names both or neither, or *mode*'s own."""
    function, economic = bool(match_function(label)), bool(match_economic(label))
    if function and not economic and mode != "function":
        return "function"
    if economic and not function and mode == "function":
        return "economic"
    return None


# The expenditure table's other types of spending, printed beside 基本支出 and 项目支出 by the
# departments that have them ("事业单位经营支出 10.00 万元"): EXP-016 / EXP-017 add them.
_OTHER_TYPES = (("经营支出", "operating"), ("上缴上级支出", "remit_superior"), ("对附属单位补助支出", "affiliated_subsidy"))


def _other_type(core: str) -> str | None:
    return next((name for ending, name in _OTHER_TYPES if core.endswith(ending)), None)


def _unnamed_type(prefix: str, core: str, label: str, phrase: Phrase) -> bool:
    """Whether an amount of the by-type breakdown that no type or class takes ("；专项业务支出 10.00
    万元" after 项目支出) is a type of spending the reader cannot name: of the 支出 section, named as a
    spending, no class of either classification, no itemised code, an item of the list itself (not
    what a type is spent on: "项目支出 386.00 万元，主要用于规划编制支出 72.00 万元") -- then the types
    read are not all that was printed (EXP-001 / EXP-016 are not evaluable, where EXP-001 failed
    by it)."""
    if prefix != "expenditure" or not core.endswith("支出") or _ITEM_CODE.search(label) is not None:
        return False
    if match_economic(label) or match_function(label):
        return False
    text = phrase.stream.text   # (the clause up to the amount, its label included)
    return _PART_OF.search(text, _opening(text, phrase.start, _CLAUSE_ENDS), phrase.number_start) is None


# (words saying an amount is a part of what its clause names, or what that is spent on; what ends a
# clause in the stream's text, whose punctuation is normalised)
_PART_OF = re.compile(r"用于|其中|包括|包含|含")
_CLAUSE_ENDS = ("；", ";", "。")


def _share_of_row(phrase: Phrase, row: dict) -> bool:
    """Whether *phrase* is the share printed right after a class's amount ("社会保障和就业支出
    94.00 万元，占 8.17%"): of the section's total, which the rows' shares are -- a share of this
    year's part alone ("占本年支出的 …", or in a "本年支出中，…" list) is another figure, and stays
    listed (as _read_shares)."""
    return (phrase.unit == "%" and not phrase.orphan and not phrase.used and "share" not in row
            and bool(SHARE_LABEL.match(phrase.label or "")) and "本年" not in (phrase.label or "")
            and not in_this_years_list(phrase))


# "本年收入中，财政拨款收入 1,150.00 万元，占 92.27%；…", "本年收入预算合计 1,246.40 万元，其中：…": a
# sentence listing this year's part alone (the carry-over aside), whose shares are of that part --
# not of the total the share fields are
_THIS_YEARS_LIST = re.compile(r"本年(?:收入|支出)(?:预算)?(?:合计|总额|总计)?(?:中|当中|之中|[^。；]{0,30}?其中)")


def in_this_years_list(phrase: Phrase) -> bool:
    """Whether *phrase* stands in a sentence that opens a list of this year's part alone."""
    text = phrase.stream.text
    return bool(_THIS_YEARS_LIST.search(text, _opening(text, phrase.start, ("。", "\n\n")), phrase.start))


def _opening(text: str, end: int, stops: tuple[str, ...]) -> int:
    """Where the sentence or clause holding *end* opens: the last of *stops* before it (0: none)."""
    return max(max(text.rfind(stop, 0, end) for stop in stops), 0)


# Why a general-budget section's breakdown is not read (see _read_expenditure).
_GENERAL_BUDGET_PART = "of the general budget alone, where the appropriation has other funds too"
_INCOME_SIDE = "the year's allocation of a fund listed as the appropriation's income, not its spending"
_INCOME_LIST = re.compile(r"收入(?:预算)?(?:包括|包含|中|有)[:：]?")


def _in_income_list(phrase: Phrase) -> bool:
    """Whether *phrase* is listed after "收入包括：" in its sentence (the appropriation's income side)."""
    text = phrase.stream.text
    sentence = text[text.rfind("。", 0, phrase.start) + 1:phrase.start]
    return bool(_INCOME_LIST.search(sentence))


def whole_appropriation(builder: RecordBuilder) -> bool:
    """Whether the general budget is the whole appropriation, as far as the sections read so far
    say: no government-fund or state-capital appropriation other than 0, and no appropriation
    total other than the general budget's.  (Where nothing says, it is: most departments have
    no other appropriation -- as the 一般公共预算基本支出 section is read.)"""
    def value(path: str) -> str | None:
        node = builder.get(path)
        return node.get("value") if isinstance(node, dict) else node
    if any(nonzero(value(f"appropriation.{fund}")) for fund in ("gov_fund", "state_capital")):
        return False
    total, general = value("appropriation.total"), value("appropriation.general_budget")
    if total is None or general is None:
        return True
    try:
        return Decimal(str(total)) == Decimal(str(general))
    except InvalidOperation:   # (not a number: nothing says otherwise)
        return True


def _years_part(builder: RecordBuilder, core: str, mode: str | None, sub: str | None, in_year: bool) -> str | None:
    """The part of the year's general-budget appropriation a general-budget section's figure is
    (``basic`` / ``project``, under 基本支出 ``basic_personnel`` / ``basic_public``), where that
    section cannot be the whole appropriation's because the year's appropriation is read apart from
    it and the appropriation states a carry-over (the central template: 一般公共预算当年拨款 88.00
    beside a 财政拨款收支总预算 of 91.00 that adds the 上年结转 3.00) -- its "一般公共预算基本支出 X 万元，其中：人员经费 …；公用经费 …" are the
    year's, as its 一般公共预算基本支出表 is (*in_year*: the section's 基本支出 was so read, its
    parts follow it).  None otherwise (the figure is read as before)."""
    total, year_total = builder.get("appropriation.total"), builder.get("general_budget_year.total")
    carried = builder.get("appropriation.carryover")
    if not (isinstance(total, dict) and isinstance(year_total, dict) and isinstance(carried, dict)) \
            or same_amount(total.get("value"), year_total.get("value")) or same_amount(carried.get("value"), 0):
        return None
    if mode in (None, "type") and core.endswith(("基本支出", "项目支出")):
        part = "basic" if core.endswith("基本支出") else "project"
    elif in_year and mode == "type" and sub == "basic" and core.endswith(("人员经费", "公用经费")):
        part = "basic_personnel" if core.endswith("人员经费") else "basic_public"
    else:
        return None
    return part if builder.get(f"general_budget_year.{part}") is None else None


def same_amount(a, b) -> bool:
    """Whether two values read are one amount (both printed, equal as numbers)."""
    try:
        return a is not None and b is not None and Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def _mode_in(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, mode in _MODES:
        for found in pattern.finditer(text):
            if best is None or found.start() > best[0]:
                best = (found.start(), mode)
    return best[1] if best else None


def _appropriation_kind(label: str, unit: str) -> str | None:
    found = _APPROPRIATION_KINDS.match(label, unit)
    return found[0].path if found else None


# (every 类 by its standard name, those named like a fund type included: match_fund_class)
FUNCTION_NAMES: dict[str, str] = dict(classification("function").children(None))
# a list item's number starting a label ("6.国有资本经营预算支出 …")
_ENUMERATED = re.compile(r"^\d{1,2}[.、]\s*")


def put_class_row(builder: RecordBuilder, path: str, phrase: Phrase, label: str, heading: str,
                  classification: str) -> dict | None:
    """A class total ("社会保障和就业（类）支出 96.00 万元") as a row of *path* (code, name, standard
    name, amount); the row, or None where the label names no class (an itemised line, an unknown
    name, a class already there)."""
    if _ITEM_CODE.search(label):
        return None        # a 款 or 项 by its code: an itemised line
    whole_class = _CLASS_MARK.sub("", label)
    if is_classification_label(whole_class):
        return None        # an itemised classification line, not a class total
    label = whole_class
    code = match_function(label) if classification == "function" else match_economic(label)
    numbered = _ENUMERATED.match(label) if code is None and classification == "function" else None
    if numbered:
        code = match_fund_class(label[numbered.end():])
    if code is None:
        return None        # left for the unread list, with its label
    standard = FUNCTION_NAMES[code] if classification == "function" else ECONOMIC_CLASSES[code]
    existing = builder.get(path) or []
    for row in existing:
        if row["code"] == code:
            if row["amount"]["value"] != phrase.value:
                builder.unread_phrase(phrase, heading, f"duplicate of {path} row {code}")
            else:
                phrase.used = True
            return None
    phrase.used = True
    name = phrase.label or label
    row = {"code": code, "name": name, "standard_name": standard, "amount": phrase_figure(phrase, heading)}
    builder.append(path, row)
    return row
