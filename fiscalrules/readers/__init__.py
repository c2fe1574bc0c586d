"""Disclosure readers: turn a published budget disclosure into a record (see docs/budget-record.md).

``read_disclosure(path)`` reads a 部门预算 / 单位预算 text into a plain, JSON-serialisable dict in
the record model of docs/records.md, listing in ``_meta.unread`` every part it could not read.
"""

from .budget import TEMPLATE, read_disclosure

__all__ = ["read_disclosure", "TEMPLATE"]
