"""Issue 12's reproductions, each run through the command line in-process: the right exit status
(0, 1 or 2), a message with the right words, and never a Python traceback.

The cases themselves are data in ``tests/hostile_cases.py``; ``tests/fuzz/reproduce.py`` runs the
same cases as separate processes and times them.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys

import pytest

from fiscalrules.cli import main

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from hostile_cases import CASES  # noqa: E402


def run_case(case, folder, lang="en"):
    argv = case.build(folder) + ["--lang", lang]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        if case.stdout_to:
            target = open(case.stdout_to, "w", encoding="utf-8")
            stack.callback(_close_quietly, target)   # what could not be written is still buffered
            stack.enter_context(contextlib.redirect_stdout(target))
        else:
            stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main(argv)
    return code, out.getvalue() + err.getvalue(), out.getvalue()


def _close_quietly(handle):
    try:
        handle.close()
    except OSError:
        pass


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reproduction_exits_cleanly_with_a_message(case, tmp_path):
    code, text, stdout = run_case(case, tmp_path)   # in English: the words to look for are English
    assert "Traceback" not in text
    assert code == case.exit, text[-2000:]
    for words in case.words:
        assert words in text, f"{words!r} not in: {text[-2000:]}"
    for words in case.absent:
        assert words not in text
    if case.check is not None:
        assert case.check(stdout), stdout[-2000:]


# ---- the same classes through the API --------------------------------------------------------------

import os  # noqa: E402

import fiscalrules  # noqa: E402


def test_a_relative_base_dir_still_finds_an_include_cycle(tmp_path, monkeypatch):
    (tmp_path / "a.rules").write_text('include "b.rules"\nfield a: amount\nrule R: a = 1\n', encoding="utf-8")
    (tmp_path / "b.rules").write_text('include "a.rules"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    with pytest.raises(fiscalrules.RuleCheckError) as caught:
        fiscalrules.compile_rules((tmp_path / "a.rules").read_text(encoding="utf-8"), name="a.rules",
                                  base_dir=os.path.relpath(tmp_path))
    codes = [d.code for d in caught.value.diagnostics]
    assert codes == ["E208"], caught.value.format()    # the cycle, and no field or rule read twice
    assert "a.rules → b.rules → a.rules" in caught.value.diagnostics[0].message


def test_the_include_depth_limit_names_the_file_that_goes_too_deep(tmp_path):
    for i in range(40):
        body = f'include "f{i + 1}.rules"\n' if i < 39 else "field a: amount\nrule R: a = 1\n"
        (tmp_path / f"f{i}.rules").write_text(body, encoding="utf-8")
    diagnostics = fiscalrules.lint([tmp_path / "f0.rules"])
    assert [d.code for d in diagnostics if d.code != "E201"] == ["E216"]
    deep = next(d for d in diagnostics if d.code == "E216")
    assert deep.location.file.endswith("f31.rules") and deep.location.line == 1
    assert "'f32.rules'" in deep.message


def test_a_rule_file_is_capped_in_bytes_not_characters():
    text = "field a \"" + "收" * 1_500_000 + "\": amount\n"      # 1.5 M characters, 4.5 MB
    with pytest.raises(fiscalrules.RuleSyntaxError, match="too large"):
        fiscalrules.parse(text)
    fiscalrules.parse("field a \"" + "收" * 1_000_000 + "\": amount\n")    # 3 MB: fine


@pytest.mark.parametrize("text,words", [("1.234,56", "decimal comma"), ("12,34", "grouping"),
                                        ("\u0663\u0664", "U+0663"), ("3\u06f3", "U+06F3"),
                                        ("1\u0968", "U+0968")])
def test_numbers_that_cannot_be_read_safely_are_refused(text, words):
    with pytest.raises(fiscalrules.RecordError) as caught:
        fiscalrules.load_record({"a": text})
    assert words in caught.value.message and caught.value.path == "a"


@pytest.mark.parametrize("text,value", [("1,234.50", "1234.50"), ("1 234.5", "1234.5"), ("- 3", "-3"),
                                        ("１２３４．５", "1234.5"), ("−3", "-3")])
def test_numbers_as_printed_are_still_read(text, value):
    from decimal import Decimal
    assert fiscalrules.load_record({"a": text}).get("a").value == Decimal(value)


def test_invisible_characters_inside_a_disclosure_change_nothing():
    from hostile_cases import EXAMPLE
    from fiscalrules.readers import read_disclosure
    rules = fiscalrules.load_ruleset("budget_disclosure")
    text = EXAMPLE.read_text(encoding="utf-8")
    plain = rules.evaluate(read_disclosure(text, name="x.txt"))
    assert plain.counts()["fail"] > 0
    for mark in ("\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"):
        marked = text.replace("万元", f"万{mark}元").replace("0.", f"0{mark}.")
        report = rules.evaluate(read_disclosure(marked, name="x.txt"))
        assert report.counts() == plain.counts(), repr(mark)


def test_non_ascii_digits_in_a_disclosure_are_listed_as_unread_not_read():
    from hostile_cases import EXAMPLE
    from fiscalrules.readers import read_disclosure
    data = read_disclosure(EXAMPLE.read_text(encoding="utf-8").replace("3", "\u0663"), name="x.txt")
    record = fiscalrules.load_record(data)          # the reader never writes what the loader refuses
    reasons = " ".join(u["reason"] for u in record.unread)
    assert "other than 0-9" in reasons
    assert not any("\u0663" in str(f.value) for f in record.figures.values() if f.is_amount)


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith(("B7", "B8", "B3", "duplicate", "\"1.234"))],
                         ids=lambda c: c.name)
def test_reproduction_messages_are_in_chinese_by_default(case, tmp_path):
    code, text, _ = run_case(case, tmp_path, lang="zh")
    assert code == case.exit and "Traceback" not in text
    messages = [line for line in text.splitlines() if "E300" in line or line.startswith("fiscalrules:")]
    assert messages and all(re.search(r"[\u4e00-\u9fff]", line) for line in messages), text[-1500:]


@pytest.mark.parametrize("printed", ["1e-400", "9" * 40, "\u0663\u0664"])
def test_whatever_the_reader_writes_the_loader_accepts(printed):
    """A number no budget prints, put in place of printed numbers all over a disclosure (table
    cells, codes, narrative amounts): the reader lists it as unread, and the record it writes is
    one the loader accepts -- `fiscalrules audit` never loses the document over it."""
    from hostile_cases import EXAMPLE
    from fiscalrules.readers import read_disclosure
    text = EXAMPLE.read_text(encoding="utf-8")
    spots = [m for m in re.finditer(r"\d[\d,.]*", text)][::40]
    for spot in spots:
        mutated = text[:spot.start()] + printed + text[spot.end():]
        data = read_disclosure(mutated, name="x.txt")
        fiscalrules.load_record(data, file="x.txt")


def test_the_reader_leaves_out_every_figure_the_loader_would_refuse():
    """The reader's last step asks the loader's own rules (records.figure_problems) of every
    figure: whatever a section reader wrote, the record is one `check` accepts."""
    from fiscalrules.readers.budget.reader import _drop_unloadable
    from fiscalrules.readers.common.record import RecordBuilder
    builder = RecordBuilder("x.txt")
    hostile = ["1e-400", "NaN", "9" * 40, "1.234,56", "\u0663", {"value": "1", "change": "Infinity"},
               {"value": "1", "source": {"line": "9" * 50}}]
    builder.data = {"misc": {f"v{i}": value for i, value in enumerate(hostile)},
                    "income": {"total": {"value": "1e5", "source": {"line": 3}}, "other": "2"},
                    "tables": {"t": {"title": "表", "rows": [{"code": "201", "x": {"value": "1", "source": {"line": 7}}},
                                                            {"code": "202", "x": {"value": "9" * 40,
                                                                                  "source": {"line": 8}}}]},
                               "u": {"rows": [{"code": "201", "x": "1"}]}}}
    _drop_unloadable(builder.data, builder)
    record = fiscalrules.load_record(builder.data)       # no RecordError
    assert record.get("income.other").value == 2 and record.get("income.total") is None
    assert len(builder.unread) == len(hostile) + 2
    assert all(reason["reason"].startswith(("value not read: ", "amount not read: ")) for reason in builder.unread[:-1])
    # each named by its own path, in the order written; a table with a refused cell taken out whole
    # (left in without its cell, the row read as a blank: sums against a 合计 came out short)
    assert [reason["section"] for reason in builder.unread] == \
        [f"misc.v{i}" for i in range(len(hostile))] + ["income.total", "表"]
    assert builder.unread[-1]["lines"] == [7, 8] and builder.unread[-1]["reason"].startswith("table not read: ")
    assert "t" not in builder.data["tables"] and "u" in builder.data["tables"]


def test_explaining_a_syntax_error_looks_back_a_bounded_stretch_of_its_line(monkeypatch):
    # review A (pre-existing): the auditor's-mistake patterns that end at the error ("…\S*$") were
    # searched over the whole line before it, quadratic in its length -- an unclosed 中（ followed by
    # 32,000 characters took 11 s, a 1 MB line hours.  They now see the last _LOOK_BACK characters.
    import fiscalrules
    from fiscalrules import syntaxerrors
    searched = []
    real_search = syntaxerrors.re.search

    def search(pattern, string, *args, **kwargs):
        searched.append(len(string))
        return real_search(pattern, string, *args, **kwargs)
    monkeypatch.setattr(syntaxerrors.re, "search", search)
    with pytest.raises(fiscalrules.RuleSyntaxError) as caught:
        fiscalrules.compile_rules("rule r1: 中（" + "中" * 50_000 + " == 1\n")
    assert searched and max(searched) <= 200   # syntaxerrors._LOOK_BACK
    assert "1:50016" in str(caught.value) and "closing bracket" in str(caught.value)


def test_many_unread_amounts_are_listed_once_each_in_document_order():
    """A document of many amounts the reader does not map: each listed once, in order, a repeat
    of the same part dropped (a set beside the list since review 17 B12: a scan of the list for
    each one made 20,000 of them take 15 CPU-s)."""
    from fiscalrules.readers.common.record import RecordBuilder
    builder = RecordBuilder("x.txt")
    for line in range(1, 3001):
        builder.add_unread("收入", (line, line), f"amount {line}.00万元 not mapped to a field")
        builder.add_unread("收入", (line, line), f"amount {line}.00万元 not mapped to a field")
    builder.add_unread("支出", (1, 1), "amount 1.00万元 not mapped to a field")
    assert len(builder.unread) == 3001
    assert [entry["lines"][0] for entry in builder.unread[:3000]] == list(range(1, 3001))
    assert builder.unread[-1]["section"] == "支出"
