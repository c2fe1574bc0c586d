"""Review 25's reader findings (read-only review of session 25's reader changes), each a test
that failed before its mend:

* a contents list whose entries end in a page number without leader dots ran on into the body
  (a second ``_LEADER`` pattern in document/layout.py replaced the entries' one): a fifth of the
  example's amounts left out of coverage, and still "0 silent";
* "上年收入决算 X 万元" (last year's) read as the year's 收入决算 total;
* "项目支出合计 X 万元，其中：…" (a part's own total) read as the year's 本年支出合计.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscalrules.readers import read_document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CONTENTS = "目录\n一、部门主要职责 1\n二、机构设置及人员情况 2\n三、部门预算表 3\n\n"


def test_a_contents_list_with_bare_page_numbers_ends_at_the_body(tmp_path):
    text = (EXAMPLES / "bureau_2025.txt").read_text(encoding="utf-8")
    head, _, rest = text.partition("\n")
    second, _, body = rest.partition("\n")
    with_contents = tmp_path / "bureau_contents.txt"
    with_contents.write_text(f"{head}\n{second}\n{CONTENTS}{body}", encoding="utf-8")
    plain, listed = read_document(str(EXAMPLES / "bureau_2025.txt")), read_document(str(with_contents))
    assert listed["_meta"]["coverage"]["figures"] == plain["_meta"]["coverage"]["figures"]
    assert listed["_meta"]["coverage"]["lines"]["silent"] == 0
    assert listed.get("staff") is not None and plain.get("staff") is not None


fav = None


def _final_accounts(paragraphs):
    global fav
    pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")
    import final_accounts_variants  # noqa: E402  (tests/ is on the path under pytest)
    fav = final_accounts_variants
    return fav.build(paragraphs=paragraphs)


def _read(tmp_path, name, data):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return read_document(str(path))


@pytest.mark.parametrize("text, year_total", [
    ("2024年度收入决算数为1,222.60万元", True), ("本年收入决算1,222.60万元", True), ("收入决算1,222.60万元", True),
    ("本年度支出决算1,216.60万元", True), ("2024年支出决算1,216.60万元", True),
    ("上年收入决算1,100.00万元", False), ("去年支出决算1,100.00万元", False), ("上年度收入决算1,100.00万元", False),
    ("基本支出决算864.60万元", False),
])
def test_last_years_income_is_not_the_years_total(text, year_total):
    """The 情况说明's phrases (and a text extraction's) take "…收入决算 X 万元" as the year's total
    only after the year or 本年, never after 上年 / 去年 (last year's figure)."""
    import re

    from fiscalrules.readers.final_accounts.vocabulary import EXPENDITURE_FINAL, INCOME_FINAL
    assert any(re.search(pattern, text) for pattern in (INCOME_FINAL, EXPENDITURE_FINAL)) is year_total


def test_a_parts_own_total_is_not_the_years_total(tmp_path):
    plain = _read(tmp_path, "plain", _final_accounts([]))
    total = plain["expenditure"]["total"]["value"]
    record = _read(tmp_path, "part_total", _final_accounts(
        [(r"本年支出合计(?=[\d,.]+万元，其中)", "项目支出合计352.00万元，其中：文物保护352.00万元。本年支出合计")]))
    assert record["expenditure"]["total"]["value"] == total != "352.00"
    assert [row["code"] for row in record["expenditure"]["parts"]] == [row["code"] for row in plain["expenditure"]["parts"]]
