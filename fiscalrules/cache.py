"""The ruleset cache: checked bundled rulesets kept as data, so a CLI run need not parse them.

Parsing is the dearest part of loading a ruleset (lark's LALR in pure Python); checking the
bundled 147-rule ruleset costs a little more, compiling its closures little.  The *checked*
ruleset -- frozen AST nodes, declarations, labels -- is plain data, so it is written once to a
user cache directory as JSON and read back on later runs; closures are compiled from it as from
a fresh parse.

Safety, because a cache directory is writable by whoever runs the tool:

* an entry is JSON (positional arrays, see *encoding* below) decoded into a fixed set of types
  (the attrs node classes of :mod:`fiscalrules.ast`, Decimal, tuples, dicts, lists, text,
  integers) -- never pickle, never anything executed;
* it is keyed by the library version, the grammar and the content of every file the ruleset
  was read from (the main file and each include); an entry whose key, version or any file's
  content differs is ignored, and so is one that does not decode (truncated, corrupt, foreign):
  the ruleset is then parsed as if there were no cache;
* entries are written to a temporary file in the same directory and renamed into place, so a
  reader never sees half an entry; a cache that cannot be written is silently not used.

Beside the checked ruleset an entry keeps *facts*: what localisation works out from the rule
text alone, once per ruleset (which figures each rule reads, :func:`.localise.footprint.facts_of`;
~10 ms of every audit with a failure).  They are plain JSON handed back as they are, and
checked against the rules by the code that reads them, which works them out afresh when they do
not fit.

The directory is ``$FISCALRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/fiscalrules``, else
``~/.cache/fiscalrules``; ``FISCALRULES_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import attrs

from . import ast
from .cachedir import blake2b as _hash
from .cachedir import cache_dir, prune, write_atomically
from .inputs.bounded import MAX_RULE_FILE_BYTES, InputRefused, read_bounded

__all__ = ["cache_dir", "load_checked", "load_entry", "store_checked", "write_atomically", "encode", "decode", "decode_text", "FORMAT"]

FORMAT = 5   # 5: the entry's facts
MAX_ENTRY_BYTES = 64_000_000   # read through the bounded reader: the cache folder is anyone's to write
MAX_ENTRIES = 32   # checked rulesets kept (~0.6 MB for the budget ruleset): an entry is keyed by
                   # content, so every edit of a rule file followed by a run writes a new one
_NODES = {name: cls for name, cls in vars(ast).items()
          if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == ast.__name__}


_VERSION_KEY: list[str] = []   # worked out once per process: an entry's name and its check both need it


def _version_key() -> str:
    if not _VERSION_KEY:
        from . import __version__
        # Beside this module, where importlib.resources would find it (whose import costs ~10 ms).
        grammar = read_bounded(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grammar.lark"),
                               MAX_RULE_FILE_BYTES, what="package data")
        _VERSION_KEY.append(f"{__version__}:{_hash(grammar).hexdigest()[:16]}")
    return _VERSION_KEY[0]


def _digest(data: bytes) -> str:
    return _hash(data, digest_size=32).hexdigest()


def _entry_path(folder: Path, main: Path, text: bytes) -> Path:
    key = _digest(f"{_version_key()}\0{main.resolve()}\0".encode() + text)
    return folder / f"ruleset-{key[:40]}.json"


# ---- encoding ------------------------------------------------------------------------------------
#
# Positional JSON arrays rather than tagged objects: ``json.loads`` decodes arrays in C with no
# hook, and one pass in Python then rebuilds the values -- about half the time the tagged
# objects took (their object_hook ran once per node).  A value is a JSON scalar (text, integer,
# boolean, null) or an array whose first item says what it is:

_TUPLE, _LIST, _DICT, _DECIMAL, _SPAN, _FIRST_NODE = range(6)
# [_TUPLE, item…] / [_LIST, item…] / [_DICT, key, value, key, value…] / [_DECIMAL, "text"]
# [_SPAN, line, column, end_line, end_column, k]  k: index into the entry's "paths", -1 for none
# [_FIRST_NODE + k, field…]  k: index into the entry's "nodes" (class names), fields in attrs order,
#     except that a node whose one keyword-only field is its span (nearly every node) ends with
#     the span's five items themselves: line, column, end_line, end_column, k -- one array fewer
#     to parse and to decode per node (~10 % of loading the budget ruleset's 4,750 nodes)
# and, read by json itself without a call of ours (format 4: ~15-20 % less time to load the budget
# ruleset than format 3): a finite Decimal is a JSON number with a fraction or an exponent
# (``json.loads(..., parse_float=Decimal)``; [_DECIMAL, "text"] is left for NaN and infinities),
# and a dict of plain data (an example's record) a JSON object.


class _Encoder:
    def __init__(self):
        self.nodes: dict[str, int] = {}
        self.paths: dict[str, int] = {}

    def __call__(self, value):
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, str):
            if "\x00" in value:   # the mark of a number in dumps(): such text is not cached
                raise TypeError("cannot cache text with a NUL character")
            return value
        if isinstance(value, Decimal):
            return value if value.is_finite() else [_DECIMAL, str(value)]   # see dumps()
        if isinstance(value, tuple):
            return [_TUPLE, *(self(v) for v in value)]
        if isinstance(value, list):
            return [_LIST, *(self(v) for v in value)]
        if isinstance(value, dict):
            plain = _plain(value)
            if plain is not None:
                return plain
            return [_DICT, *(self(x) for k, v in value.items() for x in (k, v))]
        cls = type(value)
        if cls is ast.Span:  # the commonest node, compactly
            path = -1 if value.file is None else self.paths.setdefault(value.file, len(self.paths))
            return [_SPAN, value.line, value.column, value.end_line, value.end_column, path]
        if _NODES.get(cls.__name__) is cls:
            code = _FIRST_NODE + self.nodes.setdefault(cls.__name__, len(self.nodes))
            fields = [a for a in attrs.fields(cls) if a.init]
            if [a.alias for a in fields if a.kw_only] == ["span"]:   # the span inline (see above)
                return [code, *(self(getattr(value, a.name)) for a in fields if not a.kw_only), *self(value.span)[1:]]
            return [code, *(self(getattr(value, a.name)) for a in fields)]
        raise TypeError(f"cannot cache a {cls.__name__}")


def _number(value) -> str:
    """A finite Decimal, marked for :func:`dumps` to write as a JSON number (read back by
    ``json.loads(..., parse_float=Decimal)`` without a call of ours): its text with a fraction or
    an exponent, so that JSON reads it as a float, never an int -- ``5`` is written ``5E0``,
    which is ``Decimal('5')`` again, exponent and all."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"cannot cache a {type(value).__name__}")
    text = str(value)
    return "\x00" + (text if "." in text or "E" in text else text + "E0")


_NOT_PLAIN = object()


def _plain(value):
    """A dict of plain data (text keys; text, integers, booleans, None, finite Decimals, lists
    and dicts of them) as a JSON object, which ``json.loads`` rebuilds in C -- an example's
    record, say; None for anything else."""
    out = _plain_item(value)
    return None if out is _NOT_PLAIN else out


def _plain_item(item):
    if item is None or isinstance(item, (bool, int)):
        return item
    if type(item) is str:
        return item if "\x00" not in item else _NOT_PLAIN
    if type(item) is Decimal:
        return item if item.is_finite() else _NOT_PLAIN
    if type(item) is list:
        out = [_plain_item(v) for v in item]
        return _NOT_PLAIN if any(v is _NOT_PLAIN for v in out) else out
    if type(item) is dict and all(type(k) is str and "\x00" not in k for k in item):
        parts = {k: _plain_item(v) for k, v in item.items()}
        return _NOT_PLAIN if any(v is _NOT_PLAIN for v in parts.values()) else parts
    return _NOT_PLAIN


_NUMBER_MARK = r'"\\u0000(-?[0-9][0-9.E+-]*)"'


def encode(value) -> dict:
    """JSON data for a value made of AST nodes, Decimals, tuples, dicts, lists and scalars:
    ``{"nodes": [class names], "paths": [span files], "value": encoded}``, to be written with
    :func:`dumps`."""
    encoder = _Encoder()
    data = encoder(value)
    return {"nodes": list(encoder.nodes), "paths": list(encoder.paths), "value": data}


def dumps(data) -> str:
    """The JSON text of *data* made by :func:`encode`, each finite Decimal written as a number
    (as text, no NUL character is cached: the mark of a number cannot be taken for text)."""
    import re
    return re.sub(_NUMBER_MARK, r"\1", json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_number))


def loads(text: str):
    """JSON text made by :func:`dumps`, its numbers with a fraction or an exponent as Decimals."""
    return json.loads(text, parse_float=Decimal)


def _constructors(names) -> list:
    """(class, positional count, keyword names) per node name of an entry; a name that is not
    an AST class of ours makes the entry foreign."""
    out = []
    for name in names:
        cls = _NODES.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError("not a cache entry")
        fields = [a for a in attrs.fields(cls) if a.init]
        positional = [a for a in fields if not a.kw_only]
        out.append((cls, len(positional), tuple(a.alias for a in fields if a.kw_only)))
    return out


def decode(data: dict):
    """The value :func:`encode` made *data* from; ValueError, TypeError or IndexError for
    anything else."""
    nodes, paths = _constructors(data["nodes"]), data["paths"]
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError("not a cache entry")
    files = [*paths, None]   # a span's file by its index, -1 (here: the last) for none
    span, decimal, first = ast.Span, Decimal, _FIRST_NODE
    # per node name: (class, positional count, keyword names, whether its span is written inline,
    # the length of its array when it is)
    nodes = [(cls, count, keywords, keywords == ("span",), count + 6) for cls, count, keywords in nodes]

    def value(item):  # an array: scalars are taken as they are, without a call
        tag = item[0]
        if tag >= first:
            cls, count, keywords, inline_span, length = nodes[tag - first]
            if inline_span:
                if len(item) != length:
                    raise ValueError("not a cache entry")
                where = (item[-5], item[-4], item[-3], item[-2], files[item[-1]])   # span data: ast.SpanData
                if count == 1:   # a field reference, a row variable…: a third of the nodes, without a list
                    only = item[1]
                    return cls(value(only) if type(only) is list else only, span=where)
                return cls(*[value(v) if type(v) is list else v for v in item[1:-5]], span=where)
            parts = [value(v) if type(v) is list else v for v in item[1:]]
            return cls(*parts[:count], **dict(zip(keywords, parts[count:])))
        if tag == _TUPLE:
            return tuple([value(v) if type(v) is list else v for v in item[1:]])
        if tag == _DECIMAL:
            if len(item) != 2 or type(item[1]) is not str:
                raise ValueError("not a cache entry")
            return decimal(item[1])
        if tag == _SPAN:
            line, column, end_line, end_column, path = item[1:]
            return span(line, column, end_line, end_column, files[path])
        parts = [value(v) if type(v) is list else v for v in item[1:]]
        if tag == _DICT:
            return dict(zip(parts[::2], parts[1::2]))
        if tag == _LIST:
            return parts
        raise ValueError("not a cache entry")

    root = data["value"]
    return value(root) if type(root) is list else root


def decode_text(text: str):
    """Decode the JSON text of ``encode(value)``."""
    return decode(loads(text))


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
    entry = load_entry(main)
    return None if entry is None else entry[0]


# Entries decoded in this process, by their exact text (a few at most).  A program that loads the
# same bundled ruleset again -- a server, a notebook, the test suite's in-process CLI runs --
# still reads the entry and checks its format, version and every file's content each time, but
# does not decode the same text twice (~35 ms of JSON and node building for the budget ruleset).
# What is shared is safe to share: frozen AST nodes, and facts that their reader only reads;
# every load still makes its own Ruleset from them.
_DECODED: dict[str, tuple] = {}
_MAX_DECODED = 4


def load_entry(main: Path):
    """(the cached CheckedRuleset of the rule file *main*, its facts: a dict of plain JSON data, not
    yet checked), or None (no cache, stale or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        text = read_bounded(main, MAX_RULE_FILE_BYTES, what="rule file")
        raw = read_bounded(_entry_path(folder, main, text), MAX_ENTRY_BYTES, what="cache entry").decode("utf-8")
        decoded = _DECODED.get(raw)
        if decoded is None:
            decoded = _decode_entry(raw)
            if decoded is None:
                return None
            if len(_DECODED) >= _MAX_DECODED:
                del _DECODED[next(iter(_DECODED))]
            _DECODED[raw] = decoded
        form, version, files, checked, facts = decoded
        if form != FORMAT or version != _version_key():
            return None
        if not _files_ok(files) or files[0][0] != str(main.resolve()):
            return None
        return checked, facts
    except (InputRefused, OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # missing, corrupt or foreign: parse as if there were no cache


def _decode_entry(raw: str):
    """(format, version, files, CheckedRuleset, facts) of an entry's text, or None when it is not
    an entry of this format and version or its ruleset does not decode; the errors load_entry
    catches for anything foreign."""
    entry = loads(raw)
    if entry.get("format") != FORMAT or entry.get("version") != _version_key():
        return None
    files = entry["files"]
    if type(files) is not list or not files or not all(type(f) is list and len(f) == 2 for f in files):
        return None
    from .checker import CheckedRuleset
    fields = decode(entry["checked"])
    if type(fields) is not dict:
        return None
    checked = CheckedRuleset(**fields)
    if not all(isinstance(rule, ast.Rule) for rule in checked.rules):
        return None
    facts = entry.get("facts")
    return FORMAT, entry["version"], files, checked, facts if type(facts) is dict else {}


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
                 "checked": encode({a.name: getattr(checked, a.name) for a in attrs.fields(type(checked))}),
                 "facts": _facts(checked)}
        write_atomically(_entry_path(folder, main, text), dumps(entry))
        prune(folder, "ruleset-*.json", MAX_ENTRIES)
    except (InputRefused, OSError, TypeError, ValueError):
        return


def _facts(checked) -> dict:
    """The facts kept with an entry (see the module's docstring)."""
    from .localise.footprint import facts_of   # only to write an entry: a cold run
    return facts_of(checked)


