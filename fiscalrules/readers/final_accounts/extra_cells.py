"""A supplementary table's lines as cells (:func:`row_cells`: the label words, then the figures -- amounts,
shares, "—" for a blank cell), its header's columns by role (:func:`header_roles`) and a row's figures
under them (:func:`by_columns`): what the readers of :mod:`.extra_tables` and
:mod:`.department_evaluation` share.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line, compact
from ..common.record import figure
from .blocks import line_source

__all__ = ["Row", "row_cells", "cell_figure", "header_roles", "by_columns"]

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(?:\.\d+)?%$")
_BLANK = ("—", "-", "－", "——", "/", "－－", "--")


class Row:
    """A table line as cells: ``labels`` (the words before the first figure, compacted), ``cells``
    (each figure cell's text, None for a blank one) and the line."""

    __slots__ = ("labels", "cells", "line")

    def __init__(self, labels: list[str], cells: list[str | None], line: Line):
        self.labels, self.cells, self.line = labels, cells, line

    @property
    def label(self) -> str:
        return "".join(self.labels)


def _figure_cell(text: str) -> bool:
    return bool(_AMOUNT.match(text) or _PERCENT.match(text)) or text in _BLANK


def row_cells(line: Line) -> Row:
    """*line* as its label cells and figure cells (a label after a figure ends nothing: taken with the
    labels, as a wrapped name)."""
    labels: list[str] = []
    cells: list[str | None] = []
    for word in line.words:
        text = compact(word.text)
        if _figure_cell(text):
            cells.append(None if text in _BLANK else text)
        else:   # (a word after a figure too: a wrapped name's rest, or a reason after the scores)
            labels.append(text)
    return Row(labels, cells, line)


def cell_figure(doc: Document, row: Row, text: str, section: str, unit: str | None) -> dict:
    value = text.rstrip("%").replace(",", "")
    return figure(value, "%" if text.endswith("%") else unit, printed=text if text.replace(",", "") != text else None,
                  src=line_source(doc, row.line, section))


def header_roles(rows: list[Row], roles: dict[str, str | None]) -> tuple[int, list[str | None]] | None:
    """The header line among *rows* (one without figures naming two or more of *roles*' words, each
    word a pattern) and the role of each of its columns after the label columns (None: a column not
    read); *roles* in order of preference, the first pattern a header word matches."""
    for i, row in enumerate(rows):
        if row.cells:
            continue
        found = [next((role for pattern, role in roles.items() if re.search(pattern, word)), "") for word in row.labels]
        if sum(1 for role in found if role) >= 2:
            first = next(k for k, role in enumerate(found) if role != "")
            return i, [role or None for role in found[first:]]
    return None


def by_columns(row: Row, columns: list[str | None]) -> dict[str, str]:
    """*row*'s figure cells under *columns*: each in its place where the row prints a cell for
    every column (blank ones as "—"); else in order, a share only under a share's column (a row
    leaving its share blank unprinted: "一、货物类 42.76 39.16" under 合同金额 / 中小企业金额 / 占比)."""
    out: dict[str, str] = {}
    if len(row.cells) == len(columns):
        for role, cell in zip(columns, row.cells):
            if role and cell is not None:
                out[role] = cell
        return out
    amounts = [role for role in columns if role and not role.endswith("share") and role != "rate"]
    shares = [role for role in columns if role and (role.endswith("share") or role == "rate")]
    for cell in row.cells:
        if cell is None:
            continue
        pool = shares if cell.endswith("%") else amounts
        if pool:
            out[pool.pop(0)] = cell
    return out
