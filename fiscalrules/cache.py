"""The ruleset cache: checked bundled rulesets kept as data, so a CLI run need not parse them.

Parsing is the dearest part of loading a ruleset (lark's LALR in pure Python); checking the
bundled 147-rule ruleset costs a little more, compiling its closures little.  The *checked*
ruleset -- frozen AST nodes, declarations, labels -- is plain data, so it is written once to a
user cache directory and read back on later runs; closures are compiled from it as from a fresh
parse.

An entry is a pickle: reading one back is done by pickle's C loader, each AST node made by its
class's maker (:data:`.ast.make`: the bare node and each field stored in its slot, what its
``__init__`` does in the end, in a third of the time; ~45 M instructions less per CLI start than
the JSON arrays decoded in Python that format 5 kept, and ~20 M less than each node's
``__init__`` that format 6 called).  Safety, because a cache directory is writable by whoever runs the
tool and a pickle can name any callable:

* an entry is read only when it is a regular file (not a link) owned by the user running the
  tool and writable by nobody else -- a file another user could have written is never
  unpickled (on a system without user ids, no entry is read);
* even so, the unpickler resolves no name but the node makers of :mod:`fiscalrules.ast`
  (``make.<node class>``) and ``Decimal`` (:data:`_ALLOWED`, :meth:`_Unpickler.find_class`): an
  entry naming anything else (``os.system``…) is refused before it is called, and a maker makes only a node of its class from the values given; what
  an entry holds is then checked to be a checked ruleset;
* it is keyed by the library version, the grammar and the content of every file the ruleset
  was read from (the main file and each include: its length and 64-bit SipHash, as CPython keys
  a hash-based .pyc by its source, :func:`_fingerprint`); an entry whose key, version or any file's
  content differs is ignored, and so is one that does not load (truncated, corrupt, foreign):
  the ruleset is then parsed as if there were no cache;
* entries are written to a private temporary file (mode 0600) in the same directory and renamed
  into place, so a reader never sees half an entry; a cache that cannot be written is silently
  not used.

A rule's inline examples (``example pass {…}``: some 430 small records of Decimals in the budget
ruleset, ~4 M of the ~26 M instructions unpickling its entry took) are read only by ``fiscalrules
test`` and the pytest plugin, never by an audit or a check: an entry keeps them apart, as the bytes
of a pickle of their own, and the rules that have any come back with a :class:`LaterExamples` in
that field; the first read of one rule's examples unpickles them all (``ast._ExamplesWhenAsked``)
-- through the same refusing unpickler, and when those bytes do not hold what they should, from
the rule file parsed again.  A rule is otherwise the same: equal, hashing, printing and pickling
as the parsed one (each of which reads the field).

Beside the checked ruleset an entry keeps *facts*: what localisation works out from the rule
text alone, once per ruleset (which figures each rule reads, :func:`.localise.footprint.facts_of`;
~10 ms of every audit with a failure).  They are plain data handed back as they are, and
checked against the rules by the code that reads them, which works them out afresh when they do
not fit.

The directory is ``$FISCALRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/fiscalrules``, else
``~/.cache/fiscalrules``; ``FISCALRULES_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import io
import os
import stat
from _thread import allocate_lock
from decimal import Decimal

try:   # the C pickler the pickle module hands out: that module's own import (its pure-Python
    import _pickle as pickle   # pickler, ~6 M instructions) is not needed to read an entry
except ImportError:  # pragma: no cover - a Python without the accelerator
    import pickle

from . import ast
from . import chains as _chains
from .cachedir import blake2b as _hash
from .cachedir import cache_dir, prune, write_atomically
from .inputs.bounded import MAX_RULE_FILE_BYTES, InputRefused, read_bounded

__all__ = ["cache_dir", "load_checked", "load_entry", "store_checked", "write_atomically", "encode", "decode", "FORMAT"]

FORMAT = 11   # 11: the facts' footprints as frozensets; 10: files by length and SipHash; 9: the rules' examples apart; 8: texts and Decimals written once; 7: nodes by their makers (6: by their __init__; 5: JSON arrays)
MAX_ENTRY_BYTES = 64_000_000   # read through the bounded reader: the cache folder is anyone's to write
MAX_ENTRIES = 32   # checked rulesets kept (~0.4 MB for the budget ruleset): an entry is keyed by
                   # content, so every edit of a rule file followed by a run writes a new one
_NODES = {name: cls for name, cls in vars(ast).items()
          if ast.node_fields(cls) is not None and cls.__module__ == ast.__name__}


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


try:   # CPython's hash of a source file for hash-based .pyc files (PEP 552): keyed SipHash-1-3
    from _imp import source_hash as _source_hash
    _SOURCE_KEY = 0x66697363   # (any fixed key: the same in every run)
except ImportError:  # pragma: no cover - another Python: BLAKE2, as before
    _source_hash = None


def _fingerprint(data: bytes) -> str:
    """What keys an entry by the content of a rule file: its length and its 64-bit SipHash --
    what CPython itself trusts to tell a source file from the one its hash-based .pyc was
    compiled from.  Worked out for every file of the ruleset at every load: BLAKE2 over the
    budget ruleset's 370 KB of rule files was ~4.7 M instructions of each CLI start, this
    hash ~0.6 M."""
    if _source_hash is None:  # pragma: no cover
        return _digest(data)
    return f"{len(data)}:{_source_hash(_SOURCE_KEY, data).hex()}"


def _entry_path(folder: str, resolved: str, digest: str) -> str:
    """The entry of the rule file at *resolved* whose content has the fingerprint *digest*: named
    by the library version, the grammar, the path and that fingerprint -- not the content hashed
    again."""
    key = _digest(f"{_version_key()}\0{resolved}\0{digest}".encode())
    return os.path.join(folder, f"ruleset-{key[:40]}.pickle")


# ---- encoding ------------------------------------------------------------------------------------
#
# A node is pickled as a call of its class's maker (ast.make.Number: every field by position, in
# field order), as the parser makes most nodes; a node class without a maker cannot be cached
# (every class of the AST has one: tests/test_node_makers).  Decimals pickle as Decimal(text),
# exponent and all; tuples, lists, dicts, text, integers, booleans and None as themselves.
# Nothing else is cached.

_PLAIN = (Decimal, str, int, bool, type(None), tuple, list, dict, bytes, frozenset)


_MAKERS: dict = {}   # node class -> (its maker, the names of all its fields), or None without one


def _maker_of(cls):
    found = _MAKERS.get(cls, False)
    if found is False:
        try:
            found = (getattr(ast.make, cls.__name__), ast.node_fields(cls))
        except TypeError:   # a class with its own __init__, validators or factories: no maker
            found = None
        _MAKERS[cls] = found
        if found is not None:
            _MAKER_FUNCTIONS.add(found[0])
    return found


_MAKER_FUNCTIONS: set = set()   # the makers _maker_of handed out: pickled by name


class _Pickler(pickle.Pickler):
    """Nodes by their makers; every text and Decimal written once (see :meth:`_shared`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seen: dict = {}

    def reducer_override(self, obj):
        cls = type(obj)
        if _NODES.get(cls.__name__) is cls:
            made = _maker_of(cls)
            if made is None:
                raise TypeError(f"cannot cache a {cls.__name__}")
            if isinstance(obj, _chains.CHAINED) and type(obj.left) is cls:
                # a chain (a + b + …) in one step, not a pickle nesting once per link (chains.rebuild)
                rebuild, (maker, at, first, rows) = _chains.rebuild_of(obj, made[0])
                return rebuild, (maker, at, first, self._shared(rows))
            # pickled by reference to ast.make.<Class> (its __qualname__ is "make.<Class>")
            return made[0], tuple([self._shared(getattr(obj, name)) for name in made[1]])
        if cls in _PLAIN or obj is Decimal or obj in _MAKER_FUNCTIONS or obj is _chains.rebuild:
            return NotImplemented   # pickled as itself (a Decimal by its text; a maker by its name)
        raise TypeError(f"cannot cache a {cls.__name__}")

    def _shared(self, value):
        """*value* with each text and Decimal replaced by the first equal one met (a Decimal
        equal by its text, exponent and sign included), containers copied around them.

        pickle writes an object it has written before as a reference to it (its memo is keyed
        by identity), and loading a reference costs nothing; but the parser makes a new text
        for every token, so the budget ruleset's entry held ~17,700 texts of ~3,000 distinct
        ones, each decoded and allocated again at every start.  Texts and Decimals are
        immutable: sharing them is invisible to every reader.  Nodes are left as they are (each
        is pickled through :meth:`reducer_override`, its fields shared there)."""
        cls = type(value)
        if cls is str:
            return self._seen.setdefault(value, value)
        if cls is Decimal:
            return self._seen.setdefault((Decimal, str(value)), value)
        if cls is tuple:
            return tuple([self._shared(item) for item in value])
        if cls is list:
            return [self._shared(item) for item in value]
        if cls is dict:
            return {self._shared(key): self._shared(item) for key, item in value.items()}
        if cls is frozenset:   # (pickle's own opcode since protocol 4: nothing named to load one)
            return frozenset([self._shared(item) for item in value])
        return value

    def dump(self, obj):
        super().dump(self._shared(obj))


# Every name an entry may have the unpickler resolve besides the node makers (find_class);
# anything else refuses the entry.
_ALLOWED = {("decimal", "Decimal"): Decimal, ("fiscalrules.chains", "rebuild"): _chains.rebuild}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        found = _ALLOWED.get((module, name))
        if found is None and module == ast.__name__ and name.startswith("make."):
            cls = _NODES.get(name[5:])
            made = _maker_of(cls) if cls is not None else None
            found = made[0] if made is not None else None
        if found is None:
            raise pickle.UnpicklingError(f"not a cache entry: names {module}.{name}")
        return found

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("not a cache entry")


def encode(value) -> bytes:
    """The bytes of an entry holding *value*: AST nodes, Decimals, tuples, lists, dicts and
    scalars (TypeError for anything else)."""
    out = io.BytesIO()
    _Pickler(out, protocol=5).dump(value)
    return out.getvalue()


def decode(data: bytes):
    """The value :func:`encode` made *data* from; an exception for anything else (a name outside
    :data:`_ALLOWED` is refused before anything is called)."""
    return _Unpickler(io.BytesIO(data)).load()


# What loading a damaged or foreign entry can raise: it is then ignored.
_NOT_AN_ENTRY = (pickle.UnpicklingError, EOFError, InputRefused, OSError, ValueError, TypeError, KeyError,
                 IndexError, AttributeError, RecursionError, OverflowError, MemoryError, UnicodeError)


def _written_by_this_user(info: os.stat_result) -> bool:
    """Whether the opened entry (its ``fstat``: the file that is then read, opened without
    following a link) is a regular file of the user running the tool that nobody else may
    write: only such a file is unpickled."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return False   # no user ids to tell who wrote it
    return stat.S_ISREG(info.st_mode) and info.st_uid == getuid() and not info.st_mode & 0o022


# ---- the checked ruleset --------------------------------------------------------------------------

def _files_ok(files) -> bool:
    for name, digest in files:
        try:
            if _fingerprint(read_bounded(name, MAX_RULE_FILE_BYTES, what="rule file")) != digest:
                return False
        except InputRefused:
            return False
    return True


def load_checked(main: str | os.PathLike):
    """The cached CheckedRuleset of the rule file *main*, or None (no cache, stale or unreadable)."""
    entry = load_entry(main)
    return None if entry is None else entry[0]


# Entries loaded in this process, by their exact bytes (a few at most).  A program that loads the
# same bundled ruleset again -- a server, a notebook, the test suite's in-process CLI runs --
# still reads the entry and checks its owner, format, version and every file's content each
# time, but does not unpickle and check the same bytes twice (~20 ms for the budget ruleset).
# What is shared is safe to share: frozen AST nodes, and facts that their reader only reads;
# every load still makes its own Ruleset from them.
_LOADED: dict[bytes, tuple] = {}
_MAX_LOADED = 4


def load_entry(main: str | os.PathLike):
    """(the cached CheckedRuleset of the rule file *main*, its facts: a dict of plain data, not
    yet checked), or None (no cache, stale or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        # (os.path.realpath: what Path.resolve() is made of, without importing pathlib)
        resolved, digest = os.path.realpath(main), _fingerprint(read_bounded(main, MAX_RULE_FILE_BYTES, what="rule file"))
        path = _entry_path(folder, resolved, digest)
        data = read_bounded(path, MAX_ENTRY_BYTES, what="cache entry", opened_only_if=_written_by_this_user)
        loaded = _LOADED.get(data)
        if loaded is None:
            loaded = _loaded_entry(data)
            if loaded is None:
                return None
            if len(_LOADED) >= _MAX_LOADED:
                del _LOADED[next(iter(_LOADED))]
            _LOADED[data] = loaded
        form, version, files, checked, facts = loaded
        if form != FORMAT or version != _version_key():
            return None
        # The main file was read and hashed above (for the key): its digest is compared, not
        # worked out again.
        if files[0] != [resolved, digest] or not _files_ok(files[1:]):
            return None
        return checked, facts
    except _NOT_AN_ENTRY:
        return None  # missing, corrupt, foreign or not ours: parse as if there were no cache


def _loaded_entry(data: bytes):
    """(format, version, files, CheckedRuleset, facts) unpickled from an entry's bytes, or None
    when it does not hold a checked ruleset (or one of _NOT_AN_ENTRY raised, as load_entry
    expects).  The format and version are load_entry's to check, on every load."""
    entry = decode(data)
    if type(entry) is not dict:
        return None
    files = entry["files"]
    if type(files) is not list or not files:
        return None
    from .checked import CheckedRuleset
    fields = entry["checked"]
    if type(fields) is not dict:
        return None
    checked = CheckedRuleset(**fields)
    if type(checked.rules) is not tuple or not all(isinstance(rule, ast.Rule) for rule in checked.rules):
        return None
    later, examples = entry.get("later", []), entry.get("examples")
    if later:   # the rules whose examples are kept apart (see the module's docstring)
        if type(later) is not list or type(examples) is not bytes or len(set(later)) != len(later) or \
                not all(type(i) is int and 0 <= i < len(checked.rules) for i in later) or \
                type(files[0]) is not list or type(files[0][0]) is not str:
            return None
        LaterExamples(examples, [checked.rules[i] for i in later], files[0][0])
    facts = entry.get("facts")
    return entry.get("format"), entry.get("version"), files, checked, facts if type(facts) is dict else {}


# ---- the rules' examples, read when first asked for -----------------------------------------------

_EXAMPLES_FIELD = ast.Rule.examples   # the slot's own member descriptor (see ast._ExamplesWhenAsked)


class LaterExamples(ast.ExamplesLater):
    """What the ``examples`` field of some rules of one entry holds until it is first read (then
    each rule's own tuple, :meth:`fill`): the pickle of their examples, in the rules' order."""

    __slots__ = ("data", "rules", "main", "lock")

    def __init__(self, data: bytes, rules: list, main: str):
        self.data, self.rules, self.main, self.lock = data, rules, main, allocate_lock()
        for rule in rules:
            _EXAMPLES_FIELD.__set__(rule, self)

    def fill(self) -> None:
        """Every rule's examples set from the bytes (or from the rule file parsed again, when the
        bytes do not hold one tuple of examples per rule)."""
        with self.lock:
            rules = self.rules
            if rules is None:
                return   # (another thread filled them)
            try:
                found = _Unpickler(io.BytesIO(self.data)).load()   # (as decode: an entry's names only)
            except _NOT_AN_ENTRY:
                found = None
            if type(found) is not list or len(found) != len(rules) or \
                    not all(type(examples) is tuple and all(type(e) is ast.Example for e in examples)
                            for examples in found):
                found = self._parsed(rules)
            for rule, examples in zip(rules, found):
                _EXAMPLES_FIELD.__set__(rule, examples)
            self.data = self.rules = None   # (each rule held this: a cycle, broken)

    def _parsed(self, rules: list) -> list:
        from .loader import _collect   # (only for an entry whose examples are damaged)
        fresh = {rule.id: rule for rule in _collect(self.main, True, recover=False).check().rules}
        return [fresh[rule.id].examples if rule.id in fresh else () for rule in rules]


def store_checked(main: str | os.PathLike, checked, files) -> None:
    """Write the checked ruleset of *main* (read from *files*, main first) atomically; a cache
    that cannot be written is left alone."""
    folder = cache_dir()
    if folder is None or getattr(os, "getuid", None) is None:
        return   # (without user ids no entry is ever read: none is written)
    import attrs   # (here: only a cold run writes an entry)
    try:
        listed = [[os.path.realpath(f), _fingerprint(read_bounded(f, MAX_RULE_FILE_BYTES, what="rule file"))]
                  for f in files]
        resolved, digest = os.path.realpath(main), _fingerprint(read_bounded(main, MAX_RULE_FILE_BYTES, what="rule file"))
        fields = {a.name: getattr(checked, a.name) for a in attrs.fields(type(checked))}
        # the rules' examples kept apart (the module's docstring): each rule that has some written
        # with none, their examples pickled on their own, in the order of *later*
        later = [i for i, rule in enumerate(checked.rules) if rule.examples]
        fields["rules"] = tuple(ast.make.Rule(*[() if name == "examples" else getattr(rule, name)
                                                for name in ast.node_fields(ast.Rule)]) if rule.examples else rule
                                for rule in checked.rules)
        entry = {"format": FORMAT, "version": _version_key(),
                 "files": listed,
                 "checked": fields,
                 "facts": _facts(checked),
                 "later": later,
                 "examples": encode([checked.rules[i].examples for i in later])}
        write_atomically(_entry_path(folder, resolved, digest), encode(entry))
        prune(folder, "ruleset-*", MAX_ENTRIES)
    except (InputRefused, OSError, TypeError, ValueError):
        return


def _facts(checked) -> dict:
    """The facts kept with an entry (see the module's docstring)."""
    from .localise.footprint import facts_of   # only to write an entry: a cold run
    return facts_of(checked)


