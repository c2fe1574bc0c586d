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


# ---- R10: control characters from the input reach the terminal --------------------------------------

def test_table_shows_control_characters_escaped_and_keeps_the_alignment(place, capsys):
    """A record id, a label with escape sequences (clear the screen, set the window title) were
    printed raw by --format table: the record's data drove the terminal.  Now escaped, as a value
    in a message is; the figures table stays aligned for the CJK label beside it."""
    (place / "r.rules").write_text('field a "甲\x1b]0;title\x07": amount\nfield b "乙乙乙乙": amount\n'
                                   'rule EQ "a = b": a = b\n', encoding="utf-8")
    (place / "d.jsonl").write_text('{"_meta": {"id": "\\u001b[2J\\u001b[31mPWN\\nforged\\u202e"}, "a": "1", "b": "2"}\n',
                                   encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl")
    assert code == 1, err
    assert not any(ch in out for ch in "\x1b\x07\u202e"), out
    lines = out.splitlines()
    assert lines[0] == "== \\x1b[2J\\x1b[31mPWN\\nforged\\u202e"   # one line: no forged second
    assert lines[-1].startswith("summary \\x1b[2J\\x1b[31mPWN\\nforged\\u202e: ")
    figures = [line for line in lines if line.startswith("      ") and not line.startswith("        ")]
    assert figures == ["      甲\\x1b]0;title\\x07  1",
                       "      乙乙乙乙            2"]   # the value column at one display column


def test_an_error_on_standard_error_shows_a_file_name_escaped(place, capsys):
    """A read error names the file: its escape sequence was written to the terminal as is."""
    (place / "r.rules").write_text("field a: amount\nrule P: a > 0\n", encoding="utf-8")
    (place / "x\x1b[31m.json").write_text("{bad", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "x\x1b[31m.json")
    assert code == 2
    assert "\x1b" not in out + err
    assert "x\\x1b[31m.json:1:2: E300" in err and out.startswith("== x\\x1b[31m.json\n")


@pytest.mark.parametrize("text, newlines, shown", [
    ("\x1b[2J", False, "\\x1b[2J"), ("a\nb", False, "a\nb"), ("a\nb", True, "a\\nb"), ("\t\r\x00\x7f\x9b", False,
     "\\t\\r\\x00\\x7f\\x9b"), ("甲\u202e乙\u2066", False, "甲\\u202e乙\\u2066"), ("合计 total", False, "合计 total"),
    ("é\u0301", False, "é\u0301")])
def test_terminal_text(text, newlines, shown):
    from fiscalrules.errors import terminal_text
    assert terminal_text(text, newlines=newlines) == shown


# ---- R11: SARIF artifactLocation.uri must be a URI reference ----------------------------------------

def _uri_reference():
    """RFC 3986's URI-reference (section 4.1, collected ABNF of appendix A; hosts as reg-name)."""
    import re
    unreserved, pct, sub = r"[A-Za-z0-9\-._~]", r"%[0-9A-Fa-f]{2}", r"[!$&'()*+,;=]"
    pchar = f"(?:{unreserved}|{pct}|{sub}|[:@])"
    segment, nz, nz_nc = f"{pchar}*", f"{pchar}+", f"(?:{unreserved}|{pct}|{sub}|@)+"
    authority = f"(?:(?:{unreserved}|{pct}|{sub}|:)*@)?(?:{unreserved}|{pct}|{sub})*(?::[0-9]*)?"
    abempty, absolute = f"(?:/{segment})*", f"/(?:{nz}(?:/{segment})*)?"
    tail = f"(?:\\?(?:{pchar}|[/?])*)?(?:#(?:{pchar}|[/?])*)?"
    uri = f"[A-Za-z][A-Za-z0-9+\\-.]*:(?://{authority}{abempty}|{absolute}|{nz}(?:/{segment})*|){tail}"
    relative = f"(?://{authority}{abempty}|{absolute}|{nz_nc}(?:/{segment})*|){tail}"
    return re.compile(f"(?:{uri}|{relative})\\Z")


URI_REFERENCE = _uri_reference()


def _uris(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uri":
                yield value
            else:
                yield from _uris(value)
    elif isinstance(node, list):
        for value in node:
            yield from _uris(value)


@pytest.mark.parametrize("uri, valid", [("my file#1 %zz?.txt", False), ("C:\\dir\\报告 1.txt", False),
                                        ("a/b%20c.txt", True), ("file:///C:/dir/x.txt", True), ("#x#y", False)])
def test_the_uri_grammar_of_the_test(uri, valid):
    assert bool(URI_REFERENCE.match(uri)) is valid


def test_sarif_uris_are_uri_references_of_the_paths(place, capsys):
    """A document 'my file#1 %zz?.txt' (space, '#' read as a fragment, '%zz', '?') or a figure's
    source 'C:\\dir\\报告 1.txt' was written as the uri as is: not a URI reference."""
    import json
    from urllib.parse import unquote
    (place / "r.rules").write_text("unit 万元\nfield a: amount\nfield b: amount\nrule EQ: a = b\n", encoding="utf-8")
    (place / "d.json").write_text(json.dumps({
        "_meta": {"id": "x", "document": "my file#1 %zz?.txt"},
        "a": {"value": "1", "source": {"document": "C:\\dir\\报告 1.txt", "line": 3}},
        "b": {"value": "2", "source": {"document": "sub/my file#1 %zz?.txt", "line": 4}}}), encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.json", "--format", "sarif")
    assert code == 1, err
    uris = set(_uris(json.loads(out)))
    assert uris == {"my%20file%231%20%25zz%3F.txt", "file:///C:/dir/%E6%8A%A5%E5%91%8A%201.txt"}
    assert all(URI_REFERENCE.match(uri) for uri in uris)
    assert unquote("my%20file%231%20%25zz%3F.txt") == "my file#1 %zz?.txt"


def test_lint_sarif_uri_of_a_rule_file_with_a_hostile_name(place, capsys):
    import json
    (place / "a b#c.rules").write_text("field a: amount\nrule P: a > nope\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "lint", "a b#c.rules", "--format", "sarif")
    assert code == 2
    uris = set(_uris(json.loads(out)))
    assert uris == {"a%20b%23c.rules"} and all(URI_REFERENCE.match(uri) for uri in uris)
