"""Frames: the ONE adapter from DataFrames, Arrow tables and DuckDB relations to columns by field path.

Everything that takes tabular data in goes through here: records built from a frame's rows for the
per-record evaluator (:func:`frame_records`, used by ``Ruleset.evaluate_many(frame)``) and whole
columns for a columnar engine (:func:`frame_columns`).  One row of a frame is one record; its flat
columns are fields, named either by field path (``income.total``) or by a label the ruleset
declares (``收入预算总额``).  :func:`column_paths` makes that mapping once per frame.

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
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

from .errors import Location, RecordError

__all__ = ["is_frame", "frame_kind", "column_names", "column_values", "column_paths", "frame_columns",
           "frame_records", "exact_value", "FloatPolicy"]

FloatPolicy = Literal["refuse", "printed"]
#: A column holding record ids rather than a field (taken as the record id when present).
ID_COLUMNS = ("_meta.id", "_id", "id", "记录")


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
        return {name: frame.column(i).to_pylist() for i, name in enumerate(names)}
    rows = frame.fetchall()
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def column_paths(names: list[str], fields: Mapping[str, Any] | None = None,
                 labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field path of each column: the name itself when it is a declared path (or matches a
    declared ``prefix.*``), the path a declared label names, and otherwise the name as given (an
    undeclared figure, which the report mentions as a key no rule reads)."""
    fields = fields or {}
    labels = labels or {}
    paths: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name in names:
        if name in ID_COLUMNS:
            continue
        key = name.strip()
        if key in fields or (key.rpartition(".")[0] + ".*") in fields:
            path = key
        else:
            path = labels.get(key, key)
        if path in taken:
            raise RecordError(f"columns {taken[path]!r} and {name!r} both name the field {path}", "",
                              Location("DataFrame"))
        taken[path] = name
        paths[name] = path
    return paths


def exact_value(value: Any, floats: FloatPolicy, where: str) -> Any:
    """A cell as a record value: None when missing; ints and Decimals as Decimal; text as is;
    floats refused (or read through their printed text when *floats* is ``"printed"``)."""
    if value is None:
        return None
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


def frame_records(frame: Any, fields: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None,
                  *, floats: FloatPolicy = "refuse") -> Iterator[dict[str, Any] | RecordError]:
    """One nested record mapping per row (``income.total`` → ``{"income": {"total": …}}``), or a
    RecordError for a row that cannot be read; the other rows still come."""
    values = column_values(frame)
    paths = column_paths(list(values), fields, labels)
    id_column = next((name for name in values if name in ID_COLUMNS), None)
    count = len(next(iter(values.values()))) if values else 0
    for i in range(count):
        record: dict[str, Any] = {}
        rid = values[id_column][i] if id_column is not None else None
        rid = str(rid) if rid is not None else f"row {i + 1}"
        try:
            for name, path in paths.items():
                value = exact_value(values[name][i], floats, f"column {name!r} row {i + 1}")
                if value is not None:
                    _put(record, path, value, name)
        except RecordError as exc:
            exc.location = Location(rid)  # the batch names the failed record by its row
            yield exc
            continue
        record["_meta"] = {"id": rid}
        yield record


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
