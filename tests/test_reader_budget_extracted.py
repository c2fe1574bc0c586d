"""The budget as ``pdftotext`` without ``-layout`` writes it (session 25), made from the team's
fictional example budget (examples/qingshi_culture_2025.pdf, its planted errors in): the PDF's
lines written out again with a table's cells a line each (blank lines between), the contents'
"目录" over two lines and each entry's dotted leader on a line of its own.

It may make no finding the PDF does not (findings ⊆ the PDF's) and leave no figure silent: the
contents are found whole (their entries were read as the tables' titles, the real tables then
refused as duplicates and the 三公 table read as empty: false TPF-003/004/006 on real documents),
figures no row of a table took are listed, and a table that prints figures is never "empty".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshi_culture_2025.pdf"
_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?$")
_LEADER = re.compile(r"\s*(…{3,})\s*$")
_cache: dict = {}


def _text() -> str:
    doc = open_document(EXAMPLE.read_bytes(), name="example.pdf")
    parts: list[str] = []
    page = 1
    for line in doc.lines:
        if line.page != page:
            parts.append("\f")
            page = line.page
        words = [w.text for w in line.words]
        if line.compact == "目录":
            parts += ["目", "", "录", ""]
        elif _LEADER.search(line.text):
            parts += [_LEADER.sub("", line.text), "", _LEADER.search(line.text).group(1), ""]
        elif sum(bool(_NUMBER.match(w)) for w in words) >= 2 and "。" not in line.text and "万元" not in line.text:
            for word in words:
                parts += [word, ""]
        else:
            parts.append(line.text)
    return "\n".join(parts).replace("\n\f\n", "\n\f")


def _read(kind: str):
    if kind not in _cache:
        data = EXAMPLE.read_bytes() if kind == "pdf" else _text().encode()
        record = read_document(data, name=f"example.{kind}")
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        _cache[kind] = record, {f.rule for f in report.findings if f.status == "fail"}
    return _cache[kind]


def test_a_cell_a_line_budget_finds_only_what_the_pdf_finds_and_leaves_nothing_silent():
    record, failing = _read("txt")
    _, pdf = _read("pdf")
    assert failing <= pdf
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    # the contents end at the body: the narrative is read
    assert record["income"]["total"]["value"] == "1216.60"


def test_a_table_printing_figures_no_row_took_is_not_empty():
    record, _ = _read("txt")
    for key in ("three_public", "general_budget", "income"):
        table = record["tables"].get(key, {})
        assert table.get("empty") is not True, key
        assert table.get("rows") != [], key


# A 财务收支预算总表 as pdftotext -layout prints it: each figure right-aligned one space before the
# next column's name, so the text grid takes the right side's names and figures for one cell.
LAYOUT = """滨江市青石区文化旅游局2025年部门预算

2025年部门预算编制说明
2025年，本部门收入预算1,216.60万元，支出预算1,216.60万元，其中：财政拨款收入1,216.60万元。


2025年部门财务收支预算总表
编制部门：滨江市青石区文化旅游局                                                单位：元
                  本年收入                                   本年支出

           项目             预算数                       项目          预算数

一、财政拨款收入                   12,166,000 一、文化旅游体育与传媒支出          9,640,000

1. 一般公共预算资金                12,166,000 二、社会保障和就业支出              1,344,000

2. 政府性基金                                 三、卫生健康支出                    402,000

3. 国有资本经营预算                              四、住房保障支出                    780,000

二、事业收入

           收入总计            12,166,000            支出总计           12,166,000
"""


def test_a_summary_table_whose_figures_the_text_grid_glued_to_names_is_read_by_tokens():
    record = read_document(LAYOUT, name="layout.txt")
    sides = record["tables"]["summary"]
    names = [row["name"] for side in ("income", "expenditure") for row in sides[side]["rows"]]
    assert not any(re.search(r"\d,\d{3}", name) for name in names), names
    assert [row["amount"]["value"] for row in sides["expenditure"]["rows"]] == ["9640000", "1344000", "402000", "780000"]
    assert sides["expenditure"]["totals"]["amount"]["value"] == "12166000"
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


# The 三公 table as pdftotext -layout prints a header over three lines: "公务用车购置及运行费" stands
# off its three columns, so the 小计 under it is named by no group.  It is the group whose parts
# follow it (小计 | 购置费 | 运行费: the 公务用车 subtotal); read as a bare 小计, the table had no
# 公务用车购置及运行费 and the rules took it for 0 (false TPF-006/007/008 on a correct document).
THREE_PUBLIC_LAYOUT = """滨江市青石区文化旅游局2025年部门预算

                               2025年部门“三公”经费和机关运行经费预算表
编制部门：滨江市青石区文化旅游局                              单位：万元

                                  “三公”经费预算数
                                                             公务用车购置及运行费                机关运行经费预算数
    合计          因公出国(境)费       公务接待费
                                                 小计             购置费       运行费

         8.40              0           2.40           6.00            0         6.00          58.00
"""


def test_a_three_public_subtotal_standing_off_its_group_is_the_groups():
    record = read_document(THREE_PUBLIC_LAYOUT, name="three_public_layout.txt")
    (row,) = record["tables"]["three_public"]["rows"]
    assert {k: v["value"] for k, v in row.items()} == {
        "total": "8.40", "overseas": "0", "reception": "2.40", "vehicle": "6.00", "vehicle_purchase": "0",
        "vehicle_operation": "6.00", "operating_costs": "58.00"}
    failing = {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
               if f.status == "fail"}
    assert not {r for r in failing if r.startswith("TPF")}


# A coded table as pdftotext -layout writes it: every character one column, so the figures after a
# long name stand further right than after a short one, by display columns ("机关事业单位…" vs
# "文物").  Read by character offsets when display columns do not line up (before: the 合计 and
# 基本支出 runs merged, the table was listed: 3 of its 21 figures read).  A name's cell that took an
# amount (columns not told apart) is never read as a name.
EXPENDITURE_LAYOUT = """滨江市青石区文化旅游局2025年部门预算

                                        2025年部门支出预算总表
编制部门：滨江市青石区文化旅游局                         单位：元
                        项目                                        支出预算
  功能分类科目编码
                             功能分类科目名称           合计                基本支出             项目支出
 类     款    项
 207             文化旅游体育与传媒支出                     9,640,000.00       6,120,000.00     3,520,000.00
 207   01        文化和旅游                           8,660,000.00       6,120,000.00     2,540,000.00
 207   01   01   行政运行                            6,120,000.00       6,120,000.00
 207   01   02   一般行政管理事务                            850,000.00                       850,000.00
 207   01   09   群众文化                            1,260,000.00                        1,260,000.00
 207   01   99   其他文化和旅游支出                           430,000.00                       430,000.00
 207   02        文物                                  980,000.00                       980,000.00
 207   02   04   文物保护                                980,000.00                       980,000.00
合计                                               9,640,000.00       6,120,000.00     3,520,000.00
"""


def test_a_table_aligned_by_characters_is_read_by_them():
    record = read_document(EXPENDITURE_LAYOUT, name="expenditure_layout.txt")
    table = record["tables"]["expenditure"]
    rows = {r["code"]: tuple(r.get(k, {}).get("value") for k in ("total", "basic", "project")) for r in table["rows"]}
    assert rows["207"] == ("9640000.00", "6120000.00", "3520000.00")
    assert rows["2070101"] == ("6120000.00", "6120000.00", None)
    assert rows["2070109"] == ("1260000.00", None, "1260000.00") and len(rows) == 8
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"] == {"read": 21, "printed": 21} and coverage["lines"]["silent"] == 0
