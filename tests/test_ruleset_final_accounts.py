"""The bundled ruleset ``final_accounts``: it lints clean, every rule documents itself with passing
and failing examples that behave, severities are chosen on purpose, and the properties of
fiscalrules.testing hold for it (consistent generated final accounts never fail, exactly or after
rounding; one figure changed beyond its allowance is named by a failure).

The same properties run for every other bundled ruleset in tests/test_testing.py; this ruleset's
records take seconds each to generate, so it runs them here with fewer examples."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fiscalrules import cli
from fiscalrules.loader import bundled_rulesets, lint, load_ruleset
from fiscalrules.testing import perturbations, records

RULESETS = Path(__file__).resolve().parents[1] / "rulesets"
MAIN = RULESETS / "final_accounts.rules"
BAD = ("fail", "error", "not_evaluable")
FEW = settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

WARNING_RULES = {
    "CHG-004", "NAR-013", "NAR-014", "OPS-001", "PROC-002", "PRF-003", "TPF-012", "XT-011",
    "QUA-001", "QUA-002", "QUA-003", "QUA-007", "QUA-008", "QUA-009", "QUA-010",
}


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("final_accounts")


def test_bundled_named_and_listed(capsys):
    assert bundled_rulesets()["final_accounts"].resolve() == MAIN.resolve()
    rules = load_ruleset(str(MAIN))
    assert rules.name == "final_accounts" and rules.title == "部门决算公开模板"
    assert rules.settings.default_unit == "万元"
    assert cli.main(["rulesets"]) == 0
    listed = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    assert listed["final_accounts"][1] == str(len(rules.rules))
    assert listed["budget_disclosure"][1] == str(len(load_ruleset("budget_disclosure").rules))


def test_lints_clean():
    assert lint([MAIN]) == []
    for part in ("_final_accounts_fields.rules", "_common_fields.rules", "_quality.rules"):
        assert lint([RULESETS / part]) == [], part


def test_every_rule_documents_itself(ruleset):
    ids = [r.id for r in ruleset.rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 100
    for compiled in ruleset.rules:
        rule = compiled.rule
        assert rule.title and rule.title_en and rule.message and rule.message_en and rule.tags, rule.id
        expects = Counter(example.expect for example in rule.examples)
        assert expects["pass"] >= 1 and expects["fail"] >= 1, rule.id
    areas = Counter(r.id.split("-")[0] for r in ruleset.rules)
    for area in ("BAL", "TBL", "XT", "NAR", "PCT", "CHG", "CMP", "TPF", "OPS", "PROC", "AST", "PRF", "TXT", "QUA"):
        assert areas[area] >= 1, area


def test_severities_chosen_on_purpose(ruleset):
    assert {r.id for r in ruleset.rules if r.severity == "warning"} == WARNING_RULES


def test_all_inline_examples_behave(ruleset, capsys):
    results = ruleset.run_examples()
    bad = [f"{r.rule} example {r.index} ({r.expect}): got {r.statuses} {r.detail}" for r in results if not r.ok]
    assert bad == []
    for r in results:
        if r.expect == "fail":
            assert "fail" in r.statuses, r
        elif r.expect == "pass":
            assert set(r.statuses) <= {"pass", "pass_rounding"}, r
        else:   # (a rule checking what the text claims: a text claiming nothing leaves it not applicable)
            assert set(r.statuses) == {r.expect}, r
    assert cli.main(["test", str(MAIN)]) == 0
    assert capsys.readouterr().out.strip().endswith("，不通过 0")


def _bad(report) -> list:
    return [f"{f.rule}[{f.item}] {f.status}: {f.text('en')}" for f in report.findings if f.status in BAD]


# The two properties share each drawn record (generating it is most of their cost): as drawn it
# raises nothing, and with one figure changed beyond its allowance that figure is named by a
# failure.  8 examples for each, as before.
@FEW
@given(data=st.data())
def test_consistent_generated_final_accounts_never_fail_and_a_changed_figure_is_named(ruleset, data):
    rounded = data.draw(st.booleans(), label="rounded")
    record = data.draw(records(ruleset, rounded=rounded), label="record")
    assert _bad(ruleset.evaluate(record)) == []
    _one_changed_figure_beyond_its_allowance_is_named(ruleset, record, data)


def _one_changed_figure_beyond_its_allowance_is_named(ruleset, record, data):
    change = data.draw(perturbations(ruleset, record), label="perturbation")
    if change is None or not change.must_fail:
        return
    report = ruleset.evaluate(change.record)
    naming = [f for f in report.findings if f.status == "fail" and any(o.path == change.path for o in f.operands)]
    assert naming, f"{change.description} ({change.old} → {change.new}) is named by no failure"
    failing = {f.rule for f in report.findings if f.status == "fail"}
    for eq, _d, _a in change.expected:
        assert eq.rule in failing, f"{eq.rule} should fail after: {change.description}"
