"""Letter-spaced (distributed, 分散对齐) text in PDFs: a short text spread over its cell's width, each
character drawn on its own ("合          计", "基 本 支 出"), as WPS / Excel templates print header cells
and 科目名称 cells; titles and headings spaced out the same way. The characters of one cell are one
word -- by the cell's ruling where the row has one, by their pitch against the font size otherwise --
never several columns, never a page of characters stacked one under another; two real adjacent
columns stay apart. All PDFs are fictional, made here (reportlab).

Also the readings this exposed once such tables were read: an item named "类（款）项（项）", a
performance form printing only "项目资金（万元） N", and a 财政专户 column under 财政拨款收入."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_disclosure, read_document  # noqa: E402
from fiscalrules.readers.budget.itemised import split_names  # noqa: E402

SIZE = 9.0
_PAD = 4.0


def _width(ch: str) -> float:
    """What reportlab's CJK font draws a character as: an em for Chinese, half one for the rest."""
    return SIZE if ord(ch) > 0x2E80 else SIZE / 2


def _spread(text: str, left: float, right: float, top: float) -> list[tuple]:
    """*text* distributed over left..right: its first character at the left padding, its last
    ending at the right one, the others at one step between -- each drawn on its own."""
    if len(text) == 1:
        return [("text", (left + right - _width(text)) / 2, top, text, SIZE)]
    first, last = left + _PAD, right - _PAD - _width(text[-1])
    step = (last - first) / (len(text) - 1)
    return [("text", first + i * step, top, ch, SIZE) for i, ch in enumerate(text)]


def _cell(spec, left: float, right: float, top: float) -> list[tuple]:
    if spec is None:
        return []
    how, text = spec
    if how == "spread":
        return _spread(text, left, right, top)
    if how == "right":
        return [("text", right - _PAD - sum(map(_width, text)), top, text, SIZE)]
    return [("text", left + _PAD, top, text, SIZE)]


def _ruled(edges: list[float], rows: list[list], top: float, height: float = 16.0) -> list[tuple]:
    """A table ruled cell by cell (each cell its own rectangle, as office software draws it):
    column *edges*, each row's cells as (how, text) -- spread / left / right -- or None."""
    items = []
    for at, row in enumerate(rows):
        upper = top + at * height
        for (left, right), spec in zip(zip(edges, edges[1:]), row):
            items += [("vrule", left + 0.6, upper, upper + height), ("vrule", right - 0.6, upper, upper + height),
                      ("hrule", upper, left, right), ("hrule", upper + height, left, right)]
            items += _cell(spec, left, right, upper + (height - SIZE) / 2)
    return items


def _words(doc, page: int | None = None) -> list[list[str]]:
    return [[w.text for w in line.words] for line in doc.lines if page is None or line.page == page]


S, L, R = "spread", "left", "right"
BASIC_EDGES = [60, 120, 300, 380, 460, 540]
BASIC_HEADER = [(S, "科目编码"), (S, "科目名称"), (S, "合计"), (S, "人员经费"), (S, "公用经费")]


def _basic_rows(allowance: str = "30.00") -> list[list]:
    """The 一般公共预算基本支出表's rows: names spread over the 科目名称 cell (the long one fills
    it, as it does in such tables), 合计 spread over the code and name cells' first; the 津贴补贴
    row's 人员经费 cell printed as *allowance* (its 合计 says 30.00)."""
    return [[None, (S, "合计"), (R, "125.00"), (R, "100.00"), (R, "25.00")],
            [(L, "301"), (S, "工资福利支出"), (R, "100.00"), (R, "100.00"), None],
            [(L, "30101"), (S, "基本工资"), (R, "70.00"), (R, "70.00"), None],
            [(L, "30102"), (S, "津贴补贴"), (R, "30.00"), (R, allowance), None],
            [(L, "302"), (S, "商品和服务支出"), (R, "25.00"), None, (R, "25.00")],
            [(L, "30201"), (S, "办公费"), (R, "10.00"), None, (R, "10.00")],
            [(L, "30299"), (L, "其他商品和服务支出"), (R, "15.00"), None, (R, "15.00")]]


def _basic_page(allowance: str = "30.00") -> list[tuple]:
    items = [("text", 230, 40, "一般公共预算基本支出表", 14.0),
             ("text", 60, 70, "部门：某县某局", SIZE), ("text", 490, 70, "单位：万元", SIZE)]
    return items + _ruled(BASIC_EDGES, [BASIC_HEADER] + _basic_rows(allowance), 90.0)


# -- the PDF input: one word per spread cell ------------------------------------------------------

def test_the_characters_of_a_ruled_spread_cell_are_one_word():
    # (and the other side: one character per cell, the cells at one pitch -- the rules part them)
    # -- nor are 类 | 款 | 项 spread over one cell, the template's three code headers
    cells = _ruled([60, 100, 140, 180, 220, 260], [[(S, "甲"), (S, "乙"), (S, "丙"), (S, "丁"), (R, "5.00")]], 300.0)
    cells += _ruled([60, 150, 300], [[(S, "类款项"), (S, "科目名称")]], 330.0)
    doc = read_pdf(pdf_bytes([_basic_page() + cells]), "basic.pdf")
    words = _words(doc)
    assert words[-2:] == [["甲", "乙", "丙", "丁", "5.00"], ["类", "款", "项", "科目名称"]]
    assert ["科目编码", "科目名称", "合计", "人员经费", "公用经费"] in words
    assert ["合计", "125.00", "100.00", "25.00"] in words
    assert ["301", "工资福利支出", "100.00", "100.00"] in words
    assert ["30102", "津贴补贴", "30.00", "30.00"] in words
    # a name that fills its cell is printed as it is
    assert ["30299", "其他商品和服务支出", "15.00", "15.00"] in words


def _summary_page() -> list[tuple]:
    """A 收支预算总表 whose every name is spread over its cell: most of the page's pieces are one
    character, as on a page of characters stacked one under another."""
    sides = [("一般公共预算拨款收入", "180.00", "一般公共服务支出", "0.00"),
             ("政府性基金预算拨款收入", "0.00", "教育支出", "0.00"),
             ("事业收入", "20.00", "社会保障和就业支出", "30.00"),
             ("其他收入", "0.00", "卫生健康支出", "20.00"),
             ("上级补助收入", "0.00", "农林水支出", "150.00"),
             ("本年收入合计", "200.00", "本年支出合计", "200.00"),
             ("上年结转结余", "0.00", "年末结转结余", "0.00"),
             ("收入总计", "200.00", "支出总计", "200.00")]
    rows = [[(S, "项目"), (S, "预算数"), (S, "项目"), (S, "预算数")]]
    rows += [[(S, a), (R, b), (S, c), (R, d)] for a, b, c, d in sides]
    items = [("text", 250, 40, "收支预算总表", 14.0)]
    return items + _ruled([60, 250, 320, 500, 570], rows, 80.0)


def test_a_page_of_spread_cells_is_read_not_taken_for_a_turned_page():
    # the other side: upright characters set one under another (no figure whole, the same pitch
    # on every row) are still listed, whatever joining spread text would make of them
    stacked = [("text", 60 + 30 * column, 40 + 12 * i, ch, 10.0)
               for column, text in enumerate(["2080105行政运行11.20", "2080205行政运行21.20",
                                              "2080305行政运行31.20", "2080405行政运行41.20",
                                              "合计一百零四元八角整"])
               for i, ch in enumerate(text)]
    doc = read_pdf(pdf_bytes([_summary_page(), stacked]), "summary.pdf")
    assert doc.rotated_pages == [2]
    words = _words(doc)
    assert ["项目", "预算数", "项目", "预算数"] in words
    assert ["一般公共预算拨款收入", "180.00", "一般公共服务支出", "0.00"] in words
    assert ["收入总计", "200.00", "支出总计", "200.00"] in words


def test_spaced_titles_and_headings_are_one_word():
    # unruled: a title spaced half an em apart, "目 录" a little apart, "合 计" spread wide before
    # its figure (nothing like it beside it); ruled: a title row of one cell (the table's frame)
    # spread from border to border
    items = [("text", 200 + 13.5 * i, 40, ch, SIZE) for i, ch in enumerate("2026年部门预算")]
    items += [("text", 280, 60, "目", SIZE), ("text", 298, 60, "录", SIZE)]
    items += _ruled([60, 540], [[(S, "项目支出绩效目标表")]], 80.0)
    items += [("text", 60, 120, "合", SIZE), ("text", 200, 120, "计", SIZE), ("text", 300, 120, "10.00", SIZE)]
    # "收 入" and "支 出" each spread over its half: two cells, parted where the gap narrows
    items += [("text", 68, 140, "收", SIZE), ("text", 255, 140, "入", SIZE),
              ("text", 278, 140, "支", SIZE), ("text", 465, 140, "出", SIZE)]
    # the other side, unruled: a 决算's 栏次 row of one digit per column, 类 | 款 | 项 at one pitch
    items += [("text", 60, 160, "栏次", SIZE)] + [("text", 120 + 60 * i, 160, str(i + 1), SIZE) for i in range(5)]
    items += [("text", 74 + 30 * i, 180, ch, SIZE) for i, ch in enumerate("类款项")]
    items += [("text", 60, 200 + 20 * i, f"{code} 行政运行 100.00 60.00 40.00", SIZE)
              for i, code in enumerate(("2010101", "2010201", "2010301"))]
    assert _words(read_pdf(pdf_bytes([items]), "titles.pdf")) == [
        ["2026年部门预算"], ["目录"], ["项目支出绩效目标表"], ["合计", "10.00"], ["收入", "支出"],
        ["栏次", "1", "2", "3", "4", "5"], ["类", "款", "项"],
        *[[code, "行政运行", "100.00", "60.00", "40.00"] for code in ("2010101", "2010201", "2010301")]]


# -- the tables read: the planted slip in a spread table is found ---------------------------------

_COVER = [("text", 60, 60, "某县某局2026年部门预算", 14.0),
          ("text", 60, 90, "第二部分 2026年部门预算表", 10.0)]


def _failing(record) -> set[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return {finding.rule for finding in report.failures}


def _unruled(items: list[tuple]) -> list[tuple]:
    return [item for item in items if item[0] != "vrule"]


@pytest.mark.parametrize("drawn", [list, _unruled], ids=["ruled", "rows-ruled-only"])
def test_a_spread_basic_spending_table_is_read_and_its_slip_found(tmp_path, drawn):
    path = tmp_path / "basic.pdf"
    path.write_bytes(pdf_bytes([_COVER, drawn(_basic_page())]))
    record = read_disclosure(path)
    table = record["tables"]["general_budget_basic"]
    assert [(row["code"], row["name"]) for row in table["rows"]] == [
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("302", "商品和服务支出"),
        ("30201", "办公费"), ("30299", "其他商品和服务支出")]
    assert table["totals"]["personnel"]["value"] == "100.00"
    assert not [u for u in record["_meta"].get("unread", []) if "table" in u["reason"]]
    assert not {"TBL-041", "TBL-046"} & _failing(record)
    path.write_bytes(pdf_bytes([_COVER, drawn(_basic_page(allowance="3.00"))]))
    assert {"TBL-041", "TBL-046"} <= _failing(read_disclosure(path))


# -- what such documents print besides --------------------------------------------------------------

def test_an_item_named_with_its_kuan_bracketed_after_its_lei():
    assert split_names("社会保障和就业支出(行政事业单位养老支出)行政单位离退休(项)") == {
        "lei_name": "社会保障和就业支出", "kuan_name": "行政事业单位养老支出", "xiang_name": "行政单位离退休"}
    assert split_names("农林水支出(水利)防汛") == {"lei_name": "农林水支出", "kuan_name": "水利", "xiang_name": "防汛"}
    # a bracket inside one name is no 款
    assert split_names("其他政府办公厅(室)及相关机构事务支出(项)") == {"xiang_name": "其他政府办公厅(室)及相关机构事务支出"}


def test_a_performance_form_printing_only_its_project_funds_gives_their_total():
    text = "\n".join(["第二部分 测试局2026年部门预算表", "项目支出绩效目标表",
                      "项目名称\t城市书房运营项目", "主管部门\t青石区文化局\t项目资金（万元）\t120.00",
                      "年度总体目标\t完成城市书房日常运营。",
                      "一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t举办阅读推广活动场次\t≥24场"]) + "\n"
    record = read_document(text.encode(), name="performance.txt")
    project = record["performance"]["projects"][0]
    assert project["total"]["value"] == "120.00"
    assert project["department"] == "青石区文化局"
    assert not [u for u in record["_meta"].get("unread", []) if "performance" in u["reason"]]


def test_a_special_account_column_under_the_appropriation_group_is_read():
    from fiscalrules.readers.common.columns import column_key
    assert column_key("财政专户", "财政拨款收入/财政专户", 5) == "education_fees"
