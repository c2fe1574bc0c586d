"""The fast path (fiscalrules.fastpath) walks a long chain of operators -- a sum of thousands of
products and quotients -- in a loop, as the interval path
does (fiscalrules.chains): it compiles such a rule without recursing once per link, and decides
exactly what the interval path decides (it used to recurse, and gave up on a RecursionError)."""

from __future__ import annotations

import pytest
from test_long_chains import shallow  # noqa: F401 - the fixture: a recursion limit of 400

import fiscalrules

HEAD = "unit 万元\nfield total: amount\nfield a: amount\nfield b: amount\nfield k: number\n\n"


def _general_only(ruleset):
    for rule in ruleset.rules:
        rule.fast = rule.fast_when = None
        rule.fused = None
    return ruleset


def _fast_only(ruleset):
    """The fast path tried first (no fused closure deciding before it)."""
    for rule in ruleset.rules:
        rule.fused = None
    return ruleset


def _seen(report):
    return [(f.rule, f.status, f.left, f.right, f.difference, f.tolerance, f.message)
            for f in report.sorted_findings()]


SUM_OF_PRODUCTS = HEAD + "rule L: total = (a - b) * 2 + " + " - ".join(["a * 3", "b / 2"] * 2_500) + " + (a + b)\n"
WITH_ZERO = HEAD + "rule Z: total = 1 + " + " + ".join(["a / k"] * 1_000) + "\n"


@pytest.mark.parametrize("text, records", [
    (SUM_OF_PRODUCTS, [{"total": "3", "a": "2", "b": "4"},            # -4 + 6 - 2499 * (2 + 6) - 2 + 6 = -19986
                       {"total": "-19986", "a": "2", "b": "4"},
                       {"total": "-19986.01", "a": "2", "b": "4"},
                       {"total": "-19000", "a": "2", "b": "4"},
                       {"total": "1", "a": "2"}]),
    (WITH_ZERO, [{"total": "1001", "a": "1", "k": "1"}, {"total": "1", "a": "1", "k": "0"}]),
], ids=["sum-of-products", "division-by-zero"])
def test_a_long_chain_of_operators_has_a_fast_path_that_decides_as_the_interval_path(text, records, shallow):
    fast = _fast_only(fiscalrules.compile_rules(text))
    assert fast.rules[0].fast is not None
    general = _general_only(fiscalrules.compile_rules(text))
    assert _seen(fast.evaluate_many(records)) == _seen(general.evaluate_many(records))


def test_the_fast_path_of_a_long_chain_reads_its_figures_in_order_and_passes_exactly(shallow):
    rules = _fast_only(fiscalrules.compile_rules(SUM_OF_PRODUCTS))
    assert [f.status for f in rules.evaluate({"total": "-19986", "a": "2", "b": "4"}).findings] == ["pass"]
    assert [f.status for f in rules.evaluate({"total": "-19986.01", "a": "2", "b": "4"}).findings] == ["pass_rounding"]
    assert [f.status for f in rules.evaluate({"total": "-19000", "a": "2", "b": "4"}).findings] == ["fail"]
    assert [f.status for f in rules.evaluate({"total": "1", "a": "2"}).findings] == ["not_evaluable"]
    divided = _fast_only(fiscalrules.compile_rules(WITH_ZERO)).evaluate({"total": "1", "a": "1", "k": "0"})
    assert [f.status for f in divided.findings] == ["error"]
