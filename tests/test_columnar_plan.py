"""The columnar plan's shortcuts for plain conditions and arithmetic, each where it could go wrong.

Every shortcut of :mod:`fiscalrules.columnar.arith` and :mod:`fiscalrules.columnar.plan` taken
for the common case (sums of figures printed at one precision, chunks without a missing figure,
…) must give the statuses the per-record engine gives, also beside the case it was not made for:
a figure of another precision among them, one missing figure in the last record of a chunk, an
empty list.  Each test checks, through ``columnar_equivalence.assert_same``, every (rule, record)
status and the counts against ``Ruleset.evaluate_many``, and asserts the statuses it was built
to reach, so that a test whose data no longer reaches the boundary fails instead of passing idly.
"""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402

SUMS = """
unit 万元
field total: amount
field fn: table(code: text, total: amount)
rule S "the total is the sum of the rows": total = sum(r.total for r in fn)
rule C "the total is the sum of the column": total = sum(fn.total)
rule L "the total is at most the sum": total <= sum(fn.total)
"""


def _record(i: int, total, cells) -> dict:
    return {"_meta": {"id": f"r{i}"}, "total": total,
            "fn": [{"code": str(k + 1), "total": cell} for k, cell in enumerate(cells)]}


def _statuses(result, rule_id: str) -> list:
    return [CODES[c] for c in result.statuses(rule_id)]


def test_sums_of_figures_printed_at_one_precision_and_at_another():
    """A sum of figures printed at cents widens by half a cent per figure (the shortcut sums the
    points at their own scale and counts the halves); a figure printed at another precision
    among them widens it by its own half."""
    rules = fiscalrules.compile_rules(SUMS)
    cases = [
        ("3.75", ["1.25", "1.25", "1.25"], "pass"),
        ("3.77", ["1.25", "1.25", "1.25"], "pass_rounding"),   # 0.02: exactly the slack of four halves
        ("3.78", ["1.25", "1.25", "1.25"], "fail"),
        ("3.845", ["1.25", "1.25", "1.345"], "pass"),
        ("3.86", ["1.25", "1.25", "1.345"], "pass_rounding"),  # 0.015 within 0.005 × 3 + 0.0005
        ("3.87", ["1.25", "1.25", "1.345"], "fail"),           # 0.025 beyond 0.0155
        ("0", [], "pass"),                                      # an empty table sums to an exact 0
        ("0.01", [], "fail"),
        ("2.5", ["1.25", "1.25"], "pass"),                    # the total at another precision
        ("2.51", ["1.25", "1.25"], "pass_rounding"),
        ("2.516", ["1.25", "1.25"], "fail"),                  # 0.016 beyond 0.005 × 2 + 0.0005
    ]
    records = [_record(i, total, cells) for i, (total, cells, _) in enumerate(cases)]
    for chunk_rows in (3, len(records)):
        result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
        expected = [status for _, _, status in cases]
        assert _statuses(result, "S") == expected
        assert _statuses(result, "C") == expected


def test_a_chunk_whose_figures_are_all_at_one_precision_beside_one_that_is_not():
    """Chunks of records whose rows are all printed at cents, and one chunk where a single row
    (the last of the last record) is printed to a tenth of a cent: the chunk's sums cannot all take the
    one-precision shortcut."""
    rules = fiscalrules.compile_rules(SUMS)
    records = [_record(i, "3.77", ["1.25", "1.25", "1.25"]) for i in range(5)]
    records.append(_record(5, "3.86", ["1.25", "1.25", "1.345"]))
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert _statuses(result, "S") == ["pass_rounding"] * 6
    records[-1] = _record(5, "3.87", ["1.25", "1.25", "1.345"])
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert _statuses(result, "S") == ["pass_rounding"] * 5 + ["fail"]


QUOTIENTS = """
unit 万元
field stated: number
field change: amount
field prior: amount
rule Q "the stated percentage is change over prior": stated = change / prior * 100
rule N "a negative factor": stated = change / prior * -100
rule LE "at most": stated <= change / prior * 100
rule GE "at least": change / prior * 100 <= stated
rule NE "differs": stated != change / prior * 100
"""


def _percentage_records() -> list:
    """Stated percentages around change ÷ prior × 100 -- at it, within the rounding of the three
    figures, and a step beyond -- with numerators and divisors of either sign."""
    from decimal import Decimal
    records = []
    for change in ("1.00", "-1.00", "0", "2.50", "-0.07"):
        for prior in ("3.00", "-3.00", "7.00", "0.40"):
            q = Decimal(change) / Decimal(prior) * 100
            for places in (1, 2, 3):
                step = Decimal(1).scaleb(-places)
                centre = q.quantize(step)
                for k in (-6, -3, -1, 0, 1, 3, 6):
                    records.append({"_meta": {"id": f"r{len(records)}"}, "stated": str(centre + k * step),
                                    "change": change, "prior": prior})
    return records


def test_quotients_decided_at_the_corner_of_their_bounds():
    """A comparison with change ÷ prior × 100 is decided at the one corner of the numerator's and
    the divisor's intervals where the quotient's bound lies (a shortcut for four corners): for
    numerators and divisors of either sign, stated figures at every precision around the bound,
    and a negative factor (every corner)."""
    rules = fiscalrules.compile_rules(QUOTIENTS)
    records = _percentage_records()
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=64)
    for rule_id in ("Q", "N", "LE", "GE"):
        seen = set(_statuses(result, rule_id))
        assert {"pass_rounding", "fail"} <= seen, (rule_id, seen)
    assert "pass" in set(_statuses(result, "Q"))
    # Both signs of the quotient reach the rounding boundary from either side.
    negative = [r["change"].startswith("-") != r["prior"].startswith("-") and r["change"] != "0" for r in records]
    for sign in (True, False):
        statuses = {s for s, neg in zip(_statuses(result, "Q"), negative) if neg == sign}
        assert {"pass_rounding", "fail"} <= statuses, (sign, statuses)


LOOKUPS = """
unit 万元
field total: amount
field fn: table(code: text, total: amount)
rule K "a row looked up by a code": fn["302"].total <= total
rule P "a row looked up by a code, when there": if present(fn["2"]) then fn["2"].total <= total
rule B "two codes": fn["302"].total + coalesce(fn["310"].total, 0) <= total
"""


def test_lookups_by_a_constant_code():
    """``T["302"]`` is found by one scan of the chunk's codes: the last row with the code in each
    record -- also a row without a code standing at that position ("2"), in a record without the
    table, without the row, and in the last record of a chunk."""
    rules = fiscalrules.compile_rules(LOOKUPS)
    rows = [[("301", "1"), ("302", "2"), ("310", "3")],
            [("302", "9")],
            [("301", "1")],
            None,
            [("1", "4"), (None, "6")],
            [(None, "1"), (None, "7")],
            [("310", "2"), ("302", "3")]]
    records = []
    for i, table in enumerate(rows * 2):
        record = {"_meta": {"id": f"r{i}"}, "total": "5"}
        if table is not None:
            record["fn"] = [{"total": t} if code is None else {"code": code, "total": t} for code, t in table]
        records.append(record)
    for chunk_rows in (2, 7, len(records)):
        result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
        assert {CODES[c] for c in result.statuses("K")} == {"pass", "fail", "not_evaluable"}
        assert {CODES[c] for c in result.statuses("P")} == {"pass", "fail"}
        assert result.statuses("P")[4] == CODES.index("fail")     # the uncoded second row


TEXTS = """
unit 万元
field unit: text
field word: text
field total: amount
field items: table(unit: text, comparator: text, amount: amount)
rule M1 "a unit among three": unit in {"元", "万元", " 亿元 "}
rule M2 "a unit among none of two": unit not in {"元", "万元"}
rule M3 "a unit, or a large total": unit in {"元"} or total > 5
rule M4 "each item in money" {
    assert for each i in items where i.unit in {"元", "万元"} and i.comparator not in {"≤", "<"}: i.amount >= 0
}
rule T1 "a word": word = "增加"
rule T2 "the constant first": "减少" != word
rule T3 "a word and its sign": (word = "增加" and total > 0) or (word = "减少" and total < 0)
"""


def test_texts_against_constants():
    """A text compared with a constant, or looked up in a set of constants, is decided once per
    distinct text: stripped on both sides, missing texts and texts of another column's values
    (a number in a text field) as the per-record engine has them, negated, inside ``or`` where
    a missing side is forgiven, and over table rows."""
    rules = fiscalrules.compile_rules(TEXTS)
    units = ["元", " 万元", "亿元", "千元", None, "5", "元 "]
    words = ["增加", "减少", " 增加", "持平", None, "减少 "]
    totals = ["3", "-2", "7", None, "0"]
    records = []
    for i in range(42):
        record = {"_meta": {"id": f"r{i}"}}
        for name, values in (("unit", units), ("word", words), ("total", totals)):
            value = values[i % len(values)]
            if value is not None:
                record[name] = value
        if i % 3:
            record["items"] = [{"unit": units[(i + k) % len(units)], "comparator": ["≤", "<", "=", None][(i + k) % 4],
                                "amount": ["1", "2", "3", "-1", "4", None, "5"][(3 * i + k) % 7]} for k in range(i % 5)]
            for row in record["items"]:
                for key in [k for k, v in row.items() if v is None]:
                    del row[key]
        records.append(record)
    for chunk_rows in (5, len(records)):
        result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
        for rule_id in ("M1", "M2", "M3", "T1", "T2", "T3"):
            assert {"pass", "fail"} <= {CODES[c] for c in result.statuses(rule_id)}, rule_id
        assert {"pass", "fail"} <= {CODES[c] for c in result.statuses("M4")}


NAMES = """
unit 万元
field projects: table(name: text, amount: amount)
field perf: table(name: text, total: amount)
rule S "a project and the performance table of a near-identical name" {
    assert for each d in projects where count(q for q in perf where similarity(q.name, d.name) >= 0.75) > 0:
        for each q in perf where similarity(q.name, d.name) >= 0.75 and not (contains(q.name, d.name) or startswith(d.name, q.name)):
            d.amount = q.total
}
"""


@pytest.mark.parametrize("dense", [True, False])
def test_text_functions_of_pairs_of_names(dense, monkeypatch):
    """similarity/contains/startswith over every pair of two tables' names are worked out once
    per distinct pair: told apart by a table of all pairs, or (more pairs than that holds) by
    sorting -- the same statuses either way."""
    from fiscalrules.columnar import texts as plan
    if not dense:
        monkeypatch.setattr(plan, "_DENSE_PAIRS", 0)
    rules = fiscalrules.compile_rules(NAMES)
    names = ["2025年医疗保险事业发展经费", "2025年医疗保险事业发展经费 ", "医疗保险事业发展经费", "2025年医疗保险事业经费",
             "道路维修", "道路维修项目", "办公楼改造"]
    records = []
    for i in range(24):
        mine = [names[(i + k) % len(names)] for k in range(i % 4)]
        theirs = [names[(2 * i + k) % len(names)] for k in range(i % 3 + 1)]
        records.append({"_meta": {"id": f"r{i}"},
                        "projects": [{"name": n, "amount": str(100 + k)} for k, n in enumerate(mine)],
                        "perf": [{"name": n, "total": str(100 + (k + i) % 2)} for k, n in enumerate(theirs)]})
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=5)
    assert {"pass", "fail", "not_applicable"} <= {CODES[c] for c in result.statuses("S")}


def test_distinct_values_as_numpy_unique_gives_them():
    from fiscalrules.columnar.texts import _distinct
    rng = np.random.default_rng(5)
    for width in (1, 7, 1000):
        for size in (0, 1, 50):
            values = rng.integers(0, width, size)
            distinct, back = _distinct(values, width)
            expected, expected_back = np.unique(values, return_inverse=True)
            assert distinct.tolist() == expected.tolist() and back.tolist() == expected_back.tolist()


LOGIC = """
unit 万元
field a: amount
field b: amount
field c: amount
field d: amount
rule AND "both": a = b and c <= d
rule OR "either": a = b or c <= d
rule IF "if then": if a > 0 then c <= d
rule W "a when" {
    when present(a) and a > 0
    assert b + c = d
}
"""


@pytest.mark.parametrize("missing", ["a", "b", "c", "d"])
def test_chunks_without_a_missing_figure_beside_one_with_one_in_its_last_record(missing):
    """``and``/``or``/``if``/``when`` skip the work on missing and error masks in a chunk where no
    figure is missing: one chunk like that, then a chunk whose last record alone lacks a figure
    (or holds text in it) -- each forgiven or not exactly as the per-record engine does."""
    rules = fiscalrules.compile_rules(LOGIC)
    rows = [("1", "1", "1", "2"), ("2", "1", "3", "2"), ("1", "1.004", "2", "3"), ("-1", "2", "5", "7"),
            ("3", "3", "1", "4"), ("0", "0", "3", "3")]
    for broken in (None, "text"):
        records = []
        for i in range(12):
            a, b, c, d = rows[i % len(rows)]
            record = {"_meta": {"id": f"r{i}"}, "a": a, "b": b, "c": c, "d": d}
            if i == 11:
                if broken is None:
                    del record[missing]
                else:
                    record[missing] = "not a number"
            records.append(record)
        result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=6)
        last = {rule: CODES[result.statuses(rule)[11]] for rule in ("AND", "OR", "IF", "W")}
        assert any(status in ("not_evaluable", "error") for status in last.values()), last
