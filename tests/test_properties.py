"""Properties (hypothesis): (a) printing an AST and parsing it back gives the same AST; (b)
arbitrary text and bytes raise only the library's errors; (c) consistent amounts rounded as a
publisher would never fail an equality, while a total moved beyond the tolerance always does;
(d) findings do not depend on rule or declaration order; (e) no float creeps in."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal as D

from hypothesis import HealthCheck, assume, given, settings, strategies as st

import fiscalrules
from fiscalrules import FiscalRulesError, ast, compile_rules, parse
from fiscalrules.printer import to_source

import strategies

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---- (a) round trip -------------------------------------------------------------------------------------

@FAST
@given(strategies.expressions())
def test_expression_round_trip(expr):
    text = to_source(expr)
    assert fiscalrules.parse_expression(text) == expr, text


@FAST
@given(strategies.rules())
def test_rule_round_trip(rule):
    tree = ast.RuleFile((rule,))
    text = to_source(tree)
    assert parse(text) == tree, text


@FEWER
@given(strategies.rule_files())
def test_rule_file_round_trip(tree):
    text = to_source(tree)
    again = parse(text)
    assert again == tree, text
    assert to_source(again) == text


# ---- (b) only the library's errors -----------------------------------------------------------------------

TOKENS = ["rule", "R", "S", ":", "{", "}", "(", ")", "（", "）", "[", "]", "assert", "when", "within", "field",
          "a", "b", "t", "income.total", "收入", ".", "*", "+", "-", "/", "=", "≠", "<=", "and", "or", "not",
          "if", "then", "for", "each", "in", "where", "sum", "count", "children", "level", "change", "pct",
          "1", "0", "2.5", "万元", "人", "%", '"x"', "`a b`", "amount", "count", "table", "text", "flag", ",",
          "example", "pass", "fail", "message", '"{left} {nosuch}"', "severity", "warning", "bad", "include",
          '"x.rules"', "unit", "precision", "ruleset", "true", "null", "\n", "#", "default", "-1"]

PRELUDE = "field a: amount\nfield b: amount\nfield t: table(code: text, total: amount)\nfield income.total: amount\n"


def _try(text):
    try:
        rules = compile_rules(text)
    except FiscalRulesError:
        return
    # a ruleset that compiles evaluates any record without raising
    for record in ({}, {"a": "1", "b": "2", "t": [{"code": "1", "total": "1"}], "income": {"total": "x"}}):
        for finding in rules.evaluate(record).findings:
            assert finding.message is not None


@FAST
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_library_errors(text):
    try:
        parse(text)
    except FiscalRulesError:
        pass
    _try(text)


@FAST
@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_library_errors(data):
    try:
        parse(data)
    except FiscalRulesError:
        pass


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_rule_like_text_raises_only_library_errors(text):
    try:
        parse(text)
    except FiscalRulesError:
        pass
    _try(text)
    _try(PRELUDE + text)


@FEWER
@given(strategies.rule_files())
def test_generated_rule_files_check_without_crashing(tree):
    _try(PRELUDE + to_source(tree))


# ---- (c) rounding never fails consistent figures; real differences always do -----------------------------------

CENT = D("0.01")


def _publish(value: D) -> D:
    """How a publisher prints an amount: to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _parts_ruleset(n: int, unit: str, within: str = ""):
    fields = "".join(f"field p{i}: amount\n" for i in range(n))
    total = " + ".join(f"p{i}" for i in range(n))
    return compile_rules(f"unit {unit}\nprecision {unit} 0.01\nfield total: amount\n{fields}"
                         f"rule SUM: total = {total}{within}\nrule WILD: total = sum(parts.*)\n"
                         f"field parts.* : amount\n")


exact_parts = st.lists(st.decimals(min_value=D("-1000000"), max_value=D("100000000"), places=6,
                                   allow_nan=False, allow_infinity=False), min_size=2, max_size=6)


@FAST
@given(exact_parts, st.sampled_from(["万元", "元"]))
def test_rounded_consistent_amounts_never_fail(parts, unit):
    total = sum(parts, D(0))
    record = {"total": str(_publish(total)), "parts": {f"q{i}": str(_publish(p)) for i, p in enumerate(parts)}}
    record.update({f"p{i}": str(_publish(p)) for i, p in enumerate(parts)})
    rules = _parts_ruleset(len(parts), unit)
    for finding in rules.evaluate(record).findings:
        assert finding.status in ("pass", "pass_rounding"), finding.message
        if finding.status == "pass":
            assert finding.difference == 0


@FAST
@given(exact_parts, st.sampled_from(["万元", "元"]), st.integers(1, 10_000), st.booleans())
def test_moving_the_total_beyond_the_tolerance_always_fails(parts, unit, cents, up):
    published = [_publish(p) for p in parts]
    total = sum(published, D(0))
    rules = _parts_ruleset(len(parts), unit)
    record = {"total": str(total), **{f"p{i}": str(p) for i, p in enumerate(published)}}
    [finding] = [f for f in rules.evaluate(record).findings if f.rule == "SUM"]
    assert finding.status == "pass"
    allowed = finding.tolerance               # rounding allowance: half a cent per figure
    assert allowed == D("0.005") * (len(parts) + 1)
    step = (allowed + cents * CENT).quantize(CENT, rounding="ROUND_UP")
    assume(step > allowed)
    moved = total + step if up else total - step
    record["total"] = str(moved)
    [finding] = [f for f in rules.evaluate(record).findings if f.rule == "SUM"]
    assert finding.status == "fail", finding.message
    assert abs(finding.difference) == step


@FAST
@given(exact_parts, st.integers(0, 300), st.integers(0, 300))
def test_explicit_tolerance_is_added_to_rounding(parts, within_cents, move_cents):
    published = [_publish(p) for p in parts]
    total = sum(published, D(0))
    within = within_cents * CENT
    rules = _parts_ruleset(len(parts), "万元", f" within {within} 万元")
    rounding = D("0.005") * (len(parts) + 1)
    moved = total + move_cents * CENT
    record = {"total": str(moved), **{f"p{i}": str(p) for i, p in enumerate(published)}}
    [finding] = [f for f in rules.evaluate(record).findings if f.rule == "SUM"]
    assert finding.tolerance == rounding + within
    expected = "pass" if move_cents == 0 else "pass_rounding" if move_cents * CENT <= rounding + within else "fail"
    assert finding.status == expected


# ---- (d) order does not matter ---------------------------------------------------------------------------------

FIELDS = [
    'unit 万元',
    'field income.total "收入预算总额", "收入合计": amount',
    'field income.sources.* : amount',
    'field expense.total "支出预算总额": amount',
    'field expense.basic "基本支出": amount',
    'field staff.count "在职人数": count 人',
    'field doc.level "级次": text',
    'field tables.function "功能表": table(code: text, total: amount, basic: amount default 0)',
]
RULE_BLOCKS = [
    'rule INC-1 "收入等于各项之和": 收入预算总额 = sum(income.sources.*)',
    'rule BAL "收支平衡" {\n    severity warning\n    assert income.total = expense.total\n}',
    'rule EXP: expense.basic <= expense.total within 1%',
    'rule HC: staff.count >= 1 人',
    'rule TXT {\n    when present(doc.level)\n    assert doc.level in {"区级", "市级"}\n}',
    'rule FUN {\n    message "{row}: {left} / {right}"\n'
    '    assert for each r in tables.function where count(children(r)) > 0: r.total = sum(children(r).total)\n}',
    'rule ROW: for each r in 功能表: r.total >= r.basic',
    'rule DIV: expense.basic / expense.total <= 1',
]

amount_text = st.decimals(min_value=D(0), max_value=D(1000), places=2).map(str)


@st.composite
def budget_records(draw):
    rows = [{"code": c, "total": draw(amount_text), "basic": draw(st.none() | amount_text)}
            for c in draw(st.lists(st.sampled_from(["201", "20101", "20102", "208", "20805", "2080505"]),
                                   unique=True, max_size=6))]
    record = {
        "income": {"total": draw(st.none() | amount_text),
                   "sources": draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), amount_text, max_size=3))},
        "expense": {"total": draw(st.none() | amount_text), "basic": draw(st.none() | amount_text)},
        "staff": {"count": draw(st.none() | st.integers(0, 50).map(str))},
        "doc": {"level": draw(st.none() | st.sampled_from(["区级", "市级", "县级"]))},
        "tables": {"function": rows},
    }
    return record


@FEWER
@given(budget_records(), st.permutations(RULE_BLOCKS), st.permutations(FIELDS))
def test_findings_do_not_depend_on_rule_or_declaration_order(record, rule_order, field_order):
    reference = compile_rules("\n".join(FIELDS + RULE_BLOCKS)).evaluate(record)
    shuffled = compile_rules("\n".join(field_order + rule_order)).evaluate(record)
    assert shuffled.to_json() == reference.to_json()
    assert shuffled.to_json(lang="en") == reference.to_json(lang="en")
    assert [f.message for f in shuffled.sorted_findings()] == [f.message for f in reference.sorted_findings()]


@FEWER
@given(st.lists(budget_records(), min_size=1, max_size=3), st.permutations(RULE_BLOCKS))
def test_report_order_follows_records_then_rule_ids(records, rule_order):
    report = compile_rules("\n".join(FIELDS + rule_order)).evaluate_many(records)
    keys = [(f.record, f.rule) for f in report.sorted_findings()]
    order = {r.id: i for i, r in enumerate(report.records)}
    assert keys == sorted(keys, key=lambda k: (order[k[0]], k[1]))


# ---- (e) no float ------------------------------------------------------------------------------------------------

def test_point_one_plus_point_two_is_point_three_exactly(tmp_path):
    rules = compile_rules("field a: number\nfield b: number\nfield c: number\n"
                          "rule R: a + b = c\nrule L: 0.1 + 0.2 = 0.3\nrule M: a + b = 0.3")
    for record in ({"a": "0.1", "b": "0.2", "c": "0.3"},):
        statuses = {f.rule: f.status for f in rules.evaluate(record).findings}
        assert statuses == {"R": "pass", "L": "pass", "M": "pass"}
    path = tmp_path / "r.json"
    path.write_text('{"a": 0.1, "b": 0.2, "c": 0.3}', encoding="utf-8")
    report = rules.evaluate_many([path])
    assert {f.status for f in report.findings} == {"pass"}
    assert report.findings[0].difference == 0


def test_point_one_plus_point_two_in_money():
    rules = compile_rules("unit 万元\nfield a: amount\nfield b: amount\nfield c: amount\nrule R: a + b = c")
    finding = rules.evaluate({"a": "0.1", "b": "0.2", "c": "0.3"}).findings[0]
    assert finding.status == "pass" and finding.difference == 0
    assert str(finding.left.value) == "0.3"


twenty_digits = st.integers(10**19, 10**20 - 1).map(lambda n: D(n).scaleb(-2))


@FAST
@given(twenty_digits, twenty_digits)
def test_twenty_digit_amounts_survive(a, b):
    rules = compile_rules("unit 元\nfield a: amount\nfield b: amount\nfield c: amount\nrule R: a + b = c")
    c = a + b
    report = rules.evaluate({"a": str(a), "b": str(b), "c": str(c)})
    finding = report.findings[0]
    assert finding.status == "pass"
    assert finding.left.value == c and finding.right.value == c
    data = json.loads(report.to_json())["findings"][0]
    assert D(data["left"]["value"]) == c
    assert data["left"]["value"] == format(c, "f")
    assert [o["path"] for o in data["operands"]] == ["a", "b", "c"]     # in the order they were read
    assert [o["value"] for o in data["operands"]] == [format(a, "f"), format(b, "f"), format(c, "f")]
    # off by one cent in the last digit is noticed (beyond the half-cent rounding of three figures)
    report = rules.evaluate({"a": str(a), "b": str(b), "c": str(c + D("0.02"))})
    assert report.findings[0].status == "fail"


@FAST
@given(value=twenty_digits)
def test_twenty_digit_json_numbers_survive_loading(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("j") / "r.json"
    path.write_text('{"a": %s}' % format(value, "f"), encoding="utf-8")
    [record] = fiscalrules.load_records(path)
    assert record.figures["a"].value == value and str(record.figures["a"].value) == format(value, "f")
