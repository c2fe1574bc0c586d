"""Benchmark: does localisation point at the figure that was made wrong, and suggest its value?

    python benchmarks/bench_localise.py [N] [--seed S] [--generated G] [--documents DIR]
    python benchmarks/bench_localise.py --instructions DOCUMENT... [--baseline DIR]

**Real disclosures.**  Every document in ``../shared/disclosures`` (and its ``shanghai/``
folder) of the ruleset's template (``--ruleset``: budget_disclosure, the default, or
final_accounts for the 决算) that the readers on this checkout can read is turned into a record; then, N times per
kind of error, one printed number of the record is made wrong and the document audited and
localised again (seeded, so runs repeat):

* ``amount``     -- changed by a random amount (2 to 99 units of its last digit, times 1, 10 or 100);
* ``digits``     -- two adjacent different digits swapped (329.94 → 329.49);
* ``direction``  -- a stated change or percentage flipped (增加 ↔ 减少, 增长 ↔ 下降: the sign);
* ``decimal``    -- the decimal point moved one place (45.00 → 450.0 or 4.500);
* ``year``       -- a year the text mentions (or the budget year) one off;
* ``neighbour``  -- replaced by a different number printed on the same or an adjacent line.

Only numbers some linear rule of the ruleset reads are changed (others cannot be noticed).  The
documents already have failures of their own, so the measures compare with the unchanged
document.  Per kind, as percentages of the *detected* injections (those that make a rule fail
that held):

* ``sole first``    -- the group of failures involving the changed figure ranks an explanation
  with it first, and no other explanation is tied with that one;
* ``first incl. ties`` -- it is in an explanation ranked first or tied with the first (``1=``:
  all are listed, none is picked);
* ``listed first``  -- it is in the first explanation listed (ties come in document order, so
  this counts the order of printing too: the measure of earlier versions of this benchmark);
* ``identifiable``  -- no *other* figure, changed alone, explains the injection as well: none of
  the single-figure explanations listed for the group, of another figure, leaves the evaluator
  (run here, independently of the localiser) with no failure the unchanged document lacks.
  Where one does, the record cannot tell the two apart and only the prior (a total weighs more
  than a part, a typist slip) or a tie decides; in brackets, ``sole first`` among the
  identifiable;
* ``suggestion correct`` -- it is in an explanation ranked first (or tied) and the value
  suggested for it is the original within rounding (one unit of its last digit);
* ``entangled`` -- the injection touches the document's own failures (its group contains one, or
  one of them changed or disappeared): the original figure is then no clean answer; in
  brackets, ``sole first`` among those.

``masked`` (of the injected): nothing new fails, but a failure of the document's own changed.

**Generated records.**  ``--generated G`` consistent records per bundled ruleset from
``fiscalrules.testing.generate_record`` (half rounded as a publisher would), each changed once
per kind (``amount`` beyond the figure's allowance, ``digits``, ``sign``) with
``fiscalrules.testing.perturb``; the unchanged records must get no explanation at all.

**Time.**  What localising adds to auditing a real disclosure (read + evaluate), as CPU time of
this process (the machine is shared: wall-clock figures swing with its load), best of 5.

**Instructions.**  ``--instructions DOCUMENT... [--baseline DIR]``: what ``Report.localise()``
costs in one fresh process as the CLI runs it (the ruleset from a warm cache, preloaded
patterns, PYTHONHASHSEED=0), counted by ``valgrind --tool=callgrind``: the same script is run
twice, stopping before and after localising, and the difference printed -- for this checkout and,
with ``--baseline``, another one (``git worktree add --detach DIR COMMIT``; run with
``PYTHONPATH=DIR``), with the ratio.  Load does not change the counts (two runs agree within
~0.1 %).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fiscalrules  # noqa: E402
from fiscalrules import testing  # noqa: E402
from fiscalrules.errors import FiscalRulesError  # noqa: E402
from fiscalrules.localise import patched  # noqa: E402
from fiscalrules.localise.footprint import footprints, tokens_of  # noqa: E402
from fiscalrules.localise.model import Constraints  # noqa: E402
from fiscalrules.localise.slips import Neighbours  # noqa: E402
from fiscalrules.symbolic.plan import symbolic_plan  # noqa: E402
from fiscalrules.testing.paths import _write_raw  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KINDS = ("amount", "digits", "direction", "decimal", "year", "neighbour")


def _documents(folder: str) -> list:
    out = []
    for base, _dirs, files in os.walk(folder):
        for name in sorted(files):
            if name.lower().endswith((".txt", ".pdf")) and name.lower() != "readme.md":
                out.append(os.path.join(base, name))
    return sorted(out)


def _read(path: str, template: str):
    """The record of the document at *path*, read by its own template's reader, or the reason it
    is left out: unreadable, or a document of another template than *template* (the ruleset's:
    ``--ruleset final_accounts`` measures the 决算 documents)."""
    from fiscalrules.readers import read_document
    try:
        data = read_document(path)
    except (FiscalRulesError, OSError, ValueError) as exc:
        return exc
    kind = data.get("_meta", {}).get("template")
    if kind != template:
        return ValueError(f"a {kind} document (measured with --ruleset {kind})")
    return data


def _failed(report) -> dict:
    """Each failure (rule, row) with its difference: an injection is noticed when a failure
    appears or an old one changes."""
    return {(f.rule, f.item): f.difference for f in report.findings if f.status == "fail"}


def _targets(ruleset, data) -> list:
    """Figure variables some linear clause of the ruleset reads, with their Var.  Every figure
    of the record is covered, so that rules checked row by row are modelled for every row (the
    localisation itself models only the rows related to the failures' figures)."""
    record = fiscalrules.load_record(data)
    cons = Constraints(ruleset, record)
    cons.cover(set(cons.index), {rule.id for rule in ruleset.rules})
    out = []
    for key, clauses in cons.by_var.items():
        if any(c.linear for c in clauses) and key in cons.vars:
            out.append(cons.vars[key])
    out.sort(key=lambda v: v.key)
    return out, cons


def _text(value: Decimal) -> str:
    return format(value, "f")


def _inject(kind: str, var, rnd, neighbours) -> str | None:
    """The new printed text for *var* (None when this kind does not apply to it)."""
    raw = var.raw
    if kind == "amount":
        if var.key[1] == "value" and "year" in var.key[0]:
            return None
        step = Decimal(var.step.numerator) / Decimal(var.step.denominator)
        delta = step * rnd.randint(2, 99) * 10 ** rnd.randint(0, 2) * rnd.choice((1, -1))
        new = raw + delta
        if var.nonneg and new < 0:
            new = raw - delta
        return _text(new)
    if kind == "digits":
        text = _text(raw)
        sign = "-" if text.startswith("-") else ""
        body = text.lstrip("-")
        spots = [i for i in range(len(body) - 1) if body[i].isdigit() and body[i + 1].isdigit()
                 and body[i] != body[i + 1] and not (i == 0 and body[1] == "0" and len(body.split(".")[0]) > 1)]
        if not spots:
            return None
        i = rnd.choice(spots)
        return sign + body[:i] + body[i + 1] + body[i] + body[i + 2:]
    if kind == "direction":
        if var.key[1] not in ("change", "pct") or raw == 0:
            return None
        return _text(-raw)
    if kind == "decimal":
        if var.key[1] != "value" or raw == 0 or "year" in var.key[0]:
            return None
        return _text(raw.scaleb(rnd.choice((1, -1))))
    if kind == "year":
        if "year" not in var.key[0] or var.key[1] != "value":
            return None
        return _text(raw + rnd.choice((1, -1)))
    if kind == "neighbour":
        if var.key[1] != "value" or "year" in var.key[0]:
            return None
        options = [other for other, meta, value in neighbours.around(var.figure, "value")
                   if value != raw and meta == "value" and (value >= 0 or not var.nonneg)]
        values = sorted({value for _f, meta, value in neighbours.around(var.figure, "value")
                         if meta == "value" and value != raw and (value >= 0 or not var.nonneg)})
        if not options or not values:
            return None
        return _text(rnd.choice(values))
    raise ValueError(kind)


def _judge(ruleset, report, key, original: Decimal, step: Fraction, baseline: dict) -> dict:
    """What localisation made of one injection (see the module docstring for the measures)."""
    failed = _failed(report)
    new = [k for k in failed if k not in baseline]
    if not new:
        # Nothing that held fails: the error shows at most in rules the document already
        # failed (masked), or nowhere (it may even have repaired a failure).
        masked = any(baseline.get(k, diff) != diff for k, diff in failed.items())
        return {"detected": False, "masked": masked}
    localised = report.localise()
    path = key[0]
    groups = []
    for loc in localised:
        labels = set(loc.failures)
        involved = [f for f in report.findings if f.status == "fail"
                    and f.rule + (f"[{f.item}]" if f.item else "") in labels
                    and any(o.path == path for o in f.operands)]
        if involved or any(c.path == path and c.meta == key[1] for e in loc.explanations for c in e.changes):
            groups.append(loc)
    out = {"detected": True, "listed first": False, "sole first": False, "tied first": False, "suggested": False}
    for loc in groups:
        if not loc.explanations:
            continue
        if any((c.path, c.meta) == key for c in loc.explanations[0].changes):
            out["listed first"] = True
            out["sole first"] = out["sole first"] or len(loc.best) == 1
        for e in loc.best:
            hit = next((c for c in e.changes if (c.path, c.meta) == key), None)
            if hit is not None:
                out["tied first"] = True
                out["suggested"] = out["suggested"] or abs(Fraction(hit.suggested) - Fraction(original)) <= step
    labels = {f"{r}[{i}]" if i else r for r, i in baseline}
    # Entangled: the injection touches the document's own failures (a group with one of them,
    # or one of them changed or repaired): the original figure is then no clean answer.
    out["entangled"] = any(set(loc.failures) & labels for loc in groups) or \
        any(failed.get(k) != diff for k, diff in baseline.items())
    out["identifiable"] = not _indistinguishable(ruleset, report, groups, key, baseline)
    return out


def _indistinguishable(ruleset, report, groups: list, key, baseline: dict) -> bool:
    """Whether another figure, changed alone, explains the injection as well as the injected
    figure does: some single-figure explanation listed for the groups, of another figure, after
    which the evaluator finds no failure the unchanged document did not have.  Then the record
    cannot tell the two apart; only the prior (weights, typist slips) or a tie decides.  Checked
    here with the evaluator, independently of the localiser's own verification: the rules
    failing now and every rule that may read the other figure (by its footprint) are evaluated
    on the corrected record; the others cannot change."""
    others = [e.changes[0] for loc in groups for e in loc.explanations
              if len(e.changes) == 1 and not e.fixes and (e.changes[0].path, e.changes[0].meta) != key]
    if not others:
        return False
    record = _record_of(report)
    plan = symbolic_plan(ruleset)
    prints = footprints(ruleset)
    failing = {f.rule for f in report.findings if f.status in ("fail", "error")}
    for change in others:
        tokens = tokens_of(change.path)
        rules = failing | {rule for rule, fp in prints.items()
                           if rule in plan.compiled and (fp is None or not fp.isdisjoint(tokens))}
        fixed = patched(record, {(change.path, change.meta): change.suggested})
        if all((f.rule, f.item) in baseline for rule in sorted(rules) for f in plan.compiled[rule].evaluate(fixed)
               if f.status in ("fail", "error")):
            return True
    return False


def _record_of(report):
    """The record a one-record report was evaluated on."""
    [(_ruleset, record)] = [entry for inputs in report._inputs.values() for entry in inputs]
    return record if isinstance(record, fiscalrules.Record) else fiscalrules.load_record(record)


def measure_documents(ruleset, paths: list, n: int, seed: int) -> dict:
    rnd = random.Random(seed)
    stats = defaultdict(Counter)
    by_document = defaultdict(Counter)
    examples = defaultdict(list)
    timing = []
    read = []
    for path in paths:
        data = _read(path, ruleset.name)
        if isinstance(data, Exception):
            read.append((os.path.basename(path), f"not read: {str(data).splitlines()[0][:80]}"))
            continue
        base = ruleset.evaluate(data)
        baseline = _failed(base)
        targets, cons = _targets(ruleset, data)
        neighbours = Neighbours(cons.index)
        read.append((os.path.basename(path), f"{len(baseline)} failures of its own, {len(targets)} figures "
                                             f"read by linear rules, {len(base.localise())} groups localised"))
        timing.append((os.path.basename(path),) + _time(ruleset, path))
        for kind in KINDS:
            options = list(targets)
            rnd.shuffle(options)
            done = 0
            for var in options:
                if done >= n:
                    break
                new = _inject(kind, var, rnd, neighbours)
                if new is None:
                    continue
                changed = copy.deepcopy(data)
                _write_raw(changed, var.key[0], var.key[1], new)
                try:
                    report = ruleset.evaluate(changed)
                except FiscalRulesError:
                    continue
                done += 1
                outcome = _judge(ruleset, report, var.key, var.raw, var.step, baseline)
                for s in (stats[kind], by_document[os.path.basename(path)]):
                    _count(s, outcome)
                if _missed(outcome) and len(examples[kind]) < 6 and \
                        (not outcome["entangled"] or not os.environ.get("CLEAN")):
                    examples[kind].append((os.path.basename(path)[:12], var.key, _text(var.raw), new,
                                           _first_text(report, var.key[0])))
    return {"stats": stats, "examples": examples, "timing": timing, "read": read, "documents": by_document}


def _missed(outcome: dict) -> bool:
    """Detected, and the injected figure not alone in first place (tied, ranked lower, absent);
    with TIED=1, only when not even tied first."""
    if not outcome["detected"]:
        return False
    return not outcome["tied first" if os.environ.get("TIED") else "sole first"]


def _count(s: Counter, outcome: dict) -> None:
    s["injected"] += 1
    s["masked"] += bool(outcome.get("masked"))
    if not outcome["detected"]:
        return
    s["detected"] += 1
    for name in ("listed first", "sole first", "tied first", "suggested", "identifiable", "entangled"):
        s[name] += outcome[name]
    s["identifiable first"] += outcome["identifiable"] and outcome["sole first"]
    s["entangled first"] += outcome["entangled"] and outcome["sole first"]


def _row(label, s: Counter) -> list:
    detected = s["detected"]
    return [label, s["injected"], _rate(detected, s["injected"]), _rate(s["masked"], s["injected"]),
            _rate(s["sole first"], detected), _rate(s["tied first"], detected), _rate(s["listed first"], detected),
            f"{_rate(s['identifiable'], detected)} ({_rate(s['identifiable first'], s['identifiable'])})",
            _rate(s["suggested"], detected),
            f"{_rate(s['entangled'], detected)} ({_rate(s['entangled first'], s['entangled'])})"]


HEADERS = ["kind", "injected", "detected", "masked", "sole first", "first incl. ties", "listed first",
           "identifiable (sole first)", "suggestion correct", "entangled (sole first)"]


def _first_text(report, path: str) -> str:
    """The localisation of the groups whose failures involve *path* (for looking at misses)."""
    out = []
    for loc in report.localise():
        labels = set(loc.failures)
        if not any(f.status == "fail" and f.rule + (f"[{f.item}]" if f.item else "") in labels
                   and any(o.path == path for o in f.operands) for f in report.findings):
            continue
        first = " || ".join(e.text("en")[:100] for e in loc.explanations[:3]) or loc.reason
        out.append(", ".join(loc.failures)[:50] + " → " + first)
    return " | ".join(out[:2]) or "no group involves it"


def _time(ruleset, path: str, repeat: int = 5) -> tuple:
    """(audit, localise) CPU seconds for one document, best of *repeat*."""
    best_audit = best_loc = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        data = _read(path, ruleset.name)
        report = ruleset.evaluate(data)
        t1 = time.process_time()
        report.localise()
        t2 = time.process_time()
        best_audit, best_loc = min(best_audit, t1 - t0), min(best_loc, t2 - t1)
    return best_audit, best_loc


def measure_generated(ruleset, count: int, seed: int) -> dict:
    rnd = random.Random(seed)
    stats = defaultdict(Counter)
    examples = defaultdict(list)
    clean_explained = 0
    records = 0
    for i in range(count):
        try:
            record = testing.generate_record(ruleset, seed=rnd.randrange(2 ** 63), rounded=i % 2 == 1)
        except testing.GenerationError:
            continue
        records += 1
        base = ruleset.evaluate(record)
        if base.localise():
            clean_explained += 1
        baseline = _failed(base)
        model = testing.analyze(ruleset, record)
        for kind in ("amount", "digits", "sign"):
            change = testing.perturb(ruleset, record, kind, rnd, model=model)
            if change is None or not change.must_fail:
                continue
            report = ruleset.evaluate(change.record)
            loaded = fiscalrules.load_record(record)
            figure = _figure(loaded, change.path)
            step = Fraction(_step(ruleset, figure, change.meta))
            outcome = _judge(ruleset, report, (change.path, change.meta), Decimal(change.old), step, baseline)
            _count(stats[kind], outcome)
            if _missed(outcome) and len(examples[kind]) < 8:
                examples[kind].append(("generated", (change.path, change.meta), change.old, change.new,
                                       _first_text(report, change.path)))
    return {"stats": stats, "records": records, "clean_explained": clean_explained, "examples": examples}


def _figure(record, path):
    from fiscalrules.symbolic.plan import figure_index
    return figure_index(record).get(path)


def _step(ruleset, figure, meta) -> Decimal:
    raw = figure.value if meta == "value" else getattr(figure, meta)
    decl = ruleset.settings.decl_for(figure.path)
    try:
        q = ruleset.settings.to_quantity(figure, decl, meta)
        half = (q.hi - q.point) / (q.point / raw if raw else 1)
    except Exception:  # noqa: BLE001 - a figure the evaluator cannot read: its own last digit
        half = Decimal(0)
    return 2 * half if half else Decimal(1).scaleb(min(raw.as_tuple().exponent, 0))


def _rate(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


_INSTRUCTIONS_SCRIPT = """
import sys
from fiscalrules.patterncache import preload; preload()
from fiscalrules.cli import DEFAULT_AUDIT_RULESET, _load_rulesets
from fiscalrules.readers import read_document
from fiscalrules.records import load_record
data = read_document(sys.argv[1])
[ruleset] = _load_rulesets([data.get("_meta", {}).get("template") or DEFAULT_AUDIT_RULESET])
report = ruleset.evaluate(load_record(data, file=sys.argv[1]))
if sys.argv[2] == "localise":
    report.localise()
"""


def instructions(tree: str, document: str) -> int | None:
    """Instructions ``Report.localise()`` costs on *document* with the checkout *tree* (callgrind:
    the same process stopped after evaluating, and after localising), or None without valgrind."""
    import re
    import shutil
    import subprocess
    import tempfile
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, PYTHONPATH=tree, FISCALRULES_CACHE="1", FISCALRULES_CACHE_DIR=folder,
                   PYTHONHASHSEED="0")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for _ in range(2):   # the cache entries and the bytecode written
            subprocess.run([sys.executable, "-m", "fiscalrules", "audit", document], env=env, cwd=folder,
                           capture_output=True)
        counts = []
        for stop in ("evaluate", "localise"):
            done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                                   "-c", _INSTRUCTIONS_SCRIPT, document, stop], env=env, cwd=folder,
                                  capture_output=True, text=True)
            found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
            if done.returncode != 0 or not found:
                raise SystemExit(f"the run under callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
            counts.append(int(found.group(1)))
    return counts[1] - counts[0]


def main_instructions(documents: list, baseline: str | None) -> int:
    trees = [("this tree", ROOT)] + ([("baseline", baseline)] if baseline else [])
    for document in documents:
        counts = {label: instructions(os.path.abspath(tree), os.path.abspath(document)) for label, tree in trees}
        if None in counts.values():
            print("valgrind not found: no instruction counts")
            return 1
        line = ", ".join(f"{label} {count / 1e6:.1f} M" for label, count in counts.items())
        ratio = f" (baseline / this tree {counts['baseline'] / counts['this tree']:.2f}x)" if baseline else ""
        print(f"{os.path.basename(document)}: localisation {line}{ratio}")
    return 0


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if "--instructions" in argv:
        parser = argparse.ArgumentParser(description="instructions of Report.localise() (callgrind)")
        parser.add_argument("--instructions", nargs="+", metavar="DOCUMENT", required=True)
        parser.add_argument("--baseline", help="another checkout of the repository to compare with")
        args = parser.parse_args(argv)
        return main_instructions(args.instructions, args.baseline)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=40, help="injections per kind per document (default 40)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--generated", type=int, default=60, help="generated records per ruleset (default 60)")
    parser.add_argument("--documents", default=os.path.join(ROOT, "..", "shared", "disclosures"))
    parser.add_argument("--ruleset", default="budget_disclosure")
    args = parser.parse_args(argv)
    from tabulate import tabulate

    ruleset = fiscalrules.load_ruleset(args.ruleset)
    paths = _documents(args.documents) if os.path.isdir(args.documents) else []
    print(f"seed {args.seed}, {args.n} injections per kind per document, ruleset {args.ruleset}")
    if paths:
        res = measure_documents(ruleset, paths, args.n, args.seed)
        for name, what in res["read"]:
            print(f"  {name}: {what}")
        rows, total = [], Counter()
        for kind in KINDS:
            total.update(res["stats"][kind])
            rows.append(_row(kind, res["stats"][kind]))
        rows.append(_row("all", total))
        print()
        print("Real disclosures: one error injected at a time (rates of the detected)")
        print(tabulate(rows, headers=HEADERS, tablefmt="github"))
        rows = [_row(name, s) for name, s in res["documents"].items()]
        print()
        print(tabulate(rows, headers=["document (all kinds)"] + HEADERS[1:], tablefmt="github"))
        print()
        rows = [[name, f"{audit * 1000:.1f}", f"{loc * 1000:.1f}", f"{loc / audit:.2f}"]
                for name, audit, loc in res["timing"]]
        print("Time localisation adds (CPU ms, best of 5)")
        print(tabulate(rows, headers=["document", "audit (read + evaluate)", "localise", "ratio"],
                       tablefmt="github"))
        for kind, items in res["examples"].items():
            for doc, key, old, new, first in items[:int(os.environ.get("SHOW", "2"))]:
                print(f"    not first ({kind}) {doc} {key[0]}/{key[1]} {old} → {new}: {first}")
    else:
        print(f"no documents at {args.documents}: real-disclosure figures skipped")
    if args.generated:
        res = measure_generated(ruleset, args.generated, args.seed)
        print()
        print(f"Generated records ({res['records']} consistent records of {args.ruleset}, half rounded): "
              f"{res['clean_explained']} of them got an explanation (target 0)")
        rows = [_row(kind, res["stats"][kind]) for kind in ("amount", "digits", "sign")]
        print(tabulate(rows, headers=HEADERS, tablefmt="github"))
        for kind, items in res["examples"].items():
            for doc, key, old, new, first in items[:int(os.environ.get("SHOW", "2"))]:
                print(f"    not first ({kind}) {doc} {key[0]}/{key[1]} {old} → {new}: {first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
