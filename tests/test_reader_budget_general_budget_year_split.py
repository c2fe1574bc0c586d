"""The split of the 一般公共预算当年拨款 scale part: 基本支出 / 项目支出 (and 人员经费 / 公用经费 under
基本支出) with their changes, percentages and shares.

Documents following the central template print, after the year's appropriation and its change,
its split by kind of spending -- "其中：基本支出 X 万元，比上年增加 C 万元，增长 P%；项目支出 …", "按
支出性质分，…", or a sentence of its own.  The parts were listed unread ("amount 3411.12万元 (基本支出)
not mapped to a field"), so nothing held them to the total, to their changes or to the tables.

The team's fictional example (examples/bureau_2025.txt: general budget table 1,150.00 = 基本支出
880.00 + 项目支出 270.00; basic table 880.00 = 人员经费 780.00 + 公用经费 100.00) with the section
added, the split printed as documents print it, must read every part and audit as the example; each
slip planted in it must get the named finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")
_BEFORE = "（四）政府性基金情况"

# The year's appropriation 1,150.00 (+50.00 on 1,100.00); basic 880.00 (+30.00 on 850.00 → 3.53%),
# project 270.00 (+20.00 on 250.00 → 8.00%); shares 76.52% / 23.48%.
_SECTION = """二、一般公共预算当年拨款情况

（一）一般公共预算当年拨款规模变化情况

2025 年一般公共预算当年拨款 1,150.00 万元，比 2024 年执行数增加 50.00 万元，增长 4.55%。{split}主要原因是国土空间
规划编制任务增加。

（二）一般公共预算当年拨款结构情况

社会保障和就业（类）支出 94.00 万元，占 8.17%；卫生健康（类）支出 37.00 万元，占 3.22%；农林水（类）支出
48.00 万元，占 4.17%；自然资源海洋气象等（类）支出 903.00 万元，占 78.52%；住房保障（类）支出 68.00 万元，
占 5.91%。

"""

SPLITS = {
    # "其中：" after the total's sentence, each part with its change (the central template's wording)
    "of_which": ("其中：基本支出 880.00 万元，比 2024 年增加 30.00 万元，增长 3.53%；项目支出 270.00 万元，\n"
                 "比 2024 年增加 20.00 万元，增长 8.00%。"),
    # by the spending's nature, each part with its share of the total
    "by_nature": ("按支出性质分，基本支出 880.00 万元，占 76.52%，比 2024 年增加 30.00 万元，增长 3.53%；\n"
                  "项目支出 270.00 万元，占 23.48%，比 2024 年增加 20.00 万元，增长 8.00%。"),
    # a sentence of its own, 人员经费 / 公用经费 under 基本支出
    "own_sentence": ("一般公共预算当年拨款中，基本支出 880.00 万元，较 2024 年增加 30.00 万元，增长 3.53%，其中：\n"
                     "人员经费 780.00 万元，公用经费 100.00 万元；项目支出 270.00 万元，较 2024 年增加 20.00 万元，"
                     "增长 8.00%。"),
}


def _document(split: str) -> str:
    assert EXAMPLE.count(_BEFORE) == 1
    return EXAMPLE.replace(_BEFORE, _SECTION.format(split=split) + _BEFORE)


def _audit(text: str):
    record = read_document(text.encode("utf-8"), name="central.txt")
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return record, {f.rule for f in report.findings if f.status in ("fail", "not_evaluable")}, report


@pytest.fixture(scope="module")
def example_failing():
    return _audit(_document(""))[1]


def _value(figure: dict) -> tuple:
    return figure["value"], figure.get("change"), figure.get("pct")


@pytest.mark.parametrize("name", list(SPLITS))
def test_the_split_is_read_and_audits_as_the_example(example_failing, name):
    record, failing, report = _audit(_document(SPLITS[name]))
    year = record["general_budget_year"]
    assert _value(year["total"]) == ("1150.00", "50.00", "4.55")
    assert _value(year["basic"]) == ("880.00", "30.00", "3.53")
    assert _value(year["project"]) == ("270.00", "20.00", "8.00")
    assert year["change_reason"]["value"] == "国土空间规划编制任务增加"
    if name == "by_nature":
        assert (year["shares"]["basic"]["value"], year["shares"]["project"]["value"]) == ("76.52", "23.48")
    if name == "own_sentence":
        assert (year["basic_personnel"]["value"], year["basic_public"]["value"]) == ("780.00", "100.00")
    assert not any("当年拨款" in u["section"] for u in record["_meta"]["unread"]), record["_meta"]["unread"]
    assert failing == example_failing
    # every rule of the split was checked, and passed
    checked = {f.rule for f in report.findings if f.status in ("pass", "pass_rounding")}
    expected = {"GBY-009", "GBY-010", "GBY-011", "GBY-012", "GBY-013", "GBY-015"}
    expected |= {"by_nature": {"GBY-017"}, "own_sentence": {"GBY-014", "GBY-016"}}.get(name, set())
    assert expected <= checked, expected - checked


# (the split replaced, the slip planted in it, the rules it must fail)
BAD = [
    # a part that does not add up with the other to the total, nor equals the table's
    ("basic", "own_sentence", "基本支出 880.00 万元", "基本支出 890.00 万元", {"GBY-009", "GBY-012", "GBY-014", "GBY-015"}),
    # the parts add up, but to other columns than the table's
    ("shifted", "of_which", ("基本支出 880.00 万元", "项目支出 270.00 万元"), ("基本支出 870.00 万元", "项目支出 280.00 万元"),
     {"GBY-012", "GBY-013", "GBY-015"}),
    # a change that leaves the parts' changes short of the total's, and its percentage with it
    ("change", "of_which", "增加 30.00 万元，增长 3.53%", "增加 35.00 万元，增长 3.53%", {"GBY-010", "GBY-011"}),
    # a percentage alone
    ("percentage", "of_which", "增长 8.00%", "增长 8.80%", {"GBY-011"}),
    # a share
    ("share", "by_nature", "占 23.48%", "占 24.38%", {"GBY-017"}),
    # 人员经费 and 公用经费 that do not make up 基本支出, nor equal the basic table's columns
    ("personnel", "own_sentence", "人员经费 780.00 万元", "人员经费 790.00 万元", {"GBY-014", "GBY-016"}),
]


@pytest.mark.parametrize("name, split, old, new, rules", BAD, ids=[b[0] for b in BAD])
def test_a_slip_in_the_split_is_found(example_failing, name, split, old, new, rules):
    text = SPLITS[split]
    for o, n in zip(*((old, new) if isinstance(old, tuple) else ((old,), (new,)))):
        assert text.count(o) == 1, o
        text = text.replace(o, n)
    _, failing, _ = _audit(_document(text))
    assert rules <= failing - example_failing, (rules, failing - example_failing)


def test_the_parts_are_not_compared_with_a_table_holding_more_than_the_year():
    # (a table holding carried-over funds is larger than the year's appropriation: GBY-004's rule)
    text = _document(SPLITS["of_which"]).replace("1150.00\t880.00\t270.00", "1190.00\t880.00\t310.00")
    _, failing, report = _audit(text)
    statuses = {f.rule: f.status for f in report.findings if f.rule in ("GBY-012", "GBY-013")}
    assert statuses == {"GBY-012": "not_applicable", "GBY-013": "not_applicable"}


def test_last_years_parts_are_no_part_of_the_split():
    # ("2024 年基本支出 850.00 万元": the prior year's figure, printed after the year's own parts -- not
    # a second 基本支出 of the year, which was listed as a 'duplicate' of it)
    split = "其中：2025 年基本支出 880.00 万元，项目支出 270.00 万元；2024 年基本支出 850.00 万元，上年项目支出 250.00 万元。"
    record, _, _ = _audit(_document(split))
    year = record["general_budget_year"]
    assert (year["basic"]["value"], year["project"]["value"]) == ("880.00", "270.00")
    unread = [u["reason"] for u in record["_meta"]["unread"] if "当年拨款" in u["section"]]
    assert len(unread) == 2 and all("not mapped" in u for u in unread), unread
