"""An item printed in a group that the reader could not name (``_meta.unread`` entries with a ``group``).

A reader that meets an amount of a list under a name no field takes ("单位资金收入 80.00 万元" in the
income list) lists it unread with the group it belongs to.  A wildcard over that group then stands
for figures the record does not hold all of: a rule reading ``group.*`` is not evaluable, naming
the item, where it would fail by the unread amount -- in every engine (the general path, the
fused closures of a batch, the columnar engine, which reads such a record per record), and the
localiser does not use the incomplete sum.  Figures of the group named one by one are read as ever.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalrules
from fiscalrules import RecordError, compile_rules, load_record
from fiscalrules.printer import to_source
from fiscalrules.testing import generate_record

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RULES = """
unit 万元
field income.total "收入预算总额": amount
field income.sources.* "各项收入": amount
field income.sources.appropriation "财政拨款收入": amount
rule SUM "the sources add up to the total" {
    assert income.total = sum(income.sources.*)
}
rule CHG "their changes add up too" {
    assert change(income.total) = sum(change(income.sources.*))
}
rule HAS "the sources are there (printed, not read: not absent)" {
    assert present(income.sources.*)
}
rule FALLBACK "coalesce does not take an unread group for an absent one" {
    assert income.total >= coalesce(sum(income.sources.*), 0)
}
rule WHEN "a condition over the group" {
    when present(income.sources.*)
    assert income.total > 0
}
rule MAX "no source beyond the total" {
    assert max(income.sources.*) <= income.total
}
rule EACH "no source negative" {
    assert for each s in income.sources.*: s >= 0
}
rule ONE "a named source is read as ever" {
    assert income.sources.appropriation <= income.total
}
"""

UNREAD = {"section": "(一)收入预算情况", "lines": [186, 188], "reason": "amount 80.00万元 (单位资金收入) not mapped",
          "group": "income.sources", "item": "单位资金收入 80.00万元"}


def _record(unread=(UNREAD,), rid="r1"):
    return {"_meta": {"id": rid, "unread": list(unread)},
            "income": {"total": {"value": "1286.40", "change": "86.40"},
                       "sources": {"appropriation": {"value": "1150.00", "change": "50.00"},
                                   "other": {"value": "16.40", "change": "-3.60"},
                                   "carryover": {"value": "40.00", "change": "30.00"}}}}


def _statuses(report):
    return {f.rule: f.status for f in report.findings}


def test_a_group_with_an_item_not_read_is_not_summed():
    report = compile_rules(RULES).evaluate(_record())
    assert _statuses(report) == {"SUM": "not_evaluable", "CHG": "not_evaluable", "HAS": "not_evaluable",
                                  "MAX": "not_evaluable", "EACH": "not_evaluable", "ONE": "pass",
                                  "FALLBACK": "not_evaluable", "WHEN": "not_evaluable"}
    summed = next(f for f in report.findings if f.rule == "SUM")
    assert summed.missing == ("income.sources.* (printed, not read: 单位资金收入 80.00万元, lines 186-188)",)
    assert "缺少 各项收入（另刊印有单位资金收入 80.00万元，第186–188行，未能读取）" in summed.message
    assert "income.sources.* (printed, not read: 单位资金收入 80.00万元, lines 186-188)" in summed.message_en


def test_without_the_group_the_same_record_fails_by_the_unread_amount():
    # (the entry without a group: listed unread, as before, and the sum is checked over what was read)
    plain = {key: value for key, value in UNREAD.items() if key not in ("group", "item")}
    assert _statuses(compile_rules(RULES).evaluate(_record([plain])))["SUM"] == "fail"
    # ... and an entry naming another group leaves this one whole
    other = dict(UNREAD, group="expenditure.classes")
    assert _statuses(compile_rules(RULES).evaluate(_record([other])))["SUM"] == "fail"


def test_every_engine_agrees():
    pytest.importorskip("pyarrow")
    from fiscalrules.columnar import flatten_records
    rules = compile_rules(RULES)
    plain = {key: value for key, value in UNREAD.items() if key not in ("group", "item")}
    records = [_record(rid="r1"), _record([plain], rid="r2"), _record((), rid="r3")]
    one_by_one = [_statuses(rules.evaluate(record)) for record in records]
    many = rules.evaluate_many(records)
    batch = [{f.rule: f.status for f in many.findings if f.record == rid} for rid in ("r1", "r2", "r3")]
    assert batch == one_by_one
    flat = flatten_records(records, rules)
    assert list(flat.irregular) == [True, False, False]   # (the frames cannot say the group is incomplete)
    table = rules.evaluate_table(flat)
    codes = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
    columnar = [{rule.id: codes[table.statuses(rule.id)[row]] for rule in rules.rules} for row in range(3)]
    assert columnar == one_by_one


def test_the_localiser_does_not_use_the_incomplete_sum():
    """TOT fails (the total restated as 1,206.40).  Summed over what was read, the sources give
    1,206.40 too, so a localiser using SUM's equation would only say "the total is wrong"; with an
    item of the sources unread, SUM says nothing, and the restatement may as well be the wrong one."""
    rules = compile_rules(RULES + 'field income.check "核对数": amount\n'
                          'rule TOT "the total restated" {\n    assert income.total = income.check\n}\n')

    def told(unread):
        record = _record(unread)
        record["income"]["check"] = "1206.40"
        report = rules.evaluate(record)
        assert _statuses(report)["TOT"] == "fail"
        return {(change.path, change.suggested) for loc in report.localise() for explanation in loc.explanations
                for change in explanation.changes}

    plain = {key: value for key, value in UNREAD.items() if key not in ("group", "item")}
    assert ("income.check", Decimal("1286.40")) not in told([plain])
    assert {("income.check", Decimal("1286.40")), ("income.total", Decimal("1206.40"))} <= told([UNREAD])


@pytest.mark.parametrize("entry, where", [({"group": 3}, "_meta.unread[1].group"),
                                          ({"group": "income.sources", "item": ["x"]}, "_meta.unread[1].item")])
def test_a_group_or_item_that_is_not_text_is_refused(entry, where):
    with pytest.raises(RecordError) as raised:
        load_record({"_meta": {"unread": [dict({"section": "s", "lines": [1, 1], "reason": "r"}, **entry)]}})
    assert where in str(raised.value)


def test_the_budget_ruleset_names_the_group_in_chinese():
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(_record())
    summed = next(f for f in report.findings if f.rule == "INC-001")
    assert summed.status == "not_evaluable"
    assert "各项收入（另刊印有单位资金收入 80.00万元，第186–188行，未能读取）" in summed.message


def _wildcard_rules(ruleset) -> set:
    """The rules of *ruleset* reading ``income.sources.*`` (by their text)."""
    return {rule.id for rule in ruleset.rules if "income.sources.*" in to_source(rule.rule)}


@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2 ** 32), rounded=st.booleans())
def test_an_unread_item_never_fails_a_rule_over_its_group(seed, rounded):
    """For generated budget records (consistent or not), an item of income.sources listed unread
    turns every rule reading income.sources.* that was evaluated into not evaluable -- never a
    failure, never a pass; one that did not apply may now be not evaluable (its condition reads the
    group) -- and leaves every other rule's status as it was."""
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    record = generate_record(ruleset, rnd=random.Random(seed), rounded=rounded)
    before = _statuses(ruleset.evaluate(record))
    record.setdefault("_meta", {})["unread"] = [UNREAD]
    after = _statuses(ruleset.evaluate(record))
    reading = _wildcard_rules(ruleset)
    assert reading >= {"INC-001", "INC-002"}
    for rule, status in after.items():
        if rule not in reading:
            assert status == before[rule], rule
        elif before[rule] != "not_applicable":
            assert status == "not_evaluable", (rule, before[rule], status)
        else:
            assert status in ("not_evaluable", "not_applicable"), (rule, before[rule], status)
