"""Tables that list items rather than classification codes: 项目支出预算表 and 政府采购预算表.

Many provinces print, after the nine national tables, a 项目支出预算表 (单位编码 | 单位名称 | 项目名称 |
合计 | 其中：财政拨款 …: one row per project of each unit) and a 政府采购预算表 (单位编码 | 单位名称 |
采购品目 | 采购类别 | 预算金额, or one column per kind: 货物 | 工程 | 服务).  Their rows carry no
classification code: they are read by their header words, column by column (the grid of
:mod:`fiscalrules.document.tables`), into ``tables.projects`` / ``tables.procurement``:

* ``rows``: ``unit_code``, ``unit`` (单位名称), ``name`` (the project or the procured item; and
  ``project``, the name as the narrative's project description gives it, without 项目), the
  amount ``total`` (合计 / 预算金额 / 金额), and in the project table ``appropriation`` (财政拨款) and
  ``other`` (其他资金), ``education_fees`` (财政专户管理资金); in the procurement table ``kind`` as printed (货物 / 工程 / 服务) and the amount
  again under ``goods`` / ``works`` / ``services`` by that kind -- or, where the table prints
  one column per kind, those columns -- so that the rules sum each kind the same way;
  ``sme_reserved`` the amount a procurement row reserves for small firms (其中：面向中小企业预留),
  where the column prints one -- a column of 是 / 否 there, and a 数量 column ("12台"), give nothing;
  a project's function class printed as 类 | 款 | 项 in cells of their own is one ``function_code``;
  A table printing one column per kind and no 合计 column gives rows without ``total`` (the
  rules then add the kinds: PROC-012 and PROC-014 read ``total`` only where it is printed);
* ``totals``: the 合计 row, the same keys (none when the table prints no 合计 row);
* ``by_kind`` (procurement): true when every row is split into goods / works / services;
  ``kind_columns``: true when the table prints one column per kind (its rows' kinds are added up
  against their amounts, PROC-012), false when it names each row's kind (采购类别) -- a row whose
  kind is blank or unknown is then split into none;
* ``subtotals``: a unit's subtotals (review 22 A's A2), the same keys as ``rows`` without ``name``:
  a 小计 row, a 合计 row printed with a unit where the table prints several, or a unit's own row
  printing its code / name and its sums but no project (the rows after it printed without a unit
  carry its ``unit_code`` / ``unit``); without a 单位名称 column, a unit's coded row heading uncoded
  rows, told by the table's figures (:func:`_mark_unit_headings`) -- so is a column naming units and
  projects alike ("单位名称（项目名称）"), whose unit rows may print their names only: a row without a
  function code over rows printing one, told by the figures as well (:func:`_mark_named_headings`).
  They are never rows: summed with the projects they sum,
  they would double them in PRJ-010 / PRJ-011 / PROC-010; PRJ-016 holds each against its projects.

A row the reader cannot place (a figure under a header it does not know, no amount, an amount that
is no number, a line inside the table that is no row) makes the whole table listed, never read in part, so that a 合计 is never
summed against fewer rows.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...document.model import Document, Line, char_columns, printed_in_pdf
from ...document.offsets import page_parts
from ...document.tables import read_grid
from ..common.cells import BLANK, CELL_NUMBER, cell_value
from ..common.record import RecordBuilder, figure, source
from .projects import project_name_from_heading
from .rows import is_meta

__all__ = ["LISTING_TABLES", "read_listing_table"]

LISTING_TABLES = ("projects", "procurement")

# (pattern on a column's header path, key), in order; text columns first.
_HEADERS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), k) for p, k in [
    (r"^(?:序号|编号)$", "serial"),      # the rows' numbers: nothing to read
    (r"^(?:数量|采购数量|计量单位)$", "quantity"),   # "12台", "1批": no money, nothing to read
    # the amount reserved for small firms (其中：面向中小企业预留), or whether it is (是 / 否)
    (r"面向中小企业|中小企业预留", "sme_reserved"),
    (r"单位编码|单位代码|预算单位编码", "unit_code"),
    # one column naming the units and their projects ("单位名称（项目名称）", "单位及项目名称"): the
    # name column, where a unit's own row prints its name (told apart by :func:`_mark_unit_headings`)
    (r"单位名称[(（/]?项目名称|项目名称[(（/]?单位名称|单位(?:及|和|、)项目名称", "name"),
    (r"单位名称|预算单位$|^单位$|部门名称", "unit"),
    # the class a project table files each project under ("项目分类 | 项目名称 …": 事业发展类, 民生类)
    (r"^项目(?:分类|类别|类型)$", "category"),
    (r"项目名称|^项目$|^预算项目$|采购品目|品目名称|采购项目|采购内容|采购名称|^品目$", "name"),
    # a project's function class ("项目名称 | 科目编码 | 合计 …", Beijing): its own key, never
    # ``code`` (rows with a code and a name are checked as classes by their names); the class's
    # name printed beside it ("功能科目编码 | 功能科目名称") is no second code
    (r"科目名称", "function_name"),
    (r"科目编码|科目代码|功能科目|功能分类", "function_code"),
    (r"采购类别|采购类型|品目类别|采购方式类别|^类别$|^类型$", "kind"),
    (r"^(?:货物|货物类)$|/货物$", "goods"),
    (r"^(?:工程|工程类)$|/工程$", "works"),
    (r"^(?:服务|服务类)$|/服务$", "services"),
    # the project table by fund, as the 收入总表 heads its columns: each kind of 财政拨款 by its
    # budget, 事业收入, and 单位资金 (the unit's own money: what is not 财政拨款) as 其他资金
    (r"一般公共预算", "general_budget"),
    (r"政府性基金", "gov_fund"),
    (r"国有资本经营", "state_capital"),
    (r"^事业收入$", "business"),
    # the fees a finance bureau's special account holds for the unit (财政专户管理资金; 教育收费 by
    # its earlier name), a fund of its own between 财政拨款 and 单位资金 as the 收入总表 prints it
    (r"财政专户管理资金|财政专户资金|^教育收费", "education_fees"),
    (r"财政拨款", "appropriation"),
    (r"其他资金|其他收入|^其他$|/其他$|^单位资金$", "other"),
    (r"上年结转|结转", "carryover"),
    (r"合计|总计|预算金额|预算数|^金额$|/金额$|采购预算", "total"),
]]
# A procurement table naming, besides the item bought, the budget project it is bought for ("预算项目 |
# 采购项目 | 采购品目 | 采购类别 …"), and the catalogue's 品目 beside the item's own name: each its key
# (all were the item's name, the last overwriting the others).
_BUDGET_PROJECT = re.compile(r"^(?:预算项目|项目名称|项目|所属项目)$")
_CATALOGUE_ITEM = re.compile(r"品目")
_FUND_IN_TITLE = re.compile(r"一般公共预算|政府性基金|国有资本经营")
_FUNDS = ("general_budget", "gov_fund", "state_capital", "business", "education_fees", "appropriation", "other")
_TEXT_KEYS = ("unit_code", "unit", "name", "kind", "function_code", "function_name", "category", "project", "item")
_KINDS = {"货物": "goods", "工程": "works", "服务": "services"}
_TOTAL_WORDS = ("合计", "总计")
_SUBTOTAL = re.compile(r"^\S{0,6}小计$")     # 小计, 本级小计, 单位小计
_UNIT_KEYS = ("unit_code", "unit")
_UNIT_CODE = re.compile(r"^\d{3,9}$")
# A word of letters ("GIS", "OA", "LED" of a name wrapped under an amount column; "Note"): text, not
# an amount misprinted -- only a word with a digit, or a sign or dash before other marks, is that.
_LATIN = re.compile(r"^[A-Za-z][A-Za-z.&'/ -]*$")
_META = re.compile(r"^(?:填报单位|单位名称[:：]|部门名称[:：]|编制单位|单位[:：]|金额单位|\(?\d{4}年度?\)?$)")


def _key(path: str) -> str | None:
    pieces = path.split("/")
    leaf = pieces[-1]
    for pattern, key in _HEADERS:
        if pattern.search(leaf) or ("/" in path and key in ("goods", "works", "services") and pattern.search(path)):
            return key
    if len(pieces) > 1:
        # a header cell wrapped over two lines with another line's cells between them ("一般公共预算"
        # / "拨款" around "序号 | 项目名称 | 合计"): its two parts are one cell
        wrapped = pieces[-2] + leaf
        if leaf in _CODE_LEVELS and re.search(r"科目编码|科目代码|功能科目|功能分类", wrapped):
            return "function_code"  # (类 | 款 | 项 under 科目编码: one code in three cells)
        return next((key for pattern, key in _HEADERS if key in _FUNDS and pattern.search(wrapped)), None)
    return None


_CODE_LEVELS = ("类", "款", "项")
_MARKS = ("是", "否")        # a yes / no column (面向中小企业预留: 是)


def _is_header(line: Line) -> bool:
    """A line of the table's header: two or more of its words name columns (a "单位名称：XX局"
    line names one)."""
    return sum(1 for word in line.words if _key(word.text) is not None) >= 2


def _is_body(line: Line) -> bool:
    """A row of the listing: it prints an amount last (a project or an item, or the 合计 line) --
    or, in a table with one column per kind (货物 | 工程 | 服务), an amount followed by the blank
    marks of the kinds it is not ("40.00 - -")."""
    words = [w.text for w in line.words]
    while len(words) > 2 and (words[-1] in BLANK or words[-1] in _MARKS):
        words.pop()
    return len(words) > 1 and CELL_NUMBER.match(words[-1]) is not None


def read_listing_table(builder: RecordBuilder, doc: Document, key: str, title: str,
                       lines: list[Line], unit: str) -> None:
    """Read the table *key* (see :data:`LISTING_TABLES`) printed on *lines* (after its title)
    into ``tables.<key>``; its unit and 编制单位 lines are left out -- not its header, which may
    begin as such a line does ("单位名称 | 项目名称 | …")."""
    base = f"tables.{key}"
    kept = [l for l in lines if not ((is_meta(l.compact) or _META.match(l.compact)) and not _is_header(l))
            and not re.fullmatch(r"\(?\d{4}年度?\)?", l.compact)]
    keys, rows = _read_grid_rows(doc, title, kept, unit, key)
    if any(row is None for _, row, _ in rows) and not printed_in_pdf(kept):
        # text aligned by characters (pdftotext -layout: a CJK character one column), whose figures
        # stand further right, by display columns, after a long name than after a short one: read
        # each page's part under its own header by character offsets, where every part reads whole
        parts = [_read_grid_rows(doc, title, [char_columns(l) for l in part], unit, key)
                 for part in page_parts(kept, _is_body)]
        if parts and all(row is not None for _, part_rows in parts for _, row, _ in part_rows) \
                and all(part_keys == parts[0][0] for part_keys, _ in parts):
            keys, rows = parts[0][0], [row for _, part_rows in parts for row in part_rows]
    rows.sort(key=lambda item: item[0].number)
    builder.put(f"{base}.unit", unit)
    fund = _FUND_IN_TITLE.search(title) if key == "projects" else None
    if fund:
        # "一般公共预算项目支出预算表": the projects of one fund only, whose 合计 is no 项目支出 total
        builder.put(f"{base}.fund", fund.group())
    failed = sum(1 for _, row, _ in rows if row is None)
    if failed or not rows:
        for line, row, printed in rows:
            builder.add_unread(title, (line.number, line.number),
                               f"table row not understood: {printed}" if row is None else
                               f"row not read: {failed} other row(s) of this table were not understood: {printed}")
        if not rows:
            builder.add_unread(title, (kept[0].number if kept else 0,) * 2,
                               "only the title of this table was found, not the table")
        return
    totals = [row for _, row, _ in rows if row.get("_total")]
    if len(totals) > 1:         # a 合计 per unit, printed with its code / name, besides the table's
        for row in totals:
            if any(k in row for k in _UNIT_KEYS):
                del row["_total"]
                row["_subtotal"] = True
    if "unit" not in keys:      # (with a 单位名称 column a unit's own row names no project: below)
        _mark_unit_headings([row for _, row, _ in rows])
    by_kind = True
    named = "name" in keys      # a table listing projects / items by name (its units' rows name none)
    group: dict = {}            # the unit the rows read now stand under (its code and name as printed)
    for line, row, printed in rows:
        assert row is not None
        if row.pop("_total", False):
            for column, cell in row.items():
                if isinstance(cell, dict):
                    builder.put(f"{base}.totals.{column}", cell, section=title, lines=(line.number, line.number))
            continue
        own = {k: row[k] for k in _UNIT_KEYS if k in row}
        if own and not _same_unit(own, group):
            group = own         # a unit's row, a 小计 printed with its unit, or a project of another unit
        for k, v in (group.items() if not (row.get("_subtotal") and "kind" in row) else ()):
            row.setdefault(k, v)    # a project (or 小计) printed without its unit stands under the last one
        if row.pop("_subtotal", False) or (named and "name" not in row and "kind" not in row):
            # a unit's own row carrying its sums, or a 小计 row: the unit's subtotal, never a project
            # (a row printing a 采购类别 buys something of that kind: an item, its name left blank)
            builder.append(f"{base}.subtotals", row, section=title)
            continue
        by_kind = by_kind and any(k in row for k in ("goods", "works", "services"))
        if key == "projects" and "name" in row:
            # the name the narrative's description gives the project ("(九)国土空间规划编制项目情况
            # 说明" → "国土空间规划编制"), so that PRJ-015 finds its row either way
            row["project"] = project_name_from_heading(row["name"])
        builder.append(f"{base}.rows", row, section=title)
    if builder.get(f"{base}.rows") is None:
        builder.put(f"{base}.rows", [])
    if key == "procurement":
        builder.put(f"{base}.by_kind", by_kind and bool(builder.get(f"{base}.rows")))
        # one column per kind (a blank cell 0) rather than the kind as a word: PROC-012 adds them up
        builder.put(f"{base}.kind_columns", any(k in keys for k in _KINDS.values()))


def _read_grid_rows(doc: Document, title: str, lines: list[Line], unit: str, table: str) \
        -> tuple[list[str | None], list[tuple[Line, dict | None, str]]]:
    """The column keys of the table *table* on *lines* and its rows: (line, the row read or None
    where it cannot be placed, the line as printed)."""
    grid = read_grid(doc, lines, _is_body, unit)
    keys = [_key(column.path) if column.header else None for column in grid.columns]
    if table == "procurement":
        keys = _names_apart(keys, [column.leaf for column in grid.columns])
    rows: list[tuple[Line, dict | None, str]] = []
    for row in grid.rows:
        printed = row.line.original.strip()
        rows.append((row.line, _read_row(doc, title, row, keys, unit, printed), printed))
    for line in grid.loose:
        refused = _refused_amount(line, grid.columns, keys)
        if refused is not None:
            rows.append((line, None, f"{line.original.strip()} (an amount that is no number: {refused})"))
        elif any(CELL_NUMBER.match(w.text) for w in line.words):
            rows.append((line, None, f"{line.original.strip()} (a line inside the table that is no row)"))
    return keys, rows


def _names_apart(keys: list[str | None], leaves: list[str]) -> list[str | None]:
    """*keys* of a procurement table with several name columns told apart: the budget project the
    item is bought for (预算项目, 项目名称) is ``project``, the catalogue's 品目 beside the item's own
    name (采购项目) ``item``; the item's name stays ``name`` (a table printing one name column keeps it,
    whatever its header)."""
    names = [i for i, k in enumerate(keys) if k == "name"]
    if len(names) < 2:
        return keys
    out = list(keys)
    projects = [i for i in names if _BUDGET_PROJECT.match(leaves[i])]
    rest = [i for i in names if i not in projects]
    items = [i for i in rest if _CATALOGUE_ITEM.search(leaves[i])]
    if len(items) < len(rest):
        rest = [i for i in rest if i not in items]
    else:
        items = []
    if len(rest) != 1:
        return keys        # (which column names the item is not told: as before, one name)
    for i in projects:
        out[i] = "project"
    for i in items:
        out[i] = "item"
    return out


def _refused_amount(line: Line, columns: list, keys: list[str | None]) -> str | None:
    """The first word of a line the grid took for no row that stands under an amount column and
    is no number ("12..5", "—x"; no Chinese, so not a note): a row or a 合计 whose figure the
    reader refuses.  Left out, its project would count as 0 in 合计 = Σ rows (its column's
    ``default 0``), or the 合计 would be missing without a word."""
    for word in line.words:
        text = word.text.strip()
        if text in BLANK or CELL_NUMBER.match(text) or re.search(r"[\u3400-\u9fff]", text) or _LATIN.match(text):
            continue
        overlaps = [(min(word.x1, c.x1) - max(word.x0, c.x0), c.index) for c in columns]
        overlap, index = max(overlaps, default=(0.0, None))
        if overlap > 0 and index is not None and index < len(keys) and keys[index] not in (None, *_TEXT_KEYS):
            return text
    return None


def _mark_unit_headings(rows: list) -> None:
    """In a table without a 单位名称 column (the unit's name then stands in the name column): a row
    printing a unit code, followed by rows printing none, is either that unit's row heading its
    projects (carrying their sums) or its first project (the code printed once, a merged cell).
    The table decides for all its units at once, by its figures: the unit rows are headings when
    most of them (more than half) are the sums of the rows under them, or -- fewer, a unit's row
    misprinted -- when the table's 合计 is the sum of the rows printing no code and not that of
    all rows.  Headings are marked subtotals (PRJ-016 then holds a misprinted one against its
    projects); undecided, a row that is the sum of the rows under it still is.  A code printed on
    every row, or first projects whose figures are not the sums of the rest, keep every row a row."""
    groups = []
    for at, row in enumerate(rows):
        if "unit_code" not in row or "name" not in row or row.get("_total") or row.get("_subtotal"):
            continue
        under = []
        for other in rows[at + 1:]:
            if "unit_code" in other or other.get("_total") or other.get("_subtotal"):
                break
            under.append(other)
        amounts = [k for k, v in row.items() if isinstance(v, dict)]
        if under and "total" in amounts:
            groups.append((row, under, amounts))
    if not groups:
        _mark_named_headings(rows)
        return
    summed = [row for row, under, amounts in groups if all(_amount(row, k) == _sum(under, k) for k in amounts)]
    headings = len(summed) * 2 > len(groups)
    if not headings:
        total = next((row for row in rows if row.get("_total")), None)
        amounts = [k for k, v in (total or {}).items() if isinstance(v, dict)]
        listed = [row for row in rows if not row.get("_total") and not row.get("_subtotal")]
        uncoded = [row for row in listed if "unit_code" not in row]
        headings = bool(amounts) and all(_amount(total, k) == _sum(uncoded, k) for k in amounts) \
            and any(_amount(total, k) != _sum(listed, k) for k in amounts)
    for row in [row for row, _, _ in groups] if headings else summed:   # (else: the rows that are sums)
        row["_subtotal"] = True
        row.setdefault("unit", row.pop("name"))


def _mark_named_headings(rows: list) -> None:
    """In a table printing each project's function class (功能科目编码) and no unit codes, a unit's
    row prints its name alone: a row naming something, printing no function code, over rows that
    print one.  It is the unit's row when its figures are the sums of the rows under it up to the
    next unit's row -- decided from the last row up, so that a project printed without its class
    (a blank cell) counts among the rows of the unit above it -- or, for every such row heading
    rows with a class at once, when the table's 合计 is the sum of the rows printing a function code
    and not that of all rows (a unit's row misprinted: PRJ-016 names it).  A blank class alone
    makes no unit: a project whose figures are not the sums of the rows after it stays a row."""
    listed = [row for row in rows if not row.get("_total") and not row.get("_subtotal")]
    if not any("function_code" in row for row in listed):
        return
    def heads(row: dict) -> bool:
        return "name" in row and "function_code" not in row and "unit_code" not in row \
            and not row.get("_total") and not row.get("_subtotal")
    units: list[dict] = []
    end = len(rows)             # where the rows under the unit being decided stop
    for at in range(len(rows) - 1, -1, -1):
        row = rows[at]
        if row.get("_total") or row.get("_subtotal"):
            end = at
            continue
        under = rows[at + 1:end]
        if not heads(row) or not any("function_code" in other for other in under):
            continue
        amounts = {k for r in (row, *under) for k, v in r.items() if isinstance(v, dict)}
        if "total" in row and all(_amount(row, k) == _sum(under, k) for k in amounts):
            units.append(row)
            end = at
    headings = [row for at, row in enumerate(rows[:-1]) if heads(row) and "function_code" in rows[at + 1]]
    if any(row not in units for row in headings):
        total = next((row for row in rows if row.get("_total")), None)
        amounts = [k for k, v in (total or {}).items() if isinstance(v, dict)]
        classed = [row for row in listed if "function_code" in row]
        if amounts and all(_amount(total, k) == _sum(classed, k) for k in amounts) \
                and any(_amount(total, k) != _sum(listed, k) for k in amounts):
            units = headings
    for row in units:
        row["_subtotal"] = True
        row["unit"] = row.pop("name")


def _amount(row: dict, key: str) -> Decimal:
    return Decimal(str(row[key]["value"])) if isinstance(row.get(key), dict) else Decimal(0)


def _sum(rows: list, key: str) -> Decimal:
    return sum((_amount(r, key) for r in rows), Decimal(0))


def _same_unit(own: dict, group: dict) -> bool:
    """Whether a row printing the unit *own* stands under *group*: the same code where both print
    one, else the same name."""
    if "unit_code" in own and "unit_code" in group:
        return own["unit_code"] == group["unit_code"]
    return "unit" in own and own.get("unit") == group.get("unit")


def _read_row(doc: Document, title: str, row, keys: list[str | None], unit: str, printed: str) -> dict | None:
    """One listed row (or the 合计 row, marked ``_total``), None when a cell cannot be placed."""
    out: dict = {}
    total_row = subtotal_row = False
    by_kind = None
    for index in sorted(row.cells):
        cell = row.cells[index]
        text = cell.text.strip()
        column = keys[index] if index < len(keys) else None
        if text in _TOTAL_WORDS or text.replace(" ", "") in _TOTAL_WORDS:
            total_row = True
            continue
        if _SUBTOTAL.match(text.replace(" ", "")):
            subtotal_row = True
            # ("一、货物类小计": the subtotal of a kind, not of the unit the rows above stand under)
            by_kind = next((kind for kind in _KINDS if kind in text), None)
            continue
        if text in BLANK or column in ("serial", "quantity") or (column == "sme_reserved" and text in _MARKS):
            continue
        if column in _TEXT_KEYS:
            if column == "unit_code" and not _UNIT_CODE.match(text):
                return None
            if column == "function_code" and column in out and text.isdigit():
                text = out[column] + text       # (类 | 款 | 项 in cells of their own: "207" "03" "02")
            out[column] = text
            continue
        if column is None or not CELL_NUMBER.match(text) or column in out:
            return None
        value = cell_value(text)
        src = source(doc.name, title, row.line.number, printed, box=cell.box)
        out[column] = figure(value, unit, printed=text if text != value else None, src=src)
    if "total" not in out and not any(k in out for k in _KINDS.values()):
        return None     # (a table with one column per kind and no 合计 column: the kinds are its amounts)
    kind = _KINDS.get(out.get("kind", "").replace(" ", "")[:2])
    if kind and kind not in out and "total" in out:
        out[kind] = dict(out["total"])
    if total_row or subtotal_row:   # (its unit kept: a 合计 per unit is a subtotal, read_listing_table)
        out = {k: v for k, v in out.items() if k not in ("name", "kind")}
        out["_total" if total_row else "_subtotal"] = True
        if by_kind and not total_row:
            out["kind"] = by_kind
    elif "name" not in out and "unit" not in out:
        return None
    return out
