"""Review 23's hostile-input findings (docs of the review: /work/team/review23.md), each a test
that failed before its mend: a record giving a table field as a value beside records giving it as
a table ended a columnar batch (R1)."""

from __future__ import annotations

import pytest

from cli_runs import read_jsonl, run_cli

RULES = ('unit 万元\nfield a: amount\nfield b: amount\n'
         'field tables.fn: table(code: text, total: amount)\n'
         'rule EQ: a = b\n'
         'rule POS { assert for each r in tables.fn: r.total >= 0 }\n')


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    return tmp_path


def _statuses(text: str) -> list:
    return sorted((f["record"], f["rule"], f["status"]) for f in read_jsonl(text) if f["status"] != "localisation")


# ---- R1: a table field given as a value in one record, as a table in another -------------------------

@pytest.mark.parametrize("value", ['"x"', "true", '"1.50"', '{"value": "2"}'])
def test_a_table_given_as_a_value_beside_tables_is_checked_alike_on_both_engines(place, capsys, value):
    """The record frame's column of the table's row counts also held the value: laid out as
    text, the whole columnar batch ended in an internal error (ArrowTypeError), nothing written."""
    (place / "d.jsonl").write_text(
        '{"_meta": {"id": "odd"}, "a": "1", "b": "1", "tables": {"fn": %s}}\n'
        '{"_meta": {"id": "t"}, "a": "1", "b": "2", "tables": {"fn": [{"code": "101", "total": "-1"}]}}\n'
        '{"_meta": {"id": "u"}, "a": "2", "b": "2", "tables": {"fn": [{"code": "101", "total": "1"}]}}\n' % value,
        encoding="utf-8")
    found = {}
    for engine in ("record", "columnar"):
        code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl", "--format", "jsonl",
                                 "--engine", engine, "--statuses", "fail,not_evaluable,error")
        assert code == 1 and "internal error" not in err
        found[engine] = _statuses(out)
    assert found["columnar"] == found["record"] == [
        ("odd", "POS", "not_evaluable"), ("t", "EQ", "fail"), ("t", "POS", "fail")]
