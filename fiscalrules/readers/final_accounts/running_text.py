"""The 决算 情况说明's running text as its patterns read it, and a figure read from it.

:class:`RunningText` joins the narrative's lines without their spaces, keeping the line each
character was printed on (a figure's source) and the text as printed beside one with its
full-width digits in ASCII (the patterns read those); :func:`figure_at` makes the figure a
pattern's group found, in the unit printed after it; :func:`word_signed` gives a change its sign
by the word before it ("减少 C 万元" → -C).

A figure printed in two units side by side ("20.48亿元（204,775.74万元）") is one figure: the patterns
read the text without the bracketed printing (the template's sentences, "…支出 X 万元，占 S%", then
match as printed with one), and :func:`figure_at` gives the figure both (``common.twin_figures``).
"""

from __future__ import annotations

import re

from ...document.model import Document
from ..common.amounts import MONEY_UNIT
from ..common.record import figure, source
from ..common.twin_figures import TWIN_AFTER, held_of_two, other_unit

__all__ = ["RunningText", "FIGURE", "figure_at", "word_signed"]

# A figure as the running text prints it (a sign, thousands commas, decimals): one group
FIGURE = r"(-?\d[\d,]*(?:\.\d+)?)"
_SIGN = {"增加": 1, "增长": 1, "上升": 1, "增幅": 1, "减少": -1, "下降": -1, "降低": -1, "降幅": -1, "减幅": -1}
_MONEY_AT = re.compile(MONEY_UNIT)
# The words naming a figure right before its number, after the year of the sentence ("2025年度一般…支出")
_NAME_BEFORE = re.compile(r"(?:\d{4}年度?)?(?P<name>[\u4e00-\u9fff“”]+)$")
_HEADING_RUN_IN = re.compile(r"^[\u4e00-\u9fff“”]*(?:情况说明|情况|说明)(?=[\u4e00-\u9fff“”]{2})")
_MONEY_FIGURE = re.compile(r"(?P<number>\d[\d,]*(?:\.\d+)?)(?P<unit>" + MONEY_UNIT + ")")


# Full-width digits and percent signs, and a full-width point or thousands comma between digits
# ("１，２０６．６０万元", "９５．６３％"): the patterns read them as ASCII, character for character (the
# offsets stay the printed text's)
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")
_FULL_WIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
_FULL_WIDTH_GROUP = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
# Half-width punctuation in Chinese text ("因公出国(境)费", "1.80万元,占", as some documents print it):
# read as the template's full-width marks, character for character -- a comma not between digits
# grouped by three (a thousands comma stays)
_HALF_WIDTH_MARKS = str.maketrans("():;", "（）：；")
_HALF_WIDTH_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")


class RunningText:
    """The narrative's running text (no spaces) with the line of each character: ``text`` with its
    numbers in ASCII and its punctuation full-width (what the patterns read), ``shown`` with its
    numbers in ASCII (what a source quotes), ``printed`` as printed (all the same length)."""

    def __init__(self, doc: Document, first: int, last: int, skip: frozenset[int] = frozenset()):
        self.doc, self.parts, self.origin = doc, [], []
        for n in range(first, last + 1):
            if doc.is_noise(n) or n in skip:
                continue    # (a page number between a sentence's lines: "决算数大于 - 14 - 年初预算数的…"; a table's line)
            piece = re.sub(r"\s+", "", doc.line(n).original)
            self.parts.append(piece)
            self.origin += [n] * len(piece)
        self.printed = "".join(self.parts)
        ascii_digits = self.printed.translate(_FULL_WIDTH_DIGITS)
        self.shown = _FULL_WIDTH_GROUP.sub(",", _FULL_WIDTH_POINT.sub(".", ascii_digits))
        self.text = _HALF_WIDTH_COMMA.sub("，", self.shown.translate(_HALF_WIDTH_MARKS))
        # (the text with the second printings in, for the sources' quotes: taken out below)
        self._quoted, self._quoted_origin = self.shown, self.origin
        self._taken: list[tuple[int, int]] = []    # (offset as printed, length) of each printing taken out
        # the other printing of a figure printed twice ("…亿元（…万元）"), by where its number ends in the
        # text the patterns read, and whether it is said to be approximate ("约")
        self.twins: dict[int, tuple[dict, bool]] = {}
        self._take_second_printings()

    def _take_second_printings(self) -> None:
        """Take each bracketed second printing of a figure out of the texts the patterns read, kept
        as the figure's twin by where its number ends."""
        found = [(m, twin) for m in _MONEY_FIGURE.finditer(self.text)
                 for twin in [TWIN_AFTER.match(self.text, m.end())] if twin and other_unit(m.group("unit"), twin)]
        if not found:
            return
        texts, origin = [self.text, self.shown, self.printed], list(self.origin)
        for _, twin in reversed(found):     # (from the end: the offsets before it stay as they are)
            start, end = twin.span()
            texts = [text[:start] + text[end:] for text in texts]
            del origin[start:end]
        self.text, self.shown, self.printed = texts
        self.origin = origin
        self._taken = [(twin.start(), twin.end() - twin.start()) for _, twin in found]
        for number, twin in found:
            value = twin.group("number")
            other = figure(value.replace(",", ""), twin.group("unit"), printed=value if "," in value else None,
                           src=self._quote(twin.start("number"), twin.end("number")))
            self.twins[self._reduced(number.end("number"))] = (other, twin.group("approx") is not None)

    def line(self, index: int) -> int:
        return self.origin[min(index, len(self.origin) - 1)] if self.origin else 0

    def money(self, value: str, start: int, end: int, section: str, **meta) -> dict:
        """The amount printed at *start*..*end* (*value*, its digits), in the unit printed after it:
        万元 as the template prints it, 元 / 亿元 / 千元 where a department prints so (a bare 万 is 万元);
        printed in two units side by side, the exact printing, the other its twin."""
        unit = self.unit_at(end)
        digits, printed = value.replace(",", ""), self.printed[start:end]
        held = figure(digits, unit, printed=printed if printed != digits else None,
                      src=self.src(start, end, section), **meta)
        twin = self.twins.get(end)
        if twin is None:
            return held
        other, approximate = twin
        other = dict(other, source=dict(other["source"], section=section)) if section else dict(other)
        # (the pair named as the figure is, else by the words printed before it: "一般公共预算财政拨款支出";
        # a heading run into them, "二、收入决算情况说明本年收入合计", left out)
        named = _NAME_BEFORE.search(self.text, max(0, start - 40), start)
        if meta.get("label") or named:
            other["label"] = meta.get("label") or _HEADING_RUN_IN.sub("", named.group("name"))
        return held_of_two(held, other, approximate)

    def unit_at(self, end: int) -> str:
        """The money unit printed right after a number ending at *end* (万元 where none is, a bare 万 too)."""
        unit = _MONEY_AT.match(self.text, end)
        return "万元" if unit is None or unit.group() == "万" else unit.group()

    def src(self, start: int, end: int, section: str) -> dict:
        return self._quote(self._full(start), self._full(end), section)

    def _quote(self, start: int, end: int, section: str | None = None) -> dict:
        """The source of what the text as printed holds at *start*..*end* (offsets in it)."""
        number = self._quoted_origin[min(start, len(self._quoted_origin) - 1)] if self._quoted_origin else 0
        line = self.doc.line(number)
        return source(self.doc.name, section, number, self._quoted[max(0, start - 20):end + 10],
                      page=line.page if line.boxes is not None else None)

    def _full(self, index: int) -> int:
        """An offset of the text the patterns read in the text as printed (the second printings in)."""
        for at, size in self._taken:
            if at > index:
                break
            index += size
        return index

    def _reduced(self, index: int) -> int:
        """An offset of the text as printed (before any printing taken out) in the text the patterns read."""
        return index - sum(size for at, size in self._taken if at < index)


def figure_at(t: RunningText, found: re.Match, group, section: str, unit: str | None = None, offset: int = 0, **meta) -> dict:
    """The figure *found* printed as its *group* of :attr:`RunningText.text` (*found* made on the text from
    *offset* on): money in the unit printed after it (*unit* None), else in *unit* (a count, a percentage)."""
    start, end = offset + found.start(group), offset + found.end(group)
    if unit is None:
        return t.money(found.group(group), start, end, section, **meta)
    return figure(found.group(group).replace(",", ""), unit, src=t.src(start, end, section), **meta)


def word_signed(word: str | None, value: str | None) -> str | None:
    """A change as the template's sentences print it (digits, thousands commas), signed by the word
    before it -- its own name: ``common.amounts.signed`` takes a scanned value and its word."""
    if value is None or word is None:
        return None
    value = value.replace(",", "")
    return value if _SIGN.get(word[:2], 1) > 0 or value.startswith("-") else "-" + value
