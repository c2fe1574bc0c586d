"""A rule over a table's rows as one program, run by the C kernel in one pass over the rows.

``for each r in T.rows where F: B`` costs the numpy plan a whole-column operation (and a
temporary) per operator, mask and narrowing -- ~50 passes over the table's rows per rule.  When
F and B are made of what this module covers, the rule's per-row statuses come instead from
``_ckernel.rows_program``: the rows taken a block at a time, every instruction over the block.

Covered (the *operators*): ``+ - *``, unary minus, ``abs``, a division compared (``L op N / D
× k``, k a constant: :func:`.arith.decide_quotient`'s cross-multiplication), comparisons of
numbers (:func:`.arith.decide`, an absolute tolerance), ``present``, ``and`` / ``or`` / ``if …
then`` / ``not``.  Their operands (the *leaves*) are computed by the plan's own closures over
every row: constants, the row's own cells (``r.total``) and their ``pct`` / ``change`` /
``prior``, ``level(r)``, and anything not reading the row (a record's figure, gathered to its
rows).  A lone comparison of sums of up to four leaves with no filter stays on the numpy path,
which decides it in one pass already (:mod:`.sums`).  Anything else -- lookups, children, aggregates, texts
compared, a relative tolerance -- leaves the rule on the numpy path (``program_of`` gives None).

Exact as :mod:`.arith`: a number is its point and interval bounds as integers at an exponent
chosen per chunk from the leaves' (a printed half of 0.005 refines it a digit, as
``Num.whole`` does), each operation's bound checked as arith checks it; a chunk whose bounds
would pass them, or whose leaves do not come as the kernel takes them, runs on the numpy path
(:class:`Fallback`) -- which gives the same statuses, the wide paths included.  The stops
(missing, error) combine as :func:`.vectors.seq` and :mod:`.logic` do; the rows where a
quotient's bound is met exactly are deferred to the per-record engine as arith defers them.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .. import ast
from ..values import NO_TOLERANCE
from . import arith
from .columns import LIMIT, Num, Unsupported, whole_number
from .kernel import compiled, int64s
from .loops import bound_var
from .sharing import free_vars
from .sums import MAX_TERMS
from .vectors import Cond

__all__ = ["program_of", "RowProgram", "Fallback"]

# the kernel's opcodes (_ckernel_rows.c)
(LDC, LD, LDB, LDO, SCALE, ADD, SUB, MUL, NEG, ABS, CMP, AND, OR, IMPLIES, NOT, PRESENT, QCMP, FINAL) = range(18)
_OPS = {"=": 0, "!=": 1, "<": 2, "<=": 3, ">": 4, ">=": 5}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_LOGIC = {ast.And: AND, ast.Or: OR}
_NARROW = 2 ** 62     # (below this, the kernel compares in int64, else in __int128)
_MAX_DEPTH = 64


# Functions of a row's own cells read as leaves (one value per row, no list, nothing narrowed
# away by a filter that a whole-row read would pay for): children(), aggregates, lookups and
# comprehensions are not -- over every row they cost more than the numpy path's narrowed reads.
_ROW_CALLS = frozenset(("pct", "change", "prior", "level"))


def _terms(tree) -> int:
    """How many leaves a sum (or difference) of leaves adds up; a large number for anything else."""
    if tree[0] == "leaf":
        return 1
    if tree[0] in ("add", "sub"):
        return _terms(tree[1]) + _terms(tree[2])
    return MAX_TERMS + 1


def _is_var(node, var: str) -> bool:
    return type(node) is ast.VarRef and node.name == var



def _is_constant(node) -> bool:
    """Whether *node* is a number written in the rule (``100``, ``-1``, ``2 * 5``): the one factor
    a program scales a quotient by (:meth:`RowProgram._constant` reads it once a chunk)."""
    t = type(node)
    if t is ast.Number:
        return True
    if t is ast.Unary:
        return _is_constant(node.operand)
    if t is ast.Binary:
        return _is_constant(node.left) and _is_constant(node.right)
    return False

class NotCovered(Exception):
    """The rule holds something the program does not express: it stays on the numpy path."""


class Fallback(Exception):
    """This chunk's values do not suit the program (a bound, a leaf's form): the numpy path."""


def program_of(compiler, node, skind: str):
    """The :class:`RowProgram` of a top-level ``for each`` *node*, or None where it is not covered
    (or the kernels do not run)."""
    if compiled() is None or not skind.startswith("list:row:"):
        return None
    tolerance = compiler.tolerance
    if tolerance is not NO_TOLERANCE and tolerance.relative:
        return None
    try:
        return RowProgram(compiler, node, skind[5:])
    except (NotCovered, Unsupported):
        return None


class RowProgram:
    """The filter and body of a ``for each`` as trees of operators over leaves (closures)."""

    def __init__(self, compiler, node, elem_kind: str):
        self.var = var = node.var
        self.tolerance = compiler.tolerance
        self._compiler = compiler
        self._free: dict = {}
        self.leaves: list = []
        self._leaf_of: dict = {}
        scope = (var,)
        with bound_var(compiler, var, elem_kind, compiler.scope_key(node.source, ())):   # (every row of the source)
            self.where = self._condition(node.where, scope) if node.where is not None else None
            self.body = self._condition(node.body, scope)
        if all(tree[0] == "leaf" for tree in (self.where, self.body) if tree is not None):
            raise NotCovered("no operator to fuse")
        if self.where is None and self.body[0] == "cmp" and _terms(self.body[2]) + _terms(self.body[3]) <= MAX_TERMS:
            # (``r.total = r.basic + r.project``: the numpy path decides it in one pass already,
            # its sums left unadded -- :mod:`.sums` -- with half the memory traffic of a program)
            raise NotCovered("one comparison of sums: decide_sum's one pass")
        del self._compiler, self._leaf_of

    # -- compile: trees ------------------------------------------------------------------------------
    def _leaf(self, node, scope, kinds=("num", "cond")) -> tuple:
        found = self._leaf_of.get(node)
        if found is None:
            fn, kind = self._compiler.compile(node, scope)
            if kind not in kinds:
                raise NotCovered(f"a {kind}")
            self.leaves.append(fn)
            found = self._leaf_of[node] = (("leaf", len(self.leaves) - 1, kind), kind)
        return found

    def _present_leaf(self, node) -> bool:
        """Whether ``present(node)`` is read as a leaf (as the plan reads it) -- not over its value."""
        return False

    def _is_cell(self, node) -> bool:
        return type(node) is ast.Column and type(node.obj) is ast.VarRef and node.obj.name == self.var

    def _condition(self, node, scope):
        tree, kind = self._tree(node, scope)
        if kind != "cond":
            raise NotCovered(f"a {kind} where a condition is needed")
        return tree

    def _number(self, node, scope):
        tree, kind = self._tree(node, scope)
        if kind != "num":
            raise NotCovered(f"a {kind} where a number is needed")
        return tree

    def _is_leaf(self, node) -> bool:
        """Whether *node* is a leaf: a constant, a cell of the row, or not reading the row."""
        return type(node) is ast.Number or self._is_cell(node) or self.var not in free_vars(node, self._free)

    def _tree(self, node, scope) -> tuple:  # noqa: C901 - one branch per operator
        t = type(node)
        if self._is_leaf(node):
            return self._leaf(node, scope)
        if t is ast.Binary:
            left, lk = self._tree(node.left, scope)
            right, rk = self._tree(node.right, scope)
            if node.op == "/":
                if lk != "num" or rk != "num":
                    raise NotCovered("a quotient of a quotient")
                return ("quot", left, right, ()), "quot"
            if "quot" in (lk, rk):
                q, factor = (left, right) if lk == "quot" else (right, left)
                if node.op != "*" or factor[0] != "leaf" or factor[2] != "num" \
                        or not _is_constant(node.right if lk == "quot" else node.left):
                    # (a factor read from the records -- ``a / b * n`` -- would make every chunk
                    # compute the program's leaves, then fall back to the numpy path: review 27)
                    raise NotCovered("a quotient scaled by something other than a constant")
                return ("quot", q[1], q[2], q[3] + (factor,)), "quot"
            if lk != "num" or rk != "num":
                raise NotCovered("arithmetic on a condition")
            return ({"+": "add", "-": "sub", "*": "mul"}[node.op], left, right), "num"
        if t is ast.Unary:
            return ("neg", self._number(node.operand, scope)), "num"
        if t is ast.Compare:
            left, lk = self._tree(node.left, scope)
            right, rk = self._tree(node.right, scope)
            if lk == rk == "num":
                return ("cmp", node.op, left, right), "cond"
            if {lk, rk} == {"num", "quot"}:
                first = lk == "quot"
                return ("qcmp", node.op, first, right if first else left, left if first else right), "cond"
            raise NotCovered(f"comparing a {lk} with a {rk}")
        if t in _LOGIC:
            return (t.__name__.lower(), self._condition(node.left, scope), self._condition(node.right, scope)), "cond"
        if t is ast.Implies:
            return ("implies", self._condition(node.cond, scope), self._condition(node.then, scope)), "cond"
        if t is ast.Not:
            return ("not", self._condition(node.operand, scope)), "cond"
        if t is ast.Call and node.func == "present" and len(node.args) == 1:
            arg = node.args[0]
            if self._is_cell(arg) or self._present_leaf(arg):   # (a text or flag cell too: whether it is there)
                return self._leaf(node, scope)
            inner, kind = self._tree(arg, scope)
            if kind not in ("num", "cond"):
                raise NotCovered(f"present() of a {kind}")
            return ("present", inner), "cond"
        if t is ast.Call and node.func == "abs" and len(node.args) == 1:
            return ("abs", self._number(node.args[0], scope)), "num"
        if t is ast.Call and node.func in _ROW_CALLS and all(self._is_cell(a) or _is_var(a, self.var) for a in node.args):
            return self._leaf(node, scope)     # (a cell's stated change, percentage or prior; a row's level)
        raise NotCovered(f"{t.__name__} over the row")

    # -- run: one chunk ------------------------------------------------------------------------------
    def __call__(self, run, sub) -> np.ndarray:
        """Per row of *sub* (a loop's domain over every row of the table): -1 where the filter
        does not keep it, else its finding's status code; rows a quotient could not decide are
        deferred (``run.defer``).  Raises :class:`Fallback` where the numpy path is to run."""
        kernel = compiled()
        if kernel is None:      # (turned off since the rule was compiled: kernel.use(False))
            raise Fallback("no kernel")
        m = sub.n
        try:
            values = [fn(run, sub) for fn in self.leaves]
            writer = _Writer(values, m, self.tolerance)
            body_slot = 0
            where_slot = -1
            if self.where is not None:
                writer.part = 1
                writer.emit(self.where, 0)
                where_slot, body_slot = 0, 1
            writer.part = 2
            writer.emit(self.body, body_slot)
        except Unsupported as exc:
            raise Fallback(str(exc)) from None
        writer.code += [FINAL, body_slot, where_slot]
        codes = np.empty(m, dtype=np.int8)
        ties = np.zeros(m, dtype=bool) if writer.quotients else None
        flagged = kernel.rows_program(np.array(writer.code, dtype=np.int64), tuple(writer.inputs),
                                          writer.depth, codes, ties)
        if flagged:
            run.defer(sub, ties)
        return codes


class _Info:
    """A number's place in a chunk's program: its exponent, bound (as Num.bound) and dimension;
    ``const``: its point where it is the same on every row (a constant), else None."""

    __slots__ = ("exp", "bound", "dim", "const")

    def __init__(self, exp: int, bound: int, dim: str, const=None):
        self.exp, self.bound, self.dim, self.const = exp, bound, dim, const


def _checked(bound: int) -> int:
    if bound >= LIMIT:
        raise Fallback("a bound beyond 64-bit integers")
    return bound


class _Writer:
    """Writes one chunk's program: instructions, the arrays they read, the slots they use."""

    def __init__(self, values: list, m: int, tolerance):
        self.values, self.m, self.tolerance = values, m, tolerance
        self.code: list = []
        self.inputs: list = []
        self._ids: dict = {}
        self.depth = 1
        self.quotients = False
        self.part = 2
        self._loaded: dict = {}

    def _input(self, array, dtype) -> int:
        key = id(array)
        found = self._ids.get(key)
        if found is not None and found[1] is array:
            return found[0]
        a = array
        if type(a) is not np.ndarray or a.shape != (self.m,):
            if np.ndim(a) != 0 and np.shape(a) != (self.m,):
                raise Fallback("a leaf of another length")
            a = np.broadcast_to(np.asarray(a), (self.m,))
        if dtype is np.int64:
            if a.dtype.kind not in "iu":
                raise Fallback("a leaf that is not integers")
            a = int64s(a)
        elif a.dtype != dtype or not a.flags.c_contiguous:
            a = np.ascontiguousarray(a, dtype=dtype)
        self.inputs.append(a)
        self._ids[key] = (len(self.inputs) - 1, array, a)   # (the array kept: its id stays its own)
        return len(self.inputs) - 1

    def _masks(self, v) -> list:
        return [-1 if v.miss is None else self._input(v.miss, np.bool_),
                -1 if v.err is None else self._input(v.err, np.bool_)]

    def _scale(self, info: _Info, s: int, exp: int) -> None:
        if info.exp == exp:
            return
        factor = _checked(10 ** (info.exp - exp))   # (itself an int64 in the program, whatever the bound)
        info.bound = _checked(info.bound * factor)
        info.exp = exp
        self.code += [SCALE, s, factor]

    def emit(self, tree, s: int):  # noqa: C901 - one branch per operator
        """Write *tree* into slot *s* (and those above it); its :class:`_Info` (None: a condition)."""
        if s + 3 > _MAX_DEPTH:
            raise Fallback("too deep")
        self.depth = max(self.depth, s + 1)
        tag = tree[0]
        if tag == "leaf":
            return self._leaf(tree, s)
        if tag in ("add", "sub", "mul"):
            a, b = self.emit(tree[1], s), self.emit(tree[2], s + 1)
            if tag == "mul":
                out = _Info(a.exp + b.exp, _checked(max(a.bound, 1) * max(b.bound, 1)), arith._product_dim(a.dim, b.dim))
                self.code += [MUL, s]
                return out
            exp = min(a.exp, b.exp)
            self._scale(a, s, exp)
            self._scale(b, s + 1, exp)
            self.code += [ADD if tag == "add" else SUB, s]
            return _Info(exp, _checked(a.bound + b.bound), arith._sum_dim(a.dim, b.dim))
        if tag in ("neg", "abs"):
            a = self.emit(tree[1], s)
            self.code += [NEG if tag == "neg" else ABS, s]
            return _Info(a.exp, a.bound, a.dim)
        if tag == "cmp":
            self._compare(tree, s)
            return None
        if tag == "qcmp":
            self._quotient(tree, s)
            return None
        if tag in ("and", "or", "implies"):
            self.emit(tree[1], s)
            self.emit(tree[2], s + 1)
            self.code += [{"and": AND, "or": OR, "implies": IMPLIES}[tag], s]
            return None
        if tag == "not":
            self.emit(tree[1], s)
            self.code += [NOT, s]
            return None
        if tag == "present":
            self.emit(tree[1], s)
            self.code += [PRESENT, s]
            return None
        raise Fallback(f"{tag} outside a comparison")   # (a quotient not compared: the checker refuses it)

    def _leaf(self, tree, s: int):
        v = self.values[tree[1]]
        if tree[2] == "cond":
            if not isinstance(v, Cond):
                raise Fallback("a condition leaf that is not a condition")
            self.code += [LDO, s, self._input(v.out, np.int8)] + self._masks(v)
            return None
        if not isinstance(v, Num):
            raise Fallback("a number leaf that is not a number")
        exp, half, mult = v.exp, v.half, 1
        if isinstance(half, Decimal):      # (a printed half, 0.005 at cents: whole a digit finer)
            e = half.normalize().as_tuple().exponent
            if isinstance(e, int) and e < 0:
                mult = 10 ** -e
                exp += e
            half = whole_number(half * mult)
            if isinstance(half, Decimal):
                raise Fallback("a half that is not whole")
        bound = _checked(v.bound * mult)
        pt = v.pt
        const = None
        arrays = isinstance(pt, np.ndarray) or isinstance(half, np.ndarray) or v.miss is not None or \
            v.err is not None or (half is None and (isinstance(v._lo, np.ndarray) or isinstance(v._hi, np.ndarray)))
        if not arrays:       # a constant
            const = int(pt) * mult
            lo, hi = (const - int(half), const + int(half)) if half is not None else \
                (int(v._lo) * mult, int(v._hi) * mult)
            self.code += [LDC, s, const, lo, hi]
        else:
            halves = [self._input(half, np.int64), mult] if isinstance(half, np.ndarray) else [-1, int(half or 0)]
            self.code += [LD, s, self._input(pt, np.int64), mult] + halves + self._masks(v)
            if half is None:
                self.code += [LDB, s, self._input(v._lo, np.int64), self._input(v._hi, np.int64), mult]
        return _Info(exp, bound, v.dim, const)

    def _compare(self, tree, s: int) -> None:
        _, op, left, right = tree
        a, b = self.emit(left, s), self.emit(right, s + 1)
        extra = arith._extra(self.tolerance, a, b)
        if extra:
            extra_num = arith.constant(extra, "number")
            exp = min(a.exp, b.exp, extra_num.exp)
            units = extra_num.pt * 10 ** (extra_num.exp - exp)
        else:
            exp, units = min(a.exp, b.exp), 0
        self._scale(a, s, exp)
        self._scale(b, s + 1, exp)
        _checked(a.bound + b.bound + abs(units))
        self.code += [CMP, s, _OPS[op], units, int(2 * (a.bound + b.bound) + abs(units) >= _NARROW)]

    def _quotient(self, tree, s: int) -> None:
        _, op, first, plain, q = tree
        _, num, den, factors = q
        left = self.emit(plain, s)
        n, d = self.emit(num, s + 1), self.emit(den, s + 2)
        self.depth = max(self.depth, s + 3)
        if d.const == 0:
            raise Fallback("division by a constant 0")
        factor = None
        for leaf in factors:
            f = self._constant(leaf)
            factor = f if factor is None else arith.mul(factor, f)
        if factor is None:
            factor = arith.constant(Decimal(1), "number")
        if not isinstance(factor.pt, int) or not factor.exact or factor.pt == 0:
            raise Fallback("a quotient multiplied by something other than a constant")
        if first:
            op = _FLIP.get(op, op)
        k = factor.pt
        q_dim = arith._product_dim(arith._quotient_dim(n.dim, d.dim), factor.dim)
        extra = arith._extra(self.tolerance, left, Num(0, 0, q_dim))
        if extra:
            extra_num = arith.constant(extra, "number")
            e = min(left.exp, extra_num.exp)
            self._scale(left, s, e)
            units = extra_num.pt * 10 ** (extra_num.exp - e)
        else:
            units = 0
        lhs_exp, rhs_exp = left.exp + d.exp, n.exp + factor.exp
        exp = min(lhs_exp, rhs_exp)
        xf, yf = 10 ** (lhs_exp - exp), 10 ** (rhs_exp - exp)
        x_bound = _checked(left.bound + abs(units))
        if x_bound * max(d.bound, 1) * xf + max(n.bound, 1) * abs(k) * yf >= LIMIT:
            # (the numpy path asks this of each row's own products, and sends the rows past it
            # to the per-record engine: :mod:`.largerows`)
            raise Fallback("cross-products beyond 64-bit integers")
        self.quotients = True
        flags = self.part | (4 if first else 0)
        self.code += [QCMP, s, _OPS[op], k, units, xf, yf, int(arith._smooth(k)), flags]

    def _constant(self, leaf) -> Num:
        v = self.values[leaf[1]]
        if not isinstance(v, Num) or isinstance(v.pt, np.ndarray):
            raise Fallback("a quotient scaled by something other than a constant")
        return v
