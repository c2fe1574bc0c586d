"""The two-sided 决算 总表s: 收入支出决算总表 and 财政拨款收入支出决算总表.

Income items on the left, expenditure classes (and, in the 财政拨款 table, four fund columns) on
the right, read line by line by position: a label, then the amount standing under its side's
决算数 column.  In extracted text without positions each label starts a cell and the figures after
it are its own; a line whose side cannot be told is listed, never guessed.  A side printing budget
columns beside its 决算数 (年初预算数, 调整预算数) has each figure placed under its heading: the
决算数 read as in a table without them, a budget where the table's record has a place for it
(``budget.…`` of 收入支出决算总表), else listed.  Where the columns stand is
:mod:`.two_sided_columns`'.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...data.classification import classification
from ...document.model import Document, Line, char_columns
from ..common.record import RecordBuilder
from .blocks import NUMBER, TABLES, TableBlock, amount_figure, numbering_line
from .fund_lines import left_by_fund, place_fund_lines
from .tab_cells import keeps_blank_cells, without_untabbed_noise
from .three_public_columns import is_numbering_line
from .two_sided_beside import beside_part, read_beside
from .two_sided_columns import (FUND_KEYS, FUND_NAMES, SLACK, BudgetColumns, aligned_fund_columns, amount_words,
                                budget_columns, column_by_right_edge, find_fund_columns, fund_values, is_budget_heading,
                                is_header, line_number_columns, right_header, right_side_start, text_fund_columns)
from .vocabulary import (CLOSING_BALANCE, EXPENDITURE_GRAND_TOTAL, EXPENDITURE_TOTAL, INCOME_GRAND_TOTAL,
                         INCOME_TOTAL, OPENING_BALANCE)

__all__ = ["read_two_sided"]

_SUMMARY_INCOME = [
    (r"一般公共预算财政拨款(?:收入)?$", "income.general_budget"), (r"政府性基金预算财政拨款(?:收入)?$", "income.gov_fund"),
    (r"国有资本经营预算财政拨款(?:收入)?$", "income.state_capital"),
    # (the 财政拨款 printed undivided, "一、财政拨款收入", as the national template did before 2019)
    (r"^财政拨款(?:收入)?(?:小计|合计)?$", "income.appropriation"), (r"上级补助收入$", "income.superior_subsidy"),
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


_UNKNOWN = "two-sided line: a label the template does not print, its figures not read: "
_UNCHECKED = "two-sided line: a 总计 whose side has a line not read (not kept to be checked): "
_GRAND_TOTALS = {"left": ("income_grand_total",), "right": ("expenditure_grand_total", "grand_total")}
_UNSIDED = "two-sided line: its figures cannot be given to the income or the expenditure side: "
_BUDGETED = "two-sided line: a budget column stands beside the final figures, which figure is which is not told: "
_NO_PLACE = ("two-sided line: a budget column (年初预算数 / 调整预算数) beside the final figures, the record "
             "has no place for it in this table, its figures not read: ")
# the budget kinds a table's record has a place for (``budget.…``, each expenditure row's ``budget``)
_BUDGET_PLACES = {"tables.summary": ("budget",)}
_UNPLACED = "fund columns not placed (the header's four columns were not found, or two figures stand under one): "
# the right side's total lines of the per-fund identities (.fund_lines)
_KINDS = {"expenditure_total": "expenditure_total", "closing_balance": "closing", "expenditure_grand_total": "grand"}


def _put_fund_line(builder: RecordBuilder, prefix: str, group: str | None, placed: list, line: Line,
                   where: tuple) -> None:
    """A total line's figures under 合计 and each fund's column (*group*: its record key; None for 总计)."""
    doc, title, unit = where
    for column, text in zip(FUND_KEYS, placed):
        if text is not None:
            # 总计 under 合计, then under each fund type's column
            path = f"{group}.{column}" if group is not None else \
                "expenditure_grand_total" if column == "total" else f"grand_total.{column}"
            builder.put(f"{prefix}.{path}", amount_figure(text, doc, line, title, unit))


def _place_pending(builder: RecordBuilder, prefix: str, pending: list, read_lines: set[int], where: tuple) -> int:
    """The fund lines of single-spaced text placed by the table's identities (:mod:`.fund_lines`):
    those left open listed; how many of them are classes."""
    doc, title, unit = where
    def value(fig) -> Decimal | None:
        return Decimal(str(fig["value"])) if isinstance(fig, dict) and "value" in fig else None
    table = builder.get(prefix) or {}
    income = {k: value(v) for k, v in (table.get("income") or {}).items() if value(v) is not None}
    opening = {k: value(v) for k, v in (table.get("opening") or {}).items() if value(v) is not None}
    left = left_by_fund(income, value(table.get("income_total")), {k: v for k, v in opening.items() if k != "total"},
                        opening.get("total"))
    figures = [[Decimal(w.text.replace(",", "")) for w in numbers] for _, _, numbers, _, _ in pending]
    placements = place_fund_lines([(kind, code, values) for (kind, code, _, _, _), values in zip(pending, figures)],
                                  left)
    unplaced = 0
    for (kind, _, numbers, line, target), option in zip(pending, placements):
        if option is None:
            builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
            unplaced += kind == "class"
            continue
        texts = dict(zip(option, (w.text for w in numbers)))
        placed = [texts.get(key) for key in FUND_KEYS]
        if kind == "class":
            target.update({key: amount_figure(text, doc, line, title, unit) for key, text in texts.items()})
        else:
            _put_fund_line(builder, prefix, target, placed, line, where)
        read_lines.add(line.number)
    return unplaced


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
        columns = budget_columns(top, right_side_start(form, top, line_numbers))
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
    """Each line's (number, final figures, budget figures by kind) on the budgeted sides of *form*,
    placed under *columns*; None where the coordinates are not those the text is aligned in: two
    figures of a line under one heading, or a heading's figures not ending where one another do
    (within :data:`SLACK`)."""
    ends: dict[tuple[str, str], list[float]] = {}
    placed = []
    for line in form:
        if line is top or line.compact.startswith(("注:", "说明:", "单位:", "收入支出")):
            continue
        sides = _text_sides(amount_words(line, line_numbers),
                            lambda label: _left_label(label, prefix, {}, None, None))
        if sides is None:
            continue
        for side, side_words in zip(("left", "right"), sides):
            numbers = [w for w in side_words if NUMBER.match(w.text)]
            if side not in budgeted or not numbers:
                continue
            finals, budgets = _final_and_budget(numbers, True, columns[side])
            if finals is None:
                return None
            for kind, word in [("final", w) for w in finals] + list(budgets.items()):
                ends.setdefault((side, kind), []).append(word.x1)
            placed.append((line.number, [w.text for w in finals], {k: w.text for k, w in budgets.items()}))
    if not ends or any(max(xs) - min(xs) > SLACK for xs in ends.values()):
        return None
    return placed


def _final_and_budget(numbers: list, budgeted: bool, column: BudgetColumns | None,
                      fund_columns: bool = False) -> tuple[list | None, dict]:
    """A side's figures on a line as (its final figures, its budget figures by kind: ``budget``,
    ``adjusted_budget``): each placed under its heading where the side prints budget columns
    (*column*: :func:`.two_sided_columns.budget_columns`).  (None, {}) when they cannot be given
    out: budget columns without positions, two figures under one heading, or several figures on a
    side of one column."""
    if not budgeted:
        return (None, {}) if len(numbers) > 1 and not fund_columns else (numbers, {})
    if not numbers:
        return numbers, {}
    if column is None:
        return None, {}
    headings, kinds = column
    placed: dict = {}
    finals: list = []           # (several where the 决算数 is printed by fund type)
    taken: set[int] = set()
    for word in numbers:
        # (a figure left of every heading: under the first)
        index = column_by_right_edge(word, headings) or 0
        if index in taken:
            return None, {}
        taken.add(index)
        if kinds[index] == "final":
            finals.append(word)
        else:
            placed[kinds[index]] = word
    return finals, placed


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


_ORDINAL = re.compile(r"^\d{1,3}$")


def _ordinals_after_labels(line: Line) -> list[int]:
    """The 行次 ordinals a line of positionless text prints: an integer right after a label."""
    return [int(b.text) for a, b in zip(line.words, line.words[1:]) if not NUMBER.match(a.text) and _ORDINAL.match(b.text)]


def _ordinal_offset(lines: list[Line]) -> int | None:
    """How far the right side's 行次 runs ahead of the left's on a line (the template numbers the
    left side's lines 1 … n, the right side's n+1 … 2n): the one difference the lines printing
    both sides' labels show (None where they show none, or several)."""
    offsets = {pair[1] - pair[0] for pair in map(_ordinals_after_labels, lines) if len(pair) == 2}
    return offsets.pop() if len(offsets) == 1 else None


def _without_bare_ordinal(line: Line, words: list, offset: int | None) -> list:
    """*words* less a line's last word where it is the right side's 行次 printed with no label of its
    own ("一般公共预算财政拨款 29 17,023.22 61": the per-fund lines under 年初财政拨款结转和结余,
    whose right side is blank): read as a figure it would be the left item's second amount, or its
    only one (a blank left amount: "国有资本经营预算财政拨款 31 63")."""
    left = _ordinals_after_labels(line)
    if offset is None or len(left) != 1 or not words or not _ORDINAL.match(words[-1].text) \
            or words[-1] is not line.words[-1] or int(words[-1].text) != left[0] + offset:
        return words
    return words[:-1]


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
    # (its fund columns printed on the next page, a part of their own: .two_sided_beside)
    lines, beside = beside_part(lines)
    header = next((l for l in lines if is_header(l)), None)
    if header is None:
        builder.add_unread(title, (block.title, block.last), "two-sided table: its header (项目 … 项目) was not found")
        return set()
    entries: dict[int, dict | str] = {}     # the right-side entry read from each line (for `beside`)
    # (tab-separated text keeping its blank cells: a cell's index tells its side, as a PDF's x does,
    # and the page numbers between its pages are no lines of it -- .tab_cells)
    positional = keeps_blank_cells(lines[lines.index(header) + 1:])
    if positional:
        lines = without_untabbed_noise(doc, lines)
    line_numbers = line_number_columns(lines, header)
    middle = right_side_start(lines, header, line_numbers)
    fund_columns_at = find_fund_columns(lines, header, middle) if fund_columns else None
    if fund_columns_at is not None and header.boxes is not None:
        fund_columns_at = aligned_fund_columns(fund_columns_at, lines[lines.index(header) + 1:], middle, line_numbers)
    # a side whose header names a budget beside its 决算数 ("项目 | 年初预算数 | 决算数"): which of a
    # line's figures is the final one cannot be told from their count (a blank cell leaves none) --
    # each figure is placed under its header's column (the budget put beside the final figure,
    # ``budget.…``) in a PDF, or in text laid out in columns that every figure keeps; elsewhere its
    # lines with figures are listed, never the first figure taken
    # -- also in 财政拨款收入支出决算总表, printing 年初预算数 / 调整预算数 / 决算数 a side where the
    # national one prints its fund columns: its 决算数 are the table's figures (one column a side);
    # a budget kind the record has no place for in the table is listed (_NO_PLACE)
    budgeted = {"left" if w.x0 < middle else "right" for w in header.words if is_budget_heading(w.text)}
    places = _BUDGET_PLACES.get(prefix, ())
    columns: dict = {}
    laid_out: dict[int, Line] = {}   # text: each line in the coordinates its budget columns hold in
    if budgeted and header.boxes is not None:
        columns = budget_columns(header, middle, fund_columns_at)
    elif budgeted:
        columns, laid_out = _text_budget_columns(lines, header, line_numbers, budgeted, prefix)
    if fund_columns:
        # (a right side of one 决算数 column, no figure by fund type: its fund types are not 0 --
        # the rules comparing them run only where they are printed)
        builder.put(f"{prefix}.by_fund", any(name in word.text for name in FUND_NAMES
                                             for word in right_header(lines, header, middle)))
    # text: each line in the coordinates its part's fund columns were found in, with those columns
    text_columns = text_fund_columns(lines, line_numbers) \
        if fund_columns and "right" not in budgeted and header.boxes is None else {}
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
    offset = _ordinal_offset(lines) if header.boxes is None and not positional else None
    # single-spaced text (no fund column found): a fund line printing fewer figures than columns
    # waits for the table's identities (.fund_lines) -- (kind, code, figures, line, row or group)
    plain = fund_columns and header.boxes is None and not positional
    pending: list = []
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
        words = amount_words(line, line_numbers)
        if line.boxes is None and not positional:
            words = _without_bare_ordinal(line, words, offset)
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
        lnums, lbudgets = _final_and_budget(lnums, "left" in budgeted, columns.get("left"))
        if lnums is None:
            builder.add_unread(title, (line.number, line.number),
                               (_BUDGETED if "left" in budgeted else _UNSIDED) + line.original.strip())
            lnums = []
        rfinals, rbudgets = _final_and_budget(rnums, "right" in budgeted, columns.get("right"), fund_columns)
        lbudget, rbudget = (lbudgets.pop("budget", None), rbudgets.pop("budget", None)) if "budget" in places \
            else (None, None)
        if lbudgets or rbudgets:
            builder.add_unread(title, (line.number, line.number), _NO_PLACE + line.original.strip())
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
            finals = rfinals
            if finals is None:
                builder.add_unread(title, (line.number, line.number),
                                   (_BUDGETED if "right" in budgeted else _UNSIDED) + line.original.strip())
                side_right_pending = None
                # (a class whose figures were not given out: the side's classes are not kept, below)
                unplaced_classes += key is None
                continue
            values = [w.text for w in finals]
            if "right" in budgeted:
                rnums = finals          # (the fund columns' reading: the 决算数 alone, its 合计)
            budget = None if rbudget is None else amount_figure(rbudget.text, doc, line, title, block.unit)
            if key is not None:
                if fund_columns and key in ("expenditure_total", "closing_balance", "expenditure_grand_total"):
                    group = {"expenditure_total": "expenditure_total", "closing_balance": "closing",
                             "expenditure_grand_total": None}[key]
                    placed = fund_values(rnums, fund_columns_at)
                    side_right_pending = None
                    if placed is None and plain and fund_columns_at is None:
                        # (single-spaced text: placed by the table's identities, below)
                        pending.append((_KINDS[key], None, rnums, line, group))
                        continue
                    if placed is None:
                        builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
                        continue
                    _put_fund_line(builder, prefix, group, placed, line, (doc, title, block.unit))
                    entries[line.number] = group or "grand_total"
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
                placed = fund_values(rnums, fund_columns_at)
                if placed is None and plain and fund_columns_at is None and code:
                    # (single-spaced text: placed by the table's identities, below)
                    builder.append(f"{prefix}.expenditure", row)
                    pending.append(("class", code, rnums, line, row))
                    side_right_pending = None
                    continue
                if placed is None:
                    builder.add_unread(title, (line.number, line.number), _UNPLACED + line.original.strip())
                    unplaced_classes += 1
                    continue
                for column, text in zip(FUND_KEYS, placed):
                    if text is not None:
                        row[column] = amount_figure(text, doc, line, title, block.unit)
            elif values:
                row["amount"] = amount_figure(values[0], doc, line, title, block.unit)
            if budget is not None:
                row["budget"] = budget
            if code:
                builder.append(f"{prefix}.expenditure", row)
                entries[line.number] = row
                side_right_pending = None
            elif values or budget is not None:
                builder.add_unread(title, (line.number, line.number), _UNKNOWN + rlabel)
                unknown_sides.add("right")
                continue
            if values or budget is not None:
                read_lines.add(line.number)
    if beside:
        # (the fund columns printed beside: the table is by fund where they were read)
        joined = read_beside(builder, doc, (prefix, title, block.unit), lines, beside, entries if fund_columns else {})
        read_lines |= joined
        if joined:
            builder.get(prefix)["by_fund"] = True
    if pending:
        unplaced_classes += _place_pending(builder, prefix, pending, read_lines, (doc, title, block.unit))
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

