"""Run issue 12's reproductions (tests/hostile_cases.py) as commands, each in a fresh process, and
print a table: reproduction → exit status → first line of the message → seconds → peak memory.

    python tests/fuzz/reproduce.py [--timeout SECONDS]

Exit status 0 when every reproduction ends with its expected exit status, within the timeout,
with its words and without a traceback; 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))

from hostile_cases import CASES  # noqa: E402

# The command, with the child's own peak memory appended to its standard error.
BOOT = ("import resource, sys\nfrom fiscalrules.cli import main\ncode = main(sys.argv[1:])\n"
        "sys.stderr.write('\\n@peak %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(code)\n")


def _message(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if any(w in line for w in ("E1", "E2", "E3", "E4", "E5", "cannot", "error", "无法读取", "汇总")):
            return line if len(line) <= 110 else line[:109] + "…"
    return (text.strip().splitlines() or [""])[0][:110]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    bad = 0
    rows = []
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="fiscalrules-repro-") as folder:
            argv = case.build(Path(folder)) + ["--lang", "en"]
            stdout = open(case.stdout_to, "w") if case.stdout_to else subprocess.PIPE
            started = time.perf_counter()
            try:
                done = subprocess.run([sys.executable, "-c", BOOT, *argv], stdout=stdout,
                                      stderr=subprocess.PIPE, timeout=args.timeout, cwd=folder,
                                      env={**os.environ, "PYTHONPATH": str(ROOT)})
                code, out = done.returncode, (done.stdout or b"").decode("utf-8", "replace") + \
                    done.stderr.decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                code, out = None, "HANG"
            seconds = time.perf_counter() - started
            if case.stdout_to:
                stdout.close()
            found = re.search(r"@peak (\d+)", out)
            peak = int(found.group(1)) / 1024 if found else None
            out = re.sub(r"\n@peak \d+\n", "", out)
        stdout_text = (done.stdout or b"").decode("utf-8", "replace") if code is not None else ""
        ok = (code == case.exit and "Traceback" not in out and all(w in out for w in case.words)
              and not any(w in out for w in case.absent) and (case.check is None or case.check(stdout_text)))
        bad += not ok
        rows.append((case.name, code, _message(out).replace(folder, "…"), seconds, peak, ok))
    print("| reproduction | exit | message | seconds | peak MB |")
    print("| --- | --- | --- | --- | --- |")
    for name, code, message, seconds, peak, ok in rows:
        mark = "" if ok else " **UNEXPECTED**"
        shown = f"{peak:.0f}" if peak else "?"
        print(f"| {name} | {code}{mark} | {message.replace('|', '/')} | {seconds:.1f} | {shown} |")
    print(f"\n{len(rows) - bad} of {len(rows)} as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
