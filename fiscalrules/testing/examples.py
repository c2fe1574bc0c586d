"""Inline examples as pytest tests: every ``example pass|fail {…}`` of a rule file as an
:class:`ExampleCase` (:func:`example_cases`), run by :func:`check_example`, collected by
:func:`pytest_examples`.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ..errors import FiscalRulesError
from ..loader import Ruleset, load_ruleset


@attrs.frozen
class ExampleCase:
    """One inline example of one rule of a rule file (or the file itself, when it cannot load)."""

    source: str
    rule: str | None
    index: int
    expect: str
    line: int | None = None
    allow_outside: bool = False

    @property
    def id(self) -> str:
        name = Path(self.source).name
        if self.rule is None:
            return f"{name}::load"
        return f"{name}::{self.rule}#{self.index}-{self.expect}"


_EXAMPLE_RULESETS: dict = {}


def _load_cached(source: str, allow_outside: bool) -> Ruleset:
    key = (str(Path(source).resolve()) if Path(source).exists() else source, allow_outside)
    rs = _EXAMPLE_RULESETS.get(key)
    if rs is None:
        rs = _EXAMPLE_RULESETS[key] = load_ruleset(source, allow_outside=allow_outside)
    return rs


def example_cases(*paths, allow_outside: bool = False) -> list:
    """Every inline example of the given rule files (or bundled ruleset names) as
    :class:`ExampleCase`; a file that cannot be loaded gives one case that fails with the reason."""
    cases = []
    for entry in _flatten_paths(paths):
        source = str(entry)
        try:
            rs = _load_cached(source, allow_outside)
        except FiscalRulesError:
            cases.append(ExampleCase(source, None, 0, "load", None, allow_outside))
            continue
        for compiled in sorted(rs.rules, key=lambda r: (r.rule.span.file or "", r.rule.span.line)):
            for index, example in enumerate(compiled.rule.examples, start=1):
                cases.append(ExampleCase(source, compiled.id, index, example.expect,
                                         example.span.line or None, allow_outside))
    return cases


def _flatten_paths(paths):
    for entry in paths:
        if isinstance(entry, (list, tuple)):
            yield from _flatten_paths(entry)
        else:
            yield entry


def check_example(case: ExampleCase, lang: str = "en") -> None:
    """Run one example; raise AssertionError saying what the rule did instead."""
    try:
        results = _example_results(case.source, case.allow_outside)
    except FiscalRulesError as exc:
        # the first line names the place (pytest's summary shows only that line)
        raise AssertionError(f"{exc.format()}\n({case.source} cannot be loaded: no example of it ran)") from None
    result = results.get((case.rule, case.index))
    if result is None:
        raise AssertionError(f"{case.source}: rule {case.rule} has no example {case.index}")
    if not result.ok:
        raise AssertionError(result.describe(lang) if result.file else f"{case.source}: {result.describe(lang)}")


_EXAMPLE_RESULTS: dict = {}


def _example_results(source: str, allow_outside: bool) -> dict:
    """Every example's result of the (cached) ruleset, by (rule, index): run once per rule file.
    ``Ruleset.run_examples`` runs them all, so a check per example running it made a file of N
    examples cost N² (689 examples of the bundled files: ~28 CPU seconds instead of ~0.1)."""
    rs = _load_cached(source, allow_outside)
    results = _EXAMPLE_RESULTS.get(id(rs))   # the cached rulesets stay loaded: an id is never reused
    if results is None:
        results = _EXAMPLE_RESULTS[id(rs)] = {}
        for result in rs.run_examples():
            results.setdefault((result.rule, result.index), result)
    return results


def pytest_examples(*paths, allow_outside: bool = False):
    """A pytest test function running every inline example of the given rule files, one test
    per example.  In a test module::

        from fiscalrules.testing import pytest_examples
        test_rule_examples = pytest_examples("rules/my_checks.rules")
    """
    import pytest

    cases = example_cases(*paths, allow_outside=allow_outside)

    @pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in cases])
    def test_rule_example(case):
        check_example(case)

    return test_rule_example
