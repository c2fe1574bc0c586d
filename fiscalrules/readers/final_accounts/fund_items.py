"""八、/ 九、the classification lines a fund's spending is said to go to: "支出主要用于城乡社区支出（类）国有土地使用权
出让收入安排的支出（款）农村基础设施建设支出（项）A 万元、其他国有土地使用权出让收入安排的支出（项）B 万元".

Each amount whose label ends in a line named by its level -- "…（类）", "…（款）", "…（项）", the levels above
it printed before it or, as the list goes on, left to the item before ("、其他…（项）B 万元" is under the same
类 and 款) -- is an item of ``gov_fund.items`` / ``state_capital.items``: its code (the fund table's line of
that name under those levels first, then the classification's), name and amount.  NAR-038 holds each
item to its line of the fund's table.
"""

from __future__ import annotations

import re

from ...data.classification import classification
from ..common.amounts import scan
from ..common.record import RecordBuilder, phrase_figure
from .clauses import item_code
from .linking import MONEY, SECTION, Sections

__all__ = ["read_fund_items"]

# a label ending in a classification line named by its levels (normalised text: ASCII brackets)
_LEVELS = re.compile(r"(?:(?P<cls>[^()]+)\(类\))?(?:(?P<kuan>[^()]+)\(款\))?(?:(?P<xiang>[^()]+)\(项\))?$")
_SEPARATORS = re.compile(r"[、,，;；:：。]")


def read_fund_items(builder: RecordBuilder, sections: Sections) -> None:
    """The items of 八、(政府性基金) and 九、(国有资本经营) the record does not hold yet."""
    fn = classification("function")
    for fund in ("gov_fund", "state_capital"):
        if builder.get(f"{fund}.items") is not None:
            continue
        table_rows = [(r["code"], "".join(str(r.get("name") or "").split()))
                      for r in (builder.get(f"tables.{fund}.rows") or []) if len(r.get("code", "")) == 7]
        claimed: set = set()
        for _, stream in sections.of(fund):
            cls = kuan = ""
            for phrase in scan(stream):
                if phrase.used or phrase.unit not in MONEY:
                    continue
                label = _SEPARATORS.split(phrase.raw_label)[-1]
                found = _LEVELS.search(label)
                if found is None or not found.group(0):
                    cls = kuan = ""       # (an amount of no line: the list, if any, is over)
                    continue
                if found.group("cls"):
                    cls, kuan = _class_name(fn, found.group("cls")), ""
                if found.group("kuan"):
                    kuan = found.group("kuan")
                code = _code(fn, cls, kuan, found.group("xiang"), table_rows, claimed)
                if code is None:
                    continue
                claimed.add(code)
                name = found.group("xiang") or found.group("kuan") or cls
                phrase.used = True
                builder.append(f"{fund}.items", {"code": code, "name": name,
                                                 "amount": phrase_figure(phrase, SECTION)}, section=SECTION)


def _class_name(fn, words: str) -> str:
    """The 类 a label's words end with ("支出主要用于城乡社区支出" is 城乡社区支出): the longest tail the
    classification knows as a 类."""
    for start in range(len(words)):
        code = fn.find(words[start:])
        if code is not None and len(code) == 3:
            return words[start:]
    return ""


def _code(fn, cls: str, kuan: str, xiang: str | None, table_rows: list, claimed: set) -> str | None:
    """The code of the line named: a 项 by :func:`.clauses.item_code`, a 款 or 类 by the classification."""
    if xiang:
        return item_code(fn, cls, kuan, xiang, table_rows, claimed)
    c = fn.find(cls) if cls else None
    if not kuan:
        return c
    return fn.find(kuan, c) if c else None
