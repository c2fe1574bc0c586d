"""Performance target tables: 部门整体支出绩效目标表 and 项目支出绩效目标表.

A table has a form part -- 部门名称 / 项目名称, 主管部门及代码 and 实施单位, the funds ("收入预算合计
15,915.97", "其中：财政拨款 13,424.55 其他经费 2,491.42", "年度资金总额 220" …), the goal
(年度总体目标 / 年度绩效目标) -- and the indicator rows, read by :mod:`.indicators`.

Funds are read label by label from each line of the model (a PDF's line gives its cells in
order, as a text line does), so a merged cell printed beside them ("当年预算情况（万元）",
"项目资金（万元）", vertically centred over its rows in a PDF) only sets the unit. The goal is
the text between the last form line and the indicators, its label wherever the merged cell put
it (above, beside or in the middle of the goal's lines). A project's 财政拨款 printed as its kind
("其中：一般公共预算拨款 2,450,000.00": a web page's or Word form's cells) is its appropriation; a
主管部门 printed on the name's row is no part of the name; a title (and its notes) standing over
forms that follow as tables of their own is no project.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..common.record import RecordBuilder, figure, source
from .indicators import header_start, parse_target, read_indicators
from .sections import Block

__all__ = ["read_performance_table", "parse_target"]

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# 其中 by the kind of 财政拨款 ("其中：一般公共预算拨款"): the appropriation where it prints one kind and
# no 财政拨款 line, in the overall form as in a project's (a 单位整体支出绩效目标表: "资金总额 1,381.52 |
# 其中：一般公共预算拨款 1,366.02 | 其他资金 15.50")
_APPROPRIATION_KINDS = [
    ("其中[:]?一般公共预算(?:拨款)?", "general_budget"),
    ("其中[:]?政府性基金(?:预算)?(?:拨款)?", "gov_fund"),
    ("其中[:]?国有资本经营(?:预算)?(?:拨款)?", "state_capital"),
]
_OVERALL_FUNDS = [
    # ("年度预算资金（万元） 1074.38 | 其中 财政拨款 … | 其他资金 …": the form's funds in all, as a
    # Word form labels them beside the 部门名称)
    ("收入预算合计|收入合计|资金总额|(?:年度)?预算资金(?:总额)?", "income_total"),
    ("支出预算合计|支出合计", "expenditure_total"),
    ("财政拨款", "appropriation"),
    *_APPROPRIATION_KINDS,
    ("其他经费|其他资金", "other"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("上年结转", "carryover"),
]
_PROJECT_FUNDS = [
    # (the project's one amount where a form splits no funds, the merged cell's label with the figure
    # beside it: "项目资金（万元） 3200.00", "预算金额（万元） 64.20", "项目预算金额", "年度预算金额", "项目金额")
    (r"年度资金总额|资金总额|项目资金(?:\((?:万元|元|亿元)\))?|(?:项目|年度)?预算金额|项目金额", "total"),
    ("财政拨款", "appropriation"),
    # (two kinds printed: their sum, which no line prints, is not made up -- _appropriation_of_kinds)
    *_APPROPRIATION_KINDS,
    ("其他资金|其他经费", "other"),
    ("上年结转", "carryover"),
]
_GOAL_LABEL = re.compile(r"年度(?:总体|绩效)?目标[:]?")
_FORM_LABEL = re.compile(r"^(?:(?:部门|项目)名称|主管部门|实施单位|当年预算情况|项目资金|年度绩效指标|"
                         r"\((?:万元|元|亿元)\)$)")
_YEAR_LINE = re.compile(r"\(?[\d,]+年度?\)?")


def read_performance_table(builder: RecordBuilder, doc: Document, block: Block) -> None:
    lines = doc.content_lines(block.first, block.last)
    overall = block.key == "performance_overall"
    title = block.title or ("部门整体支出绩效目标表" if overall else "项目支出绩效目标表")
    header_at = next((i for i, l in enumerate(lines) if "一级指标" in l.compact), None)
    header_at = len(lines) if header_at is None else header_start(lines, header_at)
    form = [l for l in lines[:header_at] if not _YEAR_LINE.fullmatch(l.compact)
            and not (block.title and l.number == block.first)]
    info: dict = {}
    unit = "万元"
    goal_at = next((i for i, l in enumerate(form) if _GOAL_LABEL.match(l.compact)), None)
    goal_lines = _goal_lines(form, goal_at, overall) if goal_at is not None else []
    goal_numbers = {l.number for l in goal_lines}
    for line in form:
        found = re.search(r"\((?P<unit>万元|元|亿元)\)", line.compact)
        if found:
            unit = found.group("unit")
    for line in form:
        if line.number in goal_numbers:
            continue
        text = re.sub(r"\s+", " ", line.text.replace("\t", " ")).strip()
        compact = line.compact
        named = re.match(r"(?:部门|项目)名称[:]?(?P<name>.*?)(?:主管部门(?:及代码)?[:]?(?P<dep>.+))?$", compact)
        if named:       # (主管部门 printed beside the name, a Word form's cells: not part of it)
            info["name"] = named.group("name")
            # (nor the funds' cells beside it: "项目名称 | X | 预算金额（万元） | 52.40")
            funds_at = _funds_cell(text, _OVERALL_FUNDS if overall else _PROJECT_FUNDS)
            funds = re.sub(r"\s+", "", text[funds_at:]) if funds_at is not None else ""
            if funds and info["name"].endswith(funds):
                _read_funds(builder, doc, line, text[funds_at:], unit, title, info,
                            _OVERALL_FUNDS if overall else _PROJECT_FUNDS)
                info["name"] = info["name"][:-len(funds)]
            if named.group("dep"):      # (less a unit printed after it: "…局  单位：万元")
                info["department"] = re.sub(r"(?:金额)?单位[:]?(?:万元|元|亿元)$", "", named.group("dep"))
            continue
        found = re.match(r"主管部门(?:及代码)?[:]?\s*(?P<dep>.+?)\s+实施单位[:]?\s*(?P<impl>.+)$", text)
        if found:
            info["department"] = re.sub(r"\s+", "", found.group("dep"))
            info["implementer"] = re.sub(r"\s+", "", found.group("impl"))
            continue
        found = re.match(r"(?:(?P<dep_label>主管部门(?:及代码)?)|实施单位)[:]?\s*(?P<unit>\S+)\s*", text)
        if found:       # (its line goes on with the funds: "实施单位 X 项目资金（万元） 年度资金总额 1850.00")
            info["department" if found.group("dep_label") else "implementer"] = found.group("unit")
            text = text[found.end():]
        _read_funds(builder, doc, line, text, unit, title, info,
                    _OVERALL_FUNDS if overall else _PROJECT_FUNDS)
    goal = "".join(_goal_text(l) for l in goal_lines)
    if goal:
        info["goal"] = goal
    for kind in _appropriation_of_kinds(info):
        builder.add_unread(title, (kind["source"]["line"],) * 2, "an appropriation printed by kind "
                           f"(not added up): {kind['source']['text']}")
    if not info and header_at == len(lines):
        return      # (a title and its notes: the projects' forms follow as tables of their own)
    if overall:
        if "name" in info:
            builder.put("performance.overall.department", info.pop("name"))
        for key, value in info.items():
            builder.put(f"performance.overall.{key}", value)
        if header_at < len(lines):
            read_indicators(builder, doc, lines[header_at:], title, None)
    else:
        project = info.get("name", "")
        row = {"name": project}
        row.update({k: v for k, v in info.items() if k != "name"})
        builder.append("performance.projects", row)
        if header_at < len(lines):
            # (the national one-table layout names the project and its goal in the table's own
            # columns: the unit's name printed before the project's, as the 单位名称 line above says)
            side = read_indicators(builder, doc, lines[header_at:], title, project, _owner(form, builder))
            row["name"] = side.get("name", project)
            if "goal" in side:
                row.setdefault("goal", side["goal"])


def _owner(form: list[Line], builder: RecordBuilder) -> str:
    """The unit whose table this is: the "单位名称：" line above it, else the document's publisher."""
    for line in form:
        found = re.match(r"(?:单位|部门)名称[:](?P<owner>.+?)(?:(?:金额)?单位[:].*)?$", line.compact)
        if found:
            return found.group("owner")
    publisher = builder.get("doc.publisher")
    return str(publisher.get("value", "")) if isinstance(publisher, dict) else ""


def _appropriation_of_kinds(info: dict) -> list[dict]:
    """A project's 财政拨款 from the one kind it prints (其中：一般公共预算拨款 …) where it prints no
    财政拨款 line; the kinds' figures left over (two or more kinds: their sum is printed nowhere,
    and a record figure is one a line prints)."""
    kinds = [info.pop(key) for key in ("general_budget", "gov_fund", "state_capital") if key in info]
    if len(kinds) == 1 and "appropriation" not in info:
        info["appropriation"] = kinds[0]
        return []
    return kinds


def _is_funds_line(line: Line, overall: bool) -> bool:
    labels = _OVERALL_FUNDS if overall else _PROJECT_FUNDS
    return any(re.search(rf"(?:{pattern})[:]?\s*{_LABEL_UNIT}\s*{_NUMBER}", line.text) for pattern, _ in labels)


def _goal_lines(form: list[Line], goal_at: int, overall: bool) -> list[Line]:
    """The goal's lines: its label's line and what follows up to the indicators, and, when the
    label was printed in the middle of a merged cell, the lines above it back to the last form
    line (name, department, funds, a unit line)."""
    lines = [form[goal_at]]
    lines.extend(l for l in form[goal_at + 1:] if not _FORM_LABEL.match(l.compact))
    above = []
    for line in reversed(form[:goal_at]):
        if _FORM_LABEL.match(line.compact) or _is_funds_line(line, overall):
            break
        above.append(line)
    return list(reversed(above)) + lines


def _goal_text(line: Line) -> str:
    """A goal line without the goal's label and markup left by extraction."""
    if _GOAL_LABEL.match(line.compact):      # the label cell, at the left of its line
        return re.sub(r"<[^>]+>", "", _GOAL_LABEL.sub("", line.compact, count=1)).strip()
    return re.sub(r"<[^>]+>", "", line.text).strip()


# a unit printed in the label's cell, between it and its figure ("预算金额（万元） 64.20")
_LABEL_UNIT = r"(?:\((?:万元|元|亿元)\))?"


def _funds_cell(text: str, labels) -> int | None:
    """Where the first cell of *text* (a form line, its cells apart) that is one of *labels* with
    its figure starts."""
    starts = [found.start() for pattern, _ in labels
              for found in [re.search(rf"(?<=\s)(?:{pattern})[:]?\s*{_LABEL_UNIT}\s*{_NUMBER}(?![\d.])", text)] if found]
    return min(starts) if starts else None


def _read_funds(builder: RecordBuilder, doc: Document, line: Line, text: str, unit: str,
                title: str, info: dict, labels) -> None:
    src = source(doc.name, title, line.number, line.original.strip())
    rest = text
    for pattern, key in labels:
        for found in re.finditer(rf"(?:{pattern})[:]?\s*{_LABEL_UNIT}\s*(?P<num>{_NUMBER})(?![\d.])", text):
            rest = rest.replace(found.group(0), " ", 1)
            value = found.group("num").replace(",", "")
            if key in info:
                builder.add_unread(title, (line.number, line.number),
                                   f"second {key} figure {found.group('num')} in a performance table")
                continue
            label = re.sub(rf"[:\s]|{_LABEL_UNIT}", "", text[found.start():found.start("num")])
            printed = found.group("num") if value != found.group("num") else None
            # the figure's own box when the line's text is the one searched (a PDF line)
            box = line.box(found.start("num"), found.end("num")) if text == line.text else None
            info[key] = figure(value, unit, printed=printed, label=label,
                               src=source(doc.name, title, line.number, line.original.strip(),
                                          box=box) if box else src)
    if re.search(r"\d", re.sub(r"\(?[\d,]+\s*年度?\)?", "", rest)):
        builder.add_unread(title, (line.number, line.number),
                           f"performance table row not read: {line.original.strip()}")
