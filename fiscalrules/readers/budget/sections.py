"""The layout of a disclosure: its table of contents, parts, section headings and table blocks.

The template's parts (第一部分 概况, 第二部分 预算表, 第三部分 情况说明, 第四部分 名词解释) and its
numbered sections ("(一)收入预算情况" … "二、"三公"经费预算情况说明") are recognised by their
keywords, not by their numbers, because documents renumber and skip them. Printed tables are
found by their titles (:mod:`.table_titles`; or, for performance tables whose title was lost in extraction, by their
first rows "部门名称 …" / "项目名称 …") and cut out as :class:`Block` objects before any prose is
read, so prose readers never see table rows and table readers never see prose.
"""

from __future__ import annotations

import re

from ...document.layout import find_toc
from ...document.model import Document, compact
from ...document.stream import Stream
from ..common.amounts import AMOUNT
from ..common.columns import heads_row_labels
from ..common.ordinals import ordinal
from .table_notes import GENERAL_BUDGET_YEAR, NAMED_SUBJECTS, NOTE_OPENINGS, attach_notes
from .table_titles import (TABLE_KEYS, confirmed_by_header, is_coded_row, table_title, table_title_key,
                           title_owner, unknown_title)

__all__ = ["Block", "Section", "Layout", "analyse", "TABLE_KEYS", "table_title_key", "is_coded_row", "title_owner",
           "GENERAL_BUDGET_YEAR"]

_NUMERAL = "一二三四五六七八九十"
_PART = re.compile(rf"^第[{_NUMERAL}]+部分")
_LEVEL1 = re.compile(rf"^[{_NUMERAL}]+[、.]")
_LEVEL2 = re.compile(rf"^\([{_NUMERAL}]+\)")

# Section kinds by heading keyword, checked in order.
_SECTION_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"名词解释"), "glossary"),
    (re.compile(r"职责"), "duties"),
    (re.compile(r"机构设置|人员情况|人员构成"), "headcount"),
    # The kinds a heading names by its own words come before the generic 收入/支出/财政拨款 ones:
    # "政府性基金预算支出情况", "机关运行经费支出情况", "政府采购支出情况" are not 支出 sections.
    *NAMED_SUBJECTS,
    (re.compile(r"机关运行"), "operating_costs"),
    (re.compile(r"政府采购"), "procurement"),
    # (not "财政拨款收支预算情况", Beijing's heading of the appropriation's section: below)
    (re.compile(r"(?<!拨款)(?:收支(?:预算)?情况说明|收支预算(?:情况)?$|收支情况$)"), "narrative"),
    # (the central template's "财政拨款收支预算总体情况": the appropriation's total, before the
    # grand total's words below -- it was read as the income section, its total a "duplicate" of
    # the income total)
    # ("关于…财政拨款收支预算情况的总体说明", 天津)
    (re.compile(r"财政拨款收(?:入)?支(?:出)?(?:预算)?(?:总体情况|情况的?总体说明)"), "appropriation"),
    # ("一般公共预算支出情况", "一般公共预算财政拨款支出预算情况": the appropriation's general-budget
    # part, not the 支出 section of all funds; its breakdowns are the appropriation's only where
    # the general budget is the whole appropriation: spending.read_expenditure)
    # ("一般公共预算拨款支出明细情况", 陕西; "一般公共预算财政拨款支出规模变化情况" / "…结构情况" / "…具体使用情况",
    # 重庆, the central template's parts of the section -- taken for the appropriation's by its "财政拨款支出")
    (re.compile(r"^(?:\d{4}年度?)?一般公共预算(?:财政)?(?:拨款)?支出(?:预算)?(?:明细|规模变化|规模|结构|具体使用|具体)?(?:情况|说明)"),
     "general_budget"),
    # (the central template's "收支预算总体情况": the budget's grand total, which is its income total)
    (re.compile(r"收支(?:预算)?(?:总体情况|情况的?总体说明)"), "income"),
    # ("（一）一般公共预算拨款" under 广东's 财政拨款安排情况: the general budget's part of it)
    (re.compile(r"^一般公共预算(?:财政)?拨款(?:支出)?(?:预算)?(?:安排)?(?:情况)?$"), "general_budget"),
    (re.compile(r"财政拨款(?:收入|支出|收支)?(?:预算)?(?:安排)?(?:情况|说明)|财政拨款支出"), "appropriation"),
    # A project heading names its project ("XX项目情况说明"); "项目概述" alone is an item inside one.
    (re.compile(r"(?:.{2,}项目|^项目支出|^重点项目).{0,6}(?:情况说明|说明|概述|情况)$"), "project"),
    (re.compile(r"收入预算|收入情况"), "income"),
    (re.compile(r"支出预算|支出情况"), "expenditure"),
    (re.compile(r"国有资产|资产占有"), "assets"),
    # (the central template's "预算绩效管理情况" holds the same counts: "实行绩效目标管理的项目 N 个…")
    # ("预算绩效情况说明": other regions' heading for the same counts)
    (re.compile(r"绩效目标(?:的)?(?:设置|编报|设定)|绩效目标情况|预算绩效(?:管理)?(?:工作)?(?:开展)?情况"), "performance_targets"),
    (re.compile(r"绩效"), "performance_text"),
]

# Headings printed without a number ("上海市XX区商务委员会主要职能", "2025年部门预算编制说明",
# "其他相关情况说明", "XX专项经费情况说明"): recognised by the template words that end them.
# "other_notes" opens the part of the narrative whose numbered sections follow (三公, 机关运行…).
_UNNUMBERED_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"名词解释$"), "glossary"),
    (re.compile(r"(?:主要)?(?:职能|职责)$"), "duties"),
    (re.compile(r"机构设置(?:情况)?$|人员情况$"), "headcount"),
    (re.compile(r"预算编制(?:情况)?说明$"), "itemised"),
    (re.compile(r"其他(?:相关|重要)?(?:事项|情况)(?:的)?说明$"), "other_notes"),
    (re.compile(r"(?:经费|项目|项目支出)情况说明$"), "project"),
]
# The numbered items of one project description: they stay inside the project's section.
_PROJECT_ITEMS = re.compile(r"^(?:项目名称|项目概述|项目概况|项目内容|立项依据|实施主体|实施单位|实施方案"
                            r"|实施周期|实施期限|年度预算安排|预算安排|绩效目标|项目绩效目标)")

# A breakdown's lead-in numbered as a heading ("（二）按支出功能分类划分", 广东): part of the section it
# breaks down, whose reader takes the lead-in from the text (as "按支出功能科目划分：…" in a paragraph).
_BREAKDOWN_LEAD = re.compile(r"^按(?:支出)?(?:功能|经济|项目类别|类型|性质|类别)(?:科目|分类)*(?:划分|分)?(?:情况)?$")
_BROKEN_DOWN = ("income", "expenditure", "appropriation", "general_budget")
# A classification item numbered as a heading would be (山东): "（一）…（类）…（款）…（项）"
_CLASS_ITEM = re.compile(r"\((?:类|款|项)\)")

# Sections whose heading may carry the first sentence on the same line.
_INLINE_KINDS = ("headcount", "income", "expenditure", "appropriation", "general_budget", "gov_fund", "state_capital",
                 "operating_costs", "procurement", "assets", "three_public", "performance_targets")

_PART_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"名词解释"), "glossary"),
    (re.compile(r"预算表|公开表|附表|报表"), "tables"),
    (re.compile(r"情况说明|预算说明"), "narrative"),
    (re.compile(r"概况|概述|基本情况"), "overview"),
    (re.compile(r"绩效"), "tables"),
]


class Block:
    """A printed table: its key (see ``_TABLE_TITLES``), title and line range."""

    __slots__ = ("key", "title", "first", "last", "notes", "unit")

    def __init__(self, key: str, title: str, first: int, last: int):
        self.key = key
        self.title = title
        self.first = first
        self.last = last
        self.notes: list[tuple[int, str]] = []
        # the unit whose own table this is (a department printing each unit's set after its own:
        # "青山县不动产登记中心单位收入总表"), set by the table reader; empty for the department's
        self.unit = ""

    def __repr__(self) -> str:
        return f"<Block {self.key} {self.first}-{self.last} {self.title!r}>"


class Section:
    """A run of prose under one heading: kind, heading as printed, heading line, content lines."""

    __slots__ = ("kind", "heading", "heading_line", "first", "last", "part", "level", "column")

    def __init__(self, kind: str, heading: str, heading_line: int, first: int, last: int,
                 part: str, level: int, column: int = 0):
        self.kind = kind
        self.heading = heading
        self.heading_line = heading_line
        self.first = first
        self.last = last
        self.part = part
        self.level = level
        # > 0 when the content starts on the heading's own line ("（一）收入预算情况：2025 年…").
        self.column = column

    def stream(self, doc: Document) -> Stream:
        """The section's running text (without its heading)."""
        return doc.stream(self.first, self.last, first_column=self.column)

    def heading_stream(self, doc: Document) -> Stream:
        return doc.stream(self.heading_line, self.heading_line,
                          last_column=self.column if self.column else None)

    def __repr__(self) -> str:
        return f"<Section {self.kind} {self.heading_line}:{self.first}-{self.last} {self.heading!r}>"


class Layout:
    """Everything :func:`analyse` found: parts, sections, table blocks, the TOC range."""

    def __init__(self):
        self.toc: tuple[int, int] | None = None
        self.parts: list[tuple[int, str, str]] = []      # (line, kind, heading)
        self.sections: list[Section] = []
        self.blocks: list[Block] = []
        self.title_lines: list[int] = []

    def sections_of(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def in_blocks(self, number: int) -> bool:
        # (a loop, not any() over a generator: asked of every line, a frame each time)
        for block in self.blocks:
            if block.first <= number <= block.last:
                return True
        return False


def _heading_text(line_text: str) -> str:
    return re.sub(r"\s+", " ", line_text).strip()


def _lookahead(doc: Document, number: int, pattern: str, count: int = 8) -> bool:
    lines = [l for l in doc.content_lines(number + 1, min(len(doc), number + 3 * count))][:count]
    return any(re.search(pattern, l.compact) for l in lines)


def _performance_row(doc: Document, number: int, text: str) -> str | None:
    """The first row of a performance table ("部门名称 …" / "项目名称 …"), which starts a table
    of its own when extraction lost the title."""
    if text.startswith("部门名称") and _lookahead(doc, number, r"当年预算|预算情况", 3):
        return "performance_overall"
    if text.startswith("项目名称") and _lookahead(doc, number, r"年度资金总额|项目资金"):
        return "performance_project"
    return None


def _find_blocks(doc: Document, skip: tuple[int, int] | None) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    awaiting_first_row = False      # a titled performance table whose first row is still to come
    printed: set[str] = set()       # the current table's lines so far (a next page may repeat them)
    page = 0
    has_rows = False
    previous_label: str | None = None      # the last content line, when a table's number label
    items: set[str] = set()                 # the first cells of the current table's lines
    side_end: float | None = None           # where a 收支总表's left-side items end (rows of two items)
    numbered: dict[str, int] = {}           # the current table's last item number of each style ("一、", "(一)")
    noise = doc.noise_numbers
    for line in doc.lines:
        # (page numbers and "续表" lines: a table goes on across them)
        if line.blank or line.number in noise or (skip and skip[0] <= line.number <= skip[1]):
            continue
        text = line.compact
        label, previous_label = previous_label, (text if _NUMBER_LABEL.match(text) else None)
        key = table_title(text)
        if key:
            key = confirmed_by_header(doc, line.number, key, text)
        elif unknown_title(doc, line):
            key = "unknown"
        start = key
        if not key:
            row_kind = _performance_row(doc, line.number, text)
            if row_kind:
                continues_titled = awaiting_first_row and current is not None and current.key == row_kind
                awaiting_first_row = False
                start = None if continues_titled else row_kind
        if start:
            if current:
                current.last = _before_number_label(doc, current.first,
                                                    _last_content(doc, current.first, line.number - 1))
            current = Block(start, _heading_text(line.text) if key else "", line.number, line.number)
            printed, page, has_rows, items, side_end, numbered = set(), line.page, False, set(), None, {}
            if label is not None:   # "表二" above the title: printed again over its continuation
                printed.add(label)      # (whose "（续表）" title is page furniture), the table goes on
            awaiting_first_row = bool(key) and start.startswith("performance")
            blocks.append(current)
            continue
        if current is None:
            continue
        # (a 收支总表 item printed above, alone with blank cells: "（二）政府性基金预算拨款", no heading;
        # nor an item of its right side alone, standing right of where the left side's items end:
        # "二十一、国有资本经营预算支出" beside a blank income side -- or given as cells beyond the income
        # side's blank ones: "\t\t二十二、国有资本经营预算支出")
        # (nor, there, an item numbered next after the items of its style before it, no section's words:
        # "（二）政府性基金预算拨款" alone below "（一）一般公共预算拨款 …", 河南 -- the table ended there, its
        # other rows "outside any table")
        if (_PART.match(text) or _is_narrative_heading(text) and not (current.key in _TWO_SIDED and (
                text in items or line.text.startswith("\t\t")
                or side_end is not None and line.words and line.words[0].x0 >= side_end
                or _next_item(text, numbered)))
                or text.startswith(NOTE_OPENINGS)
                or (doc.paged and line.page != page and has_rows
                    and not _continues_table(line, printed, current.key in _CODED, current.key in _TWO_SIDED))):
            current.last = _last_content(doc, current.first, line.number - 1)
            current = None
            awaiting_first_row = False
            continue
        printed.add(text)
        if line.words:
            items.add(compact(line.words[0].text))
            _count_item(compact(line.words[0].text), numbered)
            if _SIDE_ITEM.match(line.words[0].text) and any(_SIDE_ITEM.match(w.text) for w in line.words[1:]):
                side_end = max(side_end or line.words[0].x1, line.words[0].x1)
        page = line.page
        # A title at the foot of a page with its table on the next: the page break ends a
        # table only once it has rows.
        has_rows = has_rows or _continues_table(line, set(), current.key in _CODED)
    if current:
        current.last = _last_content(doc, current.first, len(doc))
    return blocks


def _without_listed_titles(doc: Document, blocks: list[Block]) -> list[Block]:
    """*blocks* less the titles with nothing under them where the same table is printed with its
    lines: a list of the tables' titles (an 附表 index, no page numbers), taken for the tables."""
    def printed(block: Block) -> bool:
        return block.last > block.first and bool(doc.content_lines(block.first + 1, block.last))
    with_lines = {block.key for block in blocks if printed(block)}
    return [block for block in blocks if printed(block) or block.key not in with_lines]


_ROW_START = re.compile(r"^(?:\d{2,7}(?!\d)|合计|总计|-?[\d,]+\.?\d*$)")


_NAMED_ROW_FIGURE = re.compile(r"^(?:-?\d[\d,]*\.\d{2}|-|—|--)$")


# A two-sided 收支总表's item label on a line of its own: "二、事业收入", "3. 国有资本经营预算", "(一)…"
_SIDE_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）])(?:\S|$)")
_TWO_SIDED = ("summary", "appropriation_summary")


# The coded tables, whose rows may print names only (no code column)
_CODED = ("income", "expenditure", "general_budget", "general_budget_basic", "gov_fund", "state_capital")


# An item's number by its style: "一、" (level 1), "(一)" (level 2), "1." / "1、"
_ITEM_NUMBERS = ((re.compile(rf"^([{_NUMERAL}]{{1,3}})、"), "level1"), (re.compile(rf"^\(([{_NUMERAL}]{{1,3}})\)"), "level2"),
                 (re.compile(r"^(\d{1,2})[.、]"), "decimal"))
# The words of a section's heading, which a table's item does not print
_SECTION_WORDS = re.compile(r"情况|说明")


def _item_number(text: str) -> tuple[str, int] | None:
    for pattern, style in _ITEM_NUMBERS:
        found = pattern.match(text)
        if found:
            number = ordinal(found.group(1))
            return (style, number) if number else None
    return None


def _count_item(text: str, numbered: dict[str, int]) -> None:
    """Note the number of the item *text* opens with as its style's last."""
    found = _item_number(text)
    if found:
        numbered[found[0]] = found[1]


def _next_item(text: str, numbered: dict[str, int]) -> bool:
    """Whether *text* is an item of a table numbered at most one after its style's last item there
    ("（二）…" after "（一）…"), with no section's words: the table's row, not a heading."""
    found = _item_number(text)
    return found is not None and found[0] in numbered and found[1] <= numbered[found[0]] + 1 \
        and not _SECTION_WORDS.search(text)


def _continues_table(line, printed: set[str], coded: bool = False, two_sided: bool = False) -> bool:
    """On a new page a table goes on only with a row (a code, 合计, figures; or, in a *coded*
    table printing names only, a name then figures alone: "行政运行 681.00 681.00"; in a *two_sided*
    收支总表, an item's label: "二、事业收入", "3. 国有资本经营预算 四、住房保障支出 780,000.00",
    "收入总计 12,166,000.00 支出总计 12,166,000.00" -- no sentence) or a repeat of its header;
    anything else starts what follows the table."""
    if line.compact in printed:
        return True
    words = line.words
    if not words:
        return False
    if _ROW_START.match(words[0].text):
        return True
    if coded and heads_row_labels(words):
        # a header naming the rows' code / name columns over other columns: the table's further
        # columns printed beside, on the next page (a spreadsheet's print area too wide for one)
        return True
    if two_sided and not re.search(r"[，。；,;]", line.original) and (
            _SIDE_ITEM.match(words[0].text) or any(_NAMED_ROW_FIGURE.match(w.text) for w in words[1:])
            and not _NAMED_ROW_FIGURE.match(words[0].text)):
        return True
    return coded and len(words) > 1 and all(_NAMED_ROW_FIGURE.match(w.text) for w in words[1:]) \
        and any(w.text[:1].isdigit() or w.text[:1] == "-" and len(w.text) > 2 for w in words[1:])


def _last_content(doc: Document, first: int, last: int) -> int:
    while last > first and doc.is_noise(last):
        last -= 1
    return last


# The next table's number on a line of its own above its title ("表四", "附表3", "表1-2"): no line
# of the table before it.  (Read as one of its rows, tab-separated text made it a row not
# understood -- and the whole table listed, never read.)
_NUMBER_LABEL = re.compile(rf"^(?:附表|表)(?:\d{{1,2}}(?:[-—－.]\d{{1,2}})?|[{_NUMERAL}]{{1,3}})[:：]?$")


def _before_number_label(doc: Document, first: int, last: int) -> int:
    """*last*, or the content line before it when it is the next table's number label."""
    if last > first and _NUMBER_LABEL.match(doc.line(last).compact):
        return _last_content(doc, first, last - 1)
    return last


_TABLE_FIGURE = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}")


def _is_narrative_heading(text: str) -> bool:
    if _unnumbered_kind(text):
        return True
    # A line with table figures ("一、财政拨款收入 371,514,655.00 …") is a row, not a heading.
    if not (_LEVEL1.match(text) or _LEVEL2.match(text)) or len(text) > 45 or AMOUNT.search(text) \
            or _TABLE_FIGURE.search(text):
        return False
    # Two items of one level on a line ("二、政府性基金预算拨款收入 二、外交支出", a 收支总表 row
    # with its cells blank: income side, expenditure side) are a row, not a heading.
    opening = _LEVEL1.match(text) or _LEVEL2.match(text)
    if _SECOND_ITEM.search(text, opening.end()):
        return False
    return _kind_of(text) is not None


_SECOND_ITEM = re.compile(rf"[{_NUMERAL}]{{1,3}}、|\([{_NUMERAL}]{{1,3}}\)")


_SENTENCE_MARK = re.compile(r"[。,;:,、]")


def _unnumbered_kind(text: str) -> str | None:
    """The kind of an unnumbered heading line (compact text), or None. A heading is short, prints
    no amount and has no sentence punctuation."""
    if len(text) > 40 or _SENTENCE_MARK.search(text) or _LEVEL1.match(text) or _LEVEL2.match(text) or \
            _PART.match(text) or AMOUNT.search(text):   # (the dearest test last)
        return None
    for pattern, kind in _UNNUMBERED_KINDS:
        if pattern.search(text):
            return kind
    return None


def _kind_of(heading: str) -> str | None:
    body = re.sub(rf"^(?:[{_NUMERAL}]+[、.]|\([{_NUMERAL}]+\))", "", heading)
    for pattern, kind in _SECTION_KINDS:
        if pattern.search(body):
            return kind
    return None


def _part_kind(text: str) -> str:
    for pattern, kind in _PART_KINDS:
        if pattern.search(text):
            return kind
    return "other"


def analyse(doc: Document) -> Layout:
    layout = Layout()
    layout.toc = find_toc(doc)
    layout.blocks = _without_listed_titles(doc, _find_blocks(doc, layout.toc))
    attach_notes(doc, layout)

    part = "overview"
    current: Section | None = None
    noise = doc.noise_numbers
    for line in doc.lines:
        number = line.number
        if line.blank or number in noise:   # (doc.is_noise(number))
            continue
        if layout.toc and layout.toc[0] <= number <= layout.toc[1]:
            continue
        if layout.in_blocks(number) or line.compact.startswith(NOTE_OPENINGS):
            if current:
                current.last = min(current.last, number - 1)
                current = None
            continue
        text = line.compact
        heading: tuple[str, int] | None = None
        column = 0
        if _PART.match(text):
            part = _part_kind(text)
            layout.parts.append((number, part, _heading_text(line.text)))
            heading = ("part_" + part, 0)
        elif _unnumbered_kind(text) and not _continues_sentence(doc, number):
            kind = _unnumbered_kind(text)
            if kind == "glossary":
                part = "glossary"
            elif kind in ("itemised", "other_notes", "project"):
                part = "narrative"
            heading = (kind, 1)
        elif current is not None and current.kind == "project" and _PROJECT_ITEMS.match(
                re.sub(rf"^(?:[{_NUMERAL}]+[、.]|\([{_NUMERAL}]+\))", "", text)):
            pass                        # "六、年度预算安排" is an item of the project described
        elif current is not None and _CLASS_ITEM.search(text):
            pass                        # "（一）社会保障和就业支出（类）…（项）216.35 万元": an item of a list
        elif current is not None and current.kind in _BROKEN_DOWN and _BREAKDOWN_LEAD.match(
                re.sub(rf"^(?:[{_NUMERAL}]+[、.]|\([{_NUMERAL}]+\))", "", text)):
            pass                        # "（二）按支出功能分类划分": the section's breakdown, its lead-in
        elif part != "glossary" and (_LEVEL1.match(text) or _LEVEL2.match(text)):
            title, column = _split_inline_heading(line.text)
            kind = _kind_of("".join(title.split())) if title else None
            if column and kind not in _INLINE_KINDS:
                kind = None
            if kind is None and title and not column and part == "narrative" and _LEVEL2.match(text):
                kind = "other"          # an unknown section: its amounts are listed as unread
            if kind is not None and (part in ("narrative", "other") or kind in (
                    "duties", "headcount", "glossary", "narrative", "three_public", "income")):
                heading = (kind, 1 if _LEVEL1.match(text) else 2)
                # The 情况说明 begins here even when its part heading is missing or garbled.
                if kind in ("income", "narrative") and part in ("overview", "tables", "other"):
                    part = "narrative"
                if kind == "glossary":
                    part = "glossary"
        elif not layout.sections and not layout.parts and not layout.title_lines:
            layout.title_lines.append(number)
        if heading:
            if current:
                current.last = _last_content(doc, current.first, number - 1)
            kind, level = heading
            shown = line.text[:column] if column else line.text
            current = Section(kind, _heading_text(shown).rstrip(":。 "), number,
                              number if column else number + 1, number, part, level, column)
            layout.sections.append(current)
            continue
        if current is not None:
            current.last = number
    for section in layout.sections:
        if section.last < section.first:
            section.last = section.first - 1
    return layout


def _continues_sentence(doc: Document, number: int) -> bool:
    """Whether line *number* is the tail of a sentence wrapped from a full previous line."""
    previous = next((doc.line(n) for n in range(number - 1, 0, -1) if not doc.is_noise(n)), None)
    if previous is None:
        return False
    text = previous.compact
    return len(text) >= 45 and not re.search(r"[。:;!?]$|[.…·]{3,}\d*$", text)


def _split_inline_heading(text: str) -> tuple[str | None, int]:
    """(heading, content column) of a heading line. A short line is all heading; a longer one
    is a heading only up to its first ":" or "。" (content follows on the same line)."""
    stripped = text.strip()
    if len("".join(stripped.split())) <= 45 and not AMOUNT.search(stripped):
        return stripped, 0
    found = re.search(r"[:。]", text)
    if not found or found.start() > 40 or AMOUNT.search(text[:found.start()]):
        return None, 0
    return text[:found.start()], found.end()
