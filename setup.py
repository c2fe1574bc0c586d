"""The optional C parts: the fast parse (fiscalrules/_cparse.c: fiscalrules.lalr's token loop,
and fiscalrules.ast's node makers) and the columnar reading's row loops (fiscalrules/_ccolumns.c).

Everything else is declared in pyproject.toml.  The extension is optional: where it cannot be
built (no C compiler, no Python headers) the install goes on without it and fiscalrules.lalr
runs the same loop in Python.  The source's CRC-32 is compiled in, so that an editable install
whose C source changed since its build uses the Python loop rather than a stale build."""

import zlib
from pathlib import Path

from setuptools import Extension, setup

SOURCE = "fiscalrules/_cparse.c"
CRC = zlib.crc32((Path(__file__).parent / SOURCE).read_bytes())
# The columnar reading's row loops (fiscalrules/columnar/rowloops.py), optional in the same way.
COLUMNS = "fiscalrules/_ccolumns.c"
COLUMNS_CRC = zlib.crc32((Path(__file__).parent / COLUMNS).read_bytes())

setup(ext_modules=[Extension("fiscalrules._cparse", [SOURCE], optional=True,
                             define_macros=[("SOURCE_CRC", f"{CRC}UL")]),
                   Extension("fiscalrules._ccolumns", [COLUMNS], optional=True,
                             define_macros=[("SOURCE_CRC", f"{COLUMNS_CRC}UL")])])
