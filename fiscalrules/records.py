"""Records: loading JSON / YAML / JSON Lines / mappings into figures with their metadata.

A :class:`Record` is an index over one nested mapping (see ``docs/records.md``): every scalar leaf
becomes a :class:`Figure` under its dotted path, every list of rows a :class:`Table`.  Numbers are
read from their text (JSON numbers through ``parse_float=Decimal``; YAML scalars as strings), so
no binary float ever touches an amount.  Malformed input raises :class:`RecordError` naming the
file and the path inside the record.
"""

from __future__ import annotations

import json
import numbers
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import attrs

from ._gc import gc_paused
from .errors import Location, RecordError
from .values import _PLAIN_NUMBER, check_magnitude, parse_decimal

__all__ = ["Figure", "Source", "Row", "Table", "Record", "load_record", "load_records", "read_records"]

_EXPONENT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
FIGURE_KEYS = frozenset({"value", "unit", "precision", "change", "pct", "printed", "label", "source"})
SOURCE_KEYS = ("document", "section", "page", "line", "text", "box")
MAX_RECORD_BYTES = 200_000_000
MAX_DEPTH = 64


@attrs.frozen(slots=True)
class Source:
    """Where a figure was printed."""

    document: str | None = None
    section: str | None = None
    page: int | None = None
    line: int | None = None
    text: str | None = None
    box: tuple[float, float, float, float] | None = None     # x0, top, x1, bottom on the page (PDF)

    def short(self, document: str | None = None, lang: str = "en") -> str:
        """``doc.txt p.3 line 12`` (``doc.txt 第3页 第12行`` in Chinese); the document is left
        out when it is *document* (already named)."""
        parts = []
        if self.document and (document is None or os.path.basename(self.document) != os.path.basename(document)):
            parts.append(os.path.basename(self.document))
        if self.page is not None:
            parts.append(f"第{self.page}页" if lang == "zh" else f"p.{self.page}")
        if self.line is not None:
            parts.append(f"第{self.line}行" if lang == "zh" else f"line {self.line}")
        return " ".join(parts)


@attrs.define(slots=True, eq=True)
class Figure:
    """One value of a record: an amount (Decimal), a text, or a flag, with its metadata.

    Immutable by contract; not a frozen class because records are built figure by figure and a
    frozen class pays for every attribute it sets."""

    path: str
    value: object
    unit: str | None = None
    precision: Decimal | None = None
    change: Decimal | None = None
    pct: Decimal | None = None
    printed: str | None = None
    label: str | None = None
    source: Source | None = None

    @property
    def is_amount(self) -> bool:
        """True for an amount (a Decimal), false for a text or a flag."""
        return isinstance(self.value, Decimal)


@attrs.frozen(slots=True)
class Row:
    """A table row: its code (classification code, or its 1-based position) and its cells."""

    table: str
    code: str
    index: int
    cells: dict[str, Figure]
    coded: bool = True

    def cell(self, column: str) -> Figure | None:
        """The figure in *column*, or None."""
        return self.cells.get(column)


@attrs.define(slots=True)
class Table:
    """A table of a record: its rows in order, and by code."""

    path: str
    rows: list[Row]
    by_code: dict[str, Row] = attrs.field(factory=dict)
    _children: dict[str, list[Row]] | None = None

    def children_of(self, code: str) -> list[Row]:
        """Rows one classification level below *code* (3 → 5 → 7 digits)."""
        if self._children is None:
            index: dict[str, list[Row]] = {}
            codes = {row.code for row in self.rows if row.coded}
            for row in self.rows:
                if not row.coded:
                    continue
                parent = parent_code(row.code, codes)
                if parent is not None:
                    index.setdefault(parent, []).append(row)
            self._children = index
        return self._children.get(code, [])

    def parent_of(self, code: str) -> Row | None:
        """The row one classification level above *code*, or None."""
        parent = parent_code(code, set(self.by_code))
        return self.by_code.get(parent) if parent is not None else None


def parent_code(code: str, codes: set[str]) -> str | None:
    """The nearest code in *codes* that *code* extends by one level (208 for 20805, 20805 for 2080505)."""
    for length in (5, 3):
        if len(code) > length and code[:length] in codes:
            return code[:length]
    return None


@attrs.define
class Record:
    """An indexed record: figures by path, tables by path, children by prefix."""

    id: str
    figures: dict[str, Figure]
    tables: dict[str, Table]
    meta: dict[str, Any]
    children: dict[str, list[str]]
    _under: dict[str, list[Figure]] = attrs.field(factory=dict, repr=False, eq=False)

    def get(self, path: str) -> Figure | None:
        """The figure at *path*, or None."""
        return self.figures.get(path)

    def table(self, path: str) -> Table | None:
        """The table at *path*, or None."""
        return self.tables.get(path)

    def under(self, prefix: str) -> list[Figure]:
        """The figures directly under *prefix*, in record order (for ``prefix.*``)."""
        cache = self._under
        found = cache.get(prefix)
        if found is None:
            found = cache[prefix] = [self.figures[p] for p in self.children.get(prefix, ()) if p in self.figures]
        return found

    @property
    def unread(self) -> list[dict[str, Any]]:
        """The parts of the document the reader could not read (``_meta.unread``)."""
        return list(self.meta.get("unread") or [])

    @property
    def document(self) -> str | None:
        """The document the record was read from (``_meta.document``)."""
        document = self.meta.get("document")
        return None if document is None else str(document)

    @property
    def coverage(self) -> dict[str, Any] | None:
        """``_meta.coverage`` when a reader wrote one (figures read N of M printed …)."""
        found = self.meta.get("coverage")
        return found if isinstance(found, dict) else None


# ---- building -------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, file: str | None):
        self.file = file
        self.figures: dict[str, Figure] = {}
        self.tables: dict[str, Table] = {}
        self.children: dict[str, list[str]] = {}

    def fail(self, message: str, path: str) -> NoReturn:
        raise RecordError(message, path, Location(self.file))

    def walk(self, node: Mapping[str, Any], prefix: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.fail("record nested too deeply", prefix)
        for key, value in node.items():
            if not isinstance(key, str) or not key:
                self.fail(f"keys must be non-empty strings, found {key!r}", prefix)
            if prefix == "" and key == "_meta":
                continue
            path = f"{prefix}.{key}" if prefix else key
            if value is None:
                continue
            self.children.setdefault(prefix, []).append(path)
            if (type(value) is dict or isinstance(value, Mapping)) and not _is_figure_mapping(value):
                self.walk(value, path, depth + 1)
            elif isinstance(value, list):
                self.tables[path] = self.table(value, path)
            else:
                self.figures[path] = self.figure(value, path)

    def table(self, rows: list[Any], path: str) -> Table:
        table = Table(path, [])
        for i, raw in enumerate(rows, start=1):
            row_path = f"{path}[{i}]"
            if raw is None:
                continue
            if not (type(raw) is dict or isinstance(raw, Mapping)) or _is_figure_mapping(raw):
                raw = {"value": raw}
            code_value = raw.get("code")
            coded = code_value is not None
            code = _code_text(code_value, row_path, self) if coded else str(i)
            cells = {}
            for column, cell in raw.items():
                if not isinstance(column, str):
                    self.fail(f"column names must be strings, found {column!r}", row_path)
                if cell is None:
                    continue
                if type(cell) is str:
                    pass  # the common case: neither a mapping nor a list
                elif isinstance(cell, (Mapping, list)) and not _is_figure_mapping(cell):
                    self.fail(f"cell {column} must be a value, not a nested {type(cell).__name__}", row_path)
                cells[column] = self.figure(cell, f"{path}[{code}].{column}")
            row = Row(path, code, i, cells, coded)
            if coded and code in table.by_code:
                self.fail(f"code {code} appears twice in the table", row_path)
            table.rows.append(row)
            table.by_code[code] = row
        return table

    def figure(self, raw: Any, path: str) -> Figure:
        if type(raw) is str and _PLAIN_NUMBER.fullmatch(raw):
            return Figure(path, Decimal(raw))  # the common case: a plain amount, no metadata
        meta: Mapping[str, Any] = raw if type(raw) is dict or isinstance(raw, Mapping) else {"value": raw}
        value = self.value(meta.get("value"), path)
        unit = meta.get("unit")
        if unit is not None and not isinstance(unit, str):
            self.fail(f"unit must be text, found {unit!r}", path)
        unit = "%" if unit == "％" else unit
        precision = self.amount(meta.get("precision"), path + ".precision")
        if precision is not None and precision <= 0:
            self.fail("precision must be positive", path + ".precision")
        source = meta.get("source")
        return Figure(
            path=path, value=value, unit=unit or None, precision=precision,
            change=self.amount(meta.get("change"), path + ".change"),
            pct=self.amount(meta.get("pct"), path + ".pct"),
            printed=_opt_text(meta.get("printed")), label=_opt_text(meta.get("label")),
            source=self.source(source, path) if source is not None else None)

    def value(self, raw: Any, path: str) -> Any:
        if type(raw) is str and _PLAIN_NUMBER.fullmatch(raw):
            return Decimal(raw)  # the common case, within every magnitude limit
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
                self.fail(f"not a finite number: {raw!r}", path)
            if _EXPONENT_NUMBER.fullmatch(raw.strip()):
                self.fail(f"amounts are written out, not with an exponent: {raw!r}", path)
            return raw
        if raw is None:
            self.fail("a figure needs a value", path)
        self.fail(f"unsupported value {raw!r}", path)

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
            self.fail(f"expected an amount, found {raw!r}", path)
        return value

    def source(self, raw: Any, path: str) -> Source:
        if isinstance(raw, str):
            return Source(text=raw)
        if not isinstance(raw, Mapping):
            self.fail("source must be a mapping", path + ".source")
        # YAML scalars stay text here (see _yaml_records), so a line number may come as "12".
        line, page = _whole(raw.get("line")), _whole(raw.get("page"))
        for name, value in (("line", line), ("page", page)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, Decimal))):
                self.fail(f"source {name} must be a whole number", f"{path}.source.{name}")
        box = raw.get("box")
        if box is not None:
            if not (isinstance(box, (list, tuple)) and len(box) == 4 and all(
                    isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in box)):
                self.fail("source box must be four numbers [x0, top, x1, bottom]", f"{path}.source.box")
            box = tuple(float(v) for v in box)
        return Source(document=_opt_text(raw.get("document")), section=_opt_text(raw.get("section")),
                      page=int(page) if page is not None else None, line=int(line) if line is not None else None,
                      text=_opt_text(raw.get("text")), box=box)


def _whole(value: Any) -> Any:
    """A line or page number given as digits ("12", as YAML records carry it) read as an int."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _code_text(value: Any, path: str, builder: _Builder) -> str:
    if isinstance(value, Mapping):
        value = value.get("value")
    if isinstance(value, bool) or value is None:
        builder.fail("a row code must be text or digits", path)
    text = str(value).strip()
    if isinstance(value, Decimal) and value == value.to_integral_value():
        text = str(int(value))
    return text


def _opt_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _is_figure_mapping(value: Any) -> bool:
    return "value" in value and all(isinstance(k, str) and k in FIGURE_KEYS for k in value)


def load_record(data: Mapping[str, Any] | Record, *, id: str | None = None, file: str | None = None) -> Record:
    """Index one record given as a mapping (already parsed JSON/YAML, or built in Python)."""
    with gc_paused():
        return _load_record(data, id=id, file=file)


def _load_record(data: Any, *, id: str | None, file: str | None) -> Record:
    if isinstance(data, Record):
        return data
    if not isinstance(data, Mapping):
        raise RecordError(f"a record must be a mapping, not {type(data).__name__}", "", Location(file))
    meta = data.get("_meta") or {}
    if not isinstance(meta, Mapping):
        raise RecordError("_meta must be a mapping", "_meta", Location(file))
    builder = _Builder(file)
    builder.walk(data, "")
    record_id = str(meta.get("id") or id or (os.path.basename(file) if file else "record"))
    return Record(record_id, builder.figures, builder.tables, dict(meta), builder.children)


# ---- files ----------------------------------------------------------------------------------------

def read_records(path: str | os.PathLike[str]) -> Iterator[Record | RecordError]:
    """Yield each record of a file (JSON object or array, JSON Lines, YAML documents), or a
    RecordError for each one that cannot be read -- one bad line does not hide the others."""
    name = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_RECORD_BYTES:
            yield RecordError(f"file too large ({size} bytes)", "", Location(name))
            return
        raw = Path(path).read_bytes()
    except OSError as exc:
        yield RecordError(f"cannot read record file: {exc.strerror or exc}", "", Location(name))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield RecordError(f"record file is not valid UTF-8 (byte {exc.start})", "", Location(name))
        return
    suffix = Path(name).suffix.lower()
    stem = Path(name).stem
    count = 0
    for item in _records_of(text, name, stem, suffix):
        count += 1
        yield item
    if count == 0:  # an empty file is reported, not silently skipped
        yield RecordError("the file holds no record", "", Location(name))


def _records_of(text: str, name: str, stem: str, suffix: str) -> Iterator[Record | RecordError]:
    if suffix in (".yaml", ".yml"):
        yield from _yaml_records(text, name, stem)
    elif suffix in (".jsonl", ".ndjson"):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield _json_one(line, name, f"{stem}:{number}", number)
    else:
        try:
            data = _parse_json(text)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested absurdly deep
            yield RecordError(f"invalid JSON: {exc}", "", _json_location(exc, name, text))
            return
        items = data if isinstance(data, list) else [data]
        for i, item in enumerate(items, start=1):
            yield _safe_load(item, f"{stem}[{i}]" if isinstance(data, list) else stem, name)


def load_records(path: str | os.PathLike[str]) -> list[Record]:
    """All records of a file; raises the first RecordError (use read_records to keep going)."""
    records = []
    for item in read_records(path):
        if isinstance(item, RecordError):
            raise item
        records.append(item)
    return records


def _safe_load(data: Any, id: str, file: str) -> Record | RecordError:
    try:
        return load_record(data, id=id, file=file)
    except RecordError as exc:
        return exc
    except RecursionError:
        return RecordError("record nested too deeply", "", Location(file))


def _parse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number a budget can contain")


def _parse_json(text: str) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_parse_constant)


def _json_location(exc: BaseException, file: str, text: str) -> Location:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    lines = text.splitlines()
    source_line = lines[line - 1] if line and 0 < line <= len(lines) else None
    return Location(file, line, column, source_line)


def _json_one(line: str, file: str, id: str, number: int) -> Record | RecordError:
    try:
        data = _parse_json(line)
    except (ValueError, RecursionError) as exc:
        return RecordError(f"invalid JSON: {exc}", "", Location(file, number, getattr(exc, "colno", None), line))
    result = _safe_load(data, id, file)
    if isinstance(result, RecordError) and result.location.line is None:
        result.location = Location(file, number)  # name the line as well as the path inside it
    return result


def _yaml_records(text: str, file: str, stem: str) -> Iterator[Record | RecordError]:
    import yaml

    class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
        """Scalars that look like numbers stay text: YAML would turn 329.94 into a binary float."""

    def _as_text(loader: Any, node: Any) -> Any:
        return loader.construct_scalar(node)

    # dates too: a record keeps 2025-01-01 as the text it is, not a datetime it cannot hold
    for tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"):
        _Loader.add_constructor(tag, _as_text)
    try:
        documents = [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        yield RecordError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", "", location)
        return
    for i, doc in enumerate(documents, start=1):
        items = doc if isinstance(doc, list) else [doc]
        for j, item in enumerate(items, start=1):
            suffix = f"[{i}]" if len(documents) > 1 else ""
            suffix += f"[{j}]" if isinstance(doc, list) else ""
            yield _safe_load(item, stem + suffix, file)


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
