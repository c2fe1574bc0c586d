"""Each finding of a streamed batch (``check``/``audit`` with ``--format jsonl|csv|parquet``) says
which document it is of, as the whole batch's JSON report does in its ``records``: the audited
document, the table file, None for a record of a record file -- read errors, localisation lines
and findings made in worker processes (``--jobs``) too; and ``Report.to_json()`` / ``to_jsonl()``
/ ``to_csv()`` of a report held whole write the same (a JSON finding is a JSON Lines line)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

RULES = """unit 万元
field total "合计": amount
field a: amount
field b: amount default 0
rule SUM: total = a + b
"""


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    rows = "".join(f"x{i},{'9.00' if i % 3 else '3.00'},1.00,2.00\n" for i in range(40))
    (tmp_path / "one.csv").write_text("_id,合计,a,b\n" + rows, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.csv").write_text("_id,合计,a,b\nx1,5.00,1.00,2.00\n", encoding="utf-8")
    (tmp_path / "recs.jsonl").write_text('{"_meta": {"id": "r1"}, "total": "4", "a": "1", "b": "2"}\nnot json\n',
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _documents(capsys, argv) -> set:
    """(record id, document) of each record of the whole batch's JSON report (two table files
    of one name give their rows the same ids: the pair tells them apart)."""
    cli.main(argv + ["--format", "json", "--fail-on", "never"])
    report = json.loads(capsys.readouterr().out)
    return {(record["id"], record["document"]) for record in report["records"]}


def _streamed(capsys, argv, fmt, tmp_path) -> list[dict]:
    """The streamed batch's findings (and read errors, localisation) as dicts."""
    if fmt == "parquet":
        import pyarrow.parquet as pq
        out = tmp_path / "o.parquet"
        cli.main(argv + ["--format", fmt, "-o", str(out), "--fail-on", "never"])
        capsys.readouterr()
        return pq.read_table(out).to_pylist()
    cli.main(argv + ["--format", fmt, "--fail-on", "never"])
    text = capsys.readouterr().out
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:   # CSV has no null: an empty cell
        row["document"] = row["document"] or None
    return rows


CASES = {
    "table files of one name": ["check", "r.rules", "-r", "one.csv", "-r", "sub/one.csv"],
    "table file, two workers": ["check", "r.rules", "-r", "one.csv", "--jobs", "2"],
    "record file and its bad line": ["check", "r.rules", "-r", "recs.jsonl"],
    "columnar record file": ["check", "r.rules", "-r", "recs.jsonl", "--engine", "columnar"],
    "audited document": ["audit", str(EXAMPLES / "bureau_2025.txt")],
}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("case", CASES)
def test_every_streamed_finding_names_its_document_as_the_json_report(place, capsys, case, fmt):
    argv = CASES[case]
    if "--engine" in argv and fmt == "parquet":
        pytest.importorskip("pyarrow")
    documents = _documents(capsys, [a for a in argv if a not in ("--engine", "columnar")])
    rows = _streamed(capsys, argv, fmt, place)
    assert rows
    checked = 0
    for row in rows:
        if row["status"] == "localisation":   # JSON Lines: the object of JSON's localisation, after its findings
            continue
        assert "document" in row, row
        assert (row["record"], row["document"]) in documents, row
        checked += row["status"] not in ("likely_wrong", "not_localised")
    assert checked
    rows = [row for row in rows if row["status"] != "localisation"]
    if case == "table files of one name":   # which of the two files a finding is of
        assert {row["document"] for row in rows} == {"one.csv", "sub/one.csv"}
    elif case.startswith("record file") or case.startswith("columnar"):
        assert {row["document"] for row in rows if row["status"] == "read_error"} == {"recs.jsonl"}
        assert {row["document"] for row in rows if row["status"] != "read_error"} == {None}
    else:
        assert {row["document"] for row in rows} == {"one.csv" if case.startswith("table") else
                                                     str(EXAMPLES / "bureau_2025.txt")}


def test_a_report_held_whole_writes_each_finding_with_its_document(tmp_path):
    from fiscalrules.readers import read_document_record
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    path = str(EXAMPLES / "bureau_2025.txt")
    report = ruleset.evaluate(read_document_record(path, file=path)[1])
    document = report.records[0].document
    assert document
    lines = [json.loads(line) for line in report.to_jsonl().splitlines()]
    findings = [line for line in lines if line["status"] != "localisation"]
    assert findings and {line["document"] for line in findings} == {document}
    assert findings == json.loads(report.to_json())["findings"]
    rows = list(csv.DictReader(io.StringIO(report.to_csv().lstrip("\ufeff"))))
    assert rows and {row["document"] for row in rows} == {document}
