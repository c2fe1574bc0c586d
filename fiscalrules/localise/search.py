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
(:mod:`.slips`; in a document whose comparisons all hold to the last digit, not a slip whose
undoing leaves a rounding difference), then plausibility, then how exactly the comparisons then
hold, then weight (a total and a figure printed twice that agrees with itself weigh more).  Every
explanation as likely as the first is marked ``tied``: none is picked silently.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..context import Context
from ..finding_parts import _CELL, cell_context, row_code
from ..findings import Status
from ..records import Record
from ..values import in_library_context, library_context
from .explain import Change, Entry, Explanation, Localisation, in_printed_unit, patched
from .clauses import as_decimal, clause_key
from .model import WORK, Constraints
from .slips import Neighbours, Slip, read_by_a_reader, slip_between
from .solve import Attempt, most_fixed, solve

__all__ = ["localise_record", "MAX_FIGURES", "Failing", "Outside"]

MAX_FIGURES = 3          # the largest set of figures searched
MAX_LISTED = 8           # explanations listed per group (the rest counted)
MAX_CANDIDATES = 600     # candidate sets solved per group before the search gives up
_STARTERS = 3            # partial explanations completed into whole ones, for groups beyond MAX_FIGURES
_COMPOSITE_FAILURES = 8  # ... for groups of at most this many failed comparisons
_COMPOSITE_CANDIDATES = 40  # candidate sets solved to complete each of them
_COMPLETIONS = 6         # figures of the comparisons in its way that a blocked candidate is grown by
_PARTIAL_FIGURES = 16    # figures tried for a partial explanation (those in most failures first)
WORK_LIMIT = 2_000_000   # work per record (Constraints.work: about a microsecond a unit) after
                         # which no further candidate is tried: a guard against pathological
                         # records, counted in steps, not time, so that neither a busy machine
                         # nor a slow one changes what the report says


@in_library_context     # exact: in the caller's context (28 digits) a long amount is rounded
def localise_record(ruleset, record: Record, findings: list, record_id: str | None = None) -> list:
    """The localisations of one record's failures (one :class:`Localisation` per group)."""
    record_id = record_id or record.id
    failed = [f for f in findings if f.status == Status.FAIL]
    if not failed:
        return []
    cons = Constraints(ruleset, record)
    # The failed rules, for the rows related to their figures; the rules reading a figure are
    # modelled when a candidate explanation changes it (most are never asked about).
    cons.cover({op.path for f in failed for op in f.operands}, {f.rule for f in failed}, readers=False)
    reported = {(f.rule, f.item) for f in failed}
    failed_rules = {f.rule for f in failed}
    clauses = sorted((c for c in cons.clauses if not c.holds and
                      ((c.rule, c.item) in reported or (c.item is None and c.rule in failed_rules))),
                     key=clause_key)
    # Groups, and everything inside them, in an order that does not depend on the order the
    # rules were written in: the report must not either.
    groups = sorted(_groups(clauses), key=lambda g: min(clause_key(c) for c in g))
    statuses = {(f.rule, f.item): f.status for f in findings}
    neighbours = Neighbours(cons.index)
    rounded = _shows_rounding(cons, findings)
    out, covered = [], set()
    failing = Failing(clauses)
    for group in groups:
        names = _names(group, reported)
        covered.update(names)
        search = _Search(cons, group, failing.outside(group), statuses, neighbours, rounded)
        out.append(search.run(record_id, tuple(sorted(names, key=_name_key))))
    ungrouped = [f for f in sorted(failed, key=lambda f: (f.rule, f.item or "")) if (f.rule, f.item) not in covered]
    if ungrouped:
        # (failures outside every group: .outside, imported only for them -- most audits have none)
        from .outside import localise_ungrouped
        localise_ungrouped(cons, ungrouped, out, record_id, failing, statuses, neighbours, rounded)
    return out


class Failing:
    """A record's failed comparisons, and each group's view of those outside it.  The view is
    not a copy: one list and set of every other failure per group made the search quadratic in
    the failures (a table of 20,000 failing rows: 20,000 groups, 5 minutes and 3.7 GB)."""

    __slots__ = ("clauses", "members", "_vars")

    def __init__(self, clauses: list) -> None:
        self.clauses, self.members = clauses, frozenset(clauses)
        self._vars = None

    def outside(self, group) -> Outside:
        return Outside(self, frozenset(group))

    def vars(self) -> frozenset:
        """Every figure of a failed comparison (made once for the record)."""
        if self._vars is None:
            self._vars = frozenset(k for c in self.clauses for k in c.vars)
        return self._vars


class Outside:
    """The failed comparisons of a record outside one group (``in``, as the set of
    them was used): the failures a candidate explanation of the group may leave failing."""

    __slots__ = ("failing", "group")

    def __init__(self, failing: Failing, group: frozenset) -> None:
        self.failing, self.group = failing, group

    def __contains__(self, clause) -> bool:
        return clause in self.failing.members and clause not in self.group


def _shows_rounding(cons: Constraints, findings: list) -> bool:
    """Whether the document's figures are rounded: a linear comparison of the record holds only
    within rounding -- one of the failed rules' (a rule may fail in one row and hold in another),
    or one of the rules the evaluator passed within rounding (modelled here, a rule checked row
    by row for the rows related to the failures' figures, to see which of their comparisons did;
    a comparison modelled around the failures that holds within rounding is one of theirs, as the
    evaluator decides comparisons as the model does).  When none does, the publisher's figures
    add up to the last digit, and a correction that would leave a rounding difference is not what
    was printed before the slip.  (A comparison that is not linear -- a stated percentage, a
    ratio -- is rounded whatever the amounts are: no evidence.)"""
    if any(c.linear and c.holds and not c.exact for c in cons.clauses):
        return True
    if not any(f.status == Status.PASS for f in findings):
        return True     # no passes given: nothing shows the figures add up exactly
    for rule in sorted({f.rule for f in findings if f.status == Status.ROUNDING}):
        cons.cover((), {rule})
        if any(c.linear and c.holds and not c.exact and c.rule == rule for c in cons.clauses):
            return True
    return False


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
    def __init__(self, cons: Constraints, group: list, others: Outside, statuses: dict, neighbours,
                 rounded: bool = True):
        self.cons, self.group, self.others = cons, group, others
        self.statuses, self.neighbours = statuses, neighbours
        self.rounded = rounded
        self.solved = 0
        self.limit = MAX_CANDIDATES
        self._group_vars = None
        self._printed = None

    def run(self, record_id: str, failures: tuple) -> Localisation:
        labels = tuple(_label(*name) for name in failures)
        attempts, reason = self._smallest(self.group)
        if attempts:
            return self._ranked(record_id, labels, [self._explanation(a) for a in attempts])
        if reason == "search_limit":
            return Localisation(record_id, labels, reason=reason)
        partial = self._partial()
        composite = self._composite(partial)
        if composite:
            return self._ranked(record_id, labels, composite)
        if partial:
            return self._ranked(record_id, labels, partial, reason=reason)
        return Localisation(record_id, labels, reason=reason)

    def _smallest(self, failing: list, largest: int = MAX_FIGURES) -> tuple:
        """Fellegi–Holt: the feasible corrections of the fewest figures (up to *largest*) that
        make every clause of *failing* hold and break nothing; (attempts, reason)."""
        tried, blocked = set(), []
        for size in range(1, largest + 1):
            candidates = self._hitting_sets(failing, size)
            for keys, attempt in blocked:
                extras = {k for clause in attempt.blockers for k in clause.vars if k not in keys and k in self.cons.vars}
                # weighed with every rule reading them modelled (as all candidates are, below)
                self.cons.cover({k[0] for k in extras})
                for extra in sorted(extras, key=lambda k: (self.cons.vars[k].weight, k))[:_COMPLETIONS]:
                    candidates.add(keys | {extra})
            candidates = [keys for keys in candidates if keys not in tried and len(keys) == size]
            # The figures of every candidate, with the rules reading them: what a candidate weighs
            # (a total, a figure printed twice) is known before they are put in order.
            self.cons.cover({k[0] for keys in candidates for k in keys})
            found, blocked = [], []
            for keys in sorted(candidates, key=self._order):
                tried.add(keys)
                if self.solved >= self.limit or self.cons.work > WORK_LIMIT:
                    return found, "search_limit"
                self.solved += 1
                attempt = solve(self.cons, tuple(sorted(keys)), self.others)
                if attempt.changes is None:
                    blocked.append((keys, attempt))   # (its blockers: read at the next size, if any)
                else:
                    found.append(attempt)
            if found:
                return found, None
        return [], "beyond_search"

    def _composite(self, partial: list) -> list:
        """For a group no three figures explain: the best partial explanations, each completed
        by the smallest correction of what it leaves failing -- several independent slips in one
        group of failures (a document rarely has just one)."""
        out = []
        if len(self.group) > _COMPOSITE_FAILURES:
            return out
        for entry in partial[:_STARTERS]:
            start = entry.steps
            self.cons.apply(start)
            self.limit = self.solved + _COMPOSITE_CANDIDATES
            try:
                rest = [c for c in self.group if not c.holds]
                attempts, _ = self._smallest(rest, MAX_FIGURES)
            finally:
                self.cons.undo()
                self.limit = MAX_CANDIDATES
            for attempt in attempts:
                changes = dict(start)
                changes.update(attempt.changes)
                explanation = self._explanation(Attempt(changes, attempt.inexact,
                                                        linear_inexact=attempt.linear_inexact))
                if explanation is not None:
                    out.append(explanation)
        return out

    def _partial(self) -> list:
        """When no small set of figures explains the whole group: single figures that explain
        part of it (the most failures fixed, nothing that held broken), best first."""
        found = []
        involved: dict = {}
        for clause in self.group:
            for key in clause.vars:
                if key in self.cons.vars:
                    involved[key] = involved.get(key, 0) + 1
        keys = sorted(involved, key=lambda k: (-involved[k], k))[:_PARTIAL_FIGURES]
        for key in keys:
            if self.cons.work > WORK_LIMIT:
                break
            self.cons.cover({key[0]})
            best = most_fixed(self.cons, key, self.group, self.others)
            if best is None:
                continue
            changes, fixed = best
            entry = self._explanation(Attempt(changes), fixes=fixed)
            if entry is not None:
                found.append(entry)
        found.sort(key=_rank_key)
        return found

    def _order(self, keys):
        return (sum(self.cons.vars[k].weight for k in keys), sorted(keys))

    def _hitting_sets(self, clauses: list, size: int) -> set:
        """Minimal sets of *size* figures such that every failed comparison involves one."""
        found: set = set()

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
    def _explanation(self, attempt, fixes=None):
        """A candidate explanation, as a ranking :class:`_Entry` (None when a value cannot be
        printed as a decimal)."""
        changes = []
        slips = implausible = unexplained = 0
        # In a document printed to the last digit, the figure before a typist slip made its sums
        # hold exactly: a slip whose undoing leaves one with a rounding difference is a
        # coincidence, no evidence.  (A stated percentage is rounded anyway; an amount printed
        # negative is wrong whatever it should be.)
        coincidence = not self.rounded and attempt.linear_inexact > 0
        for key, steps in sorted(attempt.changes.items()):
            var = self.cons.vars[key]
            raw = var.raw
            suggested = _on_grid(steps * var.step, raw)
            if suggested is None:
                return None
            slip = self._slip(var, raw, suggested)
            if slip is None or (coincidence and slip.kind != "negative_amount"):
                slips += 2
            else:
                slips += 0 if slip.strong else 1
            unexplained += slip is None or not slip.strong or (coincidence and slip.kind != "negative_amount")
            implausible += _implausible(var, suggested) - _implausible(var, raw)
            figure = var.figure
            unit = "%" if key[1] == "pct" else figure.unit or self.cons.plan.unit_of(var.decl, key[1], None)
            label, row = self._named(key[0], figure.label or self.cons.ruleset.settings.label(figure.path, var.decl))
            context = cell_context(key[0], self.cons.ruleset.settings)
            shown = _shown(figure.printed) if key[1] == "value" else None
            printed_unit = in_printed_unit(raw, unit, figure.source.text if figure.source else None) \
                if key[1] == "change" else None
            changes.append(Change(key[0], key[1], label, figure.source, unit, raw, suggested, slip, context, shown,
                                  row, self._bound(key, raw, suggested), printed_unit))
        cost = round(sum(self.cons.vars[k].weight for k in attempt.changes), 6)
        return Entry(tuple(changes), dict(attempt.changes), slips, implausible, attempt.inexact, cost, fixes,
                      unexplained)

    def _named(self, path: str, label: str | None) -> tuple:
        """(label, row name) of the figure at *path*: in a table whose rows have no code, the
        row's printed name, and beside it the column as the table heads it (not a label that
        merely repeats the row's name)."""
        row = self._row_name(path)
        if row is not None and label != row:
            label = _column_label(self.cons.ruleset.settings, path) or label
        return label, row

    def _row_name(self, path: str) -> str | None:
        """For a cell of a table whose rows have no code column (a list: projects, indicators,
        the stated prior-year figures), the row's printed name -- its path's ``[3]`` is a place
        in the list, printed nowhere."""
        m = _CELL.match(path)
        if m is None:
            return None
        decl = self.cons.ruleset.settings.fields.get(m["table"])
        columns = getattr(decl, "columns", None)
        if not columns or any(c.name == "code" for c in columns):
            return None
        table = self.cons.record.tables.get(m["table"])
        row = table.by_code.get(m["code"]) if table is not None else None
        if row is None:
            return None
        for name in _ROW_NAMES:
            cell = row.cells.get(name)
            if cell is not None and isinstance(cell.value, str) and cell.value.strip():
                return cell.value.strip()
        return None

    def _bound(self, key, raw: Decimal, suggested: Decimal) -> str | None:
        """``"max"`` / ``"min"`` when only inequalities hold the figure (every comparison
        modelled over it is linear and none an equality): the suggested value is then the
        nearest at which they hold, and any value beyond it holds them too -- a bound
        ("应不超过 480000 元"), not "the" value."""
        clauses = self.cons.by_var.get(key, ())
        if not clauses or any(not c.linear or c.op in ("=", "!=") for c in clauses):
            return None
        return "max" if suggested < raw else "min" if suggested > raw else None

    def _slip(self, var, raw: Decimal, suggested: Decimal) -> Slip | None:
        if var.figure.source is None:
            if self._printed is None:
                self._printed = read_by_a_reader(self.cons.record, (v.figure for v in self.cons.vars.values()))
            if self._printed:   # (a figure no line prints, of a read document: no one typed it)
                return None
        text = var.figure.source.text if var.figure.source is not None else None
        kind = var.decl.kind if var.decl is not None else "amount"
        if var.meta == "value" and kind in ("amount", "count") and raw < 0 <= suggested:
            return Slip("negative_amount")
        slip = slip_between(raw, suggested, var.meta, text)
        if slip is not None and slip.strong:
            return slip
        failing = self._failing_vars()
        clauses = self.cons.by_var.get(var.key, ())

        def unrelated(other, meta):
            # A figure a rule relates to this one is equal to it by the rules or by chance, not
            # by a slip: a total and its only part, two parts of one sum -- and a figure of a
            # failing comparison may itself be the wrong one (the suggested value "equal" to a
            # neighbour that is the printed error).  Only a figure no rule ties to this one can
            # be where a typist copied from.
            key = (other.path, meta)
            return key not in failing and not any(key in c.vars for c in clauses)
        other = self.neighbours.equal_to(var.figure, var.meta, Fraction(suggested), unrelated)
        if other is not None:
            return self._neighbour_slip("neighbour_value", other)
        if slip is None:
            # The printed value equal to a neighbour's: weak -- many right figures are (the
            # amount reserved for small firms and a procurement part, a row's 合计 and 基本支出)
            other = self.neighbours.equal_to(var.figure, var.meta, Fraction(raw), unrelated)
            if other is not None:
                return self._neighbour_slip("copied_neighbour", other)
        return slip

    def _neighbour_slip(self, kind: str, other) -> Slip:
        figure, _meta, other_raw = other
        settings = self.cons.ruleset.settings
        label = figure.label or settings.label(figure.path, None)
        if not label:
            # a table cell: its table, column and row code (一般公共预算支出表·基本支出 [22001]),
            # not the record's path (tables.general_budget.rows[22001].basic)
            context, code = cell_context(figure.path, settings), row_code(figure.path)
            label = (f"{context} [{code}]" if code else context) if context else figure.path
        line = figure.source.shown_line if figure.source is not None else None   # (of its page, in a PDF)
        return Slip(kind, other=(label, line, other_raw))

    def _failing_vars(self) -> set:
        """Every figure of a failing comparison, this group's or another's (made once)."""
        if self._group_vars is None:   # (the group's failures are the record's, or outside every group)
            self._group_vars = self.others.failing.vars().union(*(getattr(c, "vars", ()) for c in self.group))
        return self._group_vars

    def _ranked(self, record_id: str, labels: tuple, found: list, reason=None) -> Localisation:
        found.sort(key=_rank_key)
        verified = []
        seen = set()   # (partial explanations completed from different starts may end the same)
        for entry in found:
            if len(verified) > MAX_LISTED:
                break
            same = frozenset((c.path, c.meta, c.suggested) for c in entry.changes)
            if same not in seen and self._verified(entry.changes, entry.fixes):
                seen.add(same)
                verified.append(entry)
        if not verified:
            return Localisation(record_id, labels, reason=reason or "not_verified")
        first = verified[0]
        # those as likely as the first listed right after it (document order among them)
        verified.sort(key=lambda entry: not first.ties(entry))
        listed = verified[:MAX_LISTED]
        fixed = [None if entry.fixes is None else tuple(sorted({_label(c.rule, c.item) for c in entry.fixes}))
                 for entry in listed]
        explanations = tuple(
            Explanation(entry.changes, entry.cost, rank, tied=rank > 1 and first.ties(entry),
                        inexact=entry.inexact, fixes=fixes or ())
            for rank, (entry, fixes) in enumerate(zip(listed, fixed), start=1))
        return Localisation(record_id, labels, explanations, more=max(0, len(verified) - MAX_LISTED),
                            reason=reason, chosen=_chosen(labels, listed, fixed))

    def _verified(self, changes, fixes=None) -> bool:
        """The evaluator's own verdict on the corrected record: every failure of the group (or,
        for a partial explanation, every one it fixes) now holds, and no rule run that may read a
        changed figure fails where it held."""
        values = {(c.path, c.meta): c.suggested for c in changes}
        # A number read twice (a stated prior-year figure's copy of the figure it was printed
        # with) is one printed number: a change to one is a change to both -- correcting the
        # copy alone fixes no document.
        copies = _copies(self.cons)
        for key, value in list(values.items()):
            twin = copies.get(key)
            if twin is not None and twin not in values:
                values[twin] = value
        record = patched(self.cons.record, values)
        required = self.group if fixes is None else fixes
        rules = {c.rule for c in required}
        for key in values:
            rules.update(c.rule for c in self.cons.by_var.get(key, ()))
        # ... and every other rule that may read a changed figure: those not modelled (texts,
        # flags), those whose row filter reads it (decided on the printed values: a changed level
        # may move a row in or out) and the instances not modelled (rows not related by code) too.
        rules.update(self.cons.reading(path for path, _meta in values))
        group = {(c.rule, c.item) for c in required}
        group_rules = {c.rule for c in required}
        compiled = self.cons.plan.compiled
        # The rules run on the corrected record share one Context, as a ruleset's rules do on a
        # record (Ruleset.evaluate): each figure is converted once, not once per rule.
        ctx = Context(record, self.cons.ruleset.settings)
        with library_context():
            for rule_id in sorted(rules & compiled.keys()):   # the rules run (a selection, perhaps)
                findings = compiled[rule_id].evaluate_in_context(record, None, ctx)
                self.cons.work += WORK["finding"] * len(findings) + WORK["row"] * self.cons.rows_of(rule_id)
                for finding in findings:
                    if finding.status not in (Status.FAIL, Status.ERROR):
                        continue
                    before = self.statuses.get((finding.rule, finding.item))
                    if (finding.rule, finding.item) in group or (finding.item is None and finding.rule in group_rules):
                        return False
                    if before not in (Status.FAIL, Status.ERROR):
                        return False
        return True


# The cells that name a row of a table without codes, by preference: a project's or a stated
# figure's name, an indicator's own (third-level) name, the project an indicator belongs to.
_ROW_NAMES = ("name", "level3", "project")


def _column_label(settings, path: str) -> str | None:
    """The declared label of a table cell's column: beside a row's printed name, the column as
    the table heads it, not the words a reader cut before the number ("经常性项目4)2025年预算安排资金")."""
    m = _CELL.match(path)
    decl = settings.fields.get(m["table"]) if m else None
    column = next((c for c in getattr(decl, "columns", None) or () if c.name == m["column"]), None)
    return column.labels[0] if column is not None and column.labels else None


def _copies(cons: Constraints) -> dict:
    """(path, meta) → (path, meta) of the numbers a record holds twice: a stated prior-year
    figure's amount (``doc.stated_priors[i].amount``) is the figure it was printed with, read a
    second time -- the same source (document, line, text) and the same value, change and
    percentage.  Made once per record."""
    found = getattr(cons, "_copies", None)
    if found is None:
        found = cons._copies = {}
        table = cons.record.tables.get("doc.stated_priors")
        for row in table.rows if table is not None else ():
            target, amount = row.cells.get("path"), row.cells.get("amount")
            original = cons.record.figures.get(target.value) if target is not None and \
                isinstance(target.value, str) else None
            if original is None or amount is None or not _same_source(original.source, amount.source):
                continue
            copy = f"doc.stated_priors[{row.code}].amount"
            for meta in ("value", "change", "pct"):
                mine = amount.value if meta == "value" else getattr(amount, meta, None)
                theirs = original.value if meta == "value" else getattr(original, meta, None)
                if isinstance(mine, Decimal) and mine == theirs:
                    found[(copy, meta)] = (original.path, meta)
                    found[(original.path, meta)] = (copy, meta)
    return found


def _same_source(a, b) -> bool:
    return a is not None and b is not None and a.text is not None and \
        (a.document, a.line, a.text) == (b.document, b.line, b.text)


def _shown(printed: str | None) -> str | None:
    """A figure's printed text, in plain digits (full-width digits and spaces normalised)."""
    if not printed:
        return None
    text = printed.translate(_FULLWIDTH).replace(" ", "")
    return text if any(ch.isdigit() for ch in text) else None


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def _rank_key(entry: Entry):
    return entry.merit, entry.order


def _chosen(labels: tuple, listed: list, fixed: list) -> tuple:
    """For partial explanations (*fixed*: the failures each of the *listed* entries fixes, None
    for a whole explanation), each failure's most likely: the first listed that fixes it and
    those as likely as that one (:meth:`Entry.ties`), by rank -- ``((label, (rank, …)), …)``."""
    if all(fixes is None for fixes in fixed):
        return ()
    chosen = []
    for label in labels:
        own = [(rank, entry) for rank, (entry, fixes) in enumerate(zip(listed, fixed), start=1)
               if fixes and label in fixes]
        if own:
            first = own[0][1]
            chosen.append((label, tuple(rank for rank, entry in own if entry is first or first.ties(entry))))
    return tuple(chosen)


def _implausible(var, value: Decimal) -> int:
    """1 when *value* for this figure is an amount or count below zero, or makes the prior-year
    figure its stated change implies negative (for a non-negative figure), else 0: impossible
    figures.  (A figure that merely grew fourfold is not: carry-overs and project funds jump
    like that, and a prior of 0 is no likelier than one of 10.)"""
    figure = var.figure
    kind = var.decl.kind if var.decl is not None else "amount"
    if var.meta == "value" and kind in ("amount", "count") and value < 0:
        return 1
    if var.meta == "value":
        current, change = value, figure.change
    elif var.meta == "change":
        current, change = figure.value, value
    else:
        return 0
    if not isinstance(change, Decimal) or not isinstance(current, Decimal) or isinstance(current, bool):
        return 0
    if current < 0:
        return 0
    return int(current - change < 0)


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
