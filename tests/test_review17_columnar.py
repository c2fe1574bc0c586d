"""Review 17 B's findings on the columnar engine, each a test that failed before its fix: the
records found failing in a Parquet chunk are taken from it without unifying every dictionary of the
chunk (B3: quadratic with unique ids)."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar.nested import table_chunks  # noqa: E402

SMALL = ('unit 万元\nprecision 万元 0.01\nfield total "合计": amount\nfield a: amount\n'
         'field b: amount default 0\nrule SUM: total = a + b\n')


def _unique_ids(path, n: int) -> None:
    """n records with unique text ids, one in seven failing SUM; written without dictionaries, as
    a writer does once a column's dictionary passes its page limit (1 MB: ~100k unique ids), so
    that each batch read is given its own."""
    pq.write_table(pa.table({"_id": [f"r{i + 1}" for i in range(n)],
                             "合计": [f"{3 + (i % 7 == 0)}.00" for i in range(n)],
                             "a": ["1.00"] * n, "b": ["2.00"] * n}), str(path), use_dictionary=False)


def test_failing_records_are_taken_within_the_batches_of_a_parquet_chunk(tmp_path):
    """A Parquet chunk is read in batches, each text column with its own dictionary; the failing
    records are taken batch by batch, so a block of them does not unify the dictionaries of
    batches it takes nothing from (B3: 1.5 CPU-s a block for 131,072 unique ids)."""
    _unique_ids(tmp_path / "u.parquet", 5000)
    [(chunk, first)] = list(table_chunks(tmp_path / "u.parquet", None))
    assert first == 0 and chunk.column("_id").num_chunks >= 4      # several batches, one dictionary each
    assert pa.types.is_dictionary(chunk.schema.field("_id").type)
    rules = fiscalrules.compile_rules(SMALL)
    report = rules.evaluate_table(chunk)
    rows = [0, 7, 14, 4991, 4998]                          # in the first and the last batch only
    taken, _ = report.source.take_frames(rows)
    assert taken.column("_id").to_pylist() == ["r1", "r8", "r15", "r4992", "r4999"]
    assert taken.to_pydict() == chunk.take(pa.array(rows)).to_pydict()
    # (the reader's dictionaries grow batch by batch: 1,024 texts, 2,048, ... -- unifying them all
    # is quadratic in the chunk)  Taken: each batch's rows with that batch's dictionary, as it is
    batches = chunk.column("_id").chunks
    assert [len(c) for c in taken.column("_id").chunks] == [3, 2]
    assert [_texts(c.dictionary) for c in taken.column("_id").chunks] == \
        [_texts(batches[0].dictionary), _texts(batches[-1].dictionary)]


def _texts(dictionary) -> int:
    """Where a dictionary's texts are held: the same buffer is the same dictionary, not a copy."""
    return dictionary.buffers()[2].address


def test_findings_of_a_parquet_file_with_unique_ids_are_those_of_the_same_records_read_whole(tmp_path):
    """The failing records' findings (read from the chunk's batches) are those of the same
    records as one plain table."""
    _unique_ids(tmp_path / "u.parquet", 3000)
    rules = fiscalrules.compile_rules(SMALL)
    [(chunk, _)] = list(table_chunks(tmp_path / "u.parquet", None))
    plain = pq.read_table(str(tmp_path / "u.parquet"))
    streamed, whole = rules.evaluate_table(chunk), rules.evaluate_table(plain)
    assert [(f.record, f.rule, f.status, f.message) for f in streamed.findings()] == \
        [(f.record, f.rule, f.status, f.message) for f in whole.findings()]
    assert sum(1 for f in streamed.findings() if f.status == "fail") == 429
