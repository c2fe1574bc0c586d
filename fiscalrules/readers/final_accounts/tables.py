"""The nine standard 决算 tables, found by title and read by header, into ``tables.*``.

Each table runs from its title line to its note ("注：本表反映…") or the next title.  Coded tables
(收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, the two fund tables) go through the generic
grid (:func:`fiscalrules.document.tables.read_grid`): columns and their header paths from where
words stand, 类/款/项 codes printed apart or joined, names wrapped onto their own lines.  The
two-sided 总表 and the two-panel 基本支出决算表 are read line by line by position: a label, then
the amount standing under its side's 决算数 column.  The 三公 table is one line of 预算数/决算数
pairs under its header columns.
"""

from __future__ import annotations

import re


from ...data.classification import classification
from ...document.model import Document, Line
from ...document.tables import read_grid
from ..common.panels import read_panels
from ..common.record import RecordBuilder, figure, source

__all__ = ["TABLES", "find_tables", "read_table_block", "TableBlock"]

# key → (title as printed, ending) in the national wording
TABLES = {
    "summary": "收入支出决算总表",
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "appropriation_summary": "财政拨款收入支出决算总表",
    "general_budget": "一般公共预算财政拨款支出决算表",
    "general_budget_basic": "一般公共预算财政拨款基本支出决算表",
    "three_public": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款收入支出决算表",
}
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_START = re.compile(r"^(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?(?!\d)")


class TableBlock:
    """A printed table: its key, title line, and the lines up to its note (inclusive)."""

    def __init__(self, key: str, title: int, last: int):
        self.key, self.title, self.last = key, title, last


def _title_key(compact: str) -> str | None:
    text = compact.replace('"', "“", 1).replace('"', "”", 1)
    for key, title in sorted(TABLES.items(), key=lambda kv: -len(kv[1])):
        if text.endswith(title) and len(text) <= len(title) + 4:
            return key
    return None


def find_tables(doc: Document, skip: set[int]) -> list[TableBlock]:
    """Every standard table printed (not the table of contents), title to note."""
    starts = [(line.number, key) for line in doc.lines
              if line.number not in skip and (key := _title_key(line.compact))]
    blocks = []
    for i, (number, key) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(doc)
        last = number
        for n in range(number + 1, end + 1):
            compact = doc.line(n).compact
            if re.match(r"^第[一二三四五六七八九十]+部分", compact):
                break
            last = n
            if compact.startswith("说明:") or compact.startswith("注:"):
                # the note; a 说明 line may follow it
                if n + 1 <= end and doc.line(n + 1).compact.startswith("说明:"):
                    last = n + 1
                if compact.startswith("说明:"):
                    break
                if not (n + 1 <= end and doc.line(n + 1).compact.startswith(("无", "说明:"))):
                    break
        blocks.append(TableBlock(key, number, last))
    return blocks


def _src(doc: Document, line: Line, section: str, start: int = 0, end: int | None = None) -> dict:
    return source(doc.name, section, line.number, line.original.strip(),
                  page=line.page if line.boxes is not None else None, box=line.box(start, end))


def _amount(text: str, doc: Document, line: Line, section: str, unit: str = "万元") -> dict:
    value = text.replace(",", "")
    return figure(value, unit, printed=text if value != text else None, src=_src(doc, line, section))


# ---- two-sided 总表 ----------------------------------------------------------------------------------

_SUMMARY_INCOME = [
    (r"一般公共预算财政拨款(?:收入)?$", "income.general_budget"), (r"政府性基金预算财政拨款(?:收入)?$", "income.gov_fund"),
    (r"国有资本经营预算财政拨款(?:收入)?$", "income.state_capital"), (r"上级补助收入$", "income.superior_subsidy"),
    (r"事业收入$", "income.business"), (r"(?:事业单位)?经营收入$", "income.operating"),
    (r"附属单位上缴收入$", "income.affiliated"), (r"其他收入$", "income.other"),
    (r"本年收入合计$", "income_total"), (r"使用非财政拨款结余", "non_appropriation_balance"),
    (r"年初(?:财政拨款)?结转和结余$", "opening_balance"), (r"总计$", "income_grand_total"),
]
_SUMMARY_EXPENDITURE = [
    (r"本年支出合计$", "expenditure_total"), (r"结余分配$", "balance_distribution"),
    (r"年末(?:财政拨款)?结转和结余$", "closing_balance"), (r"总计$", "expenditure_grand_total"),
]


def _split_sides(line: Line, middle: float) -> tuple[list, list]:
    left = [w for w in line.words if w.x0 < middle]
    right = [w for w in line.words if w.x0 >= middle]
    return left, right


_UNSIDED = "two-sided line: its figures cannot be given to the income or the expenditure side: "


def _left_label(label: str, prefix: str, fund_keys: dict, opening: str | None, closing: str | None) -> bool | None:
    """The side of a label printed alone on a line of extracted text: True for the income (left)
    side, False for the expenditure side, None when the label could stand on either."""
    label = re.sub(r"^[一二三四五六七八九十]+、", "", label)
    income = any(re.search(p, label) for p, _ in _SUMMARY_INCOME) or label.startswith("年初")
    spending = any(re.search(p, label) for p, _ in _SUMMARY_EXPENDITURE) or label.startswith("年末") \
        or bool(classification("function").find(label))
    if label in fund_keys:
        # the per-fund lines under 年初财政拨款结转和结余 are the left side's (the right side prints its
        # 年末 balance by fund in its four columns)
        income = opening == "opening" or prefix != "tables.appropriation_summary"
        spending = closing == "closing" and not income
    if income and not spending:
        return True
    if spending and not income:
        return False
    return None


def _text_sides(line: Line, is_left) -> tuple[list, list] | None:
    """A line of the two-sided table as extracted text (no positions, a blank cell leaves no
    trace): each label starts a cell and the figures after it are its own, so two labels are the
    left and the right item; a single label goes to the side its words name.  None when the side
    cannot be told (more than two labels, or a label either side prints, with figures)."""
    cells: list[list] = []
    for word in line.words:
        if not _NUMBER.match(word.text) or not cells:
            cells.append([word])
        else:
            cells[-1].append(word)
    if len(cells) == 2:
        return cells[0], cells[1]
    if len(cells) != 1:
        return None
    side = is_left(cells[0][0].text)
    if side is None:
        return None if len(cells[0]) > 1 else ([], cells[0])
    return (cells[0], []) if side else ([], cells[0])


def _label_and_numbers(words) -> tuple[str, list]:
    label = "".join(w.text for w in words if not _NUMBER.match(w.text))
    numbers = [w for w in words if _NUMBER.match(w.text)]
    return re.sub(r"\s+", "", label), numbers


def _read_two_sided(builder: RecordBuilder, doc: Document, block: TableBlock, prefix: str,
                    fund_columns: bool) -> set[int]:
    """收入支出决算总表 / 财政拨款收入支出决算总表: the left side's items and the right side's classes."""
    title = TABLES[block.key]
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)]
    header = next((l for l in lines if l.compact.startswith("项目") and l.compact.count("项目") == 2), None)
    if header is None:
        builder.add_unread(title, (block.title, block.last), "two-sided table: its header (项目 … 项目) was not found")
        return set()
    middle = _right_side_start(lines, header)
    fund_columns_at = _fund_columns(lines, header, middle) if fund_columns else None
    read_lines: set[int] = set()
    side_right_pending: str | None = None   # a right-side label wrapped onto the next line
    # "年初财政拨款结转和结余" (left) and "年末财政拨款结转和结余" (right) each head per-fund lines of
    # their own side; the two are printed on the same line, so each side keeps its own state
    current_balance = None                  # left side: "opening" under 年初财政拨款结转和结余
    right_balance = None                    # right side: "closing" under 年末财政拨款结转和结余
    fund_keys = {"一般公共预算财政拨款": "general_budget", "政府性基金预算财政拨款": "gov_fund",
                 "国有资本经营预算财政拨款": "state_capital"}
    for line in lines:
        if not line.words or line is header or line.compact.startswith(("注:", "说明:", "单位:", "收入支出")):
            continue
        if line.boxes is None:
            sides = _text_sides(line, lambda label: _left_label(label, prefix, fund_keys, current_balance,
                                                                right_balance))
            if sides is None:
                builder.add_unread(title, (line.number, line.number), _UNSIDED + line.original.strip())
                continue
            left, right = sides
        else:
            left, right = _split_sides(line, middle)
        llabel, lnums = _label_and_numbers(left)
        rlabel, rnums = _label_and_numbers(right)
        if len(lnums) > 1:
            builder.add_unread(title, (line.number, line.number), _UNSIDED + line.original.strip())
            lnums = []
        llabel = re.sub(r"^[一二三四五六七八九十]+、", "", llabel)
        rlabel_raw = rlabel
        rlabel = re.sub(r"^[一二三四五六七八九十]+、", "", rlabel)
        if llabel:
            if prefix == "tables.appropriation_summary" and llabel.startswith("年初财政拨款结转和结余"):
                current_balance = "opening"
            path = None
            if current_balance == "opening" and llabel in fund_keys:
                path = f"opening.{fund_keys[llabel]}"
            elif prefix == "tables.appropriation_summary" and llabel.startswith("年初财政拨款结转和结余"):
                path = "opening.total"
            else:
                for pattern, key in _SUMMARY_INCOME:
                    if re.search(pattern, llabel):
                        path = key
                        break
                if prefix == "tables.appropriation_summary" and path == "income_total":
                    current_balance = None
            if path and lnums:
                builder.put(f"{prefix}.{path}", _amount(lnums[0].text, doc, line, title), section=title,
                            lines=(line.number, line.number))
                read_lines.add(line.number)
        if rlabel_raw and not re.match(r"^[一二三四五六七八九十]+、", rlabel_raw) and side_right_pending and not rnums \
                and not any(re.search(p, rlabel) for p, _ in _SUMMARY_EXPENDITURE):
            side_right_pending += rlabel
            continue
        if rlabel:
            if prefix == "tables.appropriation_summary" and rlabel.startswith("年末财政拨款结转和结余"):
                right_balance = "closing"
            key = next((k for p, k in _SUMMARY_EXPENDITURE if re.search(p, rlabel)), None)
            values = [w.text for w in rnums]
            if key is not None:
                if fund_columns and key in ("expenditure_total", "closing_balance", "expenditure_grand_total"):
                    group = {"expenditure_total": "expenditure_total", "closing_balance": "closing",
                             "expenditure_grand_total": None}[key]
                    placed = _fund_values(rnums, fund_columns_at)
                    if placed is None:
                        builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
                        side_right_pending = None
                        continue
                    for column, text in zip(_FUND_KEYS, placed):
                        if text is not None:
                            # 总计 under 合计, then under each fund type's column
                            path = f"{group}.{column}" if group is not None else \
                                "expenditure_grand_total" if column == "total" else f"grand_total.{column}"
                            builder.put(f"{prefix}.{path}", _amount(text, doc, line, title))
                elif values:
                    builder.put(f"{prefix}.{key}", _amount(values[0], doc, line, title), section=title,
                                lines=(line.number, line.number))
                if values:
                    read_lines.add(line.number)
                side_right_pending = None
                continue
            if right_balance == "closing" and rlabel in fund_keys and fund_columns:
                if values:
                    builder.put(f"{prefix}.closing.{fund_keys[rlabel]}", _amount(values[0], doc, line, title))
                    read_lines.add(line.number)
                continue
            side_right_pending = rlabel
            code = classification("function").find(rlabel)
            row = {"code": code or "", "name": rlabel}
            if fund_columns:
                placed = _fund_values(rnums, fund_columns_at)
                if placed is None:
                    builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
                    continue
                for column, text in zip(_FUND_KEYS, placed):
                    if text is not None:
                        row[column] = _amount(text, doc, line, title)
            elif values:
                row["amount"] = _amount(values[0], doc, line, title)
            if code:
                builder.append(f"{prefix}.expenditure", row)
                side_right_pending = None
            if values:
                read_lines.add(line.number)
    return read_lines


def _right_side_start(lines: list[Line], header: Line) -> float:
    """Where the right side of a two-sided table starts: the left edge of its labels, found as the
    leftmost label printed after an amount on the same line (the left side's amount stands
    right-aligned under its 决算数, the right side's label starts its own column).  Without such a
    line (a blank template), just after the left side's 决算数 header."""
    starts = []
    for line in lines:
        if line.compact.startswith(("注:", "说明:", "单位:")):
            continue
        seen_amount = False
        for word in sorted(line.words, key=lambda w: w.x0):
            if _NUMBER.match(word.text):
                seen_amount = True
            elif seen_amount:
                starts.append(word.x0)
                break
    if starts:
        return min(starts) - 0.5
    first_amount = next(w for w in header.words if w.text not in ("项目",))
    return first_amount.x1 + 12


# The right side's figure columns of 财政拨款收入支出决算总表, by the words of their header cells.
_FUND_HEADERS = (("合计", "total"), ("一般公共", "general_budget"), ("政府性基", "gov_fund"), ("国有资本", "state_capital"))
_FUND_KEYS = tuple(key for _, key in _FUND_HEADERS)
_UNPLACED = "fund columns not placed (the header's four columns were not found, or two figures stand under one): "
FundColumns = list[tuple[float, float]]        # x0, x1 of 合计, 一般公共预算, 政府性基金, 国有资本经营


def _fund_columns(lines: list[Line], header: Line, middle: float) -> FundColumns | None:
    """The four figure columns of the right side, from the header cells above the first row: the
    header words right of the side's 项目, merged where they overlap (a cell's title wraps over two
    or three lines), each column named by its words.  None when the four are not all found."""
    top = lines.index(header)
    first_body = next((i for i in range(top + 1, len(lines))
                       if any(_NUMBER.match(w.text) for w in lines[i].words) or "、" in lines[i].compact), len(lines))
    words = [w for line in lines[max(0, top - 3):first_body]
             if not line.compact.startswith(("单位", "注:", "说明:"))
             for w in line.words if w.x0 >= middle and w.text not in ("项目", "收入", "支出")]
    spans: list[list] = []                      # [x0, x1, text]
    for word in sorted(words, key=lambda w: w.x0):
        if spans and word.x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], word.x1)
            spans[-1][2] += word.text
        else:
            spans.append([word.x0, word.x1, word.text])
    named = {}
    for x0, x1, text in spans:
        names = [key for word, key in _FUND_HEADERS if word in text]
        if len(names) == 1 and names[0] not in named:
            named[names[0]] = (x0, x1)
    if len(named) != len(_FUND_HEADERS):
        return None
    return [named[key] for _, key in _FUND_HEADERS]


def _fund_values(numbers, columns: FundColumns | None) -> list:
    """The 合计 / 一般公共预算 / 政府性基金 / 国有资本经营 figures of a right-side line, by position
    under the header cells (a blank cell stays None, so a 政府性基金 figure beside an empty
    一般公共预算 cell is not taken for it).  Without the header's columns, only a line filling all
    four columns, or the 合计 column alone, can be placed; otherwise None (the line is unread)."""
    if not numbers:
        return [None] * len(_FUND_HEADERS)
    if columns is None:
        if len(numbers) in (1, len(_FUND_HEADERS)):
            return [w.text for w in numbers] + [None] * (len(_FUND_HEADERS) - len(numbers))
        return None
    texts: list = [None] * len(columns)
    for word in numbers:
        centre = (word.x0 + word.x1) / 2
        index = min(range(len(columns)), key=lambda i: abs(centre - (columns[i][0] + columns[i][1]) / 2))
        if texts[index] is not None:
            return None                          # two figures under one header: not placed
        texts[index] = word.text
    return texts


# ---- coded tables (grid) -------------------------------------------------------------------------

_COLUMN_NAMES = {
    "income": [("本年收入合计", "total"), ("合计", "total"), ("财政拨款", "appropriation"), ("上级补助", "superior_subsidy"),
               ("事业收入", "business"), ("经营收入", "operating"), ("附属单位", "affiliated"), ("其他收入", "other")],
    "expenditure": [("本年支出合计", "total"), ("合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
                    ("上缴上级", "remit_superior"), ("经营支出", "operating"), ("对附属单位", "affiliated_subsidy")],
    "general_budget": [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")],
    "gov_fund": [("年初结转", "opening"), ("本年收入", "income"), ("年末结转", "closing"), ("基本支出", "basic"),
                 ("项目支出", "project"), ("本年支出", "total"), ("合计", "total")],
}
_COLUMN_NAMES["state_capital"] = _COLUMN_NAMES["gov_fund"]


def _is_body(line: Line) -> bool:
    """A coded line, a 合计 line with figures, or a line of figures only (the amounts of a coded
    line whose name wrapped before them)."""
    words = [w.text for w in line.words]
    numbers = [w for w in words if _NUMBER.match(w)]
    if _CODE_START.match(line.compact):
        return True
    if line.compact.startswith("合计") and numbers:
        return True
    # figures only, or a name then figures (a code printed on a line of its own above it)
    return bool(numbers) and all(_NUMBER.match(w) for w in words[len(words) - len(numbers):])


def _complete_name(code: str, name: str, scheme: str) -> bool:
    """Whether *name* is the whole printed name: a part of the standard name is the piece of a
    name the table wrapped onto another line, not a name of its own."""
    standard = classification(scheme).name(code)
    return not (standard and name != standard and (name in standard or name.startswith(standard)))


def _ordered_keys(grid, names: list[tuple[str, str]]) -> list[str]:
    """The figure columns' keys in the order the header prints them, from the header's words
    (longer needles claim their words first: 本年收入合计 before 合计).  Used where the grid could
    not part the columns (single-spaced extracted text: one column holds the whole header)."""
    header = "".join("".join(c.header) for c in sorted(grid.columns, key=lambda c: c.index))
    claimed: list[tuple[int, int, str]] = []
    for needle, key in names:
        for found in re.finditer(re.escape(needle), header):
            if not any(found.start() < end and start < found.end() for start, end, _ in claimed):
                claimed.append((found.start(), found.end(), key))
    ordered: list[str] = []
    for _, _, key in sorted(claimed):
        if key not in ordered:
            ordered.append(key)
    return ordered


def _glued(texts: list[str]) -> bool:
    """Whether the grid left figures inside a name cell ("行政运行 612.00 612.00"): the columns
    were not parted (single-spaced text), so the cells say nothing about which column is which."""
    return any(not _NUMBER.match(t.replace(" ", "")) and any(_NUMBER.match(w) for w in t.split()[1:])
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
    for row in grid.rows:
        code_column = min(row.cells) if row.cells else None
        for c, cell in row.cells.items():
            if c != code_column and c not in keys and _NUMBER.match(cell.text.replace(" ", "")):
                return False
    return True


def _by_tokens(line: Line, ordered: list[str]) -> tuple[str, list[str]] | None:
    """A line of single-spaced cells: (code and name, figures) when its figures fill every figure
    column (a blank cell leaves no trace in such text, so fewer figures cannot be placed), else None."""
    words = [w.text for w in line.words]
    count = 0
    while count < len(words) and _NUMBER.match(words[len(words) - 1 - count]):
        count += 1
    figures = words[len(words) - count:]
    if not figures or len(figures) != len(ordered):
        return None
    return "".join(words[:len(words) - count]), figures


def _read_coded(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    title = TABLES[block.key]
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)
             if not doc.line(n).compact.startswith(("注:", "说明:", "单位:", "无政府", "无国有"))]
    body = [l for l in lines if _is_body(l)]
    prefix = f"tables.{block.key}"
    note = next((doc.line(n) for n in range(block.title, block.last + 1) if doc.line(n).compact.startswith("说明:")), None)
    if note is not None:
        builder.put(f"{prefix}.note", note.original.strip())
    if not body:
        builder.put(f"{prefix}.empty", True)
        return set()
    builder.put(f"{prefix}.empty", False)
    grid = read_grid(doc, lines, _is_body)
    names = _COLUMN_NAMES[block.key]
    keys: dict[int, str] = {}
    for column in grid.columns:
        path = "".join(column.header)
        for needle, key in names:
            if needle in path and key not in keys.values():
                keys[column.index] = key
                break
    ordered = _ordered_keys(grid, names)
    by_tokens = not _grid_trusted(grid, keys, lines)
    read: set[int] = set()
    previous: dict | None = None
    # (line, row or totals, printed) in print order; a row whose figures could not be placed is None
    out_rows: list[tuple[Line, dict | None, bool]] = []
    for row in grid.rows:
        texts = [row.cells[c].text for c in sorted(row.cells)]
        first_text = re.sub(r"\s+", "", texts[0]) if texts else ""
        if texts and not _CODE_START.match(first_text) and not first_text.startswith("合计"):
            # the figures (and the rest of the name) of the coded line above, printed below it
            if previous is not None and not any(k in previous for k in keys.values()):
                for c, cell in row.cells.items():
                    if c in keys and _NUMBER.match(cell.text.replace(" ", "")):
                        previous[keys[c]] = _amount(cell.text.replace(" ", ""), doc, row.line, title)
                    elif not _NUMBER.match(cell.text.replace(" ", "")):
                        previous["name"] += re.sub(r"\s+", "", cell.text)
                read.add(row.line.number)
            continue
        if by_tokens or _glued(texts):
            # single-spaced text: code, name and figures by tokens, figures by the header's order
            placed = _by_tokens(row.line, ordered)
            if placed is None:
                out_rows.append((row.line, None, False))
                continue
            label, figures = placed
            found = _CODE_START.match(label)
            code = "".join(g for g in found.groups() if g) if found else None
            cells = {key: _amount(text, doc, row.line, title) for key, text in zip(ordered, figures)}
            if code is None and label.startswith("合计"):
                out_rows.append((row.line, cells, True))
                continue
            if code is None:
                continue
            out = {"code": code, "name": re.sub(r"^\d+", "", label[found.end():] if found else label), **cells}
            out_rows.append((row.line, out, False))
            previous = out
            continue
        first = re.sub(r"\s+", "", texts[0]) if texts else ""
        found = _CODE_START.match(first)
        code = "".join(g for g in found.groups() if g) if found else None
        code_column = min(row.cells) if row.cells else None
        numbers = {c: row.cells[c].text for c in row.cells if _NUMBER.match(row.cells[c].text.replace(" ", ""))
                   and c in keys and c != code_column}
        if code is None and first.startswith("合计"):
            out_rows.append((row.line, {keys[c]: _amount(text, doc, row.line, title) for c, text in numbers.items()},
                             True))
            continue
        if code is None:
            continue
        name = "".join(re.sub(r"^\d[\d\s]*", "", t) for t in texts if not _NUMBER.match(t.replace(" ", "")))
        name = re.sub(r"\s+", "", name)
        out = {"code": code, "name": name}
        for c, text in numbers.items():
            out[keys[c]] = _amount(text.replace(" ", ""), doc, row.line, title)
        out_rows.append((row.line, out, False))
        previous = out
    unplaced = sum(1 for _, out, _ in out_rows if out is None)
    for line, out, is_total in out_rows:
        if unplaced:
            # A table read in part would be summed as if whole (and a row without its figures
            # taken as 0.00): every row is listed, none read.
            reason = (f"{len(ordered)} figure columns, the figures of this row cannot be placed (a blank cell "
                      f"leaves no trace in single-spaced text): " if out is None else
                      f"row not read: {unplaced} other row(s) of this table could not be placed: ")
            builder.add_unread(title, (line.number, line.number), reason + line.original.strip())
            continue
        if is_total:
            for key, cell in out.items():
                builder.put(f"{prefix}.totals.{key}", cell)
        else:
            builder.append(f"{prefix}.rows", out)
            if _complete_name(out["code"], out["name"], "function"):
                class_lines.append((out["code"], out["name"], line.number, "function"))
        read.add(line.number)
    return read


# ---- 一般公共预算财政拨款基本支出决算表 (panels of code, name, amount) ------------------------------------

def _read_basic(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    """The panels (:func:`fiscalrules.readers.common.panels.read_panels`) into ``rows`` of code, name
    and amount, and the two 合计 into ``totals``."""
    title = TABLES[block.key]
    prefix = "tables.general_budget_basic"
    builder.put(f"{prefix}.split", False)
    panels = read_panels([doc.line(n) for n in range(block.title + 1, block.last + 1)])
    for item in panels.items:
        row = {"code": item.code, "name": item.name}
        if item.amount is not None:
            row["amount"] = _amount(item.amount, doc, item.amount_line, title)
        builder.append(f"{prefix}.rows", row)
        class_lines.append((row["code"], row["name"], item.line.number, "economic_department"))
    for key, (value, line) in panels.totals.items():
        builder.put(f"{prefix}.totals.{key}", _amount(value, doc, line, title))
    # names completed after the class line was recorded: update the recorded class lines
    rows = builder.get(f"{prefix}.rows") or []
    by_code = {r["code"]: r["name"] for r in rows}
    class_lines[:] = [(c, by_code.get(c, p) if s == "economic_department" else p, n, s) for c, p, n, s in class_lines
                      if s != "economic_department" or _complete_name(c, by_code.get(c, p), s)]
    return panels.read


# ---- 财政拨款“三公”经费支出决算表 ---------------------------------------------------------------------

_THREE_PUBLIC_ORDER = ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def _read_three_public(builder: RecordBuilder, doc: Document, block: TableBlock) -> set[int]:
    title = TABLES[block.key]
    prefix = "tables.three_public"
    for n in range(block.title + 1, block.last + 1):
        line = doc.line(n)
        words = [w.text for w in line.words]
        if len(words) >= 6 and all(_NUMBER.match(w) for w in words):
            if len(words) != 12:
                builder.add_unread(title, (n, n), f"三公 table: {len(words)} figures where 12 (预算数/决算数 × 6) are printed")
                return set()
            # header order of the national template: 合计, 因公出国（境）费, 公务用车购置及运行维护费
            # (小计, 购置费, 运行维护费), 公务接待费 -- each a 预算数 / 决算数 pair
            for i, key in enumerate(_THREE_PUBLIC_ORDER):
                builder.put(f"{prefix}.budget.{key}", _amount(words[2 * i], doc, line, title))
                builder.put(f"{prefix}.final.{key}", _amount(words[2 * i + 1], doc, line, title))
            builder.put(f"{prefix}.empty", False)
            return {n}
    builder.put(f"{prefix}.empty", True)
    return set()


def read_table_block(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    """Read one table into the record; the lines whose amounts it read."""
    builder.put(f"tables.{block.key}.title", TABLES[block.key])
    if block.key == "summary":
        return _read_two_sided(builder, doc, block, "tables.summary", False)
    if block.key == "appropriation_summary":
        return _read_two_sided(builder, doc, block, "tables.appropriation_summary", True)
    if block.key == "general_budget_basic":
        return _read_basic(builder, doc, block, class_lines)
    if block.key == "three_public":
        return _read_three_public(builder, doc, block)
    return _read_coded(builder, doc, block, class_lines)


