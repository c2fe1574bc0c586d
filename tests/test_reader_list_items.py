"""Items of a narrative list that the budget template's other wordings print: income sources and
types of spending under names the reader did not take, and an item it cannot name at all.

Each variant rewrites one passage of examples/bureau_2025.txt (as tests/test_reader_narrative_variants.py
does): a source under another name is read into its field, the expenditure table's other types of
spending are added to basic and project spending (EXP-016 / EXP-017), and an income item the reader
cannot name makes the sources' sum not evaluable, naming it, where it failed by its amount.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from test_reader_narrative_variants import EXAMPLE, _audit, _variant


_BUSINESS_ITEM = "事业收入 80.00"


@pytest.mark.parametrize("name", ["单位资金收入", "专项资金收入", "捐赠收入", "专项资金", "上级拨款"])
def test_an_income_item_not_read_makes_the_sources_sum_not_evaluable(name):
    """An amount of the income list under a name no field takes: listed unread, and the sources
    read are not all that was printed -- INC-001 (and INC-002, their changes) failed by its amount
    on a correct budget; now they are not evaluable, naming it, and nothing else changes."""
    record, statuses = _audit(_variant([(_BUSINESS_ITEM, f"{name} 80.00")]), ("fail", "not_evaluable"))
    baseline = _audit(EXAMPLE, ("fail", "not_evaluable"))[1]
    # (INC-006 too: whether the sources' prior-year figures can be added up, its condition, cannot be told)
    assert statuses - baseline == {"INC-001", "INC-002", "INC-006"}
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    inc = next(f for f in report.findings if f.rule == "INC-001")
    assert inc.status == "not_evaluable"
    assert inc.missing == (f"income.sources.* (printed, not read: {name} 80.00万元, lines 186-188)",)
    assert f"各项收入（另刊印有{name} 80.00万元，第186–188行，未能读取）" in inc.message
    [entry] = [u for u in record["_meta"]["unread"] if u.get("group")]
    assert entry["group"] == "income.sources" and entry["item"] == f"{name} 80.00万元"
    # the group's own figures are still read and checked one by one
    assert record["income"]["sources"]["appropriation"]["value"] == "1150.00"


@pytest.mark.parametrize("name, path", [("非同级财政拨款收入", "non_same_level"), ("纳入财政专户管理的收入", "education_fees"),
                                        ("专户管理资金收入", "education_fees"), ("上级补助资金", "superior_subsidy")])
def test_other_names_of_income_sources_are_read(name, path):
    """非同级财政拨款收入 (another government's appropriation) was read as a second 财政拨款收入 and
    INC-001 failed by it; the special account's other wordings were listed unread."""
    record, statuses = _audit(_variant([(_BUSINESS_ITEM, f"{name} 80.00")]), ("fail", "not_evaluable"))
    assert record["income"]["sources"][path]["value"] == "80.00"
    assert statuses == _audit(EXAMPLE, ("fail", "not_evaluable"))[1]


_APPROPRIATION_SOURCE = "1,150.00 万元，较上年预算安排增加 50.00 万元；事业收入"


@pytest.mark.parametrize("breakdown", ["（其中：一般公共预算拨款收入 1,130.00 万元，上级转移支付收入 20.00 万元）",
                                       "（其中：上级转移支付收入 20.00 万元，一般公共预算拨款收入 1,130.00 万元）",
                                       "，其中：一般公共预算拨款收入 1,130.00 万元，上级转移支付收入 20.00 万元"])
def test_an_item_not_read_among_the_appropriation_kinds_is_one_of_them(breakdown):
    """An unnamed item after a kind of the appropriation, in its breakdown, is one of the kinds:
    INC-005 (the kinds add up to 财政拨款收入) is not evaluable, naming it -- it failed by its
    amount -- and the sources, all read, are still checked (INC-001 passes)."""
    if breakdown.startswith("，"):
        text = _variant([(_APPROPRIATION_SOURCE, "1,150.00 万元，较上年预算安排增加 50.00 万元" + breakdown + "；事业收入")])
    else:
        text = _variant([(_APPROPRIATION_SOURCE, "1,150.00 万元" + breakdown + "，较上年预算安排增加 50.00 万元；事业收入")])
    record = read_document(text.encode("utf-8"), name="variant.txt")
    [entry] = [u for u in record["_meta"]["unread"] if u.get("group")]
    assert (entry["group"], entry["item"]) == ("income.appropriation_detail", "上级转移支付收入 20.00万元")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    statuses = {f.rule: f for f in report.findings if f.rule in ("INC-001", "INC-005")}
    assert (statuses["INC-001"].status, statuses["INC-005"].status) == ("pass", "not_evaluable")
    assert "各类财政拨款收入（另刊印有上级转移支付收入 20.00万元" in statuses["INC-005"].message


def test_an_amount_of_the_income_section_not_named_as_income_leaves_the_sum_checked():
    """Only an item named as an income or carryover is one of the list's: another amount the
    income section prints (a count, a figure of something else) is listed, and the sum is still
    checked (here it fails by the business income it no longer has)."""
    record, statuses = _audit(_variant([(_BUSINESS_ITEM, "办公用房面积 80.00")]), ("fail", "not_evaluable"))
    assert "INC-001" in statuses
    assert not any(u.get("group") for u in record["_meta"]["unread"])
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert next(f for f in report.findings if f.rule == "INC-001").status == "fail"


_PROJECT = "项目支出 386.00\n\n万元，较上年预算安排增加 46.00 万元，其中：商品和服务支出\n\n300.00 万元、资本性支出 86.00 万元。"
_OPERATING_SPENDING = "；事业单位经营支出 10.00 万元，较上年预算安排增加 10.00 万元。"


@pytest.mark.parametrize("project, statuses", [
    # the project spending 10.00 less, as the operating spending is printed: the types add up
    ("项目支出 376.00\n\n万元，较上年预算安排增加 36.00 万元，其中：商品和服务支出\n\n290.00 万元、资本性支出 86.00 万元",
     {"EXP-001": "not_applicable", "EXP-002": "not_applicable", "EXP-016": "pass", "EXP-017": "pass"}),
    # printed beside the same two types: they exceed the total by it
    (_PROJECT[:-1], {"EXP-001": "not_applicable", "EXP-002": "not_applicable", "EXP-016": "fail", "EXP-017": "fail"}),
])
def test_the_other_types_of_spending_are_added_to_basic_and_project(project, statuses):
    """"事业单位经营支出 10.00 万元" beside 基本支出 and 项目支出 (a type of the expenditure table): it
    was listed unread, and EXP-001 failed by it on a correct budget."""
    record = read_document(_variant([(_PROJECT, project + _OPERATING_SPENDING)]).encode("utf-8"), name="variant.txt")
    assert record["expenditure"]["other_types"]["operating"]["value"] == "10.00"
    assert not any("经营支出" in u["reason"] for u in record["_meta"]["unread"])
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert {f.rule: f.status for f in report.findings if f.rule in statuses} == statuses


def test_a_type_of_spending_not_named_leaves_the_types_unchecked():
    """An amount of the by-type breakdown under a spending's name that no type or class takes
    ("专项业务支出 10.00 万元" after 项目支出): listed with the group of the other types, and the rules
    adding the types up are not evaluable, naming it -- EXP-001 failed by it."""
    project = "项目支出 376.00\n\n万元，较上年预算安排增加 36.00 万元，其中：商品和服务支出\n\n290.00 万元、资本性支出 86.00 万元"
    record = read_document(_variant([(_PROJECT, project + "；专项业务支出 10.00 万元，较上年预算安排增加 10.00 万元。")])
                           .encode("utf-8"), name="variant.txt")
    [entry] = [u for u in record["_meta"]["unread"] if u.get("group")]
    assert (entry["group"], entry["item"]) == ("expenditure.other_types", "专项业务支出 10.00万元")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    found = {f.rule: f for f in report.findings if f.rule in ("EXP-001", "EXP-002", "EXP-016", "EXP-017")}
    assert {rule: f.status for rule, f in found.items()} == dict.fromkeys(found, "not_evaluable")
    assert "其他类型支出（另刊印有专项业务支出 10.00万元" in found["EXP-001"].message


@pytest.mark.parametrize("printed", ["，主要用于规划编制支出 72.00 万元。", "；主要用于规划编制支出 72.00 万元。",
                                     "；专项业务支出 0.00 万元。"])
def test_what_a_type_is_spent_on_or_an_item_of_0_leaves_the_types_checked(printed):
    """What a type of spending is spent on ("主要用于…支出 72.00 万元") is no type of its own, and an
    unnamed item of 0 leaves what the types add up to as it is: listed, without a group, and
    EXP-001 is checked (it passes)."""
    record = read_document(_variant([(_PROJECT, _PROJECT[:-1] + printed)]).encode("utf-8"), name="variant.txt")
    assert any("规划编制支出" in u["reason"] or "专项业务支出" in u["reason"] for u in record["_meta"]["unread"])
    assert not any(u.get("group") for u in record["_meta"]["unread"])
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert next(f for f in report.findings if f.rule == "EXP-001").status == "pass"


def test_an_item_not_read_in_the_breakdown_of_another_source_leaves_the_sum_checked():
    """"事业收入 80.00 万元（其中：培训收入 20.00 万元）": a part of one source, listed without a group
    -- the sources' sum is whole, and INC-001 is checked (it passes)."""
    record = read_document(_variant([("事业收入 80.00\n\n万元，较上年预算安排增加 10.00 万元",
                                      "事业收入 80.00 万元（其中：培训收入 20.00 万元），较上年预算安排增加 10.00 万元")])
                           .encode("utf-8"), name="variant.txt")
    assert any("培训收入" in u["reason"] and "group" not in u for u in record["_meta"]["unread"])
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert next(f for f in report.findings if f.rule == "INC-001").status == "pass"

