"""A 决算 printing its marks as departments print them: 三公 as “三公” (the template), "三公", ‘三公’ or
bare; brackets, commas, colons and semicolons half-width ("因公出国(境)费", "1.80万元,占").

The 三公 table's title ("财政拨款三公经费支出决算表") was not recognised -- the table listed unread,
TPF-* on it unchecked -- and 七's sentences ("‘三公’经费财政拨款支出年初预算为 …") were not read, so
the total, budget, completion and change were lost and the section counted as not printed.  Names
are now matched without their quote marks.  Half-width brackets lost 13 figures of the 情况说明
(五（二）'s classes, 七's 因公出国（境）费 …), half-width commas 23: the template's sentences are read
with the marks made full-width (running_text.RunningText).  Made from the team's fictional example
决算 (tests/final_accounts_variants.py), only the marks changed.
"""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as variants  # noqa: E402  (tests/ is on the path)


def _read(quoted: str | None):
    edits = [("“三公”", quoted)] if quoted else []
    record = read_document(variants.build(titles=edits, lines=edits, paragraphs=edits), name="quotes.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {(f.rule, f.status) for f in report.findings if f.status in ("fail", "not_evaluable")}


@pytest.fixture(scope="module")
def template():
    return _read(None)     # (as the template prints it: “三公”)


@pytest.mark.parametrize("quoted", ["‘三公’", '"三公"', "三公"])
def test_three_public_read_whatever_its_quote_marks(template, quoted):
    record, problems = _read(quoted)
    expected, expected_problems = template
    assert problems == expected_problems
    assert not record["_meta"].get("unread")
    assert record["tables"]["three_public"] == expected["tables"]["three_public"]
    read = {key: record["three_public"][key]["value"] for key in ("budget", "final", "completion")}
    assert read == {"budget": "12.00", "final": "10.20", "completion": "85.00"}
    assert record["three_public"]["final"]["change"] == expected["three_public"]["final"]["change"]


def _values(node, path=""):
    """Every figure's value in *record* by path (sources left out: they quote the print)."""
    out = {}
    if isinstance(node, dict):
        if "value" in node and not isinstance(node["value"], (dict, list)):
            out[path] = node["value"]
        for key, value in node.items():
            if key not in ("source", "_meta", "quality"):
                out.update(_values(value, f"{path}.{key}" if path else key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.update(_values(value, f"{path}[{i}]"))
    return out


@pytest.mark.parametrize("marks", ["（）", "，", "（），：；"])
def test_half_width_punctuation_reads_as_the_templates(template, marks):
    half = {"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"}
    edits = [(re.escape(mark), half[mark]) for mark in marks]
    record = read_document(variants.build(paragraphs=edits), name="marks.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    expected, expected_problems = template
    assert _values(record) == _values(expected)
    assert {(f.rule, f.status) for f in report.findings if f.status in ("fail", "not_evaluable")} == expected_problems
    assert not record["_meta"].get("unread")
