"""决算 layouts of round 12, each reduced to a small fictional input written here.

* A PDF that does not clip a cell's text (as WPS exports one): a header title wider than its
  cell runs on over its neighbour's ("一般公共预算财政拨款" over "政府性基金预算财政拨款"), and a
  label wider than its cell runs on up to the 行次 ordinal beside it. The titles' characters
  interleaved into one word ("…财政政拨府款性…"), the four fund columns were not found and every
  line of the 财政拨款收入支出决算总表 was unplaced; the labels read "政府性基金预算财政拨款2".
"""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

from pdfmaker import pdf_bytes  # noqa: E402  (tests/ is on the path under pytest)
from test_reader_final_accounts_blind_round8 import _centred, _right  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

APPROPRIATION = "财政拨款收入支出决算总表"
SIZE = (842, 595)


def _unread(record: dict, section: str) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if u["section"] == section]


def test_text_running_on_over_the_next_cells_is_two_words_not_interleaved(tmp_path):
    # two titles, each drawn whole, the first one's end over the second one's start
    first, second = "一般公共预算财政拨款", "政府性基金预算财政拨款"
    path = tmp_path / "overlap.pdf"
    path.write_bytes(pdf_bytes([[("text", 100, 100, first, 10.0), ("text", 160, 100, second, 10.0),
                                 ("text", 100, 130, "本年支出合计", 10.0)]]))
    line = read_pdf(path, "overlap.pdf").lines[0]
    assert [word.text for word in line.words] == [first, second]
    assert line.words[0].x0 < line.words[1].x0 < line.words[0].x1


# left: label, 行次, 金额; right: label, 行次, (合计, 一般公共预算, 政府性基金, 国有资本经营); "" blank
_ROWS = [
    (("一、一般公共预算财政拨款", "1", "100.00"), ("一、一般公共服务支出", "33", ("90.00", "90.00", "", ""))),
    (("二、政府性基金预算财政拨款", "2", "20.00"), ("七、文化旅游体育与传媒支出", "39", ("20.00", "", "20.00", ""))),
    (("三、国有资本经营预算财政拨款", "3", ""), ("", "", ())),
    (("本年收入合计", "24", "120.00"), ("本年支出合计", "56", ("110.00", "90.00", "20.00", ""))),
    (("年初财政拨款结转和结余", "25", ""), ("年末财政拨款结转和结余", "57", ("10.00", "10.00", "", ""))),
    (("总计", "29", "120.00"), ("总计", "58", ("120.00", "100.00", "20.00", ""))),
]
# the right side's columns: 合计 and the three fund types, each cell's centre and right edge
_FUND_CELLS = ((480, 505), (542, 567), (604, 629), (666, 691))


def _appropriation_pdf() -> bytes:
    cover = [("text", 330, 200, "宿陵市司法局", 16.0), ("text", 320, 240, "2025年度部门决算", 16.0)]
    items = [_centred(421, 60, "财 政 拨 款 收 入 支 出 决 算 总 表", 14.0), _right(790, 62, "公开04表", 9.0),
             ("text", 40, 80, "部门：宿陵市司法局", 9.0), _right(790, 80, "金额单位：万元", 9.0),
             _centred(95, 100, "收入"), _centred(460, 100, "支出"),
             _centred(95, 115, "项目"), _centred(147, 115, "行次"), _centred(220, 115, "金额"),
             _centred(330, 115, "项目"), _centred(435, 115, "行次")]
    # each fund type's title on one line, wider than its 60-point cell: drawn whole over its
    # neighbours' (the 一般公共预算 title starting left of the 合计 column's figures' right edge;
    # no character drawn where the same one is: pdfium would drop it as a double)
    items += [_centred(middle, 115, title) for (middle, _), title in
              zip(_FUND_CELLS, ("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"))]
    items += [_centred(95, 130, "栏次"), _centred(220, 130, "1"), _centred(330, 130, "栏次")]
    items += [_centred(middle, 130, str(n)) for n, (middle, _) in enumerate(_FUND_CELLS, 2)]
    top = 145
    for (llabel, lnumber, lfigure), (rlabel, rnumber, rfigures) in _ROWS:
        # (the left labels start at 40 in a cell ending at 135: the longer ones run on up to the
        # 行次 ordinal centred at 147, or over it)
        items += [("text", 40, top, llabel, 8.0), _centred(147, top, lnumber)]
        items += [_right(250, top, lfigure)] if lfigure else []
        items += [("text", 270, top, rlabel, 8.0), _centred(435, top, rnumber)] if rlabel else []
        items += [_right(x1, top, text) for (_, x1), text in zip(_FUND_CELLS, rfigures) if text]
        top += 15
    items.append(("text", 40, top + 6, "注：本表反映部门本年度财政拨款的总收支和年末结转结余情况。", 8.0))
    return pdf_bytes([cover, items], size=SIZE)


def _value(figure: dict) -> str:
    return figure["value"]


def test_fund_titles_running_on_over_one_another_still_name_their_columns():
    record = read_document(_appropriation_pdf(), name="x.pdf")
    table = record["tables"]["appropriation_summary"]
    assert {k: _value(v) for k, v in table["expenditure_total"].items()} == \
        {"total": "110.00", "general_budget": "90.00", "gov_fund": "20.00"}
    assert {k: _value(v) for k, v in table["grand_total"].items()} == {"general_budget": "100.00", "gov_fund": "20.00"}
    rows = {row["code"]: {k: _value(row[k]) for k in ("total", "general_budget", "gov_fund") if k in row}
            for row in table["expenditure"] if "total" in row}
    assert rows == {"201": {"total": "90.00", "general_budget": "90.00"},
                    "207": {"total": "20.00", "gov_fund": "20.00"}}
    assert not [r for r in _unread(record, APPROPRIATION) if "fund columns" in r]


def test_a_label_run_on_up_to_its_line_number_is_read_without_it():
    record = read_document(_appropriation_pdf(), name="x.pdf")
    table = record["tables"]["appropriation_summary"]
    assert {k: _value(v) for k, v in table["income"].items()} == {"general_budget": "100.00", "gov_fund": "20.00"}
    assert not [r for r in _unread(record, APPROPRIATION) if "does not print" in r]


# ---- 七（二）: the items as other regions word them ---------------------------------------------------

_THREE_PUBLIC = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
七、“三公”经费财政拨款支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
2025年度“三公”经费财政拨款支出决算为8.20万元，完成预算的82.00%，决算数小于预算数的主要原因是厉行节约。
（二）“三公”经费财政拨款支出决算具体情况说明
1.因公出国（境）经费支出0.00万元，完成预算的0.00%。全年安排因公出国（境）团组0次，出国（境）0人次。与2024年持平。
2.公务用车购置及运行维护费支出6.00万元，完成预算的85.71%。公务用车购置及运行维护费支出决算比2024年减少0.50万元，下降7.69%，主要原因是车辆运行费用下降。其中：
公务用车购置费：本年无公务用车购置支出。
公务用车运行维护费：支出6.00万元，主要用于执法执勤用车的燃料费、维修费等。截至2025年12月31日，单位共有公务用车4辆。
3.公务接待费支出2.20万元，完成预算的73.33%。公务接待费支出决算比2024年减少0.30万元，下降{pct}%。其中：
国内公务接待支出2.20万元。国内公务接待15批次，120人次。
外事接待支出0.00万元，外事接待0批次，0人。
"""


def _three_public(pct: str = "12.00"):
    record = read_document(_THREE_PUBLIC.format(pct=pct).encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    return record, {f.rule for f in findings if f.status == "fail"}


def test_an_items_change_in_a_sentence_naming_it_again_is_its_own():
    # "…完成预算的 73.33%。公务接待费支出决算比 2024 年减少 0.30 万元，下降 12.00%": listed unread, unchecked
    record, failing = _three_public()
    reception, vehicle = record["three_public"]["reception"]["item"], record["three_public"]["vehicle"]["item"]
    assert (reception["change"], reception["pct"]) == ("-0.30", "-12.00")
    assert (vehicle["change"], vehicle["pct"]) == ("-0.50", "-7.69")
    assert "CHG-013" not in failing
    _, failing = _three_public(pct="21.00")
    assert "CHG-013" in failing


def test_overseas_item_worded_as_its_funds_and_its_groups_counted_in_times():
    # "1.因公出国（境）经费支出 0.00 万元 … 团组 0 次，出国（境）0 人次。与 2024 年持平。"
    record, _ = _three_public()
    overseas = record["three_public"]["overseas"]
    assert (overseas["item"]["value"], overseas["item"]["change"]) == ("0.00", "0")
    assert (overseas["groups"]["value"], overseas["persons"]["value"]) == ("0", "0")
    assert not [u for u in record["_meta"]["unread"] if "出国" in u["reason"]]


def test_vehicle_part_as_a_heading_the_fleet_held_and_the_foreign_receptions():
    # "公务用车运行维护费：支出 6.00 万元", "单位共有公务用车 4 辆", "外事接待 0 批次，0 人"
    record, _ = _three_public()
    three = record["three_public"]
    assert three["vehicle"]["operation"]["value"] == "6.00"
    assert three["vehicle"]["fleet"]["value"] == "4"
    assert three["reception"]["foreign_persons"]["value"] == "0"
    assert record["_meta"]["unread"] == []


_VEHICLE_BREAKDOWN = """示范省示范局2025年度部门决算
第三部分 示范省示范局2025年度部门决算情况说明
七、一般公共预算财政拨款“三公”经费支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
2025年度“三公”经费财政拨款支出预算为20.00万元，支出决算为12.00万元，完成预算的60.00%。
（二）“三公”经费财政拨款支出决算具体情况说明
2.公务用车购置及运行维护费支出决算12.00万元，完成预算的60.00%。其中：公务用车购置费0.00万元，本年未购置公务用车；公务用车运行维护费12.00万元，主要用于机要通信用车的燃料费等支出。
公务用车运行维护费比2024年度决算减少0.50万元，下降{pct}%。截至2025年12月31日，本部门公务用车保有量为2辆。
"""


def test_a_vehicle_parts_change_naming_it_after_the_items_breakdown_is_the_parts():
    # "其中：…公务用车运行维护费 12.00 万元，…。公务用车运行维护费比 2024 年度决算减少 0.50 万元，下降 4.00%" (湖北):
    # listed unread; the change now the breakdown's figure's, its percentage checked (CHG-026)
    record = read_document(_VEHICLE_BREAKDOWN.format(pct="4.00").encode("utf-8"), name="fa.txt")
    operation = record["three_public"]["vehicle"]["operation"]
    assert (operation["value"], operation["change"], operation["pct"]) == ("12.00", "-0.50", "-4.00")
    assert "change" not in record["three_public"]["vehicle"]["item"]
    assert not [u for u in record["_meta"]["unread"] if "0.50" in u["reason"]]
    wrong = read_document(_VEHICLE_BREAKDOWN.format(pct="5.00").encode("utf-8"), name="fa.txt")
    failing = {f.rule for f in fiscalrules.load_ruleset("final_accounts").evaluate(wrong).findings if f.status == "fail"}
    assert "CHG-026" in failing


def test_a_title_printing_the_year_before_the_publisher_names_kind_and_publisher():
    # "2025年度湖北省某某局部门决算": no kind was read, QUA-008 not evaluable ("缺少 部门或单位")
    text = _VEHICLE_BREAKDOWN.format(pct="4.00").replace("示范省示范局2025年度部门决算", "2025年度示范省示范局部门决算", 1)
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert (record["doc"]["kind"]["value"], record["doc"]["year"]["value"], record["doc"]["publisher"]["value"]) == \
        ("部门决算", "2025", "示范省示范局")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    assert not [f for f in findings if f.rule == "QUA-008" and f.status == "not_evaluable"]


_APPROPRIATION_BY_FUND = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
四、财政拨款收入支出决算总体情况说明
2025年度财政拨款收、支总计130.00万元。其中：一般公共预算财政拨款收入{income}万元，年初财政拨款结转和结余10.00万元；一般公共预算财政拨款支出125.00万元，年末财政拨款结转和结余5.00万元。
"""


def test_the_years_appropriation_printed_by_its_fund_type_is_read_and_held_to_the_table():
    # "其中：一般公共预算财政拨款收入 A 万元，年初…；一般公共预算财政拨款支出 C 万元，…" (四川: a department with the one
    # fund type): listed unread; each now held to the 财政拨款收入支出决算总表's figure of the fund type (NAR-035)
    record = read_document(_APPROPRIATION_BY_FUND.format(income="120.00").encode("utf-8"), name="fa.txt")
    appropriation = record["appropriation"]
    assert (appropriation["income"]["general_budget"]["value"], appropriation["expenditure"]["general_budget"]["value"]) == \
        ("120.00", "125.00")
    assert record["_meta"]["unread"] == []
    table = {"income_total": {"value": "120.00"}, "income": {"general_budget": {"value": "120.00"}},
             "expenditure_total": {"total": {"value": "125.00"}, "general_budget": {"value": "125.00"}}}
    statuses = {}
    for income in ("120.00", "102.00"):
        record = read_document(_APPROPRIATION_BY_FUND.format(income=income).encode("utf-8"), name="fa.txt")
        record.setdefault("tables", {})["appropriation_summary"] = table
        statuses[income] = next(f.status for f in fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
                                if f.rule == "NAR-035")
    assert statuses == {"120.00": "pass", "102.00": "fail"}


# ---- 十（四）预算绩效管理情况: the counts first, and each project's self-evaluation result --------------------

_PERFORMANCE = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
十、其他重要事项的情况说明
（四）预算绩效管理情况
根据预算绩效管理要求，本部门组织对全部4个一级项目开展了绩效目标申报，涉及一般公共预算当年财政拨款150.00万元。年度终了，本部门对4个项目开展了绩效自评。
1.项目绩效自评结果。“示范调解”项目年初预算数50.00万元，全年预算数60.00万元，执行数54.00万元，完成全年预算的{rate}%，未执行部分6.00万元结转下年使用。
示范推广补助项目绩效自评综述：该项目全年预算数200.00万元，执行数190.00万元，完成预算的95.00%。
"""


def _performance(rate: str = "90.00"):
    record = read_document(_PERFORMANCE.format(rate=rate).encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    statuses: dict[str, set] = {}
    for f in findings:
        statuses.setdefault(f.rule, set()).add(f.status)
    return record, statuses


def test_projects_with_targets_and_self_evaluated_counted_first():
    # "组织对全部 4 个一级项目开展了绩效目标申报，涉及一般公共预算当年财政拨款 150.00 万元", "对 4 个项目开展了绩效自评"
    record, _ = _performance()
    performance = record["performance"]
    assert (performance["targets"]["projects"]["value"], performance["targets"]["amount"]["value"]) == ("4", "150.00")
    assert performance["self_evaluated"]["projects"]["value"] == "4"


def test_each_projects_self_evaluation_result_is_read_and_checked():
    # "“示范调解”项目年初预算数 50.00 万元，全年预算数 60.00 万元，执行数 54.00 万元，完成全年预算的 90.00%，未执行部分
    # 6.00 万元": listed unread, the rate unchecked
    record, statuses = _performance()
    rows = [{k: v["value"] if isinstance(v, dict) else v for k, v in row.items()} for row in record["performance"]["projects"]]
    assert rows == [{"name": "“示范调解”项目", "budget": "50.00", "adjusted_budget": "60.00", "executed": "54.00",
                     "rate": "90.00", "unexecuted": "6.00"},
                    {"name": "示范推广补助项目", "adjusted_budget": "200.00", "executed": "190.00", "rate": "95.00"}]
    assert record["_meta"]["unread"] == []
    assert (statuses["PRF-005"], statuses["PRF-006"]) == ({"pass"}, {"pass"})
    _, statuses = _performance(rate="99.00")
    assert "fail" in statuses["PRF-005"]


# ---- a project's 绩效自评表 among the 情况说明's paragraphs -------------------------------------------------

_SELF_EVALUATION = """示范省示范局2025年度部门决算
第三部分 示范省示范局2025年度部门决算情况说明
十、其他重要事项的情况说明
（四）预算绩效管理情况
示范推广补助项目绩效自评综述：项目绩效自评表如下：
项目名称{tab}示范推广补助项目
主管部门{tab}示范省示范局{tab}实施单位{tab}示范省示范局
项目资金（万元）{tab}年初预算数{tab}全年预算数{tab}全年执行数{tab}分值{tab}执行率{tab}得分
年度资金总额{tab}100.00{tab}120.00{tab}108.00{tab}10{tab}{rate}%{tab}9.00
一级指标{tab}二级指标{tab}三级指标{tab}年度指标值{tab}实际完成值{tab}分值{tab}得分
产出指标{tab}数量指标{tab}示范基地建设数{tab}≥50个{tab}52个{tab}10{tab}10
{tab}质量指标{tab}技术到位率{tab}≥95%{tab}96.3%{tab}10{tab}10
满意度指标{tab}服务对象满意度指标{tab}示范主体满意度{tab}≥90%{tab}93.1%{tab}10{tab}10
该项目自评得分88.00分。
"""


@pytest.mark.parametrize("tab", ["\t", "  "])
def test_a_self_evaluation_table_among_the_paragraphs_is_no_prose(tab):
    # (a Word table's rows as cells, or a PDF's as words): its indicator values were counts "not mapped to a
    # field" and its header words the labels of the next figure; its funds line is the project's figures
    record = read_document(_SELF_EVALUATION.format(tab=tab, rate="90.00").encode("utf-8"), name="fa.txt")
    rows = [{k: v["value"] if isinstance(v, dict) else v for k, v in row.items()} for row in record["performance"]["projects"]]
    assert rows == [{"name": "示范推广补助项目", "budget": "100.00", "adjusted_budget": "120.00", "executed": "108.00",
                     "rate": "90.00"}]
    unread = record["_meta"]["unread"]
    assert [(u["lines"], "indicators" in u["reason"]) for u in unread] == [([10, 13], True)]
    failing = {f.rule for f in fiscalrules.load_ruleset("final_accounts").evaluate(
        read_document(_SELF_EVALUATION.format(tab=tab, rate="98.00").encode("utf-8"), name="fa.txt")).findings
        if f.status == "fail"}
    assert "PRF-005" in failing


def test_receptions_persons_counted_after_accumulated_and_received():
    # "全年国内公务接待 42 批次，累计接待 368 人次"
    text = _THREE_PUBLIC.format(pct="12.00").replace("国内公务接待15批次，120人次", "全年国内公务接待15批次，累计接待120人次")
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert record["three_public"]["reception"]["persons"]["value"] == "120"
    assert record["_meta"]["unread"] == []


def test_the_self_evaluated_projects_counted_with_their_money_and_their_grades_after_a_comma():
    # "…全面开展绩效自评，共涉及项目 36 个，涉及资金 8,052.50 万元，占…的 100%。…评价等级为“优”的项目 31 个，“良”的
    # 项目 5 个" (广州): the projects counted now, the 良 grade -- named after a comma alone -- was not read (PRF-001)
    text = _PERFORMANCE.format(rate="90.00").replace(
        "根据预算绩效管理要求，本部门组织对全部4个一级项目开展了绩效目标申报，涉及一般公共预算当年财政拨款150.00万元。"
        "年度终了，本部门对4个项目开展了绩效自评。",
        "本部门组织对2025年度一般公共预算项目支出全面开展绩效自评，共涉及项目4个，涉及资金250.00万元，"
        "占一般公共预算项目支出总额的100%。从自评结果看，评价等级为“优”的项目3个，“良”的项目1个。")
    record = read_document(text.encode("utf-8"), name="fa.txt")
    performance = record["performance"]
    assert performance["self_evaluated"]["projects"]["value"] == "4"
    assert {k: v["value"] for k, v in performance["grades"].items()} == {"excellent": "3", "good": "1"}
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    assert {f.status for f in findings if f.rule == "PRF-001"} == {"pass"}


def test_grades_of_four_levels_after_the_self_evaluation_result():
    # "自评结果为“优”的项目 3 个，“良”的项目 1 个，“中”的项目 1 个，“差”的项目 0 个" (贵州, 陕西): 优 not read after
    # 自评结果, 中 and 差 not at all -- once 良 was read (after a comma alone), PRF-001 failed by them
    text = _PERFORMANCE.format(rate="90.00").replace(
        "年度终了，本部门对4个项目开展了绩效自评。",
        "年度终了，本部门对5个项目开展了绩效自评。自评结果为“优”的项目3个，“良”的项目1个，“中”的项目1个，“差”的项目0个。")
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert {k: v["value"] for k, v in record["performance"]["grades"].items()} == \
        {"excellent": "3", "good": "1", "medium": "1", "poor": "0"}
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    assert {f.status for f in findings if f.rule == "PRF-001"} == {"pass"}
