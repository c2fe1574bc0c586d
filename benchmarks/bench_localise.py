"""Benchmark: does localisation point at the figure that was made wrong, and suggest its value?

    python benchmarks/bench_localise.py [N] [--seed S] [--generated G] [--documents DIR]

**Real disclosures.**  Every document in ``../shared/disclosures`` (and its ``shanghai/``
folder) that the readers on this checkout can read is turned into a record; then, N times per
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
document: an injection is *detected* when the set of failed rules changes; *first* when the
group of failures involving the changed figure has it in its first-ranked explanation (the
first listed, when several are equally likely); *tied* when it is in one of the explanations
ranked first; *suggested* when, in that explanation, its suggested value is the original one
within rounding (at most one unit of its last digit away).  Percentages are of the detected
injections.

**Generated records.**  ``--generated G`` consistent records per bundled ruleset from
``fiscalrules.testing.generate_record`` (half rounded as a publisher would), each changed once
per kind (``amount`` beyond the figure's allowance, ``digits``, ``sign``) with
``fiscalrules.testing.perturb``; the unchanged records must get no explanation at all.

**Time.**  What localising adds to auditing a real disclosure (read + evaluate), as CPU time of
this process (the machine is shared: wall-clock figures swing with its load), best of 5.
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
from fiscalrules.localise.model import Constraints  # noqa: E402
from fiscalrules.localise.slips import Neighbours  # noqa: E402
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


def _read(path: str):
    from fiscalrules.readers import read_disclosure
    try:
        return read_disclosure(path)
    except (FiscalRulesError, OSError, ValueError) as exc:
        return exc


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


def _judge(report, key, original: Decimal, step: Fraction, baseline: set) -> tuple:
    """(detected, first, tied, suggested, unique) for one injection; *unique* when the group's
    smallest explanation is the only one (no prior was needed to rank it)."""
    failed = _failed(report)
    new = [k for k in failed if k not in baseline]
    if not new:
        # Nothing that held fails: the error shows at most in rules the document already
        # failed (masked), or nowhere (it may even have repaired a failure).
        masked = any(baseline.get(k, diff) != diff for k, diff in failed.items())
        return ("masked" if masked else False), False, False, False, False
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
    first = tied = suggested = unique = False
    for loc in groups:
        if not loc.explanations:
            continue
        best = loc.explanations[0]
        if len(loc.explanations) == 1 and not loc.more and not best.fixes:
            unique = True
        hit = next((c for c in best.changes if (c.path, c.meta) == key), None)
        if hit is not None:
            first = True
            suggested = suggested or abs(Fraction(hit.suggested) - Fraction(original)) <= step
        for e in loc.best:
            if any((c.path, c.meta) == key for c in e.changes):
                tied = True
    entangled = any(set(loc.failures) & {f"{r}[{i}]" if i else r for r, i in baseline} for loc in groups)
    return ("entangled" if entangled else True), first, tied, suggested, unique


def measure_documents(ruleset, paths: list, n: int, seed: int) -> dict:
    rnd = random.Random(seed)
    stats = defaultdict(Counter)
    by_document = defaultdict(Counter)
    examples = defaultdict(list)
    timing = []
    read = []
    for path in paths:
        data = _read(path)
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
                outcome = _judge(report, var.key, var.raw, var.step, baseline)
                detected, first = outcome[:2]
                detected = detected not in (False, "masked")
                for s in (stats[kind], by_document[os.path.basename(path)]):
                    _count(s, *outcome)
                if detected and not first and len(examples[kind]) < 6 and \
                        (outcome[0] != "entangled" or not os.environ.get("CLEAN")):
                    examples[kind].append((os.path.basename(path)[:12], var.key, _text(var.raw), new,
                                           _first_text(report, var.key[0])))
    return {"stats": stats, "examples": examples, "timing": timing, "read": read, "documents": by_document}


def _count(s: Counter, detected, first, tied, suggested, unique) -> None:
    s["injected"] += 1
    s["masked"] += detected == "masked"
    if detected in (False, "masked"):
        return
    s["detected"] += 1
    s["entangled"] += detected == "entangled"
    s["entangled first"] += detected == "entangled" and first
    s["first"] += first
    s["tied"] += tied
    s["suggested"] += suggested
    s["unique"] += unique
    s["unique first"] += unique and first


def _row(label, s: Counter) -> list:
    return [label, s["injected"], _rate(s["detected"], s["injected"]), _rate(s["masked"], s["injected"]),
            _rate(s["first"], s["detected"]), _rate(s["tied"], s["detected"]), _rate(s["suggested"], s["detected"]),
            f"{_rate(s['unique'], s['detected'])} ({_rate(s['unique first'], s['unique'])})",
            f"{_rate(s['entangled'], s['detected'])} ({_rate(s['entangled first'], s['entangled'])})",
            _rate(s["first"] - s["entangled first"], s["detected"] - s["entangled"])]


HEADERS = ["kind", "injected", "detected", "masked", "first-ranked", "in a tied first", "suggestion correct",
           "unique expl. (first)", "entangled (first)", "first, not entangled"]


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
        data = _read(path)
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
            outcome = _judge(report, (change.path, change.meta), Decimal(change.old), step, baseline)
            detected, first, tied = outcome[:3]
            detected = detected not in (False, "masked")
            _count(stats[kind], *outcome)
            if detected and not (tied if os.environ.get("TIED") else first) and len(examples[kind]) < 8:
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


def main(argv=None) -> int:
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
