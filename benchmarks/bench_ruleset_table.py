"""Benchmark: a bundled ruleset over a table of generated records, columnar vs per record.

    python benchmarks/bench_ruleset_table.py [--ruleset budget_disclosure] [--distinct 100]
                                             [--rows 100000] [--check-rows 2000] [--repeat 3]

Generates ``--distinct`` records with ``fiscalrules.testing`` (rounded, consistent), flattens
them into one table (``fiscalrules.testing.tables.records_table``: one row per record, columns by
field path; tables and stated changes have no flat column), perturbs ~15 % of the cells (a cent,
a lot, a sign, emptied), types the columns of numbers as decimal128 (unless ``--text``: then
cells are also replaced by text, and every cell is read as text, cell by cell) and tiles it to
``--rows`` rows.  Then:

* statuses: ``evaluate_table`` and ``evaluate_many`` over the first ``--check-rows`` rows must
  agree for every (rule, row) -- the benchmark stops otherwise;
* speed: the rules the columnar engine expresses, over all ``--rows`` rows, in records/s; the
  whole ruleset through ``evaluate_table`` (fallback rules per record) and through
  ``evaluate_many``, over ``--check-rows`` rows.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import pyarrow as pa  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar.columns import Batch  # noqa: E402
from fiscalrules.columnar.engine import plan_of  # noqa: E402
from fiscalrules.frames import column_paths  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.tables import records_table, typed_table  # noqa: E402


def damaged(table, rnd, text: bool):
    """~15 % of the number cells changed by a cent or a lot, sign-flipped or emptied (and, with
    *text*, replaced by text: such a column can then only be read as text)."""
    from decimal import Decimal, InvalidOperation
    columns = {}
    kinds = ("cent", "lot", "sign", "empty") + (("text",) if text else ())
    for name in table.column_names:
        values = table.column(name).to_pylist()
        for i, value in enumerate(values):
            if not isinstance(value, str) or rnd.random() > 0.15:
                continue
            try:
                number = Decimal(value)
            except InvalidOperation:
                continue
            kind = rnd.choice(kinds)
            values[i] = {"cent": lambda: str(number + Decimal("0.01")), "lot": lambda: str(number + rnd.randint(1, 500)),
                         "sign": lambda: str(-number), "empty": lambda: None, "text": lambda: "n/a"}[kind]()
        columns[name] = pa.array(values, type=table.column(name).type)
    return pa.table(columns)


def median_time(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ruleset", default="budget_disclosure")
    parser.add_argument("--distinct", type=int, default=100)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--check-rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--text", action="store_true", help="keep every column as text (read cell by cell)")
    args = parser.parse_args()
    ruleset = fiscalrules.load_ruleset(args.ruleset)
    rnd = random.Random(11)
    start = time.perf_counter()
    base = damaged(records_table([generate_record(ruleset, rnd=rnd, rounded=True) for _ in range(args.distinct)]), rnd,
                   text=args.text)
    print(f"{args.distinct} records generated and perturbed in {time.perf_counter() - start:.1f} s; "
          f"{base.num_columns} columns")
    if not args.text:  # amounts as decimal128 columns, as a database or Parquet file holds them
        base = typed_table(base)
    table = pa.concat_tables([base] * (args.rows // base.num_rows + 1)).slice(0, args.rows).combine_chunks()
    small = table.slice(0, args.check_rows)

    plans = plan_of(ruleset)
    columnar = [p for p in plans if p.statuses is not None]
    print(f"{len(columnar)} of {len(plans)} rules run on columns; the rest per record ({args.ruleset})")

    # statuses: identical on the checked rows
    result = ruleset.evaluate_table(small)
    reference = ruleset.evaluate_many(small)
    index = {info.id: i for i, info in enumerate(reference.records)}
    rank = {"error": 0, "fail": 1, "not_evaluable": 2, "pass_rounding": 3, "not_applicable": 4, "pass": 5}
    codes = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
    worst = {}
    for f in reference.findings:
        key = (f.rule, index[f.record])
        if key not in worst or rank[f.status] < rank[worst[key]]:
            worst[key] = f.status
    mismatches = sum(1 for plan in plans for row, code in enumerate(result.statuses(plan.rule.id))
                     if code != 255 and codes[code] != worst.get((plan.rule.id, row)))
    if mismatches:
        raise SystemExit(f"{mismatches} (rule, row) statuses differ between the engines")
    print(f"statuses identical on {args.check_rows} rows × {len(plans)} rules "
          f"({len(result.errors)} unreadable rows in both)")

    paths = column_paths(list(table.column_names), ruleset.checked.fields, ruleset.checked.labels)

    def columnar_rules():
        for offset in range(0, table.num_rows, 1 << 17):
            batch = Batch(table.slice(offset, 1 << 17), ruleset.settings, paths)
            for plan in columnar:
                plan.statuses(batch)

    t_col, runs = median_time(columnar_rules, args.repeat)
    print(f"columnar rules only, {args.rows:,} rows: {t_col:.3f} s = {args.rows / t_col:,.0f} records/s "
          f"(runs {' '.join(f'{t:.3f}' for t in runs)})")
    t_table, _ = median_time(lambda: ruleset.evaluate_table(small), 1)
    t_many, _ = median_time(lambda: ruleset.evaluate_many(small), 1)
    print(f"whole ruleset, {args.check_rows:,} rows: evaluate_table {t_table:.2f} s "
          f"({args.check_rows / t_table:,.0f} records/s), evaluate_many {t_many:.2f} s "
          f"({args.check_rows / t_many:,.0f} records/s); ratio {t_many / t_table:.2f}×")


if __name__ == "__main__":
    main()
