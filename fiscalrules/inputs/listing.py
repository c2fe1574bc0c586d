"""Which files a folder or zip archive given to be read stands for: its documents.

A folder stands for the documents in it (recursively, in name order), a zip archive -- given, or
in a folder given -- for its documents (:mod:`.archive`: read from it, never unpacked, within its
bounds), each by the readers' suffixes (:data:`DOCUMENT_SUFFIXES`).  ``fiscalrules audit`` and
``extract`` list their inputs here, and so does the library's :func:`fiscalrules.readers.read_all`
(one listing for both).  A folder or archive holding none is an E500, raised or collected.
"""

from __future__ import annotations

import os
import stat

from ..errors import FiscalRulesError, Location

__all__ = ["DOCUMENT_SUFFIXES", "expand", "stands_for_files"]

# The files of a folder given to `audit` or `extract` that are read as documents (.wps and .et:
# WPS Office's Writer and Spreadsheets files, of the .doc and .xls formats; .rtf: Rich Text Format,
# as Word and WPS save it and budget systems export it; .mht, .mhtml: a web page saved as one file;
# .ofd: China's fixed-layout document format, GB/T 33190, as portals publish disclosures beside a PDF;
# .zip: an archive of them, standing for the documents in it as a folder does).
DOCUMENT_SUFFIXES = (".txt", ".pdf", ".ofd", ".html", ".htm", ".mht", ".mhtml", ".xlsx", ".xls", ".et", ".docx",
                     ".doc", ".wps", ".rtf", ".zip")


def expand(paths, suffixes: tuple[str, ...], empty: list | None = None) -> list[str]:
    """Files named (on the command line, or to :func:`fiscalrules.readers.read_all`), a folder
    standing for the files in it (recursively, sorted) with one of *suffixes* -- and, where
    *suffixes* hold ``.zip``, a zip archive (given, or in a folder given) for its documents of
    those suffixes (:mod:`.archive`: each a ``str``
    naming it in the archive, read from there).  Anything else is passed on as given (a bundled
    ruleset name, or a missing file the loader reports).  A folder or archive holding none, or an
    archive that cannot be listed, is an E500: raised, or added to *empty* when given (a command
    that runs each file on its own reports it and goes on).

    A folder's file that is where this run's standard output or error goes (``fiscalrules audit
    预算/ > 预算/核对结果.txt``: emptied by the shell before the run) or a report an earlier run
    wrote there (a text, web page, JSON, JSON Lines, CSV or Parquet report: :func:`.source.is_own_report`)
    is not one of its inputs: it was read as a disclosure (a report quotes one) and gave a record
    of its own with false findings, and ``-o`` refused a second run over the folder its first
    report was written to.  (``-o`` naming any other input, in a folder or not, is still refused:
    :func:`fiscalrules.cli_output.output_is_an_input`; a report named as an input is refused by the readers.)"""
    out: list[str] = []

    def refused(error: FiscalRulesError) -> None:
        if empty is None:
            raise error
        empty.append(error)

    for path in paths:
        if os.path.isdir(path):
            found = sorted(os.path.join(folder, name) for folder, _, names in os.walk(path) for name in names
                           if name.lower().endswith(suffixes) and not name.startswith((".", "_")))
            redirected = _redirected()
            found = [file for file in found if _identity(file) not in redirected and not _earlier_report(file)]
            if not found:
                refused(FiscalRulesError(f"no {_listed(suffixes)} files in the folder {path}", Location(str(path)),
                                         code="E500"))
            for file in found:
                out.extend(_archived(file, suffixes, refused) if file.lower().endswith(".zip") else [file])
        elif ".zip" in suffixes and _begins_as_zip(str(path)):   # (the zip modules imported only then)
            out.extend(_archived(str(path), suffixes, refused))
        else:
            out.append(str(path))
    return out


def _redirected() -> set[tuple[int, int]]:
    """(device, inode) of the regular files standard output and error are redirected to."""
    found = set()
    for stream in (1, 2):
        try:
            status = os.fstat(stream)
        except OSError:   # (closed)
            continue
        if stat.S_ISREG(status.st_mode):
            found.add((status.st_dev, status.st_ino))
    return found


def _earlier_report(path: str) -> bool:
    """Whether the folder's file *path* is a report an earlier run wrote there (in a form a report
    shares with the inputs: text, a web page, JSON, JSON Lines, CSV, Parquet), which is not one of its inputs."""
    if path.lower().endswith(".parquet"):
        return _parquet_report(path)
    if not path.lower().endswith((".txt", ".html", ".htm", ".json", ".jsonl", ".csv")):
        return False
    from .bounded import first_bytes
    from .source import REPORT_SNIFF, is_own_report
    return is_own_report(first_bytes(path, REPORT_SNIFF, what="document"))


def _parquet_report(path: str) -> bool:
    """Whether the Parquet file *path* holds findings (``--format parquet``): its columns are a
    report's (:data:`.report_frames.FINDING_COLUMNS`), read from its footer alone."""
    from ..report_frames import holds_findings
    try:
        import pyarrow.parquet as pq
        names = pq.read_schema(path).names
    except Exception:  # noqa: BLE001 -- no pyarrow, or not a Parquet file: read as an input, which says so
        return False
    return holds_findings(names)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def _begins_as_zip(path: str) -> bool:
    from .bounded import first_bytes
    return first_bytes(path, 4, what="document") == b"PK\x03\x04"


def _listed(suffixes: tuple[str, ...]) -> str:
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else suffixes[0]


def _archived(path: str, suffixes: tuple[str, ...], refused) -> list[str]:
    """The documents of the zip archive *path* (``[path]`` itself where it is not one: a Word
    document or workbook, which are zips too, or any other file)."""
    from .archive import archive_members
    try:
        members = archive_members(path, suffixes)
    except FiscalRulesError as exc:
        refused(exc)
        return []
    if members is None:
        return [path]
    if not members:
        refused(FiscalRulesError(f"no {_listed(suffixes)} files in the archive {path}", Location(path), code="E500"))
    return members


def stands_for_files(given: str, listed: list[str]) -> bool:
    """Whether the input *given* stands for other files than itself -- a folder, or a zip archive
    of documents (*listed*: what :func:`expand` made of it) -- whose files may be the parts of one
    disclosure."""
    return os.path.isdir(given) or listed != [given]
