"""The command line's arguments: every subcommand's options, their help in Chinese and English, and
argparse's own words translated.  cli.py owns what the commands do; this module owns what they
accept, so ``fiscalrules -h`` and a mistyped option are answered without loading any rule.

The commonest line, ``fiscalrules audit [--no-progress …] FILE…`` (flags without values, then
files), is read without argparse (:func:`plain_audit_arguments`): importing argparse (with
gettext) and building the audit parser cost ~13 M instructions, some 4 ms of every such start.
Every other line goes through the parser; tests/test_cli_arguments.py holds the two to the same
answer.
"""

from __future__ import annotations

import os
import sys

from .reporters import FORMATS

# The CLI's exit codes: clean, findings at or above --fail-on, usage or input errors (argparse's own 2).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

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
    "check": ("用规则文件核对记录（JSON、YAML、JSON Lines；Parquet、CSV 表格）",
              "evaluate rule files against records (JSON, YAML, JSON Lines; Parquet and CSV tables)"),
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
    "jobs": ("用多少个进程核对表格文件（Parquet、CSV）的记录块；0 表示每个 CPU 一个",
             "processes evaluating the chunks of table files (Parquet, CSV) on the columnar engine; "
             "0: one per CPU"),
    "lint": ("检查规则文件并报告所有问题", "check rule files and report every problem"),
    "test": ("运行规则文件中的示例", "run the inline examples of rule files"),
    "audit": ("读取预算公开文件并报告所有不一致", "read disclosure documents and report every inconsistency"),
    "documents": ("公开文件（PDF、文本、网页、Word 或 Excel 文件）、文件夹或 zip 压缩包",
                  "disclosure documents (PDF, text, web page, Word or Excel file), folders or zip archives"),
    "ruleset": ("要使用的规则集（可重复；默认：内置的 budget_disclosure）",
                "ruleset to apply (repeatable; default: the bundled budget_disclosure)"),
    "together": ("给出的文件是同一份公开文件的几个部分（如说明和表格分开发布），合起来读成一条记录；"
                 "每个给出的文件夹或 zip 压缩包中的文件也合成一条记录",
                 "the files given are the parts of one disclosure (its narrative and its tables published apart), "
                 "read as one record; so are the files of each folder or zip archive given"),
    "with_bundled": ("在内置规则集之外再加上 --ruleset 给出的规则集，而不是替换它",
                     "add the --ruleset rulesets to the bundled one instead of replacing it"),
    "no_progress": ("终端上不显示进度", "no progress line on a terminal"),
    "extract": ("读取公开文件，把记录写成 JSON", "read a disclosure document and write its record as JSON"),
    "document": ("公开文件（zip 压缩包：其中每份文件的记录）", "disclosure document (a zip archive: the record of each document in it)"),
    "extract_output": ("要写入的记录文件（默认：标准输出）", "record file to write (default: standard output)"),
    "rulesets": ("列出内置规则集；给出规则集时列出其规则及标签", "list the bundled rulesets; given rulesets, list their rules and tags"),
    "rulesets_fields": ("列出给出规则集的字段（路径、标签、类型），而不是规则：规则中可用的名称",
                        "list the given rulesets' fields (path, labels, kind) instead of their rules: the names rules may use"),
    "rulesets_names": ("要列出规则的规则集（内置规则集名称或规则文件）", "rulesets whose rules to list (bundled names or rule files)"),
    "command": ("子命令", "command"),
}


# The audit command's options and their defaults (dest: default), in the order the audit parser adds
# them: build_parser() gives each option its default from here (the output, language and selection
# options check and test share with audit too), and plain_audit_arguments() starts from it, so the
# two cannot drift apart (tests/test_cli_arguments.py compares their readings).  A list is copied
# wherever it is handed out: argparse puts an option's default itself into the Namespace.
_AUDIT_DEFAULTS: dict[str, object] = {
    "ruleset": None, "with_bundled": False, "no_progress": False, "together": False, "format": "table",
    "fail_on": "error", "lang": "zh", "show_passes": False, "output": None, "no_localise": False, "select": [],
    "ignore": [],
}


def _default(dest: str) -> object:
    """The audit's default for *dest*, a fresh copy when it is a list."""
    value = _AUDIT_DEFAULTS[dest]
    return list(value) if isinstance(value, list) else value


def _h(key: str, lang: str) -> str:
    zh, en = _HELP[key]
    return en if lang == "en" else zh


_LANG = {"value": "zh"}  # the language the parsers being built speak (argparse builds subparsers itself)


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


_CLASSES: list = []   # (_Formatter, _Parser), made with argparse's import on the first parser built


def _parser_classes():
    """(the help formatter, the parser class), argparse imported on the first call."""
    if _CLASSES:
        return _CLASSES
    import argparse

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

    _CLASSES.extend((_Formatter, _Parser))
    return _CLASSES


_ARGPARSE_ZH = (("the following arguments are required:", "缺少必需的参数："),
                ("unrecognized arguments:", "无法识别的参数："), ("invalid choice:", "无效的选项："),
                ("choose from", "可选"), ("expected one argument", "需要一个值"),
                ("argument ", "参数 "))


def chosen_lang(argv: list[str]) -> str:
    """``--lang en`` anywhere on the line (or FISCALRULES_LANG=en): help is built in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "en" if os.environ.get("FISCALRULES_LANG", "").lower().startswith("en") else "zh"


def build_parser(lang: str = "zh", command: str | None = None):
    """The parser of the command line in *lang*.  Given the *command* a line names, only that
    command's parser is made (argparse hands the rest of the line to it alone); without one,
    every command's, listed with its help for ``fiscalrules -h``."""
    from . import __version__
    _LANG["value"] = lang
    _Formatter, _Parser = _parser_classes()
    parser = _Parser(prog="fiscalrules", description=_h("description", lang))
    parser.add_argument("--version", action="version", version=f"fiscalrules {__version__}", help=_h("version", lang))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, title=_h("command", lang))

    def lang_option(p):
        p.add_argument("--lang", choices=("zh", "en"), default=_default("lang"), help=_h("lang", lang))

    def selection(p):
        p.add_argument("--select", action="append", default=_default("select"), metavar="ID|TAG", help=_h("select", lang))
        p.add_argument("--ignore", action="append", default=_default("ignore"), metavar="ID|TAG", help=_h("ignore", lang))

    def output_options(p, streaming=False):
        formats = FORMATS + ("parquet",) if streaming else FORMATS
        p.add_argument("--format", choices=formats, default=_default("format"), help=_h("format", lang))
        p.add_argument("--fail-on", choices=("error", "warning", "never"), default=_default("fail_on"), help=_h("fail_on", lang))
        lang_option(p)
        p.add_argument("--show-passes", action="store_true", default=_default("show_passes"), help=_h("show_passes", lang))
        p.add_argument("-o", "--output", default=_default("output"), help=_h("output", lang))
        p.add_argument("--no-localise", action="store_true", default=_default("no_localise"), help=_h("no_localise", lang))
        selection(p)

    def check(p):
        p.add_argument("rules", nargs="+", metavar="RULES", help=_h("rules", lang))
        p.add_argument("--record", "-r", action="append", required=True, metavar="FILE", help=_h("record", lang))
        p.add_argument("--engine", choices=("record", "columnar"), default="record", help=_h("engine", lang))
        p.add_argument("--statuses", type=_statuses, metavar="STATUS,…", help=_h("statuses", lang))
        p.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N", help=_h("jobs", lang))
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
        p.add_argument("--ruleset", action="append", default=_default("ruleset"), metavar="NAME|FILE", help=_h("ruleset", lang))
        p.add_argument("--with-bundled", action="store_true", default=_default("with_bundled"), help=_h("with_bundled", lang))
        p.add_argument("--no-progress", action="store_true", default=_default("no_progress"), help=_h("no_progress", lang))
        p.add_argument("--together", action="store_true", default=_default("together"), help=_h("together", lang))
        output_options(p, streaming=True)

    def extract(p):
        p.add_argument("document", nargs="+", metavar="FILE", help=_h("document", lang))
        p.add_argument("--together", action="store_true", help=_h("together", lang))
        p.add_argument("-o", "--output", help=_h("extract_output", lang))
        lang_option(p)

    def rulesets(p):
        p.add_argument("names", nargs="*", metavar="NAME|FILE", help=_h("rulesets_names", lang))
        p.add_argument("--fields", action="store_true", help=_h("rulesets_fields", lang))
        lang_option(p)

    for name, options in (("check", check), ("lint", lint_options), ("test", test), ("audit", audit),
                          ("extract", extract), ("rulesets", rulesets)):
        # A line naming its command never reaches the other commands' parsers (each is an
        # ArgumentParser, whose making asks gettext for two words: ~0.3 ms each time).
        if command is None or command == name:
            options(sub.add_parser(name, help=_h(name, lang), description=_h(name, lang)))
    return parser


def _jobs(text: str) -> int:
    """``--jobs N``: a number of processes, 0 for one per CPU."""
    if not text.strip().isdigit():
        from argparse import ArgumentTypeError
        raise ArgumentTypeError(f"{text!r}: not a number of processes (0: one per CPU)")
    return int(text)


def _statuses(text: str) -> frozenset:
    """``--statuses fail,error``: the set of status names, each one the report knows."""
    from .findings import STATUSES
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(names - set(STATUSES))
    if unknown or not names:
        from argparse import ArgumentTypeError
        raise ArgumentTypeError(f"{', '.join(unknown) or text!r}: not a status "
                                f"({', '.join(str(s) for s in STATUSES)})")
    return names


# The audit's flags without a value (option: dest); their defaults are in _AUDIT_DEFAULTS.
_AUDIT_FLAGS = {"--no-progress": "no_progress", "--show-passes": "show_passes", "--no-localise": "no_localise",
                "--with-bundled": "with_bundled", "--together": "together"}


def plain_audit_arguments(argv: list[str]):
    """The parsed arguments of ``audit [FLAG…] FILE…`` -- *argv* holding, after the command, only
    flags of :data:`_AUDIT_FLAGS` and then files, none empty or starting with "-" -- as argparse
    gives them, without building the parser; None for any other line (the parser then reads it)."""
    if len(argv) < 2 or argv[0] != "audit":
        return None
    values = {"command": "audit", "documents": None, **{dest: _default(dest) for dest in _AUDIT_DEFAULTS}}
    position = 1
    while position < len(argv) and argv[position] in _AUDIT_FLAGS:
        values[_AUDIT_FLAGS[argv[position]]] = True
        position += 1
    documents = argv[position:]
    if not documents or any(not arg or arg.startswith("-") for arg in documents):
        return None
    values["documents"] = list(documents)
    return Arguments(**values)


class Arguments:
    """Parsed arguments, as ``argparse.Namespace`` holds them (attributes, equality, repr)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)

    def __eq__(self, other):
        return vars(self) == vars(other) if hasattr(other, "__dict__") else NotImplemented

    def __repr__(self) -> str:
        return f"Namespace({', '.join(f'{k}={v!r}' for k, v in sorted(vars(self).items()))})"
