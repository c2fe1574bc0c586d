"""Texts the record loader has read, and the quick judgement of the figures a reader writes.

:mod:`fiscalrules.recordbuild` builds every figure through its ``_Builder``; reading a text as an
amount (or finding it is not one) is most of that work, and a batch's records repeat their codes,
names, labels and amounts.  This module owns the bounded memo of texts read (:data:`READ`) and
:func:`plainly_loadable`, which says "certainly accepted by the loader" for the plain shapes a
reader writes, without building the figure -- anything else is decided by the builder
(:func:`fiscalrules.records.figure_problems`; tests/test_reader_loadable.py holds the two
together).  It imports nothing of the package but :mod:`fiscalrules.values`.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .values import _PLAIN_NUMBER

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["READ", "READ_LIMIT", "TEXT_LENGTH", "MAX_LINE_NUMBER", "read_before_or_plain",
           "remember", "plain_text", "plainly_loadable"]

# The largest line or page number a source may give.
MAX_LINE_NUMBER = 10 ** 9

# Texts the loader has read, with what it read them as: a plain amount (its Decimal), or a text
# (itself: not a number, not refused).  Reading one again gives the same answer, and a batch's
# records repeat their codes, names, labels and many amounts (0.00).  Bounded: at most
# READ_LIMIT texts (a text of at most TEXT_LENGTH characters; a plain amount is shorter), emptied
# when full.  (A Decimal is immutable: one shared by many figures is as good as one each.)
READ: dict[str, Decimal | str] = {}
READ_LIMIT = 1 << 14
TEXT_LENGTH = 64


def read_before_or_plain(text: str) -> Decimal | str | None:
    """*text* as the loader read it before (its Decimal, or itself as a text), else as a plain
    amount (remembered), else None: it needs the general reading."""
    found = READ.get(text)
    if found is None and _PLAIN_NUMBER.fullmatch(text):
        found = remember(text, Decimal(text))
    return found


def remember(text: str, reading: Decimal | str) -> Decimal | str:
    if len(READ) >= READ_LIMIT:
        READ.clear()
    READ[text] = reading
    return reading


_NOT_FINITE = ("nan", "inf", "infinity")


def plain_text_or_amount(raw: Any) -> bool:
    """True when :meth:`fiscalrules.recordbuild._Builder.value` certainly reads *raw* (a text) without a refusal: a text
    it read before or a plain amount, or a :func:`plain_text`."""
    return read_before_or_plain(raw) is not None or plain_text(raw)


def plain_text(raw: str) -> bool:
    """True (and *raw* remembered as a text) for a text holding no digit at all -- parse_decimal
    reads no number in it, and no exponent can match -- that does not spell NaN or infinity:
    :meth:`fiscalrules.recordbuild._Builder.value` reads it as itself, and so it does without that
    general reading (a translation of every character, a substitution, a few more tests)."""
    if any(map(str.isdigit, raw)) or raw.strip().lower().lstrip("+-.") in _NOT_FINITE:
        return False
    if len(raw) <= TEXT_LENGTH:
        remember(raw, raw)   # as value() does: the loader reading the record next finds it
    return True


def plainly_loadable(raw: Any) -> bool:
    """True when ``_Builder.figure(raw)`` certainly succeeds, decided without building the figure:
    the figures a reader writes -- a text or plain amount, or a dict of a value, a text unit,
    plain-amount change / pct, text printed / label and a source of texts and whole line and page
    numbers.  False means only "ask the builder", which decides (see :func:`figure_problems`)."""
    kind = type(raw)
    if kind is str:
        return plain_text_or_amount(raw)
    if kind is not dict:
        return False
    value = raw.get("value")
    if type(value) is not str or not plain_text_or_amount(value):
        return False
    for key in ("change", "pct"):
        item = raw.get(key)
        if item is not None and not (type(item) is str and type(read_before_or_plain(item)) is Decimal):
            return False
    for key in ("unit", "printed", "label"):
        item = raw.get(key)
        if item is not None and type(item) is not str:
            return False
    if raw.get("precision") is not None:
        return False
    source = raw.get("source")
    if source is None or type(source) is str:
        return True
    if type(source) is not dict:
        return False
    box = source.get("box")
    if box is not None and not (type(box) is list and len(box) == 4 and all(
            type(v) is float and math.isfinite(v) for v in box)):
        return False
    for key in ("line", "page", "page_line"):
        item = source.get(key)
        if item is not None and not (type(item) is int and 0 <= item <= MAX_LINE_NUMBER):
            return False
    return all(type(source.get(key)) in (str, type(None)) for key in ("document", "section", "text"))
