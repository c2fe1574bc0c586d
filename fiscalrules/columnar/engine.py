"""The columnar engine: every rule over whole columns, per-record fallback rule by rule.

:func:`evaluate_table` reads a record frame (Arrow table, pandas DataFrame, DuckDB relation, or
the frames :func:`~.flatten.flatten_records` makes) in chunks of records, with a long frame per
table field.  Each rule the plan compiles (:mod:`.plan`, :mod:`.lists`) gives a status per record
-- and per row, for a ``for each`` at the top of a rule -- in a handful of numpy operations.  What
the plan cannot decide runs on the per-record engine over the same records:

* rules it cannot express (``Ruleset.explain`` says why), over every record;
* a rule whose figures do not fit 64-bit integers in one chunk, over that chunk;
* records a rule *defers* (a quotient meeting a bound exactly), for that rule;
* records the record loader refuses (unreadable, reported as ``evaluate_many`` reports them) and
  records the frames cannot hold exactly (``FlatRecords.irregular``), for every rule.

Passing findings are counted, not kept.  Every other (rule, record) is kept as two small integers,
and becomes a full :class:`~fiscalrules.findings.Finding` only when asked for
(:meth:`TableReport.findings`): the record is read (from the records themselves when they were
flattened, else from its rows -- only the figures and tables its failing rules can read, see
:mod:`.needs`) and the rule run on it by the per-record engine, so a finding's sides, operands and
messages are exactly those of ``Ruleset.evaluate``.  What is read, and how it is cut into chunks,
is :mod:`.source`'s.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from ..errors import FiscalRulesError, Location, RecordError
from ..findings import STATUS_RANK, STATUSES, RecordInfo, Report, _item_key
from ..frames import frame_records
from ..records import load_record
from ..values import in_library_context, library_context
from .batch import Batch
from .columns import Unsupported
from .kernel import compiled
from .needs import block_wants
from .reading import Frame
from .tables import CodeBook
from .pages import ordinary_pages
from .source import _BOOK_TEXTS, _Source, to_arrow
from .plan import PASS, PASS_ROUNDING, STATUS_CODES, UNREADABLE, Run, Shared, compile_rule

__all__ = ["evaluate_table", "TableReport", "to_arrow", "plan_of", "DEFAULT_CHUNK_ROWS"]

DEFAULT_CHUNK_ROWS = 1 << 17
#: Records per chunk when tables come with the records, at least: their rows are ~100 per record.
TABLE_CHUNK_ROWS = 1 << 13
#: Table rows per chunk (all tables) when records are fewer than that allows.  Each chunk costs
#: fixed work whatever its size (every rule's closures: ~200 rules, a few dozen numpy calls
#: each, and each table's rows sliced and set up): ~0.1 s a chunk on the bundled ruleset, a
#: fifth of a 100,000-record run (9.9 M table rows) cut into five chunks.  Larger chunks hold more
#: working memory: peak RSS +200 MiB from 2 M to 5 M rows (100,000 records in two chunks, not
#: five; the input frames alone are 1.1 GiB).  Beyond ~5 M rows each chunk's arrays outgrow the
#: caches: one chunk of 10 M rows was slower than two.  (Files are read in chunks of their own,
#: .nested.CHUNK_TABLE_ROWS: this does not change ``check``'s memory.)
TABLE_ROWS_PER_CHUNK = 5_000_000
_CODE = {name: i for i, name in enumerate(STATUS_CODES)}
#: Records read from the frames at a time to make findings (their rows sliced together).
_RECORDS_READ = 256


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
        shared = Shared()
        for rule in ruleset._ordered:
            try:
                plans.append(RulePlan(rule, compile_rule(rule, shared, len(plans)), None))
            except Unsupported as exc:
                plans.append(RulePlan(rule, None, str(exc)))
        shared.freeze()
        ruleset._columnar_plans = plans
        ruleset._columnar_shared = shared
    return plans


def shared_of(ruleset):
    """The expressions the rules of *ruleset* share (:class:`.plan.Shared`), once planned."""
    plan_of(ruleset)
    return ruleset._columnar_shared


class TableReport:
    """What :func:`evaluate_table` found: counts per rule and status, unreadable rows, and the
    (rule, row) of every finding that is not a pass, made into findings on demand."""

    def __init__(self, ruleset, source: _Source, floats: str, first_row: int = 0):
        self.ruleset = ruleset
        self.name = ruleset.name
        self.source = source
        self.table = source.table
        self.floats = floats
        self.rows = source.table.num_rows
        self.rule_ids = [p.rule.id for p in plan_of(ruleset)]
        self.engines = {p.rule.id: "columnar" if p.reason is None else f"per-record: {p.reason}"
                        for p in plan_of(ruleset)}
        self.deferred = {rid: 0 for rid in self.rule_ids}   # records a rule left to the per-record engine
        self.counts = {rid: dict.fromkeys(STATUSES, 0) for rid in self.rule_ids}
        self.errors: list = []            # RecordInfo of rows that cannot be read as records
        self._unreadable: list = []       # row numbers of those
        self._rows = {rid: [] for rid in self.rule_ids}    # arrays of row numbers (non-passing)
        self._codes = {rid: [] for rid in self.rule_ids}   # their status codes (worst, per row)
        self._rounding = {rid: [] for rid in self.rule_ids}  # rows passing within rounding (see _keep)
        self.first_row = first_row         # the input's row of this frame's first (ids, messages)
        self._ids = _record_ids(source.table, source.id_column, first_row)
        self._reads = None                # rule index → what it reads (_reads_of_rules)

    # -- results -----------------------------------------------------------------------------------
    def record_id(self, row: int) -> str:
        return self._ids(row)

    def statuses(self, rule_id: str) -> np.ndarray:
        """The status code of every row for one rule (see ``STATUS_CODES``; 255: unreadable row).
        For a per-row rule, the worst status of the record's findings."""
        out = np.zeros(self.rows, dtype=np.uint8)
        for start, n, bits in self._rounding[rule_id]:
            if bits is None:
                out[start] = PASS_ROUNDING
            else:
                out[start:start + n][np.unpackbits(bits, count=n).view(bool)] = PASS_ROUNDING
        for rows, codes in zip(self._rows[rule_id], self._codes[rule_id]):
            out[rows] = codes
        if self._unreadable:
            out[np.asarray(self._unreadable, dtype=np.int64)] = UNREADABLE
        return out

    def failing(self, rule_id: str) -> np.ndarray:
        """Row numbers (0-based) where *rule_id* fails."""
        rows = [r[c == _CODE["fail"]] for r, c in zip(self._rows[rule_id], self._codes[rule_id])]
        return np.sort(np.concatenate(rows)) if rows else np.zeros(0, dtype=np.int64)

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
        """Which engine ran each rule, and why a rule (or some of its records) ran per record."""
        lines = []
        for rid in sorted(self.rule_ids):
            engine = self.engines[rid]
            if self.deferred[rid] and engine == "columnar":
                engine += (f"; per-record for {self.deferred[rid]} records (a quotient meeting a bound "
                           "exactly: the per-record engine's 80-digit quotient decides)")
            lines.append(f"{rid}\t{engine}")
        return "\n".join(lines)

    def findings(self, statuses=None) -> Iterator:
        """Every finding that is not a pass, made by the per-record engine from its record,
        ordered by row then rule id.  Built as they are read: nothing is kept.  With *statuses*
        (a set of status names), only findings of those statuses -- and only the (rule, record)
        pairs whose worst status can be one of them are run again: a record whose rules are all
        passes or not applicable costs nothing when not-applicable findings are not wanted."""
        made = getattr(self, "_made", None)   # made by worker processes already (.parallel)
        if made is not None and made[0] == (None if statuses is None else frozenset(statuses)):
            self._made = None
            yield from made[1]
            return
        # Codes kept are a (rule, record)'s worst status: one worse than the mildest status
        # wanted may hide findings of it (a ``for each`` failing on one row, not evaluable on another).
        mildest = 5 if statuses is None else max((STATUS_RANK[s] for s in statuses if s in _CODE), default=-1)
        wanted = np.zeros(256, dtype=bool)
        wanted[[i for i, s in enumerate(STATUS_CODES) if i > PASS_ROUNDING and STATUS_RANK[s] <= mildest]] = True
        by_row: dict = {}
        for index, rid in enumerate(self.rule_ids):
            for rows, codes in zip(self._rows[rid], self._codes[rid]):
                keep = wanted[codes]
                for row in rows[keep].tolist():
                    by_row.setdefault(row, []).append(index)
        plans = plan_of(self.ruleset)
        from ..compiler import Context
        rows = sorted(by_row)
        records: dict = {}
        for at, row in enumerate(rows):
            if row not in records:  # read in blocks: consecutive rows are sliced from the frames once
                with library_context():
                    records = self._read_for(rows[at:at + _RECORDS_READ], by_row)
            made = []
            # A record's findings are made in the library's decimal context, which is not held
            # across a yield (the caller would run in it).
            with library_context():
                record = records.pop(row)
                if isinstance(record, FiscalRulesError):
                    continue
                ctx = Context(record, self.ruleset.settings)
                for index in sorted(by_row[row]):
                    found = [f for f in plans[index].rule.evaluate(record, record.id, ctx)
                             if f.status not in ("pass", "pass_rounding")
                             and (statuses is None or f.status in statuses)]
                    # A rule's findings in the order Report.sorted_findings gives them (by item).
                    made.extend(sorted(found, key=lambda f: _item_key(f.item)))
            yield from made

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
        return _records(self, [row])[row]

    def _read_for(self, rows: list, by_row: dict) -> dict:
        """The records *rows* as their findings need them (see :mod:`.needs`): each holding what
        its rules there can read."""
        reads = self._reads_of_rules()
        needs = {}
        for row in rows:
            need: frozenset | None = frozenset()
            for index in by_row[row]:
                read = reads(index)
                if read is None:
                    need = None
                    break
                need |= read
            needs[row] = need
        return _records(self, rows, needs)

    def _reads_of_rules(self):
        """rule index → the keys of what the rule can read in these frames (:class:`.needs.RuleReads`)."""
        if self._reads is None:
            from .needs import RuleReads
            self._reads = RuleReads(self.ruleset, plan_of(self.ruleset), self.source)
        return self._reads

    # -- filling -----------------------------------------------------------------------------------
    def _add(self, rule_id: str, rows, codes, finding_codes=None, tally=None) -> None:
        """Count a chunk's findings and keep its non-passing rows; *rows* are the row numbers of
        *codes* (one worst status per record), or the first of them when they are consecutive;
        *finding_codes* every finding's status when a rule gives several per record (else one
        per record: *codes*)."""
        counts = self.counts[rule_id]
        split = _split_codes(codes)
        if split is not None:    # the kernel's one pass: counts, rounding bitmap, kept positions
            kernel_tally, bits, kept, n_rounding = split
            if tally is None and finding_codes is not None:
                tally = np.bincount(finding_codes.view(np.uint8), minlength=len(STATUS_CODES))
            for name, count in zip(STATUS_CODES, (kernel_tally if tally is None else tally).tolist()):
                counts[name] += count
            self._keep(rule_id, rows, codes, kept, None, n_rounding, bits)
            return
        # Two passes over the codes that the kept rows need anyway: those passing within rounding
        # (a mask) and those not passing (their positions, most often few); what each status
        # counts is then counted over the latter alone.  (np.bincount over the whole chunk first
        # widens each int8 code to 64 bits: ~15 instructions a record, 3x these passes.)
        rounding = codes == PASS_ROUNDING
        n_rounding = int(np.count_nonzero(rounding))
        kept = np.flatnonzero(codes > PASS_ROUNDING)   # the non-passing records
        if tally is not None:   # counted already (RuleResult.tally)
            pass
        elif finding_codes is not None:
            tally = np.bincount(finding_codes.view(np.uint8), minlength=len(STATUS_CODES))
        else:  # one finding per record
            worse = codes[kept]
            tally = np.bincount(worse.view(np.uint8) if worse.dtype.itemsize == 1 else worse,
                                minlength=len(STATUS_CODES))
            tally[PASS_ROUNDING] = n_rounding
            tally[PASS] = len(codes) - len(kept) - n_rounding
        for i, name in enumerate(STATUS_CODES):
            counts[name] += int(tally[i])
        self._keep(rule_id, rows, codes, kept, rounding if n_rounding else None, n_rounding)

    def _keep(self, rule_id: str, rows, codes, kept, rounding, n_rounding: int, bits=None) -> None:
        """Keep the non-passing records (*kept*: positions in *codes*) as row numbers and codes,
        and the records passing within rounding (a mask, or *bits*: that mask packed, for the
        whole of *codes*) compactly: as row numbers when they are few, else as a bitmap of the
        chunk -- most rows of rounded figures pass within rounding, and only ``statuses()`` needs them."""
        if len(kept):
            self._rows[rule_id].append(kept + rows if isinstance(rows, int) else rows[kept])
            self._codes[rule_id].append(codes[kept].astype(np.uint8))
        if not n_rounding:
            return
        if isinstance(rows, int) and n_rounding * 64 > len(codes):
            self._rounding[rule_id].append((rows, len(codes), bits if bits is not None else np.packbits(rounding)))
        else:
            at = np.flatnonzero(rounding if rounding is not None else codes == PASS_ROUNDING)
            self._rounding[rule_id].append((at + rows if isinstance(rows, int) else rows[at], 0, None))


def _split_codes(codes):
    """(records per status code, the records passing within rounding as ``np.packbits`` packs
    their mask, the positions of those not passing, how many pass within rounding) of a chunk's
    int8 *codes* by the kernel's one pass, or None where it does not run."""
    k = compiled()
    if k is None or type(codes) is not np.ndarray or codes.dtype != np.int8 or not codes.flags.c_contiguous:
        return None
    n = len(codes)
    tally, bits, kept = np.empty(6, dtype=np.int64), np.empty((n + 7) // 8, dtype=np.uint8), np.empty(n, dtype=np.int64)
    n_kept, n_rounding = k.split_codes(codes, tally, bits, kept)
    return tally, bits, kept[:n_kept], n_rounding


def _record_ids(table, id_column, first_row: int = 0):
    ids = table.column(id_column) if id_column is not None else None

    def record_id(row: int) -> str:
        if ids is not None:
            value = ids[row].as_py()
            if value is not None:
                return str(value)
        return f"row {first_row + row + 1}"
    return record_id


def _records(report: TableReport, rows: list, needs: dict | None = None) -> dict:
    """Rows of the report's frame as indexed records (or the error that stops each), by row;
    with *needs* (row → the table fields it needs, None: all), records holding only those of
    their tables (and every flat figure) -- read from frames only: records flattened from
    mappings are read whole."""
    source = report.source
    out = {}
    if source.originals is not None:
        for row in rows:
            rid = report.record_id(row)
            try:
                out[row] = load_record(source.originals[row], id=rid)
            except RecordError as exc:
                out[row] = exc
            except RecursionError:
                out[row] = RecordError("record nested too deeply", "", Location(rid))
            if isinstance(out[row], Exception):
                out[row].location = Location(rid)
            else:
                out[row].id = rid
        return out
    checked = report.ruleset.checked
    rows = sorted(rows)
    for start in range(0, len(rows), 4096):  # read together: one frame_records over all of them
        block = rows[start:start + 4096]
        wants = None
        if needs is not None and any(needs[row] is not None for row in block):
            wants = block_wants(block, needs, report._reads.droppable)
        if block[-1] - block[0] == len(block) - 1:
            chunk, frames = source.slice_frames(block[0], block[-1] + 1, wants)
        else:  # scattered rows (a few failing records among passing ones)
            chunk, frames = source.take_frames(block, wants)
        # (named by their rows in the input, not in this block: the same text whatever the chunks)
        numbers = [report.first_row + row + 1 for row in block]
        for row, item in zip(block, frame_records(chunk, checked.fields, checked.labels, floats=report.floats,
                                                  tables=frames, numbers=numbers)):
            rid = report.record_id(row)
            item = source.refused.get(row, item)     # (a cell to_arrow could not hold)
            if isinstance(item, FiscalRulesError):   # (a block with tables has no id column to name it)
                item.location = Location(rid)
            else:
                try:
                    item = load_record(item, id=rid)
                    item.id = rid
                except RecordError as exc:
                    item = exc
                    if item.location.file is None or source.id_column is None:
                        item.location = Location(rid)
            out[row] = item
    return out


@in_library_context
def evaluate_table(ruleset, data, *, tables=None, floats: str = "refuse", chunk_rows: int | None = None,
                   first_row: int = 0, workers=1) -> TableReport:
    """Evaluate every rule of *ruleset* over a frame of records (see the module doc).  *first_row*
    numbers the records of a frame that is one chunk of a longer input (``row N`` in their ids
    when the frame has no id column).  *chunk_rows*: the records of a chunk (a positive number, kept
    as given with workers too; None: the engine's choice).  *workers*: processes evaluating the
    chunks (:mod:`.parallel`; 1: this one, 0 or ``"auto"``: one per CPU, or a ``parallel.Workers`` pool)."""
    with ordinary_pages():   # (numpy's huge pages compact memory on first touch: .pages)
        return _evaluate_table(ruleset, data, tables, floats, chunk_rows, first_row, workers)


def _evaluate_table(ruleset, data, tables, floats, chunk_rows, first_row, workers) -> TableReport:
    given = chunk_rows is not None
    if given and (isinstance(chunk_rows, bool) or not isinstance(chunk_rows, numbers.Integral) or chunk_rows < 1):
        raise FiscalRulesError(f"chunk_rows must be a positive number of records (None: the engine's choice), "
                               f"not {chunk_rows!r}", Location("evaluate_table"), code="E702")
    source = _Source(ruleset, data, tables, floats)
    report = TableReport(ruleset, source, floats, first_row)
    total = source.table.num_rows
    if not given and source.long:
        per_record = sum(long.table.num_rows for long in source.long.values()) / max(total, 1)
        chunk_rows = int(min(DEFAULT_CHUNK_ROWS, max(TABLE_CHUNK_ROWS, TABLE_ROWS_PER_CHUNK / max(per_record, 1))))
        # As few chunks as hold the records at that size (or a tenth more), made alike: a chunk's
        # fixed work (~0.3 s here) is not spent on a short last chunk of a few records.
        chunks = max(1, -(-total // int(chunk_rows * 1.1)))
        chunk_rows = max(1, -(-total // chunks))
    chunk_rows = int(chunk_rows or DEFAULT_CHUNK_ROWS)
    if workers != 1:
        from .parallel import evaluate_chunks
        if evaluate_chunks(report, source, chunk_rows, workers, first_row, given):  # else one chunk: here
            return report
    source.code_texts()
    run_chunks(report, source, chunk_rows)
    return report


def run_chunks(report: TableReport, source: _Source, chunk_rows: int, memo: dict | None = None,
               book: CodeBook | None = None) -> CodeBook:
    """Evaluate *source*'s records (its texts coded: ``_Source.code_texts``) into *report* in this
    process, *chunk_rows* at a time; *memo* and *book*: the text readings and code book of earlier
    calls to go on with (a worker's record ranges, :mod:`.forked`).  Returns the book in use last."""
    settings, floats = report.ruleset.settings, report.floats
    plans = plan_of(report.ruleset)
    total = source.table.num_rows
    memo = {} if memo is None else memo
    # (one book for the run: each code's id, level and prefixes worked out once)
    book = book if book is not None else CodeBook()
    # The cells the loader refuses, found once for the run (each column judged once, not per
    # chunk: what that read is sliced for each chunk).
    whole = Frame(source.coded, settings, source.roles, floats, memo) if total > chunk_rows else None
    for offset in range(0, max(total, 1), chunk_rows):
        chunk = source.coded.slice(offset, chunk_rows)
        if chunk.num_rows == 0:
            break
        frame = Frame(chunk, settings, source.roles, floats, memo,
                      run=(whole, offset, offset + chunk.num_rows) if whole is not None else None)
        if len(book.texts) > _BOOK_TEXTS:   # (codes of free text: a book that no longer pays)
            book = CodeBook()
        batch = Batch(frame, settings, source.long, offset, source.presence, book)
        _evaluate_chunk(report, plans, batch, offset)
        frame = batch = None   # (freed before the next chunk is read: one chunk's memory at a time)
    for long in source.long.values():   # (the run's readings of the tables: not kept by the report)
        long.release()
    return book


def _evaluate_chunk(report: TableReport, plans: list, batch: Batch, offset: int) -> None:
    n = batch.n
    whole = batch.bad.copy()                 # records read per record for every rule
    irregular = report.source.irregular
    if irregular is not None:
        whole |= irregular[offset:offset + n]
    chunk_good = ~whole
    none_whole = not whole.any()
    rows = None                              # the chunk's row numbers, made when some are left out
    per_record: dict = {}                    # rule index → mask of rows it runs on per record
    shared = shared_of(report.ruleset)
    for index, plan in enumerate(plans):
        for key in shared.expiring(index - 1):   # no rule from here on reads these
            batch.shared.pop(key, None)
        if plan.statuses is None:
            per_record[index] = ~whole
            continue
        try:
            result = plan.statuses(Run(batch))
        except Unsupported as exc:  # this chunk's data: figures beyond 64-bit integers
            report.engines[plan.rule.id] = f"per-record for some rows: {exc}"
            per_record[index] = ~whole
            continue
        good, all_good = chunk_good, none_whole
        if result.deferred is not None:
            deferred = result.deferred & good
            if deferred.any():
                report.deferred[plan.rule.id] += int(deferred.sum())
                per_record[index] = deferred
                good, all_good = good & ~deferred, False
        if all_good:
            report._add(plan.rule.id, offset, result.codes, tally=result.tally())
        else:
            finding_codes = result.finding_codes
            if finding_codes is not None:
                finding_codes = finding_codes[good[result.finding_records]]
            if rows is None:
                rows = np.arange(offset, offset + n, dtype=np.int64)
            report._add(plan.rule.id, rows[good], result.codes[good], finding_codes)
    batch.shared.clear()
    if not none_whole:
        for index in range(len(plans)):
            per_record[index] = per_record[index] | whole if index in per_record else whole
    if per_record:
        _per_record(report, plans, per_record, offset, n)


def _per_record(report: TableReport, plans: list, masks: dict, offset: int, n: int) -> None:
    """The fallback: the rows each rule needs read as records and the rule run on each."""
    from ..compiler import Context
    needed = np.zeros(n, dtype=bool)
    for mask in masks.values():
        needed |= mask
    wanted = (np.flatnonzero(needed) + offset).tolist()
    records = _records(report, wanted)
    settings = report.ruleset.settings
    codes = {index: np.zeros(n, dtype=np.int64) for index in masks}
    counts = {index: dict.fromkeys(STATUSES, 0) for index in masks}
    good = np.ones(n, dtype=bool)
    for row in wanted:
        i = row - offset
        record = records[row]
        if isinstance(record, FiscalRulesError):
            good[i] = False
            report._unreadable.append(row)
            report.errors.append(RecordInfo(report.record_id(row), None, [], error=record.format()))
            continue
        ctx = Context(record, settings)
        for index, mask in masks.items():
            if not mask[i]:
                continue
            worst = PASS
            for finding in plans[index].rule.evaluate(record, record.id, ctx):
                counts[index][finding.status] += 1
                code = _CODE[finding.status]
                if STATUS_RANK[finding.status] < STATUS_RANK[STATUS_CODES[worst]]:
                    worst = code
            codes[index][i] = worst
    for index, mask in masks.items():
        rid = plans[index].rule.id
        for status, count in counts[index].items():
            report.counts[rid][status] += count
        kept = np.flatnonzero(mask & good & (codes[index] > PASS_ROUNDING))
        rounding = mask & good & (codes[index] == PASS_ROUNDING)
        n_rounding = int(np.count_nonzero(rounding))
        report._keep(rid, offset, codes[index], kept, rounding if n_rounding else None, n_rounding)
