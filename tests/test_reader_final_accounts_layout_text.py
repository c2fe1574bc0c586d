"""The 决算's coded tables as ``pdftotext -layout`` writes them (session 27), read by character offsets.

-layout puts each word where the PDF draws it, one character a column -- a CJK character too,
though drawn twice as wide -- so the figures after a long name stand further right, by display
columns, than after a short one, and the 决算's coded tables were read by their tokens: every row
leaving a cell blank (most of them: 项目支出 blank under 行政运行) was listed.  Read now as the
budget's tables are (readers/budget/tables.py, session 26): a grid over the lines' character
offsets (``document.model.char_columns``), taken only where its columns line up and its headers
stand where right-aligned figures under centred headers put them (``document.offsets``): a header
the grid gave to the figures of the column beside it makes the table listed, never misread.

The texts below are pdftotext -layout's own output for the team's fictional example 决算
(examples/qingshi_culture_2024_final_accounts.pdf, its planted errors in: 群众文化's 合计 36.00 over
its columns in the 支出决算表), and for its header printed over three lines
(tests/final_accounts_variants.py).  Before: 0 of the 90 figures read (every row listed).
"""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.readers import read_document

EXPENDITURE = """滨江市青石区文化旅游局
2024年度部门决算
                                   滨江市青石区文化旅游局2024年度部门决算表
                                           支出决算表
单位：万元
                       项目
                                                                                                   对附属单位
      功能分类                             本年支出合计        基本支出           项目支出           上缴上级支出   经营支出
                            科目名称                                                                    补助支出
      科目编码
合计                                        1,216.60      864.60         352.00
207          文化旅游体育与传媒支出                   964.00       612.00         352.00
20701        文化和旅游                         866.00       612.00         254.00
2070101      行政运行                          612.00       612.00
2070102      一般行政管理事务                       85.00                          85.00
2070109      群众文化                          162.00                      126.00
2070199      其他文化和旅游支出                      43.00                          43.00
20702        文物                             98.00                          98.00
2070204      文物保护                           98.00                          98.00
208          社会保障和就业支出                     134.40       134.40
20805        行政事业单位养老支出                    134.40       134.40
2080501      行政单位离退休                        31.20           31.20
2080505      机关事业单位基本养老保险缴费支出               68.80           68.80
2080506      机关事业单位职业年金缴费支出                 34.40           34.40
210          卫生健康支出                         40.20           40.20
21011        行政事业单位医疗                       40.20           40.20
2101101      行政单位医疗                         40.20           40.20
221          住房保障支出                         78.00           78.00
22102        住房改革支出                         78.00           78.00
2210201      住房公积金                          51.60           51.60
2210203      购房补贴                           26.40           26.40
注：本表反映部门本年度各项支出情况。
                                       滨江市青石区文化旅游局2024年度部门决算表
                                        一般公共预算财政拨款支出决算表
单位：万元
                           项目
        功能分类                                        合计              基本支出            项目支出
                                科目名称
        科目编码
207            文化旅游体育与传媒支出                                954.00           612.00          342.00
20701          文化和旅游                                      866.00           612.00          254.00
2070101        行政运行                                       612.00           612.00
2070102        一般行政管理事务                                    85.00                            85.00
2070109        群众文化                                       126.00                           126.00
2070199        其他文化和旅游支出                                   43.00                            43.00
20702          文物                                          88.00                            88.00
2070204        文物保护                                        88.00                            88.00
208            社会保障和就业支出                                  134.40           134.40
20805          行政事业单位养老支出                                 134.40           134.40
2080501        行政单位离退休                                     31.20            31.20
2080505        机关事业单位基本养老保险缴费支出                            68.80            68.80
2080506        机关事业单位职业年金缴费支出                              34.40            34.40
210            卫生健康支出                                      40.20            40.20
21011          行政事业单位医疗                                    40.20            40.20
2101101        行政单位医疗                                      40.20            40.20
221            住房保障支出                                      78.00            78.00
22102          住房改革支出                                      78.00            78.00
2210201        住房公积金                                       51.60            51.60
2210203        购房补贴                                        26.40            26.40
合计                                                       1,206.60          864.60          342.00
注：本表反映部门本年度一般公共预算财政拨款支出情况。
"""

# 支出决算表 whose header cells wrap over three lines: 项目 | 支出 stands left of the 项目支出 figures,
# 上缴 | 上级 | 支出 right of them.  The grid by offsets gave the figures to 上缴上级支出 (the nearest
# run was taken for its own), and the table was listed; read by where the figures end, each cell's
# upper pieces ("本年" over "支出 / 合计") no longer keep its own leaf from the figures under it, nor is
# the narrow 经营 | 支出 between two wrapped cells taken for their group title (session 31).
THREE_LINE_HEADER = """滨江市青石区文化旅游局
2024年度部门决算
                                            支出决算表
单位：万元
                        项目
                                       本年                                        上缴        对附属
        功能分                                          基本            项目                 经营
                             科目        支出                                        上级        单位补
        类科目                                          支出            支出                 支出
                             名称        合计                                        支出        助支出
         编码
合计                                       1,216.60         864.60        352.00
207           文化旅游体育与传媒支出                   964.00        612.00        352.00
20701         文化和旅游                         866.00        612.00        254.00
2070101       行政运行                          612.00        612.00
"""


def _read(text: str):
    record = read_document(text, name="layout.txt")
    failing = {f"{f.rule}[{f.item}]" if getattr(f, "item", None) else f.rule
               for f in fiscalrules.load_ruleset("final_accounts").evaluate(record).findings
               if f.status == "fail" and f.rule != "QUA-010"}
    return record, failing


def _values(record, key: str) -> dict:
    table = record["tables"][key]
    rows = {row["code"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)} for row in table["rows"]}
    rows["合计"] = {k: v["value"] for k, v in table["totals"].items()}
    return rows


def test_coded_tables_as_layout_text_read_by_character_offsets():
    record, failing = _read(EXPENDITURE)
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (90, 90, 0)
    expenditure = _values(record, "expenditure")
    assert expenditure["2070101"] == {"total": "612.00", "basic": "612.00"}
    assert expenditure["2070109"] == {"total": "162.00", "project": "126.00"}
    assert expenditure["合计"] == {"total": "1216.60", "basic": "864.60", "project": "352.00"}
    general = _values(record, "general_budget")
    assert general["2070102"] == {"total": "85.00", "project": "85.00"}
    assert general["2210201"] == {"total": "51.60", "basic": "51.60"}
    assert general["合计"] == {"total": "1206.60", "basic": "864.60", "project": "342.00"}
    # the example's planted slip, and nothing else
    assert failing == {"TBL-010[20701]", "TBL-012[2070109]"}


def test_a_header_whose_cells_wrap_over_three_lines_places_each_figure_under_its_own_cell():
    record, failing = _read(THREE_LINE_HEADER)
    assert "remit_superior" not in str(record["tables"]["expenditure"])
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (11, 11, 0)
    expenditure = _values(record, "expenditure")
    assert expenditure["207"] == {"total": "964.00", "basic": "612.00", "project": "352.00"}
    assert expenditure["2070101"] == {"total": "612.00", "basic": "612.00"}
    assert expenditure["合计"] == {"total": "1216.60", "basic": "864.60", "project": "352.00"}
    # (the cut table's roll-ups, 207's children left out: nothing of its columns)
    assert failing == {"TBL-010[207]", "TBL-010[20701]", "TBL-011"}


# The 基本支出决算表 in 元 with the right panel cut at the page's edge (a table wider than its page:
# pdftotext -layout keeps what the page shows, "370,00" for "370,000.00"): no amount is read beside
# 公用经费合计, so the panel is not whole.  Before, the left panel was read and the right one
# dropped unseen ("370,00" is no amount): 公用经费 taken as 0 against the narrative (NAR-022) and,
# with the coded tables now read, against the 一般公共预算 table's 基本支出 (XT-010).
CUT_PANELS = """滨江市青石区文化旅游局
2024年度部门决算
                                    一般公共预算财政拨款基本支出决算表
单位：元
        经济分类                                                       经济分类
                             科目名称            决算数                                      科目名称   决算数
        科目编码                                                       科目编码
301            工资福利支出                         7,490,000.00 302            商品和服务支出              370,00
30101          基本工资                           1,980,000.00 30201          办公费                  124,00
30102          津贴补贴                           2,410,000.00 30211          差旅费                      46,00
30107          绩效工资                           1,150,000.00 30212          因公出国（境）费用                18,00
30108          机关事业单位基本养老保险缴费                  688,000.00 30217           公务接待费                    24,00
30109          职业年金缴费                          344,000.00 30228           工会经费                     98,00
30110          职工基本医疗保险缴费                      402,000.00 30231           公务用车运行维护费                60,00
30113          住房公积金                           516,000.00 310             资本性支出                210,00
303            对个人和家庭的补助                       576,000.00 31002           办公设备购置               210,00
30302          退休费                             312,000.00
30399          其他对个人和家庭的补助                     264,000.00
               人员经费合计                         8,066,000.00                公用经费合计               580,00
"""


def test_a_panel_total_printed_without_an_amount_lists_the_table():
    record, _ = _read(CUT_PANELS)
    table = record["tables"]["general_budget_basic"]
    assert "rows" not in table and "totals" not in table
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert any("公用经费合计" in entry["reason"] for entry in record["_meta"]["unread"])


def _whole_figures(text: str) -> str:
    # CUT_PANELS with the 公用经费 panel's figures printed whole ("370,00" -> "370,000.00": every one
    # cut at the same edge, so the column keeps its right edge, four characters on)
    return re.sub(r"(\d),00(?=\n)", r"\1,000.00", text)


@pytest.mark.parametrize("total", ["", "-"])
def test_a_panel_total_printed_blank_keeps_its_items_read(total):
    # review 27: a 公用经费合计 printed blank or "-" (no figure cut at the page's edge) listed the whole
    # table, 21 figures read correctly before; its items are read again, the blank total is absent
    whole = _whole_figures(CUT_PANELS)
    assert "580,000.00" in whole and "370,00\n" not in whole
    text = whole.replace("580,000.00", total.rjust(len("580,000.00")))
    record, _ = _read(text)
    table = record["tables"]["general_budget_basic"]
    assert len(table["rows"]) == 20   # 11 items of the 人员经费 panel, 9 of the 公用经费 one
    assert {row["code"]: row["amount"]["value"] for row in table["rows"]}["302"] == "370000.00"
    assert table["totals"] == {"personnel": table["totals"]["personnel"]}
    assert table["totals"]["personnel"]["value"] == "8066000.00"
    assert not any("公用经费合计" in entry["reason"] for entry in record["_meta"].get("unread", []))


# The 收入决算表 continued over pages, its header repeated (tests/test_reader_final_accounts_printings
# "continued-header-repeated"), as pdftotext -layout writes it: the second page laid out on its
# own, 文物's 12.00 (事业收入) four columns left of where the first page stands it.  One grid over
# both pages took it for 上级补助收入 (main at 551abcb: a misread); page by page, each under its own
# header, it is 事业收入.
CONTINUED_INCOME = """滨江市青石区文化旅游局
2024年度部门决算
\f                                 滨江市青石区文化旅游局2024年度部门决算表
                                                 收入决算表
单位：万元
                     项目
                                                                                          附属单位
      功能分类                         本年收入合计        财政拨款收入        上级补助收入   事业收入       经营收入          其他收入
                          科目名称                                                            上缴收入
      科目编码
合计                                    1,222.60      1,210.60               12.00
207          文化旅游体育与传媒支出               970.00        958.00                12.00
20701        文化和旅游                     870.00        870.00
\f                  项目
                                                                               附属单位
    功能分类                      本年收入合计       财政拨款收入       上级补助收入   事业收入   经营收入          其他收入
                       科目名称                                                    上缴收入
    科目编码
2070101    行政运行                   612.00       612.00
2070102    一般行政管理事务                85.00        85.00
2070109    群众文化                   130.00       130.00
\f                  项目
                                                                                  附属单位
    功能分类                      本年收入合计       财政拨款收入      上级补助收入   事业收入       经营收入          其他收入
                       科目名称                                                       上缴收入
    科目编码
2070199    其他文化和旅游支出               43.00       43.00
20702      文物                     100.00       88.00               12.00
2070204    文物保护                   100.00       88.00               12.00
\f                   项目
                                                                                 附属单位
      功能分类                      本年收入合计       财政拨款收入       上级补助收入   事业收入   经营收入          其他收入
                         科目名称                                                    上缴收入
      科目编码
208          社会保障和就业支出              134.40       134.40
20805        行政事业单位养老支出             134.40       134.40
2080501      行政单位离退休                 31.20        31.20
\f                   项目
                                                                               附属单位
      功能分类                      本年收入合计      财政拨款收入      上级补助收入   事业收入   经营收入          其他收入
                        科目名称                                                   上缴收入
      科目编码
2080505      机关事业单位基本养老保险缴费支出       68.80       68.80
2080506      机关事业单位职业年金缴费支出         34.40       34.40
210          卫生健康支出                 40.20       40.20
\f                   项目
                                                                              附属单位
      功能分类                     本年收入合计      财政拨款收入      上级补助收入   事业收入   经营收入          其他收入
                        科目名称                                                  上缴收入
      科目编码
21011        行政事业单位医疗              40.20       40.20
2101101      行政单位医疗                40.20       40.20
221          住房保障支出                78.00       78.00
\f                   项目
                                                                              附属单位
    功能分类                       本年收入合计      财政拨款收入      上级补助收入   事业收入   经营收入          其他收入
                        科目名称                                                  上缴收入
    科目编码
22102      住房改革支出                  78.00       78.00
2210201    住房公积金                   51.60       51.60
2210203    购房补贴                    26.40       26.40
注：本表反映部门本年度取得的各项收入情况。
"""


def test_a_table_continued_over_pages_is_read_page_by_page_under_each_header():
    record, _ = _read(CONTINUED_INCOME)
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (46, 46, 0)
    income = _values(record, "income")
    assert income["20702"] == income["2070204"] == {"total": "100.00", "appropriation": "88.00", "business": "12.00"}
    assert income["合计"] == {"total": "1222.60", "appropriation": "1210.60", "business": "12.00"}


# A 决算 printing figures in only some of its fund columns, as -layout writes it (fictional figures:
# tests/fixtures/final_accounts_blank_fund_columns.layout.txt).  收入决算表: every row fills 本年收入合计
# and 财政拨款收入 only, the four blank columns' headers between them and 其他收入; its header's
# 财政拨款收入 stands, by chance, centred between 科目编码 (far left, a line lower) and 上缴收入
# (five columns right) -- it was taken for their group title, its column for theirs, and the
# table listed.  A group title heads only the columns between the header words beside it
# (document.columns._between_neighbours).  支出决算表: its second page fills 本年支出合计 and 基本支出 only,
# five characters left of the first page's; a page filling fewer columns was never moved (which
# columns would be a guess) -- but a row printing figures prints its total, the table's first
# column, so the page's first column is placed there (document.offsets.aligned_pages' first_filled).
# Before: 0 of the 87 figures read (both tables listed).
BLANK_FUND_COLUMNS = "final_accounts_blank_fund_columns.layout.txt"


def _fixture(name: str) -> str:
    from pathlib import Path
    return (Path(__file__).parent / "fixtures" / name).read_text(encoding="utf-8")


def test_fund_columns_left_blank_and_a_page_filling_fewer_columns_are_read():
    record, failing = _read(_fixture(BLANK_FUND_COLUMNS))
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (87, 87, 0)
    income = _values(record, "income")
    assert income["合计"] == {"total": "1216.60", "appropriation": "1216.60"}
    assert income["2080505"] == {"total": "68.80", "appropriation": "68.80"}     # a name wrapped
    assert income["2210203"] == {"total": "26.40", "appropriation": "26.40"}     # the page laid out on its own
    expenditure = _values(record, "expenditure")
    assert expenditure["2070109"] == {"total": "126.00", "project": "126.00"}
    assert expenditure["2101101"] == {"total": "40.20", "basic": "40.20"}        # the page filling two columns
    assert expenditure["合计"] == {"total": "1216.60", "basic": "864.60", "project": "352.00"}
    assert failing == set()


def test_a_page_filling_fewer_columns_off_the_header_pages_columns_stays_listed():
    """Its first column placed on the total, a second column standing between two of the header
    page's (4 characters off either): the table is listed, never read under a guessed header."""
    lines = _fixture(BLANK_FUND_COLUMNS).split("\n")
    page_two = lines.index("\f", next(i for i, line in enumerate(lines) if "支出决算表" in line))
    moved = [re.sub(r"^(\S+\s+\S+\s+\S+)(\s+)(\S+)$", lambda m: m.group(1) + m.group(2) + "    " + m.group(3), line)
             if at > page_two else line for at, line in enumerate(lines)]
    assert moved != lines
    record, _ = _read("\n".join(moved))
    assert "rows" not in record["tables"].get("expenditure", {})
    assert any(item["section"] == "支出决算表" for item in record["_meta"]["unread"])
    assert _values(record, "income")["2210203"] == {"total": "26.40", "appropriation": "26.40"}


def test_the_form_feed_starting_a_page_takes_no_column():
    """pdftotext writes a form feed before a page's first line: by character offsets that line's
    words stood one column right of the page's others (a figure a character off, enough to join
    two columns set one space apart)."""
    from fiscalrules.document.model import Line, char_columns
    after = [(w.text, w.x0, w.x1) for w in char_columns(Line(9, "\f2080501   行政单位离退休     54.53   54.53")).words]
    assert after == [(w.text, w.x0, w.x1) for w in char_columns(Line(9, "2080501   行政单位离退休     54.53   54.53")).words]
    assert after[2] == ("54.53", 22.0, 27.0)


def test_a_header_repeated_under_a_page_break_is_no_unread_part():
    """(Session 38) The team's example 财政拨款收入支出决算总表 as ``pdftotext -layout`` writes it
    (tests/fixtures/final_accounts_appropriation_summary_continued.layout.txt): its header, in
    columns the text does not split, is printed again under the page break inside the table.  Its
    lines of words alone were listed as "two-sided line: its figures cannot be given to the income
    or the expenditure side" -- five unread parts of a table read whole, naming figures there are
    none of.  A line of words alone has nothing to lose; a line with figures is listed as before."""
    record, failing = _read(_fixture("final_accounts_appropriation_summary_continued.layout.txt"))
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"] == {"read": 19, "printed": 19} and coverage["lines"]["silent"] == 0
    assert record["_meta"]["unread"] == [] and failing == set()
    assert record["tables"]["appropriation_summary"]["income_grand_total"]["value"] == "1218.60"
