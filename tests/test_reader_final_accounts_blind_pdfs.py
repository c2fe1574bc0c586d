"""决算 layouts met in three more documents written blind (by someone who never saw the reader),
each reduced here to the smallest fictional text that shows it.

* The "三公" table titled "“三公”经费财政拨款支出决算表" (财政拨款 after 三公经费, as its 情况说明 is
  headed): the title was not recognised and the table listed unread.
* Printed with its items as rows (项目 | 预算数 | 决算数) and the 统计数 (counts of groups, persons,
  vehicles, receptions) below the amounts: the counts' rows, named as the items are, made every
  row unplaced.
* Printed with 预算数 and 决算数 each over six item columns in a three-row merged header, the item
  names wrapped in their cells ("因公出国" over "（境）费", "公务用车" over "购置费"), zeros left
  blank: the wrapped names named no column, and the line of fewer than twelve figures was unplaced.
"""

from __future__ import annotations

from fiscalrules.readers import read_document

HEAD = "宿陵市水利局\n2024年度部门决算\n"
SECTION = "财政拨款“三公”经费支出决算表"


from test_reader_final_accounts_blind_layouts import _three_public, _unread  # noqa: E402  (tests/ on the path)


THREE_PUBLIC_TWELVE = """\
财决07表
“三公”经费财政拨款支出决算表
部门：宿陵市水利局                                                    金额单位：万元
                 预算数                                              决算数
  合计  因公出国（境）费  公务用车购置及运行费        公务接待费    合计  因公出国（境）费  公务用车购置及运行费        公务接待费
                          小计  购置费  运行费                                              小计  购置费  运行费
 114.00 12.00 88.00 28.00 60.00 14.00 93.11 9.17 75.60 26.80 48.80 8.34
"""


def test_three_public_table_titled_with_its_fund_after_the_items_is_read():
    record = read_document((HEAD + THREE_PUBLIC_TWELVE).encode(), name="x.txt")
    assert _three_public(record) == {
        "budget": {"total": "114.00", "overseas": "12.00", "vehicle": "88.00", "vehicle_purchase": "28.00",
                   "vehicle_operation": "60.00", "reception": "14.00"},
        "final": {"total": "93.11", "overseas": "9.17", "vehicle": "75.60", "vehicle_purchase": "26.80",
                  "vehicle_operation": "48.80", "reception": "8.34"}}
    assert not any("not recognised" in reason for reason in _unread(record, "“三公”经费财政拨款支出决算表"))


THREE_PUBLIC_ROWS_WITH_COUNTS = """\
公开07表
“三公”经费财政拨款支出决算表
编制单位：宿陵市水利局                 金额单位：万元
项目                               预算数      决算数
合计                                51.00       44.14
1.因公出国（境）费
2.公务用车购置及运行费              45.00       40.08
其中：（1）公务用车购置费
（2）公务用车运行费                 45.00       40.08
3.公务接待费                         6.00        4.06
统计数
1.因公出国（境）团组数（个）                        0
2.因公出国（境）人次数（人）                        0
3.公务用车购置数（辆）                              0
4.公务用车保有量（辆）                             14
5.国内公务接待批次（个）                           27
6.国内公务接待人次（人）                          186
注：本表反映部门本年度“三公”经费财政拨款支出预算数和决算数，统计数为本年度实际发生数。
"""


def test_three_public_rows_with_counts_below_read_the_amounts_and_list_the_counts():
    record = read_document((HEAD + THREE_PUBLIC_ROWS_WITH_COUNTS).encode(), name="x.txt")
    assert _three_public(record) == {
        "budget": {"total": "51.00", "vehicle": "45.00", "vehicle_operation": "45.00", "reception": "6.00"},
        "final": {"total": "44.14", "vehicle": "40.08", "vehicle_operation": "40.08", "reception": "4.06"}}
    reasons = _unread(record, SECTION)
    assert len(reasons) == 1 and "统计数" in reasons[0]


# the merged header as a PDF prints it: each name centred in its cell, wrapped over two lines; the
# role words centred over their six columns; 因公出国（境）费 and 公务用车购置费 of nothing left blank
THREE_PUBLIC_WRAPPED = """\
表7
“三公”经费财政拨款支出决算表
单位名称：宿陵市文物保护中心                                                         金额单位：元
                      预算数                                                       决算数
                      公务用车购置及运行费                                         公务用车购置及运行费
             因公出国                                                     因公出国
    合计                       公务用车  公务用车  公务接待费     合计                       公务用车  公务用车  公务接待费
             （境）费   小计                                              （境）费   小计
                                 购置费    运行费                                               购置费    运行费
 35,000.00            30,000.00         30,000.00  5,000.00   20,611.93            18,742.26          18,742.26  1,869.67
"""


def test_three_public_header_with_names_wrapped_in_merged_cells_places_the_figures():
    record = read_document((HEAD + THREE_PUBLIC_WRAPPED).encode(), name="x.txt")
    assert _three_public(record) == {
        "budget": {"total": "35000.00", "vehicle": "30000.00", "vehicle_operation": "30000.00",
                   "reception": "5000.00"},
        "final": {"total": "20611.93", "vehicle": "18742.26", "vehicle_operation": "18742.26",
                  "reception": "1869.67"}}
    assert _unread(record, SECTION) == []


# ---- the 三公 section of the 情况说明 headed with 财政拨款 after 三公经费 ----------------------------

def test_three_public_section_headed_with_its_fund_after_the_items_is_found():
    from fiscalrules.readers.final_accounts.reader import _section_present
    heading = "七、三公经费财政拨款支出决算情况说明"
    assert _section_present("财政拨款“三公”经费支出决算情况说明", heading, [heading])
    assert _section_present("财政拨款“三公”经费支出决算情况说明", "", ["七、三公经费财政拨款支出决算情况"])
    # (and not a heading of another section ending alike)
    assert not _section_present("财政拨款“三公”经费支出决算情况说明", "", ["五、一般公共预算财政拨款支出决算情况说明"])


# ---- the performance section headed without 管理 --------------------------------------------------

def test_performance_section_headed_without_its_management_is_found():
    from fiscalrules.readers.final_accounts.reader import _section_present
    assert _section_present("预算绩效管理情况", "", ["十三、预算绩效情况说明"])
    assert not _section_present("预算绩效管理情况", "", ["十三、国有资产占用情况说明"])


# ---- 五 printed without its three parts, the 项 numbered "（一）" ------------------------------------

SECTION_FIVE_UNPARTED = """\
第三部分 2023年度单位决算情况说明
五、一般公共预算财政拨款支出决算情况说明
2023年度一般公共预算财政拨款支出年初预算为1288.00万元，支出决算为1428.14万元，完成年初预算的110.88%。其中：
（一）文化旅游体育与传媒支出（类）文物（款）文物保护（项）。年初预算为694.12万元，支出决算为824.37万元，完成年初预算的118.76%。决算数大于年初预算数的主要原因是年中追加文物抢险加固经费。
（二）文化旅游体育与传媒支出（类）文物（款）博物馆（项）。年初预算为172.58万元，支出决算为173.62万元，完成年初预算的100.06%。决算数大于年初预算数的主要原因是年中追加文物抢险加固经费。
六、一般公共预算财政拨款基本支出决算情况说明
2023年度一般公共预算财政拨款基本支出809.22万元。
"""


def test_section_five_without_parts_reads_the_total_and_the_items_numbered_in_words():
    record = read_document(("宿陵市文物保护中心\n2023年度单位决算\n" + SECTION_FIVE_UNPARTED).encode(), name="x.txt")
    general = record["general_budget"]
    assert (general["budget"]["value"], general["final"]["value"], general["completion"]["value"]) \
        == ("1288.00", "1428.14", "110.88")
    assert [(item["code"], item["budget"]["value"], item["final"]["value"], item["completion"]["value"])
            for item in general["items"]] == [("2070204", "694.12", "824.37", "118.76"),
                                             ("2070205", "172.58", "173.62", "100.06")]


SECTION_FIVE_PART_THREE_SHORT = """\
第三部分 2024年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（一）财政拨款支出决算总体情况
2024年度一般公共预算财政拨款支出12,187.13万元，占本年支出合计的96.97%。
（三）财政拨款支出决算具体情况
2024年度一般公共预算财政拨款支出年初预算12,150.58万元，支出决算12,187.13万元，完成年初预算的100.30%。
六、一般公共预算财政拨款基本支出决算情况说明
"""


def test_part_three_of_section_five_named_without_its_fund_reads_the_total_against_its_budget():
    record = read_document((HEAD + SECTION_FIVE_PART_THREE_SHORT).encode(), name="x.txt")
    general = record["general_budget"]
    assert (general["budget"]["value"], general["final"]["value"], general["completion"]["value"]) \
        == ("12150.58", "12187.13", "100.30")


# ---- a three-line table (no vertical rules): header words centred, figures right-aligned ---------

def _three_line_table_pdf() -> bytes:
    """The 一般公共预算财政拨款支出决算表 as a landscape 三线表 prints it: 类 | 款 | 项 apart, each
    header word centred in its wide cell, the figures right-aligned -- the last column's figures
    right of its header word -- and the line "部门：…    金额单位：万元" above the header, its unit
    standing over those figures."""
    from pdfmaker import make_examples, pdf_bytes

    def width(text, size=9.0):
        return make_examples.pdfmetrics.stringWidth(text, make_examples.FONT, size)

    def right(x1, top, text):
        return ("text", x1 - width(text), top, text, 9.0)

    items = [("text", 300, 30, "宿陵市水利局2024年度部门决算", 12.0),
             ("text", 308, 60, "一般公共预算财政拨款支出决算表", 15.0),
             ("text", 56, 90, "部门：宿陵市水利局", 9.0), right(786, 90, "金额单位：万元"),
             ("hrule", 104, 56, 786),
             ("text", 91, 110, "科目编码", 9.0), ("text", 581, 110, "本年支出", 9.0),
             ("text", 269, 124, "科目名称", 9.0),
             ("text", 72, 138, "类", 9.0), ("text", 108, 138, "款", 9.0), ("text", 140, 138, "项", 9.0),
             ("text", 465, 138, "小计", 9.0), ("text", 581, 138, "基本支出", 9.0), ("text", 706, 138, "项目支出", 9.0),
             ("hrule", 152, 56, 786)]
    rows = [("", "", "", "合计", "300.00", "200.00", "100.00"),
            ("208", "", "", "社会保障和就业支出", "200.00", "200.00", "0.00"),
            ("208", "05", "", "行政事业单位养老支出", "200.00", "200.00", "0.00"),
            ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "200.00", "200.00", "0.00"),
            ("213", "", "", "农林水支出", "100.00", "0.00", "100.00"),
            ("213", "01", "", "农业农村", "100.00", "0.00", "100.00"),
            ("213", "01", "02", "一般行政管理事务", "100.00", "0.00", "100.00")]
    for at, (kind, kuan, xiang, name, total, basic, project) in enumerate(rows):
        top = 160 + at * 16
        items += [("text", x, top, text, 9.0) for x, text in ((70, kind), (108, kuan), (141, xiang), (164, name)) if text]
        items += [right(533, top, total), right(658, top, basic), right(783, top, project)]
    items.append(("hrule", 160 + len(rows) * 16, 56, 786))
    return pdf_bytes([items], size=(842, 595))


def test_three_line_table_reads_the_last_column_under_its_header_not_the_unit_line():
    record = read_document(_three_line_table_pdf(), name="x.pdf")
    assert [u for u in record["_meta"]["unread"] if u["section"] == "一般公共预算财政拨款支出决算表"] == []
    rows = {row["code"]: (row["total"]["value"], row["basic"]["value"], row["project"]["value"])
            for row in record["tables"]["general_budget"]["rows"]}
    assert rows["2130102"] == ("100.00", "0.00", "100.00")
    assert rows["2080505"] == ("200.00", "200.00", "0.00")
    assert record["tables"]["general_budget"]["totals"]["project"]["value"] == "100.00"


# ---- a page number under a page of a two-sided 总表 -------------------------------------------------

def _summary_over_a_page_number_pdf() -> bytes:
    """The 收入支出决算总表 on a page of its own, its page number "- 3 -" printed under it (as each
    page of the document is numbered), the next table's title on the next page."""
    import unicodedata

    from pdfmaker import text_to_pdf

    def pad(text, width):
        return text + " " * (width - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))

    def row(*cells):
        return "".join(pad(text, width) for text, width in zip(cells, (32, 6, 12, 26, 6, 8)))

    pages = [["宿陵市水利局", "2024年度部门决算", " " * 35 + "- 2 -"],
             ["公开01表", "收入支出决算总表", "编制单位：宿陵市水利局" + " " * 41 + "金额单位：万元",
              pad("收入", 54) + "支出", row("项目", "行次", "金额", "项目", "行次", "金额"),
              row("一、一般公共预算财政拨款收入", "1", "100.00", "一、一般公共服务支出", "31", "100.00"),
              row("本年收入合计", "27", "100.00", "本年支出合计", "57", "100.00"),
              row("使用非财政拨款结余", "28", "", "结余分配", "58", ""),
              row("年初结转和结余", "29", "10.00", "年末结转和结余", "59", "10.00"),
              row("总计", "30", "110.00", "总计", "60", "110.00"), " " * 50 + "- 3 -"],
             ["公开02表", "收入决算表", " " * 35 + "- 4 -"]]
    size = max(len(page) for page in pages)
    # (each page filled to the same number of lines, its page number last)
    text = "\n".join("\n".join(page[:-1] + ["."] * (size - len(page)) + page[-1:]) for page in pages)
    return text_to_pdf(text, lines_per_page=size)


def test_page_number_under_a_two_sided_table_is_no_line_of_it():
    record = read_document(_summary_over_a_page_number_pdf(), name="x.pdf")
    assert [u["reason"] for u in record["_meta"]["unread"] if u["section"] == "收入支出决算总表"] == []
    summary = record["tables"]["summary"]
    assert (summary["income_grand_total"]["value"], summary["expenditure_grand_total"]["value"]) == ("110.00", "110.00")


# ---- 五（三）'s 项 named alone, without its 类 and 款 ------------------------------------------------

ITEMS_NAMED_ALONE = """\
一般公共预算财政拨款支出决算表
单位：万元
科目编码      科目名称                          合计        基本支出      项目支出
              合计                            374.28          221.10        153.18
206           科学技术支出                    153.18            0.00        153.18
20604         技术研究与开发                  153.18            0.00        153.18
2060499       其他技术研究与开发支出          153.18            0.00        153.18
208           社会保障和就业支出              221.10          221.10          0.00
20805         行政事业单位养老支出            221.10          221.10          0.00
2080501       行政单位离退休                  221.10          221.10          0.00
第三部分 2024年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）财政拨款支出决算具体情况
2024年度一般公共预算财政拨款支出年初预算372.63万元，支出决算374.28万元，完成年初预算的100.44%。主要支出项目情况如下：
1.其他技术研究与开发支出（项）：2024年年初预算148.43万元，支出决算153.18万元，完成年初预算的103.20%。决算数大于年初预算数，主要原因是年中追加专项资金。
2.行政单位离退休（项）：2024年年初预算224.20万元，支出决算221.10万元，完成年初预算的98.62%。决算数小于年初预算数，主要原因是人员自然减员。
六、一般公共预算财政拨款基本支出决算情况说明
"""


def test_items_named_by_their_xiang_alone_are_coded_by_the_table_and_read():
    record = read_document((HEAD + ITEMS_NAMED_ALONE).encode(), name="x.txt")
    items = [(item["code"], item["name"], item["budget"]["value"], item["final"]["value"], item["completion"]["value"],
              item["comparison"]) for item in record["general_budget"]["items"]]
    assert items == [("2060499", "其他技术研究与开发支出（项）", "148.43", "153.18", "103.20", "大于"),
                     ("2080501", "行政单位离退休（项）", "224.20", "221.10", "98.62", "小于")]
    assert not [u for u in record["_meta"]["unread"] if u["section"] == "情况说明"]


# ---- 七's total stated against last year only ----------------------------------------------------

THREE_PUBLIC_AGAINST_LAST_YEAR = """\
第三部分 2023年度单位决算情况说明
七、“三公”经费财政拨款支出决算情况说明
2023年度“三公”经费财政拨款支出决算为2.06万元，比2022年度减少0.58万元，下降21.97%。其中：因公出国（境）费支出决算为0万元，与2022年度持平；公务接待费支出决算为0.19万元，比2022年度减少0.06万元，下降24.00%，主要原因是严格执行公务接待管理规定。
八、政府性基金预算财政拨款收入支出决算情况说明
"""


def test_three_public_total_stated_against_last_year_only_is_read_with_its_change():
    record = read_document(("宿陵市文物保护中心\n2023年度单位决算\n" + THREE_PUBLIC_AGAINST_LAST_YEAR).encode(),
                           name="x.txt")
    final = record["three_public"]["final"]
    assert (final["value"], final["change"], final["pct"]) == ("2.06", "-0.58", "-21.97")
    assert not [u for u in record["_meta"]["unread"] if "2.06" in u["reason"] or "-0.58" in u["reason"]]


# ---- 七's items named as headings, or without a rate where both figures are 0 --------------------

THREE_PUBLIC_ITEMS_AS_HEADINGS = """\
第三部分 2024年度部门决算情况说明
七、财政拨款“三公”经费支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
2024年度“三公”经费财政拨款支出预算为102.00万元，支出决算为83.94万元，完成预算的82.29%。决算数小于预算数的主要原因是厉行节约。
（二）“三公”经费财政拨款支出决算具体情况说明
1.因公出国（境）费。2024年度预算0万元，支出决算0万元。
2.公务用车购置及运行费。2024年度预算88.00万元，支出决算75.60万元，完成预算的85.91%，占“三公”经费的90.06%。
3.公务接待费。2024年度预算14.00万元，支出决算8.34万元，完成预算的59.57%，占“三公”经费的9.94%。
八、政府性基金预算财政拨款收入支出决算情况说明
"""


def test_three_public_items_named_as_headings_are_read_with_their_budgets():
    record = read_document((HEAD + THREE_PUBLIC_ITEMS_AS_HEADINGS).encode(), name="x.txt")
    three = record["three_public"]
    got = {key: tuple(three[key].get(part, {}).get("value") for part in ("budget", "final", "completion"))
           for key in ("overseas", "vehicle", "reception")}
    assert got == {"overseas": ("0", "0", None), "vehicle": ("88.00", "75.60", "85.91"),
                   "reception": ("14.00", "8.34", "59.57")}


def test_three_public_total_change_against_last_year_in_regions_words_is_read():
    # (the change after the total's sentence, its subject unsaid; or "与 2023 年度相比，“三公”经费…支出减少")
    unsaid = THREE_PUBLIC_ITEMS_AS_HEADINGS.replace("完成预算的82.29%。", "完成预算的82.29%。较上年减少10.41万元，下降11.04%。")
    compared = THREE_PUBLIC_ITEMS_AS_HEADINGS.replace(
        "完成预算的82.29%。", "完成预算的82.29%。与2023年度相比，“三公”经费财政拨款支出减少10.41万元，下降11.04%。")
    # (r17: "…完成预算的 P%。与上年相比增加 C 万元", its subject unsaid, 相比 with or without its comma)
    plain_compared = [THREE_PUBLIC_ITEMS_AS_HEADINGS.replace(
        "完成预算的82.29%。", f"完成预算的82.29%。与上年相比{comma}减少10.41万元，下降11.04%。") for comma in ("", "，")]
    for text in (unsaid, compared, *plain_compared):
        assert text != THREE_PUBLIC_ITEMS_AS_HEADINGS
        final = read_document((HEAD + text).encode(), name="x.txt")["three_public"]["final"]
        assert (final["value"], final.get("change"), final.get("pct")) == ("83.94", "-10.41", "-11.04")


def test_three_public_vehicle_item_named_without_maintenance_is_read_in_part_two():
    # (七（二）'s shares and numbered items name it "公务用车购置及运行费", as the national tables do)
    text = THREE_PUBLIC_ITEMS_AS_HEADINGS.replace(
        "（二）“三公”经费财政拨款支出决算具体情况说明\n",
        "（二）“三公”经费财政拨款支出决算具体情况说明\n2024年度“三公”经费财政拨款支出决算中，公务用车购置及运行费支出决算75.60万元，"
        "占90.06%；公务接待费支出决算8.34万元，占9.94%。\n")
    vehicle = read_document((HEAD + text).encode(), name="x.txt")["three_public"]["vehicle"]
    assert (vehicle["detail"]["value"], vehicle["share"]["value"]) == ("75.60", "90.06")
