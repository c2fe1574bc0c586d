"""The unit a table declares for its figures (万元, 元, 千元, 亿元): one judgement for both readers.

A table prints its unit on a line of its own above the header ("单位：万元"), at the right of the
编制单位 line ("编制单位：… 金额单位：元"), in its title, in its header cells ("合计（元）", "预算数
（万元）", "金额(单位:元)"), or in a note under it ("注：本表金额单位为元。").  :func:`declared_unit`
looks in that order; a reader that finds none reads the table in the template's 万元 and says so in
its unread list (never a silent guess).  Header cells naming two different units declare none.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable

__all__ = ["UNIT", "NOTE_UNIT", "HEADER_UNIT", "declared_unit", "NO_UNIT"]

UNIT = re.compile(r"(?:金额)?单位[:]\s*(?P<unit>万元|亿元|千元|元)")
# A unit stated in a note under the table ("注：本表金额单位为元。").
NOTE_UNIT = re.compile(r"单位(?:为|是|[:])\s*(?P<unit>万元|亿元|千元|元)")
NO_UNIT = "no unit printed for this table: its figures are read as 万元"
# A unit in brackets after a header cell's name ("合计（元）", "预算数(万元)", "金额(单位:元)").
HEADER_UNIT = re.compile(r"[(（](?:金额)?(?:单位[:：]?)?(?P<unit>万元|亿元|千元|元)[)）]")
_FIGURE = re.compile(r"\d[\d,]*\.\d|\d{1,3}(?:,\d{3})+")


def declared_unit(lines: Iterable[str], title: str, notes: Iterable[str]) -> str | None:
    """The unit declared by the table's lines (its unit line, or the 编制单位 line), else its title,
    else a note (each note's text without spaces); None when it declares none."""
    lines = list(lines)
    for text in lines:
        found = UNIT.search(text)
        if found:
            return found.group("unit")
    found = UNIT.search(title) or NOTE_UNIT.search(title)
    if found:
        return found.group("unit")
    in_header = {found.group("unit") for text in lines if not _FIGURE.search(text)
                 for found in HEADER_UNIT.finditer(text)}
    if len(in_header) == 1:
        return in_header.pop()
    for note in notes:
        found = NOTE_UNIT.search("".join(note.split()))
        if found:
            return found.group("unit")
    return None
