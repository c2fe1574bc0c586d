"""Word's automatic numbering (.docx, .doc): the "一、", "（二）", "3." Word draws before a numbered
paragraph, which are not in its text.

A disclosure drafted in Word numbers its headings and items with lists as often as by hand; the
readers find a section, an item or a table by those numbers ("一、部门主要职责", "（三）财政拨款支出
情况"), so a Word document read without them lost its structure.  :class:`Numbering` holds a
document's lists -- each abstract list's levels (start, format, text such as ``%1、`` or
``（%2）``), the lists naming them with their restarts, the paragraph styles carrying a list --
and gives each paragraph its label in document order, as Word counts: a level counts on within
its list -- and within the other lists of the same abstract list -- and restarts under a new
item of a level above it; a list whose level has a start override starts that level again at
its first paragraph.  ``%1`` in a lower level's text is written in level 1's format ("一.1"), or
in decimals where the level is numbered the legal way (``isLgl``: "1.1").  A ``.docx`` gives
them in ``word/numbering.xml`` and ``word/styles.xml`` (:meth:`Numbering.from_xml`); a ``.doc``
in its binary list tables (:mod:`.doc_lists`).

Formats: decimal (full-width too, ``01``), Chinese counting (一 … 十一 … 一百零一; 壹贰 in the legal
form), 甲乙丙, 子丑寅, letters, Roman numerals, ①; a bullet or ``none`` gives no label.
"""

from __future__ import annotations

from .safexml import parsed

__all__ = ["Numbering"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_LEVELS = 9
_STYLE_DEPTH = 10   # basedOn links followed at most (a loop in a damaged file ends there)
_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


class Numbering:
    """The lists of one document and their counters as its paragraphs come."""

    def __init__(self, abstract=None, lists=None, styles=None, legal=None):
        #: abstract list → level → (start, format, text): ``%N`` in the text stands for level N's count
        self.abstract: dict = abstract or {}
        self.legal: set = legal or set()   # (abstract list, level) writing every number in decimals (isLgl)
        self.lists: dict = lists or {}     # list → (abstract list, level → start override)
        self.styles: dict = styles or {}   # paragraph style → (based on, (list, level) or None)
        # Counted per abstract list, as Word counts: lists naming the same abstract one go on from
        # one another, but where a list restarts a level (startOverride) at its first paragraph.
        self.counters: dict = {}
        self.starts: dict = {}   # abstract list → level → the start a restart set
        self.seen: set = set()

    @classmethod
    def from_xml(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> "Numbering":
        """A ``.docx``'s lists, from its ``word/numbering.xml`` and ``word/styles.xml`` parts."""
        numbering = cls()
        if numbering_xml:
            root = parsed(numbering_xml)
            for abstract in root.iter(f"{_W}abstractNum"):
                levels = {}
                for level in abstract.findall(f"{_W}lvl"):
                    if level.find(f"{_W}isLgl") is not None:
                        numbering.legal.add((abstract.get(f"{_W}abstractNumId", ""), _int(level.get(f"{_W}ilvl"), 0)))
                    levels[_int(level.get(f"{_W}ilvl"), 0)] = (
                        _int(_child_val(level, "start"), 0), _child_val(level, "numFmt") or "decimal",
                        _child_val(level, "lvlText") or "")
                numbering.abstract[abstract.get(f"{_W}abstractNumId", "")] = levels
            for number in root.iter(f"{_W}num"):
                overrides = {}
                for override in number.findall(f"{_W}lvlOverride"):
                    start = _child_val(override, "startOverride")
                    if start is not None:
                        overrides[_int(override.get(f"{_W}ilvl"), 0)] = _int(start, 0)
                numbering.lists[number.get(f"{_W}numId", "")] = (_child_val(number, "abstractNumId") or "", overrides)
        if styles_xml:
            for style in parsed(styles_xml).iter(f"{_W}style"):
                properties = style.find(f"{_W}pPr")
                listed = _list_of(properties) if properties is not None else None
                numbering.styles[style.get(f"{_W}styleId", "")] = (_child_val(style, "basedOn"), listed)
        return numbering

    def label(self, paragraph) -> str:
        """The number Word draws before *paragraph* (a ``.docx``'s ``w:p``), counting it; "" for none."""
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return ""
        return self.numbered(_list_of(properties), _child_val(properties, "pStyle"))

    def numbered(self, listed, style) -> str:
        """The number Word draws before a paragraph naming *listed* -- (list, level), the list
        None (or the file's "no list": ``0``) where the paragraph names none -- in paragraph
        style *style*, counting it; "" for none."""
        if listed is None:
            listed = self._style_list(style)
        if listed is None or listed[0] in ("0", 0) or listed[0] not in self.lists:
            return ""
        number, level = listed
        abstract, overrides = self.lists[number]
        levels = self.abstract.get(abstract, {})
        if level not in levels or not 0 <= level < _LEVELS:
            return ""
        counters = self.counters.setdefault(abstract, [None] * _LEVELS)
        starts = self.starts.setdefault(abstract, {})
        if number not in self.seen:
            self.seen.add(number)
            for restarted, start in overrides.items():
                if 0 <= restarted < _LEVELS:
                    counters[restarted] = None
                    starts[restarted] = start
        current = counters[level]
        counters[level] = starts.get(level, levels[level][0]) if current is None else current + 1
        for deeper in range(level + 1, _LEVELS):   # (a new item restarts the levels under it)
            counters[deeper] = None
        _, form, text = levels[level]
        if form in ("bullet", "none"):
            return ""
        legal = (abstract, level) in self.legal
        for shown in range(level, -1, -1):   # %1 … %9: each level's count as that level writes it
            if f"%{shown + 1}" in text:      # (or in decimals, for a level numbered the legal way: 1.1)
                start, shown_form, _ = levels.get(shown, (1, "decimal", ""))
                value = counters[shown] if counters[shown] is not None else starts.get(shown, start)
                text = text.replace(f"%{shown + 1}", _formatted(value, "decimal" if legal else shown_form))
        return text

    def _style_list(self, style: str | None) -> tuple[str, int] | None:
        for _ in range(_STYLE_DEPTH):
            if style is None or style not in self.styles:
                return None
            based_on, listed = self.styles[style]
            if listed is not None:
                return listed
            style = based_on
        return None


def _list_of(properties) -> tuple[str, int] | None:
    """(numId, level) of a ``w:pPr`` that names a list."""
    listed = properties.find(f"{_W}numPr")
    if listed is None:
        return None
    number = _child_val(listed, "numId")
    return None if number is None else (number, _int(_child_val(listed, "ilvl"), 0))


def _child_val(element, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return None if child is None else child.get(_VAL)


def _int(text: str | None, default: int) -> int:
    try:
        return max(0, min(int(text), 10 ** 6)) if text is not None else default
    except ValueError:
        return default


def _formatted(value: int, form: str) -> str:
    if form in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese(value, _DIGITS, "十百千")
    if form == "chineseLegalSimplified":
        return _chinese(value, _LEGAL_DIGITS, "拾佰仟")
    if form in ("ideographDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(value))
    if form == "ideographTraditional":
        return _STEMS[(value - 1) % 10] if value >= 1 else str(value)
    if form == "ideographZodiac":
        return _BRANCHES[(value - 1) % 12] if value >= 1 else str(value)
    if form in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value >= 1 else str(value)
        return letter if form == "upperLetter" else letter.lower()
    if form in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if form == "upperRoman" else roman.lower()
    if form in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if form == "decimalEnclosedParen" and 1 <= value <= 20:
        return chr(0x2474 + value - 1)
    if form == "decimalEnclosedFullstop" and 1 <= value <= 20:
        return chr(0x2488 + value - 1)
    if form in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if form == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _chinese(value: int, digits: str, units: str) -> str:
    """一 … 九, 十, 十一, 二十, 一百零一, 一千零五十 (below 10,000; beyond, digit by digit)."""
    if value < 10:
        return digits[value]
    if value >= 10_000:
        return "".join(digits[int(d)] for d in str(value))
    out, zero = [], False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = value // power % 10
        if digit:
            if zero and out:
                out.append("零")   # (a counting number's zero: 一百零一, not the digit 〇)
            out.append(("" if power == 10 and value < 20 else digits[digit]) + unit)
            zero = False
        elif out:
            zero = True
    return "".join(out)


def _roman(value: int) -> str:
    if not 1 <= value < 4000:
        return str(value)
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)
