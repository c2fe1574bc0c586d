"""What a rule can read of a record: a failing record's findings are made from a record holding
only what its failing rules read.

Making the findings of a failing record means reading it back from the frames as a record and
running its failing rules on the per-record engine (so sides, operands and messages are that
engine's own).  Reading the whole record is most of that work -- a budget record has some four
hundred figures and thirty-five tables of about a hundred rows, each cell read and checked --
while a rule names a handful of figures and one or two tables.  A rule reads a record only
through the fields its condition and assertion name (``income.total``, ``T``, ``T[code]``,
``children(r)`` of a row of ``T``, the figures ``prefix.*`` stands for) and the figures its
message quotes (``{income.total}`` or a label); the record's ``_meta`` is kept whole.  So a
record holding those fields reads, for that rule, exactly as the whole record does.

Anything this module does not recognise (a node it does not know, a name the checker left
unresolved) makes it answer None: the whole record is read, as before.
"""

from __future__ import annotations

import attrs
import numpy as np

from .. import ast

__all__ = ["paths_read", "reached", "RuleReads", "block_wants", "wanted"]

# Resolved nodes that name a field; every other node is walked through its fields.
_NAMING = (ast.FieldRef, ast.TableRef, ast.Wildcard)
# Surface nodes a checked rule should no longer hold: their meaning is not known here.
_UNRESOLVED = (ast.Name, ast.Attribute, ast.Star, ast.Index)


def _naming_nodes(rule) -> list | None:
    """The nodes of *rule*'s condition and assertion that name fields, or None when it holds
    something this module does not know."""
    found = []
    pending = [node for node in (rule.when, rule.assertion) if node is not None]
    while pending:
        node = pending.pop()
        if isinstance(node, _UNRESOLVED):
            return None
        if isinstance(node, _NAMING):
            found.append(node)
            continue
        if isinstance(node, (tuple, list)):
            pending.extend(node)
            continue
        if not attrs.has(type(node)):
            if isinstance(node, (str, int, float, bool, type(None))) or type(node).__name__ == "Decimal":
                continue
            return None   # a value of a kind not known here
        for field in attrs.fields(type(node)):
            if field.name != "_span":
                pending.append(getattr(node, field.name))
    return found


def paths_read(rule, settings) -> frozenset | None:
    """The field paths (figures, tables, wildcard prefixes) that *rule* -- an ``ast.Rule`` --
    names or its messages quote, or None when that cannot be said (read the whole record)."""
    from ..messages import _PLACEHOLDER
    nodes = _naming_nodes(rule)
    if nodes is None:
        return None
    named = {node.prefix if isinstance(node, ast.Wildcard) else node.path for node in nodes}
    labels = getattr(settings, "paths_by_label", {})
    for template in (rule.message, rule.message_en):
        for key in _PLACEHOLDER.findall(template or ""):
            key = key.strip()
            named.update((key, labels.get(key, key)))
    return frozenset(named)


def reached(named: frozenset, paths: list) -> list:
    """The indices of *paths* a rule naming *named* can read: a path named, lying inside a named
    field or group, or a group holding one."""
    holding = set(named)                  # the named paths and every group above them
    for p in named:
        while "." in p:
            p = p.rsplit(".", 1)[0]
            holding.add(p)
    out = []
    for i, path in enumerate(paths):
        if path in holding:
            out.append(i)
            continue
        while "." in path:
            path = path.rsplit(".", 1)[0]
            if path in named:
                out.append(i)
                break
    return out


class RuleReads:
    """rule index (plan order) → the keys of what the rule can read in the frames of *source*
    (an engine ``_Source``): ``("table", path)`` for its long frames, ``("column", name)`` for
    the record frame's figure and table-presence columns (``_meta`` and ids are always read) --
    or None: everything.  Worked out for the rules that need it, once per ruleset and frame
    layout (every chunk of a file has the same)."""

    def __init__(self, ruleset, plans: list, source):
        from ..frames import ID_COLUMNS
        self.plans = plans
        columns = [(name, path) for name, (path, part) in source.roles.items()
                   if not path.startswith("_meta") and name not in ID_COLUMNS]
        columns += [(name, path) for path, name in source.presence.items()]
        #: record-frame columns a record may be read without
        self.droppable = [name for name, _ in columns]
        self.keys = [("table", path) for path in source.long] + [("column", name) for name, _ in columns]
        self.paths = list(source.long) + [path for _, path in columns]
        memo = ruleset.__dict__.setdefault("_columnar_reads", {})
        layout = (tuple(self.keys), tuple(self.paths))
        if layout not in memo:
            memo.clear()   # one layout at a time: a new file's replaces the last
            memo[layout] = {}
        self.found = memo[layout]

    def __call__(self, index: int):
        found = self.found
        if index not in found:
            compiled = self.plans[index].rule
            named = paths_read(compiled.rule, compiled.settings)
            found[index] = None if named is None else frozenset(self.keys[i] for i in reached(named, self.paths))
        return found[index]


def wanted(wants, key: tuple):
    """Which records of a block need *key* (``("table", path)`` or ``("column", name)``): True
    (all), False (none) or a mask."""
    if wants is None:
        return True
    want = wants[0].get(key, wants[2])
    if want is None or not want.any():
        return False
    return True if want.all() else want


def block_wants(block: list, needs: dict, columns: list):
    """(key → mask of the records of *block* needing it, the record-frame *columns* that may be
    left out, the mask of records needing everything) from *needs*: row → the keys its rules
    can read (:class:`RuleReads`), or None for everything."""
    whole = np.fromiter((needs[row] is None for row in block), bool, len(block))
    keys: set = set()
    for row in block:
        if needs[row] is not None:
            keys |= needs[row]
    masks = {key: whole | np.fromiter((needs[row] is not None and key in needs[row] for row in block), bool,
                                      len(block)) for key in keys}
    return masks, columns, whole
