"""What the commands share: the files named on the command line, the output, and a batch's errors.

A command reads inputs named on its line (:func:`.inputs.listing.expand`: a folder stands for its files) and
writes one output (standard output or ``-o``), never over one of its inputs
(:func:`output_is_an_input`).  A batch is written through a writer of ``--format`` that keeps
counts, not reports (:func:`write_batch`; :mod:`.report_stream`), or streamed record by record
(:func:`open_stream`; :mod:`.streaming`); one input that fails is reported as its error
(:func:`input_error`, :func:`table_error`) and the others still run.  :mod:`.cli` runs the
commands; :mod:`.cli_audit` and :mod:`.cli_check` are two of them.
"""

from __future__ import annotations

import contextlib
import os
import sys

from .cli_arguments import EXIT_INPUT
from .errors import FiscalRulesError, Location, terminal_text
from .findings import RecordInfo
# (what a folder or archive given stands for: the library's listing, shared with fiscalrules.readers.read_all)
from .inputs.listing import DOCUMENT_SUFFIXES, expand
from .translations import translate, translate_error

__all__ = ["err", "expand", "DOCUMENT_SUFFIXES", "InputError", "OutputError", "write_batch", "write_text", "open_stream",
           "input_error", "table_error", "output_is_an_input", "input_names", "rule_files_read",
           "stream_batch", "terminate_as_interrupt", "printable"]


def err(text: str) -> None:
    """A message for the user, on standard error: control characters from the input (a record
    id, a file name) shown as escapes, never acted on by the terminal."""
    print(terminal_text(text), file=sys.stderr)


def empty_folders(errors: list) -> list[RecordInfo]:
    """The folders of *errors* (expand's E500s: a folder given holding no input) as read errors
    of the run, named by the folder as given: reported with the other inputs, which still run."""
    return [RecordInfo(printable(error.file), printable(error.file), [], error=printable(error.format()))
            for error in errors]


class InputError(Exception):
    """Already reported; exit 2."""


class OutputError(Exception):
    """The output could not be written; exit 2 with this message."""


def write_batch(args, run) -> int:
    """Run a batch through a writer of ``--format`` (json, table, sarif, html): *run(writer)*
    hands it each record's report and returns (the ruleset name, the rulesets run); the writer
    keeps counts, not reports (see fiscalrules.report_stream).  Returns the exit code."""
    from .report_stream import LazyOutput, OutputTooLarge, open_writer
    handle = LazyOutput(args.output) if args.output else sys.stdout
    writer = open_writer(args.format, handle, args.lang, localise=not getattr(args, "no_localise", False),
                         show_passes=args.show_passes)
    try:
        name, rulesets = run(_PrintableWriter(writer))
        writer.close(name, rulesets)
        handle.close() if args.output else handle.flush()
    except BrokenPipeError:
        writer.discard()
        raise
    except OutputTooLarge as exc:  # nothing written: the format cannot hold the batch
        writer.discard()
        if args.output:
            handle.remove()
        err(f"fiscalrules: {exc.text(args.lang)}")
        return EXIT_INPUT
    except BaseException:
        writer.discard()
        if args.output:
            handle.remove()  # no truncated report is mistaken for a whole one
        raise
    totals = writer.totals
    for info in totals.errors:
        err(translate_error(info.error, args.lang))
    if totals.records and not totals.errors and totals.nothing_checked():
        err("没有任何规则能够核对：记录中没有规则需要的数字（请检查记录的键是否为字段路径）" if args.lang == "zh" else
             "no rule could be checked: the records hold none of the figures the rules need "
             "(are their keys field paths?)")
    return totals.exit_code(args.fail_on)


def printable(text: str | None) -> str | None:
    """*text* that can be written as UTF-8: a file name that is not UTF-8 (os.walk gives its bytes
    as surrogate escapes, ``b\udcff.txt``) with each such byte as ``\xff``.  Without this one
    such name in a batch made writing the whole report fail (review 18 B18-3)."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:   # (a lone surrogate that is no escaped byte)
            return text.encode("utf-8", "backslashreplace").decode("utf-8")


def printable_report(report):
    """*report* (a record's or a few) with its records' names, documents and errors
    :func:`printable`, in place."""
    for finding in report.findings:
        finding.record = printable(finding.record)
    for info in report.records:
        info.id, info.document, info.error = printable(info.id), printable(info.document), printable(info.error)
    return report


class _PrintableWriter:
    """A batch's writer handed reports made :func:`printable` first."""

    def __init__(self, writer) -> None:
        self.writer = writer

    def write(self, chunk) -> None:
        self.writer.write(printable_report(chunk))


def write_text(text: str, path: str | None) -> None:
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
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
        return
    created = False
    try:
        regular = not os.path.exists(path) or os.path.isfile(path)
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            created = regular
            handle.write(text)
    except OSError as exc:
        if created:
            try:
                os.remove(path)
            except OSError:
                pass
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def input_error(exc: Exception, path: str) -> FiscalRulesError:
    """The error of one input of a batch (:func:`.records.input_error`, imported when one fails)."""
    from .records import input_error as error_of
    return error_of(exc, path)


def table_error(path: str, exc: FiscalRulesError, name: str | None = None) -> RecordInfo:
    """A table file that could not be evaluated, as its read error: named by the file (*name*, its
    name in the batch, or its base name), also when the error has no place of its own (a worker
    process that died: E701)."""
    if exc.location.file in (None, "DataFrame"):   # (the frame readers' place: here the frame is the file)
        exc.location = Location(path)
    return RecordInfo(name or os.path.basename(path), path, [], error=exc.format())


def input_names(given, paths: list[str], short) -> list[str]:
    """Names for the inputs *paths* of one run, all different, so that no two inputs' findings
    are taken for one record's: each input is named by ``short(path)`` (a document's stem, a
    table file's base name) unless another input has that name too; then by its path within
    the folder *given* on the command line that holds it (or as given: a file named); then by
    its path as found (two folders' a.txt); and a file given twice as ``a.txt``, ``a.txt#2``.
    Of inputs sharing a name only the shorter-named go on to the next form: a.txt, a.pdf and
    a.txt.txt of one folder are ``a.txt``, ``a.pdf``, ``a.txt.txt``."""
    from collections import Counter
    folders = [os.path.join(str(folder), "") for folder in given if os.path.isdir(folder)]

    def within(path: str) -> str:
        folder = next((f for f in folders if path.startswith(f)), None)
        return path[len(folder):] if folder else path

    forms = [short, within, str]
    level = [0] * len(paths)
    names = [short(path) for path in paths]
    while True:
        groups: dict[str, list[int]] = {}
        for number, name in enumerate(names):
            groups.setdefault(name, []).append(number)
        promoted = False
        for numbers in groups.values():
            lowest = min(level[n] for n in numbers)
            if len(numbers) > 1 and lowest < len(forms) - 1:
                for n in numbers:
                    if level[n] == lowest:
                        level[n] += 1
                        names[n] = forms[level[n]](paths[n])
                        promoted = True
        if not promoted:
            break
    used, seen, out = set(names), Counter[str](), []
    for name in names:   # one path given twice: a#2 (as check names records), never another's name
        seen[name] += 1
        if seen[name] > 1:
            while f"{name}#{seen[name]}" in used:
                seen[name] += 1
            name = f"{name}#{seen[name]}"
            used.add(name)
        out.append(name)
    return out


@contextlib.contextmanager
def terminate_as_interrupt():
    """SIGTERM (a timeout, a CI job cancelled) taken as Ctrl-C while ``check`` or ``audit`` runs:
    the run's ``finally`` blocks then stop its worker processes and remove a half-written output
    file, and it exits 2, "interrupted" -- killed by the default action, none of that would
    happen.  Outside the main thread (whose handlers they are) nothing is changed."""
    # _signal, the C module signal.py wraps: importing signal.py makes three IntEnum classes of
    # the signals and handlers (~2.8 M instructions of an audit's start) for the values that are
    # plain integers here (the previous handler is set back as it was handed out).
    import _signal as signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:   # (not threading.main_thread(): importing threading is ~4 M instructions of an audit's start)
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:   # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def stream_batch(args, fill):
    """A streamed run (``--format jsonl|csv|parquet``): *fill(sink, tally)* writes the batch's
    findings into a :class:`.streaming.Sink`, counting them in its Tally, which is returned (None
    when the output cannot be opened: reported).  Interrupted (Ctrl-C, SIGTERM) or failed, the
    output is closed and a half-written ``-o`` file removed: no truncated report is mistaken for a
    whole one (a device, /dev/null, is never removed)."""
    removable = bool(args.output) and (not os.path.exists(args.output) or os.path.isfile(args.output))
    opened = open_stream(args)
    if opened is None:
        return None
    sink, tally = opened
    try:
        fill(sink, tally)
    except BaseException:
        try:
            with contextlib.suppress(Exception):
                sink.close()
        finally:   # (a second Ctrl-C / SIGTERM while closing: the half-written file goes all the same)
            if removable:
                with contextlib.suppress(OSError):
                    os.remove(args.output)
        raise
    sink.close()
    return tally


def open_stream(args):
    """(sink, tally) for a streamed run, or None when the output cannot be opened (reported)."""
    from .streaming import Tally, open_sink
    from .translations import translate
    if args.format == "parquet" and not args.output:   # (a binary file is never written to the terminal)
        err(translate("--format parquet needs -o FILE", args.lang))
        return None
    try:
        return open_sink(args.format, args.output, args.lang, sys.stdout, getattr(args, "statuses", None)), Tally()
    except OSError as exc:
        err(translate(f"{args.output}: cannot write: {exc.strerror or exc}", args.lang))
        return None


def rule_files_read(rulesets) -> list[str]:
    """The rule files *rulesets* were loaded from, the files they include too: inputs of the run
    that ``-o`` must not name (a team's shared field declarations are such an included file)."""
    return [file for ruleset in rulesets for file in ruleset.checked.files if file]


def output_is_an_input(args, inputs) -> bool:
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
            err(f"fiscalrules: {translate(f'the output {output} is also an input: writing it would destroy it', getattr(args, 'lang', 'zh'))}")
            return True
    return False
