"""The central template's 一般公共预算当年拨款情况 and 一般公共预算基本支出情况 (session 39).

Central departments, and the provinces
whose narrative follows the central template, print the year's own general-budget appropriation in
three parts -- 规模变化 (its amount, change and percentage), 结构 (each class with its share) and 具体
使用 (each classification line with its amount, change and reason).  The section was "a section not
read": 8 amounts listed, none checked.

The team's fictional example (examples/bureau_2025.txt) with the section added as such documents
print it -- run on under one heading, as sections of their own, or under a level-one heading -- must
read every figure and audit as the example (its planted errors, nothing more); each ``_bad`` twin
plants one slip and must get the named finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
_BEFORE = "（四）政府性基金情况"

_RUN_ON = """（四）一般公共预算当年拨款情况

1.一般公共预算当年拨款规模变化情况

2025 年一般公共预算当年拨款 1,150.00 万元，比 2024 年执行数增加 50.00 万元，增长 4.55%。主要原因是国土空间
规划编制任务增加。

2.一般公共预算当年拨款结构情况

社会保障和就业（类）支出 94.00 万元，占 8.17%；卫生健康（类）支出 37.00 万元，占 3.22%；农林水（类）支出
48.00 万元，占 4.17%；自然资源海洋气象等（类）支出 903.00 万元，占 78.52%；住房保障（类）支出 68.00 万元，
占 5.91%。

3.一般公共预算当年拨款具体使用情况

（1）社会保障和就业（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）支出 62.00 万元，
与 2024 年执行数相比增加 2.00 万元，增长 3.33%，主要原因是缴费基数调整。

（2）自然资源海洋气象等（类）自然资源事务（款）行政运行（项）支出 681.00 万元，与 2024 年执行数相比增加
11.00 万元，增长 1.64%，主要原因是人员变动。

"""
# the parts as sections of their own ("（四）…规模变化情况" …), items numbered "1." …
_SECTIONS = (_RUN_ON.replace("（四）一般公共预算当年拨款情况\n\n", "")
             .replace("1.一般公共预算当年拨款规模变化情况", "（四）一般公共预算当年拨款规模变化情况")
             .replace("2.一般公共预算当年拨款结构情况", "（五）一般公共预算当年拨款结构情况")
             .replace("3.一般公共预算当年拨款具体使用情况", "（六）一般公共预算当年拨款具体使用情况")
             .replace("（1）社会", "1. 社会").replace("（2）自然", "2. 自然"))
# under a level-one heading, the parts its (一) (二) (三)
_LEVEL_ONE = (_RUN_ON.replace("（四）一般公共预算当年拨款情况", "二、一般公共预算当年拨款情况")
              .replace("1.一般公共预算当年拨款规模变化情况", "（一）一般公共预算当年拨款规模变化情况")
              .replace("2.一般公共预算当年拨款结构情况", "（二）一般公共预算当年拨款结构情况")
              .replace("3.一般公共预算当年拨款具体使用情况", "（三）一般公共预算当年拨款具体使用情况"))


def _with(section: str, old: str | None = None, new: str | None = None) -> str:
    if old is not None:
        assert section.count(old) == 1, old
        section = section.replace(old, new)
    assert EXAMPLE.count(_BEFORE) == 1
    return EXAMPLE.replace(_BEFORE, section + _BEFORE)


def _audit(text: str):
    record = read_document(text.encode("utf-8"), name="central.txt")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return record, {f.rule for f in report.findings if f.status in ("fail", "not_evaluable")}


@pytest.fixture(scope="module")
def example_failing():
    return _audit(EXAMPLE)[1]


@pytest.mark.parametrize("section", [_RUN_ON, _SECTIONS, _LEVEL_ONE], ids=["run_on", "sections", "level_one"])
def test_the_section_is_read_whole_and_audits_as_the_example(example_failing, section):
    record, failing = _audit(_with(section))
    year = record["general_budget_year"]
    assert (year["total"]["value"], year["total"]["change"], year["total"]["pct"]) == ("1150.00", "50.00", "4.55")
    assert year["change_reason"]["value"] == "国土空间规划编制任务增加"
    assert [(r["code"], r["amount"]["value"], r["share"]["value"]) for r in year["function"]] == [
        ("208", "94.00", "8.17"), ("210", "37.00", "3.22"), ("213", "48.00", "4.17"), ("220", "903.00", "78.52"),
        ("221", "68.00", "5.91")]
    # (a share printed as "占 8.17%" is named by the class it follows: a finding names the figure)
    assert year["function"][0]["share"]["label"] == year["function"][0]["name"] + "占比"
    assert [(r["code"], r["amount"]["value"], r["amount"]["change"], r["amount"]["pct"], r["reason"])
            for r in year["items"]] == [("2080505", "62.00", "2.00", "3.33", "缴费基数调整"),
                                        ("2200101", "681.00", "11.00", "1.64", "人员变动")]
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] and coverage["silent_lines"] == []
    assert not any("一般公共预算当年拨款" in u["section"] for u in record["_meta"]["unread"])
    assert failing == example_failing


# (replaced in the run-on section, rule the slip must fail)
BAD = [
    ("share", "占 78.52%", "占 78.25%", "GBY-002"),
    ("class", "卫生健康（类）支出 37.00 万元", "卫生健康（类）支出 73.00 万元", "GBY-001"),
    ("class_against_table", "卫生健康（类）支出 37.00 万元", "卫生健康（类）支出 73.00 万元", "GBY-004"),
    ("percentage", "增长 4.55%", "增长 4.35%", "GBY-003"),
    ("item_against_table", "行政运行（项）支出 681.00 万元", "行政运行（项）支出 618.00 万元", "GBY-006"),
    ("item_percentage", "增长 1.64%", "增长 1.46%", "GBY-007"),
    ("item_name", "自然资源事务（款）行政运行（项）", "自然资源事务（款）行政远行（项）", "GBY-008"),
]


@pytest.mark.parametrize("name, old, new, rule", BAD, ids=[b[0] for b in BAD])
def test_a_slip_in_the_section_is_found(example_failing, name, old, new, rule):
    _, failing = _audit(_with(_RUN_ON, old, new))
    assert rule in failing - example_failing, failing - example_failing


def test_the_total_against_the_table_where_nothing_was_carried_over():
    # the example carries 40.00 万元 over: the table may hold it, so GBY-005 compares only without
    text = _with(_RUN_ON, "当年拨款 1,150.00 万元", "当年拨款 1,105.00 万元").replace(
        "上年结转 40.00 万元，较上年预\n\n算安排增加 30.00 万元。", "上年结转 0 万元。")
    _, failing = _audit(text)
    assert "GBY-005" in failing


# The central template's "一般公共预算基本支出情况": it was read as the 支出 section of all funds -- its
# 880.00 a "duplicate of expenditure.basic", its 人员经费 / 公用经费 put to the expenditure's -- and
# neither was checked against anything.
_BASIC = """（四）一般公共预算基本支出情况

2025 年一般公共预算基本支出 880.00 万元，其中：人员经费 780.00 万元，主要包括：基本工资、津贴补贴、
奖金、社会保障缴费、住房公积金等；公用经费 100.00 万元，主要包括：办公费、印刷费、水电费、差旅费等。

"""


def test_the_basic_spending_section_is_the_appropriations(example_failing):
    record, failing = _audit(_with(_BASIC))
    appropriation = record["appropriation"]
    assert (appropriation["basic"]["value"], appropriation["basic_personnel"]["value"],
            appropriation["basic_public"]["value"]) == ("880.00", "780.00", "100.00")
    assert "basic_personnel" not in record["expenditure"] and record["_meta"]["coverage"]["silent_lines"] == []
    assert not any("基本支出情况" in u["section"] for u in record["_meta"]["unread"])
    assert failing == example_failing


@pytest.mark.parametrize("old, new, rule", [("公用经费 100.00", "公用经费 110.00", "BAS-001"),
                                            ("公用经费 100.00", "公用经费 110.00", "BAS-002")])
def test_a_slip_in_the_basic_spending_section_is_found(example_failing, old, new, rule):
    _, failing = _audit(_with(_BASIC, old, new))
    assert rule in failing - example_failing, failing - example_failing


def test_a_part_opens_on_its_own_line_even_after_a_sentence_without_its_full_stop():
    # (its name was taken as a part's only after 。/：/；: here the reason runs up to it unstopped)
    text = _with(_RUN_ON.replace("主要原因是国土空间\n规划编制任务增加。", "主要原因是国土空间规划编制任务增加"))
    record, _ = _audit(text)
    year = record["general_budget_year"]
    assert year["change_reason"]["value"] == "国土空间规划编制任务增加"
    assert len(year["function"]) == 5 and len(year["items"]) == 2
    assert record["_meta"]["coverage"]["silent_lines"] == []


# The central template's 绩效目标设置情况: "实行绩效目标管理的项目 N 个，涉及一般公共预算当年拨款 X 万元",
# "绩效目标管理全覆盖，涉及项目 N 个，金额 X 万元" -- both figures listed, PFT-001 unchecked
_TARGETS = "（九）绩效目标设置情况\n\n{}\n\n"
TARGETS = [
    ("managed", "2025 年本部门实行绩效目标管理的项目 3 个，涉及一般公共预算当年拨款 270.00 万元。", "270.00"),
    ("covered", "2025 年本部门项目支出绩效目标管理全覆盖，涉及项目 3 个，金额 386.00 万元。", "386.00"),
]


@pytest.mark.parametrize("heading", ["绩效目标设置情况", "预算绩效管理情况"])
@pytest.mark.parametrize("name, sentence, funds", TARGETS, ids=[t[0] for t in TARGETS])
def test_the_performance_targets_in_the_central_words(example_failing, name, sentence, funds, heading):
    # (under the central template's heading "预算绩效管理情况" too: a section not read before)
    record, failing = _audit(_with(_TARGETS.replace("绩效目标设置情况", heading).format(sentence)))
    targets = record["performance_targets"]
    assert (targets["projects"]["value"], targets["funds"]["value"]) == ("3", funds)
    assert record["_meta"]["coverage"]["silent_lines"] == [] and failing == example_failing
    # (more than the project spending: PFT-001)
    _, failing = _audit(_with(_TARGETS.replace("绩效目标设置情况", heading).format(sentence.replace(funds, "396.00"))))
    assert "PFT-001" in failing - example_failing


# An item printed with 0 this year has no row in this year's tables: its names were looked up among
# the tables' codes and the 类 only, so a standard 项 name ("水利工程建设") designated no code and
# GBY-008 warned of a misprint.  The year's standard list resolves it -- after the tables, and a
# misprint still warns.
_DROPPED = ("（3）农林水（类）水利（款）水利工程建设（项）支出 0.00 万元，与 2024 年执行数相比减少 200.00 万元，"
            "下降 100.00%，主要原因是上年安排的工程已完工。\n\n")


@pytest.mark.parametrize("name, code", [("水利工程建设", "2130305"), ("水利工成建设", None)])
def test_an_item_dropped_this_year_is_resolved_by_the_standard_list(example_failing, name, code):
    record, failing = _audit(_with(_RUN_ON + _DROPPED.replace("水利工程建设", name)))
    item = record["general_budget_year"]["items"][2]
    assert (item.get("code"), item["amount"]["value"], item["amount"]["change"]) == (code, "0.00", "-200.00")
    assert ("GBY-008" in failing - example_failing) is (code is None)
    if code:
        assert item["resolution"].endswith("(standard list)")
