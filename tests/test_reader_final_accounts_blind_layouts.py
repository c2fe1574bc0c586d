"""决算 layouts of other regions, met in documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional text that shows it.

* The "三公" table printed with 预算数 and 决算数 each over its six item columns (合计, 因公出国（境）费,
  公务用车购置及运行费: 小计 / 购置费 / 运行费, 公务接待费) instead of the national pairs under each
  item, a numbering line "1 2 … 12" under the header, and blank cells (a 购置费 of nothing) left
  blank in space-aligned text.  Before: the numbering line was read as the figures (合计 1.00, …),
  and twelve figures would have been taken as 预算数 / 决算数 pairs.
"""

from __future__ import annotations

from fiscalrules.readers import read_document

HEAD = "宿陵市水利局\n2024年度部门决算\n"

THREE_PUBLIC_BY_ROLE = """\
　　　　　　　　　　一般公共预算财政拨款"三公"经费支出决算表
公开07表
编制单位：宿陵市水利局                                        单位：万元
预算数                                                                                      决算数
  合计  因公出国（境）费  公务用车购置及运行费                                  公务接待费    合计  因公出国（境）费  公务用车购置及运行费                                  公务接待费
                                          小计  公务用车购置费  公务用车运行费                                                        小计  公务用车购置费  公务用车运行费
     1                 2                     3               4               5           6       7                 8                     9              10              11          12
 27.00              8.00                 14.00                           14.00        5.00   22.05              6.52                 12.37                           12.37        3.16

注："三公"经费预算数为年初部门预算数。
"""

EXPECTED_BY_ROLE = {
    "budget": {"total": "27.00", "overseas": "8.00", "vehicle": "14.00", "vehicle_operation": "14.00",
               "reception": "5.00"},
    "final": {"total": "22.05", "overseas": "6.52", "vehicle": "12.37", "vehicle_operation": "12.37",
              "reception": "3.16"},
}


def _three_public(record: dict) -> dict:
    table = record["tables"].get("three_public", {})
    return {role: {key: figure["value"] for key, figure in table.get(role, {}).items()}
            for role in ("budget", "final")}


def _unread(record: dict, section: str) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if u["section"] == section]


def test_three_public_by_role_with_blank_cells_is_placed_under_the_numbered_columns():
    record = read_document((HEAD + THREE_PUBLIC_BY_ROLE).encode(), name="x.txt")
    assert _three_public(record) == EXPECTED_BY_ROLE
    assert _unread(record, "财政拨款“三公”经费支出决算表") == []


# the same table with its item names right-aligned over the figures, without a numbering line
# (half-width brackets: a text line's columns are counted on its normalised text)
THREE_PUBLIC_BY_ROLE_ALIGNED = """\
一般公共预算财政拨款"三公"经费支出决算表
单位：万元
  预算数                                                                          决算数
    合计    因公出国(境)费  公务用车购置及运行费                      公务接待费    合计    因公出国(境)费  公务用车购置及运行费                      公务接待费
                                小计  公务用车购置费  公务用车运行费                                            小计  公务用车购置费  公务用车运行费
   27.00              8.00     14.00                           14.00        5.00   22.05              6.52     12.37                           12.37        3.16
"""


def test_three_public_by_role_without_a_numbering_line_is_placed_under_the_item_names():
    record = read_document((HEAD + THREE_PUBLIC_BY_ROLE_ALIGNED).encode(), name="x.txt")
    assert _three_public(record) == EXPECTED_BY_ROLE
    assert _unread(record, "财政拨款“三公”经费支出决算表") == []


def test_three_public_by_role_with_every_cell_filled_is_read_by_role_not_by_pairs():
    filled = THREE_PUBLIC_BY_ROLE.replace(
        " 27.00              8.00                 14.00                           14.00        5.00   22.05"
        "              6.52                 12.37                           12.37        3.16",
        " 27.00              8.00                 14.00            0.00           14.00        5.00   22.05"
        "              6.52                 12.37            0.00           12.37        3.16")
    assert filled != THREE_PUBLIC_BY_ROLE
    record = read_document((HEAD + filled).encode(), name="x.txt")
    expected = {role: dict(figures, vehicle_purchase="0.00") for role, figures in EXPECTED_BY_ROLE.items()}
    assert _three_public(record) == expected


def test_three_public_figures_under_no_column_are_listed_not_guessed():
    # 8.00 moved left of every numbered column: the line cannot be placed, so it is listed
    moved = THREE_PUBLIC_BY_ROLE.replace(" 27.00              8.00 ", " 27.00 8.00              ")
    assert moved != THREE_PUBLIC_BY_ROLE
    record = read_document((HEAD + moved).encode(), name="x.txt")
    assert _three_public(record) == {"budget": {}, "final": {}}
    assert any("not placed" in reason for reason in _unread(record, "财政拨款“三公”经费支出决算表"))


# 七 worded with each figure's budget first and the final figure by its role alone (the template says
# "…年初预算为 B 万元，支出决算为 F 万元" of the total only, after "三公经费财政拨款支出")
THREE_PUBLIC_BUDGET_FIRST = """\
第三部分 2024年度部门决算情况说明
七、一般公共预算财政拨款"三公"经费支出决算情况说明
2024年度一般公共预算财政拨款"三公"经费支出预算为27.00万元，支出决算为22.05万元，完成预算的81.67%，\
决算数小于预算数的主要原因是：从严控制"三公"经费支出。
因公出国（境）费预算为8.00万元，支出决算为6.52万元，完成预算的81.50%。
公务用车购置及运行维护费预算为14.00万元，支出决算为12.37万元，完成预算的88.36%。
公务接待费预算为5.00万元，支出决算为3.16万元，完成预算的63.20%。
"""


def test_three_public_paragraph_with_the_budget_named_first_reads_the_final_figures():
    # before: each budget was read as the item's final figure (因公出国 8.00, 公务接待 5.00), the
    # final figures listed as naming nothing
    record = read_document((HEAD + THREE_PUBLIC_BUDGET_FIRST).encode(), name="x.txt")
    paragraph = record["three_public"]
    assert (paragraph["final"]["value"], paragraph["budget"]["value"], paragraph["completion"]["value"]) \
        == ("22.05", "27.00", "81.67")
    assert {key: (paragraph[key]["final"]["value"], paragraph[key]["budget"]["value"])
            for key in ("overseas", "vehicle", "reception")} \
        == {"overseas": ("6.52", "8.00"), "vehicle": ("12.37", "14.00"), "reception": ("3.16", "5.00")}
    assert paragraph["comparison"] == "小于"
    assert record["_meta"]["unread"] == []


# A coded table in tab-separated text keeping its blank cells as empty fields between tabs (and
# dropping the trailing ones): each cell stands under the header's column of its index.  Before, a
# page number under the table (a line "4" without a tab) stood as a figure under the code column, so
# the grid was not trusted, every row not filling all seven figure columns was taken for
# single-spaced text, where a blank cell leaves no trace, and the whole table was listed.
INCOME_TABS = """\
收入决算表
公开02表
部门：宿陵市水利局\t\t\t\t金额单位：万元
科目编码\t科目名称\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入
\t合计\t1,270.00\t1,000.00\t\t250.00\t\t\t20.00
207\t文化旅游体育与传媒支出\t1,270.00\t1,000.00\t\t250.00\t\t\t20.00
20702\t文物\t1,270.00\t1,000.00\t\t250.00\t\t\t20.00
2070201\t行政运行\t1,020.00\t1,000.00\t\t\t\t\t20.00
2070204\t文物保护\t250.00\t\t\t250.00
"""


def _coded_rows(record: dict, table: str) -> dict:
    return {row["code"]: {key: value["value"] for key, value in row.items() if isinstance(value, dict)}
            for row in record["tables"].get(table, {}).get("rows", [])}


def test_tab_cells_kept_blank_are_placed_by_their_index_under_the_header():
    record = read_document((HEAD + INCOME_TABS).encode(), name="x.txt")
    assert _coded_rows(record, "income") == {
        "207": {"total": "1270.00", "appropriation": "1000.00", "business": "250.00", "other": "20.00"},
        "20702": {"total": "1270.00", "appropriation": "1000.00", "business": "250.00", "other": "20.00"},
        "2070201": {"total": "1020.00", "appropriation": "1000.00", "other": "20.00"},
        "2070204": {"total": "250.00", "business": "250.00"},
    }
    totals = {key: value["value"] for key, value in record["tables"]["income"]["totals"].items()}
    assert totals == {"total": "1270.00", "appropriation": "1000.00", "business": "250.00", "other": "20.00"}
    assert _unread(record, "收入决算表") == []


def test_tab_text_dropping_its_blank_cells_still_lists_the_rows_it_cannot_place():
    # no line keeps an empty field: the blank cells left no trace, and a row filling fewer columns
    # than the header names cannot be placed (the table is listed, as before)
    dropped = INCOME_TABS.replace("\t\t\t\t", "\t").replace("\t\t\t", "\t").replace("\t\t", "\t")
    dropped = dropped.replace("\n\t合计", "\n合计")
    record = read_document((HEAD + dropped).encode(), name="x.txt")
    assert _coded_rows(record, "income") == {}
    assert any("cannot be placed" in reason for reason in _unread(record, "收入决算表"))


def test_tab_cells_kept_blank_are_placed_across_a_page_number():
    # the page's number printed under the table, alone on its line (no tab): no row of it -- it
    # stood as a figure under the code column, and the whole table was listed
    text = HEAD + INCOME_TABS + "\n3\n\x0c宿陵市水利局2024年度部门决算\n\n支出决算表\n公开03表\n\n4\n\x0c宿陵市水利局2024年度部门决算\n"
    record = read_document(text.encode(), name="x.txt")
    assert _coded_rows(record, "income")["2070204"] == {"total": "250.00", "business": "250.00"}
    assert _unread(record, "收入决算表") == []


SUMMARY_TABS = """\
收入支出决算总表
公开01表
部门：宿陵市水利局\t\t\t\t金额单位：万元
收入\t\t\t支出
项目\t行次\t金额\t项目\t行次\t金额
一、一般公共预算财政拨款收入\t1\t1,000.00\t一、文化旅游体育与传媒支出\t41\t1,270.00
二、政府性基金预算财政拨款收入\t2\t\t二、社会保障和就业支出\t42\t
五、事业收入\t5\t250.00
八、其他收入\t8\t20.00
本年收入合计\t9\t1,270.00\t本年支出合计\t49\t1,270.00
使用非财政拨款结余\t10\t\t结余分配\t50
总计\t12\t1,270.00\t总计\t52\t1,270.00

3
\x0c宿陵市水利局2024年度部门决算
"""


def test_two_sided_tab_cells_kept_blank_are_given_their_side_by_index():
    # before: "八、其他收入 8 20.00" was listed (其他收入 names a function class too, so its side could
    # not be told from its words), and BAL-004 failed by 20.00
    record = read_document((HEAD + SUMMARY_TABS + "收入决算表\n").encode(), name="x.txt")
    summary = record["tables"]["summary"]
    assert {key: value["value"] for key, value in summary["income"].items()} \
        == {"general_budget": "1000.00", "business": "250.00", "other": "20.00"}
    assert (summary["income_total"]["value"], summary["expenditure_total"]["value"]) == ("1270.00", "1270.00")
    assert [row["code"] for row in summary["expenditure"]] == ["207", "208"]
    assert _unread(record, "收入支出决算总表") == []


# The 情况说明's sections headed "（一）…（七）" with the heading run into its paragraph on the same line
# (or alone on its line, closed by "。").  Before: no section was found -- QUA-010 failed for each, and
# their figures were silent (the total's change against last year never checked).
RUN_IN_HEADINGS = """\
第三部分　2023年度单位决算情况说明
　　（一）收入支出决算总体情况。2023年度本单位收入总计1195.45万元，支出总计
1195.45万元。收支总计较上年决算数增加71.59万元，增长6.37%，主要原因是：供养标准提高。
　　（二）收入决算情况。本年收入合计1134.15万元，其中：一般公共预算财政拨款收入1134.15万元，占100%。
　　（三）支出决算情况。本年支出合计1119.03万元，其中：基本支出1119.03万元，占100%。
　　（四）财政拨款收支决算总体情况。2023年度财政拨款收入总计1040.41万元，支出总计1040.41万元。
（五）一般公共预算财政拨款支出决算情况。
　　1.总体情况。2023年度一般公共预算财政拨款支出944.04万元。
　　（六）一般公共预算财政拨款基本支出决算情况。2023年度一般公共预算财政拨款基
本支出587.18万元，其中：人员经费499.96万元；公用经费87.22万元。
（七）"三公"经费情况。
　　1."三公"经费财政拨款支出决算总体情况。2023年度"三公"经费财政拨款支出预算为3.00万元。
"""


def test_run_in_section_headings_are_found():
    import fiscalrules
    record = read_document(("南岭区社会福利院\n2023年度单位决算\n" + RUN_IN_HEADINGS).encode(), name="x.txt")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    # (the seven sections printed above: 收入支出决算总体 … 三公, QUA-010's items 10 to 16)
    found = {str(f.item): f.status for f in report.findings if f.rule == "QUA-010"}
    assert {item: found[item] for item in map(str, range(10, 17))} == {item: "pass" for item in map(str, range(10, 17))}
    overview = record["overview"]
    assert (overview["total"]["value"], overview["total"]["change"], overview["total"]["pct"]) == ("1195.45", "71.59", "6.37")
    assert record["appropriation"]["total"]["value"] == "1040.41"


def test_a_numbered_sentence_naming_no_section_is_no_heading():
    from fiscalrules.inputs import open_document
    from fiscalrules.readers.final_accounts.linking import run_in_heading
    doc = open_document("（一）收入总计1195.45万元。其余\n（二）主要职能。负责…\n".encode(), "x.txt")
    assert run_in_heading(doc.line(1)) is None                  # an amount: a sentence, not a heading
    assert run_in_heading(doc.line(2)) == ("(二)主要职能", 8)     # a heading; whether of a section: the caller's


# 五（三）'s 项 whose comparison runs over a page break: the page number and the running head printed
# between its lines ("决算数大于 / - 2 - / 年初预算数的主要原因是：…", "…的主要原 / 3 / 某局2024年度部门决算 /
# 因是：…").  Before: both were read without their comparison, CMP-010…012 not evaluable and CMP-013
# failing ("两者不同时应说明原因") though the reason is printed.
ITEMS_OVER_PAGES = """\
宿陵市水利局2024年度部门决算
第三部分　2024年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
　　1.社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。
年初预算为56.10万元，支出决算为57.62万元，完成年初预算的102.71%。决算数大于

- 2 -
\x0c宿陵市水利局2024年度部门决算
年初预算数的主要原因是：离休人员医药费据实结算。
　　2.社会保障和就业支出(类)行政事业单位养老支出(款)事业单位离退休(项): 年初预算为64.24万元，支
出决算为67.65万元，完成年初预算的105.31%，决算数大于年初预算数的主要原

- 3 -
\x0c宿陵市水利局2024年度部门决算
因是：新增退休人员。
六、一般公共预算财政拨款基本支出决算情况说明

- 4 -
"""


def test_an_items_comparison_over_a_page_break_is_read():
    record = read_document(("- 1 -\n\x0c" + ITEMS_OVER_PAGES).encode(), name="x.txt")
    items = {row["code"]: (row.get("comparison"), row.get("reason")) for row in record["general_budget"]["items"]}
    assert items == {"2080501": ("大于", "离休人员医药费据实结算"), "2080502": ("大于", "新增退休人员")}


SUMMARY_SPACES = """\
收入支出决算总表
单位：元
收入                                                   支出
项目                              行次           金额  项目                    行次           金额
一、一般公共预算财政拨款收入         1   9,509,706.58  一、社会保障和就业支出    41   9,827,019.83
五、事业收入                         5     933,750.44
八、其他收入                         8      86,702.22
本年收入合计                         9  10,529,159.24  本年支出合计              49   9,827,019.83
"""


def test_a_summary_line_naming_an_income_alone_is_the_income_side():
    # "其他收入" shares its stem with the function class 其他支出 (229): the line was listed as of no
    # side, and BAL-004 failed by its amount (a function class's name never ends with 收入)
    record = read_document((HEAD + SUMMARY_SPACES + "\n收入决算表\n").encode(), name="x.txt")
    income = {key: value["value"] for key, value in record["tables"]["summary"]["income"].items()}
    assert income == {"general_budget": "9509706.58", "business": "933750.44", "other": "86702.22"}
    assert _unread(record, "收入支出决算总表") == []


def test_a_small_firms_share_of_the_sme_contracts_is_not_taken_for_a_share_of_the_total():
    # "…授予小微企业合同金额 2,830.54 万元，占授予中小企业合同金额的 55.37%": a share of the SME
    # contracts, not of the procurement total -- PROC-004 failed (55.37% against 42.16% of the total)
    text = HEAD + """第三部分　2024年度部门决算情况说明
十、其他重要事项的情况说明
（二）政府采购支出情况
　　2024年度本部门政府采购支出总额6,714.01万元，其中：政府采购货物支出1,299.14万元、政府采购工程支出
3,042.09万元、政府采购服务支出2,372.78万元。授予中小企业合同金额5,112.05万元，占政府采购支出总额的76.14%，
其中：授予小微企业合同金额2,830.54万元，占授予中小企业合同金额的55.37%。
"""
    record = read_document(text.encode(), name="x.txt")
    procurement = record["procurement"]
    assert (procurement["sme_contracts"]["value"], procurement["sme_contracts_share"]["value"]) == ("5112.05", "76.14")
    assert procurement["small_contracts"]["value"] == "2830.54" and "small_contracts_share" not in procurement
    # (its own figure, checked by PROC-005: tests/test_reader_procurement_shares.py)
    assert procurement["small_contracts_share_of_sme"]["value"] == "55.37"


# 五（三）'s 项 unnumbered, each at a sentence's start with its code after it, and the comparison in
# a clause of its own ("决算数大于年初预算数，主要原因是…").  Before: no 项 was read (their figures listed).
UNNUMBERED_ITEMS = """\
第三部分　2023年度单位决算情况说明
（五）一般公共预算财政拨款支出决算情况。
　　3.具体情况（与年初预算比较）。
　　社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）
2080502：年初预算15.67万元，支出决算16.43万元，完成年初预算的104.85%，决算数大
于年初预算数，主要原因是据实发放退休人员补助。
　　住房保障支出（类）住房改革支出（款）住房公积金（项）2210201：年初预算41.38
万元，支出决算41.32万元，完成年初预算的99.85%，决算数小于年初预算数，主要原因
是按实际缴存基数缴存。
"""


def test_unnumbered_items_with_their_code_after_them_are_read():
    record = read_document(("南岭区社会福利院\n2023年度单位决算\n" + UNNUMBERED_ITEMS).encode(), name="x.txt")
    items = {row["code"]: (row["budget"]["value"], row["final"]["value"], row.get("comparison"), row.get("reason"))
             for row in record["general_budget"]["items"]}
    assert items == {"2080502": ("15.67", "16.43", "大于", "据实发放退休人员补助"),
                     "2210201": ("41.38", "41.32", "小于", "按实际缴存基数缴存")}
