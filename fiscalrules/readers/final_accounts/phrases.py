"""The 决算 情况说明 by label and amount: the figures other regions' wording prints, wherever the
template's sentences (:mod:`.narrative`) did not take them.

Each section of the 情况说明 (:class:`.linking.Sections`) is scanned into phrases by the common
scanner (:func:`..common.amounts.scan`: label, amount, change against last year, percentage), the
phrases that only qualify the figure before them are attached to it (:func:`.linking.link`: its
share, completion, budget and change against it), and each figure's label is mapped to a record
path by the section's names.  A path the template's sentences already filled is left
alone, so a document in the template's words reads exactly as before.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...data.classification import classification
from ...document.model import normalise
from ...document.stream import Stream
from ..budget.narrative import INCOME_FIELDS, PROCUREMENT_TOTAL, VEHICLE_KINDS, VEHICLES_HELD, in_count_breakdown
from ..common.amounts import Phrase, attach_named_changes, change_in_unit, scan, word_signed_magnitude
from ..common.labels import Field, NameMap
from ..common.record import RecordBuilder, phrase_figure
from ..common.three_public import QUOTED as QUOTED_THREE
from .clauses import ITEM_NUMBER, add_item, classed_heads, comparison, item_code, jointly_named
from .fund_breakdown import read_fund_breakdowns
from .fund_items import read_fund_items
from .linking import MONEY, SECTION, Linked, Sections, basis_of, budget_before_final, link
from .vocabulary import EXPENDITURE_FINAL, EXPENDITURE_TOTAL, EXPENDITURE_YEAR, INCOME_FINAL, INCOME_TOTAL, INCOME_YEAR

__all__ = ["read_by_phrases", "read_three_public_total", "listed_part", "of_the_total", "NAMES_OF", "NAMED_CHANGE"]

# -- the sections' names ---------------------------------------------------------------------------
# Names as fragments after normalisation (ASCII brackets); a 决算 puts "支出", "决算", "决算数"
# between a name and its number where the budget puts "预算".
_FINAL = r"(?:支出)?(?:决算数?)?"


def _names(*names: str) -> list[str]:
    return [name + _FINAL for name in names]


# ... and what each total is made of, where printed ("收入总计 X 万元，其中：本年收入 A 万元，年初结转和结余
# B 万元；支出总计 X 万元，其中：本年支出 C 万元，年末结转和结余 D 万元": the summary table's lines)
_OVERVIEW = NameMap([
    Field("overview.total", _names(r"收入、?支出(?:决算)?总计", r"收、?支(?:决算)?总计", r"收入(?:决算)?总计",
                                   r"收入、?支出(?:决算)?总额"), MONEY),
    Field("overview.expenditure_total", _names(r"支出(?:决算)?总计"), MONEY),
    # ("本年收入 A 万元" in the template; "本年收入决算 A 万元", "支出决算总计 Y 万元" elsewhere)
    Field("overview.this_year_income", [r"本年收入(?:决算数?)?(?:合计)?"], MONEY),
    Field("overview.non_appropriation_balance", [r"使用非财政拨款结余(?:和专用结余)?"], MONEY),
    Field("overview.opening_balance", [r"(?:年初|上年)结转(?:和|及)?结余"], MONEY),
    Field("overview.this_year_expenditure", [r"本年支出(?:决算数?)?(?:合计)?"], MONEY),
    Field("overview.balance_distribution", [r"结余分配"], MONEY),
    Field("overview.closing_balance", [r"年末结转(?:和|及)?结余"], MONEY),
])
# 四、财政拨款收入支出 the same way ("财政拨款收入总计 X 万元，支出总计 Y 万元。…收入、支出总计各增加 C 万元")
_APPROPRIATION = NameMap([
    Field("appropriation.total", _names(r"财政拨款收入、?支出(?:决算)?总计", r"财政拨款收、?支(?:决算)?总计",
                                        r"财政拨款收入(?:决算)?总计"), MONEY),
    Field("appropriation.expenditure_total", _names(r"财政拨款支出总计", r"支出总计"), MONEY),
    # ("本年财政拨款收入 A 万元" in the template's words, "财政拨款本年收入 A 万元" elsewhere)
    Field("appropriation.this_year_income", [r"(?:本年财政拨款|财政拨款本年)收入(?:合计)?"], MONEY),
    Field("appropriation.opening_balance", [r"(?:年初|上年)财政拨款结转(?:和|及)?结余"], MONEY),
    Field("appropriation.this_year_expenditure", [r"(?:本年财政拨款|财政拨款本年)支出(?:合计)?"], MONEY),
    Field("appropriation.closing_balance", [r"年末财政拨款结转(?:和|及)?结余"], MONEY),
    # (the year's appropriation by fund type, in its place: "其中：一般公共预算财政拨款收入 A 万元，年初财政拨款结转和
    # 结余 B 万元；一般公共预算财政拨款支出 C 万元，…", a department with the one fund type)
    *(Field(f"appropriation.{side}.{fund}", _names(name + word) if side == "expenditure" else [name + word], MONEY)
      for fund, name in (("general_budget", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
                         ("state_capital", "国有资本经营预算财政拨款"))
      for side, word in (("income", "收入"), ("expenditure", "支出"))),
])
# the totals each of those sections prints: (names, the total's path, the expenditure total's)
_TOTALS = {"overview": (_OVERVIEW, "overview.total", "overview.expenditure_total"),
           "appropriation": (_APPROPRIATION, "appropriation.total", "appropriation.expenditure_total")}
# the change of a total named with its word: "与上年相比，收入支出总计增加 C 万元，增长 P%"
NAMED_CHANGE = re.compile(r"(?P<lead>.*?)(?P<word>增加|减少)了?$")
# the income sources the 决算 record keeps (income.sources rows), by the budget narrative's names
_INCOME_CODES = ("appropriation", "superior_subsidy", "business", "operating", "affiliated", "other")
# (one Field for the total: the 决算's names, then the budget's)
_INCOME = NameMap([Field("income.total", [INCOME_TOTAL, INCOME_FINAL, INCOME_YEAR, *next(
                      f for f in INCOME_FIELDS if f.path == "income.total").names], MONEY)]
                  + [f for f in INCOME_FIELDS
                     if f.path.rsplit(".", 1)[-1] in _INCOME_CODES and f.path.startswith("income.sources.")])
# the expenditure parts the 决算 record keeps (expenditure.parts rows), by their template names
_PARTS = {"basic": "基本支出", "project": "项目支出", "operating": "经营支出", "remit_superior": "上缴上级支出",
          "affiliated_subsidy": "对附属单位补助支出"}
_EXPENDITURE = NameMap([
    Field("expenditure.total", [EXPENDITURE_TOTAL, EXPENDITURE_FINAL, EXPENDITURE_YEAR, r"支出总计", r"支出总额", r"总支出"],
          MONEY),
    *(Field(f"expenditure.parts.{code}", [name], MONEY) for code, name in _PARTS.items()),
])
# 六、基本支出 as other regions word it ("…基本支出 X 万元，比上年增加 C 万元。其中：人员经费 A 万元；公用经费
# B 万元", "包括人员经费 A 万元和公用经费 B 万元"): the template's sentence reads its own wording
_BASIC = NameMap([
    Field("basic.total", _names(r"(?:一般公共预算)?(?:财政拨款)?基本支出"), MONEY),
    Field("basic.personnel", [r"人员经费(?:支出)?"], MONEY),
    Field("basic.public", [r"(?:日常)?公用经费(?:支出)?"], MONEY),
])
# (the names of 二、三、六 by section kind: .year_changes gives their figures the changes printed there)
NAMES_OF = {"income": _INCOME, "expenditure": _EXPENDITURE, "basic": _BASIC}
_OPERATING = NameMap([Field("operating_costs", _names(r"机关运行(?:经)?费(?:用)?(?:\(日常公用经费\))?(?:财政拨款)?"), MONEY)])
_PROCUREMENT = NameMap([
    # ("政府采购金额（以合同签订为准）为 X 万元" as the template says it, "政府采购支出总额 X 万元",
    # "政府采购合同金额 X 万元", "政府采购资金 X 万元")
    Field("procurement.total", _names(*PROCUREMENT_TOTAL,
                                      r"政府采购(?:支出)?(?:合同)?(?:总)?(?:金额|总额)(?:\(以合同(?:签订|金额)?为准\))?"), MONEY),
    Field("procurement.goods", _names(r"(?:政府采购)?货物(?:类|采购)?"), MONEY),
    Field("procurement.works", _names(r"(?:政府采购)?工程(?:类|采购)?"), MONEY),
    Field("procurement.services", _names(r"(?:政府采购)?服务(?:类|采购)?"), MONEY),
    # (the template's "授予中小企业合同金额", or "(主动)向中小企业授予(的)合同总额", "授予小微企业合同")
    *(Field(f"procurement.{key}", [rf"(?:主动)?(?:向)?{firms}企业授予(?:的)?(?:采购)?合同(?:总?金额|总额)?",
                                   rf"授予{firms}企业(?:的)?(?:采购)?合同(?:总?金额|总额)?"], MONEY)
      for key, firms in (("sme_contracts", "中小"), ("small_contracts", "小微"))),
])
_CONTRACTS = ("procurement.sme_contracts", "procurement.small_contracts")
_THREE_PUBLIC = NameMap([
    Field("three_public", _names(r"(?:财政拨款)?" + QUOTED_THREE + r"经费(?:财政拨款)?"), MONEY),
    Field("three_public.overseas", _names(r"因公出国(?:\(境\))?(?:费用?|经费)?"), MONEY),
    Field("three_public.vehicle", _names(r"公务用车购置(?:及|和|与)运行(?:维护|维修)?(?:费用?)?"), MONEY),
    Field("three_public.reception", _names(r"公务接待(?:费用?)?"), MONEY),
])
# 五（三）: the total before the numbered 项 ("一般公共预算财政拨款支出决算数为 F 万元"), and in a 项 its
# budget and final figure
_GENERAL = NameMap([Field("general_budget", _names(r"一般公共预算财政拨款"), MONEY)])
_ITEM = NameMap([
    Field("budget", [r"年初预算(?:数|安排)?"], MONEY),
    Field("adjusted_budget", [r"(?:全年|调整后?)预算(?:数|安排)?"], MONEY),
    Field("final", [r"(?:支出)?决算(?:数)?", r"实际支出"], MONEY),
])
_ITEM_HEAD = re.compile(ITEM_NUMBER + r"(?P<cls>[^(。]+)\(类\)(?P<kuan>[^(。]+)\(款\)(?P<xiang>[^(。]+)\(项\)。?")
# Where no 项 is numbered: each at a sentence's start, its code printed after it ("…。社会保障和就业支出
# （类）…（项）2080502：年初预算 B 万元…")
_UNNUMBERED_ITEM_HEAD = re.compile(r"(?:(?<=。)|^)(?P<cls>[^(。:;,]+)\(类\)(?P<kuan>[^(。]+)\(款\)(?P<xiang>[^(。]+)\(项\)"
                                   r"(?:\[?\d{7}\]?)?[。:]?")
# The budget narrative's vehicle kinds, under the 决算 record's keys
_VEHICLE_KEYS = {"leader_ministerial": "minister", "leader_principal": "leader"}
VEHICLE_NAMES = NameMap([
    Field("assets.vehicles.total", VEHICLES_HELD, ("辆",)),
    *(Field("assets.vehicles.kinds." + _VEHICLE_KEYS.get(kind, kind), names, ("辆",)) for kind, names in VEHICLE_KINDS),
])
# "单位价值 100 万元以上设备 0 台（套）" (the 100 万元 is the threshold the count is by), or by kind as the
# national template counts them: "单位价值 50 万元以上通用设备 N 台（套），单位价值 100 万元以上专用设备 M 台（套）"
_EQUIPMENT = re.compile(r"(?:单位价值|单价)[^,;。]*以上(?:的)?(?:大型)?(?:仪器)?(?P<kind>通用|专用)?设备(?:\(不含车辆\))?$")
# ("资产总额 X 万元", "共有资产总计 X 万元", "国有资产总额为 X 万元": the 国有资产占用情况表's 资产总额)
_ASSETS_TOTAL = re.compile(r"资产(?:总额|总计|合计)$")
_EQUIPMENT_KINDS = {"通用": "assets.general_equipment", "专用": "assets.special_equipment", None: "assets.large_equipment"}


def _absent(builder: RecordBuilder, path: str) -> bool:
    return builder.get(path) is None


def _put(builder: RecordBuilder, path: str, fig: dict, phrase: Phrase) -> bool:
    """Write a figure the template's sentences left absent."""
    if not _absent(builder, path):
        return False
    phrase.used = True
    return builder.put(path, fig, section=SECTION, lines=phrase.lines)


def _pct(phrase: Phrase) -> dict:
    return phrase_figure(phrase, SECTION)


def _mapped(items: list[Linked], names: NameMap) -> list[tuple[str, Linked]]:
    out = []
    for item in items:
        found = names.match(item.name, item.phrase.unit)
        if found is not None:
            out.append((found[0].path, item))
    return out


def read_by_phrases(builder: RecordBuilder, sections: Sections) -> list:
    """Read what the template's sentences left of the 情况说明's *sections*; the classification
    names of the items read here, as :func:`.narrative.read_narrative` returns them."""
    names: list = []
    for kind, reader in (("overview", _read_totals), ("appropriation", _read_totals), ("income", _read_parts),
                         ("expenditure", _read_parts), ("basic", _read_basic),
                         ("operating_costs", _read_operating), ("procurement", _read_procurement),
                         ("assets", _read_assets)):
        for heading, stream in sections.of(kind):
            reader(builder, stream, kind)
    for heading, stream in sections.of("general_budget"):
        _read_general_budget(builder, stream, names)
    for heading, stream in sections.of("three_public"):
        _read_budget_changes(builder, link(scan(stream)), _THREE_PUBLIC)
    read_fund_items(builder, sections)
    return names


def _read_totals(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    """一、/ 四、the grand total (income, with its change) and the expenditure total where printed apart."""
    names, total_path, spent_path = _TOTALS[kind]
    phrases = scan(stream)
    # ("。收入支出总计比上年增加 C 万元": the total's change in a sentence of its own)
    attach_named_changes(phrases, names, lambda phrase: _path_of(phrase, names))
    items = link(phrases)
    pairs = _mapped(items, names)
    mapped = dict(pairs)
    total = mapped.get(total_path)
    if total is not None and _absent(builder, total_path):
        if total.change is None:
            _change_named(phrases, total, names, total_path)
        _put(builder, total_path, total.figure(SECTION), total.phrase)
        spent = mapped.get(spent_path)
        if spent is not None:
            _put(builder, spent_path, phrase_figure(spent.phrase, SECTION), spent.phrase)
    for path, item in pairs:   # (what the totals are made of: read whichever sentence read the totals)
        if item.phrase.used:
            continue
        if path != total_path and _absent(builder, path):
            _put(builder, path, phrase_figure(item.phrase, SECTION), item.phrase)
        elif path in (total_path, spent_path) and _printed_again(builder.get(path), item.phrase):
            # a total printed again, heading its breakdown ("（一）收入决算总计 X 万元。包括：本年收入决算 A 万元，…"):
            # its amount read where it is printed (a different amount is left to the unread list).  Not the
            # change the scan gave it, which may be another figure's ("…总计 X 万元。与上年相比，…总计增加 C
            # 万元，…主要原因：项目支出增加，较上年增加 D 万元": D is no change of the total)
            item.phrase.used = True
            again = phrase_figure(item.phrase, SECTION)
            for key in ("change", "pct"):
                again.pop(key, None)
            again["source"].pop("change_line", None)
            builder.put(path, again, section=SECTION, lines=item.phrase.lines)
    if kind == "appropriation":     # (each of its parts broken down by fund type: .fund_breakdown)
        read_fund_breakdowns(builder, items, {id(item): path for path, item in pairs})


def _printed_again(held, phrase: Phrase) -> bool:
    """Whether *phrase* prints the amount of the figure *held* again, on another line (on its own
    line it is that figure's own printing, or counted with it)."""
    if not isinstance(held, dict) or not isinstance(held.get("source"), dict):
        return False
    line = held["source"].get("value_line", held["source"].get("line"))
    try:
        same = Decimal(str(held.get("value"))) == Decimal(phrase.value.replace(",", ""))
    except (InvalidOperation, ValueError):
        return False
    return same and phrase.stream.lines_of(phrase.number_start, phrase.number_end)[0] != line


def _change_named(phrases: list[Phrase], total: Linked, names: NameMap, path: str) -> None:
    """*total*'s change where a later figure is it, named by the total and its word ("与 2023 年度
    相比，收入支出总计增加 60.60 万元，增长 5.18%": after the total's breakdown, no comparison just
    before the word -- a figure to the scan, not a change)."""
    for phrase in phrases[phrases.index(total.phrase) + 1:]:
        found = NAMED_CHANGE.match(phrase.raw_label)
        if found is None or phrase.used or phrase.orphan or phrase.unit not in MONEY:
            continue
        named = names.match(found.group("lead"), phrase.unit)
        carried = change_in_unit(phrase.value, phrase.unit, total.phrase.unit)
        if named is not None and named[0].path == path and carried is not None:
            total.change, total.pct = word_signed_magnitude(carried, found.group("word")), phrase.pct
            phrase.used = True
            return


def _path_of(phrase: Phrase, names: NameMap) -> str | None:
    found = names.match(phrase.raw_label, phrase.unit)
    return found[0].path if found else None


def _read_parts(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    """二、收入决算 / 三、支出决算: the total and its parts, each with its share."""
    names, rows = (_INCOME, "income.sources") if kind == "income" else (_EXPENDITURE, "expenditure.parts")
    if not (_absent(builder, f"{kind}.total") and _absent(builder, rows)):
        return
    items = link(scan(stream))
    mapped = {id(item): path for path, item in _mapped(items, names)}
    since = None    # where the total's parts start (after the total and its change)
    for item in items:
        path = mapped.get(id(item))
        if path == f"{kind}.total":
            _put(builder, path, item.figure(SECTION), item.phrase)
            since = item.phrase.end
            continue
        # (as the template's sentence reads them, .narrative: an item of a part's own breakdown is
        # not a part; a part under a name the template does not have, its share printed, is one)
        if item.only_change or since is not None and not listed_part(stream.text, item.phrase.start, since):
            continue
        if since is not None and not item.phrase.used:
            # ("经营收入、附属单位上缴收入均为 0 万元": the one figure each part's)
            joint = jointly_named(stream.text, item.phrase.number_start,
                                  lambda name: _part_code(names, name, item.phrase.unit) is not None)
            if joint:
                held = {r.get("code") for r in builder.get(rows) or []}
                for name in joint:
                    if _part_code(names, name, item.phrase.unit) not in held:
                        row = {"code": _part_code(names, name, item.phrase.unit), "name": name,
                               "amount": {**phrase_figure(item.phrase, SECTION), "label": name}}
                        builder.append(rows, row, section=SECTION)
                item.phrase.used = True
                continue
        if path is None:
            if since is None or item.share is None or item.phrase.used or not of_the_total(item.share.raw_label):
                continue
            code = ""
        else:
            code = path.rsplit(".", 1)[-1]
            if any(r.get("code") == code for r in builder.get(rows) or []):
                continue
        row = {"code": code, "name": item.phrase.label, "amount": item.figure(SECTION)}
        if item.share is not None:
            row["share"] = _pct(item.share)
        item.phrase.used = True
        builder.append(rows, row, section=SECTION)


def _part_code(names: NameMap, name: str, unit: str) -> str | None:
    """The code of the part *name* is the whole of (not the total): "经营收入" is ``operating``."""
    found = names.match(name, unit)
    if found is None or found[1].start("name") != 0 or found[0].path.endswith(".total"):
        return None
    return found[0].path.rsplit(".", 1)[-1]


def listed_part(text: str, at: int, since: int = 0) -> bool:
    """Whether the figure at *at* of a list of a total's parts (*text* from *since*: after the
    total, or its "其中：") is one of those parts, not an item of a part's own breakdown: not in
    brackets left open ("事业收入 X 万元（其中：培训收入 Y 万元…"), nor after a 其中 in the clause
    it ends ("财政拨款收入 X 万元，其中：项目资金收入 Y 万元"; the parts are separated by "；").  What
    opens the list, before the first part's figure ("（其中："), is the list's own."""
    first = _DIGIT.search(text, since, at)
    if first is None:
        return True
    depth, outside = 0, []   # (one pass: what stands outside brackets, and brackets left open)
    for c in text[first.start():at]:
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)   # (a breakdown over)
        elif not depth:
            outside.append(c)
    return not depth and "其中" not in re.split(r"[；;]", "".join(outside))[-1]


def of_the_total(words: str) -> bool:
    """Whether a share's words take it of the list's total ("占 S%", "所占比重为 S%", "占本年收入合计的
    S%"), not of something else ("占基本支出的 S%": a part's breakdown, "人员经费 A 万元，占基本支出
    的 S%；公用经费 B 万元，占基本支出的 T%" -- its second item after a "；")."""
    found = _SHARE_OF.search(words)
    return found is None or _TOTAL_WORDS.search(found.group(1)) is not None


_SHARE_OF = re.compile(r"占(.*?)的")
_TOTAL_WORDS = re.compile(r"本年|合计|总|全部|^(?:收入|支出)$")
_DIGIT = re.compile(r"\d")


def _read_basic(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    """六、the 基本支出 and its two parts, where the template's sentence did not read them."""
    if not _absent(builder, "basic.total"):
        return
    for path, item in _mapped(link(scan(stream)), _BASIC):
        if _absent(builder, path):
            _put(builder, path, item.figure(SECTION), item.phrase)


def _read_operating(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    if not _absent(builder, "operating_costs"):
        return
    for path, item in _mapped(link(scan(stream)), _OPERATING):
        _put(builder, path, item.figure(SECTION), item.phrase)
        return


def _read_procurement(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    """The total and its goods / works / services where the template's sentence did not read them; the
    contracts awarded to small firms in any wording, with their share: of the procurement total
    ("占政府采购支出总额的 S%"), or the small firms' of the SMEs' ("占授予中小企业合同金额的 T%")."""
    total_read = not _absent(builder, "procurement.total")
    for path, item in _mapped(link(scan(stream)), _PROCUREMENT):
        if path not in _CONTRACTS and total_read:
            continue
        if not _put(builder, path, item.figure(SECTION), item.phrase) or item.share is None:
            continue
        words = item.share.raw_label
        if path == "procurement.small_contracts" and "中小企业" in words:
            _put(builder, "procurement.small_contracts_share_of_sme", _pct(item.share), item.share)
        elif "采购" in words or not _SHARE_OF.search(words):
            _put(builder, path + "_share", _pct(item.share), item.share)


def _read_assets(builder: RecordBuilder, stream: Stream, kind: str) -> None:
    """"共有车辆 N 辆，其中，副部（省）级及以上领导用车 N 辆…其他用车 N 辆；单位价值 100 万元以上设备
    N 台（套）": counts, not money (the 100 万元 is the equipment's threshold).  A kind the template's
    sentence did not know is added to what it read; a count naming nothing known is listed (a
    vehicle left out would make the kinds disagree with the total)."""
    for phrase in scan(stream):
        if phrase.orphan or phrase.used:
            continue
        if phrase.unit == "辆":
            found = VEHICLE_NAMES.match(phrase.raw_label, phrase.unit)
            if found is None or in_count_breakdown(stream.text, phrase.start):
                # (a kind's own breakdown, "其他用车 5 辆（校车 3 辆、一般公务用车 2 辆）": listed)
                builder.unread_phrase(phrase, SECTION)
            elif not _put(builder, found[0].path, phrase_figure(phrase, SECTION), phrase):
                phrase.used = True          # read by the template's sentence
        elif phrase.unit in MONEY and _ASSETS_TOTAL.search(phrase.raw_label):
            _put(builder, "assets.total", phrase_figure(phrase, SECTION), phrase)
        elif phrase.unit in ("台", "套"):
            found = _EQUIPMENT.search(stream.text, max(0, phrase.start - 40), phrase.number_start)
            if found:
                _put(builder, _EQUIPMENT_KINDS[found.group("kind")], phrase_figure(phrase, SECTION), phrase)

# -- against the budget: 五（三） and 七 ------------------------------------------------------------------

def _budget_figures(builder: RecordBuilder, base: str, item: Linked, row: dict | None = None) -> None:
    """The completion, budget and change against the budget printed with *item*, at *base*
    (``general_budget``, ``three_public``, ``three_public.overseas`` …) or into *row* (a 项)."""
    def put(key: str, fig: dict, phrase: Phrase) -> None:
        if row is not None:
            row.setdefault(key, fig)
            phrase.used = True
        else:
            _put(builder, f"{base}.{key}", fig, phrase)
    if item.completion is not None:
        put("completion", _pct(item.completion), item.completion)
        if row is None and base == "general_budget" and _absent(builder, "general_budget.basis"):
            builder.put("general_budget.basis", item.basis or "年初预算")
    if item.budget is not None:
        budget = phrase_figure(item.budget, SECTION)
        budget.pop("change", None)
        budget.pop("pct", None)
        put("budget", budget, item.budget)
    change, pct = item.against_budget()
    if change is None:
        return
    phrase = item.budget if item.budget is not None and item.budget.change is not None else item.budget_change
    fig = phrase_figure(phrase, SECTION)
    fig.pop("pct", None)
    fig.pop("change", None)
    fig["value"] = change
    fig.pop("printed", None)
    put("budget_change", fig, phrase)
    if pct is not None:
        put("budget_change_pct", {**fig, "value": pct, "unit": "%"}, phrase)


def _read_budget_changes(builder: RecordBuilder, items: list[Linked], names: NameMap) -> None:
    """"决算数比年初预算减少 C 万元，下降 P%，其中：因公出国（境）费支出决算比年初预算减少 …": each
    change against the budget at the figure its words name (never a change against last year)."""
    for path, item in _mapped(items, names):
        if item.budget_change is not None or item.budget is not None:
            if _absent(builder, f"{path}.budget_change"):
                _budget_figures(builder, path, item)


def read_three_public_total(builder: RecordBuilder, sections: Sections) -> dict | None:
    """七（一）'s total and items in other words ("“三公”经费财政拨款支出决算数为 F 万元，比年初预算数 B
    万元减少 C 万元，完成年初预算的 P%。其中：因公出国（境）费决算数为 …"): the figures the template's
    sentence gives, and the final figure (to which the change against last year is added)."""
    for heading, stream in sections.of("three_public"):
        items = budget_before_final(link(scan(stream)))
        end = total_end = None
        for path, item in _mapped(items, _THREE_PUBLIC):
            if item.only_change or not _absent(builder, f"{path}.final"):
                continue
            if path == "three_public" and not (item.budget or item.completion or item.change is not None):
                # a restatement, not the sentence stating the total against its budget or last year
                # ("…支出决算为 F 万元，比 2022 年度减少 C 万元，下降 P%", the total's one sentence in regions)
                continue
            _put(builder, f"{path}.final", item.figure(SECTION), item.phrase)
            _budget_figures(builder, path, item)
            end = max(end or 0, _after(item))
            if path == "three_public":
                total_end = _after(item)
        if end is not None and not _absent(builder, "three_public.final"):
            word, reason, _ = _comparison(stream, end, len(stream.text))
            if word is None and reason is None and total_end is not None:
                # the comparison right after the total's sentence, before its items ("…完成预算的 P%，
                # 决算数小于预算数的主要原因是：…。其中：因公出国（境）费预算为 …")
                word, reason, _ = _comparison(stream, total_end, len(stream.text))
            if word:
                builder.put("three_public.comparison", word)
            if reason is not None:
                builder.put("three_public.reason", reason)
            return builder.get("three_public.final")
    return None


def _read_general_budget(builder: RecordBuilder, stream: Stream, names: list) -> None:
    """五（三）: the total against its budget before the numbered 项, then each 项 the template's
    sentence did not take ("年初预算 B 万元，支出决算 F 万元，比年初预算减少 C 万元，完成年初预算的 P%")."""
    heads = list(_ITEM_HEAD.finditer(stream.text)) or list(_UNNUMBERED_ITEM_HEAD.finditer(stream.text)) \
        or classed_heads(stream.text)
    overall_end = heads[0].start() if heads else len(stream.text)
    wanted = _absent(builder, "general_budget.total") or _absent(builder, "general_budget.final")
    phrases = scan(stream, 0, overall_end) if wanted else []   # (五（一） and 五（三）'s totals: one scan)
    items = link(phrases)
    if _absent(builder, "general_budget.total"):
        # 五（一） worded otherwise ("…支出决算数为 X 万元，占本年支出合计的 S%，比 2023 年度决算数增加 C
        # 万元"): the total with its share of the year's spending and its change (in a sentence of
        # its own too: "。与 2023 年度相比，一般公共预算财政拨款支出增加 C 万元")
        for path, item in _mapped(items, _GENERAL):
            if item.share is None or item.budget or item.completion or item.budget_change \
                    or not of_the_total(item.share.raw_label):
                continue
            if item.change is None:
                _change_named(phrases, item, _GENERAL, path)
            _put(builder, "general_budget.total", item.figure(SECTION), item.phrase)
            _put(builder, "general_budget.share", _pct(item.share), item.share)
            break
    if _absent(builder, "general_budget.final"):
        for path, item in _mapped(items, _GENERAL):
            if not (item.budget or item.completion or item.budget_change):
                continue            # 五（一）/（二）'s restatements: not the total against its budget
            _put(builder, "general_budget.final", phrase_figure(item.phrase, SECTION), item.phrase)
            _budget_figures(builder, "general_budget", item)
            word, reason, against = _comparison(stream, _after(item), overall_end)
            if word and _absent(builder, "general_budget.comparison"):
                builder.put("general_budget.comparison", word)
                if against:
                    builder.put("general_budget.comparison_against", against)
            if reason is not None and _absent(builder, "general_budget.reason"):
                builder.put("general_budget.reason", reason)
            break
    if not heads:
        return
    rows = builder.get("general_budget.items") or []
    known = {normalise(str(r.get("name", ""))).replace(" ", "") for r in rows}
    claimed = {r.get("code") for r in rows if r.get("code")}
    table_rows = [(r["code"], "".join(str(r.get("name") or "").split()))
                  for r in (builder.get("tables.general_budget.rows") or []) if len(r.get("code", "")) == 7]
    fn = classification("function")
    for i, head in enumerate(heads):
        name = f"{head.group('cls')}(类){head.group('kuan')}(款){head.group('xiang')}(项)"
        if name in known:
            continue
        # (a 项 under its 类's heading ends where the next 类's heading starts)
        end = getattr(heads[i + 1], "cut", heads[i + 1].start()) if i + 1 < len(heads) else len(stream.text)
        _read_item(builder, stream, head, end, fn, table_rows, claimed, names)


def _comparison(stream: Stream, start: int, end: int) -> tuple[str | None, str | None, str | None]:
    """:func:`.clauses.comparison` of the stream's text from *start* to *end*, its reason as printed
    (the stream's text is normalised: "，" is "," there)."""
    word, reason, against = comparison(stream.text[start:end].lstrip("。;,"), loose=True)
    at = stream.text.find(reason, start, end) if reason else -1
    if at >= 0:
        reason = re.sub(r"\s+", "", stream.excerpt(at, at + len(reason))) or reason
    return word, reason, against


def _after(item: Linked) -> int:
    return max(p.end for p in (item.phrase, item.completion, item.budget, item.budget_change) if p is not None)


def _read_item(builder: RecordBuilder, stream: Stream, head: re.Match, end: int, fn, table_rows: list,
               claimed: set, names: list) -> None:
    figures = {}
    for path, item in _mapped(link(scan(stream, head.end(), end)), _ITEM):
        figures.setdefault(path, item)
    final, budget, adjusted = figures.get("final"), figures.get("budget"), figures.get("adjusted_budget")
    if budget is None:
        budget, adjusted = adjusted, None       # the year-end budget alone: the budget it states
    if final is None or budget is None:
        return
    cls, kuan, xiang = head.group("cls"), head.group("kuan"), head.group("xiang")
    code = item_code(fn, cls, kuan, xiang, table_rows, claimed)
    row = {"code": code or "", "name": f"{cls}（类）{kuan}（款）{xiang}（项）",
           "budget": phrase_figure(budget.phrase, SECTION), "basis": basis_of(budget.phrase.label),
           "final": phrase_figure(final.phrase, SECTION)}
    budget.phrase.used = final.phrase.used = True
    if adjusted is not None:
        # both budgets printed: the rate is of the one it names ("完成调整预算的"), never a guess
        row["adjusted_budget"] = phrase_figure(adjusted.phrase, SECTION)
        adjusted.phrase.used = True
        if final.completion is not None:
            if not final.named_basis:
                builder.unread_phrase(final.completion, SECTION)
                final.completion.used, final.completion = True, None
            else:
                row["basis"] = final.basis
    _budget_figures(builder, "", final, row)
    word, reason, against = _comparison(stream, _after(final), end)
    if word:
        row["comparison"] = word
    if against:
        row["comparison_against"] = against
    row["reason"] = reason or ""
    add_item(builder, row, (cls, kuan, xiang), stream.lines_of(head.start(), head.end())[0], claimed, names)
