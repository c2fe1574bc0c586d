"""一、收入支出决算总体情况 with what each grand total is made of, as many regions print it.

"收入总计 X 万元，其中：本年收入 A 万元，年初结转和结余 B 万元；支出总计 X 万元，其中：本年支出 C 万元，
年末结转和结余 D 万元。与上年相比，收入支出总计增加 E 万元，增长 P%": the four parts (the summary
table's lines) and the change were listed unread.  They are read (overview.this_year_income …
closing_balance, the change of overview.total), added up (NAR-024 / NAR-025) and compared with the
收入支出决算总表 (NAR-026 / NAR-027).  Made from the team's fictional example 决算
(tests/final_accounts_variants.py), its figures unchanged but for the paragraph reworded.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as variants  # noqa: E402  (tests/ is on the path)

OVERVIEW = r"^滨江市青石区文化旅游局2024年度收入支出总计.*$"
WORDING = ("滨江市青石区文化旅游局2024年度收入总计1,230.60万元，其中：本年收入{A}万元，年初结转和结余8.00万元；支出总计"
           "1,230.60万元，其中：本年支出1,216.60万元，年末结转和结余{D}万元。与2023年度相比，收入支出总计增加{E}万元，"
           "增长5.18%。主要原因：群众文化活动和文物保护修缮项目增加。")
RULES = ("NAR-024", "NAR-025", "NAR-026", "NAR-027", "CHG-001")


def _read(**figures):
    text = WORDING.format(**{"A": "1,222.60", "D": "14.00", "E": "60.60", **figures})
    record = read_document(variants.build(paragraphs=[(OVERVIEW, text)]), name="overview.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    statuses = {}
    for finding in report.findings:
        if finding.rule in RULES:
            statuses[finding.rule] = finding.status
    return record, statuses, {f.rule for f in report.findings if f.status == "fail"}


def test_the_grand_totals_parts_and_change_are_read_and_checked():
    record, statuses, failing = _read()
    overview = {key: value["value"] for key, value in record["overview"].items() if isinstance(value, dict)}
    assert overview == {"total": "1230.60", "expenditure_total": "1230.60", "this_year_income": "1222.60",
                        "opening_balance": "8.00", "this_year_expenditure": "1216.60", "closing_balance": "14.00"}
    assert (record["overview"]["total"]["change"], record["overview"]["total"]["pct"]) == ("60.60", "5.18")
    assert not record["_meta"].get("unread")
    assert failing == set()
    # (the sums exact; the percentage within its rounding)
    assert statuses == {"NAR-024": "pass", "NAR-025": "pass", "NAR-026": "pass", "NAR-027": "pass",
                        "CHG-001": "pass_rounding"}


@pytest.mark.parametrize("figures, rules", [
    ({"A": "1,212.60"}, {"NAR-024", "NAR-026"}),      # 本年收入 misprinted: the sum and the table
    ({"D": "4.00"}, {"NAR-025", "NAR-027"}),          # 年末结转和结余 misprinted
    ({"E": "66.60"}, {"CHG-001"}),                    # the change no longer the difference
])
def test_a_misprinted_part_is_found(figures, rules):
    _, _, failing = _read(**figures)
    assert failing == rules


APPROPRIATION = r"^滨江市青石区文化旅游局2024年度财政拨款收入支出总计.*$"
APPROPRIATION_WORDING = ("滨江市青石区文化旅游局2024年度财政拨款收入总计1,218.60万元，其中：本年财政拨款收入1,210.60万元，"
                         "年初财政拨款结转和结余{B}万元；财政拨款支出总计1,218.60万元，其中：本年财政拨款支出1,206.60万元，"
                         "年末财政拨款结转和结余{D}万元。与2023年度相比，财政拨款收入支出总计增加48.60万元，增长4.15%。"
                         "主要原因：群众文化活动经费增加。")


def test_the_appropriation_grand_totals_parts_are_read_and_checked():
    def read(b="8.00", d="12.00"):
        record = read_document(variants.build(paragraphs=[(APPROPRIATION, APPROPRIATION_WORDING.format(B=b, D=d))]),
                               name="appropriation.pdf")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        return record, {f.rule: f.status for f in report.findings if f.rule in ("NAR-028", "NAR-029", "NAR-031")}, \
            {f.rule for f in report.findings if f.status == "fail"}
    record, statuses, failing = read()
    appropriation = {key: value["value"] for key, value in record["appropriation"].items() if isinstance(value, dict)}
    assert appropriation == {"total": "1218.60", "expenditure_total": "1218.60", "this_year_income": "1210.60",
                             "opening_balance": "8.00", "this_year_expenditure": "1206.60", "closing_balance": "12.00"}
    assert record["appropriation"]["total"]["change"] == "48.60"
    assert not record["_meta"].get("unread")
    assert failing == set()
    assert statuses == dict.fromkeys(("NAR-028", "NAR-029", "NAR-031"), "pass")
    assert read(b="9.00")[2] == {"NAR-028", "NAR-031"}
    assert read(d="21.00")[2] == {"NAR-029", "NAR-031"}


# Two totals printed as one, with "均为" / "各为" ("收入、支出总计均为 X 万元，较上年增加 C 万元"): the
# amount and its change were listed unread (the template's sentence wants "。" after the amount)
AS_ONE = [
    ("both_each", OVERVIEW, "2024年度收入、支出总计均为{X}万元，较上年增加60.60万元，增长5.18%。", "overview",
     "1,230.60", "1,203.60", "NAR-001"),
    ("final_each", OVERVIEW, "2024年度收入、支出决算总计各为{X}万元，与上年相比增加60.60万元，增长5.18%，主要原因是群众文化"
     "活动增加。", "overview", "1,230.60", "1,203.60", "NAR-001"),
    ("appropriation_each", APPROPRIATION, "2024年度财政拨款收入、支出总计均为{X}万元，较上年增加48.60万元，增长4.15%。",
     "appropriation", "1,218.60", "1,281.60", "NAR-007"),
]


@pytest.mark.parametrize("pattern, wording, key, good, bad, rule", [case[1:] for case in AS_ONE],
                         ids=[case[0] for case in AS_ONE])
def test_two_totals_printed_as_one_are_read(pattern, wording, key, good, bad, rule):
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(X=good))]), name="one.pdf")
    total = record[key]["total"]
    assert (total["value"], total["change"]) == (good.replace(",", ""), "60.60" if key == "overview" else "48.60")
    assert not record["_meta"].get("unread")
    ruleset = fiscalrules.load_ruleset("final_accounts")
    assert not [f for f in ruleset.evaluate(record).findings if f.status == "fail"]
    record = read_document(variants.build(paragraphs=[(pattern, wording.format(X=bad))]), name="one.pdf")
    assert rule in {f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"}
