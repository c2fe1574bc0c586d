"""The coded 决算 tables: 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表 and the two fund tables.

They go through the generic grid (:func:`fiscalrules.document.tables.read_grid`): columns and their
header paths from where words stand, 类/款/项 codes printed apart or joined, names wrapped onto
their own lines, a 款 / 项 printed as its own two digits rebuilt from the rows above.  In
single-spaced text (one grid column holds the whole header) a line is read by its tokens, its
figures in the header's order, and only when they fill every figure column (a name wrapped over
lines: its figures after its last piece); a table with a row whose figures cannot be placed is
listed whole, with every line its rows took, never read in part.  Tab-separated text keeping its
blank cells is positional (:mod:`.tab_cells`): the grid places each cell by its index.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from ...document.model import Document, Line, char_columns
from ...document.offsets import aligned_pages, headed_figures, headers_fit_figures, joined, page_parts
from ...document.tables import read_grid
from ..budget.codes import CodeRebuilder, NameCoder
from ..common.record import RecordBuilder
from .tab_cells import keeps_blank_cells, without_untabbed_noise
from .side_by_side import beside_grid
from .blocks import CODE_START, NUMBER, TABLES, TableBlock, amount_figure, complete_name, numbering_line
from .three_public_columns import is_numbering_line
from .open_rows import list_untaken, place_open_rows
from .header_order import ordered_keys
from .anchors import ceilings, stated_totals
from .vocabulary import EXPENDITURE_TOTAL, INCOME_TOTAL

__all__ = ["read_coded"]

# A column's header words (a regular expression: the template's total through .vocabulary) and its key.
_COLUMN_NAMES = {
    "income": [(INCOME_TOTAL, "total"), ("合计", "total"), ("财政拨款", "appropriation"), ("上级补助", "superior_subsidy"),
               ("事业收入", "business"), ("经营收入", "operating"), ("附属单位", "affiliated"), ("其他收入", "other")],
    "expenditure": [(EXPENDITURE_TOTAL, "total"), ("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
                    ("上缴上级", "remit_superior"), ("经营支出", "operating"), ("对附属单位", "affiliated_subsidy")],
    "general_budget": [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"), ("小计", "total")],
    # (the 基本支出决算表 printed in columns, as the budget's: .tables reads its 合计 as each row's amount)
    "general_budget_basic": [("合计", "total"), ("人员经费", "personnel"), ("公用经费", "public")],
    "gov_fund": [("年初结转", "opening"), ("本年收入", "income"), ("年末结转", "closing"), ("基本支出", "basic"),
                 ("项目支出", "project"), ("本年支出", "total"), ("合计", "total"), ("小计", "total")],
}
_COLUMN_NAMES["state_capital"] = _COLUMN_NAMES["gov_fund"]
# The columns other regions print beside (or instead of) the national ones, by the header's words:
# the budget (年初预算数, 调整预算数 / 全年预算数, 预算数), the completion rate (完成率 / 完成预算 %),
# and 决算数 standing alone as the table's figure (Beijing, Zhejiang: 预算数 | 决算数 | 完成率).
# Tried after a table's own words: "决算数 / 合计" is the 合计 column.
_COMMON_COLUMNS = [("年初预算", "budget"), ("调整预算", "adjusted_budget"), ("全年预算", "adjusted_budget"),
                   ("预算数", "budget"), ("完成率", "completion"), ("完成预算", "completion"), ("决算数", "total"),
                   ("本年支出", "total"), ("支出决算", "total")]
# A column of last year's figures: "上年决算数", or a year before the accounts' ("2023年决算数").
_PRIOR = re.compile(r"上年度?(?:决算|预算|执行)|(?P<year>\d{4})年度?(?:决算|预算|执行)")
# The tables whose rows split the total into 基本支出 and 项目支出 (``split`` says whether they did).
_SPLIT = ("expenditure", "general_budget", "gov_fund", "state_capital")
# the fund tables: 年初结转和结余, 本年收入, 本年支出, 年末结转和结余 -- or 本年支出 alone
_FUND_TABLES = ("gov_fund", "state_capital")
# the tables whose 合计 row the 情况说明 states column by column (收入决算表, 支出决算表), and the fund
# tables, whose rows spend at most the 支出决算表's (placed after it): a row whose figures fill fewer
# columns waits for them (:mod:`.anchors`)
_STATED_LATER = ("income", "expenditure", *_FUND_TABLES)


# The line above a table naming its publisher and unit ("部门：某局    金额单位：万元", "编制单位：…",
# "单位名称：…"): no header cell -- its words, standing over the columns by chance, would head them
# (the unit over the last column of right-aligned figures, its header word then a column of its own)
_UNIT_WORD = re.compile(r"^(?:金额)?单位[:：]\s*(?:万元|元|千元|亿元)$")
_PUBLISHER_WORD = re.compile(r"^(?:编制单位|填报单位|部门|部门名称|单位名称|单位)[:：]")
# the year the national template prints between the two ("编制单位：…    2025年度    单位：元")
_YEAR_WORD = re.compile(r"^\d{4}年度?$")


def _unit_line(line: Line) -> bool:
    words = [w.text for w in line.words]
    return any(_UNIT_WORD.match(w) for w in words) and all(_UNIT_WORD.match(w) or _PUBLISHER_WORD.match(w)
                                                           or _YEAR_WORD.match(w) for w in words)


def _is_body(line: Line) -> bool:
    """A coded line, a 合计 line with figures, or a line of figures only (the amounts of a coded
    line whose name wrapped before them)."""
    words = [w.text for w in line.words]
    numbers = [w for w in words if NUMBER.match(w)]
    if CODE_START.match(line.compact):
        return True
    if words and _SHORT_CODE.fullmatch(words[0]):
        # a 款 or 项 printed as its own digits ("05 行政事业单位养老支出 754.75 …"), a name, figures
        return 0 < _trailing_numbers(words) < len(words) - 1
    if line.compact.startswith("合计") and numbers:
        return True
    # figures only, or a name then figures (a code printed on a line of its own above it)
    return bool(numbers) and all(NUMBER.match(w) for w in words[len(words) - len(numbers):])


def _code_level(column) -> bool:
    """Whether *column* is one printing 类, 款 or 项 apart (its header's last cell): never a figure
    column, and its header path ("项目 / 支出功能分类科目编码 / 款") names none ("项目支出" by chance)."""
    return bool(column.header) and column.header[-1] in ("类", "款", "项")


# a row's ordinal under 行次 (the 决算 software numbers a table's lines 1 … 99, 100 …)
_ORDINAL = re.compile(r"\d{1,3}")


def _line_numbers(column) -> bool:
    """Whether *column* is the 决算 software's 行次 column: each row's ordinal (1, 2, … 58), printed
    between its name and its figures, as the two-sided 总表 print theirs -- never a figure."""
    return bool(column.header) and column.header[-1] == "行次"


def _ordinal_at(grid) -> Callable[[int, str], bool]:
    """Whether a cell (its column, its text) is a row's ordinal under the grid's 行次 column -- a
    cell a row takes no figure from.  Anything else there (an amount) is a figure the header does
    not name: its row is not placed."""
    columns = {c.index for c in grid.columns if _line_numbers(c)}
    return lambda c, text: c in columns and _ORDINAL.fullmatch(text.strip()) is not None


def _header_text(grid) -> str:
    """The header's words run together, its figure columns' (not those printing 类 / 款 / 项 apart)."""
    return "".join("".join(c.header) for c in sorted(grid.columns, key=lambda c: c.index) if not _code_level(c))


def _full_rows(body: list[Line]) -> list[list]:
    """The trailing figures of each body line (their values), for :func:`.header_order.ordered_keys`."""
    rows = []
    for line in body:
        words = [w.text for w in line.words]
        count = _trailing_numbers(words)
        if count:
            rows.append([Decimal(w.replace(",", "")) for w in words[len(words) - count:]])
    return rows


def _glued(texts: list[str]) -> bool:
    """Whether the grid left figures inside a name cell ("行政运行 612.00 612.00"): the columns
    were not parted (single-spaced text), so the cells say nothing about which column is which."""
    return any(not NUMBER.match(t.replace(" ", "")) and any(NUMBER.match(w) for w in t.split()[1:])
               for t in texts)


def _grid_trusted(grid, keys: dict[int, str], lines: list[Line]) -> bool:
    """Whether the grid's columns can place the figures: always in a PDF (words stand where they
    are drawn); in text only when every figure stands in a column its header names alone (tab-
    or single-spaced text drops blank cells, and the figures then slide left under other headers)."""
    if any(line.boxes is not None for line in lines):
        return True
    paths = {}
    for column in grid.columns:
        if column.index in keys:
            path = "/".join(column.header)
            if path in paths:
                return False
            paths[path] = column.index
    # (a column the header heads 类 / 款 / 项 holds a code's own digits, "03" under 款: no figure)
    split = {c.index for c in grid.columns if _code_level(c)}
    ordinal = _ordinal_at(grid)
    for row in grid.rows:
        # (the first cell is exempt where it is the row's code; a line of figures only -- a wrapped
        # row's figures -- has none, and its first figure must stand under a figure column too)
        code_column = min(row.cells) if row.cells and CODE_START.match(row.cells[min(row.cells)].text.replace(" ", "")) \
            else None
        for c, cell in row.cells.items():
            if c != code_column and c not in keys and NUMBER.match(cell.text.replace(" ", "")) \
                    and not (c in split and cell.text.strip().isdigit() and len(cell.text.strip()) <= 3) \
                    and not ordinal(c, cell.text):
                return False
    return True


def _by_tokens_only(grid, keys: dict[int, str], ordered: list[str], lines: list[Line], body: list[Line]) -> bool:
    """Whether the grid cannot place the figures and the lines must be read by their tokens: it is
    not trusted (:func:`_grid_trusted`), or, in text, the header names columns the grid did not
    part, or no line prints two figures under a header naming several (a cell a line)."""
    if not _grid_trusted(grid, keys, lines):
        return True
    if any(line.boxes is not None for line in lines):
        return False
    return bool(set(ordered) - set(keys.values())) \
        or len(ordered) > 1 and all(sum(1 for w in l.words if NUMBER.match(w.text)) <= 1 for l in body)


def _offset_grid(doc: Document, lines: list[Line], names: list[tuple[str, str]], year: dict | None,
                 ordered: list[str]) -> tuple | None:
    """The grid and column keys of a table in text aligned by character offsets (*lines*: its
    lines as :func:`char_columns` gives them), page by page -- -layout lays out each page on its
    own, and one grid over pages repeating the header would take one page's figures for another's
    columns -- each part under its own header (a page going on without one: under the page
    above's, :func:`headed_figures`) and all under the same columns; None unless the columns line
    up and the headers stand over their figures (:func:`headers_fit_figures`)."""
    def fitted(part: list[Line]):
        # (then with columns by where the figures end: figures one space apart, a figure a
        # character wider in another row joining two columns -- document.tables.read_grid)
        for right_aligned in (None, NUMBER.match):
            grid = read_grid(doc, part, _is_body, right_aligned=right_aligned)
            keys = _column_keys(grid, names, year)
            fits = _lines_up(grid, keys) and headers_fit_figures(grid, NUMBER.match) and headed_figures(grid, NUMBER.match)
            if fits and not _by_tokens_only(grid, keys, ordered, part, [l for l in part if _is_body(l)]):
                return grid, keys
        return None
    grids, keys = [], None
    for part in page_parts(lines, _is_body):
        if not any(_is_body(line) for line in part):
            if any(NUMBER.match(w.text) for line in part for w in line.words):
                return None
            continue
        # (a row printing figures prints its total, the first column, where the table's first
        # column is its total: a page filling fewer columns is placed by it)
        found = fitted(aligned_pages(part, _is_body, NUMBER.match, first_filled=ordered[:1] == ["total"]))
        if found is None or keys is not None and found[1] != keys:
            return None
        grids.append(found[0])
        keys = found[1]
    return (joined(grids), keys) if grids else None


def _lines_up(grid, keys: dict[int, str]) -> bool:
    """Whether a text grid's columns line up: its words are not all one space apart (single-spaced
    text, where a fit is by chance), and every figure stands alone in a column a header names (a
    cell holding a figure and another word is two columns the grid did not part)."""
    if not grid.rows or all(b.x0 - a.x1 <= 1 for line in [*grid.header_lines, *(r.line for r in grid.rows)]
                            for a, b in zip(line.words, line.words[1:])):
        return False
    ordinal = _ordinal_at(grid)
    for row in grid.rows:
        for c, cell in row.cells.items():
            figures = sum(1 for w in cell.text.split() if NUMBER.match(w))
            if figures and (cell.words > 1 and c in keys or figures > 1 or c not in keys and figures
                            and not ordinal(c, cell.text)
                            and not CODE_START.match(cell.text.replace(" ", "")) and c != min(row.cells)):
                return False
    return True


def _trailing_numbers(words: list[str]) -> int:
    """How many of *words*, from the last, are figures."""
    count = 0
    while count < len(words) and NUMBER.match(words[len(words) - 1 - count]):
        count += 1
    return count


def _by_tokens(line: Line, ordered: list[str]) -> tuple[str, list[str]] | None:
    """A line of single-spaced cells: (code and name, figures) when its figures fill every figure
    column (a blank cell leaves no trace in such text, so fewer figures cannot be placed), else None."""
    words = [w.text for w in line.words]
    count = _trailing_numbers(words)
    figures = words[len(words) - count:]
    if not figures or len(figures) != len(ordered):
        return None
    return "".join(words[:len(words) - count]), figures


def _fewer_by_tokens(line: Line, ordered: list[str]) -> tuple[str, list[str]] | None:
    """A line of single-spaced cells printing fewer figures than the figure columns (at least
    one): (code and name, figures); None otherwise."""
    words = [w.text for w in line.words]
    count = _trailing_numbers(words)
    if not 0 < count < len(ordered) or count == len(words):
        return None
    return "".join(words[:len(words) - count]), words[len(words) - count:]


def _continue_by_tokens(previous: dict, line: Line, ordered: list[str], doc: Document, title: str, unit: str,
                        opened: list | None = None) -> bool:
    """The rest of a wrapped coded row on *line*, read by tokens into *previous*: name words, then
    (where printed) one figure per figure column -- or fewer, put in *opened* (text, line) to be
    placed by the table's sums (:mod:`.open_rows`).  False when the figures cannot be placed."""
    words = [w.text for w in line.words]
    count = _trailing_numbers(words)
    previous["name"] += "".join(words[:len(words) - count])
    if not count:
        return True
    if count < len(ordered) and opened is not None:
        opened.extend((text, line) for text in words[len(words) - count:])
        return True
    if count != len(ordered):
        return False
    for key, text in zip(ordered, words[len(words) - count:]):
        previous[key] = _cell(key, text, doc, line, title, unit)
    return True


_SHORT_CODE = re.compile(r"^(\d{2}|\d{4})(?![\d.,])")
# the code a name cell starts with ("2070101 行政运行", "[2070101]行政运行")
_CODE_PREFIX = re.compile(r"^[\[【]?\d[\d\s]*[\]】]?")


def _named_row(row, namer: NameCoder, keys: dict[int, str], ordered: list[str], by_tokens: bool,
               doc: Document, title: str, unit: str) -> dict | None:
    """A row of a table printing names only: its code from the classification's names, its
    figures by column (or, in single-spaced text, in the header's order); None when the name is in
    no list or the figures cannot be placed."""
    if by_tokens:
        placed = _by_tokens(row.line, ordered)
        if placed is None:
            return None
        name, figures = placed
        cells = {key: _cell(key, text, doc, row.line, title, unit) for key, text in zip(ordered, figures)}
    else:
        texts = {c: row.cells[c].text.replace(" ", "") for c in row.cells}
        if any(NUMBER.match(t) and c not in keys for c, t in texts.items()):
            return None
        name = "".join(re.sub(r"\s+", "", row.cells[c].text) for c, t in texts.items() if not NUMBER.match(t))
        cells = {keys[c]: _cell(keys[c], t, doc, row.line, title, unit) for c, t in texts.items() if NUMBER.match(t)}
    code = namer.code(name)
    return None if code is None else {"code": code, "name": name, **cells}


def _leading_code(row) -> str:
    text = re.sub(r"\s+", "", row.cells[min(row.cells)].text) if row.cells else ""
    found = CODE_START.match(text)
    return "".join(g for g in found.groups() if g) if found else ""


def _code_of(text: str, rebuilder: CodeRebuilder, name: str | None = None) -> tuple[str | None, int]:
    """The full code starting *text* (joined 类 款 项, or a 款 / 款项 printed as its own digits under
    the 类 above; *name*: the row's name, where not in *text*) and where it ends; (None, 0) when
    *text* starts with none."""
    found = CODE_START.match(text)
    if found:
        code = "".join(g for g in found.groups() if g)
        return rebuilder.full([code]) or code, found.end()
    short = _SHORT_CODE.match(text)
    if short:
        code = rebuilder.full([short.group(1)], name or re.sub(r"^\d+", "", text[short.end():]) or None)
        if code is not None:
            return code, short.end()
    return None, 0


def _split_code(printed: dict[str, str], above: dict[str, str]) -> str | None:
    """The full code of a row printing 类 / 款 / 项 in columns of their own (*printed*: level → cell),
    a level left blank taken from the rows *above* ("01" alone under 款 is a 款 of the 类 above);
    None when a cell is no code of its level."""
    widths = {"类": 3, "款": 2, "项": 2}
    if not printed or any(not v.isdigit() or len(v) not in (widths[k], 1) for k, v in printed.items()):
        return None
    deepest = max(printed, key=list(widths).index)
    code = ""
    for level in widths:
        piece = printed.get(level, "").zfill(widths[level]) if printed.get(level) else above.get(level)
        if piece is None:
            return None
        code += piece
        if level == deepest:
            break
    above.update({"类": code[:3], **({"款": code[3:5]} if len(code) > 3 else {})})
    if len(code) == 3:
        above.pop("款", None)
    return code


def _column_keys(grid, names: list[tuple[str, str]], year: dict | None) -> dict[int, str]:
    """Each figure column's record key, by the words of its header path (a table's own words
    first, then :data:`_COMMON_COLUMNS`); a column of last year's figures is ``prior_year``."""
    keys: dict[int, str] = {}
    for column in grid.columns:
        if _code_level(column):
            continue
        path = "".join(column.header)
        prior = _PRIOR.search(path)
        if prior and (prior.group("year") is None or year is not None and int(prior.group("year")) < int(year["value"])):
            keys[column.index] = "prior_year"
            continue
        for needle, key in names:
            if re.search(needle, path) and key not in keys.values():
                keys[column.index] = key
                break
    return keys


def _cell(key: str, text: str, doc: Document, line: Line, title: str, unit: str) -> dict:
    """A figure of a coded row: a completion rate is a percentage, every other column an amount."""
    return amount_figure(text, doc, line, title, "%" if key == "completion" else unit)


def read_coded(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    title = TABLES[block.key]
    # the classification its codes are of
    scheme = "economic_department" if block.key == "general_budget_basic" else "function"
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)
             if not doc.line(n).compact.startswith(("注:", "说明:", "单位:", "无政府", "无国有"))
             and not _unit_line(doc.line(n)) and not numbering_line(doc.line(n))]
    body = [l for l in lines if _is_body(l)]
    # (tab-separated text keeping its blank cells: each cell stands under the header's column of its
    # index, and the page numbers between its pages are no rows)
    positional = keeps_blank_cells(body)
    if positional:
        lines = without_untabbed_noise(doc, lines)
        body = [l for l in lines if _is_body(l)]
    prefix = f"tables.{block.key}"
    note = next((doc.line(n) for n in range(block.title, block.last + 1) if doc.line(n).compact.startswith("说明:")), None)
    if note is not None:
        builder.put(f"{prefix}.note", note.original.strip())
    if not [l for l in body if not is_numbering_line(l, least=3)]:
        # (a table printed empty still prints its "栏次 1 2 3 …" line under the header: no row)
        builder.put(f"{prefix}.empty", True)
        return set()
    builder.put(f"{prefix}.empty", False)
    names = _COLUMN_NAMES[block.key] + _COMMON_COLUMNS
    # (a table printed side by side over pages, its further columns beside the codes and names
    # printed again: its parts joined, read by where their words stand)
    beside, lines = beside_grid(builder, title, doc, lines, _is_body,
                                lambda grid: _column_keys(grid, names, builder.get("doc.year")), _lines_up)
    body = [line for line in lines if _is_body(line)]
    grid, keys = beside or (lambda grid: (grid, _column_keys(grid, names, builder.get("doc.year"))))(
        read_grid(doc, lines, _is_body))
    ordered = ordered_keys(_header_text(grid), names, _full_rows(body))
    # (in text, a header naming columns the grid did not part -- a cell a line, as pdftotext
    # without -layout writes a table, stands every word in one column -- is read by tokens too)
    text = all(line.boxes is None for line in lines)
    by_tokens = not beside and _by_tokens_only(grid, keys, ordered, lines, body)
    if text and not beside and (by_tokens or not _lines_up(grid, keys)):
        # text aligned by characters, not display columns (pdftotext -layout: a CJK character one
        # column), whose figure columns drift right by the width of each row's name otherwise:
        # its grid by character offsets, taken only where its columns line up
        by_offsets = [char_columns(line) for line in lines]
        found = _offset_grid(doc, by_offsets, names, builder.get("doc.year"), ordered)
        if found is not None:
            grid, keys = found
            lines, by_tokens = by_offsets, False
    if block.key in _SPLIT:
        # (the header's words say it where the grid could not part the columns: single-spaced text)
        builder.put(f"{prefix}.split", bool({"basic", "project"} & (set(keys.values()) | set(ordered))))
    if block.key in _FUND_TABLES:
        # (the national 国有资本经营预算财政拨款支出决算表 prints 本年支出 only: its lines are not
        # balanced against the 年初 / 本年收入 / 年末 columns it has none of, BAL-030 / BAL-032)
        builder.put(f"{prefix}.balances", bool({"opening", "income", "closing"} & (set(keys.values()) | set(ordered))))
    if "total" not in keys.values() and not by_tokens:
        # no column the header names as the table's figure: its rows are listed, never read as 0.00
        for row in grid.rows:
            builder.add_unread(title, (row.line.number, row.line.number),
                               "no 合计 / 决算数 column found in the header: " + row.line.original.strip())
        return set()
    # (a 行次 column's ordinals are no figures: a row takes its figures from the columns beside it)
    ordinal = _ordinal_at(grid)
    # the columns printing 类 / 款 / 项 apart (their header's last cell), in order
    split_codes = [c.index for c in grid.columns if c.index not in keys and c.header and c.header[-1] in ("类", "款", "项")]
    above: dict[str, str] = {}     # the 类 and 款 of the rows above (a 款 / 项 printed without them)
    # (a 款 printed as its own two digits, "05" under "208", rebuilt from the rows above)
    rebuilder = CodeRebuilder(False, any(len(c) == 7 for c in (_leading_code(r) for r in grid.rows)))
    # a table printing names only (no code in any row, no 编码 in its header): coded by the
    # classification's names, as the budget's tables are (a name no list has: the table is listed)
    namer = NameCoder(scheme) if not any(
        CODE_START.match(r.line.compact) or _SHORT_CODE.match(r.line.compact) for r in grid.rows) and not any(
        re.search(r"编码|代码", l.compact) for l in grid.header_lines) else None
    read: set[int] = set()
    previous: dict | None = None
    previous_at = -1                # its place in out_rows
    open_rows: dict[int, list] = {}  # out_rows index -> the figures (text, line) of a row printing fewer
    last_line: dict[int, int] = {}  # out_rows index -> the last line its row (wrapped) took
    # (line, row or totals, printed) in print order; a row whose figures could not be placed is None
    out_rows: list[tuple[Line, dict | None, bool]] = []
    for row in grid.rows:
        texts = [row.cells[c].text for c in sorted(row.cells)]
        first_text = re.sub(r"\s+", "", texts[0]) if texts else ""
        if not by_tokens and any(NUMBER.match(w.text) for w in row.outside):
            out_rows.append((row.line, None, False))     # a figure standing in no column: listed
            continue
        if namer is not None and texts and not first_text.startswith("合计"):
            out_rows.append((row.line, _named_row(row, namer, keys, ordered, by_tokens, doc, title, block.unit), False))
            continue
        # (a row printing only its 款 or 项, in a column of its own, is a row, not the line above's rest)
        own_level = bool(split_codes) and min(row.cells) in split_codes and first_text.isdigit() \
            or _SHORT_CODE.match(first_text) is not None
        if texts and not CODE_START.match(first_text) and not first_text.startswith("合计") and not own_level:
            # the figures (and the rest of the name) of the coded line above, printed below it
            if previous is not None and not any(k in previous for k in keys.values()):
                last_line[previous_at] = row.line.number
                if by_tokens or _glued(texts):
                    # single-spaced text: the name's rest, then the figures in the header's order
                    # ("业支出 754.75 754.75 0.00" under "208 社会保障和就"), fewer placed by the sums
                    if not _continue_by_tokens(previous, row.line, ordered, doc, title, block.unit,
                                               open_rows.setdefault(previous_at, [])):
                        out_rows[previous_at] = (out_rows[previous_at][0], None, False)
                        previous = None
                else:
                    for c, cell in row.cells.items():
                        if c in keys and NUMBER.match(cell.text.replace(" ", "")):
                            previous[keys[c]] = _cell(keys[c], cell.text.replace(" ", ""), doc, row.line, title, block.unit)
                        elif not NUMBER.match(cell.text.replace(" ", "")):
                            previous["name"] += re.sub(r"\s+", "", cell.text)
                read.add(row.line.number)
            continue
        if by_tokens or _glued(texts):
            # single-spaced text: code, name and figures by tokens, figures by the header's order
            placed = _by_tokens(row.line, ordered)
            if placed is None and not any(NUMBER.match(w.text) for w in row.line.words[1:]):
                # a coded line whose name wraps, its figures on the lines below ("208 社会保障和就")
                code, end = _code_of(first_text, rebuilder)
                if code:
                    previous = {"code": code, "name": re.sub(r"^\d+", "", first_text[end:])}
                    out_rows.append((row.line, previous, False))
                    previous_at = len(out_rows) - 1
                    continue
            if placed is None:
                # fewer figures than columns (a blank cell leaves no trace): placed by the sums
                placed = _fewer_by_tokens(row.line, ordered)
                label = placed[0] if placed is not None else ""
                if placed is None or not (CODE_START.match(label) or _SHORT_CODE.match(label) or label.startswith("合计")):
                    out_rows.append((row.line, None, False))
                    continue
                open_rows[len(out_rows)] = [(text, row.line) for text in placed[1]]
            label, figures = placed
            if len(figures) < len(ordered):
                figures = []
            code, end = _code_of(label, rebuilder)
            cells = {key: _cell(key, text, doc, row.line, title, block.unit) for key, text in zip(ordered, figures)}
            if code is None and label.startswith("合计"):
                out_rows.append((row.line, cells, True))
                continue
            if code is None:
                # figures under a label that is no code: the table cannot be read whole
                out_rows.append((row.line, None, False))
                continue
            out = {"code": code, "name": re.sub(r"^\d+", "", label[end:]), **cells}
            out_rows.append((row.line, out, False))
            previous, previous_at = out, len(out_rows) - 1
            continue
        first = re.sub(r"\s+", "", texts[0]) if texts else ""
        name = re.sub(r"\s+", "", "".join(_CODE_PREFIX.sub("", t) for t in texts if not NUMBER.match(t.replace(" ", ""))))
        code = None if len(split_codes) > 1 else _code_of(first, rebuilder, name)[0]
        code_at = ({min(row.cells)} if row.cells else set()) | set(split_codes) \
            | {c for c, cell in row.cells.items() if ordinal(c, cell.text)}
        if len(split_codes) > 1 and not first.startswith("合计"):
            code = _split_code({grid.columns[c].header[-1]: re.sub(r"\s+", "", row.cells[c].text)
                                for c in split_codes if c in row.cells}, above)
        numbers = {c: row.cells[c].text for c in row.cells if NUMBER.match(row.cells[c].text.replace(" ", ""))
                   and c in keys and c not in code_at}
        if any(c not in keys and c not in code_at and NUMBER.match(row.cells[c].text.replace(" ", ""))
               for c in row.cells):
            # a figure under a header the reader does not know: the row cannot be read whole
            out_rows.append((row.line, None, False))
            continue
        if code is None and first.startswith("合计"):
            out_rows.append((row.line, {keys[c]: _cell(keys[c], text, doc, doc.line(row.cells[c].line), title, block.unit)
                                        for c, text in numbers.items()},
                             True))
            continue
        if code is None:
            if numbers:
                out_rows.append((row.line, None, False))     # figures, and no code: listed
            continue
        out = {"code": code, "name": name}
        for c, text in numbers.items():     # (each figure from its own line: a part printed beside)
            out[keys[c]] = _cell(keys[c], text.replace(" ", ""), doc, doc.line(row.cells[c].line), title, block.unit)
        out_rows.append((row.line, out, False))
        previous, previous_at = out, len(out_rows) - 1
    open_rows = {at: figures for at, figures in open_rows.items() if figures}

    def finish(stated: dict, most: dict | None = None) -> set[int]:
        return _finish(builder, doc, block, (title, prefix, scheme), out_rows, open_rows, last_line, ordered,
                       class_lines, read, (stated, most))
    if open_rows and block.key in _STATED_LATER:
        # (the 情况说明, read after the tables, states the 合计 row's columns: the rows are placed then)
        builder.later.append(lambda: finish(stated_totals(builder, block.key, block.unit),
                                            ceilings(builder, block.unit) if block.key in _FUND_TABLES else None))
        return read
    return finish({})


def _finish(builder: RecordBuilder, doc: Document, block: TableBlock, names: tuple[str, str, str], out_rows: list,
            open_rows: dict, last_line: dict[int, int], ordered: list[str], class_lines: list, read: set[int],
            known: tuple) -> set[int]:
    """The table's rows into the record -- those printing fewer figures than columns placed first
    (*known*: its 合计 row's columns as the rest of the document states them, and the most each row
    may hold, :mod:`.anchors`) -- or, a row not placed, every row listed."""
    title, prefix, scheme = names
    if open_rows:
        place_open_rows(out_rows, open_rows, ordered, block.key == "general_budget_basic",
                        lambda key, text, line: _cell(key, text, doc, line, title, block.unit), *known)
    unplaced = sum(1 for _, out, _ in out_rows if out is None)
    if unplaced:
        list_untaken(builder, doc, block, title, out_rows, last_line)
    for at, (line, out, is_total) in enumerate(out_rows):
        if unplaced:
            # A table read in part would be summed as if whole (and a row without its figures
            # taken as 0.00): every row is listed, none read.
            reason = (f"{len(ordered)} figure columns, the figures of this row cannot be placed (a blank cell "
                      f"leaves no trace in single-spaced text): " if out is None else
                      f"row not read: {unplaced} other row(s) of this table could not be placed: ")
            last = last_line.get(at, line.number)      # (a row wrapped over lines: all of them)
            builder.add_unread(title, (line.number, last), reason + " ".join(
                doc.line(n).original.strip() for n in range(line.number, last + 1) if not doc.is_noise(n)))
            continue
        if is_total:
            for key, cell in out.items():
                builder.put(f"{prefix}.totals.{key}", cell)
        else:
            builder.append(f"{prefix}.rows", out)
            if complete_name(out["code"], out["name"], scheme):
                class_lines.append((out["code"], out["name"], line.number, scheme))
        read.add(line.number)
    return read
