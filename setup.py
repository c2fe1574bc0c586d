"""The optional C parts: fiscalrules._cparse, the fast parse (fiscalrules.lalr's token loop, and
fiscalrules.ast's node makers), one extension built from fiscalrules/_cparse.c, which includes
the other _cparse_*.c files (and _cparse.h); fiscalrules._ckernel, the columnar rules' kernels;
fiscalrules._ccolumns, the columnar reading's row loops.

Everything else is declared in pyproject.toml.  The extensions are optional: where they cannot be
built (no C compiler, no Python headers) the install goes on without them and the same code runs
in Python.  Each extension's sources' CRC-32 is compiled in (for _cparse: every _cparse*.c and .h
by name, as fiscalrules.cparse reads them), so that an editable install whose C sources changed
since its build uses the Python code rather than a stale build.

The C sources go into the sdist (setuptools adds an extension's sources and depends), not into a
wheel (pyproject.toml: exclude-package-data): a wheel has the builds, and with no source beside a
build there is nothing to compare it with, so it is used."""

import zlib
from pathlib import Path

from setuptools import Extension, setup

FOLDER = Path(__file__).parent / "fiscalrules"
PARSE_FILES = sorted(path.name for path in FOLDER.glob("_cparse*.[ch]"))
CRC = 0
for name in PARSE_FILES:
    CRC = zlib.crc32((FOLDER / name).read_bytes(), CRC)
# fiscalrules/_ckernel.c: the columnar rules' kernels (fiscalrules.columnar.kernel), as optional;
# it includes the other _ckernel_*.c files (their CRC taken as for _cparse's, by file name).
KERNEL = "fiscalrules/_ckernel.c"
KERNEL_FILES = sorted(path.name for path in FOLDER.glob("_ckernel*.[ch]"))
KERNEL_CRC = 0
for name in KERNEL_FILES:
    KERNEL_CRC = zlib.crc32((FOLDER / name).read_bytes(), KERNEL_CRC)
# fiscalrules/_ccolumns.c: the columnar reading's row loops (fiscalrules.columnar.rowloops), as optional.
# it includes _ccolumns_plain.c (their CRC taken as for _cparse's, by file name).
COLUMNS = "fiscalrules/_ccolumns.c"
COLUMNS_FILES = sorted(path.name for path in FOLDER.glob("_ccolumns*.[ch]"))
COLUMNS_CRC = 0
for name in COLUMNS_FILES:
    COLUMNS_CRC = zlib.crc32((FOLDER / name).read_bytes(), COLUMNS_CRC)

setup(ext_modules=[Extension("fiscalrules._cparse", ["fiscalrules/_cparse.c"], optional=True,
                             depends=[f"fiscalrules/{name}" for name in PARSE_FILES if name != "_cparse.c"],
                             define_macros=[("SOURCE_CRC", f"{CRC}UL")]),
                   Extension("fiscalrules._ckernel", [KERNEL], optional=True,
                             depends=[f"fiscalrules/{name}" for name in KERNEL_FILES if name != "_ckernel.c"],
                             define_macros=[("SOURCE_CRC", f"{KERNEL_CRC}UL")]),
                   Extension("fiscalrules._ccolumns", [COLUMNS], optional=True,
                             depends=[f"fiscalrules/{name}" for name in COLUMNS_FILES if name != "_ccolumns.c"],
                             define_macros=[("SOURCE_CRC", f"{COLUMNS_CRC}UL")])])
