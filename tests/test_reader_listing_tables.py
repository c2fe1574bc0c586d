"""项目支出预算表 and 政府采购预算表 (review 20 C D4), on the team's fictional example.

Guangdong, Hunan and Jiangsu county sets print, after the national tables, a table of projects by
unit (单位编码 | 单位名称 | 项目名称 | 合计 | 其中：财政拨款) and a table of procurement (单位编码 |
单位名称 | 采购品目 | 采购类别 | 预算金额, or one column per kind: 货物 | 工程 | 服务).  They are read
(``tables.projects`` / ``tables.procurement``) and checked: 合计 = Σ rows, against the narrative's
项目支出 (386.00; 财政拨款 270.00) and 政府采购 (180.00 = 货物 60.00 + 工程 40.00 + 服务 80.00),
and the 部门支出总表's 项目支出.  A row that cannot be placed makes the whole table listed, every
row of it counted.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from fiscalrules.translations import to_zh
from test_reader_variants import CLEAN, read_and_audit

ANCHOR = "\n部门整体支出绩效目标表\n"
PROJECTS = """
项目支出预算表

单位：万元

单位编码\t单位名称\t项目名称\t合计\t其中：财政拨款
118001\t青山县自然资源局（本级）\t国土空间规划编制项目\t72.00\t72.00
118001\t青山县自然资源局（本级）\t自然资源调查监测与保护项目\t228.00\t150.00
118002\t青山县不动产登记中心\t自然资源调查监测与保护项目\t38.00\t
118002\t青山县不动产登记中心\t高标准农田建设项目\t22.00\t22.00
118003\t青山县国土空间规划服务中心\t高标准农田建设项目\t26.00\t26.00
\t合计\t\t386.00\t270.00
"""
PROCUREMENT = """
政府采购预算表

单位：万元

单位编码\t单位名称\t采购品目\t采购类别\t预算金额
118001\t青山县自然资源局（本级）\tA02010104 台式计算机\t货物\t40.00
118001\t青山县自然资源局（本级）\tC1204 规划编制服务\t服务\t80.00
118002\t青山县不动产登记中心\tA02021000 打印设备\t货物\t20.00
118003\t青山县国土空间规划服务中心\tB0701 土地整治工程\t工程\t40.00
\t合计\t\t\t180.00
"""
# the same procurement with one column per kind
PROCUREMENT_BY_COLUMN = """
政府采购预算表

单位：万元

单位编码\t单位名称\t采购项目\t合计\t货物\t工程\t服务
118001\t青山县自然资源局（本级）\t办公设备及规划服务\t120.00\t40.00\t\t80.00
118002\t青山县不动产登记中心\t打印设备\t20.00\t20.00\t\t
118003\t青山县国土空间规划服务中心\t土地整治工程\t40.00\t\t40.00\t
\t合计\t\t180.00\t60.00\t40.00\t80.00
"""


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, *tables: str):
    assert CLEAN.count(ANCHOR) == 1
    text = CLEAN.replace(ANCHOR, "\n" + "".join(tables) + ANCHOR, 1)
    return read_and_audit(ruleset, tmp_path, text, "listing.txt")[:2]


def _values(rows, *keys):
    return [tuple(r[k]["value"] if isinstance(r.get(k), dict) else r.get(k) for k in keys) for r in rows]


@pytest.mark.parametrize("procurement", [PROCUREMENT, PROCUREMENT_BY_COLUMN], ids=["by-kind-column", "kind-columns"])
def test_the_project_and_procurement_tables_are_read_and_agree(ruleset, tmp_path, procurement):
    record, failing = _read(ruleset, tmp_path, PROJECTS, procurement)
    assert failing == set()
    projects = record["tables"]["projects"]
    assert _values(projects["rows"], "unit_code", "name", "total", "appropriation") == [
        ("118001", "国土空间规划编制项目", "72.00", "72.00"), ("118001", "自然资源调查监测与保护项目", "228.00", "150.00"),
        ("118002", "自然资源调查监测与保护项目", "38.00", None), ("118002", "高标准农田建设项目", "22.00", "22.00"),
        ("118003", "高标准农田建设项目", "26.00", "26.00")]
    assert projects["totals"]["total"]["value"] == "386.00"
    table = record["tables"]["procurement"]
    assert table["by_kind"] is True
    goods = sum(float(r["goods"]["value"]) for r in table["rows"] if "goods" in r)
    assert (goods, table["totals"]["total"]["value"]) == (60.0, "180.00")
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0
    # each row checked: the planted errors below are found because these rules ran and passed
    passed = {f.rule for f in ruleset.evaluate(record).findings if f.status in ("pass", "pass_rounding")}
    # (PRJ-013 compares with the 部门支出总表, which the example gives only as 详见附表)
    assert {"PRJ-010", "PRJ-011", "PRJ-012", "PRJ-014", "PROC-010", "PROC-011", "PROC-013"} <= passed


PLANTED = {
    # review 20 C's u4_proj_proc_bad: the procurement 合计 190.00 for 180.00
    "procurement-total": ((PROJECTS, PROCUREMENT.replace("\t\t\t180.00", "\t\t\t190.00")),
                          {("PROC-010", None), ("PROC-011", None)}),
    # a row's kind: 打印设备 printed as 服务 -- 货物 40.00 and 服务 100.00 against the narrative's 60.00 / 80.00
    "procurement-kind": ((PROJECTS, PROCUREMENT.replace("打印设备\t货物", "打印设备\t服务")), {("PROC-013", None)}),
    # one column per kind: a row whose 合计 is not its kinds
    "procurement-row": ((PROJECTS, PROCUREMENT_BY_COLUMN.replace("\t120.00\t40.00", "\t130.00\t40.00")),
                        {("PROC-012", "1"), ("PROC-010", None)}),
    # the project table's 合计 396.00 for 386.00
    "project-total": ((PROJECTS.replace("\t386.00\t270.00", "\t396.00\t270.00"), PROCUREMENT),
                      {("PRJ-010", None), ("PRJ-012", None)}),
    # a project's appropriation 160.00 for 150.00 (the 合计 270.00 kept)
    "project-appropriation": ((PROJECTS.replace("228.00\t150.00", "228.00\t160.00"), PROCUREMENT), {("PRJ-011", None)}),
}


@pytest.mark.parametrize("tables, expected", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_error_in_a_listing_table_is_found(ruleset, tmp_path, tables, expected):
    _, failing = _read(ruleset, tmp_path, *tables)
    assert failing == expected


def test_a_listing_table_with_a_column_not_understood_is_listed_whole(ruleset, tmp_path):
    odd = PROCUREMENT.replace("预算金额", "预算金额\t资金性质").replace("\t40.00\n", "\t40.00\t1.00\n")
    record, failing = _read(ruleset, tmp_path, PROJECTS, odd)
    assert "procurement" not in record["tables"] or "rows" not in record["tables"]["procurement"]
    unread = [u for u in record["_meta"]["unread"] if u["section"] == "政府采购预算表"]
    assert len(unread) == 5         # four rows and the 合计 row, each counted
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["unread"] == 5 and coverage["lines"]["silent"] == 0
    assert not {rule for rule, _ in failing if rule.startswith("PROC-01")}


# A table listing projects by name only (项目名称 | 合计 | 其中：财政拨款), as many units print it.
PROJECTS_BY_NAME = """
项目支出预算表

单位：万元

项目名称\t合计\t其中：财政拨款
国土空间规划编制项目\t72.00\t72.00
自然资源调查监测与保护项目\t266.00\t150.00
高标准农田建设项目\t48.00\t48.00
合计\t386.00\t270.00
"""


@pytest.mark.parametrize("printed, refused", [
    ("高标准农田建设项目\t48.00\t48.00", "高标准农田建设项目\t12..5\t"),    # a project's only amounts
    ("高标准农田建设项目\t48.00\t48.00", "高标准农田建设项目\t—x\t—x"),
    ("合计\t386.00\t270.00", "合计\t38..6\t"),                            # the 合计's
], ids=["12..5", "dash-x", "total"])
def test_a_listing_row_whose_amount_is_refused_is_listed_not_left_out(ruleset, tmp_path, printed, refused):
    # Review 22 A8: a row printing no number the reader takes was neither a row nor listed: left
    # out, its project counted as 0 in 合计 = Σ rows (PRJ-010 / PRJ-011 failed on a correct table),
    # or the 合计 missing with no word of why.  The table is now listed, every line of it counted.
    record, _ = _read(ruleset, tmp_path, PROJECTS_BY_NAME)
    assert len(record["tables"]["projects"]["rows"]) == 3
    record, failing = _read(ruleset, tmp_path, PROJECTS_BY_NAME.replace(printed, refused))
    assert "rows" not in record["tables"].get("projects", {}) and "totals" not in record["tables"].get("projects", {})
    unread = [u for u in record["_meta"]["unread"] if u["section"] == "项目支出预算表"]
    assert len(unread) == 4 and sum(refused.split("\t")[1] in u["reason"] for u in unread) == 1
    assert not {rule for rule, _ in failing if rule.startswith("PRJ-01")}
    [said] = [to_zh(u["reason"]) for u in unread if "no number" in u["reason"]]
    assert said.startswith("未能理解的表格行：") and said.endswith(f"（金额不是数字：{refused.split(chr(9))[1]}）")


# Session 24: a cell printing nothing the ways tables do, or a word of letters that is no amount,
# does not make the table listed (A8 listed the whole table for any Latin-only word under an amount
# column); only a cell that tries to be a number and is none does ("12..5", "—x" above).
NOTHING = {
    "n/a": ("\t38.00\t\n", "\t38.00\tN/A\n"),
    "double-dash": ("\t38.00\t\n", "\t38.00\t——\n"),
    "en-dash": ("\t38.00\t\n", "\t38.00\t–\n"),
    "letters-under-an-amount": ("\t26.00\t26.00\n", "\t26.00\t26.00\n\t\t\tGIS\t\n"),
}


@pytest.mark.parametrize("case", list(NOTHING))
def test_a_cell_printing_nothing_or_letters_keeps_the_listing_read(ruleset, tmp_path, case):
    printed, variant = NOTHING[case]
    assert PROJECTS.count(printed) == 1
    record, failing = _read(ruleset, tmp_path, PROJECTS.replace(printed, variant), PROCUREMENT)
    assert failing == set()
    rows = record["tables"]["projects"]["rows"]
    assert _values(rows, "name", "total", "appropriation")[2] == ("自然资源调查监测与保护项目", "38.00", None)
    assert len(rows) == 5 and not [u for u in record["_meta"]["unread"] if u["section"] == "项目支出预算表"]
