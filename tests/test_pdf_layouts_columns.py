"""Text set in columns (分栏, review 20 C D6): a 情况说明 printed in two or three columns per page,
as budget booklets printed for the 人大 and county PDFs exported from InDesign / WPS set it. Each
column is read top to bottom, the left one first; a title or a table printed across the width
above or below the columns stays whole, in its place; a table, whose column gaps run down the page
as a gutter does, is never read as columns.

The disclosures are the fictional examples (examples/make_examples.py: 预算, with its planted
errors; make_final_accounts.py: 决算), their text pages set again in columns by
tests/pdfmaker.in_columns: each layout must give the findings and the figures of the one-column
PDF. Before inputs/pdfcolumns.py the lines ran across both columns ("…较上年预算安排 元，其中…")
and findings came and went with the layout.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)
from pdfmaker import in_columns, pdf_bytes  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.document.model import Document  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

make_examples, make_final_accounts = fav._modules()

# layout → how in_columns sets each text page (the cover and the contents stay as they are)
LAYOUTS = {
    "two": dict(columns=2),
    "three": dict(columns=3, gutter=18.0),
    "two, narrow gutter": dict(columns=2, gutter=10.0),
    "two, title in the first column": dict(columns=2, full_title=False),
}
# the 预算 example with its planted errors; the 决算 example with its planted errors, and made
# again without them (tests/final_accounts_variants.py: 0 不一致 in one column)
DOCUMENTS = {"budget": (make_examples.build, "budget_disclosure"),
             "final_accounts": (make_final_accounts.build_final_accounts, "final_accounts"),
             "final_accounts_clean": (fav.build, "final_accounts")}


def _text_page(items: list[tuple]) -> bool:
    texts = [item for item in items if item[0] == "text"]
    return len(texts) == len(items) > 3 and not any(item[3].replace(" ", "") == "目录" for item in texts)


def _build(document: str, layout: dict | None) -> bytes:
    make, _ = DOCUMENTS[document]
    if layout is None:
        return make()
    original = make_examples.render

    def render(pages, *args, **kwargs):
        pages = [in_columns(page, **layout) if _text_page(page) else page for page in pages]
        return original(pages, *args, **kwargs)

    make_examples.render = render
    try:
        return make()
    finally:
        make_examples.render = original


_audits: dict = {}


def _audit(document: str, layout: str | None):
    key = (document, layout)
    if key not in _audits:
        record = read_document(_build(document, LAYOUTS.get(layout)), name=f"{document}.pdf")
        report = fiscalrules.load_ruleset(DOCUMENTS[document][1]).evaluate(record)
        _audits[key] = record, sorted(f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                                      for f in report.findings if f.status == "fail")
    return _audits[key]


def _narrative_figures(record: dict) -> dict:
    """Every figure the record holds outside the tables, by path (where it was read aside).
    Not the quality facts (a paragraph's text and its brackets: a narrower column wraps a
    numbered item into a short first line, taken for a heading, in one column as in two) nor the
    years mentioned (read line by line: "与2" / "023年度" wrapped is no year, whatever the layout)."""
    out = {}

    def walk(node, path):
        if isinstance(node, dict):
            if "value" in node and not isinstance(node["value"], (dict, list)):
                out[path] = node["value"]
                return
            for key, value in node.items():
                if key not in ("tables", "_meta", "source", "quality", "years"):
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")

    walk(record, "")
    return out


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_a_disclosure_set_in_columns_reads_as_the_one_column_one(document, layout):
    record, failing = _audit(document, layout)
    plain_record, plain_failing = _audit(document, None)
    assert failing == plain_failing        # the planted errors found, nothing else
    assert bool(failing) == (document != "final_accounts_clean")
    assert record["_meta"]["coverage"]["figures"] == plain_record["_meta"]["coverage"]["figures"]
    assert not record["_meta"].get("unread")
    assert _narrative_figures(record) == _narrative_figures(plain_record)


def _lines(items) -> Document:
    return read_pdf(pdf_bytes([items]), "columns.pdf")


def _paragraph(top: float, left: float, width: float, text: str, size: float = 10.5):
    """Items of *text* wrapped at *width*, character by character, from *top* down."""
    items, current, y = [], "", top
    for ch in text:
        if make_examples._width(current + ch, size) > width:
            items.append(("text", left, y, current, size))
            current, y = "", y + size * 1.7
        current += ch
    return items + [("text", left, y, current, size)] if current else items


LEFT = ("2025年本部门收入预算总额为1,286.40万元，较上年预算安排增加86.40万元。其中：财政拨款收入1,150.00万元，"
        "较上年预算安排增加50.00万元；事业收入80.00万元；其他收入16.40万元；上年结转40.00万元。支出预算总额为1,286.40万元，"
        "其中基本支出900.40万元，项目支出386.00万元。")
RIGHT = ("2025年部门所属各单位政府采购总额180.00万元，其中：政府采购货物预算60.00万元，政府采购工程预算40.00万元，"
         "政府采购服务预算80.00万元。截至2024年12月31日，部门共有车辆3辆，其中：一般公务用车1辆，执法执勤用车2辆。")
THIRD = "2025年部门机关运行经费预算100.00万元，比2024年预算减少4.00万元，下降3.85%，主要原因是厉行节约，压减一般性支出。"


def _columns(texts, gutter=24.0, top=90.0):
    width = (make_examples.WIDTH - 2 * make_examples.MARGIN - (len(texts) - 1) * gutter) / len(texts)
    return [item for k, text in enumerate(texts)
            for item in _paragraph(top, make_examples.MARGIN + k * (width + gutter), width, text)]


def _joined(doc: Document, lines) -> str:
    return "".join(line.compact for line in lines)


@pytest.mark.parametrize("texts", [(LEFT, RIGHT), (LEFT, RIGHT, THIRD), (LEFT, RIGHT[:40])],
                         ids=["two", "three", "right column short"])
@pytest.mark.parametrize("gutter", [24.0, 10.0], ids=["gutter 24", "gutter 10"])
def test_columns_are_read_one_after_the_other(texts, gutter):
    title = [("text", 330, 50, "第三部分 情况说明", 16.0)]
    doc = _lines(title + _columns(texts, gutter))
    assert doc.lines[0].compact == "第三部分情况说明"
    read = _joined(doc, doc.lines[1:])
    position = 0
    for text in texts:          # each column whole, in order: its text, then the next column's
        expected = read_pdf(pdf_bytes([_paragraph(90, 56, 2000, text)]), "one.pdf").lines[0].compact
        assert read[position:position + len(expected)] == expected
        position += len(expected)
    assert position == len(read)
    assert len({doc.regions[line.number] for line in doc.lines[1:]}) == len(texts)


def test_a_table_across_the_width_under_the_columns_stays_one_table():
    # the table's rows read whole (a row per line) after both columns; its title centred above it
    rows = [("财政拨款收入", "1,150.00", "1,100.00", "50.00"), ("事业收入", "80.00", "70.00", "10.00"),
            ("其他收入", "16.40", "20.00", "-3.60"), ("上年结转", "40.00", "10.00", "30.00")]
    for ruled in (True, False):
        items = _columns((LEFT, RIGHT), top=60.0)
        items.append(("text", 330, 250, "表1 收入预算构成情况表", 11.0))
        for index, row in enumerate(rows):
            top = 290 + 20 * index
            items += [("text", x, top, text, 9.0) for x, text in zip((60, 380, 530, 690), row)]
            if ruled:
                items += [("hrule", top - 5, 56, 760)] + [("vrule", x, top - 5, top + 15) for x in (56, 306, 456, 606, 760)]
        doc = _lines(items)
        texts = [line.compact for line in doc.lines]
        assert texts[-5:] == ["表1收入预算构成情况表"] + ["".join(row) for row in rows]
        assert all(doc.regions.get(line.number) is None for line in doc.lines[-5:])
        assert texts[0].startswith("2025年本部门收入") and len({doc.regions.get(n) for n in range(1, len(texts) - 4)}) == 2


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_table_of_text_columns_is_not_read_as_columns(ruled):
    # a two-column table whose cells are Chinese text, its gap running down every row: the
    # label column is narrow and its lines do not fill it; read row by row as before
    rows = [("年度总体目标", "保障机关正常运转，完成国土空间规划编制和耕地保护任务。"),
            ("项目概述", "编制县级国土空间总体规划及乡镇国土空间规划。"),
            ("实施主体", "青山县自然资源局"),
            ("绩效目标", "完成县级国土空间总体规划和3个乡镇国土空间规划编制。"),
            ("满意度指标", "服务对象满意度不低于百分之九十。")]
    items = []
    for index, (label, text) in enumerate(rows):
        top = 80 + 24 * index
        items += [("text", 60, top, label, 10.5), ("text", 200, top, text, 10.5)]
        if ruled:
            items += [("hrule", top - 6, 56, 760)] + [("vrule", x, top - 6, top + 18) for x in (56, 190, 760)]
    doc = _lines(items)
    assert doc.regions == {}
    assert [line.compact for line in doc.lines] == [(label + text).replace("，", ",") for label, text in rows]


def test_a_figure_wrapped_over_two_lines_of_a_column_is_one_figure():
    # "…海洋气象等支出9" / "03.00万元" (a narrow column wraps inside a number): one figure
    text = "自然资源海洋气象等支出9\n03.00万元，较上年预算安排增加40.00万元；住房保障支出68.00万元。"
    stream = Document(text, "wrap.txt").stream()
    assert "支出903.00万元" in stream.text
    # a table's rows, a figure ending one and a code starting the next, never fuse
    table = Document("2080505 机关事业单位基本养老保险缴费支出 64.00\n2080506 职业年金缴费支出 32.00", "t.txt").stream()
    assert "64.00 2080506" in table.text


def test_text_on_both_sides_of_a_gap_not_sure_to_be_columns_is_never_read_across_it():
    # two sides of short lines of Chinese text, none filling its side (a list? a table of text
    # without rules?): not read as columns, but no line runs across the gap either -- each row
    # is read in parts -- and the page is listed (分栏排版: check its reading order)
    left = ["收入预算总额为一千二百八十六万元整", "其中财政拨款收入", "事业收入八十万元整", "其他收入",
            "上年结转四十万元", "支出预算"]
    right = ["政府采购总额一百八十万元整整整整", "其中货物预算", "工程预算四十万元", "服务预算",
             "车辆三辆不购置车辆", "机关运行经费"]
    items = [("text", x, 80 + 20 * index, text, 10.5) for index, pair in enumerate(zip(left, right))
             for x, text in zip((56, 433), pair)]
    doc = _lines(items)
    assert doc.column_pages == [1]
    assert [line.compact for line in doc.lines] == [text for pair in zip(left, right) for text in pair]
    record = read_document(pdf_bytes([items]), name="maybe.pdf")
    reasons = [entry["reason"] for entry in record["_meta"]["unread"]]
    assert any(reason.startswith("page 1: text that may be set in columns") for reason in reasons), reasons
    # the same text filling its columns is read as columns, and not listed
    doc = _lines(_columns((LEFT, RIGHT)))
    assert doc.column_pages == [] and len(set(doc.regions.values())) == 2


_HAN = "收入预算总额为一千二百八十六万元整其中财政拨款收入事业收入八十万元整其他收入上年结转四十万元支出预算"


def _banded_page(bands: int) -> list[tuple]:
    """Characters (char, x0, top, x1, bottom) of a page cut in *bands* bands of two filled columns
    of five rows each, a line across the whole width under each band."""
    chars, top = [], 0.0

    def row(left: float, count: int, shift: int) -> None:
        chars.extend((_HAN[(i + shift) % len(_HAN)], left + 10 * i, top, left + 10 * i + 10, top + 10) for i in range(count))

    for band in range(bands):
        for index in range(5):
            row(0, 20, band + index)
            row(230, 20, band + index + 7)
            top += 14
        row(0, 43, band)
        top += 14
    return chars


def test_a_page_of_many_bands_is_cut_in_linear_work(monkeypatch):
    # review 22 A9: each band's rows above and below were split again by recursion, every split
    # scanning the rest of the page: 300 bands took 9.5 s, a thousand ran out of stack. Now a
    # stack of pending parts, and after pdfcolumns._MAX_BANDS bands the rest is one piece read
    # across the width, the page listed (no page of the template has so many).
    from fiscalrules.inputs import pdfcolumns
    from fiscalrules.inputs.pagelines import built

    calls = []
    column_band = pdfcolumns._column_band
    monkeypatch.setattr(pdfcolumns, "_column_band", lambda *a: calls.append(1) or column_band(*a))
    rows, lines = built(_banded_page(3))
    pieces = pdfcolumns.split_columns(rows, lines, [], built)
    # in reading order: each band's left column, its right column, the line across under it
    assert [(len(p[0]), p[2] is not None, p[3]) for p in pieces] == [(5, True, True), (5, True, True), (1, False, True)] * 3
    assert [p[1][0][0][:3] for p in pieces[:3]] == [lines[0][0][:3], lines[0][0][-20:][:3], lines[5][0][:3]]

    many = pdfcolumns._MAX_BANDS + 8
    calls.clear()
    chars = _banded_page(many)
    rows, lines = built(chars)
    pieces = pdfcolumns.split_columns(rows, lines, [], built)
    columns = [p for p in pieces if p[2] is not None]
    assert len(columns) == 2 * pdfcolumns._MAX_BANDS
    assert pieces[-1][2] is None and pieces[-1][3] is False          # the rest: across, listed
    assert sorted(c for p in pieces for row in p[0] for c in row) == sorted(chars)   # none lost, none twice
    assert len(calls) <= 2 * pdfcolumns._MAX_BANDS + 2
