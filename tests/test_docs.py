"""The documentation stays true: every rule block in docs/*.md compiles (or is refused with the
diagnostics it says), every inline example behaves, every Python and console block runs."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_documented_example_behaves_as_documented():
    result = subprocess.run([sys.executable, str(ROOT / "docs" / "check_examples.py")], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every example behaves as documented" in result.stdout


def test_readme_links_to_docs_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("language.md", "records.md", "semantics.md", "api.md", "cli.md", "budget-record.md"):
        assert f"docs/{name}" in readme and (ROOT / "docs" / name).is_file()
