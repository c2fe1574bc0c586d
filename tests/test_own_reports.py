"""A report fiscalrules wrote is not one of its inputs: ``fiscalrules audit 预算/ > 预算/核对结果.txt``
read its own report as a disclosure (a report quotes one) and gave it a record of its own, with
false findings; an earlier run's report left in the folder did the same, and ``-o`` into the
folder refused the second run.  A folder's file that is the run's output (``-o``, standard output
or error) or an earlier report (text, web page, JSON, JSON Lines, CSV) is left out; a report named
as an input is refused, saying what it is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fiscalrules import cli
from fiscalrules.inputs.source import REPORT_SNIFF, is_own_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FORMATS = {"table": "txt", "html": "html", "json": "json", "jsonl": "jsonl", "csv": "csv"}


def _cli(*argv, stdout=None, cwd=None) -> subprocess.CompletedProcess:
    quiet = ["--no-progress"] if argv[0] == "audit" else []
    return subprocess.run([sys.executable, "-m", "fiscalrules", *argv, *quiet], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, text=True, encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The example's audit written in every format a report shares with an input, both languages."""
    folder = tmp_path_factory.mktemp("reports")
    written = {}
    for lang in ("zh", "en"):
        for form, suffix in FORMATS.items():
            path = folder / f"report_{lang}.{suffix}"
            code = cli.main(["audit", str(EXAMPLES / "bureau_2025.txt"), "--format", form, "-o", str(path),
                             "--lang", lang, "--no-progress"])
            assert code == 1 and path.stat().st_size > 0
            written[f"{form}-{lang}"] = path
    return written


def test_every_report_form_is_told_by_its_beginning(reports):
    for key, path in reports.items():
        assert is_own_report(path.read_bytes()[:REPORT_SNIFF]), key


@pytest.mark.parametrize("example", ["bureau_2025.txt", "qingshi_culture_2025.pdf", "demo.record.json",
                                     "demo.records.jsonl", "demo.rules"])
def test_no_input_is_taken_for_a_report(example):
    assert not is_own_report((EXAMPLES / example).read_bytes()[:REPORT_SNIFF])


def test_a_disclosure_beginning_like_a_report_header_is_still_read():
    # "== " alone is not a report: its second line is a verdict or a section of the report's
    assert not is_own_report("== 第一部分 ==\n部门职责\n".encode())
    assert is_own_report("== 青山县 (a.txt)\n没有发现问题\n".encode())


def test_the_run_leaves_its_own_and_earlier_reports_in_the_folder_out(tmp_path, reports):
    shutil.copy(EXAMPLES / "bureau_2025.txt", tmp_path / "a.txt")
    for key in ("table-zh", "html-en"):   # an earlier run's, left beside the disclosures
        shutil.copy(reports[key], tmp_path / reports[key].name)
    with open(tmp_path / "核对结果.txt", "w", encoding="utf-8") as out:   # fiscalrules audit . > 核对结果.txt
        done = _cli("audit", ".", "--lang", "en", stdout=out, cwd=tmp_path)
    text = (tmp_path / "核对结果.txt").read_text(encoding="utf-8")
    assert done.returncode == 1, done.stderr   # the example's failures; nothing unreadable
    assert [line for line in text.splitlines() if line.startswith("== ")] == ["== a (./a.txt)"], text
    # -o into the same folder, twice: the second run is not refused for the first one's report
    for _ in range(2):
        done = _cli("audit", ".", "--format", "json", "-o", "out.json", cwd=tmp_path)
        assert done.returncode == 1, done.stderr
    assert [r["id"] for r in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["records"]] == ["a"]


def test_a_report_named_as_an_input_is_refused_saying_what_it_is(tmp_path, reports):
    done = _cli("audit", str(reports["table-zh"]), str(EXAMPLES / "bureau_2025.txt"), "--lang", "en",
                stdout=subprocess.PIPE)
    assert done.returncode == 2
    assert "report_zh.txt is a report fiscalrules wrote, not a disclosure" in done.stdout + done.stderr
    assert "== bureau_2025" in done.stdout   # (the other input still read)
    for key in ("json-en", "jsonl-zh", "csv-en"):
        done = _cli("check", "budget_disclosure", "-r", str(reports[key]), "--lang", "en", stdout=subprocess.PIPE)
        assert done.returncode == 2, key
        assert "is a report fiscalrules wrote, not a" in done.stdout + done.stderr, (key, done.stderr)
        assert "Traceback" not in done.stderr


def test_check_leaves_earlier_reports_in_a_folder_of_records_out(tmp_path, reports):
    shutil.copy(EXAMPLES / "demo.record.json", tmp_path / "a.json")
    for key in ("json-zh", "jsonl-en", "csv-zh"):
        shutil.copy(reports[key], tmp_path / reports[key].name)
    rules = str(EXAMPLES / "demo.rules")
    with open(tmp_path / "now.json", "w", encoding="utf-8") as out:
        done = _cli("check", rules, "-r", ".", "--format", "json", stdout=out, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    records = json.loads((tmp_path / "now.json").read_text(encoding="utf-8"))["records"]
    assert [(r["id"], r.get("error")) for r in records] == [("demo-2025", None)]


def test_a_parquet_report_is_left_out_of_a_folder_of_tables_and_refused_when_named(tmp_path):
    pytest.importorskip("pyarrow")
    shutil.copy(EXAMPLES / "demo.record.json", tmp_path / "a.json")
    rules = str(EXAMPLES / "demo.rules")
    for _ in range(2):   # the second run: the first one's findings.parquet is in the folder
        done = _cli("check", rules, "-r", ".", "--format", "parquet", "-o", "findings.parquet", cwd=tmp_path)
        assert done.returncode == 1, done.stderr
    import pyarrow.parquet as pq
    assert set(pq.read_table(tmp_path / "findings.parquet").column("record").to_pylist()) == {"demo-2025"}
    done = _cli("check", rules, "-r", "findings.parquet", "--lang", "en", stdout=subprocess.PIPE, cwd=tmp_path)
    assert done.returncode == 2 and "findings.parquet is a report fiscalrules wrote, not a table of records" in \
        done.stdout + done.stderr, done.stderr
