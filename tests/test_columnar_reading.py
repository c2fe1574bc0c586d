"""What the columnar engine works out once per run and then slices per chunk of records: the
record number of every long-frame row (found by guesses checked against the ids), the code book
every chunk shares, the records a table's cells make unreadable.  Each structure is checked
against what reading one chunk (or one table) alone gives, over chunk boundaries that cut
records' rows, codes first seen in a later chunk, and refused cells in the last chunk."""

from __future__ import annotations

import random

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar.tables import CodeBook, _record_numbers, record_numbers_together  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402
from test_columnar_tables import TWO_TABLES as TABLES_BY_ID  # noqa: E402

TWO_TABLES = TABLES_BY_ID + "rule C: for each r in a: r.total <= total\n"


def _one_by_one(columns: dict, ids) -> dict:
    return {path: _record_numbers(column, ids, len(ids), path) for path, column in columns.items()}


def test_record_numbers_guessed_are_those_looked_up():
    """Every guess (all records in order, another table's records, the record frame's counts)
    is checked run by run: a wrong one falls through to the lookup, never into the result."""
    ids = pa.array(["x", "y", "z", "w"])

    def rows(*keys):   # three rows a record (rows come in runs: the runs are what is guessed)
        return pa.array([key for key in keys for _ in range(3)])
    columns = {
        "all": rows("x", "y", "z", "w"),                  # every record, in order
        "swapped": rows("y", "x", "z", "w"),              # every record, not in order
        "xz": rows("x", "z"),
        "yw": rows("y", "w"),                             # as many runs as xz, other records
        "zx": rows("z", "x"),
        "again": rows("x", "y", "z", "w"),
    }
    hints = {"xz": np.array([0, 2]), "yw": np.array([0, 2]),      # yw's hint is wrong
             "zx": np.array([0, 2]), "again": np.array([0, 1, 2])}   # as is zx's, and again's length
    found = record_numbers_together(columns, ids, hints)
    expected = _one_by_one(columns, ids)
    assert set(found) == set(expected)
    for path, numbers in expected.items():
        assert found[path].tolist() == numbers.tolist(), path
    assert found["yw"].tolist() == [1, 1, 1, 3, 3, 3] and found["swapped"][::3].tolist() == [1, 0, 2, 3]


def test_long_frames_by_id_with_row_counts_that_lie(monkeypatch):
    """A record frame's row counts per table say which records have the table (null: absent);
    as a guess at which records the rows name they are checked, never trusted: counts naming
    the wrong records give the statuses the rows' own ids give."""
    from fiscalrules.columnar.engine import _Source
    rules = fiscalrules.compile_rules(TWO_TABLES)
    frame = pa.table({"_meta.id": ["x", "y", "z", "w"], "total": ["3", "5", "4", "2"]})
    a = pa.table({"_record": ["x", "x", "y", "w"], "code": ["1", "2", "1", "1"], "total": ["1", "2", "5", "9"]})
    b = pa.table({"_record": ["y", "z", "z"], "code": ["1", "1", "2"], "total": ["5", "1", "3"]})

    def statuses(data, chunk_rows):
        result = rules.evaluate_table(data, tables={"a": a, "b": b}, chunk_rows=chunk_rows)
        return {rule: [CODES[c] for c in result.statuses(rule)] for rule in ("A", "B", "C")}

    truth = frame.append_column("a", pa.array([2, 1, None, 1], pa.int64())).append_column(
        "b", pa.array([None, 1, 2, None], pa.int64()))
    assert statuses(truth, None) == statuses(frame, None) == {
        "A": ["pass", "pass", "not_evaluable", "fail"], "B": ["not_evaluable", "pass", "pass", "not_evaluable"],
        "C": ["pass", "pass", "not_evaluable", "fail"]}
    cases = [([2, 1, None, 1], [None, 1, 2, None]),      # the truth
             ([2, None, 1, 1], [1, None, 2, None]),      # as many records, the wrong ones
             ([1, 1, 1, 1], [1, 1, 1, 1])]               # every record
    for counts_a, counts_b in cases:
        counted = frame.append_column("a", pa.array(counts_a, pa.int64())).append_column(
            "b", pa.array(counts_b, pa.int64()))
        for chunk_rows in (1, 3, None):
            got = statuses(counted, chunk_rows)
            with monkeypatch.context() as patch:   # the same frames, no guess from the counts
                patch.setattr(_Source, "_row_hints", lambda self, given: {})
                assert got == statuses(counted, chunk_rows), (counts_a, chunk_rows)


def test_code_book_grows_across_chunks():
    """One book for the run: ids never change, and a level or prefix asked for after new codes
    came (in a later chunk) is that of a book made from all of them at once."""
    book = CodeBook()
    first = book.of(["201", "20101"])
    assert book.level().tolist() == [1, 2]
    assert book.prefixes(3).tolist() == [-1, 0]
    more = book.of(["2010101", "302", "20101"])
    assert more.tolist() == [2, 3, 1] and book.of(["201"]).tolist() == first[:1].tolist()
    fresh = CodeBook()
    fresh.of(list(book.texts))
    assert book.level().tolist() == fresh.level().tolist() == [1, 2, 3, 1]
    for length in (3, 5):
        assert [book.texts[i] if i >= 0 else None for i in book.prefixes(length)[:4]] == \
            [fresh.texts[i] if i >= 0 else None for i in fresh.prefixes(length)[:4]]
    assert book.texts[book.prefixes(5)[2]] == "20101"


CLASSES = """
unit 万元
field total: amount
field fn: table(code: text, name: text, total: amount)
rule K1: for each r in fn where count(children(r)) > 0: r.total = sum(children(r).total)
rule K2: for each r in fn where level(r) = 3: r.total <= parent(r).total
rule K3: if present(fn["30201"]) then fn["30201"].total <= fn["302"].total
rule K4: total = sum(r.total for r in fn where level(r) = 1)
"""


def _classes(rnd: random.Random, i: int, klass: str) -> dict:
    rows, grand = [], 0
    for k in range(rnd.randint(1, 3)):
        code = f"{klass}{k + 1:02d}"
        items = [rnd.randint(1, 50) for _ in range(rnd.randint(0, 3))]
        amount = sum(items) if items else rnd.randint(1, 50)
        rows.append({"code": code, "name": "款", "total": str(amount)})
        rows.extend({"code": f"{code}{j + 1:02d}", "name": "项", "total": str(a)} for j, a in enumerate(items))
        grand += amount
    rows.insert(0, {"code": klass, "name": "类", "total": str(grand if rnd.random() > 0.2 else grand + 1)})
    return {"_meta": {"id": f"k{i}"}, "total": str(grand), "fn": rows}


@pytest.mark.parametrize("chunk_rows", [1, 2, 5])
def test_codes_first_seen_in_a_later_chunk_and_refused_in_the_last(chunk_rows):
    """Chunks share one code book: the later chunks bring codes (and classes) the first never
    saw, and the last record repeats a code (the loader refuses it: unreadable) -- statuses are
    the per-record engine's whatever the chunk size."""
    rnd = random.Random(5)
    records = [_classes(rnd, i, "201" if i < 4 else "302") for i in range(11)]
    records[-1]["fn"].append(dict(records[-1]["fn"][1]))     # a code given twice, in the last chunk
    records[6]["fn"].insert(2, dict(records[6]["fn"][1]))     # ... and twice in a row, codes in order
    from fiscalrules.columnar import flatten_records
    rules = fiscalrules.compile_rules(CLASSES)
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
    assert result._unreadable == [6, 10]
    assert any(CODES[c] == "fail" for c in result.statuses("K1"))


def test_a_precision_not_positive_beside_one_beyond_64_bits_is_refused():
    """A precision column holding a value too large for 64-bit integers is judged cell by cell;
    a precision of 0 in it still makes its record unreadable (the loader's "precision must be
    positive"), wherever the large value is -- in the same chunk or another."""
    rules = fiscalrules.compile_rules("unit 元\nfield x: amount\nfield y: amount\nrule R: y >= 2\n")   # (x not read)
    frame = pa.table({"_meta.id": ["a", "b", "c", "d"], "x": ["1", "2", "3", "4"], "y": ["5", "5", "1", "5"],
                      "x.precision": ["1", "1" + "0" * 24, "1", "0"]})
    for chunk_rows in (1, 2, 4):
        result = assert_same(rules, frame, frame, chunk_rows=chunk_rows)
        assert result._unreadable == [3], chunk_rows


@pytest.mark.parametrize("chunk_rows", [1, 4, 11])
def test_a_code_twice_in_frames_given_by_hand(chunk_rows):
    """Frames given as they are (no records behind them to fall back on): the long frame's codes
    are all the engine knows -- a code given twice, next to itself or apart, in the first, a
    middle or the last chunk, makes its record unreadable, as the loader does."""
    rnd = random.Random(9)
    records = [_classes(rnd, i, "201" if i % 2 else "302") for i in range(11)]
    records[0]["fn"].insert(2, dict(records[0]["fn"][1]))      # twice in a row (codes otherwise in order)
    records[5]["fn"].insert(2, dict(records[5]["fn"][1]))
    records[10]["fn"].append(dict(records[10]["fn"][0]))       # twice, apart
    frame = pa.table({"_meta.id": [r["_meta"]["id"] for r in records], "total": [r["total"] for r in records]})
    long = {"_record": [], "code": [], "name": [], "total": []}
    for record in records:
        for row in record["fn"]:
            long["_record"].append(record["_meta"]["id"])
            for key in ("code", "name", "total"):
                long[key].append(row[key])
    rules = fiscalrules.compile_rules(CLASSES)
    result = assert_same(rules, frame, records, tables={"fn": pa.table(long)}, chunk_rows=chunk_rows)
    assert result._unreadable == [0, 5, 10]


POSITIONS = """
unit 万元
field total: amount
field fn: table(code: text, x: amount)
rule P: if present(fn["2"]) then fn["2"].x <= total
rule Q: if present(fn["201"]) then fn["201"].x <= total
rule R: for each r in fn: r.x <= total
"""


def _positions_records() -> list:
    """Records whose rows without a code (known by their position) meet coded rows: two rows
    with one code -- both coded, or one coded and one at that position without a code, in either
    order -- are refused by the loader (docs/records.md §Tables)."""
    def rows(*codes):
        return [({} if code is None else {"code": code}) | {"x": str(k + 1)} for k, code in enumerate(codes)]
    many = [f"9{k:03d}" for k in range(200)]
    tables = [
        rows("1", None, "2"),                 # refused: "2" after the row at position 2
        rows("2", None),                      # refused: the uncoded row at 2 is a second "2"
        rows(None, "1"),                      # refused: "1" after the row at position 1
        rows(*many, None, "201"),             # refused: "201" after the row at position 201
        rows(*many[:-1], "201", None),        # refused: the row at 201 comes after the coded "201"
        rows(None, None, "3"),
        rows("2", None, "2"),                 # refused: coded twice, an uncoded row between
        rows(None, "2", None),                # read: no row is at position 2 but "2"
        rows(*many, None),                    # read: the uncoded row at 201 is fn["201"]
        rows("1", None, None, "2"),           # refused: the last record
    ]
    return [{"_meta": {"id": f"p{i}"}, "total": "3", "fn": fn} for i, fn in enumerate(tables)]


@pytest.mark.parametrize("chunk_rows", [1, 2, 4, 9])
def test_an_uncoded_row_is_known_by_its_position_as_the_loader_knows_it(chunk_rows):
    """A row without a code is keyed by its position ("2"): a coded row giving that code, before
    or after it, makes the record unreadable, in either engine, in the first, a middle or the last chunk, from
    flattened records and from frames given by hand (a null code cell)."""
    from fiscalrules.columnar import flatten_records
    records = _positions_records()
    rules = fiscalrules.compile_rules(POSITIONS)
    refused = [0, 1, 2, 3, 4, 6, 9]
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
    assert result._unreadable == refused
    frame = pa.table({"_meta.id": [r["_meta"]["id"] for r in records], "total": [r["total"] for r in records]})
    long = {"_record": [], "code": [], "x": []}
    for record in records:
        for row in record["fn"]:
            long["_record"].append(record["_meta"]["id"])
            long["code"].append(row.get("code"))
            long["x"].append(row["x"])
    result = assert_same(rules, frame, records, tables={"fn": pa.table(long)}, chunk_rows=chunk_rows)
    assert result._unreadable == refused
    assert CODES[result.statuses("P")[7]] == "pass" and CODES[result.statuses("Q")[8]] == "fail"
