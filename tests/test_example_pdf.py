"""The example PDF disclosure (examples/qingshi_culture_2025.pdf): read through the PDF path, its
nine tables read, its planted errors found, and nothing else (see examples/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

from fiscalrules import load_ruleset  # noqa: E402
from fiscalrules.cli import main  # noqa: E402
from fiscalrules.readers import read_disclosure  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "qingshi_culture_2025.pdf"

# examples/README.md, "Planted inconsistencies": (rule, row) of every failure they cause.
PLANTED = {
    ("TBL-020", "20701"), ("TBL-022", "20701"), ("TBL-020", "207"), ("TBL-022", "207"),
    ("TBL-032", "20701"),                                           # 1: general budget 20701
    ("TBL-007", "2070109"), ("TBL-001", "20701"), ("TBL-032", "2070109"),  # 2: 群众文化
    ("TBL-040", "302"), ("TBL-042", "302"), ("TBL-043", None), ("TBL-045", None),  # 3: 302
    ("TBL-063", None), ("TSU-003", None),                            # 4: income 合计
}


@pytest.fixture(scope="module")
def record():
    return read_disclosure(EXAMPLE)


def test_the_nine_tables_are_read_from_the_pdf(record):
    tables = record["tables"]
    assert set(tables) == {"summary", "income", "expenditure", "appropriation_summary",
                           "general_budget", "gov_fund", "state_capital", "general_budget_basic",
                           "three_public"}
    assert len(tables["income"]["rows"]) == 20 and len(tables["general_budget"]["rows"]) == 20
    assert len(tables["general_budget_basic"]["rows"]) == 19
    assert tables["gov_fund"]["rows"] == [] and tables["gov_fund"]["empty"] is True
    assert tables["three_public"]["rows"][0]["operating_costs"]["value"] == "58.00"
    assert tables["summary"]["expenditure"]["totals"]["amount"]["value"] == "12166000.00"
    pages = {r["total"]["source"]["page"] for r in tables["general_budget"]["rows"]}
    assert len(pages) == 2          # over a page break, the repeated header skipped
    coverage = record["_meta"]["coverage"]["table_lines"]
    assert coverage["read"] == coverage["with_amounts"] > 80


def test_empty_table_notes_go_to_the_table_they_name(record):
    # Printed under each empty table, just above the next table's title: a note goes to the
    # table it names, not to the nearest title below it.
    tables = record["tables"]
    assert "政府性基金" in tables["gov_fund"]["note"]
    assert "国有资本经营" in tables["state_capital"]["note"]
    assert "note" not in tables["general_budget_basic"]


def test_the_planted_errors_and_nothing_else_fail(record):
    report = load_ruleset("budget_disclosure").evaluate(record)
    failed = {(f.rule, f.item) for f in report.findings if f.status == "fail"}
    assert failed == PLANTED


def test_cli_audit_of_the_example_exits_1(capsys):
    # In this process: the exit code and the report of `python -m fiscalrules audit` are main()'s
    # (test_cli.py's test_the_command_ends_with_its_exit_code_and_all_its_output checks that, and
    # .ci/run audits this example as a process); an interpreter of its own cost ~0.25 CPU-s more.
    code = main(["audit", str(EXAMPLE)])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "TBL-063" in out and "读取覆盖" in out
