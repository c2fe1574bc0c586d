"""Tables whose rows are units (单位编码 | 单位名称), and a department printed with its units.

* A header wrapped over several lines whose middle line opens with "单位名称" (the 单位编码 cell
  centred across the lines above and below it) is the table's header, not a line about the table
  ("单位名称：…局"): the rows are read as units and their columns by the header's names.
* A PDF may set the thin "一" of a header cell wrapped "一" / "般公共预算…" on the line below,
  after "般公共" (its box is a few points high): the cell still names the 一般公共预算 column.
* Every column of a department row is the sum of its units' (TBL-086), every column of the 合计
  row the sum of the units (TBL-087), and so for the expenditure table's basic / project (TBL-088).
* A file holding a department's 部门预算 and then its units' 单位预算: each unit's record is handed
  its row of the department's tables by unit (``department.income`` / ``department.expenditure``),
  and its own totals are checked against it (CON-001 / CON-002).

Fictional figures; the department texts are the team's example (tests/test_reader_variants.CLEAN).
"""

from __future__ import annotations

import pytest

from fiscalrules import load_record, load_ruleset
from fiscalrules.readers import read_documents
from fiscalrules.readers.common.columns import column_key
from fiscalrules.readers.consolidation import hand_department_rows
from test_reader_variants import CLEAN, GB_TITLE, read_and_audit

WIDTHS = (9, 24, 12, 20, 20, 12, 12)     # (display columns: a CJK character takes two)


def _row(*cells: str) -> str:
    """A line of a table aligned by display columns: the code and the name left-aligned, figures
    (and their headers' pieces) right-aligned under each other."""
    out = ""
    for at, (cell, width) in enumerate(zip(cells, WIDTHS)):
        pad = " " * (width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell))
        out += cell + pad if at < 2 else pad + cell
    return out.rstrip()


DEPARTMENT_ROW = ("118", "青山县自然资源局", "1286.40", "1150.00", "40.00", "80.00", "16.40")
TOTAL_ROW = ("", "合计", *DEPARTMENT_ROW[2:])
# (the 单位编码 cell wrapped, "单位" / "编码", above and below the line that names the other columns)
HEADER = [("单位",), ("", "单位名称", "合计", "一般公共预算拨款", "政府性基金预算拨款", "事业收入", "其他收入"), ("编码",)]
UNIT_ROWS = [("118001", "青山县自然资源局机关", "1000.00", "950.00", "40.00", "", "10.00"),
             ("118002", "青山县不动产登记中心", "286.40", "200.00", "", "80.00", "6.40")]


def _income_by_unit(total=TOTAL_ROW, department=DEPARTMENT_ROW) -> str:
    lines = ["部门收入总表", "", "编制单位：青山县自然资源局" + " " * 40 + "单位：万元"]
    lines += [_row(*cells) for cells in [*HEADER, total, department, *UNIT_ROWS]]
    return "\n".join(lines) + "\n\n"


UNITS = [
    {"code": "118", "name": "青山县自然资源局", "total": "1286.40"},
    {"code": "118001", "name": "青山县自然资源局机关", "total": "1000.00"},
    {"code": "118002", "name": "青山县不动产登记中心", "total": "286.40"},
]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _statuses(ruleset, data: dict, *rules: str) -> dict:
    return {f.rule: f.status for f in ruleset.evaluate(load_record(data)).findings if f.rule in rules}


# ---- the header of a table by unit, wrapped over lines -------------------------------------------

def test_a_header_line_opening_with_the_unit_name_column_is_read(ruleset, tmp_path):
    text = CLEAN.replace(GB_TITLE, "\n" + _income_by_unit() + GB_TITLE, 1)
    record, failing, _ = read_and_audit(ruleset, tmp_path, text)
    units = record["tables"]["income"]["units"]
    assert [u["code"] for u in units] == ["118", "118001", "118002"]
    by_code = {u["code"]: u for u in units}
    assert by_code["118002"]["general_budget"]["value"] == "200.00"
    assert by_code["118002"]["business"]["value"] == "80.00"
    assert by_code["118001"]["gov_fund"]["value"] == "40.00"
    assert not [u for u in record["_meta"]["unread"] if u["section"] == "部门收入总表"]
    assert not {rule for rule, _ in failing} & {"TBL-075", "TBL-076", "TBL-078", "TBL-079", "TBL-086", "TBL-087"}


def test_a_slip_in_a_department_rows_column_is_found(ruleset, tmp_path):
    wrong = _income_by_unit(department=(*DEPARTMENT_ROW[:3], "1140.00", "40.00", "90.00", "16.40"))
    record, failing, _ = read_and_audit(ruleset, tmp_path, CLEAN.replace(GB_TITLE, "\n" + wrong + GB_TITLE, 1))
    assert ("TBL-086", "118") in failing
    assert ("TBL-078", "118") not in failing      # (its total still adds up)


def test_a_slip_in_the_total_rows_column_is_found(ruleset, tmp_path):
    wrong = _income_by_unit(total=(*TOTAL_ROW[:5], "70.00", "26.40"))
    _, failing, _ = read_and_audit(ruleset, tmp_path, CLEAN.replace(GB_TITLE, "\n" + wrong + GB_TITLE, 1))
    assert ("TBL-087", None) in failing
    assert ("TBL-076", None) not in failing


@pytest.mark.parametrize("leaf, path", [
    ("般公共一预算拨款收入", "本年收入/般公共一预算拨款收入"),      # ("一" set after "般公共")
    ("般公共预算拨款", "般公共预算拨款"),                          # (or lost between the lines)
    ("一般公共预算拨款收入", "本年收入/一般公共预算拨款收入"),
])
def test_the_general_budget_column_whose_first_stroke_moved(leaf, path):
    assert column_key(leaf, path, 3) == "general_budget"


@pytest.mark.parametrize("data, status", [
    ({"tables": {"expenditure": {"units": [{"code": "118", "total": 800, "basic": 500, "project": 300},
                                           {"code": "118001", "total": 800, "basic": 500, "project": 300}]}}}, "pass"),
    ({"tables": {"expenditure": {"units": [{"code": "118", "total": 800, "basic": 500, "project": 300},
                                           {"code": "118001", "total": 800, "basic": 450, "project": 350}]}}}, "fail"),
])
def test_a_department_rows_basic_and_project_are_its_units(ruleset, data, status):
    assert _statuses(ruleset, data, "TBL-088") == {"TBL-088": status}


# ---- a department's units read from the same file --------------------------------------------------

def _unit_record(code: str | None, publisher: str, total: str) -> dict:
    data: dict = {"doc": {"publisher": publisher}, "income": {"total": total}}
    if code is not None:
        data["tables"] = {"income": {"units": [{"code": code, "name": publisher, "total": total}]}}
    return data


def test_each_unit_is_handed_its_row_of_the_departments_table():
    department = {"_meta": {"id": "bureau#1"}, "tables": {"income": {"units": [dict(u) for u in UNITS]}}}
    by_code = _unit_record("118001", "机关", "1000.00")                   # (its name printed otherwise)
    by_name = _unit_record(None, "青山县不动产登记中心", "286.40")          # (no table by unit of its own)
    stranger = _unit_record(None, "白河县林业局", "50.00")
    hand_department_rows([department, by_code, None, by_name, stranger])
    assert by_code["department"]["record"] == "bureau#1"
    assert by_code["department"]["income"]["total"] == "1000.00"
    assert by_name["department"]["income"]["code"] == "118002"
    assert "department" not in stranger and "department" not in department
    # a department row (a code its units extend) is no unit's row, whatever its name
    head = _unit_record(None, "青山县自然资源局", "1286.40")
    hand_department_rows([department, head])
    assert "department" not in head


def test_a_unit_printed_before_any_department_is_handed_nothing():
    unit = _unit_record("118001", "青山县自然资源局机关", "1000.00")
    department = {"tables": {"income": {"units": [dict(u) for u in UNITS]}}}
    hand_department_rows([unit, department])
    assert "department" not in unit


@pytest.mark.parametrize("own, status", [("286.40", "pass"), ("268.40", "fail"), (None, "not_evaluable")])
def test_a_units_total_is_its_row_of_the_departments_table(ruleset, own, status):
    data: dict = {"department": {"record": "bureau#1", "income": {"code": "118002", "total": "286.40"},
                                 "expenditure": {"code": "118002", "total": "286.40"}}}
    if own is not None:
        data["income"] = {"total": own}
        data["expenditure"] = {"total": own}
    assert _statuses(ruleset, data, "CON-001", "CON-002") == {"CON-001": status, "CON-002": status}
    assert _statuses(ruleset, {"income": {"total": "1"}}, "CON-001") == {"CON-001": "not_applicable"}


def test_a_file_of_a_department_and_its_unit_is_read_into_records_that_meet(ruleset, tmp_path):
    department = CLEAN.replace(GB_TITLE, "\n" + _income_by_unit() + GB_TITLE, 1)
    unit = CLEAN.replace("青山县自然资源局", "青山县不动产登记中心").replace("2025 年部门预算", "2025 年单位预算", 1)
    path = tmp_path / "department_and_units.txt"
    path.write_text(department + "\n\n" + unit, encoding="utf-8")
    records = read_documents(path)
    assert len(records) == 2
    held = records[1]["department"]
    assert held["record"] == records[0]["_meta"]["id"]
    assert held["income"]["code"] == "118002"
    assert held["income"]["total"]["source"]["section"] == "部门收入总表"
    # (the unit's copy of the example keeps the department's narrative: 1,286.40, not its 286.40)
    findings = [f for f in ruleset.evaluate(load_record(records[1])).findings if f.rule == "CON-001"]
    assert [f.status for f in findings] == ["fail"]
    assert "department" not in records[0]
