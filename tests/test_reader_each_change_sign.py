"""A decrease both totals share ("财政拨款收支总预算各减少 C 万元，下降 P%") is a decrease: the scanner signs
the figure after 减少 already, and the word was applied to it once more -- the change given as +C,
PCT-005 failing on a consistent narrative."""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

NARRATIVE = """某市文化交流中心2026年部门预算
第三部分 某市文化交流中心2026年部门预算情况说明
四、财政拨款收支预算总体情况
2026年财政拨款收支总预算2,150.40万元。收入全部为一般公共预算拨款；支出包括：文化旅游体育与传媒支出1,800.00万元、社会保障和就业支出250.40万元、住房保障支出100.00万元。与2025年相比，财政拨款收支总预算各{word}{change}万元，{pword}{pct}%。主要原因：压减一般性支出。
"""


@pytest.mark.parametrize("word, pword, change, pct, expected", [
    ("减少", "下降", "24.60", "1.13", "-24.60"),     # 2150.40 / 2175.00: -1.131 %
    ("增加", "增长", "24.60", "1.16", "24.60"),      # 2150.40 / 2125.80: +1.157 %
])
def test_a_shared_change_keeps_its_word_s_sign(word, pword, change, pct, expected):
    text = NARRATIVE.format(word=word, pword=pword, change=change, pct=pct)
    record = read_document(text.encode(), name="unit.txt")
    total = record["appropriation"]["total"]
    assert (total["value"], total["change"], total["pct"]) == ("2150.40", expected, ("-" if word == "减少" else "") + pct)
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert [f.rule for f in findings if f.status == "fail"] == []
    assert {f.status for f in findings if f.rule == "PCT-005"} <= {"pass", "pass_rounding"}
