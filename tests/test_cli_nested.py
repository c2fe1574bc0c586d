"""`fiscalrules check` over a Parquet file whose table fields are nested rows, read in chunks, and
`--statuses` (only some findings written, every one counted)."""

from __future__ import annotations

import json
import os

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from fiscalrules import compile_rules  # noqa: E402
from fiscalrules.cli import main  # noqa: E402
from fiscalrules.columnar import flatten_records, nested  # noqa: E402

RULES = """
unit 万元
field total "支出合计": amount
field fn "功能分类": table(code "科目编码": text, total "合计": amount)
rule F1: for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
rule F2: total = sum(r.total for r in fn where level(r) = 1)
rule F3 "有 201 时合计为正" {
    when present(fn["201"].total)
    assert total > 0
}
"""


def _records():
    out = []
    for i in range(7):
        rows = [{"code": "208", "total": "5.00"}, {"code": "20805", "total": "2.00"},
                {"code": "20808", "total": "3.00" if i != 2 else "3.50"}]      # record 2 fails F1 and F2
        if i % 3 == 0:
            rows.append({"code": "201", "total": "0.00"})
        out.append({"_meta": {"id": f"d{i}"}, "total": "5.00" if i != 4 else "5.50", "fn": rows})
    out.append({"_meta": {"id": "none"}, "total": "1.00"})                   # no table: not evaluable
    out.append({"_meta": {"id": "empty"}, "total": "0.00", "fn": []})        # a table without rows
    return out


@pytest.fixture()
def files(tmp_path):
    rules = tmp_path / "n.rules"
    rules.write_text(RULES, encoding="utf-8")
    records = _records()
    with open(tmp_path / "r.jsonl", "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    table = nested.to_nested(flatten_records(records, compile_rules(RULES)))
    assert nested.is_nested(table.schema.field("fn").type)
    pq.write_table(table, tmp_path / "r.parquet", row_group_size=3)
    pq.write_table(table.drop_columns(["_meta.id"]), tmp_path / "anonymous.parquet", row_group_size=3)
    return tmp_path


def _findings(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    return code, [(f["record"].split(":", 1)[-1], f["rule"], f["item"], f["status"]) for f in lines
                  if f["status"] not in ("pass", "pass_rounding")], captured.err


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_nested_tables_give_the_per_record_statuses(files, capsys, monkeypatch, chunk):
    monkeypatch.setattr(nested, "_BATCH", 1)
    monkeypatch.setattr(nested, "CHUNK_RECORDS", chunk)
    code, expected, summary = _findings(capsys, ["check", str(files / "n.rules"), "-r", str(files / "r.jsonl"),
                                                 "--format", "jsonl", "--no-localise"])
    assert ("d2", "F1", "208", "fail") in expected and ("none", "F2", None, "not_evaluable") in expected
    assert ("d1", "F3", None, "not_applicable") in expected and ("d0", "F3", None, "not_applicable") not in expected
    code_parquet, got, summary_parquet = _findings(capsys, ["check", str(files / "n.rules"), "-r",
                                                            str(files / "r.parquet"), "--format", "jsonl",
                                                            "--no-localise"])
    assert got == expected

    def counts(err):
        return [line for line in err.splitlines() if line.startswith("记录")]
    assert (code_parquet, counts(summary_parquet)) == (code, counts(summary))


def test_rows_are_numbered_across_chunks(files, capsys, monkeypatch):
    monkeypatch.setattr(nested, "_BATCH", 1)
    monkeypatch.setattr(nested, "CHUNK_RECORDS", 2)
    _, got, _ = _findings(capsys, ["check", str(files / "n.rules"), "-r", str(files / "anonymous.parquet"),
                                   "--format", "jsonl", "--no-localise"])
    assert ("row 3", "F1", "208", "fail") in got and ("row 8", "F2", None, "not_evaluable") in got
    assert ("row 5", "F2", None, "fail") in got


def test_a_chunk_holds_a_bounded_number_of_table_rows(files, monkeypatch):
    monkeypatch.setattr(nested, "_BATCH", 1)
    monkeypatch.setattr(nested, "CHUNK_TABLE_ROWS", 4)   # records of 4, 3, 3, 4, 3, 3, 4, 0 rows, none
    chunks = list(nested.table_chunks(str(files / "r.parquet"), None))
    assert [first for _, first in chunks] == [0, 1, 3, 4, 6, 7]
    assert sum(t.num_rows for t, _ in chunks) == 9


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_only_the_statuses_asked_for_are_written_and_all_are_counted(files, capsys, fmt):
    for record_file in ("r.jsonl", "r.parquet"):
        argv = ["check", str(files / "n.rules"), "-r", str(files / record_file), "--format", fmt, "--no-localise"]
        everything = main(argv + (["--engine", "columnar"] if record_file == "r.jsonl" else []))
        all_out = capsys.readouterr()
        assert main(argv + ["--statuses", "fail,not_evaluable"]) == everything
        some = capsys.readouterr()
        assert [line for line in some.err.splitlines() if line.startswith("记录")] == \
            [line for line in all_out.err.splitlines() if line.startswith("记录")]   # the same counts
        assert "not_applicable" in all_out.out and "not_applicable" not in some.out
        assert "fail" in some.out and "not_evaluable" in some.out
        assert len(some.out.splitlines()) < len(all_out.out.splitlines())


def test_statuses_need_a_streamed_format_and_known_names(files, capsys):
    assert main(["check", str(files / "n.rules"), "-r", str(files / "r.jsonl"), "--statuses", "fail"]) == 2
    assert "--statuses" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(files / "n.rules"), "-r", str(files / "r.jsonl"), "--format", "jsonl",
              "--statuses", "failed"])
    assert exit_.value.code == 2 and "failed" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_parquet_path_that_is_not_a_file_is_refused(files, capsys):
    fifo = files / "pipe.parquet"
    os.mkfifo(fifo)      # pyarrow would wait on it for ever
    assert main(["check", str(files / "n.rules"), "-r", str(fifo), "--format", "jsonl"]) == 2
    assert "不是普通文件" in capsys.readouterr().err     # ("not a regular file" in English)
