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
