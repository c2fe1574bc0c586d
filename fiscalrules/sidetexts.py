"""The texts of both sides of a comparison a finding shows -- as written (paths) and for people
(labels) -- printed when a finding first shows them, not when the rule is compiled: printing
every comparison of a ruleset at compile time took a third of compiling a 10,000-rule file.
The evaluator attaches them to each compiled rule (:func:`sides`)."""

from __future__ import annotations

from . import ast
from .context import Settings
from .printer import describe, to_source

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (a warm audit imports none)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["sides"]


def sides(node: object, settings: Settings, row_tables: dict | None = None) -> Sequence[str]:
    """Both sides of a comparison as text -- (left, right) as written (paths), then for people
    (labels) -- printed when a finding first shows them: printing every comparison of a ruleset
    when it is compiled took a third of compiling a 10,000-rule file.  *row_tables*: the rule's
    row variables' tables (``r.total`` is then the column's label, ``r.合计``)."""
    if isinstance(node, (ast.Compare, ast.Member)):
        return _SideTexts(node, settings, row_tables)
    return _NO_SIDES


_NO_SIDES = ("", "", "", "")


class _SideTexts:
    """The four texts of :func:`sides`, read by index as a tuple, printed on first read."""

    __slots__ = ("_node", "_settings", "_rows", "_texts")

    def __init__(self, node: ast.Compare | ast.Member, settings: Settings, rows: dict | None) -> None:
        self._node, self._settings, self._rows = node, settings, rows
        self._texts: tuple[str, str, str, str] | None = None

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: Any) -> Any:
        texts = self._texts
        if texts is None:
            texts = self._texts = _print_sides(self._node, self._settings, self._rows)
        return texts[index]

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (to another process) as the plain tuple
        return tuple, (tuple(self),)

    def __repr__(self) -> str:
        return repr(tuple(self))


def _print_sides(node: ast.Compare | ast.Member, settings: Settings, rows: dict | None) -> tuple[str, str, str, str]:
    labels = settings.labels_for_people
    if rows:   # (each row variable's table, beside the ruleset's labels: printer._column_labelled)
        from collections import ChainMap
        labels = ChainMap({("row", var): table for var, table in rows.items()}, labels)
    if isinstance(node, ast.Compare):
        return (to_source(node.left), to_source(node.right),
                describe(node.left, labels), describe(node.right, labels))
    if isinstance(node, ast.Member):
        options = "{" + ", ".join(to_source(o) for o in node.options) + "}"
        return to_source(node.item), options, describe(node.item, labels), options
    return _NO_SIDES
