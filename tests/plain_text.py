"""A fictional table given as plain text, read and audited: the tests of text without column positions
(``pdfplumber``'s ``extract_text``, ``pdftotext`` without -layout), budget and 决算 alike."""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_document


class PlainText:
    """Text read under a template's *heading* (the part that names its tables) and audited by *ruleset*."""

    def __init__(self, heading: str, ruleset: str):
        self.heading, self.ruleset = heading, ruleset

    def read(self, text: str) -> dict:
        return read_document((self.heading + text).encode("utf-8"), name="x.txt")

    def audit(self, record: dict) -> dict[str, list[str]]:
        """Each status's findings, as "RULE message"."""
        out: dict[str, list[str]] = {}
        for f in fiscalrules.load_ruleset(self.ruleset).evaluate(record).findings:
            out.setdefault(f.status, []).append(f"{f.rule} {f.message}")
        return out


def value(cell) -> str | None:
    """A figure's value (None where the cell is no figure)."""
    return cell.get("value") if isinstance(cell, dict) else None
