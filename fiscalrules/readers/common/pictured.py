"""Tables printed as pictures: listed as unread, and a required table not found there not failed.

Offices paste tables from the budget system's screen as pictures ("表5", then a paragraph holding
only an image: :mod:`fiscalrules.document.pictures`).  Nothing in such a table can be read, but it
is printed: each picture standing where the document's tables are is listed as unread ("printed
as a picture, not read"), and a template table not found in a document whose tables' part holds
pictures may be one of them -- its QUA-010 row is *not evaluable* (its ``present`` left out, the
unread entry saying why), not failed.

Where the tables are: after the tables' part begins (the 第二部分 heading, or the first table
read), or right after a line naming a table (its number "表5" / "附表5" / "公开表5", or a title
ending in 表).  A picture elsewhere -- a seal or emblem on the cover, a chart in the narrative
before any table -- is not a table and is left alone."""

from __future__ import annotations

import re
from collections.abc import Callable

from ...document.model import Document
from ...document.pictures import PICTURE_REASON, is_picture_line
from .record import RecordBuilder

__all__ = ["list_table_pictures", "presence"]

# A line naming a table: its number ("表5", "附表5", "公开表5", "表五") or a short title ending in 表
# ("2026年一般公共预算支出表", "一般公共预算支出表（表5）" too).
_TABLE_NUMBER = re.compile(r"^(?:附|公开|部门公开|预算公开)?表[\d一二三四五六七八九十]+")
_TABLE_TITLE = re.compile(r"表(?:[（(][^）)]{0,8}[）)])?$")
_TITLE_LENGTH = 40


def _names_table(compact: str) -> bool:
    return bool(_TABLE_NUMBER.match(compact)) or (len(compact) <= _TITLE_LENGTH and bool(_TABLE_TITLE.search(compact)))


def list_table_pictures(builder: RecordBuilder, doc: Document, tables_from: int | None,
                        section_at: Callable[[int], str]) -> list[int]:
    """The lines of the pictures standing where *doc*'s tables are (at or after line *tables_from*,
    the tables' part's first line, if known; or right after a line naming a table), each listed as
    unread in the section *section_at* names for its line."""
    found: list[int] = []
    previous = ""
    for line in doc.lines:
        if is_picture_line(line.text):
            if (tables_from is not None and line.number >= tables_from) or _names_table(previous):
                found.append(line.number)
                builder.add_unread(section_at(line.number), (line.number, line.number), PICTURE_REASON)
        elif line.compact:
            previous = line.compact
    return found


def presence(found: bool, pictured: bool) -> bool | None:
    """A required table's ``present`` for quality.sections: True where found; where not, None (not
    known: QUA-010 not evaluable) when the tables' part holds pictures it may be one of, else False."""
    return True if found else (None if pictured else False)
