"""决算 tables as ``pdfplumber``'s ``extract_text`` writes them (session fa52c): cells one space apart,
a blank cell absent.  A row printing fewer figures than the columns is placed by the template's
identities across rows and tables -- the 财政拨款 总表's per-fund balances, the 收入决算表's / 支出决算表's
合计 row pinned by what the 总表 and the 情况说明 state for its columns, a misprinted cell taken at its
true figure by the sums (and shown by the rules) -- where they leave exactly one placement.  Each
text is the smallest fictional document showing one case.
"""

from __future__ import annotations

from plain_text import PlainText, value


_PLAIN = PlainText("某某局2025年度部门决算\n第二部分 2025年度部门决算表\n", "final_accounts")
_read, _audit, _value = _PLAIN.read, _PLAIN.audit, value


def _unread(record: dict, section: str) -> list[dict]:
    return [u for u in record["_meta"]["unread"] if section in u["section"]]


def _figures(row: dict) -> dict[str, str]:
    return {k: _value(v) for k, v in row.items() if isinstance(v, dict) and "value" in v}


def _rows(record: dict, key: str) -> dict[str, dict[str, str]]:
    return {r["code"]: _figures(r) for r in record["tables"][key]["rows"]}


# 财政拨款收入支出决算总表: 合计 | 一般公共预算 | 政府性基金 | 国有资本经营 on the right, a blank fund
# absent.  Per fund, 总计 = 本年支出 + 年末 = 本年收入 + 年初 (the left side's fund lines), and the
# classes add up to 本年支出合计: one placement.
_APPROPRIATION = """公开04表
财政拨款收入支出决算总表
部门：某某水务局 单位：万元
收入 支出
项目 行次 金额 项目 行次 合计 一般公共预算财政拨款 政府性基金预算财政拨款 国有资本经营预算财政拨款
栏次 1 栏次 2 3 4 5
一、一般公共预算财政拨款 1 100.00 一、一般公共服务支出 33 70.00 70.00
二、政府性基金预算财政拨款 2 20.00 二、外交支出 34
三、国有资本经营预算财政拨款 3 三、国防支出 35
12 十二、农林水支出 44 60.00 50.00 10.00
本年收入合计 27 120.00 本年支出合计 59 130.00 120.00 10.00
年初财政拨款结转和结余 28 30.00 年末财政拨款结转和结余 60 20.00 5.00 15.00
一般公共预算财政拨款 29 25.00 61
政府性基金预算财政拨款 30 5.00 62
国有资本经营预算财政拨款 31 63
总计 32 150.00 总计 64 150.00 125.00 25.00
注：本表反映部门本年度财政拨款的总收支和年末结转结余情况。
"""


def test_fund_columns_placed_by_the_per_fund_balances_and_the_classes_sums():
    record = _read(_APPROPRIATION)
    table = record["tables"]["appropriation_summary"]
    classes = {r["code"]: _figures(r) for r in table["expenditure"] if _figures(r)}
    assert classes == {"201": {"total": "70.00", "general_budget": "70.00"},
                       "213": {"total": "60.00", "general_budget": "50.00", "gov_fund": "10.00"}}
    assert _figures(table["expenditure_total"]) == {"total": "130.00", "general_budget": "120.00", "gov_fund": "10.00"}
    assert _figures(table["closing"]) == {"total": "20.00", "general_budget": "5.00", "gov_fund": "15.00"}
    assert not _unread(record, "财政拨款收入支出决算总表")
    assert not [f for f in _audit(record).get("fail", []) if f.startswith(("BAL", "TBL"))]


def test_fund_columns_the_identities_leave_open_stay_listed():
    # (no left-side fund lines, no 总计: which fund the classes' single figures stand under is not told)
    text = "\n".join(line for line in _APPROPRIATION.splitlines()
                     if not line.startswith(("一般公共预算财政拨款 29", "政府性基金预算财政拨款 30", "总计")))
    text = text.replace("一、一般公共预算财政拨款 1 100.00 ", "").replace("二、政府性基金预算财政拨款 2 20.00 ", "")
    text = text.replace("十二、农林水支出 44 60.00 50.00 10.00", "十二、农林水支出 44 60.00 60.00")
    record = _read(text)
    assert any("一般公共服务支出" in u["reason"] for u in _unread(record, "财政拨款收入支出决算总表"))


# 收入支出决算总表 and 收入决算表: the 合计 row's three figures under six source columns are pinned by
# the 总表's income lines (财政拨款 = its fund lines; a line printing no figure is 0, the printed ones
# adding up to 本年收入合计); each row then by the sums.
_SUMMARY = """公开01表
收入支出决算总表
部门：某某局 单位：万元
收入 支出
项目 行次 金额 项目 行次 金额
栏次 1 栏次 2
一、一般公共预算财政拨款收入 1 100.00 一、一般公共服务支出 31 60.00
二、政府性基金预算财政拨款收入 2 20.00 二、外交支出 32
三、国有资本经营预算财政拨款收入 3 十二、农林水支出 42 90.00
四、上级补助收入 4
五、事业收入 5 20.00
六、经营收入 6
七、附属单位上缴收入 7
八、其他收入 8 10.00
本年收入合计 27 150.00 本年支出合计 57 150.00
年初结转和结余 29 0.00 年末结转和结余 59 0.00
总计 30 150.00 总计 60 150.00
注：本表反映部门本年度的总收支和年末结转结余情况。
"""
_INCOME = """公开02表
收入决算表
部门：某某局 单位：万元
项目
本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入
科目编码 科目名称
栏次 1 2 3 4 5 6 7
合计 150.00 120.00 20.00 10.00
201 一般公共服务支出 60.00 60.00
20101 人大事务 60.00 60.00
2010101 行政运行 60.00 60.00
213 农林水支出 90.00 60.00 20.00 10.00
21303 水利 90.00 60.00 20.00 10.00
2130301 行政运行 40.00 40.00
2130399 其他水利支出 50.00 20.00 20.00 10.00
注：本表反映部门本年度取得的各项收入情况。
"""


def test_income_table_pinned_by_the_summary_income_lines():
    record = _read(_SUMMARY + _INCOME)
    assert {k: _value(v) for k, v in record["tables"]["income"]["totals"].items()} == \
        {"total": "150.00", "appropriation": "120.00", "business": "20.00", "other": "10.00"}
    rows = _rows(record, "income")
    assert rows["2130301"] == {"total": "40.00", "appropriation": "40.00"}
    assert rows["2130399"] == {"total": "50.00", "appropriation": "20.00", "business": "20.00", "other": "10.00"}
    assert not _unread(record, "收入决算表")
    assert not [f for f in _audit(record).get("fail", []) if f.startswith("TBL")]


def test_income_table_without_the_summary_stays_listed():
    record = _read(_INCOME)
    assert not record["tables"]["income"].get("rows")
    assert any("2130301" in u["reason"] for u in _unread(record, "收入决算表"))


# 支出决算表 with its 合计 row stated by the 情况说明 (基本支出 / 项目支出 / 经营支出), and 2130305
# printing 项目支出 51.00 for 50.00: the sums take it at its true figure (its own 合计 less nothing), its
# 款's 项 are placed, and the rules show the misprint.
_EXPENDITURE = """公开03表
支出决算表
部门：某某局 单位：万元
项目
本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出
科目编码 科目名称
栏次 1 2 3 4 5 6
合计 150.00 60.00 80.00 10.00
201 一般公共服务支出 60.00 60.00
20101 人大事务 60.00 60.00
2010101 行政运行 60.00 60.00
213 农林水支出 90.00 80.00 10.00
21303 水利 90.00 80.00 10.00
2130305 水利工程建设 50.00 51.00
2130306 水利工程运行与维护 30.00 30.00
2130399 其他水利支出 10.00 10.00
注：本表反映部门本年度各项支出情况。
"""
_NARRATIVE = """第三部分 2025年度部门决算情况说明
三、支出决算情况说明
2025年度本年支出合计150.00万元，其中：基本支出60.00万元，占40.00%；项目支出80.00万元，占53.33%；上缴上级支出0万元；经营支出10.00万元，占6.67%；对附属单位补助支出0万元。
"""


def test_expenditure_table_pinned_by_the_narrative_a_misprinted_cell_shown_by_the_rules():
    record = _read(_EXPENDITURE + _NARRATIVE)
    rows = _rows(record, "expenditure")
    assert rows["2010101"] == {"total": "60.00", "basic": "60.00"}
    assert rows["2130305"] == {"total": "50.00", "project": "51.00"}
    assert rows["2130306"] == {"total": "30.00", "project": "30.00"}
    assert rows["2130399"] == {"total": "10.00", "operating": "10.00"}
    assert not _unread(record, "支出决算表")
    fails = [f.split()[0] for f in _audit(record).get("fail", []) if f.startswith("TBL")]
    assert fails and all(rule in ("TBL-010", "TBL-012") for rule in fails)
    assert any("2130305" in f for f in _audit(record)["fail"]) and any("21303" in f for f in _audit(record)["fail"])


# 政府性基金预算财政拨款收入支出决算表, its 本年支出 group (小计 | 基本支出 | 项目支出) over the header's
# last line, no row printing every column: the group stands where each row has a placement keeping
# 年末 = 年初 + 本年收入 - 本年支出; 基本支出 or 项目支出 by the 支出决算表's row of the same code (the
# fund's spending is part of the department's: 2130306 spends nothing there under 基本支出).
_GOV_FUND = """公开08表
政府性基金预算财政拨款收入支出决算表
部门：某某局 单位：万元
项目 本年支出
年初结转和结余 本年收入 年末结转和结余
科目编码 科目名称 小计 基本支出 项目支出
栏次 1 2 3 4 5 6
合计 5.00 25.00 20.00 20.00 10.00
213 农林水支出 5.00 25.00 20.00 20.00 10.00
21303 水利 5.00 25.00 20.00 20.00 10.00
2130306 水利工程运行与维护 5.00 25.00 20.00 20.00 10.00
注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。
"""


def test_fund_table_spending_placed_by_the_expenditure_tables_rows():
    record = _read(_EXPENDITURE + _GOV_FUND + _NARRATIVE)
    assert _rows(record, "gov_fund")["2130306"] == {"opening": "5.00", "income": "25.00", "total": "20.00",
                                                    "project": "20.00", "closing": "10.00"}
    assert not _unread(record, "政府性基金")
    assert not [f for f in _audit(record).get("fail", []) if f.startswith("BAL")]
