"""A rule's closures are built on first use (evaluator.CompiledRule), and the AST nodes compare
and hash as attrs would make them (ast._ComparedByFields): both only make loading cheaper, so
the findings and the equalities must be exactly those of building and comparing everything."""

from __future__ import annotations

from decimal import Decimal as D

import attrs

from fiscalrules import ast, compile_rules
from fiscalrules.evaluator import _ASSERTION_CLOSURES, _PRECONDITION_CLOSURES

RULES = """
field a: amount
field b: amount
field c: amount
field t: table(code: text, amount: amount)
rule GUARDED {
    when present(c)
    assert a = b
}
rule PLAIN: a = b + 0
rule ROWS: for each r in t where r.amount > 0: r.amount <= a
"""

RECORDS = [
    {"a": "10", "b": "10"},
    {"a": "10", "b": "9", "c": "1"},
    {"a": "10", "b": "10", "c": "1", "t": [{"code": "201", "amount": "3"}, {"code": "202", "amount": "12"}]},
    {"b": "1", "c": "1", "t": [{"code": "201", "amount": "0"}]},
]


def _built(rule) -> set[str]:
    return set(vars(rule)) & (_PRECONDITION_CLOSURES | _ASSERTION_CLOSURES)


def _seen(report):
    return [(f.rule, f.status, f.item, f.reason, f.missing, f.left, f.right, f.message) for f in report.findings]


def test_no_closure_is_built_before_a_rule_runs():
    rules = compile_rules(RULES)
    # a rule without precondition knows it has none; nothing else is built yet
    assert {rule.id: _built(rule) for rule in rules.rules} == {"GUARDED": set(), "PLAIN": {"when", "fast_when"},
                                                               "ROWS": {"when", "fast_when"}}


def test_a_false_precondition_builds_no_assertion():
    rules = compile_rules(RULES)
    guarded = rules.rule("GUARDED")
    guarded.fused = None   # the general path alone (the fused one: below)
    report = rules.evaluate({"a": "1", "b": "2"})
    assert [f.status for f in report.findings if f.rule == "GUARDED"] == ["not_applicable"]
    assert _built(guarded) == _PRECONDITION_CLOSURES
    assert guarded.body is not None and _built(guarded) == _PRECONDITION_CLOSURES | {"body"}   # one at a time


def test_a_precondition_the_fused_path_finds_false_builds_no_general_closure():
    rules, general = compile_rules(RULES), compile_rules(RULES)
    general.rule("GUARDED").fused = None
    record = {"a": "1", "b": "2", "t": [{"code": "201", "amount": "3"}]}
    report = rules.evaluate(record)
    guarded = rules.rule("GUARDED")
    (finding,) = [f for f in report.findings if f.rule == "GUARDED"]
    assert finding.status == "not_applicable" and finding.reason == "precondition is false"
    assert _built(guarded) == set()
    # its details (the figures the precondition read) are the general path's, replayed when read
    assert _seen(report) == _seen(general.evaluate(record))
    assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in general.evaluate(record).findings]
    assert "when" in _built(guarded) and not _built(guarded) & {"body", "fast", "fast_when"}


def test_a_check_the_fast_path_decides_builds_no_general_closure():
    rules = compile_rules(RULES)
    report = rules.evaluate({"a": "10", "b": "10", "c": "1"})
    assert [f.status for f in report.findings if f.rule == "GUARDED"] == ["pass"]
    assert "body" not in _built(rules.rule("GUARDED"))   # decided on the printed values
    rules.evaluate({"a": "10", "b": "9", "c": "1"})   # a failure: the general path explains it
    assert "body" in _built(rules.rule("GUARDED"))


def test_a_failure_the_fused_path_finds_builds_no_fast_path_nor_the_row_filter_again():
    """A rule (or row) the fused closures find failed is explained by the general path's body:
    its fast path, which passes only what holds exactly, and the row filter the fused one kept
    the row by are not built; the findings are those of the general path alone."""
    rules, general = compile_rules(RULES), compile_rules(RULES)
    for rule in general.rules:
        rule.fused = None
    record = {"a": "10", "b": "9", "c": "1", "t": [{"code": "201", "amount": "3"}, {"code": "202", "amount": "12"}]}
    report = rules.evaluate(record)
    assert {(f.rule, f.item, f.status) for f in report.findings if f.status == "fail"} == {
        ("GUARDED", None, "fail"), ("PLAIN", None, "fail"), ("ROWS", "202", "fail")}
    for rule_id in ("GUARDED", "PLAIN", "ROWS"):
        built = _built(rules.rule(rule_id))
        assert "body" in built and not built & {"fast", "fast_where", "where"}, (rule_id, built)
    assert _seen(report) == _seen(general.evaluate(record))
    assert [f.to_dict() for f in report.findings] == [f.to_dict() for f in general.evaluate(record).findings]


def test_lazy_closures_give_the_findings_of_closures_built_up_front():
    lazy, eager = compile_rules(RULES), compile_rules(RULES)
    for rule in eager.rules:
        for name in _PRECONDITION_CLOSURES | _ASSERTION_CLOSURES:   # every closure now, as a load once built them
            getattr(rule, name)
        assert _built(rule) == _PRECONDITION_CLOSURES | _ASSERTION_CLOSURES
    for record in RECORDS:
        assert _seen(lazy.evaluate(record)) == _seen(eager.evaluate(record))


def test_a_closure_set_before_first_use_is_kept():
    rules = compile_rules(RULES)
    rule = rules.rule("PLAIN")
    rule.fast = None   # the general path alone, as tests of the fast path make it
    assert rule.body is not None and rule.fast is None


def test_unknown_attributes_are_still_missing():
    rule = compile_rules(RULES).rule("PLAIN")
    try:
        rule.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("an unknown attribute was found")


@attrs.frozen
class _AttrsBinary:   # what attrs generates, to compare with
    op: str
    left: object
    right: object
    _span: tuple = attrs.field(default=(0, 0, 0, 0, None), eq=False, kw_only=True, alias="span")


def test_nodes_compare_as_attrs_generated_equality_would():
    one = ast.Binary("+", ast.FieldRef("a", span=(1, 1, 1, 2, "x.rules")), ast.Number(D("1.0")), span=(1, 1, 1, 9, None))
    same_elsewhere = ast.Binary("+", ast.FieldRef("a"), ast.Number(D("1.00")), span=(7, 3, 7, 12, "y.rules"))
    pairs = [(one, same_elsewhere), (one, ast.Binary("-", one.left, one.right)), (one, ast.Compare("+", one.left, one.right)),
             (ast.Number(D("NaN")), ast.Number(D("NaN"))), (ast.Span(1, 2), ast.Span(1, 2)), (ast.Span(1, 2), ast.Span(1, 3)),
             (ast.Name("a", quoted=True), ast.Name("a")), (one, "not a node")]
    nan = ast.Number(D("NaN"))
    pairs.append((nan, nan))
    for x, y in pairs:
        if type(x) is ast.Binary and type(y) is ast.Binary:
            mirrored = (_AttrsBinary(x.op, x.left, x.right) == _AttrsBinary(y.op, y.left, y.right))
            assert (x == y) is mirrored
        assert (x == y) is not (x != y)
    assert one == same_elsewhere and hash(one) == hash(same_elsewhere) and {one: 1}[same_elsewhere] == 1
    assert one != ast.Binary("-", one.left, one.right) and one != ast.Compare("+", one.left, one.right)
    assert nan == nan and ast.Number(D("NaN")) != ast.Number(D("NaN"))   # identical items are equal, as in attrs
    assert ast.Span(1, 2) == ast.Span(1, 2) != ast.Span(1, 3)
    assert ast.Name("a", quoted=True) == ast.Name("a")   # quoted is not compared
    assert (one == "not a node") is False


def test_nodes_stay_frozen_attrs_classes():
    node = ast.FieldRef("a")
    assert attrs.has(ast.FieldRef) and attrs.has(ast.Span) and attrs.has(ast.RuleFile)
    try:
        node.path = "b"
    except attrs.exceptions.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a node could be changed")


def test_a_fused_assertion_another_thread_compiled_meanwhile_is_found():
    """Threads sharing a ruleset: a lookup of ``body`` that missed the slot while another thread
    was compiling it reaches ``__getattr__`` after that thread cleared ``_later`` -- the slot is set
    by then, and must be what the lookup gives (CI on ba6c8f0: "AttributeError: body" from
    test_global_state's threads).  Calling the hook after the first compile is that interleaving."""
    from fiscalrules.fused import FusedRule, fuse
    guarded = next(rule for rule in compile_rules(RULES).rules if rule.id == "GUARDED")
    fused = fuse(guarded.rule, guarded.settings, guarded.tolerance)
    assert isinstance(fused, FusedRule)
    body = fused.body                       # compiled by "the other thread": _later cleared
    assert fused._later is None
    assert FusedRule.__getattr__(fused, "body") is body
    assert FusedRule.__getattr__(fused, "where") is fused.where
    try:
        FusedRule.__getattr__(fused, "nothing")
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must stay missing")
