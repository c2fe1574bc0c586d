"""A coded table printed with its figures against last year (review 20 C D13), on the team's fictional example.

Beijing, Guangdong and Zhejiang print the 一般公共预算支出表 as 上年预算数 | 本年预算数 {合计 基本支出
项目支出} | 增减额 | 增减（%）.  Those columns are read as ``prior`` / ``change`` / ``pct`` and checked:
this year − prior = change, change ÷ prior = pct, and a class's change in the table = the change the
narrative states (TCH-*).  A row's share of the total (占支出总额比重（%）) is ``share``, checked
against its total.  A figure under a column no field names is not read, and not counted as read.

The variant is built from the corrected example (``CLEAN``): every table figure is the example's,
the prior-year column is this year's minus the narrative's change of the class (its first 项
carries the class's change, the other 项 none).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscalrules import load_ruleset
from test_reader_variants import CLEAN, GB_TITLE, read_and_audit

# the narrative's appropriation changes by class (（三）财政拨款支出情况) and of the total
CLASS_CHANGE = {"208": "4.00", "210": "1.00", "213": "3.00", "220": "40.00", "221": "2.00"}
TOTAL_CHANGE = "50.00"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _section(text: str) -> str:
    start = text.index(GB_TITLE) + 1
    return text[start:text.index("\n一般公共预算基本支出表\n", start)]


def _pct(change: Decimal, prior: Decimal) -> str:
    return f"{change / prior * 100:.2f}" if prior else ""


def _table(extra: dict | None = None, header3: str = "增减（%）") -> str:
    """The example's 一般公共预算支出表 with 上年预算数, 增减额 and *header3* columns; *extra*:
    {code: (prior, change, pct)} printed instead of the consistent figures."""
    section = _section(CLEAN)
    lines = section.split("\n")
    body = [l for l in lines if "\t" in l and not l.startswith(("支出功能", "科目编码", "**"))]
    out = ["一般公共预算支出表", "", "填报单位：[118]青山县自然资源局", "", "单位：万元", "",
           f"支出功能分类科目\t\t上年预算数\t2025年预算数\t\t\t增减额\t{header3}",
           "科目编码\t科目名称\t\t合计\t基本支出\t项目支出\t\t"]
    klass = ""
    first_item: set = set()
    for line in body:
        cells = line.split("\t") + [""] * 5
        code, name, total, basic, project = cells[:5]
        if len(code) == 3:
            klass = code
        if name == "合计":
            change = Decimal(TOTAL_CHANGE)
        elif len(code) == 7 and klass in first_item:
            change = Decimal("0.00")
        else:
            change = Decimal(CLASS_CHANGE[klass])
            if len(code) == 7:
                first_item.add(klass)
        prior = Decimal(total) - change
        figures = (f"{prior:.2f}", f"{change:.2f}", _pct(change, prior))
        key = code if name != "合计" else "合计"
        if extra and key in extra:
            figures = extra[key]
        out.append("\t".join([code, name, figures[0], total, basic, project, figures[1], figures[2]]))
    return "\n".join(out) + "\n"


def _read(ruleset, tmp_path, table: str):
    text = CLEAN.replace(_section(CLEAN), table, 1)
    return read_and_audit(ruleset, tmp_path, text, "prior.txt")[:2]


def test_the_columns_against_last_year_are_read_and_agree(ruleset, tmp_path):
    record, failing = _read(ruleset, tmp_path, _table())
    assert failing == set()
    table = record["tables"]["general_budget"]
    row = next(r for r in table["rows"] if r["code"] == "220")
    assert (row["prior"]["value"], row["total"]["value"], row["change"]["value"], row["pct"]["value"]) \
        == ("863.00", "903.00", "40.00", "4.63")
    assert row["pct"]["unit"] == "%" and row["prior"]["unit"] == "万元"
    assert table["totals"]["prior"]["value"] == "1100.00" and table["totals"]["change"]["value"] == "50.00"
    assert not any(key.startswith("col_") for r in table["rows"] for key in r)
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0


# (planted change, the findings it must give)
PLANTED = {
    # last year's 220 printed 873.00, the change kept: the row no longer adds up
    "prior-slip": ({"220": ("873.00", "40.00", "4.63")}, {("TCH-004", "220"), ("TCH-005", "220")}),
    # the row consistent in itself (873 + 30 = 903) but the narrative says +40.00 for the class
    "change-against-narrative": ({"220": ("873.00", "30.00", "3.44")}, {("TCH-016", "220")}),
    # the percentage only
    "pct-slip": ({"208": ("90.00", "4.00", "4.88")}, {("TCH-005", "208")}),
    # the 合计 row's change against the narrative's change of appropriation spending
    "total-change": ({"合计": ("1110.00", "40.00", "3.60")}, {("TCH-017", None)}),
}


@pytest.mark.parametrize("extra, expected", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_slip_in_the_columns_against_last_year_is_found(ruleset, tmp_path, extra, expected):
    _, failing = _read(ruleset, tmp_path, _table(extra))
    assert failing == expected


def test_a_column_no_field_names_is_listed_not_counted_as_read(ruleset, tmp_path):
    record, failing = _read(ruleset, tmp_path, _table(header3="调整数"))
    rows = record["tables"]["general_budget"]["rows"]
    assert not any(key.startswith("col_") for r in rows for key in r)
    coverage = record["_meta"]["coverage"]
    unread = [u for u in record["_meta"]["unread"] if u["section"] == "一般公共预算支出表"]
    # every row printing a figure there (all but the four rows whose 项 has no change: blank) is listed
    assert len(unread) == coverage["lines"]["unread"] > 0
    assert all("header was not understood" in u["reason"] and "调整数" in u["reason"] for u in unread)
    assert coverage["figures"]["printed"] - coverage["figures"]["read"] == len(unread)
    assert coverage["lines"]["silent"] == 0


def test_a_share_of_the_total_is_read_and_checked(ruleset, tmp_path):
    section = _section(CLEAN)
    lines = section.split("\n")
    total = Decimal("1150.00")
    out = []
    for line in lines:
        cells = line.split("\t")
        if line.startswith("支出功能"):
            line += "\t"
        elif line.startswith("科目编码"):
            line += "\t占支出总额比重（%）"
        elif line.startswith("**"):
            line += "\t4"
        elif len(cells) >= 3 and cells[2]:
            line = "\t".join(cells[:5] + [""] * (5 - len(cells[:5])) + [f"{Decimal(cells[2]) / total * 100:.2f}"])
        out.append(line)
    shared = "\n".join(out)
    record, failing = _read(ruleset, tmp_path, shared)
    assert failing == set()
    row = next(r for r in record["tables"]["general_budget"]["rows"] if r["code"] == "220")
    assert row["share"]["value"] == "78.52" and row["share"]["unit"] == "%"
    assert record["_meta"]["coverage"]["figures"]["read"] == record["_meta"]["coverage"]["figures"]["printed"]
    _, failing = _read(ruleset, tmp_path, shared.replace("\t78.52\n", "\t87.52\n", 1))
    assert failing == {("TCH-019", "220")}
