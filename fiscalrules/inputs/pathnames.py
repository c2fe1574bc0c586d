"""A path's text, name and stem exactly as :mod:`pathlib` gives them, without importing pathlib.

Documents and rule files are named in records, reports and messages by ``str(Path(p))``,
``Path(p).name`` and ``Path(p).stem``.  Importing pathlib (with urllib.parse and ipaddress, which
it imports) costs ~15 M instructions, some 3 % of a warm ``fiscalrules audit``, for these three
strings: on POSIX they are worked out here by pathlib's own rules (Python 3.11's
``PurePosixPath``); elsewhere pathlib itself is asked.  tests/test_pathnames.py compares the two.
"""

from __future__ import annotations

import os

__all__ = ["path_text", "path_name", "path_stem", "FilePath"]

_POSIX = os.name == "posix"


def _parts(path: str | os.PathLike) -> tuple[str, list[str]]:
    """(root, parts) of *path* as PurePosixPath parses it: a root of two slashes kept (POSIX
    leaves its meaning to the system), of three or more made one; empty and "." parts dropped."""
    text = os.fspath(path)
    if not isinstance(text, str):   # (a str subclass is a str, as pathlib takes it: an archive's member)
        raise TypeError(f"expected str or os.PathLike returning str, not {type(text).__name__}")
    root = ""
    if text.startswith("/"):
        stripped = text.lstrip("/")
        root = "//" if len(text) - len(stripped) == 2 else "/"
        text = stripped
    return root, [part for part in text.split("/") if part and part != "."]


class FilePath:
    """A file's path as given (on the command line), always read as a path: the readers take a
    ``str`` with a line break for the document's text itself, and a file named ``a\nb.txt`` was
    read as the text "a\nb.txt" -- "not a budget disclosure".  (os.PathLike, without pathlib.)"""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __fspath__(self) -> str:
        return self.text


def path_text(path: str | os.PathLike) -> str:
    """``str(pathlib.Path(path))``."""
    if not _POSIX:
        from pathlib import Path
        return str(Path(path))
    root, parts = _parts(path)
    return root + "/".join(parts) if root or parts else "."


def path_name(path: str | os.PathLike) -> str:
    """``pathlib.Path(path).name``: the last part ("" for a root or ".")."""
    if not _POSIX:
        from pathlib import Path
        return Path(path).name
    return (_parts(path)[1] or [""])[-1]


def path_stem(path: str | os.PathLike) -> str:
    """``pathlib.Path(path).stem``: the name less its last suffix (a name's leading dot and a
    trailing one are not suffixes)."""
    if not _POSIX:
        from pathlib import Path
        return Path(path).stem
    name = path_name(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name
