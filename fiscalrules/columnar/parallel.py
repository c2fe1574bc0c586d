"""The columnar engine over several processes on one machine: ``evaluate_table(..., workers=N)``.

:func:`fiscalrules.columnar.evaluate_table` reads its input in chunks of records; each chunk is
evaluated alone (its records, their table rows) and gives counts, the rows that are not passes
and the records that cannot be read.  Here the chunks go to worker processes and their results
are added up in chunk order, so the :class:`~.engine.TableReport` is the one a single process
makes: the same counts, kept (rule, record) pairs, errors in the same order, the same
``engines`` and ``explain``.  Findings are made lazily by the parent, from its own frames, as
without workers -- or by the workers, for a pool asked to (``Workers(n, findings=...)``).

* **Processes, not threads**: the engine is Python driving numpy a few thousand elements at a
  time; the interpreter lock would serialise threads.
* **Forked from the caller** (Linux): each run forks ``N - 1`` workers once the run's frames are
  read, their texts coded and what a run reads once read (the record frame's cells validated,
  each table's codes and cells: a worker that read them again, into memory it then had to
  copy, spent ~2.5 CPU-s where it now spends ~1.5, for half the 100k coded records) -- the
  caller is the N-th, taking chunks from the back while the workers are handed them from the
  front -- and a worker sees the frames as the caller holds
  them (copy-on-write memory: nothing is written, copied or pickled on the way in) with the
  ruleset's plans compiled already, and stops when the run ends.  A worker ignores Ctrl-C (the
  caller's to handle: it kills the workers) and dies of SIGTERM.  The standard streams are
  flushed first: a worker would write the caller's buffered output again as it exits.
* **Only a single-threaded caller forks** (:func:`_alone`): a fork copies the memory of every
  thread but runs only the forking one, so a lock another thread holds at that moment (logging's,
  a standard stream's, one inside an Arrow call or an allocator) stays held in the child for
  ever.  A run whose process has any other Python thread alive (``threading.active_count() >
  1``: the user's, a thread pool's, a kept fork-server pool's own) takes the fork server's way
  below instead, with the same report.  The native threads a single-threaded caller has are
  safe to fork over: Arrow's thread pools and its jemalloc allocator's background thread
  re-initialise in the child by their own ``atfork`` handlers (as does glibc's malloc), and none
  is inside a call of ours, since the run's own thread forks between Arrow and numpy calls.
  Python 3.12 and later count those native threads too (``/proc/self/stat``) and issue a
  ``DeprecationWarning`` ("multi-threaded, use of fork() may lead to deadlocks") from every
  fork: for the fork it has judged safe the run ignores that warning, so that neither a
  caller's ``-W error`` nor pytest's warning capture turns it into an error or a report.
* **Elsewhere** (no ``fork`` to use: macOS, Windows, other live threads, or :data:`FORK` set
  False) workers start from a ``forkserver`` (``spawn`` where there is none) that has imported pyarrow and the engine (and
  the caller's main module: a script must guard its top level with
  ``if __name__ == "__main__":``), are kept by a :class:`Workers` pool for its runs and get each
  chunk's frames as Arrow IPC streams in a file in a scratch folder (``/dev/shm`` when there is
  one) that they memory-map -- at most ``workers + 1`` files at a time, each deleted once mapped,
  the folder when the run ends; the ruleset travels as its checked AST in the ruleset cache's
  form (:func:`.distributed.checked_bytes`) and is compiled once per worker.
* **Results**: per chunk, the counts, the row numbers and one-byte status codes of what is not a
  pass, the rows passing within rounding (a bitmap when many), the unreadable records -- added
  in chunk order.
* **When it pays**: an input of one chunk runs in this process (starting processes costs more).
* **Failures**: an exception in a worker is raised here as the single process raises it; a
  worker that dies (killed, out of memory) raises :class:`~fiscalrules.FiscalRulesError` E701 at
  once -- no wait for a result that will never come -- and the other workers are stopped (a
  fork server's pool: also the next run on a kept pool one of whose workers has died since the
  last).  A caller killed outright (SIGKILL, SIGTERM, the out-of-memory killer: no ``finally``
  runs) is noticed by its workers, which remove its scratch folders and exit (a fork server, its
  last user gone, exits after them).

:class:`Workers` is a pool kept for several runs (``with Workers(4) as pool: ... workers=pool``):
its size and what its workers make; a fork server's processes start once and keep their compiled
rulesets, forked ones are forked by each run.  ``workers=N`` is a pool for the one call.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
import warnings
import weakref
from collections import deque

from ..errors import FiscalRulesError
from ..values import library_context

__all__ = ["Workers", "worker_count", "evaluate_chunks", "scratch_dir", "shares", "MIN_SHARE"]

#: What the fork server imports before it forks workers ("__main__" kept, the default: other users
#: of the same fork server may pickle functions of the main module).
_PRELOAD = ["__main__", "pyarrow", "pyarrow.compute", "pyarrow.ipc", "fiscalrules.columnar.engine",
            "fiscalrules.columnar.parallel", "fiscalrules.columnar.batch", "fiscalrules.columnar.lists",
            "fiscalrules.columnar.rulebody", "fiscalrules.compiler"]
_REC, _POS = "__fiscalrules_rec", "__fiscalrules_pos"   # a long frame's record numbers and positions in a chunk file


def worker_count(workers) -> int:
    """Processes for *workers*: a positive number as it is; ``0`` or ``"auto"`` the CPUs this
    process may run on (``os.sched_getaffinity``, which a container or ``taskset`` limits --
    ``os.cpu_count()`` counts the machine's, where there is no such call)."""
    if workers in (0, "auto"):
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be a number of processes (0 or 'auto': one per CPU), not {workers!r}")
    return workers


def scratch_dir() -> str:
    """Where chunk files are written: ``/dev/shm`` (memory) when it is there and writable, else
    the temporary folder."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return tempfile.gettempdir()


class Workers:
    """A pool of worker processes for :func:`~.engine.evaluate_table` (``workers=pool``), kept for
    several runs; close it (or use it as a context manager) to stop them.

    With *findings* (a set of status names, or True: every status but the passes) the workers
    also make each chunk's findings of those statuses, which ``TableReport.findings(statuses)``
    -- asked once, with the same statuses -- then hands out in order instead of making them in
    the calling process: for a caller that writes the findings of every report at once
    (``check --jobs``)."""

    def __init__(self, workers=0, *, findings=False):
        self.size = worker_count(workers)
        self.findings = None if findings is False else True if findings is True else frozenset(findings)
        self._executor = None
        #: Whether runs fork their workers from the calling process (:func:`forking`, when the
        #: pool is made) -- each run that finds it alone in its process (:func:`_alone`) --, else
        #: they are started once from a fork server and read chunk files.
        self.forked = forking()
        #: Whether the last run forked its workers (None: no run has started workers yet).
        self.last_forked = None
        self._last: list = []   # the process ids of the last run's forked workers
        #: Forked workers only: a function each worker calls with each chunk's report (its rows
        #: numbered as in the run) once it is evaluated; what it returns, in chunk order, is the
        #: run's ``report._made[1]`` (``check --jobs --format jsonl`` renders the findings so).
        self.make = None
        #: This process's CPU time (``time.process_time``) when the last run forked its workers.
        self.forked_at = None
        #: CPU seconds (user + system) each worker process had used by the end of its last chunk,
        #: by process id: the workers are the fork server's children, not this process's, so
        #: ``resource.RUSAGE_CHILDREN`` here never counts them.
        self.cpu: dict = {}

    def submit(self, function, *args):
        if self._executor is None:
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
            self._executor = ProcessPoolExecutor(self.size, mp_context=context, initializer=_watch_caller,
                                                 initargs=(os.getpid(), scratch_dir()))
        return self._executor.submit(function, *args)

    def pids(self) -> list:
        """The process ids of the workers started so far (forked workers: those of the last run)."""
        if self._executor is None or self.last_forked:
            return list(self._last)
        return [p.pid for p in list(self._executor._processes.values())]

    def alive(self) -> bool:
        """Whether every worker started so far is still running, as far as this process has been
        told (a worker's death is reported by the fork server, a moment after it happens)."""
        return self._executor is None or all(p.is_alive() for p in list(self._executor._processes.values()))

    def close(self) -> None:
        """Stop the workers (waiting for them to exit)."""
        if self._executor is not None:
            if not self.alive():
                # A dead worker may hold the lock of the queue the others read their chunks from:
                # asked to stop politely they would wait for it for ever.  (What the executor
                # does itself once it has noticed the death.)
                for process in list(self._executor._processes.values()):
                    process.terminate()
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


#: Records per worker below which a chunk of a table file is not shared (``check --jobs``): a
#: chunk costs a worker ~0.1 s whatever its size, and ~25 µs a record with ~100 table rows.
MIN_SHARE = 4096


def shares(records: int, workers) -> int | None:
    """``chunk_rows`` sharing a chunk of *records* among a :class:`Workers` pool, none below
    :data:`MIN_SHARE` records (None: no pool, the engine's own chunks)."""
    if workers is None:
        return None
    return max(MIN_SHARE, -(-records // workers.size))


def evaluate_chunks(report, source, chunk_rows: int, workers, first_row: int, given: bool = False) -> bool:
    """Evaluate *source*'s records in chunks of *chunk_rows* on *workers* (a number, ``"auto"``,
    or a :class:`Workers`), adding each chunk's result to *report* in order.  False, with nothing
    done, when one process is asked for or the input is one chunk: the caller runs it.  A
    *chunk_rows* the caller *given* is kept; the engine's own is made smaller to share the
    records evenly among the workers (:func:`_even_chunks`)."""
    total = source.table.num_rows
    pool = workers if isinstance(workers, Workers) else None
    size = pool.size if pool is not None else worker_count(workers)
    chunks = -(-total // chunk_rows)
    if size <= 1 or chunks < 2:
        return False
    if not given:
        chunk_rows = _even_chunks(total, chunk_rows, size)
    starts = list(range(0, total, chunk_rows))
    if pool is None:
        pool = Workers(min(size, len(starts)))
    pool.last_forked = pool.forked and _alone()
    if pool.last_forked:
        return _evaluate_forked(report, source, starts, chunk_rows, pool, first_row)
    own = workers is not pool
    from concurrent.futures.process import BrokenProcessPool
    # (named by this process's id: its workers remove its folders if it is killed)
    folder = tempfile.mkdtemp(prefix=f"fiscalrules-columnar-{os.getpid()}-", dir=scratch_dir())
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
        for number, start in enumerate(starts):
            n = min(chunk_rows, total - start)
            path = os.path.join(folder, f"chunk-{number}.arrows")
            index = _write_chunk(path, source, start, n)
            originals = source.originals[start:start + n] if source.originals is not None else None
            irregular = source.irregular[start:start + n] if source.irregular is not None else None
            pending.append((start, path, pool.submit(_run_chunk, job, path, index, start, n, originals, irregular)))
            while len(pending) > pool.size:   # at most one chunk waiting per worker, plus one
                _add_oldest(report, pending, pool)
        while pending:
            _add_oldest(report, pending, pool)
    except BrokenProcessPool:
        pool.close()   # (a pool kept for several runs starts new workers for the next)
        raise _broken() from None
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


def _even_chunks(total: int, chunk_rows: int, size: int) -> int:
    """*chunk_rows* made smaller so that every one of *size* workers (no more than there are
    chunks) gets as many chunks: none waits on the last.  (Never below what the chunks are: a
    chunk is not split among more workers than it has chunks -- ``shares``' minimum.)"""
    chunks = -(-total // chunk_rows)
    size = min(size, chunks)
    if chunks % size:
        chunk_rows = -(-total // (-(-chunks // size) * size))
    return chunk_rows


def forking() -> bool:
    """Whether workers are forked from the calling process (Linux; by runs whose thread is alone
    in it, :func:`_alone`): else they start from a fork server and read their chunks from files."""
    import sys
    return FORK and sys.platform.startswith("linux")


def _alone() -> bool:
    """Whether the calling thread is the only Python thread of this process, which a run needs to
    fork its workers (see the module doc): another thread may hold a lock as the fork copies the
    process, which stays held in the child.  (A kept fork-server pool's own threads count too:
    a pool whose fork-server workers have started keeps to them.)"""
    import threading
    return threading.active_count() == 1


#: Fork the workers from the caller where that is safe (Linux); tests set it False to run the
#: fork server's way.
FORK = True
_FORKED: dict = {}   # run → what its forked workers evaluate: set by the caller before it forks them
_RUNS = itertools.count()


def _evaluate_forked(report, source, starts: list, chunk_rows: int, pool: Workers, first_row: int) -> bool:
    """The chunks on this process and workers forked from it for this run: each sees the run's
    frames as they are here (copy-on-write memory, nothing written or pickled but the results),
    its plans compiled already, and evaluates the chunks the queue hands it; they stop at the
    run's end."""
    import multiprocessing
    import sys
    import time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from .tables import CodeBook
    from .engine import plan_of
    from .reading import Frame
    ruleset = report.ruleset
    plan_of(ruleset)
    # What a run reads once (as evaluate_table does in one process) is read here, before the
    # fork, in the memory every worker shares -- not once in each process: the texts coded, the
    # record frame's cells validated, each table's codes and cells read (.tables.LongFrame.prepared).
    source.code_texts()
    memo, book = {}, CodeBook()
    whole = Frame(source.coded, ruleset.settings, source.roles, report.floats, memo)
    for long in source.long.values():
        long.prepared(ruleset.settings, report.floats, memo, book)
    total = source.table.num_rows
    run = next(_RUNS)   # (a key of its own: runs in other threads of this process have theirs)
    _FORKED[run] = dict(report=report, source=source, first_row=first_row, findings=pool.findings,
                        make=pool.make, memo=memo, book=book, whole=whole)
    # Buffered output would be written again by each worker as it exits (multiprocessing flushes
    # the standard streams it inherited).
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    # This process is one of the pool's: it forks one worker fewer and evaluates chunks itself
    # (warm: no fork, no first chunk written into a new heap) rather than wait.
    executor = ProcessPoolExecutor(min(pool.size, len(starts)) - 1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_forked_worker, initargs=(os.getpid(),))
    done = False
    try:
        if pool.make is not None:
            report._made = ("rendered", [])
        elif pool.findings is not None:   # (the chunks' findings, in order: TableReport.findings)
            report._made = (None if pool.findings is True else pool.findings, [])
        sizes = [min(chunk_rows, total - start) for start in starts]
        pool.forked_at = time.process_time()
        # The workers are handed chunks from the front, two each ahead of what they have done;
        # this process takes them from the back, topping the workers up after each, until the
        # two meet.  (Handed out as they go, never cancelled: Python 3.11's pool, broken by a
        # worker's death, fails on a future cancelled earlier and leaves the others unresolved.)
        futures: dict = {}
        own: dict = {}
        low, high, ahead = 0, len(starts), 2 * executor._max_workers

        def top_up(low: int) -> int:
            while low < high and sum(not f.done() for f in futures.values()) < ahead:
                futures[low] = executor.submit(_run_slice, run, starts[low], sizes[low])
                low += 1
            return low
        with warnings.catch_warnings(), _interrupts_held():
            # The first submit forks the workers: Python 3.12+ warns of every fork in a process
            # with threads, counting the native ones (Arrow's, jemalloc's) that this fork is safe
            # over (module doc).  Filters changed for the moment: no other thread to see them.
            warnings.simplefilter("ignore", DeprecationWarning)
            low = top_up(low)
        pool._last = [p.pid for p in list(executor._processes.values())]
        while low < high:
            high -= 1
            try:
                own[high] = _run_slice(run, starts[high], sizes[high])
                own[high].pop("cpu")
            except Exception as exc:   # raised in chunk order below: one process raises an earlier chunk's first
                own[high] = exc
            low = top_up(low)
        for at in range(len(starts)):
            result = own.pop(at) if at in own else futures.pop(at).result()
            if isinstance(result, Exception):
                raise result
            if "cpu" in result:
                pid, cpu = result.pop("cpu")
                pool.cpu[pid] = cpu
            _merge(report, result, 0)
        done = True
    except BrokenProcessPool:
        raise _broken() from None
    finally:
        del _FORKED[run]
        for long in source.long.values():   # (the run's readings of the tables: not kept by the report)
            long.release()
        if not done:   # (interrupted, or an error: the chunks still running are not waited for)
            for process in list(executor._processes.values()):
                with contextlib.suppress(Exception):
                    process.kill()
        executor.shutdown(wait=True)   # (the chunks handed out fail with the killed workers)
    return True


def _broken() -> FiscalRulesError:
    return FiscalRulesError("a worker process of the columnar engine stopped before finishing its chunk "
                            "(killed, out of memory, or it could not start: a main program read from "
                            "standard input, or without `if __name__ == '__main__':`, cannot be "
                            "imported by a worker started by a fork server)", code="E701")


@contextlib.contextmanager
def _interrupts_held():
    """Ctrl-C and SIGTERM held back while this (main) thread forks workers, and handled once it is
    done.  Python runs its fork hooks (logging's lock, taken before a fork and released after it)
    in the forking thread, and a KeyboardInterrupt raised in one is "unraisable": printed as
    "Exception ignored" and dropped, so the run went on to its end.  Blocking the signals in this
    thread is not enough: the kernel hands a signal sent to the process to any thread not
    blocking it (Arrow's, the allocator's), and Python then runs the handler here all the same.
    So the handlers are swapped for one that notes the signal, which is raised again after."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():   # (handlers run in the main one)
        yield
        return
    came: list = []
    swapped = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if callable(signal.getsignal(signum)):   # (a default action or SIG_IGN needs no care)
            swapped[signum] = signal.signal(signum, lambda signum, frame: came.append(signum))
    try:
        yield
    finally:
        for signum, handler in swapped.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(came):
            signal.raise_signal(signum)   # (its own handler now: KeyboardInterrupt, the CLI's)


def _forked_worker(caller: int) -> None:
    """A forked worker's start: the caller's signal handlers are not its own (an interrupt is the
    caller's to handle: it stops the workers), and it watches the caller."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _watch_caller(caller, scratch_dir())


def _run_slice(key: int, start: int, n: int) -> dict:
    """In a forked worker (or the caller): run *key*'s records *start*…*start+n-1*, as
    :func:`~.engine.evaluate_table` runs each chunk, into a report of its own (rows numbered as in
    the run)."""
    from .batch import Batch
    from .engine import TableReport, _evaluate_chunk, plan_of
    from .reading import Frame
    from .source import _BOOK_TEXTS
    from .tables import CodeBook
    run = _FORKED[key]
    parent, source = run["report"], run["source"]
    ruleset = parent.ruleset
    report = TableReport(ruleset, source, parent.floats, run["first_row"])
    with library_context():
        if len(run["book"].texts) > _BOOK_TEXTS:   # (as the calling process renews its book)
            run["book"] = CodeBook()
        frame = Frame(source.coded.slice(start, n), ruleset.settings, source.roles, parent.floats, run["memo"],
                      run=(run["whole"], start, start + n))
        batch = Batch(frame, ruleset.settings, source.long, start, source.presence, run["book"])
        _evaluate_chunk(report, plan_of(ruleset), batch, start)
        frame = batch = None
    result = _result(report)
    if run["make"] is not None:
        result["made"] = [run["make"](report)]
    elif run["findings"] is not None:
        result["made"] = list(report.findings(None if run["findings"] is True else run["findings"]))
    return result


def _add_oldest(report, pending: deque, pool: Workers) -> None:
    start, path, future = pending[0]
    result = future.result()
    pending.popleft()
    with contextlib.suppress(FileNotFoundError):   # (the worker removes it once mapped)
        os.remove(path)
    pid, cpu = result.pop("cpu")
    pool.cpu[pid] = cpu
    _merge(report, result, start)


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
_SEEN: set = set()   # the scratch folders this worker's runs used (their parents, searched at the end)


def _watch_caller(caller: int, scratch: str) -> None:
    """The pool's initializer: a thread that ends this worker (and removes the caller's scratch
    folders) once the *caller* process is gone."""
    import threading
    _SEEN.add(scratch)
    threading.Thread(target=_wait_for_end, args=(caller,), daemon=True, name="fiscalrules-watch").start()


def _wait_for_end(caller: int) -> None:
    import time
    try:
        import select
        fd = os.pidfd_open(caller)   # (Linux 5.3+: readable when the process ends; no pid reuse)
        select.select([fd], [], [])
    except (AttributeError, OSError):   # no pidfd: ask every half second
        while True:
            try:
                os.kill(caller, 0)
            except ProcessLookupError:
                break
            except PermissionError:   # (alive, someone else's: cannot happen for our caller)
                pass
            time.sleep(0.5)
    import glob
    for scratch in list(_SEEN):
        for folder in glob.glob(os.path.join(glob.escape(scratch), f"fiscalrules-columnar-{caller}-*")):
            shutil.rmtree(folder, ignore_errors=True)
    os._exit(1)


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


def _run_chunk(job: dict, path: str, index: list, start: int, n: int, originals, irregular) -> dict:
    """One chunk, as :func:`~.engine.evaluate_table` runs each, on the chunk's own frames (its
    records numbered from 0; their texts coded here, as the calling process codes a run's); the
    result names rows within the chunk."""
    from .batch import Batch
    from .engine import TableReport, _evaluate_chunk
    from .source import _BOOK_TEXTS, _Source
    from .flatten import FlatRecords
    from .reading import Frame
    from .tables import CodeBook
    run = _open_run(job)
    _SEEN.add(os.path.dirname(job["run"]))
    ruleset, plans, memo = run[0], run[1], run[2]
    tables = _read_chunk(path, index)
    records = tables.pop("")
    numbers = {name: (rows.column(_REC).to_numpy(), rows.column(_POS).to_numpy()) for name, rows in tables.items()}
    long = {name: rows.drop_columns([_REC, _POS]) for name, rows in tables.items()}
    with library_context():
        source = _Source(ruleset, FlatRecords(records, long, numbers, originals, irregular), None, job["floats"])
        source.code_texts()
        report = TableReport(ruleset, source, job["floats"], job["first_row"] + start)
        if len(run[3].texts) > _BOOK_TEXTS:   # (as the calling process renews its book)
            run[3] = CodeBook()
        frame = Frame(source.coded, ruleset.settings, source.roles, job["floats"], memo)
        batch = Batch(frame, ruleset.settings, source.long, 0, source.presence, run[3])
        _evaluate_chunk(report, plans, batch, 0)
    result = _result(report)
    if job["findings"] is not None:
        result["made"] = list(report.findings(None if job["findings"] is True else job["findings"]))
    return result


def _result(report) -> dict:
    """What the parent adds up: only rules with something to say (most kept lists are empty)."""
    kept = {rid: (report._rows[rid], report._codes[rid], report._rounding[rid]) for rid in report.rule_ids
            if report._rows[rid] or report._rounding[rid]}
    return {"counts": {rid: counts for rid, counts in report.counts.items() if any(counts.values())},
            "deferred": {rid: n for rid, n in report.deferred.items() if n},
            "engines": {rid: e for rid, e in report.engines.items() if e.startswith("per-record for some rows")},
            "kept": kept, "errors": report.errors, "unreadable": report._unreadable, "cpu": _cpu()}


def _cpu() -> tuple:
    import time
    return os.getpid(), time.process_time()   # (this process's CPU since it started)


# -- in the parent -------------------------------------------------------------------------------
def _merge(report, result: dict, start: int) -> None:
    """Add a chunk's result (rows numbered within the chunk) to *report*."""
    for rid, counts in result["counts"].items():
        total = report.counts[rid]
        for status, count in counts.items():
            total[status] += count
    for rid, n in result["deferred"].items():
        report.deferred[rid] += n
    report.engines.update(result["engines"])
    for rid, (rows, codes, rounding) in result["kept"].items():
        report._rows[rid].extend(r + start for r in rows)
        report._codes[rid].extend(codes)
        report._rounding[rid].extend((at + start, n, bits) for at, n, bits in rounding)
    report.errors.extend(result["errors"])
    report._unreadable.extend(row + start for row in result["unreadable"])
    if "made" in result:
        report._made[1].extend(result["made"])
