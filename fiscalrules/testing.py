"""Property-based testing for rulesets: consistent records, one-figure errors, inline examples.

Three tools for people who write rules (see ``docs/testing.md`` for a guide):

* :func:`records` -- a `hypothesis <https://hypothesis.readthedocs.io>`_ strategy generating
  records (plain mappings in the record model of ``docs/records.md``) that satisfy a ruleset:
  every linear equality of its rules holds exactly, its inequalities hold, amounts look like
  budgets (万元 with two decimals, counts whole), tables carry nested classification codes, and
  optional figures are sometimes absent.  ``rounded=True`` computes the figures more precisely
  and rounds each to its printed precision, as a publisher does, so the ruleset's rounding
  allowance is what keeps it quiet.  :func:`generate_record` is the same without hypothesis.
* :func:`perturbations` (and :func:`changed_by`, :func:`sign_flipped`, :func:`digits_swapped`,
  :func:`term_dropped`) -- strategies deriving a record with exactly one figure changed, with a
  :class:`Perturbation` saying which path changed, how, and whether a rule of the ruleset must
  now fail (:meth:`Perturbation.must_fail`).  :func:`analyze` exposes the model behind it: every
  linear equality the ruleset asserts on a given record, with its rounding allowance.
* :func:`example_cases` / :func:`pytest_examples` -- every ``example pass|fail {…}`` of a rule
  file as a pytest test case.

How records are built
---------------------
The generator never guesses values and filters: it *solves*.  For a drawn *shape* (which fields,
tables, rows and stated changes exist, and the text and flag values) it evaluates every rule
symbolically over the shape: figures become variables, arithmetic becomes exact linear forms
(``sum``, ``+``/``-``, constant multiples, wildcards, columns, lookups, ``children()`` roll-ups,
``change``/``prior``), each top-level ``for each`` is instantiated per row, ``present``/``when``/
``where``/``if`` on structure are decided, and each assertion becomes a set of requirements.  A
rule that would be *not evaluable* on the shape (a missing figure, row, column or stated change)
makes the shape grow until every rule can be evaluated: optional figures are absent only where
no rule then lacks them.  Linear equalities are solved by exact Gauss-Jordan elimination over
fractions (totals chosen as pivots, parts as free variables drawn with realistic magnitudes, on
the printed grid so that every solved figure is printed exactly); inequalities and signs (amounts
and counts are non-negative, last year's figure ``value - change`` too) are met by relaxation
over the free variables followed by an exact check.  A figure defined by a non-linear equality
(``pct(x) = change(x) / prior(x) * 100``) is computed from the others and rounded to its
precision.  Requirements that are neither (``!=``, ``abs``/``min``/``max`` on both sides,
value-dependent filters) are checked afterwards with the evaluator itself, for those rules only.

Limits: filters of comprehensions must depend on structure (codes, levels, texts), not on
amounts; a lookup key must be a constant or text; ``not present(x)`` is not made true by
removing *x*.  A ruleset whose equalities contradict each other raises :class:`GenerationError`
naming the rules.
"""

from __future__ import annotations

import copy
import math
import random
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import attrs

from . import ast
from .errors import FiscalRulesError, Location
from .loader import Ruleset, load_ruleset
from .records import Record, Row, load_record
from .values import CONTEXT, MONEY_UNITS, Tolerance, dimension_of, format_decimal, printed_precision

__all__ = [
    "records", "generate_record", "GenerationError",
    "perturbations", "changed_by", "sign_flipped", "digits_swapped", "term_dropped", "perturb",
    "Perturbation", "PERTURBATION_KINDS", "analyze", "RecordModel", "Equality",
    "example_cases", "check_example", "pytest_examples", "ExampleCase",
    "shuffled_record", "reordered_ruleset", "findings_digest",
]


class GenerationError(FiscalRulesError):
    """The generator could not build a record satisfying the ruleset (contradictory rules, or
    requirements it cannot meet); the message names the rules concerned."""

    code = "E600"


# ---- standard classification codes (docs/budget-record.md) ---------------------------------------

FUNCTION_CLASSES = {
    "201": "一般公共服务支出", "204": "公共安全支出", "205": "教育支出", "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "216": "商业服务业等支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "224": "灾害防治及应急管理支出", "229": "其他支出",
}
ECONOMIC_CLASSES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出", "309": "资本性支出（基本建设）", "310": "资本性支出",
    "312": "对企业补助", "399": "其他支出",
}
KNOWN_NAMES = {
    "20101": "人大事务", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "2010302": "一般行政管理事务", "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "22102": "住房改革支出",
    "2210201": "住房公积金", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
    "30108": "机关事业单位基本养老保险缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30201": "办公费", "30211": "差旅费", "30213": "维修（护）费", "30215": "会议费",
    "30216": "培训费", "30217": "公务接待费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "30302": "退休费", "30309": "奖励金", "31002": "办公设备购置",
}
_SUB_CODES = ("01", "02", "03", "04", "05", "06", "07", "08", "11", "13", "17", "31", "99")
_TEXT_POOL = ("示范市农业农村局", "说明", "本单位", "按规定执行", "详见附表", "市本级", "项目",
              "有所提升", "≥95%", "办公室", "其他")


# ---- exact linear forms ---------------------------------------------------------------------------

_ZERO = Fraction(0)
_ONE = Fraction(1)
STATS: "Counter[str]" = Counter()   # why generation attempts were retried (for benchmarks)


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
        self.const = _frac(const)
        self.rad = rad if rad is not None else {k: abs(c) for k, c in self.coef.items()}
        self.dim = dim

    @classmethod
    def constant(cls, value, dim="number") -> "Lin":
        return cls(None, _frac(value), {}, dim)

    def vars(self) -> list:
        return [k for k, c in self.coef.items() if c]

    @property
    def is_const(self) -> bool:
        return not self.vars()

    def __add__(self, other: "Lin") -> "Lin":
        coef, rad = dict(self.coef), dict(self.rad)
        for k, c in other.coef.items():
            coef[k] = coef.get(k, _ZERO) + c
        for k, r in other.rad.items():
            rad[k] = rad.get(k, _ZERO) + r
        return Lin(coef, self.const + other.const, rad, _add_dim(self.dim, other.dim))

    def __neg__(self) -> "Lin":
        return Lin({k: -c for k, c in self.coef.items()}, -self.const, dict(self.rad), self.dim)

    def __sub__(self, other: "Lin") -> "Lin":
        return self + (-other)

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


def _add_dim(a: str, b: str) -> str:
    return a if a != "number" else b


def _mul_dim(a: str, b: str) -> str:
    return a if b in ("number", "percent") else b


def _div_dim(a: str, b: str) -> str:
    if a == b:
        return "number"
    return a if b in ("number", "percent") else "number"


class _Undefined(Exception):
    """A non-linear expression has no value (division by zero)."""


class NL:
    """A non-linear numeric expression: a function of the variables' values."""

    __slots__ = ("fn", "deps", "dim")

    def __init__(self, fn, deps, dim="number"):
        self.fn, self.deps, self.dim = fn, frozenset(deps), dim

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
    return NL(lambda v: op(fa(v), fb(v)), _deps(a) | _deps(b), dim)


def _checked_div(x: Fraction, y: Fraction) -> Fraction:
    if y == 0:
        raise _Undefined("division by zero")
    return x / y


# ---- symbolic conditions ------------------------------------------------------------------------

class Known:
    """A condition decided by the record's structure or texts; ``flips`` are the shape changes
    that would make it the other way (add a figure, set a text or a flag)."""

    __slots__ = ("value", "flips")

    def __init__(self, value: bool, flips=()):
        self.value, self.flips = bool(value), tuple(flips)


TRUE = Known(True)
FALSE = Known(False)
_NEGATE = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Atom:
    """A comparison between two numeric expressions that the record's values must satisfy."""

    __slots__ = ("op", "left", "right", "tolerance", "robust", "rule", "item")

    def __init__(self, op, left, right, tolerance, robust, rule, item):
        self.op, self.left, self.right = op, left, right
        self.tolerance, self.robust, self.rule, self.item = tolerance, robust, rule, item

    @property
    def key(self) -> tuple:
        return (self.rule, self.item, self.op, frozenset(_deps(self.left) | _deps(self.right)))

    def negated(self) -> "Atom":
        return Atom(_NEGATE[self.op], self.left, self.right, self.tolerance, self.robust, self.rule, self.item)

    def holds(self, values) -> bool:
        a, b = self.left.value(values), self.right.value(values)
        return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[self.op]


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


class _NeedFix(Exception):
    def __init__(self, actions):
        super().__init__(actions)
        self.actions = list(actions)


class _Retry(Exception):
    pass


class _Contradiction(_Retry):
    """The equalities instantiated on a shape cannot all hold."""


# ---- the ruleset, statically ----------------------------------------------------------------------

def _walk(node):
    """Every expression node under *node* (resolved AST), depth first, without recursion limits."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        for field in attrs.fields(type(current)) if attrs.has(type(current)) else ():
            value = getattr(current, field.name)
            if isinstance(value, tuple):
                stack.extend(v for v in value if attrs.has(type(v)))
            elif attrs.has(type(value)) and not isinstance(value, ast.Span):
                stack.append(value)


class _Plan:
    """What the generator needs to know of a ruleset, computed once."""

    def __init__(self, ruleset: Ruleset):
        checked = ruleset.checked
        self.ruleset = ruleset
        self.checked = checked
        self.fields = checked.fields
        self.default_unit = checked.default_unit
        self.precisions = checked.precisions
        self.rules = list(checked.rules)
        self.compiled = {rule.id: rule for rule in ruleset.rules}
        self.scalars = {p: d for p, d in self.fields.items() if d.kind != "table" and "*" not in p}
        self.wildcards = {p[:-2]: d for p, d in self.fields.items() if p.endswith(".*") and "*" not in p[:-2]}
        self.tables = {p: d for p, d in self.fields.items() if d.kind == "table" and "*" not in p}
        self.text_candidates: dict = {}
        self.contains: dict = {}
        self.lookups: dict = {}
        self.nested: set = set()
        self.meta: set = set()
        for rule in self.rules:
            row_vars = checked.row_vars.get(rule.id, {})
            for root in (rule.when, rule.assertion):
                if root is not None:
                    self._scan(root, row_vars)

    def decl_for(self, path: str):
        decl = self.fields.get(path)
        if decl is None:
            prefix = path.rpartition(".")[0]
            decl = self.fields.get(prefix + ".*") if prefix else None
        return decl

    def column_decl(self, table: str, column: str):
        decl = self.fields.get(table)
        if decl is None:
            return None
        return next((c for c in decl.columns if c.name == column), None)

    def _target(self, node, row_vars):
        """The text slot a node reads: ("f", path) or ("c", table, column)."""
        if isinstance(node, ast.FieldRef):
            return ("f", node.path)
        if isinstance(node, ast.Column):
            table = self._table_of(node.obj, row_vars)
            return ("c", table, node.name) if table else None
        return None

    def _table_of(self, node, row_vars):
        if isinstance(node, ast.VarRef):
            return row_vars.get(node.name)
        if isinstance(node, ast.Lookup) and isinstance(node.table, ast.TableRef):
            return node.table.path
        if isinstance(node, ast.TableRef):
            return node.path
        if isinstance(node, ast.Call) and node.func in ("children", "parent") and node.args:
            return self._table_of(node.args[0], row_vars)
        return None

    def _scan(self, root, row_vars):
        for node in _walk(root):
            if isinstance(node, ast.Compare):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(b, ast.String):
                        target = self._target(a, row_vars)
                        if target:
                            self.text_candidates.setdefault(target, set()).add(b.value)
            elif isinstance(node, ast.Member):
                target = self._target(node.item, row_vars)
                if target:
                    for option in node.options:
                        if isinstance(option, ast.String):
                            self.text_candidates.setdefault(target, set()).add(option.value)
            elif isinstance(node, ast.Call):
                if node.func == "contains" and len(node.args) == 2 and isinstance(node.args[1], ast.String):
                    target = self._target(node.args[0], row_vars)
                    if target:
                        self.contains.setdefault(target, set()).add(node.args[1].value)
                elif node.func in ("children", "parent", "level") and node.args:
                    table = self._table_of(node.args[0], row_vars)
                    if table:
                        self.nested.add(table)
                elif node.func in ("change", "prior", "pct") and node.args:
                    meta = "pct" if node.func == "pct" else "change"
                    arg = node.args[0]
                    if isinstance(arg, ast.FieldRef):
                        self.meta.add(("f", arg.path, meta))
                    elif isinstance(arg, ast.Wildcard):
                        self.meta.add(("w", arg.prefix, meta))
                    elif isinstance(arg, ast.Column):
                        table = self._table_of(arg.obj, row_vars)
                        if table:
                            self.meta.add(("c", table, arg.name, meta))
            elif isinstance(node, ast.Lookup) and isinstance(node.table, ast.TableRef):
                if isinstance(node.key, (ast.String, ast.Number)):
                    key = node.key.value if isinstance(node.key, ast.String) else format_decimal(node.key.value)
                    self.lookups.setdefault(node.table.path, set()).add(key)

    # -- per-figure facts
    def unit_of(self, decl, meta="value", figure_unit=None) -> str | None:
        if meta == "pct":
            return "%"
        kind = decl.kind if decl is not None else "amount"
        unit = figure_unit or (decl.unit if decl is not None else None)
        if unit is None and kind == "amount":
            unit = self.default_unit or "元"
        elif unit is None and kind == "percent":
            unit = "%"
        return unit

    def precision(self, kind: str, unit: str | None, meta: str) -> Decimal:
        if kind in ("count", "number") and meta == "value":
            return Decimal(1)
        if kind in ("count", "number"):
            return Decimal(1)
        declared = self.precisions.get(unit)
        return declared if declared is not None else Decimal("0.01")

    def code_scheme(self, table: str) -> str:
        keys = self.lookups.get(table, ())
        if any(k.startswith("3") for k in keys):
            return "economic"
        if any(k.startswith("2") for k in keys):
            return "function"
        decl = self.fields.get(table)
        words = table + " " + " ".join(decl.labels if decl else ())
        if "econom" in words or "经济" in words:
            return "economic"
        return "function"

    def tolerance(self, rule: ast.Rule) -> Tolerance:
        tol = rule.tolerance
        if tol is None:
            return Tolerance()
        if tol.unit == "%":
            return Tolerance(amount=tol.amount, relative=True)
        unit = tol.unit or self.default_unit or "元"
        return Tolerance(amount=tol.amount, money=tol.amount * MONEY_UNITS.get(unit, Decimal(1)))


_PLANS: "weakref.WeakKeyDictionary[Ruleset, _Plan]" = weakref.WeakKeyDictionary()


def _plan(ruleset) -> _Plan:
    ruleset = _as_ruleset(ruleset)
    plan = _PLANS.get(ruleset)
    if plan is None:
        plan = _PLANS[ruleset] = _Plan(ruleset)
    return plan


def _as_ruleset(ruleset) -> Ruleset:
    if isinstance(ruleset, Ruleset):
        return ruleset
    if isinstance(ruleset, (str, Path)):
        return load_ruleset(ruleset)
    raise TypeError(f"expected a Ruleset, a rule file or a bundled ruleset name, not {type(ruleset).__name__}")


# ---- symbolic evaluation over a record's structure ----------------------------------------------------

def _code_level(code: str) -> int:
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


class _Sym:
    """Evaluates a resolved rule over a :class:`Record` symbolically (see the module docstring)."""

    def __init__(self, plan: _Plan, record: Record, rule: ast.Rule):
        self.plan, self.record, self.rule = plan, record, rule
        self.env: dict = {}
        self.tolerance = plan.tolerance(rule)
        self.in_condition = 0
        self.item = None
        self.value_dependent = False
        self.factors: dict = {}
        self.figures: dict = {}
        self.soft: list = []       # figures a coalesce() did without (realism: usually add them)

    def ev(self, node):
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise _Unsupported(type(node).__name__)
        return method(node)

    def cond(self, node):
        value = self.ev(node)
        if not isinstance(value, _COND):
            raise _Problem(f"not a condition: {value!r}")
        return value

    def condition(self, node):
        """A precondition (when / where / if): its numeric comparisons must hold robustly."""
        self.in_condition += 1
        try:
            result = self.cond(node)
        finally:
            self.in_condition -= 1
        if not isinstance(result, Known):
            self.value_dependent = True
        return result

    # -- leaves
    def _Number(self, node):
        if node.unit in MONEY_UNITS:
            return Lin.constant(Fraction(node.value) * Fraction(MONEY_UNITS[node.unit]), "money")
        return Lin.constant(Fraction(node.value), dimension_of(node.unit))

    def _String(self, node):
        return Txt(node.value)

    def _Boolean(self, node):
        return TRUE if node.value else FALSE

    def _VarRef(self, node):
        return self.env[node.name]

    def numvar(self, figure, decl, meta="value") -> Lin:
        kind = decl.kind if decl is not None else "amount"
        raw = figure.value if meta == "value" else getattr(figure, meta)
        if isinstance(raw, bool) or not isinstance(raw, Decimal):
            raise _Problem(f"{figure.path} is {raw!r}, not a number")
        unit = self.plan.unit_of(decl, meta, figure.unit)
        dim = dimension_of(unit)
        if kind == "amount" and dim != "money" and meta != "pct":
            raise _Problem(f"{figure.path} is declared as money")
        if kind == "number" and meta == "value":
            dim = "number"
        factor = Fraction(MONEY_UNITS[unit]) if dim == "money" else _ONE
        key = (figure.path, meta)
        self.factors[key] = factor
        self.figures[key] = (figure, decl)
        return Lin({key: factor}, _ZERO, {key: factor}, dim)

    def default_value(self, decl):
        if decl.kind == "amount":
            unit = decl.unit or self.plan.default_unit or "元"
            return Lin.constant(Fraction(decl.default) * Fraction(MONEY_UNITS[unit]), "money")
        return Lin.constant(Fraction(decl.default))

    def _FieldRef(self, node):
        path = node.path
        decl = self.plan.decl_for(path)
        kind = decl.kind if decl is not None else "amount"
        figure = self.record.figures.get(path)
        if figure is None:
            if decl is not None and decl.default is not None:
                if kind == "text":
                    return Txt(format_decimal(decl.default))
                if kind == "flag":
                    return Known(bool(decl.default), [("add", ("field", path))])
                return self.default_value(decl)
            raise _Missing([("field", path)])
        if kind == "text":
            value = figure.value
            return Txt(format_decimal(value) if isinstance(value, Decimal) else str(value), ("t", path))
        if kind == "flag":
            if not isinstance(figure.value, bool):
                raise _Problem(f"{path} is not true or false")
            return Known(figure.value, [("flag", path, not figure.value)])
        return self.numvar(figure, decl)

    def _Wildcard(self, node):
        figures = self.record.under(node.prefix)
        if not figures:
            raise _Missing([("wild", node.prefix)])
        return [self.numvar(f, self.plan.decl_for(f.path)) for f in figures]

    def _TableRef(self, node):
        table = self.record.tables.get(node.path)
        if table is None:
            raise _Missing([("table", node.path)])
        return list(table.rows)

    def cell(self, row: Row, column: str):
        decl = self.plan.column_decl(row.table, column)
        figure = row.cells.get(column)
        if column == "code" and figure is None:
            return Txt(row.code)
        if figure is None:
            if decl is not None and decl.default is not None:
                return self.default_value(decl)
            raise _Missing([("cell", row.table, row.code, column)])
        kind = decl.kind if decl is not None else ("amount" if isinstance(figure.value, Decimal) else "text")
        if kind == "text":
            value = figure.value
            text = format_decimal(value) if isinstance(value, Decimal) else str(value)
            return Txt(text, None if column == "code" else ("t", figure.path))
        if kind == "flag":
            return Known(figure.value is True, [("flag", figure.path, figure.value is not True)])
        return self.numvar(figure, decl)

    def _Column(self, node):
        obj = self.ev(node.obj)
        if isinstance(obj, Row):
            return self.cell(obj, node.name)
        if isinstance(obj, list):
            return self._gather(lambda row: self.cell(row, node.name), obj)
        raise _Problem("a column of something that is not a row")

    def _gather(self, fn, items):
        out, missing = [], []
        for item in items:
            try:
                out.append(fn(item))
            except _Missing as exc:
                missing.extend(exc.entries)
        if missing:
            raise _Missing(missing)
        return out

    def _Lookup(self, node):
        table_path = node.table.path if isinstance(node.table, ast.TableRef) else None
        key = self.ev(node.key)
        if isinstance(key, Txt):
            code = key.value.strip()
        elif isinstance(key, Lin) and key.is_const:
            code = format_decimal(_to_decimal(key.const))
        else:
            raise _Unsupported("a lookup by a computed key")
        table = self.record.tables.get(table_path)
        if table is None:
            raise _Missing([("table", table_path)])
        row = table.by_code.get(code)
        if row is None:
            raise _Missing([("row", table_path, code)])
        return row

    # -- arithmetic
    @staticmethod
    def _num(value):
        if not isinstance(value, (Lin, NL)):
            raise _Problem(f"expected a number, found {type(value).__name__}")
        return value

    def _Unary(self, node):
        value = self._num(self.ev(node.operand))
        if isinstance(value, Lin):
            return -value
        fn = value.fn
        return NL(lambda v: -fn(v), value.deps, value.dim)

    def _Binary(self, node):
        a, b = self._num(self.ev(node.left)), self._num(self.ev(node.right))
        op = node.op
        if op in "+-":
            if isinstance(a, Lin) and isinstance(b, Lin):
                return a + b if op == "+" else a - b
            return _nl((lambda x, y: x + y) if op == "+" else (lambda x, y: x - y), a, b, _add_dim(a.dim, b.dim))
        if op == "*":
            dim = _mul_dim(a.dim, b.dim)
            if isinstance(a, Lin) and a.is_const and isinstance(b, Lin):
                return b.scaled(a.const, dim)
            if isinstance(b, Lin) and b.is_const and isinstance(a, Lin):
                return a.scaled(b.const, dim)
            return _nl(lambda x, y: x * y, a, b, dim)
        dim = _div_dim(a.dim, b.dim)
        if isinstance(b, Lin) and b.is_const and isinstance(a, Lin):
            if b.const == 0:
                raise _Problem("division by zero")
            return a.scaled(1 / b.const, dim)
        return _nl(_checked_div, a, b, dim)

    def _Compare(self, node):
        a, b = self.ev(node.left), self.ev(node.right)
        op = node.op
        if isinstance(a, (Lin, NL)) and isinstance(b, (Lin, NL)):
            if isinstance(a, Lin) and isinstance(b, Lin) and a.is_const and b.is_const:
                atom = Atom(op, a, b, self.tolerance, False, self.rule.id, self.item)
                return Known(atom.holds({}))
            return Atom(op, a, b, self.tolerance, self.in_condition > 0, self.rule.id, self.item)
        if isinstance(a, Txt) and isinstance(b, Txt):
            equal = a.value.strip() == b.value.strip()
            holds = equal if op == "=" else not equal
            return Known(holds, _text_flips(a, b, want_equal=not equal))
        if isinstance(a, Known) and isinstance(b, Known):
            equal = a.value == b.value
            return Known(equal == (op == "="))
        raise _Unsupported("comparison of conditions")

    def _Member(self, node):
        item = self.ev(node.item)
        options = [self.ev(o) for o in node.options]
        if isinstance(item, (Lin, NL)):
            atoms = []
            for option in options:
                atoms.append(self._Compare_values("=", item, self._num(option)))
            result = _any_of(*atoms)
        else:
            text = item.value.strip() if isinstance(item, Txt) else str(item)
            values = [o.value.strip() if isinstance(o, Txt) else str(o) for o in options]
            found = text in values
            flips = []
            if isinstance(item, Txt) and item.var is not None:
                flips = [("text", item.var, ("other", tuple(values)) if found else ("one of", tuple(values)))]
            result = Known(found, flips)
        return _negation(result) if node.negated else result

    def _Compare_values(self, op, a, b):
        if isinstance(a, Lin) and isinstance(b, Lin) and a.is_const and b.is_const:
            return Known(a.const == b.const)
        return Atom(op, a, b, self.tolerance, self.in_condition > 0, self.rule.id, self.item)

    # -- logic
    def _Not(self, node):
        return _negation(self.cond(node.operand))

    def _And(self, node):
        missing = []
        try:
            a = self.cond(node.left)
        except _Missing as exc:
            missing.extend(exc.entries)
            a = TRUE
        if isinstance(a, Known) and not a.value and not missing:
            return a
        try:
            b = self.cond(node.right)
        except _Missing as exc:
            missing.extend(exc.entries)
            b = TRUE
        if missing:
            raise _Missing(missing)
        return _all_of(a, b)

    def _Or(self, node):
        a = self.cond(node.left)
        if isinstance(a, Known) and a.value:
            return a
        return _any_of(a, self.cond(node.right))

    def _Implies(self, node):
        c = self.condition(node.cond)
        if isinstance(c, Known) and not c.value:
            return TRUE
        return _implies(c, self.cond(node.then))

    def iterate(self, source_node):
        items = self.ev(source_node)
        if isinstance(items, Row) or not isinstance(items, list):
            items = [items]
        return items

    def _ForEach(self, node):
        conds, missing = [], []
        saved = self.env.get(node.var)
        try:
            for item in self.iterate(node.source):
                self.env[node.var] = item
                try:
                    where = self.condition(node.where) if node.where is not None else TRUE
                    if isinstance(where, Known) and not where.value:
                        continue
                    conds.append(_implies(where, self.cond(node.body)))
                except _Missing as exc:
                    missing.extend(exc.entries)
        finally:
            self.env[node.var] = saved
        if missing:
            raise _Missing(missing)
        return _all_of(*conds)

    def _Comprehension(self, node):
        out, missing = [], []
        saved = self.env.get(node.var)
        try:
            for item in self.iterate(node.source):
                self.env[node.var] = item
                try:
                    if node.cond is not None:
                        where = self.cond(node.cond)
                        if not isinstance(where, Known):
                            raise _Unsupported("a filter that depends on amounts")
                        if not where.value:
                            continue
                    out.append(self.ev(node.elem))
                except _Missing as exc:
                    missing.extend(exc.entries)
        finally:
            self.env[node.var] = saved
        if missing:
            raise _Missing(missing)
        return out

    # -- functions
    def _Call(self, node):  # noqa: C901 - one branch per function
        name = node.func
        if name in ("change", "pct"):
            return self.stated(node.args[0], name)
        if name == "prior":
            values, changes = self.ev(node.args[0]), self.stated(node.args[0], "change")
            if isinstance(values, list):
                return [a - b for a, b in zip(values, changes)]
            return values - changes
        if name == "present":
            try:
                self.ev(node.args[0])
            except _Missing as exc:
                return Known(False, [("add", e) for e in exc.entries])
            return TRUE
        if name == "coalesce":
            for arg in node.args[:-1]:
                try:
                    return self.ev(arg)
                except _Missing as exc:
                    self.soft.extend(exc.entries)
                    continue
            return self.ev(node.args[-1])
        if name == "children":
            row = self.ev(node.args[0])
            return self.record.tables[row.table].children_of(row.code)
        if name == "parent":
            row = self.ev(node.args[0])
            found = self.record.tables[row.table].parent_of(row.code)
            if found is None:
                raise _Missing([("parent", row.table, row.code)])
            return found
        if name == "level":
            return Lin.constant(_code_level(self.ev(node.args[0]).code))
        if name == "contains":
            hay, needle = (self.ev(a) for a in node.args)
            h = hay.value if isinstance(hay, Txt) else str(hay)
            n = needle.value if isinstance(needle, Txt) else str(needle)
            flips = [("text", hay.var, ("contains", n))] if isinstance(hay, Txt) and hay.var else []
            return Known(n in h, flips)
        if name == "count":
            items = self.ev(node.args[0])
            if not isinstance(items, list):
                raise _Problem("count() of something that is not a list")
            return Lin.constant(len(items))
        args = [self.ev(a) for a in node.args]
        if name == "sum":
            values = [self._num(v) for v in _flatten(args)]
            if not values:
                return Lin.constant(0)
            if all(isinstance(v, Lin) for v in values):
                total = values[0]
                for v in values[1:]:
                    total = total + v
                return total
            fns = [_fn(v) for v in values]
            deps = frozenset().union(*(_deps(v) for v in values))
            return NL(lambda vals: sum((f(vals) for f in fns), _ZERO), deps, values[0].dim)
        if name in ("min", "max", "abs", "round"):
            values = [self._num(v) for v in _flatten(args[:1] if name == "round" else args)]
            if not values:
                raise _Problem(f"{name}() of nothing")
            pick = {"min": min, "max": max}.get(name)
            fns = [_fn(v) for v in values]
            deps = frozenset().union(*(_deps(v) for v in values))
            dim = values[0].dim
            if name == "abs":
                f0 = fns[0]
                return NL(lambda vals: abs(f0(vals)), deps, dim)
            if name == "round":
                places = int(node.args[1].value) if len(node.args) == 2 else 0
                f0 = fns[0]
                factor = _unit_factor_for_round(values[0])
                return NL(lambda vals: _round_fraction(f0(vals), places, factor), deps, dim)
            return NL(lambda vals: pick(f(vals) for f in fns), deps, dim)
        raise _Unsupported(f"function {name}")

    def stated(self, node, func):
        meta = "pct" if func == "pct" else "change"
        if isinstance(node, ast.FieldRef):
            figure = self.record.figures.get(node.path)
            if figure is None:
                raise _Missing([("field", node.path)])
            return self.meta_var(figure, self.plan.decl_for(node.path), meta)
        if isinstance(node, ast.Wildcard):
            figures = self.record.under(node.prefix)
            if not figures:
                raise _Missing([("wild", node.prefix)])
            return self._gather(lambda f: self.meta_var(f, self.plan.decl_for(f.path), meta), figures)
        if isinstance(node, ast.Column):
            obj = self.ev(node.obj)
            rows = [obj] if isinstance(obj, Row) else obj

            def one(row):
                figure = row.cells.get(node.name)
                if figure is None:
                    raise _Missing([("cell", row.table, row.code, node.name)])
                return self.meta_var(figure, self.plan.column_decl(row.table, node.name), meta)
            values = self._gather(one, rows)
            return values[0] if isinstance(obj, Row) else values
        raise _Unsupported("change() of a computed value")

    def meta_var(self, figure, decl, meta):
        if getattr(figure, meta) is None:
            raise _Missing([("meta", figure.path, meta)])
        return self.numvar(figure, decl, meta)


def _unit_factor_for_round(value) -> Fraction:
    # round() works on the evaluator's internal values (money in 元): same as ours.
    return _ONE


def _round_fraction(x: Fraction, places: int, _factor) -> Fraction:
    d = _to_decimal(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return Fraction(d)


def _flatten(values) -> list:
    out = []
    for value in values:
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def _text_flips(a: Txt, b: Txt, want_equal: bool):
    flips = []
    for this, other in ((a, b), (b, a)):
        if this.var is not None:
            flips.append(("text", this.var, other.value if want_equal else ("other", (other.value,))))
            break
    return flips


def _to_decimal(x: Fraction) -> Decimal:
    with localcontext(CONTEXT):
        return Decimal(x.numerator) / Decimal(x.denominator)


# ---- turning conditions into requirements --------------------------------------------------------------

def _require(cond, want: bool, rnd, out: list, fixes: list, explore: float = 0.15, avoid=frozenset()) -> bool:
    """Append to *out* the atoms that make *cond* evaluate to *want*; choose branches at random.
    Returns False (and appends shape fixes) when the structure decides it the wrong way."""
    if isinstance(cond, Known):
        if cond.value == want:
            return True
        fixes.extend(cond.flips)
        return False
    if isinstance(cond, Atom):
        out.append(cond if want else cond.negated())
        return True
    if isinstance(cond, Negation):
        return _require(cond.item, not want, rnd, out, fixes, explore, avoid)
    conjunctive = isinstance(cond, AllOf) == want
    if conjunctive:
        ok = True
        for item in cond.items:
            ok = _require(item, want, rnd, out, fixes, explore, avoid) and ok
        return ok
    # one item decides: prefer branches that constrain little (a `!=` or an inequality rather
    # than an equality that pins a figure), at random among equals; sometimes explore any order
    items = list(cond.items)
    if rnd.random() < explore:
        rnd.shuffle(items)
    else:
        keyed = [(_cost(item, want, avoid) + rnd.random(), i) for i, item in enumerate(items)]
        items = [items[i] for _, i in sorted(keyed)]
    first_fixes = None
    for item in items:
        attempt, attempt_fixes = [], []
        if _require(item, want, rnd, attempt, attempt_fixes, explore, avoid):
            out.extend(attempt)
            return True
        if first_fixes is None:
            first_fixes = attempt_fixes
            if attempt_fixes:
                break  # the preferred branch holds once the shape is fixed: fix it
    fixes.extend(first_fixes or [])
    return False


def _cost(cond, want: bool, avoid=frozenset()) -> float:
    """How much making *cond* evaluate to *want* constrains the figures (for branch choice)."""
    if isinstance(cond, Known):
        if cond.value == want:
            return 0.0
        return 3.0 if cond.flips else 100.0  # the shape can be changed (a row added, a text set)
    if isinstance(cond, Atom):
        op = cond.op if want else _NEGATE[cond.op]
        if avoid and (cond if want else cond.negated()).key in avoid:
            return 50.0  # it made an earlier attempt on this shape fail
        if op == "=" and (isinstance(cond.left, NL) or isinstance(cond.right, NL)):
            return 1.5  # most likely a figure computed from others (a stated percentage)
        return {"!=": 1.0, "=": 6.0}.get(op, 2.0)
    if isinstance(cond, Negation):
        return _cost(cond.item, not want, avoid)
    costs = [_cost(item, want, avoid) for item in cond.items]
    conjunctive = isinstance(cond, AllOf) == want
    return sum(costs) if conjunctive else min(costs)


# ---- shapes: which figures exist ----------------------------------------------------------------------------

@attrs.define
class _VarSpec:
    path: str
    meta: str
    kind: str
    unit: str | None
    factor: Fraction
    precision: Decimal        # the precision the figure is printed to
    grid: Fraction            # the grid values are solved on (finer when rounded)
    lower: Fraction | None    # lower bound (amounts and counts are non-negative)
    factor_grid: Fraction = _ONE  # base units per grid step


class _Shape:
    """A record skeleton being grown: figures present, tables and rows, texts and flags."""

    def __init__(self, plan: _Plan, rnd: random.Random, rounded: bool, optional_absent: bool):
        self.plan, self.rnd, self.rounded, self.optional_absent = plan, rnd, rounded, optional_absent
        self.data: dict = {}
        self.slots: dict = {}        # figure path → (container, key)
        self.kinds: dict = {}        # figure path → (decl, kind)
        self.tables: dict = {}       # table path → list of rows
        self.trees: dict = {}        # classification scheme → the record's code tree
        self.invented = 0

    # -- building
    def p_present(self) -> float:
        return 0.7 if self.optional_absent else 1.0

    def build(self):
        plan, rnd = self.plan, self.rnd
        for path, decl in sorted(plan.scalars.items()):
            if rnd.random() < self.p_present():
                self.add_field(path, decl)
        for prefix, decl in sorted(plan.wildcards.items()):
            explicit = [p for p in plan.scalars if p.rpartition(".")[0] == prefix]
            extra = rnd.randint(1, 4) if not explicit else (1 if rnd.random() < 0.15 else 0)
            for _ in range(extra):
                self.add_wild(prefix)
        for path, decl in sorted(plan.tables.items()):
            if rnd.random() < (0.85 if self.optional_absent else 1.0):
                self.add_table(path)
        for entry in sorted(plan.meta, key=str):
            if self.optional_absent and rnd.random() < 0.2:
                continue
            self.add_meta_everywhere(entry)

    def _container(self, path: str, create: bool):
        parts = path.split(".")
        node = self.data
        for part in parts[:-1]:
            child = node.get(part)
            if child is None:
                if not create:
                    return None, None
                child = node[part] = {}
            if not isinstance(child, dict) or _is_figure(child):
                return None, None
            node = child
        return node, parts[-1]

    def add_field(self, path: str, decl=None) -> bool:
        decl = decl or self.plan.decl_for(path)
        if decl is None or decl.kind == "table":
            return False
        container, key = self._container(path, True)
        if container is None:
            return False
        existing = container.get(key)
        if existing is not None:
            return False
        container[key] = self.initial(decl, ("f", path))
        self.slots[path] = (container, key)
        self.kinds[path] = decl
        return True

    def add_wild(self, prefix: str) -> bool:
        explicit = [p for p in self.plan.scalars if p.rpartition(".")[0] == prefix]
        absent = [p for p in explicit if p not in self.slots]
        if absent:
            return self.add_field(self.rnd.choice(sorted(absent)))
        if prefix in self.plan.wildcards:
            container, _ = self._container(prefix + ".x", True)
            if container is None:
                return False
            while True:
                self.invented += 1
                name = f"part{self.invented}"
                if name not in container:
                    break
            return self.add_field(f"{prefix}.{name}", self.plan.wildcards[prefix])
        return False

    def initial(self, decl, target):
        kind = decl.kind
        if kind == "text":
            return self.text_for(target, decl)
        if kind == "flag":
            return self.rnd.random() < 0.5
        if self.rnd.random() < 0.15 and kind in ("amount", "count"):
            unit = self.plan.unit_of(decl)
            return {"value": "0", "unit": unit} if unit else "0"
        return "0"

    def text_for(self, target, decl=None, code=None):
        rnd = self.rnd
        name = target[-1] if target[0] == "c" else target[1].rpartition(".")[2]
        if code is not None and name in ("name", "standard_name"):
            return _standard_name(code)
        candidates = sorted(self.plan.text_candidates.get(target, ()))
        needles = sorted(self.plan.contains.get(target, ()))
        roll = rnd.random()
        if candidates and roll < 0.75:
            return rnd.choice(candidates)
        if needles and roll < 0.85:
            return "示范市" + rnd.choice(needles)
        return rnd.choice(_TEXT_POOL)

    def add_table(self, path: str, codes=()) -> bool:
        decl = self.plan.tables.get(path)
        if decl is None:
            return False
        container, key = self._container(path, True)
        if container is None or container.get(key) is not None:
            return False
        rows = container[key] = []
        self.tables[path] = rows
        coded = any(c.name == "code" for c in decl.columns)
        if coded:
            for code in self.draw_codes(path):
                self.add_row(path, code)
        else:
            for _ in range(self.rnd.randint(0, 4)):
                self.add_row(path, None)
        for code in codes:
            self.add_row(path, code)
        return True

    def code_tree(self, scheme: str) -> list:
        """The record's classification codes for *scheme*, drawn once: a department reports the
        same classes in its narrative and in every table."""
        tree = self.trees.get(scheme)
        if tree is None:
            rnd = self.rnd
            classes = sorted(ECONOMIC_CLASSES if scheme == "economic" else FUNCTION_CLASSES)
            tree = []
            for cls in sorted(rnd.sample(classes, rnd.randint(1, 4))):
                subs = []
                for sub in sorted(rnd.sample(_SUB_CODES, rnd.randint(0, 3))):
                    items = []
                    if scheme == "function":
                        items = [cls + sub + item for item in sorted(rnd.sample(_SUB_CODES, rnd.randint(0, 2)))]
                    subs.append((cls + sub, items))
                tree.append((cls, subs))
            self.trees[scheme] = tree
        return tree

    def draw_codes(self, path: str) -> list:
        rnd = self.rnd
        tree = self.code_tree(self.plan.code_scheme(path))
        nested = path in self.plan.nested
        partial = rnd.random() < 0.2
        codes = []
        for cls, subs in tree:
            if partial and len(tree) > 1 and rnd.random() < 0.3:
                continue
            codes.append(cls)
            if not nested:
                continue
            for sub, items in subs:
                if partial and rnd.random() < 0.3:
                    continue
                codes.append(sub)
                codes.extend(items)
        return codes or [tree[0][0]]

    def add_row(self, path: str, code) -> bool:
        rows = self.tables.get(path)
        if rows is None:
            return self.add_table(path, codes=[code] if code is not None else ())
        if code is not None and any(r.get("code") == code for r in rows):
            return False
        decl = self.plan.tables[path]
        row: dict = {}
        rows.append(row)
        row_code = code if code is not None else str(len(rows))
        if code is not None:
            row["code"] = code
        for column in decl.columns:
            if column.name == "code":
                continue
            optional = column.default is not None or self.optional_absent
            if optional and self.rnd.random() > (0.95 if column.default is not None else 0.9):
                continue
            self.add_cell(path, row_code, column.name, row)
        return True

    def find_row(self, path: str, code: str):
        rows = self.tables.get(path)
        if rows is None:
            return None
        for i, row in enumerate(rows, start=1):
            row_code = row.get("code") if isinstance(row, dict) else None
            if (row_code if row_code is not None else str(i)) == code:
                return row
        return None

    def add_cell(self, path: str, code: str, column: str, row=None) -> bool:
        row = row if row is not None else self.find_row(path, code)
        if row is None or column in row:
            return False
        decl = self.plan.column_decl(path, column)
        if decl is None:
            return False
        cell_path = f"{path}[{code}].{column}"
        if decl.kind == "text":
            row[column] = self.text_for(("c", path, column), decl, code=row.get("code"))
        elif decl.kind == "flag":
            row[column] = self.rnd.random() < 0.5
        else:
            row[column] = "0"
        self.slots[cell_path] = (row, column)
        self.kinds[cell_path] = decl
        return True

    def add_meta(self, path: str, meta: str) -> bool:
        slot = self.slots.get(path)
        if slot is None:
            return False
        container, key = slot
        value = container[key]
        if isinstance(value, dict):
            if meta in value:
                return False
            value[meta] = "0"
        else:
            container[key] = {"value": value, meta: "0"}
        return True

    def add_meta_everywhere(self, entry):
        if entry[0] == "f":
            self.add_meta(entry[1], entry[2])
        elif entry[0] == "w":
            for path in list(self.slots):
                if path.rpartition(".")[0] == entry[1]:
                    self.add_meta(path, entry[2])
        else:
            _, table, column, meta = entry
            for path in list(self.slots):
                if path.startswith(table + "[") and path.endswith("]." + column):
                    self.add_meta(path, meta)

    # -- repairs
    def apply(self, action) -> bool:
        kind = action[0]
        if kind == "add":
            return self.add_missing(action[1])
        if kind == "text":
            _, var, spec = action
            return self.set_text(var[1], spec)
        if kind == "flag":
            _, path, value = action
            slot = self.slots.get(path)
            if slot is None:
                return self.add_field(path)
            container, key = slot
            if container[key] == value:
                return False
            container[key] = value
            return True
        return False

    def add_missing(self, entry) -> bool:
        kind = entry[0]
        if kind == "field":
            return self.add_field(entry[1])
        if kind == "meta":
            return self.add_meta(entry[1], entry[2])
        if kind == "table":
            return self.add_table(entry[1])
        if kind == "row":
            return self.add_row(entry[1], entry[2])
        if kind == "cell":
            return self.add_cell(entry[1], entry[2], entry[3])
        if kind == "wild":
            return self.add_wild(entry[1])
        if kind == "parent":
            code = entry[2]
            parent = code[:5] if len(code) == 7 else code[:3]
            return len(parent) < len(code) and self.add_row(entry[1], parent)
        return False

    def set_text(self, path: str, spec) -> bool:
        slot = self.slots.get(path)
        if slot is None:
            return False
        container, key = slot
        current = container[key]
        rnd = self.rnd
        if isinstance(spec, str):
            new = spec
        elif spec[0] == "one of":
            new = rnd.choice(sorted(spec[1]))
        elif spec[0] == "contains":
            new = current if spec[1] in str(current) else "示范市" + spec[1]
        else:  # ("other", values): anything else
            options = [t for t in _TEXT_POOL if t not in spec[1]]
            new = rnd.choice(options) if options else "其他说明"
        if new == current:
            return False
        container[key] = new
        return True

    # -- variables
    def var_specs(self) -> dict:
        specs = {}
        plan = self.plan
        for path, (container, key) in self.slots.items():
            decl = self.kinds[path]
            if decl.kind in ("text", "flag"):
                continue
            raw = container[key]
            metas = ["value"] + ([m for m in ("change", "pct") if m in raw] if isinstance(raw, dict) else [])
            figure_unit = raw.get("unit") if isinstance(raw, dict) else None
            for meta in metas:
                unit = plan.unit_of(decl, meta, figure_unit)
                dim = dimension_of(unit)
                kind = "percent" if meta == "pct" else decl.kind
                factor = Fraction(MONEY_UNITS[unit]) if dim == "money" else _ONE
                precision = plan.precision(kind, unit, meta)
                grid = Fraction(precision)
                if self.rounded and kind in ("amount", "percent"):
                    grid /= 100
                lower = _ZERO if (meta == "value" and kind in ("amount", "count")) else None
                if meta == "value" and kind == "number" and "year" in path:
                    lower = _ZERO
                specs[(path, meta)] = _VarSpec(path, meta, kind, unit, factor, precision, grid, lower)
        return specs

    def fill(self, values: Mapping, specs: Mapping, round_to_precision: bool, separators: set) -> dict:
        data = copy.deepcopy(self.data)
        slots = _slots_of(data, self)
        for key, value in values.items():
            spec = specs[key]
            path, meta = key
            decimal = _format_value(value, spec, round_to_precision)
            text = _with_separators(decimal) if key in separators else decimal
            container, slot_key = slots[path]
            current = container[slot_key]
            if isinstance(current, dict):
                current[meta] = text
            else:
                container[slot_key] = text
        return data


def _slots_of(data: dict, shape: _Shape) -> dict:
    """The shape's slots, re-pointed into a deep copy of its data."""
    out = {}
    for path, _ in shape.slots.items():
        table_match = _CELL_PATH.match(path)
        if table_match:
            table, code, column = table_match.groups()
            rows = _navigate(data, table)
            row = _find_row(rows, code)
            out[path] = (row, column)
        else:
            container = _navigate(data, path.rpartition(".")[0]) if "." in path else data
            out[path] = (container, path.rpartition(".")[2])
    return out


def _standard_name(code) -> str:
    code = str(code)
    if code in KNOWN_NAMES:
        return KNOWN_NAMES[code]
    if code[:3] in FUNCTION_CLASSES and len(code) == 3:
        return FUNCTION_CLASSES[code]
    if code[:3] in ECONOMIC_CLASSES and len(code) == 3:
        return ECONOMIC_CLASSES[code]
    base = FUNCTION_CLASSES.get(code[:3]) or ECONOMIC_CLASSES.get(code[:3]) or "其他"
    return f"{base.rstrip('支出')}·{code[3:]}"


def _is_figure(value) -> bool:
    return isinstance(value, dict) and "value" in value and all(
        k in ("value", "unit", "precision", "change", "pct", "printed", "label", "source") for k in value)


def _format_value(value: Fraction, spec: _VarSpec, round_to_precision: bool) -> str:
    decimal = _to_decimal(value)
    if round_to_precision and spec.kind in ("amount", "percent"):
        decimal = decimal.quantize(spec.precision, rounding=ROUND_HALF_UP)
    elif decimal == decimal.quantize(spec.precision):
        decimal = decimal.quantize(spec.precision)  # printed to its precision, not the finer grid
    else:
        places = _decimal_places(spec.grid)
        if places is not None and decimal == decimal.quantize(Decimal(1).scaleb(-places)):
            decimal = decimal.quantize(Decimal(1).scaleb(-places))
    text = format(decimal, "f")
    if text.startswith("-") and not decimal:
        text = text[1:]
    return text


def _decimal_places(grid: Fraction) -> int | None:
    places = 0
    while grid.denominator != 1 and places < 12:
        grid *= 10
        places += 1
    return places if grid.denominator == 1 else None


def _with_separators(text: str) -> str:
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    whole, dot, frac = body.partition(".")
    if len(whole) <= 3:
        return text
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + dot + frac


# ---- instantiating a ruleset on a shape -----------------------------------------------------------------------

@attrs.define
class _Instance:
    atoms: list
    opaque: set            # rule ids the evaluator must confirm afterwards
    missing: list
    fixes: list
    unsatisfied: list      # rule ids decided false by structure with no fix
    soft: list = attrs.field(factory=list)


def _instantiate(plan: _Plan, record: Record, rnd, explore: float = 0.15, avoid=frozenset()) -> _Instance:
    inst = _Instance([], set(), [], [], [])
    for rule in plan.rules:
        sym = _Sym(plan, record, rule)
        try:
            cond = _rule_condition(sym, rule)
        except _Missing as exc:
            inst.missing.extend(exc.entries)
            continue
        except (_Unsupported, _Problem):
            inst.opaque.add(rule.id)
            continue
        out, fixes = [], []
        if not _require(cond, True, rnd, out, fixes, explore, avoid):
            if fixes:
                inst.fixes.extend(fixes)
            else:
                inst.unsatisfied.append(rule.id)
            continue
        if sym.value_dependent:
            inst.opaque.add(rule.id)
        inst.atoms.extend(out)
        inst.soft.extend(sym.soft)
    return inst


def _rule_condition(sym: _Sym, rule: ast.Rule):
    when = sym.condition(rule.when) if rule.when is not None else TRUE
    if isinstance(when, Known) and not when.value:
        return TRUE
    assertion = rule.assertion
    if isinstance(assertion, ast.ForEach):
        conds, missing = [], []
        for item in sym.iterate(assertion.source):
            sym.env[assertion.var] = item
            sym.item = item.code if isinstance(item, Row) else None
            try:
                where = sym.condition(assertion.where) if assertion.where is not None else TRUE
                if isinstance(where, Known) and not where.value:
                    continue
                conds.append(_implies(where, sym.cond(assertion.body)))
            except _Missing as exc:
                missing.extend(exc.entries)
        sym.item = None
        if missing:
            raise _Missing(missing)
        body = _all_of(*conds)
    else:
        body = sym.cond(assertion)
    return _implies(when, body)


# ---- solving ---------------------------------------------------------------------------------------------------

class _System:
    """Linear equalities in grid units, solved by exact Gauss-Jordan elimination."""

    def __init__(self, specs: dict, order: list):
        self.specs = specs
        self.rank = {key: i for i, key in enumerate(order)}
        self.pivots: dict = {}      # pivot var → (row dict over free vars, const): u_p = Σ a·u_f + c
        self.rules_of: dict = {}

    def copy(self) -> "_System":
        other = _System(self.specs, [])
        other.rank = self.rank
        other.pivots = {k: (dict(row), c) for k, (row, c) in self.pivots.items()}
        other.rules_of = dict(self.rules_of)
        return other

    def add(self, lin: Lin, rule: str) -> None:
        """Add Σ coef·x + const = 0 (x in printed units → u in grid units)."""
        row = {}
        for key, c in lin.coef.items():
            if c:
                row[key] = row.get(key, _ZERO) + c * self.specs[key].factor_grid
        row = {k: v for k, v in row.items() if v}
        const = lin.const
        # substitute existing pivots
        for key in [k for k in row if k in self.pivots]:
            coef = row.pop(key)
            prow, pconst = self.pivots[key]
            for f, a in prow.items():
                value = row.get(f, _ZERO) + coef * a
                if value:
                    row[f] = value
                else:
                    row.pop(f, None)
            const += coef * pconst
        if not row:
            if const != 0:
                raise _Contradiction(f"the equalities of rule {rule} contradict those of rules "
                                     f"{', '.join(sorted(set(self.rules_of.values()))[:8])}")
            return
        pivot = min(row, key=lambda k: self.rank[k])
        a = row.pop(pivot)
        expr = {f: -v / a for f, v in row.items()}
        pconst = -const / a
        # eliminate the new pivot from the others
        for other, (orow, oconst) in list(self.pivots.items()):
            coef = orow.pop(pivot, None)
            if coef is None:
                continue
            for f, v in expr.items():
                value = orow.get(f, _ZERO) + coef * v
                if value:
                    orow[f] = value
                else:
                    orow.pop(f, None)
            self.pivots[other] = (orow, oconst + coef * pconst)
        self.pivots[pivot] = (expr, pconst)
        self.rules_of[pivot] = rule


def _heights(atoms: list) -> dict:
    """How "high" each variable sits in the equalities: totals above their parts."""
    below: dict = {}
    for atom in atoms:
        if atom.op != "=" or not isinstance(atom.left, Lin) or not isinstance(atom.right, Lin):
            continue
        left, right = atom.left.vars(), atom.right.vars()
        for one, many in ((left, right), (right, left)):
            if len(one) == 1 and len(many) >= 2 and one[0] not in many:
                below.setdefault(one[0], set()).update(many)
    heights: dict = {}
    for start in below:
        stack = [(start, iter(below.get(start, ())))]
        visiting = {start}
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                visiting.discard(node)
                heights[node] = 1 + max((heights.get(c, 0) for c in below.get(node, ()) if c not in visiting),
                                        default=-1)
                continue
            if child in heights or child in visiting or child not in below:
                continue
            visiting.add(child)
            stack.append((child, iter(below.get(child, ()))))
    return heights


def _magnitude(spec: _VarSpec, scale: float, rnd) -> float:
    """A realistic, positive value for a variable, in its printed unit (zeros come from the rules:
    balancing keeps a zero start at zero, which would pin figures a rule needs non-zero)."""
    if spec.kind == "amount" and spec.meta == "value":
        per_unit = float(Fraction(MONEY_UNITS["万元"]) / spec.factor)
        return scale * per_unit * 10 ** rnd.uniform(-2.5, 0)
    if spec.kind == "count" and spec.meta == "value":
        top = 120 if spec.unit == "人" else 12
        return float(rnd.randint(1, top))
    if spec.kind == "number":
        if "year" in spec.path:
            return float(rnd.randint(2018, 2030))
        return float(rnd.randint(1, 100))
    if spec.kind == "percent" or spec.meta == "pct":
        return rnd.uniform(-25, 25)
    return rnd.uniform(0, 100)


def _solve(shape: _Shape, inst: _Instance, rnd) -> tuple:
    """Values for every numeric variable of the shape meeting the instance's requirements."""
    specs = shape.var_specs()
    for spec in specs.values():
        spec.factor_grid = spec.factor * spec.grid  # base units per grid step
    equalities, inequalities, derived_candidates, post = [], [], [], []
    for atom in inst.atoms:
        a, b = atom.left, atom.right
        for key in (_deps(a) | _deps(b)):
            if key not in specs:
                raise _Retry()
        if isinstance(a, Lin) and isinstance(b, Lin):
            if atom.op == "=":
                equalities.append((a - b, atom))
            elif atom.op == "!=":
                # a convex choice: strictly greater (last year's figure is positive, an amount
                # a filter needs non-zero is positive)
                inequalities.append(Atom(">", a, b, atom.tolerance, False, atom.rule, atom.item))
            else:
                inequalities.append(atom)
        elif atom.op == "=":
            derived_candidates.append(atom)
        else:
            post.append(atom)
    # derived figures: one printed figure equal to a non-linear expression of others
    in_linear = set()
    for lin, _ in equalities:
        in_linear.update(lin.vars())
    derived: dict = {}
    for atom in derived_candidates:
        for lin, other in ((atom.left, atom.right), (atom.right, atom.left)):
            if isinstance(lin, Lin) and len(lin.vars()) == 1 and isinstance(other, NL):
                key = lin.vars()[0]
                if key not in in_linear and key not in derived and key not in other.deps:
                    derived[key] = (lin, other, atom)
                    break
        else:
            post.append(atom)
    # order columns: totals first, so that parts stay free
    heights = _heights(inst.atoms)
    order = sorted(specs, key=lambda k: (-heights.get(k, 0), rnd.random()))
    base_system = _System(specs, order)
    for lin, atom in equalities:
        base_system.add(lin, atom.rule)
    _pin_forced_zeros(base_system, specs, derived)
    scale = 10 ** rnd.uniform(1.5, 4.3)
    balance_rows = _balance_rows(equalities, specs, derived)
    blame: set = set()
    for _attempt in range(3):
        solved = _attempt_solve(specs, order, base_system, balance_rows, inequalities, derived,
                                scale, rnd, blame)
        if solved is None:
            continue
        values = solved
        inst.opaque.update(atom.rule for atom in post)
        if any(not _printable(v) for v in values.values()):
            raise GenerationError("the equalities need figures that cannot be printed as decimals")
        return values, specs
    retry = _Retry()
    retry.blame = blame
    raise retry


def _attempt_solve(specs, order, base_system, balance_rows, inequalities, derived, scale, rnd, blame):
    # 1. realistic non-negative figures, scaled until the equalities among them roughly hold
    x = {k: _magnitude(specs[k], scale, rnd) for k, spec in specs.items()
         if spec.meta == "value" and spec.lower is not None and k not in derived}
    for k, (row, c) in base_system.pivots.items():
        if not row and c == 0 and k in x:
            x[k] = 0.0
    _balance(x, balance_rows)
    system = base_system.copy()
    top = max(x.values(), default=0.0)
    if top:
        for k, v in x.items():
            if v <= 1e-7 * top and not (k in system.pivots and not system.pivots[k][0]):
                try:
                    system.add(Lin({k: _ONE}), "(zero)")
                except _Contradiction:
                    STATS["zero pin contradicts"] += 1
                    return None
    # 2. move the free variables into the region the inequalities allow; constraints that turn
    #    out tight are implicit equalities: make them explicit and go again
    z = None
    change_seed = rnd.random()
    for _round in range(4):
        free = [k for k in order if k not in system.pivots and k not in derived]
        step = dict.fromkeys(free, 1)
        for prow, _ in system.pivots.values():
            for g, a in prow.items():
                if a.denominator != 1 and g in step:
                    step[g] = _lcm((step[g], a.denominator))
        infeasible: list = []
        constraints = _constraints(specs, system, inequalities, derived, infeasible)
        if infeasible:
            STATS["decided false by the equalities"] += 1
            blame.update(a.key for a in infeasible if a is not None)
            return None
        z = _start(specs, free, system, x, z, scale, random.Random(change_seed))
        if _relax(z, constraints, step):
            break
        trial = dict(z)
        _relax(trial, constraints, step, rounding=False)
        tight = [c for c in constraints if _excess(c, trial) > -1e-7 * (1 + abs(c[1]))]
        if not tight or any(c[3] for c in tight):  # a strict inequality cannot be made an equality
            STATS["strict inequality cannot hold" if tight else "relaxation stuck"] += 1
            blame.update(c[6].key for c in tight if c[3] and c[6] is not None)
            return None
        try:
            for c in tight:
                system.add(c[5], "(tight)")
        except _Contradiction:
            STATS["tight constraint contradicts"] += 1
            return None
        z = trial
    else:
        STATS["relaxation rounds exhausted"] += 1
        return None
    # 3. exact values on the printed grid, and an exact check of everything
    exact_z = {}
    for f in free:
        s = step[f]
        u = round(z.get(f, 0.0) / s) * s
        if specs[f].lower is not None and u < 0:
            u = 0
        exact_z[f] = Fraction(u)
    units = dict(exact_z)
    for p, (prow, pconst) in system.pivots.items():
        units[p] = pconst + sum((a * exact_z[f] for f, a in prow.items()), _ZERO)
    values = {k: u * specs[k].grid for k, u in units.items()}
    if not _check_constraints(values, specs, inequalities, blame):
        return None
    try:
        _compute_derived(values, derived, specs)
    except _Undefined:
        STATS["derived figure undefined"] += 1
        return None
    if derived and not all(atom.holds(values) for atom in inequalities
                           if any(k in derived for k in atom.left.vars() + atom.right.vars())):
        STATS["inequality on a derived figure"] += 1
        return None
    STATS["solved"] += 1
    return values


def _start(specs, free, system, x, previous, scale, rnd) -> dict:
    """The starting point of the relaxation, in grid units: the balanced figures, and stated
    changes drawn relative to their figure's value."""
    z = {}
    for f in free:
        if previous is not None and f in previous:
            z[f] = previous[f]
        elif specs[f].meta == "value":
            value = x[f] if f in x else _magnitude(specs[f], scale, rnd)
            z[f] = value / float(specs[f].grid)
    prelim = _pivot_values_float(system, z)
    for f in free:
        if f in z:
            continue
        if specs[f].meta == "change":
            owner = (f[0], "value")
            base = prelim.get(owner, z.get(owner, 0.0))
            base_value = base * float(specs[owner].grid) if owner in specs else 10.0
            ratio = 0.0 if rnd.random() < 0.2 else rnd.uniform(-0.3, 0.3)
            z[f] = base_value * ratio / float(specs[f].grid)
        else:
            z[f] = _magnitude(specs[f], scale, rnd) / float(specs[f].grid)
    return z


def _excess(constraint, z) -> float:
    row, const, margin, strict, clamped, _lin, _atom = constraint
    return sum(v * z.get(f, 0.0) for f, v in row.items()) + const


def _printable(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _lcm(numbers) -> int:
    result = 1
    for n in numbers:
        result = result * n // math.gcd(result, n)
        if result > 10 ** 6:
            return result
    return result


def _pivot_values_float(system: _System, z: dict) -> dict:
    out = {}
    for p, (prow, pconst) in system.pivots.items():
        out[p] = float(pconst) + sum(float(a) * z.get(f, 0.0) for f, a in prow.items())
    return out


def _affine(lin_coef: dict, const: Fraction, system: _System, specs, derived) -> tuple | None:
    """Σ coef·x + const in terms of the free variables (grid units); None if it involves a
    derived figure (checked afterwards)."""
    row: dict = {}
    total = const
    for key, c in lin_coef.items():
        if not c:
            continue
        if key in derived:
            return None
        c = c * specs[key].grid
        if key in system.pivots:
            prow, pconst = system.pivots[key]
            total += c * pconst
            for f, a in prow.items():
                row[f] = row.get(f, _ZERO) + c * a
        else:
            row[key] = row.get(key, _ZERO) + c
    return {f: v for f, v in row.items() if v}, total


def _allowance(lin: Lin, specs) -> Fraction:
    """The rounding allowance the evaluator grants *lin*: Σ rad·half the printed precision."""
    return sum((r * Fraction(specs[k].precision) / 2 for k, r in lin.rad.items() if r and k in specs), _ZERO)


def _constraints(specs, system, inequalities, derived, infeasible: list) -> list:
    """Every inequality as (row over free vars, const, margin, strict, clamped, lin):
    Σ row·z + const ≤ -margin, where *lin* ≤ 0 is the constraint over the figures.  Constraints
    the equalities alone decide are checked here: the atoms that fail go to *infeasible*."""
    out = []

    def add(coef: dict, const: Fraction, margin: Fraction, strict: bool, bound_of=None, atom=None):
        affine = _affine(coef, const, system, specs, derived)
        if affine is None:
            return
        row, c = affine
        if not row:  # decided by the equalities alone: check it now
            if c > -margin or (strict and c >= 0) if margin else (c > 0 or (strict and c == 0)):
                infeasible.append(atom)
            return
        clamped = bound_of is not None and list(row) == [bound_of]  # rounding clamps it
        out.append(({f: float(v) for f, v in row.items()}, float(c), float(margin), strict, clamped,
                    Lin(dict(coef), const), atom))

    for key, spec in specs.items():
        if key in derived:
            continue
        if spec.lower is not None:
            add({key: -_ONE}, spec.lower, _ZERO, False, bound_of=key)
        if spec.meta == "change" and (spec.path, "value") in specs:
            # last year's figure (value - change) is not negative; where a growth rate is stated
            # it is large enough to stay non-zero once both figures are rounded
            rated = (spec.path, "pct") in specs
            add({(spec.path, "change"): spec.factor, (spec.path, "value"): -specs[(spec.path, "value")].factor},
                _ZERO, 2 * Fraction(spec.precision) * spec.factor if rated else _ZERO, rated)
    for atom in inequalities:
        lin = atom.left - atom.right if atom.op in ("<", "<=") else atom.right - atom.left
        margin = _allowance(atom.left, specs) + _allowance(atom.right, specs) if atom.robust else _ZERO
        add(lin.coef, lin.const, margin, atom.op in ("<", ">"), atom=atom)
    return out


def _relax(z: dict, constraints: list, step: dict, sweeps: int = 400, rounding: bool = True) -> bool:
    """Move the free variables into the feasible region (cyclic projection, over-relaxed).

    With *rounding*, each constraint keeps a margin for rounding the free variables to their
    steps afterwards; a variable's own lower bound needs none (the rounding is clamped)."""
    if not constraints:
        return True
    prepared = []
    for row, const, margin, strict, clamped, _lin, _atom in constraints:
        rounding_margin = sum(abs(v) * step.get(f, 1) / 2 for f, v in row.items()) if rounding and not clamped else 0.0
        if strict:  # one step of the finest variable in it
            rounding_margin += min(abs(v) * step.get(f, 1) for f, v in row.items())
        norm = sum(v * v for v in row.values())
        prepared.append((list(row.items()), const + margin + rounding_margin, norm))
    history = []
    for sweep in range(sweeps):
        moved = False
        total = 0.0
        for items, bound, norm in prepared:
            excess = bound
            for f, v in items:
                excess += v * z.get(f, 0.0)
            if excess > 1e-9 * (1 + abs(bound)):
                total += excess / math.sqrt(norm)
                t = 1.3 * excess / norm
                for f, v in items:
                    z[f] = z.get(f, 0.0) - t * v
                moved = True
        if not moved:
            return True
        history.append(total)
        if sweep >= 30 and total > 0.98 * history[-15]:
            return False  # stagnating: the constraints (with these margins) cannot all hold
    return False


def _check_constraints(values, specs, inequalities, blame=None) -> bool:
    for key, spec in specs.items():
        if key not in values:
            continue
        if spec.lower is not None and values[key] < spec.lower:
            STATS["exact check: negative figure"] += 1
            return False
        if spec.meta == "change" and (spec.path, "value") in values:
            prior = values[(spec.path, "value")] - values[key]
            if (spec.path, "pct") in specs and prior < 2 * Fraction(spec.precision):
                STATS["exact check: last year's figure too small for a rate"] += 1
                return False
            if prior < 0:
                STATS["exact check: negative prior"] += 1
                return False
    for atom in inequalities:
        if not all(k in values for k in atom.left.vars() + atom.right.vars()):
            continue
        if not atom.holds(values):
            STATS[f"exact check: {atom.op} of {atom.rule}"] += 1
            if blame is not None:
                blame.add(atom.key)
            return False
        if atom.robust and atom.op != "=":
            margin = _allowance(atom.left, specs) + _allowance(atom.right, specs)
            a, b = atom.left.value(values), atom.right.value(values)
            gap = (b - a) if atom.op in ("<", "<=") else (a - b)
            if gap < margin:
                return False
    return True


def _pin_forced_zeros(system: _System, specs, derived) -> None:
    """Make implicit equalities explicit: a row ``p = c + Σ a·z`` over non-negative figures with
    every ``a <= 0`` and ``c <= 0`` forces ``p`` and each ``z`` with ``a < 0`` to zero (e.g. columns
    that must add up to nothing).  Without this, rounding the free figures breaks them."""
    for _ in range(len(specs) + 1):
        found = []
        for p, (row, c) in system.pivots.items():
            if p in derived or specs[p].lower != 0 or not row or c > 0:
                continue
            if all(a <= 0 and specs[f].lower == 0 and f not in derived for f, a in row.items()):
                found.extend(f for f, a in row.items() if a < 0)
        if not found:
            return
        for f in dict.fromkeys(found):
            if f not in system.pivots:
                system.add(Lin({f: _ONE}), "(forced zero)")


def _balance_rows(equalities, specs, derived) -> list:
    """The equalities among non-negative figures only, split into their two positive sides."""
    rows = []
    for lin, _atom in equalities:
        keys = lin.vars()
        if not keys or any(specs[k].lower is None or k in derived for k in keys):
            continue
        pos = [(k, float(c)) for k, c in lin.coef.items() if c > 0]
        neg = [(k, float(-c)) for k, c in lin.coef.items() if c < 0]
        const = float(lin.const)
        rows.append((pos, neg, max(const, 0.0), max(-const, 0.0)))
    return rows


def _balance(x: dict, rows: list, sweeps: int = 150) -> None:
    """Scale non-negative figures multiplicatively until each equality's two sides agree
    (iterative proportional fitting): values stay positive and keep their magnitudes."""
    if not rows:
        return
    keys = list(x)
    index = {k: i for i, k in enumerate(keys)}
    v = [x[k] for k in keys]
    compiled = []
    for pos, neg, pc, nc in rows:
        if all(k in index for k, _ in pos) and all(k in index for k, _ in neg):
            compiled.append(([(index[k], c) for k, c in pos], [(index[k], c) for k, c in neg], pc, nc))
    sqrt = math.sqrt
    for _ in range(sweeps):
        worst = 0.0
        for pos, neg, pc, nc in compiled:
            pv = 0.0
            for i, c in pos:
                pv += c * v[i]
            nv = 0.0
            for i, c in neg:
                nv += c * v[i]
            p, n = pc + pv, nc + nv
            if p == n:
                continue
            gap = abs(p - n) / (p if p > n else n)
            if gap > worst:
                worst = gap
            if pv > 0 and nv > 0:
                d = pc - nc
                t = (-d + sqrt(d * d + 4 * pv * nv)) / (2 * pv)
                for i, _c in pos:
                    v[i] *= t
                for i, _c in neg:
                    v[i] /= t
            elif pv > 0:
                t = max(nc - pc, 0.0) / pv
                for i, _c in pos:
                    v[i] *= t
            elif nv > 0:
                t = max(pc - nc, 0.0) / nv
                for i, _c in neg:
                    v[i] *= t
        if worst < 1e-9:
            break
    for k, value in zip(keys, v):
        x[k] = value


def _compute_derived(values: dict, derived: dict, specs) -> None:
    pending = dict(derived)
    while pending:
        progress = False
        for key, (lin, expr, _atom) in list(pending.items()):
            if any(d in pending for d in expr.deps):
                continue
            base = expr.value(values)
            coef = lin.coef[key]
            exact_value = (base - lin.const) / coef
            grid = Fraction(specs[key].precision)  # printed as a publisher would: rounded once
            steps = _to_decimal(exact_value / grid).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            values[key] = Fraction(steps) * grid
            del pending[key]
            progress = True
        if not progress:
            raise _Undefined("derived figures depend on each other")


# ---- generation --------------------------------------------------------------------------------------------------

_MAX_SHAPES = 12


def generate_record(ruleset, *, seed=None, rnd: random.Random | None = None, rounded: bool = False,
                    optional_absent: bool = True) -> dict:
    """One record (a plain mapping) satisfying *ruleset*; see :func:`records`.

    *ruleset* is a :class:`~fiscalrules.Ruleset`, a rule file path or a bundled ruleset name.
    Deterministic for a given *seed* (or :class:`random.Random` *rnd*).  Raises
    :class:`GenerationError` when the ruleset cannot be satisfied.
    """
    plan = _plan(ruleset)
    rnd = rnd if rnd is not None else random.Random(seed)
    failures = []
    shape = None
    for _ in range(_MAX_SHAPES):
        shape = _Shape(plan, rnd, rounded, optional_absent)
        shape.build()
        try:
            inst = _settle(shape, rnd)
        except (_Retry, FiscalRulesError):  # FiscalRulesError: a shape the record loader refuses
            failures.append("retry")
            continue
        solved = None
        blamed: set = set()
        for branch in range(4):  # the same shape, other choices of branches (or / if / when)
            if branch:  # avoid what failed, and explore other branches more and more
                inst = _instantiate(plan, load_record(shape.data), rnd, explore=0.1 * branch,
                                    avoid=frozenset(blamed))
                if inst.missing or inst.fixes or inst.unsatisfied:
                    break
            try:
                solved = _solve(shape, inst, rnd)
                break
            except _Contradiction as exc:
                failures.append(str(exc))
            except _Retry as exc:
                blamed.update(getattr(exc, "blame", ()))
                failures.append("retry")
        if solved is None:
            continue
        values, specs = solved
        separators = {k for k, v in values.items() if specs[k].kind == "amount" and abs(v) >= 1000
                      and rnd.random() < 0.05}
        exact_data = shape.fill(values, specs, False, set())
        if inst.opaque and not _confirmed(plan, exact_data, inst.opaque):
            failures.append("unconfirmed")
            continue
        data = shape.fill(values, specs, rounded, separators)
        if rnd.random() < 0.5:
            data["_meta"] = {"id": f"generated-{rnd.randrange(10 ** 6):06d}"}
        return data
    hard = sorted(set(getattr(shape, "last_unsatisfied", [])))
    contradictions = [f for f in failures if f not in ("retry", "unconfirmed")]
    detail = f": rules {', '.join(hard)} are decided false by the record's structure" if hard else ""
    if contradictions:
        detail = ": " + contradictions[-1]
    elif failures.count("unconfirmed") > _MAX_SHAPES // 2:
        detail = ": the rules it cannot solve exactly (comparisons that are not linear, value-dependent conditions) kept failing"
    
    raise GenerationError(f"could not generate a record satisfying ruleset {plan.checked.name} after "
                          f"{_MAX_SHAPES} shapes{detail}", Location(plan.checked.files[0] if plan.checked.files else None))


def _settle(shape: _Shape, rnd) -> _Instance:
    """Grow the shape until every rule can be evaluated and its structure allows it to hold."""
    soft_rounds = 2
    for _ in range(60):
        record = load_record(shape.data)
        inst = _instantiate(shape.plan, record, rnd)
        shape.last_unsatisfied = inst.unsatisfied
        if inst.unsatisfied:
            raise _Retry()
        progress = False
        if soft_rounds and inst.soft:
            soft_rounds -= 1
            for entry in inst.soft:
                if rnd.random() < 0.8:
                    progress = shape.add_missing(entry) or progress
        if not inst.missing and not inst.fixes and not progress:
            return inst
        for entry in inst.missing:
            progress = shape.add_missing(entry) or progress
        for action in inst.fixes:
            progress = shape.apply(action) or progress
        if not progress:
            raise _Retry()
    raise _Retry()


def _confirmed(plan: _Plan, data: dict, rule_ids: set) -> bool:
    record = load_record(data)
    for rule_id in rule_ids:
        compiled = plan.compiled.get(rule_id)
        if compiled is None:
            continue
        for finding in compiled.evaluate(record):
            if finding.status not in ("pass", "pass_rounding", "not_applicable"):
                return False
    return True


def records(ruleset, *, rounded: bool = False, optional_absent: bool = True):
    """A hypothesis strategy of records (plain mappings) that satisfy *ruleset*.

    * every linear equality of every rule holds exactly (or, with ``rounded=True``, holds for
      the unrounded figures, which are then rounded to their printed precision: 万元 to 0.01,
      percentages to 0.01, counts stay whole);
    * inequalities hold, amounts and counts are non-negative, figures look like a budget;
    * tables have classification codes nesting by prefix (function 3/5/7 digits, economic 3/5);
    * with ``optional_absent`` some figures, columns, rows and stated changes are left out --
      never one that a rule then lacks (every rule is evaluable on every record generated).

    *ruleset* is a :class:`~fiscalrules.Ruleset`, a rule file path or a bundled ruleset name.
    Generation is seeded from hypothesis, so failures replay; shrinking is by seed only.
    """
    from hypothesis import strategies as st

    rs = _as_ruleset(ruleset)
    _plan(rs)  # fail early on rulesets the generator cannot read

    @st.composite
    def _records(draw):
        seed = draw(st.integers(min_value=0, max_value=2 ** 63 - 1))
        return generate_record(rs, seed=seed, rounded=rounded, optional_absent=optional_absent)

    return _records()


# ---- analysis of a given record: the equalities it must satisfy --------------------------------------------------

@attrs.frozen
class Equality:
    """One linear equality a rule asserts on a record (one row of a ``for each``)."""

    rule: str
    item: str | None
    left: Lin = attrs.field(eq=False, repr=False)
    right: Lin = attrs.field(eq=False, repr=False)
    tolerance: Tolerance = attrs.field(eq=False, repr=False)
    conditional: bool = False   # decided under a value-dependent condition (when / where / or)

    @property
    def variables(self) -> dict:
        """Net coefficient of each figure variable ``(path, meta)`` (zero ones left out)."""
        out = dict((self.left - self.right).coef)
        return {k: c for k, c in out.items() if c}

    def check(self, values: Mapping, radii: Mapping) -> tuple:
        """(difference, allowance) in base units for the given values and half-widths."""
        left, right = self.left.value(values), self.right.value(values)
        slack = sum((r * radii.get(k, _ZERO) for k, r in self.left.rad.items()), _ZERO)
        slack += sum((r * radii.get(k, _ZERO) for k, r in self.right.rad.items()), _ZERO)
        tol = self.tolerance
        if tol.relative:
            extra = Fraction(tol.amount) / 100 * max(abs(left), abs(right))
        elif self.left.dim == "money" or self.right.dim == "money":
            extra = Fraction(tol.money)
        else:
            extra = Fraction(tol.amount)
        return left - right, slack + extra


class RecordModel:
    """The linear equalities a ruleset asserts on one record, and the figures taking part."""

    def __init__(self, ruleset: Ruleset, data, equalities: list, figures: dict, factors: dict):
        self.ruleset = ruleset
        self.data = data
        self.equalities = equalities
        self.figures = figures        # (path, meta) → (Figure, decl)
        self.factors = factors        # (path, meta) → unit factor (base units per printed unit)

    def participants(self, include_conditional: bool = False) -> list:
        """Figure variables ``(path, meta)`` with a non-zero net coefficient in an equality."""
        seen = {}
        for eq in self.equalities:
            if eq.conditional and not include_conditional:
                continue
            for key in eq.variables:
                seen.setdefault(key, None)
        return list(seen)

    def equalities_of(self, key, include_conditional: bool = False) -> list:
        return [eq for eq in self.equalities if key in eq.variables and (include_conditional or not eq.conditional)]

    def violated(self, data=None, include_conditional: bool = False) -> list:
        """Equalities that fail beyond their allowance on *data* (default: this model's record),
        with (difference, allowance) in base units -- what the evaluator must report."""
        values, radii = _values_and_radii(self.ruleset, data if data is not None else self.data, self.figures)
        out = []
        for eq in self.equalities:
            if eq.conditional and not include_conditional:
                continue
            try:
                diff, allowed = eq.check(values, radii)
            except KeyError:
                continue
            if abs(diff) > allowed:
                out.append((eq, diff, allowed))
        return out

    def threshold(self, key) -> Fraction | None:
        """The smallest change (printed units) of figure *key* that breaks one of its equalities."""
        values, radii = _values_and_radii(self.ruleset, self.data, self.figures)
        best = None
        for eq in self.equalities_of(key):
            diff, allowed = eq.check(values, radii)
            need = (allowed - abs(diff)) / abs(eq.variables[key])
            best = need if best is None else min(best, need)
        return best


def analyze(ruleset, record) -> RecordModel:
    """The linear equalities *ruleset* asserts on *record* (a mapping in the record model).

    Rules are instantiated on the record's structure as the generator does (``for each`` per row,
    ``children()`` per code, wildcards per member); rules that are not evaluable on it, and
    comparisons that are not linear, contribute nothing.
    """
    rs = _as_ruleset(ruleset)
    plan = _plan(rs)
    data = record
    rec = load_record(record)
    equalities, figures, factors = [], {}, {}
    values_cache = {}
    for rule in plan.rules:
        sym = _Sym(plan, rec, rule)
        try:
            cond = _rule_condition(sym, rule)
        except (_Missing, _Unsupported, _Problem):
            continue
        figures.update(sym.figures)
        factors.update(sym.factors)
        values_cache.update({k: _figure_meta(f, k[1]) for k, (f, _) in sym.figures.items()})
        conditional = sym.value_dependent
        _collect(cond, True, conditional, values_cache, equalities)
    return RecordModel(rs, data, equalities, figures, factors)


def _figure_meta(figure, meta) -> Fraction:
    raw = figure.value if meta == "value" else getattr(figure, meta)
    return Fraction(raw)


def _collect(cond, want, conditional, values, out):
    if isinstance(cond, Known):
        return
    if isinstance(cond, Atom):
        op = cond.op if want else _NEGATE[cond.op]
        if op == "=" and isinstance(cond.left, Lin) and isinstance(cond.right, Lin):
            out.append(Equality(cond.rule, cond.item, cond.left, cond.right, cond.tolerance,
                                conditional or cond.robust))
        return
    if isinstance(cond, Negation):
        _collect(cond.item, not want, conditional, values, out)
        return
    conjunctive = isinstance(cond, AllOf) == want
    if conjunctive:
        for item in cond.items:
            _collect(item, want, conditional, values, out)
        return
    for item in cond.items:  # a disjunction: none of its equalities is necessary on its own
        _collect(item, want, True, values, out)


def _figure_index(rec: Record) -> dict:
    index = dict(rec.figures)
    for table in rec.tables.values():
        for row in table.rows:
            for figure in row.cells.values():
                index[figure.path] = figure
    return index


def _values_and_radii(ruleset: Ruleset, data, figures: dict) -> tuple:
    rec = data if isinstance(data, Record) else load_record(data)
    index = _figure_index(rec)
    settings = ruleset.settings
    values, radii = {}, {}
    with localcontext(CONTEXT):
        for key, (_, decl) in figures.items():
            path, meta = key
            figure = index.get(path)
            if figure is None:
                continue
            raw = figure.value if meta == "value" else getattr(figure, meta)
            if not isinstance(raw, Decimal) or isinstance(raw, bool):
                continue
            q = settings.to_quantity(figure, decl, meta)
            values[key] = Fraction(raw)
            factor = Fraction(q.point) / Fraction(raw) if raw else _unit_factor(ruleset, figure, decl, meta)
            radii[key] = Fraction(q.hi - q.point) / factor if factor else _ZERO
    return values, radii


def _unit_factor(ruleset, figure, decl, meta) -> Fraction:
    plan = _plan(ruleset)
    unit = plan.unit_of(decl, meta, figure.unit)
    return Fraction(MONEY_UNITS[unit]) if dimension_of(unit) == "money" else _ONE


# ---- perturbations ----------------------------------------------------------------------------------------------

PERTURBATION_KINDS = ("amount", "sign", "digits", "drop")


@attrs.frozen
class Perturbation:
    """A record derived from another with exactly one printed figure changed."""

    kind: str                 # amount | sign | digits | drop
    path: str                 # the figure changed (as findings name it in their operands)
    meta: str                 # which number of it: value, change or pct
    old: str
    new: str
    record: dict = attrs.field(repr=False, eq=False)
    description: str = ""
    expected: tuple = attrs.field(default=(), repr=False, eq=False)  # (Equality, diff, allowance)

    @property
    def must_fail(self) -> bool:
        """True when some equality containing the figure now misses by more than its allowance:
        the evaluator must then report a failure naming ``path``."""
        return bool(self.expected)


def _parse_cell_path(path: str):
    return _CELL_PATH.match(path)


_CELL_PATH = re.compile(r"^(?P<table>.+?)\[(?P<code>[^\]]*)\]\.(?P<column>[^.\[\]]+)$")


def _navigate(data, path: str):
    node = data
    if not path:
        return node
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _find_row(rows, code: str):
    if not isinstance(rows, list):
        return None
    for i, row in enumerate(rows, start=1):
        if row is None:
            continue
        row_code = None
        if isinstance(row, Mapping) and not _is_figure(row):
            raw = row.get("code")
            if isinstance(raw, Mapping):
                raw = raw.get("value")
            if raw is not None:
                row_code = str(int(raw)) if isinstance(raw, Decimal) and raw == raw.to_integral_value() else str(raw).strip()
        if (row_code if row_code is not None else str(i)) == code:
            return row
    return None


def _locate(data, path: str):
    """(container, key) holding the figure at *path* inside a record mapping."""
    match = _CELL_PATH.match(path)
    if match:
        rows = _navigate(data, match.group("table"))
        row = _find_row(rows, match.group("code"))
        if row is None:
            return None
        if not isinstance(row, Mapping) or _is_figure(row):
            index = rows.index(row)
            return rows, index
        return row, match.group("column")
    parent, _, key = path.rpartition(".")
    container = _navigate(data, parent) if parent else data
    if not isinstance(container, Mapping) or key not in container:
        return None
    return container, key


def _read_raw(data, path: str, meta: str):
    loc = _locate(data, path)
    if loc is None:
        return None
    container, key = loc
    current = container[key]
    if isinstance(current, Mapping):
        return current.get(meta)
    return current if meta == "value" else None


def _write_raw(data, path: str, meta: str, text: str) -> None:
    container, key = _locate(data, path)
    current = container[key]
    if isinstance(current, Mapping):
        current = dict(current)
        current[meta] = text
        current.pop("printed", None)
        container[key] = current
    else:
        container[key] = text


def _plain_number(raw) -> str | None:
    if raw is None or isinstance(raw, bool):
        return None
    text = format(raw, "f") if isinstance(raw, Decimal) else str(raw)
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")).replace(",", "")
    text = text.replace("\u2212", "-").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return None
    return text.lstrip("+")


def _shift(text: str, delta: Fraction) -> str:
    value = Decimal(text)
    places = max(-value.as_tuple().exponent, 0)
    new = _to_decimal(Fraction(value) + delta)
    quantum = Decimal(1).scaleb(-places)
    if new != new.quantize(quantum):
        new_text = format(new.normalize(), "f")
    else:
        new_text = format(new.quantize(quantum), "f")
    return new_text[1:] if new_text.startswith("-") and Decimal(new_text) == 0 else new_text


def perturb(ruleset, record, kind: str, rnd: random.Random, *, target=None, amount=None,
            model: RecordModel | None = None) -> Perturbation | None:
    """Derive *record* with one figure changed (see :func:`perturbations`); None when no figure
    taking part in an equality admits this kind of change.  *target* is ``(path, meta)``."""
    if kind not in PERTURBATION_KINDS:
        raise ValueError(f"unknown perturbation kind {kind!r} (kinds: {', '.join(PERTURBATION_KINDS)})")
    model = model or analyze(ruleset, record)
    candidates = [target] if target is not None else model.participants()
    candidates = [k for k in candidates if _plain_number(_read_raw(record, k[0], k[1])) is not None]
    if kind == "drop":
        options = []
        for key in candidates:
            for eq in model.equalities_of(key):
                for total_side, terms_side in ((eq.left, eq.right), (eq.right, eq.left)):
                    if total_side.vars() == [key] and len(terms_side.vars()) >= 1:
                        for term in terms_side.vars():
                            raw = _plain_number(_read_raw(record, term[0], term[1]))
                            if raw is not None and Decimal(raw) != 0 and term != key:
                                options.append((key, term, total_side.coef[key], terms_side.coef[term]))
        if not options:
            return None
        options.sort(key=lambda o: (o[0], o[1]))
        key, term, c_total, c_term = rnd.choice(options)
        old = _plain_number(_read_raw(record, *key))
        term_value = Fraction(Decimal(_plain_number(_read_raw(record, *term))))
        delta = -(c_term * term_value) / c_total
        new = _shift(old, delta)
        description = f"dropped {term[0]}{_meta_suffix(term[1])} ({format(Decimal(_plain_number(_read_raw(record, *term))), 'f')}) from the total {key[0]}{_meta_suffix(key[1])}"
        return _finish(ruleset, record, model, "drop", key, old, new, description)
    rnd_candidates = sorted(candidates)
    rnd.shuffle(rnd_candidates)
    for key in rnd_candidates:
        old = _plain_number(_read_raw(record, *key))
        if kind == "sign":
            if Decimal(old) == 0:
                continue
            new = old[1:] if old.startswith("-") else "-" + old
            return _finish(ruleset, record, model, kind, key, old, new, f"flipped the sign of {key[0]}{_meta_suffix(key[1])}")
        if kind == "digits":
            positions = [i for i in range(len(old) - 1)
                         if old[i].isdigit() and old[i + 1].isdigit() and old[i] != old[i + 1]
                         and not (i == _first_digit(old) and old[i + 1] == "0" and _int_len(old) > 1)]
            if not positions:
                continue
            i = rnd.choice(positions)
            new = old[:i] + old[i + 1] + old[i] + old[i + 2:]
            return _finish(ruleset, record, model, kind, key, old, new,
                           f"swapped digits {old[i]}{old[i + 1]} of {key[0]}{_meta_suffix(key[1])}")
        if kind == "amount":
            if amount is not None:
                delta = Fraction(Decimal(str(amount)))
            else:
                delta = _beyond_threshold(model, key, old, rnd)
                if delta is None:
                    continue
            new = _shift(old, delta)
            pert = _finish(ruleset, record, model, kind, key, old, new,
                           f"changed {key[0]}{_meta_suffix(key[1])} by {format(_to_decimal(delta).normalize(), 'f')}")
            if amount is None:
                for _ in range(30):  # relative tolerances grow with the figure: go further if needed
                    if pert.must_fail:
                        break
                    delta *= 2
                    new = _shift(old, delta)
                    pert = _finish(ruleset, record, model, kind, key, old, new,
                                   f"changed {key[0]}{_meta_suffix(key[1])} by {format(_to_decimal(delta).normalize(), 'f')}")
            return pert
    return None


def _first_digit(text: str) -> int:
    return 1 if text.startswith("-") else 0


def _int_len(text: str) -> int:
    return len(text.lstrip("-").split(".")[0])


def _meta_suffix(meta: str) -> str:
    return "" if meta == "value" else f" ({'stated change' if meta == 'change' else 'stated percentage'})"


def _beyond_threshold(model: RecordModel, key, old: str, rnd) -> Fraction | None:
    threshold = model.threshold(key)
    if threshold is None:
        return None
    exponent = Decimal(old).as_tuple().exponent
    step = Fraction(Decimal(1).scaleb(min(exponent, 0)))
    base = max(threshold, _ZERO) + step
    magnitude = base * Fraction(10 ** rnd.randint(0, 3)) + step * rnd.randint(0, 99)
    # stay on the printed grid of the figure
    magnitude = (magnitude / step).__ceil__() * step
    return magnitude if rnd.random() < 0.5 else -magnitude


def _finish(ruleset, record, model, kind, key, old, new, description) -> Perturbation:
    data = copy.deepcopy(record)
    _write_raw(data, key[0], key[1], new)
    expected = tuple((eq, d, a) for eq, d, a in model.violated(data) if key in eq.variables)
    return Perturbation(kind, key[0], key[1], old, new, data, description, expected)


def perturbations(ruleset, record, kinds=PERTURBATION_KINDS, *, amount=None):
    """A hypothesis strategy of :class:`Perturbation` of *record*: one figure that takes part in
    a linear equality of *ruleset*, changed in one of *kinds*:

    * ``amount`` -- by *amount* (printed units of the figure), or by a random amount beyond the
      smallest change its equalities can notice (their rounding allowance plus tolerance);
    * ``sign`` -- its sign flipped;
    * ``digits`` -- two adjacent different digits swapped (``329.94`` → ``329.49``);
    * ``drop`` -- a total recomputed without one of its terms.

    Draws ``None`` when no figure of the record admits the kinds asked for.
    """
    from hypothesis import strategies as st

    rs = _as_ruleset(ruleset)
    model = analyze(rs, record)

    @st.composite
    def _perturbations(draw):
        kind = draw(st.sampled_from(list(kinds)))
        seed = draw(st.integers(min_value=0, max_value=2 ** 63 - 1))
        rnd = random.Random(seed)
        result = perturb(rs, record, kind, rnd, amount=amount, model=model)
        if result is None:
            for other in kinds:
                result = perturb(rs, record, other, rnd, amount=amount, model=model)
                if result is not None:
                    break
        return result

    return _perturbations()


def changed_by(ruleset, record, amount=None):
    """:func:`perturbations` of kind ``amount``."""
    return perturbations(ruleset, record, ("amount",), amount=amount)


def sign_flipped(ruleset, record):
    """:func:`perturbations` of kind ``sign``."""
    return perturbations(ruleset, record, ("sign",))


def digits_swapped(ruleset, record):
    """:func:`perturbations` of kind ``digits``."""
    return perturbations(ruleset, record, ("digits",))


def term_dropped(ruleset, record):
    """:func:`perturbations` of kind ``drop``."""
    return perturbations(ruleset, record, ("drop",))


# ---- order independence helpers -----------------------------------------------------------------------------------

def shuffled_record(record, rnd: random.Random):
    """A copy of *record* with every mapping's keys in another order and the rows of coded
    tables shuffled (rows without codes keep their order: their position is their identity)."""
    if isinstance(record, Mapping):
        items = list(record.items())
        if not _is_figure(record):
            rnd.shuffle(items)
        return {k: shuffled_record(v, rnd) for k, v in items}
    if isinstance(record, list):
        rows = [shuffled_record(v, rnd) for v in record]
        if rows and all(isinstance(r, Mapping) and r.get("code") is not None for r in rows):
            rnd.shuffle(rows)
        return rows
    return record


def reordered_ruleset(ruleset, rnd: random.Random) -> Ruleset:
    """The same ruleset with its rules (and field declarations) in another order."""
    rs = _as_ruleset(ruleset)
    rules = list(rs.checked.rules)
    rnd.shuffle(rules)
    fields = list(rs.checked.fields.items())
    rnd.shuffle(fields)
    return Ruleset(attrs.evolve(rs.checked, rules=tuple(rules), fields=dict(fields)))


def findings_digest(report) -> list:
    """A report's findings as comparable data: sorted, operands as a set of paths."""
    out = []
    for finding in report.findings:
        data = finding.to_dict()
        data["operands"] = sorted(o["path"] for o in data.get("operands", ()))
        out.append(data)
    return sorted(out, key=lambda d: (str(d["record"]), d["rule"], str(d["item"]), repr(d)))


# ---- inline examples as pytest tests -------------------------------------------------------------------------------

@attrs.frozen
class ExampleCase:
    """One inline example of one rule of a rule file (or the file itself, when it cannot load)."""

    source: str
    rule: str | None
    index: int
    expect: str
    line: int | None = None
    allow_outside: bool = False

    @property
    def id(self) -> str:
        name = Path(self.source).name
        if self.rule is None:
            return f"{name}::load"
        return f"{name}::{self.rule}#{self.index}-{self.expect}"


_EXAMPLE_RULESETS: dict = {}


def _load_cached(source: str, allow_outside: bool) -> Ruleset:
    key = (str(Path(source).resolve()) if Path(source).exists() else source, allow_outside)
    rs = _EXAMPLE_RULESETS.get(key)
    if rs is None:
        rs = _EXAMPLE_RULESETS[key] = load_ruleset(source, allow_outside=allow_outside)
    return rs


def example_cases(*paths, allow_outside: bool = False) -> list:
    """Every inline example of the given rule files (or bundled ruleset names) as
    :class:`ExampleCase`; a file that cannot be loaded gives one case that fails with the reason."""
    cases = []
    for entry in _flatten_paths(paths):
        source = str(entry)
        try:
            rs = _load_cached(source, allow_outside)
        except FiscalRulesError:
            cases.append(ExampleCase(source, None, 0, "load", None, allow_outside))
            continue
        for compiled in sorted(rs.rules, key=lambda r: (r.rule.span.file or "", r.rule.span.line)):
            for index, example in enumerate(compiled.rule.examples, start=1):
                cases.append(ExampleCase(source, compiled.id, index, example.expect,
                                         example.span.line or None, allow_outside))
    return cases


def _flatten_paths(paths):
    for entry in paths:
        if isinstance(entry, (list, tuple)):
            yield from _flatten_paths(entry)
        else:
            yield entry


def check_example(case: ExampleCase) -> None:
    """Run one example; raise AssertionError saying what the rule did instead."""
    try:
        rs = _load_cached(case.source, case.allow_outside)
    except FiscalRulesError as exc:
        raise AssertionError(f"{case.source} cannot be loaded:\n{exc.format()}") from None
    for result in rs.run_examples():
        if result.rule == case.rule and result.index == case.index:
            if not result.ok:
                where = f"{result.file}:{result.line}" if result.file else case.source
                got = ", ".join(result.statuses) or "no finding"
                raise AssertionError(f"{where}: rule {case.rule} example {case.index} should {case.expect}, "
                                     f"got {got}" + (f": {result.detail}" if result.detail else ""))
            return
    raise AssertionError(f"{case.source}: rule {case.rule} has no example {case.index}")


def pytest_examples(*paths, allow_outside: bool = False):
    """A pytest test function running every inline example of the given rule files, one test
    per example.  In a test module::

        from fiscalrules.testing import pytest_examples
        test_rule_examples = pytest_examples("rules/my_checks.rules")
    """
    import pytest

    cases = example_cases(*paths, allow_outside=allow_outside)

    @pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in cases])
    def test_rule_example(case):
        check_example(case)

    return test_rule_example
