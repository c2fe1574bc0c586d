"""The pytest plugin: ``pytest path/to/rules/`` runs every inline example of every rule file.

Registered under the ``pytest11`` entry point as ``fiscalrules``, so it is active wherever
fiscalrules is installed.  Each ``*.rules`` file pytest meets (files whose name starts with ``_``
are parts other files include, and are skipped) becomes a collector; each ``example`` of each of
its rules a test item with a readable id, ``demo.rules::INC-1#2-fail``.  An example passes when
the rule does what it says -- ``pass``, ``fail``, ``not applicable`` or ``not evaluable`` -- and
fails with the rule's findings (not a traceback) when it does not.  A rule file that cannot be
loaded is one failing item, ``demo.rules::load``, showing every diagnostic.

Switch collection off with ``-p no:fiscalrules`` or the ini option ``fiscalrules_collect = false``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from .testing.examples import ExampleCase

# fiscalrules itself is imported only when a rule file is collected: the plugin is loaded by every
# pytest run wherever fiscalrules is installed, and most of those runs have no rule file.

__all__ = ["RulesFile", "RuleExampleItem", "pytest_collect_file", "pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ini option ``fiscalrules_collect`` (default true) and ``--rules-lang``."""
    parser.addini("fiscalrules_collect", "collect the inline examples of *.rules files", type="bool", default=True)
    parser.addoption("--rules-lang", choices=("zh", "en"), default="en",
                     help="language of failing examples' messages (fiscalrules; default: en)")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> RulesFile | None:
    """A ``*.rules`` file (not an included ``_part.rules``) as a collector of its examples."""
    if file_path.suffix != ".rules" or file_path.name.startswith("_"):
        return None
    if not parent.config.getini("fiscalrules_collect"):
        return None
    return RulesFile.from_parent(parent, path=file_path)


class RulesFile(pytest.File):
    """A rule file: one item per inline example (or one failing ``load`` item)."""

    def collect(self) -> Iterator[RuleExampleItem]:
        from .testing.examples import example_cases
        for case in example_cases(str(self.path), allow_outside=True):
            name = "load" if case.rule is None else f"{case.rule}#{case.index}-{case.expect}"
            yield RuleExampleItem.from_parent(self, name=name, case=case)


class RuleExampleItem(pytest.Item):
    """One inline example of one rule."""

    def __init__(self, *, case: ExampleCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        if case.rule is not None:
            self.add_marker(pytest.mark.fiscalrules)

    def runtest(self) -> None:
        from .testing.examples import check_example
        check_example(self.case, lang=self.config.getoption("--rules-lang", default="en"))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, AssertionError):
            # the rule's own findings say what happened; no traceback.  Control characters of the
            # rule file (an example's text value) as escapes, as `fiscalrules test` shows them.
            from .errors import terminal_text
            return terminal_text(str(excinfo.value))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = (self.case.line - 1) if self.case.line else None
        return self.path, line, self.name


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker every example item carries (``-m fiscalrules`` selects them)."""
    config.addinivalue_line("markers", "fiscalrules: an inline example of a fiscalrules rule file")
