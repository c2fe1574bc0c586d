"""Fictional 部门预算 PDFs for the printing tests: the team's example budget
(examples/make_examples.py, its planted errors in) made again with one printing changed the way
other regions print the national template's tables.

``build(titles=…, table=…, together=…)`` returns the PDF bytes:
- *titles* / *lines*: ``[(regex, replacement)]`` applied to every title / line (a paragraph's
  lines included; each must take place somewhere);
- *table*: ``hook(title, header, widths, rows, options)`` returning a new ``(header, widths, rows,
  options)`` for the table printed under *title* (or None to keep it);
- *together*: titles (as printed) whose table starts on the page of the table before it, under
  it, instead of on a new page (two tables on one page).

The hooks below are the printings the tests share; each returns None for a table it leaves alone.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NUMBER = re.compile(r"^-?[\d,]+\.\d{2}$")
# The coded tables of the budget (类 | 款 | 项 | name | figures …), by the words their titles end with.
CODED = ("收入预算总表", "支出预算总表", "一般公共预算支出功能分类预算表", "政府性基金预算支出功能分类预算表",
         "国有资本经营预算支出功能分类预算表")
ECONOMIC = "基本支出部门预算经济分类预算表"


def _module():
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_examples
    finally:
        sys.path.remove(str(EXAMPLES))
    return make_examples


def build(*, titles=(), lines=(), table=None, together=()) -> bytes:
    make_examples = _module()
    writer = make_examples.Writer
    original = {name: getattr(writer, name) for name in ("title", "table", "new_page")}
    current = {"title": ""}
    taken = [0] * len(titles)
    rewritten = [0] * len(lines)
    pending = {"break": False, "in_table": False}

    def new_page(self):
        if pending["in_table"]:         # a table going on to the next page: a page break
            return original["new_page"](self)
        pending["break"] = True          # decided at the next title: together or not

    def flush(self, text):
        if pending["break"]:
            pending["break"] = False
            if text in together and self.pages[-1]:
                self.top += 24
                return
            original["new_page"](self)

    def title(self, text, size=16.0):
        flush(self, text)
        for i, (pattern, replacement) in enumerate(titles):
            new = re.sub(pattern, replacement, text)
            taken[i] += new != text
            text = new
        current["title"] = text
        return original["title"](self, text, size)

    def table_(self, header, widths, rows, **options):
        flush(self, None)
        if table is not None:
            changed = table(current["title"], header, widths, rows, options)
            if changed is not None:
                header, widths, rows, options = changed
        pending["in_table"] = True
        try:
            return original["table"](self, header, widths, rows, **options)
        finally:
            pending["in_table"] = False

    def line(self, text, size=10.5, indent=0.0, _line=writer.line):
        flush(self, None)
        for i, (pattern, replacement) in enumerate(lines):
            new = re.sub(pattern, replacement, text)
            rewritten[i] += new != text
            text = new
        return _line(self, text, size, indent)

    writer.title, writer.table, writer.new_page = title, table_, new_page
    writer.line, saved_line = line, writer.line
    try:
        w_build = make_examples.build()
    finally:
        for name, method in original.items():
            setattr(writer, name, method)
        writer.line = saved_line
    assert all(taken), f"titles not printed: {[p for p, n in zip(titles, taken) if not n]}"
    assert all(rewritten), f"lines not printed: {[p for p, n in zip(lines, rewritten) if not n]}"
    return w_build


def is_coded(title: str) -> bool:
    return title.endswith(CODED)


def cells(convert, which=lambda title: True):
    """A hook applying *convert(cell) -> cell* to every body cell of the tables *which* selects."""
    def hook(title, header, widths, rows, options):
        if not which(title):
            return None
        return header, widths, [[convert(c) for c in r] for r in rows], options
    return hook


def scaled(divisor: int, places: int, unit: str):
    """Every 元 table's figures in another unit (元 ÷ *divisor*, *places* decimals): the unit line
    is the writer's own 编制部门 line, changed through *titles*/lines by the caller."""
    def convert(cell):
        if not NUMBER.match(cell):
            return cell
        return f"{Decimal(cell.replace(',', '')) / divisor:,.{places}f}"
    return cells(convert, lambda title: "三公" not in title)


def _figure_columns(options) -> list[int]:
    return [i for i, a in enumerate(options.get("align") or []) if a == "r"]


def blanks(mark: str):
    """Every blank figure cell of the coded and economic tables printed as *mark* ("-", "—", "0.00")."""
    def hook(title, header, widths, rows, options):
        if not (is_coded(title) or ECONOMIC in title):
            return None
        figures = set(_figure_columns(options))
        return header, widths, [[mark if not c and i in figures else c for i, c in enumerate(r)] for r in rows], options
    return hook


def total_first(title, header, widths, rows, options):
    """The 合计 row printed first, under the header (as the national template's 收入总表 does)."""
    if not (is_coded(title) or ECONOMIC in title):
        return None
    return header, widths, [r for r in rows if r[0] == "合计"] + [r for r in rows if r[0] != "合计"], options


def _figure_header(header):
    return [(t, c0 - 3, c1 - 3, r0, r1) for t, c0, c1, r0, r1 in header if c0 >= 4]


def one_code_column(short: bool):
    """类 | 款 | 项 printed as one 科目编码 column (full codes, or *short*: a 款 / 项 as its own two digits)."""
    def hook(title, header, widths, rows, options):
        if not is_coded(title):
            return None
        body = []
        for r in rows:
            code = r[0] + r[1] + r[2] if r[0] != "合计" else "合计"
            body.append([code[-2:] if short and len(code) > 3 and code != "合计" else code] + r[3:])
        head = [("科目编码", 0, 0, 0, 2), ("科目名称", 1, 1, 0, 2)] + [(t, c0 + 1, c1 + 1, r0, r1) for t, c0, c1, r0, r1
                                                                      in _figure_header(header)]
        return head, [80, 230] + widths[4:], body, dict(options, align=["l", "l"] + ["r"] * (len(widths) - 4))
    return hook


def code_in_name(form, heading: str | None = None):
    """The code printed in the name's cell, *form*(code, name) ("2070101 行政运行", "[2070101]行政运行",
    or the name alone, indented by level), under a header "科目" / "科目名称" (or *heading*)."""
    def hook(title, header, widths, rows, options):
        if not is_coded(title):
            return None
        body = [["合计" if r[0] == "合计" else form(r[0] + r[1] + r[2], r[3])] + r[4:] for r in rows]
        head = [(heading or ("科目" if form("207", "x") != "x" else "科目名称"), 0, 0, 0, 2)] + _figure_header(header)
        return head, [300] + widths[4:], body, dict(options, align=["l"] + ["r"] * (len(widths) - 4))
    return hook


def three_public_two_years(prior: list[str]):
    """The 三公 table printing last year's group of columns ("2024年“三公”经费预算数": *prior*, its
    合计 … 运行费) before this year's ("2025年…"), the 机关运行经费 column after both."""
    def hook(title, header, widths, rows, options):
        if "三公" not in title:
            return None
        head = []
        for offset, year in ((0, 2024), (6, 2025)):
            head.append((f"{year}年“三公”经费预算数", offset, offset + 5, 0, 0))
            head += [(t, c0 + offset, c1 + offset, r0, r1) for t, c0, c1, r0, r1 in header if r0 >= 1 and c1 <= 5]
        head.append(("机关运行经费预算数", 12, 12, 0, 2))
        return head, [w * 0.6 for w in widths[:6]] * 2 + [widths[6] * 0.6], [prior + rows[0]], \
            dict(options, align=["r"] * 13)
    return hook


def summary_prior_columns(prior: str, current: str):
    """The 收支总表 printing last year's figures beside this year's on each side ("项目 | *prior* |
    *current*"): last year's the same as this year's, a blank cell blank."""
    def hook(title, header, widths, rows, options):
        if not title.endswith("财务收支预算总表"):
            return None
        head = [("本年收入", 0, 2, 0, 0), ("本年支出", 3, 5, 0, 0), ("项目", 0, 0, 1, 1), (prior, 1, 1, 1, 1),
                (current, 2, 2, 1, 1), ("项目", 3, 3, 1, 1), (prior, 4, 4, 1, 1), (current, 5, 5, 1, 1)]
        body = [[r[0], r[1], r[1], r[2], r[3], r[3]] for r in rows]
        # (the page's width as the four columns took it: the names narrower, two figures a side)
        figure = round(sum(widths) * 0.13)
        name = (sum(widths) - 4 * figure) // 2
        return head, [name - 10, figure, figure, name + 10, figure, figure], body, \
            dict(options, align=["l", "r", "r", "l", "r", "r"])
    return hook


def prior_column(label: str):
    """The 一般公共预算支出功能分类预算表 printing last year's total in a column of its own before this
    year's (headed *label*: "上年预算数", "2024年预算数"), last year's the same as this year's."""
    def hook(title, header, widths, rows, options):
        if not title.endswith("一般公共预算支出功能分类预算表"):
            return None
        head = [(t, c0 + (c0 >= 4), c1 + (c0 >= 4), r0, r1) for t, c0, c1, r0, r1 in header] + [(label, 4, 4, 0, 2)]
        narrower = [w - 10 for w in widths[4:]]
        return head, widths[:3] + [widths[3] - 60, widths[4] - 10] + narrower, [r[:5] + r[4:] for r in rows], \
            dict(options, align=["l"] * 4 + ["r"] * (len(widths) - 3))
    return hook


def header_wrapped(title, header, widths, rows, options):
    """Every header cell of the coded tables wrapped over up to three lines ("功能分类\\n科目\\n编码")."""
    if not is_coded(title):
        return None

    def wrapped(text):
        if "\n" in text or len(text) < 4:
            return text
        step = (len(text) + 2) // 3
        return "\n".join(text[i:i + step] for i in range(0, len(text), step))
    return [(wrapped(t), *rest) for t, *rest in header], widths, rows, options


def unit_in_header(title, header, widths, rows, options):
    """The unit printed in the figure columns' header cells ("合计（元）", "预算数（元）")."""
    if "三公" in title:
        return None
    return [(t + "（元）" if t in ("合计", "预算数") else t, *rest) for t, *rest in header], widths, rows, options


def continued(line: str | None, *, repeat_header: bool = True):
    """Every table of more than two rows continued over pages (four rows a page), each
    continuation page headed by *line* ("续表", "{title}（续表）") and its header repeated or not."""
    def hook(title, header, widths, rows, options):
        if len(rows) < 3:
            return None
        text = line.format(title=title) if line else None
        return header, widths, rows, dict(options, rows_per_page=4, continued=text, repeat_header=repeat_header)
    return hook
