"""The public API: every name of ``fiscalrules.__all__`` documented and typed -- ``mypy --strict``
on the modules that define the exports and on a client of every export (tests/typing/public_api.py,
configured in pyproject.toml) -- and that client running as written."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

import fiscalrules

ROOT = Path(__file__).resolve().parent.parent


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


def test_the_public_api_is_mypy_strict_clean(tmp_path):
    api = pytest.importorskip("mypy.api", reason="mypy is in the test extra")
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not run from a source checkout: the mypy configuration is in pyproject.toml")
    # mypy checks from nothing on every run (its cache in tmp_path): an incremental cache kept
    # between runs would make the verdict depend on what an earlier run left behind.
    cache = tmp_path
    # mypy raises the interpreter's recursion limit for good; put it back, or a later test in
    # this worker that relies on the default limit (test_fastparse's deeply nested rule, E106)
    # sees a different interpreter depending on test order.
    limit = sys.getrecursionlimit()
    # mypy run in this process takes this process's sys.path as its site directories, and pytest
    # puts the checkout (tests/ and its root) on it: the package's own modules then read as an
    # installed package's, whose errors mypy keeps silent -- the test passed where `mypy` from a
    # shell reported 98 errors.  Run it on the interpreter's path without the checkout.
    saved_path = list(sys.path)
    checkout = {ROOT.resolve(), (ROOT / "tests").resolve()}
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() not in checkout]
    try:
        out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache),
                                    str(ROOT / "fiscalrules" / "__init__.py"),
                                    str(ROOT / "tests" / "typing" / "public_api.py")])
    finally:
        sys.path[:] = saved_path
        sys.setrecursionlimit(limit)
    assert status == 0, out + err
