"""The wheel holds every package and data file of the source tree.

Users install the project with ``pip install .`` (not editable: the README's main command), while
the test suite runs an editable checkout (the README's test command, as CI runs it), so a package
directory missing from ``[tool.setuptools] packages`` or a data file no ``package-data`` glob
covers would pass every other test and fail on a user's machine.  These tests catch that in any
checkout.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _package_dirs() -> dict[str, Path]:
    """Dotted package name → directory, for the packages the source tree holds."""
    mapping = CONFIG.get("package-dir", {})
    found = {}
    for init in (ROOT / "fiscalrules").rglob("__init__.py"):
        if "__pycache__" in init.parts:
            continue
        relative = init.parent.relative_to(ROOT)
        found[".".join(relative.parts)] = init.parent
    for name, directory in mapping.items():
        found[name] = ROOT / directory
    return found


def test_every_package_of_the_source_tree_is_listed():
    listed = set(CONFIG["packages"])
    missing = sorted(set(_package_dirs()) - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def _listed_data_packages(found: dict[str, Path]) -> dict[str, Path]:
    """Listed packages that are folders of data, no ``__init__.py`` (``fiscalrules.templates``):
    listing them keeps setuptools from warning, at every install, that it would ignore them."""
    listed = {}
    for name in CONFIG["packages"]:
        parent, _, last = name.rpartition(".")
        if name not in found and parent in found and (found[parent] / last).is_dir():
            listed[name] = found[parent] / last
    return listed


def test_every_data_file_is_covered_by_package_data():
    globs = CONFIG.get("package-data", {})
    built = CONFIG.get("exclude-package-data", {})   # the C extension's sources: setup.py's, the sdist's
    uncovered = []
    packages = _package_dirs()
    packages.update(_listed_data_packages(packages))
    listed_folders = set(packages.values())
    for name, directory in packages.items():
        patterns = globs.get(name, [])
        for path in directory.iterdir():
            # (an extension module built in place by an editable install is setup.py's build, not data)
            if not path.is_file() or path.suffix in (".py", ".pyc", ".so", ".pyd"):
                continue
            if any(fnmatch.fnmatch(path.name, pattern) for pattern in built.get(name, [])):
                continue
            if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
                uncovered.append(f"{name}: {path.name}")
        # data in sub-folders without an __init__.py (templates/, data/…) must be globbed too
        for sub in directory.iterdir():
            if sub.is_dir() and sub.name != "__pycache__" and not (sub / "__init__.py").exists() \
                    and sub not in listed_folders:   # (a listed data package is checked by its own globs)
                for path in sub.rglob("*"):
                    if path.is_file() and "__pycache__" not in path.parts:
                        relative = str(path.relative_to(directory))
                        if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
                            uncovered.append(f"{name}: {relative}")
    assert not uncovered, f"add package-data globs in pyproject.toml for: {uncovered}"


def test_a_wheel_holds_the_c_builds_and_the_sdist_their_sources():
    """A wheel ships the C extensions' builds without their sources (exclude-package-data): no
    package-data glob takes a .c or .h file and the exclusion covers each of them.  setuptools
    puts an extension's sources and depends in the sdist (checked by hand: `python -m build
    --sdist`): setup.py's _cparse extension is _cparse.c, which includes the others, and depends
    on every _cparse*.c and .h (a glob, as its checksum and cparse.py's)."""
    folder = ROOT / "fiscalrules"
    sources = sorted(path.name for path in folder.iterdir() if path.suffix in (".c", ".h"))
    assert {"_cparse.c", "_cparse.h", "_cparse_loop.c"} <= set(sources)
    excluded = CONFIG["exclude-package-data"]["fiscalrules"]
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in excluded) for name in sources)
    assert not any(fnmatch.fnmatch(name, pattern) for name in sources
                   for pattern in CONFIG["package-data"]["fiscalrules"])
    unit = (folder / "_cparse.c").read_text(encoding="utf-8")
    for name in sources:
        if name.startswith("_cparse_") and name.endswith(".c"):
            assert f'#include "{name}"' in unit, name


def test_every_module_imports_first_in_a_fresh_interpreter():
    """A library user may import any module first (``from fiscalrules.evaluator import ...``);
    the package's lazy names must not turn that into a circular import.  One interpreter, the
    package's modules forgotten between imports, so each is the first one imported."""
    import subprocess
    import sys
    names = sorted({".".join(("fiscalrules",) + path.relative_to(ROOT / "fiscalrules").with_suffix("").parts)
                    .removesuffix(".__init__")
                    for path in (ROOT / "fiscalrules").rglob("*.py")
                    if path.name not in ("__main__.py", "pytest_plugin.py")})
    # Each module's code is read from its file once and executed afresh at every import: what is
    # under test is the order the modules run in, and unmarshalling the same files again for each of
    # the ~130 first imports was a quarter of the check's CPU (2.8-3.0 -> 2.1-2.3 s).
    script = (
        "import importlib, importlib.machinery, sys\n"
        "codes, read = {}, importlib.machinery.SourceFileLoader.get_code\n"
        "def get_code(loader, name):\n"
        "    if loader.path not in codes:\n"
        "        codes[loader.path] = read(loader, name)\n"
        "    return codes[loader.path]\n"
        "importlib.machinery.SourceFileLoader.get_code = get_code\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    for key in [k for k in sys.modules if k == 'fiscalrules' or k.startswith('fiscalrules.')]:\n"
        "        del sys.modules[key]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as exc:\n"
        "        failed.append(f'{name}: {exc}')\n"
        "print('\\n'.join(failed))\n")
    result = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, timeout=300,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", result.stdout
    assert len(names) > 50


def test_the_main_install_reads_pdfs():
    """``pip install .`` (the README's main command) must read the PDFs auditors hold: a PDF audit
    without the reader's library stops every document with E703 (session 27's hook saw exactly
    that on the Shanghai PDFs)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {requirement.split(">")[0].split("=")[0].split("[")[0].strip().lower()
             for requirement in project["dependencies"]}
    assert "pypdfium2" in names, project["dependencies"]
    # the extra of earlier releases still installs it, so `pip install "fiscalrules[pdf]"` keeps working
    assert any(r.startswith("pypdfium2") for r in project["optional-dependencies"]["pdf"])
