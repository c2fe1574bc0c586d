"""Disclosure readers: turn a published disclosure into a record, by template.

``read_document(path)`` opens a PDF or text, decides its template by its title and the tables it
prints (:func:`.kind.document_kind`) and hands it to that template's reader: a 部门决算 / 单位决算
to :func:`.final_accounts.read_final_accounts` (docs/final-accounts-record.md), anything else to
the budget reader ``read_disclosure`` (docs/budget-record.md), which refuses what is not a budget.
The record's ``_meta.template`` names the template, and so the bundled ruleset that audits it.

A file may hold several disclosures (a 部门预算公开汇编, a department's budget with its units'):
``read_documents`` reads each into a record of its own (:func:`.parts.disclosure_spans` says
where each begins), ``read_document`` refuses such a file rather than mix their figures.  A
disclosure published in several files (its narrative and its tables apart): ``read_together``
reads them as one record, each figure's source naming its own file (:mod:`.joined`).  Files,
folders and zip archives of documents: ``read_all`` reads every disclosure they hold, as
``fiscalrules audit`` does -- a record or an error each, a disclosure's two parts in one folder or
archive joined (:mod:`.each`).
"""

from __future__ import annotations

import os

from ..inputs import open_document
from .budget import TEMPLATE, read_disclosure
from .budget.reader import read_opened_disclosure, read_opened_loaded
from .kind import FINAL_ACCOUNTS, document_kind
from .consolidation import hand_department_rows
from .parts import MAX_DISCLOSURES, disclosure_spans, in_the_file
from ..errors import Location, ReaderError
from .each import DisclosureRead, read_all, read_files

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any
    from ..document.model import Document
    from ..recordmodel import Record
    from .final_accounts import read_final_accounts

__all__ = ["read_document", "read_documents", "read_document_record", "read_document_records", "read_together",
           "read_together_record", "read_all", "read_files", "DisclosureRead", "read_disclosure", "read_final_accounts",
           "document_kind", "disclosure_spans", "TEMPLATE"]


def read_document(source: str | os.PathLike | bytes, *, name: str | None = None) -> dict:
    """Read a disclosure of any known template into its record (``_meta.template`` says which).
    A file holding several disclosures is refused (:class:`ReaderError` naming where each
    begins): :func:`read_documents` reads them."""
    doc = open_document(source, name)
    _one_disclosure(doc)
    return _read(doc)


def read_documents(source: str | os.PathLike | bytes, *, name: str | None = None) -> list[dict]:
    """Every disclosure *source* holds, each read into its record, in the file's order: one for
    nearly every file.  Where there are several, each record's ``_meta.id`` ends with ``#n`` and
    ``_meta.part`` says ``{"number": n, "of": count, "lines": [first, last]}``."""
    doc = open_document(source, name)
    spans = _spans(doc)
    if len(spans) == 1:
        return [_read(doc)]
    return [data for data, _ in _read_parts(doc, spans, None, load=False, keep_errors=False)]


def read_document_record(source: str | os.PathLike | bytes, *, name: str | None = None,
                         file: str | None = None) -> tuple[dict, Record]:
    """:func:`read_document` and the record loaded from what it read (``load_record(record,
    file=file)``): the same mapping and Record, for less work -- the budget reader indexes its
    record as it finishes it, the index being also its check that the loader accepts every
    figure, instead of a check of each figure and then the loader's walk over them all."""
    doc = open_document(source, name)
    _one_disclosure(doc)
    return _read_loaded(doc, file)


def read_document_records(source: str | os.PathLike | bytes, *, name: str | None = None,
                          file: str | None = None, keep_errors: bool = False,
                          opened: list | None = None) -> list[tuple]:
    """:func:`read_documents` with each record loaded, as :func:`read_document_record` does:
    ``(mapping, Record)`` pairs.  With *keep_errors*, a disclosure of a file holding several that
    cannot be read is ``(None, error)`` in the list (a :class:`ReaderError` naming it and its
    lines) and the others are read: one bad disclosure of a 汇编 does not hide the rest.  The
    document opened is appended to *opened* where given (``audit`` asks what it holds:
    :func:`.complementary.part_profile`)."""
    doc = open_document(source, name)
    if opened is not None:
        opened.append(doc)
    spans = _spans(doc)
    if len(spans) == 1:
        return [_read_loaded(doc, file)]
    return _read_parts(doc, spans, file, load=True, keep_errors=keep_errors)


def read_together(sources: list, *, names: list[str] | None = None) -> dict:
    """The one disclosure *sources* (paths, texts or bytes; *names* theirs, for texts and bytes)
    are the parts of -- its narrative and its tables published in several files -- read into one
    record, in the order given: each figure's source names the file it was printed in, with that
    file's own line and page numbers (:mod:`.joined`).  Its id joins the files' stems with "+".
    A source may be a document opened already (:func:`fiscalrules.inputs.open_document`: a file
    read alone first, :func:`read_all`), which is not opened again."""
    from ..document.model import Document
    from .common.record import record_id
    from .joined import in_their_files, joined_document
    names = list(names) if names is not None else [None] * len(sources)
    if len(names) != len(sources):
        raise ValueError("read_together: as many names as sources, or none")
    documents = [source if isinstance(source, Document) else open_document(source, name)
                 for source, name in zip(sources, names)]
    doc = joined_document(documents)
    data = in_their_files(_read(doc), doc)
    data["_meta"]["id"] = "+".join(record_id(doc.name) for doc in documents)
    return data


def read_together_record(sources: list, *, names: list[str] | None = None, file: str | None = None) -> tuple[dict, Record]:
    """:func:`read_together` and the record loaded from what it read (``load_record(record, file=file)``)."""
    from ..records import load_record
    data = read_together(sources, names=names)
    return data, load_record(data, file=file)


def _read_parts(doc: Document, spans: list[tuple[int, int]], file: str | None, *, load: bool,
                keep_errors: bool) -> list[tuple]:
    """Each disclosure on *spans* of *doc* read (and, with *load*, loaded): ``(mapping, Record or
    None)``; one that cannot be read raises a ReaderError naming it and its lines, or with
    *keep_errors* is ``(None, that error)``."""
    from ..errors import FiscalRulesError
    from ..records import load_record
    read: list[dict | ReaderError] = []
    for number, span in enumerate(spans, start=1):
        try:
            read.append(_numbered(_read_part(doc, span), number, spans))
        except FiscalRulesError as exc:
            error = _part_error(doc, number, spans, exc)
            if not keep_errors:
                raise error from exc
            read.append(error)
    # (a department's tables by unit and its units' own disclosures: each unit is handed its row)
    hand_department_rows([data if isinstance(data, dict) else None for data in read])
    out: list[tuple] = []
    for number, data in enumerate(read, start=1):
        if not isinstance(data, dict):
            out.append((None, data))
            continue
        try:
            out.append((data, load_record(data, file=file) if load else None))
        except FiscalRulesError as exc:
            error = _part_error(doc, number, spans, exc)
            if not keep_errors:
                raise error from exc
            out.append((None, error))
    return out


def _part_error(doc: Document, number: int, spans: list[tuple[int, int]], exc) -> ReaderError:
    """The error saying which disclosure of the file (and its lines) could not be read or loaded."""
    first, last = spans[number - 1]
    return ReaderError(f"disclosure {number} of {len(spans)} (lines {first}-{last}): {exc.message}",
                       Location(file=doc.path or doc.name))


def _read(doc: Document) -> dict:
    if document_kind(doc) == FINAL_ACCOUNTS:
        from .final_accounts import read_final_accounts
        return read_final_accounts(doc)
    return read_opened_disclosure(doc)   # opened once: a PDF is not laid out twice


def _read_part(doc: Document, span: tuple[int, int]) -> dict:
    """The record of the disclosure on lines *span* of *doc*, read as a file of its own and its
    line and page numbers then moved to the file's."""
    part = doc.part(*span)
    return in_the_file(_read(part), part)


def _read_loaded(doc: Document, file: str | None) -> tuple[dict, Record]:
    if document_kind(doc) == FINAL_ACCOUNTS:
        from ..records import load_record
        from .final_accounts import read_final_accounts
        data = read_final_accounts(doc)
        return data, load_record(data, file=file)
    return read_opened_loaded(doc, file)


def _spans(doc: Document) -> list[tuple[int, int]]:
    """Where each disclosure of *doc* begins and ends; a file cut into more than
    :data:`.parts.MAX_DISCLOSURES` is refused (each would cost a read)."""
    spans = disclosure_spans(doc)
    if len(spans) > MAX_DISCLOSURES:
        label = doc.path or doc.name
        raise ReaderError(f"{label} holds {len(spans)} disclosures, more than the {MAX_DISCLOSURES} "
                          "one file is read as; split it", Location(file=label))
    return spans


def _one_disclosure(doc: Document) -> None:
    spans = disclosure_spans(doc)
    if len(spans) > 1:
        label = doc.path or doc.name
        where = ", ".join(f"{first}-{last}" for first, last in spans[:5]) + (", …" if len(spans) > 5 else "")
        raise ReaderError(f"{label} holds {len(spans)} disclosures (lines {where}): read them with read_documents",
                          Location(file=label))


def _numbered(data: dict, number: int, spans: list[tuple[int, int]]) -> dict:
    """The record of the *number*-th of several disclosures in one file, named and placed so."""
    meta = data.setdefault("_meta", {})
    meta["id"] = f"{meta.get('id', 'record')}#{number}"
    meta["part"] = {"number": number, "of": len(spans), "lines": list(spans[number - 1])}
    return data


def __getattr__(name: str) -> Any:
    # The final-accounts reader (its modules and their patterns) is imported when a document
    # needs it: most audits read budgets, and a CLI start pays for every module it imports.
    if name == "read_final_accounts":
        from .final_accounts import read_final_accounts
        return read_final_accounts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
