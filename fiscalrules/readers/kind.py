"""Which template a document is: by its title and the set of tables it prints or lists.

A phrase anywhere in the text decides nothing (a budget may say "部门决算" in its glossary, a final
account "部门预算" in a sentence).  The *title* -- the first lines before the table of contents or
the first heading -- names the kind ("2024 年度部门决算", "2025 年部门预算"), and the standard table
titles confirm it: the 决算 tables are "…决算表" / "…决算总表", the 预算 tables "…预算表" / "…收支总表".
"""

from __future__ import annotations

import re

from ..document.model import Document

__all__ = ["document_kind", "looks_like_final_accounts", "FINAL_ACCOUNTS", "BUDGET"]

FINAL_ACCOUNTS = "final_accounts"
BUDGET = "budget_disclosure"

_TITLE_FINAL = re.compile(r"(?:\d{4}年度?)?(?:部门|单位)决算")
_TITLE_BUDGET = re.compile(r"(?:\d{4}年度?)?(?:部门|单位)预算")
_FINAL_TABLES = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "财政拨款支出决算表",
                 "基本支出决算表", "经费支出决算表", "收入支出决算表")
_BUDGET_WORDS = ("部门预算", "单位预算", "预算情况说明", "预算表")
_BUDGET_TABLES = ("收支预算总表", "收入预算总表", "支出预算总表", "收入总表", "支出总表", "财政拨款收支总表",
                  "一般公共预算支出表", "基本支出表", "经费支出表", "预算支出表")


def _title_text(doc: Document, limit: int = 8) -> str:
    """The compact text of the first non-blank lines, up to the table of contents or a part
    heading (the cover)."""
    out = []
    for line in doc.lines:
        if line.blank:
            continue
        if re.match(r"^(?:目录|第[一二三四五六七八九十]+部分)", line.compact) and out:
            break
        out.append(line.compact)
        if len(out) >= limit:
            break
    return "".join(out)


def document_kind(doc: Document) -> str | None:
    """``final_accounts``, ``budget_disclosure`` or None (neither title nor tables say)."""
    title = _title_text(doc)
    final_title, budget_title = bool(_TITLE_FINAL.search(title)), bool(_TITLE_BUDGET.search(title))
    # The lines ending with a table title, found with one str.endswith per line (the titles as
    # a tuple) before each title is looked for among those few.
    lines = [line.compact for line in doc.lines if len(line.compact) <= 40]
    final_lines = [line for line in lines if line.endswith(_FINAL_TABLES)]
    budget_lines = [line for line in lines if line.endswith(_BUDGET_TABLES) and "决算" not in line]
    final_tables = sum(1 for name in _FINAL_TABLES if any(line.endswith(name) for line in final_lines))
    budget_tables = sum(1 for name in _BUDGET_TABLES if any(line.endswith(name) for line in budget_lines))
    if final_title and not budget_title:
        return FINAL_ACCOUNTS
    if budget_title and not final_title:
        return BUDGET
    if final_tables >= 3 and final_tables > budget_tables:
        return FINAL_ACCOUNTS
    if budget_tables >= 3 and budget_tables > final_tables:
        return BUDGET
    # Neither the title nor the table titles were seen (a cover or title in an image, pages the
    # layout could not read): the words of the whole text decide, as the budget reader would
    # when it refuses a 决算 -- so a 决算 is read as one rather than refused as "not a budget".
    if looks_like_final_accounts("".join(line.compact for line in doc.lines)):
        return FINAL_ACCOUNTS
    return None


def looks_like_final_accounts(text: str) -> bool:
    """Whether a disclosure's compact *text* speaks of 决算 (three times or more) and of no
    budget (no 部门预算 / 单位预算 / 预算情况说明 / 预算表)."""
    return text.count("决算") >= 3 and not any(word in text for word in _BUDGET_WORDS)
