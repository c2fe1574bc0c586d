"""The figures of a record as (path, value) pairs, for tests comparing two readings of one
document (a PDF and its -layout text, a text and its web page or workbook)."""

from __future__ import annotations


def figure_values(node, path: str = "", *, skip=("source", "_meta"), rows_by_code: bool = False):
    """(path, value) of every figure under *node*, keys in *skip* left out; a table's rows by
    position, or with *rows_by_code* by their code (or name) where they have one."""
    if isinstance(node, dict):
        if "value" in node and not isinstance(node["value"], (dict, list)):
            yield path, node["value"]
            return
        for key, value in node.items():
            if key not in skip:
                yield from figure_values(value, f"{path}.{key}", skip=skip, rows_by_code=rows_by_code)
    elif isinstance(node, list):
        for at, value in enumerate(node):
            key = (value.get("code") or value.get("name")) if rows_by_code and isinstance(value, dict) else None
            yield from figure_values(value, f"{path}[{key if key is not None else at}]", skip=skip,
                                     rows_by_code=rows_by_code)
