"""Office documents saved as one XML file → text: Word's and Excel's XML formats.

Word and Excel save a document as a single XML file -- Word 2003's "XML 文档" (WordprocessingML
2003), Word 2007's "Word XML 文档" (the package flattened: Flat OPC), Excel 2003's "XML 表格"
(XML Spreadsheet 2003) -- and budget and finance systems generate their "Word" and "Excel"
exports in these forms from templates, usually named ``.doc`` or ``.xls``.  Read as text, such a
file gave tags and no figures (or, named ``.xls``, was refused as a damaged workbook).

Told by their first bytes (an XML declaration -- in UTF-8, or UTF-16 after its byte-order mark --
then the ``mso-application`` instruction or the root element naming the format), whatever the
file is called:

* **WordprocessingML 2003** has the elements of a ``.docx`` body under another namespace: its
  body is renamed into the ``.docx`` one and read by :mod:`.docx` -- paragraphs, tables, spans,
  merges, hidden text alike; a numbered paragraph's number is the one Word wrote beside it
  (``wx:t`` in its list properties: "一、").
* **Flat OPC** holds a ``.docx``'s parts inline (``pkg:part``): they are put back into a package
  and read by :mod:`.docx`.
* **XML Spreadsheet 2003**: each sheet a page, each row a line of its cells joined by tabs as
  :mod:`.sheets` writes a workbook's (a cell placed by ``ss:Index`` after empty ones, a merged
  cell, ``ss:MergeAcross``, followed by the empty cells it covers; a number as its style's number
  format shows it); hidden sheets, rows and columns left out.

The standard library's ElementTree; a file declaring a DTD or entities (never in one Office wrote;
the way to an entity-expansion bomb) is refused, naming the file, and a sheet's cells are
bounded as a workbook's are.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from ..errors import Location, ReaderError
from .safexml import parsed_document
from .sheets import MAX_CELLS, number_text, pages_text, sheet_lines

__all__ = ["office_xml_kind", "office_xml_text"]

_WORD_2003 = "http://schemas.microsoft.com/office/word/2003/wordml"
_WORD_AUX = "http://schemas.microsoft.com/office/word/2003/auxHint"
_WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PACKAGE = "http://schemas.microsoft.com/office/2006/xmlPackage"
_SHEET = "urn:schemas-microsoft-com:office:spreadsheet"
_EXCEL = "urn:schemas-microsoft-com:office:excel"
_SS = f"{{{_SHEET}}}"

# What tells each format in its first bytes: the instruction Office writes, or the root element
# (a flat package first: Word writes the same instruction before it as before a 2003 document).
_KINDS = (("flat", re.compile(rb"<pkg:package\b[^>]*" + re.escape(_PACKAGE.encode()))),
          ("word2003", re.compile(rb'progid="Word\.Document"|<w:wordDocument\b')),
          ("excel2003", re.compile(rb'progid="Excel\.Sheet"|<(?:ss:)?Workbook\b[^>]*' + re.escape(_SHEET.encode()))))
_MAX_COLUMNS = 16_384   # (Excel's; a cell placed past them is refused)


def office_xml_kind(head: bytes) -> str | None:
    """``"word2003"``, ``"flat"`` or ``"excel2003"`` for a file whose first bytes are one of these
    formats' (an XML declaration first), else None."""
    start = head[:4096]
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):   # (saved in UTF-16, its byte-order mark first)
        start = start.decode("utf-16", "ignore").encode("utf-8", "ignore")
    start = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<?xml"):
        return None
    return next((kind for kind, marker in _KINDS if marker.search(start)), None)


def office_xml_text(data: bytes, name: str, notes: list | None = None) -> str:
    """The text of the Office XML file *data* (named *name* in errors); *notes*, where given, gets
    (page, sheet, cells) for each sheet of a spreadsheet holding formulas without their values
    (read blank: :func:`.xlsx.xlsx_text`)."""
    kind = office_xml_kind(data)
    root = parsed_document(data, name, "Office XML document")
    if kind == "excel2003":
        return _workbook_text(root, name, notes if notes is not None else [])
    from .docx import docx_text
    parts = _flat_parts(root, name) if kind == "flat" else {"word/document.xml": _word_2003_body(root)}
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return docx_text(package.getvalue(), name)


# -- Word ------------------------------------------------------------------------------------------

def _word_2003_body(root) -> bytes:
    """A WordprocessingML 2003 document as a ``.docx``'s ``word/document.xml``: its elements and
    attributes renamed into the 2006 namespace (``w:vmerge`` is ``w:vMerge`` there), a numbered
    paragraph given the number Word wrote for it as its first run."""
    old, new = f"{{{_WORD_2003}}}", f"{{{_WORD}}}"
    for element in root.iter():
        if element.tag.startswith(old):
            element.tag = new + ("vMerge" if element.tag == f"{old}vmerge" else element.tag[len(old):])
        for attribute in [key for key in element.attrib if key.startswith(old)]:
            element.attrib[new + attribute[len(old):]] = element.attrib.pop(attribute)
    for paragraph in root.iter(f"{new}p"):
        drawn = paragraph.find(f"{new}pPr/{new}listPr/{{{_WORD_AUX}}}t")
        number = drawn.get(f"{{{_WORD_AUX}}}val") if drawn is not None else None
        if number:
            run = ElementTree.Element(f"{new}r")
            ElementTree.SubElement(run, f"{new}t").text = number
            properties = paragraph.find(f"{new}pPr")
            paragraph.insert(list(paragraph).index(properties) + 1, run)
    return ElementTree.tostring(root)


def _flat_parts(root, name: str) -> dict[str, bytes]:
    """A Flat OPC package's parts by name (``word/document.xml`` ...): an XML part's content, a
    binary part's bytes (an embedded workbook)."""
    parts = {}
    for part in root.iter(f"{{{_PACKAGE}}}part"):
        part_name = (part.get(f"{{{_PACKAGE}}}name") or "").lstrip("/")
        xml = part.find(f"{{{_PACKAGE}}}xmlData")
        binary = part.find(f"{{{_PACKAGE}}}binaryData")
        if not part_name:
            continue
        if xml is not None and len(xml):
            parts[part_name] = ElementTree.tostring(xml[0])
        elif binary is not None:
            try:
                parts[part_name] = base64.b64decode("".join((binary.text or "").split()))
            except (binascii.Error, ValueError):
                parts[part_name] = b""
    if "word/document.xml" not in parts:
        raise ReaderError(f"cannot read disclosure: {name} is a Word XML package holding no document",
                          Location(file=name))
    return parts


# -- Excel -----------------------------------------------------------------------------------------

# XML Spreadsheet's named number formats (the others are format codes as Excel writes them).
_NAMED_FORMATS = {"General": "General", "General Number": "General", "Fixed": "0.00", "Standard": "#,##0.00",
                  "Percent": "0.00%", "Currency": "#,##0.00", "Scientific": "General", "0": "0"}


def _workbook_text(root, name: str, notes: list) -> str:
    formats = _number_formats(root)
    pages, cells = [], 0
    for sheet in root.iter(f"{_SS}Worksheet"):
        visible = sheet.find(f"{{{_EXCEL}}}WorksheetOptions/{{{_EXCEL}}}Visible")
        if visible is not None and (visible.text or "").strip() in ("SheetHidden", "SheetVeryHidden"):
            continue
        table, rows, unsaved = sheet.find(f"{_SS}Table"), [], []
        for width, row in _sheet_rows(table, formats, name, unsaved) if table is not None else ():
            cells += width   # (counted as each row is made: a sheet of millions is refused before it is)
            if cells > MAX_CELLS:
                raise ReaderError(f"cannot read disclosure: {name} has sheets of more than {MAX_CELLS:,} cells",
                                  Location(file=name))
            rows.append(row)
        pages.append(sheet_lines(rows, sheet.get(f"{_SS}Name") or ""))
        if unsaved:   # (its page: pages_text leaves an empty sheet out)
            notes.append((max(1, sum(1 for lines in pages if lines)), sheet.get(f"{_SS}Name") or "", unsaved))
    return pages_text(pages)


def _number_formats(root) -> dict[str, str]:
    """Each style's number format (by its ID), inherited from its parent style where it has none."""
    own, parents = {}, {}
    for style in root.iter(f"{_SS}Style"):
        identity = style.get(f"{_SS}ID") or ""
        found = style.find(f"{_SS}NumberFormat")
        if found is not None and found.get(f"{_SS}Format"):
            own[identity] = _NAMED_FORMATS.get(found.get(f"{_SS}Format"), found.get(f"{_SS}Format"))
        if style.get(f"{_SS}Parent"):
            parents[identity] = style.get(f"{_SS}Parent")
    formats = {}
    for identity in {*own, *parents}:
        seen, at = set(), identity
        while at not in own and at in parents and at not in seen:   # (a cycle of parents ends)
            seen.add(at)
            at = parents[at]
        formats[identity] = own.get(at, "General")
    return formats


def _sheet_rows(table, formats: dict, name: str, unsaved: list):
    """The rows of a sheet's table, in turn, as (its width in cells, its cell texts), its hidden
    rows and columns left out; *unsaved* gets the place ("C44") of each cell shown holding a
    formula without its value."""
    hidden_columns, column = set(), 0
    for definition in table.findall(f"{_SS}Column"):
        column = _index(definition, column + 1, name)
        span = min(_MAX_COLUMNS, max(0, _int(definition.get(f"{_SS}Span"), 0)))
        if definition.get(f"{_SS}Hidden") == "1":
            hidden_columns.update(range(column, column + span + 1))
        column += span
    row_number = 0
    for row in table.findall(f"{_SS}Row"):
        following, row_number = row_number + 1, _index(row, row_number + 1, name, most=1_048_576)
        if row_number > following:
            yield 0, []   # (rows skipped: empty -- a run of them one blank line, as in a workbook)
        if row.get(f"{_SS}Hidden") == "1":
            continue
        texts, column = {}, 0
        for cell in row.findall(f"{_SS}Cell"):
            column = _index(cell, column + 1, name)
            texts[column] = _cell_text(cell, formats)
            if cell.get(f"{_SS}Formula") and not texts[column] and cell.find(f"{_SS}Data") is None \
                    and column not in hidden_columns:
                unsaved.append(f"{_letters(column)}{row_number}")
            column += min(_MAX_COLUMNS, max(0, _int(cell.get(f"{_SS}MergeAcross"), 0)))   # (covered: empty)
        width = max(texts, default=0)
        yield width, [texts.get(at, "") for at in range(1, width + 1) if at not in hidden_columns]


def _letters(column: int) -> str:
    """A column's letters as a spreadsheet names it (1 → A, 27 → AA)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _index(element, default: int, name: str, most: int = _MAX_COLUMNS) -> int:
    """An element's ``ss:Index`` (1-based; none: *default*), within the sheet's bounds."""
    found = element.get(f"{_SS}Index")
    index = default if found is None else _int(found, default)
    if not 1 <= index <= most or index < default:
        raise ReaderError(f"cannot read disclosure: {name} places a cell or row at {index:,}, "
                          "outside its sheet or before the one it follows", Location(file=name))
    return index


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _cell_text(cell, formats: dict) -> str:
    """A cell's value as the sheet shows it: a number by its style's number format (the digits as
    written: no binary double between), text with its runs of blanks one space."""
    data = cell.find(f"{_SS}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    if kind == "Number":
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            return ""
        if not number.is_finite():
            return ""
        return number_text(number, formats.get(cell.get(f"{_SS}StyleID") or "", "General"))
    if kind == "Boolean":
        return "是" if text.strip() == "1" else "否"
    return " ".join(text.split())
