"""A disclosure published as a Word document (fiscalrules/inputs/docx.py): its paragraphs and
tables in order, read as the text disclosure it prints.

Session 33: a .docx was refused as "a binary file, not text".  The fictional example
(examples/bureau_2025.txt) written as a Word document -- a paragraph a ``w:p`` with its text
split into runs as Word splits it, the tables as ``w:tbl`` -- must read the same figures and fail
the same rules as its text; merged cells, breaks and hostile files are cases below.
"""

from __future__ import annotations

import re

import pytest
from published_forms import docx_of, word_document
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import docx, open_document



def test_the_example_as_a_word_document_reads_as_its_text(tmp_path, capsys):
    path = tmp_path / "bureau_2025.docx"
    path.write_bytes(word_document(EXAMPLE.read_text(encoding="utf-8")))
    from_word = assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))
    assert from_word["_meta"]["coverage"]["lines"]["silent"] == 0


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
    ("content_controls_and_a_huge_span",
     "<w:sdt><w:sdtContent><w:p><w:r><w:t>部门预算</w:t></w:r></w:p></w:sdtContent></w:sdt>"
     "<w:tbl><w:tr>" + _cell("x", "<w:gridSpan w:val=\"99999999\"/>") + _cell("1") + "</w:tr></w:tbl>",
     "部门预算\n\nx" + "\t" * 64 + "1\n\n"),
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


@pytest.mark.parametrize("data, says", [
    (_zip({"word/document.xml": BOMB}), "declares a DTD or entities, which no Word document does"),
    (_zip({"word/document.xml": "<w:document"}), "is a damaged Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old binary Excel or Word file (.xls, .doc)"),
], ids=["entity_bomb", "damaged", "old_doc"])
def test_a_hostile_or_damaged_word_file_is_refused_naming_it(tmp_path, capsys, data, says):
    path = tmp_path / "budget.docx"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=re.escape(says)):
        open_document(path)
    assert main(["audit", "--no-progress", "--lang", "en", str(path)]) == 2
    err = capsys.readouterr().err
    assert "budget.docx" in err and "Traceback" not in err


def test_a_word_file_unpacking_beyond_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(docx, "MAX_UNPACKED", 100)
    with pytest.raises(ReaderError, match="unpacks to .* bytes, more than the 100 a Word document may"):
        open_document(word_document("部门预算\n合计\t1.00"), "t.docx")
