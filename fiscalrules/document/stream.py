"""Running text of a range of lines with each character's origin.

A :class:`Stream` is the running text of a range of lines as a reader wants to see it: wrapped
lines joined, blank lines and page numbers dropped, and spaces removed except between two
digits or letters ("预 算 安 排" → "预算安排", "329.94 万\\n元" → "329.94万元"). Every stream
character remembers the (line, column) it came from, so any match can be turned back into the
exact original excerpt, its line numbers, its page and (for PDFs) its box on the page.
"""

from __future__ import annotations

import re
from array import array

from .model import Box, union

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, Sequence
    from .model import Document, Line

__all__ = ["Stream", "Origins", "CLAUSE_REACH"]

# A run of characters that are not white space (re's \s is str.isspace(): the same characters).
_NON_SPACE = re.compile(r"\S+")

# How far a clause (the source text of a figure) may reach either side of the figure.
CLAUSE_REACH = 200


def _keeps_space(before: str, after: str) -> bool:
    """A space separates two digits or letters; anywhere else it is layout."""
    return (before.isascii() and before.isalnum()) and (after.isascii() and after.isalnum())


def _wrapped_number(before: str, after: str) -> bool:
    """Whether a line break between the word *before* (the last of its line) and *after* (the
    first of the next) cuts a number of running text: both words hold Chinese text, the first ends
    in a digit and the second starts with one ("…海洋气象等支出9" / "03.00万元，较上年…", as narrow
    columns wrap). Figures of a table are words of their own (a row's last cell "64.00", the next
    row's code "2080506"): they never fuse."""
    return (before[-1].isdecimal() and after[0].isdecimal() and _has_han(before) and _has_han(after))


def _has_han(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


class Origins:
    """(line, column) per stream character, kept in two arrays: eight bytes a character rather
    than a tuple each, so a long document's stream stays a small multiple of its text."""

    __slots__ = ("lines", "columns")

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()):
        self.lines = array("l")
        self.columns = array("l")
        for line, column in pairs:
            self.append((line, column))

    def append(self, pair: tuple[int, int]) -> None:
        self.lines.append(pair[0])
        self.columns.append(pair[1])

    def __len__(self) -> int:
        return len(self.lines)

    def __bool__(self) -> bool:
        return len(self.lines) > 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self.lines[index], self.columns[index]))
        return self.lines[index], self.columns[index]


class Stream:
    """Normalised running text with, for each character, the (line, column) it came from."""

    __slots__ = ("document", "text", "origins")

    def __init__(self, document: Document, text: str, origins: Sequence[tuple[int, int]]):
        self.document = document
        self.text = text
        self.origins = origins if isinstance(origins, Origins) else Origins(origins)

    @classmethod
    def from_lines(cls, document: Document, lines: Sequence[Line],
                   bounds: dict[int, tuple[int, int | None]] | None = None) -> "Stream":
        """Join *lines*; *bounds* maps a line number to the (start, end) columns to keep."""
        # Whole runs of non-space characters at a time: a space only matters where a run starts.
        pieces: list[str] = []
        line_of: list[int] = []           # filled as plain lists, turned into arrays once
        column_of: list[int] = []
        last = ""                         # the last character kept ("" while nothing is)
        pending_space: tuple[int, int] | None = None
        bounds = bounds or {}
        whole = (0, None)
        for line in lines:
            number = line.number
            lo, hi = bounds.get(number, whole)
            text = line.text if hi is None else line.text[:hi]
            position = lo                 # where the part of the line not yet looked at starts
            for run in _NON_SPACE.finditer(text, lo):
                start, end = run.span()
                if start > position and last and pending_space is None:
                    pending_space = (number, position)
                if pending_space is not None:
                    # (_keeps_space inline: a space kept between two ASCII letters or digits)
                    first = text[start]
                    if (last and last.isascii() and last.isalnum() and first.isascii() and first.isalnum()
                            and not (line.letter_spaced and pending_space[0] == number
                                     and start - pending_space[1] < 2)
                            and not (pending_space[0] != number and _wrapped_number(pieces[-1], run.group()))):
                        pieces.append(" ")
                        line_of.append(pending_space[0])
                        column_of.append(pending_space[1])
                    pending_space = None
                pieces.append(run.group())
                line_of += [number] * (end - start)
                column_of += range(start, end)
                last = text[end - 1]
                position = end
            if position < len(text) and last and pending_space is None:
                pending_space = (number, position)
            # A line break is a space too, so two numbers on consecutive lines never fuse.
            pending_space = pending_space or ((number, len(line.text)) if last else None)
        origins = Origins()
        origins.lines = array("l", line_of)
        origins.columns = array("l", column_of)
        return cls(document, "".join(pieces), origins)

    def __len__(self) -> int:
        return len(self.text)

    def line_at(self, index: int) -> int:
        lines = self.origins.lines   # (the array itself: Origins' __len__ and __bool__ are Python calls)
        if not lines:
            return 0
        index = min(max(index, 0), len(lines) - 1)
        return lines[index]

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """First and last original line of stream span [start, end)."""
        end = max(end, start + 1)
        return self.line_at(start), self.line_at(end - 1)

    def clause(self, start: int, end: int, boundary: re.Pattern[str],
               reach: int = CLAUSE_REACH) -> tuple[int, int]:
        """The clause around span [start, end): from just after the last *boundary* match before
        it to the start of the first one after it, looking at most *reach* characters each way
        (linear time however long the text: a document whose line breaks were lost is one
        clause-less run)."""
        low = max(0, start - reach)
        clause_start = low
        for found in boundary.finditer(self.text, low, start):
            clause_start = found.end()
        high = min(len(self.text), end + reach)
        found = boundary.search(self.text, end, high)
        return clause_start, (found.start() if found else high)

    def page_at(self, index: int) -> int:
        """The page the stream character at *index* was printed on."""
        number = self.line_at(index)
        return self.document.line(number).page if number else 1

    def box(self, start: int, end: int) -> Box | None:
        """The box of stream span [start, end) on the page of its first character (PDF input;
        None for text)."""
        if not self.origins or start >= len(self.origins):
            return None
        end = min(max(end, start + 1), len(self.origins))
        lines = self.document.lines
        if all(lines[number - 1].boxes is None for number in set(self.origins.lines[start:end])):
            return None   # text input: no line has boxes
        page = self.page_at(start)
        spans: dict[int, list[int]] = {}
        for number, column in self.origins[start:end]:
            spans.setdefault(number, []).append(column)
        boxes = []
        for number, columns in spans.items():
            line = self.document.line(number)
            if line.page == page:
                boxes.append(line.box(min(columns), max(columns) + 1))
        return union(boxes)

    def excerpt(self, start: int, end: int) -> str:
        """The original text of stream span [start, end), wrapped lines joined."""
        lines, columns = self.origins.lines, self.origins.columns
        if not lines or start >= len(lines):
            return ""
        end = min(max(end, start + 1), len(lines))
        first_line, first_col = lines[start], columns[start]
        last_line, last_col = lines[end - 1], columns[end - 1]
        pieces = []
        numbers = sorted(set(lines[start:end]))
        for number in numbers:
            original = self.document.line(number).original
            lo = first_col if number == first_line else 0
            hi = last_col + 1 if number == last_line else len(original)
            pieces.append(original[lo:hi].strip())
        return "".join(pieces)

    def find_all(self, pattern: re.Pattern[str] | str, start: int = 0, end: int | None = None):
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        return regex.finditer(self.text, start, len(self.text) if end is None else end)
