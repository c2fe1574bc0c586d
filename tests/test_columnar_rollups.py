"""Roll-up rules (``for each r in T where count(children(r)) > 0: r.A = sum(children(r).B)``) read
as one comparison per parent row (fiscalrules.columnar.rollups): every roll-up of the bundled
rulesets is read so; the statuses, counts and findings are the per-record engine's and those of
the same rules read as loops, kernels on and off, on the cases that decide a roll-up (a parent's
cell missing or text, a child's missing or text -- the first in row order decides --, rows
without a code, codes out of order, figures printed to different decimals, tolerances, other
operators); the kernel ``gathered_sums`` gives the numpy code's sums and first stops and refuses
arguments that would read or write past an array."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records, kernel, rulebody  # noqa: E402
from fiscalrules.columnar.plan import Compiler  # noqa: E402
from fiscalrules.columnar.rollups import rollup_of  # noqa: E402
from fiscalrules.columnar.vectors import first_stop  # noqa: E402
from fiscalrules.evaluator import _tolerance  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

C = kernel.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C kernels do not run here: {kernel.why_not()}")

RULES = '''
unit 万元
precision 万元 0.01
field fn "功能分类": table(code "科目编码": text, total "合计": amount, basic: amount default 0,
                           project: amount, share: percent)
rule R1 "total": for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
rule R2 "basic, defaults": for each r in fn where count(children(r)) > 0: r.basic = sum(children(r).basic)
rule R3 "project, when" {
    when present(fn)
    assert for each r in fn where count(children(r)) > 0: r.project = sum(children(r).project)
}
rule R7 "not a roll-up (a tolerance widens the filter: 0 > 0 within 0.05 holds)" {
    assert for each r in fn where count(children(r)) > 0: r.project = sum(children(r).project) within 0.05
}
rule R8 "several columns": for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total) and r.project <= sum(children(r).total) and r.basic = sum(children(r).basic)
rule R4 "at least": for each r in fn where count(children(r)) > 0: r.total >= sum(children(r).project)
rule R5 "percent": for each r in fn where count(children(r)) > 0: r.share <= sum(children(r).share)
rule R6 "not a roll-up (another filter)": for each r in fn where count(children(r)) > 1: r.total = sum(children(r).total)
'''


def _rollups_of(ruleset) -> dict:
    """rule id → whether its assertion is read as a roll-up."""
    found = {}
    for compiled_rule in ruleset.rules:
        rule = compiled_rule.rule
        compiler = Compiler(compiled_rule.settings, _tolerance(rule.tolerance, compiled_rule.settings))
        found[rule.id] = rollup_of(compiler, rule.assertion) is not None
    return found


@pytest.mark.parametrize("name", ["budget_disclosure", "final_accounts"])
def test_every_roll_up_of_the_bundled_rulesets_is_read_as_one(name):
    ruleset = fiscalrules.load_ruleset(name)
    read = _rollups_of(ruleset)
    written = {r.rule.id for r in ruleset.rules if "count(children(" in repr(r.rule.assertion).replace(
        "Call(func='count', args=(Call(func='children'", "count(children(")}
    assert written and {rid for rid, yes in read.items() if yes} == written


def test_the_shapes_read_as_roll_ups():
    read = _rollups_of(fiscalrules.compile_rules(RULES))
    assert read == {"R1": True, "R2": True, "R3": True, "R4": True, "R5": True, "R6": False, "R7": False,
                    "R8": True}


def _row(code, total, basic=None, project=None, share=None):
    row = {} if code is None else {"code": code}
    for key, value in (("total", total), ("basic", basic), ("project", project), ("share", share)):
        if value is not None:
            row[key] = value
    return row


# each case: the table's rows of one record (None: no table), chosen to decide a roll-up each way
CASES = [
    [_row("201", "5.00", "2", "3.00", "10"), _row("20101", "2.00", "1", "1.00", "4"),
     _row("20102", "3.00", "1", "2.00", "6")],                                       # passes
    [_row("201", "5.00", project="3"), _row("20101", "2.004", project="1.5"), _row("20102", "3", project="1.50")],
    [_row("201", "5.01", project="3.06"), _row("20101", "2.00", project="1.00"), _row("20102", "3.00", project="2.00")],
    [_row("201", None, project="3"), _row("20101", "2.00", project="1"), _row("20102", "3.00", project="2")],
    [_row("201", "5.00"), _row("20101", None), _row("20102", "甲")],                  # missing, then text
    [_row("201", "5.00"), _row("20101", "乙"), _row("20102", None)],                  # text, then missing
    [_row("201", "甲"), _row("20101", None), _row("20102", "3.00")],                  # the parent first
    [_row("20102", "3.00"), _row("201", "5.00"), _row("20101", "2.00"), _row("2010101", "2.00")],  # out of order
    [_row("201", "5.00"), _row(None, "2.00"), _row("20101", "5.00"), _row("203", "1"), _row("20301", "1")],
    [_row("201", "5.00", project="1")],                                               # no children
    [],                                                                               # no rows
    None,                                                                             # no table
    [_row("201", "-5.00", "-1", "-2", "-3"), _row("20101", "-5.00", "-1", "-2.02", "-3.1")],
]


def _records(cases) -> list:
    records = []
    for i, rows in enumerate(cases):
        record = {"_meta": {"id": f"c{i}"}}
        if rows is not None:
            record["fn"] = rows
        records.append(record)
    return records


def _random_rows(rnd: random.Random) -> list:
    rows = []
    for klass in rnd.sample(["201", "202", "203"], rnd.randint(1, 3)):
        rows.append(_row(klass, _figure(rnd), _figure(rnd), _figure(rnd), _figure(rnd)))
        for k in range(rnd.randint(0, 3)):
            code = f"{klass}{k + 1:02d}"
            rows.append(_row(code, _figure(rnd), _figure(rnd), _figure(rnd), _figure(rnd)))
            for j in range(rnd.randint(0, 2)):
                rows.append(_row(f"{code}{j + 1:02d}", _figure(rnd), _figure(rnd), _figure(rnd), _figure(rnd)))
    rnd.shuffle(rows) if rnd.random() < 0.2 else None
    return rows


def _figure(rnd: random.Random):
    roll = rnd.random()
    if roll < 0.06:
        return None
    if roll < 0.1:
        return "文字"
    value = Decimal(rnd.randint(-50, 2000)) / 100
    return str(value) if rnd.random() < 0.8 else str(value.quantize(Decimal("0.1")))


def _both_ways(records, chunk_rows):
    """The reports with roll-ups read as roll-ups and as loops (kernels as they are): each of a
    fresh ruleset, whose plan is made under the switch."""
    flat = flatten_records(records, fiscalrules.compile_rules(RULES))
    read = []

    def counted(compiler, assertion):
        found = rollup_of(compiler, assertion)
        if found is None:
            return None

        def rollup(run, lst):
            out = found(run, lst)
            read.append(out is not None)
            return out
        return rollup

    saved = rulebody.rollup_of
    try:
        rulebody.rollup_of = counted
        fused = fiscalrules.compile_rules(RULES).evaluate_table(flat, chunk_rows=chunk_rows)
        rulebody.rollup_of = lambda compiler, assertion: None
        loops = fiscalrules.compile_rules(RULES).evaluate_table(flat, chunk_rows=chunk_rows)
    finally:
        rulebody.rollup_of = saved
    if any(r.get("fn") for r in records):
        assert any(read)          # (the roll-ups were read as such, where a chunk had rows)
    return fused, loops


def _assert_identical(a, b):
    for rid in a.rule_ids:
        assert a.counts[rid] == b.counts[rid], rid
        assert np.array_equal(a.statuses(rid), b.statuses(rid)), rid
    assert [(f.record, f.rule, f.item, f.status) for f in a.findings()] == \
        [(f.record, f.rule, f.item, f.status) for f in b.findings()]


@pytest.mark.parametrize("on", [True, False])
@pytest.mark.parametrize("chunk_rows", [1, 5, 100])
def test_the_cases_equal_per_record_and_as_loops(on, chunk_rows):
    ruleset = fiscalrules.compile_rules(RULES)
    records = _records(CASES)
    with kernel.use(on):
        assert_same(ruleset, flatten_records(records, ruleset), records, chunk_rows=chunk_rows)
        fused, loops = _both_ways(records, chunk_rows)
    _assert_identical(fused, loops)
    statuses = {f.item: f.status for f in fused.findings() if f.rule == "R1" and f.record == "c4"}
    assert statuses == {"201": "not_evaluable"}           # the missing child comes first
    assert [f.status for f in fused.findings() if f.rule == "R1" and f.record == "c5"] == ["error"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2 ** 32), size=st.integers(min_value=1, max_value=12))
def test_random_tables_equal_per_record_and_as_loops(seed, size):
    rnd = random.Random(seed)
    ruleset = fiscalrules.compile_rules(RULES)
    records = _records([_random_rows(rnd) if rnd.random() > 0.05 else None for _ in range(size)])
    for on in (True, False):
        with kernel.use(on):
            assert_same(ruleset, flatten_records(records, ruleset), records, chunk_rows=4)
            _assert_identical(*_both_ways(records, 4))


# ---- the kernel ------------------------------------------------------------------------------------

def _numpy_sums(values, index, starts):
    gathered = values[index]
    return np.array([gathered[lo:hi].sum() for lo, hi in zip(starts[:-1], starts[1:])], dtype=np.int64)


@needs_c
def test_gathered_sums_are_the_numpy_code_s():
    rnd = np.random.default_rng(5)
    for _ in range(30):
        m = int(rnd.integers(1, 40))
        values, halves = rnd.integers(-10 ** 12, 10 ** 12, m), rnd.integers(0, 10, m)
        miss, err = rnd.random(m) < 0.2, rnd.random(m) < 0.2
        index = rnd.integers(0, m, int(rnd.integers(0, 60)))
        starts = np.sort(np.r_[0, rnd.integers(0, len(index) + 1, int(rnd.integers(0, 10))), len(index)])
        groups = len(starts) - 1
        out, out_halves, stop = np.empty(groups, np.int64), np.empty(groups, np.int64), np.empty(groups, np.int8)
        C.gathered_sums(values, halves, miss, err, index, starts, out, out_halves, stop)
        assert out.tolist() == _numpy_sums(values, index, starts).tolist()
        assert out_halves.tolist() == _numpy_sums(halves, index, starts).tolist()
        owner = np.repeat(np.arange(groups), np.diff(starts))
        want_miss, want_err = first_stop(owner, groups, miss[index], err[index])
        want_miss = np.zeros(groups, bool) if want_miss is None else want_miss
        want_err = np.zeros(groups, bool) if want_err is None else want_err
        assert ((stop & 1) != 0).tolist() == want_miss.tolist() and ((stop & 2) != 0).tolist() == want_err.tolist()
        only_err = np.empty(groups, np.int8)       # one mask alone, no sums
        C.gathered_sums(None, None, None, err, index, starts, None, None, only_err)
        _, alone = first_stop(owner, groups, None, err[index])
        assert (only_err != 0).tolist() == (np.zeros(groups, bool) if alone is None else alone).tolist()


@needs_c
def test_gathered_sums_refuses_what_would_read_or_write_past_an_array():
    values, index, starts = np.arange(4, dtype=np.int64), np.array([0, 3, 1], np.int64), np.array([0, 2, 3], np.int64)
    out = np.empty(2, np.int64)

    def call(*, values=values, halves=None, miss=None, err=None, index=index, starts=starts, out=out,
             out_halves=None, stop=None):
        C.gathered_sums(values, halves, miss, err, index, starts, out, out_halves, stop)

    call()
    assert out.tolist() == [3, 1]
    refused = [
        dict(index=np.array([0, 4, 1], np.int64)),                     # an index past the values
        dict(index=np.array([0, -1, 1], np.int64)),
        dict(starts=np.array([0, 2, 4], np.int64)),                    # a group past the index
        dict(starts=np.array([0, 3, 2], np.int64)),                    # groups out of order
        dict(starts=np.array([-1, 2, 3], np.int64)),
        dict(out=np.empty(3, np.int64)),                               # lengths
        dict(out=values[:2]),                                          # an output over an input
        dict(out=None),                                                # values without out
        dict(halves=np.arange(3, dtype=np.int64), out_halves=np.empty(2, np.int64)),
        dict(halves=np.arange(4, dtype=np.int64)),                     # halves without out_halves
        dict(miss=np.zeros(3, bool), stop=np.empty(2, np.int8)),       # a mask of another length
        dict(miss=np.zeros(4, bool)),                                  # a mask without out_stop
        dict(miss=np.zeros(4, np.int8), stop=np.empty(2, np.int8)),    # not a bool mask
        dict(values=np.arange(4, dtype=np.int32)),                     # not int64
        dict(values=None, out=None),                                   # nothing to sum
    ]
    for bad in refused:
        with pytest.raises(ValueError):
            call(**bad)
    with pytest.raises(ValueError):                                # out_stop over out
        C.gathered_sums(values, None, np.zeros(4, bool), None, index, starts, out, None, out.view(np.int8)[:2])
