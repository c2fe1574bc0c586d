"""Benchmark: rules whose comprehension is filtered by an equality of texts, over large tables.

    python benchmarks/bench_join.py [N ...] [--scan] [--repeat R] [--no-localise] [--no-columnar]

PRJ-015 / PRJ-016 / PROC-016 of the bundled budget ruleset compare each unit's subtotal with the
sum of the rows of that unit (``sum(r.total for r in tables.projects.rows where
coalesce(r.unit_code, r.unit) = coalesce(s.unit_code, s.unit))`` for each subtotal *s*): scanned,
that is units × rows filter evaluations per rule.  A fictional record is made with N units of
three projects each (plus their subtotals, one of them misprinted, a project description per ten
units and a procurement table of a row per unit), and timed -- CPU time of this process, best of
*R* (the machine is shared: wall clock swings with its load) -- through

* ``evaluate``: ``Ruleset.evaluate`` of the three rules (the per-record engine);
* ``audit``: the whole bundled ruleset's ``evaluate`` and ``Report.localise()``, what the CLI's
  ``audit`` does with a document's record (it localises the failures);
* ``columnar``: ``Ruleset.evaluate_table`` of the three rules over the record flattened to frames;
* ``json``: the audit's report written as JSON (``Report.to_json``: every finding with its
  operands, and the localisation), its size printed too -- a finding lists the rows its filter
  kept, so the size grows as the record (it listed every row's unit code: quadratic).

Each line prints the seconds per N and the growth from the previous N (×4 per doubling is
quadratic, ×2 linear).  ``--scan`` turns the lookups off (fiscalrules.joins, fiscalrules.symbolic.joined,
fiscalrules.columnar.joined): the evaluation as it was, to compare.  The statuses of both are printed
(a checksum of every finding's rule, item and status) and must be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from contextlib import ExitStack
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fiscalrules  # noqa: E402

RULES = ("PRJ-015", "PRJ-016", "PROC-016")


def record(units: int) -> dict:
    """A fictional department's budget: *units* units of three projects each, their subtotals (one
    misprinted by 1.00), a narrative description of every tenth unit's first project, and a
    procurement table of one row per unit with its subtotal."""
    rows, subtotals, procurement, procurement_subtotals = [], [], [], []
    for u in range(units):
        code, name = f"{118000 + u}", f"第{u}单位"
        total = 0
        for k in range(3):
            amount = 10 + k + u % 7
            total += amount
            rows.append({"unit_code": code, "unit": name, "name": f"项目{u}-{k}项目", "project": f"项目{u}-{k}",
                         "total": f"{amount}.00"})
        misprint = 1 if u == units // 2 else 0
        subtotals.append({"unit_code": code, "unit": name, "total": f"{total + misprint}.00"})
        procurement.append({"unit_code": code, "unit": name, "name": f"设备{u}", "total": f"{u % 5 + 1}.00"})
        procurement_subtotals.append({"unit_code": code, "unit": name, "total": f"{u % 5 + 1}.00"})
    return {"_meta": {"id": f"units{units}"},
            "projects": [{"name": f"项目{u}-0", "amount": f"{10 + u % 7}"} for u in range(0, units, 10)],
            "tables": {"projects": {"rows": rows, "subtotals": subtotals,
                                    "totals": {"total": f"{sum(int(r['total'][:-3]) for r in rows)}.00"}},
                       "procurement": {"rows": procurement, "subtotals": procurement_subtotals,
                                       "totals": {"total": f"{sum(u % 5 + 1 for u in range(units))}.00"}}}}


def scanning() -> ExitStack:
    """Every comprehension scanned, as before the lookups."""
    stack = ExitStack()
    from fiscalrules import joins
    from fiscalrules.symbolic import joined
    stack.enter_context(mock.patch.object(joins, "shape_of", lambda node: None))
    stack.enter_context(mock.patch.object(joined, "shape_of", lambda node: None))
    try:
        from fiscalrules.columnar import joined as columnar_joined
    except ImportError:   # (no columnar extra, or a checkout before it)
        return stack
    stack.enter_context(mock.patch.object(columnar_joined, "shape_of", lambda node: None))
    return stack


def _checksum(findings) -> str:
    text = "\n".join(f"{f.rule}\t{f.item}\t{f.status}" for f in findings)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _best(fn, repeat: int):
    best, result = None, None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", nargs="*", type=int, default=[250, 500, 1000, 2000])
    parser.add_argument("--scan", action="store_true", help="turn the lookups off (the evaluation as it was)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-localise", action="store_true", help="leave out the audit's evaluate + localise")
    parser.add_argument("--no-columnar", action="store_true", help="leave out evaluate_table")
    parser.add_argument("--no-json", action="store_true", help="leave out the audit's JSON report")
    args = parser.parse_args()
    full = fiscalrules.load_ruleset("budget_disclosure")
    three = full.subset(select=RULES)
    with scanning() if args.scan else ExitStack():
        previous: dict = {}
        print(f"{'units':>6} {'rows':>6}  {'engine':<9} {'CPU s':>8} {'growth':>7}  statuses")
        for units in args.units:
            data = record(units)
            rows = 3 * units
            runs = [("evaluate", lambda: three.evaluate(data).findings)]
            if not args.no_localise:
                def audit():
                    report = full.evaluate(data)
                    report.localise()
                    return report.findings
                runs.append(("audit", audit))
            if not args.no_json:
                def as_json():
                    report = full.evaluate(data)
                    report.localise()
                    return report, report.to_json()
                runs.append(("json", as_json))
            if not args.no_columnar:
                from fiscalrules.columnar import flatten_records
                frames = flatten_records([data], three)
                runs.append(("columnar", lambda: list(three.evaluate_table(frames).findings())))
            for name, fn in runs:
                spent, findings = _best(fn, args.repeat)
                size = ""
                if name == "json":
                    report, text = findings
                    findings, size = report.findings, f"  {len(text.encode()) / 1e6:.2f} MB"
                growth = f"x{spent / previous[name]:.1f}" if previous.get(name) else ""
                previous[name] = spent
                print(f"{units:>6} {rows:>6}  {name:<9} {spent:>8.2f} {growth:>7}  {_checksum(findings)}{size}",
                      flush=True)


if __name__ == "__main__":
    main()
