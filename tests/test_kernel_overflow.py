"""The row program's kernel (``_ckernel_rows.c``) computes nothing on the integers of a stopped
row: a missing or refused cell holds no figure, and the writer (fiscalrules.columnar.rowprog)
checks the bounds of the rows that hold one only -- a factor (RP_LD, RP_SCALE), a product
(RP_MUL) or a bound (RP_LDB) of whatever a stopped row's integer is could pass int64, which is
undefined behaviour in C even where the result is discarded.  The extensions are built with
``-fwrapv`` (Python's flags), under which such an overflow wraps silently: this test builds the
kernel again without it and with the undefined-behaviour sanitizer aborting on a signed overflow,
and runs programs over stopped rows holding integers near 2**62 in a child process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

SOURCE = Path(__file__).resolve().parent.parent / "fiscalrules" / "_ckernel.c"

CHILD = textwrap.dedent('''
    import importlib.util, sys
    import numpy as np
    spec = importlib.util.spec_from_file_location("_ckernel", sys.argv[1])
    kernel = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kernel)
    LDC, LD, LDB, SCALE, ADD, MUL, CMP, FINAL = 0, 1, 2, 4, 5, 7, 10, 17
    huge = 2 ** 62 + 12345
    values = np.array([huge, 7, -huge, 3, huge] * 100, dtype=np.int64)     # (the huge ones stopped)
    lows, highs = values - 1, values + 1
    missing = np.array([True, False, False, False, True] * 100)
    refused = np.array([False, False, True, False, False] * 100)
    inputs = (values, missing, refused, lows, highs)
    programs = {
        "a factor": [LD, 0, 0, 1000, -1, 1, 1, 2, LDC, 1, 0, 0, 0, CMP, 0, 0, 0, 0],
        "a scale": [LD, 0, 0, 1, -1, 0, 1, 2, SCALE, 0, 1000, LDC, 1, 0, 0, 0, CMP, 0, 0, 0, 0],
        "a product": [LD, 0, 0, 1, -1, 0, 1, 2, LD, 1, 0, 1, -1, 0, 1, 2, MUL, 0, LDC, 1, 0, 0, 0, CMP, 0, 0, 0, 0],
        "bounds": [LD, 0, 0, 1000, -1, 0, 1, 2, LDB, 0, 3, 4, 1000, LDC, 1, 0, 0, 0, CMP, 0, 0, 0, 0],
        "a sum": [LD, 0, 0, 1, -1, 0, 1, 2, LD, 1, 0, 1, -1, 0, 1, 2, ADD, 0, LDC, 1, 0, 0, 0, CMP, 0, 0, 0, 0],
    }
    for name, code in programs.items():
        codes = np.empty(len(values), dtype=np.int8)
        kernel.rows_program(np.array(code + [FINAL, 0, -1], dtype=np.int64), inputs, 3, codes, None)
        # (rows 0, 4 missing: not evaluable; row 2 refused: an error; rows 1, 3 hold 7 and 3, not 0)
        assert codes[:5].tolist() == [4, 2, 5, 2, 4], (name, codes[:5].tolist())
    print("ok")
''')


@pytest.fixture(scope="module")
def sanitized_kernel(tmp_path_factory):
    """The kernel built without -fwrapv, signed overflow aborting (UBSan), or a skip saying why."""
    compiler = shutil.which(os.environ.get("CC", "gcc")) or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler")
    out = tmp_path_factory.mktemp("ubsan") / ("_ckernel" + sysconfig.get_config_var("EXT_SUFFIX"))
    command = [compiler, "-shared", "-fPIC", "-O2", "-fno-wrapv", "-fsanitize=signed-integer-overflow",
               "-fno-sanitize-recover=all", "-DSOURCE_CRC=0UL", f"-I{sysconfig.get_paths()['include']}",
               str(SOURCE), "-o", str(out)]
    built = subprocess.run(command, capture_output=True, text=True)
    if built.returncode:
        pytest.skip(f"the sanitized kernel does not build here: {built.stderr[-300:]}")
    return out


def test_no_signed_overflow_on_the_integers_of_stopped_rows(sanitized_kernel):
    """Fails on the kernel of session 26 (``runtime error: signed integer overflow`` at RP_LD's
    ``v[j] * f``): a missing cell's integer multiplied by its leaf's factor."""
    ran = subprocess.run([sys.executable, "-c", CHILD, str(sanitized_kernel)], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr[-2000:]
