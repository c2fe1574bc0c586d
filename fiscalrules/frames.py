"""Frames: the ONE adapter from DataFrames, Arrow tables and DuckDB relations to columns by field path.

Everything that takes tabular data in goes through here: records built from a frame's rows for the
per-record evaluator (:func:`frame_records`, used by ``Ruleset.evaluate_many(frame)``) and whole
columns for a columnar engine (:func:`frame_columns`).  One row of a frame is one record; its flat
columns are fields, named either by field path (``income.total``) or by a label the ruleset
declares (``收入预算总额``).  :func:`column_roles` makes that mapping once per frame.

A figure's metadata can be columns of its own beside its value: ``income.total.change`` (the
stated change), ``.pct``, ``.unit``, ``.precision`` -- what ``{"value": …, "change": …}`` says
in a record.  A table field (``expenditure.function``) comes as a *long frame* of its own, one
row per table row (:func:`table_roles`; see docs/columnar.md): ``_record`` names the record
(its id, or its 0-based row number when the record frame has no id column), ``_row`` the row's
position, the other columns are the table's columns, with their own metadata columns.  A column
of the record frame named by the table's path says whether a record has the table at all (null:
it has none; any value: it has it, possibly with no rows); without one, a record has the table
when it has rows.

Values are read exactly: text, :class:`~decimal.Decimal` and integers (Python's and numpy's) are
taken as they are.  Binary floats are refused with a message naming the column and row -- a
float has already lost the decimals that were printed -- unless the caller passes
``floats="printed"``, which reads each float through its shortest printed text (``repr``: what
pandas and Python print, so ``329.94`` reads as 329.94).  NaN, ``None``, ``pd.NA`` and ``NaT``
are missing values.

pandas, pyarrow and duckdb are never imported here: a frame is recognised by the module its type
comes from, so a caller that passes none pays for none.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from .checked import declares
from .errors import Location, RecordError

__all__ = ["is_frame", "frame_kind", "column_names", "column_values", "refuse_duplicate_keys", "column_paths", "column_roles", "table_roles",
           "frame_columns", "frame_records", "table_row_errors", "exact_value", "record_name", "FloatPolicy", "META_PARTS",
           "RECORD_KEY", "ROW_KEY"]

FloatPolicy = Literal["refuse", "printed"]
#: A column holding record ids rather than a field (taken as the record id when present).
ID_COLUMNS = ("_meta.id", "_id", "id", "记录")
#: A figure's metadata that may be a column beside its value (``income.total.change``).
META_PARTS = ("unit", "precision", "change", "pct")
#: In a long frame of table rows: the record a row belongs to, and its position in the table.
RECORD_KEY, ROW_KEY = "_record", "_row"


def frame_kind(obj: object) -> str | None:
    """``"pandas"``, ``"arrow"`` or ``"duckdb"`` for a frame of that library, else None."""
    module = type(obj).__module__ or ""
    root = module.split(".", 1)[0]
    if root == "pandas" and hasattr(obj, "columns") and hasattr(obj, "iloc"):
        return "pandas"
    if root == "pyarrow" and hasattr(obj, "column_names") and hasattr(obj, "column"):
        return "arrow"
    if root in ("duckdb", "_duckdb") and hasattr(obj, "columns") and hasattr(obj, "fetchall"):
        return "duckdb"
    return None


def is_frame(obj: object) -> bool:
    """True for a pandas DataFrame, an Arrow Table or RecordBatch, or a DuckDB relation."""
    return frame_kind(obj) is not None


def column_names(frame: Any) -> list[str]:
    """The frame's column names, as text."""
    kind = frame_kind(frame)
    if kind == "arrow":
        return [str(name) for name in frame.column_names]
    if kind in ("pandas", "duckdb"):
        return [str(name) for name in frame.columns]
    raise TypeError(f"not a DataFrame, Arrow table or DuckDB relation: {type(frame).__name__}")


def column_values(frame: Any) -> dict[str, list[Any]]:
    """Every column as a list of Python values (ints, Decimals, text, floats, None), in row order.

    Each library converts its own columns: pandas' ``tolist`` turns numpy scalars into Python
    ones, Arrow's ``to_pylist`` turns decimal128 into Decimal, DuckDB's DECIMAL comes as Decimal."""
    kind = frame_kind(frame)
    names = column_names(frame)
    if kind == "pandas":
        if len(set(names)) != len(names):
            raise RecordError("the DataFrame has two columns of the same name", "", Location("DataFrame"))
        return {name: frame.iloc[:, i].tolist() for i, name in enumerate(names)}
    if kind == "arrow":
        refuse_duplicate_keys(frame.schema, "DataFrame")
        return {name: frame.column(i).to_pylist() for i, name in enumerate(names)}
    rows = frame.fetchall()
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def refuse_duplicate_keys(schema: Any, where: str) -> None:
    """Refuse an Arrow schema with a struct whose two children have one name (Arrow allows it; a
    record cannot hold it, and pyarrow cannot make a dict of it): the E300 a JSON record with a
    key given twice gets, naming the struct's path (``income``, ``rows[]`` for a list's structs).
    Top-level columns of one name are refused by :func:`column_roles`."""
    import pyarrow as pa
    pending = [(field.type, field.name) for field in schema]
    while pending:
        kind, path = pending.pop()
        if pa.types.is_struct(kind):
            names = [kind.field(i).name for i in range(kind.num_fields)]
            twice = next((name for i, name in enumerate(names) if name in names[:i]), None)
            if twice is not None:
                raise RecordError(f"the key {twice!r} appears twice in one object (which value is meant?)", path,
                                  Location(where))
            pending.extend((kind.field(i).type, f"{path}.{kind.field(i).name}") for i in range(kind.num_fields))
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
            pending.append((kind.value_type, f"{path}[]"))
        elif pa.types.is_map(kind):
            pending.append((kind.item_type, f"{path}[]"))


def column_paths(names: list[str], fields: Mapping[str, Any] | None = None,
                 labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field path of each value column: the name itself when it is a declared path (or matches a
    declared ``prefix.*``), the path a declared label names, and otherwise the name as given (an
    undeclared figure, which the report mentions as a key no rule reads).  Metadata columns
    (``income.total.change``) are left out: see :func:`column_roles`."""
    return {name: path for name, (path, part) in column_roles(names, fields, labels).items() if part is None}


def column_roles(names: list[str], fields: Mapping[str, Any] | None = None,
                 labels: Mapping[str, str] | None = None) -> dict[str, tuple[str, str | None]]:
    """``(field path, part)`` of each column of a record frame: part None for a value (see
    :func:`column_paths`), or ``unit`` / ``precision`` / ``change`` / ``pct`` for a column named
    ``PATH.part`` (or ``LABEL.part``) beside a declared field."""
    fields = fields or {}
    labels = labels or {}

    roles: dict[str, tuple[str, str | None]] = {}
    taken: dict[tuple[str, str | None], str] = {}
    for name in names:
        if name in ID_COLUMNS:
            continue
        key = name.strip()
        role: tuple[str, str | None]
        if declares(fields, key):
            role = (key, None)
        elif key in labels:
            role = (labels[key], None)
        else:
            base, _, part = key.rpartition(".")
            if part in META_PARTS and base and declares(fields, base):
                role = (base, part)
            elif part in META_PARTS and base in labels:
                role = (labels[base], part)
            else:
                role = (key, None)
        _claim(taken, roles, role, name, "field")
    return roles


def _claim(taken: dict, roles: dict, role: tuple[str, str | None], name: str, claimed: str) -> None:
    """Give column *name* its role, refusing a second column for the same field or column."""
    if role in taken:
        named = role[0] + (f".{role[1]}" if role[1] else "")
        raise RecordError(f"columns {taken[role]!r} and {name!r} both name the {claimed} {named}", "",
                          Location("DataFrame"))
    taken[role] = name
    roles[name] = role


def table_roles(names: list[str], decl: Any = None) -> dict[str, tuple[str, str | None]]:
    """``(column, part)`` of each column of a table's long frame: declared column names and labels,
    metadata columns ``COLUMN.change`` …, and other columns as they are (cells no rule reads);
    the ``_record`` / ``_row`` keys are left out."""
    columns = {c.name: c for c in decl.columns} if decl is not None else {}
    labels = {label: c.name for c in columns.values() for label in c.labels}
    roles: dict[str, tuple[str, str | None]] = {}
    taken: dict[tuple[str, str | None], str] = {}
    for name in names:
        if name in (RECORD_KEY, ROW_KEY) or name in ID_COLUMNS:
            continue
        key = name.strip()
        role: tuple[str, str | None] = (labels.get(key, key) if key not in columns else key, None)
        if key not in columns and key not in labels:
            base, _, part = key.rpartition(".")
            if part in META_PARTS and (base in columns or base in labels or base == "code"):
                role = (labels.get(base, base), part)
        _claim(taken, roles, role, name, "column")
    return roles


def record_name(value: Any) -> str | None:
    """An id column's cell as its record's name (as both engines name records): its text, bytes
    decoded, None for a missing one -- None, NaN, pandas' NA -- whose record is then ``row N``.
    Not a figure: a float or bytes id does not make its record unreadable (review 18 B18-5)."""
    if value is None:
        return None
    try:
        if value != value:   # NaN, NaT
            return None
    except TypeError:        # pandas' NA, whose comparisons have no truth
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "backslashreplace")
    return str(value)


def exact_value(value: Any, floats: FloatPolicy, where: str) -> Any:
    """A cell as a record value: None when missing; ints and Decimals as Decimal; text as is;
    floats refused (or read through their printed text when *floats* is ``"printed"``)."""
    if value is None:
        return None
    kind = type(value)   # (the cells nearly all are: text and Decimal, before the number ABCs' slow checks)
    if kind is str:
        return value
    if kind is Decimal:
        return None if value.is_nan() else value
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, numbers.Integral):  # Python and numpy integers
        return Decimal(int(value))
    if isinstance(value, float):  # numpy.float64 is a float too
        if math.isnan(value):
            return None
        if floats != "printed":
            raise RecordError(
                f"{where} is a binary float ({value!r}): it has lost the decimals that were printed. "
                "Give amounts as text or Decimal, or pass floats=\"printed\" to read each float "
                "through its shortest printed text", "", Location("DataFrame"))
        if math.isinf(value):
            raise RecordError(f"{where} is not a finite number ({value!r})", "", Location("DataFrame"))
        return Decimal(repr(value))
    if isinstance(value, str):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers, without importing pandas
        return None
    if isinstance(value, numbers.Real):  # other numpy floats (float32, float16)
        return exact_value(float(value), floats, where)
    raise RecordError(f"{where} holds a value of type {type(value).__name__}, which is not an amount, "
                      "a text or a flag", "", Location("DataFrame"))


def frame_columns(frame: Any, fields: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None,
                  *, floats: FloatPolicy = "refuse") -> dict[str, list[Any]]:
    """Every column of *frame* by field path, its cells read exactly (see :func:`exact_value`)."""
    values = column_values(frame)
    paths = column_paths(list(values), fields, labels)
    out: dict[str, list[Any]] = {}
    for name, path in paths.items():
        out[path] = [exact_value(v, floats, f"column {name!r} row {i}") for i, v in enumerate(values[name], 1)]
    return out


def _rows_without_columns(frame: Any) -> int:
    """The records of a frame with no columns: an Arrow table or a DataFrame keeps its row count
    when every column is dropped (the columnar engine drops those a failing record cannot read), so
    its records are there, each holding only its tables."""
    rows = getattr(frame, "num_rows", None)
    if rows is None and hasattr(frame, "index"):
        rows = len(frame.index)
    return int(rows or 0)


def frame_records(frame: Any, fields: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None,
                  *, floats: FloatPolicy = "refuse", tables: Mapping[str, Any] | None = None,
                  numbers: Sequence[int] | None = None) -> Iterator[dict[str, Any] | RecordError]:
    """One nested record mapping per row (``income.total`` → ``{"income": {"total": …}}``, with
    metadata columns as ``{"value": …, "change": …}`` and *tables* -- table path or label → long
    frame -- as lists of rows), or a RecordError for a row that cannot be read; the other rows
    still come.  *numbers*: each row's 1-based number in the input the frame was cut from (its
    name in messages: ``column 'a' row 5001``, ``row 5001`` for a record without an id), else
    its place in the frame; a table row is named by its place in its record's table."""
    fields = fields or {}
    values = column_values(frame)
    roles = column_roles(list(values), fields, labels)
    id_column = next((name for name in values if name in ID_COLUMNS), None)
    count = len(next(iter(values.values()))) if values else _rows_without_columns(frame)
    ids = values[id_column] if id_column is not None else None
    rows, row_errors = _table_rows(tables or {}, fields, labels or {}, ids, count, floats)
    is_table = {name for name, (path, part) in roles.items()
                if part is None and getattr(fields.get(path), "kind", None) == "table"}
    marked = {roles[name][0] for name in is_table}   # tables whose presence a column says
    for i in range(count):
        record: dict[str, Any] = {}
        number = numbers[i] if numbers is not None else i + 1
        rid = record_name(ids[i]) if ids is not None else None
        rid = rid if rid is not None else f"row {number}"
        try:
            if i in row_errors:
                raise row_errors[i]
            meta: dict[str, dict[str, Any]] = {}
            present_tables = set()
            for name, (path, part) in roles.items():
                value = exact_value(values[name][i], floats, f"column {name!r} row {number}")
                if value is None:
                    continue
                if name in is_table:
                    present_tables.add(path)
                elif part is None:
                    _put(record, path, value, name)
                else:
                    meta.setdefault(path, {})[part] = value
            for path, parts in meta.items():
                _put_meta(record, path, parts)
            for path in sorted(marked | set(rows)):
                listed = rows.get(path, {})
                if (path in present_tables) if path in marked else i in listed:
                    _put(record, path, _positioned(listed.get(i, [])), path)
        except RecordError as exc:
            exc.location = Location(rid)  # the batch names the failed record by its row
            yield exc
            continue
        record["_meta"] = {"id": rid}
        yield record


def _positioned(rows: list[tuple[int, dict[str, Any]]]) -> list[Any]:
    """A record's table rows in order, with None where a position is skipped (as a list with a
    null entry: the rows after it keep their positions)."""
    out: list[Any] = []
    for position, row in sorted(rows, key=lambda item: item[0]):
        while len(out) < position - 1:
            out.append(None)
        out.append(row)
    return out


def _table_rows(tables: Mapping[str, Any], fields: Mapping[str, Any], labels: Mapping[str, str], ids: Any,
                count: int, floats: FloatPolicy) -> tuple[dict[str, dict[int, list[Any]]], dict[int, RecordError]]:
    """Every long frame's rows as {table path: {record row: [(position, row mapping)]}}, and the
    records one of whose table rows cannot be read."""
    out: dict[str, dict[int, list[Any]]] = {}
    errors: dict[int, RecordError] = {}
    number = {str(v): i for i, v in reversed(list(enumerate(ids)))} if ids is not None else None
    for given, frame in tables.items():
        path = given if given in fields else labels.get(given, given)
        values = column_values(frame)
        key = RECORD_KEY if RECORD_KEY in values else next((c for c in values if c in ID_COLUMNS), None)
        if key is None:
            raise RecordError(f"the rows of table {path} need a {RECORD_KEY} column naming their record", "",
                              Location(path))
        roles = table_roles(list(values), fields.get(path))
        listed: dict[int, list[Any]] = out.setdefault(path, {})
        seen: dict[int, int] = {}
        for j, owner in enumerate(values[key]):
            if number is not None:
                i = number.get(str(owner)) if owner is not None else None
            else:
                i = int(owner) if isinstance(owner, numbers.Integral) and not isinstance(owner, bool) else None
            if i is None or not 0 <= i < count:
                raise RecordError(f"row {j + 1} of table {path} names no record of the frame ({owner!r})", "",
                                  Location(path))
            position = values[ROW_KEY][j] if ROW_KEY in values else None
            seen[i] = seen.get(i, 0) + 1
            position = int(position) if position is not None else seen[i]
            row: dict[str, Any] = {}
            meta: dict[str, dict[str, Any]] = {}
            try:
                for name, (column, part) in roles.items():
                    value = exact_value(values[name][j], floats, f"table {path} row {position} column {name!r}")
                    if value is None:
                        continue
                    if part is None:
                        row[column] = value
                    else:
                        meta.setdefault(column, {})[part] = value
                for column, parts in meta.items():
                    if column in row:
                        row[column] = {"value": row[column], **parts}
                    else:  # metadata without a value: what a record without the figure would hold
                        row[column] = dict(parts)
            except RecordError as exc:
                errors.setdefault(i, exc)
            listed.setdefault(i, []).append((position, row))
    return out, errors


def table_row_errors(tables: Mapping[str, Any], fields: Mapping[str, Any], labels: Mapping[str, str], ids: Any,
                     count: int, floats: FloatPolicy) -> dict[int, RecordError]:
    """record number → the error that makes the record unreadable for a row of its table in
    *tables* (table path or label → long frame) that cannot be read -- the table, the row within
    the record's table, the column and the value, as :func:`frame_records` names it: the
    columnar engine's reading of table frames holding an odd cell (review 17 B11)."""
    return _table_rows(tables, fields, labels, ids, count, floats)[1]


def _put_meta(record: dict[str, Any], path: str, parts: dict[str, Any]) -> None:
    """A figure's metadata columns: ``{"value": …, "change": …}`` where it has a value; where it
    has none, the metadata alone (a group of figures, as such a record mapping would be read)."""
    node = record
    keys = path.split(".")
    for part in keys[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            return _put(record, path, dict(parts), path)
        node = child
    value = node.get(keys[-1])
    if value is None:
        _put(record, path, dict(parts), path)
    elif not isinstance(value, dict):
        node[keys[-1]] = {"value": value, **parts}


def _put(record: dict[str, Any], path: str, value: Any, column: str) -> None:
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise RecordError(f"column {column!r} puts a value inside the figure {part}", path, Location("DataFrame"))
        node = child
    if isinstance(node.get(parts[-1]), dict):
        raise RecordError(f"column {column!r} is a group of other columns' fields", path, Location("DataFrame"))
    node[parts[-1]] = value
