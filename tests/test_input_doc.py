"""A disclosure published as an old binary Word document (.doc, Word 97-2003; WPS's .wps):
fiscalrules/inputs/doc.py writes it out as a .docx is written (tests/test_input_docx.py).

Session 41: a .doc -- what many portals still attach -- was refused ("save it as .docx, PDF or
text first").  The fictional example (examples/bureau_2025.txt) written as a .doc by
tests/word97.py -- its text in pieces stored out of order, 8-bit and UTF-16, its paragraphs
holding fields -- must read every figure of its text and fail the same rules; tables (cells of
several paragraphs, empty cells, merged and spanning header cells), fields, breaks and characters
beyond 16 bits, text deleted with changes tracked and hidden text are cases as data; an encrypted, a Word 95, a damaged or a cut file is refused
naming the file (exit 2, no traceback), and no byte changed anywhere in a .doc lets anything but
our error escape.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("olefile", reason="olefile (the doc extra, in the test extra) opens .doc files")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from published_forms import blocks, numbered_blocks  # noqa: E402
from record_figures import EXAMPLE, assert_reads_as_the_example  # noqa: E402
from word97 import DELETED, HIDDEN, compound, list_tables, word97  # noqa: E402

from fiscalrules.cli import main  # noqa: E402
from fiscalrules.errors import ReaderError  # noqa: E402
from fiscalrules.inputs import doc, open_document  # noqa: E402


def _example_blocks():
    """The example's blocks, every paragraph followed by a page-number field (its instruction
    must not be read) and every third one inside a hyperlink field (its result must)."""
    out = []
    for n, (kind, content) in enumerate(blocks(EXAMPLE.read_text(encoding="utf-8"))):
        if kind == "p":
            if n % 3 == 0:
                content = f'\x13 HYPERLINK \\l "_Toc{n}" \x14{content}\x15'
            content += f"\x13 PAGEREF _Toc{n} \\h \x14\x15"
        out.append((kind, content))
    return out


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_the_example_as_an_old_word_document_reads_as_its_text(tmp_path, capsys, suffix):
    path = tmp_path / f"bureau_2025{suffix}"
    path.write_bytes(word97(_example_blocks()))
    from_word = assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))
    assert from_word["_meta"]["coverage"]["lines"]["silent"] == 0


_CHINESE_COUNTING, _DECIMAL, _CIRCLED, _BULLET = 0x25, 0x00, 0x12, 0x17   # nfc codes ([MS-OSHARED] MSONFC)


def test_the_example_numbered_by_word_reads_as_its_text(tmp_path, capsys):
    """Its headings and items numbered by Word's automatic numbering ("一、", "（一）" drawn, not
    in the text) as a .doc: read without the numbers, the readers lose the structure the
    template numbers -- as a .docx so numbered read 132 of 198 figures (session 41)."""
    levels = [(1, _CHINESE_COUNTING, "\x00、", False), (1, _CHINESE_COUNTING, "（\x01）", False)]
    content, lists = [], 0
    for kind, text, listed in numbered_blocks(EXAMPLE.read_text(encoding="utf-8")):
        content.append((kind, text) if listed is None else (kind, text, {"list": listed}))
        lists = max(lists, listed[0] if listed else 0)
    path = tmp_path / "bureau_2025.doc"
    path.write_bytes(word97(content, lists=list_tables([(7, levels)], [(7, {0: 1})] * lists)))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


@pytest.mark.parametrize("stream", ["Workbook", "Package"])   # (an Excel 97-2003 object; an Excel 2007 one)
def test_the_example_with_its_tables_embedded_as_workbooks_reads_as_its_text(tmp_path, capsys, stream):
    """Its tables pasted from Excel as objects: the document shows a picture of each (an EMBED
    field), the workbook in its ObjectPool.  Read as shown, the disclosure had no tables there."""
    if stream == "Workbook":
        pytest.importorskip("xlwt", reason="xlwt (in the test extra) writes the .xls workbooks read here")
        import olefile
        from test_input_xls import xls_of

        def workbook(text):   # (the object's storage holds the workbook's records as its Workbook stream)
            with olefile.OleFileIO(xls_of(text)) as ole:
                return ole.openstream("Workbook").read()
    else:
        pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) reads workbooks")
        from test_input_xlsx import workbook_of as workbook
    content = []
    for kind, value in blocks(EXAMPLE.read_text(encoding="utf-8")):
        if kind == "table":
            value = (1000 + len(content), stream, workbook("\n".join("\t".join(row) for row in value)))
            kind = "object"
        content.append((kind, value))
    path = tmp_path / "bureau_2025.doc"
    path.write_bytes(word97(content))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


def test_an_object_in_a_table_cell_is_read_after_its_table_which_it_does_not_cut():
    pytest.importorskip("xlwt", reason="xlwt (in the test extra) writes the .xls workbooks read here")
    import olefile
    from test_input_xls import xls_of
    with olefile.OleFileIO(xls_of("项目\t预算数\n合计\t12.50")) as ole:
        workbook = ole.openstream("Workbook").read()
    content = [("p", "前"), ("table", [["科目", "金额"], [("附表", 1000, 0, {"object": (9, "Workbook", workbook)}), "1.00"],
                                       ["合计", "1.00"]]), ("p", "后")]
    assert doc.doc_text(word97(content), "t.doc") == "前\n\n科目\t金额\n附表\t1.00\n合计\t1.00\n\n项目\t预算数\n合计\t12.50\n\n后\n\n"


_LISTS = list_tables(
    lists=[(101, [(1, _CHINESE_COUNTING, "\x00、", False), (1, _CHINESE_COUNTING, "（\x01）", False),
                  (1, _BULLET, "\uf0b7", False)]),
           (202, [(9, _CIRCLED, "\x00", False)]),
           (303, [(1, _DECIMAL, "\x00.", False), (1, _CHINESE_COUNTING, "\x00.\x01", True)])],
    overrides=[(101, {}), (101, {}), (101, {0: 10}), (202, {}), (303, {})],
    styles=[(0, None, None), (1, None, (1, 0)), (2, 1, None)])


def test_numbered_paragraphs_are_written_with_the_numbers_word_draws():
    content = [("p", "部门职责", {"list": (1, 0)}), ("p", "主要职能", {"list": (1, 1)}),
               ("p", "机构设置", {"list": (1, 1)}),
               ("p", "要点", {"list": (1, 2)}),           # (a bullet: no label)
               ("p", "预算说明", {"list": (2, 0)}),        # (another list of the same list id: goes on)
               ("p", "收入", {"list": (2, 1)}),            # (restarted under the new item)
               ("p", "支出", {"style": 2}),                # (numbered by its style, through its base)
               ("p", "不编号", {"style": 1, "list": (0, 0)}),   # (ilfo 0: the style's numbering removed)
               ("p", "重新开始", {"list": (3, 0)}), ("p", "接着", {"list": (3, 0)}),   # (restarted at 10)
               ("p", "圈", {"list": (4, 0)}), ("p", "圈", {"list": (4, 0)}),
               ("table", [[("表中", 1000, 0, {"list": (3, 0)}), "1.00"]]),
               ("p", "表后", {"list": (3, 0)}),            # (a list goes on through a table)
               ("p", "", {"list": (3, 0)}),                # (an empty numbered paragraph: counted, not written)
               ("p", "再后", {"list": (3, 0)}),
               ("p", "甲", {"list": (5, 0)}), ("p", "乙", {"list": (5, 1)})]   # (legal: 1.1, not 1.一)
    lines = [line for line in doc.doc_text(word97(content, lists=_LISTS), "t.doc").split("\n") if line]
    assert lines == ["一、部门职责", "（一）主要职能", "（二）机构设置", "要点", "二、预算说明", "（一）收入", "三、支出",
                     "不编号", "十、重新开始", "十一、接着", "⑨圈", "⑩圈", "十二、表中\t1.00", "十三、表后", "十五、再后",
                     "1.甲", "1.1乙"]


def test_damaged_list_tables_leave_the_text_read_without_numbers():
    plf_lst, lfo, sheet = _LISTS
    content = [("p", "部门职责", {"list": (1, 0)}), ("p", "支出", {"style": 2})]
    for damaged in [(plf_lst[:40], lfo, sheet), (b"\xff\x7f" + plf_lst[2:], lfo, sheet),
                    (plf_lst, b"\xff\xff\xff\x7f" + lfo[4:], sheet), (plf_lst, lfo, sheet[:30])]:
        text = doc.doc_text(word97(content, lists=damaged), "t.doc")
        assert text == "部门职责\n\n支出\n\n"


def _cell(text: str, width: int = 1000, flags: int = 0):
    return (text, width, flags)


# (id, the document's blocks, the text it gives)
DOCUMENTS = [
    ("breaks_tabs_hyphens",
     [("p", "收入 1,286.40 万元\t较上年\x0b增加"), ("p", "非\x1e断\x1f字\x0c第二页")],
     "收入 1,286.40 万元\t较上年\n\n增加\n\n非-断字\n\n\f\n第二页\n\n"),
    ("fields_keep_results_drop_instructions",
     [("p", "目录"), ("p", '\x13 TOC \\o "1-3" \x14第一部分 部门概况\t\x13 PAGEREF _Toc1 \\h \x14'
                          '3\x15\r第二部分 预算表\t\x13 PAGEREF _Toc2 \\h \x145\x15\x15'),
      ("p", "合计\x13 = 1 + 2 \x14 3.00\x15 万元")],
     "目录\n\n第一部分 部门概况\t3\n\n第二部分 预算表\t5\n\n合计 3.00 万元\n\n"),
    ("a_header_over_two_rows",
     [("table", [[_cell("科目编码", 2000), _cell("科目名称"), _cell("本年预算", 3000)],
                 [_cell("类"), _cell("款"), _cell("", flags=0x20), _cell("合计"), _cell("基本支出"), _cell("项目支出")],
                 ["201", "01", "一般公共服务支出", "10.00", "", "10.00"],
                 [_cell("合计", 3000), "10.00", "", "10.00"]])],
     "科目编码\t\t科目名称\t本年预算\n类\t款\t\t合计\t基本支出\t项目支出\n201\t01\t一般公共服务支出\t10.00\t\t10.00\n"
     "合计\t\t\t10.00\t\t10.00\n\n"),
    ("cells_of_paragraphs_and_empty_cells",
     [("p", "表一"), ("table", [["项目\r（按功能分类）", "", "", "1.00"], ["", "", "", ""], ["a", "", "b"]]), ("p", "说明")],
     "表一\n\n项目 （按功能分类）\t\t\t1.00\na\t\tb\n\n说明\n\n"),
    ("a_cell_merged_with_the_one_before",
     [("table", [[_cell("合计"), _cell("合计", flags=0x3), "5.00"]])],
     "合计\t\t5.00\n\n"),
    ("two_tables_apart",
     [("table", [["a", "1.00"]]), ("p", "注：单位为万元"), ("table", [["b", "2.00"]])],
     "a\t1.00\n\n注：单位为万元\n\nb\t2.00\n\n"),
    # (a draft published with its changes tracked: "1,150.00" corrected to "1,160.00" is printed so)
    ("deleted_and_hidden_text_is_not_read",
     [("p", f"合计 1,1{DELETED[0]}50{DELETED[1]}60.00 万元{HIDDEN[0]}（备注 9.99 万元）{HIDDEN[1]}"),
      ("p", f"{DELETED[0]}整段删除 5.00 万元\r{DELETED[1]}保留"), ("table", [["a", f"{DELETED[0]}2.00{DELETED[1]}3.00"]])],
     "合计 1,160.00 万元\n\n保留\n\na\t3.00\n\n"),
    ("characters_beyond_16_bits",
     [("p", "𠀀" * 40 + "单位 𠀁"), ("table", [["𠀂a", "b"]])],
     "𠀀" * 40 + "单位 𠀁\n\n𠀂a\tb\n\n"),
]


@pytest.mark.parametrize("name, content, text", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_a_document_is_written_out_as_text_by_paragraphs_and_rows(name, content, text):
    assert doc.doc_text(word97(content), "t.doc") == text
    # the same however its pieces are stored, and with its rows' properties in the Data stream
    assert doc.doc_text(word97(content, pieces_reversed=False), "t.doc") == text
    assert doc.doc_text(word97(content, huge_rows=True), "t.doc") == text


def test_without_paragraph_properties_a_row_ends_at_an_empty_cell():
    content = [("p", "x"), ("table", [["a", "1.00"], ["b", "2.00"]]), ("p", "y")]
    assert doc.doc_text(word97(content, with_properties=False), "t.doc") == "x\n\na\t1.00\nb\t2.00\n\ny\n\n"


def test_an_ole_file_is_told_a_word_document_by_its_streams_whatever_its_name(tmp_path):
    path = tmp_path / "budget.bin"
    path.write_bytes(word97([("p", "部门预算"), ("table", [["合计", "1.00"]])]))
    assert [line.text for line in open_document(path).lines if line.text.strip()] == ["部门预算", "合计\t1.00"]


def _with_fib(**changes) -> bytes:
    return word97([("p", "部门预算")], **changes)


def _damaged_clx() -> bytes:
    """A .doc whose piece table says it is longer than its stream."""
    import struct
    import olefile
    data = word97([("p", "部门预算")])
    with olefile.OleFileIO(data) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        table = ole.openstream("1Table").read()
    struct.pack_into("<I", word, 0x1A6, 1_000_000)   # lcbClx
    return compound({"WordDocument": bytes(word), "1Table": table})


def test_a_stream_declaring_more_than_its_file_is_read_for_no_more_than_the_file(monkeypatch):
    """A .doc whose directory says its WordDocument stream holds 4,000,000,000 bytes: olefile
    follows a stream's chain for as many sectors as its size says -- a hostile file's chain
    looping through a FAT made as large had it read ~8 million sectors (30 s of CPU, a gigabyte
    string).  The stream is read for no more than the file holds; its chain ending before the
    declared size, it reads as it did."""
    import olefile.olefile
    data = bytearray(word97([("p", "部门预算")]))
    entry = data.find("WordDocument".encode("utf-16-le"))
    data[entry + 120:entry + 124] = (4_000_000_000).to_bytes(4, "little")
    sizes = []
    original = olefile.olefile.OleStream.__init__

    def counted(self, fp, sect, size, *args, **kwargs):
        sizes.append(size)
        original(self, fp, sect, size, *args, **kwargs)
    monkeypatch.setattr(olefile.olefile.OleStream, "__init__", counted)
    assert doc.doc_text(bytes(data), "t.doc") == "部门预算\n\n"
    assert max(size for size in sizes if size != olefile.olefile.UNKNOWN_SIZE) <= len(data)   # (but its own directory's)


@pytest.mark.parametrize("data, says, in_chinese", [
    (_with_fib(flags=0x0200 | 0x0100), "is encrypted (password-protected): save it without a password first",
     "已加密（有密码保护）"),
    (_with_fib(n_fib=0x68), "was saved by Word 95 or earlier: save it as .docx, PDF or text first",
     "由 Word 95 或更早版本保存"),
    (_damaged_clx(), "is a damaged Word document (.doc) (no piece table)", "是损坏的 Word 文档（.doc）"),
    # (cut before its directory: no telling a .doc from a .xls)
    (_with_fib()[:3000], "is a damaged old binary Excel or Word file (.xls, .doc)", "是损坏的旧版二进制 Excel 或 Word 文件"),
    (compound({"WordDocument": b"\x00" * 100}), "is a damaged Word document (.doc) (no Word file information block)",
     "是损坏的 Word 文档（.doc）"),
], ids=["encrypted", "word_95", "a_damaged_piece_table", "a_cut_file", "no_file_information_block"])
def test_an_encrypted_old_or_damaged_doc_is_refused_naming_the_file(tmp_path, capsys, data, says, in_chinese):
    path = tmp_path / "budget.doc"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=re.escape(says)):
        open_document(path)
    assert main(["audit", "--no-progress", str(path)]) == 2   # (in Chinese, the default)
    err = capsys.readouterr().err
    assert "budget.doc" in err and in_chinese in err and "Traceback" not in err
    assert main(["audit", "--lang", "en", "--no-progress", str(path)]) == 2
    assert says in capsys.readouterr().err


def test_fields_opened_and_never_closed_cost_no_more_than_their_text():
    """A hostile file opening field after field, each showing its result, never closing one: each
    piece of text was checked against every open field (quadratic: 200,000 took minutes); those
    still in their instruction are counted.  An unclosed instruction hides what follows."""
    assert doc.doc_text(word97([("p", "部门预算" + "\x13\x14a" * 200_000)]), "t.doc") == "部门预算" + "a" * 200_000 + "\n\n"
    assert doc.doc_text(word97([("p", "部门预算" + "\x13" * 200_000 + "x\x14结果")]), "t.doc") == "部门预算\n\n"


def test_without_olefile_the_extra_to_install_is_named(tmp_path, capsys, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "olefile", None)
    path = tmp_path / "budget.doc"
    path.write_bytes(_with_fib())
    with pytest.raises(ImportError, match=re.escape('pip install "fiscalrules[doc]"')):
        open_document(path)
    assert main(["audit", "--no-progress", "--lang", "en", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'fiscalrules[doc]' in err and "Traceback" not in err


_SAMPLE = word97([("p", f"部门预算\x13 PAGEREF _Toc1 \x143\x15 1,1{DELETED[0]}50{DELETED[1]}60.00"),
                  ("table", [[_cell("科目", 2000), "金额"], ["201", "一般公共服务支出", "10.00"]]),
                  ("p", "说明", {"list": (1, 0)}), ("p", "完", {"style": 2})], lists=_LISTS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_SAMPLE) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_no_byte_changed_in_a_doc_lets_anything_but_our_error_escape(changes):
    data = bytearray(_SAMPLE)
    for at, value in changes:
        data[at] = value
    try:
        text = doc.doc_text(bytes(data), "t.doc")
    except ReaderError as exc:
        assert "t.doc" in str(exc)
    else:
        assert isinstance(text, str)
