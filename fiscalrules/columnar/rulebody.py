"""A rule over one chunk of records: its condition's outcome per record made into statuses.

:mod:`.plan` (expressions) and :mod:`.lists` (lists and loops) compile a rule's ``when`` and
assertion into closures over columns; this module turns their :class:`~.vectors.Cond` into what
the engine keeps -- the worst status code per record and, for a ``for each`` at the top of a
rule (one finding per row, as the per-record engine counts them), the status of every row's
finding and the record it is of.  A ``when`` that decides a record (not applicable, not
evaluable, error) closes it before the assertion is read; records a quotient left undecided
are passed on as ``deferred``.
"""

from __future__ import annotations

import numpy as np

from .columns import Unsupported
from .lists import _filter, _loop, _open, as_list
from .plan import ERROR, FAILED, NOT_APPLICABLE, NOT_EVALUABLE, PASS, PASS_ROUNDING
from .vectors import FAIL, Cond, Domain

__all__ = ["compile_rule_body", "RuleResult"]

# STATUS_RANK (error worst … pass best) of each status code, and back.
_RANK = np.array([5, 3, 1, 4, 2, 0], dtype=np.int8)
_CODE_OF_RANK = np.array([ERROR, FAILED, NOT_EVALUABLE, PASS_ROUNDING, NOT_APPLICABLE, PASS], dtype=np.int8)


class RuleResult:
    """A rule over a chunk: the worst status code per record, the status of every finding with
    the record it is of (one per row for a per-row rule), and records left to the per-record
    engine.  A per-row rule gives its findings as two parts -- the records closed before any row
    was read, and the rows' findings -- put together only when asked for (``finding_codes``,
    ``finding_records``); ``tally()`` counts them by status without that."""

    __slots__ = ("codes", "deferred", "_parts")

    def __init__(self, codes, deferred=None, parts=None):
        self.codes, self.deferred, self._parts = codes, deferred, parts

    @property
    def finding_codes(self):
        if self._parts is None:
            return None
        single_codes, _, item_codes, _ = self._parts
        return np.concatenate([single_codes, item_codes]).astype(np.int8)

    @property
    def finding_records(self):
        if self._parts is None:
            return None
        _, singles, _, owners = self._parts
        return np.concatenate([singles, owners])

    def tally(self):
        """Findings per status code (``STATUS_CODES`` order), or None for one finding per record."""
        if self._parts is None:
            return None
        single_codes, _, item_codes, _ = self._parts
        return np.bincount(single_codes.view(np.uint8), minlength=6) + \
            np.bincount(item_codes.view(np.uint8), minlength=6)


def _status(c: Cond) -> np.ndarray:
    status = c.out.astype(np.int8)  # EXACT 0 → PASS, ROUNDING 1 → PASS_ROUNDING, FAIL 2 → FAILED
    if c.miss is not None:
        status[c.miss] = NOT_EVALUABLE
    if c.err is not None:
        status[c.err] = ERROR
    return status


def compile_rule_body(compiler, assertion, when):
    from .. import ast
    if not isinstance(assertion, ast.ForEach):
        body = compiler.condition(assertion, ())

        def statuses(run):
            root = Domain(run.batch.n)
            closed = _precondition(when, run, root)
            if closed is not None and (closed >= 0).all():   # ``when`` decides every record:
                return RuleResult(closed, run.deferred)   # the assertion is not read
            result = _status(body(run, root))
            if closed is not None:
                result = np.where(closed >= 0, closed, result).astype(np.int8)
            return RuleResult(result, run.deferred)
        return statuses
    source, skind, where, body, body_kind = _loop(compiler, assertion, (), assertion.where, assertion.body)
    if body_kind != "cond":
        raise Unsupported(f"a for each over a {body_kind}")
    var = assertion.var

    def per_row(run):
        n = run.batch.n
        root = Domain(n)
        single = _precondition(when, run, root)
        if single is None:
            single = np.full(n, -1, dtype=np.int8)
        elif (single >= 0).all():   # ``when`` decides every record: no row is read
            return RuleResult(single, run.deferred, (single.copy(), np.arange(n, dtype=np.int64),
                                                      np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int64)))
        lst = as_list(source(run, root), skind, n)
        source_stop = np.full(n, -1, dtype=np.int8)
        if lst.miss is not None:
            source_stop[lst.miss] = NOT_EVALUABLE
        if lst.err is not None:
            source_stop[lst.err] = ERROR
        single = np.where(single >= 0, single, source_stop).astype(np.int8)
        sub = _open(lst, root, var)
        holds, w_miss, w_err = _filter(where, run, sub)
        item = _status(body(run, sub))
        if w_miss is not None:
            item[w_miss] = NOT_EVALUABLE
        if w_err is not None:
            item[w_err] = ERROR
        kept = holds
        if w_miss is not None:
            kept = kept | w_miss
        if w_err is not None:
            kept = kept | w_err
        closed = single >= 0
        if closed.any():     # rows of records closed before any row is read give no finding
            kept = kept & ~closed[lst.owner]
        kept_at = np.flatnonzero(kept)
        owners = lst.owner[kept_at]
        item_codes = item[kept_at]
        has_rows = np.zeros(n, dtype=bool)
        has_rows[owners] = True
        single = np.where(~closed & ~has_rows, NOT_APPLICABLE, single).astype(np.int8)
        codes = single.copy()
        codes[has_rows] = PASS
        # The worst finding of each record: only the rows that do not pass can make it worse
        # than a pass (most rows pass), so only those are grouped.
        worse = np.flatnonzero(item_codes != PASS)
        if len(worse):
            who = owners[worse]
            ranks = _RANK[item_codes[worse]]
            starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
            codes[who[starts]] = _CODE_OF_RANK[np.minimum.reduceat(ranks, starts)]
        singles = np.flatnonzero(single >= 0)
        return RuleResult(codes, run.deferred, (single[singles], singles, item_codes, owners))
    return per_row


def _precondition(when, run, root):
    """The status of records whose ``when`` does not let the assertion run (-1 where it does),
    or None without a ``when``."""
    if when is None:
        return None
    w = when(run, root)
    closed = np.full(root.n, -1, dtype=np.int8)
    closed[w.out == FAIL] = NOT_APPLICABLE
    if w.miss is not None:
        closed[w.miss] = NOT_EVALUABLE
    if w.err is not None:
        closed[w.err] = ERROR
    return closed
