"""Printed standard tables (第二部分): headers to column keys, rows to coded records.

Tables arrive either tab-separated (cells keep their positions, blank cells included) or
space-separated (blank cells are lost). Headers may take two rows, with a group title above its
columns ("因公出国(境)费" over "小计 / 一般公务出国(境)费 / …"). Rows are keyed by their full
classification code: a 款 printed as its own two digits ("05" under "208") is rebuilt from the
类 above it, and 类/款/项 printed in separate cells are joined.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...document.model import Document, Line, char_columns
from ...document.offsets import aligned_pages, headed_figures, headers_fit_figures, joined, page_parts
from ...document.tables import Grid, read_grid
from ..common.cells import BLANK, CELL_NUMBER, CLASS_CODE, CODE_PIECE, TOTAL_LABELS, cell_value
from ..common.columns import column_key, resolve_subtotals
from ..common.panels import is_panel_header, read_panels
from ..common.record import RecordBuilder, figure, source
from ..common.units import NO_UNIT, UNIT, declared_unit
from .sections import Block
from .codes import BRACKETED_CODE, CodeRebuilder, NameCoder, code_in_name
from .headers import header_keys, wrapped_header_keys
from .listings import LISTING_TABLES, read_listing_table
from .staff_table import read_staff_table
from .prior_columns import PERCENT_COLUMNS, list_unnamed_figures, unnamed_headers
from .summary import read_two_sided
from .units import by_unit_groups, is_unit_name, unit_of_own_table, unit_row, write_unit_table
from .transposed import is_transposed, read_transposed_three_public

__all__ = ["read_standard_table", "column_key", "CODED_TABLES"]

CODED_TABLES = ("income", "expenditure", "general_budget", "general_budget_basic", "gov_fund",
                "state_capital")
_TWO_SIDED = ("summary", "appropriation_summary")

_CODE = re.compile(r"^\d{2,7}$")
# A code printed with dots between its levels ("220.01.01", "220.01"): the same code.
_DOTTED_CODE = re.compile(r"^\d{3}(?:[.．·]\d{2}){1,2}$")





def _plain_code(cell: str) -> str:
    """A dotted code ("220.01.01") as the digits the tables key rows by; any other cell as it is."""
    return re.sub(r"[.．·]", "", cell) if _DOTTED_CODE.match(cell) else cell


def _cells(line: Line, dotted: bool = False) -> list[str]:
    """A row's cells (tab cells in place, else its words); in a table whose codes print dots
    (*dotted*), the row's first cell is its code without them (never a figure: "880.00" is an
    amount wherever it stands but in the code column)."""
    cells = [c.strip() for c in line.text.split("\t")] if "\t" in line.text else line.text.split()
    if dotted:
        first = next((i for i, c in enumerate(cells) if c), None)
        if first is not None:
            cells[first] = _plain_code(cells[first])
    return cells


def _prints_dotted_codes(lines: list[Line]) -> bool:
    """Whether the table's rows start with codes printed with dots ("220.01.01": two dots, so
    no amount)."""
    return any(re.match(r"^\d{3}[.．·]\d{2}[.．·]\d{2}(?:\s|$)", line.text.strip()) for line in lines)


_NUMBERING_CELL = re.compile(r"\*+|栏次|\d{1,2}|[甲乙丙丁]")
_META = re.compile(r"^(?:填报单位|单位名称|部门名称|编制单位|\[\d+\]|\(\d{4}年度?\))")


def _is_numbering_row(cells: list[str]) -> bool:
    """The "** ** 1 2 3" / "栏次 1 2 3" row under the headers."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_NUMBERING_CELL.fullmatch(c) for c in filled) \
        and any(c.startswith("*") or c == "栏次" for c in filled)


def _is_meta(text: str) -> bool:
    if BRACKETED_CODE.match(text) and (AMOUNT_IN_CELL.search(text) or code_in_name(text, named=True)):
        # a row printing its code in brackets ("[2070101]行政运行 …"), not a unit's code: its figures
        # on the same line, or a code a classification list names so (plain pdftotext prints each
        # cell on a line of its own: dropped as a unit's line, the figures below were read as rows
        # of no code; a unit's "[302]景德镇市…局" stays a line about the table)
        return False
    return bool(_META.match(text)) \
        or bool(UNIT.search(text) and not CELL_NUMBER.search(text.split()[-1]))


def read_standard_table(builder: RecordBuilder, doc: Document, block: Block) -> None:
    key = block.key
    base = f"tables.{key}"
    title = block.title
    if key == "staff":      # counts of people, no money unit (readers/budget/staff_table.py)
        read_staff_table(builder, doc, block)
        return
    block.unit = unit_of_own_table(builder, block) if key in CODED_TABLES else ""
    if not block.unit:
        builder.put(f"{base}.title", title)
        if block.notes:
            builder.put(f"{base}.note", "；".join(note for _, note in block.notes))
    lines = doc.content_lines(block.first + 1, block.last)
    unit = _table_unit(builder, block, lines)
    if not [l for l in lines if not _is_meta(l.compact)]:
        builder.add_unread(title, (block.first, block.last),
                           "only the title of this table was found, not the table")
        return
    if key in _TWO_SIDED:
        read_two_sided(builder, doc, block, lines, unit)
        return
    if key in LISTING_TABLES:
        read_listing_table(builder, doc, key, title, [l for l in lines if not _is_meta(l.compact)], unit)
        return
    if key == "general_budget_basic" and any(is_panel_header(l) for l in lines if not _is_meta(l.compact)):
        _read_panel_table(builder, doc, block, lines, unit)
        return
    if key == "three_public":
        body = [l for l in lines if not _is_meta(l.compact)]
        if is_transposed(body):
            read_transposed_three_public(builder, doc, title, base, body, unit)
            return
    tabbed = any("\t" in l.text for l in lines)
    if not tabbed and _read_by_geometry(builder, doc, block, lines, unit):
        return
    if doc.kind == "pdf":
        return
    header_rows: list[list[str]] = []
    data: list[tuple[Line, list[str]]] = []
    dotted = _prints_dotted_codes(lines)
    for line in lines:
        cells = _cells(line, dotted)
        text = line.compact
        if _is_meta(text) or re.fullmatch(r"\(?\d{4}年度?\)?", text):
            continue
        if _is_numbering_row(cells):
            continue
        first_filled = next((c for c in cells if c), "")
        # (a header may start with 合计 where no unit columns are printed: no figure in it)
        if not data and not _CODE.match(first_filled) and not BRACKETED_CODE.match(first_filled) \
                and not any(CELL_NUMBER.match(c) for c in cells):
            header_rows.append(cells)
            continue
        if data and cells in header_rows:
            continue            # the header printed again after a page break
        data.append((line, cells))
    keys = header_keys(header_rows, tabbed)
    if not tabbed:
        widest = max((_figure_count(cells) for _, cells in data), default=0)
        keys = wrapped_header_keys(keys, header_rows, widest)
    builder.put(f"{base}.unit", unit)
    economic = key == "general_budget_basic"
    has_full_items = any(_CODE.match(c) and len(c) == 7 for _, cells in data for c in cells[:3])
    codes = CodeRebuilder(economic, has_full_items)
    names = _name_coder(key, keys)
    rows = []
    for line, cells in data:
        src = source(doc.name, block.title, line.number, line.original.strip())
        if tabbed and keys and len(cells) <= len(keys) + 1:
            positions = [(k, c, src) for k, c in zip(keys, cells)]
        else:
            found = _untabbed_positions(cells, keys)
            positions = None if found is None else [(k, c, src) for k, c in found]
        printed = line.original.strip()
        if names is not None and positions is not None:
            positions = _coded_by_name(positions, names, src)
            if positions is None:
                printed += _NO_LISTED_NAME
        figure_columns = sum(1 for k in keys if k not in ("code", "name", "unit_code"))
        if positions is None and not tabbed and 1 < _figure_count(cells) < figure_columns:
            # Blank cells leave no trace in text without column positions: which columns the
            # figures belong to is not knowable, so the row is listed, never guessed.
            printed += (f" ({_figure_count(cells)} figures for {figure_columns} columns: blank cells "
                        f"cannot be placed in text without column positions)")
        if positions is None and not tabbed:
            # several rows on one line (pypdfium2's text joins a table's rows): read only where
            # each fills every figure column (blanks printed as 0 / -): then where one row ends
            # and the next begins is not in doubt
            joined_rows = _rows_on_one_line(cells, keys)
            if joined_rows is not None:
                rows.extend((line, _read_row([(k, c, src) for k, c in found], unit, codes), printed)
                            for found in joined_rows)
                continue
        rows.append((line, None if positions is None else _read_row(positions, unit, codes), printed))
    _write_rows(builder, base, title, rows, unnamed_headers(keys, header_rows) if tabbed else None, block.unit)


def _rows_on_one_line(cells: list[str], keys: list[str]) -> list[list[tuple[str, str]]] | None:
    """The rows a line of single-spaced cells holds when it holds several, each its codes (a 类
    code, then at most two two-digit pieces), its name and exactly one figure per figure column
    (or the table's 合计 / 总计 row: its label and figures); None unless the whole line is so cut, in
    two rows or more: a row whose blank cells vanished would take the next row's code for a
    figure, and the rest of the line then starts with no code."""
    width = sum(1 for k in keys if k not in ("code", "name", "unit_code"))
    if not width:
        return None
    out: list[list[tuple[str, str]]] = []
    at = 0
    while at < len(cells):
        start = at
        if CLASS_CODE.fullmatch(cells[at]):
            at += 1
            while at < len(cells) and at - start < 3 and CODE_PIECE.fullmatch(cells[at]):
                at += 1
        elif cells[at] not in TOTAL_LABELS:
            return None
        named = at
        while at < len(cells) and not CELL_NUMBER.match(cells[at]) and cells[at] not in BLANK:
            at += 1
        figures = cells[at:at + width]
        if at == named or len(figures) < width \
                or not all(CELL_NUMBER.match(c) or c in BLANK for c in figures):
            return None
        at += width
        found = _untabbed_positions(cells[start:at], keys)
        if found is None:
            return None
        out.append(found)
    return out if len(out) > 1 else None


def _table_unit(builder: RecordBuilder, block: Block, lines: list[Line]) -> str:
    """The unit the table declares: on a line of its own above the header (or in the title, on
    the 填报单位 line), else in a note printed with it. A table that prints none is read in the
    template's 万元, and says so in the unread list (never a silent guess)."""
    unit = declared_unit((line.text for line in lines), block.title, (note for _, note in block.notes))
    if unit is not None:
        return unit
    if any(_CODE.match(c) or CELL_NUMBER.match(c) for line in lines for c in _cells(line)):
        builder.add_unread(block.title, (block.first, block.first), NO_UNIT)
    return "万元"


def _write_rows(builder: RecordBuilder, base: str, title: str,
                rows: list[tuple[Line, dict | None, str]], headers: dict | None = None,
                unit: str = "") -> None:
    """Rows into ``<base>.rows`` / ``<base>.totals``; rows not understood into unread. The
    table is ``empty`` when no row prints a figure other than zero (provinces' software prints
    an empty fund table as "合计 0.00 0.00 0.00"); ``rows`` is written (possibly ``[]``) only
    when every printed row was understood, so a table not read is never an empty list and a
    table read in part never a shorter list. The rows of a unit's own table (*unit*): see
    :func:`.units.write_unit_table`."""
    if unit:
        write_unit_table(builder, base, title, unit, rows)
        return
    # a table of 科目 printed unit by unit (each unit's row, then its 科目 rows): the department's
    # rows; each unit's own rows are kept where the record declares them (the 部门支出总表's)
    grouped = by_unit_groups(rows) if base.removeprefix("tables.") in CODED_TABLES else None
    unit_rows: list = []
    if grouped is not None:
        rows, unit_rows = grouped
        unit_rows = unit_rows if base == "tables.expenditure" else []
    # (a unit's name alone outside such a table: a row not understood, as before)
    rows = [(line, None, printed) if row is not None and row.get("_unit") and grouped is None
            else (line, row, printed) for line, row, printed in rows]
    not_understood = sum(1 for _, row, _ in rows if row is None)
    clashing = _clashing_codes(rows)
    any_figure = False
    codes_seen: set = set()
    for line, row, printed in rows:
        if row is None:
            builder.add_unread(title, (line.number, line.number), f"table row not understood: "
                               f"{printed}")
            continue
        if not_understood and not row.get("_total"):
            # A table read in part would be summed as if whole (its 合计 against the rows that
            # happened to be understood): its rows are listed, not read.
            builder.add_unread(title, (line.number, line.number), f"row not read: {not_understood} "
                               f"other row(s) of this table were not understood: {printed}")
            continue
        if clashing and not row.get("_total"):
            # One code with two sets of figures is not a line repeated at a page break: the table
            # holds groups (each unit's rows, say) that this reader does not tell apart, and its
            # first rows summed as the whole table would be false alarms on a correct one.
            builder.add_unread(title, (line.number, line.number), f"row not read: code {clashing[0]} is "
                               f"printed again with other figures in this table: {printed}")
            continue
        row_key = row.get("code") or row.get("unit_code")
        if row_key is not None and row_key in codes_seen:
            # A line printed twice (as at a page break): keep the first, say what was left out.
            builder.add_unread(title, (line.number, line.number), f"row {row_key} printed a second time, "
                               f"not read: {printed}")
            continue
        if row_key is not None:
            codes_seen.add(row_key)
        list_unnamed_figures(builder, title, line, row, printed, headers)
        any_figure = any_figure or _prints_a_figure(row)
        if row.pop("_total", False):
            row.pop("name", None)
            row.pop("code", None)
            row.pop("unit_code", None)
            for column, cell in row.items():
                builder.put(f"{base}.totals.{column}", cell, section=title,
                            lines=(line.number, line.number))
        else:
            builder.append(f"{base}.{unit_row(base, row)}", row, section=title)
    builder.put(f"{base}.empty", not any_figure and not not_understood and not clashing)
    if unit_rows and not not_understood and not clashing:
        builder.put(f"{base}.unit_rows", unit_rows)
    if builder.get(f"{base}.rows") is None and builder.get(f"{base}.units") is None \
            and not not_understood and not clashing:
        builder.put(f"{base}.rows", [])


def _prints_a_figure(row: dict) -> bool:
    """Whether a row prints an amount other than zero (a row of "0.00" or "-" is no data)."""
    for cell in row.values():
        if isinstance(cell, dict) and "value" in cell:
            try:
                if Decimal(str(cell["value"])) != 0:
                    return True
            except ArithmeticError:   # (not a number: something is printed there)
                return True
    return False


def _clashing_codes(rows: list[tuple[Line, dict | None, str]]) -> list[str]:
    """The codes a table prints twice with different figures (a row repeated at a page break
    prints the same ones)."""
    first: dict = {}
    clashes = []
    for _, row, _ in rows:
        if row is None or row.get("_total"):
            continue
        key = row.get("code") or row.get("unit_code")
        if key is None:
            continue
        figures = {k: v.get("value") for k, v in row.items() if isinstance(v, dict) and "value" in v}
        if key in first and first[key] != figures and key not in clashes:
            clashes.append(key)
        first.setdefault(key, figures)
    return clashes


def _read_panel_table(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                      unit: str) -> None:
    """The basic-expenditure table printed in panels (人员经费 codes on the left, 公用经费 codes on
    the right: :mod:`fiscalrules.readers.common.panels`). Each item is a row whose 合计 is its
    amount and whose 人员经费 or 公用经费 is the same amount, by the panel it stands in; the
    人员经费合计 / 公用经费合计 line gives the totals. A line with an amount that is neither an
    item nor a total, or an item without its amount, makes every row listed, none read."""
    base = f"tables.{block.key}"
    title = block.title
    builder.put(f"{base}.unit", unit)
    body = [l for l in lines if not _is_meta(l.compact)]
    panels = read_panels(body)
    rows: list[tuple[Line, dict | None, str]] = []
    for item in panels.items:
        printed = item.line.original.strip()
        if item.amount is None:
            rows.append((item.line, None, f"{printed} (no amount found for {item.code})"))
            continue
        cell = figure(cell_value(item.amount), unit, printed=item.amount if "," in item.amount else None,
                      src=source(doc.name, title, item.amount_line.number, item.amount_line.original.strip()))
        rows.append((item.line, {"code": item.code, "name": item.name, "total": cell, item.panel: dict(cell)},
                     printed))
    for line in body:
        if line.number not in panels.read and AMOUNT_IN_CELL.search(line.text):
            rows.append((line, None, line.original.strip()))
    if panels.totals:
        total_line = next(iter(panels.totals.values()))[1]
        totals: dict = {"_total": True}
        for key, (value, line) in panels.totals.items():
            totals[key] = figure(cell_value(value), unit, printed=value if "," in value else None,
                                 src=source(doc.name, title, line.number, line.original.strip()))
        rows.append((total_line, totals, total_line.original.strip()))
    rows.sort(key=lambda r: r[0].number)
    _write_rows(builder, base, title, rows, unit=block.unit)


def _is_body(line: Line) -> bool:
    """A body row of a coded table: it starts with a code or 合计, or prints only numbers."""
    words = line.words
    if not words:
        return False
    first = _plain_code(words[0].text)
    numbers_only = all(CELL_NUMBER.match(w.text) or w.text in BLANK for w in words[1:])
    if _CODE.match(first) or BRACKETED_CODE.match(first) or (first in TOTAL_LABELS and numbers_only):
        return True
    if numbers_only and len(words) > 1 and CELL_NUMBER.match(words[-1].text) and is_unit_name(first):
        return True     # a unit's row printed by its name only (a table printed unit by unit)
    return numbers_only and (CELL_NUMBER.match(first) is not None or first in BLANK)


def _name_coder(key: str, keys: list[str]) -> NameCoder | None:
    """A table printing names only (no code column) is keyed by the classification's names."""
    if key in CODED_TABLES and "name" in keys and "code" not in keys and "unit_code" not in keys:
        return NameCoder("economic_department" if key == "general_budget_basic" else "function")
    return None


_NO_LISTED_NAME = " (a name without a code that no classification list has)"


def _coded_by_name(positions: list, names: NameCoder, src: dict) -> list | None:
    """*positions* with the code of the row's name put first; None when no list has the name."""
    name = next((c for k, c, _ in positions if k == "name" and c), None)
    if name is None or name in TOTAL_LABELS or code_in_name(name) or any(k == "code" and c for k, c, _ in positions):
        return positions        # (a code printed in the name's cell: _read_row splits it off; a
                                # row printing its code, under a header naming none: keyed by it)
    code = names.code(name)
    return None if code is None else [("code", code, src)] + positions


# the header of a name column: "科目名称", or the classification alone ("科目", "功能分类科目")
_NAME_HEADER = re.compile(r"名称|科目(?!编码|代码|编号)")


def _names_only(lines: list[Line]) -> bool:
    """A coded table printing no codes: its header names 科目名称 (no 编码) and no line starts with a code."""
    header = next((l for l in lines if _NAME_HEADER.search(l.compact)
                   and not any(CELL_NUMBER.match(w.text) for w in l.words)), None)
    return header is not None and "编码" not in header.compact and "代码" not in header.compact \
        and not any(l.words and (_CODE.match(_plain_code(l.words[0].text)) or BRACKETED_CODE.match(l.words[0].text))
                    for l in lines)


def _is_named_body(line: Line) -> bool:
    """A body row of a table printing names only: a name, then figures (or blanks) only."""
    words = line.words
    return len(words) > 1 and not CELL_NUMBER.match(words[0].text) \
        and any(CELL_NUMBER.match(w.text) for w in words[1:]) \
        and all(CELL_NUMBER.match(w.text) or w.text in BLANK for w in words[1:])


def _read_by_geometry(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                      unit: str) -> bool:
    """Read the table from where its words stand (PDF, or text aligned in columns). Returns
    False for text whose columns do not line up, for the token-order reading to try."""
    kept = [l for l in lines if not _is_meta(l.compact)
            and not re.fullmatch(r"\(?\d{4}年度?\)?", l.compact)
            and not _is_numbering_row([w.text for w in l.words])]
    by_name = block.key in CODED_TABLES and _names_only(kept)
    grid, keys = _grid(doc, kept, _is_named_body if by_name else _is_body, unit)
    if doc.kind != "pdf" and not _aligned(grid, keys):
        # text aligned by characters, not display columns (pdftotext -layout: a CJK character
        # one column), whose columns drift right by the width of each row's name otherwise
        # (a table continued over pages is read page by page: -layout lays out each page on its own,
        # and one grid over them all would take one page's figures for another's columns)
        offsets = [char_columns(line) for line in kept]
        found = _paged_grid(doc, offsets, _is_named_body if by_name else _is_body, unit)
        if found is None:
            return False
        grid, keys = found
    base = f"tables.{block.key}"
    title = block.title
    builder.put(f"{base}.unit", unit)
    economic = block.key == "general_budget_basic"
    has_full_items = any(_CODE.match(_plain_code(r.text(i))) and len(_plain_code(r.text(i))) == 7
                         for r in grid.rows for i, k in enumerate(keys) if k == "code")
    codes = CodeRebuilder(economic, has_full_items)
    names = _name_coder(block.key, keys)
    rows: list[tuple[Line, dict | None, str]] = []
    for row in grid.rows:
        printed = row.line.original.strip()
        unnamed = [grid.columns[i].path or keys[i] for i, cell in sorted(row.cells.items())
                   if (keys[i].startswith("col_") or keys[i] == "subtotal") and CELL_NUMBER.match(cell.text)]
        if unnamed and block.key == "three_public":
            # The 三公 fields are read by name: a figure under a column no field matches means
            # the header was not understood, and the named fields would be read short (0).
            builder.add_unread(title, (row.line.number, row.line.number),
                               f"row not read: a figure stands under a column whose header was not "
                               f"understood ({'、'.join(unnamed)}): {printed}")
            continue
        if any(CELL_NUMBER.match(w.text) for w in row.outside):
            # a figure standing in no column of the table (a page whose columns stand elsewhere):
            # the row cannot be read whole
            rows.append((row.line, None, printed + " (a figure standing in no column of the table)"))
            continue
        positions: list | None = []
        for index in sorted(row.cells):
            cell = row.cells[index]
            src = source(doc.name, title, row.line.number, printed, box=cell.box)
            positions.append((keys[index], cell.text, src))
        if names is not None and positions:
            positions = _coded_by_name(positions, names, positions[0][2])
            if positions is None:
                rows.append((row.line, None, printed + _NO_LISTED_NAME))
                continue
        rows.append((row.line, _read_row(positions, unit, codes), printed))
    headers = {keys[c.index]: c.path for c in grid.columns if keys[c.index].startswith("col_") and c.path}
    for line in grid.header_lines:
        # A line printing amounts above the first row taken for the table's header (rows whose
        # first cell this reader does not know, 合计 printed last): never dropped unseen.
        if AMOUNT_IN_CELL.search(line.text):
            rows.append((line, None, f"{line.original.strip()} (a line with figures above the table's first row)"))
    for line in grid.loose:
        # A line with an amount that is no row: the table would be read in part (its 合计 against
        # fewer rows), so it counts as a row not understood.
        if AMOUNT_IN_CELL.search(line.text):
            rows.append((line, None, f"{line.original.strip()} (a line inside the table that is no row)"))
    rows.sort(key=lambda r: r[0].number)
    _write_rows(builder, base, title, rows, headers, block.unit)
    return True


def _is_amount(text: str) -> bool:
    """A figure cell, not a 款 / 项 code piece ("01") standing in a code column."""
    return CELL_NUMBER.match(text) is not None and not _SHORT_INTEGER.fullmatch(text)


_SHORT_INTEGER = re.compile(r"\d{1,3}")


def _paged_grid(doc: Document, lines: list[Line], is_body, unit: str) -> tuple[Grid, list[str]] | None:
    """The grid of a table in text aligned by character offsets, each page's part read under its
    own header: None unless every part with rows lines up (and its headers stand over its figures)
    under the same columns and a part without rows prints no amount."""
    grids: list[Grid] = []
    keys: list[str] | None = None
    for part in page_parts(lines, is_body):
        grid, part_keys = _grid(doc, aligned_pages(part, is_body, _is_amount), is_body, unit)
        if not grid.rows:
            if any(AMOUNT_IN_CELL.search(line.text) for line in part):
                return None
            continue
        if not _aligned(grid, part_keys) or not headers_fit_figures(grid, _is_amount) \
                or not headed_figures(grid, _is_amount) \
                or keys is not None and part_keys != keys:
            return None
        grids.append(grid)
        keys = part_keys
    return (joined(grids), keys) if grids and keys is not None else None


def _grid(doc: Document, lines: list[Line], is_body, unit: str) -> tuple[Grid, list[str]]:
    """The grid of a table's lines and its columns' keys."""
    grid = read_grid(doc, lines, is_body, unit)
    return grid, resolve_subtotals([column_key(c.leaf, c.path, c.index) if c.header else f"col_{c.index + 1}"
                                    for c in grid.columns])


# an amount as a cell prints it (decimals or thousands separators: never a code)
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")
AMOUNT_IN_CELL = re.compile(r"\d[\d,]*\.\d{2}|\d{1,3}(?:,\d{3})+")


def _aligned(grid: Grid, keys: list[str]) -> bool:
    """Text columns line up when every column has a header and no two columns share a key
    except the code columns (类/款/项)."""
    if not grid.rows or not grid.header_lines:
        return False
    if all(b.x0 - a.x1 <= 1 for line in [*grid.header_lines, *(r.line for r in grid.rows)]
           for a, b in zip(line.words, line.words[1:])):
        # every word one space from the next: text written with single spaces (pdftotext without
        # -layout), where a word's place says nothing of its column -- any fit is by chance
        return False
    named = [k for k in keys if k != "code"]
    if any(k.startswith("col_") for k in keys) or len(named) != len(set(named)):
        return False
    # Misaligned columns merge: two words of one row then share a column (a name may have two, but
    # never an amount: the name's column then took the figures' columns too).
    return not any(cell.words > 1 and (keys[cell.column] != "name" or AMOUNT_IN_CELL.search(cell.text))
                   for row in grid.rows for cell in row.cells.values())


def _read_row(positions: list[tuple[str, str, dict]], unit: str,
              codes: CodeRebuilder) -> dict | None:
    """A row from its (column key, cell text, source) positions, or None when not understood."""
    row: dict = {}
    code_pieces = [_plain_code(c) for k, c, _ in positions if k == "code" and c]
    names = [c for k, c, _ in positions if k == "name" and c]
    if not code_pieces and names and code_in_name(names[0]):
        # the code printed in the name's cell ("[2070101]行政运行", "2070101 行政运行")
        code, name = code_in_name(names[0])
        code_pieces, names = [code], [name]
    if code_pieces and _CODE.match(code_pieces[0].split()[0]):
        pieces = code_pieces[0].split() if " " in code_pieces[0] else code_pieces
        full = codes.full(pieces, names[0] if names else None)
        if full is None:
            return None
        row["code"] = full
    unit_code = [c for k, c, _ in positions if k == "unit_code" and c]
    if unit_code:
        row["unit_code"] = unit_code[0]
    if names:
        row["name"] = names[0]
    texts = [c for _, c, _ in positions]
    if names and names[0] in TOTAL_LABELS or ("code" not in row and not unit_code
                                               and any(c in TOTAL_LABELS for c in texts)):
        row["_total"] = True
    elif "code" not in row and "unit_code" not in row and names and len(names) == 1 and all(
            CELL_NUMBER.match(c) or c in BLANK for k, c, _ in positions if k not in ("name", "code")) \
            and is_unit_name(names[0], "economic_department" if codes.economic else "function"):
        row["_unit"] = True     # a unit's row printed by its name only: a table printed unit by unit
    elif "code" not in row and "unit_code" not in row and (names or not positions or any(
            not CELL_NUMBER.match(c) for c in texts)):
        return None
    for column, cell, src in positions:
        if column in ("code", "name", "unit_code") and not _DOTTED_CODE.match(cell) \
                and any(_AMOUNT.fullmatch(w) for w in cell.split()):
            return None     # an amount under a code or name column: the columns were not told apart
        if column in ("code", "name", "unit_code") or cell in BLANK or cell in TOTAL_LABELS:
            continue
        if not CELL_NUMBER.match(cell) or column in row:
            return None
        if column.startswith("col_"):
            # A figure under a header no field names is not read (nor counted as read): listed
            row.setdefault("_unnamed", []).append(column)
            continue
        value = cell_value(cell)
        row[column] = figure(value, "%" if column in PERCENT_COLUMNS else unit,
                             printed=cell if cell != value else None, src=src)
    return row


def _figure_count(cells: list[str]) -> int:
    """The figures a space-separated row prints at its end, after its codes and name."""
    count = 0
    for cell in reversed(cells):
        if not CELL_NUMBER.match(cell):
            break
        count += 1
    return count


def _untabbed_positions(cells: list[str], keys: list[str]) -> list[tuple[str, str]] | None:
    """Space-separated rows: leading codes, then the name, then one number per numeric column."""
    codes = []
    rest = list(cells)
    # 类/款/项 printed apart; a one-digit 款 or 项 ("301 2 津贴补贴") lost its zero.
    while rest and len(codes) < 3 and (_CODE.match(rest[0]) or (
            codes and re.fullmatch(r"\d", rest[0]) and len(rest) > 1 and not CELL_NUMBER.match(rest[1]))):
        codes.append(rest.pop(0))
    name_parts = []
    while rest and not CELL_NUMBER.match(rest[0]) and rest[0] not in BLANK:
        name_parts.append(rest.pop(0))
    numbers = rest
    if any(not CELL_NUMBER.match(n) and n not in BLANK for n in numbers):
        return None
    numeric_keys = [k for k in keys if k not in ("code", "name", "unit_code")]
    if len(numbers) != len(numeric_keys):
        # Blank cells vanished; only a row with nothing but its total can be placed safely.
        if len(numbers) == 1 and numeric_keys and numeric_keys[0] == "total":
            numeric_keys = numeric_keys[:1]
        else:
            return None
    code_key = "unit_code" if "unit_code" in keys else "code"
    out: list[tuple[str, str]] = []
    if codes:
        out.extend((code_key, c) for c in ([" ".join(codes)] if len(codes) > 1 else codes))
    if name_parts:
        out.append(("name", "".join(name_parts)))
    out.extend(zip(numeric_keys, numbers))
    return out
