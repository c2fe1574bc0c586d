"""A long flat chain -- a sum of thousands of terms, an ``and`` of thousands of conditions -- is
flat text, not nesting (review 17 B10: a 400-term sum was E106 "nested too deeply", a 4 MB line
cost ~2 GB before that): it is read, checked, compiled, evaluated (per record and on the columnar
engine), printed back, compared, hashed, shown and pickled (the ruleset cache too) without
recursing once per link (fiscalrules.chains); real nesting is still refused, at its rule."""

from __future__ import annotations

import pickle
import sys

import pytest

import fiscalrules
from fiscalrules import ast, cache, compiler
from fiscalrules.parser import _build, _fast_parser, _parser, parse

HEAD = "unit 万元\nfield total: amount\nfield a: amount\nfield b: amount\n\n"


def _sum_rules(n: int) -> str:
    return HEAD + "rule L: total = " + " + ".join("a" if i % 2 else "b" for i in range(n)) + "\n"


def _and_rules(n: int) -> str:
    return HEAD + "rule L: " + " and ".join("a > 0" if i % 2 else "b >= 1" for i in range(n)) + "\n"


@pytest.fixture
def shallow():
    """A recursion limit well below any chain here: a walk recursing once per link fails."""
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    yield
    sys.setrecursionlimit(saved)


@pytest.mark.parametrize("n", [400, 10_000])
def test_a_long_sum_is_read_checked_and_evaluated(n, shallow):
    ruleset = fiscalrules.compile_rules(_sum_rules(n))
    half = n // 2
    statuses = {name: [f.status for f in ruleset.evaluate(record).findings] for name, record in {
        "pass": {"total": str(n), "a": "1", "b": "1"},
        "fail": {"total": str(3 * n), "a": "1", "b": "1"},   # (n terms: n roundings of 0.005 allowed)
        "missing": {"total": "5", "a": "1"}}.items()}
    assert statuses == {"pass": ["pass"], "fail": ["fail"], "missing": ["not_evaluable"]}
    failed = ruleset.evaluate({"total": "1", "a": "2", "b": "1"}).findings[0]
    assert failed.right.value == 2 * half + half   # every term added, in its place


@pytest.mark.parametrize("n", [400, 2_000])
def test_a_long_and_chain_is_evaluated(n, shallow):
    ruleset = fiscalrules.compile_rules(_and_rules(n))
    cases = {"pass": {"a": "1", "b": "1"}, "fail": {"a": "-1", "b": "1"}, "missing": {"b": "1"},
             "fail beside a missing one": {"b": "0"}}
    statuses = {name: ruleset.evaluate(record).findings[0].status for name, record in cases.items()}
    assert statuses == {"pass": "pass", "fail": "fail", "missing": "not_evaluable",
                        "fail beside a missing one": "fail"}


def test_a_chain_is_folded_as_its_links_nested_would_be():
    """compiler._compile_all/_compile_any (one loop) against _compile_and/_compile_or nested to
    the left, as each link was compiled, on every mix of pass, rounding, fail and missing."""
    import itertools
    from functools import reduce

    from fiscalrules.context import Missing
    from fiscalrules.values import EXACT, FAIL, ROUNDING

    def part(outcome):
        def condition(ctx):
            if outcome == "missing":
                raise Missing("m")
            return (outcome, None)
        return condition

    for n in (3, 4, 5):
        for outcomes in itertools.product((EXACT, ROUNDING, FAIL, "missing"), repeat=n):
            parts = [part(o) for o in outcomes]
            for folded, pairwise in ((compiler._compile_all, compiler._compile_and),
                                     (compiler._compile_any, compiler._compile_or)):
                results = []
                for fn in (folded(parts[0], tuple(parts[1:])), reduce(pairwise, parts)):
                    try:
                        results.append(fn(None)[0])
                    except Missing:
                        results.append("missing")
                assert results[0] == results[1], (folded.__name__, outcomes)


def test_a_long_chain_prints_back_to_itself_and_compares_hashes_shows_and_pickles(shallow):
    text = HEAD + "rule L: total = (a - b) * 2 + " + " - ".join(["a * 3", "b / 2"] * 2_500) + " + (a + b)\n"
    text += "rule M: " + " or ".join(["a > 0 and b > 0", "(a < 0 or b < 0)"] * 1_000) + "\n"
    parsed = parse(text)
    printed = fiscalrules.ast.to_source(parsed)
    again = parse(printed)
    assert again == parsed and hash(again) == hash(parsed)
    assert again != parse(text.replace("b / 2 + (a + b)", "b / 3 + (a + b)"))
    assert fiscalrules.ast.to_source(again) == printed
    assert printed.count("(") == text.count("(")   # the brackets written, none added
    assert repr(parsed).startswith("RuleFile(") and "Binary(op='+', left=Binary(" in repr(parsed)
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    ruleset = fiscalrules.compile_rules(text)
    record = {"total": "1", "a": "2", "b": "4"}
    expected = [(f.rule, f.status) for f in ruleset.evaluate(record).findings]
    assert [(f.rule, f.status) for f in pickle.loads(pickle.dumps(ruleset)).evaluate(record).findings] == expected
    assert cache.decode(cache.encode(ruleset.checked.rules)) == ruleset.checked.rules


def test_the_lark_path_builds_a_long_chain_as_the_fast_parse(shallow):
    text = _sum_rules(5_000)
    assert _build(None, text, _parser().parse(text)) == _fast_parser().parse(text, None)


def test_the_columnar_engine_leaves_a_very_long_sum_to_the_per_record_engine():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"total": ["10000", "3"], "a": ["1", "1"], "b": ["1", "1"]})
    for n, engine in ((150, "columnar"), (10_000, "per-record")):
        ruleset = fiscalrules.compile_rules(_sum_rules(n))
        frame["total"] = [str(n), "3"]
        report = ruleset.evaluate_table(frame)
        assert report.engines["L"].startswith(engine)
        assert {s: c for s, c in report.counts["L"].items() if c} == {"pass": 1, "fail": 1}


def test_deep_nesting_is_refused_at_its_rule_with_an_excerpt():
    text = "unit 万元\nfield a: amount\n\n  rule D: a = " + "abs(" * 450 + "a" + ")" * 450 + "\n"
    with pytest.raises(fiscalrules.RuleSyntaxError) as caught:
        parse(text, "d.rules")
    error = caught.value
    assert error.code == "E106"
    assert (error.location.line, error.location.column) == (4, 3)
    assert error.location.source_line.startswith("  rule D: a = abs(")
    assert "d.rules:4:3" in error.format()


def test_a_chain_is_one_level_of_the_parsers_nesting():
    """The fast parse counts a chain's links as one level (lalr.chained): a 10,000-term sum is
    read by it, never handed to lark (whose tree of it cost ~2 GB for a 4 MB line)."""
    tree = _fast_parser().parse(_sum_rules(10_000), None)
    assert isinstance(tree[-1].assertion.right, ast.Binary)
