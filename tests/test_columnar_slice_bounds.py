"""A chunk of a run is bounded by its own figures where the run's bound is large (review 18 A-C1):
one figure near 64 bits in a run sends only the chunk holding it to the per-record engine, and
every chunk's statuses stay those of the per-record engine."""
from __future__ import annotations

import numpy as np
import pytest

import fiscalrules
pa = pytest.importorskip("pyarrow")

from fiscalrules.columnar import engine  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

ROWS, CHUNK = 6_000, 1_000

CASES = [
    # (rules, column holding the huge figure, the figure): the sum's bound passes 2**62 only
    # where the huge figure is
    ("unit 元\nfield a: amount\nfield b: amount\nrule R1: a + b >= b\n", "b", 2 ** 61),
    ("unit 元\nfield a: amount\nrule R1: a + a + a + a + a + a + a + a >= a\n", "a", 2 ** 59),
    ("unit 元\nfield a: amount\nfield b: amount\nrule R1: a + b = b + a\n", "b", 2 ** 61),
]


@pytest.mark.parametrize("rules, column, huge", CASES)
def test_one_huge_figure_sends_only_its_chunk_per_record(monkeypatch, rules, column, huge):
    sent = []
    real = engine._per_record

    def spy(report, plans, per_record, offset, n):
        sent.append(sum(int(mask.sum()) for mask in per_record.values()))
        return real(report, plans, per_record, offset, n)

    monkeypatch.setattr(engine, "_per_record", spy)
    a = np.arange(ROWS, dtype=np.int64) % 1000
    b = a.copy()
    columns = {"a": a, "b": b}
    columns[column] = columns[column].copy()
    columns[column][ROWS - 5] = huge            # in the last chunk only
    ruleset = fiscalrules.compile_rules(rules)
    names = [name for name in ("a", "b") if f"field {name}:" in rules]
    table = pa.table({name: columns[name] for name in names})
    records = [{name: int(columns[name][i]) for name in names} for i in range(ROWS)]
    assert_same(ruleset, table, records, chunk_rows=CHUNK)    # (one evaluate_table)
    assert sum(sent) == CHUNK, "only the chunk holding the huge figure goes per-record"


def test_small_run_bounds_are_the_runs(monkeypatch):
    """Below the threshold nothing is recomputed and nothing goes per-record."""
    sent = []
    real = engine._per_record
    monkeypatch.setattr(engine, "_per_record",
                        lambda report, plans, per_record, offset, n: sent.append(1) or real(report, plans,
                                                                                           per_record, offset, n))
    a = np.arange(ROWS, dtype=np.int64)
    ruleset = fiscalrules.compile_rules("unit 元\nfield a: amount\nrule R1: a + a >= a\n")
    report = ruleset.evaluate_table(pa.table({"a": a}), chunk_rows=CHUNK)
    assert not sent
    assert report.counts["R1"]["pass"] == ROWS
