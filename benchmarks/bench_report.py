"""Benchmark: what the test suite pays for reports, localisation and inline examples.

    python benchmarks/bench_report.py [N] [--rules K]

Three costs the suite's properties pay over and over, as CPU time of this process (the machine
is shared: wall-clock figures swing with its load), best of 3:

* **JSON layout** -- the text of ``Report.to_json`` for N generated records per bundled ruleset
  (half rounded): ``json.dumps(indent=2)`` (json's pure-Python indented encoder: the baseline)
  against :func:`fiscalrules.report_json.dumps_indented`, the text checked identical; and the
  whole ``to_json`` per report, against evaluating the record.
* **A wide group of failures** -- ``rule Ri: a = b + i`` for K rules, all failing on one record
  and sharing two figures: localising it (the ``most_fixed`` partial explanations; its time
  limit is 2 CPU seconds per record, once checked only between figures).
* **Inline examples** -- ``check_example`` for every example of the bundled rule files, against
  running all the file's examples per example as it used to (measured on a sample, per example).
"""

from __future__ import annotations

import argparse
import json
import time

import fiscalrules
from fiscalrules.report_json import dumps_indented
from fiscalrules.reporters import _json_value, json_record_entry
from fiscalrules.testing import generate_record
from fiscalrules.testing.examples import _load_cached, check_example, example_cases


def _cpu(fn, repeat: int = 3) -> float:
    best = None
    for _ in range(repeat):
        start = time.process_time()
        fn()
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return best


def _report_data(report) -> dict:
    """The object render_json lays out (as it builds it)."""
    localised = report.localise()
    return {"ruleset": report.ruleset, "summary": report.summary(),
            "records": [json_record_entry(report, r) for r in report.records],
            "localisation": [loc.to_dict() for loc in localised],
            "findings": [f.to_dict() for f in report.sorted_findings()]}


def bench_json(n: int) -> None:
    print(f"JSON layout, {n} generated records per ruleset (ms per report, best of 3)")
    for name, path in fiscalrules.bundled_rulesets().items():
        ruleset = fiscalrules.load_ruleset(str(path))
        records = [generate_record(ruleset, seed=seed, rounded=seed % 2 == 0) for seed in range(n)]
        datas = [_report_data(ruleset.evaluate(r)) for r in records]
        assert all(json.dumps(d, ensure_ascii=False, indent=2, default=_json_value) == dumps_indented(d, _json_value)
                   for d in datas), "layouts differ"
        before = _cpu(lambda: [json.dumps(d, ensure_ascii=False, indent=2, default=_json_value) for d in datas]) / n
        after = _cpu(lambda: [dumps_indented(d, _json_value) for d in datas]) / n
        evaluate = _cpu(lambda: [ruleset.evaluate(r) for r in records]) / n
        whole = _cpu(lambda: [ruleset.evaluate(r).to_json() for r in records]) / n - evaluate
        print(f"  {name:<20} json.dumps {before * 1000:6.1f}  dumps_indented {after * 1000:6.1f}  "
              f"({before / after:.1f}x)   to_json {whole * 1000:6.1f} = {whole / evaluate:.1f}x evaluating")


def bench_wide_group(rules: int) -> None:
    text = "unit 万元\nfield a: amount\nfield b: amount\n" + "".join(f"rule R{i}: a = b + {i + 1}\n" for i in range(rules))
    ruleset = fiscalrules.compile_rules(text)
    record = fiscalrules.load_record({"a": "1", "b": "1"})
    evaluate = _cpu(lambda: ruleset.evaluate(record), repeat=1)
    localise = _cpu(lambda: ruleset.evaluate(record).localise(), repeat=1) - evaluate
    print(f"A group of {rules:,} failures sharing two figures: localised in {localise:.2f} CPU-s "
          f"({localise / evaluate:.1f}x evaluating it; the per-record time limit is 2 s)")


def bench_examples(sample: int = 20) -> None:
    sources = [str(p) for p in fiscalrules.bundled_rulesets().values()]
    cases = example_cases(sources)
    whole = _cpu(lambda: [check_example(c) for c in cases], repeat=1)   # the first runs the files' examples
    picked = cases[:: max(1, len(cases) // sample)]
    before = _cpu(lambda: [_load_cached(c.source, False).run_examples() for c in picked], repeat=1) / len(picked)
    print(f"Inline examples: {len(cases)} checked in {whole:.2f} CPU-s ({whole / len(cases) * 1000:.2f} ms each); "
          f"running the file's examples per example: {before * 1000:.1f} ms each "
          f"({before * len(cases):.1f} s for all, {before * len(cases) / whole:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=6, help="generated records per ruleset")
    parser.add_argument("--rules", type=int, default=3000, help="rules in the wide group of failures")
    args = parser.parse_args()
    bench_json(args.n)
    bench_wide_group(args.rules)
    bench_examples()


if __name__ == "__main__":
    main()
