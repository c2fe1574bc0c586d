"""The ruleset cache: bundled rulesets come back identical, and a bad entry is never trusted."""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import fiscalrules
from fiscalrules import cache
from fiscalrules.loader import _collect, resolve_ruleset_path


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FISCALRULES_CACHE_DIR", str(tmp_path / "cache"))
    # No entry loaded by an earlier test of this process: each test here unpickles what it reads.
    monkeypatch.setattr(cache, "_LOADED", {})
    return tmp_path / "cache"


def _entries(folder):
    return sorted(p for p in folder.iterdir() if p.name.startswith("ruleset-"))


_PARSED: dict = {}


@contextlib.contextmanager
def _each_text_parsed_once():
    """fiscalrules.parser.parse answering a text it has parsed before (the same file name) with
    the tree it made then -- the nodes are frozen and parse() reads nothing but its arguments --
    so the damaged-entry cases, each loading the bundled budget ruleset by parsing it again,
    parse its files once per module instead of twice per case (the loader still reads every
    file, follows the includes, checks and writes an entry as it would)."""
    from fiscalrules import parser
    real = parser.parse

    def parse(text, file=None):
        key = (text, file)
        if key not in _PARSED:
            _PARSED[key] = real(text, file)
        return _PARSED[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parser, "parse", parse)
        yield


@pytest.fixture()
def parsed_once():
    with _each_text_parsed_once():
        yield


@pytest.fixture(scope="module")
def budget():
    """The bundled budget ruleset parsed and checked afresh, never through a cache nor the
    cases' parse memo (_each_text_parsed_once: a reference made from the very nodes a case loads
    could not differ from them), once per module: each test compares what it loads with it."""
    return _collect("budget_disclosure", False, False).check()


@pytest.fixture(scope="module")
def budget_entry(tmp_path_factory):
    """The cache entry loading the bundled budget ruleset writes: (file name, bytes), written once
    per module by a real load into an empty cache folder."""
    folder = tmp_path_factory.mktemp("first-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FISCALRULES_CACHE_DIR", str(folder))
        fiscalrules.load_ruleset("budget_disclosure")
    (entry,) = _entries(folder)
    return entry.name, entry.read_bytes()


def test_a_cached_bundled_ruleset_is_the_parsed_one(cache_dir, budget):
    first = fiscalrules.load_ruleset("budget_disclosure")
    (entry,) = _entries(cache_dir)
    again = fiscalrules.load_ruleset("budget_disclosure")
    fresh = budget
    assert again.checked == fresh == first.checked
    # spans too, which node equality leaves out, and every Decimal's exponent
    assert _exactly(attrs.asdict(again.checked, recurse=False)) == _exactly(attrs.asdict(fresh, recurse=False))
    assert [r.id for r in again.rules] == [r.id for r in first.rules]
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"]  # written atomically
    record = {"income": {"total": "10", "sources": {"a": "4", "b": "5"}}}
    assert again.evaluate(record).sorted_findings() == first.evaluate(record).sorted_findings()
    assert cache.decode(entry.read_bytes())["format"] == cache.FORMAT
    assert entry.stat().st_mode & 0o077 == 0   # the user's alone


def _exactly(value):
    """*value* with everything equality leaves out made visible: each node's class and every
    field, its span included, and each Decimal's text (exponent and sign)."""
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_exactly(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(_exactly(k), _exactly(v)) for k, v in value.items()])
    if attrs.has(type(value)):
        return (type(value).__name__, [(a.name, _exactly(getattr(value, a.name))) for a in attrs.fields(type(value))])
    return value


class _Calls:
    """Pickled as a call of *function* with *args*: what a planted entry would run were its names
    resolved."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return (self.function, self.args)


def test_an_entry_read_again_is_unpickled_once_and_a_changed_one_afresh(cache_dir, budget, monkeypatch):
    unpickled = []
    real_decode = cache.decode
    monkeypatch.setattr(cache, "decode", lambda data: unpickled.append(1) or real_decode(data))
    parsed = fiscalrules.load_ruleset("budget_disclosure")      # no entry yet: parsed, entry written
    first = fiscalrules.load_ruleset("budget_disclosure")
    again = fiscalrules.load_ruleset("budget_disclosure")
    assert len(unpickled) == 1                                  # the same entry's bytes unpickled once
    assert first is not again and first.rules[0] is not again.rules[0]   # each load its own Ruleset
    assert again.checked is first.checked and again.checked == budget == parsed.checked
    record = {"income": {"total": "10", "sources": {"a": "4", "b": "5"}}}
    assert again.evaluate(record).sorted_findings() == parsed.evaluate(record).sorted_findings()
    (entry,) = _entries(cache_dir)
    entry.write_bytes(entry.read_bytes() + b"\n")   # other bytes, the same entry (pickle stops before)
    changed = fiscalrules.load_ruleset("budget_disclosure")
    assert len(unpickled) == 2 and changed.checked is not first.checked and changed.checked == budget
    entry.chmod(0o666)                                # the owner checked on every load, kept or not
    assert cache.load_checked(resolve_ruleset_path("budget_disclosure")) is None
    entry.chmod(0o600)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)   # a newer library: the kept entry refused
    assert cache.load_checked(resolve_ruleset_path("budget_disclosure")) is None
    assert len(unpickled) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign version", "foreign pickle", "code",
                                    "code inside", "wrong value", "not a rule", "not a ruleset",
                                    "others may write", "a link"])
def test_a_bad_entry_is_ignored(cache_dir, tmp_path, budget, budget_entry, damage, parsed_once):
    name, content = budget_entry   # what a first load writes (test_a_cached_bundled_ruleset_is_the_parsed_one)
    cache_dir.mkdir()
    entry = cache_dir / name
    entry.write_bytes(content)
    entry.chmod(0o600)
    assert fiscalrules.load_ruleset("budget_disclosure").checked == budget  # read as it is, it is good
    planted = tmp_path / "planted"   # what the planted code would make
    data = cache.decode(content)
    if damage == "truncate":
        entry.write_bytes(content[: len(content) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00\xff not a pickle")
    elif damage == "foreign version":
        data["version"] = "0.0.0:other"
        entry.write_bytes(cache.encode(data))
    elif damage == "foreign pickle":   # a pickle of plain data, but not an entry
        entry.write_bytes(pickle.dumps({"format": 1}))
    elif damage == "code":   # a pickle naming a function other than the node classes is never run
        entry.write_bytes(pickle.dumps(_Calls(os.system, f"touch {planted}")))
    elif damage == "code inside":   # ... wherever it sits in a good entry
        data["facts"] = _Calls(os.system, f"touch {planted}")
        entry.write_bytes(pickle.dumps(data))
    elif damage == "wrong value":   # a "Decimal" whose text is a mapping
        data["checked"]["precisions"] = {"元": _Calls(Decimal, {"x": "1"})}
        entry.write_bytes(pickle.dumps(data))
    elif damage == "not a rule":
        data["checked"]["rules"] = ({"id": "R"}, *data["checked"]["rules"][1:])
        entry.write_bytes(cache.encode(data))
    elif damage == "not a ruleset":
        data["checked"] = ["rules"]
        entry.write_bytes(cache.encode(data))
    elif damage == "others may write":   # a file another user could have written is never unpickled
        entry.chmod(0o666)
    else:   # a link (to a good entry elsewhere) is not read either
        entry.unlink()
        (tmp_path / "elsewhere").write_bytes(content)
        (tmp_path / "elsewhere").chmod(0o600)
        entry.symlink_to(tmp_path / "elsewhere")
    assert cache.load_checked(resolve_ruleset_path("budget_disclosure")) is None
    assert fiscalrules.load_ruleset("budget_disclosure").checked == budget   # parsed again
    assert not planted.exists()


def test_without_user_ids_no_entry_is_read_or_written(cache_dir, budget, budget_entry, monkeypatch):
    """Where the system cannot say who wrote a file, no pickle is trusted: the ruleset is parsed,
    and no entry is written that nothing would read."""
    name, content = budget_entry
    cache_dir.mkdir()
    (cache_dir / name).write_bytes(content)
    monkeypatch.delattr(os, "getuid")
    assert cache.load_checked(resolve_ruleset_path("budget_disclosure")) is None
    (cache_dir / name).unlink()
    assert fiscalrules.load_ruleset("budget_disclosure").checked == budget
    assert _entries(cache_dir) == []


def test_a_changed_include_invalidates_the_entry(cache_dir, tmp_path, monkeypatch):
    from fiscalrules import loader
    folder = tmp_path / "bundled"
    folder.mkdir()
    (folder / "_parts.rules").write_text("field a: amount\nfield b: amount\n", encoding="utf-8")
    (folder / "mini.rules").write_text('include "_parts.rules"\nrule R: a = b\n', encoding="utf-8")
    monkeypatch.setattr(loader, "_bundled_folder", lambda: folder)
    assert fiscalrules.load_ruleset("mini").evaluate({"a": "1", "b": "1"}).findings[0].status == "pass"
    assert len(_entries(cache_dir)) == 1
    (folder / "_parts.rules").write_text("field a: amount\nfield b: amount default 1\n", encoding="utf-8")
    assert fiscalrules.load_ruleset("mini").evaluate({"a": "1"}).findings[0].status == "pass"


def test_no_cache_when_switched_off_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("FISCALRULES_CACHE", "0")
    assert cache.cache_dir() is None
    fiscalrules.load_ruleset("budget_disclosure")
    monkeypatch.delenv("FISCALRULES_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("FISCALRULES_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    assert fiscalrules.load_ruleset("budget_disclosure").rules


def test_a_warm_audit_of_a_budget_imports_only_what_it_uses(cache_dir):
    """A CLI start pays for every module it imports: with the ruleset cached, auditing a budget
    needs neither the parser, nor the final-accounts reader, nor the modules that only write
    a cache entry or spool a long report, nor pickle's pure-Python module (the entry is read by
    its C unpickler), nor argparse (``audit FILE`` is read without it), nor attrs (with inspect:
    the classes on the path are written out, fiscalrules.nodebase), nor threading (it starts no
    thread: symbolic.linear's lock is _thread's), nor the streamed formats' module."""
    fiscalrules.load_ruleset("budget_disclosure")
    document = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "bureau_2025.txt")
    unused = ("lark", "fiscalrules.parser", "fiscalrules.readers.final_accounts", "importlib.resources", "tempfile",
              "csv", "pickle", "argparse", "attr", "attrs", "inspect", "threading", "fiscalrules.streaming")
    code = ("import contextlib, io, sys\nfrom fiscalrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    code = main(['audit', {document!r}])\n"
            f"print(code, [m for m in {unused!r} if m in sys.modules])")
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1 []"


def test_a_warm_json_audit_does_not_import_attrs(cache_dir):
    """The JSON report writes each figure's source field by field (nodebase.fields_dict): no
    attrs there either."""
    fiscalrules.load_ruleset("budget_disclosure")
    document = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "bureau_2025.txt")
    code = ("import contextlib, io, sys\nfrom fiscalrules.cli import main\nout = io.StringIO()\n"
            f"with contextlib.redirect_stdout(out):\n    code = main(['audit', '--format', 'json', {document!r}])\n"
            "print(code, '\"source\": {' in out.getvalue(), [m for m in ('attr', 'attrs', 'inspect') if m in sys.modules])")
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1 True []"


def test_the_cli_does_not_import_lark_with_a_cached_ruleset(cache_dir):
    fiscalrules.load_ruleset("budget_disclosure")
    code = ("import sys, fiscalrules; fiscalrules.load_ruleset('budget_disclosure'); "
            "print('lark' in sys.modules)")
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
    assert resolve_ruleset_path("budget_disclosure").exists()


def test_decimals_and_plain_data_come_back_exactly():
    """Decimals come back with their own exponent and sign, containers as the same types; anything
    that is not a node, a Decimal or plain data is not cached."""
    decimals = [Decimal(t) for t in ("5", "5.00", "-0", "1E+3", "0E-8", "123456789012345678901234567890.5", "NaN",
                                     "-Infinity")]
    value = {"decimals": tuple(decimals), "plain": {"a": {"b": [Decimal("1.50"), "x", None, True, 7]}},
             "not plain": {1: Decimal("2")}, "list": [Decimal("3.0")]}
    back = cache.decode(cache.encode(value))
    assert {k: v for k, v in back.items() if k != "decimals"} == {k: v for k, v in value.items() if k != "decimals"}
    assert type(back["decimals"]) is tuple   # (NaN is not equal to itself: compared as text)
    assert [str(d) for d in back["decimals"]] == [str(d) for d in decimals]
    assert str(back["plain"]["a"]["b"][0]) == "1.50" and str(back["list"][0]) == "3.0"
    with pytest.raises(TypeError):
        cache.encode([_Calls(os.system, "true")])
    with pytest.raises(TypeError):
        cache.encode({"a": Path("x")})


def _naming(module: str, name: str) -> bytes:
    """A pickle whose one object is the global *module*.*name* (protocol 4 STACK_GLOBAL)."""
    parts = [part.encode() for part in (module, name)]
    return b"\x80\x04" + b"".join(b"\x8c" + bytes([len(part)]) + part for part in parts) + b"\x93."


def test_an_entry_names_only_node_makers_and_classes():
    """Nodes are pickled by reference to their makers (``ast.make.Number``); the unpickler resolves
    ``make.<node class>`` and nothing else under that name -- not the maker factory, not another
    attribute reached through ``make``, not a name outside fiscalrules.ast."""
    from fiscalrules import ast
    number = ast.Number(Decimal("1.50"), "万元", span=(1, 2, 3, 4, None))
    data = cache.encode([number])
    assert b"make.Number" in data
    back = cache.decode(data)[0]
    assert back == number and type(back) is ast.Number and back._span == (1, 2, 3, 4, None)
    assert str(back.value) == "1.50"
    assert cache.decode(_naming("fiscalrules.ast", "make.Number")) is ast.make.Number
    for module, name in [("fiscalrules.ast", "make.__class__"), ("fiscalrules.ast", "make.maker"),
                         ("fiscalrules.ast", "make._Node"), ("fiscalrules.ast", "maker"),
                         ("fiscalrules.ast", "make.Number.__globals__"), ("os", "make.Number"),
                         ("fiscalrules.ast", "make.attrs"),
                         # a node class itself: its attrs __init__ is no maker of an entry
                         ("fiscalrules.ast", "Number"), ("fiscalrules.cache", "_node")]:
        with pytest.raises(pickle.UnpicklingError):
            cache.decode(_naming(module, name))


def test_old_entries_are_pruned_when_one_is_written(cache_dir):
    """Entries are keyed by content: without a cap every release or install would leave its
    entries behind for ever.  The newest MAX_ENTRIES stay, the oldest go, other files are kept."""
    cache_dir.mkdir()
    stale = []
    for number in range(cache.MAX_ENTRIES + 8):
        path = cache_dir / f"ruleset-{number:040x}.pickle"
        path.write_bytes(pickle.dumps({}))
        os.utime(path, ns=(number * 10**9, number * 10**9))   # number 0 the oldest
        stale.append(path)
    other = cache_dir / "patterns-something.json"
    other.write_text("[]", encoding="utf-8")
    fiscalrules.load_ruleset("budget_disclosure")
    kept = _entries(cache_dir)
    assert len(kept) == cache.MAX_ENTRIES
    written = [p for p in kept if p not in stale]
    assert len(written) == 1 and cache.decode(written[0].read_bytes())["format"] == cache.FORMAT
    assert not any(p.exists() for p in stale[:9])          # the 9 oldest went
    assert all(p.exists() for p in stale[9:])              # the 31 newest stayed
    assert other.exists()


@pytest.mark.parametrize("damage", ["none", "token", "token part", "a list", "rule missing", "not a bool", "not a dict"])
def test_the_kept_localisation_facts_are_the_worked_out_ones_or_ignored(cache_dir, budget_entry, damage):
    """An entry keeps each rule's footprint and rows-apart fact (what localisation works out from
    the rule text): read back they equal the worked-out ones, and facts that do not fit the rules
    -- a token of a wrong shape, a rule missing, a wrong type -- are worked out again instead."""
    from fiscalrules.localise import footprint
    name, content = budget_entry
    cache_dir.mkdir()
    data = cache.decode(content)
    facts = data["facts"]
    some_rule = next(rule for rule, tokens in facts["footprints"].items() if tokens)
    apart_rule = next(iter(facts["rows_apart"]))
    if damage == "token":   # a cell token needs table and column
        facts["footprints"][some_rule] = facts["footprints"][some_rule] | {("c", "table")}
    elif damage == "token part":   # not text
        facts["footprints"][some_rule] = facts["footprints"][some_rule] | {(("f",), "a")}
    elif damage == "a list":   # (FORMAT 10's lists of lists)
        facts["footprints"][some_rule] = sorted(list(token) for token in facts["footprints"][some_rule])
    elif damage == "rule missing":
        del facts["footprints"][some_rule]
    elif damage == "not a bool":
        facts["rows_apart"][apart_rule] = "yes"
    elif damage == "not a dict":
        data["facts"] = ["footprints"]
    (cache_dir / name).write_bytes(cache.encode(data))
    loaded = fiscalrules.load_ruleset("budget_disclosure")
    assert bool(loaded.facts) == (damage != "not a dict")   # the entry itself was used
    worked_out = footprint._footprints(loaded.checked), footprint._all_rows_apart(loaded.checked)
    kept = footprint._kept_footprints(loaded), footprint._kept_rows_apart(loaded)
    if damage == "none":
        assert kept == worked_out
    else:
        assert None in kept
    assert (footprint.footprints(loaded), footprint.rows_apart(loaded)) == worked_out
    assert any(tokens for tokens in worked_out[0].values()) and any(worked_out[1].values())


@pytest.mark.parametrize("damage", ["none", "garbage", "code", "one missing", "not examples"])
def test_the_rules_examples_are_read_when_asked_for_and_a_bad_pickle_of_them_is_not_trusted(
        cache_dir, tmp_path, budget, budget_entry, damage):
    """An entry keeps the rules' examples apart (a pickle of their own, FORMAT 9): a rule loaded
    from it has none read until asked, then every rule of the entry has its own, the parsed ones.
    Examples that do not unpickle or do not fit the rules are taken from the rule file parsed
    again; code named in them is never run."""
    from fiscalrules import ast
    name, content = budget_entry
    cache_dir.mkdir()
    data = cache.decode(content)
    assert all(rule.examples == () for rule in data["checked"]["rules"])   # written without them
    assert len(data["later"]) == sum(1 for rule in budget.rules if rule.examples) > 100
    planted = tmp_path / "planted"
    if damage == "garbage":
        data["examples"] = b"\x00\xff not a pickle"
    elif damage == "code":
        data["examples"] = pickle.dumps(_Calls(os.system, f"touch {planted}"))
    elif damage == "one missing":
        data["examples"] = cache.encode(cache.decode(data["examples"])[1:])
    elif damage == "not examples":
        data["examples"] = cache.encode([("pass",)] * len(data["later"]))
    (cache_dir / name).write_bytes(cache.encode(data))
    loaded = fiscalrules.load_ruleset("budget_disclosure")
    waiting = [rule for rule in loaded.checked.rules if type(ast.Rule.examples.__get__(rule)) is cache.LaterExamples]
    assert len(waiting) == len(data["later"])   # nothing read yet
    assert [rule.examples for rule in loaded.checked.rules] == [rule.examples for rule in budget.rules]
    assert all(type(ast.Rule.examples.__get__(rule)) is tuple for rule in loaded.checked.rules)   # all read at once
    assert loaded.checked == budget and not planted.exists()
    assert all(result.ok for result in loaded.run_examples())
