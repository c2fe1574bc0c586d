"""A bad cell of a pandas frame makes its record unreadable -- not the whole frame -- on the
columnar engine as on the per-record one (review 17 B11), also in a table field's long frame
(``tables=``), and the parallel runs (workers forked from the caller, workers from a fork server)
report exactly what one process reports: the same findings, counts and read errors."""

from __future__ import annotations

import numpy as np
import pytest

import fiscalrules
from fiscalrules.columnar import parallel
from fiscalrules.columnar.parallel import Workers
from fiscalrules.frames import frame_records

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

RULES = """unit 万元
field total: amount
field t: table(code: text, x: amount)
rule S: total = sum(t.x)
"""
FLAT = "unit 万元\nfield total: amount\nfield a: amount\nrule S: total = a\n"


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


def _columnar(report) -> tuple[list, list, dict]:
    return ([(e.id, e.error) for e in report.errors],
            sorted((f.record, f.status) for f in report.findings(None)),
            {rid: {s: n for s, n in c.items() if n} for rid, c in report.counts.items()})


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


@pytest.fixture(scope="module")
def server_pool():
    saved, parallel.FORK = parallel.FORK, False
    try:
        workers = Workers(2)
    finally:
        parallel.FORK = saved
    assert not workers.forked
    with workers:
        yield workers


def _frames(n: int, odd, tables: bool):
    """*n* records, every 7th failing, record 5,003 (in the second worker's chunk) with a bad cell."""
    ids = [f"r{i}" for i in range(n)]
    if not tables:
        total = [str(i % 5) for i in range(n)]
        a = [str(i % 5 + (i % 7 == 0)) for i in range(n)]
        total[5003] = odd
        return pd.DataFrame({"_id": ids, "total": total, "a": a}), None
    frame = pd.DataFrame({"_id": ids, "total": [str(2 * (i % 5) + (i % 7 == 0)) for i in range(n)]})
    x = [str(i % 5) for i in range(n) for _ in (0, 1)]
    x[2 * 5003 + 1] = odd
    rows = pd.DataFrame({"_record": [rid for rid in ids for _ in (0, 1)], "code": ["a", "b"] * n, "x": x})
    return frame, {"t": rows}


@pytest.mark.parametrize("tables", [False, True], ids=["record frame", "table frame"])
@pytest.mark.parametrize("odd", [5.0, b"5"], ids=["float", "bytes"])
def test_parallel_runs_report_the_bad_row_as_one_process_does(server_pool, odd, tables):
    ruleset = fiscalrules.compile_rules(RULES if tables else FLAT)
    frame, long = _frames(10_000, odd, tables)
    one = _columnar(ruleset.evaluate_table(frame, tables=long, chunk_rows=5_000))
    assert [rid for rid, _ in one[0]] == ["r5003"]
    assert one[2]["S"]["fail"] > 1000
    with Workers(2) as forked:
        assert forked.forked
        assert _columnar(ruleset.evaluate_table(frame, tables=long, chunk_rows=5_000, workers=forked)) == one
    assert _columnar(ruleset.evaluate_table(frame, tables=long, chunk_rows=5_000, workers=server_pool)) == one
