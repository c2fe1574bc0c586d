"""The fused closures (fiscalrules.fused) decide what the general path decides: every finding --
status, sides, difference, tolerance, operands, suggestion, messages -- is the same with them
and without them, over rules of every construct they compile and records that hold exactly,
within rounding, fail, or lack figures, carry texts where numbers belong and divide by zero."""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalrules
from test_fastpath import _seen, _without_fast_path

RULES = """
unit 万元
precision 万元 0.01
field doc.level "层级": text
field total "总额": amount
field basic "基本": amount
field project "项目": amount
field parts.* : amount
field staff.active "在职": count 人
field staff.authorized "编制": count 人
field t "功能分类": table(code: text, name: text, total: amount, basic: amount, project: amount)
rule S01 "总额": total = basic + project
rule S02 "各项": total = sum(parts.*)
rule S03 "变动": change(total) = change(basic) + change(project)
rule S04 "增长率": pct(total) = change(total) / prior(total) * 100
rule S05 "类级": total = sum(r.total for r in t where level(r) = 1)
rule S06 "上下级" {
    assert for each r in t where count(children(r)) > 0: r.total = sum(children(r).total)
}
rule S07 "各行" {
    assert for each r in t: r.total = r.basic + r.project
}
rule S08 "查找": t["201"].basic <= basic - 0.5 万元 + t["201"].project
rule S09 "层级": doc.level in {"省级", "市级"}
rule S10 "人数": staff.active <= staff.authorized * 2
rule S11 "蕴含": if change(total) > 0 then pct(total) > 0
rule S12 "最小": min(parts.*) >= 0 and not (total < basic) or basic = project
rule S13 "各项变动": sum(change(parts.*)) = change(total)
rule S14 "差额": -(basic - total) = abs(project)
rule S15 "边界": total = basic
rule S16 "边界不等": project <= total - 0.01 万元
field doc.has_amounts "有金额": flag
rule P01 "前提" {
    when present(total) and present(change(basic))
    assert total = basic + project
}
rule P02 "前提表" {
    when present(t) and not present(doc.missing_text)
    assert for each r in t: r.total = r.basic + r.project
}
rule P03 "前提各项" {
    when present(parts.*) or present(doc.missing_text)
    assert total = sum(parts.*)
}
rule P04 "前提标志" {
    when coalesce(doc.has_amounts, true) and doc.level = "省级"
    assert total = basic + project
}
rule P05 "前提标志本身" {
    when doc.has_amounts
    assert total >= basic
}
field doc.missing_text: text
field bonus "奖励": amount
rule S17 "替代": coalesce(bonus, basic) + project = total and coalesce(total, bonus) >= 0
rule P06 "前提各行" {
    assert for each r in t: if present(r.project) and not present(change(r.total)) then r.total = r.basic + r.project
}
rule P07 "前提查找" {
    when present(t["201"]) and not present(t["999"]) and present(pct(total))
    assert for each r in t where present(r.name) and not present(pct(r.basic)): r.total >= r.basic
}
rule P08 "前提计数" {
    when count(parts.*) > 1 and count(r for r in t where level(r) = 1) = 2
    assert total = sum(parts.*)
}
rule P09 "前提计数筛选" {
    when count(r for r in t where r.basic > 0 and present(r.project)) >= count(r for r in t)
    assert for each r in t: r.total = r.basic + r.project
}
field u "对照": table(code: text, name: text, total: amount, basic: amount default 0, project: amount default 0)
rule L01 "查找本行": for each r in t where present(u[r.code]): r.total = u[r.code].total
rule L02 "缺省格": for each r in u: r.total = r.basic + r.project
rule L03 "查找缺省" {
    assert for each r in t where level(r) = 1 and present(u[r.code]): r.basic <= u[r.code].basic + u[r.code].project
}
rule L04 "文字格": for each r in t where r.name != "科目201" and r.name in {"科目208", "科目20805"}: r.total >= 0
rule L05 "各行变动" {
    when count(r for r in t where present(change(r.total))) = count(t)
    assert sum(change(t.total)) = change(total) * 2
}
"""

FUNCTION_TREE = {"201": ["20101", "20103"], "208": ["20805", "20808"]}


def _amount(rng, places=2):
    return Decimal(rng.randint(0, 10 ** 6)) / 10 ** places


def _record(rng: random.Random, damage: int) -> dict:
    rows, basic, project = [], Decimal(0), Decimal(0)
    for cls, items in FUNCTION_TREE.items():
        parts = [(code, _amount(rng, 4), _amount(rng, 4)) for code in items]
        cb, cp = sum(p[1] for p in parts), sum(p[2] for p in parts)
        rows.append((cls, cb, cp))
        rows.extend(parts)
        basic, project = basic + cb, project + cp
    q = lambda x: str(x.quantize(Decimal("0.01")))   # noqa: E731 - printed to the cent: rounding
    total = basic + project
    change_b, change_p = _amount(rng, 4) - 50, _amount(rng, 4) - 50
    change = change_b + change_p
    prior = total - change
    record = {
        "doc": {"level": rng.choice(["省级", "市级", "县级"]),
                **({} if rng.random() < 0.3 else {"has_amounts": rng.random() < 0.5})},
        "total": {"value": q(total), "change": q(change), "pct": q(change / prior * 100)},
        "basic": {"value": q(basic), "change": q(change_b)},
        "project": {"value": q(project), "change": q(change_p)},
        "parts": {"a": {"value": q(basic), "change": q(change_b)}, "b": {"value": q(project), "change": q(change_p)}},
        "staff": {"active": str(rng.randint(0, 50)), "authorized": str(rng.randint(0, 30))},
        **({"bonus": q(basic + rng.choice([0, 0, Decimal("0.01"), 3]))} if rng.random() < 0.6 else {}),
        "t": [{"code": c, "name": f"科目{c}", "total": q(b + p), "basic": q(b), "project": q(p)} for c, b, p in rows],
    }
    # u: the classes again, a cell left blank now and then (its column's default 0: the other part
    # then holds the whole total), and a class's total off by a cent or by 1 now and then
    u_rows = []
    for c, b, p in rows[::3]:
        blank = rng.choice(["", "basic", "project"])
        row = {"code": c, "name": f"科目{c}", "total": q(b + p)}
        if blank != "basic":
            row["basic"] = q(b if blank == "" else b + p)
        if blank != "project":
            row["project"] = q(p if blank == "" else b + p)
        u_rows.append(row)
    if rng.random() < 0.3:
        u_rows[-1]["total"] = str(Decimal(u_rows[-1]["total"]) + Decimal(rng.choice(["0.01", "1"])))
    record["u"] = u_rows
    if damage == 0:   # every row of t with its change on last year: a third of the total's each
        third = q(change / 3)
        record["t"] = [dict(r, total={"value": r["total"], "change": third}) for r in record["t"]]
    if damage == 1:
        record["t"][1]["total"] = str(Decimal(record["t"][1]["total"]) + 10)
    elif damage == 2:
        del record["basic"]
    elif damage == 3:
        record["t"][2]["basic"] = "不详"
    elif damage == 4:
        record["total"]["change"] = record["total"]["value"]   # prior 0: a division by zero
    elif damage == 5:
        record["parts"] = {}
        record["doc"]["level"] = "12"
    elif damage == 6:
        record["t"][0]["project"] = {"value": record["t"][0]["project"], "unit": "元"}
    elif damage == 7:   # a cell not printed, a cell with its change on last year, a row not printed
        del record["t"][3]["project"]
        record["t"][1]["total"] = {"value": record["t"][1]["total"], "change": "1.00"}
        del record["t"][0]
    return record


def test_every_rule_here_is_fused_and_decides_as_the_general_path():
    rng = random.Random(2025)
    records = [_record(rng, i % 8) for i in range(48)]
    fused = fiscalrules.compile_rules(RULES)
    general = _without_fast_path(fiscalrules.compile_rules(RULES))
    report = fused.evaluate_many(records)   # evaluated once, read by each check below
    assert _seen(report) == _seen(general.evaluate_many(records))
    assert [rule.id for rule in fused.rules if rule.fused is None or rule.fused.body is None] == []
    statuses = {f.status for f in report.findings}
    assert {"pass", "pass_rounding", "fail", "not_evaluable", "error", "not_applicable"} <= statuses
    preconditions = {(f.rule, f.status) for f in report.findings if f.rule.startswith("P")}
    assert {("P01", "not_applicable"), ("P03", "not_applicable"), ("P04", "not_applicable"), ("P04", "pass"),
            ("P05", "not_applicable"), ("P05", "not_evaluable"), ("P05", "pass"), ("P06", "pass"),
            ("P06", "error"), ("P07", "pass"), ("P07", "not_applicable"),
            # count() of a wildcard and of the rows a filter keeps: a figure missing, a text where
            # the filter reads a number (the general path's error), too few rows kept
            ("P08", "pass"), ("P08", "not_evaluable"), ("P08", "not_applicable"),
            ("P09", "pass"), ("P09", "error"), ("P09", "not_applicable")} <= preconditions
    # a row looked up by the bound row's code, cells left blank (their default), text cells, each
    # row's stated change
    assert {("L01", "pass"), ("L01", "pass_rounding"), ("L01", "fail"), ("L02", "pass"), ("L02", "fail"),
            ("L03", "pass"), ("L04", "pass"), ("L05", "not_applicable")} <= \
        {(f.rule, f.status) for f in report.findings if f.rule.startswith("L")}
    assert {f.status for f in report.findings if f.rule == "L05"} & {"pass", "pass_rounding", "fail"}
    assert {"pass", "fail", "not_evaluable"} <= {f.status for f in report.findings if f.rule == "S17"}


@pytest.mark.parametrize("rule, fused", [
    ('rule R "前提" {\n when total > 0\n assert total = basic\n}', True),    # a precondition: fused too
    ("rule R: total = basic within 0.1 万元", False),          # an allowance depends on dimensions
    ("rule R: round(total, 2) = basic", False),               # a function not compiled here
    ("rule R: total = basic", True),
])
def test_what_is_left_to_the_general_path(rule, fused):
    rules = fiscalrules.compile_rules("unit 万元\nfield total: amount\nfield basic: amount\n" + rule)
    finding = rules.evaluate({"total": "1.00", "basic": "1.01"}).findings[0]
    assert (rules.rules[0].fused is not None) == fused
    assert finding.status == "pass_rounding"
    assert finding.difference == Decimal("-0.01")


_VALUES = st.builds(lambda whole, cents: (Decimal(whole) + Decimal(cents) / 100).quantize(Decimal("0.01")),
                    st.integers(-50, 500), st.integers(0, 99))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: _VALUES for name in ("total", "basic", "project", "ct", "cb", "cp")}),
       st.sampled_from(["0.01", "0.1", "1"]), st.integers(0, 2), st.sampled_from(["0", "0.01", "-0.01", "0.02", None]))
def test_rates_and_products_decide_as_the_general_path(values, precision, places, shift):
    """...and on the edge of rounding: two figures a cent apart (the whole allowance of two
    figures printed to the cent)."""
    if shift is not None:
        values["basic"] = values["total"] + Decimal(shift)
        values["project"] = values["total"] + Decimal(shift)
    record = {"total": {"value": str(values["total"]), "change": str(values["ct"]),
                        "pct": str(round(values["cb"], places))},
              "basic": {"value": str(values["basic"]), "change": str(values["cb"])},
              "project": {"value": str(values["project"]), "change": str(values["cp"])},
              "parts": {"a": str(values["basic"]), "b": str(values["project"])},
              "staff": {"active": "3", "authorized": "2"}, "doc": {"level": "省级"}}
    fused, general = _compiled_with_precision(precision)
    assert _seen(fused.evaluate(record)) == _seen(general.evaluate(record))


_WITH_PRECISION: dict = {}


def _compiled_with_precision(precision: str) -> tuple:
    """RULES at *precision*, compiled with its fused closures and without: once per precision
    and test process (compiling them was most of each example's cost). The examples then share
    state: a rule's closures are built on its first use, so the first example at a precision
    builds them and the others run on built ones -- the first-use path is covered by
    test_lazy_closures, the comparison of the two paths here."""
    if precision not in _WITH_PRECISION:
        rules = RULES.replace("precision 万元 0.01", f"precision 万元 {precision}")
        _WITH_PRECISION[precision] = (fiscalrules.compile_rules(rules),
                                      _without_fast_path(fiscalrules.compile_rules(rules)))
    return _WITH_PRECISION[precision]


def test_a_decided_pass_forgets_its_details_and_works_them_out_again():
    rules = fiscalrules.compile_rules(RULES)
    rng = random.Random(7)
    finding = next(f for f in rules.evaluate(_record(rng, 0)).findings if f.rule == "S07" and f.status == "pass")
    first = (finding.left, finding.right, finding.operands, finding.message)
    assert finding.operands and finding.item
    finding.forget_details()
    assert finding._more.details is None and finding._more.made is None
    assert (finding.left, finding.right, finding.operands, finding.message) == first


def test_a_lookup_by_a_code_column_the_table_does_not_declare_decides_as_the_general_path():
    """``t[r.code]`` where r's table does not declare its code column: a code of digits is then
    read as an amount (in the ruleset's unit), and the key the general path makes of it is that
    amount -- the fused path leaves such a row to it rather than take the digits."""
    rules = ("unit 万元\nfield t: table(code: text, total: amount)\nfield u: table(total: amount)\n"
             "rule L: for each r in u where present(t[r.code]): r.total = t[r.code].total\n")
    record = {"t": [{"code": "301", "total": "5"}], "u": [{"code": "301", "total": "5"}, {"code": "甲", "total": "1"}]}
    fused = fiscalrules.compile_rules(rules)
    general = _without_fast_path(fiscalrules.compile_rules(rules))
    assert _seen(fused.evaluate(record)) == _seen(general.evaluate(record))
