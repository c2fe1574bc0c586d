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
from .kernel import compiled, int64s
from .lists import as_list
from .loops import compile_loop, filtered, open_rows
from .plan import ERROR, FAILED, NOT_APPLICABLE, NOT_EVALUABLE, PASS, PASS_ROUNDING
from .rollups import rollup_of
from .flatprog import flat_program_of
from .rowprog import Fallback, program_of
from .vectors import FAIL, Cond, Domain, mask_or

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

    __slots__ = ("codes", "deferred", "_parts", "_item_tally")

    def __init__(self, codes, deferred=None, parts=None, item_tally=None):
        self.codes, self.deferred, self._parts = codes, deferred, parts
        self._item_tally = item_tally      # the rows' findings by status, when counted already

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
        items = self._item_tally if self._item_tally is not None else np.bincount(item_codes.view(np.uint8), minlength=6)
        return np.bincount(single_codes.view(np.uint8), minlength=6) + items


def _statuses(c: Cond, closing: bool, closed=None):
    """The kernel's statuses of *c* (see ``_status``, ``_precondition``) and how many elements it
    left open, or None where it does not run (no kernel, or outcomes that are not one int8 array
    of their own)."""
    k = compiled()
    out = c.out
    if k is None or not isinstance(out, np.ndarray) or out.dtype != np.int8 or not out.flags.c_contiguous:
        return None
    masks = [m if m is not None and m.dtype == np.bool_ and m.flags.c_contiguous and m.shape == out.shape else None
             for m in (c.miss, c.err)]
    if any(m is None and given is not None for m, given in zip(masks, (c.miss, c.err))):
        return None
    result = np.empty(len(out), dtype=np.int8)
    return result, k.statuses(out, masks[0], masks[1], closing, result, closed)


def _status(c: Cond, closed=None) -> np.ndarray:
    """The status of every element of an assertion's outcome *c*; with *closed* (a ``when``'s
    statuses, -1 where the assertion runs), the records it closed keep its status."""
    out = c.out
    if closed is None and c.miss is None and c.err is None and type(out) is np.ndarray \
            and out.dtype == np.int8 and out.flags.c_contiguous:
        # EXACT, ROUNDING, FAIL are PASS, PASS_ROUNDING, FAILED: the outcomes are the statuses
        # as they are (no pass copying them; nothing writes into a rule's statuses).
        return out
    fused = _statuses(c, False, closed)
    if fused is not None:
        return fused[0]
    status = c.out.astype(np.int8)  # EXACT 0 → PASS, ROUNDING 1 → PASS_ROUNDING, FAIL 2 → FAILED
    if c.miss is not None:
        status[c.miss] = NOT_EVALUABLE
    if c.err is not None:
        status[c.err] = ERROR
    if closed is not None:
        status = np.where(closed >= 0, closed, status).astype(np.int8)
    return status


def compile_rule_body(compiler, assertion, when):
    """A rule's closure ``f(run) -> RuleResult``: *when* its ``when`` compiled (None: none)."""
    from .. import ast
    if not isinstance(assertion, ast.ForEach):
        body = compiler.condition(assertion, ())
        # (the assertion as one program over the records, where it is made of what that covers)
        program = flat_program_of(compiler, assertion)

        def statuses(run):
            root = Domain(run.batch.n)
            closed, open_ = _precondition(when, run, root)
            if closed is not None and not open_:   # ``when`` decides every record:
                return RuleResult(closed, run.deferred)   # the assertion is not read
            if program is not None:
                try:
                    return RuleResult(program.statuses(run, root, closed), run.deferred)
                except Fallback:   # (the numpy path: what a leaf deferred stays deferred)
                    pass
            return RuleResult(_status(body(run, root), closed), run.deferred)
        return statuses
    source, skind, where, body, body_kind = compile_loop(compiler, assertion, (), assertion.where, assertion.body)
    if body_kind != "cond":
        raise Unsupported(f"a for each over a {body_kind}")
    var = assertion.var
    # (compiled as a loop all the same: a chunk the roll-up does not read runs as one, and the
    # values the loop would share with other rules are noted alike)
    rollup = rollup_of(compiler, assertion)
    # (the filter and body as one program over the rows, where they are made of what it covers)
    program = program_of(compiler, assertion, skind) if rollup is None else None

    def per_row(run):
        n = run.batch.n
        root = Domain(n)
        single, open_ = _precondition(when, run, root)
        if single is None:
            single = np.full(n, -1, dtype=np.int8)
        elif not open_:   # ``when`` decides every record: no row is read
            return RuleResult(single, run.deferred, (single.copy(), np.arange(n, dtype=np.int64),
                                                      np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int64)))
        lst = as_list(source(run, root), skind, n)
        stops = mask_or(lst.miss, lst.err)
        if stops is not None:        # the source itself stopped: no row is read
            open_ = single < 0
            if lst.miss is not None:
                single[lst.miss & open_] = NOT_EVALUABLE
            if lst.err is not None:
                single[lst.err & open_] = ERROR
        fused = rollup(run, lst) if rollup is not None else None
        found = _programmed(program, run, lst, root, var) if program is not None else None
        if fused is not None:     # a parent = sum of its children, per parent row (:mod:`.rollups`)
            rows, item = fused[0], _status(fused[1])
        elif found is None:
            sub = open_rows(lst, root, var)
            rows = filtered(where, body, run, sub)
            item = _status(rows.read(run, rows.dom))
        k = compiled()
        if k is not None:   # the records' codes and the findings' tally in one pass (as below)
            owners, item_codes = found if found is not None else _findings(lst, rows, item, None)
            owners = int64s(owners)
            item_codes = np.ascontiguousarray(item_codes, dtype=np.int8)
            codes, tally = np.empty(n, dtype=np.int8), np.zeros(6, dtype=np.int64)
            keep = np.empty(len(owners), dtype=bool)
            if k.row_findings(owners, item_codes, single, codes, tally, keep) < len(owners):
                owners, item_codes = owners[keep], item_codes[keep]   # rows of records closed first
            singles = np.flatnonzero(single >= 0)
            return RuleResult(codes, run.deferred, (single[singles], singles, item_codes, owners), tally)
        closed = single >= 0
        owners, item_codes = _findings(lst, rows, item, closed)
        if owners is lst.owner and lst._starts is not None:   # every row: the records with rows
            has_rows = lst._starts[1:] > lst._starts[:-1]
        else:
            has_rows = np.zeros(n, dtype=bool)
            has_rows[owners] = True
        single[~closed & ~has_rows] = NOT_APPLICABLE
        codes = single.copy()
        codes[has_rows] = PASS
        # The worst finding of each record: only the rows that do not pass can make it worse
        # than a pass (most rows pass), so only those are grouped.
        worse = np.flatnonzero(item_codes != PASS)
        tally = np.zeros(6, dtype=np.int64)   # (counted from the few rows that do not pass)
        tally[PASS] = len(item_codes) - len(worse)
        if len(worse):
            who = owners[worse]
            worse_codes = item_codes[worse]
            tally += np.bincount(worse_codes.view(np.uint8), minlength=6)
            ranks = _RANK[worse_codes]
            starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
            codes[who[starts]] = _CODE_OF_RANK[np.minimum.reduceat(ranks, starts)]
        singles = np.flatnonzero(single >= 0)
        return RuleResult(codes, run.deferred, (single[singles], singles, item_codes, owners), tally)
    return per_row


def _programmed(program, run, lst, root, var):
    """(the record of each row's finding, its status) of a per-row rule by its
    :class:`~.rowprog.RowProgram` -- every row of the source in one pass --, or None where the
    chunk runs on the numpy path (the program's :class:`~.rowprog.Fallback`)."""
    try:
        codes = program(run, open_rows(lst, root, var))
    except Fallback:
        return None
    at = np.flatnonzero(codes >= 0)
    if len(at) == len(codes):
        return lst.owner, codes
    return lst.owner[at], codes[at]


def _findings(lst, rows, item, closed) -> tuple:
    """(the record of each row's finding, its status) of a per-row rule, rows in order: the rows
    the filter keeps (their body's status: *item*, over ``rows.dom``) and those where it stopped,
    less the rows of records *closed* before any row was read (all of them: *closed* None)."""
    m = len(lst.owner)
    stopped = mask_or(rows.miss, rows.err)
    if stopped is None:
        at = rows.at
        if at is None and rows.holds is not None:   # the body read every row: the kept ones
            at = np.flatnonzero(rows.holds)
            item = item[at]
    else:
        full = np.empty(m, dtype=np.int8)
        if rows.at is None:
            full[:] = item
        else:
            full[rows.at] = item
        if rows.miss is not None:
            full[rows.miss] = NOT_EVALUABLE
        if rows.err is not None:
            full[rows.err] = ERROR
        at = np.flatnonzero(rows.holds | stopped)
        item = full[at]
    owners = lst.owner if at is None else lst.owner[at]
    if closed is not None and closed.any() and closed[owners].any():   # rows of records closed before any row is read
        keep = ~closed[owners]
        owners, item = owners[keep], item[keep]
    return owners, item


def _precondition(when, run, root) -> tuple:
    """(the status of records whose ``when`` does not let the assertion run -- -1 where it does
    --, how many it lets run), or (None, n) without a ``when``."""
    if when is None:
        return None, root.n
    w = when(run, root)
    fused = _statuses(w, True)
    if fused is not None:
        return fused
    closed = np.full(root.n, -1, dtype=np.int8)
    closed[w.out == FAIL] = NOT_APPLICABLE
    if w.miss is not None:
        closed[w.miss] = NOT_EVALUABLE
    if w.err is not None:
        closed[w.err] = ERROR
    return closed, int(np.count_nonzero(closed < 0))
