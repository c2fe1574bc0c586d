"""Table layouts of budget disclosures written blind (round 3), built here as small fictional
documents and read by the template's structure -- table titles, headers, codes -- never by one
document's names or figures."""

from __future__ import annotations

import pytest


def _cover():
    return [("text", 60, 60, "某旗林业局2026年部门预算", 14.0),
            ("text", 60, 90, "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]


def test_a_letter_spaced_total_row_under_a_column_numbering_row_is_the_tables_total(tmp_path):
    # A ruled PDF: "栏次 1 2 3" under the header, then "合   计" printed letter-spaced and centred
    # over the code and name columns (two words of one letter each), then the coded rows. The
    # 合计 row is the table's total, not a line above its first row that leaves every row unread.
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    from pdfmaker import pdf_bytes

    from fiscalrules.readers import read_disclosure

    xs = (70, 150, 330, 410, 490)
    items = [("text", 70, 40, "表2-1", 10.0), ("text", 200, 40, "一般公共预算支出预算表", 12.0),
             ("text", 60, 60, "部门：某旗林业局", 9.0), ("text", 480, 60, "单位：万元", 9.0)]
    items += [("text", x, 80, t, 9.0) for x, t in zip(xs, ("科目编码", "科目名称", "合计", "基本支出", "项目支出"))]
    items += [("text", x, 95, t, 9.0) for x, t in zip((78, 340, 420, 500), ("栏次", "1", "2", "3"))]
    items += [("text", 130, 110, "合", 9.0), ("text", 150, 110, "计", 9.0)]
    items += [("text", x, 110, t, 9.0) for x, t in zip(xs[2:], ("300.00", "100.00", "200.00"))]
    rows = [("213", "农林水支出", "300.00", "100.00", "200.00"),
            ("21302", "  林业和草原", "300.00", "100.00", "150.00"),
            ("2130201", "    行政运行", "100.00", "100.00", ""),
            ("2130299", "    其他林业和草原支出", "200.00", "", "200.00")]
    for at, row in enumerate(rows):
        items += [("text", x, 125 + 15 * at, t, 9.0) for x, t in zip(xs, row) if t.strip()]
    path = tmp_path / "spaced_total.pdf"
    path.write_bytes(pdf_bytes([_cover(), items]))
    record = read_disclosure(path)
    table = record["tables"]["general_budget"]
    assert [row["code"] for row in table["rows"]] == ["213", "21302", "2130201", "2130299"]
    assert table["totals"]["total"]["value"] == "300.00"
    assert table["totals"]["project"]["value"] == "200.00"
    assert not [u for u in record["_meta"].get("unread", []) if u["section"].startswith("表2-1")]


_DETAIL_TABLES = """\
某园林局2025年部门综合预算

第一部分 2025年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。

          表5　部门综合预算一般公共预算支出明细表（按支出功能分类科目）

单位名称：某园林局                                                   单位：万元
科目编码            科目名称               合计        基本支出      项目支出
           合计                              300.00        100.00        200.00
212        城乡社区支出                      300.00        100.00        200.00
  01       城乡社区管理事务                  300.00        100.00        200.00
2120101    行政运行                          100.00        100.00          0.00
2120199    其他城乡社区管理事务支出          200.00          0.00        200.00

          表6　部门综合预算一般公共预算支出明细表（按支出经济分类科目）

单位名称：某园林局                                                   单位：万元
科目编码            科目名称               合计        基本支出      项目支出
           合计                              300.00        100.00        200.00
301        工资福利支出                      100.00        100.00          0.00
302        商品和服务支出                    200.00          0.00        200.00

                   表7　部门综合预算一般公共预算基本支出明细表

单位名称：某园林局                                                   单位：万元
科目编码            科目名称               合计        人员经费      公用经费
           合计                              100.00         90.00         10.00
301        工资福利支出                       90.00         90.00
  01       基本工资                           90.00         90.00
302        商品和服务支出                     10.00                       10.00
  17       公务接待费                         10.00                       10.00
"""


def test_tables_titled_as_detail_tables_are_the_general_budget_tables(tmp_path):
    # Shaanxi titles tables 5 and 6 "一般公共预算支出明细表（按支出功能分类科目）" and "一般公共预算
    # 基本支出明细表": they are the 一般公共预算支出表 and 一般公共预算基本支出表 of the template.
    # The same title by economic class is no national table: not taken for table 5.
    from fiscalrules.readers import read_disclosure

    path = tmp_path / "detail.txt"
    path.write_text(_DETAIL_TABLES, encoding="utf-8")
    record = read_disclosure(path)
    tables = record["tables"]
    assert [row["code"] for row in tables["general_budget"]["rows"]] == ["212", "21201", "2120101", "2120199"]
    assert [row["code"] for row in tables["general_budget_basic"]["rows"]] == ["301", "30101", "302", "30217"]
    assert tables["general_budget"]["title"].startswith("表5")


_YEAR_ROWS = """\
某园林局部门综合预算公开

第一部分 部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。

                          表8　部门综合预算“三公”经费支出表

单位名称：某园林局                                                        单位：万元
    年度         合计      因公出国   公务接待费  公务用车购置及运行费
                           （境）费                  小计       购置费      运行费
 2024年预算        12.40        0.00        2.80        9.60        0.00        9.60
 2025年预算        12.00        0.00        2.40        9.60        0.00        9.60
"""


def test_a_three_public_table_whose_year_column_is_headed_year_is_read_by_its_rows(tmp_path):
    # Shaanxi's 三公 table: a column headed "年度" names each row's year ("2024年预算", "2025年预算"):
    # the rows are this year's and last year's figures, not rows not understood -- the later year
    # the budget's even where the document's year was not read (its title split over lines).
    from fiscalrules.readers import read_disclosure

    path = tmp_path / "year_rows.txt"
    path.write_text(_YEAR_ROWS, encoding="utf-8")
    record = read_disclosure(path)
    assert not [u for u in record["_meta"].get("unread", []) if u["section"].startswith("表8")]
    table = record["tables"]["three_public"]
    assert [row["reception"]["value"] for row in table["rows"]] == ["2.40"]
    assert table["prior_year"]["reception"]["value"] == "2.80"
