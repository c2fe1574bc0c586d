"""The documentation stays true: every rule block in docs/*.md compiles (or is refused with the
diagnostics it says), every inline example behaves, every Python and console block runs.

Each document is checked by its own test (so the workers share them out), with the console
examples run in-process through ``fiscalrules.cli.main``; one test runs the checker's command line
as the docs tell users to, with its console examples as real ``python -m fiscalrules`` processes.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_examples", ROOT / "docs" / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_examples = _load_checker()
DOCS = check_examples.documented()


def test_there_are_documents_to_check():
    assert {p.name for p in DOCS} >= {"language.md", "cli.md", "api.md", "semantics.md"}


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_every_documented_example_behaves_as_documented(doc):
    checker = check_examples.check([doc], in_process=True)
    assert not checker.failures, "\n".join(checker.failures)


def test_the_examples_add_up_to_what_the_docs_promise():
    """Every kind of example is really run somewhere (a parser change that stopped finding the
    blocks would otherwise pass every document)."""
    counts = {key: 0 for key in ("rules", "examples", "refused", "python", "console")}
    for doc in DOCS:
        for lang, _line, text, directives in check_examples.blocks(doc):
            if "skip" in directives:
                continue
            if lang == "rules":
                counts["refused" if "expect" in directives else "rules"] += 1
                counts["examples"] += text.count("example ")
            elif lang in ("python", "console") and "run" in directives:
                counts[lang] += 1
    assert all(counts.values()), counts


def test_a_console_example_runs_as_a_process_and_a_wrong_exit_is_reported(tmp_path):
    """The checker's own command line, on a page of two console examples: ``python -m fiscalrules``
    really runs, and an exit status other than the documented one is a failure."""
    page = tmp_path / "page.md"
    page.write_text("<!-- run -->\n```console\n$ fiscalrules rulesets\n```\n\n"
                    "<!-- run -->\n<!-- exit: 1 -->\n```console\n$ fiscalrules lint examples/demo.rules\n```\n",
                    encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "check_examples.py"), str(page)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 console blocks run" in result.stdout
    assert "`fiscalrules lint examples/demo.rules` exited 0, expected 1" in result.stdout


def test_in_process_console_examples_report_a_wrong_exit_and_a_usage_error():
    checker = check_examples.Checker(in_process=True)
    checker.console_block("page:1", "$ fiscalrules lint examples/demo.rules\n", {"exit": "1"})
    checker.console_block("page:5", "$ fiscalrules check examples/demo.rules --format xml\n", {"exit": "2"})
    assert len(checker.failures) == 1 and "exited 0, expected 1" in checker.failures[0]


def test_readme_links_to_docs_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("language.md", "records.md", "semantics.md", "api.md", "cli.md", "budget-record.md"):
        assert f"docs/{name}" in readme and (ROOT / "docs" / name).is_file()
