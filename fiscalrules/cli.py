"""The command line: ``fiscalrules check | lint | test | audit | extract | rulesets``.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors.  User errors
(bad rule files, records, documents, options) are printed as ``file:line:col: CODE: message`` with
a caret excerpt -- never as a Python traceback.  In a batch, one bad input is reported and the
others still run.  Messages and help are in Chinese; ``--lang en`` (or FISCALRULES_LANG=en) gives
English.  A run in which no rule could be checked is never reported clean: it exits 2.

This module runs a command line (:func:`main`; :func:`run`, the ``fiscalrules`` command, also
sets the process's collector for its start) and holds the small commands and the loading of
rulesets; the two that run batches are modules of their own, imported by the command that runs
them -- ``audit`` (:mod:`.cli_audit`) and ``check`` (:mod:`.cli_check`) -- and what the commands
share (inputs named, output written, a batch's errors) is :mod:`.cli_output`; the options
are :mod:`.cli_arguments`'.
"""

from __future__ import annotations

import gc
import os
import sys

from .cli_arguments import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, build_parser, chosen_lang, plain_audit_arguments
from .cli_output import DOCUMENT_SUFFIXES, InputError, OutputError, err, expand, output_is_an_input, write_text
from .errors import Diagnostic, FiscalRulesError, terminal_text
from .loader import RULE_SUFFIX, Ruleset, bundled_rulesets, lint, load_bundled_ruleset, load_ruleset
from .translations import translate, translate_error

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["main", "run"]


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
        err(exc.format(lang))
        return EXIT_INPUT
    except KeyboardInterrupt:
        err("已中断" if lang == "zh" else "interrupted")
        return EXIT_INPUT
    except OutputError as exc:
        err(f"fiscalrules: {translate(str(exc), getattr(args, 'lang', 'zh'))}")
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
        err(f"fiscalrules: {translate(message, getattr(args, 'lang', 'zh'))}")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 -- a defect of fiscalrules, never of the input
        from .records import missing_extra
        extra = missing_extra(exc)
        if extra is not None:   # an optional extra not installed (--engine columnar, --format html …)
            err(f"fiscalrules: E703: {translate(extra, lang)}")
            return EXIT_INPUT
        # Exit 1 would read as "findings found" and a traceback as a crash of the user's making:
        # say it is ours, name the exception, and keep the traceback for FISCALRULES_DEBUG=1.
        if os.environ.get("FISCALRULES_DEBUG"):
            raise
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        err(f"fiscalrules: 内部错误（fiscalrules 的缺陷，不是输入的问题，请报告）：{detail}；"
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


def _patterns(values) -> list[str]:
    return [p.strip() for value in values for p in value.split(",") if p.strip()]


def _load_rulesets(names, args=None, bundled: bool = False, matched: set | None = None) -> list[Ruleset]:
    """Every named ruleset (less the rules --select/--ignore leave out); all their problems are
    printed before giving up.  *bundled*: names the user never typed (audit's default ruleset, a
    template's), loaded as the bundled rulesets of those names whatever files the working
    directory holds; a name the user gave may be a file or folder there (docs/cli.md).
    *matched* collects the --select/--ignore patterns that match a rule (:func:`refuse_selection`)."""
    rulesets, failed = _load_each(names, args, bundled, matched)
    if failed:
        raise InputError()
    return rulesets


def _selection(args) -> tuple[list[str], list[str]]:
    """The patterns of --select and of --ignore, each option's comma-separated values apart."""
    return _patterns(getattr(args, "select", [])), _patterns(getattr(args, "ignore", []))


def refuse_selection(args, rulesets: list[Ruleset], matched: set) -> bool:
    """True, said on stderr, when --select / --ignore name a rule id, pattern or tag that no rule
    of the rulesets matches (a typo would otherwise check nothing, or everything, silently), or
    leave no rule to check."""
    select, ignore = _selection(args)
    unmatched = [f"--{option} {p}" for option, patterns in (("select", select), ("ignore", ignore))
                 for p in patterns if p not in matched]
    if unmatched:
        err(f"{'、'.join(unmatched)}：规则文件中没有与之匹配的规则 ID、模式或标签" if args.lang == "zh" else
            f"{', '.join(unmatched)}: no rule id, pattern or tag of the rule files matches")
        return True
    if (select or ignore) and not any(ruleset.rules for ruleset in rulesets):
        # (said as such: otherwise every record "holds none of the figures the rules need")
        given = " ".join([f"--select {','.join(select)}"] * bool(select) + [f"--ignore {','.join(ignore)}"] * bool(ignore))
        err(f"{given} 没有留下任何规则：规则文件中没有与之匹配的规则 ID、模式或标签" if args.lang == "zh" else
            f"{given} leaves no rule to check: no rule id, pattern or tag of the rule files matches")
        return True
    return False


def _load_each(names, args=None, bundled: bool = False, matched: set | None = None) -> tuple[list[Ruleset], int]:
    """(the rulesets of *names* that load, the number that do not: each one's problems printed)."""
    lang = getattr(args, "lang", "zh")
    select, ignore = _selection(args)
    rulesets, failed = [], 0
    empty: list[FiscalRulesError] = []   # (a folder without rule files: reported as one that does not load)
    try:
        files = names if bundled else expand(names, (RULE_SUFFIX,), empty)
        for error in empty:
            err(error.format(lang))
        for name in files:
            try:
                ruleset = load_bundled_ruleset(name) if bundled else load_ruleset(name)
            except FiscalRulesError as exc:
                err(exc.format(lang))
                failed += 1
                continue
            if select or ignore:
                if matched is not None:
                    matched |= ruleset.matching(select + ignore)
                ruleset = ruleset.subset(select, ignore)
            rulesets.append(ruleset)
    finally:
        _after_the_start()
    return rulesets, failed + len(empty)


def cmd_lint(args) -> int:
    empty: list[FiscalRulesError] = []
    paths = expand(args.rules, (RULE_SUFFIX,), empty)
    if output_is_an_input(args, paths + _included_files(args, paths)):
        return EXIT_INPUT
    # A folder without rule files is one problem among the others, as a missing file is.
    diagnostics = [Diagnostic(error.code, error.message, error.location) for error in empty] + lint(paths)
    if args.format == "sarif":
        from .report_sarif import render_lint_sarif
        write_text(render_lint_sarif(diagnostics, paths, lang=args.lang), args.output)
        return EXIT_INPUT if diagnostics else EXIT_CLEAN
    lines = [terminal_text(d.format(lang=args.lang)) for d in diagnostics]
    if diagnostics:
        lines.append(f"{len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}" if args.lang == "en"
                     else f"共 {len(diagnostics)} 个问题")
    else:
        lines.append("ok" if args.lang == "en" else "没有问题")
    write_text("\n".join(lines) + "\n", args.output)
    return EXIT_INPUT if diagnostics else EXIT_CLEAN


def _included_files(args, paths) -> list[str]:
    """The files the rule files *paths* include, when ``-o`` names a file that might be one of
    them (they are read again for it: lint's diagnostics do not say which files were read)."""
    output = getattr(args, "output", None)
    if not output or not os.path.isfile(output):
        return []
    from .loader import _collect
    files: list[str] = []
    for path in paths:
        try:
            files += [f.file for f in _collect(path, False, recover=True).files if f.file]
        except FiscalRulesError:   # (a file that cannot be read: lint reports it)
            continue
    return files


def cmd_test(args) -> int:
    # Each rule file on its own: one that does not load is reported, the others' examples still run.
    matched: set = set()
    rulesets, unreadable = _load_each(args.rules, args, matched=matched)
    if rulesets and refuse_selection(args, rulesets, matched):
        return EXIT_INPUT
    total = bad = 0
    for ruleset in rulesets:
        for result in ruleset.run_examples():
            total += 1
            if not result.ok:
                bad += 1
                print(terminal_text(result.describe(args.lang) if result.file
                                    else f"{ruleset.name}: {result.describe(args.lang)}"))
    if args.lang == "en":
        print(f"{total - bad} passed, {bad} failed" +
              (f", {unreadable} rule file{'s' if unreadable != 1 else ''} could not be read" if unreadable else ""))
    else:
        print(f"示例 {total}：通过 {total - bad}，不通过 {bad}" + (f"，{unreadable} 个规则文件无法读取" if unreadable else ""))
    return EXIT_INPUT if unreadable else EXIT_FINDINGS if bad else EXIT_CLEAN


def cmd_extract(args) -> int:
    import json
    from .readers import read_documents, read_files, read_together
    documents = args.document if isinstance(args.document, list) else [args.document]
    if len(documents) > 1 and not args.together:
        err("fiscalrules: " + translate("extract reads one file: give --together to read several as the parts of "
                                        "one disclosure", getattr(args, "lang", "zh")))
        return EXIT_INPUT
    if output_is_an_input(args, documents):
        return EXIT_INPUT
    failed: list = []
    if args.together:   # the files (a folder's in name order) as the parts of one disclosure: its one record
        data = read_together(expand(documents, DOCUMENT_SUFFIXES))
    else:   # a file holding several disclosures: a list of their records (which `check` reads as such)
        found = expand(documents, DOCUMENT_SUFFIXES, failed) if os.path.isfile(documents[0]) else documents
        records = []
        if found != documents[:1]:
            # a zip archive: the records of every document in it, read as audit reads them (the
            # two halves of one disclosure joined), one that cannot be read said and the others
            # written -- a bundle of a county's departments
            for read in read_files(found, join_parts=len(found) > 1):
                if read.ok:
                    records.append(read.data)
                else:
                    failed.append(read.error)
        else:
            records = read_documents(found[0])
        data = records[0] if len(records) == 1 else records
    write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    for exc in failed:
        err(translate_error(exc.format(), getattr(args, "lang", "zh")))
    return EXIT_INPUT if failed else EXIT_CLEAN


def cmd_rulesets(args) -> int:
    """Each bundled ruleset: name, number of rules, title (in --lang), file.  Given rulesets
    (bundled names or rule files): each one's rules -- id, severity, tags, title -- and its tags
    with how many rules each has, what ``--select``/``--ignore`` take."""
    if getattr(args, "names", None):
        return _list_rules(args)
    for name, path in bundled_rulesets().items():
        try:
            ruleset = load_ruleset(str(path))
        except FiscalRulesError as exc:  # a broken bundled file is reported, the others still listed
            print(f"{name}\t-\t{exc}\t{path}")
            continue
        title = (ruleset.title_en or ruleset.title) if getattr(args, "lang", "zh") == "en" else ruleset.title
        print(f"{name}\t{len(ruleset.rules)}\t{title or ''}\t{path}")
    return EXIT_CLEAN


def _list_rules(args) -> int:
    """``rulesets NAME|FILE …``: each ruleset's rules and tags, or with ``--fields`` its fields."""
    lang = getattr(args, "lang", "zh")
    rulesets, failed = _load_each(args.names, args)
    for ruleset in rulesets:
        (_print_fields if getattr(args, "fields", False) else _print_rules)(ruleset, lang)
    return EXIT_INPUT if failed else EXIT_CLEAN


def _print_rules(ruleset, lang: str) -> None:
    """*ruleset*'s rules -- id, severity, tags, title -- then its tags, the most used first."""
    from collections import Counter

    from .messages import severity_word, word
    from .reporters import tabulate
    english = lang == "en"
    title = (ruleset.title_en or ruleset.title) if english else ruleset.title
    count = f"{len(ruleset.rules)} rules" if english else f"{len(ruleset.rules)} 条规则"
    print(terminal_text(f"== {ruleset.name}" + (f" ({title})" if title else "") + f": {count}"))
    rows = [[rule.id, severity_word(rule.severity, lang), ", ".join(rule.tags),
             (rule.title_en or rule.title or "") if english else (rule.title or "")] for rule in ruleset.rules]
    print(tabulate(rows, headers=[word("rule", lang), word("severity", lang), word("tags", lang),
                                  word("message", lang)], tablefmt="simple", one_line=True))
    tags = Counter(tag for rule in ruleset.rules for tag in rule.tags)
    if tags:
        listed = (", " if english else "，").join(f"{tag} {n}" for tag, n in
                                                 sorted(tags.items(), key=lambda item: (-item[1], item[0])))
        print(terminal_text(f"{word('tags', lang)}{': ' if english else '：'}{listed}"))
    print()


def _print_fields(ruleset, lang: str) -> None:
    """Each field *ruleset* declares -- path, labels, kind and unit -- and each table's columns
    (``path.column``) likewise: the names a rule over its records may use, in declaration order."""
    from .messages import word
    from .reporters import tabulate
    rows = []
    for path, decl in ruleset.fields.items():
        rows.append([path, "、".join(decl.labels), decl.kind + (f" {decl.unit}" if decl.unit else "")])
        for column in decl.columns:
            rows.append([f"{path}.{column.name}", "、".join(column.labels),
                         column.kind + (f" {column.unit}" if column.unit else "")])
    count = f"{len(ruleset.fields)} fields" if lang == "en" else f"{len(ruleset.fields)} 个字段"
    print(terminal_text(f"== {ruleset.name}: {count}"))
    print(tabulate(rows, headers=[word("path", lang), word("labels", lang), word("kind", lang)],
                   tablefmt="simple", one_line=True))
    print()


def cmd_check(args) -> int:
    """``check``: :mod:`.cli_check` (imported by the commands that run it: an audit does not)."""
    from .cli_check import cmd_check as check
    return check(args)


def cmd_audit(args) -> int:
    """``audit``: :mod:`.cli_audit`."""
    from .cli_audit import cmd_audit as audit
    return audit(args)


_COMMANDS = {"check": cmd_check, "lint": cmd_lint, "test": cmd_test, "audit": cmd_audit,
             "extract": cmd_extract, "rulesets": cmd_rulesets}
