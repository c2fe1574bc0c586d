"""Vectors the columnar plan computes with, besides numbers: conditions, rows, lists, and the
domains they are computed over.

Every vector has one entry per element of a :class:`Domain` -- the records of a chunk, or the
rows a ``for each`` or a comprehension runs over (``r`` of ``for each r in …``; pairs of rows for
a nested one) -- and two masks, ``miss`` and ``err``: the elements where evaluation stopped on a
missing figure and those where it stopped on an error, exactly where the per-record closures of
:mod:`fiscalrules.compiler` raise :class:`~fiscalrules.compiler.Missing` or
:class:`~fiscalrules.compiler.EvalProblem`.

* :class:`Cond`: an outcome per element (EXACT, ROUNDING, FAIL), for conditions and flags;
* :class:`RowRef`: a row of a table per element (a loop variable, a lookup ``T["302"]``);
* :class:`Lst`: a list per element -- a table's rows, a column of them, a comprehension --
  as its items (one vector over all items) and the owner of each item, items in the order the
  per-record engine would list them.  A list is whole or stopped: the first item that stops
  (in order) stops the list, and that is what its ``miss``/``err`` say.
"""

from __future__ import annotations

import numpy as np

from .columns import Num, gather

__all__ = ["EXACT", "ROUNDING", "FAIL", "Cond", "RowRef", "Lst", "Domain", "take", "mask_or", "seq",
           "first_stop", "group_starts", "expand"]

EXACT, ROUNDING, FAIL = 0, 1, 2


class Cond:
    """Outcomes per element (int8: EXACT, ROUNDING, FAIL), with the missing and error masks."""

    __slots__ = ("out", "miss", "err")

    def __init__(self, out, miss=None, err=None):
        self.out, self.miss, self.err = out, miss, err

    def take(self, index) -> Cond:
        return Cond(gather(self.out, index), _pick(self.miss, index), _pick(self.err, index))


class RowRef:
    """A row of *table* per element: ``idx`` indexes the table's rows of the chunk (meaningless
    where the element is missing or in error: -1 where a lookup found none).  ``rows``: every
    ``idx`` is a row (made so: a table's rows, children, and rows taken from them), which spares
    a pass looking for -1 before the rows are read (``lists.rows_of``); ``safe``: ``idx`` with
    -1 read as row 0, once worked out."""

    __slots__ = ("table", "idx", "miss", "err", "rows", "safe")

    def __init__(self, table, idx, miss=None, err=None, rows: bool = False):
        self.table, self.idx, self.miss, self.err = table, idx, miss, err
        self.rows = rows
        self.safe = idx if rows else None

    def take(self, index) -> RowRef:
        return RowRef(self.table, gather(self.idx, index), _pick(self.miss, index), _pick(self.err, index), self.rows)


class Lst:
    """A list per element of a domain of *n* elements: ``items`` (a vector over every item, with
    no masks of its own), ``owner`` (the element each item belongs to; non-decreasing, items of
    one element in list order), and the elements whose list stopped (``miss``/``err``)."""

    __slots__ = ("items", "owner", "n", "miss", "err", "_starts")

    def __init__(self, items, owner, n: int, miss=None, err=None):
        self.items, self.owner, self.n, self.miss, self.err = items, owner, n, miss, err
        self._starts = None

    @property
    def starts(self) -> np.ndarray:
        """Offsets of each element's items (n + 1 of them)."""
        if self._starts is None:
            self._starts = group_starts(self.owner, self.n)
        return self._starts

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts)

    def take(self, index) -> Lst:
        """The lists of the elements at *index* (each element gets a copy of its list)."""
        new_owner, items = expand(self.starts, index)
        return Lst(take(self.items, items), new_owner, len(index), _pick(self.miss, index), _pick(self.err, index))


class Domain:
    """What a vector has an entry for: the records of a chunk (the root), or the items of a list
    that a ``for each`` / comprehension binds to a variable, each belonging to an element of the
    parent domain (``owner``).  ``rec`` is the record of every element."""

    __slots__ = ("n", "rec", "parent", "owner", "var", "item", "depth", "_bound", "_chains", "memo")

    def __init__(self, n: int, rec=None, parent=None, owner=None, var=None, item=None):
        self.n, self.rec, self.parent, self.owner, self.var, self.item = n, rec, parent, owner, var, item
        self.depth = 0 if parent is None else parent.depth + 1
        self._bound: dict = {}
        self._chains: dict = {}
        self.memo: dict = {}    # values an expression made here that another may ask for again

    @property
    def records(self) -> np.ndarray:
        return self.rec if self.rec is not None else np.arange(self.n, dtype=np.int64)

    def bound(self, var: str):
        """The vector bound to *var* here or in an enclosing domain, one entry per element."""
        found = self._bound.get(var)
        if found is None:
            if self.var == var:
                found = self.item
            elif self.parent is None:  # pragma: no cover - the checker resolved every variable
                raise KeyError(var)
            else:
                found = take(self.parent.bound(var), self.owner)
            if isinstance(found, Num):
                found.owned = False  # a variable is read by every expression that names it
            self._bound[var] = found
        return found

    def ancestor(self, depth: int) -> Domain:
        domain = self
        while domain.depth > depth:
            domain = domain.parent
        return domain

    def chain(self, depth: int):
        """For each element, the element of the enclosing domain at *depth* it belongs to."""
        found = self._chains.get(depth)
        if found is None:
            if depth == 0:
                found = self.records
            elif self.depth == depth:
                found = np.arange(self.n, dtype=np.int64)
            else:
                found = self.parent.chain(depth)[self.owner]
            self._chains[depth] = found
        return found


def _pick(mask, index):
    return gather(mask, index) if mask is not None else None


def take(vector, index):
    """The entries of any vector at *index* (a gather)."""
    if hasattr(vector, "take"):
        return vector.take(index)
    raise TypeError(type(vector).__name__)  # pragma: no cover


def mask_or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def seq(vectors) -> tuple:
    """Missing and error masks of operands evaluated in order: the first to stop an element decides."""
    miss = err = None
    for v in vectors:
        if v.miss is None and v.err is None:
            continue
        if miss is None and err is None:
            miss, err = v.miss, v.err
            continue
        decided = mask_or(miss, err)
        if v.miss is not None:
            miss = mask_or(miss, v.miss & ~decided)
        if v.err is not None:
            err = mask_or(err, v.err & ~decided)
    return miss, err


def group_starts(owner, n: int) -> np.ndarray:
    """Offsets (n + 1) of the groups of a non-decreasing owner array."""
    if len(owner) and owner[0] < 0:
        return np.searchsorted(owner, np.arange(n + 1, dtype=np.int64)).astype(np.int64)
    starts = np.zeros(n + 1, dtype=np.int64)   # counts per owner, summed: no search per element
    if len(owner):
        np.cumsum(np.bincount(owner, minlength=n)[:n], out=starts[1:])
    return starts


def expand(starts, index):
    """For a list whose element e owns items ``starts[e]:starts[e+1]``: the owner (position in
    *index*) and the item of each item of the lists of ``index`` -- each element's list copied."""
    index = np.asarray(index, dtype=np.int64)
    lo = starts[index]
    counts = starts[index + 1] - lo
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(index), dtype=np.int64), counts)
    if total == 0:
        return owner, np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    items = np.repeat(lo - offsets, counts) + np.arange(total, dtype=np.int64)
    return owner, items


def first_per_owner(owner, mask) -> tuple:
    """(items, their owners): the first item set in *mask* of each owner that has one (items are
    in owner order, as a list's are)."""
    at = np.flatnonzero(mask)
    owners = owner[at]
    first = np.ones(len(at), dtype=bool)
    first[1:] = owners[1:] != owners[:-1]
    return at[first], owners[first]


def first_stop(owner, n: int, miss, err) -> tuple:
    """Per element of *n*: whether the first of its items that stops (in order) is missing or an
    error -- how a list comprehension stops in the per-record engine."""
    stops = mask_or(miss, err)
    if stops is None or not stops.any():
        return None, None
    at, owners = first_per_owner(owner, stops)
    out_miss = np.zeros(n, dtype=bool)
    out_err = np.zeros(n, dtype=bool)
    if miss is not None:
        out_miss[owners] = miss[at]
    if err is not None:
        out_err[owners] = err[at]
    return (out_miss if out_miss.any() else None), (out_err if out_err.any() else None)
