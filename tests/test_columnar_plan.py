"""The columnar plan's shortcuts for plain conditions and arithmetic, each where it could go wrong.

Every shortcut of :mod:`fiscalrules.columnar.arith` and :mod:`fiscalrules.columnar.plan` taken
for the common case (sums of figures printed at one precision, chunks without a missing figure,
…) must give the statuses the per-record engine gives, also beside the case it was not made for:
a figure of another precision among them, one missing figure in the last record of a chunk, an
empty list.  Each test checks, through ``columnar_equivalence.assert_same``, every (rule, record)
status and the counts against ``Ruleset.evaluate_many``, and asserts the statuses it was built
to reach, so that a test whose data no longer reaches the boundary fails instead of passing idly.
"""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records  # noqa: E402
from columnar_equivalence import CODES, assert_same  # noqa: E402

SUMS = """
unit 万元
field total: amount
field fn: table(code: text, total: amount)
rule S "the total is the sum of the rows": total = sum(r.total for r in fn)
rule C "the total is the sum of the column": total = sum(fn.total)
rule L "the total is at most the sum": total <= sum(fn.total)
"""


def _record(i: int, total, cells) -> dict:
    return {"_meta": {"id": f"r{i}"}, "total": total,
            "fn": [{"code": str(k + 1), "total": cell} for k, cell in enumerate(cells)]}


def _statuses(result, rule_id: str) -> list:
    return [CODES[c] for c in result.statuses(rule_id)]


def test_sums_of_figures_printed_at_one_precision_and_at_another():
    """A sum of figures printed at cents widens by half a cent per figure (the shortcut sums the
    points at their own scale and counts the halves); a figure printed at another precision
    among them widens it by its own half."""
    rules = fiscalrules.compile_rules(SUMS)
    cases = [
        ("3.75", ["1.25", "1.25", "1.25"], "pass"),
        ("3.77", ["1.25", "1.25", "1.25"], "pass_rounding"),   # 0.02: exactly the slack of four halves
        ("3.78", ["1.25", "1.25", "1.25"], "fail"),
        ("3.845", ["1.25", "1.25", "1.345"], "pass"),
        ("3.86", ["1.25", "1.25", "1.345"], "pass_rounding"),  # 0.015 within 0.005 × 3 + 0.0005
        ("3.87", ["1.25", "1.25", "1.345"], "fail"),           # 0.025 beyond 0.0155
        ("0", [], "pass"),                                      # an empty table sums to an exact 0
        ("0.01", [], "fail"),
        ("2.5", ["1.25", "1.25"], "pass"),                    # the total at another precision
        ("2.51", ["1.25", "1.25"], "pass_rounding"),
        ("2.516", ["1.25", "1.25"], "fail"),                  # 0.016 beyond 0.005 × 2 + 0.0005
    ]
    records = [_record(i, total, cells) for i, (total, cells, _) in enumerate(cases)]
    for chunk_rows in (3, len(records)):
        result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=chunk_rows)
        expected = [status for _, _, status in cases]
        assert _statuses(result, "S") == expected
        assert _statuses(result, "C") == expected


def test_a_chunk_whose_figures_are_all_at_one_precision_beside_one_that_is_not():
    """Chunks of records whose rows are all printed at cents, and one chunk where a single row
    (the last of the last record) is printed to a tenth of a cent: the chunk's sums cannot all take the
    one-precision shortcut."""
    rules = fiscalrules.compile_rules(SUMS)
    records = [_record(i, "3.77", ["1.25", "1.25", "1.25"]) for i in range(5)]
    records.append(_record(5, "3.86", ["1.25", "1.25", "1.345"]))
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert _statuses(result, "S") == ["pass_rounding"] * 6
    records[-1] = _record(5, "3.87", ["1.25", "1.25", "1.345"])
    result = assert_same(rules, flatten_records(records, rules), records, chunk_rows=3)
    assert _statuses(result, "S") == ["pass_rounding"] * 5 + ["fail"]
