"""Benchmark: what the test suite pays for reports, localisation and inline examples.

    python benchmarks/bench_report.py [N] [--rules K]
    python benchmarks/bench_report.py --fresh [N] [--baseline PYTHON] [--instructions] [--rounds R]

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

``--fresh`` measures instead what the written forms of a *fresh* report cost (a report just
evaluated: no finding's details or messages worked out yet, as every report of the suite's
properties), per generated budget_disclosure record: each finding's ``to_dict`` (what
``testing.findings_digest`` reads), ``to_json``, ``to_table`` (Chinese and English), ``to_csv``
and ``to_sarif``.  Each is timed on reports evaluated for it alone, in a child process; with
``--baseline PYTHON`` (the interpreter of another install, e.g. a venv of an earlier commit) the
same child runs there too, on the same records (generated here, handed over pickled: the
generator itself changes between commits), and the ratios baseline / this tree are printed.
``--instructions`` counts instructions under callgrind (one pass, ``PYTHONHASHSEED=0``) instead
of CPU time (the least of 5 passes in each of ``--rounds`` children per tree, the trees taking
turns): the figure to quote on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
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


# The child of --fresh: argv = the pickled records, "cpu" or "instructions", the folder for the
# marks' labels.  It imports only the public API (and testing.findings_digest), so that it runs
# unchanged in an install of an earlier commit.  Under callgrind (``--dump-before=getppid``) each
# os.getppid() closes a dump: the instructions of one operation over every report.
_FRESH_CHILD = r"""
import os, pickle, sys, time
import fiscalrules
from fiscalrules.testing import findings_digest
records = pickle.load(open(sys.argv[1], "rb"))
mode, out = sys.argv[2], sys.argv[3]
ruleset = fiscalrules.load_ruleset(str(fiscalrules.bundled_rulesets()["budget_disclosure"]))
OPERATIONS = {
    "to_dict (findings_digest)": findings_digest,
    "to_json": lambda report: report.to_json(),
    "to_table zh + en": lambda report: (report.to_table(), report.to_table("en")),
    "to_csv": lambda report: report.to_csv(),
    "to_sarif": lambda report: report.to_sarif(),
}
for report in [ruleset.evaluate(r) for r in records]:   # warm: every rule's closures built
    for operation in OPERATIONS.values():
        operation(report)
results, labels = {}, []
for name, operation in OPERATIONS.items():
    if mode == "instructions":
        reports = [ruleset.evaluate(r) for r in records]
        labels.append(name)
        os.getppid()
        for report in reports:
            operation(report)
        os.getppid()
        continue
    best = None
    for _ in range(5):
        reports = [ruleset.evaluate(r) for r in records]
        start = time.process_time()
        for report in reports:
            operation(report)
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    results[name] = best
with open(os.path.join(out, "results.pickle"), "wb") as handle:
    pickle.dump(results if mode == "cpu" else labels, handle)
os._exit(0)
"""


def _fresh_child(python: str, records_file: str, instructions: bool) -> dict:
    """Per operation, CPU seconds (best of 5) or instructions over all the reports, by *python*."""
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, FISCALRULES_CACHE="0", PYTHONHASHSEED="0")
        command = [python, "-c", _FRESH_CHILD, records_file, "instructions" if instructions else "cpu", out]
        if instructions:
            command = ["valgrind", "--tool=callgrind", "--dump-before=getppid",
                       f"--callgrind-out-file={out}/out.%p"] + command
        cwd = tempfile.gettempdir()   # (not this checkout: the child imports *python*'s install)
        done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
        if not os.path.exists(os.path.join(out, "results.pickle")):
            raise SystemExit(f"the benchmark's child failed ({done.returncode}):\n{done.stderr[-2000:]}")
        with open(os.path.join(out, "results.pickle"), "rb") as handle:
            found = pickle.load(handle)
        if not instructions:
            return found
        from callgrind_marks import dump_costs
        costs = dump_costs(out)   # dumps: to the first mark, then (an operation, to the next mark) pairs
        return {name: costs[1 + 2 * i] for i, name in enumerate(found)}


def bench_fresh(n: int, baseline: str | None, instructions: bool, rounds: int = 3) -> None:
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))   # callgrind_marks
    ruleset = fiscalrules.load_ruleset(str(fiscalrules.bundled_rulesets()["budget_disclosure"]))
    records = [generate_record(ruleset, seed=seed, rounded=seed % 2 == 0) for seed in range(n)]
    unit = "M instructions" if instructions else "CPU ms"
    with tempfile.NamedTemporaryFile(suffix=".pickle") as handle:
        pickle.dump(records, handle)
        handle.flush()
        now = _fresh_child(sys.executable, handle.name, instructions)
        before = _fresh_child(baseline, handle.name, instructions) if baseline else None
        # CPU time on a shared machine: more rounds, the two trees' children taking turns, the
        # least of each operation kept (instructions are the same every time: one round).
        for _ in range(0 if instructions else rounds - 1):
            if before is not None:
                before = {k: min(v, w) for (k, v), w in
                          zip(before.items(), _fresh_child(baseline, handle.name, False).values())}
            now = {k: min(v, w) for (k, v), w in zip(now.items(), _fresh_child(sys.executable, handle.name, False).values())}
    scale = 1e-6 / n if instructions else 1000 / n

    def shown(value: float) -> str:
        return f"{value * scale:9.2f}"

    print(f"Fresh reports of {n} generated budget_disclosure records ({unit} per report)"
          + (f"; baseline: {baseline}" if baseline else ""))
    for name, value in now.items():
        line = f"  {name:<28} {shown(value)}"
        if before is not None and name in before:
            line = f"  {name:<28} {shown(before[name])} -> {shown(value)}   ({before[name] / value:.2f}x)"
        print(line)
    if before is not None:
        total_before, total_now = sum(before[k] for k in now if k in before), sum(now.values())
        print(f"  {'all of them':<28} {shown(total_before)} -> {shown(total_now)}   ({total_before / total_now:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=6, help="generated records per ruleset")
    parser.add_argument("--rules", type=int, default=3000, help="rules in the wide group of failures")
    parser.add_argument("--fresh", action="store_true", help="the written forms of fresh reports (only)")
    parser.add_argument("--baseline", metavar="PYTHON", help="with --fresh: the interpreter of a baseline install")
    parser.add_argument("--instructions", action="store_true", help="with --fresh: instructions (callgrind), not CPU")
    parser.add_argument("--rounds", type=int, default=3, help="with --fresh: rounds of CPU timing per tree, in turns")
    args = parser.parse_args()
    if args.fresh:
        bench_fresh(args.n, args.baseline, args.instructions, args.rounds)
        return
    bench_json(args.n)
    bench_wide_group(args.rules)
    bench_examples()


if __name__ == "__main__":
    main()
