"""A 决算 whose tables the reader did not find, and a record it could not hold: round 4 of the
documents written blind (a county 事业单位's 单位决算 as ``pdftotext -layout`` text), each layout
reduced here to the smallest fictional text that shows it.

* A table's number printed after its title on the same line ("收入决算表      公开02表", the 决算
  software's label at the page's right): no table was recognised, so 五（三）'s items found no
  table line to take their codes from, two items were written with code "", and the loader
  refused the document whole (E300 "code  appears twice").
* One row the record model cannot hold (a code twice) cost the whole document: now that row is
  listed in ``_meta.unread`` (naming it) and the rest is read and audited.  A user's record file
  giving a code twice is still refused (E300, exit 2), naming the row.
* The "栏次 1 2 3" numbering under a header, and the 编制单位 line printing the year between
  publisher and unit, stood their words over the columns and parted the headers from their figures.
* The 基本支出决算表's three panels side by side, an item with no amount ending a line laid out
  in columns: its cell is blank (the table was listed whole).
* A 项 the classification list (typed by hand) codes otherwise than the document's own table
  (事业运行 under 农业农村): the table's line is the item's.
"""

from __future__ import annotations

import json

from fiscalrules.readers import read_document, read_document_record
from fiscalrules.readers.common.record import RecordBuilder
from fiscalrules.records import load_record

from cli_runs import run_cli
from test_reader_final_accounts_blind_round3 import _rows, _unread  # (tests/ on the path)

HEAD = "青禾县种子站\n\n2025年度单位决算\n\n"


def _right(cells: list[tuple[str, int]]) -> str:
    """A line of *cells*, each ending at its character offset (right-aligned), left ones first."""
    out = ""
    for text, end in cells:
        out += " " * max(1 if out else 0, end - len(out) - len(text)) + text
    return out


# -- a table's number after its title --------------------------------------------------------------

INCOME = "\n".join([
    _right([("收入决算表", 40), ("公开02表", 90)]),
    "",
    _right([("编制单位：青禾县种子站", 14), ("单位：元", 90)]),
    "       项目                本年收入合计       财政拨款收入         其他收入",
    "  科目编码     科目名称",
    "       合计                    500,000.00         480,000.00        20,000.00",
    "213       农林水支出           500,000.00         480,000.00        20,000.00",
    "21301      农业农村            500,000.00         480,000.00        20,000.00",
    "2130199     其他农业农村支出   500,000.00         480,000.00        20,000.00",
    "注：本表反映单位本年度取得的各项收入情况。",
    ""])


def test_a_title_followed_by_its_table_number_on_its_line_is_the_table():
    record = read_document((HEAD + INCOME).encode(), name="x.txt")
    rows = _rows(record, "income")
    assert set(rows) == {"213", "21301", "2130199"}
    assert rows["2130199"] == {"total": "500000.00", "appropriation": "480000.00", "other": "20000.00"}


# -- 栏次 and the 编制单位 line with the year: headers centred left of right-aligned figures -----------

GENERAL_BUDGET = "\n".join([
    "                一般公共预算财政拨款支出决算表",
    "",
    "编制单位：青禾县种子站                  2025年度                          单位：元",
    "                     项目",
    _right([("本年支出合计", 51), ("基本支出", 67), ("项目支出", 87)]),
    "     科目编码              科目名称",
    _right([("栏次", 23), ("1", 49), ("2", 66), ("3", 86)]),
    _right([("合计", 23), ("900,000.00", 58), ("600,000.00", 78), ("300,000.00", 98)]),
    _right([("213", 3), ("农林水支出", 18), ("900,000.00", 57), ("600,000.00", 77), ("300,000.00", 97)]),
    _right([("21301", 5), ("农业农村", 18), ("900,000.00", 57), ("600,000.00", 77), ("300,000.00", 97)]),
    _right([("2130104", 7), ("事业运行", 18), ("600,000.00", 57), ("600,000.00", 77)]),
    _right([("2130106", 7), ("科技转化与推广服务", 26), ("300,000.00", 57), ("300,000.00", 97)]),
    "注：本表反映单位本年度一般公共预算财政拨款实际支出情况。",
    ""])


def test_numbering_line_and_the_year_on_the_publisher_line_leave_columns_to_their_figures():
    record = read_document((HEAD + GENERAL_BUDGET).encode(), name="x.txt")
    rows = _rows(record, "general_budget")
    assert rows["2130104"] == {"total": "600000.00", "basic": "600000.00"}
    assert rows["2130106"] == {"total": "300000.00", "project": "300000.00"}
    assert _unread(record) == []


APPROPRIATION = "\n".join([
    "                       财政拨款收入支出决算总表",
    "",
    "编制单位：青禾县种子站                  2025年度                          单位：元",
    "          收入                                              支出",
    _right([("政府性基金预算财政", 97), ("国有资本经营预算财", 117)]),
    _right([("项目", 6), ("行次", 16), ("金额", 26), ("项目", 40), ("行次", 48), ("合计", 58), ("一般公共预算财政拨款", 80)]),
    _right([("拨款", 95), ("政拨款", 114)]),
    "",
    _right([("栏次", 6), ("1", 24), ("栏次", 40), ("2", 60), ("3", 78), ("4", 95), ("5", 112)]),
    _right([("一、一般公共预算财政拨款", 12), ("1", 16), ("900,000.00", 30), ("十三、农林水支出", 44), ("45", 48),
            ("900,000.00", 62), ("900,000.00", 84)]),
    _right([("本年收入合计", 6), ("27", 16), ("900,000.00", 30), ("本年支出合计", 44), ("59", 48),
            ("900,000.00", 62), ("900,000.00", 84)]),
    _right([("总计", 2), ("32", 16), ("900,000.00", 30), ("总计", 44), ("64", 48), ("900,000.00", 62), ("900,000.00", 84)]),
    "注：本表反映单位本年度财政拨款的总收支情况。",
    ""])


def test_two_sided_numbering_line_is_no_line_of_figures():
    record = read_document((HEAD + APPROPRIATION).encode(), name="x.txt")
    table = record["tables"]["appropriation_summary"]
    assert table["expenditure_total"]["total"]["value"] == "900000.00"
    assert table["expenditure_total"]["general_budget"]["value"] == "900000.00"
    assert not [r for r in _unread(record) if "fund columns not placed" in r]


# -- three panels, an item without an amount ending a line laid out in columns ----------------------

BASIC = "\n".join([
    "                    一般公共预算财政拨款基本支出决算表",
    "编制单位：青禾县种子站                  2025年度                          单位：元",
    "            人员经费                                      公用经费",
    "科目编码    科目名称     决算数     科目编码    科目名称     决算数     科目编码    科目名称     决算数",
    "301     工资福利支出     500,000.00   302     商品和服务支出     100,000.00   310     资本性支出     0.00",
    "",
    "30101   基本工资         500,000.00   30201   办公费             60,000.00   31002   办公设备购置",
    "",
    "30106   伙食补助费                    30211   差旅费             40,000.00   31099   其他资本性支出",
    "",
    "                                      30299   其他商品和服务支出",
    "",
    "        人员经费合计     500,000.00                公用经费合计          100,000.00",
    "注：本表反映单位本年度一般公共预算财政拨款基本支出明细情况。",
    ""])


def test_panel_items_without_amounts_at_the_end_of_laid_out_lines_are_blank_cells():
    record = read_document((HEAD + BASIC).encode(), name="x.txt")
    rows = _rows(record, "general_budget_basic")
    assert rows["30211"]["amount"] == "40000.00"
    assert rows["302"]["amount"] == "100000.00"
    assert not [r for r in _unread(record) if "basic expenditure table not read" in r]


# -- 五（三）'s items: codes from the document's table, two items without a code -------------------

NARRATIVE = """\
第三部分 2025年度单位决算情况说明

五、一般公共预算财政拨款支出决算情况说明
  （三）一般公共预算财政拨款支出决算具体情况
  2025年度一般公共预算财政拨款支出年初预算为90.00万元，支出决算为90.00万元，完成年初预算的100.0%。
  1．农林水支出（类）农业农村（款）事业运行（项）。年初预算为60.00万元，支出决算为60.00万元，完成年初预算的100.0%。
  2．农林水支出（类）农业农村（款）科技转化与推广服务（项）。年初预算为30.00万元，支出决算为30.00万元，完成年初预算的100.0%。

六、一般公共预算财政拨款基本支出决算情况说明
"""


def test_an_item_is_coded_by_the_documents_table_where_the_list_codes_its_name_otherwise():
    record = read_document((HEAD + GENERAL_BUDGET + "\n" + NARRATIVE).encode(), name="x.txt")
    assert [item["code"] for item in record["general_budget"]["items"]] == ["2130104", "2130106"]


UNCODED = NARRATIVE.replace("科技转化与推广服务", "良种繁育试验").replace(
    "  2．", "  3．农林水支出（类）农业农村（款）种质资源普查（项）。年初预算为0.00万元，支出决算为0.00万元，"
          "完成年初预算的100.0%。\n  2．")


def test_two_items_without_a_code_are_both_read_and_the_document_loads(tmp_path, capsys):
    data, loaded = read_document_record((HEAD + UNCODED).encode(), name="x.txt")
    items = data["general_budget"]["items"]
    assert [item.get("code") for item in items][1:] == [None, None] and len(items) == 3
    assert loaded is not None
    path = tmp_path / "x.txt"
    path.write_bytes((HEAD + UNCODED).encode())
    code, out, err = run_cli(capsys, "audit", str(path), "--format", "json")
    assert code != 2, err
    assert "E300" not in err


# -- a row the record model cannot hold: listed, the rest read; a user's file still refused ---------

def test_a_readers_repeated_row_is_listed_by_name_and_the_record_loads():
    builder = RecordBuilder("x.txt")
    src = {"document": "x.txt", "line": 12}
    builder.data["general_budget"] = {"items": [
        {"code": "", "name": "甲项", "final": {"value": "1.00", "unit": "万元", "source": src}},
        {"code": "", "name": "乙项", "final": {"value": "2.00", "unit": "万元", "source": dict(src, line=14)}},
        {"code": "2130104", "name": "事业运行", "final": "3.00"}]}
    builder.drop_repeated_rows()
    assert [item["name"] for item in builder.data["general_budget"]["items"]] == ["甲项", "事业运行"]
    [entry] = builder.unread
    assert entry["lines"] == [14, 14] and entry["section"] == "general_budget.items"
    assert "乙项" in entry["reason"] and '""' in entry["reason"] and "甲项" in entry["reason"]
    load_record(builder.data)   # no E300


def test_a_user_record_file_giving_a_code_twice_is_still_refused_naming_the_row(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.rules").write_text("field a: amount\nrule A {\n    assert a = a\n}\n", encoding="utf-8")
    (tmp_path / "rec.json").write_text(json.dumps({"a": 1, "t": [{"code": "", "name": "甲项", "v": 1},
                                                                  {"code": "", "name": "乙项", "v": 2}]}),
                                       encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "--record", "rec.json")
    assert code == 2
    assert "E300" in err and 'code "" appears twice' in err and "乙项" in err


# -- coverage: the 三公 table's "1 2 … 12" numbering, and 行次 under CJK labels of -layout text ------

THREE_PUBLIC = "\n".join([
    "                一般公共预算财政拨款“三公”经费支出决算表",
    "编制单位：青禾县种子站                                         单位：元",
    "                     预算数                                                 决算数",
    "                     公务用车购置及运行费                                   公务用车购置及运行费",
    "  合计    因公出国（境）费                      公务接待费    合计   因公出国（境）费                      公务接待费",
    "                    小计     公务用车购置费   公务用车运行费                      小计     公务用车购置费   公务用车运行费",
    "   1        2        3         4        5        6            7       8       9          10       11       12",
    "   30,000.00 0.00  20,000.00  0.00  20,000.00 10,000.00 25,000.00 0.00 18,000.00 0.00 18,000.00 7,000.00",
    "注：本表反映单位本年度“三公”经费支出预算和决算情况。",
    ""])

SUMMARY = "\n".join([
    "                收入支出决算总表",
    "编制单位：青禾县种子站                  2025年度                          单位：元",
    "                    收入                                             支出",
    "        项目               行次    金额                         项目                行次   金额",
    _right([("一、一般公共预算财政拨款收入", 14), ("1", 28), ("900,000.00", 45), ("十三、农林水支出", 72), ("45", 78),
            ("900,000.00", 90)]),
    _right([("二、政府性基金预算财政拨款收入", 15), ("2", 28), ("二、外交支出", 72), ("34", 78)]),
    _right([("本年收入合计", 6), ("27", 28), ("900,000.00", 45), ("本年支出合计", 72), ("59", 78), ("900,000.00", 90)]),
    _right([("总计", 2), ("30", 28), ("900,000.00", 45), ("总计", 72), ("62", 78), ("900,000.00", 90)]),
    "注：本表反映单位本年度的总收支和年末结转结余情况。",
    ""])


def test_column_numbering_and_line_numbers_under_hangci_are_no_amounts():
    for table in (THREE_PUBLIC, SUMMARY):
        record = read_document((HEAD + table).encode(), name="x.txt")
        assert record["_meta"]["coverage"]["lines"]["silent"] == 0, record["_meta"]["coverage"]
