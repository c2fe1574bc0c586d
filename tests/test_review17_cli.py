"""Review 17 B's findings on the command line's inputs and outputs, each checked end to end
through ``cli.main``: an encoding of a CSV file other than UTF-8 (B2), an unexpected exception
met by one input of a batch (B2), ``-o`` naming an input (B9), documents of one name in an audited
folder (B5), table files without rows (B6), ``test`` over a folder with a broken rule file (B8)
and the places messages name (B7)."""

from __future__ import annotations

import json
import os

import pytest

from fiscalrules import cli

from cli_runs import read_jsonl as _jsonl  # noqa: E402
from cli_runs import EXAMPLE_RULES  # noqa: E402
from cli_runs import run_cli as _run  # noqa: E402

RULES = """unit 万元
precision 万元 0.01
field total "合计": amount
field a: amount
field b: amount default 0
rule SUM: total = a + b
"""
CSV = "_id,合计,a,b\nx1,3.00,1.00,2.00\nx2,4.00,1.00,2.00\n"


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "good.csv").write_text(CSV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path




# ---- B2: encodings of a CSV file -------------------------------------------------------------------

def test_a_gbk_csv_is_read_as_the_chinese_it_holds(place, capsys):
    (place / "gbk.csv").write_bytes(CSV.encode("gbk"))
    code, out, err = _run(capsys, "check", "r.rules", "-r", "good.csv", "-r", "gbk.csv", "--format", "jsonl")
    records = sorted(line["record"] for line in _jsonl(out))
    assert records == ["gbk.csv:x2", "good.csv:x2"], err   # the GBK file's 合计 column is read
    assert code == 1 and "read errors" not in err


@pytest.mark.parametrize("content, words, line", [
    # Latin-1: "é" + a letter is a GBK pair outside GB2312: not taken for Chinese
    ("_id,合计,a,b,Désignation\nx1,3.00,1.00,2.00,é\n".replace("合计", "total").encode("latin-1"),
     "not valid UTF-8 (byte 15: 0xe9)", 1),
    (("_id,合计,a,b\nx1,3.00,1.00,2.00\n").encode("utf-16"), "it is UTF-16", 1),
    (("_id,合计,a,b\nx1,3.00,1.00,2.00\n").encode("utf-16-le"), "it is UTF-16", 1),
    # a UTF-8 header and a cell of another encoding: the byte named, on its line
    ("_id,合计,a,b\nx1,3.00,1.00,2.00\n".encode() + "x2,3.00,1.00,2.00,合".encode("gbk")[:-2] + b"\xb7\n",
     "not valid UTF-8 (byte 51: 0xb7)", 3),
])
def test_a_csv_not_in_utf8_is_refused_naming_the_file_and_byte_and_the_batch_goes_on(place, capsys, content,
                                                                                      words, line):
    (place / "odd.csv").write_bytes(content)
    code, out, err = _run(capsys, "check", "r.rules", "-r", "good.csv", "-r", "odd.csv", "-r", "good.csv",
                          "--format", "jsonl")
    lines = _jsonl(out)
    assert [x["record"] for x in lines] == ["good.csv:x2", "odd.csv", "good.csv#2:x2"]   # (given twice: B18-7)
    assert f"odd.csv:{line}: E300: " in lines[1]["reason"] and words in lines[1]["reason"], lines[1]
    assert "save it as CSV UTF-8" in lines[1]["reason"]
    assert code == 2 and "internal error" not in err


def test_a_gbk_csv_header_is_never_an_internal_error_in_the_table_format(place, capsys):
    (place / "gbk.csv").write_bytes("_id,total,a,b,Dés\nx1,3.00,1.00,2.00,x\n".encode("latin-1"))   # not GBK
    code, out, err = _run(capsys, "check", "r.rules", "-r", "gbk.csv", "-r", "good.csv")
    assert "internal error" not in out + err and "gbk.csv:" in out + err
    assert "good.csv:x2" in out and code == 2


def _defect(*args, **kwargs):
    raise ZeroDivisionError("a defect")


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_defect_met_by_one_table_is_reported_against_it_and_the_batch_goes_on(place, capsys, monkeypatch, fmt):
    from fiscalrules.columnar import nested
    real = nested.nested_frames

    def frames(table, *args):
        if "boom" in table.column_names:
            _defect()
        return real(table, *args)
    monkeypatch.setattr(nested, "nested_frames", frames)
    (place / "boom.csv").write_text(CSV.replace("_id,", "boom,"), encoding="utf-8")
    code, out, err = _run(capsys, "check", "r.rules", "-r", "good.csv", "-r", "boom.csv", "-r", "good.csv",
                          "--format", fmt)
    assert code == 2
    assert "boom.csv: E799: internal error (a defect of fiscalrules" in err
    assert "ZeroDivisionError: a defect" in err
    text = out if fmt == "jsonl" else json.dumps(json.loads(out)["findings"])
    assert text.count("good.csv:x2") == text.count("good.csv#2:x2") == 1   # the files before and after it ran


def test_a_defect_met_by_one_record_file_is_reported_against_it(place, capsys, monkeypatch):
    from fiscalrules import records
    real = records._file_items
    monkeypatch.setattr(records, "_file_items",
                        lambda path, name, *a: _defect() if "bad" in name else real(path, name, *a))
    record = '{"_meta": {"id": "ok"}, "total": "4.00", "a": "1.00", "b": "2.00"}\n'
    for name in ("one.jsonl", "bad.jsonl", "two.jsonl"):
        (place / name).write_text(record, encoding="utf-8")
    for engine in ("record", "columnar"):
        code, out, err = _run(capsys, "check", "r.rules", "-r", "one.jsonl", "-r", "bad.jsonl", "-r", "two.jsonl",
                              "--format", "jsonl", "--engine", engine, "--no-localise")
        assert [x["record"] for x in _jsonl(out)] == ["ok", "bad.jsonl", "ok#2"], engine
        assert "bad.jsonl: E799: internal error" in err and code == 2


def test_a_defect_met_by_one_document_is_reported_against_it(place, capsys, monkeypatch):
    import fiscalrules.readers as readers
    real = readers.read_document_records
    monkeypatch.setattr(readers, "read_document_records",
                        lambda path, **k: _defect() if "bad" in path else real(path, **k))
    example = os.path.join(os.path.dirname(__file__), "..", "examples", "bureau_2025.txt")
    text = open(example, encoding="utf-8").read()
    for name in ("one.txt", "bad.txt"):
        (place / name).write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "audit", "one.txt", "bad.txt", "--format", "jsonl", "--fail-on", "never")
    assert "bad.txt: E799: internal error" in err and code == 2
    lines = _jsonl(out)
    assert lines[-1]["record"] == "bad.txt" and lines[-1]["status"] == "read_error"
    assert {x["record"] for x in lines[:-1]} == {"one"}   # the document before it was audited


def test_with_debug_set_the_defect_is_raised(place, monkeypatch):
    from fiscalrules.columnar import nested
    monkeypatch.setenv("FISCALRULES_DEBUG", "1")
    monkeypatch.setattr(nested, "nested_frames", _defect)
    with pytest.raises(ZeroDivisionError):
        cli.main(["check", "r.rules", "-r", "good.csv", "--format", "jsonl", "--lang", "en"])


# ---- B9: -o naming an input ------------------------------------------------------------------------

RECORD = '{"_meta": {"id": "ok"}, "total": "3.00", "a": "1.00", "b": "2.00"}\n'


def _example(place, name="g.txt"):
    text = open(os.path.join(os.path.dirname(__file__), "..", "examples", "bureau_2025.txt"), encoding="utf-8").read()
    (place / name).write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("argv, victim", [
    (["check", "r.rules", "-r", "same.jsonl", "-o", "same.jsonl", "--format", "jsonl"], "same.jsonl"),
    (["check", "r.rules", "-r", "same.jsonl", "-o", "same.jsonl"], "same.jsonl"),
    (["check", "r.rules", "-r", "good.csv", "-o", "good.csv", "--format", "csv"], "good.csv"),
    (["check", "r.rules", "-r", ".", "-o", "good.csv", "--format", "csv"], "good.csv"),   # a file of the folder
    (["check", "r.rules", "-r", "good.csv", "-o", "r.rules", "--format", "json"], "r.rules"),
    (["check", "r.rules", "-r", "good.csv", "-o", "./sub/../link.csv", "--format", "csv"], "good.csv"),   # the same file by another name
    (["lint", "r.rules", "-o", "r.rules"], "r.rules"),
    (["audit", "g.txt", "-o", "g.txt", "--no-progress"], "g.txt"),
    (["audit", "g.txt", "-o", "g.txt", "--format", "jsonl"], "g.txt"),
    (["audit", "g.txt", "--ruleset", "r.rules", "-o", "r.rules"], "r.rules"),
    (["extract", "g.txt", "-o", "g.txt"], "g.txt"),
])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(place, capsys, argv, victim):
    (place / "same.jsonl").write_text(RECORD, encoding="utf-8")
    (place / "sub").mkdir()
    os.link(place / "good.csv", place / "link.csv")
    _example(place)
    before = (place / victim).read_bytes()
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert "is also an input" in err
    assert (place / victim).read_bytes() == before


def test_an_output_beside_the_inputs_is_written(place, capsys):
    (place / "same.jsonl").write_text(RECORD, encoding="utf-8")
    (place / "out.jsonl").write_text("old\n", encoding="utf-8")
    code, out, err = _run(capsys, "check", "r.rules", "-r", "same.jsonl", "-o", "out.jsonl", "--format", "jsonl")
    assert code == 0 and "also an input" not in err
    assert [x["status"] for x in _jsonl((place / "out.jsonl").read_text(encoding="utf-8"))] == ["pass"]


# ---- B5: audited documents of one name -------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_documents_of_one_stem_are_told_apart(place, capsys, fmt):
    import shutil
    examples = os.path.join(os.path.dirname(__file__), "..", "examples")
    (place / "d" / "x").mkdir(parents=True)
    (place / "e").mkdir()
    for target in ("d/a.txt", "d/x/a.txt", "e/a.txt", "d/only.txt"):
        shutil.copy(os.path.join(examples, "bureau_2025.txt"), place / target)
    shutil.copy(os.path.join(examples, "qingshi_culture_2025.pdf"), place / "d" / "a.pdf")
    code, out, err = _run(capsys, "audit", "d", "e", "--format", fmt, "--fail-on", "never", "--no-progress")
    assert code == 0, err
    names = {"a.pdf", "d/a.txt", "x/a.txt", "e/a.txt", "only"}   # (a.txt of d and of e: by the paths found)
    if fmt == "json":
        report = json.loads(out)
        assert {r["id"]: r["document"] for r in report["records"]} == {
            "a.pdf": "d/a.pdf", "d/a.txt": "d/a.txt", "x/a.txt": "d/x/a.txt", "e/a.txt": "e/a.txt",
            "only": "d/only.txt"}
        assert set(report["summary"]["records"]) == names
        found = {f["record"] for f in report["findings"]}
    elif fmt == "jsonl":
        found = {x["record"] for x in _jsonl(out)}
    else:
        import csv
        import io
        found = {row["record"] for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    assert found == names


def test_a_document_given_twice_is_two_records(place, capsys):
    _example(place, "a.txt")
    code, out, err = _run(capsys, "audit", "a.txt", "a.txt", "--format", "json", "--fail-on", "never")
    assert [r["id"] for r in json.loads(out)["records"]] == ["a.txt", "a.txt#2"]


def test_a_document_of_its_own_stem_keeps_it(place, capsys):
    _example(place, "a.txt")
    _example(place, "b.txt")
    code, out, err = _run(capsys, "audit", ".", "--format", "json", "--fail-on", "never")
    assert [r["id"] for r in json.loads(out)["records"]] == ["a", "b"]


# ---- B6: table files without rows --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["header.csv", "zero.parquet", "zero_nested.parquet"])
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_a_table_file_without_rows_is_reported_as_holding_no_record(place, capsys, kind, fmt):
    import pyarrow as pa
    import pyarrow.parquet as pq
    (place / "header.csv").write_text("_id,合计,a,b\n", encoding="utf-8")
    pq.write_table(pa.table({"_id": pa.array([], pa.string()), "合计": pa.array([], pa.string()),
                             "a": pa.array([], pa.string())}), place / "zero.parquet")
    rows = pa.list_(pa.struct([("a", pa.string())]))
    pq.write_table(pa.table({"_id": pa.array([], pa.string()), "t": pa.array([], rows)}), place / "zero_nested.parquet")
    code, out, err = _run(capsys, "check", "r.rules", "-r", kind, "-r", "good.csv", "--format", fmt)
    assert f"{kind}: E300: the file holds no record" in err
    assert "good.csv:x2" in out and code == 2


# ---- B8: `test` over rule files one of which does not load ---------------------------------------

EXAMPLES = EXAMPLE_RULES


@pytest.mark.parametrize("broken, words", [
    ("rule B: a <= 1e400\n", "1 rule file could not be read"),
    ("field a: amount\nrule C: a = missing\n", "1 rule file could not be read"),
])
def test_each_rule_file_of_a_folder_is_tested_on_its_own(place, capsys, broken, words):
    (place / "rules").mkdir()
    (place / "rules" / "a.rules").write_text(EXAMPLES, encoding="utf-8")
    (place / "rules" / "b.rules").write_text(broken, encoding="utf-8")
    (place / "rules" / "c.rules").write_text(EXAMPLES.replace("EQ", "EQ2"), encoding="utf-8")
    code, out, err = _run(capsys, "test", "rules")
    assert out.strip().splitlines()[-1] == f"4 passed, 0 failed, {words}"
    assert "b.rules:" in err and code == 2


def test_a_failing_example_with_every_file_read_is_exit_1(place, capsys):
    (place / "a.rules").write_text(EXAMPLES.replace("example fail {a: 1, b: 2}", "example fail {a: 2, b: 2}"),
                                   encoding="utf-8")
    code, out, err = _run(capsys, "test", "a.rules")
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed" and code == 1


# ---- B7: the places messages name ------------------------------------------------------------------

def test_a_row_that_cannot_be_read_is_named_with_its_file(place, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq
    (place / "t").mkdir()
    (place / "t" / "abs.csv").write_text("_id,合计,a,b\nv1,NaN,1.00,2.00\n", encoding="utf-8")
    pq.write_table(pa.table({"_id": ["v1"], "合计": ["1e400"], "a": ["1.00"], "b": ["2.00"]}), place / "t" / "abs.parquet")
    for fmt in ("jsonl", "json"):
        code, out, err = _run(capsys, "check", "r.rules", "-r", "t", "--format", fmt)
        lines = err.splitlines()
        assert "abs.csv:v1: E300: not a finite number: 'NaN' at total" in lines, err
        assert "abs.parquet:v1: E300: amounts are written out, not with an exponent: '1e400' at total" in lines
        assert code == 2
    code, out, err = _run(capsys, "check", "r.rules", "-r", "t", "--format", "jsonl")
    assert {x["reason"].split(": E300")[0] for x in _jsonl(out)} == {"abs.csv:v1", "abs.parquet:v1"}


@pytest.mark.parametrize("name", ["dup.csv", "dup.parquet"])
def test_a_table_whose_columns_name_one_field_twice_is_named_by_its_file(place, capsys, name):
    import pyarrow as pa
    import pyarrow.parquet as pq
    if name.endswith(".csv"):
        (place / name).write_text("_id,合计,total,a\nx,1,1,1\n", encoding="utf-8")
    else:
        pq.write_table(pa.table({"_id": ["x"], "合计": ["1"], "total": ["1"], "a": ["1"]}), place / name)
    code, out, err = _run(capsys, "check", "r.rules", "-r", name, "--format", "jsonl")
    assert _jsonl(out)[0]["reason"].startswith(f"{name}: E300: columns ") and "DataFrame" not in out + err


def test_nan_in_a_json_lines_file_is_refused_on_its_line(place, capsys):
    (place / "n.jsonl").write_text('{"total": "3.00", "a": "1.00", "b": "2.00"}\n{"total": NaN}\n'
                                   '{"total": -Infinity}\n', encoding="utf-8")
    code, out, err = _run(capsys, "check", "r.rules", "-r", "n.jsonl", "--format", "jsonl")
    assert "n.jsonl:2: E300: invalid JSON: NaN is not a number a budget can contain" in err.splitlines()
    assert "n.jsonl:3: E300: invalid JSON: -Infinity is not a number a budget can contain" in err.splitlines()
