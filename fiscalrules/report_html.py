"""The HTML report: one self-contained page an auditor opens in a browser.

For each record: its coverage (rules checked, passed, failed, not checkable; parts of the
document not read), the failing findings grouped by severity -- both sides, the difference, the
allowance, the suggestion and every figure with a link to where it was printed -- the figures
most likely at fault, what could not be checked and why, and the document itself: its text line
by line (or, for a PDF whose figures carry ``page`` and ``box``, each page with the figures'
boxes drawn where they were printed), every figure of a failing finding highlighted and linked
back to its findings.  Chinese first, English with ``lang="en"``.

This module builds a plain view model; the page is the Jinja2 template
``templates/report.html.j2`` shipped as package data (autoescaped: document text is data).  No
script, font or style sheet is fetched from anywhere: the file works offline and as an e-mail
attachment.  Jinja2 is imported only here (``pip install "fiscalrules[html]"``).
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any

from .errors import _DOCUMENT_CONTROLS, _escape, clipped
from .findings import SEVERITY_RANK, STATUS_RANK, Status, printed_at
from .inputs.allowed import documents_read_from, may_read
from .messages import STATUS_WORDS, format_amount, severity_word, word
from .translations import translate, translate_error
from .values import MONEY_UNITS, in_library_context

if TYPE_CHECKING:  # pragma: no cover
    from .findings import Finding, RecordInfo, Report

__all__ = ["render_html", "TEMPLATE"]

TEMPLATE = "templates/report.html.j2"

# A page is read by a person: past this many failing findings of one record (and as many rounding
# passes, uncheckable rules and localisation groups) the rest are counted by rule, not drawn -- one
# record with 20,000 failing rows made a 26 MB page (review 25).  The JSON, CSV and SARIF outputs
# list every finding.
SHOWN_PER_RECORD = 500

_WORDS = {  # words of the page itself (messages and statuses come from .messages)
    "title": ("预算公开一致性核对报告", "Budget disclosure consistency report"),
    "generated": ("生成时间", "generated"),
    "ruleset": ("规则集", "ruleset"),
    "coverage": ("核对范围", "coverage"),
    "checked": ("已核对", "checked"),
    "rules_run": ("规则项", "rule items"),
    "document": ("文档原文", "document"),
    "page": ("第{n}页", "page {n}"),
    "no_text": ("找不到文档原文，只列出数字所在的位置。", "The document's text was not found; only where the figures were printed is shown."),
    "figure_in": ("所在位置", "printed at"),
    "findings_of_figure": ("涉及此数字的不一致", "failures involving this figure"),
    "left_side": ("左边", "left"),
    "right_side": ("右边", "right"),
    "allowance": ("允许误差", "allowance"),
    "show_in_document": ("在原文中查看", "show in the document"),
    "passes": ("通过", "passed"),
    "none": ("无", "none"),
    "unread_none": ("全部读取", "everything was read"),
    "severity": ("严重程度", "severity"),
    "record_error": ("无法读取", "could not be read"),
    "skip": ("跳到", "go to"),
    "missing": ("缺少", "missing"),
    "reason": ("原因", "reason"),
    "lines": ("行", "lines"),
    "not_shown": ("另有 {n} 项未在此页列出（JSON、CSV 或 SARIF 输出列出全部）", "{n} more not listed on this page (the JSON, CSV or SARIF output lists them all)"),
}


def _w(key: str, lang: str, **fill: Any) -> str:
    zh, en = _WORDS.get(key, (None, None))
    text = (en if lang == "en" else zh) if zh is not None else word(key, lang)
    return text.format(**fill) if fill else text


def _amount(value: Any, unit: str | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        return clipped(str(value))   # (a text cell of megabytes: its ends, as messages quote it)
    text = format_amount(value, 2 if unit in MONEY_UNITS else 0)
    return f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text


def _read_document(path: str | None, documents: Mapping[str, str] | None) -> str | None:
    if not path:
        return None
    if documents:
        for key in (path, os.path.basename(path)):
            if key in documents:
                return documents[key]
    # Only a disclosure is read from disk: a record's document is data, and "/etc/passwd" or a
    # table file (a Parquet file's bytes) went into the page whole -- a page made to be sent
    # (review 23 R18).  A text disclosure (.txt) as it is; a PDF is drawn page by page instead.
    if not may_read(path) or path.lower().endswith(".pdf"):
        return None
    suffix = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):   # (a document read from a zip archive: read from it again, if of its form)
        begins = _WRITTEN_FORMS.get(suffix, (b"",) if suffix == ".txt" else None)
        data = _member_bytes(path) if begins else None
        return _text_lines(data, path) if data is not None and data.startswith(begins) else None
    if suffix in _WRITTEN_FORMS:
        return _written_text(path, _WRITTEN_FORMS[suffix])
    if suffix != ".txt":
        return None
    try:
        from .inputs.pathnames import FilePath   # (a path, even one with a line break in it)
        from .inputs.source import load_source  # the readers' own decoding (UTF-8, UTF-16, GB18030)
        return load_source(FilePath(path)).text
    except Exception:  # noqa: BLE001 - a report is still written without the text
        from .inputs.bounded import MAX_DOCUMENT_BYTES, InputRefused, read_bounded
        try:
            return read_bounded(path, MAX_DOCUMENT_BYTES, what="disclosure").decode("utf-8-sig", errors="replace")
        except InputRefused:
            return None


class _Record:
    """The view of one record: findings by severity, figures, document lines or pages."""

    def __init__(self, report: Report, info: RecordInfo, number: int, lang: str,
                 documents: Mapping[str, str] | None, findings: list[Finding], in_report_order: list[Finding]):
        """*findings*: the record's findings as :meth:`Report.sorted_findings` orders them;
        *in_report_order*: the same as :meth:`Report.findings_by_record` groups them (what
        suspects and nothing_checked take) -- both worked out once for the whole report."""
        self.lang = lang
        self.info = info
        self.key = f"r{number}"
        self.counts = {s: 0 for s in STATUS_WORDS}
        for f in findings:
            self.counts[f.status] = self.counts.get(f.status, 0) + 1
        problems = sorted((f for f in findings if f.status in (Status.FAIL, Status.ERROR)),
                          key=lambda f: (SEVERITY_RANK.get(f.severity, 2), STATUS_RANK[f.status], f.rule, f.item or ""))
        self.figures: dict[str, dict[str, Any]] = {}      # figure key → its view, with the findings involving it
        self.findings = [self._finding(f, i) for i, f in enumerate(problems[:SHOWN_PER_RECORD], start=1)]
        self.not_shown = _not_shown(problems)
        self.groups = []
        for severity in ("error", "warning", "info"):
            members = [v for v in self.findings if v["severity"] == severity]
            count = sum(1 for f in problems if f.severity == severity)
            if count:   # (its heading counts them all, also when none of them is drawn)
                self.groups.append({"severity": severity, "word": severity_word(severity, lang), "findings": members,
                                    "count": count})
        rounding = [f for f in findings if f.status == Status.ROUNDING]
        unevaluable = [f for f in findings if f.status == Status.NOT_EVALUABLE]
        self.rounding = [self._brief(f) for f in rounding[:SHOWN_PER_RECORD]]
        self.unevaluable = [self._brief(f) for f in unevaluable[:SHOWN_PER_RECORD]]
        self.rounding_count, self.unevaluable_count = len(rounding), len(unevaluable)
        self.rounding_not_shown, self.unevaluable_not_shown = _not_shown(rounding), _not_shown(unevaluable)
        self.likely = self._likely_wrong(report)
        self.suspects = [] if self.likely else [{"label": s["label"] or s["path"], "value": _printed(s["value"], s["unit"]),
                          "where": s["source"].short(None, lang) if s["source"] is not None else "",
                          "anchor": self._figure_anchor(s["path"]), "rules": ", ".join(s["rules"])}
                         for s in report.suspects(info.id, findings=in_report_order)]
        self.unread = [{"section": part.get("section", ""), "lines": part.get("lines") or [],
                        "document": part.get("document"), "reason": translate(part.get("reason", ""), lang)}
                       for part in info.unread]
        self.nothing_checked = report.nothing_checked(info, findings=in_report_order)
        checked = sum(self.counts.get(s, 0) for s in (Status.PASS, Status.ROUNDING, Status.FAIL, Status.ERROR))
        self.checked, self.total = checked, len(findings)
        self.text = _read_document(info.document, documents)
        if self.text is not None:
            files, self.lines, drawn = {info.document: self.key}, self._lines(self.text, self.figures.values(), self.key), []
        else:   # (a disclosure read from several files, `audit --together`: each file in turn)
            files, self.lines, drawn = self._files_lines(documents)
        for part in self.unread:   # (where an unread part's lines are: its file's text)
            prefix = files.get(part["document"] or info.document) if self.lines else None
            part["anchor"] = f"{prefix}-L{part['lines'][0]}" if prefix and part["lines"] else None
        shown = {id(part["figure"]) for line in self.lines for part in line["parts"] if part.get("figure")}
        shown |= {id(figure) for page in drawn for figure in page["figures"]}
        pdf = _open_pdf(info.document) if not self.lines and not drawn else None
        if pdf is not None:
            self.pages = self._pdf_pages(pdf, self.figures.values(), self.key)
        elif self.text is None:   # (a joined record's PDF parts, then the figures shown nowhere, by page)
            self.pages = drawn + self._pages([figure for figure in self.figures.values() if id(figure) not in shown], files)
        else:
            self.pages = []

    # -- findings and their figures
    def _finding(self, f: Finding, number: int) -> dict[str, Any]:
        anchor = f"{self.key}-f{number}"
        figures = []
        for op in f.operands:
            key = self._figure_key(op)
            figure = self.figures.setdefault(key, {
                "anchor": f"{self.key}-fig{len(self.figures) + 1}", "label": op.label or op.path, "path": op.path,
                "printed": op.printed or _plain(op.value), "unit": op.unit, "source": op.source,
                "shown": clipped(op.printed or _plain(op.value)),   # (what the page shows of a long text)
                "excerpt": clipped(op.source.text or "", 200) if op.source is not None else "",
                "line": op.source.line if op.source is not None else None,
                "document": getattr(op.source, "document", None),
                "page": getattr(op.source, "page", None), "box": getattr(op.source, "box", None),
                "findings": [], "severity": f.severity})
            if anchor not in [x["anchor"] for x in figure["findings"]]:
                figure["findings"].append({"anchor": anchor, "rule": f.rule + (f"[{f.item}]" if f.item else "")})
            if SEVERITY_RANK.get(f.severity, 2) < SEVERITY_RANK.get(figure["severity"], 2):
                figure["severity"] = f.severity
            figures.append({"anchor": figure["anchor"], "label": figure["label"],
                            "value": _printed(op.printed or op.value, op.unit),
                            "where": printed_at(op, self.info.document, self.lang),
                            "excerpt": clipped(" ".join((op.source.text or "").split()), 200) if op.source is not None else ""})
        left, right = f.left, f.right
        return {
            "anchor": anchor, "rule": f.rule, "item": f.item, "severity": f.severity, "status": f.status,
            "status_word": STATUS_WORDS.get(f.status, (f.status, f.status))[1 if self.lang == "en" else 0],
            "title": (f.title_en or f.title if self.lang == "en" else f.title) or f.rule,
            "message": f.text(self.lang),
            "left": {"expression": left.expression, "value": _amount(left.value, f.unit)} if left is not None else None,
            "right": {"expression": right.expression, "value": _amount(right.value, f.unit)} if right is not None else None,
            "difference": _amount(f.difference, f.unit) if f.difference is not None else None,
            "tolerance": ("±" + _amount(f.tolerance, f.unit)) if f.tolerance is not None else None,
            "suggestion": f.suggestion_text(self.lang) if hasattr(f, "suggestion_text") else f.suggestion,
            "figures": figures, "tags": list(f.tags),
        }

    def _likely_wrong(self, report: Report) -> list[dict[str, Any]]:
        """The report's localisation of this record (``Report.localise``): for each group of
        failures, the figures most likely wrong and what they should be, best first, each figure
        linked to where it was printed and each failure to its finding.  Empty where the report
        has no localisation."""
        localise = getattr(report, "localise", None)
        if not callable(localise):
            return []
        try:
            localised = localise(self.info.id)
        except Exception:  # noqa: BLE001 - the report is still written without it
            return []
        by_failure = {f["rule"] + (f"[{f['item']}]" if f["item"] else ""): f["anchor"] for f in self.findings}
        groups = []
        self.likely_more = max(0, len(localised) - SHOWN_PER_RECORD)
        for loc in localised[:SHOWN_PER_RECORD]:
            explanations = []
            for e in loc.explanations:
                if not (e.rank <= 5 or e.tied):
                    continue
                changes = []
                for change in e.changes:
                    changes.append({"name": change.name(self.lang),
                                    "where": change.place(self.lang, self.info.document, " "),
                                    "old": change._values()[0], "new": change.suggested_text(self.lang),
                                    "note": change.slip_note(self.lang), "anchor": self._figure_anchor(change.path)})
                explanations.append({"rank": "1=" if e.tied else str(e.rank), "changes": changes,
                                     "fixes": ", ".join(getattr(e, "fixes", ()) or ())})
            groups.append({"failures": [{"label": label, "anchor": by_failure.get(label)} for label in loc.failures],
                           "explanations": explanations, "more": loc.more,
                           "reason": word(loc.reason, self.lang) if loc.reason else ""})
        return groups

    def _brief(self, f: Finding) -> dict[str, Any]:
        return {"rule": f.rule + (f"[{f.item}]" if f.item else ""), "title": (f.title_en or f.title if self.lang == "en"
                                                                            else f.title) or f.rule,
                "message": f.text(self.lang), "missing": ("、" if self.lang == "zh" else ", ").join(f.missing)}

    @staticmethod
    def _figure_key(op: Any) -> str:
        source = op.source
        where = (getattr(source, "page", None), source.line, getattr(source, "box", None)) if source is not None else ()
        return f"{op.path}|{where}"

    def _figure_anchor(self, path: str) -> str | None:
        return next((fig["anchor"] for fig in self.figures.values() if fig["path"] == path), None)

    # -- the document
    def _lines(self, text: str, figures, prefix: str) -> list[dict[str, Any]]:
        """*text* line by line (anchored ``PREFIX-LN``), each of *figures* (of failing findings)
        wrapped where it was printed (the printed value found on its line; the whole line marked
        when it is not found)."""
        by_line: dict[int, list[dict[str, Any]]] = {}
        for figure in figures:
            if figure["line"]:
                by_line.setdefault(int(figure["line"]), []).append(figure)
        lines = []
        first, last = self._span()
        for number, line in enumerate(text.splitlines(), start=1):
            if not first <= number <= last:   # (another disclosure of the file: its own record's)
                continue
            marked = by_line.get(number, [])
            lines.append({"number": number, "anchor": f"{prefix}-L{number}",
                          "parts": _mark(line, marked), "marked": bool(marked), "file": False})
        return lines

    def _files_lines(self, documents: Mapping[str, str] | None) -> tuple[dict[str, str], list, list]:
        """A record read from several files (``read_together``: its document named ``a.txt + b.pdf``):
        each file its failing figures or unread parts were printed in, in the order its name lists
        them -- a text under a heading line naming it, a PDF's pages drawn -- as the files' anchors
        by path, the lines and the pages."""
        named = [name.strip() for name in (self.info.document or "").split(" + ")]
        if len(named) < 2:
            return {}, [], []
        found = {figure["document"] for figure in self.figures.values() if figure["document"]}
        found |= {part["document"] for part in self.unread if part["document"]}

        def order(path: str) -> tuple[int, str]:
            name = os.path.basename(path)
            return (named.index(name) if name in named else len(named), path)

        files, lines, pages = {}, [], []
        for number, path in enumerate(sorted(found, key=order), start=1):
            files[path] = prefix = f"{self.key}-F{number}"
            mine = [figure for figure in self.figures.values() if figure["document"] == path]
            text = _read_document(path, documents)
            if text is None:   # (a PDF drawn page by page; a file not at hand: its figures listed by page)
                pdf = _open_pdf(path)
                pages += self._pdf_pages(pdf, mine, prefix, os.path.basename(path)) if pdf is not None else []
                continue
            lines.append({"number": "", "anchor": prefix, "parts": [{"text": os.path.basename(path), "figure": None}],
                          "marked": False, "file": True})
            lines += self._lines(text, mine, prefix)
        return files, lines, pages

    def _span(self) -> tuple[int, float]:
        """The lines of the document this record was read from: all of them, or one disclosure's
        of a file holding several (``RecordInfo.part``)."""
        part = getattr(self.info, "part", None)
        return (part["lines"][0], part["lines"][1]) if part else (1, float("inf"))

    def _pdf_pages(self, document: Any, figures, prefix: str, file: str | None = None) -> list[dict[str, Any]]:
        """Each page of a PDF as read by the document model (pages with their size, lines with
        their words and character boxes): every word placed where it was printed, and *figures*
        (of failing findings) boxed over them; pages anchored ``PREFIX-pN``, named by *file*
        (one of the files of a record read from several)."""
        figures_by_page: dict[int, list[dict[str, Any]]] = {}
        for figure in figures:
            if figure["page"] is not None and figure["box"] is not None and len(figure["box"]) == 4:
                figures_by_page.setdefault(int(figure["page"]), []).append(figure)
        out = []
        first, last = self._span()
        for page in document.pages:
            if page.last < first or page.first > last:   # (another disclosure of the file)
                continue
            words = []
            for line in document.lines[page.first - 1:page.last]:
                if getattr(line, "page", page.number) != page.number or not first <= line.number <= last:
                    continue
                for printed in line.words:
                    box = line.box(printed.start, printed.end)
                    if box is not None:
                        words.append({"text": printed.text, "x0": box[0], "top": box[1],
                                      "size": max(box[3] - box[1], 4.0), "line": line.number})
            boxes = [dict(f, x0=float(f["box"][0]), top=float(f["box"][1]),
                          w=max(float(f["box"][2]) - float(f["box"][0]), 4.0),
                          h=max(float(f["box"][3]) - float(f["box"][1]), 4.0))
                     for f in figures_by_page.get(page.number, [])]
            out.append({"number": page.number, "anchor": f"{prefix}-p{page.number}", "file": file,
                        "width": float(page.width) or 595.0, "height": float(page.height) or 842.0, "words": words,
                        "boxes": boxes, "listed": [], "figures": figures_by_page.get(page.number, [])})
        return out

    def _pages(self, figures: list[dict[str, Any]], files: dict[str, str]) -> list[dict[str, Any]]:
        """Without the text: PDF pages with each of *figures*' box where it was printed (PDF points,
        top-left origin), or, with no boxes, the figures listed by where they were printed -- by
        file and page for a record read from several *files* (their anchors by path)."""
        pages: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for figure in figures:
            page = figure["page"] if figure["page"] is not None else 0
            document = (figure["document"] or "") if len(files) > 1 else ""
            pages.setdefault((document, int(page)), []).append(figure)
        out = []
        for document, number in sorted(pages):
            figures = pages[document, number]
            boxes = [f for f in figures if f["box"] is not None and len(f["box"]) == 4]
            width = max([float(f["box"][2]) for f in boxes] + [595.0]) + 20
            height = max([float(f["box"][3]) for f in boxes] + [842.0]) + 20
            out.append({"number": number, "anchor": f"{files.get(document, self.key)}-p{number}",
                        "file": os.path.basename(document) or None, "width": width, "height": height, "words": [],
                        "boxes": [dict(f, x0=float(f["box"][0]), top=float(f["box"][1]),
                                       w=max(float(f["box"][2]) - float(f["box"][0]), 4.0),
                                       h=max(float(f["box"][3]) - float(f["box"][1]), 4.0)) for f in boxes],
                        "listed": [f for f in figures if f not in boxes]})
        return out


def _not_shown(findings: list[Finding]) -> dict[str, Any] | None:
    """What of *findings* the page does not draw (past :data:`SHOWN_PER_RECORD`): how many, and
    how many of each rule, most first -- None when every one is drawn."""
    rest = findings[SHOWN_PER_RECORD:]
    if not rest:
        return None
    by_rule: dict[str, int] = {}
    for f in rest:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    return {"count": len(rest), "rules": sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))}


# The other forms of a disclosure whose text the page shows, by suffix: the first bytes a file of
# that form may begin with (a zip, a compound document, RTF, Office's XML or a web archive -- as a
# .doc too; a web page is text).  (A file named so that is not of its form -- a key renamed
# .docx -- is not shown: see _read_document.)
_OLE2, _RTF, _ARCHIVE, _XML = b"\xd0\xcf\x11\xe0", b"{\\rtf", b"MIME-Version:", b"<?xml"
_WRITTEN_FORMS = {".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".doc": (_OLE2, _RTF, _ARCHIVE, _XML),
                  ".wps": (_OLE2, _RTF), ".rtf": (_RTF,), ".xls": (_OLE2, _XML), ".et": (_OLE2,), ".xml": (_XML,),
                  ".html": (b"",), ".htm": (b"",), ".mht": (b"",), ".mhtml": (b"",)}


def _written_text(path: str, begins: tuple) -> str | None:
    """The text the readers read of a disclosure in another form -- a Word document (RTF too), a
    workbook, a web page --, told by its first bytes (*begins*: one of them), its lines where its
    figures' line numbers say (those numbers count that text's lines: without it a finding's
    "line 57" pointed nowhere the auditor could see); None for a file not of its form or that
    cannot be read here."""
    try:
        from .inputs.bounded import open_regular
        with open_regular(path, what="disclosure") as file:   # (a regular file, never a FIFO or device)
            if not file.read(max(map(len, begins))).startswith(begins):
                return None
        from .inputs.pathnames import FilePath
    except Exception:  # noqa: BLE001 - no extra for its form, or a damaged file: the report is still written
        return None
    return _text_lines(FilePath(path))


def _member_at(path: str):
    """The member of a zip archive a document's path names (``bundle.zip/表/a.txt``), or None."""
    try:
        from .inputs.archive import member_at
        return member_at(path)
    except Exception:  # noqa: BLE001 - the archive gone or damaged since: the report is still written
        return None


def _member_bytes(path: str) -> bytes | None:
    """The bytes of the member of a zip archive a document's path names, read once (its first
    bytes tell its form, then the readers read them), or None."""
    member = _member_at(path)
    try:
        from .inputs.bounded import MAX_DOCUMENT_BYTES
        return member.read(MAX_DOCUMENT_BYTES) if member is not None else None
    except Exception:  # noqa: BLE001 - a damaged or oversized member: not shown
        return None


def _text_lines(source, name: str | None = None) -> str | None:
    """The lines the readers read of *source* (a path, or an archive's member's bytes named
    *name*), each where its number says; None for a PDF (drawn page by page instead) or what
    cannot be read here."""
    try:
        from .inputs import open_document  # type: ignore[attr-defined]
        document = open_document(source, name)
    except Exception:  # noqa: BLE001 - no extra for its form, or a damaged file: the report is still written
        return None
    if getattr(document, "kind", None) == "pdf":
        return None
    lines: list[str] = []
    for line in document.lines:
        lines.extend("" for _ in range(line.number - 1 - len(lines)))
        lines.append(line.original)   # (as printed: the figures' printed texts are found in it)
    return "\n".join(lines)


def _open_pdf(path: str | None) -> Any:
    """The document model of a PDF (fiscalrules.inputs, with the pdf extra) or an OFD (laid out on
    pages as a PDF is), or None when the file is not at hand, not of those forms, or cannot be read
    here: the report then shows the figures' boxes alone."""
    if not path or not path.lower().endswith((".pdf", ".ofd")) or not may_read(path):
        return None
    source = path if os.path.isfile(path) else _member_at(path)   # (a PDF in a zip archive: read from it)
    if source is None:
        return None
    try:
        from .inputs import open_document  # type: ignore[attr-defined]
        from .inputs.pathnames import FilePath
        document = open_document(FilePath(source) if source is path else source)
    except Exception:  # noqa: BLE001 - no pdf extra, or a damaged file: the report is still written
        return None
    return document if getattr(document, "kind", None) == "pdf" else None


def _plain(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _printed(value: Any, unit: str | None) -> str:
    text = clipped(_plain(value))
    return f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text


def _mark(text: str, figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """*text* cut into plain parts and marked figures (by the printed value's first free
    occurrence on the line)."""
    if not figures:
        return [{"text": text, "figure": None}]
    spans: list[tuple[int, int, dict[str, Any]]] = []
    unplaced = []
    for figure in figures:
        printed = str(figure["printed"] or "")
        start = -1
        search_from = 0
        while printed:
            start = text.find(printed, search_from)
            if start < 0 or not any(s < start + len(printed) and start < e for s, e, _ in spans):
                break
            search_from = start + 1
        if printed and start >= 0:
            spans.append((start, start + len(printed), figure))
        else:
            unplaced.append(figure)
    spans.sort(key=lambda s: s[0])
    parts: list[dict[str, Any]] = []
    at = 0
    for start, end, figure in spans:
        if start > at:
            parts.append({"text": text[at:start], "figure": None})
        parts.append({"text": text[start:end], "figure": figure})
        at = end
    if at < len(text) or not parts:
        parts.append({"text": text[at:], "figure": None})
    for figure in unplaced:  # printed differently on its line: mark the figure after the line
        parts.append({"text": "", "figure": figure})
    return parts


@functools.cache
def _template() -> Any:
    """The page's template, compiled once per process: compiling it (Jinja's lexer, parser and
    code generator over report.html.j2) cost more than rendering a page of a few records, and a
    new environment per page kept no compiled template (~0.1 CPU-s a page).  A compiled template
    holds no state of a render, so one serves every page and thread."""
    return _environment().get_template(TEMPLATE)


def _environment() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('the HTML report needs Jinja2: pip install "fiscalrules[html]"') from None

    def load(name: str) -> str:
        return resources.files("fiscalrules").joinpath(name).read_text(encoding="utf-8")

    return jinja2.Environment(loader=jinja2.FunctionLoader(load), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined, finalize=_shown)


# Characters HTML does not allow in text (errors._DOCUMENT_CONTROLS) and the bidirectional
# overrides that would show a value reversed: from a record (an id "x\x00y", a text cell) they
# are written as their escapes (review 23 R17: a NUL went into the page raw).
def _shown(value: Any) -> Any:
    if type(value) is not str and not hasattr(value, "__html__") or not _DOCUMENT_CONTROLS.search(str(value)):
        return value
    text = _DOCUMENT_CONTROLS.sub(_escape, str(value))
    return type(value)(text) if hasattr(value, "__html__") else text


@in_library_context
def render_html(report: Report, lang: str = "zh", documents: Mapping[str, str] | None = None,
                read_from: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] = ()) -> str:
    """The report as one self-contained HTML page (see the module docstring); a document not in
    *documents* is read from disk only inside *read_from* (:func:`documents_read_from`)."""
    if isinstance(read_from, (str, os.PathLike)):
        read_from = [read_from]
    with documents_read_from(read_from):
        records, failed = record_views(report, lang, documents)
    return render_page(records, failed, report.ruleset, lang)


def record_views(report: Report, lang: str = "zh", documents: Mapping[str, str] | None = None,
                 start: int = 1) -> tuple[list[_Record], list[dict[str, Any]]]:
    """The page's views of *report*'s records (numbered from *start*) and of those that could
    not be read: all the page needs of them, so that a batch written a record at a time
    (:mod:`fiscalrules.report_stream`) keeps these and drops the findings."""
    # Each record's findings, sorted and in the report's order, gathered in one pass each: picking
    # them out record by record would sort and scan the whole report once per record.
    in_report_order = report.findings_by_record()
    sorted_by_record = report.findings_by_record(report.sorted_findings())
    records = [_Record(report, info, i, lang, documents, sorted_by_record.get(info.id, []),
                       in_report_order.get(info.id, []))
               for i, info in enumerate(report.records, start=start) if not info.error]
    failed = [{"id": info.id, "document": info.document, "error": translate_error(info.error or "", lang)}
              for info in report.records if info.error]
    return records, failed


def render_page(records: list[_Record], failed: list[dict[str, Any]], ruleset: str | None, lang: str = "zh") -> str:
    """The page of these record views (:func:`record_views`)."""
    from . import __version__
    return _template().render(
        lang=lang, html_lang="zh-CN" if lang == "zh" else "en", w=lambda key, **fill: _w(key, lang, **fill),
        word=lambda key: word(key, lang), status_word=lambda s: STATUS_WORDS.get(s, (s, s))[1 if lang == "en" else 0],
        records=records, failed=failed, ruleset=ruleset or "", version=__version__,
        generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), statuses=list(STATUS_WORDS))
