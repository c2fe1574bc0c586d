"""The ruleset, statically: what the generator needs to know of a ruleset (texts its rules
compare with, lookups, nested tables, stated changes, units, precisions, tolerances), computed
once per :class:`~fiscalrules.Ruleset`.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

from .. import ast
from ..loader import Ruleset, load_ruleset
from ..nodebase import evolve
from ..symbolic.plan import SymbolicPlan, table_of, walk
from ..values import format_decimal


class _Plan(SymbolicPlan):
    """What the generator needs to know of a ruleset, computed once: what the symbolic
    evaluation needs (:class:`~fiscalrules.symbolic.plan.SymbolicPlan`), and the texts, lookups,
    nested tables and stated changes its rules use."""

    def __init__(self, ruleset: Ruleset):
        super().__init__(ruleset)
        checked = self.checked
        self.scalars = {p: d for p, d in self.fields.items() if d.kind != "table" and "*" not in p}
        self.wildcards = {p[:-2]: d for p, d in self.fields.items() if p.endswith(".*") and "*" not in p[:-2]}
        self.tables = {p: d for p, d in self.fields.items() if d.kind == "table" and "*" not in p}
        self.text_candidates: dict = {}
        self.contains: dict = {}
        # (table, column) → the numbers a rule compares a `number` column with (`r.level = 1`):
        # a category of the row, drawn with the shape like a text, not solved for (see
        # symbolic.linear's cell and variables.var_specs), so a filter on it is decided
        self.categories: dict = {}
        self.lookups: dict = {}
        self.nested: set = set()
        self.meta: set = set()
        self.var_facts: dict = {}   # what variables.var_specs works out per declaration, meta and unit
        self.var_specs: dict = {}   # and the spec of each figure path with those facts
        # rounded → a figure's form (see variables.var_specs) → (its declaration, its variables' specs)
        self.form_var_specs: dict = {}
        # the rules that divide: the only ones rounding a record's figures can make an error
        # (a divisor printed as 0.00); every other evaluation problem is one of structure or type
        self.dividing: list = []
        # the rules a condition decides: a `when`, an `if`'s condition or a row filter comparing
        # figures. A condition that holds only within rounding counts as true (docs/semantics.md
        # §7), so a figure the exact record keeps off it (0.004) but prints as 0.00 can make
        # such a rule apply, and fail, where the exact record passes
        self.conditioned: list = []
        self.footprints: dict = {}   # rule id → _Footprint (of the rule as generated for)
        # the rules as records are generated for them: without the guards that only another
        # rule's failure makes true (see _without_failure_guards); the rules themselves (self.rules)
        # for everything else, analyze() among them
        self.generated_rules = _without_failure_guards(self.rules)
        # (generator state, rounded, optional_absent, decimal context) → (a copy of the record, the
        # generator's state after it): the records generated for this ruleset, kept by generate.generate_record
        self.generated: OrderedDict = OrderedDict()
        for rule in self.rules:
            row_vars = checked.row_vars.get(rule.id, {})
            for root in (rule.when, rule.assertion):
                if root is not None:
                    self._scan(root, row_vars)
            nodes = [node for root in (rule.when, rule.assertion) if root is not None for node in walk(root)]
            if any(isinstance(node, ast.Binary) and node.op == "/" for node in nodes):
                self.dividing.append(rule.id)
            conditions = [rule.when] + [node.cond for node in nodes if isinstance(node, (ast.Implies, ast.Comprehension))] \
                + [node.where for node in nodes if isinstance(node, ast.ForEach)]
            if any(isinstance(node, ast.Compare) for cond in conditions if cond is not None for node in walk(cond)):
                self.conditioned.append(rule.id)
        # each of those rules once, with the statuses rounding alone may not bring about
        # (generate._rounding_keeps_outcomes): a rule both divides and is conditioned (all 28
        # dividing rules of budget_disclosure) is evaluated once, not once per list
        checks: dict = {}
        for rule_id in self.dividing:
            checks.setdefault(rule_id, []).append(frozenset(["error"]))
        for rule_id in self.conditioned:
            checks.setdefault(rule_id, []).append(frozenset(["error", "fail"]))
        self.rounding_checks = [(rule_id, tuple(bad)) for rule_id, bad in checks.items()]
        for rule in self.generated_rules:
            nodes = [node for root in (rule.when, rule.assertion) if root is not None for node in walk(root)]
            self.footprints[rule.id] = _Footprint(nodes)

    def _target(self, node, row_vars):
        """The text slot a node reads: ("f", path) or ("c", table, column)."""
        if isinstance(node, ast.FieldRef):
            return ("f", node.path)
        if isinstance(node, ast.Column):
            table = self._table_of(node.obj, row_vars)
            return ("c", table, node.name) if table else None
        return None

    def _scan_filter(self, where, row_vars):
        """A row filter comparing a `number` column with a number (`where r.level = 1`) makes the
        column a category: drawn with the shape among the numbers compared with and one other,
        not solved for, so the filter is decided (see self.categories)."""
        for node in walk(where) if where is not None else ():
            if isinstance(node, ast.Compare) and node.op in ("=", "!="):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    target = self._target(a, row_vars) if isinstance(b, ast.Number) and b.unit is None else None
                    if target and target[0] == "c":
                        decl = self.column_decl(target[1], target[2])
                        if decl is not None and decl.kind == "number" and decl.default is None:
                            self.categories.setdefault((target[1], target[2]), set()).add(b.value)

    def _table_of(self, node, row_vars):
        return table_of(node, row_vars)

    def _scan(self, root, row_vars):
        for node in walk(root):
            if isinstance(node, (ast.ForEach, ast.Comprehension)):
                self._scan_filter(node.where if isinstance(node, ast.ForEach) else node.cond, row_vars)
            if isinstance(node, ast.Compare):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(b, ast.String):
                        target = self._target(a, row_vars)
                        if target:
                            self.text_candidates.setdefault(target, set()).add(b.value)
            elif isinstance(node, ast.Member):
                target = self._target(node.item, row_vars)
                if target:
                    for option in node.options:
                        if isinstance(option, ast.String):
                            self.text_candidates.setdefault(target, set()).add(option.value)
            elif isinstance(node, ast.Call):
                if node.func == "contains" and len(node.args) == 2 and isinstance(node.args[1], ast.String):
                    target = self._target(node.args[0], row_vars)
                    if target:
                        self.contains.setdefault(target, set()).add(node.args[1].value)
                elif node.func in ("children", "parent", "level") and node.args:
                    table = self._table_of(node.args[0], row_vars)
                    if table:
                        self.nested.add(table)
                elif node.func in ("change", "prior", "pct") and node.args:
                    meta = "pct" if node.func == "pct" else "change"
                    arg = node.args[0]
                    if isinstance(arg, ast.FieldRef):
                        self.meta.add(("f", arg.path, meta))
                    elif isinstance(arg, ast.Wildcard):
                        self.meta.add(("w", arg.prefix, meta))
                    elif isinstance(arg, ast.Column):
                        table = self._table_of(arg.obj, row_vars)
                        if table:
                            self.meta.add(("c", table, arg.name, meta))
            elif isinstance(node, ast.Lookup) and isinstance(node.table, ast.TableRef):
                if isinstance(node.key, (ast.String, ast.Number)):
                    key = node.key.value if isinstance(node.key, ast.String) else format_decimal(node.key.value)
                    self.lookups.setdefault(node.table.path, set()).add(key)

    # -- per-figure facts
    def precision(self, kind: str, unit: str | None, meta: str) -> Decimal:
        if kind in ("count", "number") and meta == "value":
            return Decimal(1)
        if kind in ("count", "number"):
            return Decimal(1)
        declared = self.precisions.get(unit)
        return declared if declared is not None else Decimal("0.01")

    def code_scheme(self, table: str) -> str:
        decl = self.fields.get(table)
        code = next((c for c in decl.columns if c.name == "code"), None) if decl is not None else None
        if code is not None and any("单位编码" in label for label in code.labels):
            return "unit"   # rows of units (本级, 所属单位), no classification: see shapes.code_tree
        keys = self.lookups.get(table, ())
        if any(k.startswith("3") for k in keys):
            return "economic"
        if any(k.startswith("2") for k in keys):
            return "function"
        decl = self.fields.get(table)
        words = table + " " + " ".join(decl.labels if decl else ())
        if "econom" in words or "经济" in words:
            return "economic"
        return "function"


_NEGATED_OP = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _conjuncts(node) -> list:
    """The operands of a chain of ``and`` (the node itself if it is none)."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.And):
            stack.extend((current.right, current.left))
        else:
            out.append(current)
    return out


def _failure_of(rule):
    """The conditions under which *rule* fails, as a set of conjuncts (its ``when``'s and its
    assertion negated), for a rule whose assertion is one comparison; else None."""
    assertion = rule.assertion
    if not isinstance(assertion, ast.Compare) or assertion.op not in _NEGATED_OP:
        return None
    negated = ast.Compare(_NEGATED_OP[assertion.op], assertion.left, assertion.right)
    return frozenset([*(_conjuncts(rule.when) if rule.when is not None else ()), negated])


def _without_failure_guards(rules: list) -> list:
    """*rules*, each ``when`` without the conjuncts ``not (...)`` whose operand is exactly another
    rule's failure (its ``when`` and its assertion negated): ``... and not (present(T) and
    present(A) and A >= 1 and T >= 1000 * A)   # UNT-001``, which leaves TBL-028 … TBL-031 and
    TBL-048 out where UNT-001 reports the table's unit.  A generated record satisfies every rule,
    so such a conjunct is true on every record the generator may return, and dropping it changes
    no rule's requirement on them -- but the generator, choosing a branch that makes the rule
    hold, would otherwise take the cheap one making the conjunct false, i.e. require the other
    rule to fail, and every such choice ended in a failed solve (then the shape solved again
    avoiding it: ~1.1 of the 2.6 failed solves per budget record at e9ecec0).  Worked out once
    per ruleset; analyze() and every check of a record read the rules as written."""
    failures = {}
    for rule in rules:
        failure = _failure_of(rule)
        if failure is not None:
            failures.setdefault(failure, rule.id)
    out = []
    for rule in rules:
        when = rule.when
        if when is None or not failures:
            out.append(rule)
            continue
        parts = _conjuncts(when)
        kept = [part for part in parts
                if not (isinstance(part, ast.Not)
                        and failures.get(frozenset(_conjuncts(part.operand)), rule.id) != rule.id)]
        if len(kept) == len(parts):
            out.append(rule)
            continue
        guard = kept[0] if kept else ast.Boolean(True)
        for part in kept[1:]:
            guard = ast.And(guard, part)
        out.append(evolve(rule, when=guard))
    return out


class _Footprint:
    """What the symbolic evaluation of a rule can read of a record, from the rule's nodes: the
    figure and table paths it names (fields, stated changes of fields, tables, lookups), the
    groups it lists (wildcards) and the columns it names (a row's cells are read by column name
    only).  It reads nothing else: a row, a column or children() come from a table it names.
    A rule's condition on a shape is a function of these, so it is derived again only where a
    change touches them (:func:`~fiscalrules.testing.requirements._conditions`); named
    statically, without noting each read of each evaluation as it is made."""

    __slots__ = ("paths", "prefixes", "columns")

    def __init__(self, nodes):
        self.paths = frozenset([node.path for node in nodes if isinstance(node, (ast.FieldRef, ast.TableRef))])
        self.prefixes = frozenset([node.prefix for node in nodes if isinstance(node, ast.Wildcard)])
        self.columns = frozenset([node.name for node in nodes if isinstance(node, ast.Column)])


_PLANS: "weakref.WeakKeyDictionary[Ruleset, _Plan]" = weakref.WeakKeyDictionary()


def _plan(ruleset) -> _Plan:
    ruleset = _as_ruleset(ruleset)
    plan = _PLANS.get(ruleset)
    if plan is None:
        plan = _PLANS[ruleset] = _Plan(ruleset)
    return plan


def _as_ruleset(ruleset) -> Ruleset:
    if isinstance(ruleset, Ruleset):
        return ruleset
    if isinstance(ruleset, (str, Path)):
        return load_ruleset(ruleset)
    raise TypeError(f"expected a Ruleset, a rule file or a bundled ruleset name, not {type(ruleset).__name__}")
