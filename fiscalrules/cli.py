"""The command line: ``fiscalrules check | lint | test | audit | extract``.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors.  User errors
(bad rule files, records, documents, options) are printed as ``file:line:col: CODE: message`` with
a caret excerpt -- never as a Python traceback.  In a batch, one bad input is reported and the
others still run.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import FiscalRulesError
from .findings import SEVERITY_RANK, Report, RecordInfo, Status
from .loader import Ruleset, bundled_rulesets, lint, load_ruleset
from .reporters import FORMATS, render_csv, render_json, render_jsonl, render_table

__all__ = ["main"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
DEFAULT_AUDIT_RULESET = "budget_disclosure"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's default exits 2 already; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fiscalrules", description="Consistency rules for government budget disclosures.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def output_options(p):
        p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
        p.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                       help="exit 1 when a finding fails at this severity or above (default: error)")
        p.add_argument("--lang", choices=("zh", "en"), default="zh", help="message language (default: zh)")
        p.add_argument("--show-passes", action="store_true", help="list passing rules in the table too")
        p.add_argument("-o", "--output", help="write the report to this file instead of standard output")

    check = sub.add_parser("check", help="evaluate rule files against records (JSON, YAML, JSON Lines)")
    check.add_argument("rules", nargs="+", metavar="RULES", help="rule files or bundled ruleset names")
    check.add_argument("--record", "-r", action="append", required=True, metavar="FILE", help="record file (repeatable)")
    output_options(check)

    lint_p = sub.add_parser("lint", help="check rule files and report every problem")
    lint_p.add_argument("rules", nargs="+", metavar="RULES")
    lint_p.add_argument("--lang", choices=("zh", "en"), default="zh")

    test = sub.add_parser("test", help="run the inline examples of rule files")
    test.add_argument("rules", nargs="+", metavar="RULES")
    test.add_argument("--lang", choices=("zh", "en"), default="zh")

    audit = sub.add_parser("audit", help="read disclosure documents and report every inconsistency")
    audit.add_argument("documents", nargs="+", metavar="FILE", help="disclosure text files")
    audit.add_argument("--ruleset", action="append", metavar="NAME|FILE",
                       help=f"ruleset to apply (repeatable; default: the bundled {DEFAULT_AUDIT_RULESET})")
    audit.add_argument("--no-progress", action="store_true", help="no progress line on a terminal")
    output_options(audit)

    extract = sub.add_parser("extract", help="read a disclosure document and write its record as JSON")
    extract.add_argument("document", metavar="FILE")
    extract.add_argument("-o", "--output", help="record file to write (default: standard output)")

    sub.add_parser("rulesets", help="list the bundled rulesets")
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    try:
        return _COMMANDS[args.command](args)
    except FiscalRulesError as exc:
        _err(exc.format())
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_CLEAN


def _utf8_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _load_rulesets(names) -> list[Ruleset]:
    """Every named ruleset; all their problems are printed before giving up."""
    rulesets, failed = [], False
    for name in names:
        try:
            rulesets.append(load_ruleset(name))
        except FiscalRulesError as exc:
            _err(exc.format())
            failed = True
    if failed:
        raise _InputError()
    return rulesets


class _InputError(Exception):
    """Already reported; exit 2."""


def _emit(report: Report, args) -> None:
    renderers = {"table": lambda r: render_table(r, lang=args.lang, show_passes=args.show_passes),
                 "json": lambda r: render_json(r, lang=args.lang),
                 "jsonl": lambda r: render_jsonl(r, lang=args.lang),
                 "csv": lambda r: render_csv(r, lang=args.lang)}
    text = renderers[args.format](report)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)


def _exit_code(report: Report, fail_on: str) -> int:
    if report.errors:
        return EXIT_INPUT
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on]
    for f in report.findings:
        if f.status in (Status.FAIL, Status.ERROR) and SEVERITY_RANK.get(f.severity, 2) <= threshold:
            return EXIT_FINDINGS
    return EXIT_CLEAN


def _merge(reports: list[Report]) -> Report:
    """Findings of several rulesets over the same records, as one report."""
    merged = Report(ruleset="+".join(r.ruleset or "" for r in reports))
    merged.records = list(reports[0].records) if reports else []
    for r in reports:
        merged.findings.extend(r.findings)
    return merged


def cmd_check(args) -> int:
    try:
        rulesets = _load_rulesets(args.rules)
    except _InputError:
        return EXIT_INPUT
    report = _merge([ruleset.evaluate_many(args.record) for ruleset in rulesets])
    for info in report.errors:
        _err(info.error)
    _emit(report, args)
    return _exit_code(report, args.fail_on)


def cmd_lint(args) -> int:
    diagnostics = lint(args.rules)
    for d in diagnostics:
        print(d.format(lang=args.lang if args.lang == "zh" else None))
    if diagnostics:
        print(f"{len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}" if args.lang == "en"
              else f"共 {len(diagnostics)} 个问题")
        return EXIT_INPUT
    print("ok" if args.lang == "en" else "没有问题")
    return EXIT_CLEAN


def cmd_test(args) -> int:
    try:
        rulesets = _load_rulesets(args.rules)
    except _InputError:
        return EXIT_INPUT
    total = bad = 0
    for ruleset in rulesets:
        for result in ruleset.run_examples():
            total += 1
            if not result.ok:
                bad += 1
                where = f"{result.file}:{result.line}" if result.file else ruleset.name
                got = ", ".join(result.statuses) or "nothing"
                print(f"{where}: rule {result.rule} example {result.index} should {result.expect}, got {got}"
                      + (f": {result.detail}" if result.detail else ""))
    print(f"{total - bad} passed, {bad} failed")
    return EXIT_FINDINGS if bad else EXIT_CLEAN


def cmd_audit(args) -> int:
    from .readers import read_disclosure
    try:
        rulesets = _load_rulesets(args.ruleset or [DEFAULT_AUDIT_RULESET])
    except _InputError:
        return EXIT_INPUT
    progress = sys.stderr.isatty() and not args.no_progress and len(args.documents) > 1
    combined = Report(ruleset="+".join(r.name for r in rulesets))
    for number, path in enumerate(args.documents, start=1):
        if progress:
            sys.stderr.write(f"\r[{number}/{len(args.documents)}] {os.path.basename(path)[:60]:<60}")
            sys.stderr.flush()
        try:
            data = read_disclosure(path)
            reports = [ruleset.evaluate(data) for ruleset in rulesets]
        except FiscalRulesError as exc:  # one bad document is reported; the others still run
            combined.records.append(RecordInfo(os.path.basename(path), path, [], error=exc.format()))
            continue
        merged = _merge(reports)
        combined.records.extend(merged.records)
        combined.findings.extend(merged.findings)
    if progress:
        sys.stderr.write("\r" + " " * 72 + "\r")
    for info in combined.errors:
        _err(info.error)
    _emit(combined, args)
    return _exit_code(combined, args.fail_on)


def cmd_extract(args) -> int:
    import json
    from .readers import read_disclosure
    data = read_disclosure(args.document)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
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
