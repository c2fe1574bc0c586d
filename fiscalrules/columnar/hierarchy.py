"""The classification children of a table's rows (``children(r)``), for every row of a chunk at once.

A row's parent is the nearest code its own code extends (its first 5, else its first 3
characters) among the coded rows of its record -- the last such row, as ``Table.by_code`` keeps a
code -- and ``children(r)`` lists, in order, the rows whose parent has *r*'s code.
:meth:`~.tables.TableRows.parent_rows` finds parents by searching every row's two prefixes in an
index of the table's (record, code) keys; here they are found by one walk over the coded rows in
the lexicographic order of their codes within each record -- which a classification table mostly
lists them in already (201, 20101, 2010101, 20102, ...), so that usually no sort is needed.  In
that order every code lying between a prefix and a code it begins is a code beginning with that
prefix, so a row's 5-character parent, when its record has one, is the last 5-character code
at or before it, and likewise for 3 characters: two running maxima instead of two searches.

Rows of records the loader refuses (a code given twice) may be given other lists than the
per-record engine would: those records are read per record for every rule (``Batch.bad``).
"""

from __future__ import annotations

import weakref

import numpy as np

from .kernel import compiled, int64s

__all__ = ["children_ranges"]

_WIDE = np.int64(1 << 31)
_ORDER = weakref.WeakKeyDictionary()    # code book → (texts known, lexicographic rank, length) of its ids


def _book_order(book) -> tuple:
    """(rank of every code id in the lexicographic order of the texts, each text's length)."""
    found = _ORDER.get(book)
    count = len(book.texts)
    if found is None or found[0] != count:
        texts = book.texts
        rank = np.empty(count, dtype=np.int64)
        rank[sorted(range(count), key=texts.__getitem__)] = np.arange(count, dtype=np.int64)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=count)
        found = _ORDER[book] = (count, rank, lengths)
    return found[1], found[2]


def children_ranges(table) -> tuple:
    """(child rows grouped by parent, start and count of each row's children in them): ``children(r)``
    of every row *r* of *table*, its rows' own record."""
    book, m = table.book, table.m
    p3, p5 = book.prefixes(3), book.prefixes(5)      # (may add the prefixes' texts to the book)
    rank, length = _book_order(book)
    code, rec = table.code_id, table.rec
    every = bool(table.coded.all())
    rows = np.arange(m, dtype=np.int64) if every else np.flatnonzero(table.coded)
    c = compiled()
    parent_of = np.empty(m, dtype=np.int64) if c is not None else None
    if c is not None and _kernel_parents(c, rows, code, rec, length, p3, p5, rank, parent_of):
        # one walk (records out of code order sorted first), a counting sort: as below
        counts, starts = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
        grouped = np.empty(m, dtype=np.int64)
        total = c.group(parent_of, grouped, starts, counts)
        if not every:
            _uncoded_children(table, counts, starts, parent_of[parent_of >= 0], length)
        return grouped[:total], starts, counts
    cs = code[rows]
    rs = rec[rows]
    rows, cs, moved = _lexicographic(rows, cs, rs, rank[cs], table.n)
    if moved:
        every = False
    size = length[cs]
    at_all = np.arange(len(rows), dtype=np.int64)
    parent = np.full(len(rows), -1, dtype=np.int64)     # positions in *rows*
    for prefix, n_chars in ((p3, 3), (p5, 5)):    # 5 after 3: the longer prefix wins where both are codes
        # the last code of n_chars at or before each row (row 0 when none: it is then no such
        # code, so it cannot equal the prefix)
        at = np.maximum.accumulate(at_all * (size == n_chars)) if len(rows) else at_all
        hit = (cs[at] == prefix[cs]) & (rs[at] == rs)
        parent[hit] = at[hit]
    if every:          # (positions in *rows* are rows)
        parent_of = parent
    else:
        is_child = parent >= 0
        parent_of = np.full(m, -1, dtype=np.int64)
        parent_of[rows[is_child]] = rows[parent[is_child]]
    child_rows = np.flatnonzero(parent_of >= 0)        # in row order: each list in position order
    parent_rows = parent_of[child_rows]
    grouped = np.argsort(parent_rows, kind="stable")
    counts = np.bincount(parent_rows, minlength=m)
    starts = np.cumsum(counts) - counts
    _uncoded_children(table, counts, starts, parent_rows, length)
    return child_rows[grouped], starts, counts


def _lexicographic(rows, cs, rs, lex, n: int) -> tuple:
    """(rows, their codes, whether any moved): the rows (of records *rs*, codes *cs* of ranks
    *lex*) with those of each record not listed in code order sorted by code (stable)."""
    back = (lex[1:] < lex[:-1]) & (rs[1:] == rs[:-1])
    if not back.any():
        return rows, cs, False
    unordered = np.zeros(n, dtype=bool)
    unordered[rs[1:][back]] = True
    sub = np.flatnonzero(unordered[rs])
    moved = sub[np.lexsort((lex[sub], rs[sub]))]
    rows, cs = rows.copy(), cs.copy()
    rows[sub], cs[sub] = rows[moved], cs[moved]
    return rows, cs, True


def _kernel_parents(c, rows, code, rec, length, p3, p5, rank, parent_of) -> bool:
    """Whether the kernel found the rows' parents (into *parent_of*): it refuses rows it cannot walk
    as one run per record (rows not by record, which a chunk's tables do not give), which the numpy
    code takes -- the table is then left to that."""
    try:
        c.parents(rows, _ints(code), _ints(rec), length, p3, p5, rank, parent_of)
    except ValueError:
        return False
    return True


def _ints(a) -> np.ndarray:
    return int64s(a)


def _uncoded_children(table, counts, starts, parent_rows, length) -> None:
    """Give a row without a code cell (its code is its position) the children of the parent row
    whose code its position spells, as a search by (record, code) does (rare: a position of 3 or
    5 digits in a table that also has that code)."""
    if table.coded.all() or not len(parent_rows):
        return
    loose = np.flatnonzero(~table.coded)
    loose = loose[np.isin(length[table.code_id[loose]], (3, 5))]
    if not len(loose):
        return
    heads = np.unique(parent_rows)
    keys = table.rec[heads] * _WIDE + table.code_id[heads]
    order = np.argsort(keys, kind="stable")
    keys, heads = keys[order], heads[order]
    query = table.rec[loose] * _WIDE + table.code_id[loose]
    at = np.searchsorted(keys, query, "right") - 1
    safe = np.clip(at, 0, len(keys) - 1)
    hit = (at >= 0) & (keys[safe] == query)
    found = heads[safe[hit]]
    counts[loose[hit]] = counts[found]
    starts[loose[hit]] = starts[found]
