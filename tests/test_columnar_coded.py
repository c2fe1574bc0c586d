"""Text columns coded as dictionaries -- as a Parquet file hands them over, and as
``fiscalrules check -r records.parquet`` now passes them to the engine -- are read exactly as the
same texts uncoded: every (rule, record) status, the counts and the findings equal the
per-record engine's (the engine judges and reads each distinct text of a coded column once)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from fiscalrules.columnar import flatten_records  # noqa: E402
from fiscalrules.columnar.flatten import FlatRecords  # noqa: E402
from fiscalrules.columnar.nested import nested_frames, table_chunks, to_nested  # noqa: E402
from fiscalrules.testing import generate_record  # noqa: E402
from fiscalrules.testing.damage import damage  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from columnar_equivalence import assert_same, ruleset_of, sources  # noqa: E402

PROPERTY = settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _coded(table):
    """*table* with every text column a dictionary (ids and keys too)."""
    columns = [column.dictionary_encode() if pa.types.is_string(column.type) else column for column in table.columns]
    return pa.table(columns, names=table.column_names)


def _records(ruleset, seed, size, rounded=True, damaged=True):
    rnd = random.Random(seed)
    records = []
    for i in range(size):
        record = generate_record(ruleset, rnd=rnd, rounded=rounded)
        if damaged:
            record = damage(record, rnd)
        record.setdefault("_meta", {})["id"] = f"r{i}"
        records.append(record)
    return records


@pytest.mark.parametrize("source", sources())
@PROPERTY
@given(seed=st.integers(min_value=0, max_value=2 ** 32), size=st.integers(min_value=1, max_value=8),
       rounded=st.booleans())
def test_coded_texts_equal_per_record(source, seed, size, rounded):
    ruleset = ruleset_of(source)
    records = _records(ruleset, seed, size, rounded)
    flat = flatten_records(records, ruleset)
    coded = FlatRecords(_coded(flat.records), {path: _coded(t) for path, t in flat.tables.items()},
                        flat._numbers, flat.originals, flat.irregular)
    assert any(pa.types.is_dictionary(t.schema.field(i).type) for t in coded.tables.values()
               for i in range(t.num_columns)) or not coded.tables
    assert_same(ruleset, coded, records, chunk_rows=3)


@pytest.mark.parametrize("source", sources())
def test_records_read_back_from_parquet_equal_per_record(source, tmp_path):
    """The whole way ``check -r records.parquet`` goes: nested rows written by pyarrow, streamed
    back with texts as dictionaries, then the engine.  (Undamaged records: a record the frames
    cannot speak for is read from its mapping, which a Parquet file does not keep.)"""
    ruleset = ruleset_of(source)
    records = _records(ruleset, 20261130, 6, damaged=False)
    path = tmp_path / "records.parquet"
    table = to_nested(flatten_records(records, ruleset))
    # (a table field no record has rows of is a list of empty structs, which Parquet cannot hold:
    # left out, as a writer would -- such a record has no such table)
    empty = [f.name for f in table.schema if pa.types.is_list(f.type) and not f.type.value_type.num_fields]
    for record in records:
        for name in empty:
            record.pop(name, None)
    pq.write_table(table.drop_columns(empty), path, row_group_size=4)
    chunks = list(table_chunks(str(path), None))
    assert len(chunks) == 1
    table, first = chunks[0]
    assert any(pa.types.is_dictionary(field.type) for field in table.schema)
    frames = nested_frames(table, ruleset.checked.fields, ruleset.checked.labels)
    plain = [dict(r) for r in records]
    for record in plain:  # the Parquet rows are named by their _meta.id column, as the records are
        record["_meta"] = dict(record["_meta"])
    assert_same(ruleset, frames, plain, chunk_rows=4)
