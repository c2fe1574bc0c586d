"""The units' own rows of a 部门项目支出表 whose one name column names both the units and their
projects (round 10's blind 西藏 部门汇总: "单位编码 | 单位名称（项目名称） | 功能科目编码 | 功能科目名称 |
合计 | 一般公共预算拨款 | 事业收入 | 其他收入"): a unit's row (its code, its name, its sums, no 功能科目)
heads its projects (no unit code, a 功能科目编码).  Read as projects, the unit rows counted every
amount twice (PRJ-010 "合计 2651.80，各项目之和 5303.60").  They are told by the table's structure --
a row printing no function code heading rows that print one, whose figures are their sums -- never
by their names: a table without unit rows, and one whose unit rows print their names only (no
code), read as before or better.

Fictional figures, those of tests/test_reader_listing_subtotals (本级 300.00, 登记中心 60.00, 规划服务
中心 26.00; 合计 386.00), printed here by fund.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from test_reader_listing_subtotals import PROCUREMENT, UNITS, _half, _read, _value

# each project's function class (a 项 of 220 自然资源海洋气象等支出)
_FUNCTION = {"国土空间规划编制项目": ("2200106", "自然资源利用与保护"),
             "自然资源调查监测与保护项目": ("2200106", "自然资源利用与保护"),
             "高标准农田建设项目": ("2200199", "其他自然资源事务支出")}
HEADER = "单位编码\t单位名称（项目名称）\t功能科目编码\t功能科目名称\t合计\t一般公共预算拨款\t事业收入\n"


def _funds(total: str, appropriation: str) -> str:
    """合计, 一般公共预算拨款, 事业收入 (what is not 财政拨款): the figures of one row."""
    business = f"{float(total) - float(appropriation or 0):.2f}"
    return f"{total}\t{appropriation}\t{'' if business == '0.00' else business}"


def _table(kind: str, units=UNITS) -> str:
    """The project table printing one name column for units and projects: ``coded`` (the unit's
    row prints its code), ``named`` (no 单位编码 column: the unit's row prints its name only) or
    ``none`` (no unit rows: each project with its unit's code)."""
    header = HEADER if kind != "named" else HEADER.replace("单位编码\t", "")
    lead = "" if kind == "named" else "\t"
    lines = [f"{lead}合计\t\t\t{_funds('386.00', '270.00')}"]
    for code, unit, total, appr, projects in units:
        if kind != "none":
            lines.append(f"{code + chr(9) if kind == 'coded' else ''}{unit}\t\t\t{_funds(total, appr)}")
        for name, t, a in projects:
            function, function_name = _FUNCTION[name]
            lines.append(f"{code if kind == 'none' else ''}{lead}{name}\t{function}\t{function_name}\t{_funds(t, a)}")
    return "\n部门项目支出表\n\n单位：万元\n\n" + header + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


@pytest.mark.parametrize("kind", ["coded", "named"])
def test_a_units_row_in_the_name_column_is_its_subtotal(ruleset, tmp_path, kind):
    record, failing, statuses = _read(ruleset, tmp_path, _table(kind), PROCUREMENT)
    assert failing == set()
    assert statuses["PRJ-010"] == "pass"
    table = record["tables"]["projects"]
    # the projects, each under its unit: by its code where the unit row prints one, else its name
    assert [(r.get("unit_code"), r["unit"], r["name"], r["function_code"], _value(r["total"]))
            for r in table["rows"]] == [
        (code if kind == "coded" else None, _half(unit), name, _FUNCTION[name][0], t)
        for code, unit, _, _, projects in UNITS for name, t, _ in projects]
    assert [(s.get("unit_code"), s["unit"], _value(s["total"]), _value(s["general_budget"]))
            for s in table["subtotals"]] == [
        (code if kind == "coded" else None, _half(unit), total, appr) for code, unit, total, appr, _ in UNITS]
    assert [f.status for f in ruleset.evaluate(record).findings if f.rule == "PRJ-016"] == ["pass"] * 3
    assert not [u for u in record["_meta"].get("unread", []) if "项目支出表" in u["section"]]


@pytest.mark.parametrize("kind", ["coded", "named"])
def test_a_units_row_other_than_its_projects_is_named_by_prj016(ruleset, tmp_path, kind):
    """登记中心's row printed 66.00 (事业收入 44.00): still its subtotal (the others are their
    projects' sums), PRJ-016 names it, the 合计 still the projects' sum."""
    table = _table(kind)
    assert table.count("\t60.00\t22.00\t38.00") == 1
    _, failing, _ = _read(ruleset, tmp_path, table.replace("\t60.00\t22.00\t38.00", "\t66.00\t22.00\t44.00"),
                          PROCUREMENT)
    assert failing == {("PRJ-016", "2")}


def test_a_table_without_unit_rows_keeps_every_project(ruleset, tmp_path):
    record, failing, statuses = _read(ruleset, tmp_path, _table("none"), PROCUREMENT)
    assert failing == set() and statuses["PRJ-010"] == "pass"
    table = record["tables"]["projects"]
    assert len(table["rows"]) == 5 and "subtotals" not in table
    # (each project printed with its unit's code: the code is the unit's)
    assert [r["unit_code"] for r in table["rows"]] == ["118001", "118001", "118002", "118002", "118003"]


def test_a_project_without_a_function_code_is_no_unit(ruleset, tmp_path):
    """A project printing no 功能科目 (its cell blank) among projects printing one, its figures not
    the sum of the rows after it: a project still -- no unit is made of a blank cell alone."""
    table = _table("named").replace("国土空间规划编制项目\t2200106\t自然资源利用与保护", "国土空间规划编制项目\t\t")
    record, failing, statuses = _read(ruleset, tmp_path, table, PROCUREMENT)
    assert failing == set() and statuses["PRJ-010"] == "pass"
    rows = record["tables"]["projects"]["rows"]
    assert [r["name"] for r in rows][:2] == ["国土空间规划编制项目", "自然资源调查监测与保护项目"]
    assert len(record["tables"]["projects"]["subtotals"]) == 3


def _ruled_page(rows: list[list[str]]) -> list:
    """A ruled 部门项目支出表 page (landscape): the header row of :data:`HEADER`, then *rows*, every
    cell ruled, text left in the text columns and figures right-aligned in the amount columns."""
    widths = [60, 200, 80, 120, 80, 100, 80]
    lefts = [40 + sum(widths[:i]) for i in range(len(widths))]
    right = lefts[-1] + widths[-1]
    items = [("text", 40, 30, "表10", 10.0), ("text", 300, 50, "某县某局2026年部门项目支出表", 12.0),
             ("text", 40, 72, "编制部门：某县某局", 9.0), ("text", 660, 72, "单位：万元", 9.0)]
    table = [HEADER.strip("\n").split("\t")] + rows
    for at, cells in enumerate(table):
        top = 90 + 20 * at
        items.append(("hrule", top, 40, right))
        for column, text in enumerate(cells):
            if not text:
                continue
            x = lefts[column] + 4 if column < 4 or at == 0 else lefts[column] + widths[column] - 4 - len(text) * 4.5
            items.append(("text", x, top + 5, text, 9.0))
    bottom = 90 + 20 * len(table)
    items.append(("hrule", bottom, 40, right))
    items += [("vrule", x, 90, bottom) for x in (*lefts, right)]
    return items


def test_a_ruled_pdf_page_reads_its_unit_rows_as_subtotals(tmp_path):
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    from pdfmaker import pdf_bytes
    from fiscalrules.readers import read_disclosure
    rows = [["", "合计", "", "", "386.00", "270.00", "116.00"]]
    for code, unit, total, appr, projects in UNITS:
        rows.append([code, unit, "", "", *_funds(total, appr).split("\t")])
        rows += [["", name, *_FUNCTION[name], *_funds(t, a).split("\t")] for name, t, a in projects]
    cover = [("text", 60, 60, "某县某局2026年部门预算", 14.0),
             ("text", 60, 90, "第一部分 部门概况：主要职能、机构设置。", 9.0)]
    path = tmp_path / "project_units.pdf"
    path.write_bytes(pdf_bytes([cover, _ruled_page(rows)]))
    record = read_disclosure(path)
    table = record["tables"]["projects"]
    assert [(r["unit_code"], r["name"], _value(r["total"])) for r in table["rows"]] == [
        (code, name, t) for code, _, _, _, projects in UNITS for name, t, _ in projects]
    assert [(s["unit_code"], _value(s["total"])) for s in table["subtotals"]] == [
        (code, total) for code, _, total, _, _ in UNITS]
    findings = load_ruleset("budget_disclosure").evaluate(record).findings
    assert {f.rule: f.status for f in findings if f.rule in ("PRJ-010", "PRJ-016")} == {
        "PRJ-010": "pass", "PRJ-016": "pass"}


# -- the 概况's staffing by unit -------------------------------------------------------------------

_FUNDED = "全额拨款事业编制 20 人。"
_GROUP = "编制人数共计 52 人，其中：行政编制 20 人、参照公务\n\n员法管理的事业编制 12 人、全额拨款事业编制 20 人。"


def _staff(text: str):
    from test_reader_variants import CLEAN
    from fiscalrules.readers import read_disclosure
    assert CLEAN.count(_FUNDED) == 1 and CLEAN.count(_GROUP) == 1
    return read_disclosure, CLEAN.replace(_GROUP, text, 1)


def _read_staff(tmp_path, text: str):
    read_disclosure, document = _staff(text)
    path = tmp_path / "staff.txt"
    path.write_text(document, encoding="utf-8")
    record = read_disclosure(path)
    return record, [u["reason"] for u in record["_meta"].get("unread", [])]


def test_the_staff_of_each_unit_in_brackets_is_a_breakdown_not_a_duplicate(tmp_path):
    """"全额拨款事业编制 20 人（青山县不动产登记中心 12 人、青山县国土空间规划服务中心 8 人）": the
    units' counts break the category down; read as the group's total they were "duplicate of
    staff.authorized.total: 12 (kept 52)".  The record has no place for a unit's staffing: listed
    as a breakdown by unit, the group's figures as before."""
    record, reasons = _read_staff(tmp_path, _GROUP.replace(
        _FUNDED, "全额拨款事业编制 20 人（青山县不动产登记中心 12 人、青山县国土空间规划服务中心 8 人）。"))
    authorized = record["staff"]["authorized"]
    assert {k: _value(v) for k, v in authorized.items()} == {
        "total": "52", "administrative": "20", "civil_servant_managed": "12", "fully_funded_institution": "20"}
    assert not [r for r in reasons if r.startswith("duplicate of staff")]
    assert len([r for r in reasons if "breakdown by unit" in r]) == 2


def test_categories_in_brackets_after_a_count_are_still_read(tmp_path):
    record, reasons = _read_staff(tmp_path, _GROUP.replace("，其中：", "（其中：").replace(_FUNDED, _FUNDED[:-1] + "）。"))
    authorized = record["staff"]["authorized"]
    assert {k: _value(v) for k, v in authorized.items()} == {
        "total": "52", "administrative": "20", "civil_servant_managed": "12", "fully_funded_institution": "20"}
    assert not [r for r in reasons if "breakdown by unit" in r or r.startswith("duplicate of staff")]
