"""Getting the document's text: paths versus literal text, decoding, and refusing unreadable input.

This module owns everything that happens before the text is looked at as a disclosure: deciding
whether ``source`` is a path or the text itself, reading the bytes (through :mod:`.bounded`),
rejecting binary content and undecodable bytes, and naming the document. Every refusal is a :class:`ReaderError` whose
location names the file.
"""

from __future__ import annotations

import os
import re

from ..errors import Location, ReaderError
from .bounded import MAX_DOCUMENT_BYTES, InputRefused, describe_size, read_bounded
from .pathnames import path_name, path_text

__all__ = ["SourceText", "load_source", "read_file", "text_of_file", "is_own_report", "refuse_own_report",
           "marked_utf16", "gb18030_hint"]

# A literal text is told apart from a path by having a line break, or by being too long to be one.
_MAX_PATH_LENGTH = 1024


class SourceText:
    """The decoded text of one document and the name used for it in records and errors."""

    __slots__ = ("text", "name", "path")

    def __init__(self, text: str, name: str, path: str | None):
        self.text = without_invisible(text)
        self.name = name
        self.path = path


def load_source(source: str | os.PathLike | bytes, name: str | None = None) -> SourceText:
    """Return the text and name of *source* (a path, the text itself, or raw bytes)."""
    if isinstance(source, (bytes, bytearray)):
        label = name or "<bytes>"
        _reject_oversized(len(source), label)
        return SourceText(_decode(bytes(source), label), label, None)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source, name)):
        path = path_text(source)   # str(Path(source)), without importing pathlib
        return text_of_file(path, read_file(path, MAX_DOCUMENT_BYTES), name)
    if isinstance(source, str):
        label = name or "<text>"
        _reject_empty(source, label)
        _reject_oversized(len(source.encode("utf-8", "surrogatepass")) if len(source) * 4 > MAX_DOCUMENT_BYTES
                          else 0, label)
        return SourceText(source, label, None)
    raise ReaderError(f"cannot read disclosure from a {type(source).__name__}; "
                      "give a path, the text, or bytes", Location(file=name))


# Unicode format characters (category Cf): zero-width space / joiners, soft hyphen, word joiner,
# byte-order mark, bidirectional marks and the like.  They print as nothing, but inside "万元" or
# "329.94" they hide the unit or split the number, and a disclosure's failures silently vanish.
_INVISIBLE = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                        "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                        "\U000e0020-\U000e007f]")


def read_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a document file, through the bounded reader; refusals name the file."""
    if os.path.isdir(path):
        raise ReaderError(f"cannot read disclosure: {path} is a directory, not a file (fiscalrules audit reads the documents "
                          "in it, as fiscalrules.readers.read_all does)", Location(file=str(path)))
    try:
        return read_bounded(path, limit, what="disclosure")
    except InputRefused as exc:
        reason = f"cannot read disclosure: {path} does not exist" if exc.missing else exc.reason
        raise ReaderError(reason, Location(file=str(path))) from None


def text_of_file(path: str | os.PathLike, data: bytes, name: str | None = None) -> SourceText:
    """The text of a document file already read (*data*), named *name* or by the file."""
    path = path_text(path)
    _reject_oversized(len(data), path)
    return SourceText(_decode(data, path), name or path_name(path), path)


# A report fiscalrules wrote, which the readers would take for an input (a text or web page
# report quotes a disclosure; a JSON, JSON Lines or CSV one is read as records), told by how it
# begins: the text form by a record's header, "== 名称 (路径)", then a verdict or a section line;
# the web page by naming fiscalrules its generator; JSON by its first key, JSON Lines by a
# finding's first three, CSV by its header row (reporters.py writes each so).
_TEXT_REPORT = re.compile(r"\A\ufeff?== [^\n]+\n(?:✗ |! |没有发现问题|no problems found|无法读取|cannot read|-- )")
_PAGE_REPORT = b'<meta name="generator" content="fiscalrules'
_DATA_REPORT = re.compile(rb'\A(?:\xef\xbb\xbf)?(?:\{\n  "ruleset": '
                          rb'|\{"record": "(?:[^"\\\n]|\\.)*", "document": (?:null|"(?:[^"\\\n]|\\.)*"), "rule": "'
                          rb'|record,rule,item,severity,status,message,left,right,difference,tolerance,unit,missing,)')
REPORT_SNIFF = 4096   # (bytes of a file's beginning that tell)


def is_own_report(head: bytes) -> bool:
    """Whether the file beginning with *head* (its first :data:`REPORT_SNIFF` bytes) is a report
    fiscalrules wrote -- an earlier run's, left in the folder of the inputs it checked."""
    if _PAGE_REPORT in head or _DATA_REPORT.match(head):
        return True
    return head.startswith((b"== ", b"\xef\xbb\xbf== ")) and \
        _TEXT_REPORT.match(head.decode("utf-8", "replace")) is not None


def refuse_own_report(data: bytes, label: str) -> None:
    """A ReaderError when *data* is a report fiscalrules wrote, named as a disclosure to read."""
    if is_own_report(data[:REPORT_SNIFF]):
        raise ReaderError(f"{label} is a report fiscalrules wrote, not a disclosure", Location(file=label))


def marked_utf16(data: bytes) -> str | None:
    """The text of a file saved as UTF-16 with its byte-order mark (Windows Notepad's "Unicode"),
    which no UTF-8 text begins as; None for any other file.  UnicodeDecodeError where it is cut
    or damaged past its mark.  (For rule and record files; a document's text: :func:`_decode`.)"""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return None


def gb18030_hint(data: bytes) -> str | None:
    """What to do with a file that is not UTF-8 but reads as GB18030 with Chinese in it (GBK:
    Chinese Windows' "ANSI", as Notepad saves it): said, never guessed for a rule or record file."""
    import codecs
    try:   # (its first 64 KiB tell, a character cut at their end left for later: a big file costs no more)
        text = codecs.getincrementaldecoder("gb18030")().decode(data[:65536], final=len(data) <= 65536)
    except UnicodeDecodeError:
        return None
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return None
    return "it reads as GB18030 (GBK, Windows' ANSI for Chinese): save it as UTF-8"


def without_invisible(text: str) -> str:
    """The text without format characters (see _INVISIBLE); line breaks are untouched, so line
    numbers stay the file's."""
    return text if text.isascii() else _INVISIBLE.sub("", text)


def _looks_like_path(source: str, name: str | None) -> bool:
    """A string is a path unless it has a line break, is too long for one, or comes with a
    *name* (which is how callers pass literal text) and names no existing file."""
    if "\n" in source or len(source) > _MAX_PATH_LENGTH:
        return False
    return name is None or os.path.exists(source)


def _decode(data: bytes, label: str) -> str:
    where = Location(file=label)
    if not data.strip():
        raise ReaderError(f"{label} is empty", where)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked_text(data.decode("utf-16"), label)
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{label} is not valid UTF-16 text: {exc.reason}", where) from exc
    # (PDFs, Office zips and OLE2 files -- .xls, .doc -- are open_document's: here they are data)
    if b"\x00" in data or data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ReaderError(f"{label} is a binary file, not text (extract the text first)", where)
    # A byte-order mark is dropped before decoding plain UTF-8 (the same text as utf-8-sig, whose
    # codec module would otherwise be imported, half a million instructions, for every read); an
    # error's byte offset then counts the mark again, so that it names the byte in the file.
    mark = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return _checked_text((data[mark:] if mark else data).decode("utf-8"), label)
    except UnicodeDecodeError as exc:
        # Chinese documents are sometimes saved as GB18030/GBK. Accept that only when the decoded
        # text plainly is Chinese budget prose; otherwise report the UTF-8 problem.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if "预算" in text and "财政" in text:
            return _checked_text(text, label)
        offset = exc.start + mark
        line = data[:offset].count(b"\n") + 1
        raise ReaderError(f"{label} is not valid UTF-8 text (byte {offset}: {exc.reason})",
                          Location(file=label, line=line)) from exc


# The control characters a text document has no business holding (all below 32 but tab, line
# feed, vertical tab, form feed and carriage return): counted in one pass of the regex engine
# rather than a Python loop over every character of the document.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _checked_text(text: str, label: str) -> str:
    _reject_empty(text, label)
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise ReaderError(f"{label} looks like a binary file ({controls} control characters)",
                          Location(file=label))
    return text


def _reject_oversized(size: int, label: str) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise ReaderError(f"disclosure too large: {label} is larger than {describe_size(MAX_DOCUMENT_BYTES)}, "
                          "the most a disclosure may be", Location(file=label))


def _reject_empty(text: str, label: str) -> None:
    if not text.strip():
        raise ReaderError(f"{label} is empty", Location(file=label))
