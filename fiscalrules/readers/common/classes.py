"""Standard classification codes and the matching of printed class names to them.

The narrative names expenditure classes in words ("社会保障和就业支出 36.18 万元"); the record keys
them by the official codes so they can be compared with printed tables. Printed names vary
("卫生健康支出支出", "社会保障和就业收入", "资本性支出(基本建设)"), so names are compared by their
stem: the name without a trailing 支出 / 收入 / 费用, spaces and brackets normalised.

The code-name lists themselves are the shipped reference data (:mod:`fiscalrules.data`); this
module keeps the 类-level view the budget narrative uses.
"""

from __future__ import annotations

import re

from ...data.classification import classification, name_stem

__all__ = ["FUNCTION_CLASSES", "ECONOMIC_CLASSES", "match_function", "match_fund_class", "match_economic", "stem"]

# 209 社会保险基金支出, 223 国有资本经营预算支出 and 234 抗疫特别国债安排的支出 are left out: a
# budget narrative names them as fund types ("国有资本经营预算支出 0 万元"), never as one of the
# function classes it lists, and matching them would file a fund sentence as a class -- but for an
# item of a numbered list of the classes (match_fund_class).
_NOT_NARRATIVE_CLASSES = {"209", "223", "234"}

FUNCTION_CLASSES: dict[str, str] = {
    code: name for code, name in classification("function").children(None).items()
    if code not in _NOT_NARRATIVE_CLASSES}
ECONOMIC_CLASSES: dict[str, str] = dict(classification("economic_department").children(None))

# Shortened forms printed in narratives, keyed by stem (older full names are in the data's
# aliases.tsv and reach the index through it).
_FUNCTION_SHORT = {"文化和旅游": "207", "医疗卫生": "210", "卫生健康": "210", "城乡社区事务": "212",
                   "自然资源海洋气象等": "220", "国土海洋气象等": "220"}
_ECONOMIC_SHORT = {"商品服务": "302", "工资福利": "301", "债务利息": "307"}


def stem(name: str) -> str:
    """A class name reduced to what identifies it."""
    return name_stem(name).translate(str.maketrans({"（": "(", "）": ")"}))


def _index(scheme: str, classes: dict[str, str], short: dict[str, str]) -> dict[str, str]:
    index = {stem(name): code for code, name in classes.items()}
    for older, code in classification(scheme).aliases.items():
        if code in classes:
            index.setdefault(stem(older), code)
    for key, code in short.items():
        index.setdefault(key, code)
    return index


_FUNCTION_INDEX = _index("function", FUNCTION_CLASSES, _FUNCTION_SHORT)
_ECONOMIC_INDEX = _index("economic_department", ECONOMIC_CLASSES, _ECONOMIC_SHORT)


# A class named with its budget's qualifier ("卫生健康支出预算 38.00 万元"): the class.
_QUALIFIED = re.compile(r"(?:预算数|预算金额|预算安排|预算|安排)$")


def _match(label: str, index: dict[str, str]) -> str | None:
    found = _match_stem(stem(label), index)
    if found is None and _QUALIFIED.search(label):
        found = _match_stem(stem(_QUALIFIED.sub("", label)), index)
    return found


def _match_stem(key: str, index: dict[str, str]) -> str | None:
    if key in index:
        return index[key]
    # The label may carry a leading fragment ("按支出功能科目划分:…" was cut, "2025年…"); accept
    # a class stem that ends the label, longest first so 资本性支出(基本建设) beats 资本性支出.
    for candidate in sorted(index, key=len, reverse=True):
        if key.endswith(candidate) and len(candidate) >= 2:
            return index[candidate]
    return None


def match_function(label: str) -> str | None:
    """The 类 code of a printed function class name, or None."""
    return _match(label, _FUNCTION_INDEX)


_FUND_CLASS_NAMES = {stem(classification("function").children(None)[code]): code for code in _NOT_NARRATIVE_CLASSES}


def match_fund_class(label: str) -> str | None:
    """The 类 code of one of the classes named like a fund type (223 国有资本经营预算支出 …) by its
    whole name, or None: for an item of a numbered list of function classes, where it is one of
    them ("6.国有资本经营预算支出 320.12 万元" after "5.住房保障支出 …")."""
    return _FUND_CLASS_NAMES.get(stem(label))


def match_economic(label: str) -> str | None:
    """The 类 code of a printed economic class name, or None."""
    return _match(label, _ECONOMIC_INDEX)
