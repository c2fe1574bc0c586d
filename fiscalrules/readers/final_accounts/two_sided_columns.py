"""Where the figures of the two-sided 决算 总表s stand: the 行次 columns, where the right side
starts, the 财政拨款 table's four fund columns (合计 / 一般公共预算 / 政府性基金 / 国有资本经营) and the
budget columns a side prints beside its 决算数 -- each figure placed under a column by its right edge.
Reading the lines themselves (which label, which record path) is :mod:`.two_sided`'s.
"""

from __future__ import annotations

import math
import re

from ...document.model import Line, Word, char_columns
from .blocks import NUMBER

__all__ = ["BudgetColumns", "FUND_KEYS", "FUND_NAMES", "FundColumns", "SLACK", "amount_words", "budget_columns",
           "aligned_fund_columns", "column_by_right_edge", "find_fund_columns", "fund_values", "is_budget_heading", "is_header",
           "line_number_columns",
           "right_header", "right_side_start", "text_fund_columns"]

# The 决算 software's 行次 column: the line's ordinal (1, 2, … on the left, 31, 32, … on the right),
# printed between a label and its 决算数.  Never an amount.
_LINE_NUMBER_HEADERS = ("行次", "栏次")
_ORDINAL = re.compile(r"^\d{1,3}$")
_GLUED_ORDINAL = re.compile(r"(?<=\D)\d{1,3}$")


def line_number_columns(lines: list[Line], header: Line) -> list[tuple[float, float]] | None:
    """Where the header's 行次 columns stand (x0, x1 of each, widened by its own width: the ordinal
    is centred under it); None when the table prints no 行次 column."""
    top = lines.index(header)
    spans = [(w.x0 - (w.x1 - w.x0), w.x1 + (w.x1 - w.x0)) for line in lines[max(0, top - 2):top + 2]
             for w in line.words if w.text in _LINE_NUMBER_HEADERS]
    return spans or None


def amount_words(line: Line, line_numbers: list[tuple[float, float]] | None) -> list:
    """The line's words without its 行次 ordinals: in a PDF the integers standing under a 行次
    header; in extracted text (no positions) an integer printed right after a label."""
    if line_numbers is None:
        return list(line.words)
    if line.boxes is not None:
        def under_line_number(x: float) -> bool:
            return any(x0 <= x <= x1 for x0, x1 in line_numbers)
        return [_without_glued_ordinal(line, w, under_line_number) for w in line.words
                if not (_ORDINAL.match(w.text) and under_line_number((w.x0 + w.x1) / 2))]
    words, previous = [], None
    for word in line.words:
        if not (_ORDINAL.match(word.text) and previous is not None and not NUMBER.match(previous.text)):
            words.append(word)
        previous = word
    return words


def _without_glued_ordinal(line: Line, word: Word, under_line_number) -> Word:
    """*word* less the 行次 ordinal its last digits are: a label too wide for its cell, in a PDF that
    does not clip it (WPS), runs on up to the ordinal centred in the 行次 cell beside it and makes one
    word with it ("二、政府性基金预算财政拨款2") -- digits ending a word of text, standing under a 行次
    header the word starts left of."""
    glued = _GLUED_ORDINAL.search(word.text)
    if glued is None or NUMBER.match(word.text) or under_line_number(word.x0):
        return word
    box = line.box(word.start + glued.start(), word.end)
    if box is None or not under_line_number((box[0] + box[2]) / 2):
        return word
    return Word(word.text[:glued.start()], word.x0, box[0], word.start, word.start + glued.start())


def right_side_start(lines: list[Line], header: Line, line_numbers: list[tuple[float, float]] | None) -> float:
    """Where the right side of a two-sided table starts: the left edge of its labels, found as the
    leftmost label printed after an amount on the same line (the left side's amount stands
    right-aligned under its 决算数, the right side's label starts its own column).  Without such a
    line (a blank template), just after the left side's 决算数 header."""
    starts = []
    for line in lines:
        if line.compact.startswith(("注:", "说明:", "单位:")):
            continue
        seen_amount = False
        for word in sorted(amount_words(line, line_numbers), key=lambda w: w.x0):
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
FUND_KEYS = tuple(key for _, key in _FUND_HEADERS)
FUND_NAMES = tuple(word for word, key in _FUND_HEADERS if key != "total")
FundColumns = list[tuple[float, float]]        # x0, x1 of 合计, 一般公共预算, 政府性基金, 国有资本经营 (or NOT_PRINTED)


# 决算数 heading a group of columns (the fund types' under it), not one of them
_FINAL_GROUP = re.compile(r"^(?:本年)?决算数?$")
# A side's budget columns beside its 决算数, by their headings' words: 年初预算数 / 预算数, 调整预算数 /
# 全年预算数 (the full-year budget, beside a 年初预算数) -- never a piece of a fund type's heading wrapped
# in its cell ("一般公共预" / "算财政拨款", "国有资本" / "经营预算" / "财政拨款").
_BUDGET_HEADING = re.compile(r"^(?:(?:年初|调整后?|全年)?预算数|(?:年初|调整后?|全年)预算)$")
BudgetColumns = tuple[FundColumns, list[str]]   # headings' (x0, x1) in print order, each one's kind


def is_budget_heading(text: str) -> bool:
    return bool(_BUDGET_HEADING.match(text))


def budget_columns(header: Line, middle: float, funds: FundColumns | None = None) -> dict[str, BudgetColumns]:
    """Per side ("left", "right") whose header names one 决算数 and one or two budgets beside it:
    the headings' (x0, x1) in the order printed and each one's kind -- ``final``, ``budget`` (the
    one budget, or the 年初预算数 of two) and ``adjusted_budget`` (调整预算数 / 全年预算数 beside a
    年初预算数).  A side naming two budgets it does not tell apart, or several 决算数, has none:
    which figure is which is not told.  Figures are placed by their right edge
    (:func:`column_by_right_edge`).  *funds*: the right side's four fund columns
    (:func:`find_fund_columns`) where its 决算数 is printed by fund type -- "年初预算 | 调整预算 |
    决算数 (小计 | 一般公共预算 | 政府性基金 | 国有资本经营)", 决算数 a group title over them, on the
    header's line or above it: the four are the side's ``final`` columns."""
    columns = {}
    for side in ("left", "right"):
        words = [w for w in header.words if (w.x0 < middle) == (side == "left")]
        budgets = [w for w in words if is_budget_heading(w.text)]
        if side == "right" and funds is not None and 1 <= len(budgets) <= 2:
            finals = [Word("决算数", x0, x1, 0, 0) for x0, x1 in funds if (x0, x1) != NOT_PRINTED]
        else:
            finals = [w for w in words if "决算" in w.text]
            if len(finals) != 1:
                continue
        if not 1 <= len(budgets) <= 2:
            continue
        kinds = {id(final): "final" for final in finals}
        if len(budgets) == 1:
            kinds[id(budgets[0])] = "budget"
        else:
            adjusted = [w for w in budgets if "调整" in w.text or "全年" in w.text]
            if len(adjusted) != 1:
                continue
            kinds.update((id(w), "adjusted_budget" if w is adjusted[0] else "budget") for w in budgets)
        headings = sorted(finals + budgets, key=lambda w: w.x0)
        columns[side] = ([(w.x0, w.x1) for w in headings], [kinds[id(w)] for w in headings])
    return columns


def is_header(line: Line) -> bool:
    return line.compact.startswith("项目") and line.compact.count("项目") == 2


def text_fund_columns(lines: list[Line], line_numbers) -> dict[int, tuple[Line, FundColumns | None]]:
    """The fund columns of the table as extracted text, part by part (a part from a header line
    to the next: ``pdftotext -layout`` lays out each page on its own, and a page going on repeats
    the header): for each line number, the line in the coordinates its part's columns were found
    in -- display columns (a CJK character two, as on screen: text aligned by hand) or character
    offsets (``pdftotext -layout``: a CJK character one) -- and those columns.  A coordinate system
    is taken where it finds the four header cells and the figures under each end where the
    others do (right-aligned; in the wrong system each row's figures drift by the width of its
    names); when both are taken and place a figure differently the part has no columns (which is
    right would be a guess) and its lines are read as positionless text."""
    starts = [i for i, line in enumerate(lines) if is_header(line)]
    found: dict[int, tuple[Line, FundColumns | None]] = {}
    for at, start in enumerate(starts):
        first = 0 if at == 0 else _title_top(lines, start, starts[at - 1] + 1, line_numbers)
        part = lines[first:starts[at + 1] if at + 1 < len(starts) else len(lines)]
        header = start - first
        taken = []
        for form in (part, [char_columns(line) for line in part]):
            columns = find_fund_columns(form, form[header], right_side_start(form, form[header], line_numbers))
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
            NUMBER.match(word.text) for word in amount_words(lines[first - 1], line_numbers)):
        first -= 1
    return first


def _placements(body: list[Line], columns: FundColumns, line_numbers) -> list | None:
    """Each body line's figures right of the 合计 title's start, as :func:`fund_values` places
    them; None when a column's figures do not end where one another do (within SLACK: -layout
    places a figure's end to a character or two, and a few more where it shifts the rows of a
    page) -- the coordinates are not the ones the text is aligned in -- or a line's figures
    cannot be placed."""
    ends: dict[int, list[float]] = {}
    placed = []
    for line in body:
        numbers = [w for w in amount_words(line, line_numbers) if NUMBER.match(w.text) and w.x1 > columns[0][0]]
        values = fund_values(numbers, columns) if numbers else []
        if values is None:
            return None
        for word in numbers:
            ends.setdefault(column_by_right_edge(word, columns), []).append(word.x1)
        placed.append(values)
    if any(max(xs) - min(xs) > SLACK for xs in ends.values()):
        return None
    return placed


SLACK = 3   # characters


def right_header(lines: list[Line], header: Line, middle: float) -> list:
    """The header words right of the right side's 项目, above its first row."""
    return [word for words in _right_header_lines(lines, header, middle) for word in words]


def _right_header_lines(lines: list[Line], header: Line, middle: float) -> list[list[Word]]:
    """:func:`right_header`'s words, line by line."""
    top = lines.index(header)
    first_body = next((i for i in range(top + 1, len(lines))
                       if any(NUMBER.match(w.text) for w in lines[i].words) or "、" in lines[i].compact), len(lines))
    # (not the line stating the unit, "部门：… 金额单位：万元", whose words stand over the last
    # columns; nor 项目 / 收入 / 支出 with their letters spaced apart, "项 目", "支 出")
    return [[w for w in line.words if w.x0 >= middle and w.text not in _SIDE_WORDS]
            for line in lines[max(0, top - 3):first_body]
            if not (line.compact.startswith(("注:", "说明:")) or "单位:" in line.compact)]


def _within_cells(words: list[Word]) -> list[Word]:
    """One header line's titles, each kept to its own cell. A PDF that does not clip a cell's
    text (WPS) prints a title wider than its cell across its neighbours' ("一般公共预算财政拨款"
    running under "政府性基金预算财政拨款" and left of its cell, over the 合计 column's figures):
    where titles of one line overlap, each is cut at the midpoints between its centre and its
    neighbours' (titles are centred in their cells), so that it neither joins its neighbour
    (:func:`find_fund_columns` joins overlapping words as a title wrapped over lines) nor starts
    left of the figures of the column before it (:func:`column_by_right_edge`)."""
    words = sorted(words, key=lambda w: w.x0)
    if all(b.x0 >= a.x1 for a, b in zip(words, words[1:])):
        return words
    centres = [(w.x0 + w.x1) / 2 for w in words]
    cut = []
    for i, word in enumerate(words):
        # (half a point short of the midpoint: two cut titles do not touch, which would join them)
        x0 = max(word.x0, (centres[i - 1] + centres[i]) / 2 + 0.5) if i else word.x0
        x1 = min(word.x1, (centres[i] + centres[i + 1]) / 2 - 0.5) if i + 1 < len(words) else word.x1
        cut.append(Word(word.text, x0, x1, word.start, word.end))
    return cut


_SIDE_WORDS = ("项目", "收入", "支出", "项", "目", "收", "入", "支", "出")


def find_fund_columns(lines: list[Line], header: Line, middle: float) -> FundColumns | None:
    """The four figure columns of the right side, from the header cells above the first row: the
    header words right of the side's 项目, merged where they overlap (a cell's title wraps over two
    or three lines), each column named by its words.  None when the four are not all found."""
    # (not the headings standing beside the fund columns or over them -- 行次, a budget's, 决算数 as
    # the group title over the four -- which, overlapping two of them, joined them into one)
    words = [w for line in _right_header_lines(lines, header, middle) for w in _within_cells(
             [w for w in line if not (w.text in _LINE_NUMBER_HEADERS or is_budget_heading(w.text)
                                      or _FINAL_GROUP.match(w.text))])]
    spans: list[list] = []                      # [x0, x1, text]
    for word in sorted(words, key=lambda w: w.x0):
        if spans and word.x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], word.x1)
            spans[-1][2] += word.text
        else:
            spans.append([word.x0, word.x1, word.text])
    named = {}
    for x0, x1, text in spans:
        names = [key for word, key in _FUND_HEADERS if word in text or key == "total" and text == "小计"]
        if len(names) == 1 and names[0] not in named:
            named[names[0]] = (x0, x1)
    if "state_capital" not in named and _ends_with_gov_fund(named, spans):
        named["state_capital"] = NOT_PRINTED
    if len(named) != len(_FUND_HEADERS):
        return None
    return [named[key] for _, key in _FUND_HEADERS]


# A fund column the header does not print: no figure stands under it (its x0 is right of every figure).
NOT_PRINTED = (math.inf, math.inf)


def _ends_with_gov_fund(named: dict, spans: list[list]) -> bool:
    """Whether the header's columns are 合计 / 一般公共预算 / 政府性基金 and no more: the 财政拨款
    total table of the templates before the 国有资本经营预算 column (2018年度's) -- nothing printed
    right of the 政府性基金 column, so that no figure of a fourth column can be taken for its."""
    if not {"total", "general_budget", "gov_fund"} <= named.keys():
        return False
    last = named["gov_fund"][1]
    return not any(x0 > last for x0, _, _ in spans)


def fund_values(numbers, columns: FundColumns | None) -> list:
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
        index = _column_by_left_edge(word, columns) if isinstance(columns, LeftAligned) else \
            column_by_right_edge(word, columns)
        if index is None or texts[index] is not None:
            return None                          # left of every header, or two under one: not placed
        texts[index] = word.text
    return texts


def column_by_right_edge(word, columns: FundColumns) -> int | None:
    """The column a figure stands in: figures are right-aligned in their cells and header titles
    centred over them, so a title starts left of its figures' right edge and the next column's
    title right of it -- the last title starting left of the figure's right edge.  (The nearest
    title centre is wrong under uneven widths: a figure at the right of a wide 合计 cell stands
    nearer the centre of a narrow 一般公共预算 cell beside it.)  None left of every title."""
    return max((i for i, (x0, _) in enumerate(columns) if x0 < word.x1), default=None)



class LeftAligned(list):
    """Fund columns (:data:`FundColumns`) of a table whose figures start where their cells do
    instead of ending there (a PDF made with its cells left-aligned): each figure is placed by its
    left edge (:func:`aligned_fund_columns`)."""


def aligned_fund_columns(columns: FundColumns, body: list[Line], middle: float, line_numbers) -> FundColumns:
    """*columns* as :class:`LeftAligned` where the right side's figures of a PDF's *body* lines
    share their left edges, column by column, and not their right ones (more distinct right edges
    than left ones, and no more left edges than columns) -- placed by the right edge, a
    left-aligned figure short of its title's start stands under no column or the one before."""
    figures = [w for line in body if line.boxes is not None
               for w in amount_words(line, line_numbers) if w.x0 >= middle and NUMBER.match(w.text)]
    starts = {round(w.x0) for w in figures}
    ends = {round(w.x1) for w in figures}
    printed = sum(1 for column in columns if column != NOT_PRINTED)
    if len(starts) < len(ends) and len(starts) <= printed:
        return LeftAligned(columns)
    return columns


def _column_by_left_edge(word, columns: FundColumns) -> int | None:
    """The column a left-aligned figure stands in: it starts right of the previous title's end
    (titles are centred in their cells) and left of its own title's -- the first title ending
    right of the figure's start.  None right of every printed title."""
    return next((i for i, (_, x1) in enumerate(columns) if (_, x1) != NOT_PRINTED and x1 > word.x0), None)
