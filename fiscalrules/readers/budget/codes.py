"""Full classification codes for a table's rows: from the codes it prints, or from its names.

Printed codes are rebuilt (:class:`CodeRebuilder`): a 款 printed as its own two digits ("05" under
"208") takes the 类 above, 类/款/项 printed in separate cells are joined.  A table printing names
only -- 类, 款 and 项 by name, indented or not, with no code column -- is keyed by the
classification's lists (:class:`NameCoder`): each name is the 项 of the 款 above, else the 款 of the
类 above, else a 类; the first level whose list has it (its standard, older or stem name) gives
its code.  A name no list has makes the row not understood.

A code printed in the name's own cell -- "[2070101]行政运行" or "【207】…", as the budget systems
(预算管理一体化) export it, or "2070101 行政运行" / "2070101-行政运行" in one cell -- is split off
by :func:`code_in_name`: the same row as one printing the code in a column of its own -- where a
classification list has the code (and, unbracketed, names it so), or where the code is a 款 or 项 of
the 类 or 款 the rows above printed (the lists are not complete, and names change from year to
year: "2130104 事业运行" under "21301 农业农村" is a 项 of that 款 whatever the lists hold).
"""

from __future__ import annotations

import re

from ...data.classification import classification

__all__ = ["CodeRebuilder", "NameCoder", "code_in_name", "BRACKETED_CODE"]

# "[2070101]", "【207】" (text is normalised: full-width brackets are ASCII, 【】 are not).
BRACKETED_CODE = re.compile(r"^[\[【](?P<code>\d{3}(?:\d{2}){0,2})[\]】]")
_CODE_IN_NAME = re.compile(r"^(?:[\[【](?P<bracketed>\d{3}(?:\d{2}){0,2})[\]】]\s*"
                           r"|(?P<code>\d{3}(?:\d{2}){0,2})(?:\s*[-—－、]\s*|\s+))(?P<name>[^\d\s].*)$")


_SCHEMES = ("function", "economic_department", "economic_government")


def code_in_name(text: str, named: bool = False, parents: tuple = ()) -> tuple[str, str] | None:
    """(code, name) of a cell printing a classification code before the name (module
    docstring); None for any other cell (a name alone, a figure, "2024年…").  The code must be
    one a classification list has -- and, where it is not bracketed, the name that code's own --
    for any number may begin a name ("100 周年纪念活动", "211 工程建设": 211 is 节能环保支出):
    split off wrongly, such a row became a 类 and the table was read with false findings (review
    26); left whole, its row is not understood and the table is listed.  *named*: the name must be
    the code's own even where bracketed (a bracketed code on a line with no figure may be a unit's:
    "[302]景德镇市…局", 302 being an economic 类 too).  *parents*: the 类 and 款 of the rows
    above; a 款 or 项 code under one of them is split off whatever the lists hold (a number
    beginning a name is no code one digit level below the class printed above it)."""
    found = _CODE_IN_NAME.match(text.strip())
    if found is None:
        return None
    code, name = found.group("bracketed") or found.group("code"), found.group("name").strip()
    if len(code) > 3 and code[:-2] in [p for p in parents if p]:
        return code, name
    for scheme in _SCHEMES:
        listed = classification(scheme)
        if listed.name(code) is None:
            continue
        parent = code[:-2] if len(code) > 3 else None
        if (found.group("bracketed") and not named) or listed.is_standard(code, name) or listed.find(name, parent) == code:
            return code, name
    return None


class CodeRebuilder:
    """Turns printed codes into full codes, remembering the 类 and 款 above."""

    def __init__(self, economic: bool, has_full_items: bool):
        self.economic = economic
        self.has_full_items = has_full_items
        self.lei: str | None = None
        self.kuan: str | None = None
        self.last_len = 0

    def full(self, pieces: list[str], name: str | None = None) -> str | None:
        """The full code of a row printing *pieces* (its name *name*, where printed: a two-digit
        code after a 项 is a 款 of the 类 above only when the classification names it so -- "02 文物"
        after "01 行政运行" -- else a 项 of the 款 above)."""
        if len(pieces) > 1 and len(pieces[0]) == 3:
            # 类/款/项 in separate cells: a one-digit 款 or 项 ("301 2 津贴补贴") lost its zero.
            pieces = [pieces[0]] + [p.zfill(2) if len(p) == 1 else p for p in pieces[1:]]
        if len(pieces) > 1 and len(pieces[0]) == 3 and all(len(p) == 2 for p in pieces[1:]):
            code = "".join(pieces)
        elif len(pieces) == 1:
            code = pieces[0]
            if len(code) in (2, 4) and self.lei is None:
                return None
            if len(code) == 2:
                # A 2-digit code is a 款 under the 类 above, unless this table prints 款 in full
                # and items (项) short: then it is a 项 under the 款 above.
                if self.economic or self.has_full_items or self.last_len == 3 or self.kuan is None:
                    code = self.lei + code
                elif name and self._names(self.lei + code, name) and not self._names(self.kuan + code, name):
                    code = self.lei + code
                else:
                    code = self.kuan + code
            elif len(code) == 4 and not self.economic:
                code = self.lei + code          # 款 and 项 printed together ("0505")
        else:
            return None
        if len(code) == 3:
            self.lei, self.kuan = code, None
        elif len(code) == 5:
            self.lei, self.kuan = code[:3], code
        elif len(code) == 7:
            self.lei, self.kuan = code[:3], code[:5]
        self.last_len = len(pieces[0]) if len(pieces) == 1 else len(code)
        return code


    @staticmethod
    def _names(code: str, name: str) -> bool:
        """Whether the function classification lists *code* under the printed *name* (or its older
        name or stem)."""
        return classification("function").find(name, code[:-2]) == code


class NameCoder:
    """Codes for the rows of a table that prints names only (module docstring)."""

    def __init__(self, scheme: str):
        self.lists = classification(scheme)
        self.lei: str | None = None
        self.kuan: str | None = None

    def parents(self) -> tuple:
        """The 类 and 款 of the rows above (for :func:`code_in_name`)."""
        return self.lei, self.kuan

    def printed(self, code: str) -> None:
        """A row printed its *code* (in its name's cell): the rows below stand under it."""
        self.lei, self.kuan = code[:3], (code[:5] if len(code) > 3 else None)

    def code(self, name: str) -> str | None:
        for parent in [p for p in (self.kuan, self.lei) if p] + [None]:
            found = self.lists.find(name, parent)
            if found is not None:
                if len(found) == 3:
                    self.lei, self.kuan = found, None
                elif len(found) == 5:
                    self.lei, self.kuan = found[:3], found
                return found
        return None
