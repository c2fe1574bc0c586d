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
without stopping -- so long as the element's ``g`` and every ``f`` of its record's rows is neither
missing nor in error, and the conditions before the equality are in error at none of them (each
tried over every row, or every element, of the chunk): an element where that does not hold is
paired with every row of its record, as the scan pairs it -- a damaged row costs its record the
index, not the chunk.  The loop's values are
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
from .vectors import Lst, RowRef, expand, mask_or

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


# The pairs are compared one by one (rather than the rows looked up, sorted by their keys) when
# there are fewer than this many per row and element: a few rows per record.
_SCAN_BELOW = 8


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
        """The pairs (a list of rows per element of *dom*) whose texts match -- every row of its
        record for an element where that cannot be told (:func:`_scanned`) --, or None where no
        element can be told."""
        root = dom.ancestor(0)
        table = run.batch.table(self.path)
        rows = open_rows(self.rows_of(run, root), root, self.var)
        fs = [f(run, rows) for f in self.fs]
        row_stops = _stopped(fs, [part(run, rows) for part in self.row_parts])
        gs = [g(run, dom) for g in self.gs]
        element_stops = _stopped(gs, [part(run, dom) for part in self.outer_parts])
        records = dom.records
        scanned = _scanned(table, records, row_stops, element_stops)
        if scanned is not None and scanned.all():
            return None
        m, n = table.m, dom.n
        keys = [_keys(f, g, m, n) for f, g in zip(fs, gs)]
        starts = table.starts
        if int((starts[records + 1] - starts[records]).sum()) <= _SCAN_BELOW * (m + n):
            owner, idx = _compared(keys, starts, records, scanned)
        else:
            owner, idx = _looked_up(keys, table, records, n, scanned)
        miss = ~table.present[records]
        return Lst(RowRef(table, idx, rows=True), owner, n, miss=miss if miss.any() else None)


def _stopped(keys: list, parts: list):
    """Where any of the texts *keys* stops, or a condition of *parts* is in error (None: nowhere)."""
    found = None
    for key in keys:
        found = mask_or(found, mask_or(key.miss, key.err))
    for part in parts:
        found = mask_or(found, part.err)
    return found if found is not None and found.any() else None


def _scanned(table, records, row_stops, element_stops):
    """The elements (of *records*) whose pairs are every row of their record, as the scan reads
    them -- those whose own text stops (or a condition before it errs) and those of a record with
    a row whose text stops there: the pairs left out could stop the filter, not fail it --, or None."""
    scanned = element_stops
    if row_stops is not None:
        bad = np.zeros(table.n, dtype=bool)
        bad[table.rec[row_stops]] = True
        scanned = mask_or(scanned, bad[records])
    return scanned if scanned is not None and scanned.any() else None


def _keys(f: Text, g: Text, m: int, n: int):
    """The texts of *f* (over *m* rows) and *g* (over *n* elements) as numbers equal where the
    texts, stripped, are, and how many numbers there are."""
    index: dict = {}   # (2, 3, …: 0 and 1 stand for no text, never equal -- none is read, as it is)
    left = np.array([index.setdefault(text_key(t), len(index) + 2) for t in f.texts] + [0], dtype=np.int64)
    right = np.array([index.setdefault(text_key(t), len(index) + 2) for t in g.texts] + [1], dtype=np.int64)
    return (np.broadcast_to(left[np.asarray(f.codes)], (m,)), np.broadcast_to(right[np.asarray(g.codes)], (n,)),
            len(index) + 2)


def _compared(keys: list, starts, records, scanned) -> tuple:
    """(owner, row) of the pairs kept, every pair of an element and a row of its record compared
    (their keys: no sort, the pairs already in the loop's order) -- where the records' rows are few."""
    owner, idx = expand(starts, records)
    keep = scanned[owner] if scanned is not None else np.zeros(len(owner), dtype=bool)
    for fk, gk, _ in keys:
        keep |= fk.take(idx) == gk.take(owner)
    return owner[keep], idx[keep]


def _looked_up(keys: list, table, records, n: int, scanned) -> tuple:
    """(owner, row) of the pairs kept, the rows looked up by their keys (sorted once) -- where a
    record's rows are many (a thousand subtotals over three thousand rows)."""
    m = table.m
    found = [_matching(fk, gk, width, table.rec, records, n) for fk, gk, width in keys]
    if len(found) == 1:
        owner, idx = found[0]
    else:   # (an `or`: a row matching several of them is listed once, in row order)
        both = np.unique(np.concatenate([o * max(m, 1) + i for o, i in found]))
        owner, idx = both // max(m, 1), both % max(m, 1)
    if scanned is not None:   # those elements: every row of their record, in the elements' order
        keep = ~scanned[owner]
        at = np.flatnonzero(scanned)
        whose, every = expand(table.starts, records[at])
        owner = np.concatenate([owner[keep], at[whose]])
        order = np.argsort(owner, kind="stable")
        owner, idx = owner[order], np.concatenate([idx[keep], every])[order]
    return owner, idx


def _matching(fk, gk, width: int, row_records, element_records, n: int):
    """(owner, row) of each element and each row of its record whose keys match, element by
    element, rows in order."""
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
