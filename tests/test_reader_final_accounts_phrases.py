"""The 决算 情况说明 as other regions word it (review 19 C R4): figures read by label and amount.

The team's example 决算 (examples/make_final_accounts.py, fictional; its planted errors removed by
tests/final_accounts_variants.py) is made again with one paragraph reworded the way other regions'
决算 print it, all figures unchanged.  Each wording must give the record the figures the
template's wording gives (a clean document audits with 0 不一致 and nothing silent), and its bad
twin -- one figure of that paragraph changed -- must be found by the rule over that figure.  A change
stated against this year's budget ("比年初预算数 B 万元减少 C 万元") is read as that (CMP-030 …), never
as a change against last year.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as variants  # noqa: E402  (tests/ is on the path)

# (id, the example's paragraph (regex), the reworded paragraph with {X}, X in the clean and the
#  bad twin, {path: value} the clean record holds, the rule that finds the bad twin)
WORDINGS = [
    ("totals_each_changed", r"^滨江市青石区文化旅游局2024年度收入支出总计.*$",
     "本部门2024年度收入总计1,230.60万元，支出总计1,230.60万元。与2023年度相比，收、支总计各增加{X}万元，"
     "增长5.18%，主要原因是群众文化活动增加。", "60.60", "66.60",
     {"overview.total": "1230.60", "overview.total.change": "60.60", "overview.total.pct": "5.18",
      "overview.expenditure_total": "1230.60"}, "CHG-001"),
    ("totals_apart", r"^滨江市青石区文化旅游局2024年度收入支出总计.*$",
     "2024年度本部门收入总计1,230.60万元，支出总计{X}万元，与上年相比，收、支总计各增加60.60万元，增长5.18%。",
     "1,230.60", "1,203.60", {"overview.total": "1230.60", "overview.expenditure_total": "1230.60"}, "NAR-016"),
    # session 38: 四 the same way ("财政拨款收入总计 X 万元，支出总计 Y 万元…各增加"): the three figures were listed
    ("appropriation_totals_apart", r"^滨江市青石区文化旅游局2024年度财政拨款收入支出总计.*$",
     "2024年度本部门财政拨款收入总计1,218.60万元，支出总计{X}万元。与上年相比，财政拨款收、支总计各增加48.60万元，增长4.15%。",
     "1,218.60", "1,281.60", {"appropriation.total": "1218.60", "appropriation.total.change": "48.60",
                              "appropriation.expenditure_total": "1218.60"}, "NAR-023"),
    ("income_share_of_year", r"^本年收入合计.*$",
     "2024年度收入合计1,222.60万元。其中：财政拨款收入{X}万元，占本年收入的99.02%；事业收入12.00万元，"
     "占本年收入的0.98%。", "1,210.60", "1,201.60",
     {"income.total": "1222.60", "income.sources.appropriation": "1210.60",
      "income.sources.appropriation.share": "99.02", "income.sources.business": "12.00"}, "NAR-002"),
    ("expenditure_share_of_year", r"^本年支出合计.*$",
     "2024年度支出合计1,216.60万元。其中：基本支出{X}万元，占本年支出的71.07%；项目支出352.00万元，"
     "占本年支出的28.93%。", "864.60", "846.60",
     {"expenditure.total": "1216.60", "expenditure.parts.basic": "864.60",
      "expenditure.parts.basic.share": "71.07", "expenditure.parts.project": "352.00"}, "NAR-005"),
    # session 31: the change with its particle and the percentage as a rate ("增加了 C 万元，增长率为 P%")
    ("totals_rate_and_particle", r"^滨江市青石区文化旅游局2024年度收入支出总计.*$",
     "滨江市青石区文化旅游局2024年度收入支出总计1,230.60万元。与2023年度相比，收入支出总计增加了60.60万元，"
     "增长率为{X}%。主要原因：群众文化活动和文物保护修缮项目增加。", "5.18", "6.18",
     {"overview.total": "1230.60", "overview.total.change": "60.60", "overview.total.pct": "5.18"}, "CHG-001"),
    # session 31: shares reworded ("占本年收入合计的 S%", "所占比重为 S%"): the template's sentence read them
    # only as "占 S%", and the parts were left unread
    # session 48: 五（一） with its share and change in one sentence -- the three figures were listed unread
    ("general_budget_share_and_change", r"^一般公共预算财政拨款支出[0-9,.]+万元，占本年支出合计.*$",
     "2024年度一般公共预算财政拨款支出决算数为1,206.60万元，占本年支出合计的99.18%，比2023年度决算数增加{X}万元，"
     "增长4.92%。主要原因：群众文化活动经费增加。", "56.60", "65.60",
     {"general_budget.total": "1206.60", "general_budget.share": "99.18", "general_budget.total.change": "56.60"},
     "CHG-003"),
    # session 49: 五（一）'s share of "本年支出" (not 本年支出合计): the template's sentence did not read it and
    # the change in the next sentence was left as a figure of its own; its share of "支出总额" (the phrases)
    # and the change in a sentence of its own: the change listed unread -- CHG-003 unchecked both ways
    ("general_budget_share_of_year", r"^一般公共预算财政拨款支出[0-9,.]+万元，占本年支出合计.*$",
     "一般公共预算财政拨款支出1,206.60万元，占本年支出的99.18%。与2023年度相比，一般公共预算财政拨款支出增加{X}万元，"
     "增长4.92%。主要原因：群众文化活动经费增加。", "56.60", "65.60",
     {"general_budget.total": "1206.60", "general_budget.share": "99.18", "general_budget.total.change": "56.60"},
     "CHG-003"),
    ("general_budget_change_apart", r"^一般公共预算财政拨款支出[0-9,.]+万元，占本年支出合计.*$",
     "一般公共预算财政拨款支出1,206.60万元，占支出总额的99.18%。与2023年度相比，一般公共预算财政拨款支出增加{X}万元，"
     "增长4.92%。主要原因：群众文化活动经费增加。", "56.60", "65.60",
     {"general_budget.total": "1206.60", "general_budget.share": "99.18", "general_budget.total.change": "56.60"},
     "CHG-003"),
    # session 48: the vehicles' two parts named 购置费 / 运行维护费 -- listed unread, TPF-007 unchecked
    ("vehicle_parts_as_fees", r"^2、公务用车购置及运行维护费支出.*$",
     "2、公务用车购置及运行维护费支出6.00万元，其中：公务用车购置费0.00万元，公务用车运行维护费{X}万元。主要用于文化"
     "市场执法检查等公务用车的燃料、维修、保险等支出。2024年，滨江市青石区文化旅游局所属各预算单位开支财政拨款的"
     "公务用车保有量为3辆。", "6.00", "16.00",
     {"three_public.vehicle.purchase": "0.00", "three_public.vehicle.operation": "6.00"}, "TPF-007"),
    # session 48: the receptions' counts named otherwise ("共接待 N 批次，接待人数 M 人次", "接待批次 N 批次，
    # 接待人次 M 人次"), the item without 支出 ("3、公务接待费 X 万元") -- listed unread
    ("reception_counts_named", r"^3、公务接待费支出.*$",
     "3、公务接待费支出2.40万元，全部为国内公务接待支出。主要用于接待兄弟区县文化旅游部门考察交流，共接待20批次，"
     "接待人数{X}人次，其中：接待外宾1批次、10人次。", "160", "6",
     {"three_public.reception.batches": "20", "three_public.reception.persons": "160",
      "three_public.reception.foreign_persons": "10"}, "TPF-009"),
    # session 49: "批" and "人" without 次, "接待国内公务 N 批次" (the batches were not read, silently; TPF-009 unchecked)
    ("reception_counts_short_units", r"^3、公务接待费支出.*$",
     "3、公务接待费支出2.40万元，全部为国内公务接待支出。主要用于接待兄弟区县文化旅游部门考察交流，全年接待国内公务20批、"
     "{X}人，其中：接待外宾1批、10人。", "160", "6",
     {"three_public.reception.batches": "20", "three_public.reception.persons": "160",
      "three_public.reception.foreign_batches": "1", "three_public.reception.foreign_persons": "10"}, "TPF-009"),
    # ... and the foreign receptions printed beside the domestic ones: TPF-008 failed by them on a correct document
    ("reception_foreign_apart", r"^3、公务接待费支出.*$",
     "3、公务接待费支出2.40万元，其中：国内公务接待支出1.40万元，接待20批次，160人次；外事接待支出{X}万元，接待外宾1批次、"
     "5人次。", "1.00", "0.10",
     {"three_public.reception.domestic": "1.40", "three_public.reception.foreign_apart": "1.00",
      "three_public.reception.persons": "160"}, "TPF-008"),
    ("reception_item_named", r"^3、公务接待费支出.*$",
     "3、公务接待费{X}万元。国内公务接待20批次，160人次，主要用于接待兄弟区县文化旅游部门考察交流。", "2.40", "4.20",
     {"three_public.reception.item": "2.40", "three_public.reception.batches": "20",
      "three_public.reception.persons": "160"}, "TPF-015"),
    # session 48: 六 as other regions word it -- the three figures were listed unread
    ("basic_changed_then_parts", r"^一般公共预算财政拨款基本支出.*$",
     "一般公共预算财政拨款基本支出864.60万元，比上年增加20.00万元，增长2.37%。其中：人员经费{X}万元；公用经费58.00万元。",
     "806.60", "860.60", {"basic.total": "864.60", "basic.personnel": "806.60", "basic.public": "58.00"}, "NAR-021"),
    ("basic_included", r"^一般公共预算财政拨款基本支出.*$",
     "一般公共预算财政拨款基本支出864.60万元，包括人员经费806.60万元和公用经费{X}万元。", "58.00", "85.00",
     {"basic.total": "864.60", "basic.personnel": "806.60", "basic.public": "58.00"}, "NAR-021"),
    ("income_share_of_total", r"^本年收入合计.*$",
     "本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占本年收入合计的{X}%；事业收入12.00万元，"
     "所占比重为0.98%。", "99.02", "98.02",
     {"income.total": "1222.60", "income.sources.appropriation": "1210.60",
      "income.sources.appropriation.share": "99.02", "income.sources.business.share": "0.98"}, "PCT-001"),
    # session 31: the budget and final worded "年初预算数为 / 决算数为", the completion as a rate ("预算完成率为 P%")
    ("completion_as_rate", r"^一般公共预算财政拨款支出年初预算为.*其中：$",
     "一般公共预算财政拨款支出年初预算数为1,250.00万元，决算数为1,206.60万元，预算完成率为{X}%。决算数小于预算数的"
     "主要原因：部分项目按实际进度支付，厉行节约压减一般性支出。其中：", "96.53", "95.63",
     {"general_budget.budget": "1250.00", "general_budget.final": "1206.60", "general_budget.completion": "96.53",
      "general_budget.basis": "年初预算"}, "PCT-005"),
    # session 31: the 三公 changes with their particles ("减少了 C 万元，下降了 P%")
    ("three_public_changes_particle", r"^2024年度“三公”经费财政拨款支出决算数比2023年度.*$",
     "2024年度“三公”经费财政拨款支出决算数比2023年度减少了{X}万元，下降了7.27%，其中：因公出国（境）费支出决算减少了"
     "0.20万元，下降了10.00%；公务用车购置及运行维护费支出决算减少了0.50万元，下降了7.69%；公务接待费支出决算减少了"
     "0.10万元，下降了4.00%。主要原因是厉行节约。", "0.80", "0.90",
     {"three_public.final.change": "-0.80", "three_public.reception.final.change": "-0.10"}, "CHG-006"),
    # session 31: the national sentence on contracts awarded to small firms, read and checked (PROC-003 / PROC-004)
    ("procurement_awarded_to_smes", r"^滨江市青石区文化旅游局2024年度政府采购金额.*$",
     "滨江市青石区文化旅游局2024年度政府采购金额（以合同签订为准）为60.00万元，其中：货物采购金额21.00万元、工程采购金额"
     "0.00万元、服务采购金额39.00万元。授予中小企业合同金额{X}万元，占政府采购支出总额的65.00%，其中：授予小微企业合同金额"
     "30.00万元，占政府采购支出总额的50.00%。", "39.00", "49.00",
     {"procurement.total": "60.00", "procurement.sme_contracts": "39.00", "procurement.sme_contracts_share": "65.00",
      "procurement.small_contracts": "30.00", "procurement.small_contracts_share": "50.00"}, "PROC-004"),
    ("operating_costs_vs_last_final", r"^机关运行经费支出.*$",
     "2024年度本单位机关运行经费支出58.00万元，比上年决算数减少2.00万元，降低{X}%。主要原因是压减一般性支出。",
     "3.33", "3.53", {"operating_costs": "58.00", "operating_costs.change": "-2.00", "operating_costs.pct": "-3.33"},
     "CHG-005"),
    ("operating_costs_routine", r"^机关运行经费支出.*$",
     "本部门2024年度机关运行经费（日常公用经费）决算数为{X}万元，比2023年度减少2.00万元，下降3.33%。",
     "58.00", "85.00", {"operating_costs": "58.00", "operating_costs.change": "-2.00"}, "OPS-001"),
    ("procurement_total_spent", r"^滨江市青石区文化旅游局2024年度政府采购金额.*$",
     "2024年度政府采购支出总额60.00万元，其中：政府采购货物支出{X}万元、政府采购工程支出0万元、"
     "政府采购服务支出39.00万元。", "21.00", "12.00",
     {"procurement.total": "60.00", "procurement.goods": "21.00", "procurement.works": "0",
      "procurement.services": "39.00"}, "PROC-001"),
    # session 49: 二 and 三's totals without 合计 ("本年收入 X 万元，其中：…"): listed unread, NAR-002 / NAR-003 /
    # NAR-005 unchecked
    ("income_year_without_total_word", r"^本年收入合计.*$",
     "本年收入{X}万元，其中：财政拨款收入1,210.60万元，占99.02%；事业收入12.00万元，占0.98%。", "1,222.60", "1,232.60",
     {"income.total": "1222.60"}, "NAR-002"),
    ("expenditure_year_without_total_word", r"^本年支出合计.*$",
     "本年支出{X}万元，其中：基本支出864.60万元，占71.07%；项目支出352.00万元，占28.93%。", "1,216.60", "1,261.60",
     {"expenditure.total": "1216.60"}, "NAR-005"),
    # session 49: 十's projects with targets worded as the budget's central template words them ("实行绩效
    # 目标管理的项目 N 个"): count and money listed unread, PRF-003 unchecked
    ("performance_targets_managed", r"编报绩效目标的2024年度项目4个", "实行绩效目标管理的项目{X}个", "4", "3",
     {"performance.targets.projects": "4", "performance.targets.amount": "352.00"}, "PRF-003"),
    # ... and the tracking by its newer name, 绩效运行监控 (listed unread, PRF-003 unchecked for it)
    ("performance_monitored", r"绩效跟踪评价的2024年度项目4个", "绩效运行监控的项目{X}个", "4", "5",
     {"performance.tracked.projects": "4", "performance.tracked.amount": "352.00"}, "PRF-003"),
    # session 49: "政府采购资金 X 万元" (the total was listed unread, PROC-001 unchecked)
    ("procurement_funds", r"^滨江市青石区文化旅游局2024年度政府采购金额.*$",
     "2024年度政府采购资金60.00万元，其中：货物采购金额{X}万元、工程采购金额0.00万元、服务采购金额39.00万元。",
     "21.00", "12.00", {"procurement.total": "60.00", "procurement.goods": "21.00"}, "PROC-001"),
    ("vehicles_national_kinds", r"^截至2024年12月31日.*$",
     "截至2024年12月31日，本部门共有车辆3辆，其中，副部（省）级及以上领导用车0辆，主要负责人用车0辆，"
     "机要通信用车0辆，应急保障用车0辆，执法执勤用车1辆，特种专业技术用车0辆，离退休干部服务用车0辆，"
     "其他用车{X}辆；单位价值100万元以上设备0台（套）。", "2", "4",
     {"assets.vehicles.total": "3", "assets.vehicles.kinds.minister": "0", "assets.vehicles.kinds.leader": "0",
      "assets.vehicles.kinds.retired_cadre": "0", "assets.vehicles.kinds.other": "2",
      "assets.large_equipment": "0"}, "AST-001"),
    # the template's list ("其中：" …) with the national kinds' newer names: read beside the ones it knows
    ("vehicles_template_list_new_kinds", r"^截至2024年12月31日.*$",
     "截至2024年12月31日，本单位共有车辆3辆，其中：副部（省）级及以上领导用车0辆、主要负责人用车{X}辆、机要通信用车0辆、"
     "应急保障用车0辆、执法执勤用车1辆、特种专业技术用车0辆、离退休干部服务用车0辆、其他用车2辆。单价100万元（含）"
     "以上设备（不含车辆）0台（套）。", "0", "1",
     {"assets.vehicles.kinds.minister": "0", "assets.vehicles.kinds.leader": "0",
      "assets.vehicles.kinds.retired_cadre": "0", "assets.vehicles.kinds.law_enforcement": "1"}, "AST-001"),
    # amounts in 元 in a 万元 document
    ("income_in_yuan", r"^本年收入合计.*$",
     "本年收入合计12,226,000.00元，其中：财政拨款收入{X}元，占99.02%；事业收入120,000.00元，占0.98%。",
     "12,106,000.00", "12,006,000.00",
     {"income.total": "12226000.00", "income.sources.appropriation": "12106000.00"}, "NAR-002"),
    # against this year's budget: the final figure, its budget and the change between them
    ("total_against_budget", r"^一般公共预算财政拨款支出年初预算为.*其中：$",
     "2024年度一般公共预算财政拨款支出决算数为1,206.60万元，比年初预算数1,250.00万元减少{X}万元，完成年初预算的"
     "96.53%。决算数小于年初预算数的主要原因：部分项目按实际进度支付。其中：", "43.40", "34.40",
     {"general_budget.final": "1206.60", "general_budget.budget": "1250.00", "general_budget.budget_change": "-43.40",
      "general_budget.completion": "96.53", "general_budget.basis": "年初预算", "general_budget.comparison": "小于",
      "general_budget.reason": "部分项目按实际进度支付"}, "CMP-030"),
    # session 49: 五（三）'s total against its budget without 为 ("年初预算数 B 万元，决算数 F 万元"; "…，预算完成率
    # P%"): budget, final figure and completion were listed unread -- PCT-005 unchecked
    ("total_against_budget_without_wei", r"^一般公共预算财政拨款支出年初预算为.*其中：$",
     "一般公共预算财政拨款支出年初预算数1,250.00万元，决算数1,206.60万元，预算完成率{X}%。决算数小于预算数的主要原因："
     "部分项目按实际进度支付。其中：", "96.53", "95.63",
     {"general_budget.final": "1206.60", "general_budget.budget": "1250.00", "general_budget.completion": "96.53",
      "general_budget.comparison": "小于"}, "PCT-005"),
    ("item_against_budget", r"^1、文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）.*$",
     "1、文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）。年初预算620.00万元，支出决算612.00万元，"
     "比年初预算减少{X}万元，完成年初预算的98.71%。减少的主要原因是：按实际需要支出。", "8.00", "6.00",
     {"general_budget.items.2070101.budget": "620.00", "general_budget.items.2070101.final": "612.00",
      "general_budget.items.2070101.budget_change": "-8.00", "general_budget.items.2070101.completion": "98.71",
      "general_budget.items.2070101.reason": "按实际需要支出"}, "CMP-031"),
    ("total_pct_against_budget", r"^一般公共预算财政拨款支出年初预算为.*其中：$",
     "一般公共预算财政拨款支出决算数为1,206.60万元，比年初预算数1,250.00万元减少43.40万元，下降{X}%，完成年初预算的"
     "96.53%。决算数小于年初预算数的主要原因：部分项目按实际进度支付。其中：", "3.47", "4.37",
     {"general_budget.budget_change": "-43.40", "general_budget.budget_change_pct": "-3.47"}, "CMP-036"),
    ("item_pct_against_budget", r"^1、文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）.*$",
     "1、文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）。年初预算620.00万元，支出决算612.00万元，"
     "比年初预算减少8.00万元，下降{X}%，完成年初预算的98.71%。减少的主要原因是：按实际需要支出。", "1.29", "1.92",
     {"general_budget.items.2070101.budget_change": "-8.00", "general_budget.items.2070101.budget_change_pct": "-1.29",
      "general_budget.items.2070101.completion": "98.71"}, "CMP-037"),
    ("three_public_against_budget", r"^“三公”经费财政拨款支出年初预算为.*$",
     "2024年度“三公”经费财政拨款支出决算数为10.20万元，比年初预算数12.00万元减少{X}万元，完成年初预算的85.00%。"
     "其中：因公出国（境）费决算数为1.80万元，完成预算的90.00%；公务用车购置及运行维护费决算数为6.00万元，完成预算的"
     "85.71%；公务接待费决算数为2.40万元，完成预算的80.00%。决算数小于预算数的主要原因：严格控制公务接待。",
     "1.80", "1.20",
     {"three_public.final": "10.20", "three_public.budget": "12.00", "three_public.budget_change": "-1.80",
      "three_public.completion": "85.00", "three_public.comparison": "小于", "three_public.overseas.final": "1.80",
      "three_public.reception.completion": "80.00",
      # the change against last year, in the next paragraph as the template prints it, still read
      "three_public.final.change": "-0.80", "three_public.reception.final.change": "-0.10"}, "CMP-032"),
    ("three_public_changes_against_budget", r"^2024年度“三公”经费财政拨款支出决算数比2023年度.*$",
     "2024年度“三公”经费财政拨款支出决算数比年初预算减少1.80万元，下降15.00%，其中：因公出国（境）费支出决算比"
     "年初预算减少0.20万元，下降10.00%；公务用车购置及运行维护费支出决算比年初预算减少1.00万元，下降14.29%；"
     "公务接待费支出决算比年初预算减少{X}万元，下降20.00%。主要原因是厉行节约。", "0.60", "0.70",
     {"three_public.budget_change": "-1.80", "three_public.budget_change_pct": "-15.00",
      "three_public.overseas.budget_change": "-0.20", "three_public.vehicle.budget_change_pct": "-14.29",
      "three_public.reception.budget_change": "-0.60",
      # never taken for a change against last year
      "three_public.final.change": None, "three_public.reception.final.change": None}, "CMP-033"),
]


def _audit(pattern: str, replacement: str):
    record = read_document(variants.build(paragraphs=[(pattern, replacement)]), name="reworded.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


def _value(record: dict, path: str):
    """The value at *path*; a row of a coded list by its code ("income.sources.appropriation"),
    a row's amount when the path ends at the row, its share by ".share"."""
    node = record
    for key in path.split("."):
        if isinstance(node, list):
            node = next((row for row in node if row.get("code") == key), None)
            if node is not None and "amount" in node:
                node = {**node, "value": node["amount"]["value"]}
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
        if node is None:
            return None
    if isinstance(node, dict):
        return node.get("value")
    return node


@pytest.mark.parametrize("name, pattern, wording, good, bad, expected, rule", WORDINGS, ids=[w[0] for w in WORDINGS])
def test_a_reworded_paragraph_reads_its_figures(name, pattern, wording, good, bad, expected, rule):
    record, failing = _audit(pattern, wording.replace("{X}", good))
    assert {path: _value(record, path) for path in expected} == expected
    assert failing == set()
    coverage = record["_meta"]["coverage"]
    assert coverage["silent_lines"] == [], coverage
    _, failing = _audit(pattern, wording.replace("{X}", bad))
    assert rule in failing, failing



def test_a_vehicle_count_naming_no_known_kind_is_listed():
    record, failing = _audit(r"^截至2024年12月31日.*$", "截至2024年12月31日，本部门共有车辆3辆，其中：业务用车1辆、"
                             "执法执勤用车0辆、其他用车2辆。")
    assert "AST-001" in failing             # the kinds read add up to 2 of 3
    assert any("业务用车1辆" in u["reason"] for u in record["_meta"]["unread"]), record["_meta"]["unread"]
