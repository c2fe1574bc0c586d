"""What each rule of a ruleset reads, statically: its *footprint* (:func:`footprints`), the tokens
of a figure (:func:`tokens_of`) to match against it, and whether a rule checked row by row reads,
in one row's instance, only rows related to that row by classification code (:func:`rows_apart`).

Localisation models only the rules that can matter to a group of failures (those reading one of
its figures), and a rule checked row by row only for the rows related to the figures covered;
both are decided here, from the rule text alone, once per ruleset -- and kept with a cached
bundled ruleset (:func:`facts_of`, read back by :func:`footprints` and :func:`rows_apart` when they
fit the rules, worked out again when they do not).
"""

from __future__ import annotations

import weakref

from .. import ast
from ..finding_parts import _CELL
from ..loader import Ruleset
from ..symbolic.plan import table_of, walk

__all__ = ["footprints", "tokens_of", "rows_apart", "facts_of"]


def tokens_of(path: str) -> set:
    """The footprint tokens a figure at *path* matches: ``("c", table, column)`` for a table
    cell, ``("f", path)`` and ``("w", parent)`` (a wildcard over its siblings) otherwise."""
    m = _CELL.match(path)
    if m:
        return {("c", m["table"], m["column"])}
    parent = path.rpartition(".")[0]
    return {("f", path), ("w", parent)}


_FOOTPRINTS: "weakref.WeakKeyDictionary[Ruleset, dict]" = weakref.WeakKeyDictionary()
_APART: "weakref.WeakKeyDictionary[Ruleset, dict]" = weakref.WeakKeyDictionary()


def footprints(ruleset: Ruleset) -> dict:
    """rule id → frozenset of tokens it may read (None when it cannot be told: always modelled)."""
    found = _FOOTPRINTS.get(ruleset)
    if found is None:
        found = _kept_footprints(ruleset)
        if found is None:
            found = _footprints(ruleset.checked)
        _FOOTPRINTS[ruleset] = found
    return found


def _footprints(checked) -> dict:
    return {rule.id: _footprint(rule, checked.row_vars.get(rule.id, {})) for rule in checked.rules}


def _footprint(rule: ast.Rule, row_vars: dict):
    tokens = set()
    for root in (rule.when, rule.assertion):
        if root is None:
            continue
        for node in walk(root):
            if isinstance(node, ast.FieldRef):
                tokens.add(("f", node.path))
            elif isinstance(node, ast.Wildcard):
                tokens.add(("w", node.prefix))
            elif isinstance(node, ast.Column):
                table = table_of(node.obj, row_vars)
                if table is None:
                    return None
                tokens.add(("c", table, node.name))
    return frozenset(tokens)


def rows_apart(ruleset: Ruleset) -> dict:
    """rule id → True for a rule checked row by row (``for each r in T``) whose instance for a
    row reads no table row but that row, the rows of other tables with its code
    (``U[r.code]``) and its parent and children; False for one that also reads rows unrelated
    by code -- a nested ``for each`` or an aggregate over a table (rows matched by name, say),
    a whole column (``sum(T.amount)``), a row looked up by a fixed or computed code.  Only the
    former may be instantiated for the related rows alone."""
    found = _APART.get(ruleset)
    if found is None:
        found = _kept_rows_apart(ruleset)
        if found is None:
            found = _all_rows_apart(ruleset.checked)
        _APART[ruleset] = found
    return found


def _all_rows_apart(checked) -> dict:
    return {rule.id: _rows_apart(rule.assertion) for rule in checked.rules if isinstance(rule.assertion, ast.ForEach)}


def _rows_apart(loop: ast.ForEach) -> bool:
    own = ast.VarRef(loop.var)
    for root in (loop.where, loop.body):
        if root is None:
            continue
        for node in walk(root):
            if isinstance(node, (ast.ForEach, ast.Comprehension)):
                return False
            if isinstance(node, ast.Column) and isinstance(node.obj, ast.TableRef):
                return False
            if isinstance(node, ast.Lookup) and not _own_code(node.key, own):
                return False
            if isinstance(node, ast.Call) and node.func in ("children", "parent") and node.args and \
                    not (_same_var(node.args[0], own) or isinstance(node.args[0], ast.Lookup)):
                return False
    return True


def _same_var(node, own: ast.VarRef) -> bool:
    return isinstance(node, ast.VarRef) and node.name == own.name


def _own_code(key, own: ast.VarRef) -> bool:
    """``r.code`` of the loop's own row variable."""
    return isinstance(key, ast.Column) and key.name == "code" and _same_var(key.obj, own)


# ---- kept with a cached ruleset ----------------------------------------------------------------------

def facts_of(checked) -> dict:
    """The footprints and rows-apart facts of a checked ruleset as plain data (each footprint
    the frozenset of its token tuples of texts, as :func:`footprints` gives it: pickle makes
    them again in C), for the ruleset cache to keep with its entry (:mod:`fiscalrules.cache`):
    the ~5,000 nodes of the bundled budget ruleset are then not walked again by every audit
    that localises."""
    return {"footprints": _footprints(checked), "rows_apart": _all_rows_apart(checked)}


_TOKEN_SIZES = {"f": 2, "w": 2, "c": 3}


def _kept_footprints(ruleset: Ruleset) -> dict | None:
    """The footprints the cache kept for *ruleset*, or None when there are none or they do not fit
    its rules exactly (the cache folder is anyone's to write: every item is checked)."""
    kept = ruleset.facts.get("footprints")
    if type(kept) is not dict or kept.keys() != {rule.id for rule in ruleset.checked.rules}:
        return None
    distinct: set = set()
    for tokens in kept.values():
        if tokens is None:
            continue
        # frozensets of tuples (each checked below, once per distinct token: the rules share
        # most of theirs)
        if type(tokens) is not frozenset:
            return None
        distinct |= tokens
    for token in distinct:
        if type(token) is not tuple:
            return None
        # 2 or 3 texts (every size in _TOKEN_SIZES), the first naming its size
        if not 2 <= len(token) <= 3 or type(token[0]) is not str or type(token[1]) is not str \
                or (len(token) == 3 and type(token[2]) is not str) or _TOKEN_SIZES.get(token[0]) != len(token):
            return None
    return dict(kept)


def _kept_rows_apart(ruleset: Ruleset) -> dict | None:
    """The rows-apart facts the cache kept for *ruleset*, or None (as :func:`_kept_footprints`)."""
    kept = ruleset.facts.get("rows_apart")
    if type(kept) is not dict or not all(type(apart) is bool for apart in kept.values()) or \
            kept.keys() != {rule.id for rule in ruleset.checked.rules if isinstance(rule.assertion, ast.ForEach)}:
        return None
    return dict(kept)
