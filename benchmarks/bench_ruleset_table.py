"""Benchmark: a bundled ruleset over generated records with their tables, columnar vs per record.

    python benchmarks/bench_ruleset_table.py [--ruleset budget_disclosure] [--distinct 200]
                                             [--records 100000] [--check 200] [--repeat 3] [--flat]

Generates ``--distinct`` records with ``fiscalrules.testing`` (rounded, consistent) and damages
them as the equivalence tests do (tests/test_columnar_tables.py), more lightly: ``--damage``
(0.5 %) of the cells changed by a cent or by a lot, sign-flipped, emptied, deleted or replaced by
text, as many table rows dropped, a quarter as many tables or groups removed (no duplicated rows:
a code printed twice makes a record unreadable); damage that would make a record unreadable
is drawn again (an unreadable record is read per record, and tiling would repeat it).  ``columnar.flatten_records`` makes them a record frame (one row
per record) and a long frame per table field (one row per table row, ``_record`` naming the
record); with ``--flat`` the tables are left out (the frame of ``fiscalrules.testing.tables``).
Columns holding only plain numbers are typed as decimal128, as a database or a Parquet file holds
amounts (``fiscalrules.testing.tables.typed_table``), but for the tables' row codes; with ``--text`` every cell stays text and is
read cell by cell; with ``--coded`` the text columns are dictionaries, as a Parquet file hands
them over (``check -r records.parquet`` reads them so).  ``--cache FILE`` keeps the generated records (pickled) for the next run.
Then:

* statuses: ``evaluate_table`` over the frames and ``evaluate_many`` over the records themselves
  must give every (rule, record) of the ``--check`` first records the same worst status and the
  same counts -- the benchmark stops otherwise;
* speed: the frames tiled to ``--records`` records (each copy with its own ids) through
  ``Ruleset.evaluate_table(records, tables=…)`` -- the whole ruleset, every status decided and
  counted, non-passing (rule, record) pairs kept -- in records/s (wall) and records per CPU-second
  (this process), medians of ``--repeat`` runs;
  making the findings of the non-passing records (``TableReport.findings()``, the per-record
  engine on those records) is timed separately over the first ``--check`` records;
* the per-record engine (``evaluate_many`` over the ``--check`` record mappings) for the ratio.

The statuses check covers the frames the speed test times too: the ``--check`` records typed
(decimal128) and, with ``--coded``, dictionary-coded the same way, given as frames (records the
frames cannot hold exactly, ``irregular``, are left out of that comparison), compared with the
per-record engine over the records those frames hold (``frames.frame_records``): a decimal128
column pads a whole percentage ``-8`` to ``-8.00`` where a damaged cell prints ``-8.01``, and
under ``precision % 1`` (as printed) that cell stands for ± 0.005, the record's ``-8`` for ± 0.5.

``--workers N`` (N > 1) also runs the speed test with ``evaluate_table(..., workers=N)`` (on
Linux this process and N - 1 workers forked from it by each run, else a pool of N started from a
fork server and stopped within each run, :mod:`fiscalrules.columnar.parallel`), each repeat
running one process and N in turn (which goes first alternates): records/s wall, the critical
path in CPU (the wall time were each process given a core: on a loaded machine the wall time
says little), records per CPU-second of the
parent and its workers together (a worker's CPU as it reports it; forked workers are this
process's children, so ``RUSAGE_CHILDREN`` counts them too, fork-server workers are not), and
the ratios to the one-process runs of the same repeats; an input of one chunk runs in this
process, and the line says so.  The parallel report's statuses are compared with the
one-process report's over every record, and the statuses check above runs on workers too (the
checked records in chunks of a few records).  ``--trace`` prints the phases of the last run on
workers in each process (wall, CPU, page faults: ``fiscalrules.columnar.parallel.TRACE``).

``--baseline`` (default 182 records/s: the whole budget ruleset through ``evaluate_table`` before
tables ran on columns, benchmarks/README.md) gives the speed-up against that engine.
"""

from __future__ import annotations

import argparse
import copy
import os
import pickle
import random
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import pyarrow as pa  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from fiscalrules.findings import STATUS_RANK  # noqa: E402
from fiscalrules.frames import frame_records  # noqa: E402
from fiscalrules.records import load_record  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.damage import damage  # noqa: E402
from fiscalrules.testing.tables import flatten_record, typed_table  # noqa: E402

# A table's row codes stay text in the typed frames, as a database holds identifiers: a damaged
# code (20101.01) is a code as text, but no code as a number -- the record would be unreadable,
# read per record and repeated by the tiling (the damage is drawn so that records stay readable).
CODES_AS_TEXT = ("code",)
CODES = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")

def tiled(base, long_frames: dict, copies: int):
    """The record frame *base* and its long frames repeated *copies* times, every record with its
    own id (``c<copy>-<id>``) and every table row naming it."""
    ids = base.column("_meta.id").to_pylist()
    frames = []
    for c in range(copies):
        frames.append(base.set_column(base.column_names.index("_meta.id"), "_meta.id",
                                      pa.array([f"c{c}-{i}" for i in ids], pa.string())))
    records = pa.concat_tables(frames).combine_chunks()
    tables = {}
    for path, long in long_frames.items():
        parts = []
        for c in range(copies):
            keys = pa.array([f"c{c}-{i}" for i in long.column("_record").to_pylist()], pa.string())
            parts.append(long.set_column(long.column_names.index("_record"), "_record", keys))
        tables[path] = pa.concat_tables(parts).combine_chunks()
    return records, tables


def coded(table):
    """*table* with its text columns as dictionaries, but for the record ids and keys (which
    ``tiled`` rewrites)."""
    columns = [column.dictionary_encode() if pa.types.is_string(column.type) and name not in ("_meta.id", "_record")
               else column for name, column in zip(table.column_names, table.columns)]
    return pa.table(columns, names=table.column_names)


def worst_statuses(report, rules, n):
    index = {info.id: i for i, info in enumerate(report.records)}
    worst = {rule.id: [None] * n for rule in rules}
    for f in report.findings:
        row = index[f.record]
        if worst[f.rule][row] is None or STATUS_RANK[f.status] < STATUS_RANK[worst[f.rule][row]]:
            worst[f.rule][row] = f.status
    return worst


def median_time(function, repeat):
    """(median wall seconds, wall seconds of each run, CPU seconds of each run): on a shared
    machine the CPU time (this process, all its threads) is the figure to compare."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), times, cpu


def parallel_runs(args, ruleset, whole, frame, tables, report):
    """``--workers``: each repeat one process, then the workers; prints the workers' figures and
    their ratios to the one-process runs, checks their statuses, and returns the one-process
    (median wall, walls, CPUs) for the lines that follow."""
    from fiscalrules.columnar import parallel as parallel_module
    from fiscalrules.columnar.parallel import Workers
    n = frame.num_rows
    times, cpu, p_times, p_cpu, p_children, p_path = [], [], [], [], [], []
    started = []   # how many workers each run started (none: the input was one chunk, run here)

    def one():
        start, start_cpu = time.perf_counter(), time.process_time()
        whole()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)

    def on_workers():
        if args.trace:   # (the phases of this run only: parallel.print_trace below)
            parallel_module.TRACE = []
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, start_cpu = time.perf_counter(), time.process_time()
        with Workers(args.workers) as pool:   # started (forked) and stopped within the run
            report["p"] = ruleset.evaluate_table(frame, tables=tables, workers=pool)
        p_times.append(time.perf_counter() - start)
        own = time.process_time() - start_cpu
        p_cpu.append(own + sum(pool.cpu.values()))
        # The run's wall time were each process given a core of its own: the caller's CPU (it
        # evaluates chunks too), or its CPU until it forked plus the slowest worker's if longer.
        before = (pool.forked_at - start_cpu) if pool.forked_at is not None else own
        p_path.append(max(own, before + max(pool.cpu.values(), default=0)))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        p_children.append(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime)
        started.append((len(pool.pids()), bool(pool.last_forked)))

    for repeat in range(args.repeat):   # interleaved, each first in turn (the load changes)
        for run in ((one, on_workers) if repeat % 2 == 0 else (on_workers, one)):
            run()
    if args.trace:
        print("the phases of the last run on workers (wall and CPU in s, minor page faults):")
        parallel_module.print_trace(parallel_module.TRACE)
        parallel_module.TRACE = None
    single, parallel = report["r"], report["p"]
    differ = [rid for rid in single.rule_ids if not (single.statuses(rid) == parallel.statuses(rid)).all()
              or single.counts[rid] != parallel.counts[rid]]
    if differ or single.errors != parallel.errors or single.explain() != parallel.explain():
        raise SystemExit(f"the report on {args.workers} workers differs from the one-process report: {differ[:5]}")
    wall, wall_p = statistics.median(times), statistics.median(p_times)
    c, c_p = statistics.median(cpu), statistics.median(p_cpu)
    processes, forked = started[-1]
    if processes == 0:   # (evaluate_table runs an input of one chunk in the calling process)
        how = f"asked for {args.workers} workers, but one chunk: ran in this process, no worker started"
    else:
        how = (f"on {processes + 1} processes (this one and {processes} forked from it by each run)" if forked else
               f"on {processes} workers (pool started from a fork server and stopped in each run)")
    print(f"{how}, {n:,} records: {wall_p:.2f} s = "
          f"{n / wall_p:,.0f} records/s wall (runs {' '.join(f'{t:.2f}' for t in p_times)}), "
          f"{wall / wall_p:.2f}× one process's {n / wall:,.0f} in the same repeats; CPU, parent and workers, "
          f"{c_p:.2f} s median = {n / c_p:,.0f} records per CPU-s (runs {' '.join(f'{t:.2f}' for t in p_cpu)}), "
          f"{c / c_p:.2f}× one process's {n / c:,.0f}; reaped children's CPU (RUSAGE_CHILDREN, the forked workers) "
          f"{' '.join(f'{t:.2f}' for t in p_children)} s; critical path in CPU (the caller's CPU, or "
          f"its CPU until it forked + the slowest worker's: the wall time with a core per process) {statistics.median(p_path):.2f} s median "
          f"(runs {' '.join(f'{t:.2f}' for t in p_path)}) = {c / statistics.median(p_path):.2f}× one process's CPU; "
          "statuses, counts, errors and explain identical to the one-process report")
    return wall, times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ruleset", default="budget_disclosure")
    parser.add_argument("--distinct", type=int, default=200)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--check", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--text", action="store_true", help="keep every column as text")
    parser.add_argument("--coded", action="store_true", help="text columns as dictionaries (as Parquet gives them)")
    parser.add_argument("--cache", help="a file keeping the generated records between runs")
    parser.add_argument("--damage", type=float, default=0.005, help="share of cells damaged")
    parser.add_argument("--flat", action="store_true", help="leave the tables out (one flat frame)")
    parser.add_argument("--baseline", type=float, default=182.0, help="records/s of the engine compared with")
    parser.add_argument("--workers", type=int, default=1, help="also run on this many worker processes")
    parser.add_argument("--trace", action="store_true",
                        help="with --workers: print each process's phases of the last run (forked workers)")
    args = parser.parse_args()
    ruleset = fiscalrules.load_ruleset(args.ruleset)
    rules = ruleset.rules
    rnd = random.Random(11)
    start = time.perf_counter()
    records = []
    generated = None
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, "rb") as handle:
            generated = pickle.load(handle)[:args.distinct]
    if generated is None or len(generated) < args.distinct:
        generated = [generate_record(ruleset, rnd=rnd, rounded=True) for _ in range(args.distinct)]
        if args.cache:
            with open(args.cache, "wb") as handle:
                pickle.dump(generated, handle)
    for i in range(args.distinct):
        for _ in range(10):  # damage leaving the record readable: an unreadable record is read
            # per record, and tiling would repeat it
            record = damage(copy.deepcopy(generated[i]), rnd, args.damage, duplicate_rows=False)
            try:
                load_record(record)
                break
            except fiscalrules.FiscalRulesError:
                record = copy.deepcopy(generated[i])
        record.setdefault("_meta", {})["id"] = f"r{i}"
        if args.flat:  # what a flat frame can say: the figures, no tables
            flat_values = flatten_record(record)
            record = {"_meta": record["_meta"]}
            for path, value in flat_values.items():
                node = record
                *parents, leaf = path.split(".")
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
        records.append(record)
    flat = flatten_records(records, ruleset)
    rows = sum(t.num_rows for t in flat.tables.values())
    print(f"{args.distinct} records generated and damaged in {time.perf_counter() - start:.1f} s: "
          f"{flat.records.num_columns} columns, {len(flat.tables)} tables of {rows / args.distinct:.1f} rows "
          f"per record; {int(flat.irregular.sum())} irregular records")
    print("rules on columns:", sum(1 for line in ruleset.explain().splitlines() if line.endswith("\tcolumnar")),
          "of", len(rules))

    # statuses: identical on the checked records (the records themselves vs their frames)
    check = records[:args.check]
    small = flatten_records(check, ruleset)
    if args.workers > 1:  # chunks of a few records, so that the workers run them
        result = ruleset.evaluate_table(small, workers=args.workers, chunk_rows=max(1, -(-len(check) // 4)))
    else:
        result = ruleset.evaluate_table(small)
    t0 = time.perf_counter()
    reference = ruleset.evaluate_many(check)
    t_many = time.perf_counter() - t0
    worst = worst_statuses(reference, rules, len(check))
    mismatches = sum(1 for rule in rules for row, code in enumerate(result.statuses(rule.id))
                     if code != 255 and CODES[code] != worst[rule.id][row])
    counts = reference.counts()
    if mismatches or any(result.summary()["total"][s] != counts.get(s, 0) for s in CODES):
        raise SystemExit(f"{mismatches} (rule, record) statuses differ between the engines")
    # ... and on the frames as the speed test gives them (decimal128, dictionaries with --coded)
    typed_base, typed_long = small.records, small.tables
    if not args.text:
        typed_base, typed_long = typed_table(typed_base), {p: typed_table(t, text=CODES_AS_TEXT) for p, t in typed_long.items()}
    if args.coded:
        typed_base, typed_long = coded(typed_base), {p: coded(t) for p, t in typed_long.items()}
    typed = ruleset.evaluate_table(typed_base, tables=typed_long)
    held = [row for row in range(len(check)) if not small.irregular[row]]
    worst_typed = worst
    if not args.text:   # the per-record engine over the records as the typed frames hold them
        # (a decimal128 column pads ``-8`` to ``-8.00``: under ``precision % 1``, as printed, the
        # cell then stands for ± 0.005, where the record's ``-8`` stands for ± 0.5)
        typed_records = list(frame_records(typed_base, ruleset.checked.fields, ruleset.checked.labels,
                                           tables=typed_long))
        worst_typed = worst_statuses(ruleset.evaluate_many(typed_records), rules, len(check))
    typed_mismatches = sum(1 for rule in rules for row, code in enumerate(typed.statuses(rule.id))
                           if row in held and code != 255 and CODES[code] != worst_typed[rule.id][row])
    if typed_mismatches or sorted(info.id for info in typed.errors) != sorted(info.id for info in result.errors
                                                                              if info.id in {check[r]["_meta"]["id"] for r in held}):
        raise SystemExit(f"{typed_mismatches} (rule, record) statuses differ between the engines on the "
                         f"{'coded' if args.coded else 'text' if args.text else 'typed'} frames")
    print(f"statuses and counts identical on {len(check)} records × {len(rules)} rules "
          f"({len(result.errors)} unreadable records in both), statuses also on the "
          f"{'coded' if args.coded else 'text' if args.text else 'typed'} frames of {len(held)} of them; explain: "
          + "; ".join(f"{rid}: {e}" for rid, e in sorted(result.engines.items()) if e != "columnar")[:300])
    t0 = time.perf_counter()
    made = sum(1 for _ in result.findings())
    t_findings = time.perf_counter() - t0

    copies = -(-args.records // args.distinct)
    base, long_frames = flat.records, flat.tables
    if not args.text:
        base = typed_table(base)
        long_frames = {path: typed_table(long, text=CODES_AS_TEXT) for path, long in long_frames.items()}
    if args.coded:
        base, long_frames = coded(base), {path: coded(long) for path, long in long_frames.items()}
    frame, tables = tiled(base, long_frames, copies)
    texts = sum(pa.types.is_string(t.column(c).type) or pa.types.is_dictionary(t.column(c).type)
                for t in (frame, *tables.values()) for c in t.column_names)
    print(f"{texts} of {frame.num_columns + sum(t.num_columns for t in tables.values())} columns read as text")
    n = frame.num_rows
    del records
    report = {}

    def whole():
        report["r"] = ruleset.evaluate_table(frame, tables=tables)

    input_mib = (frame.nbytes + sum(t.nbytes for t in tables.values())) / 2 ** 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.workers > 1:
        t_col, runs, cpu_runs = parallel_runs(args, ruleset, whole, frame, tables, report)
    else:
        t_col, runs, cpu_runs = median_time(whole, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: input frames {input_mib:,.0f} MiB; peak RSS {before:,.0f} MiB before the runs, {peak:,.0f} MiB "
          f"after (the process also holds the generated records and the reference run)")
    total = report["r"].summary()["total"]
    print(f"whole ruleset ({len(rules)} rules) through evaluate_table, {n:,} records "
          f"({sum(t.num_rows for t in tables.values()):,} table rows): {t_col:.2f} s = {n / t_col:,.0f} records/s "
          f"(runs {' '.join(f'{t:.2f}' for t in runs)}); CPU {statistics.median(cpu_runs):.2f} s median = "
          f"{n / statistics.median(cpu_runs):,.0f} records per CPU-s, best {n / min(cpu_runs):,.0f} "
          f"(runs {' '.join(f'{t:.2f}' for t in cpu_runs)}); findings {sum(total[c] for c in CODES):,}: "
          + ", ".join(f"{c} {total[c]:,}" for c in CODES))
    print(f"evaluate_many over {len(check)} records: {t_many:.2f} s = {len(check) / t_many:,.0f} records/s; "
          f"columnar is {(n / t_col) / (len(check) / t_many):,.0f}× faster; "
          f"{(n / t_col) / args.baseline:,.0f}× the baseline {args.baseline:,.0f} records/s")
    print(f"findings of the non-passing records made on demand, {len(check)} records: {made:,} findings "
          f"in {t_findings:.2f} s")


if __name__ == "__main__":
    main()
