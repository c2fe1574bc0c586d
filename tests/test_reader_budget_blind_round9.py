"""Budget tables of round 9's blind documents (a county school's 单位预算 PDF in 元, Yunnan style),
built here as small fictional PDFs (tests/pdfmaker.py) and read by the template's structure -- table
titles, header words, codes, where each figure stands -- never by one document's names or figures."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402
# (a coded table's page: "表N", its title, the header words, each row's code and name in one cell)
from test_reader_budget_blind_round5_pdf import _table_page  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.readers import read_disclosure  # noqa: E402
from fiscalrules.readers.budget.table_titles import table_title_key  # noqa: E402

_COVER = [("text", 60, 60, "某县某中学2026年单位预算", 14.0),
          ("text", 60, 90, "第一部分 2026年单位预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", 9.0)]


def _findings(record) -> dict[str, list]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    out: dict[str, list] = {}
    for finding in report.failures:
        out.setdefault(finding.rule, []).append(finding)
    return out


def _right(x: float, top: float, text: str, size: float = 9.0) -> tuple:
    """A figure right-aligned at *x* (reportlab's CJK font draws a digit half an em wide)."""
    return ("text", x - len(text) * size / 2, top, text, size)


@pytest.mark.parametrize("title, key", [
    ("表5 一般公共预算支出预算表（按功能科目分类）", "general_budget"),
    ("一般公共预算支出表（按支出功能分类科目）", "general_budget"),
    ("表6 一般公共预算基本支出预算表（按经济科目分类）", "general_budget_basic"),
    ("一般公共预算基本支出表（按经济分类科目）", "general_budget_basic"),
    ("单位支出预算表（按功能科目分类）", "expenditure"),
    # (a class other than the table's own is no qualifier of it: no national table)
    ("一般公共预算支出表（按经济科目分类）", None),
    ("基本支出预算表（按经济科目分类）", None),
])
def test_a_classification_in_brackets_after_a_known_title_keeps_it_known(title, key):
    # Yunnan titles tables 5 and 6 "…预算表（按功能科目分类）" / "…（按经济科目分类）": the words
    # 科目 and 分类 the other way round from "按功能分类科目" -- both tables were "a table under a
    # title the reader does not know", unread (QUA-010 failed and their errors went unseen).
    assert table_title_key(title.replace("（", "(").replace("）", ")").replace(" ", "")) == key


def test_the_basic_table_titled_by_economic_class_in_brackets_is_read_and_checked(tmp_path):
    heads = [("经济科目编码", 64), ("合计", 260), ("人员经费", 340), ("公用经费", 440)]
    rows = [("301 工资福利支出", "500000.00", "500000.00", None),
            ("30101 基本工资", "500000.00", "500000.00", None),
            ("302 商品和服务支出", "100000.00", None, "100000.00"),
            ("30201 办公费", "60000.00", None, "60000.00"),
            # 公用经费 printed 45000.00 where its 合计 is 40000.00
            ("30207 邮电费", "40000.00", None, "45000.00"),
            ("合计", "600000.00", "500000.00", "100000.00")]
    path = tmp_path / "basic_by_economic_class.pdf"
    path.write_bytes(pdf_bytes([_COVER, _table_page(
        "表6", "某县某中学一般公共预算基本支出预算表（按经济科目分类）", heads, rows)]))
    record = read_disclosure(path)
    table = record["tables"]["general_budget_basic"]
    assert [row["code"] for row in table["rows"]] == ["301", "30101", "302", "30201", "30207"]
    assert not [u for u in record["_meta"].get("unread", []) if "does not know" in u["reason"]]
    found = _findings(record)
    assert "TBL-046" in found and "TBL-042" in found


def _two_sided_page(rows: list[tuple[str, str | None, str, str | None]]) -> list:
    """A 财务收支预算总表: "收 入 | 支 出" over "项 目 预算数 | 项 目 预算数"; each row (income
    name, its figure, expenditure name, its figure), an income name starting with blanks set in
    by them (four: 12 points)."""
    items = [("text", 60, 40, "表1", 10.0), ("text", 240, 60, "财务收支预算总表", 12.0),
             ("text", 60, 80, "单位名称：某县某中学", 9.0), ("text", 700, 80, "单位：元", 9.0),
             ("text", 222, 100, "收 入", 9.0), ("text", 602, 100, "支 出", 9.0),
             ("text", 148, 114, "项 目", 9.0), ("text", 335, 114, "预算数", 9.0),
             ("text", 528, 114, "项 目", 9.0), ("text", 715, 114, "预算数", 9.0)]
    # ruled as printed: "收 入" and "支 出" each merged over its side's two columns
    bottom = 126 + 14 * len(rows)
    items += [("vrule", x, 96, bottom) for x in (40, 420, 800)]
    items += [("vrule", x, 110, bottom) for x in (270, 650)]
    items += [("hrule", y, 40, 800) for y in (96, 110, *range(126, bottom + 1, 14))]
    for at, (income, amount, expenditure, spent) in enumerate(rows):
        top = 130 + 14 * at
        if income:
            items.append(("text", 43 + 3 * (len(income) - len(income.lstrip())), top, income.strip(), 9.0))
        if amount:
            items.append(_right(416, top, amount))
        if expenditure:
            items.append(("text", 423, top, expenditure, 9.0))
        if spent:
            items.append(_right(796, top, spent))
    return items


def test_the_carryover_parts_under_the_summary_tables_carryover_are_no_income_of_this_year(tmp_path):
    # 财务收支预算总表 as the national template prints it below 本年收入合计: "上年结转结余", then
    # set in under it "其中：一般公共预算拨款" (blank) and "单位资金".  The 其中 line was joined to
    # the name above as the rest of it ("上年结转结余其中：一般公共预算拨款"), and 单位资金 -- flush
    # in the PDF's text, whose lines keep no blanks -- became income of this year: TSU-004 failed
    # on a correct table by the carryover.
    rows = [("一、一般公共预算拨款收入", "800000.00", "一、教育支出", "1000000.00"),
            ("二、单位资金", "100000.00", "二、社会保障和就业支出", None),
            ("    1.事业收入", "100000.00", None, None),
            ("本年收入合计", "900000.00", "本年支出合计", "1000000.00"),
            ("上年结转结余", "100000.00", "年终结转结余", None),
            ("    其中：一般公共预算拨款", None, None, None),
            ("    单位资金", "100000.00", None, None),
            ("收入总计", "1000000.00", "支出总计", "1000000.00")]
    path = tmp_path / "summary_carryover.pdf"
    path.write_bytes(pdf_bytes([_COVER, _two_sided_page(rows)], size=(842, 595)))
    record = read_disclosure(path)
    income = record["tables"]["summary"]["income"]
    assert [(r["name"], r["level"]) for r in income["rows"]][-3:] == [
        ("上年结转结余", 1), ("其中：一般公共预算拨款", 2), ("单位资金", 2)]
    assert income["totals"]["subtotal_amount"]["value"] == "900000.00"
    assert "TSU-004" not in _findings(record)


def _ruled_page(label: str, title: str, columns: list[tuple[str, float, float]], rows: list[tuple]) -> list:
    """A ruled table page: each column (header, x0, x1) boxed by rules, its header centred; a row's
    text cells left-aligned in theirs, its figures (a cell starting with a digit or a minus)
    right-aligned (None or "": a blank cell)."""
    items = [("text", 40, 40, label, 10.0), ("text", 300, 60, title, 12.0),
             ("text", 40, 80, "单位名称：某县某中学", 9.0), ("text", 760, 80, "单位：元", 9.0)]
    bottom = 114 + 14 * len(rows)
    items += [("vrule", x, 96, bottom) for x in [columns[0][1]] + [x1 for _, _, x1 in columns]]
    items += [("hrule", y, columns[0][1], columns[-1][2]) for y in (96, *range(114, bottom + 1, 14))]
    for text, x0, x1 in columns:
        items.append(("text", (x0 + x1) / 2 - len(text) * 4.5, 101, text, 9.0))
    for at, cells in enumerate(rows):
        top = 116 + 14 * at
        for (_, x0, x1), cell in zip(columns, cells):
            if not cell:
                continue
            figure = cell[0].isdigit() and "," in cell or cell[0] == "-"
            items.append(_right(x1 - 3, top, cell) if figure else ("text", x0 + 3, top, cell, 9.0))
    return items


def test_a_project_table_filing_its_projects_under_a_class_is_read(tmp_path):
    # "项目分类 | 项目名称 | 功能科目编码 | 功能科目名称 | 合计 | 一般公共预算 | 事业收入 | 上年结转结余"
    # (Yunnan): the 项目分类 column (事业发展类 / 民生类) stood under no header the reader knew --
    # every row "not understood", the table listed.  A planted error in its 合计 row is caught.
    columns = [("项目分类", 40, 110), ("项目名称", 110, 260), ("功能科目编码", 260, 330),
               ("功能科目名称", 330, 400), ("合计", 400, 480), ("一般公共预算", 480, 560),
               ("事业收入", 560, 640), ("上年结转结余", 640, 720)]
    rows = [("事业发展类", "生均公用经费补助", "2050204", "高中教育", "1,000,000.00", "1,000,000.00", "", ""),
            ("民生类", "国家助学金", "2050204", "高中教育", "500,000.00", "500,000.00", "", ""),
            ("事业发展类", "校舍维修改造", "2050204", "高中教育", "300,000.00", "", "300,000.00", ""),
            # 合计 printed 1,900,000.00 where its rows come to 1,800,000.00
            ("", "合 计", "", "", "1,900,000.00", "1,500,000.00", "300,000.00", "")]
    path = tmp_path / "projects_by_class.pdf"
    path.write_bytes(pdf_bytes([_COVER, _ruled_page("表10", "单位项目支出预算表", columns, rows)],
                               size=(842, 595)))
    record = read_disclosure(path)
    table = record["tables"]["projects"]
    assert [(r["category"], r["name"], r["total"]["value"]) for r in table["rows"]] == [
        ("事业发展类", "生均公用经费补助", "1000000.00"), ("民生类", "国家助学金", "500000.00"),
        ("事业发展类", "校舍维修改造", "300000.00")]
    assert table["rows"][2]["business"]["value"] == "300000.00"
    assert not [u for u in record["_meta"].get("unread", []) if "row" in u["reason"]]
    assert "PRJ-010" in _findings(record)


def test_a_procurement_table_naming_the_budget_project_and_the_catalogue_item_is_read(tmp_path):
    # "预算项目 | 采购项目 | 采购品目 | 采购类别 | 数量 | 计量单位 | 合计 | 一般公共预算 | 事业收入"
    # (Yunnan): 预算项目 stood under no header the reader knew (every row not understood), and
    # 采购项目 and 采购品目 were both the item's name, the one overwriting the other.  Now the
    # project the item is bought for is ``project``, the catalogue's 品目 ``item``.
    columns = [("预算项目", 40, 160), ("采购项目", 160, 250), ("采购品目", 250, 350), ("采购类别", 350, 400),
               ("数量", 400, 430), ("计量单位", 430, 470), ("合计", 470, 560), ("一般公共预算", 560, 650),
               ("事业收入", 650, 740)]
    rows = [("智慧校园建设", "交互式平板", "A02021100 触控一体机", "货物", "40", "台",
             "1,200,000.00", "1,200,000.00", ""),
            ("校舍维修改造", "教学楼维修", "B07 修缮工程", "工程", "1", "项", "350,000.00", "", "350,000.00"),
            ("校舍维修改造", "物业管理", "C21040000 物业管理服务", "服务", "1", "项", "48,000.00", "", "48,000.00"),
            # 合计 printed 1,608,000.00 where its rows come to 1,598,000.00
            ("合 计", "", "", "", "", "", "1,608,000.00", "1,200,000.00", "398,000.00")]
    path = tmp_path / "procurement_by_project.pdf"
    path.write_bytes(pdf_bytes([_COVER, _ruled_page("表11", "单位政府采购预算表", columns, rows)],
                               size=(842, 595)))
    record = read_disclosure(path)
    table = record["tables"]["procurement"]
    assert [(r["project"], r["name"], r["item"], r["kind"]) for r in table["rows"]] == [
        ("智慧校园建设", "交互式平板", "A02021100 触控一体机", "货物"),
        ("校舍维修改造", "教学楼维修", "B07 修缮工程", "工程"),
        ("校舍维修改造", "物业管理", "C21040000 物业管理服务", "服务")]
    assert table["rows"][1]["works"]["value"] == "350000.00"
    assert table["rows"][2]["business"]["value"] == "48000.00"
    assert table["totals"]["total"]["value"] == "1608000.00"
    assert not [u for u in record["_meta"].get("unread", []) if "row" in u["reason"]]
    assert "PROC-010" in _findings(record)


def test_a_three_public_table_of_year_rows_with_a_percentage_row_in_percent_signs(tmp_path):
    # The 三公 table printed one row per year (2025年预算数 / 2026年预算数 / 增减额 / 增减率), the
    # 增减率 row's cells with their percent signs ("-7.46%") and blank where both years are 0:
    # that row was "a line inside the table that is no row", the whole table listed.
    columns = [("项目", 40, 150), ("合计", 150, 240), ("因公出国（境）费", 240, 350),
               ("公务接待费", 350, 440), ("公务用车购置及运行维护费", 440, 580)]
    rows = [("2025年预算数", "59,000.00", "0.00", "21,000.00", "38,000.00"),
            ("2026年预算数", "54,600.00", "0.00", "18,600.00", "36,000.00"),
            ("增减额", "-4,400.00", "0.00", "-2,400.00", "-2,000.00"),
            ("增减率", "-7.46%", "", "-11.43%", "-5.26%")]
    path = tmp_path / "three_public_year_rows.pdf"
    path.write_bytes(pdf_bytes([_COVER, _ruled_page("表7", "一般公共预算“三公”经费支出预算表", columns, rows)],
                               size=(842, 595)))
    record = read_disclosure(path)
    table = record["tables"]["three_public"]
    row = table["rows"][0]
    assert (row["total"]["value"], row["total"]["change"], row["total"]["pct"]) == ("54600.00", "-4400.00", "-7.46")
    assert (row["reception"]["value"], row["reception"]["pct"]) == ("18600.00", "-11.43")
    assert "pct" not in row["overseas"]
    assert table["prior_year"]["total"]["value"] == "59000.00"
    assert not [u for u in record["_meta"].get("unread", []) if "row" in u["reason"]]


def test_the_national_one_table_project_performance_table_is_read_by_its_columns(tmp_path):
    # "单位名称、项目名称 | 项目年度绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 |
    # 度量单位 | 指标属性 | 指标内容": the project and its goal in cells merged over all rows, the first
    # header cell wrapped around the header's line ("单位名称、项目名" above it, "称" below).  The
    # 指标属性 / 指标内容 words stood under no column the reader knew: the rows were read in reading
    # order, garbled (names run into targets), the project unnamed.
    heads = [("单位名称、项目名称", 40, 120), ("项目年度绩效目标", 120, 260), ("一级指标", 260, 310),
             ("二级指标", 310, 395), ("三级指标", 395, 470), ("指标性质", 470, 510), ("指标值", 510, 550),
             ("度量单位", 550, 590), ("指标属性", 590, 640), ("指标内容", 640, 800)]
    items = [("text", 40, 40, "表12", 10.0), ("text", 320, 60, "项目支出绩效目标表", 12.0),
             ("text", 40, 80, "单位名称：某县某中学", 9.0), ("text", 760, 80, "单位：元", 9.0)]
    top, step = 96, 14
    rows = [("产出指标", "数量指标", "资助学生人数", "≥", "960", "人次", "定量指标", "年度资助学生人次"),
            ("", "质量指标", "认定准确率", "=", "100", "%", "定量指标", "按规定程序认定"),
            ("效益指标", "社会效益指标", "辍学学生人数", "=", "0", "人", "定量指标", "无学生辍学"),
            ("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥", "95", "%", "定量指标", "问卷调查")]
    bottom = top + 3 * step + step * len(rows)
    items += [("vrule", x, top, bottom) for x in [heads[0][1]] + [x1 for _, _, x1 in heads]]
    items += [("hrule", y, 40, 800) for y in (top, top + 3 * step, bottom)]
    # the rows' rules cross the indicator columns only (the project's cells are merged over them)
    items += [("hrule", top + 3 * step + step * at, 260, 800) for at in range(1, len(rows))]
    items += [("text", 42, top + 2, "单位名称、项目名", 8.0), ("text", 42, top + 2 * step + 2, "称", 8.0)]
    items += [("text", x0 + 2, top + step + 2, text, 8.0) for text, x0, _ in heads[1:]]
    middle = top + 3 * step + step * len(rows) / 2 - 12
    items += [("text", 42, middle, "某县某中学", 8.0), ("text", 42, middle + 12, "国家助学金", 8.0),
              ("text", 122, middle, "对家庭经济困难学生发放国家助学金，", 8.0),
              ("text", 122, middle + 12, "年度资助960人次。", 8.0)]
    for at, cells in enumerate(rows):
        y = top + 3 * step + step * at + 3
        items += [("text", x0 + 2, y, cell, 8.0) for (_, x0, _), cell in zip(heads[2:], cells) if cell]
    path = tmp_path / "performance_one_table.pdf"
    path.write_bytes(pdf_bytes([_COVER, items], size=(842, 595)))
    record = read_disclosure(path)
    projects = record["performance"]["projects"]
    assert [p["name"] for p in projects] == ["国家助学金"]
    assert projects[0]["goal"] == "对家庭经济困难学生发放国家助学金，年度资助960人次。".replace("，", ",")
    indicators = record["performance"]["indicators"]
    assert [(i["project"], i["level1"], i["level2"], i["level3"], i["target"]["value"]) for i in indicators] == [
        ("国家助学金", "产出指标", "数量指标", "资助学生人数", "≥960人次"),
        ("国家助学金", "产出指标", "质量指标", "认定准确率", "=100%"),
        ("国家助学金", "效益指标", "社会效益指标", "辍学学生人数", "=0人"),
        ("国家助学金", "满意度指标", "服务对象满意度指标", "受助学生满意度", "≥95%")]
    assert not [u for u in record["_meta"].get("unread", []) if "indicator" in u["reason"]]
