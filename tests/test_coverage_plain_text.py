"""Coverage of a table as ``pdftotext`` without -layout writes it (session 28): a cell a line.

* A lone "0" line is a figure (a blank-free cell printing 0), never a page number -- no page is
  numbered 0.  It was dropped as noise: the 0 was lost and coverage printed one amount fewer.
* A classification code alone on its line before its name ("2070101" / "行政运行") is no amount:
  no code column can be seen where every cell stands alone, so it counted as one.  Such a line is a
  code where the next line is a name and another code of the run shares its 类.

The text is the team's fictional 决算 (examples/qingshi_culture_2024_final_accounts.pdf, its
支出决算表) in pdftotext's plain form, one cell (行政运行's 项目支出) printing 0.
"""

from __future__ import annotations

from fiscalrules.document.model import Document
from fiscalrules.readers import read_document

PLAIN_TABLE = """滨江市青石区文化旅游局
2024年度部门决算

支出决算表
单位：万元
项目
功能分类
科目编码

科目名称

合计

本年支出合计

基本支出

项目支出

上缴上级支出

1,216.60

864.60

352.00

207

文化旅游体育与传媒支出

964.00

612.00

352.00

20701

文化和旅游

866.00

612.00

254.00

2070101

行政运行

612.00

612.00

0

2070102

一般行政管理事务

85.00

85.00

2070109

群众文化

126.00

126.00

2070199

其他文化和旅游支出

43.00

43.00

注：本表反映部门本年度各项支出情况。
"""

# 3 figures each in the 合计 row and the 207, 20701 and 行政运行 rows, 2 in the three others
FIGURES = 3 + 3 + 3 + 3 + 2 + 2 + 2


def test_a_lone_zero_is_a_figure_and_a_lone_page_number_still_noise():
    doc = Document("第一行文字\n\n0\n\n第二行文字\n\n3\n\n第三行文字", "x.txt")
    assert [line.text for line in doc.lines if not doc.is_noise(line.number)] == \
        ["第一行文字", "0", "第二行文字", "第三行文字"]


def test_a_plain_text_table_prints_its_figures_its_zero_too_and_no_codes():
    coverage = read_document(PLAIN_TABLE.encode(), name="plain.txt")["_meta"]["coverage"]
    assert coverage["figures"]["printed"] == FIGURES
    assert coverage["lines"]["silent"] == 0




def _cell_a_line(cells: str) -> bytes:
    """A 决算 page as pdftotext without -layout writes it: the title, then a cell a line."""
    return "\n\n".join(["滨江市青石区文化旅游局", "2024年度部门决算", *cells.split()]).encode()


def test_a_code_column_printed_whole_is_no_amount_and_integer_amounts_are_no_page_numbers():
    # The basic-expenditure table with its code column printed whole before the names ("301"
    # alone is taken for a page number, which it could be), the amounts in 元 as integers with
    # separators.  "1,234,567" / "100,000" were page numbers ("1 , 234"): 3 of the 4 amounts were
    # not counted; the codes after "301" follow no name, so each counted as an amount once they
    # were no page numbers either.
    coverage = read_document(_cell_a_line("""
        一般公共预算财政拨款基本支出决算表 单位：元 项目 经济分类 科目编码 301 30101 30102 30199
        科目名称 工资福利支出 基本工资 津贴补贴 其他工资福利支出
        决算数 2,469,134 1,234,567 1,134,567 100,000
        注：本表反映部门本年度一般公共预算财政拨款基本支出情况。"""), name="plain.txt")["_meta"]["coverage"]
    assert coverage["figures"]["printed"] == 4
    assert coverage["lines"]["silent"] == 0


def test_a_lone_code_between_names_counts_its_class_from_a_page_number_like_class_code():
    # "207" / name / "20799" / name: the 类 code alone reads as a page number; "20799" must still
    # be a code of its class, not an amount that nothing read (a silent line).
    coverage = read_document(_cell_a_line("""
        支出决算表 单位：万元 功能分类 科目编码 科目名称 合计
        207 文化旅游体育与传媒支出 12.50 20799 其他文化旅游体育与传媒支出 12.50
        注：本表反映部门本年度各项支出情况。"""), name="plain.txt")["_meta"]["coverage"]
    assert coverage["figures"]["printed"] == 2
    assert coverage["lines"]["silent"] == 0


def test_a_score_on_a_line_of_its_own_is_no_amount():
    # "平均得\n分 100.00 分" (pdftotext -raw wrapped the sentence before its 分): the line has no
    # sentence mark, so its 100.00 was counted as a stray table cell nothing read -- a silent line
    text = ("滨江市青石区文化旅游局\n2024年度部门决算\n第三部分 2024年度部门决算情况说明\n十、预算绩效管理工作开展情况\n"
            "绩效自评的2024年度项目1个，涉及预算金额175.52万元，平均得\n分 100.00 分\n（其中，绩效评级为“优”的项目1个）。\n")
    coverage = read_document(text.encode(), name="score.txt")["_meta"]["coverage"]
    assert coverage["figures"] == {"read": 1, "printed": 1} and coverage["silent_lines"] == []
