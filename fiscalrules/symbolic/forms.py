"""The vocabulary of the symbolic evaluation: exact linear forms over figure variables
(:class:`Lin`), non-linear expressions (:class:`NL`), symbolic conditions (:class:`Known`,
:class:`Atom`, :class:`AllOf`, :class:`AnyOf`, :class:`Negation`), texts (:class:`Txt`) and the
signals the symbolic evaluation raises (a missing figure, a construct it does not model, a
problem the evaluator would report).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import Decimal, localcontext
from fractions import Fraction

from ..values import CONTEXT


_ZERO = Fraction(0)
_ONE = Fraction(1)


def _frac(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


class Lin:
    """An exact linear form ``Σ coef·x + const`` over figure variables, in base units (money in 元).

    A variable is ``(path, meta)`` with meta ``value``, ``change`` or ``pct``; its value is the
    figure as printed (in its own unit), its coefficient includes the unit's factor.  ``rad``
    keeps Σ|coef| per variable over every occurrence (no cancellation): the rounding allowance the
    evaluator's interval arithmetic grants is Σ rad·half-precision.
    """

    __slots__ = ("coef", "const", "rad", "dim")

    def __init__(self, coef=None, const=_ZERO, rad=None, dim="number"):
        self.coef = coef or {}
        self.const = const if type(const) is Fraction else _frac(const)
        self.rad = rad if rad is not None else {k: abs(c) for k, c in self.coef.items()}
        self.dim = dim

    @classmethod
    def constant(cls, value, dim="number") -> "Lin":
        return cls(None, _frac(value), {}, dim)

    @classmethod
    def whole(cls, n: int) -> "Lin":
        """``Lin.constant(n)`` of a small count or level (``count()``, ``level()``): made once each,
        as a Lin is never changed once made."""
        made = _WHOLE_CONSTANTS.get(n)
        if made is None:
            made = cls(None, Fraction(n), {}, "number")
            if 0 <= n < 4096:
                _WHOLE_CONSTANTS[n] = made
        return made

    def vars(self) -> list:
        return [k for k, c in self.coef.items() if c]

    @property
    def is_const(self) -> bool:
        for c in self.coef.values():
            if c:
                return False
        return True

    def __add__(self, other: "Lin") -> "Lin":
        return Lin.sum_of((self, other))

    @staticmethod
    def sum_of(forms) -> "Lin":
        """``forms[0] + forms[1] + …``: the same form (terms in the same order, the same values
        and types), made in one pass rather than copying the growing sum once per term (a sum
        over a column of n rows copied n²/2 terms)."""
        first = forms[0]
        if len(forms) == 1:
            return first
        # A Fraction term of one side only is taken as it is (0 + c is c, the same value and
        # type), and so is a zero constant: sums of distinct figures, the most common, then add
        # no Fractions.
        coef, rad = dict(first.coef), dict(first.rad)
        const, dim = first.const, first.dim
        for other in forms[1:]:
            for k, c in other.coef.items():
                previous = coef.get(k)
                coef[k] = previous + c if previous is not None else c if type(c) is Fraction else _ZERO + c
            for k, r in other.rad.items():
                previous = rad.get(k)
                rad[k] = previous + r if previous is not None else r if type(r) is Fraction else _ZERO + r
            b = other.const
            const = const if not b else b if not const else const + b
            dim = _add_dim(dim, other.dim)
        return Lin(coef, const, rad, dim)

    def __neg__(self) -> "Lin":
        return Lin({k: -c for k, c in self.coef.items()}, -self.const, dict(self.rad), self.dim)

    def __sub__(self, other: "Lin") -> "Lin":
        # self + (-other), term for term the same values and types, without making the negated
        # form: the localiser subtracts the sides of every comparison it models.
        coef, rad = dict(self.coef), dict(self.rad)
        for k, c in other.coef.items():
            previous = coef.get(k)
            coef[k] = previous - c if previous is not None else -c if type(c) is Fraction else _ZERO - c
        for k, r in other.rad.items():
            previous = rad.get(k)
            rad[k] = previous + r if previous is not None else r if type(r) is Fraction else _ZERO + r
        a, b = self.const, -other.const
        const = a if not b else b if not a else a + b
        return Lin(coef, const, rad, _add_dim(self.dim, other.dim))

    def scaled(self, k: Fraction, dim=None) -> "Lin":
        return Lin({v: c * k for v, c in self.coef.items()}, self.const * k,
                   {v: r * abs(k) for v, r in self.rad.items()}, dim or self.dim)

    def value(self, values: Mapping) -> Fraction:
        total = self.const
        for k, c in self.coef.items():
            if c:
                total += c * values[k]
        return total

    def __repr__(self):
        terms = " + ".join(f"{c}·{k[0]}{'' if k[1] == 'value' else '/' + k[1]}" for k, c in self.coef.items() if c)
        return f"Lin({terms or '0'} + {self.const})"


_WHOLE_CONSTANTS: dict = {}


def _add_dim(a: str, b: str) -> str:
    return a if a != "number" else b


def _mul_dim(a: str, b: str) -> str:
    return a if b in ("number", "percent") else b


def _div_dim(a: str, b: str) -> str:
    if a == b:
        return "number"
    return a if b in ("number", "percent") else "number"


def _to_decimal(x: Fraction) -> Decimal:
    with localcontext(CONTEXT):
        return Decimal(x.numerator) / Decimal(x.denominator)


class _Undefined(Exception):
    """A non-linear expression has no value (division by zero)."""


class NL:
    """A non-linear numeric expression: a function of the variables' values.  ``divisors`` are
    the linear forms it divides by (where known): it is undefined where one of them is zero."""

    __slots__ = ("fn", "deps", "dim", "divisors")

    def __init__(self, fn, deps, dim="number", divisors=()):
        self.fn, self.deps, self.dim, self.divisors = fn, frozenset(deps), dim, tuple(divisors)

    def value(self, values: Mapping) -> Fraction:
        return self.fn(values)


def _fn(x):
    if isinstance(x, Lin):
        return x.value
    return x.fn


def _deps(x) -> frozenset:
    return frozenset(x.vars()) if isinstance(x, Lin) else x.deps


def _nl(op, a, b, dim) -> NL:
    fa, fb = _fn(a), _fn(b)
    divisors = getattr(a, "divisors", ()) + getattr(b, "divisors", ())
    if op is _checked_div and isinstance(b, Lin):
        divisors += (b,)
    return NL(lambda v: op(fa(v), fb(v)), _deps(a) | _deps(b), dim, divisors)


def _checked_div(x: Fraction, y: Fraction) -> Fraction:
    if y == 0:
        raise _Undefined("division by zero")
    return x / y


class Known:
    """A condition decided by the record's structure or texts; ``flips`` are the shape changes
    that would make it the other way (add a figure, set a text or a flag)."""

    __slots__ = ("value", "flips")

    def __init__(self, value: bool, flips=()):
        self.value, self.flips = bool(value), tuple(flips)


# each comparison by its operator (one comparison of two Fractions made, not all six)
_COMPARISONS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
                ">=": operator.ge}

TRUE = Known(True)
FALSE = Known(False)
_NEGATE = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class Atom:
    """A comparison between two numeric expressions that the record's values must satisfy."""

    __slots__ = ("op", "left", "right", "tolerance", "robust", "rule", "item", "memo")

    def __init__(self, op, left, right, tolerance, robust, rule, item):
        self.op, self.left, self.right = op, left, right
        self.tolerance, self.robust, self.rule, self.item = tolerance, robust, rule, item
        # What the record generator works out from the atom (its two sides' difference, the
        # figures it reads), kept with it: the generator solves the same atoms again and again,
        # for each choice of branches and each round of a growing shape.  Left and right are
        # never changed once the atom is made, so neither is anything worked out from them.
        self.memo = None

    @property
    def key(self) -> tuple:
        return (self.rule, self.item, self.op, frozenset(_deps(self.left) | _deps(self.right)))

    def negated(self) -> "Atom":
        return Atom(_NEGATE[self.op], self.left, self.right, self.tolerance, self.robust, self.rule, self.item)

    def holds(self, values) -> bool:
        return _COMPARISONS[self.op](self.left.value(values), self.right.value(values))


class AllOf:
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = tuple(items)


class AnyOf:
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = tuple(items)


class Negation:
    __slots__ = ("item",)

    def __init__(self, item):
        self.item = item


_COND = (Known, Atom, AllOf, AnyOf, Negation)


def _all_of(*items):
    kept = []
    for item in items:
        if isinstance(item, Known):
            if not item.value:
                return item
            continue
        kept.append(item)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else AllOf(kept)


def _any_of(*items):
    kept, flips, fixable = [], [], []
    for item in items:
        if isinstance(item, Known):
            if item.value:
                return item
            flips.extend(item.flips)
            if item.flips:
                fixable.append(item)  # false now, but the shape can be changed to make it hold
            continue
        kept.append(item)
    if not kept:
        return Known(False, flips)
    kept.extend(fixable)
    return kept[0] if len(kept) == 1 else AnyOf(kept)


def _negation(item):
    if isinstance(item, Known):
        return Known(not item.value, item.flips)
    if isinstance(item, Negation):
        return item.item
    return Negation(item)


def _implies(cond, then):
    if isinstance(cond, Known):
        return then if cond.value else TRUE
    return _any_of(_negation(cond), _all_of(cond, then))


class Txt:
    """A text value, with the variable it was read from (to fix it when a rule needs another)."""

    __slots__ = ("value", "var")

    def __init__(self, value: str, var=None):
        self.value, self.var = value, var


class _Missing(Exception):
    def __init__(self, entries):
        super().__init__(entries)
        self.entries = list(entries)


class _Unsupported(Exception):
    """A construct the symbolic evaluation does not model (the rule is checked afterwards)."""


class _Problem(Exception):
    """The evaluator would report an error (status ``error``) on this shape."""


class _DivisionByZero(_Problem):
    """The error is a division by a figure the shape fixes at zero (the generator adds an absent
    divisor with a default rather than discarding the shape: testing.generate)."""
