"""The constraints a ruleset puts on one record's figures, for localisation (:class:`Constraints`).

Every rule is evaluated symbolically over the record (:mod:`fiscalrules.symbolic`): each printed
number becomes a variable :class:`~.clauses.Var` ``(path, meta)`` with its printed value, the half-width of
the interval it stands for and the grid it is printed on; each comparison an exact linear form.
Preconditions (``when``, ``where``, ``if``, and the row filter of an aggregate, whatever it reads:
``sum(r.amount for r in T where r.level = 1)``) are decided on the printed values as they are met,
as the evaluator decided them (:class:`_PrintedSym`): a rule that applies now, and the rows a
filter keeps now, are assumed to do so on the corrected record too.  What is
left of a rule becomes :class:`~.clauses.Clause` objects, one per necessary comparison: a linear atom
(``Σ a·x + c  op  0`` with the rounding allowance the evaluator grants), or a *tree* (a
disjunction, or a comparison that is not linear) that is only checked, never solved.  Rules the
symbolic evaluation does not model (texts, flags) and rules not evaluable on
the record constrain nothing.

Only rules that can matter are modelled: those that failed, and the rules reading a figure (by
the static footprint of what each rule reads, :mod:`.footprint`) once the search is about to weigh
or solve a correction of that figure -- most figures of the failures never are -- a rule checked
row by row only for the rows related by code to the failures' figures and those solved for, when
its rows read nothing else (:meth:`Constraints.cover`).  What the model holds of a figure when
the search asks is therefore always every rule reading it, whatever was asked before.
"""

from __future__ import annotations

import math

from .. import ast
from ..finding_parts import _CELL
from ..loader import Ruleset
from ..records import Record
from ..symbolic.forms import (_ZERO, FALSE, TRUE, AllOf, Atom, Known, Lin, Negation, _all_of, _any_of, _Missing,
                              _negation, _Problem, _Undefined, _Unsupported)
from ..symbolic.joined import JoinedRows, marks, take_back
from ..symbolic.linear import _SKIP, _deep_recursion, _rule_condition, _Sym
from ..symbolic.plan import figure_index, symbolic_plan, table_of, values_and_radii
from .clauses import (Clause, Var, _atoms, _collect_vars, _conjuncts, _first_atom, _point, _tolerance,
                      _tolerance_ratio, _Values, linear_holds)
from .footprint import footprints, rows_apart, tokens_of

__all__ = ["Constraints"]

_MAX_CORNERS = 3   # a non-linear comparison over more figures is judged on printed values alone

# What each step of localisation counts in Constraints.work, in units of roughly a microsecond
# of CPU (calibrated on the bundled examples and on tables of 2,000-100,000 rows with many
# failures, where one unit took 0.5-3 µs of CPU on a loaded machine): a rule evaluated symbolically, a table
# row its row filter looked at, a figure variable it read, a comparison it made; a candidate set
# solved, a candidate value checked against one linear clause or one condition tree (or a
# non-linear side evaluated); a finding the evaluator made and a table row it went through (the
# final check of an explanation).
# Only the counts matter for what is found: they are the same on every machine and under any load.
WORK = {"rule": 60, "row_looked": 2, "figure": 15, "clause": 40, "solve": 150, "check": 3, "tree_check": 40,
        "finding": 30, "row": 3}


class Constraints:
    """The clauses a ruleset puts on one record, over the variables they read."""

    def __init__(self, ruleset: Ruleset, record: Record):
        self.ruleset = ruleset
        self.record = record
        self.plan = symbolic_plan(ruleset)
        # The rules run: a selection (--select / --ignore) leaves the others out of the model
        # too -- a rule the auditor set aside neither fails nor blames a figure.
        self.rules = [rule for rule in self.plan.rules if rule.id in self.plan.compiled]
        self.footprints = footprints(ruleset)
        self.apart = rows_apart(ruleset)
        self.index = figure_index(record)
        self.vars: dict = {}          # key → Var
        self.values: dict = {}        # key → printed value (Fraction)
        self.clauses: list = []
        self.by_var: dict = {}        # key → [Clause]
        self.modelled: set = set()    # rule ids evaluated symbolically (modelled or not)
        self.unmodelled: set = set()  # rule ids the symbolic evaluation could not model
        self._tokens: set = set()     # footprint tokens of the figures covered so far
        self._read: set = set()       # ... of those whose readers are modelled
        self._applied: list = []      # (changes, what undoes them) of apply, innermost last
        self._codes: set = set()      # row codes of the cells covered so far
        self._prefixes: set = set()   # ... and every prefix of them
        self._rows_done: dict = {}    # per-row rule id → rows instantiated (while not all of them)
        self._compiled: dict = {}     # id(atom) → its linear Clause, for the linear atoms of trees
        self._compiled_by_var: dict = {}
        # Work done on this record, in units of about a microsecond each (see WORK): the search's
        # budget is counted in it, not in time, so that a busy machine finds what an idle one does.
        self.work = 0
        self._joined = JoinedRows()   # tables' rows by a text, for row filters (symbolic.joined)
        self._rows_of: dict = {}
        self._rules_by_id: dict | None = None   # (see rows_of)
        self._readers: dict | None = None   # (see reading)
        self._reading_all: set = set()
        self._same_id: dict | None = None   # (see _candidates)

    # -- building
    def cover(self, paths, rule_ids=(), readers: bool = True) -> list:
        """Model *rule_ids* and every rule reading one of *paths* (with *readers* false, only
        *rule_ids*: the paths are then only the figures the rows to model are chosen by, and
        their readers are modelled by a later call that asks for them); returns the new clauses.

        A rule checked row by row over a table (``for each r in T``) that reads none of the
        *scalar* figures covered is instantiated only for the rows related to the covered cells
        -- same classification code, or a code one is a prefix of (a parent, a child) -- and
        for more rows as more cells are covered: a big table's other rows cannot take part in
        a small correction (and if one did, the evaluator's final check of every explanation
        would refuse it).  Rules are modelled on the printed values, also while figures are
        moved (:meth:`apply`)."""
        tokens, codes = set(), set()
        for path in paths:
            tokens.update(tokens_of(path))
            m = _CELL.match(path)
            if m:
                codes.add(m["code"])
        read = tokens - self._read if readers else set()
        tokens -= self._tokens
        codes -= self._codes
        if not tokens and not codes and not read and not set(rule_ids) - self.modelled:
            return []
        self._tokens |= tokens
        self._codes |= codes
        self._read |= read
        for code in codes:
            self._prefixes.update(code[:k] for k in range(1, len(code) + 1))
        moved = [changes for changes, _ in self._applied]
        for _ in moved:
            self.undo()
        new = []
        with _deep_recursion():   # (once for all the rules modelled here)
            for rule in self._candidates(tokens | read, codes, rule_ids):
                footprint = self.footprints.get(rule.id)
                if rule.id in self._rows_done:
                    # modelled for some rows: the rows the new cells relate to, unless it now
                    # reads a covered scalar figure (then every row)
                    if codes or (footprint is not None and not footprint.isdisjoint(tokens)):
                        new.extend(self._model_rule(rule, again=True))
                    continue
                if rule.id in self.modelled:
                    continue
                if rule.id in rule_ids or footprint is None or not footprint.isdisjoint(read):
                    new.extend(self._model_rule(rule))
        for changes in moved:
            self.apply(changes)
        return new

    def _candidates(self, tokens: set, codes: set, rule_ids) -> list:
        """The rules :meth:`cover` may model in one call, in the ruleset's order: those whose
        footprint holds one of *tokens* or cannot be told, those asked for, those modelled for
        some rows (with new *codes*: every one of them) -- and the rules sharing an id with one
        of those, whose turn depends on it.  (cover decides each of them as before; going
        through every rule of the ruleset at each call was most of its own work.)"""
        if self._same_id is None:   # id -> the indices of the rules of that id
            self._same_id = {}
            for i, rule in enumerate(self.rules):
                self._same_id.setdefault(rule.id, []).append(i)
        ids = self._readers_of(tokens)
        ids.update(rule_ids)
        if codes:
            ids.update(self._rows_done)
        same_id = self._same_id
        rules = self.rules
        return [rules[i] for i in sorted(i for rule_id in ids for i in same_id.get(rule_id, ()))]

    def reading(self, paths) -> set:
        """The ids of the rules run (a selection of the ruleset's, perhaps) that may read a
        figure at one of *paths*, by their footprints, modelled or not."""
        return self._readers_of({token for path in paths for token in tokens_of(path)})

    def _readers_of(self, tokens) -> set:
        """The ids of the rules whose footprint holds one of *tokens* or cannot be told."""
        if self._readers is None:   # token → the rules whose footprint has it, made on first use
            self._readers, self._reading_all = {}, set()
            for rule in self.rules:
                footprint = self.footprints.get(rule.id)
                if footprint is None:
                    self._reading_all.add(rule.id)
                    continue
                for token in footprint:
                    self._readers.setdefault(token, []).append(rule.id)
        found = set(self._reading_all)
        readers = self._readers
        for token in tokens:
            found.update(readers.get(token, ()))
        return found

    def rows_of(self, rule_id: str) -> int:
        """The rows a rule checked row by row goes through on the record (1 for any other rule), for
        :attr:`work`: evaluating it costs that much even where it makes few findings."""
        rows = self._rows_of.get(rule_id)
        if rows is None:
            if self._rules_by_id is None:   # (the first asked of each id wins, as a scan would)
                self._rules_by_id = {}
                for r in self.rules:
                    self._rules_by_id.setdefault(r.id, r)
            rule = self._rules_by_id.get(rule_id)
            table = table_of(rule.assertion.source, {}) if rule is not None and \
                isinstance(rule.assertion, ast.ForEach) else None
            found = self.record.tables.get(table) if table is not None else None
            rows = self._rows_of[rule_id] = max(len(found.rows) if found is not None else 1, 1)
        return rows

    def _row_filter(self, rule: ast.Rule):
        """Which rows of a per-row rule to instantiate now (None: all of them, once)."""
        if not isinstance(rule.assertion, ast.ForEach):
            return None
        footprint = self.footprints.get(rule.id)
        # Every row, when the rule reads a covered scalar figure or when one row's instance
        # reads rows unrelated to it by code (matched by name, a whole column): a covered cell
        # may then be read by any row's instance.
        if footprint is None or not self.apart.get(rule.id, False) or \
                any(t[0] == "f" and t in self._tokens for t in footprint):
            if rule.id in self._rows_done:
                return lambda row, done=self._rows_done[rule.id]: (row.table, row.code) not in done
            return None
        done = self._rows_done.setdefault(rule.id, set())
        codes, prefixes = self._codes, self._prefixes

        def keep(row) -> bool:
            if (row.table, row.code) in done:
                return False
            code = row.code   # a covered code starts with it, or it starts with a covered code
            return code in prefixes or any(code[:k] in codes for k in range(1, len(code)))
        return keep

    def _model_rule(self, rule: ast.Rule, again: bool = False) -> list:
        self.modelled.add(rule.id)
        sym = _PrintedSym(self.plan, self.record, rule, self._decide, self._joined)
        keep = self._row_filter(rule)
        chosen = []
        looked = [0]
        if keep is not None:
            def keeping(row, test=keep):
                looked[0] += 1
                if test(row):
                    chosen.append(row)
                    return True
                return False
        try:   # (inside cover's _deep_recursion)
            cond = _rule_condition(sym, rule, keeping if keep is not None else None)
        except (_Missing, _Unsupported, _Problem, RecursionError):
            self.work += WORK["rule"] + WORK["row_looked"] * looked[0]
            if not again:
                self.unmodelled.add(rule.id)
            return []
        self.work += WORK["rule"] + WORK["row_looked"] * looked[0] + WORK["figure"] * len(sym.figures)
        if keep is not None:
            self._rows_done.setdefault(rule.id, set()).update((row.table, row.code) for row in chosen)
        elif isinstance(rule.assertion, ast.ForEach):
            self._rows_done.pop(rule.id, None)
        self._add_vars({k: v for k, v in sym.figures.items() if k not in self.vars})
        try:
            cond = self._freeze(cond)
        except (KeyError, _Undefined, ZeroDivisionError):
            self.unmodelled.add(rule.id)
            return []
        new = []
        self.work += WORK["clause"] * sum(1 for _ in _atoms(cond))   # its comparisons
        try:
            for part in _conjuncts(cond):
                clause = self._clause(rule, part)
                if clause is not None:
                    new.append(clause)
        except (KeyError, _Undefined, ZeroDivisionError):
            # Undefined on the printed values (a division by zero: the evaluator's error
            # finding), so no correction of figures can be asked to meet it.
            for clause in new:
                self._forget_compiled(clause.tree)
            self.unmodelled.add(rule.id)
            return []
        if any(not c.vars for c in new if not c.holds):
            # A rule decided false by the record's structure alone (or by figures we could not
            # read): no change of figures makes it hold.
            self.unmodelled.add(rule.id)
            return []
        for clause in new:
            self.clauses.append(clause)
            for key in clause.vars:
                self.by_var.setdefault(key, []).append(clause)
        self._weigh(new)
        return new

    def _add_vars(self, fresh: dict) -> None:
        """A :class:`~.clauses.Var` (printed value, half-width, grid) for each figure of *fresh*
        (key → (figure, declaration), none modelled yet)."""
        if fresh:
            values, radii = values_and_radii(self.ruleset, self.record, fresh, self.index)
            for key, (figure, decl) in fresh.items():
                if key in values:
                    self.vars[key] = Var(key, figure, decl, values[key], radii[key])
                    self.values[key] = values[key]

    def _decide(self, sym, atom: Atom) -> Known:
        """A precondition's comparison (*atom*, robust), decided on the printed values as
        :meth:`_freeze` decides it -- the rule that applies now, and the rows a filter keeps now,
        are assumed to do so on the corrected record too (a correction that would move a row in
        or out of a filter, a changed level, is not modelled: the evaluator's final check of
        every explanation refuses one that breaks a rule)."""
        keys = set()
        _collect_vars(atom, keys)
        fresh = {key: sym.figures[key] for key in keys if key not in self.vars and key in sym.figures}
        if fresh:
            self._add_vars(fresh)
        try:
            return TRUE if self.atom_holds(atom, self.values) else FALSE
        except (KeyError, _Undefined, ZeroDivisionError):
            raise _Unsupported("a precondition not decided on the printed values") from None

    def _freeze(self, cond):
        """Decide preconditions (atoms made inside when / where / if) on the printed values."""
        if isinstance(cond, Known):
            # Decided now, for good: what the structure would need to decide otherwise (the
            # generator's "flips") does not concern a correction of values.
            return TRUE if cond.value else FALSE
        if isinstance(cond, Atom):
            if cond.robust:
                return Known(self.atom_holds(cond, self.values))
            return cond
        if isinstance(cond, Negation):
            return _negation(self._freeze(cond.item))
        items = [self._freeze(item) for item in cond.items]
        return _all_of(*items) if isinstance(cond, AllOf) else _any_of(*items)

    def _clause(self, rule, cond):
        if isinstance(cond, Known):
            if cond.value:
                return None
            clause = Clause(rule.id, None, tree=cond)
            clause.holds = clause.exact = False
            return clause
        atom = _first_atom(cond)
        item = atom.item if atom is not None else None
        keys = set()
        _collect_vars(cond, keys)
        keys = {k for k in keys if k in self.vars}   # (not set(self.vars): a copy per comparison was quadratic)
        if isinstance(cond, Atom) and isinstance(cond.left, Lin) and isinstance(cond.right, Lin):
            return self._linear(rule, item, cond)
        clause = Clause(rule.id, item, tree=cond, vars=keys)
        compiled_atoms = []
        for atom in _atoms(cond):
            if isinstance(atom.left, Lin) and isinstance(atom.right, Lin):
                compiled = self._linear(rule, item, atom)
                if compiled is not None:
                    self._compiled[id(atom)] = compiled
                    compiled_atoms.append((atom, compiled))
        for _, compiled in compiled_atoms:
            for key in compiled.vars:
                self._compiled_by_var.setdefault(key, []).append(compiled)
        try:
            clause.holds = self.tree_holds(cond, {})
            clause.exact = self.tree_holds(cond, {}, exact=True)
        except (KeyError, _Undefined, ZeroDivisionError):
            self._forget_compiled(cond)   # nothing of a clause that cannot be modelled stays
            raise
        return clause

    def _forget_compiled(self, cond) -> None:
        """Unregister the linear atoms compiled for a condition tree (its rule is left out)."""
        if cond is None or isinstance(cond, Known):
            return
        for atom in _atoms(cond):
            compiled = self._compiled.pop(id(atom), None)
            if compiled is not None:
                for key in compiled.vars:
                    others = self._compiled_by_var.get(key, [])
                    others[:] = [c for c in others if c is not compiled]

    def _linear(self, rule, item, atom: Atom):
        """A linear atom over grid steps, scaled to whole numbers.  The fractions are handled
        as (numerator, denominator) pairs of integers: this runs for every comparison of every
        rule modelled, and Fraction arithmetic normalises at each step in Python.  The form
        ``left - right`` is not made either: each coefficient's pair is worked out from the two
        sides' (and brought to lowest terms, as Fraction would: the scale below is the least
        common multiple of those denominators, the same as from the Fractions)."""
        left, right = atom.left, atom.right
        vars_ = self.vars
        terms = []                         # (key, numerator, denominator) of coef · step
        for key, (num, den) in _difference(left.coef, right.coef, -1).items():
            if not num:
                continue
            var = vars_.get(key)
            if var is None:
                return None
            step_num, step_den = var.step_ratio
            terms.append((key, num * step_num, den * step_den))
        slack = []                         # (numerator, denominator) of rad · half
        for key, (num, den) in _difference(left.rad, right.rad, 1).items():
            var = vars_.get(key)
            if var is not None and num:
                half_num, half_den = var.half_ratio
                slack.append((num * half_num, den * half_den))
        tolerance_num, tolerance_den = _tolerance_ratio(atom, self.values)
        const_num, const_den = _sum_ratio(left.const.as_integer_ratio(), right.const.as_integer_ratio(), -1)
        scale = math.lcm(*(d for _, _, d in terms), *(d for _, d in slack), const_den, tolerance_den)
        coef = {key: num * (scale // den) for key, num, den in terms}
        allowance = sum(num * (scale // den) for num, den in slack) + tolerance_num * (scale // tolerance_den)
        clause = Clause(rule.id, item, op=atom.op, coef=coef, const=const_num * (scale // const_den),
                        allowance=allowance, vars=coef)
        clause.value = clause.const + sum(c * vars_[k].n for k, c in coef.items())
        clause.holds = linear_holds(clause.op, clause.value, clause.allowance)
        clause.exact = linear_holds(clause.op, clause.value, 0)
        return clause

    def _weigh(self, clauses) -> None:
        """A printed total weighs more than a part (it is usually checked more); a figure printed
        twice that agrees with its twin weighs more (two prints agreeing are rarely both wrong).
        Weights stay below 1.5, so fewer changed figures always ranks first."""
        touched = set()
        for clause in clauses:
            if not clause.linear or clause.op != "=":
                continue
            pos = [k for k, c in clause.coef.items() if c > 0]
            neg = [k for k, c in clause.coef.items() if c < 0]
            for one, many in ((pos, neg), (neg, pos)):
                if len(one) == 1 and len(many) >= 2:
                    self.vars[one[0]].total = True
                    touched.add(one[0])
            if len(pos) == 1 and len(neg) == 1 and clause.exact:
                for key in pos + neg:
                    self.vars[key].twin = True
                    touched.add(key)
        for key in touched:
            var = self.vars[key]
            var.weight = 1.0 + (0.2 if var.total else 0.0) + (0.2 if var.twin else 0.0)

    # -- trying corrections out
    def apply(self, changes: dict) -> None:
        """Move figures to other grid steps (``{key: n}``) as if printed so, updating every
        clause they take part in, until :meth:`undo`."""
        undo = []
        clauses = {}
        for key in changes:
            for clause in self.by_var.get(key, ()) + self._compiled_by_var.get(key, []):
                clauses[id(clause)] = clause
        for clause in clauses.values():
            undo.append((clause, clause.value, clause.holds, clause.exact))
            if clause.linear:
                for key, n in changes.items():
                    c = clause.coef.get(key)
                    if c is not None:
                        clause.value += c * (n - self.vars[key].n)
        for key, n in changes.items():
            var = self.vars[key]
            undo.append((var, var.n, var.value))
            var.n, var.value = n, n * var.step
            self.values[key] = var.value
        for clause in clauses.values():
            if clause.linear:
                clause.holds = linear_holds(clause.op, clause.value, clause.allowance)
                clause.exact = linear_holds(clause.op, clause.value, 0)
        for clause in clauses.values():
            if not clause.linear:
                clause.holds = self.clause_holds(clause, {})
                clause.exact = self.clause_holds(clause, {}, exact=True)
        self._applied.append((changes, undo))

    def undo(self) -> None:
        """Put back the figures the last :meth:`apply` moved."""
        _, undo = self._applied.pop()
        for entry in reversed(undo):
            if isinstance(entry[0], Var):
                var, var.n, var.value = entry
                self.values[var.key] = var.value
            else:
                clause, clause.value, clause.holds, clause.exact = entry

    # -- evaluating
    def clause_holds(self, clause: Clause, changed: dict, exact: bool = False) -> bool:
        """Whether *clause* holds with the figures of *changed* (``{key: n}``, grid steps)."""
        if clause.linear:
            value = clause.value
            coef = clause.coef
            for key, n in changed.items():
                c = coef.get(key)
                if c is not None:
                    value += c * (n - self.vars[key].n)
            return linear_holds(clause.op, value, 0 if exact else clause.allowance)
        try:
            return self.tree_holds(clause.tree, changed, exact)
        except (_Undefined, ZeroDivisionError, KeyError):
            return False

    def violation(self, clause: Clause, changed: dict) -> int:
        """How far a linear clause is from holding (0 when it holds), with *changed* figures:
        an explanation of one group of failures may not deepen another group's."""
        if not clause.linear or clause.op == "!=":
            return 0
        value = clause.value
        for key, n in changed.items():
            c = clause.coef.get(key)
            if c is not None:
                value += c * (n - self.vars[key].n)
        a = clause.allowance
        if clause.op == "=":
            return max(0, abs(value) - a)
        if clause.op in ("<", "<="):
            return max(0, value - a)
        return max(0, -a - value)

    def tree_holds(self, cond, changed: dict, exact: bool = False) -> bool:
        """Whether a condition tree holds with the figures of *changed* (grid steps): linear
        atoms in whole numbers, the others on exact values."""
        if isinstance(cond, Known):
            return cond.value
        if isinstance(cond, Atom):
            compiled = self._compiled.get(id(cond))
            if compiled is not None:
                return self.clause_holds(compiled, changed, exact)
            values = _Values(self.values, {k: n * self.vars[k].step for k, n in changed.items()})
            return self.atom_holds(cond, values, exact)
        if isinstance(cond, Negation):
            return not self.tree_holds(cond.item, changed, exact)
        if isinstance(cond, AllOf):
            return all(self.tree_holds(item, changed, exact) for item in cond.items)
        return any(self.tree_holds(item, changed, exact) for item in cond.items)

    def atom_holds(self, atom: Atom, values, exact: bool = False) -> bool:
        """Decide an atom as the evaluator would: intervals of both sides (a non-linear side's
        interval from the corners of its figures' intervals), then ``values.decide``'s rule."""
        op = atom.op
        diff = _point(atom.left, values) - _point(atom.right, values)
        if op == "!=" or exact or linear_holds(op, diff, _ZERO):
            # Holding on the printed values decides it (rounding only widens); only a miss
            # needs the intervals, which for a non-linear side cost a dozen evaluations.
            return linear_holds(op, diff, _ZERO)
        lp, llo, lhi = self._interval(atom.left, values)
        rp, rlo, rhi = self._interval(atom.right, values)
        extra = _tolerance(atom, values)
        if op == "=":
            slack = (lp - llo) + (rhi - rp) if diff >= 0 else (lhi - lp) + (rp - rlo)
            return abs(diff) <= slack + extra
        if op in ("<", "<="):
            return linear_holds(op, llo - rhi, extra)
        return linear_holds(op, lhi - rlo, extra)

    def _interval(self, side, values) -> tuple:
        if isinstance(side, Lin):
            point = side.value(values)
            radius = sum((r * self.vars[k].half for k, r in side.rad.items() if r and k in self.vars), _ZERO)
            return point, point - radius, point + radius
        point = side.fn(values)
        deps = [k for k in side.deps if k in self.vars and self.vars[k].half]
        if not deps or len(deps) > _MAX_CORNERS:
            return point, point, point
        lo = hi = point
        for mask in range(1 << len(deps)):
            corner = dict(values.changed) if isinstance(values, _Values) else {}
            for i, key in enumerate(deps):
                half = self.vars[key].half
                corner[key] = values[key] + (half if mask >> i & 1 else -half)
            try:
                v = side.fn(_Values(self.values, corner))
            except (_Undefined, ZeroDivisionError):
                return point, point, point
            lo, hi = min(lo, v), max(hi, v)
        return point, lo, hi


class _PrintedSym(_Sym):
    """The symbolic evaluation of :mod:`fiscalrules.symbolic` with every precondition's comparison
    (``when``, a ``for each``'s ``where``, an ``if``, and the row filter of an aggregate: ``sum(…
    for r in T where r.level = 1)``) decided on the record's printed values as it is made, by
    *decide* (:meth:`Constraints._decide`).  A filter that reads figures (a `number` column, an
    amount) is then decided as the evaluator decides it: a filtered sum is a linear form over the
    rows the filter keeps, and ``r.level = 1 and not contains(r.name, "结转")`` stops at a level-2
    row as the evaluator does (it need not have a name).  The base class leaves such a filter
    unmodelled: the record generator uses it, where no figure has its value yet."""

    def __init__(self, plan, record, rule, decide, joined: JoinedRows):
        super().__init__(plan, record, rule)
        self.decide = decide
        self.joined, self.looked_up = joined, {}

    def _Compare(self, node):
        made = _Sym._Compare(self, node)
        return self.decide(self, made) if type(made) is Atom and made.robust else made

    def _Compare_values(self, op, a, b):
        made = _Sym._Compare_values(self, op, a, b)
        return self.decide(self, made) if type(made) is Atom and made.robust else made

    def _Comprehension(self, node):
        def one():
            if node.cond is not None:
                mark = marks(self)
                where = self.condition(node.cond)   # (its comparisons are decided as made)
                if not isinstance(where, Known):
                    raise _Unsupported("a row filter not decided on the printed values")
                if not where.value:
                    take_back(self, mark)   # (a row left out is no evidence: symbolic.joined)
                    return _SKIP
            return self.ev(node.elem)
        # (a filter matching the row's text with one around it: only the rows it can keep)
        return self.each(node, one, items=self.joined.rows(self, node, self.looked_up))


def _sum_ratio(a: tuple, b: tuple, sign: int) -> tuple:
    """a + sign·b for two (numerator, denominator) pairs, in lowest terms with a positive
    denominator (Fraction's own normal form, so ``as_integer_ratio`` of the Fraction sum)."""
    num = a[0] * b[1] + sign * b[0] * a[1]
    den = a[1] * b[1]
    g = math.gcd(num, den)
    return num // g, den // g


def _difference(left: dict, right: dict, sign: int) -> dict:
    """The (numerator, denominator) of each key's ``left[k] + sign·right[k]`` (a key of one side
    only: its own value, times *sign* for *right*), keys in the order ``Lin.__sub__`` makes them:
    left's, then right's new ones."""
    out = {key: value.as_integer_ratio() for key, value in left.items()}
    for key, value in right.items():
        num, den = value.as_integer_ratio()
        previous = out.get(key)
        out[key] = (sign * num, den) if previous is None else _sum_ratio(previous, (num, den), sign)
    return out
