"""Standard classification codes and the matching of printed class names to them.

The narrative names expenditure classes in words ("社会保障和就业支出 36.18 万元"); the record keys
them by the official 2024 codes so they can be compared with printed tables. Printed names vary
("卫生健康支出支出", "社会保障和就业收入", "资本性支出(基本建设)"), so names are compared by their
stem: the name without a trailing 支出 / 收入 / 费用, spaces and brackets normalised.
"""

from __future__ import annotations

import re

__all__ = ["FUNCTION_CLASSES", "ECONOMIC_CLASSES", "match_function", "match_economic", "stem"]

FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
}

ECONOMIC_CLASSES: dict[str, str] = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出(基本建设)",
    "310": "资本性支出",
    "311": "对企业补助(基本建设)",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}

# Older or local names still printed for the same class.
_FUNCTION_ALIASES = {
    "文化体育与传媒": "207",
    "文化和旅游": "207",
    "文化旅游体育和传媒": "207",
    "医疗卫生与计划生育": "210",
    "医疗卫生": "210",
    "社会保障与就业": "208",
    "卫生健康": "210",
    "城乡社区事务": "212",
    "自然资源海洋气象等": "220",
    "国土海洋气象等": "220",
}
_ECONOMIC_ALIASES = {
    "对个人和家庭补助": "303",
    "对个人及家庭的补助": "303",
    "商品服务": "302",
    "工资福利": "301",
    "债务利息支出": "307",
}


def stem(name: str) -> str:
    """A class name reduced to what identifies it."""
    text = re.sub(r"\s+", "", name)
    text = text.replace("（", "(").replace("）", ")")
    text = re.sub(r"\((?:类|款|项)\)$", "", text)
    text = re.sub(r"^(?:其中|包括)[:]?", "", text)
    while True:
        shorter = re.sub(r"(?:支出|收入|费用)$", "", text)
        if shorter == text:
            return text
        text = shorter


def _index(classes: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    index = {stem(name): code for code, name in classes.items()}
    index.update(aliases)
    return index


_FUNCTION_INDEX = _index(FUNCTION_CLASSES, _FUNCTION_ALIASES)
_ECONOMIC_INDEX = _index(ECONOMIC_CLASSES, _ECONOMIC_ALIASES)


def _match(label: str, index: dict[str, str]) -> str | None:
    key = stem(label)
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


def match_economic(label: str) -> str | None:
    """The 类 code of a printed economic class name, or None."""
    return _match(label, _ECONOMIC_INDEX)
