"""Where fiscalrules keeps its caches, and how an entry is written there.

The folder is ``$FISCALRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/fiscalrules``, else
``~/.cache/fiscalrules``; ``FISCALRULES_CACHE=0`` turns every cache off.  Two caches use it: the
checked bundled rulesets (:mod:`fiscalrules.cache`) and the command line's compiled regular
expressions (:mod:`fiscalrules.patterncache`).  This module imports nothing of the library's
own, so that the command line can read its patterns before the modules that compile them load,
nor pathlib (~15 M instructions to import, with urllib.parse): paths are texts here.
"""

from __future__ import annotations

import os

try:   # CPython's own BLAKE2, without hashlib, whose import starts OpenSSL (~4 ms of every CLI run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

__all__ = ["blake2b", "cache_dir", "prune", "write_atomically"]


def cache_dir() -> str | None:
    if os.environ.get("FISCALRULES_CACHE", "1") == "0":
        return None
    explicit = os.environ.get("FISCALRULES_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fiscalrules")


def write_atomically(path: str, payload: str | bytes) -> None:
    """Write *payload* (text as UTF-8) to a temporary file beside *path* and rename it into place,
    so that a reader sees the old entry or the new one, never half of one (OSError when it
    cannot).  The file is the user's alone (mode 0600, as ``mkstemp`` makes it), and so is a
    folder made for it (0700)."""
    folder, name = os.path.split(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)   # (the mode is the last folder's: as Path.mkdir)
    import tempfile  # only to write an entry (with shutil and random: ~10 ms to import)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix="." + name.split("-")[0] + "-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload.encode("utf-8") if isinstance(payload, str) else payload)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def prune(folder: str, pattern: str, keep: int) -> None:
    """Keep the *keep* most recently written files of *folder* matching *pattern* and delete the
    rest: entries are keyed by content, version or install, so without this every edit, upgrade
    or checkout would leave one more behind for ever.  Files another run removes meanwhile, or
    that cannot be removed, are passed over."""
    from fnmatch import fnmatchcase   # (only after writing an entry)
    entries = []
    for name in os.listdir(folder):
        if fnmatchcase(name, pattern):
            path = os.path.join(folder, name)
            try:
                entries.append((os.stat(path).st_mtime_ns, path))
            except OSError:
                continue   # removed by another run meanwhile
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            os.unlink(path)
        except OSError:
            continue
