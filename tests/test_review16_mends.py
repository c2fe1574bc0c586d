"""Review 16 B's findings (/work/team/review16_B.md), each kept mended."""

from __future__ import annotations

import subprocess
import sys

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from test_columnar_parallel import SMALL  # noqa: E402  (the small ruleset, with a table t)

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
