"""An Arrow table whose table fields are columns of lists of structs (each record's rows, as a
nested Parquet file holds them) is evaluated as those rows by ``evaluate_table`` (it took the
lists for row counts: wrong statuses), and records whose table rows hold no cell are written to
Parquet (to_nested; Parquet cannot write a struct with no field) and read back with their rows."""
from __future__ import annotations

import pytest

import fiscalrules

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from fiscalrules.columnar import flatten_records  # noqa: E402
from fiscalrules.columnar.nested import to_nested  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

RULES = """unit 万元
field items: table(amount: amount)
rule N1: count(i for i in items) = 2
rule N2: sum(i.amount for i in items) = 0
rule N3: count(i for i in items) = 1
rule N4: sum(i.amount for i in items) = 3
"""

RECORDS = [
    [{"items": [{"amount": 1}, {"amount": 2}]}, {"items": [{"amount": 1}]}, {}, {"items": []}],
    [{"items": [{"amount": 1}, {}]}, {"items": [{"amount": "3.00"}]}, {"items": [{}, {}, {"amount": 3}]}],
]


@pytest.mark.parametrize("records", RECORDS)
def test_lists_of_structs_are_the_tables_rows(records):
    ruleset = fiscalrules.compile_rules(RULES)
    nested = to_nested(flatten_records(records, ruleset))
    assert pa.types.is_list(nested.schema.field("items").type)
    assert_same(ruleset, nested, records, chunk_rows=2)


def test_rows_without_cells_round_trip_through_parquet(tmp_path):
    ruleset = fiscalrules.compile_rules(RULES)
    records = [{"items": [{}, {}]}, {"items": [{}]}, {}, {"items": [{}, {"amount": 1}]}]
    path = tmp_path / "rows.parquet"
    pq.write_table(to_nested(flatten_records(records[:3], ruleset)), path)   # (raised before)
    table = pq.read_table(path)
    assert table.column("items").to_pylist()[0] is not None
    assert [len(rows or []) for rows in table.column("items").to_pylist()] == [2, 1, 0]
    assert_same(ruleset, table, records[:3], chunk_rows=2)
