"""HTML → text: a disclosure published as a web page, as the lines a text disclosure prints.

Many departments publish their budget on the government portal as an HTML article -- the
narrative in paragraphs, the nine tables as ``<table>`` elements -- rather than (or beside) a PDF.
:func:`looks_like_html` tells such a page from text; :func:`html_text` writes it out as text the
readers already read: each block element (paragraph, heading, list item, ``<br>``) a line and a
blank one, each table row a line of its cells joined by tabs (a table's rows together).  A cell spanning columns (``colspan``) is followed
by empty cells and a cell spanning rows (``rowspan``) leaves an empty cell in the rows below, so
that every row of a table has its cells under the same columns -- the multi-line headers of the
national tables (项目 over 科目编码 / 科目名称, 本年预算 over 合计 / 基本支出 / 项目支出) read as
they do in a PDF.  Scripts, styles and the page's head (but its title) are left out, and what
the page hides on the element itself (the ``hidden`` attribute, ``display:none``: a print copy of
the article, Word's hidden text) -- but for a page hiding nearly all its text, which a script shows
(a WeChat article saved from the browser: its body ``visibility: hidden``): there what is only
invisible is read, what is not displayed (its pop-ups) still left out; character references are
resolved.  The site around the
article -- its menu, header, footer, breadcrumb and information box -- is left out
(:mod:`.page_chrome`).  Only the standard library's parser: no dependency, nothing run.

Line numbers of figures read from a page are the lines of this text (``fiscalrules extract``
gives the figures with them); a web page has no lines of its own an auditor could look up.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..document.pictures import PICTURE_LINE
from .page_chrome import SECTIONING, article_lines, is_article_container, is_site_landmark
from .tabrows import tab_line

__all__ = ["looks_like_html", "html_text", "PageTooLarge", "MAX_SPAN", "MAX_COLUMNS"]

# A page starts (after white space and comments) with its doctype or one of these tags.
_START = re.compile(r"^(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
                     "header", "footer", "center", "blockquote", "pre", "address", "dd", "dt", "dl", "form",
                     "fieldset", "figure", "figcaption", "caption", "main", "nav", "aside", "hr"))
_SKIPPED = frozenset(("script", "style", "noscript", "template", "svg", "iframe", "object"))
_SPACES = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")
# What a page hides from its reader, on the element itself: the hidden attribute, an inline style
# not displaying it (a portal's print copy of the article, a menu; Word's hidden text, written
# "display:none;mso-hide:all").  Hiding set by a style sheet's classes is not followed.
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
# ...but for an element only made invisible (a script shows it: see html_text)
_NOT_DISPLAYED = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.IGNORECASE)
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"))
# Inline elements a browser closes at the end of the block or cell holding them (an unclosed
# hidden <span> hides up to there, not the rest of the page), and what ends them so.
_INLINE = frozenset(("span", "font", "b", "i", "u", "s", "em", "strong", "a", "small", "big", "sup", "sub", "label",
                     "strike", "abbr", "cite", "code", "q", "mark", "ins", "del", "o:p"))
_ENDS_INLINE = _BLOCKS | {"td", "th", "tr", "table", "tbody", "thead", "tfoot", "body", "html"}
#: The most columns or rows a cell may span (a hostile page's colspan="1000000000" spans this many).
MAX_SPAN = 64
#: The most columns a table row is given (the national tables have fewer than 30); a row's cells
#: beyond them are joined into its last column, so no text is lost.
MAX_COLUMNS = 256


class PageTooLarge(ValueError):
    """The page's text, its spanned cells written out, would be far larger than its markup."""


def looks_like_html(text: str) -> bool:
    """Whether *text* is an HTML page (its doctype or an ``<html>``, ``<head>``, ``<body>``,
    ``<meta>`` or ``<title>`` tag first)."""
    return bool(_START.match(text[:4096]))


def html_text(markup: str) -> str:
    """The text of the page *markup*: a line per block, a tab-separated line per table row.
    Raises :class:`PageTooLarge` where spanned cells would write out more than four characters a
    character of markup (and a megabyte): a page of cells spanning 64 × 64 cells each, say."""
    hide, reveal = True, False
    while True:
        parser = _PageText(4 * len(markup) + 1_000_000, hide=hide, reveal=reveal)
        parser.feed(markup)
        parser.close()
        if hide and parser.unclosed_hidden:
            # (a hidden element never closed would hide the rest of the page: tag soup a browser
            # may well show otherwise -- read again as if nothing were hidden, as before hiding was
            # followed)
            hide = False
        elif hide and not reveal and parser.hides_the_page():
            # (a page hiding nearly all its text shows it by a script: a WeChat article saved from
            # the browser, its body "visibility: hidden" until the script runs -- read again with
            # what is invisible shown, what is not displayed (its pop-ups, dialogs) still left out)
            reveal = True
        else:
            break
    return "\n".join(article_lines(parser.lines, parser.article_spans, parser.own_lines)) + "\n"


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int((value or "1").strip())))
    except ValueError:
        return 1


class _Table:
    """A table being read: its finished rows, the row and cell being read (the cell's text and its
    column), and the cells that rows above reach down into (column → rows still to fill)."""

    __slots__ = ("rows", "row", "cell", "column", "below")

    def __init__(self):
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.column = 0
        self.below: dict[int, int] = {}

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def start_cell(self, colspan: int, rowspan: int) -> None:
        if self.row is None:
            self.start_row()
        self.end_cell()
        self._fill_spanned()
        if len(self.row) >= MAX_COLUMNS:   # (its text joins the row's last cell)
            self.cell, self.column = [], MAX_COLUMNS - 1
            return
        colspan = min(colspan, MAX_COLUMNS - len(self.row))
        self.cell, self.column = [], len(self.row)
        self.row.extend("" for _ in range(colspan))
        if rowspan > 1:
            for column in range(self.column, self.column + colspan):
                self.below[column] = rowspan - 1

    def end_cell(self) -> None:
        if self.cell is not None:
            text = _SPACES.sub(" ", "".join(self.cell)).strip()
            self.row[self.column] = f"{self.row[self.column]} {text}".strip() if self.row[self.column] else text
            self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is None:
            return
        self._fill_spanned()
        for column in sorted(c for c in self.below if c >= len(self.row)):   # (reached to its end)
            self.row.extend("" for _ in range(column + 1 - len(self.row)))
            self._reached(column)
        if any(self.row):
            self.rows.append(self.row)
        self.row = None

    def _fill_spanned(self) -> None:
        """Empty cells where cells of the rows above reach down, before this row's next cell."""
        while len(self.row) in self.below and len(self.row) < MAX_COLUMNS:
            column = len(self.row)
            self.row.append("")
            self._reached(column)

    def _reached(self, column: int) -> None:
        self.below[column] -= 1
        if not self.below[column]:
            del self.below[column]


class _PageText(HTMLParser):
    """The page's lines as the parser meets its tags (see :func:`html_text`)."""

    def __init__(self, limit: int, hide: bool, reveal: bool = False):
        super().__init__(convert_charrefs=True)
        self.hide = hide
        self.hiding_style = _NOT_DISPLAYED if reveal else _HIDING
        self.hiding: list | None = None   # [tag, depth] of the hidden element being passed over
        # The text passed over as hidden by the element's own attributes (not the site's menu or
        # footer, left out as hidden is), and the text read (see hides_the_page)
        self.hiding_styled = False
        self.hidden_size = self.shown_size = 0
        self.limit, self.size = limit, 0   # (characters written out, at most)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.pictured = False   # (the open line shows a picture: alone, it is written as a picture line)
        self.tables: list[_Table] = []
        self.skipping = 0          # depth inside script, style, …
        self.in_head = False
        self.in_title = False
        # The site around the article (inputs/page_chrome.py): how deep in parts of the page whose
        # header and footer are their own; the article's container being read ([tag, depth]) and
        # the line ranges of those read; the lines of the page's title and headings h1.
        self.sectioned = 0
        self.container: list | None = None
        self.article_spans: list[list[int]] = []
        self.own_lines: set[int] = set()

    # -- text -------------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skipping or (self.in_head and not self.in_title):
            return
        if self.hiding is not None:
            if self.hiding_styled:
                self.hidden_size += len(data.strip())
            return
        self.shown_size += len(data.strip())
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.append(data)
        elif table is None:
            self.line.append(data)
        # (text between a table's cells, outside any: white space of the markup)

    def _break(self) -> None:
        text = _SPACES.sub(" ", "".join(self.line)).strip()
        if text:   # (a blank line after it: a block is a paragraph of its own)
            self._add(text)
            self.lines.append("")
        elif self.pictured:   # (a block that is only a picture: a table pasted as an image, said)
            self._add(PICTURE_LINE)
            self.lines.append("")
        self.line = []
        self.pictured = False

    def _add(self, line: str) -> None:
        self.size += len(line) + 1
        if self.size > self.limit:
            raise PageTooLarge(f"the page written out as text is over {self.limit:,} characters, "
                               "more than four times its markup (cells spanning many columns and rows)")
        self.lines.append(line)

    # -- tags -------------------------------------------------------------------------------------
    def _hidden_start(self, tag: str, attrs) -> bool:
        """Whether the start tag *tag* is passed over as hidden (or begins what is)."""
        if self.hiding is not None:
            hidden = self.hiding[0]
            if tag == hidden and tag not in _VOID:
                self.hiding[1] += 1
                return True
            if not (hidden == "p" and (tag in _BLOCKS or tag == "table")):   # (a block closes an open <p>)
                return True
            self.hiding = None
        if self.hide and tag not in _VOID and not self.skipping:
            styled = any(name == "hidden" or (name == "style" and value and self.hiding_style.search(value))
                         for name, value in attrs)
            if styled or is_site_landmark(tag, attrs, self.sectioned > 0 or self.container is not None):
                self.hiding = [tag, 1]   # (the site's menu, header or footer is passed over as hidden is)
                self.hiding_styled = styled
                return True
        return False

    def hides_the_page(self) -> bool:
        """Whether the page hides most of its text on the elements themselves (four times what it
        shows): a page whose script shows its body, not a print copy hidden beside the article
        (about as long as the article) nor a hidden menu."""
        return self.hidden_size > 4 * self.shown_size

    def _hidden_end(self, tag: str) -> bool:
        """Whether the end tag *tag* is passed over as hidden (or ends what is)."""
        if self.hiding is None:
            return False
        hidden = self.hiding[0]
        if tag == hidden:
            self.hiding[1] -= 1
            if not self.hiding[1]:
                self.hiding = None
            return True
        if hidden in _INLINE and tag in _ENDS_INLINE:   # (an inline element left open: closed here)
            self.hiding = None
            return False
        return True

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._hidden_start(tag, attrs):
            return
        self._start_part(tag, attrs)
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "head":
            self.in_head = True
        elif tag == "title":
            self.in_title = True
        elif tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.append(" ")   # (a table inside a cell: its text is the cell's)
                self.tables.append(_Nested(self.tables[-1]))
                return
            self._break()
            self.tables.append(_Table())
        elif self.tables and not isinstance(self.tables[-1], _Nested):
            table = self.tables[-1]
            if tag == "tr":
                table.start_row()
            elif tag in ("td", "th"):
                values = dict(attrs)
                table.start_cell(_span(values.get("colspan")), _span(values.get("rowspan")))
            elif tag in ("br", "p", "div") and table.cell is not None:
                table.cell.append(" ")
        elif self.tables:
            if tag in ("td", "th", "br", "p", "div"):
                self.tables[-1].cell.append(" ")
        elif tag == "br" or tag in _BLOCKS:
            self._break()
        elif tag == "img" and not self.skipping and not self.in_head:
            self.pictured = True

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "td", "th", "tr", "table"):
            self.handle_endtag(tag)

    def _start_part(self, tag: str, attrs) -> None:
        """Count the parts of the page (article, section) and start reading an article's container
        (the outermost one, outside tables), after the break its block makes."""
        if tag in SECTIONING:
            self.sectioned += 1
        if self.container is not None:
            if tag == self.container[0]:
                self.container[1] += 1
        elif not self.tables and tag not in _VOID and is_article_container(tag, attrs):
            self._break()
            self.container = [tag, 1]
            self.article_spans.append([len(self.lines), len(self.lines)])

    def _end_part(self, tag: str) -> None:
        if tag in SECTIONING:
            self.sectioned = max(0, self.sectioned - 1)
        if self.container is not None and tag == self.container[0]:
            self.container[1] -= 1
            if not self.container[1]:
                self._break()
                self.article_spans[-1][1] = len(self.lines)
                self.container = None

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_end(tag):
            return
        self._end_part(tag)
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "head":
            self.in_head = False
        elif tag in ("title", "h1") and not self.tables:
            self.in_title = False
            before = len(self.lines)
            self._break()
            if len(self.lines) > before:   # (the page's own title and headings stay with its article)
                self.own_lines.add(before)
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            if isinstance(table, _Nested):
                return
            table.end_row()
            for row in table.rows:
                self._add(tab_line(row))
            self.lines.append("")
        elif self.tables and not isinstance(self.tables[-1], _Nested):
            if tag == "tr":
                self.tables[-1].end_row()
            elif tag in ("td", "th"):
                self.tables[-1].end_cell()
        elif not self.tables and tag in _BLOCKS:
            self._break()

    def close(self) -> None:
        super().close()
        # (a hidden element never closed: said, and ended, so that the tables below are closed --
        # their end tags were passed over as hidden: an endless loop here)
        self.unclosed_hidden, self.hiding = self.hiding is not None, None
        while self.tables:   # (a table never closed: its rows are still the page's)
            self.handle_endtag("table")
        self._break()
        if self.container is not None:   # (a container never closed: it holds the rest of the page)
            self.article_spans[-1][1] = len(self.lines)


class _Nested:
    """A table inside a table's cell: its text goes to that cell (its rows and cells as spaces)."""

    __slots__ = ("cell",)

    def __init__(self, outer):
        self.cell = outer.cell
