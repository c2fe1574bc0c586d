"""OLE2 compound documents (the old binary .doc, .xls, embedded objects): a stream read within
bounds.

olefile reads a stream by following its sector chain for as many sectors as the directory says
the stream holds.  A damaged or hostile file declaring a stream of gigabytes -- its chain looping
back on itself -- had olefile read ~8 million sectors for a 34 KB file: 30 s of CPU and a
gigabyte string, before any error.  A stream's sectors are the file's own, so no stream of a
whole file is larger than the file: :func:`stream` refuses one that says it is, before reading.
"""

from __future__ import annotations

__all__ = ["stream", "StreamTooLarge"]


class StreamTooLarge(ValueError):
    """A stream's directory entry declares more bytes than the whole file holds."""


def stream(ole, path, file_size: int) -> bytes:
    """The bytes of the stream *path* of the open compound file *ole* (of *file_size* bytes);
    :class:`StreamTooLarge` where its directory entry declares more bytes than the file holds."""
    size = ole.get_size(path)
    if size > file_size:
        name = path if isinstance(path, str) else "/".join(path)
        raise StreamTooLarge(f"its {name} stream declares {size:,} bytes, more than the file's {file_size:,}")
    return ole.openstream(path).read()
