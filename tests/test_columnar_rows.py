"""Rules over table rows read only the rows they need (fiscalrules.columnar.loops): a filter's
conjuncts over the rows the ones before left open, a body over the rows the filter keeps, the
``children(r)`` of those rows taken from one list per table -- and values shared between rules
only over the same rows.  Each rule's statuses, counts and findings are the per-record engine's."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

pytest.importorskip("pyarrow")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402

ROWS = '''
unit 万元
field total: amount
field fn: table(code: text, name: text, total: amount, basic: amount, project: amount)
field gn: table(code: text, total: amount)
rule B1 "same body, level 1": for each r in fn where level(r) = 1: r.total = r.basic + r.project
rule B2 "a part of it, level 2": for each r in fn where level(r) = 2: r.total >= r.basic + r.project
rule B3 "same body, every row": for each r in fn: r.total = r.basic + r.project
rule B4 "a part of it, level 1": for each r in fn where level(r) = 1: r.total <= r.basic + r.project
rule K1 "same lookup after level 1": for each r in fn where level(r) = 1 and present(gn[r.code]): r.total = gn[r.code].total
rule K2 "same lookup after level 2": for each r in fn where level(r) = 2 and present(gn[r.code]): r.total = gn[r.code].total
rule M1 "a filter reading a missing figure": for each r in fn where r.basic > 1 and present(gn[r.code]):
    r.total >= gn[r.code].total
rule M2 "three conjuncts": for each r in fn where present(r.code) and r.basic > 60 and r.project + r.total > 1:
    r.total > r.basic
rule M3 "a part of M2's third conjunct, second": for each r in fn where present(r.code) and r.project + r.total > 2:
    r.total >= r.project
rule S1 "a body another rule filters on": for each r in fn where present(r.total): present(gn[r.code])
rule S2 "a filter another rule's body is": for each r in fn where present(gn[r.code]): r.total >= 0
rule U1 "roll-up total": for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
rule U2 "roll-up basic": for each r in fn where count(children(r)) > 0: r.basic = sum(children(r).basic)
rule U3 "roll-up of first-level rows": for each r in fn where level(r) = 1: r.total = sum(children(r).total)
rule U4 "roll-up of large rows": for each r in fn where count(children(r)) > 0 and r.total > 50:
    r.project = sum(children(r).project)
rule U5 "children of a looked-up row": for each r in fn where level(r) = 1:
    count(children(fn[r.code])) = count(children(r))
rule N1 "nested with a filter": for each r in fn where level(r) = 1:
    for each c in children(r) where present(c.basic): c.basic <= r.total
rule C1 "comprehension with two conjuncts": total >= sum(r.total for r in fn where level(r) = 1 and r.total > 10)
rule C2 "count with a filter": count(r for r in fn where level(r) = 2 and r.basic > 0) >= 0
'''


def _amount(rnd: random.Random):
    if rnd.random() < 0.12:
        return None                              # a missing cell
    if rnd.random() < 0.03:
        return "n/a"                             # text in an amount: an error
    return str(Decimal(rnd.randint(0, 12000)) / 100)


def _record(rnd: random.Random, i: int) -> dict:
    rows, gn = [], []
    for klass in rnd.sample(["201", "202", "203", "205"], rnd.randint(0, 4)):
        codes = [klass]
        for k in range(rnd.randint(0, 3)):
            sub = f"{klass}{k + 1:02d}"
            codes.append(sub)
            codes += [f"{sub}{j + 1:02d}" for j in range(rnd.randint(0, 2))]
        for code in codes:
            row = {"code": code, "name": "x"}
            for column in ("total", "basic", "project"):
                value = _amount(rnd)
                if value is not None:
                    row[column] = value
            if rnd.random() < 0.5:          # children that add up, now and then
                row["total"] = row.get("basic", "0") if rnd.random() < 0.5 else row.get("total", "1")
            rows.append(row)
            if rnd.random() < 0.6:
                gn.append({"code": code, **({"total": _amount(rnd)} if rnd.random() < 0.9 else {})})
    rnd.shuffle(gn)
    record = {"_meta": {"id": f"r{i}"}, "total": str(Decimal(rnd.randint(0, 50000)) / 100)}
    if rnd.random() < 0.9:
        record["fn"] = rows
    if rnd.random() < 0.9:
        record["gn"] = [g for g in gn if g.get("total") is not None or rnd.random() < 0.5]
    return record


@pytest.fixture(scope="module")
def rows_rules():
    return fiscalrules.compile_rules(ROWS)


def test_every_rule_over_rows_runs_on_columns(rows_rules):
    lines = dict(line.split("\t") for line in rows_rules.explain().splitlines())
    assert set(lines.values()) == {"columnar"}, lines


@pytest.mark.parametrize("seed", range(8))
def test_rules_over_the_rows_they_need_equal_per_record(rows_rules, seed):
    rnd = random.Random(seed)
    records = [_record(rnd, i) for i in range(40)]
    assert_same(rows_rules, flatten_records(records, rows_rules), records, chunk_rows=13)


def test_values_over_narrowed_rows_are_shared_only_under_the_same_filter(rows_rules):
    """B1..B4 write ``r.basic + r.project`` over the rows three filters keep (level 1 twice):
    three values, never one; K1 and K2's lookup after different first conjuncts: two; U1 and U2
    read ``children(r)`` over the same kept rows: one value, shared."""
    from fiscalrules import ast
    from fiscalrules.columnar.engine import plan_of, shared_of
    plan_of(rows_rules)
    shared = shared_of(rows_rules)
    by_node: dict = {}
    for key, i in shared.ids.items():
        node, scope, _ = key
        by_node.setdefault(node, set()).add((scope, i in shared.hot))
    rule = {compiled.rule.id: compiled.rule for compiled in rows_rules.rules}
    part = rule["B1"].assertion.body.right
    assert len({scope for scope, _ in by_node[part]}) == 3
    assert sum(hot for _, hot in by_node[part]) == 2      # every row (B3, …) and level 1 (B1, B4)
    lookup = rule["K1"].assertion.body.right
    assert isinstance(lookup, ast.Column) and len({scope for scope, _ in by_node[lookup]}) >= 2
    children = [node for node in by_node if isinstance(node, ast.Call) and node.func == "children"]
    assert any(hot for node in children for _, hot in by_node[node])


def test_a_filter_that_stops_gives_findings_and_the_rows_after_it_are_not_read(rows_rules):
    """M1: a row whose ``r.basic`` is missing is read on (``and`` forgives a missing left side
    when the right fails) -- not evaluable where the lookup holds, no finding where it does not;
    text in ``r.basic`` is an error whatever follows."""
    records = [{"_meta": {"id": "a"}, "total": "1",
                "fn": [{"code": "201", "total": "5"}, {"code": "202", "total": "5", "basic": "2"},
                       {"code": "203", "total": "5", "basic": "n/a"}, {"code": "205", "total": "1", "basic": "3"}],
                "gn": [{"code": "201", "total": "4"}, {"code": "202", "total": "9"}, {"code": "205", "total": "1"}]},
               {"_meta": {"id": "b"}, "total": "1", "fn": [{"code": "201", "total": "5"}], "gn": []}]
    result = assert_same(rows_rules, flatten_records(records, rows_rules), records)
    codes = result.statuses("M1").tolist()
    assert [CODES[c] for c in codes] == ["error", "not_applicable"]
    mine = [(f.item, f.status) for f in result.findings() if f.rule == "M1" and f.record == "a"]
    assert [status for _, status in mine] == ["not_evaluable", "fail", "error"]


def test_roll_ups_over_kept_rows_take_children_from_one_list(rows_rules):
    """U1..U4 read ``children(r)`` at the rows their filters keep (all parents; first-level rows
    only; large parents only) and U5 of looked-up rows: each as the per-record engine lists them."""
    records = [{"_meta": {"id": "a"}, "total": "9",
                "fn": [{"code": "201", "total": "60", "basic": "10", "project": "7"},
                       {"code": "20101", "total": "40", "basic": "10", "project": "3"},
                       {"code": "2010101", "total": "40", "basic": "4"},
                       {"code": "20102", "total": "20", "project": "4"},
                       {"code": "202", "total": "5"},
                       {"code": "203", "total": "3"}, {"code": "20301", "total": "2"}]},
               {"_meta": {"id": "b"}, "total": "9", "fn": [{"code": "205", "total": "1"}]}]
    result = assert_same(rows_rules, flatten_records(records, rows_rules), records)
    assert [CODES[c] for c in result.statuses("U1")] == ["fail", "not_applicable"]
    assert [CODES[c] for c in result.statuses("U4")] == ["pass", "not_applicable"]
    assert [CODES[c] for c in result.statuses("U5")] == ["pass", "pass"]


def test_children_of_rows_out_of_code_order_and_of_rows_without_a_code(rows_rules):
    """children(r) found in code order within each record: rows listed out of that order (sorted
    first), rows without a code cell past position 200 (no children: only coded rows are
    parents), one whose position spells a coded row's code, and a code given twice (both
    records unreadable, read per record)."""
    filler = [{"code": f"9{i:04d}", "total": "1"} for i in range(198)]
    long_table = [{"code": "203", "total": "3"}, {"code": "20301", "total": "3"}] + filler + \
        [{"total": "3"}, {"total": "4"}]                # positions 201 and 202 (their codes: "201", "202")
    records = [{"_meta": {"id": "long"}, "total": "1", "fn": long_table},
               {"_meta": {"id": "long, 201 twice"}, "total": "1",
                "fn": [{"code": "201", "total": "3"}, {"code": "20101", "total": "3"}] + long_table[2:]},
               {"_meta": {"id": "shuffled"}, "total": "1",
                "fn": [{"code": "2010101", "total": "2"}, {"code": "202", "total": "5"}, {"code": "201", "total": "7"},
                       {"code": "20102", "total": "5"}, {"code": "20101", "total": "2"}, {"code": "20201", "total": "4"}]},
               {"_meta": {"id": "twice"}, "total": "1",
                "fn": [{"code": "201", "total": "1"}, {"code": "20101", "total": "1"}, {"code": "201", "total": "2"}]}]
    result = assert_same(rows_rules, flatten_records(records, rows_rules), records)
    codes = result.statuses("U1").tolist()
    assert [CODES[c] for c in (codes[0], codes[2])] == ["pass", "fail"] and codes[1] == codes[3] == 255
    failing = [(f.record, f.item, f.status) for f in result.findings() if f.rule == "U1" and f.status == "fail"]
    assert failing == [("shuffled", "202", "fail")]



def test_codes_given_twice_are_found_in_the_records_out_of_code_order_only():
    """The loader refuses a record giving a code twice.  The columnar engine looks for twice-given
    codes only in the records whose codes do not increase row by row (a record in code order
    gives none twice), with and without rows known by their position: each refused record found,
    beside records in order and out of order that are read."""
    rules = fiscalrules.compile_rules(
        "unit 万元\nfield fn: table(code: text, total: amount)\n"
        'rule S "s": for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)\n')
    row = lambda code, total="1": {"code": code, "total": total}   # noqa: E731
    records = [{"_meta": {"id": "in order"}, "fn": [row("201", "2"), row("20101"), row("20102"), row("202")]},
               {"_meta": {"id": "adjacent twice"}, "fn": [row("201"), row("201")]},
               {"_meta": {"id": "out of order"}, "fn": [row("202"), row("201", "2"), row("20101", "2")]},
               {"_meta": {"id": "out of order, twice"}, "fn": [row("202"), row("201"), row("202")]},
               {"_meta": {"id": "in order again"}, "fn": [row("203"), row("20301")]}]
    table = assert_same(rules, flatten_records(records, rules), records, chunk_rows=5)
    assert [info.id for info in table.errors] == ["adjacent twice", "out of order, twice"]
    assert table.statuses("S").tolist() == [0, 255, 0, 255, 0]   # pass, unreadable, pass, unreadable, pass
    # rows known by their position (row 2: "2") beside coded ones: in order, and twice
    records = [{"_meta": {"id": "positions"}, "fn": [row("1"), {"total": "1"}, row("201")]},
               {"_meta": {"id": "position twice"}, "fn": [row("201"), {"total": "1"}, row("2")]},
               {"_meta": {"id": "coded"}, "fn": [row("201", "1"), row("20101")]}]
    table = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert [info.id for info in table.errors] == ["position twice"]


def test_a_row_known_by_its_position_shares_no_coded_rows_identity_in_either_engine():
    # A row without a code is known by its position (docs/records.md §Tables): the third row is
    # "3".  A coded row "3" before it made two rows fn[3] (review 14 F1: the per-record engine
    # read the coded row's cells for it); both engines now refuse the record in either order,
    # with the loader's message naming the later row.  A code "03" is another identity: each
    # row's own cells decide its finding there.
    rules = fiscalrules.compile_rules(
        "unit 万元\nfield fn: table(code: text, total: amount, project: amount)\n"
        'rule M3 "m3": for each r in fn where present(r.code) and r.project + r.total > 2: r.total >= r.project\n')
    rows = [{"code": "201", "total": "5", "project": "5"}, {"total": "1", "project": "4"}]
    records = [{"_meta": {"id": "coded first"}, "fn": [{"code": "3", "total": "5", "project": "3"}] + rows},
               {"_meta": {"id": "coded last"}, "fn": rows + [{"code": "2", "total": "5", "project": "3"}]},
               {"_meta": {"id": "03"}, "fn": [{"code": "03", "total": "5", "project": "3"}] + rows}]
    per_record = rules.evaluate_many(records)
    assert [(f.item, f.status) for f in per_record.findings] == [("03", "pass"), ("201", "pass"), ("3", "fail")]
    table = assert_same(rules, flatten_records(records, rules), records)
    assert table.statuses("M3").tolist() == [255, 255, 2]
    assert [info.error for info in table.errors] == [
        "coded first: E300: code 3 appears twice in the table at fn[3]",
        "coded last: E300: code 2 appears twice in the table at fn[3]"]
