"""The readers' number patterns, rewritten for speed, match exactly what they matched before.

``amounts.NUMBER`` (and ``AMOUNT`` built on it), ``coverage._PROSE_AMOUNT`` and
``coverage._SPACED_GROUP`` used to start with their look-behind ("no digit or point before"); they
now start with the first digit and check the look-behind after it, so that ``re`` can skip to the
next digit in C. The old pattern texts are kept here as the reference: every match (span and
groups) over generated text of digits, separators, units and CJK must be the same. The two
pre-tests added before a pattern search (``layout._has_amount``: 元 or %, ``table_titles.unknown_title``:
表) must never turn a match into a miss.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules.document import layout
from fiscalrules.readers import quality
from fiscalrules.readers.budget import facts, table_titles
from fiscalrules.readers.common import amounts, coverage

# The patterns as they were (session 22), the reference.
OLD_NUMBER = r"(?<![\d.])(?:\d{1,3}(?:[, ]\d{3})+(?!\d)|\d+)(?:\.\d+)?(?![\d])"
OLD_AMOUNT = re.compile(rf"(?P<number>{OLD_NUMBER}) ?(?P<unit>{amounts.UNIT})")
OLD_PROSE_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" + coverage._MONEY_TAIL)
OLD_SPACED_GROUP = re.compile(r"(?<![\d.,])\d{1,3}[ \u00a0\u2009\u202f]\d{3}(?![\d,])")
# readers/quality.py's, as they were (session 23's first landing)
OLD_RUN = re.compile("[。，、；：？！]{2,}")
# (an enumerator has a clause after it: "1）项目概述"; "（详见附表\n12）" closes a bracket -- QUA-003)
OLD_ENUMERATOR = re.compile(r"(?:^|(?<=[。；;：:，,\s]))\d{1,2}[)）](?=[^\s。；;：:，,)）])")
OLD_LETTER_OR_MOU = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]|某某")
OLD_YEAR = re.compile(r"(?<![\d.])(?<!\d,)(?P<year>(?:19|20)\d{2}|2,0\d{2})(?=年)")

# Pieces the patterns care about: digits (a non-ASCII one too: \d is any decimal digit),
# separators, units, the words around figures, and characters the patterns never take.
_PIECES = st.sampled_from([
    "0", "1", "2", "5", "9", "12", "123", "1234", "٣", "７",
    ",", ".", " ", "\u00a0", "\u2009", "\u202f", "-", "(", ")",
    "元", "万元", "亿元", "千元", "万", "万人", "%", "人", "台", "表", "见",
    "预算", "支出", "收入表", "，", "。", "增加", "a", "\n", "年", "2024", "2,025", "19", "20", "2,0", "9,", "1,2",
    ")", "）", "；", ";", "：", ":", ",", "、", "？", "！", "\t", "Ｂ", "Z", "某", "某某",
])
_TEXT = st.lists(_PIECES, max_size=30).map("".join)


def _matches(pattern: re.Pattern[str], text: str) -> list:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_number_patterns_match_as_before(text):
    new_number = re.compile(amounts.NUMBER)
    assert _matches(new_number, text) == _matches(re.compile(OLD_NUMBER), text)
    assert _matches(amounts.AMOUNT, text) == _matches(OLD_AMOUNT, text)
    assert _matches(coverage._PROSE_AMOUNT, text) == _matches(OLD_PROSE_AMOUNT, text)
    assert _matches(coverage._SPACED_GROUP, text) == _matches(OLD_SPACED_GROUP, text)
    # NUMBER inside a larger pattern (narrative.py writes "{NUMBER}万元…"), after something
    assert _matches(re.compile(rf"-?({amounts.NUMBER})万元"), text) == \
        _matches(re.compile(rf"-?({OLD_NUMBER})万元"), text)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_quality_patterns_match_as_before(text):
    assert _matches(quality._RUN, text) == _matches(OLD_RUN, text)
    assert _matches(quality._ENUMERATOR, text) == _matches(OLD_ENUMERATOR, text)
    assert quality._without_enumerators(text) == OLD_ENUMERATOR.sub("", text)
    assert quality._letter_or_mou(text) == (OLD_LETTER_OR_MOU.search(text) is not None)
    assert _matches(facts.YEAR, text) == _matches(OLD_YEAR, text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_pre_tests_never_hide_a_match(text):
    # layout: an amount there ends with 元 (万元, 亿元) or %
    assert layout._has_amount(text) == (layout._AMOUNT.search(text) is not None)
    # table_titles: an unknown table's title ends with 表 (and its qualifier)
    if table_titles._UNKNOWN_TITLE.search(text):
        assert "表" in text


def test_the_patterns_still_find_and_refuse():
    """The rewrite keeps the look-behind: a number inside another number or after a point is not
    a new one (a plain check that the property test compares real matches, not two empty lists)."""
    assert [m.group() for m in re.finditer(amounts.NUMBER, "共 1,234.50 万元，12.5 和 7")] == \
        ["1,234.50", "12.5", "7"]
    assert re.findall(amounts.NUMBER, "a.5 x") == []
    assert coverage._PROSE_AMOUNT.findall("收入 1,234.00 万元，.5 万元，其中 20 元") == ["1,234.00", "20"]
    assert coverage._SPACED_GROUP.search("合计 12 345 元")
    assert not coverage._SPACED_GROUP.search("合计 1.12 345 元")
    assert quality._without_enumerators("1）概述；2)依据，12）x 3）y a4）") == "概述；依据，x y a4）"
    assert [m.group() for m in quality._RUN.finditer("好。。是，，，的。")] == ["。。", "，，，"]
    assert [m.group("year") for m in facts.YEAR.finditer("2025年，2,024年 12024年 1.2024年 1,2025年 1999年 3,2,024年 7,1999年")] == \
        ["2025", "2,024", "1999"]
