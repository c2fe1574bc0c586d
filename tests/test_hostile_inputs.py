"""Issue 12's reproductions, each run through the command line in-process: the right exit status
(0, 1 or 2), a message with the right words, and never a Python traceback.

The cases themselves are data in ``tests/hostile_cases.py``; ``tests/fuzz/reproduce.py`` runs the
same cases as separate processes and times them.
"""

from __future__ import annotations

import contextlib
import io
import sys

import pytest

from fiscalrules.cli import main

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from hostile_cases import CASES  # noqa: E402


def run_case(case, folder):
    argv = case.build(folder)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if case.stdout_to:
            target = open(case.stdout_to, "w", encoding="utf-8")
            stack.callback(_close_quietly, target)   # what could not be written is still buffered
            stack.enter_context(contextlib.redirect_stdout(target))
        else:
            stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def _close_quietly(handle):
    try:
        handle.close()
    except OSError:
        pass


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reproduction_exits_cleanly_with_a_message(case, tmp_path):
    code, text = run_case(case, tmp_path)
    assert "Traceback" not in text
    assert code == case.exit, text[-2000:]
    for words in case.words:
        assert words in text, f"{words!r} not in: {text[-2000:]}"
    for words in case.absent:
        assert words not in text
