"""Reporters: a Report as an aligned table (CJK-aware), JSON, JSON Lines or CSV.

The table is for people: failures first by severity, each with both sides, the difference, the
tolerance allowed and every figure involved with the line it was printed on; rounding-only
differences listed apart and never counted as failures; a summary line per record; and the parts
of each document that were not read.  JSON, JSON Lines and CSV are for programs and carry every
finding (passes included) in the report's deterministic order.
"""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from .findings import SEVERITY_RANK, STATUS_RANK, Report, Status
from .messages import STATUS_WORDS, format_amount, word

__all__ = ["render_table", "render_json", "render_jsonl", "render_csv", "FORMATS"]

FORMATS = ("table", "json", "jsonl", "csv")


def _status_word(status: str, lang: str) -> str:
    zh, en = STATUS_WORDS.get(status, (status, status))
    return en if lang == "en" else zh


def _side(side, unit) -> str:
    if side is None:
        return ""
    text = format_amount(side.value)
    if unit and side.lo is not None:
        text += "%" if unit == "%" else f" {unit}"
    return text


def _figures(finding, lang: str, limit: int = 12) -> str:
    lines = []
    for op in finding.operands[:limit]:
        label = op.label or op.path
        value = format_amount(op.value)
        unit = ("%" if op.unit == "%" else f" {op.unit}") if op.unit else ""
        where = ""
        if op.source is not None:
            where = op.source.short()
            if op.source.text:
                excerpt = op.source.text.replace("\n", " ")
                excerpt = excerpt if len(excerpt) <= 40 else excerpt[:39] + "…"
                where = f"{where}: {excerpt}" if where else excerpt
        extra = ""
        if op.change is not None:
            extra = f" ({'变动' if lang == 'zh' else 'change'} {format_amount(op.change)})"
        lines.append(f"{label} = {value}{unit}{extra}" + (f"  [{where}]" if where else ""))
    if len(finding.operands) > limit:
        lines.append(f"… +{len(finding.operands) - limit}")
    return "\n".join(lines)


def render_table(report: Report, lang: str = "zh", *, show_passes: bool = False) -> str:
    out = []
    by_record: dict = {}
    for f in report.sorted_findings():
        by_record.setdefault(f.record, []).append(f)
    for info in report.records:
        findings = by_record.get(info.id, [])
        title = info.id if not info.document or info.document == info.id else f"{info.id} ({info.document})"
        out.append(f"== {title}")
        if info.error:
            out.append(f"{word('read_error', lang)}: {info.error}")
            out.append("")
            continue
        problems = [f for f in findings if f.status in (Status.FAIL, Status.ERROR)]
        problems.sort(key=lambda f: (SEVERITY_RANK.get(f.severity, 2), STATUS_RANK[f.status], f.rule))
        if problems:
            out.append(_findings_table(problems, lang, detailed=True))
        rounding = [f for f in findings if f.status == Status.ROUNDING]
        if rounding:
            out.append(f"-- {word('rounding', lang)}")
            out.append(_findings_table(rounding, lang, detailed=False))
        unevaluable = [f for f in findings if f.status == Status.NOT_EVALUABLE]
        if unevaluable:
            out.append(f"-- {word('not_evaluable', lang)}")
            rows = [[f.rule + (f"[{f.item}]" if f.item else ""), f.title_en if lang == "en" and f.title_en else f.title,
                     "、".join(f.missing) if lang == "zh" else ", ".join(f.missing)] for f in unevaluable]
            out.append(tabulate(rows, headers=[word("rule", lang), word("message", lang), "missing" if lang == "en" else "缺少"],
                                tablefmt="simple", disable_numparse=True))
        if show_passes:
            passes = [f for f in findings if f.status == Status.PASS]
            if passes:
                out.append(f"-- {_status_word(Status.PASS, lang)}")
                out.append(_findings_table(passes, lang, detailed=False))
        if info.unread:
            out.append(f"-- {word('unread', lang)}")
            for part in info.unread:
                lines = part.get("lines") or []
                span = f"{lines[0]}–{lines[-1]}" if lines else ""
                out.append(f"  {part.get('section', '')} ({word('lines', lang)} {span}): {part.get('reason', '')}")
        out.append(_summary_line(findings, info, lang))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _findings_table(findings, lang: str, detailed: bool) -> str:
    rows = []
    for f in findings:
        rule = f.rule + (f"[{f.item}]" if f.item else "")
        status = f"{_status_word(f.status, lang)}/{word(f.severity, lang)}"
        message = f.text(lang)
        if f.suggestion and detailed:
            message += f"\n{word('suggestion', lang)}: {f.suggestion}"
        row = [rule, status, _wrap(message, 48), _side(f.left, f.unit), _side(f.right, f.unit),
               format_amount(f.difference) if f.difference is not None else "",
               format_amount(f.tolerance) if f.tolerance is not None else ""]
        if detailed:
            row.append(_figures(f, lang))
        rows.append(row)
    headers = [word("rule", lang), word("status", lang), word("message", lang), word("left", lang),
               word("right", lang), word("difference", lang), word("tolerance", lang)]
    if detailed:
        headers.append(word("figures", lang))
    return tabulate(rows, headers=headers, tablefmt="grid", disable_numparse=True)


def _wrap(text: str, width: int) -> str:
    """Wrap by display width (a CJK character is two columns) so grid cells stay readable."""
    import unicodedata
    out_lines = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for ch in paragraph:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if used + w > width:
                out_lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        out_lines.append(line)
    return "\n".join(out_lines)


def _summary_line(findings, info, lang: str) -> str:
    counts = {s: 0 for s in STATUS_WORDS}
    for f in findings:
        counts[f.status] += 1
    parts = [f"{word('items', lang)} {len(findings)}"]
    parts += [f"{_status_word(s, lang)} {n}" for s, n in counts.items() if n or s in ("pass", "fail")]
    if info.unread:
        parts.append(f"{word('unread', lang).split('（')[0].split(' (')[0]} {len(info.unread)}")
    return f"{word('summary', lang)} {info.id}: " + (", " if lang == "en" else "，").join(parts)


def render_json(report: Report, lang: str = "zh") -> str:
    data = {
        "ruleset": report.ruleset,
        "summary": report.summary(),
        "records": [{"id": r.id, "document": r.document, "unread": r.unread, "error": r.error}
                    for r in report.records],
        "findings": [f.to_dict() for f in report.sorted_findings()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(report: Report, lang: str = "zh") -> str:
    lines = [json.dumps(f.to_dict(), ensure_ascii=False) for f in report.sorted_findings()]
    for r in report.records:
        if r.error:
            lines.append(json.dumps({"record": r.id, "status": "read_error", "reason": r.error}, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


CSV_COLUMNS = ["record", "rule", "item", "severity", "status", "message", "left", "right", "difference",
               "tolerance", "unit", "missing", "figures"]


def render_csv(report: Report, lang: str = "zh") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in report.sorted_findings():
        figures = "; ".join(f"{o.path}={format_amount(o.value)}"
                            + (f"@{o.source.line}" if o.source is not None and o.source.line else "")
                            for o in f.operands)
        writer.writerow([f.record, f.rule, f.item or "", f.severity, f.status, f.text(lang),
                         format_amount(f.left.value) if f.left else "",
                         format_amount(f.right.value) if f.right else "",
                         format_amount(f.difference) if f.difference is not None else "",
                         format_amount(f.tolerance) if f.tolerance is not None else "",
                         f.unit or "", " ".join(f.missing), figures])
    for r in report.records:
        if r.error:
            writer.writerow([r.id, "", "", "error", "read_error", r.error] + [""] * 7)
    return buffer.getvalue()
