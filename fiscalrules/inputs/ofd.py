"""OFD documents (GB/T 33190-2016, China's format for fixed-layout electronic documents) →
:class:`~fiscalrules.document.model.Document`, laid out on pages as a PDF is.

Government portals publish disclosures as ``.ofd`` beside, or instead of, a PDF. An OFD is a zip
package (told by its content, :func:`.zipped.zip_kind`: ``OFD.xml`` at its root), read as the
standard lays it out:

* ``OFD.xml`` → each ``DocBody``'s ``DocRoot``: the document's ``Document.xml``;
* ``Document.xml`` → ``CommonData`` (the default page box ``PageArea/PhysicalBox``, in
  millimetres; the ``TemplatePage`` parts) and ``Pages/Page`` in reading order, each with the
  ``BaseLoc`` of its content part;
* each page's part → its own page box where it has one (``Area/PhysicalBox``), the template
  pages it names (``Template@TemplateID``: page furniture such as the page number, drawn under
  or over the page) and its ``Content`` (:mod:`.ofdcontent`).

A part's location is relative to the part naming it, or from the package's root where it begins
with ``/``. Digital signatures (``Signatures.xml``) are passed over: the content is read as it is.

The characters and ruling lines of each page are then read as the PDF reader reads its own
(:mod:`.pagelines`: rows, words, letter-spaced cells, columns, tables side by side); a page whose
text runs turned by a quarter or half turn is turned back first, as the PDF reader does.

Within bounds: only the parts named are read, each refused past :data:`MAX_PART` bytes unpacked
and all together past :data:`MAX_UNPACKED` (the zipfile stops at what a part declares, whatever
it would inflate to), at most :data:`MAX_PAGES` pages; a part declaring a DTD or entities is
refused (:mod:`.safexml`). Refusals are :class:`~fiscalrules.errors.ReaderError` naming the file:
a damaged package, ``OFD.xml`` or a ``Document.xml`` or a page's part missing or not well formed,
an OFD whose pages hold no text at all (a scan).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from ..document.model import Document, Rule
from ..errors import Location, ReaderError
from .ofdcontent import MM, PageContent, local_name, numbers
from .pagelines import PagesRead
from .safexml import Declares, parsed
from .zipped import BAD_ZIP

__all__ = ["read_ofd", "MAX_UNPACKED", "MAX_PART", "MAX_PAGES"]

MAX_UNPACKED = 200_000_000   # bytes of the parts read, unpacked (a real disclosure: a few MB)
MAX_PART = 50_000_000        # bytes of one part, unpacked
MAX_PAGES = 5_000
_A4 = (0.0, 0.0, 210.0, 297.0)   # (the page box where a document gives none: A4, millimetres)
# A part declaring a Chinese national encoding (the standard asks for UTF-8; some writers keep
# GBK), which the XML parser cannot decode: decoded here (GB18030 holds GBK and GB2312).
_NATIONAL_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["'](?:gb2312|gbk|gb18030)["']""", re.I)


def read_ofd(data: bytes, name: str) -> Document:
    """The document model of the OFD package *data* (named *name* in errors)."""
    where = Location(file=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except BAD_ZIP as exc:
        raise ReaderError(f"cannot read disclosure: {name} is a damaged OFD document ({exc})", where) from None
    with archive:
        package = _Package(archive, name)
        read = PagesRead()
        for document in package.documents():
            for page in package.pages(document):
                content, width, height = package.page_content(page)
                chars, rules, width, height = _upright(content, width, height)
                read.add(len(read.pages) + 1, width, height, chars, rules, content.unread, content.marks)
    if not read.pages:
        raise ReaderError(f"cannot read disclosure: {name} is an OFD document without pages", where)
    if not read.lines and read.rotated_pages:
        raise ReaderError(f"cannot read disclosure: {name}: the text of its pages runs turned: it is not read", where)
    if not read.lines:
        raise ReaderError(f"cannot read disclosure: {name} is an OFD document without text (a scan?): none of its "
                          f"{len(read.pages)} page(s) holds text; run OCR first", where)
    return read.document(name)


class _Document:
    """One document of the package: its part, page box (millimetres) and template pages by ID."""

    __slots__ = ("part", "root", "box", "templates")

    def __init__(self, part: str, root, box: tuple[float, ...], templates: dict[str, str]):
        self.part, self.root, self.box, self.templates = part, root, box, templates


class _Page:
    """A page to read: its number in its document, its content part and the document it is of."""

    __slots__ = ("number", "part", "document")

    def __init__(self, number: int, part: str, document: _Document):
        self.number, self.part, self.document = number, part, document


class _Package:
    """The OFD package's parts, found however their writer spelled the path (a leading ``/``,
    backslashes, letter case), read within bounds and parsed safely."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name, self.where = archive, name, Location(file=name)
        self.read_bytes = 0
        self.templates: dict[str, object] = {}   # (a template page parsed once, however many pages use it)
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            if not info.is_dir():
                self.infos.setdefault(_key(info.filename), info)

    def xml(self, part: str):
        """The root element of the part *part*, refused where it is missing, too large, damaged,
        not well formed or declaring a DTD."""
        name, where = self.name, self.where
        info = self.infos.get(_key(part))
        if info is None:
            raise ReaderError(f"cannot read disclosure: {name} is a damaged OFD document: {part} is missing", where)
        self.read_bytes += info.file_size
        if info.file_size > MAX_PART or self.read_bytes > MAX_UNPACKED:
            raise ReaderError(f"cannot read disclosure: {name} unpacks to more than an OFD document may "
                              f"({part}: {info.file_size:,} bytes)", where)
        try:
            xml = self.archive.read(info)
        except BAD_ZIP as exc:
            raise ReaderError(f"cannot read disclosure: {name} is a damaged OFD document ({part}: {exc})", where) from None
        try:
            if _NATIONAL_ENCODING.match(xml):
                declaration = xml.index(b"?>") + 2
                xml = b'<?xml version="1.0" encoding="UTF-8"?>' + xml[declaration:].decode("gb18030").encode("utf-8")
            return parsed(xml)
        except UnicodeDecodeError as exc:
            raise ReaderError(f"cannot read disclosure: {name} is a damaged OFD document ({part}: {exc})", where) from None
        except Declares:
            raise ReaderError(f"cannot read disclosure: {name} declares a DTD or entities, which no OFD document does",
                              where) from None
        except SyntaxError as exc:   # (ElementTree's ParseError)
            raise ReaderError(f"cannot read disclosure: {name} is a damaged OFD document ({part}: {exc})", where) from None

    def documents(self) -> list[_Document]:
        """The documents the package's entry file names, in its order."""
        entry = self.xml("OFD.xml")
        roots = [(element.text or "").strip() for body in entry if local_name(body) == "DocBody"
                 for element in body if local_name(element) == "DocRoot"]
        if not any(roots):
            raise ReaderError(f"cannot read disclosure: {self.name} is a damaged OFD document: OFD.xml names "
                              "no document (DocBody/DocRoot)", self.where)
        documents = []
        for root_path in filter(None, roots):
            part = _resolved("OFD.xml", root_path)
            root = self.xml(part)
            common = _child(root, "CommonData")
            box = numbers(_text(_child(_child(common, "PageArea"), "PhysicalBox")), 4) or _A4
            templates = {element.get("ID", ""): _resolved(part, element.get("BaseLoc", ""))
                         for element in (common if common is not None else ()) if local_name(element) == "TemplatePage"}
            documents.append(_Document(part, root, box, templates))
        return documents

    def pages(self, document: _Document) -> list[_Page]:
        """The pages of *document* in reading order."""
        pages = [element for element in _child(document.root, "Pages") or () if local_name(element) == "Page"]
        if len(pages) > MAX_PAGES:
            raise ReaderError(f"cannot read disclosure: {self.name} has more than {MAX_PAGES:,} pages", self.where)
        return [_Page(number, _resolved(document.part, element.get("BaseLoc", "")), document)
                for number, element in enumerate(pages, 1)]

    def page_content(self, page: _Page) -> tuple[PageContent, float, float]:
        """What the page draws -- its template pages' content with it (page furniture: drawn
        under or over the page, the order changes nothing read) -- and its size in points."""
        root = self.xml(page.part)
        box = numbers(_text(_child(_child(root, "Area"), "PhysicalBox")), 4) or page.document.box
        content = PageContent((box[0], box[1]))
        for element in root:
            if local_name(element) == "Template":
                template = page.document.templates.get(element.get("TemplateID", ""))
                if template:
                    if template not in self.templates:
                        self.templates[template] = self.xml(template)
                    content.read(self.templates[template])
        content.read(root)
        return content, box[2] * MM, box[3] * MM


def _upright(content: PageContent, width: float, height: float) -> tuple[list[tuple], list[Rule], float, float]:
    """The page's characters and rules, and its size, turned so that its text reads upright:
    where most of its characters run a quarter or half turn (a landscape table drawn turned on
    a portrait page), all of it is turned back; else as it is."""
    turns = content.turns
    turn = max(set(turns), key=turns.count) if turns else 0
    if not turn or turns.count(turn) < 0.8 * len(turns):
        return content.chars, content.rules, width, height
    if turn == 1:       # text running down the page: turned back a quarter turn to the left
        def move(x, y): return y, width - x
        size = (height, width)
    elif turn == 3:     # text running up the page
        def move(x, y): return height - y, x
        size = (height, width)
    else:               # upside down
        def move(x, y): return width - x, height - y
        size = (width, height)
    chars = []
    for ch, x0, top, x1, bottom, order in content.chars:
        (ax, ay), (bx, by) = move(x0, top), move(x1, bottom)
        chars.append((ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), order))
    rules = []
    for rule in content.rules:
        ends = ((rule.position, rule.start), (rule.position, rule.end)) if rule.vertical else \
            ((rule.start, rule.position), (rule.end, rule.position))
        (ax, ay), (bx, by) = move(*ends[0]), move(*ends[1])
        if abs(ax - bx) < abs(ay - by):
            rules.append(Rule(True, round(ax, 1), round(min(ay, by), 1), round(max(ay, by), 1)))
        else:
            rules.append(Rule(False, round(ay, 1), round(min(ax, bx), 1), round(max(ax, bx), 1)))
    return chars, rules, size[0], size[1]


def _key(path: str) -> str:
    """A part's path as looked up: from the root, forward slashes, any letter case."""
    return posixpath.normpath(path.replace("\\", "/").lstrip("/")).lower()


def _resolved(base_part: str, location: str) -> str:
    """The part *location* names from the part *base_part*: from the package's root where it
    begins with ``/``, else from *base_part*'s folder."""
    location = location.strip().replace("\\", "/")
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.join(posixpath.dirname(base_part.replace("\\", "/")), location)


def _child(element, name: str):
    if element is None:
        return None
    return next((child for child in element if local_name(child) == name), None)


def _text(element) -> str | None:
    return element.text if element is not None else None
