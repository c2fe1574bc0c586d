"""The columnar rules' optional C kernels (fiscalrules/_ckernel.c, chosen by
fiscalrules.columnar.kernel) give exactly the arrays of the numpy code they stand in for --
children of every row, rows found by (record, code) -- on edge cases (no rows, one record, codes
out of order, rows without a code, codes given twice, absent keys), refuse arguments that would
read past an array, and the engine's statuses, counts and findings are the per-record engine's
both ways."""

from __future__ import annotations

import random

import numpy as np
import pytest

pytest.importorskip("pyarrow")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records, hierarchy, kernel  # noqa: E402
from fiscalrules.columnar.plan import _find  # noqa: E402
from fiscalrules.columnar.tables import CodeBook, TableRows  # noqa: E402
from fiscalrules.columnar.vectors import group_starts  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402
from test_columnar_rows import ROWS, _record  # noqa: E402

C = kernel.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C kernels do not run here: {kernel.why_not()}")


def _table(records: list, book: CodeBook | None = None) -> TableRows:
    """A table's rows as TableRows holds them: *records* lists each record's codes (None: a row
    without a code cell, known by its position)."""
    book = book if book is not None else CodeBook()
    rec, code, coded, pos = [], [], [], []
    for r, codes in enumerate(records):
        for p, text in enumerate(codes, 1):
            rec.append(r)
            pos.append(p)
            coded.append(text is not None)
            code.append(book.id(text if text is not None else str(p)))
    table = TableRows.__new__(TableRows)
    table.path, table.book, table.n, table.m = "t", book, len(records), len(rec)
    table.rec, table.pos = np.array(rec, dtype=np.int64), np.array(pos, dtype=np.int64)
    table.code_id = table.cell_code_id = np.array(code, dtype=np.int64)
    table.coded = np.array(coded, dtype=bool)
    table.starts = group_starts(table.rec, table.n)
    table._cache, table._children = {}, None
    return table


def _both(function, *args):
    with kernel.use(True):
        fast = function(*args)
    with kernel.use(False):
        slow = function(*args)
    return fast, slow


def _random_records(rnd: random.Random, count: int) -> list:
    records = []
    for _ in range(count):
        codes = []
        for klass in rnd.sample(["201", "202", "203", "2", "20", "2011"], rnd.randint(0, 4)):
            codes.append(klass)
            for k in range(rnd.randint(0, 3)):
                sub = f"{klass}{k + 1:02d}"
                codes.append(sub)
                codes += [f"{sub}{j + 1:02d}" for j in range(rnd.randint(0, 2))]
        if rnd.random() < 0.3:
            rnd.shuffle(codes)                    # out of code order
        if codes and rnd.random() < 0.2:
            codes.append(rnd.choice(codes))       # a code given twice
        if rnd.random() < 0.2:
            codes += [None] * rnd.randint(1, 3)   # rows known by their position
        records.append(codes)
    return records


EDGES = [
    [],                                         # no records
    [[]],                                       # one record, no rows
    [[], ["201", "20101"], []],                 # records without rows around one with rows
    [["201", "20101", "2010101", "20102"]],     # in order
    [["2010101", "20102", "201", "20101"]],     # out of order
    [["201", "201", "20101"]],                  # a code given twice
    [["20101", "201"], ["201", "20101"]],       # the same codes, two records
    [["201"] + [f"9{i:04d}" for i in range(198)] + [None, None]],   # positions 200, 201 ("201")
    [["201", None, None, "20101"]],
]


@needs_c
@pytest.mark.parametrize("records", EDGES + [_random_records(random.Random(seed), 40) for seed in range(6)])
def test_children_of_every_row_are_the_numpy_code_s(records):
    table = _table(records)
    fast, slow = _both(hierarchy.children_ranges, table)
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and a.tolist() == b.tolist()


@needs_c
@pytest.mark.parametrize("records", EDGES + [_random_records(random.Random(seed), 40) for seed in range(6)])
def test_rows_found_by_record_and_code_are_the_numpy_code_s(records):
    book = CodeBook()
    table = _table(records, book)
    rnd = np.random.default_rng(len(records))
    q = 300
    recs = rnd.integers(0, table.n, q) if table.n else np.zeros(0, dtype=np.int64)
    texts = ["201", "20101", "2010101", "202", "9", "1", "2", "201"]
    keys = np.array([book.id(texts[i]) for i in rnd.integers(0, len(texts), len(recs))], dtype=np.int64)
    fast, slow = _both(_find, table, recs, keys)
    assert fast.tolist() == slow.tolist()
    # every row's own code: the row itself, or a later row of the same code (the last one is kept)
    fast, slow = _both(_find, table, table.rec, table.code_id)
    assert fast.tolist() == slow.tolist()


@needs_c
def test_the_kernels_refuse_arguments_that_would_read_past_an_array():
    table = _table([["201", "20101"], ["202"]])
    keys, order = table._rows_index(False)
    out = np.empty(2, dtype=np.int64)
    with pytest.raises(ValueError, match="record"):          # a record the chunk does not have
        C.find(keys, order, table.starts, np.array([0, 2]), np.array([0, 0]), 1 << 31, out)
    with pytest.raises(ValueError, match="int64"):           # not int64
        C.find(keys, order, table.starts, np.array([0, 1], dtype=np.int32), np.array([0, 0]), 1 << 31, out)
    with pytest.raises(ValueError, match="lengths"):
        C.find(keys, order[:1], table.starts, np.array([0, 1]), np.array([0, 0]), 1 << 31, out)
    p3, p5 = table.book.prefixes(3), table.book.prefixes(5)
    rank, length = hierarchy._book_order(table.book)
    parent_of = np.empty(table.m, dtype=np.int64)
    args = (table.code_id, table.rec, length, p3, p5, rank, parent_of)
    with pytest.raises(ValueError, match="row"):
        C.parents(np.array([0, 5]), *args)                  # a row past the table
    with pytest.raises(ValueError, match="code id"):
        C.parents(np.array([1]), np.array([0, 10 ** 6, 0]), *args[1:])
    with pytest.raises(ValueError, match="parent row"):
        C.group(np.array([0, 9, -1]), np.empty(3, dtype=np.int64), np.empty(3, dtype=np.int64),
                np.empty(3, dtype=np.int64))
    with pytest.raises(TypeError):
        C.group(np.array([0]))
    readonly = np.zeros(1, dtype=np.int64)
    readonly.flags.writeable = False
    with pytest.raises((TypeError, ValueError, BufferError)):   # an output it cannot write
        C.group(np.array([-1]), np.empty(1, dtype=np.int64), np.empty(1, dtype=np.int64), readonly)


@pytest.fixture(scope="module")
def rows_rules():
    return fiscalrules.compile_rules(ROWS)


# (Both ways in one test, against one per-record report: a test per way evaluated the same records
# per record, and worked out their findings' details, once more for each way.)
BOTH_WAYS = {"kernels": True, "numpy": False}


@pytest.mark.parametrize("seed", range(3))
def test_rules_over_rows_equal_per_record_with_and_without_the_kernels(rows_rules, seed):
    rnd = random.Random(100 + seed)
    records = [_record(rnd, i) for i in range(60)]
    report = rows_rules.evaluate_many(records)
    for way, on in BOTH_WAYS.items():
        with kernel.use(on):
            assert_same(rows_rules, flatten_records(records, rows_rules), records, chunk_rows=17, report=report)


def test_why_the_numpy_code_runs_is_said():
    with kernel.use(False):
        assert kernel.compiled() is None and "turned off" in kernel.why_not()
    assert (kernel.compiled() is None) == (kernel.why_not() is not None)


# ---- decisions and sums --------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from fiscalrules.columnar import arith  # noqa: E402
from fiscalrules.columnar.columns import LIMIT, Num, Unsupported  # noqa: E402
from fiscalrules.values import NO_TOLERANCE  # noqa: E402

OPS = ("=", "!=", "<", "<=", ">", ">=")


def _side(rnd, n: int, big: bool, shape: str):
    """A Num of *n* rows: values near 2**60 when *big*, a half that is 0, an int, a fraction
    (Decimal), or one per row."""
    top = 1 << 60 if big else 50
    if shape == "constant":
        return Num(int(rnd.integers(-top, top)), 0, "money", half=0, bound=top)
    pt = rnd.integers(-top, top, n)
    pt[: n // 3] = pt[n // 3: 2 * (n // 3)]            # ties: exact passes
    half = {"zero": 0, "int": 3, "fraction": Decimal("0.5"), "rows": rnd.integers(0, 4, n)}[shape]
    miss = rnd.random(n) < 0.1
    return Num(pt, 0, "money", half=half, miss=miss if miss.any() else None, bound=top + 4)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("big", [False, True], ids=["small", "near-2**60"])
@pytest.mark.parametrize("n", [0, 1, 37, 1000])
def test_decisions_are_the_numpy_code_s(op, big, n):
    rnd = np.random.default_rng(n * 7 + len(op) + big)
    shapes = ["zero", "int", "fraction", "rows", "constant"]
    for left in shapes:
        for right in shapes:
            if left == right == "constant":
                continue
            a, b = _side(rnd, n, big, left), _side(rnd, n, big, right)
            fast, slow = _both(arith.decide, op, a, b, NO_TOLERANCE, n)
            assert fast.out.dtype == slow.out.dtype == np.int8
            assert fast.out.tolist() == slow.out.tolist(), (left, right)
            assert (fast.miss is None) == (slow.miss is None)
            if fast.miss is not None:
                assert fast.miss.tolist() == slow.miss.tolist()


def test_a_fraction_beside_a_half_per_row_decides_as_decimals_would():
    # |diff| against 0.5 + k per row: passing exactly at k, within rounding up to k (the
    # fraction rounds down), failing past it -- as Decimal arithmetic per row decides.
    a = Num(np.array([10, 12, 13, 14, 10]), 0, "money", half=Decimal("0.5"), bound=20)
    b = Num(np.array([10, 10, 10, 10, 12]), 0, "money", half=np.array([0, 2, 2, 3, 1]), bound=20)
    for on in (True, False):
        with kernel.use(on):
            assert arith.decide("=", a, b, NO_TOLERANCE, 5).out.tolist() == [0, 1, 2, 2, 2]
            assert arith.decide("<", b, a, NO_TOLERANCE, 5).out.tolist() == [1, 0, 0, 0, 2]


@pytest.mark.parametrize("on", [True, False], ids=["kernels", "numpy"])
def test_figures_beyond_64_bits_are_still_refused(on):
    a = Num(np.array([LIMIT - 1]), 0, "money", half=0, bound=LIMIT - 1)
    b = Num(np.array([1]), 0, "money", half=0, bound=1)
    with kernel.use(on), pytest.raises(Unsupported):
        arith.decide("=", a, b, NO_TOLERANCE, 1)
    with kernel.use(on), pytest.raises(Unsupported):
        arith.group_sum(Num(np.array([LIMIT // 2, LIMIT // 2]), 0, "money", half=0, bound=LIMIT // 2),
                        np.array([0, 2]), 1)


@pytest.mark.parametrize("n", [0, 1, 5, 300])
def test_sums_of_groups_are_the_numpy_code_s(n):
    rnd = np.random.default_rng(n)
    counts = rnd.integers(0, 4, n)
    counts[::4] = 0                                      # groups without items
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    m = int(starts[-1])
    # values near 2**60, three at most per group: the prefix sums wrap around, the sums do not
    # (a fraction half: the sums are scaled by 10, so values near 2**55)
    for half, top, factor in ((0, 1 << 60, 1), (Decimal("0.5"), 1 << 55, 10), (rnd.integers(0, 5, m), 1 << 60, 1)):
        values = rnd.integers(-top, top, m)
        items = Num(values, -2, "money", half=half, bound=top)
        fast, slow = _both(arith.group_sum, items, starts, n)
        assert fast.exp == slow.exp and fast.pt.tolist() == slow.pt.tolist()
        assert np.asarray(fast.half).tolist() == np.asarray(slow.half).tolist()
        assert fast.pt.tolist() == [sum(int(v) for v in values[starts[i]:starts[i + 1]]) * factor for i in range(n)]


@needs_c
def test_the_decision_and_sum_kernels_refuse_what_they_cannot_read():
    out = np.empty(3, dtype=np.int8)
    with pytest.raises(ValueError, match="operator"):
        C.decide(6, np.zeros(3, dtype=np.int64), 0, 0, 0, out)
    with pytest.raises(ValueError, match="lengths"):
        C.decide(0, np.zeros(2, dtype=np.int64), 0, 0, 0, out)
    with pytest.raises(OverflowError):
        C.decide(0, np.zeros(3, dtype=np.int64), 1 << 64, 0, 0, out)
    with pytest.raises(ValueError, match="items"):
        C.segment_sums(np.zeros(3, dtype=np.int64), np.array([0, 4]), np.empty(1, dtype=np.int64))
    with pytest.raises(ValueError, match="items"):
        C.segment_sums(np.zeros(3, dtype=np.int64), np.array([2, 1]), np.empty(1, dtype=np.int64))


@pytest.mark.parametrize("n", [0, 1, 50])
def test_statuses_of_conditions_are_the_numpy_code_s(n):
    from fiscalrules.columnar import rulebody
    from fiscalrules.columnar.vectors import Cond
    rnd = np.random.default_rng(n)
    out = rnd.integers(0, 3, n).astype(np.int8)
    masks = [None, rnd.random(n) < 0.2, np.zeros(n, dtype=bool)]
    for miss in masks:
        for err in masks:
            if err is not None and miss is not None and n:
                err = err | (miss & (rnd.random(n) < 0.5))     # both set: the error wins
            for c in (Cond(out, miss, err), Cond(np.broadcast_to(np.int8(2), (n,)), miss, err)):
                fast, slow = _both(rulebody._status, c)
                assert fast.dtype == slow.dtype == np.int8 and fast.tolist() == slow.tolist()
                (fast, fast_open), (slow, slow_open) = _both(
                    lambda c: rulebody._precondition(lambda run, dom: c, None, type("D", (), {"n": n})()), c)
                assert fast.dtype == slow.dtype == np.int8 and fast.tolist() == slow.tolist()
                assert fast_open == slow_open == int((slow < 0).sum())
                # an assertion's statuses put together with its ``when``'s (the records it closed keep theirs)
                closed = rnd.choice(np.array([-1, -1, 3, 4, 5], dtype=np.int8), n)
                fast, slow = _both(rulebody._status, c, closed)
                assert fast.dtype == slow.dtype == np.int8 and fast.tolist() == slow.tolist()
                assert [s for s, w in zip(fast.tolist(), closed.tolist()) if w >= 0] == [w for w in closed.tolist()
                                                                                        if w >= 0]


@needs_c
def test_the_status_kernel_refuses_what_it_cannot_read():
    out = np.zeros(3, dtype=np.int8)
    with pytest.raises(ValueError, match="lengths"):
        C.statuses(out, np.zeros(2, dtype=bool), None, False, np.empty(3, dtype=np.int8))
    with pytest.raises(ValueError, match="int8"):
        C.statuses(np.zeros(3, dtype=np.int64), None, None, False, np.empty(3, dtype=np.int8))
    with pytest.raises(TypeError):
        C.statuses(None, None, None, False, np.empty(3, dtype=np.int8))
    # review 16 A4: outputs of another element type than their values' (a bool result would hold
    # 3, 4, 5; an int64 out was taken as one outcome per byte)
    with pytest.raises(ValueError, match="int8"):
        C.statuses(out, None, None, False, np.empty(3, dtype=bool))
    with pytest.raises(ValueError, match="bool"):
        C.statuses(out, np.zeros(3, dtype=np.int8), None, False, np.empty(3, dtype=np.int8))
    result = np.empty(3, dtype=np.int8)
    with pytest.raises(ValueError, match="lengths"):    # a when's statuses of another length
        C.statuses(out, None, None, False, result, np.zeros(2, dtype=np.int8))
    with pytest.raises(ValueError, match="int8"):
        C.statuses(out, None, None, False, result, np.zeros(3, dtype=bool))
    with pytest.raises(ValueError, match="shares memory"):
        C.statuses(out, None, None, False, result, result)
    with pytest.raises(ValueError, match="int8"):
        C.decide(0, np.arange(16, dtype=np.int64), np.zeros(16, dtype=np.int64), 0, 0, np.zeros(2, dtype=np.int64))


@needs_c
def test_no_output_of_a_kernel_may_be_one_of_its_inputs():
    # review 16 A2: the kernels check an input's indexes, then write their outputs; an output that
    # is also an input rewrote the checked indexes in between (a read past the arrays under ASan)
    code, rows, rec = np.array([0, 1], np.int64), np.array([0, 1], np.int64), np.zeros(2, np.int64)
    length, p3, p5, rank = (np.array(v, np.int64) for v in ([3, 5], [-1, 0], [-1, -1], [0, 1]))
    with pytest.raises(ValueError, match="parent_of shares memory with code"):
        C.parents(rows, code, rec, length, p3, p5, rank, code)
    parent_of, grouped, counts = np.array([0, 0], np.int64), np.empty(2, np.int64), np.empty(2, np.int64)
    with pytest.raises(ValueError, match="starts shares memory with parent_of"):
        C.group(parent_of, grouped, parent_of, counts)
    shared = np.empty(4, np.int64)   # two outputs in one array, overlapping by a half
    with pytest.raises(ValueError, match="shares memory"):
        C.group(parent_of, grouped, shared[:2], shared[1:3])
    assert C.group(parent_of, grouped, shared[:2], shared[2:]) == 2   # side by side: fine
    assert grouped.tolist() == [0, 1] and shared.tolist() == [0, 2, 2, 0]   # starts, counts


WHEN_ROWS = '''
unit 万元
field total: amount
field fn: table(code: text, name: text, total: amount, basic: amount, project: amount)
field gn: table(code: text, total: amount)
rule W1 { when total > 150 assert for each r in fn: r.total >= r.basic }
rule W2 { when present(total) and total < 300 assert for each r in fn where r.basic > 5: r.total = r.basic + r.project }
rule W3 { when present(gn) assert for each r in fn where present(gn[r.code]): r.total <= gn[r.code].total }
rule W4: for each r in fn where level(r) = 1: r.total >= 0
'''


@pytest.mark.parametrize("seed", range(3))
def test_rules_over_rows_after_a_when_equal_per_record_both_ways(seed):
    """A per-row rule's findings when its ``when`` closes some records (not applicable, not
    evaluable, error) before any row is read: their rows give no finding, the others' rows do."""
    rules = fiscalrules.compile_rules(WHEN_ROWS)
    rnd = random.Random(200 + seed)
    records = [_record(rnd, i) for i in range(60)]
    for record in records[::7]:
        record.pop("total")                     # the when stops: not evaluable
    for record in records[3::11]:
        record["total"] = "n/a"                 # the when stops: an error
    report = rules.evaluate_many(records)
    for way, on in BOTH_WAYS.items():
        with kernel.use(on):
            result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=17, report=report)
        assert {CODES[c] for c in result.statuses("W1")} >= {"not_applicable", "not_evaluable", "error"}, way
