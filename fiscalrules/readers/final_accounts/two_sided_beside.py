"""A two-sided 总表's right side continued sideways: its fund columns printed on the next page.

财政拨款收入支出决算总表 prints, right of each expenditure line's 合计, the line's figure by fund type
(一般公共预算 / 政府性基金 / 国有资本经营).  A table too wide for its page (a spreadsheet's print area
printed over two pages) prints those columns on the next page, under a header naming them alone, at
the heights of the lines they belong to, with no label: :func:`beside_part` cuts that part off the
table's lines (:func:`fiscalrules.document.side_by_side.side_by_side_parts`), :func:`read_beside`
gives each of its lines' figures to the right-side entry read from the line printed at its height
(:func:`fiscalrules.document.rows_beside.placed_beside`), under the column its header names -- or,
in any doubt, lists the part's lines unread.
"""

from __future__ import annotations

from ...document.model import Document, Line
from ...document.rows_beside import placed_beside
from ...document.side_by_side import side_by_side_parts
from ..common.columns import heads_figure_columns, heads_row_labels
from ..common.record import RecordBuilder
from .blocks import NUMBER, amount_figure
from .two_sided_columns import column_by_right_edge

__all__ = ["beside_part", "read_beside", "FUND_HEADS"]

# A fund column's key by the words of its header cell (the national 财政拨款收入支出决算总表's three).
FUND_HEADS = (("一般公共", "general_budget"), ("政府性基", "gov_fund"), ("国有资本", "state_capital"))
_UNJOINED = ("two-sided table: a part printed beside it on another page (its figure columns alone), "
             "its lines not matched to the table's lines, not read: ")


def _has_figure(line: Line) -> bool:
    return any(NUMBER.match(w.text) and "." in w.text for w in line.words)


def beside_part(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The table's own lines, and those of a part printed beside it on a later page (none when it
    has no such part)."""
    parts = side_by_side_parts(lines, _has_figure, lambda line: heads_row_labels(line.words),
                               lambda line: heads_figure_columns(line.words))
    # (a part under a header naming the labels' columns again is the table going on downwards: read
    # line by line as the rest)
    if parts is None or any(heads_row_labels(line.words) for part in parts[1:] for line in part):
        return lines, []
    return parts[0], [line for part in parts[1:] for line in part]


def read_beside(builder: RecordBuilder, doc: Document, where: tuple[str, str, str], own: list[Line],
                beside: list[Line], entries: dict[int, dict | str]) -> set[int]:
    """Each line of the *beside* part given to the right-side entry of the *own* line at its height
    (*entries*: by line number, the expenditure row read from it, or the record path of its total's
    group), its figures under the fund columns its header names; the lines read.  *where*: the
    record prefix, the table's title and its unit."""
    prefix, title, unit = where
    heads = [(word, key) for line in beside if not _has_figure(line) for word in line.words
             for name, key in FUND_HEADS if word.text.startswith(name)]
    rows = [line for line in beside if _has_figure(line)]
    columns = sorted((word.x0, word.x1, key) for word, key in heads)
    matched = placed_beside(rows, [line for line in own if _has_figure(line)]) \
        if len({key for *_, key in columns}) == len(columns) > 0 else None
    placements = [] if matched is None else \
        [_placed(line, columns) for line in rows]
    if matched is None or any(placed is None for placed in placements):
        for line in rows:
            builder.add_unread(title, (line.number, line.number), _UNJOINED + line.original.strip())
        return set()
    figured = [line for line in own if _has_figure(line)]
    read: set[int] = set()
    for line, index, placed in zip(rows, matched, placements):
        entry = entries.get(figured[index].number)
        if entry is None or isinstance(entry, dict) and any(key in entry for key in placed):
            builder.add_unread(title, (line.number, line.number), _UNJOINED + line.original.strip())
            continue
        for key, text in placed.items():
            figure = amount_figure(text, doc, line, title, unit)
            if isinstance(entry, dict):
                entry[key] = figure
            else:
                builder.put(f"{prefix}.{entry}.{key}", figure)
        read.add(line.number)
    return read


def _placed(line: Line, columns: list[tuple[float, float, str]]) -> dict[str, str] | None:
    """A line's figures by the fund column each stands under (None: one under none, or two under one)."""
    placed: dict[str, str] = {}
    for word in line.words:
        if not NUMBER.match(word.text):
            return None
        index = column_by_right_edge(word, [(x0, x1) for x0, x1, _ in columns])
        if index is None or columns[index][2] in placed:
            return None
        placed[columns[index][2]] = word.text
    return placed
