"""The error hierarchy: one base class, one subclass per phase.

Every error fiscalrules raises on purpose derives from :class:`FiscalRulesError` and carries a
:class:`Location` (file, line, column, and the source line for a caret excerpt) where one is known.
Phases:

* :class:`RuleSyntaxError` -- the parser could not read rule text;
* :class:`RuleCheckError`  -- the static checker found problems (all of them, in ``diagnostics``);
* :class:`RecordError`     -- a record is malformed (the location is a path inside the record);
* :class:`ReaderError`     -- a disclosure document could not be read;
* :class:`RulesetNotFound` -- a bundled ruleset or rule file does not exist.

Evaluation never raises: problems while evaluating a rule become findings with status ``error``
or ``not evaluable`` (see :mod:`fiscalrules.findings`).
"""

from __future__ import annotations

import re
import unicodedata

from .nodebase import Frozen, setfield

__all__ = [
    "Location",
    "Diagnostic",
    "FiscalRulesError",
    "RuleSyntaxError",
    "RuleCheckError",
    "RecordError",
    "ReaderError",
    "RulesetNotFound",
    "caret_excerpt",
    "clipped",
    "shown",
    "terminal_text",
]


class _CharWidths(dict[str, int]):
    """Terminal columns of each character met so far, worked out on first sight: the table
    reporters measure every cell they draw, and asking unicodedata twice per character was
    half of drawing a report."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTH = _CharWidths().__getitem__


def display_width(text: str) -> int:
    """Terminal columns taken by *text*: wide (CJK) characters take two, combining marks none."""
    if text.isascii():   # one column each: no ASCII character is wide or combining
        return len(text)
    return sum(map(_CHAR_WIDTH, text))


# Characters a terminal acts on rather than shows -- C0 and C1 controls (ESC starts the escape
# sequences that clear a screen, set colours or a window title), DEL, the bidirectional overrides
# and isolates that reorder what is shown, the line and paragraph separators -- written as
# escapes wherever text from the input reaches a terminal.
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TERMINAL_CONTROLS_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Characters a document written for other programs (an HTML page, a CSV file) does not allow in
# text or that a reader would act on -- C0 controls but tab, line feed, form feed and carriage
# return; DEL, C1; the bidirectional overrides and isolates: written as their escapes there (the
# tab and line breaks are the text's own).
_DOCUMENT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def terminal_text(text: str, *, newlines: bool = False) -> str:
    """*text* safe to show on a terminal: each control character as its escape, as a repr writes
    it (``\\x1b[2J`` shows, never clears the screen; ``\\u202e`` never reverses a line), every
    other character (CJK, wide, combining) as it is.  Line breaks are kept unless *newlines*
    (a record id or file name on a line of its own: one line, never a forged second)."""
    if text.isascii() and text.isprintable():
        return text
    return (_TERMINAL_CONTROLS if newlines else _TERMINAL_CONTROLS_BUT_NEWLINE).sub(_escape, text)


# Characters that would break the excerpt's one line on a terminal (line and paragraph separators,
# NEL, control characters) are shown as U+FFFD, one for one, so the caret stays aligned.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
EXCERPT_WIDTH = 60   # characters shown either side of the column in a long line


def caret_excerpt(source_line: str, column: int, length: int = 1) -> str:
    """Return ``source_line`` with a caret line under *column* (1-based), aligned for CJK text.
    A long line (a one-line JSON file of megabytes) is cut to the part around the column."""
    line = _UNPRINTABLE.sub("\ufffd", source_line.rstrip("\n").expandtabs(4))
    start = max(column - 1, 0)
    end = start + max(length, 1)
    lead = trail = ""
    if len(line) > 3 * EXCERPT_WIDTH:
        first, last = max(start - EXCERPT_WIDTH, 0), min(end + EXCERPT_WIDTH, len(line))
        lead, trail = ("…" if first > 0 else ""), ("…" if last < len(line) else "")
        line, start, end = line[first:last], start - first, end - first
        start, end = min(start, len(line)), min(end, len(line))
    prefix = lead + line[:start]
    carets = "^" * max(display_width(line[start:end]), 1)
    return f"{lead}{line}{trail}\n{' ' * display_width(prefix)}{carets}"


# A value quoted from the input in a message is cut to about this many characters: a record's
# cell of megabytes (digits, text, a key) would otherwise be printed whole, in every message and
# every output format naming it.
QUOTE_WIDTH = 60


def clipped(text: str, width: int = QUOTE_WIDTH) -> str:
    """*text* as a message shows it: whole when short, else its start and end around an ellipsis."""
    if len(text) <= width:
        return text
    return text[:width - 11] + "…" + text[-10:]


def shown(value: object, width: int = QUOTE_WIDTH) -> str:
    """A bad value from the input as an error quotes it: its repr (a Decimal's text), clipped."""
    if type(value).__name__ == "Decimal":   # its text is linear in its digits; never "f" (1E+999999999)
        text = str(value)
    else:
        try:
            text = repr(value)
        except ValueError:  # an int past Python's limit on digits converted to text
            text = f"<a {type(value).__name__} too long to show>"
    return clipped(text, width)


class Location(Frozen):
    """Where something is: a file (or record path), a 1-based line and column, and the line's text."""

    file: str | None
    line: int | None
    column: int | None
    source_line: str | None
    length: int
    __slots__ = _fields = ("file", "line", "column", "source_line", "length")

    def __init__(self, file: str | None = None, line: int | None = None, column: int | None = None,
                 source_line: str | None = None, length: int = 1) -> None:
        setfield(self, "file", file)
        setfield(self, "line", line)
        setfield(self, "column", column)
        setfield(self, "source_line", source_line)
        setfield(self, "length", length)

    def __str__(self) -> str:
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def excerpt(self) -> str:
        """The source line with a caret line under the place (empty without a line or column)."""
        if self.source_line is None or self.column is None:
            return ""
        return caret_excerpt(self.source_line, self.column, self.length)


_NOWHERE = Location()


class Diagnostic(Frozen):
    """One problem found by the parser or checker: a stable code, a message, where, and a hint."""

    code: str
    message: str
    location: Location
    hint: str | None
    severity: str
    __slots__ = _fields = ("code", "message", "location", "hint", "severity")

    def __init__(self, code: str, message: str, location: Location = _NOWHERE, hint: str | None = None,
                 severity: str = "error") -> None:
        setfield(self, "code", code)
        setfield(self, "message", message)
        setfield(self, "location", location)
        setfield(self, "hint", hint)
        setfield(self, "severity", severity)

    def format(self, lang: str | None = None) -> str:
        """``file:line:col: error CODE: message (hint)`` and a caret excerpt.  With ``lang="zh"``
        the message and hint are in Chinese (``错误 E201：未知字段 …（是不是 …？）``); a message
        the catalog does not know yet keeps its English after the code's Chinese title."""
        if lang == "zh":
            from .messages import diagnostic_title  # messages imports nothing from here
            from .translations import to_zh
            message = to_zh(self.message)
            if message == self.message and diagnostic_title(self.code, "zh"):
                message = f"{diagnostic_title(self.code, 'zh')}：{message}"
            severity = {"error": "错误", "warning": "警告", "info": "提示"}.get(self.severity, self.severity)
            text = f"{self.location}: {severity} {self.code}：{message}"
            if self.hint:
                text += f"（{to_zh(self.hint)}）"
        else:
            text = f"{self.location}: {self.severity} {self.code}: {self.message}"
            if self.hint:
                text += f" ({self.hint})"
        excerpt = self.location.excerpt()
        if excerpt:
            text += "\n" + _indent(excerpt)
        return text


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


class FiscalRulesError(Exception):
    """Base class of every error fiscalrules raises on purpose."""

    code = "FR000"

    def __init__(self, message: str, location: Location | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        if code is not None:
            self.code = code

    @property
    def file(self) -> str | None:
        """The file (or record) of the error, when known."""
        return self.location.file

    @property
    def line(self) -> int | None:
        """The 1-based line, when known."""
        return self.location.line

    @property
    def column(self) -> int | None:
        """The 1-based column, when known."""
        return self.location.column

    def format(self, lang: str | None = None) -> str:
        """A multi-line human message: ``file:line:col: CODE: message`` plus a caret excerpt;
        the message in Chinese with ``lang="zh"``."""
        message = self.message
        if lang == "zh":
            from .translations import to_zh
            message = to_zh(message)
        text = f"{self.location}: {self.code}: {message}"
        excerpt = self.location.excerpt()
        if excerpt:
            text += "\n" + _indent(excerpt)
        return text

    def __str__(self) -> str:
        return self.format()


class RuleSyntaxError(FiscalRulesError):
    """Rule text that the grammar cannot read."""

    code = "E100"

    def __init__(self, message: str, location: Location | None = None, *, code: str | None = None,
                 hint: str | None = None):
        super().__init__(message, location, code=code)
        self.hint = hint

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The error as a one-item list of diagnostics (as ``lint`` reports it)."""
        return [Diagnostic(self.code, self.message, self.location, self.hint)]

    def format(self, lang: str | None = None) -> str:
        """``file:line:col: error CODE: message (hint)`` and the caret excerpt; Chinese with ``lang="zh"``."""
        return self.diagnostics[0].format(lang)


class RuleCheckError(FiscalRulesError):
    """The static checker's verdict: every problem found, each a :class:`Diagnostic`."""

    code = "E200"

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else Diagnostic(self.code, "check failed")
        count = len(self.diagnostics)
        summary = first.message if count == 1 else f"{count} problems, first: {first.message}"
        super().__init__(summary, first.location, code=first.code)

    def format(self, lang: str | None = None) -> str:
        """Every diagnostic, one after the other; Chinese with ``lang="zh"``."""
        return "\n".join(d.format(lang) for d in self.diagnostics)


class RecordError(FiscalRulesError):
    """A malformed record; ``location.file`` names the record and ``path`` the place inside it."""

    code = "E300"

    def __init__(self, message: str, path: str = "", location: Location | None = None,
                 *, code: str | None = None):
        self.path = path
        self.read_from: str | None = None   # the record file, where location.file names an element of it
        where = f" at {clipped(path, 2 * QUOTE_WIDTH)}" if path else ""   # a key may be any length
        super().__init__(f"{message}{where}", location, code=code)


class ReaderError(FiscalRulesError):
    """A disclosure document that cannot be read (missing, binary, empty, not the template)."""

    code = "E400"


class RulesetNotFound(FiscalRulesError):
    """A rule file or bundled ruleset name that does not exist."""

    code = "E500"
