"""Table files that are small on disk and enormous decoded (decompression bombs): a Parquet
record whose list unpacks to millions of table rows, a repeated text that expands to a gigabyte,
a CSV line of many megabytes.  Each is refused with an error naming the file and the row group,
record or line -- before it is decoded -- exit 2, no traceback, and the other inputs of the
batch still run.  The bombs are built with pyarrow in tmp_path (a few kilobytes each)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
np = pytest.importorskip("numpy")

from fiscalrules.cli import main  # noqa: E402
from fiscalrules.columnar import nested  # noqa: E402
from fiscalrules.inputs.bounded import (MAX_CSV_LINE_BYTES, MAX_DECODED_RECORD_BYTES,  # noqa: E402
                                        MAX_TABLE_ROWS_PER_RECORD)

RULES = """
field total "合计": amount
field fn "功能分类": table(code "科目编码": text, total "合计": amount)
rule R1: total = sum(r.total for r in fn)
"""


def _table(lengths, text=None, code_texts=None):
    """Records d0, d1 … whose table fn has lengths[i] rows, each row code "201" and total 1 --
    cells as dictionaries, so a million rows take a few bytes on disk -- and total = its rows."""
    rows = int(sum(lengths))
    if code_texts is None:
        code_texts = ["201"]
    codes = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int8)), pa.array(code_texts))
    amounts = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int8)), pa.array(["1"]))
    cells = pa.StructArray.from_arrays([codes, amounts], names=["code", "total"])
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    columns = {"_meta.id": [f"d{i}" for i in range(len(lengths))],
               "total": [str(n) for n in lengths],
               "fn": pa.ListArray.from_arrays(pa.array(offsets), cells)}
    return pa.table(columns)


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv + ["--lang", "en"])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def rules(tmp_path):
    path = tmp_path / "n.rules"
    path.write_text(RULES, encoding="utf-8")
    return str(path)


def _good(tmp_path):
    """A file of two ordinary records, the second failing R1 (2 + 3 is not 6)."""
    rows = pa.array([[{"code": "201", "total": "2"}, {"code": "202", "total": "3"}]] * 2,
                    pa.list_(pa.struct([("code", pa.string()), ("total", pa.string())])))
    path = tmp_path / "good.parquet"
    pq.write_table(pa.table({"_meta.id": ["d0", "d1"], "total": ["5", "6"], "fn": rows}), path)
    return str(path)


def test_a_record_whose_list_unpacks_to_millions_of_rows_is_refused_from_the_metadata(tmp_path, rules, monkeypatch):
    bomb = tmp_path / "bomb.parquet"
    pq.write_table(_table([MAX_TABLE_ROWS_PER_RECORD * 3]), bomb, compression="zstd")
    assert os.path.getsize(bomb) < 20_000     # three million rows in a few kilobytes
    read = []
    original = pq.ParquetFile.iter_batches
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", lambda self, *a, **k: read.append(1) or original(self, *a, **k))
    code, out, err = _run(["check", rules, "-r", str(bomb), "-r", _good(tmp_path), "--format", "jsonl"])
    assert code == 2, err
    assert "Traceback" not in out + err
    assert "bomb.parquet: E300: row group 1 (records 1-1) holds at least 2,999,999 table rows for 1 record(s): " \
           "more than 1,000,000 a record may have" in err
    assert len(read) == 1          # the good file's row group only: not one page of the bomb was read
    findings = [json.loads(line) for line in out.splitlines()]
    assert [f["record"] for f in findings if f["status"] == "fail"] == ["good.parquet:d1"]   # the other input ran
    assert "records 2: pass 1, fail 1, read errors 1" in err


def test_a_huge_record_among_small_ones_is_refused_by_its_number(tmp_path, rules):
    lengths = [1] * 3000
    lengths[2499] = MAX_TABLE_ROWS_PER_RECORD + 5     # the average stays far below the cap
    bomb = tmp_path / "diluted.parquet"
    pq.write_table(_table(lengths), bomb, compression="zstd")
    code, out, err = _run(["check", rules, "-r", str(bomb), "--format", "jsonl"])
    assert code == 2
    assert "Traceback" not in out + err
    assert "diluted.parquet: E300: record 2,500 has 1,000,005 table rows: more than 1,000,000 a record may have" in err


def test_a_record_at_the_cap_is_read(tmp_path, rules):
    """The caps refuse what is beyond them, not what is near them."""
    path = tmp_path / "large.parquet"
    pq.write_table(_table([MAX_TABLE_ROWS_PER_RECORD, 4]), path, compression="zstd")
    chunks = list(nested.table_chunks(str(path), None))
    assert sum(t.num_rows for t, _ in chunks) == 2
    lengths = np.concatenate([t.column("fn").combine_chunks().value_lengths().to_numpy() for t, _ in chunks])
    assert lengths.tolist() == [MAX_TABLE_ROWS_PER_RECORD, 4]
    code = chunks[0][0].schema.field("fn").type.value_type.field("code").type
    assert pa.types.is_dictionary(code) and code.value_type == pa.string()   # texts handed on coded


# The peak is this process's own (VmHWM, of the memory it has had since it started): getrusage's
# ru_maxrss also counts the process it was started from -- Linux keeps the larger peak across the
# exec, and the spawning test worker may itself have held 700 MB by then.
_MEASURE = textwrap.dedent("""
    import contextlib, io, re, resource, sys
    from fiscalrules.cli import main
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(sys.argv[1:] + ["--lang", "en"])
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak_kib = int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1))
    except OSError:
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(code, peak_kib // 1024)
    print(err.getvalue())
""")


def test_a_repeated_text_that_decodes_to_gigabytes_is_refused_before_it_is_expanded(tmp_path, rules):
    """One record of 2,000 rows, each code the same 1 MB text: 2 GB once expanded, a few
    kilobytes on disk.  It is refused by the lengths of its dictionary, and the process never
    holds the expanded texts (its peak memory stays a small fraction of them)."""
    bomb = tmp_path / "texts.parquet"
    pq.write_table(_table([2000], code_texts=["2" * 1_000_000]), bomb, compression="zstd")
    assert os.path.getsize(bomb) < 50_000
    run = subprocess.run([sys.executable, "-c", _MEASURE, "check", rules, "-r", str(bomb), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    code, peak_mib = map(int, run.stdout.split("\n", 1)[0].split())
    assert code == 2
    assert re.search(r"texts\.parquet: E300: record 1 decodes to [0-9.]+ MB \(2,00[0-9],[0-9,]+ bytes\): "
                     r"more than 200 MB \(200,000,000 bytes\) a record may", run.stdout), run.stdout
    assert MAX_DECODED_RECORD_BYTES == 200_000_000
    assert peak_mib < 700, peak_mib     # expanded, the texts alone would take 2,000 MB


def test_a_csv_line_longer_than_the_cap_is_refused_naming_the_line(tmp_path, rules):
    path = tmp_path / "long.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("_meta.id,total,note\nd0,1,short\nd1,2," + "x" * (MAX_CSV_LINE_BYTES + 10) + "\n")
    code, out, err = _run(["check", rules, "-r", str(path), "--format", "jsonl"])
    assert code == 2
    assert "Traceback" not in out + err
    assert "long.csv:3: E300: this line is longer than 16 MB (16,000,000 bytes), the most a line of a CSV " \
           "table file may be" in err


def test_a_csv_line_of_a_few_megabytes_is_read(tmp_path, rules):
    """Arrow's default block of 1 MB refused any longer line with "straddling object straddles
    two block boundaries"; lines up to the cap are read."""
    path = tmp_path / "wide.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("_meta.id,total,note\nd0,1,short\nd1,2," + "x" * 3_000_000 + "\n")
    code, out, err = _run(["check", rules, "-r", str(path), "--format", "jsonl"])
    assert "read errors" not in err and "Traceback" not in out + err
    assert "records 2:" in err
