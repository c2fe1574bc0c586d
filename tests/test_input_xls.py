"""The national tables published as an old binary Excel workbook (.xls, Excel 97-2003:
fiscalrules/inputs/xls.py): a page a sheet, a tab-separated line a row, numbers as their formats
show them -- as a .xlsx workbook reads (tests/test_input_xlsx.py).

Session 34: a .xls file -- what many portals still attach -- was refused ("an old binary Excel or
Word file: save it as .xlsx first").  The fictional example (examples/bureau_2025.txt) put into
an .xls workbook cell by cell (xlwt, in the test extra), its amounts number cells with a
``#,##0.00`` format, must read every figure of its text and fail the same rules; sheets with
merged cells, dates, flags and error cells are cases as data; another OLE2 file, a damaged or cut file
and one beyond the cell bound are refused naming the file (exit 2, no traceback).
"""

from __future__ import annotations

import datetime
import io
import re

import pytest

xlwt = pytest.importorskip("xlwt", reason="xlwt (in the test extra) writes the .xls workbooks read here")
pytest.importorskip("xlrd", reason="xlrd (the xls extra, in the test extra) reads .xls workbooks")

from fiscalrules.cli import main  # noqa: E402
from fiscalrules.errors import ReaderError  # noqa: E402
from fiscalrules.inputs import open_document, xls  # noqa: E402
from fiscalrules.inputs.sheets import number_text  # noqa: E402
from record_figures import EXAMPLE, assert_reads_as_the_example  # noqa: E402



def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_of(text: str) -> bytes:
    """*text* in one sheet, a line a row and a tab-separated cell a cell; a decimal number a
    number cell with as many decimals in its format (as a spreadsheet holds an amount)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("部门预算")
    styles: dict = {}
    for r, line in enumerate(text.split("\n")):
        for c, cell in enumerate(line.split("\t")):
            if re.fullmatch(r"-?\d+\.\d+", cell):
                places = len(cell.split(".")[1])
                style = styles.get(places) or styles.setdefault(places, xlwt.easyxf(num_format_str="#,##0." + "0" * places))
                sheet.write(r, c, float(cell), style)
            elif cell:
                sheet.write(r, c, cell)
    return _saved(book)


@pytest.mark.parametrize("suffix", [".xls", ".et"])   # (.et: WPS Spreadsheets' file of the same format)
def test_the_example_as_an_xls_workbook_reads_as_its_text(tmp_path, capsys, suffix):
    path = tmp_path / f"bureau_2025{suffix}"
    path.write_bytes(xls_of(EXAMPLE.read_text(encoding="utf-8")))
    assert_reads_as_the_example(path, capsys)


def _sheet_text(build) -> str:
    book = xlwt.Workbook(encoding="utf-8")
    build(book)
    return xls.xls_text(_saved(book), "t.xls")


def _national_table(book):
    sheet = book.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, 4, "一般公共预算支出表")
    sheet.write(1, 0, "单位：万元")
    sheet.write_merge(2, 2, 0, 1, "科目")
    sheet.write_merge(2, 2, 2, 4, "本年预算")
    for c, word in enumerate(("科目编码", "科目名称", "合计", "基本支出", "项目支出")):
        sheet.write(3, c, word)
    amount = xlwt.easyxf(num_format_str="#,##0.00")
    sheet.write(4, 0, "201")
    sheet.write(4, 1, "一般公共\n服务支出")
    for c, value in enumerate((10, 7.5, 2.5), 2):
        sheet.write(4, c, value, amount)


def _formats(book):
    sheet = book.add_sheet("收支总表")
    sheet.write(0, 0, "增长率")
    for c, (value, number_format) in enumerate(((0.0725, "0.00%"), (0.1 + 0.2, "General"), (0.1 + 0.2, "0.00"),
                                                (1286.4, "#,##0.000"), (12.0, "General"), (2.5, "0"),
                                                (1e30, "0.00")), 1):
        sheet.write(0, c, value, xlwt.easyxf(num_format_str=number_format))


def _other_cells(book):
    sheet = book.add_sheet("说明")
    sheet.write(0, 0, datetime.date(2025, 1, 15), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    sheet.write(0, 1, True)
    sheet.write(0, 2, xlwt.Formula("1/0"))      # (no value saved: a blank, as Excel's #DIV/0!)
    sheet.write(0, 4, "  公开  说明  ")
    sheet.write(2, 0, "后")                      # (an empty row between: one blank line)


# (id, how the workbook is built, the text it gives)
SHEETS = [
    ("a_national_table_with_merged_title_and_header", _national_table,
     "一般公共预算支出表\n单位：万元\n科目\t\t本年预算\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
     "201\t一般公共 服务支出\t10.00\t7.50\t2.50\n"),
    ("numbers_as_their_formats_show_them_and_a_sheet_named_as_a_table", _formats,
     "收支总表\n增长率\t7.25%\t0.30000000000000004\t0.30\t1286.400\t12\t3\t1000000000000000000000000000000.00\n"),
    ("a_date_a_flag_an_error_and_spaced_text", _other_cells, "2025-01-15\t是\t\t\t公开 说明\n\n后\n"),
]


@pytest.mark.parametrize("name, build, text", SHEETS, ids=[s[0] for s in SHEETS])
def test_a_sheet_is_written_out_as_text_a_line_a_row(name, build, text):
    assert _sheet_text(build) == text


def test_each_sheet_is_a_page():
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("收入").write(0, 0, "收入预算表")
    book.add_sheet("支出").write(0, 0, "支出预算表")
    data = _saved(book)
    assert xls.xls_text(data, "t.xls") == "收入预算表\n\f\n支出预算表\n"
    assert len(open_document(data, "t.xls").pages) == 2


def test_what_excel_does_not_show_is_not_read():
    """A published workbook's hidden sheets, rows and columns are not printed: not read."""
    book = xlwt.Workbook(encoding="utf-8")
    shown = book.add_sheet("收入")
    for r, row in enumerate((["科目", "草稿", "金额"], ["201", "9,999.00", "10.00"], ["隐藏行", "", "99.00"],
                             ["合计", "", "10.00"])):
        for c, text in enumerate(row):
            shown.write(r, c, text)
    shown.col(1).hidden = True
    shown.row(2).hidden = True
    hidden = book.add_sheet("数据源")
    hidden.write(0, 0, "不显示的表")
    hidden.visibility = 1
    assert xls.xls_text(_saved(book), "t.xls") == "科目\t金额\n201\t10.00\n合计\t10.00\n"


def test_a_number_too_long_for_the_default_decimal_context_is_written_not_raised():
    # (quantize in the default context raised InvalidOperation past 28 digits: the .xlsx reader
    # let it escape for a cell of 1e30 in a "0.00" format)
    assert number_text(1e30, "0.00") == "1" + "0" * 30 + ".00"
    assert number_text(-1.5e300, "#,##0") == "-15" + "0" * 299
    assert number_text(12.0, "General") == "12" and number_text(0.5, "General") == "0.5"
    # (a format asking for a thousand decimals: Excel's most, 30)
    assert number_text(-1.5e300, "0." + "0" * 1000) == "-15" + "0" * 299 + "." + "0" * 30


def _other_ole() -> bytes:
    """An OLE2 compound document holding neither a workbook nor a Word document (a PowerPoint
    file, an Outlook message): a .xls whose ``Workbook`` stream is renamed in its directory (the
    name is UTF-16 there)."""
    book = xlwt.Workbook()
    book.add_sheet("a").write(0, 0, "x")
    data = _saved(book)
    name = "Workbook".encode("utf-16-le")
    assert data.count(name) == 1
    return data.replace(name, "Contents".encode("utf-16-le"))


def _cut() -> bytes:
    data = xls_of("收入预算表\n合计\t1.00\n" * 50)
    return data[:len(data) // 2]


def _damaged_workbook() -> bytes:
    """A .xls whose compound document is whole and whose workbook stream begins with junk."""
    data = bytearray(xls_of("收入预算表\n合计\t1.00\n" * 50))
    data[512:576] = b"\xff" * 64   # (the first sector: the workbook's first records)
    return bytes(data)


@pytest.mark.parametrize("data, says, in_chinese", [
    (_other_ole(), "is an OLE2 file holding neither a workbook nor a Word document", "既没有工作簿也没有 Word 文档"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "is a damaged old binary Excel or Word file (.xls, .doc)",
     "是损坏的旧版二进制 Excel 或 Word 文件"),
    # (cut before its directory names a workbook: no telling a .xls from a .doc)
    (_cut(), "is a damaged old binary Excel or Word file (.xls, .doc)", "是损坏的旧版二进制 Excel 或 Word 文件"),
    (_damaged_workbook(), "is a damaged Excel workbook", "是损坏的 Excel 工作簿"),
], ids=["another_ole_file", "a_damaged_header", "a_cut_file", "a_damaged_workbook"])
def test_another_ole_file_or_a_damaged_xls_is_refused_naming_the_file(tmp_path, capsys, data, says, in_chinese):
    path = tmp_path / "tables.xls"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=re.escape(says)):
        open_document(path)
    assert main(["audit", "--no-progress", str(path)]) == 2   # (in Chinese, the default)
    err = capsys.readouterr().err
    assert "tables.xls" in err and in_chinese in err and "Traceback" not in err
    assert main(["audit", "--lang", "en", "--no-progress", str(path)]) == 2
    assert says in capsys.readouterr().err


def test_a_workbook_beyond_the_cell_bound_is_refused(monkeypatch):
    monkeypatch.setattr(xls, "MAX_CELLS", 10)
    with pytest.raises(ReaderError, match=r"has sheets of more than 10 cells \(sheet '部门预算' spans"):
        open_document(xls_of("收入预算表\n合计\t1.00\n" * 6), "t.xls")
