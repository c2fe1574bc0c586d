"""--select / --ignore on every command that runs rules: a pattern that matches no rule of the
rule files is refused (exit 2, naming it) rather than checking nothing, or everything, in silence;
audit decides it over every template's bundled ruleset."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_runs import rules_place, run_cli
from fiscalrules import cli

RULES = """\
unit 万元
field a: amount
field b: amount
rule EQ {
    tags pair
    assert a = b
    example pass {a: 1, b: 1}
}
rule POS {
    assert a > 0
    example pass {a: 1, b: 1}
}
"""
BUREAU = str(Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt")


@pytest.fixture
def place(tmp_path, monkeypatch):
    place = rules_place(tmp_path, monkeypatch, RULES)
    (place / "d.json").write_text('{"a": "1", "b": "1"}', encoding="utf-8")
    return place


@pytest.mark.parametrize("option, named", [
    (["--select", "EQ,TYPO"], "--select TYPO"),
    (["--select", "pair", "--ignore", "NOPE-*"], "--ignore NOPE-*"),
    (["--ignore", "typo_tag"], "--ignore typo_tag"),
])
def test_check_refuses_a_pattern_that_matches_no_rule(place, capsys, option, named):
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.json", *option)
    assert (code, out) == (2, "") and named in err and "no rule id, pattern or tag" in err
    assert err.count("--") == 1   # only the pattern that matches nothing is named


@pytest.mark.parametrize("option", [["--select", "EQ"], ["--select", "pair"], ["--select", "E*,POS"], ["--ignore", "POS"]])
def test_check_runs_patterns_that_match(place, capsys, option):
    code, _, err = run_cli(capsys, "check", "r.rules", "-r", "d.json", *option)
    assert code == 0 and err == ""


def test_test_command_refuses_a_pattern_that_matches_no_rule(place, capsys):
    """``fiscalrules test --select TYPO`` ran no example and said "0 passed, 0 failed", exit 0."""
    code, out, err = run_cli(capsys, "test", "r.rules", "--select", "TYPO")
    assert (code, out) == (2, "") and "--select TYPO" in err
    code, out, _ = run_cli(capsys, "test", "r.rules", "--select", "EQ")
    assert code == 0 and out.startswith("1 passed")


@pytest.mark.parametrize("option, named", [
    (["--select", "NOPE-001"], "--select NOPE-001"),
    (["--select", "INC-*,TYPO"], "--select TYPO"),
    (["--ignore", "TYPO"], "--ignore TYPO"),
])
def test_audit_refuses_a_pattern_that_matches_no_rule(place, capsys, option, named):
    """audit ran its default ruleset less nothing (``--ignore TYPO``) or with nothing, and said
    the document held "none of the figures the rules need"."""
    code, out, err = run_cli(capsys, "audit", BUREAU, *option)
    assert (code, out) == (2, "") and named in err and "figures" not in err


def test_audit_decides_a_pattern_over_every_templates_ruleset(place, capsys):
    """A pattern of the 决算 ruleset's rules (BAL-*) is no typo for an audit, whose documents
    may be either template; for a budget document it leaves nothing to check there."""
    code, _, err = run_cli(capsys, "audit", BUREAU, "--select", "BAL-*")
    assert "no rule id, pattern or tag" not in err
    code, out, err = run_cli(capsys, "audit", BUREAU, "--ignore", "BAL-*", "--format", "json")
    assert code == 1 and err == "" and '"status": "fail"' in out


def test_audit_message_in_chinese(place, capsys):
    code = cli.main(["audit", BUREAU, "--select", "TYPO"])
    err = capsys.readouterr().err
    assert code == 2 and "--select TYPO：规则文件中没有与之匹配的规则 ID、模式或标签" in err
