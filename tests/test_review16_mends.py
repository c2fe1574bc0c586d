"""Review 16 B's findings, each kept mended: an interrupt while the workers are forked, read-error
texts that do not depend on ``--jobs``, the chunks a pool is handed, a dead worker's message, an
interrupted ``-o`` file, ``evaluate_table``'s argument checks and the error a run with workers
raises."""

from __future__ import annotations

import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import parallel  # noqa: E402

SMALL = '''
unit 万元
precision 万元 0.01
field total "合计": amount
field a: amount
field b: amount default 0
field t: table(code: text, x: amount)
rule SUM: total = a + b
rule POS { when present(b) assert b >= 0 }
rule ROWS: for each r in t where count(children(r)) > 0: r.x = sum(children(r).x)
rule BIG: total <= 100000000
'''
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="workers are forked from the caller on Linux")


def _small_rules(tmp_path):
    rules = tmp_path / "small.rules"
    rules.write_text(SMALL, encoding="utf-8")
    return rules


# -- B7: Ctrl-C / SIGTERM while the workers are forked -------------------------------------------
_INTERRUPTED_FORK = '''
import os
import signal
import sys
from fiscalrules.columnar import parallel
from fiscalrules.cli import main

sent = []


def interrupt_at_first_fork():   # (a fork hook: where Python drops a KeyboardInterrupt as "unraisable")
    if not sent:
        sent.append(os.getpid())
        os.kill(os.getpid(), getattr(signal, sys.argv[1]))


if __name__ == "__main__":
    parallel.MIN_SHARE = 1
    os.register_at_fork(before=interrupt_at_first_fork)
    sys.exit(main(sys.argv[2:]))
'''


@linux_only
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_an_interrupt_while_the_workers_are_forked_is_not_lost(tmp_path, signame):
    """The signal comes in the middle of the first fork (from a fork hook, as logging's lock is
    taken there): it is held until the forks are done, then interrupts the run -- exit 2,
    "interrupted", no "Exception ignored" and no whole output."""
    rules = _small_rules(tmp_path)
    pq.write_table(pa.table({"合计": ["3.00"] * 9, "a": ["1.00"] * 9, "b": ["2.00"] * 9}), tmp_path / "r.parquet")
    script = tmp_path / "check.py"
    script.write_text(_INTERRUPTED_FORK, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, str(script), signame, "check", str(rules), "-r", str(tmp_path / "r.parquet"),
                           "--engine", "columnar", "--format", "jsonl", "-o", str(out), "--jobs", "3",
                           "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "interrupted" in done.stderr
    assert "Exception ignored" not in done.stderr
    assert "records 9" not in done.stderr
