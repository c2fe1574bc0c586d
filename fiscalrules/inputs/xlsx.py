"""Excel workbooks (.xlsx) → text: the national tables published as a spreadsheet.

Departments often publish the nine tables of their budget as an Excel attachment beside (or
instead of) the PDF.  Such a workbook (a zip holding ``xl/workbook.xml``: :func:`.zipped.office_kind`
tells it from other input); :func:`xlsx_text` writes it out as text the readers already read,
a page a sheet and a line a row, numbers as their formats show them (:mod:`.sheets`).  Formulas
are read as the values the workbook saved with them.  A workbook written by a program other than a
spreadsheet (a budget system's export, a script) may hold formulas without any saved value -- a
合计 row written as ``=SUM(…)`` --: those cells read blank, and are said (*notes*: the sheet and the
cells), so that a total the file does not hold is listed as not read, never silently missing.

openpyxl (the ``xlsx`` extra) reads the file, imported only for a workbook.  A workbook is
opened only within bounds: at most 50 MB unpacked and 2,000,000 cells, so a zip bomb or a sheet
claiming a million rows is refused, naming the file.  The old binary ``.xls`` is :mod:`.xls`'s.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import Location, ReaderError
from .sheets import MAX_CELLS, pages_text, sheet_lines, text_of_cell
from .zipped import BAD_ZIP, part_targets

__all__ = ["xlsx_text", "MAX_CELLS", "MAX_UNPACKED"]

MAX_UNPACKED = 50_000_000    # bytes of the workbook's parts, unpacked (a real one: under 1 MB)


def xlsx_text(data: bytes, name: str, *, shown_sheet: bool = False, notes: list | None = None) -> str:
    """The text of the workbook *data* (named *name* in errors): a page per sheet, a line per row;
    *shown_sheet*: the sheet the workbook shows alone (its active one: an object embedded in a
    Word document shows that sheet, :mod:`.embedded`); *notes*, where given, gets (page, sheet,
    cells) for each sheet holding formulas saved without their values (read blank)."""
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
    shown = [book.active] if shown_sheet and book.active is not None else \
        [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]   # (a hidden sheet: not shown)
    for sheet in shown:
        cells += (sheet.max_row or 0) * (sheet.max_column or 0)
        if cells > MAX_CELLS:
            raise ReaderError(f"cannot read disclosure: {name} has sheets of more than {MAX_CELLS:,} cells "
                              f"(sheet {sheet.title!r} spans {sheet.max_row:,} rows × {sheet.max_column:,} columns)", where)
        pages.append(_sheet_lines(sheet))
    if notes is not None:
        unsaved = _formulas_without_values(data, shown)
        page = 0
        for sheet, lines in zip(shown, pages):
            page += bool(lines)   # (pages_text leaves an empty sheet out)
            if unsaved.get(sheet.title):
                notes.append((max(page, 1), sheet.title, unsaved[sheet.title]))
    return pages_text(pages)


# A cell holding a formula and no saved value (none, or empty: "<f>SUM(C2:C9)</f><v></v>"), in a
# sheet's XML, any namespace prefix; its start tag's attributes (group 1) say its place and type.
# Linear in the part, whatever it holds: no run a character class can repeat ("<f<f<f…" took
# 515 s per 400 KB with "[^>]*?", blanks with two "\s*" side by side 39 s).
_NO_VALUE = re.compile(rb"<(?:\w{1,32}:)?c\b([^<>]*)>\s*<(?:\w{1,32}:)?f\b[^<>]*(?:/>|>[^<]*</(?:\w{1,32}:)?f>)"
                       rb"\s*(?:<(?:\w{1,32}:)?v(?:\s*/>|>\s*</(?:\w{1,32}:)?v>)\s*)?</(?:\w{1,32}:)?c>")
_PLACE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="(\w{1,16})"')
# Result types whose empty value is a value: a formula giving text ("" where a template hides a
# zero: =IF(A1=0,"",A1)) is saved as t="str" with an empty <v>.
_TEXT_RESULTS = (b"str", b"inlineStr", b"s")


def _formulas_without_values(data: bytes, shown: list) -> dict[str, list[str]]:
    """The cells of the sheets *shown* (read with their saved values) that hold a formula saved
    without its value, by sheet title -- found in each sheet's XML (its part named by the
    workbook's relations); cells in hidden rows or columns left out, as their sheet's text
    leaves them."""
    from openpyxl.utils.cell import column_index_from_string
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _sheet_parts(archive)
        for sheet in shown:
            xml = _part(archive, parts.get(sheet.title))
            if b"<f" not in xml and b":f" not in xml:
                continue
            hidden_rows, hidden_columns = _hidden(sheet)
            cells = []
            for match in _NO_VALUE.finditer(xml):
                kind = _TYPE.search(match.group(1))
                if kind is not None and kind.group(1) in _TEXT_RESULTS:
                    continue
                place = _PLACE.search(match.group(1))
                if place is None:
                    cells.append("?")   # (a cell written without its place: said all the same)
                elif int(place.group(2)) not in hidden_rows and \
                        column_index_from_string(place.group(1).decode()) not in hidden_columns:
                    cells.append((place.group(1) + place.group(2)).decode())
            if cells:
                found[sheet.title] = cells
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's title → the name of its part in *archive* (by the workbook's relations)."""
    from xml.etree.ElementTree import ParseError
    from .safexml import Declares, parsed
    try:
        book = parsed(archive.read("xl/workbook.xml"))
        targets = part_targets(archive.read("xl/_rels/workbook.xml.rels"), "xl/")
    except (*BAD_ZIP, Declares, ParseError):
        return {}
    link = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {sheet.get("name") or "": targets.get(sheet.get(link), "")
            for sheet in book.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet")}


def _part(archive: zipfile.ZipFile, name: str | None) -> bytes:
    """A sheet part's bytes; nothing where the workbook names none or it is damaged (openpyxl
    read every sheet's already: a part it read is whole)."""
    if not name:
        return b""
    try:
        return archive.read(name)
    except BAD_ZIP:
        return b""


def _hidden(sheet) -> tuple[set, set]:
    """The numbers of *sheet*'s hidden rows and hidden columns."""
    hidden_rows = {number for number, row in sheet.row_dimensions.items() if row.hidden}
    hidden_columns = set()
    for column in sheet.column_dimensions.values():
        if column.hidden and column.min and column.max:
            hidden_columns.update(range(column.min, min(column.max, sheet.max_column or 0) + 1))
    return hidden_rows, hidden_columns


def _sheet_lines(sheet) -> list[str]:
    """The lines of a sheet as Excel shows it: its hidden rows and columns left out."""
    hidden_rows, hidden_columns = _hidden(sheet)
    rows = ([text_of_cell(cell.value, getattr(cell, "number_format", None)) for cell in row
             if cell.column not in hidden_columns]
            for row in sheet.iter_rows() if not row or row[0].row not in hidden_rows)
    return sheet_lines(rows, sheet.title)
