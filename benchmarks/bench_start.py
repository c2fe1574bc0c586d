"""Benchmark: the start of a CLI audit -- one process, one text disclosure, end to end.

    python benchmarks/bench_start.py [--repeat R] [--baseline DIR] [--document PATH] [--importtime] [--instructions] [--kinds KIND...]
    python benchmarks/bench_start.py --installed VENV/bin/python [BASELINE_VENV/bin/python] [...]
    python benchmarks/bench_start.py --stages [--installed PY [BASE_PY]] [--imports] [--wrap MODULE:NAME ...]

Runs ``python -m fiscalrules audit DOCUMENT`` (default examples/bureau_2025.txt) R times in a
fresh process each, and reports wall time and CPU time (user + system, of the child process
alone) per run, median and best:

* cold  -- ``FISCALRULES_CACHE=0``: the bundled ruleset is parsed, checked and compiled;
* first -- an empty cache directory: as cold, and the cache entries are written;
* warm  -- the cache entries are there: the checked ruleset is decoded from one, the regular
  expressions rebuilt from the other (:mod:`fiscalrules.patterncache`);
* floor -- ``python -c pass`` started the same way: the interpreter's own start, which no change
  to fiscalrules can go below.

Modules load from their bytecode, as in an installed package (a first run writes it, whatever
PYTHONDONTWRITEBYTECODE says).

``--baseline DIR`` runs the same on another checkout of the repository (``PYTHONPATH=DIR``, run
from DIR; e.g. ``git worktree add --detach /tmp/base main``), the two trees taking turns run by
run, and prints the ratio baseline / this tree of each median.  ``--kinds warm floor`` measures only
the warm runs and the floor (cold ones take seconds each).  ``--installed PYTHON [BASELINE_PYTHON]`` measures
the fiscalrules installed in those interpreters instead (``pip install .`` of each tree into a
fresh venv): no PYTHONPATH, and no editable install's import finder, which every process of a
venv with an editable install pays for at start.  ``--importtime`` adds the slowest imports of one warm run
(``python -X importtime``, cumulative).  ``--instructions`` adds the instructions of one warm
audit of each tree under ``valgrind --tool=callgrind`` (PYTHONHASHSEED=0, the cache warmed by two
runs; a tree whose localisation still has a CPU-time guard, ``TIME_LIMIT``, has it off so that
the load cannot cut the search short -- the guard now counts work, the same on any machine; the
command line as ``fiscalrules`` runs it: ``fiscalrules.__main__``, then ``run()``): the figure a shared machine's load does
not change (two runs agree within ~0.1 %).  Target (issue 10): < 150 ms end to end, some 430-500 M
instructions here.  On a loaded machine wall time is mostly waiting for a core: read the CPU time
and the instructions, and repeat.

``--stages`` counts instead the instructions of each stage of one warm audit (callgrind, as
``--instructions``; the child calls ``os.getppid()`` at each stage's entry and exit and callgrind
dumps its counts there, ``--dump-before=getppid``): the interpreter's start, the pattern preload,
importing ``fiscalrules.cli``, the modules the audit imports after it (readers, localisation,
report writers: imported before the audit here, so that they are not counted in the stage that
first asks for them), loading the ruleset, reading the document and indexing the record,
evaluating, localising, writing, and the cyclic collector's passes apart ("…/gc", from
``gc.callbacks``) wherever they fall.  ``--imports`` counts each module's own import apart
("import X", nested imports not included); ``--wrap MODULE:NAME`` (a function or Class.method)
adds a stage.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

from callgrind_marks import dump_costs, per_stage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Target(NamedTuple):
    """What runs the audit: *python* with *path* on PYTHONPATH (a checkout), or *python* as it is
    (path None: the fiscalrules installed in it), from the folder *cwd*."""
    python: str
    path: str | None
    cwd: str


def _environment(target: Target, env_extra: dict[str, str], bytecode: bool = True) -> dict[str, str]:
    """The environment of a run of *target*: its PYTHONPATH, and bytecode as installed."""
    env = dict(os.environ, **env_extra)
    if target.path is not None:
        env["PYTHONPATH"] = target.path
    else:
        env.pop("PYTHONPATH", None)
    # As installed: modules load from their compiled bytecode (__pycache__), which pip writes
    # at install time.  PYTHONDONTWRITEBYTECODE in the caller's environment would otherwise
    # have every run compile every module from source (~0.1 s of each start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(target: Target, document: str, env_extra: dict[str, str], importtime: bool = False, bytecode: bool = True,
         floor: bool = False):
    """(wall seconds, CPU seconds, stderr) of one audit in a fresh process (*floor*: of
    ``python -c pass`` started the same way, what any Python command costs here)."""
    env = _environment(target, env_extra, bytecode)
    command = [target.python, *(["-X", "importtime"] if importtime else []),
               *(["-c", "pass"] if floor else ["-m", "fiscalrules", "audit", document])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=target.cwd, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the audit found something, which is an answer
        raise SystemExit(f"audit failed ({done.returncode}) with {target}:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr.decode("utf-8", errors="replace")


KINDS = ("cold", "first", "warm", "floor")


def measure(trees: list[Target], document: str, repeat: int, kinds=KINDS) -> list[dict[str, list[tuple[float, float]]]]:
    """Per target, per kind, (wall, CPU) of each run.  The targets take turns run by run, so a
    change in the machine's load falls on all of them alike."""
    out: list[dict[str, list[tuple[float, float]]]] = [{kind: [] for kind in kinds} for _ in trees]
    for tree in trees:
        with tempfile.TemporaryDirectory() as folder:  # writes the bytecode of every module the audit imports
            _run(tree, document, {"FISCALRULES_CACHE": "1", "FISCALRULES_CACHE_DIR": folder})
    for _ in range(repeat):
        for tree, runs in zip(trees, out):
            if "floor" in kinds:
                runs["floor"].append(_run(tree, document, {}, floor=True)[:2])
            if "cold" in kinds:
                runs["cold"].append(_run(tree, document, {"FISCALRULES_CACHE": "0"})[:2])
            if "first" in kinds or "warm" in kinds:
                with tempfile.TemporaryDirectory() as folder:
                    env = {"FISCALRULES_CACHE": "1", "FISCALRULES_CACHE_DIR": folder}
                    first = _run(tree, document, env)[:2]
                    if "first" in kinds:
                        runs["first"].append(first)
                    if "warm" in kinds:
                        runs["warm"].append(_run(tree, document, env)[:2])
    return out


def slowest_imports(tree: Target, document: str, count: int = 12) -> list[tuple[int, str]]:
    with tempfile.TemporaryDirectory() as folder:
        env = {"FISCALRULES_CACHE": "1", "FISCALRULES_CACHE_DIR": folder}
        _run(tree, document, env)
        stderr = _run(tree, document, env, importtime=True)[2]
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S.*)", line)
        if match and len(match.group(2)) <= 3:  # top-level imports and their direct children
            rows.append((int(match.group(1)), match.group(2)[1:] + match.group(3)))
    total = sum(us for us, name in rows if not name.startswith(" "))
    return sorted(rows, reverse=True)[:count] + [(total, "(all top-level imports)")]


def instructions(tree: Target, document: str) -> int | None:
    """Instructions of one warm audit of *document* by *tree* (callgrind), or None without valgrind."""
    import shutil
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        env = {"FISCALRULES_CACHE": "1", "FISCALRULES_CACHE_DIR": folder, "PYTHONHASHSEED": "0"}
        _run(tree, document, env)
        _run(tree, document, env)
        # As the fiscalrules command: its __main__ module (the patterns preloaded, the collector
        # set for the start, the library imported), then run().
        script = ("import sys; sys.argv = ['fiscalrules', 'audit', " + repr(document) + "]\n"
                  "from fiscalrules.__main__ import run\n"
                  "import fiscalrules.localise.search as s; s.TIME_LIMIT = 1e9\n"
                  "run()")
        full = _environment(tree, env)
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", tree.python, "-c", script],
                              cwd=tree.cwd, env=full, capture_output=True, text=True)
    if done.returncode not in (0, 1):   # valgrind reports a count for a crashed audit too
        raise SystemExit(f"the audit under callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    return int(found.group(1)) if found else None


# Runs under callgrind (``--stages``): one warm audit, as the ``fiscalrules`` command runs it, with a
# mark (os.getppid(), callgrind's dump trigger) at each stage's entry and exit.  argv: the folder to
# write the marks' labels to, whether to mark each import, the --wrap specs, then the audit's words.
_STAGES_CHILD = r"""
import gc, os, sys
os.getppid()   # a mark: the benchmark's own helpers, loaded next, are a stage of their own
sys.path.append(sys.argv[1])   # this benchmarks folder, for callgrind_marks
from callgrind_marks import Marks
out, imports, wraps, argv = sys.argv[2], sys.argv[3] == "1", sys.argv[4].split(), sys.argv[5:]
marks = Marks()
marks.labels.append("<benchmark helpers")
# The collector's threshold for the start, as the tree's fiscalrules/__main__.py sets it before its
# imports (since session 17), from that file itself: this child imports what it imports stage by stage.
from importlib.util import find_spec
with open(find_spec("fiscalrules").submodule_search_locations[0] + "/__main__.py", encoding="utf-8") as handle:
    for line in handle:   # (no re here: importing it is the preload stage's)
        if line.startswith("gc.set_threshold("):
            gc.set_threshold(int(line[len("gc.set_threshold("):].split(",")[0]), *gc.get_threshold()[1:])
marks.mark(">benchmark helpers")
mark, wrap = marks.mark, marks.wrap

def collecting(phase, info):
    mark(("<" if phase == "start" else ">") + "gc")

gc.callbacks.append(collecting)
if imports:
    marks.mark_imports()
sys.argv = ["fiscalrules", *argv]
mark("<preload")
from fiscalrules.patterncache import preload, store
preload()
mark(">preload")
mark("<import fiscalrules.cli")
import fiscalrules.cli as cli
mark(">import fiscalrules.cli")
mark("<import the audit's other modules")
import fiscalrules.findings, fiscalrules.loader, fiscalrules.readers, fiscalrules.report_stream
import fiscalrules.localise.search
fiscalrules.localise.search.TIME_LIMIT = 1e9   # as --instructions (a tree with a CPU-time guard)
mark(">import the audit's other modules")
# Each tree's names for its stages, the newest first (the audit imports them when it runs, so the
# wrapped attribute is the one called); a stage none of whose names a tree has is left out, and
# said so, rather than counted silently "between stages".
def wrap_first(owner, names, label):
    for name in names:
        if hasattr(owner, name):
            return wrap(owner, name, label)
    print("bench_start: no stage", repr(label), "in this tree (none of", ", ".join(names) + ")", file=sys.stderr)

wrap_first(cli, ("_load_rulesets", "load_ruleset"), "load the ruleset")
if hasattr(fiscalrules.readers, "read_document_records") or hasattr(fiscalrules.readers, "read_document_record"):
    # reading and indexing in one (since 75dc17c)
    wrap_first(fiscalrules.readers, ("read_document_records", "read_document_record"),
               "read the document and index the record")
else:
    wrap(fiscalrules.readers, "read_document", "read the document")
    wrap(cli, "load_record", "index the record")
wrap(fiscalrules.loader.Ruleset, "evaluate", "evaluate")
wrap(fiscalrules.findings.Report, "localise", "localise")
for writer in ("_TableWriter", "_JsonWriter", "_SarifWriter", "_HtmlWriter"):
    cls = getattr(fiscalrules.report_stream, writer, None)
    if cls is not None:
        wrap(cls, "_write", "write")
        wrap(cls, "_close", "write")
for spec in wraps:
    marks.wrap_spec(spec)
if hasattr(cli, "_after_the_start"):   # as run() starts the command (the collector set once the rulesets load)
    cli._starting = True
code = cli.main()
mark("<store patterns")
store()
sys.stdout.flush()
mark(">store patterns")
gc.callbacks.remove(collecting)
with open(os.path.join(out, "labels.txt"), "w", encoding="utf-8") as handle:
    handle.write("\n".join(marks.labels))
os._exit(code)
"""


def stages(tree: Target, document: str, imports: bool = False, wraps: tuple[str, ...] = ()) -> dict[str, int] | None:
    """Instructions per stage of one warm audit of *document* by *tree* (see ``--stages``); a
    stage inside another is named "outer/inner" and counted apart from it."""
    import shutil
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as out:
        env = {"FISCALRULES_CACHE": "1", "FISCALRULES_CACHE_DIR": folder, "PYTHONHASHSEED": "0"}
        _run(tree, document, env)
        _run(tree, document, env)
        command = ["valgrind", "--tool=callgrind", "--dump-before=getppid", f"--callgrind-out-file={out}/out.%p",
                   tree.python, "-c", _STAGES_CHILD, os.path.dirname(os.path.abspath(__file__)), out,
                   "1" if imports else "0", " ".join(wraps), "audit", document]
        done = subprocess.run(command, cwd=tree.cwd, env=_environment(tree, env), capture_output=True, text=True)
        if not os.path.exists(os.path.join(out, "labels.txt")):
            raise SystemExit(f"the audit under callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
        with open(os.path.join(out, "labels.txt"), encoding="utf-8") as handle:
            labels = handle.read().split("\n")
        costs = dump_costs(out)
    # (the last mark's instructions, to the end of the process, count too)
    return {"interpreter start": costs[0],
            **per_stage(zip(labels, costs[1:]), "(the command line, between stages)", own_imports=imports)}


def _summary(runs: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return statistics.median(walls), min(walls), statistics.median(cpus), min(cpus)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each kind (default 7)")
    parser.add_argument("--baseline", help="another checkout of the repository to compare against")
    parser.add_argument("--document", default=os.path.join("examples", "bureau_2025.txt"),
                        help="the disclosure to audit, relative to each tree (default examples/bureau_2025.txt)")
    parser.add_argument("--importtime", action="store_true", help="print the slowest imports of a warm run")
    parser.add_argument("--instructions", action="store_true",
                        help="count the instructions of one warm audit of each tree (valgrind --tool=callgrind)")
    parser.add_argument("--stages", action="store_true",
                        help="count the instructions of each stage of one warm audit instead (callgrind)")
    parser.add_argument("--imports", action="store_true", help="with --stages: each module's own import apart")
    parser.add_argument("--wrap", action="append", default=[], metavar="MODULE:NAME",
                        help="with --stages: another stage (a function or Class.method of MODULE)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="which runs to measure (default: all four)")
    parser.add_argument("--installed", nargs="+", metavar="PYTHON",
                        help="measure the fiscalrules installed in this interpreter (a venv's bin/python after "
                             "`pip install .`), and in a second one as the baseline, instead of checkouts")
    args = parser.parse_args(argv)
    if args.installed and len(args.installed) > 2:
        parser.error("--installed takes one interpreter, or two (this tree's, the baseline's)")
    document = args.document
    if args.installed:
        # Run from a folder with no fiscalrules/ in it: ``python -m`` puts the working folder
        # first on sys.path, and a checkout there would be imported instead of the installed package.
        document = os.path.join(ROOT, document)
        trees = [(label, Target(python, None, tempfile.gettempdir()))
                 for label, python in zip(("this tree", "baseline"), args.installed)]
    else:
        trees = [("this tree", Target(sys.executable, ROOT, ROOT))]
        if args.baseline:
            baseline = os.path.abspath(args.baseline)
            trees.append(("baseline", Target(sys.executable, baseline, baseline)))
    if args.stages:
        return _print_stages(trees, document, args)
    kinds = tuple(k for k in KINDS if k in args.kinds)
    results = dict(zip((label for label, _ in trees), measure([tree for _, tree in trees], document, args.repeat, kinds)))
    print(f"fiscalrules audit {args.document}: {args.repeat} runs each, one process per run "
          f"(target < 150 ms end to end)")
    print(f"  {'':10} {'kind':6} {'wall median':>12} {'wall best':>10} {'CPU median':>11} {'CPU best':>9}")
    for label, _ in trees:
        for kind, runs in results[label].items():
            wall, wall_best, cpu, cpu_best = _summary(runs)
            print(f"  {label:10} {kind:6} {wall * 1000:10.0f}ms {wall_best * 1000:8.0f}ms "
                  f"{cpu * 1000:9.0f}ms {cpu_best * 1000:7.0f}ms")
    for label, _ in trees:
        if "floor" in results[label] and "warm" in results[label]:
            warm, floor = _summary(results[label]["warm"]), _summary(results[label]["floor"])
            print(f"  {label:10} warm above the floor: wall {(warm[0] - floor[0]) * 1000:.0f} ms, "
                  f"CPU {(warm[2] - floor[2]) * 1000:.0f} ms (medians)")
    if len(trees) > 1:
        print("  ratio baseline / this tree (medians):")
        for kind in kinds:
            mine, theirs = _summary(results["this tree"][kind]), _summary(results["baseline"][kind])
            print(f"    {kind:6} wall {theirs[0] / mine[0]:5.2f}x   CPU {theirs[2] / mine[2]:5.2f}x")
    if args.instructions:
        counts = {label: instructions(tree, document) for label, tree in trees}
        for label, count in counts.items():
            print(f"  {label:10} instructions of a warm audit: "
                  + (f"{count / 1e6:,.1f} M" if count else "(valgrind not found)"))
        if len(counts) > 1 and all(counts.values()):
            print(f"  ratio baseline / this tree (instructions): {counts['baseline'] / counts['this tree']:.3f}x")
    if args.importtime:
        for label, tree in trees:
            print(f"  slowest imports of a warm run, {label} (cumulative, ms):")
            for us, name in slowest_imports(tree, document):
                print(f"    {us / 1000:8.1f}  {name}")
    return 0


def _print_stages(trees, document: str, args) -> int:
    found = [stages(tree, document, args.imports, tuple(args.wrap)) for _, tree in trees]
    if not all(found):
        print("valgrind not found")
        return 1
    print(f"fiscalrules audit {args.document}, warm: instructions per stage (M)   "
          + "   ".join(label for label, _ in trees))
    names = sorted(set().union(*found), key=lambda name: -found[0].get(name, 0))
    for name in names:
        print("  " + "  ".join(f"{counts.get(name, 0) / 1e6:9.2f}" for counts in found) + f"  {name}")
    collector = [sum(c for n, c in counts.items() if n == "gc" or n.endswith("/gc")) for counts in found]
    print("  " + "  ".join(f"{c / 1e6:9.2f}" for c in collector) + "  = the collector's passes, in all")
    print("  " + "  ".join(f"{sum(counts.values()) / 1e6:9.2f}" for counts in found) + "  = the audit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
