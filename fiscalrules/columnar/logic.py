"""``and``, ``or`` and ``if … then`` over condition vectors (:class:`~.vectors.Cond`), forgiving a
missing or failing side exactly where the per-record closures of :mod:`fiscalrules.compiler` do:
each outcome, and each row's missing and error masks, as ``and_`` / ``or_`` / ``implies`` there.
With the C kernels (:mod:`.kernel`) each is one pass over the rows; the numpy code below gives
the same vectors where they do not run."""

from __future__ import annotations

import numpy as np

from .kernel import compiled
from .vectors import EXACT, FAIL, Cond

__all__ = ["and_", "or_", "implies"]

AND, OR, IMPLIES = 0, 1, 2    # (the kernel's operators)


def _fused(op: int, a: Cond, b: Cond, n: int):
    """*a* op *b* by the kernel, or None where it does not run (no kernel, or a vector that is
    not an int8 / bool array of its own: a broadcast constant)."""
    k = compiled()
    if k is None:
        return None
    for v in (a.out, b.out):
        if type(v) is not np.ndarray or v.dtype != np.int8 or v.shape != (n,) or not v.flags.c_contiguous:
            return None
    for v in (a.miss, a.err, b.miss, b.err):
        if v is not None and (type(v) is not np.ndarray or v.dtype != np.bool_ or v.shape != (n,)
                              or not v.flags.c_contiguous):
            return None
    out, miss, err = np.empty(n, dtype=np.int8), np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    flags = k.logic(op, a.out, a.miss, a.err, b.out, b.miss, b.err, out, miss, err)
    return Cond(out, miss if flags & 1 else None, err if flags & 2 else None)


def _masks(c: Cond, n: int) -> tuple:
    """(ok, missing, error) as arrays."""
    none = np.zeros(n, dtype=bool)
    miss = c.miss if c.miss is not None else none
    err = c.err if c.err is not None else none
    return ~(miss | err), miss, err


def _cond(out, miss, err) -> Cond:
    return Cond(np.asarray(out, dtype=np.int8), miss if miss.any() else None, err if err.any() else None)


def _everywhere(c: Cond, outcome: int) -> bool:
    """Whether *c* is *outcome* on every element and stopped on none: then ``and`` (FAIL), ``or``
    (EXACT) and ``if … then`` (FAIL) are decided without their other side, which is not read --
    as the per-record closures do not read it.  Most often a ``when`` whose figures a chunk
    lacks altogether (``present(pct(x)) and prior(x) != 0``: every record not applicable)."""
    out = c.out
    if c.miss is not None or c.err is not None or type(out) is not np.ndarray or not out.size:
        return False
    # (outcomes are EXACT 0 … FAIL 2: one reduction, and most vectors fail the first look)
    return out[0] == outcome and (out.min() if outcome == FAIL else out.max()) == outcome


def and_(left, right):
    """``a and b`` as the compiler's and_: a missing is forgiven only by b failing; a failing
    side decides without the other; otherwise the worse outcome."""
    def and_(run, dom):
        a = left(run, dom)
        if _everywhere(a, FAIL):
            return Cond(a.out, None, None)
        b = right(run, dom)
        if a.miss is None and a.err is None and b.miss is None and b.err is None:
            return Cond(np.maximum(a.out, b.out), None, None)   # (most rows of most rules)
        fused = _fused(AND, a, b, dom.n)
        if fused is not None:
            return fused
        a_ok, a_miss, a_err = _masks(a, dom.n)
        b_ok, b_miss, b_err = _masks(b, dom.n)
        a_on = a_ok & (a.out != FAIL)            # b is evaluated and its stop decides
        b_fails = b_ok & (b.out == FAIL)
        err = a_err | (a_miss & b_err) | (a_on & b_err)
        miss = (a_miss & ~b_fails & ~b_err) | (a_on & b_miss)
        return _cond(np.maximum(a.out, b.out), miss, err)
    return and_


def or_(left, right):
    """``a or b`` as the compiler's or_: a missing is forgiven by b holding; an exact side decides;
    otherwise the better outcome."""
    def or_(run, dom):
        a = left(run, dom)
        if _everywhere(a, EXACT):
            return Cond(a.out, None, None)
        b = right(run, dom)
        if a.miss is None and a.err is None and b.miss is None and b.err is None:
            return Cond(np.minimum(a.out, b.out), None, None)
        fused = _fused(OR, a, b, dom.n)
        if fused is not None:
            return fused
        a_ok, a_miss, a_err = _masks(a, dom.n)
        b_ok, b_miss, b_err = _masks(b, dom.n)
        a_on = a_ok & (a.out != EXACT)
        b_holds = b_ok & (b.out != FAIL)
        err = a_err | (a_miss & b_err) | (a_on & b_err)
        miss = (a_miss & ~b_holds & ~b_err) | (a_on & b_miss)
        return _cond(np.where(a_miss, b.out, np.minimum(a.out, b.out)), miss, err)
    return or_


def implies(cond, then):
    """``if c then t``: a false condition holds; a missing one is forgiven by t holding."""
    def implies(run, dom):
        c = cond(run, dom)
        if _everywhere(c, FAIL):
            return Cond(np.zeros(dom.n, dtype=np.int8), None, None)   # (EXACT: a false condition holds)
        t = then(run, dom)
        fused = _fused(IMPLIES, c, t, dom.n)
        if fused is not None:
            return fused
        c_ok, c_miss, c_err = _masks(c, dom.n)
        t_ok, t_miss, t_err = _masks(t, dom.n)
        c_false = c_ok & (c.out == FAIL)
        c_on = c_ok & ~c_false
        t_holds = t_ok & (t.out != FAIL)
        err = c_err | (c_miss & t_err) | (c_on & t_err)
        miss = (c_miss & ~t_holds & ~t_err) | (c_on & t_miss)
        return _cond(np.where(c_false, EXACT, t.out), miss, err)
    return implies
