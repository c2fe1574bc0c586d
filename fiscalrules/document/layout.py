"""Layout facts any template shares: the table of contents and numbered headings.

Template-agnostic. :func:`find_toc` finds the 目录 and where it ends; :func:`heading_of` tells a
numbered heading ("第二部分 …", "一、…", "（三）…", "1. …", "(1) …") and its level;
:func:`paragraphs` splits running text into paragraphs. Readers decide what each *means*.
"""

from __future__ import annotations

import re

from .model import Document, Line

__all__ = ["find_toc", "toc_entry", "heading_of", "Heading", "paragraphs"]

_NUMERAL = "一二三四五六七八九十"
_PART = re.compile(rf"^第[{_NUMERAL}]+部分")
# A heading's numbering and its level: 第X部分 (0), 一、 (1), （一） (2), 1. / 1、 (3), (1) (4).
_NUMBERINGS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^第[{_NUMERAL}]+部分"), 0),
    (re.compile(rf"^[{_NUMERAL}]+[、.]"), 1),
    (re.compile(rf"^\([{_NUMERAL}]+\)"), 2),
    (re.compile(r"^\d{1,2}(?:[、.](?!\d)|\s)"), 3),
    (re.compile(r"^\(\d{1,2}\)"), 4),
]
# The characters a numbering starts with: a line starting otherwise (most) is no heading, told
# without the amount search and the five patterns.
# (\d: any decimal digit, str.isdecimal)
_NUMBERING_STARTS = frozenset("第" + _NUMERAL + "(")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元|%)")


def _has_amount(text: str) -> bool:
    """Whether *text* prints an amount (_AMOUNT): none without 元 or % (most lines, asked of
    each heading candidate), and a substring test is far cheaper than the pattern's search,
    which starts again at every digit."""
    return ("元" in text or "%" in text) and _AMOUNT.search(text) is not None


_LEADER = re.compile(r"[.…·\-—_\s]*\d{0,3}$")


class Heading:
    """A numbered heading: its line, numbering as printed, level and text after the number."""

    __slots__ = ("line", "numbering", "level", "text")

    def __init__(self, line: int, numbering: str, level: int, text: str):
        self.line = line
        self.numbering = numbering
        self.level = level
        self.text = text

    def __repr__(self) -> str:
        return f"<Heading {self.line} L{self.level} {self.numbering}{self.text}>"


def heading_of(line: Line, max_length: int = 45) -> Heading | None:
    """The heading *line* is, if it is a short numbered line without amounts."""
    text = line.compact
    if not text or len(text) > max_length or (text[0] not in _NUMBERING_STARTS and not text[0].isdecimal()) \
            or _has_amount(text):
        return None
    for pattern, level in _NUMBERINGS:
        found = pattern.match(text)
        if found:
            return Heading(line.number, found.group(0).strip(), level, text[found.end():])
    return None


def toc_entry(compact_line: str) -> str:
    """A contents entry without its leader dots and page number."""
    return _LEADER.sub("", compact_line.lstrip("-·•")) or compact_line


# A contents entry's dotted leader (and page number) on a line of its own: a name of its own, not
# a second _LEADER (which replaced the entries' one and left their page numbers on: review 25)
_LEADER_LINE = re.compile(r"[.…·．。_\-—]{3,}\d{0,3}")


def find_toc(doc: Document) -> tuple[int, int] | None:
    """The lines of the table of contents (目录 through its last entry), or None.

    It ends where the body begins: at a line repeating one of its entries (the first heading
    repeats the first entry), at a line too long or holding an amount, and, in a paged document,
    at the end of its page unless the next page goes on with entries that carry page numbers."""
    for line in doc.lines:
        heading = line
        if line.compact == "目":
            # "目  录" spaced so wide that a text extraction (pdftotext without -layout) wrote its
            # two characters on lines of their own
            following = next((l for l in doc.lines[line.number:] if not l.blank), None)
            if following is None or following.compact not in ("录", "錄"):
                continue
            heading = following
        elif line.compact not in ("目录", "目錄"):
            continue
        seen: set[str] = set()
        last = heading.number
        page = heading.page
        for later in doc.lines[heading.number:]:
            if doc.is_noise(later.number):
                continue
            text = later.compact
            if text and _LEADER_LINE.fullmatch(text):
                # an entry's dotted leader (and page number) on a line of its own (pdftotext
                # without -layout): part of the contents, no entry
                last = later.number
                continue
            entry = toc_entry(text)
            if later.page != page:
                # The contents go on over the page only with more entries: page numbers, or
                # numbered headings that are not the body's first heading repeating an entry.
                if not (re.search(r"\d{1,3}$", text) or heading_of(later)) or _has_amount(text):
                    break
                page = later.page
            if entry in seen or len(entry) > 45 or _has_amount(text):
                break
            if _PART.match(entry) and any(_PART.match(e) and e[:4] == entry[:4] for e in seen):
                break           # "第一部分" again: the body starts (its title may differ a little)
            seen.add(entry)
            last = later.number
        return line.number, last
    return None


def _left(doc: Document, line: Line) -> float:
    """Where a PDF line starts from the left edge of the column it was read in (text set in
    columns: the next column's first line goes on the paragraph the last column ended with)."""
    region = doc.regions.get(line.number) if doc.regions else None
    if region is None or region[0] == float("-inf"):
        return line.words[0].x0
    return line.words[0].x0 - region[0]


def paragraphs(doc: Document, first: int = 1, last: int | None = None) -> list[tuple[int, int]]:
    """(first line, last line) of each paragraph of lines *first*..*last*.

    A paragraph ends at a blank line, before a heading, after a line ending a sentence (。 ： ；)
    that the next line does not continue, and, in a PDF, before a line indented past the left
    edge of its neighbours (the first line of the next paragraph)."""
    last = len(doc) if last is None else last
    lines = doc.content_lines(first, last)
    out: list[tuple[int, int]] = []
    start = None
    previous: Line | None = None
    for line in lines:
        heading = heading_of(line)   # asked twice below: worked out once
        new = start is None or heading is not None or (
            previous is not None and (line.number - previous.number > 1 and any(
                doc.line(n).blank for n in range(previous.number + 1, line.number))))
        if not new and previous is not None and previous.compact.endswith(("。", ":", "：", ";", "；")):
            new = True
        if not new and previous is not None and line.boxes is not None and previous.boxes is not None:
            indent = _left(doc, line) - _left(doc, previous)
            new = indent > 0.8 * (line.bottom - line.top) or line.page != previous.page and indent > 1
        if new:
            if start is not None and previous is not None:
                out.append((start, previous.number))
            start = line.number
        if heading is not None:
            out.append((line.number, line.number))
            start = None
        previous = line
    if start is not None and previous is not None:
        out.append((start, previous.number))
    return out
