"""Which files a report may read because a record names them: a record's document is data --
whoever wrote the record chose it -- so the HTML page reads from disk only the files and folders
its caller allows (review 23 R18: a record naming "/etc/passwd"; review 24: any .txt file through
``Report.to_html``, any PDF's words through ``check``).  ``check`` allows its working directory,
``audit`` the documents it audits, ``Report.to_html`` its ``read_from``.  Kept apart from
:mod:`fiscalrules.report_html` (Jinja2, importlib.resources) so that the commands set it without
importing the page's machinery.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterable, Iterator

__all__ = ["documents_read_from", "may_read"]

_READ_FROM: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("fiscalrules_documents_read_from",
                                                                             default=())


@contextlib.contextmanager
def documents_read_from(places: Iterable[str | os.PathLike[str]]) -> Iterator[None]:
    """Within it, :func:`may_read` allows a file that is one of *places* or inside one of them
    (a folder), symbolic links followed; outside any, none."""
    token = _READ_FROM.set(tuple(os.path.realpath(os.fspath(place)) for place in places))
    try:
        yield
    finally:
        _READ_FROM.reset(token)


def may_read(path: str) -> bool:
    """Whether *path* is among or inside the places :func:`documents_read_from` allows."""
    places = _READ_FROM.get()
    if not places:
        return False
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):   # (a NUL in the name)
        return False
    return any(real == place or os.path.commonpath([place, real]) == place for place in places)
