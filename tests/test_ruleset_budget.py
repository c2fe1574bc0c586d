"""The bundled ruleset ``budget_disclosure``: it lints clean, every rule documents itself with
passing and failing examples that behave, a broken copy of a rule is caught loudly, and a fully
consistent synthetic disclosure record produces no failure at all."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from fiscalrules import cli
from fiscalrules.loader import bundled_rulesets, lint, load_ruleset

RULESETS = Path(__file__).resolve().parents[1] / "rulesets"
MAIN = RULESETS / "budget_disclosure.rules"
FIELDS = RULESETS / "_budget_fields.rules"

# Rules where documents legitimately differ (partial descriptions, scope of 机关运行经费, naming,
# template variants): a failure is a warning, not an error.
WARNING_RULES = {
    "APR-015", "APR-016", "EXP-012", "EXP-013", "HC-004", "OPS-001", "OPS-002", "PRF-012", "PRF-013", "PRF-014",
    "PRJ-002", "PROC-002", "TPF-010", "TXT-004", "TXT-005", "VEH-002",
    # document quality (_quality.rules, shared with the final-accounts ruleset)
    "QUA-001", "QUA-002", "QUA-003", "QUA-007", "QUA-008", "QUA-009", "QUA-010",
    # Itemised 编制说明: names that do not match their code, units by kind, performance targets.
    "ITM-003", "ITM-004", "ITM-005", "ITM-006", "ORG-002", "ORG-003", "PFT-001", "CHG-008",
    # the central template's 一般公共预算当年拨款具体使用情况: a line whose names designate no code
    "GBY-008",
}


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


# ---- the ruleset itself ----------------------------------------------------------------------------

def test_bundled_and_named():
    assert bundled_rulesets()["budget_disclosure"].resolve() == MAIN.resolve()
    rules = load_ruleset(str(MAIN))
    assert rules.name == "budget_disclosure"
    assert rules.title == "部门预算公开模板"
    assert rules.title_en == "Departmental budget disclosure"
    assert rules.settings.default_unit == "万元"


def test_lints_clean(capsys):
    assert lint([MAIN]) == []
    assert lint([FIELDS]) == []
    assert cli.main(["lint", str(MAIN)]) == 0
    assert "没有问题" in capsys.readouterr().out


def test_every_rule_documents_itself(ruleset):
    ids = [r.id for r in ruleset.rules]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 140
    for compiled in ruleset.rules:
        rule = compiled.rule
        assert rule.title and rule.title_en, rule.id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title), rule.id
        assert rule.severity in ("error", "warning"), rule.id
        assert rule.tags, rule.id
        assert rule.message and rule.message_en, rule.id
        expects = Counter(example.expect for example in rule.examples)
        assert expects["pass"] >= 1 and expects["fail"] >= 1, f"{rule.id} needs a passing and a failing example"


def test_severities_chosen_on_purpose(ruleset):
    warnings = {r.id for r in ruleset.rules if r.severity == "warning"}
    assert warnings == WARNING_RULES


def test_rule_areas(ruleset):
    areas = Counter(r.id.split("-")[0] for r in ruleset.rules)
    for area in ("INC", "EXP", "APR", "CMP", "CHG", "PCT", "OPS", "PROC", "TPF", "HC", "ORG", "VEH",
                 "PRJ", "PRF", "FND", "TBL", "TXT", "ITM", "PFT", "SUM"):
        assert areas[area] >= 1, area


def test_all_inline_examples_behave(ruleset):
    results = ruleset.run_examples()
    assert len(results) >= 2 * len(ruleset.rules)
    bad = [f"{r.rule} example {r.index} ({r.expect}): got {r.statuses} {r.detail}" for r in results if not r.ok]
    assert bad == []
    # A passing example really passes (not "not applicable"), a failing one really fails.
    for r in results:
        if r.expect == "pass":
            assert r.statuses and set(r.statuses) <= {"pass", "pass_rounding"}, r
        else:
            assert "fail" in r.statuses, r


def test_cli_test_reports_zero_failed(capsys):
    assert cli.main(["test", str(MAIN)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("，不通过 0")


# ---- a broken copy fails loudly ------------------------------------------------------------------

@pytest.fixture
def broken_copy(tmp_path):
    for part in RULESETS.glob("_*.rules"):      # the included parts: fields, quality rules
        shutil.copy(part, tmp_path / part.name)
    text = MAIN.read_text(encoding="utf-8")

    def make(old: str, new: str) -> Path:
        assert text.count(old) == 1, old
        target = tmp_path / "broken.rules"
        target.write_text(text.replace(old, new), encoding="utf-8")
        return target
    return make


def test_broken_arithmetic_fails_its_examples(broken_copy, capsys):
    # Double-count the carry-over in INC-001: its passing example must now fail.
    path = broken_copy("    assert income.total = sum(income.sources.*)\n",
                       "    assert income.total = sum(income.sources.*) + income.sources.carryover\n")
    assert lint([path]) == []
    results = [r for r in load_ruleset(str(path)).run_examples() if r.rule == "INC-001"]
    assert any(not r.ok and r.expect == "pass" for r in results)
    assert cli.main(["test", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "rule INC-001 example 1 should pass, got fail" in out
    assert "1 failed" in out or "2 failed" in out


def test_flipped_comparison_fails_its_examples(broken_copy, capsys):
    path = broken_copy("    assert appropriation.total <= expenditure.total\n",
                       "    assert appropriation.total >= expenditure.total\n")
    assert cli.main(["test", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "rule CMP-001 example 1 should pass, got fail" in out
    assert "rule CMP-001 example 2 should fail, got pass" in out


def test_misspelled_field_is_a_lint_error(broken_copy, capsys):
    path = broken_copy("    assert income.total = expenditure.total\n", "    assert income.totl = expenditure.total\n")
    diagnostics = lint([path])
    assert [d.code for d in diagnostics] == ["E201"]
    assert diagnostics[0].location.line is not None
    assert cli.main(["lint", str(path)]) == 2
    assert "income.totl" in capsys.readouterr().out


# ---- a consistent synthetic disclosure -------------------------------------------------------------

def fig(value, change=None, pct=None, unit=None, line=None):
    out = {"value": value}
    if change is not None:
        out["change"] = change
    if pct is not None:
        out["pct"] = pct
    if unit is not None:
        out["unit"] = unit
    if line is not None:
        out["source"] = {"document": "synthetic.txt", "line": line}
    return out


def row(code, amount, change=None, pct=None, name=None):
    return {"code": code, "name": name or f"科目{code}", "amount": fig(amount, change, pct)}


# Document-quality facts of a clean text: nothing doubled, every pair closed, either-or wording only
# before a zero, every reason given, letters that are not placeholders, names as in the standard.
CLEAN_QUALITY_FACTS = {
    "punctuation": [{"mark": "？！", "context": "何以如此？！"}],
    "pairs": [{"text": "“三公”经费（含公务接待费）", "quotes_open": 1, "quotes_close": 1,
               "brackets_open": 1, "brackets_close": 1}],
    "alternatives": [{"wording": "增加（减少）", "value": "0"}],
    "reasons": [{"lead": "主要原因是", "reason": "人员增加"}],
    "placeholders": [{"letters": "PPP", "context": "PPP 项目"}],
    "kind_words": [{"word": "部门", "phrase": "2025年部门预算", "context": "title"},
                   {"word": "单位", "phrase": "本单位", "context": "text"}],
    "class_names": [{"class_code": "2101101", "scheme": "function", "printed": "行政单位医疗", "standard": "行政单位医疗"}],
    "sections": [{"name": "部门收入总表", "present": True}],
}


def item(number, code, lei, kuan, xiang, amount, prior=None, planned=None):
    """An item of the itemised 编制说明 whose printed names are its code's standard names."""
    out = {"code": code, "item": number, "name": "-".join(n for n in (lei, kuan, xiang) if n),
           "amount": fig(amount), "resolution": "names"}
    for key, name in (("lei_name", lei), ("kuan_name", kuan), ("xiang_name", xiang)):
        if name:
            out[key] = name
            out["standard_" + key if key != "xiang_name" else "standard_name"] = name
    if prior is not None:
        out["prior"] = fig(prior)
    if planned is not None:
        out["planned"] = planned
    return out


def consistent_record() -> dict:
    """A 2025 部门预算 of a fictional 市级 bureau in which every identity holds exactly (万元).

    Income 900 + 60 + 40 = 1000 = expenditure; basic 700 + project 300; function classes
    100 + 150 + 700 + 50; economic 600 + 330 + 20 + 50 (302 = 80 basic + 250 project); 财政拨款
    900 = 650 + 250, all general budget; changes add up everywhere; printed tables agree.
    """
    return {
        "_meta": {"id": "synthetic", "document": "synthetic.txt"},
        "quality": CLEAN_QUALITY_FACTS,
        "doc": {
            "publisher": "示范市示范局", "level": "市级", "year": "2025", "kind": "部门预算",
            "glossary_level": "市级", "scope": "部门", "has_amounts": True,
            "years": [
                {"year": fig("2025", line=1), "context": "title", "expected": "budget_year"},
                {"year": fig("2025", line=40), "context": "narrative", "expected": "budget_year"},
                {"year": fig("2024", line=60), "context": "comparison", "expected": "prior_year"},
                {"year": fig("2024", line=70), "context": "as_of_date", "expected": "prior_year"},
                {"year": fig("2024", line=90), "context": "glossary_carryover", "expected": "prior_year"},
                {"year": fig("2025", line=91), "context": "glossary_balance", "expected": "budget_year"},
                {"year": fig("2019", line=80), "context": "project", "expected": "any"},
            ],
            # "其他收入 60.00 万元，比上年预算数 50.00 万元增加 10.00 万元" (CHG-009)
            "stated_priors": [{"path": "income.sources.other", "name": "其他收入", "amount": fig("60.00", "10.00", "20.00"),
                               "prior": fig("50.00")}],
            # Both appropriation changes are stated against last year's execution (CHG-008).
            "execution_comparisons": [{"path": "income.sources.appropriation", "comparison": "比上年预算执行数"},
                                      {"path": "appropriation.total", "comparison": "比上年预算执行数"}],
        },
        "org": {"internal_divisions": fig("5", unit="个"), "budget_units": fig("3", unit="个"),
                "secondary_units": fig("2", unit="个"), "subordinate_units": fig("2", unit="家"),
                "administrative_units": fig("1", unit="家"), "institution_units": fig("2", unit="家")},
        "staff": {
            "authorized": {"total": fig("30", unit="人"), "administrative": fig("20", unit="人"),
                           "civil_servant_managed": fig("10", unit="人")},
            "actual": {"total": fig("33", unit="人"), "administrative": fig("21", unit="人"),
                       "civil_servant_managed": fig("12", unit="人")},
            "active": {"total": fig("28", unit="人"), "administrative": fig("19", unit="人"),
                       "civil_servant_managed": fig("9", unit="人")},
            "retired_cadre": fig("1", unit="人"), "retired": fig("4", unit="人"),
        },
        "income": {
            "total": fig("1000.00", "100.00", "11.11"),
            "this_year": fig("960.00"),   # (the central template's split: 本年收入 and 上年结转, INC-009, TSU-013)
            "sources": {"appropriation": fig("900.00", "80.00"), "other": fig("60.00", "10.00", "20.00"),
                        "carryover": fig("40.00", "10.00")},
            "appropriation_detail": {"general_budget": fig("900.00")},
            "shares": {"appropriation": fig("90.00", unit="%"), "other": fig("6", unit="%")},   # of 1000
        },
        "expenditure": {
            "total": fig("1000.00", "100.00", "11.11"),
            "basic": fig("700.00", "50.00", "7.69"), "project": fig("300.00", "50.00"),
            "shares": {"basic": fig("70.0", unit="%"), "project": fig("30", unit="%")},
            # 302: change 8 on a prior of 72 → 11.11 %; 310: change 5 on a prior of 45 → 11.11 %
            "basic_economic": [row("301", "600.00", "40.00"), row("302", "80.00", "8.00", "11.11"),
                               row("303", "20.00", "2.00")],
            "project_economic": [row("302", "250.00", "45.00"), row("310", "50.00", "5.00", "11.11")],
            # 208: change 20 on a prior of 130 → 15.38 %
            # (201's share of the total printed after it: 100 / 1000 → 10.00 %, SHR-003)
            "function": [dict(row("201", "100.00", "10.00"), share=fig("10.00", unit="%")),
                         row("208", "150.00", "20.00", "15.38"),
                         row("210", "700.00", "60.00"), row("221", "50.00", "10.00")],
            # 302: change 53 on a prior of 277 → 19.13 %; 301's share 600 / 1000 → 60.00 % (SHR-004)
            "economic": [dict(row("301", "600.00", "40.00"), share=fig("60.00", unit="%")),
                         row("302", "330.00", "53.00", "19.13"),
                         row("303", "20.00", "2.00"), row("310", "50.00", "5.00")],
        },
        "appropriation": {
            # change 80 on a prior of 820 → 9.76 %
            "total": fig("900.00", "80.00", "9.76"),
            "basic": fig("650.00", "40.00", "6.56"), "project": fig("250.00", "40.00"),
            # (the basic-expenditure table's 人员经费 / 公用经费 totals)
            "basic_personnel": fig("575.00"), "basic_public": fig("75.00"),
            "general_budget": fig("900.00"),
            # The itemised 编制说明: one item per function line of the general budget table.
            "items": [
                item("1", "20101", "一般公共服务支出", "人大事务", None, "90.00"),
                item("2", "208", "社会保障和就业支出", None, None, "140.00"),
                item("3", "21011", "卫生健康支出", "行政事业单位医疗", None, "45.00"),
                # 335 = 300 + 35; 35 / 300 = 11.67 %
                item("4", "2101501", "卫生健康支出", "医疗保障管理事务", "行政运行", "335.00",
                     prior="300.00", planned=fig("335.00", "35.00", "11.67")),
                item("5", "2101599", "卫生健康支出", "医疗保障管理事务", "其他医疗保障管理事务支出", "250.00",
                     prior="250.00", planned=fig("250.00", "0")),
                item("6", "221", "住房保障支出", None, None, "40.00"),
            ],
            "change_word": "增加",
            # 302: change 4 on a prior of 71 → 5.63 %; 310: change 5 on a prior of 25 → 20.00 %
            "basic_economic": [row("301", "560.00", "35.00"), row("302", "75.00", "4.00", "5.63"),
                               row("303", "15.00", "1.00")],
            "project_economic": [row("302", "220.00", "35.00"), row("310", "30.00", "5.00", "20.00")],
            # 208: change 17 on a prior of 123 → 13.82 %
            # (201's share of the appropriation: 90 / 900 → 10.00 %, SHR-005)
            "function": [dict(row("201", "90.00", "8.00"), share=fig("10.00", unit="%")),
                         row("208", "140.00", "17.00", "13.82"),
                         row("210", "630.00", "50.00"), row("221", "40.00", "5.00")],
            # 302: change 39 on a prior of 256 → 15.23 %; 301's share 560 / 900 → 62.22 % (SHR-006)
            "economic": [dict(row("301", "560.00", "35.00"), share=fig("62.22", unit="%")),
                         row("302", "295.00", "39.00", "15.23"),
                         row("303", "15.00", "1.00"), row("310", "30.00", "5.00")],
        },
        # The central template's 一般公共预算当年拨款情况: the general budget table's figures (900 = 90 + 140
        # + 630 + 40, change 80 on 820 → 9.76 %; 335 = 300 + 35 → 11.67 %)
        "general_budget_year": {
            "total": fig("900.00", "80.00", "9.76"),
            # its split, the table's columns: 650 (+40 on 610 → 6.56 %) = 575 + 75, 250 (+40 on 210 →
            # 19.05 %); shares 72.22 % / 27.78 % (GBY-009…017)
            "basic": fig("650.00", "40.00", "6.56"), "project": fig("250.00", "40.00", "19.05"),
            "basic_personnel": fig("575.00"), "basic_public": fig("75.00"),
            "shares": {"basic": fig("72.22", unit="%"), "project": fig("27.78", unit="%")},
            "function": [dict(row("201", "90.00"), share=fig("10.00", unit="%")),
                         dict(row("208", "140.00"), share=fig("15.56", unit="%")),
                         dict(row("210", "630.00"), share=fig("70.00", unit="%")),
                         dict(row("221", "40.00"), share=fig("4.44", unit="%"))],
            "items": [item("1", "20101", "一般公共服务支出", "人大事务", None, "90.00"),
                      dict(item("2", "2101501", "卫生健康支出", "医疗保障管理事务", "行政运行", "335.00"),
                           amount=fig("335.00", "35.00", "11.67"))],
        },
        "gov_fund": {"none": "本部门没有使用政府性基金预算拨款安排的支出"},
        "state_capital": {"none": "本部门没有使用国有资本经营预算拨款安排的支出"},
        # 70 = 75 − 5; 5 / 75 = 6.67 %
        "operating_costs": fig("70.00", "-5.00", "-6.67"),
        "operating_scope": {"agencies": fig("1", unit="家"), "institutions": fig("1", unit="家")},
        "procurement": {"total": fig("120", "20", "20.00"), "goods": fig("50"), "works": fig("30"), "services": fig("40"),
                        "centralized": fig("70"), "decentralized": fig("50"), "purchased_services": fig("10"),
                        "sme_reserved": fig("60"), "sme_small_micro": fig("40"),
                        # 60 / 120 = 50 %, 40 / 120 = 33.33 %; of the reserved amount 40 / 60 = 66.67 %
                        "sme_reserved_share": fig("50.00", unit="%"), "sme_small_micro_share": fig("33.33", unit="%"),
                        "sme_small_micro_share_of_reserved": fig("66.67", unit="%"),
                        # 90 / 120 = 75 %, 30 / 120 = 25 %; of the SME contracts 30 / 90 = 33.33 %
                        "sme_contracts": fig("90"), "sme_contracts_share": fig("75", unit="%"),
                        "small_contracts": fig("30"), "small_contracts_share": fig("25.00", unit="%"),
                        "small_contracts_share_of_sme": fig("33.33", unit="%")},
        "performance_targets": {"projects": fig("2", unit="个"), "funds": fig("250"), "funds_general_budget": fig("250")},
        "assets": {"vehicles": {"total": fig("3", unit="辆"), "general": fig("2", unit="辆"),
                                "law_enforcement": fig("1", unit="辆"), "as_of": "2024年底"},
                   "vehicle_purchases": fig("0", unit="辆"), "large_equipment": fig("0", unit="台"),
                   "vehicle_purchase_kinds": {"general": fig("0", unit="辆"), "other": fig("0", unit="辆")}},
        "projects": [{"name": "示范项目甲", "amount": fig("200"), "parts_total": fig("200")},
                     {"name": "示范项目乙", "amount": fig("100"), "quarter_1": fig("25"), "quarter_2": fig("25"),
                      "quarter_3": fig("25"), "quarter_4": fig("25")}],
        "project_parts": [{"project": "示范项目甲", "name": "甲一", "amount": fig("150")},
                          {"project": "示范项目甲", "name": "甲二", "amount": fig("50")}],
        "three_public": {"total": fig("12.00", "-1.00"), "overseas": fig("2.00", "0"), "reception": fig("4.00", "-1.00", "-20.00"),
                         "vehicle": fig("6.00", "0"), "vehicle_operation": fig("6.00", "0"),
                         "vehicle_purchase": fig("0", "0"),
                         # the counts printed beside the amounts (review 20 C D8)
                         "counts": {"overseas_groups": fig("1", unit="个"), "reception_batches": fig("12", unit="批"),
                                    "vehicle_purchases": fig("0", unit="辆"), "vehicles_held": fig("3", unit="辆")}},
        "performance": {
            "overall": {"department": "示范市示范局", "income_total": fig("1000.00"), "appropriation": fig("900.00"),
                        "other": fig("100.00"), "expenditure_total": fig("1000.00"), "basic": fig("700.00"),
                        "project": fig("300.00")},
            "projects": [{"name": "2025年示范项目甲", "total": fig("200"), "appropriation": fig("180"),
                          "other": fig("0"), "carryover": fig("20")},
                         # printed a little differently from the narrative's "示范项目乙" (PRF-014)
                         {"name": "示范工作项目乙", "total": fig("100"), "appropriation": fig("100"),
                          "other": fig("0"), "carryover": fig("0")}],
            "indicators": [
                {"table": "project", "project": "2025年示范项目甲", "level1": "成本指标", "level3": "培训成本",
                 "target": "≤1600000 元", "comparator": "≤", "target_value": fig("1600000", unit="元"), "unit": "元"},
                {"table": "project", "project": "2025年示范项目甲", "level1": "产出指标", "level3": "覆盖率",
                 "target": "≥90%", "comparator": "≥", "target_value": fig("90", unit="%"), "unit": "%"},
                {"table": "overall", "level1": "成本指标", "level3": "运行成本", "target": "≤900 万元",
                 "comparator": "≤", "target_value": fig("900", unit="万元"), "unit": "万元"},
                {"table": "overall", "level1": "效益指标", "level3": "服务能力", "target": "有所提升"},
            ],
        },
        "tables": {
            "income": {
                # prior / change / % columns (review 20 C D13): change 100 on 900 → 11.11 %
                "totals": {"total": fig("1000.00"), "appropriation": fig("900.00"), "prior": fig("900.00"),
                           "change": fig("100.00"), "pct": fig("11.11")},
                "rows": [{"code": "201", "total": fig("100.00"), "appropriation": fig("90.00"), "other": fig("10.00"),
                          "prior": fig("90.00"), "change": fig("10.00"), "pct": fig("11.11")},
                         {"code": "20101", "total": fig("100.00"), "appropriation": fig("90.00"), "other": fig("10.00")},
                         {"code": "208", "total": fig("150.00")}, {"code": "210", "total": fig("700.00")},
                         {"code": "221", "total": fig("50.00")}],
                # the same table listed by unit (review 20 C D2): the department row over 本级 and a
                # 所属单位 without appropriations (its 财政拨款 cell blank: TBL-079)
                "units": [{"code": "101", "name": "示范市示范局", "total": fig("1000.00"), "appropriation": fig("900.00"),
                           "other": fig("60.00"), "carryover": fig("40.00")},
                          {"code": "101001", "name": "示范市示范局（本级）", "total": fig("950.00"),
                           "appropriation": fig("900.00"), "other": fig("30.00"), "carryover": fig("20.00")},
                          {"code": "101002", "name": "示范市示范中心", "total": fig("50.00"), "other": fig("30.00"),
                           "carryover": fig("20.00")}],
            },
            "expenditure": {
                # the changes are the narrative's by function class; shares of the 合计
                "totals": {"total": fig("1000.00"), "basic": fig("700.00"), "project": fig("300.00"),
                           "prior": fig("900.00"), "change": fig("100.00"), "pct": fig("11.11"), "share": fig("100.00")},
                "units": [{"code": "101", "name": "示范市示范局", "total": fig("1000.00"), "basic": fig("700.00"),
                           "project": fig("300.00")},
                          {"code": "101001", "name": "示范市示范局（本级）", "total": fig("800.00"), "basic": fig("550.00"),
                           "project": fig("250.00")},
                          {"code": "101002", "name": "示范市示范中心", "total": fig("200.00"), "basic": fig("150.00"),
                           "project": fig("50.00")}],
                # each unit's 科目 rows (its own 支出总表 by 科目, review 20 C D3): the department's rows
                # below are their sums (TBL-080…082)
                "unit_rows": [
                    {"unit": "示范市示范局（本级）", "item": "201", "total": fig("100.00"), "basic": fig("100.00")},
                    {"unit": "示范市示范局（本级）", "item": "208", "total": fig("100.00"), "basic": fig("100.00")},
                    {"unit": "示范市示范局（本级）", "item": "210", "total": fig("550.00"), "basic": fig("300.00"),
                     "project": fig("250.00")},
                    {"unit": "示范市示范局（本级）", "item": "21011", "total": fig("50.00"), "basic": fig("50.00")},
                    {"unit": "示范市示范局（本级）", "item": "21015", "total": fig("500.00"), "basic": fig("250.00"),
                     "project": fig("250.00")},
                    {"unit": "示范市示范局（本级）", "item": "221", "total": fig("50.00"), "basic": fig("50.00")},
                    {"unit": "示范市示范中心", "item": "208", "total": fig("50.00"), "basic": fig("50.00")},
                    {"unit": "示范市示范中心", "item": "210", "total": fig("150.00"), "basic": fig("100.00"),
                     "project": fig("50.00")},
                    {"unit": "示范市示范中心", "item": "21015", "total": fig("150.00"), "basic": fig("100.00"),
                     "project": fig("50.00")}],
                "rows": [
                    {"code": "201", "total": fig("100.00"), "basic": fig("100.00"),
                     "prior": fig("90.00"), "change": fig("10.00"), "pct": fig("11.11"), "share": fig("10.00")},
                    {"code": "20101", "total": fig("100.00"), "basic": fig("100.00")},
                    {"code": "2010101", "total": fig("100.00"), "basic": fig("100.00")},
                    {"code": "208", "total": fig("150.00"), "basic": fig("150.00"),
                     "prior": fig("130.00"), "change": fig("20.00"), "pct": fig("15.38"), "share": fig("15.00")},
                    {"code": "20805", "total": fig("150.00"), "basic": fig("150.00")},
                    {"code": "210", "total": fig("700.00"), "basic": fig("400.00"), "project": fig("300.00"),
                     "prior": fig("640.00"), "change": fig("60.00"), "pct": fig("9.38"), "share": fig("70.00")},
                    {"code": "21011", "total": fig("50.00"), "basic": fig("50.00")},
                    {"code": "21015", "total": fig("650.00"), "basic": fig("350.00"), "project": fig("300.00")},
                    {"code": "2101501", "total": fig("350.00"), "basic": fig("350.00")},
                    {"code": "2101599", "total": fig("300.00"), "project": fig("300.00")},
                    {"code": "221", "total": fig("50.00"), "basic": fig("50.00"),
                     "prior": fig("40.00"), "change": fig("10.00"), "pct": fig("25.00"), "share": fig("5.00")},
                ],
                "empty": False,
            },
            "general_budget": {
                "totals": {"total": fig("900.00"), "basic": fig("650.00"), "project": fig("250.00"),
                           "prior": fig("820.00"), "change": fig("80.00"), "pct": fig("9.76"), "share": fig("100.00")},
                # the table printed unit by unit (TBL-083 / TBL-084): its units' rows
                "units": [{"code": "101001", "name": "示范市示范局（本级）", "total": fig("800.00"), "basic": fig("550.00"),
                           "project": fig("250.00")},
                          {"code": "101002", "name": "示范市示范中心", "total": fig("100.00"), "basic": fig("100.00")}],
                "rows": [
                    {"code": "201", "total": fig("90.00"), "basic": fig("90.00"),
                     "prior": fig("82.00"), "change": fig("8.00"), "pct": fig("9.76"), "share": fig("10.00")},
                    {"code": "20101", "total": fig("90.00"), "basic": fig("90.00")},
                    {"code": "208", "total": fig("140.00"), "basic": fig("140.00"),
                     "prior": fig("123.00"), "change": fig("17.00"), "pct": fig("13.82"), "share": fig("15.56")},
                    {"code": "210", "total": fig("630.00"), "basic": fig("380.00"), "project": fig("250.00"),
                     "prior": fig("580.00"), "change": fig("50.00"), "pct": fig("8.62"), "share": fig("70.00")},
                    {"code": "21011", "total": fig("45.00"), "basic": fig("45.00")},
                    {"code": "21015", "total": fig("585.00"), "basic": fig("335.00"), "project": fig("250.00")},
                    {"code": "2101501", "total": fig("335.00"), "basic": fig("335.00")},
                    {"code": "2101599", "total": fig("250.00"), "project": fig("250.00")},
                    {"code": "221", "total": fig("40.00"), "basic": fig("40.00"),
                     "prior": fig("35.00"), "change": fig("5.00"), "pct": fig("14.29"), "share": fig("4.44")},
                ],
                "empty": False,
            },
            "general_budget_basic": {
                "totals": {"total": fig("650.00"), "personnel": fig("575.00"), "public": fig("75.00"),
                           "prior": fig("610.00"), "change": fig("40.00"), "pct": fig("6.56")},
                "rows": [
                    {"code": "301", "total": fig("560.00"), "personnel": fig("560.00"),
                     "prior": fig("525.00"), "change": fig("35.00"), "pct": fig("6.67")},
                    {"code": "30101", "total": fig("300.00"), "personnel": fig("300.00")},
                    {"code": "30102", "total": fig("200.00"), "personnel": fig("200.00")},
                    {"code": "30108", "total": fig("60.00"), "personnel": fig("60.00")},
                    {"code": "302", "total": fig("75.00"), "public": fig("75.00"),
                     "prior": fig("71.00"), "change": fig("4.00"), "pct": fig("5.63")},
                    {"code": "30201", "total": fig("40.00"), "public": fig("40.00")},
                    {"code": "30212", "total": fig("2.00"), "public": fig("2.00")},
                    {"code": "30217", "total": fig("4.00"), "public": fig("4.00")},
                    {"code": "30231", "total": fig("6.00"), "public": fig("6.00")},
                    {"code": "30299", "total": fig("23.00"), "public": fig("23.00")},
                    {"code": "303", "total": fig("15.00"), "personnel": fig("15.00"),
                     "prior": fig("14.00"), "change": fig("1.00"), "pct": fig("7.14")},
                    {"code": "30302", "total": fig("15.00"), "personnel": fig("15.00")},
                ],
                "empty": False,
            },
            "three_public": {
                "totals": {"total": fig("12.00"), "overseas": fig("2.00"), "reception": fig("4.00"),
                           "vehicle": fig("6.00"), "vehicle_operation": fig("6.00")},
                # by unit (review 20 C D10): the department row over 本级 and a 所属单位
                "rows": [{"unit_code": "101", "code": "101", "name": "示范市示范局", "total": fig("12.00"),
                          "overseas": fig("2.00"), "overseas_general": fig("2.00"), "reception": fig("4.00"),
                          "vehicle": fig("6.00"), "vehicle_operation": fig("6.00")},
                         {"unit_code": "101001", "code": "101001", "name": "示范市示范局（本级）", "total": fig("9.00"),
                          "overseas": fig("2.00"), "overseas_general": fig("2.00"), "reception": fig("3.00"),
                          "vehicle": fig("4.00"), "vehicle_operation": fig("4.00"), "operating_costs": fig("70.00")},
                         {"unit_code": "101002", "code": "101002", "name": "示范市示范中心", "total": fig("3.00"),
                          "reception": fig("1.00"), "vehicle": fig("2.00"), "vehicle_operation": fig("2.00")}],
                "empty": False,
            },
            # 项目支出预算表 and 政府采购预算表 (review 20 C D4): the projects add up to the narrative's
            # 项目支出 300 (财政拨款 250); the purchases, one column per kind, to its 采购 120 = 50 + 30 + 40
            "projects": {"totals": {"total": fig("300.00"), "appropriation": fig("250.00")},
                         "subtotals": [{"unit_code": "101001", "unit": "示范市示范局（本级）", "total": fig("300.00"),
                                        "appropriation": fig("250.00")}],
                         "rows": [{"unit_code": "101001", "unit": "示范市示范局（本级）", "name": "示范项目甲",
                                   "total": fig("200.00"), "appropriation": fig("180.00"), "carryover": fig("20.00")},
                                  {"unit_code": "101001", "unit": "示范市示范局（本级）", "name": "示范项目乙",
                                   "total": fig("100.00"), "appropriation": fig("70.00"), "other": fig("30.00")}]},
            # (printed with a 采购类别 column and one column per kind: PROC-012 adds each row's kinds)
            "procurement": {"by_kind": True, "kind_columns": True, "totals": {"total": fig("120.00"), "goods": fig("50.00"),
                                                        "works": fig("30.00"), "services": fig("40.00")},
                            "subtotals": [{"unit_code": "101001", "total": fig("120.00")}],
                            "rows": [{"unit_code": "101001", "name": "台式计算机", "kind": "货物", "total": fig("50.00"),
                                      "goods": fig("50.00")},
                                     {"unit_code": "101001", "name": "办公楼维修", "kind": "工程", "total": fig("30.00"),
                                      "works": fig("30.00")},
                                     {"unit_code": "101001", "name": "咨询服务", "kind": "服务", "total": fig("40.00"),
                                      "services": fig("40.00")}]},
            # 部门基本情况表 (review 20 C D7): the narrative's headcounts by category
            "staff": {"authorized": {"total": fig("30", unit="人"), "administrative": fig("20", unit="人"),
                                     "civil_servant_managed": fig("10", unit="人")},
                      "actual": {"total": fig("33", unit="人"), "administrative": fig("21", unit="人"),
                                 "civil_servant_managed": fig("12", unit="人")},
                      "active": {"total": fig("28", unit="人"), "administrative": fig("19", unit="人"),
                                 "civil_servant_managed": fig("9", unit="人")},
                      "retired_cadre": fig("1", unit="人"), "retired": fig("4", unit="人")},
            "gov_fund": {"empty": True, "rows": [], "note": "注：若为空表，则为该部门（单位）无政府性基金收支"},
            "state_capital": {"empty": True, "rows": []},
            # The two-sided summaries: the same totals and function classes as the tables above.
            "summary": {
                "empty": False,
                # the national layout: 本年收入合计 / 本年支出合计 beside the 总计 (TSU-004 … TSU-007)
                "income": {"totals": {"amount": fig("1000.00"), "subtotal_amount": fig("960.00")}, "rows": [
                    {"name": "一、财政拨款收入", "level": 1, "amount": fig("900.00")},
                    # (a numbered part names the row it is a part of: TSU-008 adds the parts up)
                    {"name": "1.一般公共预算资金", "level": 2, "parent": "一、财政拨款收入", "amount": fig("900.00")},
                    {"name": "二、其他收入", "level": 1, "amount": fig("60.00")},
                    {"name": "三、上年结转", "level": 1, "amount": fig("40.00")}]},
                "expenditure": {"totals": {"amount": fig("1000.00"), "subtotal_amount": fig("1000.00")}, "rows": [
                    {"name": "一、一般公共服务支出", "level": 1, "code": "201", "amount": fig("100.00")},
                    {"name": "二、社会保障和就业支出", "level": 1, "code": "208", "amount": fig("150.00")},
                    {"name": "三、卫生健康支出", "level": 1, "code": "210", "amount": fig("700.00")},
                    {"name": "四、住房保障支出", "level": 1, "code": "221", "amount": fig("50.00")}]},
            },
            "appropriation_summary": {
                "empty": False,
                "income": {"totals": {"amount": fig("900.00")}, "rows": [
                    {"name": "一、一般公共预算资金", "level": 1, "amount": fig("900.00")},
                    {"name": "二、政府性基金", "level": 1}]},
                "expenditure": {"totals": {"total": fig("900.00"), "general_budget": fig("900.00")}, "rows": [
                    {"name": "一、一般公共服务支出", "level": 1, "code": "201", "total": fig("90.00"),
                     "general_budget": fig("90.00")},
                    {"name": "二、社会保障和就业支出", "level": 1, "code": "208", "total": fig("140.00"),
                     "general_budget": fig("140.00")},
                    {"name": "三、卫生健康支出", "level": 1, "code": "210", "total": fig("630.00"),
                     "general_budget": fig("630.00")},
                    {"name": "四、住房保障支出", "level": 1, "code": "221", "total": fig("40.00"),
                     "general_budget": fig("40.00")}]},
            },
        },
    }


# Rules that cannot apply to this record by construction: the partial-change rules (every class
# here states its change) and the fund-amount rules (the bureau has no fund appropriations).
NOT_APPLICABLE_BY_DESIGN = {"APR-015", "APR-016", "APR-017", "TBL-085", "EXP-012", "EXP-013", "FND-005", "FND-006", "FND-007",
                            # no fund spending here, so no fund items (tests/test_reader_budget_round4_narrative.py)
                            "FND-008", "FND-009", "FND-010", "FND-011",
                            "QUA-008",   # 本部门/本单位 in the text is judged in 单位 documents only
                            # both appropriation changes are on the same footing: APR-013 checks them
                            "CHG-008",
                            # every change here is stated as an amount: INC-002 / EXP-002 / EXP-004
                            # check the identity the percentage-implied priors would
                            # (tests/test_rules_implied_prior.py)
                            "INC-006", "EXP-014", "EXP-015",
                            # the procurement table here prints its 合计 row; PROC-014 checks one that
                            # does not (tests/test_reader_procurement_columns.py)
                            "PROC-014",
                            # 财政拨款收入 is printed: INC-001 / INC-002 check the sources; INC-007 / INC-008
                            # the kinds listed instead of it (tests/test_reader_province_wording.py)
                            "INC-007", "INC-008",
                            # 40.00 万元 is carried over: the table may hold it beside the year's
                            # appropriation (tests/test_reader_general_budget_year.py checks GBY-005)
                            "GBY-005",
                            # no type of spending but basic and project: EXP-001 / EXP-002 check them;
                            # EXP-016 / EXP-017 the other types printed beside them
                            # (tests/test_reader_narrative_variants.py)
                            "EXP-016", "EXP-017",
                            # no figure printed in two units side by side (tests/test_narrative_units.py)
                            "QUA-011",
                            # a department's own record holds no row of a department's table for it:
                            # only a unit's read after its department's does (tests/test_unit_rows.py)
                            "CON-001", "CON-002"}


def test_consistent_record_has_no_failures(ruleset):
    report = ruleset.evaluate(consistent_record())
    problems = [f"{f.rule}[{f.item}] {f.status}: {f.message} {f.reason or ''}" for f in report.findings
                if f.status not in ("pass", "pass_rounding", "not_applicable")]
    assert problems == []
    statuses: dict = {}
    for f in report.findings:
        statuses.setdefault(f.rule, set()).add(f.status)
    not_applicable = {rule for rule, s in statuses.items() if s == {"not_applicable"}}
    # Every other rule was really exercised on this record.
    assert not_applicable == NOT_APPLICABLE_BY_DESIGN
    assert {r.id for r in ruleset.rules} == set(statuses)


def test_consistent_record_is_exact_not_rounding(ruleset):
    report = ruleset.evaluate(consistent_record())
    # Every amount above adds up to the cent; only the percentages are rounded (to 0.01 %).
    rounding = {f.rule for f in report.findings if f.status == "pass_rounding"}
    assert rounding <= {"PCT-001", "PCT-003", "PCT-004", "PCT-005", "PCT-006", "PCT-007", "PCT-008",
                        "PCT-009", "PCT-010", "PCT-011", "PCT-012", "PCT-013", "PCT-014", "PCT-015", "PCT-016",
                        "PCT-017", "PCT-018", "ITM-009", "GBY-002", "GBY-003", "GBY-007", "SHR-006",
                        "GBY-011", "GBY-017",
                        # the tables' printed 增减（%） and 占比 columns (TCH-003/006/009/012: their 合计 rows)
                        "TCH-002", "TCH-003", "TCH-005", "TCH-006", "TCH-008", "TCH-009", "TCH-011",
                        "TCH-012", "TCH-019", "PROC-017", "PROC-018", "PROC-019"}


@pytest.mark.parametrize("path, value, rule", [
    (("income", "sources", "other"), "61.00", "INC-001"),
    (("expenditure", "project"), "301.00", "EXP-001"),
    (("operating_costs",), "70.00|-5.00|-7.14", "PCT-001"),
    (("income", "sources", "other"), "60.00|10.00|16.67", "PCT-009"),
    (("doc", "stated_priors", 0, "prior"), "40.00", "CHG-009"),
    (("expenditure", "basic"), "700.00|50.00|-7.69", "PCT-010"),
    (("appropriation", "basic"), "650.00|40.00|6.15", "PCT-011"),
    (("three_public", "reception"), "4.00|-1.00|-25.00", "PCT-012"),
    (("procurement", "total"), "120|20|16.67", "PCT-013"),
    (("appropriation", "economic", 1, "amount"), "295.00|39.00|13.22", "PCT-016"),
    (("expenditure", "basic_economic", 1, "amount"), "80.00|8.00|10.00", "PCT-014"),
    (("expenditure", "project_economic", 1, "amount"), "50.00|5.00|10.00", "PCT-015"),
    (("appropriation", "basic_economic", 1, "amount"), "75.00|4.00|5.33", "PCT-017"),
    (("appropriation", "project_economic", 1, "amount"), "30.00|5.00|16.67", "PCT-018"),
    (("three_public", "reception"), "5.00", "TPF-001"),
    (("staff", "active", "administrative"), "20", "HC-002"),
    (("procurement", "services"), "41", "PROC-001"),
    (("appropriation", "items", 2, "amount"), "54.00", "ITM-001"),
    (("appropriation", "items", 2, "amount"), "54.00", "ITM-010"),
    (("appropriation", "items", 3, "planned"), "335.00|53.00|11.67", "ITM-008"),
    (("appropriation", "items", 3, "planned"), "335.00|35.00|17.67", "ITM-009"),
    (("appropriation", "items", 3, "planned"), "353.00", "ITM-007"),
    (("project_parts", 1, "amount"), "5", "PRJ-003"),
    (("projects", 1, "quarter_4"), "52", "PRJ-005"),
    (("org", "subordinate_units"), "3", "ORG-002"),
    (("operating_scope", "agencies"), "2", "ORG-003"),
    (("tables", "summary", "income", "totals", "amount"), "10000100.00", "SUM-001"),
    (("tables", "three_public", "rows", 1, "operating_costs"), "7.00", "OPS-003"),
    # tables listed by unit (review 20 C D2, D10)
    (("tables", "expenditure", "units", 2, "total"), "210.00", "TBL-070"),
    (("tables", "expenditure", "units", 2, "total"), "210.00", "TBL-071"),
    (("tables", "expenditure", "units", 1, "basic"), "560.00", "TBL-072"),
    (("tables", "expenditure", "units", 1, "project"), "240.00", "TBL-073"),
    (("tables", "expenditure", "units", 0, "total"), "1010.00", "TBL-074"),
    (("tables", "expenditure", "unit_rows", 7, "total"), "160.00", "TBL-080"),
    (("tables", "expenditure", "unit_rows", 4, "total"), "510.00", "TBL-081"),
    (("tables", "expenditure", "unit_rows", 5, "total"), "60.00", "TBL-082"),
    (("tables", "general_budget", "units", 1, "total"), "110.00", "TBL-083"),
    (("tables", "general_budget", "units", 1, "total"), "110.00", "TBL-084"),
    (("tables", "income", "units", 1, "other"), "40.00", "TBL-075"),
    (("tables", "income", "units", 2, "total"), "60.00", "TBL-076"),
    (("tables", "income", "units", 1, "appropriation"), "890.00", "TBL-077"),
    (("tables", "income", "units", 0, "total"), "1010.00", "TBL-078"),
    (("tables", "income", "units", 2, "other"), "40.00", "TBL-079"),
    (("tables", "three_public", "rows", 2, "total"), "4.00", "TPF-013"),
    (("tables", "three_public", "rows", 2, "reception"), "2.00", "TPF-014"),
    (("tables", "three_public", "rows", 0, "total"), "13.00", "TPF-015"),
    (("tables", "summary", "expenditure", "totals", "amount"), "1001.00", "TSU-001"),
    (("tables", "summary", "expenditure", "rows", 2, "amount"), "701.00", "TSU-002"),
    (("tables", "summary", "income", "totals", "amount"), "1001.00", "TSU-003"),
    (("tables", "summary", "income", "rows", 2, "amount"), "61.00", "TSU-004"),
    (("tables", "summary", "income", "rows", 3, "amount"), "41.00", "TSU-005"),
    (("tables", "summary", "income", "rows", 1, "amount"), "901.00", "TSU-008"),
    (("tables", "summary", "expenditure", "rows", 0, "amount"), "101.00", "TSU-006"),
    (("tables", "summary", "expenditure", "totals", "subtotal_amount"), "999.00", "TSU-007"),
    (("tables", "appropriation_summary", "expenditure", "rows", 0, "general_budget"), "9.00", "TSU-011"),
    (("tables", "appropriation_summary", "expenditure", "rows", 2, "general_budget"), "603.00", "TSU-012"),
    # prior / change / % / share columns (review 20 C D13)
    (("tables", "expenditure", "rows", 3, "change"), "21.00", "TCH-001"),
    (("tables", "expenditure", "rows", 3, "pct"), "15.83", "TCH-002"),
    (("tables", "expenditure", "totals", "prior"), "910.00", "TCH-003"),
    (("tables", "general_budget", "rows", 0, "change"), "9.00", "TCH-004"),
    (("tables", "general_budget", "rows", 0, "pct"), "9.67", "TCH-005"),
    (("tables", "general_budget", "totals", "change"), "81.00", "TCH-006"),
    (("tables", "income", "rows", 0, "prior"), "91.00", "TCH-007"),
    (("tables", "income", "rows", 0, "pct"), "11.01", "TCH-008"),
    (("tables", "income", "totals", "pct"), "11.10", "TCH-009"),
    (("tables", "general_budget_basic", "rows", 0, "change"), "36.00", "TCH-010"),
    (("tables", "general_budget_basic", "rows", 0, "pct"), "6.76", "TCH-011"),
    (("tables", "general_budget_basic", "totals", "prior"), "620.00", "TCH-012"),
    (("tables", "expenditure", "rows", 5, "change"), "50.00", "TCH-013"),
    (("tables", "expenditure", "totals", "change"), "90.00", "TCH-014"),
    (("tables", "income", "totals", "change"), "110.00", "TCH-015"),
    (("tables", "general_budget", "rows", 3, "change"), "17.00", "TCH-016"),
    (("tables", "general_budget", "totals", "change"), "81.00", "TCH-017"),
    (("tables", "expenditure", "rows", 3, "share"), "16.00", "TCH-018"),
    (("tables", "general_budget", "rows", 2, "share"), "15.65", "TCH-019"),
    # 项目支出预算表, 政府采购预算表 (review 20 C D4)
    (("tables", "projects", "rows", 1, "total"), "110.00", "PRJ-010"),
    (("tables", "projects", "rows", 1, "appropriation"), "80.00", "PRJ-011"),
    (("tables", "projects", "totals", "total"), "310.00", "PRJ-012"),
    (("tables", "projects", "totals", "total"), "310.00", "PRJ-013"),
    (("tables", "projects", "totals", "appropriation"), "260.00", "PRJ-014"),
    (("tables", "projects", "rows", 1, "total"), "90.00", "PRJ-015"),
    (("tables", "projects", "subtotals", 0, "total"), "310.00", "PRJ-016"),
    (("tables", "procurement", "rows", 2, "total"), "50.00", "PROC-010"),
    (("tables", "procurement", "totals", "total"), "130.00", "PROC-011"),
    (("tables", "procurement", "rows", 0, "goods"), "40.00", "PROC-012"),
    (("tables", "procurement", "rows", 0, "goods"), "40.00", "PROC-013"),
    (("tables", "procurement", "subtotals", 0, "total"), "130.00", "PROC-016"),
    # 部门基本情况表 and the 三公 counts (review 20 C D7, D8)
    (("tables", "staff", "authorized", "administrative"), "21", "HC-010"),
    (("tables", "staff", "active", "civil_servant_managed"), "8", "HC-011"),
    (("tables", "staff", "actual", "administrative"), "20", "HC-012"),
    (("tables", "staff", "retired"), "5", "HC-013"),
    (("tables", "staff", "authorized", "total"), "31", "HC-014"),
    (("three_public", "counts", "overseas_groups"), "0", "TPF-040"),
    (("three_public", "counts", "reception_batches"), "0", "TPF-041"),
    (("three_public", "counts", "vehicle_purchases"), "1", "TPF-042"),
    (("three_public", "counts", "vehicles_held"), "4", "TPF-043"),
])
def test_one_changed_figure_breaks_its_identity(ruleset, path, value, rule):
    record = consistent_record()
    target = record
    for key in path[:-1]:
        target = target[key]
    old = target[path[-1]]
    if "|" in value:
        v, c, p = value.split("|")
        target[path[-1]] = fig(v, c, p)
    else:
        target[path[-1]] = {**old, "value": value}
    failing = {f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"}
    assert rule in failing


@pytest.mark.parametrize("printed, status", [
    # Whole 元: each figure stands for ±0.5 元, so a 合计 one 元 above basic + project is rounding.
    (("94995790", "77381546", "17614243"), "pass_rounding"),
    # Printed 分 are exact to the 分: the same 元 is a real difference.
    (("94995790.00", "77381546.00", "17614243.00"), "fail"),
    # Whole 元 still catch more than rounding can explain.
    (("94995792", "77381546", "17614243"), "fail"),
])
def test_whole_yuan_tables_are_rounded_to_the_yuan(ruleset, printed, status):
    total, basic, project = printed
    row = {"code": "21201", "name": "城乡社区管理事务", "total": {"value": total, "unit": "元"},
           "basic": {"value": basic, "unit": "元"}, "project": {"value": project, "unit": "元"}}
    report = ruleset.evaluate({"tables": {"expenditure": {"rows": [row]}}})
    assert {f.status for f in report.findings if f.rule == "TBL-007"} == {status}
