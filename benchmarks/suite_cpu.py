"""The test suite's CPU seconds, per file and per test, from a run with FISCALRULES_TEST_CPU set.

    FISCALRULES_TEST_CPU=/tmp/run python -m pytest -n 2          # writes /tmp/run.<worker>.tsv
    python benchmarks/suite_cpu.py /tmp/run [--baseline /tmp/before] [--top 40] [--files 30]
    python benchmarks/suite_cpu.py /tmp/run1 /tmp/run2 /tmp/run3 --slow-tests 0.8   # conftest's SLOW_TESTS

tests/conftest.py writes, in each xdist worker, one line per test: the CPU seconds (user + system)
of the worker and of the subprocesses it waited for while the test ran (setup, call, teardown)
and the wall seconds; then the worker's whole CPU at the end of the session and at exit.  CPU,
not wall: the machine is often shared, and load stretches wall time only.  Issue 11's budget is
the whole run's CPU on 2 cores (an idle run's wall is about the busier worker's CPU plus start).

With ``--baseline`` every figure is followed by the baseline's and the ratio.  Given several runs,
the figures are their means; ``--slow-tests SECONDS`` prints, instead of the tables, the tests of
at least that many CPU seconds as the entries of tests/conftest.py's SLOW_TESTS.
"""

from __future__ import annotations

import argparse
import collections
import glob


def read(prefix: str):
    tests: dict[str, float] = {}
    workers: dict[str, dict[str, tuple[float, float]]] = collections.defaultdict(dict)
    for path in sorted(glob.glob(f"{prefix}.*.tsv")):
        worker = path[len(prefix) + 1:-4]
        for line in open(path, encoding="utf-8"):
            name, own, children, _wall = line.rstrip("\n").split("\t")
            cpu = float(own) + float(children)
            if name.startswith("#"):
                workers[worker][name] = (float(own), float(children))
            else:
                tests[name] = tests.get(name, 0.0) + cpu
    if not tests:
        raise SystemExit(f"no {prefix}.*.tsv: run the suite with FISCALRULES_TEST_CPU={prefix}")
    return tests, workers


def mean(prefixes: list[str]):
    """The tests' mean CPU seconds over the runs of *prefixes* (of the runs that have the test:
    one renamed or added between them counts where it ran), and the first run's workers."""
    runs = [read(prefix)[0] for prefix in prefixes]
    figures = collections.defaultdict(list)
    for tests in runs:
        for name, cpu in tests.items():
            figures[name].append(cpu)
    return {name: sum(cpus) / len(cpus) for name, cpus in figures.items()}, read(prefixes[0])[1]


def print_slow_tests(tests: dict[str, float], least: float) -> None:
    """SLOW_TESTS entries: ``"file::test[id]": seconds,`` slowest first, tests/ left out, each line
    within 110 characters (a long id split into adjacent literals, as conftest.py has them)."""
    for name, cpu in sorted(tests.items(), key=lambda item: -item[1]):
        if cpu < least:
            break
        key = name.removeprefix("tests/")
        line = f"    {key!r}: {cpu:.1f},".replace("'", '"') if '"' not in key else f"    {key!r}: {cpu:.1f},"
        if len(line) <= 110:
            print(line)
            continue
        cut = key.index("[") if "[" in key else key.index("::") + 2
        print(f"    {key[:cut]!r}".replace("'", '"'))
        print(f"    {key[cut:]!r}: {cpu:.1f},".replace("'", '"'))


def by_file(tests: dict[str, float]) -> dict[str, float]:
    files: dict[str, float] = collections.Counter()
    for name, cpu in tests.items():
        files[name.split("::")[0]] += cpu
    return files


def _row(cpu: float, base: dict[str, float] | None, key: str) -> str:
    if base is None:
        return f"{cpu:8.2f}"
    before = base.get(key)
    if before is None:
        return f"{cpu:8.2f} {'-':>8} {'':>6}"
    return f"{cpu:8.2f} {before:8.2f} {cpu / before if before else float('inf'):6.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prefix", nargs="+", help="the prefix of one run or more (their mean)")
    parser.add_argument("--baseline", help="the prefix of an earlier run, to compare with")
    parser.add_argument("--top", type=int, default=40, help="the slowest tests to list")
    parser.add_argument("--files", type=int, default=30, help="the costliest files to list")
    parser.add_argument("--slow-tests", type=float, metavar="SECONDS",
                        help="print the tests of at least SECONDS as conftest's SLOW_TESTS entries")
    args = parser.parse_args()
    tests, workers = mean(args.prefix)
    if args.slow_tests is not None:
        print_slow_tests(tests, args.slow_tests)
        return
    base_tests, base_workers = read(args.baseline) if args.baseline else (None, None)
    header = "     CPU-s" + ("   before  ratio" if base_tests is not None else "")
    print(f"tests: {len(tests)}, {sum(tests.values()):.1f} CPU-s"
          + (f" (before: {len(base_tests)}, {sum(base_tests.values()):.1f} CPU-s)" if base_tests else ""))
    for worker, totals in sorted(workers.items()):
        figures = ", ".join(f"{name[1:]} {own:.1f} + {children:.1f}" for name, (own, children) in totals.items())
        print(f"  {worker}: {figures} CPU-s (own + waited-for children)")
    print(f"\nper file\n{header}")
    base_files = by_file(base_tests) if base_tests is not None else None
    for name, cpu in sorted(by_file(tests).items(), key=lambda item: -item[1])[:args.files]:
        print(f"{_row(cpu, base_files, name)}  {name}")
    print(f"\nslowest tests\n{header}")
    for name, cpu in sorted(tests.items(), key=lambda item: -item[1])[:args.top]:
        print(f"{_row(cpu, base_tests, name)}  {name}")


if __name__ == "__main__":
    main()
