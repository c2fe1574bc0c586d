"""四、财政拨款收入支出决算总体情况: the appropriation's year income, spending and balances each broken down
by fund type where the narrative prints it so.

Regions follow "其中：本年财政拨款收入 A 万元，年初财政拨款结转和结余 B 万元；本年财政拨款支出 C 万元，年末财政拨款
结转和结余 D 万元" with each figure's funds, in brackets ("A 万元（一般公共预算财政拨款 A1 万元，政府性基金预算财政拨款
A2 万元，国有资本经营预算财政拨款 A3 万元）") or after a 其中 in its clause.  A fund so printed names no side of
its own ("一般公共预算财政拨款 A1 万元"): it is the side of the figure it breaks down -- ``appropriation.income.*``,
``appropriation.opening.*``, ``appropriation.expenditure.*`` or ``appropriation.closing.*``.  A fund
printed with its own word ("一般公共预算财政拨款收入 A1 万元") is read by that word's name
(:mod:`.phrases`), wherever it stands.
"""

from __future__ import annotations

import re

from ..common.amounts import Phrase
from ..common.record import RecordBuilder, phrase_figure
from .linking import MONEY, SECTION, Linked

__all__ = ["read_fund_breakdowns", "BROKEN_DOWN"]

# the figures of 四 a fund breakdown may follow, and the side their funds are held under
BROKEN_DOWN = {"appropriation.this_year_income": "income", "appropriation.opening_balance": "opening",
               "appropriation.this_year_expenditure": "expenditure", "appropriation.closing_balance": "closing"}
# a fund of the breakdown, after what opens it ("（", "其中：", "（其中："): its type, and the word of its
# side where printed ("一般公共预算财政拨款结转和结余 A 万元", "政府性基金 A2 万元")
_FUND = re.compile(r"[(（]?(?:其中[:：]?)?(?P<fund>一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)(?:财政)?(?:拨款)?"
                   r"(?:资金)?(?P<word>收入|支出|结转(?:和|及)?结余)?(?:为|是)?")
_FUND_KEYS = {"一般公共预算": "general_budget", "政府性基金": "gov_fund", "国有资本经营": "state_capital"}
# the side each printed word says: a word of another side than the figure broken down is not its fund
_WORD_SIDES = {"收入": ("income",), "支出": ("expenditure",), None: ("income", "opening", "expenditure", "closing")}
_BALANCE_SIDES = ("opening", "closing")


def read_fund_breakdowns(builder: RecordBuilder, items: list[Linked], paths: dict[int, str]) -> None:
    """Each fund breaking down one of :data:`BROKEN_DOWN`'s figures among *items* (in the order
    printed; *paths*: the field each item's name maps to, by ``id``), into the side of the figure
    it follows -- the nearest such figure before it, whose brackets or 其中 it stands in."""
    parent: Phrase | None = None
    side = None
    for item in items:
        phrase = item.phrase
        path = paths.get(id(item))
        if path in BROKEN_DOWN:
            parent, side = phrase, BROKEN_DOWN[path]
            continue
        if parent is None or phrase.used or item.only_change or phrase.unit not in MONEY:
            continue
        found = _FUND.fullmatch(phrase.raw_label.strip())
        if found is None or not _breaks_down(phrase.stream.text, parent.number_end, phrase.number_start):
            continue
        word = found.group("word")
        if not (side in _WORD_SIDES.get(word, ()) or word and word.startswith("结转") and side in _BALANCE_SIDES):
            continue
        key = next(key for name, key in _FUND_KEYS.items() if found.group("fund").startswith(name))
        target = f"appropriation.{side}.{key}"
        if builder.get(target) is None:
            phrase.used = True
            builder.put(target, phrase_figure(phrase, SECTION), section=SECTION, lines=phrase.lines)


def _breaks_down(text: str, since: int, at: int) -> bool:
    """Whether the figure at *at* stands in the breakdown of the figure ending at *since*: in
    brackets opened after it and still open, or after a 其中 of its clause (no "；" or "。" between)."""
    depth, outside = 0, []
    for c in text[since:at]:
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth -= 1
            if depth < 0:
                return False        # (the brackets of something before it closed: another clause)
        elif not depth:
            outside.append(c)
    words = "".join(outside)
    if re.search(r"[；;。]", words):
        return False
    return depth > 0 or "其中" in words
