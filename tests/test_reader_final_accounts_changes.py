"""A 决算 narrative's changes on last year of 本年收入合计, 本年支出合计 (and their parts), the 一般公共预算财政拨款
基本支出 with its 人员经费 / 公用经费, and the 政府性基金 (国有资本经营) spending: each on the figure it belongs to,
in the template's words ("。与 2024 年度相比，本年收入合计增加 C 万元，增长 P%", "…，其中人员经费增加 C 万元，增长 P%")
and in regions' ("本年收入合计 X 万元，比上年增加 C 万元", "同比减少", "较上年增加"), and checked by CHG-014…025.
All documents here are fictional.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

# (2024: income 1000.00, spending 1200.00, basic 500.00 = personnel 440.00 + public 60.00, the fund 100.00)
_TEMPLATE = """示范省示范局2025年度部门决算
第三部分 示范省示范局2025年度部门决算情况说明
二、收入决算情况说明
2025年度本年收入合计1,200.00万元，其中：财政拨款收入1,000.00万元，占83.33%；事业收入200.00万元，占16.67%。与2024年度相比，本年收入合计增加200.00万元，增长{income}%。主要原因是项目增加。
三、支出决算情况说明
2025年度本年支出合计1,100.00万元，其中：基本支出600.00万元，占54.55%；项目支出500.00万元，占45.45%。与2024年度相比，本年支出合计减少100.00万元，下降8.33%。
六、一般公共预算财政拨款基本支出决算情况说明
2025年度一般公共预算财政拨款基本支出550.00万元，其中：人员经费500.00万元，主要包括：基本工资、津贴补贴。公用经费50.00万元，主要包括：办公费、印刷费。与2024年度相比，一般公共预算财政拨款基本支出增加{basic}万元，增长10.00%，其中人员经费增加60.00万元，增长{personnel}%，公用经费减少10.00万元，下降16.67%。
八、政府性基金预算财政拨款支出决算情况说明
2025年度政府性基金预算财政拨款年初结转和结余15.00万元，本年收入120.00万元，本年支出110.00万元，年末结转和结余25.00万元。与2024年度相比，政府性基金预算财政拨款支出增加10.00万元，增长{fund}%，主要原因是项目增加。
"""

_REGIONS = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
二、收入决算情况说明
2025年度本年收入合计1,200.00万元，比上年增加200.00万元，增长20.00%。其中：财政拨款收入1,000.00万元，占83.33%，较上年增加{appropriation}万元，增长17.65%；事业收入200.00万元，占16.67%，较上年增加50.00万元，增长33.33%。
三、支出决算情况说明
2025年度本年支出合计1,100.00万元，同比减少100.00万元，下降{spending}%。其中：基本支出600.00万元，占54.55%；项目支出500.00万元，占45.45%。
六、一般公共预算财政拨款基本支出决算情况说明
2025年度一般公共预算财政拨款基本支出550.00万元，其中：人员经费500.00万元，比上年增加60.00万元，增长13.64%，主要包括：基本工资；公用经费50.00万元，比上年减少10.00万元，下降{public}%，主要包括：办公费。
八、政府性基金预算财政拨款支出决算情况说明
2025年度政府性基金预算财政拨款支出110.00万元，与上年相比增加10.00万元，增长10.00%。
九、国有资本经营预算财政拨款支出决算情况说明
2025年度国有资本经营预算财政拨款支出40.00万元，较上年减少10.00万元，下降{capital}%。
"""


def _read(text: str, **figures):
    record = read_document(text.format(**figures).encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    return record, {f.rule for f in findings if f.status == "fail"}, {f.rule for f in findings if f.status in ("pass", "pass_rounding")}


def _template(income="20.00", basic="50.00", personnel="13.64", fund="10.00"):
    return _read(_TEMPLATE, income=income, basic=basic, personnel=personnel, fund=fund)


def _regions(appropriation="150.00", spending="8.33", public="16.67", capital="20.00"):
    return _read(_REGIONS, appropriation=appropriation, spending=spending, public=public, capital=capital)


def _change(record, path):
    node = record
    for key in path.split("."):
        node = node[key]
    return node.get("change"), node.get("pct")


def _unread(record):
    return [u["reason"] for u in record["_meta"]["unread"]]


def test_the_templates_changes_are_the_totals():
    # "。与 2024 年度相比，本年收入合计增加 C 万元，增长 P%" after the parts' list (青海): listed as "change … not
    # mapped to a field"; "…，其中人员经费增加 C 万元，增长 P%，公用经费减少 …" were amounts listed
    record, failing, passing = _template()
    assert _change(record, "income.total") == ("200.00", "20.00")
    assert _change(record, "expenditure.total") == ("-100.00", "-8.33")
    assert _change(record, "basic.total") == ("50.00", "10.00")
    assert _change(record, "basic.personnel") == ("60.00", "13.64")
    assert _change(record, "basic.public") == ("-10.00", "-16.67")
    # (the fund's spending as 八 prints it, "本年收入 A 万元，本年支出 B 万元", then its change named)
    assert record["gov_fund"]["expenditure"]["value"] == "110.00"
    assert record["gov_fund"]["income"]["value"] == "120.00"
    assert _change(record, "gov_fund.expenditure") == ("10.00", "10.00")
    assert not [u for u in _unread(record) if "200.00" in u or "60.00" in u or "10.00万元" in u]
    assert not {f for f in failing if f.startswith("CHG-")}
    assert {"CHG-014", "CHG-015", "CHG-016", "CHG-017", "CHG-018", "CHG-019", "CHG-021"} <= passing


def test_a_wrong_percentage_of_the_template_fails():
    assert "CHG-014" in _template(income="2.00")[1]
    assert "CHG-017" in _template(personnel="13.46")[1]
    assert "CHG-019" in _template(fund="1.00")[1]
    # (the parts' changes do not add up to the total's: 60.00 - 10.00 is not 55.00)
    assert "CHG-021" in _template(basic="55.00")[1]


def test_the_regions_changes_right_after_the_figure():
    # "本年收入合计 X 万元，比上年增加 C 万元", "同比减少", "较上年增加", each part's "占 S%，较上年增加 …"
    record, failing, passing = _regions()
    assert _change(record, "income.total") == ("200.00", "20.00")
    assert _change(record, "expenditure.total") == ("-100.00", "-8.33")
    assert _change(record, "basic.personnel") == ("60.00", "13.64")
    assert _change(record, "basic.public") == ("-10.00", "-16.67")
    assert _change(record, "gov_fund.expenditure") == ("10.00", "10.00")
    assert _change(record, "state_capital.expenditure") == ("-10.00", "-20.00")
    sources = {r["code"]: r["amount"] for r in record["income"]["sources"]}
    assert (sources["appropriation"]["change"], sources["business"]["change"]) == ("150.00", "50.00")
    assert not {f for f in failing if f.startswith("CHG-")}
    assert {"CHG-014", "CHG-015", "CHG-017", "CHG-018", "CHG-019", "CHG-020", "CHG-022", "CHG-024"} <= passing


def test_a_wrong_figure_of_the_regions_fails():
    assert "CHG-015" in _regions(spending="8.83")[1]
    assert "CHG-018" in _regions(public="61.67")[1]
    assert "CHG-020" in _regions(capital="2.00")[1]
    # (the sources' changes, 160.00 + 50.00, are not the total's 200.00)
    assert "CHG-024" in _regions(appropriation="160.00")[1]


_OVERVIEW = """示范州示范局2025年度部门决算
第三部分 示范州示范局2025年度部门决算情况说明
一、收入支出决算总体情况说明
2025年度收入总计1,300.00万元，支出总计1,300.00万元。其中：本年收入合计1,200.00万元，较上年减少100.00万元，下降{pct}%；本年支出合计1,100.00万元，较上年增加100.00万元，增长10.00%。
二、收入决算情况说明
2025年度本年收入合计1,200.00万元，其中：财政拨款收入1,000.00万元，占83.33%；事业收入200.00万元，占16.67%。
三、支出决算情况说明
2025年度本年支出合计1,100.00万元，其中：基本支出600.00万元，占54.55%；项目支出500.00万元，占45.45%。
"""


def test_the_years_totals_changes_stated_in_the_overview_only():
    # "一、…其中：本年收入合计 X 万元，较上年减少 C 万元，下降 P%；本年支出合计 …" (二、三 state none): the same figures'
    record, failing, passing = _read(_OVERVIEW, pct="7.69")
    assert _change(record, "income.total") == ("-100.00", "-7.69")
    assert _change(record, "expenditure.total") == ("100.00", "10.00")
    assert {"CHG-014", "CHG-015"} <= passing
    assert "CHG-014" in _read(_OVERVIEW, pct="7.14")[1]


_FUND_NAMED_ONCE = """示范镇示范院2025年度单位决算
第三部分 示范镇示范院2025年度单位决算情况说明
（八）政府性基金预算财政拨款收支情况。2025年度本单位政府性基金预算财政拨款收入80.00万元，支出72.00万元，比上年增加12.00万元，增长{pct}%，年末结转和结余8.00万元，支出全部为项目支出。
"""


def test_the_funds_spending_after_its_income_named_once():
    # "…政府性基金预算财政拨款收入 A 万元，支出 B 万元，…" (the fund named once, 支出 bare): listed unread
    record, failing, passing = _read(_FUND_NAMED_ONCE, pct="20.00")
    assert (record["gov_fund"]["income"]["value"], record["gov_fund"]["expenditure"]["value"]) == ("80.00", "72.00")
    assert _change(record, "gov_fund.expenditure") == ("12.00", "20.00")
    assert "CHG-019" in passing and "CHG-019" in _read(_FUND_NAMED_ONCE, pct="16.67")[1]
