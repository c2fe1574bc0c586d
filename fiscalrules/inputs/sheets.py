"""A spreadsheet's sheets → the text lines the readers read, whichever file format held them.

The national tables published as a workbook (:mod:`.xlsx`, :mod:`.xls`) are written out as a
table printed in a PDF reads: each sheet a page, each row a line of its cells joined by tabs -- a
merged cell's value in its first column, the columns it covers empty (as a web page's spans
are, :mod:`.html`) -- trailing empty cells dropped and runs of empty rows one blank line.  What Excel does not show --
hidden sheets, rows and columns -- is left out by the readers (it is not printed).  A sheet
named as a table ("收支总表") has its name printed first where its first rows carry no title of
their own (no "表" among them).

A number is written as the workbook shows it (:func:`number_text`): with the decimals its number
format gives (a ``0.00`` format prints ``1286.4`` as ``1286.40``: the rounding tolerance is the
printed one), a percentage format times 100 with ``%``, a whole number in the ``General`` format
without decimals (``12.0`` as ``12``).  Spreadsheets store numbers as binary doubles; the digits are
taken from the shortest decimal that round-trips (``repr``), which is what was typed, then
padded or rounded in :class:`~decimal.Decimal` -- no float arithmetic on an amount.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .tabrows import tab_line

__all__ = ["MAX_CELLS", "sheet_lines", "number_text", "text_of_cell", "pages_text"]

MAX_CELLS = 2_000_000         # cells of all the sheets of a workbook
# The decimals of a number format's first section ("#,##0.00_ ;[Red]-#,##0.00" → 2, "0%" → 0).
_DECIMALS = re.compile(r"0\.(0+)")
# Excel shows at most 30 decimals, whatever a (hostile) format asks for; enough digits for any
# double's value padded to them (1.8e308 and 30 decimals).
_MOST_DECIMALS = 30
_WIDE = Context(prec=400)


def sheet_lines(rows, title: str) -> list[str]:
    """The lines of a sheet titled *title* whose *rows* are lists of cell texts, in order."""
    lines = []
    for cells in rows:
        line = tab_line(cells)
        if line:
            lines.append(line)
        elif lines and lines[-1]:
            lines.append("")
    if lines and "表" in title and not any("表" in line for line in lines[:3]):
        lines.insert(0, title.strip())   # (a table titled by its sheet's name alone)
    return lines


def pages_text(pages: list) -> str:
    """The text of a workbook whose sheets' lines are *pages*: a form feed between sheets."""
    return "\f\n".join("\n".join(lines) + "\n" for lines in pages if lines)


def text_of_cell(value, number_format: str | None = None) -> str:
    """A cell's value as the sheet shows it: a number by :func:`number_text`, a flag 是 / 否,
    text with its line breaks and runs of blanks made one space (a cell's words on one line)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return number_text(value, number_format or "General")
    return " ".join(str(value).split())


def number_text(value: int | float | Decimal, number_format: str) -> str:
    """*value* as its number format shows it (see the module doc): its decimals, a percentage
    times 100; the digits those of the shortest decimal that round-trips the double (a Decimal's
    as they are: a number a file writes as text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, Decimal) and not (value.is_finite() and -400 < value.adjusted() < 400):
        return ""   # (past any double's range: no spreadsheet holds it)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return ""
    section = number_format.split(";")[0]
    percent = "%" in section
    if percent:
        number = number.scaleb(2)
    found = _DECIMALS.search(section)
    if found is not None or "0" in section:   # (digit placeholders: "0.00" its decimals, "#,##0" none)
        # (in a context wide enough for any double: 1e30 in a "0.00" cell has 33 digits, past the
        # default context's 28, where quantize raises)
        places = min(len(found.group(1)), _MOST_DECIMALS) if found else 0
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)
    elif not percent and number == number.to_integral_value():   # (General shows 12.0 as 12)
        number = number.to_integral_value()
    text = format(number, "f")
    return text + "%" if percent else text
