"""Workers started from a fork server and kept by a :class:`.parallel.Workers` pool for its runs,
handed each chunk as a file (:func:`.parallel.evaluate_chunks`' way where workers are not forked
from the caller: no ``fork`` to use -- macOS, Windows --, other live threads, or
:data:`.parallel.FORK` set False).

* The workers start from a ``forkserver`` (``spawn`` where there is none) that has imported
  pyarrow and the engine (and the caller's main module: a script must guard its top level with
  ``if __name__ == "__main__":``), and watch the caller (:func:`.parallel._watch_caller`).
* Each chunk's frames go as Arrow IPC streams in a file in a scratch folder
  (:func:`.parallel.scratch_dir`: ``/dev/shm`` when there is one) that the worker memory-maps --
  at most ``workers + 1`` files at a time, each deleted once mapped, the folder when the run
  ends.
* The ruleset travels as its checked AST in the ruleset cache's form
  (:func:`.distributed.checked_bytes`) and is compiled once per worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections import deque

from ..values import library_context
from . import parallel

__all__ = ["executor", "evaluate_served"]

#: What the fork server imports before it forks workers ("__main__" kept, the default: other users
#: of the same fork server may pickle functions of the main module).
_PRELOAD = ["__main__", "pyarrow", "pyarrow.compute", "pyarrow.ipc", "fiscalrules.columnar.engine",
            "fiscalrules.columnar.forkserver", "fiscalrules.columnar.batch", "fiscalrules.columnar.lists",
            "fiscalrules.columnar.rulebody", "fiscalrules.compiler"]
_REC, _POS = "__fiscalrules_rec", "__fiscalrules_pos"   # a long frame's record numbers and positions in a chunk file


def executor(size: int):
    """A pool of *size* workers from the fork server (started by the first pool that needs one),
    each watching this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Imported once by the fork server (if this starts it), not by every worker: a
        # worker otherwise spends ~0.4 CPU-s importing pyarrow (and pandas with it).
        context.set_forkserver_preload(_PRELOAD)
    else:
        context = multiprocessing.get_context("spawn")
    # Each worker watches this process: killed (SIGKILL, SIGTERM, out of memory) it runs no
    # `finally`, and the workers -- children of the fork server, blocked on pipes they
    # themselves hold open -- would otherwise live for ever, and the fork server with them.
    return ProcessPoolExecutor(size, mp_context=context, initializer=parallel._watch_caller,
                               initargs=(os.getpid(), parallel.scratch_dir()))


def evaluate_served(report, source, ranges: list, pool: parallel.Workers, first_row: int, own: bool) -> bool:
    """The record *ranges* (``(start, stop)``, in order) on *pool*'s fork-server workers, each
    written to a file of the run's scratch folder, their results added to *report* in order;
    *own*: the pool is the run's, stopped at its end."""
    from concurrent.futures.process import BrokenProcessPool
    # (named by this process's id: its workers remove its folders if it is killed)
    folder = tempfile.mkdtemp(prefix=f"fiscalrules-columnar-{os.getpid()}-", dir=parallel.scratch_dir())
    pending: deque = deque()
    try:
        if not pool.alive():
            # A kept pool's worker died between runs: refused now, whichever way the executor's
            # own thread and this run's first chunks would otherwise race (the other worker
            # might do the whole run, or not).
            raise BrokenProcessPool("a worker died between runs")
        job = _job(report, first_row, folder, pool.findings)
        if pool.findings is not None:   # (the chunks' findings, in order: TableReport.findings)
            report._made = (None if pool.findings is True else pool.findings, [])
        for number, (start, stop) in enumerate(ranges):
            n = stop - start
            path = os.path.join(folder, f"chunk-{number}.arrows")
            index = _write_chunk(path, source, start, n)
            originals = source.originals[start:start + n] if source.originals is not None else None
            irregular = source.irregular[start:start + n] if source.irregular is not None else None
            # the errors of the chunk's records whose cells the frame could not hold (source.to_arrow)
            refused = {row - start: error for row, error in source.refused.items() if start <= row < start + n}
            pending.append((start, path, pool.submit(_run_chunk, job, path, index, start, n, originals, irregular,
                                                     refused)))
            while len(pending) > pool.size:   # at most one chunk waiting per worker, plus one
                _add_oldest(report, pending, pool)
        while pending:
            _add_oldest(report, pending, pool)
    except BrokenProcessPool:
        pool.close()   # (a pool kept for several runs starts new workers for the next)
        raise parallel._broken() from None
    except BaseException:
        from concurrent.futures import wait
        futures = [future for _, _, future in pending]
        for future in futures:
            future.cancel()
        wait(futures)   # (the running ones: their files are removed below)
        raise
    finally:
        if own:
            pool.close()
        shutil.rmtree(folder, ignore_errors=True)
    return True


def _add_oldest(report, pending: deque, pool: parallel.Workers) -> None:
    start, path, future = pending[0]
    result = parallel.result_of(future)
    pending.popleft()
    with contextlib.suppress(FileNotFoundError):   # (the worker removes it once mapped)
        os.remove(path)
    pid, cpu = result.pop("cpu")
    pool.cpu[pid] = cpu
    parallel._merge(report, result, start)


def _job(report, first_row: int, folder: str, findings) -> dict:
    """What every chunk of the run shares (sent with each: small, but for the ruleset's ~0.3 MB)."""
    ruleset = report.ruleset
    return {"run": folder, "ruleset": _checked_bytes(ruleset), "rules": [rule.id for rule in ruleset.rules],
            "floats": report.floats, "first_row": first_row, "findings": findings}


_ENCODED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # ruleset → its checked_bytes


def _checked_bytes(ruleset) -> bytes:
    found = _ENCODED.get(ruleset)
    if found is None:   # (~50 ms for the budget ruleset: once, not for every run of it)
        from .distributed import checked_bytes
        found = _ENCODED[ruleset] = checked_bytes(ruleset)
    return found


def _write_chunk(path: str, source, start: int, n: int) -> list:
    """The chunk's record rows and each table's rows (with their chunk-local record numbers and
    positions) as Arrow IPC streams one after the other in *path*; returns (name, offset, size)
    of each stream."""
    import pyarrow as pa
    tables = [("", source.table.slice(start, n))]
    for name, long in source.long.items():
        rows, rec, pos = long.rows_of(start, start + n)
        tables.append((name, rows.append_column(_REC, pa.array(rec, pa.int64())).append_column(
            _POS, pa.array(pos, pa.int64()))))
    index = []
    with pa.OSFile(path, "wb") as sink:
        for name, table in tables:
            at = sink.tell()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            index.append((name, at, sink.tell() - at))
    return index


# -- in the worker -------------------------------------------------------------------------------
_RUN: dict = {}   # the run being worked on: its folder → [ruleset, plans, texts read so far, code book]


def _open_run(job: dict) -> list:
    found = _RUN.get(job["run"])
    if found is None:
        from .distributed import ruleset_from
        from .engine import plan_of
        from .tables import CodeBook
        with library_context():
            ruleset = ruleset_from("checked", job["ruleset"], job["rules"])
        _RUN.clear()   # one run at a time: the last run's texts are not kept
        found = _RUN[job["run"]] = [ruleset, plan_of(ruleset), {}, CodeBook()]
    return found


def _read_chunk(path: str, index: list) -> dict:
    import pyarrow as pa
    whole = pa.memory_map(path, "r").read_buffer()     # the stream's buffers stay in the mapping
    # Removed now (the mapping stays valid): a killed run leaves only the files not yet taken.
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    return {name: pa.ipc.open_stream(pa.BufferReader(whole.slice(at, size))).read_all()
            for name, at, size in index}


def _run_chunk(job: dict, path: str, index: list, start: int, n: int, originals, irregular, refused: dict) -> dict:
    """One chunk, as :func:`~.engine.evaluate_table` runs each, on the chunk's own frames (its
    records numbered from 0; their texts coded here, as the calling process codes a run's); the
    result names rows within the chunk.  *refused*: chunk row → the error of a record with a
    cell the frame could not hold (null in the chunk's file), as the caller's source has it."""
    from .engine import TableReport, run_chunks
    from .pages import ordinary_pages
    from .source import _Source
    from .flatten import FlatRecords
    run = _open_run(job)
    parallel._SEEN.add(os.path.dirname(job["run"]))
    ruleset, memo = run[0], run[2]
    tables = _read_chunk(path, index)
    records = tables.pop("")
    numbers = {name: (rows.column(_REC).to_numpy(), rows.column(_POS).to_numpy()) for name, rows in tables.items()}
    long = {name: rows.drop_columns([_REC, _POS]) for name, rows in tables.items()}
    with library_context(), ordinary_pages():
        source = _Source(ruleset, FlatRecords(records, long, numbers, originals, irregular), None, job["floats"])
        source.refused = refused
        source.code_texts()
        report = TableReport(ruleset, source, job["floats"], job["first_row"] + start)
        run[3] = run_chunks(report, source, max(n, 1), memo, run[3])
    result = parallel._result(report)
    if job["findings"] is not None:
        result["made"] = list(report.findings(None if job["findings"] is True else job["findings"]))
    return result
