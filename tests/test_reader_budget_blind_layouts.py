"""Table layouts of regions the reader had not seen, as documents written blind in their styles print
them (session bud51).  Each text is the smallest fictional table showing one layout; each test
says what was misread before.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document


def _read(text: str) -> dict:
    return read_document(text.encode("utf-8"), name="x.txt")


def _fails(record: dict) -> list[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return [f"{f.rule} {f.message}" for f in report.findings if f.status == "fail"]


def _value(cell) -> str | None:
    return cell.get("value") if isinstance(cell, dict) else None


# 部门支出总表 with 基本支出 printed as its two parts only (人员经费 | 公用经费 under the group's
# title, no 小计 of its own), a 款 row showing only its two digits, as Guangdong prints it; and
# tables 5 and 6 titled by the fund's 拨款 ("一般公共预算拨款支出表", "…拨款基本支出表").
_BASIC_IN_PARTS = """附表3
                              部门支出总表
单位：万元
科目编码  科目名称                合计   基本支出             项目支出
                                         人员经费  公用经费
          合计                  130.00     60.00     20.00     50.00
213       农林水支出            130.00     60.00     20.00     50.00
03        水利                  130.00     60.00     20.00     50.00
2130301   行政运行               80.00     60.00     20.00
2130314   防汛                   50.00                         50.00

附表5
                          一般公共预算拨款支出表
单位：万元
科目编码  科目名称               合计   基本支出   项目支出
          合计                 130.00     80.00     50.00
213       农林水支出           130.00     80.00     50.00

附表6
                        一般公共预算拨款基本支出表
单位：万元
科目编码  科目名称             合计   人员经费  公用经费
          合计                 80.00     60.00     20.00
301       工资福利支出         60.00     60.00
302       商品和服务支出       20.00               20.00
"""


def test_basic_spending_printed_as_its_two_parts_is_their_sum():
    record = _read(_BASIC_IN_PARTS)
    table = record["tables"]["expenditure"]
    assert _value(table["totals"]["basic"]) == "80.00"
    by_code = {row["code"]: row for row in table["rows"]}
    assert _value(by_code["21303"]["basic"]) == "80.00"
    assert _value(by_code["2130301"]["basic"]) == "80.00"
    assert "basic" not in by_code["2130314"]            # (no part printed: no basic spending)
    assert _value(by_code["2130301"]["personnel"]) == "60.00"   # the parts stay as printed
    # before: no basic on any row -- every row with basic spending failed TBL-007 (合计 against
    # 项目支出 alone)
    assert not [f for f in _fails(record) if f.startswith(("TBL-007", "TBL-008"))]


def test_tables_five_and_six_titled_by_the_funds_appropriation_are_read():
    record = _read(_BASIC_IN_PARTS)
    assert _value(record["tables"]["general_budget"]["totals"]["total"]) == "130.00"
    assert _value(record["tables"]["general_budget_basic"]["totals"]["personnel"]) == "60.00"
    # before: both listed as tables under a title the reader does not know (QUA-010 [5] / [6])
    assert not [u for u in record["_meta"]["unread"] if "does not know" in u["reason"]]


# 基本支出 printed left-aligned over its first part (人员经费 under its very letters, 公用经费 as
# near 项目支出 as it, as Beijing prints its 一般公共预算财政拨款支出表): the two lines' words over
# one column were joined as one header cell wrapped over two lines ("基本支出人员经费"), read as
# 基本支出 -- the 人员经费 column taken for all basic spending, the 公用经费 column left out of it.
_TITLE_OVER_FIRST_PART = """表6
一般公共预算财政拨款支出表
                                                                      单位：万元
科目编码   科目名称                                    合计   基本支出              项目支出
                                                              人员经费   公用经费
           合计                                    5,471.23   1,643.32     407.74   3,420.17
224        灾害防治及应急管理支出                  5,471.23   1,643.32     407.74   3,420.17
22401        应急管理事务                          5,471.23   1,643.32     407.74   3,420.17
2240101        行政运行                            2,051.06   1,643.32     407.74
2240108        应急救援                            3,420.17                         3,420.17
"""


def test_basic_spending_title_left_aligned_over_its_first_part_is_no_wrapped_cell():
    record = _read(_TITLE_OVER_FIRST_PART)
    table = record["tables"]["general_budget"]
    assert _value(table["totals"]["personnel"]) == "1643.32"
    assert _value(table["totals"]["basic"]) == "2051.06"    # (before: 1643.32, the 人员经费 column)
    by_code = {row["code"]: row for row in table["rows"]}
    assert _value(by_code["2240101"]["basic"]) == "2051.06"
    assert not [f for f in _fails(record) if f.startswith(("TBL-026", "TBL-027"))]


# Tab-separated tables numbered on a line of their own above each title ("表三", "表四", as Zhejiang
# prints them; blank cells kept as empty fields): the next table's number was the last line of the
# table above, a row not understood there -- and the whole table listed, never read.
_TAB = "\t"
_NUMBERED_TAB_TABLES = "\n".join([
    "表三",
    "单位支出总表",
    "单位：万元",
    _TAB.join(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]),
    _TAB.join(["", "合计", "150.00", "100.00", "50.00"]),
    _TAB.join(["212", "城乡社区支出", "150.00", "100.00", "50.00"]),
    _TAB.join(["21201", "城乡社区管理事务", "150.00", "100.00", "50.00"]),
    _TAB.join(["2120101", "行政运行", "100.00", "100.00"]),
    _TAB.join(["2120104", "城管执法", "50.00", "", "50.00"]),
    "",
    "表四",
    "一般公共预算支出表",
    "单位：万元",
    _TAB.join(["科目编码", "科目名称", "合计", "基本支出", "", "项目支出"]),
    _TAB.join(["", "", "", "人员经费", "公用经费"]),
    _TAB.join(["", "合计", "150.00", "80.00", "20.00", "50.00"]),
    _TAB.join(["212", "城乡社区支出", "150.00", "80.00", "20.00", "50.00"]),
    "",
    "表五",
    "政府性基金预算支出表",
    "单位：万元",
    _TAB.join(["科目编码", "科目名称", "合计", "基本支出", "项目支出"]),
    _TAB.join(["", "合计", "0.00", "", ""]),
    ""])


def test_a_tables_number_on_the_line_above_the_next_title_is_no_row_of_the_table_above():
    record = _read(_NUMBERED_TAB_TABLES)
    expenditure = record["tables"]["expenditure"]
    assert [row["code"] for row in expenditure["rows"]] == ["212", "21201", "2120101", "2120104"]
    assert _value(expenditure["rows"][3]["project"]) == "50.00"
    general_budget = record["tables"]["general_budget"]
    assert _value(general_budget["rows"][0]["basic"]) == "100.00"    # (人员经费 + 公用经费)
    assert record["_meta"]["unread"] == []


# The 收支总表's income side listing an income's parts under it: "其中：事业收入" and the next
# line's part indented under it (Zhejiang's 单位资金收入). Both were read as income sources of
# their own, beside the 单位资金收入 they make up: the sum of the sources counted them twice
# (a false TSU-004: 本年收入合计 against more than its rows).
_PARTS_UNDER_AN_INCOME = "\n".join([
    "2026年单位预算：收入预算、支出预算",    # (a budget's key phrases: a table alone is no disclosure)
    "表一",
    "单位收支总表",
    "单位：万元",
    _TAB.join(["收入", "", "支出"]),
    _TAB.join(["项目", "预算数", "项目", "预算数"]),
    _TAB.join(["一、一般公共预算拨款收入", "100.00", "一、城乡社区支出", "140.00"]),
    _TAB.join(["二、单位资金收入", "30.00"]),
    _TAB.join(["  其中：事业收入", "10.00"]),
    _TAB.join(["        其他收入", "20.00"]),
    _TAB.join(["本年收入合计", "130.00", "本年支出合计", "140.00"]),
    _TAB.join(["上年结转结余", "10.00", "年终结转结余"]),
    _TAB.join(["收入总计", "140.00", "支出总计", "140.00"]),
    ""])


def test_an_incomes_parts_listed_under_it_are_no_sources_of_their_own():
    record = _read(_PARTS_UNDER_AN_INCOME)
    levels = {row["name"]: row["level"] for row in record["tables"]["summary"]["income"]["rows"]}
    assert levels["二、单位资金收入"] == 1
    assert levels["其中:事业收入"] == 2 and levels["其他收入"] == 2
    assert levels["上年结转结余"] == 1
    assert not [f for f in _fails(record) if f.startswith("TSU-004")]


# The basic-expenditure table titled with its classification in brackets after 表, codes printed in
# separate 类 / 款 columns, amounts in 元 ("一般公共预算基本支出预算表（部门经济分类科目）", as
# Sichuan's counties print it): the qualifier put the title's end too far from the line's, and the
# table was not found (QUA-010 [6]).  A 财政拨款 table qualified so ("财政拨款支出预算表（部门经济
# 分类科目）") is by economic class, no 一般公共预算支出表 (which is by function): not taken for it.
_BASIC_TITLE_QUALIFIED = """2025年部门预算：收入预算、支出预算、基本支出
表2-1
                          财政拨款支出预算表（部门经济分类科目）
部门：某县农业农村局                                                    单位：元
科目编码      科目名称                               合计       基本支出                    项目支出
类        款                                                    人员经费      公用经费
              合计                             150,000.00     100,000.00     20,000.00     30,000.00
301           工资福利支出                     100,000.00     100,000.00
301       01  基本工资                         100,000.00     100,000.00
302           商品和服务支出                    50,000.00                    20,000.00     30,000.00
302       01  办公费                            50,000.00                    20,000.00     30,000.00

表3-1
                    一般公共预算基本支出预算表（部门经济分类科目）
部门：某县农业农村局                                              单位：元
科目编码      科目名称                               合计       人员经费      公用经费
类        款
              合计                             120,000.00     100,000.00     20,000.00
301           工资福利支出                     100,000.00     100,000.00
301       01  基本工资                         100,000.00     100,000.00
302           商品和服务支出                    20,000.00                    20,000.00
302       01  办公费                            20,000.00                    20,000.00
"""


def test_the_basic_expenditure_table_titled_with_its_classification_in_brackets_is_found():
    record = _read(_BASIC_TITLE_QUALIFIED)
    basic = record["tables"]["general_budget_basic"]
    assert _value(basic["totals"]["total"]) == "120000.00"
    assert [row["code"] for row in basic["rows"]] == ["301", "30101", "302", "30201"]
    assert "general_budget" not in record["tables"]       # (表2-1 is by economic class)
    assert not [f for f in _fails(record) if f.startswith("QUA-010 6")]


# The "三公" table with its items as columns (the national layout) printed one row per year, each
# named by it: "上年预算数 / 本年预算数 / 增减额" (Zhejiang, tab-separated) or "2025年预算数 /
# 2026年预算数" (Beijing, aligned in columns).  No row was understood: the table was not read --
# a slip in its 合计 went uncaught, and "2025年预算数" was taken for a year mentioned in the text.
_THREE_PUBLIC_BY_YEAR_TABBED = "\n".join([
    "2026年单位预算：收入预算、支出预算",    # (a budget's key phrases: a table alone is no disclosure)
    "表七",
    "一般公共预算“三公”经费支出表",
    "单位：万元",
    _TAB.join(["项目", "合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费"]),
    _TAB.join(["", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费"]),
    _TAB.join(["上年预算数", "39.92", "0.00", "5.20", "34.72", "18.00", "16.72"]),
    _TAB.join(["本年预算数", "22.08", "0.00", "5.20", "17.60", "0.00", "17.60"]),
    _TAB.join(["增减额", "-17.12", "0.00", "0.00", "-17.12", "-18.00", "0.88"]),
    ""])

_THREE_PUBLIC_BY_YEAR_ALIGNED = """2026年部门预算：收入预算、支出预算
表10
财政拨款“三公”经费支出表
                                                                      单位：万元
项目             合计   因公出国（境）费   公务接待费   公务用车购置及运行维护费
                                                                            小计   购置费   运行维护费
2025年预算数    77.95              20.02         9.63                      48.30     0.00        48.30
2026年预算数   117.92              25.02         8.60                      84.30    36.00        48.30
"""


def test_a_three_public_table_printed_one_row_per_year_is_read_by_its_rows_roles():
    record = _read(_THREE_PUBLIC_BY_YEAR_TABBED)
    table = record["tables"]["three_public"]
    [row] = table["rows"]
    assert _value(row["total"]) == "22.08" and _value(row["vehicle_operation"]) == "17.60"
    assert row["total"]["change"] == "-17.12"
    assert _value(table["prior_year"]["total"]) == "39.92"
    # the slip in the 合计 (22.08 for 22.80) is found now
    assert [f for f in _fails(record) if "22.08" in f]


def test_a_three_public_table_by_year_in_aligned_text_is_read_and_no_year_of_the_text():
    record = _read(_THREE_PUBLIC_BY_YEAR_ALIGNED)
    table = record["tables"]["three_public"]
    [row] = table["rows"]
    assert _value(row["total"]) == "117.92" and _value(row["vehicle_purchase"]) == "36.00"
    assert _value(table["prior_year"]["reception"]) == "9.63"
    assert not [f for f in _fails(record) if f.startswith("TXT-001")]


# An empty fund table whose note says so under it, headed "备注：" (Sichuan's counties), not "注：":
# the note was read as a cell of the table's 合计 row (a row not understood), so the table was
# not empty -- a false FND-001 against the narrative's "没有政府性基金预算拨款安排的支出".
_EMPTY_FUND_TABLE_NOTED = """2025年部门预算：收入预算、支出预算、财政拨款
（四）政府性基金预算支出情况
本部门2025年没有使用政府性基金预算拨款安排的支出。

表4
                              政府性基金支出预算表
部门：某县农业农村局                                              单位：元
科目编码          科目名称  本年政府性基金预算支出
类        款  项                              合计  基本支出  项目支出
                  合计
备注：某县农业农村局2025年无政府性基金预算拨款安排的支出，故本表无数据。
"""


def test_an_empty_fund_tables_note_headed_beizhu_is_no_cell_of_the_table():
    record = _read(_EMPTY_FUND_TABLE_NOTED)
    assert record["tables"]["gov_fund"]["empty"] is True
    assert not [u for u in record["_meta"]["unread"] if "合计" in u["reason"]]
    assert not [f for f in _fails(record) if f.startswith("FND-")]


# The 收支总表 with its publisher and unit on one line above the header ("部门：… 单位：万元", as
# Guangdong prints its 部门收支总表 and 财政拨款收支总表): the line was taken for the header's top
# line, whose cells name the sides ("收入" / "支出") -- the sides were not found, the table not read.
# Below it, "收入" and "支出" each stand over its side's 项目 only, the income's 预算数 nearer "支出"
# (Beijing's, Sichuan's too): that column was the expenditure side's, and no row was understood.
_SUMMARY_UNDER_PUBLISHER = """2026年部门预算：收入预算、支出预算
附表1
                        部门收支总表
部门：某省水务厅                                                    单位：万元
收        入                             支        出
项    目                       预算数    项    目                       预算数
一、一般公共预算拨款           100.00    一、农林水支出                 120.00
二、事业收入                    20.00
本年收入合计                   120.00    本年支出合计                   120.00
上年结转                                 结转下年
收入总计                       120.00    支出总计                       120.00
"""


def test_a_summary_table_under_its_publishers_line_is_read():
    record = _read(_SUMMARY_UNDER_PUBLISHER)
    summary = record["tables"]["summary"]
    assert [row["name"] for row in summary["income"]["rows"]] == ["一、一般公共预算拨款", "二、事业收入"]
    assert _value(summary["income"]["totals"]["subtotal_amount"]) == "120.00"
    assert _value(summary["expenditure"]["totals"]["amount"]) == "120.00"
    assert not [u for u in record["_meta"]["unread"] if "two sides" in u["reason"]]


# The basic-expenditure table's code and name columns each headed with the classification's name
# ("经济分类科目编码 | 经济分类科目名称", Beijing): two 经济分类 on the header line were taken for a
# panel table's repeated header (the panels' "经济分类 … 经济分类"), and every row was listed.
_BASIC_HEADED_BY_CLASSIFICATION = """2026年部门预算：收入预算、支出预算、基本支出
表7
一般公共预算财政拨款基本支出表
                                                            单位：万元
经济分类科目编码   经济分类科目名称                     合计   人员经费   公用经费
                   合计                               80.00      60.00      20.00
301                工资福利支出                       60.00      60.00
30101                基本工资                         60.00      60.00
302                商品和服务支出                     20.00                 20.00
30201                办公费                           20.00                 20.00
"""


def test_code_and_name_headers_naming_the_classification_make_no_panel_table():
    record = _read(_BASIC_HEADED_BY_CLASSIFICATION)
    basic = record["tables"]["general_budget_basic"]
    assert [row["code"] for row in basic["rows"]] == ["301", "30101", "302", "30201"]
    assert _value(basic["totals"]["public"]) == "20.00"
    assert record["_meta"]["unread"] == []


# Text aligned in display columns whose names open with full-width brackets ("（一）一般公共预算
# 拨款", Sichuan's 财政拨款收支预算总表, two blanks between columns): the words were placed by the
# normalised text, where "（" is the one-column "(" -- each figure after a bracket pair stood two
# columns left of its column, ran into the name column's run, and the table was not read.
_APPROPRIATION_SUMMARY_BRACKETED = """2025年部门预算：收入预算、支出预算、财政拨款
表2
                              财政拨款收支预算总表
单位：万元
收入                                       支出
项目                               预算数  项目                             合计   一般公共预算
一、本年收入                       200.00  一、农林水支出                 150.00         150.00
（一）一般公共预算拨款             200.00  二、住房保障支出                50.00          50.00
二、上年结转                         0.00
收入总计                           200.00  支出总计                       200.00         200.00
"""


def test_full_width_brackets_take_their_printed_columns_in_aligned_text():
    from fiscalrules.document.model import Line
    words = Line(1, "（一）拨款  12.00").words
    assert (words[0].x0, words[0].x1, words[1].x0) == (0, 10, 12)    # (before: 0, 8, 10)
    record = _read(_APPROPRIATION_SUMMARY_BRACKETED)
    income = record["tables"]["appropriation_summary"]["income"]
    assert [row["name"] for row in income["rows"]] == ["一、本年收入", "(一)一般公共预算拨款", "二、上年结转"]
    assert _value(record["tables"]["appropriation_summary"]["expenditure"]["totals"]["general_budget"]) == "200.00"


# The 项目支出表 printing each project's function class ("项目名称 | 科目编码 | 合计 | 财政拨款 | 其他资金",
# Beijing): the 科目编码 column was a column no header word named, so every row was listed and
# the table unread.  The code is kept as the project's function class (never ``code``: the
# project's name is no class's name).
_PROJECTS_WITH_CLASS = """2026年部门预算：收入预算、支出预算、项目支出
表4
项目支出表
                                                            单位：万元
项目名称                           科目编码       合计   财政拨款   其他资金
合计                                          1,100.00   1,000.00     100.00
城市运行监测平台运行维护           2240109    1,000.00   1,000.00
应急技术服务（事业收入安排）       2240150      100.00                100.00
"""


def test_a_project_tables_function_class_column_is_read():
    record = _read(_PROJECTS_WITH_CLASS)
    projects = record["tables"]["projects"]
    assert [(row["name"], row["function_code"]) for row in projects["rows"]] == [
        ("城市运行监测平台运行维护", "2240109"), ("应急技术服务(事业收入安排)", "2240150")]
    assert _value(projects["totals"]["other"]) == "100.00"
    assert not [f for f in _fails(record) if f.startswith("QUA-009")]
    from fiscalrules.records import load_record     # (the column is one the ruleset declares)
    declared = {c.name for c in fiscalrules.load_ruleset("budget_disclosure").fields["tables.projects.rows"].columns}
    assert {c for row in load_record(record).tables["tables.projects.rows"].rows for c in row.cells} <= declared
