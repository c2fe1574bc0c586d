"""Workbooks embedded in a Word document: a table pasted as an Excel object, read as its rows.

A table drafted in Excel and pasted into the Word document as an object ("Microsoft Excel 工作表
对象") is not a Word table: the document holds a picture of it, and the workbook itself as an
embedded part -- a ``.docx`` under ``word/embeddings/`` (an ``.xlsx``, or an old binary workbook
in an OLE2 file), a ``.doc`` in its ``ObjectPool`` storage.  Read as the document shows it, such a
disclosure had no tables: its figures printed only there went unread.  :func:`workbook_lines` reads
an embedded object's bytes as the workbook readers read a workbook -- the sheet the object shows
(its workbook's active sheet), a tab-separated line a row -- which the Word readers write where
the object stands, as they write a table.  An object that is no workbook (a chart, an equation,
a picture) gives nothing; a damaged workbook is refused as a workbook file is, naming the document.
"""

from __future__ import annotations

__all__ = ["workbook_lines", "pooled_workbook_lines", "MAX_OBJECTS"]

#: Workbook objects read in one document (a real one embeds a few tables; each is read once).
MAX_OBJECTS = 200

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def workbook_lines(data: bytes, name: str) -> list[str] | None:
    """The rows of the workbook an embedded object *data* holds (named *name* in errors), as lines;
    None when the object holds no workbook."""
    if data.startswith(b"PK\x03\x04"):
        from .zipped import office_kind
        if office_kind(data) != "xlsx":
            return None
        from .xlsx import xlsx_text
        return xlsx_text(data, name, shown_sheet=True).splitlines()
    if not data.startswith(_OLE2):
        return None
    package = _package(data)
    if package is not None:   # (an Excel 2007 workbook wrapped in an OLE2 object: its Package stream)
        return workbook_lines(package, name)
    from .xls import names_a_workbook, xls_text
    if not names_a_workbook(data):
        return None
    return xls_text(data, name, shown_sheet=True).splitlines()


def pooled_workbook_lines(stream: str, data: bytes, name: str) -> list[str] | None:
    """The rows of a workbook a ``.doc`` embeds (its ``ObjectPool`` storage's *stream*: ``Package``
    an .xlsx, ``Workbook`` / ``Book`` an old binary workbook's records, read as they are), as lines."""
    if stream == "Package":
        return workbook_lines(data, name)
    from .xls import xls_text
    return xls_text(data, name, shown_sheet=True).splitlines()


def _package(data: bytes) -> bytes | None:
    """The ``Package`` stream of an OLE2 object (an Office 2007 file embedded by an old binary
    document), or None."""
    if "Package".encode("utf-16-le") not in data:
        return None
    try:
        import olefile
        from .compound import stream
        with olefile.OleFileIO(data) as ole:
            return stream(ole, "Package", len(data)) if ole.exists("Package") else None
    except Exception:  # noqa: BLE001 -- not an object olefile can open: no package in it
        return None
