"""Budget tables given as the plain text a PDF's text extraction writes (``pdfplumber``'s
``extract_text``, ``pdftotext`` without -layout): one line per row, cells one space apart, a
blank cell simply absent (session bud8).  A row printing fewer figures than the table has figure
columns is placed only where the template leaves one placement -- the 合计 first, an economic
class's 经费, the sums of a parent row over its children -- and listed otherwise; the two-sided
tables' sides are told apart by their labels, the header's letter-spaced "项 目" included.
Each text is the smallest fictional table showing one case.
"""

from __future__ import annotations

from plain_text import PlainText, value
from decimal import Decimal


_PLAIN = PlainText("某某局2026年部门预算\n第二部分 2026年部门预算表\n", "budget_disclosure")
_read, _audit, _value = _PLAIN.read, _PLAIN.audit, value


def _rows(table: dict) -> dict[str, dict[str, str]]:
    return {row["code"]: {k: _value(v) for k, v in row.items() if isinstance(v, dict)} for row in table["rows"]}


def _unread(record: dict) -> list[dict]:
    return record["_meta"]["unread"]


# 一般公共预算基本支出表 as pdfplumber writes it: 合计 | 人员经费 | 公用经费, a 款 printing its 合计 and
# the one 经费 it has; 30211's 合计 misprinted (78.40 for 72.40).
_BASIC = """表6
一般公共预算基本支出表
部门：某某局 单位：万元
部门经济分类科目编码及名称
合计 人员经费 公用经费
合计 250.00 150.00 100.00
301 工资福利支出 120.00 120.00
30101 基本工资 80.00 80.00
30102 津贴补贴 40.00 40.00
302 商品和服务支出 100.00 100.00
30201 办公费 27.60 27.60
30211 差旅费 78.40 72.40
303 对个人和家庭的补助 30.00 30.00
30302 退休费 30.00 30.00
"""


def test_basic_table_rows_placed_by_their_economic_class():
    """Before: every row printing two figures for three columns was listed ("blank cells cannot be
    placed"), the table not read and the misprinted 30211 unseen."""
    record = _read(_BASIC)
    rows = _rows(record["tables"]["general_budget_basic"])
    assert rows["30101"] == {"total": "80.00", "personnel": "80.00"}
    assert rows["302"] == {"total": "100.00", "public": "100.00"}
    assert rows["30211"] == {"total": "78.40", "public": "72.40"}
    assert rows["30302"] == {"total": "30.00", "personnel": "30.00"}
    fails = " ".join(_audit(record).get("fail", []))
    assert "TBL-046 30211" in fails and "TBL-040 302" in fails


# 一般公共预算支出表: 合计 | 基本支出 | 项目支出; a 项 printing its 合计 and one part is placed by what
# its 款's full row leaves (2010101 basic, 2010102 project), a 类 by the 合计 row's.
_GENERAL = """表5
一般公共预算支出表
部门：某某局 单位：万元
功能分类科目编码及名称
合计 基本支出 项目支出
合计 300.00 180.00 120.00
201 一般公共服务支出 200.00 80.00 120.00
20101 人大事务 200.00 80.00 120.00
2010101 行政运行 80.00 80.00
2010102 一般行政管理事务 120.00 120.00
221 住房保障支出 100.00 100.00
22102 住房改革支出 100.00 100.00
2210201 住房公积金 100.00 100.00
"""


def test_rows_placed_by_their_parents_sums():
    """Before: the 项 and the 类 221 were listed and the table not read."""
    record = _read(_GENERAL)
    rows = _rows(record["tables"]["general_budget"])
    assert rows["2010101"] == {"total": "80.00", "basic": "80.00"}
    assert rows["2010102"] == {"total": "120.00", "project": "120.00"}
    assert rows["221"] == rows["22102"] == rows["2210201"] == {"total": "100.00", "basic": "100.00"}
    assert not [u for u in _unread(record) if "一般公共预算支出表" in u["section"]]


# A misprinted part (2010102's 项目支出 printed 102.00 in a full row) stops its 款's sums: the 项
# beside it, which those sums alone would place, is not placed by them -- listed, never guessed.
_GENERAL_SLIP = _GENERAL.replace("2010101 行政运行 80.00 80.00\n2010102 一般行政管理事务 120.00 120.00",
                                 "2010101 行政运行 80.00 80.00\n2010102 一般行政管理事务 120.00 18.00 102.00\n"
                                 "2010150 事业运行 0.00 0.00")


def test_a_slip_in_the_sums_places_nothing_by_them():
    record = _read(_GENERAL_SLIP)
    table = record["tables"]["general_budget"]
    assert "rows" not in table
    reasons = [u["reason"] for u in _unread(record)]
    assert any("2010101 行政运行" in r and "more than one placement" in r for r in reasons)


# 部门支出总表 of six figure columns whose rows print their 合计 and one or two parts: the table's
# sums hold whichever two columns they stand under -- nothing to place them by. The 合计 row's 合计
# is kept; its other figures, and the rows, listed.
_EXPENDITURE = """表3
部门支出总表
部门：某某局 单位：万元
功能分类科目编码及名称 合计 基本支出 项目支出 事业单位经营支出 上缴上级支出 对附属单位补助支出
合计 300.00 180.00 120.00
201 一般公共服务支出 300.00 180.00 120.00
20101 人大事务 300.00 180.00 120.00
2010101 行政运行 180.00 180.00
2010102 一般行政管理事务 120.00 120.00
"""


def test_rows_the_sums_do_not_place_are_listed_with_the_total_kept():
    record = _read(_EXPENDITURE)
    table = record["tables"]["expenditure"]
    assert "rows" not in table
    assert {k: _value(v) for k, v in table["totals"].items()} == {"total": "300.00"}
    entries = _unread(record)
    assert any(u.get("group") == "tables.expenditure.totals" and "合计 300.00 180.00 120.00" in u["reason"]
               for u in entries)
    assert any("2010101 行政运行" in u["reason"] and "more than one placement" in u["reason"] for u in entries)
    assert not [f for f in _audit(record).get("fail", []) if f.startswith("TBL")]


# 部门收支总表 and 财政拨款收支总表 as pdfplumber writes them: the header's "项 目" letter-spaced, a line
# holding the income's label and figure then the expenditure's label (its figure blank: absent).
_TWO_SIDED = """表1
部门收支总表
部门：某某局 单位：万元
收 入 支 出
项 目 预算数 项 目 预算数
一、一般公共预算拨款收入 300.00 一、一般公共服务支出 200.00
二、政府性基金预算拨款收入 二、外交支出
三、事业收入 20.00 三、住房保障支出 120.00
本年收入合计 320.00 本年支出合计 320.00
上年结转 结转下年
收入总计 320.00 支出总计 320.00
表4
财政拨款收支总表
部门：某某局 单位：万元
收 入 支 出
项 目 预算数 项 目 合计 一般公共预算 政府性基金预算 国有资本经营预算
一、本年收入 300.00 一、本年支出 300.00 300.00
（一）一般公共预算拨款 300.00 （一）一般公共服务支出 200.00 200.00
（二）政府性基金预算拨款 （二）外交支出
（十九）住房保障支出 100.00 100.00
收入总计 300.00 支出总计 300.00 300.00
"""


def test_two_sided_tables_split_by_their_labels():
    """Before: "its two sides were not found" for both (the header's 项 目 two words)."""
    record = _read(_TWO_SIDED)
    summary = record["tables"]["summary"]
    income = {r["name"]: _value(r.get("amount")) for r in summary["income"]["rows"]}
    assert income == {"一、一般公共预算拨款收入": "300.00", "二、政府性基金预算拨款收入": None, "三、事业收入": "20.00"}
    spending = {r["name"]: _value(r.get("amount")) for r in summary["expenditure"]["rows"]}
    assert spending == {"一、一般公共服务支出": "200.00", "二、外交支出": None, "三、住房保障支出": "120.00"}
    assert _value(summary["income"]["totals"]["amount"]) == _value(summary["expenditure"]["totals"]["amount"]) == "320.00"
    appropriation = record["tables"]["appropriation_summary"]
    assert _value(appropriation["income"]["totals"]["amount"]) == "300.00"
    # (the expenditure side's rows print 合计 and one of three funds: which one, nothing says;
    # its totals line's 合计 is kept, the rest listed)
    assert "rows" not in appropriation["expenditure"]
    assert {k: _value(v) for k, v in appropriation["expenditure"]["totals"].items()} == {"total": "300.00"}
    assert any(u.get("group") == "tables.appropriation_summary.expenditure.totals" for u in _unread(record))
    assert not any("two sides were not found" in u["reason"] for u in _unread(record))


def test_placements_the_template_allows():
    from fiscalrules.readers.common.blank_cells import candidates, settle
    assert candidates(2, ["total", "basic", "project"], "2010101", False) == [("total", "basic"), ("total", "project")]
    assert candidates(2, ["total", "personnel", "public"], "30211", True) == [("total", "public")]
    assert candidates(2, ["total", "personnel", "public"], "30302", True) == [("total", "personnel")]
    assert candidates(4, ["total", "basic", "project"], None, False) == []
    # a parent's full row places its two children; the children alone place nothing
    two = [("total", "basic"), ("total", "project")]
    rows = [("201", [("total", "basic", "project")], [Decimal(3), Decimal(1), Decimal(2)]),
            ("20101", two, [Decimal(1), Decimal(1)]), ("20102", two, [Decimal(2), Decimal(2)])]
    assert settle(rows, ["total", "basic", "project"]) == [0, 0, 1]
    assert settle(rows[1:], ["total", "basic", "project"]) == [None, None]
