"""A disclosure read off a government portal's page: the site around it is not the document, and
the income / expenditure tables are found under the names many regions give them.

Round 12: a 单位预算 published as a portal article (header, menu, 当前位置, the information box,
打印本页 / 关闭窗口, a footer with 网站地图, 主办单位 and the ICP / 公网安备 numbers) had its footer read as
the disclosure's text -- "黔ICP备XXXXXXXX号" a template placeholder (QUA-006) -- and its tables
"XX中心2026年收入预算表" / "…支出预算表" were "a table under a title the reader does not know"
(QUA-010: the 收入总表 and 支出总表 not printed).  All pages and names here are made up.
"""

from __future__ import annotations

from pathlib import Path

import fiscalrules
from published_forms import web_page

from fiscalrules.inputs.html import html_text
from fiscalrules.inputs.page_chrome import is_chrome_line
from fiscalrules.readers import read_document
from fiscalrules.readers.budget.table_titles import table_title_key

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt"

# The site around an article as portals lay it out in plain <div>s (no header / footer elements).
_TOP = ("<div class='t'>今天是：2025年03月01日 &nbsp;<a>无障碍浏览</a> | <a>长者模式</a></div>"
        "<div class='m'><a>首页</a><a>政务公开</a><a>互动交流</a></div>"
        "<div class='p'>您现在的位置：<a>首页</a> &gt; <a>政府信息公开</a> &gt; <a>财政预决算</a></div>"
        "<table><tr><td>索&nbsp;引&nbsp;号：000000000/2025-00001</td><td>主题分类：财政</td></tr>"
        "<tr><td>发布机构：青山县某局</td><td>成文日期：2025-03-01</td></tr></table>"
        "<div>发布时间：2025-03-01 09:30 &nbsp;信息来源：青山县某局 &nbsp;点击数：58 &nbsp;【字号：大 中 小】</div>")
_BOTTOM = ("<div>【<a>打印本页</a>】 【<a>关闭窗口</a>】</div>"
           "<div class='f'><a>网站地图</a> | <a>联系我们</a><br>主办单位：青山县人民政府办公室 承办单位：青山县大数据中心<br>"
           "网站标识码：0000000000 某ICP备XXXXXXXX号-1 某公网安备 00000000000000号<br>"
           "Copyright © 2025 All Rights Reserved</div>")


def _failing(record):
    return sorted({f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
                   if f.status == "fail"})


def test_the_sites_chrome_around_a_disclosure_is_not_read(tmp_path):
    # The example as a portal article, framed by the site's chrome in plain <div>s: the same figures
    # and findings as its text, no placeholder from the footer, no line of the frame read.
    page = web_page(EXAMPLE.read_text(encoding="utf-8")).replace("<body>", "<body>" + _TOP, 1) \
        .replace("</body>", _BOTTOM + "</body>", 1)
    path = tmp_path / "bureau_2025.html"
    path.write_text(page, encoding="utf-8")
    text = html_text(page)
    for chrome in ("ICP", "网站地图", "主办单位", "打印本页", "当前位置", "您现在的位置", "索引号", "点击数", "今天是",
                   "无障碍", "Copyright", "首页"):
        assert chrome not in text.replace(" ", "")
    from_text, from_page = read_document(EXAMPLE), read_document(path)
    assert from_page["quality"]["placeholders"] == from_text["quality"]["placeholders"]
    assert _failing(from_page) == _failing(from_text)


def test_a_line_with_the_documents_own_words_or_an_amount_is_not_chrome():
    # (a chrome label inside the document's own sentence, an amount after one, a table row)
    for line in ("资金来源：一般公共预算拨款", "来源：财政拨款 6189430.18", "印刷费、打印费", "合计\t300000.00",
                 "地址变更，增加房租支出"):
        assert not is_chrome_line(line), line
    for line in ("版权所有：某市财政局　网站标识码：1100000088", "京ICP备05070218号-1 京公网安备11010502030143号",
                 "上一篇：某局2024年部门决算\t下一篇：无", "当前位置：首页 > 信息公开"):
        assert is_chrome_line(line), line


def test_the_pages_landmarks_are_left_out_but_an_articles_own_header_is_kept():
    page = ("<html><body><header><div>某县人民政府</div></header><nav><a>首页</a><a>政务动态</a></nav>"
            "<div role='navigation'>专题专栏</div>"
            "<article><header><h1>某局2025年部门预算</h1></header><p>收入 1.00 万元</p>"
            "<footer>附件：预算表</footer></article>"
            "<aside>热点：某局2024年部门决算</aside><footer>主办：某县 版权 2025 联系 12345</footer>"
            "<div role='contentinfo'>技术保障：某公司</div></body></html>")
    assert html_text(page) == "某局2025年部门预算\n\n收入 1.00 万元\n\n附件：预算表\n\n"


def test_where_the_article_has_its_container_only_it_is_read_with_the_pages_title():
    # The page's title in <h1> above the container, lists of other articles beside it: only the
    # article and its title are read.
    page = ("<html><head><title>某局预算公开_某县</title></head><body><div>某县人民政府</div>"
            "<h1>某局2025年部门预算公开</h1><div class='side'><ul><li>某局2024年部门决算公开</li>"
            "<li>某局2023年部门决算公开</li></ul></div>"
            "<div itemprop='articleBody'><p>一、收入预算</p><p>2025年收入预算 1.00 万元，比上年增加 0.50 万元。</p>"
            "<div><p>二、支出预算</p><p>2025年支出预算 1.00 万元，比上年增加 0.50 万元。</p></div></div>"
            "<div>相关文章：某局2022年部门预算</div></body></html>")
    assert html_text(page) == ("某局预算公开_某县\n\n某局2025年部门预算公开\n\n一、收入预算\n\n"
                               "2025年收入预算 1.00 万元，比上年增加 0.50 万元。\n\n二、支出预算\n\n"
                               "2025年支出预算 1.00 万元，比上年增加 0.50 万元。\n\n")
    # (a container holding less than half the page's text is a card, not the article: all is read)
    small = ("<html><body><article><p>相关：某局决算</p></article><p>一、收入预算</p>"
             "<p>收入 1.00 万元，比上年增加 0.50 万元。支出 1.00 万元。</p></body></html>")
    assert html_text(small) == "相关：某局决算\n\n一、收入预算\n\n收入 1.00 万元，比上年增加 0.50 万元。支出 1.00 万元。\n\n"


_TABLES = """某县农技中心2026年单位预算公开

第二部分 2026年单位预算表

某县农技中心2026年收入预算表
单位：元
功能分类科目\t\t\t\t合计\t一般公共预算拨款收入\t事业收入
类\t款\t项\t科目名称
合计\t\t\t\t300000.00\t200000.00\t100000.00
213\t\t\t农林水支出\t300000.00\t200000.00\t100000.00
213\t01\t\t农业农村\t300000.00\t200000.00\t100000.00
213\t01\t04\t事业运行\t300000.00\t200000.00\t100000.00

某县农技中心2026年支出预算表
单位：元
功能分类科目\t\t\t\t合计\t基本支出\t项目支出
类\t款\t项\t科目名称
合计\t\t\t\t300000.00\t250000.00\t50000.00
213\t\t\t农林水支出\t300000.00\t250000.00\t50000.00
213\t01\t\t农业农村\t300000.00\t250000.00\t50000.00
213\t01\t04\t事业运行\t300000.00\t250000.00\t50000.00
"""


def test_income_and_expenditure_tables_titled_after_the_year_are_the_templates():
    # "收入预算表" / "支出预算表" straight after the owner's year (or alone, or after 本级) are the
    # template's 收入总表 and 支出总表; after a fund or a kind of spending they are other tables.
    for title, key in (("某县农技中心2026年收入预算表", "income"), ("某县农技中心2026年支出预算表", "expenditure"),
                       ("表2收入预算表", "income"), ("某局本级支出预算表", "expenditure"),
                       ("2026年度收入预算表", "income"),
                       ("2026年政府性基金收入预算表", None), ("2026年基本支出预算表", None),
                       ("2026年项目支出预算表", "projects"), ("2026年一般公共预算支出预算表", "general_budget")):
        assert table_title_key(title) == key, title
    record = read_document(_TABLES, name="t.txt")
    assert record["tables"]["income"]["totals"]["business"]["value"] == "100000.00"
    assert record["tables"]["expenditure"]["totals"]["project"]["value"] == "50000.00"
    assert not record["_meta"]["unread"]
