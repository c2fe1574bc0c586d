"""A change in a sentence of its own that names whose change it is.

"…其他收入 16.40 万元，上年结转 40.00 万元。收入预算总额较上年预算安排增加 86.40 万元。": the scan of
the narrative took every change with a comparison ("较上年…增加") for the last figure's, whatever the
sentence named -- here 上年结转's: CHG-002 failed by it on a correct budget, and the total's change
went unchecked.  A change after a stop, its clause naming a figure read before it (by that figure's
label, or its end), is that figure's; naming none, it is a change of its own (listed unread; the
决算 reader takes "收入支出总计比上年增加 …" for its grand total's).  A clause naming nothing ("。主要是
项目结转，较上年…增加") leaves the change with the last figure, as before.

Fictional rewordings of the team's examples (examples/bureau_2025.txt; the example 决算 of
tests/final_accounts_variants.py), their figures unchanged.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

import test_reader_narrative_variants as budget  # noqa: E402  (tests/ is on the path)

INCOME = ("万元，较上年预算安排增加 86.40 万元。其中：财政拨款收入\n\n1,150.00 万元，较上年预算安排增加 50.00 万元；事业收入 80.00"
          "\n\n万元，较上年预算安排增加 10.00 万元；其他收入 16.40 万元，\n\n较上年预算安排减少 3.60 万元；上年结转 40.00 万元，"
          "较上年预\n\n算安排增加 30.00 万元。")
TOTAL_APART = ("万元。其中：财政拨款收入 1,150.00 万元，事业收入 80.00 万元，其他收入 16.40 万元，上年结转 40.00 万元。"
               "收入预算总额较上年预算安排增加 {C} 万元。")


@pytest.fixture(scope="module")
def example_failing():
    return budget._audit(budget.EXAMPLE)[1]


def test_a_change_naming_the_total_is_the_totals(example_failing):
    record, failing = budget._audit(budget._variant([(INCOME, TOTAL_APART.format(C="86.40"))]))
    assert record["income"]["total"]["change"] == "86.40"
    assert "change" not in record["income"]["sources"]["carryover"]
    assert failing == example_failing          # CHG-002 failed by 上年结转's "change"
    _, failing = budget._audit(budget._variant([(INCOME, TOTAL_APART.format(C="68.40"))]))
    assert failing - example_failing == {"INC-004"}


def test_a_change_after_a_clause_naming_nothing_stays_the_last_figures(example_failing):
    wording = ("万元，较上年预算安排增加 86.40 万元。其中：财政拨款收入 1,150.00 万元，较上年预算安排增加 50.00 万元；事业收入 "
               "80.00 万元，较上年预算安排增加 10.00 万元；其他收入 16.40 万元，较上年预算安排减少 3.60 万元；上年结转 40.00 "
               "万元。主要是项目结转，较上年预算安排增加 30.00 万元。")
    record, failing = budget._audit(budget._variant([(INCOME, wording)]))
    assert record["income"]["sources"]["carryover"]["change"] == "30.00"
    assert failing == example_failing


THREE_PUBLIC = ("2025 年青山县自然资源局“三公”经费财政拨款安排 12.50 万元，\n\n其中：\n\n因公出国（境）费 0 万元，比上年增加（减少）"
                "0 万元，主要原因\n\n是：无出国安排。\n\n公务接待费４．５０万元，比上年减少 0.50 万元，主要原因是：压\n\n减接待批次。"
                "\n\n公务用车运行维护费 6.00 万元，与上年持平。\n\n公务用车购置费 0 万元，比上年增加（减少）0 万元，主要原因是："
                "\n\n无购车计划。")
THREE_PUBLIC_APART = ("2025年“三公”经费财政拨款安排12.50万元，其中：因公出国（境）费0万元，比上年增加（减少）0万元；公务接待费"
                      "4.50万元，比上年减少0.50万元；公务用车运行维护费6.00万元，与上年持平；公务用车购置费0万元，比上年增加"
                      "（减少）0万元。“三公”经费预算较上年减少{C}万元。")


def test_a_change_naming_a_figure_by_another_of_its_names(example_failing):
    # "“三公”经费预算" is not the label printed ("“三公”经费财政拨款安排"), but one of the field's names:
    # the change was a change of its own, listed unread, and CHG-007 unchecked
    record, failing = budget._audit(budget._variant([(THREE_PUBLIC, THREE_PUBLIC_APART.format(C="0.50"))]))
    assert record["three_public"]["total"]["change"] == "-0.50"
    assert not [u for u in record["_meta"].get("unread", []) if "0.50" in u["reason"]]
    assert failing == example_failing
    _, failing = budget._audit(budget._variant([(THREE_PUBLIC, THREE_PUBLIC_APART.format(C="5.00"))]))
    assert failing - example_failing == {"CHG-007"}


def test_a_final_accounts_grand_totals_change_in_a_sentence_of_its_own():
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
    import final_accounts_variants as variants
    wording = ("2024年度收入总计1,230.60万元，包括本年收入1,222.60万元，使用非财政拨款结余0.00万元，年初结转和结余8.00万元；"
               "支出总计1,230.60万元，包括本年支出1,216.60万元，结余分配0.00万元，年末结转和结余14.00万元。收入支出总计比上年"
               "增加{C}万元，增长5.18%。")
    pattern = r"^滨江市青石区文化旅游局2024年度收入支出总计.*$"
    ruleset = fiscalrules.load_ruleset("final_accounts")
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(C="60.60"))]), name="apart.pdf")
    overview = record["overview"]
    assert (overview["total"]["change"], overview["total"]["pct"]) == ("60.60", "5.18")
    assert "change" not in overview["closing_balance"] and "change" not in overview["expenditure_total"]
    assert not record["_meta"].get("unread")
    assert not [f for f in ruleset.evaluate(record).findings if f.status == "fail"]
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(C="66.60"))]), name="apart.pdf")
    assert "CHG-001" in {f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"}
