"""A disclosure saved as Rich Text Format (fiscalrules/inputs/rtf.py): its paragraphs and tables
in order, read as the text disclosure it prints.

Word and WPS save RTF, and budget systems export their "Word" documents as RTF, often named
``.doc``.  Before, such a file was read as text: its control words and hex-escaped GBK bytes gave
no figures at all.  The fictional example written as Word writes RTF -- GBK bytes and Unicode
characters with their fallbacks, runs in groups of their own, tables as ``\\trowd`` rows of
``\\intbl`` cells -- must read the same figures and fail the same rules as its text; what Word does
not show, wide header cells, nesting and hostile files are cases below.
"""

from __future__ import annotations

import pytest
from published_forms import rtf_characters, rtf_document
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.inputs import open_document
from fiscalrules.inputs.rtf import rtf_text


@pytest.mark.parametrize("name", ["bureau_2025.rtf", "bureau_2025.doc"])   # (exported as RTF under a .doc name)
def test_the_example_as_rtf_reads_as_its_text(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(rtf_document(EXAMPLE.read_text(encoding="utf-8")))
    from_rtf = assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))
    assert from_rtf["_meta"]["coverage"]["lines"]["silent"] == 0


def _rtf(body: str) -> bytes:
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\n" + body + "}").encode("ascii")


def _cells(*texts: str, edges=None) -> str:
    edges = edges or [1000 * (i + 1) for i in range(len(texts))]
    return ("\\trowd" + "".join(f"\\cellx{edge}" for edge in edges) + "\\pard\\intbl "
            + "".join(f"{rtf_characters(text)}\\cell " for text in texts) + "\\row ")


# (id, the RTF body, the text it gives)
BODIES = [
    ("paragraphs_tabs_breaks_and_pages",
     "\\pard " + rtf_characters("收入 1,2") + "{\\b 86.40}" + rtf_characters(" 万元\t较上年") + "\\line "
     + rtf_characters("增加") + "\\par \\pard\\page " + rtf_characters("第二页") + "\\par ",
     "收入 1,286.40 万元\t较上年\n\n增加\n\n\f\n第二页\n\n"),
    # (a header cell as wide as three columns below it: followed by two empty cells, so that
    # 本年预算 stands over 合计 and the rows' figures under their columns)
    ("a_header_cell_over_three_columns",
     _cells("科目编码", "科目名称", "本年预算", "备注", edges=[1000, 3000, 6000, 7000])
     + _cells("", "", "合计", "基本支出", "项目支出", "", edges=[1000, 3000, 4000, 5000, 6000, 7000])
     + _cells("201", "一般公共服务支出", "10.00", "", "10.00", edges=[1000, 3000, 4000, 5000, 6000])
     + "\\pard " + rtf_characters("表后") + "\\par ",
     "科目编码\t科目名称\t本年预算\t\t\t备注\n\t\t合计\t基本支出\t项目支出\n201\t一般公共服务支出\t10.00\t\t10.00\n\n表后\n\n"),
    # (rows typed apart, their edges a few twips off the others' -- within a point: the same
    # columns, no empty cell between; a table set in by \trleft: its first cell as wide as it is)
    ("rows_typed_apart_and_a_table_set_in",
     _cells("科目名称", "合计", "基本支出", edges=[3000, 4000, 5000])
     + _cells("一般公共服务支出", "10.00", "10.00", edges=[3012, 3990, 5008])
     + "\\pard\\par "
     + "\\trowd\\trleft2000\\cellx3000\\cellx4000\\pard\\intbl " + rtf_characters("合计") + "\\cell 1.00\\cell \\row "
     + "\\trowd\\trleft2000\\cellx2500\\cellx3000\\cellx4000\\pard\\intbl a\\cell b\\cell 2.00\\cell \\row ",
     "科目名称\t合计\t基本支出\n一般公共服务支出\t10.00\t10.00\n\n合计\t\t1.00\na\tb\t2.00\n\n"),
    # (hidden text, text deleted with changes tracked, a field's instruction, an ignorable group,
    # a footnote, a header, a picture -- its data holding braces and a backslash, as \bin bytes)
    ("what_word_does_not_show",
     "\\pard " + rtf_characters("收入 1,1") + "{\\v " + rtf_characters("（隐藏）") + "}{\\deleted 50}"
     + "{\\field{\\*\\fldinst PAGE \\\\* MERGEFORMAT}{\\fldrslt 60.00}}"
     + "{\\*\\bkmkstart a}{\\footnote \\pard 9.99\\par}{\\headerr 8.88}{\\pict\\bin5 }{\\x}}" + rtf_characters(" 万元")
     + "\\par ",
     "收入 1,160.00 万元\n\n"),
    # (a list's number as Word writes it for older readers; a character beyond the BMP as two
    # Unicode escapes; special characters)
    ("numbers_and_special_characters",
     "\\pard {\\listtext " + rtf_characters("一、") + "}" + rtf_characters("部门职责") + "\\par "
     + "\\pard \\u-10179?\\u-8704?\\ldblquote x\\rdblquote\\~\\_5.00\\-\\emdash\\par ",
     "一、部门职责\n\n\U0001F600\u201cx\u201d\xa0-5.00\u2014\n\n"),
    # (a cell's paragraphs, a tab and a table inside it: a space apart -- its text the cell's)
    ("a_cells_paragraphs_and_a_table_inside_it",
     "\\trowd\\cellx1000\\cellx2000\\pard\\intbl " + rtf_characters("合计") + "\\cell "
     + rtf_characters("一般公共") + "\\line " + rtf_characters("预算") + "\\tab 1.00\\par "
     + "\\itap2 " + rtf_characters("内") + "\\nestcell 2.00\\nestcell {\\*\\nesttableprops\\trowd\\cellx500\\nestrow}\\itap1 \\cell \\row "
     + "\\pard " + rtf_characters("后") + "\\par ",
     "合计\t一般公共预算 1.00 内 2.00\n\n后\n\n"),
]


@pytest.mark.parametrize("name, body, text", BODIES, ids=[b[0] for b in BODIES])
def test_a_document_is_written_out_as_text_by_paragraphs_and_rows(name, body, text):
    assert rtf_text(_rtf(body), "t.rtf") == text


def test_a_font_with_its_own_character_set_and_the_documents_code_page():
    """Bytes are read in the current font's character set (Big5 for \\fcharset136) or the
    document's code page (\\ansicpg1252 here): not all as GBK."""
    data = ("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset136 MingLiU;}}"
            "\\pard\\f0 caf\\'e9 {\\f1 " + "".join(f"\\'{b:02x}" for b in "預算".encode("cp950")) + "}\\par}").encode("ascii")
    assert rtf_text(data, "t.rtf") == "café 預算\n\n"


@pytest.mark.parametrize("data", [
    b"{\\rtf1" + b"{" * 200_000 + b"x" + b"}" * 200_000 + b"}",      # nested deep: no recursion
    b"{\\rtf1\\pard 1.00\\bin99999999999 }",                          # a binary run longer than the file
    b"{\\rtf1 }}}}{{{\\par 1.00",                                      # braces unbalanced, cut short
    b"{\\rtf1" + b"\\trowd\\cellx2147483647\\cellx-2147483648\\pard\\intbl x\\cell\\row" * 50 + b"}",
    b"{\\rtf1\\uc2147483647\\u99999999999 \\'zz\\'4\\" + b"\xff\xfe\x00" + b"}",
])
def test_a_hostile_document_is_read_or_refused_within_bounds(data):
    text = rtf_text(data, "t.rtf")
    assert isinstance(text, str) and len(text) < 4 * len(data) + 1_000_000


def test_cells_spanning_more_than_a_page_can_hold_are_refused_naming_the_file(tmp_path, capsys):
    row = "\\trowd\\cellx1" + "".join(f"\\cellx{64 * (i + 1)}" for i in range(2000)) + "\\pard\\intbl x\\cell\\row "
    path = tmp_path / "wide.rtf"
    path.write_bytes(("{\\rtf1 " + "\\trowd" + "".join(f"\\cellx{i + 2}" for i in range(4000)) + "\\pard\\intbl "
                      + "x\\cell " * 4000 + "\\row " + row * 400 + "}").encode("ascii"))
    assert main(["extract", str(path)]) in (0, 2)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err


def test_not_an_rtf_document_is_refused_and_rtf_named_otherwise_is_read():
    with pytest.raises(Exception, match="not an RTF document"):
        rtf_text(b"plain text", "t.rtf")
    document = open_document(_rtf("\\pard " + rtf_characters("收入 1.00 万元") + "\\par "), "t.txt")
    assert [line.original for line in document.lines if line.original] == ["收入 1.00 万元"]
