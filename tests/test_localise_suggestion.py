"""What a failure's suggestion (建议) says once its report is localised (review 21 L5, L6, L10):
one explanation written out; several as likely numbered, after saying the record cannot tell
which; none -- the reason, never the value that would balance the rule's left-hand figure."""

from __future__ import annotations

import json
import pickle

from fiscalrules import compile_rules

RULES = compile_rules('''
unit 万元
precision 万元 0.01
field spend.total "支出合计": amount
field spend.parts "支出明细": table(code: text, name "名称": text, amount "金额": amount)
field spend.a "甲类支出": amount
field spend.b "乙类支出": amount
rule SUM "支出合计等于各项之和": spend.total = spend.a + spend.b
rule ROWS "支出合计等于明细之和": spend.total = sum(spend.parts.amount)
''')


def _failure(record: dict, rule: str):
    report = RULES.subset([rule]).evaluate(record)
    report.localise()
    [failure] = [f for f in report.findings if f.status == "fail"]
    return failure


def test_one_explanation_is_written_out():
    f = _failure({"spend": {"total": {"value": "383.03", "source": {"line": 7}},
                            "a": {"value": "329.49", "source": {"line": 8}}, "b": {"value": "53.09", "source": {"line": 9}}}},
                 "SUM")
    assert f.suggestion == "甲类支出（第8行）：329.49 → 329.94 万元（数字顺序颠倒）"


def test_equally_likely_explanations_are_numbered_after_saying_so():
    f = _failure({"spend": {"total": {"value": "10.00", "source": {"line": 7}},
                            "a": {"value": "3.00", "source": {"line": 8}}, "b": {"value": "3.00", "source": {"line": 9}}}},
                 "SUM")
    assert f.suggestion == ("无法确定是哪一个数字有误，以下任一处改动都能使规则成立："
                            "①甲类支出（第8行）：3.00 → 7.00 万元（一位数字不同） "
                            "②乙类支出（第9行）：3.00 → 7.00 万元（一位数字不同）")
    assert f.suggestion_text("en").startswith(
        "cannot tell which figure is wrong; any one of these would make the rule hold: (1) 甲类支出 (line 8)")
    assert f.to_dict()["suggestion"] == f.suggestion


def test_many_alternatives_are_counted_and_named_beyond_the_first_three():
    rows = [{"code": f"20{i}", "name": name, "amount": "3.00"} for i, name in enumerate("子丑寅卯辰", start=1)]
    f = _failure({"spend": {"total": "25.00", "parts": rows}}, "ROWS")
    text = f.suggestion
    assert text.startswith("无法确定是哪一个数字有误，以下任一处改动都能使规则成立：①")
    assert "③" in text and "④" not in text
    assert text.endswith("另有 2 处同样可能：金额 [204]、金额 [205]")


def test_a_group_localised_without_an_explanation_says_why_not_the_left_figure(monkeypatch):
    # The search given no budget: the group ends with the reason search_limit.  The evaluator's
    # "支出合计 = 332.58" would blame the left figure only because the rule was written with it on
    # the left.
    from fiscalrules.localise import search
    monkeypatch.setattr(search, "WORK_LIMIT", -1)
    record = {"spend": {"total": {"value": "383.03", "source": {"line": 3}},
                        "a": {"value": "329.49", "source": {"line": 4}}, "b": {"value": "53.09", "source": {"line": 5}}}}
    unlocalised = RULES.subset(["SUM"]).evaluate(record)
    [before] = [f for f in unlocalised.findings if f.status == "fail"]
    assert before.suggestion == "支出合计（第3行） = 382.58 万元"     # (not localised: the rule's balance)
    f = _failure(record, "SUM")
    assert f.suggestion == "未能推断哪个数字有误：可能的组合过多，搜索达到上限"
    assert f.suggestion_text("en") == "cannot tell which figure is wrong: too many candidate figures: the search reached its limit"
    assert f.to_dict()["suggestion"] == f.suggestion
    assert json.loads(json.dumps(f.to_dict(), ensure_ascii=False))["suggestion"] == f.suggestion
    assert pickle.loads(pickle.dumps(f)).suggestion == f.suggestion


def test_a_neighbouring_table_cell_is_named_by_its_table_column_and_row_not_its_path():
    rules = compile_rules('''
unit 万元
precision 万元 0.01
field spend.rows "支出表": table(code: text, total "合计": amount, basic "基本支出": amount, project "项目支出": amount)
rule ROW "合计等于基本支出加项目支出": for each r in spend.rows: r.total = r.basic + r.project
''')
    line = lambda n: {"line": n}   # noqa: E731
    report = rules.evaluate({"spend": {"rows": [
        {"code": "220", "total": {"value": "700.00", "source": line(56)}, "basic": {"value": "681.00", "source": line(56)},
         "project": {"value": "19.00", "source": line(56)}},
        {"code": "22001", "total": {"value": "691.00", "source": line(57)}, "basic": {"value": "681.00", "source": line(57)},
         "project": {"value": "0", "source": line(57)}}]}})
    [group] = report.localise()
    first = group.explanations[0].changes[0]
    assert (first.path, first.slip.kind) == ("spend.rows[22001].total", "neighbour_value")
    assert first.slip_text("zh") == "与相邻数字相同：支出表·基本支出 [220]（第56行） 681.00"


def test_a_long_amount_is_localised_and_said_to_the_last_digit():
    # Review 22 A6: the search ran in the caller's decimal context (28 digits by default): a
    # 30-digit amount -- absurd but legal -- stopped it (quantize: InvalidOperation), and a
    # change said in its printed unit was rounded.
    from decimal import Decimal
    from fiscalrules.localise import Change
    failure = _failure({"spend": {"total": "1234567890123456789012345683.91",
                                  "a": "1234567890123456789012345678.90", "b": "6.01"}}, "SUM")
    assert {(c.path, c.suggested) for e in failure.likely_wrong for c in e.changes} == {
        ("spend.a", Decimal("1234567890123456789012345677.90")), ("spend.b", Decimal("5.01"))}
    assert "1234567890123456789012345678.90 → 1234567890123456789012345677.90 万元" in failure.suggestion
    change = Change("spend.total", "change", "支出合计", None, "亿元", Decimal("1234567890123456789012.34567890"),
                    Decimal("1234567890123456789012.34567891"), printed_unit="万元")
    assert change.text() == "支出合计的增减额：12345678901234567890123456.7890 → 12345678901234567890123456.7891 万元"


# Five totals each repeated beside a different figure, plus one sum whose every figure another
# rule pins: no three changes fix them all, so the group is explained only in part, each
# explanation fixing some of its failures (JX 000's changes: the first explanation, flipping one
# stated change, fixed APR-002 and APR-004 and was said under EXP-004 and APR-013 too).
PARTIAL = compile_rules('''
unit 万元
precision 万元 0.01
field spend.total "支出合计": amount
field spend.z "支出总计": amount
field spend.a "甲类支出": amount
field spend.b "乙类支出": amount
field spend.c "丙类支出": amount
field spend.d "丁类支出": amount
field spend.e "戊类支出": amount
field spend.f "基本支出": amount
field spend.g "项目支出": amount
field spend.h "基本支出（表）": amount
field spend.k "项目支出（表）": amount
rule A "合计等于甲": spend.total = spend.a
rule B "合计等于乙": spend.total = spend.b
rule C "合计等于丙": spend.total = spend.c
rule D "合计等于丁": spend.total = spend.d
rule E "合计等于戊": spend.total = spend.e
rule Z "合计等于总计": spend.total = spend.z
rule G "合计等于基本加项目": spend.total = spend.f + spend.g
rule H1 "基本支出与表一致": spend.f = spend.h
rule H2 "项目支出与表一致": spend.g = spend.k
''')


def _partial_record() -> dict:
    values = {"total": "10.00", "z": "10.00", "a": "9.00", "b": "8.00", "c": "7.00", "d": "6.00", "e": "5.00",
              "f": "3.00", "g": "4.00", "h": "3.00", "k": "4.00"}
    return {"spend": {key: {"value": value, "source": {"line": line}}
                      for line, (key, value) in enumerate(values.items(), start=1)}}


def test_of_partial_explanations_a_failure_is_told_only_those_that_make_it_hold():
    from fiscalrules.localise import patched
    from fiscalrules.records import load_record
    report = PARTIAL.evaluate(_partial_record())
    [group] = report.localise()
    assert set(group.failures) == {"A", "B", "C", "D", "E", "G"}
    assert group.reason == "beyond_search" and all(e.fixes for e in group.explanations)
    failures = {f.rule: f for f in report.findings if f.status == "fail"}
    assert failures["E"].suggestion == "戊类支出（第7行）：5.00 → 10.00 万元"
    assert failures["B"].suggestion == "乙类支出（第4行）：8.00 → 10.00 万元"
    # each explanation said under a failure makes that failure's rule hold
    for rule, failure in failures.items():
        for explanation in failure.likely_wrong:
            record = patched(load_record(_partial_record()),
                             {(c.path, c.meta): c.suggested for c in explanation.changes})
            [after] = PARTIAL.subset([rule]).evaluate(record).findings
            assert after.status == "pass", (rule, explanation.text())
    # no single figure fixes G (each of its figures is pinned by a rule that holds): it says why
    assert failures["G"].likely_wrong == ()
    assert failures["G"].suggestion == "未能推断哪个数字有误：需要同时改动 3 个以上数字才能使全部规则成立"
    assert failures["G"].to_dict()["suggestion"] == failures["G"].suggestion


def test_explanations_completed_from_different_starts_are_listed_once():
    # Four totals each beside another figure: the partial explanations (甲 → 10, 乙 → 10, …) each
    # completed by the smallest correction of the rest end in the same four changes.
    report = PARTIAL.subset(["A", "B", "C", "D"]).evaluate(_partial_record())
    [group] = report.localise()
    sets = [frozenset((c.path, c.suggested) for c in e.changes) for e in group.explanations]
    assert len(sets) == len(set(sets)) >= 2
