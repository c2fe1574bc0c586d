"""The start of a command-line run (fiscalrules/__main__.py, cli.run): what it does to the process
beyond the command itself -- the cyclic collector's settings -- and what a program calling
cli.main() is spared.  Each test runs in a fresh interpreter: the collector is the process's."""

import os
import re
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
DOCUMENT = os.path.join(EXAMPLES, "bureau_2025.txt")

# Prints the collector's first threshold and whether anything is frozen: before the command's
# modules are imported, once they are, and when the audit reads its document (the rulesets loaded).
_WATCHED = """
import gc, sys
def state(): return [gc.get_threshold()[0], gc.get_freeze_count() > 0]
seen = {{"before": state()}}
sys.argv = ["fiscalrules", *{argv!r}]
import fiscalrules.__main__ as command
seen["imported"] = state()
import fiscalrules.readers as readers
read = readers.read_document_records
def watched(*args, **kwargs):
    seen["reading"] = state()
    return read(*args, **kwargs)
readers.read_document_records = watched
import atexit
atexit.register(lambda: print(seen, file=sys.stderr))   # (an exit handler: run() then exits by sys.exit)
command.run()
"""


def _watch(argv, tmp_path) -> dict:
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", _WATCHED.format(argv=argv)], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path))
    assert done.returncode in (0, 1), done.stderr
    return eval(done.stderr.strip().splitlines()[-1])   # noqa: S307 -- our own child's dict of lists


@pytest.mark.parametrize("cached", [False, True])
def test_the_collector_is_held_off_during_the_start_and_set_back_for_the_documents(tmp_path, cached):
    """No collector pass during the start (its objects all live to the end); once the rulesets
    are loaded they are frozen and the documents are read with a threshold that still collects."""
    if cached:
        _watch(["audit", DOCUMENT], tmp_path)   # writes the cache entries the next run reads
    seen = _watch(["audit", DOCUMENT], tmp_path)
    assert seen["before"] == [gc_default_threshold(), False]
    assert seen["imported"] == [100_000, False]
    assert seen["reading"] == [20_000, True]


def test_a_command_that_loads_no_ruleset_sets_the_collector_back_too(tmp_path):
    code = ("import gc, sys\nsys.argv = ['fiscalrules', 'extract', " + repr(DOCUMENT) + ", '-o', "
            + repr(str(tmp_path / "out.json")) + "]\nimport fiscalrules.__main__ as command\n"
            "import fiscalrules.readers as readers\nread = readers.read_documents\n"
            "def watched(*a, **k):\n    print(gc.get_threshold()[0], gc.get_freeze_count() > 0)\n    return read(*a, **k)\n"
            "readers.read_documents = watched\ncommand.run()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["20000", "True"]


def test_a_program_calling_main_keeps_its_collector_as_it_was(tmp_path):
    code = ("import contextlib, gc, io\nfrom fiscalrules.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['audit', {DOCUMENT!r}])\n"
            "print(code, gc.get_threshold()[0], gc.get_freeze_count())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path)))
    assert done.stdout.split() == ["1", str(gc_default_threshold()), "0"]


def gc_default_threshold() -> int:
    """A fresh interpreter's first threshold (700 up to Python 3.12)."""
    done = subprocess.run([sys.executable, "-c", "import gc; print(gc.get_threshold()[0])"], capture_output=True,
                          text=True, check=True)
    return int(done.stdout)


def test_a_warm_audit_imports_no_pathlib_nor_typing(tmp_path):
    """pathlib (with urllib.parse and ipaddress, ~15 M instructions) and typing (~10 M: the library's
    modules name typing's types in annotations only, TYPE_CHECKING = False) are not on a warm
    audit's way: with their imports made to fail, the audit still runs -- an editable install's
    finder imports pathlib before fiscalrules, so its absence from sys.modules cannot be what is
    asserted.  Nor are the modules of other commands' work imported: the check command's, the
    streamed formats' and the frame readers'.  copy (with its look-up of Jython's org.python.core),
    fnmatch (for --select / --ignore) and importlib.util (with importlib and its warnings) are made
    to fail too: ~5 M instructions in all; and signal (its three IntEnum classes: the SIGTERM
    handler of the run is set through _signal) and the json package (~6 M: the pattern entry's
    header is read by json's C scanner, a report's strings escaped by its C function, and the
    JSON formats import it when they write)."""
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path))
    code = ("import contextlib, io, sys\nfrom fiscalrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main(['audit', {DOCUMENT!r}])\n")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)   # the cache warmed
    code = ("import contextlib, io, sys\n"
            "sys.modules['pathlib'] = sys.modules['typing'] = None   # an import of them fails from here on\n"
            "sys.modules['copy'] = sys.modules['fnmatch'] = sys.modules['importlib.util'] = None\n"
            "sys.modules['signal'] = sys.modules['json'] = None\n"
            "from fiscalrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    code = main(['audit', {DOCUMENT!r}])\n"
            "print(code, *(name in sys.modules for name in "
            "('fiscalrules.streaming', 'fiscalrules.cli_check', 'fiscalrules.frames', 'fiscalrules.localise.outside')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    # (localise.outside: for a failure outside every group of the search -- the example's seven
    # failures are all in groups, so its localisation does not import it)
    assert done.stdout.split() == ["1", "False", "False", "False", "False"], done.stderr


def test_a_warm_audit_does_not_unpickle_the_rules_examples(tmp_path):
    """The rules' inline examples (a third of an entry's unpickling) are kept apart in the cache
    entry and read only when a rule's examples are first asked for: a warm audit unpickles the
    entry alone; `fiscalrules test` on the same entry reads them, and they are the parsed ones."""
    env = dict(os.environ, FISCALRULES_CACHE_DIR=str(tmp_path))
    code = ("import contextlib, io, sys\nfrom fiscalrules import cache\nfrom fiscalrules.cli import main\n"
            "decoded = []\nreal = cache.decode\n"
            "cache.decode = lambda data: decoded.append(len(data)) or real(data)\n"
            "out = io.StringIO()\nwith contextlib.redirect_stdout(out):\n    code = main({argv!r})\n"
            "from fiscalrules.ast import Rule\nwaiting = [rule for ruleset in cache._LOADED.values() for rule in ruleset[3].rules\n"
            "           if type(Rule.examples.__get__(rule)) is cache.LaterExamples]\n"
            "print(code, len(decoded), len(waiting))\nprint(out.getvalue())")
    subprocess.run([sys.executable, "-c", code.format(argv=["audit", DOCUMENT])], check=True, env=env,
                   capture_output=True)   # the cache warmed
    audited = subprocess.run([sys.executable, "-c", code.format(argv=["audit", DOCUMENT])], capture_output=True,
                             text=True, env=env)
    code_, decoded, waiting = audited.stdout.splitlines()[0].split()
    assert (code_, decoded) == ("1", "1"), audited.stderr   # the entry, not its examples
    assert int(waiting) > 100   # the rules still waiting for their examples
    tested = subprocess.run([sys.executable, "-c", code.format(argv=["test", "budget_disclosure"])],
                            capture_output=True, text=True, env=env)
    assert tested.stdout.splitlines()[0].split() == ["0", "1", "0"], tested.stderr   # the entry, its examples all read
    fresh = subprocess.run([sys.executable, "-c", code.format(argv=["test", "budget_disclosure"])],
                           capture_output=True, text=True, env=dict(env, FISCALRULES_CACHE="0"))
    assert fresh.stdout.splitlines()[0].split() == ["0", "0", "0"], fresh.stderr   # parsed: nothing unpickled
    assert tested.stdout.splitlines()[1:] == fresh.stdout.splitlines()[1:]
    assert re.search(r"示例 ([1-9]\d*)：通过 \1，不通过 0", fresh.stdout), fresh.stdout
