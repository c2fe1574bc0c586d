"""What a columnar plan computes once instead of again: expressions shared among a ruleset's
rules (:class:`Shared`: the same expression over the same domain with the same tolerance,
computed once per chunk and dropped after its last reader), and expressions inside a ``for
each`` that read none of its variables (:func:`lifted`: computed once per enclosing element and
gathered to the rows).  :func:`free_vars` says which loop variables an expression reads;
:func:`defers` whether it may leave records to the per-record engine (those are never shared).
"""

from __future__ import annotations

from .. import ast
from ..ast import child_nodes   # (the nodes under a node: fiscalrules.joins walks them alike)
from .columns import Num
from .vectors import take

__all__ = ["Shared", "free_vars", "child_nodes", "defers", "cacheable", "lifted", "NOT_SHARED"]


def free_vars(node, memo: dict) -> frozenset:
    """The loop variables *node* reads that it does not bind itself."""
    found = memo.get(id(node))
    if found is not None:
        return found
    t = type(node)
    if t is ast.VarRef:
        found = frozenset((node.name,))
    elif t in (ast.ForEach, ast.Comprehension):
        inner = node.body if t is ast.ForEach else node.elem
        cond = node.where if t is ast.ForEach else node.cond
        bound = free_vars(inner, memo) | (free_vars(cond, memo) if cond is not None else frozenset())
        found = free_vars(node.source, memo) | (bound - {node.var})
    else:
        found = frozenset()
        for child in child_nodes(node):
            found |= free_vars(child, memo)
    memo[id(node)] = found
    return found


def cacheable(value):
    if isinstance(value, Num):
        value.owned = False  # shared from now on: no consumer may write into it
    return value


class Shared:
    """The expressions a ruleset's rules compute more than once -- the same expression over the
    same domain (the records, or the rows of the same source bound to the same variable), with
    the same tolerance: ``present(tables.expenditure.rows)`` in many rules' ``when``, the filter
    ``count(children(r)) > 0`` of every roll-up rule of a table, a nested loop's condition
    written in its outer filter and again in its body (PRF-010: one cross product of names,
    not two).  Each is computed once per chunk (by the first reader, kept in ``Batch.shared``)
    and dropped after the last rule that reads it (:meth:`expiring`).  Expressions that leave
    records to the per-record engine (a quotient: ``Run.defer``) are not shared, nor
    constants and fields (kept by the frame already)."""

    def __init__(self):
        self.ids: dict = {}          # key → small int
        self.users: dict = {}        # id → the rule index of each place it is written
        self.hot: frozenset = frozenset()
        self._expiring: dict = {}    # rule index → ids whose last reader it is

    def note(self, key, rule: int) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.ids)
        self.users.setdefault(found, []).append(rule)
        return found

    def freeze(self) -> None:
        """Every rule compiled: the expressions written twice or more are shared."""
        self.hot = frozenset(i for i, rules in self.users.items() if len(rules) > 1)
        for i in self.hot:
            self._expiring.setdefault(max(self.users[i]), []).append(i)

    def expiring(self, rule: int) -> list:
        return self._expiring.get(rule, ())


# Not shared: cheap, or kept already (fields by the frame, a table's rows by the table).
NOT_SHARED = (ast.Number, ast.String, ast.Boolean, ast.VarRef, ast.FieldRef, ast.TableRef)


def defers(node, memo: dict) -> bool:
    """Whether evaluating *node* may leave records to the per-record engine (``Run.defer``)."""
    found = memo.get(id(node))
    if found is None:
        t = type(node)
        found = t is ast.Binary and node.op == "/"
        if not found:
            found = any(defers(child, memo) for child in child_nodes(node))
        memo[id(node)] = found
    return found


def lifted(fn, depth: int):
    """*fn* computed in the enclosing domain at *depth* (once per run), gathered to each element."""
    def lifted(run, dom):
        outer = dom.ancestor(depth)
        key = (id(fn), id(outer))
        value = run.cache.get(key)
        if value is None:
            value = run.cache[key] = cacheable(fn(run, outer))
        if outer is dom:
            return value
        return take(value, dom.chain(depth))
    return lifted
