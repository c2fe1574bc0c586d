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

import unicodedata
from decimal import Decimal

import pytest

from fiscalrules import load_ruleset
from fiscalrules.translations import to_zh
from test_reader_variants import CLEAN, GB_TITLE, read_and_audit

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
    return read_and_audit(ruleset, tmp_path, text, "variant.txt")[:2]


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


# ---- a 部门支出总表 by 科目 printed unit by unit (D9) ------------------------------------------------
# Each unit's row (6-digit code), then its 类/款/项 rows; the department's rows are the sums.

UNIT_GROUPS = {
    "118001\t青山县自然资源局（本级）\t1000.00\t700.00\t300.00": [
        ("208", "社会保障和就业支出", "66.00", "66.00", ""), ("20805", "行政事业单位养老支出", "66.00", "66.00", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "44.00", "44.00", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "22.00", "22.00", ""),
        ("210", "卫生健康支出", "26.00", "26.00", ""), ("21011", "行政事业单位医疗", "26.00", "26.00", ""),
        ("2101101", "行政单位医疗", "26.00", "26.00", ""),
        ("220", "自然资源海洋气象等支出", "860.00", "560.00", "300.00"),
        ("22001", "自然资源事务", "860.00", "560.00", "300.00"), ("2200101", "行政运行", "560.00", "560.00", ""),
        ("2200104", "自然资源规划及管理", "72.00", "", "72.00"),
        ("2200106", "自然资源利用与保护", "228.00", "", "228.00"),
        ("221", "住房保障支出", "48.00", "48.00", ""), ("22102", "住房改革支出", "48.00", "48.00", ""),
        ("2210201", "住房公积金", "48.00", "48.00", "")],
    "118002\t青山县不动产登记中心\t200.00\t140.00\t60.00": [
        ("208", "社会保障和就业支出", "18.00", "18.00", ""), ("20805", "行政事业单位养老支出", "18.00", "18.00", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "12.00", "12.00", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "6.00", "6.00", ""),
        ("210", "卫生健康支出", "7.00", "7.00", ""), ("21011", "行政事业单位医疗", "7.00", "7.00", ""),
        ("2101101", "行政单位医疗", "7.00", "7.00", ""),
        ("213", "农林水支出", "22.00", "", "22.00"), ("21301", "农业农村", "22.00", "", "22.00"),
        ("2130153", "农田建设", "22.00", "", "22.00"),
        ("220", "自然资源海洋气象等支出", "141.00", "103.00", "38.00"),
        ("22001", "自然资源事务", "141.00", "103.00", "38.00"), ("2200101", "行政运行", "103.00", "103.00", ""),
        ("2200106", "自然资源利用与保护", "38.00", "", "38.00"),
        ("221", "住房保障支出", "12.00", "12.00", ""), ("22102", "住房改革支出", "12.00", "12.00", ""),
        ("2210201", "住房公积金", "12.00", "12.00", "")],
    "118003\t青山县国土空间规划服务中心\t86.40\t60.40\t26.00": [
        ("208", "社会保障和就业支出", "12.00", "12.00", ""), ("20805", "行政事业单位养老支出", "12.00", "12.00", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "8.00", "8.00", ""),
        ("2080506", "机关事业单位职业年金缴费支出", "4.00", "4.00", ""),
        ("210", "卫生健康支出", "5.00", "5.00", ""), ("21011", "行政事业单位医疗", "5.00", "5.00", ""),
        ("2101101", "行政单位医疗", "5.00", "5.00", ""),
        ("213", "农林水支出", "26.00", "", "26.00"), ("21301", "农业农村", "26.00", "", "26.00"),
        ("2130153", "农田建设", "26.00", "", "26.00"),
        ("220", "自然资源海洋气象等支出", "35.40", "35.40", ""), ("22001", "自然资源事务", "35.40", "35.40", ""),
        ("2200101", "行政运行", "35.40", "35.40", ""),
        ("221", "住房保障支出", "8.00", "8.00", ""), ("22102", "住房改革支出", "8.00", "8.00", ""),
        ("2210201", "住房公积金", "8.00", "8.00", "")],
}


def _by_unit_groups(groups=UNIT_GROUPS) -> str:
    lines = ["部门支出总表", "", "单位：万元", "", "科目编码\t单位名称（科目名称）\t合计\t基本支出\t项目支出",
             "\t合计\t1286.40\t900.40\t386.00"]
    for unit, rows in groups.items():
        lines.append(unit)
        lines.extend("\t".join(row) for row in rows)
    return "\n".join(lines) + "\n\n"


def _groups_with(unit: str, code: str, row: tuple) -> dict:
    groups = {u: list(rows) for u, rows in UNIT_GROUPS.items()}
    key = next(u for u in groups if u.startswith(unit))
    groups[key] = [row if r[0] == code else r for r in groups[key]]
    return groups


def test_unit_groups_are_read_as_units_and_the_departments_rows(ruleset, tmp_path):
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, _by_unit_groups() + GB_TITLE, 1))
    table = record["tables"]["expenditure"]
    assert [u["code"] for u in table["units"]] == ["118001", "118002", "118003"]
    rows = {r["code"]: r for r in table["rows"]}
    assert "118001" not in rows                        # a unit code is no 科目编码
    assert rows["208"]["total"]["value"] == "96.00"    # 66 + 18 + 12: the department's 208
    assert rows["2200106"]["total"]["value"] == "266.00"
    assert "228.00（118001）" in rows["2200106"]["total"]["source"]["text"]
    assert len(table["unit_rows"]) == sum(len(r) for r in UNIT_GROUPS.values())
    assert not _unread(record, "部门支出总表")
    assert not failing
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


@pytest.mark.parametrize("unit, code, row, expected", [
    # one unit's 项 slipped (48.00 for 38.00): its 款 and the row's own columns disagree in the sum
    ("118002", "2200106", ("2200106", "自然资源利用与保护", "48.00", "", "38.00"),
     {("TBL-001", "22001"), ("TBL-007", "2200106")}),
    # one unit's 类 slipped: the department's 类 rows no longer add up to the 合计
    ("118003", "213", ("213", "农林水支出", "36.00", "", "36.00"), {("TBL-004", None), ("TBL-006", None)}),
], ids=["item-of-a-unit", "class-of-a-unit"])
def test_a_slip_in_one_units_rows_is_found(ruleset, tmp_path, unit, code, row, expected):
    text = CLEAN.replace(GB_TITLE, _by_unit_groups(_groups_with(unit, code, row)) + GB_TITLE, 1)
    _, failing = _read(ruleset, tmp_path, text)
    assert expected <= failing


def test_a_slip_in_a_unit_row_is_found(ruleset, tmp_path):
    groups = {("118002\t青山县不动产登记中心\t210.00\t140.00\t60.00" if u.startswith("118002") else u): rows
              for u, rows in UNIT_GROUPS.items()}
    _, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, _by_unit_groups(groups) + GB_TITLE, 1))
    assert {("TBL-070", "118002"), ("TBL-071", None)} <= failing


def test_a_unit_printing_a_code_twice_with_other_figures_is_listed_not_summed(ruleset, tmp_path):
    groups = {u: list(rows) for u, rows in UNIT_GROUPS.items()}
    key = next(u for u in groups if u.startswith("118002"))
    groups[key].append(("208", "社会保障和就业支出", "19.00", "19.00", ""))
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, _by_unit_groups(groups) + GB_TITLE, 1))
    table = record["tables"]["expenditure"]
    assert "rows" not in table and "unit_rows" not in table
    listed = _unread(record, "部门支出总表")
    assert len(listed) == 3 + sum(len(r) for r in groups.values())
    clash = [u["reason"] for u in listed if "printed twice in unit 118002" in u["reason"]]
    assert len(clash) == 1 and "单位 118002 中编码 208 出现两次且数字不同" in to_zh(clash[0])
    assert not {rule for rule, _ in failing if rule.startswith("TBL-0")}


def test_a_unit_with_figures_but_no_rows_makes_the_table_listed_not_summed(ruleset, tmp_path):
    groups = {u: (rows if not u.startswith("118003") else []) for u, rows in UNIT_GROUPS.items()}
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, _by_unit_groups(groups) + GB_TITLE, 1))
    assert "rows" not in record["tables"]["expenditure"]
    listed = _unread(record, "部门支出总表")
    assert len(listed) == 3 + sum(len(r) for r in groups.values())
    assert any("单位 118003 未列出科目行" in to_zh(u["reason"]) for u in listed)
    assert not {rule for rule, _ in failing if rule.startswith("TBL-0")}


# ---- each unit's own set of tables after the department's (D3) -------------------------------------
# "青山县不动产登记中心单位支出总表" … after the 部门支出总表: the unit's tables, not duplicates.

def _department_by_function() -> str:
    """The department's 部门支出总表 by 科目: each code summed over UNIT_GROUPS."""
    sums: dict = {}
    for rows in UNIT_GROUPS.values():
        for code, name, *figures in rows:
            entry = sums.setdefault(code, [name, Decimal(0), Decimal(0), Decimal(0)])
            for i, figure in enumerate(figures):
                entry[1 + i] += Decimal(figure or 0)
    lines = ["部门支出总表", "", "单位：万元", "", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
             "\t合计\t1286.40\t900.40\t386.00"]
    lines += [f"{code}\t{name}\t" + "\t".join(f"{v:.2f}" if v else "" for v in figures)
              for code, (name, *figures) in sorted(sums.items())]
    return "\n".join(lines) + "\n\n"


def _unit_sets(by_function: bool, slip: str = "", groups: dict = UNIT_GROUPS) -> str:
    """Each unit's own 单位支出总表: its 合计 and its unit row, or (*by_function*) its 科目 rows
    (titled "<unit>支出总表", as counties print them)."""
    out = []
    for unit, rows in groups.items():
        code, name, *figures = unit.split("\t")
        row = unit if not (slip and unit.startswith(slip)) else unit.replace(figures[0], "210.00", 1)
        if by_function:
            out += [f"{name}支出总表", "", "单位：万元", ""]
            out += ["科目编码\t科目名称\t合计\t基本支出\t项目支出", "\t合计\t" + "\t".join(figures)]
            out += ["\t".join(r) for r in rows]
        else:
            out += [f"{name}单位支出总表", "", "单位：万元", ""]
            out += ["单位编码\t单位名称\t合计\t基本支出\t项目支出", "\t合计\t" + "\t".join(figures), row]
        out.append("")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("by_function", [False, True], ids=["unit-rows", "by-function"])
def test_each_units_own_tables_are_the_units_not_duplicates(ruleset, tmp_path, by_function):
    tables = _department_by_function() + _unit_sets(by_function)
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, tables + GB_TITLE, 1))
    expenditure = record["tables"]["expenditure"]
    assert expenditure["title"] == "部门支出总表" and expenditure["totals"]["total"]["value"] == "1286.40"
    assert len(expenditure["rows"]) == len({r[0] for rows in UNIT_GROUPS.values() for r in rows})
    unread = [u for u in record["_meta"]["unread"] if "支出总表" in u["section"]]
    reasons = [to_zh(u["reason"]) for u in unread]
    assert not [r for r in reasons if "重复" in r or "第二次出现" in r]     # no "duplicate" of the department's
    if by_function:   # each unit's 科目 rows and its 合计, read as the unit's (TBL-080…082)
        assert not unread
        assert [unicodedata.normalize("NFKC", u["name"]) for u in expenditure["units"]] \
            == [unicodedata.normalize("NFKC", u.split("\t")[1]) for u in UNIT_GROUPS]
        assert [u["total"]["value"] for u in expenditure["units"]] == ["1000.00", "200.00", "86.40"]
        assert len(expenditure["unit_rows"]) == sum(len(rows) for rows in UNIT_GROUPS.values())
        row = next(r for r in expenditure["unit_rows"] if r["unit"] == "青山县不动产登记中心" and r["item"] == "2200106")
        assert row["total"]["value"] == "38.00"
    else:             # its unit row is read among the department's units (TBL-070…073)
        assert [u["code"] for u in expenditure["units"]] == ["118001", "118002", "118003"]
        assert all(any(name in r for r in reasons) for name in ("青山县不动产登记中心", "青山县国土空间规划服务中心"))
        assert len(unread) == len(UNIT_GROUPS)       # the units' 合计 rows, each the unit's own
    assert not failing
    statuses = {f.rule: f.status for f in ruleset.evaluate(record).findings if f.rule in ("TBL-080", "TBL-081", "TBL-082")}
    assert set(statuses.values()) == ({"pass"} if by_function else {"not_applicable"})


def test_a_slip_in_a_units_own_table_is_found(ruleset, tmp_path):
    tables = _department_by_function() + _unit_sets(False, slip="118002")
    _, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, tables + GB_TITLE, 1))
    assert {("TBL-070", "118002"), ("TBL-071", None)} <= failing


@pytest.mark.parametrize("slip, expected", [
    # a 项 whose 合计 is not its columns: the unit's row and the department's sum of the code
    (("118002", "2200106", ("2200106", "自然资源利用与保护", "48.00", "", "38.00")), {"TBL-080", "TBL-081"}),
    # a 项 whose columns and 合计 move together: the unit's 款/类 and the department's code disagree
    (("118003", "2101101", ("2101101", "行政单位医疗", "6.00", "6.00", "")), {"TBL-081"}),
    # a 类 printed wrong in one unit: that unit's 合计 is not its 类 rows
    (("118001", "221", ("221", "住房保障支出", "58.00", "58.00", "")), {"TBL-081", "TBL-082"}),
], ids=["row-total", "leaf-moved", "unit-class"])
def test_a_slip_in_a_units_own_table_by_function_is_found(ruleset, tmp_path, slip, expected):
    tables = _department_by_function() + _unit_sets(True, groups=_groups_with(*slip))
    _, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, tables + GB_TITLE, 1))
    assert expected <= {rule for rule, _ in failing}
    assert not {rule for rule, _ in failing} - expected - {"TBL-001", "TBL-002", "TBL-003"}


def test_a_unit_table_read_in_part_is_listed_not_summed(ruleset, tmp_path):
    """A row of a unit's own table not understood: every row of that table listed as the unit's."""
    groups = _groups_with("118002", "2200106", ("2200106", "自然资源利用与保护", "38.00 x", "", "38.00"))
    tables = _department_by_function() + _unit_sets(True, groups=groups)
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, tables + GB_TITLE, 1))
    listed = [u for u in record["_meta"]["unread"] if u["section"].endswith("支出总表") and u["section"] != "部门支出总表"]
    assert len(listed) == sum(len(rows) + 1 for rows in UNIT_GROUPS.values())   # every unit's, before and after
    others = sum(len(rows) + 1 for unit, rows in UNIT_GROUPS.items() if not unit.startswith("118002"))
    assert sum("未能完整读取" in to_zh(u["reason"]) for u in listed) == others   # the units before and after it
    expenditure = record["tables"]["expenditure"]
    assert "unit_rows" not in expenditure and "units" not in expenditure
    assert not failing


# ---- a unit printed by its name only opens its group; the other 科目 tables printed unit by unit -------

def _without_unit_codes(text: str) -> str:
    """The unit rows of a table printed unit by unit with the 单位编码 cell blank."""
    return "\n".join("\t" + line.split("\t", 1)[1] if line[:6].isdigit() and len(line.split("\t")[0]) == 6 else line
                     for line in text.split("\n"))


def test_a_unit_named_without_its_code_opens_its_group(ruleset, tmp_path):
    table = _without_unit_codes(_by_unit_groups())
    assert "\n\t青山县不动产登记中心\t200.00" in table
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, table + GB_TITLE, 1))
    expenditure = record["tables"]["expenditure"]
    assert [unicodedata.normalize("NFKC", u["name"]) for u in expenditure["units"]] \
        == [unicodedata.normalize("NFKC", u.split("\t")[1]) for u in UNIT_GROUPS]
    assert not [u for u in expenditure["units"] if "code" in u]
    assert len(expenditure["rows"]) == len({r[0] for rows in UNIT_GROUPS.values() for r in rows})
    assert {r["unit"] for r in expenditure["unit_rows"]} == {u["name"] for u in expenditure["units"]}
    assert not _unread(record, "部门支出总表")
    assert not failing


def test_a_slip_under_a_unit_named_without_its_code_is_found(ruleset, tmp_path):
    groups = _groups_with("118002", "2200106", ("2200106", "自然资源利用与保护", "48.00", "", "38.00"))
    table = _without_unit_codes(_by_unit_groups(groups))
    _, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, table + GB_TITLE, 1))
    assert {"TBL-001", "TBL-007", "TBL-080"} <= {rule for rule, _ in failing}


def test_a_class_name_without_code_is_no_unit(ruleset, tmp_path):
    """A 科目 row that lost its code ("综合医院" ends like a unit's name but is a 项 of the
    classification) does not open a unit's group: the table is listed, as before."""
    table = _by_unit_groups().replace("118001\t青山县自然资源局（本级）", "\t综合医院", 1)
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, table + GB_TITLE, 1))
    assert "rows" not in record["tables"]["expenditure"]
    assert _unread(record, "部门支出总表")
    assert not {rule for rule, _ in failing if rule.startswith("TBL-0")}


# the 一般公共预算支出表 of the example (CLEAN: 1150.00 = 880.00 + 270.00) printed unit by unit:
# 本级 and one 所属单位, each leaf (basic, project) split between them
GB_LEAVES = {
    "118001\t青山县自然资源局（本级）": {"2080505": (50, 0), "2080506": (32, 0), "2101101": (30, 0), "2200101": (600, 0),
                                      "2200104": (0, 72), "2200106": (0, 150), "2210201": (60, 0)},
    "118002\t青山县不动产登记中心": {"2080505": (12, 0), "2101101": (7, 0), "2130153": (0, 48), "2200101": (81, 0),
                                  "2210201": (8, 0)},
}
GB_NAMES = {"208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
            "2080506": "机关事业单位职业年金缴费支出", "210": "卫生健康支出", "21011": "行政事业单位医疗",
            "2101101": "行政单位医疗", "213": "农林水支出", "21301": "农业农村", "2130153": "农田建设",
            "220": "自然资源海洋气象等支出", "22001": "自然资源事务", "2200101": "行政运行", "2200104": "自然资源规划及管理",
            "2200106": "自然资源利用与保护", "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金"}


def _general_budget_by_unit(codes: bool = True, slip: tuple = ()) -> str:
    """The 一般公共预算支出表 as printed unit by unit; *slip* = (unit, code, total, basic) printed wrong."""
    def money(v):
        return f"{v:.2f}" if v else ""
    lines = ["一般公共预算支出表", "", "单位：万元", "", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
             "\t合计\t1150.00\t880.00\t270.00"]
    for unit, leaves in GB_LEAVES.items():
        basic = sum(b for b, _ in leaves.values())
        project = sum(p for _, p in leaves.values())
        code, name = unit.split("\t")
        lines.append(f"{code if codes else ''}\t{name}\t{money(basic + project)}\t{money(basic)}\t{money(project)}")
        for item in sorted({c[:n] for c in leaves for n in (3, 5, 7)}):
            b = sum(v[0] for c, v in leaves.items() if c.startswith(item))
            p = sum(v[1] for c, v in leaves.items() if c.startswith(item))
            total = b + p
            if slip and unit.startswith(slip[0]) and item == slip[1]:
                total, b = slip[2], slip[3]
            lines.append(f"{item}\t{GB_NAMES[item]}\t{money(total)}\t{money(b)}\t{money(p)}")
    return "\n".join(lines) + "\n"


def _replace_general_budget(table: str) -> str:
    start = CLEAN.index(GB_TITLE) + 1
    end = CLEAN.index("\n一般公共预算基本支出表\n", start) + 1
    return CLEAN[:start] + table + "\n" + CLEAN[end:]


@pytest.mark.parametrize("codes", [True, False], ids=["unit-codes", "unit-names"])
def test_the_general_budget_table_printed_unit_by_unit(ruleset, tmp_path, codes):
    record, failing = _read(ruleset, tmp_path, _replace_general_budget(_general_budget_by_unit(codes)))
    table = record["tables"]["general_budget"]
    assert [(u.get("code"), u["total"]["value"]) for u in table["units"]] == [
        ("118001" if codes else None, "994.00"), ("118002" if codes else None, "156.00")]
    rows = {r["code"]: r["total"]["value"] for r in table["rows"]}
    assert (rows["2200101"], rows["22001"], rows["208"]) == ("681.00", "903.00", "94.00")    # the department's
    assert "unit_rows" not in table
    assert not _unread(record, "一般公共预算支出表")
    assert not failing
    statuses = {f.rule: f.status for f in ruleset.evaluate(record).findings if f.rule in ("TBL-083", "TBL-084")}
    assert set(statuses.values()) == {"pass"}


@pytest.mark.parametrize("slip, expected", [
    # a unit's 项 printed 10.00 too high (total and basic): the department's 款 is not its 项 in the sum
    (("118002", "2200101", 91, 91), {"TBL-020"}),
    # a unit's row 166.00 for 156.00
    (("unit", "118002", 166), {"TBL-083", "TBL-084"}),
], ids=["unit-item", "unit-row"])
def test_a_slip_in_the_general_budget_by_unit_is_found(ruleset, tmp_path, slip, expected):
    if slip[0] == "unit":
        text = _general_budget_by_unit().replace("118002\t青山县不动产登记中心\t156.00", "118002\t青山县不动产登记中心\t166.00")
    else:
        text = _general_budget_by_unit(slip=slip)
    _, failing = _read(ruleset, tmp_path, _replace_general_budget(text))
    assert expected <= {rule for rule, _ in failing}


def test_a_long_amount_is_summed_over_the_units_to_the_last_digit(ruleset, tmp_path):
    # Review 22 A6: the department's row was summed in the caller's decimal context (28 digits by
    # default), so 30-digit amounts -- absurd but legal -- were silently rounded.
    long = "1234567890123456789012345678.01"
    groups = _groups_with("118001", "2200106", ("2200106", "自然资源利用与保护", long, "", long))
    record, _ = _read(ruleset, tmp_path, CLEAN.replace(GB_TITLE, _by_unit_groups(groups) + GB_TITLE, 1))
    rows = {r["code"]: r for r in record["tables"]["expenditure"]["rows"]}
    assert rows["2200106"]["total"]["value"] == "1234567890123456789012345716.01"    # + 38.00 (118002)
