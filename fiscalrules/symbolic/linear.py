"""Symbolic evaluation of a rule over a record's structure into linear forms and conditions
(:class:`_Sym`, :func:`_rule_condition`): figures become variables, arithmetic exact linear
forms, structure-dependent conditions are decided (see the package docstring).  The rule
language's functions are :mod:`.calls`'; :func:`_deep_recursion` lets the evaluation nest as
deeply as rules do.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from fractions import Fraction

from .. import ast
from ..held_settings import HeldSetting
from ..records import Record, Row
from ..rowstore import RowView
from ..values import MONEY_UNITS, contradicts_kind, dimension_of, format_decimal
from .calls import _Calls
from .forms import (_COND, _ONE, _ZERO, FALSE, NL, TRUE, Atom, Known, Lin, Txt, _add_dim, _all_of, _any_of,
                    _checked_div, _div_dim, _DivisionByZero, _implies, _Missing, _mul_dim, _negation, _nl, _Problem,
                    _to_decimal, _Unsupported)
from .plan import SymbolicPlan


_SKIP = object()   # an item a ``where`` (or a comprehension's ``if``) leaves out

_MONEY_FACTORS = {unit: Fraction(factor) for unit, factor in MONEY_UNITS.items()}


class _Sym(_Calls):
    """Evaluates a resolved rule over a :class:`Record` symbolically (see the module docstring;
    the rule language's functions: :class:`~.calls._Calls`)."""

    def __init__(self, plan: SymbolicPlan, record: Record, rule: ast.Rule):
        self.plan, self.record, self.rule = plan, record, rule
        self.env: dict = {}
        tolerance = plan.tolerances.get(rule.id)
        if tolerance is None or tolerance[0] is not rule:
            tolerance = plan.tolerances[rule.id] = (rule, plan.tolerance(rule))
        self.tolerance = tolerance[1]
        self.in_condition = 0
        self.item = None
        self.value_dependent = False
        self.factors: dict = {}
        self.figures: dict = {}
        self.soft: list = []       # figures a coalesce() did without (realism: usually add them)

    # A rule's nodes are evaluated one by one, some hundred thousand per generated record: the
    # method for a node's type is looked up by name once per class and type, then taken from here.
    _methods: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._methods = {}   # a subclass's own methods are looked up for it

    def ev(self, node):
        method = self._methods.get(type(node))
        if method is None:
            method = getattr(type(self), "_" + type(node).__name__, None)
            if method is None:
                raise _Unsupported(type(node).__name__)
            self._methods[type(node)] = method
        return method(self, node)

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
        # a literal's exact value, converted from its Decimal once per node (see number_values)
        # (and the constant form itself: a Lin is never changed once made, so one serves every use)
        known = self.plan.number_values.get(id(node))
        if known is None or known[0] is not node:
            if node.unit in MONEY_UNITS:
                value, dim = Fraction(node.value) * Fraction(MONEY_UNITS[node.unit]), "money"
            else:
                value, dim = Fraction(node.value), dimension_of(node.unit)
            known = self.plan.number_values[id(node)] = (node, Lin.constant(value, dim))
        return known[1]

    def _String(self, node):
        return Txt(node.value)

    def _Boolean(self, node):
        return TRUE if node.value else FALSE

    def _VarRef(self, node):
        return self.env[node.name]

    def numvar(self, figure, decl, meta="value") -> Lin:
        raw = figure.value if meta == "value" else getattr(figure, meta)
        if type(raw) is not Decimal and (isinstance(raw, bool) or not isinstance(raw, Decimal)):
            raise _Problem(f"{figure.path} is {raw!r}, not a number")
        # The form of a figure variable depends on its path, meta and printed unit alone (its
        # declaration is the path's): made once per ruleset, as a Lin is never changed once made.
        path = figure.path
        made = self.plan.variable_lins.get((path, meta, figure.unit))
        if made is None:
            facts = _variable_facts(self.plan, decl, meta, figure.unit)
            if facts is None:
                raise _Problem(f"{path} is not in a unit of its declared kind")
            factor, dim = facts
            key = (path, meta)
            made = self.plan.variable_lins[(path, meta, figure.unit)] = (
                key, factor, Lin({key: factor}, _ZERO, {key: factor}, dim))
        key = made[0]
        self.factors[key] = made[1]
        self.figures[key] = (figure, decl)
        return made[2]

    def default_value(self, decl):
        made = self.plan.default_values.get(id(decl))   # once per declaration (see numvar)
        if made is None or made[0] is not decl:
            if decl.kind == "amount":
                unit = decl.unit or self.plan.default_unit or "元"
                lin = Lin.constant(Fraction(decl.default) * Fraction(MONEY_UNITS[unit]), "money")
            else:
                lin = Lin.constant(Fraction(decl.default))
            made = self.plan.default_values[id(decl)] = (decl, lin)
        return made[1]

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

    def under(self, prefix: str) -> list:
        """The figures a wildcard ``prefix.*`` reaches (missing where there are none)."""
        figures = self.record.under(prefix)
        if not figures:
            raise _Missing([("wild", prefix)])
        return figures

    def _Wildcard(self, node):
        return [self.numvar(f, self.plan.decl_for(f.path)) for f in self.under(node.prefix)]

    def _TableRef(self, node):
        table = self.record.tables.get(node.path)
        if table is None:
            raise _Missing([("table", node.path)])
        rows = table.rows
        return rows if type(rows) is RowView else list(rows)   # a packed table's rows: made as read

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
            if not isinstance(figure.value, bool):
                raise _Problem(f"{figure.path} is not true or false")
            return Known(figure.value, [("flag", figure.path, not figure.value)])
        if kind == "number" and (row.table, column) in getattr(self.plan, "categories", ()) \
                and isinstance(figure.value, Decimal):
            # a category the rules compare with numbers (`r.level = 1`): part of the record's
            # structure, as a text is, so a filter on it is decided rather than solved for
            return Lin(None, Fraction(figure.value), {}, "number")
        return self.numvar(figure, decl)

    def _Column(self, node):
        obj = self.ev(node.obj)
        if isinstance(obj, Row):
            return self.cell(obj, node.name)
        if isinstance(obj, (list, RowView)):
            # _gather(lambda row: self.cell(row, name), obj), without a call of the lambda per row
            out, missing, name = [], [], node.name
            for row in obj:
                try:
                    out.append(self.cell(row, name))
                except _Missing as exc:
                    missing.extend(exc.entries)
            if missing:
                raise _Missing(missing)
            return out
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
        return NL(lambda v: -fn(v), value.deps, value.dim, value.divisors)

    def ev_all(self, nodes) -> list:
        """Evaluate every node, gathering what all of them miss (so the shape grows at once)."""
        return self._gather(self.ev, nodes)

    def ev_pair(self, left, right) -> tuple:
        """:meth:`ev_all` of two nodes (the sides of a comparison or an operation, most of the
        evaluations), without its list and closure."""
        try:
            a = self.ev(left)
        except _Missing as exc:
            missing = exc.entries
        else:
            return a, self.ev(right)
        try:
            self.ev(right)
        except _Missing as exc:
            missing = missing + exc.entries
        raise _Missing(missing)   # (outside the handler: no exception held as its context)

    def _Binary(self, node):
        a, b = self.ev_pair(node.left, node.right)
        a, b = self._num(a), self._num(b)
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
                raise _DivisionByZero("division by zero")
            return a.scaled(1 / b.const, dim)
        return _nl(_checked_div, a, b, dim)

    def _Compare(self, node):
        a, b = self.ev_pair(node.left, node.right)
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
        if isinstance(items, Row) or not isinstance(items, (list, RowView)):
            items = [items]
        return items

    def each(self, node, visit, keep=None, itemised: bool = False, items=None) -> list:
        """``visit()`` once per item of a ``for each`` or a comprehension, with its variable bound
        to the item (and restored afterwards); what the visits return, but :data:`_SKIP`.  The
        figures missing in any item are all reported together (every row's, not the first's).
        *keep* leaves out the table rows it refuses; *itemised* names each row's instance by its
        code (``sym.item``), as a rule checked row by row does; *items*: the items to visit, where
        not all of the source's (a comprehension's rows looked up: symbolic.joined)."""
        out, missing = [], []
        saved = self.env.get(node.var)
        if items is None:
            items = self.iterate(node.source)
        if keep is not None and type(items) is RowView:
            # A packed table's rows are made only where kept (keep reads a row's table and code).
            items, keep = items.kept(keep), None
        try:
            for item in items:
                if keep is not None and isinstance(item, Row) and not keep(item):
                    continue
                self.env[node.var] = item
                if itemised:
                    self.item = item.code if isinstance(item, Row) else None
                try:
                    result = visit()
                except _Missing as exc:
                    missing.extend(exc.entries)
                    continue
                if result is not _SKIP:
                    out.append(result)
        finally:
            self.env[node.var] = saved
            if itemised:
                self.item = None
        if missing:
            raise _Missing(missing)
        return out

    def every_row(self, node: ast.ForEach, keep=None, itemised: bool = False):
        """The condition a ``for each`` puts on its items: each one's body, where its ``where`` holds."""
        def one():
            where = self.condition(node.where) if node.where is not None else TRUE
            if isinstance(where, Known) and not where.value:
                return _SKIP
            return _implies(where, self.cond(node.body))
        return _all_of(*self.each(node, one, keep, itemised))

    def _ForEach(self, node):
        return self.every_row(node)

    def _Comprehension(self, node):
        def one():
            if node.cond is not None:
                where = self.cond(node.cond)
                if not isinstance(where, Known):
                    raise _Unsupported("a filter that depends on amounts")
                if not where.value:
                    return _SKIP
            return self.ev(node.elem)
        return self.each(node, one)


def _variable_facts(plan: SymbolicPlan, decl, meta: str, figure_unit) -> tuple | None:
    """``(factor, dimension)`` of a figure variable of *decl* and *meta* printed in *figure_unit*,
    or None where the unit contradicts the kind (an amount not in money, a count in money or %, a
    percentage not in %).  The same for every figure
    of a declaration, meta and unit: worked out once per plan (see :attr:`SymbolicPlan.variable_facts`)."""
    key = (id(decl), meta, figure_unit)
    known = plan.variable_facts.get(key, _SKIP)
    if known is not _SKIP:
        return known
    kind = decl.kind if decl is not None else "amount"
    unit = plan.unit_of(decl, meta, figure_unit)
    dim = dimension_of(unit)
    if contradicts_kind(kind, dim, meta):
        facts = None   # (the evaluator's problem too: Settings._plan)
    else:
        if kind == "number" and meta == "value":
            dim = "number"
        facts = (_MONEY_FACTORS[unit] if dim == "money" else _ONE, dim)
    plan.variable_facts[key] = facts
    plan.variable_decls.append(decl)   # held, so that its id is not reused while it is a key
    return facts


def _text_flips(a: Txt, b: Txt, want_equal: bool):
    flips = []
    for this, other in ((a, b), (b, a)):
        if this.var is not None:
            flips.append(("text", this.var, other.value if want_equal else ("other", (other.value,))))
            break
    return flips


def _rule_condition(sym: _Sym, rule: ast.Rule, keep=None):
    """The condition *rule* puts on the record; with *keep*, a top-level ``for each`` over table
    rows is instantiated only for the rows ``keep(row)`` accepts."""
    when = sym.condition(rule.when) if rule.when is not None else TRUE
    if isinstance(when, Known) and not when.value:
        return TRUE
    assertion = rule.assertion
    if isinstance(assertion, ast.ForEach):
        body = sym.every_row(assertion, keep, itemised=True)
    else:
        body = sym.cond(assertion)
    return _implies(when, body)


_RECURSION = HeldSetting()


def _deep_recursion(limit: int = 20_000):
    """Rules may nest as deeply as the checker accepts; the symbolic evaluation takes a few
    (pure Python) frames per level.

    The recursion limit is the interpreter's, shared by every thread: it is raised while at least
    one caller is inside and restored when the last leaves (:class:`~fiscalrules.held_settings.HeldSetting`)."""
    def raise_limit() -> int:
        saved = sys.getrecursionlimit()
        sys.setrecursionlimit(max(saved, limit))
        return saved
    return _RECURSION.held(raise_limit, sys.setrecursionlimit)
