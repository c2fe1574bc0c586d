"""The disclosure reader on the three real documents: figures, their source lines and excerpts.

Every expectation below was read by hand from the shared text (``cat -n``); a figure is checked
together with the original line it was printed on, so a reader that finds the right number in
the wrong place fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fiscalrules.readers import read_disclosure

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"
DOC_000 = "000_1f48ee58997ddf2f.txt"
DOC_002 = "002_bc5043a6c84644f3.txt"
DOC_003 = "003_5a2dd30d76d26ec5.txt"

_cache: dict[str, dict] = {}


def record(name: str) -> dict:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared disclosures not available ({path})")
    if name not in _cache:
        _cache[name] = read_disclosure(path)
    return _cache[name]


def at(rec: dict, path: str):
    """Follow a dotted path; ``name[code]`` picks the table row with that code."""
    node = rec
    for part in path.split("."):
        if "[" in part:
            key, wanted = part[:-1].split("[")
            rows = node[key]
            if wanted.isdigit() and len(wanted) <= 2:
                node = rows[int(wanted)]
            else:
                node = next(r for r in rows if r.get("code") == wanted or r.get("unit_code") == wanted)
        else:
            node = node[part]
    return node


# (document, path, value, line, extra keys that must match exactly)
FIGURES = [
    # 000 — 景德镇市医疗保障局 2025 单位预算
    (DOC_000, "income.total", "329.94", 126, {"unit": "万元", "change": "10.05"}),
    (DOC_000, "income.sources.appropriation", "329.94", 128, {"change": "10.05"}),
    (DOC_000, "income.sources.carryover", "53.09", 130, {"change": "53.09"}),
    (DOC_000, "expenditure.total", "329.94", 136, {"change": "12.11"}),
    (DOC_000, "expenditure.function[208].amount", "36.18", 140, {"change": "1.22"}),
    (DOC_000, "expenditure.function[210].amount", "326.34", 142, {"change": "61.31"}),
    (DOC_000, "expenditure.function[221].amount", "20.51", 144, {"change": "0.61"}),
    (DOC_000, "expenditure.basic", "279.94", 148, {"change": "10.05"}),
    (DOC_000, "expenditure.basic_economic[301].amount", "254.94", 150, {}),
    (DOC_000, "expenditure.basic_economic[303].amount", "1.44", 152, {}),
    (DOC_000, "appropriation.total", "329.94", 158, {"change": "12.11"}),
    (DOC_000, "appropriation.basic", "269.89", 166, {"change": "-2.11"}),
    (DOC_000, "appropriation.basic_economic[302].amount", "25.5", 170, {}),
    (DOC_000, "appropriation.basic_economic[310].amount", "0", 172, {}),
    (DOC_000, "appropriation.project", "50", 172, {"change": "-10"}),
    (DOC_000, "appropriation.function[201].amount", "0", 176, {"change": "0"}),
    (DOC_000, "appropriation.function[210].amount", "265.03", 180, {"change": "-13.10"}),
    (DOC_000, "appropriation.function[221].amount", "19.90", 182, {"change": "0.33"}),
    (DOC_000, "operating_costs", "23.57", 196, {"change": "-1.93", "pct": "-7.57"}),
    (DOC_000, "procurement.total", "3", 202, {}),
    (DOC_000, "procurement.purchased_services", "3", 204, {}),
    (DOC_000, "assets.vehicles.total", "0", 212, {"unit": "辆"}),
    (DOC_000, "assets.vehicles.law_enforcement", "0", 214, {}),
    (DOC_000, "assets.large_equipment", "0", 218, {"printed": "未安排"}),
    (DOC_000, "projects[0].amount", "50", 276, {"label": "年度预算安排"}),
    (DOC_000, "three_public.total", "5", 280, {}),
    (DOC_000, "three_public.overseas", "0", 284, {"change": "0"}),
    (DOC_000, "three_public.reception", "5", 288, {"change": "0"}),
    (DOC_000, "three_public.vehicle_purchase", "0", 296, {"change": "0"}),
    (DOC_000, "staff.authorized.total", "12", 105, {"unit": "人"}),
    (DOC_000, "staff.actual.total", "12", 109, {}),
    (DOC_000, "staff.active.total", "11", 111, {}),
    (DOC_000, "staff.active.administrative", "12", 111, {}),
    (DOC_000, "staff.retired", "1", 117, {}),
    (DOC_000, "org.internal_divisions", "4", 99, {"unit": "个"}),
    (DOC_000, "doc.glossary_level", "市级", 312, {}),
    # 002 — 赣州市医疗保障局 2025 部门预算
    (DOC_002, "income.total", "15915.97", 238, {"change": "1447.59"}),
    (DOC_002, "income.sources.other", "635.95", 252, {"change": "-284.16"}),
    (DOC_002, "income.sources.carryover", "1855.47", 256, {"change": "991.84"}),
    (DOC_002, "income.sources.non_appropriation_balance", "0", 254, {"change": "0"}),
    (DOC_002, "expenditure.project", "5137.42", 272, {"change": "1171.68"}),
    (DOC_002, "expenditure.project_economic[303].amount", "33.50", 276, {}),
    (DOC_002, "expenditure.project_economic[310].amount", "460.49", 280, {}),
    (DOC_002, "expenditure.function[208].amount", "1299.99", 286, {"change": "-18.98"}),
    (DOC_002, "expenditure.function[210].amount", "13834.24", 288, {"change": "1446.74"}),
    (DOC_002, "expenditure.economic[303].amount", "532.12", 298, {"change": "515.68"}),
    (DOC_002, "appropriation.total", "13424.55", 312, {"change": "739.91"}),
    (DOC_002, "appropriation.function[210].amount", "11358.21", 318, {}),
    (DOC_002, "appropriation.basic_economic[303].amount", "493.62", 326, {}),
    (DOC_002, "appropriation.project", "2651.00", 330, {"change": "469"}),
    (DOC_002, "appropriation.project_economic[310].amount", "96.02", 336, {}),
    (DOC_002, "operating_costs", "989.33", 354, {"change": "20.23", "pct": "2.09"}),
    (DOC_002, "procurement.goods", "118.59", 374, {}),
    (DOC_002, "procurement.services", "187.90", 376, {}),
    (DOC_002, "assets.large_equipment", "0", 384, {"unit": "台"}),
    (DOC_002, "projects[0].amount", "250", 418, {}),
    (DOC_002, "three_public.total", "197.15", 422, {}),
    (DOC_002, "three_public.reception", "197.15", 432, {"change": "0"}),
    (DOC_002, "staff.authorized.institution", "465", 93, {}),
    (DOC_002, "staff.active.civil_servant_managed", "29", 99, {}),
    (DOC_002, "staff.survivors", "5", 103, {}),
    (DOC_002, "org.secondary_units", "40", 83, {}),
    (DOC_002, "performance.overall.income_total", "15915.97", 129, {"printed": "15,915.97"}),
    (DOC_002, "performance.overall.other", "2491.42", 131, {}),
    (DOC_002, "performance.projects[0].total", "220", 195, {"unit": "万元"}),
    (DOC_002, "performance.projects[0].carryover", "0", 201, {}),
    # 003 — 珠山区医疗保障局 2024 部门预算 (tab-separated tables)
    (DOC_003, "income.total", "235.38", 223, {"change": "-57.24"}),
    (DOC_003, "income.sources.carryover", "0", 223, {"change": "0"}),
    (DOC_003, "expenditure.basic", "168.38", 229, {"change": "-94.24"}),
    (DOC_003, "expenditure.function[208].amount", "18.01", 231, {"change": "-0.22"}),
    (DOC_003, "expenditure.economic[302].amount", "74.94", 235, {"change": "-1.88"}),
    (DOC_003, "appropriation.function[210].amount", "201.6", 241, {"change": "-52.91"}),
    (DOC_003, "appropriation.project_economic[302].amount", "67", 243, {}),
    (DOC_003, "operating_costs", "7.94", 257, {"change": "-38.88", "pct": "-83.04"}),
    (DOC_003, "three_public.reception", "2.57", 290, {"change": "-0.03", "label": "公务接待"}),
    (DOC_003, "three_public.overseas", "0", 289, {"change": "0"}),
    (DOC_003, "projects[0].amount", "27", 283, {}),
    (DOC_003, "staff.authorized.public_welfare_1", "13", 63, {}),
    (DOC_003, "staff.actual.public_welfare_1", "10", 63, {}),
    (DOC_003, "tables.general_budget.totals.total", "235.38", 97, {"unit": "万元"}),
    (DOC_003, "tables.general_budget.rows[20805].total", "18.01", 99, {}),
    (DOC_003, "tables.general_budget.rows[21015].project", "67.00", 104, {}),
    (DOC_003, "tables.general_budget.rows[2101599].project", "67.00", 106, {}),
    (DOC_003, "tables.expenditure.rows[22102].basic", "15.76", 85, {}),
    (DOC_003, "tables.general_budget_basic.totals.personnel", "160.44", 120, {}),
    (DOC_003, "tables.general_budget_basic.rows[30217].public", "2.57", 132, {}),
    (DOC_003, "tables.three_public.rows[302001].reception", "2.57", 148, {}),
    (DOC_003, "performance.overall.project", "67", 181, {}),
    (DOC_003, "performance.projects[0].total", "40", 201, {}),
    (DOC_003, "doc.glossary_level", "省级", 302, {}),
]


@pytest.mark.parametrize("doc, path, value, line, extra", FIGURES,
                         ids=[f"{d[:3]}:{p}" for d, p, *_ in FIGURES])
def test_figure_value_and_source_line(doc, path, value, line, extra):
    figure = at(record(doc), path)
    assert figure["value"] == value
    assert figure["source"]["line"] == line
    assert figure["source"]["document"] == doc
    for key, expected in extra.items():
        assert figure.get(key) == expected, key
    # The excerpt is original text (full-width punctuation kept), never the normalised form.
    assert figure["source"]["text"]


@pytest.mark.parametrize("doc, path, text", [
    (DOC_000, "income.total", "2025 年景德镇市医疗保障局收入预算总额为 329.94 万元，较上年预算安排增加 10.05万元"),
    (DOC_000, "operating_costs", "2025 年单位机关运行费预算 23.57 万元，较上年预算减少 1.93 万元，下降 7.57%"),
    (DOC_000, "appropriation.project", "项目支出 50 万元，较上年预算安排减少 10 万元"),
    (DOC_002, "expenditure.function[210].amount", "卫生健康支出13834.24万元，较上年预算安排增加 1446.74万元"),
    (DOC_003, "three_public.reception", "公务接待 2.57万元,比上年减少0.03万元"),
    (DOC_003, "tables.general_budget.rows[21011].total", "11\t行政事业单位医疗\t7.32\t7.32"),
])
def test_excerpt_is_original_text_joined_across_wrapped_lines(doc, path, text):
    assert at(record(doc), path)["source"]["text"] == text


def test_000_document_facts_and_unread():
    rec = record(DOC_000)
    assert rec["_meta"] == {**rec["_meta"], "id": "000_1f48ee58997ddf2f", "document": DOC_000,
                            "template": "budget_disclosure"}
    assert at(rec, "doc.publisher.value") == "景德镇市医疗保障局"
    assert at(rec, "doc.level.value") == "市级"
    assert at(rec, "doc.year.value") == "2025"
    assert at(rec, "doc.kind.value") == "单位预算"
    assert "project" not in rec["expenditure"]     # 000 never prints the all-funds 项目支出
    assert [u["reason"] for u in rec["_meta"]["unread"]] == [
        "第二部分 预算表 is not in the text: no standard budget table was printed"]
    assert rec["gov_fund"]["none"]["value"] == "本单位没有使用政府性基金预算拨款安排的支出"
    assert rec["projects"][0]["name"] == "医疗保障改革专项经费"
    assert [r["code"] for r in rec["expenditure"]["function"]] == ["208", "210", "221"]


def test_years_with_context_and_expectation():
    rows = {(r["year"]["source"]["line"], r["year"]["value"]): (r["context"], r["expected"])
            for r in record(DOC_000)["doc"]["years"]}
    assert rows[(202, "2024")] == ("narrative", "budget_year")        # 2024 年政府采购总额 in a 2025 budget
    assert rows[(212, "2024")] == ("as_of_date", "prior_year")
    assert rows[(338, "2025")] == ("glossary_balance", "budget_year")
    assert rows[(340, "2024")] == ("glossary_carryover", "prior_year")
    rows_002 = {(r["year"]["source"]["line"], r["year"]["value"]): r for r in record(DOC_002)["doc"]["years"]}
    assert rows_002[(482, "2021")]["context"] == "glossary_balance"
    assert rows_002[(185, "2025")]["year"]["printed"] == "2,025"
    assert rows_002[(354, "2024")]["context"] == "comparison"


def test_002_performance_indicators_across_wrapped_lines():
    rec = record(DOC_002)
    indicators = rec["performance"]["indicators"]
    first = indicators[0]
    assert first["table"] == "overall"
    assert (first["level1"], first["level2"]) == ("产出指标", "数量指标")
    assert first["level3"] == "每个县(区)范围内开展门诊慢特病相关治疗费用跨省联网定点医疗机构数量"
    assert first["comparator"] == "≥" and first["target_value"]["value"] == "1" and first["unit"] == "个"
    assert first["target_value"]["source"]["line"] == 155
    satisfaction = [r for r in indicators if r.get("level1") == "满意度指标"]
    assert [(r["table"], r["level2"], r["level3"]) for r in satisfaction] == [
        ("overall", "服务对象满意度指标", "参保人员对医保服务的满意度"),
        ("project", "服务对象满意度", "参保群众满意度")]
    cost = next(r for r in indicators if r.get("level1") == "成本指标")
    assert (cost["level2"], cost["comparator"], cost["target_value"]["value"], cost["unit"]) == (
        "经济成本指标", "≤", "50", "万元")
    qualitative = next(r for r in indicators if r["target"]["value"] == "预算范围内")
    assert (qualitative["level1"], qualitative["level2"], qualitative["level3"]) == (
        "产出指标", "成本指标", "项目成本控制")
    assert "target_value" not in qualitative
    equal = next(r for r in indicators if r["target"]["value"] == "=100%")
    assert equal["comparator"] == "=" and equal["target"]["source"]["text"].endswith("＝100%")
    assert rec["performance"]["projects"][0]["name"] == "2025年医疗保障事业发展工作经费"
    assert [u["lines"] for u in rec["_meta"]["unread"]] == [[105, 105]]


def test_003_tables_codes_rebuilt_and_empty_tables():
    rec = record(DOC_003)
    codes = [r["code"] for r in rec["tables"]["general_budget"]["rows"]]
    assert codes == ["208", "20805", "2080505", "210", "21011", "2101101", "21015", "2101501",
                     "2101599", "221", "22102", "2210201"]
    assert "basic" not in at(rec, "tables.general_budget.rows[2101599]")   # blank cell: absent
    assert rec["tables"]["expenditure"]["title"] == "单位支出总表"
    assert rec["tables"]["gov_fund"]["empty"] is True
    assert rec["tables"]["gov_fund"]["rows"] == []
    assert "政府性基金" in rec["tables"]["gov_fund"]["note"]
    assert rec["tables"]["state_capital"]["empty"] is True
    three = at(rec, "tables.three_public.rows[302001]")
    # (code = the unit code: a department row nests its units by it, TPF-013…015)
    assert set(three) == {"unit_code", "code", "name", "total", "reception"}
    assert at(rec, "doc.level.value") == "区级"
    assert at(rec, "doc.year.value") == "2024"
    names = {r["code"]: r["name"] for r in rec["expenditure"]["function"]}
    assert names["208"] == "社会保障和就业收入"            # printed as 收入; code from the stem
    assert {r["code"]: r["name"] for r in rec["appropriation"]["function"]}["210"] == "卫生健康支出支出"
    unread = rec["_meta"]["unread"]
    assert [u["lines"][0] for u in unread] == [14, 15, 17]
    assert all("table of contents" in u["reason"] for u in unread)


def test_003_performance_levels_carry_over_blank_cells():
    rec = record(DOC_003)
    overall = [r for r in rec["performance"]["indicators"] if r["table"] == "overall"]
    assert len(overall) == 9
    ecology = next(r for r in overall if r["level3"] == "生态环境")
    assert (ecology["level1"], ecology["level2"], ecology["target_value"]["value"]) == (
        "效益指标", "生态效益指标", "100")
    assert "comparator" not in ecology
    sessions = next(r for r in rec["performance"]["indicators"] if r["level3"] == "培训开展场次")
    assert (sessions["project"], sessions["comparator"], sessions["unit"]) == (
        "城乡居民意外伤害督查工作经费", "≥", "场")


def test_records_are_json_serialisable_and_values_are_strings():
    for name in (DOC_000, DOC_002, DOC_003):
        rec = record(name)
        text = json.dumps(rec, ensure_ascii=False)
        assert json.loads(text) == rec

        def walk(node):
            if isinstance(node, dict):
                if "value" in node and "source" in node:
                    # (a flag with its source -- a section the contents promise, not printed -- a boolean)
                    assert isinstance(node["value"], (str, bool))
                    for key in ("change", "pct"):
                        assert key not in node or isinstance(node[key], str)
                for child in node.values():
                    walk(child)
            elif isinstance(node, list):
                for child in node:
                    walk(child)
            else:
                assert not isinstance(node, float)
        walk(rec)


def test_records_load_into_the_record_model():
    from fiscalrules.records import load_record
    for name in (DOC_000, DOC_002, DOC_003):
        loaded = load_record(record(name))
        assert loaded is not None
