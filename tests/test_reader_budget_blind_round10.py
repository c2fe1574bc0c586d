"""A city 事业单位's 单位预算 as 河南 words it (round 10, written blind; a Word-made PDF): the 情况说明's
totals stated side by side ("收入总计 X 万元，支出总计 X 万元"), their change for both ("收、支总计各增加"),
the general budget's items named by their 类/款/项 names -- built here as small fictional texts and PDFs,
read by the template's wording and structure, never by one document's names or figures."""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document
from test_reader_budget_blind_round4 import _at  # noqa: E402  (a line of -layout text)

_HEAD = "某市某中心2026年单位预算\n第三部分 2026年单位预算情况说明\n"

_OVERALL = _HEAD + """一、收支预算总体情况
按照综合预算的原则，某市某中心所有收入和支出均纳入单位预算管理。收入包括：一般公共预算拨款收入、其他收入；支出包括：社会保障和就业支出、城乡社区支出。
2026年某市某中心收入总计1100.00万元，支出总计1100.00万元。与2025年相比，收、支总计各增加100.00万元，增长{pct}%。主要原因：一是人员经费增加。
收入预算中：一般公共预算拨款收入1000.00万元，占90.91%；其他收入100.00万元，占9.09%。
支出预算中：社会保障和就业支出100.00万元；城乡社区支出1000.00万元。按支出性质分，基本支出700.00万元，占63.64%；项目支出{project}万元，占36.36%。
二、财政拨款收支预算总体情况
2026年财政拨款收支总预算1000.00万元。收入全部为一般公共预算拨款；支出包括：社会保障和就业支出100.00万元、城乡社区支出900.00万元。与2025年相比，财政拨款收、支总计各增加80.00万元，增长8.70%。主要原因是人员经费增加。
"""


def _read(text: str) -> dict:
    return read_document(text.encode("utf-8"), name="b.txt")


def _statuses(record) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings:
        out.setdefault(f.status, set()).add(f.rule)
    return out


def _value(node):
    return node.get("value") if isinstance(node, dict) else None


def test_the_spending_total_beside_the_income_total_and_its_parts_are_read():
    # "收入总计 X 万元，支出总计 X 万元" (河南): the spending total was "not mapped", and with it the spending's
    # parts after it ("支出预算中：…；按支出性质分，基本支出 A 万元，占 P%；项目支出 B 万元…"): EXP-001, INC-003,
    # CMP-001…003, TBL-009…011 were not evaluable
    record = _read(_OVERALL.format(pct="10.00", project="400.00"))
    expenditure = record["expenditure"]
    assert _value(expenditure["total"]) == "1100.00"
    assert (_value(expenditure["basic"]), _value(expenditure["project"])) == ("700.00", "400.00")
    assert [row["code"] for row in expenditure["function"]] == ["208", "212"]
    assert _value(expenditure["shares"]["basic"]) == "63.64"
    statuses = _statuses(record)
    assert not {"EXP-001", "INC-003", "CMP-001"} & statuses.get("not_evaluable", set())
    assert "EXP-001" in _statuses(_read(_OVERALL.format(pct="10.00", project="300.00"))).get("fail", set())


def test_a_change_of_both_totals_is_both_totals_and_never_the_figure_before_it():
    # "与 2025 年相比，收、支总计各增加 C 万元，增长 P%": the change of both totals named before it -- given to the
    # spending total alone (which was not read: a wrong rate went unseen); "…支出包括：…城乡社区支出 900.00 万元。
    # 与 2025 年相比，财政拨款收、支总计各增加 80.00 万元" was given to the last class of the list (CHG-005 and
    # PCT-008 failed a correct document): a change naming its own subject is that subject's
    record = _read(_OVERALL.format(pct="10.00", project="400.00"))
    assert (record["income"]["total"].get("change"), record["expenditure"]["total"].get("change")) == ("100.00", "100.00")
    assert record["appropriation"]["total"].get("change") == "80.00"
    assert all("change" not in row["amount"] for row in record["appropriation"]["function"])
    statuses = _statuses(record)
    assert not {"CHG-005", "PCT-008"} & statuses.get("fail", set())
    # (each side's budget named alone: "收入预算 X 万元，支出预算 X 万元。…收、支预算总计各增加", 内蒙古)
    alone = _read(_OVERALL.format(pct="10.00", project="400.00").replace("某市某中心收入总计1100", "收入预算1100")
                  .replace("支出总计1100", "支出预算1100").replace("收、支总计", "收、支预算总计"))
    assert (alone["income"]["total"].get("change"), alone["expenditure"]["total"].get("change")) == ("100.00", "100.00")
    # 100 / (1100 - 100) is 10.00%: printed 9.09%, the rate is caught on both totals
    assert {"PCT-003", "PCT-004"} <= _statuses(_read(_OVERALL.format(pct="9.09", project="400.00"))).get("fail", set())


def _general_budget_table(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The national 一般公共预算支出表 in -layout text: code, name, 合计, 基本支出, 项目支出 (万元)."""
    lines = ["表5", _at((30, "一般公共预算支出表", False)), _at((0, "单位名称：某市某中心", False), (90, "单位：万元", False)),
             _at((2, "科目编码", False), (20, "科目名称", False), (60, "合计", True), (75, "基本支出", True), (90, "项目支出", True))]
    for code, name, *figures in rows:
        lines.append(_at((2, code, False), (20, name, False),
                         *((end, figure, True) for end, figure in zip((60, 75, 90), figures) if figure)))
    return "\n".join(lines) + "\n"


_TABLE = [("", "合计", "1000.00", "700.00", "300.00"),
          ("208", "社会保障和就业支出", "100.00", "100.00", ""),
          ("20805", "行政事业单位养老支出", "100.00", "100.00", ""),
          ("2080505", "机关事业单位基本养老保险缴费支出", "100.00", "100.00", ""),
          ("212", "城乡社区支出", "900.00", "600.00", "300.00"),
          ("21201", "城乡社区管理事务", "600.00", "600.00", ""),
          ("2120101", "行政运行", "600.00", "600.00", ""),
          ("21203", "城乡社区公共设施", "300.00", "", "300.00"),
          ("2120399", "其他城乡社区公共设施支出", "300.00", "", "300.00")]

_ITEMS = """三、一般公共预算支出预算情况
2026年一般公共预算支出1000.00万元，占本年支出合计的100.00%。与2025年相比，一般公共预算支出增加80.00万元，增长8.70%。其中：基本支出700.00万元，项目支出300.00万元。
一般公共预算支出具体安排情况如下：
（一）社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）100.00万元，主要用于缴费支出。
（二）城乡社区支出（类）城乡社区管理事务（款）行政运行（项）600.00万元，主要用于基本支出。
（三）城乡社区支出（类）城乡社区公共设施（款）其他城乡社区公共设施支出（项）{third}万元，主要用于养护。
"""


def test_the_general_budgets_items_named_by_their_classes_are_its_items():
    # "（一）社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）78.34 万元" (河南): each
    # 项 of the general budget named by its 类/款/项 names, numbered "（一）…": every one "not mapped"; read as the
    # itemised 编制说明's items are (appropriation.items, the general budget being the whole appropriation),
    # their codes resolved from the names and each held to the table's row (ITM-001)
    text = "某市某中心2026年单位预算\n第二部分 2026年单位预算公开表\n" + _general_budget_table(_TABLE) \
        + "第三部分 2026年单位预算情况说明\n" + _ITEMS
    record = _read(text.format(third="300.00"))
    items = record["appropriation"]["items"]
    assert [(row["item"], row.get("code"), _value(row["amount"])) for row in items] == [
        ("一", "2080505", "100.00"), ("二", "2120101", "600.00"), ("三", "2120399", "300.00")]
    assert items[0]["purpose"] == "缴费支出"
    assert not [u for u in record["_meta"].get("unread", []) if "(类)" in u["reason"]]
    # the general budget's other figures are read as before
    assert _value(record["appropriation"]["general_budget"]) == "1000.00"
    assert _value(record["appropriation"]["basic"]) == "700.00"
    assert {"ITM-001", "ITM-003"} <= _statuses(record)["pass"]
    assert "ITM-001" in _statuses(_read(text.format(third="380.00"))).get("fail", set())


def test_a_contents_page_with_dot_leaders_is_read_not_taken_for_a_turned_page():
    # Word's 目录 draws its leaders as dots set apart (". . . . ."): each dot a word of one character, so that
    # most of the page's words were of one character -- as on a page whose characters are stacked one under
    # another -- and the contents pages were listed "its text runs turned …: nothing on it was read".
    # Punctuation is no word a stacked page is told by: the page is read.
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    from pdfmaker import pdf_bytes
    from fiscalrules.inputs.pdf import read_pdf
    entries = ["第一部分 某市某中心概况", "一、主要职能", "二、机构设置", "第二部分 2026年单位预算公开表", "表1 收支总表",
               "表2 收入总表", "表3 支出总表", "第三部分 2026年单位预算情况说明", "一、收支预算总体情况"]
    contents = [("text", 250, 40, "目录", 12.0)] + [
        ("text", 60, 70 + 20 * i, f"{entry} " + ". " * (40 - len(entry)) + str(4 + i), 9.0)
        for i, entry in enumerate(entries)]
    cover = [("text", 60, 60, "某市某中心2026年单位预算", 14.0)]
    doc = read_pdf(pdf_bytes([cover, contents]), "contents.pdf")
    assert doc.rotated_pages == []
    assert any("表3 支出总表" in line.text for line in doc.lines if line.page == 2)


def _two(left: str, left_figure: str, right: str, right_figures: tuple[str, ...] = ()) -> str:
    """A line of a 财政拨款收支总表 in -layout text: an income item and its figure, an expenditure item and its
    figures (合计, 一般公共预算); either side blank."""
    cells = []
    if left:
        cells.append((0, left, False))
    if left_figure:
        cells.append((40, left_figure, True))
    if right:
        cells.append((44, right, False))
    cells.extend((end, figure, True) for end, figure in zip((88, 104), right_figures))
    return _at(*cells)


def test_an_appropriation_summary_whose_income_items_stand_alone_goes_on_past_them():
    # 表4 财政拨款收支总表 as Word draws it (河南): the income side's items below the first on lines of their own,
    # "（二）政府性基金预算拨款" -- read as the heading of a 情况说明 section (its words name a fund), the table ended
    # there: its expenditure items and its 收入总计 / 支出总计 row were "outside any table the reader knows".
    # An item numbered next after the side's items before it is the table's row.
    header = [_two("项目", "预算数", "项目", ("合计", "一般公共预算"))]
    lines = ["某市某中心2026年单位预算", "第一部分 2026年单位预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。",
             "第二部分 2026年单位预算公开表", "表4",
             _at((30, "2026年某市某中心财政拨款收支总表", False)),
             _at((0, "单位名称：某市某中心", False), (96, "单位：元", False)),
             _at((14, "收入", False), (70, "支出", False)), *header,
             _two("一、本年收入", "1000.00", "一、本年支出", ("1000.00", "1000.00")),
             _two("（一）一般公共预算拨款", "1000.00", "（一）一般公共服务支出"),
             _two("（二）政府性基金预算拨款", "", ""),
             _two("（三）国有资本经营预算拨款", "", ""),
             _two("二、上年结转", "", ""),
             _two("", "", "（二）外交支出"),
             _two("", "", "（三）社会保障和就业支出", ("400.00", "400.00")),
             _two("", "", "（四）城乡社区支出", ("600.00", "600.00")),
             _two("", "", "二、结转下年"),
             _two("收入总计", "1000.00", "支出总计", ("1000.00", "1000.00"))]
    record = _read("\n".join(lines) + "\n")
    table = record["tables"]["appropriation_summary"]
    assert not [u for u in record["_meta"].get("unread", []) if "outside any table" in u["reason"]]
    assert _value(table["expenditure"]["totals"]["total"]) == "1000.00"
    assert [row["name"] for row in table["expenditure"]["rows"] if "total" in row][-2:] == ["(三)社会保障和就业支出", "(四)城乡社区支出"]


def test_the_summarys_row_below_the_income_subtotal_by_its_old_name_is_not_this_years_income():
    # "用事业基金弥补收支差额" (the template's name before 2019 for 使用非财政拨款结余) stands below 本年收入合计 with
    # 上年结转: TSU-004 added it to this year's income, TSU-005 left it out of the total -- both failed a
    # correct 收支总表 once the rows below the subtotal were read (广西 贺州, its table no longer cut short)
    income = {"totals": {"subtotal_amount": "3727.63", "amount": "3751.63"}, "rows": [
        {"name": "一、一般公共预算拨款收入", "level": 1, "amount": "3727.63"},
        {"name": "用事业基金弥补收支差额", "level": 1, "amount": "5.40"},
        {"name": "上年结转", "level": 1, "amount": "18.60"}]}
    record = {"_meta": {"template": "budget_disclosure"}, "tables": {"summary": {"income": income}}}
    statuses = _statuses(record)
    assert {"TSU-004", "TSU-005"} <= statuses.get("pass", set()), statuses.get("fail")


def test_the_performance_targets_projects_counted_before_their_name_and_their_funds_named_as_spending():
    # "本单位 2026 年对 2 个项目编制了绩效目标，涉及项目支出预算资金 469.00 万元" (河南): the count names what it
    # counts after its number, the funds are named 项目支出预算资金 -- both "not mapped"
    record = _read(_HEAD + "十一、预算绩效管理情况\n根据预算绩效管理要求，本单位2026年对2个项目编制了绩效目标，"
                           "涉及项目支出预算资金400.00万元，其中一般公共预算拨款300.00万元，其他资金100.00万元。\n")
    targets = record["performance_targets"]
    assert (_value(targets["projects"]), _value(targets["funds"])) == ("2", "400.00")
