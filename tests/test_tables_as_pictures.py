"""Tables printed as pictures (a paragraph "表5", then one holding only an image, as offices paste
them from the budget system's screen): the Word reader writes such a paragraph as a picture line,
the readers list each picture among the tables as unread ("printed as a picture, not read") and a
template table not found where the tables are pictures is not evaluable in QUA-010, not failed.
A document without pictures, or with a picture only on its cover, reads as before."""

from __future__ import annotations

from pathlib import Path

import fiscalrules
from published_forms import docx_of

from fiscalrules.document.pictures import PICTURE_LINE, PICTURE_REASON
from fiscalrules.inputs import docx
from fiscalrules.inputs.html import html_text
from fiscalrules.readers.budget.reader import read_disclosure
from fiscalrules.readers.final_accounts.reader import read_final_accounts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt"
_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_INLINE = (f'<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
           f'wordprocessingDrawing"><a:graphic {_A}><a:graphicData><a:blip {_R} r:embed="rId9"/></a:graphicData>'
           '</a:graphic></wp:inline></w:drawing></w:r></w:p>')
_VML = f'<w:p><w:r><w:pict><v:shape {_V}><v:imagedata {_R} r:id="rId8"/></v:shape></w:pict></w:r></w:p>'


def _paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_a_paragraph_that_is_only_a_picture_is_written_as_a_picture_line():
    body = (_paragraph("表5") + _INLINE + _paragraph("表6") + _VML
            # a picture beside text (a seal over a signature) is the text's paragraph: nothing added
            + f"<w:p><w:r><w:t>某某局</w:t></w:r>{_INLINE[5:-6]}</w:p>")
    assert docx.docx_text(docx_of(body), "t.docx") == f"表5\n\n{PICTURE_LINE}\n\n表6\n\n{PICTURE_LINE}\n\n某某局\n\n"


def test_a_web_page_block_that_is_only_a_picture_is_written_as_a_picture_line():
    page = ('<html><body><p>表5</p><p><img src="b5.png"></p><div><img src="b6.png"/></div>'
            '<p><img src="seal.png">某某局</p><table><tr><td><img src="x.png"></td><td>1.00</td></tr></table></body></html>')
    assert html_text(page).split("\n")[:8] == ["表5", "", PICTURE_LINE, "", PICTURE_LINE, "", "某某局", ""]


def _budget(text: str) -> dict:
    return read_disclosure(text.encode("utf-8"), name="bureau.txt")


def _general_budget_as(replacement: str) -> str:
    """The example budget with its 一般公共预算支出表 (title to last row) printed as *replacement*."""
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    first = lines.index("一般公共预算支出表")
    last = lines.index("一般公共预算基本支出表") - 1
    return "\n".join(lines[:first] + replacement.split("\n") + lines[last:])


def _section(record: dict, name: str) -> dict:
    return next(s for s in record["quality"]["sections"] if s["name"]["value"] == name)


def test_a_budget_table_printed_as_a_picture_is_listed_and_not_evaluable_not_missing():
    record = _budget(_general_budget_as(f"表5\n\n{PICTURE_LINE}\n"))
    pictures = [u for u in record["_meta"]["unread"] if u["reason"] == PICTURE_REASON]
    assert len(pictures) == 1 and pictures[0]["section"].startswith("第二部分")
    assert "present" not in _section(record, "一般公共预算支出表")
    assert _section(record, "一般公共预算基本支出表")["present"] is True
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    statuses = {f.status for f in report.findings if f.rule == "QUA-010"}
    assert "fail" not in statuses and "not_evaluable" in statuses


def test_a_budget_table_left_out_or_a_picture_on_the_cover_only_is_missing_as_before():
    for text in (_general_budget_as(""), PICTURE_LINE + "\n" + _general_budget_as("")):
        record = _budget(text)
        assert not [u for u in record["_meta"]["unread"] if u["reason"] == PICTURE_REASON]
        assert _section(record, "一般公共预算支出表")["present"] is False
        report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
        assert "fail" in {f.status for f in report.findings if f.rule == "QUA-010"}


def _final_accounts_three_public_as(replacement: list[str]) -> dict:
    """The example 决算 (its text) with its 财政拨款“三公”经费支出决算表 printed as *replacement*."""
    from fiscalrules.inputs import open_document
    pdf = EXAMPLE.parent / "qingshi_culture_2024_final_accounts.pdf"
    lines = [line.original for line in open_document(pdf).lines]
    first = lines.index("财政拨款“三公”经费支出决算表", 30) - 1   # (after the contents; its page's heading too)
    last = next(n for n in range(first + 2, len(lines)) if lines[n].strip().endswith("决算表"))
    return read_final_accounts("\n".join(lines[:first] + replacement + lines[last:]).encode("utf-8"), name="final.txt")


def test_a_final_accounts_table_printed_as_a_picture_is_not_evaluable_and_one_left_out_missing():
    record = _final_accounts_three_public_as(["表7", "", PICTURE_LINE])
    assert [u["section"] for u in record["_meta"]["unread"] if u["reason"] == PICTURE_REASON] == ["决算表"]
    assert "present" not in _section(record, "财政拨款“三公”经费支出决算表")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert "fail" not in {f.status for f in report.findings if f.rule == "QUA-010"}
    record = _final_accounts_three_public_as([])
    assert _section(record, "财政拨款“三公”经费支出决算表")["present"] is False
