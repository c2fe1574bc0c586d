"""fiscalrules.evaluator, findings and messages: statuses, values, operands, messages, ordering
(cases as data in ``cases/evaluation.yaml``), and the report built from them."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

import fiscalrules
from fiscalrules import Status, compile_rules
from fiscalrules import compiler, evaluator, functions

# libyaml's safe loader where PyYAML has it: the same data as yaml.safe_load, in a tenth of its
# CPU (every xdist worker loads the case files as it collects the modules)
DATA = yaml.load((Path(__file__).parent / "cases" / "evaluation.yaml").read_text(encoding="utf-8"),
                 Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
PRELUDE = DATA["prelude"]
CASES = DATA["cases"]


def _rules(case):
    return compile_rules((PRELUDE if case.get("prelude", True) else "") + case["rules"])


def _check_operands(finding, wanted):
    assert len(finding.operands) == len(wanted), finding.operands
    for op, want in zip(finding.operands, wanted):
        assert op.path == want["path"]
        assert op.label == want.get("label")
        assert op.value == D(want["value"])
        if "unit" in want:
            assert op.unit == want["unit"]
        for key in ("line", "page", "document"):
            if key in want:
                assert op.source is not None and getattr(op.source, key) == want[key]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_evaluation_case(case):
    report = _rules(case).evaluate(case["record"])
    findings = report.sorted_findings()
    got = [(f.rule, f.item, f.status) for f in findings]
    want = [(e["rule"], e.get("item"), e["status"]) for e in case["expect"]]
    assert got == want, "\n".join(f.message for f in findings)
    for finding, expected in zip(findings, case["expect"]):
        where = f"{finding.rule}[{finding.item}]: {finding.message}"
        for side in ("left", "right"):
            if side in expected:
                assert getattr(finding, side).value == D(expected[side]), where
        if "difference" in expected:
            assert finding.difference == D(expected["difference"]), where
        if "tolerance" in expected:
            assert finding.tolerance == D(expected["tolerance"]), where
        if "missing" in expected:
            assert list(finding.missing) == expected["missing"], where
        if "reason" in expected:
            assert expected["reason"] in (finding.reason or ""), where
        if "message" in expected:
            assert expected["message"] in finding.message, where
        if "message_en" in expected:
            assert expected["message_en"] in finding.message_en, finding.message_en
        if "suggestion" in expected:
            assert finding.suggestion == expected["suggestion"], where
        if "operands" in expected:
            _check_operands(finding, expected["operands"])


def test_cases_cover_every_status():
    statuses = {e["status"] for c in CASES for e in c["expect"]}
    assert statuses == {"pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error"}


# ---- the finding ---------------------------------------------------------------------------------------

RULES = PRELUDE + """
rule INC-1 "收入等于各项之和" "Income equals its sources" {
    severity error
    tags income, totals
    assert 收入预算总额 = sum(income.sources.*)
}
rule BAL "收支平衡" {
    severity warning
    assert income.total = expense.total
}
"""


@pytest.fixture(scope="module")
def rules():
    return compile_rules(RULES)


def test_finding_carries_everything(rules):
    record = {"_meta": {"id": "jdz-2025"},
              "income": {"total": {"value": "329.94", "source": {"document": "000.txt", "line": 131,
                                                                  "text": "收入预算总额为 329.94 万元"}},
                         "sources": {"appropriation": "329.94", "carryover": {"value": "53.09", "change": "53.09"}}},
              "expense": {"total": "329.94"}}
    report = rules.evaluate(record)
    f = next(f for f in report.findings if f.rule == "INC-1")
    assert f.record == "jdz-2025"
    assert (f.title, f.title_en, f.severity, f.tags) == ("收入等于各项之和", "Income equals its sources", "error",
                                                           ("income", "totals"))
    assert f.status == Status.FAIL and f.failed
    assert f.op == "="
    assert (f.left.value, f.left.lo, f.left.hi, f.left.unit) == (D("329.94"), D("329.935"), D("329.945"), "万元")
    assert (f.right.value, f.right.lo, f.right.hi) == (D("383.03"), D("383.02"), D("383.04"))
    assert f.left.expression == "income.total" and f.right.expression == "sum(income.sources.*)"
    assert f.difference == D("-53.09") and f.tolerance == D("0.015") and f.unit == "万元"
    assert [o.path for o in f.operands] == ["income.total", "income.sources.appropriation",
                                            "income.sources.carryover"]
    assert f.operands[0].source.line == 131 and f.operands[0].source.document == "000.txt"
    assert f.operands[2].change == D("53.09")
    assert f.suggestion == "收入预算总额（第131行） = 383.03 万元"
    assert f.message.startswith("收入等于各项之和：")
    assert "329.94 万元" in f.message and "383.03 万元" in f.message and "-53.09 万元" in f.message
    assert f.message_en.startswith("Income equals its sources:")
    assert f.text("en") == f.message_en and f.text("zh") == f.message
    data = f.to_dict()
    assert data["left"] == {"value": "329.94", "expression": "income.total", "lo": "329.935", "hi": "329.945",
                            "unit": "万元"}
    assert data["difference"] == "-53.09"
    assert data["operands"][0]["source"] == {"document": "000.txt", "line": 131, "text": "收入预算总额为 329.94 万元"}


def test_no_suggestion_when_the_left_side_is_computed():
    rules = compile_rules(PRELUDE + "rule R: expense.basic + expense.project = expense.total")
    f = rules.evaluate({"expense": {"basic": "1", "project": "1", "total": "3"}}).findings[0]
    assert f.status == "fail" and f.suggestion is None


def test_no_suggestion_on_pass_or_inequality():
    rules = compile_rules(PRELUDE + "rule A: income.total = 2\nrule B: income.total <= 1")
    report = rules.evaluate({"income": {"total": "2"}})
    assert [(f.status, f.suggestion) for f in report.sorted_findings()] == [("pass", None), ("fail", None)]


def test_severity_defaults_to_error():
    rules = compile_rules(PRELUDE + "rule R: income.total = 1")
    assert rules.evaluate({"income": {"total": "1"}}).findings[0].severity == "error"


def test_default_messages_in_both_languages(rules):
    report = rules.evaluate({"income": {"total": "10", "sources": {"a": "10"}}})
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["INC-1"].message == "收入等于各项之和：一致（收入预算总额 = 10.00 万元）"
    assert by_rule["INC-1"].message_en == "Income equals its sources: consistent (income.total = 10.00 万元)"
    assert by_rule["BAL"].message == "收支平衡：无法核对，缺少 支出总额"   # (Chinese names it by its label)
    assert by_rule["BAL"].message_en == "收支平衡: not evaluable, missing expense.total"


def test_message_template_per_row_with_row_cells():
    rules = compile_rules(PRELUDE + """
rule R {
    message "{r.name}（{row}）：{left} ≠ {right}，差 {diff}" "{r.name} ({row}): {left} vs {right}"
    assert for each r in tables.function: r.total = r.basic
}""")
    report = rules.evaluate({"tables": {"function": [
        {"code": "201", "name": "一般公共服务", "total": "5", "basic": "4"},
        {"code": "208", "name": "社会保障", "total": "3", "basic": "3"}]}})
    first, second = report.sorted_findings()
    assert first.message == "一般公共服务（201）：5.00 万元 ≠ 4.00 万元，差 1.00 万元"
    assert first.message_en == "一般公共服务 (201): 5.00 万元 vs 4.00 万元"
    # each row's message names its own row, however late it is rendered
    assert second.message.startswith("社会保障（208）")


def test_a_column_is_named_by_its_label_as_a_field_is():
    # an auditor writes 行.合计 for the column declared total "合计", in the rule and its message
    rules = compile_rules(PRELUDE + """
rule R {
    message "{行.name}：合计 {行.合计}，基本支出 {行.basic}"
    assert for each 行 in 功能表: 行.合计 = 行.basic
}
rule S: sum(功能表.合计) = 8
rule T: 功能表["201"].合计 = 5""")
    by_label = rules.evaluate({"tables": {"function": [
        {"code": "201", "name": "一般公共服务", "total": "5", "basic": "4"},
        {"code": "208", "name": "社会保障", "total": "3", "basic": "3"}]}})
    first, second, s, t = by_label.sorted_findings()
    assert (first.status, second.status, s.status, t.status) == ("fail", "pass", "pass", "pass")
    assert first.message == "[201] 一般公共服务：合计 5，基本支出 4"   # (as printed)
    assert [(o.path, str(o.value)) for o in first.operands] == [("tables.function[201].total", "5"),
                                                                 ("tables.function[201].basic", "4")]
    # Chinese messages show a column by its label, however the rule named it; English by its name
    assert t.message == 'T：一致（功能表["201"].合计 = 5.00 万元）'
    assert t.message_en == 'T: consistent (tables.function["201"].total = 5.00 万元)'
    plain = compile_rules(PRELUDE + "rule U: for each r in 功能表: r.total = r.basic").evaluate(
        {"tables": {"function": [{"code": "201", "total": "5", "basic": "4"}]}}).findings[0]
    assert plain.message.startswith("[201] U：r.合计 为 5.00 万元，r.basic 为 4.00 万元"), plain.message


def test_unknown_figure_placeholder_renders_a_question_mark():
    rules = compile_rules(PRELUDE + 'rule R {\n    message "支出 {expense.total}"\n    assert income.total = 2\n}')
    f = rules.evaluate({"income": {"total": "1"}}).findings[0]
    assert f.message == "支出 ?"


# ---- the report -----------------------------------------------------------------------------------------

def test_summary_per_rule_and_per_record(rules):
    report = rules.evaluate_many([
        {"_meta": {"id": "a"}, "income": {"total": "10", "sources": {"x": "10"}}, "expense": {"total": "10"}},
        {"_meta": {"id": "b"}, "income": {"total": "10", "sources": {"x": "9.99"}}, "expense": {"total": "11"}},
        {"_meta": {"id": "c"}, "income": {"total": "10"}},
    ])
    summary = report.summary()
    assert summary["rules"]["INC-1"] == {"items": 3, "pass": 1, "pass_rounding": 1, "fail": 0,
                                         "not_applicable": 0, "not_evaluable": 1, "error": 0}
    assert summary["rules"]["BAL"]["fail"] == 1 and summary["rules"]["BAL"]["not_evaluable"] == 1
    assert summary["records"]["b"]["items"] == 2 and summary["records"]["b"]["fail"] == 1
    assert summary["total"]["items"] == 6
    assert [r.id for r in report.records] == ["a", "b", "c"]
    assert report.worst_severity() == "warning"
    assert [f.record for f in report.failures] == ["b"]


def test_records_with_the_same_id_stay_apart(rules):
    same = {"_meta": {"id": "x"}, "income": {"total": "1", "sources": {"a": "1"}}, "expense": {"total": "1"}}
    report = rules.evaluate_many([same, same])
    assert [r.id for r in report.records] == ["x", "x#2"]
    assert len(report.findings) == 4


def test_a_bad_record_among_good_ones(rules):
    report = rules.evaluate_many([{"income": {"total": 1.5}}, {"income": {"total": "1", "sources": {"a": "1"}}}])
    assert report.records[0].error and "income.total" in report.records[0].error
    assert report.records[1].error is None
    assert {f.status for f in report.findings} == {"pass", "not_evaluable"}


def test_ordering_is_deterministic(rules):
    records = [{"_meta": {"id": f"r{i}"}, "income": {"total": str(i), "sources": {"a": "1"}},
                "expense": {"total": "1"}} for i in range(5)]
    first = rules.evaluate_many(records).to_json()
    second = rules.evaluate_many(records).to_json()
    assert first == second
    order = [(f["record"], f["rule"]) for f in json.loads(first)["findings"]]
    assert order == sorted(order, key=lambda p: (int(p[0][1:]), p[1]))


def test_json_output_keeps_decimals_as_text(rules):
    report = rules.evaluate({"income": {"total": "12345678901234567.89", "sources": {"a": "12345678901234567.89"}},
                             "expense": {"total": "0.1"}})
    data = json.loads(report.to_json())
    inc = next(f for f in data["findings"] if f["rule"] == "INC-1")
    assert inc["left"]["value"] == "12345678901234567.89"
    assert inc["status"] == "pass"
    lines = [json.loads(line) for line in report.to_jsonl().splitlines()]
    findings = [line for line in lines if line["status"] != "localisation"]
    assert len(findings) == 2 and all(line["rule"] in ("INC-1", "BAL") for line in findings)
    [group] = [line for line in lines if line["status"] == "localisation"]   # BAL fails: 12345678901234567.89 ≠ 0.1
    assert group["explanations"][0]["changes"][0]["suggested"] == "12345678901234567.89"


# ---- compiled once ----------------------------------------------------------------------------------------

def test_rules_are_compiled_once_not_rewalked(monkeypatch, rules):
    record = {"income": {"total": "1", "sources": {"a": "1"}}, "expense": {"total": "1"}}
    rules.evaluate(record)

    def boom(*args, **kwargs):
        raise AssertionError("the AST was walked again at evaluation time")
    for module in (compiler, functions, evaluator):
        monkeypatch.setattr(module, "_compile", boom)
    report = rules.evaluate(record)
    assert {f.status for f in report.findings} == {"pass"}


def test_evaluation_never_raises_for_odd_records(rules):
    odd = [{}, {"income": "text"}, {"income": {"total": "abc"}}, {"income": {"total": True}},
           {"income": {"total": {"value": "1", "unit": "人"}}}, {"income": {"sources": [{"code": "1"}]}},
           {"tables": {"function": "x"}}]
    for record in odd:
        for f in rules.evaluate(record).findings:
            assert f.status in fiscalrules.findings.STATUSES
            assert f.message   # rendering never fails either


def test_figure_in_a_count_unit_where_money_is_declared_is_an_error(rules):
    f = next(f for f in rules.evaluate({"income": {"total": {"value": "1", "unit": "人"},
                                                   "sources": {"a": "1"}}}).findings if f.rule == "INC-1")
    assert f.status == "error" and "declared as money" in f.reason



@pytest.mark.parametrize("unit", ["万元", "元", "%"])
def test_figure_in_money_or_percent_where_a_count_is_declared_is_an_error(unit):
    # (a count of 3 in 万元 was taken as 3 元 and shown as "0.0003 万元" -- and the rule passed)
    rules = compile_rules("""
field staff.total: count 人
field staff.parts.*: count 人
rule HC { assert staff.total = sum(staff.parts.*) }
""")
    record = {"staff": {"total": {"value": "3", "unit": unit}, "parts": {"a": "1", "b": "2"}}}
    finding = rules.evaluate(record).findings[0]
    assert finding.status == "error" and f"staff.total is in {unit}, but it is declared as a count" in finding.reason
    pytest.importorskip("pyarrow")
    from fiscalrules.columnar import flatten_records
    columnar = rules.evaluate_table(flatten_records([record], rules))   # (the same from the columnar engine)
    assert [f.status for f in columnar.findings()] == ["error"]
    assert {f.status for f in rules.evaluate({"staff": {"total": {"value": "3", "unit": "名"},
                                                        "parts": {"a": "1", "b": "2"}}}).findings} == {"pass"}


@pytest.mark.parametrize("unit", ["万元", "人"])
def test_figure_in_money_or_a_count_where_a_percentage_is_declared_is_an_error(unit):
    # (a share of 25 in 万元 was computed with as 250,000 元 against the 25.00 "元" of part / total * 100)
    rules = compile_rules("""
field x.total: amount
field x.part: amount
field x.share: percent
rule P { assert x.share = x.part / x.total * 100 }
""")
    record = {"x": {"total": "200", "part": "50", "share": {"value": "25", "unit": unit}}}
    finding = rules.evaluate(record).findings[0]
    assert finding.status == "error" and f"x.share is in {unit}, but it is declared as a percentage" in finding.reason
    pytest.importorskip("pyarrow")
    from fiscalrules.columnar import flatten_records
    assert [f.status for f in rules.evaluate_table(flatten_records([record], rules)).findings()] == ["error"]
    for share in ({"value": "25", "unit": "%"}, "25"):
        assert rules.evaluate({"x": {"total": "200", "part": "50", "share": share}}).findings[0].status == "pass"

# ---- inline examples ------------------------------------------------------------------------------------

def test_run_examples_reports_misbehaving_ones():
    rules = compile_rules(PRELUDE + """
rule R {
    assert income.total = sum(income.sources.*)
    example pass {income.total: 10, income.sources.a: 4, income.sources.b: 6}
    example fail {income.total: 10, income.sources.a: 4}
    example fail {income.total: 10, income.sources.a: 10}
    example pass {income: {total: 10}}
}""", name="ex.rules")
    results = rules.run_examples()
    assert [(r.index, r.expect, r.ok) for r in results] == [(1, "pass", True), (2, "fail", True),
                                                            (3, "fail", False), (4, "pass", False)]
    third_line = (PRELUDE + "\nrule R {\n    assert\n    example\n    example\n").count("\n") + 1
    assert results[2].statuses == ("pass",) and results[2].line == third_line and results[2].file == "ex.rules"
    assert results[3].statuses == ("not_evaluable",) and "income.sources.*" in results[3].detail


def test_an_example_record_names_fields_and_columns_as_the_rules_may():
    # an auditor's examples keyed by labels, as the rule is written: 收入预算总额, 功能表's 合计
    rules = compile_rules(PRELUDE + """
rule R {
    assert 收入预算总额 = 支出总额
    example pass {收入预算总额: 10, 支出总额: 10}
    example fail {收入预算总额: 10, expense: {total: 9}}
    example pass {income.total: 10, 支出总额: 10}
}
rule T {
    assert for each 行 in 功能表: 行.合计 >= 行.basic
    example pass {功能表: [{code: "201", 合计: 5, basic: 5}]}
    example fail {tables.function: [{code: "201", 合计: 4, basic: 5}]}
    example not evaluable {tables.function: [{code: "201", basic: 5}]}
}""")
    results = rules.run_examples()
    assert [(r.rule, r.expect, r.ok, r.statuses) for r in results] == [
        ("R", "pass", True, ("pass",)), ("R", "fail", True, ("fail",)), ("R", "pass", True, ("pass",)),
        ("T", "pass", True, ("pass",)), ("T", "fail", True, ("fail",)),
        ("T", "not_evaluable", True, ("not_evaluable",))], [r.detail for r in results]
    again = rules.run_examples()   # (the rule's own example records are left as written)
    assert [r.ok for r in again] == [True] * 6


def test_side_texts_are_printed_when_a_finding_shows_them():
    import pickle
    rules = compile_rules('unit 万元\nfield a "收入": amount\nfield b: amount\nfield c: amount\n'
                          'rule R: a = b + c\nrule S: b in {1 万元, 2 万元}\n')
    compare, member = (rule.sides for rule in rules.rules)
    assert compare._texts is None and member._texts is None  # nothing printed by compiling
    finding = rules.evaluate({"a": "5", "b": "1", "c": "3"}).findings[0]
    assert (finding.left.expression, finding.right.expression) == ("a", "b + c")
    assert tuple(compare) == ("a", "b + c", "收入", "b + c") and len(compare) == 4
    assert tuple(member)[:2] == ("b", "{1 万元, 2 万元}")
    assert pickle.loads(pickle.dumps(compare)) == tuple(compare)  # another process gets the tuple
