"""One disclosure published in several files, read as one.

Portals often publish a department's disclosure as several attachments: the 情况说明 as a web page
or a Word file, the nine tables as an Excel workbook or a PDF of their own.  Read alone, each file
is half a disclosure: the tables' checks run on the tables, the narrative's on the narrative, and
no rule compares the two -- the identities the template promises between them (the narrative
repeats the tables) are never checked, and each half reports the other's sections missing.

:func:`joined_document` puts the files one after another, in the order given, each starting a
page of its own (:meth:`Document.joined`), to be read by the template the whole is; then
:func:`in_their_files` moves everything read back to the file it was printed in: each source's
``document`` is that file (its path, where it was read from one) and its line and page numbers
are those the file has alone, an unread part names its file too, and the coverage's silent lines
are written ``file:line``.  The record's ``_meta.document`` names them all ("说明.docx +
表格.xlsx"), ``_meta.documents`` lists them.

Any forms are joined -- a web page's narrative and a PDF of the tables: each table is read as
what it was printed in (by position where its lines come from a PDF, by columns of characters
where from text: :func:`~fiscalrules.document.model.printed_in_pdf`).  A file that holds several
disclosures itself is refused, naming it, as are files of two templates (a 决算 and a budget) and
more than :data:`MAX_FILES` files.
"""

from __future__ import annotations

from bisect import bisect_right

from ..document.model import Document
from ..errors import Location, ReaderError
from .kind import FINAL_ACCOUNTS, document_kind
from .parts import Shift, disclosure_spans, move_printed

__all__ = ["joined_document", "in_their_files", "MAX_FILES"]

# The most files one disclosure is read from: a department publishes its narrative and its tables
# in two or three attachments, a table a file at most a dozen.
MAX_FILES = 50


def joined_document(documents: list[Document]) -> Document:
    """*documents* (opened, in the order given) as the one document they are parts of; a
    ReaderError naming the file where they cannot be."""
    if not documents:
        raise ReaderError("no file to read as one disclosure", Location())
    names = [doc.path or doc.name for doc in documents]
    if len(documents) > MAX_FILES:
        raise ReaderError(f"{len(documents)} files given as one disclosure, more than the {MAX_FILES} one is read "
                          "from", Location(file=names[0]))
    for name, doc in zip(names, documents):
        spans = disclosure_spans(doc)
        if len(spans) > 1:
            raise ReaderError(f"{name} holds {len(spans)} disclosures itself: it cannot be one part of a disclosure",
                              Location(file=name))
    # (a file whose template cannot be told -- a workbook of tables without its title -- joins any)
    kinds = [(name, document_kind(doc)) for name, doc in zip(names, documents)]
    told = [(name, kind) for name, kind in kinds if kind is not None]
    other = next(((name, kind) for name, kind in told if kind != told[0][1]), None)
    if other is not None:
        final, budget = (told[0][0], other[0]) if told[0][1] == FINAL_ACCOUNTS else (other[0], told[0][0])
        raise ReaderError(f"{final} is a final-accounts disclosure (决算) and {budget} a budget (预算): they are not "
                          "parts of one disclosure", Location(file=other[0]))
    return Document.joined(documents, " + ".join(doc.name for doc in documents))


def in_their_files(record: dict, doc: Document) -> dict:
    """*record*, read from *doc* (several files joined: :func:`joined_document`), with everything
    it says was printed moved back to its file: a source's ``document``, ``line`` /
    ``value_line`` / ``change_line`` and ``page`` (dropped for a file without pages of its own,
    as that file alone gives none), an unread part's ``lines`` and ``page`` (and its
    ``document``), the coverage's ``silent_lines`` as ``file:line``."""
    files = doc.files or []
    firsts = [first for first, *_ in files]
    first_pages = [pages + 1 for _, _, pages, _, _ in files]
    shifts = [Shift(1 - first, -pages, paged=paged, document=name) for first, _, pages, paged, name in files]

    def locate(node: dict) -> Shift | None:
        """The shift of the file a source or unread part was printed in, by its line or page."""
        if "document" not in node and "lines" not in node:
            return None
        line, lines, page = node.get("line"), node.get("lines"), node.get("page")
        if type(line) is not int and isinstance(lines, list) and lines and type(lines[0]) is int:
            line = lines[0]
        if type(line) is int and line >= 1:
            return shifts[max(0, bisect_right(firsts, line) - 1)]
        if type(page) is int and page >= 1:
            return shifts[max(0, bisect_right(first_pages, page) - 1)]
        return None

    def silent_line(number: int) -> str:
        first, *_, name = files[max(0, bisect_right(firsts, number) - 1)]
        return f"{name}:{number - first + 1}"

    move_printed(record, locate, silent_line)
    record.setdefault("_meta", {})["documents"] = [name for *_, name in files]
    return record
