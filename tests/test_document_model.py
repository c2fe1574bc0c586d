"""The document model and its inputs: text lines and words, PDFs read page by page, refusals."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules.document.model import Document, display_width
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_disclosure
from fiscalrules.readers.common.record import MAX_REASON

pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")


# -- text ------------------------------------------------------------------------------------------

def test_text_words_are_placed_by_display_column():
    doc = Document("科目名称      合计\n社会保障    12.50", "t.txt")
    header, row = doc.lines
    assert [(w.text, w.x0, w.x1) for w in header.words] == [("科目名称", 0, 8), ("合计", 14, 18)]
    # "社会保障" is 8 columns wide, then 4 spaces: the number starts at column 12
    assert [(w.text, w.x0) for w in row.words] == [("社会保障", 0), ("12.50", 12)]
    assert display_width("合") == 2 and display_width("1") == 1


def test_tab_cells_are_columns_and_blank_cells_keep_their_place():
    doc = Document("208\t社会保障\t18.01\t\t3.00", "t.txt")
    assert [(w.text, w.x0) for w in doc.line(1).words] == [
        ("208", 0), ("社会保障", 1), ("18.01", 2), ("3.00", 4)]


def test_form_feeds_start_pages_and_lines_keep_their_numbers():
    doc = Document("第一页\n正文\n\f第二页\n正文", "t.txt")
    assert [(l.number, l.page) for l in doc.lines] == [(1, 1), (2, 1), (3, 2), (4, 2)]
    assert doc.paged and len(doc.pages) == 2
    assert not Document("一页\n两行", "t.txt").paged


def test_a_form_feed_inside_a_line_starts_the_page_there():
    # Page texts joined by form feeds alone (pdfplumber's extract_text() of each page, "\f".join):
    # a page's last line and the next page's first share a line.  The next page's heading was a
    # line of the page before ("— 1 —第一部分 部门概况"), no heading, and every section after
    # the 目录 was taken for the glossary it names last.
    doc = Document("目录\n— 1 —\f第一部分 部门概况\n正文\f第二部分 表\n208 社会保障 1.00", "t.txt")
    assert [(l.page, l.compact) for l in doc.lines] == [
        (1, "目录"), (1, "—1—"), (2, "第一部分部门概况"), (2, "正文"), (3, "第二部分表"), (3, "208社会保障1.00")]
    assert [(p.first, p.last) for p in doc.pages] == [(1, 2), (3, 4), (5, 6)]


def test_running_headers_and_page_numbers_are_noise():
    pages = "\n\f".join(f"某某局2025年部门预算\n正文第{i}页的内容\n{i}" for i in range(1, 5))
    doc = Document(pages, "t.txt")
    kept = [l.compact for l in doc.content_lines()]
    assert kept == [f"正文第{i}页的内容" for i in range(1, 5)]



@pytest.mark.parametrize("line", ["3", "- 3 -", "—12—", "第 3 页", "3 / 12", "3/12", "第 3 页 / 共 12 页",
                                  "第3页，共12页", "共 12 页"])
def test_page_numbers_in_their_printed_forms_are_noise(line):
    doc = Document(f"第一行文字\n\n{line}\n\n第二行文字", "x.txt")
    assert doc.is_noise(3)


@pytest.mark.parametrize("line", ["20502", "2050205", "1234", "85000", "1,234", "12,345"])
def test_a_number_no_page_prints_is_no_page_number(line):
    # pdftotext without -layout writes a table a cell a line: a 5-digit 款 code, an integer amount
    # ("85000" 元, "1,234" 万元) stands alone between blank lines -- it was taken as "205 / 02"
    # or "1 , 234", a page number, and dropped: the amount lost, the code's line left silent.
    doc = Document(f"第一行文字\n\n{line}\n\n第二行文字", "x.txt")
    assert not doc.is_noise(3)

# -- PDF -------------------------------------------------------------------------------------------

def _pdf(tmp_path, pages, name="doc.pdf", **options):
    path = tmp_path / name
    path.write_bytes(pdfmaker.pdf_bytes(pages, **options))
    return path


def test_pdf_lines_words_boxes_and_rules(tmp_path):
    path = _pdf(tmp_path, [[
        ("text", 50, 50, "2025年部门预算", 16),
        ("text", 50, 90, "科目名称", 10), ("text", 300, 90, "1,234.50", 10),
        ("vrule", 290, 80, 110), ("hrule", 80, 40, 400),
    ], [("text", 60, 60, "第二页", 10)]])
    doc = open_document(path)
    assert doc.kind == "pdf" and doc.paged and len(doc.pages) == 2
    title, row, second = doc.lines
    assert title.original == "2025年部门预算" and title.page == 1
    assert [w.text for w in row.words] == ["科目名称", "1,234.50"]
    number = row.words[1]
    assert 299 <= number.x0 <= 301 and number.x1 > number.x0
    x0, top, x1, bottom = row.box(number.start, number.end)
    assert 299 <= x0 <= 301 and 85 <= top < bottom <= 105
    assert second.page == 2 and second.number == 3
    rules = doc.page(1).rules
    assert any(r.vertical and abs(r.position - 290) < 1.5 for r in rules)
    assert any(not r.vertical and abs(r.position - 80) < 1.5 for r in rules)


def test_pdf_is_recognised_by_signature_not_name(tmp_path):
    path = _pdf(tmp_path, [[("text", 50, 50, "正文", 10)]], name="disclosure.txt")
    assert open_document(path).kind == "pdf"
    assert open_document(path.read_bytes(), "x").kind == "pdf"


def test_encrypted_pdf_is_a_clear_error(tmp_path):
    path = _pdf(tmp_path, [[("text", 50, 50, "正文", 10)]], name="locked.pdf", encrypt="secret")
    with pytest.raises(ReaderError, match=r"locked\.pdf is an encrypted PDF"):
        open_document(path)


def test_damaged_pdf_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    with pytest.raises(ReaderError, match=r"broken\.pdf is not a readable PDF"):
        open_document(path)


def test_scanned_pdf_without_text_is_a_clear_error(tmp_path):
    path = _pdf(tmp_path, [[("rect", 40, 40, 500, 400)]], name="scan.pdf")
    with pytest.raises(ReaderError, match=r"scan\.pdf has no text layer"):
        open_document(path)


def test_missing_pypdfium2_names_the_extra(tmp_path, monkeypatch):
    path = _pdf(tmp_path, [[("text", 50, 50, "正文", 10)]])
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(ReaderError, match=r"fiscalrules\[pdf\]"):
        open_document(path)


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.4\ngarbage", "not a readable PDF"),
])
def test_cli_reports_a_bad_pdf_with_exit_2_and_goes_on(tmp_path, content, message):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("不是预算", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", str(bad), str(good), "--lang", "en"],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert message in run.stderr and "bad.pdf" in run.stderr
    assert "Traceback" not in run.stderr and "good.txt" in run.stdout + run.stderr


def test_a_page_without_text_is_listed_as_unread(tmp_path):
    text_page = [("text", 50, 50 + 20 * i, line, 10) for i, line in enumerate([
        "某局2025年部门预算", "一、收入预算情况", "收入预算总额100.00万元。", "二、支出预算情况",
        "支出预算总额100.00万元。", "三、“三公”经费预算情况", "“三公”经费预算1.00万元。"])]
    path = _pdf(tmp_path, [text_page, [("rect", 40, 40, 500, 400)]])
    record = read_disclosure(path)
    assert any("page 2 has no text layer" in u["reason"] for u in record["_meta"]["unread"])


# -- sources point at the page and the box ------------------------------------------------------

def test_pdf_figures_name_page_line_and_box(tmp_path):
    lines = ["某局2025年部门预算", "一、收入预算情况", "2025年某局收入预算总额100.00万元，比上年增加5.00万元。",
             "二、支出预算情况", "2025年某局支出预算总额100.00万元。"]
    page1 = [("text", 50, 50 + 20 * i, line, 10) for i, line in enumerate(lines[:3])]
    page2 = [("text", 50, 50 + 20 * i, line, 10) for i, line in enumerate(lines[3:])]
    record = read_disclosure(_pdf(tmp_path, [page1, page2]))
    income = record["income"]["total"]
    assert income["value"] == "100.00" and income["change"] == "5.00"
    assert income["source"]["page"] == 1 and income["source"]["line"] == 3
    x0, top, x1, bottom = income["source"]["box"]
    assert 49 <= x0 < x1 and 85 <= top < bottom <= 105
    assert record["expenditure"]["total"]["source"]["page"] == 2


# -- long lines (issue 12, B10) ------------------------------------------------------------------

def test_a_document_without_line_breaks_reads_in_bounded_source_text():
    from pathlib import Path
    example = Path(__file__).resolve().parent.parent / "examples" / "bureau_2025.txt"
    one_line = example.read_text(encoding="utf-8").replace("\n", "") * 12
    record = read_disclosure(one_line, name="long.txt")
    longest = max(_strings(record), key=len)
    assert len(longest) <= MAX_REASON
    assert len(json.dumps(record, ensure_ascii=False)) < 40 * len(one_line)
    # still read, not given up: what was not understood is listed
    assert record["doc"]["year"]["value"] == "2025" and record["_meta"]["unread"]


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


# Text a line may hold: full-width forms, ideographic and other Unicode spaces, tabs, CJK, digits.
_LINE_TEXT = st.text(alphabet=st.one_of(
    st.sampled_from("　 \t\u00a0\u2003\u2028\u0085\x1c\u3000１２３．，（）：％－ABＣ收入合计12.5,()%-"),
    st.characters(codec="utf-8")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_LINE_TEXT)
def test_a_line_normalises_as_normalise_and_compact_do(text):
    """Line writes normalise() and compact() out inline (made for every line of a document);
    its text and compact text are theirs, whatever white space or full-width forms it holds."""
    from fiscalrules.document.model import Line, compact, normalise
    line = Line(1, text)
    original = text.rstrip("\r\n")
    assert line.text == normalise(original)
    assert line.compact == compact(original) == re.sub(r"\s+", "", normalise(original))
    assert line.blank == (compact(original) == "")


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_TEXT, min_size=1, max_size=6))
def test_a_text_normalises_line_by_line_as_normalise_does(texts):
    """A text document's lines are normalised all at once (_text_lines); each is still what
    normalise() makes of the line, whatever line breaks separate them (a form feed after text on
    its line starting a line: test_a_form_feed_inside_a_line_starts_the_page_there)."""
    from fiscalrules.document.model import normalise
    doc = Document("\n".join(texts), "x.txt")
    raw = "\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")
    raw = re.sub(r"(?<=[^\n\f])\f", "\n\f", raw).split("\n")
    assert [line.original for line in doc.lines] == raw
    assert [line.text for line in doc.lines] == [normalise(text) for text in raw]


@settings(max_examples=300, deadline=None)
@given(_LINE_TEXT)
def test_a_text_lines_words_are_its_runs_at_their_display_columns(text):
    """A text line's words (no tab): the runs between white space (str.isspace), each from the
    display columns of the characters before it to those through it -- as printed: a full-width
    "（" normalised to "(" still takes its two columns (session bud51)."""
    from fiscalrules.document.model import Line
    text = text.replace("\t", " ")
    line = Line(1, text)
    expected, start = [], None
    for index, ch in enumerate(line.text + " "):
        if not ch.isspace() and start is None:
            start = index
        elif ch.isspace() and start is not None:
            before = sum(display_width(c) for c in line.original[:start])
            expected.append((line.text[start:index], before,
                             before + sum(display_width(c) for c in line.original[start:index]), start, index))
            start = None
    assert [(w.text, w.x0, w.x1, w.start, w.end) for w in line.words] == expected


def test_the_width_memo_stays_bounded_and_right():
    # a hostile text can hold every code point: the memo of character widths must not keep them all
    from fiscalrules.document.model import _WIDTHS, _width_of
    text = "".join(map(chr, range(0x4E00, 0x4E00 + 3 * _WIDTHS.LIMIT)))
    assert _width_of(text) == sum(display_width(ch) for ch in text)
    assert len(_WIDTHS) <= _WIDTHS.LIMIT
    assert _width_of("预算a") == 5
