"""The public API: every name of ``fiscalrules.__all__`` documented, and the typed client of
tests/typing/public_api.py (which ``mypy --strict`` checks in .ci/run) running as written."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import fiscalrules


def test_every_public_name_and_member_has_a_docstring():
    missing = []
    for name in fiscalrules.__all__:
        obj = getattr(fiscalrules, name)
        if not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                function = value.fget if isinstance(value, property) else value
                if callable(function) and not getattr(function, "__doc__", None):
                    missing.append(f"{name}.{attr}")
    assert missing == []


def test_the_typed_client_runs():
    path = Path(__file__).resolve().parent / "typing" / "public_api.py"
    spec = importlib.util.spec_from_file_location("public_api_client", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()
