"""Static types of expressions, and the signatures and type rules of the built-in functions.

The checker (:mod:`fiscalrules.checker`) mixes :class:`FunctionChecks` in: each ``_f_<name>``
method checks one function's arguments and returns the resolved call with its result type.
How each function is evaluated is in :mod:`fiscalrules.functions`.
"""

from __future__ import annotations


from operator import attrgetter, is_

import attrs

from . import ast
from .ast import make  # nodes made from every field, without attrs' __init__ (see there)
from .chains import links

__all__ = ["FUNCTIONS", "FunctionChecks", "ANY", "BOOL", "TEXT", "NUMBER", "MONEY", "evolve", "with_args"]

# Types are small tuples: ("num", dim) | ("text",) | ("bool",) | ("row", table) | ("rows", table)
# | ("list", elem) | ("any",) -- "any" follows an error so one mistake is reported once.
ANY = ("any",)
BOOL = ("bool",)
TEXT = ("text",)
NUMBER = ("num", "number")
MONEY = ("num", "money")


# per node class: (alias -> attribute name, alias -> place among its fields, a getter of them all
# in order, the maker of the class: fiscalrules.ast.maker)
_INIT_FIELDS: dict[type, tuple] = {}


def _init_fields(cls) -> tuple:
    fields = attrs.fields(cls)
    spec = _INIT_FIELDS[cls] = ({a.alias: a.name for a in fields}, {a.alias: i for i, a in enumerate(fields)},
                                attrgetter(*[a.name for a in fields]), ast.maker(cls))
    return spec


def evolve(node, **changes):
    """``attrs.evolve`` for the checker, which resolves every node of every rule: the node itself
    when nothing changed (nodes are frozen: sharing one is safe, and a 10,000-rule file then keeps
    fewer objects for the garbage collector to walk) -- a tuple of the same nodes counting as
    unchanged --, else a copy, made from its fields read in one step by the class's maker
    (:func:`fiscalrules.ast.maker`: a Rule has 15 fields, and by keyword, matching them took as
    long as making it)."""
    cls = type(node)
    names, places, getter, make = _INIT_FIELDS.get(cls) or _init_fields(cls)
    for alias, value in changes.items():
        current = getattr(node, names[alias])
        if value is not current and not (type(value) is tuple and type(current) is tuple and
                                         len(value) == len(current) and all(map(is_, value, current))):
            break
    else:
        return node
    values = list(getter(node)) if len(places) > 1 else [getter(node)]
    for alias, value in changes.items():
        values[places[alias]] = value
    return make(*values)



def with_args(node, args):
    """*node*, a ``Call``, with *args* -- what ``evolve(node, args=tuple(args))`` gives (the node
    itself when they are its own), without evolve's generic walk: the checker resolves a call's
    arguments ~13,000 times for a 10,000-rule file."""
    current = node.args
    if len(args) == len(current) and all(map(is_, args, current)):
        return node
    return make.Call(node.func, tuple(args), node._span)

def _num(dim: str) -> tuple:
    return ("num", dim)


# name → (min args, max args or None for any number)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "sum": (1, None), "count": (1, 1), "abs": (1, 1), "min": (1, None), "max": (1, None),
    "round": (1, 2), "change": (1, 1), "prior": (1, 1), "pct": (1, 1), "present": (1, 1),
    "coalesce": (2, None), "children": (1, 1), "parent": (1, 1), "level": (1, 1),
    "contains": (2, 2), "startswith": (2, 2), "length": (1, 1), "similarity": (2, 2),
}


def is_bare_constant(node) -> bool:
    """A number written without a unit, or arithmetic of such numbers (``5``, ``-5``, ``2 * 5``).
    (Without recursion: a sum of thousands of terms is a tree as deep, see fiscalrules.chains.)"""
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Number):
            if node.unit is not None:
                return False
        elif isinstance(node, ast.Unary):
            pending.append(node.operand)
        elif isinstance(node, ast.Binary):
            pending += (node.right, node.left)
        else:
            return False
    return True


def as_money(node, unit: str):
    """A bare constant read as money in *unit*; in a product or quotient only the first factor
    carries the unit (2 * 5 → 2 万元 × 5), the others are scale factors.  A chain's links in a
    loop (fiscalrules.chains)."""
    if isinstance(node, ast.Number):
        return evolve(node, unit=unit)
    if isinstance(node, ast.Unary):
        return evolve(node, operand=as_money(node.operand, unit))
    chain = links(node)
    left = as_money(chain[0].left, unit)   # the first operand carries the unit, whatever the operator
    for link in chain:
        right = as_money(link.right, unit) if link.op in "+-" else link.right
        left = evolve(link, left=left, right=right)
    return left


class FunctionChecks:
    """The checker's rules for calls: arity, argument types, result type."""

    _function_checks: dict[str, object] = {}  # function name -> its _f_<name>

    def _r_Call(self, node, scope):
        arity = FUNCTIONS.get(node.func)
        if arity is None:
            import difflib   # only for this error's hint: not on every start
            close = ([node.func.lower()] if node.func.lower() in FUNCTIONS else   # SUM → sum
                     difflib.get_close_matches(node.func, list(FUNCTIONS), n=1))
            self.error("E202", f"unknown function {node.func}", node.span,
                       hint=f"did you mean {close[0]}?" if close else "functions: " + ", ".join(sorted(FUNCTIONS)),
                       length=len(node.func))
            for arg in node.args:
                self.resolve(arg, scope)
            return node, ANY
        low, high = arity
        if len(node.args) < low or (high is not None and len(node.args) > high):
            wanted = str(low) if low == high else f"{low} or more" if high is None else f"{low} to {high}"
            self.error("E203", f"{node.func}() takes {wanted} argument{'s' if wanted != '1' else ''}, "
                       f"got {len(node.args)}", node.span, length=len(node.func))
            return node, ANY
        check = self._function_checks.get(node.func)
        if check is None:  # looked up once per function name, kept unbound (see resolve)
            check = self._function_checks[node.func] = getattr(type(self), "_f_" + node.func)
        return check(self, node, scope)

    def _aggregate(self, node, scope):
        args, dims = [], set()
        for arg in node.args:
            resolved, type_ = self.expect_num(arg, scope, allow_list=True)
            args.append(resolved)
            elem = type_[1] if type_[0] == "list" else type_
            if elem != ANY:
                dims.add(elem[1])
        dims.discard("number") if len(dims) > 1 else None
        if len(dims) > 1:
            self.error("E204", f"{node.func}() mixes {' and '.join(_dim_words(d) for d in sorted(dims))}", node.span)
            return with_args(node, args), ANY
        dim = dims.pop() if dims else "number"
        return with_args(node, self._coerce_args(args, dim)), _num(dim)

    def _coerce_args(self, args, dim):
        if dim != "money":
            return args
        unit = self.default_unit or "元"
        return [as_money(a, unit) if is_bare_constant(a) else a for a in args]

    _f_sum = _f_min = _f_max = _aggregate

    def _f_count(self, node, scope):
        arg, type_ = self.resolve(node.args[0], scope)
        if type_ != ANY and type_[0] not in ("list", "rows"):
            self.error("E205", f"count() needs a table or a list, found {_describe(type_)}", node.span)
        return with_args(node, (arg,)), NUMBER

    def _f_abs(self, node, scope):
        arg, type_ = self.expect_num(node.args[0], scope)
        return with_args(node, (arg,)), type_

    def _f_round(self, node, scope):
        arg, type_ = self.expect_num(node.args[0], scope)
        args = [arg]
        if len(node.args) == 2:
            places = node.args[1]
            if not (isinstance(places, ast.Number) and places.unit is None
                    and places.value == places.value.to_integral_value() and 0 <= places.value <= 10):
                self.error("E215", "round()'s second argument is a whole number of decimal places (0 to 10)",
                           places.span)
            args.append(places)
        return with_args(node, args), type_

    def _figure_arg(self, node, scope):
        """change/prior/pct read a figure's stated metadata, so the argument must be printed figures."""
        arg, type_ = self.resolve(node.args[0], scope)
        if type_ != ANY and not _is_figure_expr(arg):
            self.error("E215", f"{node.func}() needs a field or a table column, not a computed value",
                       node.args[0].span)
        return arg, type_

    def _f_change(self, node, scope):
        arg, type_ = self._figure_arg(node, scope)
        return with_args(node, (arg,)), type_

    _f_prior = _f_change

    def _f_pct(self, node, scope):
        arg, type_ = self._figure_arg(node, scope)
        result = ("list", _num("percent")) if type_[0] == "list" else _num("percent")
        return with_args(node, (arg,)), result

    def _f_present(self, node, scope):
        arg, _ = self.resolve(node.args[0], scope)
        return with_args(node, (arg,)), BOOL

    def _f_coalesce(self, node, scope):
        args, types = [], []
        for a in node.args:
            resolved, type_ = self.resolve(a, scope)
            args.append(resolved)
            types.append(type_)
        first = next((t for t in types if t != ANY and not (t[0] == "num" and t[1] == "number")), types[0])
        if first[0] == "num":
            args = self._coerce_args(args, first[1])
        return with_args(node, args), first

    def _row_arg(self, node, scope):
        arg, type_ = self.resolve(node.args[0], scope)
        if type_ != ANY and type_[0] != "row":
            self.error("E205", f"{node.func}() needs a table row, found {_describe(type_)}", node.args[0].span)
            return arg, ANY
        return arg, type_

    def _f_children(self, node, scope):
        arg, type_ = self._row_arg(node, scope)
        return with_args(node, (arg,)), ("rows", type_[1]) if type_ != ANY else ANY

    def _f_parent(self, node, scope):
        arg, type_ = self._row_arg(node, scope)
        return with_args(node, (arg,)), type_

    def _f_level(self, node, scope):
        arg, _ = self._row_arg(node, scope)
        return with_args(node, (arg,)), NUMBER

    def _text_args(self, node, scope):
        args = []
        for a in node.args:
            resolved, type_ = self.resolve(a, scope)
            if type_ not in (TEXT, ANY):
                self.error("E205", f"{node.func}() works on texts, found {_describe(type_)}", a.span)
            args.append(resolved)
        return with_args(node, args)

    def _f_contains(self, node, scope):
        return self._text_args(node, scope), BOOL

    _f_startswith = _f_contains

    def _f_length(self, node, scope):
        return self._text_args(node, scope), NUMBER

    _f_similarity = _f_length


def _is_figure_expr(node) -> bool:
    if isinstance(node, (ast.FieldRef, ast.Wildcard)):
        return True
    return isinstance(node, ast.Column)


def _dim_words(dim: str) -> str:
    if dim == "money":
        return "money"
    if dim == "percent":
        return "a percentage"
    if dim.startswith("count:"):
        return f"a count ({dim[6:] or 'items'})"
    return "a plain number"


def _describe(type_: tuple) -> str:
    kind = type_[0]
    if kind == "num":
        return _dim_words(type_[1])
    if kind == "text":
        return "text"
    if kind == "bool":
        return "a condition"
    if kind == "row":
        return f"a row of {type_[1]}"
    if kind == "rows":
        return f"the rows of {type_[1]}"
    if kind == "list":
        return f"a list of {_describe(type_[1])}"
    return "an unknown value"
