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

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # for type checkers: the names __getattr__ below provides on first use
    from .errors import (Diagnostic, FiscalRulesError, Location, ReaderError, RecordError, RuleCheckError,
                         RulesetNotFound, RuleSyntaxError)
    from .findings import Finding, Operand, Report, Side, Status
    from .loader import ExampleResult, Ruleset, bundled_rulesets, compile_rules, lint, load_ruleset
    from .parser import parse, parse_expression
    from .records import Figure, Record, Source, load_record, load_records, read_records
    from .values import Quantity, Tolerance


def __getattr__(name: str) -> Any:
    import importlib
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value   # found directly next time
        return value
    if not name.startswith("_"):
        # A submodule used as an attribute (``fiscalrules.values.decide`` after ``import
        # fiscalrules``), as when this file imported the modules of the exports itself.
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module 'fiscalrules' has no attribute {name!r}")


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
