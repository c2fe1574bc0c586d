"""Other provinces' layouts of the national tables, read by the template's structure (review 18 C).

Each variant is the team's fictional example with its planted errors corrected
(:data:`test_reader_variants.CLEAN`), one table printed in another layout: the 一般公共预算基本支出表
in two panels (人员经费 codes left, 公用经费 codes right, C18), the "三公" table transposed (items as
rows, years as columns, C9), and the further layouts of this file.  Data-driven: a *correct*
variant reads with no finding and nothing left silent; its *bad* twin plants one error in the
table, which must be found -- and nothing else.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure
from test_reader_variants import CLEAN, BASIC_TITLE

THREE_PUBLIC_TITLE = "\n财政拨款“三公”经费支出表\n"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _read(ruleset, path, text: str, *, pdf: bool = False, **pdf_options):
    if pdf:
        pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
        pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
        path = path.with_suffix(".pdf")
        path.write_bytes(pdfmaker.text_to_pdf(text, **pdf_options))
    else:
        path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    failing = {(f.rule, f.item) for f in ruleset.evaluate(record).findings if f.status == "fail"}
    return record, failing


def _unread_in(record, section: str) -> list[dict]:
    return [u for u in record["_meta"]["unread"] if u["section"] == section]


# ---- the two-panel 一般公共预算基本支出表 (C18) --------------------------------------------------------

def _basic_items() -> list[tuple[str, str, str]]:
    """(code, name, amount) of the clean document's one-panel basic table, in print order."""
    start = CLEAN.index(BASIC_TITLE)
    end = CLEAN.index(THREE_PUBLIC_TITLE)
    items = []
    for line in CLEAN[start:end].splitlines():
        found = re.match(r"^(3\d{2}(?:\d{2})?)\s+(\S+)\s+([\d.]+)\s", line)
        if found:
            items.append(found.groups())
    return items


ITEMS = _basic_items()
PERSONNEL = [i for i in ITEMS if i[0][:3] in ("301", "303")]
PUBLIC = [i for i in ITEMS if i[0][:3] not in ("301", "303")]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 1)


def _panels(layout: str, left=PERSONNEL, right=PUBLIC, titles=("人员经费", "公用经费"),
            edit: tuple[str, str] | None = None) -> str:
    """The clean document with its basic table printed in two panels, as *layout*:
    "tabs" (tab cells), "aligned" (space-aligned columns) or "spaces" (single spaces)."""
    rows = []
    for k in range(max(len(left), len(right))):
        cells = []
        for panel in (left, right):
            cells.append(list(panel[k]) if k < len(panel) else ["", "", ""])
        rows.append(cells[0] + cells[1])
    totals = {"人员经费": "780.00", "公用经费": "100.00"}
    footer = ["", f"{titles[0]}合计", totals[titles[0]], "", f"{titles[1]}合计", totals[titles[1]]]
    header = [["", titles[0], "", "", titles[1], ""], ["科目编码", "科目名称", "金额"] * 2]
    if layout == "tabs":
        lines = ["\t".join(r) for r in header + rows + [footer]]
    elif layout == "aligned":
        widths = [8, 30, 10, 8, 24, 10]
        lines = ["".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in header + rows + [footer]]
    else:
        lines = [" ".join(c for c in r if c) for r in header + rows + [footer]]
    table = "\n".join(lines) + "\n"
    if edit:
        table = _replace(table, *edit)
    start = CLEAN.index(BASIC_TITLE) + len(BASIC_TITLE)
    end = CLEAN.index(THREE_PUBLIC_TITLE)
    return CLEAN[:start] + "\n单位：万元\n\n" + table + "\n" + CLEAN[end:]


# 30211 差旅费 20.00 → 25.00: 302 商品和服务支出 (100.00) is no longer the sum of its children
PANEL_PLANT = ("差旅费\t20.00", "差旅费\t25.00")
PANEL_PLANTED = {("TBL-040", "302"), ("TBL-042", "302")}

PANEL_LAYOUTS = {
    "tabs": dict(layout="tabs"),
    "aligned": dict(layout="aligned"),
    "spaces": dict(layout="spaces"),
    # the panels the other way round: their header words name them, not their order
    "public-left": dict(layout="tabs", left=PUBLIC, right=PERSONNEL, titles=("公用经费", "人员经费")),
    "pdf": dict(layout="tabs", pdf=True),
}


def _panel_text(options: dict, bad: bool) -> str:
    options = {k: v for k, v in options.items() if k != "pdf"}
    plant = None
    if bad:
        plant = {"tabs": PANEL_PLANT, "aligned": ("差旅费                  20.00", "差旅费                  25.00"),
                 "spaces": ("差旅费 20.00", "差旅费 25.00")}[options["layout"]]
    return _panels(**options, edit=plant)


@pytest.mark.parametrize("name", PANEL_LAYOUTS, ids=PANEL_LAYOUTS)
def test_a_two_panel_basic_table_is_read(ruleset, tmp_path, name):
    options = PANEL_LAYOUTS[name]
    pdf = dict(pdf=True, tab_stop=125.0) if options.get("pdf") else {}
    record, failing = _read(ruleset, tmp_path / "panels.txt", _panel_text(options, False), **pdf)
    assert failing == set()
    table = record["tables"]["general_budget_basic"]
    assert [r["code"] for r in table["rows"]] == [r["code"] for r in sorted(
        table["rows"], key=lambda r: r["total"]["source"]["line"])]
    by_code = {r["code"]: r for r in table["rows"]}
    assert set(by_code) == {code for code, _, _ in ITEMS}
    for code, name_, amount in ITEMS:
        side = "personnel" if code[:3] in ("301", "303") else "public"
        other = "public" if side == "personnel" else "personnel"
        assert (by_code[code]["total"]["value"], by_code[code][side]["value"], other in by_code[code]) \
            == (amount, amount, False), code
    assert by_code["30108"]["name"] == "机关事业单位基本养老保险缴费"
    assert (table["totals"]["personnel"]["value"], table["totals"]["public"]["value"]) == ("780.00", "100.00")
    assert _unread_in(record, "一般公共预算基本支出表") == []
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    _, failing = _read(ruleset, tmp_path / "panels_bad.txt", _panel_text(options, True), **pdf)
    assert failing == PANEL_PLANTED


def test_a_panel_table_with_a_line_not_understood_is_listed_whole(ruleset, tmp_path):
    # a line holding an amount but no item: the table is listed (never read in part and summed)
    text = _panels("tabs", edit=("30302\t退休费\t30.00", "30302\t退休费\t30.00\n\t调整\t5.00"))
    record, failing = _read(ruleset, tmp_path / "panels.txt", text)
    assert "rows" not in record["tables"]["general_budget_basic"]
    unread = _unread_in(record, "一般公共预算基本支出表")
    assert any("table row not understood" in u["reason"] and "调整" in u["reason"] for u in unread)
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert not {rule for rule, _ in failing if rule.startswith("TBL-04")}


def test_the_final_accounts_panels_are_read_by_the_same_reader():
    # one reader for both: the 决算 example's panels by position, names wrapped nowhere
    from fiscalrules.readers.common.panels import read_panels
    from fiscalrules.document.model import Document
    text = ("经济分类 经济分类\n科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
            "301 工资福利支出 749.00 302 商品和服务支出 37.00\n"
            "30101 基本工资 198.00 30201 办公费 12.40\n"
            "303 对个人和家庭的补助 57.60\n"
            "人员经费合计 806.60 公用经费合计 37.00\n")
    doc = Document(text, "panels.txt")
    table = read_panels(doc.lines)
    assert [(i.code, i.name, i.amount, i.panel) for i in table.items] == [
        ("301", "工资福利支出", "749.00", "personnel"), ("302", "商品和服务支出", "37.00", "public"),
        ("30101", "基本工资", "198.00", "personnel"), ("30201", "办公费", "12.40", "public"),
        ("303", "对个人和家庭的补助", "57.60", "personnel")]
    assert {k: v for k, (v, _) in table.totals.items()} == {"personnel": "806.60", "public": "37.00"}


# ---- the "三公" table transposed: items as rows, years as columns (C9) ----------------------------------

from test_reader_variants import THREE_PUBLIC  # noqa: E402  (the clean document's one-row table)

# (label, 2024, 2025) as Beijing / Guangdong print them; the narrative: 10.50 = 0 + 6.00 + 4.50, 接待 −0.50
_TRANSPOSED_ROWS = [("合计", "11.00", "10.50"), ("1、因公出国（境）费", "0.00", "0.00"),
                    ("2、公务用车购置及运行维护费", "6.00", "6.00"), ("  其中：公务用车购置费", "0.00", "0.00"),
                    ("        公务用车运行维护费", "6.00", "6.00"), ("3、公务接待费", "5.00", "4.50")]


def _transposed(layout: str = "tabs", columns=("2024年预算数", "2025年预算数"), reception: str = "4.50",
                change: bool = False) -> str:
    rows = [(label, prior, reception if label.endswith("接待费") else current)
            for label, prior, current in _TRANSPOSED_ROWS]
    header = ["项目", *columns] + (["增减额"] if change else [])
    body = []
    for label, prior, current in rows:
        cells = [prior, current] if columns[0].startswith(("2024", "上年")) else [current, prior]
        if change:
            cells.append(f"{float(current) - float(prior):.2f}")
        body.append([label, *cells])
    if layout == "tabs":
        lines = ["\t".join(r) for r in [header] + body]
    elif layout == "aligned":
        lines = ["".join(_pad(c, w) for c, w in zip(r, (34, 16, 16, 12))).rstrip() for r in [header] + body]
    else:
        lines = [" ".join(c.strip() for c in r) for r in [header] + body]
    return _replace(CLEAN, THREE_PUBLIC, "\n".join(lines) + "\n")


TRANSPOSED = {
    "tabs": dict(layout="tabs"),
    "aligned": dict(layout="aligned"),
    "spaces": dict(layout="spaces"),
    "this-year-first": dict(columns=("2025年预算数", "2024年预算数")),
    "words": dict(columns=("上年预算数", "本年预算数")),
    "with-change": dict(change=True),
    "pdf": dict(pdf=True),
}


@pytest.mark.parametrize("name", TRANSPOSED, ids=TRANSPOSED)
def test_a_transposed_three_public_table_is_read(ruleset, tmp_path, name):
    options = dict(TRANSPOSED[name])
    pdf = options.pop("pdf", False)
    record, failing = _read(ruleset, tmp_path / "t.txt", _transposed(**options), pdf=pdf)
    assert failing == set()
    table = record["tables"]["three_public"]
    values = {k: v["value"] for k, v in table["rows"][0].items() if isinstance(v, dict)}
    assert values == {"total": "10.50", "overseas": "0.00", "vehicle": "6.00", "vehicle_purchase": "0.00",
                      "vehicle_operation": "6.00", "reception": "4.50"}
    assert table["prior_year"]["reception"]["value"] == "5.00" and table["prior_year"]["total"]["value"] == "11.00"
    if options.get("change"):
        assert table["rows"][0]["reception"]["change"] == "-0.50"
    assert _unread_in(record, "财政拨款“三公”经费支出表") == []
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    # the bad twin: 公务接待费 5.50 in this year's column (0 + 6.00 + 5.50 ≠ 10.50, ≠ the narrative's 4.50)
    _, failing = _read(ruleset, tmp_path / "t_bad.txt", _transposed(**options, reception="5.50"), pdf=pdf)
    assert failing == {("TPF-004", None), ("TPF-007", "1")}


def test_a_transposed_row_that_lost_a_cell_is_listed(ruleset, tmp_path):
    text = _transposed("spaces").replace("3、公务接待费 5.00 4.50", "3、公务接待费 4.50")
    record, failing = _read(ruleset, tmp_path / "t.txt", text)
    assert "rows" not in record["tables"]["three_public"]
    unread = _unread_in(record, "财政拨款“三公”经费支出表")
    assert any("1 figures for 2 columns" in u["reason"] for u in unread) and len(unread) == 6
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def test_the_prior_year_column_checks_the_stated_change(ruleset, tmp_path):
    # the narrative: 公务接待费 4.50 万元，比上年减少 0.50 万元; the table's 2024 column 5.00 agrees …
    record, failing = _read(ruleset, tmp_path / "t.txt", _transposed())
    priors = {p["path"]: (p["amount"]["value"], p["prior"]["value"]) for p in record["doc"]["stated_priors"]}
    assert priors["three_public.reception"] == ("4.50", "5.00")
    assert failing == set()
    # … and 5.20 does not (4.50 − 5.20 ≠ −0.50): CHG-009 on that item, nothing else
    text = _transposed().replace("3、公务接待费\t5.00\t4.50", "3、公务接待费\t5.20\t4.50")
    record, failing = _read(ruleset, tmp_path / "t_bad.txt", text)
    index = [p["path"] for p in record["doc"]["stated_priors"]].index("three_public.reception")
    assert failing == {("CHG-009", str(index + 1))}


# ---- the 一般公共预算支出表 in further layouts (codes with dots, names only, a three-line header) -------

GB_TITLE = "\n一般公共预算支出表\n"
# 2200101 行政运行 681.00 → 691.00: 22001 is no longer the sum of its children (in every layout)
GB_PLANTED = {("TBL-020", "22001"), ("TBL-021", "22001")}


def _gb_rows() -> list[list[str]]:
    """The clean 一般公共预算支出表's rows as cells (full codes; the 合计 row's code empty)."""
    start = CLEAN.index(GB_TITLE)
    end = CLEAN.index(BASIC_TITLE)
    rows, lei = [], None
    for line in CLEAN[start:end].splitlines():
        cells = line.split("\t")
        if re.match(r"^\d", line) or line.startswith("\t合计"):
            code = cells[0]
            if len(code) == 3:
                lei = code
            elif len(code) == 2:
                code = lei + code
            rows.append([code] + (cells[1:] + [""] * 4)[:4])
    return rows


def _gb_table(header: list[str], rows: list[list[str]], bad: bool) -> str:
    lines = header + ["\t".join(r) for r in rows]
    table = "\n".join(lines) + "\n"
    if bad:
        table = re.sub(r"(行政运行\t)681\.00\t681\.00", r"\g<1>691.00\t691.00", table, count=1)
        assert "691.00" in table
    start = CLEAN.index(GB_TITLE) + len(GB_TITLE)
    end = CLEAN.index(BASIC_TITLE)
    return CLEAN[:start] + "\n单位：万元\n\n" + table + "\n" + CLEAN[end:]


def _dotted(bad: bool) -> str:
    def dots(code):
        return ".".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)]) if code else code
    return _gb_table(["科目编码\t科目名称\t合计\t基本支出\t项目支出"],
                     [[dots(r[0])] + r[1:] for r in _gb_rows()], bad)


# Names only, no code column: the rows keyed by the classification lists' names (2130153 农田建设,
# 2200104 自然资源规划及管理 and 2200106 自然资源利用与保护 among them: review 20 C D12); *unlisted*
# prints one 项 under a name no list has.
_UNLISTED_ITEMS = {"农田建设": "农田示范建设补助"}


def _names_only(bad: bool, unlisted: bool = False) -> str:
    rows = []
    for code, name, *figures in _gb_rows():
        indent = {3: "", 5: "  ", 7: "    "}.get(len(code), "")
        rows.append([indent + (_UNLISTED_ITEMS.get(name, name) if unlisted else name)] + figures)
    return _gb_table(["支出功能分类科目\t2025年预算数\t\t", "科目名称\t合计\t基本支出\t项目支出"],
                     [r[:4] for r in rows], bad)


def _basic_split(bad: bool) -> str:
    # 基本支出 split into 小计 / 人员经费 / 公用经费 under a header over three lines
    header = ["科目编码\t科目名称\t本年预算数\t\t\t\t", "\t\t合计\t基本支出\t\t\t项目支出",
              "\t\t\t小计\t人员经费\t公用经费\t"]
    public = {"220": "100.00", "22001": "100.00", "2200101": "100.00", "": "100.00"}
    rows = []
    for code, name, total, basic, project in _gb_rows():
        if basic:
            personnel = f"{float(basic) - float(public.get(code, '0')):.2f}"
            rows.append([code, name, total, basic, personnel, public.get(code, "0.00"), project])
        else:
            rows.append([code, name, total, "", "", "", project])
    return _gb_table(header, rows, bad)


GB_LAYOUTS = {"dotted-codes": _dotted, "names-only": _names_only, "basic-split-three-line-header": _basic_split}


@pytest.mark.parametrize("name", GB_LAYOUTS, ids=GB_LAYOUTS)
@pytest.mark.parametrize("pdf", [False, True], ids=["text", "pdf"])
def test_a_general_budget_table_in_another_layout_is_read(ruleset, tmp_path, name, pdf):
    make = GB_LAYOUTS[name]
    options = dict(pdf=True, tab_stop=110.0, font_size=6.5, lines_per_page=30) if pdf else {}
    record, failing = _read(ruleset, tmp_path / "gb.txt", make(False), **options)
    assert failing == set()
    table = record["tables"]["general_budget"]
    assert [r["code"] for r in table["rows"]][:4] == ["208", "20805", "2080505", "2080506"]
    assert {k: v["value"] for k, v in table["totals"].items() if k in ("total", "basic", "project")} \
        == {"total": "1150.00", "basic": "880.00", "project": "270.00"}
    assert _unread_in(record, "一般公共预算支出表") == []
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    _, failing = _read(ruleset, tmp_path / "gb_bad.txt", make(True), **options)
    assert failing == GB_PLANTED


def test_a_name_no_list_has_makes_the_table_listed(ruleset, tmp_path):
    record, _ = _read(ruleset, tmp_path / "gb.txt", _names_only(False, unlisted=True))
    assert "rows" not in record["tables"]["general_budget"]
    unread = _unread_in(record, "一般公共预算支出表")
    assert any("农田示范建设补助" in u["reason"] and "no classification list has" in u["reason"] for u in unread)
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


# ---- a performance table broken by a page ------------------------------------------------------------

@pytest.mark.parametrize("lines_per_page", [34, 40])
def test_a_performance_table_goes_on_across_a_page(ruleset, tmp_path, lines_per_page):
    # 34 lines a page break the 项目支出绩效目标表 between 其他资金 and 上年结转 (40: the 部门整体
    # table): a name-then-figures line ("年度资金总额 72.00") is a row of a *coded* table only (a
    # table printing names only goes on across a page with one), else the page break ended the
    # performance table there and its goal and indicator rows were read as nothing
    text_record, _ = _read(ruleset, tmp_path / "clean.txt", CLEAN)
    record, failing = _read(ruleset, tmp_path / "clean.txt", CLEAN, pdf=True, lines_per_page=lines_per_page)
    project = record["performance"]["projects"][0]
    assert (project["carryover"]["value"], project["goal"]) == ("0", "完成县级国土空间总体规划和 3 个乡镇国土空间规划编制。")
    assert len(record["performance"]["indicators"]) == len(text_record["performance"]["indicators"])
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert failing == set()


# ---- a 部门收入总表 whose 财政拨款 column is split (小计 / 一般公共预算 / 政府性基金) -------------------------

_INCOME_ROWS = [("208", "社会保障和就业支出", "96.00", "94.00", "2.00", ""),
                ("210", "卫生健康支出", "38.00", "37.00", "1.00", ""),
                ("213", "农林水支出", "48.00", "48.00", "", ""),
                ("220", "自然资源海洋气象等支出", "1,036.40", "903.00", "13.40", "40.00"),
                ("221", "住房保障支出", "68.00", "68.00", "", "")]


def _income_table(bad: bool) -> str:
    # the narrative's income: 财政拨款 1,150.00 + 事业收入 80.00 + 其他收入 16.40 + 上年结转 40.00 = 1,286.40
    lines = ["部门收入总表", "", "单位：万元", "",
             "科目编码\t科目名称\t合计\t财政拨款\t\t\t事业收入\t其他收入\t上年结转",
             "\t\t\t小计\t一般公共预算\t政府性基金\t\t\t",
             "\t合计\t1,286.40\t1,150.00\t1,150.00\t0.00\t80.00\t16.40\t40.00"]
    for code, name, total, appropriation, other, carryover in _INCOME_ROWS:
        if bad and code == "220":
            total = "1,046.40"
        business = "80.00" if code == "220" else ""
        lines.append("\t".join([code, name, total, appropriation, appropriation, "0.00", business, other, carryover]))
    listed = "收支预算总表、部门收入总表、部门支出总表、财政拨款收支总表详见附表。"
    return _replace(CLEAN, listed, "收支预算总表、部门支出总表、财政拨款收支总表详见附表。\n\n" + "\n".join(lines) + "\n")


def test_an_income_table_with_its_appropriation_split(ruleset, tmp_path):
    # "小计" under 财政拨款 is the 财政拨款 column (it was read as a column "subtotal" of its own,
    # and TBL-061, the table's 财政拨款 against the narrative's, could not be checked)
    record, failing = _read(ruleset, tmp_path / "income.txt", _income_table(False))
    table = record["tables"]["income"]
    assert {k: v["value"] for k, v in table["totals"].items()} == {
        "total": "1286.40", "appropriation": "1150.00", "general_budget": "1150.00", "gov_fund": "0.00",
        "business": "80.00", "other": "16.40", "carryover": "40.00"}
    assert failing == set()
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    _, failing = _read(ruleset, tmp_path / "income_bad.txt", _income_table(True))
    assert failing == {("TBL-063", None)}


# ---- a header whose cells wrap over two lines ("基本" / "支出") ----------------------------------------

_GB_HEADER = "支出功能分类科目\t\t2025年预算数\t\t\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
_GB_HEADER_WRAPPED = "支出功能分类科目\t\t2025年预算数\t\t\n科目\t科目\t合计\t基本\t项目\n编码\t名称\t\t支出\t支出\n"


@pytest.mark.parametrize("bad", [False, True], ids=["correct", "bad"])
def test_a_header_cell_wrapped_over_two_lines(ruleset, tmp_path, bad):
    # the halves "基本" / "支出" were read as a column "支出" of no known kind: every row's 基本支出
    # lost, and TBL-026 严重 on each row of a correct table
    text = _replace(CLEAN, _GB_HEADER, _GB_HEADER_WRAPPED)
    if bad:
        text = _replace(text, "2200101\t行政运行\t681.00\t681.00", "2200101\t行政运行\t691.00\t691.00")
    record, failing = _read(ruleset, tmp_path / "wrapped.txt", text)
    assert failing == (GB_PLANTED if bad else set())
    assert record["tables"]["general_budget"]["totals"]["basic"]["value"] == "880.00"


def test_a_transposed_table_without_its_total_is_listed(ruleset, tmp_path):
    # no 合计 row: read, the row had no total and TPF-003 / TPF-007 took it for 0 (two false 严重)
    text = _replace(_transposed(), "合计\t11.00\t10.50\n", "")
    record, failing = _read(ruleset, tmp_path / "t.txt", text)
    assert "rows" not in record["tables"]["three_public"]
    assert any("no 合计 row" in u["reason"] for u in _unread_in(record, "财政拨款“三公”经费支出表"))
    assert not {rule for rule, _ in failing if rule.startswith("TPF")}
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    # the 合计 printed last is read as printed first
    last = _replace(_replace(_transposed(), "合计\t11.00\t10.50\n", ""), "3、公务接待费\t5.00\t4.50\n",
                    "3、公务接待费\t5.00\t4.50\n合计\t11.00\t10.50\n")
    record, failing = _read(ruleset, tmp_path / "t_last.txt", last)
    assert record["tables"]["three_public"]["rows"][0]["total"]["value"] == "10.50" and failing == set()
