"""Row filters matching a row's text with a text of the rows around it, looked up in an index.

``for each s in T.subtotals: s.total = sum(r.total for r in T.rows where coalesce(r.unit_code,
r.unit) = coalesce(s.unit_code, s.unit))`` scans every row of ``T.rows`` for every subtotal: a
table of a thousand units and three thousand projects is three million filter evaluations per
rule.  Where a comprehension's filter is -- or has as one of its ``and``-ed conditions -- an
equality ``f(r) = g(…)`` of a text *f* read from the row alone and a text *g* that does not read
the row (or an ``or`` of such equalities), the rows it can keep are those whose ``f(r)`` is
``g``'s text: an index of the table's rows by ``f(r)``, made once per record, gives them.  The
same for a ``for each`` inside another loop (``for each r in T where r.unit = s.unit: …``).

:func:`shape_of` finds such a filter in the AST (the engines share it: the per-record closures
here, the localiser's symbolic model); :class:`Join` is the per-record engine's: which rows to
evaluate the filter on, or None to scan as before.  What a scan gives is given exactly:

* only texts are indexed: the evaluator's ``=`` of two texts is their equality once stripped of
  surrounding spaces (``str.strip``, so the key is ``f(r).strip()``); numbers are equal within
  rounding, flags by truth -- a table where any row's ``f(r)`` is not a text, or raises (a missing
  cell, an error), is scanned, for every lookup of that record;
* the rows an index leaves out fail the equality, so the filter fails on them as on a scan: the
  conditions ``and``-ed before it cannot raise there (those reading the row alone are tried on
  every row once, those reading no row once per lookup; a filter with one reading both, or a
  lookup whose ``g`` is not a text or raises, is scanned);
* the rows it keeps are evaluated as the scan evaluates them (the whole filter, then the
  element), in row order: the same values, and the first missing figure or error the same;
* the figures read (``Context.trace``, the operands a finding lists) are those of the scan: a
  :class:`Rescan` standing for them runs the scan again, in a fresh context, if ever read.

A comprehension evaluated once per record is scanned (an index costs a scan to make); from its
second evaluation in the record on, it is looked up.
"""

from __future__ import annotations

import decimal

from . import ast
from .chains import links
from .printer import to_source
from .rowstore import RowView
from .context import Missing
from .values import CONTEXT, FAIL

__all__ = ["JoinShape", "shape_of", "Join", "Rescan", "flat", "free_vars"]


def free_vars(node) -> frozenset:
    """The variables *node* reads that it does not bind itself (walked without recursion: a chain
    of 10,000 links is as flat here as in its text)."""
    found: set = set()
    pending = [(node, frozenset())]
    while pending:
        node, bound = pending.pop()
        t = type(node)
        if t is ast.VarRef:
            if node.name not in bound:
                found.add(node.name)
            continue
        if t is ast.Comprehension or t is ast.ForEach:
            inner = bound | {node.var}
            pending.append((node.source, bound))
            for child in (node.elem, node.cond) if t is ast.Comprehension else (node.body, node.where):
                if child is not None:
                    pending.append((child, inner))
            continue
        for name in ast.node_fields(t) or ():
            if name == "_span":
                continue
            value = getattr(node, name)
            for child in (value if isinstance(value, tuple) else (value,)):
                if ast.node_fields(type(child)) is not None and type(child) is not ast.Span:
                    pending.append((child, bound))
    return frozenset(found)


class JoinShape:
    """A filter the rows of table *path* bound to *var* can be looked up for: *keys*, the
    ``(f, g)`` of each equality of the condition that decides (one, or several ``or``-ed), *f*
    reading the row alone and *g* no row; *before*, the ``and``-ed conditions written before it,
    each with whether it reads the row (it then reads nothing else bound)."""

    __slots__ = ("var", "path", "keys", "before")

    def __init__(self, var: str, path: str, keys: tuple, before: tuple):
        self.var, self.path, self.keys, self.before = var, path, keys, before


def _conjuncts(cond) -> list:
    """The conditions of an ``and`` chain as the evaluator's closures take them (its links:
    :func:`fiscalrules.chains.links`), or the condition itself."""
    if type(cond) is not ast.And:
        return [cond]
    return _operands(cond)


def _operands(node) -> list:
    """The operands of an ``and`` / ``or`` chain, in order (its links: :func:`fiscalrules.chains.links`)."""
    chain = links(node)
    return [chain[0].left] + [link.right for link in chain]


def _key(node, var: str):
    """``(f, g)`` of an equality ``f = g`` (or ``g = f``) of *f* reading only the row *var* and *g*
    not reading it, else None."""
    if type(node) is not ast.Compare or node.op != "=":
        return None
    left, right = free_vars(node.left), free_vars(node.right)
    row = frozenset((var,))
    if left == row and var not in right:
        return node.left, node.right
    if right == row and var not in left:
        return node.right, node.left
    return None


def _keys(node, var: str):
    """The equalities of *node* (one, or an ``or`` of them), or None."""
    if type(node) is ast.Or:
        keys = tuple(_key(part, var) for part in _operands(node))
        return None if any(k is None for k in keys) else keys
    key = _key(node, var)
    return None if key is None else (key,)


def shape_of(node) -> JoinShape | None:
    """The :class:`JoinShape` of a comprehension's filter (or a ``for each``'s) over a table's
    rows, or None."""
    t = type(node)
    cond = node.cond if t is ast.Comprehension else node.where if t is ast.ForEach else None
    if cond is None or type(node.source) is not ast.TableRef:
        return None
    var = node.var
    parts = _conjuncts(cond)
    for i, part in enumerate(parts):
        keys = _keys(part, var)
        if keys is None:
            continue
        before = []
        for earlier in parts[:i]:
            names = free_vars(earlier)
            if var in names and len(names) > 1:
                return None   # reads the row and what is bound around it: not known once per row
            before.append((earlier, var in names))
        return JoinShape(var, node.source.path, keys, tuple(before))
    return None


# ---- the per-record engine ------------------------------------------------------------------------

_UNUSABLE = object()   # (a record's table whose f(r) is not a text on every row: scanned)


class Join:
    """The per-record engine's lookup for one comprehension (:func:`shape_of`): :meth:`positions`
    gives the positions of the rows whose filter can hold, in order, or None to scan.  What it
    makes is kept per record in ``Context.joins``: the index of a table by a key expression
    (shared by every comprehension reading it), whether the conditions before the equality
    raise on no row, and how often this comprehension has been evaluated."""

    __slots__ = ("var", "path", "fs", "gs", "row_parts", "other_parts", "index_keys", "token")

    def __init__(self, shape: JoinShape, compile_node):
        self.var, self.path = shape.var, shape.path
        self.fs = tuple(compile_node(f) for f, _ in shape.keys)
        self.gs = tuple(compile_node(g) for _, g in shape.keys)
        self.row_parts = tuple(compile_node(p) for p, reads_row in shape.before if reads_row)
        self.other_parts = tuple(compile_node(p) for p, reads_row in shape.before if not reads_row)
        # (by the key's text: a tuple holding the node would hash its whole tree at every look)
        self.index_keys = tuple(("index", shape.path, shape.var, to_source(f)) for f, _ in shape.keys)
        self.token = object()

    def visit(self, ctx, source, where, each, scan, scanned) -> None:
        """``each(ctx)`` for each row of *source* the filter *where* keeps, in order, until it
        returns True, the loop's variable bound to it (and restored after): the rows looked up,
        or scanned by *scanned* (``compiler._kept``) where they cannot be.  *scan*: the loop's
        scanning closure (:class:`Rescan`)."""
        var = self.var
        saved = ctx.vars.get(var)
        try:
            rows = source(ctx)
            positions = self.positions(ctx, rows)
            if positions is None:
                for _ in scanned(ctx, rows, var, where):
                    if each(ctx):
                        break
            else:
                kept(ctx, rows, positions, var, where, each, scan)
        finally:
            ctx.vars[var] = saved

    def positions(self, ctx, rows):
        """The positions in *rows* (the table's rows, as the source gave them) of the rows the
        filter may keep, ascending; None: scan them.  Reads leave no trace."""
        if type(rows) is not list and type(rows) is not RowView:
            return None
        state = ctx.joins
        if state is None:
            state = ctx.joins = {}
        token = self.token
        seen = state.get(token)
        if seen is None:   # the first evaluation in this record: scanned
            state[token] = 1
            return None
        if seen is _UNUSABLE or not rows:
            return None
        mark = len(ctx.trace)
        try:
            if seen == 1:
                usable = self._usable(ctx, rows)
                state[token] = 2 if usable else _UNUSABLE
                if not usable:
                    return None
            return self._looked_up(ctx, state)
        finally:
            del ctx.trace[mark:]

    def _usable(self, ctx, rows) -> bool:
        """Make the indexes (or find them made); check the conditions before the equality raise
        nothing but a missing figure on any row (the equality's failure then decides)."""
        state, var = ctx.joins, self.var
        for key, f in zip(self.index_keys, self.fs):
            index = state.get(key)
            if index is None:
                index = state[key] = _index(ctx, rows, var, f)
            if index is _UNUSABLE:
                return False
        if self.row_parts:
            for row in rows:
                ctx.vars[var] = row
                for part in self.row_parts:
                    try:
                        part(ctx)
                    except Missing:
                        continue
                    except Exception:   # noqa: BLE001 - an error stops the scan there: scanned
                        return False
        return True

    def _looked_up(self, ctx, state):
        for part in self.other_parts:
            try:
                part(ctx)
            except Missing:
                continue
            except Exception:   # noqa: BLE001 - the scan meets it (or not): scanned
                return None
        found = None
        for key, g in zip(self.index_keys, self.gs):
            try:
                value = g(ctx)
            except Exception:   # noqa: BLE001 - the scan meets it (or an `or` forgives it): scanned
                return None
            if not isinstance(value, str):
                return None   # a number, a flag: compared otherwise (or an error) -- scanned
            at = state[key].get(value.strip())
            if at is not None:
                found = at if found is None else found + at
        if found is None:
            return ()
        return found if len(self.gs) == 1 else sorted(set(found))


def _index(ctx, rows, var, f):
    """The positions of *rows* by ``f(r).strip()``, or _UNUSABLE where a row's is no text."""
    by_key: dict = {}
    for i, row in enumerate(rows):
        ctx.vars[var] = row
        try:
            value = f(ctx)
        except Exception:   # noqa: BLE001 - a missing cell, an error: the scan meets it
            return _UNUSABLE
        if not isinstance(value, str):
            return _UNUSABLE
        key = value.strip()
        at = by_key.get(key)
        if at is None:
            by_key[key] = (i,)
        else:
            by_key[key] = at + (i,)
    return by_key


def kept(ctx, rows, positions, var, where, each, rescan) -> None:
    """``each(ctx)`` for each row at *positions* the filter keeps, in order, as the scan calls it,
    until it returns True (a ``for each`` decided by a failure); the figures read are left as a
    :class:`Rescan` of the comprehension or loop (*rescan*, its scanning closure)."""
    bound = dict(ctx.vars)
    trace = ctx.trace
    mark = len(trace)
    try:
        for i in positions:
            ctx.vars[var] = rows[i]
            if where(ctx)[0] != FAIL and each(ctx):
                break
    finally:
        del trace[mark:]
        trace.append(Rescan(rescan, ctx.record, ctx.settings, bound))


class Rescan:
    """The figures a scanned comprehension reads, in ``Context.trace``, found by scanning it again
    in a fresh context when they are read (:func:`flat`): a finding lists them as operands."""

    __slots__ = ("scan", "record", "settings", "bound", "_entries")

    def __init__(self, scan, record, settings, bound: dict):
        self.scan, self.record, self.settings, self.bound = scan, record, settings, bound
        self._entries = None

    def entries(self) -> list:
        if self._entries is None:
            from .context import Context
            ctx = Context(self.record, self.settings)
            ctx.vars = dict(self.bound)
            with decimal.localcontext(CONTEXT):
                try:
                    self.scan(ctx)
                except Exception:   # noqa: BLE001 - it raised as the lookup did: the figures read till then
                    pass
            self._entries = flat(ctx.trace)
        return self._entries


def flat(trace):
    """*trace* with each :class:`Rescan` in it replaced by the figures it stands for."""
    for entry in trace:
        if type(entry) is Rescan:
            break
    else:
        return trace
    out = []
    for entry in trace:
        if type(entry) is Rescan:
            out.extend(entry.entries())
        else:
            out.append(entry)
    return out
