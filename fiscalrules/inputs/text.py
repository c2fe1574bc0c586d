"""Text → :class:`~fiscalrules.document.model.Document`: decoded by :mod:`.source` (a web page
written out as text first, :mod:`.html`), split into lines (a form feed starts a page), words
positioned by display column."""

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
    document = Document(text, loaded.name)
    document.path = loaded.path
    return document
