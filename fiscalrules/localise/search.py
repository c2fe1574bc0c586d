"""The search: for each group of failures of a record, the smallest sets of figures whose change
makes every rule hold (Fellegi–Holt), their values, ranked -- :func:`localise_record`.

Failures that share a figure form a group (a failure no figure can fix on its own, such as a
text rule, is reported apart).  Candidate sets are searched by size, 1, 2, then 3 figures:
*hitting sets* of the group's failed comparisons (every failure must involve a changed figure),
and sets grown from a smaller candidate by a figure of a comparison that candidate's natural
correction would break (the total printed twice, say).  Each candidate is solved exactly
(:mod:`.solve`); the first size with a solution ends the search.  The explanations found are
checked once more by the evaluator itself on the corrected record -- every failure of the group
must then hold and no rule that held may fail -- and ranked: fewer figures, then typist slips
(:mod:`.slips`), then weight (a total and a figure printed twice that agrees with itself weigh
more), then how exactly the comparisons then hold.  Every explanation as likely as the first is
marked ``tied``: none is picked silently.
"""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction

import attrs

from ..findings import Status
from ..records import Record, Table
from .explain import Change, Explanation, Localisation
from .model import _CELL, Constraints, as_decimal
from .slips import Neighbours, Slip, slip_between
from .solve import solve

__all__ = ["localise_record", "MAX_FIGURES"]

MAX_FIGURES = 3          # the largest set of figures searched
MAX_LISTED = 8           # explanations listed per group (the rest counted)
MAX_CANDIDATES = 4000    # candidate sets solved per group before the search gives up
TIME_LIMIT = 2.0         # seconds per record, a guard against pathological records


def localise_record(ruleset, record: Record, findings: list, record_id: str | None = None) -> list:
    """The localisations of one record's failures (one :class:`Localisation` per group)."""
    record_id = record_id or record.id
    failed = [f for f in findings if f.status == Status.FAIL]
    if not failed:
        return []
    deadline = time.perf_counter() + TIME_LIMIT
    cons = Constraints(ruleset, record)
    cons.cover({op.path for f in failed for op in f.operands}, {f.rule for f in failed})
    reported = {(f.rule, f.item) for f in failed}
    failed_rules = {f.rule for f in failed}
    clauses = [c for c in cons.clauses if not c.holds and
               ((c.rule, c.item) in reported or (c.item is None and c.rule in failed_rules))]
    groups = _groups(clauses)
    statuses = {(f.rule, f.item): f.status for f in findings}
    neighbours = Neighbours(cons.index)
    out, covered = [], set()
    for group in groups:
        names = _names(group, reported)
        covered.update(names)
        search = _Search(cons, group, [c for c in clauses if c not in group], statuses, neighbours, deadline)
        out.append(search.run(record_id, tuple(sorted(names, key=_name_key))))
    for f in sorted(failed, key=lambda f: (f.rule, f.item or "")):
        if (f.rule, f.item) not in covered:
            reason = "not_linear" if f.rule in cons.unmodelled or f.rule not in cons.modelled else "not_modelled"
            out.append(Localisation(record_id, (_label(f.rule, f.item),), reason=reason))
    return out


def _label(rule: str, item) -> str:
    return rule + (f"[{item}]" if item else "")


def _name_key(name: tuple):
    return (name[0], name[1] or "")


def _names(group, reported) -> set:
    names = set()
    for c in group:
        if (c.rule, c.item) in reported:
            names.add((c.rule, c.item))
        else:
            names.update(r for r in reported if r[0] == c.rule)
    return names


def _groups(clauses: list) -> list:
    """Failed comparisons grouped by shared figures (union-find)."""
    parent = list(range(len(clauses)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    owner: dict = {}
    for i, clause in enumerate(clauses):
        for key in clause.vars:
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict = {}
    for i, clause in enumerate(clauses):
        groups.setdefault(find(i), []).append(clause)
    return list(groups.values())


class _Search:
    def __init__(self, cons: Constraints, group: list, others: list, statuses: dict, neighbours, deadline):
        self.cons, self.group, self.others = cons, group, frozenset(others)
        self.statuses, self.neighbours, self.deadline = statuses, neighbours, deadline
        self.solved = 0

    def run(self, record_id: str, failures: tuple) -> Localisation:
        labels = tuple(_label(*name) for name in failures)
        tried, blocked = set(), []
        reason = "beyond_search"
        for size in range(1, MAX_FIGURES + 1):
            candidates = self._hitting_sets(size)
            for keys, blockers in blocked:
                for clause in blockers:
                    for extra in clause.vars:
                        if extra not in keys:
                            candidates.add(keys | {extra})
            found, blocked = [], []
            for keys in sorted(candidates, key=self._order):
                if keys in tried or len(keys) != size:
                    continue
                tried.add(keys)
                if self.solved >= MAX_CANDIDATES or time.perf_counter() > self.deadline:
                    reason = "search_limit"
                    break
                self.cons.cover({k[0] for k in keys})
                self.solved += 1
                attempt = solve(self.cons, tuple(sorted(keys)), self.others)
                if attempt.changes is None:
                    blocked.append((keys, attempt.blockers))
                    continue
                found.append(self._explanation(attempt))
            found = [e for e in found if e is not None]
            if found:
                return self._ranked(record_id, labels, found)
            if reason == "search_limit":
                break
        return Localisation(record_id, labels, reason=reason)

    def _order(self, keys):
        return (sum(self.cons.vars[k].weight for k in keys), sorted(keys))

    def _hitting_sets(self, size: int) -> set:
        """Minimal sets of *size* figures such that every failed comparison involves one."""
        found: set = set()
        clauses = self.group

        def extend(chosen: frozenset, remaining: list):
            if len(found) > MAX_CANDIDATES:
                return
            if not remaining:
                if len(chosen) == size:
                    found.add(chosen)
                return
            if len(chosen) == size:
                return
            pick = min(remaining, key=lambda c: len(c.vars))
            for key in sorted(pick.vars):
                if key in self.cons.vars:
                    extend(chosen | {key}, [c for c in remaining if key not in c.vars])
        extend(frozenset(), clauses)
        return {s for s in found if _minimal(s, clauses)}

    # -- explanations
    def _explanation(self, attempt):
        changes = []
        slips = 0
        for key, steps in sorted(attempt.changes.items()):
            var = self.cons.vars[key]
            raw = var.raw
            suggested = _on_grid(steps * var.step, raw)
            if suggested is None:
                return None
            slip = self._slip(var, raw, suggested)
            slips += 0 if slip is not None and slip.strong else 1 if slip is not None else 2
            figure = var.figure
            unit = "%" if key[1] == "pct" else figure.unit or self.cons.plan.unit_of(var.decl, key[1], None)
            label = figure.label or self.cons.ruleset.settings.label(figure.path, var.decl)
            changes.append(Change(key[0], key[1], label, figure.source, unit, raw, suggested, slip))
        cost = sum(self.cons.vars[k].weight for k in attempt.changes)
        return (len(changes), slips, round(cost, 6), attempt.inexact, tuple(changes))

    def _slip(self, var, raw: Decimal, suggested: Decimal) -> Slip | None:
        text = var.figure.source.text if var.figure.source is not None else None
        slip = slip_between(raw, suggested, var.meta, text)
        if slip is not None and slip.strong:
            return slip
        for kind, value in (("neighbour_value", Fraction(suggested)), ("copied_neighbour", Fraction(raw))):
            other = self.neighbours.equal_to(var.figure, var.meta, value)
            if other is not None:
                figure, _meta, other_raw = other
                label = figure.label or self.cons.ruleset.settings.label(figure.path, None) or figure.path
                line = figure.source.line if figure.source is not None else None
                return Slip(kind, other=(label, line, other_raw))
        return slip

    def _ranked(self, record_id: str, labels: tuple, found: list) -> Localisation:
        found.sort(key=lambda e: (e[:4], [(c.source.line if c.source and c.source.line else 0, c.path)
                                          for c in e[4]]))
        verified = []
        for entry in found:
            if len(verified) > MAX_LISTED:
                break
            if self._verified(entry[4]):
                verified.append(entry)
        if not verified:
            return Localisation(record_id, labels, reason="not_verified")
        first = verified[0][:3]
        listed = verified[:MAX_LISTED]
        explanations = tuple(
            Explanation(entry[4], entry[2], rank, tied=rank > 1 and entry[:3] == first, inexact=entry[3])
            for rank, entry in enumerate(listed, start=1))
        return Localisation(record_id, labels, explanations, more=max(0, len(verified) - MAX_LISTED))

    def _verified(self, changes) -> bool:
        """The evaluator's own verdict on the corrected record: every failure of the group now
        holds, and no rule the changed figures take part in fails where it held."""
        record = patched(self.cons.record, {(c.path, c.meta): c.suggested for c in changes})
        rules = {c.rule for c in self.group}
        for change in changes:
            rules.update(c.rule for c in self.cons.by_var.get((change.path, change.meta), ()))
        group = {(c.rule, c.item) for c in self.group}
        group_rules = {c.rule for c in self.group}
        compiled = self.cons.plan.compiled
        for rule_id in rules:
            for finding in compiled[rule_id].evaluate(record):
                if finding.status not in (Status.FAIL, Status.ERROR):
                    continue
                before = self.statuses.get((finding.rule, finding.item))
                if (finding.rule, finding.item) in group or (finding.item is None and finding.rule in group_rules):
                    return False
                if before not in (Status.FAIL, Status.ERROR):
                    return False
        return True


def _minimal(keys: frozenset, clauses: list) -> bool:
    for key in keys:
        rest = keys - {key}
        if all(not rest.isdisjoint(c.vars) for c in clauses):
            return False
    return True


def _on_grid(value: Fraction, raw: Decimal) -> Decimal | None:
    """*value* as a Decimal printed like *raw* (its decimals, or the grid's when finer)."""
    places = max(-raw.as_tuple().exponent, 0)
    for p in range(places, places + 8):
        try:
            return as_decimal(value, p)
        except ValueError:
            continue
    return None


def patched(record: Record, changes: dict) -> Record:
    """A copy of *record* with some numbers replaced: ``{(path, meta): Decimal}``."""
    figures = dict(record.figures)
    tables = dict(record.tables)
    for (path, meta), value in changes.items():
        if path in figures:
            figures[path] = attrs.evolve(figures[path], **{meta: value}, printed=None)
            continue
        m = _CELL.match(path)
        table = tables.get(m["table"]) if m else None
        row = table.by_code.get(m["code"]) if table is not None else None
        if row is None or m["column"] not in row.cells:
            continue
        cells = dict(row.cells)
        cells[m["column"]] = attrs.evolve(cells[m["column"]], **{meta: value}, printed=None)
        new_row = attrs.evolve(row, cells=cells)
        rows = [new_row if r is row else r for r in table.rows]
        by_code = {code: (new_row if r is row else r) for code, r in table.by_code.items()}
        tables[m["table"]] = Table(table.path, rows, by_code)
    return Record(record.id, figures, tables, record.meta, record.children)
