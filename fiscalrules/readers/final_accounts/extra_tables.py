"""The supplementary tables some regions publish after the nine (公开10表 and on), read by their national
titles, header columns and row names: the 部门整体支出绩效自评表 (:mod:`.department_evaluation`), the
政府采购情况表 and the 国有资产占用情况表, into ``tables.department_evaluation``, ``tables.procurement`` and
``tables.assets``.

Each runs from its title (a line of its own: the table's name after its number or the department's, as
the nine's titles are printed) to its note ("注：…") or the next title or part; a line of cells is its
label cells (words) then its figure cells (amounts, counts, shares, "—" for a blank cell).  Unread
before, their lines were listed as "table cells outside any table the reader knows".
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..common.record import RecordBuilder
from .blocks import numbering_line, titled_as
from .department_evaluation import read_department_evaluation
from .extra_cells import Row, by_columns, cell_figure, header_roles, row_cells
from .phrases import VEHICLE_NAMES

__all__ = ["EXTRA_TITLES", "find_extra_tables", "read_extra_table"]

# key → the ending of its title: the national names and their usual variants ("政府采购支出情况表",
# "政府采购明细表"; "国有资产占有使用情况表", "国有资产使用情况表"; "部门整体支出绩效自评表", "整体支出绩效自评情况表")
EXTRA_TITLES = {
    "department_evaluation": re.compile(r"(?:部门)?整体(?:支出)?绩效自评(?:情况|结果)?表$"),
    "procurement": re.compile(r"政府采购(?:支出|合同|执行)?(?:情况|明细|决算)?(?:统计)?表$"),
    "assets": re.compile(r"国有资产(?:占用|占有|使用|占有使用|占用使用)?(?:情况|明细)?表$"),
}
_SECTION = {"department_evaluation": "部门整体支出绩效自评表", "procurement": "政府采购情况表", "assets": "国有资产占用情况表"}
_NOTE = ("注:", "说明:")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
# a bracketed unit after a row's name: "资产总额（万元）", "车辆合计（辆）"
_UNIT_AFTER = re.compile(r"\((万元|元|辆|台|台\(套\)|台套|套|个|%)\)$")


def find_extra_tables(doc: Document, outside: set[int]) -> list[tuple[str, int, int]]:
    """The supplementary tables printed on lines not in *outside* (the table of contents, the nine
    tables): (key, title line, last line)."""
    titles = [(line.number, key) for line in doc.lines if line.number not in outside and not doc.is_noise(line.number)
              for key, ending in EXTRA_TITLES.items() if titled_as(line.compact, ending)]
    found = []
    for i, (number, key) in enumerate(titles):
        end = titles[i + 1][0] - 1 if i + 1 < len(titles) else len(doc)
        last = number
        for n in range(number + 1, end + 1):
            if n in outside or _ends_table(doc.line(n)):
                break
            last = n
            if doc.line(n).compact.startswith(_NOTE):
                # (a note wrapped onto the next lines: taken with it to the end of its sentence)
                while last + 1 <= end and last + 1 not in outside and not doc.line(last).compact.endswith("。") \
                        and not doc.line(last + 1).blank and not row_cells(doc.line(last + 1)).cells \
                        and not _ends_table(doc.line(last + 1)):
                    last += 1
                break
        rows = [row_cells(doc.line(n)) for n in range(number + 1, last + 1)]
        if any(row.cells for row in rows):    # (a title in the narrative's words heads no table)
            found.append((key, number, last))
    return found


def _ends_table(line: Line) -> bool:
    """A line past a table without its note: a part's heading ("第三部分 …"), another supplementary
    table's title, a section's heading ("一、…", "（一）…": no cells) or prose (a sentence, no cells) --
    the narrative after the table is never taken for its rows."""
    text = line.compact
    if _PART.match(text) or any(titled_as(text, ending) for ending in EXTRA_TITLES.values()):
        return True
    if row_cells(line).cells:     # (a row, numbered as the kinds are: "一、货物类  42.76")
        return False
    return bool(re.match(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", text)) \
        or "。" in text and not text.startswith(_NOTE)


def read_extra_table(builder: RecordBuilder, doc: Document, key: str, first: int, last: int) -> None:
    """Read the supplementary table *key* on lines *first*..*last*."""
    rows = [row_cells(doc.line(n)) for n in range(first + 1, last + 1)
            if not doc.line(n).blank and not doc.is_noise(n) and not doc.line(n).compact.startswith(_NOTE)
            and not numbering_line(doc.line(n))]
    section = _SECTION[key]
    builder.put(f"tables.{key}.title", section)
    reader = {"procurement": _read_procurement, "assets": _read_assets,
              "department_evaluation": read_department_evaluation}[key]
    read = reader(builder, doc, rows, section)
    for row in rows:
        if row.cells and any(cell is not None for cell in row.cells) and row.line.number not in read:
            builder.add_unread(section, (row.line.number, row.line.number),
                               f"a row of the {section} not read: {row.line.original.strip()}")


# ---- 政府采购情况表 -------------------------------------------------------------------------------------------

# the columns: 政府采购合同金额 (or 采购金额, 合同金额, 合计), 授予中小企业合同金额, 其中授予小微企业, their shares
_PROCUREMENT_COLUMNS = {r"小微企业.*(?:占比|比例|比重)|(?:占比|比例|比重).*小微": "small_share",
                        r"中小企业.*(?:占比|比例|比重)|(?:占比|比例|比重)": "sme_share",
                        r"小微企业": "small_contracts", r"中小企业": "sme_contracts",
                        r"合同金额|采购金额|采购额|^金额|^合计$|^总计$": "amount",
                        r"^货物": "goods", r"^工程": "works", r"^服务": "services",
                        r"类别|项目|品目|名称|类型|^采购": ""}
_KINDS = {"合计": "total", "总计": "total", "货物": "goods", "工程": "works", "服务": "services"}
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、])")


def _kind_of(label: str) -> str | None:
    """The procurement kind a row or column names alone ("一、货物类", "货物采购", "合计")."""
    name = _ORDINAL.sub("", label)
    name = re.sub(r"^政府采购", "", name)
    name = re.sub(r"(?:类|采购|合计|小计)+$", "", name) if name not in ("合计", "总计") else name
    return _KINDS.get(name)


def _read_procurement(builder: RecordBuilder, doc: Document, rows: list[Row], section: str) -> set[int]:
    """By kind down the rows (合计, 货物, 工程, 服务 under 合同金额 / 授予中小企业 / 占比 columns), or across
    the columns (合计 / 货物 / 工程 / 服务 over rows of 采购金额, 授予中小企业 …): ``tables.procurement``'s
    total, goods, works, services and sme_contracts / small_contracts / sme_share (each kind's SMEs'
    under ``sme.<kind>``); a row of one item (类别 and 项目 named) into ``items``."""
    read: set[int] = set()
    header = header_roles(rows, _PROCUREMENT_COLUMNS)
    if header is None:
        return read
    at, columns = header
    base = "tables.procurement"
    kinds_across = any(role in ("goods", "works", "services") for role in columns)
    for row in rows[at + 1:]:
        if not row.cells:
            continue
        cells = by_columns(row, columns)
        if kinds_across:     # (a row of a measure: 采购金额, 授予中小企业合同金额, 授予小微企业合同金额)
            measure = "small_contracts" if "小微" in row.label else "sme_contracts" if "中小企业" in row.label else \
                "amount" if re.search(r"金额|合计|采购", row.label) and "%" not in "".join(cells.values()) else None
            for kind, cell in cells.items():
                if measure is None or kind not in ("amount", "goods", "works", "services"):
                    continue
                kind = "total" if kind == "amount" else kind
                path = f"{base}.{kind}" if measure == "amount" else \
                    f"{base}.{measure}" if kind == "total" else f"{base}.sme.{kind}" if measure == "sme_contracts" else None
                if path:
                    builder.put(path, cell_figure(doc, row, cell, section, "万元"))
                    read.add(row.line.number)
            continue
        kind = _kind_of(row.label) if len(row.labels) == 1 else None
        if kind is None and len(row.labels) >= 2:
            item = {"kind": row.labels[0], "name": "".join(row.labels[1:])}
            for role in ("amount", "sme_contracts", "sme_share"):
                if role in cells:
                    item[role] = cell_figure(doc, row, cells[role], section, "万元")
            builder.append(f"{base}.items", item, section=section)
            read.add(row.line.number)
            continue
        if kind is None:
            continue
        for role, cell in cells.items():
            fig = cell_figure(doc, row, cell, section, "万元")
            if role == "amount":
                builder.put(f"{base}.{kind}", fig)
            elif kind == "total":
                builder.put(f"{base}.{role}", fig)
            elif role == "sme_contracts":
                builder.put(f"{base}.sme.{kind}", fig)
            else:
                continue
            read.add(row.line.number)
    return read


# ---- 国有资产占用情况表 ---------------------------------------------------------------------------------------

# the rows by name (money, counts): 资产总额, the vehicles (in all and by kind), the equipment priced over a
# threshold (通用 / 专用 / in all), 机关运行经费; other rows (房屋, 车辆's value, 在建工程 …) as items
_EQUIPMENT = re.compile(r"(?:单位价值|单价)[^,;。]*以上(?:的)?(?P<kind>通用|专用)?(?:设备)(?:合计|小计)?$")
_EQUIPMENT_KINDS = {"通用": "general_equipment", "专用": "special_equipment", None: "large_equipment"}
_COUNT_COLUMN = re.compile(r"数量|辆|台|套")
_MONEY_COLUMN = re.compile(r"金额|价值|原值|净值|万元|账面")


def _read_assets(builder: RecordBuilder, doc: Document, rows: list[Row], section: str) -> set[int]:
    """Each row by its name: one figure (its unit in brackets after the name, or the row's kind), or
    a count and an amount where the header has a 数量 and an 金额 column."""
    read: set[int] = set()
    header = next((row for row in rows if not row.cells and len(row.labels) >= 2), None)
    columns = [("count" if _COUNT_COLUMN.search(word) and not _MONEY_COLUMN.search(word) else
                "money" if _MONEY_COLUMN.search(word) else None) for word in (header.labels[1:] if header else [])]
    base = "tables.assets"
    for row in rows:
        if not row.cells or not row.labels:
            continue
        label = re.sub(r"^其中:", "", row.label)
        unit_found = _UNIT_AFTER.search(label)
        name = label[:unit_found.start()] if unit_found else label
        unit = unit_found.group(1) if unit_found else None
        values = [cell for cell in row.cells if cell is not None]
        if len(values) == 1:
            pairs = [(unit or ("辆" if "车" in name and "." not in values[0] else "台" if "设备" in name and "." not in values[0]
                               else "万元"), values[0])]
        elif len(values) == len(columns) == 2 and set(columns) == {"count", "money"}:
            pairs = [("辆" if "车" in name else "台", values[columns.index("count")]), ("万元", values[columns.index("money")])]
        else:
            continue
        for cell_unit, cell in pairs:
            path = _asset_path(name, cell_unit)
            fig = cell_figure(doc, row, cell, section, cell_unit)
            if path is not None:
                builder.put(f"{base}.{path}", fig)
            else:
                builder.append(f"{base}.items", {"name": name, ("count" if cell_unit in ("辆", "台", "套") else "amount"): fig},
                               section=section)
            read.add(row.line.number)
    return read


def _asset_path(name: str, unit: str) -> str | None:
    money = unit in ("万元", "元")
    if money and re.fullmatch(r"(?:国有)?资产(?:总额|总计|合计)", name):
        return "total"
    if money and re.fullmatch(r"机关运行经费(?:支出)?", name):
        return "operating_costs"
    if unit in ("台", "套", "台(套)", "台套"):
        found = _EQUIPMENT.search(name)
        return _EQUIPMENT_KINDS[found.group("kind")] if found else None
    if unit == "辆":
        if re.fullmatch(r"(?:公务用车|车辆)(?:合计|总数|总计|数量)?|(?:合计|共有)(?:车辆|公务用车)", name):
            return "vehicles.total"
        found = VEHICLE_NAMES.match(name, "辆")
        if found is not None and found[0].path != "assets.vehicles.total":
            return found[0].path.removeprefix("assets.")
    return None
