"""Findings of failing records read back from frames: made from a record holding only what the
failing rules can read (``fiscalrules.columnar.needs``), they must be the per-record engine's
findings over the whole record -- sides, operands, suggestions and messages, including messages
quoting a figure the rule's assertion does not name.  And a wildcard's figures stop a rule in
path order on both engines, whatever order a record or a frame's columns list them in."""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from fiscalrules.columnar.needs import paths_read, reached  # noqa: E402
from fiscalrules.frames import frame_records  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.damage import damage  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.rules"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from columnar_equivalence import assert_same  # noqa: E402

RULES = """
ruleset quoting
unit 万元
field a "甲数": amount
field b "乙数": amount
field c "丙数": amount
field g.one: amount
field g.two: amount
field tables.x "甲表": table(code: text, total: amount)
field tables.y "乙表": table(code: text, total: amount)

rule Q-1 {
    message "甲 {甲数} 乙 {b} 丙 {丙数}" "a {a} b {b} c {c}"
    assert a = b
}
rule Q-2: a = sum(r.total for r in tables.x)
rule Q-3 {
    message "行 {row}：{r.total}，丙 {c}" "row {row}: {r.total}, c {c}"
    assert for each r in tables.y: r.total <= c
}
rule Q-4: b = sum(g.*)
"""


def _details(findings) -> list:
    return [(f.to_dict(), f.message, f.message_en) for f in findings]


def _assert_findings_equal(ruleset, frame, tables):
    """evaluate_table over *frame* (no record mappings behind it) makes every non-passing finding
    of evaluate_many over the whole records the frames hold, detail for detail and message for
    message.  (The whole records, as the frames give them: a wildcard's figures come in column
    order, which a frame cannot keep per record.)"""
    result = ruleset.evaluate_table(frame, tables=tables, chunk_rows=5)
    assert result.source.originals is None   # read back from the frames, not from the mappings
    checked = ruleset.checked
    records = list(frame_records(frame, checked.fields, checked.labels, tables=tables))
    report = ruleset.evaluate_many(records)
    theirs = [f for f in report.sorted_findings() if f.status not in ("pass", "pass_rounding")]
    ours = list(result.findings())
    assert theirs, "the records should fail some rules"
    assert _details(ours) == _details(theirs)
    return result


def _quoting_records():
    rows = lambda values: [{"code": str(101 + i), "total": str(v)} for i, v in enumerate(values)]  # noqa: E731
    return [
        {"_meta": {"id": "r1"}, "a": "5", "b": "6", "c": "7", "g": {"one": "1", "two": "5"},
         "tables": {"x": rows([2, 3]), "y": rows([1, 9, 8])}},
        {"_meta": {"id": "r2"}, "a": "4", "b": "4", "c": "1", "g": {"one": "2", "two": "2"},
         "tables": {"x": rows([1, 1]), "y": rows([3])}},
        {"_meta": {"id": "r3"}, "a": "9", "b": "3", "g": {"one": "3"}, "tables": {"x": rows([9])}},
        {"_meta": {"id": "r4"}, "a": "2", "b": "2", "c": "8", "g": {"one": "1", "two": "1"},
         "tables": {"x": rows([2]), "y": rows([1, 2])}},
        # fails Q-1 alone, whose message quotes c (丙数), which no other failing rule reads
        {"_meta": {"id": "r5"}, "a": "1", "b": "2", "c": "3", "g": {"one": "1", "two": "1"},
         "tables": {"x": rows([1]), "y": rows([1])}},
    ]


def test_messages_quote_figures_the_assertion_does_not_name():
    ruleset = fiscalrules.compile_rules(RULES)
    records = _quoting_records()
    flat = flatten_records(copy.deepcopy(records), ruleset)
    result = _assert_findings_equal(ruleset, flat.records, flat.tables)
    messages = [f.message for f in result.findings()]
    assert any("丙 7" in m for m in messages) and any("甲 1 乙 2 丙 3" in m for m in messages), messages


def test_a_failing_record_is_read_with_only_what_its_failing_rules_read():
    ruleset = fiscalrules.compile_rules(RULES)
    records = _quoting_records()
    flat = flatten_records(copy.deepcopy(records), ruleset)
    result = ruleset.evaluate_table(flat.records, tables=flat.tables)
    index = {rule.rule.id: i for i, rule in enumerate(result.ruleset._ordered)}
    # r3 (row 2) fails Q-1 and Q-2 only: it is read with a, b, c (Q-1's message) and tables.x
    read = result._read_for([2], {2: [index["Q-1"], index["Q-2"]]})[2]
    assert set(read.tables) == {"tables.x"}
    assert {"a", "b"} <= set(read.figures) and "g.one" not in read.figures
    # a wildcard reads the figures under it, and no table
    read = result._read_for([0], {0: [index["Q-4"]]})[0]
    assert set(read.tables) == set() and {"g.one", "g.two", "b"} <= set(read.figures)


def test_paths_read_follow_names_labels_wildcards_and_rows():
    ruleset = fiscalrules.compile_rules(RULES)
    named = {c.rule.id: paths_read(c.rule, c.settings) for c in ruleset._ordered}
    assert {"a", "b", "c"} <= named["Q-1"]          # 丙数 is c's label: quoted by the message
    assert "tables.x" in named["Q-2"] and "tables.y" not in named["Q-2"]
    assert "g" in named["Q-4"]
    paths = ["a", "g.one", "g.two", "tables.x", "tables.y", "c"]
    assert [paths[i] for i in reached(named["Q-4"], paths)] == ["g.one", "g.two"]
    groups = ["g", "g.one", "g.two"]
    assert [groups[i] for i in reached(frozenset({"g.one"}), groups)] == ["g", "g.one"]


@pytest.mark.skipif(not DEMO.exists(), reason="examples/demo.rules is absent")
def test_generated_damaged_records_read_back_from_frames_give_the_same_findings():
    ruleset = fiscalrules.load_ruleset(str(DEMO))
    rnd = random.Random(3)
    records = []
    for i in range(24):
        record = generate_record(ruleset, rnd=rnd, rounded=bool(i % 2))
        if i % 2 == 0:
            record = damage(record, rnd, duplicate_rows=False)
        record.setdefault("_meta", {})["id"] = f"d{i}"
        records.append(record)
    flat = flatten_records(copy.deepcopy(records), ruleset)
    readable = [r for r, bad in zip(records, flat.irregular) if not bad]
    flat = flatten_records(copy.deepcopy(readable), ruleset)
    _assert_findings_equal(ruleset, flat.records, flat.tables)


ORDER_RULES = """
ruleset order
unit 万元
field total: amount
field g.a: amount
field g.b: amount
field g.c: amount
rule W-1: change(total) = sum(change(g.*))
rule W-2: total = sum(g.*)
"""


def test_wildcard_figures_listed_in_another_order_stop_in_path_order():
    # The frame's columns are g.b, g.c, g.a (the first record has no g.a).  The second record
    # lists g.a first, in a unit that is not money (an error), then g.b without its change
    # (missing); the third lists them the other way round.  A wildcard takes its figures in
    # path order whatever order a record lists them in (Record.under): both stop on g.a --
    # error, not "not evaluable" -- on both engines.
    ruleset = fiscalrules.compile_rules(ORDER_RULES)
    records = [
        {"_meta": {"id": "r0"}, "total": {"value": "3", "change": "1"},
         "g": {"b": {"value": "1", "change": "0"}, "c": {"value": "2", "change": "1"}}},
        {"_meta": {"id": "r1"}, "total": {"value": "3", "change": "1"},
         "g": {"a": {"value": "1", "unit": "其他", "change": "0"}, "b": {"value": "2"}}},
        {"_meta": {"id": "r2"}, "total": {"value": "3", "change": "1"},
         "g": {"b": {"value": "2"}, "a": {"value": "1", "unit": "其他", "change": "0"}}},
    ]
    flat = flatten_records(copy.deepcopy(records), ruleset)
    assert [c for c in flat.records.column_names if c in ("g.a", "g.b", "g.c")] == ["g.b", "g.c", "g.a"]
    result = assert_same(ruleset, flat, records)
    assert [int(code) for code in result.statuses("W-1")] == [0, 5, 5]   # pass, error, error
    assert "per-record" not in result.explain()   # (both engines' order: decided on columns)


def test_a_record_read_for_a_rule_naming_no_figure_of_the_record_frame():
    # F1 reads the table alone: the record frame's one figure (total) is left out, and the
    # record is still read (a frame without any column would hold no record).
    ruleset = fiscalrules.compile_rules("""
unit 万元
field total: amount
field fn "功能分类": table(code: text, total: amount)
rule F1: for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
""")
    records = pa.table({"_meta.id": ["甲", "乙"], "total": ["5.00", "9.00"]})
    rows = pa.table({"_record": ["甲", "甲", "甲", "乙", "乙"], "_row": [1, 2, 3, 1, 2],
                     "code": ["208", "20805", "20808", "201", "20101"],
                     "total": ["5.00", "2.00", "3.00", "9.00", "8.00"]})
    result = _assert_findings_equal(ruleset, records, {"fn": rows})
    assert [(f.record, f.rule, f.item, f.status) for f in result.findings()] == [("乙", "F1", "201", "fail")]
