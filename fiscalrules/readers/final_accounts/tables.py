"""The nine standard 决算 tables, read by kind into ``tables.*`` (:func:`read_table_block`).

Where each table is: :mod:`.blocks` (:func:`find_tables`, by the national titles).  The two-sided
总表s: :mod:`.two_sided`.  The coded tables (收入/支出决算表, 一般公共预算财政拨款支出决算表, the fund
tables): :mod:`.coded`.  Here: the 基本支出决算表 (panels of code, name and amount, read by the
panel reader the budget shares, :mod:`fiscalrules.readers.common.panels`) and the 三公 table (one
line of 预算数/决算数 pairs under its header columns), and the dispatch by kind.
"""

from __future__ import annotations

import re

from ...document.model import Document, Line
from ..common.panels import PERSONNEL, PUBLIC, is_panel_header, read_panels
from ..common.record import RecordBuilder, untaken_lines
from ..common.three_public import BLANK, item_key, split_row
from ..common.units import NO_UNIT, declared_unit
from .blocks import CODE_START, NUMBER, TABLES, TableBlock, amount_figure, complete_name, find_tables
from .coded import read_coded
from .page_end import fill_from_after
from .three_public_columns import column_roles, is_numbering_line, place_figures
from .two_sided import read_two_sided

__all__ = ["TABLES", "find_tables", "read_table_block", "TableBlock"]


def _decimal(text: str) -> bool:
    return NUMBER.match(text) is not None and "." in text


def _decimal_or_grouped(text: str) -> bool:
    return NUMBER.match(text) is not None and ("." in text or "," in text)


# ---- 一般公共预算财政拨款基本支出决算表 (panels of code, name, amount) ------------------------------------

def _digits_after(compact: str, label: str) -> bool:
    """Whether *label* stands in *compact* (a line without its spaces) followed by a digit before
    the next Chinese character (the next panel's label): something printed as its amount."""
    at = compact.find(label)
    if at < 0:
        return False
    for char in compact[at + len(label):]:
        if char.isdigit():
            return True
        if "\u4e00" <= char <= "\u9fff":
            return False
    return False


def _blank_at_end(item) -> bool:
    """Whether a panel item printed without an amount ends a text line laid out in columns (words
    apart by runs of spaces, as ``pdftotext -layout`` and hand-aligned text write a table's
    cells): nothing after its name, so its amount cell is blank, not lost to another line."""
    line = item.line
    return bool(item.name) and line.compact.endswith(item.name) and "   " in line.original.strip()


def _read_basic(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    """The panels (:func:`fiscalrules.readers.common.panels.read_panels`) into ``rows`` of code, name
    and amount, and the two 合计 into ``totals``."""
    title = TABLES[block.key]
    prefix = "tables.general_budget_basic"
    builder.put(f"{prefix}.split", False)
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)]
    panels = read_panels(lines)
    # a line of figures the panels did not take (a cell a line, as pdftotext without -layout writes
    # a table; a code whose name and amount stand lines away), or an item without its amount: the
    # table read in part would add up wrong, so every line is listed, none read (as the budget's)
    stray = untaken_lines(doc, [line.number for line in lines], panels.read, _decimal_or_grouped)
    # (a PDF prints an item's empty amount as a blank cell; text may have lost where it stood --
    # but for the last item of a line laid out in columns, "… 30240   税金及附加费用" with nothing
    # after it: its cell is blank there, as the PDF's)
    missing = [item for item in panels.items if item.amount is None and item.line.boxes is None
               and not _blank_at_end(item)]
    after: set[int] = set()
    if block.after and (missing or set(panels.labels) - set(panels.totals)):
        # (the cells of the last rows pdftotext wrote after the note: placed where the sums leave
        # one placement, .page_end)
        after = fill_from_after(doc, block.after, panels, missing)
        if after:
            missing = []
    if missing and not block.after and not stray:
        # (no figure of the table stands anywhere but in an item or a 合计 -- none on a line of its
        # own, none after the note: an item printing none, its row's next cell or the line's end
        # right after its name, printed its amount blank, as a PDF's empty cell; pdfplumber's text)
        missing = []
    # (in text, a panel's 合计 label followed by digits no amount took: a figure printed in a form no
    # amount takes -- "580,00", its digits cut at the page's edge; the panel may have lost items the
    # same way, and would add up short.  A 合计 printed blank or "-" is no such figure: its panel's
    # items stand read, as before -- review 27)
    unsummed = [line for line in lines for key, label in ((PERSONNEL, "人员经费合计"), (PUBLIC, "公用经费合计"))
                if key not in panels.totals and line.boxes is None and _digits_after(line.compact, label)] \
        if panels.totals or any(item.amount is not None for item in panels.items) else []
    if stray or missing or unsummed:
        listed = sorted({line.number for line in stray} | {item.line.number for item in missing} | panels.read
                        | {line.number for line in unsummed})
        for number in listed:
            builder.add_unread(title, (number, number), "basic expenditure table not read (a line of it could not be "
                               "placed in a panel): " + doc.line(number).original.strip())
        return set()
    panels.read |= after
    # (an item whose tab cell is printed blank is a row without amount, as a PDF's blank cell)
    for item in sorted(panels.items + panels.blanks, key=lambda item: (item.line.number, item.ordinal)):
        row = {"code": item.code, "name": item.name}
        if item.amount is not None:
            row["amount"] = amount_figure(item.amount, doc, item.amount_line, title, block.unit)
        builder.append(f"{prefix}.rows", row)
        class_lines.append((row["code"], row["name"], item.line.number, "economic_department"))
    for key, (value, line) in panels.totals.items():
        builder.put(f"{prefix}.totals.{key}", amount_figure(value, doc, line, title, block.unit))
    # names completed after the class line was recorded: update the recorded class lines
    rows = builder.get(f"{prefix}.rows") or []
    by_code = {r["code"]: r["name"] for r in rows}
    class_lines[:] = [(c, by_code.get(c, p) if s == "economic_department" else p, n, s) for c, p, n, s in class_lines
                      if s != "economic_department" or complete_name(c, by_code.get(c, p), s)]
    return panels.read


def _in_columns(doc: Document, block: TableBlock) -> bool:
    """Whether the 基本支出决算表 is printed as the budget's is: one panel, each row split into
    人员经费 and 公用经费 columns beside its 合计 ("经济分类科目编码 | 科目名称 | 合计 | 人员经费 |
    公用经费") -- not panels side by side (a header repeating 科目编码, totals "人员经费合计")."""
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)]
    header = []
    for line in lines:
        if CODE_START.match(line.compact) or line.compact.startswith("合计"):
            break
        header.append(line.compact)
    words = "".join(header)
    return ("人员经费" in words and "公用经费" in words and not any(is_panel_header(line) for line in lines)
            and not any(re.search(r"(?:人员|公用)经费合计", line.compact) for line in lines))


def _read_basic_columns(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    """The 基本支出决算表 in columns, read as the coded tables are: each row's 合计 is its ``amount``,
    its 人员经费 / 公用经费 its ``personnel`` / ``public`` (``split``: TBL-033 and TBL-034 check them)."""
    prefix = "tables.general_budget_basic"
    read = read_coded(builder, doc, block, class_lines)
    rows = builder.get(f"{prefix}.rows") or []
    for row in rows:
        if "total" in row:
            row["amount"] = row.pop("total")
    builder.put(f"{prefix}.split", bool(rows))
    return read


# ---- 财政拨款“三公”经费支出决算表 ---------------------------------------------------------------------

# The heading of the counts under the amounts ("统计数", "统计数据", "实物量")
_COUNTS_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:统计数据?|实物量)$")
_THREE_PUBLIC_ORDER = ("total", "overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def _read_three_public_rows(builder: RecordBuilder, doc: Document, block: TableBlock,
                            lines: list[Line]) -> set[int] | None:
    """The 三公 table with its items as rows (项目 | 预算数 | 决算数; Beijing, Guangdong …): each row
    keyed by the item it names (:mod:`fiscalrules.readers.common.three_public`, shared with the
    budget's transposed table), its cells by the header's 预算数 / 决算数.  None when the table is
    not printed so; a row that names no item or lost a cell makes the table listed, never guessed."""
    # (the counts some regions print below the amounts, under a "统计数" line: groups and persons
    # abroad, vehicles bought and held, receptions -- named as the items are, "因公出国（境）团组数（个）",
    # but no amounts: listed, not read as the items' figures)
    counts = next((i for i, line in enumerate(lines) if _COUNTS_HEADING.match(line.compact)), len(lines))
    lines, counted = lines[:counts], lines[counts:]
    rows = [(line, *split_row(line)) for line in lines]
    items = [(line, item_key(label), cells) for line, label, cells in rows if cells]
    header = next((line for line in lines if "预算" in line.compact and "决算" in line.compact
                   and not any(NUMBER.match(w.text) for w in line.words)), None)
    if header is None or sum(1 for _, key, _ in items if key) < 2:
        return None
    roles = [("budget" if "预算" in w.text else "final") for w in header.words if "预算" in w.text or "决算" in w.text]
    title, prefix = TABLES[block.key], "tables.three_public"
    problems = [line for line, key, cells in items if key is None or len(cells) != len(roles)]
    keys = [key for _, key, _ in items]
    if problems or len(set(keys)) != len(keys) or sorted(set(roles)) != ["budget", "final"]:
        for line, _, _ in items:
            builder.add_unread(title, (line.number, line.number), "三公 table (items as rows): row not placed: "
                               + line.original.strip())
        return set()
    for line, key, cells in items:
        for role, cell in zip(roles, cells):
            if cell not in BLANK:
                builder.put(f"{prefix}.{role}.{key}", amount_figure(cell.replace(",", ""), doc, line, title, block.unit))
    builder.put(f"{prefix}.empty", False)
    if counted:
        builder.add_unread(title, (counted[0].number, counted[-1].number), "三公 table: its 统计数 (counts of groups, "
                           "persons, vehicles and receptions), not amounts, not read")
    return {line.number for line, _, _ in items}


def _read_three_public(builder: RecordBuilder, doc: Document, block: TableBlock) -> set[int]:
    title = TABLES[block.key]
    prefix = "tables.three_public"
    lines = [doc.line(n) for n in range(block.title + 1, block.last + 1)
             if not doc.line(n).compact.startswith(("注:", "说明:", "单位:"))]
    read = _read_three_public_rows(builder, doc, block, lines)
    if read is not None:
        return read
    labelled = _three_public_unit_lines(doc, block)
    header: list[Line] = []
    numbering = None
    for n in range(block.title + 1, block.last + 1):
        line = doc.line(n)
        words = [w.text for w in line.words]
        if is_numbering_line(line):
            # the columns' numbers "1 2 … 12" under the header, never the figures
            numbering = line
            continue
        if labelled:
            # a line per unit beside the department's 合计 (单位编码 | 单位名称 | the pairs): the 合计
            # line is the table's, or the one unit's line where no 合计 is printed
            if n not in labelled or len(labelled) > 1 and not labelled[n]:
                header.append(line)
                continue
            words = words[-12:]
        if not (len(words) >= 6 and all(NUMBER.match(w) for w in words)):
            header.append(line)
            continue
        # the columns' roles and items by the header (the national 预算数 / 决算数 pairs under each
        # item, or the roles as group titles over the items); pairs where it says neither
        roles = column_roles(header) or [(role, item) for item in _THREE_PUBLIC_ORDER for role in ("budget", "final")]
        if len(words) == 12:
            cells = [(role, item, word) for (role, item), word in zip(roles, words)]
        else:
            # blank cells left no trace in the text: each figure by the column it stands under
            placed = place_figures(header, numbering, roles, line.words) if len(words) < 12 else None
            if placed is None:
                builder.add_unread(title, (n, n), f"三公 table: {len(words)} figures where 12 (预算数/决算数 × 6) "
                                   "are printed, not placed under their columns")
                return set()
            cells = [(role, item, word.text) for role, item, word in placed]
        for role, item, text in cells:
            builder.put(f"{prefix}.{role}.{item}", amount_figure(text, doc, line, title, block.unit))
        builder.put(f"{prefix}.empty", False)
        for other in sorted(set(labelled) - {n}):
            builder.add_unread(title, (other, other), "三公 table: a unit's line beside the department's 合计 "
                               "(the 合计 is read, the units' lines are not): " + doc.line(other).original.strip())
        return {n}
    printed = untaken_lines(doc, [line.number for line in lines], (), _decimal, notes=True)
    for line in printed:
        # figures not printed as the line of pairs (a cell a line: pdftotext without -layout):
        # listed, and the table is not said to be empty
        builder.add_unread(title, (line.number, line.number), "三公 table: figures not on one line of 预算数/决算数 "
                           "pairs, not read: " + line.original.strip())
    builder.put(f"{prefix}.empty", not printed)
    return set()


def _three_public_unit_lines(doc: Document, block: TableBlock) -> dict[int, bool]:
    """The 三公 table's lines of a label then its 12 figures (a line per unit, "118001 某局 12.00 …",
    and the department's "合计 …"): line number -> whether it is the 合计 line.  Empty when the
    table prints its one line of figures alone (the national template)."""
    found = {}
    for n in range(block.title + 1, block.last + 1):
        words = [w.text for w in doc.line(n).words]
        # (not the "栏次 1 2 … 12" under the header: a label and twelve integers, no unit's line --
        # taken for one, the line of figures under it was a second unit's, and nothing was read)
        if is_numbering_line(doc.line(n)):
            continue
        if len(words) > 12 and all(NUMBER.match(w) for w in words[-12:]) and not NUMBER.match(words[-13]):
            found[n] = doc.line(n).compact.startswith(("合计", "总计"))
    return found


def _unit(builder: RecordBuilder, doc: Document, block: TableBlock) -> str:
    """The unit the table declares (its unit line, the 编制单位 line, its title or a note:
    :func:`fiscalrules.readers.common.units.declared_unit`, the budget reader's judgement), else
    万元, said in the unread list when the table prints figures."""
    lines = [doc.line(n).compact for n in range(block.title + 1, block.last + 1)]
    notes = [text for text in lines if text.startswith(("注:", "说明:"))]
    unit = declared_unit([text for text in lines if text not in notes], doc.line(block.title).compact, notes)
    if unit is not None:
        return unit
    if any(NUMBER.match(w.text) and "." in w.text for n in range(block.title + 1, block.last + 1)
           for w in doc.line(n).words):
        builder.add_unread(TABLES[block.key], (block.title, block.title), NO_UNIT)
    return "万元"


def read_table_block(builder: RecordBuilder, doc: Document, block: TableBlock, class_lines: list) -> set[int]:
    """Read one table into the record; the lines whose amounts it read."""
    if block.key is None:
        title = doc.line(block.title).original.strip()
        builder.add_unread(title, (block.title, block.last), "a table under a title not recognised: " + title)
        return set()
    builder.put(f"tables.{block.key}.title", TABLES[block.key])
    block.unit = _unit(builder, doc, block)
    if block.key == "summary":
        return read_two_sided(builder, doc, block, "tables.summary", False)
    if block.key == "appropriation_summary":
        return read_two_sided(builder, doc, block, "tables.appropriation_summary", True)
    if block.key == "general_budget_basic":
        if _in_columns(doc, block):
            return _read_basic_columns(builder, doc, block, class_lines)
        return _read_basic(builder, doc, block, class_lines)
    if block.key == "three_public":
        return _read_three_public(builder, doc, block)
    return read_coded(builder, doc, block, class_lines)


