"""Lists, loops and aggregates on columns: tables as grouped column operations.

A table field's rows, a column of them (``T.amount``), the children of a row (``children(r)``),
the figures of a wildcard (``income.sources.*``), a comprehension (``r.total for r in T where
level(r) = 1``) are :class:`~.vectors.Lst` values: one vector over all items and the owner of each
item -- a record, or an element of an enclosing loop.  ``sum`` / ``count`` / ``min`` / ``max`` are
grouped reductions (``np.add.reduceat`` over the owners' runs of items); ``for each`` and
comprehensions open a new :class:`~.vectors.Domain` over the items, so their conditions and bodies
are ordinary column expressions over the rows.  A lookup ``T[r.code]`` is a sorted-key search.

The per-record engine stops a list at its first item that raises (a missing cell, text in an
amount column) and stops a ``for each`` at its first failing or raising row; each of these is
reproduced per owner (:func:`~.vectors.first_stop`), so statuses are the per-record engine's.
A rule's statuses -- a ``for each`` at the top of a rule counted as one finding per row -- are
made from these values by :mod:`.rulebody`.
"""

from __future__ import annotations

import numpy as np

from . import arith, priors
from .columns import Num, Text, Unsupported
from .hierarchy import children_ranges
from .loops import compile_loop, filtered, open_rows
from .loops import spread
from .plan import _default_quantity, _nonempty, with_fill
from .vectors import EXACT, FAIL, ROUNDING, Cond, Lst, RowRef, first_per_owner, first_stop, mask_or, seq, take

__all__ = ["wildcard", "table_rows", "column", "for_each", "comprehension", "call", "as_list"]

def _table_of(kind: str) -> str:
    return kind.split(":", 2)[-1] if kind.startswith(("row:", "list:row:")) else ""


# ---- sources -------------------------------------------------------------------------------------

def table_rows(path: str):
    """``T``: the rows of a table per record (a missing table is a missing figure)."""
    def rows(run, dom):
        table = run.batch.table(path)
        identity = table._cache.get("identity")
        if identity is None:
            identity = table._cache["identity"] = np.arange(table.m, dtype=np.int64)
        found = Lst(RowRef(table, identity, rows=True), table.rec, dom.n, miss=_nonempty(~table.present))
        if dom.n == table.n:
            found._starts = table.starts     # (the same offsets: the rows are the table's, by record)
        return found
    return rows


def wildcard(compiler, prefix: str, part: str):
    """``prefix.*`` (or ``change(prefix.*)``): the figures under *prefix* each record has, in
    column order -- a missing figure when it has none."""
    settings = compiler.settings

    def figures(run, dom):
        # The same wildcard is read by several rules (a count in ``when``, a sum in the
        # assertion): made once per chunk, like a column.
        cache = run.batch.frame._cache
        key = ("wildcard", prefix, part, dom.n)
        found = cache.get(key)
        if found is None:
            found = cache[key] = read(run.batch.frame, dom.n)
        return found

    def read(frame, n):
        keys = frame.keys_under(prefix)
        if not keys:
            return Lst(Num(np.zeros(0, dtype=np.int64), 0, "number"), np.zeros(0, dtype=np.int64), n,
                       miss=np.ones(n, dtype=bool))
        present = np.stack([frame.present(k) for k in keys], axis=1)
        if part == "prior":
            staged = [priors.prior_stages(frame.num(k, decl), frame.num(k, decl, "change"),
                                          frame.num(k, decl, "pct"), n)
                      for k, decl in ((k, settings.decl_for(k)) for k in keys)]
            nums = [num for num, _ in staged]
        else:
            nums = [frame.num(k, settings.decl_for(k), None if part == "value" else part) for k in keys]
        nums = arith._common(nums)
        owner, column = np.nonzero(present)           # record by record, columns in order
        at = column * n + owner   # (the columns end to end, then one gather: no n × k matrix)
        stack = lambda values: np.concatenate([arith._full(v, n) for v in values])[at]  # noqa: E731
        if all(v.half is not None for v in nums):
            items = Num(stack([v.pt for v in nums]), nums[0].exp, _dims(nums), half=stack([v.half for v in nums]),
                        bound=max(v.bound for v in nums))
        else:
            items = Num(stack([v.pt for v in nums]), nums[0].exp, _dims(nums), lo=stack([v.lo for v in nums]),
                        hi=stack([v.hi for v in nums]), bound=max(v.bound for v in nums))
        # Both engines take a record's figures in path order (``Record.under``, the frame's
        # ``keys_under``): the first that stops decides, figure by figure -- but prior() reads
        # every value, then every basis, then every quotient (:func:`.priors.list_stops`).
        def masks(of):
            found = list(of)
            if all(m is None for m in found):
                return None
            none = np.zeros(n, dtype=bool)
            return stack([m if m is not None else none for m in found])
        if part == "prior":
            stages = [priors.Stage(masks(s[i].miss for _, s in staged), masks(s[i].err for _, s in staged))
                      for i in range(3)]
            miss, err = priors.list_stops(stages, owner, n)
        else:
            miss, err = first_stop(owner, n, masks(v.miss for v in nums) if part != "value" else None,
                                   masks(v.err for v in nums))
        empty = ~present.any(axis=1)
        return Lst(items, owner, n, miss=_nonempty(mask_or(miss, empty) if miss is not None else empty),
                   err=_nonempty(err & ~empty) if err is not None else None)
    return figures


def _dims(nums) -> str:
    dims = {v.dim for v in nums}
    if len(dims) == 1:
        return dims.pop()
    return "mixed" if len({d == "money" for d in dims}) > 1 else sorted(dims)[0]


def as_list(value, kind: str, n: int) -> Lst:
    """A source to iterate: a list as it is, anything else as a one-item list (``[value]``)."""
    if isinstance(value, Lst):
        return value
    owner = np.arange(n, dtype=np.int64)
    return Lst(_bare(value), owner, n, miss=value.miss, err=value.err)


def _bare(value):
    """The values of a vector without its masks (items of a list are never stopped themselves)."""
    if isinstance(value, Num):
        if value.half is not None:
            return Num(value.pt, value.exp, value.dim, half=value.half, bound=value.bound)
        return Num(value.pt, value.exp, value.dim, lo=value._lo, hi=value._hi, bound=value.bound)
    if isinstance(value, Text):
        return Text(value.codes, value.texts)
    if isinstance(value, RowRef):
        return RowRef(value.table, value.idx, rows=value.rows)
    return Cond(value.out)


# ---- cells -------------------------------------------------------------------------------------

def _cells(run, settings, path: str, name: str, part=None):
    """Column *name* of table *path* over all its rows in the chunk, as ``_cell`` reads each cell
    (defaults where a cell is blank; a row's own code where it has no code cell)."""
    table = run.batch.table(path)
    key = ("cells", name, part)
    found = table._cache.get(key)
    if found is not None:
        return found
    decl = settings.column_decl(path, name)
    if part is not None:
        found = table.frame.num(name, decl, part)
    elif name == "code" and (decl is None or decl.kind == "text"):
        found = table.code_text()
    elif decl is None:
        raise Unsupported(f"column {name} of {path} is not declared")
    elif decl.kind == "text" and decl.default is None:
        found = table.frame.text_column(table.frame.column_of[(name, None)]) if table.frame.has(name) else \
            Text(np.zeros(table.m, dtype=np.int64), [""], miss=np.ones(table.m, dtype=bool))
    elif decl.kind == "flag" and decl.default is None:
        values, present, is_flag = table.frame.flags(name)   # (a cell neither true nor false: an error)
        found = Cond(np.where(values, EXACT, FAIL).astype(np.int8), _nonempty(~present), _nonempty(present & ~is_flag))
    elif decl.kind in ("amount", "count", "number", "percent"):
        found = table.frame.num(name, decl)
        if decl.default is not None:
            found = with_fill(found, _default_quantity(decl.default, decl.kind, decl.unit, settings.default_unit),
                              table.m)
        found.owned = False
    else:
        raise Unsupported(f"a {decl.kind} column with a default")
    table._cache[key] = found
    return found


def column(compiler, node, scope):
    """``r.amount`` (a row's cell) or ``T.amount`` / ``children(r).total`` (a list of cells)."""
    obj, kind = compiler.compile(node.obj, scope)
    path = _table_of(kind)
    if not path:
        raise Unsupported(f"a column of a {kind}")
    name = node.name
    settings = compiler.settings
    decl = settings.column_decl(path, name)
    cell_kind = "text" if name == "code" and (decl is None or decl.kind == "text") else \
        {"amount": "num", "count": "num", "number": "num", "percent": "num", "text": "text", "flag": "cond"}.get(
            decl.kind if decl is not None else "", "")
    if not cell_kind:
        raise Unsupported(f"column {name} of {path} is not declared")

    if kind.startswith("row:"):
        def cell(run, dom):
            r = obj(run, dom)
            return _at_rows(_cells(run, settings, path, name), r)
        return cell, cell_kind

    def cells(run, dom):
        lst = obj(run, dom)
        return _list_of_cells(_cells(run, settings, path, name), lst)
    return cells, "list:" + cell_kind


def rows_of(r: RowRef):
    """*r*'s row numbers, safe to index with (a missing row reads row 0: masked anyway), or None
    when the table has no rows in the chunk (every reference is then missing)."""
    if r.table.m == 0:
        return None
    if r.safe is None:   # (a lookup's or a parent's rows: once per vector)
        idx = r.idx
        r.safe = np.where(idx < 0, 0, idx) if len(idx) and idx.min() < 0 else idx
    return r.safe


def missing_like(kind_of, n: int):
    """A vector of *n* missing entries of the kind of *kind_of*."""
    miss = np.ones(n, dtype=bool)
    if isinstance(kind_of, Num):
        return Num(np.zeros(n, dtype=np.int64), 0, kind_of.dim, miss=miss)
    if isinstance(kind_of, Text):
        return Text(np.zeros(n, dtype=np.int64), [""], miss=miss)
    return Cond(np.zeros(n, dtype=np.int8), miss=miss)


def _at_rows(cells, r: RowRef):
    """The cells of the rows *r* refers to, stopped where *r* is (the row is read first)."""
    if r.idx is r.table._cache.get("identity"):
        value = cells
    else:
        index = rows_of(r)
        value = missing_like(cells, len(r.idx)) if index is None else take(cells, index)
    if r.miss is None and r.err is None:
        return value
    miss, err = seq((r, value))
    from .plan import _with_masks
    return _with_masks(value, miss, err)


def _list_of_cells(cells, lst: Lst, stages=None) -> Lst:
    """The cells of *lst*'s rows; *stages*: of prior cells (:func:`.priors.list_stops`)."""
    items = lst.items
    index = None
    if items.idx is items.table._cache.get("identity"):
        values = cells
    else:
        index = rows_of(items)
        values = missing_like(cells, len(items.idx)) if index is None else take(cells, index)
        if index is None:
            stages = None   # (no rows in the chunk: every item missing)
    if stages is not None:
        miss, err = priors.list_stops(stages, lst.owner, lst.n, index)
    else:
        miss, err = first_stop(lst.owner, lst.n, values.miss, values.err)
    miss, err, _ = _source_stops(lst, miss, err)   # the list itself stopped first
    out = Lst(_bare(values), lst.owner, lst.n, _nonempty(miss), _nonempty(err))
    out._starts = lst._starts    # the same owners: their offsets, when made, are these
    return out


# ---- loops ---------------------------------------------------------------------------------------

def _each_row(run, dom, source, skind, where, inner, var, opened=None) -> tuple:
    """What a loop reads of each row of its source: (the list, the rows its filter keeps, *inner*
    over those rows -- at positions *at* among all rows, or over every row when *at* is None --,
    the rows that stop on a missing figure / an error in the filter or in *inner*).  *opened*:
    (the list, its rows' domain, what the filter said of them), when read already."""
    if opened is None:
        lst = as_list(source(run, dom), skind, dom.n)
        sub = open_rows(lst, dom, var)
        rows = filtered(where, inner, run, sub)
    else:
        lst, sub, said = opened
        rows = filtered(where, inner, run, sub, said)
    value = rows.read(run, rows.dom)
    m, at = sub.n, rows.at
    holds = rows.holds if rows.holds is not None else np.ones(m, dtype=bool)

    def where_kept(mask):   # a mask of *value*, over all rows, where the filter keeps the row
        if mask is None:
            return None
        if at is None:
            return holds & mask if rows.holds is not None else mask
        full = np.zeros(m, dtype=bool)
        full[at] = mask
        return full
    e_miss = mask_or(rows.miss, where_kept(value.miss))
    e_err = mask_or(rows.err, where_kept(value.err))
    return lst, holds, value, at, e_miss, e_err


def _source_stops(lst: Lst, miss, err) -> tuple:
    """(miss, err, stopped): where the loop's source itself stopped, that decides (no row was read)."""
    stopped = mask_or(lst.miss, lst.err)
    if stopped is None:
        return miss, err, None
    return (mask_or(lst.miss, miss & ~stopped if miss is not None else None),
            mask_or(lst.err, err & ~stopped if err is not None else None), stopped)


def for_each(compiler, node, scope):
    """A ``for each`` inside a condition: holds when every row that passes the filter holds; the
    first row (in order) that fails, or whose filter or body raises, decides."""
    source, skind, where, body, body_kind = compile_loop(compiler, node, scope, node.where, node.body)
    if body_kind != "cond":
        raise Unsupported(f"a for each over a {body_kind}")
    var = node.var

    def forall(run, dom):
        n = dom.n
        lst, holds, b, at, e_miss, e_err = _each_row(run, dom, source, skind, where, body, var)
        if at is not None:
            b = spread(b, at, len(holds))
        b_stop = mask_or(b.miss, b.err)
        on = holds & ~b_stop if b_stop is not None else holds
        e_fail = on & (b.out == FAIL)
        decisive = mask_or(mask_or(e_miss, e_err), e_fail)
        out = np.zeros(n, dtype=np.int8)
        miss = err = None
        if decisive.any():
            at, owners = first_per_owner(lst.owner, decisive)
            miss = np.zeros(n, dtype=bool)
            err = np.zeros(n, dtype=bool)
            if e_miss is not None:
                miss[owners] = e_miss[at]
            if e_err is not None:
                err[owners] = e_err[at]
            out[owners[e_fail[at]]] = FAIL
            decided = np.zeros(n, dtype=bool)
            decided[owners] = True
        else:
            decided = None
        rounding = on & (b.out == ROUNDING)
        if rounding.any():
            some = np.zeros(n, dtype=bool)
            some[lst.owner[rounding]] = True
            if decided is not None:
                some &= ~decided
            out[some] = ROUNDING
        miss, err, stopped = _source_stops(lst, miss, err)
        if stopped is not None:  # the source stopped before any row was read
            out[stopped] = EXACT
        return Cond(out, _nonempty(miss), _nonempty(err))
    return forall


def comprehension(compiler, node, scope):
    """``elem for x in source where cond``: the elements of the rows that pass, in order; the
    first row whose filter or element raises stops the list."""
    loop = compile_loop(compiler, node, scope, node.cond, node.elem)
    return listing_of(loop, node.var), "list:" + loop[4]


def listing_of(loop: tuple, var: str):
    """The closure listing a comprehension's elements (*loop*: what ``compile_loop`` gives), which
    may be given the list, its rows' domain and what the filter said of them, read already."""
    source, skind, where, elem, elem_kind = loop

    def listing(run, dom, opened=None):
        n = dom.n
        lst, holds, value, at, e_miss, e_err = _each_row(run, dom, source, skind, where, elem, var, opened)
        miss, err = first_stop(lst.owner, n, e_miss, e_err)
        miss, err, _ = _source_stops(lst, miss, err)
        if at is None:        # (*value* is over every row)
            if where is None:
                return Lst(_bare(value), lst.owner, n, _nonempty(miss), _nonempty(err))
            at = np.flatnonzero(holds)
            value = take(value, at)
        return Lst(_bare(value), lst.owner[at], n, _nonempty(miss), _nonempty(err))
    return listing


# ---- functions -----------------------------------------------------------------------------------

def call(compiler, node, scope):  # noqa: C901 - one branch per function
    name = node.func
    if name in ("change", "pct", "prior"):
        return _stated(compiler, node, scope)
    if name == "children":
        row, kind = compiler.compile(node.args[0], scope)
        if not kind.startswith("row:"):
            raise Unsupported("children() of something other than a row")
        return _children_of(row), "list:" + kind
    from .. import ast
    if name in ("sum", "count") and len(node.args) == 1 and type(node.args[0]) is ast.Comprehension \
            and type(node.args[0].source) is ast.TableRef and not scope:   # (over a table's rows, per record)
        from .aggregates import aggregate
        return aggregate(compiler, node, scope)
    args = [compiler.compile(a, scope) for a in node.args]
    for _, kind in args:
        if kind != "num" and not (kind.startswith("list:") and (name == "count" or kind == "list:num")):
            raise Unsupported(f"{name}() of a {kind}")
    if name == "count":
        (arg, kind), = args
        if not kind.startswith("list:"):
            raise Unsupported("count() of something other than a list")
        return (lambda run, dom: count_of(arg(run, dom))), "num"
    if name == "sum":
        return (lambda run, dom: sum_of([fn(run, dom) for fn, _ in args], dom.n)), "num"
    pick_min = name == "min"

    def extreme(run, dom):
        values = [fn(run, dom) for fn, _ in args]
        miss, err = seq(values)
        parts, empty = [], None
        for v in values:
            if isinstance(v, Num):
                parts.append(v)
                empty = np.zeros(dom.n, dtype=bool)
                continue
            part, none = arith.group_extreme(v.items, v.starts, dom.n, pick_min)
            if none is not None and len(values) > 1:  # an empty list beside others: left out
                raise Unsupported(f"{name}() of several lists")
            parts.append(part)
            empty = none if empty is None else (empty if none is None else empty & none)
        result = arith.extreme(parts, pick_min) if len(parts) > 1 else parts[0]
        if empty is not None and empty.any():  # min()/max() of nothing: an error per record
            stopped = mask_or(miss, err)
            err = mask_or(err, empty & ~stopped if stopped is not None else empty)
        return _masked(result, _nonempty(miss), _nonempty(err))
    return extreme, "num"


def count_of(lst: Lst) -> Num:
    """``count()`` of a list per element."""
    return Num(lst.counts.astype(np.int64), 0, "number", miss=lst.miss, err=lst.err, bound=1 << 40)


def sum_of(values: list, n: int) -> Num:
    """``sum()`` of numbers and lists (each summed per element), stopped where the first stops."""
    miss, err = seq(values)
    result = None
    for v in values:
        part = v if isinstance(v, Num) else arith.group_sum(v.items, v.starts, n)
        result = part if result is None else arith.add(result, part)
    return _masked(result, miss, err)


def _masked(value: Num, miss, err) -> Num:
    from .plan import _with_masks
    return _with_masks(value, miss, err)


def _children_of(row):
    def children(run, dom):
        r = row(run, dom)
        table = r.table
        n = dom.n
        if table.m == 0:
            return Lst(RowRef(table, np.zeros(0, dtype=np.int64), rows=True), np.zeros(0, dtype=np.int64), n, r.miss,
                       r.err)
        every = _children_of_every_row(run, table)
        if r.miss is None and r.err is None:
            if r.idx is table._cache.get("identity") and n == table.m:
                return every
            index = r.idx
            if np.array_equal(table.rec[index], dom.records):   # (rows of each element's own record)
                return _children_at(every, index)
        return _children_searched(r, dom)
    return children


def _children_of_every_row(run, table) -> Lst:
    """``children(r)`` of every row of *table*: the one list every roll-up of the table reads
    (``where count(children(r)) > 0: r.total = sum(children(r).total)``, a column each), whole
    or at the rows a filter keeps -- made once per chunk, kept by the chunk (three index arrays
    of the table's rows; not by the table: the list refers to it, and the cycle would outlive
    the chunk until a collection)."""
    key = ("children", table.path)
    found = run.batch.kept.get(key)
    if found is None:
        rows, lo, counts = children_ranges(table)
        found = run.batch.kept[key] = _ranges(table, rows, lo, counts)
    return found


def _ranges(table, rows, lo, counts) -> Lst:
    """The list whose element i holds ``rows[lo[i]:lo[i] + counts[i]]`` (rows of *table*)."""
    n = len(lo)
    owner = np.repeat(np.arange(n, dtype=np.int64), counts)
    total = int(counts.sum())
    ends = np.cumsum(counts)
    if total == len(rows) and np.array_equal(lo, ends - counts):   # the groups in order: rows as they are
        items = rows
    else:
        items = rows[np.repeat(lo - (ends - counts), counts) + np.arange(total, dtype=np.int64)]
    found = Lst(RowRef(table, items, rows=True), owner, n)
    found._starts = np.concatenate([np.zeros(1, dtype=np.int64), ends.astype(np.int64)])  # group_starts'
    return found


def _children_at(every: Lst, index) -> Lst:
    """*every* (a list per row of a table) at the rows *index*.  When those rows hold every
    child -- rows in order, the others childless, as a filter ``count(children(r)) > 0`` keeps
    them -- the items are *every*'s own and only their owners are numbered anew."""
    starts = every.starts
    counts = starts[index + 1] - starts[index]
    total = len(every.owner)
    if len(index) and int(counts.sum()) == total and (len(index) == 1 or (index[1:] > index[:-1]).all()):
        owner = np.repeat(np.arange(len(index), dtype=np.int64), counts)
        found = Lst(every.items, owner, len(index))
        found._starts = np.concatenate([starts[index], starts[-1:]])
        return found
    return every.take(index)


def _children_searched(r: RowRef, dom) -> Lst:
    """``children(r)`` of rows that may stop (a lookup's) or be of another record: searched."""
    table = r.table
    _, rows = table.children_groups()
    lo, hi = table.children_of_rows(rows_of(r), dom.records)
    stopped = mask_or(r.miss, r.err)
    counts = np.where(stopped, 0, hi - lo) if stopped is not None else hi - lo
    found = _ranges(table, rows, lo, counts)
    found.miss, found.err = r.miss, r.err
    return found


def _stated(compiler, node, scope):
    """``change(x)`` / ``pct(x)`` (a figure's stated change or percentage: missing where the
    figure or its statement is) and ``prior(x)`` (the value less its stated change, or where only
    a percentage is stated the quotient it implies: :mod:`.priors`)."""
    from .. import ast
    name = node.func
    arg = node.args[0]
    part = {"pct": "pct", "change": "change"}.get(name, "prior")
    settings = compiler.settings
    if isinstance(arg, ast.FieldRef):
        path, decl = arg.path, settings.decl_for(arg.path)
        if part == "prior":
            values, _ = compiler.compile(arg, scope)

            def prior(run, dom):
                frame = run.batch.frame
                return priors.prior_of(values(run, dom), frame.num(path, decl, "change"),
                                       frame.num(path, decl, "pct"), dom.n)
            return prior, "num"
        return (lambda run, dom: run.batch.frame.num(path, decl, part)), "num"
    if isinstance(arg, ast.Wildcard):
        return wildcard(compiler, arg.prefix, part), "list:num"
    if not isinstance(arg, ast.Column):
        raise Unsupported(f"{name}() of a computed value")
    obj, okind = compiler.compile(arg.obj, scope)
    path = _table_of(okind)
    if not path:
        raise Unsupported(f"{name}() of a column of a {okind}")
    column_name = arg.name
    if part == "prior" and settings.column_decl(path, column_name) is None:
        raise Unsupported(f"column {column_name} of {path} is not declared")
    cells = (lambda run: _prior_cells(run, settings, path, column_name)) if part == "prior" else \
        (lambda run: _cells(run, settings, path, column_name, part))
    if okind.startswith("row:"):
        return (lambda run, dom: _at_rows(cells(run), obj(run, dom))), "num"

    def stated(run, dom):
        rows = obj(run, dom)
        if part == "prior":
            # (the per-record engine reads the rows' values, then what each prior is found
            # from, then the quotients: stopped stage by stage)
            values, stages = _prior_cells(run, settings, path, column_name, staged=True)
            return _list_of_cells(values, rows, stages)
        return _list_of_cells(cells(run), rows)
    return stated, "list:num"


def _prior_cells(run, settings, path: str, name: str, staged: bool = False):
    """``prior(r.name)`` of every row of table *path* in the chunk (kept by the table, like a
    column's cells); *staged*: with the rows' stops at each stage (:func:`.priors.prior_stages`)."""
    table = run.batch.table(path)
    key = ("cells", name, "prior")
    found = table._cache.get(key)
    if found is None:
        found = table._cache[key] = priors.prior_stages(
            _cells(run, settings, path, name), _cells(run, settings, path, name, "change"),
            _cells(run, settings, path, name, "pct"), table.m)
        found[0].owned = False
    return found if staged else found[0]
