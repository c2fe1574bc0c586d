"""The printer: AST nodes back to rule text (:func:`to_source`), in the fewest parentheses that
keep their meaning, names quoted where the grammar needs it; :func:`describe` (an expression with
its fields' labels, for messages) and :func:`format_record` (an example's record literal).  What
it prints parses back to an equal tree -- the round-trip property the tests check.
"""

from __future__ import annotations

import contextvars
from decimal import Decimal

from .ast import (And, Attribute, Binary, Boolean, Call, Column, Compare, Comprehension, FieldDecl, FieldRef,
                  ForEach, Implies, IncludeDecl, Index, Lookup, Member, Name, Not, Number, Or, PrecisionDecl, Rule,
                  RuleFile, RulesetDecl, SetLiteral, Star, String, TableRef, Unary, UnitDecl, VarRef, Wildcard)
from .values import format_decimal


def _is_simple_name(name: str) -> bool:
    """Whether *name* matches ``[A-Za-z_CJK][A-Za-z0-9_CJK]*`` (CJK: U+3400-4DBF, U+4E00-9FFF,
    U+F900-FAFF), the grammar's plain identifier.  Written out rather than as a pattern:
    compiling those character ranges costs ~4 ms of every start, and this runs only to print."""
    if name.isascii():
        return name.isidentifier()     # for ASCII text exactly [A-Za-z_][A-Za-z0-9_]*
    if not name or name[0].isdigit():
        return False
    for ch in name:
        if ch < "\x80":
            if not (ch.isalnum() or ch == "_"):
                return False
        elif not _is_cjk(ch):
            return False
    return True


def _is_cjk(ch: str) -> bool:
    """Whether *ch* is one of the grammar's Chinese identifier characters."""
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


KEYWORDS = frozenset("""ruleset unit precision include field rule title severity tags reference
    description message when assert within example default if then or and not for each in where
    true false null pass fail""".split())

# Binding strength of each node kind, for minimal parenthesisation.
_PREC = {ForEach: 0, Implies: 1, Or: 2, And: 3, Not: 4, Compare: 5, Member: 5}


def _prec(node) -> int:
    if isinstance(node, Binary):
        return 6 if node.op in "+-" else 7
    if isinstance(node, Unary):
        return 8
    return _PREC.get(type(node), 9)


def quote_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def format_name(name: str, segment: bool = False) -> str:
    """A name as rule text; backticks where it is not a plain identifier (or, at the start of
    an expression, where it is a keyword).  After a dot keywords need no quoting."""
    if _is_simple_name(name) and (segment or name not in KEYWORDS):
        return name
    return f"`{name}`"


_LABELS: contextvars.ContextVar = contextvars.ContextVar("labels", default=None)


def describe(node, labels: dict) -> str:
    """Print an expression for people: fields by their label (``收入预算总额``) where they have one,
    a named table's columns likewise (*labels*' keys ``(table path, column)``)."""
    token = _LABELS.set(labels)
    try:
        return _expr(node)
    finally:
        _LABELS.reset(token)


def _labelled(path: str, suffix: str = "") -> str | None:
    labels = _LABELS.get()
    if labels is None:
        return None
    label = labels.get(path + suffix)
    return label


def _column_labelled(node) -> str | None:
    """For people, a table's column (``功能表.合计``, ``功能表["201"].合计``, ``r.合计``) by its
    label: the labels :func:`describe` is given hold them as ``(table path, column)``, and a row
    variable's table as ``("row", name)``."""
    labels = _LABELS.get()
    if labels is None:
        return None
    table = node.obj.table if type(node.obj) is Lookup else node.obj
    if type(table) is TableRef:
        return labels.get((table.path, node.name))
    if type(table) is VarRef:
        path = labels.get(("row", table.name))
        return labels.get((path, node.name)) if path is not None else None
    return None


def to_source(node) -> str:
    """Print a node (expression, item or whole file) as rule text the parser reads back."""
    if isinstance(node, RuleFile):
        return "\n".join(to_source(item) for item in node.items) + "\n"
    printer = _ITEM_PRINTERS.get(type(node))
    if printer:
        return printer(node)
    return _expr(node)


def _wrap(child, parent_prec: int, right: bool = False) -> str:
    text = _expr(child)
    p = _prec(child)
    # a right operand of the same binding strength needs parentheses: a - (b - c), a and (b and c)
    if p < parent_prec or (right and p == parent_prec):
        return f"({text})"
    return text


def _chain(node) -> str:
    """A chain (``a + b * c - d``, ``a and b and c``: fiscalrules.chains) link by link, left to
    right, without recursion: each link's left operand is the text so far, bracketed (from its
    start) where it binds less tightly than the link, as _wrap brackets an operand."""
    chain = _chains.links(node)
    opened = 0
    parts = [_wrap(chain[0].left, _prec(chain[0]))]
    below = None
    for link in chain:
        p = _prec(link)
        if below is not None and _prec(below) < p:
            opened += 1
            parts.append(")")
        op = link.op if type(link) is Binary else ("and" if type(link) is And else "or")
        parts.append(f" {op} {_wrap(link.right, p, right=True)}")
        below = link
    return "(" * opened + "".join(parts)


def _number(value: Decimal) -> str:
    return format_decimal(value) if value == value.to_integral_value() else f"{value:f}"


def _expr(node) -> str:  # noqa: C901 - one case per node kind reads best as a flat dispatch
    t = type(node)
    if t is Number:
        text = _number(node.value)
        return f"{text} {node.unit}" if node.unit and node.unit != "%" else text + (node.unit or "")
    if t is String:
        return quote_string(node.value)
    if t is Boolean:
        return "true" if node.value else "false"
    if t is Name:
        return format_name(node.name)
    if t is Attribute:
        return f"{_wrap(node.obj, 9)}.{format_name(node.name, True)}"
    if t is Star:
        return f"{_wrap(node.obj, 9)}.*"
    if t is Index:
        return f"{_wrap(node.obj, 9)}[{_expr(node.key)}]"
    if t is Call:
        # A name ending in a Chinese character takes a bracketed Chinese part into itself
        # (因公出国(境)费 is one label): 收入(收入预算总额) would read back as one name, so a
        # function so named is written with a space, which the grammar reads as a call.
        gap = " " if node.func and _is_cjk(node.func[-1]) else ""
        return f"{node.func}{gap}({', '.join(_expr(a) for a in node.args)})"
    if t is Comprehension:
        # the grammar reads a loop variable as a plain name: never backticks, keywords included
        text = f"{_expr(node.elem)} for {format_name(node.var, True)} in {_wrap(node.source, 6)}"
        return text + (f" where {_wrap(node.cond, 2)}" if node.cond is not None else "")
    if t is Unary:
        return f"-{_wrap(node.operand, 8)}"
    if t is Binary or t is And or t is Or:
        return _chain(node)
    if t is Compare:
        return f"{_wrap(node.left, 6)} {node.op} {_wrap(node.right, 6)}"
    if t is Member:
        options = ", ".join(_expr(o) for o in node.options)
        return f"{_wrap(node.item, 6)} {'not in' if node.negated else 'in'} {{{options}}}"
    if t is SetLiteral:
        return "{" + ", ".join(_expr(i) for i in node.items) + "}"
    if t is Not:
        return f"not {_wrap(node.operand, 4)}"
    if t is Implies:
        return f"if {_wrap(node.cond, 2)} then {_wrap(node.then, 1)}"
    if t is ForEach:
        where = f" where {_wrap(node.where, 2)}" if node.where is not None else ""
        return f"(for each {format_name(node.var, True)} in {_wrap(node.source, 6)}{where}: {_expr(node.body)})"
    if t is FieldRef or t is TableRef:
        return _labelled(node.path) or _path(node.path)
    if t is Wildcard:
        return _path(node.prefix) + ".*"
    if t is VarRef:
        return format_name(node.name)
    if t is Column:
        return f"{_wrap(node.obj, 9)}.{_column_labelled(node) or format_name(node.name, True)}"
    if t is Lookup:
        return f"{_wrap(node.table, 9)}[{_expr(node.key)}]"
    raise TypeError(f"not an expression node: {node!r}")


def _path(path: str) -> str:
    first, *rest = path.split(".")
    return ".".join([format_name(first)] + [format_name(p, True) for p in rest])


def _top_expr(node) -> str:
    """An assertion or precondition: a top-level quantifier needs no parentheses."""
    text = _expr(node)
    if isinstance(node, ForEach):
        return text[1:-1]
    return text


def _strings(*values: str | None) -> str:
    return "".join(f" {quote_string(v)}" for v in values if v is not None)


def _labels(labels: tuple[str, ...]) -> str:
    return (" " + ", ".join(quote_string(label) for label in labels)) if labels else ""


def _field(node: FieldDecl) -> str:
    path = ".".join(p if p == "*" else format_name(p, True) for p in node.path.split("."))
    if node.kind == "table" and node.columns:  # "field t: table" alone has no "()"
        cols = ", ".join(f"{format_name(c.name, True)}{_labels(c.labels)}: {c.kind}{' ' + c.unit if c.unit else ''}"
                         + (f" default {_number(c.default)}" if c.default is not None else "")
                         for c in node.columns)
        kind = f"table({cols})"
    else:
        kind = node.kind + (f" {node.unit}" if node.unit else "")
    default = f" default {_number(node.default)}" if node.default is not None else ""
    return f"field {path}{_labels(node.labels)}: {kind}{default}"


def _rule(node: Rule) -> str:
    title = _strings(node.title, node.title_en if node.title is not None else None)
    lines = [f"rule {node.id}{title} {{"]
    if node.title is None and node.title_en is not None:  # pragma: no cover - parser never builds it
        lines.append(f"    title {quote_string(node.title_en)}")
    if node.severity:
        lines.append(f"    severity {node.severity}")
    if node.tags:
        # the grammar reads tags as plain names (no backticks), keywords included
        lines.append("    tags " + ", ".join(format_name(t, True) for t in node.tags))
    if node.reference is not None:
        lines.append(f"    reference {quote_string(node.reference)}")
    if node.description is not None:
        lines.append(f"    description{_strings(node.description, node.description_en)}")
    if node.message is not None:
        lines.append(f"    message{_strings(node.message, node.message_en)}")
    if node.when is not None:
        lines.append(f"    when {_top_expr(node.when)}")
    if node.assertion is not None:
        lines.append(f"    assert {_top_expr(node.assertion)}")
    if node.tolerance is not None:
        tol = node.tolerance
        unit = ("%" if tol.unit in ("%", "％") else f" {tol.unit}") if tol.unit else ""
        lines.append(f"    within {_number(tol.amount)}{unit}")
    for example in node.examples:
        lines.append(f"    example {example.expect.replace('_', ' ')} {example.record_text}")
    lines.append("}")
    return "\n".join(lines)


_ITEM_PRINTERS = {
    RulesetDecl: lambda n: f"ruleset {format_name(n.name, True)}{_strings(n.title, n.title_en if n.title is not None else None)}",
    UnitDecl: lambda n: f"unit {n.unit}",
    PrecisionDecl: lambda n: f"precision {n.unit} {_number(n.precision)}",
    IncludeDecl: lambda n: f"include {'bundled ' if n.bundled else ''}{quote_string(n.path)}",
    FieldDecl: _field,
    Rule: _rule,
}


def format_record(value) -> str:
    """Print an example record (plain data) in the rule language's record-literal syntax."""
    if isinstance(value, dict):
        if set(value) == {"value", "unit"} and isinstance(value["value"], Decimal):
            return f"{_number(value['value'])} {value['unit']}"
        entries = ", ".join(f"{_record_key(k)}: {format_record(v)}" for k, v in value.items())
        return "{" + entries + "}"
    if isinstance(value, list):
        return "[" + ", ".join(format_record(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return _number(value)
    return quote_string(str(value))


def _record_key(key: str) -> str:
    return key if _is_simple_name(key) and key not in KEYWORDS else quote_string(key)


# ``ast.to_source`` and the other names fiscalrules.ast has offered since they were documented there
# (it imports this module last, for them).
from . import ast as _ast  # noqa: E402
from . import chains as _chains  # noqa: E402
_ast.to_source, _ast.describe, _ast.format_name, _ast.quote_string, _ast.format_record, _ast.KEYWORDS = \
    to_source, describe, format_name, quote_string, format_record, KEYWORDS
