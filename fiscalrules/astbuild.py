"""Rule text → AST: the builder of :mod:`fiscalrules.ast` nodes from the children of each rule of
the grammar (``grammar.lark``), one method per rule, named as lark names its tree.

fiscalrules.parser runs it: the fast parse's reductions (fiscalrules.lalr) call a method as its
rule is reduced, and on the lark path parser._walk calls it over lark's tree.  A method marked
:func:`~fiscalrules.lalr.spanned` takes its node's span data first.  A mistake in the text that
the grammar lets through (a number out of range, an unknown severity, a misplaced clause) is a
:class:`_BuildError`, which the parser reports as a RuleSyntaxError at the token's place.
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .ast import make  # nodes made from every field, without attrs' __init__ (see there)
from .lalr import chained, spanned
from .values import parse_decimal

__all__ = ["SEVERITIES"]

_COMPARISONS = {"==": "=", "＝": "=", "≠": "!=", "≤": "<=", "≥": ">=", "＜": "<", "＞": ">"}
_ARITH = {"＋": "+", "－": "-", "×": "*", "÷": "/"}
SEVERITIES = ("error", "warning", "info")


class _BuildError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None, code: str = "E108"):
        super().__init__(message)
        self.message, self.line, self.column, self.code = message, line, column, code


# A token is a plain tuple (type, value, line, column, end_line, end_column), as the fast parse
# makes them (fiscalrules.lalr: ~280,000 of them for a 10,000-rule file, where a tuple subclass read
# by name cost four times as much to make); on the lark path, parser._token makes lark's tokens
# into the same tuples.  Read by index: TEXT, LINE and COLUMN.
TEXT, LINE, COLUMN = 1, 2, 3


def _unquote(token: tuple) -> str:
    raw = token[TEXT]
    if raw.startswith("“"):
        return raw[1:-1]
    body = raw[1:-1]
    if "\\" not in body:  # nothing escaped: the common case, without walking the text
        return body
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _name(token: tuple) -> str:
    raw = token[TEXT]
    return raw[1:-1] if raw.startswith("`") else raw


def _decimal(token: tuple) -> Decimal:
    try:
        value = parse_decimal(token[TEXT])
    except ValueError as exc:  # more than 30 significant digits, or out of range
        raise _BuildError(f"{exc}", token[LINE], token[COLUMN]) from None
    if value is None:  # pragma: no cover - the NUMBER terminal only admits plain decimals
        raise _BuildError(f"not a number: {token[TEXT]}", token[LINE], token[COLUMN])
    return value



# A builder method taking (span, children), its span data as the node keeps it: the reductions give
# it, and _walk makes it from lark's meta (a plain tuple, which the collector need not track)
_spanned = spanned


class _Builder:
    """Makes AST nodes, each with its span, from a rule's children: one method per rule of the
    grammar, named as lark names its tree (called by the fast parse's reductions, or by _walk)."""

    def __init__(self, file: str | None, text: str):
        self.file = file
        self.text = text
        self.repeated: list = []   # keys given twice in the example being read (see record_map)

    # -- top level
    def start(self, items):
        return list(items)

    @_spanned
    def ruleset_decl(self, span, children):
        name, title, title_en = children
        return ast.RulesetDecl(_name(name), _opt_str(title), _opt_str(title_en), span=span)

    @_spanned
    def unit_decl(self, span, children):
        return ast.UnitDecl(_unit(children[0]), span=span)

    @_spanned
    def precision_decl(self, span, children):
        unit, number = children
        value = _decimal(number)
        if value <= 0:
            raise _BuildError("precision must be greater than zero", number[LINE], number[COLUMN])
        return ast.PrecisionDecl(_unit(unit), value, span=span)

    @_spanned
    def include_decl(self, span, children):
        bundled, path = children
        return ast.IncludeDecl(_unquote(path), span=span, bundled=bundled is not None)

    # -- fields
    def field_path(self, children):
        return ".".join([c[TEXT] for c in children])

    def labels(self, children):
        return tuple(_unquote(c) for c in children if c is not None)

    def simple_type(self, children):
        kind, unit = children
        return (kind[TEXT], _unit(unit) if unit is not None else None, (), kind)

    def table_type(self, children):
        kind, *columns = children
        if kind[TEXT] != "table":
            raise _BuildError(f"only a table has columns, not {kind[TEXT]}", kind[LINE], kind[COLUMN], "E109")
        return ("table", None, tuple(columns), kind)

    @_spanned
    def column_decl(self, span, children):
        name, labels, kind, unit, *default = children
        return ast.ColumnDecl(_name(name), labels, kind[TEXT], _unit(unit) if unit is not None else None,
                              default[0] if default else None, span=span)

    def field_default(self, children):
        return children[0]

    def signed_number(self, children):
        sign, number = children
        value = _decimal(number)
        return -value if sign is not None else value

    @_spanned
    def field_decl(self, span, children):
        path, labels, (kind, unit, columns, _token), *default = children
        return ast.FieldDecl(path, labels, kind, unit, columns, default[0] if default else None,
                             span=span)

    # -- rules
    @_spanned
    def rule_block(self, span, children):
        rule_id, title, title_en, *clauses = children
        fields: dict = {"title": _opt_str(title), "title_en": _opt_str(title_en)}
        examples = []
        seen_title = False  # a title clause may replace the header's title, but only once
        for kind, value, (clause_line, clause_column, *_) in clauses:
            if kind == "example":
                examples.append(value)
                continue
            if kind in ("title", "description", "message"):
                zh, en = value
                if (fields.get(kind) is not None and kind != "title") or (kind == "title" and seen_title):
                    raise _BuildError(f"rule {rule_id[TEXT]} has two {kind} clauses", clause_line,
                                      clause_column, "E110")
                fields[kind], fields[kind + "_en"] = zh, en
                seen_title = seen_title or kind == "title"
                continue
            if fields.get(kind) is not None:
                raise _BuildError(f"rule {rule_id[TEXT]} has two {kind} clauses", clause_line,
                                  clause_column, "E110")
            fields[kind] = value
        # By position, in the class's order (attrs' frozen __init__ by keyword was ~18,000
        # instructions a rule, a tenth of the parse once the token loop was in C)
        get = fields.get
        return make.Rule(rule_id[TEXT], get("title"), get("title_en"), get("severity"), get("tags", ()),
                         get("reference"), get("description"), get("description_en"), get("message"),
                         get("message_en"), get("when"), get("assertion"), get("tolerance"), tuple(examples), span)

    @_spanned
    def rule_line(self, span, children):
        rule_id, title, title_en, expr, tolerance = children
        tol = tolerance[1] if tolerance is not None else None
        return make.Rule(rule_id[TEXT], _opt_str(title), _opt_str(title_en), None, (), None, None, None, None, None,
                         None, expr, tol, (), span)

    @_spanned
    def title_clause(self, span, children):
        return ("title", (_unquote(children[0]), _opt_str(children[1])), span)

    @_spanned
    def severity_clause(self, span, children):
        token = children[0]
        if token[TEXT] not in SEVERITIES:
            raise _BuildError(f"unknown severity {token[TEXT]!r}: use error, warning or info",
                              token[LINE], token[COLUMN], "E111")
        return ("severity", token[TEXT], span)

    @_spanned
    def tags_clause(self, span, children):
        return ("tags", tuple(_name(c) for c in children), span)

    @_spanned
    def reference_clause(self, span, children):
        return ("reference", _unquote(children[0]), span)

    @_spanned
    def description_clause(self, span, children):
        return ("description", (_unquote(children[0]), _opt_str(children[1])), span)

    @_spanned
    def message_clause(self, span, children):
        return ("message", (_unquote(children[0]), _opt_str(children[1])), span)

    @_spanned
    def when_clause(self, span, children):
        return ("when", children[0], span)

    @_spanned
    def assert_clause(self, span, children):
        return ("assertion", children[0], span)

    @_spanned
    def tolerance(self, span, children):
        number, unit = children
        return ("tolerance", ast.Tolerance(_decimal(number), _unit(unit) if unit is not None else None,
                                           span=span), span)

    @_spanned
    def example_clause(self, span, children):
        expect, record = children
        # "not applicable" / "not_applicable" are one expectation: the status name
        expect_text = "_".join(expect[TEXT].split()).replace("__", "_")
        # the keys given twice within this example's span (a record map's reductions come first;
        # any left by an example that did not parse lie before it and are dropped)
        repeated = tuple(r for r in self.repeated if (r[1][0], r[1][1]) >= (span[0], span[1]))
        self.repeated = []
        return ("example", ast.Example(expect_text, record, span=span, repeated=repeated), span)

    # -- example records
    @_spanned
    def record_map(self, span, children):
        data: dict = {}
        for entry in children:
            if entry is None:
                continue
            (keys, key_span), value = entry
            target = data
            for key in keys[:-1]:
                target = target.setdefault(key, {})
                if not isinstance(target, dict):
                    raise _BuildError(f"example record sets {'.'.join(keys)} inside a value",
                                      span[0] or None, span[1] or None)
            if keys[-1] in target:   # {a: 1, a: 2}, {a.b: 1, a: {b: 2}}: the checker says so (E217)
                self.repeated.append((".".join(keys), key_span))
            target[keys[-1]] = value
        return data

    def record_entry(self, children):
        return children

    def record_key(self, children):
        """The key's parts, with its span data (for a key given twice)."""
        first, last = children[0], children[-1]
        span = (first[LINE], first[COLUMN], last[4], last[5], self.file)
        if len(children) == 1 and first[TEXT].startswith(('"', "“")):
            return (_unquote(first),), span
        return tuple([c[TEXT] for c in children]), span

    def record_list(self, children):
        return [c for c in children if c is not None] if children != [None] else []

    def record_number(self, children):
        value, unit = children
        return {"value": value, "unit": _unit(unit)} if unit is not None else value

    def record_string(self, children):
        return _unquote(children[0])

    def record_true(self, _):
        return True

    def record_false(self, _):
        return False

    def record_null(self, _):
        return None

    # -- expressions
    @_spanned
    def implies(self, span, children):
        return make.Implies(children[0], children[1], span)

    @chained
    @_spanned
    def or_(self, span, children):
        return make.Or(children[0], children[1], span)

    @chained
    @_spanned
    def and_(self, span, children):
        return make.And(children[0], children[1], span)

    @_spanned
    def not_(self, span, children):
        return make.Not(children[0], span)

    @_spanned
    def quantifier(self, span, children):
        var, source, where, body = children
        return make.ForEach(_name(var), source, where, body, span)

    @_spanned
    def compare(self, span, children):
        left, op, right = children
        op = op[TEXT]
        return make.Compare(_COMPARISONS.get(op, op), left, right, span)

    @_spanned
    def member(self, span, children):
        return make.Member(children[0], children[1].items, False, span)

    @_spanned
    def not_member(self, span, children):
        return make.Member(children[0], children[1].items, True, span)

    @chained
    @_spanned
    def binary(self, span, children):
        left, op, right = children
        op = op[TEXT]
        return make.Binary(_ARITH.get(op, op), left, right, span)

    @_spanned
    def negate(self, span, children):
        # "-3" stays Unary(Number(3)) so that printing and parsing agree.
        return make.Unary("-", children[1], span)

    @_spanned
    def attribute(self, span, children):
        return make.Attribute(children[0], _name(children[1]), span)

    @_spanned
    def wildcard(self, span, children):
        return make.Star(children[0], span)

    @_spanned
    def index(self, span, children):
        return make.Index(children[0], children[1], span)

    @_spanned
    def number(self, span, children):
        number, unit = children
        return make.Number(_decimal(number), _unit(unit) if unit is not None else None, span)

    @_spanned
    def string(self, span, children):
        return make.String(_unquote(children[0]), span)

    @_spanned
    def true(self, span, _):
        return make.Boolean(True, span)

    @_spanned
    def false(self, span, _):
        return make.Boolean(False, span)

    @_spanned
    def name(self, span, children):
        token = children[0]
        raw = token[TEXT]
        if raw.startswith("`"):
            return make.Name(raw[1:-1], True, span)
        return make.Name(raw, False, span)

    @_spanned
    def call(self, span, children):
        func, args = children
        if args is None:
            args = ()
        elif isinstance(args, ast.Comprehension):
            args = (args,)
        return make.Call(func[TEXT], tuple(args), span)

    def arguments(self, children):
        return tuple(children)

    @_spanned
    def comprehension(self, span, children):
        elem, var, source, cond = children
        return make.Comprehension(elem, _name(var), source, cond, span)

    @_spanned
    def set_literal(self, span, children):
        return make.SetLiteral(tuple([c for c in children if c is not None]), span)


def _opt_str(token) -> str | None:
    return _unquote(token) if token is not None else None


def _unit(token) -> str:
    unit = token[TEXT]
    return "%" if unit == "％" else unit
