"""Shared test setup: make the source tree importable and offer small helpers.

The suite runs both against an installed package (CI: ``pip install ".[test]" && python -m pytest``)
and straight from a checkout (``.venv/bin/pytest tests/``); in the latter case the repository root
is put on ``sys.path`` so ``import fiscalrules`` finds the source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture
def cases_dir() -> Path:
    return CASES
