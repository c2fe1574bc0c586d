"""The small firms' share of the contracts to SMEs, as some regions print it, in both templates.

The national sentence gives each contract amount's share of the procurement total ("授予中小企业合同金额
X 万元，占政府采购支出总额的 S%，其中：授予小微企业合同金额 Y 万元，占政府采购支出总额的 T%").  A 湖北-style
决算 written blind gave the small firms' share *of the SME contracts* ("占授予中小企业合同金额的 T%"): it
was read as a share of the total, and PROC-004 (PROC-005 in the budget) failed on a correct document.
That share is a figure of its own (``procurement.small_contracts_share_of_sme``), checked against
the two amounts by 决算 PROC-005 / budget PROC-017.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

sys.path.insert(0, str(Path(__file__).resolve().parent))
import final_accounts_variants as fav  # noqa: E402
from test_reader_narrative_variants import _audit, _variant  # noqa: E402

_FA_PARAGRAPH = r"^\d{4}年度本部门面向中小企业.*"
_FA_SENTENCE = "授予中小企业合同金额39.00万元，占政府采购支出总额的65.00%，其中：授予小微企业合同金额30.00万元，{share}。"
_BUDGET_AFTER = "服务预算 80.00 万元。"
_BUDGET_SENTENCE = ("服务预算 80.00 万元。拟授予中小企业合同金额 120.00 万元，占部门政府采购预算总额的 66.67%，其中："
                    "拟授予小微企业合同金额 90.00 万元，{share}。")


def _final_accounts(share: str):
    record = read_document(fav.build(paragraphs=[(_FA_PARAGRAPH, _FA_SENTENCE.format(share=share))]), name="fa.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record["procurement"], {f.rule: f.status for f in report.findings if f.rule.startswith("PROC-00")}


def _value(node, key):
    return node.get(key, {}).get("value")


@pytest.mark.parametrize("share, of_sme, of_total, failing", [
    ("占授予中小企业合同金额的76.92%", "76.92", None, set()),
    ("占授予中小企业合同金额的66.92%", "66.92", None, {"PROC-005"}),
    ("占政府采购支出总额的50.00%", None, "50.00", set()),
    ("占政府采购支出总额的40.00%", None, "40.00", {"PROC-004"}),
])
def test_final_accounts_share_of_the_sme_contracts(share, of_sme, of_total, failing):
    procurement, statuses = _final_accounts(share)
    assert _value(procurement, "small_contracts_share_of_sme") == of_sme
    assert _value(procurement, "small_contracts_share") == of_total
    assert {rule for rule, status in statuses.items() if status == "fail"} == failing


@pytest.mark.parametrize("share, of_sme, of_total, failing", [
    ("占拟授予中小企业合同金额的75.00%", "75.00", None, set()),
    ("占拟授予中小企业合同金额的65.00%", "65.00", None, {"PROC-017"}),
    ("占部门政府采购预算总额的50.00%", None, "50.00", set()),
    ("占部门政府采购预算总额的45.00%", None, "45.00", {"PROC-005"}),
])
def test_budget_share_of_the_sme_contracts(share, of_sme, of_total, failing):
    record, fails = _audit(_variant([(_BUDGET_AFTER, _BUDGET_SENTENCE.format(share=share))]))
    assert _value(record["procurement"], "small_contracts_share_of_sme") == of_sme
    assert _value(record["procurement"], "small_contracts_share") == of_total
    assert {f for f in fails if f.startswith("PROC-")} == failing
