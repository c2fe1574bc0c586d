"""Coverage's counting of printed amounts, the review-25 low items (session 26), each on a small
fictional text: a failure here is an amount counted as read that nothing read, or one not counted.

* a code-shaped integer ending a table row after two figures ("行政运行 612.00 612.00 30000") is an
  amount; only after a panel item's one amount ("30109 职业年金缴费 225.12 30207") is it the next
  panel's code (it was dropped after any decimal cell);
* a 0 of the next line that a wrapped zero change took is not there again for that line's own
  zero change (it was counted twice, and a third amount of the line went silent unseen);
* a row outside every table printing integers only ("办公设备购置 12000 8000", a 元 table whose
  title was not recognised) is counted, as its decimals would be (it was invisible).
"""

from __future__ import annotations

from fiscalrules.inputs import open_document
from fiscalrules.readers.common.coverage import measure, printed_amounts


def _fig(value, line, change=None):
    out = {"value": value, "unit": "万元", "source": {"document": "t.txt", "line": line}}
    if change is not None:
        out["change"] = change
    return out


def test_a_code_shaped_integer_after_two_figures_is_an_amount():
    doc = open_document("一般公共预算支出表\n2070101 行政运行 612.00 612.00 30000\n30109 职业年金缴费 225.12 30207\n",
                        name="t.txt")
    assert printed_amounts(doc, 2, True) == 3
    assert printed_amounts(doc, 3, True) == 1


def test_a_zero_taken_by_the_line_before_is_not_counted_again():
    doc = open_document("（一）说明\n公务接待费 0 万元，比上年增加（减少）\n"
                        "0 万元，公务用车费 0 万元，与上年持平，会议费 3.00 万元。\n", name="t.txt")
    record = {"a": _fig("0", 2, change="0"), "b": _fig("0", 3, change="0")}
    coverage = measure(record, doc, set(), set())
    assert coverage["figures"] == {"read": 3, "printed": 4}
    assert coverage["silent_lines"] == [3]


def test_a_row_of_integers_outside_every_table_is_counted():
    doc = open_document("说明\n办公设备购置 12000 8000\n2070101 行政运行 6120000 6120000\n2024 2025\n", name="t.txt")
    coverage = measure({}, doc, set(), set())
    assert coverage["figures"]["printed"] == 4 and coverage["silent_lines"] == [2, 3]
