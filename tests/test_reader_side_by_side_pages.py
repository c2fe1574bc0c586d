"""A table too wide for its page printed as a spreadsheet prints it: its columns continued to the
RIGHT on the next page(s), the rows' codes and names printed again (Excel's 打印标题列), the same
rows in the same order -- read as one table, every column under its header.  Small fictional PDFs
(tests/pdfmaker.py) and -layout text, read by the template's headers and codes."""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers.common.columns import column_key

_COVER = [("text", 60, 60, "某县某局2026年部门预算", 14.0),
          ("text", 60, 90, "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]

# 部门支出总表's rows: code, name, 合计, 基本支出, 人员经费, 公用经费, 项目支出, 上缴上级支出
_ROWS = [("合计", "", "300.00", "200.00", "150.00", "50.00", "100.00", "0.00"),
         ("208", "社会保障和就业支出", "300.00", "200.00", "150.00", "50.00", "100.00", ""),
         ("20802", "民政管理事务", "300.00", "200.00", "150.00", "50.00", "100.00", ""),
         ("2080201", "行政运行", "200.00", "200.00", "150.00", "50.00", "", ""),
         ("2080202", "一般行政管理事务", "100.00", "", "", "", "100.00", "")]
_HEADS = ("合计", "基本支出", "人员经费", "公用经费", "项目支出", "上缴上级支出")


def _page(title: str | None, columns: list[int], rows, *, number: str | None = "表3") -> list[tuple]:
    """A landscape page of the 部门支出总表: its title (None: not repeated), the code and name
    columns, then the figure columns *columns* (indexes into _HEADS)."""
    items = []
    if number:
        items.append(("text", 60, 40, number, 10.0))
    if title:
        items.append(("text", 300, 60, title, 12.0))
    items += [("text", 60, 80, "部门：某县某局", 9.0), ("text", 700, 80, "单位：万元", 9.0),
              ("text", 60, 100, "科目编码", 9.0), ("text", 130, 100, "科目名称", 9.0)]
    items += [("text", 330 + 110 * at, 100, _HEADS[c], 9.0) for at, c in enumerate(columns)]
    for line, (code, name, *figures) in enumerate(rows):
        top = 120 + 14 * line
        items.append(("text", 60, top, code, 9.0))
        if name:
            items.append(("text", 130, top, name, 9.0))
        items += [("text", 340 + 110 * at, top, figures[c], 9.0) for at, c in enumerate(columns) if figures[c]]
    return items


def _read(tmp_path, pages):
    from fiscalrules.readers import read_disclosure

    path = tmp_path / "beside.pdf"
    path.write_bytes(_pdf(pages))
    return read_disclosure(path)


def _pdf(pages) -> bytes:
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    from pdfmaker import pdf_bytes

    return pdf_bytes([_COVER, *pages], size=(842, 595))


def _table(record, key="expenditure"):
    return {row["code"]: row for row in record["tables"][key]["rows"]}, record["tables"][key].get("totals", {})


def _value(row, key):
    return row[key]["value"] if key in row else None


def _table_unread(record) -> list[str]:
    return [u["reason"] for u in record["_meta"].get("unread", []) if "支出总表" in u.get("section", "")]


def _failing(record) -> set[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return {f.rule for f in report.findings if f.status == "fail"}


def test_a_table_continued_to_the_right_on_the_next_page_is_read_as_one(tmp_path):
    # page 1: 科目编码 | 科目名称 | 合计 | 基本支出 | 人员经费 | 公用经费; page 2: "…（续表）", 科目编码 |
    # 科目名称 again, then 项目支出 | 上缴上级支出 over the same rows: every row was "not understood"
    title = "某县某局2026年部门支出总表"
    record = _read(tmp_path, [_page(title, [0, 1, 2, 3], _ROWS),
                              _page(title + "（续表）", [4, 5], _ROWS, number="表3（续表）")])
    rows, totals = _table(record)
    assert list(rows) == ["208", "20802", "2080201", "2080202"]
    assert [_value(rows["2080202"], k) for k in ("total", "basic", "project")] == ["100.00", None, "100.00"]
    assert [_value(totals, k) for k in ("total", "basic", "personnel", "project", "remit_superior")] == [
        "300.00", "200.00", "150.00", "100.00", "0.00"]
    # a figure of the right part points to the page it is printed on
    assert rows["2080202"]["project"]["source"]["page"] == 3
    assert rows["2080202"]["total"]["source"]["page"] == 2
    assert not _table_unread(record)
    # a cell of the second page printed wrong is caught against the first page's 合计
    wrong = [row if row[0] != "2080202" else (*row[:6], "110.00", "") for row in _ROWS]
    record = _read(tmp_path, [_page(title, [0, 1, 2, 3], _ROWS),
                              _page(title + "（续表）", [4, 5], wrong, number="表3（续表）")])
    assert {"TBL-007", "TBL-003"} <= _failing(record)


def test_a_table_over_three_pages_whose_continuations_repeat_no_title_is_joined(tmp_path):
    # No "续表", no title on the continuations: the header naming 科目编码 / 科目名称 again, over
    # other columns, after the rows starts the next part -- on each of two further pages
    title = "某县某局2026年部门支出总表"
    record = _read(tmp_path, [_page(title, [0, 1], _ROWS), _page(None, [2, 3], _ROWS, number=None),
                              _page(None, [4, 5], _ROWS, number=None)])
    rows, totals = _table(record)
    assert [_value(rows["2080201"], k) for k in ("total", "basic", "personnel", "public", "project")] == [
        "200.00", "200.00", "150.00", "50.00", None]
    assert _value(totals, "remit_superior") == "0.00"
    assert not _table_unread(record)


def test_a_table_printed_over_then_down_takes_each_page_to_its_part(tmp_path):
    # Excel's "先行后列": the left columns of the first rows, their right columns, then the left
    # columns of the last rows (the left header printed again) and their right columns
    title = "某县某局2026年部门支出总表"
    top, rest = _ROWS[:3], _ROWS[3:]
    record = _read(tmp_path, [_page(title, [0, 1, 2, 3], top), _page(None, [4, 5], top, number=None),
                              _page(None, [0, 1, 2, 3], rest, number=None), _page(None, [4, 5], rest, number=None)])
    rows, totals = _table(record)
    assert list(rows) == ["208", "20802", "2080201", "2080202"]
    assert [_value(rows["2080202"], k) for k in ("total", "project")] == ["100.00", "100.00"]
    assert _value(totals, "project") == "100.00"
    assert not _table_unread(record)


def test_a_table_continued_downwards_under_a_header_printed_otherwise_is_not_joined(tmp_path):
    # The next page's rows are other rows (more of the table, its header printed with other
    # columns' words wrapped): a continuation downwards, read as before -- never taken for
    # columns beside the first page's
    title = "某县某局2026年部门支出总表"
    first = _page(title, [0, 1, 4, 5], _ROWS[:3])
    second = _page(None, [0, 1, 4, 5], _ROWS[3:], number=None)
    second.append(("text", 330, 88, "本年", 9.0))      # the header printed otherwise ("本年" over 合计)
    record = _read(tmp_path, [first, second])
    rows, _ = _table(record)
    assert list(rows) == ["208", "20802", "2080201", "2080202"]
    assert [_value(rows["2080202"], k) for k in ("total", "project")] == ["100.00", "100.00"]


def _layout_page(columns: list[int], rows, title: str | None) -> list[str]:
    """A page of the table as ``pdftotext -layout`` writes it (a character a column)."""
    def at(*cells):
        line = ""
        for column, text in cells:
            line = line.ljust(column) + text
        return line
    lines = [at((40, title))] if title else []
    lines.append(at((0, "部门：某县某局"), (90, "单位：万元")))
    lines.append(at((0, "科目编码"), (12, "科目名称"), *((40 + 14 * n, _HEADS[c]) for n, c in enumerate(columns))))
    for code, name, *figures in rows:
        cells = [(0, code), (12, name)] + [(44 + 14 * n - len(figures[c]), figures[c])
                                          for n, c in enumerate(columns) if figures[c]]
        lines.append(at(*[cell for cell in cells if cell[1]]))
    return lines


def test_a_table_continued_to_the_right_in_layout_text_is_read_as_one():
    # the same printing extracted as text keeping columns (a form feed between the pages)
    from fiscalrules.readers import read_document

    title = "某县某局2026年部门支出总表"
    text = "\n".join(["某县某局2026年部门预算",
                      "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。",
                      "表3", *_layout_page([0, 1, 2, 3], _ROWS, title),
                      "\f表3（续表）", *_layout_page([4, 5], _ROWS, title + "（续表）")])
    record = read_document(text.encode("utf-8"), name="beside.txt")
    rows, totals = _table(record)
    assert [_value(rows["2080202"], k) for k in ("total", "project")] == ["100.00", "100.00"]
    assert [_value(totals, k) for k in ("personnel", "project")] == ["150.00", "100.00"]
    assert not _table_unread(record)


@pytest.mark.parametrize("header, key", [("基本支出—人员经费", "personnel"), ("基本支出-公用经费", "public"),
                                         ("基本支出/人员经费", "personnel"), ("基本支出小计", "basic")])
def test_a_two_level_header_flattened_into_one_cell_names_its_part(header, key):
    # "基本支出—人员经费" (a spreadsheet's one header row for 基本支出 over 人员经费): the part, not 基本支出
    assert column_key(header, header, 3) == key


def test_a_project_form_printing_one_budget_amount_and_a_goal_labelled_in_its_middle_is_read():
    # "预算金额（万元） 64.20" (the project's one amount, its unit in the label's cell) and the goal's
    # label "年度目标" printed in the middle of its merged cell: the amount was "not read" (PRF-011 not
    # evaluable) and the goal's first line listed
    from fiscalrules.readers import read_disclosure

    text = "\n".join([
        "第二部分 测试局 2026 年部门预算表", "测试项目项目支出绩效目标表", "项目名称 测试项目",
        "预算金额（万元） 64.20", "为困难群众提供法律援助，办理案件不少于100件，推进公共法律服务",
        "年度目标", "平台融合发展。", "一级指标 二级指标 三级指标 指标值",
        "产出指标 数量指标 办理案件数 ≥100件", "满意度指标 服务对象满意度指标 受援人满意度 ≥95%",
        "第三部分 测试局 2026 年部门预算情况说明", "（一）支出预算情况",
        "支出预算总额为 120 万元，其中：基本支出 60 万元，项目支出 60 万元。"])
    record = read_disclosure(text, name="form.txt")
    [project] = record["performance"]["projects"]
    assert project["total"]["value"] == "64.20" and project["total"]["label"] == "预算金额"
    assert project["goal"].startswith("为困难群众") and project["goal"].endswith("平台融合发展。")
    assert not [u for u in record["_meta"]["unread"] if "performance table row" in u["reason"]]
    # 64.20 against 项目支出 60: the form's funds exceed the project spending
    assert "PRF-011" in _failing(record)


# 支出决算表's columns: 本年支出合计, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出
_FINAL_HEADS = ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
_FINAL_ROWS = [("合计", "", "310.00", "200.00", "100.00", "10.00", "0.00", "0.00"),
               ("208", "社会保障和就业支出", "310.00", "200.00", "100.00", "10.00", "", ""),
               ("20802", "民政管理事务", "310.00", "200.00", "100.00", "10.00", "", ""),
               ("2080201", "行政运行", "210.00", "200.00", "", "10.00", "", ""),
               ("2080202", "一般行政管理事务", "100.00", "", "100.00", "", "", "")]


def _final_page(title: str, columns: list[int], rows, number: str) -> list[tuple]:
    items = [("text", 60, 40, number, 10.0), ("text", 300, 60, title, 12.0),
             ("text", 60, 80, "部门：某县某局", 9.0), ("text", 700, 80, "金额单位：万元", 9.0),
             ("text", 60, 100, "科目编码", 9.0), ("text", 130, 100, "科目名称", 9.0)]
    items += [("text", 330 + 110 * at, 100, _FINAL_HEADS[c], 9.0) for at, c in enumerate(columns)]
    for line, (code, name, *figures) in enumerate(rows):
        top = 120 + 14 * line
        items += [("text", 60, top, code, 9.0)] + ([("text", 130, top, name, 9.0)] if name else [])
        items += [("text", 340 + 110 * at, top, figures[c], 9.0) for at, c in enumerate(columns) if figures[c]]
    return items


def test_a_final_accounts_table_continued_to_the_right_is_read_as_one():
    # the 支出决算表 over two pages, "支出决算表（续表）" over 上缴上级支出 | 经营支出 | 对附属单位补助支出:
    # its continued title started a second table of the same rows (each "appears a second time")
    from fiscalrules.readers import read_document

    cover = [("text", 60, 60, "某县某局", 14.0), ("text", 60, 80, "2024年度部门决算", 14.0),
             ("text", 60, 110, "第一部分 部门概况", 9.0), ("text", 60, 130, "一、部门职责：负责民政工作。", 9.0)]
    pages = [cover, _final_page("支出决算表", [0, 1, 2], _FINAL_ROWS, "财决04表"),
             _final_page("支出决算表（续表）", [3, 4, 5], _FINAL_ROWS, "财决04表（续表）")]
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab writes the test PDFs")
    record = read_document(pdfmaker.pdf_bytes(pages, size=(842, 595)), name="final.pdf")
    table = record["tables"]["expenditure"]
    rows = {row["code"]: row for row in table["rows"]}
    assert [_value(rows["2080201"], k) for k in ("total", "basic", "project", "remit_superior")] == [
        "210.00", "200.00", None, "10.00"]
    assert rows["2080201"]["remit_superior"]["source"]["page"] == 3
    assert [_value(table["totals"], k) for k in ("total", "remit_superior", "operating")] == ["310.00", "10.00", "0.00"]
    assert not [u for u in record["_meta"].get("unread", []) if "second time" in u["reason"] or "table" in u["reason"]]
