"""The rows a comprehension's filter can keep, looked up rather than scanned, for the localiser's
symbolic evaluation (:class:`fiscalrules.localise.model._PrintedSym`): the symbolic twin of
:class:`fiscalrules.joins.Join` (see there).

A filter that *is* an equality of texts ``f(r) = g(…)``, or an ``or`` of such equalities, or an
``and`` chain that starts with one (:func:`fiscalrules.joins.shape_of` with nothing before it), is
false -- a :class:`~.forms.Known`, read nothing, changed nothing -- on every row whose ``f(r)`` is
not ``g``'s text.  Those rows are left out; the others are visited as the scan visits them.  An
index of a table's rows by ``f(r)`` is made once per record (texts are the record's structure: no
correction changes them) where every row's ``f(r)`` is a text read without a missing cell, an
error or anything noted on the way (``coalesce`` noting what it did without); a lookup whose
``g`` is not such a text scans.
"""

from __future__ import annotations

from ..joins import shape_of
from .forms import Txt

__all__ = ["JoinedRows"]

_UNUSABLE = object()


class JoinedRows:
    """Per record: the shapes of comprehensions (by node) and the indexes of tables by a key."""

    def __init__(self):
        self.shapes: dict = {}    # id(node) → (node, shape or None)
        self.indexes: dict = {}   # (path, var, f) → {text: positions} or _UNUSABLE

    def shape(self, node):
        found = self.shapes.get(id(node))
        if found is None or found[0] is not node:
            shape = shape_of(node)
            found = self.shapes[id(node)] = (node, shape if shape is not None and not shape.before else None)
        return found[1]

    def rows(self, sym, node, seen: dict):
        """The rows of the comprehension *node*'s source the filter may keep, in order (a list), or
        None to scan them.  *seen*: the comprehensions this evaluation (of one rule) met before --
        the first evaluation of each is a scan."""
        shape = self.shape(node)
        if shape is None:
            return None
        if id(node) not in seen:
            seen[id(node)] = node
            return None
        rows = sym.iterate(node.source)
        if not rows:   # (iterate gives a list or a RowView)
            return None
        found = []
        for f, g in shape.keys:
            index = self._index(sym, rows, shape, f)
            if index is _UNUSABLE:
                return None
            value = _quiet(sym, g)
            if value is None:
                return None
            found.extend(index.get(value.value.strip(), ()))
        if len(shape.keys) > 1:
            found = sorted(set(found))
        return [rows[i] for i in found]

    def _index(self, sym, rows, shape, f):
        key = (shape.path, shape.var, f)
        index = self.indexes.get(key)
        if index is not None:
            return index
        var = shape.var
        saved = sym.env.get(var)
        index = {}
        try:
            for i, row in enumerate(rows):
                sym.env[var] = row
                value = _quiet(sym, f)
                if value is None:
                    index = _UNUSABLE
                    break
                index.setdefault(value.value.strip(), []).append(i)
        finally:
            sym.env[var] = saved
        self.indexes[key] = index
        return index


def _quiet(sym, node):
    """*node*'s text, where reading it raised nothing and noted nothing; else None (what was
    noted is taken back: the scan notes it itself)."""
    marks = len(sym.figures), len(sym.factors), len(sym.soft), sym.value_dependent
    try:
        value = sym.ev(node)
    except Exception:   # noqa: BLE001 - missing, unsupported, a problem: the scan meets it
        value = None
    if (len(sym.figures), len(sym.factors), len(sym.soft), sym.value_dependent) != marks:
        # (dicts keep their keys in the order first set: the scan sets these in its own order)
        for noted, mark in ((sym.figures, marks[0]), (sym.factors, marks[1])):
            for key in list(noted)[mark:]:
                del noted[key]
        del sym.soft[marks[2]:]
        sym.value_dependent = marks[3]
        return None
    return value if type(value) is Txt else None
