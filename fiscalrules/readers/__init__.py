"""Disclosure readers: turn a published disclosure into a record, by template.

``read_document(path)`` opens a PDF or text, decides its template by its title and the tables it
prints (:func:`.kind.document_kind`) and hands it to that template's reader: a 部门决算 / 单位决算
to :func:`.final_accounts.read_final_accounts` (docs/final-accounts-record.md), anything else to
the budget reader ``read_disclosure`` (docs/budget-record.md), which refuses what is not a budget.
The record's ``_meta.template`` names the template, and so the bundled ruleset that audits it.
"""

from __future__ import annotations

import os

from ..inputs import open_document
from .budget import TEMPLATE, read_disclosure
from .budget.reader import read_opened_disclosure, read_opened_loaded
from .kind import FINAL_ACCOUNTS, document_kind

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any
    from ..recordmodel import Record
    from .final_accounts import read_final_accounts

__all__ = ["read_document", "read_document_record", "read_disclosure", "read_final_accounts", "document_kind",
           "TEMPLATE"]


def read_document(source: str | os.PathLike | bytes, *, name: str | None = None) -> dict:
    """Read a disclosure of any known template into its record (``_meta.template`` says which)."""
    doc = open_document(source, name)
    if document_kind(doc) == FINAL_ACCOUNTS:
        from .final_accounts import read_final_accounts
        return read_final_accounts(doc)
    return read_opened_disclosure(doc)   # opened once: a PDF is not laid out twice


def read_document_record(source: str | os.PathLike | bytes, *, name: str | None = None,
                         file: str | None = None) -> tuple[dict, Record]:
    """:func:`read_document` and the record loaded from what it read (``load_record(record,
    file=file)``): the same mapping and Record, for less work -- the budget reader indexes its
    record as it finishes it, the index being also its check that the loader accepts every
    figure, instead of a check of each figure and then the loader's walk over them all."""
    from ..records import load_record
    doc = open_document(source, name)
    if document_kind(doc) == FINAL_ACCOUNTS:
        from .final_accounts import read_final_accounts
        data = read_final_accounts(doc)
        return data, load_record(data, file=file)
    return read_opened_loaded(doc, file)


def __getattr__(name: str) -> Any:
    # The final-accounts reader (its modules and their patterns) is imported when a document
    # needs it: most audits read budgets, and a CLI start pays for every module it imports.
    if name == "read_final_accounts":
        from .final_accounts import read_final_accounts
        return read_final_accounts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
