"""The rows a loop reads: a ``for each`` / comprehension's filter and body over only the rows that
need them.

A loop ``for each r in T where A and B: body`` binds *r* to every row of its source (a
:class:`~.vectors.Domain` over the rows, :func:`open_rows`).  The per-record engine reads ``B``
only where ``A`` did not fail, and the body only where the filter holds; so does this module:
each conjunct after the first is computed over the rows the conjuncts before it left open, the
body over the rows the filter keeps -- a narrower domain (:func:`narrow`) whose values are spread
back where a whole-row vector is needed.  Rows whose values are never read are not computed
(a roll-up's body over its parent rows only, a lookup in ``level(r) = 1 and present(T[r.code])``
over the first-level rows only), which is most of what a rule over a table's rows costs.

The values of a narrowed domain are shared between rules (:class:`~.plan.Shared`) under a key
naming the narrowing: the loop variable's source *and* the condition that narrowed it
(``Compiler._var_sources``), so two rules over the same table with different filters never share
a value, and two with the same filter do.  Whether a domain is narrowed at all (it is not when
nearly every row stays) is decided from the narrowing condition's values alone, so every rule
sharing the key makes the same choice.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from . import logic
from .columns import Num
from .vectors import FAIL, Cond, Domain, Lst, mask_or, take

__all__ = ["compile_loop", "bound_var", "open_rows", "narrow", "filtered", "spread", "Rows", "Pick"]

# A domain is narrowed when fewer than this share of its rows stay (otherwise the gathers cost
# more than the rows they save).
_NARROW_BELOW = 0.8


def _elem_kind(kind: str) -> str:
    return kind[5:] if kind.startswith("list:") else kind


@contextmanager
def bound_var(compiler, var: str, kind: str, source=None):
    """While compiling under it: the loop variable *var* bound to rows of *kind* (and, given, to
    *source*: a key of Shared naming them); what it was bound to before is restored after."""
    saved = compiler._var_kinds.get(var), compiler._var_sources.get(var)
    compiler._var_kinds[var] = kind
    if source is not None:
        compiler._var_sources[var] = source
    try:
        yield
    finally:
        if saved[0] is None:
            compiler._var_kinds.pop(var, None)
            compiler._var_sources.pop(var, None)
        else:
            compiler._var_kinds[var], compiler._var_sources[var] = saved


def compile_loop(compiler, node, scope, cond, inner):
    """Compile a loop's source, filter (None without one) and body (or element), the variable
    bound over the rows each reads: ``(source, kind, where, body, body kind)``, read together
    by :func:`filtered`."""
    from .. import ast
    source, skind = compiler.compile(node.source, scope)
    var = node.var
    inner_scope = scope + (var,)
    base = compiler.scope_key(node.source, scope)    # every row of the source
    from .joined import joined_source   # (only the rows a filter matching texts can keep: see there)
    source, base = joined_source(compiler, node, scope, source, base)
    with bound_var(compiler, var, _elem_kind(skind)):
        where, body_key = None, base
        if cond is not None:
            spine = [cond]                 # ((A and B) and C): C, then (A and B), then A ...
            while type(spine[-1]) is ast.And:
                spine.append(spine[-1].left)
            spine.reverse()                # A, (A and B), ((A and B) and C)
            compiler._var_sources[var] = base
            parts = [compiler.condition(spine[0], inner_scope)]
            for before, node_i in zip(spine, spine[1:]):
                # over the rows the conjuncts before it left open: named by them
                compiler._var_sources[var] = base
                key = (base, "where", compiler.scope_key(before, inner_scope))
                parts.append(_pick(compiler, node_i.right, inner_scope, var, base, key)[0])
            compiler._var_sources[var] = base
            body_key = (base, "where", compiler.scope_key(cond, inner_scope))   # the rows the filter keeps
            where = _filter_of(parts)
        body, body_kind = _pick(compiler, inner, inner_scope, var, base, body_key)
    return source, skind, where, body, body_kind


class Pick:
    """An expression of a loop compiled for a narrowed domain (``narrow``) and, when other rules
    compute it over every row of the source (a value shared under that key), for every row too
    (``full``): taking the shared value beats computing it again over fewer rows.  Which one is
    read depends on the ruleset alone (``Shared.hot``), so every rule sharing a key reads it
    over the same rows."""

    __slots__ = ("narrow", "full", "key", "shared", "_id")

    def __init__(self, narrow, full=None, key=None, shared=None):
        self.narrow, self.full, self.key, self.shared = narrow, full, key, shared
        # (the key's number, given when *full* was compiled: a key holds expressions, whose hash
        # is worked out over their whole tree -- not to be done on every chunk)
        self._id = shared.ids.get(key) if full is not None else None

    def whole(self) -> bool:
        """Whether to read it over every row (the full version is shared with other rules)."""
        return self._id is not None and self._id in self.shared.hot


def _pick(compiler, node, scope, var, base, key) -> tuple:
    """(a :class:`Pick` of *node* over the rows named *key*, its kind), *var* bound to rows of *base*."""
    compiler._var_sources[var] = key
    narrow_fn, kind = compiler.compile(node, scope)
    if key == base or compiler.shared is None:
        return Pick(narrow_fn), kind
    compiler._var_sources[var] = base
    full_fn, _ = compiler.compile(node, scope)
    full_key = compiler.scope_key(node, scope)
    compiler._var_sources[var] = key
    return Pick(narrow_fn, full_fn, full_key, compiler.shared), kind


def open_rows(lst: Lst, dom: Domain, var: str) -> Domain:
    """The domain of a loop over *lst* (a list per element of *dom*): one element per item."""
    item = lst.items
    if isinstance(item, Num):
        item.owned = False
    # (the root's records are 0…n-1: each item's record is its owner, no gather)
    rec = lst.owner if dom.rec is None else dom.rec[lst.owner]
    return Domain(len(lst.owner), rec=rec, parent=dom, owner=lst.owner, var=var, item=item)


def narrow(run, dom: Domain, pos) -> Domain:
    """The elements *pos* of a loop's domain *dom*, as a domain of their own (same parent and
    variable; the lookups and variables *dom* has made, taken along)."""
    out = Domain(len(pos), rec=dom.rec[pos], parent=dom.parent, owner=dom.owner[pos], var=dom.var,
                 item=take(dom.item, pos))
    for key, value in dom.memo.items():
        out.memo[key] = take(value, pos)
    # Kept for the run: ``plan._lifted`` keys its values by a domain's id, which a domain
    # freed mid-run could hand on to another.
    run.cache.setdefault("narrowed", []).append(out)
    return out


class Rows:
    """What a loop's filter says of its rows: ``holds`` (rows it keeps; None: every row), ``miss``
    / ``err`` (rows where it stopped), and the domain the body is to be read over -- ``dom`` with
    ``at`` its positions among the rows (None: every row) -- and the body's closure (``read``)."""

    __slots__ = ("holds", "miss", "err", "dom", "at", "read")

    def __init__(self, holds, miss, err, dom, at):
        self.holds, self.miss, self.err, self.dom, self.at = holds, miss, err, dom, at
        self.read = None


def _worth(count: int, m: int) -> bool:
    return count < _NARROW_BELOW * m


def spread(c: Cond, at, m: int) -> Cond:
    """*c* over the rows *at* as a vector over all *m* rows: EXACT, not stopped, elsewhere (rows
    ``and`` does not read it at: a clean FAIL on its left decides whatever is here)."""
    out = np.zeros(m, dtype=np.int8)
    out[at] = c.out
    masks = []
    for mask in (c.miss, c.err):
        if mask is None:
            masks.append(None)
            continue
        full = np.zeros(m, dtype=bool)
        full[at] = mask
        masks.append(full)
    return Cond(out, *masks)


def _filter_of(parts: list):
    """The filter ``A and B and …``: each conjunct over the rows still open, combined by ``and``."""
    def where(run, sub):
        m = sub.n
        acc = parts[0](run, sub)
        dom, at = sub, None
        for part in parts[1:]:
            if part.whole():            # shared with other rules over every row
                value = part.full(run, sub)
                acc = logic.and_(lambda run, d, a=acc: a, lambda run, d, b=value: b)(run, sub)
                continue
            need = acc.out != FAIL
            stops = mask_or(acc.miss, acc.err)
            if stops is not None:
                need |= stops
            if at is not None:
                local = np.flatnonzero(need[at])
                dom, at = narrow(run, dom, local), at[local]
            else:
                pos = np.flatnonzero(need)
                if _worth(len(pos), m):
                    dom, at = narrow(run, sub, pos), pos
            value = part.narrow(run, dom)
            right = value if at is None else spread(value, at, m)
            acc = logic.and_(lambda run, d, a=acc: a, lambda run, d, b=right: b)(run, sub)
        stopped = mask_or(acc.miss, acc.err)
        holds = acc.out != FAIL
        if stopped is not None:
            holds &= ~stopped
        return Rows(holds, acc.miss, acc.err, dom, at)
    return where


def _kept(run, rows: Rows, sub: Domain, body: Pick) -> Rows:
    """*rows* with the body's domain: the rows the filter keeps (narrowed from the filter's
    last domain, whose lookups come along), or every row when nearly all are kept or the body
    is shared with other rules over every row."""
    if body.whole():
        rows.dom, rows.at, rows.read = sub, None, body.full
        return rows
    rows.read = body.narrow
    holds, at = rows.holds, rows.at
    if at is not None:
        local = np.flatnonzero(holds[at])
        rows.dom, rows.at = narrow(run, rows.dom, local), at[local]
        return rows
    pos = np.flatnonzero(holds)
    if _worth(len(pos), sub.n):
        rows.dom, rows.at = narrow(run, sub, pos), pos
    else:
        rows.dom = sub
    return rows


def filtered(where, body: Pick, run, sub: Domain, said: Rows | None = None) -> Rows:
    """The rows of *sub* a loop's filter keeps (every row without a filter), with the domain its
    body is read over and how (``rows.read(run, rows.dom)``); *said*: what the filter said of
    them, when read already (``where(run, sub)``)."""
    if where is None:
        rows = Rows(None, None, None, sub, None)
        rows.read = body.narrow
        return rows
    return _kept(run, said if said is not None else where(run, sub), sub, body)
