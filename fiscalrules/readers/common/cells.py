"""A figure printed in a table cell: what counts as one, and its value as a plain decimal string.

Cells print "1,150.00", "-10.00" and, in the accountant's notation usual in 决算 tables and
adjustments, a negative in brackets: "(10.00)" ("（10.00）" arrives normalised to ASCII) or with
a minus sign "−10.00" (U+2212). A bracketed figure needs a decimal point or thousands separators,
so that an enumerator "(1)" is never a figure.
"""

from __future__ import annotations

import re

__all__ = ["CELL_NUMBER", "cell_value"]

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_BRACKETED = r"\((?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)\)"
CELL_NUMBER = re.compile(rf"^(?:[-−]?{_DIGITS}|{_BRACKETED})$")


def cell_value(text: str) -> str:
    """The decimal string of a cell *CELL_NUMBER* matched: "(1,010.00)" → "-1010.00"."""
    value = text.replace(",", "").replace("−", "-")
    if value.startswith("("):
        value = "-" + value[1:-1]
    return value
