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
