"""The columnar plan: a rule's resolved AST compiled into closures over whole columns.

Each closure takes a :class:`~fiscalrules.columnar.columns.Batch` and returns a vector for every
row at once: a :class:`~fiscalrules.columnar.columns.Num` for numbers (scaled int64 point and
interval) or a :class:`Cond` for conditions (an outcome per row: exact, within rounding, fail).
Both carry two masks -- the rows where evaluation stopped on a missing figure and those where it
stopped on an error -- combined in the per-record evaluator's order of evaluation, so that the
status of every row is the one :mod:`fiscalrules.evaluator` gives: the first operand that raises
decides, ``and``/``or``/``if … then`` forgive a missing side exactly where the closures of
:mod:`fiscalrules.compiler` do, and comparisons are decided as :func:`fiscalrules.values.decide`
decides them, on integers.

What is not compiled raises :class:`~fiscalrules.columnar.columns.Unsupported` with a reason, and
that rule runs on the per-record engine (``Ruleset.explain_table`` lists which and why): tables
and per-row ``for each``, text and flags, division, ``round``, membership, ``coalesce``,
relative tolerances.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np

from .. import ast
from ..values import MONEY_UNITS, NO_TOLERANCE, dimension_of
from .columns import LIMIT, Num, Unsupported, whole_number

__all__ = ["Cond", "compile_rule", "EXACT", "ROUNDING", "FAIL"]

EXACT, ROUNDING, FAIL = 0, 1, 2
NUMERIC_KINDS = ("amount", "count", "number", "percent")


class Cond:
    """Outcomes per row (int8: EXACT, ROUNDING, FAIL), with the missing and error masks."""

    __slots__ = ("out", "miss", "err")

    def __init__(self, out, miss=None, err=None):
        self.out, self.miss, self.err = out, miss, err


def _or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def _seq(vectors) -> tuple:
    """Missing and error masks of operands evaluated in order: the first to stop a row decides."""
    miss = err = None
    for v in vectors:
        if v.miss is None and v.err is None:
            continue
        if miss is None and err is None:
            miss, err = v.miss, v.err
            continue
        decided = _or(miss, err)
        if v.miss is not None:
            miss = _or(miss, v.miss & ~decided)
        if v.err is not None:
            err = _or(err, v.err & ~decided)
    return miss, err


# ---- numbers ---------------------------------------------------------------------------------------

def _constant(value: Decimal, dim: str) -> Num:
    exponent = value.as_tuple().exponent
    exp = min(exponent, 0) if isinstance(exponent, int) else 0
    units = int(value.scaleb(-exp))
    if abs(units) >= LIMIT:
        raise Unsupported("a constant too large for 64-bit integers")
    return Num(units, exp, dim, bound=abs(units))


def _aligned(a: Num, b: Num) -> tuple:
    exp = min(a.exp, b.exp)
    return a.at(exp), b.at(exp)


def _checked(bound: int) -> int:
    if bound >= LIMIT:
        raise Unsupported("amounts too large for 64-bit integers")
    return bound


def _combine(ufunc, a: Num, b: Num):
    """``ufunc(a.pt, b.pt)``, written into a temporary operand when there is one (no allocation)."""
    if a.owned and (not isinstance(b.pt, np.ndarray) or a.pt.shape == b.pt.shape):
        return ufunc(a.pt, b.pt, out=a.pt)
    if b.owned and (not isinstance(a.pt, np.ndarray) or a.pt.shape == b.pt.shape):
        return ufunc(a.pt, b.pt, out=b.pt)
    return ufunc(a.pt, b.pt)


def _add(a: Num, b: Num, sign: int = 1) -> Num:
    """a + b (sign 1) or a - b (sign -1): intervals add, a difference's bounds cross over."""
    a, b = _aligned(a, b)
    miss, err = _seq((a, b))
    dim = a.dim if a.dim != "number" else b.dim
    bound = _checked(a.bound + b.bound)
    if a.half is not None and b.half is not None:  # symmetric stays symmetric: the halves add
        pt = _combine(np.add if sign > 0 else np.subtract, a, b)
        return Num(pt, a.exp, dim, half=whole_number(a.half + b.half), miss=miss, err=err, bound=bound, owned=True)
    pt = a.pt + b.pt if sign > 0 else a.pt - b.pt
    a, b = _aligned(a.whole(), b.whole())
    pt = a.pt + b.pt if sign > 0 else a.pt - b.pt
    if sign > 0:
        return Num(pt, a.exp, dim, lo=a.lo + b.lo, hi=a.hi + b.hi, miss=miss, err=err, bound=bound)
    return Num(pt, a.exp, dim, lo=a.lo - b.hi, hi=a.hi - b.lo, miss=miss, err=err, bound=bound)


def _neg(a: Num) -> Num:
    if a.half is not None:
        return Num(-a.pt, a.exp, a.dim, half=a.half, miss=a.miss, err=a.err, bound=a.bound)
    return Num(-a.pt, a.exp, a.dim, lo=-a.hi, hi=-a.lo, miss=a.miss, err=a.err, bound=a.bound)


def _mul(a: Num, b: Num) -> Num:
    a, b = a.whole(), b.whole()
    miss, err = _seq((a, b))
    bound = _checked(max(a.bound, 1) * max(b.bound, 1))
    dim = a.dim if b.dim in ("number", "percent") else b.dim
    exp = a.exp + b.exp
    pt = a.pt * b.pt
    if a.exact and b.exact:
        return Num(pt, exp, dim, miss=miss, err=err, bound=bound)
    products = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    lo, hi = products[0], products[0]
    for p in products[1:]:
        lo, hi = np.minimum(lo, p), np.maximum(hi, p)
    return Num(pt, exp, dim, lo=lo, hi=hi, miss=miss, err=err, bound=bound)


def _abs(a: Num) -> Num:
    a = a.whole()
    pt = np.abs(a.pt)
    if a.exact:
        return Num(pt, a.exp, a.dim, miss=a.miss, err=a.err, bound=a.bound)
    lo, hi = a.lo, a.hi
    nonneg, nonpos = lo >= 0, hi <= 0
    new_lo = np.where(nonneg, lo, np.where(nonpos, -hi, 0))
    new_hi = np.where(nonneg, hi, np.where(nonpos, -lo, np.maximum(-lo, hi)))
    return Num(pt, a.exp, a.dim, lo=new_lo, hi=new_hi, miss=a.miss, err=a.err, bound=a.bound)


def _fold_sum(terms: list) -> Num:
    total = terms[0]
    for term in terms[1:]:
        total = _add(total, term)
    return total


def _wildcard_terms(batch, prefix: str) -> list:
    settings = batch.settings
    return [batch.num(path, settings.decl_for(path)) for path in batch.paths_under(prefix)]


def _present_sum(terms: list, n: int) -> Num:
    """The sum over the figures a wildcard finds in each row; no figure at all is a missing one."""
    if not terms:
        return Num(np.zeros(n, dtype=np.int64), 0, "number", miss=np.ones(n, dtype=bool))
    terms = [t.whole() for t in terms]
    exp = min(t.exp for t in terms)
    terms = [t.at(exp) for t in terms]
    present = np.zeros(n, dtype=bool)
    err = None
    pt = np.zeros(n, dtype=np.int64)
    half = np.zeros(n, dtype=np.int64)
    bound = 0
    dim = "number"
    symmetric = all(t.half is not None for t in terms)
    lo = hi = None if symmetric else (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
    for t in terms:
        here = ~t.miss if t.miss is not None else np.ones(n, dtype=bool)
        present |= here
        err = _or(err, t.err)
        pt += np.where(here, t.pt, 0)
        if symmetric:
            half += np.where(here, t.half, 0)
        else:
            lo[0] += np.where(here, t.lo, 0)
            lo[1] += np.where(here, t.hi, 0)
        bound = _checked(bound + t.bound)
        dim = dim if dim != "number" else t.dim
    miss = ~present
    if err is not None:
        err = err & present
    miss = miss if miss.any() else None
    err = err if err is not None and err.any() else None
    if symmetric:
        return Num(pt, exp, dim, half=half, miss=miss, err=err, bound=bound)
    return Num(pt, exp, dim, lo=lo[0], hi=lo[1], miss=miss, err=err, bound=bound)


def _extreme(values: list, pick_min: bool) -> Num:
    """min()/max() of scalars: points, lower and upper bounds each picked separately."""
    values = [v.whole() for v in values]
    exp = min(v.exp for v in values)
    values = [v.at(exp) for v in values]
    miss, err = _seq(values)
    pick = np.minimum if pick_min else np.maximum
    pt, lo, hi = values[0].pt, values[0].lo, values[0].hi
    for v in values[1:]:
        pt, lo, hi = pick(pt, v.pt), pick(lo, v.lo), pick(hi, v.hi)
    return Num(pt, exp, values[0].dim, lo=lo, hi=hi, miss=miss, err=err, bound=max(v.bound for v in values))


# ---- compiling ---------------------------------------------------------------------------------------

class _Compiler:
    def __init__(self, settings, tolerance):
        self.settings = settings
        self.tolerance = tolerance

    # numbers
    def number(self, node):  # noqa: C901 - one branch per node kind
        t = type(node)
        if t is ast.Number:
            if node.unit in MONEY_UNITS:
                value = _constant(node.value * MONEY_UNITS[node.unit], "money")
            else:
                value = _constant(node.value, dimension_of(node.unit))
            return lambda batch: value
        if t is ast.FieldRef:
            return self.field(node.path)
        if t is ast.Unary:
            operand = self.number(node.operand)
            return lambda batch: _neg(operand(batch))
        if t is ast.Binary:
            left, right = self.number(node.left), self.number(node.right)
            if node.op == "+":
                return lambda batch: _add(left(batch), right(batch))
            if node.op == "-":
                return lambda batch: _add(left(batch), right(batch), -1)
            if node.op == "*":
                return lambda batch: _mul(left(batch), right(batch))
            raise Unsupported("division (quotients are not exact in scaled integers)")
        if t is ast.Call:
            return self.call(node)
        raise Unsupported(f"{type(node).__name__.lower()} expressions")

    def field(self, path: str):
        settings = self.settings
        decl = settings.decl_for(path)
        kind = decl.kind if decl is not None else "amount"
        if kind not in NUMERIC_KINDS:
            raise Unsupported(f"{kind} fields")
        default = decl.default if decl is not None else None
        if default is None:
            return lambda batch: batch.num(path, decl)
        unit = decl.unit or (settings.default_unit if kind == "amount" else None)
        if kind == "amount":
            factor = MONEY_UNITS.get(unit or "元")
            if factor is None:
                raise Unsupported("a default in a unit that is not money")
            fill = _constant(default * factor, "money")
        else:
            fill = _constant(default, "number")

        def with_default(batch):
            value = batch.num(path, decl)
            if value.miss is None:
                return value
            value = value.whole()
            exp = min(value.exp, fill.exp)
            value, filled = value.at(exp), fill.at(exp)
            miss = value.miss
            bound = _checked(max(value.bound, filled.bound))
            pt = np.where(miss, filled.pt, value.pt)
            if value.half is not None:  # a default is exact: no rounding where it stands in
                return Num(pt, exp, value.dim, half=np.where(miss, 0, value.half), err=value.err, bound=bound)
            return Num(pt, exp, value.dim, lo=np.where(miss, filled.pt, value.lo),
                       hi=np.where(miss, filled.pt, value.hi), err=value.err, bound=bound)
        return with_default

    def terms(self, node):
        """A closure giving a list of Nums: one per argument, a wildcard as its present-sum."""
        if type(node) is ast.Wildcard:
            prefix = node.prefix
            return lambda batch: _present_sum(_wildcard_terms(batch, prefix), batch.n)
        return self.number(node)

    def call(self, node: ast.Call):
        name = node.func
        if name == "sum":
            args = [self.terms(a) for a in node.args]
            if len(args) == 1:
                return args[0]
            return lambda batch: _fold_sum([a(batch) for a in args])
        if name == "abs":
            arg = self.number(node.args[0])
            return lambda batch: _abs(arg(batch))
        if name in ("min", "max"):
            if any(type(a) is ast.Wildcard for a in node.args):
                raise Unsupported("min()/max() over a wildcard")
            args = [self.number(a) for a in node.args]
            pick_min = name == "min"
            return lambda batch: _extreme([a(batch) for a in args], pick_min)
        if name in ("change", "pct", "prior"):
            raise Unsupported(f"{name}() (stated changes and percentages are not frame columns)")
        raise Unsupported(f"{name}()")

    # conditions
    def condition(self, node):  # noqa: C901 - one branch per node kind
        t = type(node)
        if t is ast.Compare:
            return self.compare(node)
        if t is ast.Boolean:
            out = EXACT if node.value else FAIL
            return lambda batch: Cond(np.full(batch.n, out, dtype=np.int8))
        if t is ast.Not:
            inner = self.condition(node.operand)
            flip = np.array([FAIL, ROUNDING, EXACT], dtype=np.int8)

            def not_(batch):
                c = inner(batch)
                return Cond(flip[c.out], c.miss, c.err)
            return not_
        if t is ast.And:
            return _and(self.condition(node.left), self.condition(node.right))
        if t is ast.Or:
            return _or_cond(self.condition(node.left), self.condition(node.right))
        if t is ast.Implies:
            return _implies(self.condition(node.cond), self.condition(node.then))
        if t is ast.Call and node.func == "present":
            arg = node.args[0]
            inner = self.terms(arg) if type(arg) is ast.Wildcard else self.number(arg)

            def present(batch):
                v = inner(batch)
                out = np.zeros(batch.n, dtype=np.int8)
                if v.miss is not None:
                    out[v.miss] = FAIL
                return Cond(out, None, v.err)
            return present
        raise Unsupported(f"{type(node).__name__.lower()} conditions" if t is not ast.Call else f"{node.func}()")

    def compare(self, node: ast.Compare):
        left, right = self.number(node.left), self.number(node.right)
        op = node.op
        tolerance = self.tolerance
        if tolerance is not NO_TOLERANCE and tolerance.relative:
            raise Unsupported("relative tolerance (within n%)")

        def comparison(batch):
            return _decide(op, left(batch), right(batch), tolerance, batch.n)
        return comparison


def _count(point_fails, near_fails):
    return np.add(np.asarray(point_fails).view(np.int8), np.asarray(near_fails).view(np.int8), dtype=np.int8)


def _decide(op: str, a: Num, b: Num, tolerance, n: int) -> Cond:
    """:func:`fiscalrules.values.decide` on every row, in integers."""
    extra = Decimal(0)
    if tolerance is not NO_TOLERANCE:
        extra = tolerance.money if (a.dim == "money" or b.dim == "money") else tolerance.amount
    extra_num = _constant(extra, "number")
    # No tolerance: its exponent must not force both sides to a finer scale (a pass per column).
    exp = min(a.exp, b.exp, extra_num.exp) if extra else min(a.exp, b.exp)
    a, b = a.at(exp), b.at(exp)
    extra_units = extra_num.at(exp).pt if extra else 0
    _checked(a.bound + b.bound + abs(extra_units))
    miss, err = _seq((a, b))
    if a.half is not None and b.half is not None:
        diff = _combine(np.subtract, a, b)
        # Symmetric intervals: the slack is the sum of the halves whichever way the difference goes,
        # and each bound test is a test of the difference.
        # The outcome is the count of tests failed (reach ≥ 0, so failing the wide test implies
        # failing the point test): 0 EXACT, 1 ROUNDING, 2 FAIL, as two boolean passes.
        # The differences are integers: a fractional reach r tests as floor(r) or ceil(r).
        reach = a.half + b.half + extra_units
        if isinstance(reach, Decimal):
            low, high = int(reach.to_integral_value(ROUND_FLOOR)), int(reach.to_integral_value(ROUND_CEILING))
        else:
            low = high = reach
        if op == "=":
            # diff is a temporary (a new array, or an operand's own temporary): take |diff| in place
            distance = np.abs(diff, out=diff) if isinstance(diff, np.ndarray) else abs(diff)
            out = _count(distance != 0, distance > low)
        elif op == "!=":
            out = _count(diff == 0, diff == 0)
        elif op == "<":
            out = _count(diff >= 0, diff >= high)
        elif op == "<=":
            out = _count(diff > 0, diff > low)
        elif op == ">":
            out = _count(diff <= 0, diff <= -high)
        else:
            out = _count(diff < 0, diff < -low)
    elif op == "=":
        a, b = _aligned(a.whole(), b.whole())
        extra_units = extra_num.at(a.exp).pt if extra else 0
        diff = a.pt - b.pt
        slack = np.where(diff >= 0, (a.pt - a.lo) + (b.hi - b.pt), (a.hi - a.pt) + (b.pt - b.lo))
        out = np.where(diff == 0, EXACT, np.where(np.abs(diff) <= slack + extra_units, ROUNDING, FAIL))
    elif op == "!=":
        out = np.where(a.pt - b.pt != 0, EXACT, FAIL)
    else:
        a, b = _aligned(a.whole(), b.whole())
        extra_units = extra_num.at(a.exp).pt if extra else 0
        diff = a.pt - b.pt
        if op == "<":
            point, near = diff < 0, a.lo < b.hi + extra_units
        elif op == "<=":
            point, near = diff <= 0, a.lo <= b.hi + extra_units
        elif op == ">":
            point, near = diff > 0, a.hi > b.lo - extra_units
        else:
            point, near = diff >= 0, a.hi >= b.lo - extra_units
        out = np.where(point, EXACT, np.where(near, ROUNDING, FAIL))
    out = np.broadcast_to(np.asarray(out, dtype=np.int8), (n,))
    return Cond(out, miss, err)


def _masks(c: Cond, n: int) -> tuple:
    """(ok, missing, error) as arrays."""
    none = np.zeros(n, dtype=bool)
    miss = c.miss if c.miss is not None else none
    err = c.err if c.err is not None else none
    return ~(miss | err), miss, err


def _cond(out, miss, err) -> Cond:
    return Cond(np.asarray(out, dtype=np.int8), miss if miss.any() else None, err if err.any() else None)


def _and(left, right):
    """``a and b`` as the compiler's and_: a missing is forgiven only by b failing; a failing
    side decides without the other; otherwise the worse outcome."""
    def and_(batch):
        a, b = left(batch), right(batch)
        a_ok, a_miss, a_err = _masks(a, batch.n)
        b_ok, b_miss, b_err = _masks(b, batch.n)
        a_on = a_ok & (a.out != FAIL)            # b is evaluated and its stop decides
        b_fails = b_ok & (b.out == FAIL)
        err = a_err | (a_miss & b_err) | (a_on & b_err)
        miss = (a_miss & ~b_fails & ~b_err) | (a_on & b_miss)
        return _cond(np.maximum(a.out, b.out), miss, err)
    return and_


def _or_cond(left, right):
    """``a or b`` as the compiler's or_: a missing is forgiven by b holding; an exact side decides;
    otherwise the better outcome."""
    def or_(batch):
        a, b = left(batch), right(batch)
        a_ok, a_miss, a_err = _masks(a, batch.n)
        b_ok, b_miss, b_err = _masks(b, batch.n)
        a_on = a_ok & (a.out != EXACT)
        b_holds = b_ok & (b.out != FAIL)
        err = a_err | (a_miss & b_err) | (a_on & b_err)
        miss = (a_miss & ~b_holds & ~b_err) | (a_on & b_miss)
        return _cond(np.where(a_miss, b.out, np.minimum(a.out, b.out)), miss, err)
    return or_


def _implies(cond, then):
    """``if c then t``: a false condition holds; a missing one is forgiven by t holding."""
    def implies(batch):
        c, t = cond(batch), then(batch)
        c_ok, c_miss, c_err = _masks(c, batch.n)
        t_ok, t_miss, t_err = _masks(t, batch.n)
        c_false = c_ok & (c.out == FAIL)
        c_on = c_ok & ~c_false
        t_holds = t_ok & (t.out != FAIL)
        err = c_err | (c_miss & t_err) | (c_on & t_err)
        miss = (c_miss & ~t_holds & ~t_err) | (c_on & t_miss)
        return _cond(np.where(c_false, EXACT, t.out), miss, err)
    return implies


# ---- rules -------------------------------------------------------------------------------------------

STATUS_CODES = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
PASS, PASS_ROUNDING, FAILED, NOT_APPLICABLE, NOT_EVALUABLE, ERROR = range(6)
UNREADABLE = 255


def compile_rule(compiled_rule):
    """A closure ``f(batch) -> int8 status codes`` for a compiled rule, or Unsupported."""
    from ..evaluator import _tolerance
    rule = compiled_rule.rule
    if isinstance(rule.assertion, ast.ForEach):
        raise Unsupported("for each over table rows")
    compiler = _Compiler(compiled_rule.settings, _tolerance(rule.tolerance, compiled_rule.settings))
    when = compiler.condition(rule.when) if rule.when is not None else None
    body = compiler.condition(rule.assertion)

    def statuses(batch):
        status = np.zeros(batch.n, dtype=np.int8)
        open_rows = None
        if when is not None:
            w = when(batch)
            status[w.out == FAIL] = NOT_APPLICABLE
            if w.miss is not None:
                status[w.miss] = NOT_EVALUABLE
            if w.err is not None:
                status[w.err] = ERROR
            open_rows = status == 0
        a = body(batch)
        result = a.out.astype(np.int8)  # EXACT 0 → PASS, ROUNDING 1 → PASS_ROUNDING, FAIL 2 → FAILED
        if a.miss is not None:
            result[a.miss] = NOT_EVALUABLE
        if a.err is not None:
            result[a.err] = ERROR
        if open_rows is None:
            return result
        return np.where(open_rows, result, status).astype(np.int8, copy=False)
    return statuses
