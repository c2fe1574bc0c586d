"""A bad cell of a table field's long pandas frame (``tables=``) makes its record unreadable -- not
the whole frame -- on the columnar engine as on the per-record one, as review 17 B11 made it for
the record frame; the parallel runs' share of it is in test_columnar_parallel.py."""

from __future__ import annotations

import numpy as np
import pytest

import fiscalrules
from fiscalrules.frames import frame_records

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

RULES = """unit 万元
field total: amount
field t: table(code: text, x: amount)
rule S: total = sum(t.x)
"""


def _per_record(ruleset, frame, tables=None) -> tuple[list, list]:
    """(read errors, (record, status) of each finding) as the per-record engine gives them."""
    errors, findings = [], []
    for item in frame_records(frame, ruleset.checked.fields, ruleset.checked.labels, tables=tables):
        if isinstance(item, fiscalrules.RecordError):
            errors.append((item.location.file, item.format()))
            continue
        rid = item["_meta"]["id"]
        findings += [(f.record, f.status) for f in ruleset.evaluate(item, id=rid).findings]
    return errors, findings


@pytest.mark.parametrize("odd", [5.0, np.float64(5.5), b"5", float("inf")])
def test_a_bad_cell_of_a_table_frame_makes_its_record_unreadable_and_the_rest_are_checked(odd):
    ruleset = fiscalrules.compile_rules(RULES)
    frame = pd.DataFrame({"_id": ["r1", "r2", "r3", "r4"], "total": ["3", "5", "7", "1"]})
    rows = pd.DataFrame({"_record": ["r1", "r1", "r2", "r2", "r3", "r4"], "code": ["a", "b", "a", "b", "a", "a"],
                         "x": ["1", "2", "1", odd, "6", "1"]})
    report = ruleset.evaluate_table(frame, tables={"t": rows})
    errors, findings = _per_record(ruleset, frame, {"t": rows})
    assert [rid for rid, _ in errors] == ["r2"]
    # the bad row named as per record: the table, its row within r2's table, the column, the value
    assert [e.id for e in report.errors] == ["r2"]
    assert report.errors[0].error == errors[0][1]
    assert "table t row 2 column 'x'" in report.errors[0].error
    assert (repr(odd) if isinstance(odd, float) else "type bytes") in report.errors[0].error
    # the other records checked, as per record (the columnar report lists what did not pass)
    assert sorted((f.record, f.status) for f in report.findings(None)) == \
        sorted(f for f in findings if f[1] not in ("pass", "pass_rounding"))
    assert {s: n for s, n in report.counts["S"].items() if n} == {"pass": 2, "fail": 1}


def test_a_table_frame_of_floats_read_as_printed_is_not_refused():
    ruleset = fiscalrules.compile_rules(RULES)
    frame = pd.DataFrame({"_id": ["r1"], "total": ["3.3"]})
    rows = pd.DataFrame({"_record": ["r1", "r1"], "code": ["a", "b"], "x": ["1.1", 2.2]})
    report = ruleset.evaluate_table(frame, tables={"t": rows}, floats="printed")
    assert not report.errors and report.counts["S"]["pass"] == 1
