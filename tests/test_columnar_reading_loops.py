"""The columnar reading's row loops (fiscalrules.columnar.rowloops): the C loops of
``fiscalrules._ccolumns`` and their numpy twins give the same results -- on arrays made to be
awkward (slices, empty and long texts, large strings, keys out of order), and over whole
evaluations of records with their tables, where a long frame's runs of record keys and the
order of each record's codes decide which rows are whose and which records are unreadable."""

from __future__ import annotations

import copy
import functools
import random

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records, rowloops  # noqa: E402
from fiscalrules.records import load_record  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.damage import damage  # noqa: E402
from fiscalrules.testing.tables import typed_table  # noqa: E402
from columnar_equivalence import assert_same, ruleset_of, sources  # noqa: E402

C = rowloops.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C loops are not used here: {rowloops.why_not()}")


@pytest.fixture(params=["c", "numpy"])
def loops(request, monkeypatch):
    """Each test once with the C loops (where built) and once with numpy's."""
    if request.param == "numpy":
        monkeypatch.setattr(rowloops, "_choose", functools.cache(lambda: (None, "the test asks for numpy")))
    elif C is None:
        pytest.skip(f"the C loops are not used here: {rowloops.why_not()}")
    return request.param


def _runs_by_hand(cells: list) -> list:
    return [i for i, cell in enumerate(cells) if i == 0 or cell != cells[i - 1]]


def _awkward_keys(rnd: random.Random, n: int, large: bool):
    words = ["", "a", "ab", "r1", "r10", "记录", "c12-r3", "x" * 40]
    cells = []
    while len(cells) < n:
        cells.extend([rnd.choice(words) + str(rnd.randrange(3))] * rnd.randrange(1, 5))
    array = pa.array(cells[:n], pa.large_string() if large else pa.string())
    start = rnd.randrange(3)
    return array.slice(start), cells[start:n]


@pytest.mark.parametrize("seed", range(12))
def test_string_runs_are_where_the_key_changes(loops, seed):
    rnd = random.Random(seed)
    array, cells = _awkward_keys(rnd, rnd.randrange(0, 60), large=seed % 2 == 1)
    expected = _runs_by_hand(cells)
    assert rowloops.string_runs(array, len(cells)).tolist() == expected
    if expected:   # more runs than the limit: None, as _runs_of then reads every row
        assert rowloops.string_runs(array, len(expected) - 1) is None


def test_string_runs_of_empty_texts_and_nulls(loops):
    assert rowloops.string_runs(pa.array(["", "", "a", "a", ""]), 5).tolist() == [0, 2, 4]
    # a null cell starts a run of its own (Arrow's comparison with a null is null: a change)
    assert rowloops.string_runs(pa.array([None, None, "a", None]), 4).tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("seed", range(12))
def test_ordered_is_strictly_increasing_by_two_keys(loops, seed):
    rnd = random.Random(seed)
    n = rnd.randrange(0, 40)
    first = np.sort(np.array([rnd.randrange(5) for _ in range(n)], dtype=np.int64))
    second = np.array([rnd.randrange(6) for _ in range(n)], dtype=np.int64)
    lut = np.array(rnd.sample(range(100), 6), dtype=np.int64)
    if seed % 3 == 0:   # rows already in order: what a flattened frame gives
        order = np.lexsort((lut[second], first))
        first, second = first[order], second[order]
        keep = np.ones(n, dtype=bool)
        keep[1:] = (first[1:] != first[:-1]) | (lut[second][1:] != lut[second][:-1])
        first, second = first[keep], second[keep]
    pairs = list(zip(first.tolist(), lut[second].tolist()))
    assert rowloops.ordered(first, second, lut) == all(a < b for a, b in zip(pairs, pairs[1:]))
    plain = list(zip(first.tolist(), second.tolist()))
    assert rowloops.ordered(first, second) == all(a < b for a, b in zip(plain, plain[1:]))


def _records_by_hand(keys: list, ids: list):
    """Each key's record number, where the keys' runs name records in the ids' order; else None."""
    numbers = [ids.index(key) if key in ids else None for key in keys]
    if None in numbers:
        return None
    runs = [n for i, n in enumerate(numbers) if i == 0 or keys[i] != keys[i - 1]]
    return numbers if all(a < b for a, b in zip(runs, runs[1:])) else None


@pytest.mark.parametrize("seed", range(16))
def test_records_in_order_are_the_ids_each_run_names(loops, seed):
    """Keys in runs naming some of the (distinct) ids in their order: each row's record number;
    keys out of order, naming an id twice apart, or naming no id: None.  Slices, large strings,
    ids of 8, 9-16 and more bytes (compared by words)."""
    rnd = random.Random(seed)
    words = ["", "a", "r1", "r10", "记录", "c12-r3456", "c12-r34567", "x" * 17, "y" * 40]
    ids = list(dict.fromkeys(rnd.choice(words) + str(rnd.randrange(50)) for _ in range(rnd.randrange(1, 30))))
    chosen = sorted(rnd.sample(range(len(ids)), rnd.randrange(0, len(ids) + 1)))
    keys = [ids[i] for i in chosen for _ in range(rnd.randrange(1, 4))]
    if seed % 4 == 1 and len(keys) > 2:    # out of order
        keys[0], keys[-1] = keys[-1], keys[0]
    elif seed % 4 == 2:                    # a key naming no record
        keys.insert(rnd.randrange(len(keys) + 1), "nobody")
    elif seed % 4 == 3 and keys:           # a record's rows in two runs
        keys.append(keys[0])
    start = rnd.randrange(3)
    array = pa.array(["pad"] * start + keys, pa.large_string() if seed % 2 else pa.string()).slice(start)
    id_array = pa.array(["pad"] * 2 + ids, pa.string() if seed % 3 else pa.large_string()).slice(2)
    found = rowloops.records_in_order(array, id_array)
    expected = _records_by_hand(keys, ids)
    assert (found.tolist() if found is not None else None) == expected
    if seed % 4 == 0:
        assert expected is not None


def test_records_in_order_of_null_keys_or_ids_is_none(loops):
    assert rowloops.records_in_order(pa.array(["a", None]), pa.array(["a", "b"])) is None
    assert rowloops.records_in_order(pa.array(["a"]), pa.array([None, "a"])) is None
    assert rowloops.records_in_order(pa.array([], pa.string()), pa.array(["a"])).tolist() == []


@pytest.mark.parametrize("seed", range(10))
def test_int_codes_are_first_appearance_codes(loops, seed):
    """Each value's index into the distinct values in order of first appearance (a null's: their
    number), extreme int64 values and colliding hashes included; None past the limit."""
    rnd = random.Random(seed)
    pool = [0, -1, 1, 2 ** 63 - 1, -2 ** 63, 1 << 40, 3 << 40] + [rnd.randrange(-10 ** 6, 10 ** 6) for _ in range(5)]
    values = np.array([rnd.choice(pool) for _ in range(rnd.randrange(0, 200))], dtype=np.int64)
    valid = np.array([rnd.random() > 0.2 for _ in values], dtype=bool) if seed % 2 else None
    given = values.tolist() if valid is None else [v for v, ok in zip(values.tolist(), valid.tolist()) if ok]
    distinct = list(dict.fromkeys(given))
    codes, found = rowloops.int_codes(values, valid, len(pool))
    assert found.tolist() == distinct
    assert codes.tolist() == [distinct.index(v) if valid is None or ok else len(distinct)
                              for v, ok in zip(values.tolist(), valid.tolist() if valid is not None else values)]
    if distinct:
        assert rowloops.int_codes(values, valid, len(distinct) - 1) is None


@needs_c
def test_the_c_loops_refuse_what_is_outside_their_buffers():
    with pytest.raises(ValueError):
        C.ordered(np.array([0, 1], dtype=np.int64), np.array([0, 7], dtype=np.int64), np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError):
        C.string_runs(np.array([0, 5, 99], dtype=np.int32).tobytes(), b"abcde", 0, 2, False,
                      np.zeros(2, dtype=np.int64), 2)
    bad_offsets = np.array([0, 1, 99], dtype=np.int32).tobytes()
    with pytest.raises(ValueError):   # a key's bytes outside its data
        C.records_in_order(bad_offsets, b"ab", 0, 2, False, bad_offsets, b"ab", 0, 1, False,
                           np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError):   # fewer codes than values
        C.int_codes(np.zeros(3, dtype=np.int64), None, np.zeros(2, dtype=np.int64), np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError):   # a cell's bytes outside the data
        C.plain_numbers(bad_offsets, b"12", 0, 2, False, None, np.zeros(2, dtype=bool), np.zeros(2, dtype=np.int64),
                        np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError):   # more keys than their offsets give
        C.records_in_order(bad_offsets, b"ab", 0, 3, False, bad_offsets, b"ab", 0, 1, False,
                           np.zeros(3, dtype=np.int64))
    # review 16 A1: sizes so large that checking them by multiplying overflowed (a huge limit wrote
    # past *starts*; a huge first read far past the offsets: abort / signal 11 before)
    import sys
    offsets = np.array([0, 1, 2, 3, 4], dtype=np.int32).tobytes()
    with pytest.raises(ValueError):
        C.string_runs(offsets, b"abcd", 0, 4, False, np.empty(1, dtype=np.int64), sys.maxsize // 8 + 1)
    for first in (sys.maxsize // 4, sys.maxsize // 4 + 1, sys.maxsize):
        with pytest.raises(ValueError):
            C.string_runs(offsets, b"abcd", first, 1, False, np.empty(4, dtype=np.int64), 4)
    for first in (sys.maxsize // 4, sys.maxsize // 4 + 1, sys.maxsize):   # (as string_runs above)
        with pytest.raises(ValueError):
            C.records_in_order(offsets, b"abcd", first, 1, False, offsets, b"abcd", 0, 1, False,
                               np.zeros(1, dtype=np.int64))
        with pytest.raises(ValueError):
            C.records_in_order(offsets, b"abcd", 0, 1, False, offsets, b"abcd", first, 1, False,
                               np.zeros(1, dtype=np.int64))
    with pytest.raises(ValueError):
        C.records_in_order(offsets, b"abcd", 0, sys.maxsize, False, offsets, b"abcd", 0, 1, False,
                           np.zeros(1, dtype=np.int64))


def _typed_as_printed(table):
    """``typed_table`` of *table*, but a text column whose numbers print different numbers of
    decimals stays text: a decimal128 column pads ``3.8`` to ``3.80``, which a ruleset's
    ``precision % 1`` (as printed) then holds to ± 0.005 where the record's ``3.8`` is held to
    ± 0.05 -- the typed frame would not be the records compared with."""
    import re
    typed = typed_table(table)
    decimals = re.compile(r"-?\d+(?:\.(\d+))?")
    keep = []
    for name in table.column_names:
        if typed.column(name).type == table.column(name).type:
            continue
        places = {len((decimals.fullmatch(v).group(1) or "")) for v in table.column(name).to_pylist() if v is not None}
        if len(places) > 1:
            keep.append(name)
    for name in keep:
        at = typed.column_names.index(name)
        typed = typed.set_column(at, name, table.column(name))
    return typed


@pytest.mark.parametrize("source", [p for p in sources() if "budget" in p.id or "demo" in p.id])
@pytest.mark.parametrize("seed", [3, 8])
def test_tables_by_record_id_read_alike_either_way(source, seed, monkeypatch):
    """Long frames naming their records by id (runs of keys looked up), in chunks: damaged
    records that stay readable, and one whose table gives a code twice (unreadable).  The report
    of each way of reading -- the C loops (where built) and numpy's -- has the per-record report's
    counts, and the two give the same statuses.  (One test for both ways, not one per way of the
    ``loops`` fixture: each of those two ran both ways, on the same records, frames and
    per-record report, made twice -- about half of the module's CPU.)"""
    ruleset = ruleset_of(source)
    rnd = random.Random(seed)
    records = []
    for i in range(6):
        record = generate_record(ruleset, rnd=rnd, rounded=True)
        for _ in range(10):   # damage a typed frame can hold (as bench_ruleset_table draws it)
            damaged = damage(copy.deepcopy(record), rnd, 0.02, duplicate_rows=False)
            try:
                load_record(damaged)
            except fiscalrules.FiscalRulesError:
                continue
            record = damaged
            break
        record.setdefault("_meta", {})["id"] = f"r{i}"
        records.append(record)
    flat = flatten_records(records, ruleset)
    tables = {path: _typed_as_printed(frame) for path, frame in flat.tables.items()}
    report = ruleset.evaluate_many(records)
    assert not any(info.error for info in report.records)
    ways = ["c", "numpy"] if C is not None else ["numpy"]
    results = {}
    for way in ways:
        with monkeypatch.context() as other:
            if way == "numpy":   # (the C loops: the default, where built)
                other.setattr(rowloops, "_choose", functools.cache(lambda: (None, "the test asks for numpy")))
            # (typed frames hold cells as numbers: the statuses and counts are the records' -- as
            # bench_ruleset_table checks them -- and identical to the run of the other loops)
            result = results[way] = ruleset.evaluate_table(_typed_as_printed(flat.records), tables=tables, chunk_rows=2)
        assert report.counts() == {k: v for k, v in result.summary()["total"].items() if v and k != "items"}, way
        assert not result._unreadable, way
    if C is None:
        pytest.skip(f"numpy's loops checked alone: the C loops are not used here: {rowloops.why_not()}")
    result, again = results["c"], results["numpy"]
    for rule_id in result.rule_ids:
        assert (result.statuses(rule_id) == again.statuses(rule_id)).all(), rule_id
        assert result.counts[rule_id] == again.counts[rule_id], rule_id


RULES = """
unit 万元
precision 万元 0.01
field total: amount
field fn: table(code: text, total: amount)
rule T1 "the rows add up": total = sum(r.total for r in fn)
"""


def test_a_code_given_twice_makes_its_record_unreadable_either_way(loops, tmp_path):
    """Rows by record id, out of code order in some records; r1 and r3 give a code twice (r3's
    two far apart, in the second chunk): those two records alone are unreadable."""
    path = tmp_path / "t.rules"
    path.write_text(RULES, encoding="utf-8")
    ruleset = fiscalrules.load_ruleset(str(path))
    frame = pa.table({"_meta.id": ["r0", "r1", "r2", "r3"], "total": ["3", "3", "3", "6"]})
    keys = ["r0", "r0", "r1", "r1", "r2", "r2", "r3", "r3", "r3"]
    codes = ["2", "1", "1", "1", "1", "2", "3", "1", "3"]
    totals = ["1", "2", "1", "2", "1", "2", "1", "2", "3"]
    tables = {"fn": pa.table({"_record": keys, "code": codes, "total": totals})}
    records = []
    for i in range(4):
        rows = [{"code": c, "total": t} for k, c, t in zip(keys, codes, totals) if k == f"r{i}"]
        records.append({"_meta": {"id": f"r{i}"}, "total": frame.column("total")[i].as_py(), "fn": rows})
    result = assert_same(ruleset, frame, records, tables=tables, chunk_rows=2)
    assert sorted(result._unreadable) == [1, 3]


def _awkward_texts(rnd: random.Random, n: int, large: bool):
    """Texts of every length a word load meets (0-40 bytes, multi-byte characters, texts that
    differ only past their first word or only in length), nulls, a sliced array."""
    words = ["", "a", "ab", "1.50", "12345678", "123456789", "12345678x", "公共安全支出", "公共安全·03",
             "x" * 40, "x" * 41, "x" * 39 + "y", None]
    cells = [rnd.choice(words) for _ in range(n)]
    array = pa.array(cells, pa.large_string() if large else pa.string())
    start = rnd.randrange(3) if n else 0
    return array.slice(start)


@pytest.mark.parametrize("seed", range(12))
def test_string_codes_are_arrows_dictionary_coding(loops, seed):
    """The same dictionary (distinct texts in order of first appearance) and indices (a null
    cell's null) as Arrow's dictionary_encode, C loop or not."""
    rnd = random.Random(seed)
    array = _awkward_texts(rnd, rnd.randrange(0, 300), large=seed % 2 == 1)
    coded = rowloops.string_codes(array)
    assert coded.equals(array.dictionary_encode())
    assert coded.to_pylist() == array.to_pylist()


def test_string_codes_of_many_distinct_texts_grow_the_table(loops):
    """Thousands of distinct texts (the C table doubles many times) and texts ending at the
    very end of their buffer (no word is read past it)."""
    cells = [f"t{i % 5000}" for i in range(12000)] + ["end"]
    array = pa.array(cells)
    coded = rowloops.string_codes(array)
    assert coded.equals(array.dictionary_encode()) and len(coded.dictionary) == 5001
    tail = pa.array(["abc", "abcdefghij", "abc"]).slice(1)
    assert rowloops.string_codes(tail).equals(tail.dictionary_encode())
    for nulls in (pa.array([None] * 300, pa.string()), pa.array([None, ""] * 200)):   # (an empty dictionary; "" beside nulls)
        assert rowloops.string_codes(nulls).equals(nulls.dictionary_encode())


@needs_c
def test_string_codes_past_its_limit_or_refused_arguments():
    offsets = np.array([0, 1, 2, 3], dtype=np.int32).tobytes()
    codes, firsts = np.empty(3, dtype=np.int32), np.empty(2, dtype=np.int64)
    assert C.string_codes(offsets, b"abc", 0, 3, False, None, codes, firsts) == -1   # 3 texts, room for 2
    assert C.string_codes(offsets, b"aba", 0, 3, False, None, codes, firsts) == 2
    assert codes.tolist() == [0, 1, 0] and firsts.tolist() == [0, 1]
    valid = np.array([True, False, True])
    assert C.string_codes(offsets, b"abc", 0, 3, False, valid, codes, firsts) == 2 and codes.tolist() == [0, 0, 1]
    bad_offsets = np.array([0, 1, 99], dtype=np.int32).tobytes()
    with pytest.raises(ValueError):   # a cell's bytes outside the data
        C.string_codes(bad_offsets, b"ab", 0, 2, False, None, np.empty(2, np.int32), np.empty(2, np.int64))
    with pytest.raises(ValueError):   # fewer codes than cells
        C.string_codes(offsets, b"abc", 0, 3, False, None, np.empty(2, np.int32), np.empty(3, np.int64))
    with pytest.raises(ValueError):   # more cells than their offsets give
        C.string_codes(offsets, b"abc", 0, 4, False, None, np.empty(4, np.int32), np.empty(4, np.int64))
    shared = np.empty(4, dtype=np.int64)
    with pytest.raises(ValueError):   # codes written over firsts
        C.string_codes(offsets, b"abc", 0, 3, False, None, shared.view(np.int32), shared)
    with pytest.raises(ValueError):   # misaligned codes
        C.string_codes(offsets, b"abc", 0, 3, False, None, np.frombuffer(bytearray(13), np.int32, 3, 1),
                       np.empty(3, np.int64))
    import sys
    for first in (sys.maxsize // 4, sys.maxsize):
        with pytest.raises(ValueError):
            C.string_codes(offsets, b"abc", first, 1, False, None, np.empty(1, np.int32), np.empty(1, np.int64))


def _text_hash(text: bytes) -> int:
    """_ccolumns.c's text_hash of a text of at most 8 bytes (its first word the whole text)."""
    m = (1 << 64) - 1
    h = ((0x9E3779B97F4A7C15 ^ len(text)) + int.from_bytes(text, "little")) & m
    h = ((h ^ (h >> 31)) * 0xBF58476D1CE4E5B9) & m
    return (h * 0x9E3779B97F4A7C15) & m


@needs_c
def test_string_codes_of_texts_aimed_at_the_hash_are_arrows():
    """Texts whose hashes share their top 10 bits fill one probe chain (the table's slots are
    those bits while it is small): past MAX_PROBES the C loop gives up (-2) and the coding is
    Arrow's, the same."""
    aimed, i = [], 0
    while len(aimed) < 70:
        text = b"k%07d" % i
        if _text_hash(text) >> 54 == 0x155:
            aimed.append(text.decode())
        i += 1
    array = pa.array(aimed * 2)
    offsets, data = array.buffers()[1], array.buffers()[2]
    codes, firsts = np.empty(len(array), np.int32), np.empty(len(array), np.int64)
    assert C.string_codes(offsets, data, 0, len(array), False, None, codes, firsts) == -2
    assert rowloops.string_codes(array).equals(array.dictionary_encode())


def _chunks_of(array, rnd: random.Random):
    """*array* cut into a column of 0-4 chunks at random places (an empty chunk among them at times)."""
    cuts = sorted(rnd.randrange(len(array) + 1) for _ in range(rnd.randrange(4)))
    bounds = [0] + cuts + [len(array)]
    return pa.chunked_array([array.slice(lo, hi - lo) for lo, hi in zip(bounds, bounds[1:])], array.type)


@pytest.mark.parametrize("seed", range(16))
def test_a_column_of_chunks_is_read_as_the_column_combined(loops, seed):
    """A column as Feather, Parquet and DuckDB hand it over (chunks) is read chunk by chunk --
    the plain amounts' verdict and figures, a decimal128 column's int64 values -- to what the
    column combined gives: rows numbered across the chunks, the limit on the other cells the
    column's, the least and greatest exponent those of the chunks that hold a plain amount."""
    rnd = random.Random(seed)
    words = ["1.50", "-2", "0.005", "12", None, "x", "1,000", "", "7.1234", "3"]
    texts = pa.array([rnd.choice(words) for _ in range(rnd.randrange(0, 60))])
    column = _chunks_of(texts, rnd)
    for limit in (0, 2, 5, 1000):
        rows, whole = rowloops.plain_verdict(column, limit), rowloops.plain_verdict(texts, limit)
        assert (rows is None) == (whole is None) and (rows is None or rows.tolist() == whole.tolist())
        read, whole = rowloops.plain_figures(column, limit), rowloops.plain_figures(texts, limit)
        assert (read is None) == (whole is None)
        if read is not None:
            assert [r.tolist() for r in read[:3]] == [w.tolist() for w in whole[:3]] and read[3:] == whole[3:]
    cells = [rnd.choice([0, 1, -5, 10 ** 17, 2 ** 63, None]) for _ in range(rnd.randrange(0, 60))]
    decimals = pa.Array.from_buffers(pa.decimal128(38, 0), len(cells), [
        pa.py_buffer(np.packbits([c is not None for c in cells], bitorder="little").tobytes()),
        pa.py_buffer(b"".join(((c or 0) % (1 << 128)).to_bytes(16, "little") for c in cells))])
    column = _chunks_of(decimals, rnd)
    present = np.array([c is not None for c in cells], dtype=bool)
    found, whole = rowloops.decimal128_low(column, present), rowloops.decimal128_low(decimals, present)
    assert (found is None) == (whole is None)
    if found is not None:
        assert found[0].tolist() == whole[0].tolist() and found[1] == whole[1]
