"""The quick bound on what a streamed Parquet batch decodes to (``bounds._batch_bound``) is never
below the exact count, record by record (``bounds._element_bytes``), which a batch over the caps
is counted by: a bound under it would let a batch past the caps unchecked.  Its bound functions
are made once per schema (session 35): a batch of another schema gets its own."""

from __future__ import annotations

import pyarrow as pa
import pytest

from fiscalrules.columnar import bounds


def _texts(values, large=False):
    array = pa.array(values, type=pa.large_string() if large else pa.string())
    return array.dictionary_encode()


def _batches():
    figure = pa.struct([("value", pa.string()), ("unit", pa.string())])
    coded_figure = pa.StructArray.from_arrays(
        [_texts(["1,150.00", None, "80.00", "1,150.00"]), _texts(["万元", "万元", None, "万元"], large=True)],
        names=["value", "unit"])
    rows = pa.array([[{"value": "1.00", "unit": "万元"}], [], None, [{"value": "22.50", "unit": None}] * 3],
                    type=pa.list_(figure))
    yield pa.record_batch({"id": pa.array(["a", "b", "c", "d"]), "total": coded_figure, "rows": rows,
                           "count": pa.array([1, None, 3, 4], type=pa.int64())})
    # another schema: sliced dictionaries (an offset into their offsets), a dictionary of numbers
    sliced = _texts(["长的文字" * 50, "x", "yy", "x", "zzz"]).slice(1, 3)
    numbers = pa.array([5, 5, 7]).dictionary_encode()
    yield pa.record_batch({"text": sliced, "number": numbers, "big": pa.array([b"a" * 1000, b"", None])})


@pytest.mark.parametrize("batch", list(_batches()), ids=["figures", "sliced"])
def test_the_bound_is_never_below_the_exact_count(batch):
    exact = sum(int(bounds._element_bytes(column).sum()) for column in batch.columns)
    assert bounds._batch_bound(batch) >= exact > 0


def test_the_bound_of_a_dictionary_counts_each_index_as_its_longest_text():
    batch = pa.record_batch({"text": _texts(["ab", "abcdef", "ab", "ab"])})
    assert bounds._batch_bound(batch) == 4 * (6 + 8)
    # a slice of the dictionary's texts: only its own offsets count (the long first text is out)
    sliced = pa.DictionaryArray.from_arrays(pa.array([0, 1, 1], type=pa.int32()),
                                            pa.array(["长" * 100, "abc", "a"]).slice(1))
    assert bounds._batch_bound(pa.record_batch({"text": sliced})) == 3 * (3 + 8)


def test_each_schema_gets_its_own_bound_functions():
    first, second = list(_batches())
    expected = [bounds._batch_bound(first), bounds._batch_bound(second)]
    assert [bounds._batch_bound(first), bounds._batch_bound(second)] == expected
    assert expected[0] != expected[1]
    assert bounds._batch_bound(first.slice(0, 2)) < expected[0]
