"""The department's self-evaluation of its whole spending (部门整体支出绩效自评): the supplementary table
(部门整体支出绩效自评表, :func:`read_department_evaluation`) and the 情况说明's sentence on it
(:func:`read_department_sentence`).

The table, as the national 绩效自评表 lays its funds out::

    预算资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
    年度资金总额     | B | A | E | 10 | P% | S
    其中：财政拨款 / (当年财政拨款, 上年结转资金) / 其他资金 | …
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分
    …
    总分 | 100 | T

into ``tables.department_evaluation``: the fund rows (``total``, ``fiscal``, ``carried_over``, ``other``)
by their columns, each indicator's weight and score (``indicators``), and the total weight and score.
The sentence ("部门整体支出全年预算数 A 万元，全年执行数 E 万元，预算执行率 P%，自评得分 S 分。其中：财政拨款年初预算
B 万元，年中追加调整 C 万元，上年结转资金 D 万元；其他资金年初预算 …") into ``performance.department``.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ..common.record import RecordBuilder
from .extra_cells import Row, by_columns, cell_figure, header_roles
from .running_text import FIGURE, RunningText, figure_at

__all__ = ["read_department_evaluation", "read_department_sentence"]

_FUND_COLUMNS = {r"年初预算": "budget", r"全年预算|调整后?预算": "adjusted_budget", r"执行数|实际支出|决算数": "executed",
                 r"执行率": "rate", r"分值|权重": "weight", r"得分": "score", r"资金|项目|指标": ""}
_INDICATOR_HEADER = ("一级指标", "二级指标")
_UNITS = {"budget": "万元", "adjusted_budget": "万元", "executed": "万元", "rate": "%", "weight": "分", "score": "分"}


# the funds' rows: the total, 财政拨款 (当年财政拨款), 上年结转资金, 其他资金
_FUND_ROWS = ((re.compile(r"(?:年度)?(?:资金|预算资金)?(?:总额|合计|总计)"), "total"),
              (re.compile(r"(?:当年)?财政拨款(?:资金)?"), "fiscal"),
              (re.compile(r"上年结转(?:资金)?"), "carried_over"), (re.compile(r"其他资金"), "other"))


def _fund_row(label: str) -> str | None:
    label = re.sub(r"^其中[:：]?", "", label)
    return next((key for pattern, key in _FUND_ROWS if pattern.fullmatch(label)), None)


def read_department_evaluation(builder: RecordBuilder, doc: Document, rows: list[Row], section: str) -> set[int]:
    read: set[int] = set()
    base = "tables.department_evaluation"
    header = header_roles(rows, _FUND_COLUMNS)
    columns = header[1] if header else []
    indicators = False
    for row in rows[(header[0] + 1) if header else 0:]:
        if all(word in row.label for word in _INDICATOR_HEADER):
            indicators = True
            continue
        if not row.cells:
            continue
        figures = [cell for cell in row.cells if cell is not None]
        if re.fullmatch(r"(?:总分|合计得分|总得分|合计)", row.label) and len(figures) == 2 and indicators:
            for key, cell in zip(("total_weight", "total_score"), figures):
                builder.put(f"{base}.{key}", cell_figure(doc, row, cell, section, "分"))
            read.add(row.line.number)
            continue
        if indicators:
            # (an indicator's weight and score: its last two cells, after its target and actual value)
            if len(row.cells) >= 2 and all(cell is not None and not cell.endswith("%") for cell in row.cells[-2:]):
                name = row.labels[2] if len(row.labels) >= 3 else row.label
                builder.append(f"{base}.indicators", {"name": name, "weight": cell_figure(doc, row, row.cells[-2], section, "分"),
                                                      "score": cell_figure(doc, row, row.cells[-1], section, "分")},
                               section=section)
                read.add(row.line.number)
            continue
        fund = _fund_row(row.label)
        if fund is None:
            continue
        for role, cell in by_columns(row, columns).items():
            builder.put(f"{base}.{fund}.{role}", cell_figure(doc, row, cell, section, _UNITS[role]))
            read.add(row.line.number)
    return read


# ---- the 情况说明's sentence ----------------------------------------------------------------------------------

_LEAD = re.compile(r"(?:部门)?整体支出(?:绩效自评)?(?:情况|结果)?[:,，：]?")
_ITEM = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,20}?)(?:为|是|达到?)?(?P<value>" + FIGURE[1:-1] + r")(?P<unit>万元|元|%|分)")
_SENTENCE_KEYS = ((r"年初预算(?:数)?(?:安排)?$", "budget"), (r"(?:全年|调整后?)预算(?:数)?$", "adjusted_budget"),
                  (r"(?:全年)?执行(?:数|金额)$|实际支出$", "executed"), (r"执行率$", "rate"), (r"(?:自评)?得分$", "score"),
                  (r"(?:年中)?追加(?:调整)?(?:数|预算)?$|年中调整(?:数)?$", "additions"), (r"上年结转(?:资金)?$", "carried_over"))
_FUNDS = ((r"财政拨款", "fiscal"), (r"其他资金", "other"))


def department_sentence(text: str) -> tuple[int, int] | None:
    """Where the 情况说明 states the department's whole-spending self-evaluation: from its lead ("部门整体支出
    全年预算数…") to the end of its sentence, and of the next one where it breaks the figures down
    ("其中：财政拨款年初预算…")."""
    for lead in _LEAD.finditer(text):
        end = text.find("。", lead.end())
        end = len(text) if end < 0 else end
        if not _ITEM.search(text, lead.end(), end) or not any(
                re.search(pattern, found.group("label")) for found in _ITEM.finditer(text, lead.end(), end)
                for pattern, _ in _SENTENCE_KEYS[:3]):
            continue
        if text.startswith("其中", end + 1):
            after = text.find("。", end + 1)
            end = len(text) if after < 0 else after
        return lead.start(), end
    return None


def read_department_sentence(builder: RecordBuilder, t: RunningText) -> tuple[int, int] | None:
    """The sentence's figures into ``performance.department`` (its funds' under ``.fiscal`` / ``.other``:
    the fund named at the start of a clause holds to the next "；"); where it stands in the text."""
    span = department_sentence(t.text)
    if span is None:
        return None
    fund = None
    for found in _ITEM.finditer(t.text, *span):
        before = t.text[span[0]:found.start()]
        if re.search(r"[；;。]$|其中[:：]?$", before):
            fund = None
        label = found.group("label")
        named = next((key for pattern, key in _FUNDS if label.startswith(re.sub(r"\\", "", pattern))), None)
        fund = named or fund
        key = next((key for pattern, key in _SENTENCE_KEYS if re.search(pattern, label)), None)
        if key is None:
            continue
        unit = {"%": "%", "分": "分"}.get(found.group("unit"))
        path = "performance.department" + (f".{fund}" if fund else "") + f".{key}"
        builder.put(path, figure_at(t, found, "value", "情况说明", unit))
    return span
