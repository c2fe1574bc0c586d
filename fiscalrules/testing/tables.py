"""Records as frames: generated records flattened to one row per record, columns by field path.

For the columnar engine (``Ruleset.evaluate_table``) and its tests and benchmarks: a record's
scalar figures become columns named by path (a figure with metadata contributes its value),
absent figures null cells.  Tables and stated changes have no column in a flat frame
(``fiscalrules.frames``), so they are left out -- in both engines alike, since both read the frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

__all__ = ["flatten_record", "records_table", "typed_table"]


def flatten_record(record: Mapping, prefix: str = "") -> dict:
    """``{"income": {"total": "1"}}`` → ``{"income.total": "1"}``; tables and ``_meta`` left out."""
    out: dict = {}
    for key, value in record.items():
        if not prefix and key == "_meta":
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            if "value" in value and not isinstance(value["value"], Mapping):
                out[path] = value["value"]
            else:
                out.update(flatten_record(value, path))
        elif isinstance(value, list) or value is None:
            continue
        else:
            out[path] = value
    return out


def _text(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def records_table(records: Iterable[Mapping]):
    """A pyarrow Table with one row per record: every value as the text it is printed as (so each
    cell keeps its own decimals), flags as booleans; columns in first-seen order."""
    import pyarrow as pa
    rows = [flatten_record(r) for r in records]
    columns: dict = {}
    for row in rows:
        for path in row:
            columns.setdefault(path, None)
    arrays = {}
    for path in columns:
        values = [row.get(path) for row in rows]
        if all(v is None or isinstance(v, bool) for v in values) and any(isinstance(v, bool) for v in values):
            arrays[path] = pa.array(values, type=pa.bool_())
        else:
            arrays[path] = pa.array([None if isinstance(v, bool) else _text(v) for v in values], type=pa.string())
    return pa.table(arrays) if arrays else pa.table({"_meta.id": [str(i + 1) for i in range(len(rows))]})



def typed_table(table, max_scale: int = 6, text: tuple = ()):
    """The same table with every text column that holds only plain numbers as decimal128 (its
    scale the most decimals any cell has): the form a database or a Parquet file gives amounts.
    Each cell then stands for its value at the column's scale (``50`` becomes ``50.00``).  The
    columns named in *text* stay text (a table's ``code``: an identifier, where ``03`` is not
    ``3`` and a damaged ``20101.01`` is a code the loader takes as text but refuses as a number)."""
    import re

    import pyarrow as pa
    plain = re.compile(r"-?(\d{1,15})(?:\.(\d{1,%d}))?" % max_scale)
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if not pa.types.is_string(column.type) or name in text:
            columns[name] = column
            continue
        values = column.to_pylist()
        matches = [plain.fullmatch(v) if v is not None else None for v in values]
        if any(v is not None and m is None for v, m in zip(values, matches)) or not any(matches):
            columns[name] = column
            continue
        scale = max(len(m.group(2) or "") for m in matches if m is not None)
        digits = max(len(m.group(1)) for m in matches if m is not None)
        numbers = [Decimal(v).quantize(Decimal(1).scaleb(-scale)) if v is not None else None for v in values]
        columns[name] = pa.array(numbers, type=pa.decimal128(min(digits + scale, 38), scale))
    return pa.table(columns)
