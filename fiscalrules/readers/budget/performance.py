"""Performance target tables: 部门整体支出绩效目标表 and 项目支出绩效目标表.

Funds are read label by label from the rows ("年度资金总额 220", "其中：财政拨款 13,424.55 其他经费
2,491.42"). Indicator rows are read by position when tab-separated; otherwise the level names
(产出指标 / 数量指标 …) are peeled off the front of the text and the 指标值 off its end, joining
lines until a value appears — extraction wraps indicator names, and even level names ("满意度指"
/ "标"), across lines.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..common.record import RecordBuilder, figure, source
from .sections import Block

__all__ = ["read_performance_table", "parse_target"]

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")
_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标",
           "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "生态环境效益指标",
           "可持续影响指标", "服务对象满意度指标", "服务对象满意度", "满意度")
_LEVEL_NAMES = sorted(set(_LEVEL1 + _LEVEL2), key=len, reverse=True)
_TARGET = re.compile(rf"(?P<cmp>≥|≤|>=|<=|=|<|>)?\s*(?P<num>{_NUMBER})\s*(?P<unit>%|[^\s\d]{{1,4}})?$")
_OVERALL_FUNDS = [
    ("收入预算合计|收入合计|资金总额", "income_total"),
    ("支出预算合计|支出合计", "expenditure_total"),
    ("财政拨款", "appropriation"),
    ("其他经费|其他资金", "other"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("上年结转", "carryover"),
]
_PROJECT_FUNDS = [
    ("年度资金总额|资金总额", "total"),
    ("财政拨款", "appropriation"),
    ("其他资金|其他经费", "other"),
    ("上年结转", "carryover"),
]


def parse_target(text: str) -> dict:
    """"≥1 个" → comparator ≥, value 1, unit 个; "＝100%" → =, 100, %; "有所提升" → nothing."""
    cleaned = re.sub(r"\s+", " ", text).strip()
    found = _TARGET.fullmatch(cleaned) or _TARGET.search(cleaned)
    if not found or (found.start() > 0 and not found.group("cmp")):
        return {}
    out = {"value": found.group("num").replace(",", "")}
    if found.group("num") != out["value"]:
        out["printed"] = found.group("num")
    comparator = found.group("cmp")
    if comparator:
        out["comparator"] = {">=": "≥", "<=": "≤"}.get(comparator, comparator)
    if found.group("unit"):
        out["unit"] = found.group("unit")
    return out


def read_performance_table(builder: RecordBuilder, doc: Document, block: Block) -> None:
    lines = doc.content_lines(block.first, block.last)
    overall = block.key == "performance_overall"
    title = block.title or ("部门整体支出绩效目标表" if overall else "项目支出绩效目标表")
    unit = "万元"
    header_at = next((i for i, l in enumerate(lines) if "一级指标" in l.compact), len(lines))
    info: dict = {}
    goal_lines: list[str] = []
    in_goal = False
    for line in lines[:header_at]:
        text = re.sub(r"\s+", " ", line.text.replace("\t", " ")).strip()
        compact = line.compact
        found = re.search(r"\((?P<unit>万元|元|亿元)\)", compact)
        if found:
            unit = found.group("unit")
        if re.match(r"(?:部门|项目)名称", compact):
            info["name"] = re.sub(r"^(?:部门|项目)名称[:]?", "", compact)
            in_goal = False
            continue
        found = re.match(r"主管部门(?:及代码)?[:]?\s*(?P<dep>.+?)\s+实施单位[:]?\s*(?P<impl>.+)$", text)
        if found:
            info["department"] = re.sub(r"\s+", "", found.group("dep"))
            info["implementer"] = re.sub(r"\s+", "", found.group("impl"))
            continue
        if re.match(r"年度(?:总体|绩效)目标", compact):
            in_goal = True
            rest = re.sub(r"^年度(?:总体|绩效)目标[:]?", "", compact)
            if rest:
                goal_lines.append(rest)
            continue
        if compact.startswith("年度绩效指标"):
            in_goal = False
            continue
        if in_goal:
            goal_lines.append(re.sub(r"<[^>]+>", "", line.text).strip())
            continue
        _read_funds(builder, doc, line, text, unit, title, info,
                    _OVERALL_FUNDS if overall else _PROJECT_FUNDS)
    if goal_lines:
        info["goal"] = "".join(goal_lines)
    if overall:
        if "name" in info:
            builder.put("performance.overall.department", info.pop("name"))
        for key, value in info.items():
            builder.put(f"performance.overall.{key}", value)
        project = None
    else:
        project = info.get("name", "")
        row = {"name": project}
        row.update({k: v for k, v in info.items() if k != "name"})
        builder.append("performance.projects", row)
    indicator_lines = lines[header_at + 1:]
    _read_indicators(builder, doc, indicator_lines, title, project)


def _read_funds(builder: RecordBuilder, doc: Document, line: Line, text: str, unit: str,
                title: str, info: dict, labels) -> None:
    src = source(doc.name, title, line.number, line.original.strip())
    rest = text
    for pattern, key in labels:
        for found in re.finditer(rf"(?:{pattern})[:]?\s*(?P<num>{_NUMBER})(?![\d.])", text):
            rest = rest.replace(found.group(0), " ", 1)
            value = found.group("num").replace(",", "")
            if key in info:
                builder.add_unread(title, (line.number, line.number),
                                   f"second {key} figure {found.group('num')} in a performance table")
                continue
            label = re.sub(r"[:\s]", "", text[found.start():found.start("num")])
            printed = found.group("num") if value != found.group("num") else None
            info[key] = figure(value, unit, printed=printed, label=label, src=src)
    if re.search(r"\d", re.sub(r"\(?[\d,]+\s*年度?\)?", "", rest)):
        builder.add_unread(title, (line.number, line.number),
                           f"performance table row not read: {line.original.strip()}")


class _Levels:
    def __init__(self):
        self.level1: str | None = None
        self.level2: str | None = None

    def take(self, text: str) -> str:
        """Peel level names off the front of *text*; return what is left."""
        while True:
            name = next((n for n in _LEVEL_NAMES if text == n or text.startswith(n + " ")), None)
            if name is None:
                return text
            text = text[len(name):].strip()
            if name == "成本指标":
                # 成本指标 is a level-1 name in newer templates (followed by 经济成本指标 …), a
                # level-2 name under 产出指标 in older ones.
                if any(n != name and text.startswith(n) for n in _LEVEL2):
                    self.level1, self.level2 = name, None
                else:
                    self.level2 = name
            elif name in _LEVEL1:
                self.level1, self.level2 = name, None
            else:
                self.level2 = name


def _read_indicators(builder: RecordBuilder, doc: Document, lines: list[Line], title: str,
                     project: str | None) -> None:
    levels = _Levels()
    pending = ""
    pending_lines: list[Line] = []
    for line in lines:
        if re.fullmatch(r"\(?[\d,]+年度?\)?", line.compact):
            continue
        if "\t" in line.text:
            cells = [c.strip() for c in line.text.split("\t")]
            cells += [""] * (4 - len(cells))
            if cells[0]:
                levels.level1, levels.level2 = cells[0], None
            if cells[1]:
                levels.level2 = cells[1]
            if cells[2] or cells[3]:
                _add_indicator(builder, doc, [line], title, project, levels, cells[2], cells[3])
            continue
        text = re.sub(r"\s+", " ", line.text).strip()
        pending = (pending + text) if pending else text
        pending_lines.append(line)
        pending = levels.take(pending)
        if not pending:
            pending_lines = []
            continue
        split = _split_target(pending)
        if split:
            _add_indicator(builder, doc, pending_lines, title, project, levels, *split)
            pending, pending_lines = "", []
    if pending:
        builder.add_unread(title, (pending_lines[0].number, pending_lines[-1].number),
                           f"indicator text without a target value: {pending}")


def _split_target(text: str) -> tuple[str, str] | None:
    """(三级指标, 指标值) when *text* ends with a target: a comparator or percentage value, or a
    last space-separated word ("医保经办服务能力 有所提升")."""
    found = re.search(rf"(?:≥|≤|>=|<=|=|<|>)\s*{_NUMBER}\s*(?:%|[^\s\d]{{1,4}})?$"
                      rf"|(?<![\d.]){_NUMBER}\s*%$", text)
    if found and found.start() > 0:
        return text[:found.start()].strip(), found.group(0).strip()
    if " " in text:
        head, _, tail = text.rpartition(" ")
        return head.strip(), tail.strip()
    return None


def _add_indicator(builder: RecordBuilder, doc: Document, lines: list[Line], title: str,
                   project: str | None, levels: _Levels, name: str, target: str) -> None:
    text = "".join(l.original.strip() for l in lines)
    src = source(doc.name, title, lines[0].number, text)
    row: dict = {"table": "project" if project is not None else "overall"}
    if project is not None:
        row["project"] = project
    for key, value in (("level1", levels.level1), ("level2", levels.level2),
                       ("level3", re.sub(r"\s+", "", name))):
        if value:
            row[key] = value
    row["target"] = figure(target, src=src)
    parsed = parse_target(target)
    if "comparator" in parsed:
        row["comparator"] = parsed["comparator"]
    if "value" in parsed:
        row["target_value"] = figure(parsed["value"], parsed.get("unit"), printed=parsed.get("printed"),
                              src=src)
        if parsed.get("unit"):
            row["unit"] = parsed["unit"]
    builder.append("performance.indicators", row)
