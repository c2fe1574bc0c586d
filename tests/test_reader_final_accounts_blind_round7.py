"""决算 layouts met in a seventh round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional document that shows it.

* The 一般公共预算财政拨款基本支出决算表 in the national three-panel layout (人员经费 codes | names |
  amounts, then 公用经费's twice) given as table cells -- a Word table, a web page's, an RTF's, a
  spreadsheet's: the document model writes a row a line, its cells between tabs, a blank cell an
  empty field ("30203\\t咨询费\\t\\t310\\t资本性支出\\t14.26", "…\\t30701\\t国内债务付息" with its blank
  amount dropped at the row's end).  Before: the panel reader read each line's compact text, where
  a blank amount leaves nothing to tell the name from the next panel's code -- an item was lost, or
  taken for one whose amount went to another line -- and the whole table was listed unread, line
  by line.  Now the cells are read as cells: a blank amount cell is a row without amount, as a
  PDF's blank cell is.
"""

from __future__ import annotations

import pytest
from published_forms import rtf_document, web_page, word_document, xml_spreadsheet

import fiscalrules
from fiscalrules.readers import read_document


def _unread(record: dict, section: str | None = None) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if section is None or u["section"] == section]


def _failing(record: dict, rule: str) -> list[str]:
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return [f.message for f in report.findings if f.rule == rule and f.status == "fail"]


# ---- the 基本支出决算表 in three panels, as tab cells keeping their blanks --------------------------

TITLE = "一般公共预算财政拨款基本支出决算表"


def _basic_table(public_total: str = "50.00") -> str:
    # (rows of the national layout: each panel code | name | amount, blank amounts left empty, a
    # short row's blank panels dropped at its end or left empty at its start; the 合计 row's
    # labels merged over their panels' code and name cells)
    return "\n".join([
        "宿陵市体育局2025年度部门决算", "",
        "公开06表", TITLE,
        "部门：宿陵市体育局\t\t\t\t\t\t\t\t金额单位：万元",
        "人员经费\t\t\t公用经费",
        "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数",
        "301\t工资福利支出\t300.00\t302\t商品和服务支出\t48.00\t310\t资本性支出\t2.00",
        "30101\t基本工资\t200.00\t30201\t办公费\t40.00\t31002\t办公设备购置\t2.00",
        "30106\t伙食补助费\t\t30202\t印刷费\t\t31003\t专用设备购置",
        "30107\t绩效工资\t100.00\t30203\t咨询费\t\t399\t其他支出",
        "303\t对个人和家庭的补助\t10.00\t30299\t其他商品和服务支出\t8.00",
        "30302\t退休费\t10.00\t30214\t租赁费",
        "\t\t\t30215\t会议费\t",
        f"人员经费合计\t\t310.00\t公用经费合计\t\t\t\t\t{public_total}",
        "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。", ""])


FORMS = {
    "text": lambda text: (text.encode("utf-8"), "x.txt"),
    # (the helper's page is titled as a 部门预算: here titled as the 决算 it holds)
    "web page": lambda text: (web_page(text).replace("青山县自然资源局 2025 年部门预算公开", "宿陵市体育局2025年度部门决算")
                              .encode("utf-8"), "x.html"),
    "Word": lambda text: (word_document(text), "x.docx"),
    "RTF": lambda text: (rtf_document(text), "x.rtf"),
    "spreadsheet": lambda text: (xml_spreadsheet(text), "x.xml"),
}


@pytest.mark.parametrize("form", FORMS)
def test_three_panel_basic_table_given_as_cells_is_read_with_its_blank_cells(form):
    data, name = FORMS[form](_basic_table())
    record = read_document(data, name=name)
    assert _unread(record, TITLE) == []
    table = record["tables"]["general_budget_basic"]
    rows = {r["code"]: r.get("amount", {}).get("value") for r in table["rows"]}
    assert rows == {
        "301": "300.00", "302": "48.00", "310": "2.00", "30101": "200.00", "30201": "40.00", "31002": "2.00",
        "30106": None, "30202": None, "31003": None, "30107": "100.00", "30203": None, "399": None,
        "303": "10.00", "30299": "8.00", "30302": "10.00", "30214": None, "30215": None}
    assert {r["code"]: r["name"] for r in table["rows"]}["30203"] == "咨询费"
    assert {k: v["value"] for k, v in table["totals"].items()} == {"personnel": "310.00", "public": "50.00"}
    for rule in ("TBL-030", "TBL-031", "TBL-032"):
        assert _failing(record, rule) == []


def test_a_wrong_total_of_the_panels_given_as_cells_fails():
    record = read_document(_basic_table(public_total="56.00").encode("utf-8"), name="x.txt")
    assert len(_failing(record, "TBL-032")) == 1


def test_a_row_the_cells_do_not_spell_lists_the_table():
    # (a figure standing after an item's amount: which item it is cannot be told -- the table is
    # listed, not read in part)
    text = _basic_table().replace("30201\t办公费\t40.00", "30201\t办公费\t40.00\t7.00")
    record = read_document(text.encode("utf-8"), name="x.txt")
    assert "rows" not in record["tables"]["general_budget_basic"]
    assert len(_unread(record, TITLE)) >= 8


def test_the_budget_reads_the_same_panels_given_as_cells_with_blank_amounts(tmp_path):
    # (the panel reader is the budget's too: given as tab cells, a blank amount cell -- "30106
    # 伙食补助费" mid-row, "30202 印刷费" at a row's end -- is no row of the budget's table; before,
    # the one mid-row was lost silently and the one at the end listed as "no amount found")
    from test_reader_layouts import PERSONNEL, PUBLIC, _panels

    from fiscalrules.readers import read_disclosure

    left = PERSONNEL[:4] + [("30106", "伙食补助费", "")] + PERSONNEL[4:]
    right = PUBLIC[:2] + [("30202", "印刷费", "")] + PUBLIC[2:]
    path = tmp_path / "panels.txt"
    path.write_text(_panels("tabs", left=left, right=right), encoding="utf-8")
    record = read_disclosure(path)
    assert [u["reason"] for u in record["_meta"]["unread"] if u["section"] == "一般公共预算基本支出表"] == []
    codes = {r["code"] for r in record["tables"]["general_budget_basic"]["rows"]}
    assert codes == {code for code, _, _ in PERSONNEL + PUBLIC}
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert [f.rule for f in findings if f.status == "fail"] == []
