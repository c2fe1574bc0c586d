"""The national tables published as an Excel workbook (fiscalrules/inputs/xlsx.py): a page a
sheet, a tab-separated line a row, numbers as their formats show them.

Session 33: a workbook was refused as "a binary file, not text".  The fictional example
(examples/bureau_2025.txt) put into a workbook cell by cell -- its amounts as numbers with a
``#,##0.00`` format, as a spreadsheet holds them -- must read every figure of its text and fail
the same rules; sheets with merged title and header cells, percentages and bare numbers are cases
as data below.
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra, in the test extra) reads workbooks")

from fiscalrules.cli import main  # noqa: E402
from fiscalrules.errors import ReaderError  # noqa: E402
from fiscalrules.inputs import open_document  # noqa: E402
from fiscalrules.inputs import xlsx  # noqa: E402
from record_figures import EXAMPLE, assert_reads_as_the_example  # noqa: E402



def workbook_of(text: str) -> bytes:
    """*text* in one sheet, a line a row and a tab-separated cell a cell; a decimal number a
    number cell with as many decimals in its format (as a spreadsheet holds an amount)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "部门预算"
    for r, line in enumerate(text.split("\n"), 1):
        for c, cell in enumerate(line.split("\t"), 1):
            if re.fullmatch(r"-?\d+\.\d+", cell):
                sheet.cell(r, c, float(cell)).number_format = "#,##0." + "0" * len(cell.split(".")[1])
            elif cell:
                sheet.cell(r, c, cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()



def test_the_example_as_a_workbook_reads_as_its_text(tmp_path, capsys):
    path = tmp_path / "bureau_2025.xlsx"
    path.write_bytes(workbook_of(EXAMPLE.read_text(encoding="utf-8")))
    assert_reads_as_the_example(path, capsys)


def _sheet(build) -> str:
    book = openpyxl.Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return xlsx.xlsx_text(out.getvalue(), "t.xlsx")


def _national_table(sheet):
    sheet.title = "Sheet1"
    sheet["A1"] = "一般公共预算支出表"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "单位：万元"
    sheet["A3"], sheet["C3"] = "科目", "本年预算"
    sheet.merge_cells("A3:B3")
    sheet.merge_cells("C3:E3")
    for column, word in zip("ABCDE", ("科目编码", "科目名称", "合计", "基本支出", "项目支出")):
        sheet[f"{column}4"] = word
    sheet.append(["201", "一般公共\n服务支出", 10, 7.5, 2.5])
    for cell in sheet[5][2:]:
        cell.number_format = "#,##0.00"


def _formats(sheet):
    sheet.title = "收支总表"
    sheet.append(["增长率", 0.0725, 0.1 + 0.2, 0.1 + 0.2, 1286.4, 12, 2.5])
    for cell, number_format in zip(sheet[1][1:], ("0.00%", "General", "0.00", "#,##0.000", "0", "0")):
        cell.number_format = number_format


# (id, how the sheet is built, the text it gives)
SHEETS = [
    ("a_national_table_with_merged_title_and_header", _national_table,
     "一般公共预算支出表\n单位：万元\n科目\t\t本年预算\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
     "201\t一般公共 服务支出\t10.00\t7.50\t2.50\n"),
    ("numbers_as_their_formats_show_them_and_a_sheet_named_as_a_table", _formats,
     "收支总表\n增长率\t7.25%\t0.3\t0.30\t1286.400\t12\t3\n"),
]


@pytest.mark.parametrize("name, build, text", SHEETS, ids=[s[0] for s in SHEETS])
def test_a_sheet_is_written_out_as_text_a_line_a_row(name, build, text):
    assert _sheet(build) == text


def test_each_sheet_is_a_page():
    def two(sheet):
        sheet.append(["收入预算表"])
        other = sheet.parent.create_sheet("支出")
        other.append(["支出预算表"])
    assert _sheet(two) == "收入预算表\n\f\n支出预算表\n"
    book = openpyxl.Workbook()
    book.active.append(["收入预算表"])
    book.create_sheet("支出").append(["支出预算表"])
    out = io.BytesIO()
    book.save(out)
    assert len(open_document(out.getvalue(), "t.xlsx").pages) == 2


def test_what_excel_does_not_show_is_not_read():
    """A published workbook's hidden sheets, rows and columns (a lookup sheet, the working figures
    of a table) are not printed; read, they were figures the disclosure does not show."""
    book = openpyxl.Workbook()
    shown = book.active
    for row in (["科目", "草稿", "金额"], ["201", "9,999.00", "10.00"], ["隐藏行", "", "99.00"], ["合计", "", "10.00"]):
        shown.append(row)
    shown.column_dimensions["B"].hidden = True
    shown.row_dimensions[3].hidden = True
    book.create_sheet("数据源").append(["不显示的表", "88.00"])
    book["数据源"].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    assert xlsx.xlsx_text(out.getvalue(), "t.xlsx") == "科目\t金额\n201\t10.00\n合计\t10.00\n"


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "damaged old binary Excel or Word file (.xls, .doc)"),   # (test_input_xls.py)
    (_zip({"content.xml": "<office:document/>"}), "is a zip archive of other files, not a document"),   # an .ods
    (b"PK\x03\x04" + b"\x01" * 300, "is a damaged zip file"),                                 # no zip at all
    (_zip({"xl/workbook.xml": "not xml", "[Content_Types].xml": "x"}), "is a damaged Excel workbook"),
], ids=["old_xls", "other_zip", "not_a_zip", "damaged_workbook"])
def test_what_is_no_workbook_or_a_damaged_one_is_refused_naming_the_file(tmp_path, capsys, data, says):
    path = tmp_path / "tables.xlsx"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=re.escape(says)):
        open_document(path)
    assert main(["audit", "--no-progress", str(path)]) == 2
    err = capsys.readouterr().err
    assert "tables.xlsx" in err and "Traceback" not in err


def test_a_workbook_unpacking_beyond_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UNPACKED", 1000)
    data = workbook_of("收入预算表\n合计\t1.00")
    with pytest.raises(ReaderError, match="unpacks to .* bytes, more than the 1,000 a workbook may"):
        open_document(data, "t.xlsx")


@pytest.mark.parametrize("module, name, extra", [("openpyxl", "t.xlsx", "xlsx"), ("xlrd", "t.xls", "xls")])
def test_without_its_library_a_workbook_asks_for_its_extra(tmp_path, capsys, monkeypatch, module, name, extra):
    path = tmp_path / name
    # (an .xls: any OLE2 compound document -- the library is asked for before its bytes are read)
    path.write_bytes(workbook_of("收入预算表\n合计\t1.00") if extra == "xlsx" else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    monkeypatch.setitem(sys.modules, module, None)   # (import raises ImportError)
    assert main(["audit", "--no-progress", str(path)]) == 2
    err = capsys.readouterr().err
    assert f'pip install "fiscalrules[{extra}]"' in err and "E703" in err


def _with_total_as_formulas(saved: bool, hide: bool = False) -> bytes:
    """The example's workbook with the 一般公共预算支出表's 合计 row written as formulas -- as a
    budget system's export or a script writes them: no value saved (*saved*: the values Excel
    saves with them put in); *hide*: that row hidden."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_of(EXAMPLE.read_text(encoding="utf-8"))))
    sheet = book.active
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "合计" and sheet.cell(r, 3).value == 1150)
    for column in "CDE":
        sheet[f"{column}{row}"] = f"=SUM({column}{row + 1}:{column}{row + 17})"
    sheet.row_dimensions[row].hidden = hide
    out = io.BytesIO()
    book.save(out)
    if not saved:
        return out.getvalue()
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(packed, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for value in (b"1150", b"880", b"270"):   # (openpyxl writes "<v></v>" with lxml, "<v />" without)
                    part = re.sub(rb"</f><v(?:></v>|\s*/>)", b"</f><v>" + value + b"</v>", part, count=1)
            target.writestr(info, part)
    return packed.getvalue()


def test_formulas_saved_without_their_values_are_listed_not_silently_blank(tmp_path, capsys):
    # (the 合计 row's three figures read blank: coverage said 195 of 195 and nine checks of the
    # table fell silent -- nothing told the auditor the total was never in the file)
    path = tmp_path / "export.xlsx"
    path.write_bytes(_with_total_as_formulas(saved=False))
    assert main(["extract", str(path)]) == 0
    unread = [entry["reason"] for entry in json.loads(capsys.readouterr().out)["_meta"]["unread"]]
    assert [reason for reason in unread if "formulas" in reason] == [
        "sheet 部门预算: formulas saved without their values, read as blank cells: C44, D44, E44; "
        "open the workbook in Excel or WPS and save it, then read it again"]
    main(["audit", "--fail-on", "never", str(path)])
    assert "工作表 部门预算：公式未保存计算结果，按空白单元格读取：C44, D44, E44" in capsys.readouterr().out


@pytest.mark.parametrize("saved, hide", [(True, False), (False, True)], ids=["values_saved", "row_hidden"])
def test_formulas_with_their_values_or_out_of_sight_are_no_note(saved, hide):
    notes: list = []
    text = xlsx.xlsx_text(_with_total_as_formulas(saved, hide), "t.xlsx", notes=notes)
    assert notes == []
    assert bool(re.search(r"\t合计\t1,?150\.00\t880\.00\t270\.00", text)) is saved


def test_a_formula_whose_saved_value_is_empty_text_is_no_note():
    # (=IF(A1=0,"",A1), a template hiding its zeros: Excel saves the "" as t="str" and an empty
    # <v> -- a value, not one missing; openpyxl reads both as None)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_with_total_as_formulas(saved=False))) as source, zipfile.ZipFile(packed, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<c r="C44" s="1">', b'<c r="C44" s="1" t="str">')
            target.writestr(info, part)
    notes: list = []
    xlsx.xlsx_text(packed.getvalue(), "t.xlsx", notes=notes)
    assert notes == [(1, "部门预算", ["D44", "E44"])]


@pytest.mark.parametrize("saved", [True, False])
def test_a_damaged_part_no_sheet_names_is_passed_over_as_before(saved):
    # (the search for formulas reads every sheet part: one no sheet names, damaged, raised zipfile's
    # BadZipFile as an internal error; the workbook is read as it was, its notes the same)
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_with_total_as_formulas(saved))) as source, zipfile.ZipFile(packed, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/worksheets/junk.xml", b"<f" * 2000 + b"<f/>" + b" " * 2000)
    data = bytearray(packed.getvalue())
    data[data.find(b"<f<f<f") + 100] = ord("x")
    notes: list = []
    xlsx.xlsx_text(bytes(data), "t.xlsx", notes=notes)
    assert notes == ([] if saved else [(1, "部门预算", ["C44", "D44", "E44"])])
