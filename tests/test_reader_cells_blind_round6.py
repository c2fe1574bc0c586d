"""Tables given as cells (a web page's ``<table>``, a Word table; the readers see a row as its cells
joined by tabs) in budgets written blind (round 6: a 宁夏 county bureau as one web page, a 吉林
provincial department as a .docx), built here as small fictional documents and read by the
template's national structure -- table titles, header words, codes -- never by one document's
names or figures."""

from __future__ import annotations

import pytest
from published_forms import _runs, docx_of, rendered, web_page
from test_reader_budget_blind_round4 import _failing  # noqa: E402  (the failing rules of a record)

from fiscalrules.readers import read_document

_HEAD = ["某县某局2026年部门预算", "",
         "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", "",
         "第二部分 某县某局2026年部门预算表", ""]
_PAGE = "<page>"
_END = ["第三部分 某县某局2026年部门预算情况说明", ""]


def word_pages(text: str) -> bytes:
    """*text* as a .docx (:func:`published_forms.word_document`), a line ``<page>`` a page break."""
    return docx_of("".join(rendered(
        text, lambda content: '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' if content == _PAGE
        else f"<w:p>{_runs(content)}</w:p>",
        lambda rows: "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_runs(c)}</w:p></w:tc>" for c in row)
                                         + "</w:tr>" for row in rows) + "</w:tbl>")))


def _read(tmp_path, lines: list[str], form: str) -> dict:
    text = "\n".join(_HEAD + lines) + "\n"
    path = tmp_path / f"budget.{form}"
    if form == "html":
        path.write_text(web_page(text), encoding="utf-8")
    else:
        path.write_bytes(word_pages(text))
    return read_document(path)


_BASIC_HEADER = ["部门预算支出经济分类科目\t\t本年一般公共预算基本支出", "科目编码\t科目名称\t合计\t人员经费\t公用经费"]


def test_a_basic_expenditure_table_split_by_a_carried_over_line_and_a_continued_title(tmp_path):
    # A web page prints a long 一般公共预算基本支出表 as two <table>s: the first ends with a
    # "（转下页）" line, the second is headed by the title with "（续表）", the unit line and the
    # header again.  The "（转下页）" line was taken for a row of the table, so every row was listed
    # as not understood (the planted error in the second part unseen).
    lines = ["表六", "", "某县某局2026年一般公共预算基本支出表", "", "编制部门：某县某局单位：元", "",
             *_BASIC_HEADER,
             "\t合计\t900.00\t500.00\t400.00",
             "301\t工资福利支出\t500.00\t500.00",
             "30101\t基本工资\t500.00\t500.00",
             "302\t商品和服务支出\t400.00\t\t400.00",
             "30201\t办公费\t100.00\t\t100.00", "",
             "（转下页）", "",
             "某县某局2026年一般公共预算基本支出表（续表）", "", "编制部门：某县某局单位：元", "",
             *_BASIC_HEADER,
             "30211\t差旅费\t250.00\t\t300.00",      # 合计 printed 250.00 for 300.00
             "", *_END]
    record = _read(tmp_path, lines, "html")
    table = record["tables"]["general_budget_basic"]
    assert [row["code"] for row in table["rows"]] == ["301", "30101", "302", "30201", "30211"]
    assert not [entry for entry in record["_meta"].get("unread", []) if "转下页" in entry["reason"]
                or "not understood" in entry["reason"]]
    assert {"TBL-040", "TBL-046"} <= _failing(record)


def test_a_word_table_continued_after_a_page_break_under_its_number(tmp_path):
    # A .docx splits the table into a second Word table after a page break, headed "表六（续）"
    # (its number, not its title) and the two header rows again: its rows were "outside any table
    # the reader knows", and the 302 款 and the table's 合计 failed against the first part alone.
    lines = ["表六", "", "一般公共预算基本支出表", "", "部门名称：某局\t\t\t单位：万元", "",
             "部门预算支出经济分类科目\t\t科目名称\t2026年基本支出", "类\t款\t\t合计\t人员经费\t公用经费",
             "\t\t合计\t900.00\t500.00\t400.00",
             "301\t\t工资福利支出\t500.00\t500.00",
             "301\t01\t基本工资\t500.00\t500.00",
             "302\t\t商品和服务支出\t400.00\t\t400.00",
             "302\t01\t办公费\t100.00\t\t100.00", "",
             _PAGE, "表六（续）", "", "部门名称：某局\t\t\t单位：万元", "",
             "部门预算支出经济分类科目\t\t科目名称\t2026年基本支出", "类\t款\t\t合计\t人员经费\t公用经费",
             "302\t11\t差旅费\t300.00\t\t300.00", "",
             _PAGE, *_END]
    record = _read(tmp_path, lines, "docx")
    table = record["tables"]["general_budget_basic"]
    assert [row["code"] for row in table["rows"]] == ["301", "30101", "302", "30201", "30211"]
    assert not [entry for entry in record["_meta"].get("unread", []) if "outside any table" in entry["reason"]]
    assert not {"TBL-040", "TBL-042", "TBL-043", "TBL-044"} & _failing(record)


def _table_unread(record) -> list[dict]:
    """The unread entries of the record's tables (a document this small lacks most tables: listed too)."""
    return [entry for entry in record["_meta"].get("unread", []) if entry["section"].endswith("表")
            and not entry["reason"].startswith("standard budget tables")]


def _sides(record, key: str, side: str) -> list[tuple[str, dict]]:
    return [(row["name"], {k: v["value"] for k, v in row.items() if isinstance(v, dict)})
            for row in record["tables"][key][side]["rows"]]


@pytest.mark.parametrize("form", ["html", "docx"])
def test_two_sided_tables_whose_rows_print_one_side_or_one_cell(tmp_path, form):
    # The national 收支总表 and 财政拨款收支总表 as a web page's <table>s: the expenditure side's
    # classes run on below the income side's items, their income cells blank
    # ("\t\t二十二、国有资本经营预算支出": taken for the narrative's heading of that fund, it ended
    # the table, whose 合计 / 总计 rows were then "outside any table"), and the income side's
    # last items print their first cell alone (a row ends at its last printed cell: no tab left,
    # its words stood across every column and the grid made one column of the table).
    lines = ["表一", "", "某县某局2026年部门收支总表", "", "编制部门：某县某局单位：元", "",
             "收入\t\t支出", "项目\t预算数\t项目\t预算数",
             "一、一般公共预算拨款收入\t1,000.00\t一、一般公共服务支出\t900.00",
             "二、政府性基金预算拨款收入\t100.00\t二、社会保障和就业支出",
             "三、国有资本经营预算拨款收入\t\t三、其他支出\t100.00",
             "\t\t四、国有资本经营预算支出",
             "本年收入合计\t1,100.00\t本年支出合计\t1,000.00",
             "上年结转结余\t\t结转下年",
             "收入总计\t1,100.00\t支出总计\t1,000.00", "",
             "表四", "", "某县某局2026年财政拨款收支总表", "", "编制部门：某县某局单位：元", "",
             "收入\t\t支出", "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算",
             "一、本年收入\t1,100.00\t一、本年支出\t1,100.00\t1,000.00\t100.00",
             "（一）一般公共预算拨款\t1,000.00\t（一）一般公共服务支出\t1,000.00\t1,000.00",
             "（二）政府性基金预算拨款\t100.00\t（二）其他支出\t100.00\t\t100.00",
             "二、上年结转\t\t二、结转下年",
             "（一）一般公共预算拨款",
             "（二）政府性基金预算拨款",
             "收入总计\t1,100.00\t支出总计\t1,100.00\t1,000.00\t100.00", "", *_END]
    record = _read(tmp_path, lines, form)
    assert not _table_unread(record)
    summary = record["tables"]["summary"]
    assert summary["expenditure"]["totals"]["amount"]["value"] == "1000.00"    # (支出总计: the table's 1,100.00 printed 1,000.00)
    assert [name for name, _ in _sides(record, "summary", "expenditure")][-1] == "四、国有资本经营预算支出"
    income = _sides(record, "appropriation_summary", "income")
    assert [name for name, _ in income][-2:] == ["(一)一般公共预算拨款", "(二)政府性基金预算拨款"]
    assert _sides(record, "appropriation_summary", "expenditure")[0][1] == {
        "total": "1100.00", "general_budget": "1000.00", "gov_fund": "100.00"}


@pytest.mark.parametrize("form", ["html", "docx"])
def test_listing_tables_with_code_levels_a_quantity_and_a_reserved_column(tmp_path, form):
    # A 项目支出表 printing each project's function class as 类 | 款 | 项 under 科目编码 (three
    # cells: "207 | 03 | 02"), and 政府采购预算表s printing a 数量 ("12台") and a 面向中小企业预留
    # column -- an amount, or 是 / 否: every row was "not understood" (a code piece under a header
    # named 类, a quantity under no known header, a row ending in 是 taken for no row).
    lines = ["表十", "", "项目支出表", "", "部门名称：某局\t\t\t单位：万元", "",
             "单位名称\t项目名称\t科目编码\t\t\t科目名称\t合计\t资金来源",
             "\t\t类\t款\t项\t\t\t一般公共预算拨款\t政府性基金预算拨款",
             "合计\t\t\t\t\t\t300.00\t200.00\t100.00",
             "某局（本级）\t甲项目\t207\t03\t02\t一般行政管理事务\t200.00\t200.00",
             "某局（本级）\t乙项目\t229\t60\t03\t用于体育事业的彩票公益金支出\t100.00\t\t100.00", "",
             "表十一", "", "政府采购预算表", "", "部门名称：某局\t\t\t单位：万元", "",
             "单位名称\t项目名称\t采购品目\t采购类别\t数量\t预算金额\t其中：面向中小企业预留",
             "合计\t\t\t\t\t150.00\t100.00",
             "某局（本级）\t甲项目\t台式计算机\t货物\t12台\t100.00\t100.00",
             "某局（本级）\t乙项目\t物业管理服务\t服务\t1项\t50.00", "", *_END]
    record = _read(tmp_path, lines, form)
    assert not _table_unread(record)
    projects = record["tables"]["projects"]["rows"]
    assert [(row["name"], row["function_code"], row["total"]["value"]) for row in projects] == [
        ("甲项目", "2070302", "200.00"), ("乙项目", "2296003", "100.00")]
    procurement = record["tables"]["procurement"]
    assert [(row["name"], row["total"]["value"], row.get("sme_reserved", {}).get("value")) for row in procurement["rows"]] \
        == [("台式计算机", "100.00", "100.00"), ("物业管理服务", "50.00", None)]
    assert procurement["totals"]["sme_reserved"]["value"] == "100.00"


def test_a_procurement_table_marking_reserved_items_yes_or_no(tmp_path):
    lines = ["表十一", "", "某县某局2026年政府采购预算表", "", "编制部门：某县某局单位：元", "",
             "单位名称\t项目名称\t采购品目\t采购类别\t数量\t采购预算金额\t\t\t面向中小企业预留",
             "\t\t\t\t\t合计\t一般公共预算\t政府性基金预算",
             "合计\t\t\t\t\t1,500.00\t1,000.00\t500.00",
             "一、货物类小计\t\t\t\t\t1,000.00\t1,000.00",
             "某县某局\t甲项目\t台式计算机\t货物\t12台\t1,000.00\t1,000.00\t\t是",
             "二、工程类小计\t\t\t\t\t500.00\t\t500.00",
             "某县甲中心\t乙项目\t改造工程\t工程\t1项\t400.00\t\t500.00\t否", "", *_END]   # 合计 400.00 for 500.00
    record = _read(tmp_path, lines, "html")
    assert not _table_unread(record)
    table = record["tables"]["procurement"]
    assert [(row["name"], row["kind"], row["total"]["value"]) for row in table["rows"]] == [
        ("台式计算机", "货物", "1000.00"), ("改造工程", "工程", "400.00")]
    # (a kind's 小计 is no subtotal of the unit whose row stands above it: PROC-016 held the
    # 工程 小计 against 某县某局's rows)
    assert [(row["kind"], row["total"]["value"], "unit" in row) for row in table["subtotals"]] == [
        ("货物", "1000.00", False), ("工程", "500.00", False)]
    failing = _failing(record)
    assert "PROC-010" in failing and "PROC-016" not in failing


def _projects(record) -> list[dict]:
    return [{k: v["value"] if isinstance(v, dict) else v for k, v in project.items() if k != "goal"}
            for project in record["performance"]["projects"]]


def test_project_performance_forms_given_as_cells(tmp_path):
    # 项目支出绩效目标表 as a web page: the title and a note over the forms (a form a table), the
    # project's funds as "项目资金（元） | 年度资金总额 | …" and "| 其中：一般公共预算拨款 | …"
    # (the kind of 财政拨款, not the word: read as the goal's text, PRF-009 not evaluable); the
    # title's block was taken for a project of its own, named "".
    lines = ["表十二", "", "某县某局2026年项目支出绩效目标表", "", "编制部门：某县某局单位：元", "",
             "注：本表列示部分重点项目绩效目标。", "",
             "项目名称\t甲项目", "主管部门\t某县某局\t实施单位\t某县某局（本级）",
             "项目资金（元）\t年度资金总额\t2,450.00", "\t其中：一般公共预算拨款\t2,400.00",
             "年度绩效目标\t保障困难群众基本生活。",
             "一级指标\t二级指标\t三级指标\t指标值",
             "产出指标\t数量指标\t保障人数\t≥98人", "", *_END]
    record = _read(tmp_path, lines, "html")
    assert _projects(record) == [{"name": "甲项目", "department": "某县某局", "implementer": "某县某局(本级)",
                                  "total": "2450.00", "appropriation": "2400.00"}]
    assert record["performance"]["projects"][0]["goal"] == "保障困难群众基本生活。"
    assert "PRF-009" in _failing(record)


def test_a_project_performance_form_naming_its_department_beside_the_project(tmp_path):
    # The Word form's rows: 项目名称 | 主管部门 on one row, 实施单位 | 项目资金（万元） | 年度资金总额
    # on the next -- the name read as "甲项目主管部门某局", the 实施单位 and the total lost.
    lines = ["表十二", "", "项目支出绩效目标表", "", "部门名称：某局\t\t\t单位：万元", "",
             "项目名称\t甲项目\t\t主管部门\t某局",
             "实施单位\t某局（本级）\t\t项目资金（万元）\t年度资金总额\t1850.00",
             "\t\t\t\t其中：政府性基金预算拨款\t1850.00",
             "年度总体目标\t完成赛事组织工作。",
             "一级指标\t二级指标\t三级指标\t\t\t指标值",
             "产出指标\t数量指标\t赛事数量\t\t\t≥26项", "", *_END]
    record = _read(tmp_path, lines, "docx")
    assert _projects(record) == [{"name": "甲项目", "department": "某局", "implementer": "某局(本级)",
                                  "total": "1850.00", "appropriation": "1850.00"}]
    assert not _table_unread(record)


def test_a_project_performance_form_printing_two_kinds_of_appropriation(tmp_path):
    # Two kinds printed: their sum is printed nowhere, so no appropriation is made up -- the
    # kinds are listed, never dropped.
    lines = ["表十二", "", "项目支出绩效目标表", "", "部门名称：某局\t\t\t单位：万元", "",
             "项目名称\t甲项目\t\t主管部门\t某局",
             "项目资金（万元）\t年度资金总额\t300.00",
             "\t其中：一般公共预算拨款\t200.00", "\t其中：政府性基金预算拨款\t100.00",
             "年度总体目标\t完成赛事组织工作。", "", *_END]
    record = _read(tmp_path, lines, "docx")
    assert "appropriation" not in _projects(record)[0]
    assert len([entry for entry in _table_unread(record) if "printed by kind" in entry["reason"]]) == 2
