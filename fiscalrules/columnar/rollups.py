"""Roll-up rules -- ``for each r in T where count(children(r)) > 0: r.total = sum(children(r).total)``
-- read as one comparison per parent row, the children summed where they are.

A budget ruleset checks every amount column of each classification table this way (ten rules of
the bundled budget ruleset, nine of the final accounts').  Read as a general loop, each such rule
narrows the table's rows to its parents (gathering the loop's row vector and what it carries),
gathers its parents' cells, gathers its children's cells and their masks into a list (four
arrays as long as the table's child rows), finds each list's first stop and sums it.  Here:

* the parent rows, and where each one's children lie in the table's ``children(r)`` lists (made
  once per chunk for every roll-up of the table, :func:`~.lists._children_of_every_row`), are
  worked out once per chunk and table (:func:`_parents`);
* each rule gathers its parents' cells (the left side) and sums its children's cells in place --
  the C kernel ``gathered_sums`` reads each child's value (and its rounding half, when halves
  differ by row) and masks through the children's index in one pass, with no list made
  (``arith.group_sum``'s *index*; the numpy code gathers, as it did);
* and compares the two as whole columns (:func:`~.arith.decide`).

The values are those the loop gives: the same cells (``lists._cells``), the same first stop of
each parent's list of children in row order (a missing or erroneous child stops the sum, after
the parent's own cell, as ``seq`` orders the sides), the same sums and rounding intervals
(``arith.group_sum``), the same comparison -- so statuses and findings are unchanged
(tests/test_columnar_rollups.py compares both ways, kernels on and off).  A rule of another
shape, or a chunk where the pattern's assumptions do not hold (no rows, cells that are not
plain columns of the table), runs as a loop.
"""

from __future__ import annotations

import numpy as np

from .. import ast
from ..values import NO_TOLERANCE
from . import arith, logic
from .columns import Num, gather
from .kernel import compiled, int64s
from .lists import _cells, _children_of_every_row
from .loops import Rows
from .plan import _nonempty, _with_masks
from .vectors import first_stop

__all__ = ["rollup_of"]

_NUMERIC = ("amount", "count", "number", "percent")


def _children_call(node, var: str) -> bool:
    """Whether *node* is ``children(var)``."""
    return type(node) is ast.Call and node.func == "children" and len(node.args) == 1 \
        and type(node.args[0]) is ast.VarRef and node.args[0].name == var


def rollup_of(compiler, assertion):
    """A closure ``f(run, lst) -> (Rows, Cond) | None`` reading a roll-up rule's rows (*lst*: the
    table's rows per record, as the loop's source gives them) when *assertion* is
    ``for each r in T where count(children(r)) > 0: BODY``, BODY ``r.A OP sum(children(r).B)``
    (A, B numeric columns of T) or an ``and`` of such comparisons, in a rule without a tolerance;
    None for any other assertion."""
    if type(assertion) is not ast.ForEach or type(assertion.source) is not ast.TableRef:
        return None
    var, where = assertion.var, assertion.where
    if not (type(where) is ast.Compare and where.op == ">" and type(where.right) is ast.Number
            and where.right.value == 0 and where.right.unit is None and type(where.left) is ast.Call
            and where.left.func == "count" and len(where.left.args) == 1 and _children_call(where.left.args[0], var)):
        return None
    if compiler.tolerance is not NO_TOLERANCE:   # (it widens the filter too: 0 > 0 within 1 holds)
        return None
    path = assertion.source.path
    body = _body(assertion.body, var, path, compiler.settings, compiler.tolerance)
    if body is None:
        return None

    def rollup(run, lst):
        table = run.batch.table(path)
        items = lst.items
        if table.m == 0 or getattr(items, "table", None) is not table or items.idx is not table._cache.get("identity"):
            return None
        parents = _parents(run, table)
        try:
            outcome = body(run, parents)
        except _NotPlain:
            return None
        return Rows(parents.holds, None, None, None, parents.rows), outcome
    return rollup


class _NotPlain(Exception):
    """A column of the chunk that is not a plain column of the table's rows: read as a loop."""


class _Parents:
    """The rows of a table in a chunk that have children (``rows``; ``holds``: a mask of them over
    every row), where each one's children start in ``index`` (one more: the end), the children's
    rows grouped by parent -- and, as the domain of the comparisons, ``n`` (how many parents)."""

    __slots__ = ("holds", "rows", "starts", "index", "n")

    def __init__(self, holds, rows, starts, index):
        self.holds, self.rows, self.starts, self.index, self.n = holds, rows, starts, index, len(rows)


def _body(node, var: str, path: str, settings, tolerance):
    """The closure ``f(run, parents) -> Cond`` of a roll-up's body (*node*) over the parent rows,
    or None where *node* is not a roll-up comparison or an ``and`` of them."""
    if type(node) is ast.And:
        left, right = _body(node.left, var, path, settings, tolerance), _body(node.right, var, path, settings, tolerance)
        return None if left is None or right is None else logic.and_(left, right)
    if not (type(node) is ast.Compare and type(node.left) is ast.Column and type(node.left.obj) is ast.VarRef
            and node.left.obj.name == var and type(node.right) is ast.Call and node.right.func == "sum"
            and len(node.right.args) == 1 and type(node.right.args[0]) is ast.Column
            and _children_call(node.right.args[0].obj, var)):
        return None
    op, left_name, right_name = node.op, node.left.name, node.right.args[0].name
    for name in (left_name, right_name):
        decl = settings.column_decl(path, name)
        if decl is None or decl.kind not in _NUMERIC:
            return None

    def compare(run, parents):
        a_cells, b_cells = _plain(run, settings, path, left_name), _plain(run, settings, path, right_name)
        n, index, starts = parents.n, parents.index, parents.starts
        miss, err = _first_stops(b_cells, index, starts, n)
        total = _with_masks(arith.group_sum(b_cells, starts, n, index=index), miss, err)
        return arith.decide(op, a_cells.take(parents.rows), total, tolerance, n)
    return compare


def _plain(run, settings, path: str, name: str) -> Num:
    """Column *name* of table *path*'s rows in the chunk, as the loop reads it (``lists._cells``)."""
    cells = _cells(run, settings, path, name)
    if type(cells) is not Num or type(cells.pt) is not np.ndarray or len(cells.pt) != run.batch.table(path).m:
        raise _NotPlain(name)
    return cells


def _parents(run, table) -> _Parents:
    """The parent rows of *table* in the chunk: once per chunk for all its roll-ups."""
    key = ("rollup parents", table.path)
    found = run.batch.kept.get(key)
    if found is None:
        every = _children_of_every_row(run, table)
        starts = every.starts
        holds = starts[1:] > starts[:-1]
        rows = np.flatnonzero(holds)
        # every row's children lie at starts[row]:starts[row + 1], rows in order: the parents'
        # groups are those with items, end to end
        found = run.batch.kept[key] = _Parents(holds, rows, np.append(starts[rows], starts[-1]), every.items.idx)
    return found


def _first_stops(cells: Num, index, starts, n: int) -> tuple:
    """(missing, in error): per parent, how the first of its children (in row order) whose cell
    stops does -- a ``sum()`` of the list stops there."""
    miss, err = cells.miss, cells.err
    if miss is None and err is None:
        return None, None
    c = compiled()
    if c is None:
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(starts))
        return first_stop(owner, n, None if miss is None else gather(miss, index),
                          None if err is None else gather(err, index))
    stop = np.empty(n, dtype=np.int8)
    c.gathered_sums(None, None, None if miss is None else np.ascontiguousarray(miss, dtype=bool),
                    None if err is None else np.ascontiguousarray(err, dtype=bool), int64s(index), int64s(starts),
                    None, None, stop)
    return _nonempty((stop & 1).astype(bool)), _nonempty((stop & 2).astype(bool))
