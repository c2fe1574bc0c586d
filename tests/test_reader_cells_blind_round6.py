"""Tables given as cells (a web page's ``<table>``, a Word table; the readers see a row as its cells
joined by tabs) in budgets written blind (round 6: a 宁夏 county bureau as one web page, a 吉林
provincial department as a .docx), built here as small fictional documents and read by the
template's national structure -- table titles, header words, codes -- never by one document's
names or figures."""

from __future__ import annotations

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
