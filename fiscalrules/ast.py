"""The abstract syntax tree: frozen attrs nodes with source spans (printed back to rule text by
:mod:`fiscalrules.printer`).

The parser builds these nodes straight from lark's parse tree; nothing downstream sees lark.
Spans are excluded from equality, so two trees are equal when they say the same thing, wherever
it was written -- which is what the round-trip property (print, parse, compare) relies on.

Expression nodes come in two stages: the parser produces *surface* nodes (``Name``,
``Attribute``, ``Index``, ``Call`` …); the checker resolves names and produces *resolved* nodes
(``FieldRef``, ``VarRef``, ``Column``, ``Lookup``, ``Wildcard``) that the evaluator compiles.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat
from operator import attrgetter, call
from typing import Union

import attrs

from .reprs import attrs_repr


# attrs would compile a generated __repr__ for each node class (~9 ms of every start for the
# classes here): the one repr written for the library's attrs classes instead.
_node_repr = attrs_repr


class _ComparedByFields:
    """``==`` and ``hash`` as attrs would generate them for a frozen class -- over the fields
    compared (``eq=True``), in order, and only with an object of the same class -- written once.

    attrs writes and compiles an ``__eq__`` and a ``__hash__`` for every class that compares,
    about a third of making a class (~20 M instructions of every command-line start for the 37
    classes here); the classes are made with ``eq=False`` (:data:`_frozen`) and inherit these."""

    __slots__ = ()

    def __eq__(self, other):
        cls = self.__class__
        if other.__class__ is not cls:
            return NotImplemented
        compared = _COMPARED.get(cls) or _compared_fields(cls)
        return compared(self) == compared(other)

    def __hash__(self):
        cls = self.__class__
        return hash((cls, (_COMPARED.get(cls) or _compared_fields(cls))(self)))


_COMPARED: dict = {}   # class -> the tuple of its compared fields' values, worked out on first use


def _compared_fields(cls):
    names = tuple(a.name for a in attrs.fields(cls) if a.eq)   # (no field here has an eq key)
    # Always a tuple, as attrs compares: a tuple's items are equal when identical (a NaN).
    compared = attrgetter(*names) if len(names) > 1 else lambda node, get=attrgetter(*names): (get(node),)
    _COMPARED[cls] = compared
    return compared


# A node class: frozen attrs, comparing through _ComparedByFields (see there).
_frozen = attrs.frozen(eq=False)


@_frozen
class Span(_ComparedByFields):
    """Where a node was written: 1-based line and column of its start and end, in one file."""

    __repr__ = _node_repr

    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    file: str | None = None


NO_SPAN = Span()

# What a node holds of its span: a plain tuple (line, column, end_line, end_column, file), or a
# Span.  A 10,000-rule file's parse makes ~113,000 spans.  As Span objects they stayed on the
# garbage collector's lists for good, each full collection walking them again (the parsed AST of
# bench_parse's file held 247,000 tracked objects with them, 134,000 without); a tuple of numbers
# and text is untracked by the collector the first time it survives a collection, and is made in
# one step.  ``node.span`` still gives a
# Span (made when asked: for a diagnostic, a finding's place, a test); the checker hands the
# data on to the resolved node as it is.
SpanData = Union[tuple, Span]
_NO_SPAN_DATA = (0, 0, 0, 0, None)


def _span():
    # the init argument is ``span`` (attrs drops the underscore): Node(..., span=data)
    return attrs.field(default=_NO_SPAN_DATA, eq=False, repr=False, kw_only=True, alias="span")


class _Node(_ComparedByFields):
    """What every node shares: its span, read from the span data it holds; equality and hash."""

    __slots__ = ()

    @property
    def span(self) -> Span:
        data = self._span
        return data if type(data) is Span else Span(*data)


# ---- expressions (surface) -----------------------------------------------------------------------

@_frozen
class Number(_Node):
    __repr__ = _node_repr
    value: Decimal
    unit: str | None = None
    _span: SpanData = _span()


@_frozen
class String(_Node):
    __repr__ = _node_repr
    value: str
    _span: SpanData = _span()


@_frozen
class Boolean(_Node):
    __repr__ = _node_repr
    value: bool
    _span: SpanData = _span()


@_frozen
class Name(_Node):
    """An identifier as written: a path segment, an alias (CJK allowed) or a loop variable."""

    __repr__ = _node_repr

    name: str
    quoted: bool = attrs.field(default=False, eq=False)
    _span: SpanData = _span()


@_frozen
class Attribute(_Node):
    __repr__ = _node_repr
    obj: Expr
    name: str
    _span: SpanData = _span()


@_frozen
class Star(_Node):
    """``x.*``: every child of ``x``."""

    __repr__ = _node_repr

    obj: Expr
    _span: SpanData = _span()


@_frozen
class Index(_Node):
    """``table["208"]``: the row of a table with that classification code."""

    __repr__ = _node_repr

    obj: Expr
    key: Expr
    _span: SpanData = _span()


@_frozen
class Call(_Node):
    __repr__ = _node_repr
    func: str
    args: tuple[Expr, ...] = ()
    _span: SpanData = _span()


@_frozen
class Comprehension(_Node):
    """``elem for var in source where cond``: only as the argument of an aggregate."""

    __repr__ = _node_repr

    elem: Expr
    var: str
    source: Expr
    cond: Expr | None = None
    _span: SpanData = _span()


@_frozen
class Unary(_Node):
    __repr__ = _node_repr
    op: str
    operand: Expr
    _span: SpanData = _span()


@_frozen
class Binary(_Node):
    __repr__ = _node_repr
    op: str
    left: Expr
    right: Expr
    _span: SpanData = _span()


@_frozen
class Compare(_Node):
    __repr__ = _node_repr
    op: str
    left: Expr
    right: Expr
    _span: SpanData = _span()


@_frozen
class Member(_Node):
    __repr__ = _node_repr
    item: Expr
    options: tuple[Expr, ...]
    negated: bool = False
    _span: SpanData = _span()


@_frozen
class SetLiteral(_Node):
    __repr__ = _node_repr
    items: tuple[Expr, ...]
    _span: SpanData = _span()


@_frozen
class Not(_Node):
    __repr__ = _node_repr
    operand: Expr
    _span: SpanData = _span()


@_frozen
class And(_Node):
    __repr__ = _node_repr
    left: Expr
    right: Expr
    _span: SpanData = _span()


@_frozen
class Or(_Node):
    __repr__ = _node_repr
    left: Expr
    right: Expr
    _span: SpanData = _span()


@_frozen
class Implies(_Node):
    __repr__ = _node_repr
    cond: Expr
    then: Expr
    _span: SpanData = _span()


@_frozen
class ForEach(_Node):
    __repr__ = _node_repr
    var: str
    source: Expr
    where: Expr | None
    body: Expr
    _span: SpanData = _span()


# ---- expressions (resolved by the checker) ---------------------------------------------------------

@_frozen
class FieldRef(_Node):
    """A declared scalar field, by its canonical path."""

    __repr__ = _node_repr

    path: str
    _span: SpanData = _span()


@_frozen
class Wildcard(_Node):
    """Every field under ``prefix`` present in the record (``income.sources.*``)."""

    __repr__ = _node_repr

    prefix: str
    _span: SpanData = _span()


@_frozen
class TableRef(_Node):
    __repr__ = _node_repr
    path: str
    _span: SpanData = _span()


@_frozen
class VarRef(_Node):
    """A row (or value) bound by a quantifier or comprehension."""

    __repr__ = _node_repr

    name: str
    _span: SpanData = _span()


@_frozen
class Column(_Node):
    """A column of a row (``r.total``), or of every row of a row set (``children(r).total``)."""

    __repr__ = _node_repr

    obj: Expr
    name: str
    _span: SpanData = _span()


@_frozen
class Lookup(_Node):
    """The row of a table with a given code (``tables.function["208"]``)."""

    __repr__ = _node_repr

    table: Expr
    key: Expr
    _span: SpanData = _span()


Expr = Union[Number, String, Boolean, Name, Attribute, Star, Index, Call, Comprehension, Unary,
             Binary, Compare, Member, SetLiteral, Not, And, Or, Implies, ForEach, FieldRef,
             Wildcard, TableRef, VarRef, Column, Lookup]


# ---- declarations and rules ------------------------------------------------------------------------

@_frozen
class RulesetDecl(_Node):
    __repr__ = _node_repr
    name: str
    title: str | None = None
    title_en: str | None = None
    _span: SpanData = _span()


@_frozen
class UnitDecl(_Node):
    __repr__ = _node_repr
    unit: str
    _span: SpanData = _span()


@_frozen
class PrecisionDecl(_Node):
    __repr__ = _node_repr
    unit: str
    precision: Decimal
    _span: SpanData = _span()


@_frozen
class IncludeDecl(_Node):
    """``include "FILE"`` (beside the including file), or ``include bundled "NAME"`` (a ruleset
    shipped with fiscalrules, or one of its parts such as ``_budget_fields``)."""

    __repr__ = _node_repr

    path: str
    _span: SpanData = _span()
    bundled: bool = False


@_frozen
class ColumnDecl(_Node):
    __repr__ = _node_repr
    name: str
    labels: tuple[str, ...] = ()
    kind: str = "amount"
    unit: str | None = None
    default: Decimal | None = None
    _span: SpanData = _span()


@_frozen
class FieldDecl(_Node):
    """``field path "label", "alias": kind [unit] [default n]`` or a table with its columns."""

    __repr__ = _node_repr

    path: str
    labels: tuple[str, ...] = ()
    kind: str = "amount"
    unit: str | None = None
    columns: tuple[ColumnDecl, ...] = ()
    default: Decimal | None = None
    _span: SpanData = _span()

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None


@_frozen
class Tolerance(_Node):
    __repr__ = _node_repr
    amount: Decimal
    unit: str | None = None
    _span: SpanData = _span()


@_frozen
class Example(_Node):
    """A small record and what the rule must make of it: ``expect`` is ``pass``, ``fail``,
    ``not_applicable`` or ``not_evaluable``."""

    __repr__ = _node_repr

    expect: str
    record: dict = attrs.field(eq=False, hash=False)  # plain data; compared through its text
    _span: SpanData = _span()

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


@_frozen
class Rule(_Node):
    __repr__ = _node_repr
    id: str
    title: str | None = None
    title_en: str | None = None
    severity: str | None = None
    tags: tuple[str, ...] = ()
    reference: str | None = None
    description: str | None = None
    description_en: str | None = None
    message: str | None = None
    message_en: str | None = None
    when: Expr | None = None
    assertion: Expr | None = None
    tolerance: Tolerance | None = None
    examples: tuple[Example, ...] = ()
    _span: SpanData = _span()


Item = Union[RulesetDecl, UnitDecl, PrecisionDecl, IncludeDecl, FieldDecl, Rule]


@_frozen
class RuleFile(_ComparedByFields):
    __repr__ = _node_repr
    items: tuple[Item, ...]
    file: str | None = attrs.field(default=None, eq=False)
    source: str = attrs.field(default="", eq=False, repr=False)


# ---- making nodes fast ----------------------------------------------------------------------------

class _Makers:
    """``make.FieldRef(path, span)``: a node made from *every* field, by position in the order
    its class declares them (the span data last but for IncludeDecl), without attrs' ``__init__``.

    The parser and the checker make ~110,000 and ~50,000 nodes for a 10,000-rule file.  A frozen
    attrs ``__init__`` is a Python frame storing each field through ``object.__setattr__`` (the
    class's own ``__setattr__`` refuses), called through ``type.__call__`` with the span as a
    keyword: ~3.5 times what this costs -- the bare object and each slot stored by its
    descriptor, which is all that ``__init__`` does in the end (no node class has a validator,
    converter, factory default or post-init: :func:`maker` refuses a class that has).  The node is
    the same: same class, same fields, frozen, equal and hashing as one made by its constructor
    (tests/test_node_makers.py).  No default is filled in: every field is given."""

    def __getattr__(self, name: str):
        cls = globals().get(name)
        if not (isinstance(cls, type) and attrs.has(cls)):
            raise AttributeError(name)
        made = maker(cls)
        setattr(self, name, made)   # found directly next time
        return made


def maker(cls):
    """The function making a node of *cls* from every field by position (see :class:`_Makers`)."""
    fields = attrs.fields(cls)
    if any(a.validator or a.converter or not a.init or isinstance(a.default, attrs.Factory)
           for a in fields) or hasattr(cls, "__attrs_post_init__"):
        raise TypeError(f"{cls.__name__} needs its own __init__")
    from .cparse import compiled  # the same in C where it is built (object.__new__, each slot stored)
    if compiled() is not None:
        return compiled().Maker(cls, tuple(cls.__dict__[a.name] for a in fields), f"make.{cls.__name__}", __name__)
    new = object.__new__
    setters = [cls.__dict__[a.name].__set__ for a in fields]   # the slots' member descriptors
    # Written out for the usual field counts: a loop over the setters costs as much as it saves.
    if len(setters) == 2:
        set0, set1 = setters

        def make(a, b):
            node = new(cls)
            set0(node, a)
            set1(node, b)
            return node
    elif len(setters) == 3:
        set0, set1, set2 = setters

        def make(a, b, c):
            node = new(cls)
            set0(node, a)
            set1(node, b)
            set2(node, c)
            return node
    elif len(setters) == 4:
        set0, set1, set2, set3 = setters

        def make(a, b, c, d):
            node = new(cls)
            set0(node, a)
            set1(node, b)
            set2(node, c)
            set3(node, d)
            return node
    else:
        count = len(setters)

        def make(*values):
            if len(values) != count:
                raise TypeError(f"{cls.__name__} has {count} fields, got {len(values)}")
            node = new(cls)
            # each setter(node, value), the loop run in C (every call returns None: any() sees all)
            any(map(call, setters, repeat(node), values))
            return node
    make.__name__ = make.__qualname__ = f"make.{cls.__name__}"
    return make


make = _Makers()


# The printer's names, where they were first documented (``ast.to_source``): the printer builds on
# the classes above, so it is imported last and sets them here itself (see its end).  Not a module
# __getattr__ forwarding them: with one, Python 3.11 does not specialise reading a module's
# attributes, and every ``ast.Number`` of the compiler, the checker and the parser took the slow
# way (a third of compiling a rule's closures).
from . import printer as _printer  # noqa: E402,F401
