"""``sum`` / ``count`` of a comprehension over a table's rows, per record, read where the rows are.

``sum(r.total for r in T where level(r) = 1)`` and ``count(r for r in T where present(change(r.amount)))``
are written in many rules' conditions and assertions.  The general path
(:func:`.lists.comprehension`, then :func:`.lists.sum_of` / :func:`.lists.count_of`) makes the
list of the elements first: the rows narrowed to those the filter keeps, the element's column
gathered at them, their records gathered and grouped again -- to then add them up per record.
Here the filter's mask over every row of the table is summed per record in one pass over the
column as the table holds it (:func:`.arith.group_sum` with *keep*: the C kernel ``kept_sums``,
or its numpy twin), which gives the same numbers where nothing stops the list: the filter
stopped on no row, and the element cannot stop (the loop variable itself, or a column with no
missing or refused cell at a row the filter keeps).  Elsewhere -- and in loops below the records, whose rows are not the
table's rows per record -- the general path goes on from what the filter said.
"""

from __future__ import annotations

import numpy as np

from .. import ast
from . import arith
from .columns import Num, Unsupported
from .lists import _bare, _cells, _masked, _table_of, as_list, count_of, listing_of, sum_of
from .loops import compile_loop, open_rows
from .vectors import mask_or

__all__ = ["aggregate"]


def _column_read(elem, var: str):
    """(column name, part) when the element is ``var.column`` or ``change(var.column)`` /
    ``pct(var.column)`` -- a cell of the row as the table holds it --, else None."""
    part = None
    if type(elem) is ast.Call and elem.func in ("change", "pct") and len(elem.args) == 1:
        part, elem = ("pct" if elem.func == "pct" else "change"), elem.args[0]
    if type(elem) is ast.Column and type(elem.obj) is ast.VarRef and elem.obj.name == var:
        return elem.name, part
    return None


def _any_kept(mask, keep) -> bool:
    """Whether *mask* is set at a row *keep* keeps."""
    return bool(np.logical_and(mask, keep).any())


def aggregate(compiler, node: ast.Call, scope: tuple):
    """(closure, "num") of ``sum(comprehension)`` or ``count(comprehension)`` over a table's rows
    (``T``), per record (*scope* empty)."""
    name, comp = node.func, node.args[0]
    loop = compile_loop(compiler, comp, scope, comp.cond, comp.elem)
    source, skind, where, _, elem_kind = loop
    if name == "sum" and elem_kind != "num":
        raise Unsupported(f"sum() of a list:{elem_kind}")
    var = comp.var
    listing = listing_of(loop, var)
    column = _column_read(comp.elem, var) if elem_kind == "num" else None
    if column is None and not (name == "count" and type(comp.elem) is ast.VarRef and comp.elem.name == var):
        # (an element that may stop: the general path)
        if name == "count":
            return (lambda run, dom: count_of(listing(run, dom))), "num"
        return (lambda run, dom: sum_of([listing(run, dom)], dom.n)), "num"
    path, settings = _table_of(skind), compiler.settings

    def aggregate(run, dom):
        lst = as_list(source(run, dom), skind, dom.n)
        sub = open_rows(lst, dom, var)
        said = where(run, sub) if where is not None else None
        starts = lst._starts      # (the table's rows by record: every row, in order)
        if starts is not None and lst.err is None and (said is None or (said.miss is None and said.err is None)):
            keep = said.holds if said is not None else None
            cells = _cells(run, settings, path, *column) if column is not None else None
            stops = None if cells is None else mask_or(cells.miss, cells.err)
            if stops is not None and keep is not None and isinstance(cells, Num) and not _any_kept(stops, keep):
                stops = None   # (cells that stop only at rows the filter leaves out: never read)
            if cells is None or (isinstance(cells, Num) and stops is None):
                if name == "count":   # (the rows the filter keeps, per record)
                    counts = np.diff(starts) if keep is None else arith._segment_sum(None, starts, keep)
                    return Num(counts, 0, "number", miss=lst.miss, bound=1 << 40)
                return _masked(arith.group_sum(_bare(cells), starts, dom.n, keep), lst.miss, None)
        found = listing(run, dom, (lst, sub, said))
        return count_of(found) if name == "count" else sum_of([found], dom.n)
    return aggregate, "num"
