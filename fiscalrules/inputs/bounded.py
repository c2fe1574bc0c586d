"""The one bounded reader: every file fiscalrules opens (rule files and their includes, record
files, disclosure documents) is read here.

It reads at most a limit of bytes, incrementally: a 1 GB file is refused once the limit is
passed, not read whole first, and the size a file claims is not trusted (``/proc`` files claim
0 bytes, a growing file claims fewer than it will have).  It refuses whatever is not a regular
file -- a directory, a device such as ``/dev/zero``, a FIFO, a socket -- before reading a byte,
and opens without blocking, so a FIFO with no writer cannot hang the caller.

Refusals are :class:`InputRefused` with a plain-words reason; each caller turns that into the
error of its phase (a RecordError for a record file, a RuleSyntaxError or RulesetNotFound for a
rule file, a ReaderError for a document), so the message names the file and the CLI exits 2.
"""

from __future__ import annotations

import os
import stat

__all__ = ["InputRefused", "read_bounded", "open_regular", "MAX_RULE_FILE_BYTES", "MAX_RECORD_FILE_BYTES",
           "MAX_DOCUMENT_BYTES", "MAX_PDF_BYTES", "MAX_TABLE_ROWS_PER_RECORD", "MAX_DECODED_RECORD_BYTES",
           "MAX_CSV_LINE_BYTES", "describe_size"]

# The bounds, in bytes, in one place.
MAX_RULE_FILE_BYTES = 4_000_000        # ~30,000 rules; larger text takes minutes and gigabytes
MAX_RECORD_FILE_BYTES = 200_000_000    # a batch of records: JSON, JSON Lines or YAML
MAX_DOCUMENT_BYTES = 50_000_000        # a disclosure as text: real ones are 10 KB -- 1 MB
MAX_PDF_BYTES = 256 * 1024 * 1024      # a disclosure as a PDF: real ones are 100 KB -- 20 MB

# Table files (Parquet, CSV).  A Parquet file is streamed, not read whole, and its size on disk
# says little of what it decodes to (a gigabyte of one repeated text compresses to kilobytes, a
# list of a hundred million rows to a few run lengths): what one record decodes to is bounded
# instead (fiscalrules.columnar.bounds checks it before the cells are decoded).
MAX_TABLE_ROWS_PER_RECORD = 1_000_000  # one record's table rows, its tables together: real ones ~100 -- 10,000
MAX_DECODED_RECORD_BYTES = MAX_RECORD_FILE_BYTES   # one record's cells decoded: as much as a record file
MAX_CSV_LINE_BYTES = 16_000_000     # one line of a CSV table file (one flat record): real ones < 10 KB

_CHUNK = 1 << 20


class InputRefused(Exception):
    """A file that is not read: missing, unreadable, not a regular file, or over the limit."""

    def __init__(self, reason: str, path: str, *, missing: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.missing = missing


def describe_size(size: int) -> str:
    """``4 MB (4,000,000 bytes)``."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB ({size:,} bytes)"
    return f"{size:,} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | os.PathLike, *, what: str = "file"):
    """A binary file object on the regular file *path*, refused as :func:`read_bounded` refuses
    it, for a reader that takes small pieces at offsets it chooses and bounds them itself (the
    page headers of a Parquet file, fiscalrules.columnar.bounds); the caller closes it."""
    return os.fdopen(_open_regular(os.fspath(path), what, None), "rb")


def first_bytes(path: str | os.PathLike, count: int, *, what: str = "file") -> bytes:
    """The first *count* bytes of the regular file *path* (what it is told by: a zip's, a PDF's
    signature), or nothing where it is no regular file or cannot be read."""
    try:
        with open_regular(path, what=what) as file:
            return file.read(count)
    except (InputRefused, OSError):
        return b""


def _open_regular(name: str, what: str, opened_only_if) -> int:
    """A descriptor of the regular file *name*, opened without blocking (a FIFO with no writer
    cannot hang the caller) and checked again once open; :class:`InputRefused` otherwise."""
    try:
        kind = _kind(os.stat(name).st_mode)
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        raise InputRefused(f"cannot read {what}: {exc.strerror or exc}", name, missing=missing) from None
    except ValueError as exc:  # a NUL byte in the path
        raise InputRefused(f"cannot read {what}: {exc}", name, missing=True) from None
    if kind is not None:
        raise InputRefused(f"cannot read {what}: {name} is {kind}, not a regular file", name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    if opened_only_if is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise InputRefused(f"cannot read {what}: {exc.strerror or exc}", name) from None
    try:
        # What was opened, not what was at the path a moment ago (it may have been swapped).
        opened = os.fstat(fd)
        kind = _kind(opened.st_mode)
        if kind is not None:
            raise InputRefused(f"cannot read {what}: {name} is {kind}, not a regular file", name)
        if opened_only_if is not None and not opened_only_if(opened):
            raise InputRefused(f"cannot read {what}: {name} is not one this may read", name)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bounded(path: str | os.PathLike, limit: int, *, what: str = "file", opened_only_if=None) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them; :class:`InputRefused`
    otherwise.  *what* names the file's role in the reasons ("rule file", "record file" …).
    With *opened_only_if* (a test of an ``os.stat_result``), a link is not followed and the file
    is read only when what was opened passes the test -- the test sees the file that is read,
    not one that was at the path a moment before (the ruleset cache's owner check)."""
    name = os.fspath(path)
    fd = _open_regular(name, what, opened_only_if)
    try:
        chunks, total = [], 0
        while True:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except OSError as exc:
                raise InputRefused(f"cannot read {what}: {exc.strerror or exc}", name) from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise InputRefused(f"{what} too large: {name} is larger than {describe_size(limit)}, "
                                   f"the most a {what} may be", name)
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)
