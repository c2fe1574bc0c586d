"""Two table shapes other provinces print, on the team's fictional example (review 20 C).

* D1: budget software prints an empty fund table as a 合计 row of zeros ("0.00" or "0") -- the
  table is empty (no spending), so the narrative's "本部门没有使用政府性基金预算拨款安排的支出"
  agrees with it; a row with an amount is still data, and the contradiction still found.
* D9 (safety half): a table that prints one code twice with other figures holds groups (each
  unit's rows) the reader does not tell apart; summing its first rows as the whole table gave 29
  严重 on a correct document.  Such a table is listed row by row, never read in part; a row
  repeated with the same figures (a page break) is still the one kept.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from test_reader_variants import CLEAN, GB_TITLE, read_and_audit

FUND_HEADER = "政府性基金预算支出表\n\n单位：万元\n\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n**\t**\t1\t2\t3\n"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, text: str):
    return read_and_audit(ruleset, tmp_path, text, "variant.txt")[:2]


def _with_fund_rows(rows: str) -> str:
    assert FUND_HEADER in CLEAN
    return CLEAN.replace(FUND_HEADER, FUND_HEADER + rows, 1)


@pytest.mark.parametrize("rows", ["\t合计\t0.00\t0.00\t0.00\n", "\t合计\t0\t0\t0\n",
                                  "\t合计\t0.00\t0.00\t0.00\n2120801\t征地和拆迁补偿支出\t0.00\t\t0.00\n"],
                         ids=["zeros", "bare-zeros", "a-row-of-zeros"])
def test_a_fund_table_printing_only_zeros_is_empty(ruleset, tmp_path, rows):
    record, failing = _read(ruleset, tmp_path, _with_fund_rows(rows))
    assert record["tables"]["gov_fund"]["empty"] is True
    assert not failing   # FND-001 agrees with the narrative's 没有政府性基金支出


def test_a_fund_table_with_an_amount_still_contradicts_the_narrative(ruleset, tmp_path):
    rows = "\t合计\t20.00\t0.00\t20.00\n2120801\t征地和拆迁补偿支出\t20.00\t\t20.00\n"
    record, failing = _read(ruleset, tmp_path, _with_fund_rows(rows))
    assert record["tables"]["gov_fund"]["empty"] is False
    assert ("FND-001", None) in failing


# ---- one code printed twice with other figures -------------------------------------------------

GB_ROWS = ("208\t社会保障和就业支出\t94.00\t94.00\t\n", "05\t行政事业单位养老支出\t94.00\t94.00\t\n")


def _general_budget_section(text: str) -> str:
    start = text.index(GB_TITLE)
    return text[start:text.index("\n一般公共预算基本支出表\n", start)]


def test_a_code_printed_again_with_other_figures_lists_the_table_unread(ruleset, tmp_path):
    section = _general_budget_section(CLEAN)
    assert all(row in section for row in GB_ROWS)
    # a second group of the same classes with other figures, as a unit-by-unit table prints them
    clashing = section.rstrip("\n") + "\n" + "208\t社会保障和就业支出\t12.00\t12.00\t\n" \
        + "05\t行政事业单位养老支出\t12.00\t12.00\t\n" + "2080505\t机关事业单位基本养老保险缴费支出\t12.00\t12.00\t\n"
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(section, clashing, 1))
    table = record["tables"]["general_budget"]
    assert "rows" not in table and table["empty"] is False
    unread = [u for u in record["_meta"]["unread"] if u["section"] == "一般公共预算支出表"]
    assert len(unread) >= section.count("\n2") + 3
    assert any("code 208 is printed again with other figures" in u["reason"] for u in unread)
    assert not {rule for rule, _ in failing if rule.startswith(("TBL-02", "TBL-03"))}


def test_a_row_repeated_with_the_same_figures_is_kept_once(ruleset, tmp_path):
    section = _general_budget_section(CLEAN)
    repeated = section.replace(GB_ROWS[1], GB_ROWS[1] + GB_ROWS[1], 1)
    record, failing = _read(ruleset, tmp_path, CLEAN.replace(section, repeated, 1))
    clean_record, _ = _read(ruleset, tmp_path, CLEAN)
    def figures(r):
        return [(row["code"], row["total"]["value"]) for row in r["tables"]["general_budget"]["rows"]]
    assert figures(record) == figures(clean_record)
    assert [u["reason"] for u in record["_meta"]["unread"] if u["section"] == "一般公共预算支出表"] \
        == ["row 20805 printed a second time, not read: 05\t行政事业单位养老支出\t94.00\t94.00"]
    assert not failing
