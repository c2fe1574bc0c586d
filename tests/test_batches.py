"""Every record of every batch yields its row: in a file of many records, each malformed one is
reported (with its place) and every other one is evaluated -- in JSON arrays, JSON Lines and
YAML streams alike -- and nothing is silently lost or shifted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fiscalrules

RULES = """
unit 万元
field a: amount
field b: amount
field f: flag
field t: table(code: text, x: amount)
rule R: a = b
"""

GOOD = {"a": "1", "b": "1"}
# Malformed records, each refused for its own reason (as mappings; some only make sense as text).
BAD_RECORDS = {
    "NaN amount": {"a": "NaN", "b": "1"},
    "exponent": {"a": "1e5", "b": "1"},
    "40 digits": {"a": "1" * 40, "b": "1"},
    "decimal comma": {"a": "1.234,56", "b": "1"},
    "Arabic-Indic": {"a": "\u0663", "b": "3"},
    "code twice": {"t": [{"code": "208", "x": "1"}, {"code": "208", "x": "2"}]},
    "huge code": {"t": [{"code": "1e5000"}]},   # written as a JSON number (see _json_value)
    "_meta.unread number": {"a": "1", "b": "1", "_meta": {"unread": 5}},
    "_meta.unread items": {"a": "1", "b": "1", "_meta": {"unread": [1, 2]}},
    "_meta.document number": {"a": "1", "b": "1", "_meta": {"document": 123}},
    "source line huge": {"a": {"value": "1", "source": {"line": "9" * 5000}}, "b": "1"},
    "not a mapping": ["a", "b"],
    "nested list cell": {"t": [{"code": "1", "x": [1, 2]}]},
    "empty key": {"": "1"},
}


def _json_value(record) -> str:
    text = json.dumps(record, ensure_ascii=False)
    return text.replace('"1e5000"', "1e5000")  # a JSON number, as the probe wrote it


def _interleaved() -> list:
    """good, bad, good, bad … ending with a good record: 2 × len(BAD_RECORDS) + 1 records."""
    items = []
    for name, record in BAD_RECORDS.items():
        items.append(("good", GOOD))
        items.append((name, record))
    items.append(("good", GOOD))
    return items


def _check(report, items, ids):
    assert len(report.records) == len(items)
    for (name, _), info, expected_id in zip(items, report.records, ids):
        if name == "good":
            assert info.error is None, (name, info.error)
            assert info.id == expected_id
        else:
            assert info.error, f"{name} was not reported"
    assert len(report.findings) == sum(1 for name, _ in items if name == "good")


def test_json_array_every_record_yields_its_row(tmp_path):
    items = _interleaved()
    path = tmp_path / "batch.json"
    path.write_text("[" + ",\n".join(_json_value(r) for _, r in items) + "]", encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many([path])
    _check(report, items, [f"batch[{i}]" for i in range(1, len(items) + 1)])


def test_json_lines_every_record_yields_its_row_even_between_broken_lines(tmp_path):
    items = _interleaved()
    lines = [_json_value(r) for _, r in items]
    # Lines that are not JSON at all, each reported, ids of the others unchanged.
    broken = {3: '{"a": "1", ', 7: "not json", 11: '{"a": "1", "s": "x\u001cy"}', 15: "[" * 5000}
    for at, text in broken.items():
        items.insert(at, ("broken line", None))
        lines.insert(at, text)
    lines[0] = lines[0][:-1] + ', "s": "one\u2028record\u0085still"}'  # separators inside a string
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many([path])
    _check(report, items, [f"batch:{i}" for i in range(1, len(items) + 1)])
    for at in broken:
        assert f"batch.jsonl:{at + 1}" in report.records[at].error


def test_yaml_every_document_yields_its_row_even_when_some_are_not_yaml(tmp_path):
    items = _interleaved()
    # A YAML document that is a list is a list of records: the malformed record here is a scalar.
    # YAML scalars stay text, so a document name or a row code written as a number is fine there.
    items = [(name, r) for name, r in items if name not in ("_meta.document number", "huge code")]
    documents = [_json_value(r if not isinstance(r, list) else "just text") for _, r in items]
    broken = {4: "a: [1\nb: 2", 9: "a: 1\n  b: : 2", 13: "a: &x [*x]\nb: *x", 18: "a: 1\na: 2\nb: 1"}
    for at, text in broken.items():
        items.insert(at, ("broken document", None))
        documents.insert(at, text)
    path = tmp_path / "batch.yaml"
    path.write_text("\n".join(f"---\n{d}" for d in documents) + "\n", encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many([path])
    _check(report, items, [f"batch[{i}]" for i in range(1, len(items) + 1)])


def test_many_files_each_yield_their_row(tmp_path):
    items = _interleaved()
    paths = []
    for i, (name, record) in enumerate(items):
        path = tmp_path / f"r{i:02d}.json"
        # a file holding a JSON array is a list of records: the malformed one here is a scalar
        path.write_text(_json_value(record if not isinstance(record, list) else "just text"), encoding="utf-8")
        paths.append(path)
    paths.insert(5, tmp_path / "missing.json")
    items.insert(5, ("missing file", None))
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    paths.insert(9, tmp_path / "empty.yaml")
    items.insert(9, ("empty file", None))
    report = fiscalrules.compile_rules(RULES).evaluate_many(paths)
    _check(report, items, [Path(p).stem for p in paths])


@pytest.mark.parametrize("name", list(BAD_RECORDS))
def test_a_malformed_mapping_is_a_record_error_naming_its_place(name):
    record = BAD_RECORDS[name]
    if name == "huge code":
        record = json.loads(_json_value(record), parse_float=__import__("decimal").Decimal)
    with pytest.raises(fiscalrules.RecordError) as caught:
        fiscalrules.compile_rules(RULES).evaluate(record)
    assert "Traceback" not in caught.value.format()


def test_a_value_of_the_wrong_kind_is_an_error_finding_and_the_rest_still_runs():
    """Text or a boolean where an amount is declared, text where a flag is: not a record error
    (the loader does not know declarations), but an error finding of each rule reading it."""
    rules = fiscalrules.compile_rules(RULES + "rule S: b >= 0\nrule G: if f then b > 0\n")
    for record, broken in (({"a": True, "b": "1"}, {"R"}), ({"a": "见附表", "b": "1"}, {"R"}),
                           ({"a": "1", "b": "1", "f": "yes"}, {"G"})):
        report = rules.evaluate(record)
        statuses = {f.rule: f.status for f in report.findings}
        assert {rule for rule, status in statuses.items() if status == "error"} == broken
        assert statuses["S"] == "pass"
        errors = [f for f in report.findings if f.status == "error"]
        assert all(f.reason and ("a is" in f.reason or "f is" in f.reason) for f in errors)


def _holds(frame_locals: dict, target) -> bool:
    return any(value is target or isinstance(value, (list, tuple)) and any(v is target for v in value)
               for value in frame_locals.values())


@pytest.mark.parametrize("suffix, text", [
    (".json", '{"a": "1", "t": [{"code": "1", "x": "2"}]}'),
    (".json", '[{"a": "1"}, {"a": "2"}]'),
    (".jsonl", '{"a": "1"}\n{"a": "2"}\n'),
])
def test_the_reader_holds_no_parsed_record_while_it_is_evaluated(suffix, text):
    """While the caller evaluates a record, the file's reader keeps neither its text nor the
    mapping it parsed: for one record of a million table rows those take more memory than the
    record itself."""
    from fiscalrules.recordfiles import record_items
    items = record_items(text, "f" + suffix, "f", suffix)
    data, _, _ = next(items)
    assert isinstance(data, dict)
    assert not _holds(items.gi_frame.f_locals, data)
    assert "text" not in items.gi_frame.f_locals or suffix == ".jsonl"   # JSON Lines read line by line
    assert [d for d, _, _ in items] == ([{"a": "2"}] if text.count('"a"') == 2 else [])   # the rest still read


def test_read_records_keeps_no_parsed_mapping_between_records(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"a": "1"}\n{"a": "2"}\n', encoding="utf-8")
    records = fiscalrules.read_records(str(path))
    first = next(records)
    assert first.get("a").value == 1
    assert "entry" not in records.gi_frame.f_locals
    assert [r.get("a").value for r in records] == [2]


def test_rows_read_from_a_file_are_built_and_let_go_but_a_callers_mapping_is_kept(tmp_path):
    rows = [{"code": "208", "x": "3"}, {"code": "20805", "x": "1"}, {"code": "20806", "x": "2"}]
    data = {"a": "1", "t": rows}
    record = fiscalrules.load_record(data)
    assert data == {"a": "1", "t": [{"code": "208", "x": "3"}, {"code": "20805", "x": "1"}, {"code": "20806", "x": "2"}]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    from_file = next(fiscalrules.read_records(str(path)))
    assert [(r.code, r.cell("x").value) for r in from_file.table("t").rows] == \
        [(r.code, r.cell("x").value) for r in record.table("t").rows] == [("208", 3), ("20805", 1), ("20806", 2)]
    rules = fiscalrules.compile_rules(RULES + "rule T: for each r in t where count(children(r)) > 0: r.x = sum(children(r).x)\n")
    assert [f.status for f in rules.evaluate(from_file).findings if f.rule == "T"] == ["pass"]
