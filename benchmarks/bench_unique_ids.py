"""Benchmark: ``fiscalrules check`` over a Parquet file whose records have unique text ids and one
in seven (~14 %) of them failing -- the shape of a real export (review 17 B3).

    python benchmarks/bench_unique_ids.py [--records 20000 140000] [--jobs 1] [--data DIR]

Writes N records (``_id`` = r1…rN, three amounts, every seventh record's total off by one), with
texts written plainly (as a writer does once a column's dictionary passes its page limit), then
runs ``fiscalrules check RULES -r FILE --format jsonl -o /dev/null`` in a child process and prints
its CPU seconds (user + system, ``wait4``), wall seconds, peak RSS and records per CPU-second.
A chunk of a Parquet file is read in ~128 batches, each text column with its own (growing)
dictionary; taking the failing records from the chunk as one table unified them all, once per
block of 4,096 failing records: 131,072 records took > 79 CPU-s, quadratic in the chunk.  Nothing
here asserts a time: compare records/s between builds run in the same minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

RULES = ('unit 万元\nprecision 万元 0.01\nfield total "合计": amount\nfield a: amount\n'
         'field b: amount default 0\nrule SUM: total = a + b\nrule POS { when present(b) assert b >= 0 }\n'
         'rule BIG: total <= 100000000\n')


def write_records(path: str, n: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    pq.write_table(pa.table({"_id": [f"r{i + 1}" for i in range(n)],
                             "合计": [f"{3 + (i % 7 == 0)}.00" for i in range(n)],
                             "a": ["1.00"] * n, "b": ["2.00"] * n}), path, use_dictionary=False)


def run(rules: str, data: str, jobs: int) -> tuple:
    """(CPU s, wall s, peak RSS MB, exit status) of one check of *data*."""
    command = [sys.executable, "-m", "fiscalrules", "check", rules, "-r", data, "--format", "jsonl",
               "-o", os.devnull, "--jobs", str(jobs), "--lang", "en"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[20000, 140000])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--data", default=None, help="folder for the data files (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.data) as folder:
        rules = os.path.join(folder, "small.rules")
        with open(rules, "w", encoding="utf-8") as handle:
            handle.write(RULES)
        print(f"{'records':>9} {'CPU s':>7} {'wall s':>7} {'peak MB':>8} {'records/CPU-s':>14}")
        for n in args.records:
            data = os.path.join(folder, f"u{n}.parquet")
            write_records(data, n)
            cpu, wall, peak, code = run(rules, data, args.jobs)
            note = "" if code == 1 else f"  (exit {code}: expected 1, some records fail)"
            print(f"{n:>9} {cpu:>7.2f} {wall:>7.2f} {peak:>8.0f} {n / cpu:>14,.0f}{note}", flush=True)


if __name__ == "__main__":
    main()
