"""The values the columnar plan computes with: numbers as scaled integers with their rounding
intervals, texts as dictionary-coded vectors.

A figure column becomes a :class:`Num`: int64 arrays ``pt`` (the printed value) and ``half`` or
``lo``/``hi`` (the interval it stands for, money in 元) at one decimal exponent ``exp`` (the value
is ``pt × 10**exp``), and two masks: ``miss`` (the figure is absent: a null cell) and ``err``
(text where a number is needed, or a unit the declaration refuses -- an ``error`` per record).
Reading a chunk of a frame into them is :mod:`.reading`'s; the scaled-integer conversions it
uses are :mod:`.scaled`'s.  Integers that would not fit int64 with room to spare raise
:class:`Unsupported`: those rules run per record.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

__all__ = ["Unsupported", "Num", "LIMIT", "META", "Text", "whole_number", "gather"]

# Every integer an expression produces stays below this: sums of a few terms and rescaling by a
# power of ten can then never overflow int64 unnoticed (bounds are tracked, see Num.bound).
LIMIT = 2 ** 62
#: The metadata parts of a figure that can be columns of their own (``PATH.change`` …).
META = ("unit", "precision", "change", "pct")


def gather(a: np.ndarray, index):
    """``a[index]``: by ``ndarray.take`` for row numbers (a gather numpy makes faster than the
    general indexing, which copies element by element), by indexing for anything else."""
    if type(index) is np.ndarray and index.dtype.kind == "i":
        return a.take(index)
    return a[index]


class Unsupported(Exception):
    """This rule (or this data) cannot be evaluated on columns; the per-record engine runs it."""


class TooLarge(Unsupported):
    """Amounts (or a constant, or an implied prior) whose scaled integers would overflow 64 bits:
    unsupported as a whole, but a quotient's comparison may still decide its other rows
    (:func:`.largerows.without_large_rows`), which is why it is told apart by its class."""


class Num:
    """A numeric vector: printed value and interval as scaled int64 (Python ints for constants).

    Most intervals are symmetric, ``pt ± half`` (a printed figure, and sums and differences of
    them): then only ``half`` is kept -- a scalar when every row has the same precision -- and
    ``lo``/``hi`` are worked out when read, so a sum of figures costs one addition per row, not
    three.  Products, ``abs``, ``min``/``max`` keep explicit bounds (``half`` is None).
    ``dim`` is the dimension of every row, or ``"mixed"`` when rows differ (units per cell)."""

    __slots__ = ("pt", "half", "_lo", "_hi", "exp", "dim", "miss", "err", "bound", "owned")

    def __init__(self, pt, exp: int, dim: str, *, half=0, lo=None, hi=None, miss=None, err=None, bound: int = 0,
                 owned: bool = False):
        self.pt, self.exp, self.dim = pt, exp, dim
        # owned: pt is a temporary made for this vector alone (not a column the frame keeps), so
        # the one expression consuming it may write its result into it.
        self.owned = owned and isinstance(pt, np.ndarray)
        self.half = None if lo is not None else half
        self._lo, self._hi = lo, hi
        self.miss, self.err = miss, err      # boolean arrays or None (no row missing / in error)
        self.bound = bound                   # max |value| of pt, lo and hi, in units of 10**exp

    @property
    def lo(self):
        return self.pt - self.half if self.half is not None else self._lo

    @property
    def hi(self):
        return self.pt + self.half if self.half is not None else self._hi

    @property
    def exact(self) -> bool:
        return self.half is not None and not isinstance(self.half, np.ndarray) and self.half == 0

    def whole(self) -> Num:
        """The same vector with an integer half-width: a printed figure's half (0.005 at cents) is
        kept as a fraction of the last digit until bounds are needed, saving a rescale per column."""
        half = self.half
        if not isinstance(half, Decimal):
            return self
        exponent = half.normalize().as_tuple().exponent
        return self.at(self.exp + exponent) if exponent < 0 else self

    def at(self, exp: int) -> Num:
        """The same vector at a finer exponent (exact: multiplies by a power of ten)."""
        if exp == self.exp:
            return self
        if exp > self.exp:  # pragma: no cover - callers only ever refine
            raise ValueError("cannot coarsen")
        factor = 10 ** (self.exp - exp)
        bound = self.bound * factor
        if bound >= LIMIT or factor >= LIMIT:   # (a bound of 0 -- all zeros -- passes any factor; int64s take neither)
            raise TooLarge("amounts too large for 64-bit integers at this precision")
        if self.half is not None:
            return Num(self.pt * factor, exp, self.dim, half=whole_number(self.half * factor), miss=self.miss,
                       err=self.err, bound=bound, owned=True)
        return Num(self.pt * factor, exp, self.dim, lo=self._lo * factor, hi=self._hi * factor, miss=self.miss,
                   err=self.err, bound=bound, owned=True)

    def take(self, index) -> Num:
        """The rows at *index* (a gather: a record's figure for each of its table rows)."""
        def pick(a):
            return gather(a, index) if isinstance(a, np.ndarray) else a
        if self.half is not None:
            return Num(pick(self.pt), self.exp, self.dim, half=pick(self.half), miss=pick(self.miss),
                       err=pick(self.err), bound=self.bound, owned=isinstance(self.pt, np.ndarray))
        return Num(pick(self.pt), self.exp, self.dim, lo=pick(self._lo), hi=pick(self._hi), miss=pick(self.miss),
                   err=pick(self.err), bound=self.bound, owned=isinstance(self.pt, np.ndarray))


class Text:
    """A text vector: ``codes`` into ``texts`` (each distinct text once), and the masks."""

    __slots__ = ("codes", "texts", "miss", "err")

    def __init__(self, codes, texts: list, miss=None, err=None):
        self.codes, self.texts, self.miss, self.err = codes, texts, miss, err

    def take(self, index) -> Text:
        def pick(a):
            return gather(a, index) if isinstance(a, np.ndarray) else a
        return Text(pick(self.codes), self.texts, pick(self.miss), pick(self.err))

    def mapped(self, function, dtype) -> np.ndarray:
        """``function(text)`` for every row, worked out once per distinct text."""
        table = np.array([function(t) for t in self.texts] + [function("")], dtype=dtype)
        codes = self.codes if isinstance(self.codes, np.ndarray) else np.asarray(self.codes)
        return table[codes]


def whole_number(value):
    """A Decimal that is a whole number as an int (other values unchanged)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _exponent_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _any(mask):
    return mask if mask is not None and mask.any() else None
