"""TXT-003 compares the glossary's "财政拨款：指X级财政当年拨付的资金" with the publisher's level
of government (review 20 C D11): by TIER, not by word -- 镇级 / 乡级 / 乡镇级 are one tier, a 区 is
county-level like a 县 -- while "本级财政" names no level (it cannot be wrong), and a publisher
named only "X市" may be a county-level city, so "县级财政" there is not called an error.  A level
of another tier is still found."""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure
from test_reader_variants import CLEAN

GLOSSARY = "（一）财政拨款：指县级财政当年拨付的资金。"
PUBLISHER = "青山县自然资源局"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _variant(publisher: str, level_word: str) -> str:
    assert GLOSSARY in CLEAN and PUBLISHER in CLEAN
    return CLEAN.replace(GLOSSARY, GLOSSARY.replace("县级", level_word)).replace(PUBLISHER, publisher)


CASES = [
    # publisher, the glossary's word, the level read (None: not compared), TXT-003 fails (None: not applicable)
    ("青山县自然资源局", "县级", "县级", False),
    ("青山县白石镇人民政府", "镇级", "乡级", False),
    ("青山县白石镇人民政府", "乡镇级", "乡级", False),
    ("青山县白石乡人民政府", "镇级", "乡级", False),
    ("青山市珠山区自然资源局", "县(区)级", "区级", False),
    ("青山市珠山区自然资源局", "县级", "区级", False),
    ("青山县自然资源局", "本级", None, False),
    ("青山市自然资源局", "县级", None, False),        # a county-level city or not: cannot be told
    ("青山市自然资源局", "市级", "市级", False),
    ("青山县自然资源局", "市级", "市级", True),
    # a township's appropriations from the county's finance (乡财县管: 安徽's townships, written blind)
    ("青山县白石镇人民政府", "县级", "县级", None),     # (None: TXT-003 not applicable)
    ("青山县白石镇人民政府", "市级", "市级", True),
    ("江西省青山市自然资源局", "县级", "县级", True),   # a city under a province named: city-level
]


@pytest.mark.parametrize("publisher, word, read, fails", CASES, ids=[f"{p}-{w}" for p, w, _, _ in CASES])
def test_the_glossary_level_is_compared_by_tier(ruleset, tmp_path, publisher, word, read, fails):
    path = tmp_path / "variant.txt"
    path.write_text(_variant(publisher, word), encoding="utf-8")
    record = read_disclosure(path)
    level = record["doc"].get("glossary_level")
    assert (level["value"] if level else None) == read
    if level and level["value"] != word:
        assert level["printed"] == word   # the finding quotes the document's own word
    statuses = {f.status for f in ruleset.evaluate(record).findings if f.rule == "TXT-003"}
    assert statuses == ({"fail"} if fails else {"pass"} if read and fails is not None else {"not_applicable"})
