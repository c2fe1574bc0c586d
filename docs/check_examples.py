"""Check the examples in the documentation against the code.

    python docs/check_examples.py [DOC.md ...]        (default: every docs/*.md that has examples)

For every fenced block whose info string is ``rules``:

* the block is written to a file in a scratch folder and loaded with ``fiscalrules.load_ruleset``
  (so ``include`` works between blocks), then every inline ``example`` of its rules is run and must
  behave as it says (``example pass`` passes, ``example fail`` fails);
* an HTML comment on the line before the fence changes what is expected:
  ``<!-- file: NAME -->``  also keep the block as NAME in the scratch folder, for later includes;
  ``<!-- expect: E201 E204 -->``  the block must be refused with exactly these diagnostic codes
  (``lint`` is used, so syntax errors and check errors are both seen);
  ``<!-- skip -->``  do not check this block (none of the docs use it; it is here for drafts).

For every fenced block whose info string is ``python``, preceded by ``<!-- run -->``: the block
is executed (from the repository root, with ``fiscalrules`` importable); its ``assert`` statements
are the claims it makes.

For every fenced block whose info string is ``console``, preceded by ``<!-- run -->``: each line
starting with ``$ fiscalrules`` is run as ``python -m fiscalrules`` from the repository root, and
a ``<!-- exit: N -->`` comment (default 0) gives the exit status it must end with.  The test suite
runs them in-process instead (``check(docs, in_process=True)``: ``fiscalrules.cli.main`` with its
output captured), as every other CLI test does; the entry point itself is tested once, elsewhere.

Exits 0 when every example behaves, 1 otherwise, listing each one that does not.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fiscalrules  # noqa: E402

FENCE = re.compile(r"^```(\w*)\s*$")
DIRECTIVE = re.compile(r"<!--\s*([a-z]+)\s*:?\s*(.*?)\s*-->")


def blocks(path: Path):
    """(language, start line, text, directives) for each fenced block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match or not match.group(1):
            i += 1
            continue
        lang, start = match.group(1), i + 1
        directives = {}
        j = i - 1
        while j >= 0 and lines[j].strip().startswith("<!--"):
            for key, value in DIRECTIVE.findall(lines[j]):
                directives[key] = value
            j -= 1
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        yield lang, start, "\n".join(body) + "\n", directives
        i += 1


class Checker:
    def __init__(self, in_process: bool = False):
        self.in_process = in_process
        self.failures: list[str] = []
        self.counts = {"rules": 0, "examples": 0, "refused": 0, "python": 0, "console": 0}

    def fail(self, where: str, message: str):
        self.failures.append(f"{where}: {message}")

    def rules_block(self, where, text, directives, scratch: Path, index: int):
        name = directives.get("file") or f"block{index}.rules"
        path = scratch / name
        path.write_text(text, encoding="utf-8")
        expected = directives.get("expect")
        if expected is not None:
            codes = sorted(d.code for d in fiscalrules.lint([path]))
            if codes != sorted(expected.split()):
                self.fail(where, f"expected diagnostics {sorted(expected.split())}, got {codes}")
            self.counts["refused"] += 1
            return
        try:
            ruleset = fiscalrules.load_ruleset(path)
        except fiscalrules.FiscalRulesError as exc:
            self.fail(where, "does not compile:\n" + exc.format())
            return
        self.counts["rules"] += 1
        for result in ruleset.run_examples():
            self.counts["examples"] += 1
            if not result.ok:
                got = ", ".join(result.statuses) or "nothing"
                self.fail(f"{where} (block line {result.line})",
                          f"rule {result.rule} example {result.index} should {result.expect}, got {got}"
                          + (f": {result.detail}" if result.detail else ""))

    def python_block(self, where, text):
        self.counts["python"] += 1
        cwd = os.getcwd()
        try:
            os.chdir(ROOT)
            with contextlib.redirect_stdout(io.StringIO()):  # the example's printing is not checked
                exec(compile(text, where, "exec"), {"__name__": "__doc_example__"})
        except Exception:  # noqa: BLE001 - any failure of the example is reported
            self.fail(where, "raised:\n" + traceback.format_exc(limit=3))
        finally:
            os.chdir(cwd)

    def console_block(self, where, text, directives):
        self.counts["console"] += 1
        expected = int(directives.get("exit", "0") or 0)
        for line in text.splitlines():
            if not line.startswith("$ fiscalrules"):
                continue
            args = shlex.split(line[len("$ fiscalrules"):])
            if self.in_process:
                returncode, stderr = _run_in_process(args)
            else:
                done = subprocess.run([sys.executable, "-m", "fiscalrules"] + args, cwd=ROOT, capture_output=True,
                                      text=True, encoding="utf-8")
                returncode, stderr = done.returncode, done.stderr
            if returncode != expected:
                self.fail(where, f"`{line[2:]}` exited {returncode}, expected {expected}\n" + stderr[-2000:])
            if "Traceback" in stderr:
                self.fail(where, f"`{line[2:]}` printed a traceback:\n{stderr[-2000:]}")


def _run_in_process(args: list) -> tuple:
    """``fiscalrules ARGS`` through ``fiscalrules.cli.main`` from the repository root: the exit
    status and what it wrote to stderr (an exception escaping ``main`` is a traceback)."""
    from fiscalrules import cli

    cwd = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                returncode = cli.main(args)
            except SystemExit as exc:  # argparse refusing the command line
                returncode = exc.code if isinstance(exc.code, int) else 2
    except Exception:  # noqa: BLE001 - escaping main is what a traceback on the console would be
        return 1, err.getvalue() + traceback.format_exc()
    finally:
        os.chdir(cwd)
    return returncode, err.getvalue()


def documented() -> list:
    """Every docs/*.md (the default of the command line)."""
    return sorted((ROOT / "docs").glob("*.md"))


def check(docs, in_process: bool = False) -> Checker:
    """Check the examples of *docs*; the checker holds the counts and the failures."""
    checker = Checker(in_process)
    with tempfile.TemporaryDirectory(prefix="fiscalrules-docs-") as tmp:
        for doc in docs:
            scratch = Path(tmp) / doc.stem
            scratch.mkdir()
            for index, (lang, line, text, directives) in enumerate(blocks(doc), start=1):
                where = f"{doc.relative_to(ROOT) if doc.is_absolute() and doc.is_relative_to(ROOT) else doc}:{line}"
                if "skip" in directives:
                    continue
                if lang == "rules":
                    checker.rules_block(where, text, directives, scratch, index)
                elif lang == "python" and "run" in directives:
                    checker.python_block(where, text)
                elif lang == "console" and "run" in directives:
                    checker.console_block(where, text, directives)
    return checker


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    checker = check([Path(p) for p in argv] or documented())
    c = checker.counts
    print(f"{c['rules']} rule blocks compiled, {c['examples']} inline examples run, "
          f"{c['refused']} blocks refused as expected, {c['python']} Python blocks run, "
          f"{c['console']} console blocks run")
    for failure in checker.failures:
        print("FAIL " + failure)
    if checker.failures:
        print(f"{len(checker.failures)} example(s) do not behave as documented")
        return 1
    print("every example behaves as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
