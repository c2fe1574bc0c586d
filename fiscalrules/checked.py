"""The checked ruleset (:class:`CheckedRuleset`): what the checker (:mod:`fiscalrules.checker`)
makes of a ruleset's files, what the compiler (:class:`fiscalrules.loader.Ruleset`) compiles and
what the ruleset cache (:mod:`fiscalrules.cache`) keeps.

A module of its own so that loading a ruleset from the cache -- every command-line audit --
does not import the checker (with its expression and function checks, ~10 M instructions of
each start); :mod:`fiscalrules.checker` still exports the class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from .reprs import attrs_repr

if TYPE_CHECKING:
    from decimal import Decimal

    from . import ast

__all__ = ["CheckedRuleset"]


@attrs.frozen
class CheckedRuleset:
    """A ruleset whose rules are resolved and type-checked."""

    __repr__ = attrs_repr   # attrs' repr, written once (see fiscalrules.reprs)

    name: str
    title: str | None
    title_en: str | None
    default_unit: str | None
    precisions: dict[str, Decimal]
    fields: dict[str, ast.FieldDecl]   # path → FieldDecl (wildcard declarations under "prefix.*")
    labels: dict[str, str]             # label or alias → path
    rules: tuple[ast.Rule, ...]        # with resolved expressions
    files: tuple[str | None, ...]      # the files read, main first (None: a text with no file)
    row_vars: dict[str, dict[str, str]] = attrs.field(factory=dict)  # rule id → {var name: table path}
