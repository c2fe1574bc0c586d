"""Inputs: a document given as a path, text or bytes → the one document model.

Template-agnostic: nothing here knows about budgets. :func:`open_document` tells a PDF (by its
``%PDF`` signature, whatever the file is called), an Excel workbook or a Word document (a zip
holding ``xl/workbook.xml`` or ``word/document.xml``; an old binary ``.xls`` or ``.doc``, an OLE2
compound document; an RTF document; Word's or Excel's XML; a web archive, .mht; an OFD document,
a zip holding ``OFD.xml``) from text and hands it to :mod:`.pdf`, :mod:`.ofd`, :mod:`.xlsx`,
:mod:`.xls`, :mod:`.docx`, :mod:`.doc`, :mod:`.rtf`,
:mod:`.office_xml`, :mod:`.mht` or :mod:`.text` (a web page written out by :mod:`.html` there);
``source`` decides what was given and refuses unreadable input.
"""

from __future__ import annotations

import os

from .bounded import MAX_DOCUMENT_BYTES, MAX_PDF_BYTES

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from ..document.model import Document

__all__ = ["open_document", "is_pdf"]

# The PDF signature may follow a little junk; the standard allows it within the first 1024 bytes.
_SNIFF = 1024


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:_SNIFF]


def open_document(source: str | os.PathLike | bytes, name: str | None = None) -> Document:
    """The document model of *source*: a path (of any form the readers take, told by its first
    bytes), the text itself, raw bytes, or a document of a zip archive (:mod:`.archive`)."""
    # Imported here, not with the package: the bounded reader (.bounded) is read by the command
    # line's pattern cache before the modules that compile patterns -- these among them -- load.
    # The PDF reader only for a PDF.
    from .pathnames import path_name, path_text
    from .source import read_file, refuse_own_report, text_of_file
    from .text import document_of, read_text
    if isinstance(source, (bytes, bytearray)):
        refuse_own_report(source, name or "<bytes>")
        document = _binary(bytes(source), name or "<bytes>", None)
        return document if document is not None else read_text(source, name)
    if type(source) is not str and type(source).__name__ == "ArchiveMember":
        # A document of a zip archive (.archive): its bytes, read from the archive, never from disk,
        # named by its path there ("bundle.zip/表/a.pdf": its record's id is its stem, its figures
        # and errors name that path).
        return open_document(source.read(max(MAX_PDF_BYTES, MAX_DOCUMENT_BYTES)), name or str(source))
    # A file is read once, through the bounded reader (a FIFO or device is refused, never read),
    # and its first bytes tell a PDF from text; anything else goes to the text loader.
    # (a str with a line break is the text itself; a PathLike is a path whatever its characters)
    if ((isinstance(source, os.PathLike) or isinstance(source, str) and "\n" not in source)
            and os.path.isfile(source)):
        path = path_text(source)   # str(Path(source)), without importing pathlib
        data = read_file(path, max(MAX_PDF_BYTES, MAX_DOCUMENT_BYTES))
        refuse_own_report(data, name or path_name(path))
        document = _binary(data, name or path_name(path), path)
        return document if document is not None else document_of(text_of_file(path, data, name))
    return read_text(source, name)


def _binary(data: bytes, name: str, path: str | None) -> Document | None:
    """The document of a PDF (:mod:`.pdf`) or an OFD (:mod:`.ofd`: both laid out on pages), an
    Office file (:func:`_office_text`: a Word document or workbook in any of their forms) or a web
    archive (:mod:`.mht`), told by their first bytes (a zip by the parts it holds); None for
    anything else (read as text, where another binary file is refused)."""
    zipped = None
    if data[:4] == b"PK\x03\x04":
        from .zipped import zip_kind
        zipped = zip_kind(data)
    if is_pdf(data[:_SNIFF]):
        from .pdf import read_pdf
        document = read_pdf(data, name, path)
    elif zipped == "ofd":
        from .ofd import read_ofd
        document = read_ofd(data, name)
    else:
        unsaved: list = []   # (a workbook's formulas saved without their values: said, never silent)
        text = _office_text(data, name, unsaved, zipped)
        if text is None:
            text = _archived_page_text(data, name)
        if text is None:
            return None
        from ..document.model import Document
        from .source import without_invisible
        document = Document(without_invisible(text), name)
        document.unsaved_formulas = unsaved
    document.path = path
    return document


def _office_text(data: bytes, name: str, notes: list | None = None, zipped: str | None = None) -> str | None:
    """The text of an Office file -- a workbook (.xlsx, or the old binary .xls) or a Word document
    (.docx, the old binary .doc, or RTF), or either saved as one XML file -- told by its first
    bytes (an OLE2 file by the streams its directory names); None for anything else.  (Each
    form's module is imported only for a file that begins as it does: a text disclosure's audit
    imports none of them.)  *notes*: a workbook's sheets holding formulas saved without their
    values (:func:`.xlsx.xlsx_text`); *zipped*: the kind of zip *data* is, told already (:func:`.zipped.zip_kind`)."""
    if data[:4] == b"PK\x03\x04":
        kind = zipped
        if kind == "xlsx":
            from .xlsx import xlsx_text
            return xlsx_text(data, name, notes=notes)
        if kind == "docx":
            from .docx import docx_text
            return docx_text(data, name)
        from ..errors import Location, ReaderError
        if kind == "archive":
            raise ReaderError(f"cannot read disclosure: {name} is a zip archive of other files, not a document "
                              "(fiscalrules audit reads each document in it, as fiscalrules.readers.read_all does; "
                              "extract --together reads them as one "
                              "disclosure)", Location(file=name))
        raise ReaderError(f"cannot read disclosure: {name} is a damaged zip file (a Word document, a workbook or "
                          "an archive, cut short or corrupted)", Location(file=name))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":   # (an OLE2 compound document: .xls, or .doc)
        from .doc import doc_text, is_word_document
        if is_word_document(data):
            return doc_text(data, name)
        from .xls import xls_text
        return xls_text(data, name)
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"<?xml", b"\xff\xfe<\x00?\x00x\x00m\x00l", b"\xfe\xff\x00<\x00?\x00x\x00m\x00l")):
        # (Word's and Excel's XML formats, UTF-8 or UTF-16: exported as .doc / .xls too)
        from .office_xml import office_xml_kind, office_xml_text
        return office_xml_text(data, name, notes) if office_xml_kind(data[:4096]) else None
    if start.startswith(b"{\\rtf"):   # (Rich Text Format: saved by Word or WPS, exported by budget systems)
        from .rtf import rtf_text
        return rtf_text(data, name)
    return None


def _archived_page_text(data: bytes, name: str) -> str | None:
    """The text of the web page a web archive (.mht, .mhtml: :mod:`.mht`) holds, told by its
    first bytes; None for anything else."""
    if b"multipart/related" not in data[:4096].lower():   # (no need to look further: nor to import .mht)
        return None
    from .mht import is_web_archive
    if not is_web_archive(data):
        return None
    from ..errors import Location, ReaderError
    from .html import PageTooLarge, html_text
    from .mht import archived_page
    try:
        return html_text(archived_page(data, name))
    except PageTooLarge as exc:
        raise ReaderError(f"cannot read disclosure: {name}: {exc}", Location(file=name)) from None
