"""A rule over the records (no ``for each`` at its top) whose assertion compares a quotient, as
one program run by the C kernel in one pass over the records.

``pct(x) = change(x) / prior(x) * 100`` costs the numpy plan ~10 whole-column passes
(:func:`.arith.decide_quotient`: the point's cross-products, each bound's, the ties), and PCT-013
writes twelve of them under ``if present(pct(x)) and prior(x) != 0 then …``.  Where the
assertion is made of the operators :mod:`.rowprog` covers (arithmetic, comparisons, quotients
compared, ``present``, ``abs``, ``and`` / ``or`` / ``if … then`` / ``not``), its statuses come
instead from ``_ckernel.rows_program`` with the records as its rows; the rule's ``when`` stays
the plan's (:func:`.rulebody._precondition`: a ``when`` closing every record of a chunk leaves
the assertion unread), the records it closes keeping its status.

Everything else is a *leaf*, computed by the plan's own closure over every record (shared with
other rules as the plan shares it): a figure, ``pct`` / ``change`` / ``prior`` of one, an
aggregate, a lookup, a comparison of texts (a condition as a whole), ``present(x)`` of a leaf
(whether it is there, as the plan reads it: not its value).  An assertion without a quotient
compared stays on the numpy path: over a chunk's records a numpy operation costs what a
program's instruction does (~1-2 ns a record) -- all 166 coverable rules of the budget ruleset
as programs measured 1.003× the instructions of the numpy path (callgrind, 2,000 records), the
13 with a quotient 0.74× its CPU.  So does a rule with a relative tolerance.  A chunk whose
bounds do not suit the program runs on the numpy path (:class:`~.rowprog.Fallback`), which
gives the same statuses.

Where the numpy path does not read a side in a chunk (an ``if`` whose condition fails on every
record: :mod:`.logic`), the program computes it still: the statuses are the same; a quotient met
exactly there defers its record to the per-record engine, which decides it as the numpy path
would.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import ast
from ..values import NO_TOLERANCE
from .columns import Unsupported
from .kernel import compiled
from .rowprog import Fallback, NotCovered, RowProgram

__all__ = ["flat_program_of", "FlatProgram", "Fallback"]

# The nodes a flat program computes itself; anything else is a leaf.
_OPERATORS = (ast.Binary, ast.Unary, ast.Compare, ast.And, ast.Or, ast.Implies, ast.Not)
_CALLS = ("present", "abs")


def flat_program_of(compiler, assertion):
    """The :class:`FlatProgram` of a rule's assertion over the records, or None where it is not
    covered (or the kernels do not run)."""
    if compiled() is None or isinstance(assertion, ast.ForEach):
        return None
    tolerance = compiler.tolerance
    if tolerance is not NO_TOLERANCE and tolerance.relative:
        return None
    try:
        with _notes_kept(compiler.shared):
            return FlatProgram(compiler, assertion)
    except (NotCovered, Unsupported):
        return None


@contextlib.contextmanager
def _notes_kept(shared):
    """Compiling the program's leaves does not note them as written again (:class:`.plan.Shared`:
    the numpy closures of the same rule noted them already): what the ruleset shares, and how
    its loops read their rows (``Pick.whole``), stay as they are without programs."""
    if shared is None:
        yield
        return
    # (a key's id is its place in the order noted: the keys noted here are those numbered from
    # *known* on -- found by their ids, not by hashing every key, an expression tree, again)
    known, users = len(shared.ids), {k: len(v) for k, v in shared.users.items()}
    try:
        yield
    finally:
        for key in [k for k, i in shared.ids.items() if i >= known]:
            del shared.ids[key]
        for i in [i for i in shared.users if i not in users]:
            del shared.users[i]
        for i, count in users.items():
            del shared.users[i][count:]


def _has_quotient(tree) -> bool:
    return tree[0] == "qcmp" or (tree[0] != "leaf" and any(_has_quotient(t) for t in tree[1:] if type(t) is tuple))


class FlatProgram(RowProgram):
    """A rule's ``when`` and assertion as trees of operators over leaves (closures over the
    records); called per chunk, it gives every record's status (:meth:`statuses`)."""

    def __init__(self, compiler, assertion):   # noqa: super().__init__ is the loop's
        self.var = None
        self.tolerance = compiler.tolerance
        self._compiler = compiler
        self._free: dict = {}
        self.leaves: list = []
        self._leaf_of: dict = {}
        self.where = None
        self.body = self._condition(assertion, ())
        if not _has_quotient(self.body):
            # (over a chunk's records numpy's whole-column operations cost what the program's
            # instructions do, ~1-2 ns a record each: a program pays where the numpy path's
            # quotient takes ten passes and the program's one -- measured, see the module doc)
            raise NotCovered("no quotient compared")
        del self._compiler, self._leaf_of

    def _is_leaf(self, node) -> bool:
        t = type(node)
        return not (t in _OPERATORS or (t is ast.Call and node.func in _CALLS and len(node.args) == 1))

    def _present_leaf(self, node) -> bool:
        return self._is_leaf(node)

    def _tree(self, node, scope) -> tuple:
        if self._is_leaf(node):
            return self._leaf(node, scope)
        leaves, known = len(self.leaves), dict(self._leaf_of)
        try:
            return super()._tree(node, scope)
        except NotCovered:
            # (texts compared, a quotient not compared ...: the plan's closure for the whole of it,
            # its leaves written so far dropped)
            del self.leaves[leaves:]
            self._leaf_of = known
            return self._leaf(node, scope)

    def statuses(self, run, root, closed=None) -> np.ndarray:
        """Every record's status code (int8), those *closed* by the rule's ``when`` (its status,
        -1 where the assertion runs) keeping its status; raises :class:`~.rowprog.Fallback` where
        the chunk is to run on the numpy path."""
        codes = self(run, root)
        if closed is None:
            return codes
        merged = np.empty(len(codes), dtype=np.int8)
        compiled().statuses(codes, None, None, False, merged, closed)
        return merged
