"""The connectives of compiled conditions: ``and``, ``or``, ``and``/``or`` chains, ``if … then``.

A condition's closure returns an outcome ``(EXACT | ROUNDING | FAIL, detail)`` (:mod:`.compiler`);
these combine two or more of them as the language's semantics say (docs/semantics.md: a missing
figure on one side is forgiven where the other side decides alone) and choose which comparison a
finding shows -- the deciding one, never an alternative that compared nothing (its message would
render empty sides).  Split from :mod:`.compiler` to keep each module to one concern.
"""

from __future__ import annotations

from .context import Missing
from .values import EXACT, FAIL, ROUNDING

_TRUE = (EXACT, None)
_RANK = {EXACT: 0, ROUNDING: 1, FAIL: 2}


def _worse(a, b):
    return a if _RANK[a[0]] >= _RANK[b[0]] else b


def _both(a, b):
    """``a and b`` once neither decided alone: the worse; of two passes the first that compared
    something -- an ``if`` that did not apply (_TRUE) has no sides to show."""
    if b[0] != EXACT:
        return _worse(a, b)
    return a if a[1] is not None else b


def _compile_and(left, right):
    def and_(ctx, left=left, right=right):
        try:
            a = left(ctx)
        except Missing:
            b = right(ctx)
            if b[0] == FAIL:
                return b
            raise
        if a[0] == FAIL:
            return a
        return _both(a, right(ctx))
    return and_


def _compile_or(left, right):
    def or_(ctx, left=left, right=right):
        try:
            a = left(ctx)
        except Missing:
            b = right(ctx)
            if b[0] != FAIL:
                return b
            raise
        if a[0] == EXACT:
            return a
        return _either(a, right(ctx))
    return or_


def _either(a, b):
    """``a or b`` once *a* did not pass exactly: the better of the two not failing; where both
    fail, the last that compared something -- an alternative failing on a condition that compares
    nothing (``not present(x) and …``) has no sides, and the message's {left} / {right} / {diff}
    would render empty."""
    if b[0] == FAIL:
        if a[0] != FAIL:
            return a
        return b if b[1] is not None or a[1] is None else a
    return b if _RANK[b[0]] <= _RANK[a[0]] else a


def _compile_all(first, rest: tuple):
    """``first and rest[0] and …``: what _compile_and's closures nested to the left give, in one
    loop (see _compile_fold)."""
    return _compile_fold(first, rest, lambda a: a[0] == FAIL, _both, lambda b: b[0] == FAIL)


def _compile_any(first, rest: tuple):
    """``first or rest[0] or …``: _compile_or's closures nested to the left, in one loop."""
    return _compile_fold(first, rest, lambda a: a[0] == EXACT, _either, lambda b: b[0] != FAIL)


def _compile_fold(first, rest: tuple, decided, combine, recovers):
    """A chain of and/or links in one loop: each link's result *combine*d with the next condition
    unless *decided* already; a Missing met on the way is held (as the next link's ``try`` caught
    it) and raised at the end unless a later condition *recovers* from it (its result then)."""
    def fold(ctx, first=first, rest=rest, decided=decided, combine=combine, recovers=recovers):
        missing = None
        try:
            a = first(ctx)
        except Missing as exc:
            missing, a = exc, None
        for right in rest:
            if missing is None and decided(a):
                continue
            try:
                b = right(ctx)
            except Missing as exc:
                missing = exc
                continue
            if missing is None:
                a = combine(a, b)
            elif recovers(b):
                missing, a = None, b
        if missing is not None:
            raise missing
        return a
    return fold


def _compile_implies(cond, then):
    def implies(ctx, cond=cond, then=then):
        try:
            c = cond(ctx)
        except Missing:
            t = then(ctx)
            if t[0] != FAIL:
                return t
            raise
        if c[0] == FAIL:
            return _TRUE
        return then(ctx)
    return implies
