"""The fast path (exact passes decided on printed values) and the fused closures (outcomes decided
without details, fiscalrules.fused) change nothing a user can see: every
finding -- status, sides, difference, tolerance, operands, messages -- is the same with it and
without it, on the bundled ruleset over real and example documents and on the demo records."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "disclosures"
DOCUMENTS = sorted(SHARED.glob("*.txt")) + [ROOT / "examples" / "bureau_2025.txt"]


def _without_fast_path(ruleset):
    """The ruleset with neither the fast path nor the fused closures: the general path alone."""
    for rule in ruleset.rules:
        rule.fast = rule.fast_when = None
        rule.fused = None
        if rule.per_row:
            rule.fast_where = None
    return ruleset


def _same_without_fast_path(make, records):
    """Findings of the ruleset *make()* gives equal those of a copy without any fast path."""
    fast, slow = make(), _without_fast_path(make())
    assert _seen(fast.evaluate_many(records)) == _seen(slow.evaluate_many(records))
    return fast


def _seen(report):
    return [(f.record, f.rule, f.item, f.status, f.op, f.left, f.right, f.difference, f.tolerance, f.unit,
             f.operands, f.suggestion, f.message, f.message_en) for f in report.sorted_findings()]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_bundled_ruleset_findings_do_not_depend_on_the_fast_path(document):
    if not document.exists():
        pytest.skip("shared disclosures not present")
    record = read_disclosure(document)
    fast = fiscalrules.load_ruleset("budget_disclosure")
    slow = _without_fast_path(fiscalrules.load_ruleset("budget_disclosure"))
    assert any(rule.fast is not None for rule in fast.rules)
    assert _seen(fast.evaluate(record)) == _seen(slow.evaluate(record))


def test_demo_findings_do_not_depend_on_the_fast_path():
    records = [json.loads((ROOT / "examples" / "demo.record.json").read_text(encoding="utf-8"),
                          parse_float=Decimal)]
    _same_without_fast_path(lambda: fiscalrules.load_ruleset(ROOT / "examples" / "demo.rules"), records)


def test_a_pass_within_rounding_is_not_taken_for_exact():
    rules = fiscalrules.compile_rules("""
        unit 万元
        field t: amount
        field p.* : amount
        rule R: t = sum(p.*)
    """)
    assert rules.rules[0].fast is not None
    exact, rounding = (rules.evaluate({"t": t, "p": {"a": "1.01", "b": "2.02"}}).findings[0] for t in ("3.03", "3.04"))
    assert exact.status == "pass" and exact.difference == 0 and len(exact.operands) == 3
    assert rounding.status == "pass_rounding" and rounding.difference == Decimal("0.01")


# ---- sums and differences of figures: one closure (fastpath._linear) instead of one per node ----------

_FIELDS = ("a", "b", "c", "d")
_AMOUNTS = st.builds(lambda whole, cents: Decimal(whole) + Decimal(cents) / 100, st.integers(0, 10**6), st.integers(0, 99))


def _sums():
    """(rule text, values -> printed total or None when a figure is missing) of a sum and
    difference of figures and money numbers, bracketed as it comes."""
    leaf = st.one_of(
        st.sampled_from(_FIELDS).map(lambda name: (name, lambda values, name=name: values.get(name))),
        _AMOUNTS.map(lambda n: (f"{n} 万元", lambda values, n=n: n)))

    def combine(inner):
        def node(left, op, right):
            def value(values):
                a, b = left[1](values), right[1](values)
                return None if a is None or b is None else a + b if op == "+" else a - b
            return f"({left[0]} {op} {right[0]})", value
        return st.builds(node, inner, st.sampled_from("+-"), inner)
    return st.recursive(leaf, combine, max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sums(), st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
       st.fixed_dictionaries({name: _AMOUNTS for name in _FIELDS}),
       st.sets(st.sampled_from(_FIELDS), max_size=2), st.sampled_from(["0", "0.01", "-0.01", "0.5", "-3"]))
def test_sums_of_figures_decide_as_the_interval_path(side, op, values, missing, shift):
    text, total = side
    point = total(values)
    if point is not None:  # the total printed as the sum would be, or moved off it
        values["t"] = point + Decimal(shift)
    rules = f"unit 万元\nfield t: amount\n" + "".join(f"field {n}: amount\n" for n in _FIELDS) + \
        f"rule R: t {op} {text}\nrule S: {text} {op} t - 1 万元\n"
    record = {name: str(value) for name, value in values.items() if name not in missing}
    fast = _same_without_fast_path(lambda: fiscalrules.compile_rules(rules), [record])
    assert all(rule.fast is not None for rule in fast.rules)


def test_a_sum_of_figures_is_one_closure():
    rules = fiscalrules.compile_rules("""
        unit 万元
        field t: amount
        field p.* : amount
        rule R: t = p.a - (p.b + p.c) + 1 万元
    """)
    # the comparison's sides are its default arguments (fiscalrules.compiler says why)
    names = [side.__name__ for side in rules.rules[0].fast.__defaults__]
    assert names.count("linear") == 2  # a loop per side, not a closure per node
    finding = rules.evaluate({"t": "4", "p": {"a": "10", "b": "2", "c": "5"}}).findings[0]
    assert finding.status == "pass" and finding.difference == 0
    missing = rules.evaluate({"t": "4", "p": {"a": "10", "c": "5"}}).findings[0]
    assert missing.status == "not_evaluable" and "p.b" in missing.message_en
