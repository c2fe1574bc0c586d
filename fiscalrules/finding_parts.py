"""The written-out value classes a report is made of besides its findings: :class:`Side` (one
side of a finding's comparison) and :class:`RecordInfo` (what a report knows of a record besides
its findings), with :func:`plain`, the JSON form of a value.

They derive from :mod:`fiscalrules.nodebase`'s value-class bases rather than being attrs classes
(see that module: no class made at every start).  :mod:`fiscalrules.findings` re-exports both, and is where
they are documented to be found; they live here to keep that module within the size the project
allows.  This module imports only :mod:`fiscalrules.nodebase`.
"""

from __future__ import annotations

from decimal import Decimal

from .nodebase import NEW_LIST, Frozen, Slotted, setfield

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Side", "RecordInfo"]

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
    made (see docs/readers.md); ``file`` the file an unreadable record was read from, where known."""

    id: str
    document: str | None
    unread: list[dict[str, Any]]
    error: str | None
    unknown_keys: list[str]
    label_keys: list[str]
    figure_count: int | None
    coverage: dict[str, Any] | None
    file: str | None
    __slots__ = _fields = ("id", "document", "unread", "error", "unknown_keys", "label_keys", "figure_count",
                           "coverage", "file")

    def __init__(self, id: str, document: str | None = None, unread: list[dict[str, Any]] = _NEW_LIST,
                 error: str | None = None, unknown_keys: list[str] = _NEW_LIST, label_keys: list[str] = _NEW_LIST,
                 figure_count: int | None = None, coverage: dict[str, Any] | None = None,
                 file: str | None = None) -> None:
        self.id = id
        self.document = document
        self.unread = [] if unread is NEW_LIST else unread
        self.error = error
        self.unknown_keys = [] if unknown_keys is NEW_LIST else unknown_keys
        self.label_keys = [] if label_keys is NEW_LIST else label_keys
        self.figure_count = figure_count
        self.coverage = coverage
        self.file = file

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

