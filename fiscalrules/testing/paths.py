"""Finding, reading and writing a figure inside a record mapping by the path findings name it
with (``a.b``, ``table[code].column``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from ..records import FIGURE_KEYS


def _is_figure(value) -> bool:
    return isinstance(value, dict) and "value" in value and all(k in FIGURE_KEYS for k in value)


_CELL_PATH = re.compile(r"^(?P<table>.+?)\[(?P<code>[^\]]*)\]\.(?P<column>[^.\[\]]+)$")


def _navigate(data, path: str):
    node = data
    if not path:
        return node
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _find_row(rows, code: str):
    if not isinstance(rows, list):
        return None
    for i, row in enumerate(rows, start=1):
        if row is not None and _row_code(row, i) == code:
            return row
    return None


def _rows_by_code(rows) -> dict:
    """Every row of *rows* by its code (the first where codes repeat), as :func:`_find_row`
    finds them: one pass for a table whose rows are all looked up."""
    index: dict = {}
    if isinstance(rows, list):
        for i, row in enumerate(rows, start=1):
            if row is not None:
                index.setdefault(_row_code(row, i), row)
    return index


def _row_code(row, position: int) -> str:
    """The code a row is found by: its code column, else its position (from 1)."""
    if isinstance(row, Mapping) and not _is_figure(row):
        raw = row.get("code")
        if isinstance(raw, Mapping):
            raw = raw.get("value")
        if raw is not None:
            return str(int(raw)) if isinstance(raw, Decimal) and raw == raw.to_integral_value() else str(raw).strip()
    return str(position)


def _locate(data, path: str):
    """(container, key) holding the figure at *path* inside a record mapping."""
    match = _CELL_PATH.match(path)
    if match:
        rows = _navigate(data, match.group("table"))
        row = _find_row(rows, match.group("code"))
        if row is None:
            return None
        if not isinstance(row, Mapping) or _is_figure(row):
            index = rows.index(row)
            return rows, index
        return row, match.group("column")
    parent, _, key = path.rpartition(".")
    container = _navigate(data, parent) if parent else data
    if not isinstance(container, Mapping) or key not in container:
        return None
    return container, key


def _read_raw(data, path: str, meta: str):
    loc = _locate(data, path)
    if loc is None:
        return None
    container, key = loc
    current = container[key]
    if isinstance(current, Mapping):
        return current.get(meta)
    return current if meta == "value" else None


def _write_raw(data, path: str, meta: str, text: str) -> None:
    container, key = _locate(data, path)
    current = container[key]
    if isinstance(current, Mapping):
        current = dict(current)
        current[meta] = text
        current.pop("printed", None)
        container[key] = current
    else:
        container[key] = text
