"""fiscalrules.values: decimal intervals, units, precision, tolerance and the comparison verdict."""

from __future__ import annotations

import decimal
from decimal import Decimal as D

import pytest

import fiscalrules
from fiscalrules.values import (EXACT, FAIL, MONEY_UNITS, ROUNDING, Quantity, Tolerance, check_magnitude,
                                compare, dimension_of, exact, format_decimal, parse_decimal,
                                printed_precision, quantity, to_unit)


def q(point, lo, hi, dim="number") -> Quantity:
    return Quantity(D(point), D(lo), D(hi), dim)


def printed(text: str, unit: str | None = "万元", precision: str | None = None) -> Quantity:
    """A figure as printed: value ± half its printed precision (or the precision given)."""
    value = D(text)
    return quantity(value, unit, D(precision) if precision else printed_precision(value))


# ---- interval arithmetic -------------------------------------------------------------------------

class TestArithmetic:
    def test_add_adds_bounds(self):
        total = q("1.5", "1.45", "1.55") + q("2.25", "2.245", "2.255")
        assert (total.point, total.lo, total.hi) == (D("3.75"), D("3.695"), D("3.805"))

    def test_sub_crosses_bounds(self):
        diff = q("10", "9.5", "10.5") - q("4", "3.9", "4.1")
        assert (diff.point, diff.lo, diff.hi) == (D("6"), D("5.4"), D("6.6"))

    def test_neg_swaps_bounds(self):
        neg = -q("2", "1", "3")
        assert (neg.point, neg.lo, neg.hi) == (D(-2), D(-3), D(-1))

    def test_mul_takes_extreme_products_with_signs(self):
        prod = q("1", "-1", "2") * q("3.5", "3", "4")
        assert (prod.point, prod.lo, prod.hi) == (D("3.5"), D(-4), D(8))

    def test_mul_of_exact_values_is_exact(self):
        prod = exact(D("1.1")) * exact(D("3"))
        assert prod.is_exact and prod.point == D("3.3")

    def test_div_of_intervals(self):
        quot = q("11", "10", "12") / q("3", "2", "4")
        assert quot.lo == D("2.5") and quot.hi == D(6)
        assert quot.point == D(11) / D(3)

    def test_div_by_negative_interval(self):
        quot = q("11", "10", "12") / q("-3", "-4", "-2")
        assert (quot.lo, quot.hi) == (D(-6), D("-2.5"))

    def test_divisor_interval_containing_zero_gives_unbounded_quotient(self):
        divisor = q("0.004", "-0.001", "0.009")
        quot = exact(D(1)) / divisor
        assert quot.point == D(250)
        assert quot.lo == D("-Infinity") and quot.hi == D("Infinity")

    def test_divisor_interval_touching_zero_is_unbounded_too(self):
        quot = exact(D(1)) / q("0.005", "0", "0.01")
        assert not quot.lo.is_finite() and not quot.hi.is_finite()

    def test_division_by_printed_zero_raises(self):
        with pytest.raises(ZeroDivisionError):
            exact(D(1)) / q("0", "-0.005", "0.005")

    def test_abs_of_straddling_interval(self):
        a = abs(q("-1", "-2", "3"))
        assert (a.point, a.lo, a.hi) == (D(1), D(0), D(3))
        b = abs(q("-2", "-3", "-1"))
        assert (b.point, b.lo, b.hi) == (D(2), D(1), D(3))
        c = abs(q("2", "1", "3"))
        assert (c.point, c.lo, c.hi) == (D(2), D(1), D(3))

    def test_dimensions_follow_the_operands(self):
        money = printed("10")
        pct = quantity(D("5"), "%", D("0.01"))
        assert (money + exact(D(1))).dim == "money"
        assert (exact(D(1)) + money).dim == "money"
        assert (money * pct).dim == "money"
        assert (money / money).dim == "number"
        assert (money / exact(D(2))).dim == "money"
        people = quantity(D(3), "人", None)
        assert people.dim == "count:人" and (people + people).dim == "count:人"

    def test_interval_contains_its_point(self):
        for value in [q("1", "0.5", "1.5") * q("-2", "-2.5", "-1.5"), q("1", "0.5", "1.5") / q("4", "3", "5")]:
            assert value.lo <= value.point <= value.hi


# ---- precision and money ---------------------------------------------------------------------------

class TestPrecision:
    @pytest.mark.parametrize("text, step", [("329.94", "0.01"), ("50", "1"), ("50.0", "0.1"),
                                            ("0.005", "0.001"), ("-3.25", "0.01"), ("5E+2", "1")])
    def test_printed_precision(self, text, step):
        assert printed_precision(D(text)) == D(step)

    def test_quantity_is_value_plus_minus_half_precision_in_yuan(self):
        figure = quantity(D("329.94"), "万元", D("0.01"))
        assert figure.dim == "money"
        assert (figure.point, figure.lo, figure.hi) == (D("3299400"), D("3299350"), D("3299450"))
        assert figure.radius == D(50)

    def test_quantity_without_precision_is_exact(self):
        figure = quantity(D("50"), "万元", None)
        assert figure.is_exact and figure.point == D(500000)

    def test_fifty_wan_in_a_cent_ruleset(self):
        rules = fiscalrules.compile_rules("unit 万元\nprecision 万元 0.01\nfield a: amount\nrule R: a = 50")
        finding = rules.evaluate({"a": "50"}).findings[0]
        assert (finding.left.lo, finding.left.hi) == (D("49.995"), D("50.005"))

    def test_printed_decimals_finer_than_declared_win(self):
        rules = fiscalrules.compile_rules("unit 万元\nprecision 万元 1\nfield a: amount\nrule R: a = 50")
        finding = rules.evaluate({"a": "50.12"}).findings[0]
        assert (finding.left.lo, finding.left.hi) == (D("50.115"), D("50.125"))

    def test_declared_precision_finer_than_printed_wins(self):
        rules = fiscalrules.compile_rules("unit 万元\nprecision 万元 0.01\nfield a: amount\nrule R: a = 50")
        finding = rules.evaluate({"a": "51"}).findings[0]
        assert (finding.left.lo, finding.left.hi) == (D("50.995"), D("51.005"))
        assert finding.status == "fail"

    def test_coarse_declared_precision_widens_whole_numbers(self):
        rules = fiscalrules.compile_rules("unit 万元\nprecision 万元 1\nfield a: amount\nrule R: a = 50")
        finding = rules.evaluate({"a": "50"}).findings[0]
        assert (finding.left.lo, finding.left.hi) == (D("49.5"), D("50.5"))

    def test_counts_are_exact(self):
        rules = fiscalrules.compile_rules("field n: count 人\nrule R: n = 3")
        finding = rules.evaluate({"n": "3"}).findings[0]
        assert finding.left.lo == finding.left.hi == D(3)


class TestMoney:
    def test_units(self):
        assert MONEY_UNITS["元"] == 1 and MONEY_UNITS["万元"] == 10_000 and MONEY_UNITS["亿元"] == 100_000_000
        assert dimension_of("万元") == dimension_of("亿元") == dimension_of("元") == "money"
        assert dimension_of("%") == "percent"
        assert dimension_of("人") == "count:人"
        assert dimension_of(None) == dimension_of("") == "number"

    def test_normalisation_is_exact(self):
        assert quantity(D("0.01"), "万元", None).point == D(100)
        assert quantity(D("1"), "亿元", None).point == quantity(D("10000"), "万元", None).point
        big = quantity(D("1.23456789123"), "亿元", None)
        assert big.point == D("123456789.123") == quantity(D("123456789.123"), "元", None).point
        assert quantity(D("0.0001"), "亿元", None).point == quantity(D("1"), "万元", None).point

    def test_compare_across_units_is_exact(self):
        result = compare("=", quantity(D("50"), "万元", D("0.01")), quantity(D("500000"), "元", None))
        assert result.outcome == EXACT and result.difference == 0

    def test_to_unit(self):
        assert to_unit(D(500000), "money", "万元") == D(50)
        assert to_unit(D(150000000), "money", "亿元") == D("1.5")
        assert to_unit(D(7), "count:人", "万元") == D(7)  # only money converts


# ---- the comparison verdict ------------------------------------------------------------------------

A = printed("10.00")        # 9.995 … 10.005 万元


@pytest.mark.parametrize("op, right, outcome", [
    ("=", "10.00", EXACT), ("=", "10.01", ROUNDING), ("=", "9.99", ROUNDING), ("=", "10.02", FAIL),
    ("!=", "10.01", EXACT), ("!=", "10.00", FAIL),
    ("<", "10.01", EXACT), ("<", "10.00", ROUNDING), ("<", "9.99", FAIL),
    ("<=", "10.00", EXACT), ("<=", "9.99", ROUNDING), ("<=", "9.98", FAIL),
    (">", "9.99", EXACT), (">", "10.00", ROUNDING), (">", "10.01", FAIL),
    (">=", "10.00", EXACT), (">=", "10.01", ROUNDING), (">=", "10.02", FAIL),
])
def test_compare_outcomes(op, right, outcome):
    result = compare(op, A, printed(right))
    assert result.outcome == outcome
    assert result.holds is (outcome != FAIL)
    assert result.difference == A.point - printed(right).point


@pytest.mark.parametrize("op, left, right, outcome", [
    ("=", "1", "1", EXACT), ("=", "1", "1.0000001", FAIL),
    ("<", "1", "1", FAIL), ("<=", "1", "1", EXACT), (">", "1", "1", FAIL), (">=", "1", "1", EXACT),
    ("!=", "1", "1", FAIL), ("!=", "1", "2", EXACT),
])
def test_exact_values_never_pass_within_rounding(op, left, right, outcome):
    assert compare(op, exact(D(left)), exact(D(right))).outcome == outcome


def test_rounding_allowance_reported():
    result = compare("=", printed("10.00"), printed("10.01") + printed("0.00"))
    # left may move up 0.005, the right side (two figures) down 0.01
    assert result.allowed == D("150")            # in 元
    assert result.outcome == ROUNDING


def test_strict_inequality_on_touching_intervals_fails():
    # 10.00 (9.995 … 10.005) < 9.99 (9.985 … 9.995): no point of the left is below a point of the right
    assert compare("<", printed("10.00"), printed("9.99")).outcome == FAIL
    assert compare("<=", printed("10.00"), printed("9.99")).outcome == ROUNDING


def test_overlap_boundary_is_inclusive():
    # 10.00 ± 0.005 and 10.01 ± 0.005 touch at 10.005: consistent up to rounding
    assert compare("=", printed("10.00"), printed("10.01")).outcome == ROUNDING
    # 10.00 ± 0.005 and 10.011 ± 0.0005 do not touch
    assert compare("=", printed("10.00"), printed("10.011")).outcome == FAIL


class TestTolerance:
    def test_absolute_money_tolerance(self):
        tol = Tolerance(amount=D("0.5"), money=D("5000"))      # within 0.5 万元
        assert compare("=", exact(D(100000), "money"), exact(D(104000), "money"), tol).outcome == ROUNDING
        assert compare("=", exact(D(100000), "money"), exact(D(106000), "money"), tol).outcome == FAIL
        result = compare("=", exact(D(100000), "money"), exact(D(104000), "money"), tol)
        assert result.allowed == D(5000)

    def test_absolute_tolerance_on_plain_numbers(self):
        tol = Tolerance(amount=D("0.5"))
        assert compare("=", exact(D("10")), exact(D("10.4")), tol).outcome == ROUNDING
        assert compare("=", exact(D("10")), exact(D("10.6")), tol).outcome == FAIL

    def test_relative_tolerance(self):
        tol = Tolerance(amount=D("0.5"), relative=True)       # within 0.5% of the larger side
        assert compare("=", exact(D(1000)), exact(D(1005)), tol).outcome == ROUNDING
        assert compare("=", exact(D(1000)), exact(D(1006)), tol).outcome == FAIL
        assert compare("=", exact(D(-1000)), exact(D(-1005)), tol).outcome == ROUNDING
        assert compare("=", exact(D(1000)), exact(D(1005)), tol).allowed == D("5.025")

    def test_tolerance_widens_inequalities(self):
        tol = Tolerance(amount=D(2))
        assert compare("<", exact(D(101)), exact(D(100)), tol).outcome == ROUNDING
        assert compare("<", exact(D(103)), exact(D(100)), tol).outcome == FAIL
        assert compare(">=", exact(D(98)), exact(D(100)), tol).outcome == ROUNDING
        assert compare(">=", exact(D(97)), exact(D(100)), tol).outcome == FAIL

    def test_tolerance_adds_to_rounding(self):
        tol = Tolerance(money=D(100))
        # 10.00 万元 (±50 元) vs 10.02 万元 (±50 元): gap 200 元, rounding 100 + explicit 100
        assert compare("=", printed("10.00"), printed("10.02"), tol).outcome == ROUNDING
        assert compare("=", printed("10.00"), printed("10.03"), tol).outcome == FAIL

    def test_within_in_rule_text(self):
        text = "unit 万元\nfield a: amount\nfield b: amount\n"
        absolute = fiscalrules.compile_rules(text + "rule R: a = b within 1 万元")
        assert absolute.evaluate({"a": "100", "b": "101"}).findings[0].status == "pass_rounding"
        assert absolute.evaluate({"a": "100", "b": "101.02"}).findings[0].status == "fail"
        in_yuan = fiscalrules.compile_rules(text + "rule R: a = b within 100 元")
        assert in_yuan.evaluate({"a": "100", "b": "100.02"}).findings[0].status == "pass_rounding"
        assert in_yuan.evaluate({"a": "100", "b": "100.03"}).findings[0].status == "fail"
        relative = fiscalrules.compile_rules(text + "rule R: a = b within 1%")
        assert relative.evaluate({"a": "100", "b": "101"}).findings[0].status == "pass_rounding"
        assert relative.evaluate({"a": "100", "b": "102.1"}).findings[0].status == "fail"


# ---- reading numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1234.5", "1234.5"), ("1,234.50", "1234.50"), ("15,915.97", "15915.97"),
    ("１２３４．５", "1234.5"), ("１，２３４", "1234"), ("-3", "-3"), ("−3", "-3"), ("－3.5", "-3.5"),
    ("+7", "7"), (" 42 ", "42"), ("1 234", "1234"), (".5", "0.5"), ("0", "0"),
    ("12345678901234567890", "12345678901234567890"), ("0.1", "0.1"),
])
def test_parse_decimal_forms(text, value):
    result = parse_decimal(text)
    assert isinstance(result, D)
    assert result == D(value)
    assert str(result) == value   # exactly as printed, trailing zeros kept


def test_parse_decimal_keeps_printed_precision():
    assert parse_decimal("1,234.50").as_tuple().exponent == -2
    assert parse_decimal("１２３４．５").as_tuple().exponent == -1


@pytest.mark.parametrize("text", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e400", "1E5", "abc",
                                  "12a", "", "--3", "1.2.3", "区级", "0x10"])
def test_parse_decimal_refuses_non_numbers(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize("text", ["1" * 31, "0." + "1" * 31, "1" + "0" * 40, "0." + "0" * 35 + "1"])
def test_parse_decimal_refuses_absurd_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_thirty_significant_digits_are_accepted():
    assert parse_decimal("1" * 30) == D("1" * 30)
    assert parse_decimal("123456789012345678901234567890.00") is not None  # trailing zeros don't count


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), D("-Infinity"), D("1e400"), D("1e-400"),
                                   D("1" * 31)])
def test_check_magnitude_refuses(value):
    with pytest.raises(ValueError):
        check_magnitude(value)


def test_format_decimal_never_uses_exponents():
    assert format_decimal(D("1E+4")) == "10000"
    assert format_decimal(D("1.2300")) == "1.23"
    assert format_decimal(D("-0.000")) == "0"
    assert format_decimal(D("2.5"), 2) == "2.50"
    assert format_decimal(D("2.345"), 2) == "2.35"   # half up for display
    assert format_decimal(D("12345678901234567890.12")) == "12345678901234567890.12"
    assert format_decimal(D("Infinity")) == "∞"


def test_no_binary_float_in_values():
    total = printed("0.1", None) + printed("0.2", None)
    assert total.point == D("0.3")
    assert compare("=", total, printed("0.3", None)).outcome == EXACT


def test_caller_decimal_context_is_untouched():
    with decimal.localcontext() as ctx:
        ctx.prec = 5
        rules = fiscalrules.compile_rules("field a: number\nfield b: number\nrule R: a / b = 0.33333")
        finding = rules.evaluate({"a": "1", "b": "3"}).findings[0]
        assert finding.status == "fail"   # 1/3 to 80 digits, not the caller's 5 (which would equal 0.33333)
        assert decimal.getcontext().prec == 5
