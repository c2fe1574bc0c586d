"""The abstract syntax tree: frozen nodes with source spans (printed back to rule text by
:mod:`fiscalrules.printer`).

The parser builds these nodes straight from lark's parse tree; nothing downstream sees lark.
Spans are excluded from equality, so two trees are equal when they say the same thing, wherever
it was written -- which is what the round-trip property (print, parse, compare) relies on.

Expression nodes come in two stages: the parser produces *surface* nodes (``Name``,
``Attribute``, ``Index``, ``Call`` …); the checker resolves names and produces *resolved* nodes
(``FieldRef``, ``VarRef``, ``Column``, ``Lookup``, ``Wildcard``) that the evaluator compiles.

The node classes are frozen attrs classes to attrs (``attrs.has``, ``fields``, ``evolve``,
``asdict`` work on them, the nodes refuse assignment with attrs' ``FrozenInstanceError``), but
written out -- their slots and an ``__init__`` storing each field -- rather than made by
``attrs.frozen`` at every import, which cost every command line ~110 M instructions with attrs'
own import: :mod:`fiscalrules.nodebase` says what they share and how attrs' metadata is made.
"""

from __future__ import annotations

from decimal import Decimal

from .nodebase import ComparedByFields as _ComparedByFields
from .nodebase import init_as as _init_as
from .nodebase import maker, written_fields
from .nodebase import setfield as _set

class Span(_ComparedByFields):
    """Where a node was written: 1-based line and column of its start and end, in one file."""

    __slots__ = _fields = ("line", "column", "end_line", "end_column", "file")

    def __init__(self, line: int = 0, column: int = 0, end_line: int = 0, end_column: int = 0,
                 file: str | None = None) -> None:
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "file", file)


NO_SPAN = Span()

# What a node holds of its span: a plain tuple (line, column, end_line, end_column, file), or a
# Span.  A 10,000-rule file's parse makes ~113,000 spans.  As Span objects they stayed on the
# garbage collector's lists for good, each full collection walking them again (the parsed AST of
# bench_parse's file held 247,000 tracked objects with them, 134,000 without); a tuple of numbers
# and text is untracked by the collector the first time it survives a collection, and is made in
# one step.  ``node.span`` still gives a
# Span (made when asked: for a diagnostic, a finding's place, a test); the checker hands the
# data on to the resolved node as it is.
SpanData = tuple | Span
_NO_SPAN_DATA = (0, 0, 0, 0, None)


class _Node(_ComparedByFields):
    """What every node but a span and a file shares: its span, read from the span data it holds,
    which is not compared nor shown."""

    __slots__ = ()
    _uncompared = ("_span",)
    _unshown = ("_span",)

    @property
    def span(self) -> Span:
        data = self._span
        return data if type(data) is Span else Span(*data)


# ---- expressions (surface) -----------------------------------------------------------------------

class Number(_Node):
    __slots__ = _fields = ("value", "unit", "_span")

    def __init__(self, value: Decimal, unit: str | None = None, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "value", value)
        _set(self, "unit", unit)
        _set(self, "_span", span)


class String(_Node):
    __slots__ = _fields = ("value", "_span")

    def __init__(self, value: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "value", value)
        _set(self, "_span", span)


class Boolean(_Node):
    __slots__ = _fields = ("value", "_span")

    def __init__(self, value: bool, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "value", value)
        _set(self, "_span", span)


class Name(_Node):
    """An identifier as written: a path segment, an alias (CJK allowed) or a loop variable."""

    __slots__ = _fields = ("name", "quoted", "_span")
    _uncompared = ("quoted", "_span")

    def __init__(self, name: str, quoted: bool = False, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "name", name)
        _set(self, "quoted", quoted)
        _set(self, "_span", span)


class Attribute(_Node):
    __slots__ = _fields = ("obj", "name", "_span")

    def __init__(self, obj: Expr, name: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "obj", obj)
        _set(self, "name", name)
        _set(self, "_span", span)


class Star(_Node):
    """``x.*``: every child of ``x``."""

    __slots__ = _fields = ("obj", "_span")

    def __init__(self, obj: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "obj", obj)
        _set(self, "_span", span)


class Index(_Node):
    """``table["208"]``: the row of a table with that classification code."""

    __slots__ = _fields = ("obj", "key", "_span")

    def __init__(self, obj: Expr, key: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "obj", obj)
        _set(self, "key", key)
        _set(self, "_span", span)


class Call(_Node):
    __slots__ = _fields = ("func", "args", "_span")

    def __init__(self, func: str, args: tuple[Expr, ...] = (), *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "func", func)
        _set(self, "args", args)
        _set(self, "_span", span)


class Comprehension(_Node):
    """``elem for var in source where cond``: only as the argument of an aggregate."""

    __slots__ = _fields = ("elem", "var", "source", "cond", "_span")

    def __init__(self, elem: Expr, var: str, source: Expr, cond: Expr | None = None, *,
                 span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "elem", elem)
        _set(self, "var", var)
        _set(self, "source", source)
        _set(self, "cond", cond)
        _set(self, "_span", span)


class Unary(_Node):
    __slots__ = _fields = ("op", "operand", "_span")

    def __init__(self, op: str, operand: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "op", op)
        _set(self, "operand", operand)
        _set(self, "_span", span)


class _Link(_Node):
    """A node that continues a chain when its left operand is of its own class (``Binary``,
    ``And``, ``Or``: ``a + b + c`` is ``Binary(+, Binary(+, a, b), c)``, as deep as it is long):
    compared, hashed, shown and pickled a chain at a time, recursing only into the right
    operands (:mod:`fiscalrules.chains`; a sum of 10,000 terms is flat text, review 17 B10)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is not cls:
            return NotImplemented
        a, b = self, other
        while a is not b:
            if a._others(a) != b._others(b):   # (the fields compared but the left operand)
                return False
            a, b = a.left, b.left
            if a.__class__ is not cls or b.__class__ is not cls:
                return bool(a == b)
        return True

    def __hash__(self) -> int:
        chain = _chains.links(self)
        value = hash(chain[0].left)
        for link in chain:
            value = hash((link.__class__, value, link._others(link)))
        return value

    def __repr__(self) -> str:
        return _chains.shown(self)

    def __reduce__(self) -> tuple:
        return _chains.rebuild_of(self, getattr(make, type(self).__name__))   # (pickled by name)


class Binary(_Link):
    __slots__ = _fields = ("op", "left", "right", "_span")

    def __init__(self, op: str, left: Expr, right: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "op", op)
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "_span", span)


class Compare(_Node):
    __slots__ = _fields = ("op", "left", "right", "_span")
    __init__ = _init_as(Binary.__init__, "Compare")   # the same fields


class Member(_Node):
    __slots__ = _fields = ("item", "options", "negated", "_span")

    def __init__(self, item: Expr, options: tuple[Expr, ...], negated: bool = False, *,
                 span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "item", item)
        _set(self, "options", options)
        _set(self, "negated", negated)
        _set(self, "_span", span)


class SetLiteral(_Node):
    __slots__ = _fields = ("items", "_span")

    def __init__(self, items: tuple[Expr, ...], *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "items", items)
        _set(self, "_span", span)


class Not(_Node):
    __slots__ = _fields = ("operand", "_span")

    def __init__(self, operand: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "operand", operand)
        _set(self, "_span", span)


class And(_Link):
    __slots__ = _fields = ("left", "right", "_span")

    def __init__(self, left: Expr, right: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "_span", span)


class Or(_Link):
    __slots__ = _fields = ("left", "right", "_span")
    __init__ = _init_as(And.__init__, "Or")   # the same fields


class Implies(_Node):
    __slots__ = _fields = ("cond", "then", "_span")

    def __init__(self, cond: Expr, then: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "cond", cond)
        _set(self, "then", then)
        _set(self, "_span", span)


class ForEach(_Node):
    __slots__ = _fields = ("var", "source", "where", "body", "_span")

    def __init__(self, var: str, source: Expr, where: Expr | None, body: Expr, *,
                 span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "var", var)
        _set(self, "source", source)
        _set(self, "where", where)
        _set(self, "body", body)
        _set(self, "_span", span)


# ---- expressions (resolved by the checker) ---------------------------------------------------------

class FieldRef(_Node):
    """A declared scalar field, by its canonical path."""

    __slots__ = _fields = ("path", "_span")

    def __init__(self, path: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "path", path)
        _set(self, "_span", span)


class Wildcard(_Node):
    """Every field under ``prefix`` present in the record (``income.sources.*``)."""

    __slots__ = _fields = ("prefix", "_span")

    def __init__(self, prefix: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "prefix", prefix)
        _set(self, "_span", span)


class TableRef(_Node):
    __slots__ = _fields = ("path", "_span")
    __init__ = _init_as(FieldRef.__init__, "TableRef")   # the same fields


class VarRef(_Node):
    """A row (or value) bound by a quantifier or comprehension."""

    __slots__ = _fields = ("name", "_span")

    def __init__(self, name: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "name", name)
        _set(self, "_span", span)


class Column(_Node):
    """A column of a row (``r.total``), or of every row of a row set (``children(r).total``)."""

    __slots__ = _fields = ("obj", "name", "_span")
    __init__ = _init_as(Attribute.__init__, "Column")   # the same fields


class Lookup(_Node):
    """The row of a table with a given code (``tables.function["208"]``)."""

    __slots__ = _fields = ("table", "key", "_span")

    def __init__(self, table: Expr, key: Expr, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "table", table)
        _set(self, "key", key)
        _set(self, "_span", span)


Expr = (Number | String | Boolean | Name | Attribute | Star | Index | Call | Comprehension | Unary
        | Binary | Compare | Member | SetLiteral | Not | And | Or | Implies | ForEach | FieldRef
        | Wildcard | TableRef | VarRef | Column | Lookup)


# ---- declarations and rules ------------------------------------------------------------------------

class RulesetDecl(_Node):
    __slots__ = _fields = ("name", "title", "title_en", "_span")

    def __init__(self, name: str, title: str | None = None, title_en: str | None = None, *,
                 span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "name", name)
        _set(self, "title", title)
        _set(self, "title_en", title_en)
        _set(self, "_span", span)


class UnitDecl(_Node):
    __slots__ = _fields = ("unit", "_span")

    def __init__(self, unit: str, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "unit", unit)
        _set(self, "_span", span)


class PrecisionDecl(_Node):
    __slots__ = _fields = ("unit", "precision", "_span")

    def __init__(self, unit: str, precision: Decimal, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "unit", unit)
        _set(self, "precision", precision)
        _set(self, "_span", span)


class IncludeDecl(_Node):
    """``include "FILE"`` (beside the including file), or ``include bundled "NAME"`` (a ruleset
    shipped with fiscalrules, or one of its parts such as ``_budget_fields``)."""

    __slots__ = _fields = ("path", "_span", "bundled")

    def __init__(self, path: str, bundled: bool = False, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "path", path)
        _set(self, "_span", span)
        _set(self, "bundled", bundled)


class ColumnDecl(_Node):
    __slots__ = _fields = ("name", "labels", "kind", "unit", "default", "_span")

    def __init__(self, name: str, labels: tuple[str, ...] = (), kind: str = "amount", unit: str | None = None,
                 default: Decimal | None = None, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "name", name)
        _set(self, "labels", labels)
        _set(self, "kind", kind)
        _set(self, "unit", unit)
        _set(self, "default", default)
        _set(self, "_span", span)


class FieldDecl(_Node):
    """``field path "label", "alias": kind [unit] [default n]`` or a table with its columns."""

    __slots__ = _fields = ("path", "labels", "kind", "unit", "columns", "default", "_span")

    def __init__(self, path: str, labels: tuple[str, ...] = (), kind: str = "amount", unit: str | None = None,
                 columns: tuple[ColumnDecl, ...] = (), default: Decimal | None = None, *,
                 span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "path", path)
        _set(self, "labels", labels)
        _set(self, "kind", kind)
        _set(self, "unit", unit)
        _set(self, "columns", columns)
        _set(self, "default", default)
        _set(self, "_span", span)

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None

    def column_named(self, name: str) -> str:
        """The column of this table that *name* names: itself, or the column it is a label of
        (``r.合计`` for ``r.total``), as a field is named by its labels."""
        if any(column.name == name for column in self.columns):
            return name
        return next((column.name for column in self.columns if name in column.labels), name)


class Tolerance(_Node):
    __slots__ = _fields = ("amount", "unit", "_span")

    def __init__(self, amount: Decimal, unit: str | None = None, *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "amount", amount)
        _set(self, "unit", unit)
        _set(self, "_span", span)


class Example(_Node):
    """A small record and what the rule must make of it: ``expect`` is ``pass``, ``fail``,
    ``not_applicable`` or ``not_evaluable``."""

    _fields = ("expect", "record", "_span")
    # ``repeated``: the keys the record was written with twice (``{a: 1, a: 2}``), each with its
    # span data, for the checker to report (E217) -- the record keeps the last.  Not a field: a
    # ruleset with any is never checked, so never cached or compared with one.
    __slots__ = _fields + ("repeated",)
    _uncompared = ("record", "_span")   # plain data; compared through its text
    _unhashed = ("record",)

    def __init__(self, expect: str, record: dict, *, span: SpanData = _NO_SPAN_DATA,
                 repeated: tuple = ()) -> None:
        _set(self, "expect", expect)
        _set(self, "record", record)
        _set(self, "_span", span)
        if repeated:
            _set(self, "repeated", repeated)

    @property
    def record_text(self) -> str:
        from .printer import format_record
        return format_record(self.record)

    def __eq__(self, other):
        if not isinstance(other, Example):
            return NotImplemented
        return self.expect == other.expect and self.record_text == other.record_text

    def __hash__(self):
        return hash((self.expect, self.record_text))


class Rule(_Node):
    __slots__ = _fields = ("id", "title", "title_en", "severity", "tags", "reference", "description",
                 "description_en", "message", "message_en", "when", "assertion", "tolerance", "examples", "_span")

    def __init__(self, id: str, title: str | None = None, title_en: str | None = None,
                 severity: str | None = None, tags: tuple[str, ...] = (), reference: str | None = None,
                 description: str | None = None, description_en: str | None = None,
                 message: str | None = None, message_en: str | None = None, when: Expr | None = None,
                 assertion: Expr | None = None, tolerance: Tolerance | None = None,
                 examples: tuple[Example, ...] = (), *, span: SpanData = _NO_SPAN_DATA) -> None:
        _set(self, "id", id)
        _set(self, "title", title)
        _set(self, "title_en", title_en)
        _set(self, "severity", severity)
        _set(self, "tags", tags)
        _set(self, "reference", reference)
        _set(self, "description", description)
        _set(self, "description_en", description_en)
        _set(self, "message", message)
        _set(self, "message_en", message_en)
        _set(self, "when", when)
        _set(self, "assertion", assertion)
        _set(self, "tolerance", tolerance)
        _set(self, "examples", examples)
        _set(self, "_span", span)


class ExamplesLater:
    """What the ``examples`` field of a rule from the ruleset cache holds until they are first
    read (:class:`fiscalrules.cache.LaterExamples`): :meth:`fill` sets each rule's own."""

    __slots__ = ()

    def fill(self) -> None:
        raise NotImplementedError


class _ExamplesWhenAsked:
    """``Rule.examples``, read through its slot -- but for a rule from the ruleset cache whose
    examples have not been read yet (an audit never reads them): the slot then holds an
    :class:`ExamplesLater`, which reads them from the entry.  Set and deleted as
    the slot; read on the class, it is the slot's own member descriptor (what the node makers
    store through).  Not a ``Rule.__getattr__``: with one, every attribute read of every rule
    would take Python's slower way."""

    __slots__ = ("slot",)

    def __init__(self, slot) -> None:
        self.slot = slot

    def __get__(self, node, cls=None):
        if node is None:
            return self.slot
        value = self.slot.__get__(node, cls)
        if isinstance(value, ExamplesLater):
            value.fill()
            value = self.slot.__get__(node, cls)
        return value

    def __set__(self, node, value) -> None:
        self.slot.__set__(node, value)

    def __delete__(self, node) -> None:
        self.slot.__delete__(node)


Rule.examples = _ExamplesWhenAsked(Rule.__dict__["examples"])   # type: ignore[assignment,misc]


Item = RulesetDecl | UnitDecl | PrecisionDecl | IncludeDecl | FieldDecl | Rule


class RuleFile(_ComparedByFields):
    __slots__ = _fields = ("items", "file", "source")
    _uncompared = ("file", "source")
    _unshown = ("source",)

    def __init__(self, items: tuple[Item, ...], file: str | None = None, source: str = "") -> None:
        _set(self, "items", items)
        _set(self, "file", file)
        _set(self, "source", source)


# ---- making nodes fast ----------------------------------------------------------------------------

class _Makers:
    """``make.FieldRef(path, span)``: a node made from *every* field, by position in the order
    its class declares them (the span data last but for IncludeDecl), without its ``__init__``.

    The parser and the checker make ~110,000 and ~50,000 nodes for a 10,000-rule file.  An
    ``__init__`` is a Python frame storing each field through ``object.__setattr__`` (the class's
    own ``__setattr__`` refuses), called through ``type.__call__`` with the span as a keyword:
    ~3.5 times what this costs -- the bare object and each slot stored by its descriptor, which is
    all that ``__init__`` does in the end (:func:`fiscalrules.nodebase.maker`).  The node is the
    same: same class, same fields, frozen, equal and hashing as one made by its constructor
    (tests/test_node_makers.py).  No default is filled in: every field is given."""

    def __getattr__(self, name: str):
        cls = globals().get(name)
        if node_fields(cls) is None:
            raise AttributeError(name)
        made = maker(cls)
        setattr(self, name, made)   # found directly next time
        return made


make = _Makers()


def node_fields(cls: object) -> tuple[str, ...] | None:
    """The fields of a node class of this module, in order; None for any other class."""
    fields = written_fields(cls)
    return fields if fields is not None and cls.__module__ == __name__ else None   # type: ignore[attr-defined]


def child_nodes(node: object):
    """The nodes right under *node*: its fields' values and their tuples' items that are nodes,
    its span left out."""
    for name in node_fields(type(node)) or ():
        if name == "_span":
            continue
        value = getattr(node, name)
        for child in (value if isinstance(value, tuple) else (value,)):
            if type(child) is not Span and node_fields(type(child)) is not None:
                yield child


# The printer's names, where they were first documented (``ast.to_source``): the printer builds on
# the classes above, so it is imported last and sets them here itself (see its end).  Not a module
# __getattr__ forwarding them: with one, Python 3.11 does not specialise reading a module's
# attributes, and every ``ast.Number`` of the compiler, the checker and the parser took the slow
# way (a third of compiling a rule's closures).
from . import printer as _printer  # noqa: E402,F401
from . import chains as _chains  # noqa: E402  (it reads the classes above)

for _cls in (Binary, And, Or):   # the fields a link compares besides its left operand (_Link.__eq__)
    _cls._others = staticmethod(_chains.others_getter(_cls))
del _Link, _cls   # a base, not a node class of the language (node_fields, the classes listed from here)
