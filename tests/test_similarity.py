"""``similarity()``'s count of matched characters is difflib's (functions._matched, written out so
that an audit need not import difflib): the same sum of matching-block sizes on any two texts."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules.functions import _matched, _similarity

# Few distinct characters, so that texts share many blocks and ties between equally long ones
# (where the order of the search decides) are common.
_TEXTS = st.text(alphabet="ab项目资金绩效 ", max_size=40)


def _difflib_matched(a: str, b: str) -> int:
    return sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _TEXTS)
def test_matched_characters_are_difflibs(a, b):
    assert _matched(a, b) == _difflib_matched(a, b)


def test_matched_on_names_and_edge_cases():
    cases = [("", ""), ("", "abc"), ("abc", ""), ("abcd", "bcda"), ("ababab", "bababa"),
             ("农村公路建设项目", "农村公路养护建设项目"), ("教育经费保障", "教育费附加"),
             ("a" * 300, "a" * 150 + "b" + "a" * 149)]   # longer than difflib's autojunk threshold
    for a, b in cases:
        assert _matched(a, b) == _difflib_matched(a, b), (a, b)


def test_similarity_values():
    assert str(_similarity("农村公路建设项目", "农村 公路建设项目")) == "1.00"
    assert str(_similarity("", "")) == "1"
    assert str(_similarity("abcd", "abxy")) == "0.50"
    assert str(_similarity("abc", "xyz")) == "0.00"
