"""The parts of the 决算's income and spending as other regions list them.

二、"本年收入合计 X 万元，其中：财政拨款收入 A 万元，占 S%；…" lists the total's parts, each with its
share of the total.  A part printed under another name ("单位资金收入 5.00 万元，占 0.41%", as other
regions print their own sources) is one of them all the same: the reader skipped it, and NAR-002
(the total equals its parts' sum) then failed by its amount on a correct document.  It is now a row of
code "" with its printed name, so the sum and its share are checked; an item of a part's own
breakdown ("（其中：培训收入 5.00 万元，占 0.41%）") is not a part, and is listed unread as before --
nor is a kind of the 财政拨款 printed in its breakdown, which was counted twice; a part printed
without its share ("上级补助收入 0 万元；") is read.

Made from the team's fictional example 决算 (tests/final_accounts_variants.py), its figures unchanged
but for the paragraph reworded: 事业收入 12.00 万元 printed as 7.00 + an unnamed 5.00.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as variants  # noqa: E402  (tests/ is on the path)

INCOME = r"^本年收入合计.*$"
SPENDING = r"^本年支出合计.*$"
# the template's sentence, and a wording its sentence does not read (read by the phrases)
TEMPLATE = ("本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占99.02%；事业收入7.00万元，占0.57%；"
            "单位资金收入{A}万元，占{S}%。")
REWORDED = ("2024年度收入决算1,222.60万元，比上年增加50.00万元，增长4.26%。其中：财政拨款收入1,210.60万元，"
            "占本年收入的99.02%；事业收入7.00万元，占本年收入的0.57%；单位资金收入{A}万元，占本年收入的{S}%。")
UNNAMED = ("", "单位资金收入", "5.00", "0.41")


def _read(pattern: str, wording: str):
    record = read_document(variants.build(paragraphs=[(pattern, wording)]), name="reworded.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


def _rows(record: dict, path: str) -> list:
    node = record
    for key in path.split("."):
        node = node[key]
    return [(r["code"], r["name"], r["amount"]["value"], r.get("share", {}).get("value")) for r in node]


@pytest.mark.parametrize("wording", [TEMPLATE, REWORDED], ids=["template", "reworded"])
def test_an_unnamed_part_is_one_of_the_parts(wording):
    record, failing = _read(INCOME, wording.format(A="5.00", S="0.41"))
    assert UNNAMED in _rows(record, "income.sources")
    assert failing == set()                  # NAR-002 failed by 5.00 万元
    assert not record["_meta"].get("unread")
    # and it is checked: its share, and its amount in the parts' sum
    _, failing = _read(INCOME, wording.format(A="5.00", S="4.41"))
    assert "PCT-001" in failing
    _, failing = _read(INCOME, wording.format(A="6.00", S="0.41"))
    assert "NAR-002" in failing


# (the list, its rows' path and codes, what is listed unread)
NOT_PARTS = [
    ("in_brackets", INCOME, "本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占99.02%；事业收入12.00万元，"
     "占0.98%（其中：培训收入5.00万元，占0.41%）。", "income.sources", ["appropriation", "business"], "5.00万元"),
    ("after_a_part", INCOME, "2024年度收入决算1,222.60万元。其中：财政拨款收入1,210.60万元，占本年收入的99.02%，其中："
     "项目资金收入5.00万元，占0.41%；事业收入12.00万元，占本年收入的0.98%。", "income.sources",
     ["appropriation", "business"], "5.00万元"),
    # 公用经费 follows a "；" as a part would, but its share is of 基本支出: as a part it failed NAR-005
    # by 164.60 万元 (and its share PCT-002)
    ("share_of_a_part", SPENDING, "本年支出合计1,216.60万元，其中：基本支出864.60万元，占71.07%，其中：人员经费700.00万元，"
     "占基本支出的80.96%；公用经费164.60万元，占基本支出的19.04%；项目支出352.00万元，占28.93%。", "expenditure.parts",
     ["basic", "project"], None),
    ("share_of_a_part_reworded", SPENDING, "2024年度支出决算1,216.60万元。其中：基本支出864.60万元，占本年支出的71.07%，"
     "其中：人员经费700.00万元，占基本支出的80.96%；公用经费164.60万元，占基本支出的19.04%；项目支出352.00万元，"
     "占本年支出的28.93%。", "expenditure.parts", ["basic", "project"], None),
]


@pytest.mark.parametrize("pattern, wording, path, codes, unread", [case[1:] for case in NOT_PARTS],
                         ids=[case[0] for case in NOT_PARTS])
def test_an_item_of_a_parts_breakdown_is_not_a_part(pattern, wording, path, codes, unread):
    record, failing = _read(pattern, wording)
    assert [row[0] for row in _rows(record, path)] == codes
    assert failing == set()
    if unread:
        assert any(unread in u["reason"] for u in record["_meta"]["unread"]), record["_meta"].get("unread")


def test_an_unnamed_part_of_spending():
    # (项目支出 printed as 342.00 + an unnamed 10.00: the table's 352.00 differs from the first, NAR-006)
    record, failing = _read(SPENDING, "本年支出合计1,216.60万元，其中：基本支出864.60万元，占71.07%；项目支出"
                                      "342.00万元，占28.11%；专项业务支出10.00万元，占0.82%。")
    assert ("", "专项业务支出", "10.00", "0.82") in _rows(record, "expenditure.parts")
    assert failing == {"NAR-006"}           # NAR-005, the parts' sum, failed by 10.00 万元 too


def test_the_kinds_in_a_sources_breakdown_are_not_counted_again():
    # the 财政拨款's kinds printed in brackets after it: as rows of their own they were added to it,
    # and NAR-002 failed by 1,210.60 万元 on a correct document
    record, failing = _read(INCOME, "本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占99.02%（其中：一般公共"
                                    "预算财政拨款收入1,210.60万元，占99.02%）；事业收入12.00万元，占0.98%。")
    assert [row[0] for row in _rows(record, "income.sources")] == ["appropriation", "business"]
    assert failing == set()
    assert any("一般公共预算财政拨款收入" in u["reason"] for u in record["_meta"]["unread"])
    # printed instead of 财政拨款收入, the kinds are the parts (as before)
    record, failing = _read(INCOME, "本年收入合计1,222.60万元，其中：一般公共预算财政拨款收入1,210.60万元，占99.02%；"
                                    "事业收入12.00万元，占0.98%。")
    assert [row[0] for row in _rows(record, "income.sources")] == ["general_budget", "business"]
    assert failing == set()


def test_a_part_of_nothing_printed_without_its_share_is_read():
    # ("上级补助收入 0 万元；": listed unread, four times, on a correct document)
    record, failing = _read(INCOME, "本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占99.02%；上级补助收入0万元；"
                                    "事业收入12.00万元，占0.98%；经营收入0万元；其他收入0万元。")
    assert _rows(record, "income.sources") == [
        ("appropriation", "财政拨款收入", "1210.60", "99.02"), ("superior_subsidy", "上级补助收入", "0", None),
        ("business", "事业收入", "12.00", "0.98"), ("operating", "经营收入", "0", None), ("other", "其他收入", "0", None)]
    assert failing == set()
    assert not record["_meta"].get("unread")
    # a name not known, without a share, is not taken for a part
    record, _ = _read(INCOME, "本年收入合计1,222.60万元，其中：财政拨款收入1,210.60万元，占99.02%；事业收入12.00万元，"
                              "占0.98%；专项资金5.00万元。")
    assert [row[0] for row in _rows(record, "income.sources")] == ["appropriation", "business"]
    assert any("专项资金" in u["reason"] for u in record["_meta"]["unread"])


@pytest.mark.parametrize("text, expected", [
    ("财政拨款收入1,210.60万元（其中：一般公共预算（含上级补助）1,200.00万元）；事业收入", True),   # brackets closed
    ("事业收入12.00万元（其中：培训收入", False),                                                 # left open
    ("财政拨款收入1,210.60万元，其中：项目资金收入", False),                                       # its own 其中
    ("财政拨款收入1,210.60万元，其中：项目资金收入5.00万元；事业收入", True),                      # a new part after "；"
    ("（其中：财政拨款收入1,210.60万元；事业收入", True),                                           # the list's own opening
    ("1" + "（" * 20000 + "）" * 20000 + "；单位资金收入", True),   # (one pass over the text: nested
    ("1" + "（" * 20000 + "）" * 19999 + "；单位资金收入", False),  # brackets were removed a pair a pass)
])
def test_what_stands_outside_a_parts_breakdown(text, expected):
    from fiscalrules.readers.final_accounts.phrases import listed_part
    assert listed_part(text, len(text)) is expected
