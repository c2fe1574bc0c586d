"""Pictures standing in a document's text: a table pasted as an image.

Offices paste some tables from the budget system's screen as pictures (a paragraph "表5", then a
paragraph holding only an image).  The input readers write such a picture as a line of its own,
:data:`PICTURE_LINE` -- a paragraph that holds an image and no text (Word: ``w:drawing`` with
``a:blip`` or ``w:pict`` with ``v:imagedata``) -- so that the readers can tell "printed as a
picture, not read" from "not printed".  A picture beside text (a seal over the signature, a logo
in a heading) writes nothing: only a paragraph that is the picture alone can be a table."""

from __future__ import annotations

__all__ = ["PICTURE_LINE", "PICTURE_REASON", "is_picture_line"]

PICTURE_LINE = "[图片]"
PICTURE_REASON = "printed as a picture, not read"


def is_picture_line(text: str) -> bool:
    """Whether *text* (a document line) is a picture the input reader wrote as :data:`PICTURE_LINE`."""
    return text.strip() == PICTURE_LINE
