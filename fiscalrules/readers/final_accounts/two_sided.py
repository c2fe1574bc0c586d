"""The two-sided 决算 总表s: 收入支出决算总表 and 财政拨款收入支出决算总表.

Income items on the left, expenditure classes (and, in the 财政拨款 table, four fund columns) on
the right, read line by line by position: a label, then the amount standing under its side's
决算数 column.  In extracted text without positions each label starts a cell and the figures after
it are its own; a line whose side cannot be told is listed, never guessed.
"""

from __future__ import annotations

import re

from ...data.classification import classification
from ...document.model import Document, Line, char_columns
from ..common.record import RecordBuilder
from .blocks import NUMBER, TABLES, TableBlock, amount_figure, numbering_line
from .tab_cells import keeps_blank_cells, without_untabbed_noise
from .three_public_columns import is_numbering_line
from .vocabulary import (CLOSING_BALANCE, EXPENDITURE_GRAND_TOTAL, EXPENDITURE_TOTAL, INCOME_GRAND_TOTAL,
                         INCOME_TOTAL, OPENING_BALANCE)

__all__ = ["read_two_sided"]

_SUMMARY_INCOME = [
    (r"一般公共预算财政拨款(?:收入)?$", "income.general_budget"), (r"政府性基金预算财政拨款(?:收入)?$", "income.gov_fund"),
    (r"国有资本经营预算财政拨款(?:收入)?$", "income.state_capital"), (r"上级补助收入$", "income.superior_subsidy"),
    (r"事业收入$", "income.business"), (r"(?:事业单位)?经营收入$", "income.operating"),
    (r"附属单位上缴收入$", "income.affiliated"), (r"其他收入$", "income.other"),
    (rf"^{INCOME_TOTAL}$", "income_total"), (r"使用非财政拨款结余", "non_appropriation_balance"),
    (rf"^{OPENING_BALANCE}$", "opening_balance"), (rf"^{INCOME_GRAND_TOTAL}$", "income_grand_total"),
]
_SUMMARY_EXPENDITURE = [
    (rf"^{EXPENDITURE_TOTAL}$", "expenditure_total"), (r"结余分配$", "balance_distribution"),
    (rf"^{CLOSING_BALANCE}$", "closing_balance"), (rf"^{EXPENDITURE_GRAND_TOTAL}$", "expenditure_grand_total"),
]


def _split_sides(words: list, middle: float) -> tuple[list, list]:
    left = [w for w in words if w.x0 < middle]
    right = [w for w in words if w.x0 >= middle]
    return left, right


# The 决算 software's 行次 column: the line's ordinal (1, 2, … on the left, 31, 32, … on the right),
# printed between a label and its 决算数.  Never an amount.
_LINE_NUMBER_HEADERS = ("行次", "栏次")
_ORDINAL = re.compile(r"^\d{1,3}$")


def _line_number_columns(lines: list[Line], header: Line) -> list[tuple[float, float]] | None:
    """Where the header's 行次 columns stand (x0, x1 of each, widened by its own width: the ordinal
    is centred under it); None when the table prints no 行次 column."""
    top = lines.index(header)
    spans = [(w.x0 - (w.x1 - w.x0), w.x1 + (w.x1 - w.x0)) for line in lines[max(0, top - 2):top + 2]
             for w in line.words if w.text in _LINE_NUMBER_HEADERS]
    return spans or None


def _amount_words(line: Line, line_numbers: list[tuple[float, float]] | None) -> list:
    """The line's words without its 行次 ordinals: in a PDF the integers standing under a 行次
    header; in extracted text (no positions) an integer printed right after a label."""
    if line_numbers is None:
        return list(line.words)
    if line.boxes is not None:
        return [w for w in line.words if not (_ORDINAL.match(w.text) and any(
            x0 <= (w.x0 + w.x1) / 2 <= x1 for x0, x1 in line_numbers))]
    words, previous = [], None
    for word in line.words:
        if not (_ORDINAL.match(word.text) and previous is not None and not NUMBER.match(previous.text)):
            words.append(word)
        previous = word
    return words


_UNKNOWN = "two-sided line: a label the template does not print, its figures not read: "
_UNCHECKED = "two-sided line: a 总计 whose side has a line not read (not kept to be checked): "
_GRAND_TOTALS = {"left": ("income_grand_total",), "right": ("expenditure_grand_total", "grand_total")}
_UNSIDED = "two-sided line: its figures cannot be given to the income or the expenditure side: "
_BUDGETED = "two-sided line: a budget column stands beside the final figures, which figure is which is not told: "


def _budget_columns(header: Line, middle: float) -> dict[str, FundColumns]:
    """Per side ("left", "right") whose header names one budget column and one 决算数: the two
    headings' (x0, x1) in the order printed, the budget's marked by its place: (columns, index of
    the budget column) -- figures are placed by their right edge (:func:`_column_by_right_edge`)."""
    columns = {}
    for side in ("left", "right"):
        words = [w for w in header.words if (w.x0 < middle) == (side == "left")]
        budgets = [w for w in words if "预算" in w.text and "决算" not in w.text]
        finals = [w for w in words if "决算" in w.text]
        if len(budgets) == 1 and len(finals) == 1:
            headings = sorted((budgets[0], finals[0]), key=lambda w: w.x0)
            columns[side] = ([(w.x0, w.x1) for w in headings], headings.index(budgets[0]))
    return columns


def _text_budget_columns(lines: list[Line], header: Line, line_numbers, budgeted: set[str],
                         prefix: str) -> tuple[dict, dict[int, Line]]:
    """The budget columns of a two-sided table as extracted text, with the lines in the coordinates
    they hold in: display columns (text aligned by hand) or character offsets (``pdftotext
    -layout``) -- the form where the budgeted sides' figures are placed (:func:`_budget_placements`).
    Single-spaced text, where a figure's place says nothing, holds in neither: ({}, {}), its lines
    listed.  Both holding and placing a figure differently: neither."""
    taken = []
    for form in (lines, [char_columns(line) for line in lines]):
        top = form[lines.index(header)]
        columns = _budget_columns(top, _right_side_start(form, top, line_numbers))
        if budgeted <= set(columns):
            placed = _budget_placements(form, top, columns, budgeted, line_numbers, prefix)
            if placed is not None:
                taken.append((form, columns, placed))
    if len(taken) == 2 and taken[0][2] != taken[1][2]:
        taken = []
    if not taken:
        return {}, {}
    form, columns, _ = taken[0]
    return columns, {line.number: line for line in form}


def _budget_placements(form: list[Line], top: Line, columns: dict, budgeted: set[str], line_numbers,
                       prefix: str) -> list | None:
    """Each line's (number, final figures, budget figure) on the budgeted sides of *form*, placed
    under *columns*; None where the coordinates are not those the text is aligned in: two figures
    of a line under one heading, or a heading's figures not ending where one another do (within
    :data:`_SLACK`)."""
    ends: dict[tuple[str, bool], list[float]] = {}
    placed = []
    for line in form:
        if line is top or line.compact.startswith(("注:", "说明:", "单位:", "收入支出")):
            continue
        sides = _text_sides(_amount_words(line, line_numbers),
                            lambda label: _left_label(label, prefix, {}, None, None))
        if sides is None:
            continue
        for side, side_words in zip(("left", "right"), sides):
            numbers = [w for w in side_words if NUMBER.match(w.text)]
            if side not in budgeted or not numbers:
                continue
            finals, budget = _final_and_budget(numbers, True, columns[side])
            if finals is None:
                return None
            for word in finals + ([budget] if budget is not None else []):
                ends.setdefault((side, word is budget), []).append(word.x1)
            placed.append((line.number, [w.text for w in finals], budget.text if budget is not None else None))
    if not ends or any(max(xs) - min(xs) > _SLACK for xs in ends.values()):
        return None
    return placed


def _final_and_budget(numbers: list, budgeted: bool, column: tuple | None,
                      fund_columns: bool = False) -> tuple[list | None, object]:
    """A side's figures on a line as (its final figures, its budget figure or None): each placed
    under its heading where the side prints a budget column (*column*: :func:`_budget_columns`).
    (None, None) when they cannot be given out: a budget column without positions, two figures
    under one heading, or several figures on a side of one column."""
    if not budgeted:
        return (None, None) if len(numbers) > 1 and not fund_columns else (numbers, None)
    if not numbers:
        return numbers, None
    if column is None:
        return None, None
    headings, budget_at = column
    final = budget = None
    for word in numbers:
        if (_column_by_right_edge(word, headings) or 0) == budget_at:
            if budget is not None:
                return None, None
            budget = word
        else:
            if final is not None:
                return None, None
            final = word
    return ([final] if final is not None else []), budget


def _left_label(label: str, prefix: str, fund_keys: dict, opening: str | None, closing: str | None) -> bool | None:
    """The side of a label printed alone on a line of extracted text: True for the income (left)
    side, False for the expenditure side, None when the label could stand on either."""
    label = re.sub(r"^[一二三四五六七八九十]+、", "", label)
    income = any(re.search(p, label) for p, _ in _SUMMARY_INCOME) or label.startswith("年初")
    # A class named loosely (its stem: "社会保障和就业" for 社会保障和就业支出) is the spending side only
    # where the label names no income item: "其他收入"'s stem is 其他支出's, and it is income.
    function = classification("function")
    spending = any(re.search(p, label) for p, _ in _SUMMARY_EXPENDITURE) or label.startswith("年末") \
        or bool(function.find(label, stems=False)) or not income and bool(function.find(label))
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


def _text_sides(words: list, is_left) -> tuple[list, list] | None:
    """A line of the two-sided table as extracted text (no positions, a blank cell leaves no
    trace): each label starts a cell and the figures after it are its own, so two labels are the
    left and the right item; a single label goes to the side its words name.  None when the side
    cannot be told (more than two labels, or a label either side prints, with figures)."""
    cells: list[list] = []
    for word in words:
        if not NUMBER.match(word.text) or not cells:
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
    label = "".join(w.text for w in words if not NUMBER.match(w.text))
    numbers = [w for w in words if NUMBER.match(w.text)]
    return re.sub(r"\s+", "", label), numbers


def read_two_sided(builder: RecordBuilder, doc: Document, block: TableBlock, prefix: str,
                    fund_columns: bool) -> set[int]:
    """收入支出决算总表 / 财政拨款收入支出决算总表: the left side's items and the right side's classes."""
    title = TABLES[block.key]
    # (a page number printed under a page of the table, "- 3 -", or a running header: no line of it;
    # nor the 栏次 numbering under the header)
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)
             if not doc.is_noise(n) and not numbering_line(doc.line(n))]
    header = next((l for l in lines if _is_header(l)), None)
    if header is None:
        builder.add_unread(title, (block.title, block.last), "two-sided table: its header (项目 … 项目) was not found")
        return set()
    # (tab-separated text keeping its blank cells: a cell's index tells its side, as a PDF's x does,
    # and the page numbers between its pages are no lines of it -- .tab_cells)
    positional = keeps_blank_cells(lines[lines.index(header) + 1:])
    if positional:
        lines = without_untabbed_noise(doc, lines)
    line_numbers = _line_number_columns(lines, header)
    middle = _right_side_start(lines, header, line_numbers)
    fund_columns_at = _fund_columns(lines, header, middle) if fund_columns else None
    # a side whose header names a budget beside its 决算数 ("项目 | 年初预算数 | 决算数"): which of a
    # line's figures is the final one cannot be told from their count (a blank cell leaves none) --
    # each figure is placed under its header's column (the budget put beside the final figure,
    # ``budget.…``) in a PDF, or in text laid out in columns that every figure keeps; elsewhere its
    # lines with figures are listed, never the first figure taken
    budgeted = set() if fund_columns else {"left" if w.x0 < middle else "right" for w in header.words if "预算" in w.text}
    columns: dict = {}
    laid_out: dict[int, Line] = {}   # text: each line in the coordinates its budget columns hold in
    if budgeted and header.boxes is not None:
        columns = _budget_columns(header, middle)
    elif budgeted:
        columns, laid_out = _text_budget_columns(lines, header, line_numbers, budgeted, prefix)
    if fund_columns:
        # (a right side of one 决算数 column, no figure by fund type: its fund types are not 0 --
        # the rules comparing them run only where they are printed)
        builder.put(f"{prefix}.by_fund", any(name in word.text for name in _FUND_NAMES
                                             for word in _right_header(lines, header, middle)))
    # text: each line in the coordinates its part's fund columns were found in, with those columns
    text_columns = _text_fund_columns(lines, line_numbers) if fund_columns and header.boxes is None else {}
    read_lines: set[int] = set()
    unplaced_classes = 0                    # the right side's function classes not placed
    unknown_sides: set[str] = set()         # "left" / "right": a side printing a line no label maps
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
        if is_numbering_line(line):
            # the columns' numbers under the header ("栏次 1 … 栏次 2"): no item of either side (read
            # as a line no label names, it dropped its side's 总计)
            continue
        if line.number in text_columns:
            line, fund_columns_at = text_columns[line.number]
        line = laid_out.get(line.number, line)
        words = _amount_words(line, line_numbers)
        if line.boxes is None and not positional:
            sides = _text_sides(words, lambda label: _left_label(label, prefix, fund_keys, current_balance,
                                                                right_balance))
            if sides is None or words and all(NUMBER.match(w.text) for w in words):
                # (figures alone on a line: their label, on a line above, cannot be told from here;
                # a line of words alone -- a header repeated under a page break, in columns the
                # text does not split -- has no figure to lose, and is no unread part)
                if any(NUMBER.match(w.text) for w in words):
                    builder.add_unread(title, (line.number, line.number), _UNSIDED + line.original.strip())
                continue
            left, right = sides
        else:
            left, right = _split_sides(words, middle)
        llabel, lnums = _label_and_numbers(left)
        rlabel, rnums = _label_and_numbers(right)
        lnums, lbudget = _final_and_budget(lnums, "left" in budgeted, columns.get("left"))
        if lnums is None:
            builder.add_unread(title, (line.number, line.number),
                               (_BUDGETED if "left" in budgeted else _UNSIDED) + line.original.strip())
            lnums = []
        llabel = re.sub(r"^[一二三四五六七八九十]+、", "", llabel)
        rlabel_raw = rlabel
        rlabel = re.sub(r"^[一二三四五六七八九十]+、", "", rlabel)
        if llabel:
            opening = prefix == "tables.appropriation_summary" and re.match(OPENING_BALANCE, llabel)
            if opening:
                current_balance = "opening"
            path = None
            if current_balance == "opening" and llabel in fund_keys:
                path = f"opening.{fund_keys[llabel]}"
            elif opening:
                path = "opening.total"
            else:
                for pattern, key in _SUMMARY_INCOME:
                    if re.search(pattern, llabel):
                        path = key
                        break
                if prefix == "tables.appropriation_summary" and path == "income_total":
                    current_balance = None
            if path and (lnums or lbudget):
                for key, word in ((path, lnums[0] if lnums else None), (f"budget.{path}", lbudget)):
                    if word is not None:
                        builder.put(f"{prefix}.{key}", amount_figure(word.text, doc, line, title, block.unit),
                                    section=title, lines=(line.number, line.number))
                read_lines.add(line.number)
            elif lnums or lbudget:
                builder.add_unread(title, (line.number, line.number), _UNKNOWN + llabel)
                unknown_sides.add("left")
        if rlabel_raw and not re.match(r"^[一二三四五六七八九十]+、", rlabel_raw) and side_right_pending and not rnums \
                and not any(re.search(p, rlabel) for p, _ in _SUMMARY_EXPENDITURE):
            side_right_pending += rlabel
            continue
        if rlabel:
            if prefix == "tables.appropriation_summary" and re.match(CLOSING_BALANCE, rlabel):
                right_balance = "closing"
            key = next((k for p, k in _SUMMARY_EXPENDITURE if re.search(p, rlabel)), None)
            finals, rbudget = _final_and_budget(rnums, "right" in budgeted, columns.get("right"), fund_columns)
            if finals is None:
                builder.add_unread(title, (line.number, line.number),
                                   (_BUDGETED if "right" in budgeted else _UNSIDED) + line.original.strip())
                side_right_pending = None
                continue
            values = [w.text for w in finals]
            budget = None if rbudget is None else amount_figure(rbudget.text, doc, line, title, block.unit)
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
                            builder.put(f"{prefix}.{path}", amount_figure(text, doc, line, title, block.unit))
                elif values:
                    builder.put(f"{prefix}.{key}", amount_figure(values[0], doc, line, title, block.unit), section=title,
                                lines=(line.number, line.number))
                if budget is not None:
                    builder.put(f"{prefix}.budget.{key}", budget, section=title, lines=(line.number, line.number))
                if values or budget is not None:
                    read_lines.add(line.number)
                side_right_pending = None
                continue
            if right_balance == "closing" and rlabel in fund_keys and fund_columns:
                if values:
                    builder.put(f"{prefix}.closing.{fund_keys[rlabel]}", amount_figure(values[0], doc, line, title, block.unit))
                    read_lines.add(line.number)
                continue
            side_right_pending = rlabel
            code = classification("function").find(rlabel)
            row = {"code": code or "", "name": rlabel}
            if fund_columns:
                placed = _fund_values(rnums, fund_columns_at)
                if placed is None:
                    builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
                    unplaced_classes += 1
                    continue
                for column, text in zip(_FUND_KEYS, placed):
                    if text is not None:
                        row[column] = amount_figure(text, doc, line, title, block.unit)
            elif values:
                row["amount"] = amount_figure(values[0], doc, line, title, block.unit)
            if budget is not None:
                row["budget"] = budget
            if code:
                builder.append(f"{prefix}.expenditure", row)
                side_right_pending = None
            elif values or budget is not None:
                builder.add_unread(title, (line.number, line.number), _UNKNOWN + rlabel)
                unknown_sides.add("right")
                continue
            if values or budget is not None:
                read_lines.add(line.number)
    table = builder.get(prefix)
    if isinstance(table, dict):
        # a side with a line of figures no label of the template names: its 总计 closes a sum
        # that cannot be checked (a part is missing), so it is not kept to be checked against one
        for side in sorted(unknown_sides):
            for key in _GRAND_TOTALS[side]:
                dropped = table.pop(key, None)
                for fig in (dropped.values() if isinstance(dropped, dict) and "value" not in dropped else [dropped]):
                    if isinstance(fig, dict) and isinstance(fig.get("source", {}).get("line"), int):
                        number = fig["source"]["line"]
                        builder.add_unread(title, (number, number), _UNCHECKED + doc.line(number).original.strip())
    if unplaced_classes and isinstance(table, dict):
        # the side's classes are not kept: some printed figures that could not be placed, and the
        # others -- most printing none -- would read as a side whose classes are all 0
        table.pop("expenditure", None)
    return read_lines


def _right_side_start(lines: list[Line], header: Line, line_numbers: list[tuple[float, float]] | None) -> float:
    """Where the right side of a two-sided table starts: the left edge of its labels, found as the
    leftmost label printed after an amount on the same line (the left side's amount stands
    right-aligned under its 决算数, the right side's label starts its own column).  Without such a
    line (a blank template), just after the left side's 决算数 header."""
    starts = []
    for line in lines:
        if line.compact.startswith(("注:", "说明:", "单位:")):
            continue
        seen_amount = False
        for word in sorted(_amount_words(line, line_numbers), key=lambda w: w.x0):
            if NUMBER.match(word.text):
                seen_amount = True
            elif seen_amount:
                starts.append(word.x0)
                break
    if starts:
        return min(starts) - 0.5
    first_amount = next(w for w in header.words if w.text not in ("项目",) + _LINE_NUMBER_HEADERS)
    return first_amount.x1 + 12


# The right side's figure columns of 财政拨款收入支出决算总表, by the words of their header cells.
_FUND_HEADERS = (("合计", "total"), ("一般公共", "general_budget"), ("政府性基", "gov_fund"), ("国有资本", "state_capital"))
_FUND_KEYS = tuple(key for _, key in _FUND_HEADERS)
_FUND_NAMES = tuple(word for word, key in _FUND_HEADERS if key != "total")
_UNPLACED = "fund columns not placed (the header's four columns were not found, or two figures stand under one): "
FundColumns = list[tuple[float, float]]        # x0, x1 of 合计, 一般公共预算, 政府性基金, 国有资本经营


def _is_header(line: Line) -> bool:
    return line.compact.startswith("项目") and line.compact.count("项目") == 2


def _text_fund_columns(lines: list[Line], line_numbers) -> dict[int, tuple[Line, FundColumns | None]]:
    """The fund columns of the table as extracted text, part by part (a part from a header line
    to the next: ``pdftotext -layout`` lays out each page on its own, and a page going on repeats
    the header): for each line number, the line in the coordinates its part's columns were found
    in -- display columns (a CJK character two, as on screen: text aligned by hand) or character
    offsets (``pdftotext -layout``: a CJK character one) -- and those columns.  A coordinate system
    is taken where it finds the four header cells and the figures under each end where the
    others do (right-aligned; in the wrong system each row's figures drift by the width of its
    names); when both are taken and place a figure differently the part has no columns (which is
    right would be a guess) and its lines are read as positionless text."""
    starts = [i for i, line in enumerate(lines) if _is_header(line)]
    found: dict[int, tuple[Line, FundColumns | None]] = {}
    for at, start in enumerate(starts):
        first = 0 if at == 0 else _title_top(lines, start, starts[at - 1] + 1, line_numbers)
        part = lines[first:starts[at + 1] if at + 1 < len(starts) else len(lines)]
        header = start - first
        taken = []
        for form in (part, [char_columns(line) for line in part]):
            columns = _fund_columns(form, form[header], _right_side_start(form, form[header], line_numbers))
            placed = _placements(form[header + 1:], columns, line_numbers) if columns is not None else None
            if placed is not None:
                taken.append((form, columns, placed))
        if len(taken) == 2 and taken[0][2] != taken[1][2]:
            taken = []
        form, columns = (taken[0][0], taken[0][1]) if taken else (part, None)
        found.update((line.number, (line, columns)) for line in form)
    return found


def _title_top(lines: list[Line], header: int, floor: int, line_numbers) -> int:
    """The first line of the part whose header is line *header*: the header's title lines above it
    (up to three, none at or above *floor*), none printing a figure -- where the header repeats
    without a title those lines are the previous page's last rows, laid out in that page's columns:
    taken into this part they would be placed under this page's (review 28: a 合计 read as 国有资本)."""
    first = header
    while first > floor and header - first < 3 and not any(
            NUMBER.match(word.text) for word in _amount_words(lines[first - 1], line_numbers)):
        first -= 1
    return first


def _placements(body: list[Line], columns: FundColumns, line_numbers) -> list | None:
    """Each body line's figures right of the 合计 title's start, as :func:`_fund_values` places
    them; None when a column's figures do not end where one another do (within _SLACK: -layout
    places a figure's end to a character or two, and a few more where it shifts the rows of a
    page) -- the coordinates are not the ones the text is aligned in -- or a line's figures
    cannot be placed."""
    ends: dict[int, list[float]] = {}
    placed = []
    for line in body:
        numbers = [w for w in _amount_words(line, line_numbers) if NUMBER.match(w.text) and w.x1 > columns[0][0]]
        values = _fund_values(numbers, columns) if numbers else []
        if values is None:
            return None
        for word in numbers:
            ends.setdefault(_column_by_right_edge(word, columns), []).append(word.x1)
        placed.append(values)
    if any(max(xs) - min(xs) > _SLACK for xs in ends.values()):
        return None
    return placed


_SLACK = 3   # characters


def _right_header(lines: list[Line], header: Line, middle: float) -> list:
    """The header words right of the right side's 项目, above its first row."""
    top = lines.index(header)
    first_body = next((i for i in range(top + 1, len(lines))
                       if any(NUMBER.match(w.text) for w in lines[i].words) or "、" in lines[i].compact), len(lines))
    return [w for line in lines[max(0, top - 3):first_body]
            if not line.compact.startswith(("单位", "注:", "说明:"))
            for w in line.words if w.x0 >= middle and w.text not in ("项目", "收入", "支出")]


def _fund_columns(lines: list[Line], header: Line, middle: float) -> FundColumns | None:
    """The four figure columns of the right side, from the header cells above the first row: the
    header words right of the side's 项目, merged where they overlap (a cell's title wraps over two
    or three lines), each column named by its words.  None when the four are not all found."""
    words = _right_header(lines, header, middle)
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
        index = _column_by_right_edge(word, columns)
        if index is None or texts[index] is not None:
            return None                          # left of every header, or two under one: not placed
        texts[index] = word.text
    return texts


def _column_by_right_edge(word, columns: FundColumns) -> int | None:
    """The column a figure stands in: figures are right-aligned in their cells and header titles
    centred over them, so a title starts left of its figures' right edge and the next column's
    title right of it -- the last title starting left of the figure's right edge.  (The nearest
    title centre is wrong under uneven widths: a figure at the right of a wide 合计 cell stands
    nearer the centre of a narrow 一般公共预算 cell beside it.)  None left of every title."""
    return max((i for i, (x0, _) in enumerate(columns) if x0 < word.x1), default=None)

