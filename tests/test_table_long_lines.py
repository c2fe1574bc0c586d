"""Hostile table lines (review 22 A4): a table row or header line of tens of thousands of cells.

The columns of a text table come from its own words, so a line of n cells makes n columns; every
word was looked for in every column (and every header word against every column, every header
cell against every column), and a row of 50,000 cells took minutes. The work is counted, not
timed: how often a column's extent is read while the grid is built, for n and 4n cells. Linear
work grows about 4×; the old quadratic work grew 16×.
"""

from __future__ import annotations

import pytest

from fiscalrules.document import columns, tables
from fiscalrules.document.tables import read_grid
from fiscalrules.inputs import open_document


class _CountingColumn(tables.Column):
    """A column that counts how often its extent is read."""

    __slots__ = ()
    reads = 0

    def _get(slot):
        def get(self):
            _CountingColumn.reads += 1
            return slot.__get__(self)

        def put(self, value):
            slot.__set__(self, value)
        return property(get, put)

    x0 = _get(tables.Column.x0)
    x1 = _get(tables.Column.x1)
    del _get


def _text(cells: int, header_cells: int) -> str:
    header = "编制人数\t\t实有人数\t\n合计\t行政编制\t合计\t在职" + "".join(f"\t栏{i}" for i in range(header_cells)) + "\n"
    row = "52\t20\t58\t50" + "\t1" * cells + "\n"
    return "部门基本情况表\n" + header + row


def _reads(monkeypatch, cells: int, header_cells: int) -> int:
    monkeypatch.setattr(tables, "Column", _CountingColumn)
    doc = open_document(_text(cells, header_cells).encode("utf-8"), name="long.txt")
    lines = [line for line in doc.lines if line.words][1:]
    _CountingColumn.reads = 0
    grid = read_grid(doc, lines, lambda line: line.words[0].text[:1].isdigit())
    assert len(grid.rows) == 1 and len(grid.columns) >= max(cells, header_cells)
    return _CountingColumn.reads


@pytest.mark.parametrize("row, header", [(1, 0), (0, 1), (1, 1)], ids=["long-row", "long-header", "both"])
def test_a_long_table_line_is_read_in_linear_work(monkeypatch, row, header):
    small = _reads(monkeypatch, 500 * row, 500 * header)
    large = _reads(monkeypatch, 2000 * row, 2000 * header)
    assert large < 6 * small, (small, large)


def test_long_lines_keep_their_cells(monkeypatch):
    """The indexed lookup puts every cell in the column it did before: each of the row's cells in a
    column of its own, under the header word above it."""
    doc = open_document(_text(300, 300).encode("utf-8"), name="long.txt")
    lines = [line for line in doc.lines if line.words][1:]
    grid = read_grid(doc, lines, lambda line: line.words[0].text[:1].isdigit())
    (row,) = grid.rows
    assert len(row.cells) == 304
    headers = {grid.columns[index].leaf: cell.text for index, cell in row.cells.items()}
    assert headers["在职"] == "50" and headers["栏0"] == "1" and headers["栏299"] == "1"


def _spaced(words: int) -> str:
    """A table of text aligned by spaces whose two header lines stand their words between the
    figures' columns (each a column blank in every row, by where it stands)."""
    upper = "  ".join(f"栏目{i:05d}" for i in range(words))
    lower = "  ".join(f"项{i:05d}" for i in range(words))
    row = "207  " + "  ".join("1.0" for _ in range(words))
    return "部门支出预算总表\n" + upper + "\n" + lower + "\n" + row + "\n"


def _distances(monkeypatch, words: int) -> int:
    calls = []
    original = columns._distance
    monkeypatch.setattr(columns, "_distance", lambda word, run: calls.append(1) or original(word, run))
    doc = open_document(_spaced(words).encode("utf-8"), name="long.txt")
    lines = [line for line in doc.lines if line.words][1:]
    grid = read_grid(doc, lines, lambda line: line.words[0].text[:1].isdigit())
    assert len(grid.rows) == 1 and len(grid.columns) >= words
    return len(calls)


def test_header_lines_of_thousands_of_words_over_no_column_are_read_in_linear_work(monkeypatch):
    """Each header word standing over no column was compared with every column and with every
    other word of its line (the nearest column, the word nearest it): 50,000 such words took
    minutes (this session's probe: 4,000 of them 10 s, 50,000 now 9 s in all).  Past a few hundred
    on one line each is a column of its own."""
    small = _distances(monkeypatch, 500)
    large = _distances(monkeypatch, 2000)
    assert large < 6 * small + 1000, (small, large)
