"""Coverage counts a stated change only where it prints an amount (session 25).

A change of 0 said in words ("与上年持平", "与上年基本持平", "无变化") is no printed amount: counted
as one, it covered another amount of its line that nothing read, and that amount went silent
unseen.  A figure counted twice on one line (a surplus) covered an amount printed any number of
lines later the same way.  A change read from another sentence is counted on the line it is printed
on (``source.change_line``).  Each case has a correct twin (nothing silent) and a bad one (an
amount nothing read nor listed: silent), on synthetic records: the readers list such amounts, so
only coverage is under test.
"""

from __future__ import annotations

import pytest

from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document
from fiscalrules.readers.common.coverage import measure, record_figures


def _fig(value, line, change=None, **source):
    fig = {"value": value, "unit": "万元", "source": {"document": "t.txt", "line": line, **source}}
    if change is not None:
        fig["change"] = change
    return fig


def _silent(text: str, figures: list[dict]) -> list[int]:
    doc = open_document(text, name="t.txt")
    record = {"_meta": {"unread": []}, "figures": figures}
    return measure(record, doc, set(), set())["silent_lines"]


@pytest.mark.parametrize("words", ["与上年持平", "与上年基本持平", "较上年无变化"])
def test_a_change_said_in_words_covers_no_other_amount(words):
    good = f"公务用车运行维护费 6.00 万元，{words}。\n"
    assert _silent(good, [_fig("6.00", 1, change="0")]) == []
    bad = f"公务用车运行维护费 6.00 万元，{words}，另安排租车费 3.00 万元。\n"
    assert _silent(bad, [_fig("6.00", 1, change="0")]) == [1]


def test_a_printed_change_of_zero_is_read():
    text = "因公出国（境）费 0 万元，比上年增加（减少）0 万元。\n"
    assert _silent(text, [_fig("0", 1, change="0")]) == []
    # the change's 0 wrapped onto the next line
    text = "因公出国（境）费 0 万元，比上年增加（减少）\n0 万元。\n"
    assert _silent(text, [_fig("0", 1, change="0")]) == []
    # a figure of 0 takes the line's one printed 0: a change said in words takes none
    text = "因公出国（境）费 0 万元，与上年持平，另 3.00 万元。\n"
    assert _silent(text, [_fig("0", 1, change="0")]) == [1]


def test_a_surplus_figure_covers_the_next_amount_only():
    # a phrase wrapped: its figure is counted on the line it starts on, its change printed below
    good = "收入总计 100.00 万元，比上年增加\n\n（详见附表）\n\n10.00 万元。\n"
    assert _silent(good, [_fig("100.00", 1, change="10.00")]) == []
    # the same figure given twice (a restated total) never covers an amount printed lines later
    bad = "收入总计 100.00 万元。\n主要用于日常运转。\n另有租赁费 5.00 万元。\n"
    assert _silent(bad, [_fig("100.00", 1), _fig("100.00", 1)]) == [3]


def test_a_change_from_another_sentence_counts_where_it_is_printed():
    text = "公务接待费决算为 2.40 万元。\n\n公务接待费支出决算减少 0.10 万元。\n"
    assert _silent(text, [_fig("2.40", 1, change="-0.10", change_line=3)]) == []
    assert _silent(text, [_fig("2.40", 1, change="-0.10")]) == [3]


def test_a_budget_narratives_flat_change_leaves_its_other_amount_listed():
    example = open("examples/bureau_2025.txt", encoding="utf-8").read()
    line = "公务用车运行维护费 6.00 万元，与上年持平。"
    assert line in example
    record = read_document(example.replace(line, "公务用车运行维护费 6.00 万元，与上年持平（含租车 3.00 万元）。"),
                           name="bureau.txt")
    lines = record["_meta"]["coverage"]["lines"]
    assert lines["silent"] == 0 and lines["unread"] == 1
    assert any("3.00" in u["reason"] for u in record["_meta"]["unread"])


def test_a_change_printed_after_a_bracketed_breakdown_counts_where_it_is_printed():
    # (a budget's running costs broken down in brackets, their change wrapped two lines down)
    example = open("examples/bureau_2025.txt", encoding="utf-8").read()
    line = "2025 年部门机关运行经费预算 100.00 万元，比 2024 年预算减少"
    assert example.count(line) == 1
    record = read_document(example.replace(line, line.replace("万元，", "万元（其中：办公费 60.00 万元，差旅费 40.00 "
                                                                      "万元），")).encode("utf-8"), name="t.txt")
    running = [f for f in record_figures(record) if f["value"] == "100.00" and "机关运行经费" in f["source"]["text"]]
    assert [(f["change"], f["source"]["change_line"] - f["source"]["line"]) for f in running] == [("-4.00", 2)]
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    # the synthetic twin: counted on the figure's line instead, the change leaves its own line silent
    text = "机关运行经费 100.00 万元（其中：办公费 60.00 万元，差旅费 40.00 万元），比上年减少\n\n4.00 万元。\n"
    doc = open_document(text, name="t.txt")
    listed = {"_meta": {"unread": [{"lines": [1, 1]}]}}   # (the breakdown, as the reader lists it)
    for change_line, silent in ((3, []), (None, [3])):
        running = _fig("100.00", 1, change="-4.00", **({"change_line": change_line} if change_line else {}))
        assert measure({**listed, "figures": [running]}, doc, set(), set())["silent_lines"] == silent
