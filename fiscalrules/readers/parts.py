"""Where each disclosure of a file begins, when one file holds several.

A county's 部门预算公开汇编 prints every department's budget one after another, a department's
file may carry its units' budgets after its own, and users concatenate documents. Read as one,
such a file mixes the disclosures' figures (a second 收支总表 "a duplicate", a unit's 三公 total
against the department's table). :func:`disclosure_spans` finds the lines each disclosure holds,
by what the national template prints at the start of every disclosure -- never by one document's
layout:

* a disclosure opens with its table of contents (目录) or, without one, with its first part
  (第一部分 …) or, printing neither (a unit's after its department's), with its title on a line
  of its own ("…2025年单位预算"); each begins a *new* disclosure only after the current one has
  printed figures (a table of contents followed by the body's 第一部分 is one disclosure);
* the template's first part is always the overview (概况: 主要职能 / 职责, 机构设置), so the
  opening or one of the two lines after it must name it -- a second list of tables, a 目录 of an
  annex, a 汇编's list of the disclosures it collects, starts nothing;
* the cover before the opening (the department's name, "2025年部门预算", "预算主管部门：…") goes
  with the disclosure it names: of the lines before the opening that print no figure, end no
  sentence and are no numbered heading, from the line naming a 部门/单位 预算/决算, with the lines
  just before it that name a place or a body (省/市/区/县 …, 局/委/部/办 …: "青山县林业局" /
  "2025年部门预算") -- and in a paged document the whole of a cover page that prints nothing else;
* a file that opens with a contents list naming no overview (a 汇编's list of the disclosures it
  collects), followed before any figure by a disclosure's own opening, has front matter that
  belongs to no disclosure (it prints no figure);
* each disclosure prints figures of its own (:data:`MIN_FIGURE_LINES` lines or more): a short
  tail is the last disclosure's, not another one.

A file with one disclosure -- nearly every file -- is one span, all its lines.
"""

from __future__ import annotations

import re

from ..document.layout import heading_of
from ..document.model import Document, Line

__all__ = ["disclosure_spans", "in_the_file", "move_printed", "Shift", "MIN_FIGURE_LINES", "MAX_DISCLOSURES"]

# The most disclosures one file is read as: a province's 汇编 collects a few hundred; a file
# cut into thousands of "disclosures" of ten figures each is no document, and each costs a read.
MAX_DISCLOSURES = 500
# Lines printing a figure a disclosure of the template is never without: a real one prints
# hundreds; a cover, a table of contents or a glossary none.
MIN_FIGURE_LINES = 10
# An amount with its decimals, or with its unit ("1,234.56", "329.94万元", "12万元"): page numbers,
# years, codes and counts are none.
_FIGURE = re.compile(r"\d\.\d{1,2}(?!\d)|\d\s*(?:万元|亿元|元)")
_OPENING_PART = re.compile(r"^第[一1]部分")
# The first part of the template, the overview, as its heading or the contents' entry names it.
_OVERVIEW = re.compile(r"概况|职能|职责")
_TITLE = re.compile(r"(?:部门|单位)(?:预算|决算)")
# A title on a line of its own: the kind ends it ("青山县林业局2025年部门预算", "…年度单位决算").
_TITLE_LINE = re.compile(r"(?:部门|单位)(?:预算|决算)(?:公开)?$")
# The lines of an opening that name the overview: the 目录 and its first entries ("一、部门主要职能",
# "第一部分 XX局概况"), or 第一部分 and the line or two after it ("第一部分" / "XX局概况" / "一、主要职责").
_OVERVIEW_WITHIN = 3
_COVER_LINES = 8
# What a department's name holds: a place (省/市/区/县 …) or a body (局/委/部/办 …).
_NAMES_BODY = re.compile(r"[省市区县州盟旗镇乡村]|街道|[局委部办厅院会署处室站所队馆团社]|中心|政府")


def disclosure_spans(doc: Document) -> list[tuple[int, int]]:
    """(first line, last line) of each disclosure *doc* holds, in order; one span for a file
    holding one (see the module's docstring)."""
    content = doc.content_lines()
    starts = [1]
    figures = 0          # lines with figures since the current disclosure began
    front = False        # the file opened with a contents list of its own (a 汇编's), no overview
    opened = False       # an opening seen
    for index, line in enumerate(content):
        if _opens(content, index):
            overview = _names_overview(content, index)
            if figures >= MIN_FIGURE_LINES and overview:
                starts.append(_cover_start(doc, content, index, starts[-1]))
                figures = 0
            elif front and not figures and overview:
                # the first disclosure's own opening after the file's front matter (its cover
                # and the list of the disclosures it collects): the front matter, which prints
                # no figure, belongs to none
                starts[0] = _cover_start(doc, content, index, 1)
                front = False
            elif not opened and not overview and content[index].compact.startswith("目"):
                front = True
            opened = True
        elif _FIGURE.search(line.text):
            figures += 1
    if figures < MIN_FIGURE_LINES and len(starts) > 1:
        starts.pop()     # the last one printed too little to be a disclosure: the one before's tail
    ends = [start - 1 for start in starts[1:]] + [len(doc.lines)]
    return list(zip(starts, ends))


def _opens(content: list[Line], index: int) -> bool:
    """Whether content line *index* is a disclosure's opening: its 目录 ("目  录" written as two
    lines too), its first part's heading, or -- a disclosure printing neither (a unit's, after its
    department's) -- its title ("…2025年单位预算") standing alone before its first heading."""
    line = content[index]
    text = line.compact
    if text in ("目录", "目錄"):
        return True
    if text == "目":
        return index + 1 < len(content) and content[index + 1].compact in ("录", "錄")
    if _OPENING_PART.match(text):
        heading = heading_of(line)
        return heading is not None and heading.level == 0
    return _is_title_line(line)


def _is_title_line(line: Line) -> bool:
    """A disclosure's title on a line of its own ("青山县林业局2025年部门预算")."""
    return bool(_TITLE_LINE.search(line.compact)) and _is_cover_line(line)


def _names_overview(content: list[Line], index: int) -> bool:
    """Whether the opening at *index* or one of the next lines names the overview part."""
    if content[index].compact == "目":
        index += 1    # ("目" / "录" on two lines: the opening is both)
    return any(_OVERVIEW.search(line.compact) for line in content[index:index + _OVERVIEW_WITHIN])


def _is_cover_line(line: Line) -> bool:
    """A line a cover may print: short, no figure, no sentence ended or stopped, no numbered
    heading (the last disclosure's "七、绩效目标")."""
    text = line.compact
    return (len(text) <= 40 and not _FIGURE.search(line.text) and not any(mark in text for mark in "。；;")
            and heading_of(line) is None)


def _cover_start(doc: Document, content: list[Line], index: int, floor: int) -> int:
    """The first line of the disclosure opening at content line *index*: its cover, where the
    lines before it are one (see the module's docstring), else the opening itself."""
    opening = content[index]
    cover: list[Line] = []
    for line in reversed(content[max(0, index - _COVER_LINES):index]):
        if line.number < floor or not _is_cover_line(line):
            break
        cover.append(line)
    cover.reverse()
    if _is_title_line(opening):
        cover.append(opening)     # the opening is the title: the name lines before it go with it
    # From the title ("…2025年部门预算", "部门决算"), with the lines just before it that name its
    # department ("青山县林业局", "中共上海市普陀区委" / "社会工作部2024年度") -- not the last
    # disclosure's closing lines ("详见单位的项目绩效目标表").
    title = next((i for i, line in enumerate(cover) if _TITLE.search(line.compact)), None)
    if title is None:
        return opening.number
    start = title
    while start > 0 and title - start < 3 and _NAMES_BODY.search(cover[start - 1].compact):
        start -= 1
    if doc.paged:
        # A cover page is the cover whole: the lines above the title on its page, when nothing
        # else is printed there.
        page = cover[start].page
        above = [i for i in range(start) if cover[i].page == page]
        if above and not doc.content_lines(doc.page(page).first, cover[above[0]].number - 1):
            start = above[0]
    return cover[start].number


def in_the_file(record: dict, part: Document) -> dict:
    """*record*, read from *part* (a disclosure of a file holding several, numbered as a file of
    its own: :meth:`Document.part`), with every line and page number it holds moved back to the
    file's: a source's ``line`` / ``value_line`` / ``change_line`` / ``page`` (and ``page_line`` on
    the part's first page, which it may share with the disclosure before), an unread part's
    ``lines`` and ``page``, the coverage's ``silent_lines``."""
    lines, pages = part.line_offset, part.page_offset
    if lines or pages:
        shift = Shift(lines, pages, part.first_page_line - 1)
        move_printed(record, lambda node: shift, lambda number: number + lines)
    return record


class Shift:
    """How to move where something was printed: lines and pages by so many, ``page_line`` on
    page 1 by *first_page* (a part's first page shared with the one before), pages dropped where
    the place has none (*paged* False), ``document`` set where given."""

    __slots__ = ("lines", "pages", "first_page", "paged", "document")

    def __init__(self, lines: int, pages: int, first_page: int = 0, paged: bool = True, document: str | None = None):
        self.lines, self.pages, self.first_page, self.paged, self.document = lines, pages, first_page, paged, document


def move_printed(record: dict, locate, silent_line) -> None:
    """Move, in place, where everything *record* says was printed: each mapping (a source, an
    unread part) by the :class:`Shift` *locate* gives it (None: left), each of the coverage's
    ``silent_lines`` through *silent_line* -- the one walk of a record read from part of a file
    (:func:`in_the_file`) or from several files (:func:`.joined.in_their_files`)."""
    moved: set[int] = set()    # (a source the reader gave two figures is one dict: moved once)

    def move(node) -> None:
        if isinstance(node, dict):
            if id(node) in moved:
                return
            moved.add(id(node))
            shift = locate(node)
            if shift is not None:
                if shift.first_page and node.get("page") == 1 and type(node.get("page_line")) is int:
                    node["page_line"] += shift.first_page
                for key, value in list(node.items()):
                    if type(value) is int:
                        if key == "page":
                            if shift.paged:
                                node[key] = value + shift.pages
                            else:
                                del node[key]
                        elif key == "line" or key.endswith("_line") and key != "page_line":
                            node[key] = value + shift.lines
                        elif key == "page_line" and not shift.paged:
                            del node[key]
                    elif key == "lines" and isinstance(value, list) and all(type(n) is int for n in value):
                        node[key] = [n + shift.lines for n in value]
                if shift.document is not None:
                    node["document"] = shift.document
            for key, value in node.items():
                if key == "silent_lines" and isinstance(value, list) and all(type(n) is int for n in value):
                    node[key] = [silent_line(n) for n in value]
                elif isinstance(value, (dict, list)):
                    move(value)
        elif isinstance(node, list):
            for item in node:
                move(item)
    move(record)
