"""A label printed letter-spaced in a table cell ("合　　计", "收 入 总 计") is the word it spells,
whatever format gives the table as cells (fiscalrules.inputs.tabrows).

Web pages and Word tables centre a short label by spacing its letters; a PDF's text leaves the
letters as words of their own (the readers join those by position), but a cell's text reached
the readers as "合 计", and every table whose 合计 row was so printed was listed unread, row by
row (a 宁夏 county budget written blind as a web page: 62 of its table rows).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from published_forms import web_page, word_document
from record_figures import figure_values

from fiscalrules.inputs.tabrows import cell_word, tab_line
from fiscalrules.readers import read_document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bureau_2025.txt"


@pytest.mark.parametrize("cell, word", [
    ("合 计", "合计"), ("合\u3000\u3000计", "合计"), ("收 入 总 计", "收入总计"), ("项\xa0目", "项目"),
    ("合计", "合计"), ("一般 公共服务", "一般 公共服务"), ("类 款 项", "类 款 项"), ("1 234", "1 234"),
    ("合 计 1", "合 计 1"), ("", "")])
def test_a_letter_spaced_cell_is_the_word_it_spells(cell, word):
    assert cell_word(cell) == word


def test_a_row_ends_at_its_last_printed_cell():
    assert tab_line(["", "合\u3000计", "12.00", "", ""]) == "\t合计\t12.00"
    assert tab_line(["", ""]) == ""


def _spaced(text: str) -> str:
    """The example's tab-separated tables with every 合计 cell printed letter-spaced."""
    return "\n".join("\t".join("合\u3000\u3000计" if cell.strip() == "合计" else cell for cell in line.split("\t"))
                     if "\t" in line else line for line in text.split("\n"))


@pytest.mark.parametrize("form", ["html", "docx"])
def test_tables_whose_total_is_letter_spaced_read_as_the_plain_ones(tmp_path, form):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert _spaced(text) != text
    documents = []
    for name, version in (("plain", text), ("spaced", _spaced(text))):
        path = tmp_path / f"{name}.{form}"
        if form == "html":
            path.write_text(web_page(version), encoding="utf-8")
        else:
            path.write_bytes(word_document(version))
        documents.append(read_document(path))
    plain, spaced = documents
    values = dict(figure_values(plain, skip=("source", "_meta", "quality")))
    assert values[".tables.general_budget.totals.total"] == "1150.00"     # (the 合计 row read)
    assert dict(figure_values(spaced, skip=("source", "_meta", "quality"))) == values
    assert len(spaced["_meta"]["unread"]) == len(plain["_meta"]["unread"])
