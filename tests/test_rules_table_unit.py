"""A table printed in 元 whose unit the reader could not find is read as 万元 (review 18 C17): its
figures are all 10,000 times the narrative's.  The auditor gets ONE finding, UNT-001 "表格金额单位可能
为元（而非万元）", and the table's comparisons with the narrative and the basic-expenditure table
(TBL-028 … TBL-031, TBL-048), each of which reported the same 10,000-fold difference, are not
applicable then.  A table in 万元 passes UNT-001 and keeps its comparisons."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parents[1]
CONSEQUENCES = ("TBL-028", "TBL-029", "TBL-030", "TBL-031", "TBL-048")


@pytest.fixture(scope="module")
def ruleset():
    return fiscalrules.load_ruleset("budget_disclosure")


def _in_yuan_without_unit(text: str) -> str:
    """The 一般公共预算支出表 of examples/bureau_2025.txt printed in 元 and without its unit line."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "一般公共预算支出表")
    unit = next(i for i in range(start, start + 8) if lines[i].strip() == "单位：万元")
    lines[unit] = ""
    i = unit + 1
    while i < len(lines) and not (lines[i].strip() == "" and "\t" in lines[i - 1] and re.search(r"\d\.\d\d", lines[i - 1])):
        if re.search(r"\t\d+\.\d\d", lines[i]):
            lines[i] = re.sub(r"(?<=\t)(\d+\.\d\d)", lambda m: f"{Decimal(m.group(1)) * 10000:,.2f}", lines[i])
        i += 1
    return "\n".join(lines)


def _findings(ruleset, tmp_path, text):
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return ruleset.evaluate(read_disclosure(path)).findings


def test_a_table_in_yuan_read_as_wanyuan_is_one_finding(ruleset, tmp_path):
    text = (ROOT / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
    changed = _in_yuan_without_unit(text)
    assert "11,500,000.00" in changed and changed != text
    findings = _findings(ruleset, tmp_path, changed)
    unit = [f for f in findings if f.rule == "UNT-001"]
    assert [f.status for f in unit] == ["fail"]
    assert "表格金额单位可能为元（而非万元）" in unit[0].message
    consequences = {f.rule: f.status for f in findings if f.rule in CONSEQUENCES}
    assert set(consequences.values()) == {"not_applicable"}, consequences
    # nothing else reports the 10,000-fold difference
    assert not [f for f in findings if f.rule != "UNT-001" and f.status == "fail" and f.difference is not None
                and abs(f.difference) > 100_000]


def test_the_same_table_in_wanyuan_passes_and_is_compared(ruleset, tmp_path):
    findings = _findings(ruleset, tmp_path, (ROOT / "examples" / "bureau_2025.txt").read_text(encoding="utf-8"))
    assert [f.status for f in findings if f.rule == "UNT-001"] == ["pass"]
    assert {f.rule for f in findings if f.rule in CONSEQUENCES and f.status != "not_applicable"} >= {"TBL-028", "TBL-048"}


@pytest.mark.parametrize("table_total, appropriation, unit_status, tbl028", [
    ("11500000.00", "1150.00", "fail", "not_applicable"),     # 10,000 times: in 元, read as 万元
    ("1200000.00", "1150.00", "fail", "not_applicable"),      # over a thousand times
    ("1151.00", "1150.00", "pass", "fail"),                   # a slip: reported by TBL-028 as before
    ("1150.00", "1150.00", "pass", "pass"),
    ("1150.00", "0", "not_applicable", "fail"),
])
def test_unit_rule_on_records(ruleset, table_total, appropriation, unit_status, tbl028):
    record = {"tables": {"general_budget": {"totals": {"total": table_total}}}, "appropriation": {"total": appropriation}}
    statuses = {f.rule: f.status for f in ruleset.evaluate(record).findings if f.rule in ("UNT-001", "TBL-028")}
    assert statuses == {"UNT-001": unit_status, "TBL-028": tbl028}
