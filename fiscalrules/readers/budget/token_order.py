"""A standard table read by the order of its tokens: text without column positions (``pdftotext``
without -layout, pypdfium2's text, a table whose columns do not line up) or tab-separated text.

What it owns: the header's words to column keys (``headers.py``), each line's cells -- its codes,
its name, then one figure per figure column -- and the lines holding several rows (pypdfium2 joins
a table's rows), read only where each fills every figure column.  Blank cells leave no trace in
such text, so a row printing fewer figures than the header has columns is placed only where the
template leaves one placement (``common/blank_cells.py``: the 合计 first, an economic class's 经费, the
table's sums), else listed, never placed by guess (tab-separated cells keep their place, blank
ones too).  The rows go to the record as the
geometry's do (``rows.py``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...document.model import Document, Line
from ..common.cells import BLANK, CELL_NUMBER, CLASS_CODE, CODE_PIECE, TOTAL_LABELS, cell_value
from ..common.columns import resolve_subtotals
from ..common.record import RecordBuilder, source
from .sections import Block
from ..common.blank_cells import candidates, placed_row, settle
from .codes import BRACKETED_CODE, CodeRebuilder, NameCoder
from .headers import header_keys, tab_header_paths, wrapped_header_keys
from .prior_columns import last_years_columns, unnamed_headers
from .year_columns import split_prior_year, year_groups
from .year_rows import settle_year_rows, year_row
from .rows import (CODE, CODED_TABLES, NO_LISTED_NAME, coded_by_name, is_meta, is_numbering_row, name_coder, plain_code, read_row,
                   write_rows)

__all__ = ["read_by_token_order", "cells_of"]


def read_by_token_order(builder: RecordBuilder, doc: Document, block: Block, lines: list[Line],
                        unit: str) -> None:
    """A table of text without column positions read by the order of its tokens: the header's
    words give the columns, each row its codes, its name and one figure per column (tab-separated
    cells keep their place, blank ones too); a row whose blank cells vanished is listed, never
    guessed."""
    key = block.key
    base = f"tables.{key}"
    title = block.title
    tabbed = any("\t" in l.text for l in lines)
    header_rows: list[list[str]] = []
    data: list[tuple[Line, list[str]]] = []
    dotted = _prints_dotted_codes(lines)
    for line in lines:
        cells = cells_of(line, dotted)
        text = line.compact
        if is_meta(text) or re.fullmatch(r"\(?\d{4}年度?\)?", text):
            continue
        if is_numbering_row(cells):
            continue
        first_filled = next((c for c in cells if c), "")
        # (a header may start with 合计 where no unit columns are printed: no figure in it)
        if not data and not CODE.match(first_filled) and not BRACKETED_CODE.match(first_filled) \
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
    keys = resolve_subtotals(keys)   # (a 小计 named by the parts after it, as the PDF grid's are: .tables)
    if key == "three_public" and tabbed:
        keys = year_groups(builder, tab_header_paths(header_rows), keys)
    elif key in CODED_TABLES and tabbed:
        keys = last_years_columns(builder, tab_header_paths(header_rows), keys)
    builder.put(f"{base}.unit", unit)
    economic = key == "general_budget_basic"
    has_full_items = any(CODE.match(c) and len(c) == 7 for _, cells in data for c in cells[:3])
    codes = CodeRebuilder(economic, has_full_items)
    names = name_coder(key, keys)
    rows = []
    open_rows: list[tuple[int, _Pending]] = []     # (at, a row whose blank cells vanished)
    for line, cells in data:
        src = source(doc.name, block.title, line.number, line.original.strip())
        if tabbed and keys and len(cells) <= len(keys) + 1:
            positions = [(k, c, src) for k, c in zip(keys, cells)]
        else:
            found = _untabbed_positions(cells, keys)
            positions = None if found is None else [(k, c, src) for k, c in found]
        printed = line.original.strip()
        if names is not None and positions is not None:
            positions = coded_by_name(positions, names, src)
            if positions is None:
                printed += NO_LISTED_NAME
        figure_columns = sum(1 for k in keys if k not in ("code", "name", "unit_code"))
        if positions is None and not tabbed and 1 < _figure_count(cells) < figure_columns:
            # Blank cells leave no trace in text without column positions: the row's figures are
            # placed where the template's structure leaves one placement (..common.blank_cells), else listed
            pending = _pending_row(cells, keys, unit, codes, src, economic, names)
            if pending is not None:
                open_rows.append((len(rows), pending))
                rows.append((line, None, printed))
                continue
            printed += (f" ({_figure_count(cells)} figures for {figure_columns} columns: blank cells "
                        f"cannot be placed in text without column positions)")
        if positions is None and not tabbed:
            # several rows on one line (pypdfium2's text joins a table's rows): read only where
            # each fills every figure column (blanks printed as 0 / -): then where one row ends
            # and the next begins is not in doubt
            joined_rows = _rows_on_one_line(cells, keys)
            if joined_rows is not None:
                rows.extend((line, read_row([(k, c, src) for k, c in found], unit, codes), printed)
                            for found in joined_rows)
                continue
        by_year = year_row(positions, unit, codes, builder.year()) \
            if key == "three_public" and positions is not None else None
        rows.append((line, None if positions is None else by_year or read_row(positions, unit, codes), printed))
    if open_rows:
        _place_open_rows(rows, open_rows, keys)
    if key == "three_public":
        rows = split_prior_year(builder, base, title, settle_year_rows(builder, base, title, rows))
    write_rows(builder, base, title, rows, unnamed_headers(keys, header_rows) if tabbed else None, block.unit)


def cells_of(line: Line, dotted: bool = False) -> list[str]:
    """A row's cells (tab cells in place, else its words); in a table whose codes print dots
    (*dotted*), the row's first cell is its code without them (never a figure: "880.00" is an
    amount wherever it stands but in the code column)."""
    cells = [c.strip() for c in line.text.split("\t")] if "\t" in line.text else line.text.split()
    if dotted:
        first = next((i for i, c in enumerate(cells) if c), None)
        if first is not None:
            cells[first] = plain_code(cells[first])
    return cells


def _prints_dotted_codes(lines: list[Line]) -> bool:
    """Whether the table's rows start with codes printed with dots ("220.01.01": two dots, so
    no amount)."""
    return any(re.match(r"^\d{3}[.．·]\d{2}[.．·]\d{2}(?:\s|$)", line.text.strip()) for line in lines)


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


def _figure_count(cells: list[str]) -> int:
    """The figures a space-separated row prints at its end, after its codes and name."""
    count = 0
    for cell in reversed(cells):
        if not CELL_NUMBER.match(cell):
            break
        count += 1
    return count


class _Pending:
    """A row whose figures are fewer than the table's figure columns: its cells read with its
    first placement (*row*), and every placement the template allows it (:func:`..common.blank_cells.candidates`)."""
    __slots__ = ("row", "placements", "values")

    def __init__(self, row: dict, placements: list[tuple[str, ...]], values: list[Decimal]):
        self.row, self.placements, self.values = row, placements, values

    def placed(self, placement: tuple[str, ...]) -> dict:
        """The row with its figures under *placement*'s columns."""
        first = self.placements[0]
        out = {k: v for k, v in self.row.items() if k not in first}
        out.update((key, self.row[was]) for key, was in zip(placement, first) if was in self.row)
        return out


def _pending_row(cells: list[str], keys: list[str], unit: str, codes: CodeRebuilder, src: dict,
                 economic: bool, names: NameCoder | None) -> _Pending | None:
    """The row of *cells* printing fewer figures than *keys* has figure columns, read with each
    placement the template allows; None where it allows none or the row is not understood."""
    split = _split_cells(cells)
    numeric = [k for k in keys if k not in ("code", "name", "unit_code")]
    if split is None or any(k.startswith("col_") for k in numeric):
        return None
    numbers = split[2]
    every = candidates(len(numbers), numeric, None, False)
    if not every:
        return None
    found = _untabbed_positions(cells, keys, every[0])
    positions = None if found is None else [(k, c, src) for k, c in found]
    if names is not None and positions is not None:
        positions = coded_by_name(positions, names, src)
    row = None if positions is None else read_row(positions, unit, codes)
    if row is None:
        return None
    placements = candidates(len(numbers), numeric, row.get("code"), economic)
    if not placements:
        return None
    if placements[0] != every[0]:
        row = _Pending(row, every, []).placed(placements[0])
    values = [Decimal(cell_value(n)) if CELL_NUMBER.match(n) else Decimal(0) for n in numbers]
    return _Pending(row, placements, values)


def _place_open_rows(rows: list[tuple[Line, dict | None, str]], open_rows: list[tuple[int, _Pending]],
                     keys: list[str]) -> None:
    """The rows whose blank cells vanished placed where the table's sums leave one placement
    (:func:`..common.blank_cells.settle`); the others listed -- the 合计 row's own 合计 kept (its first
    figure, where the first column is 合计), its other figures said to be not read."""
    numeric = [k for k in keys if k not in ("code", "name", "unit_code")]
    waiting = dict(open_rows)
    tree: list = []
    for at, (_, row, _) in enumerate(rows):
        pending = waiting.get(at)
        if pending is not None:
            row = pending.row
        elif row is None or not (row.get("_total") or row.get("code") or row.get("unit_code")):
            tree = []        # a row not understood, or of no code: the sums are not the table's
            break
        code = None if row.get("_total") else row.get("code") or row.get("unit_code")
        if pending is not None:
            tree.append((code, pending.placements, pending.values))
        else:
            tree.append(placed_row(code, row, numeric))
    chosen = settle(tree, numeric) if tree else [None] * len(rows)
    for at, pending in open_rows:
        line, _, printed = rows[at]
        if chosen[at] is not None:
            rows[at] = (line, pending.placed(pending.placements[chosen[at]]), printed)
            continue
        why = (f" ({len(pending.values)} figures for {len(numeric)} columns: blank cells cannot be placed "
               f"in text without column positions" + (", and the table's sums leave more than one placement)"
                                                      if tree else ")"))
        if pending.row.get("_total") and numeric[0] == "total":
            rows[at] = (line, {"_total": True, "total": pending.row["total"], "_open": printed + why}, printed)
        else:
            rows[at] = (line, None, printed + why)


def _split_cells(cells: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """A space-separated row's leading codes, its name's words and its figures (None: a word that
    is no figure after them)."""
    codes = []
    rest = list(cells)
    # 类/款/项 printed apart; a one-digit 款 or 项 ("301 2 津贴补贴") lost its zero.
    while rest and len(codes) < 3 and (CODE.match(rest[0]) or (
            codes and re.fullmatch(r"\d", rest[0]) and len(rest) > 1 and not CELL_NUMBER.match(rest[1]))):
        codes.append(rest.pop(0))
    name_parts = []
    while rest and not CELL_NUMBER.match(rest[0]) and rest[0] not in BLANK:
        name_parts.append(rest.pop(0))
    numbers = rest
    if any(not CELL_NUMBER.match(n) and n not in BLANK for n in numbers):
        return None
    return codes, name_parts, numbers


def _untabbed_positions(cells: list[str], keys: list[str],
                        placement: tuple[str, ...] | None = None) -> list[tuple[str, str]] | None:
    """Space-separated rows: leading codes, then the name, then one number per numeric column (or
    under the columns of *placement*, one per number)."""
    split = _split_cells(cells)
    if split is None:
        return None
    codes, name_parts, numbers = split
    numeric_keys = list(placement) if placement is not None else [k for k in keys if k not in ("code", "name", "unit_code")]
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
