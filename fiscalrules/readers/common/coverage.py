"""Coverage: how much of what a document prints in money the record holds (any template).

``measure(record, doc, table_lines, skip_lines)`` counts, line by line, the amounts the document
prints and the money figures the record read from that line, and returns ``_meta.coverage``::

    {"figures": {"read": N, "printed": M},
     "lines": {"with_amounts": T, "read": R, "unread": U, "silent": S},
     "table_lines": {"with_amounts": TT, "read": TR},
     "silent_lines": [line, ...]}

* printed amounts: in prose, a number with a money unit (万元, 元, 亿元, 千元, or 万 alone); on
  a table line, every number cell except the codes that start the row;
* read figures: money figures of the record (and their stated changes), counted at their source
  line; a figure whose phrase wraps onto the next line covers the amount printed there;
* a line is *read* when all its amounts are read, *unread* when the rest is listed in
  ``_meta.unread`` (its line range covers it), and *silent* otherwise: ``silent`` should be 0.

Counting is the reader's own check on itself, so it never looks at what a template means: only at
numbers, units, source lines and the unread list.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from ...document.model import Document

__all__ = ["measure", "MONEY_UNITS"]

MONEY_UNITS = ("万元", "元", "亿元", "千元")
_MONEY_TAIL = r"(?=\s*(?:万元|亿元|千元|元|万(?![人个次户])))"
_PROSE_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?" + _MONEY_TAIL)
_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE = re.compile(r"^\d{1,7}$")
_SILENT_SHOWN = 50


def printed_amounts(doc: Document, number: int, table: bool) -> int:
    """How many amounts line *number* prints."""
    line = doc.line(number)
    if not table:
        return len(_PROSE_AMOUNT.findall(line.text))
    words = [w.text for w in line.words]
    if any(w in ("**", "栏次") or w.startswith("*") for w in words):
        return 0            # the column-numbering row under a table's header ("** ** 1 2 3")
    # The classification codes that start a row (类 款 项, "301 2" with a lost zero) before its
    # name are not amounts; a row of figures only has none.
    name = next((i for i, w in enumerate(words) if not _CELL.match(w)), None)
    if name is None:        # no name printed on the line (a wrapped name): codes end at a figure
        name = next((i for i, w in enumerate(words) if not _CODE.match(w)), 0)
    start = name if all(_CODE.match(w) for w in words[:name]) else 0
    return sum(1 for w in words[start:] if _CELL.match(w)) + len(
        _PROSE_AMOUNT.findall(" ".join(w for w in words if not _CELL.match(w))))


def _figures(node: Any) -> Iterable[dict]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "value" in item and isinstance(item.get("source"), dict):
                yield item
            else:
                stack.extend(v for k, v in item.items() if k != "_meta")


def measure(record: dict, doc: Document, table_lines: set[int], skip_lines: set[int]) -> dict:
    read: Counter[int] = Counter()
    for fig in _figures(record):
        if fig.get("unit") not in MONEY_UNITS:
            continue
        line = fig["source"].get("line")
        if isinstance(line, int):
            read[line] += 1 + (fig.get("change") is not None)
    unread_lines: set[int] = set()
    for entry in record.get("_meta", {}).get("unread", []):
        lines = entry.get("lines") or [0, 0]
        unread_lines.update(range(int(lines[0]), int(lines[1]) + 1))
    printed_total = read_total = 0
    with_amounts = read_lines = listed = table_with = table_read = 0
    silent: list[int] = []
    carry = 0               # figures of a phrase that began on the line before
    for line in doc.lines:
        number = line.number
        if number in skip_lines or doc.is_noise(number):
            continue                # a blank line or page number between wrapped lines
        printed = printed_amounts(doc, number, number in table_lines)
        available = read.get(number, 0) + carry
        used = min(printed, available)
        carry = available - used if number not in table_lines else 0
        if not printed:
            continue
        printed_total += printed
        read_total += used
        with_amounts += 1
        if number in table_lines:
            table_with += 1
            table_read += used == printed
        if used == printed:
            read_lines += 1
        elif number in unread_lines:
            listed += 1
        else:
            silent.append(number)
    return {"figures": {"read": read_total, "printed": printed_total},
            "lines": {"with_amounts": with_amounts, "read": read_lines, "unread": listed,
                      "silent": len(silent)},
            "table_lines": {"with_amounts": table_with, "read": table_read},
            "silent_lines": silent[:_SILENT_SHOWN]}
