"""The 决算's 公务用车 bought, beside the purchase spending, as departments word it.

"公务用车购置支出 X 万元，购置（更新）公务用车 N 辆", "本年度未购置公务用车": the count was not read, so
nothing held it against the purchase spending printed in the same paragraph.  It is read into
``three_public.vehicle.purchases`` (no purchase said in words is 0 -- not a clause about another
year) and TPF-016 checks it against ``three_public.vehicle.purchase``.  Made from the team's
fictional example 决算 (tests/final_accounts_variants.py), only its vehicles' sentence reworded.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as variants  # noqa: E402  (tests/ is on the path)

# the example prints "其中：公务用车购置支出为0.00万元。公务用车运行维护支出…"
PURCHASE = r"公务用车购置支出为([\d.]+)万元。"


def _read(sentence: str):
    record = read_document(variants.build(paragraphs=[(PURCHASE, sentence)]), name="vehicles.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    statuses = {f.rule: f.status for f in report.findings if f.rule == "TPF-016"}
    return record, statuses.get("TPF-016"), {f.rule for f in report.findings if f.status == "fail"}


WORDINGS = [
    (r"公务用车购置支出为\1万元，购置公务用车0辆。", "0"),
    (r"公务用车购置支出为\1万元，本年度未购置公务用车。", "0"),
    (r"公务用车购置支出为\1万元，2024年未购置公务用车。", "0"),       # (the 决算's own year)
    (r"公务用车购置支出为\1万元，上年未购置公务用车。", None),          # last year's: not this year's count
    (r"公务用车购置支出为\1万元，2023年未购置公务用车。", None),
]


@pytest.mark.parametrize("sentence, count", WORDINGS, ids=[w for w, _ in WORDINGS])
def test_the_vehicles_bought_are_read_and_checked(sentence, count):
    record, status, failing = _read(sentence)
    found = record["three_public"]["vehicle"].get("purchases")
    assert (found or {}).get("value") == count
    assert failing == set()
    assert status == ("pass" if count is not None else "not_applicable")


@pytest.mark.parametrize("sentence", [
    r"公务用车购置支出为\1万元，更新公务用车1辆。",          # a vehicle bought for nothing
    r"公务用车购置支出为25.00万元，本年度未购置公务用车。",    # spending on no vehicle
])
def test_vehicles_bought_contradicting_the_spending_are_found(sentence):
    _, status, failing = _read(sentence)
    assert status == "fail" and "TPF-016" in failing
