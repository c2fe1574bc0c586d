"""Where the nine standard 决算 tables are, and what their readers share.

Each table runs from its title line (the national wording, :data:`TABLES`) to its note
("注：本表反映…") or the next title: :func:`find_tables`.  The readers of the table kinds
(:mod:`.two_sided`, :mod:`.coded`, :mod:`.tables`) share the figure pattern, the code at the start of
a coded line, and the making of a figure with its source line.
"""

from __future__ import annotations

import re

from ...data.classification import classification
from ...document.model import Document, Line
from ..common.cells import label_joined
from ..common.record import figure, source

__all__ = ["TABLES", "REQUIRED_FROM", "TableBlock", "find_tables", "NUMBER", "CODE_START", "line_source", "amount_figure", "numbering_line",
           "complete_name", "unquoted", "titled_as", "title_key"]

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
# The tables the national template asks for only from a 决算 year on (an earlier 决算 printed without
# one is not told of it, QUA-010): 2018年度's public tables were eight, without the 国有资本经营预算
# table, which came in one of the templates for 2019 to 2021年度 -- the year is not confirmed, so a
# 决算 of those years is not held to it either (a lost warning there, never a false one).
REQUIRED_FROM = {"state_capital": 2022}
# Other names of a table: the national template's other editions, and regions' shorter forms
# (收支 for 收入支出; the fund's name without 财政拨款; the 三公 table without its fund, or with
# 财政拨款 after 三公经费: "“三公”经费财政拨款支出决算表", as its 情况说明 is headed) -- each
# table's content and columns the same.
_ALIASES = {
    "summary": ("收支决算总表",),
    "appropriation_summary": ("财政拨款收支决算总表",),
    "general_budget": ("一般公共预算支出决算表",),
    "general_budget_basic": ("一般公共预算基本支出决算表",),
    "three_public": ("一般公共预算财政拨款“三公”经费支出决算表", "一般公共预算“三公”经费支出决算表", "“三公”经费支出决算表",
                     "“三公”经费财政拨款支出决算表"),
    "gov_fund": ("政府性基金预算财政拨款支出决算表", "政府性基金预算支出决算表", "政府性基金预算收入支出决算表"),
    "state_capital": ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算支出决算表", "国有资本经营预算收入支出决算表"),
}
# Quote marks: titles print 三公 as “三公”, "三公", ‘三公’ or bare -- names are matched without them.
_QUOTES = str.maketrans("", "", "\"“”‘’")
_ENDINGS = sorted([(title.translate(_QUOTES), key) for key, title in TABLES.items()]
                  + [(alias.translate(_QUOTES), key) for key, aliases in _ALIASES.items() for alias in aliases],
                  key=lambda e: -len(e[0]))
# What may stand before a table's name on its title line: its number ("表3", "附表1-3", "一、",
# "（三）"), the department's name (words ending as a department's do), the year ("2024年度").
_PREFIX = re.compile(
    r"^(?:(?:附)?表[\d一二三四五六七八九十]+(?:[-—–.]\d+)?[:、.]?|[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、])?"
    r"(?:[\u4e00-\u9fff“”()]{2,40}?(?:局|委员会|委|部|办公室|办|院|中心|所|站|队|会|政府|街道|办事处|镇|乡|处|室|馆|校|社|厅|署)"
    r"(?:本级)?)?(?:\d{4}年度?)?(?:部门|单位)?$")
# A qualifier after the name: "（按功能分类科目）", "（按经济分类科目）".
_QUALIFIER = re.compile(r"\([^()]{1,20}\)$")
# A title-like line the reader does not know: short, no sentence in it, ending as a 决算 table's name.
_OTHER_TITLE = re.compile(r"^[^,;。:]{2,50}决算(?:总|明细)?表$")
NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# A classification code starting a row (类 款 项 apart or joined); never a figure's digits: "446.11"
# starting a line of figures only (a wrapped row's amounts) is no code 446.
# (a code in brackets before its name, "[2070101]行政运行", as the budget systems export it, too)
CODE_START = re.compile(r"^[\[【]?(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?(?:[\]】]|(?![\d.,]))")


class TableBlock:
    """A printed table: its key, title line, the lines up to its note (inclusive), and the unit
    its figures are printed in; ``after``: the lines of figures only between its note (and the
    page's number) and what follows -- cells of its last rows a text extraction wrote out of their
    rows' flow (pdftotext without -layout), which a reader may place only where its sums confirm."""

    def __init__(self, key: str | None, title: int, last: int, unit: str = "万元"):
        self.key, self.title, self.last, self.unit = key, title, last, unit
        self.after: list[int] = []


def unquoted(text: str) -> str:
    """*text* without its quote marks (:data:`_QUOTES`): for matching the template's names."""
    return text.translate(_QUOTES)


# "…支出决算明细表": a region's name for the national table of the same content ("一般公共预算财政拨款
# 支出决算明细表" is the 一般公共预算财政拨款支出决算表)
_DETAILED = re.compile(r"决算明细表$")


# The table's number printed after its name on the title line ("收入决算表      公开02表", the 决算
# software's label at the page's right; "…决算总表  表1" elsewhere): not part of the name.
_NUMBER_AFTER = re.compile(r"(?<=表)(?:(?:部门|单位)?公开\d{1,2}(?:[-—–]\d{1,2})?表|附?表[\d一二三四五六七八九十]{1,3}(?:[-—–.]\d{1,2})?)$")


def _title_text(compact: str) -> str:
    return _DETAILED.sub("决算表", _QUALIFIER.sub("", _NUMBER_AFTER.sub("", compact.translate(_QUOTES))))


def title_key(compact: str) -> str | None:
    """The table a title line names: one of the national names (:data:`TABLES`, :data:`_ALIASES`)
    after its number, department and year, before a qualifier in brackets."""
    text = _title_text(compact)
    for title, key in _ENDINGS:
        if text.endswith(title):
            prefix = text[:len(text) - len(title)]
            return key if len(prefix) <= 4 or _PREFIX.match(prefix) else None
    return None


def titled_as(compact: str, ending: re.Pattern[str]) -> bool:
    """Whether a line is a table's title ending as *ending* (a pattern anchored at the end): the name
    after its number, department or year as the nine's titles print them (:data:`_PREFIX`), before
    its number ("公开11表") or a qualifier in brackets -- a line of its own, no sentence naming it."""
    text = _title_text(compact)
    found = ending.search(text)
    if found is None:
        return False
    prefix = text[:found.start()]
    return len(prefix) <= 4 and not re.search(r"[,;。:见]", prefix) or _PREFIX.match(prefix) is not None


def _other_title(compact: str) -> bool:
    """A line titled as a 决算 table the reader does not know ("…项目支出决算表"): not a part's
    heading ("第二部分 …部门决算表") nor the page's running title ("…2024年度部门决算表")."""
    text = _title_text(compact)
    return bool(_OTHER_TITLE.match(text)) and not re.match(r"^第[一二三四五六七八九十]+部分", text) \
        and not re.search(r"(?:部门|单位)决算(?:总)?表$", text)


def find_tables(doc: Document, skip: set[int]) -> list[TableBlock]:
    """Every standard table printed (not the table of contents), title to note; a table under a
    title not recognised has the key None (its lines are listed unread, never dropped)."""
    # (a title printed again over a continued table's next page, "…支出决算表（续表）", is page
    # furniture, no new table: the table goes on under it, downwards or beside)
    noise = doc.noise_numbers
    starts = [(line.number, key) for line in doc.lines
              if line.number not in skip and line.number not in noise
              and ((key := title_key(line.compact)) or _other_title(line.compact))]
    listed = _listed_titles(doc, [number for number, _ in starts])
    starts = [(number, key) for number, key in starts if number not in listed]
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
        if key is not None or any(NUMBER.match(w.text) and "." in w.text
                                  for n in range(number + 1, last + 1) for w in doc.line(n).words):
            blocks.append(TableBlock(key, number, last))
            blocks[-1].after = _cells_after(doc, last, end)
    return blocks


def _cells_after(doc: Document, last: int, end: int) -> list[int]:
    """The lines after a table's note, up to *end* (the next title), holding only figures: the
    lines of them past blank lines and the page's number (its furniture), up to anything else (a
    paragraph's figures are the narrative's)."""
    found: list[int] = []
    for n in range(last + 1, end + 1):
        line = doc.line(n)
        if line.blank or doc.is_noise(n):
            continue
        words = [w.text for w in line.words]
        if not words or not all(NUMBER.match(w) and "." in w for w in words):
            break
        found.append(n)
    return found


def _listed_titles(doc: Document, starts: list[int]) -> set[int]:
    """The title lines that list the tables rather than head them: three or more standing one
    under another with nothing between them (第二部分's heading over the nine titles, a contents
    list on a page of its own that :func:`~fiscalrules.document.layout.find_toc` does not tell
    apart) -- a printed table, even an empty one, prints its header or a note under its title.
    Taken for tables, each was one printing nothing: ``empty`` kept over the real table's."""
    def nothing_between(first: int, second: int) -> bool:
        return all(doc.line(n).blank or doc.is_noise(n) for n in range(first + 1, second))
    listed: set[int] = set()
    run = starts[:1]
    for number in [*starts[1:], None]:
        if number is not None and nothing_between(run[-1], number):
            run.append(number)
            continue
        if len(run) >= 3:
            listed.update(run)
        run = [number]
    return listed


def numbering_line(line: Line) -> bool:
    """The "栏次 1 2 3" line under a table's header (the 决算 software's column numbers; "栏次 1 栏次
    2 3 4 5" across a two-sided table): no row, and no header cell -- its numbers stand centred
    under the header words, not where the figures end, so taken for a header they part a title
    from its figures, and taken for a row they are figures that end nowhere the others do."""
    words = label_joined([w.text for w in line.words])
    if bool(words) and words[0] == "栏次" and all(w == "栏次" or w.isdigit() and len(w) <= 2 for w in words[1:]):
        return True
    # (without its label: the numbers going on one by one, three or more -- a table's further
    # columns printed on the next page number theirs on from the first part's, "3 4 5 6")
    return len(words) >= 3 and all(w.isdigit() and len(w) <= 2 for w in words) \
        and all(int(b) == int(a) + 1 for a, b in zip(words, words[1:]))



def line_source(doc: Document, line: Line, section: str, start: int = 0, end: int | None = None) -> dict:
    return source(doc.name, section, line.number, line.original.strip(),
                  page=line.page if line.boxes is not None else None, box=line.box(start, end))


def amount_figure(text: str, doc: Document, line: Line, section: str, unit: str = "万元") -> dict:
    value = text.replace(",", "")
    return figure(value, unit, printed=text if value != text else None, src=line_source(doc, line, section))



def complete_name(code: str, name: str, scheme: str) -> bool:
    """Whether *name* is the whole printed name: a part of the standard name is the piece of a
    name the table wrapped onto another line, not a name of its own."""
    standard = classification(scheme).name(code)
    return not (standard and name != standard and (name in standard or name.startswith(standard)))

