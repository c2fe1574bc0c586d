"""Text → :class:`~fiscalrules.document.model.Document`: decoded by :mod:`.source`, split into
lines (a form feed starts a page), words positioned by display column."""

from __future__ import annotations

import os

from ..document.model import Document
from .source import SourceText, load_source

__all__ = ["read_text", "document_of"]


def read_text(source: str | os.PathLike | bytes, name: str | None = None) -> Document:
    return document_of(load_source(source, name))


def document_of(loaded: SourceText) -> Document:
    document = Document(loaded.text, loaded.name)
    document.path = loaded.path
    return document
