"""Narrative figures in 亿元 (千元, 元) held as printed, and a figure printed in two units side by side.

A large department states its big figures in 亿元 ("本年收入合计 23.83 亿元"), sometimes with the 万元
figure in brackets ("20.48 亿元（204,775.74 万元）", or "204,775.74 万元（约 20.48 亿元）"), while its parts
and tables stay in 万元.  Each figure is held in its own unit and precision (23.83 亿元 is 238,300 万元
± 50 万元: docs/semantics.md § 2); of two printings of one figure the field holds the exact one and
``doc.twin_figures`` lists the pair, which QUA-011 checks within the coarser one's rounding
(fiscalrules/readers/common/twin_figures.py).  All documents here are fictional.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

# ---- 决算: the template's sentences with a total in 亿元, its 万元 beside it, its parts in either --------

_FINAL = """示范省示范厅2025年度部门决算
第三部分 示范省示范厅2025年度部门决算情况说明
二、收入决算情况说明
本年收入合计{income}，其中：一般公共预算财政拨款收入100,000.00万元，占81.00%；事业收入{business}，占19.00%。
三、支出决算情况说明
本年支出合计12.30亿元（123,012.34万元），其中：基本支出23,012.34万元，占18.71%；项目支出10.00亿元，占81.29%。
五、一般公共预算财政拨款支出决算情况说明
（一）一般公共预算财政拨款支出决算总体情况
2025年度一般公共预算财政拨款支出{general}，占本年支出合计的81.29%。与上年相比，一般公共预算财政拨款支出增加{change}，增长11.92%。主要原因是项目增加。
"""


def _final(income="12.35亿元（123,456.78万元）", business="23,456.78万元", general="10.00亿元（100,000.00万元）",
           change="1.07亿元"):
    record = read_document(_FINAL.format(income=income, business=business, general=general, change=change)
                           .encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    # (QUA-010: the sections a fragment of a document does not print)
    return record, {f.rule for f in findings if f.status == "fail"} - {"QUA-010"}, {f.rule: f.status for f in findings}


def _figure(record, path):
    node = record
    for key in path.split("."):
        node = node[key]
    return node["value"], node.get("unit")


# sentence's printing → (the field, the value and unit it holds, the other printing listed beside it)
_HELD = [
    # the 亿元 figure first, its 万元 in brackets: the 万元 is the exact one
    ({"income": "12.35亿元（123,456.78万元）"}, "income.total", ("123456.78", "万元"), ("12.35", "亿元")),
    # the 万元 first, the 亿元 said to be approximate in brackets
    ({"income": "123,456.78万元（约12.35亿元）"}, "income.total", ("123456.78", "万元"), ("12.35", "亿元")),
    # ASCII brackets, one decimal in 亿元
    ({"income": "12.3亿元(123,456.78万元)"}, "income.total", ("123456.78", "万元"), ("12.3", "亿元")),
    # the figure of 五（一）, its share and its change after the bracket
    ({"general": "10.00亿元（100,000.00万元）"}, "general_budget.total", ("100000.00", "万元"), ("10.00", "亿元")),
]


@pytest.mark.parametrize("printed, path, held, other", _HELD)
def test_a_figure_printed_in_two_units_is_held_exact_with_the_other_listed(printed, path, held, other):
    record, failing, _ = _final(**printed)
    assert _figure(record, path) == held
    pairs = [(row["figure"]["value"], (row["other"]["value"], row["other"]["unit"])) for row in record["doc"]["twin_figures"]]
    assert (held[0], other) in pairs
    assert not failing, failing


def test_the_parts_after_a_total_printed_twice_are_read_each_in_its_unit():
    # "本年收入合计 X 亿元（Y 万元），其中：…" -- the bracket stopped the template's sentence: its first part was
    # left unread and NAR-002 failed by it ("其中列出的各项收入之和" short by the whole 财政拨款收入)
    record, failing, status = _final()
    assert [row["amount"]["value"] for row in record["income"]["sources"]] == ["100000.00", "23456.78"]
    assert [(row["amount"]["value"], row["amount"]["unit"]) for row in record["expenditure"]["parts"]] == [
        ("23012.34", "万元"), ("10.00", "亿元")]
    assert status["NAR-002"] == status["NAR-005"] == "pass"
    assert not failing, failing


def test_a_part_in_yi_yuan_is_held_to_its_own_rounding_and_no_finer():
    # 2.35 亿元 is 23,450 … 23,550 万元: 23,456.78 is within it, 23,356.78 is not
    assert "NAR-002" not in _final(business="2.35亿元")[1]
    assert "NAR-002" in _final(income="12.34亿元（123,356.78万元）", business="2.35亿元")[1]


@pytest.mark.parametrize("general, fails", [
    ("10.00亿元（100,000.00万元）", False),
    ("10.01亿元（100,050.00万元）", False),     # at the edge of 0.005 亿元 below 10.01
    ("10.01亿元（100,000.00万元）", True),      # 100 万元 off: beyond the 50 万元 of the 亿元 printing
    ("100,000.00万元（约10.00亿元）", False),
    ("100,000.00万元（约11.00亿元）", True),
])
def test_the_two_printings_agree_within_the_coarser_ones_rounding(general, fails):
    _, failing, _ = _final(general=general)
    assert ("QUA-011" in failing) is fails


def test_a_change_in_the_coarser_unit_stays_with_that_printing():
    # "…支出 10.00 亿元（100,000.00 万元）…增加 1.07 亿元": 1.07 亿元 is not 10,700.00 万元 to the 分, so it is
    # not carried to the held 万元 figure; it stays with the 亿元 printing, read (never listed as unread)
    record, _, _ = _final()
    held = record["general_budget"]["total"]
    assert "change" not in held
    row = next(row for row in record["doc"]["twin_figures"] if row["figure"] is held or row["figure"] == held)
    assert (row["other"]["change"], row["other"]["pct"]) == ("1.07", "11.92")
    assert not [u for u in record["_meta"]["unread"] if "1.07" in u["reason"]]
    # in the finer unit it is the held figure's
    record, _, _ = _final(change="10,700.00万元")
    assert record["general_budget"]["total"]["change"] == "10700.00"


def test_the_pair_is_named_and_points_at_its_line():
    record, _, _ = _final(general="10.84亿元（100,000.00万元）")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    finding = next(f for f in findings if f.rule == "QUA-011" and f.status == "fail")
    assert "一般公共预算财政拨款支出" in finding.message
    row = next(row for row in record["doc"]["twin_figures"] if row["other"]["value"] == "10.84")
    assert row["name"] == "一般公共预算财政拨款支出"
    assert "10.84亿元（100,000.00万元）" in row["figure"]["source"]["text"]


# ---- 预算: the phrase reader of either template ---------------------------------------------------------

_BUDGET = """示范省示范厅2026年部门预算
第三部分 2026年部门预算情况说明
一、收支预算总体情况
2026年收入预算总额{total}，比2025年增加1,000.00万元，增长0.84%。
"""


@pytest.mark.parametrize("total, held, other", [
    ("12.00亿元（120,000.00万元）", ("120000.00", "万元"), ("12.00", "亿元")),
    ("120,000.00万元（约12.00亿元）", ("120000.00", "万元"), ("12.00", "亿元")),
])
def test_a_budget_figure_printed_twice_is_held_exact_with_its_change(total, held, other):
    record = read_document(_BUDGET.format(total=total).encode("utf-8"), name="b.txt")
    figure = record["income"]["total"]
    assert (figure["value"], figure["unit"]) == held
    assert figure["change"] == "1000.00"
    rows = record["doc"]["twin_figures"]
    assert [(row["other"]["value"], row["other"]["unit"]) for row in rows] == [other]
    assert not [u for u in record["_meta"]["unread"] if "120000.00" in u["reason"] or "12.00" in u["reason"]]


def test_a_budget_figure_printed_twice_disagreeing_fails():
    record = read_document(_BUDGET.format(total="12.10亿元（120,000.00万元）").encode("utf-8"), name="b.txt")
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert "QUA-011" in {f.rule for f in findings if f.status == "fail"}


# ---- 决算 五（二）: the classes right after the heading, no "主要用于" said ----------------------------------

_STRUCTURE = """示范省示范厅2025年度部门决算
第三部分 示范省示范厅2025年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（一）一般公共预算财政拨款支出决算总体情况
2025年度一般公共预算财政拨款支出10.00亿元（100,000.00万元），占本年支出合计的81.29%。
（二）一般公共预算财政拨款支出决算结构情况
2025年度一般公共预算财政拨款支出100,000.00万元，教育支出{education}万元，占0.50%；自然资源海洋气象等支出99,500.00万元，占99.50%。
（三）一般公共预算财政拨款支出决算具体情况
"""


def test_the_classes_right_after_the_structure_heading_are_read():
    # "（二）…结构情况 2025年度一般公共预算财政拨款支出 X 万元，教育支出 A 万元，占 S%；…" (no "主要用于：") -- the
    # restated total and every class were listed unread, and the classes' sum went unchecked
    record = read_document(_STRUCTURE.format(education="500.00").encode("utf-8"), name="fa.txt")
    assert record["general_budget"]["function_total"]["value"] == "100000.00"
    assert [(row["code"], row["amount"]["value"]) for row in record["general_budget"]["function"]] == [
        ("205", "500.00"), ("220", "99500.00")]
    assert not [u for u in record["_meta"]["unread"] if "500.00" in u["reason"]]
    record = read_document(_STRUCTURE.format(education="550.00").encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    assert {f.rule for f in findings if f.status == "fail"} & {"NAR-009", "NAR-010"}
