"""Row filters matching a row's text with a text of the rows around it, looked up in an index;
and what a filtered comprehension leaves in the trace -- the figures a finding lists.

``for each s in T.subtotals: s.total = sum(r.total for r in T.rows where coalesce(r.unit_code,
r.unit) = coalesce(s.unit_code, s.unit))`` scans every row of ``T.rows`` for every subtotal: a
table of a thousand units and three thousand projects is three million filter evaluations per
rule.  Where a comprehension's filter is -- or has as one of its ``and``-ed conditions -- an
equality ``f(r) = g(…)`` of a text *f* read from the row alone and a text *g* that does not read
the row (or an ``or`` of such equalities), the rows it can keep are those whose ``f(r)`` is
``g``'s text: an index of the table's rows by ``f(r)``, made once per record, gives them.  The
same for a ``for each`` inside another loop (``for each r in T where r.unit = s.unit: …``).

**What a filtered comprehension lists** (``Context.trace``, the operands of a finding), in every
engine, looked up or scanned: first what its filter reads outside the rows -- :func:`outer_parts`,
read once (the key the rows are matched with: ``coalesce(s.unit_code, s.unit)``) -- then, for
each row the filter *kept*, in order, what the filter and the element read of it.  A row the
filter left out is no evidence: none of its figures is listed (an auditor reads the figures that
were summed and where they were printed, not every key compared with; and a finding of a table of
a thousand units listing three thousand keys made a report quadratic in size).

:func:`shape_of` finds such a filter in the AST (the engines share it: the per-record closures
here, the localiser's symbolic model); :class:`Join` is the per-record engine's: which rows to
evaluate the filter on, or None to scan as before.  What a scan gives is given exactly:

* only texts are indexed: the evaluator's ``=`` of two texts is their equality once stripped of
  surrounding spaces (:func:`fiscalrules.values.text_key`); numbers are equal within rounding (an
  interval each: no one key to look a row up by), flags by truth -- a table where any row's
  ``f(r)`` the scan reaches is not a text, or raises (a missing cell, an error), is scanned, for
  every lookup of that record.  Nor is ``contains(r.name, s.name)`` (PRF-010) looked up: a part
  of a text has no one key either (every part of every row's name would have to be indexed);
* the rows an index leaves out fail the equality, so the filter fails on them as on a scan: the
  conditions ``and``-ed before it cannot raise there -- the scan evaluates them in order up to the
  first that fails (a missing figure held, as ``and`` holds it), and so does :meth:`Join._usable`
  (those reading the row alone once per row and record, those reading no row once per lookup; a
  filter with one reading both, or a lookup whose ``g`` is not a text or raises, is scanned);
* the rows it keeps are evaluated as the scan evaluates them (the whole filter, then the
  element), in row order: the same values, the same figures read, and the first missing figure
  or error the same.

A comprehension evaluated once per record is scanned (an index costs a scan to make); from its
second evaluation in the record on, it is looked up.
"""

from __future__ import annotations

from . import ast
from .chains import links
from .printer import to_source
from .rowstore import RowView
from .context import Missing
from .values import FAIL, text_key

__all__ = ["JoinShape", "shape_of", "Join", "outer_parts", "read_outer", "free_vars", "text_key"]


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
        pending.extend((child, bound) for child in ast.child_nodes(node))
    return frozenset(found)


_READS = (ast.FieldRef, ast.Wildcard, ast.TableRef, ast.VarRef)


def outer_parts(node) -> tuple:
    """The parts of a comprehension's (or a ``for each``'s) filter that read something but no row
    of it: the largest such expressions, in the order written, none inside a loop of the filter's
    own (``coalesce(s.unit_code, s.unit)`` of ``coalesce(r.unit_code, r.unit) = coalesce(s.unit_code,
    s.unit)``; ``s.total > limit`` of ``s.total > limit and r.total > 0``).  What a finding lists
    of the filter besides the rows it kept: they are read once, before the rows (see the module
    docstring), in every engine."""
    t = type(node)
    cond = node.cond if t is ast.Comprehension else node.where if t is ast.ForEach else None
    if cond is None:
        return ()
    var = node.var
    # reads[id(n)] = (reads the row, reads anything) of each node, children first (no recursion)
    reads: dict = {}
    pending = [(cond, False)]
    while pending:
        n, done = pending.pop()
        kids = _parts(n)
        if not done:
            pending.append((n, True))
            pending.extend((child, False) for child, _ in kids)
            continue
        tn = type(n)
        row = tn is ast.VarRef and n.name == var
        anything = tn in _READS
        for child, binds in kids:
            child_row, child_any = reads[id(child)]
            row = row or (child_row and binds != var)
            anything = anything or child_any
        reads[id(n)] = (row, anything)
    found = []
    pending = [cond]
    while pending:
        n = pending.pop()
        row, anything = reads[id(n)]
        if not row:
            if anything:
                found.append(n)
            continue
        # (right to left onto the stack: taken left to right; a loop's own parts are not descended)
        pending.extend(child for child, binds in reversed(_parts(n)) if binds is None)
    return tuple(found)


def _parts(node) -> list:
    """``(child, variable)`` of each node right under *node*: the variable of the loop *node* is
    that the child is evaluated for each item of, or None."""
    t = type(node)
    if t is ast.Comprehension or t is ast.ForEach:
        inner = (node.elem, node.cond) if t is ast.Comprehension else (node.where, node.body)
        return [(node.source, None)] + [(child, node.var) for child in inner if child is not None]
    return [(child, None) for child in ast.child_nodes(node)]


def read_outer(ctx, parts) -> None:
    """Read *parts* (:func:`outer_parts`' closures) for the figures they read, left in the
    trace; their values are not used, and what they raise is the scan's to meet (or not)."""
    for part in parts:
        try:
            part(ctx)
        except Exception:   # noqa: BLE001 - the figures read until then are listed, nothing else
            pass


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
_ONCE = object()       # (a comprehension evaluated once in the record: the next one is looked up)


class Join:
    """The per-record engine's lookup for one comprehension (:func:`shape_of`): :meth:`positions`
    gives the positions of the rows whose filter can hold, in order, or None to scan.  What it
    makes is kept per record in ``Context.joins``: the index of a table by a key expression and
    the conditions before it (shared by every comprehension reading it alike), and per
    comprehension how often it has been evaluated, then how far its conditions before the
    equality can be evaluated on every row without an error."""

    __slots__ = ("var", "path", "fs", "gs", "before", "index_keys", "token")

    def __init__(self, shape: JoinShape, compile_node, tolerance=None):
        self.var, self.path = shape.var, shape.path
        self.fs = tuple(compile_node(f) for f, _ in shape.keys)
        self.gs = tuple(compile_node(g) for _, g in shape.keys)
        self.before = tuple((compile_node(p), reads_row) for p, reads_row in shape.before)
        # (by the key's text: a tuple holding the node would hash its whole tree at every look;
        # the conditions before it leave rows out of the index and say where one raises -- and
        # whether a row's own condition fails depends on the rule's tolerance (`r.total > 5`
        # holds within 10, not without): two rules with different `within` share no index then)
        before = tuple((to_source(p), reads_row) for p, reads_row in shape.before)
        variant = tolerance if any(reads_row for _, reads_row in shape.before) else None
        self.index_keys = tuple(("index", shape.path, shape.var, to_source(f), before, variant)
                                for f, _ in shape.keys)
        self.token = object()

    def visit(self, ctx, source, where, each, outer, scanned) -> None:
        """``each(ctx)`` for each row of *source* the filter *where* keeps, in order, until it
        returns True, the loop's variable bound to it (and restored after): the rows looked up,
        or scanned by *scanned* (``compiler._kept``) where they cannot be.  *outer*: the
        closures of the filter's :func:`outer_parts`, read first."""
        var = self.var
        saved = ctx.vars.get(var)
        try:
            rows = source(ctx)
            positions = self.positions(ctx, rows)
            read_outer(ctx, outer)
            if positions is None:
                for _ in scanned(ctx, rows, var, where):
                    if each(ctx):
                        break
            else:
                kept(ctx, rows, positions, var, where, each)
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
            state[token] = _ONCE
            return None
        if seen is _UNUSABLE or not rows:
            return None
        mark = len(ctx.trace)
        try:
            if seen is _ONCE:
                seen = state[token] = self._usable(ctx, rows)
                if seen is _UNUSABLE:
                    return None
            return self._looked_up(ctx, state, seen)
        finally:
            del ctx.trace[mark:]

    def _usable(self, ctx, rows):
        """Make the indexes (or find them made); the position among the conditions before the
        equality of the first that raises an error (not a missing figure) on a row, as the scan
        evaluates them there -- in order, up to the first that fails -- (their number if none
        does), or _UNUSABLE."""
        state, var = ctx.joins, self.var
        first_error = len(self.before)
        for key, f in zip(self.index_keys, self.fs):
            index = state.get(key)
            if index is None:
                index = state[key] = self._index(ctx, rows, f)
            if index is _UNUSABLE:
                return _UNUSABLE
            first_error = min(first_error, index[1])
        return first_error

    def _index(self, ctx, rows, f):
        """(the positions of *rows* by ``text_key(f(r))``, the first error's position among the
        conditions before the equality) -- a row that one of the row's own conditions before it
        fails on is not indexed (the filter fails there, whatever the key) -- or _UNUSABLE where
        a row's key is no text (or raises)."""
        by_key: dict = {}
        var, before = self.var, self.before
        first_error = len(before)
        for i, row in enumerate(rows):
            ctx.vars[var] = row
            fails = False
            for at, (part, reads_row) in enumerate(before):
                if not reads_row:
                    continue   # (the same on every row: asked once per lookup)
                try:
                    fails = part(ctx)[0] == FAIL
                except Missing:   # (held by the `and`: the equality's failure decides)
                    continue
                except Exception:   # noqa: BLE001 - the scan stops there, if it gets there
                    first_error = min(first_error, at)
                    fails = True
                if fails:
                    break
            if fails:
                continue
            try:
                value = f(ctx)
            except Exception:   # noqa: BLE001 - a missing cell, an error: the scan meets it
                return _UNUSABLE
            if not isinstance(value, str):
                return _UNUSABLE
            key = text_key(value)
            at = by_key.get(key)
            by_key[key] = (i,) if at is None else at + (i,)
        return by_key, first_error

    def _looked_up(self, ctx, state, first_error: int):
        for at, (part, reads_row) in enumerate(self.before):
            if at >= first_error:
                return None   # a row's condition raises before any fails: the scan meets it
            if reads_row:
                continue
            try:
                if part(ctx)[0] == FAIL:
                    return ()   # every row fails there (a missing figure held before it too)
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
            at = state[key][0].get(text_key(value))
            if at is not None:
                found = at if found is None else found + at
        if found is None:
            return ()
        return found if len(self.gs) == 1 else sorted(set(found))


def kept(ctx, rows, positions, var, where, each) -> None:
    """``each(ctx)`` for each row at *positions* the filter keeps, in order, as the scan calls it,
    until it returns True (a ``for each`` decided by a failure); what the filter read of a row it
    left out is dropped from the trace, as the scan drops it (``compiler._kept``)."""
    trace = ctx.trace
    for i in positions:
        ctx.vars[var] = rows[i]
        mark = len(trace)
        if where(ctx)[0] == FAIL:
            del trace[mark:]
        elif each(ctx):
            break
