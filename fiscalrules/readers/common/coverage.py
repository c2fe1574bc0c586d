"""Coverage: how much of what a document prints in money the record holds (any template).

``measure(record, doc, table_lines, skip_lines)`` counts, line by line, the amounts the document
prints and the money figures the record read from that line, and returns ``_meta.coverage``::

    {"figures": {"read": N, "printed": M},
     "lines": {"with_amounts": T, "read": R, "unread": U, "silent": S},
     "table_lines": {"with_amounts": TT, "read": TR},
     "silent_lines": [line, ...]}

* printed amounts: in prose, a number with a money unit (万元, 元, 亿元, 千元, or 万 alone), found
  in the running text of the prose lines (a unit wrapped onto the next line still counts) and
  counted on the line it starts on, except thresholds ("单价 100 万元（含）以上"); on a
  line outside every table that prints no sentence and no such amount, each figure written as a
  table cell ("12,166,000.00", "612.00": a row of a table whose title or continuation was not
  recognised, never invisible); on
  a table line, every number cell except classification codes and counts (a number followed by
  个 / 人 / 次 / 辆 … in a text cell, "3 个乡镇"): the codes that start the row, and
  every code-shaped integer (3, 5 or 7 digits, or dotted: "220.01") standing in a *code column*
  -- where, in the same table, a code-shaped integer (or "220.01.01") stands before a name.  So
  the second panel of a two-panel table ("30101 基本工资 537.64 30201 办公费 84.62") and a code
  printed on a line of its own (its name wrapped above and below it) print no amount, nor do the
  codes of the rows a coded row's line holds after its own (a 类 code and its 款 / 项 pieces right
  before a later name: pypdfium2's text joins a table's rows), nor a code alone on its line
  before its name where a table is written a cell a line (``pdftotext`` without -layout: the
  run's other such codes share its 类); nor do the
  line numbers (1, 2, …) standing under a 行次 header (the 决算 software's two-sided 总表);
* read figures: money figures of the record (and their stated changes), counted at their source
  line, and on a table line its percentages and counts of people too (a 完成率 column's cells, a
  staff table's 编制 / 实有 cells); a figure whose phrase wraps onto the next line covers the amount
  printed there; a change of 0 covers only a 0 the line (or the next, where its phrase wrapped)
  prints: a change said in words ("与上年持平", "无变化") is no amount, and never covers one;
* a line is *read* when all its amounts are read, *unread* when the rest is listed in
  ``_meta.unread`` (its line range covers it), and *silent* otherwise: ``silent`` should be 0.

Counting is the reader's own check on itself, so it never looks at what a template means: only at
numbers, units, source lines and the unread list.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from ...document.model import Document, Word, char_columns
from .cells import CELL_NUMBER, CODE_PIECE, TOTAL_LABELS, counts_up, label_joined

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterable, Sequence

__all__ = ["measure", "MONEY_UNITS", "is_threshold", "is_zero", "record_figures"]

MONEY_UNITS = ("万元", "元", "亿元", "千元")
_MONEY_TAIL = r"(?=\s*(?:万元|亿元|千元|元|万(?![人个次户])))"
# (Each starts with its first digit, the look back after it: see amounts.NUMBER.)
_PROSE_AMOUNT = re.compile(r"\d(?<![\d.,]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?" + _MONEY_TAIL)
# A threshold ("单价 100 万元（含）以上设备", "单位价值 200 万元以上") is a criterion, not a figure reported
_THRESHOLD = re.compile(r"\s*(?:万元|亿元|千元|元|万)\s*(?:[（(]含[）)])?\s*(?:以上|以下)")


def is_threshold(text: str, end: int) -> bool:
    """Whether the number ending at *end* of *text* is a threshold ("100 万元（含）以上"), no figure."""
    return _THRESHOLD.match(text, end) is not None


_CODE = re.compile(r"^\d{1,7}$")
_CLASS_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# Codes printed with dots: "220.01.01" (two dots: never an amount) marks a code column, in which
# "220.01" is a code too (elsewhere it is an amount).
_DOTTED_ITEM = re.compile(r"^\d{3}[.．·]\d{2}[.．·]\d{2}$")
_DOTTED = re.compile(r"^\d{3}(?:[.．·]\d{2}){1,2}$")
_ORDINAL = re.compile(r"^\d{1,3}$")
_SILENT_SHOWN = 50
# Figures other than money that a table cell prints as a bare number, and a reader may read: a
# percentage (a 完成率 / 增减% column), a count of people (a staff table's 编制 / 实有 columns).
_TABLE_CELL_UNITS = ("%", "人")
# (not "项目支出", "个人…", "人员经费": a header or a name may follow a figure)
# (and a score: "平均得分 100.00 分", its 分 a word of its own where the sentence wrapped before it)
_COUNTED = re.compile(r"个(?!人)|人(?![员民])|次|辆|台|户|套|件|宗|处|亩|%|分(?![\u4e00-\u9fff])")
_YEAR_CELL = re.compile(r"^(?:19|20)\d\d$")

Extent = tuple[float, float]
CodeExtent = tuple[float, float, bool]     # x0, x1, and whether a dotted code ("220.01.01") stands there


def code_columns(doc: Document, numbers: Iterable[int]) -> list[CodeExtent]:
    """The horizontal extents of the code columns of one table (its lines *numbers*): where a
    code-shaped integer (or a two-dot code) stands right before a name.  Text input measures in
    display columns, a PDF in points: the extents are only compared with words of the same table."""
    found: list[CodeExtent] = []
    for number in numbers:
        words = doc.line(number).words
        for word, after in zip(words, words[1:]):
            dotted = _DOTTED_ITEM.match(word.text) is not None
            if (dotted or _CLASS_CODE.match(word.text)) and not CELL_NUMBER.match(after.text):
                found.append((word.x0, word.x1, dotted))
    found.sort()
    merged: list[list] = []
    for x0, x1, dotted in found:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
            merged[-1][2] = merged[-1][2] or dotted
        else:
            merged.append([x0, x1, dotted])
    return [(a, b, dotted) for a, b, dotted in merged]


def _in_code_column(word, columns: Sequence[CodeExtent]) -> bool:
    """A code standing in a code column; "220.01" only in a column of dotted codes (anywhere else
    it is an amount)."""
    if _CLASS_CODE.match(word.text):
        return any(word.x0 < b and word.x1 > a for a, b, _ in columns)
    return bool(_DOTTED.match(word.text)) \
        and any(word.x0 < b and word.x1 > a for a, b, dotted in columns if dotted)


def ordinal_columns(doc: Document, numbers: Iterable[int]) -> list[tuple[float, float, bool]]:
    """The horizontal extents of a table's 行次 columns (the 决算 software numbers its lines 1, 2, …
    in a column headed 行次): the header word, widened by its own width (the ordinal is centred) --
    in display columns, and in text also at character offsets (``pdftotext -layout`` stands the
    ordinals under 行次 there, a row's CJK label shifting them in display columns), each extent
    saying whether it is the latter."""
    out = []
    for number in numbers:
        line = doc.line(number)
        for words, by_chars in ((line.words, False), (char_columns(line).words if line.boxes is None else (), True)):
            out += [(w.x0 - (w.x1 - w.x0), w.x1 + (w.x1 - w.x0), by_chars) for w in words if w.text == "行次"]
    return out


def printed_amounts(doc: Document, number: int, table: bool, codes: Sequence[CodeExtent] = (),
                    ordinals: Sequence[tuple[float, float, bool]] = ()) -> int:
    """How many amounts line *number* prints (*codes*: the code columns of its table; *ordinals*:
    its 行次 columns, whose integers are line numbers)."""
    line = doc.line(number)
    if not table:
        return len(_PROSE_AMOUNT.findall(line.text))
    if ordinals and not _numbering([w.text for w in line.words]):
        at_chars = char_columns(line).words if line.boxes is None else line.words
        line_words = [w for w, c in zip(line.words, at_chars) if not (_ORDINAL.match(w.text) and any(
            a <= ((c if by_chars else w).x0 + (c if by_chars else w).x1) / 2 <= b for a, b, by_chars in ordinals))]
        if len(line_words) < len(line.words):
            return _cell_amounts(line_words, codes, line.text)
    return _cell_amounts(line.words, codes, line.text)


def _numbering(words: Sequence[str]) -> bool:
    """A table's column numbering alone on its line, "1 2 3 … 12" (the 三公 table's, no 栏次 before
    it): no amounts -- nor line numbers, though some stand under a 行次 column of a table above."""
    return counts_up(words, 3)


_GROUP_HEAD = re.compile(r"^[-−(]?\d{1,3}$")
_GROUP_TAIL = re.compile(r"^\d{3}(?:\.\d+)?\)?$")
# Whether a line may hold a space-grouped number at all: one scan of its text, so the lines without
# one (nearly all) are not taken word by word.
_SPACED_GROUP = re.compile(r"\d(?<![\d.,]\d)\d{0,2}[ \u00a0\u2009\u202f]\d{3}(?![\d,])")


def _joined_groups(line_words: Sequence, text: str) -> list:
    """The line's words with a number grouped by spaces ("1 036.40", "11 500 000") as one word: a
    group of three digits right after 1-3 digits, inside one cell -- closer than a digit's width
    in a PDF (cells stand further apart), or across one space in a tab-separated line."""
    out: list = []
    tabbed = "\t" in text
    for word in line_words:
        if out and _GROUP_TAIL.match(word.text) and _GROUP_HEAD.match(out[-1].text.rsplit(" ", 1)[-1]):
            before = out[-1]
            gap = text[before.end:word.start]
            width = (word.x1 - word.x0) / max(len(word.text), 1)
            if len(gap) == 1 and gap != "\t" and (tabbed or word.x0 - before.x1 < 0.75 * width):
                out[-1] = Word(f"{before.text} {word.text}", before.x0, word.x1, before.start, word.end)
                continue
        out.append(word)
    return out


def _inline_codes(texts: list[str]) -> set[int]:
    """The places of the codes of the rows a coded row's line holds after its own (pypdfium2's text
    joins a table's rows: "… 0 0 208 05 99 其他行政事业单位养老支出 4,160 …"): a 类 code and its
    款 / 项 pieces right before a later name are codes, not amounts."""
    if not texts or not _CLASS_CODE.fullmatch(texts[0]):
        return set()
    cell = [CELL_NUMBER.match(t) is not None for t in texts]
    first_name = next((i for i, is_cell in enumerate(cell) if not is_cell), len(texts))
    found: set[int] = set()
    for i in range(first_name + 1, len(texts)):
        if cell[i] or not cell[i - 1] or texts[i] in TOTAL_LABELS:
            continue   # (a 合计 row prints no code: the number before it is the row before's amount)
        j = i
        while j > first_name + 1 and i - j < 2 and CODE_PIECE.fullmatch(texts[j - 1]):
            j -= 1
        if j > first_name + 1 and _CLASS_CODE.fullmatch(texts[j - 1]):
            found.update(range(j - 1, i))
    return found


def _cell_amounts(line_words: Sequence, codes: Sequence[CodeExtent], text: str = "") -> int:
    if text and _SPACED_GROUP.search(text):
        line_words = _joined_groups(line_words, text)
    inline = _inline_codes([w.text for w in line_words])
    words = [w.text for i, w in enumerate(line_words) if i not in inline and not (codes and _in_code_column(w, codes))]
    if len(words) >= 3 and _CLASS_CODE.match(words[-1]) and "." in words[-2] and CELL_NUMBER.match(words[-2]) \
            and _CLASS_CODE.match(line_words[0].text) and not CELL_NUMBER.match(words[-3]):
        # a code right after a panel item's one amount, ending the line: the next panel's item, its
        # name and amount pushed onto the next line ("30109 职业年金缴费 225.12 30207", pdftotext
        # -layout); after two figures of a row ("行政运行 612.00 612.00 300") it is an amount
        words = words[:-1]
    if any(w in ("**", "栏次") or w.startswith("*") for w in label_joined(words)) or _numbering(words):
        return 0            # the column-numbering row under a table's header ("** ** 1 2 3", "1 2 … 12")
    cell = CELL_NUMBER.match
    cells = [cell(w) is not None for w in words]     # each word matched once, not three times
    # A number counting things ("3 个乡镇", "2 辆", "15 人") in a text cell is no amount, nor a year
    # before its 年 (a title a table ran into: "…局 2025 年部门预算情况说明").
    for i, word in enumerate(words[1:], 1):
        if cells[i - 1] and (_COUNTED.match(word) or word.startswith("年") and _YEAR_CELL.match(words[i - 1])):
            cells[i - 1] = False
    # The classification codes that start a row (类 款 项, "301 2" with a lost zero) before its
    # name are not amounts; a row of figures only has none.
    name = next((i for i, is_cell in enumerate(cells) if not is_cell), None)
    if name is None:        # no name printed on the line (a wrapped name): codes end at a figure
        name = next((i for i, w in enumerate(words) if not _CODE.match(w)), 0)
    start = name if all(_CODE.match(w) for w in words[:name]) else 0
    rest = [w for w, is_cell in zip(words, cells) if not is_cell]
    return sum(cells[start:]) + (len(_PROSE_AMOUNT.findall(" ".join(rest))) if rest else 0)


# a line ending a sentence: no phrase wraps past it
_SENTENCE_END = re.compile(r"[。;；!！?？]\s*$")


def _next_line(doc: Document, number: int, noise) -> int:
    """The number of the first line after *number* that is neither blank nor noise (0: none)."""
    for following in range(number + 1, len(doc.lines) + 1):
        line = doc.line(following)
        if not line.blank and following not in noise:
            return following
    return 0


_ZERO = re.compile(r"[-+−]?[0,]*(?:\.0*)?")


def is_zero(text) -> bool:
    """Whether a figure's text ("0", "0.00", "-0", "0,000.00") is zero."""
    text = str(text)
    return _ZERO.fullmatch(text.strip()) is not None and "0" in text


def nonzero(value: str | None) -> bool:
    """Whether a figure's value is printed and is no zero (:func:`is_zero`'s test, one for all)."""
    return value is not None and not is_zero(value)


def _zero_cells(line) -> int:
    """How many of a table line's cells print 0 ("0.00")."""
    return sum(1 for w in line.words if CELL_NUMBER.match(w.text) and is_zero(w.text))


def record_figures(node: Any) -> Iterable[dict]:
    """Every figure mapping (a ``value`` with a ``source``) of a record or part of one -- and the
    other printing a figure printed in two units still carries while the reader builds the record
    (``common.twin_figures``)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "value" in item and isinstance(item.get("source"), dict):
                yield item
                if isinstance(item.get("twin"), dict):
                    stack.append(item["twin"])
            else:
                stack.extend(v for k, v in item.items() if k != "_meta")


def measure(record: dict, doc: Document, table_lines: set[int], skip_lines: set[int],
            figures: Iterable[dict] | None = None, restated: Iterable[dict] = ()) -> dict:
    """``_meta.coverage`` of *record* (see the module's docstring); *figures*: the record's figure
    mappings, where the reader has them at hand (else the record is walked for them); *restated*:
    figures printed again with the value the record holds (``RecordBuilder.restated``), read too."""
    read: Counter[int] = Counter()
    zero_changes: Counter[int] = Counter()
    zero_values: Counter[int] = Counter()     # figures of 0, which take a printed 0 first
    rates: Counter[int] = Counter()     # percentages read from a table cell (a 完成率 column)
    counted: set[int] = set()
    for fig in chain(record_figures(record) if figures is None else figures, restated):
        if not isinstance(fig.get("source"), dict) or id(fig) in counted:
            continue            # (one printed figure a reader keeps at two paths counts once)
        counted.add(id(fig))
        line = fig["source"].get("value_line", fig["source"].get("line"))
        if not isinstance(line, int):
            continue
        if fig.get("unit") in MONEY_UNITS:
            read[line] += 1
            if is_zero(fig["value"]):
                zero_values[line] += 1
            change = fig.get("change")
            # (a change read from another sentence is counted where it is printed)
            at = fig["source"].get("change_line", line)
            if change is not None and is_zero(change):
                # a change of 0 may be said in words ("与上年持平", "无变化"): it covers a printed 0
                # only, never another amount of the line (which would go silent unseen)
                zero_changes[at] += 1
            elif change is not None:
                read[at] += 1
        elif fig.get("unit") in _TABLE_CELL_UNITS:
            rates[line] += 1
    unread_lines: set[int] = set()
    for entry in record.get("_meta", {}).get("unread", []):
        lines = entry.get("lines") or [0, 0]
        unread_lines.update(range(int(lines[0]), int(lines[1]) + 1))
    printed_total = read_total = 0
    with_amounts = read_lines = listed = table_with = table_read = 0
    silent: list[int] = []
    carry = 0               # figures of a phrase that began on the line before
    borrowed: Counter[int] = Counter()  # a line's printed 0s a zero change of the line before took
    columns: dict[int, tuple] = {}
    lone_codes: set[int] = set()
    for run, codes, ordinals in _table_runs(doc, table_lines, skip_lines):
        columns.update((number, (codes, ordinals)) for number in run)
        lone_codes |= _lone_codes(doc, run)
    prose, prose_zeros = _prose_amounts(doc, table_lines, skip_lines)
    noise = doc.noise_numbers
    for line in doc.lines:
        number = line.number
        if number in skip_lines or line.blank or number in noise:   # (doc.is_noise(number))
            continue                # a blank line or page number between wrapped lines
        if number in lone_codes:
            printed = 0
        elif number in table_lines:
            printed = printed_amounts(doc, number, True, *columns.get(number, ((), ())))
        else:
            printed = prose.get(number, 0) or stray_cells(line, doc)
        # (a table cell's percentage is one of the numbers the line prints; prose counts amounts only)
        own = read.get(number, 0) + (rates.get(number, 0) if number in table_lines else 0)
        if zero_changes.get(number):
            # the zeros the line prints ("增加（减少）0 万元"), or the next line does (the phrase wrapped)
            following = 0 if _SENTENCE_END.search(line.text) else _next_line(doc, number, noise)
            if number in table_lines:
                own += min(zero_changes[number], max(0, _zero_cells(line) - zero_values.get(number, 0)))
            else:
                # (a 0 of the next line taken here is not there for that line's own zero change)
                mine = max(0, prose_zeros.get(number, 0) - zero_values.get(number, 0) - borrowed.pop(number, 0))
                theirs = max(0, prose_zeros.get(following, 0) - zero_values.get(following, 0)) if following else 0
                taken = min(zero_changes[number], mine + theirs)
                if taken > mine:
                    borrowed[following] += taken - mine
                own += taken
        used = min(printed, own + carry)
        # what this line's figures leave over goes to the next line printing an amount (a phrase
        # wrapped there: its amount printed on it) and no further: the wrapped amount comes first
        # on that line, and a figure counted twice never covers an amount printed lines later
        carry = 0 if number in table_lines or _SENTENCE_END.search(line.text) else \
            max(0, own - max(0, printed - carry)) + (carry if not printed else 0)
        if not printed:
            continue
        printed_total += printed
        read_total += used
        with_amounts += 1
        if number in table_lines:
            table_with += 1
            table_read += used == printed
        if used == printed:
            read_lines += 1
        elif number in unread_lines:
            listed += 1
        else:
            silent.append(number)
    return {"figures": {"read": read_total, "printed": printed_total},
            "lines": {"with_amounts": with_amounts, "read": read_lines, "unread": listed,
                      "silent": len(silent)},
            "table_lines": {"with_amounts": table_with, "read": table_read},
            "silent_lines": silent[:_SILENT_SHOWN]}


# A figure as a table cell prints it ("12,166,000.00", "612.00"): two decimals or thousands separators
_STRAY_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})$")
# (normalised text: "，" is ","; a comma before three digits separates thousands; "四、" enumerates)
# an integer as a 元 table prints it: four digits or more, no year (1900-2099)
# (and no leading 0: "0798 8561234" is a telephone number, "01234567" part of an identifier)
_STRAY_INTEGER = re.compile(r"^-?(?!(?:19|20)\d\d$)[1-9]\d{3,}$")
_SENTENCE = re.compile(r"[。；！？;!?]|(?<![一二三四五六七八九十\d])、|,(?!\d{3})|:")


def stray_cells(line, doc: Document | None = None) -> int:
    """Figures printed as table cells on a line outside every table the reader found (no sentence
    on it, no amount with its unit: a row of a table whose title or continuation was not recognised).  Counted, so that such
    a row is never invisible: read or listed, else silent.  With *doc*, integers under a header
    naming counts of people (编制数(名), 实有人数(人): a unit table's headcounts) are no amounts."""
    if _SENTENCE.search(line.text) or not line.words:
        return 0
    words = line.words
    integers = 0
    # (a line of codes only has no integers after them: "2070101 2070102 2070103" is no row)
    for word in reversed(words[next((i for i, w in enumerate(words) if not _CLASS_CODE.match(w.text)), len(words)):]):
        if not _STRAY_INTEGER.match(word.text):
            break
        integers += 1
    if integers >= 2 and not (doc is not None and _people_counted(doc, line, integers)):
        # a row of a table in 元 printing integers ("2070101 行政运行 6120000 6120000"): two or more
        # integers end the line (the codes that start it aside; a year, a count or one number is none)
        return integers
    count = 0
    for i, word in enumerate(words):
        if _STRAY_CELL.match(word.text) and not (i + 1 < len(words) and _COUNTED.match(words[i + 1].text)) \
                and not (i + 1 < len(words) and words[i + 1].text.startswith(MONEY_UNITS + ("万",))):
            count += 1
    return count


# A header cell over counts of people: "编制数(名)", "年末实有在职人数(人)", "离退休人员（人）"
_PEOPLE_HEADER = re.compile(r"人数|编制|在职|退休|离休|[(（](?:人|名)[)）]$")


def _people_counted(doc: Document, line, last: int) -> bool:
    """Whether the *last* words of *line* (a row of cells) stand under header cells naming counts
    of people: the header is the nearest line above printing no figure at its end, over the rows
    between (a blank line or twenty rows end the search: no header).  Cells are matched by their
    index where the lines are tab cells, by overlap where they have positions; plain text says
    nothing (False)."""
    header = None
    for number in range(line.number - 1, max(0, line.number - 21), -1):
        above = doc.line(number)
        if above.blank or not above.words:
            if doc.is_noise(number) or above.blank and line.boxes is not None:
                continue
            return False
        if not CELL_NUMBER.match(above.words[-1].text) and len(above.words) >= 2:
            header = above
            break
    if header is None:
        return False
    if "\t" in line.text and "\t" in header.text:
        cells, heads = line.text.split("\t"), header.text.split("\t")
        filled = [i for i, cell in enumerate(cells) if cell.strip()][-last:]
        return len(heads) == len(cells) and all(_PEOPLE_HEADER.search(heads[i]) for i in filled)
    if line.boxes is None:
        return False
    return all(any(_PEOPLE_HEADER.search(h.text) for h in header.words if h.x0 < w.x1 and w.x0 < h.x1)
               for w in line.words[-last:])


def _table_runs(doc: Document, table_lines: set[int], skip_lines: set[int]):
    """Each run of table lines (one table, or tables printed back to back, across page breaks)
    with its code columns and its 行次 columns."""
    run: list[int] = []
    for number in sorted(table_lines):
        if run and number > run[-1] + 1 and any(n not in table_lines and not doc.is_noise(n) and n not in skip_lines
                                                for n in range(run[-1] + 1, number)):
            yield run, code_columns(doc, run), ordinal_columns(doc, run)
            run = []
        run.append(number)
    if run:
        yield run, code_columns(doc, run), ordinal_columns(doc, run)


def _lone_codes(doc: Document, run: list[int]) -> set[int]:
    """The lines of a table run that print a classification code alone, as ``pdftotext`` without
    -layout writes a table (a cell a line: "2080501" / "行政单位离退休" / "54.53"), where no code
    column can be seen: a code-shaped integer alone on its line, the next line a name (no figure,
    no digit first) or the line before or after the next code of a column of them ("30201" /
    "30202" / …: the code column printed whole before the names), and another such line of the
    run in the same 类 (its first three digits; a 类 code alone may have been taken for a page
    number) -- a 类 prints its 款 and 项 under it; an amount alone before a name ("85000" before
    the next row's name) shares its first digits with no code of the table but by chance."""
    noise = doc.noise_numbers

    def lone_code(number: int) -> str | None:
        words = doc.line(number).words
        return words[0].text if len(words) == 1 and _CLASS_CODE.match(words[0].text) else None

    def follows(first: str | None, second: str | None) -> bool:
        return first is not None and second is not None and len(first) == len(second) \
            and first[:3] == second[:3] and int(first) < int(second)

    content = [n for n in run if not doc.line(n).blank and n not in noise]
    codes = [lone_code(n) for n in content]
    candidates: list[tuple[int, str]] = []
    for index, (number, code) in enumerate(zip(content, codes)):
        if code is None:
            continue
        after = doc.line(content[index + 1]).words if index + 1 < len(content) else []
        named = bool(after) and not after[0].text[0].isdigit() and not any(CELL_NUMBER.match(w.text) for w in after)
        in_column = (index > 0 and follows(codes[index - 1], code)) or \
            (index + 1 < len(codes) and follows(code, codes[index + 1]))
        if named or in_column:
            candidates.append((number, code))
    classes = Counter(code[:3] for _, code in candidates)
    classes.update(code for code in map(lone_code, (n for n in run if n in noise)) if code and len(code) == 3)
    return {number for number, code in candidates if classes[code[:3]] > 1}


def _prose_amounts(doc: Document, table_lines: set[int], skip_lines: set[int]) -> tuple[Counter[int], Counter[int]]:
    """Amounts printed in prose, per line, and how many of them are 0: found in the running text
    of the prose lines, so an amount whose unit (or whose last digits) wrapped onto the next line
    counts once, on the line it starts on -- the line a reader gives as its source."""
    counts: Counter[int] = Counter()
    zeros: Counter[int] = Counter()
    text: list[str] = []
    origin: list[int] = []

    def flush() -> None:
        joined = "".join(text)
        for found in _PROSE_AMOUNT.finditer(joined):
            if not _THRESHOLD.match(joined, found.end()):
                counts[origin[found.start()]] += 1
                if is_zero(found.group()):
                    zeros[origin[found.start()]] += 1
        text.clear()
        origin.clear()

    noise = doc.noise_numbers
    for line in doc.lines:
        number = line.number
        if number in skip_lines or number in table_lines:
            flush()
            continue
        if line.blank or number in noise:   # (doc.is_noise(number))
            continue
        piece = line.text.strip()
        text.append(piece)
        origin.extend([number] * len(piece))
    flush()
    return counts, zeros
