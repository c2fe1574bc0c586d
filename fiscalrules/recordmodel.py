"""The record model: :class:`Record` (figures and tables by path), :class:`Figure` (one value with
its unit, precision, stated change and where it was printed: :class:`Source`), :class:`Table` and
its rows (:class:`Row`).  What rules read; built by :mod:`fiscalrules.recordbuild` (through :mod:`fiscalrules.records`) from mappings and record
files (``docs/records.md``).  A big table read from a file may instead be a
:class:`~fiscalrules.rowstore.PackedTable`, which answers as a :class:`Table`.
"""

from __future__ import annotations

import os
from decimal import Decimal

from .nodebase import NEW_DICT, ComparedByFields, Mutable
from .nodebase import setfield as _set

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any
    from .rowstore import PackedTable

__all__ = ["Source", "Figure", "Row", "Table", "Record", "parent_code", "figure_of", "value_of"]


class Source(ComparedByFields):
    """Where a figure was printed.  ``line`` counts the lines of the whole document's text (a
    PDF's, as extracted); ``page_line`` the lines of its page (what a reader of the page counts)."""

    # Like every class here, written out (fiscalrules.nodebase: attrs' frozen class, its attrs
    # metadata made when asked for) rather than made by attrs at every start.
    document: str | None
    section: str | None
    page: int | None
    line: int | None
    text: str | None
    box: tuple[float, float, float, float] | None
    page_line: int | None
    __slots__ = _fields = ("document", "section", "page", "line", "text", "box", "page_line")
    _attrs_made = ("frozen", {"slots": True})

    def __init__(self, document: str | None = None, section: str | None = None, page: int | None = None,
                 line: int | None = None, text: str | None = None,
                 box: tuple[float, float, float, float] | None = None,   # x0, top, x1, bottom (PDF)
                 page_line: int | None = None) -> None:
        _set(self, "document", document)
        _set(self, "section", section)
        _set(self, "page", page)
        _set(self, "line", line)
        _set(self, "text", text)
        _set(self, "box", box)
        _set(self, "page_line", page_line)

    @property
    def shown_line(self) -> int | None:
        """The line as a reader finds it: of its page when the page is known, else of the text."""
        return self.page_line if self.page is not None and self.page_line is not None else self.line

    def short(self, document: str | None = None, lang: str = "en") -> str:
        """``doc.txt p.3 line 12`` (``doc.txt 第3页 第12行`` in Chinese; the line of the page); the
        document is left out when it is *document* (already named)."""
        parts = []
        if self.document and (document is None or os.path.basename(self.document) != os.path.basename(document)):
            parts.append(os.path.basename(self.document))
        if self.page is not None:
            parts.append(f"第{self.page}页" if lang == "zh" else f"p.{self.page}")
        line = self.shown_line
        if line is not None:
            parts.append(f"第{line}行" if lang == "zh" else f"line {line}")
        return " ".join(parts)


class Figure(Mutable):
    """One value of a record: an amount (Decimal), a text, or a flag, with its metadata.

    Immutable by contract; not a frozen class because records are built figure by figure and a
    frozen class pays for every attribute it sets."""

    __slots__ = _fields = ("path", "value", "unit", "precision", "change", "pct", "printed", "label", "source")
    _attrs_made = ("define", {"slots": True, "eq": True})

    def __init__(self, path: str, value: object, unit: str | None = None, precision: Decimal | None = None,
                 change: Decimal | None = None, pct: Decimal | None = None, printed: str | None = None,
                 label: str | None = None, source: Source | None = None) -> None:
        self.path = path
        self.value = value
        self.unit = unit
        self.precision = precision
        self.change = change
        self.pct = pct
        self.printed = printed
        self.label = label
        self.source = source

    @property
    def is_amount(self) -> bool:
        """True for an amount (a Decimal), false for a text or a flag."""
        return isinstance(self.value, Decimal)


class Row(Mutable):
    """A table row: its code (classification code, or its 1-based position) and its cells.

    Immutable by contract; not a frozen class for the reason :class:`Figure` is not (a batch
    makes a row per table line, and a frozen class pays for every attribute it sets).

    ``cells`` maps each column to its :class:`Figure`.  The loader gives a row the cells printed
    without metadata -- most of a table -- as their bare values (``cell_values``), and the
    Figures are made when ``cells`` is first read: a batch keeps every record, and a Figure per
    cell was most of the objects the garbage collector walked while it ran (a dict of Decimals
    and texts is not walked at all).  The fused path reads ``cell_values`` and never needs them."""

    __slots__ = _fields = ("table", "code", "index", "cell_values", "coded", "_figures")
    _aliases = {"cell_values": "cells"}
    _not_init = {"_figures": None}
    _figures: dict[str, Figure] | None
    _attrs_made = ("define", {"slots": True, "eq": False})

    def __init__(self, table: str, code: str, index: int, cells: dict[str, Any], coded: bool = True) -> None:
        self.table = table
        self.code = code
        self.index = index
        # column -> its Figure, or the bare value (Decimal, text, flag) of a cell printed without
        # metadata, whose Figure would be Figure(f"{table}[{code}].{column}", value).
        self.cell_values = cells
        self.coded = coded
        self._figures = None

    @property
    def cells(self) -> dict[str, Figure]:
        """Every cell as a :class:`Figure`, by column (made once, on first use)."""
        figures = self._figures
        if figures is None:
            prefix = f"{self.table}[{self.code}]."
            figures = {column: value if type(value) is Figure else Figure(prefix + column, value)
                       for column, value in self.cell_values.items()}
            self._figures = figures   # a cache: the row itself does not change
        return figures

    def cell(self, column: str) -> Figure | None:
        """The figure in *column*, or None."""
        return self.cells.get(column)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Row:
            return NotImplemented
        return (self.table, self.code, self.index, self.coded) == (other.table, other.code, other.index, other.coded) \
            and self.cells == other.cells

    __hash__ = None   # type: ignore[assignment]  (its cells are a dict, as before)

    def __repr__(self) -> str:
        return (f"Row(table={self.table!r}, code={self.code!r}, index={self.index!r}, cells={self.cells!r}, "
                f"coded={self.coded!r})")


class Table(Mutable):
    """A table of a record: its rows in order, and by code."""

    __slots__ = _fields = ("path", "rows", "by_code", "_children")
    _attrs_made = ("define", {"slots": True})

    def __init__(self, path: str, rows: list[Row], by_code: dict[str, Row] = NEW_DICT,  # type: ignore[assignment]
                 children: tuple[dict[str, int], tuple[int, ...]] | None = None) -> None:
        self.path = path
        self.rows = rows
        self.by_code = {} if by_code is NEW_DICT else by_code
        self._children = children   # (see children_of)

    def children_of(self, code: str) -> list[Row]:
        """Rows one classification level below *code* (3 → 5 → 7 digits), in the table's order
        (a new list: the index is the table's)."""
        index = self._children
        if index is None:
            index = self._children = _children_index(self.rows)
        span = index[0].get(code)
        if span is None:
            return []
        rows = self.rows
        return [rows[i] for i in index[1][span >> 32:span & 0xFFFFFFFF]]

    def parent_of(self, code: str) -> Row | None:
        """The row one classification level above *code*, or None."""
        parent = parent_code(code, set(self.by_code))
        return self.by_code.get(parent) if parent is not None else None

    def with_row(self, row: Row) -> Table:
        """A copy with *row* (a row of this table, changed) in place of the row at its position."""
        old = self.rows[row.index - 1] if 0 < row.index <= len(self.rows) else None
        if old is None or old.index != row.index:   # rows given as null leave gaps in the positions
            old = next(r for r in self.rows if r.index == row.index)
        rows = [row if r is old else r for r in self.rows]
        by_code = {code: (row if r is old else r) for code, r in self.by_code.items()}
        return Table(self.path, rows, by_code)


# Children indexes by table layout (each row's code, None for a row without one), shared by
# the tables of that layout: a batch's records print their tables alike.  Bounded: tables of at
# most _SHARED_ROWS rows, at most _SHARED_LAYOUTS layouts (emptied when full).
_LAYOUTS: dict[tuple[str | None, ...], tuple[dict[str, int], tuple[int, ...]]] = {}
_SHARED_ROWS = 512
_SHARED_LAYOUTS = 256


def _children_index(rows: list[Row]) -> tuple[dict[str, int], tuple[int, ...]]:
    """Every parent's children: the rows' positions grouped by parent (each group in the
    table's order) and each parent code's span in them (start << 32 | stop).  A dict of ints and
    a tuple of ints, shared by the tables of one layout: not a list of rows per parent made for
    every table -- a batch keeps every record, and each list was one more object for the garbage
    collector to walk while it runs (nor is the index worked out again for each record)."""
    layout = tuple([row.code if row.coded else None for row in rows])
    shared = len(rows) <= _SHARED_ROWS
    found = _LAYOUTS.get(layout) if shared else None
    if found is not None:
        return found
    codes = {code for code in layout if code is not None}
    groups: dict[str, list[int]] = {}
    for position, code in enumerate(layout):
        if code is None:
            continue
        parent = parent_code(code, codes)
        if parent is not None:
            groups.setdefault(parent, []).append(position)
    order: list[int] = []
    spans: dict[str, int] = {}
    for parent, positions in groups.items():
        spans[parent] = len(order) << 32 | len(order) + len(positions)
        order += positions
    found = (spans, tuple(order))
    if shared:
        if len(_LAYOUTS) >= _SHARED_LAYOUTS:
            _LAYOUTS.clear()
        _LAYOUTS[layout] = found
    return found


def value_of(held: Any) -> Any:
    """The value of what a record holds at a path (:attr:`Record.figure_values`): a Figure's, the
    first of ``(value, change, pct)``, or the bare value itself."""
    kind = type(held)
    return held.value if kind is Figure else held[0] if kind is tuple else held


def figure_of(path: str, value: Any) -> Figure:
    """The Figure at *path* of what a record holds there without one: a bare value, or the
    tuple ``(value, change, pct)`` (see :class:`Record`)."""
    if type(value) is tuple:
        return Figure(path, value[0], None, None, value[1], value[2])
    return Figure(path, value)


def parent_code(code: str, codes: set[str]) -> str | None:
    """The nearest code in *codes* that *code* extends by one level (208 for 20805, 20805 for 2080505)."""
    for length in (5, 3):
        if len(code) > length and code[:length] in codes:
            return code[:length]
    return None


class Record(Mutable):
    """An indexed record: figures by path, tables by path, children by prefix.

    ``figures`` maps each path to its :class:`Figure`.  The loader gives a record the figures
    printed without metadata as their bare values (a Decimal, a text, a flag) and those with only
    a stated change or percentage as a tuple ``(value, change, pct)`` (``figure_values``, which
    holds a Figure for any other); ``figures`` makes them all once, when first read, and from then
    on is what the record holds.  A batch keeps every record, and a Figure per plain figure was
    most of what a record kept for the garbage collector to walk while the batch runs (a dict of
    Decimals and texts, a tuple of Decimals, are not walked at all).  The rules read a figure
    through :meth:`get`, which makes none to keep."""

    __slots__ = _fields = ("id", "figure_values", "tables", "meta", "children", "_under", "file", "_made")
    _aliases = {"figure_values": "figures"}
    _not_init = {"_made": None}
    _uncompared = ("_under", "file", "_made")
    _unshown = ("_under", "_made")
    _attrs_made = ("define", {})

    def __init__(self, id: str, figures: dict[str, Figure],
                 tables: dict[str, Table | PackedTable],   # a packed table answers as a Table (fiscalrules.rowstore)
                 meta: dict[str, Any], children: dict[str, tuple[str, ...]],
                 under: dict[str, tuple[str, ...]] = NEW_DICT, *,  # type: ignore[assignment]
                 file: str | None = None) -> None:   # file: the file it was read from
        self.id = id
        # path -> its Figure, or the bare value / (value, change, pct) of a figure printed
        # without other metadata (see the class's docstring)
        self.figure_values = figures
        self.tables = tables
        self.meta = meta
        self.children = children
        self._under = {} if under is NEW_DICT else under
        self.file = file
        self._made = None

    @property
    def figures(self) -> dict[str, Figure]:
        """Every figure as a :class:`Figure`, by path (made once, on first use: then what the
        record holds, changes included)."""
        figures = self._made
        if figures is None:
            figures = self.figure_values
            if not all(type(value) is Figure for value in figures.values()):   # (else: the dict given, itself)
                figures = {path: value if type(value) is Figure else figure_of(path, value)
                           for path, value in figures.items()}
            self._made = self.figure_values = figures
        return figures

    @figures.setter
    def figures(self, figures: dict[str, Figure]) -> None:
        # (assigned whole, as before figures were held bare: what the record holds from now on)
        self._made = self.figure_values = figures

    def get(self, path: str) -> Figure | None:
        """The figure at *path*, or None (made for the asking where the record holds its bare
        value: not kept)."""
        value = self.figure_values.get(path)
        if value is None or type(value) is Figure:
            return value
        return figure_of(path, value)

    def table(self, path: str) -> Table | PackedTable | None:
        """The table at *path*, or None."""
        return self.tables.get(path)

    def under(self, prefix: str) -> list[Figure]:
        """The figures directly under *prefix*, in path order (for ``prefix.*``): one order
        whichever way the record was stored -- a Parquet row read back by the columnar engine
        lists its figures in its columns' order, a JSON record in its keys' -- so a finding
        lists its operands, and a list stops at its first missing or wrong figure, alike."""
        get = self.get
        return [get(p) for p in self.under_paths(prefix)]

    def under_paths(self, prefix: str) -> tuple[str, ...]:
        """The paths of :meth:`under`'s figures, in its order (kept: a tuple of texts, which the
        garbage collector does not walk -- and checked against the figures on every use: a figure
        deleted from ``figures`` after a first evaluation left its path here, and the next one
        read None as a Figure, review 26)."""
        values = self.figure_values
        cached = self._under.get(prefix)
        if cached is not None:
            paths, count = cached
            if count == len(values) and all(p in values for p in paths):
                return paths
        paths = tuple([p for p in sorted(self.children.get(prefix, ())) if p in values])
        self._under[prefix] = (paths, len(values))
        return paths

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.id, self.tables, self.meta, self.children) == (other.id, other.tables, other.meta, other.children) \
            and self.figures == other.figures

    __hash__ = None   # type: ignore[assignment]  (a mutable record, as before)

    def __repr__(self) -> str:
        # figures as Figures whether or not they were made yet (made for the showing, not kept):
        # the repr of a record is the same before and after a rule reads it
        figures = {path: self.get(path) for path in self.figure_values}
        return (f"Record(id={self.id!r}, figures={figures!r}, tables={self.tables!r}, meta={self.meta!r}, "
                f"children={self.children!r}, file={self.file!r})")

    @property
    def unread(self) -> list[dict[str, Any]]:
        """The parts of the document the reader could not read (``_meta.unread``)."""
        return list(self.meta.get("unread") or [])

    def unread_under(self, prefix: str) -> list[dict[str, Any]]:
        """What the document printed directly under *prefix* that its reader could not name: the
        ``_meta.unread`` entries whose ``group`` is *prefix*.  A wildcard ``prefix.*`` then stands
        for figures the record does not hold all of, so a rule reading it is not evaluable rather
        than failing by the unread amount (``context.unread_missing`` says so)."""
        unread = self.meta.get("unread")
        if not unread:
            return []
        return [entry for entry in unread if entry.get("group") == prefix]

    @property
    def document(self) -> str | None:
        """The document the record was read from (``_meta.document``)."""
        document = self.meta.get("document")
        return None if document is None else str(document)

    @property
    def part(self) -> dict[str, Any] | None:
        """``_meta.part`` of a record read from a file holding several disclosures (``number``,
        ``of``, ``lines``: [first, last]), when in that shape."""
        found = self.meta.get("part")
        lines = found.get("lines") if isinstance(found, dict) else None
        return found if isinstance(lines, list) and len(lines) == 2 and all(type(n) is int for n in lines) else None

    @property
    def coverage(self) -> dict[str, Any] | None:
        """``_meta.coverage`` when a reader wrote one (figures read N of M printed …)."""
        found = self.meta.get("coverage")
        return found if isinstance(found, dict) else None
