"""``prior(x)`` where only a percentage change is stated (review 18 C4): last year's figure is
``x ÷ (1 + pct / 100)``, an interval from the printed precision of both, so "the parts' priors add
up to the total's prior" is checkable on documents that state changes as percentages only
("比上年增长4.55%").  Rule text + record → expected findings; rounding of the percentages never
makes a failure (a property); the per-record engine, the fast path and the columnar engine agree
(every record on columns: ``explain`` says so)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalrules
from fiscalrules.errors import RuleCheckError
from fiscalrules.values import IMPLIED_PRIOR_EXP

RULES = """
unit 万元
precision % 0.01
field total "收入预算总额": amount
field parts.* : amount
field fn "功能分类": table(code: text, amount: amount)
rule W "各项上年数之和": prior(total) = sum(prior(parts.*))
rule T "各科目上年数之和": prior(total) = sum(prior(fn.amount))
rule C "各科目上年数之和（逐行）": prior(total) = sum(prior(r.amount) for r in fn where present(r.code))
rule N "上年数不为负": for each r in fn: prior(r.amount) >= 0
rule P "上年数为正": prior(total) > 0
rule Q "上年数等于某数": prior(total) = parts.a
"""


@pytest.fixture(scope="module")
def rules():
    return fiscalrules.compile_rules(RULES)


def _figure(value, change=None, pct=None):
    figure = {"value": value}
    if change is not None:
        figure["change"] = change
    if pct is not None:
        figure["pct"] = pct
    return figure


N1 = {"appropriation": _figure("1150.00", pct="4.55"), "business": _figure("80.00", pct="14.29"),
      "other": _figure("16.40", pct="-18"), "carryover": _figure("40.00", pct="300")}

# (name, record, rule, expected status, reason fragment or None)
CASES = [
    ("percentages only", {"total": _figure("1286.40", pct="7.2"), "parts": N1}, "W", "pass_rounding", None),
    ("a wrong percentage", {"total": _figure("1286.40", pct="7.2"),
                            "parts": {**N1, "appropriation": _figure("1150.00", pct="5.55")}}, "W", "fail", None),
    ("changes only", {"total": _figure("1286.40", change="86.40"),
                      "parts": {"a": _figure("1246.40", change="56.40"), "b": _figure("40.00", change="30")}},
     "W", "pass", None),
    ("a change beside percentages", {"total": _figure("1286.40", change="86.40"),
                                     "parts": {**N1, "business": _figure("80.00", change="10"),
                                               "carryover": _figure("40.00", change="30")}}, "W", "pass_rounding", None),
    ("the change wins over the percentage", {"total": _figure("1286.40", change="86.40", pct="99"),
                                             "parts": {"a": _figure("1286.40", change="86.40")}}, "W", "pass", None),
    ("neither stated", {"total": _figure("1286.40", pct="7.2"), "parts": {**N1, "carryover": "40.00"}},
     "W", "not_evaluable", "parts.carryover (stated change or percentage)"),
    ("a fall of 100 %", {"total": _figure("1150.00", pct="0"), "parts": {"a": _figure("1150.00", pct="0"),
                                                                        "b": _figure("0", pct="-100")}},
     "W", "not_evaluable", "a fall of 100 % or more"),
    ("a fall of more than 100 %", {"total": _figure("1", pct="-120")}, "P", "not_evaluable",
     "a fall of 100 % or more"),
    ("a fall of 99 %", {"total": _figure("1", pct="-99")}, "P", "pass", None),
    # the percentages' interval is the finer of their printed decimals and the ruleset's
    # ``precision %`` (0.01 here, the default): 7.2 % is 7.195 … 7.205 %
    ("a percentage with one decimal", {"total": _figure("1286.40", pct="7.2"), "parts": {"a": _figure("1286.40", pct="7.204")}},
     "W", "pass_rounding", None),
    ("a percentage with one decimal, another", {"total": _figure("1286.40", pct="7.2"), "parts": {"a": _figure("1286.40", pct="7.25")}},
     "W", "fail", None),
    ("columns", {"total": _figure("134.00", pct="6.35"),
                 "fn": [{"code": "208", "amount": _figure("96.00", pct="6.67")},
                        {"code": "210", "amount": _figure("38.00", pct="5.56")}]}, "T", "pass_rounding", None),
    ("columns, one wrong", {"total": _figure("134.00", pct="6.35"),
                            "fn": [{"code": "208", "amount": _figure("96.00", pct="6.67")},
                                   {"code": "210", "amount": _figure("38.00", pct="55.6")}]}, "T", "fail", None),
    ("comprehension", {"total": _figure("134.00", change="8"),
                       "fn": [{"code": "208", "amount": _figure("96.00", pct="6.67")},
                              {"code": "210", "amount": _figure("38.00", change="2")}]}, "C", "pass_rounding", None),
]


@pytest.mark.parametrize("name, record, rule, expected, reason", CASES, ids=[c[0] for c in CASES])
def test_implied_prior_rule_cases(rules, name, record, rule, expected, reason):
    found = [f for f in rules.evaluate(record).findings if f.rule == rule]
    assert [f.status for f in found] == [expected]
    if reason is not None:
        assert reason in found[0].reason


def test_the_implied_prior_is_the_quotient_with_its_interval(rules):
    found = [f for f in rules.evaluate({"total": _figure("1150.00", pct="4.55"), "parts": {"a": "1099.95"}}).findings
             if f.rule == "Q"][0]
    left = found.left   # 1150.00 ÷ 1.0455, from 1149.995 ÷ 1.04555 to 1150.005 ÷ 1.04545
    assert left.value.quantize(Decimal("0.0001")) == Decimal("1099.9522")
    assert left.lo.quantize(Decimal("0.0001")) == Decimal("1099.8948")
    assert left.hi.quantize(Decimal("0.0001")) == Decimal("1100.0096")
    assert found.status == "pass_rounding"


def test_an_amount_divided_by_a_percentage_is_still_refused():
    with pytest.raises(RuleCheckError, match="E204"):
        fiscalrules.compile_rules("unit 万元\nfield x: amount\nrule R: change(x) / pct(x) = 1\n")


_CENT = Decimal("0.01")
_BY_PRECISION = {decimals: fiscalrules.compile_rules(RULES.replace("precision % 0.01", f"precision % {Decimal(1).scaleb(-decimals)}"))
                 for decimals in (0, 1, 2)}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(priors=st.lists(st.integers(min_value=1, max_value=10 ** 7), min_size=1, max_size=9),
       currents=st.lists(st.integers(min_value=0, max_value=10 ** 7), min_size=9, max_size=9),
       decimals=st.sampled_from([0, 1, 2]))
def test_percentages_rounded_as_printed_never_make_a_failure(priors, currents, decimals):
    """Consistent figures (each part's prior and current in cents, the total their sums), each
    change printed as a percentage rounded to 0, 1 or 2 decimals -- the ruleset's ``precision %``
    saying so --: the priors' identity holds."""
    rules = _BY_PRECISION[decimals]
    step = Decimal(1).scaleb(-decimals)

    def pct(current, prior):
        return str(((current - prior) / prior * 100).quantize(step, rounding=ROUND_HALF_UP))

    parts, total_prior, total_current = {}, Decimal(0), Decimal(0)
    for i, prior in enumerate(priors):
        prior, current = Decimal(prior) * _CENT, Decimal(currents[i]) * _CENT
        parts[f"p{i}"] = _figure(str(current), pct=pct(current, prior))
        total_prior, total_current = total_prior + prior, total_current + current
    record = {"total": _figure(str(total_current), pct=pct(total_current, total_prior)), "parts": parts}
    found = [f for f in rules.evaluate(record).findings if f.rule == "W"]
    fell_to_nothing = any(Decimal(figure["pct"]) == -100 for figure in [record["total"], *parts.values()])
    # (a figure printed as a fall of 100 % implies no prior: the rule is not evaluable, no failure)
    assert [f.status for f in found] in ([["not_evaluable"]] if fell_to_nothing else (["pass"], ["pass_rounding"])), \
        (record, found[0].difference)


# ---- the engines agree -----------------------------------------------------------------------------

def _random_figure(rnd, value):
    kind = rnd.random()
    if kind < 0.4:
        return _figure(value, pct=str(Decimal(rnd.randint(-12000, 30000)) / 100))
    if kind < 0.6:
        return _figure(value, change=str(Decimal(rnd.randint(-5000, 5000)) / 100))
    if kind < 0.7:
        return _figure(value, change="1.00", pct="-100")
    if kind < 0.8:
        return _figure(value, pct="-100")
    if kind < 0.9:
        return value
    return _figure(value, pct="text")


def _random_record(rnd, i):
    value = lambda: str(Decimal(rnd.randint(0, 200000)) / 100)  # noqa: E731
    record = {"_meta": {"id": f"r{i}"}, "total": _random_figure(rnd, value())}
    if rnd.random() < 0.9:
        record["parts"] = {f"p{k}": _random_figure(rnd, value()) for k in range(rnd.randint(1, 4))}
    if rnd.random() < 0.9:
        record["fn"] = [{"code": str(200 + k), "amount": _random_figure(rnd, value())} for k in range(rnd.randint(0, 3))]
    return record


def _consistent_record(rnd, i):
    """Parts whose priors add up (percentages rounded to two decimals): passes within rounding."""
    priors = [Decimal(rnd.randint(100, 100000)) / 100 for _ in range(3)]
    currents = [Decimal(rnd.randint(100, 100000)) / 100 for _ in range(3)]
    pct = lambda c, p: str(((c - p) / p * 100).quantize(_CENT, rounding=ROUND_HALF_UP))  # noqa: E731
    return {"_meta": {"id": f"c{i}"},
            "total": _figure(str(sum(currents)), pct=pct(sum(currents), sum(priors))),
            "parts": {f"p{k}": _figure(str(c), pct=pct(c, p)) for k, (c, p) in enumerate(zip(currents, priors))},
            "fn": [{"code": str(200 + k), "amount": _figure(str(c), pct=pct(c, p))}
                   for k, (c, p) in enumerate(zip(currents, priors))]}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2 ** 32), size=st.integers(min_value=1, max_value=12))
def test_columnar_statuses_equal_per_record_for_implied_priors(rules, seed, size):
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same

    from fiscalrules.columnar import flatten_records
    rnd = random.Random(seed)
    records = [_random_record(rnd, i) if rnd.random() < 0.7 else _consistent_record(rnd, i) for i in range(size)]
    assert_same(rules, flatten_records(records, rules), records, chunk_rows=4)


def test_the_columnar_engine_computes_implied_priors_on_columns(rules):
    """No record leaves the columns for an implied prior (session 19's fallback sent 3,334 of
    100,020 generated records to the per-record engine for each rule using prior())."""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same

    from fiscalrules.columnar import flatten_records
    rnd = random.Random(3)
    records = [_consistent_record(rnd, i) for i in range(6)]
    records += [{"_meta": {"id": "changes"}, "total": _figure("10", change="1"), "parts": {"a": _figure("10", change="1")},
                 "fn": [{"code": "201", "amount": _figure("10", change="1")}]}]
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=4)
    assert set(result.explain().splitlines()) == {f"{rule}\tcolumnar" for rule in ("W", "T", "C", "N", "P", "Q")}
    assert result.summary()["rules"]["W"]["pass_rounding"] == 6 and result.summary()["rules"]["W"]["pass"] == 1


# ---- the two engines hold the same quotient, exactly ---------------------------------------------

_GRID = Decimal(1).scaleb(IMPLIED_PRIOR_EXP - 4)   # the grid in 万元 (it is 10**-4 元)


def _bounds_rules(point, lo, hi):
    """Rules comparing prior(total) with exact constants at its point and bounds, and one grid
    step beyond each bound: their statuses pin the prior's point and interval down exactly."""
    def text(value):   # in 元, on the grid (10**-4 元): the constant's own exponent
        return f"{(value * 10000).quantize(Decimal(1).scaleb(IMPLIED_PRIOR_EXP)):f} 元"
    return fiscalrules.compile_rules(f"""
unit 万元
precision % 0.01
field total "收入预算总额": amount
rule AT_POINT: prior(total) = {text(point)}
rule AT_LO: prior(total) = {text(lo)}
rule AT_HI: prior(total) = {text(hi)}
rule BELOW_LO: prior(total) = {text(lo - _GRID)}
rule ABOVE_HI: prior(total) = {text(hi + _GRID)}
""")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.integers(min_value=-10 ** 10, max_value=10 ** 10), value_places=st.sampled_from([0, 1, 2, 4]),
       pct=st.integers(min_value=-12000, max_value=90000), pct_places=st.sampled_from([0, 1, 2, 3]))
def test_columnar_implied_prior_is_the_per_record_quotient_exactly(value, value_places, pct, pct_places):
    """values.implied_prior's point and outward bounds on the grid, and the columnar engine's
    integers for the same figure (int64 where they fit, Python ints on the way for amounts past
    ~10**5 万元), decide five exact comparisons alike: equal at the point and both bounds, unequal
    one grid step beyond -- and a fall of 100 % or more is missing on both.  (Past ~10**8 万元 the
    comparisons themselves pass 64 bits at this grid: decided per record, still alike.)"""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same

    from fiscalrules.columnar import flatten_records
    value_text, pct_text = str(Decimal(value).scaleb(-value_places)), str(Decimal(pct).scaleb(-pct_places))
    record = {"_meta": {"id": "r"}, "total": _figure(value_text, pct=pct_text)}
    probe = [f for f in _bounds_rules(Decimal(0), Decimal(0), Decimal(0)).evaluate(record).findings
             if f.rule == "AT_POINT"][0]
    falls = Decimal(pct_text) - Decimal("0.005") <= -100   # 1 + pct.lo / 100 ≤ 0 (precision % 0.01)
    if falls:
        assert probe.status == "not_evaluable" and "a fall of 100 % or more" in probe.reason
        rules = _bounds_rules(Decimal(0), Decimal(0), Decimal(0))
    else:
        point, lo, hi = probe.left.value, probe.left.lo, probe.left.hi    # in 万元
        assert lo <= point <= hi and lo < hi
        for x in (point, lo, hi):   # on the grid
            assert x == x.quantize(_GRID)
        rules = _bounds_rules(point, lo, hi)
        statuses = {f.rule: f.status for f in rules.evaluate(record).findings}
        assert statuses == {"AT_POINT": "pass", "AT_LO": "pass" if lo == point else "pass_rounding",
                            "AT_HI": "pass" if hi == point else "pass_rounding", "BELOW_LO": "fail", "ABOVE_HI": "fail"}
    result = assert_same(rules, flatten_records([record], rules), [record], chunk_rows=1)
    if abs(Decimal(value_text)) <= 10 ** 8:
        assert set(result.explain().splitlines()) == {f"{rule.id}\tcolumnar" for rule in rules.rules}


def test_a_list_stopped_by_a_missing_and_a_wrong_figure_agrees(rules):
    """prior() of a column: one row states neither a change nor a percentage (missing), another's
    value is text (an error): the per-record engine reads the values first -- an error --, and
    so does the columnar engine, rather than take the rows' first stop."""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same

    from fiscalrules.columnar import flatten_records
    records = [{"_meta": {"id": "mixed"}, "total": _figure("10", pct="5"),
                "fn": [{"code": "201", "amount": "4"}, {"code": "202", "amount": _figure("abc", pct="5")}]},
               {"_meta": {"id": "plain"}, "total": _figure("10", pct="5"),
                "fn": [{"code": "201", "amount": _figure("10", pct="5")}]}]
    found = [f for f in rules.evaluate(records[0]).findings if f.rule == "T"]
    assert [f.status for f in found] == ["error"]
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=2)
    assert sorted(result.explain().splitlines()) == sorted(f"{rule.id}\tcolumnar" for rule in rules.rules)


# Each way a figure of a list of priors can stop, and how the per-record engine reads it: the
# value (text or a unit that is no money: an error; a blank cell: missing), what the prior is
# found from (neither a change nor a percentage: missing), the quotient (a fall of 100 %: missing).
_STOPS = {"pct": _figure("10", pct="5"), "change": _figure("10", change="1"), "bare": "10",
          "value text": _figure("abc", pct="5"), "unit": {**_figure("10", change="1"), "unit": "其他"},
          "fall": _figure("0", pct="-100")}
_LIST_RULES = RULES + """
rule D "各项增减额之和": change(total) = sum(change(parts.*))
rule E "各科目增减额之和": change(total) = sum(change(fn.amount))
"""


def test_lists_of_priors_stop_as_per_record_on_columns():
    """prior(parts.*) and prior(fn.amount) read every figure's value, then what each prior is
    found from, then the quotients (functions.compile_call): a list with a missing basis in its
    first figure and a value in error in a later one is an error, whichever comes first in path
    or row order.  The columnar engine decides each stage's first stop in turn -- every record
    on columns (it left records with both kinds of stop to the per-record engine: session 23's
    bench sent 0.5 % of the records per record for INC-006, 42 % of the run's CPU) -- and so
    for change(parts.*), whose figures both engines read one by one in path order."""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same

    from fiscalrules.columnar import flatten_records
    rules = fiscalrules.compile_rules(_LIST_RULES)
    kinds = list(_STOPS)
    rnd = random.Random(24)
    pairs = [(a, b) for a in kinds for b in kinds] + [tuple(rnd.choice(kinds) for _ in range(3)) for _ in range(40)]
    records = []
    for i, chosen in enumerate(pairs):
        parts = {name: _STOPS[kind] for name, kind in zip("abc", chosen)}
        if i % 2:   # (the record's own key order does not matter: path order on both engines)
            parts = dict(reversed(list(parts.items())))
        rows = [{"code": str(201 + j), "amount": _STOPS[kind]} for j, kind in enumerate(chosen)]
        if i % 3 == 0:
            rows.append({"code": "299"})   # a blank cell: its value is missing
        records.append({"_meta": {"id": f"r{i}"}, "total": _figure("30", pct="5", change="1"),
                        "parts": parts, "fn": rows})
    found = {(f.record, f.rule): f.status for f in rules.evaluate_many(records).findings}
    # both kinds of stop in one list, decided by the stage (a value in error after a missing basis)
    assert found[("r%d" % pairs.index(("bare", "value text")), "W")] == "error"
    assert found[("r%d" % pairs.index(("bare", "value text")), "T")] == "error"
    assert found[("r%d" % pairs.index(("fall", "unit")), "T")] == "error"
    assert found[("r%d" % pairs.index(("fall", "bare")), "W")] == "not_evaluable"
    # change(parts.*): figure by figure, the first in path order decides
    assert found[("r%d" % pairs.index(("bare", "unit")), "D")] == "not_evaluable"
    assert found[("r%d" % pairs.index(("unit", "bare")), "D")] == "error"
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=16)
    assert sorted(result.explain().splitlines()) == sorted(f"{rule.id}\tcolumnar" for rule in rules.rules)


# ---- one order of a wildcard's figures, however the record was stored ---------------------------

def test_a_wildcard_lists_its_figures_in_path_order_whatever_the_record_order(rules):
    """A Parquet row read back by the columnar engine lists its figures in its columns' order,
    a JSON record in its keys' order: ``prefix.*`` takes them in path order, so the operands of
    a finding are the same list (review 19: INC-006's not_applicable finding listed
    income.sources.affiliated first per record and after operating on the columnar engine)."""
    parts = {"operating": _figure("1", change="1"), "affiliated": _figure("2", change="1"), "other": _figure("3")}
    one = {"total": _figure("6", pct="20"), "parts": parts}
    other = {"total": _figure("6", pct="20"), "parts": dict(reversed(list(parts.items())))}
    found = [[f for f in rules.evaluate(record).findings if f.rule == "W"][0] for record in (one, other)]
    assert [f.status for f in found] == ["not_evaluable", "not_evaluable"]
    assert [o.path for o in found[0].operands] == [o.path for o in found[1].operands] == \
        ["total", "parts.affiliated", "parts.operating", "parts.other"]
    assert found[0] == found[1]
