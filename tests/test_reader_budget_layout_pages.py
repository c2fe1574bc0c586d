"""A budget table continued over pages as ``pdftotext -layout`` writes it (session 27).

-layout lays out each page on its own -- its own left margin, its own width for a column -- so a
table continued on the next page under its repeated header stands elsewhere there ("208 05 01"
one column left, the figures after a long name several columns nearer).  Read over the whole
table, no column lined up and every row leaving a cell blank was listed; read page by page, each
part under its own header (``document.offsets.page_parts`` / ``joined``), the parts are one table
when each lines up by itself, under the same columns, with its headers standing where
right-aligned figures under centred headers put them.  A continuation page that does not repeat
the header has no header of its own to place its figures under: it is read under the header's page
only where it lays out as that page does (its figure columns ending where that page's end), else
the whole table stays listed.

The text is pdftotext -layout's own output for the team's fictional example budget
(examples/qingshi_culture_2025.pdf).  Before: 6 of its 48 figures read (the narrative's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

CONTINUED = """滨江市青石区文化旅游局2025年部门预算

2025年部门预算编制说明
2025年，本部门收入预算1,216.60万元，支出预算1,216.60万元，其中：财政拨款收入1,216.60万元。

\f                                  2025年部门一般公共预算支出功能分类预算表
编制部门：滨江市青石区文化旅游局                        单位：元
                        项目                                       一般公共预算支出
  功能分类科目编码
                             功能分类科目名称          合计                  基本支出             项目支出
 类     款    项
 207             文化旅游体育与传媒支出                    9,640,000.00         6,120,000.00     3,520,000.00
 207   01        文化和旅游                          8,740,000.00         6,120,000.00     2,620,000.00
 207   01   01   行政运行                           6,120,000.00         6,120,000.00
 207   01   02   一般行政管理事务                           850,000.00                         850,000.00
 207   01   09   群众文化                           1,260,000.00                          1,260,000.00
 207   01   99   其他文化和旅游支出                          430,000.00                         430,000.00
 207   02        文物                                 980,000.00                         980,000.00
 207   02   04   文物保护                               980,000.00                         980,000.00
 208             社会保障和就业支出                      1,344,000.00         1,344,000.00
 208   05        行政事业单位养老支出                     1,344,000.00         1,344,000.00
\f                       项目                                一般公共预算支出
 功能分类科目编码
                            功能分类科目名称   合计                  基本支出            项目支出
类     款    项
208   05   01   行政单位离退休                     312,000.00        312,000.00
208   05   05   机关事业单位基本养老保险缴费支出            688,000.00        688,000.00
208   05   06   机关事业单位职业年金缴费支出              344,000.00        344,000.00
210             卫生健康支出                      402,000.00        402,000.00
210   11        行政事业单位医疗                    402,000.00        402,000.00
210   11   01   行政单位医疗                      402,000.00        402,000.00
221             住房保障支出                      780,000.00        780,000.00
221   02        住房改革支出                      780,000.00        780,000.00
221   02   01   住房公积金                       516,000.00        516,000.00
221   02   03   购房补贴                        264,000.00        264,000.00
\f             项目                               一般公共预算支出
 功能分类科目编码
                  功能分类科目名称   合计                 基本支出             项目支出
类    款   项
合计                            12,166,000.00       8,646,000.00     3,520,000.00
"""


def _after_the_narrative(fixture: str) -> str:
    """A -layout table of tests/fixtures after CONTINUED's narrative page (the text is then a budget)."""
    return CONTINUED.split("\f")[0] + (Path(__file__).parent / "fixtures" / fixture).read_text(encoding="utf-8")


def _record_read_whole(text: str, name: str, printed: int):
    """The record of *text*, every one of its *printed* figures read and no line left silent."""
    record = read_document(text, name=name)
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == \
        (printed, printed, 0)
    return record


def _values(record, key: str) -> dict:
    table = record["tables"][key]
    rows = {row["code"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)} for row in table["rows"]}
    rows["合计"] = {k: v["value"] for k, v in table.get("totals", {}).items()}
    return rows


def _read_whole(text: str, name: str, figures: int) -> dict:
    """The 一般公共预算支出表's rows of *text*, checking that all its *figures* were read."""
    return _values(_record_read_whole(text, name, figures), "general_budget")


def test_a_table_continued_over_pages_reads_each_page_under_its_own_header():
    rows = _read_whole(CONTINUED, "continued_layout.txt", 48)
    assert rows["2070102"] == {"total": "850000.00", "project": "850000.00"}      # (page 1: 基本支出 blank)
    assert rows["2080505"] == {"total": "688000.00", "basic": "688000.00"}        # (page 2: 项目支出 blank)
    assert rows["2210203"] == {"total": "264000.00", "basic": "264000.00"}       # (page 2)
    assert len(rows) == 21 and rows["合计"] == {"total": "12166000.00", "basic": "8646000.00", "project": "3520000.00"}


def test_a_continuation_page_without_its_header_stays_listed():
    # the second page's header lines dropped: its figures stand under no header of their own
    lines = CONTINUED.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("\f") and "项目" in line)
    assert lines[start + 3].strip().startswith("类") and lines[start + 4].startswith("208")
    kept = lines[:start] + ["\f" + lines[start + 4]] + lines[start + 5:]
    record = read_document("\n".join(kept), name="continued_no_header.txt")
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["general_budget"]
    assert coverage["figures"]["read"] < coverage["figures"]["printed"]


def _first_page_parts():
    # CONTINUED's first table page: what stands before its rows (the narrative, the title, the
    # header), its 207 rows and its 208 rows (基本支出 only)
    page = CONTINUED.split("\n\f")[1].split("\n")
    head = [line for line in page if not line.startswith((" 207", " 208"))]
    return ("\n\f".join(CONTINUED.split("\n\f")[:1]) + "\n\f" + "\n".join(head),
            [line for line in page if line.startswith(" 207")], [line for line in page if line.startswith(" 208")])


def _page_2(rows: list[str]) -> str:
    return "\n\f" + "\n".join(rows) + "\n"


def test_a_continuation_page_without_its_header_filling_a_column_the_first_page_left_blank_is_read():
    # review 27: the header's page holding 208's rows (基本支出 only), the next page 207's (项目支出
    # too) laid out alike, with no header: the check listed the whole table, which a41400f read
    head, rows_207, rows_208 = _first_page_parts()
    record = read_document(head + "\n" + "\n".join(rows_208) + _page_2(rows_207), name="continued_columns.txt")
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (25, 25, 0)
    rows = _values(record, "general_budget")
    assert rows["2070102"] == {"total": "850000.00", "project": "850000.00"}
    assert rows["20805"] == {"total": "1344000.00", "basic": "1344000.00"}
    assert rows["207"] == {"total": "9640000.00", "basic": "6120000.00", "project": "3520000.00"}


def test_a_header_alone_at_the_foot_of_its_page_reads_the_rows_of_the_next():
    head, rows_207, rows_208 = _first_page_parts()
    record = read_document(head + _page_2(rows_207 + rows_208), name="header_at_foot.txt")
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["lines"]["silent"]) == (25, 0)
    assert _values(record, "general_budget")["2070102"] == {"total": "850000.00", "project": "850000.00"}


def test_a_continuation_page_laid_out_elsewhere_with_a_column_of_its_own_stays_listed():
    # the same page 2, its figures standing six characters nearer (laid out on its own): its 项目支出
    # figures could be under any header -- the table is listed, never read in part
    head, rows_207, rows_208 = _first_page_parts()
    shifted = [line[:40] + line[46:] if len(line) > 46 else line for line in rows_207]
    assert all(not line[40:46].strip() for line in rows_207)   # (spaces before the figures)
    record = read_document(head + "\n" + "\n".join(rows_208) + _page_2(shifted), name="continued_elsewhere.txt")
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["general_budget"]


def test_a_continuation_page_laid_out_elsewhere_filling_every_column_is_read_where_one_shift_fits():
    # session 28: -layout stood a continued page's figures six characters nearer (its own left
    # margin), every column of the header's page filled there too: one shift puts each of its
    # column ends on the header page's (document.offsets.aligned_pages), so its rows are read
    # under the header -- 政府办公室's 基本支出 table, rows 302 04 on, was listed so (TPF-010 missed)
    head, rows_207, rows_208 = _first_page_parts()
    page_1, page_2 = rows_207[:5], rows_207[5:] + rows_208
    assert all(not line[40:46].strip() for line in page_2)     # (spaces before the figures)
    shifted = [line[:40] + line[46:] for line in page_2]
    rows = _read_whole(head + "\n" + "\n".join(page_1) + _page_2(shifted), "shifted_page.txt", 25)
    assert rows["2070199"] == {"total": "430000.00", "project": "430000.00"}      # (page 2: 基本支出 blank)
    assert rows["20805"] == {"total": "1344000.00", "basic": "1344000.00"}        # (page 2: 项目支出 blank)
    assert rows["2070102"] == {"total": "850000.00", "project": "850000.00"}      # (page 1)


def test_a_continuation_page_laid_out_elsewhere_whose_columns_no_one_shift_fits_stays_listed():
    # the same page 2 with its 项目支出 figures three characters further left than its 合计's
    # shift: no one shift fits every column -- the table is listed, never read in part
    head, rows_207, rows_208 = _first_page_parts()
    page_1, page_2 = rows_207[:5], rows_207[5:] + rows_208
    shifted = [line[:40] + line[46:] for line in page_2]
    apart = [line[:-13] + line[-10:] if line.rstrip().endswith("430,000.00") or "文物" in line else line
             for line in shifted]
    assert sum(a != b for a, b in zip(apart, shifted)) == 3 and all(not b[-13:-10].strip() for b in shifted[:3])
    shifted = apart
    record = read_document(head + "\n" + "\n".join(page_1) + _page_2(shifted), name="shifted_apart.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["general_budget"]


# The same example's 部门支出预算总表 as -layout writes it (tests/fixtures/expenditure_short_last_page.layout.txt): its last page repeats the header over one
# row and the 合计 -- too few rows to make a grid of their own (the short name 购房补贴 leaves the
# header's 项目 and 功能分类科目名称 standing in columns of their own), the table was listed whole
# (181 of the example's 233 figures read, 52 lost; here 3 of 48).  Read under the first page's header, its figures
# moved by the shift of its own header words (合计 / 基本支出 / 项目支出 stand 9 characters left there).
SHORT_LAST_PAGE = _after_the_narrative("expenditure_short_last_page.layout.txt")


def test_a_last_page_of_a_row_or_two_is_read_under_the_first_pages_header():
    record = _record_read_whole(SHORT_LAST_PAGE, "short_last_page.txt", 48)
    rows = _values(record, "expenditure")
    assert rows["2210203"] == {"total": "264000.00", "basic": "264000.00"}          # (page 2: 项目支出 blank)
    assert rows["2070102"] == {"total": "850000.00", "project": "850000.00"}        # (page 1: 基本支出 blank)
    assert len(rows) == 21 and rows["合计"] == {"total": "12166000.00", "basic": "8646000.00", "project": "3520000.00"}


def test_a_repeated_header_standing_at_two_shifts_is_not_read_by_its_columns():
    # the same last page with its 项目支出 header word moved 4 characters further: the header words
    # stand at no one shift from the first page's -- which column a figure is under would be a guess,
    # so the geometry reads nothing; the tokens' reading places each row's figures where the table's
    # sums leave one placement (readers/common/blank_cells.py, session bud8): the rows as printed
    lines = SHORT_LAST_PAGE.split("\n")
    at = max(i for i, line in enumerate(lines) if "功能分类科目名称" in line)
    assert lines[at].endswith("基本支出             项目支出")
    lines[at] = lines[at][:-4] + "    " + lines[at][-4:]
    record = read_document("\n".join(lines), name="two_shifts.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert _values(record, "expenditure") == _values(read_document(SHORT_LAST_PAGE, name="short_last_page.txt"),
                                                     "expenditure")


# The example's 财政拨款收支预算总表 as -layout writes it (tests/fixtures/appropriation_summary.layout.txt):
# the expenditure side prints 合计 and 一般公共预算 only, its two other fund columns blank -- which the
# tokens cannot tell, so the side was listed (5 rows; the Shanghai budgets' -layout texts lost 10 to 20
# figures each so).  Figures are right-aligned and the header's words centred over them: each stands
# under the last header word of its side starting left of its right edge, where every figure of a
# column ends where the others do (summary._HeaderEdges).
APPROPRIATION = _after_the_narrative("appropriation_summary.layout.txt")


def _side(record, side: str, key: str = "appropriation_summary") -> dict:
    table = record["tables"][key][side]
    rows = {row["name"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)} for row in table["rows"]}
    rows["总计"] = {k: v["value"] for k, v in table["totals"].items()}
    return rows


def test_a_two_sided_tables_blank_fund_columns_are_placed_by_where_its_figures_end():
    record = read_document(APPROPRIATION, name="appropriation_layout.txt")
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["unread"]) == (15, 15, 0)
    spent = _side(record, "expenditure")
    assert spent["一、文化旅游体育与传媒支出"] == {"total": "9640000.00", "general_budget": "9640000.00"}
    assert spent["四、住房保障支出"] == {"total": "780000.00", "general_budget": "780000.00"}
    assert spent["总计"] == {"total": "12166000.00", "general_budget": "12166000.00"}
    assert _side(record, "income")["一、一般公共预算资金"] == {"amount": "12166000.00"}


def test_a_two_sided_table_whose_figures_do_not_end_together_stays_listed():
    # one 一般公共预算 figure pulled six characters left (under 合计's header word): which column each
    # figure is under is no longer told by where they end -- the side is listed, never guessed
    lines = APPROPRIATION.split("\n")
    at = next(i for i, line in enumerate(lines) if "三、卫生健康支出" in line)
    assert lines[at].endswith("402,000.00        402,000.00")
    lines[at] = lines[at][:-18] + "  402,000.00"
    record = read_document("\n".join(lines), name="appropriation_apart.txt")
    assert "rows" not in record["tables"]["appropriation_summary"].get("expenditure", {})
    assert record["_meta"]["coverage"]["lines"]["unread"] >= 5


def test_two_figures_one_space_apart_are_placed_by_their_ends_too():
    # -layout puts a long figure's start against the figure before it (a Shanghai budget's
    # "293,810,000.00 293,810,000.00"): one space between them says nothing against the columns
    lines = APPROPRIATION.split("\n")
    at = next(i for i, line in enumerate(lines) if "四、住房保障支出" in line)
    first_end = lines[at].index("780,000.00") + len("780,000.00")
    assert len(lines[at]) - (first_end + 1) == len("12,345,678,901.00")     # (the second ends where it did)
    lines[at] = lines[at][:first_end] + " 12,345,678,901.00"
    spent = _side(read_document("\n".join(lines), name="one_space.txt"), "expenditure")
    assert spent["四、住房保障支出"] == {"total": "780000.00", "general_budget": "12345678901.00"}


# A 财务收支预算总表 whose expenditure header stands over three lines, as two Shanghai unit budgets
# print it in -layout text (tests/fixtures/summary_stacked_header.layout.txt, fictional figures):
# 预算数 over the side, 基本支出 over 人员经费 / 公用经费, 合计 and 项目支出 between.  The header line
# with the two 项目 named one column (基本支出), every row was listed (commerce's unit budget: 24
# figures).  The columns are the leaf words, a group title (words of lower lines close under it on
# both sides) left out.
STACKED = _after_the_narrative("summary_stacked_header.layout.txt")


def test_a_two_sided_header_over_several_lines_gives_its_leaf_columns():
    record = read_document(STACKED, name="stacked_layout.txt")
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["unread"]) == (20, 20, 0)
    table = record["tables"]["summary"]["expenditure"]
    rows = {row["name"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)} for row in table["rows"]}
    assert rows["一、文化旅游体育与传媒支出"] == {"total": "9640000.00", "personnel": "5520000.00",
                                      "public": "600000.00", "project": "3520000.00"}
    assert rows["二、社会保障和就业支出"] == {"total": "1344000.00", "personnel": "1344000.00"}
    assert {k: v["value"] for k, v in table["totals"].items()} == {
        "total": "12166000.00", "personnel": "8046000.00", "public": "600000.00", "project": "3520000.00"}


# A 收入预算总表 whose rows fill 合计 and 财政拨款收入 only, as -layout writes a PDF's long figures
# (tests/fixtures/income_figures_one_space_apart.layout.txt, fictional figures, the layout of two
# Shanghai budgets' own): each figure set one space after the one before, the second page laid
# out on its own (its figures ending a character left or right of the first page's once moved
# under its header).  A figure a character wider in one row then touched the next column's figure
# in another, the two columns made one run, and the table was listed (3 of 45 figures read);
# columns are now also tried by where the figures end, each widened left to its figures' start
# (document.tables.read_grid's right_aligned), under the same checks.
ONE_SPACE_APART = _after_the_narrative("income_figures_one_space_apart.layout.txt")


def test_figures_one_space_apart_are_read_by_where_they_end():
    record = _record_read_whole(ONE_SPACE_APART, "one_space_apart.txt", 45)
    rows = _values(record, "income")
    assert rows["2070102"] == {"total": "8500000.00", "appropriation": "8500000.00"}
    assert rows["210"] == {"total": "4020000.00", "appropriation": "4020000.00"}     # page 2
    # a name wrapped in its cell, its figures on the first line: the line below it is its rest
    # (in text too, where only a PDF's was taken before: a QUA-009 "printed as …缴" alarm else)
    names = {row["code"]: row["name"] for row in record["tables"]["income"]["rows"]}
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert len(rows) == 21 and rows["合计"] == {"total": "121660000.00", "appropriation": "121660000.00"}
    failing = {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
               if f.status == "fail" and f.rule.startswith(("TBL", "QUA-009"))}
    # (the table's rows roll up; only the narrative page before it, CONTINUED's, states a tenth of
    # its total: 1,216.60万元)
    assert failing == {"TBL-060", "TBL-061"}


# The 三公 table as -layout writes the national header over five lines (tests/fixtures/
# three_public_layout.layout.txt, fictional figures, the layout of the Shanghai budgets'): one row,
# each figure right-aligned under its centred header.  Read by the figures' right edges, the
# 合计 heads the first column ending right of where it starts (by distances to the figures' left
# edges a short 8.40 went to 因公出国(境)费); the 机关运行经费预算 cell wraps its "数" two lines down,
# the 公务用车 title printed between -- the rest of the cell above, no column blank in every row
# (it made the headers a guess); and 运行费, which the 公务用车 title centred over the leaves does not
# reach once the figures widen the columns right, is that group's part after its 购置费.  Before:
# the row listed (0 of its 7 figures), in -layout text of every Shanghai budget.
THREE_PUBLIC = _after_the_narrative("three_public_layout.layout.txt")


@pytest.mark.parametrize("wrapped", [("机关运行经费预算", "数"), ("2025年机关运行经", "费预算数")])
def test_the_three_public_header_over_five_lines_is_read(wrapped):
    upper, lower = wrapped
    text = THREE_PUBLIC.replace(" " * 80 + "机关运行经费预算", " " * 80 + upper).replace(" " * 84 + "数\n", " " * 84 + lower + "\n")
    assert (" " * 84 + lower + "\n") in text
    record = _record_read_whole(text, "three_public.txt", 10)
    row = record["tables"]["three_public"]["rows"][0]
    assert {key: cell["value"] for key, cell in row.items()} == {
        "total": "8.40", "overseas": "0", "reception": "2.40", "vehicle": "6.00", "vehicle_purchase": "0",
        "vehicle_operation": "6.00", "operating_costs": "58.00"}


# The 经济分类 table as -layout writes a printing in 万元 (tests/fixtures/economic_names_beside_corner.layout.txt,
# the team's fictional example printed so): the names are left-aligned from the column's left edge and,
# a CJK character a column, end before their header "经济分类科目名称" starts -- which stands just right of
# the names' run, while the corner's "项目" a line above stands over it by chance.  "项目" took the names'
# column, "经济分类科目名称" a column blank in every row of its own, and the table was listed; a word of
# the header's lower line touching a run of names only upper words stand over claims it
# (document.columns.column_extents).  Before: 3 of 44 figures read (the narrative's).
def test_a_name_header_beside_its_names_heads_them_under_the_corners_label():
    record = _record_read_whole(_after_the_narrative("economic_names_beside_corner.layout.txt"), "economic.txt", 44)
    rows = _values(record, "general_budget_basic")
    assert rows["30101"] == {"total": "198.00", "personnel": "198.00"}
    assert rows["30231"] == {"total": "6.00", "public": "6.00"}
    assert rows["合计"] == {"total": "864.60", "personnel": "806.60", "public": "58.00"}
    names = {row["code"]: row["name"] for row in record["tables"]["general_budget_basic"]["rows"]}
    assert names["30108"] == "机关事业单位基本养老保险缴费"


# The 支出总表 of a printing whose 科目 cell holds the code and the name ("2210203 购房补贴"), as -layout
# writes it (tests/fixtures/expenditure_code_and_name_last_page.layout.txt, the team's fictional example):
# its last page repeats the header over one row and the 合计.  Read under the first page's header
# (document.offsets.reheaded), those two rows alone made the code and the short name two columns, the
# 科目 header over one of them, and the whole table was listed; read among the first page's rows (their
# longer names join code and name into one run), the part takes the first page's columns
# (readers/budget/tables._among).  Before: 3 of 48 figures read (the narrative's).
def test_a_last_page_of_a_row_reads_among_the_first_pages_rows():
    record = _record_read_whole(_after_the_narrative("expenditure_code_and_name_last_page.layout.txt"), "code_name.txt", 48)
    rows = _values(record, "expenditure")
    assert rows["2210203"] == {"total": "264000.00", "basic": "264000.00"}
    assert rows["合计"] == {"total": "12166000.00", "basic": "8646000.00", "project": "3520000.00"}


def _plumber(fixture: str):
    """A table as pdfplumber's ``extract_text(layout=True)`` sets it (tests/fixtures/*.plumber.txt,
    fictional figures in the geometry of a real printing): digits narrower than its character grid,
    so a figure's text runs past its column's right edge and the next word is pushed one space on."""
    return read_document(_after_the_narrative(fixture), name=fixture)


def test_a_figure_beyond_blank_columns_is_not_taken_for_the_last_of_them():
    # the 三公 table with its 公务用车 columns blank: "运行费" starts left of the 机关运行经费预算
    # figure's right edge, as "机关运行经费预算 / 数" does -- read by where figures end, 运行费 had
    # taken the figure (vehicle_operation 58.00); a word of a line above starting between them keeps it
    row = _plumber("three_public_blank_vehicle.plumber.txt")["tables"]["three_public"]["rows"][0]
    assert {key: cell["value"] for key, cell in row.items()} == {"total": "2.40", "reception": "2.40",
                                                                "operating_costs": "58.00"}


def test_a_sides_figures_overflowing_their_columns_are_listed_not_misplaced():
    # the 财政拨款收支预算总表's expenditure figures ending past the start of the next header word:
    # placed by their right edges they went under 一般公共预算 and 政府性基金预算, 合计 left blank --
    # which a row printing parts never does: the side is listed (summary._HeaderEdges)
    record = _plumber("appropriation_summary_overflowing.plumber.txt")
    assert "rows" not in record["tables"]["appropriation_summary"].get("expenditure", {})
    assert sum(1 for item in record["_meta"]["unread"] if item["reason"].startswith("expenditure side not read")) == 5


def test_a_figure_pushed_one_space_on_past_a_blank_column_is_not_placed_by_its_end():
    # the 合计 figure ending where 一般公共预算 starts, the next set one space after it (pushed on:
    # its end says little) and ending past 政府性基金预算's start: it went under 政府性基金预算 --
    # which of the two it heads is a guess, so the side is listed (summary._HeaderEdges.place)
    record = _plumber("appropriation_summary_pushed.plumber.txt")
    assert "rows" not in record["tables"]["appropriation_summary"].get("expenditure", {})
    assert sum(1 for item in record["_meta"]["unread"] if item["reason"].startswith("expenditure side not read")) == 5



# A table marking its blank cells continued on a page without its header that -layout lays out at
# another scale (its own character width: the gaps between columns narrower, "688,000.00
# 688,000.00    -   -   -" under a page of "6,120,000.00     6,120,000.00           -          -"):
# the 收入预算总表 of the national printing with "-" for blanks (tests/test_reader_national_printings.py,
# as pdftotext -layout writes it: tests/fixtures/income_marked_blanks_scaled.layout.txt).  A shift
# fits its two figure columns but not its marks, so the whole table was listed (191 of the printing's
# 233 figures read).  Every row of both pages prints a cell in every column: the k-th cell of a row
# is the k-th column's (document.offsets.aligned_pages).
MARKED_SCALED = _after_the_narrative("income_marked_blanks_scaled.layout.txt")


def test_a_page_at_another_scale_marking_its_blank_cells_is_read_by_rank():
    record = _record_read_whole(MARKED_SCALED, "marked_scaled.txt", 45)
    rows = _values(record, "income")
    assert rows["2080505"] == {"total": "688000.00", "appropriation": "688000.00"}     # (page 2)
    assert rows["2070101"] == {"total": "6120000.00", "appropriation": "6120000.00"}   # (page 1)
    assert len(rows) == 21 and rows["合计"] == {"total": "12165970.00", "appropriation": "12165970.00"}


def test_a_page_at_another_scale_whose_rows_print_unlike_numbers_of_cells_stays_listed():
    # one row of page 2 printing its last "-" no more: its cells no longer rank with the others'
    lines = MARKED_SCALED.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("210   11   01"))
    assert lines[at].endswith("-   -   -")
    lines[at] = lines[at][:-1].rstrip()
    record = read_document("\n".join(lines), name="unlike_scale.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["income"]


def test_a_page_at_another_scale_leaving_blank_cells_empty_stays_listed():
    # the same table printed with its blank cells left empty and its 合计 row first
    # (tests/fixtures/income_empty_blanks_scaled.layout.txt): every row of both pages prints two
    # cells of five, but which two columns page 2 fills is a guess -- its rows could fund from
    # other sources than page 1's -- so the table stays listed, never read by rank
    record = read_document(_after_the_narrative("income_empty_blanks_scaled.layout.txt"), name="empty_scaled.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["income"]


# The national printing whose header cells wrap over three lines (tests/test_reader_national_printings.py,
# "header-three-lines"), its 收入预算总表 and 支出预算总表 as pdftotext -layout writes them
# (tests/fixtures/income_expenditure_headers_three_lines.layout.txt): "财政 / 拨款 / 收入" is one
# cell (its last two lines alone, "拨款收入", name no column), "项目 / 支出" is one though the corner
# prints "项目" too (another cell: over the names), and the 支出预算总表's last page repeats the header
# over one row -- read under the first page's by the shift of the header words printed once in both
# (合计, 预算, 基本), "项目" and "支出" printed twice or more saying nothing.  Before: both tables
# listed (the printing's -layout text read 101 of its 233 figures).
HEADERS_THREE_LINES = _after_the_narrative("income_expenditure_headers_three_lines.layout.txt")


def test_header_cells_wrapped_over_three_lines_are_read():
    record = _record_read_whole(HEADERS_THREE_LINES, "headers_three_lines.txt", 90)
    income, expenditure = _values(record, "income"), _values(record, "expenditure")
    assert income["2070102"] == {"total": "850000.00", "appropriation": "850000.00"}
    assert income["合计"] == {"total": "12165970.00", "appropriation": "12165970.00"} and len(income) == 21
    assert expenditure["2070102"] == {"total": "850000.00", "project": "850000.00"}
    assert expenditure["2210203"] == {"total": "264000.00", "basic": "264000.00"}      # (the last page)
    assert expenditure["合计"] == {"total": "12166000.00", "basic": "8646000.00", "project": "3520000.00"}


def test_a_repeated_header_lacking_a_word_over_the_figures_leaves_its_page_listed():
    # the last page's header without its "基本": not the first page's header -- listed
    lines = HEADERS_THREE_LINES.split("\n")
    at = max(i for i, line in enumerate(lines) if line.strip().startswith("基本"))
    lines[at] = lines[at].replace("基本", "    ")
    record = read_document("\n".join(lines), name="header_lacking.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["expenditure"]


# The national printing continued under "续表" (tests/test_reader_national_printings.py,
# "continued-xubiao"): its 财务收支预算总表 as -layout writes it
# (tests/fixtures/summary_continued_xubiao.layout.txt), two-sided, its second page repeating the
# sides' titles and header under "续表" and laid out at a scale of its own.  Read by its tokens
# under the first page's header edges alone, the second page's "续表" and header lines were rows no
# side took, and its 收入总计 stood off the first page's edges: both sides listed.  Each page's rows
# are placed by its own header's edges now (budget/summary.py).
SUMMARY_CONTINUED = _after_the_narrative("summary_continued_xubiao.layout.txt")


def test_a_two_sided_table_continued_under_its_repeated_header_reads_each_page_by_its_own():
    record = read_document(SUMMARY_CONTINUED, name="summary_continued.txt")
    coverage = record["_meta"]["coverage"]
    assert (coverage["figures"]["read"], coverage["figures"]["printed"], coverage["lines"]["silent"]) == (11, 11, 0)
    income, expenditure = _side(record, "income", "summary"), _side(record, "expenditure", "summary")
    assert income["1.一般公共预算资金"] == {"amount": "12166000.00"} and income["二、事业收入"] == {}   # (page 2)
    assert expenditure["四、住房保障支出"] == {"amount": "780000.00"}
    assert income["总计"] == expenditure["总计"] == {"amount": "12166000.00"}                    # (page 2)


def test_a_page_repeating_another_header_leaves_the_two_sided_table_listed():
    # page 2's header naming its income column 合计, not 预算数: not the table's header -- listed
    lines = SUMMARY_CONTINUED.split("\n")
    at = max(i for i, line in enumerate(lines) if line.strip().startswith("项目") and "预算数" in line)
    lines[at] = lines[at].replace("预算数", "合计 ", 1)
    record = read_document("\n".join(lines), name="summary_other_header.txt")
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert "rows" not in record["tables"]["summary"].get("income", {})
