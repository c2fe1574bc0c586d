"""Indicator rows of the performance target tables (年度绩效指标: 一级 / 二级 / 三级指标, 指标值).

The rows are read from the document model, the same way for text and PDF: the header line
(一级指标 二级指标 三级指标 指标值) names the columns, :func:`~fiscalrules.document.tables.read_grid`
puts every word in its column, and :func:`~fiscalrules.document.merged.span_rows` makes one row
per 指标值 with the cell covering it in each column -- the level cells are merged over their
group (centred, in a PDF, between ruling lines), names wrap over several lines.

When the positions do not make columns (text written with single spaces, as extraction without
layout leaves it, or a PDF made from such text), the words come in reading order only: the level
names, a closed vocabulary of the template, are peeled off the front, the 指标值 off the end, and
lines are joined until a value appears -- extraction wraps names, and even level names ("满意度指"
/ "标"), across lines.
"""

from __future__ import annotations

import re

from ...document.merged import SpannedRow, span_rows
from ...document.model import Document, Line, normalise, printed_in_pdf
from ...document.tables import Grid, read_grid
from ..common.record import RecordBuilder, figure, source

__all__ = ["read_indicators", "parse_target", "LEVEL_NAMES"]

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")
_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标",
           "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "生态环境效益指标",
           "可持续影响指标", "服务对象满意度指标", "服务对象满意度", "满意度")
LEVEL_NAMES = sorted(set(_LEVEL1 + _LEVEL2), key=len, reverse=True)
_TARGET = re.compile(rf"(?P<cmp>≥|≤|>=|<=|=|<|>)?\s*(?P<num>{_NUMBER})\s*(?P<unit>%|[^\s\d]{{1,4}})?$")
# Header cells of the indicator part, by role.
_ROLES = [
    ("level1", re.compile(r"^一级指标$")),
    ("level2", re.compile(r"^二级指标$")),
    ("level3", re.compile(r"^三级指标$|^指标名称$")),
    ("target", re.compile(r"^(?:指标值|目标值|指标目标值|绩效目标值|年度指标值)$")),
    ("unit", re.compile(r"^(?:度量单位|计量单位|单位)$")),
    ("comparator", re.compile(r"^(?:指标性质|指标方向|比较符)$")),
    # The national 项目支出绩效目标表 as one table: "单位名称、项目名称 | 项目年度绩效目标 | 一级指标 …
    # 指标值 | 度量单位 | 指标属性 | 指标内容" -- the project and its goal in cells merged over all its
    # rows, beside them each indicator's kind (定量 / 定性) and what it measures.  A word under these
    # columns made the positions "no columns", the rows read in reading order, garbled.
    ("subject", re.compile(r"^(?:单位名称、?项目名称|项目名称)$")),
    ("goal", re.compile(r"^(?:项目)?年度(?:绩效|总体)?目标$")),
    ("attribute", re.compile(r"^指标属性$")),
    ("content", re.compile(r"^(?:指标内容|指标说明|指标解释)$")),
]
_HEADER_WORD = re.compile(r"^(?:年度绩效指标|绩效指标|一级指标|二级指标|三级指标|指标名称|指标值|目标值|"
                          r"指标目标值|绩效目标值|年度指标值|度量单位|计量单位|单位|指标性质|指标方向|比较符|"
                          r"单位名称、?项目名称|项目名称|(?:项目)?年度(?:绩效|总体)?目标|指标属性|指标内容|指标说明)$")
# The header cells long enough to wrap in their narrow columns, printed in pieces on the lines above
# and below the header's line ("单位名称、项目名 / 一级指标 … / 称"): a piece is part of the header.
_WRAPPING = ("单位名称、项目名称", "项目年度绩效目标", "年度绩效目标", "指标属性", "指标内容", "指标性质",
             "度量单位", "三级指标", "二级指标", "一级指标")
# The columns besides the indicator's own: the project's (merged over its rows) and the indicator's
# kind and explanation, read for no indicator field.
_SIDE_ROLES = ("subject", "goal", "attribute", "content")
_YEAR_LINE = re.compile(r"\(?[\d,]+年度?\)?")
# The merged cell at the left of some templates, over the whole indicator part.
_PART_LABEL = re.compile(r"^(?:年度)?绩效指标$")


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


def is_level_name(text: str) -> bool:
    """A complete level name (产出指标, 服务对象满意度 …), so a cell holding it is not wrapped."""
    compact = "".join(text.split())
    return compact in LEVEL_NAMES or compact.endswith("指标")


def read_indicators(builder: RecordBuilder, doc: Document, lines: list[Line], title: str,
                    project: str | None, owner: str = "") -> dict[str, str]:
    """Indicator rows of one performance table: *lines* start at its header (一级指标 …, or the
    piece of a header cell wrapped above it: :func:`header_start`). Returns what the table's own
    columns print of its project (``name``, ``goal``: the national one-table layout), where the
    form above it printed no name (*project* empty) -- the name less its unit *owner* printed
    before it in the same cell ("单位名称、项目名称")."""
    lines = [l for l in lines if not _YEAR_LINE.fullmatch(l.compact)]
    header = _header_lines(lines)
    body = [l for l in lines[len(header):] if not _PART_LABEL.match(l.compact)]
    if header and body:
        grid = read_grid(doc, header + body, lambda line: line not in header)
        roles = _roles(doc, grid)
        if roles is not None:
            return _read_from_grid(builder, doc, grid, roles, title, project, owner)
    _read_in_reading_order(builder, doc, body or lines[1:], title, project)
    return {}


def header_start(lines: list[Line], at: int) -> int:
    """Where the indicator header starts, given the line *at* naming 一级指标: the line above when
    it holds only pieces of wrapped header cells ("单位名称、项目名")."""
    if at > 0 and _pieces_of_heads(lines[at - 1], above=True):
        return at - 1
    return at


def _pieces_of_heads(line: Line, above: bool) -> bool:
    """Whether every word of *line* is the first (*above*) or last piece of a wrapped header cell."""
    def piece(text: str) -> bool:
        return any(head != text and (head.startswith(text) if above else head.endswith(text))
                   for head in _WRAPPING) and (len(text) > 1 or not above)
    return bool(line.words) and all(piece(w.text) for w in line.words)


def _header_lines(lines: list[Line]) -> list[Line]:
    """The header: the line naming 一级指标 (after the first pieces of header cells wrapped above
    it) and any line just below made of header words or their last pieces only (a header cell
    printed over two lines)."""
    if not lines:
        return []
    first = 1 if len(lines) > 1 and "一级指标" not in lines[0].compact and "一级指标" in lines[1].compact \
        and _pieces_of_heads(lines[0], above=True) else 0
    if "一级指标" not in lines[first].compact:
        return []
    header = lines[:first + 1]
    for line in lines[first + 1:first + 3]:
        if line.words and all(_HEADER_WORD.match(w.text) for w in line.words) \
                or (first and _pieces_of_heads(line, above=False)):
            header.append(line)
        else:
            break
    return header


def _roles(doc: Document, grid: Grid) -> dict[str, int] | None:
    """Column index by role, or None when the positions do not make the template's columns: a
    role missing or named twice, or a word of a row standing in no named column or over two."""
    roles: dict[str, int] = {}
    for column in grid.columns:
        # (a cell wrapped around the header's line: its pieces above and below, one name)
        role = next((name for name, pattern in _ROLES if column.header
                     and (pattern.match(column.leaf) or pattern.match("".join(column.header)))), None)
        if role is None:
            continue
        if role in roles:
            return None
        roles[role] = column.index
    if not {"level1", "level3", "target"} <= set(roles):
        return None
    named = set(roles.values())
    for row in grid.rows:
        for index, cell in row.cells.items():
            if index not in named and not _PART_LABEL.match(cell.text):
                return None
    if not printed_in_pdf(row.line for row in grid.rows) and not any("\t" in row.line.text for row in grid.rows):
        # Text aligned with spaces: a word reaching over two columns means they do not line up.
        columns = grid.columns
        for row in grid.rows:
            for word in row.line.words:
                if sum(1 for c in columns if min(word.x1, c.x1) - max(word.x0, c.x0) > 0) > 1:
                    return None
    return roles


def _read_from_grid(builder: RecordBuilder, doc: Document, grid: Grid, roles: dict[str, int],
                    title: str, project: str | None, owner: str) -> dict[str, str]:
    levels = [roles[k] for k in ("level1", "level2") if k in roles]
    merged = [roles[k] for k in ("subject", "goal") if k in roles]
    spans = span_rows(doc, grid, roles["target"], spanning=levels + merged,
                      whole={column: is_level_name for column in levels})
    side = _project_cells(spans, roles, owner) if project == "" else {}
    project = side.get("name", project)
    carried: dict[str, str | None] = {"level1": None, "level2": None}
    for row in spans.rows:
        values: dict[str, str] = {}
        for key in ("level1", "level2", "level3", "unit", "comparator"):
            column = roles.get(key)
            if column is None:
                continue
            cell = row.cells.get(column)
            if cell is not None:        # as the text reader sees it: full-width forms to ASCII
                text = normalise(cell.text)
                values[key] = "".join(text.split()) if key != "unit" else text.strip()
            elif column in row.uncertain:
                carried[key] = None
                _list_uncertain(builder, row, title, key, row.uncertain[column])
        for key in ("level1", "level2"):
            if key in values:
                if key == "level1" and values[key] != carried["level1"]:
                    carried["level2"] = None        # a new group: its level-2 cell starts afresh
                carried[key] = values[key]
            elif roles.get(key) is not None and roles[key] not in row.uncertain and carried[key]:
                values[key] = carried[key]          # a blank cell: the group's cell above applies
        target = normalise(row.anchor.text).strip()
        if values.get("comparator") and not re.match(r"[≥≤<>=]", target) and \
                re.fullmatch(r"[≥≤<>=]|>=|<=", values["comparator"]):
            target = values["comparator"] + target
        if values.get("unit") and not target.endswith(values["unit"]):
            target = f"{target}{values['unit']}"
        lines = row.own_lines
        text = " ".join(line.original.strip() for line in lines)
        src = source(doc.name, title, lines[0].number, text, box=row.anchor.box)
        _add_indicator(builder, src, project, values.get("level1"), values.get("level2"),
                       values.get("level3", ""), target)
    for cell in spans.unplaced:
        if cell.column in merged and side:
            continue        # (the project's cells, read above)
        if any(re.search(r"\d", p.text) or len(p.text) > 1 for p in cell.pieces):
            first, last = cell.lines[0].number, cell.lines[-1].number
            builder.add_unread(title, (first, last),
                               f"indicator cell not placed on a row: {cell.text}")
    return side


def _project_cells(spans, roles: dict[str, int], owner: str) -> dict[str, str]:
    """The project's name and goal as its merged cells print them (the first row's), the name less
    the unit printed before it ("某中学 / 国家助学金" under 单位名称、项目名称)."""
    out: dict[str, str] = {}
    for key, role in (("name", "subject"), ("goal", "goal")):
        column = roles.get(role)
        cell = next((row.cells[column] for row in spans.rows if column in row.cells), None) \
            if column is not None else None
        if cell is None:
            cell = next((c for c in spans.unplaced if c.column == column), None)
        text = "".join(normalise(cell.text).split()) if cell is not None else ""
        if key == "name" and owner and text.startswith(owner) and len(text) > len(owner):
            text = text[len(owner):]
        if text:
            out[key] = text
    return out


def _list_uncertain(builder: RecordBuilder, row: SpannedRow, title: str, key: str,
                    candidates: list[str]) -> None:
    lines = row.own_lines
    name = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标"}.get(key, key)
    shown = " / ".join(c for c in candidates if c) or "?"
    builder.add_unread(title, (lines[0].number, lines[-1].number),
                       f"{name} of the row \"{row.anchor.text}\" not certain (merged cell without "
                       f"ruling lines; it could be {shown}): the row is read without it")


# -- reading order (no columns) ----------------------------------------------------------------------

class _Levels:
    def __init__(self):
        self.level1: str | None = None
        self.level2: str | None = None

    def take(self, text: str) -> str:
        """Peel level names off the front of *text*; return what is left."""
        while True:
            name = next((n for n in LEVEL_NAMES if text == n or text.startswith(n + " ")), None)
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


def _read_in_reading_order(builder: RecordBuilder, doc: Document, lines: list[Line], title: str,
                           project: str | None) -> None:
    levels = _Levels()
    pending = ""
    pending_lines: list[Line] = []
    for line in lines:
        text = re.sub(r"\s+", " ", line.text).strip()
        pending = (pending + text) if pending else text
        pending_lines.append(line)
        pending = levels.take(pending)
        if not pending:
            pending_lines = []
            continue
        split = _split_target(pending)
        if split:
            text = "".join(l.original.strip() for l in pending_lines)
            src = source(doc.name, title, pending_lines[0].number, text)
            _add_indicator(builder, src, project, levels.level1, levels.level2, *split)
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


def _add_indicator(builder: RecordBuilder, src: dict, project: str | None, level1: str | None,
                   level2: str | None, name: str, target: str) -> None:
    row: dict = {"table": "project" if project is not None else "overall"}
    if project is not None:
        row["project"] = project
    for key, value in (("level1", level1), ("level2", level2), ("level3", "".join(name.split()))):
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
