"""A table pasted as text with tabs between cells (a web page selected in a browser and pasted
into a text editor): its rows read as the page's own rows would -- a letter-spaced label
("合　　计") is the word it spells, codes split over 类 | 款 | 项 columns join up."""

from __future__ import annotations

from fiscalrules.readers import read_document

# A fictional unit's 收入总表 as pasted: empty cells as consecutive tabs, the total's label
# centred with ideographic spaces, 类 / 款 / 项 in three columns, Windows line ends.
PASTED = "\r\n".join([
    "示例县测绘服务中心2026年单位预算",
    "第二部分 2026年单位预算表（收入预算、支出预算、财政拨款）",
    "表2",
    "示例县测绘服务中心2026年单位收入总表",
    "单位：万元",
    "科目编码\t\t\t科目名称\t总计\t本年收入\t\t\t上年结转结余",
    "类\t款\t项\t\t\t小计\t一般公共预算拨款收入\t事业收入\t",
    "\t\t\t合\u3000\u3000计\t130.00\t130.00\t120.00\t10.00\t",
    "208\t\t\t社会保障和就业支出\t30.00\t30.00\t30.00\t\t",
    "208\t05\t\t行政事业单位养老支出\t30.00\t30.00\t30.00\t\t",
    "208\t05\t05\t机关事业单位基本养老保险缴费支出\t30.00\t30.00\t30.00\t\t",
    "212\t\t\t城乡社区支出\t100.00\t100.00\t90.00\t10.00\t",
    "212\t01\t\t城乡社区管理事务\t100.00\t100.00\t90.00\t10.00\t",
    "212\t01\t99\t其他城乡社区管理事务支出\t100.00\t100.00\t90.00\t10.00\t",
    "",
])


def _income_table(text: str, encoding: str = "utf-8") -> dict:
    record = read_document(text.encode(encoding), name="pasted.txt")
    return record["tables"]["income"], record["_meta"].get("unread", [])


def test_a_letter_spaced_total_label_in_a_pasted_row_is_read():
    table, unread = _income_table(PASTED)
    assert table["totals"]["total"]["value"] == "130.00"
    assert table["totals"]["general_budget"]["value"] == "120.00"
    assert not [entry for entry in unread if "收入总表" in entry.get("section", "")]


def test_codes_split_over_three_pasted_columns_join_and_lines_keep_their_numbers():
    table, _ = _income_table(PASTED)
    rows = {row["code"]: row for row in table["rows"]}
    assert {"208", "20805", "2080505", "212", "21201", "2120199"} <= set(rows)
    assert rows["2120199"]["total"]["value"] == "100.00"
    assert rows["2120199"]["total"]["source"]["line"] == 14   # as printed: no line lost or added


def test_a_page_pasted_into_notepad_and_saved_as_ansi_reads_the_same():
    table, unread = _income_table(PASTED, "gb18030")
    assert table["totals"]["total"]["value"] == "130.00"
    assert len(table["rows"]) == 6
    assert not [entry for entry in unread if "收入总表" in entry.get("section", "")]
