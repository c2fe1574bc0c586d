"""A table row's cells → the tab-joined line the readers read, for every format that gives its
tables as cells (HTML, Word .docx and .doc, RTF, spreadsheets).

One place for what those formats' rows share: a row is as long as its last printed cell (the
empty cells after it are dropped), and a label printed letter-spaced to centre it in its cell
("合　　计", "收 入 总 计", "项　目": a web page's or a Word table's way, where a PDF's text would
leave the letters as words of their own) is written as the word it spells, so that a reader
finds 合计 / 总计 / 项目 in a cell whatever the format.  Cells are joined as they are otherwise.
"""

from __future__ import annotations

import re

__all__ = ["tab_line", "cell_word"]

# CJK letters one run of spaces apart (ideographic and no-break spaces too), the whole cell
_LETTER_SPACED = re.compile(r"[\u3400-\u9fff](?:[ \u3000\xa0]+[\u3400-\u9fff])+")
# ...unless they are the 功能分类's level names side by side ("类 款 项" over three code
# columns, printed in one merged cell): three headers, not one word
_LEVELS = frozenset("类款项")


def cell_word(text: str) -> str:
    """A cell's text, letter-spaced CJK joined into the word it spells (see the module)."""
    stripped = text.strip()
    if _LETTER_SPACED.fullmatch(stripped):
        letters = [ch for ch in stripped if not ch.isspace()]
        if not set(letters) <= _LEVELS:
            return "".join(letters)
    return text


def tab_line(cells: list[str]) -> str:
    """The line of a row of *cells* ("" for a row of empty cells)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return "\t".join(cell_word(cell) for cell in cells[:end])
