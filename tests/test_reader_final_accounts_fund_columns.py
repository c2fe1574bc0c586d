"""The 财政拨款收入支出决算总表's fund columns placed by the figures' right edge (session 28).

Figures are right-aligned in their cells and the titles centred over them, so a title starts left
of its figures' right edge and the next title right of it.  The nearest title *centre* (the reading
before) is wrong under uneven column widths: a figure at the right of a wide 合计 cell stands
nearer the centre of the narrow 一般公共预算 cell beside it, so "954.00 954.00" put two figures
under 一般公共预算 and the table's classes were listed (PDF), and a 合计 with a 政府性基金 figure
beside a blank 一般公共预算 cell would read the 合计 as 一般公共预算.

In ``pdftotext -layout`` text the columns are found in character offsets (a CJK character one
column, as -layout writes it): in display columns each row's figures drift right by the width of
its names and the header's wrapped titles do not line up.  The printing below is the team's
fictional 决算 (tests/final_accounts_variants.py) with the table's columns 150 / 75 / 170 / 150 /
60 / 60 / 60 wide and a class (城乡社区支出) paid from 政府性基金 alone; the text is pdftotext
-layout's own output of that table.  Before: every class listed, in the PDF and in the text.
"""

from __future__ import annotations

import pytest

from fiscalrules.readers import read_document

WIDTHS = [150, 75, 170, 150, 60, 60, 60]

LAYOUT_TEXT = """滨江市青石区文化旅游局
2024年度部门决算
                                          财政拨款收入支出决算总表
单位：万元
               收入                                        支出
                                                                         一般公共预算        政府性基金预算     国有资本经营
         项目         决算数                      项目          合计
                                                                          财政拨款           财政拨款      预算财政拨款
一、一般公共预算财政拨款          1,210.60 一、一般公共服务支出
二、政府性基金预算财政拨款                    二、外交支出
三、国有资本经营预算财政拨款                   三、国防支出
                                 四、公共安全支出
                                 五、教育支出
                                 六、科学技术支出
                                 七、文化旅游体育与传媒支出                 954.00        954.00
                                 八、社会保障和就业支出                   134.40        134.40
                                 九、卫生健康支出                       40.20         40.20
                                 十、节能环保支出
                                 十一、城乡社区支出                      50.00                      50.00
                                 十二、农林水支出
                                 十三、交通运输支出
                                 十四、资源勘探工业信息等支出
                                 十五、商业服务业等支出
                                 十六、金融支出
                                 十七、援助其他地区支出
                                 十八、自然资源海洋气象等支出
                                 十九、住房保障支出                      78.00         78.00
                                 二十、粮油物资储备支出
                                 二十一、国有资本经营预算支出
                                 二十二、灾害防治及应急管理支出
                                 二十三、其他支出
本年收入合计                1,210.60 本年支出合计                         1,256.60      1,206.60       50.00
年初财政拨款结转和结余               8.00 年末财政拨款结转和结余                      12.00         12.00
一、一般公共预算财政拨款              8.00
二、政府性基金预算财政拨款
            收入                          支出
                                                        一般公共预算        政府性基金预算     国有资本经营
       项目          决算数             项目   合计
                                                         财政拨款           财政拨款      预算财政拨款
三、国有资本经营预算财政拨款
总计                   1,218.60 总计             1,268.60      1,218.60       50.00
注：本表反映部门本年度财政拨款总收支和结转结余情况。
"""

EXPECTED_CLASSES = {
    "207": {"total": "954.00", "general_budget": "954.00"},
    "208": {"total": "134.40", "general_budget": "134.40"},
    "210": {"total": "40.20", "general_budget": "40.20"},
    "212": {"total": "50.00", "gov_fund": "50.00"},
    "221": {"total": "78.00", "general_budget": "78.00"},
}
EXPECTED_TOTALS = {
    "expenditure_total": {"total": "1256.60", "general_budget": "1206.60", "gov_fund": "50.00"},
    "closing": {"total": "12.00", "general_budget": "12.00"},
    "grand_total": {"general_budget": "1218.60", "gov_fund": "50.00"},
}


def _uneven_widths(title, header, widths, rows, options):
    from final_accounts_variants import _cents, wan
    if title != "财政拨款收入支出决算总表":
        return None
    changed = []
    for row in rows:
        row = list(row)
        if row[2] == "十一、城乡社区支出":
            row[3:7] = ["50.00", "", "50.00", ""]
        elif row[2] in ("本年支出合计", "总计"):
            row[3:7] = [wan(_cents(row[3]) + 5000), row[4], "50.00", ""]
        changed.append(row)
    return header, WIDTHS, changed, options


def _fund_table(record: dict) -> tuple[dict, dict]:
    table = record["tables"]["appropriation_summary"]
    classes = {row["code"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)}
               for row in table.get("expenditure", []) if len(row) > 2}
    totals = {key: {k: v["value"] for k, v in table[key].items()} for key in EXPECTED_TOTALS if key in table}
    return classes, totals


def _unplaced(record: dict) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"]
            if u["section"] == "财政拨款收入支出决算总表" and "fund columns" in u["reason"]]


def test_a_pdf_with_a_wide_total_column_places_each_figure_under_its_own_title():
    import final_accounts_variants
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    record = read_document(final_accounts_variants.build(table=_uneven_widths), name="uneven.pdf")
    assert _fund_table(record) == (EXPECTED_CLASSES, EXPECTED_TOTALS)
    assert _unplaced(record) == []


def test_its_layout_text_is_placed_by_character_offsets():
    record = read_document(LAYOUT_TEXT.encode(), name="uneven.txt")
    assert _fund_table(record) == (EXPECTED_CLASSES, EXPECTED_TOTALS)
    assert _unplaced(record) == []
    assert record["tables"]["appropriation_summary"]["income_grand_total"]["value"] == "1218.60"


def test_figures_that_do_not_end_together_under_a_title_are_not_placed():
    # the same text with one row's figures moved six characters left of where the others end:
    # in no coordinate system do the columns line up, so the lines are read as positionless text
    # (a line printing two of the four figures is listed, never guessed)
    moved = LAYOUT_TEXT.replace("十一、城乡社区支出                      50.00",
                                "十一、城乡社区支出                50.00      ")
    assert moved != LAYOUT_TEXT
    record = read_document(moved.encode(), name="moved.txt")
    classes, _ = _fund_table(record)
    assert "212" not in classes and "207" not in classes
    assert any("城乡社区支出" in reason for reason in _unplaced(record))


def test_the_last_rows_of_a_page_stay_in_their_own_pages_columns():
    # review 28: the page going on repeats the header without a title, right under the previous
    # page's last rows; those rows (figures printed) are no title of the next part -- taken into it
    # they were placed by the next page's columns (its 合计 12.00 read as 国有资本经营)
    income = "一、一般公共预算财政拨款              8.00\n二、政府性基金预算财政拨款\n"
    assert income in LAYOUT_TEXT
    moved = LAYOUT_TEXT.replace(income, "").replace("三、国有资本经营预算财政拨款\n总计",
                                                    income + "三、国有资本经营预算财政拨款\n总计")
    assert moved != LAYOUT_TEXT
    record = read_document(moved.encode(), name="moved.txt")
    _, totals = _fund_table(record)
    assert totals["closing"] == EXPECTED_TOTALS["closing"], totals
