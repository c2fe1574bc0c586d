"""A client of every public name of fiscalrules, type-checked with ``mypy --strict`` (``mypy`` in
the repository root; tests/test_public_api.py runs it).  An export whose signature is untyped or loosely typed
makes this file fail the check.  It also runs (``python tests/typing/public_api.py``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import fiscalrules
from fiscalrules import (Diagnostic, ExampleResult, Figure, Finding, FiscalRulesError, Location, Operand, Quantity,
                         ReaderError, Record, RecordError, Report, RuleCheckError, Ruleset, RulesetNotFound,
                         RuleSyntaxError, Side, Source, Status, Tolerance)

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> None:
    rules: Ruleset = fiscalrules.compile_rules("field a \"甲\": amount\nrule R: 甲 = 1\n", name="typed")
    loaded: Ruleset = fiscalrules.load_ruleset(ROOT / "examples" / "demo.rules")
    bundled: dict[str, Path] = fiscalrules.bundled_rulesets()
    problems: list[Diagnostic] = fiscalrules.lint([ROOT / "examples" / "bad.rules"])
    tree = fiscalrules.parse("field a: amount\n")
    expression = fiscalrules.parse_expression("a + 1")
    record: Record = fiscalrules.load_record({"a": "1"}, id="one")
    records: list[Record] = fiscalrules.load_records(ROOT / "examples" / "demo.record.json")
    for item in fiscalrules.read_records(ROOT / "examples" / "demo.record.json"):
        assert isinstance(item, (Record, RecordError))
    figure: Figure | None = record.get("a")
    source: Source | None = figure.source if figure is not None else None
    report: Report = rules.evaluate(record)
    many: Report = loaded.evaluate_many(records)
    chosen: Ruleset = loaded.subset(select=["INC-*"], ignore=["INC-2"])
    examples: list[ExampleResult] = loaded.run_examples()
    finding: Finding = report.findings[0]
    side: Side | None = finding.left
    operands: tuple[Operand, ...] = finding.operands
    difference: Decimal | None = finding.difference
    passed: bool = finding.status == Status.PASS and not finding.failed
    text: str = finding.text("en") + report.to_table() + report.to_json() + report.to_csv() + report.to_sarif()
    suspects: list[dict[str, object]] = many.suspects("demo-2025")
    nothing: bool = report.nothing_checked()
    quantity = Quantity(Decimal("1"), Decimal("0.995"), Decimal("1.005"), "money")
    tolerance = Tolerance(amount=Decimal("0.5"), relative=True)
    where = Location("x.rules", 1, 1, "rule R: a = 1")
    errors: tuple[type[FiscalRulesError], ...] = (RuleSyntaxError, RuleCheckError, RecordError, ReaderError,
                                                  RulesetNotFound)
    try:
        fiscalrules.compile_rules("rule R: nosuch = 1")
    except RuleCheckError as exc:
        formatted: str = exc.format("zh")
        assert exc.diagnostics[0].format("en") and formatted
    assert bundled and problems and tree and expression and source is None and chosen.rules and examples
    assert side is not None and operands and difference is not None and passed is True and text and not suspects
    assert not nothing and quantity.is_exact is False and tolerance and where.excerpt() and errors
    assert fiscalrules.__version__


if __name__ == "__main__":
    main()
