"""fiscalrules: declarative, exact consistency rules for government budget disclosures.

The public API::

    import fiscalrules
    rules = fiscalrules.compile_rules(text)            # or fiscalrules.load_ruleset("file.rules")
    report = rules.evaluate({"income": {"total": "10", ...}})
    print(report.to_table())

Stages, one module each: ``grammar.lark`` and :mod:`.parser` (text → :mod:`.ast`),
:mod:`.checker` (names, types, units), :mod:`.evaluator` (closures, findings), :mod:`.values`
(decimal intervals and tolerance), :mod:`.records`, :mod:`.findings`, :mod:`.reporters`,
:mod:`.loader` (rule files, includes, bundled rulesets), :mod:`.cli` and :mod:`.readers`.
"""

from __future__ import annotations

__version__ = "0.1.0"

# Each public name and the module defining it, imported on first use (PEP 562): the command line
# rebuilds its regular expressions from the last run's (:mod:`.patterncache`) before the modules
# that compile patterns as they load are imported, and a program using one part of the library
# does not pay for the others (the parser and lark, say).
_EXPORTS = {
    **dict.fromkeys(("Diagnostic", "FiscalRulesError", "Location", "ReaderError", "RecordError", "RuleCheckError",
                     "RulesetNotFound", "RuleSyntaxError"), "errors"),
    **dict.fromkeys(("Finding", "Operand", "Report", "Side", "Status"), "findings"),
    **dict.fromkeys(("ExampleResult", "Ruleset", "bundled_rulesets", "compile_rules", "lint", "load_ruleset"),
                    "loader"),
    **dict.fromkeys(("Figure", "Record", "Source", "load_record", "load_records", "read_records"), "records"),
    **dict.fromkeys(("Quantity", "Tolerance"), "values"),
    **dict.fromkeys(("parse", "parse_expression"), "parser"),
}

# typing is not imported: the command line's start does without it (~10 M instructions); type
# checkers take this name as true wherever it is defined.
TYPE_CHECKING = False
if TYPE_CHECKING:  # for type checkers: the names __getattr__ below provides on first use
    from typing import Any
    from .errors import (Diagnostic, FiscalRulesError, Location, ReaderError, RecordError, RuleCheckError,
                         RulesetNotFound, RuleSyntaxError)
    from .findings import Finding, Operand, Report, Side, Status
    from .loader import ExampleResult, Ruleset, bundled_rulesets, compile_rules, lint, load_ruleset
    from .parser import parse, parse_expression
    from .records import Figure, Record, Source, load_record, load_records, read_records
    from .values import Quantity, Tolerance


def __getattr__(name: str) -> Any:
    # Static imports only (a rule file must never be able to choose what is imported): the
    # parser for its two names; otherwise what this file once imported itself -- every other
    # public name's module, and with them the submodules a caller may reach as attributes after
    # ``import fiscalrules`` (``fiscalrules.values.decide``).
    if name in ("parse", "parse_expression"):
        import fiscalrules.parser  # noqa: F401
    elif name not in _EXPORTS and _importing_the_package():
        # ``from . import ast`` in a module being imported asks the package for ``ast`` first:
        # "not yet" lets the import system import it in its own order; importing the export
        # modules from here instead would re-enter the half-imported module (a circular import
        # whenever e.g. fiscalrules.evaluator or fiscalrules.columnar is the first one imported).
        raise AttributeError(f"module 'fiscalrules' has no attribute {name!r}")
    elif not name.startswith("__"):
        import fiscalrules.errors  # noqa: F401
        import fiscalrules.findings  # noqa: F401
        import fiscalrules.loader  # noqa: F401
        import fiscalrules.records  # noqa: F401
        import fiscalrules.values  # noqa: F401
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(globals()[module], name)
        globals()[name] = value   # found directly next time
        return value
    if name in globals():   # a submodule, now an attribute of the package
        return globals()[name]
    raise AttributeError(f"module 'fiscalrules' has no attribute {name!r}")


def _importing_the_package() -> bool:
    """Whether one of this package's modules is being executed by the import system right now
    (its spec is marked ``_initializing`` until it has run, as importlib itself reads it to
    report a partially initialised module)."""
    import sys
    return any(key.startswith("fiscalrules.") and getattr(getattr(module, "__spec__", None), "_initializing", False)
               for key, module in list(sys.modules.items()))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "compile_rules", "load_ruleset", "bundled_rulesets", "lint", "parse", "parse_expression",
    "load_record", "load_records", "read_records",
    "Ruleset", "Report", "Finding", "Status", "Side", "Operand", "ExampleResult",
    "Record", "Figure", "Source", "Quantity", "Tolerance",
    "FiscalRulesError", "RuleSyntaxError", "RuleCheckError", "RecordError", "ReaderError",
    "RulesetNotFound", "Diagnostic", "Location",
]
