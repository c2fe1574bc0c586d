"""The hostile-input holes review 23 left open (/work/team/review23.md, "Left"), each a test
that failed before its mend: a ragged CSV row refused the whole file (R7)."""

from __future__ import annotations

import pytest

from cli_runs import read_jsonl, rules_place, run_cli

from fiscalrules import cli

pytest.importorskip("pyarrow")

RULES = 'unit 万元\nfield a: amount\nfield b: amount\nrule EQ: a = b\n'


@pytest.fixture
def place(tmp_path, monkeypatch):
    return rules_place(tmp_path, monkeypatch, RULES)


# ---- R7: a CSV row of too many or too few cells is one unreadable record ------------------------------

RAGGED = 'id,a,b\n"r\n1",1,1\nr2,1,2,3\n\nr3,2,3\nr4,1\nr5,4,4\n'


@pytest.mark.parametrize("engine", ["record", "columnar"])
def test_a_ragged_csv_row_is_one_unreadable_record_and_the_others_are_checked(place, capsys, engine):
    """The file was refused whole ("this row has 4 cells where the header has 3"): r1, r3 and r5
    never checked.  Now each ragged row is a read error named by its place among the records (as
    a row without an id is) and the line it starts on (a quoted line break and a blank line before
    it), both engines alike."""
    (place / "t.csv").write_text(RAGGED, encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "t.csv", "--format", "jsonl", "--engine", engine,
                             "--lang", "en")
    assert code == 2   # (read errors)
    found = read_jsonl(out)
    assert [(f["record"], f["reason"]) for f in found if f["status"] == "read_error"] == [
        ("t.csv:row 2", "t.csv:row 2: E300: line 4 has 4 cells where the header has 3 ('r2,1,2,3'): every row needs "
                        "one cell per column, an empty one for an absent figure"),
        ("t.csv:row 4", "t.csv:row 4: E300: line 7 has 2 cells where the header has 3 ('r4,1'): every row needs one "
                        "cell per column, an empty one for an absent figure")]
    assert [(f["record"], f["status"]) for f in found if f["status"] == "fail"] == [("t.csv:r3", "fail")]
    assert err.splitlines()[-1] == "records 5: pass 2, fail 1, read errors 2"


def test_a_ragged_csv_row_is_said_in_chinese_and_kept_in_the_report(place, capsys):
    (place / "t.csv").write_text(RAGGED, encoding="utf-8")
    assert cli.main(["check", "r.rules", "-r", "t.csv", "--format", "jsonl"]) == 2
    err = capsys.readouterr().err
    assert "t.csv:row 2: E300：第 4 行有 4 个单元格，表头有 3 列（'r2,1,2,3'）" in err
    code, out, _ = run_cli(capsys, "check", "r.rules", "-r", "t.csv", "--format", "json", "--lang", "en")
    import json
    report = json.loads(out)
    assert code == 2
    assert [r["id"] for r in report["records"] if r.get("error")] == ["t.csv:row 2", "t.csv:row 4"]
    assert report["summary"]["total"]["fail"] == 1


def test_ragged_rows_in_every_chunk_keep_their_places(place, capsys, monkeypatch):
    """A CSV file is handed on in chunks of records: each chunk's unreadable rows are its own."""
    from fiscalrules.columnar import nested
    monkeypatch.setattr(nested, "CHUNK_RECORDS", 4)
    rows = [f"r{i},{i},{i + (i == 9)}" for i in range(1, 12)]
    rows[2], rows[4], rows[10] = "x3,1,1,1", "x5", "x11,1,1,1,1"
    (place / "t.csv").write_text("id,a,b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "t.csv", "--format", "jsonl", "--statuses", "fail",
                             "--lang", "en")
    assert code == 2
    found = read_jsonl(out)
    assert [f["record"] for f in found if f["status"] == "read_error"] == ["t.csv:row 3", "t.csv:row 5",
                                                                           "t.csv:row 11"]
    assert [f["reason"].split(": E300: ")[1].split(" has")[0] for f in found if f["status"] == "read_error"] == \
        ["line 4", "line 6", "line 12"]
    assert [f["record"] for f in found if f["status"] == "fail"] == ["t.csv:r9"]
    assert err.splitlines()[-1] == "records 11: pass 7, fail 1, read errors 3"


def test_a_parquet_file_cannot_mark_its_own_rows_unreadable(place, capsys):
    """The mark a CSV file's ragged rows carry (schema metadata) is not taken from a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fiscalrules.columnar.nested import UNREAD_ROWS
    table = pa.table({"id": ["r1", "r2"], "a": ["1", "1"], "b": ["1", "2"]})
    pq.write_table(table.replace_schema_metadata({UNREAD_ROWS: b'{"0": "made up"}'}), place / "t.parquet")
    code, out, _ = run_cli(capsys, "check", "r.rules", "-r", "t.parquet", "--format", "jsonl", "--lang", "en")
    assert code == 1
    assert [(f["record"], f["status"]) for f in read_jsonl(out)] == [("t.parquet:r2", "fail")]
