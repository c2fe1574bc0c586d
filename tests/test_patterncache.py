"""The pattern cache of the command line: the patterns it rebuilds are those ``re`` compiles, a
bad entry is never trusted, and the library itself never touches ``re``'s cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fiscalrules import patterncache

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "examples" / "bureau_2025.txt"

# In a fresh process: preload the entry, ask re's cache for each of its patterns (each is built
# when first asked for), then report how many came from it and whether every one of them equals
# what re compiles from its text and flags.
CHECK = """
import json, re, sys
from fiscalrules.patterncache import preload
preload()
loaded = {}
for key in list(getattr(re._cache, "stored", ())):
    try:
        loaded[key] = re._cache[key]
    except KeyError:   # refused: re compiles it as usual
        pass
same = all(pattern == re._compiler.compile(key[1], key[2]) for key, pattern in loaded.items())
print(json.dumps([len(loaded), same]))
"""


def _cli(args, folder, **env):
    environment = dict(os.environ, FISCALRULES_CACHE_DIR=str(folder), **env)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run([sys.executable, "-m", "fiscalrules", *args], capture_output=True, env=environment,
                          cwd=ROOT)


def _entry(folder: Path) -> Path:
    (entry,) = folder.glob("patterns-*.bin")
    return entry


def _items(path: Path) -> list:
    return patterncache._decode(path.read_bytes())


def _raw_entry(header, codes: bytes = b"") -> bytes:
    """An entry written by hand: the format line, *header* as JSON, the codes' bytes."""
    return patterncache._FORMAT + json.dumps(header).encode("utf-8") + b"\n" + codes


def _warm_rulesets(audited_folder: Path, folder: Path) -> None:
    """Copy the audited folder's ruleset entries into *folder*: the audit there reads the bundled
    ruleset from its entry, as every warm run does, instead of parsing it (~1 CPU-s a run); what
    the test is about -- the pattern entry -- is left to it."""
    folder.mkdir(parents=True, exist_ok=True)
    for ruleset in audited_folder.glob("ruleset-*"):
        (folder / ruleset.name).write_bytes(ruleset.read_bytes())


def _preloaded(folder: Path) -> list:
    environment = dict(os.environ, FISCALRULES_CACHE_DIR=str(folder))
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=environment, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """A cache folder after one audit (patterns and ruleset written), and that audit's output."""
    folder = tmp_path_factory.mktemp("patterns")
    first = _cli(["audit", "--no-progress", str(DOCUMENT)], folder)
    return folder, first


def test_a_second_run_rebuilds_equal_patterns_and_prints_the_same(audited):
    folder, first = audited
    items = _items(_entry(folder))
    assert len(items) > 100 and all(len(item) == 7 for item in items)
    loaded, same = _preloaded(folder)
    assert loaded > 100 and same
    stamp = _entry(folder).stat().st_mtime_ns
    again = _cli(["audit", "--no-progress", str(DOCUMENT)], folder)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert again.returncode == 1 and first.stdout
    assert _entry(folder).stat().st_mtime_ns == stamp   # nothing new: not written again
    assert not [p for p in folder.iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "codes cut short", "codes too long", "old format",
                                    "not a list", "bad code", "wrong types", "not whole words", "mixed", "bad length of an unused pattern"])
def test_a_bad_entry_is_ignored(audited, tmp_path, damage):
    folder, first = audited
    good = _entry(folder).read_bytes()
    items = _items(_entry(folder))
    header, codes = [item[:6] + [len(item[6]) // 4] for item in items], b"".join(item[6] for item in items)
    bad = {
        "garbage": b"\x00\x01 not an entry",
        "truncated": good[: len(good) // 2],
        "codes cut short": good[:-4],
        "codes too long": good + b"\0" * 4,
        "old format": json.dumps([item[:6] + [item[6].hex()] for item in items]).encode("utf-8"),
        "not a list": _raw_entry({"patterns": header}, codes),
        # code the regular-expression engine refuses (it validates what it is given)
        "bad code": patterncache._encode([item[:6] + [b"\xff" * 16] for item in items]),
        "wrong types": _raw_entry([[1, "x", None, [], {}, 3, 4], "text", None, [header[0][0]]], b"\0" * 16),
        "not whole words": _raw_entry([item[:6] + [0] for item in header], b"\0" * 3),
        # a code length that is no count of words, for a pattern no run compiles: kept as it
        # was read, it made writing the entry fail (TypeError) and the cache stopped learning
        "bad length of an unused pattern": _raw_entry([["never compiled (", False, 0, 0, 0, {}, -1]]),
        "mixed": _raw_entry([["[", False, 0, 0, 0, {}, 1], *header[-5:], 7],
                            b"\0" * 4 + b"".join(item[6] for item in items[-5:])),
    }[damage]
    _warm_rulesets(folder, tmp_path)
    (tmp_path / _entry(folder).name).write_bytes(bad)
    loaded, same = _preloaded(tmp_path)
    assert same and loaded == {"mixed": 5}.get(damage, 0)
    done = _cli(["audit", "--no-progress", str(DOCUMENT)], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (first.returncode, first.stdout, first.stderr)
    if damage != "mixed":   # rewritten by the run: now a good entry again
        assert _preloaded(tmp_path)[0] > 100


def test_a_run_stores_the_patterns_it_compiled_first(audited, tmp_path):
    """preload() builds the entry's patterns in order while re's cache has room: a pattern a run
    had to compile goes first, not after the ~470 others, where the next run would leave it out
    and compile it again (as 7 of every audit's were)."""
    folder, first = audited
    items = _items(_entry(folder))
    used = items[len(items) // 2]   # every pattern of the entry was compiled by this same audit
    (tmp_path / _entry(folder).name).write_bytes(patterncache._encode([i for i in items if i != used]))
    done = _cli(["audit", "--no-progress", str(DOCUMENT)], tmp_path)
    assert (done.returncode, done.stdout) == (first.returncode, first.stdout)
    again = _items(_entry(tmp_path))
    assert again[0] == used and sorted(map(repr, again)) == sorted(map(repr, items))


def test_a_pattern_anywhere_in_an_entry_larger_than_re_s_cache_is_built_from_it(audited, tmp_path):
    """The entry's patterns are built as a run asks for them, not all put into re's cache at the
    start (MAX_PATTERNS, less what re compiled before): a pattern a run needs that lies past
    that many is built from the entry like the others -- not compiled, stored again and the
    entry rewritten by every run, as when an entry of more than ~490 patterns was preloaded whole."""
    from fiscalrules.readers.common import amounts
    folder, first = audited
    items = _items(_entry(folder))
    needed = next(item for item in items if item[0] == amounts.AMOUNT.pattern)   # compiled as the readers load
    compile_code = patterncache._engine()[1]
    unused = [patterncache._item((str, f"unused-{i}", 0), re._compiler.compile(f"unused-{i}", 0), compile_code)
              for i in range(patterncache.MAX_PATTERNS + 100 - len(items))]
    entry = tmp_path / _entry(folder).name
    written = patterncache._encode([item for item in items if item != needed] + unused + [needed])
    entry.write_bytes(written)
    assert len(_items(entry)) == patterncache.MAX_PATTERNS + 100
    _warm_rulesets(folder, tmp_path)   # a warm audit: the ruleset is not parsed
    done = _cli(["audit", "--no-progress", str(DOCUMENT)], tmp_path)
    assert (done.returncode, done.stdout) == (first.returncode, first.stdout)
    assert entry.read_bytes() == written   # nothing compiled: not written again


def test_no_entry_when_the_cache_is_off_and_the_library_never_writes_one(audited, tmp_path):
    done = _cli(["audit", "--no-progress", str(DOCUMENT)], tmp_path / "off", FISCALRULES_CACHE="0")
    assert done.returncode == 1 and not (tmp_path / "off").exists()
    _warm_rulesets(audited[0], tmp_path / "library")   # the ruleset's entry there: not parsed again
    code = ("import contextlib, io, re\nfrom fiscalrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['audit', {str(DOCUMENT)!r}])\n")
    environment = dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path / "library"))
    subprocess.run([sys.executable, "-c", code], env=environment, check=True)
    assert not list((tmp_path / "library").glob("patterns-*"))   # main() is the library's: only run() caches


def test_stored_items_rebuild_the_pattern_re_compiles():
    compile_code = patterncache._engine()[1]
    for pattern, flags in [(r"(?P<a>[\u4e00-\u9fff]{2,7}?)(?:省|市)?(?P<b>\d+)", 0), (rb"a(b)?c", re.I),
                           ("x#comment\n y", re.X | re.M), (r"(?<=[（(])\s*\w+", re.U)]:
        compiled = re._compiler.compile(pattern, flags)
        item = patterncache._item((type(pattern), pattern, int(flags)), compiled, compile_code)
        assert item is not None and patterncache._decode(patterncache._encode([item])) == [item]
        key, rebuilt = patterncache._build(compile_code, item)
        assert key == (type(pattern), pattern, int(flags)) and rebuilt == compiled
        assert rebuilt.groupindex == compiled.groupindex and rebuilt.groups == compiled.groups


def test_a_pattern_no_entry_can_hold_is_left_out_and_the_others_still_written():
    """A pattern whose text holds a lone surrogate ("[\ud800-\udfff]" written unescaped in a
    module) cannot be written as UTF-8: the whole entry was silently not written, every run."""
    compile_code = patterncache._engine()[1]
    lone = "[\ud800-\udfff]"
    assert patterncache._item((str, lone, 0), re._compiler.compile(lone, 0), compile_code) is None
    item = patterncache._item((str, "a+", 0), re._compiler.compile("a+", 0), compile_code)
    assert patterncache._decode(patterncache._encode([item])) == [item]


@pytest.mark.parametrize("text", ['[["(?P<a>\\d+)年",false,32,32,1,{"a":1},12],["x",true,0,0,0,{},3]]', ' \n[1, 2.5, -3e2, "中\\u6587"]\t',
                                  '{"a": [null, true, NaN, -Infinity]}', "[1, 2] x", "[1, 2", "", "  ", "\ufeff[]",
                                  '[1, 2] [3]', '"\\ud800"', '["a\tb"]', "[1,]", "01", "-"])
def test_the_entry_header_reads_as_json_loads_reads_it(text):
    """The header is read by json's C scanner without the json package (:func:`_json_value`):
    the same value as json.loads, or a ValueError where json.loads raises one."""
    try:
        expected = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            patterncache._json_value(text)
        return
    got = patterncache._json_value(text)
    assert json.dumps(got) == json.dumps(expected) and type(got) is type(expected)


def test_the_patterns_are_read_before_the_modules_that_compile_them():
    """What ``python -m fiscalrules`` imports to preload: no module that compiles a pattern as
    it loads (nor attrs, whose imports do), so that every one of them finds its patterns ready."""
    code = ("import json, sys\nfrom fiscalrules.patterncache import preload\npreload()\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('fiscalrules', 'attr')))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["fiscalrules", "fiscalrules.cachedir", "fiscalrules.inputs",
                                       "fiscalrules.inputs.bounded", "fiscalrules.patterncache"]


def test_each_install_of_the_library_keeps_its_own_entry(tmp_path, monkeypatch):
    # Two installs compile different patterns; one shared entry made each evict the other's.
    monkeypatch.setenv("FISCALRULES_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FISCALRULES_CACHE", raising=False)
    here = patterncache._entry_path()
    monkeypatch.setattr(patterncache, "__file__", "/elsewhere/site-packages/fiscalrules/patterncache.py")
    elsewhere = patterncache._entry_path()
    assert os.path.dirname(here) == os.path.dirname(elsewhere) == str(tmp_path)   # (paths are texts: no pathlib)
    assert here != elsewhere and os.path.basename(here).startswith("patterns-") and elsewhere.endswith(".bin")
    monkeypatch.setattr(patterncache, "__file__", "/elsewhere/site-packages/fiscalrules/../fiscalrules/patterncache.py")
    assert patterncache._entry_path() == elsewhere


def test_writing_an_entry_keeps_the_most_recent_entries_only(audited, tmp_path):
    # One entry per Python build and install: without a limit, every checkout or upgrade left
    # one more ~0.4 MB file behind for ever (as the old entries keyed by the build alone).
    folder, _first = audited
    _warm_rulesets(folder, tmp_path)   # a warm audit (pruning is not about parsing rules)
    for i in range(patterncache.MAX_FILES + 4):
        stale = tmp_path / f"patterns-stale{i:02d}.json"
        stale.write_text("[]", encoding="utf-8")
        os.utime(stale, ns=(10**18 + i, 10**18 + i))
    ruleset_entry = tmp_path / "ruleset-keep.json"
    ruleset_entry.write_text("{}", encoding="utf-8")
    done = _cli(["audit", "--no-progress", str(DOCUMENT)], tmp_path)
    assert done.returncode == 1, done.stderr
    kept = {path.name for path in tmp_path.glob("patterns-*")}   # old (.json) entries pruned too
    newest_stale = {f"patterns-stale{i:02d}.json" for i in range(5, patterncache.MAX_FILES + 4)}
    (written,) = kept - newest_stale      # this run's entry, and the 7 newest of the others
    assert not written.startswith("patterns-stale") and kept == newest_stale | {written}
    assert ruleset_entry.exists()         # the other cache's entries are its own to prune
