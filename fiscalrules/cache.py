"""The ruleset cache: checked bundled rulesets kept as data, so a CLI run need not parse them.

Parsing is the dearest part of loading a ruleset (lark's LALR in pure Python); checking the
bundled 147-rule ruleset costs a little more, compiling its closures little.  The *checked*
ruleset -- frozen AST nodes, declarations, labels -- is plain data, so it is written once to a
user cache directory as JSON and read back on later runs; closures are compiled from it as from
a fresh parse.

Safety, because a cache directory is writable by whoever runs the tool:

* an entry is JSON decoded into a fixed set of types (the attrs node classes of
  :mod:`fiscalrules.ast`, Decimal, tuples, dicts, lists, text, numbers) -- never pickle, never
  anything executed;
* it is keyed by the library version, the grammar and the content of every file the ruleset
  was read from (the main file and each include); an entry whose key, version or any file's
  content differs is ignored, and so is one that does not decode (truncated, corrupt, foreign):
  the ruleset is then parsed as if there were no cache;
* entries are written to a temporary file in the same directory and renamed into place, so a
  reader never sees half an entry; a cache that cannot be written is silently not used.

The directory is ``$FISCALRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/fiscalrules``, else
``~/.cache/fiscalrules``; ``FISCALRULES_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs

from . import ast
from .inputs.bounded import MAX_RULE_FILE_BYTES, InputRefused, read_bounded

__all__ = ["cache_dir", "load_checked", "store_checked", "encode", "decode_text", "FORMAT"]

FORMAT = 1
MAX_ENTRY_BYTES = 64_000_000   # read through the bounded reader: the cache folder is anyone's to write
_NODES = {name: cls for name, cls in vars(ast).items()
          if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == ast.__name__}


def cache_dir() -> Path | None:
    if os.environ.get("FISCALRULES_CACHE", "1") == "0":
        return None
    explicit = os.environ.get("FISCALRULES_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fiscalrules"


def _version_key() -> str:
    from importlib import resources
    from . import __version__
    grammar = resources.files("fiscalrules").joinpath("grammar.lark").read_bytes()
    return f"{__version__}:{hashlib.sha256(grammar).hexdigest()[:16]}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_path(folder: Path, main: Path, text: bytes) -> Path:
    key = _digest(f"{_version_key()}\0{main.resolve()}\0".encode() + text)
    return folder / f"ruleset-{key[:40]}.json"


# ---- encoding ------------------------------------------------------------------------------------

def encode(value):
    """Plain JSON data for a value made of AST nodes, Decimals, tuples, dicts, lists and scalars."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$m": [[encode(k), encode(v)] for k, v in value.items()]}
    cls = type(value)
    if cls is ast.Span:  # the commonest node, compactly
        return {"$s": [value.line, value.column, value.end_line, value.end_column, value.file]}
    if _NODES.get(cls.__name__) is cls:
        return {"$n": cls.__name__, "f": {a.alias: encode(getattr(value, a.name)) for a in attrs.fields(cls) if a.init}}
    raise TypeError(f"cannot cache a {cls.__name__}")


def _object(data: dict):
    """json's object_hook: each tagged object back to its value, innermost first."""
    if len(data) == 1:
        if "$s" in data:
            line, column, end_line, end_column, file = data["$s"]
            return ast.Span(line, column, end_line, end_column, file)
        if "$d" in data:
            return Decimal(data["$d"])
        if "$t" in data:
            return tuple(data["$t"])
        if "$m" in data:
            return {k: v for k, v in data["$m"]}
    cls = _NODES.get(data.get("$n"))
    fields = data.get("f")
    if cls is None or not isinstance(fields, dict) or len(data) != 2:
        if set(data) <= {"format", "version", "files", "checked"} or "$n" not in data and "$s" not in data:
            return data  # the entry's own mappings (its header, the checked ruleset's fields)
        raise ValueError("not a cache entry")
    return cls(**fields)


def decode_text(text: str):
    """Decode an entry written by :func:`encode` (through ``json.dumps``)."""
    return json.loads(text, object_hook=_object)


# ---- the checked ruleset --------------------------------------------------------------------------

def _files_ok(files) -> bool:
    for name, digest in files:
        try:
            if _digest(read_bounded(name, MAX_RULE_FILE_BYTES, what="rule file")) != digest:
                return False
        except InputRefused:
            return False
    return True


def load_checked(main: Path):
    """The cached CheckedRuleset of the rule file *main*, or None (no cache, stale or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        text = read_bounded(main, MAX_RULE_FILE_BYTES, what="rule file")
        entry = decode_text(read_bounded(_entry_path(folder, main, text), MAX_ENTRY_BYTES, what="cache entry")
                            .decode("utf-8"))
        if entry.get("format") != FORMAT or entry.get("version") != _version_key():
            return None
        if not _files_ok(entry["files"]) or entry["files"][0][0] != str(main.resolve()):
            return None
        from .checker import CheckedRuleset
        checked = CheckedRuleset(**entry["checked"])
        if not all(isinstance(rule, ast.Rule) for rule in checked.rules):
            return None
        return checked
    except (InputRefused, OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # missing, corrupt or foreign: parse as if there were no cache


def store_checked(main: Path, checked, files) -> None:
    """Write the checked ruleset of *main* (read from *files*, main first) atomically; a cache
    that cannot be written is left alone."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        text = read_bounded(main, MAX_RULE_FILE_BYTES, what="rule file")
        entry = {"format": FORMAT, "version": _version_key(),
                 "files": [[str(Path(f).resolve()), _digest(read_bounded(f, MAX_RULE_FILE_BYTES, what="rule file"))]
                           for f in files],
                 "checked": {a.name: encode(getattr(checked, a.name)) for a in attrs.fields(type(checked))}}
        payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".ruleset-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temporary, _entry_path(folder, main, text))
        except BaseException:
            os.unlink(temporary)
            raise
    except (InputRefused, OSError, TypeError, ValueError):
        return
