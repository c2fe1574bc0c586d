"""Orchestration: read one budget disclosure into a ``budget_disclosure`` record.

Loads and checks the text, finds its layout, sends each section and table block to its reader,
lists whatever no reader took as unread, and assembles the record in a stable key order. The
record schema is documented in ``docs/budget-record.md``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from ...document.model import Document
from ...errors import Location, ReaderError
from ...inputs import open_document
from ...recordmodel import Record
from ...records import Indexing, figure_problems, is_figure_mapping, load_record
from ..common.amounts import scan
from ..common.adjusted_shares import allow_adjusted_shares
from ..common.coverage import measure, record_figures, stray_cells
from ..common.pictured import list_table_pictures, presence
from ..common.record import RecordBuilder, list_blank_pages, locate_sources, locate_unread, record_id, untaken_lines
from ..kind import looks_like_final_accounts
from ..quality import record_quality, table_class_lines
from .facts import read_document_facts
from .headcount import read_headcount
from .general_budget_year import ITEMS_PATH as GENERAL_BUDGET_YEAR_ITEMS, lend_split_to_appropriation, read_general_budget_year
from .itemised import read_itemised_stream, resolve_item_codes
from .narrative import read_narrative_section
from .performance import read_performance_table
from .projects import read_project_section
from .sections import Layout, analyse, is_coded_row, table_title_key
from .tables import AMOUNT_IN_CELL, CODED_TABLES, read_standard_table

__all__ = ["read_disclosure", "read_opened_disclosure", "TEMPLATE"]

TEMPLATE = "budget_disclosure"

_NARRATIVE_KINDS = ("income", "expenditure", "appropriation", "general_budget", "gov_fund", "state_capital",
                    "operating_costs", "procurement", "assets", "three_public", "performance_targets")
_MARKERS = ("收入预算", "支出预算", "财政拨款", "三公", "部门预算", "单位预算", "基本支出", "项目支出",
            "万元", "预算情况说明", "政府采购")
_KEY_ORDER = ("_meta", "doc", "org", "staff", "income", "expenditure", "appropriation", "general_budget_year", "gov_fund",
              "state_capital", "operating_costs", "procurement", "assets", "projects",
              "three_public", "performance", "tables")


def read_disclosure(source: str | os.PathLike | bytes, *, name: str | None = None) -> dict:
    """Read a 部门预算 / 单位预算 disclosure (a path, or its text with *name*) into a record.

    Raises :class:`ReaderError` for a missing, unreadable, binary or empty file, or text that is
    not a budget disclosure.
    """
    return read_opened_disclosure(open_document(source, name))


def read_opened_disclosure(doc: Document) -> dict:
    """:func:`read_disclosure` of a document already opened (by :func:`fiscalrules.readers.read_document`)."""
    return _read(doc)[0]


def read_opened_loaded(doc: Document, file: str | None = None) -> tuple[dict, Record]:
    """:func:`read_opened_disclosure` and ``load_record(record, file=file)`` of what it read, the
    Record indexed as the reader finishes (see :func:`_indexed_as_written`)."""
    record, loaded = _read(doc, True, file)
    assert loaded is not None
    return record, loaded


def _read(doc: Document, load: bool = False, file: str | None = None) -> tuple[dict, Record | None]:
    _check_is_disclosure(doc, doc.path or doc.name)
    layout = analyse(doc)
    builder = RecordBuilder(doc.name)

    read_document_facts(builder, doc, layout)
    for section in layout.sections:
        if section.last < section.first:
            continue
        if section.kind == "headcount":
            read_headcount(builder, doc, section)
        elif section.kind in _NARRATIVE_KINDS and section.part != "glossary":
            read_narrative_section(builder, doc, section)
        elif section.kind == "project" and section.part != "glossary":
            read_project_section(builder, doc, section)
        elif section.kind == "itemised":
            read_itemised_stream(builder, section.stream(doc), section.heading)
        elif section.kind == "general_budget_year" and section.part != "glossary":
            read_general_budget_year(builder, doc, section)
        else:
            _list_unread_amounts(builder, doc, section)
    lend_split_to_appropriation(builder)
    for work in builder.later:   # (what a section left until the rest is read: performance_targets)
        work()
    listed: set[int] = set()        # the lines the unread list names, kept as it grows
    seen = 0
    for block in layout.blocks:
        if block.key == "unknown":
            _list_unknown_table(builder, doc, block)
        elif block.key.startswith("performance"):
            read_performance_table(builder, doc, block)
        else:
            read_standard_table(builder, doc, block)
            for entry in builder.unread[seen:]:
                listed.update(range(entry["lines"][0], entry["lines"][1] + 1))
            seen = len(builder.unread)
            _printed_not_empty(builder, doc, block, listed)
    resolve_item_codes(builder)
    resolve_item_codes(builder, path=GENERAL_BUDGET_YEAR_ITEMS)
    for fund in ("gov_fund", "state_capital"):
        resolve_item_codes(builder, path=f"{fund}.items")
    pictured = bool(list_table_pictures(builder, doc, _tables_from(layout), lambda n: _section_at(layout, n)))
    referenced, listed = _list_missing_tables(builder, doc, layout, pictured)
    _record_quality(builder, doc, layout, _required_tables(builder, layout, referenced, listed, pictured))
    allow_adjusted_shares(builder.data)
    return _assemble(builder, doc, layout, load, file)


def _printed_not_empty(builder: RecordBuilder, doc: Document, block, listed: set[int]) -> None:
    """The lines of a table printing figures that no row took, where the table was not read whole
    (a cell a line, as pdftotext without -layout writes a table, leaves codes and figures on lines
    no row holds): listed, never silent; a table read as empty that prints such figures is not
    empty, and no ``rows`` list says every row was understood.  *listed*: the lines the unread list
    names (the caller keeps it up to date as the list grows, instead of walking the whole list
    again for each table)."""
    table = builder.get(f"tables.{block.key}")
    if not isinstance(table, dict):
        return
    inside = range(block.first + 1, block.last + 1)
    if table.get("empty") is not True and ("rows" in table or not listed.intersection(inside)):
        return                  # read (a row printed twice, say, listed: its rows are all there)
    sourced = {fig["source"].get("line") for fig in record_figures(table)}
    printed = [line for line in untaken_lines(doc, inside, listed | sourced, _FIGURE_WORD.match, notes=True)
               if not any(w.text.startswith("*") or w.text == "栏次" for w in line.words)]
    if table.get("empty") is True:
        if not any(AMOUNT_IN_CELL.search(line.text) and any(c not in "0.,-" for c in
                   "".join(AMOUNT_IN_CELL.findall(line.text))) for line in printed):
            return
        table["empty"] = False
        if table.get("rows") == []:
            table.pop("rows")
    for line in printed:
        builder.add_unread(block.title, (line.number, line.number), "figures no row of the table took, not read: "
                           + line.original.strip())


# a word that is a figure or a code (digits, grouped or with decimals)
_FIGURE_WORD = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")


def _record_quality(builder: RecordBuilder, doc: Document, layout: Layout,
                    sections: list[tuple[str, bool, int]]) -> None:
    """The document-quality facts (readers/quality.py) that rulesets/_quality.rules judge."""
    kind = builder.get("doc.kind")
    scope = kind.get("value", "")[:2] if isinstance(kind, dict) else ""
    year = builder.get("doc.year")
    tables = {n for block in layout.blocks for n in range(block.first, block.last + 1)}
    toc = set(range(layout.toc[0], layout.toc[1] + 1)) if layout.toc else set()
    record_quality(builder, doc, scope=scope if scope in ("部门", "单位") else None,
                   title_lines=layout.title_lines, heading_lines=[s.heading_line for s in layout.sections],
                   skip_lines=tables | toc, class_lines=table_class_lines(builder.get("tables") or {}),
                   sections=sections, year=year.get("value") if isinstance(year, dict) else None)


def _check_is_disclosure(doc: Document, label: str) -> None:
    text = "".join(line.compact for line in doc.lines)
    found = [m for m in _MARKERS if m in text]
    if looks_like_final_accounts(text):
        raise ReaderError(f"{label} is a final-accounts disclosure (决算), not a budget (预算)",
                          Location(file=label))
    if "预算" not in text or len(found) < 3:
        raise ReaderError(
            f"{label} does not look like a budget disclosure (部门预算/单位预算): "
            f"found {', '.join(found) or 'none'} of the template's key phrases",
            Location(file=label))


def _list_unread_amounts(builder: RecordBuilder, doc: Document, section) -> None:
    """Sections nobody reads (duties, glossary, performance prose, part intros) may still hold
    amounts; each is listed so nothing disappears."""
    stream = section.stream(doc)
    for phrase in scan(stream):
        if phrase.unit in ("万元", "元", "亿元", "人", "辆", "台"):
            builder.unread_phrase(phrase, section.heading, f"in a section not read ({section.kind})")


def _list_unknown_table(builder: RecordBuilder, doc: Document, block) -> None:
    """A table under a title none of the readers knows: not read, but listed whole (its lines
    count in the coverage line as table lines), so an auditor sees which table was left out."""
    rows = [l for l in doc.content_lines(block.first + 1, block.last) if is_coded_row(l)]
    if rows:
        builder.add_unread(block.title, (block.first, block.last),
                           f"a table under a title the reader does not know ({len(rows)} coded rows "
                           f"not read): {block.title}")


# The nine tables of the national template (财预〔2016〕143号), by the key their title reads as
# (readers/budget/sections.py) and the name an auditor knows them by.
NATIONAL_TABLES = {"summary": "收支预算总表", "income": "部门收入总表", "expenditure": "部门支出总表",
                   "appropriation_summary": "财政拨款收支总表", "general_budget": "一般公共预算支出表",
                   "general_budget_basic": "一般公共预算基本支出表", "three_public": "财政拨款“三公”经费支出表",
                   "gov_fund": "政府性基金预算支出表", "state_capital": "国有资本经营预算支出表"}


def _tables_from(layout: Layout) -> int | None:
    """The first line of the tables' part: its heading (第二部分 预算表), else the first table's."""
    part = next((n for n, kind, _ in layout.parts if kind == "tables"), None)
    return part if part is not None else min((b.first for b in layout.blocks), default=None)


def _list_missing_tables(builder: RecordBuilder, doc: Document, layout: Layout,
                         pictured: bool = False) -> tuple[set[str], dict[str, int]]:
    """Lists the tables given only by reference, listed in the contents but not printed, or not
    printed at all; returns the keys of the tables the text refers to elsewhere ("详见附表"), and
    the line of the contents naming each table it lists.  *pictured*: the tables' part holds
    pictures (listed already, :mod:`..common.pictured`): a table the contents list and the text
    does not print may be one of them, not said to be unprinted."""
    referenced: set[str] = set()
    mentioned: dict[str, int] = {}
    for line in doc.lines:
        # every alternative holds 见: most lines are passed over without the regex call
        if "见" in line.compact and re.search(r"详见附表|见附表|详见附件|见附件|详见公开表", line.compact):
            builder.add_unread(_section_at(layout, line.number), (line.number, line.number),
                               f"table given only as a reference: {line.original.strip()}")
            mention = re.split(r"详见|见附|另见", line.compact)[0]   # the titles before "详见附表"
            referenced.update(key for piece in re.split(r"[、，,和及与]", mention)
                              if (key := table_title_key(piece)))
    printed = {b.key for b in layout.blocks}
    if layout.toc:
        for number in range(layout.toc[0], layout.toc[1] + 1):
            key = table_title_key(doc.line(number).compact)
            if key:
                mentioned.setdefault(key, number)
            if key and key not in printed and not pictured:
                builder.add_unread("目录", (number, number), "listed in the table of contents but "
                                   f"not printed: {doc.line(number).original.strip()}")
    if any(key in CODED_TABLES or key == "three_public" for key in printed):
        return referenced, mentioned
    part = next(((n, h) for n, kind, h in layout.parts if kind == "tables"), None)
    if part:
        builder.add_unread(part[1], (part[0], part[0]),
                           "standard budget tables (收支预算总表, 一般公共预算支出表 …) are not in the text")
    else:
        anchor = next((n for n, kind, _ in layout.parts if kind == "narrative"), 1)
        builder.add_unread("第二部分 预算表", (anchor, anchor),
                           "第二部分 预算表 is not in the text: no standard budget table was printed")
    return referenced, mentioned


def _required_tables(builder: RecordBuilder, layout: Layout, referenced: set[str],
                     listed: dict[str, int], pictured: bool = False) -> list[tuple[str, bool | None, int]]:
    """The national tables as quality.sections (QUA-010 warns of each one missing): present when
    printed, or referred to elsewhere ("详见附表"), and a fund's table when the narrative says the
    department has no such fund ("本部门没有使用国有资本经营预算拨款安排的支出": the empty table
    left out is explained); none when the text prints no standard table at all (its tables are
    published apart: the coverage report says so already).  A missing table the contents list
    points at that line of the contents.  *pictured*: the tables' part holds pictures, which the
    text cannot read: a table not found may be one of them -- not known (None), not missing."""
    printed = {b.key: b.first for b in layout.blocks}
    if not any(key in NATIONAL_TABLES for key in printed):
        return []
    explained = {fund for fund in ("gov_fund", "state_capital") if builder.get(f"{fund}.none") is not None}
    found = {key for key in NATIONAL_TABLES if key in printed or key in referenced or key in explained}
    return [(name, presence(key in found, pictured), printed.get(key, listed.get(key, 0)))
            for key, name in NATIONAL_TABLES.items()]


@lru_cache(maxsize=8)
def _tails(publisher: str) -> tuple[str, ...]:
    """The ends of the publisher's name of three characters or more, longest first."""
    return tuple(publisher[-size:] for size in range(len(publisher), 2, -1))


def _drop_publisher(node: dict, tails: tuple[str, ...]) -> None:
    """"景德镇市医疗保障局收入预算总额" is labelled "收入预算总额": the subject of the sentence is
    the document's publisher (or the tail of its name, "珠山区医疗保障局"), not part of the label.
    *tails*: the publisher's (:func:`_tails`); done to every figure and group as
    :func:`_figures_in` meets it."""
    label = node.get("label")
    # The tails of the publisher's name, longest first, as one tuple: str.startswith tries them
    # all at once, and most labels start with none.
    if isinstance(label, str) and "value" in node and label.startswith(tails):
        for tail in tails:
            if label.startswith(tail) and len(label) > len(tail):
                node["label"] = label[len(tail):]
                break


def _section_at(layout: Layout, number: int) -> str:
    current = ""
    for section in layout.sections:
        if section.heading_line <= number:
            current = section.heading
    return current


def _drop_unloadable(data: dict, builder: RecordBuilder, strip: bool = True) -> list[dict]:
    """Figures the record loader would refuse -- more than 30 digits, an exponent, digits other
    than 0-9, separators that do not group thousands, a bad source -- are taken out of the record
    and listed as unread, so that the rest of the document can still be audited.  The loader's
    own rules decide (records.figure_problems): the reader can never write a record that
    ``fiscalrules check`` refuses.  Every figure is found first, then all are judged in one go.

    The same walk takes the publisher's name off the labels (:func:`_drop_publisher`; not with
    *strip* false: taken off already).  Returns the figure mappings kept, for coverage (one walk
    over the record instead of three)."""
    found: list = []   # (the mapping or list holding it, its key, the figure, the holder's path)
    lists: list = []   # every list met: their empty places are closed up at the end
    tails = _publisher_tails(builder) if strip else None
    _figures_in(data, "", found, lists, tails)
    problems = figure_problems([item[2] for item in found])
    # A cell of a table's rows that cannot be read takes the whole table out: left out of its row
    # alone it read as a blank (0), and the 合计 was summed against fewer rows -- a false failure
    # blaming a correct figure (session 24 sweep: a 41-digit project amount failed PRJ-010/011/016).
    unread_tables = {}
    for (node, key, child, path), problem in zip(found, problems):
        table = _row_table(path) if problem is not None else None
        if table is not None and table not in unread_tables:
            unread_tables[table] = problem
    kept: list[dict] = []
    spans: dict = {}   # a table taken out → the lines of its figures
    for (node, key, child, path), problem in zip(found, problems):
        table = _table_of(path) if unread_tables else None
        if table in unread_tables:
            line = _line_of(child if isinstance(child, dict) else node)
            if line:
                low, high = spans.get(table, (line, line))
                spans[table] = (min(low, line), max(high, line))
            continue
        if problem is None:
            if type(child) is dict:
                kept.append(child)
            continue
        line = _line_of(child if isinstance(child, dict) else node)
        what = "amount" if isinstance(child, dict) else "value"
        builder.add_unread(f"{path}.{key}" if path else str(key), (line, line), f"{what} not read: {problem}")
        if isinstance(node, dict):
            del node[key]
        else:
            node[key] = None
    for table, problem in unread_tables.items():
        taken = data["tables"].pop(table)
        title = taken.get("title") if isinstance(taken, dict) else None
        builder.add_unread(title if isinstance(title, str) and title else f"tables.{table}", spans.get(table, (0, 0)),
                           f"table not read: a cell of its rows cannot be read ({problem})")
    for node in lists:
        node[:] = [item for item in node if item is not None]
    return kept


def _table_of(path: str) -> str | None:
    """The table key of a figure's holder path (``tables.projects.rows.0`` → ``projects``)."""
    if not path.startswith("tables."):
        return None
    return path.split(".", 2)[1]


def _row_table(path: str) -> str | None:
    """The table key when the holder *path* is a row of one (a list index below the table):
    ``tables.projects.rows.0`` → ``projects``; not its 合计 (``tables.projects.totals``)."""
    table = _table_of(path)
    if table is None:
        return None
    return table if any(part.isdigit() for part in path.split(".")[2:]) else None


def _figures_in(node, path: str, found: list, lists: list, tails: tuple[str, ...] | None = None) -> None:
    """Every figure under *node*, in order, into *found* (see :func:`_drop_unloadable`); with
    *tails*, the publisher's name taken off every label met."""
    if isinstance(node, dict):
        items = node.items()
        if tails:
            _drop_publisher(node, tails)
    elif isinstance(node, list):
        items = enumerate(node)   # type: ignore[assignment]
        lists.append(node)
    else:
        return
    for key, child in items:
        if child is None:
            continue
        kind = type(child)
        # (a dict holding "value" may be a figure; one without never is: the common group or row
        # is passed over without is_figure_mapping's look at every key)
        if (kind is str or not isinstance(child, (dict, list))
                or ("value" in child if kind is dict else kind is not list) and is_figure_mapping(child)):
            if tails and isinstance(child, dict):
                _drop_publisher(child, tails)
            found.append((node, key, child, path))
            continue
        _figures_in(child, f"{path}.{key}" if path else str(key), found, lists, tails)


def _line_of(node) -> int:
    """The line a figure (or the row holding a plain value) was printed on, from a source."""
    if isinstance(node, dict):
        for item in (node, *node.values()):
            if isinstance(item, dict) and isinstance(item.get("source"), dict):
                return int(item["source"].get("line") or 0)
    return 0


def _assemble(builder: RecordBuilder, doc: Document, layout: Layout, load: bool = False,
              file: str | None = None) -> tuple[dict, Record | None]:
    """The record (and, with *load*, the Record ``load_record(record, file=file)`` makes of it)."""
    name = doc.name
    # (a row the record model cannot hold -- a code twice -- is listed, not the document refused)
    builder.list_twin_printings()   # (a figure printed in two units: the printing beside it listed)
    builder.drop_repeated_rows()
    indexing = _indexed_as_written(builder, doc, file) if load else None
    if indexing is None:
        figures = _drop_unloadable(builder.data, builder, strip=not load)
        if not load:   # (with *load* _indexed_as_written has located them)
            locate_sources(builder.data, doc)
        ordered = _in_key_order(builder.data)
    else:
        figures, ordered = indexing[1], indexing[0].data
    list_blank_pages(builder, doc)
    orphans = _list_orphan_rows(builder, doc, layout, figures)
    stem = record_id(name)
    unread = sorted(builder.unread, key=lambda u: (u["lines"][0], u["lines"][1]))
    locate_unread(unread, doc)
    record = {"_meta": {"id": stem, "document": name, "template": TEMPLATE, "unread": unread}}
    for key, value in ordered.items():
        record.setdefault(key, value)
    table_lines = {n for block in layout.blocks for n in range(block.first + 1, block.last + 1)}
    table_lines |= orphans
    skip = set(range(layout.toc[0], layout.toc[1] + 1)) if layout.toc else set()
    record["_meta"]["coverage"] = measure(record, doc, table_lines, skip, figures=figures, restated=builder.restated)
    if indexing is not None:
        indexing[0].data = record   # the same figures and tables, now with their _meta
        return record, indexing[0].record()
    return record, load_record(record, file=file) if load else None


def _list_orphan_rows(builder: RecordBuilder, doc: Document, layout: Layout,
                      figures: list[dict]) -> set[int]:
    """Rows of a table outside every table block (a table whose title was lost or not
    recognised as a table's): a code, a name and figures without a money unit, or figures printed
    as table cells alone (a cell a line, as pdftotext without -layout writes a table), nothing read
    from the line. Listed as unread, and returned so the coverage line counts their cells as the table
    cells they are -- an unrecognised table is never silently left out of the count."""
    sourced = {fig["source"].get("line") for fig in figures if isinstance(fig.get("source"), dict)}
    toc = layout.toc or (0, -1)
    runs: list[list[int]] = []
    for line in doc.lines:
        number = line.number
        if line.blank or doc.is_noise(number):
            continue
        if toc[0] <= number <= toc[1] or number in sourced or layout.in_blocks(number) \
                or "元" in line.text or not (is_coded_row(line) or stray_cells(line)):
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs:
            runs.append([])
        runs[-1].append(number)
    for run in filter(None, runs):
        builder.add_unread(_section_at(layout, run[0]), (run[0], run[-1]),
                           f"{len(run)} table row(s) outside any table the reader knows, not read: "
                           f"{doc.line(run[0]).original.strip()} …")
    return {number for run in runs for number in run}


def _in_key_order(data: dict) -> dict:
    """The record's parts in the documented order (docs/budget-record.md), then any other."""
    ordered = {key: data[key] for key in _KEY_ORDER[1:] if key in data}
    for key, value in data.items():
        ordered.setdefault(key, value)
    return ordered


def _indexed_as_written(builder: RecordBuilder, doc: Document, file: str | None) -> tuple[Indexing, list[dict]] | None:
    """The loader's index of the record as the readers wrote it, and its figure mappings (for
    coverage), when the loader refuses nothing in it -- the common case, where
    :func:`_drop_unloadable` would leave every figure in and the loader's own walk is the check
    (the quick judgement of each figure, then the loader's walk, was twice the work).  None
    (nothing changed but the publisher's name taken off the labels and the sources located,
    which :func:`_assemble` does anyway) when something is refused: the figures are then judged
    one by one and the refused ones left out, as without *load*."""
    figures: list[dict] = []
    lists: list[list] = []
    _labels_and_figures(builder.data, _publisher_tails(builder), figures, lists)
    locate_sources(builder.data, doc)   # before the index: the Record's sources name their pages
    if any(None in items for items in lists):
        return None   # a list's empty places are closed up first (_drop_unloadable)
    indexing = Indexing(_in_key_order(builder.data), file)
    if not indexing.index():
        return None
    return indexing, figures


def _labels_and_figures(node: dict | list, tails: tuple[str, ...] | None, figures: list[dict],
                        lists: list[list]) -> None:
    """What :func:`_figures_in` does where nothing is to be judged: the publisher's name taken
    off the labels of *node*'s groups and figures, its figure mappings (plain dicts) into
    *figures* and its lists into *lists* -- without a path and a tuple for every figure."""
    if isinstance(node, dict):
        if tails and "label" in node:   # (what _drop_publisher looks at first)
            _drop_publisher(node, tails)
        children = node.values()
    else:
        lists.append(node)
        children = node   # type: ignore[assignment]
    for child in children:
        if isinstance(child, dict):
            if "value" in child and is_figure_mapping(child):
                if tails and "label" in child:
                    _drop_publisher(child, tails)
                if type(child) is dict:
                    figures.append(child)
                continue
            _labels_and_figures(child, tails, figures, lists)
        elif isinstance(child, list):
            _labels_and_figures(child, tails, figures, lists)


def _publisher_tails(builder: RecordBuilder) -> tuple[str, ...] | None:
    publisher = builder.get("doc.publisher")
    return _tails(publisher["value"]) if isinstance(publisher, dict) and publisher.get("value") else None
