"""The static checker: resolves names, checks types and units, and reports every problem at once.

Input: the parsed rule files of one ruleset (the main file and its includes, already loaded by
:mod:`fiscalrules.loader`).  Output: a :class:`CheckedRuleset` whose rules refer to fields by
canonical path (``FieldRef``, ``TableRef``, ``Wildcard``, ``Column``, ``Lookup``, ``VarRef``),
ready for :mod:`fiscalrules.evaluator` to compile -- or a :class:`RuleCheckError` listing every
diagnostic, each with a stable code, file:line:column and a caret excerpt.

Diagnostic codes:
E201 unknown field (with a did-you-mean)   E202 unknown function       E203 wrong number of arguments
E204 unit mismatch                         E205 type mismatch          E206 duplicate rule id
E207 wildcard/table matches nothing        E208 include cycle          E209 unknown message placeholder
E210 rule without an assertion             E211 include not found      E212 unknown column
E213 duplicate field or alias              E214 unknown field kind     E215 bad argument
E216 includes nested too deep (reported by the loader)
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from . import ast
from .ast import make  # nodes made from every field, without attrs' __init__ (see there)
from .errors import Diagnostic, Location, RuleCheckError
from .printer import to_source
from .signatures import (ANY, BOOL, FUNCTIONS, NUMBER, TEXT, FunctionChecks, _describe, _dim_words, _num,
                         as_money, evolve, is_bare_constant)
from .values import MONEY_UNITS, dimension_of

__all__ = ["CheckedRuleset", "check", "FUNCTIONS", "KINDS", "DEFAULT_PRECISION"]

KINDS = {"amount", "count", "percent", "number", "text", "flag", "table"}
DEFAULT_PRECISION = {"万元": Decimal("0.01"), "元": Decimal("0.01"), "亿元": Decimal("0.0001"),
                     "千元": Decimal("0.01"), "%": Decimal("0.01")}

@attrs.frozen
class CheckedRuleset:
    """A ruleset whose rules are resolved and type-checked."""

    name: str
    title: str | None
    title_en: str | None
    default_unit: str | None
    precisions: dict
    fields: dict          # path → FieldDecl (wildcard declarations under "prefix.*")
    labels: dict          # label or alias → path
    rules: tuple          # ast.Rule with resolved expressions
    files: tuple          # the files read, main first
    row_vars: dict = attrs.field(factory=dict)  # rule id → {var name: table path}


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


class Checker(FunctionChecks):
    """One pass over a ruleset's files; collects diagnostics instead of stopping at the first."""

    def __init__(self, files: list[ast.RuleFile], extra_diagnostics=()):
        self.files = files
        self.sources = {f.file: f.source for f in files}
        self.diagnostics: list[Diagnostic] = list(extra_diagnostics)
        self.fields: dict[str, ast.FieldDecl] = {}
        self.labels: dict[str, str] = {}
        self.prefixes: set[str] = set()
        self.default_unit: str | None = None
        self.precisions: dict = dict(DEFAULT_PRECISION)
        self.row_vars: dict = {}
        self._lines: dict = {}  # file -> its source lines, for error excerpts
        self._members: dict = {}  # (group prefix, fields declared) -> the group's member declarations
        # What a dotted path denotes and its type, worked out once per path rather than once per
        # mention (a 10,000-rule file mentions ~45,000 paths; the declarations are complete before
        # the first rule is checked, see check())
        self._paths: dict[str, tuple] = {}
        self._names: dict[str, str] = {}  # a name as written -> the path its label or alias names

    # ---- reporting
    def error(self, code: str, message: str, span: ast.SpanData, hint: str | None = None, length=None):
        # Nodes are passed around with their span data as it is (a tuple, see ast.SpanData): only
        # a diagnostic needs its Span
        if type(span) is not ast.Span:
            span = ast.Span(*span)
        lines = self._lines.get(span.file)
        if lines is None:  # split once per file: a big file with many mistakes stays linear
            lines = self._lines[span.file] = self.sources.get(span.file, "").splitlines()
        line_text = lines[span.line - 1] if span.line and 0 < span.line <= len(lines) else None
        if length is None:
            length = (span.end_column - span.column) if span.end_line == span.line else 1
        location = Location(span.file, span.line or None, span.column or None, line_text, max(length, 1))
        self.diagnostics.append(Diagnostic(code, message, location, hint))

    # ---- declarations
    def declare(self) -> tuple:
        name = title = title_en = None
        for file in self.files:
            for item in file.items:
                if isinstance(item, ast.RulesetDecl) and name is None:
                    name, title, title_en = item.name, item.title, item.title_en
                elif isinstance(item, ast.UnitDecl) and self.default_unit is None:
                    if item.unit not in MONEY_UNITS:
                        self.error("E204", f"the default unit must be a money unit, not {item.unit}", item._span)
                    else:
                        self.default_unit = item.unit
                elif isinstance(item, ast.PrecisionDecl):
                    self.precisions[item.unit] = item.precision
                elif isinstance(item, ast.FieldDecl):
                    self._declare_field(item)
        return name, title, title_en

    def _declare_field(self, decl: ast.FieldDecl):
        if decl.kind not in KINDS:
            self.error("E214", f"unknown field kind {decl.kind!r}", decl._span,
                       hint="kinds: " + ", ".join(sorted(KINDS)))
        self._check_kind_unit(decl.kind, decl.unit, decl._span)
        for column in decl.columns:
            if column.kind not in KINDS - {"table"}:
                self.error("E214", f"unknown column kind {column.kind!r}", column._span)
            self._check_kind_unit(column.kind, column.unit, column._span)
        if decl.path in self.fields:
            self.error("E213", f"field {decl.path} is declared twice", decl._span)
            return
        self.fields[decl.path] = decl
        parts = decl.path.split(".")
        for i in range(1, len(parts)):
            self.prefixes.add(".".join(parts[:i]))
        for label in decl.labels:
            other = self.labels.get(label)
            if other is not None and other != decl.path:
                self.error("E213", f"label {label!r} already names {other}", decl._span)
            else:
                self.labels[label] = decl.path

    def _check_kind_unit(self, kind, unit, span):
        if unit is None:
            return
        dim = dimension_of(unit)
        expected = {"amount": "money", "percent": "percent"}.get(kind)
        if kind == "count" and not dim.startswith("count:"):
            self.error("E204", f"a count is measured in 人, 辆, 次 …, not {unit}", span)
        elif expected and dim != expected:
            self.error("E204", f"a field of kind {kind} cannot have the unit {unit}", span)
        elif kind in ("text", "flag", "number", "table"):
            self.error("E204", f"a field of kind {kind} has no unit", span)

    def field_type(self, decl: ast.FieldDecl | ast.ColumnDecl) -> tuple:
        kind = decl.kind
        if kind == "amount":
            return _num("money")
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

    # ---- rules
    def check_rules(self) -> list[ast.Rule]:
        seen: dict[str, ast.Rule] = {}
        checked = []
        for file in self.files:
            for item in file.items:
                if not isinstance(item, ast.Rule):
                    continue
                if item.id in seen:
                    self.error("E206", f"rule id {item.id} is used twice", item._span,
                               hint=f"first at line {seen[item.id].span.line}",
                               length=len(item.id) + 5)
                    self.check_rule(item)  # still report what is wrong inside it
                    continue
                seen[item.id] = item
                checked.append(self.check_rule(item))
        return checked

    def check_rule(self, rule: ast.Rule) -> ast.Rule:
        # The parser reads somewhat deeper expressions than this recursive walk can check: report
        # it as a diagnostic rather than let a RecursionError escape compile_rules.
        try:
            return self._check_rule(rule)
        except RecursionError:
            self.error("E106", f"rule {rule.id} is nested too deeply to check", rule._span, length=4)
            return rule

    def _check_rule(self, rule: ast.Rule) -> ast.Rule:
        self._rule_vars: dict = {}
        when = assertion = None
        if rule.when is not None:
            when = self.expect_bool(rule.when, _Scope())
        if rule.assertion is None:
            self.error("E210", f"rule {rule.id} has no assert clause", rule._span, length=4)
        else:
            assertion = self.expect_bool(rule.assertion, _Scope())
        if rule.tolerance is not None:
            tol = rule.tolerance
            if tol.unit is not None and tol.unit != "%" and dimension_of(tol.unit) != "money":
                self.error("E204", f"a tolerance is an amount of money or a percentage, not {tol.unit}", tol._span)
        for message in (rule.message, rule.message_en):
            if message:
                self.check_placeholders(message, rule, assertion)
        self.row_vars[rule.id] = dict(self._rule_vars)
        return evolve(rule, when=when, assertion=assertion)

    PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
    BUILTIN_PLACEHOLDERS = {"left", "right", "diff", "tolerance", "op", "row", "rule", "title", "title_en",
                            "status", "left_expr", "right_expr", "reason", "missing"}

    def check_placeholders(self, message: str, rule: ast.Rule, assertion):
        scope = _Scope()
        if isinstance(assertion, ast.ForEach):
            table = self._rule_vars.get(assertion.var)  # a table path, not a type: {r.name} is a row's cell
            scope = scope.bind(assertion.var, ("row", table) if table is not None else ANY)
        for match in self.PLACEHOLDER.finditer(message):
            name = match.group(1).strip()
            if name in self.BUILTIN_PLACEHOLDERS:
                continue
            before = len(self.diagnostics)
            try:
                expr = _placeholder_expr(name)
            except ValueError:
                expr = None
            if expr is None:
                self.error("E209", f"unknown placeholder {{{name}}} in the message of rule {rule.id}", rule._span,
                           hint="use {left}, {right}, {diff}, {tolerance}, {row}, a field or a cell of the row")
                continue
            resolved, _ = self.resolve(expr, scope)
            # A placeholder shows one printed figure: a field, or a cell of the rule's row.
            shows_a_figure = isinstance(resolved, ast.FieldRef) or (
                isinstance(resolved, ast.Column) and isinstance(resolved.obj, ast.VarRef))
            if len(self.diagnostics) > before or not shows_a_figure:
                del self.diagnostics[before:]
                self.error("E209", f"unknown placeholder {{{name}}} in the message of rule {rule.id}",
                           rule._span, hint="use {left}, {right}, {diff}, {tolerance}, {row}, a field or a cell of the row")

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
        resolved, type_ = function(self, node, scope)
        if type(resolved) is _Group:
            self.error("E201", f"{resolved.prefix} is a group of fields, not a value", node._span,
                       hint=_hint_children(resolved.prefix, self.fields))
            return node, ANY
        return resolved, type_

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
        inner, inner_type = self._lookup_path(node.obj, scope)
        if isinstance(inner, _Group):
            path = f"{inner.prefix}.{node.name}"
            resolved, type_ = self._ref(path, node._span)
            if resolved is None:
                self.unknown_field(path, node._span)
                return node, ANY
            return resolved, type_
        obj, obj_type = self.resolve(node.obj, scope) if inner is None else (inner, inner_type)
        if obj_type == ANY:
            return node, ANY
        if obj_type[0] in ("row", "rows"):
            column_type = self.column_type(obj_type[1], node.name, node._span)
            type_ = column_type if obj_type[0] == "row" else ("list", column_type)
            return make.Column(obj, node.name, node._span), type_
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
        close = difflib.get_close_matches(name, [c.name for c in decl.columns], n=1)
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

    # The commonest nodes are rebuilt directly rather than through evolve() (the checker makes
    # ~50,000 of them for a 10,000-rule file); the node itself when nothing under it changed.
    def _r_Unary(self, node, scope):
        operand, type_ = self.expect_num(node.operand, scope)
        if operand is node.operand:
            return node, type_
        return make.Unary(node.op, operand, node._span), type_

    def _r_Binary(self, node, scope):
        left, lt = self.expect_num(node.left, scope)
        right, rt = self.expect_num(node.right, scope)
        if node.op in "+-":  # a scale factor (x * 1.2, x / 2) stays a plain number
            left, lt, right, rt = self._coerce_literals(left, lt, right, rt)
        type_ = self._arith_type(node.op, lt, rt, node._span)
        if left is node.left and right is node.right:
            return node, type_
        return make.Binary(node.op, left, right, node._span), type_

    def _coerce_literals(self, left, lt, right, rt):
        """A bare constant beside money is money in the ruleset's default unit: ``x = 50`` and
        ``x = -5`` and ``x = 2 * 5`` read 50, −5 and 10 万元 in a 万元 ruleset."""
        money = _num("money")
        if rt == money and is_bare_constant(left):
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
        self._check_comparable(node.op, lt, rt, node._span)
        if left is node.left and right is node.right:
            return node, BOOL
        return make.Compare(node.op, left, right, node._span), BOOL

    def _check_comparable(self, op, lt, rt, span):
        if lt == ANY or rt == ANY:
            return
        if lt[0] == "num" and rt[0] == "num":
            a, b = lt[1], rt[1]
            if a != b and "number" not in (a, b) and {a, b} != {"percent", "number"}:
                self.error("E204", f"cannot compare {_dim_words(a)} with {_dim_words(b)}", span)
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
        return evolve(node, item=item, options=tuple(options)), BOOL

    def _r_SetLiteral(self, node, scope):
        self.error("E205", "a set {…} can only follow in or not in", node._span)
        return node, ANY

    def _r_Not(self, node, scope):
        return evolve(node, operand=self.expect_bool(node.operand, scope)), BOOL

    def _r_And(self, node, scope):
        return evolve(node, left=self.expect_bool(node.left, scope),
                            right=self.expect_bool(node.right, scope)), BOOL

    def _r_Or(self, node, scope):
        return evolve(node, left=self.expect_bool(node.left, scope),
                            right=self.expect_bool(node.right, scope)), BOOL

    def _r_Implies(self, node, scope):
        return evolve(node, cond=self.expect_bool(node.cond, scope),
                            then=self.expect_bool(node.then, scope)), BOOL

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
        return evolve(node, source=source, where=where, body=body), BOOL

    def _r_Comprehension(self, node, scope):
        source, where, inner = self._iteration(node.var, node.source, node.cond, scope)
        elem, et = self.resolve(node.elem, inner)
        return evolve(node, elem=elem, source=source, cond=where), ("list", et)

    def _r_FieldRef(self, node, scope):  # already resolved (a rule checked twice)
        return node, self.field_type(self.decl_for(node.path)) if self.decl_for(node.path) else ANY


def _full_width_brackets(name: str) -> str:
    """因公出国(境)费 as labels print it: 因公出国（境）费."""
    return name.replace("(", "（").replace(")", "）")


def _placeholder_expr(name: str):
    from .parser import parse_expression  # the parser imports nothing from here; no cycle
    from .errors import RuleSyntaxError
    try:
        return parse_expression(name)
    except RuleSyntaxError:
        return None


def _hint_children(prefix: str, fields: dict) -> str | None:
    children = sorted({p[len(prefix) + 1:].split(".")[0] for p in fields if p.startswith(prefix + ".")})
    if not children:
        return None
    shown = ", ".join(children[:6]) + (", …" if len(children) > 6 else "")
    return f"its parts: {shown}"


def check(files: list[ast.RuleFile], extra_diagnostics=()) -> CheckedRuleset:
    """Check a ruleset made of *files* (main first).  Raises RuleCheckError with every problem."""
    checker = Checker(files, extra_diagnostics)
    name, title, title_en = checker.declare()
    rules = checker.check_rules()
    if checker.diagnostics:
        raise RuleCheckError(sorted(checker.diagnostics, key=_diagnostic_order))
    main = files[0].file if files else None
    return CheckedRuleset(
        name=name or _default_name(main), title=title, title_en=title_en,
        default_unit=checker.default_unit, precisions=checker.precisions, fields=checker.fields,
        labels=checker.labels, rules=tuple(rules), files=tuple(f.file for f in files),
        row_vars=checker.row_vars)


def _diagnostic_order(d: Diagnostic):
    return (d.location.file or "", d.location.line or 0, d.location.column or 0, d.code)


def _default_name(file: str | None) -> str:
    if not file:
        return "rules"
    stem = file.replace("\\", "/").rsplit("/", 1)[-1]
    return stem.rsplit(".", 1)[0] or "rules"
