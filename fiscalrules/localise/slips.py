"""Typist slips: the usual ways a printed figure goes wrong, as a prior for localisation.

A correction that undoes a slip is more likely than one that does not: two adjacent digits
swapped (329.49 for 329.94), the decimal point moved (32.99 for 329.90, or 元 read as 万元), the
sign or the direction word flipped (增加 for 减少, 增长 for 下降, 大于 for 小于), a figure equal to
the one printed next to it (copied from the neighbouring line or cell), and -- weaker -- one digit
mistyped.  :func:`slip_between` names the slip that turns the printed value into a suggested
one; :func:`variants` lists the values a slip could have come from (tried first when a range of
values would do); :class:`Neighbours` finds the figures printed next to a figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from ..nodebase import Frozen, setfield

__all__ = ["Slip", "slip_between", "variant_steps", "read_by_a_reader", "Neighbours", "STRONG", "WEAK"]

STRONG = ("digits_swapped", "decimal_moved", "direction_flipped", "sign_flipped", "neighbour_value",
          "negative_amount")
WEAK = ("digit_mistyped", "copied_neighbour")

# Direction words and their opposites, longest first so that 增长 is found before 增.
_OPPOSITES = (("增加", "减少"), ("增长", "下降"), ("上升", "下降"), ("提高", "降低"), ("大于", "小于"),
              ("高于", "低于"), ("多于", "少于"), ("增", "减"), ("升", "降"), ("多", "少"))


class Slip(Frozen):
    """A typist slip turning the printed value into the suggested one (``kind`` in
    :data:`STRONG` or :data:`WEAK`); ``words`` the direction words (printed, suggested) for a
    flipped direction; ``other`` the neighbouring figure (label, line, value) for a copy."""

    kind: str
    words: tuple | None
    other: tuple | None
    __slots__ = _fields = ("kind", "words", "other")

    def __init__(self, kind: str, words: tuple | None = None, other: tuple | None = None) -> None:
        setfield(self, "kind", kind)
        setfield(self, "words", words)
        setfield(self, "other", other)

    @property
    def strong(self) -> bool:
        return self.kind in STRONG


def _digits(value: Decimal, places: int) -> str:
    return format(abs(value).quantize(Decimal(1).scaleb(-places)), "f").replace(".", "")


def _places(*values: Decimal) -> int:
    return max(max(-v.as_tuple().exponent, 0) for v in values)


# The ratios of a decimal point moved by one to four places (a set: hashed once, not powers
# worked out for each figure weighed).
_DECIMAL_MOVES = frozenset(Fraction(10) ** k for k in (-4, -3, -2, -1, 1, 2, 3, 4))


def slip_between(old: Decimal, new: Decimal, meta: str = "value", text: str | None = None) -> Slip | None:
    """The slip that, made on *new*, prints *old* -- None when it is not a usual slip.  *text*
    is the printed line (to name a flipped direction word)."""
    if old == new:
        return None
    if old and new == -old:
        words = direction_words(old, text) if meta in ("change", "pct") else None
        return Slip("direction_flipped" if words else "sign_flipped", words)
    if old and new:
        if Fraction(new) / Fraction(old) in _DECIMAL_MOVES:
            return Slip("decimal_moved")
    if (old < 0) != (new < 0):
        return None
    places = _places(old, new)
    a, b = _digits(old, places), _digits(new, places)
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return Slip("digits_swapped")
    # One digit different, leading zeros included (10.00 printed for 0.00, 70.00 for 60.00): as
    # much a slip of a round figure as of one with many digits -- when a sum is off by 10.00,
    # each of its parts and its total whose tens digit can take it is equally "one digit off",
    # and a test that gave the slip to 72.00 and 180.00 but not to 70.00 decided ties by how
    # round the figures happen to be.
    # (Not from or to zero: a figure printed 0 -- nothing of that kind -- is not a digit slip of one
    # printed 0.50.)
    width = max(len(a), len(b))
    a, b = a.rjust(width, "0"), b.rjust(width, "0")
    if old and new and sum(1 for x, y in zip(a, b) if x != y) == 1:
        return Slip("digit_mistyped")
    return None


def read_by_a_reader(record, figures) -> bool:
    """Whether *record* was read from a document by a reader -- it names its document
    (``_meta.document``) and gives the *figures* it read their sources -- so that a figure of it
    without a source is one no line prints: worked out by the reader (the brackets of a passage it
    counts), typed by no one, and no typist's slip ("右括号数 1 → 2 个（一位数字不同）" said one).  A record
    written by hand -- with or without a document's name, some of its figures with sources or none
    -- keeps its slips."""
    return bool(record.meta.get("document")) and any(figure.source is not None for figure in figures)


def direction_words(old: Decimal, text: str | None) -> tuple | None:
    """(printed word, its opposite) for a stated change or percentage printed in *text*."""
    if not text:
        return None
    compact = "".join(text.split())
    for up, down in _OPPOSITES:
        if up in compact or down in compact:
            return (up, down) if old > 0 else (down, up)
    return None


def variant_steps(old: Decimal, step: Fraction, weak: bool = False) -> list:
    """Values a slip could have turned into *old* -- digits swapped back, the decimal point moved
    back, the sign flipped (and, with *weak*, one digit changed) -- in whole steps of the grid
    *step* (those off the grid left out).  Integer arithmetic on the digits: this runs for every
    candidate figure."""
    places = max(_places(old), _step_places(step))
    number = int(old.scaleb(places))               # the value in units of 10^-places
    unit = step * 10 ** places                     # the grid step in those units
    if unit.denominator != 1:
        return []
    unit = int(unit)
    out = []
    if number:
        out.append(-number)
        for k in (1, 2, 3, 4):
            out.append(number * 10 ** k)
            if number % 10 ** k == 0:
                out.append(number // 10 ** k)
    text = str(abs(number)).rjust(places + 1, "0")
    sign = -1 if number < 0 else 1
    for i in range(len(text) - 1):
        if text[i] != text[i + 1]:
            out.append(sign * int(text[:i] + text[i + 1] + text[i] + text[i + 2:]))
    if weak and len(text.strip("0")) >= 2:
        for i, digit in enumerate(text):
            for d in "0123456789":
                if d != digit:
                    out.append(sign * int(text[:i] + d + text[i + 1:]))
    result = []
    for value in dict.fromkeys(out):
        if value != number and value % unit == 0:
            result.append(value // unit)
    return result


def _step_places(step: Fraction) -> int:
    places = 0
    while (step * 10 ** places).denominator != 1 and places < 12:
        places += 1
    return places


def _same_print(figure, other, meta: str, raw) -> bool:
    """Whether *other*'s *meta* is *figure*'s own printed number read a second time (a stated
    change copied into the list of stated prior-year figures): the same line, the same text, the
    same value, and the text prints that number once -- one print is no neighbour of itself."""
    mine = figure.value if meta == "value" else getattr(figure, meta, None)
    if mine != raw or figure.source.text is None or other.source.text != figure.source.text:
        return False
    text = _GROUPING.sub("", figure.source.text.translate(_FULLWIDTH))
    return len(re.findall(r"(?<![\d.])" + re.escape(format(abs(raw), "f")) + r"(?!\.?\d)", text)) == 1


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_GROUPING = re.compile(r"(?<=\d),(?=\d{3})")


class Neighbours:
    """Figures printed next to each other: on the same line or the line before or after (a
    table row's cells share a line; the rows above and below are the lines around it)."""

    def __init__(self, index: dict):
        self.by_line: dict = {}
        by_line = self.by_line
        # (every figure of the record passes here, most with a value only: each of the three
        # read by its attribute, and a line's list made only for a figure that goes in it)
        for figure in index.values():
            source = figure.source
            if source is None or source.line is None:
                continue
            value, change, pct = figure.value, figure.change, figure.pct
            found = [(figure, meta, raw) for meta, raw in (("value", value), ("change", change), ("pct", pct))
                     if isinstance(raw, Decimal)] if change is not None or pct is not None else \
                [(figure, "value", value)] if isinstance(value, Decimal) else None
            if found:
                key = (source.document, source.line)
                line = by_line.get(key)
                if line is None:
                    by_line[key] = found
                else:
                    line.extend(found)

    def around(self, figure, meta: str) -> list:
        """(figure, meta, value) printed next to *figure*'s *meta*, nearest line first."""
        source = figure.source
        if source is None or source.line is None:
            return []
        out = []
        for delta in (0, -1, 1):
            for other, other_meta, raw in self.by_line.get((source.document, source.line + delta), ()):
                if other is figure and other_meta == meta:
                    continue
                if delta == 0 and other_meta == meta and _same_print(figure, other, meta, raw):
                    continue
                if other.unit != figure.unit and meta == other_meta == "value":
                    continue
                out.append((other, other_meta, raw))
        return out

    def equal_to(self, figure, meta: str, value: Fraction, unrelated=lambda other, meta: True):
        """The first neighbour printed with *value* (not *figure* itself, and one *unrelated*
        accepts), or None."""
        for other, other_meta, raw in self.around(figure, meta):
            if Fraction(raw) == value and raw != 0 and other is not figure and unrelated(other, other_meta):
                return other, other_meta, raw
        return None
