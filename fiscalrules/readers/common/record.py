"""Building the record: figure mappings, dotted-path assignment, and the list of unread parts.

Readers hand figures to a :class:`RecordBuilder`; it writes them at their dotted path, refuses to
overwrite a path silently (a second, different figure for the same path goes to ``unread`` as a
duplicate), and keeps ``_meta.unread`` in document order.
"""

from __future__ import annotations

from typing import Any

from ...document.stream import Stream
from .amounts import Phrase

__all__ = ["figure", "source", "phrase_figure", "RecordBuilder"]


def source(document: str, section: str | None, line: int | None, text: str | None) -> dict:
    out: dict[str, Any] = {"document": document}
    if section:
        out["section"] = section
    if line:
        out["line"] = line
    if text:
        out["text"] = text
    return out


def figure(value: str, unit: str | None = None, *, change: str | None = None,
           pct: str | None = None, printed: str | None = None, label: str | None = None,
           src: dict | None = None) -> dict:
    """A figure mapping with only the keys that apply."""
    out: dict[str, Any] = {"value": value}
    for key, item in (("unit", unit), ("change", change), ("pct", pct), ("printed", printed),
                      ("label", label), ("source", src)):
        if item is not None and item != "":
            out[key] = item
    return out


def phrase_figure(phrase: Phrase, section: str, *, label: str | None = None) -> dict:
    """The figure of a narrative phrase, with its source excerpt."""
    stream: Stream = phrase.stream
    first, _ = phrase.lines
    return figure(phrase.value, phrase.unit, change=phrase.change, pct=phrase.pct,
                  printed=phrase.printed, label=label or phrase.label or None,
                  src=source(stream.document.name, section, first, phrase.text))


class RecordBuilder:
    """A nested dict under construction plus the unread list."""

    def __init__(self, document: str):
        self.document = document
        self.data: dict[str, Any] = {}
        self.unread: list[dict] = []

    # -- values --------------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        node: Any = self.data
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def put(self, path: str, value: Any, *, section: str = "", lines: tuple[int, int] = (0, 0)) -> bool:
        """Write *value* at *path*; a different value already there is kept and the new one is
        listed as unread. Returns whether the value was written (or equal to what was there)."""
        keys = path.split(".")
        node = self.data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        existing = node.get(keys[-1])
        if existing is not None:
            if _value_of(existing) == _value_of(value):
                return True
            shown = _value_of(value)
            self.add_unread(section, lines,
                            f"duplicate of {path}: {shown} (kept {_value_of(existing)})")
            return False
        node[keys[-1]] = value
        return True

    def append(self, path: str, row: dict) -> None:
        keys = path.split(".")
        node = self.data
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node.setdefault(keys[-1], []).append(row)

    def put_phrase(self, path: str, phrase: Phrase, section: str) -> bool:
        phrase.used = True
        return self.put(path, phrase_figure(phrase, section), section=section, lines=phrase.lines)

    # -- unread --------------------------------------------------------------------------------
    def add_unread(self, section: str, lines: tuple[int, int], reason: str) -> None:
        entry = {"section": section or "", "lines": [int(lines[0]), int(lines[1])],
                 "reason": reason}
        if entry not in self.unread:
            self.unread.append(entry)

    def unread_phrase(self, phrase: Phrase, section: str, why: str = "not mapped to a field") -> None:
        if phrase.used:
            return
        phrase.used = True
        label = phrase.label or phrase.raw_label or "(no label)"
        kind = "change" if phrase.orphan else "amount"
        self.add_unread(section, phrase.lines,
                        f"{kind} {phrase.printed or phrase.value}{phrase.unit} ({label}) {why}: "
                        f"{phrase.text}")


def _value_of(item: Any) -> Any:
    if isinstance(item, dict) and "value" in item:
        return item["value"]
    return item
