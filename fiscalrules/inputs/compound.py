"""OLE2 compound documents (the old binary .doc, .xls, embedded objects): a stream read within
bounds.

olefile reads a stream by following its sector chain for as many sectors as the directory says
the stream holds.  A damaged or hostile file declaring a stream of gigabytes -- its chain looping
back on itself through a FAT made as large -- had olefile read ~8 million sectors for a 34 KB
file: 30 s of CPU and a gigabyte string, before any error.  A stream's sectors are the file's
own, so no stream is larger than its file: :func:`stream` reads one declaring more for no more
than the file's size.  (A stream whose chain ends before its declared size olefile reads to the
chain's end, as it did: a size damaged that way still reads.)
"""

from __future__ import annotations

__all__ = ["stream"]


def stream(ole, path, file_size: int) -> bytes:
    """The bytes of the stream *path* of the open compound file *ole* (of *file_size* bytes),
    read for no more than the whole file holds whatever its directory entry declares."""
    # (at least the mini-stream cutoff: a stream declared that large is read from the file's
    # sectors, not the mini stream's, as olefile reads it)
    most = max(file_size, ole.minisectorcutoff)
    entry = ole.direntries[ole._find(path)]
    if entry.size > most:
        entry.size = most
    return ole.openstream(path).read()
