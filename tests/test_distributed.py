"""The columnar plan on a local Dask cluster: identical results to the single-machine run."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import fiscalrules
from fiscalrules.columnar.distributed import evaluate_dask


def _libraries():
    """pandas, dask.dataframe, distributed and numpy, imported by the tests that use them (skipped
    where one is missing) rather than when this module is collected: every xdist worker collects
    every module, and importing dask and distributed costs a worker ~1.6 CPU-s whether or not it
    runs these two tests."""
    return (pytest.importorskip("pandas"), pytest.importorskip("dask.dataframe"),
            pytest.importorskip("distributed"), pytest.importorskip("numpy"))


RULES = '''
unit 万元
precision 万元 0.01
field total "合计": amount
field a: amount
field b: amount default 0
field name: text
rule SUM: total = a + b
rule POS { when present(b) assert b >= 0 }
rule NAME: name != ""
'''


def _frame(n: int):
    """A pandas DataFrame of *n* seeded rows: some totals a cent or three off, missing cells, a bad number."""
    pd = pytest.importorskip("pandas")
    rnd = random.Random(3)
    rows = []
    for i in range(n):
        a, b = Decimal(rnd.randint(0, 10**6)).scaleb(-2), Decimal(rnd.randint(-10, 10**6)).scaleb(-2)
        total = a + b + (Decimal("0.01") * rnd.choice([0, 0, 0, 1, 3]))
        rows.append({"合计": str(total) if rnd.random() > 0.02 else None, "a": str(a),
                     "b": str(b) if rnd.random() > 0.1 else None,
                     "name": rnd.choice(["x", "", None]) if i % 5 else "1e5"})
    return pd.DataFrame(rows)


def test_local_cluster_gives_the_single_machine_results():
    _pd, dd, distributed, np = _libraries()
    frame = _frame(3000)
    single = fiscalrules.compile_rules(RULES).evaluate_table(frame)
    # The two worker processes are forked from one server process that imported distributed, dask,
    # pandas and numpy once, rather than each started from nothing ("spawn", distributed's default)
    # importing them all again: the test with every process it starts 7.5 -> 5.6 CPU-s.  They are
    # still processes of their own, started from a single-threaded server (not a fork of this one),
    # importing fiscalrules themselves, with the tasks and results pickled between them as before.
    import dask
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        result = evaluate_dask(RULES, dd.from_pandas(frame, npartitions=5), text=True)
    assert result.rows == single.rows == 3000
    for rid in single.rule_ids:
        assert np.array_equal(result.statuses(rid), single.statuses(rid)), rid
        assert result.counts[rid] == single.counts[rid], rid
    assert len(result.failing("SUM")) > 0
    assert result.unreadable == len(single.errors) > 0  # "1e5" is refused by the record loader


def test_a_cluster_without_workers_times_out_with_our_error():
    # A cluster whose workers never start used to leave evaluate_dask waiting for ever.
    _pd, dd, distributed, _np = _libraries()
    frame = dd.from_pandas(_frame(20), npartitions=2)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        with pytest.raises(fiscalrules.FiscalRulesError) as raised:
            evaluate_dask(RULES, frame, text=True, timeout=1.5)
    assert raised.value.code == "E700"
    assert "0 workers" in raised.value.message
