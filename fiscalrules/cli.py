"""The command line: ``fiscalrules check | lint | test | audit | extract | rulesets``.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors.  User errors
(bad rule files, records, documents, options) are printed as ``file:line:col: CODE: message`` with
a caret excerpt -- never as a Python traceback.  In a batch, one bad input is reported and the
others still run.  Messages and help are in Chinese; ``--lang en`` (or FISCALRULES_LANG=en) gives
English.  A run in which no rule could be checked is never reported clean: it exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from .errors import FiscalRulesError, Location
from .findings import Report, RecordInfo
from .loader import RULE_SUFFIX, Ruleset, bundled_rulesets, lint, load_ruleset
from .records import load_record
from .reporters import FORMATS
from .translations import translate, translate_error

__all__ = ["main", "run"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
DEFAULT_AUDIT_RULESET = "budget_disclosure"


# Every help text in Chinese and English; the language is chosen before the parser is built.
_HELP = {
    "description": ("政府预算公开文件的一致性核对规则。", "Consistency rules for government budget disclosures."),
    "version": ("显示版本号并退出", "show the version and exit"),
    "format": ("输出格式（默认：table）", "output format (default: table)"),
    "fail_on": ("出现该严重级别及以上的不一致时退出码为 1（默认：error）",
                "exit 1 when a finding fails at this severity or above (default: error)"),
    "lang": ("消息语言（默认：zh）", "message language (default: zh)"),
    "show_passes": ("表格中也列出通过的规则", "list passing rules in the table too"),
    "output": ("把报告写入此文件，而不是标准输出", "write the report to this file instead of standard output"),
    "no_localise": ("不推断最可能有误的数字（大批量时更快）",
                    "do not work out which figures are most likely wrong (faster on big batches)"),
    "select": ("只运行这些规则（编号、通配如 INC-* 或标签；可重复，可用逗号分隔）",
               "run only these rules (id, pattern such as INC-*, or tag; repeatable, comma-separated)"),
    "ignore": ("不运行这些规则（编号、通配或标签）", "skip these rules (id, pattern or tag)"),
    "check": ("用规则文件核对记录（JSON、YAML、JSON Lines）", "evaluate rule files against records (JSON, YAML, JSON Lines)"),
    "rules": ("规则文件、文件夹或内置规则集名称", "rule files, folders or bundled ruleset names"),
    "record": ("记录文件或文件夹（可重复）", "record file or folder (repeatable)"),
    "statuses": ("只写出这些状态的结论（逗号分隔，如 fail,error）；其余的只计数；需要 --format jsonl、csv 或 parquet",
                 "write only findings of these statuses (comma-separated, e.g. fail,error); the others are only "
                 "counted; needs --format jsonl, csv or parquet"),
    "engine": ("记录文件的核对引擎：record 逐条记录（列出每条结论），columnar 按列分块核对（只列出未通过的结论，"
               "通过的只计数；需要 --format jsonl、csv 或 parquet）",
               "engine for record files: record (one record at a time, every finding listed) or columnar "
               "(chunks of records on columns: findings that are not passes listed, passes counted; "
               "needs --format jsonl, csv or parquet)"),
    "lint": ("检查规则文件并报告所有问题", "check rule files and report every problem"),
    "test": ("运行规则文件中的示例", "run the inline examples of rule files"),
    "audit": ("读取预算公开文件并报告所有不一致", "read disclosure documents and report every inconsistency"),
    "documents": ("公开文件（文本或 PDF）或文件夹", "disclosure documents (text or PDF) or folders"),
    "ruleset": ("要使用的规则集（可重复；默认：内置的 budget_disclosure）",
                "ruleset to apply (repeatable; default: the bundled budget_disclosure)"),
    "with_bundled": ("在内置规则集之外再加上 --ruleset 给出的规则集，而不是替换它",
                     "add the --ruleset rulesets to the bundled one instead of replacing it"),
    "no_progress": ("终端上不显示进度", "no progress line on a terminal"),
    "extract": ("读取公开文件，把记录写成 JSON", "read a disclosure document and write its record as JSON"),
    "document": ("公开文件", "disclosure document"),
    "extract_output": ("要写入的记录文件（默认：标准输出）", "record file to write (default: standard output)"),
    "rulesets": ("列出内置规则集", "list the bundled rulesets"),
    "command": ("子命令", "command"),
}


def _h(key: str, lang: str) -> str:
    zh, en = _HELP[key]
    return en if lang == "en" else zh


_LANG = {"value": "zh"}  # the language the parsers being built speak (argparse builds subparsers itself)


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        # argparse makes a formatter for every option it adds and asks shutil for the width
        # (importing shutil, and with it zlib, bz2 and lzma: ~3 ms of every start); the same
        # width, as shutil.get_terminal_size gives it, without the import.
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None and _LANG["value"] == "zh":
            prefix = "用法："
        return super().add_usage(usage, actions, groups, prefix)


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    """argparse with its own words (usage, options, help, errors) in the chosen language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        zh = _LANG["value"] == "zh"
        self._optionals.title = "选项" if zh else "options"
        self._positionals.title = "参数" if zh else "positional arguments"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="显示此帮助并退出" if zh else "show this help message and exit")

    def error(self, message):  # argparse's default exits 2 already; keep its message short
        self.print_usage(sys.stderr)
        word = "错误" if _LANG["value"] == "zh" else "error"
        if _LANG["value"] == "zh":
            for en, zh in _ARGPARSE_ZH:
                message = message.replace(en, zh)
        self.exit(EXIT_INPUT, f"{self.prog}: {word}: {message}\n")


_ARGPARSE_ZH = (("the following arguments are required:", "缺少必需的参数："),
                ("unrecognized arguments:", "无法识别的参数："), ("invalid choice:", "无效的选项："),
                ("choose from", "可选"), ("expected one argument", "需要一个值"),
                ("argument ", "参数 "))


def _chosen_lang(argv: list[str]) -> str:
    """``--lang en`` anywhere on the line (or FISCALRULES_LANG=en): help is built in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "en" if os.environ.get("FISCALRULES_LANG", "").lower().startswith("en") else "zh"


def _build_parser(lang: str = "zh", command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the command line in *lang*.  Given the *command* a line names, only that
    command's parser is made (argparse hands the rest of the line to it alone); without one,
    every command's, listed with its help for ``fiscalrules -h``."""
    from . import __version__
    _LANG["value"] = lang
    parser = _Parser(prog="fiscalrules", description=_h("description", lang))
    parser.add_argument("--version", action="version", version=f"fiscalrules {__version__}", help=_h("version", lang))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, title=_h("command", lang))

    def lang_option(p):
        p.add_argument("--lang", choices=("zh", "en"), default="zh", help=_h("lang", lang))

    def selection(p):
        p.add_argument("--select", action="append", default=[], metavar="ID|TAG", help=_h("select", lang))
        p.add_argument("--ignore", action="append", default=[], metavar="ID|TAG", help=_h("ignore", lang))

    def output_options(p, streaming=False):
        formats = FORMATS + ("parquet",) if streaming else FORMATS
        p.add_argument("--format", choices=formats, default="table", help=_h("format", lang))
        p.add_argument("--fail-on", choices=("error", "warning", "never"), default="error", help=_h("fail_on", lang))
        lang_option(p)
        p.add_argument("--show-passes", action="store_true", help=_h("show_passes", lang))
        p.add_argument("-o", "--output", help=_h("output", lang))
        p.add_argument("--no-localise", action="store_true", help=_h("no_localise", lang))
        selection(p)

    def check(p):
        p.add_argument("rules", nargs="+", metavar="RULES", help=_h("rules", lang))
        p.add_argument("--record", "-r", action="append", required=True, metavar="FILE", help=_h("record", lang))
        p.add_argument("--engine", choices=("record", "columnar"), default="record", help=_h("engine", lang))
        p.add_argument("--statuses", type=_statuses, metavar="STATUS,…", help=_h("statuses", lang))
        output_options(p, streaming=True)

    def lint_options(p):
        p.add_argument("rules", nargs="+", metavar="RULES", help=_h("rules", lang))
        p.add_argument("--format", choices=("text", "sarif"), default="text", help=_h("format", lang))
        p.add_argument("-o", "--output", help=_h("output", lang))
        lang_option(p)

    def test(p):
        p.add_argument("rules", nargs="+", metavar="RULES", help=_h("rules", lang))
        lang_option(p)
        selection(p)

    def audit(p):
        p.add_argument("documents", nargs="+", metavar="FILE", help=_h("documents", lang))
        p.add_argument("--ruleset", action="append", metavar="NAME|FILE", help=_h("ruleset", lang))
        p.add_argument("--with-bundled", action="store_true", help=_h("with_bundled", lang))
        p.add_argument("--no-progress", action="store_true", help=_h("no_progress", lang))
        output_options(p, streaming=True)

    def extract(p):
        p.add_argument("document", metavar="FILE", help=_h("document", lang))
        p.add_argument("-o", "--output", help=_h("extract_output", lang))
        lang_option(p)

    for name, options in (("check", check), ("lint", lint_options), ("test", test), ("audit", audit),
                          ("extract", extract), ("rulesets", lang_option)):
        # A line naming its command never reaches the other commands' parsers (each is an
        # ArgumentParser, whose making asks gettext for two words: ~0.3 ms each time).
        if command is None or command == name:
            options(sub.add_parser(name, help=_h(name, lang), description=_h(name, lang)))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); returns the exit code."""
    _utf8_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    # The command is the line's first word (the command line's own options, -h and --version,
    # come before it and end the run); the other commands' options are not built.
    command = argv[0] if argv and argv[0] in _COMMANDS else None
    parser = _build_parser(_chosen_lang(argv), command)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    lang = getattr(args, "lang", "zh")
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
    preload()
    code = main()
    store()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    import atexit
    import threading
    callbacks = getattr(atexit, "_ncallbacks", None)   # CPython's count of exit handlers
    if callbacks is None or callbacks() or threading.active_count() > 1:
        sys.exit(code)
    os._exit(code)


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
    lang = getattr(args, "lang", "zh")
    select, ignore = _patterns(getattr(args, "select", [])), _patterns(getattr(args, "ignore", []))
    rulesets, failed = [], False
    for name in _expand(names, (RULE_SUFFIX,)):
        try:
            ruleset = load_ruleset(name)
        except FiscalRulesError as exc:
            _err(exc.format(lang))
            failed = True
            continue
        rulesets.append(ruleset.subset(select, ignore) if select or ignore else ruleset)
    if failed:
        raise _InputError()
    return rulesets


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


def _statuses(text: str) -> frozenset:
    """``--statuses fail,error``: the set of status names, each one the report knows."""
    from .findings import STATUSES
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(names - set(STATUSES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or text!r}: not a status "
                                         f"({', '.join(str(s) for s in STATUSES)})")
    return names


def cmd_check(args) -> int:
    try:
        rulesets = _load_rulesets(args.rules, args)
    except _InputError:
        return EXIT_INPUT
    records = _expand(args.record, (".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".parquet", ".csv"))
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
        for path in tables:  # passing rows of a table are counted by the engine, not listed
            try:
                infos, findings = table_findings(rulesets, path)
            except FiscalRulesError as exc:  # one bad table is reported; the others still run
                infos, findings = [RecordInfo(os.path.basename(path), path, [], error=exc.format())], []
            writer.write(Report(findings=findings, records=infos))
        return "+".join(r.name for r in rulesets), rulesets

    return _write_batch(args, run)


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
        for path in paths:
            if is_table_file(path):
                try:
                    stream_table(rulesets, path, sink, tally, getattr(args, "statuses", None))
                except FiscalRulesError as exc:
                    info = RecordInfo(os.path.basename(path), path, [], error=exc.format())
                    tally.errors.append(info)
                    sink.write([], [info])
    finally:
        sink.close()
    for info in tally.errors:
        _err(translate_error(info.error, args.lang))
    _err(tally.summary_line(args.lang))
    if tally.unchecked:
        _err(f"{tally.unchecked} 条记录没有核对任何规则（记录中没有规则需要的数字）" if args.lang == "zh" else
             f"{tally.unchecked} record(s) on which no rule could be checked (none of the figures the rules need)")
    return tally.exit_code(args.fail_on)


def cmd_lint(args) -> int:
    paths = _expand(args.rules, (RULE_SUFFIX,))
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
    try:
        rulesets = _load_rulesets(args.rules, args)
    except _InputError:
        return EXIT_INPUT
    total = bad = 0
    for ruleset in rulesets:
        for result in ruleset.run_examples():
            total += 1
            if not result.ok:
                bad += 1
                print(result.describe(args.lang) if result.file else f"{ruleset.name}: {result.describe(args.lang)}")
    print(f"{total - bad} passed, {bad} failed")
    return EXIT_FINDINGS if bad else EXIT_CLEAN


def cmd_audit(args) -> int:
    from .readers import read_document
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
    progress = sys.stderr.isatty() and not args.no_progress and len(documents) > 1

    def reports():
        """Each document's report (every chosen ruleset's findings, merged), or its read error."""
        for number, path in enumerate(documents, start=1):
            if progress:
                sys.stderr.write(f"\r[{number}/{len(documents)}] {os.path.basename(path)[:60]:<60}")
                sys.stderr.flush()
            try:
                # Indexed once, naming the document: a problem in what was read names this file.
                data = read_document(path)
                record = load_record(data, file=path)
                chosen = list(explicit)
                if bundled:
                    template = data.get("_meta", {}).get("template") or DEFAULT_AUDIT_RULESET
                    if template not in by_template:
                        by_template[template] = _load_rulesets([template], args)[0]
                    chosen.insert(0, by_template[template])
                merged = merge_reports([ruleset.evaluate(record) for ruleset in chosen])
            except FiscalRulesError as exc:  # one bad document is reported; the others still run
                yield Report(records=[RecordInfo(os.path.basename(path), path, [], error=exc.format())])
                continue
            for info in merged.records:  # the path as given, so reports can link and show the document
                if info.document and os.path.basename(info.document) == os.path.basename(path):
                    info.document = path
            yield merged
        if progress:
            sys.stderr.write("\r" + " " * 72 + "\r")

    from .streaming import STREAM_FORMATS
    if args.format not in STREAM_FORMATS:  # json, table, sarif, html: each document written, then dropped
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
            tally.unchecked += sum(1 for info in merged.records if merged.nothing_checked(info.id))
            sink.write(merged.findings, inputs=None if args.no_localise else merged)
    finally:
        sink.close()
    for info in tally.errors:
        _err(translate_error(info.error, args.lang))
    return tally.exit_code(args.fail_on)


def cmd_extract(args) -> int:
    import json
    from .readers import read_document
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
