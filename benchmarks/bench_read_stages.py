"""Benchmark: the instructions of each stage of reading one disclosure into a record (callgrind).

    python benchmarks/bench_read_stages.py [DOCUMENT] [--python PY [BASELINE_PY]] [--imports] [--wrap MODULE:NAME ...]

Reads DOCUMENT (default examples/bureau_2025.txt) as ``fiscalrules audit`` does -- the pattern
cache warmed by two audits, ``import fiscalrules.cli`` first, then ``read_document_record`` (an
install from before it: ``read_document`` and ``load_record``) -- under ``valgrind
--tool=callgrind --dump-before=getppid``: the child calls ``os.getppid()`` as it enters and leaves
each stage (the budget reader's steps, wrapped), so callgrind writes the instructions since the
last mark at every mark.  Prints the instructions of each stage (a stage inside another is
counted apart from it: "outer/inner"), the reading in all, ``load_record`` (0 where the reader
indexes its record: that walk is the reader's stage ``_indexed_as_written``) and the two
together: figures a shared machine's load does not change (two runs agree within ~0.1 M).  Lazy
work is counted where it is first asked for (a line's words, a section's stream).

* ``--python PY [BASELINE_PY]``: the fiscalrules installed in these interpreters (``pip install .``
  into a venv) instead of this checkout, the second printed beside the first;
* ``--imports``: every module imported while reading, as a stage of its own;
* ``--wrap MODULE:NAME``: more stages (a function, or Class.method, of MODULE), repeatable.

Target (issue 10): the CLI audit of one text disclosure < 150 ms, and its reading <= 80 M.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from callgrind_marks import Marks, dump_costs, per_stage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The budget reader's steps (fiscalrules.readers.budget.reader), and the template-agnostic ones.
_STAGES = ("_check_is_disclosure", "analyse", "read_document_facts", "read_headcount", "read_narrative_section",
           "read_project_section", "read_itemised_stream", "_list_unread_amounts", "read_performance_table",
           "read_standard_table", "resolve_item_codes", "_list_missing_tables", "_record_quality",
           "_drop_unloadable", "_indexed_as_written", "list_blank_pages", "locate_sources", "locate_unread",
           "measure")


def _child(document: str, out: str, imports: bool, extra: list[str]) -> None:
    """Runs under callgrind: read *document* with a mark at every stage's entry and exit."""
    marks = Marks()
    mark, wrap = marks.mark, marks.wrap
    from fiscalrules.patterncache import preload
    preload()
    import fiscalrules.cli  # noqa: F401  (what the command line has imported before it reads)
    from fiscalrules.records import load_record
    if imports:
        marks.mark_imports()
    for spec in extra:
        marks.wrap_spec(spec)
    mark("<import readers")
    import fiscalrules.readers as readers
    mark(">import readers")
    import fiscalrules.readers.budget.reader as reader
    for name in ("open_document", "document_kind"):
        wrap(readers, name)
    for name in _STAGES:
        if hasattr(reader, name):
            wrap(reader, name)
    if hasattr(readers, "read_document_record"):   # as the CLI reads: the reader indexes its record
        mark("<read_document")
        readers.read_document_record(document, file=document)
        mark(">read_document")
    else:                                            # an install from before it did
        mark("<read_document")
        data = readers.read_document(document)
        mark(">read_document")
        mark("<load_record")
        load_record(data, file=document)
        mark(">load_record")
    with open(os.path.join(out, "labels.json"), "w") as handle:
        json.dump(marks.labels, handle)


def _stages(folder: str) -> dict[str, int]:
    """Instructions per stage from the dumps in *folder* (the last, after the final mark, is the
    child writing its labels: not counted)."""
    with open(os.path.join(folder, "labels.json")) as handle:
        labels = json.load(handle)
    return per_stage(zip(labels, dump_costs(folder)[1:len(labels)]), "(between stages)")


def measure(python: str | None, document: str, imports: bool, extra: list[str]) -> dict[str, int]:
    env = dict(os.environ, PYTHONHASHSEED="0", FISCALRULES_CACHE="1")
    if python is None:
        python, cwd = sys.executable, ROOT
        env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    else:
        cwd = tempfile.gettempdir()   # no checkout on sys.path: the installed package is read
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        env["FISCALRULES_CACHE_DIR"] = cache
        for _ in range(2):   # the ruleset and pattern caches, as a warm audit finds them
            subprocess.run([python, "-m", "fiscalrules", "audit", "--no-progress", document], cwd=cwd, env=env,
                           capture_output=True, check=False)
        command = ["valgrind", "--tool=callgrind", "--dump-before=getppid",
                   f"--callgrind-out-file={out}/out.%p", python, os.path.abspath(__file__), "--child", document, out,
                   *(["--imports"] if imports else []), *(arg for spec in extra for arg in ("--wrap", spec))]
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not os.path.exists(os.path.join(out, "labels.json")):
            raise SystemExit(f"the read under callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return _stages(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("document", nargs="?", default=os.path.join(ROOT, "examples", "bureau_2025.txt"))
    parser.add_argument("--python", nargs="+", metavar="PY", help="installed fiscalrules: this tree's (and a baseline's)")
    parser.add_argument("--imports", action="store_true", help="every module imported while reading, as a stage")
    parser.add_argument("--wrap", action="append", default=[], metavar="MODULE:NAME", help="another stage")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], args.imports, args.wrap)
        return 0
    document = os.path.abspath(args.document)
    pythons = args.python or [None]
    results = [measure(python, document, args.imports, args.wrap) for python in pythons[:2]]
    print(f"reading {os.path.relpath(document, ROOT)}: instructions per stage (M)"
          + ("   this tree / baseline" if len(results) > 1 else ""))
    names = sorted(set().union(*results), key=lambda name: -results[0].get(name, 0))
    for name in names:
        print(f"  {'  '.join(f'{result.get(name, 0) / 1e6:8.2f}' for result in results)}  {name}")
    for label, test in (("reading (all but load_record)", lambda name: not name.startswith("load_record")),
                        ("load_record", lambda name: name.startswith("load_record")),
                        ("reading and load_record", lambda name: True)):
        print(f"  {'  '.join(f'{sum(c for n, c in r.items() if test(n)) / 1e6:8.2f}' for r in results)}  = {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
