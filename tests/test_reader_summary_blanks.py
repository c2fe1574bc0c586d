"""The budget's two-sided 收支总表s read their empty cells by the shared marks (session 25).

readers/budget/summary.py kept its own list ("", "-", "—", "--", "/"), so a 财务收支预算总表 or a
财政拨款收支预算总表 printing "–" (an en dash) or "N/A" in an empty figure cell -- as spreadsheet
exports do -- listed the row's side as "not understood" and lost its figures.  Now the 收支总表s
use readers/common/cells.BLANK like every other table: the example budget (examples/make_examples.py,
fictional) printed with each mark in its empty figure cells reads exactly as the plain one -- the
same two-sided tables, every figure read, the same findings (its planted errors).
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from fiscalrules.readers.common.cells import BLANK

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest; its example modules)
# the two-sided tables' figure columns, by the header's first cell
_FIGURE_COLUMNS = {"本年收入": (1, 3), "财政拨款收入": (1, 3, 4, 5, 6)}
_cache: dict = {}


def _read(mark: str):
    if mark not in _cache:
        make_examples = fav._modules()[0]
        writer = make_examples.Writer
        original = writer.table
        marked = [0]

        def table(self, header, widths, rows, **options):
            columns = _FIGURE_COLUMNS.get(header[0][0], ())
            if columns and mark:
                rows = [[mark if i in columns and not c else c for i, c in enumerate(r)] for r in rows]
                marked[0] += 1
            return original(self, header, widths, rows, **options)

        writer.table = table
        try:
            pdf = make_examples.build()
        finally:
            writer.table = original
        assert marked[0] == (2 if mark else 0)
        record = read_document(pdf, name=f"marked{mark!r}.pdf")
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        _cache[mark] = record, sorted(f.rule for f in report.findings if f.status == "fail")
    return _cache[mark]


def _two_sided(record) -> dict:
    def plain(node):
        if isinstance(node, dict):
            return node["value"] if "value" in node else {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node
    return {key: plain(record["tables"][key]) for key in ("summary", "appropriation_summary")}


@pytest.mark.parametrize("mark", ["–", "N/A", "-", "—", "/"])
def test_a_summary_tables_empty_cell_marks_read_as_blank(mark):
    assert mark in BLANK
    record, failing = _read(mark)
    plain, plain_failing = _read("")
    assert _two_sided(record) == _two_sided(plain)
    assert failing == plain_failing and plain_failing
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    assert coverage["lines"]["unread"] == plain["_meta"]["coverage"]["lines"]["unread"]
