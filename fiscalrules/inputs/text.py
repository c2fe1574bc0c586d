"""Text → :class:`~fiscalrules.document.model.Document`: decoded by :mod:`.source`, split into
lines (a form feed starts a page), words positioned by display column."""

from __future__ import annotations

import os

from ..document.model import Document
from .source import load_source

__all__ = ["read_text"]


def read_text(source: str | os.PathLike | bytes, name: str | None = None) -> Document:
    loaded = load_source(source, name)
    document = Document(loaded.text, loaded.name)
    document.path = loaded.path
    return document
