"""Shares a document adjusted so that they add up to 100 (the rounding residue moved onto one of
them): each allowed one unit of its last place, never more (readers/common/adjusted_shares.py)."""

from __future__ import annotations

import copy

import fiscalrules
from fiscalrules.readers.common.adjusted_shares import allow_adjusted_shares

# 9746.53 万元 over four classes: exact shares 81.3366, 9.9474, 3.8968, 4.8192 -- rounded on their own
# 81.34 + 9.95 + 3.90 + 4.82 = 100.01, so the document moved the residue: 81.33 (largest remainder).
CLASSES = [("204", "7927.50", "81.33"), ("208", "969.53", "9.95"), ("210", "379.80", "3.90"), ("221", "469.70", "4.82")]
TOTAL = "9746.53"


def _record(shares=None) -> dict:
    rows = [{"code": code, "amount": {"value": amount, "unit": "万元"}, "share": {"value": share, "unit": "%"}}
            for (code, amount, _), share in zip(CLASSES, shares or [share for *_, share in CLASSES])]
    return {"_meta": {"template": "final_accounts"}, "general_budget": {"total": {"value": TOTAL, "unit": "万元"},
                                                                        "function": rows}}


def _statuses(record: dict) -> set[str]:
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    return {f.status for f in findings if f.rule == "PCT-004"}


def test_a_share_the_document_moved_to_make_the_list_add_up_passes_within_rounding():
    record = _record()
    assert "fail" in _statuses(copy.deepcopy(record))       # rounded on its own, 81.33 is 0.0066 off 81.3366
    allow_adjusted_shares(record)
    assert [row["share"]["precision"] for row in record["general_budget"]["function"]] == ["0.02"] * 4
    assert _statuses(record) <= {"pass", "pass_rounding"}


def test_a_misprinted_share_changes_the_total_and_still_fails():
    record = _record(["81.33", "9.59", "3.90", "4.82"])   # 9.95 printed 9.59: the list adds up to 99.64
    allow_adjusted_shares(record)
    assert all("precision" not in row["share"] for row in record["general_budget"]["function"])
    assert "fail" in _statuses(record)


def test_a_share_two_units_off_fails_even_where_the_list_adds_up():
    record = _record(["81.32", "9.95", "3.91", "4.82"])   # adds up to 100.00, but 81.32 is 0.0166 off
    allow_adjusted_shares(record)
    assert "fail" in _statuses(record)


def test_named_shares_a_list_missing_a_share_and_a_stated_precision():
    record = {"income": {"shares": {"appropriation": {"value": "89.4", "unit": "%"},
                                    "other": {"value": "10.6", "unit": "%"}}},
              "expenditure": {"parts": [{"code": "basic", "share": {"value": "60.00"}},
                                        {"code": "project", "share": None}]},
              "general_budget": {"function": [{"code": "201", "share": {"value": "50.00", "precision": "0.01"}},
                                              {"code": "205", "share": {"value": "50.00"}}]}}
    allow_adjusted_shares(record)
    assert record["income"]["shares"]["appropriation"]["precision"] == "0.2"   # (printed to one decimal)
    assert "precision" not in record["expenditure"]["parts"][0]["share"]      # (one share: no list)
    assert "precision" not in record["general_budget"]["function"][1]["share"]  # (a share already stated)
