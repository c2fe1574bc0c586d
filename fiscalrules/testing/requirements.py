"""Turning the symbolic conditions of a ruleset into requirements on one shape: which branch of
an ``or`` / ``if`` / ``when`` to make hold (:func:`_require`, :func:`_cost`), and the instance of
the whole ruleset on a record skeleton (:func:`_instantiate`).
"""

from __future__ import annotations

import attrs

from ..records import Record, _Builder, load_record
from ..values import in_library_context
from ..symbolic.forms import _NEGATE, NL, AllOf, AnyOf, Atom, Known, Negation, _Missing, _Problem, _Unsupported
from ..symbolic.linear import _rule_condition, _Sym
from .plan import _Plan


def _require(cond, want: bool, rnd, out: list, fixes: list, explore: float = 0.15, avoid=frozenset(),
             choices: dict | None = None) -> bool:
    """Append to *out* the atoms that make *cond* evaluate to *want*; choose branches at random.
    Returns False (and appends shape fixes) when the structure decides it the wrong way.

    *choices* (``(id(node), want)`` → the node and the branch taken) notes each choice made, and
    where it already holds one for a node, that branch is taken again unless it requires an
    atom to *avoid*: so solving a shape again after a failure, or after a repair (where the
    conditions of the rules not touched are the same nodes), changes only the choices that
    failed rather than drawing every branch of the ruleset anew (which made new choices fail)."""
    if isinstance(cond, Known):
        if cond.value == want:
            return True
        fixes.extend(cond.flips)
        return False
    if isinstance(cond, Atom):
        out.append(cond if want else _negated(cond, choices))
        return True
    if isinstance(cond, Negation):
        return _require(cond.item, not want, rnd, out, fixes, explore, avoid, choices)
    conjunctive = isinstance(cond, AllOf) == want
    if conjunctive:
        ok = True
        for item in cond.items:
            ok = _require(item, want, rnd, out, fixes, explore, avoid, choices) and ok
        return ok
    if _excluded_middle(cond):   # (x or not x): holds whatever the figures
        return True
    # one item decides: prefer branches that constrain little (a `!=` or an inequality rather
    # than an equality that pins a figure), at random among equals; sometimes explore any order
    items = list(cond.items)
    node = (id(cond), want)
    chosen = choices.get(node) if choices is not None else None
    if chosen is not None and chosen[0] is cond:   # (the node is held, so its id is not reused)
        item = items[chosen[1]]
        if not avoid or _cost(item, want, avoid) < _AVOIDED:
            attempt, attempt_fixes = [], []
            if _require(item, want, rnd, attempt, attempt_fixes, explore, avoid, choices):
                out.extend(attempt)
                return True
    if rnd.random() < explore:
        rnd.shuffle(items)
        if avoid:   # explore, but not into what made an earlier attempt fail
            items.sort(key=lambda item: _cost(item, want, avoid) >= _AVOIDED)
    else:
        keyed = [(_cost(item, want, avoid) + rnd.random(), i) for i, item in enumerate(items)]
        items = [items[i] for _, i in sorted(keyed)]
    first_fixes = None
    for item in items:
        attempt, attempt_fixes = [], []
        if _require(item, want, rnd, attempt, attempt_fixes, explore, avoid, choices):
            out.extend(attempt)
            if choices is not None:
                choices[node] = (cond, cond.items.index(item))
            return True
        if first_fixes is None:
            first_fixes = attempt_fixes
            if attempt_fixes:
                break  # the preferred branch holds once the shape is fixed: fix it
    fixes.extend(first_fixes or [])
    return False


def _excluded_middle(cond) -> bool:
    """Whether one item of *cond*'s is the negation of another (the same node): ``x or not x``
    -- what ``if c then b`` / ``when c`` / ``where c`` make of a ``b`` the shape already decides
    true (symbolic.forms._implies: ``not c or (c and b)``, with ``c and true`` being ``c``).  Made
    to hold, it requires nothing; chosen as one of its branches, ``c`` or ``not c`` constrained
    the figures for no rule, and where that branch could not hold (a filter's ``amount != 0`` on
    an item the equalities fix at zero: ITM-002, TBL-013) the solve failed and was made again
    (~0.5 failed solves per budget record)."""
    items = cond.items
    if len(items) < 2:
        return False
    ids = {id(item) for item in items}
    return any(type(item) is Negation and id(item.item) in ids for item in items)


def _negated(atom: Atom, choices: dict | None) -> Atom:
    """The atom's negation, made once per atom where *choices* is kept (see :func:`_require`):
    the same negation is then required again and again as a shape is settled, repaired and
    solved, and the solver works out what it needs of an atom once (:attr:`Atom.memo`)."""
    if choices is None:
        return atom.negated()
    made = choices.get((id(atom), "negated"))
    if made is None or made[0] is not atom:
        made = choices[(id(atom), "negated")] = (atom, atom.negated())
    return made[1]


_AVOIDED = 50.0   # the cost of an atom that made an earlier attempt on the shape fail


def _cost(cond, want: bool, avoid=frozenset()) -> float:
    """How much making *cond* evaluate to *want* constrains the figures (for branch choice)."""
    if isinstance(cond, Known):
        if cond.value == want:
            return 0.0
        return 3.0 if cond.flips else 100.0  # the shape can be changed (a row added, a text set)
    if isinstance(cond, Atom):
        op = cond.op if want else _NEGATE[cond.op]
        if avoid and (cond if want else cond.negated()).key in avoid:
            return _AVOIDED  # it made an earlier attempt on this shape fail
        if op == "=" and (isinstance(cond.left, NL) or isinstance(cond.right, NL)):
            return 1.5  # most likely a figure computed from others (a stated percentage)
        return {"!=": 1.0, "=": 6.0}.get(op, 2.0)
    if isinstance(cond, Negation):
        return _cost(cond.item, not want, avoid)
    conjunctive = isinstance(cond, AllOf) == want
    if not conjunctive and _excluded_middle(cond):
        return 0.0
    costs = [_cost(item, want, avoid) for item in cond.items]
    return sum(costs) if conjunctive else min(costs)


@attrs.define
class _Instance:
    atoms: list
    opaque: set            # rule ids the evaluator must confirm afterwards
    missing: list
    fixes: list
    unsatisfied: list      # rule ids decided false by structure with no fix
    soft: list = attrs.field(factory=list)


def _conditions(plan: _Plan, record: Record, cache: dict | None = None, changed=None,
                redrawn: list | None = None) -> list:
    """Each rule's symbolic condition on *record*: ``(rule, cond, value_dependent, soft)``, or
    ``(rule, exception, None, None)`` where it cannot be derived.  Deterministic: the branch
    choices of :func:`_instantiate` can be drawn again and again on the same conditions.

    With a *cache* (rule id → condition, kept by the caller for one growing shape) a rule is
    evaluated again only if *changed* (a :class:`_Changes`) touches a figure, table or group it
    can read (its :class:`~fiscalrules.testing.plan._Footprint`): the condition of a rule is a
    function of what it reads.  A rule kept although a table it names changed (in cells of
    columns it does not read) goes to *redrawn* as well: its branches are drawn again, as they
    were when every rule naming a changed table was derived again (see :func:`_forget_choices`),
    so that a seed's record stays what it was."""
    out = []
    footprints = plan.footprints
    for rule in plan.generated_rules:
        cached = cache.get(rule.id) if cache is not None else None
        if cached is not None and changed is not None:
            footprint = footprints[rule.id]
            if not changed.touches(footprint):
                out.append(cached)
                if redrawn is not None and not changed.paths.isdisjoint(footprint.paths):
                    redrawn.append(cached)
                continue
        sym = _Sym(plan, record, rule)
        try:
            entry = (rule, _rule_condition(sym, rule), sym.value_dependent, list(sym.soft))
        except (_Missing, _Unsupported, _Problem) as exc:
            # kept as a value: without its traceback, whose frames (this one, the shape's
            # callers) would make a cycle through the cache holding it, so that a finished
            # shape and all it holds waited for the garbage collector instead of being freed
            entry = (rule, exc.with_traceback(None), None, None)
        if cache is not None:
            cache[rule.id] = entry
        out.append(entry)
    return out


class _Changes:
    """What changed in a shape since its rules' conditions were derived: the paths the record is
    read again at (``paths``: fields, and tables with a row or cell changed), the fields changed
    and the groups holding them, the tables whose rows changed, and the columns of the cells that
    changed."""

    __slots__ = ("paths", "fields", "groups", "rows", "cells")

    def __init__(self):
        self.paths: set = set()
        self.fields: set = set()
        self.groups: set = set()
        self.rows: set = set()     # tables with a row added (or the table itself)
        self.cells: set = set()    # (table, column) of each cell added, changed or left out

    def field(self, path: str) -> None:
        self.paths.add(path)
        self.fields.add(path)
        self.groups.add(path.rpartition(".")[0])

    def table(self, path: str) -> None:
        self.paths.add(path)
        self.rows.add(path)

    def cell(self, table: str, column: str) -> None:
        self.paths.add(table)
        self.cells.add((table, column))

    def touches(self, footprint) -> bool:
        """Whether a rule with *footprint* can read a change: a field, a group, the rows of a table
        it names, or a cell of a table it names in a column it names (a rule reads a row's cells
        by their column's name only: a cell of another column leaves its condition as it was)."""
        paths = footprint.paths
        if not (self.fields.isdisjoint(paths) and self.rows.isdisjoint(paths)
                and self.groups.isdisjoint(footprint.prefixes)):
            return True
        columns = footprint.columns
        for table, column in self.cells:
            if column in columns and table in paths:
                return True
        return False


@in_library_context
def _reload(data: dict, previous: Record | None, changes: _Changes) -> Record:
    """The record of a shape's *data*, as :func:`~fiscalrules.load_record` makes it, given the
    record of its *previous* round and what *changes* noted since: the figures and tables at
    paths no change touched are the previous record's (the same data there, so the same
    objects, which are immutable), and only the rest is read again.  Reading every figure and
    row of a growing shape again each round was an eighth of a generated record's cost."""
    if previous is None:
        return load_record(data)
    builder = _Reloader(previous, changes.paths)
    builder.walk(data, "")
    return Record("record", builder.figures, builder.tables, {}, builder.finished_children())


class _Reloader(_Builder):
    """The record builder, taking unchanged figures and tables from the previous record."""

    def __init__(self, previous: Record, changed: set):
        super().__init__(None)
        self.previous, self.changed = previous, changed

    def table(self, rows: list, path: str):
        if path not in self.changed:
            table = self.previous.tables.get(path)
            if table is not None:
                return table
        return super().table(rows, path)

    def figure(self, raw, path: str):
        # a table's cells are read only with their table (row()), never found here: the
        # previous record's figures are its fields
        if path not in self.changed:
            figure = self.previous.figures.get(path)
            if figure is not None:
                return figure
        return super().figure(raw, path)


def _forget_choices(cond, choices: dict) -> None:
    """Drop the branches chosen (see :func:`_require`) for every node of *cond*, so that they are
    drawn again as for a condition derived anew."""
    stack = [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, (AllOf, AnyOf)):
            choices.pop((id(node), True), None)
            choices.pop((id(node), False), None)
            stack.extend(node.items)
        elif isinstance(node, Negation):
            stack.append(node.item)


def _instantiate(conditions: list, rnd, explore: float = 0.15, avoid=frozenset(),
                 choices: dict | None = None) -> _Instance:
    """The requirements of every rule, choosing branches at random, from the rules' *conditions*
    on one record (:func:`_conditions`); *choices* as for :func:`_require`."""
    inst = _Instance([], set(), [], [], [])
    for rule, cond, value_dependent, soft in conditions:
        if isinstance(cond, _Missing):
            inst.missing.extend(cond.entries)
            continue
        if isinstance(cond, (_Unsupported, _Problem)):
            inst.opaque.add(rule.id)
            continue
        out, fixes = [], []
        if not _require(cond, True, rnd, out, fixes, explore, avoid, choices):
            if fixes:
                inst.fixes.extend(fixes)
            else:
                inst.unsatisfied.append(rule.id)
            continue
        if value_dependent:
            inst.opaque.add(rule.id)
        inst.atoms.extend(out)
        inst.soft.extend(soft)
    return inst
