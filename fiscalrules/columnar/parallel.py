"""The columnar engine over several processes on one machine: ``evaluate_table(..., workers=N)`` --
the pool, which way a run's workers start, and the chunks' results added up in order.

:func:`fiscalrules.columnar.evaluate_table` reads its input in chunks of records; each chunk is
evaluated alone (its records, their table rows) and gives counts, the rows that are not passes
and the records that cannot be read.  Here the chunks go to worker processes and their results
are added up in chunk order, so the :class:`~.engine.TableReport` is the one a single process
makes: the same counts, kept (rule, record) pairs, errors in the same order, the same
``engines`` and ``explain``.  Findings are made lazily by the parent, from its own frames, as
without workers -- or by the workers, for a pool asked to (``Workers(n, findings=...)``).

* **Processes, not threads**: the engine is Python driving numpy a few thousand elements at a
  time; the interpreter lock would serialise threads.
* **Two ways of starting workers**, a module each: forked from the caller by each run, seeing
  its frames in place (:mod:`.forked`: Linux, a caller alone in its process), or started once
  from a fork server and handed each chunk as a file (:mod:`.forkserver`: elsewhere, when
  other threads are alive, or with :data:`FORK` set False).
* **Only a single-threaded caller forks** (:func:`_alone`): a fork copies the memory of every
  thread but runs only the forking one, so a lock another thread holds at that moment (logging's,
  a standard stream's, one inside an Arrow call or an allocator) stays held in the child for
  ever.  A run whose process has any other Python thread alive (``threading.active_count() >
  1``: the user's, a thread pool's, a kept fork-server pool's own) takes the fork server's way
  instead, with the same report.  (Why the native threads of a single-threaded caller are safe
  to fork over: :mod:`.forked`.)
* **Results**: per chunk, the counts, the row numbers and one-byte status codes of what is not a
  pass, the rows passing within rounding (a bitmap when many), the unreadable records -- added
  in chunk order (:func:`_result` in the worker, :func:`_merge` here).  What crosses a pipe is
  packed: dense kept rows as a bitmap, a list of one status code as that code.
* **When it pays**: an input of one chunk runs in this process (starting processes costs more).
* **Failures**: an exception in a worker is raised here as the single process raises it; a
  worker that dies (killed, out of memory) raises :class:`~fiscalrules.FiscalRulesError` E701 at
  once -- no wait for a result that will never come -- and the other workers are stopped (a
  fork server's pool: also the next run on a kept pool one of whose workers has died since the
  last).  A caller killed outright (SIGKILL, SIGTERM, the out-of-memory killer: no ``finally``
  runs) is noticed by its workers (:func:`_watch_caller`, either way), which remove its scratch
  folders and exit (a fork server, its last user gone, exits after them).

:class:`Workers` is a pool kept for several runs (``with Workers(4) as pool: ... workers=pool``):
its size and what its workers make; a fork server's processes start once and keep their compiled
rulesets, forked ones are forked by each run.  ``workers=N`` is a pool for the one call.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import numpy as np

from ..errors import FiscalRulesError

__all__ = ["Workers", "worker_count", "evaluate_chunks", "record_ranges", "scratch_dir", "shares", "MIN_SHARE", "TRACE",
           "print_trace"]


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
            from .forkserver import executor
            self._executor = executor(self.size)
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
    """Evaluate *source*'s records on *workers* (a number, ``"auto"``, or a :class:`Workers`) in
    record ranges, each in chunks of about *chunk_rows*, adding each range's result to *report* in
    order.  False, with nothing done, when one process is asked for or the input is one chunk: the
    caller runs it.  A *chunk_rows* the caller *given* is kept (ranges of that many records, each
    one chunk); else there is a range per worker, each of about as much work (table rows and
    records: :func:`record_ranges`) -- what a process does once per range (each column's and
    table's reading) costs it as much per range as once for the run in one process: four ranges
    instead of two took ~15 % more CPU in all, six ~35 %."""
    total = source.table.num_rows
    pool = workers if isinstance(workers, Workers) else None
    size = pool.size if pool is not None else worker_count(workers)
    chunks = -(-total // chunk_rows)
    if size <= 1 or chunks < 2:
        return False
    if given:
        ranges = [(start, min(start + chunk_rows, total)) for start in range(0, total, chunk_rows)]
    else:
        ranges = record_ranges(source, min(size, chunks))
    if pool is None:
        pool = Workers(min(size, len(ranges)))
    pool.last_forked = pool.forked and _alone()
    if pool.last_forked:
        from . import forked
        return forked.evaluate_forked(report, source, ranges, chunk_rows, pool, first_row)
    from . import forkserver
    return forkserver.evaluate_served(report, source, ranges, pool, first_row, own=workers is not pool)


def record_ranges(source, parts: int) -> list:
    """*source*'s records cut into *parts* consecutive ranges ``(start, stop)`` of about as much
    work each: a record counts for itself and each of its table rows -- a range of records with
    many rows is shorter.  The boundaries are found from the long frames' record numbers (sorted:
    a binary search per table and step), not from a pass over the rows."""
    total = source.table.num_rows
    recs = [long.rec for long in source.long.values() if len(long.rec)]

    def work(stop: int) -> int:   # the records before *stop* and their table rows
        return stop + sum(int(np.searchsorted(rec, stop)) for rec in recs)
    whole, done = work(total), 0
    cuts = [0]
    for part in range(parts - 1):
        # the work left shared among the ranges left (a record of many rows past a target: the rest evened out)
        target, lo, hi = done + (whole - done) // (parts - part), cuts[-1], total
        while lo < hi:   # the first stop at which the work before it reaches the target
            mid = (lo + hi) // 2
            if work(mid) < target:
                lo = mid + 1
            else:
                hi = mid
        cuts.append(lo)
        done = work(lo)
    cuts.append(total)
    return [(start, stop) for start, stop in zip(cuts, cuts[1:]) if stop > start]


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

#: A list to record the phases of the runs forked from now on in (None, the default: nothing
#: recorded): per phase (process id, name, wall start, wall end, CPU start, CPU end, minor page
#: faults) -- ``time.perf_counter``, ``time.process_time`` (user + system) and
#: ``RUSAGE_SELF.ru_minflt`` of the process that ran it; a worker's come back with its results.
#: :func:`print_trace` prints them (``benchmarks/bench_ruleset_table.py --workers 2 --trace``).
TRACE: list | None = None


class phase:
    """``with phase(name):`` records *name*'s span in :data:`TRACE` (nothing when it is None)."""

    __slots__ = ("name", "start")

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        if TRACE is not None:
            self.start = _clock()

    def __exit__(self, *exc):
        if TRACE is not None:
            (pid, wall, cpu, faults), end = self.start, _clock()
            TRACE.append((pid, self.name, wall, end[1], cpu, end[2], end[3] - faults))


def _clock() -> tuple:
    import resource
    import time
    return os.getpid(), time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def print_trace(trace: list, file=None) -> None:
    """The phases of *trace* (:data:`TRACE`) in the order they started, then each process's
    CPU, busy and idle wall time from its first phase to the last phase's end."""
    if not trace:
        return
    zero = min(entry[2] for entry in trace)
    end = max(entry[3] for entry in trace)
    names = {}
    for pid, *_ in sorted(trace, key=lambda entry: entry[2]):
        names.setdefault(pid, "caller" if not names else f"worker {len(names)}")
    print(f"{'process':9} {'phase':24} {'start':>6} {'wall':>6} {'CPU':>6} {'faults':>8}", file=file)
    for pid, name, wall0, wall1, cpu0, cpu1, faults in sorted(trace, key=lambda entry: entry[2]):
        print(f"{names[pid]:9} {name:24} {wall0 - zero:6.2f} {wall1 - wall0:6.2f} {cpu1 - cpu0:6.2f} {faults:8d}",
              file=file)
    for pid, name in names.items():
        mine = [entry for entry in trace if entry[0] == pid and not entry[1].startswith("  ")]
        cpu = sum(entry[5] - entry[4] for entry in mine)
        busy = sum(entry[3] - entry[2] for entry in mine)
        print(f"{name} (pid {pid}): CPU {cpu:.2f} s in its phases, wall {busy:.2f} s of {end - zero:.2f} s", file=file)


def result_of(future):
    """A worker's result, waited for a little at a time.  The kernel hands a signal sent to the
    process to any thread not blocking it (the pool's, Arrow's): Python's handler then runs only in
    the main thread, at its next instruction -- and a main thread asleep on the future's lock has
    none until the worker is done, which a stalled worker never is (a SIGTERM to ``check --jobs``
    hung it, one run in ~50 under load).  Woken every _WAKE seconds, it runs the handler."""
    import concurrent.futures
    while True:
        try:
            return future.result(timeout=_WAKE)
        except concurrent.futures.TimeoutError:
            continue


_WAKE = 0.2   # seconds


def _broken() -> FiscalRulesError:
    return FiscalRulesError("a worker process of the columnar engine stopped before finishing its chunk "
                            "(killed, out of memory, or it could not start: a main program read from "
                            "standard input, or without `if __name__ == '__main__':`, cannot be "
                            "imported by a worker started by a fork server)", code="E701")


# -- in a worker (either way) --------------------------------------------------------------------
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


def _result(report, packed: bool = True) -> dict:
    """What the parent adds up: only rules with something to say (most kept lists are empty).
    *packed*: the kept rows and codes in :func:`_packed_rows`' and :func:`_packed_codes`' few
    bytes, for a result that crosses a pipe (not the caller's own ranges, merged where they are)."""
    kept = {rid: (report._rows[rid], report._codes[rid], report._rounding[rid]) for rid in report.rule_ids
            if report._rows[rid] or report._rounding[rid]}
    if packed:
        kept = {rid: ([_packed_rows(r) for r in rows], [_packed_codes(c) for c in codes], rounding)
                for rid, (rows, codes, rounding) in kept.items()}
    return {"counts": {rid: counts for rid, counts in report.counts.items() if any(counts.values())},
            "deferred": {rid: n for rid, n in report.deferred.items() if n},
            "engines": {rid: e for rid, e in report.engines.items() if e.startswith("per-record for some rows")},
            "kept": kept, "errors": report.errors, "unreadable": report._unreadable, "cpu": _cpu()}


# A range's kept rows are most of its records for many rules (those not applicable to most
# records): 5.6 M row numbers, 52 MB pickled, for 50,000 records of the bundled budget ruleset.
# Pickled, sent down a pipe 64 KiB at a time and unpickled, that took the caller 0.7-1.6 s of
# wall time after the worker's last chunk (a fresh page of memory for each copy, the receiving
# thread of the caller's executor waiting for the interpreter lock between reads), longer than
# the worker's own last chunk; packed, the same result is ~2 MB.
def _packed_rows(rows: np.ndarray):
    """Row numbers (int64, ascending as :meth:`.engine.TableReport._keep` keeps them) in few
    bytes: a bitmap of the span they cover where they are dense -- ``(first, span, bits)`` --,
    else as int32 where they fit, else as they are.  :func:`_unpacked_rows` reverses it."""
    n = len(rows)
    if n < 2 or rows[0] < 0 or not bool((rows[1:] > rows[:-1]).all()):
        return rows
    first = int(rows[0])
    span = int(rows[-1]) - first + 1
    if span < 32 * n:   # (a bit each of the span, against 4 bytes a row)
        mask = np.zeros(span, dtype=bool)
        mask[rows - first] = True
        return first, span, np.packbits(mask)
    return rows.astype(np.int32) if rows[-1] < 1 << 31 else rows


def _unpacked_rows(packed) -> np.ndarray:
    """The int64 row numbers :func:`_packed_rows` packed."""
    if isinstance(packed, tuple):
        first, span, bits = packed
        return np.flatnonzero(np.unpackbits(bits, count=span)) + first
    return packed.astype(np.int64, copy=False)


def _packed_codes(codes: np.ndarray):
    """A kept rows' status codes (uint8): ``(code, n)`` when they are all one (most often:
    not applicable), else as they are."""
    if len(codes) and bool((codes == codes[0]).all()):
        return int(codes[0]), len(codes)
    return codes


def _unpacked_codes(packed) -> np.ndarray:
    if isinstance(packed, tuple):
        code, n = packed
        return np.full(n, code, dtype=np.uint8)
    return packed


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
        report._rows[rid].extend(_unpacked_rows(r) + start for r in rows)
        report._codes[rid].extend(_unpacked_codes(c) for c in codes)
        report._rounding[rid].extend((at + start, n, bits) for at, n, bits in rounding)
    report.errors.extend(result["errors"])
    report._unreadable.extend(row + start for row in result["unreadable"])
    if "made" in result:
        report._made[1].extend(result["made"])
