"""The optional C part of the fast parse (fiscalrules/_cparse.c: fiscalrules.lalr's token loop,
and fiscalrules.ast's node makers).

Everything else is declared in pyproject.toml.  The extension is optional: where it cannot be
built (no C compiler, no Python headers) the install goes on without it and fiscalrules.lalr
runs the same loop in Python.  The source's CRC-32 is compiled in, so that an editable install
whose C source changed since its build uses the Python loop rather than a stale build."""

import zlib
from pathlib import Path

from setuptools import Extension, setup

SOURCE = "fiscalrules/_cparse.c"
CRC = zlib.crc32((Path(__file__).parent / SOURCE).read_bytes())
# fiscalrules/_ckernel.c: the columnar rules' kernels (fiscalrules.columnar.kernel), as optional.
KERNEL = "fiscalrules/_ckernel.c"
KERNEL_CRC = zlib.crc32((Path(__file__).parent / KERNEL).read_bytes())

setup(ext_modules=[Extension("fiscalrules._cparse", [SOURCE], optional=True,
                             define_macros=[("SOURCE_CRC", f"{CRC}UL")]),
                   Extension("fiscalrules._ckernel", [KERNEL], optional=True,
                             define_macros=[("SOURCE_CRC", f"{KERNEL_CRC}UL")])])
