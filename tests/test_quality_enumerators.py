"""A number and a closing bracket starting a clause is an enumerator ("1）项目概述") -- not where
nothing follows it: a bracket's close wrapped onto a line of its own ("（详见附表\\n12）") is a close,
and a paragraph so wrapped is balanced (QUA-003 counted it 3 open, 2 closed)."""

from __future__ import annotations

import pytest

from fiscalrules.document.model import Document
from fiscalrules.readers.quality import _balance, _groups, _without_enumerators


@pytest.mark.parametrize("text, left", [
    ("1）项目概述", "项目概述"),
    ("绩效目标：2)立项依据充分", "绩效目标：立项依据充分"),
    ("12）", "12）"),
    ("12)。", "12)。"),
    ("（详见附表12）。", "（详见附表12）。"),
])
def test_an_enumerator_is_a_number_and_bracket_a_clause_follows(text, left):
    assert _without_enumerators(text) == left


def test_a_paragraph_whose_bracket_closes_on_the_next_line_is_balanced():
    doc = Document("截至2025年12月31日，本局共有车辆3辆，其中：机要通信用车1辆、其他用车2辆。"
                   "资产总额1,286.54万元。（详见附表\n12）\n\n下一段。\n", "x.txt")
    [group, _] = _groups(doc, set())
    text = "".join(_without_enumerators(doc.line(n).compact) for n in group)
    assert _balance(text) == (0, 0)
