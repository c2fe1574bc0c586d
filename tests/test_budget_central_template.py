"""The central departments' 部门预算 template (中央部门预算公开): what its tables and narrative print
that the provinces' do not.

- 一般公共预算支出表 prints "2025年执行数 | 2026年预算数 | 2026年预算数比2025年执行数", 合计 / 基本支出 /
  项目支出 under each year and 增减额 / 增减% after: last year's columns are ``prior`` /
  ``prior_basic`` / ``prior_project``, the budget year's the table's own (every row was "not
  understood", a 基本支出 slip went unseen);
- the table is of the year's appropriation (一般公共预算当年拨款), the 财政拨款 total adds 上年结转: the
  财政拨款收支总体情况 says so ("包括当年拨款收入 X 万元，上年结转 Y 万元"), and the comparisons of the
  year's figures with the totals counting the carry-over do not apply;
- the 一般公共预算基本支出情况 states the year's general budget's 基本支出 / 人员经费 / 公用经费;
- the 机关运行经费 are for "本级及 2 个参照公务员法管理事业单位".

Each test's figures are fictional and small.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules import compile_rules
from fiscalrules.readers.budget.prior_columns import last_years_columns
from fiscalrules.readers.common.record import RecordBuilder

# ---- the table's column groups by the headers' years ---------------------------------------------

_PATHS = [["科目编码"], ["科目名称"],
          ["2025年执行数", "合计"], ["2025年执行数", "基本支出"], ["2025年执行数", "项目支出"],
          ["2026年预算数", "合计"], ["2026年预算数", "基本支出"], ["2026年预算数", "项目支出"],
          ["2026年预算数比2025年执行数", "增减额"], ["2026年预算数比2025年执行数", "增减%"]]
_KEYS = ["code", "name", "total", "basic", "project", "total", "basic", "project", "change", "pct"]


def _builder(year: int | None = 2026) -> RecordBuilder:
    builder = RecordBuilder("central.pdf")
    if year is not None:
        builder.put("doc.year", year)
    return builder


def test_last_years_block_is_keyed_prior_and_this_years_is_the_tables():
    keys = last_years_columns(_builder(), _PATHS, _KEYS)
    assert keys == ["code", "name", "prior", "prior_basic", "prior_project", "total", "basic", "project",
                    "change", "pct"]


def test_the_block_order_does_not_matter_and_the_year_may_come_from_the_headers():
    # this year's block first, "上年执行数" naming last year; no year read yet (the headers' latest)
    paths = [["科目编码"], ["科目名称"], ["2026年预算数", "合计"], ["2026年预算数", "基本支出"],
             ["2026年预算数", "项目支出"], ["上年执行数", "合计"], ["上年执行数", "基本支出"], ["上年执行数", "项目支出"]]
    keys = ["code", "name", "total", "basic", "project", "total", "basic", "project"]
    assert last_years_columns(_builder(None), paths, keys)[2:] == [
        "total", "basic", "project", "prior", "prior_basic", "prior_project"]


def test_a_single_block_is_left_as_keyed():
    # one year's block only: nothing printed twice, nothing is last year's
    paths = [["科目编码"], ["2026年预算数", "合计"], ["2026年预算数", "基本支出"], ["2026年预算数", "项目支出"]]
    keys = ["code", "total", "basic", "project"]
    assert last_years_columns(_builder(), paths, keys) == keys


_TABLE = """国家测试局2026年一般公共预算支出表
单位：万元
科目编码\t科目名称\t2025年执行数\t\t\t2026年预算数\t\t\t2026年预算数比2025年执行数\t
\t\t合计\t基本支出\t项目支出\t合计\t基本支出\t项目支出\t增减额\t增减%
\t合计\t100.00\t60.00\t40.00\t110.00\t{basic}\t40.00\t10.00\t10.00
208\t社会保障和就业支出\t100.00\t60.00\t40.00\t110.00\t{basic}\t40.00\t10.00\t10.00
20805\t行政事业单位养老支出\t100.00\t60.00\t40.00\t110.00\t{basic}\t40.00\t10.00\t10.00
2080501\t行政单位离退休\t100.00\t60.00\t40.00\t110.00\t{basic}\t40.00\t10.00\t10.00
"""


def _read_table(basic: str):
    text = "国家测试局2026年部门预算\n\n" + _TABLE.format(basic=basic)
    return fiscalrules.readers.read_document(text.encode("utf-8"), name="central.txt")


def test_a_tab_table_with_both_years_is_read_row_by_row():
    record = _read_table("70.00")
    rows = record["tables"]["general_budget"]["rows"]
    leaf = next(r for r in rows if r["code"] == "2080501")
    assert {k: leaf[k]["value"] for k in ("prior", "prior_basic", "prior_project", "total", "basic", "project")} == {
        "prior": "100.00", "prior_basic": "60.00", "prior_project": "40.00",
        "total": "110.00", "basic": "70.00", "project": "40.00"}
    assert not [u for u in record["_meta"].get("unread", []) if "not understood" in u["reason"]]


def test_a_slip_in_this_years_basic_column_is_caught():
    record = _read_table("77.00")   # 110.00 ≠ 77.00 + 40.00
    failing = {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
               if f.status == "fail"}
    assert "TBL-026" in failing


# ---- a failed ``or``: the message shows the alternative that compared figures --------------------

def test_a_failed_or_shows_the_sides_of_an_alternative_that_compared():
    rules = compile_rules("""
field a "甲": amount
field b "乙": amount
field c "丙": amount
rule R1 "甲等于乙" { message "甲 {left}，乙 {right}，差额 {diff}"
    assert a = b or (not present(a) and c = b) }
""")
    finding = [f for f in rules.evaluate({"a": 3, "b": 5, "c": 5}).findings if f.rule == "R1"][0]
    assert finding.status == "fail"
    assert "甲 3" in finding.message and "乙 5" in finding.message and "差额 -2" in finding.message


# ---- the year's appropriation beside its carry-over (rules) ---------------------------------------

def _failing(record: dict) -> set[str]:
    return {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
            if f.status == "fail"}


def test_the_years_appropriation_income_with_its_carry_over_makes_the_total():
    record = {"income": {"sources": {"appropriation": 300}}, "appropriation": {
        "total": 330, "income_year": 300, "carryover": 30}}
    assert not {"APR-012", "APR-017"} & _failing(record)
    record["appropriation"]["carryover"] = 20
    assert {"APR-012", "APR-017"} <= _failing(record)


def test_the_summarys_this_year_income_is_the_narratives_appropriation_income():
    summary = {"totals": {"amount": 330}, "rows": [{"name": "一、本年收入", "level": 1, "amount": 300},
                                                   {"name": "二、上年结转", "level": 1, "amount": 30}]}
    record = {"income": {"sources": {"appropriation": 300}},
              "tables": {"appropriation_summary": {"income": summary}}}
    assert "SUM-003" not in _failing(record)
    record["income"]["sources"]["appropriation"] = 310
    assert "SUM-003" in _failing(record)


def test_the_years_general_budget_table_is_not_held_to_the_totals_with_carry_over():
    record = {"tables": {"general_budget": {"totals": {"total": 300}, "rows": [{"code": "208", "total": 300}]},
                         "appropriation_summary": {"expenditure": {"totals": {"total": 330, "general_budget": 330},
                                                                   "rows": [{"name": "一、社会保障和就业支出", "code": "208",
                                                                             "level": 1, "total": 330,
                                                                             "general_budget": 330}]}}},
              "general_budget_year": {"total": 300}, "appropriation": {"total": 330},
              "gov_fund": {"none": "没有"}, "state_capital": {"none": "没有"}}
    assert not {"TBL-029", "TSU-012"} & _failing(record)
    # a table that is not the year's (its total not the year's appropriation): held as before
    record["general_budget_year"]["total"] = 290
    assert {"TBL-029", "TSU-012"} <= _failing(record)


# ---- the narrative ---------------------------------------------------------------------------------

_NARRATIVE = """国家测试局2026年部门预算

第三部分 国家测试局2026年部门预算情况说明

四、财政拨款收支预算总体情况说明
国家测试局 2026 年财政拨款收支总预算 330.00 万元。收入全部为一般公共预算拨款，包括当年拨款收入 300.00 万元，上年结转 30.00 万元。支出包括：社会保障和就业支出 330.00 万元。

五、一般公共预算当年拨款支出情况说明
（一）一般公共预算当年拨款规模变化情况
国家测试局 2026 年一般公共预算当年拨款 300.00 万元，比 2025 年执行数增加 10.00 万元，增长 3.45%。

六、一般公共预算基本支出情况说明
国家测试局 2026 年一般公共预算基本支出 200.00 万元，其中：人员经费 150.00 万元，主要包括：基本工资；公用经费 50.00 万元，主要包括：办公费。

八、其他重要事项的情况说明
（一）机关运行经费
2026 年，国家测试局本级及 2 个参照公务员法管理事业单位的机关运行经费预算为 40.00 万元。
"""


def _value(record: dict, path: str):
    node = record
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else node


def test_the_narrative_reads_the_split_income_the_years_basic_spending_and_the_units():
    record = fiscalrules.readers.read_document(_NARRATIVE.encode("utf-8"), name="central.txt")
    assert _value(record, "appropriation.income_year") == "300.00"
    assert _value(record, "appropriation.carryover") == "30.00"
    # the year's general budget's basic spending, not the appropriation's (which adds the carry-over)
    assert _value(record, "general_budget_year.basic") == "200.00"
    assert _value(record, "general_budget_year.basic_personnel") == "150.00"
    assert _value(record, "general_budget_year.basic_public") == "50.00"
    assert _value(record, "appropriation.basic") is None
    assert str(_value(record, "operating_scope.institutions")) == "2"
    assert not [u for u in record["_meta"].get("unread", []) if "not mapped" in u["reason"]]
