"""Workers forked from the caller for one run (:func:`.parallel.evaluate_chunks`' way on Linux,
for a caller alone in its process): the run's chunks shared between the caller and them.

* Each run forks ``N - 1`` workers as soon as its input is read as frames and its table rows
  matched to records (:class:`~.source._Source`) -- the caller is the N-th, taking record ranges
  from the back while the workers are handed them from the front.  A range is a zero-copy slice
  of the frames (the record frame's rows, each table's rows of those records: found from the
  sorted record numbers, :func:`_range_source`) that the process reads, codes and evaluates as
  one process reads a chunk -- nothing of the run is read before the fork, and no process reads
  another's rows.  A worker sees the frames as the caller holds them (copy-on-write memory:
  nothing is written, copied or pickled on the way in) with the ruleset's plans compiled
  already, keeps its text readings and code book from range to range, and stops when the run
  ends.  What comes back per range is :func:`.parallel._result`'s: counts, and only the rows
  that are not passes.
* A worker ignores Ctrl-C (the caller's to handle: it kills the workers) and dies of SIGTERM; it
  watches the caller as a fork server's worker does (:func:`.parallel._watch_caller`).  The
  standard streams are flushed first: a worker would write the caller's buffered output again
  as it exits.
* Only a caller whose thread is alone in it forks (:func:`.parallel._alone`).  The native threads
  such a caller has are safe to fork over: Arrow's thread pools and its jemalloc allocator's
  background thread re-initialise in the child by their own ``atfork`` handlers (as does
  glibc's malloc), and none is inside a call of ours, since the run's own thread forks between
  Arrow and numpy calls.  Python 3.12 and later count those native threads too
  (``/proc/self/stat``) and issue a ``DeprecationWarning`` ("multi-threaded, use of fork() may
  lead to deadlocks") from every fork: for the fork it has judged safe the run ignores that
  warning, so that neither a caller's ``-W error`` nor pytest's warning capture turns it into an
  error or a report.
* Ctrl-C and SIGTERM arriving while the workers are forked are held back and raised after
  (:func:`_interrupts_held`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import warnings

from ..values import library_context
from . import parallel

__all__ = ["evaluate_forked"]

_FORKED: dict = {}   # run → what its forked workers evaluate: set by the caller before it forks them
_RUNS = itertools.count()


def evaluate_forked(report, source, ranges: list, chunk_rows: int, pool: parallel.Workers, first_row: int) -> bool:
    """The record *ranges* (``(start, stop)``, in order; each in chunks of about *chunk_rows*) on this process and workers forked from
    it for this run: each sees the run's frames as they are here (copy-on-write memory, nothing
    written or pickled but the results), its plans compiled already, and evaluates the ranges
    the queue hands it; they stop at the run's end."""
    import multiprocessing
    import sys
    import time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from .engine import plan_of
    plan_of(report.ruleset)
    run = next(_RUNS)   # (a key of its own: runs in other threads of this process have theirs)
    # memo and book: each process's own from the fork on (its text readings, its code book)
    _FORKED[run] = dict(caller=os.getpid(), report=report, source=source, first_row=first_row, findings=pool.findings,
                        make=pool.make, chunk_rows=chunk_rows, memo={}, book=None)
    # Buffered output would be written again by each worker as it exits (multiprocessing flushes
    # the standard streams it inherited).
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    # This process is one of the pool's: it forks one worker fewer and evaluates ranges itself
    # rather than wait.
    executor = ProcessPoolExecutor(min(pool.size, len(ranges)) - 1, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_forked_worker, initargs=(os.getpid(),))
    done = False
    try:
        if pool.make is not None:
            report._made = ("rendered", [])
        elif pool.findings is not None:   # (the ranges' findings, in order: TableReport.findings)
            report._made = (None if pool.findings is True else pool.findings, [])
        pool.forked_at = time.process_time()
        # The workers are handed ranges from the front, one each at a time (a range is most
        # often a worker's whole share), the next as soon as one is done (``hand_out``, run by
        # the pool's thread as a range's result comes in: a worker finishing while this process
        # is busy with a range of its own waited for it); this process takes them from the back,
        # until the two meet.  (Handed out as they go, never cancelled: Python 3.11's pool,
        # broken by a worker's death, fails on a future cancelled earlier and leaves the others
        # unresolved.)
        futures: dict = {}
        own: dict = {}
        left = [0, len(ranges)]   # the next range from the front, and the end of those not taken
        lock = threading.Lock()

        def hand_out(_done=None) -> None:
            with lock:
                if left[0] >= left[1]:
                    return
                at = left[0]
                left[0] += 1
                start, stop = ranges[at]
                try:
                    futures[at] = executor.submit(_run_slice, run, start, stop - start)
                except Exception as exc:   # (the pool broken or shut down since: the range fails with it)
                    futures[at] = _failed(exc)
                    return
            futures[at].add_done_callback(hand_out)
        with warnings.catch_warnings(), _interrupts_held(), parallel.phase("fork"):
            # The first submit forks the workers: Python 3.12+ warns of every fork in a process
            # with threads, counting the native ones (Arrow's, jemalloc's) that this fork is safe
            # over (module doc).  Filters changed for the moment: no other thread to see them.
            warnings.simplefilter("ignore", DeprecationWarning)
            for _ in range(min(executor._max_workers, len(ranges))):
                hand_out()
        pool._last = [p.pid for p in list(executor._processes.values())]
        while True:
            with lock:
                if left[0] >= left[1]:
                    break
                left[1] -= 1
                mine = left[1]
            start, stop = ranges[mine]
            try:
                own[mine] = _run_slice(run, start, stop - start)
                own[mine].pop("cpu")
            except Exception as exc:   # raised in range order below: one process raises an earlier chunk's first
                own[mine] = exc
        for at, (start, _) in enumerate(ranges):
            if at in own:
                result = own.pop(at)
            else:
                with parallel.phase("wait for a worker"):
                    result = parallel.result_of(futures.pop(at))
            if isinstance(result, Exception):
                raise result
            if "cpu" in result:
                pid, cpu = result.pop("cpu")
                pool.cpu[pid] = cpu
            if parallel.TRACE is not None:
                parallel.TRACE.extend(result.pop("trace", ()))
            with parallel.phase("merge"):
                parallel._merge(report, result, start)
        done = True
    except BrokenProcessPool:
        raise parallel._broken() from None
    finally:
        del _FORKED[run]
        if not done:   # (interrupted, or an error: the ranges still running are not waited for)
            for process in list(executor._processes.values()):
                with contextlib.suppress(Exception):
                    process.kill()
        with parallel.phase("workers' exit"):
            executor.shutdown(wait=True)   # (the ranges handed out fail with the killed workers)
    return True


def _failed(exc: BaseException):
    """A future already failed with *exc*: a range that could not be handed out."""
    from concurrent.futures import Future
    future = Future()
    future.set_exception(exc)
    return future


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
    parallel._watch_caller(caller, parallel.scratch_dir())


def _run_slice(key: int, start: int, n: int) -> dict:
    """In a forked worker (or the caller): run *key*'s records *start*…*start+n-1*, as
    :func:`~.engine.evaluate_table` runs a chunk, into a report of its own (rows numbered from
    the range's first)."""
    mark = len(parallel.TRACE) if parallel.TRACE is not None else 0
    with parallel.phase(f"records {start}-{start + n - 1}"):
        result = _evaluate_own(key, start, n)
    if parallel.TRACE is not None and os.getpid() != _FORKED[key]["caller"]:
        result["trace"] = parallel.TRACE[mark:]
        del parallel.TRACE[mark:]
    return result


def _evaluate_own(key: int, start: int, n: int) -> dict:
    from .engine import TableReport, run_chunks
    from .source import _BOOK_TEXTS
    from .tables import CodeBook
    run = _FORKED[key]
    parent = run["report"]
    ruleset = parent.ruleset
    with library_context():
        with parallel.phase("  slice"):
            part = _range_source(run["source"], start, start + n)
        with parallel.phase("  code texts"):
            part.code_texts()
        book = run["book"]
        if book is None or len(book.texts) > _BOOK_TEXTS:   # (as one process renews its book)
            book = CodeBook()
        with parallel.phase("  read tables"):   # (what run_chunks' first chunk would read: timed apart)
            for long in part.long.values():
                long.prepared(ruleset.settings, parent.floats, run["memo"], book)
        report = TableReport(ruleset, part, parent.floats, run["first_row"] + start)
        # (chunks of the range as alike as the engine makes a run's, as few as its size allows)
        chunks = max(1, -(-n // int(run["chunk_rows"] * 1.1)))
        with parallel.phase("  evaluate"):
            run["book"] = run_chunks(report, part, max(1, -(-n // chunks)), run["memo"], book)
    with parallel.phase("  result"):
        result = parallel._result(report, packed=os.getpid() != run["caller"])   # (the caller's: merged here)
        if run["make"] is not None:
            result["made"] = [run["make"](report)]
        elif run["findings"] is not None:
            result["made"] = list(report.findings(None if run["findings"] is True else run["findings"]))
    return result


def _range_source(source, start: int, stop: int):
    """*source* for its records *start*…*stop-1* alone, numbered from 0: slices of its frames (no
    copy: Arrow slices, numpy views, but for each table row's record number, made local), each
    table's rows of those records found in its sorted record numbers.  Nothing read yet: the
    texts are coded (``code_texts``) and the tables read by the process evaluating it."""
    import copy
    from .tables import LongFrame
    part = copy.copy(source)
    n = stop - start
    part.table = part.coded = source.table.slice(start, n)
    if source.originals is not None:
        part.originals = source.originals[start:stop]
    if source.irregular is not None:
        part.irregular = source.irregular[start:stop]
    part.refused = {row - start: error for row, error in source.refused.items() if start <= row < stop}
    part.long = {}
    for path, long in source.long.items():
        lo, hi = long.span(start, stop)
        rows = part.long[path] = LongFrame.__new__(LongFrame)
        rows.path, rows.decl, rows.roles, rows.records = long.path, long.decl, long.roles, n
        rows.table, rows.rec, rows.pos = long.table.slice(lo, hi - lo), long.rec[lo:hi] - start, long.pos[lo:hi]
    return part
