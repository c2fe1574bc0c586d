"""Word's automatic numbering in an old binary Word document (.doc): its list tables read into a
:class:`~.numbering.Numbering`, which counts and writes the numbers as it does for a ``.docx``.

A ``.doc`` keeps its lists in the table stream, where the file information block points
([MS-DOC] 2.9.147, 2.9.131, 2.9.271):

* ``PlfLst``: each list (``LSTF``: its id, one level or nine), then every list's levels in that
  order (``LVL``: start, number format -- ``nfc`` --, whether numbered the legal way, the places
  of the level numbers in its text, paragraph and character modifiers to skip, and the text,
  where characters 0-8 stand for levels 1-9's numbers: ``\\x00、`` is ``%1、``);
* ``PlfLfo``: the lists paragraphs name (``LFO``, one-based: ``ilfo``), each naming a list by its
  id, then each one's level overrides (``LFOLVL``: a new start, or a whole new level, skipped);
* the style sheet (``STSH``): a paragraph style's modifiers may name a list, and its base style
  is followed when it names none.

A paragraph names its list and level by its own modifiers (``sprmPIlfo``, ``sprmPIlvl``: read
with its table properties by :mod:`.doc`) or by its style's.  Anything beyond its table or out
of range ends the reading of these tables: the document is then read without its numbers
(:class:`Damaged`, which the reader turns into that), not refused.
"""

from __future__ import annotations

import struct

from .doc_pages import Damaged, read_properties
from .numbering import Numbering

__all__ = ["doc_numbering"]
_LEVELS = 9
_NO_BASE = 0x0FFF   # a style's istdBase naming no base style
_MAX_LISTS = 10_000   # lists or overrides a document may hold (Word allows 2,047)

# MSONFC ([MS-OSHARED] 2.2.1.3): the number formats by their codes, as a .docx names them.
_FORMATS = (
    "decimal upperRoman lowerRoman upperLetter lowerLetter ordinal cardinalText ordinalText hex chicago "
    "ideographDigital japaneseCounting aiueo iroha decimalFullWidth decimalHalfWidth japaneseLegal "
    "japaneseDigitalTenThousand decimalEnclosedCircle decimalFullWidth2 aiueoFullWidth irohaFullWidth decimalZero "
    "bullet ganada chosung decimalEnclosedFullstop decimalEnclosedParen decimalEnclosedCircleChinese "
    "ideographEnclosedCircle ideographTraditional ideographZodiac ideographZodiacTraditional taiwaneseCounting "
    "ideographLegalTraditional taiwaneseCountingThousand taiwaneseDigital chineseCounting chineseLegalSimplified "
    "chineseCountingThousand koreanDigital koreanCounting koreanLegal koreanDigital2 vietnameseCounting "
    "russianLower russianUpper none").split()


def doc_numbering(table: bytes, lists: tuple[int, int], overrides: tuple[int, int],
                  style_sheet: tuple[int, int]) -> Numbering:
    """The lists of a document whose table stream is *table*; *lists*, *overrides* and
    *style_sheet*: the (fc, lcb) of its ``PlfLst``, ``PlfLfo`` and ``STSH``."""
    numbering = Numbering()
    if not lists[1] or not overrides[1]:
        return numbering
    _read_lists(table, lists[0], numbering)
    _read_overrides(table, overrides[0], numbering)
    if style_sheet[1]:
        _read_styles(table, *style_sheet, numbering)
    return numbering


def _read_lists(table: bytes, at: int, numbering: Numbering) -> None:
    count = _unpack("<h", table, at)[0]
    if not 0 <= count <= _MAX_LISTS:
        raise Damaged("a list count out of range")
    heads = [_unpack("<iI18sB", table, at + 2 + 28 * index) for index in range(count)]
    position = at + 2 + 28 * count   # (the levels follow the lists, in their order)
    for list_id, _, _, flags in heads:
        levels = {}
        for level in range(1 if flags & 1 else _LEVELS):
            start, form, options, places = _unpack("<iBB9s", table, position)
            chpx_size, papx_size = _unpack("<BB", table, position + 24)
            position += 28 + papx_size + chpx_size
            length = _unpack("<H", table, position)[0]
            text = table[position + 2:position + 2 + 2 * length].decode("utf-16-le", "replace")
            if len(text) != length:
                raise Damaged("a level's text beyond the table stream")
            position += 2 + 2 * length
            written = list(text)
            for place in places:   # (one-based places of the level numbers in the text, 0 ending them)
                if not place:
                    break
                if place <= length and len(written[place - 1]) == 1 and ord(written[place - 1]) < _LEVELS:
                    written[place - 1] = f"%{ord(written[place - 1]) + 1}"
            levels[level] = (_start(start), _FORMATS[form] if form < len(_FORMATS) else "none" if form == 0xFF else "decimal",
                             "".join(char for char in written if len(char) > 1 or ord(char) >= 0x20))
            if options & 0x04:   # fLegal
                numbering.legal.add((list_id, level))
        numbering.abstract[list_id] = levels


def _read_overrides(table: bytes, at: int, numbering: Numbering) -> None:
    count = _unpack("<I", table, at)[0]
    if count > _MAX_LISTS:
        raise Damaged("an override count out of range")
    heads = [_unpack("<i8xB3x", table, at + 4 + 16 * index) for index in range(count)]
    position = at + 4 + 16 * count   # (each override's levels follow them all, in their order)
    for index, (list_id, levels) in enumerate(heads):
        position += 4   # (cp)
        starts = {}
        for _ in range(levels):
            start, options = _unpack("<iB", table, position)
            position += 8
            if options & 0x20:   # fFormatting: a level of its own follows, its start the one to use
                start, chpx_size, papx_size = _unpack("<i", table, position)[0], *_unpack("<BB", table, position + 24)
                position += 28 + papx_size + chpx_size
                position += 2 + 2 * _unpack("<H", table, position)[0]
            if options & 0x10:   # fStartAt: the level starts again at this list's first paragraph
                starts[options & 0x0F] = _start(start)
        numbering.lists[index + 1] = (list_id, starts)


def _read_styles(table: bytes, at: int, size: int, numbering: Numbering) -> None:
    """Each paragraph style's base and the list its modifiers name (``STSH``)."""
    header = _unpack("<H", table, at)[0]
    styles, base_size = _unpack("<HH", table, at + 2)
    position = at + 2 + header
    end = at + size
    for index in range(styles):
        length = _unpack("<H", table, position)[0]
        position += 2
        if length:
            _read_style(table[position:position + length], base_size, index, numbering)
        position += length
        if position > end:
            raise Damaged("a style beyond the style sheet")


def _read_style(style: bytes, base_size: int, index: int, numbering: Numbering) -> None:
    kind_base, = _unpack("<H", style, 2)
    if kind_base & 0x0F != 1:   # (a paragraph style: stk 1)
        return
    base = kind_base >> 4
    name_length = _unpack("<H", style, base_size)[0]
    position = base_size + 2 + 2 * (name_length + 1)   # (the name and its terminating null)
    position += position % 2
    papx_size = _unpack("<H", style, position)[0]
    properties = read_properties(style[position + 4:position + 2 + papx_size], b"")   # (after the style index)
    numbering.styles[index] = (None if base == _NO_BASE else base, properties.list_level)


def _start(value: int) -> int:
    """A level's start as Word takes it (0 to 32,767; a damaged file's beyond that bounded)."""
    return max(0, min(value, 0x7FFF))


def _unpack(form: str, data: bytes, at: int) -> tuple:
    if at < 0 or at + struct.calcsize(form) > len(data):
        raise Damaged("list tables beyond the table stream")
    return struct.unpack_from(form, data, at)
