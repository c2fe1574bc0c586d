"""A page's furniture: what a page prints that is no content of the document -- its number ("3", "- 3 -",
"第 3 页 / 共 12 页"), the "续表" / "（转下页）" of a table continued over pages, and the running headers and
footers repeated at the same place on most pages, and a table's title printed again at the top of the
page its table goes on to (:func:`repeated_titles`).  :class:`~.model.Document` keeps these lines (line
numbers never shift) and calls them noise: no reader sees them."""

from __future__ import annotations

import re

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from .model import Document, Line

__all__ = ["page_numbers", "running_lines", "repeated_titles"]

# (a digit 1-9 somewhere: no page is numbered 0 -- a lone "0" is a figure, a table cell a line as
# pdftotext without -layout writes a table)
# A page's number and its count come apart by a slash, or by a comma before 共: never by nothing, nor
# by a comma alone -- "20502" (a 款 code) and "1,234" (an amount) alone on a line are cells of a
# table written a cell a line (pdftotext without -layout), not "205 / 02" and "page 1 of 234".
_PAGE_NUMBER = re.compile(r"^(?=.*[1-9])[-—]*\s*(?:第\s*)?\d{1,3}\s*(?:页)?\s*"
                          r"(?:[/／]\s*\d{1,3}|[/／,，]?\s*共\s*\d{1,3}\s*页)?\s*[-—]*$")
# The rest of a page's furniture, noise wherever it stands (a table goes on across it): a footer
# "共 12 页" on its own line, and the "续表" / "续上表" / "(续)" a continued table's page starts with
# -- alone, after the table's title ("一般公共预算支出表（续表）") or after its number ("表六（续）",
# "附表3（续表）": a Word table split in two, its second headed so) -- and the "（转下页）" /
# "（接下页）" a table's part ends with: never a row.
_PAGE_FURNITURE = re.compile(r"^(?:共\s*\d{1,3}\s*页|[(（]?(?:续|续上|接上)表\d*[)）]?|[(（]续[)）]"
                             r"|\S{2,30}表\s*[(（](?:续|续表|续上表)[)）]"
                             r"|(?:附表|表)\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[(（](?:续|续表|续上表)[)）]"
                             r"|[(（](?:转|接|续)下页[)）])$")
# What may follow a bare number that belongs to the text: a unit, a date part, an enumerator's
# closing bracket ("6" + ") 年度预算安排"), a decimal part.
_CONTINUES_NUMBER = re.compile(r"^\s*(?:万|亿|元|人|辆|台|个|%|次|项|年|月|日|号|[)、.])")


def page_numbers(lines: list[Line]) -> set[int]:
    """Short integer-only lines ("3", "- 3 -", "第 3 页", "第 3 页 / 共 12 页") are page numbers,
    unless a bare number is continued by the next line (a wrapped "安排\\n5\\n万元" keeps its
    5, and "1月\\n1\\n日" its 1); "共 12 页" and a continued table's "续表" line are page
    furniture (_PAGE_FURNITURE), noise too."""
    found = set()
    previous: Line | None = None          # the last line that is text, not a page number
    following: Line | None = None
    next_text = [0] * (len(lines) + 1)    # index of the next non-blank line after each
    upcoming = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        next_text[index] = upcoming
        if not lines[index].blank:
            upcoming = index
    for index, line in enumerate(lines):
        if line.blank:
            continue
        text = line.text.strip()
        if not _PAGE_NUMBER.match(text):
            if _PAGE_FURNITURE.match(text):
                found.add(line.number)
                continue
            previous = line
            continue
        following = lines[next_text[index]] if next_text[index] < len(lines) else None
        if _amid_rows(line, previous, following):
            previous = line
            continue
        # A number never follows a number: after "329.94" (or "329.94 万") a bare "37" is a
        # page number even when "万元" / "元" comes next.
        after_number = previous is not None and bool(re.search(r"\d\s*[万亿]?$", previous.text))
        if (text.isdigit() and not after_number and following is not None
                and _CONTINUES_NUMBER.match(following.text)):
            previous = line
            continue
        found.add(line.number)
    return found


def _amid_rows(line: Line, above: Line | None, below: Line | None) -> bool:
    """Whether a bare number printed on a PDF page stands between two rows of a table on its page
    (each starting with a code or figure): a cell alone on its row ("207", a 类 whose figures the
    part of the table printed beside it holds), never the page's number, printed above or below
    the page's content."""
    return line.boxes is not None and all(
        other is not None and other.page == line.page and other.compact[:1].isdigit() for other in (above, below))


def running_lines(doc: Document) -> set[int]:
    """Running headers and footers: the first or last line of a page whose text, digits aside,
    is repeated at the same place on at least half the pages (and three)."""
    seen: dict[tuple[str, str], list[int]] = {}
    printed = 0    # (half the pages that print something: a scanned page has no header to repeat)
    for page in doc.pages:
        numbers = [n for n in range(page.first, page.last + 1) if not doc.line(n).blank]
        printed += bool(numbers)
        for where, number in (("top", numbers[0] if numbers else None),
                              ("bottom", numbers[-1] if numbers else None)):
            if number is None:
                continue
            key = re.sub(r"\d+", "#", doc.line(number).compact)
            if 0 < len(key) <= 60:
                seen.setdefault((where, key), []).append(number)
    threshold = max(3, (printed + 1) // 2)
    return {n for numbers in seen.values() if len(numbers) >= threshold for n in numbers}


# A figure a table's row prints ("1,234.56", "0.00"): a page ending in one ends inside a table.
_FIGURE = re.compile(r"\d\.\d{1,2}$|\d,\d{3}$")


# A table's title: a name ending in 表, or its number ("公开03表", "表3"), one or two of them and
# little else -- no header of columns ("科目编码 科目名称 合计", which table readers drop themselves).
_TABLE_TITLE = re.compile(r"^\s*(?:\S*表\d*(?:\s+\S{0,12})?|\S{0,12}\s+\S*表\d*)\s*$")


def repeated_titles(doc: Document, noise: set[int]) -> set[int]:
    """The first line of a page printing again the first line of the page before, a table's title
    (:data:`_TABLE_TITLE`), when that page ends in a table's row (a figure last, no note closing the table): the title of a table going on
    to the next page (downwards or sideways), printed again over it as a print title -- furniture,
    no second table ("续表" spelt out is :data:`_PAGE_FURNITURE`).  *noise*: the lines known to be
    furniture already (page numbers, running headers), which neither first nor last is."""
    found: set[int] = set()
    before: tuple[str, bool] | None = None      # the page before: its first line, whether it ends in a row
    for page in doc.pages:
        numbers = [n for n in range(page.first, page.last + 1) if not doc.line(n).blank and n not in noise]
        if not numbers:
            before = None
            continue
        # (the page's last line as printed: the lowest on a PDF page, whatever order its text came in)
        first, last = doc.line(numbers[0]), max((doc.line(n) for n in numbers), key=lambda line: line.bottom)
        if before is not None and before[1] and first.compact == before[0] and _TABLE_TITLE.search(first.text):
            found.add(first.number)
        before = (first.compact, bool(_FIGURE.search(last.compact)) and not last.compact.startswith(("注", "说明")))
    return found
