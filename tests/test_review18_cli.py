"""Review 18 B's findings on the command line's inputs and outputs, each checked end to end
through ``cli.main`` (or the command in a subprocess, for signals): the findings of the records
read before a damaged row group in every format (B18-1), one unique naming of documents and table
files (B18-2, B18-7), -o naming an included rule file (B18-4), a frame's id column on both engines
(B18-5), a file name that is not UTF-8 (B18-3), an interrupted streamed audit (B18-8), a Big5 CSV
(B18-6) and an Excel workbook named .csv (B18-9b)."""

from __future__ import annotations

import json
import os

import pytest

from fiscalrules import cli

from cli_runs import read_jsonl as _jsonl  # noqa: E402
from cli_runs import run_cli as _run  # noqa: E402

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


# ---- B18-2, B18-7: one naming of a run's inputs, unique, for audit and check ---------------------------

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def _records_and_summary(out: str) -> tuple[list, list]:
    report = json.loads(out)
    return [(r["id"], r["document"], bool(r.get("error"))) for r in report["records"]], \
        sorted(report["summary"]["records"])


def test_documents_whose_names_would_meet_are_named_apart(place, capsys):
    """a.txt and a.pdf share the stem "a" and are named by their paths; a.txt.txt, of stem
    "a.txt", kept it -- the name just given to a.txt: two documents under one record name."""
    import shutil
    (place / "d").mkdir()
    shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), place / "d" / "a.txt")
    shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), place / "d" / "a.txt.txt")
    shutil.copy(os.path.join(EXAMPLES, "qingshi_culture_2025.pdf"), place / "d" / "a.pdf")
    code, out, err = _run(capsys, "audit", "d", "--format", "json", "--fail-on", "never", "--no-progress")
    records, summary = _records_and_summary(out)
    assert records == [("a.pdf", "d/a.pdf", False), ("a.txt", "d/a.txt", False), ("a.txt.txt", "d/a.txt.txt", False)]
    assert summary == ["a.pdf", "a.txt", "a.txt.txt"]


def test_unreadable_documents_of_one_name_are_named_apart(place, capsys):
    """Unreadable documents were named by their base name: d/x/a.txt and e/a.txt were one record."""
    import shutil
    for folder in ("d/x", "e"):
        (place / folder).mkdir(parents=True)
    shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), place / "d" / "a.txt")
    for bad in ("d/x/a.txt", "e/a.txt"):
        (place / bad).write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    code, out, err = _run(capsys, "audit", "d", "e", "--format", "json", "--fail-on", "never", "--no-progress")
    records, summary = _records_and_summary(out)
    assert code == 2
    # (d/a.txt and e/a.txt are both a.txt within their folders: named by their paths as found)
    assert records == [("d/a.txt", "d/a.txt", False), ("x/a.txt", "d/x/a.txt", True), ("e/a.txt", "e/a.txt", True)]
    assert summary == ["d/a.txt", "e/a.txt", "x/a.txt"]


@pytest.mark.parametrize("given", [["d/t.csv", "e/t.csv"], ["d", "e"]])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_table_files_of_one_name_name_their_rows_apart(place, capsys, given, fmt):
    """d/t.csv and e/t.csv, row x2 failing in both: the rows were both "t.csv:x2", one failure
    lost from the summary of the JSON report."""
    for folder in ("d", "e"):
        (place / folder).mkdir()
        (place / folder / "t.csv").write_text("_id,合计,a,b\nx1,3.00,1.00,2.00\nx2,4.00,1.00,2.00\n",
                                               encoding="utf-8")
    argv = ["check", "r.rules", "--format", fmt]
    for path in given:
        argv += ["-r", path]
    code, out, err = _run(capsys, *argv)
    assert code == 1
    expected = [("d/t.csv:x2", "d/t.csv"), ("e/t.csv:x2", "e/t.csv")]
    if fmt == "jsonl":
        assert [(x["record"], x["document"]) for x in _jsonl(out) if x["status"] == "fail"] == expected
        return
    report = json.loads(out)
    assert [(r["id"], r["document"]) for r in report["records"]] == expected
    assert {name: entry["fail"] for name, entry in report["summary"]["records"].items()} == \
        {"d/t.csv:x2": 1, "e/t.csv:x2": 1}


def test_a_file_given_twice_and_a_file_of_that_name_are_three_names():
    from fiscalrules.cli_output import input_names
    from fiscalrules.inputs.pathnames import path_stem
    assert input_names([], ["a.txt", "a.txt", "a.txt#2.txt"], path_stem) == ["a.txt", "a.txt#3", "a.txt#2"]


# ---- B18-4: -o naming a rule file that a rule file includes ---------------------------------------------

PART = 'unit 万元\nprecision 万元 0.01\nfield total "合计": amount\nfield a: amount\nfield b: amount default 0\n'


@pytest.mark.parametrize("command", [
    ["check", "main.rules", "-r", "d.jsonl", "--format", "jsonl"],
    ["check", "main.rules", "-r", "d.jsonl", "--format", "json"],
    ["lint", "main.rules"],
    ["audit", "--ruleset", "main.rules", "doc.txt", "--format", "jsonl"],
])
def test_the_output_naming_an_included_rule_file_is_refused(place, capsys, command):
    """-o part.rules, which main.rules includes: the report replaced it (exit 1), and the next
    run of main.rules failed."""
    import shutil
    (place / "part.rules").write_text(PART, encoding="utf-8")
    (place / "main.rules").write_text('include "part.rules"\nrule SUM: total = a + b\n', encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "合计": "4", "a": "1", "b": "2"}\n', encoding="utf-8")
    shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), place / "doc.txt")
    code, out, err = _run(capsys, *command, "-o", "part.rules")
    assert code == 2 and "the output part.rules is also an input" in err
    assert (place / "part.rules").read_text(encoding="utf-8") == PART


# ---- B18-5: a frame's id column on both engines ------------------------------------------------------------

@pytest.mark.parametrize("odd, name", [
    (1.5, "1.5"), (2.0, "2.0"), ("np.float64", "3.0"), (b"y", "y"), (None, "row 2"), ("pd.NA", "row 2"),
    ("nan column", "row 2"),
])
def test_an_odd_id_cell_names_its_record_alike_on_both_engines(odd, name):
    """A float or bytes cell among a frame's text ids made its record unreadable on the columnar
    engine (its failure lost), and a missing id was "row 2" there but "nan" per record."""
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    import fiscalrules
    rules = fiscalrules.compile_rules("unit 万元\nfield total: amount\nfield a: amount\nrule S: total = a\n")
    ids: list = ["x", {"np.float64": np.float64(3.0), "pd.NA": pd.NA}.get(odd, odd), "z", "w"]
    if odd == "nan column":
        ids = [1.0, float("nan"), 3.0, 4.0]
    frame = pd.DataFrame({"_id": ids, "total": ["3.10", "9.99", "2", "5"], "a": ["3.10", "3.10", "2", "4"]})
    columnar, per_record = rules.evaluate_table(frame), rules.evaluate_many(frame)
    assert [e.id for e in columnar.errors] == [r.id for r in per_record.records if r.error] == []
    failing = [f.record for f in columnar.findings() if f.status == "fail"]
    assert failing == [f.record for f in per_record.findings if f.status == "fail"]
    assert failing[0] == name


# ---- B18-8: audit's streamed -o interrupted -----------------------------------------------------------------

@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_an_interrupted_streamed_audit_leaves_no_cut_off_report(tmp_path, signame):
    """``audit --format jsonl -o out.jsonl`` sent Ctrl-C or SIGTERM once it has written some
    documents' findings: the cut-off report stayed (SIGTERM killed it, exit -15); now it is
    removed, as check's is, and the run exits 2, "interrupted"."""
    import shutil
    import signal
    import subprocess
    import sys
    import time
    (tmp_path / "docs").mkdir()
    for number in range(200):
        shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), tmp_path / "docs" / f"d{number:03}.txt")
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=os.path.dirname(EXAMPLES))
    env.pop("FISCALRULES_DEBUG", None)
    child = subprocess.Popen([sys.executable, "-m", "fiscalrules", "audit", "docs", "--format", "jsonl", "-o",
                              str(out), "--no-progress", "--fail-on", "never", "--lang", "en"],
                             cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while (not out.exists() or out.stat().st_size == 0) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the audit ended before it could be interrupted"
    child.send_signal(getattr(signal, signame))
    _, err = child.communicate(timeout=120)
    assert child.returncode == 2 and "interrupted" in err
    assert not out.exists()


# ---- B18-3: a file name that is not UTF-8, with -o ----------------------------------------------------------

@pytest.mark.parametrize("command, fmt", [
    ("audit", "table"), ("audit", "json"), ("audit", "jsonl"), ("audit", "csv"),
    ("check", "table"), ("check", "json"), ("check", "jsonl"), ("check", "csv"), ("check", "parquet"),
])
def test_a_file_name_that_is_not_utf8_is_named_and_the_batch_goes_on(place, capsys, command, fmt):
    """A folder holding b\\xff.txt (t\\xff.csv) beside ok.txt (u.csv), -o: writing the name failed
    for the whole batch -- an internal error, exit 2, the other input's findings lost and an empty
    output file left.  The name is written with the byte as \\xff."""
    import shutil
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    folder = os.fsencode(str(place / "d"))
    os.mkdir(folder)
    if command == "audit":
        for name in (b"b\xff.txt", b"ok.txt"):
            shutil.copy(os.path.join(EXAMPLES, "bureau_2025.txt"), os.path.join(folder, name))
        argv = ["audit", "d", "--no-progress", "--fail-on", "never"]
    else:
        for name in (b"t\xff.csv", b"u.csv"):
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write("_id,合计,a,b\nx1,4.00,1.00,2.00\n".encode())
        argv = ["check", "r.rules", "-r", "d"]
    code, out, err = _run(capsys, *argv, "--format", fmt, "-o", f"out.{fmt}")
    assert "internal error" not in err and code == (0 if command == "audit" else 1), err
    if fmt == "parquet":
        import pyarrow.parquet as pq
        text = str(pq.read_table(place / "out.parquet").column("record").to_pylist())
    else:
        text = (place / f"out.{fmt}").read_text(encoding="utf-8")
    strange, plain = ("b\\xff", "ok") if command == "audit" else ("t\\xff.csv:x1", "u.csv:x1")
    assert strange.replace("\\", "\\\\" if fmt in ("json", "jsonl") or fmt == "parquet" else "\\") in text
    assert plain in text


# ---- B18-6: a Big5 CSV is not taken for GBK ----------------------------------------------------------------

def test_a_big5_csv_is_refused_rather_than_read_as_gbk(place, capsys):
    """Big5 項目 decodes as GBK 兜ヘ (a katakana): the file was read as mojibake and its rule
    "not evaluable, missing total"; now it is refused as not UTF-8, naming the byte."""
    (place / "big5.rules").write_text(RULES.replace('"合计"', '"項目"'), encoding="utf-8")
    (place / "big5.csv").write_bytes("_id,項目,a,b,備註\nx1,3.00,1.00,2.00,好\nx2,4.00,1.00,2.00,壞\n".encode("big5"))
    code, out, err = _run(capsys, "check", "big5.rules", "-r", "big5.csv", "--format", "jsonl")
    assert code == 2
    assert "big5.csv:1: E300: " in err and "not valid UTF-8 (byte 4: 0xb6)" in err and "save it as CSV UTF-8" in err
    assert "missing" not in out


# ---- B18-9b: an Excel workbook saved as .csv ---------------------------------------------------------------

@pytest.mark.parametrize("magic", [b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_an_excel_workbook_named_csv_is_called_so(place, capsys, magic):
    """An xlsx (zip) or xls (OLE) file renamed .csv was called UTF-16 (a zero byte in its first line)."""
    (place / "book.csv").write_bytes(magic + b"\x00" * 200)
    code, out, err = _run(capsys, "check", "r.rules", "-r", "book.csv", "--format", "jsonl")
    assert code == 2 and "book.csv: E300: " in err and "an Excel workbook, not a CSV file" in err
    assert "UTF-16" not in err
