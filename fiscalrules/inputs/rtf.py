"""Rich Text Format (.rtf) → text: a disclosure saved as RTF, or exported as it by a budget system.

Word saves RTF, WPS does, and many systems export their "Word" documents as RTF -- often under
a ``.doc`` name (the first bytes, ``{\\rtf``, tell it, whatever the file is called).
:func:`rtf_text` writes the document out as the text the readers already read, as :mod:`.docx`
does a Word document: each paragraph a line and a blank one (a tab kept, a line break a new line,
a page break a new page), each table row a line of its cells joined by tabs -- a cell as wide as
several of the table's columns (its right edge, ``\\cellx``, past theirs) followed by as many
empty cells, so that a two-line header reads over the columns of the rows below it; a cell's
paragraphs, tabs and a table inside it a space apart.

What the document shows, as Word shows it: the text of the body and of text boxes drawn with it;
not the font, colour and style tables, pictures, embedded objects' data, headers, footers,
footnotes, a field's instructions (its result is read), hidden text (``\\v``), text deleted with
changes tracked, nor any group Word marks as ignorable (``{\\*\\...}``).  A list's number is the
text Word writes for older readers (``\\listtext``: "一、").  Characters are Unicode (``\\uN``,
its fallback skipped) or bytes in the font's character set or the document's code page (GBK for
``\\ansicpg936`` or a font with ``\\fcharset134``).

Only the standard library; one pass over the file, groups kept on a stack (no recursion), the
text written out bounded as a web page's is.
"""

from __future__ import annotations

import codecs
import re
from ..errors import Location, ReaderError
from .cellgrid import row_lines

__all__ = ["rtf_text", "is_rtf"]

# A control word (letters, an optional signed number, the space ending it), a byte in hex, a
# control symbol, a group's braces, or a run of text (line ends in the file are not text).
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|[\r\n]+"
                    rb"|([^\\{}\r\n]+)|(\\)")

# Destinations whose text Word does not show in the body (read as nothing, their groups skipped).
_HIDDEN_DESTINATIONS = frozenset(
    b"fonttbl colortbl stylesheet info pict object objdata header headerl headerr headerf footer footerl "
    b"footerr footerf footnote annotation fldinst xe tc txe rxe themedata colorschememapping latentstyles "
    b"listtable listoverridetable revtbl rsidtbl generator filetbl docvar userprops xmlnstbl pgdsctbl "
    b"datastore datafield mmathPr private author operator title subject keywords comment doccomm "
    b"nonshppict".split())

# What a control word writes.
_WRITES = {b"tab": "\t", b"emdash": "\u2014", b"endash": "\u2013", b"emspace": " ", b"enspace": " ",
           b"qmspace": " ", b"bullet": "\u2022", b"lquote": "\u2018", b"rquote": "\u2019",
           b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"zwj": "", b"zwnj": "", b"zwbo": "", b"zwnbo": ""}
_SYMBOLS = {b"~": "\xa0", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\t": "\t"}

# A font's character set (\fcharsetN) → the code page its bytes are in (None: the document's).
_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "gb18030", 136: "cp950",
             161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257",
             204: "cp1251", 222: "cp874", 238: "cp1250", 254: "cp437", 255: "cp850"}


def is_rtf(head: bytes) -> bool:
    """Whether a file's first bytes are an RTF document's."""
    return head.lstrip(b" \t\r\n\xef\xbb\xbf")[:5] == b"{\\rtf"


class _State:
    """What a group sets and its inner groups inherit (copied when one of them changes it)."""

    __slots__ = ("skip", "codec", "unicode_skip", "hidden", "in_table", "font_table")

    def __init__(self):
        self.skip = False          # a destination not shown: nothing in the group is text
        self.codec = None          # the current font's code page (None: the document's)
        self.unicode_skip = 1      # \ucN: the fallback characters after each \uN
        self.hidden = False        # \v hidden text, \deleted text
        self.in_table = False      # \intbl: the paragraph is in a table's cell
        self.font_table = False    # inside \fonttbl: \fN \fcharsetN name the fonts' code pages

    def copy(self) -> _State:
        state = _State.__new__(_State)
        for name in _State.__slots__:
            setattr(state, name, getattr(self, name))
        return state


class _Writer:
    """The document's lines as the parser meets paragraphs, cells and rows."""

    def __init__(self, limit: int):
        self.lines: list[str] = []
        self.text: list[str] = []          # the paragraph (or cell) being read
        self.cells: list[str] = []         # the row being read
        self.rows: list[tuple] = []        # the table being read: (cells, the row's left edge and theirs)
        self.edges: list[int] = []         # the row definition's cell edges (\cellx), in order
        self.left = 0                      # the row's left edge (\trleft)
        self.limit, self.size = limit, 0

    def add(self, line: str) -> None:
        self.size += len(line) + 1
        if self.size > self.limit:
            raise _TooLarge
        self.lines.append(line)

    def paragraph(self) -> None:
        """The end of a paragraph outside a table (a table before it ends there)."""
        self.table()
        for line in _text(self.text).split("\n"):
            if line == "\f":
                self.add("\f")
            elif line.strip():   # (its leading blanks kept: a table laid out with spaces)
                self.add(line.rstrip(" "))
                self.add("")
        self.text = []

    def cell(self) -> None:
        self.cells.append(" ".join(_text(self.text).replace("\f", " ").split()))
        self.text = []

    def row(self) -> None:
        if self.text and _text(self.text).strip():   # (text after the last cell: a cell of its own)
            self.cell()
        self.text = []
        self.rows.append((self.cells, [self.left, *self.edges]))
        self.cells = []

    def table(self) -> None:
        if not self.rows:
            return
        for line in row_lines(self.rows):
            self.add(line)
        self.rows = []


class _TooLarge(Exception):
    pass


_SURROGATE = re.compile(r"[\ud800-\udfff]")   # (escapes: a lone surrogate is no text a cache could write)


def _text(pieces: list[str]) -> str:
    text = "".join(pieces)
    if _SURROGATE.search(text):   # (a character beyond the BMP: two \uN)
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def rtf_text(data: bytes, name: str) -> str:
    """The text of the RTF document *data* (named *name* in errors): a line per paragraph, a
    tab-separated line per table row."""
    where = Location(file=name)
    if not is_rtf(data[:64]):
        raise ReaderError(f"cannot read disclosure: {name} is not an RTF document", where)
    writer = _Writer(4 * len(data) + 1_000_000)
    try:
        _read(data, writer)
    except _TooLarge:
        raise ReaderError(f"cannot read disclosure: {name}: the document written out as text is over "
                          f"{writer.limit:,} characters, more than four times its size", where) from None
    return "\n".join(writer.lines) + "\n"


def _read(data: bytes, writer: _Writer) -> None:
    state, stack = _State(), []
    document_codec, fonts = "cp1252", {}
    font = None                      # (in the font table: the font being named)
    pending = bytearray()            # bytes of text not yet decoded (a GBK character is two \'hh)
    group_start = False              # the token before was "{": a destination's word may follow
    to_skip = 0                      # fallback characters of a \uN still to skip
    position, end = 0, len(data)

    def flush() -> None:
        if pending:
            writer.text.append(bytes(pending).decode(state.codec or document_codec, "replace"))
            pending.clear()

    while position < end:
        token = _TOKEN.match(data, position)
        position = token.end()
        word, parameter, hexed, symbol, brace, run, _ = token.groups()
        starting, group_start = group_start, False
        if brace is not None:
            flush()
            to_skip = 0
            if brace == b"{":
                stack.append(state)
                group_start = True
            elif stack:
                state = stack.pop()
            continue
        if run is not None or hexed is not None:
            if state.skip or state.hidden:
                continue
            raw = bytes.fromhex(hexed.decode()) if hexed is not None else run
            if to_skip:
                dropped = min(to_skip, len(raw))
                to_skip -= dropped
                raw = raw[dropped:]
            pending += raw
            continue
        if symbol is not None:
            if symbol == b"*" and starting:   # an ignorable destination: skipped whole
                state = state.copy()
                state.skip = True
                continue
            if not state.skip and not state.hidden and symbol in _SYMBOLS:
                flush()
                if to_skip:
                    to_skip -= 1
                else:
                    writer.text.append(_SYMBOLS[symbol])
            continue
        if word is None:
            continue
        value = int(parameter) if parameter is not None else None
        if word == b"bin":   # binary data: its bytes are no tokens
            position = min(end, position + max(0, value or 0))
            continue
        if state.font_table:
            if word == b"f" and value is not None:
                font = value
            elif word == b"fcharset" and font is not None and value in _CHARSETS:
                fonts[font] = _CHARSETS[value]
            continue
        if starting and word in _HIDDEN_DESTINATIONS:
            state = state.copy()
            state.skip = True
            state.font_table = word == b"fonttbl"
            continue
        if state.skip:
            continue
        if word == b"u" and value is not None:
            flush()
            if not state.hidden:
                writer.text.append(chr(value % 65536))
            to_skip = state.unicode_skip
            continue
        flush()
        to_skip = 0
        if word in _WRITES:
            if not state.hidden:
                writer.text.append(_WRITES[word])
        elif word == b"par" or word == b"sect":
            if state.in_table:
                writer.text.append(" ")
            else:
                writer.paragraph()
        elif word == b"line":
            writer.text.append("" if state.in_table else "\n")
        elif word == b"page":
            if not state.in_table:
                writer.paragraph()
                writer.add("\f")
        elif word == b"cell":
            writer.cell()
        elif word == b"row":
            writer.row()
        elif word in (b"nestcell", b"nestrow"):   # (a table inside a cell: its text is the cell's)
            writer.text.append(" ")
        elif word == b"trowd":
            writer.edges, writer.left = [], 0
        elif word == b"trleft" and value is not None:
            writer.left = value
        elif word == b"cellx" and value is not None:
            writer.edges.append(value)
        else:
            state = _set(state, word, value, fonts)
            if word == b"ansicpg" and value is not None:
                document_codec = _codec(f"cp{value}") or document_codec
            elif word in (b"mac", b"pc", b"pca"):
                document_codec = {b"mac": "mac_roman", b"pc": "cp437", b"pca": "cp850"}[word]
    flush()
    writer.cells and writer.row()
    writer.paragraph()


def _set(state: _State, word: bytes, value, fonts: dict) -> _State:
    """The state after a control word that sets a character or paragraph property (the same
    state, not copied, where the word sets nothing read here)."""
    if word == b"f":
        change = ("codec", fonts.get(value))
    elif word == b"uc" and value is not None:
        change = ("unicode_skip", max(0, min(value, 8)))
    elif word in (b"v", b"deleted"):
        change = ("hidden", value != 0)
    elif word == b"plain":
        change = ("hidden", False)
    elif word == b"intbl":
        change = ("in_table", True)
    elif word == b"itap" and value is not None:
        change = ("in_table", value > 0)
    elif word == b"pard":
        change = ("in_table", False)
    else:
        return state
    name, new = change
    if getattr(state, name) == new:
        return state
    state = state.copy()
    setattr(state, name, new)
    return state


def _codec(name: str) -> str | None:
    """*name* as a codec Python has (GBK read as its superset GB18030), or None."""
    if name in ("cp936", "cp54936"):
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
