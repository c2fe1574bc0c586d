"""Web archives (.mht, .mhtml) → the web page they hold: a disclosure saved as "a single file".

Word's "单个文件网页" (Web archive), and a browser's "save as a single file", write a page and its
pictures as one MIME message (``multipart/related``): the page is its ``text/html`` part, encoded
quoted-printable or base64, in its declared character set (Word's: ``gb2312``).  Departments
publish such files, and auditors save portal pages so.  Read as text, the encoded page gave no
figures.  :func:`archived_page` gives the page's markup, which :mod:`.html` writes out as text as
it does any page's.

Told by the first bytes: the message's headers (``MIME-Version:``, a browser's ``From: <Saved by
...>``) with a ``multipart/related`` content type among them, whatever the file is called.  Only
the standard library's ``email`` parser: nothing run, the pictures never decoded.
"""

from __future__ import annotations

import re

from ..errors import Location, ReaderError

__all__ = ["is_web_archive", "archived_page"]

# A message begins with its header lines ("Name: value"); the content type says what it holds.
_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:")
_RELATED = re.compile(rb"content-type:\s*multipart/related", re.IGNORECASE)
_HEAD = 4096   # (the bytes the headers are looked for in: a browser's run to a few hundred)


def is_web_archive(head: bytes) -> bool:
    """Whether a file's first bytes are a web archive's: header lines, a ``multipart/related``
    content type among them (before the first blank line)."""
    start = head[:_HEAD].lstrip(b"\xef\xbb\xbf\r\n\t ")
    if not _HEADER.match(start):
        return False
    headers = re.split(rb"\r?\n\r?\n", start, maxsplit=1)[0]
    return bool(_RELATED.search(headers))


def archived_page(data: bytes, name: str) -> str:
    """The markup of the web page a web archive holds (its first ``text/html`` part), decoded by
    its declared character set (GB2312 read as its superset GB18030); refused, naming the file,
    when it holds none."""
    import email
    import email.policy
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        return _decoded(payload, part.get_content_charset())
    raise ReaderError(f"cannot read disclosure: {name} is a web archive holding no web page",
                      Location(file=name))


_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _decoded(payload: bytes, charset: str | None) -> str:
    """*payload* in *charset* (else UTF-8, else GB18030: a Chinese page saved without one)."""
    tried = [_SUPERSETS.get(charset, charset)] if charset else []
    for codec in [*tried, "utf-8", "gb18030"]:
        try:
            return payload.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", "replace")
