"""Subtotals in the listing tables (review 22 A's A2): a 项目支出预算表 (or 政府采购预算表) printing, as
the national template lets it, each unit's row carrying the unit's sum (its code and name, no project),
or a 小计 row under a unit's projects, has those rows read as the unit's subtotals -- the projects
grouped under their unit, the subtotals listed apart (``tables.<key>.subtotals``) -- never as
projects summed with the projects they sum (PRJ-010 / PRJ-011 / PROC-010 failing falsely).

On the team's fictional example (tests/test_reader_variants.CLEAN) with the projects of
tests/test_reader_listing_tables: 本级 300.00 (财政拨款 222.00), 登记中心 60.00 (22.00), 规划服务中心
26.00 (26.00); 合计 386.00 (270.00).
"""

from __future__ import annotations

import pytest

from columnar_equivalence import CODES, assert_same
from fiscalrules import load_ruleset
from test_reader_listing_tables import ANCHOR, PROCUREMENT, PROJECTS
from test_reader_variants import CLEAN, read_and_audit


def _half(unit: str) -> str:
    return unit.replace("（", "(").replace("）", ")")      # as the reader gives a printed name


HEAD = "\n项目支出预算表\n\n单位：万元\n\n单位编码\t单位名称\t项目名称\t合计\t其中：财政拨款\n"
UNITS = [("118001", "青山县自然资源局（本级）", "300.00", "222.00",
          [("国土空间规划编制项目", "72.00", "72.00"), ("自然资源调查监测与保护项目", "228.00", "150.00")]),
         ("118002", "青山县不动产登记中心", "60.00", "22.00",
          [("自然资源调查监测与保护项目", "38.00", ""), ("高标准农田建设项目", "22.00", "22.00")]),
         ("118003", "青山县国土空间规划服务中心", "26.00", "26.00", [("高标准农田建设项目", "26.00", "26.00")])]
TOTAL = "\t合计\t\t386.00\t270.00\n"
PROJECT_ROWS = [(code, _half(unit), name, total, appr) for code, unit, _, _, projects in UNITS for name, total, appr in projects]


def _layout(kind: str) -> str:
    """The project table of tests/test_reader_listing_tables printed with its units' subtotals."""
    if kind == "code-rows":             # no 单位名称 column: the unit's row prints its name as the project's
        lines = [f"{code}\t{unit}\t{total}\t{appr}\n" + "".join(f"\t{name}\t{t}\t{a}\n" for name, t, a in projects)
                 for code, unit, total, appr, projects in UNITS]
        return HEAD.replace("单位名称\t", "") + TOTAL.replace("\t\t", "\t", 1) + "".join(lines)
    lines = []
    for code, unit, total, appr, projects in UNITS:
        if kind == "unit-rows":         # the unit's row (code, name, its sums) heads its projects
            lines.append(f"{code}\t{unit}\t\t{total}\t{appr}")
            lines += [f"\t\t{name}\t{t}\t{a}" for name, t, a in projects]
            continue
        lines += [f"{code}\t{unit}\t{name}\t{t}\t{a}" for name, t, a in projects]
        if kind == "subtotal-rows":     # a 小计 row under them, in the unit's column
            lines.append(f"\t小计\t\t{total}\t{appr}")
        elif kind == "unit-total-rows":     # the unit's 合计, printed with its code and name
            lines.append(f"{code}\t{unit}\t合计\t{total}\t{appr}")
        else:                           # ... or printed with the unit's code and name, 小计 as the project
            lines.append(f"{code}\t{unit}\t小计\t{total}\t{appr}")
    return HEAD + (TOTAL if kind == "unit-rows" else "") + "\n".join(lines) + "\n" + ("" if kind == "unit-rows" else TOTAL)


# 本级's two items (40.00 + 80.00) under a 小计 row
_SERVICE = "118001\t青山县自然资源局（本级）\tC1204 规划编制服务\t服务\t80.00\n"
PROCUREMENT_SUBTOTAL = PROCUREMENT.replace(_SERVICE, _SERVICE + "\t小计\t\t\t120.00\n")
LAYOUTS = ["unit-rows", "subtotal-rows", "unit-subtotal-rows", "unit-total-rows", "code-rows"]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, *tables: str):
    assert CLEAN.count(ANCHOR) == 1
    return read_and_audit(ruleset, tmp_path, CLEAN.replace(ANCHOR, "\n" + "".join(tables) + ANCHOR, 1), "sub.txt")


def _value(cell):
    return cell["value"] if isinstance(cell, dict) else cell


@pytest.mark.parametrize("layout", LAYOUTS)
def test_unit_subtotals_are_not_read_as_projects(ruleset, tmp_path, layout):
    record, failing, statuses = _read(ruleset, tmp_path, _layout(layout), PROCUREMENT)
    assert failing == set()
    table = record["tables"]["projects"]
    # the projects, each under its unit (the unit-rows layout prints the unit on the unit's row only)
    assert [(r["unit_code"], r["unit"], r["name"], _value(r["total"]), _value(r.get("appropriation", "")))
            for r in table["rows"]] == PROJECT_ROWS
    assert [r["project"] for r in table["rows"]][:2] == ["国土空间规划编制", "自然资源调查监测与保护"]
    # the units' subtotals, listed apart
    assert [(s["unit_code"], s["unit"], _value(s["total"]), _value(s["appropriation"])) for s in table["subtotals"]] == [
        (code, _half(unit), total, appr) for code, unit, total, appr, _ in UNITS]
    assert {rule: statuses[rule] for rule in ("PRJ-010", "PRJ-011", "PRJ-012", "PRJ-014")} == dict.fromkeys(
        ("PRJ-010", "PRJ-011", "PRJ-012", "PRJ-014"), "pass")
    # each unit's subtotal is its projects' sum (PRJ-016)
    assert [f.status for f in ruleset.evaluate(record).findings if f.rule == "PRJ-016"] == ["pass"] * 3
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_project_other_than_its_subtotal_is_still_found(ruleset, tmp_path, layout):
    """The 合计 kept, a project's 228.00 printed 238.00: the projects no longer add up to it."""
    _, failing, _ = _read(ruleset, tmp_path, _layout(layout).replace("\t228.00\t", "\t238.00\t"), PROCUREMENT)
    assert ("PRJ-010", None) in failing


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_subtotal_other_than_its_projects_is_found(ruleset, tmp_path, layout):
    """登记中心's subtotal 60.00 printed 66.00: PRJ-016 names that subtotal, nothing else fails --
    without a 单位名称 column too, where the unit rows are told by the table's figures (the other
    units' rows are their projects' sums; session 24: it was read as a project, PRJ-010/011 failing)."""
    table = _layout(layout)
    assert table.count("\t60.00\t22.00") == 1
    _, failing, _ = _read(ruleset, tmp_path, table.replace("\t60.00\t22.00", "\t66.00\t22.00"), PROCUREMENT)
    assert failing == {("PRJ-016", "2")}


def _code_rows(units, total=TOTAL) -> str:
    """The code-rows layout (no 单位名称 column) of *units*, with the table's 合计 line *total*."""
    return HEAD.replace("单位名称\t", "") + total.replace("\t\t", "\t", 1) + "".join(
        f"{code}\t{unit}\t{t}\t{a}\n" + "".join(f"\t{name}\t{pt}\t{pa}\n" for name, pt, pa in projects)
        for code, unit, t, a, projects in units)


def _misprint(units, code, total):
    return [(c, u, total if c == code else t, a, p) for c, u, t, a, p in units]


# (units, the table's 合计 line, the PRJ findings): the unit rows' figures decide for the table
CODE_ROW_CASES = {
    # two units, one misprinted: no majority of unit rows summing; the 合计 is the projects' sum
    "two-units-one-misprinted": (_misprint(UNITS[:2], "118002", "66.00"), "\t合计\t\t360.00\t244.00\n",
                                 {("PRJ-016", "2")}),
    # one unit, misprinted: the 合计 decides
    "one-unit-misprinted": (_misprint(UNITS[2:], "118003", "28.00"), "\t合计\t\t26.00\t26.00\n", {("PRJ-016", "1")}),
    # two of three misprinted, and no 合计 line to decide: only the unit row that is its rows' sum
    # is one (the others stay rows: no subtotal invented)
    "two-misprinted-no-total": (_misprint(_misprint(UNITS, "118002", "66.00"), "118003", "28.00"), "", set()),
}


@pytest.mark.parametrize("case", list(CODE_ROW_CASES))
def test_a_misprinted_unit_row_without_a_unit_column_is_a_subtotal(ruleset, tmp_path, case):
    units, total, expected = CODE_ROW_CASES[case]
    record, failing, _ = _read(ruleset, tmp_path, _code_rows(units, total), PROCUREMENT)
    # (PRJ-012 … compare the table with the narrative's 项目支出, which these few units do not make)
    assert {f for f in failing if f[0] in ("PRJ-010", "PRJ-011", "PRJ-016")} == expected
    table = record["tables"]["projects"]
    subtotals = [u[0] for u in units] if expected else ["118001"]
    assert [s["unit_code"] for s in table["subtotals"]] == subtotals
    assert len(table["rows"]) == sum(len(u[4]) for u in units) + len(units) - len(subtotals)


def test_a_first_project_printed_with_its_unit_code_stays_a_project(ruleset, tmp_path):
    """No 单位名称 column, the unit code printed once beside its first project (a merged cell): the
    first projects are not their rows' sums and the 合计 is that of all rows -- no subtotal."""
    lines = [f"{code if i == 0 else ''}\t{name}\t{t}\t{a}" for code, _, _, _, projects in UNITS
             for i, (name, t, a) in enumerate(projects)]
    table = HEAD.replace("单位名称\t", "") + TOTAL.replace("\t\t", "\t", 1) + "\n".join(lines) + "\n"
    record, failing, statuses = _read(ruleset, tmp_path, table, PROCUREMENT)
    assert failing == set() and statuses["PRJ-010"] == "pass"
    assert len(record["tables"]["projects"]["rows"]) == 5 and "subtotals" not in record["tables"]["projects"]


def test_a_procurement_subtotal_row_is_not_an_item(ruleset, tmp_path):
    """政府采购预算表 with a 小计 row under 本级's two items (120.00): PROC-010 counts the items only,
    PROC-016 holds the 小计 against them."""
    assert PROCUREMENT.count(_SERVICE) == 1
    table = PROCUREMENT_SUBTOTAL
    record, failing, statuses = _read(ruleset, tmp_path, PROJECTS, table)
    assert failing == set() and statuses["PROC-010"] == statuses["PROC-016"] == "pass"
    procurement = record["tables"]["procurement"]
    assert len(procurement["rows"]) == 4 and procurement["by_kind"] is True
    assert [(s["unit"], _value(s["total"])) for s in procurement["subtotals"]] == [("青山县自然资源局(本级)", "120.00")]
    # the 小计 printed 130.00: PROC-016 names it
    _, failing, _ = _read(ruleset, tmp_path, PROJECTS, table.replace("\t小计\t\t\t120.00", "\t小计\t\t\t130.00"))
    assert failing == {("PROC-016", "1")}


# 登记中心's two projects printed as 30.00 (财政拨款 11.00) each: the same 60.00 (22.00), its first
# project's figures then those of the one after it
EVEN = [(c, u, t, a, [("自然资源调查监测与保护项目", "30.00", "11.00"), ("高标准农田建设项目", "30.00", "11.00")]
         if c == "118002" else projects) for c, u, t, a, projects in UNITS]


@pytest.mark.parametrize("units", [UNITS, EVEN], ids=["uneven", "first-equals-the-rest"])
def test_a_unit_printed_once_beside_its_first_project_is_no_subtotal(ruleset, tmp_path, units):
    """The unit's code and name printed on its first project only (a merged cell): that row is a
    project, even where its figures are those of the rows after it (a table with a 单位名称 column
    prints a unit's own row without a project), and the rows after it stand under its unit."""
    lines = [f"{code if i == 0 else ''}\t{unit if i == 0 else ''}\t{name}\t{t}\t{a}"
             for code, unit, _, _, projects in units for i, (name, t, a) in enumerate(projects)]
    record, failing, statuses = _read(ruleset, tmp_path, HEAD + "\n".join(lines) + "\n" + TOTAL, PROCUREMENT)
    assert failing == set() and statuses["PRJ-010"] == "pass"
    table = record["tables"]["projects"]
    assert [(r["unit_code"], r["unit"], r["name"], _value(r["total"])) for r in table["rows"]] == [
        (code, _half(unit), name, t) for code, unit, _, _, projects in units for name, t, _ in projects]
    assert "subtotals" not in table


def test_the_columnar_engine_decides_as_the_per_record_one(ruleset, tmp_path):
    """The records read from each layout, right and with a subtotal changed, through the columnar
    engine: every rule's status and every finding are the per-record engine's (PRJ-016 columnar)."""
    pytest.importorskip("pyarrow")
    from fiscalrules.columnar import flatten_records

    pairs = [(table, PROCUREMENT) for layout in LAYOUTS
             for table in (_layout(layout), _layout(layout).replace("\t60.00\t22.00", "\t66.00\t22.00"))]
    pairs += [(PROJECTS, PROCUREMENT_SUBTOTAL), (PROJECTS, PROCUREMENT_SUBTOTAL.replace("\t120.00", "\t130.00"))]
    records = []
    for tables in pairs:
        record = _read(ruleset, tmp_path, *tables)[0]
        record["_meta"]["id"] = f"r{len(records)}"
        records.append(record)
    result = assert_same(ruleset, flatten_records(records, ruleset), records, chunk_rows=3)
    assert result.engines["PRJ-016"] == result.engines["PROC-016"] == "columnar"
    assert [CODES[s] for s in result.statuses("PRJ-016")] == ["pass", "fail"] * 5 + ["not_applicable"] * 2
    assert [CODES[s] for s in result.statuses("PROC-016")] == ["not_applicable"] * 10 + ["pass", "fail"]


def test_a_single_total_row_printed_with_the_department_is_the_tables_total(ruleset, tmp_path):
    """One 合计 row, printed with the department's code and name: the table's 合计 (a 合计 is a unit's
    only where the table prints several)."""
    table = _layout("subtotal-rows").replace(TOTAL, "118\t青山县自然资源局\t合计\t386.00\t270.00\n")
    record, failing, statuses = _read(ruleset, tmp_path, table, PROCUREMENT)
    assert failing == set() and statuses["PRJ-010"] == statuses["PRJ-011"] == "pass"
    assert _value(record["tables"]["projects"]["totals"]["total"]) == "386.00"
    assert len(record["tables"]["projects"]["subtotals"]) == 3


def test_a_procurement_row_without_an_item_but_with_its_kind_is_an_item(ruleset, tmp_path):
    """A row printing its unit, its 采购类别 and its amount but no 采购品目 buys something of that
    kind: an item (a unit's subtotal prints no kind), counted in PROC-010 and PROC-013."""
    assert PROCUREMENT.count("A02021000 打印设备\t货物") == 1
    record, failing, statuses = _read(ruleset, tmp_path, PROJECTS, PROCUREMENT.replace("A02021000 打印设备\t货物", "\t货物"))
    assert failing == set() and statuses["PROC-010"] == statuses["PROC-013"] == "pass"
    assert len(record["tables"]["procurement"]["rows"]) == 4 and "subtotals" not in record["tables"]["procurement"]


@pytest.mark.parametrize("layout", LAYOUTS + ["procurement"])
def test_a_pdf_of_the_same_tables_reads_the_same_subtotals(ruleset, tmp_path, layout):
    """Each layout drawn as a PDF (cells at their columns' places, blank cells drawn as nothing):
    the same projects, items and subtotals, 0 不一致 -- the subtotals are told by the table's
    columns, not by the text's tabs."""
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    from fiscalrules.readers import read_disclosure

    tables = (PROJECTS, PROCUREMENT_SUBTOTAL) if layout == "procurement" else (_layout(layout), PROCUREMENT)
    text = CLEAN.replace(ANCHOR, "\n" + "".join(tables) + ANCHOR, 1)
    path = tmp_path / "sub.pdf"
    path.write_bytes(pdfmaker.text_to_pdf(text, tab_stop=120, font_size=8))
    record = read_disclosure(path)
    assert {(f.rule, f.item) for f in ruleset.evaluate(record).findings if f.status == "fail"} == set()
    expected = _read(ruleset, tmp_path, *tables)[0]["tables"]

    def shown(table, part):
        return [(r.get("unit_code"), _half(r.get("unit", "")), r.get("name"), _value(r.get("total"))) for r in table.get(part, [])]
    for key in ("projects", "procurement"):
        for part in ("rows", "subtotals"):
            assert shown(record["tables"][key], part) == shown(expected[key], part), (key, part)
