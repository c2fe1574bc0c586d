"""Every disclosure that files, folders and zip archives hold, read as ``fiscalrules audit`` reads them.

:func:`read_all` takes files, folders and zip archives -- a folder stands for its documents
(recursively, in name order), an archive for its documents, read from it within the bounds of
:mod:`..inputs.archive` (the entries its directory declares, the documents it holds, each
member's unpacked size; an archive inside an archive is not opened): one listing with the
command line's (:func:`..inputs.listing.expand`) -- and yields a :class:`DisclosureRead` for
each disclosure found: its record, or the error that kept it unread, naming its file (a
document of an archive by its path there, ``bundle.zip/表/a.pdf``).  One unreadable file, or
disclosure of a file holding several, never hides the others, and none is dropped silently.

Within one folder or archive, the files that are the parts of one disclosure -- its
narrative and its tables published apart, in one file or a file each (:mod:`.complementary`
tells them by what each read) -- are read as one (:mod:`.joined`), from the documents their first reading opened: each file is
opened and parsed once.  Files holding such a part are yielded after the others of their folder
or archive, a joined group at its first file's place.

:func:`read_files` is the same over files listed already: what ``fiscalrules audit`` reads its
inputs with (the command line names and audits each record; it reads nothing itself).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ..errors import FiscalRulesError
    from ..recordmodel import Record

__all__ = ["DisclosureRead", "read_all", "read_files"]


class DisclosureRead:
    """One disclosure of a batch: its record, or the error that kept it unread.

    ``data`` is the record as a mapping (:func:`fiscalrules.readers.read_document`'s) and
    ``record`` it loaded (a :class:`~fiscalrules.Record`), both None where ``error`` (a
    :class:`~fiscalrules.FiscalRulesError` naming the file) says why it was not read.  ``files``
    are the file(s) it was read from as listed -- several where the parts of one disclosure
    were joined -- and ``positions`` their places among the documents read (from 0, in listing order).
    ``part`` is ``(n, count)`` for the n-th of the several disclosures one file holds, else None.
    """

    __slots__ = ("files", "positions", "part", "data", "record", "error")

    def __init__(self, files: tuple, positions: tuple, *, data: dict | None = None, record: Record | None = None,
                 error: FiscalRulesError | None = None, part: tuple[int, int] | None = None):
        self.files, self.positions, self.part = tuple(files), tuple(positions), part
        self.data, self.record, self.error = data, record, error

    @property
    def ok(self) -> bool:
        """Whether it was read (``data`` and ``record`` hold it)."""
        return self.error is None

    def __repr__(self) -> str:
        what = f"error={self.error}" if self.error is not None else f"id={self.data['_meta'].get('id')!r}"
        return f"DisclosureRead({' + '.join(self.files)!r}, {what})"


def read_all(*sources: str | os.PathLike, join_parts: bool = True) -> Iterator[DisclosureRead]:
    """Each disclosure *sources* hold -- files, folders and zip archives (module docstring) -- in
    their order, read: a :class:`DisclosureRead` each, its record or its error.  A folder or
    archive holding no document, or an archive that cannot be listed (damaged, declaring more
    entries or documents than it may), is one such error.  With *join_parts* (the default) the
    files of one folder or archive that are the parts of one disclosure are read as one."""
    from ..inputs.listing import DOCUMENT_SUFFIXES, expand, stands_for_files
    offset = 0
    for source in sources:
        given = os.fspath(source)
        refused: list = []
        listed = expand([given], DOCUMENT_SUFFIXES, refused)
        for error in refused:
            yield DisclosureRead((given,), (), error=error)
        joinable = join_parts and len(listed) > 1 and stands_for_files(given, listed)
        for read in read_files(listed, join_parts=joinable):
            read.positions = tuple(offset + position for position in read.positions)
            yield read
        offset += len(listed)


def read_files(files: list[str], *, join_parts: bool = True, shown: Callable[[str], str] | None = None,
               on_file: Callable[[int, str], None] | None = None) -> Iterator[DisclosureRead]:
    """Each disclosure of *files* (paths, or an archive's documents as
    :func:`..inputs.listing.expand` lists them), each file read when the result before it has
    been taken; with *join_parts*, those that are the parts of one disclosure read as one (the files
    of one folder or archive: module docstring).  *shown* writes a file's path as records and
    errors name it (default: as it is); *on_file(position, path)* is called before each file is
    read (a progress display)."""
    shown = shown or str
    held: list = []   # files holding a part of a disclosure: (position, path, reads alone, document, profile)
    for position, path in enumerate(files):
        if on_file is not None:
            on_file(position, path)
        reads, document, profile = _read_alone(position, path, shown, join_parts)
        if profile is not None and profile.part is not None:
            held.append((position, path, reads, document, profile))
        else:
            yield from reads
    if held:
        yield from _parts_joined(held, shown)


def _read_alone(position: int, path: str, shown, profiled: bool) -> tuple[list[DisclosureRead], object, object]:
    """The disclosures of the file *path* read alone (or its error) and, where *profiled* and it
    holds one, the document opened and what it holds as a part of a disclosure
    (:func:`.complementary.part_profile`)."""
    from ..inputs.pathnames import FilePath
    from ..records import input_error
    from . import read_document_records
    from .complementary import part_profile
    label = shown(path)   # (a file name that is not UTF-8: as the caller writes it)
    opened: list = []
    try:
        # (a str with a line break is read as the text itself: a file named so is read as a path)
        source = FilePath(path) if type(path) is str and "\n" in path else path
        reads = read_document_records(source, file=label, keep_errors=True, opened=opened,
                                      **({"name": os.path.basename(label)} if label != path else {}))
    except Exception as exc:  # noqa: BLE001 -- one file that cannot be read is its error; the others still read
        failed = [DisclosureRead((path,), (position,), error=input_error(exc, path))]
        # (opened but not readable alone -- one table whose title says no 部门预算 --: still a part)
        profile = part_profile(opened[0], None) if profiled and opened else None
        if profile is None or profile.part is None:
            return failed, None, None
        return failed, opened[0], profile
    out = []
    for number, (data, record) in enumerate(reads, start=1):
        part = (number, len(reads)) if len(reads) > 1 else None
        if data is None:   # a disclosure of the file that could not be read (*record*: its error)
            out.append(DisclosureRead((path,), (position,), error=input_error(record, path), part=part))
        else:
            out.append(DisclosureRead((path,), (position,), data=data, record=record, part=part))
    if not (profiled and opened and len(reads) == 1 and reads[0][0] is not None):
        return out, None, None
    profile = part_profile(opened[0], reads[0][0])
    # (the document kept only for a part, to be joined without being opened again)
    return out, opened[0] if profile.part is not None else None, profile


def _parts_joined(held: list, shown) -> Iterator[DisclosureRead]:
    """The disclosures of the files *held* (each holding a part of a disclosure), in their order:
    those of one folder that are the parts of one disclosure
    (:func:`.complementary.disclosure_groups`) read as one, from the documents already opened;
    the others as read alone."""
    from . import read_together_record
    from .complementary import disclosure_groups
    by_folder: dict = {}
    for item in held:
        by_folder.setdefault(os.path.dirname(item[1]), []).append(item)
    joined: dict = {}   # the first file's position → the group read as one
    skipped: set = set()
    for items in by_folder.values():
        for group in disclosure_groups([item[4] for item in items]):
            # (in the files' order, as read_together reads them)
            parts = sorted((items[index] for index in group), key=lambda item: item[0])
            files = tuple(item[1] for item in parts)
            try:
                data, record = read_together_record([item[3] for item in parts],
                                                    file=" + ".join(map(shown, files)))
            except Exception:  # noqa: BLE001 -- not readable as one: each as read alone
                continue
            joined[parts[0][0]] = DisclosureRead(files, tuple(item[0] for item in parts), data=data,
                                                 record=record)
            skipped.update(item[0] for item in parts[1:])
    for position, _, reads, _, _ in held:
        if position in joined:
            yield joined[position]
        elif position not in skipped:
            yield from reads
