"""七（二）'s 三公 items named in their numbered lead or run-in heading, their figures by role only ("2.公务用车购置及
运行维护费支出预算为 B 万元，支出决算为 F 万元，完成预算的 P%，较上年减少 C 万元，下降 Q%"; "1.因公出国（境）费。2025 年度
支出决算 F 万元，与 2024 年度相比增加 C 万元，增长 Q%"): each item's final figure (``item``), budget, rate and
change read, and its percentage checked (CHG-008…013).  Fictional text written for these tests.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

_TEXT = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
七、一般公共预算财政拨款“三公”经费支出决算情况说明
（一）“三公”经费支出总体情况说明
{overall}
（二）“三公”经费支出具体情况说明
{details}
"""

# 七（一） with the total only (河北's shape): the items' budgets and final figures are 七（二）'s
_TOTAL_ONLY = ("2025年度“三公”经费支出预算为20.00万元，支出决算为16.00万元，完成预算的80.00%，较上年减少2.00万元，"
               "下降11.11%。决算数小于预算数的主要原因是厉行节约。")
_INLINE = ("1. 因公出国（境）费支出预算为0万元，支出决算为0万元，全年无因公出国（境）团组。\n"
           "2. 公务用车购置及运行维护费支出预算为15.00万元，支出决算为12.00万元，完成预算的80.00%，较上年减少1.50万元，"
           "下降{vehicle_pct}%。其中：公务用车购置费0万元，本年度未购置公务用车；公务用车运行维护费12.00万元，公务用车保有量为3辆。\n"
           "3. 公务接待费支出预算为5.00万元，支出决算为4.00万元，完成预算的80.00%，较上年减少0.50万元，下降11.11%。"
           "其中：国内公务接待支出4.00万元，国内公务接待8批次、40人次。")

# 七（一） with each item against its budget (福建's shape), 七（二） naming each item in a run-in heading
_WITH_ITEMS = ("2025年度“三公”经费支出预算为20.00万元，支出决算为16.00万元，完成预算的80.00%。其中：因公出国（境）费支出预算为"
               "4.00万元，支出决算为3.00万元，完成预算的75.00%；公务用车购置费支出预算为0万元，支出决算为0万元；公务用车运行维护费"
               "支出预算为11.00万元，支出决算为9.00万元，完成预算的81.82%；公务接待费支出预算为5.00万元，支出决算为4.00万元，"
               "完成预算的80.00%。")
_RUN_IN = ("1.因公出国（境）费。2025年度支出决算3.00万元，与2024年度相比增加0.50万元，增长{overseas_pct}%。主要用于出访交流。\n"
           "2.公务用车购置及运行维护费。2025年度支出决算9.00万元，与2024年度相比减少1.00万元，下降{vehicle_pct}%。"
           "其中：公务用车购置费支出决算0万元；公务用车运行维护费支出决算9.00万元。\n"
           "3.公务接待费。2025年度支出决算4.00万元，与2024年度相比减少0.50万元，下降11.11%。")


def _read(overall: str, details: str, **figures: str):
    text = _TEXT.format(overall=overall, details=details.format(**figures))
    record = read_document(text.encode("utf-8"), name="fa.txt")
    findings = fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
    return record, {f.rule for f in findings if f.status == "fail"}


def _value(record, path, key="value"):
    node = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node.get(key) if isinstance(node, dict) else node


def _unread(record):
    return [u["reason"] for u in record["_meta"]["unread"] if "三公" in u["reason"] or "费" in u["reason"]
            or "支出决算" in u["reason"]]


def test_an_item_named_in_its_lead_is_read_with_its_budget_rate_and_change():
    record, failing = _read(_TOTAL_ONLY, _INLINE, vehicle_pct="11.11")
    for path, value in (("overseas.item", "0"), ("overseas.budget", "0"), ("vehicle.item", "12.00"),
                        ("vehicle.budget", "15.00"), ("vehicle.completion", "80.00"), ("reception.item", "4.00"),
                        ("reception.budget", "5.00"), ("reception.completion", "80.00")):
        assert _value(record, "three_public." + path) == value, path
    assert _value(record, "three_public.vehicle.item", "change") == "-1.50"
    assert _value(record, "three_public.vehicle.item", "pct") == "-11.11"
    assert _value(record, "three_public.reception.item", "change") == "-0.50"
    assert not _unread(record), _unread(record)
    assert not {rule for rule in failing if rule.startswith(("CHG", "TPF"))}, failing


def test_a_wrong_percentage_of_an_item_named_in_its_lead_is_caught():
    _, failing = _read(_TOTAL_ONLY, _INLINE, vehicle_pct="11.91")    # (1.50 / 13.50 is 11.11%)
    assert "CHG-012" in failing, failing


def test_an_item_named_in_its_run_in_heading_gives_its_change_to_the_final_figure_before_it():
    record, failing = _read(_WITH_ITEMS, _RUN_IN, overseas_pct="20.00", vehicle_pct="10.00")
    # (七（一） stated the item's final figure: the change is that figure's, checked by CHG-008)
    assert _value(record, "three_public.overseas.item") == "3.00"
    assert _value(record, "three_public.overseas.final", "change") == "0.50"
    assert _value(record, "three_public.overseas.final", "pct") == "20.00"
    # (the vehicle item printed in its parts in 七（一）: the item's own change, CHG-012)
    assert _value(record, "three_public.vehicle.item") == "9.00"
    assert _value(record, "three_public.vehicle.item", "change") == "-1.00"
    assert _value(record, "three_public.vehicle.final") is None
    assert not _unread(record), _unread(record)
    assert not {rule for rule in failing if rule.startswith(("CHG", "TPF"))}, failing
    _, failing = _read(_WITH_ITEMS, _RUN_IN, overseas_pct="25.00", vehicle_pct="11.11")
    assert {"CHG-008", "CHG-012"} <= failing, failing


def test_a_heading_on_its_own_line_and_a_budget_named_by_its_role():
    details = ("1.因公出国（境）费支出情况\n2025年度预算数为4.00万元，决算数为3.00万元，完成预算的75.00%，比上年增加0.50万元，增长20.00%。\n"
               "公务接待费：本年度支出决算4.00万元，比上年减少0.50万元，下降11.11%。")
    record, failing = _read(_TOTAL_ONLY, details)
    assert _value(record, "three_public.overseas.item") == "3.00"
    assert _value(record, "three_public.overseas.budget") == "4.00"
    assert _value(record, "three_public.overseas.completion") == "75.00"
    assert _value(record, "three_public.overseas.item", "change") == "0.50"
    assert _value(record, "three_public.reception.item") == "4.00"
    assert _value(record, "three_public.reception.item", "pct") == "-11.11"
    assert not {rule for rule in failing if rule.startswith(("CHG", "TPF"))}, failing


def test_an_item_whose_lead_names_no_figure_of_its_own_takes_none_of_its_breakdown():
    details = ("2.公务用车购置及运行维护费。其中：公务用车购置费0万元；公务用车运行维护费9.00万元，比上年减少1.00万元。\n"
               "3.公务接待费。2025年度支出决算4.00万元，比上年减少0.50万元，下降11.11%。")
    record, _ = _read(_TOTAL_ONLY, details)
    assert _value(record, "three_public.reception.item") == "4.00"
    assert _value(record, "three_public.vehicle.item") is None
    assert _value(record, "three_public.vehicle.operation") == "9.00"


def test_the_overseas_groups_in_the_items_own_paragraph_and_the_receptions_counts_run_together():
    details = ("1.因公出国（境）费。2025年度支出决算3.00万元，比上年增加0.50万元，增长20.00%。主要用于组织1个团组4人次赴外交流。\n"
               "3.公务接待费。2025年度支出决算4.00万元，比上年减少0.50万元，下降11.11%。全年共接待国内公务接待9批次60人次，"
               "其中：国内公务接待支出4.00万元；国（境）外公务接待支出0万元。")
    record, _ = _read(_TOTAL_ONLY, details)
    assert _value(record, "three_public.overseas.groups") == "1"
    assert _value(record, "three_public.overseas.persons") == "4"
    assert _value(record, "three_public.reception.persons") == "60"
    # (the receptions of guests from abroad printed beside the domestic ones: TPF-008 adds them up)
    assert _value(record, "three_public.reception.foreign_apart") == "0"
    assert not _unread(record), _unread(record)


_OVERVIEW = """示范县示范局2025年度部门决算
第三部分 示范县示范局2025年度部门决算情况说明
一、收入支出决算总体情况说明
2025年度收入、支出决算总计500.00万元。与2024年度相比，收、支总计各增加50.00万元，增长11.11%。主要原因是项目增加。
（一）收入决算总计500.00万元。包括：本年收入决算450.00万元，使用非财政拨款结余0.00万元，年初结转和结余50.00万元。
（二）支出决算总计500.00万元。包括：本年支出决算460.00万元，结余分配0.00万元，年末结转和结余40.00万元。
"""


def test_the_totals_printed_again_over_their_breakdown_and_the_years_figures_named_as_决算():
    record = read_document(_OVERVIEW.encode("utf-8"), name="fa.txt")
    for path, value in (("total", "500.00"), ("expenditure_total", "500.00"), ("this_year_income", "450.00"),
                        ("this_year_expenditure", "460.00"), ("opening_balance", "50.00"), ("closing_balance", "40.00")):
        assert _value(record, "overview." + path) == value, path
    assert _value(record, "overview.total", "change") == "50.00"
    assert not [u["reason"] for u in record["_meta"]["unread"] if "总计" in u["reason"] or "本年" in u["reason"]], \
        record["_meta"]["unread"]


def test_an_item_named_by_a_section_heading_of_its_own():
    details = ("（一）因公出国（境）费\n2025年度支出决算3.00万元，比上年增加0.50万元，增长20.00%。\n"
               "（二）公务接待费\n预算为5.00万元，决算为4.00万元，完成预算的80.00%，比上年减少0.50万元，下降11.11%。")
    record, failing = _read(_TOTAL_ONLY, details)
    assert _value(record, "three_public.overseas.item") == "3.00"
    assert _value(record, "three_public.overseas.item", "change") == "0.50"
    assert _value(record, "three_public.reception.item") == "4.00"
    assert _value(record, "three_public.reception.budget") == "5.00"
    assert not {rule for rule in failing if rule.startswith(("CHG", "TPF"))}, failing
