"""Benchmark: one rule over N budgets, every engine in one process, all flagging the same rows.

    python benchmarks/bench_batch.py [--rows 100000 1000000] [--repeat 5] [--per-record-max 100000]
                                     [--skip vtl-pandas ...] [--memory]

The rule is ``total = part_a + part_b + part_c`` within rounding, over N budgets printed to two
decimals (万元): parts and total are rounded from unrounded amounts, as a publisher prints them, so
most rows hold exactly or within rounding; ~1 % have a wrong total.  Engines:

* ``columnar``     -- ``Ruleset.evaluate_table`` over an Arrow table of decimal128(14, 2) columns;
* ``per-record``   -- ``Ruleset.evaluate_many`` over the same budgets as record mappings (skipped
  above ``--per-record-max`` rows: at 1 M it needs minutes and gigabytes -- see benchmarks/README);
* ``vtl-pandas`` / ``vtl-duckdb`` -- vtlengine (the ``bench`` extra) on integer cents, a ``calc``
  and ``filter`` of |total - (a + b + c)| > 2 cents;
* ``duckdb-sql``   -- the same filter as one DuckDB query over the Arrow table of integer cents;
* ``numpy``        -- the same on int64 arrays of cents;
* ``python``       -- a hand-written loop with Decimal.

Every engine's flagged rows are compared with the columnar engine's failing rows before any
figure is printed; a mismatch stops the benchmark.  Timings are medians of ``--repeat`` runs;
ratios are from those medians.  ``--memory`` runs the columnar engine alone in a child process
per size and reports its peak RSS beside the size of the input table.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

import fiscalrules  # noqa: E402

RULES = """
unit 万元
precision 万元 0.01
field total "合计": amount
field part_a: amount
field part_b: amount
field part_c: amount
rule SUM "合计等于各部分之和": total = part_a + part_b + part_c
"""


def make_cents(n: int, seed: int = 7):
    """Integer cents of (total, a, b, c): each rounded from a finer amount; ~1 % totals wrong."""
    rng = np.random.default_rng(seed)
    fine = rng.integers(0, 10_000_000_000, size=(3, n))          # in 0.0001 万元 (100 × cents)
    a, b, c = ((x + 50) // 100 for x in fine)                    # printed to the cent
    total = (fine.sum(axis=0) + 50) // 100
    wrong = rng.random(n) < 0.01
    total[wrong] += rng.integers(3, 1_000_000, size=int(wrong.sum())) * rng.choice([-1, 1], size=int(wrong.sum()))
    return total.astype(np.int64), a.astype(np.int64), b.astype(np.int64), c.astype(np.int64)


def decimal_table(cents):
    names = ("total", "part_a", "part_b", "part_c")
    arrays = []
    for column in cents:
        # decimal128(14, 2) from integer cents: the unscaled integer *is* the cent count.
        words = np.zeros(2 * len(column), dtype=np.int64)
        words[0::2] = column
        words[1::2] = column >> 63
        arrays.append(pa.Array.from_buffers(pa.decimal128(14, 2), len(column), [None, pa.py_buffer(words)]))
    return pa.table(arrays, names=list(names))


def cents_table(cents):
    total, a, b, c = cents
    return pa.table({"id": np.arange(len(total), dtype=np.int64), "total": total, "a": a, "b": b, "c": c})


# ---- engines -------------------------------------------------------------------------------------

def run_columnar(ruleset, table):
    return np.sort(ruleset.evaluate_table(table).failing("SUM"))


def run_per_record(ruleset, records):
    report = ruleset.evaluate_many(records)
    return np.array(sorted(int(f.record) for f in report.findings if f.status == "fail"), dtype=np.int64)


def per_record_inputs(cents):
    total, a, b, c = (x.tolist() for x in cents)
    return [{"_meta": {"id": str(i)}, "total": _text(t), "part_a": _text(x), "part_b": _text(y), "part_c": _text(z)}
            for i, (t, x, y, z) in enumerate(zip(total, a, b, c))]


def _text(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


def run_numpy(cents):
    total, a, b, c = cents
    return np.flatnonzero(np.abs(total - (a + b + c)) > 2)


def run_duckdb(connection):
    rows = connection.execute("select id from cents where abs(total - (a + b + c)) > 2").fetchnumpy()["id"]
    return np.sort(rows)


def run_python(cents):
    flagged = []
    allowance = Decimal("0.02")
    for i, (t, a, b, c) in enumerate(zip(*(x.tolist() for x in cents))):
        if abs(Decimal(t).scaleb(-2) - (Decimal(a).scaleb(-2) + Decimal(b).scaleb(-2) + Decimal(c).scaleb(-2))) > allowance:
            flagged.append(i)
    return np.array(flagged, dtype=np.int64)


VTL_SCRIPT = "DS_r <- DS_1[calc gap := total - (a + b + c)][filter abs(gap) > 2];"
VTL_STRUCTURE = {"datasets": [{"name": "DS_1", "DataStructure": [
    {"name": "id", "type": "Integer", "role": "Identifier", "nullable": False},
    *({"name": n, "type": "Integer", "role": "Measure", "nullable": True} for n in ("total", "a", "b", "c"))]}]}


def run_vtl(frame, duckdb_backend: bool):
    from vtlengine import run
    result = run(script=VTL_SCRIPT, data_structures=VTL_STRUCTURE, datapoints={"DS_1": frame},
                 use_duckdb=duckdb_backend)
    data = result["DS_r"].data
    if hasattr(data, "df"):  # a DuckDB relation
        data = data.df()
    return np.sort(np.asarray(data["id"], dtype=np.int64))


# ---- timing --------------------------------------------------------------------------------------

def timed(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def bench(n: int, args) -> dict:
    ruleset = fiscalrules.compile_rules(RULES)
    cents = make_cents(n)
    table = decimal_table(cents)
    engines = {"columnar": lambda: run_columnar(ruleset, table)}
    if n <= args.per_record_max and "per-record" not in args.skip:
        records = per_record_inputs(cents)
        engines["per-record"] = lambda: run_per_record(ruleset, records)
    if "python" not in args.skip and n <= args.per_record_max:
        engines["python"] = lambda: run_python(cents)
    frame = None
    for name, backend in (("vtl-pandas", False), ("vtl-duckdb", True)):
        if name in args.skip:
            continue
        try:
            import vtlengine  # noqa: F401
        except ImportError:
            print(f"  ({name} skipped: pip install '.[bench]')")
            continue
        if frame is None:
            frame = cents_table(cents).to_pandas()
        engines[name] = (lambda b: lambda: run_vtl(frame, b))(backend)
    if "duckdb-sql" not in args.skip:
        import duckdb
        connection = duckdb.connect()
        connection.register("cents", cents_table(cents))
        engines["duckdb-sql"] = lambda: run_duckdb(connection)
    engines["numpy"] = lambda: run_numpy(cents)

    results = {}
    reference = None
    for name, function in engines.items():
        repeat = args.repeat if name not in ("per-record", "python", "vtl-pandas") else max(1, args.repeat // 2)
        median, times, flagged = timed(function, repeat)
        if reference is None:
            reference = flagged
        elif not np.array_equal(np.asarray(flagged, dtype=np.int64), reference):
            raise SystemExit(f"{name} flags {len(flagged)} rows, the columnar engine {len(reference)}: not the same rows")
        results[name] = (median, times)
    print(f"\n{n:,} rows, {len(reference):,} flagged by every engine (same rows); medians of {args.repeat} runs "
          f"(per-record, python, vtl-pandas: {max(1, args.repeat // 2)})")
    columnar = results["columnar"][0]
    print(f"  {'engine':<12} {'median s':>10} {'rows/s':>14} {'columnar is':>14}   runs")
    for name, (median, times) in results.items():
        ratio = median / columnar
        runs = " ".join(f"{t:.4f}" for t in times)
        print(f"  {name:<12} {median:>10.4f} {n / median:>14,.0f} {ratio:>13.2f}×   {runs}")
    return results


def memory_child(n: int) -> None:
    """Run in a child: peak RSS while the columnar engine runs over n rows (sampled every
    millisecond), beside the RSS before the run and the input's size."""
    import threading
    ruleset = fiscalrules.compile_rules(RULES)
    run_columnar(ruleset, decimal_table(make_cents(10)))  # imports and plans, not counted
    table = decimal_table(make_cents(n))
    gc.collect()
    before = _rss_now()
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.wait(0.001):
            peak[0] = max(peak[0], _rss_now())
    sampler = threading.Thread(target=sample)
    sampler.start()
    run_columnar(ruleset, table)
    done.set()
    sampler.join()
    peak[0] = max(peak[0], _rss_now())
    print(f"{table.nbytes} {before} {peak[0]}")


def _rss_now() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory(n: int) -> None:
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(n)], capture_output=True, text=True,
                         check=True).stdout.split()
    size, before, peak = (int(x) for x in out)
    print(f"  memory at {n:,} rows: input table {size / 2**20:.1f} MiB; process RSS before {before / 2**20:.1f} MiB, "
          f"peak {peak / 2**20:.1f} MiB; the engine's working memory (peak - before) "
          f"{(peak - before) / 2**20:.1f} MiB = {(peak - before) / size:.2f}× the input table")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-record-max", type=int, default=100_000)
    parser.add_argument("--skip", nargs="*", default=[])
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    random.seed(0)
    for n in args.rows:
        bench(n, args)
        if args.memory:
            memory(n)


if __name__ == "__main__":
    main()
