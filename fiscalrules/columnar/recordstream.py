"""``fiscalrules check --engine columnar``: record files (JSON, JSON Lines, YAML) streamed through
the columnar engine in chunks, with the output the per-record path writes, passes left out.

The per-record path (:func:`fiscalrules.streaming.stream_records`) loads every record and runs
every rule on it.  Here the records of a file are read as mappings, ``CHUNK_RECORDS`` at a time;
each chunk is flattened (:func:`~.flatten.flatten_records`) and evaluated on columns, each
ruleset in turn, and then dropped.  Counts come from the columnar engine.  Only the records with a
finding that is not a pass -- and those the frames cannot speak for (unreadable, or none of their
keys a declared field) -- are loaded as records; the per-record engine runs on them the rules that
did not pass, and their findings are written exactly as the per-record path writes them (ids,
order, localisation, read errors).  So the output is the per-record path's without its ``pass``
and ``pass_rounding`` findings, which are counted in the summary line, as for table files.

Extracted records are rarely all passes: a disclosure leaves dozens of rules not applicable, so
nearly every record is loaded anyway, and flattening it for the columnar engine first only adds
work.  After a chunk in which at least ``DIRECT_SHARE`` of the records had to be loaded, the next
chunks are run *directly*: each record loaded once and every rule run on it by the per-record
engine, its passes counted instead of written -- the same output and counts by the engines'
equivalence.  Every ``PROBE_CHUNKS``-th chunk goes through the columnar engine again, so a file
whose records turn clean goes back to columns.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import FiscalRulesError, RecordError
from ..findings import RecordInfo, Report, Status
from ..loader import _unique
from ..records import _checked_meta, _safe_load, record_entries
from ..values import library_context

__all__ = ["CHUNK_RECORDS", "stream_records_columnar"]

#: Records per chunk: the chunk's parsed mappings and frames are most of what a run holds (parsed,
#: an extracted record of ~60 KB of JSON takes several times that).
CHUNK_RECORDS = 512
#: The share of a chunk's records loaded anyway above which the next chunks run directly.
DIRECT_SHARE = 0.9
#: In the direct mode, every this many chunks one goes through the columnar engine again.
PROBE_CHUNKS = 8
_CHECKED = (Status.PASS, Status.ROUNDING, Status.FAIL, Status.ERROR)


def stream_records_columnar(rulesets: list, sources, sink, tally, *, localise: bool = True,
                            chunk_records: int | None = None) -> None:
    """Every record of the files *sources* through the columnar engine (see the module doc),
    findings that are not passes written to *sink*, every status counted in *tally*."""
    chunk_records = chunk_records or CHUNK_RECORDS
    run = _Run(rulesets, sink, tally, localise)
    for source in sources:
        name = str(source)
        pending: list = []
        for entry in record_entries(source):
            if isinstance(entry, RecordError):  # in input order: the records before it first
                run.chunk(pending, name)
                pending = []
                run.error(entry)
                continue
            pending.append(entry)
            if len(pending) >= chunk_records:
                run.chunk(pending, name)
                pending = []
        run.chunk(pending, name)


class _Run:
    def __init__(self, rulesets, sink, tally, localise: bool):
        self.rulesets, self.sink, self.tally, self.localise = rulesets, sink, tally, localise
        self.seen: dict = {}                       # record ids given so far (made unique as the per-record path does)
        self.severity = [{rule.id: rule.severity for rule in r.rules} for r in rulesets]
        self.direct = 0                            # chunks left to run directly (see the module doc)

    def error(self, exc: FiscalRulesError) -> None:
        info = RecordInfo.unreadable(exc)
        self.tally.errors.append(info)
        self.sink.write([], [info])

    def chunk(self, entries: list, name: str) -> None:
        if not entries:
            return
        if self.direct:
            self.direct -= 1
            for data, given_id, line in entries:
                self.record(data, given_id, line, name, None)
            return
        from .flatten import flatten_records
        n = len(entries)
        mappings = [entry[0] for entry in entries]
        own = np.zeros(n, dtype=bool)       # records read as records: not all passes, or not speakable
        left: list = []                     # per ruleset: row → rule ids that did not pass
        for index, ruleset in enumerate(self.rulesets):
            flat = flatten_records(mappings, ruleset)
            report = ruleset.evaluate_table(flat)
            rows_left: dict = {}
            for rid in report.rule_ids:
                for rows in report._rows[rid]:
                    for row in rows.tolist():
                        rows_left.setdefault(row, set()).add(rid)
            left.append(rows_left)
            own[list(rows_left)] = True
            own[report._unreadable] = True
            own |= ~_speaks(flat.records)
            for rid, counts in report.counts.items():
                self.tally.add_counts(counts, self.severity[index][rid])
        if own.sum() >= DIRECT_SHARE * n:
            self.direct = PROBE_CHUNKS - 1
        for row in range(n):
            data, given_id, line = entries[row]
            if not own[row]:
                _unique(_record_id(data, given_id, name), self.seen)
                self.tally.records += 1
                continue
            self.record(data, given_id, line, name, [rows_left.get(row, set()) for rows_left in left])

    def record(self, data, given_id: str, line, name: str, not_passed: list | None) -> None:
        """One record that has findings to write: loaded as the per-record path loads it, and the
        rules that did not pass (*not_passed*, per ruleset) run on it by the per-record engine --
        or, with *not_passed* None (the direct mode), every rule, its findings counted here."""
        from ..compiler import Context
        with library_context():
            item = _safe_load(data, given_id, line, name)
        if isinstance(item, FiscalRulesError):
            self.error(item)
            return
        rid = _unique(item.id, self.seen)
        self.tally.records += 1
        findings, everything = [], []
        inputs = Report()
        unknown: set | None = None
        info = None
        passed = False
        for index, ruleset in enumerate(self.rulesets):
            rules = not_passed[index] if not_passed is not None else None
            keys, labels = ruleset.unknown_keys(item)
            info = RecordInfo(rid, item.document, item.unread, unknown_keys=keys, label_keys=labels,
                              figure_count=len(item.figure_values) + len(item.tables), coverage=item.coverage,
                              part=item.part)
            inputs.add_input(rid, ruleset, item)
            unknown = set(keys) if unknown is None else unknown & set(keys)
            passed = passed or (rules is not None and len(rules) < len(ruleset.rules))
            with library_context():
                ctx = Context(item, ruleset.settings)
                for rule in ruleset._ordered:
                    if rules is None or rule.id in rules:
                        everything.extend(rule.evaluate(item, rid, ctx))
        if not_passed is None:   # nothing was counted on columns
            for finding in everything:
                self.tally.add(finding)
        findings = [f for f in everything if f.status not in (Status.PASS, Status.ROUNDING)]
        if info is not None:
            info.unknown_keys = [k for k in info.unknown_keys if k in (unknown or set())]
            unchecked = Report(findings=everything, records=[info]).nothing_checked(rid)
            if unchecked and passed:  # a rule passed: unchecked only when no key is a declared field
                unchecked = bool(info.figure_count and len(info.unknown_keys) >= info.figure_count)
            self.tally.unchecked += unchecked
        self.sink.write(findings, inputs=inputs if self.localise else None, document=item.document)


def _record_id(data, given_id: str, name: str) -> str:
    """The id ``load_record`` gives a record it reads (``_meta.id``, else its place in the file)."""
    meta = _checked_meta(data.get("_meta"), name)
    return str(meta.get("id") or given_id or os.path.basename(name))


def _speaks(records) -> np.ndarray:
    """Rows of a record frame holding some figure or table the ruleset declares: the others are
    read as records, where the per-record path says whether anything could be checked."""
    out = np.zeros(records.num_rows, dtype=bool)
    for name in records.column_names:
        if name.startswith("_meta."):
            continue
        column = records.column(name)
        if column.null_count == 0:
            return np.ones(records.num_rows, dtype=bool)
        out |= column.is_valid().to_numpy(zero_copy_only=False)
    return out
