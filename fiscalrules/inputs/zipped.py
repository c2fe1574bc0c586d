"""The zip containers of documents: which kind a zip is (Word .docx, Excel .xlsx, an OFD
document), told by the part it holds, before anything is parsed; and what a bad zip raises."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

__all__ = ["office_kind", "zip_kind", "kind_of_names", "part_targets", "BAD_ZIP"]

#: What a damaged or hostile zip raises (RuntimeError: an encrypted part; EOFError: a cut file;
#: zlib.error, an LZMA error: a part's compressed data damaged -- "invalid distance too far back"
#: escaped as an internal error; a damaged bzip2 part raises OSError).
BAD_ZIP = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError, zlib.error,
           *((zipfile.lzma.LZMAError,) if getattr(zipfile, "lzma", None) else ()))

# The part that tells each kind.
_PARTS = (("xlsx", "xl/workbook.xml"), ("docx", "word/document.xml"))
# An OFD document (GB/T 33190, :mod:`.ofd`): its entry file OFD.xml at the package's root -- or,
# that file lost, a document's own part under a DocBody folder ("Doc_0/Document.xml"), so that a
# damaged OFD is refused as one, not listed as an archive of other files.
_OFD_PARTS = re.compile(r"(?i)/?(?:ofd\.xml|doc_\d+/document\.xml)\Z")


def office_kind(data: bytes) -> str | None:
    """``"xlsx"`` or ``"docx"`` for a zip holding an Excel workbook or a Word document, else None
    (no zip, a damaged one, or another kind of zip) -- the archive opened once."""
    kind = zip_kind(data)
    return kind if kind in ("xlsx", "docx") else None


def zip_kind(data: bytes) -> str | None:
    """``"xlsx"``, ``"docx"``, ``"ofd"``, ``"archive"`` (a zip of other files) or None (no zip,
    or one too damaged to list) -- the archive opened once."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except BAD_ZIP:
        return None
    return kind_of_names(names) or "archive"


def kind_of_names(names) -> str | None:
    """The document kind (Office's, or ``"ofd"``) of a zip holding the parts *names* (a set), or None."""
    kind = next((kind for kind, part in _PARTS if part in names), None)
    if kind is None and any(_OFD_PARTS.match(name.replace("\\", "/")) for name in names):
        return "ofd"
    return kind


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def part_targets(relationships_xml: bytes | None, folder: str) -> dict[str, str]:
    """The parts an Office package's relationships part names, by relationship id: each target
    resolved from *folder* (``"word/"``, ``"xl/"``), or from the package's root where it begins
    with ``/``; links outside the package left out.  Nothing where the part is absent, damaged or
    declares a DTD (what it would have named is not read)."""
    from xml.etree.ElementTree import ParseError
    from .safexml import Declares, parsed
    if not relationships_xml:
        return {}
    try:
        links = list(parsed(relationships_xml).iter(_RELATIONSHIP))
    except (ParseError, Declares):
        return {}
    return {link.get("Id"): (target.lstrip("/") if target.startswith("/") else folder + target)
            for link in links if link.get("TargetMode") != "External" and link.get("Id")
            for target in [link.get("Target") or ""]}
