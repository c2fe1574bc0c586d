"""The XML of an Office file, parsed within bounds: one place for the refusal of a DTD.

Office never writes a document type declaration or entities into its parts; a file that does is
hostile (an entity-expansion bomb, an external entity), and is refused before any parsing.
ElementTree, the standard library's parser, does the rest.
"""

from __future__ import annotations

import contextlib
from xml.etree import ElementTree

from ..errors import Location, ReaderError

__all__ = ["Declares", "parsed", "parsed_document", "refused_as"]


class Declares(ValueError):
    """A part declares a DTD or entities."""


def parsed(xml: bytes):
    """The root element of *xml*; :class:`Declares` where it declares a DTD or entities,
    ElementTree's ParseError where it is not well formed."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise Declares("a part declares a DTD or entities")
    try:
        return ElementTree.fromstring(xml)
    except (LookupError, ValueError) as exc:
        # An XML declaration naming an encoding Python has no codec for ("UTFG8": LookupError) or
        # one expat cannot read (a multi-byte one: ValueError) escaped as an internal error.
        raise ElementTree.ParseError(f"its XML declaration names an encoding that cannot be read ({exc})") from None


def parsed_document(xml: bytes, name: str, what: str):
    """The root element of the document *name*'s XML (*what*: "Word document", ...); refused,
    naming it, where it declares a DTD or entities or is not well formed."""
    with refused_as(name, what):
        return parsed(xml)


@contextlib.contextmanager
def refused_as(name: str, what: str):
    """Parts of the document *name* parsed inside (by :func:`parsed`): one declaring a DTD or
    entities, or not well formed, refuses the document, naming it (*what*: "Word document", ...)."""
    try:
        yield
    except Declares:
        raise ReaderError(f"cannot read disclosure: {name} declares a DTD or entities, which no {what} does",
                          Location(file=name)) from None
    except ElementTree.ParseError as exc:
        raise ReaderError(f"cannot read disclosure: {name} is a damaged {what} ({exc})", Location(file=name)) from None
