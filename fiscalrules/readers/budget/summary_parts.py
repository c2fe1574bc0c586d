"""The rows of a 收支总表 side printed as the parts of the row above them: "其中：事业收入" under
"五、单位资金收入", and the rows after it indented further than that row ("        其他收入").

Such a row is a part (level 2), never an income source of its own: summed with the row it makes
up, the side's rows came to more than its 本年收入合计 by the parts (a false TSU-004 on a correct
table).  A part after the "其中" row is told by its indentation only -- printed flush with the
numbered rows, an unnumbered row is a row of its own (as 上年结转 is) -- so where the text keeps
no indentation (a cell after another on its line, in text without tabs) only the "其中" row is
a part.  In a PDF the line's text keeps no blanks before a cell: there the indentation is where
the cell's box starts (:func:`indentation` given the box), in points.
"""

from __future__ import annotations

import re

__all__ = ["PartsBelow", "indentation"]

_PARTS_OPEN = re.compile(r"^其中[:：]?")


def indentation(original: str, start: int, box=None) -> float | None:
    """How far the cell starting at *start* of the line *original* is indented: the blanks
    before it back to the line's start or the tab before it; None when something else stands
    there (a cell after a figure on the same line: its place says nothing of indentation).
    A cell read from a PDF (*box*, its x0 first) is indented by where it starts on the page:
    the line's text holds no blanks for the space before it ("其中：一般公共预算拨款" / "单位资金"
    set in under "上年结转结余" all read flush, the parts taken for income of their own)."""
    if box is not None:
        return box[0]
    begin = original.rfind("\t", 0, start) + 1
    before = original[begin:start]
    return len(before) if not before.strip() else None


class PartsBelow:
    """Each side's rows in print order, each given its level: 2 for a row numbered as a part
    ("1.", "(一)"), a "其中" row and the rows indented under it; else 1.  A numbered part also
    names the row it is a part of (:meth:`parent`): "五、单位资金" over "（一）事业收入" …
    "（五）其他收入" is a group and its sources, whose parts add up to it (TSU-008) -- a "其中"
    breakdown need not be whole, and is never so checked."""

    def __init__(self) -> None:
        self._parent_indent: dict[str, float | None] = {}    # the indentation of the row above the parts
        self._open: dict[str, bool] = {}                    # whether a "其中" row opened parts
        self._above: dict[str, str] = {}                    # the name of the side's last level-1 row

    def level(self, side: str, name: str, numbered_part: bool, indent: float | None) -> int:
        if _PARTS_OPEN.match(name):
            self._open[side] = True
            return 2
        if numbered_part:
            return 2
        parent = self._parent_indent.get(side)
        # (by a character in text, by more than a point's jitter of where a PDF sets a cell)
        if self._open.get(side) and indent is not None and parent is not None and indent - parent >= 1:
            return 2
        self._open[side] = False
        self._parent_indent[side] = indent
        self._above[side] = name
        return 1

    def parent(self, side: str) -> str | None:
        """The name of the level-1 row the side's rows since are parts of (None before any)."""
        return self._above.get(side)
