"""The command line: ``fiscalrules check | lint | test | audit | extract | rulesets``.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors.  User errors
(bad rule files, records, documents, options) are printed as ``file:line:col: CODE: message`` with
a caret excerpt -- never as a Python traceback.  In a batch, one bad input is reported and the
others still run.  Messages and help are in Chinese; ``--lang en`` (or FISCALRULES_LANG=en) gives
English.  A run in which no rule could be checked is never reported clean: it exits 2.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn

from .cli_arguments import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, build_parser, chosen_lang, plain_audit_arguments
from .errors import FiscalRulesError, Location
from .findings import Report, RecordInfo
from .loader import RULE_SUFFIX, Ruleset, bundled_rulesets, lint, load_ruleset
from .translations import translate, translate_error

__all__ = ["main", "run"]

DEFAULT_AUDIT_RULESET = "budget_disclosure"


def main(argv: list[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); returns the exit code."""
    _utf8_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    # The command is the line's first word (the command line's own options, -h and --version,
    # come before it and end the run); the other commands' options are not built.
    command = argv[0] if argv and argv[0] in _COMMANDS else None
    args = plain_audit_arguments(argv)   # `audit FILE…` without building a parser
    if args is None:
        parser = build_parser(chosen_lang(argv), command)
        args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    lang = getattr(args, "lang", "zh")
    if args.command not in ("audit", "check", "test"):   # (those three load rulesets: _load_rulesets)
        _after_the_start()
    try:
        return _COMMANDS[args.command](args)
    except FiscalRulesError as exc:
        _err(exc.format(lang))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("已中断" if lang == "zh" else "interrupted")
        return EXIT_INPUT
    except _OutputError as exc:
        _err(f"fiscalrules: {translate(str(exc), getattr(args, 'lang', 'zh'))}")
        return EXIT_INPUT
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_CLEAN
    except OSError as exc:
        # Inputs are read through the bounded reader, which reports its own refusals: what is left
        # is writing the output (a streamed -o on a full disk, a Parquet file that cannot be made).
        where = exc.filename or getattr(args, "output", None)
        message = f"cannot write {where}: {exc.strerror or exc}" if where else \
            f"cannot write to standard output: {exc.strerror or exc}"
        _err(f"fiscalrules: {translate(message, getattr(args, 'lang', 'zh'))}")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 -- a defect of fiscalrules, never of the input
        # Exit 1 would read as "findings found" and a traceback as a crash of the user's making:
        # say it is ours, name the exception, and keep the traceback for FISCALRULES_DEBUG=1.
        if os.environ.get("FISCALRULES_DEBUG"):
            raise
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        _err(f"fiscalrules: 内部错误（fiscalrules 的缺陷，不是输入的问题，请报告）：{detail}；"
             f"设置 FISCALRULES_DEBUG=1 可看到调用栈" if lang == "zh" else
             f"fiscalrules: internal error (a defect of fiscalrules, not of the input; please report it): "
             f"{detail}; set FISCALRULES_DEBUG=1 to see the traceback")
        return EXIT_INPUT


def run() -> NoReturn:
    """The ``fiscalrules`` command and ``python -m fiscalrules``: :func:`main`, then exit.

    Regular expressions come rebuilt from the last run's (:mod:`.patterncache`).  Once the output
    is flushed the process ends with ``os._exit`` (a teardown is a tenth of an audit, which nobody
    waits for), unless a flush failed (exit 120), an exit handler is registered or a thread runs."""
    from .patterncache import preload, store
    global _starting
    _starting = True
    gc.set_threshold(_START_THRESHOLD, *gc.get_threshold()[1:])   # (as __main__ does before its imports)
    preload()
    code = main()
    store()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    import atexit
    # threading not imported: no thread started through it (imported only to ask: ~3.8 M instructions)
    threading = sys.modules.get("threading")
    callbacks = getattr(atexit, "_ncallbacks", None)   # CPython's count of exit handlers
    if callbacks is None or callbacks() or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    os._exit(code)


# The cyclic collector in the command's process.  What the start allocates -- the patterns, the
# library's modules, the rulesets' nodes and closures, ~75,000 objects -- lives to the end of the
# run, and the collector, at its default first threshold (700 allocations), walked it again and
# again finding nothing: ~25 M of the ~510 M instructions of a warm one-document audit.  During
# the start the threshold is above what a start allocates (so no pass at all); once the rulesets
# are loaded, what there is then is frozen (gc.freeze: never walked again, nor freed -- it is
# kept to the end anyway) and the threshold lowered to one that still collects a long batch's
# cyclic garbage, 20,000 allocations at most of it at a time (a few MB).
_START_THRESHOLD, _RUN_THRESHOLD = 100_000, 20_000
_starting = False   # run() started the command and _after_the_start() has not been called yet


def _after_the_start() -> None:
    """The rulesets are loaded (or the command loads none): the collector set for the rest of the
    run (see _START_THRESHOLD).  Only in a process :func:`run` started: main() called by a program
    leaves its collector alone."""
    global _starting
    if _starting:
        _starting = False
        gc.freeze()
        gc.set_threshold(_RUN_THRESHOLD, *gc.get_threshold()[1:])


def _silence_stdout() -> None:
    """After a closed pipe (``fiscalrules … | head``), point stdout at /dev/null so that Python's
    final flush does not print a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _utf8_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _expand(paths, suffixes: tuple[str, ...]) -> list[str]:
    """Files named on the command line, a folder standing for the files in it (recursively,
    sorted) with one of *suffixes*.  Anything else is passed on as given (a bundled ruleset
    name, or a missing file the loader reports)."""
    out: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(folder, name) for folder, _, names in os.walk(path) for name in names
                           if name.lower().endswith(suffixes) and not name.startswith((".", "_")))
            if not found:
                raise FiscalRulesError(f"no {' or '.join(suffixes)} files in the folder {path}", Location(str(path)),
                                       code="E500")
            out.extend(found)
        else:
            out.append(str(path))
    return out


def _patterns(values) -> list[str]:
    return [p.strip() for value in values for p in value.split(",") if p.strip()]


def _load_rulesets(names, args=None) -> list[Ruleset]:
    """Every named ruleset (less the rules --select/--ignore leave out); all their problems are
    printed before giving up."""
    rulesets, failed = _load_each(names, args)
    if failed:
        raise _InputError()
    return rulesets


def _load_each(names, args=None) -> tuple[list[Ruleset], int]:
    """(the rulesets of *names* that load, the number that do not: each one's problems printed)."""
    lang = getattr(args, "lang", "zh")
    select, ignore = _patterns(getattr(args, "select", [])), _patterns(getattr(args, "ignore", []))
    rulesets, failed = [], 0
    try:
        for name in _expand(names, (RULE_SUFFIX,)):
            try:
                ruleset = load_ruleset(name)
            except FiscalRulesError as exc:
                _err(exc.format(lang))
                failed += 1
                continue
            rulesets.append(ruleset.subset(select, ignore) if select or ignore else ruleset)
    finally:
        _after_the_start()
    return rulesets, failed


class _InputError(Exception):
    """Already reported; exit 2."""


class _OutputError(Exception):
    """The output could not be written; exit 2 with this message."""


def _write_batch(args, run) -> int:
    """Run a batch through a writer of ``--format`` (json, table, sarif, html): *run(writer)*
    hands it each record's report and returns (the ruleset name, the rulesets run); the writer
    keeps counts, not reports (see fiscalrules.report_stream).  Returns the exit code."""
    from .report_stream import LazyOutput, OutputTooLarge, open_writer
    handle = LazyOutput(args.output) if args.output else sys.stdout
    writer = open_writer(args.format, handle, args.lang, localise=not getattr(args, "no_localise", False),
                         show_passes=args.show_passes)
    try:
        name, rulesets = run(writer)
        writer.close(name, rulesets)
        handle.close() if args.output else handle.flush()
    except BrokenPipeError:
        writer.discard()
        raise
    except OutputTooLarge as exc:  # nothing written: the format cannot hold the batch
        writer.discard()
        if args.output:
            handle.remove()
        _err(f"fiscalrules: {exc.text(args.lang)}")
        return EXIT_INPUT
    except BaseException:
        writer.discard()
        if args.output:
            handle.remove()  # no truncated report is mistaken for a whole one
        raise
    totals = writer.totals
    for info in totals.errors:
        _err(translate_error(info.error, args.lang))
    if totals.records and not totals.errors and totals.nothing_checked():
        _err("没有任何规则能够核对：记录中没有规则需要的数字（请检查记录的键是否为字段路径）" if args.lang == "zh" else
             "no rule could be checked: the records hold none of the figures the rules need "
             "(are their keys field paths?)")
    return totals.exit_code(args.fail_on)


def _write(text: str, path: str | None) -> None:
    """Write a report or record to *path*, or to standard output.  A path that cannot be written
    (a missing folder, no permission, a full disk) is an input error, exit 2, with a message --
    and a file left half-written is removed, so no truncated report is mistaken for a whole one."""
    if not path:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
        return
    created = False
    try:
        regular = not os.path.exists(path) or os.path.isfile(path)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            created = regular
            handle.write(text)
    except OSError as exc:
        if created:
            try:
                os.remove(path)
            except OSError:
                pass
        raise _OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_check(args) -> int:
    with _terminate_as_interrupt():
        return _check(args)


def _terminate_as_interrupt():
    """SIGTERM (a timeout, a CI job cancelled) taken as Ctrl-C while ``check`` runs: the run's
    ``finally`` blocks then stop its worker processes and remove a half-written output file, and
    it exits 2, "interrupted" -- killed by the default action, none of that would happen."""
    import contextlib
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():   # (handlers are the main thread's)
        return contextlib.nullcontext()

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def handled():
        previous = signal.signal(signal.SIGTERM, interrupt)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
    return handled()


def _check(args) -> int:
    try:
        rulesets = _load_rulesets(args.rules, args)
    except _InputError:
        return EXIT_INPUT
    records = _expand(args.record, (".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".parquet", ".csv"))
    if _output_is_an_input(args, _expand(args.rules, (RULE_SUFFIX,)) + records):
        return EXIT_INPUT
    from .streaming import STREAM_FORMATS, is_table_file
    if args.format in STREAM_FORMATS:
        return _check_streaming(args, rulesets, records)
    if args.engine == "columnar" or args.statuses:
        option = "--engine columnar" if args.engine == "columnar" else "--statuses"
        _err(f"{option} 需要 --format jsonl、csv 或 parquet" if args.lang == "zh" else
             f"{option} needs --format jsonl, csv or parquet")
        return EXIT_INPUT
    tables = [path for path in records if is_table_file(path)]
    records = [path for path in records if not is_table_file(path)]

    def run(writer):
        from .report_stream import record_reports
        from .streaming import table_findings
        for chunk in record_reports(rulesets, records):
            writer.write(chunk)
        with _workers(args) as workers:
            for path in tables:  # passing rows of a table are counted by the engine, not listed
                try:
                    infos, findings = table_findings(rulesets, path, workers)
                except Exception as exc:  # noqa: BLE001 -- one bad table (or a defect) reported; the others run
                    infos, findings = [_table_error(path, _input_error(exc, path))], []
                writer.write(Report(findings=findings, records=infos))
        return "+".join(r.name for r in rulesets), rulesets

    return _write_batch(args, run)


def _workers(args):
    """``--jobs``: a pool of worker processes for the table files (started by their first chunk
    big enough to share, stopped when the files are done), or a stand-in for one process."""
    import contextlib
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


def _input_error(exc: Exception, path: str) -> FiscalRulesError:
    """The error of one input of a batch: ours as it is, an unexpected exception (a defect) as
    that input's internal error (E799)."""
    if isinstance(exc, FiscalRulesError):
        return exc
    from .records import internal_error
    return internal_error(exc, Location(path))


def _table_error(path: str, exc: FiscalRulesError) -> RecordInfo:
    """A table file that could not be evaluated, as its read error: named by the file, also when
    the error has no place of its own (a worker process that died: E701)."""
    if exc.location.file in (None, "DataFrame"):   # (the frame readers' place: here the frame is the file)
        exc.location = Location(path)
    return RecordInfo(os.path.basename(path), path, [], error=exc.format())


def _open_stream(args):
    """(sink, tally) for a streamed run, or None when the output cannot be opened (reported)."""
    from .streaming import Tally, open_sink
    try:
        return open_sink(args.format, args.output, args.lang, sys.stdout, getattr(args, "statuses", None)), Tally()
    except OSError as exc:
        _err(f"{args.output}: cannot write: {exc.strerror or exc}")
        return None


def _check_streaming(args, rulesets, paths) -> int:
    """Findings written as records are evaluated; only counts are kept (see fiscalrules.streaming)."""
    from .streaming import is_table_file, stream_records, stream_table
    # (a device -- /dev/null -- is never removed)
    removable = bool(args.output) and (not os.path.exists(args.output) or os.path.isfile(args.output))
    opened = _open_stream(args)
    if opened is None:
        return EXIT_INPUT
    sink, tally = opened
    try:
        records = [path for path in paths if not is_table_file(path)]
        if records and getattr(args, "engine", "record") == "columnar":
            from .columnar.recordstream import stream_records_columnar
            stream_records_columnar(rulesets, records, sink, tally, localise=not args.no_localise)
        elif records:
            stream_records(rulesets, records, sink, tally, localise=not args.no_localise)
        with _workers(args) as workers:
            for path in paths:
                if is_table_file(path):
                    try:
                        stream_table(rulesets, path, sink, tally, getattr(args, "statuses", None), workers)
                    except OSError:   # writing the output (reading is the readers', which say so)
                        raise
                    except Exception as exc:  # noqa: BLE001 -- a defect too: reported against this table
                        info = _table_error(path, _input_error(exc, path))
                        tally.errors.append(info)
                        sink.write([], [info])
    except BaseException:   # interrupted (Ctrl-C, SIGTERM) or failed: no truncated output left
        with contextlib.suppress(Exception):
            sink.close()
        if removable:
            with contextlib.suppress(OSError):
                os.remove(args.output)
        raise
    sink.close()
    for info in tally.errors:
        _err(translate_error(info.error, args.lang))
    _err(tally.summary_line(args.lang))
    if tally.unchecked:
        _err(f"{tally.unchecked} 条记录没有核对任何规则（记录中没有规则需要的数字）" if args.lang == "zh" else
             f"{tally.unchecked} record(s) on which no rule could be checked (none of the figures the rules need)")
    return tally.exit_code(args.fail_on)


def _output_is_an_input(args, inputs) -> bool:
    """True (and said) when ``-o`` names one of the run's *inputs* (a file named, or one of a
    folder given): opening it for the report would destroy it, before or after it is read -- a
    slip of the shell (``-r x -o x``) costing the input.  Only a regular file is compared (a
    device, /dev/null, is no one's data)."""
    output = getattr(args, "output", None)
    try:
        if not output or not os.path.isfile(output):
            return False
        target = os.stat(output)
    except (OSError, ValueError):
        return False
    for path in inputs:
        try:
            found = os.stat(path)
        except (OSError, ValueError):   # not a file: a bundled ruleset's name, a missing file (reported later)
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            _err(f"fiscalrules: {translate(f'the output {output} is also an input: writing it would destroy it', getattr(args, 'lang', 'zh'))}")
            return True
    return False


def cmd_lint(args) -> int:
    paths = _expand(args.rules, (RULE_SUFFIX,))
    if _output_is_an_input(args, paths):
        return EXIT_INPUT
    diagnostics = lint(paths)
    if args.format == "sarif":
        from .report_sarif import render_lint_sarif
        _write(render_lint_sarif(diagnostics, paths, lang=args.lang), args.output)
        return EXIT_INPUT if diagnostics else EXIT_CLEAN
    lines = [d.format(lang=args.lang) for d in diagnostics]
    if diagnostics:
        lines.append(f"{len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}" if args.lang == "en"
                     else f"共 {len(diagnostics)} 个问题")
    else:
        lines.append("ok" if args.lang == "en" else "没有问题")
    _write("\n".join(lines) + "\n", args.output)
    return EXIT_INPUT if diagnostics else EXIT_CLEAN


def cmd_test(args) -> int:
    # Each rule file on its own: one that does not load is reported, the others' examples still run.
    rulesets, unreadable = _load_each(args.rules, args)
    total = bad = 0
    for ruleset in rulesets:
        for result in ruleset.run_examples():
            total += 1
            if not result.ok:
                bad += 1
                print(result.describe(args.lang) if result.file else f"{ruleset.name}: {result.describe(args.lang)}")
    print(f"{total - bad} passed, {bad} failed" +
          (f", {unreadable} rule file{'s' if unreadable != 1 else ''} could not be read" if unreadable else ""))
    return EXIT_INPUT if unreadable else EXIT_FINDINGS if bad else EXIT_CLEAN


def cmd_audit(args) -> int:
    from .readers import read_document_record
    from .report_stream import merge_reports
    names = list(args.ruleset or [])
    bundled = not names or args.with_bundled   # the bundled ruleset of each document's template
    try:
        rulesets = _load_rulesets(names or [DEFAULT_AUDIT_RULESET], args)
        # Without --ruleset, the ruleset just loaded is the default template's: not loaded twice
        # (a load is a third of a one-document audit's time).
        by_template = ({} if not bundled else {DEFAULT_AUDIT_RULESET: rulesets[0]} if not names else
                       {DEFAULT_AUDIT_RULESET: _load_rulesets([DEFAULT_AUDIT_RULESET], args)[0]})
    except _InputError:
        return EXIT_INPUT
    explicit = rulesets if names else []
    documents = _expand(args.documents, (".txt", ".pdf"))
    if _output_is_an_input(args, documents + _expand(names, (RULE_SUFFIX,))):
        return EXIT_INPUT
    named = _document_ids(args.documents, documents)
    progress = sys.stderr.isatty() and not args.no_progress and len(documents) > 1

    def reports():
        """Each document's report (every chosen ruleset's findings, merged), or its read error."""
        for number, path in enumerate(documents, start=1):
            if progress:
                sys.stderr.write(f"\r[{number}/{len(documents)}] {os.path.basename(path)[:60]:<60}")
                sys.stderr.flush()
            try:
                # Indexed once, naming the document: a problem in what was read names this file.
                # (read_document, then load_record(data, file=path), in one: readers/__init__.py)
                data, record = read_document_record(path, file=path)
                chosen = list(explicit)
                if bundled:
                    template = data.get("_meta", {}).get("template") or DEFAULT_AUDIT_RULESET
                    if template not in by_template:
                        by_template[template] = _load_rulesets([template], args)[0]
                    chosen.insert(0, by_template[template])
                rid = named[number - 1] or record.id
                merged = merge_reports([ruleset.evaluate(record, id=rid) for ruleset in chosen])
            except _InputError:   # a template's ruleset that cannot be loaded: already reported
                raise
            except Exception as exc:  # noqa: BLE001 -- one bad document is reported; the others still run
                error = _input_error(exc, path)
                yield Report(records=[RecordInfo(os.path.basename(path), path, [], error=error.format())])
                continue
            for info in merged.records:  # the path as given, so reports can link and show the document
                if info.document and os.path.basename(info.document) == os.path.basename(path):
                    info.document = path
            yield merged
        if progress:
            sys.stderr.write("\r" + " " * 72 + "\r")

    from .report_stream import WRITTEN_FORMATS   # (not .streaming's STREAM_FORMATS: that module imports pathlib)
    if args.format in WRITTEN_FORMATS:  # json, table, sarif, html: each document written, then dropped
        def run(writer):
            for report in reports():
                writer.write(report)
            chosen = list(by_template.values()) + list(explicit) if bundled else rulesets
            return "+".join(r.name for r in chosen), chosen   # the templates' rulesets, then those asked for
        return _write_batch(args, run)
    opened = _open_stream(args)  # each document's findings written at once, then dropped
    if opened is None:
        return EXIT_INPUT
    sink, tally = opened
    try:
        for merged in reports():
            if merged.errors:
                tally.errors.extend(merged.errors)
                sink.write([], merged.errors)
                continue
            for finding in merged.findings:
                tally.add(finding)
            tally.records += 1
            tally.unchecked += sum(1 for info in merged.records if merged.nothing_checked(info))
            sink.write(merged.findings, inputs=None if args.no_localise else merged,
                       document=merged.records[0].document if merged.records else None)
    finally:
        sink.close()
    for info in tally.errors:
        _err(translate_error(info.error, args.lang))
    return tally.exit_code(args.fail_on)


def _document_ids(given, documents: list[str]) -> list[str | None]:
    """The record ids of the audited *documents* that their file stems (the readers' ids) would
    not tell apart -- a.txt, a.pdf and x/a.txt of one folder, 2024/部门预算.pdf and
    2025/部门预算.pdf: each is named by its path within the folder *given* on the command line (or
    as given, a file named), so that a finding says which document it is; the path as found when
    that too is shared (two folders' a.txt).  None for a document of a stem of its own: it keeps it."""
    from collections import Counter

    from .inputs.pathnames import path_stem   # Path(path).stem, without importing pathlib (~15 M instructions)
    stems = Counter(path_stem(path) for path in documents)
    folders = [os.path.join(str(folder), "") for folder in given if os.path.isdir(folder)]
    ids: list[str | None] = []
    for path in documents:
        folder = next((f for f in folders if path.startswith(f)), None)
        ids.append(None if stems[path_stem(path)] == 1 else path[len(folder):] if folder else path)
    shared = Counter(ids)
    from .loader import _unique
    seen: dict[str, int] = {}   # (one file given twice: a#2, as check names records)
    return [None if rid is None else _unique(path if shared[rid] > 1 else rid, seen)
            for path, rid in zip(documents, ids)]


def cmd_extract(args) -> int:
    import json
    from .readers import read_document
    if _output_is_an_input(args, [args.document]):
        return EXIT_INPUT
    data = read_document(args.document)
    _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    return EXIT_CLEAN


def cmd_rulesets(args) -> int:
    """Each bundled ruleset: name, number of rules, title (in --lang), file."""
    for name, path in bundled_rulesets().items():
        try:
            ruleset = load_ruleset(str(path))
        except FiscalRulesError as exc:  # a broken bundled file is reported, the others still listed
            print(f"{name}\t-\t{exc}\t{path}")
            continue
        title = (ruleset.title_en or ruleset.title) if getattr(args, "lang", "zh") == "en" else ruleset.title
        print(f"{name}\t{len(ruleset.rules)}\t{title or ''}\t{path}")
    return EXIT_CLEAN


_COMMANDS = {"check": cmd_check, "lint": cmd_lint, "test": cmd_test, "audit": cmd_audit,
             "extract": cmd_extract, "rulesets": cmd_rulesets}
