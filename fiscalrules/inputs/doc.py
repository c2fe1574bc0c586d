"""Old binary Word documents (.doc, Word 97-2003; WPS Writer's ``.wps`` of the same format) → text.

Many portals still attach a department's budget as the ``.doc`` it was drafted in.  Such a file is
an OLE2 compound document (first bytes ``D0 CF 11 E0``) holding a ``WordDocument`` stream;
:func:`doc_text` writes its main text out as :mod:`.docx` writes a ``.docx`` -- each paragraph a
line and a blank one (a tab kept), a line break a new line, a page or section break a form feed,
each table row a line of its cells joined by tabs (a cell's paragraphs a space apart, a cell
wider than the table's narrowest columns followed by empty cells as a ``gridSpan`` is, a cell
merged with the one above or before it empty) -- so the readers read it as they read the same
disclosure in any other form.

How the file is read (the binary format as Microsoft documents it, [MS-DOC]):

* The **text** is the main document's characters (``ccpText`` of the FIB, the stream's header),
  pieced together in character-position order from the piece table (the ``Clx`` in the
  ``0Table``/``1Table`` stream): each piece 8-bit (cp1252) or UTF-16 at its own place in the
  stream -- a file saved quickly or edited holds its pieces out of order.  Footnotes, headers and
  text boxes follow the main text and are not read (a disclosure prints nothing there).
* **Fields** (a 目录 is one, each entry holding a page-number field) keep their results and drop
  their instructions (``TOC \\o "1-3"``, ``PAGEREF _Toc…``).
* What Word does not show is not read: text deleted with changes tracked (a draft published with
  its corrections: "1,150.00" corrected to "1,160.00") and hidden text, told by the character runs' properties (the
  ``PlcBteChpx`` pages); their paragraph and cell marks stay, so a deleted paragraph or row is empty.
* **Tables**: a cell ends with character 7; whether a character 7 ends a cell or a row, and the
  cells' edges, are told by the paragraph's properties (the ``PlcBtePapx`` pages: in-table,
  row-end, nesting depth, and the row's cell definitions; a wide row's stand in the ``Data``
  stream, where its page points).  A table inside a cell is read as that
  cell's text.  Without those properties (a damaged index) a character 7 ends a cell and an empty
  cell after one ends the row.
* **Embedded workbooks**: a table pasted from Excel as an object is an ``EMBED`` field whose
  result is one character standing for the object (fOle2, its storage ``ObjectPool/_N`` named by
  sprmCPicLocation, in the CHPX pages); the workbook stored there (``Workbook``, or an .xlsx as
  ``Package``) is read as the sheet it shows, its rows written after the object's paragraph
  (:mod:`.embedded`).
* **Automatic numbering**: a paragraph naming a list and level (its own properties, or its
  style's) is written with the number Word draws before it ("一、", "（二）"), from the document's
  list tables (:mod:`.doc_lists`), counted by :mod:`.numbering` as a ``.docx``'s are.

What the paragraph and character pages say is read by :mod:`.doc_pages`.  olefile (the ``doc`` extra) opens the compound document, imported only for such a file.  A file
saved by Word 95 or earlier, an encrypted (password-protected) one or a damaged one is refused,
naming it; the file is already bounded in size by the reader that read it.
"""

from __future__ import annotations

import re
import struct
import sys
from array import array
from bisect import bisect_right

from ..errors import Location, ReaderError
from .compound import stream
from .doc_lists import doc_numbering
from .doc_pages import PLAIN, Damaged, Properties, character_runs, paragraph_runs
from .embedded import MAX_OBJECTS, pooled_workbook_lines
from .cellgrid import row_lines
from .numbering import Numbering

__all__ = ["doc_text", "is_word_document"]

_WORD_STREAM = "WordDocument"
_WORD_STREAM_NAME = _WORD_STREAM.encode("utf-16-le")   # as a compound document's directory names it
_WORD_97 = 0xA5EC        # FibBase.wIdent of Word 97 and later (Word 6/95: 0xA5DC)
_FIRST_NFIB_97 = 0xC0    # FibBase.nFib: Word 97 writes 0xC1 (later versions too, naming theirs further on)
_ENCRYPTED, _OBFUSCATED, _TABLE_1 = 0x0100, 0x8000, 0x0200
_CLX, _PAPX_PAGES, _CHPX_PAGES = 33, 13, 12   # their (fc, lcb) pairs' places in FibRgFcLcb97
_STYLE_SHEET, _LISTS, _LIST_OVERRIDES = 1, 73, 74
_MARKS = re.compile(r"[^\r\x07\x0c\x13\x14\x15]")   # what of a dropped run goes (its marks keep the structure)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def is_word_document(data: bytes) -> bool:
    """Whether the compound document *data* names a ``WordDocument`` stream (a .doc, not a .xls)."""
    return _WORD_STREAM_NAME in data


def doc_text(data: bytes, name: str) -> str:
    """The text of the old Word document *data* (named *name* in errors)."""
    where = Location(file=name)
    try:
        import olefile
    except ImportError:
        raise ImportError('reading an old Word document (.doc) needs olefile, which is not installed: '
                          'pip install "fiscalrules[doc]"', name="olefile") from None
    try:
        if len(data) < olefile.MINIMAL_OLEFILE_SIZE:   # (olefile would take such bytes for a file name)
            raise Damaged(f"{len(data)} bytes, too few for a compound document")
        with olefile.OleFileIO(data) as ole:
            if not ole.exists(_WORD_STREAM):
                raise ReaderError(f"cannot read disclosure: {name} is an OLE2 file holding neither a workbook "
                                  "nor a Word document", where)
            word = stream(ole, _WORD_STREAM, len(data))
            fib = _Fib(word, name, where)
            if not ole.exists(fib.table_stream):
                raise Damaged(f"no {fib.table_stream} stream")
            table = stream(ole, fib.table_stream, len(data))
            data_stream = stream(ole, "Data", len(data)) if ole.exists("Data") else b""
            pool = _object_pool(ole, name, where, len(data))
        return _Text(word, table, data_stream, fib, pool, name).written()
    except ReaderError:
        raise
    except Exception as exc:  # noqa: BLE001 -- a damaged file fails in olefile or in our offsets alike
        why = str(exc) if isinstance(exc, Damaged) else f"{type(exc).__name__}: {exc}"
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Word document (.doc) ({why[:200]})",
                          where) from None


def _object_pool(ole, name: str, where: Location, file_size: int) -> dict[str, tuple[str, bytes]]:
    """The workbooks embedded as objects (``ObjectPool/_N``): storage name → (the stream holding
    the workbook -- ``Workbook`` or ``Book``, an old binary one; ``Package``, an .xlsx --, its bytes)."""
    pool: dict[str, tuple[str, bytes]] = {}
    for path in ole.listdir(streams=True, storages=False):
        if len(path) == 3 and path[0] == "ObjectPool" and path[2] in ("Workbook", "Book", "Package"):
            if len(pool) >= MAX_OBJECTS and path[1] not in pool:
                raise ReaderError(f"cannot read disclosure: {name} embeds more than {MAX_OBJECTS} objects", where)
            if path[1] not in pool or path[2] != "Book":   # (a storage holding both: its Workbook)
                pool[path[1]] = (path[2], stream(ole, path, file_size))
    return pool


class _Fib:
    """What the file information block at the head of the ``WordDocument`` stream says."""

    def __init__(self, word: bytes, name: str, where: Location):
        ident, version = struct.unpack_from("<HH", word, 0)
        if ident != _WORD_97 or version < _FIRST_NFIB_97:
            if ident in (_WORD_97, 0xA5DC):
                raise ReaderError(f"cannot read disclosure: {name} was saved by Word 95 or earlier: "
                                  "save it as .docx, PDF or text first", where)
            raise Damaged("no Word file information block")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & (_ENCRYPTED | _OBFUSCATED):
            raise ReaderError(f"cannot read disclosure: {name} is encrypted (password-protected): "
                              "save it without a password first", where)
        self.table_stream = "1Table" if flags & _TABLE_1 else "0Table"
        # FibBase (32 bytes), then three arrays each after its count: 16-bit, 32-bit, (fc, lcb) pairs
        shorts = struct.unpack_from("<H", word, 32)[0]
        longs_at = 34 + 2 * shorts
        longs = struct.unpack_from("<H", word, longs_at)[0]
        self.characters = struct.unpack_from("<i", word, longs_at + 2 + 4 * 3)[0]   # ccpText
        pairs_at = longs_at + 2 + 4 * longs
        pairs = struct.unpack_from("<H", word, pairs_at)[0]
        if self.characters < 0 or pairs <= _CLX:
            raise Damaged("file information block too short")

        def pair(index: int) -> tuple[int, int]:
            return struct.unpack_from("<II", word, pairs_at + 2 + 8 * index)

        self.clx = pair(_CLX)
        self.paragraph_pages = pair(_PAPX_PAGES)
        self.character_pages = pair(_CHPX_PAGES)
        self.style_sheet = pair(_STYLE_SHEET)
        self.lists, self.list_overrides = (pair(_LISTS), pair(_LIST_OVERRIDES)) if pairs > _LIST_OVERRIDES else ((0, 0),) * 2


class _Text:
    """The main text of one document, its pieces put in order and its paragraphs' properties found."""

    def __init__(self, word: bytes, table: bytes, data: bytes, fib: _Fib, pool: dict, name: str):
        self.pieces = _pieces(word, table, *fib.clx, fib.characters)   # (first character, fc, compressed, text)
        self.starts = [piece[0] for piece in self.pieces]
        self.runs = paragraph_runs(word, table, data, *fib.paragraph_pages)
        self.run_starts = [run[0] for run in self.runs]
        self.dropped, self.objects = character_runs(word, table, *fib.character_pages)
        self.object_starts = [run[0] for run in self.objects]
        self.pool, self.name = pool, name
        self.shown_objects: set[int] = set()
        try:
            self.numbering = doc_numbering(table, fib.lists, fib.list_overrides, fib.style_sheet)
        except (Damaged, struct.error, IndexError):   # (its text is still read, without the numbers Word would draw)
            self.numbering = Numbering()

    def _run_at(self, position: int, starts: list[int], runs: list[tuple]) -> tuple | None:
        """The one of *runs* (by fc: first, end, ...; *starts* their firsts) holding the character
        at *position*, or None."""
        index = bisect_right(self.starts, position) - 1
        first, fc, compressed, _ = self.pieces[index]
        offset = fc + (position - first) * (1 if compressed else 2)
        run = bisect_right(starts, offset) - 1
        return None if run < 0 or offset >= runs[run][1] else runs[run]

    def properties(self, position: int) -> Properties | None:
        """The properties of the paragraph whose mark is the character at *position*; None where
        the file's index has none (a damaged or missing one)."""
        run = self._run_at(position, self.run_starts, self.runs)
        return None if run is None else run[2]

    def object_rows(self, position: int) -> list[str] | None:
        """The rows of the workbook embedded as the object whose character is at *position*
        (``ObjectPool/_N``, :mod:`.embedded`), the first time it is met; else None."""
        run = self._run_at(position, self.object_starts, self.objects)
        if run is None:
            return None
        stored = run[2]
        if stored in self.shown_objects or f"_{stored}" not in self.pool:
            return None
        self.shown_objects.add(stored)
        stream, data = self.pool[f"_{stored}"]
        return pooled_workbook_lines(stream, data, f"{self.name} (ObjectPool/_{stored})")

    def _shown(self, text: str) -> str:
        """*text* with what Word does not show -- deleted with changes tracked, hidden -- put out
        of the way (each character a NUL, dropped as written; paragraph, cell and field marks kept:
        a deleted row or paragraph leaves an empty one), positions unchanged."""
        if not self.dropped:
            return text
        starts = [run[0] for run in self.dropped]
        cut: list[tuple[int, int]] = []
        for first, fc, compressed, piece in self.pieces:
            width = 1 if compressed else 2
            end = fc + len(piece) * width
            index = max(0, bisect_right(starts, fc) - 1)
            while index < len(self.dropped) and self.dropped[index][0] < end:
                low, high = max(self.dropped[index][0], fc), min(self.dropped[index][1], end)
                if low < high:
                    cut.append((first + (low - fc) // width, first + -(-(high - fc) // width)))
                index += 1
        if not cut:
            return text
        out, last = [], 0
        for start, stop in sorted(cut):
            start = max(start, last)
            if start < stop:
                out += (text[last:start], _MARKS.sub("\x00", text[start:stop]))
                last = stop
        out.append(text[last:])
        return "".join(out)

    def written(self) -> str:
        text = self._shown("".join(piece[3] for piece in self.pieces))
        writer = _Writer()
        fields: list[bool] = []   # per open field: showing its result yet (past its separator)
        hiding = 0                # open fields still in their instruction: nothing shown (counted:
        paragraph: list[str] = []  # a file of a million unclosed fields costs no more than its text)
        objects: list = []        # the rows of the workbooks embedded in the open paragraph
        last = 0
        for match in _CONTROL.finditer(text):
            if last < match.start() and not hiding:
                paragraph.append(text[last:match.start()])
            last = match.end()
            char = match.group()
            if char == "\x13":
                fields.append(False)
                hiding += 1
            elif char == "\x14":
                if fields and not fields[-1]:
                    fields[-1] = True
                    hiding -= 1
            elif char == "\x15":
                if fields and not fields.pop():
                    hiding -= 1
            elif char == "\x01" and not hiding and self.objects:   # (an embedded object: a workbook's rows after its paragraph)
                objects.append(self.object_rows(match.start()))
            elif char in "\r\x07":
                properties = self.properties(match.start())
                written = "".join(paragraph)
                if properties is not None:   # (a numbered paragraph is counted, empty or not)
                    label = self.numbering.numbered(properties.list_level, properties.style)
                    written = label + written if label and written.strip() else written
                writer.paragraph(written, char, properties)
                paragraph = []
                for rows in objects:
                    writer.block(rows or [])
                objects = []
            elif char == "\x0c":   # a page or section break
                writer.paragraph("".join(paragraph), char, None)
                paragraph = []
            elif hiding:
                continue
            elif char in "\x0b\x0e":   # a line or column break within the paragraph
                paragraph.append("\n")
            elif char == "\x1e":       # a non-breaking hyphen
                paragraph.append("-")
        if last < len(text) and not hiding:
            paragraph.append(text[last:])
        writer.paragraph("".join(paragraph), "\r", None)
        return _whole(writer.text())


def _pieces(word: bytes, table: bytes, at: int, size: int, characters: int) -> list[tuple[int, int, bool, str]]:
    """The main text's pieces in character order: (first character position, fc, 8-bit, text)."""
    clx, position = table[at:at + size], 0
    if len(clx) != size or not size:
        raise Damaged("no piece table")
    while clx[position] == 1:   # property modifiers of pieces edited in a quick save: not text
        position += 3 + struct.unpack_from("<h", clx, position + 1)[0]
    if clx[position] != 2:
        raise Damaged("no piece table")
    length = struct.unpack_from("<I", clx, position + 1)[0]
    plc = clx[position + 5:position + 5 + length]
    count = (length - 4) // 12
    if len(plc) != length or count < 1:
        raise Damaged("piece table cut short")
    bounds = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces = []
    for index in range(count):
        first, end = bounds[index], min(bounds[index + 1], characters)
        if first >= characters:
            break
        if end < first:
            raise Damaged("pieces out of order")
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * index + 2)[0]
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        pieces.append((first, fc // 2 if compressed else fc, compressed, end - first))
    if not pieces or pieces[0][0] != 0:
        raise Damaged("no text")
    return [(first, fc, compressed, _piece_text(word, fc, compressed, count))
            for first, fc, compressed, count in pieces]


def _piece_text(word: bytes, fc: int, compressed: bool, count: int) -> str:
    """A piece's characters, one a character position (a character beyond 16 bits stays two
    surrogates here, as the file counts it: :func:`_whole` joins them)."""
    raw = word[fc:fc + (count if compressed else 2 * count)]
    if len(raw) != (count if compressed else 2 * count):
        raise Damaged("text beyond the stream")
    if compressed:
        return raw.decode("cp1252", "replace")
    units = array("H", raw)
    if sys.byteorder == "big":
        units.byteswap()
    return "".join(map(chr, units))


def _whole(text: str) -> str:
    """*text* with each pair of surrogates one character again (a lone one replaced)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class _Writer:
    """The lines of the text: paragraphs as they come, a table's rows when the table ends (its
    columns known then)."""

    def __init__(self):
        self.lines: list[str] = []
        self.rows: list[tuple[list[str], tuple[int, ...]]] = []   # (cells, cell edges) of the open table
        self.cells: list[str] = []    # of the open row
        self.cell: list[str] = []     # paragraphs of the open cell
        self.guessed_cell_end = False  # (without properties: the last paragraph ended a cell)
        self.after_table: list[str] = []   # (lines written when the open table ends: block)

    def paragraph(self, text: str, mark: str, properties: Properties | None) -> None:
        if properties is not None and properties.nested:   # (inside a table inside a cell: the cell's text)
            self.cell.append(text)
            return
        known = properties is not None
        properties = properties or PLAIN
        in_row = bool(self.cells or self.cell)
        if properties.in_table or (not known and mark == "\x07") or (mark == "\x0c" and in_row):
            if mark != "\x07":   # a paragraph (or a break) within a cell
                self.cell.append(text)
            elif properties.row_end or (not known and self.guessed_cell_end and not text and not self.cell):
                self._end_row(properties)
            else:
                self.cell.append(text)
                self.cells.append(" ".join(" ".join(self.cell).split()))
                self.cell = []
            self.guessed_cell_end = not known and mark == "\x07" and bool(self.cells)
            return
        self._end_table()
        for line in text.split("\n"):
            if line.strip():   # (its leading blanks kept: a table laid out with spaces)
                self.lines += (line.rstrip(" "), "")
        if mark == "\x0c":
            self.lines.append("\f")

    def block(self, rows: list[str]) -> None:
        """Lines of their own after the paragraph just written (an embedded workbook's rows) --
        after its table, for a paragraph in a table's cell (the table's rows are not cut)."""
        if rows:
            self.after_table += [*rows, ""]
            if not (self.rows or self.cells or self.cell):
                self._end_table()

    def _end_row(self, properties: Properties) -> None:
        if self.cell:
            self.cells.append(" ".join(" ".join(self.cell).split()))
        cells = [("" if merged else text) for text, merged in
                 zip(self.cells, properties.merged + (False,) * (len(self.cells) - len(properties.merged)))]
        self.rows.append((cells, properties.edges))
        self.cells, self.cell = [], []

    def _end_table(self) -> None:
        if self.cells or self.cell:
            self._end_row(PLAIN)
        if self.rows:
            self.lines += row_lines(self.rows)
            self.rows = []
        self.lines += self.after_table
        self.after_table = []

    def text(self) -> str:
        self._end_table()
        return "\n".join(self.lines) + "\n"


