"""Zip archives of disclosure documents → their documents, each read in memory.

A department's disclosure is often downloaded as a zip -- its narrative and its nine tables as
separate files, or a county's every department -- and auditors are handed such bundles.  An
archive given to ``fiscalrules audit`` (or found in a folder given) stands for the documents in
it, as a folder does: :func:`archive_members` lists them (by the readers' suffixes, in name
order), each an :class:`ArchiveMember` -- a ``str``, its display path ``bundle.zip/表/收支总表.pdf``,
that :func:`~fiscalrules.inputs.open_document` reads from the archive, never from disk.

Nothing is unpacked to disk (no path in an archive can point anywhere); the archive is opened
through the bounded reader (a regular file, never a FIFO or device).  Within bounds: at most
:data:`MAX_MEMBERS` documents an archive (and :data:`MAX_ENTRIES` entries its directory
declares, counted before the directory is read); a member larger than a document may be
(unpacked, as the archive declares it -- the reader stops there whatever the data inflates to)
is refused when read, naming it; an encrypted or damaged member likewise; an archive inside an
archive is not opened (read as a document, it is refused as one).  Names written by Chinese
Windows (GBK, without the zip's UTF-8 flag) are read as GBK.
"""

from __future__ import annotations

import functools
import os
import threading
import zipfile

from ..errors import Location, ReaderError
from .bounded import InputRefused, open_regular
from .zipped import BAD_ZIP, kind_of_names

__all__ = ["ArchiveMember", "archive_members", "member_at", "MAX_MEMBERS", "MAX_ENTRIES"]

#: The most documents one archive is read as, and the most entries its directory may declare
#: (checked before the directory is read: a million entries would be a million objects).
MAX_MEMBERS = 10_000
MAX_ENTRIES = 100_000
_UTF8_NAMES = 0x800   # (the zip's general-purpose flag: names in UTF-8; else, from Windows, the locale's code page)


class _Archive:
    """An archive file, opened (through the bounded reader) when a member is first read and kept
    open while its members are read in turn -- its directory read once for them all, not once a
    member; opening another archive closes it (one open at a time: a folder of a thousand
    archives holds no thousand files open)."""

    _lock = threading.Lock()
    _open: _Archive | None = None   # (the one archive open now)

    def __init__(self, path: str):
        self.path = path
        self.zip: zipfile.ZipFile | None = None

    def read(self, info: zipfile.ZipInfo, limit: int, shown: str) -> bytes:
        where = Location(file=shown)
        if info.file_size > limit:
            raise ReaderError(f"cannot read disclosure: {shown} unpacks to {info.file_size:,} bytes, more than the "
                              f"{limit:,} a document may", where)
        with _Archive._lock:
            if self.zip is None:
                if _Archive._open is not None:
                    _Archive._open.close()
                self.zip, _Archive._open = _opened(self.path), self
            try:   # (no more than it declares: zipfile stops there, whatever the data would inflate to)
                return self.zip.read(info)
            except BAD_ZIP as exc:
                reason = "is encrypted" if "encrypted" in str(exc) else f"is damaged in its archive ({exc})"
                raise ReaderError(f"cannot read disclosure: {shown} {reason}", where) from None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.fp.close()   # (the file it was given: a ZipFile does not close what it did not open)
            self.zip.close()
            self.zip = None


def _opened(path: str) -> zipfile.ZipFile:
    """The zip archive *path*, its directory read -- refused, naming it, where it is no regular
    file, is damaged, or declares more entries than :data:`MAX_ENTRIES` (before they are read)."""
    where = Location(file=path)
    try:
        file = open_regular(path, what="archive")
    except InputRefused as exc:
        raise ReaderError(f"cannot read disclosure: {exc.reason}", where) from None
    try:
        end = zipfile._EndRecData(file)   # (the end record: how many entries the directory declares)
        entries = end[zipfile._ECD_ENTRIES_TOTAL] if end else 0
        if entries > MAX_ENTRIES:
            raise ReaderError(f"cannot read disclosure: {path} holds {entries:,} entries, more than the "
                              f"{MAX_ENTRIES:,} an archive may", where)
        return zipfile.ZipFile(file)
    except BAD_ZIP as exc:
        file.close()
        raise ReaderError(f"cannot read disclosure: {path} is a damaged zip archive ({exc})", where) from None
    except BaseException:
        file.close()
        raise


class ArchiveMember(str):
    """A document in an archive: the text of its display path (``bundle.zip/表/a.pdf``), with the
    archive and its entry to read it from (:meth:`read`)."""

    __slots__ = ("archive", "info", "name")

    def __new__(cls, archive: _Archive, info: zipfile.ZipInfo, name: str):
        member = super().__new__(cls, f"{archive.path}/{name}")
        member.archive, member.info, member.name = archive, info, name
        return member

    def read(self, limit: int) -> bytes:
        """The member's bytes (at most *limit*: a larger one is refused, naming it)."""
        return self.archive.read(self.info, limit, str(self))


def _listed(path: str) -> list[zipfile.ZipInfo] | None:
    """The entries of the zip archive *path*; None where it is none (a Word document or workbook,
    another file, one too damaged or too large to list -- the reader refuses it as a document)."""
    try:
        with _opened(path) as archive:
            infos = archive.infolist()
            archive.fp.close()   # (the file it was given: a ZipFile does not close what it did not open)
    except ReaderError:
        return None
    return None if kind_of_names({info.filename for info in infos}) else infos


def archive_members(path: str, suffixes: tuple[str, ...]) -> list[ArchiveMember] | None:
    """The documents of the archive *path* whose names end with one of *suffixes*, in name order
    (folders' names, hidden files and macOS's resource forks left out); None where *path* is no
    archive (:func:`_listed`: its directory read once, for both); refused, naming it, when it holds
    more than :data:`MAX_MEMBERS`."""
    infos = _listed(path)
    if infos is None:
        return None
    archive = _Archive(path)
    members = []
    for info in infos:
        name = _name(info)
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or not base.lower().endswith(suffixes) or base.startswith((".", "_")) \
                or name.startswith("__MACOSX/"):
            continue
        members.append(ArchiveMember(archive, info, name))
        if len(members) > MAX_MEMBERS:
            raise ReaderError(f"cannot read disclosure: {path} holds more than {MAX_MEMBERS:,} documents",
                              Location(file=path))
    return sorted(members, key=lambda member: member.name)


def member_at(path: str) -> ArchiveMember | None:
    """The document a display path names in an archive (``bundle.zip/预算公开/预算表.txt``: what
    :class:`ArchiveMember` is written as in records and reports), or None."""
    text = str(path)
    at = text.lower().find(".zip/")
    while at >= 0:
        archive, name = text[:at + 4], text[at + 5:]
        try:
            stat = os.stat(archive)
        except (OSError, ValueError):   # (no such file: a folder named so, further on, may be the archive's)
            stat = None
        if stat is not None:
            try:
                found = _members_by_name(archive, stat.st_size, stat.st_mtime_ns,
                                         os.path.splitext(name.rsplit("/", 1)[-1])[1].lower())
            except ReaderError:
                return None
            if found is not None:
                return found.get(name)
        at = text.lower().find(".zip/", at + 5)
    return None


@functools.lru_cache(maxsize=16)
def _members_by_name(path: str, size: int, changed: int, suffix: str) -> dict | None:
    """The documents of the archive *path* (as it is now: its *size* and time of change) whose
    names end with *suffix* (a document's: ``.txt``), by name; None where it is no archive.  An
    HTML report looks up the member of each document it shows: the archive's directory is read
    once for its documents of a form, not once a document."""
    members = archive_members(path, (suffix,))
    return None if members is None else {member.name: member for member in members}


def _name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its writer meant it: zipfile reads a name without the UTF-8 flag as
    code page 437, where Chinese Windows wrote GBK ("╘ñ╦π.pdf" for "预算.pdf")."""
    name = info.filename
    if not info.flag_bits & _UTF8_NAMES:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/").lstrip("/")
