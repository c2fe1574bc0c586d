"""The "三公" table transposed: items as rows, years as columns (Beijing, Guangdong and many others).

    项目                          2024年预算数   2025年预算数
    合计                          11.00          10.50
    1、因公出国（境）费           0.00           0.00
    2、公务用车购置及运行维护费   6.00           6.00
      其中：公务用车购置费        0.00           0.00
            公务用车运行维护费    6.00           6.00
    3、公务接待费                 5.00           4.50

Each row is named by its item (the same names as the national layout's column headers, so the
same :func:`~fiscalrules.readers.common.columns.column_key` keys them), after its enumerator
("1、", "（一）") and "其中：". The columns are told by their headers: the current year's column
names the budget year (or 本年 / 本年预算), the prior year's names the year before (or 上年); a
column of 增减 gives each figure's printed change, one of 增长率 / 增减% its percentage. The current
column becomes the table's one row (as the national layout's one row without 单位编码), the prior
column ``tables.three_public.prior_year`` with the same keys. Where the narrative states an item's
change, the prior-year column gives it: each such pair goes to ``doc.stated_priors`` (this year's
figure as the narrative prints it, last year's as the table does), which CHG-009 checks.

A table without a 合计 row is listed, not read (its rules compare the printed 合计).
Figures are placed by position (tab cells) or, in text without positions, by their order: a row
printing fewer figures than the header has figure columns lost a blank cell and is listed, never
guessed; so is a row whose name is no item, and the table is then not read.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..common.cells import cell_value
from ..common.record import RecordBuilder, figure, source
from ..common.three_public import BLANK, NAMES, item_key, split_row
from .prior_columns import budget_year, column_role

__all__ = ["is_transposed", "read_transposed_three_public", "write_prior_year"]


def _header(lines: list[Line]) -> tuple[Line, list[str]] | None:
    """The header line (项目 … figure columns) above the first item row, with its figure cells."""
    for line in lines:
        label, figures = split_row(line)
        if figures and item_key(label):
            return None     # rows before any header
        if re.search(r"\d{4}年|本年|上年", line.compact):
            cells = [c.strip() for c in line.text.split("\t")] if "\t" in line.text else line.text.split()
            return line, _without_label([c for c in cells if c])
    return None


_LABELS = ("项目", "科目", "项目名称")


def _without_label(cells: list[str]) -> list[str]:
    """The header's figure cells: its first cell, the items' label, left out -- printed
    letter-spaced too ("项 目": two words, never two figure columns)."""
    label = ""
    for at, cell in enumerate(cells):
        label += cell
        if label in _LABELS:
            return cells[at + 1:]
        if not any(full.startswith(label) for full in _LABELS):
            break
    return cells


def is_transposed(lines: list[Line]) -> bool:
    """Whether a 三公 table prints its items as rows (two rows named by an item, a header naming years)."""
    named = sum(1 for line in lines if (lambda s: s[1] and item_key(s[0]))(split_row(line)))
    return named >= 2 and _header(lines) is not None


def read_transposed_three_public(builder: RecordBuilder, doc: Document, title: str, base: str,
                                 lines: list[Line], unit: str) -> None:
    header_line, header = _header(lines)
    year = budget_year(builder, [header])   # (none read: the later of the two years is this year's)
    roles = [column_role(c, year) for c in header]
    builder.put(f"{base}.unit", unit)
    current: dict = {}
    prior: dict = {}
    problems: list[tuple[Line, str]] = []
    read_lines: list[Line] = []
    if roles.count("current") != 1 or len([r for r in roles if r]) != len(roles):
        problems.append((header_line, f"columns not understood: {' | '.join(header)}"))
    for line in lines:
        if line is header_line or line.number <= header_line.number:
            continue
        label, cells = split_row(line)
        if not cells:
            continue
        key = item_key(label)
        printed = line.original.strip()
        if key is None or len(cells) != len(header):
            why = "not an item of the table" if key is None else \
                f"{len(cells)} figures for {len(header)} columns (a blank cell cannot be placed)"
            problems.append((line, f"{why}: {printed}"))
            continue
        src = source(doc.name, title, line.number, printed)
        values = dict(zip(roles, cells))
        cell = values.get("current", "")
        if key in current or cell in BLANK:
            problems.append((line, f"item printed twice or without this year's figure: {printed}"))
            continue
        change = values.get("change")
        pct = values.get("pct")
        current[key] = figure(cell_value(cell), unit, printed=cell if cell_value(cell) != cell else None,
                              change=cell_value(change) if change and change not in BLANK else None,
                              pct=cell_value(pct.rstrip("%")) if pct and pct not in BLANK else None, src=src)
        last = values.get("prior")
        if last is not None and last not in BLANK:
            prior[key] = figure(cell_value(last), unit, printed=last if cell_value(last) != last else None, src=src)
        read_lines.append(line)
    if "total" not in current and not problems:
        # The rules take a row's 合计 as printed: a table that prints none is listed, never
        # given a total of nothing (nor one the reader added up).
        problems.append((header_line, "no 合计 row: the table's total is not printed"))
    if problems:
        for line, why in problems:
            builder.add_unread(title, (line.number, line.number), f"table row not understood: {why}")
        for line in read_lines:
            builder.add_unread(title, (line.number, line.number), f"row not read: {len(problems)} other line(s) "
                               f"of this table were not understood: {line.original.strip()}")
        return
    builder.append(f"{base}.rows", current, section=title)
    builder.put(f"{base}.empty", False)
    write_prior_year(builder, base, title, prior)


def write_prior_year(builder: RecordBuilder, base: str, title: str, prior: dict) -> None:
    """The prior year's column as ``<base>.prior_year``, each item the narrative gives a change
    of paired with it in ``doc.stated_priors``."""
    if prior:
        builder.put(f"{base}.prior_year", prior, section=title)
    for key, last in prior.items():
        # The narrative's change of the same item ("公务接待费 4.50 万元，比上年减少 0.50 万元",
        # read before the tables) against the table's prior-year column: checked as any prior
        # printed beside a change is (doc.stated_priors, CHG-009: this year − prior = change).
        stated = builder.get(f"three_public.{key}")
        if isinstance(stated, dict) and stated.get("change") is not None:
            builder.append("doc.stated_priors", {"path": f"three_public.{key}",
                                                 "name": f"{title}·{NAMES[key]}（上年）",
                                                 "amount": stated, "prior": last})
