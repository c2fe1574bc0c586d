"""`fiscalrules check` over Parquet and CSV tables, findings written as Parquet, streamed output."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from fiscalrules.cli import main  # noqa: E402

RULES = """
unit 万元
field total "合计": amount
field a: amount
field b: amount
rule R1 "合计等于各部分之和": total = a + b
"""


@pytest.fixture()
def files(tmp_path):
    rules = tmp_path / "r.rules"
    rules.write_text(RULES, encoding="utf-8")
    (tmp_path / "t.csv").write_text("合计,a,b\n10,4,6\n11.5,4,6\n,1,2\n1e3,1,1\n", encoding="utf-8")
    pq.write_table(pa.table({"total": pa.array([Decimal("10.00"), Decimal("12.00")], pa.decimal128(10, 2)),
                             "a": [4, 4], "b": [6, 6]}), tmp_path / "t.parquet")
    return tmp_path


def test_csv_and_parquet_tables_are_checked(files, capsys):
    code = main(["check", str(files / "r.rules"), "-r", str(files / "t.csv"), "-r", str(files / "t.parquet"),
                 "--format", "jsonl"])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    statuses = {(line["record"], line.get("rule")): line["status"] for line in lines}
    assert statuses == {("t.csv:row 2", "R1"): "fail", ("t.csv:row 3", "R1"): "not_evaluable",
                        ("t.csv:row 4", None): "read_error", ("t.parquet:row 2", "R1"): "fail"}
    assert code == 2  # an unreadable row is an input error, reported on stderr
    assert "row 4" in err and "科学计数法" in err and "（位置：total）" in err and "通过 2" in err   # (the summary line in Chinese: B18-9g)


def test_findings_as_parquet(files, capsys):
    out = files / "findings.parquet"
    code = main(["check", str(files / "r.rules"), "-r", str(files / "t.parquet"), "--format", "parquet",
                 "-o", str(out)])
    assert code == 1
    table = pq.read_table(out)
    rows = table.select(["record", "rule", "status", "left", "right", "difference"]).to_pylist()
    assert rows == [{"record": "t.parquet:row 2", "rule": "R1", "status": "fail", "left": "12.00",
                     "right": "10", "difference": "2.00"}]


@pytest.mark.parametrize("lang, said", [("zh", "--format parquet 需要 -o FILE"), ("en", "--format parquet needs -o FILE")])
def test_parquet_needs_an_output_file(files, capsys, lang, said):
    # said in the user's language, as a usage problem (it was "<string>: E300: --format parquet needs -o FILE")
    assert main(["check", str(files / "r.rules"), "-r", str(files / "t.parquet"), "--format", "parquet",
                 "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == said


def test_a_parquet_cell_that_is_no_value_is_said_in_chinese(files, capsys):
    # the Chinese CLI printed "E300：column 'total' row 1 holds a value of type dict, which is not ..."
    pq.write_table(pa.table({"total": [{"x": 1}]}), files / "odd.parquet")
    assert main(["check", str(files / "r.rules"), "-r", str(files / "odd.parquet")]) == 2
    err = capsys.readouterr().err
    assert "第 1 行的列 'total' 的值类型为 dict，不是金额、文本或标志" in err and "which is not" not in err


def test_records_streamed_match_the_report(files, capsys, tmp_path):
    records = tmp_path / "many.jsonl"
    records.write_text("\n".join(json.dumps({"_meta": {"id": f"r{i}"}, "total": str(10 + (i % 3 == 0)),
                                             "a": "4", "b": "6"}) for i in range(30)) + "\n", encoding="utf-8")
    assert main(["check", str(files / "r.rules"), "-r", str(records), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    whole = data["findings"]
    assert main(["check", str(files / "r.rules"), "-r", str(records), "--format", "jsonl"]) == 1
    streamed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # the same findings, passes included, in the same order; each record's localisation after them
    assert [line for line in streamed if line["status"] != "localisation"] == whole
    assert [line for line in streamed if line["status"] == "localisation"] == [
        {"status": "localisation", **group} for group in data["localisation"]]
    assert len(data["localisation"]) == 10   # one group per record whose total is off


def test_a_table_in_the_default_table_format(files, capsys):
    assert main(["check", str(files / "r.rules"), "-r", str(files / "t.parquet"), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "t.parquet:row 2" in out and "t.parquet:row 1" not in out  # passing rows are counted, not listed


def test_an_unreadable_table_is_reported(files, capsys):
    bad = files / "bad.parquet"
    bad.write_bytes(b"not parquet")
    assert main(["check", str(files / "r.rules"), "-r", str(bad), "--format", "jsonl"]) == 2
    assert "无法读取表格：" in capsys.readouterr().err   # (Chinese by default: cannot read table)
