"""Building the record: figure mappings, dotted-path assignment, and the list of unread parts.

Readers hand figures to a :class:`RecordBuilder`; it writes them at their dotted path, refuses to
overwrite a path silently (a second, different figure for the same path goes to ``unread`` as a
duplicate), and keeps ``_meta.unread`` in document order.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ...document.stream import Stream
from ...document.model import Document
from ...inputs.pathnames import path_stem
from .amounts import COUNT_UNITS, Phrase
from .coverage import is_zero
from .twin_figures import list_twin_printings

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["figure", "source", "span_source", "record_id", "phrase_figure", "change_printed_at", "cap_text", "RecordBuilder", "MAX_SOURCE_TEXT",
           "locate_sources", "locate_unread", "list_blank_pages", "untaken_lines"]


# A figure's source text is its sentence or table row; beyond this it is cut (a document whose
# line breaks were lost must not copy a whole page into every figure it holds).
MAX_SOURCE_TEXT = 240
# An unread part's reason quotes what was not read, cut the same way.
MAX_REASON = MAX_SOURCE_TEXT + 120


def source(document: str, section: str | None, line: int | None, text: str | None, *,
           page: int | None = None, box=None) -> dict:
    out: dict[str, Any] = {"document": document}
    if section:
        out["section"] = section
    if page:
        out["page"] = page
    if line:
        out["line"] = line
    if text:
        out["text"] = cap_text(text)
    if box:
        out["box"] = list(box)
    return out


def record_id(name: str | None) -> str:
    """A record's id from its document's name: the file name's stem ("部门预算" for
    "2025/部门预算.pdf"); a name standing for no file ("<bytes>") as it is."""
    return path_stem(name) if name and not name.startswith("<") else (name or "document")


def cap_text(text: str, limit: int = MAX_SOURCE_TEXT) -> str:
    """*text* cut to *limit* characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


_FIGURE_KEYS = ("unit", "change", "pct", "printed", "label", "source")


def figure(value: str, unit: str | None = None, *, change: str | None = None,
           pct: str | None = None, printed: str | None = None, label: str | None = None,
           src: dict | None = None) -> dict:
    """A figure mapping with only the keys that apply."""
    out: dict[str, Any] = {"value": value}
    # (the keys zipped with the values: a reader makes one per figure, and a tuple of pairs was
    # built for each)
    for key, item in zip(_FIGURE_KEYS, (unit, change, pct, printed, label, src)):
        if item is not None and item != "":
            out[key] = item
    return out


def span_source(stream: Stream, section: str | None, start: int, end: int, text: str, *,
                page_at: int | None = None) -> dict:
    """The source of what *stream* prints from *start* to *end*, quoted as *text*: its first line,
    its page (at *page_at*, else *start*) and its box."""
    return source(stream.document.name, section, stream.lines_of(start, end)[0], text,
                  page=stream.page_at(start if page_at is None else page_at) if stream.document.paged else None,
                  box=stream.box(start, end))


def phrase_figure(phrase: Phrase, section: str, *, label: str | None = None) -> dict:
    """The figure of a narrative phrase, with its source excerpt."""
    stream: Stream = phrase.stream
    first, _ = phrase.lines
    paged = stream.document.paged
    out = figure(phrase.value, phrase.unit, change=phrase.change, pct=phrase.pct,
                 printed=phrase.printed, label=label or phrase.label or None,
                 src=source(stream.document.name, section, first, _ends_kept(phrase.text),
                            page=stream.page_at(phrase.start) if paged else None,
                            box=stream.box(phrase.start, phrase.end)))
    number_line = stream.lines_of(phrase.number_start, phrase.number_end)[0]
    if number_line != first:   # (its name ends one line, its amount starts the next: counted there)
        out["source"]["value_line"] = number_line
    if phrase.change_at is not None:   # (printed on a later line: coverage counts it there)
        change_printed_at(out, stream.lines_of(phrase.change_at, phrase.change_at + 1)[0])
    if phrase.twin is not None:   # (printed in two units: the other printing, with its change if any)
        out["twin"] = phrase_figure(phrase.twin, section, label=out.get("label"))
    return out


def change_printed_at(fig: dict, line: int) -> None:
    """A change printed away from its figure (another sentence, or after a bracketed breakdown):
    the line it is printed on, for coverage (``source.change_line``), where it is not the figure's own."""
    src = fig.get("source")
    if isinstance(src, dict) and src.get("line") != line:
        src["change_line"] = line


def _ends_kept(text: str) -> str:
    """A phrase's text cut to :data:`MAX_SOURCE_TEXT` in its middle: its start names the figure and
    its end holds the change and percentage read with it ("较上年预算安排增加 96.40 万元") -- the
    number as printed, and the unit a change carried over to its figure's coarser unit was printed
    in, which the localiser says its suggestion in."""
    if len(text) <= MAX_SOURCE_TEXT:
        return text
    tail = MAX_SOURCE_TEXT // 3
    return text[:MAX_SOURCE_TEXT - tail - 1] + "…" + text[-tail:]


class RecordBuilder:
    """A nested dict under construction plus the unread list."""

    def __init__(self, document: str):
        self.document = document
        self.data: dict[str, Any] = {}
        self.unread: list[dict] = []
        self._unread_seen: set[tuple] = set()   # (section, first, last, reason) of each entry of unread
        self._codes: dict[str, set] = {}   # codes of each table's rows, for append()
        # Figures printed again with the value already read (a total restated in a parenthesis, a
        # sentence repeating a figure): not written twice, but their lines are read (coverage).
        self.restated: list[dict] = []
        # Work a table reader leaves until the rest of the document is read (a table whose rows
        # are placed by figures the 情况说明 states): run by the reader after its last part.
        self.later: list[Callable[[], Any]] = []

    # -- values --------------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        node: Any = self.data
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def year(self) -> int | None:
        """The document's year as read (``doc.year``: a budget's, a 决算's), None when none was."""
        year = self.get("doc.year")
        if isinstance(year, dict):
            year = year.get("value")
        try:
            return int(year) if year is not None else None
        except (TypeError, ValueError):
            return None

    def put(self, path: str, value: Any, *, section: str = "", lines: tuple[int, int] = (0, 0)) -> bool:
        """Write *value* at *path*; a different value already there is kept and the new one is
        listed as unread. Returns whether the value was written (or equal to what was there)."""
        keys = path.split(".")
        node = self.data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        existing = node.get(keys[-1])
        if existing is not None:
            if _same_value(_value_of(existing), _value_of(value)):
                if isinstance(value, dict) and value is not existing:
                    self.restated.append(_with_change_moved(existing, value))
                return True
            shown = _value_of(value)
            self.add_unread(section, lines,
                            f"duplicate of {path}: {shown} (kept {_value_of(existing)})")
            return False
        node[keys[-1]] = value
        return True

    def append(self, path: str, row: dict, *, section: str = "", at: int | None = None) -> bool:
        """Append a table row (or insert it before row *at*, 0-based).  A row whose code is
        already in the table (a table printed twice, a document repeated) is listed as unread
        instead: the record model allows each code once, and a record the loader refuses would
        lose the whole document.  Returns whether the row was written."""
        keys = path.split(".")
        node = self.data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        rows = node.setdefault(keys[-1], [])
        code = _value_of(row.get("code")) if isinstance(row, dict) else None
        if code is not None:
            codes = self._codes.get(path)
            if codes is None:   # the codes of the rows already there, once per table
                codes = self._codes[path] = {str(_value_of(r.get("code"))).strip()
                                             for r in rows if isinstance(r, dict) and r.get("code") is not None}
            if str(code).strip() in codes:
                line = _first_line(row)
                self.add_unread(section, (line, line), f"row {code} appears a second time in {path}, not read")
                return False
            codes.add(str(code).strip())
        if at is None or at >= len(rows):
            rows.append(row)
        else:
            rows.insert(at, row)
        return True

    def list_twin_printings(self) -> None:
        """Each figure printed in two units (the printing not held its ``twin``) listed as a row of
        ``doc.twin_figures``, where a rule checks the two agree: the reader's last step with
        :meth:`drop_repeated_rows` (``common.twin_figures``)."""
        list_twin_printings(self.data, self.append)

    def drop_repeated_rows(self, node: dict | None = None, path: str = "") -> None:
        """Take out of the record (and list as unread, naming the row and its line) each table row
        whose identity an earlier row of its table has -- a code given twice, or no code where the
        row's place is an earlier row's code (records.md § Tables) -- however the reader came to
        write it: the loader refuses such a record whole (E300), and one row read wrong must not
        cost the document every check.  The reader's last step before its record is loaded; a
        user's record file so written is still refused."""
        node = self.data if node is None else node
        for key, value in node.items():
            if key == "_meta" and not path:
                continue
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, dict) and "value" not in value:
                self.drop_repeated_rows(value, where)
            elif isinstance(value, list):
                self._drop_repeated(value, where)

    def _drop_repeated(self, rows: list, path: str) -> None:
        kept: list = []
        seen: dict[str, Any] = {}        # identity -> the row holding it
        for row in rows:
            # (as the loader knows a row: its code, stripped; without one, its place, 1-based)
            code = row.get("code") if isinstance(row, dict) else None
            identity = str(_value_of(code)).strip() if code is not None else str(len(kept) + 1)
            if row is not None and identity in seen:
                line = _first_line(row) if isinstance(row, dict) else 0
                earlier, shown = seen[identity], identity or '""'
                self.add_unread(path, (line, line), f"row {_row_named(row)} has the code {shown} of an earlier "
                                f"row ({_row_named(earlier)}) of {path}, not read")
                continue
            if row is not None:
                seen[identity] = row
            kept.append(row)
        if len(kept) != len(rows):
            rows[:] = kept

    def put_phrase(self, path: str, phrase: Phrase, section: str, *, label: str | None = None) -> bool:
        phrase.used = True
        written = self.put(path, phrase_figure(phrase, section, label=label), section=section, lines=phrase.lines)
        if written:
            phrase.path = path
        return written

    # -- unread --------------------------------------------------------------------------------
    def add_unread(self, section: str, lines: tuple[int, int], reason: str, *, group: str | None = None,
                   item: str | None = None) -> None:
        """List a part of the document as not read.  *group*: the record path (``income.sources``)
        the part printed an item of, which the reader could not name (*item*: what was printed,
        ``单位资金收入 80.00万元``): a rule summing that group is then not evaluable
        (``Record.unread_under``), where it would fail by the unread amount."""
        entry = {"section": cap_text(section or ""), "lines": [int(lines[0]), int(lines[1])],
                 "reason": cap_text(reason, MAX_REASON)}
        if group is not None:
            entry["group"] = group
            entry["item"] = cap_text(item or "", MAX_REASON)
        # (a set beside the list: a document of many unread amounts took a scan of the list for each
        # -- 20,000 of them 15 CPU-s)
        key = (entry["section"], entry["lines"][0], entry["lines"][1], entry["reason"])
        if key not in self._unread_seen:
            self._unread_seen.add(key)
            self.unread.append(entry)

    def unread_phrase(self, phrase: Phrase, section: str, why: str = "not mapped to a field", *,
                      group: str | None = None) -> None:
        """List *phrase* as not read (unless it was read), saying *why*; *group*: see
        :meth:`add_unread`."""
        if phrase.used:
            return
        phrase.used = True
        label = phrase.label or phrase.raw_label or "(no label)"
        # "新增1辆", "下属1家": a count printed in the narrative is not an amount, so say which it is
        kind = "change" if phrase.orphan else "count" if phrase.unit in COUNT_UNITS else "amount"
        amount = f"{phrase.printed or phrase.value}{phrase.unit}"
        if is_zero(phrase.value):   # (an item of 0 leaves what the group's figures add up to as it is)
            group = None
        self.add_unread(section, phrase.lines, f"{kind} {amount} ({label}) {why}: {phrase.text}",
                        group=group, item=f"{label} {amount}")


def _with_change_moved(existing: Any, again: dict) -> dict:
    """A figure printed again with the value *existing* holds, as coverage counts it: where it
    states the change (and percentage) the first printing did not -- "“三公”经费 12.50 万元（其中：
    因公出国（境）费 0 万元、…）", then "因公出国（境）费 0 万元，比上年增加（减少）0 万元" -- the change is
    the figure's, moved to *existing* (counted where it is printed), and the restatement counts its
    amount only."""
    if not isinstance(existing, dict) or "change" in existing or again.get("change") is None:
        return again
    existing["change"] = again["change"]
    if "pct" in again and "pct" not in existing:
        existing["pct"] = again["pct"]
    src = again.get("source")
    if isinstance(src, dict) and isinstance(src.get("line"), int):
        change_printed_at(existing, src.get("change_line", src["line"]))
    return {key: item for key, item in again.items() if key not in ("change", "pct")}


def _row_named(row: Any) -> str:
    """A table row as a message names it: its printed name, else its code (its line is the
    unread entry's own)."""
    name = _value_of(row.get("name")) if isinstance(row, dict) else None
    code = _value_of(row.get("code")) if isinstance(row, dict) else None
    return cap_text(str(name if name else code if code else row), 80)


def _first_line(row: dict) -> int:
    """The line a row was printed on, from the source of any of its cells."""
    for cell in row.values():
        if isinstance(cell, dict) and isinstance(cell.get("source"), dict) and cell["source"].get("line"):
            return int(cell["source"]["line"])
    return 0


def _same_value(first: Any, second: Any) -> bool:
    """Whether two values read are one: equal, or the same amount printed to other places
    ("因公出国（境）费 0.00 万元", then "预算数 0 万元")."""
    if first == second:
        return True
    if not (isinstance(first, str) and isinstance(second, str)):
        return False
    try:
        return Decimal(first) == Decimal(second)
    except (InvalidOperation, ValueError):
        return False


def _value_of(item: Any) -> Any:
    if isinstance(item, dict) and "value" in item:
        return item["value"]
    return item


# -- where things were printed ---------------------------------------------------------------------

def locate_sources(node: Any, doc: Document) -> None:
    """Give every ``source`` that names a line its page (documents with pages), the line's
    number on its page (``page_line``: the ``line`` counts the whole text, which no reader of
    page 8 can count) and, for PDFs, a box (the line's, where the reader gave none), so any
    figure can be pointed at."""
    if not doc.paged:
        return
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        src = item.get("source")
        if isinstance(src, dict) and isinstance(src.get("line"), int) and 0 < src["line"] <= len(doc):
            line = doc.line(src["line"])
            if "page" not in src or ("box" not in src and line.boxes is not None):
                located = {k: src[k] for k in ("document", "section") if k in src}
                located["page"] = src.get("page", line.page)
                located.update((k, v) for k, v in src.items() if k not in located)
                box = line.box()
                if "box" not in located and box is not None:
                    located["box"] = list(box)
                item["source"] = src = located
            if "page_line" not in src and src["page"] == line.page:
                src["page_line"] = src["line"] - doc.page(line.page).first + 1
        stack.extend(v for k, v in item.items() if k != "source" and isinstance(v, (dict, list)))


def locate_unread(unread: list[dict], doc: Document) -> None:
    """Name the page of each unread part (documents with pages)."""
    if not doc.paged:
        return
    for entry in unread:
        first = entry["lines"][0]
        if "page" not in entry and 0 < first <= len(doc):
            entry["page"] = doc.line(first).page


def list_blank_pages(builder: RecordBuilder, doc: Document) -> None:
    """Pages without a text layer (scanned images inside a PDF) are listed as not read, and so
    is text a PDF page draws that could not be read (Document.unread_text), and a workbook's
    formulas saved without their values (Document.unsaved_formulas)."""
    for number in doc.blank_pages:
        page = doc.page(number)
        anchor = min(max(page.first - 1, 1), len(doc))
        builder.add_unread("", (anchor, anchor), f"page {number} has no text layer (a scanned "
                           "image?): nothing on it was read")
    for number in getattr(doc, "rotated_pages", ()):
        page = doc.page(number)
        anchor = min(max(page.first - 1, 1), len(doc))
        builder.add_unread("", (anchor, anchor), f"page {number}: its text runs turned (a landscape "
                           "page rotated inside the PDF): nothing on it was read")
    for number in getattr(doc, "column_pages", ()):
        page = doc.page(number)
        anchor = min(max(page.first, 1), len(doc))
        builder.add_unread("", (anchor, anchor), f"page {number}: text that may be set in columns "
                           "(its columns not told apart from a table's): each line read in parts, "
                           "one per side of the gap, never across it; check its reading order")
    for number, sheet, cells in getattr(doc, "unsaved_formulas", ()):
        page = doc.page(number)
        anchor = min(max(page.first, 1), len(doc))
        shown = ", ".join(cells[:5]) + (f" … ({len(cells)} cells)" if len(cells) > 5 else "")
        builder.add_unread("", (anchor, anchor), f"sheet {sheet}: formulas saved without their values, read as "
                           f"blank cells: {shown}; open the workbook in Excel or WPS and save it, then read it again")
    for number, pieces in doc.unread_text:
        page = doc.page(number)
        anchor = min(max(page.first, 1), len(doc))
        builder.add_unread("", (anchor, anchor), f"page {number}: {pieces} piece(s) of text could "
                           "not be read: drawn in a font the PDF does not embed, which this system "
                           f"lacks (字体未嵌入且系统缺少该字体：{pieces} 处文字未能读出)")


_NOTES = ("注:", "说明:")


def untaken_lines(doc: Document, numbers, taken, is_figure, notes: bool = False) -> list:
    """The lines of *numbers* that no row took (not in *taken*) and that print a figure (a word
    *is_figure* accepts) -- never noise, nor a note ("注：", "说明：") unless *notes*: what a reader lists when
    a table could not be read whole (a cell a line, as pdftotext without -layout writes a table),
    so that no printed figure is left silent.  One test for every template's tables."""
    out = []
    for number in numbers:
        if number in taken or doc.is_noise(number):
            continue
        line = doc.line(number)
        if (notes or not line.compact.startswith(_NOTES)) and any(is_figure(w.text) for w in line.words):
            out.append(line)
    return out
