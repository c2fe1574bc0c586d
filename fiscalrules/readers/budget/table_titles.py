"""What names a table of the budget template: its title (the national nine, the tables many
provinces print beside them, and a title the reader does not know), whose table a title says it is,
and the shape of a table row -- asked of each line by the layout (:mod:`.sections`) before any prose
is read.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ..common.amounts import AMOUNT

__all__ = ["TABLE_KEYS", "table_title_key", "table_title", "title_owner", "confirmed_by_header",
           "unknown_title", "is_coded_row"]

_NUMERAL = "一二三四五六七八九十"
_PART = re.compile(rf"^第[{_NUMERAL}]+部分")

# (一般公共预算 with 财政拨款, or with 拨款 alone as Guangdong titles tables 5 and 6:
# "一般公共预算拨款支出表", "一般公共预算拨款基本支出表")
_FUND = r"(?:一般公共预算(?:本级)?(?:财政)?(?:拨款)?|(?<!预算)(?:本级)?财政拨款)"
# Where a title's "收入预算表" / "支出预算表" without 部门 / 单位 may start (see the income table).
_BARE = r"(?:^|(?<=年)|(?<=年度)|(?<=本级))"
# (pattern on the compact title line, block key). Order matters: specific before general.
_TABLE_TITLES: list[tuple[re.Pattern[str], str]] = [
    # Jiangxi wording (收支预算总表, 一般公共预算支出表 …) and Shanghai wording (财务收支预算总表,
    # 一般公共预算支出功能分类预算表, 一般公共预算基本支出部门预算经济分类预算表,
    # "三公"经费和机关运行经费预算表 …): the national titles with their optional qualifiers.
    # Other regions' words for the first four: "…总体情况表" ("部门收支总体情况表", "财政拨款收支总体情况
    # 表"), 收支 written out ("收入支出预算总表", "收入、支出预算总表"), and "部门收入预算表" / "部门支出预算
    # 表" without 总: after 部门 / 单位, or at the title's start or straight after its year or 本级 (the
    # owner's name and year before it: "XX中心2026年收入预算表", as many regions title them) -- never
    # after a fund or a kind of spending ("政府性基金收入预算表", "基本支出预算表" are other tables)
    (re.compile(r"财政拨款收入?[、]?支出?(?:预算)?(?:总体情况|总)表"), "appropriation_summary"),
    (re.compile(r"收入?[、]?支出?(?:预算)?(?:总体情况|总)表"), "summary"),
    (re.compile(r"(?:部门|单位)?收入(?:预算)?(?:总体情况|总)表|(?:部门|单位)收入预算表|" + _BARE + "收入预算表"), "income"),
    (re.compile(r"(?:部门|单位)?支出(?:预算)?(?:总体情况|总)表|(?:部门|单位)支出预算表|" + _BARE + "支出预算表"), "expenditure"),
    # Tables 5 and 6 are named by their fund (一般公共预算, with 本级 / 财政拨款 optional, or
    # 财政拨款 alone as several provinces print it) and their subject (基本支出 / 支出); a title
    # that names its fund only as 财政拨款 is that table only when its header says so
    # (see confirmed_by_header).
    # ("…情况表": "2025年一般公共预算基本支出情况表", as some regions title them; "…明细表":
    # "一般公共预算支出明细表（按支出功能分类科目）", "一般公共预算基本支出明细表", as Shaanxi does)
    (re.compile(_FUND + r"基本支出(?:部门预算)?(?:经济分类)?(?:预算)?(?:明细|情况)?表"), "general_budget_basic"),
    (re.compile(_FUND + r"支出(?:功能分类)?(?:预算)?(?:明细|情况)?表"), "general_budget"),
    (re.compile(r"三公.{0,3}经费(?:和机关运行经费)?(?:预算)?(?:支出)?(?:预算)?(?:情况)?表"), "three_public"),
    (re.compile(r"政府性基金(?:预算)?(?:财政拨款)?(?:支出|收支)(?:功能分类)?(?:预算)?(?:情况)?表"), "gov_fund"),
    (re.compile(r"国有资本经营(?:预算)?(?:财政拨款)?(?:支出|收支)(?:功能分类)?(?:预算)?(?:情况)?表"), "state_capital"),
    (re.compile(r"(?:部门|单位)?整体(?:支出)?绩效目标表"), "performance_overall"),
    (re.compile(r"项目(?:支出)?绩效目标(?:申报)?表"), "performance_project"),
    # Tables listing items, not codes (readers/budget/listings.py), and the staff counts as a
    # table (readers/budget/staff_table.py): printed by many provinces beside the national nine.
    (re.compile(r"项目支出(?:预算)?(?:明细)?表"), "projects"),
    (re.compile(r"政府采购(?:预算)?(?:明细)?表"), "procurement"),
    (re.compile(r"(?:部门|单位)基本情况表|人员(?:编制)?(?:基本)?情况(?:统计)?表|(?:机构)?人员(?:构成|编制)表"
                r"|编制(?:及|和)实有人员(?:情况)?表"), "staff"),
]
TABLE_KEYS = tuple(key for _, key in _TABLE_TITLES)

# Asked of nearly every line (~400 per document): compiled once, not looked up in re's cache each time.
_TABLE_NUMBER = re.compile(r"^(?:附表|表)?\d*[-:.、]?\d*[.、]?")
_NUMERAL_ENUMERATOR = re.compile(rf"^[{_NUMERAL}]+[、.]")


def table_title_key(compact_line: str) -> str | None:
    """The table key when *compact_line* is a standard table's title (e.g. in the contents)."""
    entry = re.sub(r"[.…·\-\d]+$", "", compact_line.lstrip("-·•"))    # leader dots, page number
    return table_title(entry)


# A note in brackets after a title saying the table is empty: "附件8：2026年政府性基金预算支出表（本部门无政府性
# 基金预算收支，此表为空表）", as a narrative lists the tables it publishes as attachments -- the title
# still, not a line of the table listed before it (which was read as that table, empty)
_EMPTY_NOTE = re.compile(r"(?<=表)\([^()]{0,40}(?:空表|无数据|没有数据)[^()]{0,10}\)$")


def table_title(compact_line: str) -> str | None:
    # Every title of _TABLE_TITLES ends with 表: a line without one (nearly all) is none of them.
    if "表" not in compact_line or "详见" in compact_line or "见附" in compact_line:
        return None
    if compact_line.endswith(")"):
        compact_line = _EMPTY_NOTE.sub("", compact_line)
    if len(compact_line) > 45:
        return None
    body = _TABLE_NUMBER.sub("", compact_line, count=1)
    body = _NUMERAL_ENUMERATOR.sub("", body, count=1).strip("《》<>\"“”")
    for pattern, key in _TABLE_TITLES:
        found = pattern.search(body)
        # The title has to end the line (a department/year prefix is allowed before it).
        # (no sentence before it: "…安排的支出，国有资本经营预算支出表 / 为空表。" wraps after 表)
        if found and len(_unqualified(body[found.end():], key)) <= 8 and not AMOUNT.search(body) \
                and not _SENTENCE_BEFORE.search(body, 0, found.start()):
            if key.startswith("general_budget") and _OTHER_FUNDS.search(body):
                continue        # "政府性基金财政拨款支出表" is not the 一般公共预算 table
            return key
    return None


# The basic table's classification in brackets after 表, as Sichuan's counties print it ("一般公共预算
# 基本支出预算表（部门经济分类科目）", Yunnan's "（按经济科目分类）"): the basic table is by economic
# class anyway.  (Not for the other tables: "财政拨款支出预算表（部门经济分类科目）" is by economic class,
# no 一般公共预算支出表.)  The words come in every order the provinces print: 经济分类 / 经济分类科目 /
# 经济科目分类 / 经济科目, after 按 / 支出 / 部门 / 政府 / 预算.
_ECONOMIC_QUALIFIER = re.compile(r"^\((?:按)?(?:支出)?(?:部门|政府)?(?:预算)?经济(?:分类科目|科目分类|分类|科目)\)")
# The function tables' own classification after 表 ("一般公共预算支出明细表（按支出功能分类科目）",
# "一般公共预算支出预算表（按功能科目分类）"): those tables are by function anyway.  (The 一般公共预算
# 支出表's twin "…（按支出经济分类科目）" is no national table: unknown.)
_FUNCTION_QUALIFIER = re.compile(r"^\((?:按)?(?:支出)?功能(?:分类科目|科目分类|分类|科目)\)")
# (the income, expenditure and fund tables of the template are by function as well)
_QUALIFIERS = {"general_budget_basic": _ECONOMIC_QUALIFIER, "general_budget": _FUNCTION_QUALIFIER,
               "income": _FUNCTION_QUALIFIER, "expenditure": _FUNCTION_QUALIFIER,
               "gov_fund": _FUNCTION_QUALIFIER, "state_capital": _FUNCTION_QUALIFIER}


def _unqualified(after_title: str, key: str) -> str:
    """What follows a title on its line, less the classification qualifier of tables 5 and 6."""
    qualifier = _QUALIFIERS.get(key)
    return qualifier.sub("", after_title, count=1) if qualifier is not None else after_title


def title_owner(title: str, key: str) -> str:
    """Who a table's title names before the title proper ("青山县不动产登记中心" of
    "青山县不动产登记中心单位收入总表", "青山县自然资源局" of "附表2 青山县自然资源局2025年部门收入总表"):
    its department or one of its units; empty when it names nobody."""
    body = _NUMERAL_ENUMERATOR.sub("", _TABLE_NUMBER.sub("", re.sub(r"\s+", "", title), count=1), count=1)
    for pattern, found_key in _TABLE_TITLES:
        found = pattern.search(body) if found_key == key else None
        if found:
            owner = re.sub(r"(?:20\d{2}|[〇一二三四五六七八九零]{4})年度?$", "", body[:found.start()])
            return owner.strip("《》<>\"“”-—:：")
    return ""


_SENTENCE_BEFORE = re.compile(r"[,;。]")
_OTHER_FUNDS = re.compile(r"政府性基金|国有资本|三公")
# What the header of tables 5 and 6 prints (科目编码 … 基本支出 / 项目支出; 人员经费 / 公用经费):
# a title naming its fund only as 财政拨款 is taken for one of them only with this header.
_HEADER_OF = {"general_budget": re.compile(r"基本支出|项目支出"),
              "general_budget_basic": re.compile(r"人员经费|公用经费")}
_CODE_HEADER = re.compile(r"科目|编码|代码")


def confirmed_by_header(doc: Document, number: int, key: str, title: str) -> str:
    """*key* when the title names the 一般公共预算 or the table's header (the next lines) prints
    the columns that table has, else "unknown" (a table the reader does not read, listed)."""
    header = _HEADER_OF.get(key)
    if header is None or "一般公共预算" in title:
        return key
    lines = [l.compact for l in doc.content_lines(number + 1, min(len(doc), number + 12))][:8]
    if any(_CODE_HEADER.search(l) for l in lines) and any(header.search(l) for l in lines):
        return key
    return "unknown"


# A title the reader does not know ("部门支出预算表（按功能科目）", "项目支出预算表"): short, ends
# with 表 (and a bracketed qualifier), names money, no sentence. It starts a block of its own
# (key "unknown") when coded rows follow, so those rows are listed as unread and counted, never
# swallowed by the table above or dropped.
_UNKNOWN_TITLE = re.compile(r"(?:预算|决算|支出|收入|经费|拨款|资金)[^。，；：,;:]{0,20}表(?:\([^()]{1,12}\))?$")


def unknown_title(doc: Document, line) -> bool:
    text = line.compact
    if len(text) > 40 or "表" not in text or not _UNKNOWN_TITLE.search(text) or "见" in text or AMOUNT.search(text) \
            or _PART.match(text):
        return False
    following = list(doc.content_lines(line.number + 1, min(len(doc), line.number + 20)))[:10]
    return any(is_coded_row(l) for l in following)


_FIGURE_CELL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")


def is_coded_row(line) -> bool:
    """A table row by its shape: a classification code (a 款 printed as its two digits too) or
    合计, a name, a figure at the end."""
    words = line.words
    if len(words) < 2 or not _FIGURE_CELL.match(words[-1].text):
        return False
    first = words[0].text
    if first in ("合计", "总计"):
        return True
    return len(words) >= 3 and bool(_ROW_CODE.fullmatch(first)) and not _FIGURE_CELL.match(words[1].text)


_ROW_CODE = re.compile(r"\d{2}|\d{3}(?:\d{2}){0,2}")
