"""A disclosure published as a web page (fiscalrules/inputs/html.py): its text by blocks and
table rows, read as the text disclosure it prints.

Session 33: an HTML page was read as text, its tags and all -- "does not look like a budget
disclosure", or figures lost among the markup.  The fictional example (examples/bureau_2025.txt)
is written out as a page as a portal prints one -- a paragraph a ``<p>``, headings apart, the
tables as ``<table>`` with ``&nbsp;`` in blank cells, a script and a style in the head -- and must
read the same figures and fail the same rules as its text; markup cases as data below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from published_forms import web_page
from record_figures import figure_values

import fiscalrules
from fiscalrules.cli import main
from fiscalrules.inputs.html import MAX_COLUMNS, MAX_SPAN, html_text, looks_like_html
from fiscalrules.readers import read_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt"

# (id, markup, the text it gives)
CASES = [
    ("paragraphs", "<html><body><p>一、部门&nbsp;职责</p><div>收入 1,286.40 万元<br>较上年增加</div></body></html>",
     "一、部门 职责\n\n收入 1,286.40 万元\n\n较上年增加\n\n"),
    ("head_left_out_but_its_title", "<!DOCTYPE html><html><head><title>某局预算</title><meta charset='utf-8'>"
     "<style>p { color: red }</style><script>var a = '<p>1 万元</p>';</script></head><body><p>正文</p></body></html>",
     "某局预算\n\n正文\n\n"),
    ("a_header_over_two_rows", "<html><table><tr><th rowspan=2>科目编码</th><th rowspan='2'>科目名称</th>"
     "<th colspan=3>本年预算</th></tr><tr><th>合计</th><th>基本支出</th><th>项目支出</th></tr>"
     "<tr><td>201</td><td>一般公共<br/>服务支出</td><td>10.00</td><td>&nbsp;</td><td>10.00</td></tr></table></html>",
     "科目编码\t科目名称\t本年预算\n\t\t合计\t基本支出\t项目支出\n201\t一般公共 服务支出\t10.00\t\t10.00\n\n"),
    ("a_name_spanning_rows_below", "<html><table><tr><td rowspan=3>基本支出</td><td>工资福利支出</td><td>5.00</td></tr>"
     "<tr><td>商品和服务支出</td><td>2.00</td></tr><tr><td>合计</td><td>7.00</td></tr></table></html>",
     "基本支出\t工资福利支出\t5.00\n\t商品和服务支出\t2.00\n\t合计\t7.00\n\n"),
    ("a_table_in_a_cell_is_its_text", "<html><table><tr><td>合计</td><td><table><tr><td>1.00</td><td>万元</td></tr>"
     "</table></td></tr></table></html>", "合计\t1.00 万元\n\n"),
    ("a_table_never_closed", "<html><p>表一</p><table><tr><td>合计</td><td>1.00", "表一\n\n合计\t1.00\n\n"),
    ("a_huge_span_is_capped", "<html><table><tr><td colspan=999999999>x</td><td>1</td></tr></table></html>",
     "x" + "\t" * MAX_SPAN + "1\n\n"),
    ("a_span_not_a_number", "<html><table><tr><td colspan='two'>x</td><td>1</td></tr></table></html>", "x\t1\n\n"),
    # (what the page hides on the element itself was read: Word's hidden text -- its web page and
    # web archive write it "display:none;mso-hide:all" --, a portal's print copy of the article,
    # a hidden row)
    ("words_hidden_text", "<html><p class=MsoNormal>收入 1,1<span style='display:none;mso-hide:all'>（隐藏）<b>9</b>"
     "</span>60.00 万元<o:p></o:p></p></html>", "收入 1,160.00 万元\n\n"),
    ("a_print_copy_and_hidden_parts", "<html><div id=print style=\"DISPLAY: none\"><p>收入 9.99 万元</p><div><p>x</p>"
     "</div></div><p>收入 1.00 万元</p><section hidden><table><tr><td>9.99</td></tr></table></section>"
     "<table><tr><td>合计</td><td>1.00</td></tr><tr style='visibility:hidden'><td>隐藏</td><td>8.88</td></tr></table>"
     "<p style=\"display:none\"/><p>后</p></html>", "收入 1.00 万元\n\n合计\t1.00\n\n后\n\n"),
    # (hidden elements left open: an inline one ends with its cell, as a browser closes it; a <p>
    # at the next block; one never closed would hide the rest of the page -- read as if nothing
    # were hidden)
    ("hidden_elements_left_open", "<html><table><tr><td>合计<span style='display:none'>9.99</td><td>1.00</td></tr>"
     "</table><p style='display:none'>隐藏<div>收入</div></html>", "合计\t1.00\n\n收入\n\n"),
    ("a_hidden_element_never_closed", "<html><div style='display:none'><p>甲</p><p>收入 1.00 万元</p></html>",
     "甲\n\n收入 1.00 万元\n\n"),
    # (in a table never closed either: the table's end, passed over as hidden, looped for ever)
    ("hidden_and_never_closed_in_a_table", "<html><table><tr><td>合计</td><td><div hidden>1.00",
     "合计\t1.00\n\n"),
    # (a page that hides nearly all its text shows it by a script: a WeChat article saved from the
    # browser, its body "visibility: hidden" -- read with what is invisible shown, what is not
    # displayed, its pop-ups, still left out)
    ("a_body_a_script_shows", "<html><body><h1>某局决算</h1><div id=js_content style='visibility: hidden;'>"
     "<section><p><span>收入决算</span><span>1,2</span><span>34.56 万元</span></p></section>"
     "<table><tr><td>合&nbsp;&nbsp;计</td><td>1,234.56</td></tr></table></div>"
     "<div class=popover style='display:none;'><span>视频</span><span>，轻点两下取消赞</span></div></body></html>",
     "某局决算\n\n收入决算1,234.56 万元\n\n合计\t1,234.56\n\n"),
    # (...but a hidden print copy about as long as the article stays hidden)
    ("an_invisible_print_copy_beside_the_article", "<html><body><div style='visibility:hidden'><p>收入决算 9.99 万元</p>"
     "</div><p>收入决算 1.00 万元</p></body></html>", "收入决算 1.00 万元\n\n"),
]


@pytest.mark.parametrize("name, markup, text", CASES, ids=[c[0] for c in CASES])
def test_a_page_is_written_out_as_text_by_blocks_and_rows(name, markup, text):
    assert looks_like_html(markup)
    assert html_text(markup) == text


@pytest.mark.parametrize("text", ["<2025年>部门预算", "部门预算\n<html>", "  <p>不是开头</p>", ""])
def test_text_that_only_holds_a_tag_is_no_page(text):
    assert not looks_like_html(text)


def _figures(record):
    """(path, value) of every figure of a record, wherever it was printed (but its quality facts)."""
    return figure_values(record, skip=("source", "_meta", "quality"))


def _failing(record):
    return sorted({f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
                   if f.status == "fail"})


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_the_example_as_a_web_page_reads_as_its_text(tmp_path, charset):
    text = EXAMPLE.read_text(encoding="utf-8")
    page = tmp_path / "bureau_2025.html"
    page.write_bytes(web_page(text, charset).encode("gb18030" if charset == "gbk" else "utf-8"))
    from_text, from_page = read_document(EXAMPLE), read_document(page)
    assert dict(_figures(from_page)) == dict(_figures(from_text))
    coverage = from_page["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] == 198
    assert coverage["lines"]["silent"] == 0
    assert _failing(from_page) == _failing(from_text)          # the example's four planted errors
    assert "9,999.00" not in json.dumps(from_page, ensure_ascii=False)   # (the script's text is no figure)


def test_the_example_as_a_wechat_article_reads_as_its_text(tmp_path):
    # (the body hidden until a script shows it, the account's pop-ups not displayed)
    text = EXAMPLE.read_text(encoding="utf-8")
    page = tmp_path / "bureau_2025_weixin.html"
    markup = web_page(text, "utf-8").replace(
        "<body>", "<body><h1 class=rich_media_title>公众号文章</h1><div id=js_content style=\"visibility: hidden;\">").replace(
        "</body>", "</div><div style=\"display:none;\"><span>：</span><span>，</span><span>。</span><span>视频</span>"
                   "<span>小程序</span></div></body>")
    page.write_text(markup, encoding="utf-8")
    from_text, from_page = read_document(EXAMPLE), read_document(page)
    assert dict(_figures(from_page)) == dict(_figures(from_text))
    assert _failing(from_page) == _failing(from_text)   # (no QUA-001 on the pop-up's "：，。")


def test_the_command_line_audits_a_page_and_a_folder_of_pages(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "bureau_2025.html").write_text(web_page(text), encoding="utf-8")
    (tmp_path / "notes.css").write_text("p { color: red }", encoding="utf-8")   # (not a disclosure: left out)
    assert main(["audit", "--no-progress", str(tmp_path / "bureau_2025.html")]) == 1
    by_file = capsys.readouterr().out
    assert "不一致 7" in by_file
    assert main(["audit", "--no-progress", str(tmp_path)]) == 1
    assert capsys.readouterr().out.count("不一致 7") == 1


def test_a_row_is_given_at_most_max_columns_and_keeps_its_text():
    markup = "<html><table><tr>" + "<td colspan=64>a</td>" * 5 + "<td>b</td></tr></table></html>"
    (row,) = [line for line in html_text(markup).split("\n") if line]
    cells = row.split("\t")
    assert len(cells) == MAX_COLUMNS and cells[-1] == "a b" and cells.count("a") == 4


def test_a_page_whose_spans_would_write_out_far_more_than_it_holds_is_refused(tmp_path, capsys):
    # every row spans 64 columns 64 rows down: 4 such cells fill each row's 256 columns (a
    # quadratic page: 2 MB of markup written out as hundreds of megabytes, minutes of work)
    page = tmp_path / "spans.html"
    page.write_text("<html><body><table>" + "<tr><td colspan=64 rowspan=64>1</td></tr>" * 50_000
                    + "</table></body></html>", encoding="utf-8")
    assert main(["audit", "--no-progress", str(page)]) == 2
    err = capsys.readouterr().err
    assert "spans.html" in err and "是其标记的四倍以上" in err and "Traceback" not in err
