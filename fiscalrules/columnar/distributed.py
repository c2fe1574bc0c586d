"""The columnar plan over a partitioned data set, on Dask (a local cluster or a real one).

Why Dask: it is pip-installable with no service or JVM (Spark needs Java; Ray starts its own
daemons and ships large wheels), a ``distributed.LocalCluster`` runs in CI on one machine, and
the people who hold budget tables in pandas already have it or its API (``dask.dataframe`` reads
the same Parquet and CSV).  Each partition is an ordinary pandas frame: the workers run
:func:`fiscalrules.columnar.evaluate_table` on it, unchanged, and send back only what is not a
pass -- (row, rule, status) -- and the counts; the driver adds them up.  Results are identical to
the single-machine run (same statuses, same rows), which the test suite checks on a local cluster.

Rules travel as their source (a bundled ruleset name, a rule file path or rule text) and are
compiled once per worker process: a compiled :class:`~fiscalrules.Ruleset` holds closures.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..errors import FiscalRulesError
from ..findings import STATUSES
from .plan import STATUS_CODES, UNREADABLE

__all__ = ["evaluate_dask", "DistributedReport", "ruleset_from", "checked_bytes"]

_COMPILED: dict = {}   # per worker process: rule source → Ruleset


def ruleset_from(kind: str, source, rules: list | None = None):
    """The ruleset *source* names, compiled once per process: ``"path"`` (a bundled name or a
    rule file), ``"text"`` (rule text) or ``"checked"`` (:func:`checked_bytes` of a ruleset: the
    columnar workers' way, :mod:`.parallel`); *rules*: the ids of the rules kept (a subset)."""
    data = source if isinstance(source, bytes) else source.encode("utf-8")
    key = (kind, hashlib.sha256(data).hexdigest(), None if rules is None else tuple(rules))
    ruleset = _COMPILED.get(key)
    if ruleset is None:
        import fiscalrules
        if kind == "checked":
            from ..cache import decode
            from ..checked import CheckedRuleset
            from ..loader import Ruleset
            ruleset = Ruleset(CheckedRuleset(**decode(source)))
        else:
            ruleset = fiscalrules.compile_rules(source) if kind == "text" else fiscalrules.load_ruleset(source)
        if rules is not None and [r.id for r in ruleset.rules] != list(rules):
            # (the checked AST holds every rule: a subset is chosen again here)
            import copy
            wanted = set(rules)
            ruleset = copy.copy(ruleset)
            ruleset.rules = [r for r in ruleset.rules if r.id in wanted]
            ruleset._ordered = sorted(ruleset.rules, key=lambda r: r.id)
        _COMPILED[key] = ruleset
    return ruleset


def checked_bytes(ruleset) -> bytes:
    """*ruleset*'s checked AST as the ruleset cache writes it (:func:`fiscalrules.cache.encode`:
    read back by an unpickler that makes AST nodes and nothing else) -- for ``ruleset_from``."""
    import attrs

    from ..cache import encode
    checked = ruleset.checked
    return encode({a.name: getattr(checked, a.name) for a in attrs.fields(type(checked))})



def _partition(frame, kind: str, source: str, floats: str, partition_info=None):
    """One partition's result as a pandas frame: a row per (row, rule) that is not a pass (count
    0), and a row per (rule, status) with the partition's count of findings (row -1)."""
    import pandas as pd
    ruleset = ruleset_from(kind, source)
    number = partition_info["number"] if partition_info else 0
    report = ruleset.evaluate_table(frame, floats=floats)
    rules, rows, codes, counts = [], [], [], []
    for rid in report.rule_ids:
        status = report.statuses(rid)
        kept = np.flatnonzero(status)
        rules.extend([rid] * len(kept))
        rows.extend(kept.tolist())
        codes.extend(status[kept].tolist())
        counts.extend([0] * len(kept))
        for code, name in enumerate(STATUS_CODES):
            if report.counts[rid][name]:
                rules.append(rid)
                rows.append(-1)
                codes.append(code)
                counts.append(report.counts[rid][name])
    return pd.DataFrame({"partition": np.full(len(rows), number, dtype=np.int64),
                         "row": np.asarray(rows, dtype=np.int64), "rule": pd.Series(rules, dtype=object),
                         "code": np.asarray(codes, dtype=np.int64), "count": np.asarray(counts, dtype=np.int64)})


class DistributedReport:
    """Counts per rule and status, and the status of every row, gathered from the partitions."""

    def __init__(self, rule_ids, rows: int, found, offsets):
        self.rule_ids = list(rule_ids)
        self.rows = rows
        self.counts = {rid: dict.fromkeys(STATUSES, 0) for rid in self.rule_ids}
        self._status = {rid: np.zeros(rows, dtype=np.uint8) for rid in self.rule_ids}
        for rid, group in found.groupby("rule"):
            listed = group[group["row"] >= 0]
            global_rows = offsets[listed["partition"].to_numpy()] + listed["row"].to_numpy()
            self._status[rid][global_rows] = listed["code"].to_numpy()
            totals = group[group["row"] < 0]
            for code, count in zip(totals["code"].to_numpy(), totals["count"].to_numpy()):
                self.counts[rid][STATUS_CODES[code]] += int(count)
        first = self._status[self.rule_ids[0]] if self.rule_ids else np.zeros(0, dtype=np.uint8)
        self.unreadable = int(np.count_nonzero(first == UNREADABLE))

    def statuses(self, rule_id: str) -> np.ndarray:
        """The status code of every row (as ``TableReport.statuses``)."""
        return self._status[rule_id]

    def failing(self, rule_id: str) -> np.ndarray:
        return np.flatnonzero(self._status[rule_id] == STATUS_CODES.index("fail"))


def evaluate_dask(rules: str, frame, *, floats: str = "refuse", text: bool = False,
                  timeout: float | None = None) -> DistributedReport:
    """Evaluate *rules* over a ``dask.dataframe`` (one record per row, columns by path or label)
    on whatever Dask scheduler is active (a ``distributed.Client`` if one is open).

    *rules* is a bundled ruleset name or a rule file path readable by every worker, or rule text
    with ``text=True``.  Rows are numbered across partitions in order, as if the frame were one.
    With *timeout* (seconds) and a ``distributed.Client``, a cluster that returns no result in
    that time (no worker started, workers lost) raises :class:`~fiscalrules.FiscalRulesError`
    (E700) instead of waiting for ever."""
    import pandas as pd
    kind = "text" if text else "path"
    ruleset = ruleset_from(kind, rules)  # fail early, on the driver, for a bad rule file
    lengths = _compute(frame.map_partitions(len), timeout)
    offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))[:-1]])
    meta = pd.DataFrame({"partition": pd.Series(dtype="int64"), "row": pd.Series(dtype="int64"),
                         "rule": pd.Series(dtype=object), "code": pd.Series(dtype="int64"),
                         "count": pd.Series(dtype="int64")})
    found = _compute(frame.map_partitions(_partition, kind, rules, floats, meta=meta), timeout)
    return DistributedReport([p.rule.id for p in _plans(ruleset)], int(sum(lengths)), found, offsets)


def _compute(collection, timeout: float | None):
    """*collection* computed on the active scheduler, waiting at most *timeout* seconds for a
    distributed cluster.  Dask's local schedulers run in this process, so they need no limit."""
    if timeout is None:
        return collection.compute()
    try:
        from distributed import get_client
        client = get_client()
    except (ImportError, ValueError):  # ValueError: no distributed client is open
        return collection.compute()
    future = client.compute(collection)
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        future.cancel()
        raise FiscalRulesError(f"the Dask cluster returned no result within {timeout:g} s "
                               f"({len(client.scheduler_info().get('workers', {}))} workers connected)",
                               code="E700") from None


def _plans(ruleset):
    from .engine import plan_of
    return plan_of(ruleset)
