"""A project's 绩效自评表 printed inside the 情况说明 (十、预算绩效管理情况: a Word table among its paragraphs, a
PDF's ruled grid), as the national 项目支出绩效自评表 lays it out:

    项目名称 | 某某项目
    主管部门 | … | 实施单位 | …
    项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | (分值) | 执行率 | (得分)
    年度资金总额 | B | A | E | (10) | P% | (S)
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | (分值 | 得分 | 偏差原因)
    产出指标 | 数量指标 | … | ≥60个 | 63个 | …

It is no prose: its lines are kept out of the running text (read as sentences, its indicator values were
counts "not mapped to a field", its header words the labels of the next figure).  Its funds line is the
project's ``performance.projects`` row (the figures under the header's columns, in their order, where
the line prints one for each); its indicators are listed as one unread entry.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..budget.indicators import LEVEL_NAMES
from ..common.record import RecordBuilder
from .blocks import amount_figure

__all__ = ["find_self_evaluation_tables", "read_self_evaluation_table"]

_SECTION = "情况说明"
# the funds header's columns, by the row's keys (分值 / 得分: the score, not read)
_FUND_COLUMNS = {"年初预算数": "budget", "全年预算数": "adjusted_budget", "调整预算数": "adjusted_budget",
                 "全年执行数": "executed", "执行数": "executed", "执行率": "rate", "分值": None, "得分": None}
_FIGURE = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$")
_UNIT = re.compile(r"[(（](万元|元)[)）]")
_INDICATOR_HEADER = ("一级指标", "二级指标")
_LEVELS = tuple(LEVEL_NAMES)


def _funds_header(line: Line) -> bool:
    return line.compact.startswith("项目资金") and "预算数" in line.compact and "执行" in line.compact


def _indicator_header(line: Line) -> bool:
    return all(word in line.compact for word in _INDICATOR_HEADER)


def find_self_evaluation_tables(doc: Document, first: int, last: int) -> list[tuple[int, int]]:
    """The lines (first, last) of each project 绩效自评表 printed on lines *first*..*last*: from its 项目名称
    line (with its funds header or indicator header within the next lines), or its indicator header
    alone, to the last indicator row -- a line starting with a level name (产出指标, 数量指标 …; a Word row
    whose first cells are merged starts with the next one) or holding table cells (tabs)."""
    tables = []
    n = first
    while n <= last:
        line = doc.line(n)
        ahead = [doc.line(k) for k in range(n, min(n + 5, last + 1))]
        starts = (line.compact.startswith("项目名称") and any(_funds_header(a) or _indicator_header(a) for a in ahead)) \
            or _indicator_header(line)
        if not starts:
            n += 1
            continue
        end = n
        header = next((k for k in range(n, min(n + 6, last + 1)) if _indicator_header(doc.line(k))), None)
        if header is None:
            end = next((k for k in range(n, min(n + 6, last + 1)) if doc.line(k).compact.startswith(("年度资金总额", "资金总额"))), n)
        else:
            end = header
            for k in range(header + 1, last + 1):
                row = doc.line(k)
                if row.blank or doc.is_noise(k):
                    continue
                if not (row.compact.startswith(_LEVELS) or "\t" in row.original):
                    break
                end = k
        tables.append((n, end))
        n = end + 1
    return tables


def read_self_evaluation_table(builder: RecordBuilder, doc: Document, first: int, last: int) -> None:
    """The funds line of the table on lines *first*..*last* as a ``performance.projects`` row; its
    indicators listed."""
    lines = [doc.line(n) for n in range(first, last + 1) if not doc.line(n).blank]
    name_line = next((line for line in lines if line.compact.startswith("项目名称")), None)
    header = next((line for line in lines if _funds_header(line)), None)
    funds = None if header is None else next(
        (line for line in lines if line.number > header.number and line.compact.startswith(("年度资金总额", "资金总额"))), None)
    if header is not None and funds is not None:
        columns = [_FUND_COLUMNS[w.text] for w in header.words if w.text in _FUND_COLUMNS]
        figures = [w.text for w in funds.words if _FIGURE.match(w.text)]
        unit = _UNIT.search(header.compact)
        if len(columns) == len(figures) and "executed" in columns:
            row = {"name": name_line.compact[len("项目名称"):] if name_line is not None else ""}
            for key, text in zip(columns, figures):
                if key == "rate":
                    row[key] = amount_figure(text.rstrip("%"), doc, funds, _SECTION, "%")
                elif key is not None:
                    row[key] = amount_figure(text, doc, funds, _SECTION, unit.group(1) if unit else "万元")
            builder.append("performance.projects", row, section=_SECTION)
        else:
            builder.add_unread(_SECTION, (funds.number, funds.number),
                               "a project's 绩效自评表: its funds line's figures do not stand one under each "
                               f"column of its header: {funds.original.strip()}")
    indicators = next((line.number for line in lines if _indicator_header(line)), None)
    if indicators is not None and indicators < last:
        builder.add_unread(_SECTION, (indicators, last), "a project's 绩效自评表 in the 情况说明: its indicators "
                           "(一级 / 二级 / 三级指标, 年度指标值, 实际完成值) are not read")
