"""A value quoted from the input in a message is shown clipped, and never breaks the message.

A record's cell of megabytes (digits, text, a unit, a key) used to be repeated whole in every
message naming it -- 400 KB of output for one bad cell -- and a unit holding braces crashed the
evaluator's message template (an internal error).  Each case runs through the command line
in-process, in Chinese and in English, and as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal

import pytest

from fiscalrules.cli import main
from fiscalrules.errors import QUOTE_WIDTH, clipped, shown

BIG = 200_000


def _check(tmp_path, record, *extra):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "examples/demo.rules", "--record", str(path), *extra])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("cell, words", [
    ("9" * BIG, {"zh": "数值超出预算数字的范围", "en": "number out of range"}),
    ("1,2" + "3" * BIG, {"zh": "不按数值读取", "en": "is not read as a number"}),
    ("\u0663" * BIG, {"zh": "0-9 以外的数字", "en": "digits other than 0-9"}),
], ids=["digits", "grouping", "arabic-indic"])
def test_an_unreadable_huge_cell_is_named_not_repeated(tmp_path, lang, cell, words):
    code, output = _check(tmp_path, {"income": {"total": cell}}, "--lang", lang)
    assert code == 2 and "Traceback" not in output
    assert words[lang] in output and "income.total" in output and "…" in output
    assert len(output) < 3_000


@pytest.mark.parametrize("record, words", [
    ({"income": {"total": "x" * BIG}}, "not a number"),
    ({"income": {"total": {"value": "1", "unit": "y" * BIG}}}, "declared as money"),
], ids=["text-cell", "unit"])
def test_a_huge_value_in_an_evaluation_problem_is_clipped(tmp_path, record, words):
    code, output = _check(tmp_path, record, "--lang", "en")
    assert code == 1 and words in output and "…" in output and len(output) < 5_000
    code, output = _check(tmp_path, record, "--format", "json")
    reasons = [f["reason"] for f in json.loads(output)["findings"] if f["status"] == "error"]
    assert reasons and all(len(reason) < 200 and "…" in reason for reason in reasons)


def test_a_unit_with_braces_is_quoted_not_formatted(tmp_path):
    # the unit went into a message template formatted later: "{x}" raised KeyError (internal error)
    record = {"income": {"total": {"value": "1", "unit": "{x}"}}}
    code, output = _check(tmp_path, record)
    assert code == 1 and "内部错误" not in output
    assert "income.total 的单位是 {x}，但它声明为金额" in output
    code, output = _check(tmp_path, record, "--lang", "en")
    assert "income.total is in {x}, but it is declared as money" in output


def test_a_huge_unknown_key_is_listed_clipped(tmp_path):
    code, output = _check(tmp_path, {"k" * BIG: "1"})
    assert code == 2 and "…" in output and len(output) < 5_000


def test_shown_and_clipped():
    assert shown("abc") == "'abc'" and shown(Decimal("1E+999999999")) == "1E+999999999"
    long = shown("z" * 1000)
    assert len(long) == QUOTE_WIDTH and long.startswith("'zzz") and long.endswith("zz'") and "…" in long
    assert clipped("短") == "短" and len(clipped("字" * 500)) == QUOTE_WIDTH
    # an int past Python's limit on digits turned into text cannot be repr'd: a placeholder
    assert shown(10 ** 5000) == "<a int too long to show>"
