"""The written-out value classes (fiscalrules.nodebase.Frozen) behave as the frozen attrs classes
they replaced: same constructor, repr, equality, hash, immutability, pickling and copying.

Each class is held to a twin made by attrs from its own constructor's signature (the fields in
order, with their defaults), so the comparison is with what attrs itself does."""

from __future__ import annotations

import copy
import inspect
import pickle
import weakref
from decimal import Decimal

import attrs
import pytest

from fiscalrules.data.classification import Classification
from fiscalrules.errors import Diagnostic, Location
from fiscalrules.findings import RecordInfo, Side
from fiscalrules.nodebase import Frozen, Slotted
from fiscalrules.loader import ExampleResult
from fiscalrules.localise.explain import Change, Explanation, Localisation
from fiscalrules.localise.slips import Slip
from fiscalrules.values import Tolerance

CLASSES = [Classification, Location, Diagnostic, ExampleResult, Change, Explanation, Localisation, Slip, Tolerance, Side]


def _parameters(cls):
    return [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]


def _twin(cls):
    fields = {p.name: attrs.field() if p.default is inspect.Parameter.empty else attrs.field(default=p.default)
              for p in _parameters(cls)}
    return attrs.make_class(cls.__name__, fields, frozen=True)


def _sample(index: int, name: str):
    return [f"{name}-text", Decimal(index) / 4, (index, name), None, index][index % 5]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_value_class_behaves_as_its_attrs_twin(cls):
    assert issubclass(cls, Frozen) and not attrs.has(cls)
    names = [p.name for p in _parameters(cls)]
    assert list(cls._fields) == names == list(cls.__slots__)   # every field, in the constructor's order
    twin = _twin(cls)
    values = [_sample(i, name) for i, name in enumerate(names)]
    ours, theirs = cls(*values), twin(*values)
    assert repr(ours) == repr(theirs)
    assert all(getattr(ours, name) == getattr(theirs, name) for name in names)
    # defaults: only the required arguments given
    required = [v for v, p in zip(values, _parameters(cls)) if p.default is inspect.Parameter.empty]
    assert repr(cls(*required)) == repr(twin(*required))
    # by keyword as by position
    assert cls(**dict(zip(names, values))) == ours
    # equality and hash: equal fields equal, any field changed unequal, another class never equal
    same = cls(*values)
    assert same == ours and not (same != ours) and hash(same) == hash(ours) and same is not ours
    for i, name in enumerate(names):
        changed = list(values)
        changed[i] = ("changed", i)
        assert cls(*changed) != ours and not (cls(*changed) == ours)
    assert ours != theirs and (ours == theirs) is False
    assert ours.__eq__(object()) is NotImplemented
    # frozen, as attrs' own
    for name in names:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(ours, name, 1)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(ours, name)
    with pytest.raises(AttributeError):
        ours.not_a_field = 1
    # pickled and copied whole
    for again in (pickle.loads(pickle.dumps(ours)), copy.copy(ours), copy.deepcopy(ours)):
        assert type(again) is cls and again == ours and repr(again) == repr(ours)
    # weakly referable, as attrs' slotted classes are
    assert weakref.ref(ours)() is ours and weakref.ref(theirs)() is theirs


def test_a_diagnostic_without_a_location_has_the_empty_one():
    assert Diagnostic("E1", "m").location == Location() and Diagnostic("E1", "m") == Diagnostic("E1", "m")


def test_a_record_info_behaves_as_its_attrs_twin():
    """RecordInfo is mutable (attrs' define): compares, has no hash, its lists are fresh per
    instance when not given (factory=list), and a given list is kept as it is."""
    twin = attrs.make_class("RecordInfo", {"id": attrs.field(), "document": attrs.field(default=None),
                                           "unread": attrs.field(factory=list), "error": attrs.field(default=None),
                                           "unknown_keys": attrs.field(factory=list),
                                           "label_keys": attrs.field(factory=list),
                                           "figure_count": attrs.field(default=None),
                                           "coverage": attrs.field(default=None),
                                           "file": attrs.field(default=None),
                                           "part": attrs.field(default=None)})
    assert issubclass(RecordInfo, Slotted) and not issubclass(RecordInfo, Frozen)
    assert list(RecordInfo._fields) == [a.name for a in attrs.fields(twin)]
    ours, theirs = RecordInfo("r1"), twin("r1")
    assert repr(ours) == repr(theirs)
    assert ours.unread == [] and ours.unread is not RecordInfo("r1").unread
    ours.unread.append({"a": 1})
    assert RecordInfo("r1").unread == [] and ours != RecordInfo("r1")
    given = [{"x": 1}]
    full = RecordInfo("r2", "d.txt", given, "bad", ["k"], ["l"], 3, {"c": 1})
    assert full.unread is given and repr(full) == repr(twin("r2", "d.txt", given, "bad", ["k"], ["l"], 3, {"c": 1}))
    assert RecordInfo("r2", unread=None).unread is None and repr(RecordInfo("r3", unread=None)) == repr(twin("r3", unread=None))
    full.document = "e.txt"   # mutable
    assert full.document == "e.txt"
    with pytest.raises(TypeError):
        hash(full)
    for again in (pickle.loads(pickle.dumps(full)), copy.copy(full), copy.deepcopy(full)):
        assert type(again) is RecordInfo and again == full and repr(again) == repr(full)
    assert copy.copy(full).unread is full.unread   # shallow, as attrs.evolve


@pytest.mark.parametrize("value", [Side(Decimal("1.50"), Decimal("1.495"), Decimal("1.505"), "万元", "a"),
                                   RecordInfo("r1", "d.txt", [{"x": 1}], "bad", ["k"], ["l"], 3, {"c": 1})])
def test_a_pickle_naming_the_class_in_findings_still_loads(value):
    """Side and RecordInfo moved from fiscalrules.findings to fiscalrules.finding_parts: a pickle
    made before names them in findings (protocol 0 writes the module and name as text lines)."""
    made_here = pickle.dumps(value, protocol=0)
    assert b"fiscalrules.finding_parts\n" in made_here
    made_before = made_here.replace(b"fiscalrules.finding_parts\n", b"fiscalrules.findings\n")
    again = pickle.loads(made_before)
    assert type(again) is type(value) and again == value and repr(again) == repr(value)


# ---- the AST's node classes: written out, attrs classes to attrs (fiscalrules.nodebase) ----------

from fiscalrules import ast  # noqa: E402
from fiscalrules.ast import node_fields  # noqa: E402

NODE_CLASSES = [cls for cls in vars(ast).values() if node_fields(cls) is not None]


def _attrs_made(cls):
    """What ``attrs.frozen(eq=False)`` makes of the node class's definition -- its fields as its
    ``__init__`` and the class's options declare them -- with attrs' own repr and equality over
    the same fields (attrs generates them here: the node classes inherit theirs)."""
    parameters = inspect.signature(cls.__init__).parameters
    fields = {}
    for name in cls._fields:
        p = parameters[name.lstrip("_")]
        fields[name] = attrs.field(default=attrs.NOTHING if p.default is p.empty else p.default,
                                   kw_only=p.kind is p.KEYWORD_ONLY, alias=p.name,
                                   eq=name not in cls._uncompared, repr=name not in cls._unshown)
    return attrs.make_class(cls.__name__, fields, frozen=True)


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_a_node_class_behaves_as_the_frozen_attrs_class_it_was(cls):
    assert len(NODE_CLASSES) == 36 and attrs.has(cls) and not attrs.has(ast._Node)
    twin = _attrs_made(cls)
    fields = attrs.fields(cls)   # the metadata attrs makes on first read
    assert [a.name for a in fields] == [a.name for a in attrs.fields(twin)] == list(cls._fields)
    # one slot that is no field: the keys an inline example wrote twice, for the checker (E217)
    assert [s for s in cls.__slots__ if s not in cls._fields] == (["repeated"] if cls is ast.Example else [])
    assert [(a.alias, a.default, a.kw_only, a.eq, a.repr, a.init) for a in fields] == \
        [(a.alias, a.default, a.kw_only, a.eq, a.repr, a.init) for a in attrs.fields(twin)]
    assert cls.__match_args__ == twin.__match_args__
    values = {a.alias: (f"{cls.__name__}.{a.name}" if a.name != "record" else {"a": 1}) for a in fields}
    ours, theirs = cls(**values), twin(**values)
    if cls is not ast.Example:   # (Example compares its record through the record's text)
        assert repr(ours) == repr(theirs)
        other = cls(**{**values, fields[0].alias: "changed"})
        assert (ours == cls(**values), ours == other) == (theirs == twin(**values), theirs == twin(**{**values, fields[0].alias: "changed"}))
        assert hash(ours) == hash(cls(**values))
    assert ours.__getstate__() == theirs.__getstate__()
    assert attrs.evolve(ours) == ours and attrs.asdict(ours, recurse=False) == attrs.asdict(theirs, recurse=False)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(ours, fields[0].name, 1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        delattr(ours, fields[0].name)
    with pytest.raises(AttributeError):
        ours.not_a_field = 1
    for again in (pickle.loads(pickle.dumps(ours)), copy.copy(ours), copy.deepcopy(ours)):
        assert type(again) is cls and again.__getstate__() == ours.__getstate__()
    assert weakref.ref(ours)() is ours


def test_the_fields_left_out_are_those_the_attrs_definitions_left_out():
    """What ``attrs.field(eq=False, …)`` said in the classes attrs made (main before nodebase)."""
    left_out = {(cls.__name__, a.name, a.eq, a.repr, a.hash) for cls in NODE_CLASSES for a in attrs.fields(cls)
                if a.name != "_span" and (not a.eq or not a.repr or a.hash is not None)}
    assert left_out == {("Name", "quoted", False, True, None), ("Example", "record", False, True, False),
                        ("RuleFile", "file", False, True, None), ("RuleFile", "source", False, False, None)}
    spans = {(a.eq, a.repr, a.kw_only, a.alias, a.default) for cls in NODE_CLASSES for a in attrs.fields(cls)
             if a.name == "_span"}
    assert spans == {(False, False, True, "span", (0, 0, 0, 0, None))}
    assert sum(1 for cls in NODE_CLASSES if "_span" in cls.__slots__) == 34   # all but Span and RuleFile


# ---- the record model's, the findings' and the checked ruleset's classes ----------------------------
#
# The attrs definitions they had (main at c46f538), made here by attrs: each written-out class must
# give what its definition gave.

@attrs.frozen(slots=True)
class _Source:
    document: str | None = None
    section: str | None = None
    page: int | None = None
    line: int | None = None
    text: str | None = None
    box: tuple[float, float, float, float] | None = None
    page_line: int | None = None


@attrs.define(slots=True, eq=True)
class _Figure:
    path: str
    value: object
    unit: str | None = None
    precision: Decimal | None = None
    change: Decimal | None = None
    pct: Decimal | None = None
    printed: str | None = None
    label: str | None = None
    source: _Source | None = None


@attrs.define(slots=True, eq=False)
class _Row:
    table: str
    code: str
    index: int
    cell_values: dict = attrs.field(alias="cells")
    coded: bool = True
    _figures: dict | None = attrs.field(default=None, init=False)


@attrs.define(slots=True)
class _Table:
    path: str
    rows: list
    by_code: dict = attrs.field(factory=dict)
    _children: dict | None = None


@attrs.define
class _Record:
    id: str
    figure_values: dict = attrs.field(alias="figures")
    tables: dict
    meta: dict
    children: dict
    _under: dict = attrs.field(factory=dict, repr=False, eq=False)
    file: str | None = attrs.field(default=None, kw_only=True, eq=False)
    _made: dict | None = attrs.field(default=None, init=False, repr=False, eq=False)


@attrs.frozen
class _Operand:
    path: str
    label: str | None
    value: object
    unit: str | None = None
    printed: str | None = None
    change: Decimal | None = None
    pct: Decimal | None = None
    source: _Source | None = None


@attrs.define
class _Report:
    findings: list = attrs.field(factory=list)
    records: list = attrs.field(factory=list)
    ruleset: str | None = None
    _inputs: dict = attrs.field(factory=dict, repr=False, eq=False)
    _localised: dict = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen
class _CheckedRuleset:
    name: str
    title: str | None
    title_en: str | None
    default_unit: str | None
    precisions: dict
    fields: dict
    labels: dict
    rules: tuple
    files: tuple
    row_vars: dict = attrs.field(factory=dict)


def _written_and_defined():
    from fiscalrules.checked import CheckedRuleset
    from fiscalrules.findings import Operand, Report
    from fiscalrules.recordmodel import Figure, Record, Row, Source, Table
    return [(Source, _Source), (Figure, _Figure), (Row, _Row), (Table, _Table), (Record, _Record),
            (Operand, _Operand), (Report, _Report), (CheckedRuleset, _CheckedRuleset)]


def _described(cls):
    return [(a.name, a.alias, a.default, a.init, a.kw_only, a.eq, a.repr, a.hash, a.order) for a in attrs.fields(cls)]


@pytest.mark.parametrize("ours, theirs", _written_and_defined(), ids=lambda c: c.__name__)
def test_a_written_out_class_behaves_as_its_attrs_definition(ours, theirs):
    assert attrs.has(ours) and _described(ours) == _described(theirs)
    assert ours.__match_args__ == theirs.__match_args__
    assert (ours.__hash__ is None) == (theirs.__hash__ is None) or ours.__name__ == "Row"   # (Row: its own ==, no hash)
    required = {a.alias: f"{a.name}-value" for a in attrs.fields(theirs) if a.init and a.default is attrs.NOTHING}
    mine, made = ours(**required), theirs(**required)
    if ours.__name__ not in ("Row", "Record"):   # (each has its own repr and ==, over its cells / figures as Figures)
        assert repr(mine) == repr(made).replace("_" + ours.__name__ + "(", ours.__name__ + "(")
    if ours.__name__ not in ("Row", "Record"):   # (and Record its own ==, over its figures as Figures)
        assert (mine == ours(**required)) is (made == theirs(**required)) is True
    assert mine.__getstate__() == made.__getstate__()
    # defaults made fresh per instance where attrs' factory made them
    for a in attrs.fields(theirs):
        if isinstance(a.default, attrs.Factory):
            assert getattr(mine, a.name) == a.default.factory() and getattr(mine, a.name) is not getattr(ours(**required), a.name)
    assert attrs.evolve(mine).__getstate__() == mine.__getstate__()
    assert attrs.asdict(mine, recurse=False) == attrs.asdict(made, recurse=False)
    from fiscalrules.nodebase import evolve
    first = next(a for a in attrs.fields(theirs) if a.init)
    assert evolve(mine, **{first.alias: "changed"}).__getstate__() == \
        attrs.evolve(made, **{first.alias: "changed"}).__getstate__()
    is_frozen = ours.__attrs_props__.is_frozen if ours.__attrs_props__ is not None else None
    assert is_frozen == (theirs.__attrs_props__.is_frozen if theirs.__attrs_props__ is not None else None)
    if is_frozen:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(mine, first.name, 1)
        try:
            expected = hash(made) == hash(theirs(**required))
        except TypeError:   # a dict among the fields: unhashable in both
            with pytest.raises(TypeError):
                hash(mine)
        else:
            assert expected and hash(mine) == hash(ours(**required))
    else:
        setattr(mine, first.name, "set")
        assert getattr(mine, first.name) == "set"
    for again in (pickle.loads(pickle.dumps(mine)), copy.copy(mine), copy.deepcopy(mine)):
        assert type(again) is ours and again.__getstate__() == mine.__getstate__()
    assert weakref.ref(mine)() is mine


def test_a_sources_fields_read_without_attrs_are_attrs_asdict():
    from fiscalrules.nodebase import fields_dict
    from fiscalrules.recordmodel import Source
    for source in (Source(), Source("a.pdf", "一、收入", 3, 12, "合计 1.00", (1.5, 2.0, 3.25, 4.0))):
        assert fields_dict(source) == attrs.asdict(source) and list(fields_dict(source)) == list(attrs.asdict(source))


# ---- subclasses: what attrs made of a subclass of its classes (as at c46f538, before nodebase) --------

def test_a_plain_subclass_is_an_attrs_class_whatever_was_read_first():
    """attrs' metadata of a subclass is its base's, even when nothing read the base's before."""
    import subprocess
    import sys
    program = (
        "import attrs\nfrom decimal import Decimal\nfrom fiscalrules import ast\n"
        "from fiscalrules.findings import Report\n"
        "class MyNumber(ast.Number): pass\nclass MyReport(Report): pass\n"
        "print(attrs.has(MyNumber), attrs.has(MyReport))\n"
        "print(attrs.evolve(MyNumber(Decimal(1)), unit='元'))\n"
        "print(attrs.asdict(MyReport(ruleset='x'), recurse=False))\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [
        "True True", "MyNumber(value=Decimal('1'), unit='元')",
        "{'findings': [], 'records': [], 'ruleset': 'x', '_inputs': {}, '_localised': {}}"]


def test_a_subclass_declaring_slots_compares_shows_pickles_and_copies_its_bases_fields():
    from fiscalrules.recordmodel import Figure

    class MyNumber(ast.Number):
        __slots__ = ("note",)

    class MyFigure(Figure):
        __slots__ = ("note",)

    one, two = MyNumber(Decimal(1)), MyNumber(Decimal(2))
    assert one != two and one == MyNumber(Decimal(1)) and hash(one) == hash(MyNumber(Decimal(1)))
    assert repr(one) == "MyNumber(value=Decimal('1'), unit=None)"
    assert [a.name for a in attrs.fields(MyNumber)] == ["value", "unit", "_span"]
    # (a local class does not pickle: copying goes through the same __reduce_ex__ / __getstate__)
    assert one.__reduce_ex__(4)[2] == {"value": Decimal(1), "unit": None, "_span": (0, 0, 0, 0, None)}
    for again in (copy.copy(one), copy.deepcopy(one)):
        assert type(again) is MyNumber and again == one and again.value == Decimal(1)
    f, g = MyFigure("p", Decimal(1)), MyFigure("p", Decimal(2))
    f.note = g.note = "x"
    assert f != g and f == MyFigure("p", Decimal(1))
    assert repr(f) == ("MyFigure(path='p', value=Decimal('1'), unit=None, precision=None, change=None, pct=None, "
                       "printed=None, label=None, source=None)")
    assert copy.copy(f).value == Decimal(1) and copy.deepcopy(f) == f
    assert attrs.evolve(f, value=Decimal(3)).value == Decimal(3)


def test_a_subclass_with_its_own_init_keeps_its_bases_fields():
    from fiscalrules.findings import Report

    class MyNumber(ast.Number):
        def __init__(self, v):
            super().__init__(v)

    class MyReport(Report):
        def __init__(self, name):
            super().__init__(ruleset=name)

    assert attrs.has(MyNumber) and attrs.has(MyReport)
    assert MyNumber.__match_args__ == ("value", "unit")
    assert MyReport.__match_args__ == ("findings", "records", "ruleset", "_inputs", "_localised")
    assert attrs.asdict(MyNumber(Decimal(1))) == {"value": Decimal(1), "unit": None, "_span": (0, 0, 0, 0, None)}
    assert attrs.asdict(MyReport("x")) == {"findings": [], "records": [], "ruleset": "x", "_inputs": {}, "_localised": {}}
    assert repr(MyReport("x")) == "MyReport(findings=[], records=[], ruleset='x')"


def test_an_attrs_made_subclass_has_every_field_to_the_library_too():
    from fiscalrules.findings import Operand
    from fiscalrules.nodebase import fields_dict
    from fiscalrules.recordmodel import Source

    @attrs.frozen
    class Tagged(ast.Number):
        tag: str = ""

    @attrs.frozen
    class PagedSource(Source):
        sheet: int | None = None

    tagged = Tagged(Decimal(1), tag="t")
    assert [a.name for a in attrs.fields(Tagged)] == ["value", "unit", "_span", "tag"]
    assert repr(tagged) == "Tagged(value=Decimal('1'), unit=None, tag='t')"
    assert tagged != Tagged(Decimal(1), tag="u") and copy.deepcopy(tagged) == tagged
    source = PagedSource(document="d.pdf", page=3, sheet=2)
    assert fields_dict(source) == attrs.asdict(source) and list(fields_dict(source))[-1] == "sheet"
    assert Operand("a", "l", Decimal(1), source=source).to_dict()["source"] == {"document": "d.pdf", "page": 3, "sheet": 2}


def test_the_field_types_are_those_the_attrs_classes_had():
    import typing

    from fiscalrules.recordmodel import Figure, Source
    assert typing.get_type_hints(ast.Number) == {"value": Decimal, "unit": str | None, "_span": typing.Union[tuple, ast.Span]}
    assert typing.get_type_hints(Figure)["source"] == Source | None
    assert typing.get_type_hints(ast.Call)["args"] == tuple[ast.Expr, ...]
    attrs.resolve_types(ast.Binary)
    assert attrs.fields(ast.Binary).op.type is str


def test_every_thread_gets_the_same_attrs_metadata():
    import subprocess
    import sys
    program = (
        "import sys, threading\nsys.setswitchinterval(1e-6)\nimport attrs\nfrom fiscalrules import ast\n"
        "barrier, got = threading.Barrier(4), []\n"
        "def read():\n    barrier.wait()\n    got.append(attrs.fields(ast.Number))\n"
        "threads = [threading.Thread(target=read) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(all(fields is got[0] for fields in got), len(got))\n")
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
        assert run.stdout.split() == ["True", "4"]
