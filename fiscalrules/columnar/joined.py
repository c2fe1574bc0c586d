"""Loops inside a loop whose filter matches a row's text with a text of the element around it
(``sum(r.total for r in T where coalesce(r.unit_code, r.unit) = coalesce(s.unit_code, s.unit))``
inside ``for each s``): the rows of *T* paired with each element only where the texts match,
not every row with every element.

A loop's domain is one entry per (element, row) pair (:func:`.loops.open_rows`): for a thousand
subtotals over three thousand rows of one record, three million entries, each filtered.  Where
the filter has the shape :func:`fiscalrules.joins.shape_of` finds -- an equality ``f(r) = g(s)``
of texts (or an ``or`` of them), ``and``-ed after conditions reading the row alone or no row --
the pairs it can keep are those of a row and an element of the same record whose ``f`` and ``g``
are the same text once stripped; the others fail it.  :func:`joined_source` gives the loop those
pairs only, in the order the loop lists them (element by element, rows in table order); the
filter and the body then read them as they read every pair.  The pairs left out fail the filter
without stopping -- so long as no row's ``f`` and no element's ``g`` is missing or in error, and
the conditions before the equality are in error nowhere (tried over every row, or every element,
of the chunk): otherwise the chunk's loop goes over every pair as before.  The loop's values are
shared with other rules under a name of their own (the pairs are not the loop's every pair).
"""

from __future__ import annotations

import numpy as np

from .. import ast
from ..joins import shape_of
from .columns import Text, Unsupported
from .lists import table_rows
from ..values import text_key
from .loops import bound_var, open_rows
from .sharing import defers
from .vectors import Lst, RowRef

__all__ = ["joined_source"]


def joined_source(compiler, node, scope: tuple, source, base):
    """``(source, base)`` of a loop over a table's rows inside another loop: *source* giving only
    the pairs the filter can keep where it can tell them, and the name of its rows for sharing
    (*base* otherwise, and the loop's own *source*)."""
    shape = shape_of(node) if scope else None
    if shape is None:
        return source, base
    try:
        parts = _Parts(compiler, node, scope, shape)
    except _NoJoin:
        return source, base
    cond = node.cond if type(node) is ast.Comprehension else node.where

    def pairs(run, dom):
        found = parts.pairs(run, dom)
        return source(run, dom) if found is None else found
    return pairs, ("pairs", base, cond)


class _NoJoin(Exception):
    pass


class _Parts:
    """The closures of a filter's shape: each ``f`` and the conditions before it reading the row
    over every row of the table (a loop of their own over the records' rows), each ``g`` and the
    conditions reading no row over the elements."""

    def __init__(self, compiler, node, scope, shape):
        var, self.path = shape.var, shape.path
        self.var = var
        if any(defers(part, compiler._defers) for part, _ in shape.before):
            raise _NoJoin   # (a quotient sends records to the per-record engine: not tried on other rows)
        row_scope = (var,)
        try:
            with bound_var(compiler, var, "row:" + shape.path, compiler.scope_key(node.source, ())):
                fs = [compiler.compile(f, row_scope) for f, _ in shape.keys]
                self.row_parts = [compiler.condition(p, row_scope) for p, reads_row in shape.before if reads_row]
        except Unsupported:
            raise _NoJoin from None
        try:
            gs = [compiler.compile(g, scope) for _, g in shape.keys]
            self.outer_parts = [compiler.condition(p, scope) for p, reads_row in shape.before if not reads_row]
        except Unsupported:
            raise _NoJoin from None
        if any(kind != "text" for _, kind in fs + gs):
            raise _NoJoin   # numbers are equal within rounding: every pair is compared
        self.fs, self.gs = [fn for fn, _ in fs], [fn for fn, _ in gs]
        self.rows_of = table_rows(shape.path)

    def pairs(self, run, dom):
        """The pairs (a list of rows per element of *dom*) whose texts match, or None."""
        root = dom.ancestor(0)
        table = run.batch.table(self.path)
        rows = open_rows(self.rows_of(run, root), root, self.var)
        fs = [f(run, rows) for f in self.fs]
        if any(_stops(f) for f in fs) or any(part(run, rows).err is not None for part in self.row_parts):
            return None
        gs = [g(run, dom) for g in self.gs]
        if any(_stops(g) for g in gs) or any(part(run, dom).err is not None for part in self.outer_parts):
            return None
        m, n = table.m, dom.n
        found = [_matching(f, g, table.rec, dom.records, n) for f, g in zip(fs, gs)]
        if len(found) == 1:
            owner, idx = found[0]
        else:   # (an `or`: a row matching several of them is listed once, in row order)
            both = np.unique(np.concatenate([o * max(m, 1) + i for o, i in found]))
            owner, idx = both // max(m, 1), both % max(m, 1)
        miss = ~table.present[dom.records]
        return Lst(RowRef(table, idx, rows=True), owner, n, miss=miss if miss.any() else None)


def _stops(value) -> bool:
    return value.miss is not None and bool(np.any(value.miss)) or value.err is not None and bool(np.any(value.err))


def _keys(f: Text, g: Text):
    """The texts of *f* and *g* as numbers equal where the texts, stripped, are."""
    index: dict = {}   # (2, 3, …: 0 and 1 stand for no text, never equal -- none is read, as it is)
    left = np.array([index.setdefault(text_key(t), len(index) + 2) for t in f.texts] + [0], dtype=np.int64)
    right = np.array([index.setdefault(text_key(t), len(index) + 2) for t in g.texts] + [1], dtype=np.int64)
    return left[np.asarray(f.codes)], right[np.asarray(g.codes)], len(index) + 2


def _matching(f: Text, g: Text, row_records, element_records, n: int):
    """(owner, row) of each element and each row of its record whose texts match, element by
    element, rows in order."""
    m = len(row_records)
    fk, gk, distinct = _keys(f, g)
    fk, gk = np.broadcast_to(fk, (m,)), np.broadcast_to(gk, (n,))
    width = distinct
    row_key = row_records.astype(np.int64) * width + fk
    element_key = element_records.astype(np.int64) * width + gk
    order = np.argsort(row_key, kind="stable")
    ordered = row_key[order]
    lo = np.searchsorted(ordered, element_key, side="left")
    hi = np.searchsorted(ordered, element_key, side="right")
    counts = hi - lo
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    total = int(counts.sum())
    if total == 0:
        return owner, np.zeros(0, dtype=np.int64)
    # lo[e], lo[e] + 1, … for each element e, in one pass
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return owner, order[starts + np.arange(total, dtype=np.int64)]
