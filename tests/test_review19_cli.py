"""Review 18 B's hostile-input and command-line leftovers (B18-9), each checked end to end through
``cli.main`` (or the command in a subprocess, where a module must be hidden): a file in the working
directory named like a bundled ruleset (B18-9a), ``test`` of an empty folder among rule files
(B18-9d), a nested Parquet struct with two children of one name (B18-9f), the Chinese report's
words (B18-9g) and an optional extra not installed."""

from __future__ import annotations

import json
import os

import pytest

from fiscalrules import cli

from cli_runs import run_cli  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _audit_json(capsys, *argv) -> tuple[int, dict]:
    code, out, err = run_cli(capsys, "audit", *argv, "--format", "json")
    return code, (json.loads(out) if out.strip() else {"stderr": err})


# ---- B18-9a: a file or folder named like a bundled ruleset does not stand in for the one never named ----

@pytest.mark.parametrize("shadow", ["file", "folder"])
def test_the_default_ruleset_is_the_bundled_one_whatever_the_working_directory_holds(place, capsys, shadow):
    """`touch budget_disclosure; fiscalrules audit doc.txt` loaded the empty file as the default
    ruleset ("no rule could be checked", exit 2), and a folder of that name was an E500."""
    document = os.path.join(EXAMPLES, "bureau_2025.txt")
    expected_code, expected = _audit_json(capsys, document)
    assert expected["ruleset"] == "budget_disclosure" and expected["summary"]["total"]["fail"] > 0
    if shadow == "file":
        (place / "budget_disclosure").write_text("", encoding="utf-8")
    else:
        (place / "budget_disclosure").mkdir()
    code, report = _audit_json(capsys, document)
    assert (code, report.get("ruleset"), report.get("summary")) == \
        (expected_code, "budget_disclosure", expected["summary"]), report.get("stderr")


def test_a_templates_ruleset_is_the_bundled_one_whatever_the_working_directory_holds(place, capsys):
    """A final-accounts document is audited by the bundled final_accounts ruleset too: a file of
    that name here (holding a rule that would fail everything) is not it."""
    pytest.importorskip("pypdfium2")
    document = os.path.join(EXAMPLES, "qingshi_culture_2024_final_accounts.pdf")
    expected_code, expected = _audit_json(capsys, document)
    assert expected["ruleset"] == "budget_disclosure+final_accounts"
    (place / "final_accounts").write_text("rule SHADOW: 1 = 2\n", encoding="utf-8")
    code, report = _audit_json(capsys, document)
    assert (code, report.get("ruleset"), report.get("summary")) == \
        (expected_code, expected["ruleset"], expected["summary"]), report.get("stderr")


def test_a_ruleset_the_user_names_is_still_a_path_first(place, capsys):
    """`--ruleset budget_disclosure` with a folder of that name here: the user named a path that
    exists, and it is taken as one, as documented (docs/cli.md) -- the folder holds no rule file."""
    (place / "budget_disclosure").mkdir()
    code, out, err = run_cli(capsys, "audit", os.path.join(EXAMPLES, "bureau_2025.txt"),
                             "--ruleset", "budget_disclosure")
    assert code == 2 and "E500" in err and "budget_disclosure" in err
