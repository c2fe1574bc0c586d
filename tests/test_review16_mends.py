"""Review 16 B's findings (/work/team/review16_B.md), each kept mended."""

from __future__ import annotations

import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import forked, parallel  # noqa: E402

from test_columnar_parallel import SMALL  # noqa: E402  (the small ruleset, with a table t)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="workers are forked from the caller on Linux")


def _small_rules(tmp_path):
    rules = tmp_path / "small.rules"
    rules.write_text(SMALL, encoding="utf-8")
    return rules


# -- B7: Ctrl-C / SIGTERM while the workers are forked -------------------------------------------
_INTERRUPTED_FORK = '''
import os
import signal
import sys
from fiscalrules.columnar import parallel
from fiscalrules.cli import main

sent = []


def interrupt_at_first_fork():   # (a fork hook: where Python drops a KeyboardInterrupt as "unraisable")
    if not sent:
        sent.append(os.getpid())
        os.kill(os.getpid(), getattr(signal, sys.argv[1]))


if __name__ == "__main__":
    parallel.MIN_SHARE = 1
    os.register_at_fork(before=interrupt_at_first_fork)
    sys.exit(main(sys.argv[2:]))
'''


@linux_only
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_an_interrupt_while_the_workers_are_forked_is_not_lost(tmp_path, signame):
    """The signal comes in the middle of the first fork (from a fork hook, as logging's lock is
    taken there): it is held until the forks are done, then interrupts the run -- exit 2,
    "interrupted", no "Exception ignored" and no whole output."""
    rules = _small_rules(tmp_path)
    pq.write_table(pa.table({"合计": ["3.00"] * 9, "a": ["1.00"] * 9, "b": ["2.00"] * 9}), tmp_path / "r.parquet")
    script = tmp_path / "check.py"
    script.write_text(_INTERRUPTED_FORK, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, str(script), signame, "check", str(rules), "-r", str(tmp_path / "r.parquet"),
                           "--engine", "columnar", "--format", "jsonl", "-o", str(out), "--jobs", "3",
                           "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "interrupted" in done.stderr
    assert "Exception ignored" not in done.stderr
    assert "records 9" not in done.stderr


# -- B1: a read error names the record's row in the input, whatever the chunks -------------------
def _listed(n: int, rows: list) -> list:
    """Column values: a list (not an amount: the record cannot be read) at the 1-based *rows*."""
    return [["1.00"] if i + 1 in rows else None for i in range(n)]


def _errors(report) -> list:
    return [(e.id, e.error) for e in report.errors]


def test_a_read_error_names_the_row_in_the_input():
    """Rows 5 and 8 of ten (read together, scattered among readable ones) are named rows 5 and 8,
    not 1 and 2; the same texts with any chunks and workers, and with an id column."""
    ruleset = fiscalrules.compile_rules(SMALL)
    frame = pa.table({"合计": ["3.00"] * 10, "a": pa.array(_listed(10, [5, 8]), pa.list_(pa.string())),
                      "b": ["2.00"] * 10})
    one = ruleset.evaluate_table(frame)
    assert [(rid, error.split(" holds")[0]) for rid, error in _errors(one)] == [
        ("row 5", "row 5: E300: column 'a' row 5"), ("row 8", "row 8: E300: column 'a' row 8")]
    for chunk_rows, workers in ((3, 1), (6, 1), (3, 2), (6, 2)):
        assert _errors(ruleset.evaluate_table(frame, chunk_rows=chunk_rows, workers=workers)) == _errors(one)
    ids = frame.append_column("_id", pa.array([f"r{i + 1}" for i in range(10)]))
    named = ruleset.evaluate_table(ids, chunk_rows=3, workers=2)
    assert [error.split(" holds")[0] for _, error in _errors(named)] == ["r5: E300: column 'a' row 5",
                                                                         "r8: E300: column 'a' row 8"]


def test_a_table_cell_error_names_the_record_and_its_table_row():
    """A record whose table has an unreadable cell: named by its id (not by its place in the block
    read, which the chunks decide) and by the row of its own table."""
    ruleset = fiscalrules.compile_rules(SMALL)
    records = pa.table({"_id": [f"r{i}" for i in range(10)], "合计": ["3.00"] * 10, "a": ["1.00"] * 10,
                        "b": ["2.00"] * 10})
    x = ["1.00"] * 20
    rows = pa.table({"_record": [f"r{i // 2}" for i in range(20)], "_row": [i % 2 + 1 for i in range(20)],
                     "code": [str(i % 2 + 1) for i in range(20)], "x": pa.array([[v] if i == 15 else None for i, v in enumerate(x)],
                                                       pa.list_(pa.string()))})
    expected = [("r7", "r7: E300: table t row 2 column 'x' holds a value of type list")]
    for chunk_rows, workers in ((None, 1), (3, 1), (4, 2)):
        report = ruleset.evaluate_table(records, tables={"t": rows}, chunk_rows=chunk_rows, workers=workers)
        assert [(rid, error.split(", which")[0]) for rid, error in _errors(report)] == expected


def test_check_jobs_writes_the_same_read_errors_as_one_process(tmp_path, capsys, monkeypatch):
    """``check --jobs 2`` on a table file with unreadable records in its second half (the workers'
    chunks start there, one process's read blocks elsewhere): the same output and stderr."""
    from fiscalrules.cli import main
    rules = _small_rules(tmp_path)
    n = 12
    path = tmp_path / "records.parquet"
    pq.write_table(pa.table({"合计": ["3.00"] * n, "a": pa.array(_listed(n, [2, 8, 11]), pa.list_(pa.string())),
                             "b": ["2.00"] * n}), path)
    monkeypatch.setattr(parallel, "MIN_SHARE", 5)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        code = main(["check", str(rules), "-r", str(path), "--engine", "columnar", "--format", "jsonl", "-o",
                     str(out), "--lang", "en", "--fail-on", "never", "--jobs", jobs])
        outputs.append((code, out.read_text(encoding="utf-8"), capsys.readouterr().err))
    assert outputs[0] == outputs[1]
    assert "column 'a' row 11 holds" in outputs[0][2]


# -- B2: a chunk is not split below what it is given; a caller's chunk_rows is kept --------------
def test_a_pool_larger_than_the_chunks_does_not_split_them(monkeypatch):
    """``check -j 32`` on 10,000 records: shares of 4,096 records (MIN_SHARE) -- three ranges, not
    32 of 313; with the engine's own chunks, a range per worker, never more ranges than chunks."""
    assert parallel.shares(10_000, parallel.Workers(32)) == 4096
    handed = []
    monkeypatch.setattr(parallel, "_alone", lambda: True)   # (forked whatever threads other tests left)
    monkeypatch.setattr(forked, "evaluate_forked", lambda report, source, ranges, *rest: handed.append(ranges))
    monkeypatch.setattr(parallel, "FORK", True)
    ruleset = fiscalrules.compile_rules(SMALL)
    frame = {"合计": ["3.00"] * 10_000, "a": ["1.00"] * 10_000, "b": ["2.00"] * 10_000}
    if not parallel.forking():
        pytest.skip("workers are forked from the caller on Linux only")
    ruleset.evaluate_table(frame, chunk_rows=4096, workers=parallel.Workers(32))
    ruleset.evaluate_table(frame, chunk_rows=4096, workers=parallel.Workers(2))
    assert handed == [[(0, 4096), (4096, 8192), (8192, 10_000)]] * 2    # as given: kept
    handed.clear()
    from fiscalrules.columnar import engine
    monkeypatch.setattr(engine, "DEFAULT_CHUNK_ROWS", 4096)   # (the engine's own size: 3 chunks)
    ruleset.evaluate_table(frame, workers=parallel.Workers(2))
    ruleset.evaluate_table(frame, workers=parallel.Workers(8))
    assert handed == [[(0, 5000), (5000, 10_000)], [(0, 3333), (3333, 6666), (6666, 10_000)]]


def test_a_given_chunk_rows_is_kept_with_workers(monkeypatch):
    """``evaluate_table(chunk_rows=4, workers=Workers(8))`` on 10 records: ranges of 4 (0, 4, 8),
    not 10 ranges of one record; two workers forked (the caller is the third)."""
    ruleset = fiscalrules.compile_rules(SMALL)
    frame = {"合计": ["3.00"] * 10, "a": ["1.00"] * 10, "b": ["2.00"] * 10}
    handed = []
    evaluate_forked = forked.evaluate_forked
    monkeypatch.setattr(parallel, "_alone", lambda: True)   # (forked whatever threads other tests left)
    monkeypatch.setattr(forked, "evaluate_forked", lambda report, source, ranges, *rest:
                        handed.append(ranges) or evaluate_forked(report, source, ranges, *rest))
    with parallel.Workers(8) as pool:
        if not pool.forked:
            pytest.skip("workers are forked from the caller on Linux only")
        report = ruleset.evaluate_table(frame, chunk_rows=4, workers=pool)
        assert handed == [[(0, 4), (4, 8), (8, 10)]]
        assert len(pool.pids()) == 2
    assert report.counts == ruleset.evaluate_table(frame).counts


# -- B5: evaluate_table's arguments ---------------------------------------------------------------
@pytest.mark.parametrize("chunk_rows", [-1, 0, 2.5, True, "10"])
def test_a_chunk_rows_that_is_no_number_of_records_is_refused(chunk_rows):
    ruleset = fiscalrules.compile_rules(SMALL)
    frame = {"合计": ["3.00", "9.00"], "a": ["1.00", "1.00"], "b": ["2.00", "2.00"]}
    for workers in (1, 2):
        with pytest.raises(fiscalrules.FiscalRulesError, match="chunk_rows must be a positive number") as raised:
            ruleset.evaluate_table(frame, chunk_rows=chunk_rows, workers=workers)
        assert raised.value.code == "E702"


def test_a_mapping_column_mixing_text_and_floats_is_a_record_error():
    ruleset = fiscalrules.compile_rules(SMALL)
    with pytest.raises(fiscalrules.RecordError, match=r"column '合计' mixes values of type str and float \(row 2"):
        ruleset.evaluate_table({"合计": ["3.00", 3.0], "a": ["1.00", "1.00"], "b": ["2.00", "2.00"]})


# -- B6: the first failing chunk's exception, with workers too -----------------------------------
def test_workers_raise_the_first_failing_chunks_exception(monkeypatch):
    """Every chunk but the first raises: one process raises the second chunk's error, and so does
    a run forked over two workers (the caller's own chunk, the last, failed first)."""
    from fiscalrules.columnar import engine
    ruleset = fiscalrules.compile_rules(SMALL)
    frame = {"合计": ["3.00"] * 8, "a": ["1.00"] * 8, "b": ["2.00"] * 8}
    evaluate_chunk = engine._evaluate_chunk

    def failing(report, plans, batch, offset):   # (a worker's range is numbered from its first record)
        at = report.first_row + offset
        if at > 0:
            raise ValueError(f"chunk at offset {at} failed")
        return evaluate_chunk(report, plans, batch, offset)
    monkeypatch.setattr(engine, "_evaluate_chunk", failing)
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    for workers in (1, 2, 3):
        with pytest.raises(ValueError, match="offset 2 failed"):
            ruleset.evaluate_table(frame, chunk_rows=2, workers=workers)


# -- B3: a worker that dies, as the table file's error ---------------------------------------------
@linux_only
def test_check_names_the_table_file_when_a_worker_dies(tmp_path, capsys, monkeypatch):
    """E701 is the file's read error: named by the file (not "<string>"), and the summary line
    has no empty part ("records 0: read errors 1")."""
    import os
    import signal
    from fiscalrules.cli import main
    from fiscalrules.columnar import engine
    rules = _small_rules(tmp_path)
    path = tmp_path / "records.parquet"
    pq.write_table(pa.table({"合计": ["3.00"] * 6, "a": ["1.00"] * 6, "b": ["2.00"] * 6}), path)
    evaluate_chunk = engine._evaluate_chunk
    caller = os.getpid()

    def dies_in_a_worker(report, plans, batch, offset):   # (forked workers run this process's code)
        if os.getpid() != caller:
            os.kill(os.getpid(), signal.SIGKILL)
        return evaluate_chunk(report, plans, batch, offset)
    monkeypatch.setattr(engine, "_evaluate_chunk", dies_in_a_worker)
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    monkeypatch.setattr(parallel, "MIN_SHARE", 2)
    out = tmp_path / "out.jsonl"
    code = main(["check", str(rules), "-r", str(path), "--engine", "columnar", "--format", "jsonl", "-o", str(out),
                 "--lang", "en", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}: E701: a worker process" in err and "<string>" not in err
    assert err.splitlines()[-1] == "records 0: read errors 1"
    assert f'"reason": "{path}: E701' in out.read_text(encoding="utf-8")


# -- B4: an interrupted streamed run leaves no output file -----------------------------------------
@linux_only
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_interrupted_check_removes_its_output(tmp_path, fmt):
    """SIGTERM while ``check --jobs 3 --format jsonl|parquet -o FILE`` evaluates a table file:
    exit 2, "interrupted", and FILE is gone (a closed Parquet file would read as a whole report)."""
    from test_columnar_parallel import _TERMINATED_CHECK
    rules = _small_rules(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    first = tmp_path / "first.parquet"   # one record (one chunk: no worker), its finding written first
    pq.write_table(pa.table({"合计": ["9.00"], "a": ["1.00"], "b": ["2.00"]}), first)
    pq.write_table(pa.table({"合计": ["3.00"] * 6, "a": ["1.00"] * 6, "b": ["2.00"] * 6}), tmp_path / "r.parquet")
    script = tmp_path / "check.py"
    script.write_text(_TERMINATED_CHECK, encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    code, err = _terminated_in_its_workers([sys.executable, str(script), str(scratch), "check", str(rules), "-r",
                                            str(first), "-r", str(tmp_path / "r.parquet"), "--engine", "columnar",
                                            "--format", fmt, "-o", str(out), "--jobs", "3", "--lang", "en"], scratch)
    assert code == 2, err
    assert "interrupted" in err
    # (what was left, should it be: CI once found the JSON Lines file there, session 49)
    assert not out.exists(), (err, out.stat().st_size, out.read_bytes()[:300])


def _terminated_in_its_workers(command: list, scratch) -> tuple:
    """(exit code, stderr) of *command* -- a check whose forked workers stall -- sent SIGTERM once
    both workers are in their chunk; its workers and scratch files gone after."""
    import signal
    from test_columnar_parallel import _all_gone, _kill
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids: list = []
    try:
        while len(pids) < 2:   # (each worker writes its id as it stalls)
            pids.append(int(child.stdout.readline()))
        child.send_signal(signal.SIGTERM)
        err = child.communicate(timeout=60)[1]
        _all_gone(pids, scratch)
        return child.returncode, err
    finally:
        _kill(child, pids)


def test_an_interrupted_check_leaves_a_device_output_alone(tmp_path, monkeypatch, capsys):
    """``-o /dev/null`` interrupted: nothing is removed (a device is never the run's file)."""
    import os
    from fiscalrules import streaming
    from fiscalrules.cli import main
    rules = _small_rules(tmp_path)
    path = tmp_path / "r.parquet"
    pq.write_table(pa.table({"合计": ["3.00"] * 2, "a": ["1.00"] * 2, "b": ["2.00"] * 2}), path)

    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(streaming, "stream_table", interrupted)
    removed = []
    monkeypatch.setattr(os, "remove", removed.append)
    assert main(["check", str(rules), "-r", str(path), "--format", "jsonl", "-o", os.devnull, "--lang", "en"]) == 2
    assert removed == []
    out = tmp_path / "out.jsonl"
    assert main(["check", str(rules), "-r", str(path), "--format", "jsonl", "-o", str(out), "--lang", "en"]) == 2
    assert removed == [str(out)]
    assert "interrupted" in capsys.readouterr().err


def test_a_check_interrupted_again_while_closing_still_removes_its_output(tmp_path, monkeypatch, capsys):
    """Ctrl-C (or SIGTERM) a second time while the interrupted run closes its output: the half-written
    ``-o`` file is removed all the same (the removal came after the close, and was skipped)."""
    from fiscalrules import streaming
    from fiscalrules.cli import main
    rules = _small_rules(tmp_path)
    path = tmp_path / "r.parquet"
    pq.write_table(pa.table({"合计": ["3.00"] * 2, "a": ["1.00"] * 2, "b": ["2.00"] * 2}), path)

    def interrupted(*args):
        raise KeyboardInterrupt

    def closed_and_interrupted(sink):
        sink.handle.close()
        raise KeyboardInterrupt
    monkeypatch.setattr(streaming, "stream_table", interrupted)
    monkeypatch.setattr(streaming.Sink, "close", closed_and_interrupted)
    out = tmp_path / "out.jsonl"
    assert main(["check", str(rules), "-r", str(path), "--format", "jsonl", "-o", str(out), "--lang", "en"]) == 2
    assert not out.exists()
    assert "interrupted" in capsys.readouterr().err


def test_a_binary_float_among_texts_of_a_dataframe_is_refused_unless_printed_is_asked():
    """mend16's note: a pandas column mixing texts and a binary float was read as texts, so the
    float passed on the columns where the per-record engine refuses it."""
    import pandas as pd
    ruleset = fiscalrules.compile_rules("unit 万元\nfield total: amount\nfield a: amount\nrule S: total = a\n")
    frame = pd.DataFrame({"total": ["3.10", 3.1, "2"], "a": ["3.10", "3.10", "2"]})
    # that record alone is unreadable, as per record (review 17 B11: the whole frame was refused)
    report = ruleset.evaluate_table(frame)
    assert [e.error for e in report.errors] == [r.error for r in ruleset.evaluate_many(frame).records if r.error]
    assert "column 'total' row 2 is a binary float (3.1)" in report.errors[0].error
    printed = ruleset.evaluate_table(frame, floats="printed")
    assert printed.counts["S"]["pass"] == 3 and printed.counts["S"]["pass_rounding"] == 0
