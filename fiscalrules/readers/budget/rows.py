"""A standard table's rows into the record, whichever reading placed their cells (the geometry
of a PDF or of text aligned in columns: ``tables.py``; the order of the tokens of text without
column positions: ``token_order.py``): what a code cell and a line about the table are, a row
from its (column key, cell) positions, the rows written to ``<base>.rows`` / ``<base>.totals``
and the ones not understood to the unread list, a table printing names only coded by the
classification's names.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...document.model import Line
from ..common.cells import BLANK, CELL_NUMBER, TOTAL_LABELS, cell_value
from ..common.record import RecordBuilder, figure
from ..common.units import UNIT
from .codes import BRACKETED_CODE, CodeRebuilder, NameCoder, code_in_name
from .prior_columns import PERCENT_COLUMNS, list_unnamed_figures
from .parent_rows import unit_rows_with_parents, with_parent_rows
from .units import by_unit_groups, is_unit_name, unit_row, write_unit_table
from .basic_parts import SPLIT_BASIC_TABLES, with_basic_from_parts

__all__ = ["CODED_TABLES", "CODE", "DOTTED_CODE", "AMOUNT_IN_CELL", "NO_LISTED_NAME", "plain_code", "is_meta",
           "is_numbering_row", "read_row", "write_rows", "name_coder", "coded_by_name"]


CODED_TABLES = ("income", "expenditure", "general_budget", "general_budget_basic", "gov_fund",
                "state_capital")


CODE = re.compile(r"^\d{2,7}$")


# A code printed with dots between its levels ("220.01.01", "220.01"): the same code.
DOTTED_CODE = re.compile(r"^\d{3}(?:[.．·]\d{2}){1,2}$")


def plain_code(cell: str) -> str:
    """A dotted code ("220.01.01") as the digits the tables key rows by; any other cell as it is."""
    return re.sub(r"[.．·]", "", cell) if DOTTED_CODE.match(cell) else cell


_NUMBERING_CELL = re.compile(r"\*+|栏次|\d{1,2}|[甲乙丙丁]")


# (a header's corner cell naming its rows two ways, "单位名称/功能分类科目（编码及名称）" over the units and
# their 科目 rows, is the table's header, not the line naming whose table it is)
# ("单位名称" opens a line about the table -- "单位名称：…局" -- unless a column's header follows it:
# then the line is the header of a table listed by unit, its other cells wrapped over several lines)
_META = re.compile(r"^(?:(?:填报单位|单位名称(?!合计|总计|金额|本年|收入|支出|财政|一般|基本|项目|上年)|部门名称|编制单位)"
                   r"(?![/／])|\[\d+\]|\(\d{4}年度?\))")


def is_numbering_row(cells: list[str]) -> bool:
    """The "** ** 1 2 3" / "栏次 1 2 3" row under the headers."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_NUMBERING_CELL.fullmatch(c) for c in filled) \
        and any(c.startswith("*") or c == "栏次" for c in filled)


def is_meta(text: str) -> bool:
    if BRACKETED_CODE.match(text) and (AMOUNT_IN_CELL.search(text) or code_in_name(text, named=True)):
        # a row printing its code in brackets ("[2070101]行政运行 …"), not a unit's code: its figures
        # on the same line, or a code a classification list names so (plain pdftotext prints each
        # cell on a line of its own: dropped as a unit's line, the figures below were read as rows
        # of no code; a unit's "[302]景德镇市…局" stays a line about the table)
        return False
    return bool(_META.match(text)) \
        or bool(UNIT.search(text) and not CELL_NUMBER.search(text.split()[-1]))


# an amount as a cell prints it (decimals or thousands separators: never a code)
_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")


AMOUNT_IN_CELL = re.compile(r"\d[\d,]*\.\d{2}|\d{1,3}(?:,\d{3})+")


def read_row(positions: list[tuple[str, str, dict]], unit: str,
              codes: CodeRebuilder) -> dict | None:
    """A row from its (column key, cell text, source) positions, or None when not understood."""
    row: dict = {}
    code_pieces = [plain_code(c) for k, c, _ in positions if k == "code" and c]
    names = [c for k, c, _ in positions if k == "name" and c]
    in_name = code_in_name(names[0], parents=(codes.lei, codes.kuan)) if names else None
    if not code_pieces and in_name:
        # the code printed in the name's cell ("[2070101]行政运行", "2070101 行政运行")
        code, name = in_name
        code_pieces, names = [code], [name]
    elif len(code_pieces) == 1 and not names and code_in_name(code_pieces[0]):
        # the name printed in the code's cell (a grid whose name ran into the code column)
        code, name = code_in_name(code_pieces[0])
        code_pieces, names = [code], [name]
    if code_pieces and CODE.match(code_pieces[0].split()[0]):
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
            not CELL_NUMBER.match(c) and c not in BLANK for c in texts)
            or not any(CELL_NUMBER.match(c) for c in texts)):
        # (figures only: a cell printing nothing by a dash, "增减额 -1.10 - -0.40", is a blank among
        # them, never a word that makes the row no row)
        return None
    for column, cell, src in positions:
        if column in ("code", "name", "unit_code") and not DOTTED_CODE.match(cell) \
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


_BLANK_TOTAL = re.compile(r"^(?:合计|总计)$")


def write_rows(builder: RecordBuilder, base: str, title: str,
                rows: list[tuple[Line, dict | None, str]], headers: dict | None = None,
                unit: str = "") -> None:
    """Rows into ``<base>.rows`` / ``<base>.totals``; rows not understood into unread. The
    table is ``empty`` when no row prints a figure other than zero (provinces' software prints
    an empty fund table as "合计 0.00 0.00 0.00"); ``rows`` is written (possibly ``[]``) only
    when every printed row was understood, so a table not read is never an empty list and a
    table read in part never a shorter list. The rows of a unit's own table (*unit*): see
    :func:`.units.write_unit_table`."""
    if base.removeprefix("tables.") in SPLIT_BASIC_TABLES:
        # 基本支出 printed as 人员经费 | 公用经费 only: the rows' basic spending is their sum
        rows = [(line, with_basic_from_parts(row), printed) for line, row, printed in rows]
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
    if base.removeprefix("tables.") in CODED_TABLES and builder.get(f"{base}.rows") is None:
        # (a table printing its 项 rows only: its 类 and 款 are the sums of the rows under them)
        rows = with_parent_rows(rows, base == "tables.general_budget_basic")
        unit_rows = unit_rows_with_parents(unit_rows)
    # (a unit's name alone outside such a table: a row not understood, as before)
    rows = [(line, None, printed) if row is not None and row.get("_unit") and grouped is None
            else (line, row, printed) for line, row, printed in rows]
    # (a 合计 line with its cells blank, as an empty fund table prints it -- "合计" alone under the
    # header: no figure to read, nothing left unread)
    rows = [entry for entry in rows if entry[1] is not None or not _BLANK_TOTAL.match(entry[2].replace(" ", ""))]
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
            open_figures = row.pop("_open", None)
            if open_figures:
                # its 合计 read, its other figures not placed (text without column positions): the
                # totals hold less than was printed -- a rule over totals.* is not evaluable
                builder.add_unread(title, (line.number, line.number), f"table row read in part (its 合计 "
                                   f"only): {open_figures}", group=f"{base}.totals")
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


def name_coder(key: str, keys: list[str]) -> NameCoder | None:
    """A table printing names only (no code column) is keyed by the classification's names."""
    if key in CODED_TABLES and "name" in keys and "code" not in keys and "unit_code" not in keys:
        return NameCoder("economic_department" if key == "general_budget_basic" else "function")
    return None


NO_LISTED_NAME = " (a name without a code that no classification list has)"


def coded_by_name(positions: list, names: NameCoder, src: dict) -> list | None:
    """*positions* with the code of the row's name put first; None when no list has the name."""
    name = next((c for k, c, _ in positions if k == "name" and c), None)
    in_name = code_in_name(name, parents=names.parents()) if name else None
    if in_name:
        names.printed(in_name[0])   # (the names below may print no code: they stand under this one)
    if name is None or name in TOTAL_LABELS or in_name or any(k == "code" and c for k, c, _ in positions):
        return positions        # (a code printed in the name's cell: read_row splits it off; a
                                # row printing its code, under a header naming none: keyed by it)
    code = names.code(name)
    return None if code is None else [("code", code, src)] + positions


# A cell of a column headed "…科目（编码及名称）" / "单位名称/功能分类科目（编码及名称）": the code and the
# name in one cell -- a 类/款/项 code (3, 5 or 7 digits), or a unit's code (6 digits) and name, its
# subtotal row marked "小计" after the name ("118001 某某局（本级） 小计", a table listed unit by unit).
_CODED_CELL = re.compile(r"^(?P<code>\d{3}(?:\d{2}){0,2}|\d{6})\s+(?P<name>[^\d\s].*?)(?:\s*小计)?$")


def names_its_code(header: list[str]) -> bool:
    """Whether a name column's *header* says its cells print the code too ("编码及名称", "编码/名称")."""
    text = "".join(header)
    return "编码" in text and "名称" in text


def split_coded_name(positions: list) -> list:
    """*positions* with a name cell printing its code first ("2130104 事业运行") split into the
    code and the name, the header having said so (:func:`names_its_code`): the code is taken as
    printed, whether or not a classification list has it (lists lag the year's codes, and the
    header, not the list, says the number is a code).  Any other row as it is."""
    if any(k == "code" and c for k, c, _ in positions):
        return positions
    out = []
    for key, cell, src in positions:
        found = _CODED_CELL.match(cell.strip()) if key == "name" else None
        if found is None:
            out.append((key, cell, src))
            continue
        out += [("code", found.group("code"), src), ("name", found.group("name").strip(), src)]
    return out
