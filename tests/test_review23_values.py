"""Review 23's hostile-input findings about what a record gives (docs of the review:
/work/team/review23.md), each a test that failed before its mend: a list -- a table -- where an
amount is declared read as a figure missing (R13), where a text or a flag there is an error."""

from __future__ import annotations

import pytest

from cli_runs import read_jsonl, run_cli
from columnar_equivalence import assert_same

import fiscalrules
from fiscalrules.columnar import flatten_records

RULES = ('field a: amount\nfield b: amount\nfield t: text\nfield f: flag\nfield s.*: amount\n'
         'rule EQ: a = b\nrule TX: t = "x"\nrule FL: f\nrule S: sum(s.*) >= 0\n'
         'rule P: present(a)\n')
RECORDS = [
    {"_meta": {"id": "list"}, "a": ["1", "2"], "b": "1", "t": ["x"], "f": [True], "s": {"x": ["1"], "y": "2"}},
    {"_meta": {"id": "rows"}, "a": [{"code": "1", "total": "1"}], "b": "1"},
    {"_meta": {"id": "empty"}, "a": [], "b": "1"},
    {"_meta": {"id": "bool"}, "a": True, "b": "1"},
    {"_meta": {"id": "ok"}, "a": "1", "b": "1", "t": "x", "f": True, "s": {"y": "2"}},
]


@pytest.fixture
def ruleset():
    return fiscalrules.compile_rules(RULES)


def test_a_list_where_a_value_is_declared_is_an_error_naming_it(ruleset):
    """{"a": [1, 2]}: R-1 was 'not evaluable, missing a' and the run 'checked nothing'."""
    report = ruleset.evaluate_many(RECORDS)
    status = {(f.record, f.rule): f for f in report.findings}
    for rid in ("list", "rows", "empty"):
        assert status[rid, "EQ"].status == "error"
        assert status[rid, "EQ"].text("en").endswith("a is a table, not a number")
        assert status[rid, "EQ"].text("zh").endswith("a 为 表格，不是数值")
        assert status[rid, "P"].status == "error"     # present(a): a is there, but no value
    assert status["list", "TX"].text("en").endswith("t is a table, not a text")
    assert status["list", "FL"].text("en").endswith("f is a table, not true or false")
    assert status["list", "S"].text("en").endswith("s.x is a table, not a number")
    assert status["bool", "EQ"].status == "error"     # as a bool there always was
    assert all(f.status == "pass" for f in report.findings if f.record == "ok")
    # the record itself is not changed: a table it gives stays a table
    record = fiscalrules.load_record(RECORDS[0])
    ruleset.evaluate(record)
    assert "a" not in record.figures and "a" in record.tables


def test_both_engines_give_the_same_statuses(ruleset):
    assert_same(ruleset, flatten_records(RECORDS, ruleset), RECORDS, chunk_rows=2)


def test_check_on_both_engines(tmp_path, monkeypatch, capsys):
    import json
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text(RULES, encoding="utf-8")
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    found = {}
    for engine in ("record", "columnar"):
        code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl", "--format", "jsonl",
                                 "--engine", engine, "--statuses", "error,not_evaluable")
        assert code == 1 and "internal error" not in err
        found[engine] = sorted((f["record"], f["rule"], f["status"]) for f in read_jsonl(out)
                               if f["status"] != "localisation")
    assert found["columnar"] == found["record"]
    assert ("list", "EQ", "error") in found["record"] and ("list", "EQ", "not_evaluable") not in found["record"]


def test_an_inline_example_giving_a_list_for_an_amount_is_an_error():
    ruleset = fiscalrules.compile_rules('field a: amount\nrule R {\n    assert a >= 0\n'
                                        '    example not evaluable {a: [1, 2]}\n}\n')
    [result] = ruleset.run_examples()
    assert not result.ok and "a is a table, not a number" in result.describe("en")
