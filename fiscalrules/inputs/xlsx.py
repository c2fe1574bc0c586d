"""Excel workbooks (.xlsx) → text: the national tables published as a spreadsheet.

Departments often publish the nine tables of their budget as an Excel attachment beside (or
instead of) the PDF.  Such a workbook (a zip holding ``xl/workbook.xml``: :func:`.zipped.office_kind`
tells it from other input); :func:`xlsx_text` writes it out as text the readers already read: each sheet a
page (a form feed between sheets), each row a line of its cells joined by tabs -- a merged cell's
value in its first column, the columns it covers empty, as a web page's spans are
(:mod:`.html`) -- so a sheet reads as the same table printed in a PDF.  A sheet named as a
table ("收支总表") has its name printed first where its first rows carry no title of their own
(no "表" among them).

A number is written as the workbook shows it: with the decimals its number format gives (a
``0.00`` format prints ``1286.4`` as ``1286.40``: the rounding tolerance is the printed one), a
percentage format times 100 with ``%``.  Excel stores numbers as binary doubles; the digits are
taken from the shortest decimal that round-trips (``repr``), which is what was typed, then
padded or rounded in :class:`~decimal.Decimal` -- no float arithmetic on an amount.  Formulas
are read as the values the workbook saved with them (a formula never computed by a spreadsheet
program reads as a blank cell).

openpyxl (the ``xlsx`` extra) reads the file, imported only for a workbook.  A workbook is
opened only within bounds: at most 50 MB unpacked and 2,000,000 cells, so a zip bomb or a sheet
claiming a million rows is refused, naming the file.  The old binary ``.xls`` is refused with a
word on saving it as ``.xlsx``.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import Location, ReaderError
from .zipped import BAD_ZIP

__all__ = ["xlsx_text", "MAX_CELLS", "MAX_UNPACKED"]

MAX_UNPACKED = 50_000_000    # bytes of the workbook's parts, unpacked (a real one: under 1 MB)
MAX_CELLS = 2_000_000         # cells of all its sheets
# The decimals of a number format's first section ("#,##0.00_ ;[Red]-#,##0.00" → 2, "0%" → 0).
_DECIMALS = re.compile(r"0\.(0+)")


def xlsx_text(data: bytes, name: str) -> str:
    """The text of the workbook *data* (named *name* in errors): a page per sheet, a line per row."""
    where = Location(file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except BAD_ZIP as exc:
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Excel workbook ({exc})", where) from None
    if unpacked > MAX_UNPACKED:
        raise ReaderError(f"cannot read disclosure: {name} unpacks to {unpacked:,} bytes, more than the "
                          f"{MAX_UNPACKED:,} a workbook may", where)
    try:
        import openpyxl
    except ImportError:
        raise ImportError('reading an Excel workbook needs openpyxl, which is not installed: '
                          'pip install "fiscalrules[xlsx]"', name="openpyxl") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 -- openpyxl's errors on a damaged file are of many kinds
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Excel workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]})", where) from None
    pages, cells = [], 0
    for sheet in book.worksheets:
        cells += (sheet.max_row or 0) * (sheet.max_column or 0)
        if cells > MAX_CELLS:
            raise ReaderError(f"cannot read disclosure: {name} has sheets of more than {MAX_CELLS:,} cells "
                              f"(sheet {sheet.title!r} spans {sheet.max_row:,} rows × {sheet.max_column:,} columns)", where)
        pages.append(_sheet_lines(sheet))
    return "\f\n".join("\n".join(lines) + "\n" for lines in pages if lines)


def _sheet_lines(sheet) -> list[str]:
    lines = []
    for row in sheet.iter_rows():
        cells = [_cell_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            lines.append("\t".join(cells))
        elif lines and lines[-1]:
            lines.append("")
    if lines and "表" in sheet.title and not any("表" in line for line in lines[:3]):
        lines.insert(0, sheet.title.strip())   # (a table titled by its sheet's name alone)
    return lines


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number_text(value, getattr(cell, "number_format", None) or "General")
    text = str(value)
    return " ".join(text.split())   # (a line break inside a cell: the cell's words on one line)


def _number_text(value: int | float, number_format: str) -> str:
    """*value* as its number format shows it (see the module doc): its decimals, a percentage
    times 100; the digits those of the shortest decimal that round-trips the double."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
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
        number = number.quantize(Decimal(1).scaleb(-len(found.group(1)) if found else 0), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    return text + "%" if percent else text
