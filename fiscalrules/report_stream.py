"""Batch reports written while the batch is evaluated: ``--format json``, ``table``, ``sarif``
and ``html`` of ``check`` and ``audit`` without the batch's report in memory.

The reporters (:mod:`.reporters`, :mod:`.report_sarif`, :mod:`.report_html`) render a whole
:class:`~fiscalrules.findings.Report`.  A batch of 100k records held as one report -- every
finding, every record and what localising it needs -- takes gigabytes, so a batch is handed to a
writer here one record's report at a time (its findings, its RecordInfo, its inputs, made by
:func:`record_reports`): the writer localises it, writes its parts, and drops it; only
:class:`Totals` (counts per status and per rule, the records that could not be read) is kept.
What is written is byte for byte what the reporter writes of the whole report
(tests/test_report_stream.py compares them):

* JSON: the document's ``summary`` comes first but is known last.  Each list of the document
  (``summary.records``, ``records``, ``localisation``, ``findings``) is written element by
  element, indented as ``json.dumps(indent=2)`` indents it there, to a temporary file (held in
  memory up to :data:`SPOOL_BYTES`, then on disk); on close the document's skeleton is written
  with the summary, and each list copied into its place.
* table: each record's section is written at once; the total line comes from the counts.
* SARIF: the results go to a temporary file as compact lines (a rule's index among the
  descriptors is known only once every ruleset is: ``audit`` loads a template's ruleset when a
  document needs it) and are indented into the log on close.
* HTML needs the whole batch before its first line (the page's title names every record, read
  errors come first), so the page's per-record views are kept -- the findings, records and
  localisation inputs are dropped -- for at most :data:`HTML_MAX_RECORDS` records: a larger
  batch is refused (:class:`OutputTooLarge`, exit 2) and asked for JSON, JSON Lines or CSV.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator

from .errors import FiscalRulesError
from .findings import SEVERITY_RANK, RecordInfo, Report, Status, summary_block
from .report_json import dumps_indented
from .values import library_context

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import IO, Any

__all__ = ["Totals", "open_writer", "record_reports", "merge_reports", "OutputTooLarge", "LazyOutput", "WRITTEN_FORMATS",
           "HTML_MAX_RECORDS", "SPOOL_BYTES"]

WRITTEN_FORMATS = ("json", "table", "sarif", "html")
HTML_MAX_RECORDS = 1000          # records (documents) one HTML page holds
SPOOL_BYTES = 2**20              # a temporary list stays in memory up to this size (characters), then on disk
_CHECKED = (Status.PASS, Status.ROUNDING, Status.FAIL, Status.ERROR)


class OutputTooLarge(Exception):
    """The batch is larger than the format can hold (HTML): ``text(lang)`` says what to do."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def merge_reports(reports: list[Report]) -> Report:
    """Findings of several rulesets over the same records, as one report.  A record key is
    unknown only when no ruleset declares it."""
    merged = Report(ruleset="+".join(r.ruleset or "" for r in reports))
    # (each RecordInfo copied by its fields, as copy.copy would: the copy module, with its look-up of
    # Jython's org.python.core, is not imported by an audit's start for it)
    merged.records = [type(info)(**{name: getattr(info, name) for name in info._fields})
                      for info in reports[0].records] if reports else []
    for r in reports:
        merged.findings.extend(r.findings)
        merged.add_inputs(r)
    for i, info in enumerate(merged.records):
        for other in reports[1:]:
            if i < len(other.records):
                known = set(info.unknown_keys) - set(other.records[i].unknown_keys)
                info.unknown_keys = [k for k in info.unknown_keys if k not in known]
                info.label_keys = [k for k in info.label_keys if k not in known]
    return merged


def record_reports(rulesets: list, sources: Iterable[Any]) -> Iterator[Report]:
    """Each record of *sources* (files of JSON, JSON Lines, YAML) as the report of every ruleset
    over it -- or of its read error -- with the ids ``Ruleset.evaluate_many`` gives them."""
    from .loader import _unique
    from .records import iter_records
    seen: dict[str, int] = {}
    for item in iter_records(sources):
        if isinstance(item, FiscalRulesError):
            yield Report(records=[RecordInfo.unreadable(item, _unique(item.location.file or "record", seen))])
            continue
        rid = _unique(item.id, seen)
        reports = []
        with library_context():   # as evaluate_many; never held across the yield (see library_context)
            for ruleset in rulesets:
                report = Report(ruleset=ruleset.name)
                ruleset._evaluate_into(report, item, rid)
                reports.append(report)
        yield merge_reports(reports)


class Totals:
    """What a written batch keeps: counts per status (in all and per rule), the worst failing
    severity, the records that could not be read, and whether anything was checked."""

    def __init__(self) -> None:
        self.records = 0
        self.items = 0
        self.counts: Counter[str] = Counter()
        self.by_rule: dict[str, Counter[str]] = {}
        self.worst: dict[str, int] = {}       # status → best (lowest) severity rank seen
        self.errors: list[RecordInfo] = []
        self.readable = 0                     # records read ...
        self.keyless = 0                      # ... of which no key is a declared field
        self.unchecked = 0                    # records on which no rule could be checked

    def add(self, chunk: Report) -> None:
        by_rule = self.by_rule
        for f in chunk.findings:
            self.items += 1
            status = f.status
            self.counts[status] += 1
            counts = by_rule.get(f.rule)
            if counts is None:   # (not setdefault: a Counter made for every finding cost ~1 ms a document)
                counts = by_rule[f.rule] = Counter()
            counts[status] += 1
            rank = SEVERITY_RANK.get(f.severity, 2)
            if rank < self.worst.get(status, 3):
                self.worst[status] = rank
        grouped = chunk.findings_by_record() if len(chunk.records) > 1 else None
        for info in chunk.records:
            self.records += 1
            if info.error:
                self.errors.append(info)
                continue
            self.readable += 1
            self.keyless += bool(info.figure_count and len(info.unknown_keys) >= info.figure_count)
            self.unchecked += chunk.nothing_checked(
                info, findings=None if grouped is None else grouped.get(info.id, ()))

    def nothing_checked(self) -> bool:
        """As ``Report.nothing_checked()`` of the whole batch."""
        if self.readable and self.keyless == self.readable:
            return True
        return not any(self.counts[s] for s in _CHECKED)

    def exit_code(self, fail_on: str) -> int:
        """The exit code the CLI gives the whole batch's report: 2 for read errors or nothing
        checked, 1 for a failure at or above *fail_on*, else 0."""
        if self.errors or (self.records and self.nothing_checked()):
            return 2
        if fail_on == "never":
            return 0
        threshold = SEVERITY_RANK[fail_on]
        return 1 if any(self.worst.get(s, 3) <= threshold for s in (Status.FAIL, Status.ERROR)) else 0


class _Spool:
    """A JSON list (or object) of a document, written element by element to a temporary file,
    each element indented as ``json.dumps(indent=2)`` puts it under a key indented *indent*."""

    def __init__(self, indent: int, default: Any, mapping: bool = False) -> None:
        import tempfile  # (with shutil and random: ~10 ms to import) only for JSON lists
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8",
                                                  errors="backslashreplace")
        self.indent, self.default, self.mapping = indent, default, mapping
        self.prefix = " " * (indent + 2)
        self.count = 0

    def add(self, value: Any, key: str | None = None) -> None:
        # json.dumps(indent=2)'s text (dumps_indented writes it faster: every finding of a batch
        # passes here), which escapes every line break inside strings: a new line is the layout's
        text = dumps_indented(value, self.default).replace("\n", "\n" + self.prefix)
        if key is not None:
            import json   # (the JSON formats' own: not imported on a table audit's way, ~6 M instructions)
            text = json.dumps(key, ensure_ascii=False) + ": " + text
        self.file.write(("," if self.count else "") + "\n" + self.prefix + text)
        self.count += 1

    def copy_to(self, out: IO[str]) -> None:
        close = "}" if self.mapping else "]"
        if not self.count:
            out.write("{}" if self.mapping else "[]")
            return
        out.write("{" if self.mapping else "[")
        self.file.seek(0)
        import shutil
        shutil.copyfileobj(self.file, out)
        out.write("\n" + " " * self.indent + close)

    def close(self) -> None:
        self.file.close()


def _fill(out: IO[str], skeleton: str, spools: dict[str, _Spool]) -> None:
    """Write *skeleton* (a document dumped with a marker string in place of each list) with each
    spooled list in its marker's place."""
    import json
    rest = skeleton
    for marker, spool in spools.items():
        quoted = json.dumps(marker)
        before, found, rest = rest.partition(quoted)
        line = before[before.rfind("\n") + 1:]
        if not found or len(line) - len(line.lstrip(" ")) != spool.indent:
            raise AssertionError(f"misplaced list {marker!r} in the streamed document")  # a defect, not input
        out.write(before)
        spool.copy_to(out)
    out.write(rest)


class _Writer:
    """Takes a batch one record's report at a time (:meth:`write`), then :meth:`close`."""

    def __init__(self, out: IO[str], lang: str, localise: bool) -> None:
        self.out, self.lang, self.localise = out, lang, localise
        self.totals = Totals()

    def write(self, chunk: Report) -> None:
        """Write one record's report (or a few records'), in the batch's order."""
        with library_context():
            if self.localise:
                chunk.localise()  # every format's suggestions then name the most likely wrong figures
            self.totals.add(chunk)
            self._write(chunk)

    def _write(self, chunk: Report) -> None:
        raise NotImplementedError

    def close(self, ruleset: str | None, rulesets: list = ()) -> None:
        """Write what comes after the records; *rulesets* are those the batch ran (SARIF names
        their rules)."""
        with library_context():
            self._close(ruleset, list(rulesets))

    def _close(self, ruleset: str | None, rulesets: list) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """Drop the temporary files of a batch that is not finished."""


class _JsonWriter(_Writer):
    def __init__(self, out: IO[str], lang: str, localise: bool) -> None:
        super().__init__(out, lang, localise)
        from .reporters import _json_value
        self.spools = {"\0summary.records": _Spool(4, _json_value, mapping=True), "\0records": _Spool(2, _json_value),
                       "\0localisation": _Spool(2, _json_value), "\0findings": _Spool(2, _json_value)}
        self.summary_records, self.records, self.localisation, self.findings = self.spools.values()

    def _write(self, chunk: Report) -> None:
        from .reporters import finding_dict, json_record_entry
        localised = chunk.localise() if self.localise else []   # worked out once: cached
        findings = chunk.sorted_findings()
        by_record: dict[str, list] = {}
        for f in findings:
            by_record.setdefault(f.record, []).append(f)
        for info in chunk.records:
            self.summary_records.add({**summary_block(by_record.get(info.id, [])), "unread": len(info.unread),
                                      "read_error": info.error}, key=info.id)
            self.records.add(json_record_entry(chunk, info))
        for loc in localised:
            self.localisation.add(loc.to_dict())
        documents = {info.id: info.document for info in chunk.records}
        for f in findings:
            self.findings.add(finding_dict(f, documents.get(f.record)))

    def _close(self, ruleset: str | None, rulesets: list) -> None:
        import json
        from .reporters import _json_value
        totals = self.totals
        markers = list(self.spools)
        skeleton = {"ruleset": ruleset,
                    "summary": {"rules": {rule: summary_block(c) for rule, c in sorted(totals.by_rule.items())},
                                "records": markers[0], "total": summary_block(totals.counts)},
                    "records": markers[1], "localisation": markers[2], "findings": markers[3]}
        _fill(self.out, json.dumps(skeleton, ensure_ascii=False, indent=2, default=_json_value) + "\n", self.spools)
        self.discard()

    def discard(self) -> None:
        for spool in self.spools.values():
            spool.close()


class _TableWriter(_Writer):
    def __init__(self, out: IO[str], lang: str, localise: bool, show_passes: bool) -> None:
        super().__init__(out, lang, localise)
        self.show_passes = show_passes
        self.started = False
        self.blank = ""     # trailing white space held back: the table ends right-stripped

    def _emit(self, text: str) -> None:
        text = self.blank + text
        kept = text.rstrip()
        self.blank = text[len(kept):]
        self.out.write(kept)

    def _write(self, chunk: Report) -> None:
        from .reporters import table_sections
        lines = table_sections(chunk, self.lang, show_passes=self.show_passes, localise=self.localise)
        if lines:
            self._emit(("\n" if self.started else "") + "\n".join(lines))
            self.started = True

    def _close(self, ruleset: str | None, rulesets: list) -> None:
        from .reporters import total_line
        t = self.totals
        if t.records > 1:
            self._emit(("\n" if self.started else "") + total_line(t.records, t.items, t.counts, len(t.errors), self.lang))
        self.out.write("\n")


class _SarifWriter(_Writer):
    def __init__(self, out: IO[str], lang: str, localise: bool) -> None:
        super().__init__(out, lang, localise)
        import tempfile
        self.results = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8",
                                                     errors="backslashreplace")
        self.first: dict[str, Any] = {}     # a finding of each rule, for rules no ruleset describes

    def _write(self, chunk: Report) -> None:
        import json
        from .report_sarif import _plain, _result, record_files
        if not self.localise:  # the SARIF log always carries the localisation (as render_sarif)
            try:
                chunk.localise()
            except Exception:  # noqa: BLE001 - the log is still written without it
                pass
        for f in chunk.findings:
            self.first.setdefault(f.rule, f)
        documents = {info.id: info.document for info in chunk.records}
        files = record_files(chunk)
        for f in chunk.sorted_findings():
            if f.status in (Status.FAIL, Status.ERROR, Status.NOT_EVALUABLE):
                result = _result(f, _UNRESOLVED, documents.get(f.record), self.lang, files.get(f.record))
                self.results.write(json.dumps(result, ensure_ascii=False, default=_plain) + "\n")

    def _close(self, ruleset: str | None, rulesets: list) -> None:
        import json
        from .report_sarif import _driver, _log, _plain, _rule_descriptors, error_notification
        lang = self.lang
        rules = _rule_descriptors(Report(findings=list(self.first.values())), rulesets, lang)
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        notifications = [error_notification(info, lang) for info in self.totals.errors]
        notifications += [{"level": "warning", "message": {"text": (
            "没有核对任何规则：记录中没有规则需要的数字" if lang == "zh" else
            "no rule could be checked: the record holds none of the figures the rules need")}}] * self.totals.unchecked
        spool = _Spool(6, _plain)
        try:
            self.results.seek(0)
            for line in self.results:
                result = json.loads(line)
                result["ruleIndex"] = index[result["ruleId"]]
                spool.add(result)
            _fill(self.out, _log(_driver(rules), "\0results", notifications, lang), {"\0results": spool})  # type: ignore[arg-type]
        finally:
            spool.close()
            self.discard()

    def discard(self) -> None:
        self.results.close()


class _Unresolved(dict):
    """The rule index of a result before the descriptors are known (set on close)."""

    def __missing__(self, key: str) -> int:
        return -1


_UNRESOLVED = _Unresolved()


class _HtmlWriter(_Writer):
    def __init__(self, out: IO[str], lang: str, localise: bool) -> None:
        super().__init__(out, lang, localise)
        self.views: list = []
        self.failed: list = []

    def _write(self, chunk: Report) -> None:
        from .report_html import record_views
        if self.totals.records > HTML_MAX_RECORDS:
            raise OutputTooLarge(
                f"HTML 报告最多容纳 {HTML_MAX_RECORDS} 条记录，此批次更多：请用 --format json、jsonl 或 csv",
                f"an HTML report holds at most {HTML_MAX_RECORDS} records and this batch has more: "
                "use --format json, jsonl or csv")
        views, failed = record_views(chunk, self.lang, start=self.totals.records - len(chunk.records) + 1)
        self.views.extend(views)
        self.failed.extend(failed)

    def _close(self, ruleset: str | None, rulesets: list) -> None:
        from .report_html import render_page
        self.out.write(render_page(self.views, self.failed, ruleset, self.lang))


def open_writer(fmt: str, out: IO[str], lang: str, *, localise: bool = True, show_passes: bool = False) -> _Writer:
    """A writer of a batch in *fmt* (one of :data:`WRITTEN_FORMATS`) to the text stream *out*."""
    if fmt == "json":
        return _JsonWriter(out, lang, localise)
    if fmt == "table":
        return _TableWriter(out, lang, localise, show_passes)
    if fmt == "sarif":
        return _SarifWriter(out, lang, localise)
    if fmt == "html":
        return _HtmlWriter(out, lang, localise)
    raise ValueError(f"no batch writer for {fmt!r}")


class LazyOutput:
    """The output file *path* as a text stream, created at the first write: a batch that fails
    before writing anything leaves no file behind, and an input named as the output is read
    before it is overwritten.  :meth:`remove` takes away a file a failed batch left half-written."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.handle: IO[str] | None = None
        self.created = False

    def write(self, text: str) -> int:
        if self.handle is None:
            regular = not os.path.exists(self.path) or os.path.isfile(self.path)  # never remove a device
            self.handle = open(self.path, "w", encoding="utf-8", errors="backslashreplace", newline="")  # (B18-3)
            self.created = regular
        return self.handle.write(text)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()

    def remove(self) -> None:
        try:
            self.close()
            if self.created:
                os.remove(self.path)
        except OSError:
            pass
