"""Old binary Excel workbooks (.xls, Excel 97-2003) → text: the national tables as many portals
still attach them.

A ``.xls`` file is an OLE2 compound document (its first bytes ``D0 CF 11 E0``) holding a
``Workbook`` stream; :func:`xls_text` writes it out as :mod:`.xlsx` writes a workbook -- a page a
sheet, a line a row, a merged cell's value in its first column, numbers as their formats show
them (:mod:`.sheets`) -- so the readers read it as they read the same tables printed.  A date
cell is written as its date (``2025-01-15``), an error cell (``#DIV/0!``) as a blank.

xlrd (the ``xls`` extra) reads the file, imported only for such a file.  (A compound document
naming a ``WordDocument`` stream is a Word ``.doc``: :mod:`.doc` reads it.)  One holding neither
is refused; a damaged file (its compound document: "a damaged old binary Excel or Word file",
there is no telling which) or one of more than :data:`.sheets.MAX_CELLS` cells is refused,
naming it.  The file is already bounded in size by the reader that read it.
"""

from __future__ import annotations

from ..errors import Location, ReaderError
from .sheets import MAX_CELLS, pages_text, sheet_lines, text_of_cell

__all__ = ["xls_text", "names_a_workbook", "MAX_CELLS"]

_WORKBOOK_STREAMS = tuple(name.encode("utf-16-le") for name in ("Workbook", "Book"))   # (as a directory names them)


def xls_text(data: bytes, name: str, *, shown_sheet: bool = False) -> str:
    """The text of the old Excel workbook *data* (named *name* in errors): a page per sheet;
    *shown_sheet*: the sheet the workbook shows alone (the selected one, else the first: an object
    embedded in a Word document shows that sheet, :mod:`.embedded`)."""
    where = Location(file=name)
    try:
        import xlrd
        from xlrd.compdoc import CompDocError
    except ImportError:
        raise ImportError('reading an old Excel workbook (.xls) needs xlrd, which is not installed: '
                          'pip install "fiscalrules[xls]"', name="xlrd") from None
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Quiet(), verbosity=0)
    except Exception as exc:  # noqa: BLE001 -- xlrd's errors on a damaged file are of many kinds
        if "workbook" in str(exc).lower() and "ole2" in str(exc).lower():   # (no Workbook stream)
            raise ReaderError(f"cannot read disclosure: {name} is an OLE2 file holding neither a workbook "
                              "nor a Word document", where) from None
        # (the compound document itself, or a file cut before its directory names a workbook:
        # a .xls or a .doc alike, no telling which)
        if isinstance(exc, CompDocError) or not names_a_workbook(data):
            raise ReaderError(f"cannot read disclosure: {name} is a damaged old binary Excel or Word file "
                              f"(.xls, .doc) ({str(exc)[:200]})", where) from None
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Excel workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]})", where) from None
    try:
        pages, cells = [], 0
        formats: dict = {}   # cell format (xf) index → its number format's text, for every sheet
        for index in _shown(book) if shown_sheet else range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility and not shown_sheet:   # (a hidden sheet: not shown)
                book.unload_sheet(index)
                continue
            cells += sheet.nrows * sheet.ncols
            if cells > MAX_CELLS:
                raise ReaderError(f"cannot read disclosure: {name} has sheets of more than {MAX_CELLS:,} cells "
                                  f"(sheet {sheet.name!r} spans {sheet.nrows:,} rows × {sheet.ncols:,} columns)", where)
            pages.append(sheet_lines(_rows(book, sheet, formats), sheet.name))
            book.unload_sheet(index)
    except ReaderError:
        raise
    except Exception as exc:  # noqa: BLE001 -- a sheet's records damaged past what open_workbook read
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Excel workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]})", where) from None
    finally:
        book.release_resources()
    return pages_text(pages)


def names_a_workbook(data: bytes) -> bool:
    """Whether the compound document *data* names a workbook's stream (``Workbook``, or an older
    Excel's ``Book``): looked for in its bytes, as :func:`.doc.is_word_document` looks for its own."""
    return any(stream in data for stream in _WORKBOOK_STREAMS)


def _shown(book) -> list[int]:
    """The index of the sheet a workbook shows: the one its window selects, else the first."""
    for index in range(book.nsheets):
        selected = book.sheet_by_index(index).sheet_selected
        book.unload_sheet(index)
        if selected:
            return [index]
    return [0] if book.nsheets else []


def _rows(book, sheet, formats: dict):
    """Each row of *sheet* as its cells' texts (*formats*: the book's number formats read so far),
    as Excel shows it: its hidden rows and columns left out."""
    import xlrd   # (imported already by xls_text: its cell kinds)
    hidden_columns = {column for column, info in sheet.colinfo_map.items() if info.hidden}
    for r in range(sheet.nrows):
        info = sheet.rowinfo_map.get(r)
        if info is not None and info.hidden:
            continue
        texts = []
        for column, cell in enumerate(sheet.row(r)):
            if column in hidden_columns:
                continue
            kind = cell.ctype
            if kind == xlrd.XL_CELL_NUMBER:
                xf = cell.xf_index
                number_format = formats.get(xf)
                if number_format is None:
                    number_format = formats[xf] = _format_of(book, xf)
                texts.append(text_of_cell(cell.value, number_format))
            elif kind == xlrd.XL_CELL_DATE:
                texts.append(_date_text(cell.value, book.datemode))
            elif kind == xlrd.XL_CELL_BOOLEAN:
                texts.append(text_of_cell(bool(cell.value)))
            elif kind == xlrd.XL_CELL_TEXT:
                texts.append(text_of_cell(cell.value))
            else:   # empty, blank, error
                texts.append("")
        yield texts


def _format_of(book, xf_index) -> str:
    """The number format of cell format *xf_index* (General where the file does not say)."""
    try:
        found = book.format_map.get(book.xf_list[xf_index].format_key)
    except (IndexError, TypeError):
        return "General"
    return found.format_str if found is not None and found.format_str else "General"


def _date_text(value: float, datemode: int) -> str:
    import xlrd
    try:
        year, month, day, hour, minute, second = xlrd.xldate_as_tuple(value, datemode)
    except Exception:  # noqa: BLE001 -- a date out of Excel's range
        return ""
    text = f"{year:04d}-{month:02d}-{day:02d}" if year else ""
    if hour or minute or second:
        text = (text + " " if text else "") + f"{hour:02d}:{minute:02d}:{second:02d}"
    return text


class _Quiet:
    """xlrd's log: its warnings on odd records are not the user's output."""

    def write(self, text) -> None:
        pass

    def flush(self) -> None:
        pass
