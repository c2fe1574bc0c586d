"""The budget's "三公" table as single-spaced text (session 24): pdftotext / pypdfium2 text of a PDF
whose 三公 table is drawn cell by cell, its header over three lines -- the words of one header line
then come out in the order they were drawn, not as they stand ("“三公”经费预算数" / "机关运行经费预算"
/ "数 合计 因公出国(境)费 公务接待费" / "公务用车购置及运行费" / "小计 购置费 运行费"), and a row
leaving cells blank prints fewer figures ("1.00 1.00 171.01").  Fictional tables on the team's
example (tests/test_reader_variants.CLEAN), cases as data.

A row is placed only by a header whose lines name its columns in order and whose figures fill them;
otherwise it is listed, never guessed into the sub-columns of the last header line (before: the three
figures read as 公务用车 小计 / 购置费 / 运行费, TPF-003…008 failing on a correct document).  Words one
space apart say nothing of columns: such a table is never taken for text aligned in columns.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from pdfium_text import SHANGHAI, pdfium_text
from test_reader_variants import CLEAN, THREE_PUBLIC

ORDERED = "合计 因公出国(境)费 公务用车购置及运行维护费 公务接待费\n小计 购置费 运行费\n"
DRAWN = "“三公”经费预算数\n机关运行经费预算\n数 合计 因公出国(境)费 公务接待费\n公务用车购置及运行维护费\n小计 购置费 运行费\n"
CASES = {
    # (header, row): the row's fields as read, or None when the row is listed
    "ordered-all-cells": (ORDERED, "10.50 0.00 6.00 0.00 6.00 4.50",
                          {"total": "10.50", "overseas": "0.00", "vehicle": "6.00", "vehicle_purchase": "0.00",
                           "vehicle_operation": "6.00", "reception": "4.50"}),
    "ordered-blank-cells": (ORDERED, "10.50 6.00 6.00 4.50", None),
    # the national layout's top line: the 三公 group's title, then 机关运行经费, whose column stands last
    "ordered-with-operating-costs": ("“三公”经费预算数 机关运行经费预算数\n" + ORDERED, "10.50 0.00 6.00 0.00 6.00 4.50 100.00",
                                     {"total": "10.50", "overseas": "0.00", "vehicle": "6.00", "vehicle_purchase": "0.00",
                                      "vehicle_operation": "6.00", "reception": "4.50", "operating_costs": "100.00"}),
    "drawn-order-blank-cells": (DRAWN, "10.50 10.50 20.00", None),
    "drawn-order-more-cells": (DRAWN, "10.50 4.50 6.00 6.00 20.00", None),
}


@pytest.fixture(scope="module")
def ruleset():
    return fiscalrules.load_ruleset("budget_disclosure")


@pytest.mark.parametrize("case", list(CASES))
def test_a_single_spaced_three_public_row_is_placed_by_its_header_or_listed(ruleset, case):
    header, row, expected = CASES[case]
    assert CLEAN.count(THREE_PUBLIC) == 1
    record = read_document(CLEAN.replace(THREE_PUBLIC, header + row + "\n").encode("utf-8"), name="three_public.txt")
    table = record["tables"].get("three_public", {})
    failing = {f.rule for f in ruleset.evaluate(record).findings if f.status == "fail"}
    assert not {rule for rule in failing if rule.startswith("TPF")}
    if expected is None:
        assert "rows" not in table
        assert any(row in u["reason"] for u in record["_meta"]["unread"])
    else:
        [read] = table["rows"]
        assert {k: v["value"] for k, v in read.items() if isinstance(v, dict)} == expected
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def test_a_real_budget_as_pdfium_text_finds_nothing_its_pdf_does_not(ruleset):
    """The shared Shanghai budget whose 三公 table reads "1.00 1.00 171.01" as pypdfium2 text (its
    other tables are mostly listed: the text loses their blank cells): no finding the PDF lacks
    (before: TPF-003, -004, -006, -007, -008), nothing silent."""
    path = SHANGHAI / "putuo-commerce-2025-department-budget.pdf"
    text = pdfium_text(path)
    as_text = read_document(text.encode("utf-8"), name=path.stem + ".txt")
    text_failing = {f.rule for f in ruleset.evaluate(as_text).findings if f.status == "fail"}
    pdf_failing = {f.rule for f in ruleset.evaluate(read_document(str(path))).findings if f.status == "fail"}
    assert text_failing <= pdf_failing, text_failing - pdf_failing
    assert as_text["_meta"]["coverage"]["lines"]["silent"] == 0
