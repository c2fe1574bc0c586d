"""Building a record: the loader's walk over one nested mapping, and the checks it makes.

:class:`_Builder` turns a mapping (parsed JSON / YAML, a reader's record, a Python dict) into the
:class:`~fiscalrules.recordmodel.Figure` of every scalar leaf and the
:class:`~fiscalrules.recordmodel.Table` of every list of rows (or a
:class:`~fiscalrules.rowstore.PackedTable` of the rows the JSON reader packed), refusing what a
record may not hold with a :class:`RecordError` naming the path: this module owns what the loader
accepts -- a figure's value, unit, precision, change and pct, where it was printed (its source),
row codes, ``_meta``.  Each key is read with its common case first, inline (a text read before,
a plain amount, a reader's source), and otherwise by the general reading that decides and
refuses: there is one reading of a figure, whoever wrote it.  The entry points --
:func:`fiscalrules.records.load_record`, files, a reader's two-step indexing -- are in
:mod:`fiscalrules.records`.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import re
from array import array
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from .errors import Location, RecordError, shown
from .recordfiles import DuplicateKeys
from .recordmodel import Figure, Row, Source, Table
from .readtexts import MAX_LINE_NUMBER, READ, READ_LIMIT, TEXT_LENGTH, plain_text, read_before_or_plain, remember
from .rowstore import CodeIndex, FlatObjects, PackedTable, code_key, key_code
from .values import _PLAIN_NUMBER, MAX_DIGITS, check_magnitude, in_library_context, parse_decimal

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, NoReturn

_EXPONENT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
FIGURE_KEYS = frozenset({"value", "unit", "precision", "change", "pct", "printed", "label", "source"})
_STATED = frozenset({"value", "change", "pct"})

MAX_DEPTH = 64


class _Builder:
    def __init__(self, file: str | None, consume: bool = False):
        self.file = file
        # A mapping parsed from a file here (never the caller's) is let go of a row at a time as
        # its rows are built: a big table's parsed rows and its Rows are never all held at once.
        self.consume = consume
        self.figures: dict[str, Any] = {}   # (what Record.figure_values holds: see held())
        self.tables: dict[str, Table | PackedTable] = {}
        self.children: dict[str, list[str]] = {}   # (tuples once built: finished_children)
        self.root: Mapping[str, Any] = {}   # the record walked (set when it nests: only then can a path repeat)

    def finished_children(self) -> dict[str, tuple[str, ...]]:
        """The paths under each prefix, as tuples: a tuple of texts is not walked by the garbage
        collector once it has seen it, and a batch keeps every record (a list per group was a
        tenth of what a record kept for it to walk)."""
        return {prefix: tuple(paths) for prefix, paths in self.children.items()}

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
            if type(value) is str:   # the common figure: its bare value (held() inline)
                if path in self.figures or path in self.tables:
                    self._given_twice(path)
                found = read_before_or_plain(value)
                self.figures[path] = found if found is not None else self.value(value, path)
            elif (type(value) is dict or isinstance(value, Mapping)) and not _is_figure_mapping(value):
                if not prefix and not depth:
                    self.root = node   # (where a figure given twice is looked for: _given_twice)
                self.walk(value, path, depth + 1)
            elif path in self.figures or path in self.tables:
                # a dotted key and nested objects naming one figure ({"a.b": 1, "a": {"b": 2}}): the
                # last was kept without a word
                self._given_twice(path)
            elif isinstance(value, list):
                self.tables[path] = self.table(value, path)
            elif type(value) is FlatObjects:
                self.tables[path] = self.packed_table(value, path)
            else:
                self.figures[path] = self.held(value, path)

    def held(self, raw: Any, path: str) -> Any:
        """What a record holds at *path* for *raw* (``Record.figure_values``): the bare value of
        a figure printed without metadata, ``(value, change, pct)`` of one with no metadata but
        its stated change or percentage, else its Figure -- each read as :meth:`figure` reads it."""
        if type(raw) is str:
            found = read_before_or_plain(raw)
            return found if found is not None else self.value(raw, path)
        if type(raw) is dict and len(raw) <= 3 and _STATED.issuperset(raw):
            held = _stated_amounts(raw)   # {value, change, pct} of plain amounts, without the Figure
            if held is not None:
                return held
        figure = self.figure(raw, path)
        if figure.unit is None and figure.precision is None and figure.printed is None and figure.label is None \
                and figure.source is None:
            change, pct = figure.change, figure.pct
            return figure.value if change is None and pct is None else (figure.value, change, pct)
        return figure

    def _given_twice(self, path: str) -> NoReturn:
        """Refuse the record giving *path* twice, naming both ways it is written."""
        ways = [("".join(f"[{shown(key)}]" for key in keys)) for keys in _spellings(self.root, path, ())][:2]
        self.fail(f"the same figure is given twice: as {' and as '.join(ways)} (which value is meant?)", path)

    def table(self, rows: list[Any], path: str) -> Table:
        table = Table(path, [])
        for i, raw in enumerate(rows, start=1):
            if raw is None:
                continue
            row = self.row(raw, i, path)
            if self.consume:
                rows[i - 1] = None
            if row.code in table.by_code:   # a row without a code is known by its position: "3" too
                self.fail(_twice(row.code, raw.get("name") if isinstance(raw, Mapping) else None), f"{path}[{i}]")
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
                    self._repeated_code(CodeIndex(keys), path)
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
                self._repeated_code(CodeIndex(keys), path)
                keys = None
            if row.code in codes:
                self.fail(_twice(row.code), f"{path}[{i + 1}]")
            codes[row.code] = i
        index: CodeIndex | dict[str, int] = codes
        if keys is not None:
            index = CodeIndex(keys)
            self._repeated_code(index, path)
        return PackedTable(path, store, index, uncoded, functools.partial(_packed_row, self.file, path), _packed_code)

    def _repeated_code(self, index: CodeIndex, path: str) -> None:
        """Refuse the table at the first row giving a code an earlier row has (as a list's rows)."""
        repeat = index.first_repeat()
        if repeat is not None:
            self.fail(_twice(index.code_at(repeat)), f"{path}[{repeat + 1}]")

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
                    value = Decimal(cell)   # (remember() inlined: most amounts of a batch are new)
                    if len(READ) >= READ_LIMIT:
                        READ.clear()
                    READ[cell] = value
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
        """The Figure at *path* of *raw*, a plain value or a figure mapping.

        Every key is read once, in this order (the first refusal is the one named): its common
        case first, inline -- a text read before or a plain amount, a text unit, printed and
        label, a reader's source (:meth:`source`) --, else by the general reading, which
        decides and refuses.  A reader's figures (~800 a document, read as it indexes the
        record it writes) and a file's take the same way."""
        if type(raw) is str:   # the common figure: no metadata (row() repeats this inline: its hot loop)
            value = read_before_or_plain(raw)
            return Figure(path, value if value is not None else self.value(raw, path))
        if type(raw) is not dict:   # (a dict told without the ABC's check)
            if not isinstance(raw, Mapping):
                return Figure(path, self.value(raw, path))
            if type(raw) is DuplicateKeys:
                self.duplicates(raw, path)
        get = raw.get
        value = get("value")
        found = READ.get(value) if type(value) is str else None
        value = found if found is not None else self.value(value, path)
        unit = get("unit")
        if unit is not None:
            if not isinstance(unit, str):
                self.fail(f"unit must be text, found {shown(unit)}", path)
            unit = "%" if unit == "％" else unit or None
        # (each path named only when there is something to check: most figures have none of these)
        precision = get("precision")
        if precision is not None:
            precision = self.amount(precision, path + ".precision")
            if precision <= 0:
                self.fail("precision must be positive", path + ".precision")
        change = get("change")
        if change is not None:
            found = READ.get(change) if type(change) is str else None
            change = found if type(found) is Decimal else self.amount(change, path + ".change")
        pct = get("pct")
        if pct is not None:
            found = READ.get(pct) if type(pct) is str else None
            pct = found if type(found) is Decimal else self.amount(pct, path + ".pct")
        printed, label, source = get("printed"), get("label"), get("source")
        if printed is not None and type(printed) is not str:
            printed = str(printed)
        if label is not None and type(label) is not str:
            label = str(label)
        # (positional, in Figure's field order; made inline -- a reader's record has a thousand)
        return Figure(path, value, unit, precision, change, pct, printed, label,
                      self.source(source, path) if source is not None else None)

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
            # (a subclass's instance as the Decimal it holds: the evaluator takes only Decimals for
            # numbers -- it was an error finding, "a is Decimal('1'), not a number")
            return self._checked(raw if type(raw) is Decimal else Decimal(raw), path)
        if isinstance(raw, numbers.Integral):  # Python's ints and numpy's (df.to_dict("records"))
            return self._checked(Decimal(int(raw)), path)
        if isinstance(raw, float):
            # Only reachable from a Python mapping: a float already lost the printed digits.
            self.fail(f"amounts must be given as text or Decimal, not float ({raw!r} has lost its printed "
                      "decimals; for a DataFrame pass floats=\"printed\" to read floats as printed)", path)
        if isinstance(raw, str):
            raw = str.__str__(raw)   # (a subclass's instance as the text it holds)
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

    def amount(self, raw: Any, path: str) -> Decimal:
        """*raw* (not None: every caller asks only of what is given) read as an amount."""
        value = self.value(raw, path)
        if not isinstance(value, Decimal) or isinstance(value, bool):
            self.fail(f"expected an amount, found {shown(raw)}", path)
        return value

    def source(self, raw: Any, path: str) -> Source:
        """Where the figure at *path* was printed: a text, or a mapping of texts, whole line and
        page numbers and a box -- a reader's (texts, ints, four finite floats) read inline, any
        other by the general checks."""
        if type(raw) is not dict:   # (a dict told without the ABC's check)
            if isinstance(raw, str):
                return Source(text=raw)
            if not isinstance(raw, Mapping):
                self.fail("source must be a mapping", path + ".source")
            if type(raw) is DuplicateKeys:
                self.duplicates(raw, path + ".source")
        get = raw.get
        line, page, box = get("line"), get("page"), get("box")
        # (whole_number's common case first, without making the paths it would name)
        if line is not None and not (type(line) is int and 0 <= line <= MAX_LINE_NUMBER):
            line = whole_number(line, f"{path}.source.line", self.file)
        if page is not None and not (type(page) is int and 0 <= page <= MAX_LINE_NUMBER):
            page = whole_number(page, f"{path}.source.page", self.file)
        page_line = get("page_line")
        if page_line is not None and not (type(page_line) is int and 0 <= page_line <= MAX_LINE_NUMBER):
            page_line = whole_number(page_line, f"{path}.source.page_line", self.file)
        if box is not None:
            if type(box) is list and len(box) == 4 and type(box[0]) is float and type(box[1]) is float \
                    and type(box[2]) is float and type(box[3]) is float and all(map(math.isfinite, box)):
                box = tuple(box)   # a reader's
            else:
                box = self._box(box, path)
        document, section, text = get("document"), get("section"), get("text")
        if document is not None and type(document) is not str:
            document = str(document)
        if section is not None and type(section) is not str:
            section = str(section)
        if text is not None and type(text) is not str:
            text = str(text)
        # (positional, in Source's field order: document, section, page, line, text, box, page_line)
        return Source(document, section, page, line, text, box, page_line)

    def _box(self, box: Any, path: str) -> tuple[float, float, float, float]:
        if not (isinstance(box, (list, tuple)) and len(box) == 4 and all(
                isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                and (not isinstance(v, Decimal) or v.is_finite() and v.adjusted() < 9) for v in box)):
            self.fail("source box must be four numbers [x0, top, x1, bottom]", f"{path}.source.box")
        floats = tuple(float(v) for v in box)
        if not all(math.isfinite(v) for v in floats):
            self.fail("source box must be four numbers [x0, top, x1, bottom]", f"{path}.source.box")
        return floats  # type: ignore[return-value]  # (four, checked above)


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


def _twice(code: str, name: Any = None) -> str:
    """The refusal of a table giving *code* twice: an empty code shown as "" (it printed as "code
    appears twice"), and the row named by its name where it has one."""
    printed = code if code else '""'
    if isinstance(name, Mapping):
        name = name.get("value")
    if isinstance(name, str) and name.strip():
        return f"code {printed} appears twice in the table: the row {shown(name.strip())}"
    return f"code {printed} appears twice in the table"


def _spellings(node: Mapping[str, Any], path: str, keys: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The ways *path* is written in the record *node* (its keys from the top), as the walk meets them."""
    prefix = ".".join(keys)
    for key, value in node.items():
        if not isinstance(key, str) or (not keys and key == "_meta"):
            continue
        here = f"{prefix}.{key}" if prefix else key
        if here == path:
            yield (*keys, key)
        elif path.startswith(here + ".") and isinstance(value, Mapping) and not _is_figure_mapping(value):
            yield from _spellings(value, path, (*keys, key))


def _stated_amounts(raw: dict[str, Any]) -> tuple[Decimal, Decimal | None, Decimal | None] | None:
    """(value, change, pct) of a figure mapping of these keys alone, each a plain amount's text
    (within every limit, read as :meth:`_Builder.figure` reads it) and a change or pct among
    them; None for any other (the general reading decides, and refuses)."""
    value, change, pct = _plain_amount(raw.get("value")), raw.get("change"), raw.get("pct")
    if value is None or (change is None and pct is None):
        return None
    if change is not None and (change := _plain_amount(change)) is None:
        return None
    if pct is not None and (pct := _plain_amount(pct)) is None:
        return None
    return value, change, pct


def _plain_amount(text: Any) -> Decimal | None:
    """*text*'s amount where it is a text the loader read before as one, or a plain amount."""
    found = read_before_or_plain(text) if type(text) is str else None
    return found if type(found) is Decimal else None


def _is_figure_mapping(value: Any) -> bool:
    # every key a text among FIGURE_KEYS: both tests over the keys in C (the loader asks this of
    # every mapping it meets)
    return "value" in value and FIGURE_KEYS.issuperset(value) and all(map(isinstance, value, _TEXT))


_TEXT = itertools.repeat(str)   # (endless: each map() above takes from it what it needs)


def is_figure_mapping(value: Any) -> bool:
    """True for a mapping that is one figure (a ``value`` and figure keys only), not a group."""
    # (a dict told without the ABC's check: a reader asks this of every mapping it writes)
    return (type(value) is dict or isinstance(value, Mapping)) and _is_figure_mapping(value)


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
    for key in ("section", "reason", "group", "item"):
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
