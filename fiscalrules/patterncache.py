"""The pattern cache: regular expressions compiled once, kept for the next command-line run.

Python's ``re`` compiles every pattern in pure Python (parser, character-set optimiser, code
generator) at every start: the readers and the document model compile ~320 patterns, ~65 ms of
CPU per ``fiscalrules audit`` -- a CJK range such as ``[\\u4e00-\\u9fff]`` alone costs about a
millisecond.  What ``re`` hands to its C engine at the end is plain data (flags, group names,
and a list of integers, the pattern's code), so this module keeps that data for the patterns a
run compiled and, at the start of the next run, puts it where ``re.compile`` looks first (its own
cache of compiled patterns), each pattern built from its code the first time it is asked for
(:class:`_Pending`: a run uses some of the entry's patterns only).  Nothing in the
library changes: every module still calls ``re.compile`` as before and gets an equal pattern
(``re.Pattern`` equality compares the flags, the text and the code).

Only the command line uses it: ``python -m fiscalrules`` and the ``fiscalrules`` command
(:mod:`fiscalrules.__main__`) preload before the library's modules are imported, since many
compile their patterns as they load; :func:`fiscalrules.cli.run` stores at the end.  Importing
the library never touches ``re``'s state nor reads a file.  Safety, because the cache folder is
the same user-writable one as the ruleset cache's (:func:`fiscalrules.cachedir.cache_dir`):

* an entry is a line naming its format (:data:`_FORMAT`), a line of JSON -- text, integers,
  lists: each pattern's text, flags, groups and the length of its code -- and then the codes as
  raw machine words, one after another (:func:`_encode`, :func:`_decode`): never pickle or
  marshal, never executed.  Lengths must add up to the words there are, else nothing is read; the
  C engine validates every code list it is given and refuses a malformed one (the pattern is then
  skipped and compiled as usual).  Raw words, not text: decoding the hex of each code and JSON's
  scan over it cost ~2.5 ms of every start;
* the file is keyed by the exact Python build (version, bytecode tag, the engine's magic number
  and code size), since the code format is private to each release, and by the folder the
  library is installed in: two installs (versions, checkouts) compile different patterns, and
  sharing one entry of :data:`MAX_PATTERNS` made each run evict the other's and write the file
  again; the text and flags of every pattern are stored and matched exactly;
* a pattern is written only after the one built from its code compares equal to the one ``re``
  compiled; writes are atomic (a temporary file renamed into place); anything unexpected --
  another Python, a changed ``re`` -- turns the cache off, and ``re`` compiles as it always did.
"""

from __future__ import annotations

import os
import re
import sys
from array import array

from .cachedir import blake2b as _hash
from .cachedir import cache_dir, prune, write_atomically
from .inputs.bounded import InputRefused, read_bounded

__all__ = ["preload", "store"]

MAX_PATTERNS = 1024         # patterns an entry keeps at most (re's own cache is raised to as many)
MAX_ENTRY_BYTES = 8_000_000
MAX_FILES = 8               # entries kept (one per Python build and install): ~0.4 MB each
_known: set | None = None   # the keys of the entry preload() read (re's cache keys); None: not used


def _entry_path():
    folder = cache_dir()
    if folder is None:
        return None
    import _sre
    build = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.byteorder}"
    install = _hash(os.path.dirname(os.path.abspath(__file__)).encode("utf-8", "surrogateescape"),
                    digest_size=6).hexdigest()
    return os.path.join(folder, f"patterns-{build}-{install}.bin")


def _engine():
    """(re's cache dict, _sre.compile), or None where ``re`` is not laid out as in CPython 3.11+."""
    import _sre
    cache = getattr(re, "_cache", None)
    if (type(cache) not in (dict, _Pending) or not hasattr(re, "_compiler")
            or not callable(getattr(_sre, "compile", None)) or array("I").itemsize != _sre.CODESIZE):
        return None
    return cache, _sre.compile


class _Pending(dict):
    """``re``'s cache of compiled patterns, in its place once :func:`preload` has read an entry:
    a pattern of the entry is built the first time ``re`` asks for it (``re._compile`` looks its
    cache up with ``_cache[key]``, and a dict subclass is asked ``__missing__`` for a key it
    lacks).  An audit uses ~330 of the entry's ~500 patterns (the entry keeps other documents'
    too: PDFs, 决算s), and only those it uses take room in ``re``'s cache (raised to MAX_PATTERNS): when
    every pattern of the entry was put there at the start, an entry of more than ~490 did not
    fit, the patterns left out were compiled and stored again by every run, and the entry
    rewritten at every run."""
    __slots__ = ("stored", "compile_code")

    def __missing__(self, key):
        item = self.stored.pop(key, None)   # (asked once: a pattern built is then in the dict itself)
        if item is None:
            raise KeyError(key)
        try:
            pattern = _build(self.compile_code, item)[1]
        except _REFUSED:
            if _known is not None:
                _known.discard(key)   # compiled by re as usual, and stored again by store()
            raise KeyError(key) from None
        if len(self) >= getattr(re, "_MAXCACHE", 512):
            try:   # (room made as re makes it: the oldest pattern goes)
                del self[next(iter(self))]
            except (StopIteration, RuntimeError, KeyError):
                pass
        self[key] = pattern
        return pattern


_FORMAT = b"fiscalrules patterns 2\n"   # the first line of an entry (1 was JSON with hex codes)
_WORD = array("I").itemsize            # bytes of a code word (_engine checks it is _sre.CODESIZE)


def _encode(items) -> bytes:
    """An entry's bytes: the format line, the items as JSON with each code's length in words in
    place of the code, a newline (JSON's compact form holds none), then the codes."""
    import json   # (here: a run that writes an entry, one in many)
    header = [item[:6] + [len(item[6]) // _WORD] for item in items]
    return b"".join([_FORMAT, json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), b"\n",
                     *(item[6] for item in items)])


def _decode(data: bytes) -> list:
    """The items of an entry's bytes, each code as its bytes; an item whose length is not a
    count of words is given no code (its entry in the list is as read, and _build refuses it).
    ValueError (or UnicodeError) for anything not an entry of this format."""
    if not data.startswith(_FORMAT):
        raise ValueError("not a pattern entry")
    end = data.index(b"\n", len(_FORMAT))
    items = _json_value(data[len(_FORMAT):end].decode("utf-8"))
    if type(items) is not list:
        raise ValueError("not a pattern entry")
    position = end + 1
    for item in items:
        if type(item) is list and len(item) == 7 and type(item[6]) is int and item[6] >= 0:
            code = data[position:position + item[6] * _WORD]
            position += item[6] * _WORD
            item[6] = code
    if position != len(data):
        raise ValueError("the lengths of the codes are not those of the entry")
    return items


def _json_value(text: str):
    """``json.loads(text)``, by the C scanner json.loads itself runs, without importing the json
    package (its decoder, scanner and encoder modules: ~6 M instructions of every start, which
    needs nothing else of it); ValueError for anything but one JSON value (white space around)."""
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover - a Python without json's accelerator
        import json
        return json.loads(text)
    from types import SimpleNamespace
    # What json.loads gives its scanner (json.decoder.JSONDecoder's defaults)
    scan = make_scanner(SimpleNamespace(strict=True, object_hook=None, object_pairs_hook=None, parse_float=float,
                                        parse_int=int, parse_constant=_CONSTANTS.__getitem__))
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        value, end = scan(text, start)
    except StopIteration:
        raise ValueError("not a JSON value") from None
    if text[end:].strip(_JSON_SPACE):
        raise ValueError("extra data after the JSON value")
    return value


_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}
_JSON_SPACE = " \t\n\r"


def _build(compile_code, item):
    """The pattern object of one stored item: [text, is_bytes, flags, final_flags, groups,
    {name: index}, code as the bytes of its machine words]."""
    text, is_bytes, flags, final_flags, groups, groupindex, code = item
    if not (type(text) is str and type(is_bytes) is bool and type(flags) is int and type(final_flags) is int
            and type(groups) is int and type(groupindex) is dict and type(code) is bytes):
        raise TypeError("not a pattern entry")
    code = memoryview(code).cast("I").tolist()   # TypeError when not a whole number of words
    pattern = text.encode("latin-1") if is_bytes else text
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (type(pattern), pattern, flags), compile_code(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))


# What building a stored pattern raises for an item that is not one (the engine refuses code it
# cannot run): the pattern is then compiled by re as usual.
_REFUSED = (ValueError, TypeError, OverflowError, RuntimeError, UnicodeError, IndexError, AttributeError)


def _key(item) -> tuple | None:
    """re's cache key (type, pattern, flags) of a stored item, or None for anything else."""
    if type(item) is not list or len(item) != 7:
        return None
    text, is_bytes, flags = item[0], item[1], item[2]
    if type(text) is not str or type(is_bytes) is not bool or type(flags) is not int:
        return None
    try:
        return (bytes, text.encode("latin-1"), flags) if is_bytes else (str, text, flags)
    except UnicodeError:
        return None


def preload() -> None:
    """Make the patterns of the cache entry what ``re`` finds in its cache, each built when
    first asked for (:class:`_Pending`); quietly nothing when there is no entry, the cache is
    off, or anything is unexpected."""
    global _known
    if _known is not None:
        return   # already done by this process (python -m fiscalrules, then cli.run)
    try:
        path, engine = _entry_path(), _engine()
        if path is None or engine is None:
            return
        _known = set()
        cache, compile_code = engine
        # An audit compiles ~530 patterns and re's cache holds 512: the ones evicted were compiled
        # again, stored again and the entry rewritten by every run. The command line's process
        # (the only user of this module) gives re's cache room for a whole entry.
        if type(getattr(re, "_MAXCACHE", None)) is int and re._MAXCACHE < MAX_PATTERNS:  # type: ignore[attr-defined]
            re._MAXCACHE = MAX_PATTERNS   # type: ignore[attr-defined]
        items = _decode(read_bounded(path, MAX_ENTRY_BYTES, what="cache entry"))
    except (InputRefused, OSError, ValueError, TypeError, ImportError):
        return
    pending: dict = {}
    for item in items:
        key = _key(item)
        if key is not None:
            _known.add(key)
            if key not in cache:
                pending.setdefault(key, item)
    lazy = _Pending(cache)   # (with the patterns re compiled before, in their order)
    lazy.stored, lazy.compile_code = pending, compile_code
    re._cache = lazy   # type: ignore[attr-defined]


def _item(key, pattern, compile_code):
    """The stored form of a pattern ``re`` compiled, or None when it cannot be kept (its code
    rebuilt does not give an equal pattern)."""
    kind, text, flags = key
    if kind not in (str, bytes) or type(flags) is not int or type(pattern) is not re.Pattern:
        return None
    if kind is str and not _writable(text):   # (a lone surrogate in its text: no UTF-8 holds it)
        return None
    parsed = re._parser.parse(text, flags)
    code = re._compiler._code(parsed, flags)
    groupindex = dict(pattern.groupindex)
    item = [text if kind is str else text.decode("latin-1"), kind is bytes, flags, pattern.flags,
            pattern.groups, groupindex, array("I", code).tobytes()]
    return item if _build(compile_code, item)[1] == pattern else None


def _writable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _stored_key(item) -> tuple | None:
    """(text, is_bytes, flags) of a stored item; None for anything else -- an item whose code is
    not bytes (its length in the entry was no count of words) included, so that it is dropped
    rather than written again."""
    if type(item) is list and len(item) == 7 and type(item[0]) is str and type(item[1]) is bool \
            and type(item[2]) is int and type(item[6]) is bytes:
        return item[0], item[1], item[2]
    return None


def store() -> None:
    """Write the entry again when this run compiled patterns it lacks: those first, then this
    run's others (the ones the next run most likely needs), then the entry's others, at most
    :data:`MAX_PATTERNS` in all (the entry's patterns no run has used lately are the ones left
    out)."""
    if _known is None:
        return
    try:
        path, engine = _entry_path(), _engine()
        if path is None or engine is None:
            return
        cache, compile_code = engine
        if all(key in _known for key in cache):
            return
        try:
            kept = _decode(read_bounded(path, MAX_ENTRY_BYTES, what="cache entry"))
        except (InputRefused, ValueError):
            kept = []
        known = {_stored_key(item): item for item in (kept if type(kept) is list else [])}
        known.pop(None, None)
        new, run = [], []
        for key, pattern in list(cache.items()):
            kind, text, flags = key
            if kind not in (str, bytes):
                continue
            stored = known.pop((text if kind is str else text.decode("latin-1"), kind is bytes, flags), None)
            if stored is None or key not in _known:   # new, or stored but refused by preload()
                stored = _item(key, pattern, compile_code)
                if stored is not None:
                    new.append(stored)
            else:
                run.append(stored)
        if new:
            # This run's patterns first, new ones before those the entry had: an entry holds
            # MAX_PATTERNS at most, and what is cut is the end, the patterns this run did not use.
            write_atomically(path, _encode((new + run + list(known.values()))[:MAX_PATTERNS]))
            prune(os.path.dirname(path), "patterns-*", MAX_FILES)   # (entries of the JSON format, .json, too)
    except (OSError, ValueError, TypeError, AttributeError, RecursionError, UnicodeError, IndexError, OverflowError):
        return   # the cache is a convenience: a run never fails for it
