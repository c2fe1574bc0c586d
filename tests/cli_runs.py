"""What the CLI tests of the review mends share: one in-process run of ``fiscalrules`` in English,
and a JSON Lines report read back."""
from __future__ import annotations

import json

from fiscalrules import cli


def run_cli(capsys, *argv):
    """(exit code, stdout, stderr) of ``fiscalrules ARGV --lang en``, run in this process."""
    code = cli.main(list(argv) + ["--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
