"""Documents older than the classification lists and the template: a 2018年度部门决算 is read against
the 政府收支分类科目 and the table list of its own year.

* Standard names: the shipped lists begin in 2024; an earlier year is the 2024 list as it stood then
  (aliases.tsv dates an earlier name "standard until" a year; introduced.tsv names the codes added
  later).  Before: every year took the 2024 list, so a 2018 document printing 210
  "医疗卫生与计划生育支出" -- that year's standard name -- was told (QUA-009) the name is "卫生健康支出".
  A later document printing the old name is still told the standard name.
* Tables: the 2018年度 template's public tables were eight, without the 国有资本经营预算 table; before,
  every 决算 was told (QUA-010) to print it.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from fiscalrules.data import classification
from fiscalrules.readers import read_document

STATE_CAPITAL = "国有资本经营预算财政拨款收入支出决算表"

# A fictional 决算's 一般公共预算 table, printed with the names of 2018's 科目.
DOCUMENT = """宿陵市河道管理处
{year}年度部门决算

一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 300.00 200.00 100.00
208 社会保障和就业支出 100.00 100.00
20805 行政事业单位离退休 100.00 100.00
2080501 归口管理的行政单位离退休 100.00 100.00
210 {health} 50.00 50.00
21011 行政事业单位医疗 50.00 50.00
2101101 行政单位医疗 50.00 50.00
212 城乡社区支出 150.00 50.00 100.00
21208 国有土地使用权出让收入及对应专项债务收入安排的支出 150.00 50.00 100.00
注：本表反映部门本年度一般公共预算财政拨款实际支出情况。
"""


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("final_accounts")


def _read(year: int, health: str = "医疗卫生与计划生育支出") -> dict:
    return read_document(DOCUMENT.format(year=year, health=health).encode(), name="older.txt")


def _failures(ruleset, record: dict, rule: str) -> set[str]:
    return {f.message.split("] ", 1)[-1] for f in ruleset.evaluate(record).findings
            if f.rule == rule and f.status == "fail"}


def test_a_2018_list_has_that_years_standard_names():
    fn = classification("function", 2018)
    assert fn.name("210") == "医疗卫生与计划生育支出"
    assert fn.name("207") == "文化体育与传媒支出"
    assert fn.name("220") == "国土海洋气象等支出"
    assert fn.name("20805") == "行政事业单位离退休"
    assert fn.name("2080501") == "归口管理的行政单位离退休"
    assert fn.is_standard("210", "医疗卫生与计划生育支出")
    assert not fn.is_standard("210", "卫生健康支出")
    assert fn.find("卫生健康支出") == "210"          # the later name is still recognised
    assert fn.name("224") is None and fn.name("2240101") is None   # added in 2019: not checked


def test_the_2019_renames_and_the_later_ones():
    fn = classification("function", 2019)
    assert (fn.name("210"), fn.name("207"), fn.name("220"), fn.name("224")) == (
        "卫生健康支出", "文化旅游体育与传媒支出", "自然资源海洋气象等支出", "灾害防治及应急管理支出")
    assert fn.name("20805") == "行政事业单位离退休"
    # 2020: the 20805 rename's year not confirmed -- both names accepted, the later one reported as standard
    fn = classification("function", 2020)
    assert fn.name("20805") == "行政事业单位养老支出"
    assert fn.is_standard("20805", "行政事业单位离退休") and fn.is_standard("20805", "行政事业单位养老支出")
    assert not classification("function", 2021).is_standard("20805", "行政事业单位离退休")


def test_lists_of_the_years_covered_are_unchanged():
    for year in (2024, 2025, 2026):
        fn = classification("function", year)
        assert fn.name("210") == "卫生健康支出" and not fn.accepted
        assert not fn.is_standard("210", "医疗卫生与计划生育支出")


def test_a_2018_document_printing_2018_names_is_not_told_2024_ones(ruleset):
    record = _read(2018)
    assert _failures(ruleset, record, "QUA-009") == set()


def test_a_2018_document_printing_the_later_name_is_told_that_years_one(ruleset):
    record = _read(2018, health="卫生健康支出")
    assert _failures(ruleset, record, "QUA-009") == {"科目 210 印作“卫生健康支出”，标准名称为“医疗卫生与计划生育支出”"}


def test_a_2026_document_printing_the_old_names_is_told_the_standard_ones(ruleset):
    record = _read(2026)
    assert _failures(ruleset, record, "QUA-009") == {
        "科目 20805 印作“行政事业单位离退休”，标准名称为“行政事业单位养老支出”",
        "科目 2080501 印作“归口管理的行政单位离退休”，标准名称为“行政单位离退休”",
        "科目 210 印作“医疗卫生与计划生育支出”，标准名称为“卫生健康支出”",
        "科目 21208 印作“国有土地使用权出让收入及对应专项债务收入安排的支出”，标准名称为“国有土地使用权出让收入安排的支出”"}


def _required(record: dict) -> set[str]:
    return {s["name"]["value"] if isinstance(s["name"], dict) else s["name"] for s in record["quality"]["sections"]}


def test_the_state_capital_table_is_not_required_of_a_2018_final_account():
    assert STATE_CAPITAL not in _required(_read(2018))
    assert STATE_CAPITAL in _required(_read(2024))


def test_a_state_capital_table_printed_in_an_early_year_still_counts():
    text = DOCUMENT.format(year=2018, health="医疗卫生与计划生育支出") + f"\n{STATE_CAPITAL}\n单位：万元\n"
    record = read_document(text.encode(), name="older.txt")
    assert STATE_CAPITAL in _required(record)


# ---- the 2018 财政拨款收入支出决算总表: three fund columns, figures left-aligned in their cells ------
# (合计 / 一般公共预算 / 政府性基金: the 国有资本经营 column came later.  Before: the header's four
# columns were not found, and a PDF's figures starting their cells -- short of the centred title's
# start -- stood under no column: each line of the right side was unread.)

_CELLS = (34, 6, 12, 30, 6, 24, 26, 26)
_FIGURE_CELLS = (2, 5, 6, 7)


def _width(text: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, align: str = "left") -> str:
    room = " " * (width - _width(text))
    return text + room if align == "left" else room[1:] + text + " " if align == "right" else \
        room[:len(room) // 2] + text + room[len(room) // 2:]


def _summary_2018(align: str) -> str:
    def row(*cells):
        return "".join(_pad((" " + c) if align == "left" and c and i in _FIGURE_CELLS else c, _CELLS[i],
                            align if i in _FIGURE_CELLS else "left") for i, c in enumerate(cells)).rstrip()
    header = ("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款")
    return "\n".join([
        "宿陵市河道管理处", "2018年度部门决算", "财政拨款收入支出决算总表", "单位：万元",
        _pad("收入", 52) + "支出",
        "".join(_pad(h, w, "centre") for h, w in zip(header, _CELLS)).rstrip(),
        row("一、一般公共预算财政拨款", "1", "300.00", "一、一般公共服务支出", "32", "", "", ""),
        row("二、政府性基金预算财政拨款", "2", "100.00", "八、社会保障和就业支出", "39", "200.00", "200.00", ""),
        row("", "3", "", "十、医疗卫生与计划生育支出", "41", "100.00", "100.00", ""),
        row("", "4", "", "十二、城乡社区支出", "43", "100.00", "", "100.00"),
        row("本年收入合计", "28", "400.00", "本年支出合计", "59", "400.00", "300.00", "100.00"),
        row("年初财政拨款结转和结余", "29", "20.00", "年末财政拨款结转和结余", "60", "20.00", "20.00", ""),
        row("一般公共预算财政拨款", "30", "20.00", "", "", "", "", ""),
        row("政府性基金预算财政拨款", "31", "", "", "", "", "", ""),
        row("总计", "32", "420.00", "总计", "61", "420.00", "320.00", "100.00"),
        "注：本表反映部门本年度一般公共预算财政拨款和政府性基金预算财政拨款的总收支和年末结转结余情况。"])


def _values(node):
    if isinstance(node, dict):
        return node["value"] if "value" in node else {k: _values(v) for k, v in node.items() if k != "source"}
    return [_values(item) for item in node] if isinstance(node, list) else node


@pytest.mark.parametrize("align", ["left", "right"])
def test_a_2018_appropriation_summary_of_three_fund_columns_is_placed(align):
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
    record = read_document(pdfmaker.text_to_pdf(_summary_2018(align)), name="older.pdf")
    assert [u["reason"] for u in record["_meta"]["unread"]] == []
    table = _values(record["tables"]["appropriation_summary"])
    assert table["expenditure"][1:] == [
        {"code": "208", "name": "社会保障和就业支出", "total": "200.00", "general_budget": "200.00"},
        {"code": "210", "name": "医疗卫生与计划生育支出", "total": "100.00", "general_budget": "100.00"},
        {"code": "212", "name": "城乡社区支出", "total": "100.00", "gov_fund": "100.00"}]
    assert table["expenditure_total"] == {"total": "400.00", "general_budget": "300.00", "gov_fund": "100.00"}
    assert table["closing"] == {"total": "20.00", "general_budget": "20.00"}
    assert table["grand_total"] == {"general_budget": "320.00", "gov_fund": "100.00"}


# ---- 七（二）'s vehicle item in its parts, each stated against its budget --------------------------
# (the 2018 template as 河南 printed it: "其中：公务用车购置费预算为 B 万元，支出决算为 F 万元…。公务用车运行维护费
# 预算为 B 万元，支出决算为 F 万元，完成预算的 P%，与上年相比减少 C 万元，下降 Q%".  Before: neither part was
# read, and the operation part's change was listed unread.)

THREE_PUBLIC = """宿陵市河道管理处
2018年度部门决算
第三部分 2018年度部门决算情况说明
七、一般公共预算财政拨款“三公”经费支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
2018年度“三公”经费财政拨款支出预算为20.00万元，支出决算为18.00万元，完成预算的90.00%。
（二）“三公”经费财政拨款支出决算具体情况说明
1．因公出国（境）费预算为0.00万元，支出决算为0.00万元。
2．公务用车购置及运行费预算为16.00万元，支出决算为15.00万元，完成预算的93.75%。其中：公务用车购置费预算为0.00万元，\
支出决算为0.00万元，2018年度未购置公务用车。公务用车运行维护费预算为16.00万元，支出决算为15.00万元，完成预算的93.75%，\
与2017年度相比减少1.00万元，下降{pct}%。
3．公务接待费预算为4.00万元，支出决算为3.00万元，完成预算的75.00%。
"""


def test_vehicle_parts_stated_against_their_budgets_in_the_details_are_read(ruleset):
    record = read_document(THREE_PUBLIC.format(pct="6.25").encode(), name="older.txt")
    assert record["_meta"]["unread"] == []
    operation = record["three_public"]["vehicle_operation"]
    assert (operation["item"]["value"], operation["item"]["change"], operation["budget"]["value"],
            operation["completion"]["value"]) == ("15.00", "-1.00", "16.00", "93.75")
    assert record["three_public"]["vehicle_purchase"]["item"]["value"] == "0.00"
    assert _failures(ruleset, record, "CHG-026") == set()
    misprinted = read_document(THREE_PUBLIC.format(pct="7.25").encode(), name="older.txt")
    assert len(_failures(ruleset, misprinted, "CHG-026")) == 1


# ---- the self-evaluation counted as 纳入自评的 ("纳入自评的一级项目 N 个，共涉及资金 Z 万元，占…的 P%") ----------
# (Before: the count and the money were listed unread, PRF-004 not evaluated.)

PERFORMANCE = """宿陵市河道管理处
2018年度部门决算
第三部分 2018年度部门决算情况说明
十三、预算绩效管理情况说明
根据预算绩效管理要求，本部门组织对2018年度一般公共预算项目支出开展绩效自评，纳入自评的{level}项目3个，共涉及资金\
120.00万元，占一般公共预算项目支出总额的80.00%。
"""


@pytest.mark.parametrize("level, path", [("一级", "first_level"), ("", None)])
def test_self_evaluation_counted_as_included_is_read(level, path):
    record = read_document(PERFORMANCE.format(level=level).encode(), name="older.txt")
    assert record["_meta"]["unread"] == []
    performance = _values(record["performance"])
    counted = performance["self_evaluation"][path] if path else performance["self_evaluated"]["projects"]
    assert (counted, performance["self_evaluation"]["amount"], performance["self_evaluation"]["share"]) == (
        "3", "120.00", "80.00")
