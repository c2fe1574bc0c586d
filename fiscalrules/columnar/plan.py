"""The columnar plan: a rule's resolved AST compiled into closures over whole columns.

Each expression becomes a closure ``f(run, domain)`` giving one entry per element of the
:class:`~.vectors.Domain` -- the records of a chunk, or the rows a ``for each`` binds: a
:class:`~.columns.Num` for numbers (scaled int64 point and interval), a :class:`~.columns.Text`,
a :class:`~.vectors.Cond` for conditions and flags (EXACT, ROUNDING, FAIL), a
:class:`~.vectors.RowRef` for rows, a :class:`~.vectors.Lst` for lists.  Each carries the masks of
the elements where evaluation stopped on a missing figure or on an error, combined in the
per-record evaluator's order of evaluation, so that every element gets the status
:mod:`fiscalrules.evaluator` gives it: the first operand that raises decides, ``and`` / ``or`` /
``if … then`` / ``coalesce`` / ``in {…}`` forgive a missing side exactly where the closures of
:mod:`fiscalrules.compiler` do, comparisons are :func:`fiscalrules.values.decide` on integers.

An expression that does not read a variable of the ``for each`` it sits in is computed once per
record (or per element of the enclosing loop) and gathered to the rows (*lifted*), and one that
several rules compute is computed once per chunk: :mod:`.sharing`.  Lists and loops are in
:mod:`.lists`, text comparisons and functions in :mod:`.texts`.  What is not compiled raises :class:`~.columns.Unsupported` with a
reason, and that rule runs on the per-record engine (``Ruleset.explain`` lists which and why).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .. import ast
from ..chains import depth
from ..values import MONEY_UNITS, dimension_of
from . import arith, logic, texts
from .arith import Quot
from .columns import Num, Text, Unsupported
from .kernel import compiled, int64s
from .tables import _WIDE
from .sharing import NOT_SHARED, Shared, cacheable, defers, free_vars, lifted
from .vectors import EXACT, FAIL, ROUNDING, Cond, RowRef, mask_or, seq

__all__ = ["compile_rule", "Run", "Shared", "STATUS_CODES", "PASS", "PASS_ROUNDING", "FAILED", "NOT_APPLICABLE",
           "NOT_EVALUABLE", "ERROR", "UNREADABLE", "EXACT", "ROUNDING", "FAIL"]

NUMERIC_KINDS = ("amount", "count", "number", "percent")
# A rule deeper than this -- a chain (a + b + …, a and b and …) counts a level per link -- is left
# to the per-record engine, which walks chains in a loop: the plan and its closures recurse once
# per level (fiscalrules.chains).  Sums of up to ~200 terms were planned before chains were read.
MAX_PLAN_DEPTH = 200
KIND_OF = {"amount": "num", "count": "num", "number": "num", "percent": "num", "text": "text", "flag": "cond"}
STATUS_CODES = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
PASS, PASS_ROUNDING, FAILED, NOT_APPLICABLE, NOT_EVALUABLE, ERROR = range(6)
UNREADABLE = 255


class Run:
    """One rule over one chunk: the chunk, cached values, and the records the columnar plan
    leaves to the per-record engine (``deferred``)."""

    __slots__ = ("batch", "cache", "deferred")

    def __init__(self, batch):
        self.batch, self.cache, self.deferred = batch, {}, None

    def defer(self, dom, rows) -> None:
        if rows is None:
            return
        if self.deferred is None:
            self.deferred = np.zeros(self.batch.n, dtype=bool)
        self.deferred[dom.records[rows]] = True


class Compiler:
    """Compiles expressions in a scope (the loop variables bound around them, outermost first)."""

    def __init__(self, settings, tolerance, shared: Shared | None = None, rule: int = 0):
        self.settings = settings
        self.tolerance = tolerance
        self._free: dict = {}
        self._defers: dict = {}
        self._var_kinds: dict = {}
        self._var_sources: dict = {}   # loop variable → what it is bound to (a key of Shared)
        self._lookups: dict = {}       # (lookup, table, key expression) → its key in Domain.memo
        self.shared, self.rule = shared, rule
        self._tolerance_key = tolerance   # (hashable: frozen; equal tolerances decide alike)
        from . import lists
        self.lists = lists

    # -- dispatch ----------------------------------------------------------------------------------
    def compile(self, node, scope: tuple) -> tuple:
        """(closure, kind) for *node*; kinds: num, text, cond, row, quot, list:<kind>."""
        free = free_vars(node, self._free)
        need = max((len(scope) - scope[::-1].index(v) for v in free if v in scope), default=0)
        if need < len(scope):  # reads nothing bound here: once per outer element, then gathered
            fn, kind = self.compile(node, scope[:need])
            return self._shared(lifted(fn, need), node, scope), kind
        fn, kind = self._compile(node, scope)
        return self._shared(fn, node, scope), kind

    def scope_key(self, node, scope: tuple) -> tuple:
        """What names *node* over the domain of *scope* among a ruleset's rules."""
        return (node, tuple((v, self._var_sources.get(v)) for v in scope), self._tolerance_key)

    def _shared(self, fn, node, scope: tuple):
        shared = self.shared
        if shared is None or isinstance(node, NOT_SHARED) or defers(node, self._defers):
            return fn
        key = shared.note(self.scope_key(node, scope), self.rule)

        def cached(run, dom):
            if key not in shared.hot:
                return fn(run, dom)
            store = run.batch.shared
            found = store.get(key)
            if found is None:
                found = store[key] = cacheable(fn(run, dom))
            return found
        return cached

    def _compile(self, node, scope):  # noqa: C901 - one branch per node kind
        t = type(node)
        if t is ast.Number:
            if node.unit in MONEY_UNITS:
                value = arith.constant(node.value * MONEY_UNITS[node.unit], "money")
            else:
                value = arith.constant(node.value, dimension_of(node.unit))
            return (lambda run, dom: value), "num"
        if t is ast.String:
            text = node.value
            return (lambda run, dom: Text(np.zeros(dom.n, dtype=np.int64), [text])), "text"
        if t is ast.Boolean:
            out = EXACT if node.value else FAIL
            return (lambda run, dom: Cond(np.full(dom.n, out, dtype=np.int8))), "cond"
        if t is ast.FieldRef:
            return self.field(node.path)
        if t is ast.Wildcard:
            return self.lists.wildcard(self, node.prefix, "value"), "list:num"
        if t is ast.TableRef:
            return self.lists.table_rows(node.path), "list:row:" + node.path
        if t is ast.VarRef:
            name = node.name
            kind = self._var_kinds.get(name)
            if kind is None:  # pragma: no cover - every variable is bound by a loop compiled first
                raise Unsupported("a variable outside its loop")
            return (lambda run, dom: dom.bound(name)), kind
        if t is ast.Column:
            return self.lists.column(self, node, scope)
        if t is ast.Lookup:
            return self.lookup(node, scope)
        if t is ast.Unary:
            operand = self.number(node.operand, scope)
            return (lambda run, dom: arith.neg(operand(run, dom))), "num"
        if t is ast.Binary:
            return self.binary(node, scope)
        if t is ast.Compare:
            return self.compare(node, scope), "cond"
        if t is ast.Member:
            return self.member(node, scope), "cond"
        if t is ast.Not:
            inner = self.condition(node.operand, scope)
            flip = np.array([FAIL, ROUNDING, EXACT], dtype=np.int8)

            def not_(run, dom):
                c = inner(run, dom)
                return Cond(flip[c.out], c.miss, c.err)
            return not_, "cond"
        if t is ast.And:
            return logic.and_(self.condition(node.left, scope), self.condition(node.right, scope)), "cond"
        if t is ast.Or:
            return logic.or_(self.condition(node.left, scope), self.condition(node.right, scope)), "cond"
        if t is ast.Implies:
            return logic.implies(self.condition(node.cond, scope), self.condition(node.then, scope)), "cond"
        if t is ast.ForEach:
            return self.lists.for_each(self, node, scope), "cond"
        if t is ast.Comprehension:
            return self.lists.comprehension(self, node, scope)
        if t is ast.Call:
            return self.call(node, scope)
        raise Unsupported(f"{t.__name__.lower()} expressions")

    def number(self, node, scope):
        fn, kind = self.compile(node, scope)
        if kind != "num":
            raise Unsupported(f"a {kind} where a number is needed")
        return fn

    def condition(self, node, scope):
        fn, kind = self.compile(node, scope)
        if kind != "cond":
            raise Unsupported(f"a {kind} where a condition is needed")
        return fn

    # -- fields ------------------------------------------------------------------------------------
    def field(self, path: str):
        settings = self.settings
        decl = settings.decl_for(path)
        kind = decl.kind if decl is not None else "amount"
        default = decl.default if decl is not None else None
        if kind == "text":
            return (lambda run, dom: run.batch.frame.text(path, default)), "text"
        if kind == "flag":
            return _flag_field(path, default), "cond"
        if kind not in NUMERIC_KINDS:
            raise Unsupported(f"{kind} fields")
        if default is None:
            return (lambda run, dom: run.batch.frame.num(path, decl)), "num"
        fill = _default_quantity(default, kind, decl.unit, settings.default_unit)

        def with_default(run, dom):
            return with_fill(run.batch.frame.num(path, decl), fill, dom.n)
        return with_default, "num"

    # -- lookups -----------------------------------------------------------------------------------
    def lookup(self, node: ast.Lookup, scope):
        if not isinstance(node.table, ast.TableRef):
            raise Unsupported("a lookup in something other than a table")
        path = node.table.path
        key, kind = self.compile(node.key, scope)
        if kind != "text":
            raise Unsupported("a lookup by a number")

        # The same lookup in one domain is made once: a rule often asks for a row in its filter
        # and again in its body (``where present(T[r.code]): r.total = T[r.code].amount``).
        # (one key object per distinct lookup of the rule: a key holding the expression would be
        # hashed over its whole tree on every look)
        memo_key = self._lookups.setdefault(("lookup", path, node.key), object())
        constant = node.key.value.strip() if isinstance(node.key, ast.String) else None

        def lookup(run, dom):
            found = dom.memo.get(memo_key)
            if found is not None:
                return found
            table = run.batch.table(path)
            book = run.batch.book
            recs = dom.records
            if constant is not None:    # T["302"]: one scan of the codes, not a search per record
                rows = _last_row_with_code(table, book.id(constant))[recs]
                found = dom.memo[memo_key] = RowRef(table, rows, _nonempty(~table.present[recs] | (rows < 0)))
                return found
            k = key(run, dom)
            ids = _code_ids(run.batch, k.texts)
            rows = _find(table, recs, ids[k.codes] if len(ids) else np.zeros(dom.n, dtype=np.int64))
            stopped = mask_or(k.miss, k.err)
            missing = ~table.present[recs] | (rows < 0)
            miss = mask_or(k.miss, missing & ~stopped if stopped is not None else missing)
            found = dom.memo[memo_key] = RowRef(table, rows, _nonempty(miss), k.err)
            return found
        return lookup, "row:" + path

    # -- arithmetic --------------------------------------------------------------------------------
    def binary(self, node: ast.Binary, scope):
        left, lk = self.compile(node.left, scope)
        right, rk = self.compile(node.right, scope)
        op = node.op
        if op == "/":
            if lk != "num" or rk != "num":
                raise Unsupported("a quotient of a quotient")
            return (lambda run, dom: Quot(left(run, dom), right(run, dom))), "quot"
        if "quot" in (lk, rk):
            if op != "*" or {lk, rk} != {"quot", "num"}:
                raise Unsupported("division (quotients are only compared, or scaled by a constant)")
            if lk == "quot":
                return (lambda run, dom: left(run, dom).scaled(right(run, dom))), "quot"
            return (lambda run, dom: right(run, dom).scaled(left(run, dom))), "quot"
        if lk != "num" or rk != "num":
            raise Unsupported(f"arithmetic on a {lk if lk != 'num' else rk}")
        if op == "+":
            return (lambda run, dom: arith.add(left(run, dom), right(run, dom))), "num"
        if op == "-":
            return (lambda run, dom: arith.add(left(run, dom), right(run, dom), -1)), "num"
        return (lambda run, dom: arith.mul(left(run, dom), right(run, dom))), "num"

    # -- comparisons -------------------------------------------------------------------------------
    def compare(self, node: ast.Compare, scope):
        left, lk = self.compile(node.left, scope)
        right, rk = self.compile(node.right, scope)
        op = node.op
        tolerance = self.tolerance
        if lk == rk == "num":
            return lambda run, dom: arith.decide(op, left(run, dom), right(run, dom), tolerance, dom.n)
        if {lk, rk} == {"num", "quot"}:
            quotient_first = lk == "quot"

            def quotient(run, dom):
                a, b = left(run, dom), right(run, dom)
                q, plain = (a, b) if quotient_first else (b, a)
                cond, tie = arith.decide_quotient(op, plain, q, tolerance, dom.n, quotient_first)
                run.defer(dom, tie)
                return cond
            return quotient
        if lk == rk == "text" and op in ("=", "!=") and ast.String in (type(node.left), type(node.right)):
            # A text against a constant (``i.table = "project"``): one look at each distinct text.
            text, constant = (right, node.left.value) if type(node.left) is ast.String else (left, node.right.value)
            wanted = {constant.strip()}

            def text_is(run, dom):
                a = text(run, dom)
                holds = texts.text_in(a, wanted, dom.n)
                return Cond(np.where(holds if op == "=" else ~holds, np.int8(EXACT), np.int8(FAIL)), a.miss, a.err)
            return text_is
        if lk == rk == "text" and op in ("=", "!="):
            def text_compare(run, dom):
                a, b = left(run, dom), right(run, dom)
                miss, err = seq((a, b))
                equal = texts.same_text(a, b, dom.n)
                holds = equal if op == "=" else ~equal
                return Cond(np.where(holds, EXACT, FAIL).astype(np.int8), miss, err)
            return text_compare
        if lk == rk == "cond" and op in ("=", "!="):
            def flag_compare(run, dom):
                a, b = left(run, dom), right(run, dom)
                miss, err = seq((a, b))
                equal = (a.out == FAIL) == (b.out == FAIL)
                holds = equal if op == "=" else ~equal
                return Cond(np.where(holds, EXACT, FAIL).astype(np.int8), miss, err)
            return flag_compare
        raise Unsupported(f"comparing a {lk} with a {rk}")

    def member(self, node: ast.Member, scope):
        item, ik = self.compile(node.item, scope)
        if ik not in ("num", "text"):
            raise Unsupported(f"membership of a {ik}")
        options = []
        for option in node.options:
            fn, kind = self.compile(option, scope)
            if kind not in ("num", "text"):
                raise Unsupported(f"membership in a set holding a {kind}")
            options.append((fn, kind))
        tolerance, negated = self.tolerance, node.negated
        if ik == "text" and all(type(option) is ast.String for option in node.options):
            # ``i.unit in {"元", "万元", "亿元"}``: one look at each distinct text for every option.
            wanted = {option.value.strip() for option in node.options}
            found, missed = (FAIL, EXACT) if negated else (EXACT, FAIL)

            def text_member(run, dom):
                value = item(run, dom)
                holds = texts.text_in(value, wanted, dom.n)
                stopped = mask_or(value.miss, value.err)
                if stopped is not None:     # (a stopped element keeps the outcome of no match)
                    holds = holds & ~stopped
                return Cond(np.where(holds, np.int8(found), np.int8(missed)), value.miss, value.err)
            return text_member

        def member(run, dom):
            n = dom.n
            value = item(run, dom)
            miss, err = value.miss, value.err
            best = np.full(n, FAIL, dtype=np.int8)
            searching = ~mask_or(miss, err) if mask_or(miss, err) is not None else np.ones(n, dtype=bool)
            for fn, kind in options:
                if not searching.any():
                    break
                candidate = fn(run, dom)
                stops = mask_or(candidate.miss, candidate.err)
                if stops is not None:
                    if candidate.miss is not None:
                        miss = mask_or(miss, candidate.miss & searching)
                    if candidate.err is not None:
                        err = mask_or(err, candidate.err & searching)
                    searching = searching & ~stops
                if ik == kind == "num":
                    outcome = arith.decide("=", value, candidate, tolerance, n).out
                elif ik == kind == "text":
                    outcome = np.where(texts.same_text(value, candidate, n), EXACT, FAIL)
                else:  # a number against a text: never equal (their printed forms differ)
                    outcome = np.full(n, FAIL, dtype=np.int8)
                best = np.where(searching, np.minimum(best, outcome), best).astype(np.int8)
                searching = searching & (best != EXACT)
            if negated:
                best = np.array([FAIL, ROUNDING, EXACT], dtype=np.int8)[best]
            return Cond(best, _nonempty(miss), _nonempty(err))
        return member

    # -- calls ---------------------------------------------------------------------------------------
    def call(self, node: ast.Call, scope):  # noqa: C901 - one branch per function
        name = node.func
        lists = self.lists
        if name in ("sum", "count", "min", "max", "children", "change", "pct", "prior"):
            return lists.call(self, node, scope)
        if name == "abs":
            arg = self.number(node.args[0], scope)
            return (lambda run, dom: arith.absolute(arg(run, dom))), "num"
        if name == "present":
            inner, _ = self.compile(node.args[0], scope)

            def present(run, dom):
                v = inner(run, dom)
                if v.miss is None:
                    return Cond(np.zeros(dom.n, dtype=np.int8), None, v.err)
                return Cond(v.miss.view(np.int8) * np.int8(FAIL), None, v.err)   # (FAIL where missing)
            return present, "cond"
        if name == "coalesce":
            return self.coalesce(node, scope)
        if name == "level":
            row, kind = self.row_argument(node, scope)

            def level(run, dom):
                r = row(run, dom)
                index = self.lists.rows_of(r)
                if index is None:
                    levels = np.zeros(dom.n, dtype=np.int64)
                else:   # (every row of the table, in order: its levels as they are)
                    levels = r.table.level()
                    levels = levels if r.idx is r.table._cache.get("identity") else levels.take(index)
                return Num(levels, 0, "number", miss=r.miss, err=r.err, bound=3)
            return level, "num"
        if name == "parent":
            row, kind = self.row_argument(node, scope)

            def parent(run, dom):
                r = row(run, dom)
                index = self.lists.rows_of(r)
                up = r.table.parent_rows(False)[index] if index is not None else np.full(dom.n, -1, dtype=np.int64)
                missing = up < 0
                stopped = mask_or(r.miss, r.err)
                miss = mask_or(r.miss, missing & ~stopped if stopped is not None else missing)
                return RowRef(r.table, up, _nonempty(miss), r.err)
            return parent, kind
        if name in ("contains", "startswith", "similarity", "length"):
            return self.text_function(node, scope)
        raise Unsupported(f"{name}()")

    def row_argument(self, node: ast.Call, scope) -> tuple:
        """(closure, kind) of the row a row function (``level``, ``parent``) is given."""
        row, kind = self.compile(node.args[0], scope)
        if not kind.startswith("row:"):
            raise Unsupported(f"{node.func}() of something other than a row")
        return row, kind

    def coalesce(self, node: ast.Call, scope):
        options = [self.compile(a, scope) for a in node.args]
        kinds = {kind for _, kind in options}
        if len(kinds) != 1 or next(iter(kinds)) not in ("num", "text", "cond"):
            raise Unsupported("coalesce() of values of different kinds")
        kind = kinds.pop()

        def coalesce(run, dom):
            n = dom.n
            result = None
            looking = np.ones(n, dtype=bool)       # rows still taking the next option
            miss = err = None
            for i, (fn, _) in enumerate(options):
                v = fn(run, dom)
                last = i == len(options) - 1
                here = looking if last or v.miss is None else looking & ~v.miss
                if v.err is not None:
                    err = mask_or(err, v.err & here)
                if last and v.miss is not None:
                    miss = v.miss & looking
                result = v if result is None else _choose(kind, here, v, result, n)
                if not last and v.miss is not None:
                    looking = looking & v.miss
                else:
                    break
            return _with_masks(result, _nonempty(miss), _nonempty(err))
        return coalesce, kind

    def text_function(self, node: ast.Call, scope):
        return texts.text_function(self, node, scope)


def _last_row_with_code(table, key_id: int) -> np.ndarray:
    """Per record of the chunk, its last row whose code is *key_id* (-1 for none): what
    ``table.find`` gives for one code asked of every record (rows come by record, in order)."""
    match = np.flatnonzero(table.code_id == key_id)
    out = np.full(table.n, -1, dtype=np.int64)
    if len(match):
        owners = table.rec[match]
        last = np.ones(len(match), dtype=bool)
        last[:-1] = owners[1:] != owners[:-1]
        out[owners[last]] = match[last]
    return out


def _code_ids(batch, texts: list) -> np.ndarray:
    """The code book's id of every text of a key vector (stripped), worked out once per chunk
    for each list of texts: the same key column is looked up by several rules."""
    key = ("code ids", id(texts))
    found = batch.kept.get(key)
    if found is None or found[0] is not texts or found[1] != len(texts):   # (a list grown since: again)
        book = batch.book
        found = batch.kept[key] = (texts, len(texts),
                                   np.array([book.id(text.strip()) for text in texts], dtype=np.int64))
    return found[2]


def _find(table, recs, key_ids) -> np.ndarray:
    """``table.find(recs, key_ids)``: with the kernels, each element's row searched among its own
    record's keys only (a few entries), not among every row of the chunk."""
    c = compiled()
    if c is None or not len(key_ids) or (key_ids == key_ids[0]).all():   # (one code: find's own pass)
        return table.find(recs, key_ids)
    keys, order = table._rows_index(False)
    out = np.empty(len(key_ids), dtype=np.int64)
    try:
        c.find(keys, int64s(order), table.starts, int64s(recs), int64s(key_ids), _WIDE, out)
    except ValueError:      # (a record outside the chunk: the kernel refuses it, find's search has no row for it)
        return table.find(recs, key_ids)
    return out


def _nonempty(mask):
    return mask if mask is not None and mask.any() else None


def _with_masks(value, miss, err):
    if isinstance(value, Num):
        if value.half is not None:
            return Num(value.pt, value.exp, value.dim, half=value.half, miss=miss, err=err, bound=value.bound)
        return Num(value.pt, value.exp, value.dim, lo=value._lo, hi=value._hi, miss=miss, err=err, bound=value.bound)
    if isinstance(value, Text):
        return Text(value.codes, value.texts, miss, err)
    return Cond(value.out, miss, err)


def _choose(kind: str, pick, a, b, n: int):
    """*a* where *pick*, else *b* (values only)."""
    if kind == "num":
        return arith.choose(pick, a, b, n)
    if kind == "text":
        texts = b.texts + a.texts
        codes = np.where(pick, np.asarray(a.codes) + len(b.texts), np.asarray(b.codes))
        return Text(codes, texts)
    return Cond(np.where(pick, a.out, b.out).astype(np.int8))


def _default_quantity(default: Decimal, kind: str, unit, default_unit) -> Num:
    """A declared default, as the per-record closures make it: exact, money in 元."""
    if kind == "amount":
        factor = MONEY_UNITS.get(unit or default_unit or "元")
        if factor is None:
            raise Unsupported("a default in a unit that is not money")
        return arith.constant(default * factor, "money")
    return arith.constant(default, "number")


def with_fill(value: Num, fill: Num, n: int) -> Num:
    """*value* with *fill* where it is missing (a declared default: exact where it stands in)."""
    if value.miss is None:
        return value
    value = value.whole()
    exp = min(value.exp, fill.exp)
    value, filled = value.at(exp), fill.at(exp)
    miss = value.miss
    bound = arith.checked(max(value.bound, filled.bound))
    if value.owned and not isinstance(filled.pt, np.ndarray):   # (a temporary of its own: filled in place)
        pt = value.pt
        np.copyto(pt, filled.pt, where=miss)
    else:
        pt = np.where(miss, filled.pt, value.pt)
    dim = value.dim if value.dim == fill.dim or value.dim == "mixed" or \
        (value.dim != "money") == (fill.dim != "money") else "mixed"
    if value.half is not None:
        return Num(pt, exp, dim, half=np.where(miss, 0, value.half), err=value.err, bound=bound)
    return Num(pt, exp, dim, lo=np.where(miss, filled.pt, value.lo), hi=np.where(miss, filled.pt, value.hi),
               err=value.err, bound=bound)


def _flag_field(path: str, default):
    """A flag field: true or false, missing unless declared with a default, an error when the
    figure holds something else."""
    def flag(run, dom):
        values, present, is_flag = run.batch.frame.flags(path)
        if default is not None:
            values = np.where(present, values, bool(default))
            present_all = None
            err = _nonempty(present & ~is_flag)
        else:
            present_all = _nonempty(~present)
            err = _nonempty(present & ~is_flag)
        return Cond(np.where(values, EXACT, FAIL).astype(np.int8), present_all, err)
    return flag


# ---- rules -------------------------------------------------------------------------------------------

def compile_rule(compiled_rule, shared: Shared | None = None, index: int = 0):
    """A closure ``f(run) -> RuleResult`` for a compiled rule, or Unsupported.  With *shared*,
    the expressions it computes as other rules do are noted (*index*: the rule's place in the
    plan) and, once ``shared.freeze()`` is called, computed once per chunk for all of them."""
    from ..evaluator import _tolerance
    from .rulebody import compile_rule_body
    rule = compiled_rule.rule
    for part in (rule.when, rule.assertion):   # a plan recurses once per level, a chain's links too
        if part is not None and depth(part) > MAX_PLAN_DEPTH:
            raise Unsupported(f"an expression more than {MAX_PLAN_DEPTH} levels deep (a long sum?)")
    compiler = Compiler(compiled_rule.settings, _tolerance(rule.tolerance, compiled_rule.settings), shared, index)
    compiler._var_kinds = {}
    when = compiler.condition(rule.when, ()) if rule.when is not None else None
    return compile_rule_body(compiler, rule.assertion, when)
