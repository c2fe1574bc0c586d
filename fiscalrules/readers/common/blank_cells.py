"""Where a row's figures stand when its blank cells left no trace (text without column positions:
``pdfplumber``'s ``extract_text``, ``pdftotext`` without -layout): a row printing fewer figures
than the table has figure columns is placed only where the template's structure leaves one
placement, never by guess.

What it owns: each such row's candidate placements (its figures keep their order; the first is the
合计 where the table's first figure column is 合计 -- a part is never non-zero with its 合计 blank;
in the 基本支出表 an economic code's class tells 人员经费 (301, 303) from 公用经费 (any other class),
the national classification's split; where the table has a 合计 column, :func:`consistent` keeps
those the row's own identities allow -- its 合计 the sum of its parts, a fund table's 年末 = 年初 +
本年收入 - 本年支出) and the choice among them by the table's sums: a parent row's
figures are the sums of its children's, column by column (the 合计 row of the rows with no parent,
a 类 of its 款, a 款 of its 项, a department of its units).  A placement is taken only when it is the
only one that lets every sum hold: the sums are worked out over the whole tree (each row's
placements its subtree allows, then those its parent allows; where no figure is negative, a
partial sum past its parent's figures is dropped: the work stays small); a parent whose children no placement
sums to (a misprint) constrains none of them, so a slip never places a row.  What stays open is not
read: the reader lists it.  Shared by the budget's tables read by token order
(:mod:`fiscalrules.readers.budget.token_order`) and the 决算's coded tables read by tokens
(:mod:`fiscalrules.readers.final_accounts.coded`).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

__all__ = ["candidates", "consistent", "holds", "misprinted", "placed_row", "settle", "PARTS", "PERSONNEL_CLASSES"]

# The economic classes of 人员经费 (工资福利支出, 对个人和家庭的补助); 公用经费 is the rest of 基本支出.
PERSONNEL_CLASSES = ("301", "303")

# Columns that do not add up over the rows (shares, percentages) and the 合计 (always placed: it
# says nothing of where the parts stand, and a misprinted 合计 would stop the parts' sums).
_NOT_SUMMED = frozenset({"total", "pct", "share"})

# The columns adding up to a row's 合计 (the 决算's tables: 基本支出 + 项目支出 + …, 财政拨款收入 + 事业收入
# + …, 人员经费 + 公用经费); a table's other columns (年初预算数, 调整预算数, 年初结转和结余 …) stand
# beside its 合计, no part of it.
PARTS = frozenset({"basic", "project", "remit_superior", "operating", "affiliated_subsidy", "appropriation",
                   "superior_subsidy", "business", "affiliated", "other", "personnel", "public"})

# The work a table's sums may take (partial sums kept per parent): past it nothing is placed by them.
_MOST_STATES = 20000


def candidates(count: int, keys: list[str], code: str | None, economic: bool) -> list[tuple[str, ...]]:
    """The figure columns (*keys*, in order) each of a row's *count* figures may stand under, one
    tuple per placement: the figures in order, the first the 合计 where the first column is; in
    the 基本支出表 (*economic*) the row's class (*code*) keeps its figure to its own 经费."""
    if not 0 < count <= len(keys):
        return []
    if keys[0] == "total":
        found = [("total",) + rest for rest in combinations(keys[1:], count - 1)]
    else:
        found = list(combinations(keys, count))
    if economic and code:
        wrong = "public" if code[:3] in PERSONNEL_CLASSES else "personnel"
        found = [placed for placed in found if wrong not in placed]
    return found


def holds(placed: dict[str, Decimal], keys: list[str]) -> bool:
    """Whether a row's figures under their columns (*placed*; a blank column absent) keep the row's
    own identities, where the table (*keys*) has the columns they speak of: a part (:data:`PARTS`)
    never stands with its 合计 blank; the 合计 is the sum of its parts (within a cent a part: the
    rounding of tables converted between units); and in a fund table, 年末结转和结余 = 年初结转和结余
    + 本年收入 - 本年支出."""
    if "total" not in keys:
        return True
    parts = [placed[key] for key in placed if key in PARTS]
    if parts and "total" not in placed:
        return False
    if parts and abs(placed["total"] - sum(parts)) > Decimal("0.01") * len(parts):
        return False
    if {"opening", "income", "closing"} <= set(keys):
        zero = Decimal(0)
        moved = placed.get("opening", zero) + placed.get("income", zero) - placed.get("total", zero)
        return abs(moved - placed.get("closing", zero)) <= Decimal("0.02")
    return True


def consistent(options: list[tuple[str, ...]], values: list[Decimal], keys: list[str]) -> list[tuple[str, ...]]:
    """Of a row's placements (*options*, its figures' *values*), those its own identities allow
    (:func:`holds`, the table's columns *keys*).  A row no placement keeps them for (a misprint)
    keeps those that have their 合计 where a part stands: its identity says nothing of where its
    figures stand, and the rule shows the misprint."""
    if "total" not in keys:
        return options
    whole = [option for option in options if "total" in option or not PARTS.intersection(option)]
    return [option for option in whole if holds(dict(zip(option, values)), keys)] or whole


def misprinted(options: list[tuple[str, ...]], values: list[Decimal], keys: list[str]) -> bool:
    """Whether a row's own identities (:func:`holds`) hold for none of its placements: one of its
    cells is misprinted.  The table's sums then take the row as if one cell (a part, or its 合计)
    held its true figure (:meth:`_Node.vectors`): the row is placed where they hold for one
    placement only, and read as printed -- the rules show the misprint."""
    return "total" in keys and bool(options) and not any(holds(dict(zip(option, values)), keys) for option in options)


class _Node:
    __slots__ = ("options", "values", "children", "allowed", "feasible", "cut", "loose", "bound", "states")

    def __init__(self, options: list[tuple[str, ...]], values: list[Decimal], loose: bool = False):
        self.options = options
        self.values = values
        self.children: list[_Node] = []
        self.feasible: list[int] = list(range(len(options)))
        self.allowed: set[int] = set()
        self.cut = False          # its children's sums held for no placement (or past the work)
        self.loose = loose        # its own identity holds for no placement: one of its cells is misprinted
        self.bound: tuple | None = None   # the most each column of its children may sum to (_limit)
        self.states: list[set] | None = None   # its children's partial sums (_forward), from _up for _down

    def vector(self, option: int, columns: list[str]) -> tuple[Decimal, ...]:
        placed = dict(zip(self.options[option], self.values))
        return tuple(placed.get(column, Decimal(0)) for column in columns)

    def vectors(self, option: int, columns: list[str]) -> set[tuple[Decimal, ...]]:
        """What *option* may add to its parent's sums: its figures -- and, for a row one of whose
        cells is misprinted (``loose``), its figures with one part as its 合计 less its other parts
        (the misprinted part's true figure; a misprinted 合计 leaves the parts as printed)."""
        found = {self.vector(option, columns)}
        placed = dict(zip(self.options[option], self.values))
        if not self.loose or "total" not in placed:
            return found
        parts = [key for key in placed if key in PARTS]
        for key in parts:
            rest = placed["total"] - sum(placed[other] for other in parts if other != key)
            if rest >= 0:
                found.add(tuple(rest if column == key else placed.get(column, Decimal(0)) for column in columns))
        return found


def placed_row(code: str | None, row: dict, keys: list[str]) -> tuple[str | None, list[tuple[str, ...]], list[Decimal]]:
    """A row of *settle*'s table whose figures stand where they were read (*row*'s figures under *keys*):
    one placement, its own."""
    here = tuple(key for key in keys if isinstance(row.get(key), dict))
    return code, [here], [Decimal(str(row[key]["value"])) for key in here]


def settle(rows: list[tuple], columns: list[str]) -> list[int | None]:
    """For each row -- (its code, None for the table's 合计 row; its placements; its figures'
    values[; whether one of its cells is misprinted: its own identity holds for no placement]) --
    the index of its one placement the table's sums allow, else None.  *columns*: the table's
    figure columns.  Rows nest by code (a row's parent: the row whose code is the longest proper
    prefix of its own; the 合计 row the parent of the rest)."""
    summed = [c for c in columns if c not in _NOT_SUMMED]
    nodes = [_Node(row[1], row[2], len(row) > 3 and bool(row[3])) for row in rows]
    # (figures none of which is negative: a partial sum past its parent's figure in a column can
    # only grow, and is dropped -- the work then stays small however many children a row has)
    bounded = all(value >= 0 for row in rows for value in row[2])
    codes = [row[0] for row in rows]
    by_code = {code: node for code, node in zip(codes, nodes) if code is not None}
    total = [node for code, node in zip(codes, nodes) if code is None]
    if len(by_code) + len(total) != len(nodes) or len(total) > 1:
        return [0 if len(node.options) == 1 else None for node in nodes]   # (a code twice: no tree)
    roots = []
    for code, node in zip(codes, nodes):
        if code is None:
            continue
        parent = next((by_code[code[:cut]] for cut in range(len(code) - 1, 0, -1) if code[:cut] in by_code), None)
        if parent is None and total:
            parent = total[0]
        (parent.children if parent is not None else roots).append(node)
    roots.extend(total)
    for node in roots:
        if bounded:
            _limit(node, None, summed)
        _up(node, summed, bounded)
    for node in roots:
        node.allowed = set(node.feasible)
        _down(node, summed)
    return [next(iter(node.allowed)) if len(node.allowed) == 1 else None for node in nodes]


def _limit(node: _Node, above: tuple | None, columns: list[str]) -> None:
    """No figure negative: a row's children sum in a column to at most its own largest figure there
    and its parent's bound (*above*) -- a 合计 row pinned by the document's other figures holds the
    whole table to its columns, and the partial sums stay few.  (A misprinted parent too small
    only cuts its rows' sums: they then constrain none of their children.)"""
    vectors = [v for i in node.feasible for v in node.vectors(i, columns)]
    most = tuple(max(v[at] for v in vectors) for at in range(len(columns)))
    node.bound = most if above is None else tuple(min(x, b) for x, b in zip(most, above))
    for child in node.children:
        _limit(child, node.bound, columns)


def _up(node: _Node, columns: list[str], bounded: bool) -> None:
    """The placements of *node* its subtree's sums allow (``feasible``); a node whose children's
    sums hold for none of them is ``cut``: it keeps them all and constrains no child."""
    for child in node.children:
        _up(child, columns, bounded)
    if not node.children:
        return
    states = node.states = _forward(node.children, columns, node.bound if bounded else None)
    if states is None:
        node.cut = True
        return
    reachable = states[-1]
    feasible = [i for i in node.feasible if node.vectors(i, columns) & reachable]
    if feasible:
        node.feasible = feasible
    else:
        node.cut = True


def _down(node: _Node, columns: list[str]) -> None:
    """The placements of *node*'s children its own allowed placements leave them."""
    if not node.children:
        return
    if node.cut:
        for child in node.children:
            child.allowed = set(child.feasible)
            _down(child, columns)
        return
    states = node.states      # (worked out by _up: a node not cut has them)
    assert states is not None
    targets = set().union(*(node.vectors(i, columns) for i in node.allowed))
    after = targets & states[-1]
    for index in range(len(node.children) - 1, -1, -1):
        child = node.children[index]
        before = states[index]
        used: set[int] = set()
        reached = set()
        for option in child.feasible:
            for step in child.vectors(option, columns):
                for state in before:
                    if _add(state, step) in after:
                        used.add(option)
                        reached.add(state)
        child.allowed = used
        after = reached
    for child in node.children:
        _down(child, columns)


def _forward(children: list[_Node], columns: list[str], bound: tuple | None = None) -> list[set] | None:
    """The sums the first k children can make, for each k (k = 0 … all); None past the work.  With
    a *bound* (no figure negative), a sum past it in a column is dropped: it reaches no target."""
    states: list[set] = [{tuple(Decimal(0) for _ in columns)}]
    for child in children:
        steps = set().union(*(child.vectors(option, columns) for option in child.feasible))
        following = {_add(state, step) for state in states[-1] for step in steps}
        if bound is not None:
            following = {state for state in following if all(x <= b for x, b in zip(state, bound))}
        if len(following) > _MOST_STATES:
            return None
        states.append(following)
    return states


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b))
