"""The budget's tables printed as other publishers print the national template (session 24), on
the team's fictional example budget PDF (examples/make_examples.py, with its planted errors): every
table continued over pages (three rows a page) with its header repeated or not, drawn without rules,
or both.

Each printing must read as the plain document does: the same rows of every table, every figure
read and nothing silent, and exactly the plain document's findings (its planted errors, found
wherever their table breaks).  Before: the 财务收支预算总表 continued on a page without its header
ended at the page break -- its 收入总计 / 支出总计 neither read nor counted, TSU-003 lost.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _build(**changes) -> bytes:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_examples
    finally:
        sys.path.remove(str(EXAMPLES))
    writer = make_examples.Writer
    original = writer.table

    def table(self, header, widths, rows, **options):
        if len(rows) > 2:       # (the one-line 三公 table stays as it is)
            options = dict(options, **changes)
        return original(self, header, widths, rows, **options)

    writer.table = table
    try:
        return make_examples.build()
    finally:
        writer.table = original


PRINTINGS = {
    "plain": {},
    "continued-header-repeated": dict(rows_per_page=3),
    "continued-header-not-repeated": dict(rows_per_page=3, repeat_header=False),
    "unruled": dict(ruled=False),
    "unruled-continued": dict(ruled=False, rows_per_page=3, repeat_header=False),
}
_cache: dict = {}


def _read(name: str):
    if name not in _cache:
        record = read_document(_build(**PRINTINGS[name]), name=f"{name}.pdf")
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        failing = {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                   for f in report.findings if f.status == "fail"}
        _cache[name] = record, failing
    return _cache[name]


def _rows(record) -> dict:
    out = {}
    for key, table in record["tables"].items():
        if isinstance(table, dict) and isinstance(table.get("rows"), list):
            out[key] = [{k: v["value"] if isinstance(v, dict) else v for k, v in r.items()} for r in table["rows"]]
    return out


@pytest.mark.parametrize("name", list(PRINTINGS))
def test_a_printing_reads_and_audits_as_the_plain_document(name):
    record, failing = _read(name)
    plain, plain_failing = _read("plain")
    assert "TSU-003" in plain_failing and failing == plain_failing
    assert _rows(record) == _rows(plain)
    # the 收支总表's 收入总计 / 支出总计, printed on its last page
    assert [record["tables"]["summary"][side]["totals"]["amount"]["value"] for side in ("income", "expenditure")] == \
        [plain["tables"]["summary"][side]["totals"]["amount"]["value"] for side in ("income", "expenditure")]
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"] == plain["_meta"]["coverage"]["figures"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] and coverage["lines"]["silent"] == 0


# A row of a table the reader did not find (its title lost, or its continuation not recognised):
# the cells it prints are counted, so the row is silent (or listed) -- never invisible -- when nothing
# reads it (before: a line printing figures without a unit outside every table counted nothing).
STRAY = {
    "label-and-cells": ("办公设备购置 12,000.00 8,000.00", 2),
    "two-sided-items": ("3. 国有资本经营预算 四、住房保障支出 780,000.00", 1),
    "two-sided-totals": ("收入总计 12,166,000.00 支出总计 12,166,000.00", 2),
    "cells-only": ("1,216.60 1,150.00 66.60", 3),
    "a-sentence-is-prose": ("其中办公设备购置 12.00，较上年增加 1.00。", 0),
    "a-count-is-no-amount": ("办公设备 3 台 12.50 个", 0),
}


@pytest.mark.parametrize("case", list(STRAY))
def test_a_table_row_outside_every_table_is_counted(case):
    from test_reader_variants import CLEAN

    line, printed = STRAY[case]
    anchor = "\n一般公共预算支出表\n"     # (before the first table: in no table)
    assert CLEAN.count(anchor) == 1
    plain = read_document(CLEAN.encode("utf-8"), name="plain.txt")["_meta"]["coverage"]
    record = read_document(CLEAN.replace(anchor, f"\n{line}\n" + anchor, 1).encode("utf-8"), name="stray.txt")
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["printed"] == plain["figures"]["printed"] + printed
    # (silent, or listed where the reader takes it for a table's row: either way not invisible)
    assert coverage["lines"]["silent"] + coverage["lines"]["unread"] == \
        plain["lines"]["silent"] + plain["lines"]["unread"] + bool(printed)
