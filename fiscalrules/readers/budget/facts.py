"""Facts about the document itself: publisher, government level, budget year and kind, the level
named in the glossary, and every year the document mentions with the year the template expects.
"""

from __future__ import annotations

import re
from collections import Counter

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import NONE_THAT_YEAR, number_value
from ..common.record import RecordBuilder, figure, source
from .sections import Layout

__all__ = ["read_document_facts", "level_of", "YEAR"]

# A year is not the tail of a longer number ("12,024 年" never occurs; "，2024 年" after a comma does).
# Each way a year starts ("19", "20", "2,0") begins with its digit and checks the look-behinds (no
# digit or point, no digit and comma, before that digit) after it: the same matches as
# "(?<![\d.])(?<!\d,)(?P<year>(?:19|20)\d{2}|2,0\d{2})", but re skips to the next 1 or 2 in C
# instead of trying the look-behinds at every character of every section (tests/test_reader_patterns.py).
YEAR = re.compile(r"(?P<year>(?:1(?<![\d.]1)(?<!\d,1)9|2(?<![\d.]2)(?<!\d,2)0)\d{2}|2(?<![\d.]2)(?<!\d,2),0\d{2})(?=年)")
# "2025 年部门预算", "2025年区级部门预算" (the level of government may stand before the kind).
# ("2025年部门综合预算", as 陕西 and others title it: the same 部门预算)
_KIND = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?P<level>(?:省|市|区|县|乡|镇)级)?(?P<kind>部门|单位)(?:综合)?预算")

# The deepest administrative division in a publisher's name gives its level.
_DIVISIONS = re.compile(
    r"^(?P<province>[\u4e00-\u9fff]{2,7}?(?:省|自治区))?"
    r"(?P<city>[\u4e00-\u9fff]{2,6}?(?:市|自治州|地区|盟))?"
    r"(?P<county>[\u4e00-\u9fff]{2,6}?(?:自治县|区|县|旗|市))?"
    r"(?P<township>[\u4e00-\u9fff]{2,5}?(?:乡|镇|街道))?")
_LEVEL_NAMES = {"province": "省级", "city": "市级", "county": None, "township": "乡级"}
_GLOSSARY_LEVEL = re.compile(r"(?:指|是|与|使用)(?P<level>省级|市级|县级|区级|乡镇级|乡级|镇级|本级|中央|县\(区\)级|州级)"
                             r"(?:财政|预算主管部门)")
# The tier each word for a level of government names: a 区 is a county-level division, a 镇 and a
# 乡 are one tier (乡镇级), a 州 is city-level.  The glossary and the publisher agree when their
# tiers do, whatever word each uses.
_TIERS = {"省级": "省级", "市级": "市级", "州级": "市级", "县级": "县级", "区级": "县级", "县(区)级": "县级",
          "乡级": "乡级", "镇级": "乡级", "乡镇级": "乡级", "中央": "中央"}


def level_of(publisher: str) -> str | None:
    """"景德镇市珠山区医疗保障局" → 区级, "赣州市医疗保障局" → 市级, "江西省医疗保障局" → 省级."""
    found = _DIVISIONS.match(publisher)
    if not found:
        return None
    level = None
    for group in ("province", "city", "county", "township"):
        name = found.group(group)
        if not name:
            continue
        if group == "county":
            level = "区级" if name.endswith("区") else "县级"
        else:
            level = _LEVEL_NAMES[group]
    return level


def read_document_facts(builder: RecordBuilder, doc: Document, layout: Layout) -> None:
    _read_publisher(builder, doc, layout)
    _read_year_and_kind(builder, doc, layout)
    _read_glossary_level(builder, doc, layout)
    _read_years(builder, doc, layout)


# -- publisher ------------------------------------------------------------------------------------

_NAME_FIELDS = ("部门名称", "预算主管部门", "预算单位名称")


def _candidates(doc: Document, layout: Layout) -> list[list[tuple[str, int]]]:
    tiers: list[list[tuple[str, int]]] = [[], [], [], [], []]
    for number, kind, heading in layout.parts:
        found = re.match(r"第.{1,3}部分(?P<name>.+?)(?:部门|单位)?(?:概况|基本情况)$",
                         "".join(heading.split()))
        if kind == "overview" and found and found.group("name") not in ("部门", "单位", "本部门"):
            tiers[0].append((found.group("name"), number))
    for line in doc.lines:
        text = line.compact
        # Each pattern starts with, or holds, a fixed word: lines without it (nearly all) are
        # passed over without a regex call.
        found = text.startswith(_NAME_FIELDS) and \
            re.match(r"(?:部门名称|预算主管部门|预算单位名称)[:]?(?P<name>[\u4e00-\u9fff()]{3,40})$", text)
        if found:
            tiers[1].append((found.group("name"), line.number))
        found = ("填报单位" in text and
                 re.search(r"填报单位[:]?(?:\[\d+\])?(?P<name>[\u4e00-\u9fff()]{3,40})", text)) or \
            ("编制" in text and
             re.search(r"编制(?:部门|单位)[:](?P<name>[\u4e00-\u9fff()]{3,40}?)(?=(?:金额)?单位[:]|$)", text))
        if found:
            tiers[2].append((found.group("name"), line.number))
    for number in layout.title_lines:
        found = re.match(r"(?P<name>[\u4e00-\u9fff()]{3,40}?)\d{4}年度?(?:部门|单位)预算",
                         doc.line(number).compact)
        if found:
            tiers[3].append((found.group("name"), number))
    for section in layout.sections:
        if section.kind in ("income", "expenditure"):
            stream = section.stream(doc)
            found = re.search(r"\d{4}年度?(?P<name>[\u4e00-\u9fff()]{3,40}?)(?:收入|支出)预算总额",
                              stream.text)
            if found:
                tiers[4].append((found.group("name"), stream.line_at(found.start("name"))))
    return tiers


def _read_publisher(builder: RecordBuilder, doc: Document, layout: Layout) -> None:
    for tier in _candidates(doc, layout):
        if tier:
            name, number = max(tier, key=lambda item: len(item[0]))
            src = source(doc.name, None, number, doc.line(number).original.strip())
            builder.put("doc.publisher", figure(name, src=src))
            stated = _stated_level(doc)
            if stated:
                number = stated[1]
                builder.put("doc.level", figure(stated[0], src=source(
                    doc.name, None, number, doc.line(number).original.strip())))
                return
            level = level_of(name)
            if level:
                builder.put("doc.level", figure(level, src=src))
            return


def _stated_level(doc: Document) -> tuple[str, int] | None:
    """The level a title states ("2025年区级部门预算"): the document's own word for it wins
    over the level derived from the publisher's name."""
    for line in doc.lines:
        if "预算" not in line.compact:   # in every match: most lines are passed over without the pattern
            continue
        for found in _KIND.finditer(line.compact):
            if found.group("level"):
                return found.group("level"), line.number
    return None


# -- year, kind, glossary level -------------------------------------------------------------------

def _read_year_and_kind(builder: RecordBuilder, doc: Document, layout: Layout) -> None:
    years: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for line in doc.lines:
        if "预算" not in line.compact:   # in every match (see _stated_level)
            continue
        for found in _KIND.finditer(line.compact):
            years[found.group("year")] += 1
            kinds[found.group("kind") + "预算"] += 1
            first_seen.setdefault(found.group("year"), line.number)
            first_seen.setdefault(found.group("kind") + "预算", line.number)
    if years:
        year = max(years, key=lambda y: (years[y], -first_seen[y]))
        number = first_seen[year]
        builder.put("doc.year", figure(year, src=source(doc.name, None, number,
                                                         doc.line(number).original.strip())))
    if kinds:
        kind = max(kinds, key=lambda k: (kinds[k], -first_seen[k]))
        number = first_seen[kind]
        builder.put("doc.kind", figure(kind, src=source(doc.name, None, number,
                                                         doc.line(number).original.strip())))


def _read_glossary_level(builder: RecordBuilder, doc: Document, layout: Layout) -> None:
    glossary = [s for s in layout.sections if s.part == "glossary"]
    if not glossary:
        return
    stream = doc.stream(glossary[0].first, max(s.last for s in glossary))
    found = _GLOSSARY_LEVEL.search(stream.text)
    if not found or found.group("level") == "本级":
        return   # "本级财政" is the publisher's own finance, whatever its level: nothing to compare
    stated = found.group("level")
    published = builder.get("doc.level")
    published = published.get("value") if isinstance(published, dict) else published
    tier = _TIERS.get(stated)
    if published and tier == _TIERS.get(published):
        value = published      # the same tier in other words (镇级 / 乡级, 县(区)级 / 区级)
    elif tier == "县级" and _TIERS.get(published) == "市级" and _lone_city(builder):
        return   # "青山市" may be a county-level city: its level cannot be told from its name
    else:
        value = stated
    lines = stream.lines_of(*found.span())
    sentence = re.search(r"[^。]*" + re.escape(found.group(0)) + r"[^。]*", stream.text)
    text = stream.excerpt(*sentence.span()) if sentence else stream.excerpt(*found.span())
    builder.put("doc.glossary_level", figure(value, printed=stated if value != stated else None, src=source(
        doc.name, glossary[0].heading, lines[0], text)))


def _lone_city(builder: RecordBuilder) -> bool:
    """Whether the publisher's level was read off a name whose deepest division is a 市 with no
    province before it ("青山市自然资源局"): a prefecture-level city or a county-level one."""
    publisher = builder.get("doc.publisher")
    name = publisher.get("value") if isinstance(publisher, dict) else publisher
    found = _DIVISIONS.match(name or "")
    return bool(found and found.group("city") and found.group("city").endswith("市")
                and not (found.group("province") or found.group("county") or found.group("township")))


# -- years ----------------------------------------------------------------------------------------

_EXPECTED = {
    "title": "budget_year", "heading": "budget_year", "headcount": "budget_year",
    "narrative": "budget_year", "comparison": "prior_year", "as_of_date": "prior_year",
    "glossary_carryover": "prior_year", "glossary_balance": "budget_year", "glossary": "any",
    "table_header": "budget_year", "table_header_prior": "prior_year", "performance_table": "budget_year", "project": "any",
    "duties": "any", "prior_execution": "prior_year", "citation": "any", "table": "any", "past": "any",
}


# a year stating a budget's figure: "2025 年预算数为 18.00 万元"
_STATES_BUDGET = re.compile(r"年度?预算数?(?:为|是)")


# what is done by a year: "于 2025 年完工", "在 2024 年底前全部完成"
_DONE_BY = re.compile(r"年度?(?:底|末|内)?(?:前)?(?:已|均|全部)?(?:完工|完成|竣工|结束|到期|结题|验收|建成|交付)")
# a sentence on evaluating projects (their results, a self-evaluation): of projects carried out
_EVALUATION = re.compile(r"自评|绩效评价|评价结果")


def _context(section_kind: str, text: str, start: int, end: int) -> str:
    before = text[max(0, start - 6):start]
    after = text[end:end + 14]
    if re.search(r"截(?:至|止)到?$", before):
        return "as_of_date"
    if re.search(r"(?:比|较|与)$", before):
        return "comparison"
    # "公务用车购置费 36.00 万元，2025 年未安排", "2024 年无此项预算": last year's budget, compared with
    # ("…上年结转 23.40 万元，…，2024 年无上年结转": last year's own carry-over, 陕西) -- the clause ending
    # there; "2026年未安排因公出国（境）团组" names what the budget year has none of (黑龙江)
    if re.match(rf"年度?(?:预算)?(?:(?:{NONE_THAT_YEAR})(?=$|[，,。；;）)])|无上年结转)", after):
        return "comparison"
    # "…46 批次、285 人次（2025 年预算为 52 批次、318 人次）": last year's budget beside this year's (安徽;
    # "（2025年预算安排40批次…）", 河北)
    if re.search(r"[（(]$", before) and re.match(r"年度?预算(?:数|安排)?(?:为|是)?", after):
        return "comparison"
    # a past event's year: "部分科研项目已于 2025 年完成结题" (黑龙江), the self-evaluation of projects
    # already carried out ("对 2025 年实施的项目开展绩效自评", "2025 年，本部门对上年度全部项目开展了绩效
    # 自评": 安徽, 天津) -- whichever year it was, not a slip for the budget year
    if re.search(r"已(?:于|在)?$", before):
        return "past"
    # a reason's years ("主要原因是 2025 年更新购置公务用车 1 辆，2026 年无购置计划", 山西): the events it
    # gives may be of any year -- a reason is no statement of the budget year's figures
    if re.search(r"原因(?:是|为|[:：])?$", before):
        return "past"
    # an event's year, the event done by then ("…维修改造项目部分于 2025 年完工", 吉林)
    if re.search(r"(?:于|在)$", before) and _DONE_BY.match(after):
        return "past"
    sentence = text[text.rfind("。", 0, start) + 1:(text.find("。", end) + 1 or len(text))]
    # (any year of a sentence on the self-evaluation or an evaluation of projects: of projects carried
    # out -- "对 2025 年城乡最低生活保障…等 2 个重点民生项目开展绩效评价", 宁夏 --, its results to be published
    # with the 决算 -- "2025 年度部门整体支出及重点项目绩效自评结果将…随部门决算一并公开", 河北 -- or of the
    # budget year's to come)
    if _EVALUATION.search(sentence):
        return "past"
    # "2026 年预算数为 18.00 万元，2025 年预算数为 0.00 万元" (河北): of two years each stating "预算数为" in a
    # sentence, the earlier is last year's
    this_year = int(number_value(text[start:end])[0])
    years = [(int(number_value(y.group("year"))[0]), y.end()) for y in YEAR.finditer(sentence)]   # (once)
    stated = {year for year, at in years if _STATES_BUDGET.match(sentence, at)}
    if len(stated) > 1 and _STATES_BUDGET.match(after) and this_year < max(stated):
        return "comparison"
    # "2023 年当年预算执行数为 60.13 万元": last year's execution, named as such.
    if re.match(r"年度?(?:当年)?(?:年初)?(?:预算)?(?:执行数|执行情况|决算数|实际执行)", after):
        return "prior_execution"
    # A year inside a cited title ("《…2024 年重点工作任务书》") is the year of that document.
    opened = text.rfind("《", 0, start)
    if opened >= 0 and text.rfind("》", opened, start) < 0 and "》" in text[end:end + 60]:
        return "citation"
    if section_kind == "glossary":
        if re.match(r"年?(?:度)?全部结转|年?(?:度)?(?:的)?结转和结余", after):
            return "glossary_carryover"
        if re.search(r"弥补$", before):
            return "glossary_balance"
        return "glossary"
    if section_kind in ("project", "duties", "headcount"):
        return section_kind
    # "2025 年预算数为 28.00 万元，2025 年购置公务用车 1 辆，2026 年不安排公务用车购置" (吉林): last year set
    # against the year after it, both named in one sentence -- a contrast, not a slip for the budget year
    # (whichever years they are: the sentence may be on the year after the budget's, a plan)
    if any(year == this_year + 1 for year, _ in years):
        return "past"
    return "narrative"


# A clause ends at 。 ; : or a comma that is not a thousands separator, or before an enumerator.
_CLAUSE_END = re.compile(r"[。;:]|,(?!\d{3})|(?=\(?\d{1,2}\)[\u4e00-\u9fff])")


def _year_row(doc: Document, stream: Stream, found: re.Match[str], context: str,
              section: str | None) -> dict:
    value, printed = number_value(found.group("year"))
    lines = stream.lines_of(*found.span())
    sentence_start, sentence_end = stream.clause(found.start(), found.end(), _CLAUSE_END)
    text = stream.excerpt(sentence_start, sentence_end) or stream.excerpt(*found.span())
    return {"year": figure(value, printed=printed, src=source(doc.name, section, lines[0], text)),
            "context": context, "expected": _EXPECTED[context]}


# What follows a year in a table's header naming its column (or row) of figures.
_HEADER_YEAR = re.compile(r"年度?(?:预算数|基本支出|预算|项目支出|执行数)")


def _latest_header_year(streams: list) -> int:
    """The latest year a table's lines (*streams*) name a column or row of figures by (0: none)."""
    latest = 0
    for _, stream in streams:
        text = stream.text
        for found in YEAR.finditer(text):
            if _HEADER_YEAR.match(text[found.end():found.end() + 8]):
                latest = max(latest, int(number_value(found.group("year"))[0]))
    return latest


def _read_years(builder: RecordBuilder, doc: Document, layout: Layout) -> None:
    rows: list[tuple[int, int, dict]] = []
    headings = {s.heading_line for s in layout.sections}
    for number in layout.title_lines + sorted(headings):
        section = next((s for s in layout.sections if s.heading_line == number), None)
        stream = section.heading_stream(doc) if section else doc.stream(number, number)
        context = "title" if section is None or section.kind.startswith("part_") else "heading"
        for found in YEAR.finditer(stream.text):
            rows.append((number, found.start(), _year_row(doc, stream, found, context,
                                                          section.heading if section else None)))
    for section in layout.sections:
        if section.last < section.first:
            continue
        kind = "glossary" if section.part == "glossary" else section.kind
        stream = section.stream(doc)
        for found in YEAR.finditer(stream.text):
            context = _context(kind, stream.text, found.start(), found.end())
            rows.append((stream.line_at(found.start()), found.start(),
                         _year_row(doc, stream, found, context, section.heading)))
    for block in layout.blocks:
        # A table comparing two years, in its header ("2024年预算数 | 2025年预算数", 上年执行数
        # columns) or one row per year ("2024年预算数 …" / "2025年预算数 …", a "三公" table): the
        # earlier year's figures are last year's, not a slip for the budget year.
        # (each line's stream made once: the latest year, then each year's context)
        streams = [(number, doc.stream(number, number)) for number in range(block.first, block.last + 1)
                   if not doc.is_noise(number) and "年" in doc.line(number).text]
        latest = _latest_header_year(streams)
        for number, stream in streams:
            for found in YEAR.finditer(stream.text):
                after = stream.text[found.end():found.end() + 8]
                if _HEADER_YEAR.match(after) and \
                        block.key not in ("performance_overall", "performance_project"):
                    earlier = int(number_value(found.group("year"))[0]) < latest
                    context = "table_header_prior" if earlier else "table_header"
                elif block.key.startswith("performance"):
                    before = stream.text[max(0, found.start() - 8):found.start()]
                    context = "project" if re.search(r"实施周期|立项", before) else "performance_table"
                else:
                    context = "table"     # a year inside a table's cells: not a template year
                rows.append((number, found.start(), _year_row(doc, stream, found, context,
                                                              block.title or None)))
    for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])):
        builder.append("doc.years", row)
