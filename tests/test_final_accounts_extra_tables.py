"""The supplementary tables some regions publish after the nine (公开10表 and on), each in a small fictional
document written here: the 政府采购情况表 (by kind down the rows, or across the columns), the 国有资产占用情况表,
the 部门整体支出绩效自评表 -- read by title, header and row names into ``tables.procurement``,
``tables.assets``, ``tables.department_evaluation``; the SUP rules hold each table's identities and the
情况说明's figures to the table.  And the 情况说明's figures those tables define, as regions word them:
"主动向中小企业授予合同总额", "资产总额", the department's self-evaluation by fund.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document

_HEAD = "示范市示范局2025年度部门决算\n"

_PROCUREMENT_DOWN = """政府采购情况表
部门：示范市示范局    公开11表    单位：万元
采购类别    采购项目    政府采购合同金额    授予中小企业合同金额    中小企业占比
栏次    1    2    3
合计    {total}    90.00    {share}
一、货物类    40.00    30.00
二、工程类    0.00    0.00
三、服务类    60.00    60.00
货物    办公家具    40.00    30.00    75.00%
服务    物业管理服务    60.00    60.00    100.00%
注：本表反映部门本年度政府采购合同签订情况。
"""

_PROCUREMENT_ACROSS = """政府采购支出情况表
项目    合计    货物    工程    服务
政府采购合同金额    {total}    40.00    0.00    60.00
授予中小企业合同金额    90.00    30.00    0.00    60.00
注：本表反映部门本年度政府采购合同签订情况。
"""

_ASSETS = """国有资产占用情况表
部门：示范市示范局    公开12表    单位：万元、辆、台
项目    2025年12月31日
资产总额（万元）    500.00
其中：房屋及构筑物（万元）    300.00
车辆（万元）    50.00
车辆合计（辆）    {vehicles}
其中：执法执勤用车（辆）    1
其他用车（辆）    1
单价50万元以上通用设备（台）    0
单价50万元以上专用设备（台）    1
单价50万元以上设备合计（台）    1
机关运行经费（万元）    40.00
注：本表机关运行经费为行政单位一般公共预算财政拨款基本支出中的公用经费。
"""

_EVALUATION = """部门整体支出绩效自评表
部门：示范市示范局    公开10表
预算资金（万元）    年初预算数    全年预算数    全年执行数    分值    执行率    得分
年度资金总额    1,000.00    1,050.00    1,000.00    10    95.24%    9.52
其中：财政拨款    990.00    {fiscal_adjusted}    990.00    —    —    —
其他资金    10.00    10.00    10.00    —    —    —
一级指标    二级指标    三级指标    年度指标值    实际完成值    分值    得分
产出指标    数量指标    完成调查项目数    ≥40项    41项    50    50
效益指标    社会效益指标    数据发布次数    ≥60次    58次    40    38
总分    100    97.52
注：全年预算数=年初预算数+年中追加调整数+上年结转资金。
"""

_NARRATIVE = """第三部分 示范市示范局2025年度部门决算情况说明
十、其他重要事项的情况说明
（一）机关运行经费支出情况
2025年度，本部门机关运行经费支出{operating}万元，比2024年减少2.00万元，下降4.76%。
（二）政府采购支出情况
2025年度，本部门政府采购支出总额{narrative_total}万元，其中：政府采购货物支出40.00万元、政府采购工程支出0.00万元、政府采购服务支出60.00万元。主动向中小企业授予合同总额90.00万元，占政府采购支出总额的90.00%。（详见附表11政府采购情况表）
（三）国有资产占有使用情况
截至2025年12月31日，本部门共有车辆2辆，其中：执法执勤用车1辆、其他用车1辆。单价50万元以上专用设备1台。资产总额{assets_total}万元。
（四）预算绩效管理情况
本部门对2025年度部门整体支出开展了绩效自评。部门整体支出全年预算数1,050.00万元，全年执行数1,000.00万元，预算执行率95.24%，自评得分97.52分。其中：财政拨款年初预算990.00万元，年中追加调整{additions}万元，上年结转资金20.00万元；其他资金年初预算10.00万元，全年预算10.00万元。
"""


def _document(*tables: str, narrative_total="100.00", operating="40.00", assets_total="500.00", additions="30.00",
              **cells) -> dict:
    values = {"total": "100.00", "share": "90.00%", "vehicles": "2", "fiscal_adjusted": "1,040.00", **cells}
    text = _HEAD + "".join(table.format(**values) for table in tables) + _NARRATIVE.format(
        narrative_total=narrative_total, operating=operating, assets_total=assets_total, additions=additions)
    return read_document(text.encode("utf-8"), name="fa.txt")


def _statuses(record: dict, prefix: str = "SUP-") -> dict:
    return {f.rule: f.status for f in fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
            if f.rule.startswith(prefix)}


def _values(node):
    if isinstance(node, dict):
        return node["value"] if "value" in node else {k: _values(v) for k, v in node.items() if k != "title"}
    if isinstance(node, list):
        return [_values(item) for item in node]
    return node


def _stray(record: dict) -> list:
    return [u for u in record["_meta"]["unread"] if "outside any table" in u["reason"] or "not read" in u["reason"]]


def test_the_procurement_table_by_kind_down_its_rows_is_read_and_held_to_the_narrative():
    record = _document(_PROCUREMENT_DOWN)
    held = _values(record["tables"]["procurement"])
    assert {k: held[k] for k in ("total", "goods", "works", "services", "sme_contracts", "sme_share")} == \
        {"total": "100.00", "goods": "40.00", "works": "0.00", "services": "60.00", "sme_contracts": "90.00",
         "sme_share": "90.00"}
    assert held["sme"] == {"goods": "30.00", "works": "0.00", "services": "60.00"}
    assert [item["name"] for item in held["items"]] == ["办公家具", "物业管理服务"]
    assert not _stray(record)
    statuses = _statuses(record)
    assert {statuses[r] for r in ("SUP-001", "SUP-002", "SUP-003", "SUP-004", "SUP-005", "SUP-006", "SUP-007")} <= \
        {"pass", "pass_rounding"}
    # the narrative's total misprinted: held to the table's
    assert _statuses(_document(_PROCUREMENT_DOWN, narrative_total="10.00"))["SUP-005"] == "fail"
    # the table's own total, or its share, misprinted
    assert _statuses(_document(_PROCUREMENT_DOWN, total="110.00"))["SUP-001"] == "fail"
    assert _statuses(_document(_PROCUREMENT_DOWN, share="80.00%"))["SUP-003"] == "fail"


def test_the_procurement_table_with_its_kinds_across_the_columns_is_read_too():
    record = _document(_PROCUREMENT_ACROSS)
    held = _values(record["tables"]["procurement"])
    assert held == {"total": "100.00", "goods": "40.00", "works": "0.00", "services": "60.00", "sme_contracts": "90.00",
                    "sme": {"goods": "30.00", "works": "0.00", "services": "60.00"}}
    assert _statuses(_document(_PROCUREMENT_ACROSS, total="110.00"))["SUP-001"] == "fail"


def test_the_narratives_sme_contracts_in_other_words_and_its_assets_total_are_read():
    record = _document()
    procurement = _values(record["procurement"])
    assert (procurement["sme_contracts"], procurement["sme_contracts_share"]) == ("90.00", "90.00")
    assert record["assets"]["total"]["value"] == "500.00"
    assert not [u for u in record["_meta"]["unread"] if "资产总额" in u["reason"] or "中小企业" in u["reason"]]


def test_the_assets_table_is_read_by_its_row_names_and_held_to_the_narrative():
    record = _document(_ASSETS)
    held = _values(record["tables"]["assets"])
    assert (held["total"], held["vehicles"], held["operating_costs"]) == \
        ("500.00", {"total": "2", "kinds": {"law_enforcement": "1", "other": "1"}}, "40.00")
    assert (held["general_equipment"], held["special_equipment"], held["large_equipment"]) == ("0", "1", "1")
    assert [item["name"] for item in held["items"]] == ["房屋及构筑物", "车辆"]
    assert not _stray(record)
    statuses = _statuses(record)
    assert {statuses[r] for r in ("SUP-010", "SUP-011", "SUP-012", "SUP-013", "SUP-014", "SUP-015", "SUP-016")} == {"pass"}
    assert _statuses(_document(_ASSETS, vehicles="3"))["SUP-010"] == "fail"
    assert _statuses(_document(_ASSETS, assets_total="550.00"))["SUP-015"] == "fail"
    assert _statuses(_document(_ASSETS, operating="45.00"))["SUP-016"] == "fail"


def test_the_department_self_evaluation_table_and_its_sentence_are_read_and_held_together():
    record = _document(_EVALUATION)
    held = _values(record["tables"]["department_evaluation"])
    assert held["total"] == {"budget": "1000.00", "adjusted_budget": "1050.00", "executed": "1000.00", "weight": "10",
                             "rate": "95.24", "score": "9.52"}
    assert held["fiscal"] == {"budget": "990.00", "adjusted_budget": "1040.00", "executed": "990.00"}
    assert [(i["name"], i["weight"], i["score"]) for i in held["indicators"]] == \
        [("完成调查项目数", "50", "50"), ("数据发布次数", "40", "38")]
    assert (held["total_weight"], held["total_score"]) == ("100", "97.52")
    department = _values(record["performance"]["department"])
    assert department == {"adjusted_budget": "1050.00", "executed": "1000.00", "rate": "95.24", "score": "97.52",
                          "fiscal": {"budget": "990.00", "additions": "30.00", "carried_over": "20.00"},
                          "other": {"budget": "10.00", "adjusted_budget": "10.00"}}
    assert "projects" not in record["performance"]    # (the department's, no project's)
    assert not _stray(record)
    statuses = _statuses(record)
    assert {statuses[r] for r in ("SUP-020", "SUP-021", "SUP-022", "SUP-023", "SUP-024", "SUP-025")} <= {"pass", "pass_rounding"}
    assert _statuses(_document(_EVALUATION, fiscal_adjusted="1,004.00"))["SUP-020"] == "fail"
    assert _statuses(_document(_EVALUATION, additions="2.00"))["SUP-024"] == "fail"


def test_no_table_printed_leaves_the_rules_not_applicable_and_a_sentence_naming_a_table_heads_none():
    record = _document()
    assert "procurement" not in record.get("tables", {})
    statuses = _statuses(record)
    assert {statuses[r] for r in ("SUP-001", "SUP-005", "SUP-010", "SUP-015", "SUP-020", "SUP-023")} == {"not_applicable"}


def test_a_table_printed_in_the_narrative_without_its_note_stops_at_the_next_heading():
    table = _ASSETS.replace("注：本表机关运行经费为行政单位一般公共预算财政拨款基本支出中的公用经费。\n", "").format(vehicles="2")
    narrative = _NARRATIVE.replace("（四）预算绩效管理情况", table + "（四）预算绩效管理情况")
    text = _HEAD + narrative.format(narrative_total="100.00", operating="40.00", assets_total="500.00", additions="30.00")
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert record["tables"]["assets"]["total"]["value"] == "500.00"
    assert record["performance"]["department"]["adjusted_budget"]["value"] == "1050.00"    # (the narrative after it)
    assert not _stray(record)


def test_the_self_evaluation_table_printed_in_the_narrative_is_the_departments_not_a_projects():
    table = _EVALUATION.format(fiscal_adjusted="1,040.00")
    narrative = _NARRATIVE.replace("（四）预算绩效管理情况\n", "（四）预算绩效管理情况\n" + table)
    text = _HEAD + narrative.format(narrative_total="100.00", operating="40.00", assets_total="500.00", additions="30.00")
    record = read_document(text.encode("utf-8"), name="fa.txt")
    assert record["tables"]["department_evaluation"]["total_score"]["value"] == "97.52"
    assert "projects" not in record["performance"]
    assert not _stray(record) and not [u for u in record["_meta"]["unread"] if "指标" in u["reason"]]
