"""Review 17 B's findings on the columnar engine, each a test that failed before its fix: the
records found failing in a Parquet chunk are taken from it without unifying every dictionary of the
chunk (B3: quadratic with unique ids); a record the loader refuses is not counted as checked by
``check --engine columnar`` (B1); the records read before a damaged row group are checked (B4); an odd cell of a pandas
text column makes its record unreadable, not the frame or the column (B11); a rule nested too
deeply is refused at its own line (B10, in part)."""

from __future__ import annotations

import json

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules import cli  # noqa: E402
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


# ---- B1: records only the loader refuses, through check --engine columnar -------------------------

_REFUSED = [
    '{"_meta": {"id": "dupkey"}, "total": "3.00", "total": "9.00", "a": "1.00", "b": "2.00"}',
    '{"_meta": {"id": "ok"}, "total": "3.00", "a": "1.00", "b": "2.00"}',
    '{"_meta": {"id": "dupfig"}, "total": {"value": "3.00", "value": "4.00"}, "a": "1.00", "b": "2.00"}',
    '{"_meta": {"id": "duprow"}, "total": "3.00", "a": "1.00", "b": "2.00", "t": [{"x": "1", "x": "2"}]}',
    '{"_meta": {"id": "unread", "unread": 3}, "total": "3.00", "a": "1.00", "b": "2.00"}',
    '{"_meta": {"id": "doc", "document": 3}, "total": "4.00", "a": "1.00", "b": "2.00"}',
    '{"_meta": {"id": "bad"}, "total": "4.00", "a": "1.00", "b": "2.00"}',
]


@pytest.mark.parametrize("engine", ["record", "columnar"])
def test_a_record_only_the_loader_refuses_is_a_read_error_and_nothing_else(tmp_path, monkeypatch, capsys, engine):
    """Duplicate keys (of the record, a figure, a table row) and a malformed _meta are refused by
    the loader alone: the columnar engine counted the record's findings as well as its read error
    (``pass 5, fail 1, read errors 1`` against ``pass 3, read errors 1``), and a malformed
    ``_meta.unread`` ended the file on the columnar engine.  Both engines now give one summary."""
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text(SMALL + "field t: table\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text("\n".join(_REFUSED) + "\n", encoding="utf-8")
    code = cli.main(["check", "r.rules", "-r", "d.jsonl", "--format", "jsonl", "--engine", engine,
                     "-o", "out.jsonl", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[-1] == "records 2: pass 1, fail 1, read errors 5"
    assert [line.split(": E300")[0] for line in err.splitlines()[:-1]] == \
        ["d.jsonl:1", "d.jsonl:3", "d.jsonl:4", "d.jsonl:5", "d.jsonl:6"]
    written = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f["record"] for f in written if f["status"] == "fail"] == ["bad"]
    assert sum(f["status"] == "read_error" for f in written) == 5


# ---- B4: a damaged later row group -------------------------------------------------------------------

def test_the_records_read_before_a_damaged_row_group_are_checked(tmp_path, monkeypatch, capsys):
    """Records are gathered into a chunk until it is full; a damaged row group ended the file and
    the records gathered before it were neither checked nor named (the message names the damaged
    row group's records only)."""
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    n = 3000
    pq.write_table(pa.table({"_id": [f"r{i + 1}" for i in range(n)], "合计": ["3.00"] * n,
                             "a": ["1.00"] * n, "b": ["2.00"] * n}),
                   "rg.parquet", row_group_size=1500, compression="none", use_dictionary=False)
    offset = pq.read_metadata("rg.parquet").row_group(1).column(1).data_page_offset
    data = bytearray((tmp_path / "rg.parquet").read_bytes())
    data[offset + 40:offset + 4000] = b"\xff" * 3960
    (tmp_path / "rg.parquet").write_bytes(bytes(data))
    (tmp_path / "r.rules").write_text(SMALL, encoding="utf-8")
    code = cli.main(["check", "r.rules", "-r", "rg.parquet", "--format", "jsonl", "-o", "out.jsonl", "--lang", "en"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0].startswith("rg.parquet: E300: ") and "records 1,501" in err[0]   # (the first not read)
    assert err[-1] == "records 1500: pass 1500, read errors 1"


# ---- B11: one odd cell of a pandas object column -----------------------------------------------------

@pytest.mark.parametrize("odd", [3.1, "np.float64", b"3.10", float("inf")])
def test_an_odd_cell_among_texts_of_a_dataframe_makes_its_record_unreadable_as_per_record(odd):
    """A binary float among texts refused the whole frame; bytes among texts turned the column
    into bytes, every record unreadable.  The columnar engine now gives evaluate_many's statuses,
    unreadable rows and errors."""
    pd = pytest.importorskip("pandas")
    odd = np.float64(3.1) if odd == "np.float64" else odd
    rules = fiscalrules.compile_rules("unit 万元\nfield total: amount\nfield a: amount\nrule S: total = a\n")
    frame = pd.DataFrame({"total": ["3.10", odd, "2", "5"], "a": ["3.10", "3.10", "2", "4"]})
    columnar, per_record = rules.evaluate_table(frame), rules.evaluate_many(frame)
    assert [(e.id, e.error) for e in columnar.errors] == [(r.id, r.error) for r in per_record.records if r.error]
    assert [e.id for e in columnar.errors] == ["row 2"]
    assert {s: n for s, n in columnar.counts["S"].items() if n} == {"pass": 2, "fail": 1}
    assert [(f.record, f.status) for f in columnar.findings() if f.status != "pass"] == \
        [(f.record, f.status) for f in per_record.findings if f.rule == "S" and f.status not in ("pass",)]


# ---- B10 (in part): where E106 is reported -----------------------------------------------------------

# (a flat sum of 450 terms was refused here too; it is read since review 17 B10 was mended: a
# chain's links are one level of nesting -- tests/test_long_chains.py)
@pytest.mark.parametrize("expression", ["-" * 600 + "a"])
def test_a_rule_nested_too_deeply_is_refused_at_its_line(expression):
    """E106 was reported at 1:1 with an empty excerpt wherever the rule was."""
    from fiscalrules.errors import RuleSyntaxError
    from fiscalrules.parser import parse
    text = SMALL + "\n\nrule L: total = " + expression + "\n"
    with pytest.raises(RuleSyntaxError) as caught:
        parse(text, "deep.rules")
    assert caught.value.code == "E106"
    assert caught.value.location.line == text.count("\n")          # the rule's line (the last)
    assert caught.value.location.source_line.startswith("rule L: total = ")
