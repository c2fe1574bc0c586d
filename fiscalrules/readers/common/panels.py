"""Tables printed in panels: (code, name, amount) triples side by side, several rows on one line.

The 一般公共预算（财政拨款）基本支出表 of the national 决算 template, and of many provinces' 部门预算,
prints its economic classes in two or three panels: 人员经费 codes on the left, 公用经费 codes on
the right ("30101 基本工资 230.00 30201 办公费 30.00"), closed by one line holding both totals
("人员经费合计 780.00 公用经费合计 100.00").  Both readers (budget and 决算) read such a table here,
from the compact text of each line (so a cell split into several words, tab cells, and PDF words
all read alike), and get back:

* its items in print order (code, name, amount as printed, the line, and the panel it stands in);
* in tab cells, the items printed with a blank amount cell;
* its totals (人员经费合计 / 公用经费合计) and the lines read.

A table given as tab-separated cells (a Word, HTML, RTF or spreadsheet table: the document model
writes a row a line, its cells between tabs, blank cells kept as empty fields) is read cell by
cell: a code cell (its name in it or in the next cell), then its amount cell.  There an item whose
amount cell is empty -- or a dash, or missing at the end of the row -- is printed blank, a fact
the cells state (no amount can stand on another line of a row): such items are kept apart
(``blanks``), so a reader that needs every item's amount (the budget's) reads the others as before.

A name may wrap: onto a line of its own above the code ("机关事业单位基本养老保" / "险缴费 62.00"),
or after the code with its amount on the next line.  Such pieces are joined to their item.

The panel an item stands in comes from where it stands: the panels' left edges are where the
k-th item of the lines that fill every panel starts (tab cells, aligned text and PDF words all
carry positions).  In text whose columns do not line up (single spaces: positions mean nothing)
an item takes its place on a full line, else the panel of its 类 (a 款 is printed in its 类's
panel), else -- a 类 alone on a short line -- the national template's split (人员经费 = 301
工资福利支出 + 303 对个人和家庭的补助; every other class is 公用经费).  Each panel is named by the
header word (人员经费 / 公用经费) standing over it.
"""

from __future__ import annotations

import re

from ...document.model import Line
from .cells import BLANK

__all__ = ["PanelItem", "PanelTable", "read_panels", "is_panel_header", "PERSONNEL", "PUBLIC"]

PERSONNEL, PUBLIC = "personnel", "public"
# A code of the economic classification (3 or 5 digits, 301…399), its name, its amount.
# An amount with two decimals, or one (a table in 千元): on a joined line the next panel's code
# follows it at once ("1,980.030201办公费"), so the amount ends where a code (3xx) or a non-digit begins.
_AMOUNT = r"-?\d[\d,]*\.\d{1,2}(?=3\d{2}|\D|$)"
_ITEM = re.compile(rf"(?P<code>3\d{{2}}(?:\d{{2}})?)(?P<name>[^\d]*?)(?P<amount>{_AMOUNT})")
_TOTAL = re.compile(rf"(人员经费合计|公用经费合计)({_AMOUNT})")
_TOTAL_LABEL = re.compile(r"人员经费合计|公用经费合计")
_BARE_CODE = re.compile(r"(?P<code>3\d{2}(?:\d{2})?)(?P<name>)$")
_BARE_ITEM = re.compile(r"(?P<code>3\d{2}(?:\d{2})?)(?P<name>[^\d]+)")
_BARE_ITEMS = re.compile(r"(?:3\d{2}(?:\d{2})?[^\d]+)+")
_GROUP = re.compile(r"^(人员经费|公用经费)(?:合计)?$")
# The header words a panel repeats: two of one of them on a line make the table a panel table.
_REPEATED_HEADER = ("编码", "经济分类", "科目名称", "名称")
_PERSONNEL_CLASSES = ("301", "303")
# One tab cell of a panel: a code with its name, if the name shares the cell ("30101", "30101基本工资");
# an amount
_CODE_CELL = re.compile(r"(?P<code>3\d{2}(?:\d{2})?)(?P<name>\D*)")
_AMOUNT_CELL = re.compile(r"-?\d[\d,]*\.\d{1,2}")


class PanelItem:
    """One (code, name, amount) triple; ``amount`` None when the table printed none for it."""

    __slots__ = ("code", "name", "amount", "line", "amount_line", "x0", "ordinal", "panel", "blank")

    def __init__(self, code: str, name: str, line: Line, x0: float | None, ordinal: int):
        self.code, self.name, self.line = code, name, line
        self.amount: str | None = None
        self.amount_line: Line = line
        self.x0 = x0
        self.ordinal = ordinal          # its place among the items found on its line
        self.panel: str | None = None   # PERSONNEL / PUBLIC once placed
        self.blank = False              # its amount cell printed blank (tab cells)

    def __repr__(self) -> str:
        return f"PanelItem({self.code} {self.name} {self.amount} line {self.line.number} {self.panel})"


class PanelTable:
    """What :func:`read_panels` found: items, totals ({PERSONNEL/PUBLIC: (amount, line)}), read lines;
    ``blanks``: the items of tab cells whose amount cell is printed blank (not among ``items``)."""

    def __init__(self) -> None:
        self.items: list[PanelItem] = []
        self.blanks: list[PanelItem] = []
        self.totals: dict[str, tuple[str, Line]] = {}
        self.labels: dict[str, Line] = {}       # the 合计 labels printed (PERSONNEL/PUBLIC), read or not
        self.read: set[int] = set()


# The classification's name heading one panel's code and name columns alike ("经济分类科目编码 |
# 经济分类科目名称", as Beijing heads a basic table of one panel): once per panel, not twice.
_CLASSIFIED_COLUMN = re.compile(r"经济分类(?=科目编码|科目名称|科目代码|编码|名称|代码)")


def is_panel_header(line: Line) -> bool:
    """A header line that repeats a panel's column title ("科目编码 … 科目编码")."""
    compact = line.compact
    if compact.count("经济分类") >= 2 and _CLASSIFIED_COLUMN.search(compact):
        # the classification's name counted once per column pair naming it (a code column and a
        # name column of one panel are no two panels)
        compact = _CLASSIFIED_COLUMN.sub("", compact, count=1)
    return any(compact.count(word) >= 2 for word in _REPEATED_HEADER)


def _code_positions(line: Line) -> list[float] | None:
    """The x position of each character of the compact text, from the line's words (None when the
    words do not spell the compact text: positions unknown)."""
    positions: list[float] = []
    for word in line.words:
        positions.extend([word.x0] * len("".join(word.text.split())))
    return positions if len(positions) == len(line.compact) else None


def read_panels(lines: list[Line]) -> PanelTable:
    """The items and totals of a panel table whose lines (title excluded) are *lines*."""
    table = PanelTable()
    pending: PanelItem | None = None    # an item whose name (and amount) continue on the next line
    name_only: str | None = None        # a line holding only (the start of) a name: "机关事业单位基本养老保"
    groups: list[tuple[float | None, str]] = []      # (x0, PERSONNEL/PUBLIC) of the panel titles
    open_total: str | None = None       # a 合计 label whose amount is on the next line (text, a cell a line)
    for line in lines:
        compact = line.compact
        if compact.startswith(("注:", "单位:")):
            continue
        for found in _TOTAL_LABEL.finditer(compact):
            table.labels.setdefault(PERSONNEL if found.group(0).startswith("人员") else PUBLIC, line)
        positions = _code_positions(line)
        lead = 0                        # where the line's own cells start (after a 合计's amount)
        if open_total is not None and compact:
            # (pdftotext without -layout writes a cell a line: "人员经费合计" / "6248.84 公用经费合计" /
            # …: the label's amount starts the next line, the other label may end it)
            amount = re.match(_AMOUNT, compact)
            if amount:
                table.totals.setdefault(open_total, (amount.group(0), line))
                table.read.add(line.number)
                lead = amount.end()
            open_total = None
        alone = _TOTAL_LABEL.fullmatch(compact[lead:]) if line.boxes is None else None
        if alone:
            open_total = PERSONNEL if alone.group(0).startswith("人员") else PUBLIC
            table.read.add(line.number)
            pending = name_only = None
            if not groups:
                groups.extend(_group_words(line))
            continue
        if lead:
            compact = compact[lead:]
        totals = _TOTAL.findall(compact)
        for label, value in totals:
            table.totals.setdefault(PERSONNEL if label.startswith("人员") else PUBLIC, (value, line))
            table.read.add(line.number)
        if totals:
            if not groups:
                groups.extend(_group_words(line))
            continue
        if not table.items and not re.search(r"\d", compact):
            groups.extend(_group_words(line))
        cell_items = _cell_items(line) if "\t" in line.text else None
        if cell_items is not None:
            for item in cell_items:
                (table.blanks if item.blank else table.items).append(item)
            if cell_items:
                table.read.add(line.number)
            pending = name_only = None
            continue
        # a name wrapped onto its own line: "更新 0.00", "缴费 2.71 30208 取暖费 0.00"
        offset = lead
        # (a line starting with a code -- not an amount of 3xx: "359.53 30217", the item above's
        # amount and the next panel's code, a cell a line)
        code_first = re.match(r"^3\d{2}", compact) is not None and not (
            lead == 0 and re.fullmatch(_AMOUNT_CELL, (line.text.split() or [""])[0]))
        if pending is not None and not code_first:
            # the wrapped name of the item above ("养老保险缴费"), and/or its amount ("6.18 30206 …")
            head = re.match(rf"^(?P<name>[^\d]*?)(?P<amount>{_AMOUNT})?(?=3\d{{2}}|$)", compact)
            if head and (head.group("name") or head.group("amount")):
                pending.name += head.group("name")
                if head.group("amount"):
                    pending.amount, pending.amount_line = head.group("amount"), line
                    pending = None
                offset += head.end()
                compact = compact[head.end():]
                table.read.add(line.number)
        else:
            pending = None
        if compact and not re.search(r"\d", compact):
            if pending is not None:            # the end of a name whose start stood above its code
                pending.name += compact
                pending = None
            else:
                name_only = compact
            continue
        ordinal = 0
        end = 0                         # where the line's last item ends
        for found in _ITEM.finditer(compact):
            # (an item printing no amount, the next cell's code right after its name: "30106伙食补助费
            # 30204手续费2.17" -- its amount cell is blank, never an item lost)
            if _BARE_ITEMS.fullmatch(compact, end, found.start()):
                for skipped in _BARE_ITEM.finditer(compact, end, found.start()):
                    x0 = positions[offset + skipped.start()] if positions else None
                    table.items.append(PanelItem(skipped.group("code"), skipped.group("name"), line, x0, ordinal))
                    ordinal += 1
            end = found.end()
            x0 = positions[offset + found.start()] if positions else None
            item = PanelItem(found.group("code"), found.group("name"), line, x0, ordinal)
            item.amount = found.group("amount")
            ordinal += 1
            if not item.name:
                item.name = name_only or ""
                pending = item
            table.items.append(item)
            table.read.add(line.number)
        name_only = None
        # an item whose name (and amount) continue on the next line; its code alone right after
        # the last item's amount ("… 225.12 30207", the name and amount below it: pdftotext -layout),
        # or, in text, alone on its line (a PDF prints a code alone only beside a wrapped name)
        tail = re.search(r"(?P<code>3\d{2}(?:\d{2})?)(?P<name>[^\d]+)$", compact) \
            or (_BARE_CODE.match(compact, end) if end or line.boxes is None else None)
        if tail:
            x0 = positions[offset + tail.start()] if positions else None
            pending = PanelItem(tail.group("code"), tail.group("name"), line, x0, ordinal)
            table.items.append(pending)
    _place(table.items + table.blanks, groups)
    return table


def _cell_items(line: Line) -> list[PanelItem] | None:
    """The items of a tab-separated line, cell by cell (module docstring): a code cell (and its
    name's cell), then its amount's; an item whose amount cell is empty, a dash, or missing before
    the next code or the row's end is ``blank``.  None for a line of no code cell (its items, if
    any, spelled within cells, "30101 基本工资 230.00": read from the compact text as any line);
    empty when a cell fits no item (a name without a code, a figure after an amount): a row the
    cells do not spell is not read, and its figures are left for the reader to list."""
    cells = ["".join(cell.split()) for cell in line.text.split("\t")]
    if not any(_CODE_CELL.fullmatch(text) for text in cells):
        return None
    items: list[PanelItem] = []
    current: PanelItem | None = None
    for index, text in enumerate(cells):
        if text in BLANK:
            continue
        code = _CODE_CELL.fullmatch(text)
        if code:
            current = PanelItem(code.group("code"), code.group("name"), line, float(index), len(items))
            items.append(current)
        elif current is not None and current.amount is None and _AMOUNT_CELL.fullmatch(text):
            current.amount = text
            current = None
        elif current is not None and current.amount is None and not current.name and not re.search(r"\d", text):
            current.name = text
        else:
            return []
    for item in items:
        item.blank = item.amount is None
    return items


def _group_words(line: Line) -> list[tuple[float | None, str]]:
    """The panel titles (人员经费 / 公用经费, or their 合计 labels) on *line*, with their middle's x."""
    out = []
    for word in line.words:
        found = _GROUP.match("".join(word.text.split()))
        if found:
            middle = (word.x0 + word.x1) / 2
            out.append((middle, PERSONNEL if found.group(1) == "人员经费" else PUBLIC))
    return out


def _place(items: list[PanelItem], groups: list[tuple[float | None, str]]) -> None:
    """Each item's panel (PERSONNEL / PUBLIC): by position where the columns line up, else by
    its place on a full line, its 类's panel, or the template's split (module docstring)."""
    width = max((item.ordinal + 1 for item in items), default=0)
    starts = _panel_starts(items, width)
    names = _panel_names(starts, groups, width)
    by_class: dict[str, int] = {}
    full_lines = {item.line.number for item in items if item.ordinal == width - 1}
    if width == 1 and {PERSONNEL, PUBLIC} <= {name for _, name in groups}:
        # (two panels titled, no line holding both: a cell a line, pdftotext without -layout --
        # each item's panel is its class's)
        full_lines = set()
    for item in items:
        if starts is not None and item.x0 is not None:
            index = min(range(width), key=lambda k: abs(item.x0 - starts[k]))
        elif item.line.number in full_lines:
            index = item.ordinal
        elif item.code[:3] in by_class:
            index = by_class[item.code[:3]]
        else:
            item.panel = PERSONNEL if item.code[:3] in _PERSONNEL_CLASSES else PUBLIC
            continue
        by_class.setdefault(item.code[:3], index)
        item.panel = names[index]


def _panel_starts(items: list[PanelItem], width: int) -> list[float] | None:
    """The left edge of each panel, where the k-th item of the full lines starts; None when the
    positions are unknown or do not line up (single-spaced text)."""
    if width < 2:
        return None
    full = {}
    for item in items:
        full.setdefault(item.line.number, []).append(item)
    columns: list[list[float]] = [[] for _ in range(width)]
    for row in full.values():
        if len(row) == width and all(item.x0 is not None for item in row):
            for k, item in enumerate(row):
                columns[k].append(item.x0)
    if not all(columns):
        return None
    starts = [min(c) for c in columns]
    for k in range(1, width):
        gap = starts[k] - starts[k - 1]
        # a panel whose items start anywhere is no column (single spaces: each name pushes the next code)
        if gap <= 0 or max(columns[k]) - starts[k] > gap / 4:
            return None
    return starts


def _panel_names(starts: list[float] | None, groups: list[tuple[float | None, str]], width: int) -> list[str]:
    """PERSONNEL / PUBLIC for each panel: named by the title word (or 合计 label) whose middle
    stands in it; a panel without one takes the name of the panel to its left (公用经费 centred
    over two panels); without titles, the template's order (人员经费 first, 公用经费 after)."""
    names: list[str | None] = [None] * width
    if starts is None or any(x is None for x, _ in groups):
        for k, (_, name) in enumerate(groups[:width]):
            names[k] = name
    else:
        for x, name in groups:
            inside = max((k for k in range(width) if starts[k] <= x), default=0)
            if names[inside] is None:
                names[inside] = name
    if width > 1 and names == [None] * width:
        return [PERSONNEL] + [PUBLIC] * (width - 1)
    out: list[str] = []
    for k in range(width):
        out.append(names[k] or (out[-1] if out else PERSONNEL))
    return out
