"""The fund columns of 财政拨款收入支出决算总表's right side where a blank cell leaves no trace (single-
spaced text): a line printing 合计 and fewer fund figures than the three funds ("本年支出合计 59
102,241.77 92,772.26 9,469.51" under 合计 | 一般公共预算 | 政府性基金 | 国有资本经营) says nothing by itself
of which fund is blank.

What it owns: the placement of those lines by the table's identities, where they leave exactly one:
each line's 合计 is the sum of its funds; the classes' funds add up to 本年支出合计's; per fund, 总计 =
本年支出合计 + 年末结转和结余 = 本年收入 + 年初结转和结余 (the left side's lines by fund: a fund line left
blank there is 0 where the printed ones add up to their 合计).  What stays open is listed by the reader.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product

from ..common.blank_cells import candidates, settle
from .two_sided_columns import FUND_KEYS

__all__ = ["place_fund_lines", "left_by_fund"]

_FUNDS = FUND_KEYS[1:]
_ZERO = Decimal(0)
# the right side's lines of the per-fund identities (the others are its classes)
_TOTALS = ("expenditure_total", "closing", "grand")


def _options(values: list[Decimal]) -> list[tuple[str, ...]]:
    """A line's placements: its figures in order, the first its 合计, which its funds add up to."""
    found = []
    for option in candidates(len(values), list(FUND_KEYS), None, False):
        placed = dict(zip(option, values))
        funds = [placed[key] for key in _FUNDS if key in placed]
        if not funds or abs(placed["total"] - sum(funds)) <= Decimal("0.01") * len(funds):
            found.append(option)
    return found


def _vector(option: tuple[str, ...], values: list[Decimal]) -> tuple[Decimal, ...]:
    placed = dict(zip(option, values))
    return tuple(placed.get(key, _ZERO) for key in _FUNDS)


def left_by_fund(income: dict, income_total, opening: dict, opening_total) -> dict[str, Decimal] | None:
    """Each fund's 本年收入 + 年初结转和结余 from the left side (*income* / *opening*: fund -> value;
    their 合计), or None where a fund's cannot be told: a fund printing no figure is 0 only where
    the printed ones add up to their 合计."""
    found = {}
    for printed, total in ((income, income_total), (opening, opening_total)):
        if total is None or sum(printed.values(), _ZERO) != total:
            return None
        for key in _FUNDS:
            found[key] = found.get(key, _ZERO) + printed.get(key, _ZERO)
    return found


def place_fund_lines(lines: list[tuple[str, str | None, list[Decimal]]],
                     left: dict[str, Decimal] | None) -> list[tuple[str, ...] | None]:
    """For each right-side line -- (its kind: ``expenditure_total``, ``closing``, ``grand`` or
    ``class``; a class's code; its figures) -- its placement under :data:`FUND_KEYS`, or None where
    the identities leave more than one.  *left*: each fund's income + opening (:func:`left_by_fund`)."""
    options = [_options(values) for _, _, values in lines]
    at = {kind: next((i for i, (k, _, _) in enumerate(lines) if k == kind), None) for kind in _TOTALS}
    # the per-fund identities over the three total lines, each placement of one with the others'
    chosen: dict[int, set[int]] = {}
    kept = [(kind, i) for kind, i in at.items() if i is not None]
    combos = []
    for picks in product(*(range(len(options[i])) for _, i in kept)):
        vectors = {kind: _vector(options[i][pick], lines[i][2]) for (kind, i), pick in zip(kept, picks)}
        if _balances(vectors, left):
            combos.append(dict(zip((i for _, i in kept), picks)))
    for _, i in kept:
        chosen[i] = {combo[i] for combo in combos} or set(range(len(options[i])))
    # the classes add up to 本年支出合计, fund by fund (blank_cells.settle: the 合计 row their parent)
    tree, index = [], []
    total_at = at["expenditure_total"]
    if total_at is not None:
        tree.append((None, [options[total_at][pick] for pick in sorted(chosen[total_at])], lines[total_at][2]))
        index.append(total_at)
    for i, (kind, code, values) in enumerate(lines):
        if kind == "class":
            tree.append((code or f"?{i}", options[i], values))
            index.append(i)
    settled = settle(tree, list(FUND_KEYS)) if total_at is not None else [None] * len(tree)
    out: list[tuple[str, ...] | None] = [None] * len(lines)
    for i, pick in zip(index, settled):
        if pick is not None:
            out[i] = tree[index.index(i)][1][pick]
    if total_at is not None and out[total_at] is not None:
        # the 本年支出合计 the classes leave: the other total lines by it
        total_pick = options[total_at].index(out[total_at])
        combos = [combo for combo in combos if combo.get(total_at) == total_pick]
        for _, i in kept:
            if i != total_at:
                chosen[i] = {combo[i] for combo in combos} if combos else chosen[i]
    for _, i in kept:
        if out[i] is None and len(chosen[i]) == 1:
            out[i] = options[i][next(iter(chosen[i]))]
    for i, (_, _, values) in enumerate(lines):
        # (a line filling every column, or its 合计 alone, stands as printed whatever the sums say)
        whole = candidates(len(values), list(FUND_KEYS), None, False)
        if len(whole) == 1:
            out[i] = whole[0]
    return out


def _balances(vectors: dict[str, tuple[Decimal, ...]], left: dict[str, Decimal] | None) -> bool:
    """Whether, fund by fund, 总计 = 本年支出合计 + 年末结转和结余 = the left side's income + opening
    (where each is known)."""
    spent, closing, grand = (vectors.get(kind) for kind in _TOTALS)
    for f, key in enumerate(_FUNDS):
        right = spent[f] + closing[f] if spent is not None and closing is not None else None
        if grand is not None and right is not None and grand[f] != right:
            return False
        whole = grand[f] if grand is not None else right
        if left is not None and whole is not None and left[key] != whole:
            return False
    return True
