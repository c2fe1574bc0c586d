"""What the CLI tests of the review mends share: one in-process run of ``fiscalrules`` in English,
a JSON Lines report read back, and a rule file whose two examples hold."""
from __future__ import annotations

import json

from fiscalrules import cli


def run_cli(capsys, *argv):
    """(exit code, stdout, stderr) of ``fiscalrules ARGV --lang en``, run in this process."""
    code = cli.main(list(argv) + ["--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def rules_place(tmp_path, monkeypatch, rules: str):
    """*tmp_path* made the working directory (no debug tracebacks), with *rules* as r.rules."""
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text(rules, encoding="utf-8")
    return tmp_path


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# A rule file of two examples that hold (one pass, one fail): `fiscalrules test` says "2 passed".
EXAMPLE_RULES = """field a: amount
field b: amount
rule EQ {
    assert a = b
    example pass {a: 1, b: 1}
    example fail {a: 1, b: 2}
}
"""
