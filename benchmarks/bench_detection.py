"""Benchmark: how often a single wrong figure is caught, per kind of error, per bundled ruleset.

    python benchmarks/bench_detection.py [N] [--seed S] [--per-kind K] [--ruleset NAME|FILE ...]

For every bundled ruleset (and ``examples/demo.rules``), generates N consistent records with
``fiscalrules.testing.generate_record`` -- half printed exactly, half rounded to their printed
precision as a publisher would -- and, on each, changes K figures per kind of error:

* ``amount``  -- by a random amount beyond the smallest change the figure's equalities notice;
* ``sign``    -- sign flipped;
* ``digits``  -- two adjacent different digits swapped;
* ``drop``    -- a total recomputed without one of its terms.

Only figures that take part in a linear equality of the ruleset are changed (others can change
without any rule being able to notice).  A change is *caught* when the evaluator reports a
failure whose operands include the changed figure.  A change is *beyond the allowance* when it
makes one of the figure's equalities miss by more than the rounding allowance of its operands
plus the rule's tolerance -- a 0.01 change of a total of twenty rounded parts is not an error
anyone can prove, and the evaluator is right not to report it.

Target: 100% of the changes beyond the allowance caught, for every kind.  Also reported: the
unchanged records' false alarms (target 0), and generation statistics.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fiscalrules  # noqa: E402
from fiscalrules import testing  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BAD = ("fail", "error", "not_evaluable")


def _sources(names) -> list:
    if names:
        return [(str(n), n) for n in names]
    out = [(name, str(path)) for name, path in fiscalrules.bundled_rulesets().items()]
    demo = os.path.join(ROOT, "examples", "demo.rules")
    if os.path.exists(demo):
        out.append(("demo", demo))
    return out


def _schema_path(path: str) -> str:
    """tables.function[20805].total → tables.function[].total (to count distinct kinds of figure)."""
    out, depth = [], 0
    for ch in path:
        if ch == "[":
            depth += 1
            out.append("[")
        elif ch == "]":
            depth -= 1
            out.append("]")
        elif not depth:
            out.append(ch)
    return "".join(out)


def measure(name: str, source: str, n: int, per_kind: int, seed: int) -> dict:
    rs = fiscalrules.load_ruleset(source)
    rnd = random.Random(seed)
    stats = defaultdict(Counter)
    misses = []
    false_alarms = []
    figures = set()
    testing.STATS.clear()
    started = time.perf_counter()
    gen_time = eval_time = 0.0
    for i in range(n):
        rounded = i % 2 == 1
        t0 = time.perf_counter()
        record = testing.generate_record(rs, seed=rnd.randrange(2 ** 63), rounded=rounded)
        gen_time += time.perf_counter() - t0
        t0 = time.perf_counter()
        base = rs.evaluate(record)
        eval_time += time.perf_counter() - t0
        bad = [f for f in base.findings if f.status in BAD]
        if bad:
            false_alarms.append((i, [(f.rule, f.item, f.status) for f in bad]))
        model = testing.analyze(rs, record)
        if not model.participants():
            continue
        for kind in testing.PERTURBATION_KINDS:
            for _ in range(per_kind):
                change = testing.perturb(rs, record, kind, rnd, model=model)
                if change is None:
                    stats[kind]["not applicable"] += 1
                    continue
                figures.add(_schema_path(change.path) + ("" if change.meta == "value" else f" ({change.meta})"))
                report = rs.evaluate(change.record)
                caught = any(f.status == "fail" and any(o.path == change.path for o in f.operands)
                             for f in report.findings)
                s = stats[kind]
                s["changes"] += 1
                s["caught"] += caught
                if change.must_fail:
                    s["beyond"] += 1
                    s["caught beyond"] += caught
                    if not caught:
                        misses.append((kind, change.description, change.old, change.new,
                                       [(eq.rule, eq.item) for eq, _d, _a in change.expected]))
    return {"name": name, "rules": len(rs.rules), "records": n, "stats": stats, "misses": misses,
            "false_alarms": false_alarms, "figures": figures, "seconds": time.perf_counter() - started,
            "gen_time": gen_time, "eval_time": eval_time, "generation": dict(testing.STATS)}


def _rate(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=200, help="records per ruleset (default 200)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--per-kind", type=int, default=3, help="changes per kind per record (default 3)")
    parser.add_argument("--ruleset", action="append", help="ruleset name or file (default: bundled + demo)")
    args = parser.parse_args(argv)
    from tabulate import tabulate

    results = [measure(name, source, args.n, args.per_kind, args.seed) for name, source in _sources(args.ruleset)]
    rows = []
    ok = True
    for res in results:
        for kind in testing.PERTURBATION_KINDS:
            s = res["stats"][kind]
            rows.append([res["name"], kind, s["changes"], s["beyond"], s["caught beyond"],
                         _rate(s["caught beyond"], s["beyond"]), s["caught"], _rate(s["caught"], s["changes"])])
            ok = ok and s["caught beyond"] == s["beyond"]
    print(tabulate(rows, headers=["ruleset", "kind", "changes", "beyond allowance", "caught",
                                  "rate (beyond allowance)", "caught (all)", "rate (all)"],
                   tablefmt="github"))
    print()
    for res in results:
        print(f"{res['name']}: {res['rules']} rules, {res['records']} records (half rounded), "
              f"{len(res['figures'])} distinct figures changed, {len(res['false_alarms'])} false alarms "
              f"on the unchanged records; {res['seconds']:.1f}s "
              f"(generating {res['gen_time'] / max(res['records'], 1) * 1000:.0f} ms/record, "
              f"evaluating {res['eval_time'] / max(res['records'], 1) * 1000:.1f} ms/record)")
        attempts = {k: v for k, v in sorted(res["generation"].items(), key=lambda kv: -kv[1])}
        print(f"    solver attempts: {attempts}")
        for i, bad in res["false_alarms"][:5]:
            print(f"    FALSE ALARM on record {i}: {bad}")
        for miss in res["misses"][:10]:
            print(f"    MISSED ({miss[0]}): {miss[1]} ({miss[2]} → {miss[3]}), breaks {miss[4]}")
        ok = ok and not res["false_alarms"]
    print("target met: every change beyond the allowance caught, no false alarm" if ok
          else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
