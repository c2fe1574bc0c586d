"""决算 tables given as ``pdftotext`` writes them without -layout (session fa10): a cell a line in
places, a blank cell absent, and the cells of a page's last rows written after its note and page
number.  Rows are joined by the template's structure (codes, names, figures) and figures placed
only where the template's sums leave one placement; what stays open is listed.  Each text is the
smallest fictional table showing one case.
"""

from __future__ import annotations

from plain_text import PlainText, value


_PLAIN = PlainText("某某局2025年度部门决算\n第二部分 2025年度部门决算表\n", "final_accounts")
_read, _audit, _value = _PLAIN.read, _PLAIN.audit, value


def _unread(record: dict) -> list[dict]:
    return record["_meta"]["unread"]


# 一般公共预算财政拨款基本支出决算表, two panels, a cell a line: an amount and the right panel's
# next code share a line ("200.00 302"; "330.00 31002", an amount starting as a code 3xx does), the 合计 labels stand a line above their amounts, and the
# last item's amount and the 公用经费合计 come after the note and the page number.  30102 misprinted
# (85.00 for 95.00: 301 prints 200.00).
_BASIC = """公开06表
一般公共预算财政拨款基本支出决算表
部门：某某局
金额单位：万元
人员经费
经济科目编码

科目名称

公用经费
决算数

经济科目编码

科目名称

决算数

301

工资福利支出

200.00 302

商品和服务支出

60.00

30101

基本工资

105.00 30201

办公费

60.00

30102

津贴补贴

85.00 310

资本性支出

12.50

303

对个人和家庭的补助

330.00 31002

办公设备购置

30302

退休费

330.00

人员经费合计

530.00 公用经费合计

注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。

—8—

12.50
72.50
"""


def _basic_rows(record: dict) -> dict[str, str | None]:
    return {r["code"]: _value(r.get("amount")) for r in record["tables"]["general_budget_basic"]["rows"]}


def test_basic_panels_a_cell_a_line_with_the_page_end_cells_placed_by_the_sums():
    record = _read(_BASIC)
    assert _basic_rows(record) == {"301": "200.00", "302": "60.00", "30101": "105.00", "30201": "60.00",
                                   "30102": "85.00", "310": "12.50", "303": "330.00", "31002": "12.50",
                                   "30302": "330.00"}
    totals = record["tables"]["general_budget_basic"]["totals"]
    assert (_value(totals["personnel"]), _value(totals["public"])) == ("530.00", "72.50")
    assert not [u for u in _unread(record) if "基本支出" in u["section"] or not u["section"]]
    fails = _audit(record).get("fail", [])
    assert [f for f in fails if f.startswith("TBL-030")] and all("301" in f for f in fails if f.startswith("TBL-030"))


def test_page_end_cells_no_sum_confirms_are_listed():
    # (a page-end figure no sum confirms -- 公用经费合计 70.00 where 302 and 310 add to 72.50, in
    # either placement: the table is listed, never guessed)
    text = _BASIC.replace("12.50\n72.50\n", "12.50\n70.00\n")
    record = _read(text)
    assert not (record.get("tables", {}).get("general_budget_basic", {}).get("rows"))
    assert any("基本支出" in u["section"] for u in _unread(record))


def test_page_end_cells_are_placed_by_the_sums_not_by_their_order():
    # (written in the other order: the one placement making the sums hold is the same)
    record = _read(_BASIC.replace("12.50\n72.50\n", "72.50\n12.50\n"))
    assert _basic_rows(record)["31002"] == "12.50"
    assert _value(record["tables"]["general_budget_basic"]["totals"]["public"]) == "72.50"


# 一般公共预算财政拨款支出决算表 as pdfplumber / pdftotext write a row a line, cells one space apart,
# a blank cell absent: a 项 printing its 合计 and the one part it has (基本支出 or 项目支出) is placed
# by its 款's full row (the 款 prints both parts: its children's sums leave one placement).
_GENERAL = """公开05表
一般公共预算财政拨款支出决算表
部门：某某局 金额单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 300.00 200.00 100.00
213 农林水支出 300.00 200.00 100.00
21301 农业农村 300.00 200.00 100.00
2130101 行政运行 200.00 200.00
2130199 其他农业农村支出 100.00 100.00
注：本表反映部门本年度一般公共预算财政拨款实际支出情况。
"""


def _rows(record: dict, key: str) -> dict[str, dict[str, str]]:
    return {r["code"]: {k: _value(v) for k, v in r.items() if isinstance(v, dict)}
            for r in record["tables"][key]["rows"]}


def test_coded_rows_missing_blank_cells_are_placed_by_their_parents_sums():
    record = _read(_GENERAL)
    rows = _rows(record, "general_budget")
    assert rows["2130101"] == {"total": "200.00", "basic": "200.00"}
    assert rows["2130199"] == {"total": "100.00", "project": "100.00"}
    assert not [u for u in _unread(record) if "支出决算表" in u["section"]]


def test_coded_rows_the_sums_cannot_place_are_listed():
    # (the 款 prints its 合计 only: its 项 could stand under either part -- listed, never guessed)
    text = _GENERAL.replace("21301 农业农村 300.00 200.00 100.00", "21301 农业农村 300.00")
    text = text.replace("213 农林水支出 300.00 200.00 100.00", "213 农林水支出 300.00").replace(
        "合计 300.00 200.00 100.00", "合计 300.00")
    record = _read(text)
    assert not record["tables"]["general_budget"].get("rows")
    assert any("2130101" in u["reason"] for u in _unread(record))
