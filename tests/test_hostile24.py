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


# ---- Report.to_html reads from disk only what its caller allows ----------------------------------------

def _named_documents(folder, elsewhere):
    """A record naming a text disclosure outside *folder*, one inside, and a PDF outside."""
    import shutil
    from pathlib import Path
    outside = elsewhere / "notes.txt"
    outside.write_text("收入 OUTSIDE-LINE\n", encoding="utf-8")
    inside = folder / "inside.txt"
    inside.write_text("收入 INSIDE-LINE\n", encoding="utf-8")
    pdf = elsewhere / "secret.pdf"
    shutil.copy(Path(__file__).resolve().parent.parent / "examples" / "qingshi_culture_2025.pdf", pdf)
    return [{"_meta": {"id": name, "document": str(path)},
             "a": {"value": "1", "source": {"document": str(path), "line": 1}}, "b": "2"}
            for name, path in (("o", outside), ("i", inside), ("p", pdf))]


PDF_WORD = "青石区文化旅游局"   # words of the example PDF's first page


def test_report_to_html_reads_no_document_it_was_not_allowed_to(place, tmp_path_factory):
    """The API read any .txt file (and any PDF) a record named, wherever it was: a page made of
    records from elsewhere (an upload) carried the files they named.  Now a document is read from
    disk only within ``read_from``; ``documents=`` gives texts as before."""
    pytest.importorskip("jinja2")
    pytest.importorskip("pypdfium2")
    import fiscalrules
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    records = _named_documents(place, elsewhere)
    report = fiscalrules.compile_rules(RULES).evaluate_many(records)
    page = report.to_html()
    assert "OUTSIDE-LINE" not in page and "INSIDE-LINE" not in page and PDF_WORD not in page
    page = report.to_html(read_from=place)
    assert "INSIDE-LINE" in page and "OUTSIDE-LINE" not in page and PDF_WORD not in page
    page = report.to_html(read_from=[place, elsewhere / "notes.txt"])
    assert "INSIDE-LINE" in page and "OUTSIDE-LINE" in page and PDF_WORD not in page
    assert PDF_WORD in report.to_html(read_from=[str(elsewhere)])
    page = report.to_html(documents={"notes.txt": "收入 GIVEN-LINE\n"})
    assert "GIVEN-LINE" in page and "INSIDE-LINE" not in page


def test_a_link_inside_the_allowed_folder_to_a_file_outside_it_is_not_followed(place, tmp_path_factory):
    pytest.importorskip("jinja2")
    import fiscalrules
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "notes.txt").write_text("收入 OUTSIDE-LINE\n", encoding="utf-8")
    (place / "link.txt").symlink_to(elsewhere / "notes.txt")
    record = {"_meta": {"document": "link.txt"}, "a": {"value": "1", "source": {"document": "link.txt", "line": 1}},
              "b": "2"}
    assert "OUTSIDE-LINE" not in fiscalrules.compile_rules(RULES).evaluate(record).to_html(read_from=place)


def test_check_shows_no_pdf_a_record_names_outside_the_working_directory(place, capsys, tmp_path_factory):
    """check's page held the words of any PDF a record named (review 23 R18 confined .txt files only)."""
    pytest.importorskip("jinja2")
    pytest.importorskip("pypdfium2")
    import json
    records = _named_documents(place, tmp_path_factory.mktemp("elsewhere"))
    (place / "r.json").write_text(json.dumps(records), encoding="utf-8")
    code, _, _ = run_cli(capsys, "check", "r.rules", "-r", "r.json", "--format", "html", "-o", "out.html")
    page = (place / "out.html").read_text(encoding="utf-8")
    assert code == 1 and "INSIDE-LINE" in page and "OUTSIDE-LINE" not in page and PDF_WORD not in page
