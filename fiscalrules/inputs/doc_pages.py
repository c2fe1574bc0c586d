"""What an old binary Word document's formatted disk pages (FKPs) say of its paragraphs and
character runs ([MS-DOC] 2.9.82, 2.9.178): for :mod:`.doc`.

The ``PlcBtePapx`` and ``PlcBteChpx`` indexes of the table stream list 512-byte pages of the
``WordDocument`` stream; each page bounds its runs (by fc: byte offsets of the text) and holds
each run's property modifiers (sprms).  Read here: a paragraph's style, whether it is in a table,
ends a row, its nesting depth and the row's cell edges and merges (a wide row's modifiers stand in
the ``Data`` stream, sprmPHugePapx), the list and level it names; whether a character run is
deleted with changes tracked or hidden, and the embedded object it stands for.  Every other
modifier is skipped by its operand's size (:func:`_modifiers`).  The style sheet's paragraph
styles are read with the same modifiers (:mod:`.doc_lists`).
"""

from __future__ import annotations

import struct

__all__ = ["Damaged", "Properties", "PLAIN", "paragraph_runs", "character_runs", "read_properties", "LIST", "LIST_LEVEL"]

_PAGE = 512                  # a formatted disk page (FKP)
_FIXED_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}   # operand bytes by the sprm's spra
# Paragraph property modifiers (sprms) read here; the rest are skipped by their operand's size.
# (a table inside a cell is told by its depth alone: its cells' own marks are that cell's text)
_IN_TABLE, _ROW_END, _DEPTH = 0x2416, 0x2417, 0x6649
_CELLS, _CELLS_10, _TABS, _HUGE = 0xD608, 0xD606, 0xC615, 0x6646
#: A paragraph's list modifiers: its level, its list (one-based, 0 none).
LIST_LEVEL, LIST = 0x260A, 0x460B
# Character property modifiers read: text deleted with changes tracked, hidden text -- neither
# shown; an embedded object's character (fOle2) and where its storage is (sprmCPicLocation).
_DELETED, _HIDDEN, _OLE, _PICTURE_AT = 0x0800, 0x083C, 0x080A, 0x6A03


class Damaged(Exception):
    """The stream says something impossible (the reason, for the message)."""


class Properties:
    """A paragraph's properties read here: in a table, ends its row, nesting depth, the row's
    cells; its style, the list and level it names (None: its style's)."""

    __slots__ = ("in_table", "row_end", "depth", "edges", "merged", "style", "listed", "level")

    def __init__(self):
        self.in_table = self.row_end = False
        self.depth = self.style = 0
        self.edges: tuple[int, ...] = ()
        self.merged: tuple[bool, ...] = ()
        self.listed: int | None = None
        self.level: int | None = None

    @property
    def list_level(self) -> tuple[int, int] | None:
        """(list, level) the paragraph names itself, or None."""
        return None if self.listed is None else (self.listed, self.level or 0)

    @property
    def nested(self) -> bool:
        return self.depth > 1


PLAIN = Properties()


def _disk_pages(word: bytes, table: bytes, at: int, size: int, what: str):
    """The 512-byte formatted disk pages (FKPs) the index at *at* (*size* bytes) of the table
    stream lists, each once, with its runs' bounds: (page, run count, bounds)."""
    if size < 12:
        return
    count = (size - 4) // 8
    plc = table[at:at + size]
    if len(plc) != size:
        return
    if count > len(word) // _PAGE:
        raise Damaged(f"more {what} pages than the stream holds")
    for page_number in sorted({number & 0x3FFFFF for number in struct.unpack_from(f"<{count}I", plc, 4 * (count + 1))}):
        page = word[page_number * _PAGE:page_number * _PAGE + _PAGE]
        if len(page) != _PAGE:
            raise Damaged(f"{what} page beyond the stream")
        crun = page[_PAGE - 1]
        yield page, crun, struct.unpack_from(f"<{crun + 1}I", page, 0)


def paragraph_runs(word: bytes, table: bytes, data: bytes, at: int, size: int) -> list[tuple[int, int, Properties]]:
    """(first fc, end fc, properties) of the paragraph runs the PAPX pages index, by fc."""
    runs = []
    for page, crun, bounds in _disk_pages(word, table, at, size, "paragraph"):
        for index in range(crun):
            offset = 2 * page[4 * (crun + 1) + 13 * index]
            properties = PLAIN
            if offset:
                size_byte = page[offset]
                grpprl = (page[offset + 2:offset + 2 + 2 * page[offset + 1]] if size_byte == 0
                          else page[offset + 1:offset + 2 * size_byte])
                properties = read_properties(grpprl[2:], data)   # (after the style index)
                if len(grpprl) >= 2:
                    properties.style = struct.unpack_from("<H", grpprl)[0]
            runs.append((bounds[index], bounds[index + 1], properties))
    runs.sort(key=lambda run: run[0])
    return runs


def character_runs(word: bytes, table: bytes, at: int, size: int) -> tuple[list, list]:
    """The character runs the CHPX pages mark: (first fc, end fc) of those deleted (changes
    tracked) or hidden, and (first fc, end fc, storage) of embedded objects, each by fc."""
    dropped, objects = [], []
    for page, crun, bounds in _disk_pages(word, table, at, size, "character"):
        for index in range(crun):
            offset = 2 * page[4 * (crun + 1) + index]
            if offset:
                drops, stored = _character_modifiers(page[offset + 1:offset + 1 + page[offset]])
                if drops:
                    dropped.append((bounds[index], bounds[index + 1]))
                if stored is not None:
                    objects.append((bounds[index], bounds[index + 1], stored))
    dropped.sort()
    objects.sort()
    return dropped, objects


def _character_modifiers(grpprl: bytes) -> tuple[bool, int | None]:
    """What a run's character modifiers say here: whether it is deleted or hidden (a toggle set
    on: 1, or 0x81 -- the style's opposite, taken as on), and the storage of the embedded object
    it stands for (sprmCPicLocation of an OLE object's run: ``ObjectPool/_N``), or None."""
    drops, location, ole = False, None, False
    for sprm, operand in _modifiers(grpprl):
        if sprm in (_DELETED, _HIDDEN) and operand[:1] in (b"\x01", b"\x81"):
            drops = True
        elif sprm == _OLE and operand:
            ole = operand[0] in (1, 0x81)
        elif sprm == _PICTURE_AT and len(operand) >= 4:
            location = struct.unpack_from("<I", operand)[0]
    return drops, location if ole else None


def read_properties(grpprl: bytes, data: bytes) -> Properties:
    """The properties read here that a paragraph's modifiers set; a paragraph whose modifiers
    outgrow its page (a wide table's row: its cell definitions) names where they stand in the
    ``Data`` stream instead (sprmPHugePapx), and they are read there."""
    properties = Properties()
    for sprm, operand in _modifiers(grpprl):
        if sprm == _HUGE and data:   # (the modifiers' place in the Data stream: read there, once)
            at = struct.unpack_from("<I", operand)[0]
            size = struct.unpack_from("<H", data, at)[0]
            huge = data[at + 2:at + 2 + size]
            if len(huge) != size:
                raise Damaged("paragraph properties beyond the Data stream")
            for sprm, operand in _modifiers(huge):
                _set_property(properties, sprm, operand)
            break
        _set_property(properties, sprm, operand)
    return properties


def _modifiers(grpprl: bytes):
    """Each modifier (sprm) of a run of them with its operand, sized by its spra: a variable one
    by the byte before it -- a row's cell definitions by two bytes, and a tab list too long for
    its byte ends the run (nothing after it is ours)."""
    position = 0
    while position + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, position)[0]
        position += 2
        size = _FIXED_SIZE.get(sprm >> 13)
        if size is None:
            if sprm in (_CELLS, _CELLS_10):
                size = struct.unpack_from("<H", grpprl, position)[0] - 1
                position += 2
            elif position >= len(grpprl):
                return
            else:
                size = grpprl[position]
                position += 1
                if sprm == _TABS and size == 255:
                    return
        yield sprm, grpprl[position:position + size]
        position += size


def _set_property(properties: Properties, sprm: int, operand: bytes) -> None:
    """What one paragraph modifier sets of *properties* (the others are not read)."""
    if sprm == _IN_TABLE:
        properties.in_table = bool(operand[0])
    elif sprm == _ROW_END:
        properties.row_end = bool(operand[0])
    elif sprm == _DEPTH:
        properties.depth = struct.unpack_from("<i", operand)[0]
    elif sprm == LIST and len(operand) == 2:
        properties.listed = abs(struct.unpack_from("<h", operand)[0])   # (negative: numbered the Word 6 way)
    elif sprm == LIST_LEVEL and operand:
        properties.level = operand[0]
    elif sprm == _CELLS and operand:
        cells = operand[0]
        properties.edges = struct.unpack_from(f"<{cells + 1}h", operand, 1)
        flags_at = 1 + 2 * (cells + 1)
        properties.merged = tuple(
            _merged(struct.unpack_from("<H", operand, flags_at + 20 * cell)[0])
            for cell in range(min(cells, (len(operand) - flags_at) // 20)))


def _merged(flags: int) -> bool:
    """Whether a cell (its TC80 flags) continues a merge: with the cell before (horzMerge 2, 3)
    or the one above (vertMerge 1)."""
    return flags & 0x3 >= 2 or (flags >> 5) & 0x3 == 1
