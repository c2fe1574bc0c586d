"""Resolving and type-checking a rule's expressions: the checker's walk over each node.

:class:`ExpressionChecks` is mixed into :class:`fiscalrules.checker.Checker` (as
:class:`fiscalrules.signatures.FunctionChecks` is, for calls): ``resolve(node, scope)`` turns a
surface node -- ``Name``, ``Attribute``, ``Star``, ``Index``, operators, quantifiers -- into its
resolved form (``FieldRef``, ``TableRef``, ``Wildcard``, ``Column``, ``Lookup``, ``VarRef``) and
its static type (:mod:`fiscalrules.signatures`), reporting through the checker's ``error`` and
going on (a mistake's type is ``ANY``, so it is reported once).  It reads what the checker's
declaration pass built: ``fields``, ``labels``, ``prefixes``, ``default_unit``, and the memos
``_paths``, ``_names``, ``_attributes`` and ``_members``; ``_rule_vars`` is the current rule's row variables.
"""

from __future__ import annotations

from operator import is_

import attrs

from . import ast
from .ast import make  # nodes made from every field, without attrs' __init__ (see there)
from .chains import links
from .printer import to_source
from .signatures import ANY, BOOL, MONEY, NUMBER, TEXT, _describe, _dim_words, _num, as_money, is_bare_constant
from .values import dimension_of

__all__ = ["ExpressionChecks"]


def _change_hint(left, right) -> str | None:
    """For ``change(x) <= 10%``: change() is the stated change in money, pct() in percent."""
    for side in (left, right):
        if isinstance(side, ast.Call) and side.func == "change" and len(side.args) == 1:
            return f"change() is the change in money; the change in percent is pct({to_source(side.args[0])})"
    return None


@attrs.frozen
class _Group:
    """A path prefix that is not itself a field (``income`` in ``income.total``)."""

    prefix: str


class _Scope:
    def __init__(self, parent=None, name=None, type_=None):
        self.parent, self.name, self.type = parent, name, type_

    def lookup(self, name):
        scope = self
        while scope is not None:
            if scope.name == name:
                return scope.type
            scope = scope.parent
        return None

    def bind(self, name, type_):
        return _Scope(self, name, type_)


# The scope of a rule's top level: no variable bound (a scope is never changed, only extended by
# bind(), so one serves every rule)
TOP = _Scope()


class ExpressionChecks:
    """The resolvers of expression nodes (``_r_<class name>``) and what they share."""

    def field_type(self, decl: ast.FieldDecl | ast.ColumnDecl) -> tuple:
        kind = decl.kind
        if kind == "amount":
            return MONEY
        if kind == "count":
            return _num(dimension_of(decl.unit) if decl.unit else "count:")
        if kind == "percent":
            return _num("percent")
        if kind == "number":
            return NUMBER
        if kind == "text":
            return TEXT
        if kind == "flag":
            return BOOL
        if kind == "table":
            return ("rows", decl.path)
        return ANY

    def decl_for(self, path: str) -> ast.FieldDecl | None:
        decl = self.fields.get(path)
        if decl is not None:
            return decl
        prefix, _, _ = path.rpartition(".")
        return self.fields.get(prefix + ".*") if prefix else None

    # ---- expressions
    def expect_bool(self, node, scope):
        resolved, type_ = self.resolve(node, scope)
        if type_ not in (BOOL, ANY):
            self.error("E205", f"expected a condition (true or false), found {_describe(type_)}", node._span)
        return resolved

    def expect_num(self, node, scope, allow_list=False):
        resolved, type_ = self.resolve(node, scope)
        if type_[0] == "num" or type_ == ANY:
            return resolved, type_
        if allow_list and type_[0] == "list" and type_[1][0] in ("num", "any"):
            return resolved, type_
        self.error("E205", f"expected a number, found {_describe(type_)}", node._span)
        return resolved, ANY

    # node class -> the function resolving it (_r_<class name>), looked up once per class.  Kept
    # on the class, unbound: bound methods kept on the checker would make a reference cycle, and
    # the checker -- with the parsed files it holds -- would then live until the next full
    # collection instead of being freed as check() returns.
    _resolvers: dict[type, object] = {}

    def resolve(self, node, scope) -> tuple:
        function = self._resolvers.get(type(node))
        if function is None:
            function = getattr(type(self), "_r_" + type(node).__name__, None)
            if function is None:  # pragma: no cover - every surface node has a method
                raise TypeError(f"cannot resolve {node!r}")
            self._resolvers[type(node)] = function
        result = function(self, node, scope)  # (resolved, type), passed on as it is
        if type(result[0]) is _Group:
            prefix = result[0].prefix
            self.error("E201", f"{prefix} is a group of fields, not a value", node._span,
                       hint=_hint_children(prefix, self.fields))
            return node, ANY
        return result

    def _r_Number(self, node, scope):
        return node, _num(dimension_of(node.unit))

    def _r_String(self, node, scope):
        return node, TEXT

    def _r_Boolean(self, node, scope):
        return node, BOOL

    def _ref(self, path: str, span) -> tuple:
        """What a dotted path denotes: a field, a table, a group of fields, or nothing."""
        known = self._paths.get(path)
        if known is None:
            decl = self.decl_for(path)
            if decl is not None:
                # (the maker of the reference, its type); a group or nothing has no type
                known = ((make.TableRef, ("rows", path)) if decl.kind == "table" else
                         (make.FieldRef, self.field_type(decl)))
            elif path in self.prefixes:
                known = (_Group(path), None)
            else:
                known = (None, None)
            self._paths[path] = known
        made, type_ = known
        if type_ is not None:
            return made(path, span), type_
        return known

    def _lookup_path(self, node, scope) -> tuple:
        """Resolve without reporting; returns (resolved or _Group or None, type)."""
        if isinstance(node, ast.Name):
            bound = scope.lookup(node.name)
            if bound is not None:
                return make.VarRef(node.name, node._span), bound
            path = self._names.get(node.name)
            if path is None:
                path = self._names[node.name] = (self.labels.get(node.name) or
                                                 self.labels.get(_full_width_brackets(node.name), node.name))
            return self._ref(path, node._span)
        if isinstance(node, ast.Attribute):
            inner, inner_type = self._lookup_path(node.obj, scope)
            if isinstance(inner, _Group):
                return self._ref(f"{inner.prefix}.{node.name}", node._span)
            return None, None
        return None, None

    def _r_Name(self, node, scope):
        resolved, type_ = self._lookup_path(node, scope)
        if resolved is None:
            self.unknown_field(node.name, node._span)
            return node, ANY
        return resolved, type_

    def unknown_field(self, name: str, span):
        candidates = list(self.fields) + list(self.labels)
        import difflib   # only for an error's hint: not on every start
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else None
        self.error("E201", f"unknown field {name}", span, hint=hint)

    def _r_Attribute(self, node, scope):
        obj = node.obj
        # ``f.a1`` outside any quantifier (most mentions of a field): what it denotes is the same
        # at every mention, worked out at the first (see below)
        top_name = scope is TOP and type(obj) is ast.Name
        if top_name:
            known = self._attributes.get((obj.name, node.name))
            if known is not None:
                made, path, type_ = known
                return made(path, node._span), type_
        inner, inner_type = self._lookup_path(obj, scope)
        if isinstance(inner, _Group):
            path = f"{inner.prefix}.{node.name}"
            resolved, type_ = self._ref(path, node._span)
            if resolved is None:
                self.unknown_field(path, node._span)
                return node, ANY
            if top_name and type_ is not None:  # a field or a table (not a group): its maker, as _ref made it
                self._attributes[obj.name, node.name] = (self._paths[path][0], path, type_)
            return resolved, type_
        obj, obj_type = self.resolve(node.obj, scope) if inner is None else (inner, inner_type)
        if obj_type == ANY:
            return node, ANY
        if obj_type[0] in ("row", "rows"):
            decl = self.fields.get(obj_type[1])
            name = decl.column_named(node.name) if decl is not None else node.name
            column_type = self.column_type(obj_type[1], name, node._span)
            type_ = column_type if obj_type[0] == "row" else ("list", column_type)
            return make.Column(obj, name, node._span), type_
        self.error("E205", f"{_describe(obj_type)} has no part named {node.name}", node._span)
        return node, ANY

    def column_type(self, table: str, name: str, span) -> tuple:
        if name == "code" or name == "name":
            decl = self.fields.get(table)
            declared = [c for c in decl.columns if c.name == name] if decl else []
            return self.field_type(declared[0]) if declared else TEXT
        decl = self.fields.get(table)
        if decl is None:
            return ANY
        for column in decl.columns:
            if column.name == name:
                return self.field_type(column)
        import difflib
        close = difflib.get_close_matches(name, [c.name for c in decl.columns] +
                                          [str(label) for c in decl.columns for label in c.labels], n=1)
        self.error("E212", f"table {table} has no column {name}", span,
                   hint=f"did you mean {close[0]}?" if close else None)
        return ANY

    def _r_Star(self, node, scope):
        inner, _ = self._lookup_path(node.obj, scope)
        if not isinstance(inner, _Group):
            if inner is None and not isinstance(node.obj, (ast.Name, ast.Attribute)):
                self.error("E205", "only a group of fields can be expanded with .*", node._span)
            elif inner is None:
                self.error("E207", f"wildcard {to_source(node.obj)}.* matches nothing in the declarations",
                           node._span)
            else:
                self.error("E205", "only a group of fields can be expanded with .*", node._span)
            return node, ANY
        prefix = inner.prefix
        members = self._members.get((prefix, len(self.fields)))
        if members is None:  # once per group, not once per wildcard
            members = self._members[prefix, len(self.fields)] = [
                d for p, d in self.fields.items() if p.rpartition(".")[0] == prefix]
        scalars = [d for d in members if d.kind != "table"]
        if not scalars:
            self.error("E207", f"wildcard {prefix}.* matches no field in the declarations", node._span)
            return make.Wildcard(prefix, node._span), ("list", ANY)
        types = {self.field_type(d) for d in scalars}
        elem = types.pop() if len(types) == 1 else ANY
        if types:
            self.error("E204", f"the fields under {prefix}.* do not share one unit", node._span)
        return make.Wildcard(prefix, node._span), ("list", elem)

    def _r_Index(self, node, scope):
        table, table_type = self.resolve(node.obj, scope)
        key, key_type = self.resolve(node.key, scope)
        if key_type not in (TEXT, ANY) and key_type[0] != "num":
            self.error("E205", f"a row is looked up by its code, not by {_describe(key_type)}", node.key._span)
        if table_type == ANY:
            return node, ANY
        if table_type[0] != "rows":
            self.error("E205", f"only a table can be indexed by code, not {_describe(table_type)}", node._span)
            return node, ANY
        return make.Lookup(table, key, node._span), ("row", table_type[1])

    # Nodes are rebuilt directly rather than through signatures.evolve() (the checker makes
    # ~50,000 of them for a 10,000-rule file); the node itself when nothing under it changed, as
    # evolve() gives.
    def _r_Unary(self, node, scope):
        operand, type_ = self.expect_num(node.operand, scope)
        if operand is node.operand:
            return node, type_
        return make.Unary(node.op, operand, node._span), type_

    def _r_Binary(self, node, scope):
        # a chain (a + b + c …) link by link, bottom up, without recursion (fiscalrules.chains)
        chain = links(node)
        left, lt = self.expect_num(chain[0].left, scope)
        for link in chain:
            right, rt = self.expect_num(link.right, scope)
            if link.op in "+-":  # a scale factor (x * 1.2, x / 2) stays a plain number
                left, lt, right, rt = self._coerce_literals(left, lt, right, rt)
            type_ = self._arith_type(link.op, lt, rt, link._span)
            if left is not link.left or right is not link.right:
                link = make.Binary(link.op, left, right, link._span)
            left, lt = link, type_
        return left, lt

    def _coerce_literals(self, left, lt, right, rt):
        """A bare constant beside money is money in the ruleset's default unit: ``x = 50`` and
        ``x = -5`` and ``x = 2 * 5`` read 50, −5 and 10 万元 in a 万元 ruleset."""
        money = MONEY
        if rt == money and lt != money and is_bare_constant(left):   # (money is not bare: no walk of a long sum)
            left, lt = as_money(left, self.default_unit or "元"), money
        if lt == money and is_bare_constant(right):
            right, rt = as_money(right, self.default_unit or "元"), money
        return left, lt, right, rt

    def _arith_type(self, op, lt, rt, span):
        if lt == ANY or rt == ANY:
            return ANY
        a, b = lt[1], rt[1]
        if op in "+-":
            if a == b or b == "number":
                return lt
            if a == "number":
                return rt
            if {a, b} == {"percent", "number"}:
                return _num("percent")
            self.error("E204", f"cannot add or subtract {_dim_words(a)} and {_dim_words(b)}", span)
            return ANY
        if op == "*":
            if a == "number" or (a == "percent" and b != "money"):
                return rt if a == "number" else lt
            if b == "number" or b == "percent" and a != "money":
                return lt
            self.error("E204", f"cannot multiply {_dim_words(a)} by {_dim_words(b)}", span)
            return ANY
        # division
        if a == b:
            return NUMBER
        if b == "number":
            return lt
        self.error("E204", f"cannot divide {_dim_words(a)} by {_dim_words(b)}", span)
        return ANY

    def _r_Compare(self, node, scope):
        left, lt = self.resolve(node.left, scope)
        right, rt = self.resolve(node.right, scope)
        left, lt, right, rt = self._coerce_literals(left, lt, right, rt)
        self._check_comparable(node.op, lt, rt, node._span, (node.left, node.right))
        if left is node.left and right is node.right:
            return node, BOOL
        return make.Compare(node.op, left, right, node._span), BOOL

    def _check_comparable(self, op, lt, rt, span, operands=None):
        if lt == ANY or rt == ANY:
            return
        if lt[0] == "num" and rt[0] == "num":
            a, b = lt[1], rt[1]
            if a != b and "number" not in (a, b) and {a, b} != {"percent", "number"}:
                self.error("E204", f"cannot compare {_dim_words(a)} with {_dim_words(b)}", span,
                           hint=_change_hint(*operands) if operands and {a, b} == {"money", "percent"} else None)
            return
        if lt == TEXT and rt == TEXT and op in ("=", "!="):
            return
        if lt == BOOL and rt == BOOL and op in ("=", "!="):
            return
        self.error("E205", f"cannot compare {_describe(lt)} with {_describe(rt)} using {op}", span)

    def _r_Member(self, node, scope):
        item, it = self.resolve(node.item, scope)
        options = []
        for option in node.options:
            resolved, ot = self.resolve(option, scope)
            item, it, resolved, ot = self._coerce_literals(item, it, resolved, ot)
            self._check_comparable("=", it, ot, option._span)
            options.append(resolved)
        if item is node.item and all(map(is_, options, node.options)):
            return node, BOOL
        return make.Member(item, tuple(options), node.negated, node._span), BOOL

    def _r_SetLiteral(self, node, scope):
        self.error("E205", "a set {…} can only follow in or not in", node._span)
        return node, ANY

    def _r_Not(self, node, scope):
        operand = self.expect_bool(node.operand, scope)
        if operand is node.operand:
            return node, BOOL
        return make.Not(operand, node._span), BOOL

    def _r_And(self, node, scope):
        return self._logical(node, scope, make.And), BOOL

    def _r_Or(self, node, scope):
        return self._logical(node, scope, make.Or), BOOL

    def _logical(self, node, scope, maker):
        """An and/or chain, link by link (see _r_Binary)."""
        chain = links(node)
        left = self.expect_bool(chain[0].left, scope)
        for link in chain:
            right = self.expect_bool(link.right, scope)
            if left is not link.left or right is not link.right:
                link = maker(left, right, link._span)
            left = link
        return left

    def _r_Implies(self, node, scope):
        cond, then = self.expect_bool(node.cond, scope), self.expect_bool(node.then, scope)
        if cond is node.cond and then is node.then:
            return node, BOOL
        return make.Implies(cond, then, node._span), BOOL

    def _iteration(self, var, source_node, cond, scope):
        source, st = self.resolve(source_node, scope)
        if st == ANY:
            elem = ANY
        elif st[0] == "rows":
            elem = ("row", st[1])
            self._rule_vars[var] = st[1]
        elif st[0] == "list":
            elem = st[1]
        else:
            self.error("E205", f"for each needs a table or a list, found {_describe(st)}", source_node._span)
            elem = ANY
        inner = scope.bind(var, elem)
        where = self.expect_bool(cond, inner) if cond is not None else None
        return source, where, inner

    def _r_ForEach(self, node, scope):
        source, where, inner = self._iteration(node.var, node.source, node.where, scope)
        body = self.expect_bool(node.body, inner)
        if source is node.source and where is node.where and body is node.body:
            return node, BOOL
        return make.ForEach(node.var, source, where, body, node._span), BOOL

    def _r_Comprehension(self, node, scope):
        source, where, inner = self._iteration(node.var, node.source, node.cond, scope)
        elem, et = self.resolve(node.elem, inner)
        if elem is node.elem and source is node.source and where is node.cond:
            return node, ("list", et)
        return make.Comprehension(elem, node.var, source, where, node._span), ("list", et)

    def _r_FieldRef(self, node, scope):  # already resolved (a rule checked twice)
        decl = self.decl_for(node.path)
        return node, self.field_type(decl) if decl else ANY


def _full_width_brackets(name: str) -> str:
    """因公出国(境)费 as labels print it: 因公出国（境）费."""
    return name.replace("(", "（").replace(")", "）")


def _hint_children(prefix: str, fields: dict) -> str | None:
    children = sorted({p[len(prefix) + 1:].split(".")[0] for p in fields if p.startswith(prefix + ".")})
    if not children:
        return None
    shown = ", ".join(children[:6]) + (", …" if len(children) > 6 else "")
    return f"its parts: {shown}"
