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
E216 includes nested too deep (reported by the loader)   E217 a key given twice in an example
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import ast
from .checked import CheckedRuleset  # (defined there: loading a cached ruleset needs no checker)
from .errors import Diagnostic, Location, RuleCheckError
from .signatures import ANY, FUNCTIONS, FunctionChecks, evolve
from .typecheck import TOP, ExpressionChecks
from .values import MONEY_UNITS, dimension_of

__all__ = ["CheckedRuleset", "check", "FUNCTIONS", "KINDS", "DEFAULT_PRECISION"]

KINDS = {"amount", "count", "percent", "number", "text", "flag", "table"}
DEFAULT_PRECISION = {"万元": Decimal("0.01"), "元": Decimal("0.01"), "亿元": Decimal("0.0001"),
                     "千元": Decimal("0.01"), "%": Decimal("0.01")}


class Checker(ExpressionChecks, FunctionChecks):
    """One pass over a ruleset's files; collects diagnostics instead of stopping at the first:
    declarations, then each rule (its expressions resolved by :mod:`fiscalrules.typecheck`, its
    calls by :mod:`fiscalrules.signatures`) and its message placeholders."""

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
        # (name, attribute) as written at a rule's top level (f.a1) -> (the maker of its reference,
        # its path, its type), for a name that is a group of fields: ~23,000 of a 10,000-rule file's
        # ~78,000 expressions resolved
        self._attributes: dict[tuple, tuple] = {}

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
        named = {column.name: column.name for column in decl.columns}   # a column's name or label → the column
        for column in decl.columns:
            if column.kind not in KINDS - {"table"}:
                self.error("E214", f"unknown column kind {column.kind!r}", column._span)
            self._check_kind_unit(column.kind, column.unit, column._span)
            for label in column.labels:   # (rules name a column by its labels too: one column each)
                other = named.setdefault(str(label), column.name)
                if other != column.name:
                    self.error("E213", f"label {label!r} already names {decl.path}.{other}", column._span)
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
            when = self.expect_bool(rule.when, TOP)
        if rule.assertion is None:
            self.error("E210", f"rule {rule.id} has no assert clause", rule._span, length=4)
        else:
            assertion = self.expect_bool(rule.assertion, TOP)
        if rule.tolerance is not None:
            tol = rule.tolerance
            if tol.unit is not None and tol.unit != "%" and dimension_of(tol.unit) != "money":
                self.error("E204", f"a tolerance is an amount of money or a percentage, not {tol.unit}", tol._span)
        for message in (rule.message, rule.message_en):
            if message:
                self.check_placeholders(message, rule, assertion)
        for example in rule.examples:
            for key, span in getattr(example, "repeated", ()):   # (the record keeps the last value)
                self.error("E217", f"the key {key!r} appears twice in an example of rule {rule.id}", span,
                           hint="give each key once")
        self.row_vars[rule.id] = self._rule_vars  # this rule's own dict: the next rule gets a new one
        return evolve(rule, when=when, assertion=assertion)

    PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
    BUILTIN_PLACEHOLDERS = {"left", "right", "diff", "tolerance", "op", "row", "rule", "title", "title_en",
                            "status", "left_expr", "right_expr", "reason", "missing"}

    def check_placeholders(self, message: str, rule: ast.Rule, assertion):
        scope = TOP
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


def _placeholder_expr(name: str):
    from .parser import parse_expression  # the parser imports nothing from here; no cycle
    from .errors import RuleSyntaxError
    try:
        return parse_expression(name)
    except RuleSyntaxError:
        return None


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
