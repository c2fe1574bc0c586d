"""The cheap ways the parse makes its objects give what the slow ways gave.

* ``ast.make.<Class>(...)`` (every field by position, without attrs' ``__init__``) makes the same
  node as the class's constructor: same class, every slot equal (spans included), equal, same
  hash, frozen, pickled alike.
* The checker's ``evolve`` (made by the maker) equals ``attrs.evolve``.
* The fast parse's tokens (plain tuples, read by index) and lark's tokens made into them on the
  lark path read alike, and are never taken for a reduced rule.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import fiscalrules
from fiscalrules import ast
from fiscalrules.checker import check
from fiscalrules import astbuild, parser
from fiscalrules.lalr import REDUCED_SIZE, TOKEN_SIZE, make_token
from fiscalrules.signatures import evolve

SPAN = (3, 5, 4, 9, "x.rules")
ROOT = Path(__file__).resolve().parents[1]

NODE_CLASSES = sorted((cls for cls in vars(ast).values()
                       if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == ast.__name__),
                      key=lambda cls: cls.__name__)


def _sample(cls, index: int, field) -> object:
    """A value for the field, different for every field of the class (so a swap shows)."""
    if field.name == "_span":
        return SPAN
    if field.name == "record":
        return {"a": Decimal(index)}
    if field.type in ("bool",):
        return index % 2 == 0
    if field.type in ("int",):
        return index + 7
    if "tuple" in str(field.type):
        return (f"{cls.__name__}.{field.name}", index)
    return f"{cls.__name__}.{field.name}.{index}"


def _by_constructor(cls, values: list):
    fields = attrs.fields(cls)
    positional = [v for f, v in zip(fields, values) if not f.kw_only]
    keywords = {f.alias: v for f, v in zip(fields, values) if f.kw_only}
    return cls(*positional, **keywords)


def _slots(node) -> list:
    return [(f.name, getattr(node, f.name)) for f in attrs.fields(type(node))]


def _maker(cls, loop: str, monkeypatch):
    """The maker of *cls* in C (fiscalrules._cparse.Maker, where it is built) or in Python."""
    from fiscalrules import cparse
    if loop == "c":
        if cparse.compiled() is None:
            pytest.skip("fiscalrules._cparse is not built here (or FISCALRULES_PURE_PYTHON is set)")
        made = ast.maker(cls)
        assert type(made) is cparse.compiled().Maker
        return made
    monkeypatch.setattr(cparse, "compiled", lambda: None)
    made = ast.maker(cls)
    assert type(made).__name__ == "function"
    return made


@pytest.mark.parametrize("loop", ["python", "c"])
@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda cls: cls.__name__)
def test_a_made_node_is_the_constructed_node(cls, loop, monkeypatch):
    values = [_sample(cls, i, f) for i, f in enumerate(attrs.fields(cls))]
    made, built = _maker(cls, loop, monkeypatch)(*values), _by_constructor(cls, values)
    assert type(made) is cls
    assert _slots(made) == _slots(built) and [v for _, v in _slots(made)] == values
    assert made == built and hash(made) == hash(built)
    assert repr(made) == repr(built)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(made, attrs.fields(cls)[0].name, "changed")
    again = pickle.loads(pickle.dumps(made))
    assert _slots(again) == _slots(built)
    maker = _maker(cls, loop, monkeypatch)
    assert maker.__qualname__ == f"make.{cls.__name__}" and maker.__module__ == ast.__name__


@pytest.mark.parametrize("loop", ["python", "c"])
def test_a_maker_takes_exactly_every_field(loop, monkeypatch):
    with pytest.raises(TypeError):
        _maker(ast.FieldRef, loop, monkeypatch)("a.b")              # the span is not filled in
    with pytest.raises(TypeError):
        _maker(ast.Rule, loop, monkeypatch)("R", None, None)        # 15 fields, not 3
    with pytest.raises(TypeError):
        _maker(ast.Name, loop, monkeypatch)("a", False, None, name="b")  # by position only


def test_the_c_maker_takes_only_a_plain_slotted_class():
    from fiscalrules import cparse
    if cparse.compiled() is None:
        pytest.skip("fiscalrules._cparse is not built here")
    Maker = cparse.compiled().Maker

    class Plain:
        __slots__ = ("a",)

    class Other:
        __slots__ = ("a",)

    class Made:
        def __new__(cls):
            return super().__new__(cls)
        __slots__ = ("a",)

    assert Maker(Plain, (Plain.a,), "Plain", __name__)(1).a == 1
    for cls, descriptors in [(Plain, (Other.a,)),          # a slot of another class
                             (Made, (Made.a,)),            # a class with its own __new__
                             (Plain, (Plain.__dict__["__slots__"],))]:
        with pytest.raises(TypeError):
            Maker(cls, descriptors, "x", __name__)


def test_a_class_with_more_than_stores_is_refused_and_only_node_classes_are_made():
    @attrs.frozen
    class Checked:
        value: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="own __init__"):
        ast.maker(Checked)
    with pytest.raises(AttributeError):
        ast.make.Decimal  # noqa: B018 - not a node class of the AST


def test_evolve_is_attrs_evolve():
    rule = fiscalrules.parse("field a: amount\nfield b: amount\nrule R \"t\": a = b within 1%\n").items[-1]
    assertion = ast.Compare("=", ast.FieldRef("a", span=SPAN), ast.FieldRef("b"), span=(1, 1, 1, 9, None))
    for changes in ({"assertion": assertion}, {"when": assertion, "tags": ("x",)}, {"span": SPAN}):
        assert _slots(evolve(rule, **changes)) == _slots(attrs.evolve(rule, **changes))
    assert evolve(rule, assertion=rule.assertion) is rule     # nothing changed: the node itself


def test_checked_rules_are_the_rules_attrs_would_make():
    text = ("unit 万元\nfield a \"甲\": amount\nfield b: amount\nfield t: table(code: text, x: amount)\n"
            "rule R {\n  severity warning\n  when a > 0\n  assert 甲 = b + 5\n}\n"
            "rule S: for each r in t where r.x > 0: r.x = sum(children(r).x)\n")
    for rule in check([fiscalrules.parse(text, "m.rules")]).rules:
        rebuilt = attrs.evolve(rule)                 # through attrs' own __init__
        assert _slots(rebuilt) == _slots(rule) and rebuilt == rule and hash(rebuilt) == hash(rule)


def _nodes(value):
    """Every node under *value* (a node, a tuple or list of them, a mapping)."""
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            yield from _nodes(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _nodes(item)


@pytest.mark.parametrize("path", sorted(ROOT.glob("rulesets/*.rules")), ids=lambda p: p.name)
def test_every_parsed_node_of_a_ruleset_is_what_its_constructor_makes(path):
    tree = fiscalrules.parse(path.read_text(encoding="utf-8"), str(path))
    nodes = list(_nodes(tree.items))
    assert len(nodes) > 10
    for node in nodes:
        rebuilt = attrs.evolve(node)                 # every field through attrs' own __init__
        assert _slots(rebuilt) == _slots(node) and rebuilt == node and hash(rebuilt) == hash(node)


def test_a_token_reads_as_the_builder_reads_it():
    token = make_token("NAME", "收入", 2, 7, 2, 9)
    assert token == ("NAME", "收入", 2, 7, 2, 9)
    assert len(token) == TOKEN_SIZE != REDUCED_SIZE     # never taken for a reduced rule
    assert (token[astbuild.TEXT], token[astbuild.LINE], token[astbuild.COLUMN]) == ("收入", 2, 7)


def test_lark_tokens_are_made_into_the_fast_parse_tokens():
    # the lark path (every error, deep nesting) hands the builder the same tuples as the fast path
    tree = parser._parser().parse("rule R: 收入 = 2")
    tokens = [t for t in tree.scan_values(lambda v: isinstance(v, parser.Token))]
    made = [parser._walk(parser._Builder("x", ""), t) for t in tokens]
    assert made == [make_token(t.type, t.value, t.line, t.column, t.end_line, t.end_column) for t in tokens]
    assert ("NAME", "收入", 1, 9, 1, 11) in made
