"""The document model: original lines and their normalised forms, with an exact map back.

A :class:`Document` holds the original lines (1-based) and their normalised forms. Normalising
maps each character to exactly one character (full-width digits, letters and punctuation to
ASCII, ideographic spaces to spaces), so a column in the normalised line is the same column in
the original one.

The running text of a range of lines is a :class:`~.stream.Stream` (``Document.stream``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .stream import Stream

__all__ = ["normalise", "Line", "Document", "compact"]

_TRANSLATION = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TRANSLATION.update({
    0x3000: ord(" "),   # ideographic space
    0x00A0: ord(" "),   # no-break space
    0x2212: ord("-"),   # minus sign
    0x2013: ord("-"),   # en dash (page numbers "– 3 –", date ranges)
    0xFE50: ord(","),   # small comma
    0xFE52: ord("."),   # small full stop
    0x2030: ord("%"),   # per mille is never meant in these documents; a mis-encoded %
})


def normalise(text: str) -> str:
    """Map full-width forms to ASCII, one character to one character."""
    return text.translate(_TRANSLATION)


def compact(text: str) -> str:
    """Normalise and drop all whitespace: for comparing labels and headings."""
    return re.sub(r"\s+", "", normalise(text))


class Line:
    """One original line: its 1-based number, the original text and the normalised text."""

    __slots__ = ("number", "original", "text", "letter_spaced")

    def __init__(self, number: int, original: str):
        self.number = number
        self.original = original.rstrip("\r\n")
        self.text = normalise(self.original)
        self.letter_spaced = _is_letter_spaced(self.text)

    @property
    def compact(self) -> str:
        return re.sub(r"\s+", "", self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.original!r})"


def _is_letter_spaced(text: str) -> bool:
    """True for lines printed with a space after every character ("预 算 安 排 3 2 9 . 9 4"):
    there a single space means nothing, not even between digits, and only a wider gap is a
    real space."""
    if "\t" in text:
        return False
    tokens = text.split()
    if len(tokens) < 6:
        return False
    return sum(1 for t in tokens if len(t) == 1) >= 0.85 * len(tokens)


_PAGE_NUMBER = re.compile(r"^[-—]*\s*(?:第\s*)?\d{1,3}\s*(?:页)?\s*(?:/\s*\d{1,3}|共\s*\d{1,3}\s*页)?\s*[-—]*$")
# What may follow a bare number that belongs to the text: a unit, a date part, an enumerator's
# closing bracket ("6" + ") 年度预算安排"), a decimal part.
_CONTINUES_NUMBER = re.compile(r"^\s*(?:万|亿|元|人|辆|台|个|%|次|项|年|月|日|号|[)、.])")


class Document:
    """The original lines of one disclosure, addressable by 1-based line number."""

    def __init__(self, text: str, name: str):
        self.name = name
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.lines = [Line(i + 1, s) for i, s in enumerate(raw)]
        self._page_numbers = self._find_page_numbers()

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def is_noise(self, number: int) -> bool:
        """A blank line or a page number: not part of any phrase."""
        return self.line(number).blank or number in self._page_numbers

    def content_lines(self, first: int = 1, last: int | None = None) -> list[Line]:
        last = len(self.lines) if last is None else last
        return [self.line(n) for n in range(first, last + 1) if not self.is_noise(n)]

    def _find_page_numbers(self) -> set[int]:
        """Short integer-only lines ("3", "- 3 -", "第 3 页") are page numbers, unless a bare
        number is continued by the next line (a wrapped "安排\\n5\\n万元" keeps its 5, and
        "1月\\n1\\n日" its 1)."""
        found = set()
        previous: Line | None = None          # the last line that is text, not a page number
        for index, line in enumerate(self.lines):
            if line.blank:
                continue
            text = line.text.strip()
            if not _PAGE_NUMBER.match(text):
                previous = line
                continue
            following = next((l for l in self.lines[index + 1:] if not l.blank), None)
            # A number never follows a number: after "329.94" (or "329.94 万") a bare "37" is a
            # page number even when "万元" / "元" comes next.
            after_number = previous is not None and bool(re.search(r"\d\s*[万亿]?$", previous.text))
            if (text.isdigit() and not after_number and following is not None
                    and _CONTINUES_NUMBER.match(following.text)):
                previous = line
                continue
            found.add(line.number)
        return found

    def stream(self, first: int = 1, last: int | None = None, skip: Iterable[int] = (),
               first_column: int = 0, last_column: int | None = None) -> "Stream":
        """The running text of lines *first*..*last*, minus noise and the lines in *skip*;
        *first_column* / *last_column* cut the first line's head / the last line's tail (a
        heading with its content on the same line)."""
        skipped = set(skip)
        last = len(self.lines) if last is None else last
        lines = [l for l in self.content_lines(first, last) if l.number not in skipped]
        bounds = {first: (first_column, None)}
        if last_column is not None:
            bounds[last] = (bounds.get(last, (0, None))[0], last_column)
        from .stream import Stream
        return Stream.from_lines(self, lines, bounds)

    def excerpt(self, first: int, last: int | None = None) -> str:
        """The original text of whole lines *first*..*last*, wrapped lines joined."""
        last = first if last is None else last
        return "".join(l.original.strip() for l in self.content_lines(first, last))
