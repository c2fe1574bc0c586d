"""The ``check`` command: rule files run over record files and table files.

Records (JSON, JSONL, YAML) are evaluated by the per-record evaluator, table files (Parquet,
CSV) by the columnar engine, with ``--jobs`` worker processes; the findings are written as a
report of ``--format`` (:func:`.cli_output.write_batch`), or streamed as records are evaluated
for ``--format jsonl|csv|parquet`` (:func:`_check_streaming`, where ``--engine columnar`` and
``--statuses`` apply).  SIGTERM is taken as Ctrl-C while it runs.
"""

from __future__ import annotations

import contextlib
import os

from .cli_arguments import EXIT_INPUT
from .cli_output import (InputError, empty_folders, err, expand, input_error, input_names, output_is_an_input, rule_files_read,
                         stream_batch, table_error, terminate_as_interrupt, write_batch)
from .findings import Report
from .translations import translate_error

__all__ = ["cmd_check"]


def cmd_check(args) -> int:
    with terminate_as_interrupt():
        return _check(args)


def _check(args) -> int:
    from .cli import _load_rulesets, refuse_selection
    matched: set = set()
    try:
        rulesets = _load_rulesets(args.rules, args, matched=matched)
    except InputError:
        return EXIT_INPUT
    if refuse_selection(args, rulesets, matched):
        return EXIT_INPUT
    empty: list = []   # a folder given that holds no record file: its read error; the others run
    records = expand(args.record, (".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".parquet", ".csv"), empty)
    if output_is_an_input(args, rule_files_read(rulesets) + records):
        return EXIT_INPUT
    unread = empty_folders(empty)
    from .streaming import STREAM_FORMATS, is_table_file
    if args.format in STREAM_FORMATS:
        return _check_streaming(args, rulesets, records, unread)
    if args.engine == "columnar" or args.statuses:
        option = "--engine columnar" if args.engine == "columnar" else "--statuses"
        err(f"{option} 需要 --format jsonl、csv 或 parquet" if args.lang == "zh" else
             f"{option} needs --format jsonl, csv or parquet")
        return EXIT_INPUT
    tables = [path for path in records if is_table_file(path)]
    records = [path for path in records if not is_table_file(path)]
    names = input_names(args.record, tables, os.path.basename)   # (rows named NAME:ID: d/t.csv, e/t.csv)

    def run(writer):
        from .report_stream import record_reports
        from .streaming import table_findings
        for info in unread:
            writer.write(Report(records=[info]))
        for chunk in record_reports(rulesets, records):
            writer.write(chunk)
        with _workers(args) as workers:
            for path, name in zip(tables, names):  # passing rows of a table are counted by the engine, not listed
                try:   # (a chunk's findings written before the next is read: kept when a later one fails)
                    for infos, findings in table_findings(rulesets, path, workers, name, args.lang):
                        writer.write(Report(findings=findings, records=infos))
                except Exception as exc:  # noqa: BLE001 -- one bad table (or a defect) reported; the others run
                    writer.write(Report(records=[table_error(path, input_error(exc, path), name)]))
        return "+".join(r.name for r in rulesets), rulesets

    from .inputs.allowed import documents_read_from
    with documents_read_from([os.getcwd()]):   # (a document a record names is read only in the working directory)
        return write_batch(args, run)


def _workers(args):
    """``--jobs``: a pool of worker processes for the table files (started by their first chunk
    big enough to share, stopped when the files are done), or a stand-in for one process."""
    jobs = getattr(args, "jobs", 1)
    if jobs == 1:
        return contextlib.nullcontext(None)
    from .columnar.parallel import Workers
    statuses = getattr(args, "statuses", None)
    # The findings check writes are made by the workers too when they are few; not when
    # not_applicable ones are written (no --statuses: ~60 a budget record), which the parent
    # would hold for a whole chunk of the file (3.9 GB for 20,000 records) -- made lazily here
    # instead, as by one process.
    few = statuses is not None and "not_applicable" not in statuses
    return Workers(jobs, findings=statuses if few else False)


def _check_streaming(args, rulesets, paths, unread=()) -> int:
    """Findings written as records are evaluated; only counts are kept (see fiscalrules.streaming).
    *unread*: inputs known unreadable before the run (an empty folder), reported first."""
    from .streaming import is_table_file, stream_records, stream_table
    def fill(sink, tally) -> None:
        for info in unread:
            tally.errors.append(info)
            sink.write([], [info])
        records = [path for path in paths if not is_table_file(path)]
        if records and getattr(args, "engine", "record") == "columnar":
            from .columnar.recordstream import stream_records_columnar
            stream_records_columnar(rulesets, records, sink, tally, localise=not args.no_localise)
        elif records:
            stream_records(rulesets, records, sink, tally, localise=not args.no_localise)
        tables = [path for path in paths if is_table_file(path)]
        with _workers(args) as workers:
            for path, name in zip(tables, input_names(args.record, tables, os.path.basename)):
                try:
                    stream_table(rulesets, path, sink, tally, getattr(args, "statuses", None), workers, name)
                except OSError:   # writing the output (reading is the readers', which say so)
                    raise
                except Exception as exc:  # noqa: BLE001 -- a defect too: reported against this table
                    info = table_error(path, input_error(exc, path), name)
                    tally.errors.append(info)
                    sink.write([], [info])

    tally = stream_batch(args, fill)
    if tally is None:
        return EXIT_INPUT
    for info in tally.errors:
        err(translate_error(info.error, args.lang))
    err(tally.summary_line(args.lang))
    if tally.unchecked:
        err(f"{tally.unchecked} 条记录没有核对任何规则（记录中没有规则需要的数字）" if args.lang == "zh" else
             f"{tally.unchecked} record(s) on which no rule could be checked (none of the figures the rules need)")
    return tally.exit_code(args.fail_on)
