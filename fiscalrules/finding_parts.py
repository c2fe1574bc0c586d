"""The written-out value classes a report is made of besides its findings: :class:`Side` (one
side of a finding's comparison), :class:`Operand` (a figure a finding involved) and
:class:`RecordInfo` (what a report knows of a record besides its findings), with :func:`plain`,
the JSON form of a value, and how a figure is named to people (:func:`figure_name`,
:func:`cell_context`, :func:`where`, :func:`row_code`).

They derive from :mod:`fiscalrules.nodebase`'s value-class bases rather than being attrs classes
(see that module: no class made at every start).  :mod:`fiscalrules.findings` re-exports both, and is where
they are documented to be found; they live here to keep that module within the size the project
allows.  This module imports only :mod:`fiscalrules.nodebase`.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

from .errors import clipped
from .nodebase import NEW_LIST, ComparedByFields, Frozen, Slotted, fields_dict, setfield

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any
    from .records import Source

__all__ = ["Side", "Operand", "RecordInfo", "figure_name", "cell_context", "where", "row_code", "printed_at"]

# NEW_LIST typed as any list (it is a list[object]: a list[str] parameter would not take it as its default).
_NEW_LIST: Any = NEW_LIST


class Side(Frozen):
    """One side of a comparison: the value (point), the interval it stands for, and its unit."""

    value: object
    lo: Decimal | None
    hi: Decimal | None
    unit: str | None
    expression: str
    __slots__ = _fields = ("value", "lo", "hi", "unit", "expression")

    def __init__(self, value: object, lo: Decimal | None = None, hi: Decimal | None = None, unit: str | None = None,
                 expression: str = "") -> None:
        setfield(self, "value", value)
        setfield(self, "lo", lo)
        setfield(self, "hi", hi)
        setfield(self, "unit", unit)
        setfield(self, "expression", expression)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: decimals as strings."""
        data: dict[str, Any] = {"value": plain(self.value), "expression": self.expression}
        if self.lo is not None:
            data.update(lo=plain(self.lo), hi=plain(self.hi))
        if self.unit:
            data["unit"] = self.unit
        return data


class RecordInfo(Slotted):
    """What a report knows of a record besides its findings: its document and unread parts.
    ``error`` is set when the record could not be read at all; ``unknown_keys`` are figures no
    declared field names, ``label_keys`` those of them that are declared labels; ``figure_count``
    the figures and tables the record holds; ``coverage`` the _meta.coverage of a record a reader
    made (see docs/readers.md); ``file`` the file an unreadable record was read from, where known;
    ``part`` the _meta.part of a record read from a file holding several disclosures (its number,
    their count and its lines: readers/parts.py)."""

    id: str
    document: str | None
    unread: list[dict[str, Any]]
    error: str | None
    unknown_keys: list[str]
    label_keys: list[str]
    figure_count: int | None
    coverage: dict[str, Any] | None
    file: str | None
    part: dict[str, Any] | None
    __slots__ = _fields = ("id", "document", "unread", "error", "unknown_keys", "label_keys", "figure_count",
                           "coverage", "file", "part")

    def __init__(self, id: str, document: str | None = None, unread: list[dict[str, Any]] = _NEW_LIST,
                 error: str | None = None, unknown_keys: list[str] = _NEW_LIST, label_keys: list[str] = _NEW_LIST,
                 figure_count: int | None = None, coverage: dict[str, Any] | None = None,
                 file: str | None = None, part: dict[str, Any] | None = None) -> None:
        self.id = id
        self.document = document
        self.unread = [] if unread is NEW_LIST else unread
        self.error = error
        self.unknown_keys = [] if unknown_keys is NEW_LIST else unknown_keys
        self.label_keys = [] if label_keys is NEW_LIST else label_keys
        self.figure_count = figure_count
        self.coverage = coverage
        self.file = file
        self.part = part

    @classmethod
    def unreadable(cls, error: Any, id: str | None = None) -> RecordInfo:
        """The record that could not be read, from its error (a FiscalRulesError): named *id*
        (by default the error's place, e.g. ``rec.json[4]`` for an element of a JSON array),
        with ``file`` the file it was read from where known (``error.read_from``: a SARIF
        notification names that file, not ``rec.json[4]``, review 25 T4)."""
        where = error.location.file
        return cls(id or where or "record", where, [], error=error.format(),
                   file=getattr(error, "read_from", None) or where)


def plain(value: Any) -> Any:
    """*value* as JSON carries it: a Decimal as its text in positional notation (``1E+2`` as
    ``100``), anything else as it is."""
    if type(value) is Decimal:
        # str() is format(value, "f") wherever it has no exponent (most figures): a third of
        # the cost, and a report writes a few thousand of them.
        text = str(value)
        return text if "E" not in text else format(value, "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


class Operand(ComparedByFields):
    """A figure a finding involved: its path, label, value as read, and where it was printed."""

    # Written out (fiscalrules.nodebase: attrs' frozen class, its attrs metadata made when asked
    # for) rather than made by attrs at every start; so is Report.
    path: str
    label: str | None
    value: object
    unit: str | None
    printed: str | None
    change: Decimal | None
    pct: Decimal | None
    source: Source | None
    __slots__ = _fields = ("path", "label", "value", "unit", "printed", "change", "pct", "source")
    _attrs_made = ("frozen", {})

    def __init__(self, path: str, label: str | None, value: object, unit: str | None = None,
                 printed: str | None = None, change: Decimal | None = None, pct: Decimal | None = None,
                 source: Source | None = None) -> None:
        setfield(self, "path", path)
        setfield(self, "label", label)
        setfield(self, "value", value)
        setfield(self, "unit", unit)
        setfield(self, "printed", printed)
        setfield(self, "change", change)
        setfield(self, "pct", pct)
        setfield(self, "source", source)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: decimals as strings, the source without its empty parts."""
        data: dict[str, Any] = {"path": self.path, "label": self.label, "value": plain(self.value), "unit": self.unit}
        if self.printed is not None:
            data["printed"] = self.printed
        if self.change is not None:
            data["change"] = plain(self.change)
        if self.pct is not None:
            data["pct"] = plain(self.pct)
        if self.source is not None:
            data["source"] = {k: v for k, v in fields_dict(self.source).items() if v is not None}
        return data


_ROW = re.compile(r"\[([^\]]*)\]\.[^.\[\]]+$")
_CELL = re.compile(r"^(?P<table>.+)\[(?P<code>[^\]]*)\]\.(?P<column>[^.\[\]]+)$")
_META_WORDS = {"change": ("的增减额", "change of "), "pct": ("的增减幅度", "percentage change of ")}


def row_code(path: str) -> str | None:
    """The row code of a table cell's path (``expenditure.function[213].amount`` → ``213``)."""
    m = _ROW.search(path)
    return m.group(1) if m else None


def printed_at(op: Operand, document: str | None = None, lang: str = "zh") -> str:
    """Where a finding's figure *op* was printed, as a report lists it: ``第252行`` (the document
    left out when it is *document*); a table cell -- whose label is its column's header, "合计",
    which every table has -- also the table or section it was printed in: ``一般公共预算支出表 第52行``."""
    if op.source is None:
        return ""
    at = op.source.short(document, lang)
    if op.source.section and _CELL.match(op.path) is not None:
        return " ".join(filter(None, (clipped(op.source.section, 24), at)))
    return at


def figure_name(label: str | None, path: str, meta: str = "value", lang: str = "zh") -> str:
    """A figure as people know it: its label and row code (``农林水支出 [213]``), the path only
    when it has no label; a stated change or percentage says so."""
    code = row_code(path)
    name = label or path
    if code is not None and f"[{code}]" not in name:
        name = f"{name} [{code}]"
    if meta in _META_WORDS:
        zh, en = _META_WORDS[meta]
        name = f"{name}{zh}" if lang == "zh" else f"{en}{name}"
    return name


def cell_context(path: str, settings: Any) -> str | None:
    """For a table cell, the table's label and (in a table of several amount columns) the
    column's: two tables list the same classes (全部资金 and 财政拨款), so a row's own label does
    not say which figure it is."""
    m = _CELL.match(path)
    if m is None:
        return None
    table = settings.fields.get(m["table"])
    if table is None or not getattr(table, "columns", None):
        return None
    label = table.labels[0] if table.labels else m["table"]
    amounts = [c for c in table.columns if c.kind == "amount"]
    column = next((c for c in table.columns if c.name == m["column"]), None)
    if len(amounts) > 1 and column is not None:
        label += "·" + (column.labels[0] if column.labels else column.name)
    return label


def where(source: Any, lang: str = "zh", document: str | None = None) -> str:   # (a Source or None)
    """Where a figure was printed: ``第252行`` / ``line 252``, with the page (and then the line
    of the page: ``第8页第18行``), and with the document when *document* (the one being reported
    on) is given and it is another one."""
    if source is None:
        return ""
    parts = []
    if source.document and document is not None and os.path.basename(source.document) != os.path.basename(document):
        parts.append(os.path.basename(source.document))
    if source.page is not None:
        parts.append(f"第{source.page}页" if lang == "zh" else f"p.{source.page}")
    line = source.shown_line
    if line is not None:
        parts.append(f"第{line}行" if lang == "zh" else f"line {line}")
    return ("" if lang == "zh" else " ").join(parts)
