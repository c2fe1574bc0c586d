"""Word documents (.docx) → text: a disclosure written and published as a Word file.

The narrative of a budget, and often its tables, are drafted in Word and published as the
``.docx`` itself.  Such a file (a zip holding ``word/document.xml``: :func:`.zipped.office_kind`
tells it from other input); :func:`docx_text` writes its body out as text the readers already read, in order:
each paragraph a line and a blank one (a tab inside it kept: tables laid out with tabs; what Word
does not show -- its tab stops, text deleted with changes tracked, hidden runs -- left out), a line
break a new line, a page break a new page (form feed), a numbered paragraph with the number Word
draws before it ("一、", "（二）": :mod:`.numbering`); each table row a line of its cells joined
by tabs, a cell spanning columns (``gridSpan``) followed by empty cells and a cell merged with the
one above (``vMerge``) empty -- as a web page's spans are (:mod:`.html`).  A table inside a cell
is read as that cell's text.  A table pasted from Excel as an object is read from the workbook
embedded for it (``word/embeddings/``, by the relationship the object names: :mod:`.embedded`),
its rows written where the object stands.  A text box is read as blocks of its own after the
paragraph it is anchored in; content given two ways (``mc:AlternateContent``) once, as its first
choice.  A paragraph that is only a picture (a table pasted as an image) is written as the picture
line of :mod:`fiscalrules.document.pictures`, so the readers can say it was not read.

Only the standard library (zipfile, ElementTree): no dependency, nothing run.  The file is
opened within bounds -- at most 50 MB unpacked -- and a body declaring a DTD or entities (never
in a real Word file; the way to an entity-expansion bomb) is refused, naming the file.  The old
binary ``.doc`` is read by :mod:`.doc`.
"""

from __future__ import annotations

import io
import zipfile

from ..document.pictures import PICTURE_LINE
from ..errors import Location, ReaderError
from .embedded import MAX_OBJECTS, workbook_lines
from .html import MAX_SPAN
from .numbering import Numbering
from .safexml import parsed, refused_as
from .tabrows import tab_line
from .zipped import BAD_ZIP, part_targets

__all__ = ["docx_text", "MAX_UNPACKED"]

MAX_UNPACKED = 50_000_000    # bytes of the document's parts, unpacked (a real one: a few MB with images)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_OBJECT = "{urn:schemas-microsoft-com:office:office}OLEObject"   # (an embedded object, in a w:object)
_LINK = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TEXT_BOX = f"{_W}txbxContent"   # (a text box's paragraphs, inside a drawing in a paragraph)
_ROW, _CELL = f"{_W}tr", f"{_W}tc"
# A picture's image: DrawingML's (w:drawing, inline or anchored) and VML's (w:pict, older Word).
_IMAGES = frozenset(["{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
                     "{urn:schemas-microsoft-com:vml}imagedata"])
# A run's characters: its text (None: the element's own), and the hyphens Word writes as elements
# -- a non-breaking one keeps a negative amount's sign on its line ("-5.00": read as "5.00" without it).
_CHARACTERS = {f"{_W}t": None, f"{_W}noBreakHyphen": "-", f"{_W}softHyphen": ""}


def docx_text(data: bytes, name: str) -> str:
    """The text of the Word document *data* (named *name* in errors)."""
    where = Location(file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED:
                raise ReaderError(f"cannot read disclosure: {name} unpacks to {unpacked:,} bytes, more than "
                                  f"the {MAX_UNPACKED:,} a Word document may", where)
            body_xml = archive.read("word/document.xml")
            names = set(archive.namelist())
            lists_xml, styles_xml, links_xml = (archive.read(part) if part in names else None
                                                for part in ("word/numbering.xml", "word/styles.xml",
                                                             "word/_rels/document.xml.rels"))
    except BAD_ZIP as exc:
        raise ReaderError(f"cannot read disclosure: {name} is a damaged Word document ({exc})", where) from None
    with refused_as(name, "Word document"):   # (its body, lists and styles alike)
        root = parsed(body_xml)
        numbering = Numbering.from_xml(lists_xml, styles_xml)
    body = root.find(f"{_W}body")
    lines: list[str] = []
    if body is not None:
        _blocks(body, lines, numbering, _Objects(data, links_xml, name))
    return "\n".join(lines) + "\n"


class _Objects:
    """The workbooks embedded in the document (:mod:`.embedded`), by the relationship naming each
    object's part: read once each, at most ``MAX_OBJECTS`` of them."""

    def __init__(self, data: bytes, links_xml: bytes | None, name: str):
        self.data, self.name = data, name
        self.archive: zipfile.ZipFile | None = None   # (opened at the first object: its directory read once)
        # (the document's links unreadable: no object read)
        self.targets: dict[str, str] = part_targets(links_xml, "word/")
        self.read: dict[str, list[str] | None] = {}

    def lines(self, link: str | None) -> list[str] | None:
        """The rows of the workbook the object linked as *link* holds, or None."""
        part = self.targets.get(link or "")
        if part is None:
            return None
        if part not in self.read:
            if len(self.read) >= MAX_OBJECTS:
                raise ReaderError(f"cannot read disclosure: {self.name} embeds more than {MAX_OBJECTS} objects",
                                  Location(file=self.name))
            try:
                self.archive = self.archive or zipfile.ZipFile(io.BytesIO(self.data))
                embedded = self.archive.read(part)
            except BAD_ZIP:   # (a link to no part, a damaged entry)
                embedded = b""
            self.read[part] = workbook_lines(embedded, f"{self.name} ({part})")
        return self.read[part]


def _blocks(element, lines: list[str], numbering: Numbering, objects: _Objects) -> None:
    """The paragraphs and tables under *element*, in order (through content controls and the like);
    a numbered paragraph with the number Word draws before it; a workbook embedded as an object in
    a paragraph its rows after it, as a table's; a text box anchored in a paragraph its own blocks
    after it."""
    blocks = (f"{_W}p", f"{_W}tbl")
    for node, paragraph, anchored in _with_text_boxes(element, skip=lambda node: node.tag == f"{_W}sectPr",
                                                      leaf=lambda node: node.tag in blocks):
        if paragraph is None:   # (a table)
            lines += _table(node, numbering, objects)
            lines.append("")
            continue
        label = numbering.label(node)
        if label and paragraph[0].strip():
            paragraph[0] = label + paragraph[0]
        if not anchored and not any(line.strip() for line in paragraph) and _holds_image(node):
            paragraph = [*paragraph, PICTURE_LINE]   # (a table pasted as a picture: said, not lost)
        for line in paragraph:
            if line == "\f":
                lines.append("\f")
            elif line.strip():   # (its leading blanks kept: a table laid out with spaces)
                lines += (line.rstrip(" "), "")
        for item in anchored:
            rows = objects.lines(item.get(_LINK)) if item.tag == _OLE_OBJECT else None
            if rows:
                lines += [*rows, ""]


def _holds_image(paragraph) -> bool:
    """Whether *paragraph* shows a picture (what Word does not show left out: the fallback of
    content given two ways)."""
    return any(node.tag in _IMAGES for node in _walk(paragraph, skip=_not_shown))


def _with_text_boxes(element, skip, leaf):
    """The nodes under *element* that *leaf* stops at, in order (those *skip* says left out): a
    paragraph with its lines and what is anchored in it (:func:`_paragraph`), then the nodes of the
    text boxes anchored in it; another node with None and nothing.  (A stack of walks: text boxes
    nested deep are no recursion.)"""
    walks = [_walk(element, skip=skip, leaf=leaf)]
    while walks:
        node = next(walks[-1], None)
        if node is None:
            walks.pop()
        elif node.tag == f"{_W}p":
            lines, anchored = _paragraph(node)
            yield node, lines, anchored
            walks += [_walk(box, skip=skip, leaf=leaf) for box in reversed(anchored) if box.tag == _TEXT_BOX]
        elif leaf(node):
            yield node, None, ()


def _paragraph(paragraph) -> tuple[list[str], list]:
    """The lines of a paragraph -- its runs' text, a tab kept, a line break a new line, a page
    break its own "\\f" line -- and what is anchored in it, in order: embedded objects and text
    boxes (a text box's content: blocks of its own, not the paragraph's text)."""
    lines, current, anchored = [], [], []
    for node in _walk(paragraph, skip=_not_shown, leaf=lambda node: node.tag == _TEXT_BOX):
        tag = node.tag
        if tag in (_OLE_OBJECT, _TEXT_BOX):
            anchored.append(node)
        elif tag in _CHARACTERS:
            current.append(_character(node))
        elif tag == f"{_W}tab":
            current.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            lines.append("".join(current))
            current = []
            if node.get(f"{_W}type") == "page":
                lines.append("\f")
    lines.append("".join(current))
    return lines, anchored


# What a paragraph holds that Word does not show as its text: its and its runs' properties (a
# paragraph's tab stops are w:tab elements too), text deleted or moved away with changes tracked,
# and the fallback of content given two ways (mc:AlternateContent: a text box as a drawing, and
# again as VML for older readers -- read once, as its first choice).
_NOT_SHOWN = frozenset([*(f"{_W}{tag}" for tag in ("pPr", "rPr", "del", "moveFrom")),
                        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"])
_OFF = ("0", "false", "off")


def _walk(element, skip=lambda node: False, leaf=lambda node: False):
    """The nodes under *element* in document order, but those *skip* says and what is under them,
    not descending into those *leaf* says.  (A stack, not recursion: content controls nested
    5,000 deep were an internal error, E799.)"""
    stack = [iter(element)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif not skip(node):
            yield node
            if not leaf(node):
                stack.append(iter(node))


def _not_shown(node) -> bool:
    """Whether Word does not show *node* (nor what is under it): properties, text deleted or moved
    away with changes tracked, a fallback copy, a hidden run (``w:vanish``)."""
    if node.tag in _NOT_SHOWN:
        return True
    if node.tag != f"{_W}r":
        return False
    properties = node.find(f"{_W}rPr")
    hidden = properties.find(f"{_W}vanish") if properties is not None else None
    return hidden is not None and hidden.get(f"{_W}val", "true") not in _OFF


def _table(table, numbering: Numbering, objects: _Objects) -> list[str]:
    """A table's rows as lines: its rows and their cells found through the content controls and
    custom markup wrapping them (``w:sdt`` around a row or a cell, as a form's template writes
    them), a row beginning past the grid's first columns (``w:gridBefore``) after as many empty
    cells, a cell spanning columns followed by empty ones, a cell merged with the one above empty;
    a workbook embedded as an object in a cell its rows after the table's."""
    rows, after = [], []
    for row in _walk(table, leaf=lambda node: node.tag == _ROW):
        if row.tag != _ROW:
            continue
        cells: list[str] = [""] * _grid_value(row.find(f"{_W}trPr"), "gridBefore", 0)
        for cell in _walk(row, skip=lambda node: node.tag == f"{_W}trPr", leaf=lambda node: node.tag == _CELL):
            if cell.tag != _CELL:
                continue
            properties = cell.find(f"{_W}tcPr")
            span, merged = _grid_value(properties, "gridSpan", 1), False
            if properties is not None:
                vertical = properties.find(f"{_W}vMerge")
                # (a merge's first cell says "restart"; the cells below it say "continue", or nothing)
                merged = vertical is not None and vertical.get(f"{_W}val", "continue") == "continue"
            texts = _cell_paragraphs(cell, numbering, objects, after)
            cells.append("" if merged else " ".join(" ".join(texts).split()))
            cells.extend("" for _ in range(span - 1))
        line = tab_line(cells)
        if line:
            rows.append(line)
    return rows + after


def _cell_paragraphs(cell, numbering: Numbering, objects: _Objects, after: list) -> list[str]:
    """The texts of a cell's paragraphs, in order, each numbered as Word numbers it (a list goes on
    through a table, so its paragraphs there are counted as the body's are), those of a text box
    anchored in one after it (once: its fallback copy is not shown) and those of a table inside the
    cell; a paragraph's runs joined as they are (Word splits "1,150.00" into runs at will) and its
    line breaks too (a label wrapped by hand: "一般公共" / "预算"), a tab a space.  A workbook
    embedded as an object in the cell adds its rows to *after* (written after the table)."""
    texts = []
    for node, lines, anchored in _with_text_boxes(cell, skip=_not_shown, leaf=_is_paragraph):
        texts.append(numbering.label(node) + "".join(line for line in lines if line != "\f"))
        for item in anchored:
            rows = objects.lines(item.get(_LINK)) if item.tag == _OLE_OBJECT else None
            after += ["", *rows] if rows else []
    return texts


def _is_paragraph(node) -> bool:
    return node.tag == f"{_W}p"


def _character(node) -> str:
    """What a run's character element (one of ``_CHARACTERS``) writes."""
    written = _CHARACTERS[node.tag]
    return node.text or "" if written is None else written


def _grid_value(properties, name: str, default: int) -> int:
    """A row's or cell's count of grid columns *name* (``gridBefore``, ``gridSpan``), bounded as a
    web page's spans are; *default* where it says none or nothing readable."""
    found = properties.find(f"{_W}{name}") if properties is not None else None
    if found is None:
        return default
    try:
        return max(default, min(MAX_SPAN, int(found.get(f"{_W}val", str(default)))))
    except ValueError:
        return default
