"""Printed standard tables (第二部分): headers to column keys, rows to coded records.

Tables arrive either tab-separated (cells keep their positions, blank cells included) or
space-separated (blank cells are lost). Headers may take two rows, with a group title above its
columns ("因公出国(境)费" over "小计 / 一般公务出国(境)费 / …"). Rows are keyed by their full
classification code: a 款 printed as its own two digits ("05" under "208") is rebuilt from the
类 above it, and 类/款/项 printed in separate cells are joined.

This module dispatches a table to its reader and reads it by geometry (a PDF, or text aligned in
columns: display columns, or character offsets as ``pdftotext -layout`` writes them, page by
page); text whose columns do not line up is read by the order of its tokens (``token_order.py``);
both write their rows through ``rows.py``.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line, Word, char_columns, printed_in_pdf
from ...document.side_by_side import joined_beside, side_by_side_parts
from ...document.offsets import aligned_pages, headed_figures, headers_fit_figures, joined, page_parts, reheaded
from ...document.tables import Grid, read_grid
from ..common.cells import BLANK, CELL_NUMBER, TOTAL_LABELS, cell_value
from ..common.columns import (LABEL_KEYS, column_key, heads_figure_columns, heads_row_labels, resolve_group_parts,
                              resolve_subtotals)
from ..common.panels import is_panel_header, read_panels
from ..common.record import RecordBuilder, figure, source
from ..common.units import NO_UNIT, declared_unit
from .sections import Block
from .codes import BRACKETED_CODE, CodeRebuilder
from .listings import LISTING_TABLES, read_listing_table
from .staff_table import read_staff_table
from .summary import read_two_sided
from .units import is_unit_name, unit_of_own_table
from .prior_columns import last_years_columns
from .transposed import is_transposed, read_transposed_three_public
from .year_columns import split_prior_year, year_groups
from .rows import (AMOUNT_IN_CELL, CODE, CODED_TABLES, NO_LISTED_NAME, coded_by_name, is_meta, is_numbering_row,
                   names_its_code, split_coded_name,
                   name_coder, plain_code, read_row, write_rows)
from .token_order import cells_of, read_by_token_order
from .year_rows import is_year_cell, is_year_label, rows_year, settle_year_rows, year_row

__all__ = ["read_standard_table", "column_key", "CODED_TABLES"]

_TWO_SIDED = ("summary", "appropriation_summary")


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
    if not [l for l in lines if not is_meta(l.compact)]:
        builder.add_unread(title, (block.first, block.last),
                           "only the title of this table was found, not the table")
        return
    if key in _TWO_SIDED:
        read_two_sided(builder, doc, block, lines, unit)
        return
    if key in LISTING_TABLES:
        read_listing_table(builder, doc, key, title, lines, unit)
        return
    if key == "general_budget_basic" and any(is_panel_header(l) for l in lines if not is_meta(l.compact)):
        _read_panel_table(builder, doc, block, lines, unit)
        return
    if key == "three_public":
        lines = _without_counts_table(builder, block, lines)
        body = [l for l in lines if not is_meta(l.compact)]
        if is_transposed(body):
            read_transposed_three_public(builder, doc, title, base, body, unit)
            return
    tabbed = any("\t" in l.text for l in lines)
    if not tabbed and _read_by_geometry(builder, doc, block, lines, unit):
        return
    if printed_in_pdf(lines):
        return
    read_by_token_order(builder, doc, block, lines, unit)


# A header cell of counts, not money: "团组数（个）", "人数（人）", "保有量（辆）", "批次（个）"
_COUNT_HEADER = re.compile(r"[(（](?:个|人|人次|辆|批次|次|台|家)[)）]$")


def _without_counts_table(builder: RecordBuilder, block: Block, lines: list[Line]) -> list[Line]:
    """The 三公 table's lines less a table of its counts printed under it (团组数（个）| 人数（人）|
    购置数（辆）| 保有量（辆）| 批次（个）…, as Fujian prints its "实物量"): from a header line of
    two or more count cells after the table's figures on, the lines are not the money table's
    (read as one more row of it, its counts became 元). Their figures are listed as unread."""
    seen_figures = False
    for at, line in enumerate(lines):
        if seen_figures and sum(1 for w in line.words if _COUNT_HEADER.search(w.text)) >= 2:
            for rest in lines[at + 1:]:
                if AMOUNT_IN_CELL.search(rest.text) or any(w.text.isdigit() for w in rest.words):
                    builder.add_unread(block.title, (rest.number, rest.number),
                                       f"counts printed under the 三公 table (a table of counts), not read: "
                                       f"{rest.original.strip()}")
            return lines[:at]
        seen_figures = seen_figures or AMOUNT_IN_CELL.search(line.text) is not None
    return lines


def _table_unit(builder: RecordBuilder, block: Block, lines: list[Line]) -> str:
    """The unit the table declares: on a line of its own above the header (or in the title, on
    the 填报单位 line), else in a note printed with it. A table that prints none is read in the
    template's 万元, and says so in the unread list (never a silent guess)."""
    unit = declared_unit((line.text for line in lines), block.title, (note for _, note in block.notes))
    if unit is not None:
        return unit
    if any(CODE.match(c) or CELL_NUMBER.match(c) for line in lines for c in cells_of(line)):
        builder.add_unread(block.title, (block.first, block.first), NO_UNIT)
    return "万元"


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
    body = [l for l in lines if not is_meta(l.compact)]
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
    write_rows(builder, base, title, rows, unit=block.unit)


def _is_body(line: Line) -> bool:
    """A body row of a coded table: it starts with a code or 合计, or prints only numbers."""
    words = line.words
    if not words:
        return False
    first = plain_code(words[0].text)
    numbers_only = all(CELL_NUMBER.match(w.text) or w.text in BLANK for w in words[1:])
    if CODE.match(first) or BRACKETED_CODE.match(first) or (first in TOTAL_LABELS and numbers_only):
        return True
    if numbers_only and len(words) > 1 and CELL_NUMBER.match(words[-1].text) and is_unit_name(first):
        return True     # a unit's row printed by its name only (a table printed unit by unit)
    return numbers_only and (CELL_NUMBER.match(first) is not None or first in BLANK)


def _is_year_body(line: Line) -> bool:
    """A body row of the "三公" table: as :func:`_is_body`, or a row named by its year's role
    ("2026年预算数 110.40 18.00 …", "增减额 52.10 …": :mod:`.year_rows`) then figures only."""
    if _is_body(line):
        return True
    words = line.words
    return len(words) > 1 and is_year_label(words[0].text) and all(is_year_cell(w.text) for w in words[1:])


# the header of a name column: "科目名称", or the classification alone ("科目", "功能分类科目")
_NAME_HEADER = re.compile(r"名称|科目(?!编码|代码|编号)")


def _names_only(lines: list[Line]) -> bool:
    """A coded table printing no codes: its header names 科目名称 (no 编码) and no line starts with a code."""
    header = next((l for l in lines if _NAME_HEADER.search(l.compact)
                   and not any(CELL_NUMBER.match(w.text) for w in l.words)), None)
    return header is not None and "编码" not in header.compact and "代码" not in header.compact \
        and not any(l.words and (CODE.match(plain_code(l.words[0].text)) or BRACKETED_CODE.match(l.words[0].text))
                    for l in lines)


def _is_named_body(line: Line) -> bool:
    """A body row of a table printing names only: a name, then figures (or blanks) only."""
    words = line.words
    return len(words) > 1 and not CELL_NUMBER.match(words[0].text) \
        and any(CELL_NUMBER.match(w.text) for w in words[1:]) \
        and all(CELL_NUMBER.match(w.text) or w.text in BLANK for w in words[1:])


def _total_joined(line: Line) -> Line:
    """The line with a 合计 / 总计 printed letter-spaced ("合   计", centred over the code and name
    columns: two words of one letter each) as the one word it is; any other line as it is."""
    words = line.words
    if len(words) < 2 or len(words[0].text) != 1 or len(words[1].text) != 1 \
            or words[0].text + words[1].text not in TOTAL_LABELS \
            or words[1].x0 - words[0].x1 > 4 * (words[0].x1 - words[0].x0):
        return line
    first, second = words[:2]
    joined_word = Word(first.text + second.text, first.x0, second.x1, first.start, second.end)
    return Line(line.number, line.original, page=line.page, words=[joined_word, *words[2:]],
                boxes=line.boxes, text=line.text)


def _read_by_geometry(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                      unit: str) -> bool:
    """Read the table from where its words stand (PDF, or text aligned in columns). Returns
    False for text whose columns do not line up, for the token-order reading to try."""
    kept = [_total_joined(l) for l in lines if not is_meta(l.compact)
            and not re.fullmatch(r"\(?\d{4}年度?\)?", l.compact)
            and not is_numbering_row([w.text for w in l.words])]
    by_name = block.key in CODED_TABLES and _names_only(kept)
    is_body = _is_named_body if by_name else _is_year_body if block.key == "three_public" else _is_body
    found = _beside_grid(doc, kept, is_body, unit) or _table_grid(doc, kept, is_body, unit)
    if found is None:
        return False
    grid, keys = found
    base = f"tables.{block.key}"
    title = block.title
    builder.put(f"{base}.unit", unit)
    if block.key == "three_public":
        keys = year_groups(builder, [c.header for c in grid.columns], keys)
    elif block.key in CODED_TABLES:
        keys = last_years_columns(builder, [c.header for c in grid.columns], keys)
    economic = block.key == "general_budget_basic"
    has_full_items = any(CODE.match(plain_code(r.text(i))) and len(plain_code(r.text(i))) == 7
                         for r in grid.rows for i, k in enumerate(keys) if k == "code")
    codes = CodeRebuilder(economic, has_full_items)
    names = name_coder(block.key, keys)
    # (a name column headed "…（编码及名称）": each row's code printed in its name's cell)
    coded_names = block.key in CODED_TABLES and any(
        keys[c.index] == "name" and names_its_code(c.header) for c in grid.columns)
    rows: list[tuple[Line, dict | None, str]] = []
    year = rows_year(builder, [row.line.words[0].text for row in grid.rows if row.line.words]) \
        if block.key == "three_public" else None
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
            # (a cell of a part printed beside on another page: its own line is its source)
            src = source(doc.name, title, row.line.number, printed, box=cell.box) if cell.line == row.line.number \
                else source(doc.name, title, cell.line, doc.line(cell.line).original.strip(), box=cell.box)
            positions.append((keys[index], cell.text, src))
        if coded_names:
            positions = split_coded_name(positions)
        if names is not None and positions:
            positions = coded_by_name(positions, names, positions[0][2])
            if positions is None:
                rows.append((row.line, None, printed + NO_LISTED_NAME))
                continue
        by_year = year_row(positions, unit, codes, year) if block.key == "three_public" else None
        rows.append((row.line, by_year or read_row(positions, unit, codes), printed))
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
    if block.key == "three_public":
        rows = split_prior_year(builder, base, title, settle_year_rows(builder, base, title, rows))
    write_rows(builder, base, title, rows, headers, block.unit)
    return True


def _table_grid(doc: Document, lines: list[Line], is_body, unit: str) -> tuple[Grid, list[str]] | None:
    """The grid of a table's lines and its columns' keys: by where its words stand (a PDF, text
    aligned by display columns), else by character offsets page by page; None when text lines up
    neither way."""
    grid, keys = _grid(doc, lines, is_body, unit)
    if printed_in_pdf(lines) or _aligned(grid, keys):
        return grid, keys
    # text aligned by characters, not display columns (pdftotext -layout: a CJK character
    # one column), whose columns drift right by the width of each row's name otherwise
    # (a table continued over pages is read page by page: -layout lays out each page on its own,
    # and one grid over them all would take one page's figures for another's columns)
    return _paged_grid(doc, [char_columns(line) for line in lines], is_body, unit)


def _beside_grid(doc: Document, lines: list[Line], is_body, unit: str) -> tuple[Grid, list[str]] | None:
    """The grid of a table printed over pages side by side (its columns continued to the right
    on the next page, the rows' codes and names printed again, some of them, or none: the rows
    then told by their height, :mod:`...document.side_by_side`), its parts joined into one; None for a table printed otherwise (one header; a part printing
    rows the first does not, or columns it has already: continued downwards under another
    header), read as before."""
    parts = side_by_side_parts(lines, is_body, lambda line: heads_row_labels(line.words),
                               lambda line: heads_figure_columns(line.words))
    if parts is None:
        return None
    readings = [_table_grid(doc, part, is_body, unit) for part in parts]
    if any(reading is None for reading in readings):
        return None
    joined = joined_beside([(grid, {i: key for i, key in enumerate(keys) if key not in LABEL_KEYS})
                            for grid, keys in readings])
    if joined is None:
        return None
    grid, figure_keys = joined
    first_keys = readings[0][1]
    return grid, first_keys + [figure_keys[i] for i in range(len(first_keys), len(grid.columns))]


def _merged_heads(grid: Grid) -> bool:
    """Whether two header cells of one line fell into one column ("合计" and "基本支出" read as the
    cell "合计基本支出"): each names a column of figures by itself, so the columns did not line up
    (text aligned by characters, read by display columns, whose figures drift right row by row)."""
    cells = {piece for column in grid.columns for piece in column.header}
    for line in grid.header_lines:
        texts = [w.text for w in line.words]
        named = [column_key(t, t, 0) not in ("code", "name") and not column_key(t, t, 0).startswith("col_")
                 for t in texts]
        for at in range(len(texts) - 1):
            if named[at] and named[at + 1] and texts[at] + texts[at + 1] in cells:
                return True
    return False


def _is_mark(text: str) -> bool:
    """A cell printing nothing by a mark ("-", "—"), not left empty."""
    return text in BLANK[1:]


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
        aligned = aligned_pages(part, is_body, _is_amount, is_mark=_is_mark)
        grid, part_keys = _grid(doc, aligned, is_body, unit)
        if not grid.rows:
            if any(AMOUNT_IN_CELL.search(line.text) for line in part):
                return None
            continue
        readings = _readings(doc, part, aligned, (grid, part_keys), grids[0] if grids else None, is_body, unit)
        found = next((reading for reading in readings if _lines_up(*reading, keys)), None)
        if found is None:
            return None
        grid, keys = found
        grids.append(grid)
    return (joined(grids), keys) if grids and keys is not None else None


def _readings(doc: Document, part: list[Line], aligned: list[Line], reading: tuple, first: Grid | None, is_body,
              unit: str):
    """The readings of a table's *part* to try in turn, the first that lines up taken: its grid as
    laid out (*reading*); by where its figures end (figures one space apart: -layout sets a long
    figure against the one before, and a figure a character wider in another row bridges two
    columns); and, after the table's *first* part, a page repeating the header that makes no grid
    of its own, under the first page's header -- alone, then among the first part's rows."""
    yield reading
    yield _grid(doc, aligned, is_body, unit, _is_amount)
    if first is not None:
        moved = reheaded(part, first, is_body, _is_amount)
        if moved is not None:
            yield _grid(doc, moved, is_body, unit)
            yield _among(doc, first, moved, is_body, unit)


def _among(doc: Document, first: Grid, moved: list[Line], is_body, unit: str) -> tuple[Grid, list[str]]:
    """The grid of a part of a row or two (*moved*: :func:`reheaded`'s, under *first*'s header)
    read among the rows of *first*, the table's first part: alone they may not make its columns
    ("2210203 购房补贴", a code and a short name one space apart, two runs where the first part's
    longer names join them into the one 科目 column), with them they do.  The part's rows kept,
    under the columns all of them make -- checked by the caller as any part."""
    own = {id(line) for line in moved[len(first.header_lines):]}
    lines = list(first.header_lines) + [row.line for row in first.rows] + moved[len(first.header_lines):]
    grid, keys = _grid(doc, lines, is_body, unit)
    rows = [row for row in grid.rows if id(row.line) in own]
    return Grid(grid.columns, grid.header_lines, rows, grid.repeated, grid.loose, grid.unit), keys


def _lines_up(grid: Grid, keys: list[str], first_keys: list[str] | None) -> bool:
    """A part's grid lines up (:func:`_aligned`), its headers stand over its figures and its
    pages' figures under its columns, with the columns of the table's first part."""
    return _aligned(grid, keys) and headers_fit_figures(grid, _is_amount) and headed_figures(grid, _is_amount) \
        and (first_keys is None or keys == first_keys)


def _grid(doc: Document, lines: list[Line], is_body, unit: str, right_aligned=None) -> tuple[Grid, list[str]]:
    """The grid of a table's lines and its columns' keys (*right_aligned*: :func:`read_grid`'s)."""
    grid = read_grid(doc, lines, is_body, unit, right_aligned)
    heads = _heading_pieces(grid.columns)
    leaves = [c.leaf for c in grid.columns]
    # (a 小计 named by its parts, a part by the 公务用车 column before it: each may name what lets the
    # other name its own -- "小计 | 购置费 | 运行费" with the group's title over the 购置费 only)
    keys = resolve_group_parts(resolve_subtotals([_column_key(c, heads) for c in grid.columns]), leaves)
    return grid, resolve_subtotals(keys)


def _heading_pieces(columns) -> dict[str, list[int]]:
    """Each header word -> the columns of figures whose header prints it (a code or name column's
    header is left out: the corner's "项目" is another cell than a figure column's "项目 / 支出"),
    worked out once a grid -- each column then asks it, not every other column."""
    heads: dict[str, list[int]] = {}
    for column in columns:
        if column.header and column_key(column.leaf, column.path, column.index) not in ("code", "name"):
            for piece in dict.fromkeys(column.header):
                heads.setdefault(piece, []).append(column.index)
    return heads


def _column_key(column, heads: dict[str, list[int]]) -> str:
    """A column's key by its header path; a leaf naming nothing alone is tried with the cell above
    it (a header cell wrapped over lines, "2024年机关运行经" / "费预算数", with another column's
    group title printed between them; "项目" / "支出"), then with the two above it ("财政" / "拨款" /
    "收入"), where those cells head no other column of figures (*heads*: :func:`_heading_pieces`)."""
    if not column.header:
        return f"col_{column.index + 1}"
    key = column_key(column.leaf, column.path, column.index)
    header = column.header
    for lines in (2, 3):   # (a cell wrapped over two lines, or three: "财政" / "拨款" / "收入")
        if not key.startswith("col_") or len(header) < lines:
            break
        if any(index != column.index for piece in header[-lines:-1] for index in heads.get(piece, ())):
            break
        wrapped = column_key("".join(header[-lines:]), column.path, column.index)
        key = key if wrapped.startswith("col_") else wrapped
    return key


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
    if any(k.startswith("col_") for k in keys) or len(named) != len(set(named)) or _merged_heads(grid):
        return False
    # Misaligned columns merge: two words of one row then share a column (a name may have two, but
    # never an amount: the name's column then took the figures' columns too).
    return not any(cell.words > 1 and (keys[cell.column] != "name" or AMOUNT_IN_CELL.search(cell.text))
                   for row in grid.rows for cell in row.cells.values())


