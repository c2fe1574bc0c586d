"""Streaming batches: findings written as they come, passes counted, memory bounded.

``fiscalrules check`` and ``audit`` with ``--format jsonl|csv|parquet`` run through here: each
record (or document) is evaluated, its findings handed to a :class:`Sink` that writes them at
once, and only a :class:`Tally` (counts per status, the worst failing severity, read errors)
stays in memory -- so a batch of a million records needs the memory of one record, not of a
million reports.  Table inputs (Parquet, CSV) go through the columnar engine
(``Ruleset.evaluate_table``): their passing rows are counted and not listed; every other finding
is made from its row and written.

Parquet output (pyarrow) has the columns of ``Report.to_arrow()``, amounts as exact decimal text
so that every batch of a long run has the same schema.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .errors import FiscalRulesError, Location, RecordError, shown
from .findings import SEVERITY_RANK, RecordInfo, Report, Status
from .inputs.bounded import MAX_CSV_LINE_BYTES, MAX_RECORD_FILE_BYTES, InputRefused, describe_size, read_bounded

__all__ = ["Tally", "Sink", "open_sink", "TABLE_SUFFIXES", "read_table_file", "STREAM_FORMATS", "stream_table",
           "stream_records", "is_table_file", "table_findings"]

TABLE_SUFFIXES = (".parquet", ".csv")
STREAM_FORMATS = ("jsonl", "csv", "parquet")
_BATCH = 4096   # findings per Parquet row group


class Tally:
    """What a streamed batch keeps: counts per status, failing severities and read errors."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.worst: dict = {}          # status → best (lowest) severity rank seen
        self.errors: list = []
        self.records = 0
        self.unchecked = 0             # records on which no rule could be checked

    def add(self, finding) -> None:
        self.counts[finding.status] += 1
        rank = SEVERITY_RANK.get(finding.severity, 2)
        if rank < self.worst.get(finding.status, 3):
            self.worst[finding.status] = rank

    def add_counts(self, counts: dict, severity: str) -> None:
        for status, count in counts.items():
            if count:
                self.counts[status] += count
                rank = SEVERITY_RANK.get(severity, 2)
                if rank < self.worst.get(status, 3):
                    self.worst[status] = rank

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        checked = (Status.PASS, Status.ROUNDING, Status.FAIL, Status.ERROR)
        if self.records and (not any(self.counts[s] for s in checked) or self.unchecked >= self.records):
            return 2  # no rule could be checked: never a clean run (as Report.nothing_checked)
        if fail_on == "never":
            return 0
        threshold = SEVERITY_RANK[fail_on]
        for status in (Status.FAIL, Status.ERROR):
            if self.worst.get(status, 3) <= threshold:
                return 1
        return 0

    def summary_line(self, lang: str, counted: tuple[str, str] = ("记录", "records")) -> str:
        """``records 3: pass 1, fail 1, read errors 1`` (the statuses as the JSON names them), or in
        Chinese the words of the table's summary: ``记录 3：通过 1，不一致 1，无法读取 1``; *counted*
        names what ``records`` counts (Chinese, English): an audit counts documents."""
        statuses = [status for status in ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
                    if self.counts[status]]
        if lang == "en":
            parts = [f"{status} {self.counts[status]}" for status in statuses]
            if self.errors:
                parts.append(f"read errors {len(self.errors)}")
            return f"{counted[1]} {self.records}" + (": " + ", ".join(parts) if parts else "")
        from .messages import word
        parts = [f"{word(status, lang)} {self.counts[status]}" for status in statuses]
        if self.errors:
            parts.append(f"{word('read_error', lang)} {len(self.errors)}")
        return f"{counted[0]} {self.records}" + ("：" + "，".join(parts) if parts else "")


class Sink:
    """Writes findings as they come in one format: JSON Lines, CSV or Parquet."""

    def __init__(self, fmt: str, output: str | None, lang: str, stdout, statuses=None):
        self.fmt, self.lang = fmt, lang
        self.statuses = statuses      # the statuses written (None: all); the others only counted
        self.output = output
        self._header = True
        self._pending: list = []
        self._writer = None
        if fmt == "parquet":
            if not output:
                raise RecordError("--format parquet needs -o FILE", "", Location(None))
            self.handle = None
        else:
            self.handle = open(output, "w", encoding="utf-8", errors="backslashreplace", newline="") if output else stdout

    def write(self, findings: list, errors: list = (), inputs: Report | None = None,
              document: str | None = None) -> None:
        """Findings of one record (or a few), and records that could not be read; with *inputs*
        (the report they came from) JSON Lines and CSV add the record's localisation.  Each
        finding is written with its *document* (the record's, as the JSON report's ``records``
        give it: the audited document, the table file; None for a record of a record file)."""
        if self.statuses is not None:
            findings = [f for f in findings if f.status in self.statuses]
        if not findings and not errors:
            return
        from .cli_output import printable, printable_report   # (a file name that is not UTF-8: B18-3)
        printable_report(Report(findings=findings, records=list(errors)))
        document = printable(document)
        records = list(errors)
        if document is not None:   # (one RecordInfo per record written: usually one)
            records += [RecordInfo(record, document) for record in dict.fromkeys(f.record for f in findings)]
        if self.fmt == "parquet":
            self._pending.extend(findings)
            self._pending.extend(records)
            if len(self._pending) >= _BATCH:
                self._flush()
            return
        from .reporters import render_csv, write_jsonl
        report = Report(findings=list(findings), records=records)
        if inputs is not None:
            report.add_inputs(inputs)
        if self.fmt == "jsonl":
            write_jsonl(report, self.handle, lang=self.lang, forget=True)   # written once: details not kept
            return
        text = render_csv(report, lang=self.lang)
        if not self._header:
            text = text.split("\n", 1)[1]
        self._header = False
        self.handle.write(text)

    def _flush(self) -> None:
        if not self._pending:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq
        from .report_frames import to_arrow
        findings = [f for f in self._pending if not isinstance(f, RecordInfo)]
        records = [f for f in self._pending if isinstance(f, RecordInfo)]
        errors = [info for info in records if info.error]
        self._pending = []
        table = to_arrow(Report(findings=findings, records=[info for info in records if not info.error]), lang=self.lang,
                         amounts_as_text=True)
        if errors:
            rows = {name: [None] * len(errors) for name in table.column_names}
            rows["record"] = [e.id for e in errors]
            rows["document"] = [e.document for e in errors]
            rows["status"] = ["read_error"] * len(errors)
            rows["reason"] = [e.error for e in errors]
            table = pa.concat_tables([table, pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})])
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.output, table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush()
            if self._writer is None:  # nothing at all: still an empty file with the columns
                import pyarrow.parquet as pq
                from .report_frames import to_arrow
                pq.write_table(to_arrow(Report(), amounts_as_text=True), self.output)
            else:
                self._writer.close()
        elif self.output and self.handle is not None:
            self.handle.close()
        elif self.handle is not None:
            self.handle.flush()   # standard output: a full disk is found now, not lost at exit


def open_sink(fmt: str, output: str | None, lang: str, stdout, statuses=None) -> Sink:
    return Sink(fmt, output, lang, stdout, statuses)


def read_table_file(path: str):
    """A Parquet or CSV file as an Arrow table.  CSV cells are read as text (each keeps the
    decimals it was written with); an empty cell is an absent figure."""
    import pyarrow as pa
    name = str(path)
    try:
        # Read through the bounded reader, like every input: pyarrow given the path would read a
        # device or a FIFO without end.
        data = read_bounded(name, MAX_RECORD_FILE_BYTES, what="table file")
    except InputRefused as exc:
        raise RecordError(exc.reason, "", Location(name)) from None
    from .inputs.source import REPORT_SNIFF, is_own_report
    if is_own_report(data[:REPORT_SNIFF]):
        raise RecordError(f"{name} is a report fiscalrules wrote, not a table of records", "", Location(name))
    try:
        if name.lower().endswith(".parquet"):
            import pyarrow.parquet as pq

            from .columnar.nested import unmarked
            from .report_frames import holds_findings
            table = pq.read_table(pa.BufferReader(data))
            if holds_findings(table.column_names):   # (--format parquet's)
                raise RecordError(f"{name} is a report fiscalrules wrote, not a table of records", "", Location(name))
            return unmarked(table)
        import csv as pycsv
        import io

        import pyarrow.csv as pacsv
        data, text = _utf8_csv(data, name)
        # the header row (it may hold a quoted line break): from the start of the file
        # (newline="": a line break of "\r" alone, an old Mac's, is one too -- review 23 R6)
        try:
            header = next(pycsv.reader(io.StringIO(text, newline="")), None)
        except pycsv.Error as exc:
            raise RecordError(f"cannot read the CSV header row: {exc}", "", Location(name, 1)) from None
        if not header:
            raise RecordError("the CSV file has no header row", "", Location(name))
        options = pacsv.ConvertOptions(column_types={column: pa.string() for column in header},
                                       strings_can_be_null=True, null_values=[""])
        line = _line_longer_than(data, MAX_CSV_LINE_BYTES)
        if line is not None:
            raise RecordError(f"this line is longer than {describe_size(MAX_CSV_LINE_BYTES)}, the most a line of "
                              "a CSV table file may be", "", Location(name, line))
        # A row whose cells are not as many as the header's is one unreadable record, the others
        # read (review 23 R7: it refused the whole file): Arrow skips it, and it is put back below
        # as a row of nulls, its error beside it (columnar.nested.with_unread_rows).
        skipped: list[int] = []
        parse = pacsv.ParseOptions(invalid_row_handler=lambda row: skipped.append(row.actual_columns) or "skip")
        # Arrow parses a block at a time, and a record may straddle one block's end but not two:
        # a block of the longest line lets every line shorter than that through.
        table = pacsv.read_csv(pa.BufferReader(data), convert_options=options, parse_options=parse,
                               read_options=pacsv.ReadOptions(block_size=MAX_CSV_LINE_BYTES))
    except (OSError, pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if "straddl" in str(exc):   # Arrow's words for a record (quoted line breaks in it) over two blocks
            raise RecordError(f"a record is longer than {describe_size(MAX_CSV_LINE_BYTES)}, the most a record of "
                              "a CSV table file may be", "", Location(name)) from None
        raise RecordError(f"cannot read table: {exc}", "", Location(name)) from None
    return _ragged_rows_put_back(table, skipped, data, name) if skipped else table


def _ragged_rows_put_back(table, skipped: list[int], data: bytes, name: str):
    """*table* (the rows Arrow could read) with a row of nulls in the place of each row Arrow
    skipped (*skipped*: their numbers of cells), marked unreadable naming its line.  Arrow's
    handler tells neither the row's place among the records nor its line (not when it reads in
    threads): the csv module finds them; should it not find the same rows, the file is refused
    naming the first it finds, as before."""
    from .columnar.nested import with_unread_rows
    ragged, records = _ragged_rows(data)
    if sorted(len(row) for _, _, row, _ in ragged) != sorted(skipped) or records != table.num_rows + len(ragged):
        if not ragged:
            raise RecordError(f"cannot read table: {len(skipped)} row(s) whose cells are not as many as the "
                              "header's", "", Location(name))
        _, line, row, width = ragged[0]
        raise RecordError(_ragged_text("this row", row, width), "", Location(name, line))
    unread = {index: _ragged_text(f"line {line}", row, width) for index, line, row, width in ragged}
    return with_unread_rows(table, unread)


def _ragged_text(what: str, row: list[str], width: int) -> str:
    return (f"{what} has {len(row)} cells where the header has {width} ({shown(','.join(row))}): "
            "every row needs one cell per column, an empty one for an absent figure")


def _ragged_rows(data: bytes) -> tuple[list[tuple], int]:
    """``(its place among the records, the line it starts on, its cells, the header's number of
    cells)`` for each row of a CSV file (*data*, UTF-8) whose cells are not as many as its
    header's, blank lines skipped as Arrow skips them; and the number of records (-1: the csv
    module cannot read the file)."""
    import csv as pycsv
    import io
    reader = pycsv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))
    found = []
    try:
        header = next(reader, None)
        if header is None:
            return found, -1
        start, index = reader.line_num + 1, 0
        for row in reader:
            if row:
                if len(row) != len(header):
                    found.append((index, start, row, len(header)))
                index += 1
            start = reader.line_num + 1
    except (pycsv.Error, UnicodeDecodeError):
        return found, -1
    return found, index


_HEADER_BYTES = 1_000_000   # the start of a CSV file in which its header row is looked for


def _utf8_csv(data: bytes, name: str) -> tuple[bytes, str]:
    """(*data* as UTF-8, the text of its start) for a CSV file.  Arrow checks the UTF-8 of cells
    but not of the header, whose column names then fail to decode long after: the start is
    decoded strictly here.  A file that is not UTF-8 is refused naming its first bad byte --
    unless it is plainly GBK/GB18030 (Excel's "CSV" on Chinese Windows): the whole file decodes
    as GB18030 and its header holds Chinese, every character of it in GB2312 (Chinese column
    names do; a Latin-1 accent followed by a letter reads as a rare GBK ideograph outside GB2312,
    so a Western file is not misread) and none a kana or other non-Chinese letter (Big5 text, which
    decodes as GBK too, does: 項目 as 兜ヘ).  Such a file is read as the text it holds."""
    start = data[:_HEADER_BYTES]
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):   # xlsx (a zip), xls (an OLE file): a common slip
        raise RecordError("the file is an Excel workbook, not a CSV file: save it as CSV UTF-8", "",
                          Location(name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start.split(b"\n", 1)[0]:
        raise RecordError("the CSV file is not UTF-8: it is UTF-16 (a byte-order mark or zero bytes in its header); "
                          "save it as CSV UTF-8", "", Location(name, 1))
    try:
        return data, start.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and len(start) == _HEADER_BYTES:
            return data, start[:exc.start].decode("utf-8-sig", "ignore")   # a character cut by the slice
        problem = exc
    text = _gb18030_csv(data)
    if text is not None:
        return text.encode("utf-8"), text[:_HEADER_BYTES]
    line = data.count(b"\n", 0, problem.start) + 1
    raise RecordError(f"the CSV file is not valid UTF-8 (byte {problem.start}: 0x{data[problem.start]:02x}); "
                      "save it as CSV UTF-8", "", Location(name, line))


def _gb18030_csv(data: bytes) -> str | None:
    """The text of a GBK/GB18030 CSV file (see :func:`_utf8_csv`), or None."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    header = text.split("\n", 1)[0]
    try:
        coded = header.encode("gb2312")
    except UnicodeEncodeError:
        return None
    # Big5 bytes decode as GBK too (項目 as 兜ヘ): a header with kana, Greek, Cyrillic, pinyin or
    # box drawing (GB2312 rows 4-9, lead bytes 0xA4-0xA9) is no Chinese column name -- not guessed
    # (review 18 B18-6: a wrong reading is worse than a refusal).
    if any(0xA4 <= coded[i] <= 0xA9 for i in _lead_bytes(coded)):
        return None
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in header) else None


def _lead_bytes(coded: bytes) -> list[int]:
    """The places of the first bytes of GB2312's two-byte characters in *coded*."""
    leads, i = [], 0
    while i < len(coded):
        if coded[i] >= 0x80:
            leads.append(i)
            i += 2
        else:
            i += 1
    return leads


def _line_longer_than(data: bytes, limit: int) -> int | None:
    """The number of the first line of *data* longer than *limit* bytes, or None (one pass over
    the bytes for their line breaks; a file no longer than *limit* has no such line)."""
    if len(data) <= limit:
        return None
    import numpy as np
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    ends = np.concatenate([breaks, [len(data)]])
    lengths = np.diff(ends, prepend=-1) - 1
    over = np.flatnonzero(lengths > limit)
    return int(over[0]) + 1 if over.size else None


def _table_reports(rulesets: list, path: str, workers=None, lang: str | None = None,
                   name: str | None = None) -> Iterator[tuple]:
    """``(chunk, its reports)`` for each chunk of a Parquet or CSV file's records
    (:func:`fiscalrules.columnar.nested.table_chunks`: a Parquet file is never read whole, and a
    table field may come as a column of nested rows): each ruleset's :class:`TableReport`, made
    as the caller reads them, records numbered across chunks -- each chunk shared among
    *workers* (a ``columnar.parallel.Workers`` pool) when it is big enough.  With *lang*, the
    columns no ruleset declares are named on standard error (:func:`undeclared_columns`)."""
    from .columnar.engine import evaluate_table
    from .columnar.nested import nested_frames, table_chunks
    from .columnar.parallel import shares
    records = 0
    for table, first_row in table_chunks(path, read_table_file):
        if lang is not None and not records:
            _note_undeclared(undeclared_columns(rulesets, table.column_names), name or os.path.basename(path), lang)
        records += table.num_rows
        rows = shares(table.num_rows, workers)
        yield table, (evaluate_table(ruleset, nested_frames(table, ruleset.checked.fields, ruleset.checked.labels),
                                     first_row=first_row, chunk_rows=rows, workers=workers or 1)
                      for ruleset in rulesets)
    if not records:   # a header without rows, a Parquet file of none: reported as an empty record file is
        raise RecordError("the file holds no record", "", Location(str(path)))


def undeclared_columns(rulesets: list, names: list[str]) -> list[str]:
    """The columns of a table file that no ruleset reads: not an id, a declared field or label,
    or a field's metadata.  A record file's such keys are listed under the record; a table
    file's were dropped without a word -- a header with a typo or an invisible character
    (``b\u200b``) left its figures unchecked (review 23 R16)."""
    from .checked import declares
    from .frames import column_roles
    left: set | None = None
    for ruleset in rulesets:
        fields, labels = ruleset.checked.fields, ruleset.checked.labels
        try:
            roles = column_roles(names, fields, labels)
        except RecordError:   # (two columns for one field: the file's read error says so)
            return []
        mine = {column for column, (field, part) in roles.items()
                if part is None and not declares(fields, field)}
        left = mine if left is None else left & mine
    return [column for column in names if column in (left or ())]


def _note_undeclared(columns: list[str], base: str, lang: str) -> None:
    if not columns:
        return
    from .cli_output import err
    listed = ("、" if lang == "zh" else ", ").join(shown(column) for column in columns)
    err(f"{base}：表格中没有对应字段的列（没有规则读取）：{listed}" if lang == "zh" else
        f"{base}: columns no declared field names (no rule reads them): {listed}")


def stream_table(rulesets: list, path: str, sink: Sink, tally: Tally, statuses=None, workers=None,
                 name: str | None = None) -> None:
    """A Parquet or CSV file through the columnar engine, a chunk of records at a time
    (:func:`_table_reports`), each ruleset in turn.  With *statuses*, only findings of those
    statuses are made and written; every status is counted.  Its rows are records ``NAME:ID``,
    *name* the file's in the batch (default its base name; ``cli_output.input_names``)."""
    base = name or os.path.basename(path)
    severities = [{c.rule.id: c.severity for c in ruleset.rules} for ruleset in rulesets]
    if workers is not None and workers.forked and workers.findings is None and sink.fmt == "jsonl":
        workers.make = rendered_jsonl(sink.lang, base, statuses, path)
    for table, reports in _table_reports(rulesets, path, workers, sink.lang, base):
        for report, severity in zip(reports, severities):
            for rule_id, counts in report.counts.items():
                if statuses is None:  # the others are counted as their findings are written
                    counts = {s: n for s, n in counts.items() if s in (Status.PASS, Status.ROUNDING)}
                tally.add_counts(counts, severity[rule_id])
            errors = [_row_error(base, path, info) for info in report.errors]
            tally.errors.extend(errors)
            sink.write([], errors)
            made = getattr(report, "_made", None)
            if made is not None and made[0] == "rendered":   # by the workers, chunk by chunk
                _write_rendered(made[1], sink, tally)
            else:
                _write_findings(report.findings(statuses), sink, tally, statuses, base, path)
        tally.records += table.num_rows


def _row_error(base: str, path: str, info: RecordInfo) -> RecordInfo:
    """A row of a table file that could not be read, named as its findings are (``FILE:ID``),
    its message too: the rows of two files may have the same ids."""
    error = info.error or ""
    place = f"{info.id}:"
    return RecordInfo(f"{base}:{info.id}", path, [],
                      error=f"{base}:{error}" if error.startswith(place) else f"{base}:{info.id}: {error}")


def _write_findings(findings, sink: Sink, tally: Tally, statuses, base: str, document: str) -> None:
    """Findings (ordered by record) of the table file *document* written a record at a time,
    counted when all are written."""
    current, batch = None, []
    for finding in findings:
        finding.record = f"{base}:{finding.record}"  # rows of different tables are different records
        if statuses is None:
            tally.add(finding)
        if finding.record != current and batch:
            sink.write(batch, document=document)
            batch = []
        current = finding.record
        batch.append(finding)
    sink.write(batch, document=document)


def rendered_jsonl(lang: str, base: str, statuses, document: str):
    """What a worker process of ``check --jobs --format jsonl`` does with its chunk's report
    (``Workers.make``): its findings written as :func:`stream_table` writes them, into
    compressed JSON Lines (a tenth of the text, while the caller waits for the chunk's other
    parts), with the counts they add -- so the findings, most of a run's work when not_applicable
    ones are written, are made and rendered in the workers, not the caller."""
    def render(report) -> tuple:
        import zlib

        class Compressed:
            def __init__(self):
                self.parts, self.compressor = [], zlib.compressobj(1)

            def write(self, text: str) -> None:
                self.parts.append(self.compressor.compress(text.encode("utf-8")))

        out, tally = Compressed(), Tally()
        _write_findings(report.findings(statuses), Sink("jsonl", None, lang, out, statuses), tally, statuses, base,
                        document)
        out.parts.append(out.compressor.flush())
        return b"".join(out.parts), tally.counts, tally.worst
    return render


def _write_rendered(parts: list, sink: Sink, tally: Tally) -> None:
    import zlib
    for blob, counts, worst in parts:
        sink.handle.write(zlib.decompress(blob).decode("utf-8"))
        tally.counts.update(counts)
        for status, rank in worst.items():
            if rank < tally.worst.get(status, 3):
                tally.worst[status] = rank


def stream_records(rulesets: list, sources, sink: Sink, tally: Tally, localise: bool = True) -> None:
    """Records (files of JSON, JSON Lines, YAML) one at a time: evaluated, written (with their
    localisation, unless *localise* is False), dropped."""
    from .loader import _unique
    from .records import iter_records
    seen: dict = {}
    for item in iter_records(sources):
        if isinstance(item, FiscalRulesError):
            info = RecordInfo.unreadable(item)
            tally.errors.append(info)
            sink.write([], [info])
            continue
        rid = _unique(item.id, seen)
        findings = []
        unknown: set | None = None
        info = None
        inputs = Report()
        for ruleset in rulesets:
            report = Report(ruleset=ruleset.name)
            ruleset._evaluate_into(report, item, rid)
            findings.extend(report.findings)
            inputs.add_inputs(report)
            info = report.records[0]
            unknown = set(info.unknown_keys) if unknown is None else unknown & set(info.unknown_keys)
        for finding in findings:
            tally.add(finding)
        tally.records += 1
        if info is not None:  # a record no rule could check (no key a declared field) is counted
            info.unknown_keys = [k for k in info.unknown_keys if k in (unknown or set())]
            if Report(findings=findings, records=[info]).nothing_checked(rid):
                tally.unchecked += 1
        sink.write(findings, inputs=inputs if localise else None, document=info.document if info is not None else None)


def is_table_file(path: str) -> bool:
    return Path(str(path)).suffix.lower() in TABLE_SUFFIXES


def table_findings(rulesets: list, path: str, workers=None, name: str | None = None,
                   lang: str | None = None) -> Iterator[tuple]:
    """(record infos, findings) of a table file for a report held in memory, chunk by chunk: the
    non-passing findings, the records they belong to, and rows that could not be read.  A chunk's
    are handed on before the next chunk is read, so that a file damaged further on (a Parquet row
    group that cannot be read) keeps the findings of the records read before it.  Rows are named
    as by :func:`stream_table`."""
    base = name or os.path.basename(path)
    seen: set = set()
    for _, reports in _table_reports(rulesets, path, workers, lang, base):
        infos, findings = [], []
        for report in reports:
            for info in report.errors:
                error = _row_error(base, path, info)
                if error.id not in seen:
                    seen.add(error.id)
                    infos.append(error)
            for finding in report.findings():
                finding.record = f"{base}:{finding.record}"  # rows of different tables are different records
                if finding.record not in seen:
                    seen.add(finding.record)
                    infos.append(RecordInfo(finding.record, path))
                findings.append(finding)
        yield infos, findings
