"""Make the example PDF disclosure(s) of ``examples/`` (a development tool, not part of the package).

    pip install reportlab && python examples/make_examples.py

Writes ``examples/qingshi_culture_2025.pdf``: the 2025 department budget of 滨江市青石区文化旅游局,
a fictional district and department, laid out like the Shanghai-style template (目录, 主要职能,
机构设置, 名词解释, 部门预算编制说明, the nine tables in 元 with 类/款/项 in separate ruled columns and
multi-line headers, a table running over a page break with its header repeated and one without,
其他相关情况说明, a project description). Its figures are consistent except for the planted errors
listed in ``examples/README.md``. reportlab's built-in ``STSong-Light`` CID font is used, so the
text layer is real text that any PDF reader extracts.

Also writes ``examples/qingshi_culture_2024_final_accounts.pdf``, the same department's 2024 final
accounts (部门决算), with :mod:`make_final_accounts` (kept apart: the 决算 template is a document of
its own).

The :class:`Writer` here lays out pages (wrapped paragraphs, headings, ruled or unruled tables
with header cells spanning columns and lines, page breaks with or without a repeated header); the
tests use it to make their own small PDFs.
"""

from __future__ import annotations

import io
import os
import unicodedata

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = landscape(A4)
MARGIN = 56


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


_UNITS: dict[str, float] = {}


def _units(ch: str) -> float:
    """The width of *ch* in thousandths of the font size: ``_width(text, size)`` is
    ``size * 0.001`` times the sum of its characters' units, added left to right."""
    units = _UNITS.get(ch)
    if units is None:
        units = _UNITS[ch] = pdfmetrics.stringWidth(ch, FONT, 1000)
    return units


def wrap(text: str, size: float, limit: float, indent: float) -> list[tuple[float, str]]:
    """*text* cut into lines of at most *limit* points, the first indented *indent*: ``(indent,
    line)`` each, a line cut before the character that would pass the limit.  The width of each
    line so far is kept as it grows (the same sum ``_width`` makes of it, character by character,
    so the same cuts), instead of measuring the whole line again for each character."""
    lines, current, units = [], "", 0.0
    for ch in text:
        ch_units = _units(ch)
        if size * 0.001 * (units + ch_units) > limit - indent:
            lines.append((indent, current))
            current, units, indent = "", 0.0, 0.0
        current += ch
        units += ch_units
    if current:
        lines.append((indent, current))
    return lines


class Writer:
    """Pages of text items and rules, written top-down; coordinates from the top left."""

    def __init__(self):
        self.pages: list[list[tuple]] = [[]]
        self.top = MARGIN

    def new_page(self) -> None:
        self.pages.append([])
        self.top = MARGIN

    def _room(self, height: float) -> None:
        if self.top + height > HEIGHT - MARGIN:
            self.new_page()

    def put(self, x: float, text: str, size: float) -> None:
        self.pages[-1].append(("text", x, self.top, text, size))

    def title(self, text: str, size: float = 16.0) -> None:
        self._room(size * 2)
        self.put((WIDTH - _width(text, size)) / 2, text, size)
        self.top += size * 1.8

    def line(self, text: str, size: float = 10.5, indent: float = 0.0) -> None:
        self._room(size * 1.7)
        self.put(MARGIN + indent, text, size)
        self.top += size * 1.7

    def paragraph(self, text: str, size: float = 10.5) -> None:
        """A paragraph wrapped at the right margin, its first line indented two characters."""
        for indent, line in wrap(text, size, WIDTH - 2 * MARGIN, 2 * size):
            self.line(line, size, indent)

    def table(self, header: list[tuple], widths: list[float], rows: list[list[str]], *,
              ruled: bool = True, header_lines: int = 2, repeat_header: bool = True,
              rows_per_page: int | None = None, size: float = 9.0, align: list[str] | None = None,
              row_height: float = 20.0, continued: str | None = None) -> None:
        """*header*: cells ``(text, first column, last column, first line, last line)`` (a
        cell may span columns and header lines); *rows*: body rows, one string per column
        ("" for a blank cell); *align*: per column "l", "c" or "r" (numbers right);
        *continued*: a line printed at the top of each page the table goes on to ("续表", or
        the title with "（续表）"), before its header."""
        xs = [MARGIN]
        for w in widths:
            xs.append(xs[-1] + w)
        align = align or ["c"] * len(widths)
        line_height = size * 1.9

        def draw_header():
            top = self.top
            for text, c0, c1, r0, r1 in header:
                cell_top = top + r0 * line_height
                cell_bottom = top + (r1 + 1) * line_height
                parts = text.split("\n")
                middle = (cell_top + cell_bottom) / 2 - len(parts) * size * 0.6
                for i, part in enumerate(parts):
                    x = (xs[c0] + xs[c1 + 1] - _width(part, size)) / 2
                    self.pages[-1].append(("text", x, middle + i * size * 1.2, part, size))
                if ruled:
                    self.pages[-1].append(("vrule", xs[c0], cell_top, cell_bottom))
                    self.pages[-1].append(("vrule", xs[c1 + 1], cell_top, cell_bottom))
                    self.pages[-1].append(("hrule", cell_top, xs[c0], xs[c1 + 1]))
                    self.pages[-1].append(("hrule", cell_bottom, xs[c0], xs[c1 + 1]))
            self.top = top + header_lines * line_height

        draw_header()
        count = 0
        for row in rows:
            if (rows_per_page and count == rows_per_page) or self.top + row_height > HEIGHT - MARGIN:
                self.new_page()
                count = 0
                if continued:
                    self.line(continued, size + 1)
                if repeat_header:
                    draw_header()
            for column, text in enumerate(row):
                if not text:
                    continue
                w = _width(text, size)
                if align[column] == "r":
                    x = xs[column + 1] - 4 - w
                elif align[column] == "l":
                    x = xs[column] + 4
                else:
                    x = (xs[column] + xs[column + 1] - w) / 2
                self.pages[-1].append(("text", x, self.top + (row_height - size) / 2, text, size))
            if ruled:
                for x in xs:
                    self.pages[-1].append(("vrule", x, self.top, self.top + row_height))
                self.pages[-1].append(("hrule", self.top + row_height, xs[0], xs[-1]))
            self.top += row_height
            count += 1
        self.top += 8

    def pdf(self) -> bytes:
        return render(self.pages)


def render(pages: list[list[tuple]], size: tuple[float, float] = (WIDTH, HEIGHT),
           encrypt: str | None = None) -> bytes:
    """PDF bytes of *pages*, each a list of items ``("text", x, top, string, font size)``,
    ``("hrule", y, x0, x1)``, ``("vrule", x, top, bottom)`` or ``("rect", x0, top, x1, bottom)``
    (a filled rectangle, no text), coordinates in points from the top left."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, encrypt=encrypt, invariant=1)
    height = size[1]
    for items in pages:
        for item in items:
            kind = item[0]
            if kind == "text":
                _, x, top, text, font_size = item
                pdf.setFont(FONT, font_size)
                pdf.drawString(x, height - top - font_size * 0.88, text)
            elif kind == "hrule":
                _, y, x0, x1 = item
                pdf.setLineWidth(0.6)
                pdf.line(x0, height - y, x1, height - y)
            elif kind == "vrule":
                _, x, top, bottom = item
                pdf.setLineWidth(0.6)
                pdf.line(x, height - top, x, height - bottom)
            elif kind == "rect":
                _, x0, top, x1, bottom = item
                pdf.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# -- the example department ----------------------------------------------------------------------

DEPT = "滨江市青石区文化旅游局"
YEAR = 2025

# Function classification rows: (类, 款, 项, name, basic 元, project 元). Parents are summed
# below, except where an error is planted.
FUNCTION_ITEMS = [
    ("207", "01", "01", "行政运行", 6_120_000, 0),
    ("207", "01", "02", "一般行政管理事务", 0, 850_000),
    ("207", "01", "09", "群众文化", 0, 1_260_000),
    ("207", "01", "99", "其他文化和旅游支出", 0, 430_000),
    ("207", "02", "04", "文物保护", 0, 980_000),
    ("208", "05", "01", "行政单位离退休", 312_000, 0),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", 688_000, 0),
    ("208", "05", "06", "机关事业单位职业年金缴费支出", 344_000, 0),
    ("210", "11", "01", "行政单位医疗", 402_000, 0),
    ("221", "02", "01", "住房公积金", 516_000, 0),
    ("221", "02", "03", "购房补贴", 264_000, 0),
]
NAMES = {"207": "文化旅游体育与传媒支出", "20701": "文化和旅游", "20702": "文物",
         "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
         "210": "卫生健康支出", "21011": "行政事业单位医疗",
         "221": "住房保障支出", "22102": "住房改革支出"}

ECONOMIC = [  # (类, 款, name, 人员经费, 公用经费)
    ("301", "01", "基本工资", 1_980_000, 0),
    ("301", "02", "津贴补贴", 2_410_000, 0),
    ("301", "07", "绩效工资", 1_150_000, 0),
    ("301", "08", "机关事业单位基本养老保险缴费", 688_000, 0),
    ("301", "09", "职业年金缴费", 344_000, 0),
    ("301", "10", "职工基本医疗保险缴费", 402_000, 0),
    ("301", "13", "住房公积金", 516_000, 0),
    ("302", "01", "办公费", 0, 124_000),
    ("302", "11", "差旅费", 0, 46_000),
    ("302", "17", "公务接待费", 0, 24_000),
    ("302", "28", "工会经费", 0, 98_000),
    ("302", "31", "公务用车运行维护费", 0, 60_000),
    ("303", "02", "退休费", 312_000, 0),
    ("303", "99", "其他对个人和家庭的补助", 264_000, 0),
    ("310", "02", "办公设备购置", 0, 228_000),
]
ECONOMIC_NAMES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
                  "310": "资本性支出"}


def money(value: int) -> str:
    return f"{value:,.2f}"


def function_rows() -> tuple[list[tuple[str, str, str, str, int, int]], int, int]:
    """(类, 款, 项, name, basic, project) rows with their parents, and the basic/project totals."""
    rows = []
    for lei in sorted({i[0] for i in FUNCTION_ITEMS}):
        items = [i for i in FUNCTION_ITEMS if i[0] == lei]
        rows.append((lei, "", "", NAMES[lei], sum(i[4] for i in items), sum(i[5] for i in items)))
        for kuan in sorted({i[1] for i in items}):
            sub = [i for i in items if i[1] == kuan]
            rows.append((lei, kuan, "", NAMES[lei + kuan], sum(i[4] for i in sub), sum(i[5] for i in sub)))
            rows.extend(sub)
    basic = sum(i[4] for i in FUNCTION_ITEMS)
    project = sum(i[5] for i in FUNCTION_ITEMS)
    return rows, basic, project


def build() -> bytes:
    w = Writer()
    rows, basic, project = function_rows()
    total = basic + project
    wan = lambda v: f"{v / 10000:,.2f}"      # noqa: E731  元 → 万元 as the narrative prints it

    w.top = 200
    w.title(f"滨江市青石区{YEAR}年区级部门预算", 22)
    w.title(f"预算主管部门：{DEPT}", 14)

    w.new_page()
    w.title("目 录")
    for entry in ["一、部门主要职能", "二、部门机构设置", "三、名词解释", "四、部门预算编制说明",
                  "五、部门预算表", f"1. {YEAR}年部门财务收支预算总表", f"2. {YEAR}年部门收入预算总表",
                  f"3. {YEAR}年部门支出预算总表", f"4. {YEAR}年部门财政拨款收支预算总表",
                  f"5. {YEAR}年部门一般公共预算支出功能分类预算表",
                  f"6. {YEAR}年部门政府性基金预算支出功能分类预算表",
                  f"7. {YEAR}年部门国有资本经营预算支出功能分类预算表",
                  f"8. {YEAR}年部门一般公共预算基本支出部门预算经济分类预算表",
                  f"9. {YEAR}年部门“三公”经费和机关运行经费预算表", "六、其他相关情况说明",
                  "七、项目经费情况说明"]:
        w.line(entry + " " + "…" * 30)

    w.new_page()
    w.title(f"{DEPT}主要职能")
    w.paragraph(f"{DEPT}是负责本区文化和旅游工作的区政府工作部门。主要职能包括：贯彻执行文化和旅游"
                "工作的方针政策；统筹规划本区文化事业、文化产业和旅游业发展；负责本区文物保护工作；"
                "指导、管理本区群众文化活动；完成区委、区政府交办的其他任务。")
    w.title(f"{DEPT}机构设置")
    w.paragraph(f"{DEPT}部门预算是包括局本部以及下属1家预算单位的综合收支计划。局机关设5个内设机构。")
    w.title("名词解释")
    for text in ["（一）财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款。",
                 "（二）基本支出预算：是为保障机构正常运转、完成日常工作任务而编制的年度基本支出计划。",
                 "（三）项目支出预算：是为完成特定的行政工作任务或事业发展目标而编制的年度支出计划。",
                 "（四）机关运行经费：指行政单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。"]:
        w.paragraph(text)

    w.new_page()
    w.title(f"{YEAR}年部门预算编制说明")
    w.paragraph(f"{YEAR}年，{DEPT}收入预算{wan(total)}万元，其中：财政拨款收入{wan(total)}万元，"
                f"比{YEAR - 1}年预算增加35.00万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
    w.paragraph(f"支出预算{wan(total)}万元，其中：财政拨款支出预算{wan(total)}万元，比{YEAR - 1}年预算"
                f"增加35.00万元。财政拨款支出预算中，一般公共预算拨款支出预算{wan(total)}万元。")
    w.paragraph("财政拨款支出主要内容如下：")
    for n, item in enumerate(FUNCTION_ITEMS, 1):
        lei, kuan, xiang, name, b, p = item
        w.paragraph(f"{n}. “{NAMES[lei]}（类）{NAMES[lei + kuan]}（款）{name}（项）”{wan(b + p)}万元，"
                    f"主要用于{name}。")

    # -- the nine tables ---------------------------------------------------------------------
    unit_line = lambda unit="元": w.line(f"编制部门：{DEPT}" + " " * 90 + f"单位：{unit}", 9)  # noqa: E731
    code_widths = [36, 36, 36, 210]
    coded_header = lambda group, columns: (                                                    # noqa: E731
        [("项目", 0, 3, 0, 0), (group, 4, 3 + len(columns), 0, 0), ("功能分类科目编码", 0, 2, 1, 1),
         ("功能分类科目名称", 3, 3, 1, 2), ("类", 0, 0, 2, 2), ("款", 1, 1, 2, 2), ("项", 2, 2, 2, 2)]
        + [(c, 4 + i, 4 + i, 1, 2) for i, c in enumerate(columns)])
    align5 = ["c", "c", "c", "l", "r", "r", "r", "r", "r"]

    def coded(values):
        out = []
        for lei, kuan, xiang, name, b, p in values:
            out.append([lei, kuan, xiang, name] + [money(v) if v else "" for v in (b + p, b, p)])
        return out

    # 1. summary (two-sided)
    w.new_page()
    w.title(f"{YEAR}年部门财务收支预算总表", 14)
    unit_line()
    leis = [r for r in rows if not r[1]]
    numerals = "一二三四五六七八九十"
    summary_rows = [["一、财政拨款收入", money(total), f"一、{leis[0][3]}", money(leis[0][4] + leis[0][5])],
                    ["1. 一般公共预算资金", money(total), f"二、{leis[1][3]}", money(leis[1][4] + leis[1][5])],
                    ["2. 政府性基金", "", f"三、{leis[2][3]}", money(leis[2][4] + leis[2][5])],
                    ["3. 国有资本经营预算", "", f"四、{leis[3][3]}", money(leis[3][4] + leis[3][5])],
                    ["二、事业收入", "", "", ""], ["三、事业单位经营收入", "", "", ""],
                    ["四、其他收入", "", "", ""],
                    ["收入总计", money(total), "支出总计", money(total)]]
    w.table([("本年收入", 0, 1, 0, 0), ("本年支出", 2, 3, 0, 0), ("项目", 0, 0, 1, 1), ("预算数", 1, 1, 1, 1),
             ("项目", 2, 2, 1, 1), ("预算数", 3, 3, 1, 1)], [220, 140, 230, 140], summary_rows,
            align=["l", "r", "l", "r"])
    assert numerals

    # 2. income: planted error 4 — the 合计 row (30 元 short of the sum of the 类 rows)
    w.new_page()
    w.title(f"{YEAR}年部门收入预算总表", 14)
    unit_line()
    income_rows = [[lei, kuan, xiang, name, money(b + p), money(b + p), "", "", ""]
                   for lei, kuan, xiang, name, b, p in rows]
    income_rows.append(["合计", "", "", "", money(total - 30), money(total - 30), "", "", ""])
    w.table([("项目", 0, 3, 0, 0), ("收入预算", 4, 8, 0, 0), ("功能分类科目编码", 0, 2, 1, 1),
             ("功能分类科目名称", 3, 3, 1, 2), ("类", 0, 0, 2, 2), ("款", 1, 1, 2, 2), ("项", 2, 2, 2, 2),
             ("合计", 4, 4, 1, 2), ("财政拨款收入", 5, 5, 1, 2), ("事业收入", 6, 6, 1, 2),
             ("事业单位\n经营收入", 7, 7, 1, 2), ("其他收入", 8, 8, 1, 2)],
            code_widths + [86, 86, 70, 70, 70], income_rows, header_lines=3, align=align5,
            rows_per_page=11, repeat_header=False)

    # 3. expenditure: planted error 2 — one 项 row whose 合计 is not 基本 + 项目
    w.new_page()
    w.title(f"{YEAR}年部门支出预算总表", 14)
    unit_line()
    expenditure_rows = coded(rows)
    for row in expenditure_rows:
        if row[3] == "群众文化":
            row[4] = money(1_206_000)        # printed 1,206,000.00; 0 + 1,260,000 is right
    expenditure_rows.append(["合计", "", "", "", money(total), money(basic), money(project)])
    w.table(coded_header("支出预算", ["合计", "基本支出", "项目支出"]), code_widths + [110, 110, 110],
            expenditure_rows, header_lines=3, align=align5)

    # 4. appropriation summary (two-sided, several columns on the right)
    w.new_page()
    w.title(f"{YEAR}年部门财政拨款收支预算总表", 14)
    unit_line()
    right = [[f"{numerals[i]}、{r[3]}", money(r[4] + r[5]), money(r[4] + r[5]), "", ""] for i, r in enumerate(leis)]
    left = [["一、一般公共预算资金", money(total)], ["二、政府性基金", ""], ["三、国有资本经营预算", ""]]
    body = [(left[i] if i < len(left) else ["", ""]) + right[i] for i in range(len(right))]
    body.append(["收入总计", money(total), "支出总计", money(total), money(total), "", ""])
    w.table([("财政拨款收入", 0, 1, 0, 0), ("财政拨款支出", 2, 6, 0, 0), ("项目", 0, 0, 1, 1),
             ("预算数", 1, 1, 1, 1), ("项目", 2, 2, 1, 1), ("合计", 3, 3, 1, 1), ("一般公共预算", 4, 4, 1, 1),
             ("政府性基金预算", 5, 5, 1, 1), ("国有资本经营预算", 6, 6, 1, 1)],
            [150, 100, 170, 90, 90, 70, 70], body, align=["l", "r", "l", "r", "r", "r", "r"])

    # 5. general budget, over two pages with the header repeated; planted error 1: the 款
    # 20701 prints 80,000 元 more than its 项 rows
    w.new_page()
    w.title(f"{YEAR}年部门一般公共预算支出功能分类预算表", 14)
    unit_line()
    general = coded(rows)
    for row in general:
        if row[0] == "207" and row[1] == "01" and not row[2]:
            row[4] = money(int(row[4].replace(",", "").split(".")[0]) + 80_000)
            row[6] = money(int(row[6].replace(",", "").split(".")[0]) + 80_000)
    general.append(["合计", "", "", "", money(total), money(basic), money(project)])
    w.table(coded_header("一般公共预算支出", ["合计", "基本支出", "项目支出"]),
            code_widths + [110, 110, 110], general, header_lines=3, align=align5, rows_per_page=10)

    # 6, 7. empty fund tables with their note
    for title, group in (("政府性基金预算支出功能分类预算表", "政府性基金预算支出"),
                         ("国有资本经营预算支出功能分类预算表", "国有资本经营预算支出")):
        w.new_page()
        w.title(f"{YEAR}年部门{title}", 14)
        unit_line()
        w.table(coded_header(group, ["合计", "基本支出", "项目支出"]), code_widths + [110, 110, 110],
                [["合计", "", "", "", "", "", ""]], header_lines=3, align=align5)
        w.line(f"注：本部门{YEAR}年无{group[:-4]}财政拨款安排的预算，故本表为空表。", 9)

    # 8. basic expenditure by economic class; planted error 3: 302 prints 10,000 元 too much
    w.new_page()
    w.title(f"{YEAR}年部门一般公共预算基本支出部门预算经济分类预算表", 14)
    unit_line()
    econ_rows = []
    for lei in sorted({e[0] for e in ECONOMIC}):
        items = [e for e in ECONOMIC if e[0] == lei]
        personnel = sum(e[3] for e in items)
        public = sum(e[4] for e in items)
        shown = personnel + public + (10_000 if lei == "302" else 0)
        econ_rows.append([lei, "", ECONOMIC_NAMES[lei], money(shown), money(personnel) if personnel else "",
                          money(public + (10_000 if lei == "302" else 0)) if public else ""])
        for _, kuan, name, p, q in items:
            econ_rows.append([lei, kuan, name, money(p + q), money(p) if p else "", money(q) if q else ""])
    personnel = sum(e[3] for e in ECONOMIC)
    public = sum(e[4] for e in ECONOMIC)
    econ_rows.append(["合计", "", "", money(personnel + public), money(personnel), money(public)])
    w.table([("项目", 0, 2, 0, 0), ("一般公共预算基本支出", 3, 5, 0, 0), ("部门预算经济分类科目", 0, 1, 1, 1),
             ("经济分类科目名称", 2, 2, 1, 2), ("类", 0, 0, 2, 2), ("款", 1, 1, 2, 2), ("合计", 3, 3, 1, 2),
             ("人员经费", 4, 4, 1, 2), ("公用经费", 5, 5, 1, 2)], [50, 50, 240, 110, 110, 110],
            econ_rows, header_lines=3, align=["c", "c", "l", "r", "r", "r"], row_height=17)

    # 9. "三公" and 机关运行经费: one row of figures (万元)
    w.new_page()
    w.title(f"{YEAR}年部门“三公”经费和机关运行经费预算表", 14)
    unit_line("万元")
    w.table([("“三公”经费预算数", 0, 5, 0, 0), ("机关运行经费预算数", 6, 6, 0, 2), ("合计", 0, 0, 1, 2),
             ("因公出国(境)费", 1, 1, 1, 2), ("公务接待费", 2, 2, 1, 2), ("公务用车购置及运行费", 3, 5, 1, 1),
             ("小计", 3, 3, 2, 2), ("购置费", 4, 4, 2, 2), ("运行费", 5, 5, 2, 2)], [100] * 7,
            [["8.40", "0", "2.40", "6.00", "0", "6.00", "58.00"]], header_lines=3,
            align=["r"] * 7)

    w.new_page()
    w.title("其他相关情况说明")
    w.line(f"一、{YEAR}年“三公”经费预算情况说明", 12)
    w.paragraph(f"{YEAR}年“三公”经费预算数为8.40万元，与{YEAR - 1}年预算持平。其中：因公出国（境）费0万元；"
                "公务用车购置及运行费6.00万元，其中：公务用车购置费0万元，公务用车运行费6.00万元；公务接待费2.40万元。")
    w.line("二、机关运行经费预算", 12)
    w.paragraph(f"{YEAR}年{DEPT}财政拨款的机关运行经费预算为58.00万元。")
    w.line("三、政府采购预算情况", 12)
    w.paragraph(f"{YEAR}年度本部门政府采购预算60.00万元，其中：政府采购货物预算22.80万元、政府采购工程预算0万元、"
                "政府采购服务预算37.20万元。")

    w.new_page()
    w.title("群众文化活动专项经费情况说明")
    w.line("一、项目概述", 12)
    w.paragraph("组织全区群众文化活动，丰富居民文化生活。")
    w.line("二、年度预算安排", 12)
    w.paragraph(f"{YEAR}年度项目总预算126.00万元。")
    return w.pdf()


def main() -> None:
    import make_final_accounts     # beside this script (the script's folder is on sys.path)

    here = os.path.dirname(os.path.abspath(__file__))
    for name, make in (("qingshi_culture_2025.pdf", build),
                       ("qingshi_culture_2024_final_accounts.pdf", make_final_accounts.build_final_accounts)):
        path = os.path.join(here, name)
        with open(path, "wb") as handle:
            handle.write(make())
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
