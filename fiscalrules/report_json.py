"""Indented JSON text for the reports: exactly what ``json.dumps(value, ensure_ascii=False,
indent=2, default=default)`` writes, several times faster.

CPython's C encoder runs only without indentation; with ``indent`` json falls back to its
pure-Python generator encoder, and writing a report's JSON cost about three times evaluating
the record.  Here strings are still escaped by json's own (C) function and numbers written by
the same ``repr`` json uses; only the layout -- two spaces a level, ``", "`` never, a line per
element, ``[]`` and ``{}`` when empty -- is put together in one list of pieces.
"""

from __future__ import annotations

try:   # json's C escaping (as with ensure_ascii=False), what json.encoder hands out, without
    from _json import encode_basestring   # importing the json package (~6 M instructions of an audit's start)
except ImportError:  # pragma: no cover - a Python without json's accelerator
    from json.encoder import encode_basestring

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["dumps_indented"]

_INFINITY = float("inf")
# A dict key's text as an item after the first ("," + line break and indentation + the escaped
# key + ": "), by the indentation, for the keys met first: record ids and row codes are keys
# too, and a value nests as deep as it likes, so the memo stays bounded.
_AT: dict[str, dict[str, str]] = {}
_KEYS_KEPT = 4096
_DEPTHS_KEPT = 64


def dumps_indented(value: Any, default: Callable[[Any], Any]) -> str:
    """*value* as ``json.dumps(value, ensure_ascii=False, indent=2, default=default)`` writes it
    (*default* turns what JSON has no type for into something it has, or raises TypeError)."""
    pieces: list[str] = []
    _encode(value, pieces, "\n", default)
    return "".join(pieces)


def _float(number: float) -> str:
    if number != number:
        return "NaN"
    if number == _INFINITY:
        return "Infinity"
    if number == -_INFINITY:
        return "-Infinity"
    return float.__repr__(number)


def _key(key: object) -> str:
    """A dict key as json writes it: strings as they are, numbers, booleans and None as text."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _encode(value: Any, out: list[str], newline: str, default: Callable[[Any], Any]) -> None:
    """Append *value*'s text to *out*; *newline* is a line break and the current indentation.
    The checks come in json's order (a bool is an int; an IntEnum is written as its number)."""
    while True:
        if isinstance(value, str):
            out.append(encode_basestring(value))
        elif value is None:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif isinstance(value, int):
            out.append(int.__repr__(value))
        elif isinstance(value, float):
            out.append(_float(value))
        elif isinstance(value, (list, tuple)):
            if not value:
                out.append("[]")
                return
            inner = newline + "  "
            separator = "[" + inner
            for item in value:
                _item(separator, item, out, inner, default)
                separator = "," + inner
            out.append(newline + "]")
        elif isinstance(value, dict):
            if not value:
                out.append("{}")
            else:
                _dict(value, out, newline, default)
        else:
            value = default(value)   # then written as whatever it became
            continue
        return


def _dict(value: dict[Any, Any], out: list[str], newline: str, default: Callable[[Any], Any]) -> None:
    """A dict that is not empty, as _encode writes it (each item by _item)."""
    inner = newline + "  "
    # A report repeats a few dozen keys thousands of times, at a few depths: each one's
    # ',<line break and indentation>"key": ' is made once per depth, and an item with a text,
    # null or number value is one piece of the text (the first item's ',' becomes '{').
    at = _AT.get(inner)
    if at is None:
        at = _AT[inner] = {} if len(_AT) < _DEPTHS_KEPT else None
    first = True
    for key, item in value.items():
        piece = at.get(key) if at is not None and key.__class__ is str else None
        if piece is None:
            piece = "," + inner + encode_basestring(key if isinstance(key, str) else _key(key)) + ": "
            if at is not None and key.__class__ is str and len(at) < _KEYS_KEPT:
                at[key] = piece
        if first:
            piece = "{" + piece[1:]
            first = False
        _item(piece, item, out, inner, default)
    out.append(newline + "}")


def _item(piece: str, item: Any, out: list[str], inner: str, default: Callable[[Any], Any]) -> None:
    """A list's or a dict's item after *piece* (its separator, and a dict's key): the common kinds
    (text, null, whole numbers) told apart by their exact class and written with the piece as one
    string, a dict by _dict, the rest by _encode -- the text _encode would write."""
    kind = item.__class__
    if kind is str:
        out.append(piece + encode_basestring(item))
    elif item is None:
        out.append(piece + "null")
    elif kind is int:
        out.append(piece + int.__repr__(item))
    elif kind is dict and item:
        out.append(piece)
        _dict(item, out, inner, default)
    else:
        out.append(piece)
        _encode(item, out, inner, default)
