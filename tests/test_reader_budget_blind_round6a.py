"""Table layouts of budget disclosures written blind (round 6), built here as small fictional
documents and read by the template's structure -- table titles, headers, codes, the template's
wording -- never by one document's names or figures."""

from __future__ import annotations

from fiscalrules.readers import read_disclosure
from test_reader_budget_blind_round4 import _at, _failing  # noqa: E402  (-layout lines, failing rules)


_HEAD = ["某省某管理局2026年部门预算", "",
         "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", ""]


def _value(node) -> str:
    return node["value"] if isinstance(node, dict) else node


def _read(tmp_path, lines: list[str], name: str = "doc.txt") -> dict:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_disclosure(path)


def _unread(record) -> list:
    # (the tables these documents leave out are listed under 第二部分 预算表: not what is tested)
    return [u for u in record["_meta"].get("unread", []) if u["section"] != "第二部分 预算表"]


def _two(left: str, left_figure: str, right: str, right_figure: str) -> str:
    return _at((7, left, False), *(((51, left_figure, True),) if left_figure else ()),
               (54, right, False), *(((95, right_figure, True),) if right_figure else ()))


def test_a_layout_summary_whose_right_side_runs_on_alone_past_an_item_named_as_a_heading(tmp_path):
    # The national 部门收支总表 in pdftotext -layout text: the expenditure side runs on below the
    # income side's items, one item a line alone; "二十一、国有资本经营预算支出" is also how a 情况说明
    # heading reads, and the table was cut there: its 本年收入合计 / 收入总计 rows "outside any
    # table".  An item standing right of where the left side's items end is a row; and the line
    # "上年结转结余  结转下年" (two names, no figure) kept neither side from being read.
    lines = _HEAD + [
        "公开表1", _at((33, "某省某管理局2026年部门收支总表", False)),
        _at((0, "部门名称：某省某管理局", False), (92, "单位：万元", False)),
        _at((25, "收入", False), (77, "支出", False)),
        _at((20, "项目", False), (38, "预算数", False), (72, "项目", False), (82, "预算数", False)),
        _two("一、一般公共预算拨款收入", "500.00", "一、一般公共服务支出", "420.00"),
        _two("二、事业收入", "100.00", "二、教育支出", ""),
        _at((54, "三、农林水支出", False), (95, "180.00", True)),
        _at((54, "二十一、国有资本经营预算支出", False)),
        _at((54, "二十二、其他支出", False)),
        _two("本年收入合计", "600.00", "本年支出合计", "600.00"),
        _at((7, "上年结转结余", False), (54, "结转下年", False)),
        _two("收入总计", "600.00", "支出总计", "600.00"),
    ]
    record = _read(tmp_path, lines, "layout_summary.txt")
    assert not _unread(record)
    summary = record["tables"]["summary"]
    names = [r["name"] for r in summary["expenditure"]["rows"]]
    assert "二十一、国有资本经营预算支出" in names and "二十二、其他支出" in names
    assert _value(summary["income"]["totals"]["amount"]) == "600.00"
    assert _value(summary["expenditure"]["totals"]["amount"]) == "600.00"


def test_a_layout_appropriation_summary_whose_expenditure_opens_above_the_income(tmp_path):
    # The national 财政拨款收支总表 in -layout text: the expenditure side's first row ("一、本年支出"
    # with its figures) printed a line above the income side's first, its items running on alone
    # past "（二十一）国有资本经营预算支出" to 收入总计 / 支出总计, which were "outside any table".
    def right(name: str, *figures: str) -> str:
        return _at((33, name, False), *((end, f, True) for end, f in zip((64, 78, 92), figures) if f))
    lines = _HEAD + [
        "公开表4", _at((33, "某省某管理局2026年财政拨款收支总表", False)),
        _at((0, "部门名称：某省某管理局", False), (92, "单位：万元", False)),
        _at((16, "收入", False), (59, "支出", False)),
        _at((9, "项目", False), (23, "预算数", False), (51, "项目", False), (56, "合计", False),
            (67, "一般公共预算", False), (82, "政府性基金预算", False)),
        right("一、本年支出", "900.00", "600.00", "300.00"),
        _at((0, "一、本年收入", False), (30, "900.00", True), (33, "（一）一般公共服务支出", False),
            (64, "600.00", True), (78, "600.00", True)),
        _at((0, "（一）一般公共预算拨款", False), (30, "600.00", True), (33, "（二）外交支出", False)),
        _at((0, "（二）政府性基金预算拨款", False), (30, "300.00", True), (33, "（三）农林水支出", False),
            (64, "300.00", True), (92, "300.00", True)),
        right("（二十一）国有资本经营预算支出"),
        right("（二十二）其他支出"),
        right("二、结转下年"),
        _at((0, "收入总计", False), (30, "900.00", True), (33, "支出总计", False),
            (64, "900.00", True), (78, "600.00", True), (92, "300.00", True)),
    ]
    record = _read(tmp_path, lines, "layout_appropriation.txt")
    assert not _unread(record)
    table = record["tables"]["appropriation_summary"]
    assert _value(table["income"]["totals"]["amount"]) == "900.00"
    assert _value(table["expenditure"]["totals"]["total"]) == "900.00"
    assert "(二十二)其他支出" in [r["name"] for r in table["expenditure"]["rows"]]


def test_the_appropriation_income_stated_as_a_total_is_the_income_not_the_spending(tmp_path):
    # "财政拨款收入预算总计 X 万元，…。财政拨款支出预算总计 X 万元，比上年增加…": the income's 总计
    # was taken for the appropriation's (spending) total -- and APR-012 (income = spending) had no
    # income to compare.
    lines = _HEAD + [
        "四、财政拨款收支预算总体情况",
        "2026年财政拨款收入预算总计900.00万元，其中：一般公共预算拨款收入600.00万元，政府性基金预算拨款"
        "收入300.00万元。财政拨款支出预算总计880.00万元，比上年增加80.00万元，增长10.0%。",
    ]
    record = _read(tmp_path, lines)
    assert _value(record["income"]["sources"]["appropriation"]) == "900.00"
    assert _value(record["appropriation"]["total"]) == "880.00"
    assert "APR-012" in _failing(record)


def test_a_layout_income_table_by_unit_whose_wrapped_header_cells_start_on_the_top_line(tmp_path):
    # The national 部门收入总表 listing units (单位编码 | 单位名称 | 合计 | 上年结转结余 | 一般公共预算
    # 拨款收入 | 政府性基金预算拨款收入 | … | 单位资金 over 事业收入 … 其他收入) in -layout text, its
    # header cells wrapped over five lines: "政府性基金" / "预算拨款收" / "入" starts on the top line,
    # where the group title "单位资金" stands.  "政府性基金" was taken for a group title over the
    # blank columns nearest it -- 单位编码, 单位名称, 合计, past 上年结转结余 which it could not
    # take -- so 合计 was headed "政府性基金/合计" and the fund's own column had no key: every row
    # "not understood".  A title spans the columns beside its own in one run.
    def row(code: str, name: str, total: str, general: str, fund: str, business: str, other: str) -> str:
        return _at((1, code, False), (10, name, False), (34, total, True),
                   *(((end, f, True) for end, f in ((53, general), (64, fund), (90, business), (124, other)) if f)))
    lines = _HEAD + [
        "公开表2", _at((37, "某省某管理局2026年部门收入总表", False)),
        _at((0, "部门名称：某省某管理局", False), (117, "单位：万元", False)),
        _at((56, "政府性基金", False), (67, "国有资本经", False), (101, "单位资金", False)),
        _at((37, "上年结转结", False), (45, "一般公共预", False), (75, "财政专户管", False)),
        _at((1, "单位编码", False), (17, "单位名称", False), (27, "合计", False), (56, "预算拨款收", False),
            (67, "营预算拨款", False), (93, "事业单位经", False), (101, "上级补助收", False), (109, "附属单位上", False)),
        _at((39, "余", False), (45, "算拨款收入", False), (75, "理资金收入", False), (83, "事业收入", False),
            (117, "其他收入", False)),
        _at((58, "入", False), (69, "收入", False), (94, "营收入", False), (103, "入", False), (110, "缴收入", False)),
        row("901", "某省某管理局", "1000.00", "600.00", "300.00", "90.00", "10.00"),
        row("901001", "某省某管理局（本级）", "700.00", "400.00", "300.00", "", ""),
        row("901002", "某省某事务中心", "300.00", "200.00", "", "90.00", "10.00"),
        _at((10, "合计", False), (34, "1000.00", True), (53, "600.00", True), (64, "300.00", True),
            (90, "90.00", True), (124, "10.00", True)),
    ]
    record = _read(tmp_path, lines, "layout_income.txt")
    assert not _unread(record)
    table = record["tables"]["income"]
    assert {k: _value(v) for k, v in table["totals"].items()} == {
        "total": "1000.00", "general_budget": "600.00", "gov_fund": "300.00", "business": "90.00", "other": "10.00"}
    own = next(unit for unit in table["units"] if unit["code"] == "901001")
    assert (_value(own["gov_fund"]), _value(own["total"])) == ("300.00", "700.00")
