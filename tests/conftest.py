"""Shared test setup: make the source tree importable and offer small helpers.

The suite runs both against an installed package (CI: ``pip install ".[test]" && python -m pytest``)
and straight from a checkout (``.venv/bin/pytest tests/``); in the latter case the repository root
is put on ``sys.path`` so ``import fiscalrules`` finds the source.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Write compiled bytecode (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE is set.
# The suite imports the package from the checkout, not from a copy pip compiled at install, so
# without it every xdist worker compiles every module from source on every run (about 5 CPU
# seconds each), pytest rewrites every test module's asserts again, and every command-line
# subprocess a test starts compiles what it imports (the fresh-interpreter import test compiled
# the package ~120 times).  Nothing a test checks depends on where the code was compiled.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)   # and the subprocesses the tests start

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def cases_dir() -> Path:
    return CASES
