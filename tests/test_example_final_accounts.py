"""The example 决算 PDF (examples/qingshi_culture_2024_final_accounts.pdf): read as final accounts
through the PDF path, its nine tables and 情况说明 read, its planted errors found and nothing else
(see examples/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

from fiscalrules import load_ruleset  # noqa: E402
from fiscalrules.cli import main  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "qingshi_culture_2024_final_accounts.pdf"

# examples/README.md, "Planted inconsistencies": (rule, item) of every failure they cause.
PLANTED = {
    ("TBL-012", "2070109"), ("TBL-010", "20701"), ("XT-009", "2070109"),  # 1: 支出决算表 群众文化 162.00
    ("PCT-005", None),                                                   # 2: 完成年初预算的 95.63%
    ("TBL-040", None), ("TPF-001", None),                                # 3: 三公 table 决算数合计 10.02
    ("QUA-001", "1"),                                                    # 4: "。。"
}


@pytest.fixture(scope="module")
def record():
    return read_document(EXAMPLE)


def test_the_example_reads_as_final_accounts_with_its_tables_and_narrative(record):
    assert record["_meta"]["template"] == "final_accounts"
    assert record["doc"]["kind"]["value"] == "部门决算" and record["doc"]["year"]["value"] == "2024"
    tables = record["tables"]
    assert set(tables) == {"summary", "income", "expenditure", "appropriation_summary", "general_budget",
                           "general_budget_basic", "three_public", "gov_fund", "state_capital"}
    for key in ("income", "expenditure", "general_budget"):
        assert len(tables[key]["rows"]) == 20, key        # 4 类, 5 款 and 11 项 lines
    assert tables["gov_fund"]["empty"] is True and tables["state_capital"]["empty"] is True
    # the two-sided 总表: a short left amount ("12.00", "8.00") stays on the left side
    summary = tables["summary"]
    assert summary["income"]["business"]["value"] == "12.00"
    assert summary["opening_balance"]["value"] == "8.00" and summary["closing_balance"]["value"] == "14.00"
    assert {row["code"] for row in summary["expenditure"] if "amount" in row} == {"207", "208", "210", "221"}
    # 年初 (left) and 年末 (right) 财政拨款结转和结余 printed on one line, each heading its side
    appropriation = tables["appropriation_summary"]
    assert appropriation["opening"]["total"]["value"] == appropriation["opening"]["general_budget"]["value"] == "8.00"
    assert appropriation["income"]["general_budget"]["value"] == "1210.60"
    assert appropriation["closing"]["general_budget"]["value"] == "12.00"
    assert tables["three_public"]["final"]["total"]["value"] == "10.02"
    assert len(record["general_budget"]["items"]) == 11
    # 三公: each item's change ("其中：因公出国（境）费支出决算减少 0.20 万元，下降 10.00%；…") on its final figure
    assert [(record["three_public"][k]["final"]["change"], record["three_public"][k]["final"]["pct"])
            for k in ("overseas", "vehicle", "reception")] == [("-0.20", "-10.00"), ("-0.50", "-7.69"), ("-0.10", "-4.00")]
    assert record["_meta"]["unread"] == []
    assert record["_meta"]["coverage"]["table_lines"]["read"] >= 90


def test_the_planted_errors_and_nothing_else_fail(record):
    report = load_ruleset("final_accounts").evaluate(record)
    failed = {(f.rule, f.item) for f in report.findings if f.status == "fail"}
    assert failed == PLANTED


def test_cli_audit_of_the_example_picks_the_final_accounts_ruleset_and_exits_1(capsys):
    # In this process: the exit code and the report of `python -m fiscalrules audit` are main()'s
    # (test_cli.py's test_the_command_ends_with_its_exit_code_and_all_its_output checks that, and
    # .ci/run audits this example as a process); an interpreter of its own cost ~0.25 CPU-s more.
    code = main(["audit", str(EXAMPLE)])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "PCT-005" in out and "TBL-040" in out and "读取覆盖" in out


def test_every_key_the_reader_writes_is_a_declared_field(record):
    # The reader's own keys (each table's title, 说明 line and empty flag) once went undeclared, so every
    # 决算 audit listed 14 "record keys no declared field names" that were nobody's mistake.
    report = load_ruleset("final_accounts").evaluate(record)
    assert [info.unknown_keys for info in report.records] == [[]]
