"""Tables listed by unit, as departments with subordinate units publish them (review 20 C).

* D2: a 部门收入总表 / 部门支出总表 whose rows are units (单位编码 | 单位名称: the department row,
  本级, each 所属单位) is read as ``tables.<kind>.units`` -- never looked up in the function
  classification -- and checked: each unit's 合计 = its columns, Σ units = 合计, the department
  row = Σ its units.
* D10: the 财政拨款“三公”经费支出表 by unit: its 合计 row = Σ the unit rows (a department row over
  them counted once), the department row = Σ its units.

Fictional figures on the team's example (tests/test_reader_variants.CLEAN); each clean variant
reads every row with 0 不一致, each planted slip is found.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure
from test_reader_variants import CLEAN, GB_TITLE

DEPARTMENT = "118\t青山县自然资源局\t"
EXPENDITURE_BY_UNIT = (
    "部门支出总表\n\n单位：万元\n\n单位编码\t单位名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t1286.40\t900.40\t386.00\n"
    f"{DEPARTMENT}1286.40\t900.40\t386.00\n"
    "118001\t青山县自然资源局（本级）\t1000.00\t700.00\t300.00\n"
    "118002\t青山县不动产登记中心\t200.00\t140.00\t60.00\n"
    "118003\t青山县国土空间规划服务中心\t86.40\t60.40\t26.00\n\n")
INCOME_BY_UNIT = (
    "部门收入总表\n\n单位：万元\n\n单位编码\t单位名称\t合计\t财政拨款\t事业收入\t其他收入\t上年结转\n"
    "\t合计\t1286.40\t1150.00\t80.00\t16.40\t40.00\n"
    f"{DEPARTMENT}1286.40\t1150.00\t80.00\t16.40\t40.00\n"
    "118001\t青山县自然资源局（本级）\t1000.00\t960.00\t\t10.00\t30.00\n"
    "118002\t青山县不动产登记中心\t200.00\t110.00\t80.00\t4.40\t5.60\n"
    "118003\t青山县国土空间规划服务中心\t86.40\t80.00\t\t2.00\t4.40\n\n")
THREE_PUBLIC_ROW = "118001\t青山县自然资源局\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00\n"
THREE_PUBLIC_BY_UNIT = (
    "\t合计\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00\n"
    "118\t青山县自然资源局\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00\n"
    "118001\t青山县自然资源局（本级）\t8.00\t0.00\t3.00\t5.00\t5.00\t0.00\n"
    "118002\t青山县不动产登记中心\t1.00\t0.00\t1.00\t0.00\t0.00\t0.00\n"
    "118003\t青山县国土空间规划服务中心\t1.50\t0.00\t0.50\t1.00\t1.00\t0.00\n")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, text: str):
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    failing = {(f.rule, f.item) for f in ruleset.evaluate(record).findings if f.status == "fail"}
    return record, failing


def _with_unit_tables(income: str = INCOME_BY_UNIT, expenditure: str = EXPENDITURE_BY_UNIT,
                      parent: bool = True) -> str:
    tables = income + expenditure
    if not parent:
        tables = "\n".join(line for line in tables.split("\n") if not line.startswith(DEPARTMENT))
    assert GB_TITLE in CLEAN
    return CLEAN.replace(GB_TITLE, tables + GB_TITLE, 1)


def _unread(record, section):
    return [u for u in record["_meta"]["unread"] if u["section"] == section]


@pytest.mark.parametrize("parent", [True, False], ids=["department-row", "units-only"])
def test_unit_tables_are_read_as_units_and_add_up(ruleset, tmp_path, parent):
    record, failing = _read(ruleset, tmp_path, _with_unit_tables(parent=parent))
    for kind, title in (("income", "部门收入总表"), ("expenditure", "部门支出总表")):
        table = record["tables"][kind]
        codes = [u["code"] for u in table["units"]]
        assert codes == (["118"] if parent else []) + ["118001", "118002", "118003"]
        assert "rows" not in table          # unit codes are no 科目编码: TBL-004 … do not sum them
        assert table["totals"]["total"]["value"] == "1286.40"
        assert not _unread(record, title)
    unit = next(u for u in record["tables"]["income"]["units"] if u["code"] == "118002")
    assert unit["business"]["value"] == "80.00"
    assert not failing
    # a table by unit prints no 科目 rows: the 类-sum rules do not apply (not "lacking tables.*.rows")
    statuses = {f.rule: f.status for f in ruleset.evaluate(record).findings
                if f.rule in ("TBL-004", "TBL-005", "TBL-006", "TBL-063")}
    assert set(statuses.values()) == {"not_applicable"}, statuses


@pytest.mark.parametrize("kind, wrong, right, expected", [
    ("expenditure", "200.00\t140.00\t60.00", "210.00\t140.00\t60.00", {("TBL-070", "118002"), ("TBL-071", None)}),
    ("expenditure", "1000.00\t700.00\t300.00", "1000.00\t710.00\t290.00", {("TBL-072", None), ("TBL-073", None)}),
    ("income", "200.00\t110.00\t80.00", "210.00\t110.00\t80.00", {("TBL-075", "118002"), ("TBL-076", None)}),
    ("income", "86.40\t80.00\t\t2.00", "86.40\t70.00\t\t12.00", {("TBL-077", None)}),
], ids=["unit-total", "unit-columns", "income-unit-total", "income-appropriation"])
def test_a_planted_unit_slip_is_found(ruleset, tmp_path, kind, wrong, right, expected):
    income, expenditure = INCOME_BY_UNIT, EXPENDITURE_BY_UNIT
    if kind == "income":
        assert wrong in income
        income = income.replace(wrong, right, 1)
    else:
        assert wrong in expenditure
        expenditure = expenditure.replace(wrong, right, 1)
    _, failing = _read(ruleset, tmp_path, _with_unit_tables(income, expenditure))
    assert expected <= failing


def test_a_department_row_that_is_not_the_sum_of_its_units(ruleset, tmp_path):
    expenditure = EXPENDITURE_BY_UNIT.replace(f"{DEPARTMENT}1286.40\t900.40\t386.00",
                                              f"{DEPARTMENT}1296.40\t910.40\t386.00", 1)
    _, failing = _read(ruleset, tmp_path, _with_unit_tables(expenditure=expenditure))
    assert ("TBL-074", "118") in failing
    assert not {rule for rule, _ in failing} & {"TBL-070", "TBL-071", "TBL-072", "TBL-073"}


# ---- the "三公" table by unit (D10) ---------------------------------------------------------------

@pytest.mark.parametrize("parent", [True, False], ids=["department-row", "units-only"])
def test_three_public_units_add_up_to_the_total(ruleset, tmp_path, parent):
    rows = THREE_PUBLIC_BY_UNIT if parent else "\n".join(
        line for line in THREE_PUBLIC_BY_UNIT.split("\n") if not line.startswith(DEPARTMENT))
    assert THREE_PUBLIC_ROW in CLEAN
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(THREE_PUBLIC_ROW, rows, 1))
    table = record["tables"]["three_public"]
    assert [r["unit_code"] for r in table["rows"]][-3:] == ["118001", "118002", "118003"]
    assert not _unread(record, "财政拨款“三公”经费支出表")
    assert not failing


@pytest.mark.parametrize("parent", [True, False], ids=["department-row", "units-only"])
def test_three_public_unit_slip_is_found(ruleset, tmp_path, parent):
    rows = THREE_PUBLIC_BY_UNIT.replace("118002\t青山县不动产登记中心\t1.00\t0.00\t1.00",
                                        "118002\t青山县不动产登记中心\t2.00\t0.00\t2.00", 1)
    if not parent:
        rows = "\n".join(line for line in rows.split("\n") if not line.startswith(DEPARTMENT))
    _, failing = _read(ruleset, tmp_path, CLEAN.replace(THREE_PUBLIC_ROW, rows, 1))
    expected = {("TPF-013", None), ("TPF-014", None)} | ({("TPF-015", "118")} if parent else set())
    assert expected <= failing

