"""``sum`` / ``count`` of a comprehension over a table's rows per record (fiscalrules.columnar.aggregates):
summed where the rows are, at the rows the filter keeps, when nothing stops the list -- else the
general path, from what the filter said.  Statuses, counts and findings are the per-record
engine's, C kernels on and off; the kernel ``kept_sums`` is its numpy twin's and refuses what it
cannot read."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest

pytest.importorskip("pyarrow")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import arith, flatten_records, kernel  # noqa: E402
from fiscalrules.columnar.columns import Num  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402

C = kernel.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C kernels do not run here: {kernel.why_not()}")

RULES = '''
unit 万元
field total: amount
field parts: count
field fn: table(code: text, total: amount, basic: amount, spare: amount default 0, share: percent)
rule A1 "level-1 rows add up": total = sum(r.total for r in fn where level(r) = 1)
rule A2 "a column with blanks, kept rows only": total >= sum(r.basic for r in fn where present(r.basic))
rule A3 "a filter that can stop": total >= sum(r.total for r in fn where r.basic > 10)
rule A4 "a column that stops at kept rows": total >= sum(r.basic for r in fn where level(r) = 2)
rule A5 "count of kept rows": parts = count(r for r in fn where level(r) = 1)
rule A6 "count with a filter that stops": count(r for r in fn where r.basic > 50) <= parts
rule A7 "count of a column's cells": count(r.basic for r in fn where level(r) = 1) <= parts
rule A8 "stated changes": change(total) = sum(change(r.total) for r in fn where present(change(r.total)))
rule A9 "a default column": total >= sum(r.spare for r in fn where level(r) = 1)
rule B1 "no filter": total >= sum(r.total for r in fn)
rule B2 "in a when" {
    when count(r for r in fn where present(r.basic)) > 1
    assert total >= sum(r.basic for r in fn where present(r.basic))
}
rule B3 "beside another sum": total = sum(r.total for r in fn where level(r) = 1) + sum(r.basic for r in fn where level(r) = 1)
rule B4 "percentages": sum(r.share for r in fn where level(r) = 1) <= 100
'''


def _amount(rnd: random.Random, blank: float = 0.12):
    if rnd.random() < blank:
        return None                              # a missing cell
    if rnd.random() < 0.03:
        return "n/a"                             # text in an amount: an error
    return str(Decimal(rnd.randint(0, 9000)) / 100)


def _record(rnd: random.Random, i: int, clean: bool) -> dict:
    rows = []
    for klass in rnd.sample(["201", "202", "203", "205"], rnd.randint(0, 4)):
        for code in [klass] + [f"{klass}{k + 1:02d}" for k in range(rnd.randint(0, 3))]:
            row = {"code": code}
            for column in ("total", "basic"):
                value = _amount(rnd, 0.0 if clean and column == "total" else 0.12)
                if clean and value == "n/a":
                    value = "1"
                if value is not None:
                    row[column] = {"value": value, "change": str(rnd.randint(-50, 50))} \
                        if column == "total" and rnd.random() < 0.3 else value
            if rnd.random() < 0.5:
                row["spare"] = str(rnd.randint(0, 40))
            if rnd.random() < 0.4:
                row["share"] = str(Decimal(rnd.randint(0, 1000)) / 10)
            rows.append(row)
    record = {"_meta": {"id": f"r{i}"}, "total": {"value": str(Decimal(rnd.randint(0, 50000)) / 100),
                                                  "change": str(rnd.randint(-100, 100))},
              "parts": str(rnd.randint(0, 6))}
    if rnd.random() < 0.9:
        record["fn"] = rows
    if rnd.random() < 0.2:          # a level-1 total that is the sum, now and then
        record["total"] = str(sum(Decimal(r["total"]) for r in rows if len(r["code"]) == 3
                                  and isinstance(r.get("total"), str) and r["total"] != "n/a"))
    return record


@pytest.fixture(scope="module")
def rules():
    return fiscalrules.compile_rules(RULES)


def test_every_rule_runs_on_columns(rules):
    lines = dict(line.split("\t") for line in rules.explain().splitlines())
    assert set(lines.values()) == {"columnar"}, lines


@pytest.mark.parametrize("on", [True, False], ids=["kernels", "numpy"])
@pytest.mark.parametrize("seed", range(6))
def test_sums_and_counts_of_kept_rows_equal_per_record(rules, seed, on):
    rnd = random.Random(seed)
    records = [_record(rnd, i, clean=seed % 2 == 0) for i in range(40)]
    with kernel.use(on):
        assert_same(rules, flatten_records(records, rules), records, chunk_rows=13)


def test_the_rows_are_summed_in_place_where_nothing_stops(rules, monkeypatch):
    """Where no kept row stops, the sum is made from the whole column and the filter's mask (no
    list of the kept rows); a kept row whose cell is missing sends that chunk the general way --
    and either way the statuses are the per-record engine's."""
    kept, plain = [], []
    group_sum = arith.group_sum

    def spy(items, starts, n, keep=None):
        (kept if keep is not None else plain).append(n)
        return group_sum(items, starts, n, keep)
    monkeypatch.setattr(arith, "group_sum", spy)
    records = [{"_meta": {"id": "a"}, "total": "7", "parts": "2",
                "fn": [{"code": "201", "total": "3", "basic": "1"}, {"code": "20101", "total": "3"},
                       {"code": "202", "total": "4", "basic": "60"}]},
               {"_meta": {"id": "b"}, "total": "1", "parts": "0"}]
    result = assert_same(rules, flatten_records(records, rules), records)
    assert [CODES[c] for c in result.statuses("A1")] == ["pass", "not_evaluable"]
    assert [CODES[c] for c in result.statuses("A5")] == ["pass", "not_evaluable"]
    assert [CODES[c] for c in result.statuses("A4")] == ["not_evaluable", "not_evaluable"]
    assert kept and plain      # A1 in place; A4 (20101's basic is missing, a kept row) the general way


@pytest.mark.parametrize("n", [0, 1, 7, 300])
def test_kept_sums_are_the_numpy_code_s(n):
    rnd = np.random.default_rng(n)
    counts = rnd.integers(0, 4, n)     # (three at most per group: sums of values near 2**60 stay below 2**62)
    counts[::4] = 0                                      # groups without items
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    m = int(starts[-1])
    keep = rnd.random(m) < 0.6
    for half, top, factor in ((0, 1 << 60, 1), (Decimal("0.5"), 1 << 55, 10), (rnd.integers(0, 5, m), 1 << 60, 1)):
        values = rnd.integers(-top, top, m)
        items = Num(values, -2, "money", half=half, bound=top)
        with kernel.use(True):
            fast = arith.group_sum(items, starts, n, keep)
        with kernel.use(False):
            slow = arith.group_sum(items, starts, n, keep)
        expected = [sum(int(v) for v, k in zip(values[starts[i]:starts[i + 1]], keep[starts[i]:starts[i + 1]]) if k)
                    * factor for i in range(n)]
        assert fast.exp == slow.exp and fast.pt.tolist() == slow.pt.tolist() == expected
        assert np.asarray(fast.half).tolist() == np.asarray(slow.half).tolist()
        assert fast.dim == slow.dim
        # the same as the sum of the kept items listed
        at = np.flatnonzero(keep)
        owner = np.repeat(np.arange(n), counts)[at]
        listed = arith.group_sum(items.take(at), np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n))]),
                                 n)
        assert listed.pt.tolist() == expected and np.asarray(listed.half).tolist() == np.asarray(fast.half).tolist()
    with kernel.use(True):
        fast = arith._segment_sum(None, starts, keep)
    with kernel.use(False):
        slow = arith._segment_sum(None, starts, keep)
    assert fast.tolist() == slow.tolist() == [int(keep[starts[i]:starts[i + 1]].sum()) for i in range(n)]


@needs_c
def test_the_kept_sums_kernel_refuses_what_it_cannot_read():
    values, keep, out = np.zeros(3, dtype=np.int64), np.ones(3, dtype=bool), np.empty(1, dtype=np.int64)
    with pytest.raises(ValueError, match="items"):
        C.kept_sums(values, keep, np.array([0, 4]), out)
    with pytest.raises(ValueError, match="items"):
        C.kept_sums(values, keep, np.array([2, 1]), out)
    with pytest.raises(ValueError, match="items"):
        C.kept_sums(None, keep, np.array([0, 4]), out)
    with pytest.raises(ValueError, match="lengths"):
        C.kept_sums(values, keep, np.array([0, 1, 3]), out)
    with pytest.raises(ValueError, match="keep"):
        C.kept_sums(values, np.ones(2, dtype=bool), np.array([0, 2]), out)
    with pytest.raises(ValueError, match="keep"):
        C.kept_sums(values, np.ones(3, dtype=np.int8), np.array([0, 3]), out)
    with pytest.raises(ValueError, match="int64"):
        C.kept_sums(values.astype(np.int32), keep, np.array([0, 3]), out)
    with pytest.raises(ValueError, match="shares memory"):
        C.kept_sums(values, keep, np.array([0, 3]), values[:1])
    with pytest.raises(TypeError):
        C.kept_sums(values, None, np.array([0, 3]), out)
    C.kept_sums(np.array([5, 6, 7]), np.array([True, False, True]), np.array([0, 3]), out)
    assert out.tolist() == [12]
