"""The columnar engine: every rule over whole columns, per-record fallback rule by rule.

:func:`evaluate_table` reads a frame (Arrow table, pandas DataFrame, DuckDB relation) in chunks
of rows.  Each rule the plan compiles (:mod:`fiscalrules.columnar.plan`) gives a status code per
row in a handful of numpy operations; the rules it cannot express -- and, for one chunk, a rule
whose figures do not fit 64-bit integers -- run on the per-record engine over the same rows read
as records (:mod:`fiscalrules.frames`).  Rows the record loader would refuse are reported as
unreadable records, as ``evaluate_many`` reports them.

Passing rows are counted, not kept.  Every other (rule, row) is kept as two small integers, and
becomes a full :class:`~fiscalrules.findings.Finding` only when asked for
(:meth:`TableReport.findings`): the row is read as a record and the rule run on it by the
per-record engine, so a finding's sides, operands and messages are exactly those of
``Ruleset.evaluate`` -- the columnar engine decides statuses, it does not re-implement findings.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..errors import FiscalRulesError, Location, RecordError
from ..findings import STATUS_RANK, STATUSES, RecordInfo, Report
from ..frames import ID_COLUMNS, column_paths, frame_kind, frame_records
from ..records import load_record
from .columns import Batch, Unsupported
from .plan import PASS, PASS_ROUNDING, STATUS_CODES, UNREADABLE, compile_rule

__all__ = ["evaluate_table", "TableReport", "to_arrow", "plan_of", "DEFAULT_CHUNK_ROWS"]

DEFAULT_CHUNK_ROWS = 1 << 17
_CODE = {name: i for i, name in enumerate(STATUS_CODES)}


def to_arrow(data, name: str = "table"):
    """A pyarrow Table for a frame: Arrow as it is, pandas and DuckDB converted, a mapping of
    column → values built.  pandas object columns mixing numbers and text become text."""
    import pyarrow as pa
    kind = frame_kind(data)
    if kind == "arrow":
        return data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
    if kind == "duckdb":
        table = data.to_arrow_table() if hasattr(data, "to_arrow_table") else data.arrow()
        return table if isinstance(table, pa.Table) else table.read_all()
    if kind == "pandas":
        arrays = []
        for i in range(data.shape[1]):
            series = data.iloc[:, i]
            try:
                arrays.append(pa.array(series, from_pandas=True))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays.append(pa.array([_as_text(v) for v in series.tolist()], type=pa.string()))
        return pa.table(arrays, names=[str(c) for c in data.columns])
    if isinstance(data, dict):
        return pa.table({str(k): list(v) for k, v in data.items()})
    raise RecordError(f"cannot read a {type(data).__name__} as a table (expected an Arrow table, a pandas "
                      "DataFrame or a DuckDB relation)", "", Location(name))


def _as_text(value):
    from decimal import Decimal
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class RulePlan:
    """How one rule runs on columns: its closure, or the reason it runs per record."""

    __slots__ = ("rule", "statuses", "reason")

    def __init__(self, rule, statuses, reason):
        self.rule, self.statuses, self.reason = rule, statuses, reason


def plan_of(ruleset) -> list:
    """The columnar plan of every rule (cached on the ruleset), in rule-id order."""
    plans = getattr(ruleset, "_columnar_plans", None)
    if plans is None:
        plans = []
        for rule in ruleset._ordered:
            try:
                plans.append(RulePlan(rule, compile_rule(rule), None))
            except Unsupported as exc:
                plans.append(RulePlan(rule, None, str(exc)))
        ruleset._columnar_plans = plans
    return plans


class TableReport:
    """What :func:`evaluate_table` found: counts per rule and status, unreadable rows, and the
    (rule, row) of every finding that is not a pass, made into findings on demand."""

    def __init__(self, ruleset, table, floats: str):
        self.ruleset = ruleset
        self.name = ruleset.name
        self.table = table
        self.floats = floats
        self.rows = table.num_rows
        self.rule_ids = [p.rule.id for p in plan_of(ruleset)]
        self.engines = {p.rule.id: "columnar" if p.reason is None else f"per-record: {p.reason}"
                        for p in plan_of(ruleset)}
        self.counts = {rid: dict.fromkeys(STATUSES, 0) for rid in self.rule_ids}
        self.errors: list = []            # RecordInfo of rows that cannot be read as records
        self._unreadable: list = []       # row numbers of those
        self._rows = {rid: [] for rid in self.rule_ids}    # arrays of row numbers (non-passing)
        self._codes = {rid: [] for rid in self.rule_ids}   # their status codes (worst, per row)
        self._ids = _record_ids(table)

    # -- results -----------------------------------------------------------------------------------
    def record_id(self, row: int) -> str:
        return self._ids(row)

    def statuses(self, rule_id: str) -> np.ndarray:
        """The status code of every row for one rule (see ``STATUS_CODES``; 255: unreadable row).
        For a per-row rule run per record, the worst status of the record's findings."""
        out = np.zeros(self.rows, dtype=np.uint8)
        for rows, codes in zip(self._rows[rule_id], self._codes[rule_id]):
            out[rows] = codes
        if self._unreadable:
            out[np.asarray(self._unreadable, dtype=np.int64)] = UNREADABLE
        return out

    def failing(self, rule_id: str) -> np.ndarray:
        """Row numbers (0-based) where *rule_id* fails."""
        rows = [r[c == _CODE["fail"]] for r, c in zip(self._rows[rule_id], self._codes[rule_id])]
        return np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)

    def summary(self) -> dict:
        """Counts per rule and in total (as ``Report.summary()['rules']`` / ``['total']``)."""
        total = dict.fromkeys(STATUSES, 0)
        rules = {}
        for rid in sorted(self.rule_ids):
            counts = self.counts[rid]
            rules[rid] = {"items": sum(counts.values()), **counts}
            for status, count in counts.items():
                total[status] += count
        return {"rules": rules, "total": {"items": sum(total.values()), **total},
                "records": self.rows, "unreadable": len(self.errors)}

    def explain(self) -> str:
        """Which engine ran each rule, and why a rule ran per record."""
        return "\n".join(f"{rid}\t{self.engines[rid]}" for rid in sorted(self.rule_ids))

    def findings(self) -> Iterator:
        """Every finding that is not a pass, made by the per-record engine from its row, ordered by
        row then rule id.  Built as they are read: nothing is kept."""
        by_row: dict = {}
        for index, rid in enumerate(self.rule_ids):
            for rows, codes in zip(self._rows[rid], self._codes[rid]):
                for row in rows[codes > PASS_ROUNDING].tolist():
                    by_row.setdefault(row, []).append(index)
        plans = plan_of(self.ruleset)
        for row in sorted(by_row):
            record = self._record(row)
            if isinstance(record, FiscalRulesError):
                continue
            from ..compiler import Context
            ctx = Context(record, self.ruleset.settings)
            for index in sorted(by_row[row]):
                for finding in plans[index].rule.evaluate(record, record.id, ctx):
                    if finding.status not in ("pass", "pass_rounding"):
                        yield finding

    def to_report(self) -> Report:
        """A :class:`Report` of the non-passing findings (passes are only counted) and every row's
        record entry -- for tables small enough to hold; large ones stream :meth:`findings`."""
        report = Report(ruleset=self.name)
        bad = dict(zip(self._unreadable, self.errors))
        for row in range(self.rows):
            report.records.append(bad.get(row) or RecordInfo(self.record_id(row)))
        report.findings.extend(self.findings())
        return report

    def _record(self, row: int):
        (mapping,) = _mappings(self.table.slice(row, 1), self.ruleset, self.floats, row)
        if isinstance(mapping, FiscalRulesError):
            return mapping
        try:
            return load_record(mapping, id=mapping["_meta"]["id"])
        except RecordError as exc:
            return exc

    # -- filling -----------------------------------------------------------------------------------
    def _add(self, rule_id: str, rows, codes) -> None:
        """Count a chunk's statuses and keep its non-passing rows; *rows* is the chunk's first row
        number (all its rows) or an array of row numbers."""
        counts = self.counts[rule_id]
        kept = np.flatnonzero(codes != PASS)         # PASS is 0: one pass finds the rest
        counts["pass"] += len(codes) - len(kept)
        if len(kept):
            kept_codes = codes[kept].astype(np.uint8)
            tally = np.bincount(kept_codes, minlength=len(STATUS_CODES))
            for i, name in enumerate(STATUS_CODES[1:], start=1):
                counts[name] += int(tally[i])
            self._rows[rule_id].append(kept + rows if isinstance(rows, int) else rows[kept])
            self._codes[rule_id].append(kept_codes)


def _record_ids(table):
    id_column = next((name for name in table.column_names if name in ID_COLUMNS), None)
    ids = table.column(id_column) if id_column is not None else None

    def record_id(row: int) -> str:
        if ids is not None:
            value = ids[row].as_py()
            if value is not None:
                return str(value)
        return f"row {row + 1}"
    return record_id


def _mappings(chunk, ruleset, floats: str, offset: int) -> list:
    """The rows of a chunk as record mappings (or errors), named by their row in the whole table."""
    checked = ruleset.checked
    out = []
    has_id = any(name in ID_COLUMNS for name in chunk.column_names)
    for i, item in enumerate(frame_records(chunk, checked.fields, checked.labels, floats=floats)):
        if isinstance(item, FiscalRulesError):
            if not has_id:
                item.location = Location(f"row {offset + i + 1}")
        elif not has_id:
            item["_meta"]["id"] = f"row {offset + i + 1}"
        out.append(item)
    return out


def evaluate_table(ruleset, data, *, floats: str = "refuse", chunk_rows: int = DEFAULT_CHUNK_ROWS) -> TableReport:
    """Evaluate every rule of *ruleset* over a frame, one row per record (see the module doc)."""
    table = to_arrow(data)
    report = TableReport(ruleset, table, floats)
    plans = plan_of(ruleset)
    checked = ruleset.checked
    paths = column_paths(list(table.column_names), checked.fields, checked.labels)
    for offset in range(0, max(table.num_rows, 1), chunk_rows):
        chunk = table.slice(offset, chunk_rows)
        if chunk.num_rows == 0:
            break
        _evaluate_chunk(report, plans, Batch(chunk, ruleset.settings, paths, floats), offset)
    return report


def _evaluate_chunk(report: TableReport, plans: list, batch: Batch, offset: int) -> None:
    n = batch.n
    bad = batch.bad
    any_bad = bool(bad.any())
    good = ~bad if any_bad else None
    rows = np.arange(offset, offset + n, dtype=np.int64) if any_bad else None
    fallback = []
    for plan in plans:
        if plan.statuses is None:
            fallback.append(plan)
            continue
        try:
            codes = plan.statuses(batch)
        except Unsupported as exc:  # this chunk's data: figures beyond 64-bit integers
            report.engines[plan.rule.id] = f"per-record for some rows: {exc}"
            fallback.append(plan)
            continue
        if any_bad:
            report._add(plan.rule.id, rows[good], np.asarray(codes)[good])
        else:
            report._add(plan.rule.id, offset, np.asarray(codes))
    if fallback or any_bad:
        _per_record(report, fallback, batch, offset)


def _per_record(report: TableReport, plans: list, batch: Batch, offset: int) -> None:
    """The fallback: the chunk's rows read as records, the given rules run on each (with no rule
    to run, only the unreadable rows are read, to report them)."""
    from ..compiler import Context
    if plans:
        mappings = _mappings(batch.table, report.ruleset, report.floats, offset)
    else:
        mappings = [None] * batch.n
        for i in np.flatnonzero(batch.bad).tolist():
            (mappings[i],) = _mappings(batch.table.slice(i, 1), report.ruleset, report.floats, offset + i)
    codes = {plan.rule.id: np.zeros(batch.n, dtype=np.int64) for plan in plans}
    counts = {plan.rule.id: dict.fromkeys(STATUSES, 0) for plan in plans}
    good = np.ones(batch.n, dtype=bool)
    settings = report.ruleset.settings
    for i, mapping in enumerate(mappings):
        if mapping is None:
            continue
        record = mapping
        if not isinstance(record, FiscalRulesError):
            try:
                record = load_record(mapping, id=mapping["_meta"]["id"])
            except RecordError as exc:
                record = exc
        if isinstance(record, FiscalRulesError):
            if record.location.file is None:  # name the row, not "<string>"
                record.location = Location(report.record_id(offset + i))
            good[i] = False
            report._unreadable.append(offset + i)
            report.errors.append(RecordInfo(report.record_id(offset + i), None, [], error=record.format()))
            continue
        ctx = Context(record, settings)
        for plan in plans:
            worst = PASS
            for finding in plan.rule.evaluate(record, record.id, ctx):
                counts[plan.rule.id][finding.status] += 1
                code = _CODE[finding.status]
                if STATUS_RANK[finding.status] < STATUS_RANK[STATUS_CODES[worst]]:
                    worst = code
            codes[plan.rule.id][i] = worst
    rows = np.arange(offset, offset + batch.n, dtype=np.int64)
    for plan in plans:
        rid = plan.rule.id
        for status, count in counts[rid].items():
            report.counts[rid][status] += count
        keep = good & (codes[rid] > PASS)
        if keep.any():
            report._rows[rid].append(rows[keep])
            report._codes[rid].append(codes[rid][keep].astype(np.uint8))
