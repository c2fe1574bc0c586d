"""The two-sided summary tables: 收支(预算)总表 / 财务收支预算总表 and 财政拨款收支(预算)总表.

Income on the left, expenditure on the right, on the same lines: the header's top line names the
sides ("本年收入 | 本年支出", "财政拨款收入 | 财政拨款支出", "收入 | 支出"; or, a header of one line, each
over its 项目 column: "收入项目 | 预算数 | 支出项目 | 预算数"), each side has a name column
("项目") and one or more figure columns ("预算数"; "合计 / 一般公共预算 / 政府性基金预算 /
国有资本经营预算"). Each side becomes ``tables.<key>.income`` / ``.expenditure`` with ``rows``
(``name``, ``level`` from the enumerator: 一、 → 1, 1. / (一) → 2; ``code`` when the name is a
standard function class; one figure per column) and ``totals`` (the 收入总计 / 支出总计 line;
a 合计 line -- 本年收入合计 in the national layout, before 上年结转 -- is ``totals.subtotal_<column>``
beside it, or the totals where the side prints no 总计).
"""

from __future__ import annotations

import re

from ...document.model import Document, Line, Word, char_columns, normalise, printed_in_pdf
from ...document.tables import read_grid
from ..common.classes import match_function
from ..common.columns import UNIT_SUFFIX
from ..common.cells import BLANK, CELL_NUMBER, cell_value
from ..common.record import RecordBuilder, figure, source
from .sections import Block
from .prior_columns import budget_year, names_last_year
from .summary_parts import PartsBelow, indentation

__all__ = ["read_two_sided"]

_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+[、.]")
_LEVEL2 = re.compile(r"^(?:\d{1,2}[.、)]|\([一二三四五六七八九十\d]+\))")
_PARTS_OPEN = re.compile(r"^其中[:：]")
_TOTAL = re.compile(r"(?:收入|支出)?(?:总计|合计)$")
_SIDE_COLUMNS: list[tuple[str, str]] = [
    (r"^(?:合计|小计)$", "total"),
    (r"人员经费", "personnel"),
    (r"公用经费", "public"),
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"一般公共预算", "general_budget"),
    (r"政府性基金", "gov_fund"),
    (r"国有资本经营", "state_capital"),
    (r"预算数|金额|预算", "amount"),
]


def _is_body(line: Line) -> bool:
    """Rows carry a figure or an enumerated name ("2、政府性基金", "二、事业收入"), or open the parts
    of the row above ("其中：一般公共预算拨款", its cells blank: a row, not the rest of the name
    above it -- joined to "上年结转结余", the parts below were taken for income of their own);
    header lines carry none of these."""
    return any(CELL_NUMBER.match(w.text) or _LEVEL1.match(normalise(w.text)) or _LEVEL2.match(normalise(w.text))
               for w in line.words) or bool(line.words and _PARTS_OPEN.match(line.words[0].text))


def read_two_sided(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                   unit: str) -> None:
    base = f"tables.{block.key}"
    title = block.title
    # (the lines naming the publisher and the unit above the header -- "部门：某厅  单位：万元" as
    # Guangdong prints them -- are no header line: taken for its top one, they hid the sides' names)
    kept = [l for l in lines if not _about_table(l.compact)]
    grid = read_grid(doc, kept, _is_body, unit)
    sides = _sides(grid.columns, budget_year(builder, [c.header for c in grid.columns]))
    glued = sides is not None and _glued(grid, sides)
    if (sides is None or glued) and not printed_in_pdf(kept) and _read_by_tokens(builder, doc, block, kept, unit):
        return
    if glued:
        # figures inside the sides' name cells and no header to place them by: the columns say
        # nothing -- the table is listed, its figures never taken as names (they were lost so)
        for line in [row.line for row in grid.rows] + list(grid.loose):
            if any(CELL_NUMBER.match(t) for t in line.text.split()):
                builder.add_unread(title, (line.number, line.number),
                                   f"two-sided table: its columns were not found: {line.original.strip()}")
        builder.put(f"{base}.empty", False)
        return
    if not grid.rows or sides is None:
        if grid.rows or grid.loose:
            builder.add_unread(title, (block.first, block.last),
                               "two-sided income/expenditure table: its two sides were not found")
        builder.put(f"{base}.empty", not grid.rows)
        return
    builder.put(f"{base}.unit", unit)
    read_any = False
    parts = PartsBelow()
    known = {index for name_column, figure_columns in sides.values()
             for index in [name_column, *(i for i, _ in figure_columns)]}   # (the sides' columns)
    for row in grid.rows:
        printed = row.excerpt
        if any(c not in known and CELL_NUMBER.match(cell.text) for c, cell in row.cells.items()):
            # a figure under a column of neither side (a header word not understood): listed, never dropped
            builder.add_unread(title, (row.line.number, row.line.number),
                               f"a figure under a column of neither side: {printed}")
            continue
        for side, (name_column, figure_columns) in sides.items():
            name_cell = row.cells.get(name_column)
            values = {}
            understood = True
            for index, key in figure_columns:
                cell = row.cells.get(index)
                if cell is None or cell.text in BLANK:
                    continue
                if not CELL_NUMBER.match(cell.text) or key in values:
                    # (two columns of one key -- a header word not told apart -- are never one
                    # figure overwriting the other: the side is listed)
                    understood = False
                    break
                value = cell_value(cell.text)
                values[key] = figure(value, unit, printed=cell.text if cell.text != value else None,
                                     src=source(doc.name, title, row.line.number, printed, box=cell.box))
            if name_cell is None and not values:
                continue
            if not understood or name_cell is None:
                builder.add_unread(title, (row.line.number, row.line.number),
                                   f"{side} side of the row not understood: {printed}")
                continue
            name = "".join(name_cell.text.split())
            indent = indentation(row.line.original, name_cell.start, name_cell.box)
            read_any = _put_row(builder, base, side, title, name, values, row.line.number, parts, indent) \
                or read_any
    _settle_totals(builder, base)
    builder.put(f"{base}.empty", not read_any)


# The table's number ("表四", "附表4-1"), printed on a line of its own or before the publisher / unit
# line: a workbook's sheet prints it under the title, "表四 … 单位：万元"
_TABLE_NUMBER = re.compile(r"^(?:附表|表)[\d一二三四五六七八九十]+(?:[-—－之][\d一二三四五六七八九十]+)?")


def _about_table(compact: str) -> bool:
    """Whether a line above the header is about the table -- its number, publisher or unit --
    and no header line: taken for the header's top one, such a line hid the sides' names."""
    number = _TABLE_NUMBER.match(compact)
    body = compact[number.end():] if number else compact
    if number and not body:
        return True
    return bool(re.match(r"^(?:编制部门|编制单位|填报单位|部门名称|单位名称|部门[:：])", body)
                or re.match(r"^(?:金额)?单位[:：]", body))


def _glued(grid, sides) -> bool:
    """Whether the text grid left figures inside a side's name cells ("189,767,551 一、一般公共服务支出
    3,296,600": pdftotext -layout pushed a figure across the columns): its columns say nothing."""
    for row in grid.rows:
        for name_column, _ in sides.values():
            cell = row.cells.get(name_column)
            if cell is not None and any(CELL_NUMBER.match(t) for t in cell.text.split()):
                return True
    return False


def _put_row(builder: RecordBuilder, base: str, side: str, title: str, name: str, values: dict,
             line_number: int, parts: PartsBelow, indent: float | None) -> bool:
    """Put one side of a printed row: a 合计/总计 row into the side's totals, any other row into its
    rows (level from its numbering, or as a part under the row above -- *parts*, given the name's
    *indent*: :mod:`.summary_parts` --, an expenditure row's 功能分类 code from its name). Returns
    whether anything was read."""
    # (the numbering read as the normalised line reads it: a PDF's or a workbook's cell keeps the
    # full-width brackets the template prints -- "（一）事业收入" under "五、单位资金" was taken for a
    # row of its own and summed with the group it is a part of, a false TSU-004)
    plain = normalise(name)
    if _TOTAL.search(plain) and not _LEVEL1.match(plain) and not _LEVEL2.match(plain):
        # The national layout prints 本年收入合计, then 上年结转, then 收入总计: a 合计 is the
        # side's total only when no 总计 follows it (_settle_totals).
        prefix = _SUBTOTAL if name.endswith("合计") else ""
        for key, value in values.items():
            builder.put(f"{base}.{side}.totals.{prefix}{key}", value, section=title,
                        lines=(line_number, line_number))
        return bool(values)
    numbered_part = bool(_LEVEL2.match(plain))
    entry: dict = {"name": name, "level": parts.level(side, name, numbered_part, indent)}
    if numbered_part and parts.parent(side) is not None:
        entry["parent"] = parts.parent(side)
    code = match_function(re.sub(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、)])", "", plain)) \
        if side == "expenditure" else None
    if code:
        entry["code"] = code
    entry.update(values)
    builder.append(f"{base}.{side}.rows", entry, section=title)
    return True

_SUBTOTAL = "subtotal_"


def _settle_totals(builder: RecordBuilder, base: str) -> None:
    """A side's totals are its 总计 line ("收入总计"); its 合计 line ("本年收入合计", the rows
    before 上年结转) stays beside them as ``subtotal_<column>``. A side that prints no 总计 has
    its 合计 for totals."""
    for side in ("income", "expenditure"):
        totals = builder.get(f"{base}.{side}.totals")
        if isinstance(totals, dict) and totals and all(k.startswith(_SUBTOTAL) for k in totals):
            for key in list(totals):
                totals[key[len(_SUBTOTAL):]] = totals.pop(key)


def _sides(columns, year: int | None = None) -> dict[str, tuple[int, list[tuple[int, str]]]] | None:
    """{side: (name column, [(figure column, key)])} from the header paths, or None; a column of
    last year's figures beside this year's ("上年预算数" / "2024年预算数" in a 2025 budget: *year*) is
    ``prior``."""
    sides: dict[str, list] = {}
    item_side = None     # (a header of one line naming each side over its 项目 column only -- "收入项目 |
    # 2026年预算数 | 支出项目 | 2026年预算数": a figure column is the side's whose 项目 column it follows)
    for column in sorted((c for c in columns if c.header), key=lambda c: c.index):
        top, one_line = column.header[0], len(column.header) == 1
        named = "income" if "收入" in top else "expenditure" if "支出" in top else None
        side = named or (item_side if one_line else None)
        if side is None:
            return None
        item_side = (named if named and re.search(r"项目|名称|科目", top) else item_side) if one_line else None
        sides.setdefault(side, []).append(column)
    if set(sides) != {"income", "expenditure"}:
        return None
    out = {}
    for side, side_columns in sides.items():
        name_column = None
        figures = []
        for column in side_columns:
            leaf = column.leaf
            if name_column is None and re.search(r"项目|名称|科目", leaf):
                name_column = column.index
                continue
            if not UNIT_SUFFIX.sub("", leaf) and len(column.header) > 1:
                leaf = column.header[-2]     # ("合计 / （元）": the unit printed under the header word)
            key = "prior" if names_last_year(column.header, year) else _side_key(leaf)
            if key is None:
                key = f"col_{column.index + 1}"
            figures.append((column.index, key))
        if name_column is None:
            return None
        out[side] = (name_column, figures)
    return _by_name_columns(out)


def _by_name_columns(sides: dict[str, tuple[int, list[tuple[int, str]]]]) -> dict:
    """*sides* with each figure column on the side whose 项目 column it follows: the template prints
    a side as its 项目 column, then its figures, so a figure column between the income's 项目 and
    the expenditure's is the income's -- whichever side's title text without rules set nearer it
    ("收入" and "支出" each over its 项目 only, the income's 预算数 nearer "支出": Sichuan's
    部门收支总表).  *sides* as they are when the income's 项目 is not the first or a figure column
    stands before it."""
    income_name, income_figures = sides["income"]
    expenditure_name, expenditure_figures = sides["expenditure"]
    every = sorted(income_figures + expenditure_figures)
    if not income_name < expenditure_name or any(index < income_name for index, _ in every):
        return sides
    return {"income": (income_name, [f for f in every if f[0] < expenditure_name]),
            "expenditure": (expenditure_name, [f for f in every if f[0] > expenditure_name])}


# --- text without column positions ("项目 预算数 项目 预算数", cells separated by single spaces) ---

_NAME_HEADER = re.compile(r"^(?:项目|名称|科目|科目名称|项目名称)$")
_EXPENDITURE_NAME = re.compile(r"支出(?:总计|合计)?$")
_INCOME_NAME = re.compile(r"收入|资金|基金|经营预算|拨款")
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、)]|\([一二三四五六七八九十\d]+\))")
_ENUMERATOR_ONLY = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、)]|\([一二三四五六七八九十\d]+\))$")


def _read_by_tokens(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                    unit: str) -> bool:
    """The two sides from the order of the words when the text keeps no columns: the header
    line names each side's figure columns after its 项目; a row is the income name and its
    figures, then the expenditure name and its figures. A line with one name goes to the side
    its name belongs to ("…支出" is expenditure; "…收入", "…资金", "…基金", "…经营预算" income;
    else a function class is expenditure), else it is not placed. A side is read only when every one of its rows
    was placed with as many figures as it has columns (or none; a line of names alone that cannot
    be told apart holds nothing to sum and is passed over) -- blank cells leave no trace in
    the tokens, and a side read in part would be summed as if whole -- or, in text keeping its
    columns by character (``pdftotext -layout``), by where its figures end (:class:`_HeaderEdges`).
    Returns False when no header names two sides."""
    year = budget_year(builder, [line.text.split() for line in lines])
    header_at, found = next(((index, found) for index, line in enumerate(lines)
                             if (found := _header_of(line, year)) is not None), (None, None))
    if found is None:
        return False
    second_name, columns = found
    edges = _HeaderEdges(lines[header_at], second_name)
    stacked = edges.stacked(lines, header_at)
    first_row = header_at + 1
    if stacked is not None:    # (a header over several lines: 基本支出 over 人员经费 / 公用经费)
        columns, first_row = stacked
    base = f"tables.{block.key}"
    title = block.title
    placed: dict[str, list] = {"income": [], "expenditure": []}
    failed: dict[str, list[Line]] = {"income": [], "expenditure": []}
    first_only: dict[str, dict[int, tuple[str, str]]] = {"income": {}, "expenditure": {}}
    # A table continued over pages repeats its header on each ("续表" above it): -layout lays out
    # each page on its own, so a page's rows are placed by its own header's edges, and its header
    # lines are no rows.
    pages = [edges]
    index = first_row
    while index < len(lines):
        line = lines[index]
        index += 1
        again = _header_of(line, year)
        if again is not None:
            page = _HeaderEdges(line, again[0])
            restacked = page.stacked(lines, index - 1)
            page_columns, after = restacked if restacked is not None else (again[1], index)
            # (the first page's header again: its columns, on one line or stacked as that one was)
            if (restacked is None) == (stacked is None) and page_columns == columns:
                edges = page
                pages.append(page)
                index = after
                continue
        if _continues(line):
            continue
        segments = _segments(line.text.split())
        if segments is None:
            failed["income"].append(line)
            failed["expenditure"].append(line)
            continue
        if len(segments) == 2:
            sided = list(zip(("income", "expenditure"), segments))
        elif len(segments) == 1:
            side = _side_of(segments[0][0])
            if side is None and not segments[0][1] and not any(_NAME_HEADER.match(t) for t in line.text.split()):
                # names alone, no figure ("上年结转结余  结转下年": two cells the tokens run
                # together): nothing to sum is lost, the sides are still read whole -- but a
                # header line not the table's ("项目 合计 项目 预算数" over a page) is no such line
                continue
            if side is None:
                failed["income"].append(line)
                failed["expenditure"].append(line)
                continue
            sided = [(side, segments[0])]
        else:
            continue
        figures = edges.figures(line, [numbers for _, (_, numbers) in sided])
        for (side, (name, numbers)), words in zip(sided, figures):
            if numbers and len(numbers) != len(columns[side]):
                # blank cells left no trace in the tokens: placed by where the figures end, in
                # text that keeps its columns (pdftotext -layout), else the side is not read
                at = edges.place(side, words)
                if at is not None and columns[side][0] == "total" and 0 not in at:
                    # a row printing parts prints its total (合计): its first figure placed under
                    # a part is text whose figures overflow their columns (pdfplumber's layout:
                    # digits narrower than its character grid end right of their headers' edges)
                    at = None
                if at is None:
                    failed[side].append(line)
                    if columns[side][0] == "total" and _TOTAL.search(name) and not _ENUMERATED.match(name):
                        # (its first figure is its 合计 whatever stands blank after it: kept)
                        first_only[side][line.number] = (name, numbers[0])
                else:
                    placed[side].append((line, name, [(columns[side][i], n) for i, n in zip(at, numbers)]))
                    edges.placed_by_edge.add((side, line.number))
            else:
                placed[side].append((line, name, list(zip(columns[side], numbers))))
                edges.note(side, range(len(numbers)), words)
    for side in ("income", "expenditure"):
        for page in pages:
            if not page.line_up(side):   # a column's figures not ending together: the edges say nothing
                moved = [p for p in placed[side] if (side, p[0].number) in page.placed_by_edge]
                failed[side].extend(p[0] for p in moved)
                placed[side] = [p for p in placed[side] if p not in moved]
    read_any = False
    builder.put(f"{base}.unit", unit)
    for side in ("income", "expenditure"):
        if failed[side]:
            for line in sorted({l.number: l for l in failed[side] + [p[0] for p in placed[side]]}.values(),
                               key=lambda l: l.number):
                kept = first_only[side].get(line.number)
                if kept is not None:
                    _put_first_total(builder, base, side, title, line, kept, unit, doc.name)
                elif any(CELL_NUMBER.match(t) for t in line.text.split()):
                    builder.add_unread(title, (line.number, line.number),
                                       f"{side} side not read: text without column positions, a row "
                                       f"could not be placed: {line.original.strip()}")
            continue
        parts = PartsBelow()
        for line, name, cells in placed[side]:
            printed = line.original.strip()
            values = {}
            for key, cell in cells:
                value = cell_value(cell)
                values[key] = figure(value, unit, printed=cell if cell != value else None,
                                     src=source(doc.name, title, line.number, printed))
            # (the income side's name opens the line: its blanks before it are its indentation)
            indent = indentation(line.original, len(line.original) - len(line.original.lstrip())) \
                if side == "income" else None
            read_any = _put_row(builder, base, side, title, name, values, line.number, parts, indent) \
                or read_any
    _settle_totals(builder, base)
    builder.put(f"{base}.empty", not read_any and not failed["income"] and not failed["expenditure"])
    return True


def _put_first_total(builder: RecordBuilder, base: str, side: str, title: str, line: Line,
                     kept: tuple[str, str], unit: str, document: str) -> None:
    """The 合计 of a side's totals line whose other figures could not be placed (blank cells gone):
    read, the rest listed as not read of the side's totals (a rule over ``totals.*`` is not
    evaluable: they hold less than was printed)."""
    name, cell = kept
    printed = line.original.strip()
    value = cell_value(cell)
    prefix = _SUBTOTAL if name.endswith("合计") else ""
    builder.put(f"{base}.{side}.totals.{prefix}total",
                figure(value, unit, printed=cell if cell != value else None, src=source(document, title, line.number, printed)),
                section=title, lines=(line.number, line.number))
    builder.add_unread(title, (line.number, line.number),
                       f"{side} side not read: text without column positions, a row could not be placed "
                       f"(of its totals line, its 合计 only read): {printed}", group=f"{base}.{side}.totals")


def _header_of(line: Line, year: int | None = None) -> tuple[int, dict[str, list[str]]] | None:
    """(the token at which the expenditure side's 项目 stands, each side's column keys) of a header
    line naming two sides ("项目 预算数 项目 预算数"; last year's column beside this year's -- *year*
    the budget's -- is ``prior``), else None (also where a side names two columns alike)."""
    tokens = _letters_joined(line.text.split())
    names = [i for i, t in enumerate(tokens) if _NAME_HEADER.match(t)]
    if len(names) != 2 or names[0] != 0:
        return None

    def key(token: str) -> str | None:
        return "prior" if names_last_year([token], year) else _side_key(token)
    income = [key(t) for t in tokens[1:names[1]]]
    expenditure = [key(t) for t in tokens[names[1] + 1:]]
    if not income or not expenditure or None in income + expenditure \
            or len(set(income)) < len(income) or len(set(expenditure)) < len(expenditure):
        return None
    return names[1], {"income": income, "expenditure": expenditure}


_CONTINUES = re.compile(r"^(?:.*[(（]续(?:上)?表[)）]|续(?:上)?表)$")


def _continues(line: Line) -> bool:
    """A line heading a table's next page: "续表" (or a title "…（续表）", "（续上表）"), or the sides'
    titles repeated ("本年收入  本年支出"); no figure, no row."""
    tokens = line.text.split()
    return bool(tokens) and (_CONTINUES.match(line.compact) is not None
                             or all(_SIDE_TITLE.match(t) for t in tokens)
                             or _SIDE_TITLES.fullmatch(line.compact) is not None)   # ("收 入 支 出", letter-spaced)


class _HeaderEdges:
    """Where a two-sided table's figure columns are in text that keeps its columns by character
    (``pdftotext -layout``): figures are right-aligned in their cells and the header's words
    centred over them, so a figure stands under the last header word of its side starting left of
    its right edge -- and every figure of a column ends where the others do (within _SLACK: the
    check that the text keeps its columns at all; text written with single spaces never does)."""

    def __init__(self, header: Line, second_name: int):
        words = _letters_joined(char_columns(header).words)
        self.spaced = _spaced(words)
        self.name_start = words[second_name].x0      # the expenditure side's 项目
        self.starts = {"income": [w.x0 for w in words[1:second_name]],
                       "expenditure": [w.x0 for w in words[second_name + 1:]]}
        self.ends: dict[tuple[str, int], list[float]] = {}
        self.placed_by_edge: set = set()

    def stacked(self, lines: list[Line], header_at: int) -> tuple[dict[str, list[str]], int] | None:
        """Each side's figure columns from a header printed over several lines -- the leaf words
        under the sides' titles, a group title (基本支出 over 人员经费 and 公用经费, 预算数 over a
        whole side) left out: a word with words of lower header lines close under it on both sides
        of its centre -- in text keeping its columns by character; None where the header is one
        line, or a leaf word names no column; else with the index of the line after the header."""
        if not self.spaced:
            return None
        top = header_at
        while top > 0 and header_at - top < 3 and not _is_body(lines[top - 1]) \
                and not re.match(r"^(?:编制|(?:金额)?单位[:：])", lines[top - 1].compact):
            top -= 1
        bottom = header_at + 1
        while bottom < len(lines) and bottom - header_at <= 3 and not _is_body(lines[bottom]):
            bottom += 1
        block = [(at, w) for at in range(top, bottom) for w in char_columns(lines[at]).words
                 if not _NAME_HEADER.match(w.text) and not _SIDE_TITLE.match(w.text)]
        if all(at == header_at for at, _ in block):
            return None
        leaves = sorted((w for at, w in block if not _is_group(at, w, block)), key=lambda w: w.x0)
        out: dict[str, list[str]] = {"income": [], "expenditure": []}
        starts: dict[str, list[float]] = {"income": [], "expenditure": []}
        for word in leaves:
            key = _side_key(word.text)
            if key is None:
                return None
            side = "income" if word.x1 <= self.name_start else "expenditure"
            out[side].append(key)
            starts[side].append(word.x0)
        if not out["income"] or not out["expenditure"]:
            return None
        self.starts = starts
        return out, bottom

    def figures(self, line: Line, numbers: list[list[str]]) -> list[list]:
        """The words (at character offsets) of each side's figures on *line*, in order."""
        words = [w for w in char_columns(line).words if CELL_NUMBER.match(w.text)]
        out, at = [], 0
        for side_numbers in numbers:
            out.append(words[at:at + len(side_numbers)])
            at += len(side_numbers)
        return out

    def place(self, side: str, words: list) -> list[int] | None:
        """The figure column of each of *words* by its right edge; None where the text keeps no
        columns (its header's words one space apart), a figure stands left of every header word,
        or two stand under one.  (Two figures of a row may stand one space apart: -layout puts a
        long figure's start against the one before.)"""
        if not self.spaced or not words:
            return None
        starts = self.starts[side]
        at = [max((i for i, x0 in enumerate(starts) if x0 < w.x1), default=None) for w in words]
        if None in at or len(set(at)) != len(at):
            return None
        if any(b.x0 - a.x1 <= 1 and j - i > 1 for a, b, i, j in zip(words, words[1:], at, at[1:])):
            # a figure set one space after the one before (pushed on by it: where it ends says
            # little) placed beyond a blank column: which of the two heads it is a guess
            return None
        self.note(side, at, words)
        return at

    def note(self, side: str, columns, words: list) -> None:
        for column, word in zip(columns, words):
            self.ends.setdefault((side, column), []).append(word.x1)

    def line_up(self, side: str) -> bool:
        return all(max(xs) - min(xs) <= _SLACK for (s, _), xs in self.ends.items() if s == side)


_SIDE_TITLES = re.compile(r"(?:(?:本年|财政拨款)?(?:收入|支出)(?:预算)?){2}")


def _letters_joined(words: list) -> list:
    """*words* (texts or :class:`Word`s) with a header word printed letter-spaced ("项 目": a cell's
    characters spread over its width, each a word of one letter) as the one word it is: a run of
    two or more one-letter words of Chinese characters joined."""
    out: list = []
    run: list = []
    for word in [*words, None]:
        text = None if word is None else getattr(word, "text", word)
        if text is not None and len(text) == 1 and "\u4e00" <= text <= "\u9fff":
            run.append(word)
            continue
        if len(run) > 1:
            texts = [getattr(w, "text", w) for w in run]
            out.append("".join(texts) if isinstance(run[0], str) else
                       Word("".join(texts), run[0].x0, run[-1].x1, run[0].start, run[-1].end))
        else:
            out.extend(run)
        run = []
        if word is not None:
            out.append(word)
    return out


_SLACK = 3   # characters: -layout ends a right-aligned figure a character or two off
_GROUP = 16  # characters: how far under a group title its columns' titles stand, at the most
_SIDE_TITLE = re.compile(r"^(?:本年|财政拨款)?(?:收入|支出)(?:预算)?$")


def _is_group(at: int, word, block: list) -> bool:
    """Whether *word* (of header line *at*) titles a group: words of lower lines stand close under
    it on both sides of its centre."""
    centre = (word.x0 + word.x1) / 2
    below = [(w.x0 + w.x1) / 2 for line, w in block if line > at]
    return any(0 < centre - c <= _GROUP for c in below) and any(0 < c - centre <= _GROUP for c in below)


def _spaced(words: list) -> bool:
    """Whether some two of *words* stand more than one space apart (text keeping columns)."""
    return any(b.x0 - a.x1 > 1 for a, b in zip(words, words[1:]))


def _side_key(token: str) -> str | None:
    token = UNIT_SUFFIX.sub("", token)   # ("合计（元）": the unit printed in the header cell)
    return next((k for pattern, k in _SIDE_COLUMNS if re.search(pattern, token)), None)


def _segments(tokens: list[str]) -> list[tuple[str, list[str]]] | None:
    """[(name, figures)] in order; None when a figure comes before any name."""
    out: list[tuple[str, list[str]]] = []
    for token in tokens:
        if CELL_NUMBER.match(token):
            if not out:
                return None
            out[-1][1].append(token)
        elif token in BLANK:
            continue
        elif out and not out[-1][1] and (_ENUMERATOR_ONLY.match(out[-1][0]) or not _ENUMERATED.match(token)):
            out[-1] = (out[-1][0] + token, [])        # "1." "一般公共预算资金": one name
        else:
            out.append((token, []))                   # a figure or an enumerator ends a name
    return out


def _side_of(name: str) -> str | None:
    bare = re.sub(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、)]|\([一二三四五六七八九十\d]+\))", "", name)
    if _EXPENDITURE_NAME.search(bare):
        return "expenditure"
    if _INCOME_NAME.search(bare):
        return "income"
    if match_function(bare):
        return "expenditure"
    return None
