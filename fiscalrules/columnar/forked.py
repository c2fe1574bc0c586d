"""Workers forked from the caller for one run (:func:`.parallel.evaluate_chunks`' way on Linux,
for a caller alone in its process): the run's chunks shared between the caller and them.

* Each run forks ``N - 1`` workers once the run's frames are read, their texts coded and what a
  run reads once read (the record frame's cells validated, each table's codes and cells: a
  worker that read them again, into memory it then had to copy, spent ~2.5 CPU-s where it now
  spends ~1.5, for half the 100k coded records) -- the caller is the N-th, taking chunks from
  the back while the workers are handed them from the front -- and a worker sees the frames as
  the caller holds them (copy-on-write memory: nothing is written, copied or pickled on the way
  in) with the ruleset's plans compiled already, and stops when the run ends.
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
import warnings

from ..values import library_context
from . import parallel

__all__ = ["evaluate_forked"]

_FORKED: dict = {}   # run → what its forked workers evaluate: set by the caller before it forks them
_RUNS = itertools.count()


def evaluate_forked(report, source, starts: list, chunk_rows: int, pool: parallel.Workers, first_row: int) -> bool:
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
    with parallel.phase("read before the fork"):
        source.code_texts()
        memo, book = {}, CodeBook()
        whole = Frame(source.coded, ruleset.settings, source.roles, report.floats, memo)
        for long in source.long.values():
            long.prepared(ruleset.settings, report.floats, memo, book)
    total = source.table.num_rows
    run = next(_RUNS)   # (a key of its own: runs in other threads of this process have theirs)
    _FORKED[run] = dict(caller=os.getpid(), report=report, source=source, first_row=first_row, findings=pool.findings,
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
        with warnings.catch_warnings(), _interrupts_held(), parallel.phase("fork"):
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
            if at in own:
                result = own.pop(at)
            else:
                with parallel.phase("wait for a worker"):
                    result = futures.pop(at).result()
            if isinstance(result, Exception):
                raise result
            if "cpu" in result:
                pid, cpu = result.pop("cpu")
                pool.cpu[pid] = cpu
            if parallel.TRACE is not None:
                parallel.TRACE.extend(result.pop("trace", ()))
            with parallel.phase("merge"):
                parallel._merge(report, result, 0)
        done = True
    except BrokenProcessPool:
        raise parallel._broken() from None
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
    :func:`~.engine.evaluate_table` runs each chunk, into a report of its own (rows numbered as in
    the run)."""
    mark = len(parallel.TRACE) if parallel.TRACE is not None else 0
    with parallel.phase(f"records {start}-{start + n - 1}"):
        result = _evaluate_own(key, start, n)
    if parallel.TRACE is not None and os.getpid() != _FORKED[key]["caller"]:
        result["trace"] = parallel.TRACE[mark:]
        del parallel.TRACE[mark:]
    return result


def _evaluate_own(key: int, start: int, n: int) -> dict:
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
        # (a worker reads its own rows' figures, texts and flags, not the whole run's: each process
        # of the pool reading every record of the run cost ~0.4 CPU-s more for its first chunk)
        frame = Frame(source.coded.slice(start, n), ruleset.settings, source.roles, parent.floats, run["memo"],
                      run=(run["whole"], start, start + n), run_reads=False)
        batch = Batch(frame, ruleset.settings, source.long, start, source.presence, run["book"])
        _evaluate_chunk(report, plan_of(ruleset), batch, start)
        frame = batch = None
    result = parallel._result(report)
    if run["make"] is not None:
        result["made"] = [run["make"](report)]
    elif run["findings"] is not None:
        result["made"] = list(report.findings(None if run["findings"] is True else run["findings"]))
    return result
