"""Review 18 B's findings on the command line's inputs and outputs, each checked end to end
through ``cli.main`` (or the command in a subprocess, for signals): the findings of the records
read before a damaged row group in every format (B18-1), ... """

from __future__ import annotations

import json
import os

import pytest

from fiscalrules import cli

RULES = """unit 万元
precision 万元 0.01
field total "合计": amount
field a: amount
field b: amount default 0
rule SUM: total = a + b
"""


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys, *argv):
    code = cli.main(list(argv) + ["--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _failing_records(fmt: str, out: str) -> list[str]:
    """The records failing SUM in a report of *fmt* (the report's own words for them)."""
    if fmt == "jsonl":
        return [line["record"] for line in _jsonl(out) if line.get("status") == "fail"]
    if fmt == "csv":
        import csv
        import io
        return [row["record"] for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff"))) if row["status"] == "fail"]
    if fmt == "json":
        return [finding["record"] for finding in json.loads(out)["findings"] if finding["status"] == "fail"]
    sections = ("\n" + out).split("\n== ")[1:]   # the table: "== RECORD (DOCUMENT)", then its findings
    return [section.split()[0] for section in sections if "✗ SUM" in section]


# ---- B18-1: the records read before a damaged row group, in every format ------------------------------

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_the_findings_before_a_damaged_row_group_are_kept_in_every_format(place, capsys, fmt):
    """A Parquet file whose second row group is damaged: the first row group's records are
    checked and their failures (rows 1, 501, 1001) reported -- the held formats (table, json)
    dropped them with the table's findings."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    n = 3000
    pq.write_table(pa.table({"_id": [f"r{i + 1}" for i in range(n)],
                             "合计": [("4.00" if i % 500 == 0 else "3.00") for i in range(n)],
                             "a": ["1.00"] * n, "b": ["2.00"] * n}),
                   "rg.parquet", row_group_size=1500, compression="none", use_dictionary=False)
    offset = pq.read_metadata("rg.parquet").row_group(1).column(1).data_page_offset
    data = bytearray((place / "rg.parquet").read_bytes())
    data[offset + 40:offset + 4000] = b"\xff" * 3960
    (place / "rg.parquet").write_bytes(bytes(data))
    code, out, err = _run(capsys, "check", "r.rules", "-r", "rg.parquet", "--format", fmt)
    assert code == 2 and "records 1,501" in err
    failing = _failing_records(fmt, out)
    assert [record for record in failing if record.startswith("rg.parquet:r")] == \
        ["rg.parquet:r1", "rg.parquet:r501", "rg.parquet:r1001"], out[-2000:]
