"""Benchmark: CPU per generated record (``fiscalrules.testing.generate_record``) on the bundled rulesets.

    python benchmarks/bench_generate.py [--records N] [--rulesets budget_disclosure final_accounts]
                                        [--present K] [--baseline DIR] [--profile] [--suite-gc]
                                        [--instructions]

For each ruleset it generates N records (default 40) from seeds 0..N-1, half exact and half
rounded (as the property tests draw them; with ``--present K`` every K-th record has every
optional figure present, ``optional_absent=False``, as one property test draws half its
records), and prints the CPU seconds per record
(``time.process_time``: the machine is shared, wall time would measure the neighbours), the
retry counters of :data:`fiscalrules.testing.STATS`, and a check that every record generated
raises no failure, error or not-evaluable finding.  The ruleset is loaded and one record
generated before timing, so per-ruleset analysis made once is not counted per record.

``--baseline DIR`` runs the same measurement on another checkout (DIR first on the path and an
editable install's import hook set aside, so that DIR's ``fiscalrules`` is the one measured; e.g.
a ``git worktree`` of an older commit) one after the other, and prints the ratio baseline/current
and whether both generated the same records (a digest of their JSON: a change meant only to make
the generator cheaper must leave every record of a seed as it was; exit code 1 otherwise).
``--profile`` prints the cProfile of the current tree's run (top 30 by own time).
``--suite-gc`` sets the garbage collector as the test suite runs it (tests/conftest.py: what is
alive frozen, the youngest generation collected every 100,000 objects): at the default settings
the collector is ~18 % of a budget record's CPU (0.22 against 0.17 s, session 25), in the suite ~2 %.
``--instructions`` runs each tree in a child under callgrind (``valgrind``; ~50× slower: use
``--records 8``) and prints the instructions per record of the generation alone, which the load
of a shared machine does not move (CPU seconds move by ±20 % between runs there).

Target (issue 11): ≤ 0.08 CPU-s per record for both rulesets (0.24 budget, 0.27 final_accounts at
de31147).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def use_checkout(checkout: str) -> None:
    """Import ``fiscalrules`` from *checkout*: first on sys.path, and without the import hook of
    an editable install (``pip install -e``), which otherwise finds the installed tree before
    any path entry -- a baseline would then measure the current tree again."""
    checkout = os.path.abspath(checkout)
    sys.meta_path[:] = [finder for finder in sys.meta_path
                        if "editable" not in (getattr(finder, "__module__", "") or "")
                        and "editable" not in getattr(finder, "__name__", "")
                        and "editable" not in type(finder).__module__]
    sys.path.insert(0, checkout)
    import fiscalrules
    found = os.path.abspath(fiscalrules.__file__)
    if not found.startswith(os.path.join(checkout, "")):
        raise SystemExit(f"fiscalrules imported from {found}, not from {checkout}")


def measure(rulesets: list, n: int, profile: bool = False, present: int = 0, suite_gc: bool = False,
            marks: bool = False) -> dict:
    """{ruleset: {"cpu_per_record", "records", "bad", "stats"}} for the fiscalrules on sys.path."""
    import gc

    import fiscalrules
    from fiscalrules.testing import STATS, generate_record

    out = {}
    for name in rulesets:
        rs = fiscalrules.load_ruleset(name)
        generate_record(rs, seed=10 ** 6)   # per-ruleset work made once, not counted per record
        if suite_gc:   # (as tests/conftest.py's pytest_collection_finish)
            gc.collect()
            gc.freeze()
            gc.set_threshold(100_000, 10, 10)
        STATS.clear()
        profiler = cProfile.Profile() if profile else None
        records = []
        if marks:   # callgrind dumps the instructions so far at each (see _run_child)
            os.getppid()
        start = time.process_time()
        if profiler:
            profiler.enable()
        for seed in range(n):
            records.append(generate_record(rs, seed=seed, rounded=bool(seed % 2),
                                           optional_absent=not (present and seed % present == 0)))
        if profiler:
            profiler.disable()
        cpu = time.process_time() - start
        if marks:
            os.getppid()
        bad = 0
        for record in records:
            bad += sum(f.status in ("fail", "error", "not_evaluable") for f in rs.evaluate(record).findings)
        digest = hashlib.sha256(json.dumps(records, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
        out[name] = {"cpu_per_record": cpu / n, "records": n, "bad": bad, "stats": dict(STATS), "digest": digest}
        if profiler:
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
            out[name]["profile"] = text.getvalue()
    return out


def _run_child(checkout: str, rulesets: list, n: int, present: int, suite_gc: bool, callgrind: bool = False) -> dict:
    """measure() of *checkout* in a child process; under callgrind (*callgrind*) with each
    ruleset's ``instructions_per_record`` too (dumps: before the first mark, then per ruleset the
    generation and what follows it)."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout))
    code = (f"import sys, json; sys.path.insert(0, {HERE!r}); import bench_generate; "
            f"bench_generate.use_checkout({os.path.abspath(checkout)!r}); "
            f"print(json.dumps(bench_generate.measure({rulesets!r}, {n}, present={present}, suite_gc={suite_gc}, "
            f"marks={callgrind})))")
    command = [sys.executable, "-c", code]
    with tempfile.TemporaryDirectory() as folder:
        if callgrind:
            command = ["valgrind", "--tool=callgrind", "--dump-before=getppid",
                       f"--callgrind-out-file={folder}/out.%p", *command]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        out = json.loads(done.stdout.strip().splitlines()[-1])
        if callgrind:
            from callgrind_marks import dump_costs
            costs = dump_costs(folder)
            for i, name in enumerate(rulesets):
                out[name]["instructions_per_record"] = costs[1 + 2 * i] / n
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--rulesets", nargs="+",
                        default=["budget_disclosure", "final_accounts", os.path.join(HERE, "..", "examples", "demo.rules")])
    parser.add_argument("--present", type=int, default=0, metavar="K",
                        help="every K-th record with every optional figure present (default: none)")
    parser.add_argument("--baseline", metavar="DIR", help="another checkout to measure and compare with")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--suite-gc", action="store_true", help="the garbage collector as the test suite sets it")
    parser.add_argument("--instructions", action="store_true", help="instructions per record, under callgrind")
    args = parser.parse_args(argv)

    if args.instructions:
        current = _run_child(os.path.join(HERE, ".."), args.rulesets, args.records, args.present, args.suite_gc, True)
    else:
        use_checkout(os.path.join(HERE, ".."))
        current = measure(args.rulesets, args.records, args.profile, args.present, args.suite_gc)
    baseline = _run_child(args.baseline, args.rulesets, args.records, args.present, args.suite_gc,
                          args.instructions) if args.baseline else None
    status = 0
    for name in args.rulesets:
        figures = current[name]
        line = f"{os.path.basename(name):17s} {figures['cpu_per_record']:.4f} CPU-s per record ({figures['records']} records" \
            + (", under callgrind)" if args.instructions else ")")
        if baseline:
            before = baseline[name]["cpu_per_record"]
            line += f"; baseline {before:.4f} → {before / figures['cpu_per_record']:.2f}× faster"
        print(line)
        if "instructions_per_record" in figures:
            line = f"{'':17s} {figures['instructions_per_record'] / 1e6:.1f} M instructions per record"
            if baseline:
                before = baseline[name]["instructions_per_record"]
                line += f"; baseline {before / 1e6:.1f} M → {before / figures['instructions_per_record']:.3f}×"
            print(line)
        print(f"{'':17s} failures/errors/not evaluable on the records: {figures['bad']}")
        same = ""
        if baseline:
            same = "; the same as the baseline's" if baseline[name]["digest"] == figures["digest"] else \
                f"; NOT the baseline's ({baseline[name]['digest']})"
            if baseline[name]["digest"] != figures["digest"]:
                status = 1
        print(f"{'':17s} records' digest {figures['digest']}{same}")
        print(f"{'':17s} retries: " + ", ".join(f"{k} {v}" for k, v in sorted(figures["stats"].items())))
        if baseline:
            print(f"{'':17s} baseline retries: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(baseline[name]["stats"].items())))
        if figures["bad"]:
            status = 1
        if "profile" in figures:
            print(figures["profile"])
    return status


if __name__ == "__main__":
    sys.exit(main())
