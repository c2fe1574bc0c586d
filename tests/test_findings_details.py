"""Details and messages of findings worked out on demand, and the shortcuts taken to make them:
the same text as the long way, whatever order they are read in.

* figures converted and operands made once per record, shared by its findings' replays
  (replay._Shared), and let go with the record;
* the messages of findings that compared nothing, kept per rule, status, reason and row;
* ``plain`` and ``format_amount`` written out for the common Decimal, ``Report.summary``
  counted in one pass.
"""

from __future__ import annotations

import gc
import json
import random
from collections import Counter
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalrules
from fiscalrules import replay
from fiscalrules.finding_parts import plain
from fiscalrules.findings import STATUSES
from fiscalrules.messages import _format_amount, format_amount
from fiscalrules.values import CONTEXT

RULES = """
unit 万元
field total "合计": amount
field a "甲": amount
field b "乙": amount
field rows "明细表": table(code "编码": text, amount "金额": amount, part "其中": amount)
rule T1 "合计等于甲乙之和" "total is a + b" {
    message "合计 {left}，甲乙之和 {right}，差额 {diff}（允许 {tolerance}）" "total {left}; a + b {right}; difference {diff}"
    assert total = a + b
}
rule T2 "合计不小于甲" "total is at least a": total >= a
rule T3 "合计等于乙" "total is b" {
    when b > 100
    assert total = b
}
rule R1 "每行其中不大于金额" "part of a row at most its amount" {
    assert for each r in rows: r.part <= r.amount
}
rule R2 "每行金额不大于合计" "a row at most the total" {
    assert for each r in rows: r.amount <= total
}
"""

RECORD = {"total": {"value": "30.00", "source": {"document": "d.txt", "line": 3}}, "a": "10.00", "b": "20.00",
          "rows": [{"code": "201", "amount": "12.5", "part": "2"}, {"code": "202", "amount": "31", "part": "40"},
                   {"code": "203", "amount": "1.25", "part": "0.5"}]}


@pytest.fixture(scope="module")
def ruleset():
    return fiscalrules.compile_rules(RULES)


def _dicts(report, order):
    findings = list(report.findings)
    order(findings)
    for f in findings:   # details and messages worked out in this order
        f.to_dict()
    return [f.to_dict() for f in report.findings]


def test_details_do_not_depend_on_the_order_they_are_read_in(ruleset):
    forward = _dicts(ruleset.evaluate(RECORD), lambda fs: None)
    backward = _dicts(ruleset.evaluate(RECORD), lambda fs: fs.reverse())
    shuffled = _dicts(ruleset.evaluate(RECORD), random.Random(3).shuffle)
    assert forward == backward == shuffled
    by_rule = {(d["rule"], d["item"]): d for d in forward}
    assert {d["status"] for d in forward} >= {"pass", "fail", "not_applicable"}
    # what they say: both sides, difference and allowance in 万元, every figure with its source
    t1 = by_rule[("T1", None)]
    assert (t1["left"]["value"], t1["right"]["value"], t1["difference"]) == ("30.00", "30.00", "0.00")
    assert t1["message"] == "合计 30.00 万元，甲乙之和 30.00 万元，差额 0.00 万元（允许 0.015 万元）"
    assert [o["path"] for o in t1["operands"]] == ["total", "a", "b"]
    assert t1["operands"][0]["source"] == {"document": "d.txt", "line": 3}
    assert by_rule[("R1", "202")]["status"] == "fail"
    assert by_rule[("T3", None)]["message"].startswith("合计等于乙：不适用")
    assert by_rule[("T3", None)]["message_en"].startswith("total is b: not applicable")


def test_findings_of_a_record_share_their_operands_and_the_share_goes_with_the_record(ruleset):
    record = fiscalrules.load_record(RECORD)
    report = ruleset.evaluate(record)
    t1, t2 = (next(f for f in report.findings if f.rule == rule) for rule in ("T1", "T2"))
    assert t1.operands[0] is t2.operands[0]   # the same figure, made once
    assert t1.operands[0] == replay._operands([(record.figures["total"], ruleset.checked.fields["total"])],
                                                 ruleset.settings)[0]
    key = id(record)
    assert key in replay._SHARED
    del record, report, t1, t2
    gc.collect()
    assert key not in replay._SHARED


def test_a_figure_changed_between_two_evaluations_shows_in_the_second_reports_details():
    # review A2: the replays of a record's findings shared their converted figures for as long as
    # the record lived, so after a figure changed, the next evaluation's passes showed the old value
    from fiscalrules.nodebase import evolve
    rules = fiscalrules.compile_rules(
        'ruleset demo "x"\nunit 万元\nfield income.total "收入预算总额": amount\n'
        'field income.sources.* : amount\n'
        'rule INC-1 "t": 收入预算总额 = sum(income.sources.*)\nrule INC-0 "u": income.total >= 0\n')
    record = fiscalrules.load_record({"income": {"total": "10", "sources": {"a": "4", "b": "6"}}})
    first = rules.evaluate(record)
    assert {f.rule: (f.status, f.left.value) for f in first.findings} == \
        {"INC-0": ("pass", Decimal("10")), "INC-1": ("pass", Decimal("10"))}
    record.figures["income.total"] = evolve(record.figures["income.total"], value=Decimal("11"))
    second = rules.evaluate(record)
    assert {f.rule: (f.status, f.left.value) for f in second.findings} == \
        {"INC-0": ("pass", Decimal("11")), "INC-1": ("fail", Decimal("11"))}
    assert [o.value for f in second.findings for o in f.operands if o.path == "income.total"] == [Decimal("11")] * 2
    # the first report's details, already worked out, stay what they were
    assert {f.rule: f.left.value for f in first.findings} == {"INC-0": Decimal("10"), "INC-1": Decimal("10")}


def test_a_record_that_cannot_be_referred_to_weakly_is_not_shared():
    class Plain:   # (no __weakref__)
        __slots__ = ()
    assert replay._shared(Plain(), object()) is not replay._shared(Plain(), object())


def test_messages_of_findings_that_compared_nothing_are_their_rules_own():
    """Kept by rule identity: two rules of the same id and another title say their own title."""
    one = fiscalrules.compile_rules('field x "x": amount\nrule A "第一" {\n when x > 5\n assert x = 1\n}\n')
    two = fiscalrules.compile_rules('field x "x": amount\nrule A "第二" {\n when x > 5\n assert x = 1\n}\n')
    for _ in range(2):
        assert one.evaluate({"x": "1"}).findings[0].message.startswith("第一：不适用")
        assert two.evaluate({"x": "1"}).findings[0].message.startswith("第二：不适用")
        assert two.evaluate({"x": "1"}).findings[0].message_en.startswith("第二: not applicable")


def test_summary_counts_as_the_findings_say(ruleset):
    report = ruleset.evaluate_many([RECORD, dict(RECORD, a="11.00"), {"total": "1"}])
    summary = report.summary()
    for rule in {f.rule for f in report.findings}:
        counts = Counter(f.status for f in report.findings if f.rule == rule)
        assert summary["rules"][rule] == {"items": sum(counts.values()), **{s: counts[s] for s in STATUSES}}
    assert list(summary["rules"]) == sorted(summary["rules"])
    for info in report.records:
        counts = Counter(f.status for f in report.findings if f.record == info.id)
        assert summary["records"][info.id]["items"] == sum(counts.values())
        assert summary["records"][info.id]["fail"] == counts["fail"]
    assert summary["total"]["items"] == len(report.findings)


DECIMALS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(lambda digits, exponent: Decimal(digits).scaleb(exponent),
              st.integers(-10 ** 12, 10 ** 12), st.integers(-12, 6)),
    st.sampled_from([Decimal(t) for t in ("0", "-0", "0.00", "-0.000", "1E+2", "-1.5E+3", "0.00005", "-0.00005",
                                          "99999.99995", "1E+30", "NaN", "Infinity", "-Infinity", "100.10")]))


def _outcome(function, *args):
    try:
        return function(*args)
    except Exception as exc:   # noqa: BLE001 - the same error either way
        return type(exc)


@settings(max_examples=400, deadline=None)
@given(DECIMALS, st.sampled_from([0, 2]), st.booleans())
def test_format_amount_says_what_it_said(value, min_decimals, library):
    with localcontext(CONTEXT if library else None):
        assert _outcome(format_amount, value, min_decimals) == _outcome(_format_amount, value, min_decimals)


@settings(max_examples=400, deadline=None)
@given(DECIMALS)
def test_plain_is_positional_notation(value):
    assert plain(value) == format(value, "f")
    assert json.loads(json.dumps(plain(Decimal("1E+2")))) == "100"

