"""Tab-separated 决算 tables whose cells keep their places (:func:`keeps_blank_cells`).

Text converters write a table's cells between tabs in one of two ways: a blank cell as an empty
field ("…\t18,714.34\t\t2,368.93\t\t\t173.46", the trailing blanks perhaps dropped), or not at all
(the figures closing up, as in single-spaced text).  In the first, a cell's index is its column
(:func:`fiscalrules.document.model.Line.words`: a tab cell's x is its index), so the grid places
every figure under the header's column of the same index; in the second nothing says where a
blank cell stood, and :mod:`.coded` places only rows filling every column.  A table is taken to
keep its blanks where one of its rows shows it: an empty field before a filled one.
"""

from __future__ import annotations

from ...document.model import Document, Line

__all__ = ["keeps_blank_cells", "without_untabbed_noise"]


def keeps_blank_cells(body: list[Line]) -> bool:
    """Whether the table's rows (*body*) are tab-separated with their blank cells kept: some row
    holds an empty field before a filled one ("\\t合计\\t…", "…\\t18,714.34\\t\\t2,368.93")."""
    for line in body:
        if "\t" not in line.text:
            continue
        cells = [cell.strip() for cell in line.text.split("\t")]
        last = max(i for i, cell in enumerate(cells) if cell) if any(cells) else -1
        if any(not cell for cell in cells[:last]):
            return True
    return False


def without_untabbed_noise(doc: Document, lines: list[Line]) -> list[Line]:
    """*lines* of a table keeping its tab cells, less the page numbers and running heads between
    its pages: a line without a tab is no row of such a table (a page number "4" stood as a figure
    under the code column, and no figure may stand under a column the header does not name)."""
    return [line for line in lines if "\t" in line.text or not doc.is_noise(line.number)]
