"""Table layouts of budget PDFs written blind in other regions' styles, built here as small
fictional PDFs (tests/pdfmaker.py) and read by the template's structure -- table titles, headers,
codes -- never by one document's names or figures."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402

from fiscalrules.document.tables import read_grid  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402


def _grid(items, is_body):
    doc = read_pdf(pdf_bytes([items]), "blind.pdf")
    return read_grid(doc, doc.lines, is_body)


def _coded(line) -> bool:
    return bool(line.words) and (re.fullmatch(r"\d{3}", line.words[0].text) is not None
                                 or line.words[0].text == "合计")


def test_a_booktabs_title_spans_only_the_columns_its_short_rule_runs_over():
    # Unruled (rules only above, under and below the header, and a short rule under each merged
    # cell): "科目编码" over 类 | 款 | 项, the other cells centred in the header's height -- on
    # the line between the title and 类/款/项. The title heads the three code columns only.
    items = [("hrule", 40, 60, 530),
             ("text", 90, 45, "科目编码", 8.5), ("hrule", 60, 66, 150),
             ("text", 220, 55, "科目名称", 8.5), ("text", 350, 55, "合计", 8.5),
             ("text", 410, 55, "基本支出", 8.5), ("text", 480, 55, "项目支出", 8.5),
             ("text", 74, 65, "类", 8.5), ("text", 104, 65, "款", 8.5), ("text", 133, 65, "项", 8.5),
             ("hrule", 80, 60, 530)]
    rows = [("", "", "", "合计", "1,000.00", "400.00", "600.00"),
            ("208", "", "", "社会保障和就业支出", "1,000.00", "400.00", "600.00"),
            ("208", "02", "", "民政管理事务", "1,000.00", "400.00", "600.00"),
            ("208", "02", "01", "行政运行", "1,000.00", "400.00", "600.00")]
    for at, row in enumerate(rows):
        top = 85 + 12 * at
        for x, text in zip((67, 96, 126, 160, 350, 420, 485), row):
            if text:
                items.append(("text", x, top, text, 8.5))
    items.append(("hrule", 85 + 12 * len(rows) + 2, 60, 530))
    grid = _grid(items, _coded)
    assert [c.path for c in grid.columns] == ["科目编码/类", "科目编码/款", "科目编码/项", "科目名称",
                                              "合计", "基本支出", "项目支出"]
    assert [row.text(3) for row in grid.rows] == ["合计", "社会保障和就业支出", "民政管理事务", "行政运行"]


def test_a_booktabs_group_title_is_not_widened_past_its_short_rule():
    # The 三公 table: "公务用车购置及运行维护费" over 小计 | 购置费 | 运行维护费 (its short rule),
    # 因公出国（境）费 and 公务接待费 beside it, centred in the header's height.
    items = [("hrule", 40, 60, 530),
             ("text", 286, 45, "公务用车购置及运行维护费", 8.5), ("hrule", 60, 222, 451),
             ("text", 100, 55, "合计", 8.5), ("text", 147, 55, "因公出国（境）费", 8.5),
             ("text", 471, 55, "公务接待费", 8.5),
             ("text", 250, 65, "小计", 8.5), ("text", 307, 65, "公务用车购置费", 8.5),
             ("text", 380, 65, "公务用车运行维护费", 8.5), ("hrule", 80, 60, 530),
             ("text", 107, 85, "42,600.00", 8.5), ("text", 203, 85, "0.00", 8.5),
             ("text", 263, 85, "24,000.00", 8.5), ("text", 359, 85, "0.00", 8.5),
             ("text", 419, 85, "24,000.00", 8.5), ("text", 497, 85, "18,600.00", 8.5),
             ("hrule", 98, 60, 530)]
    grid = _grid(items, lambda line: bool(line.words) and line.words[0].text[0].isdigit())
    assert [c.path for c in grid.columns] == [
        "合计", "因公出国（境）费", "公务用车购置及运行维护费/小计", "公务用车购置及运行维护费/公务用车购置费",
        "公务用车购置及运行维护费/公务用车运行维护费", "公务接待费"]


def _income_page(label: str, title: str, rows):
    items = [("text", 60, 40, label, 10.0), ("text", 200, 60, title, 12.0),
             ("text", 60, 80, "单位名称：某县民政局", 9.0), ("text", 480, 80, "单位：元", 9.0),
             ("text", 60, 100, "科目编码", 9.0), ("text", 150, 100, "科目名称", 9.0),
             ("text", 300, 100, "合计", 9.0), ("text", 400, 100, "一般公共预算拨款", 9.0)]
    for at, (code, name, total) in enumerate(rows):
        top = 120 + 14 * at
        items += [("text", 60, top, code, 9.0), ("text", 150, top, name, 9.0),
                  ("text", 300, top, total, 9.0), ("text", 420, top, total, 9.0)]
    return items


def test_a_table_continued_under_its_number_label_and_a_continued_title_goes_on(tmp_path):
    # "表二" over "…部门收入总表", and on the next page "表二" again over "…部门收入总表（续表）"
    # and the header repeated: the rows there are the same table's, not rows outside any table.
    from fiscalrules.readers import read_disclosure

    first = _income_page("表二", "某县民政局2025年部门收入总表", [
        ("合计", "", "300.00"), ("208", "社会保障和就业支出", "100.00"), ("20802", "民政管理事务", "100.00"),
        ("2080201", "行政运行", "100.00")])
    second = _income_page("表二", "某县民政局2025年部门收入总表（续表）", [
        ("210", "卫生健康支出", "200.00"), ("21011", "行政事业单位医疗", "200.00"),
        ("2101101", "行政单位医疗", "200.00")])
    path = tmp_path / "continued.pdf"
    cover = [("text", 60, 60, "某县民政局2025年部门预算", 14.0),
             ("text", 60, 90, "第一部分 2025年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]
    path.write_bytes(pdf_bytes([cover, first, second]))
    record = read_disclosure(path)
    assert [row["code"] for row in record["tables"]["income"]["rows"]] == [
        "208", "20802", "2080201", "210", "21011", "2101101"]
    assert not [u for u in record["_meta"].get("unread", []) if "table" in u["reason"]]


def test_a_letter_spaced_header_cell_is_one_cell_over_its_figures():
    # "合  计" printed letter-spaced, centred over a right-aligned figure that starts under its
    # second letter only: one column "合计", not a column "合" blank in every row and one "计".
    items = [("text", 93, 45, "合", 8.5), ("text", 105, 45, "计", 8.5),
             ("text", 180, 45, "因公出国（境）费", 8.5), ("text", 300, 45, "公务接待费", 8.5),
             ("text", 107, 65, "42,600.00", 8.5), ("text", 230, 65, "0.00", 8.5),
             ("text", 310, 65, "18,600.00", 8.5)]
    grid = _grid(items, lambda line: bool(line.words) and line.words[0].text[0].isdigit())
    assert [c.path for c in grid.columns] == ["合计", "因公出国（境）费", "公务接待费"]
    assert [grid.rows[0].text(i) for i in range(3)] == ["42,600.00", "0.00", "18,600.00"]


def test_a_table_of_counts_under_the_three_public_table_is_not_one_more_row_of_it(tmp_path):
    # The 三公 table (in 元), then "“三公”经费相关实物量：" and a table of counts (团组数（个）…
    # 批次（个）| 人数（人）): the counts are no row of the money table.
    from fiscalrules.readers import read_disclosure
    from fiscalrules.translations import to_zh

    cover = [("text", 60, 60, "某中心2026年单位预算", 14.0),
             ("text", 60, 90, "2026年单位预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]
    table = [("text", 70, 40, "表7", 10.0), ("text", 186, 60, "2026年一般公共预算“三公”经费支出表", 12.0),
             ("text", 70, 80, "单位名称：某中心", 9.0), ("text", 497, 80, "单位：元", 9.0),
             ("text", 100, 100, "合计", 9.0), ("text", 160, 100, "因公出国（境）费", 9.0),
             ("text", 260, 100, "公务用车购置及运行费", 9.0), ("text", 475, 100, "公务接待费", 9.0),
             ("text", 116, 120, "45600.00", 9.0), ("text", 208, 120, "0.00", 9.0),
             ("text", 271, 120, "36000.00", 9.0), ("text", 506, 120, "9600.00", 9.0),
             ("text", 70, 140, "“三公”经费相关实物量：", 9.0)]
    heads = (("团组数（个）", 85), ("人数（人）", 166), ("购置数（辆）", 239), ("保有量（辆）", 316),
             ("批次（个）", 397), ("人数（人）", 475))
    table += [("text", x, 160, text, 9.0) for text, x in heads]
    table += [("text", x + 20, 180, count, 9.0) for (_, x), count in zip(heads, ("0", "0", "0", "1", "12", "86"))]
    path = tmp_path / "counts.pdf"
    path.write_bytes(pdf_bytes([cover, table]))
    record = read_disclosure(path)
    rows = record["tables"]["three_public"]["rows"]
    assert [(r["total"]["value"], r["reception"]["value"]) for r in rows] == [("45600.00", "9600.00")]
    unread = [u["reason"] for u in record["_meta"]["unread"] if "counts printed" in u["reason"]]
    assert len(unread) == 1 and "86" in unread[0] and "实物量" in to_zh(unread[0])


def test_a_summary_row_of_two_blank_items_is_no_heading():
    # A 收支预算总表 row whose cells are blank on both sides ("二、政府性基金预算拨款收入" |
    # "二、外交支出") ended the table as if it were the 情况说明's heading "二、…政府性基金…".
    from fiscalrules.readers.budget.sections import _is_narrative_heading

    assert not _is_narrative_heading("二、政府性基金预算拨款收入二、外交支出")
    assert not _is_narrative_heading("(二)政府性基金预算拨款(二)外交支出")
    assert _is_narrative_heading("八、政府性基金预算支出情况")


def test_a_two_sided_table_goes_on_past_an_item_printed_alone_again():
    # The 财政拨款收支总表's income side runs on past its expenditure side: "（二）政府性基金预算拨款"
    # alone on a line (its cell blank) is the item printed above, not the heading "（二）…政府性基金…".
    from fiscalrules.document.model import Document
    from fiscalrules.readers.budget.sections import analyse

    text = "\n".join([
        "财政拨款收支总表", "单位：万元",
        "项目          预算数      项目                  合计",
        "一、本年收入  100.00      一、本年支出          100.00",
        "（一）一般公共预算拨款  100.00   （一）农林水支出   100.00",
        "（二）政府性基金预算拨款          二、结转下年",
        "二、上年结转",
        "（一）一般公共预算拨款",
        "（二）政府性基金预算拨款",
        "收入总计  100.00   支出总计   100.00"])
    blocks = analyse(Document(text, "two_sided.txt")).blocks
    assert [(b.key, b.first, b.last) for b in blocks] == [("appropriation_summary", 1, 10)]


def test_a_three_public_table_of_year_rows_in_a_pdf_is_read_by_its_rows_roles(tmp_path):
    # Rows named "2026年预算数" / "2025年预算数" / "增减额" under a "项目" column (Shandong): in a PDF
    # they were taken for header lines ("a line with figures above the table's first row").
    from fiscalrules.readers import read_disclosure

    cover = [("text", 60, 60, "某局2026年部门预算", 14.0),
             ("text", 60, 90, "2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]
    xs = (100, 215, 295, 424, 507, 602, 723)
    table = [("text", 46, 40, "表7", 10.0), ("text", 330, 60, "财政拨款“三公”经费支出表", 12.0),
             ("text", 46, 80, "部门：某局", 9.0), ("text", 751, 80, "单位：万元", 9.0),
             ("text", 486, 100, "公务用车购置及运行维护费", 9.0)]
    table += [("text", x, 115, text, 9.0) for x, text in zip(xs, ("项目", "合计", "因公出国（境）费", "", "", "",
                                                                  "公务接待费")) if text]
    table += [("text", x, 130, text, 9.0) for x, text in zip(xs[3:6], ("小计", "公务用车购置费", "公务用车运行维护费"))]
    for top, cells in ((150, ("2026年预算数", "110.40", "18.00", "82.80", "56.00", "26.80", "9.60")),
                       (165, ("2025年预算数", "58.30", "18.00", "29.50", "0.00", "29.50", "10.80")),
                       (180, ("增减额", "52.10", "0.00", "53.30", "56.00", "-2.70", "-1.20"))):
        table += [("text", x + (0 if at == 0 else 30), top, text, 9.0) for at, (x, text) in enumerate(zip(xs, cells))]
    path = tmp_path / "years.pdf"
    path.write_bytes(pdf_bytes([cover, table], size=(842, 595)))
    record = read_disclosure(path)
    table = record["tables"]["three_public"]
    [row] = table["rows"]
    assert row["total"]["value"] == "110.40" and row["reception"]["value"] == "9.60"
    assert table["prior_year"]["total"]["value"] == "58.30"
    assert not [u for u in record["_meta"].get("unread", []) if "above the table" in u["reason"]]


def test_a_sentence_wrapped_after_a_tables_name_is_no_title():
    # "…2025年无国有资本经营预算拨款安排的支出，国有资本经营预算支出表" / "为空表。": a paragraph
    # of the 情况说明 wrapped after 表, not the table's title (its unit was taken twice).
    from fiscalrules.readers.budget.sections import table_title_key

    assert table_title_key("某局2025年无国有资本经营预算拨款安排的支出,国有资本经营预算支出表") is None
    assert table_title_key("某局2025年国有资本经营预算支出表") == "state_capital"
