"""Reporters: a Report as an aligned table (CJK-aware), JSON, JSON Lines or CSV.

The table is for people: failures first by severity, each with both sides, the difference, the
tolerance allowed and every figure involved with the line it was printed on; the figures most
likely wrong (the report's localisation), with the values they should have; rounding-only
differences listed apart and never counted as failures; a summary line per record; and the parts
of each document that were not read.  JSON, JSON Lines and CSV are for programs and carry every
finding (passes included) in the report's deterministic order.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from decimal import Decimal


from .errors import _DOCUMENT_CONTROLS, _escape, clipped, display_width, terminal_text
from .findings import SEVERITY_RANK, STATUS_RANK, Report, Status, printed_at
from .report_json import dumps_indented
from .messages import NOT_EVALUABLE_ZH, STATUS_WORDS, format_amount, severity_word, word
from .nodebase import fields_dict
from .translations import translate, translate_error
from .values import MONEY_UNITS, in_library_context

__all__ = ["render_table", "render_json", "render_jsonl", "write_jsonl", "render_csv", "finding_dict", "FORMATS"]


def tabulate(rows, headers=(), tablefmt: str = "plain", disable_numparse: bool = True, *,
             one_line: bool = False) -> str:
    """Rows of text cells as an aligned table, measured in terminal columns (a CJK character
    takes two): tabulate's ``plain`` and ``simple`` layouts, left-aligned, no number parsing.

    The two layouts the reports use are drawn here rather than by the tabulate package (a core
    dependency, and the reference tests/test_cli.py holds this drawing to), whose import (with
    importlib.metadata and wcwidth) cost more than a whole audit of a document; a cell's lines
    are stripped and multi-line cells span rows, as tabulate draws them -- unless *one_line*
    (the reports' tables, whose cells come from the input: a line break in a value or a document
    name is written ``\\n``, its row one row, never a forged line under another figure's)."""
    if tablefmt not in ("plain", "simple"):  # any other layout is tabulate's, imported when asked for
        from tabulate import tabulate as draw
        return draw(rows, headers=headers, tablefmt=tablefmt, disable_numparse=disable_numparse)
    # (each cell shown as a terminal shows it -- control characters as escapes -- then measured)
    texts = [["" if c is None else terminal_text(str(c), newlines=one_line) for c in row] for row in rows]
    multiline = any("\n" in c for row in texts for c in row)  # then an empty cell has no lines
    cells = [[c.strip().splitlines() if multiline else [c.strip()] for c in row] for row in texts]
    head = [terminal_text(str(h)) for h in headers]
    columns = max([len(head)] + [len(row) for row in cells])
    widths = [max([display_width(line) for row in cells if k < len(row) for line in row[k]] or [0])
              for k in range(columns)]
    if head:  # as tabulate: missing headers are the first columns'; two columns of room around each
        head = [""] * (columns - len(head)) + head
        widths = [max(w, display_width(h) + 2) for w, h in zip(widths, head)]

    def line(parts) -> str:
        return "  ".join(p + " " * (widths[k] - display_width(p)) for k, p in enumerate(parts)).rstrip()

    out = []
    if head:
        out.append(line(head))
        out.append("  ".join("-" * w for w in widths))
    for row in cells:
        row = row + [[""]] * (columns - len(row))
        for i in range(max([len(c) for c in row] or [0])):
            out.append(line([c[i] if i < len(c) else "" for c in row]))
    return "\n".join(out)


FORMATS = ("table", "json", "jsonl", "csv", "html", "sarif")


def _status_word(status: str, lang: str) -> str:
    zh, en = STATUS_WORDS.get(status, (status, status))
    return en if lang == "en" else zh


def _side(side, unit) -> str:
    if side is None:
        return ""
    text = format_amount(side.value, 2 if unit in MONEY_UNITS else 0)
    if unit and side.lo is not None:
        text += "%" if unit == "%" else f" {unit}"
    return text


def _amount(value, unit) -> str:
    text = format_amount(value, 2 if unit in MONEY_UNITS else 0)
    return f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text


def _as_printed(value) -> str:
    """A figure as read: its printed decimals kept (19.90 stays 19.90)."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _change_as_printed(op) -> str:
    """A figure's stated change as read -- in the finer unit it was printed in when the reader
    carried it over to the figure's ("0.128640 亿元，较上年增加 96.40 万元": 96.40 万元, not 0.009640),
    as the suggestion says it."""
    text = op.source.text if op.source is not None else None
    if text and isinstance(op.change, Decimal) and op.unit in MONEY_UNITS:
        from .localise.explain import in_printed_unit, in_unit   # (a failure's figures: localised anyway)
        finer = in_printed_unit(op.change, op.unit, text)
        if finer is not None:
            return f"{in_unit(op.change, op.unit, finer)} {finer}"
    return _as_printed(op.change)


def _figure_rows(finding, lang: str, document: str | None = None, limit: int = 20) -> list:
    rows = []
    for op in finding.operands[:limit]:
        unit = ("%" if op.unit == "%" else f" {op.unit}") if op.unit else ""
        if isinstance(op.value, bool):     # a flag: said in words, not as Python's True / False
            value = word("yes" if op.value else "no", lang)
        else:
            value = f"{clipped(op.printed or _as_printed(op.value))}{unit}"   # (a text cell of megabytes: its ends)
        if op.change is not None:
            value += f" ({'变动' if lang == 'zh' else 'change'} {_change_as_printed(op)})"
        where, excerpt = printed_at(op, document, lang), ""
        if op.source is not None:
            if op.source.text:
                excerpt = " ".join(op.source.text.split())
                excerpt = excerpt if len(excerpt) <= 48 else excerpt[:47] + "…"
        rows.append([op.label or op.path, value, where, excerpt])
    if len(finding.operands) > limit:
        rows.append([f"… +{len(finding.operands) - limit}", "", "", ""])
    return rows


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _failure_block(f, lang: str, document: str | None = None) -> str:
    """One failure (or evaluation error) as a block: verdict, both sides, figures and where."""
    title = (f.title_en if lang == "en" and f.title_en else f.title) or ""
    item = f"[{f.item}]" if f.item else ""
    mark = "✗" if f.status == Status.FAIL else "!"
    head = f"{mark} {f.rule}{item} [{severity_word(f.severity, lang)}] {title}"
    message = f.text(lang)
    lines = [head, _indent(message)]
    if f.left is not None and f.difference is not None:
        unit = f.unit
        if _side(f.left, unit) not in message:
            lines.append(_indent(
            f"{word('left', lang)} {f.left.expression} = {_side(f.left, unit)}；"
            f"{word('right', lang)} {f.right.expression} = {_side(f.right, unit)}"
            if lang == "zh" else
            f"{word('left', lang)} {f.left.expression} = {_side(f.left, unit)}; "
            f"{word('right', lang)} {f.right.expression} = {_side(f.right, unit)}"))
        sep = "，" if lang == "zh" else ", "
        lines.append(_indent(f"{word('difference', lang)} {_amount(f.difference, unit)}{sep}"
                             f"{word('tolerance', lang)} ±{_amount(f.tolerance, unit)}"))
    suggestion = f.suggestion_text(lang)
    if suggestion:
        lines.append(_indent(f"{word('suggestion', lang)}: {suggestion}"))
    figures = _figure_rows(f, lang, document)
    if figures:
        lines.append(_indent(f"{word('figures', lang)}:"))
        lines.append(_indent(tabulate(figures, tablefmt="plain", disable_numparse=True, one_line=True), "      "))
    return "\n".join(lines)


@in_library_context
def render_table(report: Report, lang: str = "zh", *, show_passes: bool = False, localise: bool = True) -> str:
    out = table_sections(report, lang, show_passes=show_passes, localise=localise)
    if len(report.records) > 1:
        failed = sum(1 for r in report.records if r.error)
        out.append(total_line(len(report.records), len(report.findings), report.counts(), failed, lang))
    return "\n".join(out).rstrip() + "\n"


def table_sections(report: Report, lang: str = "zh", *, show_passes: bool = False, localise: bool = True) -> list:
    """The lines of each record's section of the table, in record order (each section ends with
    an empty line): :func:`render_table` without the batch's total line, which a streamed batch
    (:mod:`fiscalrules.report_stream`) writes from its counts."""
    out = []
    by_record = report.findings_by_record(report.sorted_findings())
    in_report_order = report.findings_by_record()   # suspects list rules in the report's order
    for info in report.records:
        findings = by_record.get(info.id, [])
        where = [info.document] if info.document and info.document != info.id else []
        if getattr(info, "part", None):   # one of several disclosures of the file: where it stands
            first, last = info.part["lines"]
            where.append(f"{word('lines', lang)} {first}–{last}")
        title = f"{info.id} ({', '.join(where)})" if where else info.id
        out.append(f"== {terminal_text(title, newlines=True)}")
        if info.error:
            out.append(f"{word('read_error', lang)}{': ' if lang == 'en' else '：'}{translate_error(info.error, lang)}")
            out.append("")
            continue
        localised = report.localise(info.id) if localise else []
        problems = [f for f in findings if f.status in (Status.FAIL, Status.ERROR)]
        problems.sort(key=lambda f: (SEVERITY_RANK.get(f.severity, 2), STATUS_RANK[f.status], f.rule,
                                     f.item or ""))
        for f in problems:
            out.append(_failure_block(f, lang, info.document))
        if not problems:
            # a record nothing could be checked on has no problems found only because none was looked for
            out.append(word("nothing_checked" if report.nothing_checked(info, findings=findings)
                            else "no_findings", lang))
        if info.unknown_keys:
            out.append(_unknown_keys_line(info, lang))
        # The localisation replaces the suspects (figures in several failures) where it ran.
        suspects = report.suspects(info.id, findings=in_report_order.get(info.id, ())) if not localise else []
        if localised:
            out.append(f"-- {word('likely_wrong', lang)}")
            out.append(_localisation_table(localised, lang, info.document))
        if suspects:
            out.append(f"-- {word('suspects', lang)}")
            rows = [[s["label"] or s["path"], _as_printed(s["value"]) + (f" {s['unit']}" if s["unit"] else ""),
                     s["source"].short(info.document, lang) if s["source"] is not None else "",
                     ", ".join(s["rules"])] for s in suspects]
            out.append(tabulate(rows, headers=[word("figure", lang), word("value", lang), word("where", lang),
                                               word("failed_rules", lang)],
                                tablefmt="simple", disable_numparse=True, one_line=True))
        rounding = [f for f in findings if f.status == Status.ROUNDING]
        if rounding:
            out.append(f"-- {word('rounding', lang)}")
            out.append(_brief_table(rounding, lang))
        unevaluable = [f for f in findings if f.status == Status.NOT_EVALUABLE]
        if unevaluable:
            out.append(f"-- {word('not_evaluable', lang)}")
            rows = [[f.rule + (f"[{f.item}]" if f.item else ""), _title(f, lang), _missing_column(f, lang)]
                    for f in unevaluable]
            out.append(tabulate(rows, headers=[word("rule", lang), word("message", lang),
                                               "missing" if lang == "en" else "缺少"],
                                tablefmt="simple", disable_numparse=True, one_line=True))
        if show_passes:
            passes = [f for f in findings if f.status in (Status.PASS, Status.NOT_APPLICABLE)]
            if passes:
                out.append(f"-- {_status_word(Status.PASS, lang)} / {_status_word(Status.NOT_APPLICABLE, lang)}")
                out.append(_brief_table(passes, lang))
        if info.unread:
            out.append(f"-- {word('unread', lang)}")
            rows = []
            for part in info.unread:
                lines = part.get("lines") or []
                span = f"{lines[0]}–{lines[-1]}" if len(lines) > 1 and lines[0] != lines[-1] else (
                    str(lines[0]) if lines else "")
                if part.get("document"):   # (a disclosure read from several files: the file it is in)
                    span = f"{os.path.basename(str(part['document']))}:{span}"
                rows.append([part.get("section", ""), span, translate(part.get("reason", ""), lang)])
            out.append(tabulate(rows, headers=["section" if lang == "en" else "部分", word("lines", lang),
                                               "reason" if lang == "en" else "原因"],
                                tablefmt="simple", disable_numparse=True, one_line=True))
        coverage = _coverage_line(info, lang)
        if coverage:
            out.append(coverage)
        out.append(_summary_line(findings, info, lang))
        out.append("")
    # Ids, labels, titles, values and document lines come from the input: no control character in
    # them reaches the terminal (review 23 R10); the tables' cells are escaped before measuring.
    return [terminal_text(line) for line in out]


def _unknown_keys_line(info, lang: str, limit: int = 8) -> str:
    """The record's keys no declared field names -- all of them, when the record matches the
    ruleset not at all -- and, for keys that are labels, how to key the record instead."""
    keys = info.unknown_keys
    shown = ("、" if lang == "zh" else ", ").join(map(clipped, keys[:limit])) + (" …" if len(keys) > limit else "")
    colon = "：" if lang == "zh" else ": "
    text = f"-- {word('unknown_keys', lang)} ({len(keys)}){colon}{shown}"
    if info.label_keys:
        # (the label goes in as an argument: braces in it are not read as placeholders)
        text += "\n   " + word("label_keys", lang).format(clipped(info.label_keys[0]))
    return text


_TABLE_LIMIT = 5   # explanations per group in the table (every tied one is shown)


def _localisation_table(localised: list, lang: str, document: str | None) -> str:
    """Each group of failures with its explanations, best first: one line per figure to change."""
    rows = []
    for loc in localised:
        failures = _failures_text(loc.failures)
        if not loc.explanations:
            rows.append([failures, "", word(loc.reason or "not_modelled", lang), "", "", "", ""])
            continue
        shown = [e for e in loc.explanations if e.rank <= _TABLE_LIMIT or e.tied]
        for e in shown:
            rank = f"{e.rank}" if not e.tied else "1="
            for i, change in enumerate(e.changes):
                rows.append([failures if (e is shown[0] and i == 0) else "", rank if i == 0 else "",
                             change.name(lang), change.place(lang, document, " "), change._values()[0],
                             change.suggested_text(lang), _note(change, e, lang)])
        hidden = len(loc.explanations) - len(shown) + loc.more
        if hidden:
            rows.append(["", "", word("more_explanations", lang).format(n=hidden), "", "", "", ""])
    headers = [word("failed_rules", lang), word("likelihood", lang), word("figure", lang), word("where", lang),
               word("printed", lang), word("suggested", lang), word("why", lang)]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, one_line=True)


def _failures_text(failures: tuple, limit: int = 6) -> str:
    """The failures of a group, rows of one rule together: ``TXT-001[9, 11, 13 …] (33)``."""
    by_rule: dict = {}
    for label in failures:
        rule, _, item = label.partition("[")
        by_rule.setdefault(rule, []).append(item.rstrip("]"))
    parts = []
    for rule, items in by_rule.items():
        items = [i for i in items if i]
        if not items:
            parts.append(rule)
        elif len(items) <= 3:
            parts.append(f"{rule}[{', '.join(items)}]")
        else:
            parts.append(f"{rule}[{', '.join(items[:3])} …] ({len(items)})")
    return ", ".join(parts[:limit]) + (f", … (+{len(parts) - limit})" if len(parts) > limit else "")


def _note(change, explanation, lang: str) -> str:
    """The slip a change would undo; for a partial explanation, which failures it resolves."""
    note = change.slip_note(lang)
    if explanation.fixes and change is explanation.changes[0]:
        fixes = ("只解释 " if lang == "zh" else "explains only ") + ", ".join(explanation.fixes)
        note = f"{note}; {fixes}" if note else fixes
    return note


def _title(f, lang: str) -> str:
    return (f.title_en if lang == "en" and f.title_en else f.title) or f.rule


def _brief_table(findings, lang: str) -> str:
    rows = []
    for f in findings:
        rows.append([f.rule + (f"[{f.item}]" if f.item else ""), _title(f, lang), _side(f.left, f.unit),
                     _side(f.right, f.unit),
                     format_amount(f.difference) if f.difference is not None else "",
                     ("±" + format_amount(f.tolerance)) if f.tolerance is not None else ""])
    headers = [word("rule", lang), word("message", lang), word("left", lang), word("right", lang),
               word("difference", lang), word("tolerance", lang)]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, one_line=True)


def total_line(records: int, items: int, counts: Mapping[str, int], failed_docs: int, lang: str) -> str:
    """The batch's total line of the table: records, findings, and how many of each status."""
    parts = [f"{word('record', lang)} {records}", f"{word('items', lang)} {items}"]
    parts += [f"{_status_word(s, lang)} {counts.get(s, 0)}" for s in STATUS_WORDS if counts.get(s, 0)]
    if failed_docs:
        parts.append(f"{word('read_error', lang)} {failed_docs}")
    return f"{word('summary', lang)}: " + (", " if lang == "en" else "，").join(parts)


def _coverage_line(info, lang: str) -> str | None:
    """What share of the printed figures the reader read (records made by a reader only)."""
    coverage = getattr(info, "coverage", None)
    try:
        figures, lines = coverage["figures"], coverage["lines"]
        return word("coverage", lang).format(
            read=int(figures["read"]), printed=int(figures["printed"]), lines=int(lines["with_amounts"]),
            lines_read=int(lines["read"]), listed=int(lines["unread"]), silent=int(lines["silent"]))
    except (TypeError, KeyError, ValueError):
        return None         # no coverage, or not in the shape a reader writes


def _summary_line(findings, info, lang: str) -> str:
    counts = {s: 0 for s in STATUS_WORDS}
    for f in findings:
        counts[f.status] += 1
    parts = [f"{word('items', lang)} {len(findings)}"]
    parts += [f"{_status_word(s, lang)} {n}" for s, n in counts.items() if n or s in ("pass", "fail")]
    if info.unread:
        parts.append(f"{word('unread', lang).split('（')[0].split(' (')[0]} {len(info.unread)}")
    return f"{word('summary', lang)} {terminal_text(info.id, newlines=True)}: " + (", " if lang == "en" else "，").join(parts)


def _json_value(value):
    """Decimals that reach JSON from records (JSON numbers are read as Decimal, e.g. the line
    numbers of ``_meta.unread``): whole ones as integers, others as exact decimal text."""
    if isinstance(value, Decimal):
        # whole and short: an integer (int() of 1E+5000 would be a number no JSON writer prints)
        return int(value) if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 18 \
            else format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _suspect_dict(suspect: dict) -> dict:
    source = suspect["source"]
    return {"path": suspect["path"], "label": suspect["label"], "value": _as_printed(suspect["value"]),
            "unit": suspect["unit"], "failures": suspect["failures"], "passes": suspect["passes"],
            "rules": suspect["rules"],
            "source": {k: v for k, v in fields_dict(source).items() if v is not None} if source else None}


@in_library_context
def render_json(report: Report, lang: str = "zh", *, localise: bool = True) -> str:
    localised = report.localise() if localise else []
    grouped = report.findings_by_record()
    documents = {info.id: info.document for info in report.records}
    data = {
        "ruleset": report.ruleset,
        "summary": report.summary(),
        "records": [json_record_entry(report, r, grouped) for r in report.records],
        "localisation": [loc.to_dict() for loc in localised],
        "findings": [finding_dict(f, documents.get(f.record)) for f in report.sorted_findings()],
    }
    return dumps_indented(data, _json_value) + "\n"   # json.dumps(indent=2)'s text, faster


def _missing_column(f, lang: str) -> str:
    """What a not-evaluable finding lacks: in Chinese as its message names it (by labels,
    messages.missing_words: the ruleset that knows them made the message), else its paths."""
    if lang == "zh":
        said = f.message.rpartition(NOT_EVALUABLE_ZH)[2]
        if said:
            return said
    return ("、" if lang == "zh" else ", ").join(f.missing)


def finding_dict(finding, document: str | None) -> dict:
    """A finding as JSON and JSON Lines write it: ``Finding.to_dict()`` with, after its record,
    the record's *document* (the ``records`` entry's: the audited document, the table file, None
    for a record of a record file) -- so a streamed line, which has no ``records`` beside it,
    says which document it is of, and two documents giving the same record id are told apart."""
    data = finding.to_dict()
    out = {"record": data.pop("record"), "document": document, **data}
    if not out["reason"]:   # (passes, failures: nothing to add, no key-by-key copy)
        return out
    # ``reason`` stays the English phrase programs match on (as Finding.reason); its Chinese
    # right after it, as ``message`` has ``message_en``: a Chinese reader needs both.
    keys = list(out)
    at = keys.index("reason") + 1
    zh = translate(out["reason"], "zh")
    return {**{k: out[k] for k in keys[:at]}, "reason_zh": zh, **{k: out[k] for k in keys[at:]}}


def _unread_entries(unread: list[dict]) -> list[dict]:
    """A record's ``_meta.unread`` entries with each reason's Chinese (``reason_zh``) beside it."""
    return [{**part, "reason_zh": translate(part["reason"], "zh")} if isinstance(part, dict) and part.get("reason")
            else part for part in unread or ()]


def json_record_entry(report: Report, r, grouped: dict | None = None) -> dict:
    """A record's entry in the JSON report's ``records`` (its suspects from *report*'s findings,
    or from *grouped*, :meth:`Report.findings_by_record`, when the caller has it)."""
    findings = None if grouped is None else grouped.get(r.id, ())
    return {"id": r.id, "document": r.document, "unread": _unread_entries(r.unread), "error": r.error,
            **({"error_zh": translate_error(r.error, "zh")} if r.error else {}),
            "unknown_keys": r.unknown_keys, "label_keys": r.label_keys,
            "nothing_checked": not r.error and report.nothing_checked(r, findings=findings),
            "suspects": [_suspect_dict(s) for s in report.suspects(r.id, findings=findings)],
            **({"coverage": r.coverage} if r.coverage is not None else {}),
            **({"part": r.part} if getattr(r, "part", None) else {})}


@in_library_context
def render_jsonl(report: Report, lang: str = "zh", *, localise: bool = True) -> str:
    buffer = io.StringIO()
    write_jsonl(report, buffer, lang, localise=localise)
    return buffer.getvalue()


@in_library_context
def write_jsonl(report: Report, out, lang: str = "zh", *, localise: bool = True, forget: bool = False) -> None:
    """:func:`render_jsonl` written to the text stream *out* a line at a time: a record of a
    million table rows has as many findings, whose lines are not all held at once.  With
    *forget*, each finding lets go of its worked-out details once written (a streamed batch)."""
    import json   # (here: the json package, ~6 M instructions to import, is not on a table audit's way)
    localised = report.localise() if localise else []
    documents = {info.id: info.document for info in report.records}
    for f in report.sorted_findings():
        out.write(json.dumps(finding_dict(f, documents.get(f.record)), ensure_ascii=False, default=_json_value) + "\n")
        if forget:
            f.forget_details()
    for loc in localised:
        out.write(json.dumps({"status": "localisation", **loc.to_dict()}, ensure_ascii=False) + "\n")
    for r in report.records:
        if r.error:
            out.write(json.dumps({"record": r.id, "document": r.document, "status": "read_error", "reason": r.error,
                                 "reason_zh": translate_error(r.error, "zh")},
                                 ensure_ascii=False) + "\n")


# ``document`` last: a spreadsheet reading the columns by position before it was added reads them still.
CSV_COLUMNS = ["record", "rule", "item", "severity", "status", "message", "left", "right", "difference",
               "tolerance", "unit", "missing", "figures", "suspects", "document"]

#: Excel on Chinese Windows reads a CSV without a byte-order mark as GBK and garbles it.
CSV_BOM = "\ufeff"


#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list), and the
#: full-width forms a Chinese spreadsheet takes for them too (＝SUM(..) typed with a Chinese input
#: method is a formula in Excel and WPS).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet shows, never runs: a text starting as a formula does
    (``=HYPERLINK(..)``, ``@SUM(..)``, ``-2+3+cmd|..``, a leading tab or CR, full-width ``＝``
    ``＋`` ``－`` ``＠``) gets a leading ``'`` (OWASP's remedy); a plain number (``-1.00``) is left a
    number.  A control character (a NUL) is written as its escape (``\\x00``)."""
    text = "" if value is None else str(value)
    # (controls a spreadsheet would act on or cut a cell at -- a NUL ends a cell in C-string
    # readers -- as escapes, as the HTML page writes them; quoted, a tab and line breaks stay)
    if not text.isprintable() and _DOCUMENT_CONTROLS.search(text):
        text = _DOCUMENT_CONTROLS.sub(_escape, text)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class _CellWriter:
    """A csv writer whose every cell goes through :func:`csv_cell` (record ids, labels, messages,
    values and paths come from the records and rule files: any may start as a formula)."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row) -> None:
        self._writer.writerow([csv_cell(c) for c in row])


def _side_csv(side, unit) -> str:
    if side is None or side.value is None:
        return ""
    if isinstance(side.value, Decimal):
        return format_amount(side.value, 2 if unit in MONEY_UNITS else 0)
    return str(side.value)


@in_library_context
def render_csv(report: Report, lang: str = "zh", *, localise: bool = True) -> str:
    """One row per finding, for spreadsheets: a UTF-8 byte-order mark first, figures as printed
    (8.60 stays 8.60), money with two decimals, and in ``suspects`` the finding's figures that
    :meth:`Report.suspects` ranks most likely at fault; then the localisation, one
    ``likely_wrong`` row per figure to change."""
    localised = report.localise() if localise else []
    buffer = io.StringIO()
    buffer.write(CSV_BOM)
    import csv  # only for --format csv
    writer = _CellWriter(csv.writer(buffer, lineterminator="\n"))
    writer.writerow(CSV_COLUMNS)
    # by the records of the findings: a streamed batch writes findings without their RecordInfo
    suspects = {rid: {s["path"] for s in report.suspects(rid, findings=findings)}
                for rid, findings in report.findings_by_record().items()}
    documents = {info.id: info.document for info in report.records}
    for f in report.sorted_findings():
        figures = "; ".join(f"{o.path}={o.printed or _as_printed(o.value)}"
                            + (f"@{o.source.line}" if o.source is not None and o.source.line else "")
                            for o in f.operands)
        suspected = [o.path for o in f.operands if o.path in suspects.get(f.record, ())]
        money = 2 if f.unit in MONEY_UNITS else 0
        writer.writerow([f.record, f.rule, f.item or "", f.severity, f.status, f.text(lang),
                         _side_csv(f.left, f.unit), _side_csv(f.right, f.unit),
                         format_amount(f.difference, money) if f.difference is not None else "",
                         format_amount(f.tolerance, money) if f.tolerance is not None else "",
                         f.unit or "", " ".join(f.missing), figures, " ".join(dict.fromkeys(suspected)),
                         documents.get(f.record) or ""])
    for loc in localised:
        _localisation_rows(writer, loc, lang, documents.get(loc.record) or "")
    for r in report.records:
        if r.error:
            writer.writerow([r.id, "", "", "error", "read_error", translate_error(r.error, lang)]
                            + [""] * (len(CSV_COLUMNS) - 7) + [r.document or ""])
    return buffer.getvalue()


def _localisation_rows(writer, loc, lang: str, document: str = "") -> None:
    """A group's explanations as CSV rows of status ``likely_wrong``, one per figure to change:
    the failures it explains (rule), its rank (item), the change in words (message), the
    printed and suggested values (left, right) and the figure with its line (figures)."""
    failures = " ".join(loc.failures)
    if not loc.explanations:
        writer.writerow([loc.record, failures, "", "", "not_localised", word(loc.reason or "not_modelled", lang)]
                        + [""] * (len(CSV_COLUMNS) - 7) + [document])
        return
    for e in loc.explanations:
        rank = f"{e.rank}" if not e.tied else "1="
        for change in e.changes:
            line = change.source.line if change.source is not None and change.source.line else None
            figure = change.path + ("" if change.meta == "value" else f"/{change.meta}") + (f"@{line}" if line else "")
            writer.writerow([loc.record, failures, rank, "", "likely_wrong", change.text(lang),
                             format(change.printed, "f"), format(change.suggested, "f"),
                             format(change.suggested - change.printed, "f"), "", change.unit or "", "", figure, "",
                             document])
