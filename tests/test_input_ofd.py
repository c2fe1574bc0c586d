"""A disclosure published as an OFD document (GB/T 33190-2016; fiscalrules/inputs/ofd.py and
ofdcontent.py): read from its pages' text and paths as a PDF is read.

An OFD was refused ("a zip archive of other files"). Every document here is fictional and written
by tests/ofdmaker.py as converters write them: a TextObject a run of characters placed by
DeltaX (the compact "g N V" form), or a TextObject a character; objects nested in PageBlocks,
drawn through a CTM in other units or turned; a template page holding the page number;
signatures beside the content. The example (examples/bureau_2025.txt) laid out as an OFD, its
tables as ruled grids with their figures right-aligned, must read every figure of its text and
fail the same rules.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from ofdmaker import line, ofd_package, page_block, path_object, text_object, text_to_ofd
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import open_document
from fiscalrules.inputs.ofdcontent import MM, _deltas


def _texts(document) -> list[str]:
    return [line.text for line in document.lines]


@pytest.mark.parametrize("per_character, cell_boxes", [(False, False), (True, False), (False, True)],
                         ids=["runs", "characters", "cell boxes"])
def test_the_example_as_an_ofd_reads_as_its_text(tmp_path, capsys, per_character, cell_boxes):
    path = tmp_path / "bureau_2025.ofd"
    path.write_bytes(text_to_ofd(EXAMPLE.read_text(encoding="utf-8"), per_character=per_character,
                                 cell_boxes=cell_boxes))
    from_ofd = assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))
    assert from_ofd["_meta"]["coverage"]["lines"]["silent"] == 0


def test_an_ofd_is_told_by_its_content_not_its_name(tmp_path):
    data = ofd_package([[text_object(20, 20, "青山县自然资源局2025年部门预算")]])
    for name in ("disclosure.bin", "disclosure.zip", "disclosure"):
        path = tmp_path / name
        path.write_bytes(data)
        document = open_document(str(path))
        assert _texts(document) == ["青山县自然资源局2025年部门预算"] and document.kind == "pdf"


def test_an_ofd_in_a_zip_archive_is_one_of_its_documents(tmp_path, capsys):
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("预算公开/bureau_2025.ofd", text_to_ofd(EXAMPLE.read_text(encoding="utf-8")))
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle.getvalue())
    assert main(["audit", "--no-progress", str(path)]) == 1
    out = capsys.readouterr().out
    assert "bundle.zip/预算公开/bureau_2025.ofd" in out and "不一致 7" in out


def test_a_ruled_table_reads_its_cells_and_rules():
    size, top = 3.5, 40.0
    edges = [15, 45, 105, 135, 165, 195]
    rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "1,234.56", "1,000.00", "234.56"],
            ["2010101", "行政运行", "88.00", "88.00", ""]]
    objects = [text_object(15, 25, "一般公共预算支出表", 5.0)]
    for number, row in enumerate(rows):
        y = top + number * 7
        for column, cell in enumerate(row):
            if not cell:
                continue
            width = sum(size * (0.5 if ch.isascii() else 1) for ch in cell)
            figure = number and column >= 2
            x = edges[column + 1] - 1.5 - width if figure else edges[column] + 1.5
            objects.append(text_object(x, y, cell, size))
        objects.extend(line(x, y - 1, x, y + 6) for x in edges)
        objects.append(line(edges[0], y + 6, edges[-1], y + 6))
    document = open_document(ofd_package([objects]), "表.ofd")
    assert _texts(document) == ["一般公共预算支出表", "科目编码 科目名称 合计 基本支出 项目支出",
                                "201 一般公共服务支出 1,234.56 1,000.00 234.56", "2010101 行政运行 88.00 88.00"]
    verticals = sorted({rule.position for rule in document.pages[0].rules if rule.vertical})
    assert verticals == [round(x * MM, 1) for x in edges]
    figures = document.lines[2].words[2]
    assert figures.text == "1,234.56" and abs(figures.x1 - (edges[3] - 1.5) * MM) < 0.5   # right-aligned in its cell


def test_compact_deltas_place_each_character():
    assert _deltas("g 3 2.5", 3) == [2.5, 2.5, 2.5]
    assert _deltas("1 g 2 3.5 4", 4) == [1.0, 3.5, 3.5, 4.0]
    assert _deltas("g 1000000000 1", 2) == [1.0, 1.0]          # (never more than the characters need)
    assert _deltas("g x", 3) == [] and _deltas(None, 2) == []
    # a title set with its characters 4 mm apart: one word, its characters where DeltaX puts them
    document = open_document(ofd_package([[text_object(20, 20, "部门预算", 4.0, spacing=4.0),
                                           text_object(20, 40, "单位：万元", 3.5)]]), "a.ofd")
    assert _texts(document)[0].replace(" ", "") == "部门预算"
    boxes = document.lines[0].boxes
    assert abs(boxes[4] - boxes[0] - 8.0 * MM) < 0.01


def test_an_object_drawn_through_a_ctm_in_other_units_reads_as_in_millimetres():
    in_mm = open_document(ofd_package([[text_object(20, 30, "基本支出 880.00", 3.5)]]), "a.ofd")
    in_points = open_document(ofd_package([[text_object(20, 30, "基本支出 880.00", 3.5, scale=25.4 / 72)]]), "b.ofd")
    assert _texts(in_points) == _texts(in_mm) == ["基本支出 880.00"]
    assert all(abs(a - b) < 0.01 for a, b in zip(in_points.lines[0].boxes, in_mm.lines[0].boxes))


def test_objects_in_nested_page_blocks_are_read_in_place():
    document = open_document(ofd_package([[page_block(text_object(20, 20, "一、部门主要职责"),
                                                      page_block(text_object(20, 30, "（一）负责本县自然资源管理。")))]]),
                             "a.ofd")
    assert _texts(document) == ["一、部门主要职责", "(一)负责本县自然资源管理。"]


def test_a_template_page_adds_its_page_number_to_every_page_as_furniture():
    pages = [[text_object(20, 30 + i, f"第{i + 1}段正文，青山县自然资源局部门预算说明。")] for i in range(4)]
    document = open_document(ofd_package(pages, template=[text_object(100, 285, "- 1 -")]), "a.ofd")
    numbers = [line for line in document.lines if line.text == "- 1 -"]
    assert len(numbers) == 4 and len(document.pages) == 4
    assert all(document.is_noise(line.number) for line in numbers)


def test_a_page_turned_a_quarter_is_read_upright():
    # a landscape table drawn on a portrait page, its text running down the page (CTM turned 90°)
    turned = []
    for row, text in enumerate(["一般公共预算财政拨款支出表", "科目编码 科目名称 合计", "201 一般公共服务支出 12.00"]):
        x = 180 - row * 8.0
        turned.append(f'<ofd:TextObject ID="1" Boundary="{x} 20 8 150" Size="3.5" CTM="0 1 -1 0 3.5 0">'
                      f'<ofd:TextCode X="0" Y="0" DeltaX="{" ".join("3.5" if not c.isascii() else "1.75" for c in text[:-1])}">'
                      f'{text}</ofd:TextCode></ofd:TextObject>')
    document = open_document(ofd_package([turned]), "a.ofd")
    assert _texts(document) == ["一般公共预算财政拨款支出表", "科目编码 科目名称 合计", "201 一般公共服务支出 12.00"]
    assert document.pages[0].width > document.pages[0].height


def test_parts_named_from_the_root_a_page_box_of_its_own_and_signatures():
    data = ofd_package([[text_object(20, 20, "部门预算")], [text_object(20, 20, "部门决算")]], absolute=True,
                       signed=True, page_boxes={1: (0, 0, 297, 210)})
    document = open_document(data, "a.ofd")
    assert _texts(document) == ["部门预算", "部门决算"]
    assert round(document.pages[1].width) == round(297 * MM) and round(document.pages[0].width) == round(210 * MM)


def test_glyphs_drawn_without_their_text_are_counted_unread():
    document = open_document(ofd_package([[text_object(20, 20, "部门预算说明"),
                                           text_object(20, 30, "一般公共预算", glyphs_only=True)]]), "a.ofd")
    assert _texts(document) == ["部门预算说明"] and document.unread_text == [(1, 1)]


def test_paths_become_rules_thin_bars_once_curves_never():
    bar = path_object((10, 50, 100, 0.4), "M 0 0 L 100 0 L 100 0.4 L 0 0.4 C", fill=True, stroke=False)
    box = path_object((10, 60, 100, 20), "M0 0L100 0L100 20L0 20Z")      # (commands and numbers unspaced)
    curve = path_object((10, 90, 100, 20), "M 0 0 B 30 20 60 20 100 0")
    hidden = path_object((10, 120, 100, 0), "M 0 0 L 100 0", stroke=False)
    document = open_document(ofd_package([[text_object(20, 20, "部门预算"), bar, box, curve, hidden]]), "a.ofd")
    rules = sorted((r.vertical, r.position, r.start, r.end) for r in document.pages[0].rules)
    assert rules == sorted([(False, round(50.2 * MM, 1), round(10 * MM, 1), round(110 * MM, 1)),
                            (False, round(60 * MM, 1), round(10 * MM, 1), round(110 * MM, 1)),
                            (False, round(80 * MM, 1), round(10 * MM, 1), round(110 * MM, 1)),
                            (True, round(10 * MM, 1), round(60 * MM, 1), round(80 * MM, 1)),
                            (True, round(110 * MM, 1), round(60 * MM, 1), round(80 * MM, 1))])


def _rewritten(data: bytes, part: str, body: bytes | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            if info.filename != part:
                archive.writestr(info.filename, source.read(info))
        if body is not None:
            archive.writestr(part, body)
    return out.getvalue()


GOOD = ofd_package([[text_object(20, 20, "部门预算")]])


@pytest.mark.parametrize("data, said", [
    (GOOD[:len(GOOD) // 2], "damaged"),
    (_rewritten(GOOD, "Doc_0/Document.xml", None), "Document.xml"),
    (_rewritten(GOOD, "OFD.xml", None), "OFD.xml"),
    (_rewritten(GOOD, "Doc_0/Pages/Page_0/Content.xml", None), "Doc_0/Pages/Page_0/Content.xml is missing"),
    (_rewritten(GOOD, "Doc_0/Pages/Page_0/Content.xml", b"<ofd:Page xmlns:ofd='x'><ofd:Content>"), "damaged"),
    (_rewritten(GOOD, "Doc_0/Document.xml", b'<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'), "DTD"),
    (ofd_package([['<ofd:ImageObject ID="7" Boundary="0 0 210 297" ResourceID="8"/>']]), "without text"),
], ids=["cut short", "no Document.xml", "no OFD.xml", "no page part", "malformed", "entities", "a scan"])
def test_a_damaged_or_textless_ofd_is_refused_naming_it(tmp_path, capsys, data, said):
    with pytest.raises(ReaderError) as refused:
        open_document(data, "公开.ofd")
    assert "公开.ofd" in str(refused.value) and said in str(refused.value)
    path = tmp_path / "公开.ofd"
    path.write_bytes(data)
    assert main(["audit", "--no-progress", "--lang", "en", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_web_page_report_draws_an_ofds_pages_as_a_pdfs(tmp_path, capsys):
    path = tmp_path / "bureau_2025.ofd"
    path.write_bytes(text_to_ofd(EXAMPLE.read_text(encoding="utf-8")))
    report = tmp_path / "report.html"
    assert main(["audit", "--no-progress", "--format", "html", "-o", str(report), str(path)]) == 1
    page = report.read_text(encoding="utf-8")
    assert page.count('class="pdf-page') == 7 and 'class="box' in page


def test_a_paragraph_drawn_as_one_object_of_many_codes_and_a_part_in_gbk():
    # one TextObject for the paragraph, a TextCode a line; the second line's second run goes on
    # where the first ended (no X); the page's part declared GBK
    paragraph = ('<ofd:TextObject ID="1" Boundary="20 30 170 20" Size="3.5">'
                 '<ofd:TextCode X="0" Y="3.5" DeltaX="g 9 3.5">部门预算收入总额为</ofd:TextCode>'
                 '<ofd:TextCode X="0" Y="9.5" DeltaX="g 5 1.75">880.00</ofd:TextCode>'
                 '<ofd:TextCode>万元。</ofd:TextCode></ofd:TextObject>')
    data = ofd_package([[paragraph]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        page = archive.read("Doc_0/Pages/Page_0/Content.xml").decode("utf-8")
    page = page.replace('encoding="UTF-8"', 'encoding="GBK"').encode("gbk")
    document = open_document(_rewritten(data, "Doc_0/Pages/Page_0/Content.xml", page), "a.ofd")
    assert _texts(document) == ["部门预算收入总额为", "880.00万元。"]
