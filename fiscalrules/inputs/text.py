"""Text → :class:`~fiscalrules.document.model.Document`: decoded by :mod:`.source` (a web page
written out as text first, :mod:`.html`), split into lines (a form feed starts a page), words
positioned by display column.

A line holding tabs is a table row as a browser copies it (a web page selected and pasted into a
text editor, a spreadsheet's rows pasted as text): its cells get what :mod:`.tabrows` gives the
rows of the formats that hand over cells -- a label letter-spaced to centre it ("合　　计",
"项　　目") is the word it spells, the empty cells after the last printed one dropped -- so that
the pasted page reads as the page itself would."""

from __future__ import annotations

import os

from ..document.model import Document
from ..errors import Location, ReaderError
from .source import SourceText, load_source

__all__ = ["read_text", "document_of"]


def read_text(source: str | os.PathLike | bytes, name: str | None = None) -> Document:
    return document_of(load_source(source, name))


def document_of(loaded: SourceText) -> Document:
    text = loaded.text
    if text[:4096].lstrip()[:1] == "<":   # (a web page: its text, by blocks and table rows)
        from .html import PageTooLarge, html_text, looks_like_html
        if looks_like_html(text):
            try:
                text = html_text(text)
            except PageTooLarge as exc:
                raise ReaderError(f"cannot read disclosure: {loaded.name}: {exc}", Location(file=loaded.name)) from None
    elif "\t" in text:
        text = _cells_as_formats_give_them(text)
    document = Document(text, loaded.name)
    document.path = loaded.path
    return document


def _cells_as_formats_give_them(text: str) -> str:
    from .tabrows import tab_line
    # Line by line, as splitlines() would cut them (the document model's lines), keeping each
    # line's own ending so that line numbers and form feeds stay where they were.
    return "".join(tab_line(line.split("\t")) + ending if "\t" in line else line + ending
                   for line, ending in _lines_with_endings(text))


def _lines_with_endings(text: str):
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        yield body, piece[len(body):]
