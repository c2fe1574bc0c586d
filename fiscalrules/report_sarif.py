"""SARIF 2.1.0 for code-scanning tools: a report's findings (``audit``/``check --format sarif``)
and a rule file's diagnostics (``lint --format sarif``).

A rule of the ruleset is a SARIF ``reportingDescriptor`` (id, name, title as short description,
description as full description, help with the rule's reference, default level from its
severity, tags).  A failing finding is a ``result`` of kind ``fail`` at the place its first figure
was printed -- the document and line, with the page and box in the region's properties when the
record came from a PDF -- with every other figure as a related location and both sides, the
difference, the allowance and the suggestion in its properties.  A rule that could not be
checked is a ``review`` result (of level ``none``, as SARIF has every kind but ``fail``): a
code-scanning view must not read it as a pass.  Every result has a physical location -- GitHub's
code scanning refuses a log with one that has not -- so a finding of a record with no document (a
record file's, without ``_meta.document``) is located at the record's file, and one of a record
given to the library as a mapping at the ``artifact`` its caller names (without one, such a result
has logical locations only).  A record that could
not be read is a tool execution notification.  Lint diagnostics are results
whose rule is the diagnostic code (E201 …) at the file, line and column of the problem.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .findings import RecordInfo, Status
from .messages import diagnostic_title, format_amount
from .translations import translate, translate_error
from .values import in_library_context

if TYPE_CHECKING:  # pragma: no cover
    from .errors import Diagnostic
    from .findings import Finding, Report
    from .loader import Ruleset
    from .records import Source

__all__ = ["render_sarif", "render_lint_sarif", "SARIF_SCHEMA", "SARIF_VERSION"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/fiscalrules/"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    from . import __version__
    return {"name": "fiscalrules", "version": __version__, "semanticVersion": __version__,
            "informationUri": INFORMATION_URI, "rules": rules}


def _log(driver: dict[str, Any], results: list[dict[str, Any]], notifications: list[dict[str, Any]],
         lang: str) -> str:
    run: dict[str, Any] = {"tool": {"driver": driver}, "results": results, "language": "zh-CN" if lang == "zh" else "en-US",
                           "columnKind": "unicodeCodePoints",
                           "invocations": [{"executionSuccessful": not any(n["level"] == "error" for n in notifications),
                                            "toolExecutionNotifications": notifications}]}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]},
                      ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _text(zh: str | None, en: str | None, lang: str) -> str:
    return (en or zh or "") if lang == "en" else (zh or en or "")


def _rule_descriptors(report: Report, rulesets: Sequence[Ruleset], lang: str) -> list[dict[str, Any]]:
    """One descriptor per rule: from the rulesets when given (description, reference, tags), else
    from what the findings carry."""
    seen: dict[str, dict[str, Any]] = {}
    for ruleset in rulesets:
        for compiled in ruleset.rules:
            rule = compiled.rule
            title = _text(rule.title, rule.title_en, lang) or rule.id
            help_text = _text(rule.description, rule.description_en, lang) or title
            if rule.reference:
                help_text += f"（{rule.reference}）" if lang == "zh" else f" ({rule.reference})"
            seen.setdefault(rule.id, {
                "id": rule.id, "name": rule.id.replace("-", "_"), "shortDescription": {"text": title},
                "fullDescription": {"text": _text(rule.description, rule.description_en, lang) or title},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": _LEVELS.get(compiled.severity, "warning")},
                "properties": {"tags": list(rule.tags or ()), "ruleset": ruleset.name},
            })
    for f in report.findings:
        if f.rule not in seen:
            title = _text(f.title, f.title_en, lang) or f.rule
            seen[f.rule] = {"id": f.rule, "name": f.rule.replace("-", "_"), "shortDescription": {"text": title},
                            "help": {"text": title}, "defaultConfiguration": {"level": _LEVELS.get(f.severity, "warning")},
                            "properties": {"tags": list(f.tags)}}
    return list(seen.values())


_DRIVE = re.compile(r"[A-Za-z]:/")


def _uri(path: str) -> str:
    """*path* (a document's or record file's, as given) as the URI reference SARIF's ``uri`` must
    be: separators (a Windows path's backslashes too) as ``/``, every other character that is not
    unreserved percent-encoded as UTF-8 (``my%20file%231%20%25zz%3F.txt``: ``#`` and ``?`` are no
    fragment or query, ``:`` no scheme); a relative path stays relative, a drive path
    (``C:\\dir\\报告.txt``) is a ``file:///C:/dir/...`` URI."""
    from urllib.parse import quote
    path = path.replace(os.sep, "/").replace("\\", "/")
    # (a lone surrogate -- a record id from JSON's \ud800 -- is encoded as its escape's text)
    if _DRIVE.match(path):
        return "file:///" + path[:2] + quote(path[2:], safe="/", errors="backslashreplace")
    return quote(path, safe="/", errors="backslashreplace")


def _location(source: Source | None, document: str | None, label: str | None, path: str) -> dict[str, Any]:
    location: dict[str, Any] = {"logicalLocations": [{"name": label or path, "fullyQualifiedName": path,
                                                      "kind": "variable"}]}
    file = document
    if source is not None and source.document and (
            document is None or os.path.basename(source.document) != os.path.basename(document)):
        file = source.document
    if file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
        region: dict[str, Any] = {}
        if source is not None and source.line:
            region["startLine"] = int(source.line)
        if source is not None and source.text:
            region["snippet"] = {"text": source.text}
        page = getattr(source, "page", None)
        box = getattr(source, "box", None)
        if page is not None or box is not None:
            region.setdefault("properties", {})
            if page is not None:
                region["properties"]["page"] = int(page)
            if box is not None:
                region["properties"]["box"] = [float(v) for v in box]
        if region and ("startLine" in region or "snippet" in region):
            physical["region"] = region
        location["physicalLocation"] = physical
    return location


def record_files(report: Report) -> dict[str, str]:
    """Each record's file (``Record.file``: the record file it was read from), by record id, for
    the records of *report* with no document: where their results are located."""
    files = {}
    for info in report.records:
        if not info.document:
            file = next((getattr(record, "file", None) for _, record in report._inputs.get(info.id, ())), None)
            if file:
                files[info.id] = str(file)
    return files


def _result(f: Finding, index: dict[str, int], document: str | None, lang: str, file: str | None = None) -> dict[str, Any]:
    """The result of a failing or uncheckable finding; *file*: where a record with no document
    was read from, the physical location of a result that has none of its own."""
    failed = f.status in (Status.FAIL, Status.ERROR)
    result: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": index[f.rule],
        "kind": "fail" if failed else "review",
        # (SARIF 2.1.0 §3.27.10: a result of any kind but fail has level none)
        "level": _LEVELS.get(f.severity, "warning") if failed else "none",
        "message": {"text": f.text(lang)},
        "partialFingerprints": {"fiscalrules/v1": f"{f.record}|{f.rule}|{f.item or ''}"},
    }
    operands = list(f.operands)
    locations = [_location(o.source, document, o.label, o.path) for o in operands]
    if locations:
        result["locations"] = locations[:1]
        related = [dict(loc, id=i, message={"text": f"{o.label or o.path} = {o.printed or o.value}"})
                   for i, (loc, o) in enumerate(zip(locations[1:], operands[1:]), start=1)]
        if related:
            result["relatedLocations"] = related
    elif document or file:
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _uri(document or file)}}}]
    if file and "physicalLocation" not in result["locations"][0]:
        # (the record's file, without a region: a figure's line is of its document, not this file)
        result["locations"][0] = dict(result["locations"][0], physicalLocation={"artifactLocation": {"uri": _uri(file)}})
    properties: dict[str, Any] = {"record": f.record, "status": f.status}
    if f.item:
        properties["item"] = f.item
    if f.left is not None:
        properties["left"] = {"expression": f.left.expression, "value": _value(f.left.value)}
    if f.right is not None:
        properties["right"] = {"expression": f.right.expression, "value": _value(f.right.value)}
    if f.difference is not None:
        properties["difference"] = format_amount(f.difference)
    if f.tolerance is not None:
        properties["tolerance"] = format_amount(f.tolerance)
    if f.unit:
        properties["unit"] = f.unit
    suggestion = f.suggestion_text(lang) if hasattr(f, "suggestion_text") else f.suggestion
    if suggestion:
        properties["suggestion"] = suggestion
    likely = getattr(f, "likely_wrong", ())
    if likely:  # the localisation of its group (Report.localise): figures most likely wrong, values they need
        properties["likelyWrong"] = [e.to_dict() for e in likely]
    if f.missing:
        properties["missing"] = list(f.missing)
    if f.reason:
        properties["reason"] = translate(f.reason, lang)
    result["properties"] = properties
    return result


def _value(value: Any) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def error_notification(info: RecordInfo, lang: str) -> dict[str, Any]:
    """The tool execution notification of an input that could not be read, located at its file
    (``info.file``: ``rec.json`` for its element 4, whose name is ``rec.json[4]``, review 25 T4)."""
    return {"level": "error", "message": {"text": translate_error(info.error, lang)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(info.file or info.document or info.id)}}}]}


@in_library_context
def render_sarif(report: Report, lang: str = "zh", rulesets: Sequence[Ruleset] = (),
                 artifact: str | os.PathLike[str] | None = None) -> str:
    """The report as a SARIF 2.1.0 log: failing and uncheckable findings as results.

    *artifact*: the file a record with neither a document nor a record file came from (records
    given to the library as mappings or a DataFrame: the caller knows where it read them), where
    their results are located -- GitHub's code scanning refuses a result with no physical
    location.  Without it such results carry only their logical locations (valid SARIF)."""
    localise = getattr(report, "localise", None)
    if callable(localise):  # sets each failure's likely_wrong, shown in its result's properties
        try:
            localise()
        except Exception:  # noqa: BLE001 - the log is still written without it
            pass
    if artifact is not None:
        artifact = os.fspath(artifact)   # (a Path too)
    rules = _rule_descriptors(report, rulesets, lang)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    documents = {info.id: info.document for info in report.records}
    files = record_files(report)
    results = [_result(f, index, documents.get(f.record), lang, files.get(f.record, artifact))
               for f in report.sorted_findings()
               if f.status in (Status.FAIL, Status.ERROR, Status.NOT_EVALUABLE)]
    notifications = [error_notification(info, lang) for info in report.records if info.error]
    grouped = report.findings_by_record()
    for info in report.records:
        if not info.error and report.nothing_checked(info, findings=grouped.get(info.id, ())):
            notifications.append({"level": "warning", "message": {"text": (
                "没有核对任何规则：记录中没有规则需要的数字" if lang == "zh" else
                "no rule could be checked: the record holds none of the figures the rules need")}})
    return _log(_driver(rules), results, notifications, lang)


def render_lint_sarif(diagnostics: Iterable[Diagnostic], files: Iterable[str] = (), lang: str = "zh") -> str:
    """``lint``'s diagnostics as a SARIF 2.1.0 log: one result per problem, its rule the code."""
    diagnostics = list(diagnostics)
    rules: dict[str, dict[str, Any]] = {}
    for d in diagnostics:
        title = diagnostic_title(d.code, lang) or d.code
        rules.setdefault(d.code, {"id": d.code, "name": diagnostic_title(d.code, "en").replace(" ", "_") or d.code,
                                  "shortDescription": {"text": title}, "help": {"text": title},
                                  "defaultConfiguration": {"level": "error"}})
    index = {code: i for i, code in enumerate(rules)}
    results = []
    for d in diagnostics:
        message = translate(d.message, lang) or d.message
        if d.hint:
            hint = translate(d.hint, lang)
            message += f"（{hint}）" if lang == "zh" else f" ({hint})"
        result: dict[str, Any] = {"ruleId": d.code, "ruleIndex": index[d.code], "level": _LEVELS.get(d.severity, "error"),
                                  "message": {"text": message}}
        loc = d.location
        if loc.file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
            if loc.line:
                region: dict[str, Any] = {"startLine": loc.line}
                if loc.column:
                    region["startColumn"] = loc.column
                    region["endColumn"] = loc.column + max(loc.length, 1)
                if loc.source_line is not None:
                    region["snippet"] = {"text": loc.source_line}
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    driver = _driver(list(rules.values()))
    log = _log(driver, results, [], lang)
    if files:
        data = json.loads(log)
        from .inputs.pathnames import path_text   # (named as the diagnostics name it: ./x.rules is x.rules)
        data["runs"][0]["artifacts"] = [{"location": {"uri": _uri(path_text(str(f)))}} for f in files]
        log = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return log
