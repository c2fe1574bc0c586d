"""The ``audit`` command: disclosures (text or PDF) read into records and audited.

Each document is read by its template's reader (:func:`.readers.read_document_records`: a record
for each disclosure the file holds, most files one) and audited by that template's bundled
ruleset (loaded once per template; without ``--ruleset`` the default one, loaded first) and by the
rulesets given with ``--ruleset``; its report is written and dropped before the next document is
read (:func:`.cli_output.write_batch`, or streamed for ``--format jsonl|csv|parquet``).  A
document -- or one disclosure of a file holding several -- that cannot be read is reported as its
error and the others still run.  With ``--together`` each folder given holds the parts of one
disclosure (its files in name order) and the files given directly are the parts of another, each
read as one record (:func:`.readers.read_together_record`): a folder's named by the folder, the
files' by their stems joined with "+".  Without it, the files of one folder or archive that are the
parts of one disclosure -- its narrative and its tables, in one file or a file each -- are read as
one all the same (:mod:`.readers.complementary`), named by their stems joined with "+".
"""

from __future__ import annotations

import os
import sys

from .cli_arguments import EXIT_INPUT
from .cli_output import (DOCUMENT_SUFFIXES, InputError, empty_folders, err, expand, input_error, input_names,
                         output_is_an_input, printable, rule_files_read, stream_batch, terminate_as_interrupt,
                         write_batch)
from .errors import terminal_text
from .findings import RecordInfo, Report
from .translations import translate, translate_error

__all__ = ["cmd_audit", "DEFAULT_AUDIT_RULESET"]

DEFAULT_AUDIT_RULESET = "budget_disclosure"


def _other_records_fields(ruleset, template: str) -> str | None:
    """A note when *ruleset* (the user's) declares its fields by including another template's
    bundled record than the document's (``include bundled "_budget_fields"`` over a 决算): its
    rules then find little or nothing to check there, which the report shows only as "not
    evaluable" and unknown keys."""
    from .loader import bundled_field_parts, load_bundled_ruleset
    own = bundled_field_parts(ruleset)
    if not own:
        return None
    try:
        wanted = bundled_field_parts(load_bundled_ruleset(template))
    except Exception:  # noqa: BLE001 -- an unknown template: its reading said so already
        return None
    other, missing = own - wanted, wanted - own   # (parts both include, shared fields, say nothing)
    if not wanted or not other or not missing:
        return None
    return (f"the rules of {ruleset.name} declare the fields of {', '.join(sorted(other))}, another template's "
            f"record than this document's ({template}): include bundled \"{sorted(missing)[0]}\" instead")


def cmd_audit(args) -> int:
    with terminate_as_interrupt():
        return _audit(args)


def _audit(args) -> int:
    from .cli import _load_rulesets, refuse_selection
    from .report_stream import merge_reports
    names = list(args.ruleset or [])
    bundled = not names or args.with_bundled   # the bundled ruleset of each document's template
    matched: set = set()   # the --select / --ignore patterns that match a rule
    try:
        # The default and the templates' rulesets, which the user never named, are the bundled
        # ones whatever the working directory holds (a file named budget_disclosure there is not them).
        rulesets = (_load_rulesets(names, args, matched=matched) if names else
                    _load_rulesets([DEFAULT_AUDIT_RULESET], args, bundled=True, matched=matched))
        # Without --ruleset, the ruleset just loaded is the default template's: not loaded twice
        # (a load is a third of a one-document audit's time).
        by_template = ({} if not bundled else {DEFAULT_AUDIT_RULESET: rulesets[0]} if not names else
                       {DEFAULT_AUDIT_RULESET: _load_rulesets([DEFAULT_AUDIT_RULESET], args, bundled=True,
                                                              matched=matched)[0]})
        if bundled and (args.select or args.ignore):
            # Whether a pattern matches a rule is decided over every template's ruleset (FA-* selects
            # the 决算 rules), so they are all loaded now rather than at their first document.
            from .loader import bundled_rulesets
            for template in bundled_rulesets():
                if template not in by_template:
                    by_template[template] = _load_rulesets([template], args, bundled=True, matched=matched)[0]
    except InputError:
        return EXIT_INPUT
    if refuse_selection(args, rulesets + list(by_template.values()), matched):
        return EXIT_INPUT
    explicit = rulesets if names else []
    empty: list = []   # a folder given that holds no document: its read error; the others run
    # (each argument's documents, listed once: --together groups them by argument)
    expanded = [(str(arg), expand([arg], DOCUMENT_SUFFIXES, empty)) for arg in args.documents]
    documents = [path for _, paths in expanded for path in paths]
    if output_is_an_input(args, documents + rule_files_read(explicit)):
        return EXIT_INPUT
    from .inputs.pathnames import FilePath, path_stem   # Path(path).stem, without importing pathlib (~15 M instructions)
    # A document's record is named by its stem (the readers' id) unless another's is the same:
    # a.txt, a.pdf and x/a.txt of one folder, 2024/部门预算.pdf and 2025/部门预算.pdf.
    named = [printable(name) for name in input_names(args.documents, documents, path_stem)]
    taken = set(named)

    def unread_name(number: int) -> str:
        """An unreadable document's record: named by its file name (it has no record whose id
        would be its stem) where that is no other document's name, else by its name in the run."""
        path, name = documents[number - 1], named[number - 1]
        return os.path.basename(path) if name == path_stem(path) and os.path.basename(path) not in taken else name
    progress = sys.stderr.isatty() and not args.no_progress and len(documents) > 1

    told: set = set()   # (ruleset, template) pairs whose mismatch was said

    def audited(rid: str, data: dict, record) -> Report:
        """*record* (read as *data*) audited by the rulesets chosen for it, their reports merged."""
        chosen = list(explicit)
        template = data.get("_meta", {}).get("template") or DEFAULT_AUDIT_RULESET
        for ruleset in explicit:
            if (ruleset.name, template) not in told:
                told.add((ruleset.name, template))
                note = _other_records_fields(ruleset, template)
                if note:
                    err(f"fiscalrules: {translate(note, args.lang)}")
        if bundled:
            if template not in by_template:
                by_template[template] = _load_rulesets([template], args, bundled=True)[0]
            chosen.insert(0, by_template[template])
        return merge_reports([ruleset.evaluate(record, id=rid) for ruleset in chosen])

    def disclosures() -> list[tuple[str, list[str]]]:
        """``--together``: (record name, files) of each disclosure -- the files given directly,
        named by their stems joined with "+", then each folder or zip archive given, named by the
        folder (the archive's stem; by its path as given where two share a name)."""
        # (a folder, or an archive: an argument standing for other files than itself)
        folders = [(arg, paths) for arg, paths in expanded if os.path.isdir(arg) or paths != [arg]]
        loose = [arg for arg, paths in expanded if not (os.path.isdir(arg) or paths != [arg])]
        out = [("+".join(printable(path_stem(path)) for path in loose), loose)] if loose else []

        def name_of(folder: str) -> str:   # (an archive by its stem)
            return os.path.basename(os.path.normpath(folder)) or folder if os.path.isdir(folder) else path_stem(folder)
        names = [name_of(folder) for folder, _ in folders]
        for (folder, files), name in zip(folders, names):
            if files:   # (a folder holding none: in *empty* already)
                out.append((printable(name if names.count(name) == 1 else folder), files))
        return out

    def together(rid: str, paths: list[str]) -> Report:
        """The one report of *paths* read as one disclosure, or its read error."""
        from .readers import read_together_record
        try:
            data, record = read_together_record([FilePath(path) if "\n" in path else path for path in paths],
                                                file=" + ".join(printable(path) for path in paths))
            report = audited(rid, data, record)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 -- reported as the read error of the files together
            error = input_error(exc, paths[0])
            return Report(records=[RecordInfo(rid, " + ".join(printable(path) for path in paths), [],
                                              error=error.format())])
        return report

    def alone(number: int, path: str, profiled: bool) -> tuple[list[Report], object]:
        """The reports of the document *path* read alone (a record each disclosure it holds, or
        its read error) and, where *profiled* and it holds one, what it holds as a part of a
        disclosure (:func:`.readers.complementary.part_profile`)."""
        from . import readers   # (its read_document_records looked up at each call)
        from .readers.complementary import part_profile
        profile = None
        opened: list | None = [] if profiled else None
        try:
            # Indexed once, naming the document: a problem in what was read names this file.
            # (read_document, then load_record(data, file=path), in one: readers/__init__.py)
            # A file holding several disclosures gives a record each, named stem#1, stem#2, ...
            shown = printable(path)   # (a file name that is not UTF-8: its bytes as \xff in what is written)
            read = readers.read_document_records(FilePath(path) if "\n" in path else path, file=shown,
                                                 keep_errors=True, opened=opened, **(
                                                     {"name": printable(os.path.basename(path))} if shown != path else {}))
            if opened and len(read) == 1 and read[0][0] is not None:
                profile = part_profile(opened[0], read[0][0])
            opened = None   # (the document dropped: only its records are kept)
            merged_parts = []
            for part, (data, record) in enumerate(read, start=1):
                rid = named[number - 1] + (f"#{part}" if len(read) > 1 else "")
                if data is None:   # a disclosure of the file not read (*record*: its error); the others run
                    error = input_error(record, path)
                    merged_parts.append(Report(records=[RecordInfo(rid, path, [], error=error.format())]))
                    continue
                merged_parts.append(audited(rid, data, record))
        except InputError:   # a template's ruleset that cannot be loaded: already reported
            raise
        except Exception as exc:  # noqa: BLE001 -- one bad document is reported; the others still run
            error = input_error(exc, path)
            # (opened but not readable alone -- one table whose title says no 部门预算 --: still a part)
            profile = part_profile(opened[0], None) if opened else None
            return [Report(records=[RecordInfo(unread_name(number), path, [], error=error.format())])], profile
        for merged in merged_parts:
            for info in merged.records:  # the path as given, so reports can link and show the document
                if info.document and os.path.basename(info.document) == os.path.basename(shown):
                    info.document = shown
        return merged_parts, profile

    def parts_joined(held: list) -> list[Report]:
        """The reports of a folder's or archive's files that hold a part of a disclosure each (*held*:
        (number, path, reports alone, profile)), in their order: those that are the parts of one
        disclosure (:func:`.readers.complementary.disclosure_groups`) read as one, as
        ``--together`` reads them; the others as read alone."""
        from .readers.complementary import disclosure_groups
        by_folder: dict = {}
        for item in held:
            by_folder.setdefault(os.path.dirname(item[1]), []).append(item)
        joined: dict = {}   # the first file's number → the report of its group read as one
        skipped: set = set()
        for items in by_folder.values():
            for group in disclosure_groups([item[3] for item in items]):
                parts = [items[index] for index in group]   # (in the files' order, as --together reads them)
                report = together("+".join(named[number - 1] for number, *_ in parts), [path for _, path, *_ in parts])
                if report.errors:   # (not readable as one: each as read alone)
                    continue
                joined[parts[0][0]] = report
                skipped.update(number for number, *_ in parts[1:])
        out: list[Report] = []
        for number, _, reports_alone, _ in held:
            if number in joined:
                out.append(joined[number])
            elif number not in skipped:
                out.extend(reports_alone)
        return out

    def reports():
        """Each document's report (every chosen ruleset's findings, merged), or its read error;
        the files of a folder or archive that are the two parts of one disclosure read as one."""
        for info in empty_folders(empty):
            yield Report(records=[info])
        if args.together:
            for rid, paths in disclosures():
                yield together(rid, paths)
            return
        number = 0
        for arg, paths in expanded:
            # (a folder or an archive: its files may be the parts of one disclosure)
            joinable = len(paths) > 1 and (os.path.isdir(arg) or paths != [arg])
            held: list = []   # files holding half a disclosure: reported once the argument's are all read
            for path in paths:
                number += 1
                if progress:
                    sys.stderr.write(f"\r[{number}/{len(documents)}] {terminal_text(os.path.basename(path), newlines=True)[:60]:<60}")
                    sys.stderr.flush()
                reports_alone, profile = alone(number, path, joinable)
                if profile is not None and profile.part is not None:
                    held.append((number, path, reports_alone, profile))
                else:
                    yield from reports_alone
            if held:
                yield from parts_joined(held)
        if progress:
            sys.stderr.write("\r" + " " * 72 + "\r")

    from .report_stream import WRITTEN_FORMATS   # (not .streaming's STREAM_FORMATS: that module imports pathlib)
    if args.format in WRITTEN_FORMATS:  # json, table, sarif, html: each document written, then dropped
        def run(writer):
            for report in reports():
                writer.write(report)
            chosen = list(by_template.values()) + list(explicit) if bundled else rulesets
            return "+".join(r.name for r in chosen), chosen   # the templates' rulesets, then those asked for
        from .inputs.allowed import documents_read_from
        with documents_read_from(documents):   # (the page shows the documents audited, no other)
            return write_batch(args, run)
    def fill(sink, tally) -> None:   # each document's findings written at once, then dropped
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

    tally = stream_batch(args, fill)
    if tally is None:
        return EXIT_INPUT
    for info in tally.errors:
        err(translate_error(info.error, args.lang))
    # As `check` streamed: the findings went to a file or a pipe, so the counts are said here.
    err(tally.summary_line(args.lang, ("文档", "documents")))
    if tally.unchecked:
        err(f"{tally.unchecked} 份文档没有核对任何规则（文档中没有读到规则需要的数字）" if args.lang == "zh" else
            f"{tally.unchecked} document(s) on which no rule could be checked (none of the figures the rules need was read)")
    return tally.exit_code(args.fail_on)
