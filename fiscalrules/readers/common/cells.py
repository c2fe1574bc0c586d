"""A figure printed in a table cell: what counts as one, and its value as a plain decimal string.

Cells print "1,150.00" (or "1 150.00"), "-10.00" and, in the accountant's notation usual in 决算 tables and
adjustments, a negative in brackets: "(10.00)" ("（10.00）" arrives normalised to ASCII) or with
a minus sign "−10.00" (U+2212). A bracketed figure needs a decimal point or thousands separators,
so that an enumerator "(1)" is never a figure.
"""

from __future__ import annotations

import re

__all__ = ["CELL_NUMBER", "BLANK", "CLASS_CODE", "CODE_PIECE", "TOTAL_LABELS", "cell_value", "counts_up", "label_joined"]

# What a cell prints for nothing -- an empty cell, a dash of any length (-, –, —, ――, --), a slash, or
# "N/A" as spreadsheet exports leave it -- is no figure: read as blank, never as a cell not understood.
# One list for every table reader, the two-sided 收支总表s too: a "–" or "N/A" there is a figure
# cell the publisher left empty, as anywhere else (a side of the row is read without it).
# ("" first: BLANK[1:] are the printed marks.)
BLANK = ("", "-", "—", "--", "——", "–", "―", "/", "N/A", "n/a", "NA")

# Thousands grouped by commas, or -- as Word, WPS and some provinces' software print them -- by a
# space (plain, no-break or thin: "1 150.00", "11 500 000"); only inside one cell, whose text a
# ruled table or a tab keeps whole, and only in groups of exactly three digits.
_GROUPED = r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+"
_DIGITS = rf"(?:{_GROUPED}|\d+)(?:\.\d+)?"
_BRACKETED = rf"\((?:(?:{_GROUPED})(?:\.\d+)?|\d+\.\d+)\)"
CELL_NUMBER = re.compile(rf"^(?:[-−]?{_DIGITS}|{_BRACKETED})$")
# A row's code in a cell of its own (read with fullmatch): a 类 code, or a 款 / 项 code printed
# whole, and a 款 or 项 printed apart from its 类 ("208 05 99").
CLASS_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
CODE_PIECE = re.compile(r"\d{2}")
# The labels of a table's total row (a row that prints no code).
TOTAL_LABELS = ("合计", "总计")


def cell_value(text: str) -> str:
    """The decimal string of a cell *CELL_NUMBER* matched: "(1,010.00)" → "-1010.00"."""
    value = text.replace(",", "").replace("−", "-")
    if not value.isascii() or " " in value:
        value = re.sub(r"[ \u00a0\u2009\u202f]", "", value)
    if value.startswith("("):
        value = "-" + value[1:-1]
    return value


def counts_up(words, least: int) -> bool:
    """Whether *words* are the numbers from 1 up, each once, in order, and at least *least* of them:
    a table's column numbering under its header ("1 2 3 … 12") -- no row of amounts is."""
    words = list(words)
    return len(words) >= least and words == [str(n) for n in range(1, len(words) + 1)]


def label_joined(words: list[str]) -> list[str]:
    """A line's words with "栏 次" (a PDF centring the two-letter label in its cell by spacing its
    letters) as the one word "栏次": the label of a table's column numbering."""
    out: list[str] = []
    for word in words:
        if word == "次" and out and out[-1] == "栏":
            out[-1] = "栏次"
        else:
            out.append(word)
    return out
