"""What a batch keeps per check (issue 10): a pass the evaluator decides is a slim finding -- its
record, status and item, its compiled rule, what a replay needs -- whose details, messages and
localisation are made only when read; a finding made whole keeps its facts apart.  And a rule
decided whole by its fused body runs that body once, whether it holds or fails."""

import pickle
from decimal import Decimal

import fiscalrules
from fiscalrules import evaluator
from fiscalrules.findings import Finding

RULES = """
unit 万元
precision 万元 0.01
field total "总额": amount
field basic "基本": amount
field project "项目": amount
field t "功能分类": table(code: text, total: amount, basic: amount, project: amount)
rule A01 {
    title "总额"
    severity warning
    tags 合计
    assert total = basic + project
}
rule A02 "各行" {
    assert for each r in t: r.total = r.basic + r.project
}
rule A03 "条件" {
    when total > 1000
    assert basic <= total
}
"""

RECORD = {"total": "10.00", "basic": "4.00", "project": "6.00",
          "t": [{"code": "201", "total": "3.00", "basic": "1.00", "project": "2.00"},
                {"code": "208", "total": "7.00", "basic": "3.00", "project": "4.00"}]}


def _slots(cls) -> list[str]:
    return [name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())]


def test_a_decided_pass_is_eight_slots_and_makes_nothing_until_read():
    rules = fiscalrules.compile_rules(RULES)
    findings = rules.evaluate(RECORD).findings
    assert [(f.rule, f.item, f.status) for f in findings] == [
        ("A01", None, "pass"), ("A02", "201", "pass"), ("A02", "208", "pass"), ("A03", None, "not_applicable")]
    for f in findings:
        assert type(f) is not Finding and isinstance(f, Finding)
        # the garbage collector walks every slot of every finding a batch keeps (20 before)
        assert len(_slots(type(f))) <= 8
        assert f._more is None   # details, messages, localisation: nothing made yet
    one = findings[0]
    assert (one.title, one.severity, one.tags, one.reason, one.missing, one.likely_wrong, one.unexplained) == \
        ("总额", "warning", ("合计",), None, (), (), None)
    assert findings[3].reason == "precondition is false" and findings[3].missing == ()
    # read: replayed, as before
    assert one.left.value == Decimal("10.00") and [o.path for o in one.operands] == ["total", "basic", "project"]
    assert one._more is not None and one.message
    data = one.to_dict()
    assert (data["rule"], data["title"], data["severity"], data["tags"], data["reason"], data["missing"]) == \
        ("A01", "总额", "warning", ["合计"], None, [])


def test_a_finding_made_whole_answers_as_before_and_travels():
    f = Finding("r1", "X01", "标题", "error", "fail", item="201", reason="why", missing=["a", "b"],
                title_en="Title", tags=["t"], op="=", difference=Decimal("1"))
    assert (f.record, f.rule, f.title, f.title_en, f.severity, f.status, f.item, f.reason, f.missing, f.tags) == \
        ("r1", "X01", "标题", "Title", "error", "fail", "201", "why", ("a", "b"), ("t",))
    assert f.op == "=" and f.difference == Decimal("1") and f.likely_wrong == () and f.unexplained is None
    f.unexplained = "not_modelled"
    f.record = "r2"   # (a batch of several tables renames its records)
    copy = pickle.loads(pickle.dumps(f))
    assert copy == f and copy.unexplained == "not_modelled" and copy.record == "r2"


def test_localising_a_decided_finding_keeps_what_it_is_told():
    rules = fiscalrules.compile_rules(RULES)
    passed = rules.evaluate(RECORD).findings[0]
    passed.likely_wrong = ("x",)
    passed.unexplained = "not_linear"
    assert passed.likely_wrong == ("x",) and passed.unexplained == "not_linear" and passed._more.details is None
    passed.forget_details()
    assert passed.likely_wrong == ("x",) and passed.operands


def test_a_rule_decided_whole_runs_its_fused_body_once_when_it_fails(monkeypatch):
    rules = fiscalrules.compile_rules(RULES)
    rules.evaluate(RECORD)   # (the fused closures are made on the first record)
    compiled = next(rule for rule in rules.rules if rule.id == "A01")
    fused = compiled.fused
    body, calls = fused.body, []

    def counted(record, row):
        calls.append(row)
        return body(record, row)

    fused.body = fused.whole = counted
    wrong = dict(RECORD, total="11.00")
    runs = {"Ruleset.evaluate": lambda: rules.evaluate(wrong).findings,
            "evaluate_many": lambda: rules.evaluate_many([wrong]).findings,
            "CompiledRule.evaluate": lambda: compiled.evaluate(fiscalrules.load_record(wrong))}
    for name, run in runs.items():
        calls.clear()
        findings = [f for f in run() if f.rule == "A01"]
        assert [f.status for f in findings] == ["fail"], name
        assert len(calls) == 1, name   # (twice before: once to decide, once more before explaining)
        assert findings[0].difference == Decimal("1.00")
    calls.clear()
    assert [f.status for f in rules.evaluate(RECORD).findings if f.rule == "A01"] == ["pass"] and len(calls) == 1
