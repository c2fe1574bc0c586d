"""Other provinces' narrative wording (session 25), on the team's fictional example budget
(examples/bureau_2025.txt) with its income paragraph written as Guangdong, Beijing and Sichuan
departments write it: "一般公共预算拨款收入 A 万元" listed among the sources (no 财政拨款收入),
"比上年预算数增加 C 万元，增长 P%", amounts in 元.

Each correct twin reads as the example does (the same income total and sources, nothing unread or
silent, no finding the example does not make); each bad twin -- the income total printed 10.00
万元 (100,000.00 元) too high -- makes the example's bad twin's findings.  The old reader read
"一般公共预算拨款收入" among the sources as the appropriation's detail only, so a correct document's
sources did not add up (false INC-001 / INC-002).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
_START, _END = "2025 年青山县自然资源局收入预算总额为", "（二）支出预算情况"
WORDINGS = {
    "template": None,
    "guangdong": "2025年青山县自然资源局收入预算{total}万元，比上年预算数增加86.40万元，增长7.2%。其中：一般公共预算"
                 "拨款收入1,150.00万元，比上年预算数增加50.00万元；政府性基金预算拨款收入0万元；事业收入80.00万元，"
                 "比上年预算数增加10.00万元；其他收入16.40万元，比上年预算数减少3.60万元；上年结转结余40.00万元，"
                 "比上年预算数增加30.00万元。\n",
    "beijing": "2025年收入预算{total}万元，比2024年增加86.4万元，增长7.2%。其中：财政拨款收入1150万元，比2024年增加50万元，"
               "增长4.5%；事业收入80万元，比2024年增加10万元；其他收入16.4万元，比2024年减少3.6万元；上年结转40万元，"
               "比2024年增加30万元。\n",
    "sichuan": "2025年青山县自然资源局收入预算总额为{yuan}元，较上年增加864,000.00元。其中：财政拨款收入11,500,000.00元，"
               "较上年增加500,000.00元；事业收入800,000.00元，较上年增加100,000.00元；其他收入164,000.00元，较上年减少"
               "36,000.00元；上年结转400,000.00元，较上年增加300,000.00元。\n",
}
_TOTALS = {False: ("1,286.40", "12,864,000.00"), True: ("1,296.40", "12,964,000.00")}
_cache: dict = {}


def _read(name: str, bad: bool):
    if (name, bad) not in _cache:
        text = EXAMPLE
        if WORDINGS[name] is None:
            if bad:
                text = text.replace(_START + " 1,286.40", _START + " 1,296.40", 1)
        else:
            total, yuan = _TOTALS[bad]
            text = text[:text.index(_START)] + WORDINGS[name].format(total=total, yuan=yuan) + text[text.index(_END):]
        record = read_document(text, name=f"{name}{bad}.txt")
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        _cache[name, bad] = record, {f.rule for f in report.findings if f.status == "fail"}
    return _cache[name, bad]


def _sources(record) -> dict:
    from decimal import Decimal
    scale = {"万元": Decimal(1), "元": Decimal("0.0001")}
    return {key: Decimal(fig["value"].replace(",", "")) * scale[fig["unit"]]
            for key, fig in record["income"]["sources"].items()}


@pytest.mark.parametrize("name", [n for n in WORDINGS if n != "template"])
def test_a_provinces_income_wording_reads_as_the_template(name):
    record, failing = _read(name, False)
    plain, plain_failing = _read("template", False)
    assert _sources(record) == _sources(plain)
    assert failing <= plain_failing
    assert not {"INC-001", "INC-002"} & failing
    lines = record["_meta"]["coverage"]["lines"]
    assert lines["silent"] == 0 and lines["unread"] == plain["_meta"]["coverage"]["lines"]["unread"]


@pytest.mark.parametrize("name", [n for n in WORDINGS if n != "template"])
def test_a_provinces_planted_slip_is_reported_as_the_templates(name):
    _, failing = _read(name, True)
    _, plain_failing = _read("template", True)
    assert "INC-001" in plain_failing and "INC-001" in failing


# Two appropriation kinds other than 0 and no 财政拨款收入 (session 26): the kinds are read as
# printed, at income.appropriation_detail.*, and INC-007 / INC-008 add them to the other sources
# (by the template 财政拨款收入 is made of them).  Before: the sources added up without the kinds --
# a false INC-001 / INC-002 on a correct document; then (review 26) a sum at
# income.sources.appropriation that no line prints, quoted by findings and "corrected" by the
# localiser.
TWO_KINDS = ("2025年青山县自然资源局收入预算{total}万元，比上年预算数增加86.40万元，增长7.2%。其中：一般公共预算"
             "拨款收入1,130.00万元，比上年预算数增加45.00万元；政府性基金预算拨款收入20.00万元，比上年预算数增加"
             "5.00万元；事业收入80.00万元，比上年预算数增加10.00万元；其他收入16.40万元，比上年预算数减少3.60万元；"
             "上年结转结余40.00万元，比上年预算数增加30.00万元。\n")


@pytest.mark.parametrize("bad", [False, True])
def test_two_appropriation_kinds_make_the_appropriation_source(bad):
    text = EXAMPLE[:EXAMPLE.index(_START)] + TWO_KINDS.format(total=_TOTALS[bad][0]) + EXAMPLE[EXAMPLE.index(_END):]
    record = read_document(text, name=f"two_kinds{bad}.txt")
    failing = {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
               if f.status == "fail"}
    assert ("INC-007" in failing) is bad and not failing & {"INC-001", "INC-002", "INC-005", "INC-006", "INC-008"}
    assert "appropriation" not in record["income"]["sources"]   # nothing the document does not print
    detail = record["income"]["appropriation_detail"]
    assert {key: (detail[key]["value"], detail[key]["change"]) for key in detail} == {
        "general_budget": ("1130.00", "45.00"), "gov_fund": ("20.00", "5.00")}
    assert all("line" in detail[key]["source"] for key in detail)
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] and coverage["lines"]["silent"] == 0
