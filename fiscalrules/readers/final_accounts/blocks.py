"""Where the nine standard 决算 tables are, and what their readers share.

Each table runs from its title line (the national wording, :data:`TABLES`) to its note
("注：本表反映…") or the next title: :func:`find_tables`.  The readers of the table kinds
(:mod:`.two_sided`, :mod:`.coded`, :mod:`.tables`) share the figure pattern, the code at the start of
a coded line, and the making of a figure with its source line.
"""

from __future__ import annotations

import re

from ...data.classification import classification
from ...document.model import Document, Line
from ..common.record import figure, source

__all__ = ["TABLES", "TableBlock", "find_tables", "NUMBER", "CODE_START", "line_source", "amount_figure",
           "complete_name"]

# key → (title as printed, ending) in the national wording
TABLES = {
    "summary": "收入支出决算总表",
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "appropriation_summary": "财政拨款收入支出决算总表",
    "general_budget": "一般公共预算财政拨款支出决算表",
    "general_budget_basic": "一般公共预算财政拨款基本支出决算表",
    "three_public": "财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款收入支出决算表",
}
NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE_START = re.compile(r"^(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?(?!\d)")


class TableBlock:
    """A printed table: its key, title line, and the lines up to its note (inclusive)."""

    def __init__(self, key: str, title: int, last: int):
        self.key, self.title, self.last = key, title, last


def _title_key(compact: str) -> str | None:
    text = compact.replace('"', "“", 1).replace('"', "”", 1)
    for key, title in sorted(TABLES.items(), key=lambda kv: -len(kv[1])):
        if text.endswith(title) and len(text) <= len(title) + 4:
            return key
    return None


def find_tables(doc: Document, skip: set[int]) -> list[TableBlock]:
    """Every standard table printed (not the table of contents), title to note."""
    starts = [(line.number, key) for line in doc.lines
              if line.number not in skip and (key := _title_key(line.compact))]
    blocks = []
    for i, (number, key) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(doc)
        last = number
        for n in range(number + 1, end + 1):
            compact = doc.line(n).compact
            if re.match(r"^第[一二三四五六七八九十]+部分", compact):
                break
            last = n
            if compact.startswith("说明:") or compact.startswith("注:"):
                # the note; a 说明 line may follow it
                if n + 1 <= end and doc.line(n + 1).compact.startswith("说明:"):
                    last = n + 1
                if compact.startswith("说明:"):
                    break
                if not (n + 1 <= end and doc.line(n + 1).compact.startswith(("无", "说明:"))):
                    break
        blocks.append(TableBlock(key, number, last))
    return blocks


def line_source(doc: Document, line: Line, section: str, start: int = 0, end: int | None = None) -> dict:
    return source(doc.name, section, line.number, line.original.strip(),
                  page=line.page if line.boxes is not None else None, box=line.box(start, end))


def amount_figure(text: str, doc: Document, line: Line, section: str, unit: str = "万元") -> dict:
    value = text.replace(",", "")
    return figure(value, unit, printed=text if value != text else None, src=line_source(doc, line, section))



def complete_name(code: str, name: str, scheme: str) -> bool:
    """Whether *name* is the whole printed name: a part of the standard name is the piece of a
    name the table wrapped onto another line, not a name of its own."""
    standard = classification(scheme).name(code)
    return not (standard and name != standard and (name in standard or name.startswith(standard)))

