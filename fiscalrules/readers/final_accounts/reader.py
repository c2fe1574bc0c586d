"""Orchestration: read one 部门决算 / 单位决算 document into a ``final_accounts`` record.

The document's facts come from its title ("X 2024 年度部门决算"), the nine tables from their titles
(:mod:`.tables`), the 情况说明 from the template's phrases (:mod:`.narrative`), the quality facts
from :mod:`fiscalrules.readers.quality`; coverage and the unread list are measured by the common
mechanism.  The record is documented in docs/final-accounts-record.md.
"""

from __future__ import annotations

import os
import re

from ...document.layout import find_toc, heading_of
from ...document.model import Document
from ...inputs import open_document
from ..common.adjusted_shares import allow_adjusted_shares
from ..common.coverage import measure, stray_cells
from ..common.pictured import list_table_pictures, presence
from ..common.record import RecordBuilder, figure, list_blank_pages, locate_sources, locate_unread, record_id, source
from ..quality import record_quality
from .blocks import REQUIRED_FROM, unquoted
from .extra_tables import find_extra_tables, read_extra_table
from .linking import run_in_heading
from .narrative import read_narrative
from .tables import TABLES, find_tables, read_table_block

__all__ = ["read_final_accounts", "TEMPLATE"]

TEMPLATE = "final_accounts"
_TITLE = re.compile(r"(?P<publisher>.*?)(?P<year>\d{4})年度?(?P<kind>部门|单位)决算")
# the year first, the publisher after it: "2025年度湖北省某某局部门决算"
_TITLE_YEAR_FIRST = re.compile(r"(?P<year>\d{4})年度?(?P<publisher>.+?)(?P<kind>部门|单位)决算")
_YEAR = re.compile(r"(?<![\d,])(?P<year>(?:19|20)\d{2})(?=年)")
_SECTIONS = ("收入支出决算总体情况说明", "收入决算情况说明", "支出决算情况说明", "财政拨款收入支出决算总体情况说明",
             "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款基本支出决算情况说明",
             "财政拨款“三公”经费支出决算情况说明", "预算绩效管理情况", "名词解释")
_KEY_ORDER = ("_meta", "doc", "overview", "income", "expenditure", "appropriation", "general_budget", "basic",
              "three_public", "gov_fund", "state_capital", "performance", "operating_costs", "procurement",
              "assets", "tables", "quality")


def read_final_accounts(source_or_doc: str | os.PathLike | bytes | Document, *, name: str | None = None) -> dict:
    """Read a 部门决算 / 单位决算 (a path, its bytes or text, or an opened Document) into a record."""
    doc = source_or_doc if isinstance(source_or_doc, Document) else open_document(source_or_doc, name)
    builder = RecordBuilder(doc.name)
    toc = find_toc(doc)
    skip = set(range(toc[0], toc[1] + 1)) if toc else set()
    title_lines = _title_lines(doc)
    title = "".join(doc.line(n).compact for n in title_lines)
    found = _TITLE.search(title) or _TITLE_YEAR_FIRST.search(title)
    if found:
        src = source(doc.name, "标题", title_lines[0], " ".join(doc.line(n).original.strip() for n in title_lines))
        builder.put("doc.year", figure(found.group("year"), src=src))
        builder.put("doc.kind", figure(found.group("kind") + "决算", src=src))
        if found.group("publisher"):
            builder.put("doc.publisher", figure(found.group("publisher"), src=src))
    blocks = find_tables(doc, skip)
    class_lines: list = []
    table_lines: set[int] = set()
    for block in blocks:
        read = read_table_block(builder, doc, block, class_lines)
        table_lines.update(range(block.title, block.last + 1))
        table_lines.update(n for n in block.after if n in read)    # (its cells written after its note)
    # the supplementary tables (公开10表 and on), wherever printed: after the nine or among the 情况说明
    extra_lines: set[int] = set()
    for key, first, last in find_extra_tables(doc, skip | table_lines):
        read_extra_table(builder, doc, key, first, last)
        extra_lines.update(range(first, last + 1))
    narrative = _narrative_part(doc, skip, table_lines)
    table_lines |= extra_lines
    if narrative:
        class_lines += read_narrative(builder, doc, *narrative, frozenset(extra_lines))
    for work in builder.later:
        work()      # (tables waiting for what the 情况说明 states: .coded)
    allow_adjusted_shares(builder.data)
    _list_stray_cells(builder, doc, skip | table_lines | (set(range(narrative[0], narrative[1] + 1)) if narrative else set()))
    headings = [line.number for line in doc.lines if line.number not in skip and line.number not in table_lines
                and heading_of(line) is not None]
    _read_years(builder, doc, skip, table_lines, set(title_lines), set(headings))
    printed = {b.key for b in blocks}
    text = unquoted("".join(line.compact for line in doc.lines if line.number not in skip))
    year = builder.year()
    # (a table perhaps printed as a picture among the tables: not known, None -- QUA-010 not evaluable)
    pictured = list_table_pictures(builder, doc, min((b.title for b in blocks), default=None), lambda n: "决算表")
    sections = [(t, presence(key in printed, bool(pictured)),
                 next((b.title for b in blocks if b.key == key), 0)) for key, t in TABLES.items()
                if key in printed or year is None or year >= REQUIRED_FROM.get(key, 0)]
    # (a heading run into its paragraph -- "（一）收入支出决算总体情况。2023 年度…", "（七）“三公”经费情况。" --
    # is its words before the "。", whether or not the line passes for a heading)
    heading_lines = set(headings) | (set(range(narrative[0], narrative[1] + 1)) if narrative else set())
    heading_texts = [unquoted(run_in[0] if (run_in := run_in_heading(doc.line(n))) else doc.line(n).compact)
                     for n in sorted(heading_lines) if n in headings or run_in_heading(doc.line(n))]
    sections += [(s, _section_present(s, text, heading_texts), 0) for s in _SECTIONS]
    has_amounts = _money_figures(builder.data) > 0
    record_quality(builder, doc, scope=found.group("kind") if found else None, title_lines=title_lines,
                   heading_lines=headings, skip_lines=skip | table_lines, class_lines=class_lines,
                   sections=sections, year=found.group("year") if found else None, has_amounts=has_amounts)
    return _assemble(builder, doc, table_lines, skip)


def _section_present(name: str, text: str, headings: list[str]) -> bool:
    """Whether the 情况说明 prints its section *name*: as the template words it anywhere, or as a
    heading ending with its words less "说明" ("一、收入支出决算总体情况", as regions title it) -- a
    heading, not the words anywhere ("支出决算情况" is also the end of 五's title).  *text* and
    *headings* come :func:`.blocks.unquoted` (三公 quoted as printed, or not)."""
    name = unquoted(name)
    if name in text:
        return True
    core = name[:-2] if name.endswith("说明") else name
    # (收支 for 收入支出 as regions title it: "（四）财政拨款收支决算总体情况"; the 三公 section by its
    # 三公经费 alone: "（七）“三公”经费情况", "三公经费支出情况"; or with 财政拨款 after it, as its table
    # is titled in regions: "七、“三公”经费财政拨款支出决算情况说明")
    endings = (core, core + "说明")
    if "三公" in core:
        endings += tuple(words + tail for words in ("三公经费情况", "三公经费支出情况", "三公经费支出决算情况",
                                                    "三公经费财政拨款支出情况", "三公经费财政拨款支出决算情况")
                         for tail in ("", "说明"))
    # (the performance section without 管理: "十三、预算绩效情况说明")
    if core == "预算绩效管理情况":
        endings += ("预算绩效情况", "预算绩效情况说明")
    return any(heading.replace("收支", "收入支出").endswith(endings) for heading in headings)


def _list_stray_cells(builder: RecordBuilder, doc: Document, outside: set[int]) -> None:
    """Lines outside every table and the 情况说明 printing figures as table cells (a table whose
    title was not recognised, or cells a text extraction wrote after their table's note): listed
    as unread, never silent."""
    run: list[int] = []
    for line in [*doc.lines, None]:
        if line is not None and (line.blank or doc.is_noise(line.number)):
            continue
        if line is not None and line.number not in outside and stray_cells(line, doc):
            run.append(line.number)
            continue
        if run:
            builder.add_unread("", (run[0], run[-1]), f"{len(run)} line(s) of table cells outside any table the "
                               f"reader knows, not read: {doc.line(run[0]).original.strip()} …")
            run = []


def _money_figures(node) -> int:
    """How many money figures the record holds (a blank template holds none)."""
    if isinstance(node, list):
        return sum(_money_figures(item) for item in node)
    if not isinstance(node, dict):
        return 0
    if "value" in node and node.get("unit") in ("万元", "元", "亿元", "千元"):
        return 1
    return sum(_money_figures(v) for k, v in node.items() if k != "source")


def _title_lines(doc: Document) -> list[int]:
    out = []
    for line in doc.lines:
        if line.blank:
            continue
        if out and (line.compact in ("目录", "目錄") or line.compact.startswith("第一部分") or line.page != doc.line(out[0]).page):
            break
        out.append(line.number)
        if "决算" in line.compact or len(out) >= 4:
            break
    return out


# A part of the document: "第三部分 …" (the template numbers four: 概况, 决算表, 情况说明, 名词解释)
_PART = re.compile(r"^第[一二三四五六七八九十\d]{1,3}部分")
# A 情况说明 section's heading ("一、收入支出决算总体情况说明"): where a document numbers no parts
_SECTION_HEAD = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．](?:" + "|".join(unquoted(s) for s in _SECTIONS if s != "名词解释") + ")")


def _narrative_part(doc: Document, skip: set[int], table_lines: set[int]) -> tuple[int, int] | None:
    """The lines of the 情况说明: the part whose heading says 说明 ("第三部分 …部门决算情况说明" in the
    template; "第二部分" where a region prints it before the tables), to the next part; else, where no
    part is numbered, from its first section's heading to the 名词解释, a table or the end -- never found by
    its number alone (the tables printed as 第三部分 were read as the narrative, and the narrative not
    at all)."""
    parts = [line for line in doc.lines if line.number not in skip and _PART.match(line.compact)]
    spans = [(line.number, parts[i + 1].number - 1 if i + 1 < len(parts) else len(doc))
             for i, line in enumerate(parts) if "说明" in line.compact and "名词解释" not in line.compact]
    if spans:   # (the longest: a contents list the reader did not tell apart names the parts too)
        return max(spans, key=lambda span: span[1] - span[0])
    start = next((line.number for line in doc.lines if line.number not in skip and line.number not in table_lines
                  and _SECTION_HEAD.match(unquoted(line.compact))), None)
    if start is None:
        return None
    # (to the 名词解释 or a table, whichever comes first: the tables may follow it)
    end = next((line.number - 1 for line in doc.lines if line.number > start and line.number not in skip
                and (line.number in table_lines or _PART.match(line.compact)
                     or re.match(r"^[一二三四五六七八九十\d]{0,3}[、.．]?名词解释", line.compact))),
               len(doc))
    return start, end


# a year heading a column of figures: "2023年决算数", "2023年度预算数", "2023年执行数"
_PRIOR_COLUMN = re.compile(r"年度?(?:决算|预算|执行)数?")


def _earlier(found: re.Match, compact: str, builder: RecordBuilder) -> bool:
    """Whether the year of a column header is earlier than the year of the accounts (from the
    title) or, without a title year, than another year heading a column on the same line."""
    year = int(found.group("year"))
    title = builder.get("doc.year")
    if title is not None:
        return year < int(title["value"])
    return any(year < int(other.group("year")) for other in _YEAR.finditer(compact)
               if _PRIOR_COLUMN.match(compact, other.end()))


def _read_years(builder: RecordBuilder, doc: Document, skip: set[int], tables: set[int], titles: set[int],
                headings: set[int]) -> None:
    """Every year printed, with the year the template expects there."""
    for line in doc.lines:
        if line.number in skip:
            continue
        # the years heading columns of figures on this line, latest first: where several do ("2023年决算数
        # 2024年决算数 2025年决算数", a table or a small table in the narrative, 贵州), the one before the
        # latest is last year's, the older ones earlier years the template says nothing of
        columns = sorted({int(c.group("year")) for c in _YEAR.finditer(line.compact)
                          if _PRIOR_COLUMN.match(line.compact, c.end())}, reverse=True)
        for found in _YEAR.finditer(line.compact):
            before = line.compact[max(0, found.start() - 4):found.start()]
            after = line.compact[found.end():found.end() + 12]
            column = len(columns) > 1 and _PRIOR_COLUMN.match(after) and int(found.group("year")) in columns[1:]
            if re.search(r"(与|比)$", before):
                context, expected = "comparison", "prior_year"
            elif column:
                context, expected = (("table_header_prior", "prior_year") if int(found.group("year")) == columns[1]
                                     else ("table_header_earlier", "any"))
            elif line.number in titles or line.number in headings:
                context, expected = ("title" if line.number in titles else "heading"), "document_year"
            elif line.number in tables and _PRIOR_COLUMN.match(after) and _earlier(found, line.compact, builder):
                # a column of last year's figures ("2023年决算数" beside "2024年决算数", "上年决算数"'s
                # year): last year's, not a slip for the year of the accounts (TXT-002 checks it)
                context, expected = "table_header_prior", "prior_year"
            elif line.number in tables:
                context, expected = "table", "document_year"
            elif re.search(r"(截至|截止)$", before) and after.startswith("年12月31日"):
                context, expected = "as_of_date", "document_year"
            elif re.match(r"年度?(?:部门|单位)?决算|年度?(?:预算绩效|项目|“三公”|政府采购|收入支出|财政拨款)|年，|年度本部门", after):
                context, expected = "narrative", "document_year"
            else:
                context, expected = "other", "any"
            builder.append("doc.years", {"year": figure(found.group("year"), src=source(doc.name, None, line.number, line.original.strip())),
                                         "context": context, "expected": expected})


def _assemble(builder: RecordBuilder, doc: Document, table_lines: set[int], skip: set[int]) -> dict:
    # (a row the record model cannot hold -- a code twice -- is listed, not the document refused)
    builder.list_twin_printings()   # (a figure printed in two units: the printing beside it listed)
    builder.drop_repeated_rows()
    list_blank_pages(builder, doc)
    locate_sources(builder.data, doc)
    stem = record_id(doc.name)
    unread = sorted(builder.unread, key=lambda u: (u["lines"][0], u["lines"][1]))
    locate_unread(unread, doc)
    record = {"_meta": {"id": stem, "document": doc.name, "template": TEMPLATE, "unread": unread}}
    for key in _KEY_ORDER[1:]:
        if key in builder.data:
            record[key] = builder.data[key]
    for key, value in builder.data.items():
        record.setdefault(key, value)
    record["_meta"]["coverage"] = measure(record, doc, table_lines, skip, restated=builder.restated)
    return record
