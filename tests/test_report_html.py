"""The HTML report: parsed always (structure, links, highlights, languages), and opened in a real
headless Chromium where one is installed (Debian's ``chromium`` driven by Playwright through its
executable path; skipped with the reason where there is none)."""

from __future__ import annotations

import html.parser
import json
import re
import os
import shutil
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import cli

pytest.importorskip("jinja2", reason="Jinja2 is in the test extra; the HTML report needs it")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bureau_2025.txt"

RULES = fiscalrules.compile_rules('''
unit 万元
field income.total "收入预算总额": amount
field income.sources.* : amount
field expenditure.total "支出预算总额": amount
rule INC-1 "收入等于各项之和" "Income equals its sources": 收入预算总额 = sum(income.sources.*)
rule BAL "收支平衡" "Budget balances" { severity warning
    assert 收入预算总额 = 支出预算总额 }
rule EXP-9 "支出不超过收入" "Spending within income": 支出预算总额 <= 收入预算总额
''')
TEXT = "部门预算\n收入预算总额 12.00 万元<script>alert(1)</script>\n其中财政拨款 7.00 万元，上年结转 3.00 万元。\n支出预算总额 10.00 万元。\n"
RECORD = {"_meta": {"id": "示范局", "document": "demo.txt", "unread": [{"section": "名词解释", "lines": [1, 1],
                                                                        "reason": "table given only as a reference: 详见附表"}]},
          "income": {"total": {"value": "12.00", "printed": "12.00", "source": {"document": "demo.txt", "line": 2,
                                                                               "text": "收入预算总额 12.00 万元"}},
                     "sources": {"appropriation": {"value": "7.00", "printed": "7.00",
                                                   "source": {"document": "demo.txt", "line": 3}},
                                 "carryover": {"value": "3.00", "printed": "3.00",
                                               "source": {"document": "demo.txt", "line": 3}}}},
          "expenditure": {"total": {"value": "10.00", "printed": "10.00", "source": {"document": "demo.txt", "line": 4}}}}


class _Page(html.parser.HTMLParser):
    """Every element's tag, attributes and text, and the ids and links of the page."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if value and not value.startswith("#"):
                self.external.append(value)

    def handle_data(self, data):
        self.text.append(data)

    def having(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


def _report():
    return RULES.evaluate(RECORD)


def test_html_is_self_contained_and_every_link_lands():
    page = _Page(_report().to_html(documents={"demo.txt": TEXT}))
    assert page.external == []                     # nothing fetched: works offline, as an attachment
    assert not page.having("script", "") and all(t != "script" for t, _ in page.elements)
    assert set(page.links) <= page.ids             # every link lands on an element of the page
    assert "<script>alert(1)</script>" in "".join(page.text)   # document text is escaped, never run


def test_failing_findings_grouped_by_severity_with_both_sides():
    page = _Page(_report().to_html(documents={"demo.txt": TEXT}))
    findings = page.having("article", "finding")
    assert [(a["data-rule"], a["class"].split()[1]) for a in findings] == [("INC-1", "sev-error"),
                                                                          ("BAL", "sev-warning")]
    text = "".join(page.text)
    assert "严重 · 1" in text and "警告 · 1" in text
    assert "12.00 万元" in text and "10.00 万元" in text and "2.00 万元" in text   # both sides, the difference
    assert "±0.015 万元" in text or "±0.02 万元" in text                            # the allowance
    # the suggestion: the value that balances it, the figure named by path (or by label and line)
    assert re.search(r"(income\.total|收入预算总额（第2行）) = 10\.00 万元", text)


def test_every_figure_of_a_failure_is_highlighted_on_its_line_and_linked_both_ways():
    page = _Page(_report().to_html(documents={"demo.txt": TEXT}))
    marks = page.having("mark", "fig")
    assert sorted(m["data-path"] for m in marks) == ["expenditure.total", "income.sources.appropriation",
                                                     "income.sources.carryover", "income.total"]
    total = next(m for m in marks if m["data-path"] == "income.total")
    assert total["id"] in page.links               # a finding links to the figure
    assert "sev-error" in total["class"]           # the most serious failure it is in
    line2 = next(a for t, a in page.elements if a.get("id") == "r1-L2")
    assert "marked" in line2["class"]
    assert "INC-1" in total["title"] and "BAL" in total["title"]     # and the figure to its findings


def test_coverage_unread_parts_and_english():
    zh = _Page(_report().to_html(documents={"demo.txt": TEXT}))
    text = "".join(zh.text)
    assert "核对范围" in text and "未读取的部分（未核对）" in text and "表格只以“详见附表”" in text
    en_text = "".join(_Page(_report().to_html(lang="en", documents={"demo.txt": TEXT})).text)
    assert "coverage" in en_text and "Income equals its sources" in en_text and "table given only" in en_text
    assert "核对范围" not in en_text


def test_nothing_checked_is_a_warning_not_a_clean_report():
    report = RULES.evaluate({"收入预算总额": "10"})
    text = "".join(_Page(report.to_html()).text)
    assert "没有核对任何规则" in text and "没有发现问题" not in text


def test_pdf_figures_listed_by_page_when_the_text_is_not_at_hand():
    record = {"_meta": {"id": "pdf", "document": "missing.pdf"},
              "income": {"total": {"value": "12.00", "source": {"document": "missing.pdf", "page": 2, "line": 5,
                                                                "text": "收入预算总额 12.00"}},
                         "sources": {"a": {"value": "7.00", "source": {"document": "missing.pdf", "page": 2}}}},
              "expenditure": {"total": "12.00"}}
    page = _Page(RULES.evaluate(record).to_html())
    text = "".join(page.text)
    assert "找不到文档原文" in text and "missing.pdf 第2页 第5行" in text
    assert set(page.links) <= page.ids


def test_pdf_figures_drawn_in_their_boxes():
    """Sources of PDF readers carry the page and the box (x0, top, x1, bottom in points)."""
    import attrs

    from fiscalrules.records import Source

    @attrs.frozen
    class BoxedSource(Source):
        box: tuple | None = None

    report = RULES.evaluate(RECORD)
    for f in report.findings:
        if f.status == "fail":
            f._more.cache["operands"] = tuple(attrs.evolve(o, source=BoxedSource(document="d.pdf", page=3,
                                                                             box=(100 + 10 * i, 200, 140 + 10 * i, 212)))
                                         for i, o in enumerate(f.operands))
    page = _Page(report.to_html())
    boxes = page.having("a", "box")
    assert boxes and all("left: 1" in b["style"] and "top: 200.0px" in b["style"] for b in boxes)
    assert {b["href"][1:] for b in boxes} <= page.ids
    assert page.having("div", "pdf-page")[0]["id"] == "r1-p3"


def test_cli_writes_the_html_report_of_the_example(tmp_path, capsys):
    out = tmp_path / "report.html"
    code = cli.main(["audit", str(EXAMPLE), "--format", "html", "-o", str(out)])
    assert code == 1
    page = _Page(out.read_text(encoding="utf-8"))
    assert len(page.having("article", "finding")) >= 3 and len(page.having("mark", "fig")) >= 3
    assert set(page.links) <= page.ids


@pytest.mark.parametrize("form", ["docx", "doc", "xlsx", "html", "rtf", "rtf.doc", "mht", "mht.doc", "xml.doc", "xml.xls"])
# (x.doc: x saved as .doc; xml.doc: Word 2003's XML, xml.xls: Excel's XML spreadsheet)
def test_the_text_of_a_disclosure_in_another_form_is_shown_with_its_figures_marked(tmp_path, capsys, form):
    """A finding of a Word document, a workbook or a web page names the line of the text the
    readers read of it ("line 283"); the page showed no text ("The document's text was not
    found"), so the line pointed nowhere.  Now that text, each failing figure marked as printed."""
    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from published_forms import word_document
    text = EXAMPLE.read_text(encoding="utf-8")
    if form == "xlsx":
        pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) reads workbooks")
        from test_input_xlsx import workbook_of
        data = workbook_of(text)
    elif form == "doc":
        pytest.importorskip("olefile", reason="olefile (the doc extra) opens .doc files")
        from published_forms import blocks
        from word97 import word97
        data = word97(list(blocks(text)))
    elif form == "html":
        from published_forms import web_page
        data = web_page(text).encode("utf-8")
    elif form.startswith("rtf"):
        from published_forms import rtf_document
        data = rtf_document(text)
    elif form.startswith("mht"):
        from published_forms import web_archive
        data = web_archive(text)
    elif form == "xml.doc":
        from published_forms import word_2003_xml
        data = word_2003_xml(text)
    elif form == "xml.xls":
        from published_forms import xml_spreadsheet
        data = xml_spreadsheet(text)
    else:
        data = word_document(text)
    path = tmp_path / f"bureau_2025.{form.split('.')[-1]}"
    path.write_bytes(data)
    out = tmp_path / "report.html"
    assert cli.main(["audit", str(path), "--format", "html", "-o", str(out)]) == 1
    page = _Page(out.read_text(encoding="utf-8"))
    assert "找不到文档原文" not in "".join(page.text)
    marks = [a for t, a in page.elements if t == "mark" and "fig" in (a.get("class") or "").split()]
    assert len(marks) >= 10 and set(page.links) <= page.ids
    lines = {a["id"] for t, a in page.elements if t == "div" and "line" in (a.get("class") or "").split()}
    assert len(lines) > 100 and any("marked" in (a.get("class") or "") for t, a in page.elements if t == "div")
    # the figure of TPF-001 printed in full-width digits is marked as printed, on the line its finding names
    assert "４．５０" in "".join(page.text)


def test_a_disclosure_read_from_several_files_shows_each_files_text(tmp_path):
    """``audit --together``: the record's figures are printed in several files, each finding
    naming its file and line; the page showed no text.  Now each file's text under its name, the
    figures marked in the file they were printed in and an unread part linked to its own file."""
    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from published_forms import word_document
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = text.index("第三部分")
    tables, narrative = tmp_path / "预算表.txt", tmp_path / "预算说明.docx"
    tables.write_text(text[:cut], encoding="utf-8")
    narrative.write_bytes(word_document(text[cut:]))
    out = tmp_path / "report.html"
    assert cli.main(["audit", "--together", str(tables), str(narrative), "--format", "html", "-o", str(out)]) == 1
    page = _Page(out.read_text(encoding="utf-8"))
    assert "找不到文档原文" not in "".join(page.text) and set(page.links) <= page.ids
    files = [a["id"] for t, a in page.elements if t == "div" and "file" in (a.get("class") or "").split()]
    assert files == ["r1-F1", "r1-F2"] and {"预算表.txt", "预算说明.docx"} <= set(page.text)
    marked = [a["id"] for t, a in page.elements if t == "div" and "marked" in (a.get("class") or "").split()]
    # TBL-031[213] in the tables, the narrative's figures (TPF-001's ４．５０ among them) in its own text
    assert any(m.startswith("r1-F1-L") for m in marked) and any(m.startswith("r1-F2-L") for m in marked)
    assert "４．５０" in page.text
    unread = [link for link in page.links if "-L" in link and link.split("-L")[0] in ("r1-F1", "r1-F2")]
    assert unread and all(link in page.ids for link in unread)


def test_a_disclosure_in_two_pdfs_draws_each_files_pages(tmp_path):
    """``audit --together`` of a budget PDF published as two files: the pages of the file the
    failing figures were printed in (here the tables') drawn with their words, the figures boxed
    on them, each page named by its file (before: boxes on blank pages numbered as the whole's)."""
    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from test_reader_together import NARRATIVE_PAGES, TABLE_PAGES, _pdf_pages
    narrative, tables = tmp_path / "说明.pdf", tmp_path / "表格.pdf"
    narrative.write_bytes(_pdf_pages(NARRATIVE_PAGES))
    tables.write_bytes(_pdf_pages(TABLE_PAGES))
    out = tmp_path / "report.html"
    assert cli.main(["audit", "--together", str(narrative), str(tables), "--format", "html", "-o", str(out)]) == 1
    page = _Page(out.read_text(encoding="utf-8"))   # (it asserts that no id is given twice)
    drawn = [a["id"] for t, a in page.elements if t == "div" and "pdf-page" in (a.get("class") or "").split()]
    assert drawn == [f"r1-F1-p{n}" for n in range(1, len(TABLE_PAGES) + 1)]
    assert len(page.having("span", "w")) > 500 and len(page.having("a", "box")) > 20 and set(page.links) <= page.ids
    labels = [text for text in page.text if "表格.pdf · " in text]
    assert len(labels) == len(TABLE_PAGES)


@pytest.mark.parametrize("document", ["key.docx", "b.zip/key.docx"])   # (a file, a zip archive's member)
def test_a_file_named_as_a_word_document_that_is_not_one_is_not_shown(tmp_path, monkeypatch, document):
    """(review 23 R18) A record naming a file puts no file into the page but a disclosure: a key
    or a note renamed ``.docx`` is not read as the text of a Word document -- nor one in a zip."""
    import io
    import zipfile
    (tmp_path / "key.docx").write_text("收入 TOP-SECRET-LINE\n", encoding="utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("key.docx", "收入 TOP-SECRET-LINE\n")
    (tmp_path / "b.zip").write_bytes(out.getvalue())
    (tmp_path / "r.rules").write_text("field a: amount\nfield b: amount\nrule EQ: a = b\n", encoding="utf-8")
    (tmp_path / "r.json").write_text(json.dumps([{"_meta": {"id": "k", "document": document},
                                                  "a": {"value": "1", "source": {"document": document, "line": 1}},
                                                  "b": "2"}]), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "r.rules", "-r", "r.json", "--format", "html", "-o", "out.html"]) == 1
    assert "TOP-SECRET" not in (tmp_path / "out.html").read_text(encoding="utf-8")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium); the HTML is still checked by parsing")
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    try:
        manager = playwright.sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - a broken driver is an environment matter
        pytest.skip(f"Playwright could not start: {exc}")
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    except Exception as exc:  # noqa: BLE001
        manager.stop()
        pytest.skip(f"Chromium at {CHROMIUM} could not be launched: {exc}")
    yield chromium
    chromium.close()
    manager.stop()


def test_report_in_a_real_browser(browser, tmp_path):
    out = tmp_path / "report.html"
    assert cli.main(["audit", str(EXAMPLE), "--format", "html", "-o", str(out)]) == 1
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(r.url))
    page.goto(out.as_uri())
    assert page.title().startswith("预算公开一致性核对报告")
    first = page.locator("article.finding").first
    assert first.is_visible()
    # a figure link of a finding scrolls the document to the highlighted figure
    link = first.locator("a.figure-link").first
    target = link.get_attribute("href")
    link.click()
    mark = page.locator(target)
    assert mark.evaluate("e => e.tagName") == "MARK" and mark.is_visible()
    assert page.evaluate("() => location.hash") == target
    # the highlighted figure is painted in its severity's colour, not as plain text
    colour = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    # and it links back to every finding it is in
    back = page.locator(f"{target} + sup a").first
    back.click()
    assert page.locator(page.evaluate("() => location.hash")).evaluate("e => e.tagName") == "ARTICLE"
    assert errors == []
    if os.environ.get("FISCALRULES_SCREENSHOT"):
        page.screenshot(path=os.environ["FISCALRULES_SCREENSHOT"])
    page.close()


def test_pdf_pages_drawn_with_their_words_and_the_figures_boxed(monkeypatch):
    """A PDF read by the document model: every word where it was printed, each figure of a
    failing finding boxed over it (the model is stood in for here: pages, lines, words, boxes)."""
    from types import SimpleNamespace

    import attrs

    from fiscalrules import report_html
    from fiscalrules.records import Source

    @attrs.frozen
    class BoxedSource(Source):
        box: tuple | None = None

    class Line:
        def __init__(self, number, text, top):
            self.number, self.page, self.text, self.top = number, 1, text, top
            self.words = [SimpleNamespace(text=part, start=text.index(part), end=text.index(part) + len(part))
                          for part in text.split()]

        def box(self, start, end):
            return (50.0 + 10 * start, self.top, 50.0 + 10 * end, self.top + 12)

    document = SimpleNamespace(kind="pdf", pages=[SimpleNamespace(number=1, width=595.0, height=842.0, first=1, last=2)],
                               lines=[Line(1, "收入预算总额 12.00", 100.0), Line(2, "支出预算总额 10.00", 130.0)])
    monkeypatch.setattr(report_html, "_open_pdf", lambda path: document)
    report = RULES.evaluate(RECORD)
    for f in report.findings:
        if f.status == "fail":
            f._more.cache["operands"] = tuple(attrs.evolve(o, source=BoxedSource(document="d.pdf", page=1, line=1,
                                                                             box=(120.0, 100.0, 170.0, 112.0)))
                                         for o in f.operands)
    page = _Page(report_html.render_html(report))
    words = [a for t, a in page.elements if t == "span" and a.get("class") == "w"]
    assert len(words) == 4 and "left: 50.0px; top: 100.0px" in words[0]["style"]
    assert "12.00" in "".join(page.text) and "找不到文档原文" not in "".join(page.text)
    boxes = page.having("a", "box")
    assert boxes and all("left: 120.0px; top: 100.0px" in b["style"] for b in boxes)
    assert {b["href"][1:] for b in boxes} <= page.ids


def test_the_figures_most_likely_wrong_are_listed_and_linked():
    if not hasattr(fiscalrules.Report, "localise"):
        pytest.skip("this build has no localisation (Report.localise)")
    from fiscalrules.readers import read_disclosure
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(read_disclosure(str(EXAMPLE)))
    page = _Page(report.to_html(documents={}))
    rows = page.having("tr", "change")
    assert rows, "the example's planted errors are localised"
    text = "".join(page.text)
    assert "最可能有误的数字" in text and "12.50" in text and "10.50" in text
    assert set(page.links) <= page.ids
    sarif = json.loads(report.to_sarif())
    assert any("likelyWrong" in r["properties"] for r in sarif["runs"][0]["results"])


def test_documents_read_from_a_zip_archive_are_shown_from_it(tmp_path):
    """``audit bundle.zip``: its documents are read from the archive, not from disk, so the page
    found no text for a finding's line ("找不到文档原文") and no PDF page to draw; now each is read
    from the archive again -- the text member's lines with its figures marked, the PDF member's
    pages drawn with its failing figures boxed."""
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) draws PDF pages")
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("预算公开/bureau_2025.txt", EXAMPLE.read_bytes())
        archive.writestr("预算公开/qingshi_culture_2025.pdf", (EXAMPLE.parent / "qingshi_culture_2025.pdf").read_bytes())
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(out.getvalue())
    report = tmp_path / "report.html"
    assert cli.main(["audit", str(bundle), "--format", "html", "-o", str(report)]) == 1
    page = _Page(report.read_text(encoding="utf-8"))
    assert "找不到文档原文" not in "".join(page.text) and set(page.links) <= page.ids
    assert "４．５０" in "".join(page.text)   # (the text member's TPF-001 figure, as printed)
    assert any("marked" in (a.get("class") or "") for t, a in page.elements if t == "div")
    drawn = [a["id"] for t, a in page.elements if t == "div" and "pdf-page" in (a.get("class") or "").split()]
    assert drawn and len(page.having("a", "box")) > 3
