"""A disclosure published as a Word document (fiscalrules/inputs/docx.py): its paragraphs and
tables in order, read as the text disclosure it prints.

Session 33: a .docx was refused as "a binary file, not text".  The fictional example
(examples/bureau_2025.txt) written as a Word document -- a paragraph a ``w:p`` with its text
split into runs as Word splits it, the tables as ``w:tbl`` -- must read the same figures and fail
the same rules as its text; merged cells, breaks and hostile files are cases below.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from published_forms import docx_of, numbered_word_document, word_document, word_document_with_workbooks
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import docx, open_document



def test_the_example_as_a_word_document_reads_as_its_text(tmp_path, capsys):
    path = tmp_path / "bureau_2025.docx"
    path.write_bytes(word_document(EXAMPLE.read_text(encoding="utf-8")))
    from_word = assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))
    assert from_word["_meta"]["coverage"]["lines"]["silent"] == 0


def test_the_example_numbered_by_word_reads_as_its_text(tmp_path, capsys):
    """(Session 41) Its headings and items numbered by Word's automatic numbering ("一、",
    "（一）" drawn, not in the text): read without them, 132 of 198 figures and two findings
    neither the text earns (PRJ-003, QUA-010) for its seven."""
    path = tmp_path / "bureau_2025.docx"
    path.write_bytes(numbered_word_document(EXAMPLE.read_text(encoding="utf-8")))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


@pytest.mark.parametrize("suffix", [".xlsx", ".bin"])   # (.bin: an old binary workbook, as Word stores an Excel 97-2003 object)
def test_the_example_with_its_tables_embedded_as_workbooks_reads_as_its_text(tmp_path, capsys, suffix):
    """Its tables pasted from Excel as objects: the document shows a picture of each, and the
    workbook is embedded.  Read as shown, the disclosure had no tables (its tables' figures
    unread); now each object's workbook is read where it stands, as a table's rows."""
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) reads workbooks")
        from test_input_xlsx import workbook_of as workbook
    else:
        pytest.importorskip("xlwt", reason="xlwt (in the test extra) writes the .xls workbooks read here")
        from test_input_xls import xls_of as workbook
    path = tmp_path / "bureau_2025.docx"
    path.write_bytes(word_document_with_workbooks(EXAMPLE.read_text(encoding="utf-8"), workbook, suffix))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


def test_an_embedded_object_shows_its_workbooks_active_sheet_and_other_objects_give_nothing():
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) reads workbooks")
    book = openpyxl.Workbook()
    book.active.title = "草稿"
    book.active["A1"] = "不显示的草稿 9.99"
    shown = book.create_sheet("收支总表")
    shown.append(["项目", "预算数"])
    shown.append(["合计", 12.5])
    book.active = 1
    out = io.BytesIO()
    book.save(out)

    def document(parts: dict, links: str) -> bytes:
        body = "".join('<w:p><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.'
                       'openxmlformats.org/officeDocument/2006/relationships"><o:OLEObject Type="Embed" '
                       f'r:id="{link}"/></w:object></w:r></w:p>' for link in links.split())
        rels = "".join(f'<Relationship Id="{link}" Target="{target}"{mode}/>' for link, target, mode in (
            ("r1", "embeddings/a.xlsx", ""), ("r2", "embeddings/chart.bin", ""), ("r3", "embeddings/none.xlsx", ""),
            ("r4", "https://example.org/x.xlsx", ' TargetMode="External"')))
        parts = dict(parts, **{"word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
                                                               f'package/2006/relationships">{rels}</Relationships>'})
        return docx_of(f"<w:p><w:r><w:t>前</w:t></w:r></w:p>{body}<w:p><w:r><w:t>后</w:t></w:r></w:p>", parts)

    data = document({"word/embeddings/a.xlsx": out.getvalue(), "word/embeddings/chart.bin": b"\x89PNG not a workbook"},
                    "r1 r2 r3 r4 r9 r1")
    assert docx.docx_text(data, "t.docx") == "前\n\n收支总表\n项目\t预算数\n合计\t12.5\n\n收支总表\n项目\t预算数\n合计\t12.5\n\n后\n\n"


def test_an_object_in_a_table_cell_is_read_after_its_table():
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) reads workbooks")
    book = openpyxl.Workbook()
    book.active.append(["项目", "预算数"])
    book.active.append(["合计", 12.5])
    out = io.BytesIO()
    book.save(out)
    cell = ('<w:tc><w:p><w:r><w:t>附表</w:t></w:r><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><o:OLEObject r:id="r1"/>'
            '</w:object></w:r></w:p></w:tc>')
    body = "<w:tbl><w:tr>" + _cell("科目") + _cell("金额") + "</w:tr><w:tr>" + cell + _cell("1.00") + "</w:tr></w:tbl>"
    data = docx_of(body, {"word/embeddings/a.xlsx": out.getvalue(), "word/_rels/document.xml.rels":
                          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                          '<Relationship Id="r1" Target="embeddings/a.xlsx"/></Relationships>'})
    assert docx.docx_text(data, "t.docx") == "科目\t金额\n附表\t1.00\n\n项目\t预算数\n合计\t12.5\n\n"


def test_a_damaged_embedded_workbook_is_refused_naming_the_document(tmp_path, capsys):
    body = ('<w:p><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><o:OLEObject r:id="r1"/></w:object></w:r></w:p>')
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:   # (a workbook's parts named, its sheet damaged)
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    path = tmp_path / "b.docx"
    path.write_bytes(docx_of(body, {"word/embeddings/a.xlsx": workbook.getvalue(), "word/_rels/document.xml.rels":
                                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                    '<Relationship Id="r1" Target="embeddings/a.xlsx"/></Relationships>'}))
    assert main(["audit", str(path)]) == 2
    err = capsys.readouterr().err
    assert "b.docx (word/embeddings/a.xlsx)" in err and "Traceback" not in err


_LISTS = ('<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          '<w:abstractNum w:abstractNumId="0">'
          '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
          '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
          '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
          '<w:abstractNum w:abstractNumId="1">'
          '<w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl>'
          '</w:abstractNum>'
          '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
          '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
          '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/>'
          '</w:lvlOverride></w:num>'
          '<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
_STYLES = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
           '<w:style w:type="paragraph" w:styleId="H1x"><w:basedOn w:val="H1"/></w:style></w:styles>')


def _numbered(text: str, number: int | None = None, level: int = 0, style: str | None = None) -> str:
    properties = (f'<w:pStyle w:val="{style}"/>' if style else "") + (
        f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{number}"/></w:numPr>' if number is not None else "")
    return f"<w:p><w:pPr>{properties}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_numbered_paragraphs_are_written_with_the_numbers_word_draws():
    body = (_numbered("部门职责", 1) + _numbered("主要职能", 1, 1) + _numbered("机构设置", 1, 1)
            + _numbered("要点", 1, 2)                        # (a bullet: no label)
            + _numbered("预算说明", 2)                       # (another list of the same abstract one: goes on)
            + _numbered("收入", 2, 1)                        # (restarted under the new item)
            + _numbered("支出", style="H1x")                 # (numbered by its style, through basedOn)
            + _numbered("不编号", 0, style="H1")             # (numId 0: the style's numbering removed)
            + _numbered("重新开始", 3) + _numbered("接着", 3)    # (startOverride 10: 十、, 十一、)
            + _numbered("圈", 4) + _numbered("圈", 4) + _numbered("圈", 4)
            + f"<w:tbl><w:tr><w:tc>{_numbered('表中', 3)}</w:tc><w:tc><w:p><w:r><w:t>1.00</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            + _numbered("表后", 3))                          # (a list goes on through a table)
    text = docx.docx_text(docx_of(body, {"word/numbering.xml": _LISTS, "word/styles.xml": _STYLES}), "t.docx")
    assert [line for line in text.split("\n") if line] == [
        "一、部门职责", "1.1主要职能", "1.2机构设置", "要点", "二、预算说明", "2.1收入", "三、支出", "不编号",
        "十、重新开始", "十一、接着", "⑨圈", "⑩圈", "⑪圈", "十二、表中\t1.00", "十三、表后"]


@pytest.mark.parametrize("value, form, shown", [
    (11, "chineseCounting", "十一"), (20, "chineseCounting", "二十"), (101, "chineseCounting", "一百零一"),
    (1050, "chineseCountingThousand", "一千零五十"), (12, "chineseLegalSimplified", "拾贰"),
    (3, "ideographTraditional", "丙"), (28, "upperLetter", "BB"), (14, "lowerRoman", "xiv"),
    (7, "decimalFullWidth", "７"), (5, "decimalZero", "05"), (2, "decimalEnclosedParen", "⑵"),
])
def test_a_number_is_written_in_its_lists_format(value, form, shown):
    from fiscalrules.inputs.numbering import _formatted
    assert _formatted(value, form) == shown


def _cell(text: str, properties: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{properties}</w:tcPr>' if properties else ''}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


# (id, the body's WordprocessingML, the text it gives)
BODIES = [
    ("runs_tabs_and_breaks",
     "<w:p><w:r><w:t>收入 1,2</w:t></w:r><w:r><w:t>86.40 万元</w:t></w:r><w:r><w:tab/><w:t>较上年</w:t><w:br/>"
     "<w:t>增加</w:t></w:r></w:p><w:p><w:r><w:br w:type=\"page\"/><w:t>第二页</w:t></w:r></w:p>",
     "收入 1,286.40 万元\t较上年\n\n增加\n\n\f\n第二页\n\n"),
    ("a_header_over_two_rows",
     "<w:tbl><w:tr>" + _cell("科目编码", "<w:vMerge w:val=\"restart\"/>") + _cell("科目名称", "<w:vMerge w:val=\"restart\"/>")
     + _cell("本年预算", "<w:gridSpan w:val=\"3\"/>") + "</w:tr><w:tr>" + _cell("", "<w:vMerge/>")
     + _cell("", "<w:vMerge w:val=\"continue\"/>") + _cell("合计") + _cell("基本支出") + _cell("项目支出")
     + "</w:tr><w:tr>" + _cell("201") + _cell("一般公共服务支出") + _cell("10.00") + _cell("") + _cell("10.00")
     + "</w:tr></w:tbl>",
     "科目编码\t科目名称\t本年预算\n\t\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t\t10.00\n\n"),
    # (session 41: a paragraph's tab stops -- w:tab in its properties -- were read as tabs, making a
    # line of narrative a row of cells; deleted, moved-away and hidden text was read)
    ("what_word_does_not_show",
     '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>收入 1,1</w:t></w:r>'
     '<w:del><w:r><w:delText>50</w:delText></w:r></w:del><w:moveFrom><w:r><w:t>9.00</w:t></w:r></w:moveFrom>'
     '<w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏）</w:t></w:r><w:ins><w:r><w:t>60.00</w:t></w:r></w:ins>'
     '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t> 万元</w:t></w:r></w:p>',
     "收入 1,160.00 万元\n\n"),
    ("content_controls_and_a_huge_span",
     "<w:sdt><w:sdtContent><w:p><w:r><w:t>部门预算</w:t></w:r></w:p></w:sdtContent></w:sdt>"
     "<w:tbl><w:tr>" + _cell("x", "<w:gridSpan w:val=\"99999999\"/>") + _cell("1") + "</w:tr></w:tbl>",
     "部门预算\n\nx" + "\t" * 64 + "1\n\n"),
]


_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_BOX = ("<w:txbxContent><w:p><w:r><w:t>收入 1.00 万元</w:t></w:r></w:p><w:tbl><w:tr>" + _cell("合计") + _cell("2.00")
        + "</w:tr></w:tbl></w:txbxContent>")
BODIES += [
    # (a text box given twice -- a drawing, and VML for older readers: read once, its paragraphs
    # and table after the paragraph it is anchored in, not glued to its text: "正文收入 1.00 万元收入 1.00 万元续")
    ("a_text_box_given_two_ways",
     f"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent {_MC}><mc:Choice Requires=\"wps\"><w:drawing>{_BOX}"
     f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{_BOX}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
     "<w:r><w:t>续</w:t></w:r></w:p><w:p><w:r><w:t>后</w:t></w:r></w:p>",
     "正文续\n\n收入 1.00 万元\n\n合计\t2.00\n\n后\n\n"),
    # (rows and cells wrapped in content controls, as a form's template writes them, were not
    # read at all; a row beginning past the grid's first column had its cells a column left)
    ("rows_and_cells_in_content_controls_and_a_row_beginning_late",
     "<w:tbl><w:tr>" + _cell("科目") + _cell("名称") + _cell("金额") + "</w:tr>"
     "<w:sdt><w:sdtContent><w:tr>" + _cell("201") + "<w:sdt><w:sdtContent>" + _cell("一般公共服务支出")
     + "</w:sdtContent></w:sdt>" + _cell("10.00") + "</w:tr></w:sdtContent></w:sdt>"
     "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + _cell("小计") + _cell("10.00") + "</w:tr></w:tbl>",
     "科目\t名称\t金额\n201\t一般公共服务支出\t10.00\n\t小计\t10.00\n\n"),
    # (a negative amount's sign as Word's non-breaking hyphen, in a paragraph and in a cell: read
    # as "5.00" -- the .doc reader wrote its character as "-" already)
    ("a_non_breaking_hyphen_keeps_a_sign",
     "<w:p><w:r><w:t>增减 </w:t><w:noBreakHyphen/><w:t>5.00 万元</w:t></w:r></w:p>"
     "<w:tbl><w:tr>" + _cell("合计") + "<w:tc><w:p><w:r><w:noBreakHyphen/><w:t>5.00</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
     "增减 -5.00 万元\n\n合计\t-5.00\n\n"),
    # (a text box in a cell was read three times -- glued into its paragraph's text, then its
    # paragraphs again, then its fallback copy's -- and a tab in a cell glued two figures together)
    ("a_text_box_and_a_tab_in_a_cell",
     "<w:tbl><w:tr>" + _cell("合计") + f"<w:tc><w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent {_MC}>"
     f"<mc:Choice Requires=\"wps\"><w:drawing>{_BOX}</w:drawing></mc:Choice><mc:Fallback><w:pict>{_BOX}</w:pict>"
     "</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>续</w:t></w:r></w:p></w:tc>"
     "<w:tc><w:p><w:r><w:t>一般公共</w:t><w:br/><w:t>预算</w:t><w:tab/><w:t>1.00</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
     "合计\t正文续 收入 1.00 万元 合计 2.00\t一般公共预算 1.00\n\n"),
    ("text_boxes_nested_thousands_deep",   # (a stack of walks: no recursion, no E799)
     "<w:p><w:r><w:t>甲</w:t></w:r>" + "<w:r><w:drawing><w:txbxContent><w:p>" * 3000 + "<w:r><w:t>乙</w:t></w:r>"
     + "</w:p></w:txbxContent></w:drawing></w:r>" * 3000 + "</w:p>",
     "甲\n\n乙\n\n"),
]


@pytest.mark.parametrize("name, body, text", BODIES, ids=[b[0] for b in BODIES])
def test_a_body_is_written_out_as_text_by_paragraphs_and_rows(name, body, text):
    assert docx.docx_text(docx_of(body), "t.docx") == text


BOMB = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        '<w:t>&b;</w:t></w:r></w:p></w:body></w:document>')


def _zip(parts: dict) -> bytes:
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _damaged_deflate() -> bytes:
    """The example as a .docx, bytes of its body's compressed data flipped (its zip directory whole)."""
    data = bytearray(word_document(EXAMPLE.read_text(encoding="utf-8")))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for at in range(start + 40, start + 60):
        data[at] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("data, says", [
    (_zip({"word/document.xml": BOMB}), "declares a DTD or entities, which no Word document does"),
    (_zip({"word/document.xml": "<w:document"}), "is a damaged Word document"),
    (_zip({"word/document.xml": "<w:document xmlns:w='x'/>", "word/numbering.xml": BOMB}),
     "declares a DTD or entities, which no Word document does"),
    (_zip({"word/document.xml": "<w:document xmlns:w='x'/>", "word/styles.xml": "<w:styles"}), "is a damaged Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old binary Excel or Word file (.xls, .doc)"),
    # (its body's compressed data damaged: zlib's error escaped, "an internal error, a defect")
    (_damaged_deflate(), "is a damaged Word document (Error -3 while decompressing data"),
    # (an encoding no codec reads: LookupError escaped likewise)
    (_zip({"word/document.xml": '<?xml version="1.0" encoding="UTFG8"?><w:document/>'}),
     "is a damaged Word document (its XML declaration names an encoding that cannot be read"),
], ids=["entity_bomb", "damaged", "numbering_bomb", "damaged_styles", "old_doc", "damaged_deflate", "unknown_encoding"])
def test_a_hostile_or_damaged_word_file_is_refused_naming_it(tmp_path, capsys, data, says):
    path = tmp_path / "budget.docx"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=re.escape(says)):
        open_document(path)
    assert main(["audit", "--no-progress", "--lang", "en", str(path)]) == 2
    err = capsys.readouterr().err
    assert "budget.docx" in err and "Traceback" not in err


def test_content_controls_nested_thousands_deep_are_read_not_an_internal_error():
    """(Session 41) Read by recursion, 5,000 nested w:sdt were a RecursionError: E799, "a defect"."""
    body = "<w:sdt>" * 5000 + "<w:p><w:r><w:t>部门预算</w:t></w:r></w:p>" + "</w:sdt>" * 5000
    assert docx.docx_text(docx_of(body), "t.docx") == "部门预算\n\n"


def test_a_word_file_unpacking_beyond_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(docx, "MAX_UNPACKED", 100)
    with pytest.raises(ReaderError, match="unpacks to .* bytes, more than the 100 a Word document may"):
        open_document(word_document("部门预算\n合计\t1.00"), "t.docx")
