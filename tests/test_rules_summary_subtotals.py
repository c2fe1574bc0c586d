"""The 收支预算总表 in the national layout (review 18 C7, rule half): 本年收入合计 + 上年结转 (+ 使用非财政拨款
结余) = 收入总计 and 本年支出合计 + 结转下年 = 支出总计, with each subtotal the sum of the rows above it
(TSU-004 … TSU-007): a slip in a row before the subtotal is found, a correct table passes, and a
table that prints no subtotal is not applicable.  Read from a document (the reader keeps the
subtotal lines as ``totals.subtotal_<column>``) and from records."""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parents[1]
RULES = ("TSU-004", "TSU-005", "TSU-006", "TSU-007")


def _row(*cells):
    return "\t".join(cells)


SUMMARY = [
    "收支预算总表", "", "单位：万元", "",
    _row("收入", "", "支出", ""), _row("项目", "预算数", "项目", "预算数"),
    _row("一、一般公共预算拨款收入", "1,150.00", "一、社会保障和就业支出", "96.00"),
    _row("二、政府性基金预算拨款收入", "", "二、卫生健康支出", "38.00"),
    _row("三、国有资本经营预算拨款收入", "", "三、农林水支出", "48.00"),
    _row("四、事业收入", "80.00", "四、自然资源海洋气象等支出", "1,036.40"),
    _row("五、其他收入", "16.40", "五、住房保障支出", "68.00"),
    _row("本年收入合计", "1,246.40", "本年支出合计", "1,286.40"),
    _row("上年结转", "40.00", "结转下年", ""),
    _row("收入总计", "1,286.40", "支出总计", "1,286.40"), ""]


@pytest.fixture(scope="module")
def ruleset():
    return fiscalrules.load_ruleset("budget_disclosure")


def _statuses(ruleset, tmp_path, lines):
    text = (ROOT / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
    line = "收支预算总表、部门收入总表、部门支出总表、财政拨款收支总表详见附表。"
    assert line in text
    path = tmp_path / "summary.txt"
    path.write_text(text.replace(line, "\n".join(lines)), encoding="utf-8")
    findings = ruleset.evaluate(read_disclosure(path)).findings
    return {f.rule: f.status for f in findings if f.rule in RULES}


def _changed(old, new):
    return [new if line == old else line for line in SUMMARY]


CASES = {
    "correct": (SUMMARY, {"TSU-004": "pass", "TSU-005": "pass", "TSU-006": "pass", "TSU-007": "pass"}),
    # a slip in a row above the subtotal (review 18 C s1_summaries_bad2): nothing else sees it
    "income row": (_changed(_row("五、其他收入", "16.40", "五、住房保障支出", "68.00"),
                            _row("五、其他收入", "16.60", "五、住房保障支出", "68.00")),
                   {"TSU-004": "fail", "TSU-005": "pass", "TSU-006": "pass", "TSU-007": "pass"}),
    "carry-over": (_changed(_row("上年结转", "40.00", "结转下年", ""), _row("上年结转", "30.00", "结转下年", "")),
                   {"TSU-004": "pass", "TSU-005": "fail", "TSU-006": "pass", "TSU-007": "pass"}),
    "expenditure row": (_changed(_row("三、国有资本经营预算拨款收入", "", "三、农林水支出", "48.00"),
                                 _row("三、国有资本经营预算拨款收入", "", "三、农林水支出", "84.00")),
                        {"TSU-004": "pass", "TSU-005": "pass", "TSU-006": "fail", "TSU-007": "pass"}),
    "carry-forward": (_changed(_row("上年结转", "40.00", "结转下年", ""), _row("上年结转", "40.00", "结转下年", "6.00")),
                      {"TSU-004": "pass", "TSU-005": "pass", "TSU-006": "pass", "TSU-007": "fail"}),
    "no subtotal": ([line for line in SUMMARY if not line.startswith("本年收入合计")],
                    {"TSU-004": "not_applicable", "TSU-005": "not_applicable",
                     "TSU-006": "not_applicable", "TSU-007": "not_applicable"}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_summary_table_subtotals_read_from_a_document(case, ruleset, tmp_path):
    lines, expected = CASES[case]
    assert _statuses(ruleset, tmp_path, lines) == expected


RECORD_CASES = [
    # (income side, expected TSU-004, TSU-005)
    ({"totals": {"subtotal_amount": "100.00", "amount": "110.00"},
      "rows": [{"name": "一、财政拨款收入", "level": 1, "amount": "90.00"},
               {"name": "1.一般公共预算资金", "level": 2, "amount": "90.00"},
               {"name": "二、事业收入", "level": 1, "amount": "10.00"},
               {"name": "三、使用非财政拨款结余", "level": 1, "amount": "4.00"},
               {"name": "四、上年结转", "level": 1, "amount": "6.00"}]}, ("pass", "pass")),
    ({"totals": {"subtotal_total": "100.00", "total": "110.00"},     # a 合计 column instead of 预算数
      "rows": [{"name": "一、财政拨款收入", "level": 1, "total": "100.00"},
               {"name": "上年结转", "level": 1, "total": "10.01"}]}, ("pass", "pass_rounding")),
    ({"totals": {"subtotal_amount": "100.00", "amount": "110.00"},
      "rows": [{"name": "一、财政拨款收入", "level": 1, "amount": "99.00"},
               {"name": "上年结转", "level": 1, "amount": "11.00"}]}, ("fail", "fail")),
    ({"totals": {"amount": "110.00"},                                  # no subtotal printed
      "rows": [{"name": "一、财政拨款收入", "level": 1, "amount": "99.00"}]}, ("not_applicable", "not_applicable")),
]


@pytest.mark.parametrize("income, expected", RECORD_CASES)
def test_summary_table_income_subtotal_rules_on_records(income, expected, ruleset):
    findings = ruleset.evaluate({"tables": {"summary": {"income": income}}}).findings
    assert tuple(f.status for f in findings if f.rule in ("TSU-004", "TSU-005")) == expected
