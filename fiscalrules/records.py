"""Records: loading JSON / YAML / JSON Lines / mappings into figures with their metadata.

(The classes themselves -- Record, Figure, Source, Table, Row -- are in :mod:`.recordmodel`, and
are re-exported here.)

A :class:`Record` is an index over one nested mapping (see ``docs/records.md``): every scalar leaf
becomes a :class:`Figure` under its dotted path, every list of rows a :class:`Table`.  Numbers are
read from their text (JSON numbers through ``parse_float=Decimal``; YAML scalars as strings), so
no binary float ever touches an amount.  Malformed input raises :class:`RecordError` naming the
file and the path inside the record.
"""

from __future__ import annotations

import functools
import itertools
import math
from array import array
import numbers
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from .errors import Location, RecordError, shown
from .inputs.bounded import MAX_RECORD_FILE_BYTES as MAX_RECORD_BYTES
from .inputs.bounded import InputRefused, read_bounded
from .recordfiles import DuplicateKeys, RecordItem, record_items
from .recordmodel import Figure, Record, Row, Source, Table
from .readtexts import (MAX_LINE_NUMBER, READ, TEXT_LENGTH, plain_amount, plain_text, plainly_loadable,
                        read_before_or_plain, remember)
from .rowstore import CodeIndex, FlatObjects, PackedTable, code_key, key_code
from .values import _PLAIN_NUMBER, MAX_DIGITS, check_magnitude, in_library_context, library_context, parse_decimal

__all__ = ["Figure", "Source", "Row", "Table", "Record", "load_record", "load_records", "read_records"]

_EXPONENT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
FIGURE_KEYS = frozenset({"value", "unit", "precision", "change", "pct", "printed", "label", "source"})
SOURCE_KEYS = ("document", "section", "page", "line", "text", "box")
MAX_DEPTH = 64


# ---- building -------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, file: str | None, consume: bool = False):
        self.file = file
        # A mapping parsed from a file here (never the caller's) is let go of a row at a time as
        # its rows are built: a big table's parsed rows and its Rows are never all held at once.
        self.consume = consume
        self.figures: dict[str, Figure] = {}
        self.tables: dict[str, Table | PackedTable] = {}
        self.children: dict[str, list[str]] = {}

    def fail(self, message: str, path: str) -> NoReturn:
        raise RecordError(message, path, Location(self.file))

    def walk(self, node: Mapping[str, Any], prefix: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.fail("record nested too deeply", prefix)
        if type(node) is DuplicateKeys:
            self.duplicates(node, prefix)
        children = self.children.get(prefix)   # made on the first child that is not null
        for key, value in node.items():
            if not isinstance(key, str) or not key:
                self.fail(f"keys must be non-empty strings, found {shown(key)}", prefix)
            if prefix == "" and key == "_meta":
                continue
            path = f"{prefix}.{key}" if prefix else key
            if value is None:
                continue
            if children is None:
                children = self.children[prefix] = []
            children.append(path)
            if type(value) is str:   # the common figure: figure() makes it without a mapping
                self.figures[path] = self.figure(value, path)
            elif (type(value) is dict or isinstance(value, Mapping)) and not _is_figure_mapping(value):
                self.walk(value, path, depth + 1)
            elif isinstance(value, list):
                self.tables[path] = self.table(value, path)
            elif type(value) is FlatObjects:
                self.tables[path] = self.packed_table(value, path)
            else:
                self.figures[path] = self.figure(value, path)

    def table(self, rows: list[Any], path: str) -> Table:
        table = Table(path, [])
        for i, raw in enumerate(rows, start=1):
            if raw is None:
                continue
            row = self.row(raw, i, path)
            if self.consume:
                rows[i - 1] = None
            if row.coded and row.code in table.by_code:
                self.fail(f"code {row.code} appears twice in the table", f"{path}[{i}]")
            table.rows.append(row)
            table.by_code[row.code] = row
        return table

    def packed_table(self, store: FlatObjects, path: str) -> PackedTable:
        """A table whose flat rows the JSON reader packed: every row checked now, as a list's
        rows are, and then only the codes kept (rows are made again when rules read them)."""
        uncoded = bytearray(len(store))
        keys: array[int] | None = array("q")    # the codes while all are digits (CodeIndex)
        codes: dict[str, int] = {}               # the codes once one is not
        for i in range(len(store)):
            try:
                row = _packed_row(self.file, path, store.mapping(i), i + 1)   # the builder's row, checked
            except RecordError:
                if keys is not None:   # a code given twice before this row is the first problem
                    self._repeated_code(CodeIndex(keys), uncoded, path)
                raise
            if not row.coded:
                uncoded[i] = 1
            if keys is not None:
                key = code_key(row.code)
                if key is not None:
                    keys.append(key)
                    continue
                for j, earlier in enumerate(keys):   # a code of other characters: a dict from here on
                    codes[key_code(earlier)] = j
                self._repeated_code(CodeIndex(keys), uncoded, path)
                keys = None
            if row.coded and row.code in codes:
                self.fail(f"code {row.code} appears twice in the table", f"{path}[{i + 1}]")
            codes[row.code] = i
        index: CodeIndex | dict[str, int] = codes
        if keys is not None:
            index = CodeIndex(keys)
            self._repeated_code(index, uncoded, path)
        return PackedTable(path, store, index, uncoded, functools.partial(_packed_row, self.file, path), _packed_code)

    def _repeated_code(self, index: CodeIndex, uncoded: bytearray, path: str) -> None:
        """Refuse the table at the first row giving a code an earlier row has (as a list's rows)."""
        repeat = index.first_repeat(uncoded)
        if repeat is not None:
            self.fail(f"code {index.code_at(repeat)} appears twice in the table", f"{path}[{repeat + 1}]")

    def row(self, raw: Any, i: int, path: str) -> Row:
        """Row *i* (1-based) of the table at *path*, from its parsed mapping (or a bare value)."""
        if not (type(raw) is dict or isinstance(raw, Mapping)) or _is_figure_mapping(raw):
            raw = {"value": raw}
        elif type(raw) is DuplicateKeys:
            self.duplicates(raw, f"{path}[{i}]")
        code_value = raw.get("code")
        coded = code_value is not None
        if type(code_value) is str:
            code = code_value.strip()
        else:
            code = _code_text(code_value, f"{path}[{i}]", self) if coded else str(i)
        cells: dict[str, Any] = {}   # a Figure, or the bare value of a cell without metadata (Row.cells)
        for column, cell in raw.items():
            if type(cell) is str and type(column) is str:
                # read_before_or_plain inline, in this loop over every cell of a batch: a text read
                # before (a code, a name, an amount repeated down the records), or a plain amount.
                value = READ.get(cell)
                if value is None and _PLAIN_NUMBER.fullmatch(cell):
                    value = remember(cell, Decimal(cell))
                if value is not None:
                    cells[column] = value
                    continue
            elif not isinstance(column, str):
                self.fail(f"column names must be strings, found {shown(column)}", f"{path}[{i}]")
            if cell is None:
                continue
            # (a dict is a Mapping: told without the ABC's check, the common cell with metadata)
            if (type(cell) is dict or type(cell) is not str and isinstance(cell, (Mapping, list))) \
                    and not _is_figure_mapping(cell):
                self.fail(f"cell {column} must be a value, not a nested {type(cell).__name__}", f"{path}[{i}]")
            cells[column] = self.figure(cell, f"{path}[{code}].{column}")
        return Row(path, code, i, cells, coded)

    def figure(self, raw: Any, path: str) -> Figure:
        if type(raw) is str:   # the common cases, no metadata (row() repeats them inline: its hot loop)
            value = read_before_or_plain(raw)
            if value is not None:
                return Figure(path, value)
        elif type(raw) is dict:
            if "source" in raw or "unit" in raw:
                # A reader's figure (a unit, a label, where it was printed): its value read here
                # as value() reads a text, its source as source() reads the reader's, without
                # the calls; anything else below.
                found = self._read_figure(raw, path)
                if found is not None:
                    return found
            elif len(raw) <= 3:
                # The next most common figure: {value, change, pct} as plain amounts (an amount
                # printed with its change on last year), read as the checks below would read it.
                change, pct = raw.get("change"), raw.get("pct")
                value = plain_amount(raw.get("value")) if len(raw) == 1 + (change is not None) + (pct is not None) \
                    else None
                if value is not None:
                    change = plain_amount(change) if change is not None else None
                    pct = plain_amount(pct) if pct is not None else None
                    if (change is not None) + (pct is not None) == len(raw) - 1:
                        return Figure(path, value, change=change, pct=pct)
        meta: Mapping[str, Any] = raw if type(raw) is dict or isinstance(raw, Mapping) else {"value": raw}
        if type(meta) is DuplicateKeys:
            self.duplicates(meta, path)
        value = self.value(meta.get("value"), path)
        unit = meta.get("unit")
        if unit is not None and not isinstance(unit, str):
            self.fail(f"unit must be text, found {shown(unit)}", path)
        unit = "%" if unit == "％" else unit
        # (each path named only when there is something to check: most figures have none of these)
        precision, change, pct = meta.get("precision"), meta.get("change"), meta.get("pct")
        if precision is not None:
            precision = self.amount(precision, path + ".precision")
            if precision <= 0:
                self.fail("precision must be positive", path + ".precision")
        source, printed, label = meta.get("source"), meta.get("printed"), meta.get("label")
        # (positional, in Figure's field order: path, value, unit, precision, change, pct, printed,
        # label, source; made inline -- a reader's record has a thousand of these)
        return Figure(
            path, value, unit or None, precision,
            self.amount(change, path + ".change") if change is not None else None,
            self.amount(pct, path + ".pct") if pct is not None else None,
            None if printed is None else str(printed), None if label is None else str(label),
            self.source(source, path) if source is not None else None)

    def _read_figure(self, raw: dict, path: str) -> Figure | None:
        """The Figure of *raw* when it has the shape a reader writes -- a text value, text unit,
        printed and label, plain-amount change and pct, no precision, a source of texts, whole
        line and page numbers and a box of four finite floats --, made as :meth:`figure` makes it
        (the same reading of each key); None for any other shape, which :meth:`figure` then
        reads (and refuses) key by key."""
        get = raw.get
        text = get("value")
        if type(text) is not str:
            return None
        value = READ.get(text)
        if value is None:
            if _PLAIN_NUMBER.fullmatch(text):
                value = remember(text, Decimal(text))
            elif plain_text(text):
                value = text
            else:
                return None
        unit, printed, label = get("unit"), get("printed"), get("label")
        if not (unit is None or type(unit) is str) or get("precision") is not None or \
                not (printed is None or type(printed) is str) or not (label is None or type(label) is str):
            return None
        change, pct = get("change"), get("pct")
        if change is not None:
            change = read_before_or_plain(change) if type(change) is str else None
            if type(change) is not Decimal:
                return None
        if pct is not None:
            pct = read_before_or_plain(pct) if type(pct) is str else None
            if type(pct) is not Decimal:
                return None
        source = get("source")
        if source is not None:
            if type(source) is str:
                source = Source(text=source)
            elif type(source) is dict:
                source = _reader_source(source)
                if source is None:
                    return None
            else:
                return None
        return Figure(path, value, ("%" if unit == "％" else unit) or None, None, change, pct, printed, label, source)

    def value(self, raw: Any, path: str) -> Any:
        if type(raw) is str:
            found = read_before_or_plain(raw)   # the common case, within every magnitude limit
            if found is not None:
                return found
            if plain_text(raw):   # the next most common: a name, a label (what the reading below decides)
                return raw
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, Decimal):
            return self._checked(raw, path)
        if isinstance(raw, numbers.Integral):  # Python's ints and numpy's (df.to_dict("records"))
            return self._checked(Decimal(int(raw)), path)
        if isinstance(raw, float):
            # Only reachable from a Python mapping: a float already lost the printed digits.
            self.fail(f"amounts must be given as text or Decimal, not float ({raw!r} has lost its printed "
                      "decimals; for a DataFrame pass floats=\"printed\" to read floats as printed)", path)
        if isinstance(raw, str):
            try:
                number = parse_decimal(raw)
            except (ValueError, InvalidOperation) as exc:
                self.fail(str(exc), path)
            if number is not None:
                return number
            if raw.strip().lower().lstrip("+-.") in ("nan", "inf", "infinity"):
                self.fail(f"not a finite number: {shown(raw)}", path)
            if _EXPONENT_NUMBER.fullmatch(raw.strip()):
                self.fail(f"amounts are written out, not with an exponent: {shown(raw)}", path)
            if len(raw) <= TEXT_LENGTH:
                remember(raw, raw)
            return raw
        if raw is None:
            self.fail("a figure needs a value", path)
        self.fail(f"unsupported value {shown(raw)}", path)

    def duplicates(self, mapping: DuplicateKeys, path: str) -> NoReturn:
        self.fail(f"the key {shown(mapping.duplicates[0])} appears twice in one object (which value is meant?)", path)

    def _checked(self, value: Decimal, path: str) -> Decimal:
        try:
            check_magnitude(value)
        except ValueError as exc:
            self.fail(str(exc), path)
        return value

    def amount(self, raw: Any, path: str) -> Decimal | None:
        if raw is None:
            return None
        value = self.value(raw, path)
        if not isinstance(value, Decimal) or isinstance(value, bool):
            self.fail(f"expected an amount, found {shown(raw)}", path)
        return value

    def source(self, raw: Any, path: str) -> Source:
        if isinstance(raw, str):
            return Source(text=raw)
        if type(raw) is not dict and not isinstance(raw, Mapping):   # (a dict: without the ABC's check)
            self.fail("source must be a mapping", path + ".source")
        if type(raw) is DuplicateKeys:
            self.duplicates(raw, path + ".source")
        line, page = raw.get("line"), raw.get("page")
        # (whole_number's common case first, without making the paths it would name)
        if line is not None and not (type(line) is int and 0 <= line <= MAX_LINE_NUMBER):
            line = whole_number(line, f"{path}.source.line", self.file)
        if page is not None and not (type(page) is int and 0 <= page <= MAX_LINE_NUMBER):
            page = whole_number(page, f"{path}.source.page", self.file)
        box = raw.get("box")
        if box is not None:
            if not (isinstance(box, (list, tuple)) and len(box) == 4 and all(
                    isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                    and (not isinstance(v, Decimal) or v.is_finite() and v.adjusted() < 9) for v in box)):
                self.fail("source box must be four numbers [x0, top, x1, bottom]", f"{path}.source.box")
            box = tuple(float(v) for v in box)
            if not all(math.isfinite(v) for v in box):
                self.fail("source box must be four numbers [x0, top, x1, bottom]", f"{path}.source.box")
        document, section, text = raw.get("document"), raw.get("section"), raw.get("text")
        # (positional, in Source's field order: document, section, page, line, text, box)
        return Source(None if document is None else str(document), None if section is None else str(section),
                      page, line, None if text is None else str(text), box)


def _reader_source(raw: dict) -> Source | None:
    """:meth:`_Builder.source` of a source as a reader writes it -- texts, whole line and page
    numbers, a box of four finite floats -- made without its checks' calls; None for any other
    source, which :meth:`_Builder.source` reads (and refuses)."""
    get = raw.get
    line, page, box = get("line"), get("page"), get("box")
    if not (line is None or type(line) is int and 0 <= line <= MAX_LINE_NUMBER) or \
            not (page is None or type(page) is int and 0 <= page <= MAX_LINE_NUMBER):
        return None
    if box is not None:
        if not (type(box) is list and len(box) == 4 and type(box[0]) is float and type(box[1]) is float
                and type(box[2]) is float and type(box[3]) is float and all(map(math.isfinite, box))):
            return None
        box = tuple(box)
    document, section, text = get("document"), get("section"), get("text")
    if not ((document is None or type(document) is str) and (section is None or type(section) is str)
            and (text is None or type(text) is str)):
        return None
    return Source(document, section, page, line, text, box)


def _packed_row(file: str | None, path: str, raw: dict[str, Any], i: int) -> Row:
    """Row *i* of a packed table, made again for a rule that reads it (it was checked on loading).

    The common row -- a text code and plain amounts -- is made here as :meth:`_Builder.row`
    makes it, without its checks (they passed on loading); any other row by the builder itself."""
    code = raw.get("code")
    if type(code) is str:
        code, coded = code.strip(), True
    elif code is None:
        code, coded = str(i), False
    else:
        return _built_row(file, path, raw, i)
    cells = {}   # bare values: the row's Figures are made when a rule reads its cells (Row.cells)
    for column, cell in raw.items():
        if type(cell) is str and _PLAIN_NUMBER.fullmatch(cell):
            cells[column] = Decimal(cell)
        elif cell is not None:
            return _built_row(file, path, raw, i)
    return Row(path, code, i, cells, coded)


@in_library_context
def _built_row(file: str | None, path: str, raw: dict[str, Any], i: int) -> Row:
    return _Builder(file).row(raw, i, path)


def _packed_code(value: Any, i: int) -> str:
    """The code of row *i* of a packed table from its ``code`` cell (as :meth:`_Builder.row` makes it)."""
    return str(i) if value is None else _code_text(value, "", _Builder(None))




def whole_number(value: Any, path: str, file: str | None) -> int | None:
    """A line or page number: a whole number 0 … 10⁹, given as a number or as digits (YAML keeps
    scalars as text).  Anything else -- a boolean, a fraction, 1e5000 -- is a RecordError, not
    a number too large to print."""
    if value is None:
        return None
    if type(value) is int and 0 <= value <= MAX_LINE_NUMBER:
        return value   # the common case: a reader's line number (a bool is not of type int)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 10:
        value = int(value.strip())
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value() \
            and value.adjusted() < 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LINE_NUMBER:
        raise RecordError(f"must be a whole number from 0 to {MAX_LINE_NUMBER}, found {shown(value)}", path,
                          Location(file))
    return value


def _code_text(value: Any, path: str, builder: _Builder) -> str:
    if isinstance(value, Mapping):
        value = value.get("value")
    if isinstance(value, bool) or value is None:
        builder.fail("a row code must be text or digits", path)
    if isinstance(value, (Decimal, numbers.Integral)):
        number = Decimal(int(value)) if not isinstance(value, Decimal) else value
        # A code given as a JSON number: digits of a classification code, not any number.
        if not number.is_finite() or number != number.to_integral_value() or not 0 <= number.adjusted() < MAX_DIGITS:
            builder.fail(f"a row code must be text or whole digits, found {shown(value)}", path)
        return format(number.to_integral_value(), "f")
    if not isinstance(value, str):
        builder.fail(f"a row code must be text or digits, found {shown(value)}", path)
    return value.strip()


def _is_figure_mapping(value: Any) -> bool:
    # every key a text among FIGURE_KEYS: both tests over the keys in C (the loader asks this of
    # every mapping it meets)
    return "value" in value and FIGURE_KEYS.issuperset(value) and all(map(isinstance, value, _TEXT))


_TEXT = itertools.repeat(str)   # (endless: each map() above takes from it what it needs)


def is_figure_mapping(value: Any) -> bool:
    """True for a mapping that is one figure (a ``value`` and figure keys only), not a group."""
    # (a dict told without the ABC's check: a reader asks this of every mapping it writes)
    return (type(value) is dict or isinstance(value, Mapping)) and _is_figure_mapping(value)


@in_library_context
def figure_problem(raw: Any) -> str | None:
    """Why the loader would refuse *raw* (a plain value or a figure mapping) as a figure, or None:
    for a producer of records -- a reader -- to leave out what the loader would refuse."""
    return _figure_problem(_Builder(None), raw)


@in_library_context
def figure_problems(raws: Iterable[Any]) -> list[str | None]:
    """:func:`figure_problem` of each of *raws*, in one decimal context with one builder (a reader
    checks each of a document's ~800 figures: one context each was a fifth of the work)."""
    builder = _Builder(None)
    return [_figure_problem(builder, raw) for raw in raws]


def _figure_problem(builder: _Builder, raw: Any) -> str | None:
    if plainly_loadable(raw):
        return None
    try:
        builder.figure(raw, "")
    except RecordError as exc:
        return exc.message
    except RecursionError:
        return "nested too deeply"
    return None


@in_library_context
def load_record(data: Mapping[str, Any] | Record, *, id: str | None = None, file: str | None = None) -> Record:
    """Index one record given as a mapping (already parsed JSON/YAML, or built in Python)."""
    return _load_record(data, id=id, file=file)


def _load_record(data: Any, *, id: str | None, file: str | None, consume: bool = False) -> Record:
    if isinstance(data, Record):
        return data
    if not isinstance(data, Mapping):
        raise RecordError(f"a record must be a mapping, not {type(data).__name__}", "", Location(file))
    if type(data) is DuplicateKeys:
        _Builder(file).duplicates(data, "")
    meta = _checked_meta(data.get("_meta"), file)
    builder = _Builder(file, consume)
    builder.walk(data, "")
    return _indexed(data, builder, meta, id, file)


def _indexed(data: Mapping[str, Any], builder: _Builder, meta: dict[str, Any], id: str | None,
             file: str | None) -> Record:
    record_id = str(meta.get("id") or id or (os.path.basename(file) if file else "record"))
    return Record(record_id, builder.figures, builder.tables, meta, builder.children, file=file)


class Indexing:
    """:func:`load_record` in two steps, for a reader that indexes the record it writes: *data*'s
    figures and tables (all but ``_meta``) first -- :meth:`index`, False where the loader refuses
    anything there, the reader then leaving out what it refuses --, and, once ``_meta`` is
    complete, :meth:`record`.  The Record is the one ``load_record(data, file=file)`` makes of
    the finished *data* (it is the same walk over the same mappings), as long as nothing but
    ``_meta`` changes between the two steps."""

    __slots__ = ("data", "file", "builder")

    def __init__(self, data: dict[str, Any], file: str | None):
        self.data = data
        self.file = file
        self.builder: _Builder | None = None

    @in_library_context
    def index(self) -> bool:
        """Index *data*'s figures and tables; False (nothing kept) where the loader refuses some."""
        builder = _Builder(self.file)
        try:
            builder.walk(self.data, "")
        except (RecordError, RecursionError):
            return False
        self.builder = builder
        return True

    @in_library_context
    def record(self) -> Record:
        """The Record, with ``_meta`` as it is now (checked as the loader checks it)."""
        assert self.builder is not None, "index() first"
        meta = _checked_meta(self.data.get("_meta"), self.file)
        return _indexed(self.data, self.builder, meta, None, self.file)


def _checked_meta(meta: Any, file: str | None) -> dict[str, Any]:
    """``_meta`` checked and normalised: ``id`` and ``document`` text, ``unread`` a list of
    ``{section, lines, reason}`` with whole line numbers -- so that reporting never meets a number
    where it expects a list, or a list where it expects a mapping."""
    if meta is None:
        return {}
    if not isinstance(meta, Mapping):
        raise RecordError(f"_meta must be a mapping, found {shown(meta)}", "_meta", Location(file))
    if type(meta) is DuplicateKeys:
        _Builder(file).duplicates(meta, "_meta")
    out: dict[str, Any] = dict(meta)
    record_id = out.get("id")
    if record_id is not None:
        if isinstance(record_id, Decimal) and record_id.is_finite() and record_id.adjusted() < MAX_DIGITS:
            out["id"] = format(record_id, "f")
        elif not isinstance(record_id, str):
            raise RecordError(f"must be text, found {shown(record_id)}", "_meta.id", Location(file))
    document = out.get("document")
    if document is not None and not isinstance(document, str):
        raise RecordError(f"must be text (a file name), found {shown(document)}", "_meta.document", Location(file))
    unread = out.get("unread")
    if unread is not None:
        if not isinstance(unread, list):
            raise RecordError(f"must be a list of {{section, lines, reason}}, found {shown(unread)}", "_meta.unread",
                              Location(file))
        out["unread"] = [_unread_entry(entry, f"_meta.unread[{i}]", file) for i, entry in enumerate(unread, 1)]
    return out


def _unread_entry(entry: Any, path: str, file: str | None) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise RecordError(f"must be a mapping {{section, lines, reason}}, found {shown(entry)}", path, Location(file))
    out = dict(entry)
    for key in ("section", "reason"):
        if out.get(key) is not None and not isinstance(out[key], str):
            raise RecordError(f"must be text, found {shown(out[key])}", f"{path}.{key}", Location(file))
    lines = out.get("lines")
    if lines is not None:
        if not isinstance(lines, list):
            lines = [lines]   # one line number alone
        if len(lines) > 2:
            raise RecordError(f"must be [first, last] line numbers, found {shown(lines)}", f"{path}.lines",
                              Location(file))
        out["lines"] = [whole_number(n, f"{path}.lines", file) for n in lines]
    return out


# ---- files ----------------------------------------------------------------------------------------

def read_records(path: str | os.PathLike[str]) -> Iterator[Record | RecordError]:
    """Yield each record of a file (JSON object or array, JSON Lines, YAML documents), or a
    RecordError for each one that cannot be read -- one bad record does not hide the others.

    The file is read through the bounded reader (at most MAX_RECORD_BYTES, devices and FIFOs
    refused); the formats are :mod:`fiscalrules.recordfiles`'.  Each step runs in the library's
    decimal context, but not across a ``yield``: the caller keeps its own between records."""
    name = str(path)
    for entry in record_entries(path, packed_tables=True):
        if isinstance(entry, RecordError):
            item: Record | RecordError = entry
        else:
            with library_context():
                item = _safe_load(entry[0], entry[1], entry[2], name)
        del entry  # the parsed mapping is not kept while the caller evaluates the record
        yield item


def record_entries(path: str | os.PathLike[str], packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    """What :func:`read_records` reads, before each record is loaded: ``(data, id, line)`` per
    record, or a RecordError (for the columnar engine, which reads the mappings themselves).
    With *packed_tables*, big tables of flat rows come packed (:mod:`fiscalrules.rowstore`)."""
    name = str(path)
    with library_context():
        items = _file_items(path, name, packed_tables)
    count = 0
    while True:
        with library_context():
            entry = next(items, None)
        if entry is None:
            break
        count += 1
        pending = [entry]
        del entry  # the parsed mapping is not kept here while the caller evaluates the record
        yield pending.pop()
    if count == 0:  # an empty file is reported, not silently skipped
        yield RecordError("the file holds no record", "", Location(name))


def _file_items(path: str | os.PathLike[str], name: str, packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    try:
        raw = read_bounded(path, MAX_RECORD_BYTES, what="record file")
    except InputRefused as exc:
        return iter([RecordError(exc.reason, "", Location(name))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return iter([RecordError(f"record file is not valid UTF-8 (byte {exc.start})", "", Location(name, line))])
    del raw
    suffix = Path(name).suffix.lower()
    return record_items(text, name, Path(name).stem, suffix, packed_tables)


def load_records(path: str | os.PathLike[str]) -> list[Record]:
    """All records of a file; raises the first RecordError (use read_records to keep going)."""
    records = []
    for item in read_records(path):
        if isinstance(item, RecordError):
            raise item
        records.append(item)
    return records


def _safe_load(data: Any, id: str, line: int | None, file: str) -> Record | RecordError:
    try:
        with library_context():
            return _load_record(data, id=id, file=file, consume=True)  # data was parsed from the file here
    except RecordError as exc:
        if line is not None and exc.location.line is None:
            exc.location = Location(file, line)  # name the line as well as the path inside it
        return exc
    except RecursionError:
        return RecordError("record nested too deeply", "", Location(file, line))


def iter_records(sources: Iterable[Any]) -> Iterator[Record | RecordError]:
    """Records from a mix of paths, mappings and Record objects (errors yielded, not raised)."""
    for source in sources:
        if isinstance(source, RecordError):  # already failed (a frame's row); reported, not re-read
            yield source
        elif isinstance(source, (str, os.PathLike)):
            yield from read_records(source)
        else:
            try:
                yield load_record(source)
            except RecordError as exc:
                yield exc
