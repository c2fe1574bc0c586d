"""Review 17 A's findings on the columnar reading of decimal columns, each a test that failed before
its fix: a decimal128 column is not held to its precision by Arrow (a Parquet file's 16-byte cells
may pass it), so its high words are read and its bound taken from its values (B1, B5); the C loop
that dictionary-codes int64 values cannot be slowed to quadratic time by values aimed at its hash
(B2); an empty key column with no offsets buffer is read (B4)."""

from __future__ import annotations

import struct

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import rowloops  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

HEADER = 'ruleset r "r" "r"\n'


def _decimals(precision: int, words: list) -> "pa.Array":
    """A decimal128(precision, 0) array of the given (low, high) 64-bit words, whatever they hold."""
    data = b"".join(struct.pack("<qq", low, high) for low, high in words)
    return pa.Array.from_buffers(pa.decimal128(precision, 0), len(words), [None, pa.py_buffer(data)])


def test_a_text_cell_past_its_precision_is_not_read_as_its_low_word():
    """5 + 2**64 in a decimal(10, 0) column is that number, not 5 (B1)."""
    rules = fiscalrules.compile_rules(HEADER + 'field doc.code "code": text\n'
                                      'rule C-1 "c" "c": doc.code != "5"\n')
    table = pa.table({"code": _decimals(10, [(5, 0), (5, 1), (7, 0)] * 3)})
    assert table.column("code").to_pylist()[1] == 5 + 2 ** 64
    report = rules.evaluate_table(table)
    assert report.statuses("C-1").tolist()[:3] == [2, 0, 0]     # fail, pass, pass
    assert_same(rules, table, table, chunk_rows=4)


def test_an_amount_past_its_precision_is_not_read_as_its_low_word():
    rules = fiscalrules.compile_rules(HEADER + 'field doc.amt "amt": amount\n'
                                      'rule A-1 "a" "a": doc.amt < 10\n')
    table = pa.table({"amt": _decimals(10, [(5, 0), (5, 1), (7, 0)])})
    assert_same(rules, table, table)


def test_a_bound_comes_from_the_values_not_the_type():
    """5e18 in a decimal(10, 0) column: a + b would wrap in int64 under the type's bound (B5)."""
    rules = fiscalrules.compile_rules(HEADER + 'field doc.a "a": amount\nfield doc.b "b": amount\n'
                                      'rule S-1 "s" "s": doc.a + doc.b > 0\n')
    big = 5 * 10 ** 18
    column = _decimals(10, [(big, 0), (1, 0)])
    table = pa.table({"a": column, "b": column})
    assert_same(rules, table, table)
    assert set(rules.evaluate_table(table).statuses("S-1").tolist()) == {0}


def _aimed(count: int, bits: int) -> np.ndarray:
    """*count* distinct int64 values whose Fibonacci hashes share their top *bits* bits."""
    inverse = pow(0x9E3779B97F4A7C15, -1, 1 << 64)
    words = [((7 << (64 - bits)) + k) * inverse % (1 << 64) for k in range(count)]
    return np.array(words, dtype=np.uint64).view(np.int64)


def test_values_aimed_at_the_c_hash_are_coded_by_arrow_instead():
    """A probe chain longer than the C loop allows gives -2, and int_codes answers as its twin (B2)."""
    c = rowloops.compiled()
    if c is None:
        pytest.skip(f"the C loops are not built: {rowloops.why_not()}")
    values = np.repeat(_aimed(500, 10), 3)       # limit 500: 1,024 slots, the top 10 bits
    codes, distinct = np.empty(len(values), np.int64), np.empty(500, np.int64)
    assert c.int_codes(values, None, codes, distinct) == -2
    got, want = rowloops.int_codes(values, None, 500), rowloops._int_codes(values, None, 500)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert len(got[1]) == 500


def test_values_equal_modulo_2_to_the_36_are_coded_in_one_probe_each():
    """The hash once kept only the low 36 bits of a value: k * 2**36 shared one chain."""
    c = rowloops.compiled()
    if c is None:
        pytest.skip(f"the C loops are not built: {rowloops.why_not()}")
    values = np.arange(1, 4097, dtype=np.int64) << 36
    codes, distinct = np.empty(len(values), np.int64), np.empty(len(values), np.int64)
    assert c.int_codes(values, None, codes, distinct) == len(values)    # (the low-bits hash: one 4,096-long chain)
    assert np.array_equal(distinct, values) and np.array_equal(codes, np.arange(len(values)))


def test_an_empty_key_column_without_offsets_is_read():
    keys = pa.Array.from_buffers(pa.string(), 0, [None, None, pa.py_buffer(b"")])
    ids = pa.array(["a", "b"])
    assert rowloops.records_in_order(keys, ids).tolist() == []


def test_the_reading_loops_refuse_an_output_sharing_memory_with_another_argument():
    """An output that is also an input was written while it was read: wrong codes, silently (B3)."""
    c = rowloops.compiled()
    if c is None:
        pytest.skip(f"the C loops are not built: {rowloops.why_not()}")
    values = np.array([3, 3, 5, 7], np.int64)
    shared = np.empty(4, np.int64)
    offsets, data = np.array([0, 1, 3, 3, 6], np.int32).tobytes(), b"ab12-3"
    refused = [
        lambda: c.int_codes(values, None, shared, shared),                       # codes = distinct
        lambda: c.int_codes(values, None, values, np.empty(4, np.int64)),        # codes = values
        lambda: c.int_codes(values, None, np.empty(4, np.int64), values),        # distinct = values
        lambda: c.plain_numbers(offsets, data, 0, 4, False, None, np.empty(4, bool), shared, shared),
        lambda: c.plain_numbers(offsets, data, 0, 4, False, None, np.empty(4, bool), shared[:4], shared[:4]),
    ]
    keys = bytearray(np.array([0, 1, 2, 3, 4, 0, 0, 0], np.int32).tobytes())
    ids_offsets, ids = np.array([0, 1, 3], np.int32).tobytes(), b"ab1"
    refused.append(lambda: c.records_in_order(keys, b"aaaa", 0, 4, False, ids_offsets, ids, 0, 2, False,
                                              memoryview(keys)))
    for call in refused:
        with pytest.raises(ValueError, match="shares memory"):
            call()
    codes, distinct = np.empty(4, np.int64), np.empty(4, np.int64)
    assert c.int_codes(values, None, codes, distinct) == 3 and codes.tolist() == [0, 0, 1, 2]
