"""Values, units and tolerance: exact decimal intervals and the one place comparisons are decided.

A printed figure such as "329.94 万元" does not stand for one number but for every number that
rounds to it: 329.935 … 329.945.  A :class:`Quantity` carries that interval together with the
printed ("point") value, so that arithmetic can tell an exact match from one that only holds
thanks to rounding.  Money is normalised to 元 on entry, so arithmetic never converts units; the
unit a figure is *shown* in is a presentation concern (:func:`to_unit`).

:func:`compare` is the single place where a comparison between two quantities is decided and the
tolerance (rounding allowance plus any explicit ``within``) is applied.
"""

from __future__ import annotations

import contextlib
import decimal
import functools
import re
from collections.abc import Callable
from decimal import Decimal

from .errors import shown
from .nodebase import Frozen, setfield

__all__ = [
    "CONTEXT",
    "library_context",
    "in_library_context",
    "Quantity",
    "Tolerance",
    "Comparison",
    "EXACT",
    "ROUNDING",
    "FAIL",
    "MONEY_UNITS",
    "COUNT_UNITS",
    "dimension_of",
    "contradicts_kind",
    "parse_decimal",
    "quantity",
    "exact",
    "implied_prior",
    "compare",
    "decide",
    "text_key",
    "to_unit",
    "format_decimal",
]

# Enough digits for 40-digit amounts times percentages without silent rounding.  Every public
# entry point that computes, reads or formats a Decimal runs inside this context (see
# library_context): results never depend on the caller's precision, rounding or traps, and the
# caller's own decimal context is never changed.
CONTEXT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, Emax=10_000, Emin=-10_000,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])

def library_context() -> contextlib.AbstractContextManager[decimal.Context]:
    """``with library_context():`` -- the library's decimal context for the block, the caller's
    restored afterwards.  Decimal contexts are per thread (and per asyncio task), so this is no
    global state.  Never hold it across a ``yield`` to the caller: a generator shares its
    caller's context, so the caller would run in ours until the generator resumed."""
    return decimal.localcontext(CONTEXT)


TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, ParamSpec, TypeVar
    _P = ParamSpec("_P")
    _R = TypeVar("_R")


def in_library_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a public function so that it runs in :func:`library_context`."""
    @functools.wraps(function)
    def run_in_library_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)
    return run_in_library_context

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
INF = Decimal("Infinity")

MONEY_UNITS: dict[str, Decimal] = {"元": ONE, "千元": Decimal(1000), "万元": Decimal(10_000),
                                   "亿元": Decimal(100_000_000)}
COUNT_UNITS = ("人", "辆", "次", "个", "台", "项", "家", "套", "件", "天", "户", "名", "所", "批")
PERCENT = "%"

# Outcomes of a comparison, ordered from best to worst.
EXACT = "exact"
ROUNDING = "rounding"
FAIL = "fail"


def dimension_of(unit: str | None) -> str:
    """The dimension a unit measures: ``money``, ``percent``, ``count:人`` … or ``number``."""
    if unit is None or unit == "":
        return "number"
    if unit in MONEY_UNITS:
        return "money"
    if unit == PERCENT:
        return "percent"
    return f"count:{unit}"


def contradicts_kind(kind: str, dim: str, meta: str = "value") -> bool:
    """Whether a figure of dimension *dim* contradicts its field's *kind* (its stated percentage,
    *meta* ``pct``, never does): money given another unit, a count given money or %, a percentage
    given money or a count -- each was computed with as if it were the declared kind (a count of
    3 in 万元 shown as "0.0003 万元", a share in 万元 compared as 250000 元)."""
    if meta == "pct":
        return False
    if kind == "amount":
        return dim != "money"
    if kind == "count":
        return dim in ("money", "percent")
    return kind == "percent" and dim != "percent"


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋\u2212\u3000", "0123456789.,-+- ")
# ASCII digits only: Python's \\d (and Decimal()) also take Arabic-Indic, Devanagari … digits.
_NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
# Thousands separators (a comma or a space) group exactly three digits, before the point only.
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:[, ][0-9]{3})+(\.[0-9]+)?")
_NUMERIC_LOOKING = re.compile(r"[+-]?[0-9., ]*[0-9][0-9., ]*")
MAX_DIGITS = 30
MAX_EXPONENT = 30
MAX_DECIMALS = MAX_DIGITS + MAX_EXPONENT   # places after the point: 1E-30 to thirty digits
# At most 15 digits before the point and 14 after: within every limit below.
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,14})?")


def parse_decimal(text: str) -> Decimal | None:
    """Read an amount as printed: thousands separators, full-width digits, − for minus.

    Returns None when *text* is not a number at all (text values, NaN, exponents …); raises
    ValueError for a number that cannot be read safely: too large or too precise to be a budget
    figure, digits other than 0-9 (Arabic-Indic ٣ would otherwise be read as 3), or separators
    that do not group thousands ("1.234,56" is not 1.23456, "12,34" is not 1234).
    """
    if _PLAIN_NUMBER.fullmatch(text):
        # The common case ("329.94"): short enough that no magnitude check can fail.
        return Decimal(text)
    cleaned = re.sub(r"^([+-]) +", r"\1", text.strip().translate(_FULLWIDTH))  # "- 3" is -3
    if not cleaned.isascii():
        # (most such texts are words without a digit: map(str.isdigit) passes them over in C)
        if any(map(str.isdigit, cleaned)) and any(ch.isdigit() for ch in cleaned if not ch.isascii()) and \
                _NUMERIC_LOOKING.fullmatch("".join("0" if ch.isdigit() else ch for ch in cleaned)):
            foreign = next(ch for ch in cleaned if ch.isdigit() and not ch.isascii())
            raise ValueError(f"{shown(text)} is written with digits other than 0-9 ({foreign!r}, "
                             f"U+{ord(foreign):04X}): write the amount with 0-9")
        return None
    if "," in cleaned or " " in cleaned:
        if not _NUMERIC_LOOKING.fullmatch(cleaned):
            return None
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError(f"{shown(text)} is not read as a number: a comma or space separates thousands "
                             "(1,234.56); a decimal comma (1.234,56) or other grouping is not read")
        cleaned = cleaned.replace(",", "").replace(" ", "")
    if not _NUMBER_TEXT.fullmatch(cleaned):
        return None
    value = Decimal(cleaned)
    check_magnitude(value)
    return value


def check_magnitude(value: Decimal) -> None:
    """Refuse absurd numbers: non-finite, more than 30 significant digits, exponent beyond ±30,
    more than 60 decimal places written.  Zeros written after the last significant digit are
    not significant: "1." and forty zeros is 1 as printed to forty places, not out of range
    (review 23: it was refused as "out of range", thirty-nine zeros read), and "0.000…" is zero."""
    if value.is_finite() and -15 < value.adjusted() < 15 and len(value.as_tuple().digits) <= MAX_DIGITS:
        return  # the common case, decided without normalising
    if not value.is_finite():
        raise ValueError(f"not a finite number: {shown(value)}")
    sign, digits, exponent = value.as_tuple()
    # (bytes() and rstrip in C: a coefficient of a million digits costs no Python loop)
    significant = len(bytes(digits).rstrip(b"\0"))
    if significant and abs(value.adjusted()) > MAX_EXPONENT:
        raise ValueError(f"number out of range for a budget figure: {shown(value)}")
    if significant > MAX_DIGITS:
        raise ValueError(f"number has more than {MAX_DIGITS} significant digits: {shown(value)}")
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise ValueError(f"number written with {-exponent} decimal places, more than the {MAX_DECIMALS} a budget "
                         f"figure may have: {shown(value)}")


def printed_precision(value: Decimal) -> Decimal:
    """The unit of the last printed digit: 329.94 → 0.01, 50 → 1, 50.0 → 0.1."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(exponent, 0)) if isinstance(exponent, int) else ONE


class Quantity:
    """A value with the interval it stands for.

    ``point`` is the value as printed (or computed from printed values); ``lo``/``hi`` bound every
    value it may stand for.  ``dim`` is the dimension (money in 元, percent, count:人, number).
    Immutable by contract.  A plain slotted class rather than a frozen attrs class: evaluation
    makes millions of these, and a frozen class pays for every attribute it sets.
    """

    __slots__ = ("point", "lo", "hi", "dim")

    def __init__(self, point: Decimal, lo: Decimal, hi: Decimal, dim: str = "number"):
        self.point, self.lo, self.hi, self.dim = point, lo, hi, dim

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity) or type(other) is not Quantity:
            return NotImplemented
        return (self.point, self.lo, self.hi, self.dim) == (other.point, other.lo, other.hi, other.dim)

    def __hash__(self) -> int:
        return hash((self.point, self.lo, self.hi, self.dim))

    def __repr__(self) -> str:
        return f"Quantity(point={self.point!r}, lo={self.lo!r}, hi={self.hi!r}, dim={self.dim!r})"

    @property
    def is_exact(self) -> bool:
        """True for a point (a constant, or a figure with no rounding interval)."""
        return self.lo == self.hi

    @property
    def radius(self) -> Decimal:
        """How far the interval reaches from the point value, on its wider side."""
        return max(self.point - self.lo, self.hi - self.point)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.point + other.point, self.lo + other.lo, self.hi + other.hi,
                        self.dim if self.dim != "number" else other.dim)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.point - other.point, self.lo - other.hi, self.hi - other.lo,
                        self.dim if self.dim != "number" else other.dim)

    def __neg__(self) -> Quantity:
        return Quantity(-self.point, -self.hi, -self.lo, self.dim)

    def __mul__(self, other: Quantity) -> Quantity:
        products = _products(self, other)
        dim = self.dim if other.dim in ("number", "percent") else other.dim
        return Quantity(self.point * other.point, min(products), max(products), dim)

    def __truediv__(self, other: Quantity) -> Quantity:
        """Divide; a zero divisor raises ZeroDivisionError (the evaluator makes it a finding)."""
        if other.point == 0:
            raise ZeroDivisionError("division by zero")
        point = self.point / other.point
        if other.lo <= 0 <= other.hi:
            # The divisor may be zero within its rounding: the quotient is unbounded.
            return Quantity(point, -INF, INF, _quotient_dim(self.dim, other.dim))
        bounds = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Quantity(point, min(bounds), max(bounds), _quotient_dim(self.dim, other.dim))

    def __abs__(self) -> Quantity:
        if self.lo >= 0:
            return self
        if self.hi <= 0:
            return -self
        return Quantity(abs(self.point), ZERO, max(-self.lo, self.hi), self.dim)


def _products(a: Quantity, b: Quantity) -> list[Decimal]:
    if a.lo == a.hi and b.lo == b.hi:
        return [a.lo * b.lo]
    return [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]


def _quotient_dim(top: str, bottom: str) -> str:
    if top == bottom:
        return "number"
    if bottom in ("number", "percent"):
        return top
    return "number"


# The grid an implied prior is held on: 10**-4 of the figure's unit as held (元 for money), so
# that both engines hold the same quotient exactly -- the per-record engine as a Decimal, the
# columnar engine as a scaled integer (columnar/lists.py) -- and a sum of such priors is exact.
# Far finer than any printed figure's rounding (half a cent of 万元 is 50 元).
IMPLIED_PRIOR_EXP = -4


def implied_prior(value: Quantity, pct: Quantity) -> Quantity | None:
    """Last year's figure that a stated percentage change implies: ``value ÷ (1 + pct / 100)``.

    Both are intervals (a value printed 1,150.00 and a percentage printed 4.55 stand for
    1,149.995 … 1,150.005 and 4.545 … 4.555), and so is the quotient, held on the grid of
    ``10 ** IMPLIED_PRIOR_EXP``: the point rounded half to even, the bounds rounded outward
    (lower bound down, upper bound up), so the interval still holds every value the printed
    figures allow.  A comparison of implied priors is then decided by :func:`decide` like any
    other, a difference due only to the printed precision of the percentages is never a failure,
    and the columnar engine's integers (the same quotients, columnar/lists.py) are these exactly.
    None where the percentage may be a fall of 100 % or more within its rounding: no prior
    follows from a figure that fell to nothing.
    """
    hundred = Decimal(100)
    f_point, f_lo, f_hi = ONE + pct.point / hundred, ONE + pct.lo / hundred, ONE + pct.hi / hundred
    if f_lo <= 0:
        return None
    e = IMPLIED_PRIOR_EXP
    point = _grid_quotient(value.point, f_point, e, "even")
    lo = min(_grid_quotient(value.lo, f_lo, e, "floor"), _grid_quotient(value.lo, f_hi, e, "floor"))
    hi = max(_grid_quotient(value.hi, f_lo, e, "ceiling"), _grid_quotient(value.hi, f_hi, e, "ceiling"))
    return Quantity(point, lo, hi, value.dim)


def _grid_quotient(top: Decimal, bottom: Decimal, exp: int, rounding: str) -> Decimal:
    """``top / bottom`` (bottom > 0) on the grid of ``10 ** exp``, rounded by *rounding* (floor,
    ceiling, or half to even) -- in integers, exactly (a Decimal division would round first)."""
    t_sign, t_digits, t_exp = top.as_tuple()
    b_sign, b_digits, b_exp = bottom.as_tuple()
    if not (isinstance(t_exp, int) and isinstance(b_exp, int)):   # ('n', 'N', 'F': never a figure's)
        raise ValueError(f"not a finite quotient: {top} / {bottom}")
    t = int("".join(map(str, t_digits)) or "0") * (-1 if t_sign else 1)
    b = int("".join(map(str, b_digits)) or "0") * (-1 if b_sign else 1)
    shift = t_exp - b_exp - exp            # top / bottom = t / b × 10**(t_exp − b_exp)
    num, den = (t * 10 ** shift, b) if shift >= 0 else (t, b * 10 ** -shift)
    q, r = divmod(num, den)                 # floor; 0 ≤ r < den
    if rounding == "ceiling":
        q += r != 0
    elif rounding == "even" and (2 * r > den or (2 * r == den and q % 2)):
        q += 1
    return Decimal(q).scaleb(exp)


def exact(value: Decimal, dim: str = "number") -> Quantity:
    """A quantity with no rounding: a constant written in a rule, or a computed count."""
    return Quantity(value, value, value, dim)


def quantity(value: Decimal, unit: str | None, precision: Decimal | None) -> Quantity:
    """The quantity a printed figure stands for: value ± half its precision, money in 元."""
    dim = dimension_of(unit)
    half = precision * HALF if precision else ZERO
    if dim == "money":
        factor = MONEY_UNITS[unit or "元"]
        value, half = value * factor, half * factor
    return Quantity(value, value - half, value + half, dim)


def to_unit(amount: Decimal, dim: str, unit: str | None) -> Decimal:
    """Express an internal amount (money in 元) in *unit* for display."""
    if dim == "money" and unit in MONEY_UNITS:
        return amount / MONEY_UNITS[unit]
    return amount


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """Plain positional notation (never 1E+4), trailing zeros kept only to *places* decimals."""
    if not value.is_finite():
        return "∞" if value > 0 else "-∞"
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
        return f"{value:f}"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Tolerance(Frozen):
    """An explicit per-rule allowance: absolute (``within 0.01 万元``) or relative (``within 0.5%``).

    The rounding allowance implied by the intervals is always granted; this adds to it.
    ``amount`` is for percentages, counts and plain numbers, ``money`` for money (in 元);
    ``relative``: the amount is a percentage of the larger side.
    """

    amount: Decimal
    money: Decimal
    relative: bool
    __slots__ = _fields = ("amount", "money", "relative")

    def __init__(self, amount: Decimal = ZERO, money: Decimal = ZERO, relative: bool = False) -> None:
        setfield(self, "amount", amount)
        setfield(self, "money", money)
        setfield(self, "relative", relative)

    def allowance(self, left: Quantity, right: Quantity) -> Decimal:
        """The explicit tolerance for comparing *left* with *right*: an amount, or a percentage
        of the larger side."""
        if self.relative:
            return self.amount / 100 * max(abs(left.point), abs(right.point))
        if left.dim == "money" or right.dim == "money":
            return self.money
        return self.amount


NO_TOLERANCE = Tolerance()


class Comparison:
    """The decision on one comparison, with everything a finding shows about it.

    ``texts`` is how the two sides were written (as source, and with labels), for the finding's
    message: the deciding comparison may sit deep inside an and / or / if-then.
    """

    __slots__ = ("op", "left", "right", "outcome", "difference", "allowed", "texts")

    def __init__(self, op: str, left: Quantity, right: Quantity, outcome: str, difference: Decimal,
                 allowed: Decimal, texts: tuple[Any, ...] = ()) -> None:
        self.op, self.left, self.right, self.outcome = op, left, right, outcome
        self.difference, self.allowed, self.texts = difference, allowed, texts

    def __eq__(self, other: object) -> bool:
        if type(other) is not Comparison:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking value object: not hashable

    def __repr__(self) -> str:
        return (f"Comparison({self.op!r}, {self.left!r}, {self.right!r}, {self.outcome!r}, "
                f"difference={self.difference!r}, allowed={self.allowed!r})")

    @property
    def holds(self) -> bool:
        """True unless the comparison failed (exact or within rounding)."""
        return self.outcome != FAIL


def _extra(tolerance: Tolerance, left: Quantity, right: Quantity) -> Decimal:
    return tolerance.allowance(left, right) if tolerance is not NO_TOLERANCE else ZERO


def _slack(diff: Decimal, left: Quantity, right: Quantity) -> Decimal:
    """How far the difference may move in its own direction before the intervals stop touching."""
    if diff >= 0:
        return (left.point - left.lo) + (right.hi - right.point)
    return (left.hi - left.point) + (right.point - right.lo)


def text_key(text: str) -> str:
    """What ``=`` compares of a text: the text stripped of surrounding spaces (``" a" = "a\u3000"``)
    -- the key the indexes of rows by a text are made and looked up by (fiscalrules.joins, the
    localiser's model, the columnar engine's pairs)."""
    return text.strip()


def decide(op: str, left: Quantity, right: Quantity, tolerance: Tolerance = NO_TOLERANCE) -> str:
    """Decide ``left op right``: EXACT, ROUNDING or FAIL.  The one place tolerance is applied.

    * exact: the printed (point) values satisfy the comparison;
    * rounding: they do not, but some values of the two intervals do, once widened by the
      explicit tolerance -- the figures are consistent up to rounding;
    * fail: no values within the intervals and the tolerance satisfy it.

    ``!=`` is decided on the printed values only: two figures printed the same are equal.
    """
    diff = left.point - right.point
    if op == "=":
        if diff == 0:
            return EXACT
        return ROUNDING if abs(diff) <= _slack(diff, left, right) + _extra(tolerance, left, right) else FAIL
    if op == "!=":
        return EXACT if diff != 0 else FAIL
    ok_range: Callable[[Decimal], bool]
    if op == "<":
        ok_point, ok_range = diff < 0, lambda extra: left.lo < right.hi + extra
    elif op == "<=":
        ok_point, ok_range = diff <= 0, lambda extra: left.lo <= right.hi + extra
    elif op == ">":
        ok_point, ok_range = diff > 0, lambda extra: left.hi > right.lo - extra
    elif op == ">=":
        ok_point, ok_range = diff >= 0, lambda extra: left.hi >= right.lo - extra
    else:  # pragma: no cover - the parser admits no other operator
        raise ValueError(op)
    if ok_point:
        return EXACT
    return ROUNDING if ok_range(_extra(tolerance, left, right)) else FAIL


def compare(op: str, left: Quantity, right: Quantity, tolerance: Tolerance = NO_TOLERANCE,
            texts: tuple[Any, ...] = ()) -> Comparison:
    """Decide ``left op right`` (see :func:`decide`) and say by how much: the difference of the
    printed values and the allowance (rounding slack plus explicit tolerance) it was judged by."""
    diff = left.point - right.point
    allowed = _slack(diff, left, right) + _extra(tolerance, left, right)
    return Comparison(op, left, right, decide(op, left, right, tolerance), diff, allowed, texts)
