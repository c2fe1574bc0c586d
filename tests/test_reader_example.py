"""The example disclosure: the committed record is current, and the planted errors are read as printed.

The arithmetic below is what an auditor would do by hand; it passes only if the reader returns
the planted figures (and the consistent ones) with the right values.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from fiscalrules.readers import read_disclosure

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def rec() -> dict:
    return read_disclosure(EXAMPLES / "bureau_2025.txt")


def d(figure: dict) -> Decimal:
    return Decimal(figure["value"])


def total(rows: list[dict], column: str = "amount") -> Decimal:
    return sum((d(r[column]) for r in rows), Decimal(0))


def test_committed_record_is_the_readers_output(rec):
    committed = json.loads((EXAMPLES / "bureau_2025.record.json").read_text(encoding="utf-8"))
    assert committed == rec


def test_planted_1_function_classes_do_not_add_up(rec):
    exp = rec["expenditure"]
    assert total(exp["function"]) == Decimal("1296.40")
    assert d(exp["total"]) == Decimal("1286.40")
    wrong = next(r for r in exp["function"] if r["code"] == "220")["amount"]
    assert (wrong["value"], wrong["printed"], wrong["source"]["line"]) == ("1046.40", "1,046.40", 216)


def test_planted_2_three_public_total_contradicts_parts_and_table(rec):
    three = rec["three_public"]
    parts = sum((d(three[k]) for k in ("overseas", "reception", "vehicle_operation", "vehicle_purchase")),
                Decimal(0))
    assert (d(three["total"]), parts) == (Decimal("12.50"), Decimal("10.50"))
    assert three["reception"]["printed"] == "４．５０" and three["reception"]["change"] == "-0.50"
    assert rec["tables"]["three_public"]["rows"][0]["total"]["value"] == "10.50"


def test_planted_3_percentage_disagrees_with_change(rec):
    costs = rec["operating_costs"]
    change, pct = Decimal(costs["change"]), Decimal(costs["pct"])
    prior = d(costs) - change
    assert prior == Decimal("104.00")
    assert round(change / prior * 100, 2) == Decimal("-3.85")
    assert pct == Decimal("-4.85")


def test_planted_4_appropriation_class_printed_with_digits_swapped(rec):
    def row(table, code):
        return next(r for r in rec[table]["function"] if r["code"] == code)["amount"]
    printed = row("appropriation", "213")
    assert (printed["value"], printed["source"]["line"]) == ("84.00", 252)
    app = rec["appropriation"]
    assert total(app["function"]) == Decimal("1186.00") and d(app["total"]) == Decimal("1150.00")
    table = next(r for r in rec["tables"]["general_budget"]["rows"] if r["code"] == "213")
    assert d(table["total"]) == Decimal("48.00") < d(printed)
    assert d(row("expenditure", "213")) == Decimal("48.00")
    for code in ("208", "210", "220", "221"):
        assert d(row("appropriation", code)) <= d(row("expenditure", code))


def test_consistent_identities_hold(rec):
    income = rec["income"]
    assert sum((d(v) for v in income["sources"].values()), Decimal(0)) == d(income["total"])
    exp, app = rec["expenditure"], rec["appropriation"]
    assert d(exp["basic"]) + d(exp["project"]) == d(exp["total"]) == total(exp["economic"])
    assert total(exp["basic_economic"]) == d(exp["basic"])
    assert total(app["function"]) - Decimal("84.00") + Decimal("48.00") == d(app["total"]) \
        == d(income["sources"]["appropriation"])
    table = rec["tables"]["general_budget"]
    assert d(table["totals"]["total"]) == d(app["total"])
    lei = [r for r in table["rows"] if len(r["code"]) == 3]
    assert total(lei, "total") == d(table["totals"]["total"])
    assert d(rec["operating_costs"]) == d(rec["tables"]["general_budget_basic"]["totals"]["public"])
    assert sum((d(p["amount"]) for p in rec["projects"]), Decimal(0)) == d(exp["project"])
    project = rec["performance"]["projects"][0]
    assert d(project["total"]) == d(project["appropriation"]) + d(project["other"]) + d(project["carryover"])
    cost = next(r for r in rec["performance"]["indicators"] if r.get("level1") == "成本指标")
    assert (cost["target_value"]["value"], cost["unit"]) == ("720000", "元")


def test_only_the_detailed_elsewhere_sentence_is_unread(rec):
    assert [(u["lines"], u["reason"][:32]) for u in rec["_meta"]["unread"]] == [
        ([33, 33], "table given only as a reference:")]


def test_spaced_label_and_wrapped_indicator_levels(rec):
    first = rec["projects"][0]
    assert first["amount"]["label"] == "年度预算安排" and first["amount"]["source"]["line"] == 302
    last = rec["performance"]["indicators"][-1]
    assert (last["level1"], last["level2"], last["level3"]) == ("满意度指标", "服务对象满意度", "规划实施单位满意度")


def test_coverage_from_the_readers_figures_is_that_of_a_walk_of_the_record(monkeypatch):
    """The budget reader hands coverage the figures it already collected (measure(figures=));
    what it measures is what walking the finished record for its figures measures."""
    from fiscalrules.readers import read_document, read_document_record
    from fiscalrules.readers.budget import reader
    from fiscalrules.readers.common import coverage

    compared = []

    def measured_both_ways(record, doc, table_lines, skip, figures=None, restated=()):
        given = coverage.measure(record, doc, table_lines, skip, figures=figures, restated=restated)
        assert figures is not None
        assert given == coverage.measure(record, doc, table_lines, skip, restated=restated)
        compared.append(doc.name)
        return given

    monkeypatch.setattr(reader, "measure", measured_both_ways)
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"
    documents = [EXAMPLES / "bureau_2025.txt", EXAMPLES / "qingshi_culture_2025.pdf",
                 *sorted(shared.glob("*.txt"))]
    for document in documents:
        read_document(document)
        read_document_record(document, file=str(document))   # the figures _indexed_as_written collects
    assert len(compared) == 2 * len(documents)


def _documents() -> list[Path]:
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"
    return [EXAMPLES / "bureau_2025.txt", EXAMPLES / "qingshi_culture_2025.pdf",
            EXAMPLES / "qingshi_culture_2024_final_accounts.pdf", *sorted(shared.glob("*.txt")),
            *sorted(shared.glob("shanghai/*budget.pdf"))]


def _same(document, file: str) -> None:
    """read_document_record gives read_document's mapping (keys in the same order) and the Record
    load_record makes of it."""
    from fiscalrules.readers import read_document, read_document_record
    from fiscalrules.records import load_record
    name = None if isinstance(document, Path) else file   # a text, named
    data, record = read_document_record(document, name=name, file=file)
    expected = read_document(document, name=name)
    assert json.dumps(data, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    loaded = load_record(expected, file=file)
    assert record == loaded and record.file == loaded.file == file
    assert list(record.figures) == list(loaded.figures) and record.children == loaded.children


def test_the_record_the_reader_indexes_is_the_loaders():
    """The CLI's read (read_document_record: the budget reader indexes the record it writes, the
    index being the loader's check of its figures) is read_document and then load_record."""
    for document in _documents():
        _same(document, str(document))


@pytest.mark.parametrize("printed", ["9" * 40, "\u0663\u0664.00", "0." + "0" * 32 + "1"])
def test_the_record_the_reader_indexes_is_the_loaders_when_it_refuses_figures(printed):
    """Where the loader refuses figures the reader wrote, they are left out and listed as unread
    (the index is made again from what is left): still read_document and then load_record."""
    from fiscalrules.readers import read_document_record
    text = (EXAMPLES / "bureau_2025.txt").read_text(encoding="utf-8")
    # every tenth amount of the narrative and the tables
    text = re.sub(r"\d+\.\d\d", lambda found: printed if found.start() % 10 == 0 else found.group(), text)
    data, _ = read_document_record(text, name="x.txt", file="x.txt")
    assert any(entry["reason"].startswith(("amount not read: ", "value not read: "))
               for entry in data["_meta"]["unread"])
    _same(text, "x.txt")
