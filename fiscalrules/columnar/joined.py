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
# Which elements have a row of their key is told first (a flag per record and key) when there are
# fewer than this many flags per row and element; else every element's pairs are compared.
_FLAGS_BELOW = 8


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
        # (what the rows say -- their keys, the records where one stops -- is the same for every
        # loop of the rule with this shape: a count in the filter, a sum in the body; made once)
        # (the rule's tolerance decides the conditions before the equality: review 26)
        self._rows_key = compiler._lookups.setdefault(
            ("join rows", shape.path, var, tuple(f for f, _ in shape.keys),
             tuple(p for p, reads_row in shape.before if reads_row), compiler._tolerance_key), object())

    def pairs(self, run, dom):
        """The pairs (a list of rows per element of *dom*) whose texts match -- every row of its
        record for an element where that cannot be told (:func:`_scanned`) --, or None where no
        element can be told."""
        table = run.batch.table(self.path)
        side = run.cache.get(self._rows_key)
        if side is None:
            side = run.cache[self._rows_key] = self._rows(run, dom.ancestor(0), table)
        stopping, row_keys = side
        gs = [g(run, dom) for g in self.gs]
        records = dom.records
        scanned = _scanned(records, stopping, _stopped(gs, [part(run, dom) for part in self.outer_parts]))
        if scanned is not None and scanned.all():
            return None
        m, n = table.m, dom.n
        keys = [(fk, rows_have, has, _element_keys(index, g, n)) for (index, fk, rows_have, has), g in zip(row_keys, gs)]
        starts = table.starts
        if int((starts[records + 1] - starts[records]).sum()) <= _SCAN_BELOW * (m + n):
            owner, idx = _compared(keys, table, records, scanned)
        else:
            owner, idx = _looked_up(keys, table, records, n, scanned)
        miss = ~table.present[records]
        return Lst(RowRef(table, idx, rows=True), owner, n, miss=miss if miss.any() else None)

    def _rows(self, run, root, table) -> tuple:
        """(the records with a row whose ``f`` stops or whose condition before it errs -- None:
        none --, and per ``f`` its :func:`_row_keys`), over every row of the chunk's table."""
        rows = open_rows(self.rows_of(run, root), root, self.var)
        fs = [f(run, rows) for f in self.fs]
        stops = _stopped(fs, [part(run, rows) for part in self.row_parts])
        stopping = None
        if stops is not None:
            stopping = np.zeros(table.n, dtype=bool)
            stopping[table.rec[stops]] = True
        return stopping, [_row_keys(f, table) for f in fs]


def _stopped(keys: list, parts: list):
    """Where any of the texts *keys* stops, or a condition of *parts* is in error (None: nowhere)."""
    found = None
    for key in keys:
        found = mask_or(found, mask_or(key.miss, key.err))
    for part in parts:
        found = mask_or(found, part.err)
    return found if found is not None and found.any() else None


def _scanned(records, stopping, element_stops):
    """The elements (of *records*) whose pairs are every row of their record, as the scan reads
    them -- those whose own text stops (or a condition before it errs) and those of a record with
    a row whose text stops (*stopping*): the pairs left out could stop the filter, not fail it --,
    or None."""
    scanned = element_stops
    if stopping is not None:
        scanned = mask_or(scanned, stopping[records])
    return scanned if scanned is not None and scanned.any() else None


def _row_keys(f: Text, table) -> tuple:
    """(the number of each text of *f* (stripped: equal numbers for equal texts; 2, 3, … -- 0
    where a row has none, 1 where an element has none or a text no row has), the number of each
    row, how many numbers rows have, and which ones each record's rows have -- a flag per record
    and number, None where that table would be large)."""
    index: dict = {}
    numbers = np.array([index.setdefault(text_key(t), len(index) + 2) for t in f.texts] + [0], dtype=np.int64)
    rows_have = len(index) + 2
    fk = np.broadcast_to(numbers[np.asarray(f.codes)], (table.m,))
    has = None
    if table.n * rows_have <= _FLAGS_BELOW * (table.m + table.n):
        has = np.zeros(table.n * rows_have, dtype=bool)
        has[table.rec * rows_have + fk] = True
    return index, fk, rows_have, has


def _element_keys(index: dict, g: Text, n: int):
    """The number of each element's text of *g* (over *n* elements) among the rows' *index*."""
    numbers = np.array([index.get(text_key(t), 1) for t in g.texts] + [1], dtype=np.int64)
    return np.broadcast_to(numbers[np.asarray(g.codes)], (n,))


def _compared(keys: list, table, records, scanned) -> tuple:
    """(owner, row) of the pairs kept, each pair of an element and a row of its record compared
    (their keys: no sort, the pairs already in the loop's order) -- where the records' rows are
    few.  Only the elements whose record has a row of their key (:func:`_candidates`) are paired."""
    chosen = _candidates(keys, records, scanned)
    whose, idx = expand(table.starts, records if chosen is None else records[chosen])
    owner = whose if chosen is None else chosen[whose]
    keep = scanned[owner] if scanned is not None else np.zeros(len(owner), dtype=bool)
    for fk, _, _, gk in keys:
        keep |= fk.take(idx) == gk.take(owner)
    return owner[keep], idx[keep]


def _candidates(keys: list, records, scanned):
    """The elements some row of whose record has one of their keys, or every row is to be paired
    with (*scanned*) -- by the flags of which keys each record's rows have --, or None (all of
    them) where those flags were not made."""
    chosen = scanned
    for _, rows_have, has, gk in keys:
        if has is None:
            return None
        found = has[records * rows_have + gk]   # (1, no row's number: never flagged)
        chosen = found if chosen is None else chosen | found
    return np.flatnonzero(chosen)


def _looked_up(keys: list, table, records, n: int, scanned) -> tuple:
    """(owner, row) of the pairs kept, the rows looked up by their keys (sorted once) -- where a
    record's rows are many (a thousand subtotals over three thousand rows)."""
    m = table.m
    found = [_matching(fk, gk, width, table.rec, records, n) for fk, width, _, gk in keys]
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
