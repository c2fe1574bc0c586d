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

from .errors import (Diagnostic, FiscalRulesError, Location, ReaderError, RecordError, RuleCheckError,
                     RulesetNotFound, RuleSyntaxError)
from .findings import Finding, Operand, Report, Side, Status
from .loader import ExampleResult, Ruleset, bundled_rulesets, compile_rules, lint, load_ruleset
from .records import Figure, Record, Source, load_record, load_records, read_records
from .values import Quantity, Tolerance

__version__ = "0.1.0"


if TYPE_CHECKING:  # for type checkers: the names __getattr__ below provides on first use
    from .parser import parse, parse_expression


def __getattr__(name: str) -> Any:
    # The parser (and lark with it) is imported on first use: a CLI run whose ruleset comes from
    # the cache never needs it.
    if name in ("parse", "parse_expression"):
        from . import parser
        return getattr(parser, name)
    raise AttributeError(f"module 'fiscalrules' has no attribute {name!r}")

__all__ = [
    "compile_rules", "load_ruleset", "bundled_rulesets", "lint", "parse", "parse_expression",
    "load_record", "load_records", "read_records",
    "Ruleset", "Report", "Finding", "Status", "Side", "Operand", "ExampleResult",
    "Record", "Figure", "Source", "Quantity", "Tolerance",
    "FiscalRulesError", "RuleSyntaxError", "RuleCheckError", "RecordError", "ReaderError",
    "RulesetNotFound", "Diagnostic", "Location",
]
