"""The checked ruleset (:class:`CheckedRuleset`): what the checker (:mod:`fiscalrules.checker`)
makes of a ruleset's files, what the compiler (:class:`fiscalrules.loader.Ruleset`) compiles and
what the ruleset cache (:mod:`fiscalrules.cache`) keeps.

A module of its own so that loading a ruleset from the cache -- every command-line audit --
does not import the checker (with its expression and function checks, ~10 M instructions of
each start); :mod:`fiscalrules.checker` still exports the class.
"""

from __future__ import annotations

from .nodebase import NEW_DICT, ComparedByFields
from .nodebase import setfield as _set

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from decimal import Decimal

    from . import ast

__all__ = ["CheckedRuleset", "declares"]


def declares(fields: Mapping[str, object], path: str) -> bool:
    """Whether *fields* (a checked ruleset's ``fields``: path → declaration, a wildcard
    declaration under ``prefix.*``) declares the figure or table *path*, itself or by its
    prefix's wildcard: what decides whether a record's key, a frame's column or a flattened
    path is one a rule may read."""
    return path in fields or (path.rpartition(".")[0] + ".*") in fields


class CheckedRuleset(ComparedByFields):
    """A ruleset whose rules are resolved and type-checked."""

    # Written out (fiscalrules.nodebase: attrs' frozen class, its attrs metadata made when asked
    # for) rather than made by attrs at every start.
    __slots__ = _fields = ("name", "title", "title_en", "default_unit", "precisions", "fields", "labels", "rules", "files",
                 "row_vars")
    _attrs_made = ("frozen", {})

    def __init__(self, name: str, title: str | None, title_en: str | None, default_unit: str | None,
                 precisions: dict[str, Decimal],
                 fields: dict[str, ast.FieldDecl],   # path → FieldDecl (wildcard declarations under "prefix.*")
                 labels: dict[str, str],             # label or alias → path
                 rules: tuple[ast.Rule, ...],        # with resolved expressions
                 files: tuple[str | None, ...],      # the files read, main first (None: a text with no file)
                 row_vars: dict[str, dict[str, str]] = NEW_DICT) -> None:  # type: ignore[assignment]
        _set(self, "name", name)                     # row_vars: rule id → {var name: table path}
        _set(self, "title", title)
        _set(self, "title_en", title_en)
        _set(self, "default_unit", default_unit)
        _set(self, "precisions", precisions)
        _set(self, "fields", fields)
        _set(self, "labels", labels)
        _set(self, "rules", rules)
        _set(self, "files", files)
        _set(self, "row_vars", {} if row_vars is NEW_DICT else row_vars)
