"""The rows a comprehension's filter can keep, looked up rather than scanned, for the localiser's
symbolic evaluation (:class:`fiscalrules.localise.model._PrintedSym`): the symbolic twin of
:class:`fiscalrules.joins.Join` (see there); and what a row the filter leaves out leaves behind.

A row the filter leaves out is no evidence (as in the evaluator's trace: fiscalrules.joins): what
evaluating the filter on it noted -- the figures read, their factors, what a ``coalesce`` did
without -- is taken back (:func:`marks`, :func:`take_back`), so the model holds what the filter
read of the rows it kept.

A filter that is an equality of texts ``f(r) = g(…)``, or an ``or`` of such equalities, ``and``-ed
after conditions reading the row alone or no row (:func:`fiscalrules.joins.shape_of`: PROC-016's
``present(r.total) and coalesce(r.unit_code, r.unit) = coalesce(s.unit_code, s.unit)``), is false
-- a :class:`~.forms.Known`, leaving nothing behind -- on every row whose ``f(r)`` is not ``g``'s
text, or that a condition before it is false on.  Those rows are left out; the others are visited
as the scan visits them.  An index of a table's rows by ``f(r)`` is made once per record (texts
are the record's structure: no correction changes them, nor whether a figure is printed) where,
on every row, the row's conditions before the equality -- up to the first that is false -- are
decided on the record alone (a ``Known``, raising nothing, no comparison of figures decided on
their printed values: that leaves variables in the model) and every ``f(r)`` the scan reaches is a
text read without a missing cell, an error or anything noted on the way (``coalesce`` noting what
it did without).  A lookup whose conditions reading no row, or whose ``g``, are not such scans.
"""

from __future__ import annotations

from ..joins import shape_of
from ..values import text_key
from ..printer import to_source
from .forms import Known, Txt

__all__ = ["JoinedRows", "marks", "take_back"]

_UNUSABLE = object()


class JoinedRows:
    """Per record: the shapes of comprehensions (by node) and the indexes of tables by a key."""

    def __init__(self):
        self.shapes: dict = {}    # id(node) → (node, shape or None, the keys of its indexes)
        self.indexes: dict = {}   # (path, var, f, before) as text → {text: positions} or _UNUSABLE

    def shape(self, node):
        found = self.shapes.get(id(node))
        if found is None or found[0] is not node:
            shape = shape_of(node)
            # (by text: comprehensions reading alike share an index; a node would hash its tree)
            keys = None if shape is None else tuple(
                (shape.path, shape.var, to_source(f), tuple((to_source(p), r) for p, r in shape.before))
                for f, _ in shape.keys)
            found = self.shapes[id(node)] = (node, shape, keys)
        return found[1:]

    def rows(self, sym, node, seen: dict):
        """The rows of the comprehension *node*'s source the filter may keep, in order (a list),
        or None to scan the source (all its rows where they were read: a list or a RowView).
        *seen*: the comprehensions this evaluation (of one rule) met before -- the first
        evaluation of each is a scan."""
        shape, keys = self.shape(node)
        if shape is None:
            return None
        if id(node) not in seen:
            seen[id(node)] = node
            return None
        rows = sym.iterate(node.source)
        if not rows:   # (iterate gives a list or a RowView)
            return rows
        indexes = [self._index(sym, rows, shape, key, f) for key, (f, _) in zip(keys, shape.keys)]
        if any(index is _UNUSABLE for index in indexes):
            return rows   # (a row's condition before the equality, or its f, the scan must meet)
        for part, reads_row in shape.before:
            if reads_row:
                continue
            value = _decided(sym, part)
            if value is None:
                return rows
            if not value:
                return []   # false on every row (those before it raise nowhere): none is kept
        found = []
        for index, (_, g) in zip(indexes, shape.keys):
            value = _quiet(sym, g)
            if value is None:
                return rows
            found.extend(index.get(text_key(value.value), ()))
        if len(shape.keys) > 1:
            found = sorted(set(found))
        return [rows[i] for i in found]

    def _index(self, sym, rows, shape, key, f):
        index = self.indexes.get(key)
        if index is not None:
            return index
        var = shape.var
        before = [part for part, reads_row in shape.before if reads_row]
        saved = sym.env.get(var)
        index = {}
        try:
            for i, row in enumerate(rows):
                sym.env[var] = row
                fails = False
                for part in before:
                    value = _decided(sym, part)
                    if value is None:
                        index = _UNUSABLE
                        break
                    if not value:
                        fails = True
                        break
                if index is _UNUSABLE:
                    break
                if fails:
                    continue   # (the filter is false there, whatever the key)
                value = _quiet(sym, f)
                if value is None:
                    index = _UNUSABLE
                    break
                index.setdefault(text_key(value.value), []).append(i)
        finally:
            sym.env[var] = saved
        self.indexes[key] = index
        return index


def marks(sym) -> tuple:
    """Where what *sym* has noted stands now (see :func:`take_back`)."""
    return len(sym.figures), len(sym.factors), len(sym.soft), sym.value_dependent


def take_back(sym, mark: tuple) -> None:
    """Take back what *sym* noted since :func:`marks` gave *mark*."""
    if (len(sym.figures), len(sym.factors), len(sym.soft), sym.value_dependent) == mark:
        return
    # (dicts keep their keys in the order first set: a key noted before stays where it was)
    for noted, at in ((sym.figures, mark[0]), (sym.factors, mark[1])):
        for key in list(noted)[at:]:
            del noted[key]
    del sym.soft[mark[2]:]
    sym.value_dependent = mark[3]


class _Decides(Exception):
    """A comparison of figures met where nothing may be decided on their printed values."""


def _refuse(sym, atom):
    raise _Decides


def _decided(sym, part):
    """The truth of condition *part* where it is decided on the record alone -- raising nothing
    and deciding no comparison of figures -- else None; what evaluating it noted is taken back
    (the scan notes it itself, on a row it keeps)."""
    mark = marks(sym)
    decide = sym.decide
    sym.decide = _refuse
    try:
        value = sym.condition(part)
    except Exception:   # noqa: BLE001 - missing, unsupported, a problem, a comparison: scanned
        value = None
    finally:
        sym.decide = decide
        take_back(sym, mark)
    return value.value if isinstance(value, Known) else None


def _quiet(sym, node):
    """*node*'s text, where reading it raised nothing and noted nothing; else None (what was
    noted is taken back: the scan notes it itself)."""
    mark = marks(sym)
    try:
        value = sym.ev(node)
    except Exception:   # noqa: BLE001 - missing, unsupported, a problem: the scan meets it
        value = None
    if marks(sym) != mark:
        take_back(sym, mark)
        return None
    return value if type(value) is Txt else None
