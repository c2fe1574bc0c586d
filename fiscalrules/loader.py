"""Rulesets: loading rule files (with their includes) and bundled rulesets, and running them.

:func:`compile_rules` and :func:`load_ruleset` parse, resolve includes, check and compile, and
return a :class:`Ruleset`.  Includes are read relative to the including file and may not leave
its folder unless the caller passes ``allow_outside=True``; a cycle is a check error (E208), a
missing file E211.  Bundled rulesets live in ``fiscalrules.rulesets`` (the repository's
``rulesets/`` folder) and are named by file stem.
"""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Iterable, Mapping

from . import ast
from .checked import CheckedRuleset, declares
from .errors import Diagnostic, FiscalRulesError, Location, RecordError, RuleCheckError, RuleSyntaxError, RulesetNotFound
from .evaluator import CompiledRule, Context, Settings, run_rules
from .findings import Report, RecordInfo
from .examples import ExampleResult, example_holds, example_record
from .inputs.bounded import MAX_RULE_FILE_BYTES, InputRefused, read_bounded
from .records import Record, iter_records, load_record
from .replay import new_evaluation
from .values import in_library_context, library_context

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any
    from pathlib import Path

    from .columnar import TableReport
    from .frames import FloatPolicy

# pathlib is imported by the functions that hand out or take Paths, not with the module: with
# urllib.parse, which it imports, it costs ~15 M instructions, 3 % of a warm ``fiscalrules audit``,
# which loads its bundled ruleset by name from the cache with paths as texts (_bundled_by_name).

__all__ = ["Ruleset", "compile_rules", "load_ruleset", "bundled_rulesets", "lint", "ExampleResult"]

RULE_SUFFIX = ".rules"
MAX_INCLUDE_DEPTH = 32   # files in one chain of includes; deeper is a mistake, and recursion has limits


class Ruleset:
    """A checked, compiled ruleset.  Evaluate records with :meth:`evaluate` / :meth:`evaluate_many`."""

    def __init__(self, checked: CheckedRuleset, facts: dict | None = None):
        self.checked = checked
        # What the ruleset cache kept of the facts worked out from the rule text (plain JSON,
        # checked by their reader, fiscalrules.localise.footprint); empty: work them out.
        self.facts = facts or {}
        self.name = checked.name
        self.title = checked.title
        self.title_en = checked.title_en
        self.settings = Settings(checked)
        self.rules = [CompiledRule(rule, self.settings) for rule in checked.rules]
        # Sorted by id so findings never depend on the order rules were written in.
        self._ordered = sorted(self.rules, key=lambda r: r.id)

    # Compiled rules are closures, which pickle cannot carry: a Ruleset travels as its checked
    # AST (frozen attrs nodes) and is compiled again on arrival -- for multiprocessing and caches.
    def __getstate__(self) -> dict[str, Any]:
        return {"checked": self.checked}

    @in_library_context
    def __setstate__(self, state: dict[str, Any]) -> None:
        Ruleset.__init__(self, state["checked"])

    @property
    def fields(self) -> dict[str, ast.FieldDecl]:
        """Declared fields by path (wildcard declarations as ``prefix.*``)."""
        return self.checked.fields

    def subset(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Ruleset:
        """The same ruleset with only some rules: those whose id matches a pattern of *select*
        (``INC-001``, ``INC-*``) or that carry one of its tags -- all rules when *select* is
        empty -- less those matching *ignore* the same way."""
        import copy      # (here: only --select / --ignore ask for a subset; an audit's start imports
                         # neither it nor copy's weakref and its look-up of Jython's org.python.core)
        select, ignore = tuple(select), tuple(ignore)
        chosen = copy.copy(self)
        chosen.rules = [r for r in self.rules if (not select or _matches(r, select)) and not _matches(r, ignore)]
        chosen._ordered = sorted(chosen.rules, key=lambda r: r.id)
        return chosen

    def matching(self, patterns: Iterable[str]) -> set[str]:
        """The patterns of *patterns* (as :meth:`subset` takes them) that match a rule of this
        ruleset: a pattern no rule file matches is a typo the CLI refuses."""
        return {p for p in patterns if any(_matches(rule, (p,)) for rule in self.rules)}

    def unknown_keys(self, record: Record) -> tuple[list[str], list[str]]:
        """The record's figures and tables that no declared field names, and those of them that
        are a declared *label* (a record keyed by labels rather than paths)."""
        fields, labels = self.checked.fields, self.checked.labels
        unknown = [path for path in (*record.figure_values, *record.tables) if not declares(fields, path)]
        return unknown, [path for path in unknown if path in labels]

    def rule(self, rule_id: str) -> CompiledRule:
        """The compiled rule with this id (KeyError if there is none)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @in_library_context
    def evaluate(self, record: Record | Mapping[str, Any], *, id: str | None = None) -> Report:
        """Evaluate every rule on one record (a Record, or a mapping in the record model)."""
        loaded = record if isinstance(record, Record) else load_record(record, id=id)
        report = Report(ruleset=self.name)
        self._evaluate_into(report, loaded, id or loaded.id)
        return report

    def _evaluate_into(self, report: Report, record: Record, record_id: str) -> None:
        unknown, labels = self.unknown_keys(record)
        report.records.append(RecordInfo(record_id, record.document, record.unread, unknown_keys=unknown,
                                         label_keys=labels, figure_count=len(record.figure_values) + len(record.tables),
                                         coverage=record.coverage, part=record.part))
        report.add_input(record_id, self, record)
        new_evaluation(record)
        ctx = Context(record, self.settings)
        with library_context():
            run_rules(self._ordered, record, record_id, ctx, report.findings)

    @in_library_context
    def evaluate_many(self, records: Iterable[Any] | Any, *, floats: FloatPolicy = "refuse") -> Report:
        """Evaluate many records: paths (JSON, JSON Lines, YAML), mappings, Records, or errors --
        or a pandas DataFrame, Arrow table or DuckDB relation with one record per row, its columns
        named by field path or declared label (see :mod:`fiscalrules.frames`; *floats* says
        whether float cells are refused or read through their printed text).

        One path, mapping or Record alone is one source, as in a list of one.  A record that
        cannot be read becomes an entry with its reason; the rest still run.
        """
        from .frames import frame_records, is_frame
        if is_frame(records):
            records = frame_records(records, self.checked.fields, self.checked.labels, floats=floats)
        elif isinstance(records, (str, os.PathLike, Mapping, Record)):
            records = [records]   # (iterated, a path's characters were read as files, a mapping's keys)
        report = Report(ruleset=self.name)
        seen: dict[str, int] = {}
        for item in iter_records(records):
            if isinstance(item, FiscalRulesError):
                report.records.append(RecordInfo.unreadable(item, _unique(item.location.file or "record", seen)))
                continue
            self._evaluate_into(report, item, _unique(item.id, seen))
        return report

    @in_library_context
    def evaluate_table(self, table: Any, *, tables: Mapping[str, Any] | None = None, floats: FloatPolicy = "refuse",
                       chunk_rows: int | None = None, workers: Any = 1) -> TableReport:
        """Evaluate every rule over a frame -- an Arrow table, a pandas DataFrame or a DuckDB
        relation, one record per row, columns by field path or label -- on the columnar engine;
        *tables* gives each table field as a long frame (one row per table row, see
        docs/columnar.md), or *table* is what ``columnar.flatten_records`` makes of records.

        Statuses are those of :meth:`evaluate_many` over the same records; passing findings are
        counted, the others become findings when read.  Rules the columnar engine cannot express
        run per record (:meth:`explain` says which).  *workers* > 1 evaluates the chunks in that
        many processes (0 or ``"auto"``: one per CPU), with the same report.  Returns a
        ``columnar.TableReport``; needs the ``columnar`` extra (numpy, pyarrow)."""
        try:
            from .columnar import evaluate_table
        except ImportError as exc:
            if exc.name and exc.name.partition(".")[0] in ("numpy", "pyarrow"):
                raise ImportError(f'Ruleset.evaluate_table needs {exc.name.partition(".")[0]}: '
                                  f'pip install "fiscalrules[columnar]"', name=exc.name) from exc
            raise
        return evaluate_table(self, table, tables=tables, floats=floats, chunk_rows=chunk_rows, workers=workers)

    def explain(self) -> str:
        """One line per rule: ``columnar``, or ``per-record:`` and why the columnar engine cannot
        express it."""
        from .columnar import plan_of
        return "\n".join(f"{p.rule.id}\t" + ("columnar" if p.reason is None else f"per-record: {p.reason}")
                         for p in plan_of(self))

    @in_library_context
    def run_examples(self) -> list[ExampleResult]:
        """Run every rule's inline examples; each must pass (or fail) as it says."""
        results = []
        for rule in self.rules:
            for index, example in enumerate(rule.rule.examples, start=1):
                results.append(self._run_example(rule, index, example))
        return results

    def _run_example(self, rule: CompiledRule, index: int, example: ast.Example) -> ExampleResult:
        where = (example.span.file, example.span.line or None)
        try:
            record = load_record(example_record(example.record, self.checked), id=f"{rule.id} example {index}")
        except RecordError as exc:
            return ExampleResult(rule.id, index, example.expect, (), False, *where, f"bad example record: {exc.message}")
        findings = rule.evaluate(record)
        statuses = tuple(f.status for f in findings)
        ok = example_holds(example.expect, statuses)
        detail = "" if ok else "; ".join(f.message for f in findings)
        detail_en = "" if ok else "; ".join(f.text("en") for f in findings)
        return ExampleResult(rule.id, index, example.expect, statuses, ok, *where, detail, detail_en)


def _unique(rid: str, seen: dict[str, int]) -> str:
    count = seen.get(rid, 0)
    seen[rid] = count + 1
    return rid if count == 0 else f"{rid}#{count + 1}"


# ---- reading rule files -----------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    try:
        data = read_bounded(path, MAX_RULE_FILE_BYTES, what="rule file")
    except InputRefused as exc:
        raise RulesetNotFound(exc.reason, Location(str(path))) from None
    return _decode_rules(data, path)


def _decode_rules(data: bytes, path: Path) -> str:
    """A rule file's text: UTF-8 (with or without a byte-order mark), or UTF-16 with its mark
    (Windows Notepad's "Unicode"), which no other text begins as.  Another encoding is E107 --
    with, where the file reads as GB18030 (Chinese Windows' "ANSI", GBK), what to do."""
    from .inputs.source import gb18030_hint, marked_utf16
    try:
        text = marked_utf16(data)
    except UnicodeDecodeError as exc:
        raise RuleSyntaxError(f"rule file is not valid UTF-16 (byte {exc.start + 2})", Location(str(path)),
                              code="E107") from None
    if text is not None:
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # the byte in the file (utf-8-sig counts from after a byte-order mark), at its line and
        # column (the characters before it on its line, as decoded)
        at = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        start = data.rfind(b"\n", 0, at) + 1
        line, column = data.count(b"\n", 0, start) + 1, len(data[start:at].decode("utf-8-sig", "replace")) + 1
        raise RuleSyntaxError(f"rule file is not valid UTF-8 (byte {at})", Location(str(path), line, column),
                              code="E107", hint=gb18030_hint(data)) from None


class _Collector:
    """Reads a rule file and, depth first, the files it includes; cycles and missing files become
    diagnostics so the checker can report them with everything else."""

    def __init__(self, allow_outside: bool, recover: bool = False):
        self.allow_outside = allow_outside
        self.recover = recover
        self.files: list[ast.RuleFile] = []
        self.diagnostics: list[Diagnostic] = []
        self.done: set[str] = set()

    def add_text(self, text: str, name: str | None, folder: Path | None, stack: tuple[str, ...] = ()) -> None:
        # Imported here: lark is not loaded at all when a ruleset comes from the cache.
        from .parser import parse, parse_recovering
        if self.recover:
            rule_file, errors = parse_recovering(text, name)
            self.diagnostics.extend(d for e in errors for d in e.diagnostics)
        else:
            rule_file = parse(text, name)
        self.files.append(rule_file)
        for item in rule_file.items:
            if isinstance(item, ast.IncludeDecl):
                self.include(item, rule_file, folder, stack)

    def include(self, item: ast.IncludeDecl, rule_file: ast.RuleFile, folder: Path | None,
                stack: tuple[str, ...]) -> None:
        lines = rule_file.source.splitlines()
        line_text = lines[item.span.line - 1] if 0 < item.span.line <= len(lines) else None
        location = Location(rule_file.file, item.span.line, item.span.column, line_text,
                            item.span.end_column - item.span.column)
        if item.bundled:
            target = _bundled_part(item.path)
            if target is None:
                names = ", ".join(sorted(_bundled_parts())) or "none"
                self.diagnostics.append(Diagnostic("E211", f"no bundled ruleset named {item.path!r} (bundled: {names})",
                                                   location))
                return
        elif folder is None:
            self.diagnostics.append(Diagnostic("E211", f"cannot include {item.path!r} from rule text without a file",
                                               location))
            return
        else:
            target = (folder / item.path).resolve()   # (folder: a Path, from _collect or compile_rules)
        if folder is not None and not item.bundled and not self.allow_outside and not _inside(target, folder.resolve()):
            self.diagnostics.append(Diagnostic("E211", f"include {item.path!r} leaves the folder of {rule_file.file}",
                                               location, hint="includes stay beside the including file"))
            return
        if str(target) in stack:
            chain = " → ".join(os.path.basename(s) for s in (*stack, str(target)))
            self.diagnostics.append(Diagnostic("E208", f"include cycle: {chain}", location))
            return
        if str(target) in self.done:
            return
        if len(stack) >= MAX_INCLUDE_DEPTH:
            # Reported at the include that goes one level too deep, in the file that has it.
            chain = " → ".join(os.path.basename(s) for s in (*stack[:2], "…", *stack[-2:])) \
                if len(stack) > 4 else " → ".join(os.path.basename(s) for s in stack)
            self.diagnostics.append(Diagnostic(
                "E216", f"includes nested more than {MAX_INCLUDE_DEPTH} files deep ({chain}): "
                f"{item.path!r} is not read", location, hint="include the shared files from one main file"))
            return
        try:
            data = read_bounded(target, MAX_RULE_FILE_BYTES, what="rule file")
        except InputRefused as exc:
            reason = f"included file {item.path!r} not found" if exc.missing else exc.reason
            self.diagnostics.append(Diagnostic("E211", reason, location))
            return
        self.done.add(str(target))
        self.add_text(_decode_rules(data, target), str(target), target.parent, (*stack, str(target)))

    def check(self) -> CheckedRuleset:
        from .checker import check   # here: a ruleset loaded from the cache is not checked again
        try:
            return check(self.files, self.diagnostics)
        except RuleCheckError as exc:
            # Only for a file that includes nothing bundled: one that includes a bundled record
            # names its fields (a final-accounts rule naming 财政拨款收入 is not helped by the
            # budget record's), and a bundled file's own mistake is no user's.
            if not any(f.file and _is_bundled(f.file) for f in self.files):
                exc.diagnostics[:] = [_with_bundled_hint(d) for d in exc.diagnostics]
            raise


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def compile_rules(text: str, *, name: str | None = None, base_dir: str | os.PathLike[str] | None = None,
                  allow_outside: bool = False) -> Ruleset:
    """Compile rule text into a Ruleset.  Raises RuleSyntaxError or RuleCheckError."""
    from pathlib import Path
    collector = _Collector(allow_outside)
    # Resolved, as every included file is: a relative base_dir would hide a cycle back to this text.
    folder = Path(base_dir).resolve() if base_dir is not None else None
    with library_context():
        collector.add_text(text, name, folder, (str(folder / name),) if folder and name else ())
        checked = collector.check()
        # The parsed files are not needed once checked: let them go before compiling, so the
        # garbage collector's passes while a big file compiles do not walk them too.
        del collector
        return Ruleset(checked)


def _bundled_folder() -> str:
    """Installed, the rulesets are the package ``fiscalrules.rulesets``; run from a source checkout
    they are the repository's ``rulesets/`` folder beside the package.  (A text: see _bundled_by_name.)"""
    from .inputs.pathnames import path_text
    # The package itself (an empty __init__.py), not importlib.resources (~10 ms to import, on
    # every CLI start) nor importlib.util's find_spec (importlib, its warnings and abstract classes):
    # the package's folder is what resources.files would return for it.
    try:
        from . import rulesets
    except ImportError:   # (a source checkout: no such package)
        rulesets = None
    locations = getattr(rulesets, "__path__", None)
    if locations:
        return path_text(list(locations)[0])
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "rulesets")


def _bundled_files(parts: bool) -> dict[str, str]:
    """The bundled rule files by stem (str(folder / name), unsorted), with the parts whose name
    starts with ``_`` or without them."""
    folder = _bundled_folder()
    if not os.path.isdir(folder):
        return {}
    return {name[: -len(RULE_SUFFIX)]: os.path.join(folder, name) for name in os.listdir(folder)
            if name.endswith(RULE_SUFFIX) and (parts or not name.startswith("_"))}


def _bundled_parts() -> dict[str, Path]:
    """Every bundled rule file by stem, parts (``_budget_fields``) included."""
    from pathlib import Path
    return {stem: Path(path) for stem, path in _bundled_files(parts=True).items()}


def _bundled_part(name: str) -> Path | None:
    stem = name[: -len(RULE_SUFFIX)] if name.endswith(RULE_SUFFIX) else name
    found = _bundled_parts().get(stem)
    return found.resolve() if found is not None else None


def bundled_field_parts(ruleset: Ruleset) -> set[str]:
    """The bundled records' field declarations (the parts ``_*_fields``) that *ruleset*'s files
    include: which template's record it reads."""
    stems = {os.path.splitext(os.path.basename(file))[0] for file in ruleset.checked.files
             if file and _is_bundled(file)}
    return {stem for stem in stems if _declares_a_record(stem)}


def _declares_a_record(stem: str) -> bool:
    """Whether the bundled part *stem* is a record's field declarations (``_budget_fields``)."""
    return stem.startswith("_") and stem.endswith("_fields")


def _with_bundled_hint(diagnostic: Diagnostic) -> Diagnostic:
    """An unknown field (E201) that a bundled record's field declarations name, by path or label,
    hinted with the include that brings them: an auditor's first rule file over a disclosure
    writes ``收入预算总额 = …`` without declaring the field the bundled budget record has."""
    prefix = "unknown field "
    if diagnostic.code != "E201" or not diagnostic.message.startswith(prefix):
        return diagnostic
    parts = _bundled_field_names().get(diagnostic.message[len(prefix):])
    if not parts:
        return diagnostic
    includes = " or ".join(f'include bundled "{part}"' for part in parts)
    return Diagnostic(diagnostic.code, diagnostic.message, diagnostic.location,
                      f"a bundled record declares it: add {includes}", diagnostic.severity)


@functools.lru_cache(maxsize=1)
def _bundled_field_names() -> dict[str, tuple[str, ...]]:
    """Each field path, group of fields (``income``) and label the bundled records declare (the
    parts ``_*_fields``, with their includes) → the parts declaring it, a part that another includes left out where that other
    declares it too (``_common_fields``' names: the budget's and the final accounts' fields)."""
    names_of: dict[str, set[str]] = {}
    for stem, path in sorted(_bundled_parts().items()):
        if not _declares_a_record(stem):
            continue
        try:
            checked = _load_path(path).checked
        except FiscalRulesError:   # (a damaged installation: no hint, the error itself stands)
            continue
        groups = {path.rsplit(".", n)[0] for path in checked.fields for n in range(1, path.count(".") + 1)}
        names_of[stem] = {*checked.fields, *checked.labels, *(group for group in groups if "*" not in group)}
    included = {stem for stem, names in names_of.items()
                if any(other != stem and names <= others for other, others in names_of.items())}
    declaring: dict[str, list[str]] = {}
    for stem in sorted(names_of, key=lambda stem: stem in included):   # (an including part first)
        for name in names_of[stem]:
            stems = declaring.setdefault(name, [])
            if not (stem in included and stems):
                stems.append(stem)
    return {name: tuple(stems) for name, stems in declaring.items()}


def _matches(rule: CompiledRule, patterns: tuple[str, ...]) -> bool:
    """Whether *rule*'s id matches one of *patterns* (``INC-001``, ``INC-*``) or it carries one as a tag."""
    import fnmatch   # (only --select / --ignore match rules)
    tags = rule.rule.tags or ()
    return any(fnmatch.fnmatchcase(rule.id, p) or p in tags for p in patterns)


def bundled_rulesets() -> dict[str, Path]:
    """Bundled rulesets by name (file stem).  Files whose name starts with ``_`` are parts that
    rulesets include (field declarations), not rulesets of their own."""
    from pathlib import Path
    return {stem: Path(path) for stem, path in sorted(_bundled_files(parts=False).items())}


def _bundled_by_name(name_or_path: str | os.PathLike[str]) -> str | None:
    """The rule file (as a text) of the bundled ruleset *name_or_path* names, when
    :func:`resolve_ruleset_path` would find it by that name -- a name that is no path (no
    separator, no ``.rules`` suffix, no file of that name here) -- else None, and that function
    is asked instead.  What a CLI audit loads, without pathlib."""
    if type(name_or_path) is not str or not name_or_path or "/" in name_or_path or os.sep in name_or_path \
            or name_or_path.endswith(RULE_SUFFIX) or name_or_path in (".", ".."):
        return None
    try:
        os.stat(name_or_path)
        return None   # a file (or folder) of that name: a path
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None   # Path.exists raises any other: resolve_ruleset_path does, as ever
    except ValueError:
        return None
    return _bundled_files(parts=False).get(name_or_path)


def resolve_ruleset_path(name_or_path: str | os.PathLike[str]) -> Path:
    from pathlib import Path
    path = Path(name_or_path)
    if path.suffix == RULE_SUFFIX or path.exists() or os.sep in str(name_or_path) or "/" in str(name_or_path):
        if not path.exists():   # a directory, device or FIFO is refused by the bounded reader, saying what it is
            raise RulesetNotFound(f"rule file not found: {name_or_path}", Location(str(name_or_path)))
        return path
    bundled = bundled_rulesets()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    names = ", ".join(bundled) or "none"
    raise RulesetNotFound(f"no rule file or bundled ruleset named {name_or_path!r} (bundled: {names})",
                          Location(str(name_or_path)))


def load_ruleset(name_or_path: str | os.PathLike[str], *, allow_outside: bool = False) -> Ruleset:
    """Load a rule file, or a bundled ruleset by name, with its includes.

    A bundled ruleset is checked once and kept in the user's cache directory as data
    (:mod:`fiscalrules.cache`); later loads compile it from there without parsing."""
    with library_context():
        return _load_path(_bundled_by_name(name_or_path) or resolve_ruleset_path(name_or_path), allow_outside)


def load_bundled_ruleset(name: str) -> Ruleset:
    """The bundled ruleset *name*, whatever the working directory holds: what a command loads for
    a ruleset the user never typed (``audit``'s default and each document's template's).  A file or
    folder there named like it (``budget_disclosure``) is not taken for it, as
    :func:`load_ruleset` would for a name the user gave."""
    with library_context():
        path = _bundled_files(parts=False).get(name)
        if path is None:
            names = ", ".join(sorted(_bundled_files(parts=False))) or "none"
            raise RulesetNotFound(f"no bundled ruleset named {name!r} (bundled: {names})", Location(name))
        return _load_path(path)


def _load_path(path: str | os.PathLike[str], allow_outside: bool = False) -> Ruleset:
    """The ruleset of the rule file *path* (a bundled one through the cache); in the library's context."""
    bundled = _is_bundled(path)
    if bundled:
        from .cache import load_entry
        entry = load_entry(path)
        if entry is not None:
            return Ruleset(*entry)
    collector = _collect(path, allow_outside, recover=False)
    checked = collector.check()
    if bundled:
        from .cache import store_checked
        store_checked(path, checked, [f.file for f in collector.files])
    del collector  # the parsed files, as in compile_rules
    return Ruleset(checked)


def _is_bundled(path: str | os.PathLike) -> bool:
    # (os.path.realpath: what Path.resolve() is made of; both sides normalised texts)
    try:
        return os.path.dirname(os.path.realpath(path)) == os.path.realpath(_bundled_folder())
    except (OSError, ValueError):
        return False


def _collect(name_or_path: str | os.PathLike[str], allow_outside: bool, recover: bool) -> _Collector:
    path = resolve_ruleset_path(name_or_path)
    text = _read_text(path)
    collector = _Collector(allow_outside, recover)
    resolved = path.resolve()
    collector.done.add(str(resolved))
    collector.add_text(text, str(path), resolved.parent, (str(resolved),))
    return collector


@in_library_context
def lint(paths: Iterable[str | os.PathLike[str]], *, allow_outside: bool = False) -> list[Diagnostic]:
    """Every problem in the given rule files (syntax, checking, includes), without raising."""
    diagnostics: list[Diagnostic] = []
    for path in paths:
        try:
            _collect(path, allow_outside, recover=True).check()
        except RuleCheckError as exc:
            diagnostics.extend(exc.diagnostics)
        except RuleSyntaxError as exc:
            diagnostics.extend(exc.diagnostics)
        except FiscalRulesError as exc:
            diagnostics.append(Diagnostic(exc.code, exc.message, exc.location))
    return diagnostics
