"""A streamed audit (``--format jsonl|csv|parquet``, often to ``--output``) says its counts on
standard error as a streamed ``check`` does: before, it printed nothing, and an auditor whose
findings went to a file learnt nothing of them until opening it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fiscalrules.cli import main

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "bureau_2025.txt")


@pytest.mark.parametrize("lang, expected", [
    ("zh", "文档 1：通过 {pass}，不一致 {fail}，不适用 {not_applicable}，无法读取 1"),
    ("en", "documents 1: pass {pass}, fail {fail}, not_applicable {not_applicable}, read errors 1"),
], ids=["zh", "en"])
def test_a_streamed_audit_ends_with_its_counts(tmp_path, capsys, lang, expected):
    output = tmp_path / "findings.jsonl"
    code = main(["audit", EXAMPLE, str(tmp_path / "missing.txt"), "--format", "jsonl", "--output", str(output),
                 "--lang", lang])
    assert code == 2   # the missing document is a read error (counted apart from the documents read)
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    counts = {status: sum(1 for line in lines if line.get("status") == status)
              for status in ("pass", "fail", "not_applicable")}
    assert counts["fail"] and counts["pass"]
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == expected.format(**counts)
