"""Benchmark: peak memory of `fiscalrules check` over growing batches of extracted records.

    python benchmarks/bench_memory.py [--records 200 1000 5000] [--formats jsonl json] [--small]
                                      [--engines record columnar] [--files K] [--no-localise]

Writes N copies of the example disclosure's extracted record (examples/bureau_2025.record.json,
each with its own id and one figure changed so that findings differ) to a JSON Lines file, then
runs ``fiscalrules check budget_disclosure -r FILE --format F -o /dev/null`` in a child process
per (N, format) and reports its peak RSS (``wait4``) and time.  With ``--format jsonl`` (and csv,
parquet) findings are written as each record is evaluated and only counts are kept, so the peak
should not grow with N beyond the input file itself (which the record reader still reads whole);
``--format json`` keeps the whole report, for comparison.

``--small`` uses small records instead (two amounts and a two-row table, about 120 bytes each, a
two-rule ruleset), as issue 12's bound is stated (100k records within 10× the input plus a
constant): the last column is (peak − the peak for one record) / file size.

``--table-rows N …`` measures one record holding one big table instead: N rows of a three-level
classification (``{"code": "1000001", "x": "334.82"}``, about 35 bytes a row; every eleventh row
a parent whose amount is the sum of its children, one parent in a thousand off), one JSON file,
through the per-record engine with the small ruleset (``--format jsonl``; ``--no-localise``
passed on if given).  Each line gives the peak RSS, wall and CPU seconds (``wait4``; wall is
noisy on a shared machine), peak / file size and (peak - the constant) / file size, the constant
being the peak for a one-row table: the interpreter, the libraries and the ruleset before any
table is read (the first line).  ``--table-rows 100000 300000 1000000`` is issue 12's bound.

``--engines record columnar`` runs each (N, format) with ``check --engine`` each of them (the
columnar engine needs a streamed format; it writes the same findings without the passes) and
prints the CPU time of the child (user + system, from ``wait4``) beside the wall time: on a
shared machine the CPU time is the figure to compare.  ``--files K`` splits the records over K
files (the record reader takes at most 200 MB per file, and reads each file whole).

``--parquet N`` is issue 10's million-record run: N extracted budget records with their tables
(``fiscalrules.testing``: ``--distinct`` records generated, each also in ``--variants`` damaged
copies, records drawn from them with ``--faults`` of them damaged, every one with its own id), as
one Parquet file under ``--data`` (default the system's temporary folder; several GB for a million:
check ``df -h``), each table field a column of nested rows (docs/columnar.md), written in row
groups.  Then ``/usr/bin/time``'s figures for ``fiscalrules check budget_disclosure -r FILE
--engine columnar --format parquet -o OUT --statuses fail,error,not_evaluable --no-localise``: peak
RSS, CPU (user + system, ``wait4``), records per CPU-second, the output's findings; and the
statuses of a sample (``--sample`` records, the damaged ones first) against ``evaluate_many``
over the same records.  ``--keep`` leaves the data file for the next run (it is reused when its
record count matches).  ``--jobs N`` passes ``--jobs N`` to ``check``: its worker processes
(forked by ``check`` on Linux, each sharing its memory copy-on-write; elsewhere children of a fork
server) hold memory of their own, so the peak is then also given for the whole process tree (each
process's PSS sampled every 0.2 s, plus any chunk files in ``/dev/shm``).  ``--all-statuses``
leaves ``--statuses`` out: every finding but the passes written, not_applicable ones included.

The peak memory of the columnar engine over a 1 M-row table is measured by
``benchmarks/bench_batch.py --memory``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RECORD = os.path.join(ROOT, "examples", "bureau_2025.record.json")


def write_records(path: str, n: int) -> int:
    with open(RECORD, encoding="utf-8") as handle:
        base = json.load(handle, parse_float=Decimal)
    income = base.get("income", {}).get("total")
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            base.setdefault("_meta", {})["id"] = f"dept-{i}"
            if isinstance(income, dict) and "value" in income:  # vary one figure: findings differ by record
                income["value"] = str(Decimal(str(income["value"])) + Decimal(i % 3))
            out.write(json.dumps(base, ensure_ascii=False, default=str) + "\n")
    return os.path.getsize(path)


SMALL_RULES = ("unit 万元\nfield a: amount\nfield b: amount\nfield t: table(code: text, x: amount)\n"
               "rule R: a = b\nrule T: for each r in t where count(children(r)) > 0: r.x = sum(children(r).x)\n")


def write_small_records(path: str, n: int) -> int:
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):   # every third record fails R: findings differ by record
            record = {"_meta": {"id": f"r{i}"}, "a": f"{i}.50", "b": f"{i + (i % 3 == 0)}.50",
                      "t": [{"code": "208", "x": "3.00"}, {"code": "20805", "x": "3.00"}]}
            out.write(json.dumps(record) + "\n")
    return os.path.getsize(path)


def write_table_record(path: str, n: int) -> int:
    """One record whose table ``t`` has *n* rows: codes of 3, 5 and 7 digits (100 -> 10000 ->
    1000000 ...), each parent the sum of its children but one in a thousand; returns the file size."""
    rng = random.Random(5)
    rows: list = []
    top = 100
    while len(rows) < n and top < 1000:
        middles, total = [], 0
        for m in range(100):
            leaves = [rng.randrange(1, 100_000) for _ in range(10)]
            middles.append((f"{top}{m:02d}", sum(leaves), [(f"{top}{m:02d}{k:02d}", v) for k, v in enumerate(leaves)]))
            total += sum(leaves)
        rows.append((str(top), total))
        for code, amount, leaves in middles:
            rows.append((code, amount + (100 if rng.random() < 0.001 else 0)))
            rows.extend(leaves)
        top += 1
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"_meta": {"id": "big"}, "a": "1.00", "b": "1.00", "t": [\n')
        out.write(",\n".join(f'{{"code": "{c}", "x": "{v // 100}.{v % 100:02d}"}}' for c, v in rows[:n]))
        out.write("\n]}\n")
    return os.path.getsize(path)



def run(args: list, tree: dict | None = None) -> tuple:
    """(peak RSS, wall s, exit code, CPU s) of the child running *args*.  With *tree* (a dict),
    the process tree's memory is also sampled (:func:`sample_tree`) into it while it runs."""
    import threading
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()
    sampler = None
    if tree is not None:
        sampler = threading.Thread(target=sample_tree, args=(process.pid, done, tree), daemon=True)
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    if sampler is not None:
        sampler.join()
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss * 1024, elapsed, process.returncode, usage.ru_utime + usage.ru_stime


def _memory_of(pid: int) -> int:
    """A process's proportional set size (shared pages split among the processes mapping them:
    the chunk files the workers map count once), its RSS where smaps_rollup cannot be read."""
    return _kib(f"/proc/{pid}/smaps_rollup", "Pss:") or _kib(f"/proc/{pid}/status", "VmRSS:")


def _kib(path: str, key: str) -> int:
    """Bytes of the ``key  N kB`` line of a /proc file (0 when it cannot be read)."""
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_of(root: int) -> list:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def sample_tree(root: int, done, out: dict) -> None:
    """Every 0.2 s until *done*: the memory of *root* and of all its descendants (worker
    processes of ``--jobs``, forked by a fork server that *root* started), and the files in
    /dev/shm (chunk files written but not mapped count nowhere else); keeps the peak of the sum,
    and each descendant's CPU seconds as last seen."""
    out.update(peak=0, parent=0, processes=0, shm=0, cpu={})
    ticks = os.sysconf("SC_CLK_TCK")
    while not done.wait(0.2):
        pids = _tree_of(root)
        sizes = [_memory_of(pid) for pid in pids]
        for pid in pids[1:]:   # the descendants' CPU as last seen (wait4 counts none of them)
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                out["cpu"][pid] = (int(fields[11]) + int(fields[12])) / ticks
            except (OSError, IndexError, ValueError):
                continue
        shm = 0
        if os.path.isdir("/dev/shm"):
            for folder, _, files in os.walk("/dev/shm"):
                if os.path.basename(folder).startswith("fiscalrules-columnar-"):
                    shm += sum(os.path.getsize(os.path.join(folder, f)) for f in files
                               if os.path.exists(os.path.join(folder, f)))
        total = sum(sizes) + shm
        if total > out["peak"]:
            out.update(peak=total, parent=sizes[0], processes=len(pids), shm=shm)


def split(path: str, n: int, files: int, writer) -> tuple:
    """The records written over *files* files (path-0.jsonl, …): (paths, total size)."""
    if files <= 1:
        return [path], writer(path, n)
    paths, size = [], 0
    for k in range(files):
        part = path.replace(".jsonl", f"-{k}.jsonl")
        size += writer(part, n // files + (1 if k < n % files else 0))
        paths.append(part)
    return paths, size


def table_rows(counts: list, exe: list, extra: list) -> None:
    """One record with a table of N rows per line; the constant is the peak of a one-row table
    (the interpreter, the libraries and the ruleset before any table is read)."""
    print(f"{'rows':>9} {'file MiB':>9} {'peak RSS MiB':>13} {'wall s':>7} {'CPU s':>7} {'peak/file':>10}"
          f"  (peak-base)/file")
    with tempfile.TemporaryDirectory() as folder:
        rules = os.path.join(folder, "small.rules")
        with open(rules, "w", encoding="utf-8") as handle:
            handle.write(SMALL_RULES)
        base = None
        for n in [1] + counts:
            path = os.path.join(folder, f"table-{n}.json")
            size = write_table_record(path, n)
            peak, elapsed, code, cpu = run(exe + ["check", rules, "-r", path, "--format", "jsonl", "-o", os.devnull,
                                                  "--fail-on", "never", *extra])
            base = peak if base is None else base
            print(f"{n:>9} {size / 2**20:>9.1f} {peak / 2**20:>13.1f} {elapsed:>7.1f} {cpu:>7.1f} {peak / size:>10.1f}  "
                  f"{(peak - base) / size:15.1f}" + ("  (the constant)" if n == 1 and counts else "")
                  + (f"  (exit {code})" if code else ""), flush=True)
            os.remove(path)


WRITTEN = ("fail", "error", "not_evaluable")


def parquet_records(path: str, n: int, distinct: int, variants: int, faults: float, cache: str | None) -> tuple:
    """Write *n* records with their tables to *path* (see the module doc); returns the record
    mappings drawn from (generated, then damaged variants) and each written record's index into them."""
    import copy
    import pickle

    import numpy as np
    import pyarrow.parquet as pq

    import fiscalrules
    from fiscalrules.columnar import flatten_records
    from fiscalrules.columnar.nested import to_nested
    from fiscalrules.records import load_record
    from fiscalrules.testing import generate_record
    from fiscalrules.testing.damage import damage
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    rnd = random.Random(7)
    generated = None
    if cache and os.path.exists(cache):
        with open(cache, "rb") as handle:
            generated = pickle.load(handle)[:distinct]
    if generated is None or len(generated) < distinct:
        generated = [generate_record(ruleset, rnd=rnd, rounded=True) for _ in range(distinct)]
        if cache:
            with open(cache, "wb") as handle:
                pickle.dump(generated, handle)
    pool = [copy.deepcopy(r) for r in generated]
    rnd = random.Random(8)   # the damage drawn alike whether the records were generated or cached
    for base in generated:  # damaged copies that stay readable (an unreadable record is one error)
        for _ in range(variants):
            for _ in range(10):
                record = damage(copy.deepcopy(base), rnd, 0.01, duplicate_rows=False)
                try:
                    load_record(record)
                    break
                except fiscalrules.FiscalRulesError:
                    continue
            pool.append(record)
    for i, record in enumerate(pool):
        record.setdefault("_meta", {})["id"] = f"p{i}"
    nested = to_nested(flatten_records(pool, ruleset))
    rng = np.random.default_rng(3)
    draws = rng.integers(0, distinct, n)
    damaged = rng.random(n) < faults
    draws[damaged] = distinct + draws[damaged] * variants + rng.integers(0, variants, int(damaged.sum()))
    if os.path.exists(path) and pq.ParquetFile(path).metadata.num_rows == n:
        return pool, draws
    ids = nested.column_names.index("_meta.id")
    group = 8192
    writer = None
    try:
        for start in range(0, n, group):
            part = nested.take(draws[start:start + group])
            part = part.set_column(ids, "_meta.id", pa_strings([f"dept-{i}" for i in range(start, start + len(part))]))
            if writer is None:
                writer = pq.ParquetWriter(path, part.schema, compression="zstd")
            writer.write_table(part)
    finally:
        if writer is not None:
            writer.close()
    return pool, draws


def pa_strings(values: list):
    import pyarrow as pa
    return pa.array(values, pa.string())


def million(args, exe: list) -> None:
    """``--parquet N``: the data set, the run of ``check`` and the sample's statuses."""
    import collections

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    import fiscalrules
    folder = args.data or tempfile.gettempdir()
    path = os.path.join(folder, f"fiscalrules-records-{args.parquet}.parquet")
    out = os.path.join(folder, f"fiscalrules-findings-{args.parquet}.parquet")
    start = time.process_time()
    pool, draws = parquet_records(path, args.parquet, args.distinct, args.variants, args.faults, args.cache)
    meta = pq.ParquetFile(path).metadata
    print(f"{args.parquet:,} records ({args.distinct} generated, {args.variants} damaged copies of each, "
          f"{args.faults:.1%} of records drawn damaged) in {path}: {os.path.getsize(path) / 2**20:,.0f} MiB, "
          f"{meta.num_row_groups} row groups, {meta.num_columns} leaf columns; "
          f"made in {time.process_time() - start:.0f} s CPU", flush=True)
    command = exe + ["check", "budget_disclosure", "-r", path, "--engine", "columnar", "--format", "parquet",
                     "-o", out, *([] if args.all_statuses else ["--statuses", ",".join(WRITTEN)]),
                     "--no-localise", "--fail-on", "never"]
    if args.jobs != 1:
        command += ["--jobs", str(args.jobs)]
    print("$ " + " ".join(command[2:] if command[:2] == [sys.executable, "-m"] else command), flush=True)
    tree: dict = {}
    peak, elapsed, code, cpu = run(command, tree)
    if args.jobs != 1:  # (forked workers are reaped by check: wait4's CPU below counts them)
        print(f"with --jobs {args.jobs}: peak of the process tree (PSS of check and its workers, sampled every "
              f"0.2 s, plus chunk files in /dev/shm) {tree['peak'] / 2**20:,.0f} MiB: check "
              f"{tree['parent'] / 2**20:,.0f} MiB, {tree['processes']} processes, chunk files "
              f"{tree['shm'] / 2**20:,.0f} MiB; CPU of the workers (as last sampled) "
              f"{sum(tree['cpu'].values()):,.1f} s, within check's own below", flush=True)
    written = pq.read_table(out, columns=["record", "rule", "item", "status"])
    print(f"peak RSS {peak / 2**20:,.0f} MiB; CPU {cpu:,.0f} s (wall {elapsed:,.0f} s, noisy) = "
          f"{args.parquet / cpu:,.0f} records per CPU-second; exit {code}; {written.num_rows:,} findings written "
          f"({os.path.getsize(out) / 2**20:,.1f} MiB): "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(collections.Counter(
              written.column("status").to_pylist()).items())), flush=True)
    # the sample: the first --sample records, the damaged ones among the first 20 x that many first
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    first = range(min(args.parquet, 20 * args.sample))
    chosen = sorted(sorted(first, key=lambda i: draws[i] < args.distinct)[:args.sample])
    sample = []
    for i in chosen:
        record = dict(pool[draws[i]])
        record["_meta"] = {**record["_meta"], "id": f"dept-{i}"}
        sample.append(record)
    reference = ruleset.evaluate_many(sample)
    statuses = ("fail", "error", "not_evaluable", "not_applicable") if args.all_statuses else WRITTEN
    expected = collections.Counter((f"{os.path.basename(path)}:{f.record}", f.rule, f.item, f.status)
                                   for f in reference.findings if f.status in statuses)
    names = pa_strings([f"{os.path.basename(path)}:dept-{i}" for i in chosen])
    mine = written.filter(pc.is_in(written.column("record"), value_set=names))
    got = collections.Counter(zip(*(mine.column(c).to_pylist() for c in ("record", "rule", "item", "status"))))
    damaged = sum(1 for i in chosen if draws[i] >= args.distinct)
    verdict = "identical" if got == expected else f"DIFFER ({sum((got - expected).values())} extra, " \
        f"{sum((expected - got).values())} missing)"
    print(f"sample of {len(chosen)} records ({damaged} damaged): {sum(expected.values()):,} findings "
          f"({', '.join(statuses)}) by evaluate_many, statuses {verdict} in the output")
    if not args.keep:
        os.remove(path)
    os.remove(out)
    if got != expected:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--formats", nargs="+", default=["jsonl", "json"])
    parser.add_argument("--small", action="store_true", help="small records and a two-rule ruleset")
    parser.add_argument("--engines", nargs="+", default=["record"], choices=("record", "columnar"))
    parser.add_argument("--files", type=int, default=1, help="split the records over this many files")
    parser.add_argument("--no-localise", action="store_true", help="pass --no-localise to check")
    parser.add_argument("--table-rows", type=int, nargs="+", help="one record with a table of N rows instead")
    parser.add_argument("--parquet", type=int, help="N records with their tables as one Parquet file (issue 10)")
    parser.add_argument("--distinct", type=int, default=100, help="--parquet: records generated")
    parser.add_argument("--variants", type=int, default=4, help="--parquet: damaged copies of each")
    parser.add_argument("--faults", type=float, default=0.01, help="--parquet: share of records drawn damaged")
    parser.add_argument("--sample", type=int, default=300, help="--parquet: records compared with evaluate_many")
    parser.add_argument("--data", help="--parquet: folder of the data file (default: the temporary folder)")
    parser.add_argument("--keep", action="store_true", help="--parquet: keep the data file for the next run")
    parser.add_argument("--cache", help="--parquet: a file keeping the generated records between runs")
    parser.add_argument("--jobs", type=int, default=1, help="--parquet: check --jobs N (worker processes)")
    parser.add_argument("--all-statuses", action="store_true",
                        help="--parquet: no --statuses (every finding but the passes written)")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "fiscalrules"]
    if args.parquet:
        million(args, exe)
        return
    if args.table_rows:
        table_rows(args.table_rows, exe, ["--no-localise"] if args.no_localise else [])
        return
    print(f"{'records':>8} {'file MiB':>9} {'format':>7} {'engine':>9} {'peak RSS MiB':>13} {'wall s':>8} "
          f"{'CPU s':>8} {'records/CPU s':>14}" + ("  (peak-base)/file" if args.small else ""))
    with tempfile.TemporaryDirectory() as folder:
        rules = "budget_disclosure"
        if args.small:
            rules = os.path.join(folder, "small.rules")
            with open(rules, "w", encoding="utf-8") as handle:
                handle.write(SMALL_RULES)
        base: dict = {}
        for n in ([1] if args.small else []) + args.records:
            path = os.path.join(folder, f"records-{n}.jsonl")
            paths, size = split(path, n, args.files, write_small_records if args.small else write_records)
            for fmt in args.formats:
                for engine in args.engines:
                    if engine == "columnar" and fmt not in ("jsonl", "csv", "parquet"):
                        continue
                    out = os.path.join(folder, "out.parquet") if fmt == "parquet" else os.devnull
                    command = exe + ["check", rules, *(a for p in paths for a in ("-r", p)), "--format", fmt,
                                     "-o", out, "--fail-on", "never", "--engine", engine]
                    command += ["--no-localise"] if args.no_localise else []
                    peak, elapsed, code, cpu = run(command)
                    base.setdefault((fmt, engine), peak)
                    ratio = f"  {(peak - base[(fmt, engine)]) / size:17.1f}" if args.small else ""
                    print(f"{n:>8} {size / 2**20:>9.1f} {fmt:>7} {engine:>9} {peak / 2**20:>13.1f} {elapsed:>8.1f} "
                          f"{cpu:>8.1f} {n / cpu:>14.1f}" + ratio + (f"  (exit {code})" if code else ""), flush=True)
            for p in paths:
                os.remove(p)


if __name__ == "__main__":
    main()
