"""Review 23's hostile-input findings in what fiscalrules writes (docs of the review:
/work/team/review23.md), each a test that failed before its mend: a text cell of the CSV report
starting as a formula was written as is, for a spreadsheet to run (R9)."""

from __future__ import annotations

import csv
import io

import pytest

from cli_runs import run_cli


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---- R9: CSV formula injection ----------------------------------------------------------------------

CSV_RULES = ('field a "@SUM(A1)": amount\nfield b: amount\nfield t: text\n'
             'rule EQ "=1+1": a = b\nrule TX: t = "x"\n')


def test_csv_text_cells_starting_as_a_formula_are_neutralised_numbers_are_not(place, capsys):
    """A record id, a rule title, a label, a text value starting with = + - @ (or a tab) is a
    formula to a spreadsheet: written with a leading ' (shown, never run); -1.00 stays a number."""
    (place / "r.rules").write_text(CSV_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text(
        '{"_meta": {"id": "=HYPERLINK(\\"http://x\\")"}, "a": "1", "b": "2", "t": "-2+3+cmd"}\n'
        '{"_meta": {"id": "-5"}, "a": "1", "b": "1", "t": "\\tx"}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl", "--format", "csv")
    assert code == 1, err
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    fail = next(r for r in rows if r["rule"] == "EQ" and r["status"] == "fail")
    assert fail["record"] == "'=HYPERLINK(\"http://x\")"
    assert fail["message"].startswith("'=1+1: ")
    assert (fail["left"], fail["right"], fail["difference"]) == ("1.00", "2.00", "-1.00")   # numbers stay
    text = next(r for r in rows if r["rule"] == "TX" and r["status"] == "fail")
    assert text["left"] == "'-2+3+cmd"
    moved = next(r for r in rows if r["status"] == "likely_wrong" and r["figures"] == "a")
    assert moved["message"].startswith("'@SUM(A1): ")
    passed = next(r for r in rows if r["rule"] == "TX" and r["status"] == "pass")
    assert passed["record"] == "-5" and passed["left"] == "'\tx"
    for row in rows:   # no cell of any row starts as a formula, but for plain numbers
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value.replace(".", "").lstrip("-").isdigit(), row


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-", "'-"), ("-1.00", "-1.00"), ("+3", "+3"), ("-.5", "-.5"), ("0", "0"),
    ("a=1", "a=1"), ("合计", "合计"), ("", ""), (None, "")])
def test_csv_cell(value, cell):
    from fiscalrules.reporters import csv_cell
    assert csv_cell(value) == cell
