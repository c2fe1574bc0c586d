"""The columnar engine over records with tables: lists, ``for each``, aggregates, codes.

The property of tests/test_columnar.py, for records that keep their tables: generated records
(rounded, then damaged -- cells changed by a cent or by a lot, signs flipped, cells emptied or
deleted, numbers replaced by text, table rows dropped or duplicated, whole tables removed) are
flattened by ``columnar.flatten_records`` into a record frame and a long frame per table, and
``Ruleset.evaluate_table`` over them gives every rule the counts and the non-passing findings
``Ruleset.evaluate_many`` gives over the records themselves.  Table fields can also be given as
long frames made by hand (``evaluate_table(frame, tables={...})``).
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.damage import damage  # noqa: E402
from columnar_equivalence import CODES, assert_same, ruleset_of, sources  # noqa: E402

PROPERTY = settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("source", sources())
@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2 ** 32), size=st.integers(min_value=1, max_value=8),
       rounded=st.booleans())
def test_flattened_records_with_tables_equal_per_record(source, seed, size, rounded):
    ruleset = ruleset_of(source)
    rnd = random.Random(seed)
    records = []
    for i in range(size):
        record = damage(generate_record(ruleset, rnd=rnd, rounded=rounded), rnd)
        record.setdefault("_meta", {})["id"] = f"r{i}"
        records.append(record)
    assert_same(ruleset, flatten_records(records, ruleset), records, chunk_rows=3)


TABLE_RULES = '''
unit 万元
precision 万元 0.01
field total "支出合计": amount
field basic: amount
field parts.* : amount
field note: text
field fn "功能分类": table(code "科目编码": text, name: text, total "合计": amount,
                           basic: amount default 0, project: amount default 0)
rule F1 "each row adds up": for each r in fn: r.total = r.basic + r.project
rule F2 "a class is the sum of its subclasses" {
    assert for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
}
rule F3 "subclasses within their class": for each r in fn: (for each c in children(r): c.total <= r.total)
rule F4 "a 项 within its 款": for each r in fn where level(r) = 3: r.total <= parent(r).total
rule S1 "total is the sum of the classes": total = sum(r.total for r in fn where level(r) = 1)
rule S2 "basic is the sum of the basic column" {
    assert basic = sum(r.basic for r in fn where level(r) = 1) within 0.05
}
rule L1 "a lookup by code": fn["201"].total >= fn["20101"].total
rule L2 "a lookup by a name": if present(fn["202"]) then fn["202"].name = "外交支出"
rule A1 "aggregates": count(fn) >= 1 and min(fn.total) >= 0 and max(fn.total) <= total
rule A2 "the parts": sum(parts.*) = total and count(parts.*) >= 1 and max(parts.*, 0) <= total
rule A3 "each part": for each p in parts.*: p <= total
rule A4 "the classes are few": count(r for r in fn where level(r) = 1) <= 3
rule C1 "stated changes" {
    when present(change(total))
    assert change(total) = sum(change(r.total) for r in fn where level(r) = 1)
}
rule C2 "last year": prior(total) >= 0
rule T1 "names": for each r in fn where level(r) = 1: length(r.name) >= 2 and not contains(r.name, "其他")
'''


@pytest.fixture(scope="module")
def table_rules():
    return fiscalrules.compile_rules(TABLE_RULES)


def test_list_table_and_aggregate_rules_run_on_columns(table_rules):
    lines = dict(line.split("\t") for line in table_rules.explain().splitlines())
    assert set(lines.values()) == {"columnar"}, lines


NAMES = {"201": "一般公共服务支出", "202": "外交支出", "203": "国防支出"}


def _table_record(rnd: random.Random, i: int) -> dict:
    rows = []
    grand = Decimal(0)
    basic_total = Decimal(0)
    for klass in rnd.sample(sorted(NAMES), rnd.randint(1, 3)):
        subs = []
        for k in range(rnd.randint(0, 2)):
            code = f"{klass}{k + 1:02d}"
            items = [(f"{code}{j + 1:02d}", Decimal(rnd.randint(0, 9999)) / 100) for j in range(rnd.randint(0, 2))]
            amount = sum((a for _, a in items), Decimal(rnd.randint(0, 999)) / 100 if not items else Decimal(0))
            subs.append((code, amount, items))
        amount = sum((a for _, a, _ in subs), Decimal(0)) if subs else Decimal(rnd.randint(1, 99999)) / 100
        basic = (amount / 2).quantize(Decimal("0.01"))
        rows.append({"code": klass, "name": NAMES[klass], "total": str(amount), "basic": str(basic),
                     "project": str(amount - basic)})
        for code, sub_amount, items in subs:
            rows.append({"code": code, "name": "款", "total": str(sub_amount), "project": str(sub_amount)})
            for item_code, item_amount in items:
                rows.append({"code": item_code, "name": "项", "total": {"value": str(item_amount), "change": "1.00"},
                             "basic": str(item_amount)})
        grand += amount
        basic_total += basic
    record = {"_meta": {"id": f"t{i}"}, "total": {"value": str(grand), "change": "0"}, "basic": str(basic_total),
              "parts": {"a": str(grand - 1), "b": "1"} if grand >= 1 else {"a": str(grand)},
              "note": "说明", "fn": rows}
    return record


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2 ** 32), size=st.integers(min_value=1, max_value=10))
def test_table_shapes_equal_per_record(table_rules, seed, size):
    rnd = random.Random(seed)
    records = [damage(_table_record(rnd, i), rnd, rate=0.1) for i in range(size)]
    assert_same(table_rules, flatten_records(records, table_rules), records, chunk_rows=3)


def _long_frames(records):
    """A record frame without ids (records named by row number) and a long frame of fn by hand."""
    frame = {"total": [], "total.change": [], "basic": [], "parts.a": [], "parts.b": [], "note": []}
    long = {"_record": [], "_row": [], "科目编码": [], "name": [], "合计": [], "合计.change": [], "basic": [],
            "project": []}
    for n, record in enumerate(records):
        total = record["total"]
        frame["total"].append(total["value"])
        frame["total.change"].append(total["change"])
        frame["basic"].append(record["basic"])
        frame["parts.a"].append(record["parts"]["a"])
        frame["parts.b"].append(record["parts"].get("b"))
        frame["note"].append(record["note"])
        for position, row in enumerate(record["fn"]):
            long["_record"].append(n)
            long["_row"].append(position + 1)
            long["科目编码"].append(row["code"])
            long["name"].append(row["name"])
            cell = row["total"]
            long["合计"].append(cell["value"] if isinstance(cell, dict) else cell)
            long["合计.change"].append(cell["change"] if isinstance(cell, dict) else None)
            long["basic"].append(row.get("basic"))
            long["project"].append(row.get("project"))
    return pa.table(frame), pa.table(long)


def test_long_frames_by_hand_equal_per_record(table_rules):
    rnd = random.Random(7)
    records = [_table_record(rnd, i) for i in range(40)]
    for n, record in enumerate(records[::3]):   # failures within rounding (a cent) and beyond it
        shift = Decimal("0.01") if n % 2 else Decimal("3")
        record["fn"][0]["total"] = str(Decimal(record["fn"][0]["total"]) + shift)
    for record in records[1::5]:
        record["basic"] = str(Decimal(record["basic"]) + 7)
    frame, long = _long_frames(records)
    named = [{**r, "_meta": {"id": f"row {i + 1}"}} for i, r in enumerate(records)]
    result = assert_same(table_rules, frame, named, tables={"功能分类": long}, chunk_rows=6)
    assert len(result.failing("F1")) and len(result.failing("S2"))
    assert (result.statuses("F1") == CODES.index("pass_rounding")).any()
    # The long frame's rows may come in any order: _record and _row place them.
    shuffled = long.take(pa.array(np.random.default_rng(1).permutation(long.num_rows)))
    again = table_rules.evaluate_table(frame, tables={"fn": shuffled}, chunk_rows=6)
    for rule in table_rules.rules:
        assert again.statuses(rule.id).tolist() == result.statuses(rule.id).tolist(), rule.id


def test_a_table_given_for_an_undeclared_field_is_refused(table_rules):
    frame, long = _long_frames([_table_record(random.Random(1), 0)])
    with pytest.raises(fiscalrules.FiscalRulesError, match="not a table field"):
        table_rules.evaluate_table(frame, tables={"basic": long})


TWO_TABLES = """
unit 万元
field total: amount
field a: table(code: text, total: amount)
field b: table(code: text, total: amount)
rule A: total = sum(r.total for r in a)
rule B: total = sum(r.total for r in b)
"""


def test_long_frames_naming_records_by_id():
    """The rows of every long frame are looked up among the record ids together: each table's
    rows find their records, and a row naming no record, or ids that repeat, are refused."""
    rules = fiscalrules.compile_rules(TWO_TABLES)
    frame = pa.table({"_meta.id": ["x", "y", "z"], "total": ["3", "5", "4"]})
    a = pa.table({"_record": ["x", "x", "y", "z"], "code": ["1", "2", "1", "1"], "total": ["1", "2", "5", "9"]})
    b = pa.table({"_record": ["z", "x", "x"], "code": ["1", "1", "2"], "total": ["4", "1", "1"]})
    result = rules.evaluate_table(frame, tables={"a": a, "b": b})
    assert [CODES[c] for c in result.statuses("A")] == ["pass", "pass", "fail"]
    assert [CODES[c] for c in result.statuses("B")] == ["fail", "not_evaluable", "pass"]
    stray = b.set_column(0, "_record", pa.array(["z", "x", "w"]))
    with pytest.raises(fiscalrules.FiscalRulesError, match="1 rows of table b name no record of the frame .first: 'w'"):
        rules.evaluate_table(frame, tables={"a": a, "b": stray})
    twice = frame.set_column(0, "_meta.id", pa.array(["x", "y", "x"]))
    with pytest.raises(fiscalrules.FiscalRulesError, match="record ids repeat"):
        rules.evaluate_table(twice, tables={"a": a, "b": b})


CONSTANT_ITEMS = """
unit 万元
field total: amount
field fn: table(code: text, total: amount)
rule S1: sum(1 for r in fn) = 2
rule S2: sum(2 for r in fn where r.total > 4) = 2
rule M1: max(1 for r in fn) = 1
rule M2: min(3 for r in fn) = 3
rule C1: count(r for r in fn) = sum(1 for r in fn)
"""


def test_aggregates_of_a_constant_per_row_equal_per_record():
    """``sum(1 for r in T)``: each item is the same constant (one scalar, not a column); a sum
    of k items is k times it, a min or max of them the constant (the columnar sum was 0)."""
    rules = fiscalrules.compile_rules(CONSTANT_ITEMS)
    records = [{"_meta": {"id": "a"}, "total": "5", "fn": [{"code": "208", "total": "5"}, {"code": "209", "total": "3"}]},
               {"_meta": {"id": "b"}, "total": "5", "fn": [{"code": "208", "total": "5"}]},
               {"_meta": {"id": "c"}, "total": "5", "fn": []},
               {"_meta": {"id": "d"}, "total": "5"}]
    assert set(rules.explain().split()) >= {"S1", "S2", "M1", "M2", "C1", "columnar"}
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert [CODES[c] for c in result.statuses("S1")] == ["pass", "fail", "fail", "not_evaluable"]
    assert [CODES[c] for c in result.statuses("M1")] == ["pass", "pass", "error", "not_evaluable"]


SHARED = """
unit 万元
field total: amount
field a: amount
field fn: table(code: text, total: amount)
field gn: table(code: text, total: amount)
rule W1: total = a within 1
rule W2: total = a
rule L1: for each r in fn: r.total = total
rule L2: for each r in gn: r.total = total
rule N1: for each r in fn where count(s for s in gn where s.total = r.total) > 0:
    for each s in gn where s.total = r.total: s.code = r.code
"""


def test_expressions_written_alike_are_shared_only_over_the_same_rows_and_tolerance():
    """An expression several rules (or one rule twice) write over the same domain is computed
    once a chunk; the same text with another tolerance, or over another table's rows bound to
    the same name, is another expression."""
    from fiscalrules.columnar.engine import shared_of
    rules = fiscalrules.compile_rules(SHARED)
    records = [{"_meta": {"id": "a"}, "total": "5", "a": "5.5",
                "fn": [{"code": "1", "total": "5"}], "gn": [{"code": "1", "total": "6"}]},
               {"_meta": {"id": "b"}, "total": "6", "a": "6",
                "fn": [{"code": "1", "total": "7"}, {"code": "2", "total": "6"}], "gn": [{"code": "2", "total": "6"}]},
               {"_meta": {"id": "c"}, "total": "6", "a": "9", "fn": [{"code": "1"}], "gn": [{"code": "3", "total": "6"}]}]
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=2)
    assert [CODES[c] for c in result.statuses("W1")] == ["pass_rounding", "pass", "fail"]
    assert [CODES[c] for c in result.statuses("W2")] == ["fail", "pass", "fail"]
    assert [CODES[c] for c in result.statuses("L1")] == ["pass", "fail", "not_evaluable"]
    assert [CODES[c] for c in result.statuses("L2")] == ["fail", "pass", "pass"]
    assert [CODES[c] for c in result.statuses("N1")] == ["not_applicable", "pass", "not_evaluable"]
    shared = shared_of(rules)
    assert shared.hot   # N1's condition (written twice), the record figures of L1 and L2, ...


def test_records_without_a_table_and_with_an_empty_one(table_rules):
    record = _table_record(random.Random(3), 0)
    empty = {**copy.deepcopy(record), "_meta": {"id": "empty"}, "fn": []}
    absent = {key: value for key, value in copy.deepcopy(record).items() if key != "fn"}
    absent["_meta"] = {"id": "absent"}
    records = [record, empty, absent]
    result = assert_same(table_rules, flatten_records(records, table_rules), records, chunk_rows=3)
    code = result.statuses("F1").tolist()
    assert CODES[code[0]] == "pass" and CODES[code[1]] == "not_applicable" and CODES[code[2]] == "not_evaluable"


def test_a_number_in_a_code_column_that_is_no_code_makes_the_record_unreadable_in_either_engine():
    # A code column typed as numbers (decimal128, as a database or Parquet file holds it, and as
    # benchmarks/bench_ruleset_table.py types the frames): 20101.00 is the code "20101", but a
    # damaged 20101.01 is no code -- the loader refuses the record ('a row code must be text or
    # whole digits'), where the columnar engine read the code "20101.01" and the record's rules.
    from fiscalrules.frames import frame_records
    from fiscalrules.testing.tables import typed_table
    rules = fiscalrules.compile_rules(
        "unit 万元\nfield fn: table(code: text, total: amount)\n"
        'rule U "roll-up": for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)\n')
    records = [{"_meta": {"id": "whole"}, "fn": [{"code": "201", "total": "3"}, {"code": "20101", "total": "3"}]},
               {"_meta": {"id": "cents"}, "fn": [{"code": "201", "total": "3"}, {"code": "20101.01", "total": "2"}]},
               {"_meta": {"id": "fails"}, "fn": [{"code": "202", "total": "3"}, {"code": "20201", "total": "2"}]}]
    flat = flatten_records(records, rules)
    tables = {path: typed_table(frame) for path, frame in flat.tables.items()}
    assert pa.types.is_decimal(tables["fn"].column("code").type)
    reference = list(frame_records(flat.records, rules.checked.fields, rules.checked.labels, tables=tables))
    assert reference[0]["fn"][1]["code"] == Decimal("20101.00")
    result = assert_same(rules, flat.records, reference, tables=tables)
    assert [info.id for info in result.errors] == ["cents"]
    assert [CODES[c] if c != 255 else None for c in result.statuses("U").tolist()] == ["pass", None, "fail"]


PERCENTAGES = '''
unit 万元
precision % 1
field ec: table(code: text, name: text, amount: amount)
rule P "stated percentage": for each r in ec where present(pct(r.amount)) and prior(r.amount) != 0:
    pct(r.amount) = change(r.amount) / prior(r.amount) * 100
'''


def _percentages(*rows):
    return [{"_meta": {"id": f"r{i}"}, "ec": [{"code": "301", "name": "a", "amount": dict(zip(("value", "change", "pct"), row))}]}
            for i, row in enumerate(rows)]


def test_a_stated_percentage_against_large_figures_of_other_rows_is_decided_on_columns():
    # pct × prior is compared with change × 100 in int64: one record's prior of 9e11 units and
    # another's percentage of 1e10 made the columns' greatest magnitudes overflow together, and
    # the rule went per record for the whole chunk -- though no row's own product is large.
    rules = fiscalrules.compile_rules(PERCENTAGES)
    records = _percentages(("9000000000.00", "1.00", "0"), ("1000000.00", "999999.99", "9999999900"),
                           ("110.00", "10.00", "10"), ("110.00", "10.00", "11"), ("110.00", "10.00", "9.9"))
    result = assert_same(rules, flatten_records(records, rules), records)
    assert result.engines["P"] == "columnar" and not result.deferred["P"]
    assert [CODES[c] for c in result.statuses("P").tolist()] == ["pass_rounding", "pass", "pass", "fail", "fail"]


def test_a_stated_percentage_of_a_row_too_large_for_int64_products_is_deferred_alone():
    # 9e16 units of prior (at 0.001) times a percentage of 1000 units: that row's own product is past the
    # 64-bit range -- it goes to the per-record engine, the other rows stay on columns.
    rules = fiscalrules.compile_rules(PERCENTAGES)
    records = _percentages(("90000000000000.00", "1.00", "1.00"), ("110.00", "10.00", "10"), ("110.00", "10.00", "12"))
    result = assert_same(rules, flatten_records(records, rules), records)
    assert result.engines["P"] == "columnar" and result.deferred["P"] == 1
    assert [CODES[c] for c in result.statuses("P").tolist()] == ["fail", "pass", "fail"]
