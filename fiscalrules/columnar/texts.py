"""Texts in the columnar plan: comparisons of :class:`~.columns.Text` vectors (stripped, as the
per-record closures compare them) and the text functions (``length``, ``contains``,
``startswith``, ``similarity``), each worked out once per distinct text or distinct pair of texts
-- a vector holds codes into its distinct texts -- and gathered to the elements.
"""

from __future__ import annotations

import numpy as np

from .columns import Num, Text, Unsupported
from .vectors import EXACT, FAIL, Cond, seq

__all__ = ["text_function", "same_text", "text_in"]


def text_function(compiler, node, scope):
    """(closure, kind) of ``length(t)``, ``contains(h, n)``, ``startswith(t, p)``, ``similarity(a, b)``:
    worked out once per distinct text, or per distinct pair of texts."""
    name = node.func
    args = []
    for a in node.args:
        fn, kind = compiler.compile(a, scope)
        if kind != "text":
            raise Unsupported(f"{name}() of a {kind}")
        args.append(fn)
    if name == "length":
        text = args[0]

        def length(run, dom):
            t = text(run, dom)
            return Num(t.mapped(len, np.int64), 0, "number", miss=t.miss, err=t.err, bound=1 << 40)
        return length, "num"
    from ..functions import _similarity
    # Evaluation order of the per-record closures: contains(h, n) reads the needle first.
    first, second = (1, 0) if name == "contains" else (0, 1)
    test = {"contains": lambda h, s: s in h, "startswith": lambda t, p: t.startswith(p),
            "similarity": lambda a, b: int(_similarity(a, b) * 100)}[name]

    def text_pair(run, dom):
        values = [None, None]
        values[first] = args[first](run, dom)
        values[second] = args[second](run, dom)
        a, b = values
        miss, err = seq((values[first], values[second]))
        width = len(b.texts) + 1
        pairs = np.asarray(a.codes, dtype=np.int64) * width + np.asarray(b.codes, dtype=np.int64)
        distinct, back = _distinct(pairs, (len(a.texts) + 1) * width)
        table = [test(_text_at(a, int(p) // width), _text_at(b, int(p) % width)) for p in distinct.tolist()]
        if name == "similarity":
            return Num(np.asarray(table, dtype=np.int64)[back], -2, "number", miss=miss, err=err, bound=100)
        out = np.where(np.asarray(table, dtype=bool)[back], EXACT, FAIL).astype(np.int8)
        return Cond(out, miss, err)
    return text_pair, "num" if name == "similarity" else "cond"


#: Pairs of texts (codes of one side × the other) few enough to be told apart by a table of
#: them all (a mark and a slot each: ~5 bytes a pair) rather than by sorting the elements.
_DENSE_PAIRS = 1 << 20


def _distinct(values: np.ndarray, width: int) -> tuple:
    """``np.unique(values, return_inverse=True)`` for non-negative ints below *width*: marked
    in a table when *width* is small, in one pass instead of a sort of every element."""
    if width > _DENSE_PAIRS:
        return np.unique(values, return_inverse=True)
    seen = np.zeros(width, dtype=bool)
    seen[values] = True
    distinct = np.flatnonzero(seen)
    slot = np.empty(width, dtype=np.intp)     # (read only where marked)
    slot[distinct] = np.arange(len(distinct))
    return distinct, slot[values]


def _text_at(text: Text, code: int) -> str:
    return text.texts[code] if code < len(text.texts) else ""


def text_in(a: Text, wanted: set, n: int) -> np.ndarray:
    """Per element: the text, stripped, is one of *wanted* (stripped texts), as ``same_text``
    compares -- decided once per distinct text."""
    table = np.array([t.strip() in wanted for t in a.texts] + [False], dtype=bool)
    return np.broadcast_to(table[np.asarray(a.codes)], (n,))


def same_text(a: Text, b: Text, n: int) -> np.ndarray:
    """Per element: the two texts are equal once stripped (``str.strip``, as the closures compare)."""
    mine = [t.strip() for t in a.texts]
    index = {t: i for i, t in enumerate(dict.fromkeys(mine + [t.strip() for t in b.texts]))}
    left = np.array([index[t] for t in mine] + [-1], dtype=np.int64)[np.asarray(a.codes)]
    right = np.array([index[t.strip()] for t in b.texts] + [-2], dtype=np.int64)[np.asarray(b.codes)]
    return np.broadcast_to(left == right, (n,))
