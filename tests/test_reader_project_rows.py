"""The narrative's project descriptions held against the 项目支出预算表's rows (review 20 C's D4
leftover): a project whose name (with or without 项目) is printed on exactly one row of the table has
its 年度预算安排 equal to that row's 合计 (PRJ-015); a name printed under several units is not compared
(the narrative may describe one unit's part or the sum).

On the team's fictional example (tests/test_reader_variants.CLEAN: 国土空间规划编制 72.00, 自然资源调查监测
与保护 266.00, 高标准农田建设 48.00) with the project table of tests/test_reader_listing_tables.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from test_reader_listing_tables import ANCHOR, PROJECTS
from test_reader_variants import CLEAN, read_and_audit

# 高标准农田建设 printed once (118003, 48.00 = 22.00 + 26.00): its name is unique in the table too
MERGED = PROJECTS.replace("118002\t青山县不动产登记中心\t高标准农田建设项目\t22.00\t22.00\n", "").replace(
    "118003\t青山县国土空间规划服务中心\t高标准农田建设项目\t26.00\t26.00", "118003\t青山县国土空间规划服务中心\t高标准农田建设项目\t48.00\t48.00")
NARRATIVE_48 = "4）年度预算安排：48.00 万元"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _audit(ruleset, tmp_path, projects: str, narrative: str = CLEAN):
    assert narrative.count(ANCHOR) == 1
    record, failing, _ = read_and_audit(ruleset, tmp_path, narrative.replace(ANCHOR, "\n" + projects + ANCHOR, 1), "p.txt")
    findings = [f for f in ruleset.evaluate(record).findings if f.rule == "PRJ-015"]
    return record, failing, findings


@pytest.mark.parametrize("table, compared", [(PROJECTS, {"国土空间规划编制"}),
                                             (MERGED, {"国土空间规划编制", "高标准农田建设"})], ids=["repeated", "merged"])
def test_projects_with_a_unique_row_are_compared_and_agree(ruleset, tmp_path, table, compared):
    record, failing, findings = _audit(ruleset, tmp_path, table)
    assert failing == set()
    rows = record["tables"]["projects"]["rows"]
    assert {r["project"] for r in rows} == {"国土空间规划编制", "自然资源调查监测与保护", "高标准农田建设"}
    names = [p["name"] for p in record["projects"]]
    assert {names[int(f.item) - 1] for f in findings if f.status == "pass"} == compared
    assert all(f.status in ("pass", "not_applicable") for f in findings)


def test_a_projects_amount_other_than_its_row_is_found(ruleset, tmp_path):
    assert CLEAN.count(NARRATIVE_48) == 1
    _, failing, _ = _audit(ruleset, tmp_path, MERGED, CLEAN.replace(NARRATIVE_48, "4）年度预算安排：58.00 万元"))
    assert "PRJ-015" in {rule for rule, _ in failing}


def test_a_name_under_several_units_is_not_compared(ruleset, tmp_path):
    """高标准农田建设 under two units (22.00 + 26.00): the narrative's 58.00 is not held against a row."""
    _, failing, _ = _audit(ruleset, tmp_path, PROJECTS, CLEAN.replace(NARRATIVE_48, "4）年度预算安排：58.00 万元"))
    assert "PRJ-015" not in {rule for rule, _ in failing}
