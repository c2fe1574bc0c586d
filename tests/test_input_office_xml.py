"""Office documents saved as one XML file (fiscalrules/inputs/office_xml.py): Word 2003's XML
document, Word's flat package (Flat OPC) and Excel 2003's XML spreadsheet, read as the Word
document or workbook they are.

Budget and finance systems generate their "Word" and "Excel" exports in these forms from
templates, usually named ``.doc`` and ``.xls``.  Before, such a file was read as text (tags, no
figures: "does not look like a budget disclosure") or, named ``.xls``, refused as a damaged
workbook.  The fictional example in each form must read the same figures and fail the same rules
as its text; merges, hidden cells, number formats and hostile files are cases below.
"""

from __future__ import annotations

import pytest
from published_forms import flat_word_xml, numbered_word_document, word_2003_xml, xml_spreadsheet
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs.office_xml import office_xml_kind, office_xml_text


@pytest.mark.parametrize("form, name", [
    (word_2003_xml, "bureau_2025.doc"),                                    # its headings numbered by Word
    (lambda text: b"\xff\xfe" + xml_spreadsheet(text).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
     .encode("utf-16-le"), "bureau_2025.xls"),                             # saved in UTF-16
    (lambda text: flat_word_xml(numbered_word_document(text)), "bureau_2025.doc"),
    (xml_spreadsheet, "bureau_2025.xls"),
])
def test_the_example_as_office_xml_reads_as_its_text(tmp_path, capsys, form, name):
    path = tmp_path / name
    path.write_bytes(form(EXAMPLE.read_text(encoding="utf-8")))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


_SPREADSHEET = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-'
                'com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:x="urn:schemas-'
                'microsoft-com:office:excel" xmlns:html="http://www.w3.org/TR/REC-html40"><Styles>'
                '<Style ss:ID="Default"/><Style ss:ID="two"><NumberFormat ss:Format="0.00"/></Style>'
                '<Style ss:ID="bold" ss:Parent="two"/><Style ss:ID="pct"><NumberFormat ss:Format="Percent"/></Style>'
                '<Style ss:ID="loop" ss:Parent="loop2"/><Style ss:ID="loop2" ss:Parent="loop"/></Styles>{}</Workbook>')


def _number(value: str, style: str = "") -> str:
    return f'<Cell{f" ss:StyleID={chr(34)}{style}{chr(34)}" if style else ""}><Data ss:Type="Number">{value}</Data></Cell>'


def _text(value: str, extra: str = "") -> str:
    return f'<Cell{extra}><Data ss:Type="String">{value}</Data></Cell>'


# (id, the worksheets, the text they give)
SHEETS = [
    # (a title merged across the table, a header cell over three columns, a cell placed after empty
    # ones by ss:Index, numbers as their styles show them -- a parent's format inherited)
    ("merges_indexes_and_formats",
     '<Worksheet ss:Name="一般公共预算支出表"><Table>'
     '<Row>' + _text("一般公共预算支出表", ' ss:MergeAcross="4"') + '</Row>'
     '<Row ss:Index="3">' + _text("科目", ' ss:MergeAcross="1"') + _text("本年预算", ' ss:MergeAcross="2"') + '</Row>'
     '<Row>' + _text("201") + _text("一般公共服务支出") + _number("1286.4", "bold") + '<Cell ss:Index="5">'
     '<Data ss:Type="Number">10</Data></Cell>' + _number("0.0463", "pct") + _number("7", "loop") + '</Row>'
     '<Row>' + _text("合计") + '<Cell ss:Index="3"><Data ss:Type="Boolean">1</Data></Cell>'
     '<Cell><ss:Data ss:Type="String"><html:B>收</html:B>入  合计</ss:Data></Cell>' + _number("1E+999999", "two") + '</Row>'
     '</Table></Worksheet>',
     "一般公共预算支出表\n\n科目\t\t本年预算\n201\t一般公共服务支出\t1286.40\t\t10\t4.63%\t7\n合计\t\t是\t收入 合计\n"),
    # (a hidden sheet, row and column are not shown: left out)
    ("what_excel_does_not_show",
     '<Worksheet ss:Name="草稿"><Table><Row>' + _text("9.99") + '</Row></Table><WorksheetOptions xmlns="urn:schemas-'
     'microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>'
     '<Worksheet ss:Name="Sheet1"><Table><Column ss:Index="2" ss:Hidden="1"/><Row>' + _text("合计") + _number("8.88")
     + _number("1", "two") + '</Row><Row ss:Hidden="1">' + _text("隐藏") + '</Row></Table></Worksheet>',
     "合计\t1.00\n"),
]


@pytest.mark.parametrize("name, sheets, text", SHEETS, ids=[s[0] for s in SHEETS])
def test_a_spreadsheet_is_written_out_as_a_workbook_is(name, sheets, text):
    assert office_xml_text(_SPREADSHEET.format(sheets).encode(), "t.xls") == text


_WORD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
         '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:wx="http://schemas.'
         'microsoft.com/office/word/2003/auxHint"><w:body><wx:sect>{}</wx:sect></w:body></w:wordDocument>')


def test_a_word_2003_document_reads_as_a_docx_with_its_merges_hidden_text_and_numbers():
    body = ('<w:p><w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="2"/><wx:t wx:val="（一）"/></w:listPr></w:pPr>'
            '<w:r><w:t>收入 1,1</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏）</w:t></w:r><w:r><w:t>60.00 万元'
            '</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:vmerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>科目</w:t>'
            '</w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>本年预算</w:t></w:r></w:p>'
            '</w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vmerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>合计</w:t></w:r>'
            '</w:p></w:tc><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            '<w:p><w:r><w:pict><w:binData w:name="wordml://1.png">iVBORw0KGgo=</w:binData></w:pict></w:r></w:p>')
    assert office_xml_text(_WORD.format(body).encode(), "t.doc") == "（一）收入 1,160.00 万元\n\n科目\t本年预算\n\t合计\t项目\n\n"


@pytest.mark.parametrize("head, kind", [
    (b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument', "word2003"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">',
     "flat"),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "excel2003"),
    (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Word.Document</body></html>', None),
    (b"<w:wordDocument>", None),   # (no XML declaration: not an Office XML file)
])
def test_the_format_is_told_by_the_first_bytes(head, kind):
    assert office_xml_kind(head) == kind


@pytest.mark.parametrize("data, says", [
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><?mso-application progid="Excel.Sheet"?><Workbook/>',
     "declares a DTD or entities"),
    (_SPREADSHEET.format("<Worksheet><Table><Row>").encode(), "is a damaged Office XML document"),
    (_SPREADSHEET.format("").replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTFG8"?>').encode(),
     "names an encoding that cannot be read"),
    (_SPREADSHEET.format('<Worksheet><Table><Row><Cell ss:Index="99999999"/></Row></Table></Worksheet>').encode(),
     "places a cell or row at 99,999,999"),
    (_SPREADSHEET.format('<Worksheet><Table><Row ss:Index="5"/><Row ss:Index="2"/></Table></Worksheet>').encode(),
     "before the one it follows"),
    (_SPREADSHEET.format("<Worksheet><Table>" + '<Row><Cell ss:Index="16384"/></Row>' * 200 + "</Table></Worksheet>").encode(),
     "has sheets of more than 2,000,000 cells"),
    (b'<?xml version="1.0"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">'
     b'<pkg:part pkg:name="/word/styles.xml"><pkg:xmlData><a/></pkg:xmlData></pkg:part></pkg:package>',
     "is a Word XML package holding no document"),
])
def test_a_hostile_or_damaged_file_is_refused_naming_it(tmp_path, capsys, data, says):
    with pytest.raises(ReaderError, match=says):
        office_xml_text(data, "t.xls")
    path = tmp_path / "t.xls"
    path.write_bytes(data)
    assert main(["audit", "--no-progress", "--lang", "en", str(path)]) == 2
    err = capsys.readouterr().err
    assert says.split(" 99")[0] in err and "Traceback" not in err


def test_a_spreadsheets_formulas_without_their_values_are_listed(tmp_path, capsys):
    # (a generated XML spreadsheet's 合计 row as ss:Formula cells with no Data: read blank, and
    # nothing said -- as in an .xlsx, each such sheet is listed as not read, its cells named)
    data = xml_spreadsheet(EXAMPLE.read_text(encoding="utf-8")).decode("utf-8")
    row = '<Cell ss:StyleID="n2"><Data ss:Type="Number">1150.00</Data></Cell><Cell ss:StyleID="n2"><Data ss:Type="Number">880.00</Data>'
    assert data.count(row) == 1
    data = data.replace(row, '<Cell ss:Formula="=SUM(R[1]C:R[17]C)"/><Cell ss:StyleID="n2" ss:Formula="=SUM(R[1]C:R[17]C)"><Data ss:Type="Number">880.00</Data>')
    path = tmp_path / "export.xls"
    path.write_text(data, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("sheet 部门预算: formulas saved without their values, read as blank cells: C44; open the workbook in Excel "
            "or WPS and save it, then read it again") in out     # (D44 holds its value: no note)
