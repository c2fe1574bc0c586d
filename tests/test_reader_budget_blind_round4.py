"""Table layouts of budget disclosures written blind (round 4), built here as small fictional
documents and read by the template's structure -- table titles, headers, codes -- never by one
document's names or figures."""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_disclosure


def _at(*cells: tuple[int, str, bool]) -> str:
    """A line of ``pdftotext -layout`` text: each (offset, text, right-aligned) placed at a
    character offset (-layout counts a CJK character one column)."""
    line = ""
    for offset, text, right in cells:
        line = line.ljust(offset - len(text) if right else offset) + text
    return line.rstrip()


def _failing(record) -> set[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return {finding.rule for finding in report.failures}


_HEAD = ["某县某镇人民政府2026年部门预算", "",
         "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", ""]
_ENDS = (52, 69, 86, 101, 118)      # where each figure column of the split-code table ends


def _split_code_row(code: str, name: str, *figures: str) -> str:
    cells = [(5 + 6 * i, piece, False) for i, piece in enumerate(code.split())] + [(23, name, False)]
    return _at(*cells, *((end, f, True) for end, f in zip(_ENDS, figures) if f))


def test_a_split_code_table_whose_name_and_total_cells_are_centred_in_a_three_line_header(tmp_path):
    # The national 一般公共预算支出表 as a township prints it (pdftotext -layout): "科目编码" over
    # 类 | 款 | 项 and "基本支出" over 小计 | 人员经费 | 公用经费 on the first line; 科目名称, 合计
    # and 项目支出 centred in the header's height (its middle line); the lower cells on the last.
    # 科目名称 and 合计 are no part of the 科目编码 group (they were read as code columns, every row
    # not understood and the row's error below not caught).
    lines = _HEAD + [
        "表五", _at((40, "一般公共预算支出表", False)),
        _at((1, "部门（单位）：某县某镇人民政府", False), (110, "单位：元", False)),
        _at((11, "科目编码", False), (80, "基本支出", False)),
        _at((33, "科目名称", False), (48, "合计", False), (112, "项目支出", False)),
        _at((5, "类", False), (11, "款", False), (17, "项", False), (65, "小计", False),
            (80, "人员经费", False), (96, "公用经费", False)),
        _split_code_row("", "合 计", "900,000.00", "600,000.00", "500,000.00", "100,000.00", "300,000.00"),
        _split_code_row("201", "一般公共服务支出", "900,000.00", "600,000.00", "500,000.00", "100,000.00",
                        "300,000.00"),
        _split_code_row("201 03", "政府办公厅（室）及相关机构事务", "900,000.00", "600,000.00", "500,000.00",
                        "100,000.00", "300,000.00"),
        _split_code_row("201 03 01", "行政运行", "600,000.00", "600,000.00", "500,000.00", "100,000.00", ""),
        # 合计 printed 350,000.00 where 基本支出 + 项目支出 is 300,000.00
        _split_code_row("201 03 02", "一般行政管理事务", "350,000.00", "", "", "", "300,000.00"),
    ]
    path = tmp_path / "split_codes.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    table = record["tables"]["general_budget"]
    assert [row["code"] for row in table["rows"]] == ["201", "20103", "2010301", "2010302"]
    assert table["rows"][1]["name"] == "政府办公厅(室)及相关机构事务"
    last = table["rows"][-1]
    assert (last["total"]["value"], last["project"]["value"]) == ("350000.00", "300000.00")
    assert table["totals"]["personnel"]["value"] == "500000.00"
    assert not record["_meta"].get("unread")
    assert "TBL-026" in _failing(record)


def test_the_expenditure_tables_total_row_adds_its_operating_spending_column(tmp_path):
    # The national 支出总表 prints 合计 | 基本支出 | 项目支出 | 事业单位经营支出 | 上缴上级支出 |
    # 对附属单位补助支出: a 事业单位 with 经营支出 prints its 合计 row as the sum of all of them, not
    # of 基本支出 and 项目支出 alone (TBL-008 failed on a consistent table).
    lines = _HEAD + [
        "表3", _at((40, "支出总表", False)),
        _at((0, "单位名称：某研究所", False), (100, "单位：万元", False)),
        _at((2, "科目编码", False), (14, "科目名称", False), (36, "合计", False), (50, "基本支出", False),
            (64, "项目支出", False), (76, "事业单位经营支出", False), (94, "上缴上级支出", False)),
        _at((14, "合计", False), (40, "300.00", True), (56, "200.00", True), (70, "90.00", True), (86, "10.00", True)),
        _at((2, "213", False), (14, "农林水支出", False), (40, "300.00", True), (56, "200.00", True),
            (70, "90.00", True), (86, "10.00", True)),
        _at((2, "21303", False), (14, "水利", False), (40, "300.00", True), (56, "200.00", True),
            (70, "90.00", True), (86, "10.00", True)),
        _at((2, "2130301", False), (14, "行政运行", False), (40, "200.00", True), (56, "200.00", True)),
        _at((2, "2130310", False), (14, "水土保持", False), (40, "90.00", True), (70, "90.00", True)),
        _at((2, "2130399", False), (14, "其他水利支出", False), (40, "10.00", True), (86, "10.00", True)),
    ]
    path = tmp_path / "operating.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    totals = record["tables"]["expenditure"]["totals"]
    assert {k: totals[k]["value"] for k in ("total", "basic", "project", "operating")} == \
        {"total": "300.00", "basic": "200.00", "project": "90.00", "operating": "10.00"}
    assert not {"TBL-007", "TBL-008"} & _failing(record)


def test_a_split_code_fund_table_is_read_by_character_columns_not_display_columns(tmp_path):
    # 政府性基金预算支出表 in pdftotext -layout text: "科目编码" alone on the first header line,
    # 科目名称 | 合计 | 基本支出 | 项目支出 on the second, 类 | 款 | 项 on the third, 基本支出 blank in
    # every row. Read by display columns (a CJK character two wide) the rows' figures drift right
    # with their names' length and 合计 and 基本支出 fell into one column ("合计基本支出": 基本支出),
    # the 合计 column read as 基本支出 and the table's total as 0.
    def fund_row(code: str, name: str, total: str, project: str) -> str:
        cells = [(12 + 8 * i, piece, False) for i, piece in enumerate(code.split())] + [(34, name, False)]
        return _at(*cells, (116, total, True), (160, project, True))

    lines = _HEAD + [
        "表八", _at((70, "政府性基金预算支出表", False)),
        _at((9, "部门（单位）：某县某镇人民政府", False), (150, "单位：元", False)),
        _at((20, "科目编码", False)),
        _at((59, "科目名称", False), (103, "合计", False), (124, "基本支出", False), (143, "项目支出", False)),
        _at((12, "类", False), (21, "款", False), (27, "项", False)),
        fund_row("", "合 计", "1,280,000.00", "1,280,000.00"),
        fund_row("212", "城乡社区支出", "1,250,000.00", "1,250,000.00"),
        fund_row("212 08", "国有土地使用权出让收入安排的支出", "1,250,000.00", "1,250,000.00"),
        fund_row("212 08 03", "城市建设支出", "480,000.00", "480,000.00"),
        fund_row("212 08 99", "其他国有土地使用权出让收入安排的支出", "770,000.00", "770,000.00"),
        fund_row("229", "其他支出", "30,000.00", "30,000.00"),
        fund_row("229 60", "彩票公益金安排的支出", "30,000.00", "30,000.00"),
        fund_row("229 60 02", "用于社会福利的彩票公益金支出", "30,000.00", "30,000.00"),
    ]
    path = tmp_path / "fund.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    table = record["tables"]["gov_fund"]
    assert sorted(table["totals"]) == ["project", "total"]
    assert table["totals"]["total"]["value"] == "1280000.00"
    assert [(row["code"], row["total"]["value"]) for row in table["rows"]][:3] == \
        [("212", "1250000.00"), ("21208", "1250000.00"), ("2120803", "480000.00")]
    assert not any("basic" in row for row in table["rows"])


def test_a_project_table_by_fund_with_the_function_class_code_and_name(tmp_path):
    # 项目支出表 as counties print it: 序号 | 项目名称 | 功能科目编码 | 功能科目名称 | 合计 |
    # 一般公共预算拨款 | 政府性基金预算拨款 | 单位资金 (the fund headers wrapped over two lines). The
    # function class's name is no second code, each fund's column is read under its own key, and
    # 单位资金 (money other than 财政拨款) is the project's 其他资金 -- every row was not understood.
    def project_row(number: str, name: str, code: str, class_name: str, *figures: str) -> str:
        cells = [(1, number, False), (6, name, False), (34, code, False), (45, class_name, False)]
        return _at(*cells, *((end, f, True) for end, f in zip((86, 103, 120, 134), figures) if f))

    lines = _HEAD + [
        "表十", _at((58, "项目支出表", False)),
        _at((0, "部门（单位）：某县某镇人民政府", False), (120, "单位：元", False)),
        _at((89, "一般公共预算", False), (107, "政府性基金", False)),
        _at((0, "序号", False), (14, "项目名称", False), (32, "功能科目编码", False), (55, "功能科目名称", False),
            (78, "合计", False), (125, "单位资金", False)),
        _at((92, "拨款", False), (108, "预算拨款", False)),
        _at((6, "合 计", False), (86, "700,000.00", True), (103, "400,000.00", True), (120, "250,000.00", True),
            (134, "50,000.00", True)),
        project_row("1", "镇村综合事务管理经费", "2010302", "一般行政管理事务", "400,000.00", "400,000.00"),
        project_row("2", "集镇基础设施建设", "2120803", "城市建设支出", "250,000.00", "", "250,000.00"),
        project_row("3", "集镇环境卫生保洁经费", "2120501", "城乡社区环境卫生", "50,000.00", "", "", "50,000.00"),
    ]
    path = tmp_path / "projects.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    table = record["tables"]["projects"]
    rows = [{k: (v["value"] if isinstance(v, dict) else v) for k, v in row.items() if k != "project"}
            for row in table["rows"]]
    assert rows[0] == {"name": "镇村综合事务管理经费", "function_code": "2010302", "function_name": "一般行政管理事务",
                       "total": "400000.00", "general_budget": "400000.00"}
    assert rows[1]["gov_fund"] == "250000.00" and rows[2]["other"] == "50000.00"
    assert {k: v["value"] for k, v in table["totals"].items()} == \
        {"total": "700000.00", "general_budget": "400000.00", "gov_fund": "250000.00", "other": "50000.00"}
    assert not [u for u in record["_meta"].get("unread", []) if u["section"] == "项目支出表"]


def test_a_project_table_of_one_funds_projects_is_not_held_against_all_project_spending(tmp_path):
    # "一般公共预算项目支出预算表" lists the projects 一般公共预算 pays for: its 合计 is no total of
    # 项目支出 (a project of 政府性基金 is not in it), so PRJ-012 / PRJ-013 do not hold it against
    # the narrative's or the 支出总表's 项目支出; its rows still add up to its 合计 (PRJ-010).
    lines = _HEAD + [
        "表3-3", _at((26, "一般公共预算项目支出预算表", False)),
        _at((0, "部门：某县农业农村局", False), (60, "单位：元", False)),
        _at((0, "单位名称", False), (25, "项目名称", False), (60, "金额", False)),
        _at((0, "合计", False), (64, "500,000.00", True)),
        _at((0, "某县农业农村局", False), (25, "耕地地力保护补贴工作经费", False), (64, "300,000.00", True)),
        _at((0, "某县农业技术推广服务中心", False), (25, "重大动物疫病防控", False), (64, "200,000.00", True)),
    ]
    path = tmp_path / "general_budget_projects.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    table = record["tables"]["projects"]
    assert table["fund"] == "一般公共预算"
    assert [row["total"]["value"] for row in table["rows"]] == ["300000.00", "200000.00"]
    record["expenditure"] = {"project": {"value": "600000.00", "unit": "元"}}
    assert not {"PRJ-010", "PRJ-012"} & _failing(record)
